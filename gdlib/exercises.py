"""Self-checks for the exercises at the end of each notebook.

Introduced in notebook 01. An exercise cell ends with ``check("01.1", answer)``.
The answer is compared with the course's own value, computed with gdlib in
``gdlib/answers/nbXX.py`` (one module per notebook; peek only after trying),
and you get "Correct" or "Not quite" with a hint.
If the answer is still the placeholder ``...``, ``check`` raises ``NotYetDone``,
which Jupyter shows as one line, not a traceback.
"""

import importlib
import pkgutil

import numpy as np


class NotYetDone(Exception):
    """Raised by ``check`` while an exercise still holds ``...``."""

    def _render_traceback_(self):  # IPython shows this instead of a traceback
        return [f"Not yet done: {self}"]


_EXERCISES = {}


def exercise(key, hint, rtol=1e-6, atol=1e-9):
    """Register ``function() -> expected answer`` under ``key`` (a decorator)."""
    def register(function):
        _EXERCISES[key] = (function, hint, rtol, atol)
        return function
    return register


def check(key, answer):
    """Print whether ``answer`` is right for exercise ``key``, with a hint if not.

    Numbers and arrays compare with a small tolerance; strings and booleans
    exactly. Returns nothing, so a cell ending with ``check(...)`` shows only the verdict.
    """
    right = is_right(key, answer)
    print(f"Exercise {key}: " + ("Correct!" if right else f"Not quite. Hint: {_EXERCISES[key][1]}"))


def is_right(key, answer):
    """True when ``answer`` is right for exercise ``key`` (``check`` without the printing)."""
    if answer is Ellipsis:
        raise NotYetDone(f"exercise {key}: replace the ... with your answer, then run the cell again.")
    _load_answers()
    if key not in _EXERCISES:
        raise KeyError(f"No exercise called {key!r}; the keys are {sorted(_EXERCISES)}.")
    function, _, rtol, atol = _EXERCISES[key]
    return _same(answer, function(), rtol, atol)


def _load_answers():
    """Import every module of ``gdlib.answers`` (one per notebook), once."""
    from . import answers

    for module in pkgutil.iter_modules(answers.__path__):
        importlib.import_module(f"{answers.__name__}.{module.name}")


def _same(answer, expected, rtol, atol):
    if isinstance(expected, (str, bool, np.bool_)):
        return type(answer) in (str, bool, np.bool_) and answer == expected
    if isinstance(answer, (str, bytes)):  # "0.5" is text, not the number 0.5
        return False
    try:
        answer = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return False
    expected = np.asarray(expected, dtype=float)
    return answer.shape == expected.shape and bool(np.allclose(answer, expected, rtol=rtol, atol=atol))
