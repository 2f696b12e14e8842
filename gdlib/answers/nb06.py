"""Exercises of notebook 05_any_architecture (any depth, bias, XOR)."""

import numpy as np

from ..datasets import xor_data
from ..exercises import exercise
from ..network import Network
from ..training import train


@exercise("05.1", hint="Keep every SOP and Activ; delta = g1 g2 at the output (eq. 6), "
                       "then (delta @ W.T) * sigma'(SOP) one layer down (eq. 7); dE/dW(0) = outer(x, delta).")
def first_layer_gradient():
    return Network((2, 3, 2, 1), seed=5).gradients(np.array([0.5, -1.0]), 0.7).weights[0]


@exercise("05.2", hint="The prediction is 0.5 where SOP = X W + b = 0 (eq. 8).")
def switch_point():
    net = Network((1, 1), weights=[[[2.0]]], biases=[[-3.0]])
    return -net.biases[0][0] / net.weights[0][0, 0]


@exercise("05.3", hint="g1 = 2 (0.5 - 0.2), g2 = sigma'(0) = 0.25, and dSOP/db = 1 (eq. 9).")
def bias_gradient_at_zero():
    return Network((1, 1), seed=0, bias=True).gradients(0.0, 0.2).biases[0][0]


@exercise("05.4", hint="history.predictions has shape (iterations, 4, 1): compare it with 0.5, compare that "
                       "with the targets, and find the first iteration where all four agree (np.argmax).")
def first_iteration_all_right():
    x, target = xor_data()
    history = train(Network((2, 2, 1), seed=0, bias=True), x, target, learning_rate=1.0, iterations=3_000)
    all_right = np.all((history.predictions > 0.5) == (target == 1), axis=(1, 2))
    return int(np.argmax(all_right))
