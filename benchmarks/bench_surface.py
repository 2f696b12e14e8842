"""How fast does the error-surface explorer (notebook 08) redraw when a slider moves?

The explorer on ``gdlib.valley_data()`` from ``VALLEY_START`` over ``VALLEY_EXTENT``
(the notebook's settings), 300 iterations to begin with. For each slider, ``--moves``
moves to values not seen before (each a new run: train, then draw), timed from
setting the slider's ``value`` in Python until the explorer's ``ipywidgets.Image``
holds the new PNG (the callback runs synchronously). Prints the median and the 90th
percentile per slider, and how many moves redrew the whole figure instead of blitting
the path and the curve over the kept background.

Prints figures only (no pass/fail: timings depend on the machine and its load).
Run from the repository root:

    .venv/bin/python benchmarks/bench_surface.py [--moves 30] [--iterations 300]
"""

import argparse
import statistics
import time

import numpy as np

import gdlib
from gdlib import training_compiled
from gdlib.drawing import surface


def summary(times):
    times = sorted(times)
    p90 = times[min(len(times) - 1, int(round(0.9 * (len(times) - 1))))]
    return (f"median {statistics.median(times):6.1f} ms   p90 {p90:6.1f}   min {times[0]:6.1f}   "
            f"max {times[-1]:6.1f}   ({len(times)} moves)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=30, help="moves per slider")
    parser.add_argument("--iterations", type=int, default=300, help="iterations shown at first")
    args = parser.parse_args()
    x, target = gdlib.valley_data()
    print(f"numba: {'yes' if training_compiled.AVAILABLE else 'no (sliders redraw on release)'}")
    start = time.perf_counter()
    ex = gdlib.surface_explorer(x, target, learning_rate=1.0, iterations=args.iterations,
                                start=surface.VALLEY_START, extent=surface.VALLEY_EXTENT)
    print(f"surface_explorer: first picture in {(time.perf_counter() - start) * 1e3:.0f} ms "
          f"({surface.RESOLUTION} x {surface.RESOLUTION} grid)")

    def move(slider, value):
        before = ex.image.value
        t0 = time.perf_counter()
        slider.value = value
        elapsed = (time.perf_counter() - t0) * 1e3
        assert ex.image.value != before and not ex.message.startswith("Could not"), ex.message
        return elapsed

    n = args.moves
    (lo1, hi1), (lo2, hi2) = ex.extent
    sweeps = {
        "learning rate": (ex.learning_rate_slider, np.geomspace(0.05, 8.0, n)),
        "iterations": (ex.iterations_slider, np.linspace(20, 3000, n).round().astype(int)),
        "start W": (ex.start_sliders[0], np.linspace(lo1 + 0.1, hi1 - 0.1, n)),
        "start b": (ex.start_sliders[1], np.linspace(lo2 + 0.1, hi2 - 0.1, n)),
        "momentum": (ex.momentum_slider, np.linspace(0.0, 0.99, n)),
    }
    for name, (slider, values) in sweeps.items():
        first = slider.value
        redraws = ex.live.full_redraws
        times = [move(slider, value) for value in values if not np.isclose(value, slider.value)]
        print(f"  {name:<14} {summary(times)}   full redraws: {ex.live.full_redraws - redraws}")
        slider.value = first  # the next slider moves from the notebook's settings
    redraws = ex.live.full_redraws
    times = [move(ex.learning_rate_slider, value) for value in np.geomspace(8.0, 0.05, n)[1:]]
    print(f"  {'learning rate, seen before':<14}\n  {'':<14} {summary(times)}   full redraws: "
          f"{ex.live.full_redraws - redraws}")


if __name__ == "__main__":
    main()
