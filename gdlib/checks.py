"""Checks on what a learner passes in, with errors that say what to do.

Every public function of gdlib calls these before touching numpy, so a wrong
shape gives one sentence naming the argument, never a broadcasting traceback.
Each input is checked once, at the door; what is inside gdlib trusts it.
"""

import math
import numbers

import numpy as np


# ------------------------------------------------------------------ numbers
def as_real_array(value, name):
    """``value`` as a new float64 array of real numbers (NaN and infinity allowed), else an error."""
    if value is None:
        raise TypeError(f"{name} is None: did the function that computes it forget `return`?")
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be a number (or numbers), not text: got {_short(value)}; "
                        "convert text with float(...).")
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
        return raw.astype(float, order="C")  # always a new, C-contiguous array
    except OverflowError:  # a Python int beyond 1e308
        raise ValueError(f"{name} holds a number too large for a float: {_short(value)}.") from None


def as_finite_array(value, name):
    """``value`` as a new float64 array of finite numbers, or a TypeError/ValueError naming ``name``."""
    array = as_real_array(value, name)
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values ({_short(value)}): use finite numbers.")
    return array


_FLOAT64 = np.dtype(np.float64)  # numpy's one float64 dtype: an `is` test is the cheapest


def check_numbers(value, name):
    """A number or an array of numbers for the chain-rule pieces, cheaply.

    They run inside ``train``'s numpy loop, so a float64 array passes at the cost
    of two type tests (its elements are not searched for NaN: an overflowing run
    must carry on, and ``train`` reports it). A float is refused if it is NaN or
    infinite; anything else (an int, a list, ...) is converted and fully checked.
    """
    if type(value) is np.ndarray and value.dtype is _FLOAT64:
        return value
    if isinstance(value, float):  # also numpy.float64
        if not math.isfinite(value):
            raise ValueError(f"{name} is {value}: use a finite number.")
        return value
    array = as_finite_array(value, name)
    return array[()]  # a plain number stays a number


def check_same_shape(a, a_name, b, b_name, *, number_ok):
    """``b`` must have ``a``'s shape (one of them may be a plain number if ``number_ok``)."""
    shape_a, shape_b = getattr(a, "shape", ()), getattr(b, "shape", ())  # () for a plain number
    if shape_a == shape_b or (number_ok and (shape_a == () or shape_b == ())):
        return
    if number_ok:
        raise ValueError(f"{b_name} must have {a_name}'s shape {shape_a} (or be one number), "
                         f"got shape {shape_b}.")
    raise ValueError(f"{b_name} must have {a_name}'s shape {shape_a} (one slope per weight), "
                     f"got shape {shape_b}.")


def check_number(value, name, allowed, ok):
    """``value`` as a float if it is a finite real number passing ``ok``, else a clear error.

    ``allowed`` says in words what ``ok`` accepts, e.g. "above 0 (e.g. 1.5)".
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number {allowed}, got {_short(value)}.")
    value = float(value)
    if not math.isfinite(value) or not ok(value):
        raise ValueError(f"{name} must be a finite number {allowed}, got {value!r}.")
    return value


def _short(value, limit=120):
    """``repr(value)``, cut to ``limit`` characters for an error message."""
    text = " ".join(repr(value).split())  # an array's repr spans lines
    return text if len(text) <= limit else text[: limit - 4] + " ..."


def check_positive_int(value, name, minimum=1):
    """``value`` as an int at least ``minimum``, else a clear error."""
    whole = isinstance(value, numbers.Integral) or (
        isinstance(value, numbers.Real) and float(value).is_integer()  # 3.0 is fine
    )
    if isinstance(value, bool) or not whole:
        raise TypeError(f"{name} must be a whole number, got {_short(value)}.")
    value = int(value)
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}.")
    return value


def check_learning_rate(value):
    """A learning rate must be a finite number above 0."""
    if type(value) is float and 0.0 < value < math.inf:  # the common case, cheap (update_w in a loop)
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"learning_rate must be a number, got {_short(value)}.")
    value = float(value)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(
            f"learning_rate must be a finite number above 0, got {value}; "
            "try a small positive value such as 0.1."
        )
    return value


def check_eps(value):
    """The step of a finite difference: a number above 0 and below 1."""
    return check_number(value, "eps", "above 0 and below 1 (e.g. 1e-6)", lambda v: 0 < v < 1)


def check_title(title):
    """A plot title is a string, or None for the default one."""
    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be a string or None, got {type(title).__name__}.")
    return title


# ------------------------------------------------------------------ networks
def check_sizes(sizes):
    """Layer sizes, input first: at least two layers of at least one neuron."""
    try:
        sizes = tuple(sizes)
    except TypeError:
        raise TypeError(
            f"sizes must list the layer sizes, input first, e.g. (3, 2, 1); got {_short(sizes)}."
        ) from None
    if len(sizes) < 2:
        raise ValueError(
            f"sizes needs at least two layers (inputs and outputs), e.g. (1, 1); got {_short(sizes)}."
        )
    return tuple(check_positive_int(s, f"sizes[{i}]") for i, s in enumerate(sizes))


def check_seed(seed):
    """None (a new random network each time) or a whole number >= 0."""
    if seed is None:
        return None
    try:
        return check_positive_int(seed, "seed", minimum=0)
    except (TypeError, ValueError) as problem:
        raise type(problem)(
            f"seed must be None or a whole number >= 0 (e.g. seed=0), got {_short(seed)}."
        ) from None


def check_network_options(seed, weights, bias, biases):
    """``Network``'s keywords must not contradict each other; returns ``(seed, bias)``.

    ``bias=None`` means "as ``biases`` says": True when biases are given.
    """
    if bias is not None and not isinstance(bias, (bool, np.bool_)):
        raise TypeError(f"bias must be True, False or None (as biases says), got {_short(bias)}.")
    if weights is not None and seed is not None:
        raise ValueError(
            "seed and weights contradict each other: seed draws random weights and weights= "
            "gives them, so pass only one of the two."
        )
    if biases is not None and bias is not None and not bias:
        raise ValueError(
            "bias=False contradicts biases=...: leave bias out (or say bias=True) to use these "
            "biases, or drop biases= for a network without bias."
        )
    return check_seed(seed), biases is not None if bias is None else bool(bias)


def weight_shapes(sizes):
    """``weights[l]`` has shape ``(sizes[l], sizes[l + 1])``."""
    return [(a, b) for a, b in zip(sizes[:-1], sizes[1:])]


def bias_shapes(sizes):
    """``biases[l]`` has shape ``(sizes[l + 1],)``."""
    return [(b,) for b in sizes[1:]]


def check_parameter_list(values, shapes, name, sizes):
    """A list of arrays with exactly the given shapes, copied as float64 C-contiguous arrays."""
    if isinstance(values, (np.ndarray, str, bytes)) or not hasattr(values, "__len__"):
        raise TypeError(f"{name} must be a list of {len(shapes)} arrays for sizes {sizes}, "
                        f"got {type(values).__name__}.")
    if len(values) != len(shapes):
        raise ValueError(f"{name} must hold {len(shapes)} arrays for sizes {sizes} (one per layer step), "
                         f"got {len(values)}.")
    checked = []
    for i, (value, shape) in enumerate(zip(values, shapes)):
        if value is None:
            raise TypeError(f"{name}[{i}] is None: it must be an array of shape {shape} for sizes {sizes}.")
        array = as_finite_array(value, f"{name}[{i}]")  # a new float64 C-contiguous array
        if array.shape != shape:
            hint = ""
            if len(shape) == 2 and array.shape == shape[::-1]:
                hint = " (transposed? a row per input neuron z, a column per neuron y)"
            raise ValueError(f"{name}[{i}] must have shape {shape} for sizes {sizes}, "
                             f"got {array.shape}{hint}.")
        checked.append(array)
    return checked


def check_network(net):
    """``net`` itself if it is a ``Network``, else a TypeError saying so."""
    from .network import Network  # here, not at the top: network.py imports this module

    if not isinstance(net, Network):
        raise TypeError(f"net must be a gdlib.Network, got {type(net).__name__}.")
    return net


def check_parameters(net):
    """``net``'s weights and biases, re-checked against ``net.sizes``: ``(weights, biases)``.

    A learner may reassign ``net.weights[1] = ...``; every entry point calls this,
    so a wrong shape, a list, ints or NaN give one sentence here, and what comes
    back is always new float64 C-contiguous arrays of the right shapes
    (``biases`` is ``[]`` for a network without bias).
    """
    check_network(net)
    sizes = net.sizes
    weights = check_parameter_list(net.weights, weight_shapes(sizes), "weights", sizes)
    if net.bias:
        return weights, check_parameter_list(net.biases, bias_shapes(sizes), "biases", sizes)
    if isinstance(net.biases, (list, tuple)) and len(net.biases) == 0:
        return weights, []
    raise ValueError(
        f"biases must stay [] on a network made without bias, got {_short(net.biases, 60)}; "
        "make one with biases, e.g. Network(sizes, seed=0, bias=True)."
    )


# ------------------------------------------------------------ x and target
NO_TARGET = object()  # for predict and forward, which take no target (target=None is a mistake)


def check_samples(x, target, n_in, n_out):
    """Bring ``x`` and ``target`` to 2-D (samples, neurons) shapes.

    Returns ``(x2, target2, single)``, where ``single`` says that one sample was
    given, so that results can be handed back in the learner's own shape.
    Accepted: one sample of shape ``(n_in,)`` (a plain number when ``n_in`` is 1)
    or a batch ``(m, n_in)``; a target shaped like the prediction, a plain number
    for one output, or ``(m,)`` for a batch with one output. With
    ``target=NO_TARGET`` only ``x`` is checked and ``target2`` is None.
    """
    x = as_finite_array(x, "x")
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
    if target is NO_TARGET:
        return x2, None, single
    target = as_finite_array(target, "target")
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


def check_same_length(flat_a, flat_b):
    """Two flattened gradients to compare must hold one value per parameter each."""
    if flat_a.shape != flat_b.shape:
        raise ValueError(
            f"the two gradients must hold the same number of values (one per parameter), "
            f"got {flat_a.size} and {flat_b.size}."
        )


# ------------------------------------------------------------------ training
def check_engine(engine, compiled_available):
    """``train``'s engine: "auto", "numpy", or "compiled" (which needs numba)."""
    if engine not in ("auto", "numpy", "compiled"):
        raise ValueError(f"engine must be 'auto', 'numpy' or 'compiled', got {_short(engine)}.")
    if engine == "compiled" and not compiled_available:
        raise RuntimeError("engine='compiled' needs numba: pip install numba (or use engine='numpy').")
    return engine


def check_run(predictions, errors, target):
    """A run made by hand, for ``History.from_arrays``: ``(predictions, errors, target)`` as arrays.

    ``errors`` ``(k,)``; ``predictions`` ``(k,)``, ``(k, outputs)`` or ``(k, samples, outputs)``
    (``(k,)`` comes back as ``(k, 1)``, as ``train`` records one output); ``target``
    shaped like one prediction, or a plain number / ``(samples,)`` for one output.
    NaN and infinity may be in a run (it overflowed), not in the target.
    """
    errors = as_real_array(errors, "errors")
    predictions = as_real_array(predictions, "predictions")
    target = as_finite_array(target, "target")
    if errors.ndim != 1 or len(errors) == 0:
        raise ValueError(f"errors must hold one error per iteration, shape (k,) with k >= 1; "
                         f"got shape {errors.shape}.")
    k = len(errors)
    if predictions.ndim not in (1, 2, 3) or len(predictions) != k:
        raise ValueError(f"predictions must hold one prediction per iteration like errors, shape ({k},), "
                         f"({k}, outputs) or ({k}, samples, outputs); got shape {predictions.shape}.")
    if predictions.ndim == 1:
        predictions = predictions[:, None]
    one = predictions.shape[1:]
    if target.shape != one and one[-1] == 1 and target.size == np.prod(one):
        target = target.reshape(one)
    if target.shape != one:
        raise ValueError(f"target must be shaped like one prediction, {one} here, got shape {target.shape}.")
    return predictions, errors, target


def check_history_size(iterations, m, n_out, budget, *, batch_errors=False, n_parameters=0):
    """Refuse, before allocating, a run whose history would take more than ``budget`` bytes.

    ``train`` records, per iteration, ``m * n_out`` predictions and one error, 8 bytes each;
    with mini-batches also the batch's error, and with ``record_parameters`` every parameter.
    """
    per_iteration = (m * n_out + 1 + int(batch_errors) + n_parameters) * 8
    if iterations * per_iteration <= budget:
        return iterations
    gib = 2**30
    extras = " + 1 batch error" if batch_errors else ""
    extras += f" + {n_parameters} parameters" if n_parameters else ""
    fewer = "fewer samples, or record_parameters=False" if n_parameters else "fewer samples"
    raise ValueError(
        f"iterations={iterations:,} would record {iterations * per_iteration / gib:.1f} GiB of history "
        f"(iterations x (samples x outputs + 1 error{extras}) x 8 bytes); gdlib's limit is "
        f"{budget / gib:.1f} GiB: use at most {budget // per_iteration:,} iterations here, or {fewer}."
    )


# ------------------------------------------------------- descent options (notebooks 08 and 09)
LOSSES = ("squared", "cross_entropy")
INITS = ("series", "xavier")


def check_momentum(value):
    """Heavy-ball momentum: a number from 0 (plain descent) up to, not including, 1."""
    return check_number(value, "momentum", "from 0 up to (not including) 1, e.g. 0.9", lambda v: 0 <= v < 1)


def check_flag(value, name):
    """``value`` if it is True or False, else a TypeError naming ``name``."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {_short(value)}.")
    return bool(value)


def check_batch_size(value, m):
    """None (every sample in every update) or a whole number of samples from 1 to ``m``."""
    if value is None:
        return None
    allowed = f"None (all samples) or a whole number from 1 to {m}, the number of samples"
    try:
        value = check_positive_int(value, "batch_size")
    except TypeError:
        raise TypeError(f"batch_size must be {allowed}; got {_short(value)}.") from None
    except ValueError:
        value = int(value)
    if not 1 <= value <= m:
        raise ValueError(f"batch_size must be {allowed}; got {value}.")
    return value


def check_loss(loss):
    """The error to descend: "squared" (the series') or "cross_entropy" (notebook 09)."""
    if not isinstance(loss, str) or loss not in LOSSES:
        raise ValueError(f"loss must be 'squared' or 'cross_entropy', got {_short(loss)}.")
    return loss


def check_loss_target(target, loss):
    """Cross-entropy compares probabilities: its targets must lie in [0, 1]. Returns ``target``."""
    if loss == "cross_entropy" and not np.all((target >= 0) & (target <= 1)):
        bad = float(target[(target < 0) | (target > 1)].flat[0])
        raise ValueError(f"target must lie between 0 and 1 for loss='cross_entropy' (a probability), "
                         f"got {bad:g}; rescale the targets to [0, 1] or use loss='squared'.")
    return target


def check_init(init, weights):
    """How ``Network`` draws its start weights: "series" (uniform in [0, 1)) or "xavier"."""
    if not isinstance(init, str) or init not in INITS:
        raise ValueError(f"init must be 'series' or 'xavier', got {_short(init)}.")
    if init != "series" and weights is not None:
        raise ValueError(f"init={init!r} and weights contradict each other: init draws random weights and "
                         "weights= gives them, so pass only one of the two.")
    return init
