"""The data sets of notebook 05: shapes, classes, reproducibility, geometry and bad input."""

import numpy as np
import pytest

import gdlib
from gdlib.datasets import two_spirals


def test_xor_is_exclusive_or():
    x, target = gdlib.xor_data()
    assert x.shape == (4, 2) and target.shape == (4, 1)
    assert x.dtype == float and target.dtype == float
    expected = (x[:, 0] != x[:, 1]).astype(float)  # 1 when exactly one input is 1
    np.testing.assert_array_equal(target[:, 0], expected)
    assert {tuple(row) for row in x} == {(0, 0), (0, 1), (1, 0), (1, 1)}


def test_xor_returns_new_arrays_each_time():
    x, target = gdlib.xor_data()
    x[0, 0] = 5.0
    target[0, 0] = 5.0
    fresh_x, fresh_target = gdlib.xor_data()
    assert fresh_x[0, 0] == 0.0 and fresh_target[0, 0] == 0.0


@pytest.mark.parametrize("make", [gdlib.two_moons, two_spirals], ids=["moons", "spirals"])
@pytest.mark.parametrize("n", [2, 3, 57, 200, 301])
def test_shapes_and_balanced_classes(make, n):
    x, labels = make(n)
    assert x.shape == (n, 2) and labels.shape == (n, 1)
    assert set(np.unique(labels)) <= {0.0, 1.0}
    assert int(labels.sum()) == n - n // 2  # class 0 gets n // 2 points, class 1 the rest
    np.testing.assert_array_equal(labels[: n // 2], 0.0)  # class 0 first, as documented
    assert np.all(np.isfinite(x))


@pytest.mark.parametrize("make", [gdlib.two_moons, two_spirals], ids=["moons", "spirals"])
def test_the_same_seed_gives_the_same_points(make):
    a, la = make(100, noise=0.2, seed=7)
    b, lb = make(100, noise=0.2, seed=7)
    c, _ = make(100, noise=0.2, seed=8)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(la, lb)
    assert not np.allclose(a, c)


@pytest.mark.parametrize("make", [gdlib.two_moons, two_spirals], ids=["moons", "spirals"])
def test_no_global_random_state_is_used_or_changed(make):
    np.random.seed(123)
    expected = np.random.random(3)
    np.random.seed(123)
    first, _ = make(50, seed=0)
    np.testing.assert_array_equal(np.random.random(3), expected)
    np.random.seed(999)  # a different global seed changes nothing
    second, _ = make(50, seed=0)
    np.testing.assert_array_equal(first, second)


def test_moons_without_noise_lie_on_their_half_circles():
    x, labels = gdlib.two_moons(400, noise=0.0, seed=3)
    upper, lower = x[labels[:, 0] == 0], x[labels[:, 0] == 1]
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0, atol=1e-12)
    assert np.all(upper[:, 1] >= -1e-12)  # the upper half circle around (0, 0)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1.0, lower[:, 1] - 0.5), 1.0, atol=1e-12)
    assert np.all(lower[:, 1] <= 0.5 + 1e-12)  # the lower half circle around (1, 0.5)


def test_noise_has_the_asked_spread():
    clean, _ = gdlib.two_moons(4000, noise=0.0, seed=5)
    noisy, _ = gdlib.two_moons(4000, noise=0.3, seed=5)
    # same seed, same angles: the difference is the Gaussian noise alone
    assert abs(np.std(noisy - clean) - 0.3) < 0.02


def test_spirals_without_noise_stay_in_the_unit_disc_and_are_turned_half_a_circle():
    x, labels = two_spirals(300, noise=0.0, turns=1.5, seed=1)
    radius = np.hypot(x[:, 0], x[:, 1])
    assert np.all(radius <= 1.0 + 1e-12) and np.all(radius >= 0.1 - 1e-12)
    # spiral 0: angle = 2 pi turns r; spiral 1: the same plus half a circle (angles modulo 2 pi)
    for label, turned in [(0, 0.0), (1, np.pi)]:
        points = x[labels[:, 0] == label]
        r = np.hypot(points[:, 0], points[:, 1])
        off = np.arctan2(points[:, 1], points[:, 0]) - 2 * np.pi * 1.5 * r - turned
        np.testing.assert_allclose(np.cos(off), 1.0, atol=1e-9)


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        (dict(n=1), ValueError, "n must"),
        (dict(n=0), ValueError, "n must"),
        (dict(n=2.5), TypeError, "n must"),
        (dict(n="200"), TypeError, "n must"),
        (dict(noise=-0.1), ValueError, "noise must"),
        (dict(noise=float("nan")), ValueError, "noise must"),
        (dict(noise=float("inf")), ValueError, "noise must"),
        (dict(noise="0.1"), TypeError, "noise must"),
        (dict(noise=None), TypeError, "noise must"),
        (dict(seed=-1), ValueError, "seed must"),
        (dict(seed=1.5), TypeError, "seed must"),
        (dict(seed="0"), TypeError, "seed must"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, name):
    with pytest.raises(error, match=name):
        gdlib.two_moons(**kwargs)
    with pytest.raises(error, match=name):
        two_spirals(**kwargs)


@pytest.mark.parametrize("turns", [0, -1.0, float("nan"), "2"])
def test_bad_turns(turns):
    with pytest.raises((ValueError, TypeError), match="turns must"):
        two_spirals(turns=turns)
