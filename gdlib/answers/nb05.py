"""Exercises of notebook 05_any_hidden_width: one hidden layer of any width (the series' Part 4).

The learner's gradient functions take ``weights = [W, w_out]``: ``W`` of shape
``(n_in, n_hidden)`` (``W[z, y]`` is the series' W_zy) and ``w_out`` of shape ``(n_hidden,)``
(``w_out[y]`` is W_4y), and return ``[dE/dW, dE/dw_out]`` of the same shapes.
"""

import numpy as np

from ..chain_rule import sigmoid, sigmoid_sop_deriv
from ..exercises import exercise
from ..network import Network
from ..training import train

#: The notebook's example: three inputs, target 0.2, the series' learning rate.
X = np.array([0.1, 0.4, 4.1])
TARGET = 0.2
LEARNING_RATE = 0.001


def _weights(sizes, seed):
    """``[W, w_out]`` of ``Network(sizes, seed=seed)``, w_out as a vector."""
    w_in, w_out = Network(sizes, seed=seed).weights
    return [w_in, w_out[:, 0]]


#: The calls a learner's gradient function is tried on: the notebook's 3-5-1 network, a 3-1-1
#: network and a 2-12-1 network (other inputs, other targets, negative inputs too).
GRADIENT_INPUTS = [
    (_weights((3, 5, 1), 0), X, TARGET),
    (_weights((3, 1, 1), 1), np.array([0.5, -1.0, 2.0]), 0.7),
    (_weights((2, 12, 1), 2), np.array([0.3, -0.8]), 0.1),
]


def error_of_weights(weights, x, target):
    """E of the network with these ``[W, w_out]``: what the gradients must be the slopes of."""
    w_in, w_out = (np.asarray(w, dtype=float) for w in weights)
    return Network((len(w_in), w_out.size, 1), weights=[w_in, w_out.reshape(-1, 1)]).error(x, target)


def _gradients(weights, x, target):
    w_in, w_out = (np.asarray(w, dtype=float) for w in weights)
    grads = Network((len(w_in), w_out.size, 1), weights=[w_in, w_out.reshape(-1, 1)]).gradients(x, target)
    return [grads.weights[0], grads.weights[1][:, 0]]


@exercise("05.gradients_loop", inputs=GRADIENT_INPUTS, slope_of=error_of_weights,
          hint="delta_y = g1 g2 W4y sigma'(SOP_y) (eq. 5): g4 at the neuron's SOP, sops[y]; "
               "then dE/dW_zy = delta_y X_z (eq. 6).")
def gradients_loop(weights, x, target):
    return _gradients(weights, x, target)


@exercise("05.gradients_matrix", inputs=GRADIENT_INPUTS, slope_of=error_of_weights,
          hint="delta_hidden = delta_out * w_out * sigma'(sop_hidden), entry by entry (eq. 9); "
               "dE/dW = np.outer(x, delta_hidden), shape (n_in, n_hidden) (eq. 10).")
def gradients_matrix(weights, x, target):
    return _gradients(weights, x, target)


@exercise("05.1", inputs=GRADIENT_INPUTS, slope_of=error_of_weights,
          hint="Compare each of the two arrays with the measured slopes: g3 of an output weight is "
               "Activ_y (eq. 8), and sigma' is taken at the SOP (eq. 9).")
def gradients_fixed(weights, x, target):
    return _gradients(weights, x, target)


def error_tanh(weights, x, target):
    """E of the network whose hidden neurons use tanh (the output keeps the sigmoid)."""
    w_in, w_out = (np.asarray(w, dtype=float) for w in weights)
    predicted = sigmoid(np.tanh(np.asarray(x, dtype=float) @ w_in) @ w_out)
    return (predicted - target) ** 2


@exercise("05.2", inputs=GRADIENT_INPUTS, slope_of=error_tanh,
          hint="Two lines of gradients_matrix change: activ = np.tanh(sop_hidden), and g4 in "
               "delta_hidden becomes 1 - np.tanh(sop_hidden) ** 2; the output keeps the sigmoid.")
def gradients_tanh(weights, x, target):
    w_in, w_out = (np.asarray(w, dtype=float) for w in weights)
    x = np.asarray(x, dtype=float)
    sop_hidden = x @ w_in
    activ = np.tanh(sop_hidden)
    sop_out = activ @ w_out
    predicted = sigmoid(sop_out)
    delta_out = 2 * (predicted - target) * sigmoid_sop_deriv(sop_out)
    delta_hidden = delta_out * w_out * (1 - np.tanh(sop_hidden) ** 2)
    return [np.outer(x, delta_hidden), delta_out * activ]


@exercise("05.3", hint="For each width: np.flatnonzero(history.errors < 1e-8)[0] is the first iteration "
                       "below 1e-8; answer with the width (1 to 10) whose count is smallest.")
def first_width_below_1e_8():
    first = {}
    for width in range(1, 11):
        errors = train(Network((3, width, 1), seed=0), X, TARGET, learning_rate=LEARNING_RATE,
                       iterations=80_000).errors
        below = np.flatnonzero(errors < 1e-8)
        if below.size:
            first[width] = int(below[0])
    return min(first, key=first.get)


@exercise("05.4", hint="Neurons 2 to 5 start identical, so they stay identical; only neuron 1 differs.")
def distinct_neurons():
    start = np.full((3, 5), 0.5)
    start[0, 0] = 0.6
    run = train(Network((3, 5, 1), weights=[start, np.full((5, 1), 0.5)]), X, TARGET,
                learning_rate=LEARNING_RATE, iterations=1_000)
    neurons = np.vstack([run.network.weights[0], run.network.weights[1].T])  # one column per neuron
    return len({tuple(np.round(neurons[:, y], 12)) for y in range(neurons.shape[1])})
