"""Exercises of notebook 03_hidden_layer: the 3-2-1 network of the series' Part 3."""

import numpy as np

from ..chain_rule import sigmoid_sop_deriv
from ..exercises import exercise
from ..network import Network
from ..training import train

#: The notebook's example: three inputs, target 0.2, start weights from seed 0.
X = np.array([0.1, 0.4, 4.1])
TARGET = 0.2
SEED = 0
#: Exercises 03.1 and 03.2 change the third input from 4.1 to 0.41.
X_SMALL = np.array([0.1, 0.4, 0.41])


def _start():
    """The notebook's 3-2-1 network at its start weights."""
    return Network((3, 2, 1), seed=SEED)


@exercise("03.1", hint="SOP1 = X1 W11 + X2 W21 + X3 W31 with X3 = 0.41 (eq. 1), "
                       "then g4 = sigmoid(SOP1) (1 - sigmoid(SOP1)) (eq. 14), at SOP1.")
def g4_of_hidden_neuron_1_with_small_x3():
    sops = _start().forward(X_SMALL).sops[0]  # (1, 2): SOP1, SOP2
    return float(sigmoid_sop_deriv(sops[0, 0]))


@exercise("03.2", hint="Run the forward pass with the new x (eqs. 1-6), then multiply "
                       "g1 = 2 (predicted - target), g2 = sigmoid'(SOP_out) and g3 = Activ1.")
def gradient_of_w41_with_small_x3():
    return float(_start().gradients(X_SMALL, TARGET).weights[1][0, 0])  # W41 = weights[1][0, 0]


@exercise("03.3", hint="gdlib.train(net, x, target, learning_rate=0.001, iterations=1_000) returns a "
                       "History; predict with its .network (predictions[-1] is before the last update).")
def prediction_after_1000_iterations():
    run = train(_start(), X, TARGET, learning_rate=0.001, iterations=1_000)
    return float(run.network.predict(X)[0])


@exercise("03.4", hint="Train 1,000 iterations at each rate and look at history.predictions.min(); "
                       "the answer is one of the four rates.")
def smallest_overshooting_learning_rate():
    for rate in (3, 6, 9, 12):
        run = train(_start(), X, TARGET, learning_rate=rate, iterations=1_000)
        if run.predictions.min() < TARGET - 0.001:
            return rate
    raise AssertionError("none of the learning rates overshoots: the example has changed")
