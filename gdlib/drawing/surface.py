"""The error surface of a network with two parameters, and descent paths drawn on it.

Introduced in notebook 08 (momentum) and used again in notebook 09 (mini-batches).
A network with exactly two parameters, a 1-1 neuron with bias (W, b) or a 2-1
neuron without bias (W1, W2), gives every point of the plane of its two
parameters an error E. Gradient descent walks on that surface:
``train(..., record_parameters=True)`` keeps every step in ``History.parameters``.

- ``error_surface``: E on a grid over the plane, every grid point at once.
- ``plot_error_surface``: the contours of E (log-spaced, so that a narrow valley
  shows), each run's path on them, and the error per iteration beside them.
- ``surface_explorer``: the same picture with sliders for the learning rate, the
  iterations, the start and the momentum; the contours are drawn once, only the
  path and the error curve are redrawn on each move.
- ``valley_data``: the course's example, three points whose surface is a narrow
  diagonal valley (the inputs sit far from 0, so W and b are strongly coupled).
"""

import contourpy
import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import BoundaryNorm, LinearSegmentedColormap
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

from .. import training_compiled
from ..chain_rule import cross_entropy, sigmoid
from ..checks import (
    as_finite_array,
    check_flag,
    check_learning_rate,
    check_loss,
    check_loss_target,
    check_momentum,
    check_parameters,
    check_positive_int,
    check_title,
    weight_shapes,
)
from ..network import Network, flat_parameters
from ..training import History, diagnose, train
from .envelope import envelope
from .explorer_base import (
    CONTROL_STYLE,
    SLIDER_LAYOUT,
    ExplorerBase,
    RecentRuns,
    check_slider_value,
    int_slider,
    learning_rate_slider,
    network_at,
)
from .live_figure import iteration_limits
from .network_diagram import weight_name
from .style import (
    COLOURS,
    NOTE_COLOUR,
    TEXT_SIZE,
    TITLE_SIZE,
    legend_below,
    log_axis,
    message_box,
    tidy_axes,
    write_message,
)
from .training_explorer import NUMBA_HINT  # without numba: redraw on release, and say why

#: Grid points per side of the surface.
RESOLUTION = 200
#: How many contour levels (bands) the surface is drawn with.
LEVELS = 14
#: On a log scale the levels span at most this many decades below the highest E shown.
DECADES = 8
#: A log-spaced contour line is drawn only if E along it is within this fraction of its level.
LEVEL_TOLERANCE = 0.2
#: The error panels' log axes never go below this (a run that reaches E = 1e-30 is off the bottom).
ERROR_FLOOR = 1e-10
#: Paths of at most this many steps are drawn with a marker at every step.
MARKER_LIMIT = 100
#: Low E dark, high E white: the paths, in the curve colours, stay visible on every band.
SURFACE_MAP = LinearSegmentedColormap.from_list(
    "error_surface", [(0.0, "#6F8AA3"), (0.5, "#B9C8D6"), (1.0, "#F5F7F9")])
CONTOUR_COLOUR = "#52606E"
#: The explorer's sliders: learning rates 10**-3 .. 10**2, iterations 1 .. 10,000, momentum 0 .. 0.99.
LEARNING_RATE_EXPONENTS = (-3, 2)
MAX_ITERATIONS = 10_000
MAX_MOMENTUM = 0.99
#: Kept runs are forgotten, least recently shown first, beyond this many bytes of numbers.
CACHE_BYTES = 16 * 2**20
NOTE = ("Left: the error E over the two parameters (darker: lower; log-spaced contours) and the path of "
        "gradient descent from the start (circle) to the end (square), one marker per update when the "
        "run is short. Right: E per iteration, on a log scale. Momentum 0 is plain gradient descent.")

#: The course's valley (notebook 08): three inputs far from 0, targets that one sigmoid fits exactly.
VALLEY_X = (3.0, 4.0, 5.0)
VALLEY_TARGET = (0.2, 0.5, 0.8)
#: Where the notebook starts its runs, and the part of the plane it shows: (W, b).
VALLEY_START = (-1.0, 5.5)
VALLEY_EXTENT = ((-2.0, 3.0), (-9.0, 8.0))


def valley_data():
    """The course's narrow valley (notebook 08): ``(x, target)``, each of shape ``(3, 1)``.

    Introduced in notebook 08.

    Inputs 3, 4 and 5 with targets 0.2, 0.5 and 0.8. One neuron with bias fits them
    exactly (E = 0 at W = ln 4 = 1.386, b = -4 ln 4 = -5.545: the targets' logits are
    -ln 4, 0 and ln 4). Since the inputs sit far from 0, a change of W moves every SOP
    about 4 times as much as the same change of b: W and b are strongly coupled, and
    the surface is a narrow valley along b = -4 W (curvatures 1.32 across it and
    0.002 along it at the minimum). ``VALLEY_START`` and ``VALLEY_EXTENT`` are the
    start and the part of the plane the notebook uses; benchmarks/surface_examples.py
    prints which learning rates glide, zigzag, overshoot and diverge there.
    """
    return np.array(VALLEY_X).reshape(-1, 1), np.array(VALLEY_TARGET).reshape(-1, 1)


# ---------------------------------------------------------------------------
# The surface
# ---------------------------------------------------------------------------


def error_surface(x, target, *, net=None, extent, resolution=RESOLUTION, loss="squared"):
    """E over a grid of the plane of the two parameters: ``(p1, p2, errors)``.

    Not used by name in the notebooks: ``plot_error_surface`` (notebook 08) draws it.

    - ``net``: a Network with exactly two parameters (only its sizes and bias
      matter); None: a 1-1 neuron with bias for one input, a 2-1 neuron without
      bias for two inputs (``x`` of shape ``(m, 1)`` or ``(m, 2)``).
    - ``extent``: ``((low1, high1), (low2, high2))``, the range of each parameter,
      in the order of ``History.parameters`` (W then b; W1 then W2).
    - Returns three arrays of shape ``(resolution, resolution)``: ``errors[i, j]``
      is E (``loss`` as in ``train``) at the parameters ``(p1[i, j], p2[i, j])``;
      the first parameter grows along j, the second along i.

    Every grid point is computed at once: the forward pass runs on a stack of
    ``resolution**2`` networks.
    """
    net, x2, t2 = _check_problem(x, target, net)
    extent = _check_extent(extent)
    resolution = check_positive_int(resolution, "resolution", minimum=2)
    loss = check_loss(loss)
    check_loss_target(t2, loss)
    p1, p2 = np.meshgrid(np.linspace(*extent[0], resolution), np.linspace(*extent[1], resolution))
    flat = np.column_stack([p1.ravel(), p2.ravel()])
    return p1, p2, errors_at(net, flat, x2, t2, loss).reshape(p1.shape)


def errors_at(net, flat, x2, t2, loss="squared"):
    """E at many parameter vectors at once: ``flat`` has shape ``(g, n_parameters)`` (the order
    of ``History.parameters``), ``x2`` ``(m, n_in)``, ``t2`` ``(m, n_out)``; returns shape ``(g,)``.

    The forward pass of ``network.forward`` on a stack of g networks: each layer's
    weights have shape ``(g, n_l, n_{l+1})`` and ``activs @ weights`` multiplies
    every network's samples by its own weights.
    """
    flat = np.asarray(flat, dtype=float)
    g, offset = len(flat), 0
    activ = np.broadcast_to(x2, (g, *x2.shape))
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        for a, b in weight_shapes(net.sizes):
            weights = flat[:, offset:offset + a * b].reshape(g, a, b)
            offset += a * b
            sop = activ @ weights  # (g, m, b)
            if net.bias:
                sop = sop + flat[:, None, offset:offset + b]
                offset += b
            activ = sigmoid(sop)
        target = np.broadcast_to(t2, activ.shape)
        if loss == "squared":
            per_sample = ((activ - target) ** 2).sum(axis=2)
        else:
            per_sample = cross_entropy(sop, target).sum(axis=2)
    return per_sample.mean(axis=1)


def parameter_names(net):
    """The two parameters' names as the course writes them: ("W", "b") for a 1-1 neuron with
    bias, ("W1", "W2") for a 2-1 neuron without; any network with two parameters works."""
    names = []
    for l, (a, b) in enumerate(weight_shapes(net.sizes)):
        names += [weight_name(net.sizes, l, z, y) for z in range(a) for y in range(b)]
        if net.bias:
            names += ["b"] if net.n_parameters == 2 else [f"b{l + 1}{y + 1}" for y in range(b)]
    return tuple(names)


def _axis_label(name):
    return f"bias {name}" if name.startswith("b") else f"weight {name}"


# ---------------------------------------------------------------------------
# The static picture
# ---------------------------------------------------------------------------


def plot_error_surface(x, target, runs=(), *, net=None, extent=None, resolution=RESOLUTION, labels=None,
                       log_levels=True, ax=None, title=None, loss=None):
    """Contours of E over the two parameters, each run's descent path on them; returns the Figure.

    - ``x``, ``target``: the samples, as for ``train``; ``net``: the network's
      shape (exactly two parameters), as for ``error_surface``.
    - ``runs``: a ``History`` or a list of them, each from
      ``train(..., record_parameters=True)`` on these samples. Each path goes from
      ``parameters[0]`` (circle) through every update to the network after the run
      (square); steps are marked when a run has at most 100. A path that leaves the
      picture is clipped, and a box on the picture says so.
    - ``extent``: ``((low1, high1), (low2, high2))``; None: around the runs' paths
      (their points not above their start's error, so that a run thrown onto a
      plateau does not shrink the valley to a dot), or around ``net``'s parameters.
    - ``labels``: one legend entry per run (default: "learning rate 1.2, momentum 0.9").
    - ``log_levels``: log-spaced contour levels (a narrow valley shows at every depth);
      False: evenly spaced.
    - ``ax``: an Axes to draw the contours into (then no error panel); None: a new
      9 x 3.6-inch figure with the error per iteration (log scale) beside the contours.
    - ``loss``: "squared" or "cross_entropy"; None: the runs' own (or "squared").

    Made with pyplot, so a notebook cell ends with ``plt.show()``. Introduced in notebook 08.
    """
    runs = _check_runs(runs)
    if net is None and runs and runs[0].network is not None:
        net = runs[0].network
    net, x2, t2 = _check_problem(x, target, net)
    loss = _check_loss_of_runs(loss, runs, t2)
    paths = [_path(run, i, net, x2, t2) for i, run in enumerate(runs)]
    extent = _default_extent(net, paths, runs) if extent is None else _check_extent(extent)
    resolution = check_positive_int(resolution, "resolution", minimum=2)
    labels = _check_labels(labels, runs)
    log_levels = check_flag(log_levels, "log_levels")
    check_title(title)
    if ax is None:
        fig, (ax_map, ax_err) = plt.subplots(1, 2, figsize=(9, 3.6), layout="constrained",
                                             gridspec_kw={"width_ratios": [1.15, 1]})
    elif not isinstance(ax, plt.Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}.")
    else:
        fig, ax_map, ax_err = ax.figure, ax, None

    p1, p2, errors = error_surface(x2, t2, net=net, extent=extent, resolution=resolution, loss=loss)
    names = parameter_names(net)
    levels = surface_levels(p1, p2, errors, lambda points: errors_at(net, points, x2, t2, loss), log_levels)
    filled = draw_surface(ax_map, p1, p2, errors, levels, log_levels)
    add_colourbar(fig, filled, ax_map)
    tidy_axes(ax_map, _axis_label(names[0]), _axis_label(names[1]), f"Error E over ({names[0]}, {names[1]})",
              grid=False)
    lines = []
    for i, (path, label) in enumerate(zip(paths, labels)):
        colour = COLOURS[i % len(COLOURS)]
        line, _, _ = draw_path(ax_map, path, colour)  # the line, its start and its end
        line.set_label(label)
        lines.append(line)
        if ax_err is not None:
            n = _finite_length(runs[i].errors)
            steps = np.arange(n, dtype=float)
            ax_err.plot(*envelope(steps, runs[i].errors[:n], 500), color=colour, lw=1.5)
    ax_map.set_xlim(*extent[0])
    ax_map.set_ylim(*extent[1])
    clipped = [label for path, label in zip(paths, labels) if _leaves(path, extent)]
    if clipped:
        write_message(message_box(ax_map), _clipped_message(clipped), diverged=False, curves=lines)
    if ax_err is not None:
        _finish_error_panel(ax_err, runs, labels)
    if runs:
        marks = [plt.Line2D([], [], ls="none", **START_STYLE, color="#333333"),
                 plt.Line2D([], [], ls="none", **END_STYLE, color="#333333")]
        texts = [line.get_label() for line in lines] + ["start", "end"]
        if ax_err is None:
            ax_map.legend(lines + marks, texts, fontsize=TEXT_SIZE, loc="best", framealpha=0.9)
        else:
            legend_below(fig, lines + marks, texts, loc="outside lower center")
    if title is None and ax_err is not None:
        title = f"Gradient descent on the error surface of the {_network_words(net)}"
    if title:
        (fig.suptitle if ax_err is not None else ax_map.set_title)(title, fontsize=TITLE_SIZE)
    return fig


#: How a path's start and end are marked.
START_STYLE = dict(marker="o", markersize=8, markeredgecolor="white", markeredgewidth=1.2)
END_STYLE = dict(marker="s", markersize=7, markeredgecolor="white", markeredgewidth=1.2)


def draw_surface(ax, p1, p2, errors, levels, log_levels=True):
    """Filled contours of ``errors`` (shape of ``p1``) and thin contour lines at ``levels``
    (from ``surface_levels``; the last, the largest E, bounds the top band); returns the
    filled ``ContourSet``. Below the lowest level, one darkest band holds the valley floor."""
    low = float(np.min(errors))
    if low < levels[0]:
        low = max(low, levels[0] * 1e-3) if log_levels else low
        bands = np.concatenate([[low], levels])
    else:
        bands = levels
    norm = BoundaryNorm(bands, SURFACE_MAP.N)  # one colour step per band, however wide
    floored = np.clip(errors, bands[0], None)  # the darkest band holds everything below its top
    filled = ax.contourf(p1, p2, floored, levels=bands, norm=norm, cmap=SURFACE_MAP, zorder=0)
    ax.contour(p1, p2, errors, levels=levels[:-1], colors=CONTOUR_COLOUR, linewidths=0.5, zorder=1)
    filled.line_levels = levels  # the colour bar writes these
    return filled


def surface_levels(p1, p2, errors, exact, log_levels=True):
    """``LEVELS + 1`` contour levels for ``errors`` (a grid from ``error_surface``), shape ``(k,)``.

    Evenly spaced from the least to the largest E on the grid, or (``log_levels``)
    log-spaced, so that the bands narrow toward the valley floor. A grid cannot
    draw a contour narrower than its cells: a log-spaced contour line is drawn only
    where E along it, computed exactly by ``exact(points)`` (points of shape
    ``(n, 2)``), is within ``LEVEL_TOLERANCE`` of its level. The lowest level is the
    lowest such contour (found by bisection: the deeper, the narrower the valley).
    """
    finite = errors[np.isfinite(errors)]
    low, high = float(finite.min()), float(finite.max())
    if high <= low:  # a flat surface: one band
        high = low + max(abs(low), 1.0) * 1e-6
    if not (log_levels and high > 0):
        return np.linspace(low, high, LEVELS + 1)
    low = max(low, high * 10.0**-DECADES, np.finfo(float).tiny)
    candidates = np.geomspace(low, high, 4 * LEVELS + 1)[1:-1]
    generator = contourpy.contour_generator(p1, p2, errors, line_type="Separate")

    def resolved(level):
        points = [line for line in generator.lines(level) if len(line)]
        if not points:
            return False
        points = np.vstack(points)
        with np.errstate(all="ignore"):
            return bool(np.max(np.abs(exact(points) / level - 1)) <= LEVEL_TOLERANCE)

    first, last = 0, len(candidates) - 1  # find the lowest resolved candidate
    if resolved(candidates[first]):
        last = first
    while last - first > 1:
        middle = (first + last) // 2
        if resolved(candidates[middle]):
            last = middle
        else:
            first = middle
    return np.geomspace(candidates[last], high, LEVELS + 1)


def add_colourbar(fig, filled, ax=None, cax=None, label="E on each contour"):
    """A colour bar for the surface, with a handful of its levels written in 10-pt text."""
    bar = fig.colorbar(filled, ax=ax, cax=cax, pad=0.02, fraction=0.06)
    levels = filled.line_levels
    ticks = levels[:: max(1, len(levels) // 5)]
    bar.ax.yaxis.set_major_locator(FixedLocator(ticks))
    bar.ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:.2g}"))
    bar.ax.yaxis.set_minor_locator(FixedLocator([]))
    bar.ax.tick_params(labelsize=TEXT_SIZE)
    if label:
        bar.set_label(label, fontsize=TEXT_SIZE)
    return bar


def draw_path(ax, path, colour):
    """A path (shape ``(k, 2)``): a line with a marker per step (if short), its start and end marked.

    Returns ``(line, start, end)``, three ``Line2D``.
    """
    (line,) = ax.plot(path[:, 0], path[:, 1], color=colour, lw=1.6, zorder=3,
                      marker="o" if len(path) <= MARKER_LIMIT + 1 else "None", markersize=3)
    (start,) = ax.plot(path[:1, 0], path[:1, 1], ls="none", color=colour, zorder=4, **START_STYLE)
    (end,) = ax.plot(path[-1:, 0], path[-1:, 1], ls="none", color=colour, zorder=4, **END_STYLE)
    return line, start, end


def _finish_error_panel(ax, runs, labels):
    """Label the error panel, log scale when it can be, and write the runs' messages in its box."""
    tidy_axes(ax, "iteration", "error E (log scale)", "Error per iteration")
    finite = [run.errors[:_finite_length(run.errors)] for run in runs]
    if any(np.any(e > 0) for e in finite):
        log_axis(ax)
        low = min(e[e > 0].min() for e in finite if np.any(e > 0))
        high = max(e.max() for e in finite if len(e))
        ax.set_ylim(10.0 ** np.floor(np.log10(max(low, high * ERROR_FLOOR))), _decade_above(high))
        zeros = [int(np.argmax(e <= 0)) for e in finite if np.any(e <= 0)]
        if zeros:
            ax.text(0.03, 0.03, f"E = 0 from iteration {min(zeros)} (not drawable on a log scale)",
                    transform=ax.transAxes, fontsize=TEXT_SIZE, style="italic", color=NOTE_COLOUR)
    if runs:
        ax.set_xlim(0, max(max(run.iterations for run in runs) - 1, 1))
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    messages = [run.message if len(runs) == 1 else f"{label}: {_first_sentence(run.message)}"
                for run, label in zip(runs, labels) if run.message]
    if messages:
        write_message(message_box(ax), "\n".join(messages), diverged=any(run.diverged for run in runs),
                      curves=ax.get_lines())


def _first_sentence(text):
    """The first sentence of ``text`` (several runs' messages must fit one box)."""
    end = text.find(". ")
    return text if end < 0 else text[:end + 1]


def _finite_length(values):
    finite = np.isfinite(values)
    return len(values) if finite.all() else int(np.argmin(finite))


def _leaves(path, extent):
    """Whether any point of ``path`` lies outside ``extent``."""
    (lo1, hi1), (lo2, hi2) = extent
    return bool(np.any((path[:, 0] < lo1) | (path[:, 0] > hi1) | (path[:, 1] < lo2) | (path[:, 1] > hi2)))


def _clipped_message(labels):
    if len(labels) == 1:
        return f"Clipped: the path of {labels[0]} leaves the picture; a wider extent shows all of it."
    return f"Clipped: the paths of {', '.join(labels)} leave the picture; a wider extent shows all of them."


def _network_words(net):
    layout = "-".join(map(str, net.sizes))
    return f"{layout} neuron with bias" if net.bias else f"{layout} neuron without bias"


# ---------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------


def _check_problem(x, target, net):
    """``(net, x2, t2)``: a copy of a network with exactly two parameters and the samples in 2-D."""
    if net is None:
        x_array = as_finite_array(x, "x")
        n_in = x_array.shape[-1] if x_array.ndim >= 1 else 1
        if n_in not in (1, 2):
            raise ValueError(f"x must have 1 or 2 columns for the default network (a 1-1 neuron with bias "
                             f"or a 2-1 neuron without), got shape {x_array.shape}; pass net= for another.")
        net = Network((1, 1), weights=[np.zeros((1, 1))], biases=[np.zeros(1)]) if n_in == 1 else \
            Network((2, 1), weights=[np.zeros((2, 1))])
    check_parameters(net)  # a TypeError if it is no Network, one sentence if its arrays are broken
    if net.n_parameters != 2:
        raise ValueError(
            f"net must have exactly two parameters to draw its error surface in a plane (a 1-1 neuron "
            f"with bias: W and b, or a 2-1 neuron without bias: W1 and W2); the {_network_words(net)} "
            f"has {net.n_parameters}.")
    x2, t2, _ = net._samples(x, target)
    return net.copy(), x2, t2


def _check_extent(extent):
    """``((low1, high1), (low2, high2))`` as floats with low < high, or one sentence."""
    problem = ("extent must be two (low, high) pairs, one per parameter, e.g. ((-2, 3), (-9, 8)), "
               f"got {extent!r}.")
    try:
        pairs = tuple(tuple(float(v) for v in pair) for pair in extent)
    except (TypeError, ValueError):
        raise TypeError(problem) from None
    if len(pairs) != 2 or any(len(pair) != 2 for pair in pairs):
        raise ValueError(problem)
    for name, (low, high) in zip(("first", "second"), pairs):
        if not (np.isfinite(low) and np.isfinite(high) and low < high):
            raise ValueError(f"extent: the {name} pair must be finite numbers (low, high) with low < high, "
                             f"got ({low:g}, {high:g}).")
    return pairs


def _check_runs(runs):
    """The runs as a list of Histories that recorded two parameters per iteration."""
    if isinstance(runs, History):
        runs = [runs]
    if not isinstance(runs, (list, tuple)):
        raise TypeError("runs must be a History or a list of them (from train(..., record_parameters=True)), "
                        f"got {type(runs).__name__}.")
    for i, run in enumerate(runs):
        if not isinstance(run, History):
            raise TypeError(f"runs[{i}] must be a History (from gdlib.train), got {type(run).__name__}.")
        if run.parameters is None:
            raise ValueError(f"runs[{i}] has no parameters to draw its path: train it with "
                             "record_parameters=True.")
        shape = np.shape(run.parameters)
        if len(shape) != 2 or shape[1] != 2 or shape[0] != run.iterations:
            raise ValueError(f"runs[{i}].parameters must have shape ({run.iterations}, 2), one row of the "
                             f"two parameters per iteration; got {shape}.")
    return list(runs)


def _check_loss_of_runs(loss, runs, t2):
    """The loss of the surface: ``loss``, or the runs' own; every run must share it."""
    own = {run.loss for run in runs}
    if loss is None:
        if len(own) > 1:
            raise ValueError("runs mix losses ('squared' and 'cross_entropy'): draw them on separate "
                             "surfaces.")
        loss = own.pop() if own else "squared"
    loss = check_loss(loss)
    check_loss_target(t2, loss)
    for i, run in enumerate(runs):
        if run.loss != loss:
            raise ValueError(f"runs[{i}] descended loss={run.loss!r}, not the surface's loss={loss!r}.")
    return loss


def _path(run, i, net, x2, t2):
    """The path of ``run``: ``parameters`` and the parameters after the last update, shape
    ``(iterations + 1, 2)`` (``(k, 2)`` when a row is not finite: the first k only).

    Refuses a run that was not trained on these samples: its first error must be E at its start.
    """
    start_error = errors_at(net, run.parameters[:1], x2, t2, run.loss)[0]
    first = float(run.errors[0])
    if not np.isclose(first, start_error, rtol=1e-9, atol=1e-12):
        raise ValueError(f"runs[{i}] was trained on other samples or another network: its first error "
                         f"{first:.6g} is not E = {start_error:.6g} at its start on these x and target.")
    rows = run.parameters
    if run.network is not None:
        rows = np.vstack([rows, flat_parameters(run.network.weights, run.network.biases)])
    finite = np.isfinite(rows).all(axis=1)
    return rows if finite.all() else rows[:int(np.argmin(finite))]


def _default_extent(net, paths, runs):
    """A box, with a margin, around the points of the paths whose error is not above their
    start's (a run thrown onto a plateau is left out); around ``net``'s parameters (+-3) without runs."""
    if not paths:
        centre = flat_parameters(net.weights, net.biases)
        return tuple((c - 3.0, c + 3.0) for c in centre)
    points = []
    for path, run in zip(paths, runs):
        errors = run.errors[:len(path)]
        keep = np.ones(len(path), dtype=bool)  # the end point (after the run) is kept
        keep[:len(errors)] = errors <= errors[0]  # NaN: left out
        points.append(path[keep])
    points = np.vstack(points)
    low, high = points.min(axis=0), points.max(axis=0)
    span = np.maximum(high - low, 0.5)
    middle = (low + high) / 2
    return tuple((m - 0.6 * s, m + 0.6 * s) for m, s in zip(middle, span))


def _check_labels(labels, runs):
    if labels is None:
        return [_run_label(run, i) for i, run in enumerate(runs)]
    if isinstance(labels, str):
        labels = [labels]
    if not isinstance(labels, (list, tuple)) or not all(isinstance(s, str) for s in labels):
        raise TypeError(f"labels must be a list of strings, one per run, got {labels!r}.")
    if len(labels) != len(runs):
        raise ValueError(f"labels must hold one string per run: {len(runs)} run(s), {len(labels)} label(s).")
    return list(labels)


def _run_label(run, i):
    """ "learning rate 1.5, momentum 0.9, batches of 5" (the settings that differ from plain descent)."""
    if run.learning_rate is None:
        return f"run {i + 1}"
    words = [f"learning rate {run.learning_rate:.3g}"]
    if run.momentum:
        words.append(f"momentum {run.momentum:g}")
    if run.batch_size is not None:
        words.append(f"batches of {run.batch_size}")
    return ", ".join(words)


# ---------------------------------------------------------------------------
# The explorer
# ---------------------------------------------------------------------------


def surface_explorer(x, target, *, net=None, learning_rate=0.5, iterations=200, momentum=0.0, start=None,
                     extent=None, resolution=RESOLUTION, loss="squared", title=None):
    """A widget: the error surface of a two-parameter network, and the path of gradient descent on it.

    - ``x``, ``target``, ``net``: as for ``plot_error_surface`` (``net`` gives the
      network's shape; its parameters are the default start).
    - Sliders: ``learning_rate`` (log, 0.001 .. 100), ``iterations`` (1 .. 10,000),
      the two start parameters (over ``extent``) and ``momentum`` (0 .. 0.99; 0 is
      plain gradient descent).
    - ``start``: the start ``(W, b)`` (or ``(W1, W2)``); None: ``net``'s parameters
      (W = b = 0 for the default network).
    - ``extent``: ``((low1, high1), (low2, high2))``, the part of the plane drawn and
      the range of the start sliders; None: around the path of the first run.

    Every setting draws exactly ``train(start network, x, target, learning_rate=...,
    iterations=..., momentum=..., record_parameters=True)``: its path from the start
    (circle) to the parameters after the last update (square), and its E per iteration.
    The contours are drawn once; only the path and the curve are drawn again on each
    move. A run that diverges, or a path that leaves the picture, is said on the plot.
    Returns a ``SurfaceExplorer`` (an ``ipywidgets.VBox``). Introduced in notebook 08.
    """
    return SurfaceExplorer(x, target, net=net, learning_rate=learning_rate, iterations=iterations,
                           momentum=momentum, start=start, extent=extent, resolution=resolution, loss=loss,
                           title=title)


class SurfaceExplorer(ExplorerBase):
    """The widget ``surface_explorer`` returns. Public attributes, for notebooks and tests:

    - ``learning_rate_slider``, ``iterations_slider``, ``start_sliders`` (two, in the
      order of the parameters), ``momentum_slider``: set their ``value`` to move them;
    - ``image``, ``live``, ``note``, ``message``: see ``ExplorerBase``;
    - ``path_line`` (its data is the drawn path: ``history.parameters`` then the
      parameters after the last update), ``start_point``, ``end_point``, ``error_line``
      (E per iteration, thinned by ``envelope`` to ``columns``), ``surface`` (the
      filled contours), ``message_text``, ``error_title`` (says the final E), ``title_text``;
    - ``p1``, ``p2``, ``errors``: the grid of the surface (``error_surface``); ``extent``;
    - ``history``: the run shown, as ``train`` returns it for the shown settings.
    """

    plain_text = "Error-surface explorer: run the notebook to move its sliders."

    def __init__(self, x, target, *, net, learning_rate, iterations, momentum, start, extent, resolution,
                 loss, title):
        self._net, self._x, self._target = _check_problem(x, target, net)
        self._loss = check_loss(loss)
        check_loss_target(self._target, self._loss)
        learning_rate = check_slider_value(check_learning_rate(learning_rate), "learning_rate",
                                           *(10.0**e for e in LEARNING_RATE_EXPONENTS))
        iterations = check_slider_value(check_positive_int(iterations, "iterations"), "iterations",
                                        1, MAX_ITERATIONS)
        momentum = check_slider_value(check_momentum(momentum), "momentum", 0, MAX_MOMENTUM)
        start = _check_start(start, self._net)
        self._resolution = check_positive_int(resolution, "resolution", minimum=2)
        self._title = check_title(title)
        self._runs = RecentRuns(CACHE_BYTES, _run_bytes)
        self._longest = iterations
        self._shown = None
        if extent is None:
            run = self._run(learning_rate, momentum, start, iterations)
            extent = _default_extent(self._net, [self._path(run, iterations)], [run])
        self.extent = _check_extent(extent)
        for name, value, (low, high) in zip(parameter_names(self._net), start, self.extent):
            if not low <= value <= high:
                raise ValueError(f"start: {name} = {value:g} must lie inside the extent ({low:g}, {high:g}).")

        live = training_compiled.AVAILABLE  # without numba a new run takes tenths of a second
        self.learning_rate_slider = learning_rate_slider(learning_rate, LEARNING_RATE_EXPONENTS,
                                                         readout_format=".3g", continuous_update=live)
        self.iterations_slider = int_slider("iterations", iterations, 1, MAX_ITERATIONS,
                                            continuous_update=live)
        self.start_sliders = [
            ipywidgets.FloatSlider(value=value, min=low, max=high, step=(high - low) / 500,
                                   description=f"start {name}", readout_format=".3g", continuous_update=live,
                                   style=CONTROL_STYLE, layout=SLIDER_LAYOUT)
            for name, value, (low, high) in zip(parameter_names(self._net), start, self.extent)]
        self.momentum_slider = ipywidgets.FloatSlider(
            value=momentum, min=0.0, max=MAX_MOMENTUM, step=0.01, description="momentum",
            readout_format=".2f", continuous_update=live, style=CONTROL_STYLE, layout=SLIDER_LAYOUT)
        controls = [self.learning_rate_slider, self.iterations_slider, *self.start_sliders,
                    self.momentum_slider]
        super().__init__(controls, NOTE if live else f"{NOTE}<br>{NUMBA_HINT}")

    # -- what is shown -------------------------------------------------------------

    @property
    def history(self):
        """The run shown, as ``train`` returns it for the shown settings (with ``record_parameters``);
        reading it may train once, to end the run after exactly the shown iterations."""
        learning_rate, momentum, start, n, run = self._shown
        if run.iterations != n:
            run = self._train(learning_rate, momentum, start, n)
        return run

    def start_network(self, start=None):
        """The network the runs start from: ``net``'s shape with the start sliders' parameters."""
        start = tuple(float(s.value) for s in self.start_sliders) if start is None else start
        return network_at(self._net, np.array(start))

    # -- building --------------------------------------------------------------------

    def _build_figure(self):
        """The surface, colour bar and axes once; the path, its ends, the curve and the texts animated."""
        fig = self.live.figure
        width, height = fig.get_size_inches()
        bottom, top = 0.55 / height, 1 - 0.6 / height
        # In inches: the message box on the error panel is about 3.2 inches wide.
        ax_map = fig.add_axes([0.75 / width, bottom, 3.0 / width, top - bottom])
        cax = fig.add_axes([3.85 / width, bottom, 0.12 / width, top - bottom])
        ax_err = fig.add_axes([5.35 / width, bottom, 3.4 / width, top - bottom])
        self.p1, self.p2, self.errors = error_surface(
            self._x, self._target, net=self._net, extent=self.extent, resolution=self._resolution,
            loss=self._loss)
        exact = lambda points: errors_at(self._net, points, self._x, self._target, self._loss)  # noqa: E731
        self.levels = surface_levels(self.p1, self.p2, self.errors, exact)
        self.surface = draw_surface(ax_map, self.p1, self.p2, self.errors, self.levels)
        add_colourbar(fig, self.surface, cax=cax, label=None)  # the panel's title says what it is
        names = parameter_names(self._net)
        tidy_axes(ax_map, _axis_label(names[0]), _axis_label(names[1]),
                  f"Error E over ({names[0]}, {names[1]})", grid=False)
        ax_map.set_xlim(*self.extent[0])
        ax_map.set_ylim(*self.extent[1])
        self.path_line, self.start_point, self.end_point = draw_path(ax_map, np.zeros((1, 2)), COLOURS[0])
        (self.error_line,) = ax_err.plot([], [], color=COLOURS[0], lw=1.5)
        log_axis(ax_err)
        self._error_bottom = _error_bottom(self.errors)
        # Texts cost ~0.1 ms per character to draw: the title stays in the background and only
        # the short error title changes with each run (the sliders show the settings).
        tidy_axes(ax_err, "iteration", "error E (log scale)", _error_title(np.nan))
        self.error_title = ax_err.title
        ax_err.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        ax_err.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
        name = self._title or f"Gradient descent on the error surface of the {_network_words(self._net)}"
        self.title_text = fig.suptitle(name, fontsize=TITLE_SIZE)
        self.add_message_box(ax_err)
        self.live.animate(self.path_line, self.start_point, self.end_point, self.error_line, self.error_title)
        self.columns = max(int(ax_err.bbox.width), 1)

    # -- slider moves --------------------------------------------------------------

    def _train(self, learning_rate, momentum, start, n):
        return train(self.start_network(start), self._x, self._target, learning_rate=learning_rate,
                     iterations=n, momentum=momentum, loss=self._loss, record_parameters=True)

    def _run(self, learning_rate, momentum, start, n):
        """The kept run for these settings, trained if missing or shorter than ``n``."""
        key = (learning_rate, momentum, *start)
        run = self._runs.get(key)
        if run is None or run.iterations < n:
            self._longest = max(self._longest, n)
            run = self._runs.put(key, self._train(learning_rate, momentum, start, self._longest))
        return run

    @staticmethod
    def _path(run, n):
        """The path of the first ``n`` updates of ``run``: shape ``(n + 1, 2)`` (fewer rows if
        the numbers overflowed): the parameters before each update, then after the last."""
        if run.iterations > n:
            rows = run.parameters[:n + 1]
        elif run.network is not None:
            rows = np.vstack([run.parameters, flat_parameters(run.network.weights, run.network.biases)])
        else:
            rows = run.parameters
        finite = np.isfinite(rows).all(axis=1)
        return rows if finite.all() else rows[:int(np.argmin(finite))]

    def _draw(self):
        """Draw the run of the settings the sliders show, whatever moved and in which order."""
        learning_rate = float(self.learning_rate_slider.value)
        n = int(self.iterations_slider.value)
        momentum = float(self.momentum_slider.value)
        start = tuple(float(s.value) for s in self.start_sliders)
        run = self._run(learning_rate, momentum, start, n)
        path = self._path(run, n)
        self.path_line.set_data(path[:, 0], path[:, 1])
        self.path_line.set_marker("o" if n <= MARKER_LIMIT else "None")
        self.start_point.set_data(path[:1, 0], path[:1, 1])
        self.end_point.set_data(path[-1:, 0], path[-1:, 1])
        errors = run.errors[:n]
        shown = errors[:_finite_length(errors)]
        self.error_line.set_data(*envelope(np.arange(len(shown), dtype=float), shown, self.columns))
        ax = self.error_line.axes
        ax.set_xlim(*iteration_limits(n))
        ax.set_ylim(self._error_bottom, _decade_above(max(shown.max(initial=0.0), self.errors.max())))
        diverged, message = diagnose(errors, run.predictions[:n], run.target, loss=self._loss,
                                     momentum=momentum)
        if _leaves(path, self.extent):
            message = f"{message} The path leaves the picture (clipped).".strip()
        self._say(message, diverged)
        self.error_title.set_text(_error_title(shown[-1] if len(shown) == n else np.nan))
        self._shown = (learning_rate, momentum, start, n, run)
        self.live.update()


def _run_bytes(run):
    return run.errors.nbytes + run.predictions.nbytes + run.parameters.nbytes


def _error_title(final_error):
    return f"Error per iteration (final E = {final_error:.3g})"


def _error_bottom(grid):
    """The bottom of the explorer's error axis, the same for every run so that runs compare at a
    glance (and the background is drawn once): ``ERROR_FLOOR`` when the least E on the ``grid``
    is far below its largest (a minimum of E = 0, which runs approach without end), else the
    decade below the least E on the grid."""
    low, high = float(np.min(grid)), float(np.max(grid))
    if low <= 1e-3 * high:
        return ERROR_FLOOR
    return 10.0 ** np.floor(np.log10(low / 2))


def _decade_above(value):
    """The power of 10 at or above ``value`` (> 0)."""
    return 10.0 ** np.ceil(np.log10(max(value, ERROR_FLOOR * 10)))


def _check_start(start, net):
    """The start as two floats: ``net``'s own parameters when None."""
    if start is None:
        return tuple(float(v) for v in flat_parameters(net.weights, net.biases))
    names = " and ".join(parameter_names(net))
    try:
        values = tuple(float(v) for v in start)
    except (TypeError, ValueError):
        raise TypeError(f"start must be two numbers ({names}), got {start!r}.") from None
    if len(values) != 2 or not all(np.isfinite(values)):
        raise ValueError(f"start must be two finite numbers ({names}), got {start!r}.")
    return values
