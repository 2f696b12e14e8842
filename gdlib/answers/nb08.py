"""Exercises of notebook 08_error_surface: the gradient over (W, b), momentum, the learning-rate scan.

The notebook's neuron is a 1-1 neuron with bias on ``valley_data()``: a point of the plane is
``wb = (W, b)``, shape ``(2,)``; ``x`` and ``target`` have shape ``(m, 1)``. Exercises 08.1 and
08.2 use a 2-1 neuron without bias: ``w = (W1, W2)``, samples ``x`` of shape ``(m, 2)``.
"""

import numpy as np

from ..datasets import xor_data
from ..drawing.surface import VALLEY_START, valley_data
from ..exercises import exercise
from ..network import Network
from ..training import train

#: The notebook's data and start: (W, b) = (-1, 5.5).
X, TARGET = valley_data()
START = Network((1, 1), weights=[[[VALLEY_START[0]]]], biases=[[VALLEY_START[1]]])
#: Other samples for the checks: four inputs, a fitted neuron would need W < 0.
X_OTHER = np.array([[-1.0], [0.5], [1.5], [2.0]])
T_OTHER = np.array([[0.9], [0.6], [0.3], [0.25]])
#: Exercises 08.1 and 08.2: three samples of two inputs for a 2-1 neuron without bias.
X_21 = np.array([[1.0, 4.0], [2.0, 3.0], [3.0, 5.0]])
T_21 = np.array([[0.3], [0.6], [0.5]])
#: The notebook's scan (08.3): the explorer's learning-rate notches from 0.1 to 10, 2,000 iterations,
#: counted until E falls below 1e-4 for good.
RATES = 10 ** (np.arange(-20, 21) / 20)
SCAN_ITERATIONS = 2_000
LEVEL = 1e-4


def _neuron(wb):
    return Network((1, 1), weights=[[[float(wb[0])]]], biases=[[float(wb[1])]])


def error_of_wb(wb, x, target):
    """E (eq. 3) of the 1-1 neuron with bias at wb = (W, b): the mean over the samples."""
    return _neuron(wb).error(x, target)


@exercise("08.gradient",
          inputs=[(np.array([-1.0, 5.5]), X, TARGET), (np.array([1.0, -4.0]), X, TARGET),
                  (np.array([0.3, -0.2]), X_OTHER, T_OTHER)],
          slope_of=error_of_wb,
          hint="eq. 4: the mean over the samples of g1 * g2 * x for W, and of g1 * g2 for b: "
               "np.array([np.mean(g1 * g2 * x), np.mean(g1 * g2)]).")
def gradient(wb, x, target):
    grads = _neuron(wb).gradients(x, target)
    return np.array([grads.weights[0][0, 0], grads.biases[0][0]])


@exercise("08.descend_with_momentum",
          inputs=[(-1.0, 5.5, X, TARGET, 10**0.1, 0.9, 60), (-1.0, 5.5, X, TARGET, 0.5, 0.0, 40),
                  (0.3, -0.2, X_OTHER, T_OTHER, 1.0, 0.5, 30)],
          hint="In the loop, first velocity = beta * velocity + gradient(wb, x, target) (eq. 7), then "
               "wb = wb - learning_rate * velocity (eq. 8); the velocity is made once, before the loop.")
def descend_with_momentum(w, b, x, target, learning_rate, beta, iterations):
    run = train(_neuron((w, b)), x, target, learning_rate=learning_rate, iterations=iterations, momentum=beta,
                record_parameters=True)
    return run.parameters


def error_2_1(w, x, target):
    """E of the 2-1 neuron without bias with weights w = (W1, W2), the mean over the samples."""
    return Network((2, 1), weights=[np.reshape(np.asarray(w, dtype=float), (2, 1))]).error(x, target)


@exercise("08.1",
          inputs=[(np.array([0.5, -0.5]), X_21, T_21), (np.array([-1.0, 0.8]), X_21, T_21),
                  (np.array([0.2, 0.1]), xor_data()[0], xor_data()[1])],
          slope_of=error_2_1,
          hint="SOP_s = x[s, 0] W1 + x[s, 1] W2 (that is x @ w); g1 and g2 per sample as in eq. 4; the "
               "gradient of W_z is the mean of g1 * g2 * x[:, z]: np.mean(g1 * g2 * x, axis=0).")
def gradient_w1_w2(w, x, target):
    return Network((2, 1), weights=[np.reshape(w, (2, 1))]).gradients(x, target).weights[0][:, 0]


def _sizes(weights):
    """The layer sizes a list of weight matrices belongs to: (2, 3, 1) for shapes (2, 3), (3, 1)."""
    return (np.shape(weights[0])[0],) + tuple(np.shape(w)[1] for w in weights)


@exercise("08.2",
          inputs=[([np.array([[0.5], [-0.5]])], X_21, T_21, 0.5, 0.9, 40),
                  (Network((2, 3, 1), seed=0).weights, xor_data()[0], xor_data()[1], 1.0, 0.8, 25),
                  ([np.array([[0.2], [0.1]])], X_21, T_21, 0.3, 0.0, 10)],
          hint="The velocity must live across the steps: make it once, before the loop "
               "([np.zeros_like(w) for w in weights]), and only update it inside (eq. 7).")
def descend_mended(weights, x, target, learning_rate, beta, iterations):
    run = train(Network(_sizes(weights), weights=weights), x, target, learning_rate=learning_rate,
                iterations=iterations, momentum=beta)
    return run.network.weights


def iterations_to_settle(errors, level=LEVEL):
    """The first iteration from which E stays below ``level`` to the end of the run; None if it never does."""
    above = np.flatnonzero(~(np.asarray(errors) < level))
    if len(above) == 0:
        return 0
    k = int(above[-1]) + 1
    return k if k < len(errors) else None


def fewest_iterations(beta):
    """(iterations, learning rate): the fewest iterations to E < 1e-4 for good over ``RATES``."""
    found = []
    for rate in RATES:
        run = train(START, X, TARGET, learning_rate=rate, iterations=SCAN_ITERATIONS, momentum=beta)
        k = iterations_to_settle(run.errors)
        if k is not None:
            found.append((k, rate))
    return min(found)


@exercise("08.3", hint="Loop over the momenta (0.5, 0.8, 0.9, 0.95, 0.99), call best_rate(beta) for each "
                       "(it returns iterations, learning rate) and pass the iterations of momentum 0.99.")
def iterations_at_momentum_099():
    return fewest_iterations(0.99)[0]
