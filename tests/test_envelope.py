"""envelope: the min/max thinning of long curves, against a plain per-bin loop."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdlib import envelope


def envelope_by_hand(x, y, n_columns):
    """The same thinning, one bin at a time, written as plainly as possible."""
    n = len(y)
    if n <= 2 * n_columns:
        return list(x), list(y)
    xs, ys = [], []
    for b in range(n_columns):
        first, stop = b * n // n_columns, (b + 1) * n // n_columns
        values = list(y[first:stop])
        at_low = first + values.index(min(values))
        at_high = first + values.index(max(values))
        for k in sorted((at_low, at_high)):
            xs.append(x[k])
            ys.append(y[k])
    return xs, ys


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 3000),
    n_columns=st.integers(1, 400),
    seed=st.integers(0, 2**32 - 1),
    levels=st.sampled_from([None, 3]),  # None: all values distinct; 3: many ties
)
def test_matches_a_per_bin_loop(n, n_columns, seed, levels):
    rng = np.random.default_rng(seed)
    y = rng.normal(size=n) if levels is None else rng.integers(0, levels, size=n).astype(float)
    x = np.cumsum(rng.random(n))  # uneven spacing: x must follow its own points
    xs, ys = envelope(x, y, n_columns)
    want_x, want_y = envelope_by_hand(x, y, n_columns)
    np.testing.assert_array_equal(xs, want_x)
    np.testing.assert_array_equal(ys, want_y)


def test_an_oscillation_stays_a_band():
    """A period-2 oscillation around a falling trend: every bin keeps both sides."""
    n = 80_000
    steps = np.arange(n)
    y = 0.3 + 0.2 * np.exp(-steps / 20_000) * np.where(steps % 2 == 0, 1.0, -1.0)
    xs, ys = envelope(steps, y, 500)
    assert len(ys) == 1000
    upper, lower = ys[0::2], ys[1::2]  # each bin starts on an upper point (even index)
    assert np.all(upper > 0.3) and np.all(lower < 0.3)
    assert ys.max() == y.max() and ys.min() == y.min()
    # Every k-th point, the thinning the envelope replaces, would draw a flat line.
    every_kth = y[:: n // 1000]
    assert np.all(every_kth > 0.3)


def test_order_within_a_bin_follows_the_curve():
    """A falling curve meets each bin's maximum first; a rising one its minimum."""
    y = np.linspace(1.0, 0.0, 1000)
    _, falling = envelope(np.arange(1000), y, 10)
    assert np.all(np.diff(falling) < 0)
    _, rising = envelope(np.arange(1000), y[::-1], 10)
    assert np.all(np.diff(rising) > 0)


def test_short_curves_come_back_unchanged_as_float_copies():
    x, y = [0, 1, 2, 3], [5, 3, 4, 1]
    xs, ys = envelope(x, y, 2)
    assert xs.dtype == float and ys.dtype == float
    np.testing.assert_array_equal(xs, x)
    np.testing.assert_array_equal(ys, y)
    original = np.array([0.5, 0.25])
    _, ys = envelope([0.0, 1.0], original, 5)
    ys[0] = 9.0
    assert original[0] == 0.5  # a copy, not an alias


def test_non_finite_points_are_dropped():
    y = np.array([0.3, 0.2, np.nan, 0.1, np.inf, -np.inf, 0.05])
    xs, ys = envelope(np.arange(len(y)), y, 10)
    np.testing.assert_array_equal(xs, [0, 1, 3, 6])
    np.testing.assert_array_equal(ys, [0.3, 0.2, 0.1, 0.05])
    xs, ys = envelope([0.0, 1.0], [np.nan, np.nan], 1)
    assert len(xs) == len(ys) == 0


@pytest.mark.parametrize(
    ("x", "y", "n_columns", "error", "words"),
    [
        ([0, 1], [0, 1, 2], 10, ValueError, "same length"),
        ([[0, 1]], [[0, 1]], 10, ValueError, "1-D"),
        ([0, 1], ["a", "b"], 10, TypeError, "y must be numbers"),
        ([0, 1], [0, 1], 0, ValueError, "n_columns"),
        ([0, 1], [0, 1], 2.5, ValueError, "n_columns"),
        ([0, 1], [0, 1], True, ValueError, "n_columns"),
        ([0, 1], None, 10, TypeError, "y must be numbers"),
        ("01", [0, 1], 10, TypeError, "x must be numbers"),
    ],
)
def test_bad_input_is_named(x, y, n_columns, error, words):
    with pytest.raises(error, match=words):
        envelope(x, y, n_columns)
