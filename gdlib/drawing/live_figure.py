"""A matplotlib figure that is drawn again and again into an ``ipywidgets.Image``.

The explorers (notebooks 01 and 07) redraw their plots each time a slider moves.
Making a new figure each time costs a few hundred milliseconds; reusing one
figure, and redrawing only what changed, costs about ten. ``LiveFigure`` does
the second:

- it owns a ``matplotlib.figure.Figure`` with an Agg canvas and no pyplot, so
  Jupyter's inline backend never shows it a second time;
- the artists you mark with ``animate`` (lines, texts) are drawn on every
  ``update``; everything else (axes, ticks, labels, titles, legends) is drawn
  once into a cached *background* and pasted back ("blitting");
- the background is drawn again when an axis limit or scale, an axes position
  or the figure size changed since it was made, or after ``invalidate()``; the
  last few backgrounds are kept, so going back to earlier axis limits (a
  slider dragged back and forth) costs no full redraw;
- the pixels are encoded to PNG with Pillow (fast setting) and put into
  ``image``, an ``ipywidgets.Image`` to place in a widget layout.

Usage::

    live = LiveFigure(figsize=(9, 3.6))
    ax = live.figure.add_subplot()
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 1)                    # fixed limits keep the background valid
    (line,) = ax.plot([], [])
    live.animate(line)
    live.set_margins(left=0.6, right=0.2, bottom=0.5, top=0.4)
    line.set_data(xs, ys)
    live.update()                        # cheap: only the line is drawn
    ax.set_title("changed")
    live.invalidate()                    # not detected by itself: say so
    live.update()                        # full redraw
    display(live.image)
"""

import io
from collections import OrderedDict

import ipywidgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image as PILImage


class LiveFigure:
    """A reused Agg figure rendered into ``image`` (an ``ipywidgets.Image``, PNG).

    Attributes:

    - ``figure``: the ``matplotlib.figure.Figure`` (add axes and artists to it);
    - ``image``: the ``ipywidgets.Image`` that shows the latest ``update``;
    - ``full_redraws``: how many times the background was drawn (for tests and
      benchmarks: a blit does not count).

    ``backgrounds`` is how many backgrounds (one per set of axis limits) are
    kept, each ``width * height * 4`` bytes (1.3 MB at the default size).
    """

    def __init__(self, figsize=(9, 3.6), dpi=100, backgrounds=8):
        self.figure = Figure(figsize=figsize, dpi=dpi)
        self.canvas = FigureCanvasAgg(self.figure)
        self.image = ipywidgets.Image(format="png", layout={"max_width": "100%", "height": "auto"})
        self.full_redraws = 0
        self._animated = []
        self._backgrounds = OrderedDict()  # state (see _state) -> saved pixels, newest last
        self._max_backgrounds = max(int(backgrounds), 1)

    def animate(self, *artists):
        """Mark artists to be drawn on every ``update``, over the background.

        They must belong to ``figure``; returns them, so
        ``(line,) = live.animate(*ax.plot([], []))`` works.
        """
        for artist in artists:
            artist.set_animated(True)  # the background draw leaves them out
            if artist not in self._animated:
                self._animated.append(artist)
        return artists

    def set_margins(self, *, left, right, bottom, top, gap=0.0):
        """Place the axes (side-by-side panels from ``figure.subplots``) with fixed margins
        and ``gap`` between panels, all in inches; the background is drawn again next time.

        The explorers' figures never change size or fonts, so fixed margins are what
        ``tight_layout`` would find, without its 100-200 ms of measuring every text.
        """
        width, height = self.figure.get_size_inches()
        n = len(self.figure.axes)
        panel = (width - left - right - gap * (n - 1)) / n
        self.figure.subplots_adjust(left=left / width, right=1 - right / width, bottom=bottom / height,
                                    top=1 - top / height, wspace=gap / panel)
        self.invalidate()

    def invalidate(self):
        """Draw the background again at the next ``update`` (call it after changing
        anything that is not animated and not an axis limit: a title, a tick, a legend)."""
        self._backgrounds.clear()

    def update(self, full=False):
        """Draw the figure into ``image``; returns the PNG bytes.

        Blits the animated artists over the cached background, or draws
        everything when ``full`` is true or the background is out of date.
        """
        state = self._state()
        background = None if full else self._backgrounds.get(state)
        if background is None:
            self.canvas.draw()  # everything but the animated artists
            self._backgrounds[state] = self.canvas.copy_from_bbox(self.figure.bbox)
            if len(self._backgrounds) > self._max_backgrounds:
                self._backgrounds.popitem(last=False)
            self.full_redraws += 1
        else:
            self.canvas.restore_region(background)
            self._backgrounds.move_to_end(state)
        renderer = self.canvas.get_renderer()
        for artist in self._animated:
            if artist.get_visible():
                artist.draw(renderer)
        png = self.png()
        self.image.value = png
        return png

    def png(self):
        """The canvas's current pixels as PNG bytes (no redraw).

        Pillow at compression level 1 takes a few milliseconds; ``savefig``
        would draw the whole figure again first.
        """
        width, height = self.canvas.get_width_height(physical=True)
        rgba = PILImage.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        picture = rgba.convert("RGB")  # the figure is opaque: drop alpha (a copy made in C)
        out = io.BytesIO()
        picture.save(out, format="png", compress_level=1)
        return out.getvalue()

    def _state(self):
        """What the background depends on besides the artists themselves."""
        axes = tuple(
            (ax.get_xlim(), ax.get_ylim(), ax.get_xscale(), ax.get_yscale(),
             tuple(ax.get_position().bounds), ax.get_visible())
            for ax in self.figure.axes
        )
        return tuple(self.figure.get_size_inches()), self.figure.dpi, axes


# -- axis limits that change seldom, so that the cached background is reused --

#: Round numbers the iteration axis ends at (times a power of 10): the axis
#: changes, and the figure is drawn again in full, only when a run crosses one.
X_STEPS = (1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10)


def iteration_limits(n):
    """X limits of a panel showing iterations 0 .. n - 1: 0 to a round number (``X_STEPS``)."""
    return 0, round_up(max(n - 1, 1), X_STEPS)


def error_limits(errors):
    """Y limits of the error panel: 0 to a round number above the largest finite error,
    so that most learning rates share the same limits (and the same cached background)."""
    finite = errors[np.isfinite(errors)]
    top = float(finite.max()) if len(finite) else 1.0
    top = round_up(top if top > 0 else 1.0, (1, 2, 5, 10))
    return -0.03 * top, 1.03 * top


def round_up(value, steps):
    """The smallest ``step * 10**k`` at least ``value`` (> 0), for ``step`` in ``steps``."""
    scale = 10.0 ** np.floor(np.log10(value))
    return next(step * scale for step in steps if step * scale >= value * (1 - 1e-12))
