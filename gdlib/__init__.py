"""gdlib: the small library behind "Gradient Descent from Scratch".

Each name below is taught by hand in a notebook first; gdlib then does the same
thing in one call. Modules, in the order the course meets them:

- ``chain_rule``: sigmoid, error and the g factors (notebook 01)
- ``gradient_check``: slopes by finite differences (notebook 01)
- ``training``: ``train`` and its ``History`` (notebook 01)
- ``exercises``: ``check`` for the exercises (notebook 00); answers in ``answers/``
- ``network``: ``Network`` of any layer sizes and its ``backprop`` (notebooks 01-05)
- ``fast_training``: the same training loop compiled by numba, for the sliders
- ``plots``, ``drawing``: curves per iteration and network drawings (notebook 01)
- ``downsample``, ``live_figure``, ``widgets``: min/max envelopes, a fast reusable
  figure, and the training explorer (notebook 01)
- ``validation``: the checks behind every clear error message
- ``datasets``, ``boundary``: XOR, two moons and decision boundaries (notebook 05)
"""

from .boundary import boundary_explorer, plot_decision_boundary
from .chain_rule import (
    error,
    error_predicted_deriv,
    sigmoid,
    sigmoid_sop_deriv,
    sop_w_deriv,
    update_w,
)
from .datasets import two_moons, xor_data
from .downsample import envelope
from .drawing import draw_network
from .exercises import NotYetDone, check
from .gradient_check import compare_gradients, numerical_gradients, relative_difference
from .network import ForwardPass, Gradients, Network
from .plots import plot_history
from .training import History, train
from .widgets import explorer

__all__ = [
    "boundary_explorer", "draw_network", "envelope", "explorer", "plot_decision_boundary",
    "plot_history", "two_moons", "xor_data",
    "ForwardPass", "Gradients", "History", "Network", "NotYetDone",
    "check", "compare_gradients", "error", "error_predicted_deriv",
    "numerical_gradients", "relative_difference", "sigmoid", "sigmoid_sop_deriv",
    "sop_w_deriv", "train", "update_w",
]
