"""Gradient checking: the slope by finite differences, to test a backward pass.

Introduced in notebook 01, where it catches the series' g2 mistake; used in
every later notebook and in the tests.
"""

import numpy as np

from .checks import check_eps, check_loss, check_loss_target, check_parameters, check_same_length
from .network import Gradients, mean_error


def numerical_gradients(net, x, target, eps=1e-6, loss="squared"):
    """dE/dparameter by central differences: ``(E(p + eps) - E(p - eps)) / (2 eps)``.

    Introduced in notebook 02.

    Returns a ``Gradients`` shaped like ``net.gradients(x, target, loss)``. Slow (two
    forward passes per parameter) but independent of any chain-rule algebra.
    ``eps`` is the step, above 0 and below 1; ``loss`` is E's kind, as in
    ``Network.error`` ("squared", or "cross_entropy" from notebook 09). ``net`` is left unchanged.
    """
    weights, biases = check_parameters(net)  # new arrays: nudging them leaves net alone
    x2, t2, _ = net._samples(x, target)
    eps = check_eps(eps)
    check_loss_target(t2, check_loss(loss))

    def error():
        return mean_error(weights, biases, x2, t2, loss)

    with np.errstate(over="ignore", invalid="ignore"):  # huge SOPs: sigmoid copes, as in Network
        return Gradients(central_differences(weights, error, eps), central_differences(biases, error, eps))


def central_differences(arrays, error, eps):
    """The slope of ``error()`` in each number of each array of ``arrays``, one list of arrays:
    each number is nudged by +eps and -eps in place (``error`` reads the arrays), then restored."""
    result = []
    for array in arrays:
        slope = np.zeros_like(array)
        for index in np.ndindex(array.shape):
            original = array[index]
            array[index] = original + eps
            e_plus = error()
            array[index] = original - eps
            e_minus = error()
            array[index] = original
            slope[index] = (e_plus - e_minus) / (2 * eps)
        result.append(slope)
    return result


def relative_difference(a, b):
    """``|a - b| / (|a| + |b|)`` over all parameters (0 when both are zero).

    Introduced in notebook 04.

    ``a`` and ``b`` are ``Gradients`` (or lists of arrays, or arrays).
    """
    flat_a, flat_b = _flatten_pair(a, b)
    scale = np.linalg.norm(flat_a) + np.linalg.norm(flat_b)
    return 0.0 if scale == 0 else float(np.linalg.norm(flat_a - flat_b) / scale)


def compare_gradients(analytic, numeric, label="gradients"):
    """Print and return how far two gradients are apart, micrograd-style.

    Introduced in notebook 01.
    """
    flat_a, flat_b = _flatten_pair(analytic, numeric)
    max_abs = float(np.max(np.abs(flat_a - flat_b))) if flat_a.size else 0.0
    rel = relative_difference(flat_a, flat_b)
    verdict = "agree" if rel < 1e-6 else "DISAGREE"
    print(f"{label}: max |difference| = {max_abs:.2e}, relative difference = {rel:.2e} -> {verdict}")
    return rel


def _flatten_pair(a, b):
    """Both gradients as flat arrays of the same length, or a ValueError."""
    flat_a, flat_b = _flatten(a), _flatten(b)
    check_same_length(flat_a, flat_b)
    return flat_a, flat_b


def _flatten(g):
    if isinstance(g, Gradients):
        g = list(g.weights) + list(g.biases)
    if isinstance(g, (list, tuple)):
        return np.concatenate([np.ravel(np.asarray(a, dtype=float)) for a in g]) if g else np.zeros(0)
    return np.ravel(np.asarray(g, dtype=float))
