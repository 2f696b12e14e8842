"""Placeholder: being written (envelope)."""


def envelope(*args, **kwargs):
    raise NotImplementedError
