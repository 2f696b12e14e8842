"""A picture of a network: neurons in columns, every weight named as the series names it.

Introduced in notebook 02 (W1, W2, then W1 .. W10); the later notebooks draw
theirs: 3-2-1 in 03 (W11 .. W32 into the hidden layer, W41, W42 out of it),
10-2-1 in 04, 3-5-1 in 05 and 2-2-2-1 in 06.

Weight names (``weight_name``), for ``weights[l][z, y]`` counted from 0:

- no hidden layer, one input and one output (1-1): ``W``;
- no hidden layer, one output: ``W1 .. Wn``, the input's number;
- one hidden layer: into it ``W_zy`` = "W" + z + y counted from 1 (``W12`` joins
  X1 to hidden neuron 2); out of it the series keeps counting after the inputs:
  ``W41``, ``W42`` in the 3-2-1 network, that is "W" + (n_in + k) + y for output
  neuron k and hidden neuron y. The same pair rule serves a network without a
  hidden layer but with several outputs;
- deeper networks: the layer step in a superscript, ``W^(l)_zy`` (mathtext), l = 0
  for the weights leaving the inputs, as ``net.weights[l]`` and notebook 06 count them.

A comma separates the two numbers when either has two digits or more (``W10,2``).

A network too big to draw neuron by neuron (``too_big``: a layer of more than 16
neurons, or more than 256 weights) is drawn as a summary: each layer a box
("300 neurons"), each layer step a band ("90,000 weights W11 .. W300,300").
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Circle, FancyBboxPatch, Polygon

from ..checks import check_parameters, check_sizes, check_title
from ..network import Network
from .style import EDGE_COLOUR, NEURON_EDGE, NEURON_FILLS, NOTE_COLOUR, TEXT_SIZE, TITLE_SIZE

#: Above this many edges in one layer step (or in all), their labels are left out.
MAX_EDGE_LABELS = 30
#: Beyond these, a network is drawn as a summary (``too_big``).
MAX_DRAWN_LAYER = 16
MAX_DRAWN_WEIGHTS = 256


def weight_name(sizes, layer, z, y):
    """The series' name of ``weights[layer][z, y]`` (indices from 0) in a network of ``sizes``."""
    sizes = check_sizes(sizes)
    steps = len(sizes) - 1
    if not (0 <= layer < steps and 0 <= z < sizes[layer] and 0 <= y < sizes[layer + 1]):
        raise ValueError(f"no weight [{layer}][{z}, {y}] in a network of sizes {sizes}.")
    if steps == 1:
        if sizes == (1, 1):
            return "W"
        return f"W{z + 1}" if sizes[1] == 1 else "W" + _pair(z + 1, y + 1)
    if steps == 2:
        if layer == 0:
            return "W" + _pair(z + 1, y + 1)
        return "W" + _pair(sizes[0] + y + 1, z + 1)  # the series counts on after the inputs
    return f"$W^{{({layer})}}_{{{_pair(z + 1, y + 1)}}}$"


def _pair(a, b):
    """Two indices side by side, with a comma when one of them has two digits or more."""
    return f"{a}{b}" if a < 10 and b < 10 else f"{a},{b}"


def draw_network(net_or_sizes, *, show_values=False, title=None, ax=None):
    """Draw a network (a ``Network`` or its layer sizes) and return the Figure.

    Inputs X1 .. Xn on the left, hidden neurons (Activ1, ...) in the middle, the
    output ("predicted") on the right. Every edge carries its weight's name
    (``weight_name``, rules in the module docstring), turned along the edge in a
    white box, and with ``show_values=True`` and a ``Network`` its value (3
    decimals) under the name, and each neuron's bias if it has them. At most 30
    edges are labelled: the layer steps that would go beyond (the 64 edges
    between the hidden layers of 2-8-8-1), or whose labels would overlap, are
    left without labels, and a note under the drawing says so. A network too big
    to draw neuron by neuron (``too_big``) is drawn as a summary of its layers.
    Draws into ``ax`` when given (the drawing fills it), else into a new pyplot
    figure that fits a 1280x720 slide (at most 10 x 5 inches). Introduced in notebook 02.
    """
    net, sizes = _check_arguments(net_or_sizes, show_values, title, ax)
    shown = net if show_values else None
    summary = too_big(sizes)
    if ax is None:
        size = _summary_size(sizes) if summary else _figure_size(sizes, roomy=show_values)
        _, ax = plt.subplots(figsize=size, layout="constrained")
    fig = ax.figure
    ax.axis("off")
    if title is None:
        title = f"The {'-'.join(map(str, sizes))} network"
    ax.set_title(title, fontsize=TITLE_SIZE)
    if summary:
        _draw_summary(ax, sizes, shown)
        return fig
    labelled, too_many = _steps_to_label(sizes)
    note = ax.text(0.5, 0.0, "", transform=ax.transAxes, ha="center", va="top", fontsize=TEXT_SIZE,
                   style="italic", color=NOTE_COLOUR)
    if too_many:
        note.set_text(_skipped_note(sizes, too_many, "too many to read"))

    _settle(fig, ax)  # the final size of the axes: the layout fills it, in inches
    box = ax.get_window_extent()
    layout = _Layout(sizes, box.width / fig.dpi, box.height / fig.dpi,
                     biases=shown is not None and shown.bias)
    ax.set_xlim(*layout.xlim)
    ax.set_ylim(*layout.ylim)
    ax.set_aspect("equal")
    ax.apply_aspect()
    for l, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        for z in range(a):
            for y in range(b):
                (x0, y0), (x1, y1) = layout.position(l, z), layout.position(l + 1, y)
                ax.plot([x0, x1], [y0, y1], color=EDGE_COLOUR, lw=1.0, zorder=1)
    names = _draw_neurons(ax, layout, shown)
    crowded = _draw_weight_labels(ax, layout, shown, labelled, names)
    if crowded:
        text = _skipped_note(sizes, crowded, "too crowded to read")
        note.set_text(note.get_text() + "\n" + text if note.get_text() else text)
    for artist in ax.texts + ax.lines + ax.patches:  # all inside the axes: the layout stays put
        if artist is not note:
            artist.set_in_layout(False)
    return fig


def too_big(sizes):
    """Whether a network of ``sizes`` is drawn as a summary: a layer of more than
    ``MAX_DRAWN_LAYER`` neurons, or more than ``MAX_DRAWN_WEIGHTS`` weights in all."""
    weights = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    return max(sizes) > MAX_DRAWN_LAYER or weights > MAX_DRAWN_WEIGHTS


def _summary_size(sizes):
    """(width, height) in inches of a summary drawing: a column per layer."""
    return min(10.0, 2.6 * len(sizes)), 3.0


def _draw_summary(ax, sizes, net):
    """Each layer a box saying how many neurons it has, each layer step a band saying how many
    weights it has and their names (with ``net``: the range of their values, and of the biases)."""
    ax.set_xlim(0, len(sizes))
    ax.set_ylim(0, 1)
    last = len(sizes) - 1
    half = 0.17  # half a box's width, in columns
    for l, n in enumerate(sizes):
        ax.add_patch(FancyBboxPatch((l + 0.5 - half, 0.25), 2 * half, 0.45, boxstyle="round,pad=0.02",
                                    facecolor=NEURON_FILLS[0 if l == 0 else 2 if l == last else 1],
                                    edgecolor=NEURON_EDGE, lw=1.2, zorder=2))
        ax.text(l + 0.5, 0.475, f"{n:,}\nneuron{'s' if n > 1 else ''}", ha="center", va="center",
                fontsize=TEXT_SIZE, zorder=3)
        ax.text(l + 0.5, 0.76, _layer_name(sizes, l), ha="center", va="bottom", fontsize=TEXT_SIZE,
                color=NOTE_COLOUR)
        if net is not None and net.bias and l > 0:
            ax.text(l + 0.5, 0.2, "biases " + _value_range(net.biases[l - 1]), ha="center", va="top",
                    fontsize=TEXT_SIZE)
    for l, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        left, right = l + 0.5 + half, l + 1.5 - half
        ax.add_patch(Polygon([(left, 0.3), (right, 0.3), (right, 0.65), (left, 0.65)],
                             facecolor=EDGE_COLOUR, alpha=0.25, lw=0, zorder=1))
        text = f"{a * b:,} weights\n{weight_name(sizes, l, 0, 0)} .. {weight_name(sizes, l, a - 1, b - 1)}"
        if net is not None:
            text += "\n" + _value_range(net.weights[l])
        ax.text(l + 1, 0.475, text, ha="center", va="center", fontsize=TEXT_SIZE, zorder=3, linespacing=1.4)
    ax.text(0.5, 0.02, "Too many neurons to draw one by one: each layer is a box, each layer step "
            "a band of weights.", transform=ax.transAxes, ha="center", va="bottom", fontsize=TEXT_SIZE,
            style="italic", color=NOTE_COLOUR)


def _value_range(values):
    return f"from {np.min(values):.3f} to {np.max(values):.3f}"


def _settle(fig, ax):
    """Run the figure's layout and the axes' aspect now, as drawing it would."""
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)
    ax.apply_aspect()


def _check_arguments(net_or_sizes, show_values, title, ax):
    """(the Network or None, the sizes), or a clear error."""
    if isinstance(net_or_sizes, Network):
        check_parameters(net_or_sizes)  # one sentence if its weights or biases do not fit its sizes
        net = net_or_sizes.copy()
        sizes = net.sizes
    elif isinstance(net_or_sizes, (str, bytes)) or not hasattr(net_or_sizes, "__iter__"):
        raise TypeError("net_or_sizes must be a gdlib.Network or its layer sizes, e.g. (3, 2, 1); "
                        f"got {net_or_sizes!r}.")
    else:
        net, sizes = None, check_sizes(net_or_sizes)
    if not isinstance(show_values, (bool, np.bool_)):
        raise TypeError(f"show_values must be True or False, got {show_values!r}.")
    if show_values and net is None:
        raise ValueError("show_values=True needs a gdlib.Network (sizes alone have no weight values); "
                         "pass the network, or leave show_values False.")
    check_title(title)
    if ax is not None and not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}.")
    return net, sizes


def _figure_size(sizes, roomy=False):
    """(width, height) in inches of a new figure: taller for tall layers, wider for many edges,
    at most 10 x 5 inches (1000 x 500 pixels: a 1280x720 slide with room for a heading)."""
    height = float(np.clip((0.7 if roomy else 0.54) * max(sizes) + 1.3, 2.6, 5.0))
    width = sum(_step_width(a, b) for a, b in zip(sizes[:-1], sizes[1:])) + 2.1
    return min(10.0, width), height


def _step_width(a, b):
    """Inches wanted between two columns of ``a`` and ``b`` neurons: more edges, more room."""
    return float(np.clip(2.4 + 0.075 * a * b, 2.5, 4.25))


class _Layout:
    """Where each neuron goes, in inches of the axes ``width`` x ``height`` it fills.

    The tallest layer sets the spacing; a smaller layer is spread over most of
    its height, so that the edges fanning out of it stay apart. The columns
    share the width in proportion to the room their edges' labels want (at
    most a few inches each), leaving a margin for the names written beside
    the neurons.
    """

    TOP = 0.32  # room for the column captions
    RIGHT = 0.85  # room for "predicted"

    def __init__(self, sizes, width, height, biases=False):
        self.sizes = sizes
        tallest = max(sizes)
        bottom = 0.3 if biases else 0.1
        room = max(height - self.TOP - bottom, 0.6)
        tight = min(0.8, room / tallest)
        span = tight * (tallest - 1)
        self.spacings = [tight if n == tallest else min(1.6, max(tight, 0.8 * span / max(n - 1, 1)))
                         for n in sizes]
        last = len(sizes) - 1
        self.radii = [min(0.24 if l in (0, last) else 0.3, 0.42 * s) for l, s in enumerate(self.spacings)]
        self.beside = self.radii[0] < 0.13  # input names go left of their circles
        left = self.radii[0] + (0.4 if self.beside else 0.1)
        wanted = np.array([_step_width(a, b) for a, b in zip(sizes[:-1], sizes[1:])])
        spare = max(width - left - self.radii[-1] - self.RIGHT, 1.0)
        steps = wanted * min(spare / wanted.sum(), 1.6)  # fill the axes, but not too sparsely
        self.columns = np.concatenate([[0.0], np.cumsum(steps)])
        half = max(s * (n - 1) / 2 + r for n, s, r in zip(sizes, self.spacings, self.radii))
        content_x = (-left, self.columns[-1] + self.radii[-1] + self.RIGHT)
        content_y = (-half - bottom, half + self.TOP)
        self.xlim = _centred(content_x, width)
        self.ylim = _centred(content_y, height)

    def position(self, layer, j):
        """(x, y) of neuron j (from 0, top first) of layer ``layer``."""
        n = self.sizes[layer]
        return self.columns[layer], self.spacings[layer] * ((n - 1) / 2 - j)


def _centred(content, length):
    """Limits ``length`` long with the interval ``content`` in their middle (or just it, if longer)."""
    extra = max(length - (content[1] - content[0]), 0) / 2
    return content[0] - extra, content[1] + extra


def _draw_neurons(ax, layout, net):
    """Circles with their names, a caption over each column, biases when shown.

    Returns the rectangles (rows as in ``_draw_weight_labels``, in pixels) of
    the names written beside the neurons, which the weight labels must avoid.
    """
    sizes = layout.sizes
    last = len(sizes) - 1
    renderer = ax.figure.canvas.get_renderer()
    inches = abs(ax.transData.transform((1, 0))[0] - ax.transData.transform((0, 0))[0])  # pixels
    beside = []
    for l, n in enumerate(sizes):
        fill = NEURON_FILLS[0 if l == 0 else 2 if l == last else 1]
        r = layout.radii[l]
        if l < last:  # one size for the column: the largest at which its longest name fits
            size = _size_inside(ax, renderer, r * inches, f"X{n}" if l == 0 else f"Activ{n}",
                                TEXT_SIZE + 1, TEXT_SIZE)
        for j in range(n):
            x, y = layout.position(l, j)
            ax.add_patch(Circle((x, y), r, facecolor=fill, edgecolor=NEURON_EDGE, lw=1.2, zorder=3))
            if l == last:
                name = "predicted" if n == 1 else f"predicted{j + 1}"
                label = ax.text(x + r + 0.08, y, name, ha="left", va="center", fontsize=TEXT_SIZE, zorder=4)
            elif size is not None:
                name = f"X{j + 1}" if l == 0 else f"Activ{j + 1}"
                label = ax.text(x, y, name, ha="center", va="center", fontsize=size, zorder=4)
            elif l == 0:  # circles too small: the inputs' names go on their left
                label = ax.text(x - r - 0.05, y, f"X{j + 1}", ha="right", va="center", fontsize=TEXT_SIZE,
                                zorder=4)
            else:  # a hidden neuron too small for its name: its number
                label = ax.text(x, y, f"{j + 1}", ha="center", va="center", fontsize=TEXT_SIZE, zorder=4)
            if l == last or label.get_ha() == "right":
                extent = label.get_window_extent(renderer)
                beside.append([*extent.get_points().mean(axis=0), 1, 0,
                               extent.width / 2 + 1, extent.height / 2 + 1])
            if net is not None and net.bias and l > 0:
                ax.text(x, y - r - 0.03, f"b={net.biases[l - 1][j]:.3f}", ha="center", va="top",
                        fontsize=TEXT_SIZE, zorder=4)
        ax.text(layout.columns[l], layout.ylim[1] - 0.05, _layer_name(sizes, l), ha="center", va="top",
                fontsize=TEXT_SIZE, color=NOTE_COLOUR)
    return np.array(beside).reshape(-1, 6)


def _size_inside(ax, renderer, radius, name, largest, smallest):
    """The largest font size (``largest`` down to ``smallest``) at which ``name`` fits in a
    circle of ``radius`` pixels, its corners a pixel and a half inside; None if none does."""
    probe = ax.text(0, 0, name, ha="center", va="center")
    try:
        for size in np.arange(largest, smallest - 0.01, -0.5):
            probe.set_fontsize(size)
            extent = probe.get_window_extent(renderer)
            if np.hypot(extent.width / 2, extent.height / 2) <= radius - 1.5:
                return float(size)
        return None
    finally:
        probe.remove()


def _layer_name(sizes, l):
    """Layer ``l`` as its caption names it: inputs, hidden layer (1, 2, ... if several), output(s)."""
    last = len(sizes) - 1
    if l == 0:
        return "inputs"
    if l == last:
        return "output" if sizes[l] == 1 else "outputs"
    return "hidden layer" if last == 2 else f"hidden layer {l}"


def _steps_to_label(sizes):
    """(labelled, skipped) layer steps: at most MAX_EDGE_LABELS labelled edges in all, first come."""
    labelled, skipped, total = [], [], 0
    for l, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        if total + a * b <= MAX_EDGE_LABELS:
            labelled.append(l)
            total += a * b
        else:
            skipped.append(l)
    return labelled, skipped


def _skipped_note(sizes, steps, reason):
    """One sentence: how many labels were left out, between which layers, and why."""
    count = sum(sizes[l] * sizes[l + 1] for l in steps)

    def name(layer):  # "the inputs", "the hidden layer", but "hidden layer 2"
        caption = _layer_name(sizes, layer)
        return caption if caption[-1].isdigit() else f"the {caption}"

    where = "; ".join(f"{name(l)} to {name(l + 1)}" for l in steps)
    return f"Labels of {count} weights left out, {reason} ({where})."


def _draw_weight_labels(ax, layout, net, steps, names):
    """Write each weight's name on its edge; returns the steps left unlabelled (too crowded).

    Works in pixels on the settled axes: each label is a rectangle turned along
    its edge, measured on the renderer, and slid along the edge to the place
    where it overlaps least the labels already placed, the neurons and their
    ``names`` (rectangles, rows as below), is crossed least by other edges, and
    is nearest the end where the edges fan out least. A step whose labels still
    overlap at a smaller font size is left without labels.
    """
    to_pixels = ax.transData.transform
    positions = [layout.position(l, j) for l, n in enumerate(layout.sizes) for j in range(n)]
    centres = to_pixels(np.array(positions))
    radii = np.concatenate([np.full(n, layout.radii[l]) for l, n in enumerate(layout.sizes)])
    radii = radii * abs(to_pixels((1, 0))[0] - to_pixels((0, 0))[0]) + 2  # pixels, with a margin
    edges = [(l, z, y) for l, (a, b) in enumerate(zip(layout.sizes[:-1], layout.sizes[1:]))
             for z in range(a) for y in range(b)]
    ends = to_pixels(np.array([[layout.position(l, z), layout.position(l + 1, y)]
                               for l, z, y in edges]).reshape(-1, 2)).reshape(-1, 2, 2)
    scene = {"neurons": (centres, radii), "edges": (edges, ends)}
    placed = names  # rows: centre x, y, along x, y, half length, half thickness
    crowded = []
    for l in steps:
        texts, rects, clash = _label_step(ax, layout, net, l, TEXT_SIZE, placed, scene)
        if clash:
            for t in texts:
                t.remove()
            crowded.append(l)
        else:
            placed = np.vstack([placed, rects])
    return crowded


#: Cost of a label's place: per pixel of overlap with another label or a neuron,
#: per pixel of another edge inside its box, and per unit of distance (as a
#: fraction of the edge) from its preferred place.
OVERLAP_COST = 10.0
CROSSING_COST = 0.05
DISTANCE_COST = 4.0


def _label_step(ax, layout, net, l, fontsize, placed, scene):
    """Place the labels of layer step ``l``: (texts, their rectangles, whether any overlap).

    ``placed``: the rectangles of labels and names placed before, in pixels
    (rows as in ``_draw_weight_labels``); ``scene``: the neurons' centres and
    radii and the edges' (layer, z, y) and end points, in pixels.
    """
    renderer = ax.figure.canvas.get_renderer()
    to_pixels = ax.transData.transform
    centres, radii = scene["neurons"]
    edges, ends = scene["edges"]
    a, b = layout.sizes[l], layout.sizes[l + 1]
    fractions = np.linspace(0.12, 0.88, 39)
    # many neurons sending to a few: nearest the senders, each of which has few edges
    # fanning out; otherwise in the middle (a little away from a single receiver)
    prefer = 0.45 if b == 1 else 0.25 if a > b else 0.5
    cramped = DISTANCE_COST * np.abs(fractions - prefer)
    pad = 0.15 * fontsize * ax.figure.dpi / 72  # the white box around the text
    texts, rects, clash = [], [], False
    for z in range(a):
        for y in range(b):
            text = weight_name(layout.sizes, l, z, y)
            if net is not None:
                text += f"\n{net.weights[l][z, y]:.3f}"
            label = ax.text(0, 0, text, ha="center", va="center", rotation_mode="anchor",
                            fontsize=fontsize, zorder=5, linespacing=1.25 if "$" in text else 1.0,
                            bbox=dict(boxstyle="round,pad=0.15", facecolor="white",
                                      edgecolor=EDGE_COLOUR, lw=0.5))
            extent = label.get_window_extent(renderer)  # unturned, in pixels
            half = np.array([extent.width / 2, extent.height / 2]) + pad + 1  # kept a pixel apart
            start, end = np.array(layout.position(l, z)), np.array(layout.position(l + 1, y))
            p0, p1 = to_pixels(start), to_pixels(end)
            along = (p1 - p0) / np.linalg.norm(p1 - p0)
            spots = p0 + fractions[:, None] * (p1 - p0)
            others = np.vstack([placed] + rects) if rects else placed
            overlap = _rectangle_overlaps(spots, along, half, others) + _circle_overlaps(
                spots, along, half, centres, radii)
            crossing = _crossings(spots, along, half, ends[[e != (l, z, y) for e in edges]])
            cost = OVERLAP_COST * overlap + CROSSING_COST * crossing + cramped
            best = int(np.argmin(cost))
            clash = clash or overlap[best] > 0.5
            label.set_position(start + fractions[best] * (end - start))
            label.set_rotation(np.degrees(np.arctan2(along[1], along[0])))
            texts.append(label)
            rects.append(np.array([[*spots[best], *along, *half]]))
    return texts, (np.vstack(rects) if rects else np.empty((0, 6))), clash


def _crossings(spots, along, half, ends):
    """For each candidate centre (k, 2): pixels of the segments ``ends`` (e, 2, 2) inside the box.

    The box is turned along ``along`` with half sides ``half``; each segment is
    clipped to it in the box's own coordinates (the Liang-Barsky clipping).
    """
    if len(ends) == 0:
        return np.zeros(len(spots))
    across = np.array([-along[1], along[0]])
    turn = np.column_stack([along, across])  # pixels to box coordinates
    start = (ends[None, :, 0, :] - spots[:, None, :]) @ turn  # (k, e, 2)
    step = ((ends[:, 1, :] - ends[:, 0, :]) @ turn)[None]  # (1, e, 2)
    low, high = np.zeros(start.shape[:2]), np.ones(start.shape[:2])
    with np.errstate(divide="ignore", invalid="ignore"):
        for i in range(2):
            t0 = (-half[i] - start[..., i]) / step[..., i]
            t1 = (half[i] - start[..., i]) / step[..., i]
            flat = step[..., i] == 0  # parallel to this side: all in or all out
            inside = np.abs(start[..., i]) <= half[i]
            low = np.maximum(low, np.where(flat, np.where(inside, 0, 1), np.minimum(t0, t1)))
            high = np.minimum(high, np.where(flat, np.where(inside, 1, 0), np.maximum(t0, t1)))
    length = np.linalg.norm(step, axis=-1)
    return (np.clip(high - low, 0, None) * length).sum(axis=1)


def _rectangle_overlaps(spots, along, half, others):
    """For each candidate centre (k, 2): summed overlap depth, in pixels, with ``others`` (p, 6).

    Two turned rectangles overlap when their shadows overlap on each of the
    four directions of their sides (the separating-axis test); the depth is the
    smallest of those four shadow overlaps.
    """
    if len(others) == 0:
        return np.zeros(len(spots))
    u1 = along
    v1 = np.array([-along[1], along[0]])
    u2 = others[:, 2:4]
    v2 = np.column_stack([-u2[:, 1], u2[:, 0]])
    a2, b2 = others[:, 4], others[:, 5]
    gap = others[None, :, :2] - spots[:, None, :]  # (k, p, 2)
    depth = np.full(gap.shape[:2], np.inf)
    for axis in (np.broadcast_to(u1, u2.shape), np.broadcast_to(v1, u2.shape), u2, v2):
        reach1 = half[0] * np.abs(axis @ u1) + half[1] * np.abs(axis @ v1)
        reach2 = a2 * np.abs(np.sum(axis * u2, axis=1)) + b2 * np.abs(np.sum(axis * v2, axis=1))
        distance = np.abs(np.sum(gap * axis[None], axis=2))
        depth = np.minimum(depth, reach1 + reach2 - distance)
    return np.clip(depth, 0, None).sum(axis=1)


def _circle_overlaps(spots, along, half, centres, radii):
    """For each candidate centre (k, 2): summed overlap depth, in pixels, with the neurons."""
    across = np.array([-along[1], along[0]])
    offset = centres[None, :, :] - spots[:, None, :]  # (k, n, 2)
    local = np.stack([offset @ along, offset @ across], axis=-1)
    nearest = np.clip(local, -half, half)
    distance = np.linalg.norm(local - nearest, axis=-1)
    return np.clip(radii[None, :] - distance, 0, None).sum(axis=1)
