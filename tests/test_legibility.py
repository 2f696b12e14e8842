"""Every picture gdlib draws is read on a 1280x720 projector from the back of the room, and
every explorer fits a 1280-px-wide JupyterLab with the file browser open (an 848-px output area).

Network drawings are checked in test_network_diagram.py (``test_no_text_is_smaller_than_10_points``).
"""

import matplotlib

matplotlib.use("Agg")

import functools  # noqa: E402
import re  # noqa: E402

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.text import Text  # noqa: E402

import gdlib  # noqa: E402
from gdlib.drawing.boundary import BoundaryExplorer  # noqa: E402
from gdlib.drawing.explorer_base import ExplorerBase  # noqa: E402
from gdlib.drawing.live_figure import LiveFigure  # noqa: E402
from gdlib.drawing.style import DIVERGED_BOX, WARNING_BOX  # noqa: E402
from gdlib.drawing.surface import VALLEY_EXTENT, VALLEY_START, SurfaceExplorer  # noqa: E402
from gdlib.drawing.training_explorer import Explorer  # noqa: E402

XOR_X = [[0, 0], [0, 1], [1, 0], [1, 1]]
MOONS = gdlib.two_moons(30, noise=0.2, seed=1)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def run(learning_rate, iterations=3000, x=1.0, target=0.3):
    return gdlib.train(gdlib.Network((1, 1), seed=1), x, target, learning_rate=learning_rate,
                       iterations=iterations)


def history_single():
    h = run(1e4)
    assert h.message  # a message box too
    return gdlib.plot_history(h)


def history_many():
    x = np.random.default_rng(0).random((6, 2))  # 12 curves: the legend says 4 are left out
    wide = gdlib.train(gdlib.Network((2, 2), seed=3), x, np.full((6, 2), 0.5), learning_rate=1,
                       iterations=50)
    return gdlib.plot_history(wide)


def history_log():
    h = run(0.5, iterations=300)
    h.errors = np.where(np.arange(300) < 150, h.errors, 0.0)  # the note under a log axis
    fig = gdlib.plot_history([h, run(60.0, iterations=300)], log_error=True)
    assert any("not drawable on a log scale" in t.get_text() for t in fig.axes[1].texts)
    return fig


def boundary_plot():
    x, labels = MOONS
    net = gdlib.train(gdlib.Network((2, 4, 1), seed=0, bias=True), x, labels, learning_rate=3.0,
                      iterations=200).network
    return gdlib.plot_decision_boundary(net, x, labels, resolution=30)


def training_explorer():
    ex = gdlib.explorer(gdlib.Network((2, 3, 2), seed=0), XOR_X, [[0, 1], [1, 0], [1, 0], [0, 1]],
                        learning_rate=1000.0, iterations=500)
    assert ex.message_text.get_visible()  # a message box too
    return ex.live.figure


def boundary_explorer():
    x, labels = MOONS
    ex = gdlib.boundary_explorer(x, labels, sizes_options=("3",), learning_rate=100.0, iterations=200,
                                 max_iterations=400, step=100, resolution=20)
    assert ex.message_text.get_visible()
    return ex.live.figure


def surface_plot():
    x, target = gdlib.valley_data()
    start = gdlib.Network((1, 1), weights=[[VALLEY_START[:1]]], biases=[VALLEY_START[1:]])
    runs = [gdlib.train(start, x, target, learning_rate=rate, iterations=100, momentum=momentum,
                        record_parameters=True) for rate, momentum in [(1.4, 0.0), (20.0, 0.0), (1.26, 0.9)]]
    fig = gdlib.plot_error_surface(x, target, runs, extent=VALLEY_EXTENT, resolution=60)
    assert fig.get_size_inches()[0] <= 9 and fig.get_size_inches()[1] <= 3.6
    assert len(fig.findobj(lambda artist: artist.get_gid() == "message")) == 2  # clipped; the runs' messages
    return fig


def surface_explorer():
    ex = gdlib.surface_explorer(*gdlib.valley_data(), learning_rate=20.0, iterations=100, start=VALLEY_START,
                                extent=VALLEY_EXTENT, resolution=40)
    assert ex.message_text.get_visible()  # diverged, and clipped
    return ex.live.figure


KINDS = [history_single, history_many, history_log, boundary_plot, training_explorer, boundary_explorer,
         surface_plot, surface_explorer]


@functools.cache
def drawn(make):
    """The figure ``make`` returns, drawn once (and let go by pyplot, keeping its canvas)."""
    fig = make()
    fig.canvas.draw()
    canvas = fig.canvas
    plt.close(fig)
    fig.set_canvas(canvas)
    return fig


@pytest.mark.parametrize("make", KINDS)
def test_no_text_is_smaller_than_10_points_and_legends_fit(make):
    fig = drawn(make)
    texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    assert len(texts) > 10  # titles, labels, tick labels, legends, notes, message boxes
    assert {t.get_text(): t.get_fontsize() for t in texts if t.get_fontsize() < 10} == {}
    for legend in fig.legends:
        box = legend.get_window_extent()
        assert fig.bbox.x0 <= box.x0 and box.x1 <= fig.bbox.x1 and fig.bbox.y0 <= box.y0


def test_plots_and_explorers_write_their_messages_in_the_same_box():
    """One message box (style.message_box): the same artist, font and colours everywhere."""
    boxes = [drawn(make).findobj(lambda artist: artist.get_gid() == "message")
             for make in (history_single, training_explorer, boundary_explorer, surface_explorer)]
    assert [len(b) for b in boxes] == [1, 1, 1, 1]
    looks = set()
    for (box,) in boxes:
        patch = box.get_bbox_patch()
        colours = (to_hex(patch.get_edgecolor()).upper(), to_hex(patch.get_facecolor()).upper())
        assert box.get_visible() and colours in (DIVERGED_BOX, WARNING_BOX)
        looks.add((box.get_fontsize(), box.get_ha(), patch.get_boxstyle().pad, patch.get_linewidth()))
    assert len(looks) == 1


def px(length):
    """A CSS length in pixels, or None when it is relative (%, auto) or unset."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)px", length or "")
    return float(match.group(1)) if match else None


@pytest.mark.parametrize("make", [
    lambda: gdlib.explorer(gdlib.Network((3, 2, 1), seed=0), [0.1, 0.4, 4.1], 0.2, iterations=100,
                           hidden_widths=(1, 4)),
    lambda: gdlib.boundary_explorer(*MOONS, sizes_options=("3",), iterations=100, max_iterations=200,
                                    step=100, resolution=10),
    lambda: gdlib.boundary_explorer(*MOONS, sizes_options=("3",), iterations=100, max_iterations=200,
                                    step=100, resolution=10, batch_sizes=(None, 10, 1)),
    lambda: gdlib.surface_explorer(*gdlib.valley_data(), iterations=50, start=VALLEY_START,
                                   extent=VALLEY_EXTENT, resolution=20),
])
def test_an_explorer_fits_an_848_pixel_output_area(make, monkeypatch):
    """The note wraps, the picture shrinks with the area, no control is wider than it."""
    monkeypatch.setattr(LiveFigure, "update", lambda self, full=False: b"")  # no PNG needed here
    ex = make()
    assert isinstance(ex, ExplorerBase) and isinstance(ex, (Explorer, BoundaryExplorer, SurfaceExplorer))
    for widget in [*ex.controls, ex.note, ex.image]:
        width, most = px(widget.layout.width), px(widget.layout.max_width)
        assert (width is None or width <= 848) and (most is None or most <= 848)
        if width is not None and width > 400:
            assert widget.layout.max_width == "100%"
    assert ex.note.layout.max_width == "100%" and "white-space: normal" in ex.note.value
    assert ex.image.layout.max_width == "100%" and ex.image.layout.height == "auto"
    assert "<small>" not in ex.note.value  # the widgets' own font size, not smaller


def test_the_message_box_takes_the_corner_the_curves_leave_free():
    """A curve along the top and one falling into the bottom right: the box goes to the bottom left."""
    from gdlib.drawing.style import message_box, write_message

    fig, ax = plt.subplots(figsize=(4.5, 3.6))
    ax.set(xlim=(0, 100), ylim=(0, 1))
    x = np.arange(100.0)
    top = ax.plot(x, np.full(100, 0.92))[0]
    falling = ax.plot(x, np.where(x < 50, 0.92, 0.92 - 0.016 * (x - 50)))[0]
    box = message_box(ax)
    write_message(box, "Overshooting: the error went up in 19 of the steps, as momentum carries each step "
                  "on past the lowest point.", diverged=False, curves=[top, falling])
    assert box.get_position() == (0.03, 0.04) and (box.get_ha(), box.get_va()) == ("left", "bottom")
    write_message(box, "Overshooting: a short one.", diverged=False, curves=[])  # nothing to hide: top right
    assert box.get_visible() is True and (box.get_ha(), box.get_va()) == ("right", "top")
    plt.close(fig)
