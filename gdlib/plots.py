"""Placeholder: being written (plot_history, envelope)."""


def plot_history(*args, **kwargs):
    raise NotImplementedError


def envelope(*args, **kwargs):
    raise NotImplementedError
