"""The look of every gdlib picture: one palette, one set of font sizes, one message box.

Colours are Okabe-Ito's, told apart with any colour vision and on a projector
(their yellow is left out: it vanishes on a white background). Font sizes are in
points and never below 10, so that a figure shown on a 1280x720 projector stays
readable from the back of the room.

The message box says what went wrong in a run ("Diverged: ...", "Stuck: ...")
on its error panel: ``plot_history`` (notebook 01) and both explorers use
``message_box`` and ``write_message``. Every log-scale error axis is ``log_axis``.
"""

import re
import textwrap

import numpy as np
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.ticker import LogFormatterSciNotation, LogLocator

#: Curve colours, in the order runs and curves use them.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000")
#: The dashed target line.
TARGET_COLOUR = "#444444"
#: Small notes written on a plot (what was left out, and why).
NOTE_COLOUR = "#333333"
#: Message boxes: (edge, fill) for a diverged run and for a warning.
DIVERGED_BOX = ("#D55E00", "#FBE3D6")
WARNING_BOX = ("#E69F00", "#FDF1DC")
#: Network drawings: neuron fills (inputs, hidden, outputs), their edge, the weight lines.
NEURON_FILLS = ("#CFE8F7", "#CDEBE0", "#FBE1C8")
NEURON_EDGE = "#333333"
EDGE_COLOUR = "#8C8C8C"
#: Decision boundaries (notebook 07): class 0 and class 1 points, their edge, the 0.5 line.
CLASS_COLOURS = (COLOURS[0], COLOURS[1])
POINT_EDGE = "#222222"
BOUNDARY_COLOUR = "#000000"
#: The plane shaded by the prediction: light blue (class 0), white where the network is
#: unsure (0.4 .. 0.6), light orange (class 1).
CLASS_MAP = LinearSegmentedColormap.from_list(
    "class0_to_class1", [(0.0, "#A9CFEA"), (0.4, "#FFFFFF"), (0.6, "#FFFFFF"), (1.0, "#F8D58F")])

#: Font sizes in points: every text gdlib writes (legends, notes, labels, ticks,
#: message boxes) and the titles.
TEXT_SIZE = 10
TITLE_SIZE = 12
#: Characters per line in a message box (about 2.5 inches at TEXT_SIZE).
MESSAGE_WIDTH = 34


def tidy_axes(ax, xlabel, ylabel, title, grid=True):
    """Label ``ax`` and give its ticks (and a light grid) the house style."""
    ax.set_xlabel(xlabel, fontsize=TEXT_SIZE)
    ax.set_ylabel(ylabel, fontsize=TEXT_SIZE)
    ax.set_title(title, fontsize=TITLE_SIZE)
    ax.tick_params(labelsize=TEXT_SIZE)
    if grid:
        ax.grid(alpha=0.3)


def legend_below(fig, handles, labels, *, loc="lower center", title=None):
    """A legend under the panels of ``fig``, in as many columns (at most 5) as fit its width."""
    for columns in range(min(len(labels), 5), 0, -1):
        legend = fig.legend(handles, labels, loc=loc, ncol=columns, fontsize=TEXT_SIZE, frameon=False,
                            title=title, title_fontsize=TEXT_SIZE)
        if columns == 1 or legend.get_window_extent().width <= 0.98 * fig.bbox.width:
            return legend
        legend.remove()


def log_axis(ax):
    """Make the y axis of ``ax`` logarithmic, with at most 6 labelled decades ("10⁻⁴"); an
    error of 0 or below is left out of a curve (it has no logarithm)."""
    ax.set_yscale("log", nonpositive="mask")
    ax.yaxis.set_major_locator(LogLocator(numticks=6))
    ax.yaxis.set_major_formatter(PowerOfTenFormatter())
    ax.yaxis.set_minor_formatter(PowerOfTenFormatter(labelOnlyBase=False))  # labelled on a short axis


class PowerOfTenFormatter(LogFormatterSciNotation):
    """matplotlib's log-axis labels ("10⁻⁴", and "2×10⁻⁴" on an axis that spans a decade or
    less), written in plain text rather than mathtext: each mathtext label is parsed anew for
    every figure, which made a log axis ~35 % slower to draw than a linear one (``plot_history``)."""

    def __call__(self, x, pos=None):
        label = super().__call__(x, pos)
        math = re.fullmatch(r"\$\\mathdefault\{(.*)\}\$", label)
        if math is None:
            return label  # "" (no label here), or a form not converted below
        text = re.sub(r"\^\{(-?\d+)\}", lambda power: power[1].translate(SUPERSCRIPTS), math[1])
        text = text.replace("\\times", "×")
        return label if "\\" in text or "{" in text else text


SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def message_box(ax):
    """An empty, hidden text box at the right of ``ax``, for ``write_message``.

    It is a plain ``Text`` (``gid`` "message"), so that the explorers can redraw
    it alone on each slider move; ``write_message`` chooses the corner of the
    panel that the curves leave most free.
    """
    box = ax.text(0.97, 0.96, "", transform=ax.transAxes, ha="right", va="top", multialignment="left",
                  fontsize=TEXT_SIZE, zorder=10, visible=False, gid="message",
                  bbox=dict(boxstyle="round,pad=0.4", alpha=0.92, lw=1.5))
    box.set_in_layout(False)  # a layout engine must not shrink the axes around it
    return box


def write_message(box, message, *, diverged, curves):
    """Show ``message`` in ``box`` (hidden when empty), edged red if ``diverged`` else orange,
    in the corner of its axes where it hides no other text and the fewest points of ``curves``
    (Line2D): the top right first, then the bottom right, the bottom left, the top left."""
    box.set_text("\n".join(textwrap.fill(line, MESSAGE_WIDTH) for line in message.splitlines()))
    box.set_visible(bool(message))
    edge, fill = DIVERGED_BOX if diverged else WARNING_BOX
    box.get_bbox_patch().set(edgecolor=edge, facecolor=fill)
    if not message:
        return
    points = _curve_points(box.axes, curves)
    renderer = box.axes.figure.canvas.get_renderer()
    notes = [text.get_window_extent(renderer) for text in box.axes.texts  # e.g. "E = 0 from iteration 32"
             if text is not box and text.get_visible() and text.get_text()]
    hidden = []
    for corner in CORNERS:  # in order of preference: ties keep the earlier corner
        _place(box, *corner)
        extent = box.get_window_extent(renderer).expanded(1.05, 1.1)
        (x0, y0), (x1, y1) = extent.get_points()
        inside = (points[:, 0] >= x0) & (points[:, 0] <= x1) & (points[:, 1] >= y0) & (points[:, 1] <= y1)
        hidden.append(int(np.sum(inside)) + 10_000 * sum(extent.overlaps(note) for note in notes))
    _place(box, *CORNERS[int(np.argmin(hidden))])


#: Where a message box may sit, in axes coordinates: (x, y, ha, va).
CORNERS = ((0.97, 0.96, "right", "top"), (0.97, 0.04, "right", "bottom"),
           (0.03, 0.04, "left", "bottom"), (0.03, 0.96, "left", "top"))


def _place(box, x, y, ha, va):
    box.set_position((x, y))
    box.set_ha(ha)
    box.set_va(va)


def _curve_points(ax, curves):
    """The finite points of ``curves`` inside ``ax``, in display coordinates, shape ``(n, 2)``."""
    ax.get_ylim()  # brings autoscaled limits up to date
    found = []
    for curve in curves:
        xy = np.column_stack([np.asarray(values, dtype=float) for values in curve.get_data()]).reshape(-1, 2)
        with np.errstate(all="ignore"):  # a log axis maps 0 to -inf
            shown = curve.get_transform().transform(xy)
        found.append(shown[np.isfinite(shown).all(axis=1)])
    return np.vstack(found) if found else np.empty((0, 2))
