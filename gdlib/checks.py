"""Checks on what a learner passes in, with errors that say what to do.

Every public function of gdlib calls these before touching numpy, so a wrong
shape gives a sentence naming the argument, never a broadcasting traceback.
"""

import numbers

import numpy as np


def as_finite_array(value, name):
    """``value`` as a new float64 array, or a TypeError/ValueError naming ``name``."""
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be numbers, got {_short(value)}.")
    try:
        raw = np.asarray(value)
    except ValueError:  # e.g. rows of different lengths
        raise ValueError(
            f"{name} must be a number, a list of numbers or a table of numbers with rows of "
            f"equal length; got {_short(value)}."
        ) from None
    numeric = raw.dtype.kind in "biuf" or (
        raw.dtype.kind == "O" and all(isinstance(v, numbers.Real) for v in raw.flat)
    )
    if not numeric:  # strings, None, complex numbers, ...
        raise TypeError(
            f"{name} must be real numbers (a float, a list of floats or a numpy array), "
            f"got {_short(value)}."
        )
    try:
        array = raw.astype(float)  # always a copy
    except OverflowError:  # a Python int beyond 1e308
        raise ValueError(f"{name} holds a number too large for a float: {_short(value)}.") from None
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values: {_short(value)}. Use finite numbers.")
    return array


def _short(value, limit=120):
    """``repr(value)``, cut to ``limit`` characters for an error message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 4] + " ..."


def check_positive_int(value, name, minimum=1):
    """``value`` as an int at least ``minimum``, else a clear error."""
    whole = isinstance(value, numbers.Integral) or (
        isinstance(value, numbers.Real) and float(value).is_integer()  # 3.0 is fine
    )
    if isinstance(value, bool) or not whole:
        raise TypeError(f"{name} must be a whole number, got {value!r}.")
    value = int(value)
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}.")
    return value


def check_learning_rate(value):
    """A learning rate must be a finite number above 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"learning_rate must be a number, got {value!r}.")
    value = float(value)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(
            f"learning_rate must be a finite number above 0, got {value}. "
            "Try a small positive value such as 0.1."
        )
    return value


def check_title(title):
    """A plot title is a string, or None for the default one."""
    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be a string or None, got {type(title).__name__}.")
    return title


def check_sizes(sizes):
    """Layer sizes, input first: at least two layers of at least one neuron."""
    try:
        sizes = tuple(sizes)
    except TypeError:
        raise TypeError(
            f"sizes must list the layer sizes, input first, e.g. (3, 2, 1); got {sizes!r}."
        ) from None
    if len(sizes) < 2:
        raise ValueError(
            f"sizes needs at least two layers (inputs and outputs), e.g. (1, 1); got {sizes!r}."
        )
    return tuple(check_positive_int(s, f"sizes[{i}]") for i, s in enumerate(sizes))


def check_parameter_list(values, shapes, name):
    """A list of arrays with exactly the given shapes, copied as float64."""
    if isinstance(values, np.ndarray) or not hasattr(values, "__len__"):
        raise TypeError(f"{name} must be a list of {len(shapes)} arrays, got {type(values).__name__}.")
    if len(values) != len(shapes):
        raise ValueError(f"{name} must hold {len(shapes)} arrays (one per layer step), got {len(values)}.")
    checked = []
    for i, (value, shape) in enumerate(zip(values, shapes)):
        array = as_finite_array(value, f"{name}[{i}]")
        if array.shape != shape:
            hint = ""
            if len(shape) == 2 and array.shape == shape[::-1]:
                hint = " (transposed? a row per input neuron z, a column per neuron y)"
            raise ValueError(f"{name}[{i}] must have shape {shape}, got {array.shape}{hint}.")
        checked.append(array)  # as_finite_array made a new array
    return checked


def check_samples(x, target, n_in, n_out):
    """Bring ``x`` and ``target`` to 2-D (samples, neurons) shapes.

    Returns ``(x2, target2, single)``, where ``single`` says that one sample was
    given, so that results can be handed back in the learner's own shape.
    Accepted: one sample of shape ``(n_in,)`` (a plain number when ``n_in`` is 1)
    or a batch ``(m, n_in)``; a target shaped like the prediction, a plain number
    for one output, or ``(m,)`` for a batch with one output.
    """
    x = as_finite_array(x, "x")
    target = as_finite_array(target, "target")
    single = x.ndim <= 1
    if x.ndim == 0 and n_in == 1:
        x = x.reshape(1)
    if single and x.shape != (n_in,):
        raise ValueError(
            f"x must hold {n_in} input value(s) for this network: shape ({n_in},) for one "
            f"sample or (m, {n_in}) for m samples; got shape {x.shape}."
        )
    if x.ndim == 2 and x.shape[1] != n_in:
        raise ValueError(
            f"x must have {n_in} column(s), one per input neuron; got shape {x.shape}."
        )
    if x.ndim > 2 or x.size == 0:
        raise ValueError(f"x must have shape ({n_in},) or (m, {n_in}) with m >= 1; got {x.shape}.")
    x2 = x.reshape(-1, n_in)
    m = x2.shape[0]
    allowed = {(m, n_out)}
    if single:
        allowed |= {(n_out,), ()} if n_out == 1 else {(n_out,)}
    elif n_out == 1:
        allowed.add((m,))
    if target.shape in allowed:
        return x2, target.reshape(m, n_out), single
    expected = f"({n_out},)" if single else f"({m}, {n_out})"
    raise ValueError(
        f"target must match the network's output: shape {expected} here, got shape {target.shape}."
    )
