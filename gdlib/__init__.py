"""gdlib: the small library behind "Gradient Descent from Scratch".

Each name below is written by hand in a notebook first; gdlib then does the same
thing in one call. The lesson, in the order the course meets it:

- ``chain_rule``: sigmoid, error and the g factors (notebook 01); the cross-entropy (notebook 09)
- ``gradient_check``: slopes by finite differences (notebook 01)
- ``training``: ``train`` and its ``History`` (notebook 01); momentum (08), mini-batches (09)
- ``network``: ``Network`` of any layer sizes and its readable ``backprop`` (notebooks 03-06)
- ``training_compiled``: the loop of ``training``, compiled by numba, for the sliders
- ``checks``: every check on what you pass in, and its one-sentence error
- ``datasets``: XOR and two moons (notebook 07)
- ``exercises``: ``check`` for the exercises (notebook 00); answers in ``answers/``

``drawing/`` holds what only draws: plots, network drawings and the explorers; its
``surface`` module also holds notebook 08's example, ``valley_data``.
"""

from .chain_rule import (
    cross_entropy,
    cross_entropy_sop_deriv,
    error,
    error_predicted_deriv,
    sigmoid,
    sigmoid_sop_deriv,
    sop_w_deriv,
    update_w,
)
from .datasets import two_moons, xor_data
from .drawing.boundary import boundary_explorer, plot_decision_boundary
from .drawing.envelope import envelope
from .drawing.history_plot import plot_history
from .drawing.network_diagram import draw_network
from .drawing.surface import error_surface, plot_error_surface, surface_explorer, valley_data
from .drawing.training_explorer import explorer
from .exercises import NotYetDone, check
from .gradient_check import compare_gradients, numerical_gradients, relative_difference
from .network import ForwardPass, Gradients, Network
from .training import History, train

__all__ = [
    "boundary_explorer", "draw_network", "envelope", "explorer", "plot_decision_boundary",
    "error_surface", "plot_error_surface", "plot_history", "surface_explorer", "two_moons", "valley_data",
    "xor_data",
    "ForwardPass", "Gradients", "History", "Network", "NotYetDone",
    "check", "compare_gradients", "cross_entropy", "cross_entropy_sop_deriv", "error",
    "error_predicted_deriv",
    "numerical_gradients", "relative_difference", "sigmoid", "sigmoid_sop_deriv",
    "sop_w_deriv", "train", "update_w",
]
