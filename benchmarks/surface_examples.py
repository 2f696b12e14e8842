"""What does the course's narrow valley (notebook 08) show, at which learning rates?

For one neuron with bias on a few points (by default ``gdlib.valley_data()``, from
``VALLEY_START``), prints:

1. the least E and where it is (found by a long run with momentum, then checked
   against the surface on a fine grid), and the curvatures there: the Hessian's two
   eigenvalues (by finite differences), their ratio (how narrow the valley is) and
   2 / (largest), where plain descent starts to bounce across the valley floor;
2. which learning rates show each regime of plain gradient descent, checked by
   training ``--iterations`` iterations at each rate of a log grid:

   - glide: the path never turns back across the valley (the component of the
     steps across it, along the Hessian's steep eigenvector, keeps its sign);
   - zigzag: it crosses the valley floor back and forth, and still settles
     (E stays below the threshold before ``--long`` iterations);
   - overshoot: every step jumps to the other wall; E jumps about and never settles;
   - diverge: ``train`` says "Diverged" (thrown onto the plateau, where the sigmoid
     is flat, the error ends higher than it started);

3. for plain descent and for momentum 0.5 and 0.9: the learning rate that reaches
   E < minimum + ``--threshold`` soonest (and stays below it), found by a scan, and
   how many iterations it takes.

Run from the repository root (about 10 s):

    .venv/bin/python benchmarks/surface_examples.py [--x 3 4 5 --target 0.2 0.5 0.8 --start -1 5.5]
"""

import argparse

import numpy as np

import gdlib
from gdlib.drawing import surface
from gdlib.network import flat_parameters

RATES = 10.0 ** np.arange(-2.0, 2.0001, 0.05)


def neuron(start):
    return gdlib.Network((1, 1), weights=[[[start[0]]]], biases=[[start[1]]])


def settles_at(errors, level):
    """The first iteration from which E stays below ``level`` to the end of the run, or None."""
    above = np.flatnonzero(~(errors < level))
    if len(above) == 0:
        return 0
    k = int(above[-1]) + 1
    return k if k < len(errors) else None


def find_minimum(x, target, start, iterations):
    """The lowest point a long run with momentum finds, then the lowest of a fine grid around it."""
    run = gdlib.train(neuron(start), x, target, learning_rate=0.5, iterations=iterations, momentum=0.9)
    best = flat_parameters(run.network.weights, run.network.biases)
    net = neuron(best)
    for half in (0.5, 0.05, 0.005):
        extent = tuple((c - half, c + half) for c in best)
        p1, p2, errors = surface.error_surface(x, target, net=net, extent=extent, resolution=101)
        i, j = np.unravel_index(np.argmin(errors), errors.shape)
        if errors[i, j] < net.error(x, target):
            best = np.array([p1[i, j], p2[i, j]])
            net = neuron(best)
    return best, float(net.error(x, target))


def hessian(x, target, point, h=1e-4):
    """The 2 x 2 matrix of second derivatives of E at ``point``, by central differences."""
    net = neuron(point)
    x2, t2, _ = net._samples(x, target)
    shifts = np.array([[a, b] for a in (-1, 0, 1) for b in (-1, 0, 1)], dtype=float)
    e = surface.errors_at(net, point + h * shifts, x2, t2).reshape(3, 3)
    return np.array([[e[2, 1] - 2 * e[1, 1] + e[0, 1], (e[2, 2] - e[2, 0] - e[0, 2] + e[0, 0]) / 4],
                     [(e[2, 2] - e[2, 0] - e[0, 2] + e[0, 0]) / 4, e[1, 2] - 2 * e[1, 1] + e[1, 0]]]) / h**2


def turns(run, across):
    """The iterations at which the path turns back across the valley (the step's component
    along ``across`` changes sign)."""
    steps = np.diff(run.parameters @ across)
    return np.flatnonzero(steps[1:] * steps[:-1] < 0) + 1


def regime(run, across, level, long_run):
    """glide / zigzag / overshoot / diverge for a plain run (see the module's docstring)."""
    if run.diverged:
        return "diverge"
    if len(turns(run, across)) == 0:
        return "glide"
    return "zigzag" if settles_at(long_run.errors, level) is not None else "overshoot"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    x0, t0 = gdlib.valley_data()
    parser.add_argument("--x", type=float, nargs="+", default=list(x0[:, 0]))
    parser.add_argument("--target", type=float, nargs="+", default=list(t0[:, 0]))
    parser.add_argument("--start", type=float, nargs=2, default=list(surface.VALLEY_START))
    parser.add_argument("--iterations", type=int, default=300, help="iterations of a run for the regimes")
    parser.add_argument("--long", type=int, default=20_000, help="iterations of a run to reach the threshold")
    parser.add_argument("--threshold", type=float, default=1e-4)
    args = parser.parse_args()
    x, target = np.array(args.x).reshape(-1, 1), np.array(args.target).reshape(-1, 1)
    start = np.array(args.start, dtype=float)
    net = neuron(start)
    print(f"x = {', '.join(f'{v:g}' for v in args.x)}; target = {', '.join(f'{v:g}' for v in args.target)}; "
          f"start (W, b) = ({start[0]:g}, {start[1]:g}), E there = {net.error(x, target):.4g}")

    best, least = find_minimum(x, target, start, args.long)
    h = hessian(x, target, best)
    values, vectors = np.linalg.eigh(h)
    across = vectors[:, 1]
    print(f"\n1. least E = {least:.3g} at W = {best[0]:.4f}, b = {best[1]:.4f}")
    print(f"   curvatures there: {values[1]:.4g} across the valley (direction W, b = {across[0]:+.3f}, "
          f"{across[1]:+.3f}) and {values[0]:.4g} along it: ratio {values[1] / values[0]:,.0f}")
    print(f"   2 / (largest curvature) = {2 / values[1]:.3g}: above it, plain descent bounces across "
          "the floor near the minimum")

    level = least + args.threshold
    print(f"\n2. plain gradient descent, {args.iterations} iterations per run (settling: E < "
          f"{level:.3g} before {args.long:,} iterations):")
    found = {}
    for rate in RATES:
        run = gdlib.train(net, x, target, learning_rate=rate, iterations=args.iterations,
                          record_parameters=True)
        long_run = gdlib.train(net, x, target, learning_rate=rate, iterations=args.long)
        found.setdefault(regime(run, across, level, long_run), []).append((rate, run))
    for name in ("glide", "zigzag", "overshoot", "diverge"):
        rates = [rate for rate, _ in found.get(name, [])]
        if not rates:
            print(f"   {name:<9}  (no learning rate of the grid)")
            continue
        middle_rate, middle = found[name][len(rates) // 2]
        back = turns(middle, across)
        steady = [k for k in back if k + 1 in back and k + 2 in back]  # three turns in a row: zigzagging
        crossing = (f", turns back across the valley at {len(back)} of the steps"
                    f"{f', at every step from iteration {steady[0]}' if steady else ''}") if len(back) else ""
        print(f"   {name:<9}  {len(rates):2d} rates from {min(rates):.3g} to {max(rates):.3g}; e.g. "
              f"{middle_rate:.3g}: E {middle.errors[0]:.3g} -> {middle.errors[-1]:.3g}{crossing}"
              f"{'; ' + middle.message.split('.')[0] if middle.message else ''}")

    print(f"\n3. fewest iterations to E < {level:.3g} (and staying below), over learning rates "
          f"{RATES[0]:g} .. {RATES[-1]:g} (steps of 10**0.05), runs of {args.long:,} iterations:")
    plain = None
    for momentum in (0.0, 0.5, 0.9):
        scores = []
        for rate in RATES:
            run = gdlib.train(net, x, target, learning_rate=rate, iterations=args.long, momentum=momentum)
            k = settles_at(run.errors, level)
            if k is not None:
                scores.append((k, rate))
        if not scores:
            print(f"   momentum {momentum:g}: never within {args.long:,} iterations")
            continue
        k, rate = min(scores)
        plain = k if momentum == 0 else plain
        ratio = f"  ({plain / k:.1f}x fewer than plain)" if momentum and plain else ""
        print(f"   momentum {momentum:g}: learning rate {rate:.3g}, {k:,} iterations{ratio}")


if __name__ == "__main__":
    main()
