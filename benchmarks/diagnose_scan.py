"""Which message does ``diagnose`` give, for each of the course's examples, at each learning rate?

The evidence behind the rules of ``gdlib.training.diagnose``: every example of
the notebooks (and the pitfalls they show: badly scaled inputs, symmetric start
weights, a target the sigmoid cannot reach) trained for 80,000 iterations at
learning rates from 1e-4 to 1e3 (log-spaced), and the message each run gets.
Consecutive learning rates with the same kind of message are shown as one range.
Read the messages against the runs when you change a rule.

With ``--prefixes`` it also prints, per learning rate, the message for the first
n iterations of the run (what the explorers show while the slider is at n):
``-`` none, ``D`` diverged, ``U`` unreachable target, ``S`` stuck, ``F`` stuck
from the start, ``P`` plateau, ``O`` overshooting.

Needs numba (about a minute); from the repository root:

    .venv/bin/python benchmarks/diagnose_scan.py [--points 141] [--prefixes]
"""

import argparse

import numpy as np

import gdlib
from gdlib import training_compiled
from gdlib.training import diagnose

X3 = [0.1, 0.4, 4.1]
X10 = [0.1, 0.4, 4.1, 4.3, 1.8, 2.0, 0.01, 0.9, 3.8, 1.6]
XOR_X, XOR_T = gdlib.xor_data()
EXAMPLES = {  # name: (the start network, x, target)
    "01: 1-1, x 0.1, target 0.3": (lambda: gdlib.Network((1, 1), seed=0), 0.1, 0.3),
    "02: 2-1, x (0.1, 0.4), target 0.3": (lambda: gdlib.Network((2, 1), seed=0), [0.1, 0.4], 0.3),
    "02: 2-1, inputs (0.1, 40)": (lambda: gdlib.Network((2, 1), seed=0), [0.1, 40.0], 0.3),
    "03: 3-2-1, target 0.2": (lambda: gdlib.Network((3, 2, 1), seed=0), X3, 0.2),
    "03: 10-2-1, target 0.2": (lambda: gdlib.Network((10, 2, 1), seed=0), X10, 0.2),
    "04: 3-5-1, target 0.2": (lambda: gdlib.Network((3, 5, 1), seed=0), X3, 0.2),
    "04: 3-5-1, all start weights 0.5": (
        lambda: gdlib.Network((3, 5, 1), weights=[np.full((3, 5), 0.5), np.full((5, 1), 0.5)]), X3, 0.2),
    "05: XOR 2-2-1 with bias": (lambda: gdlib.Network((2, 2, 1), seed=0, bias=True), XOR_X, XOR_T),
    "05: XOR 2-3-1, all start weights 0.5": (
        lambda: gdlib.Network((2, 3, 1), weights=[np.full((2, 3), 0.5), np.full((3, 1), 0.5)], bias=True),
        XOR_X, XOR_T),
    "1-1, target 1.2 (unreachable)": (lambda: gdlib.Network((1, 1), seed=0), 0.1, 1.2),
}
ITERATIONS = 80_000
PREFIXES = [3, 10, 30, 100, 300, 1_000, 3_000, 10_000, 30_000, 80_000]
LETTERS = {"": "-", "Diverged": "D", "Unreachable target": "U", "Stuck": "S", "Stuck from the start": "F",
           "Plateau": "P", "Overshooting": "O"}


def kind(message):
    return message.split(":")[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=141, help="learning rates from 1e-4 to 1e3")
    parser.add_argument("--prefixes", action="store_true", help="also the messages of the first n iterations")
    args = parser.parse_args()
    if not training_compiled.AVAILABLE:
        raise SystemExit("diagnose_scan.py needs numba (80,000 iterations per run).")
    rates = 10 ** np.linspace(-4, 3, args.points)
    for name, (make, x, target) in EXAMPLES.items():
        print(f"== {name}")
        ranges = []  # [first rate, last rate, message of the first]
        for rate in rates:
            run = gdlib.train(make(), x, target, learning_rate=rate, iterations=ITERATIONS)
            if ranges and kind(ranges[-1][2]) == kind(run.message):
                ranges[-1][1] = rate
            else:
                ranges.append([rate, rate, run.message])
            if args.prefixes:
                letters = " ".join(LETTERS[kind(diagnose(run.errors[:n], run.predictions[:n], run.target)[1])]
                                   for n in PREFIXES)
                print(f"   {rate:9.3g}  {letters}")
        for first, last, message in ranges:
            print(f"  {first:9.3g} .. {last:9.3g}  {message or '(no message)'}")


if __name__ == "__main__":
    main()
