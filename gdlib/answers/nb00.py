"""Exercises of notebook 00_start_here: how a blank and ``gdlib.check`` work."""

from ..chain_rule import sigmoid
from ..exercises import exercise


@exercise("00.sop", inputs=[(0.1, 0.636962), (2.0, -1.5), (-0.5, -4.0)],
          hint="SOP = X * W: the input times its weight, x * w.")
def sop(x, w):
    return x * w


@exercise("00.1", inputs=[(0.1, 0.636962), (0.0, 2.0), (2.0, -1.5), (-0.5, -4.0)],
          hint="the prediction is the sigmoid of the SOP: pass sop(x, w) to gdlib.sigmoid.")
def predicted(x, w):
    return sigmoid(sop(x, w))


@exercise("00.2", hint="Add the two values: gdlib.sigmoid(2.0) + gdlib.sigmoid(-2.0). "
                       "The sigmoid is symmetric: sigmoid(-s) = 1 - sigmoid(s).")
def sigmoid_pair():
    return sigmoid(2.0) + sigmoid(-2.0)
