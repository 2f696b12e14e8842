"""Exercises of notebook 06_any_depth_and_bias: the sum over paths, the delta recursion, the bias.

The learner's functions take ``weights``, a list of arrays: ``weights[l][z, y]`` is W^(l)_zy,
from neuron z of layer l to neuron y of layer l + 1 (layers counted from 0, the inputs), as in
``Network.weights``; ``biases[l]`` has shape ``(n_{l+1},)``. ``x`` is one sample, shape ``(n_0,)``.
"""

import numpy as np

from ..chain_rule import error_predicted_deriv, sigmoid_sop_deriv
from ..exercises import exercise
from ..network import Network

#: The notebook's hand example: the 2-2-2-1 network of seed 0 and the series' Part 2 sample.
SIZES = (2, 2, 2, 1)
X = np.array([0.1, 0.4])
TARGET = 0.3


def _sizes(weights):
    """The layer sizes a list of weight matrices belongs to: (2, 3, 1) for shapes (2, 3), (3, 1)."""
    return (np.shape(weights[0])[0],) + tuple(np.shape(w)[1] for w in weights)


def _path_products(z, y1):
    """dError/dW^(0)_{z, y1} of the hand example, one product of factors per path (eq. 4).

    A path goes X_z -> neuron y1 of layer 1 -> neuron y2 of layer 2 -> the output.
    """
    net = Network(SIZES, seed=0)
    fp = net.forward(X)
    sop1, sop2, sop_out = (s[0] for s in fp.sops)
    g1 = error_predicted_deriv(fp.activs[-1][0, 0], TARGET)
    g2 = sigmoid_sop_deriv(sop_out[0])
    _, w1, w2 = net.weights
    return [g1 * g2 * w2[y2, 0] * sigmoid_sop_deriv(sop2[y2]) * w1[y1, y2] * sigmoid_sop_deriv(sop1[y1])
            * X[z] for y2 in range(SIZES[2])]


@exercise("06.paths", hint="Path y: g1 * g2 * W2[y-1, 0] * sigma_d2[y-1] * W1[0, y-1] * sigma_d1[0] * x[0], "
                           "one column of the table each; pass [path_1, path_2].")
def paths_of_w0_11():
    return _path_products(0, 0)


def error_of_weights(weights, x, target):
    """Error of the sigmoid network with these weights, no bias, for one sample (eq. 3)."""
    return Network(_sizes(weights), weights=weights).error(x, target)


_BACKPROP_INPUTS = [
    (Network(SIZES, seed=0).weights, X, np.array([TARGET])),
    (Network((3, 2, 1), seed=0).weights, np.array([0.1, 0.4, 4.1]), np.array([0.2])),
    (Network((3, 4, 3, 1), seed=1).weights, np.array([0.1, 0.4, 4.1]), np.array([0.2])),
    (Network((2, 3, 3, 2), seed=2).weights, np.array([0.5, -1.0]), np.array([0.7, 0.1])),
]


@exercise("06.backprop_by_hand", inputs=_BACKPROP_INPUTS, slope_of=error_of_weights,
          hint="In the loop: grads[l] = np.outer(activs[l], delta) (eq. 5); then, unless l == 0, "
               "delta = (delta @ weights[l].T) * sigma'(sops[l - 1]) (eq. 7).")
def backprop_by_hand(weights, x, target):
    return Network(_sizes(weights), weights=weights).gradients(x, target).weights


@exercise("06.1", hint="Both paths go through neuron 2 of hidden layer 1: W1[1, y-1] and sigma_d1[1] "
                       "instead of W1[0, y-1] and sigma_d1[0]; the input is still X1.")
def gradient_w0_12_by_paths():
    return float(sum(_path_products(0, 1)))


@exercise("06.2", hint="The prediction is 0.5 where SOP = X W + b = 0 (eq. 1b).")
def switch_point():
    net = Network((1, 1), weights=[[[2.0]]], biases=[[-3.0]])
    return -net.biases[0][0] / net.weights[0][0, 0]


def error_of_biases(biases, weights, x, target):
    """Error of the sigmoid network with these biases and weights, for one sample."""
    return Network(_sizes(weights), weights=weights, biases=biases).error(x, target)


def _with_biases(sizes, seed, x, target):
    rng = np.random.default_rng(seed)
    biases = [rng.normal(0.0, 0.5, n) for n in sizes[1:]]
    return biases, Network(sizes, seed=seed).weights, x, target


@exercise("06.3", inputs=[_with_biases(SIZES, 0, X, np.array([TARGET])),
                          _with_biases((3, 4, 3, 1), 1, np.array([0.1, 0.4, 4.1]), np.array([0.2])),
                          _with_biases((2, 3, 2), 2, np.array([0.5, -1.0]), np.array([0.7, 0.1]))],
          slope_of=error_of_biases,
          hint="Forward: sops.append(activs[-1] @ w + b) (eq. 1b). Backward: the bias of layer step l "
               "gets the delta of layer l + 1 (eq. 8), so grads_b[l] = delta before delta moves down.")
def bias_gradients(biases, weights, x, target):
    return Network(_sizes(weights), weights=weights, biases=biases).gradients(x, target).biases


def tanh_error(weights, x, target):
    """Error of a network whose every neuron computes tanh(SOP), no bias, for one sample."""
    activ = np.asarray(x, dtype=float)
    for w in weights:
        activ = np.tanh(activ @ np.asarray(w, dtype=float))
    return float(np.sum((activ - target) ** 2))


def _tanh_weights(sizes, seed):
    rng = np.random.default_rng(seed)
    return [rng.uniform(-1.0, 1.0, (a, b)) for a, b in zip(sizes[:-1], sizes[1:])]


@exercise("06.4", inputs=[(_tanh_weights(SIZES, 0), X, np.array([TARGET])),
                          (_tanh_weights((3, 4, 3, 1), 1), np.array([0.1, 0.4, 4.1]), np.array([-0.5])),
                          (_tanh_weights((2, 3, 2), 2), np.array([0.5, -1.0]), np.array([0.7, -0.1]))],
          slope_of=tanh_error,
          hint="Activ = tanh(SOP), and its slope is 1 - tanh(SOP)**2 = 1 - Activ**2: use it in the "
               "output delta (in place of g2) and in every delta one layer down (in place of sigma').")
def backprop_tanh(weights, x, target):
    sops, activs = [], [np.asarray(x, dtype=float)]
    for w in weights:
        sops.append(activs[-1] @ w)
        activs.append(np.tanh(sops[-1]))
    delta = 2 * (activs[-1] - target) * (1 - activs[-1] ** 2)
    grads = [None] * len(weights)
    for l in reversed(range(len(weights))):
        grads[l] = np.outer(activs[l], delta)
        if l > 0:
            delta = (delta @ weights[l].T) * (1 - activs[l] ** 2)
    return grads
