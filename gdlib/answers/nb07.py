"""Exercises of notebook 07_data_and_boundaries: full-batch gradient descent, XOR, two moons.

A batch ``X`` has one sample per row, shape ``(m, n_0)``; targets ``T`` have shape ``(m, n_L)``.
``weights[l]`` and ``biases[l]`` are shaped as in ``Network`` (notebook 06).
"""

import numpy as np

from ..datasets import two_moons, xor_data
from ..exercises import exercise
from ..network import Network
from ..training import train

#: The notebook's data: XOR, and 200 two-moons points with noise 0.2.
X_XOR, T_XOR = xor_data()
X_MOONS, T_MOONS = two_moons(200, noise=0.2, seed=0)


def _sizes(weights):
    """The layer sizes a list of weight matrices belongs to: (2, 3, 1) for shapes (2, 3), (3, 1)."""
    return (np.shape(weights[0])[0],) + tuple(np.shape(w)[1] for w in weights)


def _batch_case(sizes, seed, x, target):
    """(weights, biases, X, T) with nonzero biases, so that a forgotten bias shows."""
    rng = np.random.default_rng(seed)
    biases = [rng.normal(0.0, 0.5, n) for n in sizes[1:]]
    return Network(sizes, seed=seed).weights, biases, x, target


@exercise("07.backprop_batch",
          inputs=[_batch_case((2, 3, 1), 0, X_XOR, T_XOR),
                  _batch_case((2, 4, 3, 1), 1, X_MOONS[::20], T_MOONS[::20]),
                  _batch_case((2, 3, 2), 2, X_XOR, np.hstack([T_XOR, 1 - T_XOR]))],
          hint="At the output divide by m: delta = g1 * g2 / len(X) (eq. 3); then "
               "grads_w[l] = activs[l].T @ delta and grads_b[l] = delta.sum(axis=0), the rows of delta "
               "added up (eq. 4).")
def backprop_batch(weights, biases, X, T):
    grads = Network(_sizes(weights), weights=weights, biases=biases).gradients(X, T)
    return grads.weights, grads.biases


class _Net(Network):
    """A Network that a check's message names in one line (a Network's own repr lists its weights)."""

    def __repr__(self):
        return f"Network({self.sizes}, bias={self.bias})"


@exercise("07.fraction_right",
          inputs=[(_Net((2, 1), weights=[[[1.0], [1.0]]], biases=[[-0.5]]), X_XOR, T_XOR),
                  (_Net((2, 1), weights=[[[-1.0], [2.0]]], biases=[[0.3]]), X_MOONS, T_MOONS),
                  (_Net((2, 4, 1), seed=3, bias=True), X_MOONS, T_MOONS)],
          hint="Class 1 where the prediction is above 0.5: np.mean((net.predict(x) > 0.5) == (t == 1)).")
def fraction_right(net, x, t):
    return float(np.mean((net.predict(x) > 0.5) == (t == 1)))


def mean_error_of_weights(weights, X, T):
    """E (eq. 1) of the sigmoid network with these weights, no bias, on the batch X."""
    return Network(_sizes(weights), weights=weights).error(X, T)


@exercise("07.1",
          inputs=[(Network((2, 3, 1), seed=0).weights, X_XOR, T_XOR),
                  (Network((2, 4, 3, 1), seed=1).weights, X_MOONS[::10], T_MOONS[::10])],
          slope_of=mean_error_of_weights,
          hint="E is a mean over the m samples (eq. 1), so its gradient is the mean of the samples' "
               "gradients: divide the sum by len(X).")
def batch_gradients(weights, X, T):
    return Network(_sizes(weights), weights=weights).gradients(X, T).weights


@exercise("07.2", hint="g1 = 2 (predicted - target) and g2 = sigma'(SOP) for each of the four samples; "
                       "dE/db of the output is their product averaged over the samples (eqs. 3, 4).")
def output_bias_gradient_at_constant_prediction():
    net = Network((2, 1), weights=[np.zeros((2, 1))], biases=[np.array([1.0])])
    return float(net.gradients(X_XOR, T_XOR).biases[0][0])


@exercise("07.3", hint="history.predictions has shape (iterations, 4, 1): compare it with 0.5, compare that "
                       "with the targets, and find the first iteration where all four agree (np.argmax).")
def first_iteration_all_right():
    history = train(Network((2, 2, 1), seed=0, bias=True), X_XOR, T_XOR, learning_rate=1.0, iterations=3_000)
    all_right = np.all((history.predictions > 0.5) == (T_XOR == 1), axis=(1, 2))
    return int(np.argmax(all_right))


@exercise("07.4", hint="gdlib.Network((2, 8, 1), weights=[np.full((2, 8), 0.5), np.full((8, 1), 0.5)], "
                       "bias=True), trained with gdlib.train, then fraction_right of history.network.")
def symmetric_moons_fraction_right():
    start = Network((2, 8, 1), weights=[np.full((2, 8), 0.5), np.full((8, 1), 0.5)], bias=True)
    history = train(start, X_MOONS, T_MOONS, learning_rate=2.0, iterations=2_000)
    return fraction_right(history.network, X_MOONS, T_MOONS)
