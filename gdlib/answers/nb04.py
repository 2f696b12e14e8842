"""Exercises of notebook 04_ten_inputs_and_learning_rates: the 10-2-1 network of the series' Part 3.

Lesson blanks ("04.grad_hidden", "04.relative_difference"): the 20 hidden gradients in vector
form, and the relative difference that ``compare_gradients`` prints. Exercises "04.1" to "04.3"
at the end of the notebook (04.1: the series' ten-input step with its aliasing fixed; 04.2: the delta
of hidden neuron 2).
"""

import numpy as np

from ..exercises import exercise
from ..gradient_check import relative_difference as _relative_difference
from ..network import Network
from ..training import train

#: The notebook's examples: ten inputs (and notebook 03's three), target 0.2, start weights from seed 0.
X10 = np.array([0.1, 0.4, 4.1, 4.3, 1.8, 2.0, 0.01, 0.9, 3.8, 1.6])
X3 = np.array([0.1, 0.4, 4.1])
TARGET = 0.2
SEED = 0
LEARNING_RATE = 0.001
ITERATIONS = 80_000


def _start10():
    """The notebook's 10-2-1 network at its start weights."""
    return Network((10, 2, 1), seed=SEED)


# --------------------------------------------------------------------------- lesson blanks

@exercise("04.grad_hidden", atol=1e-15,
          hint="eq. 2: grad_w1 = g1 * g2 * g3[0] * g4[0] * g5 with g5 = x10, the whole input vector; "
               "grad_w2 the same with g3[1] and g4[1].")
def hidden_gradients_10_inputs():
    return _start10().gradients(X10, TARGET).weights[0].T  # row j: dE/dW1j ... dE/dW10,j


_A = _start10().gradients(X10, TARGET).weights[0]


@exercise("04.relative_difference",
          inputs=[(np.array([3.0, 4.0]), np.array([3.0, 4.5])), (_A, _A * 1.0003),
                  (np.array([[1.0, -2.0], [0.5, 0.0]]), np.array([[1.5, -2.0], [0.0, 0.25]]))],
          hint="np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)): |v| is the length of all "
               "the numbers of v taken as one vector, not the sum of their absolute values.")
def relative_difference(a, b):
    return _relative_difference(a, b)


# --------------------------------------------------------------------------- exercises

def _fixed_step_inputs():
    """Start weights in the series' arrays (w1_10, w2_10, w3_2) for notebook 03's and 04's examples."""
    cases = []
    for x, rate in ((X3, 20.0), (X10, 20.0), (X3, LEARNING_RATE)):
        net = Network((len(x), 2, 1), seed=SEED)
        cases.append((net.weights[0][:, 0], net.weights[0][:, 1], net.weights[1][:, 0], x, TARGET, rate))
    return cases


@exercise("04.1", inputs=_fixed_step_inputs(), atol=1e-15,
          hint="keep a copy of the output weights of this forward pass.")
def fixed_step(w1_10, w2_10, w3_2, x, target, learning_rate):
    net = Network((len(x), 2, 1), weights=[np.column_stack([w1_10, w2_10]), np.reshape(w3_2, (2, 1))])
    grad_hidden = net.gradients(x, target).weights[0]
    new = train(net, x, target, learning_rate=learning_rate, iterations=1).network.weights
    return new[0][:, 0], new[0][:, 1], new[1][:, 0], grad_hidden


@exercise("04.2", atol=1e-15,
          hint="delta_2 = dError/dSOP_2: the factors of eq. (2) for hidden neuron 2 from the Error down to "
               "SOP_2, without g5 (the step from SOP_2 to a weight); use the variables, not the printout.")
def delta_of_hidden_neuron_2():
    # With a bias b_j of 0 on each hidden neuron, dError/db_j = dError/dSOP_j = delta_j.
    start = _start10()
    with_bias = Network((10, 2, 1), weights=start.weights, bias=True, biases=[np.zeros(2), np.zeros(1)])
    return float(with_bias.gradients(X10, TARGET).biases[0][1])


@exercise("04.3", hint="history = gdlib.train(net10, x10 / 10, target, learning_rate=0.001, "
                       "iterations=80_000); "
                       "then np.max(np.abs(history.network.weights[0] - net10.weights[0])).")
def largest_hidden_move_with_scaled_inputs():
    start = _start10()
    run = train(start, X10 / 10, TARGET, learning_rate=LEARNING_RATE, iterations=ITERATIONS)
    return float(np.max(np.abs(run.network.weights[0] - start.weights[0])))
