"""How fast does the training explorer answer a slider move?

The series' 3-2-1 example at 80,000 iterations. Each move sets a slider's
``value`` from Python, as the browser's message does in a kernel, and the time
runs until the explorer's ``ipywidgets.Image`` holds the new picture (the
callback runs synchronously, so that is when the assignment returns). The
front end's own work (sending the PNG, painting it) is not included.

- new learning rates: each trains 80,000 iterations and draws (target: median
  at most 50 ms);
- learning rates seen before: the cached run is drawn again, no training;
- iterations: a prefix of the cached run, never trained; the x axis ends at a
  round number, so only moves that cross one redraw the whole figure (small
  moves, like dragging a slider, mostly do not), and the last few backgrounds
  are kept (dragging back is cheaper than the first pass).

Run from the repository root:

    .venv/bin/python benchmarks/bench_explorer.py [--moves 24]
"""

import argparse
import statistics
import time

import numpy as np

import gdlib
from gdlib import training_compiled
from gdlib.drawing import training_explorer as widgets

X = [0.1, 0.4, 4.1]
TARGET = 0.2


def time_moves(ex, slider, values):
    """Milliseconds from setting each value until the image changed (wall clock, and
    this thread's CPU time, which other programs on the machine disturb less)."""
    times, cpu_times, unchanged = [], [], 0
    for value in values:
        before = ex.image.value
        start, cpu_start = time.perf_counter(), time.thread_time()
        slider.value = value
        times.append((time.perf_counter() - start) * 1e3)
        cpu_times.append((time.thread_time() - cpu_start) * 1e3)
        if ex.image.value == before:
            unchanged += 1
    return times, cpu_times, unchanged


def report(name, times, cpu_times, unchanged, redraws, trains, target=None):
    q = statistics.quantiles(times, n=10)
    print(f"  {name:<30} median {statistics.median(times):6.1f} ms   "
          f"p10 {q[0]:6.1f}   p90 {q[-1]:6.1f}   max {max(times):6.1f}   "
          f"(CPU median {statistics.median(cpu_times):5.1f} ms)"
          + (f"   target: median <= {target} ms" if target else ""))
    line = f"  {'':<30} {len(times)} moves, {trains} trained, {redraws} full redraws"
    if unchanged:
        line += f", {unchanged} drew the same picture again (saturated runs look alike)"
    print(line)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=24, help="slider moves per measurement (at least 20)")
    args = parser.parse_args()
    moves = max(args.moves, 20)

    trained = []
    train = widgets.train

    def counting_train(*a, **kw):
        trained.append(kw["iterations"])
        return train(*a, **kw)

    widgets.train = counting_train  # count the explorer's training runs
    start = time.perf_counter()
    ex = gdlib.explorer(gdlib.Network((3, 2, 1), seed=0), X, TARGET, learning_rate=0.001, iterations=80_000)
    engine = "numba" if training_compiled.AVAILABLE else "numpy, no numba: the sliders update on release"
    print(f"3-2-1 network, 80,000 iterations: explorer built in {(time.perf_counter() - start) * 1e3:.0f} ms "
          f"(engine: {engine})")

    def measure(name, slider, values, target=None):
        trained.clear()
        redraws = ex.live.full_redraws
        times, cpu_times, unchanged = time_moves(ex, slider, values)
        report(name, times, cpu_times, unchanged, ex.live.full_redraws - redraws, len(trained), target)

    rates = [float(r) for r in 10.0 ** np.linspace(-4, 1, moves)]  # 1e-4 .. 10: calm to overshooting
    rates = rates[1::2] + rates[0::2]  # jump around, as a hand on a slider would not, to be fair
    measure("learning rate (new values)", ex.learning_rate_slider, rates, target=50)
    measure("learning rate (seen before)", ex.learning_rate_slider, rates[-2::-1] + rates[-1:])
    wild = [float(r) for r in 10.0 ** np.linspace(1, 3, moves)]  # 10 .. 1000: diverging runs
    measure("learning rate (10 .. 1000)", ex.learning_rate_slider, wild)
    ex.learning_rate_slider.value = 0.01
    counts = [int(n) for n in np.linspace(79_000, 1000, moves)]
    measure("iterations (<= 80,000)", ex.iterations_slider, counts)
    counts = [int(n) for n in np.linspace(79_000, 70_000, moves)]
    measure("iterations (79,000 .. 70,000)", ex.iterations_slider, counts)
    counts = [int(n) for n in np.linspace(30_000, 79_000, moves)]
    measure("iterations (30,000 .. 79,000)", ex.iterations_slider, counts)
    measure("  ... and back", ex.iterations_slider, counts[-2::-1] + counts[-1:])
    widgets.train = train


if __name__ == "__main__":
    main()
