"""Exercises of notebook 02_many_inputs: two, ten and any number of inputs."""

import numpy as np

from ..exercises import exercise
from ..network import Network
from ..training import train

X = np.array([0.1, 0.4])  # the notebook's two inputs X1, X2
TARGET = 0.3
X_TEN = np.random.default_rng(10).random(10)  # its ten inputs, seeded as in the notebook
X_WIDE = np.array([0.1, 40.0])  # its badly scaled inputs


@exercise("02.1", hint="Forward pass with SOP = np.dot(x, w), then g1 * g2 * x (eq. 12): "
                       "one array of two numbers.")
def gradient_vector():
    return Network((2, 1), weights=[[[0.5], [-0.2]]]).gradients(X, TARGET).weights[0][:, 0]


@exercise("02.2", hint="Every step moves W_i by learning_rate * g1 * g2 * X_i (eq. 10): "
                       "compare X3 with X1.")
def change_ratio():
    start = Network((3, 1), seed=3)
    history = train(start, np.array([0.2, 0.6, 1.0]), TARGET, learning_rate=0.5, iterations=1000)
    change = history.network.weights[0][:, 0] - start.weights[0][:, 0]
    return change[2] / change[0]


@exercise("02.3", hint="history.network.predict(x10)[0] is the prediction after the last update; "
                       "history.predictions[-1] is the one before it.")
def ten_inputs_after_20_updates():
    history = train(Network((10, 1), seed=1), X_TEN, TARGET, learning_rate=0.1, iterations=20)
    return history.network.predict(X_TEN)[0]


@exercise("02.4", hint="Train 10,000 iterations at each rate and compare history.final_error; "
                       "answer the rate itself, not the error.")
def best_rate_for_wide_inputs():
    rates = (0.001, 0.01, 0.1, 1.0)
    errors = [train(Network((2, 1), seed=0), X_WIDE, TARGET, learning_rate=rate,
                    iterations=10000).final_error for rate in rates]
    return float(rates[int(np.argmin(errors))])
