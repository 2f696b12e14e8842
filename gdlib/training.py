"""Training by gradient descent, with every iteration recorded in a ``History``.

Introduced in notebook 01 (one weight), used in every notebook after it.
"""

from dataclasses import dataclass

import numpy as np

from . import training_compiled
from .chain_rule import update_w
from .checks import check_learning_rate, check_positive_int
from .network import Network, backprop, check_network


@dataclass
class History:
    """What happened in a run of ``train``.

    - ``predictions[k]``: ``network.predict(x)`` at iteration k, before that
      iteration's update (shape ``(iterations,) + prediction shape``).
    - ``errors[k]``: E at iteration k (shape ``(iterations,)``).
    - ``start``, ``network``: the network before and after the run (``network``
      is None when the numbers overflowed).
    - ``diverged``: True when the run overflowed or the error ended higher than
      it started; ``message`` says so in a sentence (empty for a calm run).
    """

    predictions: np.ndarray
    errors: np.ndarray
    start: Network
    network: Network
    target: np.ndarray
    learning_rate: float
    engine: str
    diverged: bool = False
    message: str = ""

    @property
    def iterations(self):
        return len(self.errors)

    @property
    def final_error(self):
        return float(self.errors[-1])

    def __repr__(self):
        first, last = self.errors[0], self.errors[-1]
        text = (f"History({self.iterations} iterations, learning_rate={self.learning_rate:g}, "
                f"error {first:.6g} -> {last:.6g}")
        return text + (f"; {self.message})" if self.message else ")")


#: ``engine="auto"`` compiles runs up to this many samples x parameters per iteration;
#: beyond it numpy's matrix products (BLAS) are as fast (measured: 2-8-8-1 on 200 samples).
COMPILED_UP_TO = 16_000


def train(net, x, target, *, learning_rate, iterations, engine="auto"):
    """Gradient descent from ``net``: returns a ``History``; ``net`` itself is unchanged.

    Each iteration computes every gradient at the current parameters, then
    updates all of them (``update_w``). A batch ``x`` of shape ``(m, n_in)`` means
    full-batch gradient descent on the mean error.

    ``engine``: ``"numpy"`` runs the readable loop below; ``"compiled"`` the
    numba loop in ``training_compiled`` (same numbers, ~100x faster on the course's
    single examples); ``"auto"`` picks the compiled one when numba is installed
    and the run is small enough (``COMPILED_UP_TO``), numpy otherwise.
    """
    check_network(net)
    learning_rate = check_learning_rate(learning_rate)
    iterations = check_positive_int(iterations, "iterations")
    if engine not in ("auto", "numpy", "compiled"):
        raise ValueError(f"engine must be 'auto', 'numpy' or 'compiled', got {engine!r}.")
    if engine == "compiled" and not training_compiled.AVAILABLE:
        raise RuntimeError("engine='compiled' needs numba: pip install numba (or use engine='numpy').")
    x2, t2, single = net._samples(x, target)
    use_compiled = engine == "compiled" or (
        engine == "auto" and training_compiled.AVAILABLE and len(x2) * net.n_parameters <= COMPILED_UP_TO)

    with np.errstate(all="ignore"):  # an overflowing run is reported, not warned about
        if use_compiled:
            predictions, errors, weights, biases = training_compiled.train_compiled(
                net.weights, net.biases, x2, t2, learning_rate, iterations)
        else:
            predictions, errors, weights, biases = _train_numpy(
                net.weights, net.biases, x2, t2, learning_rate, iterations)

    diverged, message = diagnose(errors, predictions)
    finite = all(np.isfinite(a).all() for a in weights + biases)  # else: no network to return
    trained = Network(net.sizes, weights=weights, biases=biases if net.bias else None) if finite else None
    return History(
        predictions=predictions[:, 0] if single else predictions,
        errors=errors,
        start=net.copy(),
        network=trained,
        target=t2[0] if single else t2,
        learning_rate=learning_rate,
        engine="compiled" if use_compiled else "numpy",
        diverged=diverged,
        message=message,
    )


def _train_numpy(weights, biases, x, target, learning_rate, iterations):
    """The readable loop: backprop, record, then update every parameter at once."""
    m, n_out = target.shape
    predictions = np.empty((iterations, m, n_out))
    errors = np.empty(iterations)
    for k in range(iterations):
        fp, errors[k], grads = backprop(weights, biases, x, target)
        predictions[k] = fp.activs[-1]
        weights = [update_w(w, g, learning_rate) for w, g in zip(weights, grads.weights)]
        biases = [update_w(b, g, learning_rate) for b, g in zip(biases, grads.biases)]
    return predictions, errors, weights, biases


def diagnose(errors, predictions):
    """(diverged, message) for a run's errors and predictions: what the plots say about it.

    Used by ``train`` for ``History`` and by the explorers for the part of a run shown.
    """
    finite = np.isfinite(errors)
    if not finite.all():
        k = int(np.argmin(finite))
        return True, f"Diverged: the numbers overflowed at iteration {k}. Lower the learning rate."
    if errors[-1] > errors[0]:
        return True, (f"Diverged: the error ended higher than it started "
                      f"({errors[0]:.3g} -> {errors[-1]:.3g}). Lower the learning rate.")
    last = predictions[-1]
    saturated = np.all(np.minimum(last, 1 - last) < 1e-6)
    frozen = len(errors) >= 3 and abs(errors[-1] - errors[len(errors) // 2]) <= 1e-12 * errors[0]
    if errors[-1] > 1e-3 * errors[0] and (saturated or frozen):
        return False, ("Stuck: the neurons saturated, where the sigmoid is flat and the gradient "
                       "vanishes, so the error stopped falling. Lower the learning rate.")
    rises = int(np.sum(np.diff(errors) > 1e-9 * errors[0]))
    if rises:
        return False, (f"Overshooting: the error went up in {rises} of the steps. "
                       "A smaller learning rate gives a smoother descent.")
    return False, ""
