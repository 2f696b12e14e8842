"""Small two-class data sets for full-batch gradient descent.

Introduced in notebook 07, where training moves from one sample to many. Each
function returns ``(x, labels)`` in the shapes ``Network.predict`` and ``train``
expect: ``x`` of shape ``(m, 2)`` (one row per sample, one column per input)
and ``labels`` of shape ``(m, 1)`` (one output neuron, values 0.0 or 1.0).
Random data comes from ``numpy.random.default_rng(seed)``: the same seed
always gives the same points.
"""

import numpy as np

from .checks import check_number, check_positive_int


def xor_data():
    """The four points of XOR: ``x`` of shape ``(4, 2)``, ``target`` of shape ``(4, 1)``.

    Introduced in notebook 07.

    The target is 1 when exactly one input is 1. No straight line separates the
    two classes, which is why a single neuron cannot learn it (notebook 07).
    """
    x = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    target = np.array([[0.0], [1.0], [1.0], [0.0]])
    return x, target


def two_moons(n=200, noise=0.1, seed=0):
    """Two interleaving half circles: ``x`` of shape ``(n, 2)``, ``labels`` of shape ``(n, 1)``.

    Introduced in notebook 07.

    Class 0 (the first ``n // 2`` rows) lies on the upper half circle of radius 1
    around (0, 0); class 1 (the other ``n - n // 2`` rows) on the lower half
    circle around (1, 0.5). Gaussian noise of standard deviation ``noise`` is
    added to both coordinates. The points spread over about -1..2 in x1 and
    -0.5..1 in x2. Used in notebook 07 to draw a decision boundary.
    """
    n = check_positive_int(n, "n", minimum=2)
    noise = check_number(noise, "noise", "at least 0 (e.g. 0.1)", lambda v: v >= 0)
    rng = np.random.default_rng(check_positive_int(seed, "seed", minimum=0))
    angle0 = rng.uniform(0.0, np.pi, n // 2)
    angle1 = rng.uniform(0.0, np.pi, n - n // 2)
    upper = np.column_stack([np.cos(angle0), np.sin(angle0)])
    lower = np.column_stack([1.0 - np.cos(angle1), 0.5 - np.sin(angle1)])
    return _two_classes(upper, lower, noise, rng)


def two_spirals(n=200, noise=0.1, turns=1.5, seed=0):
    """Two interleaved spirals: ``x`` of shape ``(n, 2)``, ``labels`` of shape ``(n, 1)``.

    Not used by the notebooks: a harder set to try in notebook 07's boundary
    explorer once two moons are learnt. Class 0 (the first ``n // 2`` rows) winds
    ``turns`` times out from the centre, class 1 is the same spiral turned by half
    a circle. Radii run up to 1; Gaussian noise of standard deviation ``noise`` is
    added to both coordinates.
    """
    n = check_positive_int(n, "n", minimum=2)
    noise = check_number(noise, "noise", "at least 0 (e.g. 0.1)", lambda v: v >= 0)
    turns = check_number(turns, "turns", "above 0 (e.g. 1.5)", lambda v: v > 0)
    rng = np.random.default_rng(check_positive_int(seed, "seed", minimum=0))
    radius0 = np.sqrt(rng.uniform(0.0, 1.0, n // 2)) * 0.9 + 0.1  # more points further out
    radius1 = np.sqrt(rng.uniform(0.0, 1.0, n - n // 2)) * 0.9 + 0.1
    angle0 = 2 * np.pi * turns * radius0
    angle1 = 2 * np.pi * turns * radius1 + np.pi
    first = radius0[:, None] * np.column_stack([np.cos(angle0), np.sin(angle0)])
    second = radius1[:, None] * np.column_stack([np.cos(angle1), np.sin(angle1)])
    return _two_classes(first, second, noise, rng)


def _two_classes(class0, class1, noise, rng):
    """Class 0's points then class 1's, each coordinate moved by Gaussian noise of
    standard deviation ``noise`` (drawn from ``rng``); returns ``(x, labels)``."""
    x = np.vstack([class0, class1])
    x = x + rng.normal(0.0, noise, x.shape)
    labels = np.concatenate([np.zeros(len(class0)), np.ones(len(class1))]).reshape(-1, 1)
    return x, labels

