"""What every explorer is: controls, a note under them, a live picture, safe redraws.

``training_explorer.Explorer`` (notebook 01) and ``boundary.BoundaryExplorer``
(notebook 07) are ``ExplorerBase`` subclasses that only say what they draw:
``_build_figure`` makes the axes and artists once, ``_draw`` redraws them from
the controls' current values. The base class does the rest:

- lays out the controls, the note and the picture (``image``, the PNG of a
  ``LiveFigure``), each at most as wide as the notebook's output area;
- redraws on every control move, and turns any problem into a one-line
  message on the plot instead of a traceback;
- keeps the runs it trained (``RecentRuns``), most recently shown last, within a
  memory budget;
- shows a still picture of the plot where widgets cannot be drawn.
"""

import base64
from collections import OrderedDict

import ipywidgets
import numpy as np

from ..checks import bias_shapes, weight_shapes
from ..network import Network
from .envelope import envelope
from .live_figure import LiveFigure, error_limits, iteration_limits
from .style import message_box, write_message

CONTROL_STYLE = {"description_width": "initial"}
#: Never wider than the output area (848 px in a 1280-px JupyterLab with the file browser open).
SLIDER_LAYOUT = {"width": "520px", "max_width": "100%"}
NOTE_LAYOUT = {"width": "auto", "max_width": "100%"}


class ExplorerBase(ipywidgets.VBox):
    """An explorer: ``controls`` (ipywidgets), a ``note`` under them, the ``image`` of ``live``.

    A subclass sets ``plain_text`` and writes ``_build_figure()`` (axes and artists on
    ``live.figure``, among them ``error_line``, ``message_text`` from ``add_message_box``,
    and ``columns``, the error panel's width in pixels) and ``_draw()`` (everything
    from the controls' values, then ``live.update()``). ``message`` is what the plot
    says about the run shown, and ``diverged`` whether it is said in red.
    """

    plain_text = "An explorer: run the notebook to move its sliders."

    def __init__(self, controls, note, figsize=(9, 3.6)):
        self.controls = list(controls)
        self.note = ipywidgets.HTML(_note_html(note), layout=NOTE_LAYOUT)
        self.live = LiveFigure(figsize=figsize)
        self.image = self.live.image
        self.message, self.diverged = "", False
        self._build_figure()
        super().__init__(children=[*self.controls, self.note, self.image])
        self._draw()  # a problem with the first run is raised here, where the learner called us
        for control in self.controls:
            control.observe(self._on_change, names="value")

    def _build_figure(self):
        raise NotImplementedError

    def _draw(self):
        raise NotImplementedError

    def _on_change(self, change=None):
        """Redraw; any problem becomes a one-line message on the plot, never a traceback."""
        try:
            self._draw()
        except Exception as problem:  # noqa: BLE001 - a control must never show a traceback
            self._report(problem)

    def _report(self, problem):
        """Say why a redraw failed, in the message box or, if even that fails, in the note."""
        line = f"Could not redraw: {type(problem).__name__}: {problem}".splitlines()[0][:160]
        try:
            self._say(line, diverged=True)
            self.live.update()
        except Exception:  # noqa: BLE001 - last resort: say it under the controls
            self.note.value = f"<b>{line}</b>"

    # -- pieces the subclasses share -------------------------------------------

    def add_message_box(self, ax):
        """The message box of the explorer, on ``ax`` (animated: redrawn on each move)."""
        self.message_text = message_box(ax)
        self.live.animate(self.message_text)
        return self.message_text

    def _say(self, message, diverged):
        """Show ``message`` (may be "") in the message box, clear of the error curve."""
        self.message, self.diverged = message, diverged
        write_message(self.message_text, message, diverged=diverged, curves=[self.error_line])

    def _draw_errors(self, errors, iterations):
        """``errors`` (shape ``(k,)``, k <= iterations) as ``error_line``, thinned to ``columns``
        pixel columns, on axes from 0 to a round number above ``iterations`` and the largest error."""
        steps = np.arange(len(errors), dtype=float)  # floats: envelope would convert integers
        self.error_line.set_data(*envelope(steps, errors, self.columns))
        ax = self.error_line.axes
        ax.set_xlim(*iteration_limits(iterations))
        ax.set_ylim(*error_limits(errors))

    # -- displayed -----------------------------------------------------------------

    def _repr_mimebundle_(self, **kwargs):
        """The live widget, a PNG of the current plot and one short sentence.

        JupyterLab and Notebook rank the widget first and show the sliders. Front
        ends that cannot draw widgets show the picture instead of the widget's long
        repr: jupyterlab-rise slides (jupyterlab-contrib/rise#119), nbviewer and
        GitHub. The picture is the plot when the cell ran; only the notebook moves
        the sliders.
        """
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is None:  # a widget without a view shows nothing; neither does this
            return None
        bundle["text/plain"] = self.plain_text
        if self.image.value:
            bundle["image/png"] = base64.b64encode(self.image.value).decode("ascii")
        return bundle


class RecentRuns:
    """Runs kept by key, the most recently used last; beyond ``budget`` bytes (``nbytes(run)``
    each) the least recently used are forgotten, never the one just used."""

    def __init__(self, budget, nbytes):
        self.budget, self.nbytes = budget, nbytes
        self._runs = OrderedDict()

    def get(self, key):
        """The run kept under ``key`` (now the most recent), or None."""
        run = self._runs.pop(key, None)
        if run is not None:
            self._runs[key] = run
        return run

    def put(self, key, run):
        """Keep ``run`` under ``key`` as the most recent (replacing any); returns it."""
        self._runs.pop(key, None)
        self._runs[key] = run
        self.forget_old()
        return run

    def forget_old(self):
        """Forget the oldest runs while all of them take more than the budget."""
        total = self.total()
        while total > self.budget and len(self._runs) > 1:
            _, old = self._runs.popitem(last=False)
            total -= self.nbytes(old)

    def total(self):
        """The bytes all the kept runs take."""
        return sum(self.nbytes(run) for run in self._runs.values())

    def keys(self):
        """The keys kept, the oldest first."""
        return list(self._runs)


def learning_rate_slider(value, exponents, *, readout_format=".4g", continuous_update=True):
    """A log slider from ``10**exponents[0]`` to ``10**exponents[1]``, in steps of 10**0.05."""
    return ipywidgets.FloatLogSlider(
        value=value, base=10, min=exponents[0], max=exponents[1], step=0.05,
        readout_format=readout_format, description="learning rate",
        continuous_update=continuous_update, style=CONTROL_STYLE, layout=SLIDER_LAYOUT)


def int_slider(description, value, low, high, *, step=1, continuous_update=True):
    """A slider of whole numbers from ``low`` to ``high`` in steps of ``step``."""
    return ipywidgets.IntSlider(
        value=value, min=low, max=high, step=step, description=description,
        continuous_update=continuous_update, style=CONTROL_STYLE, layout=SLIDER_LAYOUT)


def check_slider_value(value, name, low, high):
    """``value`` if a slider from ``low`` to ``high`` can show it, else a ValueError naming ``name``."""
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low:g} and {high:g} (the slider's range), got {value:g}.")
    return value


def network_at(like, flat):
    """A Network shaped like ``like`` (sizes, bias) holding the parameters ``flat``.

    ``flat`` has shape ``(n_parameters,)`` in the order of ``History.parameters``:
    weights[0].ravel(), biases[0], weights[1].ravel(), biases[1], ... The explorers
    rebuild the network after k updates from ``history.parameters[k]``.
    """
    flat = np.asarray(flat, dtype=float)
    if flat.shape != (like.n_parameters,):
        raise ValueError(f"flat must hold the {like.n_parameters} parameters of a network of sizes "
                         f"{like.sizes}, got shape {flat.shape}.")
    weights, biases, offset = [], [], 0
    for (a, b), (c,) in zip(weight_shapes(like.sizes), bias_shapes(like.sizes)):
        weights.append(flat[offset:offset + a * b].reshape(a, b).copy())
        offset += a * b
        if like.bias:
            biases.append(flat[offset:offset + c].copy())
            offset += c
    return Network(like.sizes, weights=weights, biases=biases if like.bias else None)


def _note_html(text):
    """The note as HTML that wraps at the output area's width, in the widgets' own font size."""
    return f'<div style="line-height: 1.4; white-space: normal; padding: 2px 0">{text}</div>'
