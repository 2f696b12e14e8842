"""Exercises of notebook 01_one_input_one_output: one input, one weight, one output.

The lesson's blanks ("01.sigmoid" ... "01.update_w") are the chain-rule pieces the learner
writes, checked against ``gdlib.chain_rule``; the exercises "01.1" ... "01.4" come at the end.
"""

import numpy as np

from .. import chain_rule
from ..exercises import exercise
from ..network import Network
from ..training import train

X = 0.1  # the notebook's input
TARGET = 0.3  # and target
ARRAY = np.array([-1.0, 0.0, 1.0])  # each piece works element by element on an array too


def _start_weight():
    """The notebook's seeded start weight W, ``np.random.default_rng(0).random()`` (0.636962)."""
    return float(np.random.default_rng(0).random())


# --------------------------------------------------------------------------- the lesson's blanks

@exercise("01.sigmoid", inputs=[0.0, 2.0, -3.5, ARRAY],
          hint="eq. 2: 1 / (1 + np.exp(-sop)); np.exp works on a number and on an array.")
def sigmoid(sop):
    return chain_rule.sigmoid(sop)


@exercise("01.error", inputs=[(0.515919, TARGET), (0.2, TARGET), (ARRAY, 0.5)],
          hint="eq. 3: the square of (predicted - target), written (predicted - target) ** 2.")
def error(predicted, target):
    return chain_rule.error(predicted, target)


@exercise("01.g1", inputs=[(0.515919, TARGET), (0.2, TARGET), (ARRAY, 0.5)], slope_of=chain_rule.error,
          hint="eq. 6: g1 = 2 * (predicted - target), the slope of the square u**2, which is 2u.")
def error_predicted_deriv(predicted, target):
    return chain_rule.error_predicted_deriv(predicted, target)


@exercise("01.g2", inputs=[0.0, 2.0, -3.5, ARRAY], slope_of=chain_rule.sigmoid,
          hint="eq. 7: sigmoid(sop) * (1 - sigmoid(sop)), at the SOP, with your sigmoid.")
def sigmoid_sop_deriv(sop):
    return chain_rule.sigmoid_sop_deriv(sop)


@exercise("01.g3", inputs=[X, -2.0, ARRAY],
          hint="eq. 8: SOP = X * W grows by X for each unit of W, so g3 is the input x itself.")
def sop_w_deriv(x):
    return chain_rule.sop_w_deriv(x)


@exercise("01.update_w", inputs=[(0.636962, 0.010785, 0.01), (-2.0, 0.5, 0.1), (ARRAY, ARRAY, 2.0)],
          hint="eq. 9: a step against the slope, w - learning_rate * grad.")
def update_w(w, grad, learning_rate):
    return chain_rule.update_w(w, grad, learning_rate)


@exercise("01.g2_at_prediction", inputs=[0.0, 0.063696, -3.5, ARRAY],
          hint="The series passes the prediction, sigmoid(sop), to the sigmoid's derivative: "
               "sigmoid_sop_deriv(sigmoid(sop)).")
def g2_at_prediction(sop):
    return chain_rule.sigmoid_sop_deriv(chain_rule.sigmoid(sop))


# --------------------------------------------------------------------------- the exercises

def error_at(w, x, target):
    """The error of the one-weight neuron if its weight were ``w`` (eqs. 1-3)."""
    return chain_rule.error(chain_rule.sigmoid(x * w), target)


@exercise("01.1", inputs=[(-2.0, X, TARGET), (0.636962, X, TARGET), (3.0, 0.5, 0.9), (-1.0, 2.0, 0.2)],
          slope_of=error_at,
          hint="Forward pass first (sop = x * w, predicted = sigmoid(sop)), then g1 (eq. 6), g2 at the "
               "SOP (eq. 7) and g3 = x (eq. 8), and return their product (eq. 5).")
def gradient(w, x, target):
    return Network((1, 1), weights=[[[w]]]).gradients(x, target).weights[0][0, 0]


@exercise("01.2", inputs=[(0.636962, X, TARGET, 0.5, 0.01), (0.636962, X, TARGET, 5.0, 0.01),
                          (-2.0, X, TARGET, 20.0, 0.001), (1.0, 2.0, 0.8, 0.5, 0.001)],
          hint="Loop: forward pass; if abs(predicted - target) < tolerance, return the count; otherwise "
               "one step, w = update_w(w, g1 * g2 * g3, learning_rate), and count it.")
def updates_to_reach(w, x, target, learning_rate, tolerance, max_updates=100_000):
    iterations = min(max_updates, 10_000)  # the inputs above all get there well within 10,000
    history = train(Network((1, 1), weights=[[[w]]]), x, target, learning_rate=learning_rate,
                    iterations=iterations)
    close = np.abs(history.predictions[:, 0] - target) < tolerance  # predictions[k]: after k updates
    if close.any():
        return int(np.argmax(close))
    if max_updates <= iterations:
        return None  # not within the tolerance after max_updates updates
    raise AssertionError("the run never gets within the tolerance: the example has changed")


def tanh_error_at(w, x, target):
    """The error of a one-weight neuron whose activation is tanh instead of the sigmoid."""
    return chain_rule.error(np.tanh(x * w), target)


@exercise("01.3", inputs=[(0.636962, X, TARGET), (-2.0, X, TARGET), (3.0, 0.5, -0.4), (1.0, 2.0, 0.2)],
          slope_of=tanh_error_at,
          hint="Only g2 changes: g1 = 2 * (predicted - target) with predicted = np.tanh(sop), "
               "g2 = 1 - np.tanh(sop) ** 2 at the SOP, g3 = x.")
def tanh_gradient(w, x, target):
    sop = x * w
    predicted = np.tanh(sop)
    g2 = 1 - predicted**2  # tanh'(SOP) = 1 - tanh(SOP)**2
    return chain_rule.error_predicted_deriv(predicted, target) * g2 * chain_rule.sop_w_deriv(x)


@exercise("01.4", rtol=5e-3,
          hint="Bisection: keep a rate that does not overshoot (794.3) and one that does (891.3); try the "
               "middle with gdlib.train and keep the half where the switch lies, until they agree to 0.5 %.")
def overshoot_threshold():
    # The first step lands exactly on the target when W - rate * gradient(W) is the weight
    # whose prediction is the target: sigmoid(X * w) = TARGET, so w = log(t / (1 - t)) / X.
    w = _start_weight()
    on_target = np.log(TARGET / (1 - TARGET)) / X
    return float((w - on_target) / gradient(w, X, TARGET))
