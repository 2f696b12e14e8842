"""plot_history: what is drawn is the history's numbers, the target, the message."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from matplotlib.transforms import Bbox  # noqa: E402

import gdlib  # noqa: E402
from gdlib.drawing.history_plot import MAX_CURVES, plot_history  # noqa: E402
from gdlib.drawing.style import DIVERGED_BOX, WARNING_BOX  # noqa: E402

X3 = np.array([0.1, 0.4, 4.1])


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def curves(ax):
    """The solid lines of a panel (the curves), in drawing order."""
    return [line for line in ax.get_lines() if line.get_linestyle() == "-"]


def targets(ax):
    return [line for line in ax.get_lines() if line.get_linestyle() == "--"]


def legend_texts(fig):
    """The entries of the legend under the panels."""
    (legend,) = fig.legends
    return [t.get_text() for t in legend.get_texts()]


def message(fig):
    """The message box of the error panel, or None when it is hidden or absent."""
    boxes = [t for t in fig.axes[1].texts if t.get_gid() == "message" and t.get_visible()]
    return boxes[0] if boxes else None


def all_texts(fig):
    """Every string written on the figure: titles, labels, legends, boxes."""
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def one_one_run(learning_rate=0.5, iterations=200, x=0.1, target=0.3, seed=1):
    return gdlib.train(gdlib.Network((1, 1), seed=seed), x, target,
                       learning_rate=learning_rate, iterations=iterations)


def overflowed_history():
    """A run as ``train`` reports an overflow: finite for 2,000 iterations, then NaN."""
    k = np.arange(3000)
    errors = 0.01 * np.exp(k / 300.0)
    predictions = (0.5 + 0.4 * np.sin(k / 20.0))[:, None]
    errors[2000:] = np.nan
    predictions[2000:] = np.nan
    return gdlib.History.from_arrays(predictions, errors, 0.3, learning_rate=1e3)


def test_short_run_draws_every_prediction_and_error_exactly():
    h = one_one_run(iterations=300)
    fig = plot_history(h)
    ax_pred, ax_err = fig.axes
    (pred,) = curves(ax_pred)
    (err,) = curves(ax_err)
    np.testing.assert_array_equal(pred.get_xdata(), np.arange(300))
    np.testing.assert_array_equal(pred.get_ydata(), h.predictions[:, 0])
    np.testing.assert_array_equal(err.get_xdata(), np.arange(300))
    np.testing.assert_array_equal(err.get_ydata(), h.errors)


def test_target_is_a_dashed_line_at_the_target():
    h = one_one_run(target=0.3)
    ax_pred = plot_history(h).axes[0]
    (line,) = targets(ax_pred)
    np.testing.assert_array_equal(line.get_ydata(), [0.3, 0.3])
    assert line.get_label() == "target"
    assert legend_texts(plot_history(h)) == ["predicted", "target"]


def test_titles_and_axis_labels():
    h = one_one_run(learning_rate=0.5, iterations=200)
    fig = plot_history(h)
    ax_pred, ax_err = fig.axes
    assert ax_pred.get_title() == "Prediction per iteration"
    assert ax_err.get_title() == "Error per iteration"
    assert ax_pred.get_xlabel() == ax_err.get_xlabel() == "iteration"
    assert ax_pred.get_ylabel() == "prediction"
    assert ax_err.get_ylabel() == "error E"
    assert fig.get_suptitle() == "learning rate = 0.5, 200 iterations"
    assert plot_history(h, title="Part 1").get_suptitle() == "Part 1"


def test_figure_fits_a_slide():
    fig = plot_history(one_one_run())
    width, height = fig.get_size_inches()
    assert width <= 9 and height <= 3.6
    fig.canvas.draw()
    (legend,) = fig.legends  # under the panels, inside the figure, clear of both panels
    box = legend.get_window_extent()
    assert fig.bbox.x0 <= box.x0 and box.x1 <= fig.bbox.x1 and box.y0 >= fig.bbox.y0
    assert not any(box.overlaps(ax.get_window_extent()) for ax in fig.axes)


def test_long_run_is_drawn_as_the_min_max_of_each_bin():
    h = gdlib.train(gdlib.Network((3, 2, 1), seed=0), X3, 0.2, learning_rate=0.001, iterations=80_000)
    fig = plot_history(h, max_points=1000)
    for ax, values in zip(fig.axes, (h.predictions[:, 0], h.errors)):
        (line,) = curves(ax)
        xs, ys = line.get_xdata(), line.get_ydata()
        assert len(xs) == 1000  # 500 bins of 160 iterations, two points each
        bins = values.reshape(500, 160)
        np.testing.assert_array_equal(np.minimum(ys[0::2], ys[1::2]), bins.min(axis=1))
        np.testing.assert_array_equal(np.maximum(ys[0::2], ys[1::2]), bins.max(axis=1))
        np.testing.assert_array_equal(ys, values[xs.astype(int)])  # each point is a real sample


def test_an_oscillating_run_is_drawn_as_a_band():
    h = one_one_run(learning_rate=50, iterations=80_000, x=1.0, target=0.3)
    (line,) = curves(plot_history(h, max_points=400).axes[0])
    ys = line.get_ydata()
    bins = h.predictions[:, 0].reshape(200, 400)
    # every bin spans the whole swing of the oscillation, as the full curve does
    np.testing.assert_array_equal(np.maximum(ys[0::2], ys[1::2]), bins.max(axis=1))
    np.testing.assert_array_equal(np.minimum(ys[0::2], ys[1::2]), bins.min(axis=1))
    assert np.ptp(bins, axis=1).min() > 0.3


def test_the_history_is_not_changed_by_drawing():
    h = one_one_run(iterations=5000)
    predictions, errors = h.predictions.copy(), h.errors.copy()
    plot_history(h, max_points=100)
    np.testing.assert_array_equal(h.predictions, predictions)
    np.testing.assert_array_equal(h.errors, errors)


def test_batch_draws_one_curve_per_sample_and_each_target():
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    t = np.array([0.0, 1.0, 1.0, 0.0])
    h = gdlib.train(gdlib.Network((2, 3, 1), seed=2), x, t, learning_rate=2, iterations=500)
    ax_pred = plot_history(h).axes[0]
    lines = curves(ax_pred)
    assert [line.get_label() for line in lines] == ["sample 1", "sample 2", "sample 3", "sample 4"]
    for s, line in enumerate(lines):
        np.testing.assert_array_equal(line.get_ydata(), h.predictions[:, s, 0])
    assert sorted(line.get_ydata()[0] for line in targets(ax_pred)) == [0.0, 1.0]
    assert len({c.get_color() for c in lines}) == 4


def test_more_than_eight_curves_says_how_many_are_left_out():
    x = np.random.default_rng(0).random((6, 2))
    h = gdlib.train(gdlib.Network((2, 2), seed=3), x, np.full((6, 2), 0.5),
                    learning_rate=1, iterations=50)
    fig = plot_history(h)
    assert len(curves(fig.axes[0])) == MAX_CURVES
    assert "(4 more curves not drawn)" in legend_texts(fig)  # test_legibility: the legend fits


def test_a_list_of_runs_is_overlaid_with_learning_rate_labels():
    runs = [one_one_run(learning_rate=lr, iterations=400) for lr in (0.01, 0.5, 5)]
    fig = plot_history(runs)
    ax_pred, ax_err = fig.axes
    assert [c.get_label() for c in curves(ax_pred)] == [
        "learning rate = 0.01", "learning rate = 0.5", "learning rate = 5"]
    for run, pred, err in zip(runs, curves(ax_pred), curves(ax_err)):
        np.testing.assert_array_equal(pred.get_ydata(), run.predictions[:, 0])
        np.testing.assert_array_equal(err.get_ydata(), run.errors)
        assert pred.get_color() == err.get_color()
    assert len({c.get_color() for c in curves(ax_err)}) == 3
    assert len(targets(ax_pred)) == 1  # the same target, drawn once
    custom = plot_history(runs, labels=["slow", "good", "fast"], title="three runs")
    assert [c.get_label() for c in curves(custom.axes[0])] == ["slow", "good", "fast"]
    assert custom.get_suptitle() == "three runs"


def test_runs_of_different_lengths_share_the_x_axis():
    runs = [one_one_run(iterations=100), one_one_run(iterations=300)]
    ax_err = plot_history(runs).axes[1]
    assert ax_err.get_xlim() == (0, 299)
    assert [len(c.get_xdata()) for c in curves(ax_err)] == [100, 300]


def test_a_diverged_run_says_so_in_a_red_box():
    h = one_one_run(learning_rate=1e4, iterations=3000)
    assert h.diverged and h.message
    fig = plot_history(h)
    box = message(fig)
    assert box.get_text().replace("\n", " ") == h.message
    assert to_hex(box.get_bbox_patch().get_edgecolor()) == DIVERGED_BOX[0].lower()
    fig.canvas.draw()
    inside = Bbox(fig.axes[1].get_window_extent().get_points())
    assert inside.containsx(box.get_window_extent().x0) and inside.containsx(box.get_window_extent().x1)


def test_a_warning_is_boxed_in_orange():
    h = one_one_run(learning_rate=50, iterations=5000, x=1.0)
    assert not h.diverged and h.message.startswith("Overshooting")
    box = message(plot_history(h))
    assert box.get_text().replace("\n", " ") == h.message
    assert to_hex(box.get_bbox_patch().get_edgecolor()) == WARNING_BOX[0].lower()


def test_a_calm_run_has_no_message_box():
    h = one_one_run()
    assert h.message == ""
    assert message(plot_history(h)) is None


def test_messages_of_overlaid_runs_name_their_run():
    runs = [one_one_run(learning_rate=0.5, iterations=3000), one_one_run(learning_rate=1e4, iterations=3000)]
    box = message(plot_history(runs, labels=["calm", "wild"]))
    assert box.get_text().replace("\n", " ") == "wild: " + runs[1].message


def test_an_overflowed_run_is_drawn_up_to_its_last_finite_iteration():
    h = overflowed_history()
    fig = plot_history(h, max_points=5000)
    ax_pred, ax_err = fig.axes
    for ax, values in ((ax_pred, h.predictions[:, 0]), (ax_err, h.errors)):
        (line,) = curves(ax)
        assert np.all(np.isfinite(line.get_ydata()))
        assert line.get_xdata().max() == 1999
        np.testing.assert_array_equal(line.get_ydata(), values[:2000])
        assert ax.get_xlim() == (0, 2999)  # the whole run's length: the curve visibly stops
    assert h.message in " ".join(all_texts(fig)).replace("\n", " ")
    fig.canvas.draw()  # draws without warnings (pytest turns RuntimeWarnings into errors)


def test_an_error_of_zero_stays_on_a_linear_axis_from_zero():
    net = gdlib.Network((1, 1), weights=[[[0.0]]])
    h = gdlib.train(net, 1.0, 0.5, learning_rate=1, iterations=50)  # predicts 0.5 = target
    assert np.all(h.errors == 0)
    for log_error in (False, True):
        ax_err = plot_history(h, log_error=log_error).axes[1]
        assert ax_err.get_yscale() == "linear"  # nothing positive to show on a log axis
        assert ax_err.get_ylim()[0] == 0


def test_log_error_axis_and_a_note_when_the_error_reaches_zero():
    h = one_one_run(iterations=300)
    ax_err = plot_history(h, log_error=True).axes[1]
    assert ax_err.get_yscale() == "log"
    assert ax_err.get_ylabel() == "error E (log scale)"
    errors = h.errors.copy()
    errors[150:] = 0.0
    h.errors = errors
    fig = plot_history(h, log_error=True)
    assert "E = 0 from iteration 150 (not drawable on a log scale)" in all_texts(fig)
    fig.canvas.draw()


def _shown_tick_labels(ax):
    """{tick value: label} of the y ticks inside the view that carry a label, after a draw."""
    ax.figure.canvas.draw()
    low, high = ax.get_ylim()
    ticks = ax.yaxis.get_major_ticks() + ax.yaxis.get_minor_ticks()
    return {tick.get_loc(): tick.label1.get_text() for tick in ticks
            if low <= tick.get_loc() <= high and tick.label1.get_text()}


def _written_power(value):
    """How a log-axis tick at ``value`` should read: 10 and its exponent in superscript digits,
    after the coefficient and a times sign when ``value`` is not a power of 10."""
    exponent = int(np.floor(np.log10(value) + 1e-9))
    coefficient = round(value / 10.0**exponent, 6)
    superscript = "".join("⁻⁰¹²³⁴⁵⁶⁷⁸⁹"["-0123456789".index(ch)] for ch in str(exponent))
    return ("" if coefficient == 1 else f"{coefficient:g}×") + "10" + superscript


@pytest.mark.parametrize("errors", [np.geomspace(0.5, 1e-9, 300), np.linspace(0.3, 0.2, 300)],
                         ids=["nine decades", "within one decade"])
def test_log_error_axis_labels_read_as_powers_of_ten_in_plain_text(errors):
    """Labels "10⁻⁴" (and "2×10⁻¹" on a short axis) as plain text, not mathtext: mathtext
    labels made a log axis ~35 % slower to draw. A short axis still shows several labels."""
    h = gdlib.History.from_arrays(np.full(len(errors), 0.5), errors, 0.0)
    shown = _shown_tick_labels(plot_history(h, log_error=True).axes[1])
    assert len(shown) >= 2, shown
    assert {label for label in shown.values() if "$" in label} == set()
    assert shown == {value: _written_power(value) for value in shown}


def test_tiny_errors_are_drawn_on_the_default_linear_axis():
    h = one_one_run(learning_rate=5, iterations=20_000)
    assert h.errors[-1] < 1e-20
    fig = plot_history(h)
    (err,) = curves(fig.axes[1])
    assert fig.axes[1].get_yscale() == "linear" and fig.axes[1].get_ylim()[0] == 0
    assert err.get_ydata().min() == h.errors.min()


@pytest.mark.parametrize("args, kwargs, error, words", [
    ((None,), {}, TypeError, "history_or_list"),
    (([],), {}, ValueError, "history_or_list is empty"),
    (("history",), {}, TypeError, "history_or_list"),
    ((np.zeros(3),), {}, TypeError, "history_or_list"),
    (("RUNS",), {}, TypeError, r"history_or_list\[1\]"),
    (("RUN",), {"labels": ["a", "b"]}, ValueError, "labels"),
    (("RUN",), {"labels": [1]}, TypeError, "labels"),
    (("RUN",), {"labels": 5}, TypeError, "labels must be a list of strings"),
    (("RUN",), {"max_points": 2}, ValueError, "max_points"),
    (("RUN",), {"max_points": 10.5}, TypeError, "max_points"),
    (("RUN",), {"title": 3}, TypeError, "title"),
    (("RUN",), {"log_error": "yes"}, TypeError, "log_error"),
])
def test_bad_arguments_raise_clear_errors(args, kwargs, error, words):
    run = one_one_run(iterations=10)
    stand_ins = {"RUN": run, "RUNS": [run, "not a run"]}
    args = tuple(stand_ins.get(a, a) if isinstance(a, str) else a for a in args)
    with pytest.raises(error, match=words):
        plot_history(*args, **kwargs)
    assert plt.get_fignums() == []  # no half-made figure left behind


def test_the_label_of_a_single_run_becomes_its_title():
    assert plot_history(one_one_run(), labels="my run").get_suptitle() == "my run"
    assert plot_history(one_one_run(), labels=["my run"], title="T").get_suptitle() == "T"


def test_a_hand_made_history_with_one_number_per_iteration():
    k = np.arange(100)
    h = gdlib.History.from_arrays(0.3 + 0.2 * 0.95 ** k, (0.2 * 0.95 ** k) ** 2, 0.3, learning_rate=0.5)
    ax_pred = plot_history(h).axes[0]
    (line,) = curves(ax_pred)
    np.testing.assert_array_equal(line.get_ydata(), 0.3 + 0.2 * 0.95 ** k)
    assert targets(ax_pred)[0].get_ydata()[0] == 0.3


def hand_made_run(rate, iterations, w=0.5, x=1.0, target=0.3):
    """One weight trained by a loop of the learner's own (notebook 01): prediction, error, step."""
    predictions, errors = [], []
    for _ in range(iterations):
        predicted = 1 / (1 + np.exp(-w * x))
        predictions.append(predicted)
        errors.append((predicted - target) ** 2)
        w -= rate * 2 * (predicted - target) * predicted * (1 - predicted) * x
    return np.array(predictions), np.array(errors)


def test_a_hand_made_run_without_a_learning_rate_is_your_run():
    p, e = hand_made_run(0.5, 300)
    h = gdlib.History.from_arrays(p, e, 0.3)
    fig = plot_history(h)
    assert fig.get_suptitle() == "your run, 300 iterations"
    (pred,) = curves(fig.axes[0])
    (err,) = curves(fig.axes[1])
    np.testing.assert_array_equal(pred.get_ydata(), p)
    np.testing.assert_array_equal(err.get_ydata(), e)
    assert "learning rate" not in " ".join(all_texts(fig))
    assert message(fig) is None  # a calm descent: nothing to say


def test_hand_made_runs_are_diagnosed_and_named_in_a_list():
    calm = gdlib.History.from_arrays(*hand_made_run(0.5, 300), 0.3)
    wild = gdlib.History.from_arrays(*hand_made_run(60.0, 300), 0.3)
    assert wild.message.startswith(("Overshooting", "Diverged"))  # diagnosed as train's runs are
    fig = plot_history([calm, wild])
    assert [c.get_label() for c in curves(fig.axes[1])] == ["run 1", "run 2"]
    assert message(fig).get_text().replace("\n", " ") == "run 2: " + wild.message
    mixed = plot_history([one_one_run(learning_rate=0.5, iterations=300), calm])
    assert [c.get_label() for c in curves(mixed.axes[1])] == ["learning rate = 0.5", "run 2"]


def test_a_history_whose_arrays_disagree_is_refused():
    h = one_one_run(iterations=10)
    h.predictions = h.predictions[:5]
    with pytest.raises(ValueError, match="one row per iteration"):
        plot_history(h)
