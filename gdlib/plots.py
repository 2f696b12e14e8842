"""Placeholder: being written (plot_history)."""


def plot_history(*args, **kwargs):
    raise NotImplementedError
