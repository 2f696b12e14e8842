"""``gdlib.check``: verdicts, hints, the ``...`` placeholder, and every registered exercise."""

import importlib
import pkgutil

import numpy as np
import pytest

import gdlib
import gdlib.answers
from gdlib import NotYetDone, check, exercises
from gdlib.exercises import is_right


@pytest.fixture
def practice():
    """Three exercises registered for the test only (removed afterwards)."""
    exercises.exercise("test.1", hint="sigmoid(0) is one half.")(lambda: gdlib.sigmoid(0.0))
    exercises.exercise("test.2", hint="Two weights, one per input.")(lambda: np.array([0.25, 0.75]))
    exercises.exercise("test.3", hint="Answer in words.")(lambda: "SOP")
    yield
    for key in ("test.1", "test.2", "test.3"):
        del exercises._EXERCISES[key]


def test_right_answer_is_correct(practice, capsys):
    assert check("test.1", 0.5) is None  # a cell ending with check shows only the verdict
    assert "Correct" in capsys.readouterr().out
    check("test.1", 0.5 + 1e-12)  # a tiny rounding difference is fine
    check("test.2", [0.25, 0.75])
    check("test.3", "SOP")
    out = capsys.readouterr().out
    assert out.count("Correct") == 3 and "test.2" in out


def test_wrong_answer_gets_the_hint(practice, capsys):
    check("test.1", 0.6)
    out = capsys.readouterr().out
    assert "Not quite" in out and "sigmoid(0) is one half." in out and "Correct" not in out
    check("test.2", [0.75, 0.25])
    assert "Two weights, one per input." in capsys.readouterr().out


@pytest.mark.parametrize("answer", [[0.5], "0.5", None, "abc", {"a": 1}, np.nan, [0.5, 0.5]])
def test_answers_of_the_wrong_kind_are_wrong_not_errors(practice, answer, capsys):
    check("test.1", answer)
    assert "Not quite" in capsys.readouterr().out


@pytest.mark.parametrize("answer", [[0.25], [[0.25, 0.75]], "0.25 0.75", np.array([0.25, 0.75001])])
def test_array_answers_need_the_right_shape_and_values(practice, answer):
    assert not is_right("test.2", answer)


def test_text_answers_compare_exactly(practice):
    assert not is_right("test.3", "sop")
    assert not is_right("test.3", 1.0)


def test_placeholder_raises_not_yet_done_shown_as_one_line(practice, capsys):
    with pytest.raises(NotYetDone) as caught:
        check("test.1", ...)
    lines = caught.value._render_traceback_()
    assert isinstance(lines, list) and len(lines) == 1
    assert "\n" not in lines[0] and "test.1" in lines[0] and "..." in lines[0]
    assert capsys.readouterr().out == ""  # no verdict printed
    with pytest.raises(NotYetDone):  # even before the key is looked up
        check("no-such-key", ...)
    assert is_right("test.1", 0.5) and not is_right("test.1", 0.6)


def test_unknown_key_lists_the_keys(practice):
    with pytest.raises(KeyError, match=r"'nope'.*test\.1.*test\.2") as caught:
        check("nope", 1.0)
    assert "00.1" in str(caught.value)  # the course's own keys are listed too


# ------------------------------------------------ every registered exercise
def _answer_modules():
    return [f"{gdlib.answers.__name__}.{m.name}" for m in pkgutil.iter_modules(gdlib.answers.__path__)]


def test_every_answer_module_imports():
    modules = _answer_modules()
    assert "gdlib.answers.nb00" in modules
    for name in modules:
        importlib.import_module(name)


def _registered():
    try:
        exercises._load_answers()
    except Exception:  # reported by test_every_answer_module_imports
        return []
    return sorted(key for key in exercises._EXERCISES if not key.startswith("test."))


@pytest.mark.parametrize("key", _registered())
def test_every_registered_exercise_runs_and_accepts_its_own_answer(key, capsys):
    function, hint, rtol, atol = exercises._EXERCISES[key]
    expected = function()
    assert expected is not None and expected is not Ellipsis
    if not isinstance(expected, (str, bool, np.bool_)):
        assert np.all(np.isfinite(np.asarray(expected, dtype=float)))
    assert isinstance(hint, str) and hint.strip()
    check(key, expected)
    assert "Correct" in capsys.readouterr().out
    # the key belongs to its notebook's module: "03.2" lives in gdlib/answers/nb03.py
    module = function.__module__.rsplit(".", 1)[-1]
    assert module.startswith("nb") and key.startswith(module[2:] + "."), (key, function.__module__)


def test_some_exercises_are_registered():
    assert "00.1" in _registered()
