"""The error surface (notebook 08): what is drawn is E and the paths gradient descent really took.

E is recomputed here independently, one point at a time, from the sigmoid and the squared
error. The explorer tests move its sliders from Python and compare what was drawn with a
fresh ``gdlib.train``; drawing the PNG is left out of them (``LiveFigure.update`` does
nothing), except in the tests that ask for ``pixels``.
"""

import math
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.path import Path  # noqa: E402

import gdlib  # noqa: E402
from gdlib import training_compiled  # noqa: E402
from gdlib.drawing import surface  # noqa: E402
from gdlib.drawing.envelope import envelope  # noqa: E402
from gdlib.drawing.live_figure import LiveFigure  # noqa: E402
from gdlib.drawing.style import COLOURS  # noqa: E402

X, TARGET = gdlib.valley_data()
START = surface.VALLEY_START
EXTENT = surface.VALLEY_EXTENT


# conftest.py: close figures, and draw no PNG unless a test asks for the ``pixels`` fixture.
pytestmark = pytest.mark.usefixtures("close_figures", "drawing_without_pixels")


def sigmoid(s):
    return 1 / (1 + math.exp(-s))


def e_one_input(w, b, x=X[:, 0], target=TARGET[:, 0]):
    """E of the 1-1 neuron with bias, one sample at a time."""
    return sum((sigmoid(w * xi + b) - ti) ** 2 for xi, ti in zip(x, target)) / len(x)


def e_two_inputs(w1, w2, x, target):
    """E of the 2-1 neuron without bias, one sample at a time."""
    return sum((sigmoid(w1 * a + w2 * c) - t) ** 2 for (a, c), t in zip(x, target)) / len(x)


def neuron(w, b):
    return gdlib.Network((1, 1), weights=[[[w]]], biases=[[b]])


def run(learning_rate, iterations, momentum=0.0, start=START):
    return gdlib.train(neuron(*start), X, TARGET, learning_rate=learning_rate, iterations=iterations,
                       momentum=momentum, record_parameters=True)


def expected_path(history):
    """Every parameter before each update, then after the last: written here from the History."""
    end = [history.network.weights[0][0, 0], history.network.biases[0][0]]
    return np.vstack([history.parameters, end])


def contour_sets(ax):
    filled = [c for c in ax.collections if getattr(c, "filled", None) is True]
    lines = [c for c in ax.collections if getattr(c, "filled", None) is False]
    return filled, lines


# --------------------------------------------------------------------------- the surface

def test_the_grid_holds_e_at_each_point():
    p1, p2, errors = gdlib.error_surface(X, TARGET, extent=EXTENT, resolution=31)
    assert p1.shape == p2.shape == errors.shape == (31, 31)
    np.testing.assert_allclose(p1[0], np.linspace(-2, 3, 31))  # W along j, b along i
    np.testing.assert_allclose(p2[:, 0], np.linspace(-9, 8, 31))
    for i, j in [(0, 0), (0, 30), (30, 0), (30, 30), (12, 17), (20, 5), (7, 26)]:
        assert errors[i, j] == pytest.approx(e_one_input(p1[i, j], p2[i, j]), rel=1e-12)


def test_the_grid_of_a_two_input_neuron_without_bias():
    x = np.array([[1.0, 1.2], [2.0, 1.8], [0.5, 0.7]])
    target = np.array([0.3, 0.6, 0.4])
    extent = ((-3, 3), (-2, 4))
    p1, p2, errors = gdlib.error_surface(x, target, extent=extent, resolution=9)
    for i, j in [(0, 0), (8, 8), (3, 6), (5, 1)]:
        assert errors[i, j] == pytest.approx(e_two_inputs(p1[i, j], p2[i, j], x, target), rel=1e-12)
    fig = gdlib.plot_error_surface(x, target, extent=extent, resolution=20)
    assert (fig.axes[0].get_xlabel(), fig.axes[0].get_ylabel()) == ("weight W1", "weight W2")


def test_the_cross_entropy_surface_is_network_error():
    p1, p2, errors = gdlib.error_surface(X, TARGET, extent=EXTENT, resolution=7, loss="cross_entropy")
    for i, j in [(0, 0), (3, 4), (6, 2)]:
        expected = neuron(p1[i, j], p2[i, j]).error(X, TARGET, loss="cross_entropy")
        assert errors[i, j] == pytest.approx(expected, rel=1e-12)


def test_contour_lines_lie_where_e_equals_their_level():
    fig = gdlib.plot_error_surface(X, TARGET, extent=EXTENT)
    (filled,), (lines,) = contour_sets(fig.axes[0])
    levels = np.asarray(lines.levels)
    ratios = levels[1:] / levels[:-1]
    np.testing.assert_allclose(ratios, ratios[0])  # log-spaced
    top = filled.levels[-1]  # the top band ends at the largest E in the picture, one step above the lines
    coarse = [e_one_input(w, b) for w in np.linspace(*EXTENT[0], 21) for b in np.linspace(*EXTENT[1], 21)]
    assert max(coarse) <= top <= 1 and top / levels[-1] == pytest.approx(ratios[0])
    assert levels[-1] / levels[0] > 100  # the valley shows over more than two decades
    for level, path in zip(levels, lines.get_paths()):
        points = path.vertices if path.codes is None else path.vertices[path.codes != Path.CLOSEPOLY]
        assert len(points)
        for w, b in points[:: max(1, len(points) // 25)]:
            assert e_one_input(w, b) == pytest.approx(level, rel=surface.LEVEL_TOLERANCE)
    assert list(filled.levels[1:-1]) == list(levels)  # and one darker band below the lowest line


def test_evenly_spaced_levels_on_request():
    fig = gdlib.plot_error_surface(X, TARGET, extent=EXTENT, resolution=40, log_levels=False)
    (_,), (lines,) = contour_sets(fig.axes[0])
    steps = np.diff(lines.levels)
    np.testing.assert_allclose(steps, steps[0])


# --------------------------------------------------------------------------- the paths

def test_each_run_is_drawn_as_its_path_with_start_end_and_legend():
    plain, heavy = run(1.4, 60), run(1.26, 60, momentum=0.9)
    fig = gdlib.plot_error_surface(X, TARGET, [plain, heavy], extent=EXTENT)
    ax_map, ax_err = fig.axes[:2]
    for i, history in enumerate((plain, heavy)):
        path = expected_path(history)
        line, start, end = ax_map.get_lines()[3 * i: 3 * i + 3]
        np.testing.assert_array_equal(np.column_stack(line.get_data()), path)
        np.testing.assert_array_equal(np.column_stack(start.get_data()), path[:1])
        np.testing.assert_array_equal(np.column_stack(end.get_data()), path[-1:])
        assert to_hex(line.get_color()).upper() == COLOURS[i] and line.get_marker() == "o"
        error_line = ax_err.get_lines()[i]
        np.testing.assert_array_equal(error_line.get_ydata(), history.errors)
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [
        "learning rate 1.4", "learning rate 1.26, momentum 0.9", "start", "end"]
    assert (ax_map.get_xlabel(), ax_map.get_ylabel()) == ("weight W", "bias b")
    assert ax_map.get_xlim() == EXTENT[0] and ax_map.get_ylim() == EXTENT[1]
    assert ax_err.get_yscale() == "log"
    assert fig.get_size_inches()[0] <= 9 and fig.get_size_inches()[1] <= 3.6
    assert not ax_map.texts or not ax_map.texts[0].get_visible()  # nothing clipped, nothing said


def test_a_path_leaving_the_picture_is_clipped_and_said():
    wild = run(20.0, 30)
    fig = gdlib.plot_error_surface(X, TARGET, [run(1.0, 30), wild], extent=EXTENT)
    assert np.min(wild.parameters[:, 0]) < EXTENT[0][0]  # it does leave
    (box,) = [t for t in fig.axes[0].texts if t.get_gid() == "message"]
    said = " ".join(box.get_text().split())
    assert box.get_visible() and said.startswith("Clipped: the path of learning rate 20 leaves the picture")
    assert fig.axes[0].get_xlim() == EXTENT[0]
    (runs_box,) = [t for t in fig.axes[1].texts if t.get_gid() == "message"]
    assert "learning rate 20: Diverged" in " ".join(runs_box.get_text().split())


def test_the_default_extent_holds_the_descent_not_the_flight():
    calm, wild = run(1.0, 200), run(20.0, 30)
    fig = gdlib.plot_error_surface(X, TARGET, [calm, wild], resolution=30)
    (w_low, w_high), (b_low, b_high) = fig.axes[0].get_xlim(), fig.axes[0].get_ylim()
    path = expected_path(calm)
    assert w_low < path[:, 0].min() and path[:, 0].max() < w_high
    assert b_low < path[:, 1].min() and path[:, 1].max() < b_high
    outside = (wild.parameters[:, 0] < w_low) | (wild.parameters[:, 0] > w_high) | \
        (wild.parameters[:, 1] < b_low) | (wild.parameters[:, 1] > b_high)
    assert np.all(wild.errors[outside] > wild.errors[0])  # only its flight onto the plateau is left out
    assert outside.any()
    assert any(t.get_visible() and "Clipped" in t.get_text() for t in fig.axes[0].texts)


def test_draws_into_a_given_axes():
    fig, (left, right) = plt.subplots(1, 2)
    assert gdlib.plot_error_surface(X, TARGET, run(1.0, 20), extent=EXTENT, ax=right, title="mine") is fig
    assert not left.collections and right.get_title() == "mine"
    assert right.get_legend() is not None and fig.legends == []


def test_valley_data_is_a_narrow_valley_where_momentum_is_much_faster():
    """The numbers notebook 08 relies on (benchmarks/surface_examples.py prints them all)."""
    assert X.shape == TARGET.shape == (3, 1)
    w, b = math.log(4), -4 * math.log(4)  # the targets' logits are -ln 4, 0, ln 4 at x = 3, 4, 5
    assert e_one_input(w, b) < 1e-30
    h = 1e-3  # curvature across (W grows, b shrinks 4 times as much) and along the valley floor
    floor, across = np.array([1, -4]) / math.sqrt(17), np.array([4, 1]) / math.sqrt(17)  # b = -4 W + c
    steep = sum(e_one_input(w + h * dw, b + h * db) for dw, db in (across, -across)) / h**2
    along = sum(e_one_input(w + h * dw, b + h * db) for dw, db in (floor, -floor)) / h**2
    assert steep > 100 * along
    settled = []
    for history in (run(1.41, 1000), run(1.26, 1000, momentum=0.9)):
        above = np.flatnonzero(history.errors >= 1e-4)
        settled.append(above[-1] + 1)
    assert settled[0] > 500 and settled[1] < 100


# --------------------------------------------------------------------------- refusals

@pytest.mark.parametrize(
    ("make", "error", "words"),
    [
        (lambda: gdlib.plot_error_surface(X, TARGET, net=gdlib.Network((1, 1), seed=0)),
         ValueError, "exactly two parameters.*has 1"),
        (lambda: gdlib.plot_error_surface(np.ones((3, 2)), TARGET,
                                          net=gdlib.Network((2, 1), bias=True, seed=0)),
         ValueError, "exactly two parameters.*has 3"),
        (lambda: gdlib.plot_error_surface(np.ones((3, 3)), TARGET), ValueError, "1 or 2 columns"),
        (lambda: gdlib.plot_error_surface(X, TARGET, gdlib.train(neuron(0, 0), X, TARGET, learning_rate=1,
                                                                 iterations=5)),
         ValueError, r"runs\[0\] has no parameters.*record_parameters=True"),
        (lambda: gdlib.plot_error_surface(X, TARGET, [run(1, 5), "run"]), TypeError,
         r"runs\[1\] must be a History"),
        (lambda: gdlib.plot_error_surface(X, TARGET, "runs"), TypeError, "runs must be a History"),
        (lambda: gdlib.plot_error_surface(X, TARGET * 0.5, run(1, 5)), ValueError,
         r"runs\[0\] was trained on other samples"),
        (lambda: gdlib.plot_error_surface(X, TARGET, extent="wide"), TypeError, "extent must be two"),
        (lambda: gdlib.plot_error_surface(X, TARGET, extent=((0, 1),)), ValueError, "extent must be two"),
        (lambda: gdlib.plot_error_surface(X, TARGET, extent=((1, 0), (0, 1))), ValueError, "low < high"),
        (lambda: gdlib.plot_error_surface(X, TARGET, extent=((0, 1), (0, np.nan))), ValueError, "finite"),
        (lambda: gdlib.plot_error_surface(X, TARGET, extent=((0, 1), ("a", 2))), TypeError,
         "extent must be two"),
        (lambda: gdlib.plot_error_surface(X, TARGET, run(1, 5), labels=["a", "b"]), ValueError,
         "one string per"),
        (lambda: gdlib.plot_error_surface(X, TARGET, ax="axes"), TypeError, "ax must"),
        (lambda: gdlib.plot_error_surface(X, TARGET, resolution=1), ValueError, "resolution"),
        (lambda: gdlib.plot_error_surface(X, TARGET, log_levels="yes"), TypeError, "log_levels"),
        (lambda: gdlib.plot_error_surface(X, TARGET, run(1, 5), loss="cross_entropy"), ValueError,
         "descended loss='squared'"),
    ],
)
def test_bad_input_is_refused_in_one_sentence(make, error, words):
    with pytest.raises(error, match=words) as caught:
        make()
    text = str(caught.value)
    assert re.search(r"\.\s+[A-Z]", text) is None and "\n" not in text and text.endswith(".")  # one sentence
    assert plt.get_fignums() == []


# --------------------------------------------------------------------------- the explorer

def make_explorer(**kwargs):
    settings_ = dict(learning_rate=1.0, iterations=60, start=START, extent=EXTENT, resolution=40)
    settings_.update(kwargs)
    return gdlib.surface_explorer(X, TARGET, **settings_)


def assert_shows(ex, learning_rate, iterations, momentum, start):
    """The drawn path, curve and message are those of a fresh train at these settings."""
    fresh = gdlib.train(neuron(*start), X, TARGET, learning_rate=learning_rate, iterations=iterations,
                        momentum=momentum, record_parameters=True)
    path = expected_path(fresh)
    np.testing.assert_array_equal(np.column_stack(ex.path_line.get_data()), path)
    np.testing.assert_array_equal(np.column_stack(ex.start_point.get_data()), path[:1])
    np.testing.assert_array_equal(np.column_stack(ex.end_point.get_data()), path[-1:])
    xs, ys = envelope(np.arange(iterations, dtype=float), fresh.errors, ex.columns)
    np.testing.assert_array_equal(ex.error_line.get_xdata(), xs)
    np.testing.assert_array_equal(ex.error_line.get_ydata(), ys)
    clipped = bool(np.any((path < [lo for lo, _ in EXTENT]) | (path > [hi for _, hi in EXTENT])))
    assert ex.message.startswith(fresh.message) and ("leaves the picture" in ex.message) == clipped
    assert f"{fresh.errors[-1]:.3g}" in ex.error_title.get_text()


def test_the_explorer_starts_with_the_asked_run():
    ex = make_explorer()
    assert_shows(ex, 1.0, 60, 0.0, START)
    assert [s.value for s in ex.start_sliders] == list(START)
    assert [s.description for s in ex.start_sliders] == ["start W", "start b"]
    assert (ex.start_sliders[1].min, ex.start_sliders[1].max) == EXTENT[1]
    assert (ex.momentum_slider.min, ex.momentum_slider.max) == (0.0, 0.99)
    p1, p2, errors = gdlib.error_surface(X, TARGET, extent=EXTENT, resolution=40)
    np.testing.assert_array_equal(ex.errors, errors)
    history = ex.history
    np.testing.assert_array_equal(history.parameters, run(1.0, 60).parameters)


moves = st.lists(st.one_of(
    st.tuples(st.just("learning_rate_slider"), st.sampled_from([0.3, 1.0, 1.26, 2.5, 20.0])),
    st.tuples(st.just("iterations_slider"), st.sampled_from([1, 2, 17, 60, 150])),
    st.tuples(st.just("start_sliders.0"), st.sampled_from([-1.5, -1.0, 0.25, 2.0])),
    st.tuples(st.just("start_sliders.1"), st.sampled_from([-3.0, 5.5, 7.0])),
    st.tuples(st.just("momentum_slider"), st.sampled_from([0.0, 0.5, 0.9, 0.99])),
), min_size=1, max_size=8)


@settings(max_examples=10, deadline=None)
@given(moves=moves)
@example(moves=[("momentum_slider", 0.9), ("iterations_slider", 150), ("momentum_slider", 0.0),
                ("iterations_slider", 17), ("momentum_slider", 0.9)])
def test_any_slider_sequence_draws_the_run_of_the_shown_settings(moves):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LiveFigure, "update", lambda self, full=False: b"")
        patch.setattr(surface, "CACHE_BYTES", 3 * 150 * 48)  # about three runs: most moves forget one
        ex = make_explorer()
        for name, value in moves:
            slider = ex.start_sliders[int(name[-1])] if name.startswith("start") else getattr(ex, name)
            slider.value = value
            assert_shows(ex, ex.learning_rate_slider.value, ex.iterations_slider.value,
                         ex.momentum_slider.value, tuple(s.value for s in ex.start_sliders))
            assert ex._runs.total() <= surface.CACHE_BYTES or len(ex._runs.keys()) == 1


def test_a_diverging_run_is_said_on_the_plot_never_a_traceback():
    ex = make_explorer()
    ex.learning_rate_slider.value = 20.0
    assert ex.message.startswith("Diverged") and ex.message.endswith("The path leaves the picture (clipped).")
    assert ex.message_text.get_visible() and ex.diverged
    assert " ".join(ex.message_text.get_text().split()) == ex.message
    ex.learning_rate_slider.value = 1.0
    assert ex.message == "" and not ex.message_text.get_visible()


def test_a_failing_redraw_is_one_line_on_the_plot(monkeypatch):
    ex = make_explorer()

    def broken(*args, **kwargs):
        raise RuntimeError("the training broke\nsecond line")

    monkeypatch.setattr(surface, "train", broken)
    ex.momentum_slider.value = 0.5  # a new run: it must train, and it fails
    assert ex.message == "Could not redraw: RuntimeError: the training broke"


def test_a_blit_draws_what_a_full_redraw_draws(pixels):
    ex = make_explorer()
    redraws = ex.live.full_redraws
    ex.learning_rate_slider.value = 1.26
    ex.momentum_slider.value = 0.9
    ex.start_sliders[0].value = -1.5
    assert ex.live.full_redraws == redraws  # the contours were not drawn again
    blitted = ex.image.value
    assert bytes(blitted).startswith(b"\x89PNG") and ex.live.update(full=True) == blitted


@pytest.mark.parametrize("numba", [True, False])
def test_sliders_are_live_only_with_numba(monkeypatch, numba):
    monkeypatch.setattr(training_compiled, "AVAILABLE", numba)
    ex = make_explorer(iterations=20)
    assert all(c.continuous_update == numba for c in ex.controls)
    assert ex.note.value.count("pip install numba") == (0 if numba else 1)


def test_the_default_extent_surrounds_the_first_run():
    ex = gdlib.surface_explorer(X, TARGET, learning_rate=1.0, iterations=100, resolution=20)
    path = np.column_stack(ex.path_line.get_data())
    assert np.all(path[0] == 0.0)  # the default network starts at W = b = 0
    for k, (low, high) in enumerate(ex.extent):
        assert low < path[:, k].min() and path[:, k].max() < high


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        (dict(start=(-1.0, 20.0)), ValueError, "must lie inside the extent"),
        (dict(start=(1.0,)), ValueError, "start must be two finite numbers"),
        (dict(start="here"), TypeError, "start must be two numbers"),
        (dict(momentum=0.995), ValueError, "slider's range"),
        (dict(momentum=1.0), ValueError, "momentum"),
        (dict(learning_rate=1000.0), ValueError, "slider's range"),
        (dict(iterations=0), ValueError, "iterations"),
        (dict(iterations=20_000), ValueError, "slider's range"),
        (dict(net=gdlib.Network((1, 2), seed=0, bias=True)), ValueError, "exactly two parameters"),
        (dict(extent=((0, 1), (0, 1), (0, 1))), ValueError, "extent must be two"),
        (dict(loss="hinge"), ValueError, "loss"),
    ],
)
def test_bad_input_to_the_explorer(kwargs, error, words):
    with pytest.raises(error, match=words):
        make_explorer(**kwargs)
