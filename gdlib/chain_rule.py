"""The chain-rule pieces of the series, one small function each.

Introduced in notebook 01. Every function works on a float or on a numpy array
(element by element), so the same names serve one neuron and a whole layer.

For one neuron with input ``x``, weight ``w`` and target ``t``::

    sop       = x * w                      # sum of products (SOP)
    predicted = sigmoid(sop)               # Activ
    err       = error(predicted, t)        # (predicted - t) ** 2

    g1 = error_predicted_deriv(predicted, t)   # dError/dPredicted
    g2 = sigmoid_sop_deriv(sop)                # dPredicted/dSOP  (at the SOP!)
    g3 = sop_w_deriv(x)                        # dSOP/dW
    w  = update_w(w, g1 * g2 * g3, learning_rate)
"""

import numpy as np


def sigmoid(sop):
    """Squash a SOP into (0, 1): ``1 / (1 + e^-sop)``.

    For a very negative SOP (below about -709), ``e^-sop`` is too big for a
    float and becomes infinity; ``1 / (1 + inf)`` is then 0.0, which is the
    right answer, so numpy is told not to warn about it. Hence ``sigmoid(1e4)``
    is 1.0 and ``sigmoid(-1e4)`` is 0.0, with no warning and no NaN.
    """
    sop = np.asarray(sop, dtype=float)
    with np.errstate(over="ignore", under="ignore"):  # e^-sop may be inf or 0: both fine here
        result = 1.0 / (1.0 + np.exp(-sop))
    return result[()]  # a float for a float, an array for an array


def error(predicted, target):
    """Squared error of one prediction: ``(predicted - target) ** 2``."""
    return (np.asarray(predicted, dtype=float) - target) ** 2


def error_predicted_deriv(predicted, target):
    """g1 = dError/dPredicted = ``2 * (predicted - target)``."""
    return 2.0 * (np.asarray(predicted, dtype=float) - target)


def sigmoid_sop_deriv(sop):
    """g2 = dActiv/dSOP = ``sigmoid(sop) * (1 - sigmoid(sop))``.

    Evaluate it at the SOP, never at the prediction: the series' Parts 1 and 2
    passed the prediction here, a pitfall taught in notebook 01.
    """
    s = sigmoid(sop)
    return s * (1.0 - s)


def sop_w_deriv(x):
    """g3 (or g5) = dSOP/dW: the input that the weight multiplies."""
    return np.asarray(x, dtype=float)[()]


def update_w(w, grad, learning_rate):
    """One gradient-descent step: ``w - learning_rate * grad``, as a new value.

    The old ``w`` is left as it was (no in-place update), so nothing that still
    refers to it changes behind your back: see the aliasing pitfall in notebook 03.
    """
    return np.asarray(w, dtype=float) - learning_rate * np.asarray(grad, dtype=float)
