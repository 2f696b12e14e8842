"""Placeholder: being written (plot_decision_boundary, boundary_explorer)."""


def plot_decision_boundary(*args, **kwargs):
    raise NotImplementedError


def boundary_explorer(*args, **kwargs):
    raise NotImplementedError
