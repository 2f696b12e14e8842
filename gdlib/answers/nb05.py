"""Exercises of notebook 04_any_hidden_width (the 3-5-1 example of the series' Part 4)."""

import numpy as np

from ..exercises import exercise
from ..network import Network
from ..training import train

X = np.array([0.1, 0.4, 4.1])
TARGET = 0.2
LEARNING_RATE = 0.001


@exercise("04.1", hint="Count each layer step: inputs times hidden, then hidden times outputs.")
def weight_count():
    return sum(w.size for w in Network((10, 7, 1), seed=0).weights)


@exercise("04.2", hint="dE/dW_zy = X_z * delta_y (eq. 10) with delta = g1 g2 * w_out * sigma'(SOP_hidden); "
                       "W_23 is row 1, column 2 counted from 0.")
def gradient_w23():
    return Network((3, 5, 1), seed=0).gradients(X, TARGET).weights[0][1, 2]


@exercise("04.3", hint="Train one network per width with gdlib.train and compare history.final_error; "
                       "answer with the width itself (1 to 10), not its position in a list.")
def best_width():
    errors = [train(Network((3, width, 1), seed=0), X, TARGET, learning_rate=LEARNING_RATE,
                    iterations=80_000).final_error for width in range(1, 11)]
    return 1 + int(np.argmin(errors))


@exercise("04.4", hint="Neurons 2 to 5 start identical, so they stay identical; only neuron 1 differs.")
def distinct_neurons():
    start = np.full((3, 5), 0.5)
    start[0, 0] = 0.6
    run = train(Network((3, 5, 1), weights=[start, np.full((5, 1), 0.5)]), X, TARGET,
                learning_rate=LEARNING_RATE, iterations=1_000)
    neurons = np.vstack([run.network.weights[0], run.network.weights[1].T])  # one column per neuron
    return len({tuple(np.round(neurons[:, y], 12)) for y in range(neurons.shape[1])})
