"""How fast are the two-moons runs and the boundary explorer of notebook 07?

The [2, 8, 8, 1] network (with bias, seed 0) on ``two_moons(200, noise=0.2, seed=0)``:

1. ``gdlib.train`` for 2,000 iterations with ``engine="numpy"`` and with
   ``engine="compiled"`` (numba), median of a few runs each after a warm-up,
   and how far their errors are apart. On 200 samples numpy's matrix products
   are efficient, so the compiled loop has less to gain than on one sample.
2. The boundary explorer at 2,000 iterations: moving the learning-rate slider to
   a value not seen before (a new run: train 2,000 iterations in chunks, then
   draw), to a value seen before (no training), and the iterations slider back
   (a kept snapshot, no training). Each move sets the control's ``value`` from
   Python and the time runs until the explorer's ``ipywidgets.Image`` holds the
   new picture (the callback runs synchronously).
3. The same explorer with ``batch_sizes=(None, 100, 20, 5, 1)`` (notebook 09): choosing
   each batch size (a new run: 2,000 updates trained from the start, recorded), the
   iterations slider back (a kept snapshot) and on past the recorded run (trains again
   from the start, to twice as many updates).

Prints figures only (no pass/fail: timings depend on the machine and its load).
Run from the repository root:

    .venv/bin/python benchmarks/bench_boundary.py [--moves 20] [--iterations 2000] [--no-batches]
"""

import argparse
import statistics
import time

import numpy as np

import gdlib
import gdlib.drawing.boundary
from gdlib import training_compiled

SIZES = (2, 8, 8, 1)


def timed(function, repeats):
    """Median and all times (ms) of ``repeats`` calls; the last result."""
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times), times, result


def spread(times):
    q = statistics.quantiles(times, n=4) if len(times) >= 2 else [times[0]] * 3
    return (f"median {statistics.median(times):7.1f} ms   min {min(times):7.1f}   quartiles {q[0]:7.1f} .. "
            f"{q[2]:7.1f}   max {max(times):7.1f}   ({len(times)} moves)")


def bench_train(x, labels, iterations, repeats):
    print(f"gdlib.train, {'-'.join(map(str, SIZES))} with bias, {len(x)} samples, {iterations:,} iterations:")
    net = gdlib.Network(SIZES, seed=0, bias=True)
    medians, runs = {}, {}
    engines = ["numpy"] + (["compiled"] if training_compiled.AVAILABLE else [])
    for engine in engines:
        gdlib.train(net, x, labels, learning_rate=2.0, iterations=10, engine=engine)  # warm-up / compile
        medians[engine], times, runs[engine] = timed(
            lambda e=engine: gdlib.train(net, x, labels, learning_rate=2.0, iterations=iterations, engine=e),
            repeats)
        per = medians[engine] / iterations * 1e3
        print(f"  engine={engine:<9} median {medians[engine]:8.1f} ms  ({per:6.1f} us per iteration; "
              f"runs: {', '.join(f'{t:.0f}' for t in times)} ms)")
    if len(engines) == 2:
        print(f"  numpy / compiled: {medians['numpy'] / medians['compiled']:.2f}x")
        diff = float(np.max(np.abs(runs["numpy"].errors - runs["compiled"].errors)))
        print(f"  largest difference between the two engines' errors: {diff:.1e}")
    else:
        print("  (numba is not installed: no compiled engine to compare)")


def bench_explorer(x, labels, iterations, moves):
    print(f"\nboundary_explorer, layout 8-8, {iterations:,} iterations, 60 x 60 grid:")
    start = time.perf_counter()
    ex = gdlib.boundary_explorer(x, labels, sizes_options=("8-8",), learning_rate=2.0,
                                 iterations=iterations, max_iterations=max(iterations, 4000))
    print(f"  first drawing (trains {iterations:,} iterations): {(time.perf_counter() - start) * 1e3:.0f} ms")

    def move(control, value):
        before = ex.image.value
        t0 = time.perf_counter()
        control.value = value
        elapsed = (time.perf_counter() - t0) * 1e3
        return elapsed, ex.image.value != before

    rates = np.round(np.geomspace(0.3, 9.0, moves), 4)
    new = [move(ex.learning_rate_slider, r) for r in rates]
    print(f"  learning rate, new values:  {spread([t for t, _ in new])}")
    seen = [move(ex.learning_rate_slider, r) for r in rates[-2::-1]]  # all but the value shown now
    print(f"  learning rate, seen before: {spread([t for t, _ in seen])}")
    steps = [iterations - 100 * (k % 10 + 1) for k in range(moves)]
    back = [move(ex.iterations_slider, k) for k in steps]
    print(f"  iterations, moved back:     {spread([t for t, _ in back])}")
    unchanged = sum(not changed for _, changed in new + seen + back)
    print(f"  moves whose picture did not change: {unchanged}; full redraws of the figure: "
          f"{ex.live.full_redraws}")


def bench_batches(x, labels, iterations, moves):
    sizes = (None, 100, 20, 5, 1)
    print(f"\nboundary_explorer with batch_sizes={sizes}, layout 8-8, {iterations:,} iterations:")
    ex = gdlib.boundary_explorer(x, labels, sizes_options=("8-8",), learning_rate=2.0, iterations=iterations,
                                 max_iterations=max(iterations, 8000), batch_sizes=sizes)

    def move(control, value):
        t0 = time.perf_counter()
        control.value = value
        return (time.perf_counter() - t0) * 1e3

    for b in sizes[1:]:
        print(f"  batch size {b:>3}, a new run:      {move(ex.batch_dropdown, b):7.1f} ms")
    back = [move(ex.iterations_slider, iterations - 100 * (k % 10 + 1)) for k in range(moves)]
    print(f"  iterations, moved back:     {spread(back)}")
    on = [move(ex.iterations_slider, k) for k in (iterations + 100, 2 * iterations + 100)]
    print(f"  iterations, on past the run: {', '.join(f'{t:.0f}' for t in on)} ms (trains again from the "
          "start, to twice as many updates)")
    print(f"  kept runs: {len(ex._runs.keys())}, {ex._runs.total() / 2**20:.1f} MB "
          f"(budget {gdlib.drawing.boundary.CACHE_BYTES / 2**20:.0f} MB)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=20, help="slider moves per measurement")
    parser.add_argument("--iterations", type=int, default=2000, help="iterations per run (a multiple of 100)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per training engine")
    parser.add_argument("--no-batches", action="store_true", help="leave out the batch-size explorer")
    args = parser.parse_args()
    x, labels = gdlib.two_moons(200, noise=0.2, seed=0)
    bench_train(x, labels, args.iterations, args.repeats)
    bench_explorer(x, labels, args.iterations, args.moves)
    if not args.no_batches:
        bench_batches(x, labels, args.iterations, args.moves)


if __name__ == "__main__":
    main()
