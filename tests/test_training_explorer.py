"""The training explorer: move its sliders from Python and check what was drawn.

Most tests check the data given to the drawn artists (lines, texts); drawing the PNG
(10-100 ms per move) is left out of them, except in the tests that ask for ``pixels``.
"""

import base64

import numpy as np
import pytest
from IPython.core.formatters import DisplayFormatter

import gdlib
from gdlib import envelope, training_compiled
from gdlib.drawing import training_explorer as widgets
from gdlib.drawing.live_figure import LiveFigure

XOR_X = [[0, 0], [0, 1], [1, 0], [1, 1]]
X_10 = [0.1, 0.4, 4.1, 4.3, 1.8, 2.0, 0.01, 0.9, 3.8, 1.6]

#: Every network of the course: (sizes, x, target, learning rate that starts the explorer).
EXAMPLES = {
    "1-1": ((1, 1), 0.1, 0.3, 0.5),
    "2-1": ((2, 1), [0.1, 0.4], 0.3, 0.1),
    "3-2-1": ((3, 2, 1), [0.1, 0.4, 4.1], 0.2, 0.001),
    "10-2-1": ((10, 2, 1), X_10, 0.2, 0.001),
    "3-5-1": ((3, 5, 1), [0.1, 0.4, 4.1], 0.2, 0.001),
    "xor-2-2-1": ((2, 2, 1), XOR_X, [0, 1, 1, 0], 2.0),
    "xor-2-3-2": ((2, 3, 2), XOR_X, [[0, 1], [1, 0], [1, 0], [0, 1]], 2.0),
}


# conftest.py: close figures, and draw no PNG unless a test asks for the ``pixels`` fixture.
pytestmark = pytest.mark.usefixtures("drawing_without_pixels")


def make(name, iterations=2000, **kwargs):
    sizes, x, target, learning_rate = EXAMPLES[name]
    net = gdlib.Network(sizes, seed=0)
    return gdlib.explorer(net, x, target, learning_rate=learning_rate, iterations=iterations, **kwargs)


def assert_drawn_curves_are_the_history(ex):
    """Each line holds the envelope of the history's numbers, at the explorer's width."""
    history = ex.history
    n = ex.iterations_slider.value
    assert history.iterations == n
    assert history.learning_rate == ex.learning_rate_slider.value
    steps = np.arange(n)
    xs, ys = envelope(steps, history.errors, ex.columns)
    np.testing.assert_array_equal(ex.error_line.get_xdata(), xs)
    np.testing.assert_array_equal(ex.error_line.get_ydata(), ys)
    curves = np.asarray(history.predictions).reshape(n, -1)
    assert len(ex.prediction_lines) == min(curves.shape[1], 8)
    for c, line in enumerate(ex.prediction_lines):
        xs, ys = envelope(steps, curves[:, c], ex.columns)
        np.testing.assert_array_equal(line.get_xdata(), xs)
        np.testing.assert_array_equal(line.get_ydata(), ys)


def shown_message(ex):
    """The message on the plot, with its line breaks undone ("" when hidden)."""
    text = ex.message_text
    return " ".join(text.get_text().split()) if text.get_visible() else ""


@pytest.fixture
def count_training(monkeypatch):
    """Count the explorer's calls to train (made after this fixture is requested)."""
    calls = []

    def counting_train(*args, **kwargs):
        calls.append(kwargs["iterations"])
        return gdlib.train(*args, **kwargs)

    monkeypatch.setattr(widgets, "train", counting_train)
    return calls


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_every_course_example_draws_its_history(name):
    ex = make(name)
    assert_drawn_curves_are_the_history(ex)

    ex.learning_rate_slider.value = 3 * ex.learning_rate_slider.value
    assert_drawn_curves_are_the_history(ex)

    ex.iterations_slider.value = 700
    assert_drawn_curves_are_the_history(ex)
    np.testing.assert_array_equal(ex.history.network.weights[0], gdlib.train(
        ex.network, EXAMPLES[name][1], EXAMPLES[name][2],
        learning_rate=ex.learning_rate_slider.value, iterations=700).network.weights[0])


def test_long_runs_are_drawn_as_envelopes_of_the_whole_run():
    ex = make("3-2-1", iterations=80_000)
    assert len(ex.error_line.get_xdata()) == 2 * ex.columns
    assert_drawn_curves_are_the_history(ex)
    assert ex.error_line.get_xdata()[-1] == 79_999  # the last bin ends on the last iteration


def test_the_iterations_slider_shows_a_prefix_without_training(count_training):
    ex = make("3-2-1", iterations=5000)
    count_training.clear()
    long_errors = ex.history.errors.copy()
    for n in (1, 2, 40, 1234, 4999, 5000):
        ex.iterations_slider.value = n
        assert count_training == []  # a shorter run is the start of the cached one
        np.testing.assert_array_equal(ex.error_line.get_ydata(), envelope(
            np.arange(n), long_errors[:n], ex.columns)[1])

    ex.iterations_slider.value = 8000  # longer than any run so far: train once
    assert count_training == [8000]
    ex.iterations_slider.value = 100
    assert count_training == [8000]
    np.testing.assert_array_equal(ex.history.errors, long_errors[:100])


def test_learning_rates_train_the_longest_run_once_each(count_training):
    ex = make("2-1", iterations=3000)
    count_training.clear()
    ex.learning_rate_slider.value = 1.0
    ex.iterations_slider.value = 500
    ex.learning_rate_slider.value = 2.0  # trains for 3000 iterations, the longest so far
    assert count_training == [3000, 3000]
    ex.learning_rate_slider.value = 1.0  # seen before: no training
    ex.learning_rate_slider.value = 0.1
    assert count_training == [3000, 3000]
    assert_drawn_curves_are_the_history(ex)


def test_fixed_axes_are_blitted_and_a_blit_equals_a_full_redraw(pixels):
    ex = make("2-1", iterations=2000)
    assert bytes(ex.image.value).startswith(b"\x89PNG") and ex.image.format == "png"
    redraws = ex.live.full_redraws
    ex.learning_rate_slider.value = 0.2  # same axes limits: only the curves are drawn
    ex.learning_rate_slider.value = 0.3
    assert ex.live.full_redraws == redraws
    blitted = ex.image.value
    assert ex.live.update(full=True) == blitted
    ex.iterations_slider.value = 50  # new x limits: a new background
    assert ex.live.full_redraws == redraws + 2
    ex.iterations_slider.value = 2000  # back to the first limits: a kept background
    assert ex.live.full_redraws == redraws + 2
    assert ex.image.value == blitted


def test_a_diverging_run_says_so_on_the_plot():
    ex = make("2-1", iterations=1000)
    assert shown_message(ex) == ex.history.message == ""
    ex.learning_rate_slider.value = 1000.0
    history = ex.history
    assert history.diverged
    assert history.message.startswith("Diverged")
    assert shown_message(ex) == history.message
    assert ex.message_text.get_bbox_patch().get_edgecolor()[:3] != (0.0, 0.0, 0.0)
    ex.learning_rate_slider.value = 0.1
    assert shown_message(ex) == ""


def test_the_message_box_keeps_clear_of_the_error_curve():
    ex = make("xor-2-2-1", iterations=20_000)
    ex.learning_rate_slider.value = 20.0  # overshooting: the error ends low, the box sits at the top
    low, high = ex.error_line.axes.get_ylim()
    assert ex.error_line.get_ydata()[-1] < (low + high) / 2
    assert ex.message_text.get_position()[1] > 0.5 and ex.message_text.get_va() == "top"
    ex = make("2-1", iterations=1000)
    ex.learning_rate_slider.value = 1000.0  # diverged: the error ends high, the box moves down
    assert shown_message(ex).startswith("Diverged")
    low, high = ex.error_line.axes.get_ylim()
    assert ex.error_line.get_ydata()[-1] > (low + high) / 2
    assert ex.message_text.get_position()[1] < 0.5 and ex.message_text.get_va() == "bottom"


def test_the_message_follows_the_iterations_shown():
    """An overshooting run looks calm in its first iterations, as train would say."""
    ex = make("xor-2-2-1", iterations=20_000)
    ex.learning_rate_slider.value = 20.0  # the error first goes up after iteration 332
    assert shown_message(ex).startswith("Overshooting")
    ex.iterations_slider.value = 300
    assert shown_message(ex) == ex.history.message == ""
    ex.iterations_slider.value = 20_000
    assert shown_message(ex) == ex.history.message != ""


def test_the_width_slider_rebuilds_the_network():
    sizes, x, target, learning_rate = EXAMPLES["3-2-1"]
    net = gdlib.Network(sizes, seed=4)
    ex = gdlib.explorer(net, x, target, learning_rate=0.5, iterations=3000, hidden_widths=(1, 6), seed=4)
    assert ex.hidden_width_slider.value == 2
    assert_same_network(ex.network, net)
    before = ex.error_line.get_ydata()

    ex.hidden_width_slider.value = 5
    assert ex.network.sizes == (3, 5, 1)
    for got, want in zip(ex.network.weights, gdlib.Network((3, 5, 1), seed=4).weights):
        np.testing.assert_array_equal(got, want)
    assert ex.history.network.sizes == (3, 5, 1)
    assert "3-5-1" in ex.title_text.get_text()
    assert_drawn_curves_are_the_history(ex)

    ex.hidden_width_slider.value = 2
    assert_same_network(ex.network, net)
    np.testing.assert_array_equal(ex.error_line.get_ydata(), before)


def assert_same_network(got, want):
    assert got.sizes == want.sizes
    for a, b in zip(got.weights + got.biases, want.weights + want.biases):
        np.testing.assert_array_equal(a, b)


def test_the_width_slider_needs_one_hidden_layer():
    with pytest.raises(ValueError, match="one hidden layer"):
        gdlib.explorer(gdlib.Network((2, 1), seed=0), [0.1, 0.4], 0.3, hidden_widths=(1, 5))
    with pytest.raises(ValueError, match="must include"):
        gdlib.explorer(gdlib.Network((3, 2, 1), seed=0), [0.1, 0.4, 4.1], 0.2, hidden_widths=(3, 5))
    with pytest.raises(TypeError, match="hidden_widths"):
        gdlib.explorer(gdlib.Network((3, 2, 1), seed=0), [0.1, 0.4, 4.1], 0.2, hidden_widths="wide")


@pytest.mark.parametrize(
    ("slider", "value", "shown"),
    [
        ("iterations_slider", 0, 1),  # sliders clamp typed values to their range
        ("iterations_slider", -5, 1),
        ("iterations_slider", 10**7, 100_000),
        ("iterations_slider", 2.0, 2),
        ("learning_rate_slider", 1e-9, 1e-4),
        ("learning_rate_slider", 1e9, 1e3),
    ],
)
def test_any_slider_value_draws(slider, value, shown):
    ex = make("1-1", iterations=300)
    getattr(ex, slider).value = value
    assert getattr(ex, slider).value == pytest.approx(shown)
    assert not shown_message(ex).startswith("Could not")
    assert_drawn_curves_are_the_history(ex)


def test_a_problem_in_a_callback_is_one_line_on_the_plot(monkeypatch, pixels):
    ex = make("2-1", iterations=500)
    before = ex.image.value

    def broken_train(*args, **kwargs):
        raise RuntimeError("something broke\nwith a second line")

    monkeypatch.setattr(widgets, "train", broken_train)
    ex.learning_rate_slider.value = 0.7  # must not raise
    assert shown_message(ex) == "Could not redraw: RuntimeError: something broke"
    assert ex.image.value != before

    monkeypatch.undo()
    ex.learning_rate_slider.value = float("nan")  # no slider clamps NaN: train refuses it
    assert shown_message(ex).startswith("Could not redraw: ValueError: learning_rate")
    ex.learning_rate_slider.value = 0.7
    assert shown_message(ex) == ""
    assert_drawn_curves_are_the_history(ex)


def test_when_even_the_plot_fails_the_problem_is_said_under_the_sliders(monkeypatch):
    ex = make("2-1", iterations=500)

    def broken_update(full=False):
        raise RuntimeError("no canvas\nsecond line")

    monkeypatch.setattr(ex.live, "update", broken_update)
    ex.learning_rate_slider.value = 0.7  # must not raise
    assert ex.note.value == "<b>Could not redraw: RuntimeError: no canvas</b>"


def test_without_numba_the_sliders_redraw_on_release_and_the_note_says_why(monkeypatch):
    """Without numba a new 80,000-iteration run takes seconds: a drag would queue one run per
    step. The sliders then answer when let go, and the note says once how to make them live."""
    monkeypatch.setattr(training_compiled, "AVAILABLE", False)

    def no_numba(*args, **kwargs):
        raise AssertionError("the compiled loop was used")

    monkeypatch.setattr(training_compiled, "train_compiled", no_numba)
    ex = make("3-2-1", iterations=200, hidden_widths=(1, 3))
    sliders = [ex.learning_rate_slider, ex.iterations_slider, ex.hidden_width_slider]
    assert [s.continuous_update for s in sliders] == [False, False, False]
    assert ex.note.value.count("pip install numba") == 1
    ex.learning_rate_slider.value = 0.5
    assert not shown_message(ex).startswith("Could not")
    assert_drawn_curves_are_the_history(ex)


def test_with_numba_the_sliders_are_live_and_the_note_is_quiet(monkeypatch):
    monkeypatch.setattr(training_compiled, "AVAILABLE", True)
    ex = make("1-1", iterations=200, hidden_widths=None)
    assert ex.learning_rate_slider.continuous_update and ex.iterations_slider.continuous_update
    assert "numba" not in ex.note.value


def test_batch_curves_and_targets_are_labelled():
    ex = make("xor-2-2-1", iterations=1000)
    labels = [line.get_label() for line in ex.prediction_lines]
    assert labels == ["sample 1 (target 0)", "sample 2 (target 1)", "sample 3 (target 1)",
                      "sample 4 (target 0)"]
    assert sorted(line.get_ydata()[0] for line in ex.target_lines) == [0.0, 1.0]
    assert all(line.get_linestyle() == "--" for line in ex.target_lines)
    ax_pred, ax_err = ex.live.figure.axes
    assert ax_pred.get_title() and ax_err.get_title()
    assert ax_pred.get_xlabel() == ax_err.get_xlabel() == "iteration"
    assert ax_pred.get_ylim()[0] < 0 and ax_pred.get_ylim()[1] > 1


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"net": "3-2-1"}, TypeError, "gdlib.Network"),
        ({"x": [0.1, 0.4]}, ValueError, "x"),
        ({"learning_rate": 0}, ValueError, "learning_rate"),
        ({"learning_rate": 5000.0}, ValueError, "between"),
        ({"iterations": 0}, ValueError, "iterations"),
        ({"iterations": 200_000}, ValueError, "between"),
        ({"title": 3}, TypeError, "title"),
    ],
)
def test_bad_input_is_named(kwargs, error, words):
    arguments = {"net": gdlib.Network((3, 2, 1), seed=0), "x": [0.1, 0.4, 4.1], "target": 0.2}
    arguments.update(kwargs)
    net, x, target = arguments.pop("net"), arguments.pop("x"), arguments.pop("target")
    with pytest.raises(error, match=words):
        gdlib.explorer(net, x, target, **arguments)


def test_live_figure_redraws_the_background_only_when_needed(pixels):
    live = LiveFigure(figsize=(4, 3), dpi=50)
    ax = live.figure.add_subplot()
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 1)
    (line,) = live.animate(*ax.plot([0, 10], [0, 1]))
    live.set_margins(left=0.5, right=0.2, bottom=0.4, top=0.3)
    assert ax.get_position().x0 * 4 == pytest.approx(0.5)  # inches of a 4-inch-wide figure
    assert (1 - ax.get_position().y1) * 3 == pytest.approx(0.3)
    first = live.update()
    assert live.full_redraws == 1 and live.image.value == first
    line.set_data([0, 10], [1, 0])
    second = live.update()
    assert live.full_redraws == 1 and second != first
    ax.set_ylim(0, 2)
    live.update()
    assert live.full_redraws == 2
    ax.set_ylim(0, 1)  # limits seen before: their background was kept
    assert live.update() == second
    assert live.full_redraws == 2
    ax.set_title("a new title")
    live.invalidate()
    titled = live.update()
    assert live.full_redraws == 3
    assert live.update(full=True) == titled


def test_the_display_data_holds_the_widget_and_the_current_picture(pixels):
    """What the kernel sends: the widget view (JupyterLab draws the sliders), the PNG of the
    plot shown now (slides, nbviewer, GitHub draw it) and one short sentence."""
    ex = make("3-2-1", iterations=500)
    ex.learning_rate_slider.value = 0.5
    data, _ = DisplayFormatter().format(ex)
    assert data["application/vnd.jupyter.widget-view+json"]["model_id"] == ex.model_id
    assert base64.b64decode(data["image/png"]) == ex.image.value
    assert data["text/plain"] == "Training explorer: run the notebook to move its sliders."
    ex.iterations_slider.value = 100
    data, _ = DisplayFormatter().format(ex)
    assert base64.b64decode(data["image/png"]) == ex.image.value


def test_the_message_box_stays_inside_its_panel():
    ex = make("xor-2-2-1", iterations=20_000)
    ex.learning_rate_slider.value = 1000.0
    assert shown_message(ex) == " ".join(ex.history.message.split()) != ""
    renderer = ex.live.canvas.get_renderer()
    ex.message_text.update_bbox_position_size(renderer)  # where drawing it would put its box
    box = ex.message_text.get_bbox_patch().get_window_extent(renderer)
    panel = ex.error_line.axes.get_window_extent(renderer)
    assert panel.x0 < box.x0 and box.x1 < panel.x1 and panel.y0 < box.y0 and box.y1 < panel.y1


def test_the_explorer_keeps_its_own_copy_of_the_network():
    """A learner who changes the net after making the explorer does not break its sliders."""
    sizes, x, target, _ = EXAMPLES["3-2-1"]
    net = gdlib.Network(sizes, seed=0)
    ex = gdlib.explorer(net, x, target, learning_rate=0.5, iterations=500)
    net.weights[0][0, 0] = 99.0  # changed in place
    net.weights[1] = np.zeros((2000, 1))  # replaced by an array of the wrong shape
    ex.learning_rate_slider.value = 1.0
    assert not shown_message(ex).startswith("Could not")
    fresh = gdlib.train(gdlib.Network(sizes, seed=0), x, target, learning_rate=1.0, iterations=500)
    _, ys = envelope(np.arange(500), fresh.errors, ex.columns)
    np.testing.assert_array_equal(ex.error_line.get_ydata(), ys)


def test_a_network_with_broken_weights_is_refused_in_one_sentence():
    sizes, x, target, _ = EXAMPLES["3-2-1"]
    net = gdlib.Network(sizes, seed=0)
    net.weights[1] = np.zeros((2000, 1))
    with pytest.raises(ValueError, match=r"^weights\[1\] must have shape \(2, 1\).*got \(2000, 1\)\.$"):
        gdlib.explorer(net, x, target)
