"""Decision boundaries: where a two-input network switches from class 0 to class 1.

Introduced in notebook 07. A network with 2 inputs and 1 output gives every
point (x1, x2) of the plane a prediction between 0 and 1. Read as "class 1
when the prediction is above 0.5", the curve where it equals 0.5 is the
decision boundary.

- ``plot_decision_boundary`` shades the plane by the prediction, in bands of
  0.1 (a filled contour), draws the 0.5 contour in black and the points on top.
- ``boundary_explorer`` retrains as you move its controls (hidden layers,
  learning rate, iterations, and in notebook 09 the batch size) and shows the
  error curve beside the boundary.
"""

import contourpy
import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import BoundaryNorm

from ..checks import (
    as_finite_array,
    check_learning_rate,
    check_parameters,
    check_positive_int,
    check_title,
)
from ..network import Network
from ..training import diagnose, train
from .explorer_base import (
    CONTROL_STYLE,
    ExplorerBase,
    RecentRuns,
    check_slider_value,
    int_slider,
    learning_rate_slider,
    network_at,
)
from .style import (
    BOUNDARY_COLOUR,
    CLASS_COLOURS,
    CLASS_MAP,
    COLOURS,
    POINT_EDGE,
    TEXT_SIZE,
    TITLE_SIZE,
    tidy_axes,
)

#: Class 0 as blue circles, class 1 as orange triangles: two colours and two
#: marker shapes, so that the classes differ for every reader.
CLASS_STYLES = (
    dict(color=CLASS_COLOURS[0], marker="o", label="class 0"),
    dict(color=CLASS_COLOURS[1], marker="^", label="class 1"),
)
#: The prediction is shaded in bands 0.0-0.1, 0.1-0.2, ..., 0.9-1.0.
LEVELS = np.linspace(0.0, 1.0, 11)
#: Blank space around the points, in input units, on every side of the grid.
PADDING = 0.25
#: A prediction that varies less than this over the grid is flat: no boundary is drawn.
FLAT = 1e-6
#: Kept runs (errors and snapshots) are forgotten, least recently shown first, beyond this many bytes.
CACHE_BYTES = 16 * 2**20
#: The boundary explorer's learning-rate slider: 10**-3 .. 10**2.
LEARNING_RATE_EXPONENTS = (-3, 2)
NOTE = ("Left: the error E, the mean over all points. Right: the network's prediction over the plane "
        "(blue: class 0, orange: class 1, white: unsure) and its boundary, where the prediction is 0.5. "
        "A new learning rate or layout trains again from the same start; the iterations slider "
        "replays or continues the same run.")
#: Added to the note when the explorer offers batch sizes (notebook 09).
BATCH_NOTE = ("With a batch size b below the m points, an iteration is one update on b points and an epoch "
              "is m / b updates (every point once, in a new random order each epoch); the error curve "
              "still shows E on all points before each update, so it jitters.")


def decision_grid(net, x, resolution=100):
    """The plane around the points ``x`` and the network's prediction on it.

    ``x`` has shape ``(m, 2)``. Returns ``(xx, yy, predicted)``, each of shape
    ``(resolution, resolution)``: ``predicted[i, j]`` is ``net.predict`` at the
    point ``(xx[i, j], yy[i, j])``; x1 grows along j, x2 along i. The grid
    covers the points plus ``PADDING`` on every side.
    """
    net, x = _check_network_and_points(net, x)
    resolution = check_positive_int(resolution, "resolution", minimum=2)
    xx, yy = _grid(x, resolution)
    return xx, yy, _predict_on_grid(net, xx, yy)


def plot_decision_boundary(net, x, labels, *, ax=None, title=None, resolution=100, legend=True):
    """Shade the plane by ``net.predict``, draw the 0.5 boundary and the points; returns the Figure.

    - ``net``: a ``Network`` with 2 inputs and 1 output.
    - ``x``: the points, shape ``(m, 2)``; ``labels``: their classes, 0 or 1,
      shape ``(m, 1)`` or ``(m,)``.
    - ``ax``: an Axes to draw into (a new figure when None); ``title``: its title;
      ``resolution``: grid points per side (``decision_grid``); ``legend``: name
      the two classes in a legend (leave it out on small panels).

    Made with pyplot, so a notebook cell ends with ``plt.show()``. Introduced in notebook 07.
    """
    net, x = _check_network_and_points(net, x)
    labels = _check_labels(labels, len(x))
    resolution = check_positive_int(resolution, "resolution", minimum=2)
    check_title(title)
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.6), layout="constrained")
    elif not isinstance(ax, plt.Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}.")
    xx, yy = _grid(x, resolution)
    draw_prediction(ax, xx, yy, _predict_on_grid(net, xx, yy))
    draw_points(ax, x, labels, legend=bool(legend))
    _label_axes(ax, xx, yy, title if title is not None else "Decision boundary (black: prediction 0.5)")
    return ax.figure


def draw_prediction(ax, xx, yy, predicted):
    """Draw ``predicted`` (shape of ``xx``) as shaded bands and its 0.5 contour.

    Returns ``(shade, line)``: an ``AxesImage`` whose array is ``predicted`` and a
    ``Line2D`` along the 0.5 contour (pieces separated by NaN). The bands are a
    filled contour drawn as an image (one colour per band of 0.1, through a
    ``BoundaryNorm``), so that ``update_prediction`` can show a new grid with
    ``set_data`` instead of making new artists: the explorer redraws faster.
    """
    dx, dy = xx[0, 1] - xx[0, 0], yy[1, 0] - yy[0, 0]  # pixel centres on the grid points
    extent = (xx[0, 0] - dx / 2, xx[0, -1] + dx / 2, yy[0, 0] - dy / 2, yy[-1, 0] + dy / 2)
    shade = ax.imshow(predicted, origin="lower", extent=extent, aspect="auto", cmap=CLASS_MAP,
                      norm=BoundaryNorm(LEVELS, CLASS_MAP.N), interpolation="bilinear", zorder=0)
    (line,) = ax.plot(*boundary_line(xx, yy, predicted), color=BOUNDARY_COLOUR, lw=1.8, zorder=2)
    return shade, line


def update_prediction(shade, line, xx, yy, predicted):
    """Show a new ``predicted`` grid in the artists made by ``draw_prediction``."""
    shade.set_data(predicted)
    line.set_data(*boundary_line(xx, yy, predicted))


def boundary_line(xx, yy, predicted):
    """The points where ``predicted`` is 0.5, as ``(xs, ys)``; separate pieces are split by NaN.

    Empty when the prediction is flat (it varies by less than ``FLAT`` over the
    grid): a network that answers 0.5 everywhere has no boundary, and the
    0.5 contour of rounding noise would only draw a misleading line.
    """
    if not np.all(np.isfinite(predicted)) or np.ptp(predicted) < FLAT:
        return np.zeros(0), np.zeros(0)
    pieces = contourpy.contour_generator(xx, yy, predicted, line_type="Separate").lines(0.5)
    xs, ys = [], []
    for piece in pieces:
        xs.extend([*piece[:, 0], np.nan])
        ys.extend([*piece[:, 1], np.nan])
    return np.array(xs), np.array(ys)


def draw_points(ax, x, labels, legend=True):
    """The points ``x`` (shape ``(m, 2)``) styled by class (``labels``, shape ``(m,)``), and a legend.

    Returns the artists: one scatter per class, then the legend (if any).
    """
    artists = []
    for c, style in enumerate(CLASS_STYLES):
        chosen = labels == c
        artists.append(ax.scatter(x[chosen, 0], x[chosen, 1], s=18 if len(x) > 50 else 50,
                                  edgecolors=POINT_EDGE, linewidths=0.4, zorder=3, **style))
    if legend:
        artists.append(ax.legend(loc="best", fontsize=TEXT_SIZE, framealpha=0.9))
    return artists


# ---------------------------------------------------------------------------
# The explorer, and the run it draws from
# ---------------------------------------------------------------------------


class _SnapshotRun:
    """What ``ChunkedRun`` and ``RecordedRun`` share: ``networks[j]``, the network after
    ``j * chunk`` iterations (``networks[0]`` the start), ``errors[k]``, E at iteration k,
    and ``network_at(k)`` read from them. A subclass says how to train (``advance_to``)
    and how to reach an iteration between two snapshots (``_between``)."""

    def __init__(self, net, x, target, *, learning_rate, chunk):
        check_parameters(net)
        self.x, self.target = x, target
        self.learning_rate = check_learning_rate(learning_rate)
        self.chunk = check_positive_int(chunk, "chunk")
        self.networks = [net.copy()]
        self.errors = np.zeros(0)
        self.overflowed = False  # True once the run overflowed: no network after that

    @property
    def iterations(self):
        """How many iterations have been trained so far."""
        return len(self.errors)

    def nbytes(self):
        """The memory its numbers take: errors and snapshots."""
        return self.errors.nbytes + sum(w.nbytes for net in self.networks for w in net.weights + net.biases)

    def network_at(self, k):
        """The network after ``k`` iterations (None if the run overflowed before that)."""
        k = check_positive_int(k, "k", minimum=0)
        if k:
            self.advance_to(k)
        j, rest = divmod(k, self.chunk)
        if j >= len(self.networks):
            return None
        if rest == 0:
            return self.networks[j]
        return self._between(k, j, rest)


class ChunkedRun(_SnapshotRun):
    """One gradient-descent run, trained only as far as it has been asked, in chunks.

    ``advance_to(k)`` calls ``gdlib.train`` on chunks of ``chunk`` iterations, each
    chunk starting from the network the previous one ended with, and keeps that
    network: ``networks[j]`` is the network after ``j * chunk`` iterations
    (``networks[0]`` is the start). ``errors[k]`` is E at iteration k, as in a
    ``History``. The numbers are exactly those of one long run: an iteration
    depends on nothing but the current network.

    Why: the boundary after k iterations needs the network after k iterations,
    and a ``History`` keeps only the last network. With the snapshots, fewer
    iterations cost no training at all (the errors are a prefix, the network a
    kept snapshot, plus at most one partial chunk) and more iterations continue
    from the last snapshot instead of starting again.
    """

    def __init__(self, net, x, target, *, learning_rate, chunk=100):
        super().__init__(net, x, target, learning_rate=learning_rate, chunk=chunk)

    def advance_to(self, iterations):
        """Train more chunks until at least ``iterations`` are done (or the run overflowed)."""
        iterations = check_positive_int(iterations, "iterations")
        pieces, done = [self.errors], self.iterations
        while done < iterations and not self.overflowed:
            history = train(self.networks[-1], self.x, self.target,
                            learning_rate=self.learning_rate, iterations=self.chunk)
            pieces.append(history.errors)
            done += self.chunk
            if history.network is None:
                self.overflowed = True
            else:
                self.networks.append(history.network)
        self.errors = np.concatenate(pieces)

    def _between(self, k, j, rest):
        return train(self.networks[j], self.x, self.target,
                     learning_rate=self.learning_rate, iterations=rest).network


class RecordedRun(_SnapshotRun):
    """One mini-batch run (notebook 09), recorded to as far as it has been asked.

    A mini-batch run cannot go on from a snapshot as ``ChunkedRun`` does: a new
    ``train`` call would draw the order of the samples afresh and start the
    momentum again, and the run would no longer be that of one long call. So
    ``advance_to(k)`` trains from the start, with ``record_parameters=True``, to
    ``max(k, 2 * iterations)`` (at most ``most``: doubling keeps the retraining
    cheap), and keeps the errors and the networks at every multiple of ``chunk``
    (rebuilt from ``History.parameters``; the full record is let go). The first k
    updates of a run of n >= k iterations are those of a run of k iterations (the
    same seed draws the same orders), so ``network_at(k)`` is exactly the network
    of ``train(start, ..., iterations=k, batch_size=batch_size, seed=seed)``.

    Same attributes as ``ChunkedRun``: ``networks[j]`` is the network after
    ``j * chunk`` updates (``networks[0]`` the start), ``errors[k]`` E on all
    samples before update k.
    """

    def __init__(self, net, x, target, *, learning_rate, batch_size, seed, chunk=100, most=None):
        super().__init__(net, x, target, learning_rate=learning_rate, chunk=chunk)
        self.batch_size, self.seed = batch_size, seed
        self.most = most

    def _train(self, iterations, record=False):
        return train(self.networks[0], self.x, self.target, learning_rate=self.learning_rate,
                     iterations=iterations, batch_size=self.batch_size, seed=self.seed,
                     record_parameters=record)

    def advance_to(self, iterations):
        """Train again from the start, if needed, so that at least ``iterations`` are recorded."""
        iterations = check_positive_int(iterations, "iterations")
        if iterations <= self.iterations or self.overflowed:
            return
        n = max(iterations, 2 * self.iterations)
        if self.most is not None:
            n = max(iterations, min(n, self.most))
        history = self._train(n, record=True)
        start = self.networks[0]
        networks = [start]
        for k in range(self.chunk, n + 1, self.chunk):
            flat = history.parameters[k] if k < n else None
            if flat is None:
                if history.network is None:
                    break
                networks.append(history.network)
            elif np.all(np.isfinite(flat)):
                networks.append(network_at(start, flat))
            else:
                break
        self.networks, self.errors = networks, history.errors
        self.overflowed = history.network is None

    def _between(self, k, j, rest):
        return self._train(k).network  # the same first k updates, trained again from the start


class BoundaryExplorer(ExplorerBase):
    """The widget ``boundary_explorer`` returns. Public attributes, for notebooks and tests:

    - ``sizes_dropdown`` (its value is the tuple of hidden sizes, ``()`` for none),
      ``learning_rate_slider``, ``iterations_slider``, ``batch_dropdown`` (None without
      ``batch_sizes``; its value is the batch size, m for the full batch): set their
      ``value`` to move them;
    - ``image``, ``live``, ``note``, ``message``: see ``ExplorerBase``;
    - ``error_line``, ``boundary``, ``shade``, ``message_text``, ``title_text``: the drawn
      artists (``shade.get_array()`` is the prediction on the grid ``xx``, ``yy``);
    - after each redraw: ``errors`` (E per iteration, shape ``(iterations,)``),
      ``network`` (the Network after that many iterations, None if the run
      overflowed) and ``run`` (the ``ChunkedRun``, or for mini-batches the ``RecordedRun``).
    """

    plain_text = "Decision-boundary explorer: run the notebook to move its controls."

    def __init__(self, x, labels, *, sizes_options, hidden, learning_rate, iterations,
                 max_iterations, step, seed, resolution, title, batch_sizes=None, batch_size=None):
        self.x, self.labels, self.seed, self.step = x, labels, seed, step
        self.max_iterations = max_iterations
        self.xx, self.yy = _grid(x, resolution)
        self._title = title
        self._runs = RecentRuns(CACHE_BYTES, ChunkedRun.nbytes)
        self.errors, self.network, self.run = np.zeros(0), None, None
        self.sizes_dropdown = ipywidgets.Dropdown(
            options=sizes_options, value=hidden, description="hidden layers",
            style=CONTROL_STYLE, layout={"width": "220px"})
        # Not continuous: a move may train a few thousand iterations on all the points.
        self.learning_rate_slider = learning_rate_slider(
            learning_rate, LEARNING_RATE_EXPONENTS, readout_format=".3g", continuous_update=False)
        self.iterations_slider = int_slider(
            "iterations", iterations, step, max_iterations, step=step, continuous_update=False)
        controls = [self.sizes_dropdown, self.learning_rate_slider, self.iterations_slider]
        self.batch_dropdown = None
        if batch_sizes is not None:
            m = len(x)
            self.batch_dropdown = ipywidgets.Dropdown(
                options=[(f"full batch ({m})" if b == m else str(b), b) for b in batch_sizes],
                value=batch_size, description="batch size", style=CONTROL_STYLE, layout={"width": "220px"})
            controls.append(self.batch_dropdown)
        super().__init__(controls, NOTE if batch_sizes is None else f"{NOTE} {BATCH_NOTE}")

    def _build_figure(self):
        """Both panels; the curve, the shading, the boundary, the points and the texts are animated."""
        fig = self.live.figure
        ax_err, ax_map = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.15]})
        (self.error_line,) = ax_err.plot([], [], color=COLOURS[0], lw=1.5)
        tidy_axes(ax_err, "iteration", "error E (mean over points)", "Error per iteration")
        self.shade, self.boundary = draw_prediction(ax_map, self.xx, self.yy, np.full(self.xx.shape, 0.5))
        points = draw_points(ax_map, self.x, self.labels)
        _label_axes(ax_map, self.xx, self.yy, "Prediction and boundary (black)")
        self.title_text = fig.suptitle("", fontsize=TITLE_SIZE)
        self.add_message_box(ax_err)
        self.live.animate(self.error_line, self.shade, self.boundary, *points, self.title_text)
        self.live.set_margins(left=0.9, right=0.15, top=0.55, bottom=0.6, gap=0.8)
        self.columns = max(int(ax_err.bbox.width), 1)

    @property
    def batch_size(self):
        """The batch size shown: None for the full batch (all m points in every update)."""
        if self.batch_dropdown is None or self.batch_dropdown.value == len(self.x):
            return None
        return int(self.batch_dropdown.value)

    def _current_run(self):
        sizes = (self.x.shape[1], *self.sizes_dropdown.value, 1)
        key = (sizes, float(self.learning_rate_slider.value), self.batch_size)
        run = self._runs.get(key)
        if run is None:
            start = Network(sizes, seed=self.seed, bias=True)
            if self.batch_size is None:
                run = ChunkedRun(start, self.x, self.labels.reshape(-1, 1), learning_rate=key[1],
                                 chunk=self.step)
            else:
                run = RecordedRun(start, self.x, self.labels.reshape(-1, 1), learning_rate=key[1],
                                  batch_size=self.batch_size, seed=self.seed, chunk=self.step,
                                  most=self.max_iterations)
            run = self._runs.put(key, run)
        return run

    def _draw(self):
        k = int(self.iterations_slider.value)
        run = self._current_run()
        self.network = run.network_at(k)  # trains on first if the run is shorter than k
        self._runs.forget_old()  # the run grew
        self.run, self.errors = run, run.errors[:k]  # fewer than k if the run overflowed
        if self.network is None:
            predictions = np.full((1, len(self.x), 1), np.nan)
            predicted = np.full(self.xx.shape, np.nan)
        else:
            predictions = self.network.predict(self.x)[None]
            predicted = _predict_on_grid(self.network, self.xx, self.yy)
        update_prediction(self.shade, self.boundary, self.xx, self.yy, predicted)
        self._draw_errors(self.errors, k)
        layout = "-".join(map(str, run.networks[0].sizes))
        finite = self.errors[np.isfinite(self.errors)]
        final = f"{finite[-1]:.3e}" if len(finite) else "overflowed"
        name = f"{self._title}, {layout}" if self._title else f"The {layout} network with bias"
        batches = "" if self.batch_size is None else f", batches of {self.batch_size}"
        self.title_text.set_text(f"{name}: learning rate {self.learning_rate_slider.value:.3g}{batches}, "
                                 f"{k:,} iterations, final error {final}")
        diverged, message = diagnose(self.errors, predictions, self.labels.reshape(-1, 1),
                                     batch_size=self.batch_size)
        self._say(message, diverged)
        self.live.update()


def boundary_explorer(x, labels, *, sizes_options=("none", "4", "8", "8-8"), hidden=None,
                      learning_rate=3.0, iterations=2000, max_iterations=10_000, step=100,
                      seed=0, resolution=60, title=None, batch_sizes=None, batch_size=None):
    """A widget that trains on ``(x, labels)`` and shows the error curve beside the boundary.

    - ``x``: points of shape ``(m, 2)``; ``labels``: classes 0/1, shape ``(m, 1)`` or ``(m,)``.
    - ``sizes_options``: the hidden-layer layouts offered, as text: ``"none"`` (the
      inputs go straight to the output neuron), ``"8"`` (one hidden layer of 8),
      ``"8-8"`` (two of 8), ...; ``hidden`` is the one shown first (by default
      ``"8"`` if offered, else the first).
    - ``learning_rate``: a log slider from 0.001 to 100; ``iterations``: a slider
      from ``step`` to ``max_iterations`` in steps of ``step``.

    Each layout is ``Network((2, *hidden, 1), seed=seed, bias=True)``, trained by
    full-batch gradient descent in chunks of ``step`` iterations (``ChunkedRun``):
    moving the iterations slider back shows a kept network at once, moving it on
    continues the run, and the (layout, learning rate) runs seen are kept (up to
    ``CACHE_BYTES``). Only a new learning rate or layout trains from the start.
    Introduced in notebook 07.

    ``batch_sizes`` (notebook 09) adds a batch-size dropdown: e.g. ``(None, 100, 20, 5, 1)``
    for 200 points, None (or m) meaning the full batch; ``batch_size`` is the one shown
    first (by default the first offered; m for the full batch). With b < m points per update, a run is
    ``train(..., batch_size=b, seed=seed)``: an iteration is one update on b points, an
    epoch m / b updates, and the error curve shows E on all points before each update.
    Such a run cannot go on from a snapshot (``RecordedRun``): asked for more iterations
    than it has, it trains again from the start, to twice as many. Without ``batch_sizes``
    the explorer is that of notebook 07.
    """
    x = _check_points(x)
    labels = _check_labels(labels, len(x))
    options = _parse_sizes_options(sizes_options)
    names = [name for name, _ in options]
    if hidden is None:
        hidden = "8" if "8" in names else names[0]
    if hidden not in names:
        raise ValueError(f"hidden must be one of sizes_options {names}, got {hidden!r}.")
    learning_rate = check_slider_value(check_learning_rate(learning_rate), "learning_rate",
                                       *(10.0**e for e in LEARNING_RATE_EXPONENTS))
    step = check_positive_int(step, "step")
    max_iterations = check_positive_int(max_iterations, "max_iterations", minimum=step)
    iterations = check_positive_int(iterations, "iterations", minimum=step)
    if iterations > max_iterations:
        raise ValueError(f"iterations must be at most max_iterations ({max_iterations}), got {iterations}.")
    if iterations % step or max_iterations % step:
        raise ValueError(f"iterations ({iterations}) and max_iterations ({max_iterations}) must be "
                         f"multiples of step ({step}), the slider's step.")
    resolution = check_positive_int(resolution, "resolution", minimum=2)
    seed = check_positive_int(seed, "seed", minimum=0)
    check_title(title)
    batch_sizes, batch_size = _check_batch_sizes(batch_sizes, batch_size, len(x))
    return BoundaryExplorer(
        x, labels, sizes_options=options, hidden=dict(options)[hidden], learning_rate=learning_rate,
        iterations=iterations, max_iterations=max_iterations, step=step, seed=seed,
        resolution=resolution, title=title, batch_sizes=batch_sizes, batch_size=batch_size)


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def _check_network_and_points(net, x):
    check_parameters(net)  # one sentence if its weights or biases do not fit its sizes
    net = net.copy()
    if net.n_inputs != 2 or net.n_outputs != 1:
        raise ValueError("net must have 2 inputs and 1 output to draw its boundary in the plane; "
                         f"got sizes {net.sizes}.")
    return net, _check_points(x)


def _check_points(x):
    """Points in the plane as a float array of shape ``(m, 2)``, ``m >= 1``."""
    x = as_finite_array(x, "x")
    if x.ndim != 2 or x.shape[1] != 2 or len(x) < 1:
        raise ValueError(f"x must have shape (m, 2): one row per point; got shape {x.shape}.")
    return x


def _check_labels(labels, m):
    """Labels 0/1 as a flat array of length ``m``."""
    labels = as_finite_array(labels, "labels")
    if labels.shape not in ((m,), (m, 1)):
        raise ValueError(f"labels must have shape ({m}, 1) or ({m},), one per point; got {labels.shape}.")
    labels = labels.reshape(m)
    if not np.all((labels == 0) | (labels == 1)):
        raise ValueError("labels must be 0 or 1 (the two classes).")
    return labels


def _check_batch_sizes(batch_sizes, batch_size, m):
    """``(sizes, first)``: the batch sizes offered as whole numbers from 1 to m (m: the full
    batch, also written None) and the one shown first; ``(None, None)`` without ``batch_sizes``."""
    if batch_sizes is None:
        if batch_size is not None:
            raise ValueError("batch_size needs batch_sizes, the sizes the dropdown offers, "
                             "e.g. batch_sizes=(None, 20, 5, 1).")
        return None, None
    allowed = f"None (the full batch) or a whole number from 1 to {m}, the number of points"
    if isinstance(batch_sizes, (str, bytes)) or not hasattr(batch_sizes, "__iter__"):
        raise TypeError(f"batch_sizes must be a list of batch sizes such as (None, 20, 5, 1), "
                        f"got {batch_sizes!r}.")
    sizes = []
    for b in batch_sizes:
        if b is None:
            b = m
        elif isinstance(b, bool) or not isinstance(b, (int, np.integer)):
            raise TypeError(f"batch_sizes: each size must be {allowed}; got {b!r}.")
        if not 1 <= b <= m:
            raise ValueError(f"batch_sizes: each size must be {allowed}; got {b}.")
        if int(b) not in sizes:
            sizes.append(int(b))
    if not sizes:
        raise ValueError("batch_sizes is empty: give at least one size, e.g. (None, 20).")
    first = sizes[0] if batch_size is None else (m if batch_size == m else batch_size)
    if first not in sizes:
        raise ValueError(f"batch_size must be one of batch_sizes {sizes}, got {batch_size!r}.")
    return sizes, first


def _parse_sizes_options(options):
    """``("none", "4", "8-8")`` -> ``[("none", ()), ("4", (4,)), ("8-8", (8, 8))]``."""
    if isinstance(options, str) or not hasattr(options, "__iter__"):
        raise TypeError('sizes_options must be a list of layouts such as ("none", "4", "8-8"), '
                        f"got {options!r}.")
    parsed = []
    for option in options:
        if not isinstance(option, str):
            raise TypeError(f'sizes_options: each layout is a text such as "8-8" or "none", got {option!r}.')
        text = option.strip().lower()
        try:
            hidden = () if text == "none" else tuple(int(s) for s in text.split("-"))
        except ValueError:
            raise ValueError(f'sizes_options: {option!r} is not a layout; write the hidden sizes joined '
                             'by "-", e.g. "8-8", or "none".') from None
        if any(h < 1 for h in hidden):
            raise ValueError(f"sizes_options: {option!r} has a layer with fewer than 1 neuron.")
        parsed.append((option, hidden))
    if not parsed:
        raise ValueError('sizes_options is empty: give at least one layout, e.g. ("8",).')
    return parsed


def _grid(x, resolution):
    """A ``resolution`` x ``resolution`` grid over the range of ``x`` plus ``PADDING``."""
    low, high = x.min(axis=0) - PADDING, x.max(axis=0) + PADDING
    return np.meshgrid(np.linspace(low[0], high[0], resolution), np.linspace(low[1], high[1], resolution))


def _predict_on_grid(net, xx, yy):
    points = np.column_stack([xx.ravel(), yy.ravel()])
    return net.predict(points)[:, 0].reshape(xx.shape)


def _label_axes(ax, xx, yy, title):
    ax.set_xlim(xx[0, 0], xx[0, -1])
    ax.set_ylim(yy[0, 0], yy[-1, 0])
    tidy_axes(ax, "input x1", "input x2", title, grid=False)  # the shading is the background
