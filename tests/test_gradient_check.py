"""Backpropagation (``Network.gradients``) against central differences, on random networks."""

import copy

import numpy as np
import pytest
from central_differences import assert_close_to_central_differences
from hypothesis import given, settings
from hypothesis import strategies as st

import gdlib
from gdlib import Network, compare_gradients, numerical_gradients, relative_difference


@st.composite
def problems(draw):
    """A random network (1-4 weight layers of 1-8 neurons), inputs and targets.

    Hypothesis picks the architecture, the number of samples (None: one sample
    of shape (n_in,)), the kind of bias and a seed; numpy draws the numbers
    from that seed, so a failure is reproduced by its printed example.
    """
    sizes = tuple(draw(st.lists(st.integers(1, 8), min_size=2, max_size=5)))
    samples = draw(st.one_of(st.none(), st.integers(1, 6)))
    bias = draw(st.sampled_from(["none", "zero", "random"]))
    seed = draw(st.integers(0, 2**32 - 1))
    scale = draw(st.sampled_from([0.1, 1.0, 3.0]))
    rng = np.random.default_rng(seed)
    biases = [rng.uniform(-1, 1, n) for n in sizes[1:]] if bias == "random" else None
    net = Network(sizes, seed=seed, bias=True if bias == "zero" else None, biases=biases)
    x_shape = (sizes[0],) if samples is None else (samples, sizes[0])
    t_shape = (sizes[-1],) if samples is None else (samples, sizes[-1])
    x = rng.normal(0.0, scale, x_shape)
    target = rng.uniform(0.0, 1.0, t_shape)
    return net, x, target


@settings(max_examples=80, deadline=None)
@given(problems())
def test_backprop_matches_central_differences(problem):
    net, x, target = problem
    before = copy.deepcopy(net)
    analytic = net.gradients(x, target)
    numeric = numerical_gradients(net, x, target)

    assert [g.shape for g in analytic.weights] == [w.shape for w in net.weights]
    assert [g.shape for g in numeric.weights] == [w.shape for w in net.weights]
    assert [g.shape for g in analytic.biases] == [b.shape for b in net.biases]
    assert [g.shape for g in numeric.biases] == [b.shape for b in net.biases]
    assert_close_to_central_differences(analytic, numeric, net.error(x, target))
    for a, b in zip(net.weights + net.biases, before.weights + before.biases):  # nothing changed
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("sizes", [(1, 1), (2, 1), (3, 2, 1), (10, 2, 1), (2, 8, 8, 1)])
def test_series_networks_gradients(sizes):
    x = [0.1, 0.4, 4.1, 4.3, 1.8, 2.0, 0.01, 0.9, 3.8, 1.6][: sizes[0]]
    net = Network(sizes, seed=0)
    rel = relative_difference(net.gradients(x, 0.2), numerical_gradients(net, x, 0.2))
    assert rel <= 1e-7


def test_the_gradient_check_catches_a_wrong_g2():
    """The series' Part 1 gradient (g2 at the prediction) fails the check; the right one passes."""
    net = Network((1, 1), seed=0)
    x, target = 0.1, 0.3
    w = net.weights[0][0, 0]
    predicted = gdlib.sigmoid(x * w)
    g1 = gdlib.error_predicted_deriv(predicted, target)
    wrong = g1 * gdlib.sigmoid_sop_deriv(predicted) * x
    right = g1 * gdlib.sigmoid_sop_deriv(x * w) * x
    numeric = numerical_gradients(net, x, target).weights[0][0, 0]
    assert relative_difference(right, numeric) < 1e-8
    assert relative_difference(wrong, numeric) > 1e-3


def test_numerical_gradients_leave_the_network_alone_and_return_gradients():
    net = Network((3, 2, 1), seed=0, biases=[[0.2, -0.1], [0.3]])
    before = copy.deepcopy(net)
    numeric = numerical_gradients(net, [0.1, 0.4, 4.1], 0.2)
    assert isinstance(numeric, gdlib.Gradients)
    for a, b in zip(net.weights + net.biases, before.weights + before.biases):
        np.testing.assert_array_equal(a, b)
    assert [g.shape for g in numeric.biases] == [(2,), (1,)]


def test_relative_difference():
    assert relative_difference([np.zeros(3)], [np.zeros(3)]) == 0.0
    assert relative_difference(np.array([1.0, 2.0]), np.array([1.0, 2.0])) == 0.0
    assert relative_difference(np.array([1.0, 0.0]), np.array([-1.0, 0.0])) == pytest.approx(1.0)
    assert relative_difference(1.0, 1.0 + 1e-9) == pytest.approx(0.5e-9, rel=1e-3)
    g = gdlib.Gradients([np.ones((2, 1))], [np.ones(1)])
    assert relative_difference(g, [np.ones((2, 1)), np.ones(1)]) == 0.0
    with pytest.raises(ValueError, match="same number"):
        relative_difference(g, [np.ones(2)])


def test_compare_gradients_prints_a_verdict(capsys):
    net = Network((3, 2, 1), seed=0)
    rel = compare_gradients(net.gradients([0.1, 0.4, 4.1], 0.2),
                            numerical_gradients(net, [0.1, 0.4, 4.1], 0.2), label="3-2-1")
    out = capsys.readouterr().out
    assert rel < 1e-6 and out.startswith("3-2-1:") and "agree" in out and "DISAGREE" not in out
    compare_gradients([np.array([1.0, 2.0])], [np.array([1.0, 3.0])])
    assert "DISAGREE" in capsys.readouterr().out


@pytest.mark.parametrize("eps, error", [
    (0, ValueError), (0.0, ValueError), (-1e-6, ValueError), (1, ValueError), (2.0, ValueError),
    (np.nan, ValueError), (np.inf, ValueError), ("1e-6", TypeError), (None, TypeError), (True, TypeError),
])
def test_numerical_gradients_needs_a_small_positive_eps(eps, error):
    with pytest.raises(error, match=r"^eps must be a (finite )?number above 0 and below 1 \(e\.g\. 1e-6\)"):
        numerical_gradients(Network((1, 1), seed=0), 0.1, 0.3, eps=eps)


def test_numerical_gradients_with_another_eps_still_agree():
    net = Network((3, 2, 1), seed=0)
    rough = numerical_gradients(net, [0.1, 0.4, 4.1], 0.2, eps=1e-4)
    assert relative_difference(net.gradients([0.1, 0.4, 4.1], 0.2), rough) < 1e-6


def test_numerical_gradients_checks_x_and_target_once(monkeypatch):
    calls = []
    real = gdlib.network.check_samples

    def counting(*args):
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(gdlib.network, "check_samples", counting)
    numerical_gradients(Network((3, 2, 1), seed=0), [0.1, 0.4, 4.1], 0.2)  # 8 weights, 16 errors
    assert len(calls) == 1
