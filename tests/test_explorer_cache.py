"""The explorers keep the runs they trained: any sequence of control moves must still draw
exactly the run of the settings shown, compared here with a fresh ``gdlib.train``.

The random sequences run with a small memory budget, so that kept runs really are
forgotten, and with the PNG rendering switched off (``LiveFigure.update`` does nothing):
what is compared is the data given to the drawn artists, and rendering is tested elsewhere.
"""

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import gdlib
from gdlib.drawing import boundary, training_explorer
from gdlib.drawing.envelope import envelope
from gdlib.drawing.explorer_base import RecentRuns
from gdlib.drawing.live_figure import LiveFigure

LEARNING_RATES = [0.05, 0.5, 5.0, 50.0]  # the explorer starts at 0.5
ITERATIONS = [1, 2, 7, 60, 300, 700]
#: Room for one long run (700 iterations of a single-sample, single-output net: 16 bytes per
#: iteration, prediction and error) and a shorter one: most moves forget a run.
BUDGET = 16 * 700 * 3 // 2


def shown_message(ex):
    text = ex.message_text
    return " ".join(text.get_text().split()) if text.get_visible() else ""


def assert_training_explorer_shows(ex, width, learning_rate, n):
    """What ``ex`` drew is a fresh train of the 1-``width``-1 network at these settings."""
    fresh = gdlib.train(gdlib.Network((1, width, 1), seed=0), 0.5, 0.3,
                        learning_rate=learning_rate, iterations=n)
    steps = np.arange(n)
    np.testing.assert_array_equal(ex.error_line.get_xdata(), envelope(steps, fresh.errors, ex.columns)[0])
    np.testing.assert_array_equal(ex.error_line.get_ydata(), envelope(steps, fresh.errors, ex.columns)[1])
    (line,) = ex.prediction_lines
    np.testing.assert_array_equal(line.get_ydata(), envelope(steps, fresh.predictions[:, 0], ex.columns)[1])
    assert shown_message(ex) == fresh.message
    history = ex.history
    assert history.learning_rate == learning_rate and history.iterations == n
    np.testing.assert_array_equal(history.errors, fresh.errors)
    assert f"1-{width}-1" in ex.title_text.get_text()


training_moves = st.lists(st.one_of(
    st.tuples(st.just("learning_rate_slider"), st.sampled_from(LEARNING_RATES)),
    st.tuples(st.just("iterations_slider"), st.sampled_from(ITERATIONS)),
    st.tuples(st.just("hidden_width_slider"), st.integers(1, 3)),
), min_size=1, max_size=10)


@settings(max_examples=8, deadline=None)
@given(moves=training_moves)
@example(moves=[("learning_rate_slider", 5.0), ("iterations_slider", 700), ("learning_rate_slider", 0.5)])
def test_any_slider_sequence_draws_the_run_of_the_shown_settings(moves):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LiveFigure, "update", lambda self, full=False: b"")
        patch.setattr(training_explorer, "CACHE_BYTES", BUDGET)
        ex = gdlib.explorer(gdlib.Network((1, 2, 1), seed=0), 0.5, 0.3, learning_rate=0.5,
                            iterations=60, hidden_widths=(1, 3))
        for slider, value in moves:
            getattr(ex, slider).value = value
            assert_training_explorer_shows(ex, ex.hidden_width_slider.value,
                                           ex.learning_rate_slider.value, ex.iterations_slider.value)
            assert ex._runs.total() <= BUDGET or len(ex._runs.keys()) == 1


def test_the_reported_sequence_draws_learning_rate_0_1(monkeypatch):
    """Issue 9: a learning rate, more iterations, then the first learning rate again raised
    "Could not redraw: KeyError" and left the plot of the second learning rate. The run
    retrained for more iterations was the oldest kept one, and forgotten at once."""
    # Room for a 1,000- and a 1,050-iteration run (16 bytes per iteration), not for two of 1,050.
    monkeypatch.setattr(training_explorer, "CACHE_BYTES", 16 * 2050)
    ex = gdlib.explorer(gdlib.Network((1, 2, 1), seed=0), 0.5, 0.3, learning_rate=0.1, iterations=1000)
    ex.learning_rate_slider.value = 1.0
    ex.iterations_slider.value = 1050
    ex.learning_rate_slider.value = 0.1
    assert not shown_message(ex).startswith("Could not redraw")
    assert_training_explorer_shows(ex, 2, 0.1, 1050)


def test_runs_beyond_the_budget_are_forgotten_and_trained_again(monkeypatch):
    trained = []

    def counting_train(*args, **kwargs):
        trained.append(kwargs["learning_rate"])
        return gdlib.train(*args, **kwargs)

    monkeypatch.setattr(training_explorer, "train", counting_train)
    monkeypatch.setattr(training_explorer, "CACHE_BYTES", 2 * 2 * 8 * 300)  # two 300-iteration runs
    ex = gdlib.explorer(gdlib.Network((1, 1), seed=0), 0.5, 0.3, learning_rate=0.5, iterations=300)
    for rate in (1.0, 2.0, 1.0):  # 0.5 is forgotten when 2.0 arrives; 1.0 was used last: kept
        ex.learning_rate_slider.value = rate
    assert trained == [0.5, 1.0, 2.0]
    assert ex._runs.keys() == [(None, 2.0), (None, 1.0)]
    ex.learning_rate_slider.value = 0.5  # forgotten: trained again, and 2.0 goes
    assert trained == [0.5, 1.0, 2.0, 0.5]
    assert ex._runs.keys() == [(None, 1.0), (None, 0.5)]
    assert_shows_one_one(ex, 0.5, 300)


def assert_shows_one_one(ex, learning_rate, n):
    fresh = gdlib.train(gdlib.Network((1, 1), seed=0), 0.5, 0.3, learning_rate=learning_rate, iterations=n)
    _, ys = envelope(np.arange(n), fresh.errors, ex.columns)
    np.testing.assert_array_equal(ex.error_line.get_ydata(), ys)


def test_recent_runs_forget_the_least_recently_used_but_never_the_newest():
    runs = RecentRuns(budget=10, nbytes=len)
    runs.put("a", "xxxx")
    runs.put("b", "xxxx")
    assert runs.get("a") == "xxxx"  # now the most recent
    runs.put("c", "xxxx")  # 12 bytes: the least recently used, b, goes
    assert runs.keys() == ["a", "c"]
    runs.put("a", "x" * 7)  # a longer run under a kept key: c goes, never the one just put
    assert runs.keys() == ["a"]
    runs.put("d", "x" * 50)  # alone over the budget: kept all the same
    assert runs.keys() == ["d"] and runs.get("a") is None


# --------------------------------------------------------------------------- the boundary explorer

MOONS = gdlib.two_moons(20, noise=0.2, seed=1)
LAYOUTS = {"none": (), "2": (2,), "2-2": (2, 2)}


def assert_boundary_explorer_shows(ex, hidden, learning_rate, iterations):
    x, labels = MOONS
    fresh = gdlib.train(gdlib.Network((2, *hidden, 1), seed=0, bias=True), x, labels,
                        learning_rate=learning_rate, iterations=iterations)
    np.testing.assert_allclose(ex.errors, fresh.errors, rtol=0, atol=1e-12)
    xs, ys = envelope(np.arange(iterations), fresh.errors, ex.columns)
    np.testing.assert_array_equal(ex.error_line.get_xdata(), xs)
    np.testing.assert_allclose(ex.error_line.get_ydata(), ys, rtol=0, atol=1e-12)
    points = np.column_stack([ex.xx.ravel(), ex.yy.ravel()])
    np.testing.assert_allclose(np.asarray(ex.shade.get_array()),
                               fresh.network.predict(points)[:, 0].reshape(ex.xx.shape), rtol=0, atol=1e-12)
    assert ex.message == fresh.message


boundary_moves = st.lists(st.one_of(
    st.tuples(st.just("sizes_dropdown"), st.sampled_from(list(LAYOUTS.values()))),
    st.tuples(st.just("learning_rate_slider"), st.sampled_from([0.5, 2.0, 8.0])),
    st.tuples(st.just("iterations_slider"), st.sampled_from([10, 20, 50, 90, 100])),
), min_size=1, max_size=10)


@settings(max_examples=8, deadline=None)
@given(moves=boundary_moves)
def test_any_control_sequence_draws_the_boundary_of_the_shown_settings(moves):
    x, labels = MOONS
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LiveFigure, "update", lambda self, full=False: b"")
        patch.setattr(boundary, "CACHE_BYTES", 3000)  # about two runs: most moves forget one
        ex = gdlib.boundary_explorer(x, labels, sizes_options=tuple(LAYOUTS), hidden="2", learning_rate=2.0,
                                     iterations=50, max_iterations=100, step=10, resolution=10)
        for control, value in moves:
            getattr(ex, control).value = value
            assert_boundary_explorer_shows(ex, ex.sizes_dropdown.value, ex.learning_rate_slider.value,
                                           ex.iterations_slider.value)
            assert ex._runs.total() <= 3000 or len(ex._runs.keys()) == 1


def test_the_boundary_explorer_forgets_old_runs_and_trains_them_again(monkeypatch):
    x, labels = MOONS
    monkeypatch.setattr(boundary, "CACHE_BYTES", 3000)
    ex = gdlib.boundary_explorer(x, labels, sizes_options=("2",), learning_rate=2.0, iterations=100,
                                 max_iterations=100, step=10, resolution=10)
    first = ex.run
    for rate in (0.5, 8.0):
        ex.learning_rate_slider.value = rate
    assert ((2, 2, 1), 2.0) not in ex._runs.keys()
    ex.learning_rate_slider.value = 2.0
    assert ex.run is not first  # trained again, from the same start
    assert_boundary_explorer_shows(ex, (2,), 2.0, 100)
