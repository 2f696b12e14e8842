"""Exercises of notebook 01_one_input_one_output: one input, one weight, one output."""

import numpy as np

from ..chain_rule import sigmoid_sop_deriv
from ..exercises import exercise
from ..network import Network
from ..training import train

X = 0.1  # the notebook's input
TARGET = 0.3  # and target


def _start():
    """The notebook's seeded starting network, ``Network((1, 1), seed=0)``."""
    return Network((1, 1), seed=0)


@exercise("01.1", hint="eq. 7: sigmoid(SOP) * (1 - sigmoid(SOP)), with SOP = -1.5 (gdlib.sigmoid_sop_deriv).")
def g2_at_sop():
    return sigmoid_sop_deriv(-1.5)


@exercise("01.2", hint="First the forward pass at W = -2 (SOP = X * W, predicted = sigmoid(SOP)), "
                       "then g1, g2 (at the SOP) and g3 = X from eqs. 6-8, multiplied.")
def gradient_at_minus_two():
    return Network((1, 1), weights=[[[-2.0]]]).gradients(X, TARGET).weights[0][0, 0]


@exercise("01.3", hint="history.predictions[-1] is the prediction before the last update; "
                       "use history.network.predict(x)[0], the trained network's prediction.")
def prediction_after_2000_updates():
    history = train(_start(), X, TARGET, learning_rate=2.0, iterations=2000)
    return history.network.predict(X)[0]


@exercise("01.4", hint="Train 1,000 iterations at each rate in turn and test "
                       "np.any(history.predictions < target); answer the first rate where it is True.")
def first_overshooting_rate():
    for rate in (1, 10, 100, 1000, 10000):
        history = train(_start(), X, TARGET, learning_rate=rate, iterations=1000)
        if np.any(history.predictions < TARGET):
            return float(rate)
    raise AssertionError("none of the rates overshoots: the example has changed")
