"""Exercises of notebook 00_start_here."""

from ..chain_rule import sigmoid
from ..exercises import exercise


@exercise("00.1", hint="sigmoid(0) sits exactly half-way between 0 and 1.")
def sigmoid_at_zero():
    return sigmoid(0.0)


@exercise("00.2", hint="Add the two values: gdlib.sigmoid(2.0) + gdlib.sigmoid(-2.0). "
                       "The sigmoid is symmetric: sigmoid(-s) = 1 - sigmoid(s).")
def sigmoid_pair():
    return sigmoid(2.0) + sigmoid(-2.0)
