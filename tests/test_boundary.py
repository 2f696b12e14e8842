"""Decision boundaries (notebook 07): what is drawn comes from the network, and the explorer
redraws what gradient descent really did, never raising from a control.

The explorer tests check the data given to the drawn artists; drawing the PNG is left out
of them, except in the tests that ask for ``pixels``.
"""

import matplotlib

matplotlib.use("Agg")

import base64  # noqa: E402

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from IPython.core.formatters import DisplayFormatter  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.image import AxesImage  # noqa: E402

import gdlib  # noqa: E402
from gdlib.drawing import boundary  # noqa: E402
from gdlib.drawing.envelope import envelope  # noqa: E402
from gdlib.drawing.live_figure import LiveFigure  # noqa: E402

# conftest.py: close figures, and draw no PNG unless a test asks for the ``pixels`` fixture.
pytestmark = pytest.mark.usefixtures("close_figures", "drawing_without_pixels")


@pytest.fixture(scope="module")
def moons():
    return gdlib.two_moons(40, noise=0.2, seed=1)


@pytest.fixture(scope="module")
def trained(moons):
    x, labels = moons
    net = gdlib.Network((2, 6, 1), seed=2, bias=True)
    return gdlib.train(net, x, labels, learning_rate=3.0, iterations=400).network


def boundary_lines(ax):
    return [line for line in ax.get_lines() if to_hex(line.get_color()) == "#000000"]


def the_grid(x, resolution):
    """The grid as the docstring describes it, rebuilt here independently."""
    low, high = x.min(axis=0) - boundary.PADDING, x.max(axis=0) + boundary.PADDING
    return np.linspace(low[0], high[0], resolution), np.linspace(low[1], high[1], resolution)


# --------------------------------------------------------------------------- the static plot

def test_the_shading_is_net_predict_on_the_grid(moons, trained):
    x, labels = moons
    fig = gdlib.plot_decision_boundary(trained, x, labels, resolution=30)
    ax = fig.axes[0]
    (shade,) = [a for a in ax.get_children() if isinstance(a, AxesImage)]
    drawn = np.asarray(shade.get_array())
    assert drawn.shape == (30, 30)
    g1, g2 = the_grid(x, 30)
    for i, j in [(0, 0), (0, 29), (29, 0), (29, 29), (7, 18), (15, 3), (22, 25)]:
        expected = trained.predict(np.array([g1[j], g2[i]]))[0]  # row i is x2, column j is x1
        assert drawn[i, j] == pytest.approx(expected, abs=1e-12)
    # the image is placed so that pixel centres sit on the grid points
    left, right, bottom, top = shade.get_extent()
    assert (left + right) / 2 == pytest.approx((g1[0] + g1[-1]) / 2)
    assert (right - left) / 30 == pytest.approx(g1[1] - g1[0])
    assert (top - bottom) / 30 == pytest.approx(g2[1] - g2[0])


def test_the_black_line_is_where_the_prediction_is_one_half(moons, trained):
    x, labels = moons
    fig = gdlib.plot_decision_boundary(trained, x, labels, resolution=120)
    lines = boundary_lines(fig.axes[0])
    assert len(lines) == 1
    xs, ys = (np.asarray(a, dtype=float) for a in lines[0].get_data())
    points = np.column_stack([xs, ys])[np.isfinite(xs)]
    assert len(points) > 20
    predicted = trained.predict(points)[:, 0]
    assert np.max(np.abs(predicted - 0.5)) < 0.01  # linear interpolation on a fine grid


def test_points_are_drawn_by_class_with_labels_and_title(moons, trained):
    x, labels = moons
    fig = gdlib.plot_decision_boundary(trained, x, labels, title="My title")
    ax = fig.axes[0]
    offsets = [np.asarray(c.get_offsets()) for c in ax.collections]
    np.testing.assert_allclose(offsets[0], x[labels[:, 0] == 0])
    np.testing.assert_allclose(offsets[1], x[labels[:, 0] == 1])
    assert ax.get_title() == "My title"
    assert ax.get_xlabel() == "input x1" and ax.get_ylabel() == "input x2"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["class 0", "class 1"]


def test_draws_into_a_given_axes_and_returns_its_figure(moons, trained):
    x, labels = moons
    fig, axes = plt.subplots(1, 2)
    assert gdlib.plot_decision_boundary(trained, x, labels, ax=axes[1], legend=False) is fig
    assert axes[1].images and not axes[0].images
    assert axes[1].get_legend() is None


def test_a_flat_prediction_has_no_boundary_line():
    x, target = gdlib.xor_data()
    flat = gdlib.Network((2, 1), weights=[np.zeros((2, 1))], biases=[np.full(1, 1e-17)])
    fig = gdlib.plot_decision_boundary(flat, x, target)
    (line,) = boundary_lines(fig.axes[0])
    assert len(line.get_xdata()) == 0


def test_a_network_with_broken_weights_is_refused_in_one_sentence(moons):
    x, labels = moons
    net = gdlib.Network((2, 3, 1), seed=0)
    net.weights[0] = np.ones((3, 2))  # transposed
    for draw in (lambda: gdlib.plot_decision_boundary(net, x, labels),
                 lambda: boundary.decision_grid(net, x)):
        with pytest.raises(ValueError, match=r"^weights\[0\] must have shape \(2, 3\).*\(transposed\?"):
            draw()
    assert plt.get_fignums() == []


def test_decision_grid_matches_predict(trained, moons):
    x, _ = moons
    xx, yy, predicted = boundary.decision_grid(trained, x, resolution=9)
    assert xx.shape == yy.shape == predicted.shape == (9, 9)
    points = np.column_stack([xx.ravel(), yy.ravel()])
    np.testing.assert_allclose(predicted.ravel(), trained.predict(points)[:, 0], atol=1e-15)


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "words"),
    [
        (("net3", "x", "labels"), {}, ValueError, "2 inputs and 1 output"),
        (("not a net", "x", "labels"), {}, TypeError, "net must"),
        (("net", "x3", "labels"), {}, ValueError, "x must have shape"),
        (("net", "x", "labels_wrong_count"), {}, ValueError, "labels must have shape"),
        (("net", "x", "labels_not_01"), {}, ValueError, "labels must be 0 or 1"),
        (("net", "x", "labels"), {"ax": "axes"}, TypeError, "ax must"),
        (("net", "x", "labels"), {"resolution": 1}, ValueError, "resolution must"),
        (("net", "x", "labels"), {"title": 5}, TypeError, "title must"),
    ],
)
def test_bad_input_to_plot_decision_boundary(moons, trained, args, kwargs, error, words):
    x, labels = moons
    things = {"net": trained, "net3": gdlib.Network((3, 1), seed=0), "not a net": "not a net",
              "x": x, "x3": np.ones((5, 3)), "labels": labels, "labels_wrong_count": labels[:-1],
              "labels_not_01": labels * 2}
    with pytest.raises(error, match=words):
        gdlib.plot_decision_boundary(*(things[a] for a in args), **kwargs)


# --------------------------------------------------------------------------- the chunked run

def count_training(monkeypatch):
    """Count the calls to gdlib.train made by the boundary module."""
    calls = []
    real = boundary.train

    def counting(*args, **kwargs):
        calls.append(kwargs["iterations"])
        return real(*args, **kwargs)

    monkeypatch.setattr(boundary, "train", counting)
    return calls


def test_chunked_run_is_one_long_run(moons, monkeypatch):
    x, labels = moons
    start = gdlib.Network((2, 4, 4, 1), seed=3, bias=True)
    reference = gdlib.train(start, x, labels, learning_rate=2.0, iterations=500)
    calls = count_training(monkeypatch)
    run = boundary.ChunkedRun(start, x, labels, learning_rate=2.0, chunk=100)
    run.advance_to(450)
    assert calls == [100] * 5 and run.iterations == 500
    np.testing.assert_allclose(run.errors, reference.errors, rtol=0, atol=1e-12)
    for a, b in zip(run.network_at(500).weights + run.network_at(500).biases,
                    reference.network.weights + reference.network.biases):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)
    # going back: a kept snapshot, no training at all
    calls.clear()
    at_300 = run.network_at(300)
    assert calls == []
    expected = gdlib.train(start, x, labels, learning_rate=2.0, iterations=300).network
    np.testing.assert_allclose(at_300.weights[0], expected.weights[0], rtol=0, atol=1e-12)
    # between snapshots: only the rest of one chunk
    at_250 = run.network_at(250)
    assert calls == [50]
    expected = gdlib.train(start, x, labels, learning_rate=2.0, iterations=250).network
    np.testing.assert_allclose(at_250.weights[1], expected.weights[1], rtol=0, atol=1e-12)
    assert run.network_at(0) is run.networks[0]


@pytest.fixture
def third_chunk_overflows(monkeypatch):
    """Sigmoid networks hardly ever overflow, so the third chunk pretends to, as train reports
    it: non-finite errors and no network. Yields the list of train calls."""
    real = boundary.train
    calls = []

    def overflowing_third(net, *args, **kwargs):
        calls.append(1)
        history = real(net, *args, **kwargs)
        if len(calls) == 3:
            history.errors[5:] = np.inf
            history.network = None
        return history

    monkeypatch.setattr(boundary, "train", overflowing_third)
    return calls


def test_chunked_run_stops_at_an_overflow(moons, third_chunk_overflows):
    x, labels = moons
    calls = third_chunk_overflows
    run = boundary.ChunkedRun(gdlib.Network((2, 3, 1), seed=0), x, labels, learning_rate=1.0, chunk=10)
    run.advance_to(100)
    assert run.overflowed and len(calls) == 3 and len(run.networks) == 3
    assert run.iterations == 30 and np.isinf(run.errors[25])
    assert run.network_at(20) is run.networks[2]
    assert run.network_at(30) is None and run.network_at(100) is None
    assert len(calls) == 3  # nothing trained after the overflow


# --------------------------------------------------------------------------- the explorer

@pytest.fixture
def explorer(moons):
    x, labels = moons
    return gdlib.boundary_explorer(x, labels, sizes_options=("none", "3", "4-4"), hidden="3",
                                   learning_rate=2.0, iterations=300, max_iterations=1000, step=50,
                                   resolution=25)


def expected_run(x, labels, hidden, learning_rate, iterations):
    start = gdlib.Network((2, *hidden, 1), seed=0, bias=True)
    return gdlib.train(start, x, labels, learning_rate=learning_rate, iterations=iterations)


def assert_shows(explorer, x, labels, hidden, learning_rate, iterations):
    """The explorer's drawn curve, shading and numbers are those of gdlib.train."""
    history = expected_run(x, labels, hidden, learning_rate, iterations)
    np.testing.assert_allclose(explorer.errors, history.errors, rtol=0, atol=1e-12)
    xs, ys = envelope(np.arange(iterations), history.errors, explorer.columns)
    drawn_x, drawn_y = explorer.error_line.get_data()
    np.testing.assert_allclose(drawn_x, xs)
    np.testing.assert_allclose(drawn_y, ys, rtol=0, atol=1e-12)
    points = np.column_stack([explorer.xx.ravel(), explorer.yy.ravel()])
    expected_shade = history.network.predict(points)[:, 0].reshape(explorer.xx.shape)
    np.testing.assert_allclose(np.asarray(explorer.shade.get_array()), expected_shade, rtol=0, atol=1e-12)
    layout = "-".join(str(s) for s in (2, *hidden, 1))
    assert f"{layout} network" in explorer.title_text.get_text()
    assert f"{iterations:,} iterations" in explorer.title_text.get_text()


def test_explorer_starts_with_the_asked_run(explorer, moons):
    x, labels = moons
    assert explorer.sizes_dropdown.value == (3,)
    assert [name for name, _ in explorer.sizes_dropdown.options] == ["none", "3", "4-4"]
    assert_shows(explorer, x, labels, (3,), 2.0, 300)


def test_moving_the_learning_rate_redraws(explorer, moons):
    x, labels = moons
    explorer.learning_rate_slider.value = 0.5
    assert_shows(explorer, x, labels, (3,), 0.5, 300)


def test_moving_the_iterations_back_replays_without_training(explorer, moons, monkeypatch):
    x, labels = moons
    explorer.iterations_slider.value = 800
    assert_shows(explorer, x, labels, (3,), 2.0, 800)
    calls = count_training(monkeypatch)
    explorer.iterations_slider.value = 150
    assert calls == []
    assert_shows(explorer, x, labels, (3,), 2.0, 150)
    explorer.iterations_slider.value = 900  # on from the longest run: two more chunks only
    assert calls == [50, 50]


def test_changing_the_layout_redraws(explorer, moons):
    x, labels = moons
    explorer.sizes_dropdown.value = (4, 4)
    assert_shows(explorer, x, labels, (4, 4), 2.0, 300)
    explorer.sizes_dropdown.value = ()
    assert_shows(explorer, x, labels, (), 2.0, 300)


def test_the_display_data_holds_the_widget_and_the_current_picture(pixels, explorer):
    """The widget view for JupyterLab, the PNG shown now for the slides, a short sentence."""
    before = explorer.image.value
    explorer.learning_rate_slider.value = 0.5
    assert explorer.image.value != before
    data, _ = DisplayFormatter().format(explorer)
    assert data["application/vnd.jupyter.widget-view+json"]["model_id"] == explorer.model_id
    assert base64.b64decode(data["image/png"]) == explorer.image.value
    assert data["text/plain"] == "Decision-boundary explorer: run the notebook to move its controls."


def test_a_diverging_run_is_reported_on_the_plot(explorer, moons):
    x, labels = moons
    explorer.learning_rate_slider.value = 100.0
    history = expected_run(x, labels, (3,), 100.0, 300)
    assert explorer.message and explorer.message == history.message
    assert explorer.message_text.get_visible()
    assert explorer.message_text.get_text().replace("\n", " ") == explorer.message
    explorer.learning_rate_slider.value = 2.0
    assert explorer.message == "" and not explorer.message_text.get_visible()


def test_the_message_box_keeps_clear_of_the_error_curve(explorer):
    explorer.learning_rate_slider.value = 100.0  # the error jumps up and stays high
    low, high = explorer.error_line.axes.get_ylim()
    assert explorer.message_text.get_visible() and explorer.error_line.get_ydata()[-1] > (low + high) / 2
    assert explorer.message_text.get_position()[1] < 0.5 and explorer.message_text.get_va() == "bottom"


def test_a_failing_redraw_becomes_a_message_not_an_exception(pixels, explorer, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the training broke")

    monkeypatch.setattr(boundary, "train", broken)
    before = explorer.image.value
    explorer.learning_rate_slider.value = 0.7  # a new run: it must train, and it fails
    assert "Could not redraw: RuntimeError: the training broke" in explorer.message
    assert "the training broke" in explorer.message_text.get_text().replace("\n", " ")
    assert explorer.message_text.get_visible()
    assert explorer.image.value != before


def test_an_overflowed_run_is_drawn_up_to_the_overflow(moons, third_chunk_overflows):
    x, labels = moons
    ex = gdlib.boundary_explorer(x, labels, sizes_options=("3",), learning_rate=2.0, iterations=300,
                                 max_iterations=1000, step=50, resolution=25)
    assert ex.network is None and len(ex.errors) == 150  # two whole chunks and the overflowing one
    assert ex.message == "Diverged: the numbers overflowed at iteration 105. Lower the learning rate."
    assert ex.message_text.get_text().replace("\n", " ") == ex.message
    np.testing.assert_array_equal(ex.error_line.get_xdata(), np.arange(105))
    np.testing.assert_array_equal(ex.error_line.get_ydata(), ex.errors[:105])
    assert len(ex.boundary.get_xdata()) == 0  # no network, no boundary
    assert "final error" in ex.title_text.get_text() and "300 iterations" in ex.title_text.get_text()


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        (dict(sizes_options=("8-x",)), ValueError, "not a layout"),
        (dict(sizes_options=("0",)), ValueError, "fewer than 1"),
        (dict(sizes_options="8"), TypeError, "sizes_options must"),
        (dict(sizes_options=()), ValueError, "empty"),
        (dict(sizes_options=(8,)), TypeError, "layout is a text"),
        (dict(hidden="5"), ValueError, "hidden must be one of"),
        (dict(learning_rate=0), ValueError, "learning_rate"),
        (dict(learning_rate=1000), ValueError, "slider's range"),
        (dict(iterations=20_000), ValueError, "at most max_iterations"),
        (dict(iterations=150, step=100), ValueError, "multiples of step"),
        (dict(step=0), ValueError, "step must"),
        (dict(seed=-2), ValueError, "seed must"),
        (dict(title=3), TypeError, "title must"),
    ],
)
def test_bad_input_to_the_explorer(moons, kwargs, error, words):
    x, labels = moons
    with pytest.raises(error, match=words):
        gdlib.boundary_explorer(x, labels, **kwargs)


def test_explorer_rejects_bad_points():
    with pytest.raises(ValueError, match="x must have shape"):
        gdlib.boundary_explorer(np.ones((5, 3)), np.zeros(5))
    with pytest.raises(ValueError, match="labels must be 0 or 1"):
        gdlib.boundary_explorer(np.ones((5, 2)), np.full(5, 0.5))


# --------------------------------------------------------------------------- mini-batches (notebook 09)

def batch_explorer(moons, **kwargs):
    x, labels = moons
    settings_ = dict(sizes_options=("none", "3"), hidden="3", learning_rate=2.0, iterations=100,
                     max_iterations=400, step=50, resolution=15, batch_sizes=(None, 10, 1))
    settings_.update(kwargs)
    return gdlib.boundary_explorer(x, labels, **settings_)


def assert_shows_batches(explorer, x, labels, hidden, learning_rate, iterations, batch_size):
    """What is drawn is a fresh train with these settings and the explorer's seed (0)."""
    start = gdlib.Network((2, *hidden, 1), seed=0, bias=True)
    history = gdlib.train(start, x, labels, learning_rate=learning_rate, iterations=iterations,
                          batch_size=batch_size, seed=0)
    np.testing.assert_array_equal(explorer.errors, history.errors)
    np.testing.assert_array_equal(explorer.error_line.get_ydata(),
                                  envelope(np.arange(iterations), history.errors, explorer.columns)[1])
    points = np.column_stack([explorer.xx.ravel(), explorer.yy.ravel()])
    expected_shade = history.network.predict(points)[:, 0].reshape(explorer.xx.shape)
    np.testing.assert_allclose(np.asarray(explorer.shade.get_array()), expected_shade, rtol=0, atol=1e-12)
    assert explorer.message == history.message
    assert ("batches of" in explorer.title_text.get_text()) == (batch_size is not None)


def test_without_batch_sizes_the_explorer_is_that_of_notebook_07(explorer):
    assert explorer.batch_dropdown is None and explorer.batch_size is None
    assert len(explorer.controls) == 3 and "epoch" not in explorer.note.value


def test_the_batch_dropdown_offers_the_sizes_and_the_note_says_what_an_iteration_is(moons):
    ex = batch_explorer(moons)
    assert ex.batch_dropdown.options == (("full batch (40)", 40), ("10", 10), ("1", 1))
    assert ex.batch_dropdown.value == 40 and ex.batch_size is None
    assert "an iteration is one update on b points" in ex.note.value and "m / b updates" in ex.note.value
    assert batch_explorer(moons, batch_size=10).batch_size == 10
    assert batch_explorer(moons, batch_sizes=(40, 5), batch_size=None).batch_dropdown.value == 40


def test_a_mini_batch_boundary_is_that_of_a_fresh_train(moons):
    x, labels = moons
    ex = batch_explorer(moons)
    ex.batch_dropdown.value = 10
    assert_shows_batches(ex, x, labels, (3,), 2.0, 100, 10)
    ex.iterations_slider.value = 350
    assert_shows_batches(ex, x, labels, (3,), 2.0, 350, 10)
    ex.iterations_slider.value = 50  # a kept snapshot of the same run
    assert_shows_batches(ex, x, labels, (3,), 2.0, 50, 10)
    ex.batch_dropdown.value = 40
    assert_shows_batches(ex, x, labels, (3,), 2.0, 50, None)
    assert isinstance(ex.run, boundary.ChunkedRun)


batch_moves = st.lists(st.one_of(
    st.tuples(st.just("sizes_dropdown"), st.sampled_from([(), (3,)])),
    st.tuples(st.just("learning_rate_slider"), st.sampled_from([0.5, 2.0])),
    st.tuples(st.just("iterations_slider"), st.sampled_from([50, 100, 150, 300, 400])),
    st.tuples(st.just("batch_dropdown"), st.sampled_from([40, 10, 1])),
), min_size=1, max_size=8)


@settings(max_examples=8, deadline=None)
@given(moves=batch_moves)
@example(moves=[("batch_dropdown", 1), ("iterations_slider", 150), ("iterations_slider", 400),
                ("iterations_slider", 50), ("batch_dropdown", 10), ("batch_dropdown", 1)])
def test_any_move_sequence_draws_the_run_of_the_shown_batch_size(moons, moves):
    x, labels = moons
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LiveFigure, "update", lambda self, full=False: b"")
        patch.setattr(boundary, "CACHE_BYTES", 4000)  # a few runs: most moves forget one
        ex = batch_explorer(moons)
        for control, value in moves:
            getattr(ex, control).value = value
            assert_shows_batches(ex, x, labels, ex.sizes_dropdown.value, ex.learning_rate_slider.value,
                                 ex.iterations_slider.value, ex.batch_size)
            assert ex._runs.total() <= 4000 or len(ex._runs.keys()) == 1


def test_a_recorded_run_trains_from_the_start_only_when_asked_for_more(moons, monkeypatch):
    x, labels = moons
    start = gdlib.Network((2, 3, 1), seed=0, bias=True)
    calls = count_training(monkeypatch)
    run = boundary.RecordedRun(start, x, labels, learning_rate=2.0, batch_size=10, seed=0, chunk=50,
                               most=1000)
    run.advance_to(150)
    assert calls == [150] and run.iterations == 150 and len(run.networks) == 4
    assert run.network_at(100) is run.networks[2] and calls == [150]  # a snapshot
    run.network_at(200)  # more: from the start again, to twice as many
    assert calls == [150, 300] and run.iterations == 300
    run.advance_to(900)
    assert calls == [150, 300, 900]
    run.advance_to(950)  # twice 900 is more than most: most
    assert calls == [150, 300, 900, 1000]
    fresh = gdlib.train(start, x, labels, learning_rate=2.0, iterations=130, batch_size=10, seed=0)
    between = run.network_at(130)  # between snapshots: the first 130 updates again
    np.testing.assert_array_equal(between.weights[0], fresh.network.weights[0])
    assert run.nbytes() < 1000 * 8 + 21 * 2 * 13 * 8  # errors and snapshots, not the record


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        (dict(batch_sizes="10"), TypeError, "batch_sizes must be a list"),
        (dict(batch_sizes=(0,)), ValueError, "from 1 to 40"),
        (dict(batch_sizes=(41,)), ValueError, "from 1 to 40"),
        (dict(batch_sizes=(2.5,)), TypeError, "whole number"),
        (dict(batch_sizes=()), ValueError, "empty"),
        (dict(batch_sizes=(None, 10), batch_size=5), ValueError, "one of batch_sizes"),
        (dict(batch_sizes=None, batch_size=5), ValueError, "batch_size needs batch_sizes"),
    ],
)
def test_bad_batch_sizes_are_refused(moons, kwargs, error, words):
    with pytest.raises(error, match=words):
        batch_explorer(moons, **kwargs)
