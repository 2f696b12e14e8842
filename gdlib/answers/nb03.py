"""Exercises of notebook 03_hidden_layer: the 3-2-1 network of the series' Part 3, by hand.

Lesson blanks ("03.g3", "03.g4", "03.g5", "03.hidden_gradients", "03.step"): the new
chain-rule factors of a hidden weight, the six hidden gradients and the update order.
Exercises "03.1" to "03.4" at the end of the notebook.
"""

import numpy as np

from ..chain_rule import sigmoid, sigmoid_sop_deriv
from ..exercises import exercise
from ..network import Network
from ..training import train

#: The notebook's example: three inputs, target 0.2, start weights from seed 0.
X = np.array([0.1, 0.4, 4.1])
TARGET = 0.2
SEED = 0
LEARNING_RATE = 0.001
#: Exercises 03.1 and 03.2 change the third input from 4.1 to 0.41.
X_SMALL = np.array([0.1, 0.4, 0.41])


def _start():
    """The notebook's 3-2-1 network at its start weights."""
    return Network((3, 2, 1), seed=SEED)


def _net(w_hidden, w_out):
    """The n-2-1 network with hidden weights ``w_hidden`` (n, 2) and output weights ``w_out`` (2,)."""
    w_hidden = np.asarray(w_hidden, dtype=float)
    return Network((len(w_hidden), 2, 1), weights=[w_hidden, np.reshape(w_out, (2, 1))])


# Inputs the lesson's functions are tried on: the notebook's start, and others of other sizes.
_W_HIDDEN, _W_OUT = _start().weights[0], _start().weights[1][:, 0]
_OTHER = Network((4, 2, 1), seed=7)
_X_OTHER = np.array([0.5, -1.0, 2.0, 0.3])
_W_HIDDEN_OTHER, _W_OUT_OTHER = _OTHER.weights[0] - 0.5, _OTHER.weights[1][:, 0] - 0.5


# --------------------------------------------------------------------------- lesson blanks

def sop_out(activ, w_out):
    """SOP_out = Activ1 W41 + Activ2 W42 (eq. 5), as a function of the activations first."""
    return np.dot(activ, w_out)


def sop_j(w_j, x):
    """SOP_j = X1 W1j + ... + Xn Wnj (eqs. 1, 3), as a function of the weights into neuron j first."""
    return np.dot(x, w_j)


def error_of_hidden_weights(w_hidden, w_out, x, target):
    """The Error as a function of the hidden weights W_zj (n, 2), the rest held fixed."""
    return _net(w_hidden, w_out).error(x, target)


@exercise("03.g3", inputs=[(np.array([0.968154, 0.977597]), _W_OUT),
                           (np.array([0.2, 0.9]), np.array([-1.5, 2.0])),
                           (np.array([0.5, 0.5]), np.array([0.0, 3.0]))],
          slope_of=sop_out,
          hint="eq. 13: in SOP_out = Activ1 W41 + Activ2 W42 (eq. 5), what multiplies Activ_j? "
               "Return the two of them, shape (2,); Activ itself is g3 of the OUTPUT weights (eq. 11).")
def g3_hidden(Activ, W_out):
    return np.asarray(W_out, dtype=float).copy()


@exercise("03.g4", inputs=[3.414494, np.array([3.414494, 3.775888]), 0.0, np.array([-2.0, 13.0])],
          slope_of=sigmoid, atol=1e-12,
          hint="eq. 14: sigmoid(SOP_j) * (1 - sigmoid(SOP_j)), at the hidden neuron's own SOP "
               "(gdlib.sigmoid_sop_deriv, or with gdlib.sigmoid).")
def g4_hidden(SOP):
    return sigmoid_sop_deriv(SOP)


@exercise("03.g5", inputs=[(_W_HIDDEN[:, 0], X), (_W_HIDDEN_OTHER[:, 1], _X_OTHER),
                           (np.array([0.2, 0.3]), np.array([-1.0, 4.0]))],
          slope_of=sop_j,
          hint="eq. 15: in SOP_j = X1 W1j + X2 W2j + X3 W3j, W_zj is multiplied by X_z: "
               "return the inputs, one per weight, shape (n,).")
def g5_hidden(W_j, x):
    return np.asarray(x, dtype=float).copy()


@exercise("03.hidden_gradients",
          inputs=[(_W_HIDDEN, _W_OUT, X, TARGET), (_W_HIDDEN, _W_OUT, X_SMALL, 0.7),
                  (_W_HIDDEN_OTHER, _W_OUT_OTHER, _X_OTHER, 0.9)],
          slope_of=error_of_hidden_weights, atol=1e-12,
          hint="eq. 12, column j: g1 * g2 * g3[j] * g4[j] * g5, with g5 the inputs (n,), "
               "g3 = g3_hidden(...) and g4 = g4_hidden(SOP) for both neurons; stack the columns, "
               "shape (n, 2).")
def hidden_gradients(W_hidden, W_out, x, target):
    return _net(W_hidden, W_out).gradients(x, target).weights[0]


@exercise("03.step",
          inputs=[(_W_HIDDEN, _W_OUT, X, TARGET, 20.0), (_W_HIDDEN, _W_OUT, X, TARGET, LEARNING_RATE),
                  (_W_HIDDEN_OTHER, _W_OUT_OTHER, _X_OTHER, 0.9, 5.0)],
          hint="first BOTH gradients at the weights you were given (output_gradients, hidden_gradients), "
               "then the new weights with gdlib.update_w (eq. 18): the hidden gradients need the OLD "
               "W41, W42.")
def hand_step(W_hidden, W_out, x, target, learning_rate):
    run = train(_net(W_hidden, W_out), x, target, learning_rate=learning_rate, iterations=1)
    return run.network.weights[0], run.network.weights[1][:, 0]


# --------------------------------------------------------------------------- exercises

@exercise("03.1", hint="SOP1 = X1 W11 + X2 W21 + X3 W31 with X3 = 0.41 (eq. 1), "
                       "then g4 = sigmoid(SOP1) (1 - sigmoid(SOP1)) (eq. 14), at SOP1.")
def g4_of_hidden_neuron_1_with_small_x3():
    sops = _start().forward(X_SMALL).sops[0]  # (1, 2): SOP1, SOP2
    return float(sigmoid_sop_deriv(sops[0, 0]))


def error_with_tanh_hidden(w_hidden, w_out, x, target):
    """The Error of the n-2-1 network whose hidden neurons use tanh (the output keeps the sigmoid)."""
    predicted = sigmoid(np.dot(np.tanh(np.dot(x, w_hidden)), w_out))
    return (predicted - target) ** 2


@exercise("03.2", inputs=[(_W_HIDDEN, _W_OUT, X, TARGET), (_W_HIDDEN, _W_OUT, X_SMALL, TARGET),
                          (_W_HIDDEN_OTHER, _W_OUT_OTHER, _X_OTHER, 0.9)],
          slope_of=error_with_tanh_hidden, atol=1e-12,
          hint="only g4 changes: 1 - tanh(SOP_j)**2 at each hidden SOP; g1, g2 (the output is still a "
               "sigmoid), g3 = W_out and g5 = x stay. Column j: g1 * g2 * g3[j] * g4[j] * x.")
def hidden_gradients_tanh(W_hidden, W_out, x, target):
    sop = np.dot(x, W_hidden)
    activ = np.tanh(sop)
    predicted = sigmoid(np.dot(activ, W_out))
    delta_out = 2 * (predicted - target) * predicted * (1 - predicted)
    return np.outer(x, delta_out * np.asarray(W_out, dtype=float) * (1 - activ**2))


def error_of_weights(weights, x, target):
    """The Error as a function of both weight arrays, in gdlib's layout [(n, 2), (2, 1)]."""
    return Network((len(weights[0]), 2, 1), weights=weights).error(x, target)


@exercise("03.3", inputs=[(_start().weights, X, TARGET), (_start().weights, X_SMALL, 0.7),
                          ([_W_HIDDEN_OTHER, _W_OUT_OTHER[:, None]], _X_OTHER, 0.9)],
          slope_of=error_of_weights, atol=1e-12,
          hint="delta_out = g1 g2 (eq. 16); delta_hidden = delta_out * W_out * g4 for both neurons (eq. 17); "
               "then dE/dW_zj = X_z delta_j (np.outer(x, delta_hidden)) and dE/dW4j = Activ_j delta_out, "
               "shape (2, 1).")
def gradients_with_deltas(weights, x, target):
    return Network((len(weights[0]), 2, 1), weights=weights).gradients(x, target).weights


@exercise("03.4", hint="history = gdlib.train(net, x, target, learning_rate=0.001, iterations=80_000); "
                       "history.errors[k] is the error at iteration k; find the first k with "
                       "errors[k] < 1e-3 "
                       "(np.flatnonzero(...)[0], or np.argmax on the boolean array).")
def first_iteration_below_1e_3():
    run = train(_start(), X, TARGET, learning_rate=LEARNING_RATE, iterations=80_000)
    return int(np.flatnonzero(run.errors < 1e-3)[0])
