"""Placeholder: being written (draw_network)."""


def draw_network(*args, **kwargs):
    raise NotImplementedError
