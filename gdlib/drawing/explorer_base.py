"""What the explorers share: sliders, the note under them, the message box, safe redraws.

Used by ``training_explorer`` and ``boundary``. An explorer is an ``ipywidgets``
box holding its controls, a note, and the ``image`` of a ``LiveFigure``.
"""

import base64
import textwrap

import ipywidgets
import numpy as np

from .style import DIVERGED_BOX, WARNING_BOX


class PictureWhereNoWidgets:
    """Mixin for an explorer (an ``ipywidgets`` box with an ``image``): its display data
    holds the live widget, a PNG of the current plot and one short sentence.

    JupyterLab and Notebook rank the widget first and show the sliders. Front ends
    that cannot draw widgets show the picture instead of the widget's long repr:
    jupyterlab-rise slides (jupyterlab-contrib/rise#119), nbviewer and GitHub. The
    picture is the plot when the cell ran; only the notebook moves the sliders.
    Set ``plain_text`` on the class.
    """

    plain_text = "An explorer: run the notebook to move its sliders."

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is None:  # a widget without a view shows nothing; neither does this
            return None
        bundle["text/plain"] = self.plain_text
        if self.image.value:
            bundle["image/png"] = base64.b64encode(self.image.value).decode("ascii")
        return bundle


CONTROL_STYLE = {"description_width": "initial"}
SLIDER_LAYOUT = {"width": "520px"}


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


def small_print(text):
    """The small print under an explorer's controls (an ``ipywidgets.HTML``)."""
    return ipywidgets.HTML(f"<small>{text}</small>", layout={"width": "880px"})


def check_slider_value(value, name, low, high):
    """``value`` if a slider from ``low`` to ``high`` can show it, else a ValueError naming ``name``."""
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low:g} and {high:g} (the slider's range), got {value:g}.")
    return value


def add_message_box(ax):
    """An empty, boxed text at the top right of ``ax``, for ``write_message`` (animate it)."""
    return ax.text(0.97, 0.96, "", transform=ax.transAxes, ha="right", va="top",
                   multialignment="left", fontsize=8, zorder=10,
                   bbox=dict(boxstyle="round,pad=0.4", alpha=0.92, lw=1.5))


def write_message(box, message, *, diverged, curve):
    """Show a run's ``message`` in ``box`` (hidden when empty), edged red if ``diverged``, else
    orange, at the top of its axes, or at the bottom when ``curve`` (a Line2D) ends high."""
    box.set_text(textwrap.fill(message, width=46))
    box.set_visible(bool(message))
    edge, fill = DIVERGED_BOX if diverged else WARNING_BOX
    box.get_bbox_patch().set(edgecolor=edge, facecolor=fill)
    xs, ys = (np.asarray(values, dtype=float) for values in curve.get_data())
    low, high = curve.axes.get_ylim()  # "ends high": its right half lies above the middle, on average
    ends_high = len(ys) > 0 and np.mean(ys[xs >= np.max(xs) / 2]) > (low + high) / 2
    box.set_y(0.04 if ends_high else 0.96)
    box.set_va("bottom" if ends_high else "top")


def report_problem(problem, live, box, curve, note):
    """Say why a redraw failed, in one line on the plot (``write_message``) or, if even that
    fails, under the controls (``note``); returns the line. A control never shows a traceback."""
    line = f"Could not redraw: {type(problem).__name__}: {problem}".splitlines()[0][:160]
    try:
        write_message(box, line, diverged=True, curve=curve)
        live.update()
    except Exception:  # noqa: BLE001 - last resort: say it under the controls
        note.value = f"<b>{line}</b>"
    return line

