"""Placeholder: being written (explorer)."""


def explorer(*args, **kwargs):
    raise NotImplementedError
