"""Fewer points for drawing a long curve, without hiding how it wiggles.

A run of 80,000 iterations has far more points than a plot has pixel columns.
Keeping every k-th point is not safe: a run that oscillates between two values
(a learning rate that is too high) would be drawn as a flat line, because every
k-th point may land on the same side of the oscillation. ``envelope`` keeps,
for each column, the smallest and the largest value instead, so the same run is
drawn as a band, as it would look with all 80,000 points.

Used by ``plot_history`` and the explorers for drawing only: the numbers in
a ``History`` are never changed.
"""

import numbers

import numpy as np


def envelope(x, y, n_columns):
    """The min/max envelope of the curve ``(x, y)``, for drawing it ``n_columns`` wide.

    Not used by name in the notebooks: ``plot_history`` and the explorers draw with it.

    ``x`` and ``y`` have shape ``(n,)``. Returns ``(xs, ys)``, float arrays:

    - if ``y`` has at most ``2 * n_columns`` points, all of them, unchanged;
    - otherwise the points are split into ``n_columns`` consecutive bins of
      (nearly) equal size and each bin contributes two points, its minimum and
      its maximum, in the order they occur, each at its own ``x``. The result
      has shape ``(2 * n_columns,)``; a flat bin gives the same point twice.

    Non-finite points (NaN or infinite ``x`` or ``y``, e.g. the errors of a run
    that overflowed) are dropped first: a plot cannot draw them anyway.
    """
    x = _as_curve(x, "x")
    y = _as_curve(y, "y")
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same length, got {len(x)} and {len(y)}.")
    if isinstance(n_columns, bool) or not isinstance(n_columns, numbers.Integral) or n_columns < 1:
        raise ValueError(f"n_columns must be a whole number of at least 1, got {n_columns!r}.")
    finite = np.isfinite(x) & np.isfinite(y)
    if not finite.all():
        x, y = x[finite], y[finite]
    n = len(y)
    if n <= 2 * n_columns:
        return x.copy(), y.copy()  # copies: never an alias of the caller's arrays

    # Bin b holds the points starts[b] .. starts[b + 1] - 1: q or q + 1 of them.
    # Gather the bins as rows of one (n_columns, q + 1) table, repeating the last
    # point of a short bin, so that argmin/argmax run on whole rows at once
    # (a repeated point sits after the original, so the first position wins).
    starts = (np.arange(n_columns) * n) // n_columns
    sizes = np.diff(np.append(starts, n))
    offsets = np.minimum(np.arange(sizes.max()), sizes[:, None] - 1)
    rows = y[starts[:, None] + offsets]
    at_low = starts + np.argmin(rows, axis=1)
    at_high = starts + np.argmax(rows, axis=1)
    keep = np.empty(2 * n_columns, dtype=np.intp)
    keep[0::2] = np.minimum(at_low, at_high)  # whichever comes first in the bin
    keep[1::2] = np.maximum(at_low, at_high)
    return x[keep], y[keep]


def _as_curve(values, name):
    """``values`` as a 1-D float array, or a clear error naming ``name``."""
    if values is None or isinstance(values, (str, bytes)):
        raise TypeError(f"{name} must be numbers (a list or a 1-D array), got {values!r}.")
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be numbers (a list or a 1-D array), got {type(values).__name__}."
        ) from None
    if array.ndim != 1:
        raise ValueError(f"{name} must be 1-D (one value per point), got shape {array.shape}.")
    return array
