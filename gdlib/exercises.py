"""Self-checks for the exercises: ``check(key, answer)``.

Introduced in notebook 00. A cell ends with ``gdlib.check("01.2", answer)``. Your answer is
compared with the course's own, computed with gdlib in ``gdlib/answers/nbNN.py`` (one module
per notebook; peek only after trying). ``check`` prints "Correct!" or what is wrong, with a
hint, and returns nothing. Two kinds of exercise:

- a value: a number, an array or a word, e.g. ``check("01.2", answer)``;
- a function you wrote, e.g. ``check("01.sigmoid", sigmoid)``: ``check`` calls it on a few
  inputs and compares each result with gdlib's; for a derivative, also with the slope
  measured by nudging (central differences, as in notebook 01).

While an answer is still the blank ``...`` (or your function still has one), ``check``
raises ``NotYetDone``, which Jupyter shows as one line, not a traceback.
"""

import copy
import importlib
import pkgutil
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .gradient_check import central_differences


class NotYetDone(Exception):
    """Raised by ``check`` while an exercise still holds a ``...`` blank.

    Not used by name in the notebooks: it is the one-line *Not yet done* of notebook 00.
    """

    def _render_traceback_(self):  # IPython shows this instead of a traceback
        return [f"Not yet done: {self}"]


class UnknownExercise(KeyError):
    """Raised by ``check`` for a key that no answers module registered."""

    def __str__(self):
        return self.args[0]

    def _render_traceback_(self):
        return [f"UnknownExercise: {self}"]


@dataclass(frozen=True)
class Exercise:
    key: str
    hint: str
    reference: Callable  # value exercise: () -> the answer; function exercise: the right function
    inputs: tuple = None  # function exercise: the argument tuples to try, in order
    slope_of: Callable = None  # derivative exercise: the function whose slope it must be
    rtol: float = 1e-6
    atol: float = 1e-9


_EXERCISES = {}


def exercise(key, hint, *, inputs=None, slope_of=None, rtol=1e-6, atol=1e-9):
    """Register the decorated function as exercise ``key`` (a decorator, for ``answers/nbNN.py``).

    Without ``inputs`` the function takes no argument and returns the right answer.
    With ``inputs`` the exercise asks for a function and the decorated one is the right one;
    ``inputs`` lists its calls: each item a tuple of arguments, or the one argument.
    ``slope_of=f`` makes it a derivative: each result is also compared with the slope of
    ``sum(f(*arguments))`` with respect to the first argument (a number, an array or a
    list of arrays), measured by central differences.
    """
    if inputs is not None:
        inputs = tuple(item if isinstance(item, tuple) else (item,) for item in inputs)
    if not inputs and (inputs is not None or slope_of is not None):
        raise ValueError(f"exercise {key}: a function exercise needs a non-empty list of inputs.")

    def register(function):
        old = _EXERCISES.get(key)
        if old and (old.reference.__module__, old.reference.__qualname__) != (
                function.__module__, function.__qualname__):
            raise ValueError(f"exercise {key} is registered twice: in {old.reference.__module__} "
                             f"and in {function.__module__}.")
        _EXERCISES[key] = Exercise(key, hint, function, inputs, slope_of, rtol, atol)
        return function
    return register


def check(key, answer):
    """Print whether ``answer`` (a value, or your function) is right for exercise ``key``.

    Introduced in notebook 00.
    """
    print(f"Exercise {key}: {verdict(key, answer)}")


def is_right(key, answer):
    """True when ``answer`` is right for exercise ``key`` (``check`` without the printing)."""
    return verdict(key, answer).startswith("Correct!")


def verdict(key, answer):
    """The sentence ``check`` prints after "Exercise <key>: "."""
    if _holds_blank(answer):
        raise NotYetDone(f"exercise {key}: replace the ... with your answer, then run the cell again.")
    ex = _find(key)
    with warnings.catch_warnings(), np.errstate(all="ignore"):  # the verdict itself says what went wrong
        warnings.simplefilter("ignore")
        return _verdict_for_function(ex, answer) if ex.inputs is not None else _verdict_for_value(ex, answer)


def _verdict_for_value(ex, answer):
    if callable(answer):
        return "Not quite: this exercise asks for a value, not a function: call it and pass its result."
    problem, detail = _compare(answer, ex.reference(), ex.rtol, ex.atol)
    if problem is None:
        return "Correct!"
    if problem == "close":
        return "Close, but not exact: pass the unrounded value (not one rounded, or copied from a printout)."
    if detail.startswith("right"):  # the right numbers in the wrong form: the method was fine
        return f"Not quite: {detail}."
    return f"Not quite{': ' + detail if detail else ''}. Hint: {ex.hint}"


def _verdict_for_function(ex, function):
    name = ex.reference.__name__
    if not callable(function):
        return (f"Not quite: this exercise asks for a function: pass the function itself, "
                f"`{name}`, not what it returns (`{name}(...)`).")
    if getattr(function, "__name__", "<lambda>") != "<lambda>":
        name = function.__name__
    for args in ex.inputs:
        call = f"{name}({', '.join(_show(a, 6) for a in args)})"
        try:
            got = function(*copy.deepcopy(args))  # a copy: your function may change its inputs
        except Exception as error:  # a bug in the learner's function: one line, never a traceback
            if "ellipsis" in str(error).lower():  # it computed with a blank ... of the student copy
                raise NotYetDone(f"exercise {ex.key}: {name} still has a ... to fill in "
                                 f"({type(error).__name__} on it); write that code, then run the cell again."
                                 ) from None
            said = str(error).strip().splitlines()
            return f"Not quite: {call} raised {type(error).__name__}" + (f": {said[0]}" if said else ".")
        if _holds_blank(got):
            raise NotYetDone(f"exercise {ex.key}: {name} still returns ...: "
                             f"replace the ... in it with your code, then run the cell again.")
        if got is None:
            return f"Not quite: {call} returned None: did it forget `return`?"
        expected = ex.reference(*copy.deepcopy(args))
        problem, detail = _compare(got, expected, ex.rtol, ex.atol)
        if detail.startswith("right"):
            return f"Not quite: {call} gave the {detail}."
        if detail:
            return f"Not quite: {call} gave {detail}. Hint: {ex.hint}"
        others = [] if problem is None else [("expected", expected)]
        if ex.slope_of is not None:
            slope = _slope(ex.slope_of, args)
            if _compare(got, slope, 1e-5, 1e-7)[0] is not None:
                others.append((f"the slope of {ex.slope_of.__name__} there, measured by nudging, is", slope))
        if others:  # say which of the two (gdlib's answer, the measured slope) it disagrees with
            gave = _show_pair(got, others[0][1])[0]
            said = ", and ".join(f"{what} {_show_pair(got, value)[1]}" for what, value in others)
            close = ": close, but not exact" if problem == "close" and len(others) == 1 else ""
            but = "" if problem is not None else "but "
            return f"Not quite: {call} gave {gave}, {but}{said}{close}. Hint: {ex.hint}"
    tried = f"tried on {len(ex.inputs)} input{'s' if len(ex.inputs) > 1 else ''}"
    if ex.slope_of is not None:
        return f"Correct! ({tried}; it also matches the slopes of {ex.slope_of.__name__} measured by nudging)"
    return f"Correct! ({tried})"


def _compare(answer, expected, rtol, atol):
    """``(None, "")`` when ``answer`` is right, else ``(problem, detail)``.

    problem: "wrong", "close" (right to about 3 digits), "none", "text" or "shape";
    detail: what to tell the learner ("" for a plain wrong answer); it starts with "right"
    when the numbers are right and only their form (shape, text) is wrong.
    """
    if isinstance(expected, (str, bool, np.bool_)):
        right = type(answer) in (str, bool, np.bool_) and answer == expected
        return (None, "") if right else ("wrong", "")
    if answer is None:
        return "none", "None, not a number (print() and a function without `return` give None)"
    if isinstance(expected, (list, tuple)) and _ragged(expected):  # e.g. one gradient per layer
        if not isinstance(answer, (list, tuple)) or len(answer) != len(expected):
            return "shape", f"{_kind(answer)}; expected a list of {len(expected)} arrays"
        for index, (a, e) in enumerate(zip(answer, expected)):
            problem, detail = _compare(a, e, rtol, atol)
            if problem is not None:
                return problem, f"{detail} (item [{index}])" if detail else detail
        return None, ""
    e = np.asarray(expected, dtype=float)
    try:
        a = np.asarray(float(answer) if isinstance(answer, str) else answer, dtype=float)
    except (TypeError, ValueError):
        return ("text", f"{answer!r}, which is text; expected a number") if isinstance(answer, str) \
            else ("wrong", f"{_kind(answer)}; expected {_kind(expected)}")
    if isinstance(answer, str):
        if a.shape == e.shape and np.allclose(a, e, rtol, atol):
            return "text", f"right number, but as text ({answer!r}): pass the number, without quotes"
        return "text", f"{answer!r}, which is text; expected a number"
    if a.shape != e.shape:
        if a.size == e.size and np.allclose(a.ravel(), e.ravel(), rtol, atol):
            if e.ndim == 0:
                return "shape", f"right number, but an array of shape {a.shape}; expected a single number"
            return "shape", f"right numbers, but {_kind(answer)}; expected shape {e.shape}"
        return "shape", f"{_kind(answer)}; expected {_kind(expected)}"
    if np.allclose(a, e, rtol, atol):
        return None, ""
    # right to about 3 digits, at the exercise's own scale (a tiny gradient's zero is not "close")
    return ("close", "") if np.allclose(a, e, rtol=1e-3, atol=atol) else ("wrong", "")


def _slope(function, args, eps=1e-6):
    """Central differences of ``sum(function(*args))`` w.r.t. each number in ``args[0]``."""
    first, rest = args[0], args[1:]
    as_list = isinstance(first, (list, tuple))
    parts = [np.array(p, dtype=float) for p in (first if as_list else [first])]

    def total():
        arg = [p.copy() for p in parts] if as_list else parts[0].copy()[()]
        return np.sum(np.asarray(function(arg, *copy.deepcopy(rest)), dtype=float))

    slopes = central_differences(parts, total, eps)
    return slopes if as_list else slopes[0][()]


def _holds_blank(value):
    """True for ``...``, or a list/tuple/array with a ``...`` inside (a blank of a student copy)."""
    if value is Ellipsis:
        return True
    if isinstance(value, (list, tuple)):
        return any(_holds_blank(v) for v in value)
    return isinstance(value, np.ndarray) and value.dtype == object and any(v is Ellipsis for v in value.flat)


def _ragged(values):
    try:
        np.asarray(values, dtype=float)
        return False
    except (TypeError, ValueError):
        return True


def _kind(value):
    shape = np.shape(value) if not _ragged(value) else None
    return "a single number" if shape == () else f"shape {shape}" if shape else f"a {type(value).__name__}"


def _show(value, digits):
    """``value`` in a few characters: numbers to ``digits`` significant digits."""
    if isinstance(value, (list, tuple)) and value and _ragged(value):  # e.g. one array per layer
        return "[" + ", ".join(_show(item, digits) for item in value) + "]"
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        text = repr(value).splitlines()[0]  # one line, e.g. a Network's "Network(sizes=..., bias=...)"
    else:
        if array.ndim == 0:
            return f"{float(array):.{digits}g}"
        text = np.array2string(array, separator=", ", threshold=12, edgeitems=3,
                               formatter={"float_kind": lambda v: f"{v:.{digits}g}"})
        text = " ".join(text.split())
    return text if len(text) <= 80 else text[:77] + "..."


def _show_pair(a, b):
    """``a`` and ``b`` shown with just enough digits to look different."""
    for digits in (4, 6, 9, 17):
        shown = _show(a, digits), _show(b, digits)
        if shown[0] != shown[1]:
            return shown
    return shown


def _find(key):
    _load_answers()
    if key not in _EXERCISES:
        raise UnknownExercise(f"No exercise called {key!r}; the keys are {sorted(_EXERCISES)}.")
    return _EXERCISES[key]


def _load_answers():
    """Import every module of ``gdlib.answers`` (one per notebook)."""
    from . import answers

    for module in pkgutil.iter_modules(answers.__path__):
        importlib.import_module(f"{answers.__name__}.{module.name}")
