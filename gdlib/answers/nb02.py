"""Exercises of notebook 02_many_inputs: two, ten and any number of inputs.

The functions the learner writes take ``(w, x, target)``: ``w`` and ``x`` of shape ``(n,)``
(the weights W1 .. Wn and the inputs X1 .. Xn), ``target`` a number; they return the
gradient, shape ``(n,)``. Each is also compared with the slopes of ``error_of`` (or
``error_of_tanh``) with respect to ``w``, measured by nudging.
"""

import numpy as np

from ..chain_rule import error, sigmoid
from ..exercises import exercise
from ..network import Network
from ..training import train

X = np.array([0.1, 0.4])  # the notebook's two inputs X1, X2
TARGET = 0.3
W_START = Network((2, 1), seed=0).weights[0][:, 0]  # its starting W1, W2
X_TEN = np.random.default_rng(10).random(10)  # its ten inputs, seeded as in the notebook
W_TEN = Network((10, 1), seed=1).weights[0][:, 0]  # and their starting weights

# the calls a learner's function is tried on: the notebook's examples, then others
TWO_INPUTS = [(W_START, X, TARGET), (np.array([0.5, -0.2]), X, TARGET),
              (np.array([-1.5, 2.0]), np.array([0.7, -0.3]), 0.8)]
ANY_INPUTS = [(W_START, X, TARGET), (W_TEN, X_TEN, TARGET),
              (np.array([0.3, -0.6, 0.9]), np.array([0.2, 0.6, 1.0]), 0.1)]


def error_of(w, x, target):
    """The error of a sigmoid neuron with weights ``w`` on the inputs ``x`` (eqs. 1-3)."""
    return error(sigmoid(np.dot(x, w)), target)


def error_of_tanh(w, x, target):
    """The error of the same neuron with tanh in place of the sigmoid (exercise 02.2)."""
    return (np.tanh(np.dot(x, w)) - target) ** 2


def _gradient(w, x, target):
    """dError/dW for one neuron, from gdlib's backward pass (``Network.gradients``)."""
    w = np.asarray(w, dtype=float)
    return Network((len(w), 1), weights=[w[:, None]]).gradients(x, target).weights[0][:, 0]


@exercise("02.gradient_two", inputs=TWO_INPUTS, slope_of=error_of,
          hint="g3 for W1 is X1 and g3 for W2 is X2 (eq. 7); each gradient is g1 * g2 * its own g3 (eq. 4).")
def gradient_two(w, x, target):
    return _gradient(w, x, target)


@exercise("02.measured_slopes", inputs=TWO_INPUTS + ANY_INPUTS[1:], slope_of=error_of,
          hint="eq. 9: (error_of(w + nudge, x, target) - error_of(w - nudge, x, target)) / (2 * h).")
def measured_slopes(w, x, target):
    return _gradient(w, x, target)


@exercise("02.gradient", inputs=ANY_INPUTS, slope_of=error_of,
          hint="SOP = np.dot(x, w) (eq. 12); the gradient vector is g1 * g2 * x (eq. 13), one line for all.")
def gradient(w, x, target):
    return _gradient(w, x, target)


@exercise("02.1", inputs=ANY_INPUTS, slope_of=error_of,
          hint="g3 of W_i is dSOP/dW_i: what does the SOP change by when W_i moves by one (eq. 7)?")
def gradient_loop(w, x, target):
    return _gradient(w, x, target)


@exercise("02.2", inputs=ANY_INPUTS, slope_of=error_of_tanh,
          hint="predicted = np.tanh(SOP); g1 = 2 (predicted - target) and g3 = X as before; "
               "only g2 changes: 1 - np.tanh(SOP) ** 2, at the SOP.")
def gradient_tanh(w, x, target):
    sop = np.dot(x, w)
    predicted = np.tanh(sop)
    return 2 * (predicted - target) * (1 - predicted**2) * np.asarray(x, dtype=float)


@exercise("02.3", hint="Every step moves W_i by learning_rate * g1 * g2 * X_i (eq. 11): compare X3 with X1.")
def change_ratio():
    start = Network((3, 1), seed=3)
    history = train(start, np.array([0.2, 0.6, 1.0]), TARGET, learning_rate=0.5, iterations=1000)
    change = history.network.weights[0][:, 0] - start.weights[0][:, 0]
    return change[2] / change[0]
