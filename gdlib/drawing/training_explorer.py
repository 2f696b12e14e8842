"""The training explorer: sliders for the learning rate and the number of iterations.

Introduced in notebook 01 and used on every network of the course (1-1, 2-1,
3-2-1, 10-2-1, 3-5-1, XOR batches). Each slider move redraws the prediction and
error curves within a few tens of milliseconds, so an instructor can drag it live:

- a new learning rate trains once, with the compiled ``train`` (a few ms for
  80,000 iterations), for the longest iteration count asked for so far, and the
  run is kept: going back to a learning rate seen before costs no training;
- fewer iterations show the beginning of the same run (gradient descent from
  the same start: a shorter run is a prefix of a longer one), so the iterations
  slider trains only when asked for more iterations than any run so far;
- the figure is a ``LiveFigure``: fixed axes, drawn once, with only the curves
  and texts drawn again on each move, and long runs thinned with ``envelope``.

Without numba a new run of 80,000 iterations takes seconds: the sliders then
redraw when let go (``continuous_update=False``) and the note says how to make
them live.
"""

import numpy as np
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .. import training_compiled
from ..checks import (
    as_finite_array,
    check_learning_rate,
    check_parameters,
    check_positive_int,
    check_samples,
    check_title,
)
from ..network import Network
from ..training import diagnose, train
from .envelope import envelope
from .explorer_base import ExplorerBase, RecentRuns, check_slider_value, int_slider, learning_rate_slider
from .history_plot import MAX_CURVES, prediction_curves
from .live_figure import iteration_limits
from .style import COLOURS, TARGET_COLOUR, TITLE_SIZE, legend_below, tidy_axes

#: Slider ranges: learning rates 10**-4 .. 10**3, iterations 1 .. 100,000.
LEARNING_RATE_EXPONENTS = (-4, 3)
MAX_ITERATIONS = 100_000
#: Curves drawn with markers when a run is this short (single points stay visible).
MARKER_LIMIT = 60
#: Kept runs are forgotten, least recently shown first, beyond this many bytes of numbers.
CACHE_BYTES = 64 * 2**20
NOTE = ("Left: the prediction at each iteration (dashed: the target). Right: the error E. A new "
        "learning rate retrains from the same start weights; fewer iterations show the start of the "
        "same run. Long runs are drawn as a min/max band per pixel column, so oscillations stay visible.")
#: The note's last line without numba: a new run then takes seconds, not milliseconds.
NUMBA_HINT = "Sliders redraw when you let go of them; <code>pip install numba</code> makes them live."


def explorer(net, x, target, *, learning_rate=0.1, iterations=1000, hidden_widths=None,
             title=None, seed=0):
    """A widget to explore gradient descent on ``net`` for the samples ``x`` and ``target``.

    ``x`` and ``target`` are shaped as for ``train``: one sample ``(n_in,)`` or a
    batch ``(m, n_in)``. The sliders start at ``learning_rate`` (1e-4 .. 1e3) and
    ``iterations`` (1 .. 100,000). ``hidden_widths=(lo, hi)`` adds a slider for the
    width of the hidden layer (nets with one hidden layer only): at ``net``'s own
    width the explorer trains ``net``; at any other width ``w`` it trains
    ``Network((n_in, w, n_out), seed=seed, bias=net.bias)``. Make ``net`` with the
    same ``seed`` and every width is that one line of code. The explorer keeps a
    copy of ``net``: changing ``net`` later does not change it.

    Returns an ``Explorer`` (an ``ipywidgets.VBox``); display it as a cell's last line.
    Introduced in notebook 01.
    """
    return Explorer(net, x, target, learning_rate=learning_rate, iterations=iterations,
                    hidden_widths=hidden_widths, title=title, seed=seed)


class Explorer(ExplorerBase):
    """The widget ``explorer`` returns. Public attributes, for notebooks and tests:

    - ``learning_rate_slider``, ``iterations_slider``, ``hidden_width_slider``
      (None without ``hidden_widths``): set their ``value`` to move them;
    - ``image``, ``live``, ``note``, ``message``: see ``ExplorerBase``;
    - ``prediction_lines`` (one ``Line2D`` per drawn prediction curve, at most 8),
      ``target_lines`` (dashed), ``error_line``, ``message_text``, ``error_title``,
      ``title_text``, ``legend``: the drawn artists; a curve's data is
      ``envelope(numpy.arange(n), values, columns)`` for the ``n`` iterations shown;
    - ``columns``: the envelope width, in pixel columns of a panel;
    - ``network``: the start network (it depends on the width slider);
    - ``history``: the run shown, as ``train`` returns it for the shown settings.
    """

    plain_text = "Training explorer: run the notebook to move its sliders."

    def __init__(self, net, x, target, *, learning_rate=0.1, iterations=1000,
                 hidden_widths=None, title=None, seed=0):
        check_parameters(net)  # one sentence if its weights or biases do not fit its sizes
        net = net.copy()  # the learner's own net may change later; the sliders keep this one
        self._x = as_finite_array(x, "x")
        self._target = as_finite_array(target, "target")
        check_samples(self._x, self._target, net.n_inputs, net.n_outputs)  # shapes, or a clear error
        learning_rate = check_slider_value(check_learning_rate(learning_rate), "learning_rate",
                                           *(10.0**e for e in LEARNING_RATE_EXPONENTS))
        iterations = check_slider_value(check_positive_int(iterations, "iterations"), "iterations",
                                        1, MAX_ITERATIONS)
        self._title = check_title(title)
        self._seed = seed
        self._width = net.sizes[1] if len(net.sizes) == 3 else None
        self._nets = {self._width: net}  # hidden width -> start network
        self._runs = RecentRuns(CACHE_BYTES, lambda run: run.predictions.nbytes + run.errors.nbytes)
        self._longest = iterations  # the most iterations asked for so far
        self._shown = None  # (width, learning rate, iterations, run) drawn last

        live = training_compiled.AVAILABLE  # without numba, redraw on release only
        self.learning_rate_slider = learning_rate_slider(learning_rate, LEARNING_RATE_EXPONENTS,
                                                         continuous_update=live)
        self.iterations_slider = int_slider("iterations", iterations, 1, MAX_ITERATIONS,
                                            continuous_update=live)
        self.hidden_width_slider = None
        controls = [self.learning_rate_slider, self.iterations_slider]
        if hidden_widths is not None:
            self.hidden_width_slider = self._width_slider(net, hidden_widths, live)
            controls.append(self.hidden_width_slider)
        super().__init__(controls, NOTE if live else f"{NOTE}<br>{NUMBA_HINT}")

    # -- what is shown -------------------------------------------------------------

    @property
    def network(self):
        """The start network at the current width (a copy of the one passed in, at its own width)."""
        return self._nets[self._width]

    @property
    def history(self):
        """The run shown, as ``train(network, x, target, ...)`` returns it for the shown
        learning rate and iterations (its first iterations are those of the kept run;
        reading it may train once, to get the network after exactly that many steps)."""
        width, learning_rate, n, run = self._shown
        if run.iterations != n:
            run = train(self._nets[width], self._x, self._target, learning_rate=learning_rate, iterations=n)
        return run

    # -- building --------------------------------------------------------------------

    def _width_slider(self, net, hidden_widths, live):
        if len(net.sizes) != 3:
            raise ValueError("hidden_widths needs a network with one hidden layer, e.g. (3, 2, 1); "
                             f"got sizes {net.sizes}.")
        try:
            lo, hi = (check_positive_int(w, "hidden_widths") for w in hidden_widths)
        except TypeError:
            raise TypeError(f"hidden_widths must be two whole numbers (lo, hi), got {hidden_widths!r}.") \
                from None
        except ValueError as problem:  # a wrong count, or a width below 1
            raise ValueError(f"hidden_widths must be two whole numbers (lo, hi) of at least 1, "
                             f"got {hidden_widths!r}.") from problem
        if not lo <= self._width <= hi:
            raise ValueError(f"hidden_widths=({lo}, {hi}) must include the network's hidden "
                             f"width {self._width}.")
        Network(net.sizes, seed=self._seed)  # a bad seed fails now, with Network's own message
        return int_slider("hidden neurons", self._width, lo, hi, continuous_update=live)

    def _build_figure(self):
        """Axes, labels, targets and the (animated) curves; limits are set when drawing."""
        # The first run trains here, so bad input is reported at once; it also
        # names the curves and gives the layout a realistic error title.
        first = self._run(float(self.learning_rate_slider.value), int(self.iterations_slider.value))
        fig = self.live.figure
        ax_pred, ax_err = self._axes = fig.subplots(1, 2)
        _, targets, names = prediction_curves(first)
        if len(names) > 1:  # say which dashed line belongs to which curve
            names = [f"{name} (target {t:g})" for name, t in zip(names, targets)]
        drawn = min(len(names), MAX_CURVES)
        self.prediction_lines = [
            ax_pred.plot([], [], color=COLOURS[c % len(COLOURS)], ls="-" if c < len(COLOURS) else ":",
                         lw=1.5, label=names[c])[0]  # colours run out at 8: dotted
            for c in range(drawn)]
        self.target_lines = []
        for t in np.unique(targets[:drawn]):
            self.target_lines.append(ax_pred.axhline(
                t, color=TARGET_COLOUR, ls="--", lw=1.2, label="target" if not self.target_lines else None))
        (self.error_line,) = ax_err.plot([], [], color=COLOURS[0], lw=1.5)
        low, high = min(0.0, targets.min()), max(1.0, targets.max())
        margin = 0.04 * (high - low)
        ax_pred.set_ylim(low - margin, high + margin)  # sigmoid outputs stay in [0, 1]
        tidy_axes(ax_pred, "iteration", "prediction", "Prediction per iteration")
        # Texts cost ~0.1 ms per character to draw: the suptitle stays in the
        # background, and only the short error title changes with each run.
        tidy_axes(ax_err, "iteration", "error E", _error_title(first.errors[0]))
        self.error_title = ax_err.title
        for ax in self._axes:
            ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
            ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
        self.title_text = fig.suptitle(self._figure_title(), fontsize=TITLE_SIZE)
        self.add_message_box(ax_err)
        self.live.animate(*self.prediction_lines, self.error_line, self.error_title)
        # Below the panels: the curves are drawn over the background, so a legend
        # inside an axes would be hidden by them.
        left_out = f"the first {drawn} of {len(names)} curves" if len(names) > drawn else None
        self.legend = legend_below(fig, *ax_pred.get_legend_handles_labels(), title=left_out)
        legend_inches = self.legend.get_window_extent(self.live.canvas.get_renderer()).height / fig.dpi
        self.live.set_margins(left=0.7, right=0.4, top=0.7, bottom=0.6 + legend_inches, gap=1.15)
        self.columns = max(int(ax_pred.bbox.width), 1)

    # -- slider moves --------------------------------------------------------------

    def _set_width(self, width):
        if width not in self._nets:
            base = self._nets[self._width]
            self._nets[width] = Network((base.n_inputs, width, base.n_outputs),
                                        seed=self._seed, bias=base.bias)
        self._width = width
        self.title_text.set_text(self._figure_title())
        self.live.invalidate()  # the title is in the background

    def _run(self, learning_rate, n):
        """The kept run for this width and learning rate, trained if missing or shorter than ``n``."""
        key = (self._width, learning_rate)
        run = self._runs.get(key)
        if run is None or run.iterations < n:
            self._longest = max(self._longest, n)
            run = self._runs.put(key, train(self.network, self._x, self._target,
                                            learning_rate=learning_rate, iterations=self._longest))
        return run

    def _draw(self):
        """Draw the run of the settings the sliders show, whatever moved and in which order."""
        if self.hidden_width_slider is not None and self.hidden_width_slider.value != self._width:
            self._set_width(int(self.hidden_width_slider.value))
        learning_rate = float(self.learning_rate_slider.value)
        n = int(self.iterations_slider.value)
        run = self._run(learning_rate, n)
        errors, predictions = run.errors[:n], run.predictions[:n]
        steps = np.arange(n, dtype=float)  # floats: envelope would convert integers (80,000 of them)
        marker = "o" if n <= MARKER_LIMIT else "None"
        for c, line in enumerate(self.prediction_lines):
            line.set_data(*envelope(steps, predictions.reshape(n, -1)[:, c], self.columns))
            line.set_marker(marker)
        self._draw_errors(errors, n)
        self.error_line.set_marker(marker)
        self._axes[0].set_xlim(*iteration_limits(n))  # a round right end: most moves keep the limits
        finite = errors[np.isfinite(errors)]
        self.error_title.set_text(_error_title(finite[-1] if len(finite) else np.nan))
        diverged, message = diagnose(errors, predictions, run.target)
        self._say(message, diverged)
        self._shown = (self._width, learning_rate, n, run)
        self.live.update()

    def _figure_title(self):
        if self._title:
            return self._title
        return f"Gradient descent on the {'-'.join(str(s) for s in self.network.sizes)} network"


def _error_title(final_error):
    return f"Error per iteration (final E = {final_error:.3g})"
