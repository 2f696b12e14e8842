"""``train`` and ``History``: trajectories, engines, simultaneous update, divergence.

The reference implementations below are written the way the series writes its
code (one variable per weight, the chain-rule factors g1..g5, scalar loops), with
its mistakes corrected: g2 is evaluated at the SOP, and every gradient is computed
from the old weights before any weight changes (no aliasing). They use only the
``math`` module, so they share no code with gdlib.
"""

import copy
import math
import re
import warnings

import numpy as np
import pytest

import gdlib
from gdlib import training_compiled
from gdlib.training import History, diagnose

ENGINES = ["numpy", pytest.param("compiled", marks=pytest.mark.skipif(
    not training_compiled.AVAILABLE, reason="numba is not installed"))]


# ---------------------------------------------------------------- the reference
def sig(sop):
    return 1.0 / (1.0 + math.exp(-sop))


def sig_deriv(sop):  # dActiv/dSOP, evaluated at the SOP
    return sig(sop) * (1.0 - sig(sop))


def reference_1_1(x, target, w, learning_rate, iterations):
    """Part 1: one input, one weight."""
    predictions = []
    for _ in range(iterations):
        sop = x * w
        predicted = sig(sop)
        predictions.append(predicted)
        g1 = 2 * (predicted - target)
        g2 = sig_deriv(sop)  # the series had sig_deriv(predicted) here
        g3 = x
        w = w - learning_rate * g1 * g2 * g3
    return predictions, [w]


def reference_2_1(x, target, w1, w2, learning_rate, iterations):
    """Part 2: two inputs, two weights."""
    x1, x2 = x
    predictions = []
    for _ in range(iterations):
        sop = x1 * w1 + x2 * w2
        predicted = sig(sop)
        predictions.append(predicted)
        g1 = 2 * (predicted - target)
        g2 = sig_deriv(sop)
        g3w1 = x1
        g3w2 = x2
        w1, w2 = w1 - learning_rate * g1 * g2 * g3w1, w2 - learning_rate * g1 * g2 * g3w2
    return predictions, [w1, w2]


def reference_3_2_1(x, target, w11, w21, w31, w12, w22, w32, w41, w42, learning_rate, iterations):
    """Part 3: inputs X1..X3, hidden neurons 1 and 2, output weights W41 and W42."""
    x1, x2, x3 = x
    predictions = []
    for _ in range(iterations):
        sop1 = x1 * w11 + x2 * w21 + x3 * w31
        sop2 = x1 * w12 + x2 * w22 + x3 * w32
        activ1 = sig(sop1)
        activ2 = sig(sop2)
        sop3 = activ1 * w41 + activ2 * w42
        predicted = sig(sop3)
        predictions.append(predicted)

        g1 = 2 * (predicted - target)  # dError/dPredicted
        g2 = sig_deriv(sop3)  # dPredicted/dSOP3
        # output weights: g3 = dSOP3/dW4j = Activj
        grad_w41 = g1 * g2 * activ1
        grad_w42 = g1 * g2 * activ2
        # hidden weights: g3 = dSOP3/dActivj = W4j (the old value), g4 = dActivj/dSOPj, g5 = Xz
        g3_1, g3_2 = w41, w42
        g4_1, g4_2 = sig_deriv(sop1), sig_deriv(sop2)
        grad_w11 = g1 * g2 * g3_1 * g4_1 * x1
        grad_w21 = g1 * g2 * g3_1 * g4_1 * x2
        grad_w31 = g1 * g2 * g3_1 * g4_1 * x3
        grad_w12 = g1 * g2 * g3_2 * g4_2 * x1
        grad_w22 = g1 * g2 * g3_2 * g4_2 * x2
        grad_w32 = g1 * g2 * g3_2 * g4_2 * x3

        w11 = w11 - learning_rate * grad_w11
        w21 = w21 - learning_rate * grad_w21
        w31 = w31 - learning_rate * grad_w31
        w12 = w12 - learning_rate * grad_w12
        w22 = w22 - learning_rate * grad_w22
        w32 = w32 - learning_rate * grad_w32
        w41 = w41 - learning_rate * grad_w41
        w42 = w42 - learning_rate * grad_w42
    return predictions, [w11, w21, w31, w12, w22, w32, w41, w42]


def reference_n_2_1(x, target, w_1, w_2, w41, w42, learning_rate, iterations):
    """Part 3's 10-input version: ``w_1[z]`` is W_(z+1)1 and ``w_2[z]`` W_(z+1)2; scalar loops."""
    n = len(x)
    w_1, w_2 = list(w_1), list(w_2)
    predictions = []
    for _ in range(iterations):
        sop1 = 0.0
        sop2 = 0.0
        for z in range(n):
            sop1 += x[z] * w_1[z]
            sop2 += x[z] * w_2[z]
        activ1 = sig(sop1)
        activ2 = sig(sop2)
        sop3 = activ1 * w41 + activ2 * w42
        predicted = sig(sop3)
        predictions.append(predicted)

        g1 = 2 * (predicted - target)
        g2 = sig_deriv(sop3)
        g3_1, g3_2 = w41, w42  # old output weights, read before any update
        g4_1, g4_2 = sig_deriv(sop1), sig_deriv(sop2)
        new_w_1 = []
        new_w_2 = []
        for z in range(n):
            g5 = x[z]
            new_w_1.append(w_1[z] - learning_rate * g1 * g2 * g3_1 * g4_1 * g5)
            new_w_2.append(w_2[z] - learning_rate * g1 * g2 * g3_2 * g4_2 * g5)
        w41 = w41 - learning_rate * g1 * g2 * activ1
        w42 = w42 - learning_rate * g1 * g2 * activ2
        w_1, w_2 = new_w_1, new_w_2
    return predictions, w_1 + w_2 + [w41, w42]


def run_reference(sizes, net, x, target, learning_rate, iterations):
    """The reference for one of the series' examples, from ``net``'s weights (W_zy = weights[l][z, y])."""
    W = net.weights
    if sizes == (1, 1):
        return reference_1_1(x, target, W[0][0, 0], learning_rate, iterations)
    if sizes == (2, 1):
        return reference_2_1(x, target, W[0][0, 0], W[0][1, 0], learning_rate, iterations)
    if sizes == (3, 2, 1):
        return reference_3_2_1(
            x, target,
            W[0][0, 0], W[0][1, 0], W[0][2, 0],  # W11, W21, W31
            W[0][0, 1], W[0][1, 1], W[0][2, 1],  # W12, W22, W32
            W[1][0, 0], W[1][1, 0],  # W41, W42
            learning_rate, iterations)
    return reference_n_2_1(x, target, list(W[0][:, 0]), list(W[0][:, 1]), W[1][0, 0], W[1][1, 0],
                           learning_rate, iterations)


def flat_weights(sizes, network):
    """The trained weights in the reference's order."""
    W = network.weights
    if len(sizes) == 2:
        return list(W[0][:, 0])
    return list(W[0][:, 0]) + list(W[0][:, 1]) + [W[1][0, 0], W[1][1, 0]]


X10 = [0.1, 0.4, 4.1, 4.3, 1.8, 2.0, 0.01, 0.9, 3.8, 1.6]
SERIES = {  # sizes: (x, target, the series' learning rates + one larger rate)
    (1, 1): (0.1, 0.3, [0.01, 0.5, 20.0]),
    (2, 1): ([0.1, 0.4], 0.3, [0.1, 5.0]),
    (3, 2, 1): ([0.1, 0.4, 4.1], 0.2, [0.001, 0.5]),
    (10, 2, 1): (X10, 0.2, [0.001, 0.3]),
}
SERIES_CASES = [(sizes, lr) for sizes, (_, _, rates) in SERIES.items() for lr in rates]


def case_id(case):
    sizes, lr = case
    return "-".join(map(str, sizes)) + f"_lr{lr:g}"


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("case", SERIES_CASES, ids=case_id)
@pytest.mark.parametrize("seed", [0, 7])
def test_trajectory_matches_series_style_reference(case, engine, seed):
    sizes, learning_rate = case
    x, target, _ = SERIES[sizes]
    net = gdlib.Network(sizes, seed=seed)
    iterations = 1000
    ref_predictions, ref_weights = run_reference(sizes, net, x, target, learning_rate, iterations)

    history = gdlib.train(net, x, target, learning_rate=learning_rate, iterations=iterations, engine=engine)

    assert history.predictions.shape == (iterations, 1)
    np.testing.assert_allclose(history.predictions[:, 0], ref_predictions, rtol=0, atol=1e-12)
    np.testing.assert_allclose(history.errors, (np.array(ref_predictions) - target) ** 2, rtol=0, atol=1e-12)
    np.testing.assert_allclose(flat_weights(sizes, history.network), ref_weights, rtol=1e-12, atol=1e-12)
    # the run really went somewhere (a frozen run would match trivially)
    assert abs(ref_predictions[-1] - ref_predictions[0]) > 1e-3


def test_reference_catches_the_series_mistakes():
    """Sanity check of the test itself: the series' g2 and its aliasing give other numbers."""
    net = gdlib.Network((3, 2, 1), seed=0)
    x, target, _ = SERIES[(3, 2, 1)]
    good, _ = run_reference((3, 2, 1), net, x, target, 0.5, 50)
    history = gdlib.train(net, x, target, learning_rate=0.5, iterations=50, engine="numpy")
    np.testing.assert_allclose(history.predictions[:, 0], good, rtol=0, atol=1e-12)

    # Part 1's mistake: g2 evaluated at the prediction
    w, lr = net.weights[0][0, 0], 0.5
    wrong_w = w - lr * 2 * (sig(0.1 * w) - 0.3) * sig_deriv(sig(0.1 * w)) * 0.1
    right = gdlib.train(gdlib.Network((1, 1), weights=[[[w]]]), 0.1, 0.3, learning_rate=lr, iterations=1)
    assert abs(right.network.weights[0][0, 0] - wrong_w) > 1e-6


# ------------------------------------------------------- compiled engine == numpy
def _random_biases(sizes, seed):
    rng = np.random.default_rng(seed)
    return [rng.uniform(-1, 1, n) for n in sizes[1:]]


def _batch(n, m, seed, scale=1.0):
    return np.random.default_rng(seed).normal(0, scale, (m, n))


ENGINE_CASES = {
    "1-1": (gdlib.Network((1, 1), seed=0), 0.1, 0.3, 0.5, 1000),
    "2-1": (gdlib.Network((2, 1), seed=0), [0.1, 0.4], 0.3, 0.1, 1000),
    "3-2-1": (gdlib.Network((3, 2, 1), seed=0), [0.1, 0.4, 4.1], 0.2, 0.001, 1000),
    "10-2-1": (gdlib.Network((10, 2, 1), seed=3), X10, 0.2, 0.001, 1000),
    "3-2-1 zero bias": (gdlib.Network((3, 2, 1), seed=1, bias=True), [0.1, 0.4, 4.1], 0.2, 0.1, 1000),
    "3-2-1 bias": (gdlib.Network((3, 2, 1), seed=1, biases=_random_biases((3, 2, 1), 1)),
                   [0.1, 0.4, 4.1], 0.2, 0.1, 1000),
    "2-3-1 batch": (gdlib.Network((2, 3, 1), seed=2), _batch(2, 6, 2), np.linspace(0.1, 0.9, 6), 0.5, 1000),
    "2-3-1 batch, target (m, 1)": (gdlib.Network((2, 3, 1), seed=2), _batch(2, 6, 2),
                                   np.linspace(0.1, 0.9, 6)[:, None], 0.5, 1000),
    "2-4-3 batch bias": (gdlib.Network((2, 4, 3), seed=4, biases=_random_biases((2, 4, 3), 4)),
                         _batch(2, 5, 4), np.random.default_rng(4).uniform(0, 1, (5, 3)), 0.8, 1000),
    "2-8-8-1 deep bias": (gdlib.Network((2, 8, 8, 1), seed=5, biases=_random_biases((2, 8, 8, 1), 5)),
                          _batch(2, 20, 5), np.random.default_rng(5).uniform(0, 1, 20), 0.5, 1000),
    "4-5-4-3-2 deep": (gdlib.Network((4, 5, 4, 3, 2), seed=6), _batch(4, 3, 6),
                       [[0.1, 0.9], [0.5, 0.5], [0.8, 0.2]], 1.0, 1000),
    "5-3-1 single bias": (gdlib.Network((5, 3, 1), seed=8, biases=_random_biases((5, 3, 1), 8)),
                          [0.3, -1.2, 2.0, 0.0, 0.7], [0.6], 2.0, 1000),
}


@pytest.mark.skipif(not training_compiled.AVAILABLE, reason="numba is not installed")
@pytest.mark.parametrize("name", list(ENGINE_CASES))
def test_compiled_engine_agrees_with_numpy(name):
    net, x, target, learning_rate, iterations = ENGINE_CASES[name]
    slow = gdlib.train(net, x, target, learning_rate=learning_rate, iterations=iterations, engine="numpy")
    fast = gdlib.train(net, x, target, learning_rate=learning_rate, iterations=iterations, engine="compiled")
    assert fast.predictions.shape == slow.predictions.shape
    np.testing.assert_allclose(fast.predictions, slow.predictions, rtol=0, atol=1e-12)
    np.testing.assert_allclose(fast.errors, slow.errors, rtol=0, atol=1e-12)
    for a, b in zip(fast.network.weights + fast.network.biases, slow.network.weights + slow.network.biases):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
    assert fast.network.bias == slow.network.bias == net.bias
    assert (fast.diverged, fast.message) == (slow.diverged, slow.message)
    assert abs(slow.errors[-1] - slow.errors[0]) > 1e-4  # the run moved


@pytest.fixture
def compiled_calls(monkeypatch):
    """Counts the calls of ``train_compiled`` (the compiled engine) while still running it."""
    calls = []
    real = training_compiled.train_compiled

    def spy(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(training_compiled, "train_compiled", spy)
    return calls


def test_auto_engine_prefers_the_compiled_one(compiled_calls):
    gdlib.train(gdlib.Network((1, 1), seed=0), 0.1, 0.3, learning_rate=0.1, iterations=3)
    assert len(compiled_calls) == (1 if training_compiled.AVAILABLE else 0)
    gdlib.train(gdlib.Network((1, 1), seed=0), 0.1, 0.3, learning_rate=0.1, iterations=3, engine="numpy")
    assert len(compiled_calls) == (1 if training_compiled.AVAILABLE else 0)


# ------------------------------------------------------------ History semantics
@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("bias", [False, True])
def test_train_leaves_its_input_network_unchanged(engine, bias):
    net = gdlib.Network((3, 2, 1), seed=0, biases=_random_biases((3, 2, 1), 0) if bias else None)
    before = copy.deepcopy(net)
    history = gdlib.train(net, [0.1, 0.4, 4.1], 0.2, learning_rate=0.5, iterations=200, engine=engine)
    assert net.sizes == before.sizes and net.bias == before.bias
    assert len(net.weights) == len(before.weights) and len(net.biases) == len(before.biases)
    for now, then in zip(net.weights + net.biases, before.weights + before.biases):
        np.testing.assert_array_equal(now, then)
    # the trained network is a new object, sharing no arrays with the input
    for a in history.network.weights + history.network.biases:
        assert not any(np.shares_memory(a, b) for b in net.weights + net.biases)


@pytest.mark.parametrize("engine", ENGINES)
def test_same_seed_same_run_different_seed_different_run(engine):
    def run(seed):
        net = gdlib.Network((3, 2, 1), seed=seed)
        return gdlib.train(net, [0.1, 0.4, 4.1], 0.2, learning_rate=0.01, iterations=300, engine=engine)

    a, b, c = run(11), run(11), run(12)
    np.testing.assert_array_equal(a.predictions, b.predictions)
    np.testing.assert_array_equal(a.errors, b.errors)
    for wa, wb in zip(a.network.weights, b.network.weights):
        np.testing.assert_array_equal(wa, wb)
    assert np.max(np.abs(a.predictions - c.predictions)) > 1e-3


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("batch", [False, True], ids=["one sample", "batch"])
def test_history_records_before_each_update(engine, batch):
    net = gdlib.Network((3, 4, 2), seed=2, biases=_random_biases((3, 4, 2), 2))
    if batch:
        x, target = _batch(3, 5, 9), np.random.default_rng(9).uniform(0, 1, (5, 2))
    else:
        x, target = [0.1, 0.4, 4.1], [0.2, 0.7]
    n, lr = 40, 0.7
    history = gdlib.train(net, x, target, learning_rate=lr, iterations=n, engine=engine)

    assert isinstance(history, History)
    assert history.iterations == n == len(history.predictions) == len(history.errors)
    assert history.predictions.shape == (n,) + net.predict(x).shape
    assert history.learning_rate == lr
    np.testing.assert_array_equal(history.target, np.asarray(target))
    # k = 0: the prediction of the untouched start network
    np.testing.assert_allclose(history.predictions[0], net.predict(x), rtol=0, atol=1e-15)
    assert history.errors[0] == pytest.approx(net.error(x, target), rel=1e-14)
    # the last entry: the network after n - 1 updates, recomputed by a separate, shorter run
    shorter = gdlib.train(net, x, target, learning_rate=lr, iterations=n - 1, engine=engine)
    np.testing.assert_allclose(history.predictions[-1], shorter.network.predict(x), rtol=0, atol=1e-13)
    assert history.errors[-1] == pytest.approx(shorter.network.error(x, target), rel=1e-12)
    np.testing.assert_allclose(shorter.predictions, history.predictions[:-1], rtol=0, atol=0)
    # ... and by hand: n - 1 steps of gradients + update_w
    manual = net.copy()
    for _ in range(n - 1):
        g = manual.gradients(x, target)
        manual = gdlib.Network(manual.sizes,
                               weights=[gdlib.update_w(w, d, lr) for w, d in zip(manual.weights, g.weights)],
                               biases=[gdlib.update_w(b, d, lr) for b, d in zip(manual.biases, g.biases)])
    np.testing.assert_allclose(history.predictions[-1], manual.predict(x), rtol=0, atol=1e-13)
    # the trained network is one update further, and has moved
    assert not np.allclose(history.network.predict(x), net.predict(x), rtol=0, atol=1e-6)
    assert history.network.error(x, target) < history.errors[0]
    assert not history.diverged and history.message == ""
    assert history.final_error == history.errors[-1]
    assert f"{n} iterations" in repr(history)


def test_history_of_one_sample_matches_predict_shape():
    net = gdlib.Network((1, 1), seed=0)
    history = gdlib.train(net, 0.1, 0.3, learning_rate=0.5, iterations=5, engine="numpy")
    assert net.predict(0.1).shape == (1,)
    assert history.predictions.shape == (5, 1)
    assert history.target.shape == (1,)
    history = gdlib.train(gdlib.Network((2, 3), seed=0), [0.1, 0.2], [0.3, 0.4, 0.5],
                          learning_rate=0.5, iterations=5, engine="numpy")
    assert history.predictions.shape == (5, 3)


@pytest.mark.parametrize("engine", ENGINES)
def test_batch_means_full_batch_gradient_descent(engine):
    net = gdlib.Network((2, 2, 1), seed=3)
    x = np.array([[0.1, 0.4], [1.0, -0.5], [2.0, 0.3]])
    target = np.array([0.2, 0.8, 0.5])
    history = gdlib.train(net, x, target, learning_rate=1.0, iterations=1, engine=engine)
    # the mean of the per-sample gradients, one update
    per_sample = [net.gradients(xi, ti) for xi, ti in zip(x, target)]
    for l, w in enumerate(net.weights):
        mean_grad = np.mean([g.weights[l] for g in per_sample], axis=0)
        np.testing.assert_allclose(history.network.weights[l], w - 1.0 * mean_grad, rtol=0, atol=1e-15)
    assert history.predictions.shape == (1, 3, 1)
    assert history.errors[0] == pytest.approx(np.mean([(net.predict(xi)[0] - ti) ** 2
                                                      for xi, ti in zip(x, target)]), rel=1e-14)


# ----------------------------------------------- simultaneous update, by hand
def two_steps_by_hand(x1, x2, target, w, lr, aliasing=False):
    """Two iterations on a 2-2-1 net; ``w`` = [w11, w21, w12, w22, w31, w32] (W31, W32 to the output).

    With ``aliasing=True`` the hidden gradients use the output weights already
    updated in this iteration: the series' 10-input mistake.
    """
    w11, w21, w12, w22, w31, w32 = w
    predictions = []
    for _ in range(2):
        sop1 = x1 * w11 + x2 * w21
        sop2 = x1 * w12 + x2 * w22
        a1, a2 = sig(sop1), sig(sop2)
        sop3 = a1 * w31 + a2 * w32
        predicted = sig(sop3)
        predictions.append(predicted)
        g1, g2 = 2 * (predicted - target), sig_deriv(sop3)
        new_w31 = w31 - lr * g1 * g2 * a1
        new_w32 = w32 - lr * g1 * g2 * a2
        g3_1, g3_2 = (new_w31, new_w32) if aliasing else (w31, w32)
        g4_1, g4_2 = sig_deriv(sop1), sig_deriv(sop2)
        w11 = w11 - lr * g1 * g2 * g3_1 * g4_1 * x1
        w21 = w21 - lr * g1 * g2 * g3_1 * g4_1 * x2
        w12 = w12 - lr * g1 * g2 * g3_2 * g4_2 * x1
        w22 = w22 - lr * g1 * g2 * g3_2 * g4_2 * x2
        w31, w32 = new_w31, new_w32
    return predictions, [w11, w21, w12, w22, w31, w32]


@pytest.mark.parametrize("engine", ENGINES)
def test_simultaneous_update_two_steps_by_hand(engine):
    w11, w21, w12, w22, w31, w32 = 0.5, -0.3, 0.8, 0.2, 1.5, -2.0
    net = gdlib.Network((2, 2, 1), weights=[[[w11, w12], [w21, w22]], [[w31], [w32]]])
    x1, x2, target, lr = 1.0, 2.0, 0.9, 3.0
    predictions, weights = two_steps_by_hand(x1, x2, target, [w11, w21, w12, w22, w31, w32], lr)
    history = gdlib.train(net, [x1, x2], target, learning_rate=lr, iterations=2, engine=engine)
    W = history.network.weights
    got = [W[0][0, 0], W[0][1, 0], W[0][0, 1], W[0][1, 1], W[1][0, 0], W[1][1, 0]]
    np.testing.assert_allclose(history.predictions[:, 0], predictions, rtol=0, atol=1e-15)
    np.testing.assert_allclose(got, weights, rtol=0, atol=1e-14)
    # a sequential (aliased) update would give visibly different weights
    _, aliased = two_steps_by_hand(x1, x2, target, [w11, w21, w12, w22, w31, w32], lr, aliasing=True)
    assert np.max(np.abs(np.array(aliased) - weights)) > 1e-3


# ------------------------------------------------------- divergence, overflow
def _no_warnings(function):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="warn"):  # numpy's default; train must silence its own overflows
            return function()


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("bias", [False, True])
def test_overflowing_run_finishes_quietly_and_says_so(engine, bias):
    net = gdlib.Network((2, 2, 1), seed=1, bias=bias)
    x, target = [[1e3, -1e3], [0.5, 0.2]], [0.9, 0.1]
    history = _no_warnings(lambda: gdlib.train(net, x, target, learning_rate=1.7e308, iterations=50,
                                               engine=engine))
    assert len(history.errors) == 50 and history.predictions.shape == (50, 2, 1)
    assert not np.isfinite(history.errors).all()
    assert history.diverged
    assert "overflow" in history.message and "learning rate" in history.message.lower()
    assert history.network is None  # no finite network to return
    assert f"{history.message}" in repr(history)


DIVERGING_CASES = {  # name: (sizes, seed, x, target, learning_rate)
    "1-1 lr 1e10": ((1, 1), 0, 0.1, 0.3, 1e10),
    "1-1 lr 1e300": ((1, 1), 0, 0.1, 0.3, 1e300),
    "2-1 x +-100 lr 1e300": ((2, 1), 1, [100.0, -100.0], 0.3, 1e300),
    "1-1 x 2 lr 10": ((1, 1), 0, 2.0, 0.7, 10.0),
    "2-2-1 x 1e3 lr 1e10": ((2, 2, 1), 1, [[1e3, -1e3], [0.5, 0.2]], [0.9, 0.1], 1e10),
}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", list(DIVERGING_CASES))
def test_diverging_run_finishes_quietly_and_says_so(engine, name):
    sizes, seed, x, target, lr = DIVERGING_CASES[name]
    net = gdlib.Network(sizes, seed=seed)
    history = _no_warnings(
        lambda: gdlib.train(net, x, target, learning_rate=lr, iterations=100, engine=engine))
    assert len(history.errors) == 100
    assert history.diverged
    assert history.message.startswith("Diverged")
    assert history.errors[-1] > history.errors[0] or not np.isfinite(history.errors).all()


HUGE_CASES = {  # name: (sizes, x, target, learning_rate): huge numbers, saturated neurons
    "x 1e200": ((3, 2, 1), [1e200, 1e200, 1e200], 0.2, 0.1),
    "x -1e300": ((3, 2, 1), [-1e300, 1e300, -1e300], 0.2, 0.1),
    "x 1e300 lr 1e300": ((3, 2, 1), [1e300, -1e300, 1e300], 0.9, 1e300),
    "batch 1e300 lr 1e300": ((3, 2, 1), [[-1e300, 1e300, 1e300], [1e-3, 1, 2]], [0.9, 0.1], 1e300),
    "lr 1e3": ((3, 2, 1), [0.1, 0.4, 4.1], 0.2, 1e3),
    "lr 1.7e308": ((3, 2, 1), [0.1, 0.4, 4.1], 0.2, 1.7e308),
}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("bias", [False, True])
@pytest.mark.parametrize("name", list(HUGE_CASES))
def test_huge_numbers_give_no_warning_and_an_honest_history(engine, bias, name):
    sizes, x, target, lr = HUGE_CASES[name]
    net = gdlib.Network(sizes, seed=0, bias=bias)
    history = _no_warnings(
        lambda: gdlib.train(net, x, target, learning_rate=lr, iterations=200, engine=engine))
    assert len(history.errors) == 200
    finite = np.isfinite(history.errors).all()
    assert history.diverged == (not finite or history.errors[-1] > history.errors[0])
    if not finite:
        assert "overflow" in history.message
    elif history.diverged:
        assert history.message.startswith("Diverged")
    if history.network is not None:
        _no_warnings(lambda: history.network.predict(x))


def test_a_run_frozen_at_saturation_says_stuck():
    # lr 1e3 on the 3-2-1 example: one step drives both hidden neurons to 0 and nothing moves again
    history = gdlib.train(gdlib.Network((3, 2, 1), seed=0), [0.1, 0.4, 4.1], 0.2,
                          learning_rate=1e3, iterations=20, engine="numpy")
    assert history.errors[1] == history.errors[-1] > 1e-3 * history.errors[0]
    assert not history.diverged
    assert history.message.startswith("Stuck")


def test_a_calm_run_has_no_message():
    history = gdlib.train(gdlib.Network((3, 2, 1), seed=0), [0.1, 0.4, 4.1], 0.2,
                          learning_rate=0.001, iterations=2000)
    assert not history.diverged and history.message == ""
    assert np.all(np.diff(history.errors) < 0)
    for iterations in (1, 2, 3):  # short slider runs are not called stuck
        short = gdlib.train(gdlib.Network((3, 2, 1), seed=0), [0.1, 0.4, 4.1], 0.2,
                            learning_rate=0.001, iterations=iterations)
        assert short.message == ""


def test_overshooting_is_reported_without_diverging():
    # 2-1 at learning rate 5: the error zigzags on its way down
    history = gdlib.train(gdlib.Network((2, 1), seed=0), [1.0, 2.0], 0.3, learning_rate=5.0, iterations=200)
    assert history.errors[-1] < 0.1 * history.errors[0]
    assert np.sum(np.diff(history.errors) > 0) > 10
    assert not history.diverged
    assert history.message.startswith("Overshooting")


# ----------------------------------------------------------------- bad input
def test_train_rejects_what_is_not_a_network_or_engine():
    net = gdlib.Network((1, 1), seed=0)
    with pytest.raises(TypeError, match="net must be a gdlib.Network"):
        gdlib.train([[0.5]], 0.1, 0.3, learning_rate=0.1, iterations=10)
    with pytest.raises(ValueError, match="engine"):
        gdlib.train(net, 0.1, 0.3, learning_rate=0.1, iterations=10, engine="fast")


def test_compiled_engine_without_numba_says_what_to_do(monkeypatch, compiled_calls):
    monkeypatch.setattr(training_compiled, "AVAILABLE", False)
    net = gdlib.Network((1, 1), seed=0)
    with pytest.raises(RuntimeError, match="numba"):
        gdlib.train(net, 0.1, 0.3, learning_rate=0.1, iterations=10, engine="compiled")
    history = gdlib.train(net, 0.1, 0.3, learning_rate=0.1, iterations=10)
    assert compiled_calls == [] and history.iterations == 10


# ------------------------------------------------- the course's examples, both engines
XOR_X, XOR_T = gdlib.xor_data()
MOONS_X, MOONS_T = gdlib.two_moons(60, seed=1)
COURSE = {  # name: (make the start network, x, target, learning rate, iterations), as the notebooks run them
    "01: 1-1": (lambda: gdlib.Network((1, 1), seed=0), 0.1, 0.3, 0.5, 2000),
    "02: 2-1": (lambda: gdlib.Network((2, 1), seed=0), [0.1, 0.4], 0.3, 0.1, 2000),
    "03: 3-2-1": (lambda: gdlib.Network((3, 2, 1), seed=0), [0.1, 0.4, 4.1], 0.2, 0.001, 2000),
    "03: 3-2-1 fast": (lambda: gdlib.Network((3, 2, 1), seed=0), [0.1, 0.4, 4.1], 0.2, 0.5, 2000),
    "03: 10-2-1": (lambda: gdlib.Network((10, 2, 1), seed=0), X10, 0.2, 0.001, 2000),
    "04: 3-5-1": (lambda: gdlib.Network((3, 5, 1), seed=0), [0.1, 0.4, 4.1], 0.2, 0.001, 2000),
    "05: XOR 2-2-1": (lambda: gdlib.Network((2, 2, 1), seed=0, bias=True), XOR_X, XOR_T, 1.0, 2000),
    "05: XOR 2-3-1": (lambda: gdlib.Network((2, 3, 1), seed=0, bias=True), XOR_X, XOR_T, 3.0, 2000),
    "05: moons 2-8-8-1": (lambda: gdlib.Network((2, 8, 8, 1), seed=0, bias=True), MOONS_X, MOONS_T, 2.0, 300),
}


@pytest.mark.skipif(not training_compiled.AVAILABLE, reason="numba is not installed")
@pytest.mark.parametrize("name", list(COURSE))
def test_the_engines_agree_to_rounding_on_the_course_examples(name):
    make, x, target, learning_rate, iterations = COURSE[name]
    slow = gdlib.train(make(), x, target, learning_rate=learning_rate, iterations=iterations, engine="numpy")
    fast = gdlib.train(make(), x, target, learning_rate=learning_rate, iterations=iterations,
                       engine="compiled")
    np.testing.assert_allclose(fast.predictions, slow.predictions, rtol=0, atol=1e-12)
    np.testing.assert_allclose(fast.errors, slow.errors, rtol=0, atol=1e-12)
    assert fast.message == slow.message


@pytest.mark.skipif(not training_compiled.AVAILABLE, reason="numba is not installed")
def test_a_chaotic_run_agrees_at_first():
    """XOR 2-2-1 at learning rate 50 is chaotic: the engines add the same numbers in another
    order, and the last-bit differences grow step after step until, after about 70
    iterations here, the two trajectories part (as documented in ``train``). The first
    steps still agree to rounding."""
    make, x, target = COURSE["05: XOR 2-2-1"][:3]
    slow = gdlib.train(make(), x, target, learning_rate=50.0, iterations=40, engine="numpy")
    fast = gdlib.train(make(), x, target, learning_rate=50.0, iterations=40, engine="compiled")
    np.testing.assert_allclose(fast.predictions, slow.predictions, rtol=0, atol=1e-12)
    assert np.ptp(slow.errors) > 0.05  # and the run moves a lot


# ---------------------------------------------------- the compiled engine, in chunks
@pytest.mark.skipif(not training_compiled.AVAILABLE, reason="numba is not installed")
@pytest.mark.parametrize("name", ["3-2-1 bias", "2-4-3 batch bias", "2-8-8-1 deep bias", "4-5-4-3-2 deep"])
def test_any_chunking_gives_the_same_run_bit_for_bit(name):
    net, x, target, learning_rate, iterations = ENGINE_CASES[name]
    x2, t2, _ = net._samples(x, target)
    weights, biases = net.weights, net.biases

    def run(chunk):
        return training_compiled.train_compiled(net.sizes, weights, biases, x2, t2, learning_rate,
                                                iterations, chunk=chunk)

    whole = run(iterations)
    for chunk in (1, 7, 333, None):
        parts = run(chunk)
        np.testing.assert_array_equal(parts[0], whole[0])  # predictions
        np.testing.assert_array_equal(parts[1], whole[1])  # errors
        for a, b in zip(parts[2] + parts[3], whole[2] + whole[3]):  # weights, biases
            np.testing.assert_array_equal(a, b)


@pytest.mark.skipif(not training_compiled.AVAILABLE, reason="numba is not installed")
def test_long_runs_are_split_by_work_per_iteration(monkeypatch):
    calls = []
    real = training_compiled._train_loop

    def counting(*args):
        calls.append(args[7])  # iterations of this call
        return real(*args)

    monkeypatch.setattr(training_compiled, "_train_loop", counting)
    monkeypatch.setattr(training_compiled, "CHUNK_WORK", 800)
    net = gdlib.Network((3, 2, 1), seed=0, bias=True)  # 11 parameters
    x = [[0.1, 0.4, 4.1], [1.0, 0.5, 0.2]]  # 2 samples: 22 units of work per iteration
    history = gdlib.train(net, x, [0.2, 0.7], learning_rate=0.1, iterations=1000, engine="compiled")
    assert calls == [800 // 22] * (1000 // 36) + [1000 % 36]
    plain = gdlib.train(net, x, [0.2, 0.7], learning_rate=0.1, iterations=1000, engine="numpy")
    np.testing.assert_allclose(history.errors, plain.errors, rtol=0, atol=1e-12)


@pytest.mark.skipif(not training_compiled.AVAILABLE, reason="numba is not installed")
def test_ctrl_c_in_the_compiled_engine_says_where_it_stopped(monkeypatch):
    real = training_compiled._train_loop
    calls = []

    def interrupted_on_the_third_call(*args):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(training_compiled, "_train_loop", interrupted_on_the_third_call)
    monkeypatch.setattr(training_compiled, "CHUNK_WORK", 80)  # 10 iterations per call on 3-2-1
    with pytest.raises(KeyboardInterrupt, match=r"^train stopped at iteration 20 of 1,000\.$"):
        gdlib.train(gdlib.Network((3, 2, 1), seed=0), [0.1, 0.4, 4.1], 0.2, learning_rate=0.1,
                    iterations=1000, engine="compiled")


def test_ctrl_c_in_the_numpy_engine_says_where_it_stopped(monkeypatch):
    real = gdlib.training.backprop
    calls = []

    def interrupted_at_iteration_5(*args):
        calls.append(1)
        if len(calls) == 6:
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(gdlib.training, "backprop", interrupted_at_iteration_5)
    with pytest.raises(KeyboardInterrupt, match=r"^train stopped at iteration 5 of 100\.$"):
        gdlib.train(gdlib.Network((3, 2, 1), seed=0), [0.1, 0.4, 4.1], 0.2, learning_rate=0.1,
                    iterations=100, engine="numpy")


# ------------------------------------------------------------------ memory budget
@pytest.mark.parametrize("engine", ENGINES)
def test_a_run_beyond_the_history_budget_is_refused_before_it_starts(monkeypatch, engine):
    per_iteration = (3 * 1 + 1) * 8  # 3 samples x 1 output, and one error, 8 bytes each
    monkeypatch.setattr(gdlib.training, "HISTORY_BUDGET_BYTES", 100 * per_iteration)
    net, x, target = gdlib.Network((2, 1), seed=0), [[0.1, 0.4], [1.0, 2.0], [0.3, 0.3]], [0.2, 0.5, 0.9]
    assert gdlib.train(net, x, target, learning_rate=0.1, iterations=100, engine=engine).iterations == 100
    with pytest.raises(ValueError, match=r"^iterations=101 would record .* GiB of history .*use at most 100 "
                                         r"iterations here, or fewer samples\.$"):
        gdlib.train(net, x, target, learning_rate=0.1, iterations=101, engine=engine)
    assert gdlib.training.HISTORY_BUDGET_BYTES == 100 * per_iteration


def test_the_budget_is_one_gibibyte():
    assert gdlib.training.HISTORY_BUDGET_BYTES == 2**30


# ------------------------------------------------------- each input checked once
def _count_calls(monkeypatch, module, name):
    calls = []
    real = getattr(module, name)

    def counting(*args, **kwargs):
        calls.append(name)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counting)
    return calls


@pytest.mark.parametrize("engine", ENGINES)
def test_train_checks_the_network_and_the_samples_once(monkeypatch, engine):
    parameters = _count_calls(monkeypatch, gdlib.training, "check_parameters")
    samples = _count_calls(monkeypatch, gdlib.network, "check_samples")
    gdlib.train(gdlib.Network((3, 2, 1), seed=0), [0.1, 0.4, 4.1], 0.2, learning_rate=0.1, iterations=50,
                engine=engine)
    assert (len(parameters), len(samples)) == (1, 1)


# ------------------------------------------------------------ History.from_arrays
def test_history_has_the_contract_fields():
    names = [f.name for f in __import__("dataclasses").fields(History)]
    assert names == ["predictions", "errors", "target", "learning_rate", "network", "diverged", "message",
                     "batch_errors", "parameters", "momentum", "batch_size", "loss"]


def test_a_run_by_hand_becomes_a_history_diagnosed_like_train():
    w0 = gdlib.Network((1, 1), seed=0).weights[0][0, 0]
    predictions, _ = reference_1_1(0.1, 0.3, w0, 0.5, 300)
    errors = (np.array(predictions) - 0.3) ** 2
    by_hand = History.from_arrays(predictions, errors, 0.3, learning_rate=0.5)
    trained = gdlib.train(gdlib.Network((1, 1), seed=0), 0.1, 0.3, learning_rate=0.5, iterations=300)
    assert by_hand.predictions.shape == trained.predictions.shape == (300, 1)
    assert by_hand.target.shape == trained.target.shape == (1,)
    np.testing.assert_allclose(by_hand.predictions, trained.predictions, rtol=0, atol=1e-12)
    assert (by_hand.diverged, by_hand.message) == (trained.diverged, trained.message)
    assert by_hand.learning_rate == 0.5 and by_hand.network is None
    assert by_hand.iterations == 300 and by_hand.final_error == errors[-1]
    assert "300 iterations, learning_rate=0.5" in repr(by_hand)
    assert "by hand" in repr(History.from_arrays(predictions, errors, 0.3))


def test_a_hand_made_run_that_overflowed_is_diagnosed():
    errors = np.array([0.2, 0.5, np.inf, np.nan])
    history = History.from_arrays([0.5, 0.9, np.nan, np.nan], errors, [0.3], learning_rate=1e300)
    assert history.diverged and history.message.startswith("Diverged: the numbers overflowed at iteration 2")


def test_from_arrays_takes_batches_and_several_outputs():
    k = 20
    batch = History.from_arrays(np.full((k, 4, 1), 0.5), np.full(k, 0.25), [0.0, 1.0, 1.0, 0.0])
    assert batch.predictions.shape == (k, 4, 1) and batch.target.shape == (4, 1)
    outputs = History.from_arrays(np.full((k, 3), 0.5), np.linspace(0.3, 0.1, k), [0.2, 0.4, 0.6])
    assert outputs.target.shape == (3,) and outputs.message == ""


@pytest.mark.parametrize("arguments, error, pattern", [
    ((np.zeros(5), np.zeros(4), 0.3), ValueError, r"^predictions must hold one prediction per iteration like "
                                                     r"errors, shape \(4,\)"),
    ((np.zeros((4, 2)), np.zeros(4), 0.3), ValueError,
     r"^target must be shaped like one prediction, \(2,\) here"),
    ((np.zeros((4, 3, 1)), np.zeros(4), [0.1, 0.2]), ValueError,
     r"^target must be shaped like one prediction"),
    ((np.zeros(4), np.zeros((4, 1)), 0.3), ValueError, r"^errors must hold one error per iteration"),
    ((np.zeros(0), np.zeros(0), 0.3), ValueError, r"^errors must hold one error per iteration"),
    ((np.zeros(4), "0.1", 0.3), TypeError, r"^errors must be a number .*not text"),
    ((np.zeros(4), np.zeros(4), None), TypeError, r"^target is None"),
    ((np.zeros(4), np.zeros(4), np.nan), ValueError, r"^target contains NaN"),
    ((np.zeros((4, 1, 1, 1)), np.zeros(4), 0.3), ValueError, r"^predictions must hold one prediction"),
])
def test_from_arrays_refuses_shapes_that_disagree_in_one_sentence(arguments, error, pattern):
    with pytest.raises(error, match=pattern) as caught:
        History.from_arrays(*arguments)
    assert "\n" not in str(caught.value) and str(caught.value).endswith((".", "?"))


def test_from_arrays_checks_its_keywords():
    with pytest.raises(ValueError, match="learning_rate"):
        History.from_arrays(np.zeros(3), np.zeros(3), 0.3, learning_rate=0)
    with pytest.raises(TypeError, match="net must be a gdlib.Network"):
        History.from_arrays(np.zeros(3), np.zeros(3), 0.3, network="trained")


# ---------------------------------------------------------------- the messages
def _run(sizes, x, target, learning_rate, iterations=1000, **network):
    return gdlib.train(gdlib.Network(sizes, **network), x, target, learning_rate=learning_rate,
                       iterations=iterations)


STUCK = {  # name: (sizes, x, target, learning rate): runs thrown into saturation by a step too long
    "3-2-1 lr 112, output frozen at 0.5": ((3, 2, 1), [0.1, 0.4, 4.1], 0.2, 112.0),
    "3-2-1 lr 562, no rise, output frozen at 0.5": ((3, 2, 1), [0.1, 0.4, 4.1], 0.2, 562.0),
    "10-2-1 lr 100, no rise, output thrown to 0": ((10, 2, 1), X10, 0.2, 100.0),
    "3-5-1 lr 100": ((3, 5, 1), [0.1, 0.4, 4.1], 0.2, 100.0),
}


@pytest.mark.parametrize("name", list(STUCK))
def test_stuck_says_lower_the_learning_rate_only_where_that_helps(name):
    sizes, x, target, learning_rate = STUCK[name]
    stuck = _run(sizes, x, target, learning_rate, seed=0)
    assert stuck.message.startswith("Stuck: a step too long threw the neurons into saturation")
    assert stuck.message.endswith("Lower the learning rate.") and not stuck.diverged
    assert f"stopped at {stuck.final_error:.3g}" in stuck.message
    lower = _run(sizes, x, target, learning_rate / 100, seed=0)  # the advice, followed
    assert lower.final_error < 1e-6 * stuck.final_error


def test_a_jump_into_saturation_that_ends_higher_is_diverged_and_says_why():
    run = _run((2, 1), [0.1, 40.0], 0.3, 3.16, seed=0)  # starts at 0.99998, leaps, lands at 1.0
    assert run.diverged and run.errors[-1] > run.errors[0]
    first, last = re.search(r"\((\S+) -> (\S+)\)", run.message).groups()
    assert first != last  # printed with enough digits to differ
    assert "saturation" in run.message and run.message.endswith("Lower the learning rate.")


def test_a_target_the_sigmoid_cannot_reach_is_named():
    run = _run((1, 1), 0.1, 1.2, 0.5, seed=0)
    assert run.message.startswith("Unreachable target") and "target 1.2" in run.message
    assert "cannot fall below 0.04" in run.message and "toward 1" in run.message
    assert run.errors.min() >= (1.2 - 1) ** 2  # and indeed it cannot
    batch = _run((2, 1), [[0.1, 0.4], [0.2, 0.1]], [0.5, -0.5], 1.0, iterations=2000, seed=0)
    floor = (0.0 + 0.5**2) / 2  # the mean over the two samples of the distance to [0, 1], squared
    assert f"cannot fall below {floor:.3g}" in batch.message and "toward 0" in batch.message
    assert batch.errors.min() >= floor
    assert _run((1, 1), 0.1, 1.0, 0.5, seed=0).message == ""  # 0 and 1 are reached in the limit


def test_a_run_frozen_from_the_start_gets_no_learning_rate_advice():
    zero = gdlib.Network((2, 2, 1), weights=[np.zeros((2, 2)), np.zeros((2, 1))], biases=[np.zeros(2), [0.0]])
    for learning_rate in (0.1, 10.0, 1000.0):  # a saddle point: no learning rate moves it
        run = gdlib.train(zero, XOR_X, XOR_T, learning_rate=learning_rate, iterations=50)
        assert np.ptp(run.errors) == 0
        assert run.message.startswith("Stuck from the start: the error does not move")
        assert "no learning rate helps" in run.message and "Lower" not in run.message


def test_a_run_saturated_from_the_start_is_told_to_scale_its_inputs():
    wide = _run((2, 1), [0.1, 40.0], 0.3, 0.01, seed=0)
    assert wide.message.startswith("Stuck from the start: the output begins at 0.99998")
    assert "scale the inputs" in wide.message and "Lower" not in wide.message
    scaled = _run((2, 1), [0.1, 0.4], 0.3, 0.01, seed=0)  # the advice, followed
    assert scaled.errors[0] - scaled.errors[-1] > 100 * (wide.errors[0] - wide.errors[-1])


def test_a_plateau_is_called_one():
    slow = _run((2, 2, 1), XOR_X, XOR_T, 0.01, iterations=3000, seed=0, bias=True)
    assert slow.message.startswith("Plateau: the error all but stopped falling at 0.25")
    assert "more iterations or a larger learning rate may get past it" in slow.message
    faster = _run((2, 2, 1), XOR_X, XOR_T, 1.0, iterations=3000, seed=0, bias=True)  # and it does
    assert faster.final_error < 0.1 * slow.final_error and faster.message == ""


def test_short_runs_are_not_judged_stuck():
    for iterations in (3, 5, 9):
        run = _run((3, 2, 1), [0.1, 0.4, 4.1], 0.2, 562.0, iterations=iterations, seed=0)
        assert not run.message.startswith(("Stuck", "Plateau"))


def test_diagnose_reads_the_errors_when_only_the_last_prediction_is_given():
    run = _run((3, 2, 1), [0.1, 0.4, 4.1], 0.2, 562.0, seed=0)
    assert gdlib.training.diagnose(run.errors, run.predictions[-1:], run.target) == (False, run.message)


def test_a_wide_layer_saturated_from_the_start_is_called_stuck_from_the_start():
    """Notebook 05's width 20 with the series' start: the output begins at 0.99988 and stays there."""
    run = gdlib.train(gdlib.Network((3, 20, 1), seed=0), [0.1, 0.4, 4.1], 0.2, learning_rate=0.001,
                      iterations=80_000)
    assert run.predictions[-1, 0] > 0.9998
    assert run.message.startswith("Stuck from the start: the output begins at 0.99988"), run.message


def test_a_few_confident_mistakes_in_a_data_set_do_not_make_a_run_stuck():
    """200 points, 10 of them pinned at the wrong end, the rest right: a stalled curve, not saturation."""
    target = np.zeros((200, 1))
    target[100:] = 1.0
    last = np.where(target == 1, 0.97, 0.03)
    last[:10] = 1 - 1e-5  # ten class-0 points the network is sure are class 1
    errors = np.concatenate([np.linspace(0.3, 0.06, 50), np.full(950, 0.06) + np.linspace(0, -1e-5, 950)])
    predictions = np.repeat(last[None], len(errors), axis=0)
    predictions[:5] = 1 - 1e-6  # the first steps threw every output to 1: a long step
    _, message = diagnose(errors, predictions, target)
    assert not message.startswith("Stuck"), message
    one = np.full((len(errors), 1), 1 - 1e-5)  # the same curve for one sample pinned at the wrong end
    one[:1] = 0.6
    assert diagnose(errors, one, np.array([0.0]))[1].startswith("Stuck: a step too long"), message
