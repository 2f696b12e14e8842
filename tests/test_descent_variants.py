"""Momentum, mini-batches, the cross-entropy, Xavier's start and recorded parameters (notebooks 08-09).

The trajectories are checked against ``descend_by_hand`` below: plain Python, one
sample and one weight at a time, lists of floats and the ``math`` module (numpy
only draws the permutations, as ``train`` documents). It shares no code with gdlib.
"""

import math
import re
import warnings

import numpy as np
import pytest
from central_differences import assert_close_to_central_differences
from hypothesis import given, settings
from hypothesis import strategies as st

import gdlib
from gdlib import History, Network, numerical_gradients, training_compiled
from gdlib.training import diagnose

ENGINES = ["numpy", pytest.param("compiled", marks=pytest.mark.skipif(
    not training_compiled.AVAILABLE, reason="numba is not installed"))]
needs_numba = pytest.mark.skipif(not training_compiled.AVAILABLE, reason="numba is not installed")
FAST = "compiled" if training_compiled.AVAILABLE else "numpy"  # for the long runs whose messages are read


# ------------------------------------------------------------------ the reference
def sig(sop):
    return 1.0 / (1.0 + math.exp(-sop))


def sample_error(predicted, target, loss):
    """One sample's error, summed over its outputs (the naive formulas: fine away from 0 and 1)."""
    if loss == "squared":
        return sum((p - t) ** 2 for p, t in zip(predicted, target))
    return sum(-(t * math.log(p) + (1 - t) * math.log(1 - p)) for p, t in zip(predicted, target))


def descend_by_hand(sizes, weights, biases, x, target, learning_rate, iterations, *, momentum=0.0,
                    batch_size=None, shuffle=True, seed=None, loss="squared"):
    """Gradient descent written out: returns predictions, errors, batch errors, parameters, final ones.

    ``weights[l][z][y]`` and ``biases[l][y]`` as lists (``biases`` empty for none). Each update
    averages the per-sample gradients of its batch; the batch is the next ``batch_size``
    positions of this epoch's order (``default_rng(seed).permutation(m)`` per epoch, or 0..m-1).
    """
    layers = len(sizes) - 1
    W = [[[float(v) for v in row] for row in w] for w in weights]
    B = [[float(v) for v in b] for b in biases]
    vW = [[[0.0] * sizes[l + 1] for _ in range(sizes[l])] for l in range(layers)]
    vB = [[0.0] * sizes[l + 1] for l in range(layers)]
    m = len(x)
    size = m if batch_size is None else batch_size
    per_epoch = -(-m // size)
    rng = np.random.default_rng(seed)

    def forward(sample):
        acts = [list(sample)]
        for l in range(layers):
            sops = []
            for y in range(sizes[l + 1]):
                sop = sum(acts[l][z] * W[l][z][y] for z in range(sizes[l]))
                sops.append(sop + (B[l][y] if B else 0.0))
            acts.append([sig(s) for s in sops])
        return acts

    def flat():
        values = []
        for l in range(layers):
            values += [v for row in W[l] for v in row]
            values += B[l] if B else []
        return values

    predictions, errors, batch_errors, parameters = [], [], [], []
    order = list(range(m))
    for k in range(iterations):
        parameters.append(flat())
        outputs = [forward(sample)[-1] for sample in x]
        predictions.append(outputs)
        errors.append(sum(sample_error(p, t, loss) for p, t in zip(outputs, target)) / m)
        j = k % per_epoch
        if j == 0 and batch_size is not None and shuffle:
            order = [int(i) for i in rng.permutation(m)]
        batch = order[j * size:(j + 1) * size]

        gW = [[[0.0] * sizes[l + 1] for _ in range(sizes[l])] for l in range(layers)]
        gB = [[0.0] * sizes[l + 1] for l in range(layers)]
        batch_error = 0.0
        for s in batch:
            acts = forward(x[s])
            batch_error += sample_error(acts[-1], target[s], loss)
            if loss == "squared":  # g1 * g2
                delta = [2 * (a - t) * a * (1 - a) for a, t in zip(acts[-1], target[s])]
            else:  # the cross-entropy's g1 * g2
                delta = [a - t for a, t in zip(acts[-1], target[s])]
            for l in range(layers - 1, -1, -1):
                for z in range(sizes[l]):
                    for y in range(sizes[l + 1]):
                        gW[l][z][y] += acts[l][z] * delta[y] / len(batch)
                for y in range(sizes[l + 1]):
                    gB[l][y] += delta[y] / len(batch)
                back = [sum(W[l][z][y] * delta[y] for y in range(sizes[l + 1])) for z in range(sizes[l])]
                delta = [b * a * (1 - a) for b, a in zip(back, acts[l])]  # the old W: updates come after
        batch_errors.append(batch_error / len(batch))

        for l in range(layers):
            for z in range(sizes[l]):
                for y in range(sizes[l + 1]):
                    vW[l][z][y] = momentum * vW[l][z][y] + gW[l][z][y]
                    W[l][z][y] -= learning_rate * vW[l][z][y]
            for y in range(sizes[l + 1]):
                vB[l][y] = momentum * vB[l][y] + gB[l][y]
                if B:
                    B[l][y] -= learning_rate * vB[l][y]
    return dict(predictions=np.array(predictions), errors=np.array(errors),
                batch_errors=np.array(batch_errors), parameters=np.array(parameters), final=np.array(flat()))


def flat_of(net):
    """A network's parameters in History.parameters' documented order, written out."""
    values = []
    for l in range(len(net.weights)):
        values += list(np.ravel(net.weights[l]))
        values += list(net.biases[l]) if net.bias else []
    return np.array(values)


MOONS_X, MOONS_T = gdlib.two_moons(200, noise=0.2, seed=0)
XOR_X, XOR_T = gdlib.xor_data()


def _data(m, n_in, n_out, seed):
    rng = np.random.default_rng(seed)
    return rng.normal(0, 1, (m, n_in)), rng.uniform(0, 1, (m, n_out))


X10, T10 = _data(10, 2, 1, 1)
X7, T7 = _data(7, 2, 2, 2)
CASES = {  # name: (network, x, target (m, n_out), options): each a run the reference repeats
    "2-3-1 bias, cross-entropy, batches of 3 (the last 1), shuffled, momentum 0.9": (
        Network((2, 3, 1), seed=1, biases=[[0.1, -0.2, 0.3], [0.05]]), X10, T10,
        dict(learning_rate=0.5, momentum=0.9, batch_size=3, seed=4, loss="cross_entropy")),
    "2-3-2, squared, batches of 2 in order, momentum 0.5": (
        Network((2, 3, 2), seed=2), X7, T7,
        dict(learning_rate=2.0, momentum=0.5, batch_size=2, shuffle=False)),
    "XOR 2-2-1 bias, cross-entropy, full batch, momentum 0.9": (
        Network((2, 2, 1), seed=0, bias=True), XOR_X, XOR_T,
        dict(learning_rate=1.0, momentum=0.9, loss="cross_entropy")),
    "XOR 2-2-1 bias, squared, one sample per update, shuffled": (
        Network((2, 2, 1), seed=3, bias=True), XOR_X, XOR_T,
        dict(learning_rate=3.0, batch_size=1, seed=0)),
    "2-3-1, cross-entropy, all samples per update, shuffled": (
        Network((2, 3, 1), seed=5, init="xavier"), X10, T10, dict(learning_rate=1.0, batch_size=10, seed=9,
                                                                   loss="cross_entropy")),
}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", list(CASES))
def test_trajectories_match_the_descent_written_out(name, engine):
    net, x, target, options = CASES[name]
    iterations = 60
    reference = descend_by_hand(net.sizes, net.weights, net.biases, x, target, iterations=iterations,
                                **options)
    history = gdlib.train(net, x, target, iterations=iterations, engine=engine, record_parameters=True,
                          **options)
    np.testing.assert_allclose(history.predictions, reference["predictions"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(history.errors, reference["errors"], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(history.parameters, reference["parameters"], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(flat_of(history.network), reference["final"], rtol=1e-12, atol=1e-12)
    if options.get("batch_size") is None:
        assert history.batch_errors is None
    else:
        np.testing.assert_allclose(history.batch_errors, reference["batch_errors"], rtol=1e-12, atol=1e-12)
    assert np.ptp(history.errors) > 1e-3  # the run moved
    assert (history.momentum, history.batch_size, history.loss) == (
        options.get("momentum", 0.0), options.get("batch_size"), options.get("loss", "squared"))


def test_the_reference_tells_the_options_apart():
    """Sanity check of the test itself: each option changes the written-out trajectory."""
    net, x, target, options = CASES[next(iter(CASES))]  # cross-entropy, batches of 3, shuffled, momentum

    def errors(**changes):
        return descend_by_hand(net.sizes, net.weights, net.biases, x, target, iterations=20,
                               **{**options, **changes})["errors"]

    base = errors()
    for change in (dict(momentum=0.0), dict(batch_size=4), dict(shuffle=False), dict(seed=5),
                   dict(loss="squared")):
        other = errors(**change)
        assert np.max(np.abs(other - base)) > 1e-4, change


@pytest.mark.parametrize("engine", ENGINES)
def test_one_sample_takes_every_option(engine):
    net = Network((3, 2, 1), seed=0)
    x, target = [0.1, 0.4, 4.1], 0.2
    reference = descend_by_hand(net.sizes, net.weights, [], [x], [[target]], 0.5, 100, momentum=0.9,
                                batch_size=1, seed=0, loss="cross_entropy")
    history = gdlib.train(net, x, target, learning_rate=0.5, iterations=100, momentum=0.9, batch_size=1,
                          seed=0, loss="cross_entropy", engine=engine)
    assert history.predictions.shape == (100, 1) and history.batch_errors.shape == (100,)
    np.testing.assert_allclose(history.predictions[:, 0], reference["predictions"][:, 0, 0], rtol=0,
                               atol=1e-12)
    np.testing.assert_allclose(history.batch_errors, history.errors, rtol=1e-14)  # the batch is the sample


# ------------------------------------------------------------- the defaults, unchanged
@pytest.mark.parametrize("engine", ENGINES)
def test_the_defaults_spelled_out_give_the_same_run_bit_for_bit(engine):
    net = Network((2, 8, 8, 1), seed=0, bias=True)
    plain = gdlib.train(net, MOONS_X, MOONS_T, learning_rate=2.0, iterations=200, engine=engine)
    spelled = gdlib.train(net, MOONS_X, MOONS_T, learning_rate=2.0, iterations=200, engine=engine,
                          momentum=0.0, batch_size=None, shuffle=True, seed=None, loss="squared",
                          record_parameters=False)
    np.testing.assert_array_equal(plain.predictions, spelled.predictions)
    np.testing.assert_array_equal(plain.errors, spelled.errors)
    assert plain.batch_errors is None and plain.parameters is None
    # all samples per update, in order: full-batch descent again (to rounding: another sum order is allowed)
    ordered = gdlib.train(net, MOONS_X, MOONS_T, learning_rate=2.0, iterations=200, engine=engine,
                          batch_size=200, shuffle=False)
    np.testing.assert_allclose(ordered.errors, plain.errors, rtol=1e-13, atol=0)
    np.testing.assert_allclose(ordered.batch_errors, plain.errors, rtol=1e-13, atol=0)


# ------------------------------------------------------- compiled == numpy, in chunks
MOONS_RUNS = {
    "cross-entropy, batches of 20, momentum 0.9": dict(learning_rate=0.5, batch_size=20, momentum=0.9, seed=0,
                                                       loss="cross_entropy"),
    "squared, batches of 7, shuffled": dict(learning_rate=2.0, batch_size=7, seed=1),
    "squared, full batch, momentum 0.5": dict(learning_rate=1.0, momentum=0.5),
}


@needs_numba
@pytest.mark.parametrize("name", list(MOONS_RUNS))
def test_the_engines_agree_on_two_moons(name):
    net = Network((2, 8, 8, 1), seed=0, bias=True)
    runs = [gdlib.train(net, MOONS_X, MOONS_T, iterations=300, engine=engine, record_parameters=True,
                        **MOONS_RUNS[name]) for engine in ("numpy", "compiled")]
    slow, fast = runs
    np.testing.assert_allclose(fast.predictions, slow.predictions, rtol=0, atol=1e-12)
    np.testing.assert_allclose(fast.errors, slow.errors, rtol=0, atol=1e-12)
    np.testing.assert_allclose(fast.parameters, slow.parameters, rtol=0, atol=1e-12)
    if slow.batch_errors is not None:
        np.testing.assert_allclose(fast.batch_errors, slow.batch_errors, rtol=0, atol=1e-12)
    assert fast.message == slow.message
    assert slow.errors[-1] < 0.5 * slow.errors[0]


@needs_numba
def test_any_chunking_carries_the_velocity_and_the_epoch_bit_for_bit():
    net = Network((2, 3, 2), seed=2, bias=True)
    x2, t2, _ = net._samples(X7, T7)

    def run(chunk):
        return training_compiled.train_compiled(net.sizes, net.weights, net.biases, x2, t2, 1.0, 50,
                                                momentum=0.9, batch_size=3, seed=6, loss="cross_entropy",
                                                record_parameters=True, chunk=chunk)

    whole = run(50)
    for chunk in (1, 2, 3, 7, None):  # 3 updates per epoch: chunks that end mid-epoch and on its edge
        parts = run(chunk)
        for a, b in zip([parts[0], parts[1], parts[4], parts[5]] + parts[2] + parts[3],
                        [whole[0], whole[1], whole[4], whole[5]] + whole[2] + whole[3]):
            np.testing.assert_array_equal(a, b)


# ------------------------------------------------------------------ the shuffle
@pytest.mark.parametrize("engine", ENGINES)
def test_a_seed_repeats_the_shuffle_and_none_draws_a_new_one(engine):
    net = Network((2, 8, 8, 1), seed=0, bias=True)

    def run(**options):
        return gdlib.train(net, MOONS_X, MOONS_T, learning_rate=1.0, iterations=30, batch_size=20,
                           engine=engine, **options).errors

    np.testing.assert_array_equal(run(seed=3), run(seed=3))
    assert np.max(np.abs(run(seed=3) - run(seed=4))) > 1e-6
    assert np.max(np.abs(run() - run())) > 1e-6  # seed=None: a fresh shuffle on every call
    np.testing.assert_array_equal(run(shuffle=False, seed=3), run(shuffle=False, seed=4))
    np.testing.assert_array_equal(run(shuffle=False), run(shuffle=False))


# --------------------------------------------------------------- recorded parameters
@pytest.mark.parametrize("engine", ENGINES)
def test_recorded_parameters_follow_the_documented_order_and_the_gradient(engine):
    net = Network((2, 3, 1), seed=0, biases=[[0.1, 0.2, 0.3], [-0.4]])
    x, target = XOR_X, XOR_T
    history = gdlib.train(net, x, target, learning_rate=0.5, iterations=5, engine=engine,
                          record_parameters=True)
    assert history.parameters.shape == (5, net.n_parameters) == (5, 2 * 3 + 3 + 3 + 1)
    W0, b0, W1, b1 = net.weights[0], net.biases[0], net.weights[1], net.biases[1]
    first = [W0[0, 0], W0[0, 1], W0[0, 2], W0[1, 0], W0[1, 1], W0[1, 2], *b0,
             W1[0, 0], W1[1, 0], W1[2, 0], *b1]
    np.testing.assert_array_equal(history.parameters[0], first)
    g = net.gradients(x, target)
    step = np.concatenate([g.weights[0].ravel(), g.biases[0], g.weights[1].ravel(), g.biases[1]])
    np.testing.assert_allclose(history.parameters[1], history.parameters[0] - 0.5 * step, rtol=0, atol=1e-15)


def test_a_two_parameter_neuron_records_its_path_for_the_error_surface():
    neuron = Network((1, 1), weights=[[[-1.5]]], biases=[[2.0]])
    history = gdlib.train(neuron, [[0.5], [1.0], [2.0]], [0.2, 0.5, 0.9], learning_rate=1.0, iterations=400,
                          momentum=0.9, record_parameters=True)
    path = history.parameters  # (w, b) before each update
    assert path.shape == (400, 2) and list(path[0]) == [-1.5, 2.0]
    for k in (0, 37, 399):  # each recorded point is where that iteration's error was measured
        at = Network((1, 1), weights=[[[path[k, 0]]]], biases=[[path[k, 1]]])
        assert at.error([[0.5], [1.0], [2.0]], [0.2, 0.5, 0.9]) == pytest.approx(history.errors[k], rel=1e-12)


# ------------------------------------------------------------------ the cross-entropy
def test_cross_entropy_is_the_formula_and_its_slope_is_p_minus_t():
    for sop in (-8.0, -3.0, -0.2, 0.0, 0.7, 4.0, 8.0):  # where the naive formula is still accurate
        for t in (0.0, 0.25, 1.0):
            p = sig(sop)
            naive = -(t * math.log(p) + (1 - t) * math.log(1 - p))
            assert gdlib.cross_entropy(sop, t) == pytest.approx(naive, rel=1e-9, abs=1e-15)
            h = 1e-6
            slope = (gdlib.cross_entropy(sop + h, t) - gdlib.cross_entropy(sop - h, t)) / (2 * h)
            assert gdlib.cross_entropy_sop_deriv(p, t) == pytest.approx(slope, rel=1e-6, abs=1e-9)
    assert gdlib.cross_entropy(0.0, 0.5) == pytest.approx(math.log(2), rel=1e-15)
    # at SOP 30 the naive formula has lost 3 digits (1 - p cancels); -ln(1 - p) = ln(1 + e^30) exactly:
    assert gdlib.cross_entropy(30.0, 0.0) == pytest.approx(30.0 + math.log1p(math.exp(-30.0)), rel=1e-15)
    assert abs(-math.log(1 - sig(30.0)) - 30.0) > 1e-4


@pytest.mark.parametrize("sop", [40.0, 800.0, 1e300, np.array([np.inf])])  # inf: a SOP that overflowed
def test_cross_entropy_is_finite_where_the_sigmoid_rounds_to_0_or_1(sop):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            right = gdlib.cross_entropy(sop, 1.0), gdlib.cross_entropy(-sop, 0.0)
            wrong = gdlib.cross_entropy(sop, 0.0), gdlib.cross_entropy(-sop, 1.0)
    assert gdlib.sigmoid(sop) == 1.0  # p is 1 to the last bit, and ln(1 - p) would be -inf
    assert right[0] == right[1] and 0.0 <= right[0] < 1e-17
    assert wrong[0] == wrong[1] == pytest.approx(sop, rel=1e-15)  # -ln(1 - p) = ln(1 + e^sop) ~ sop
    assert not np.isnan(right + wrong).any()
    with pytest.raises(ValueError, match=r"^sop is inf: use a finite number\.$"):
        gdlib.cross_entropy(np.inf, 1.0)  # a learner's own number is checked


def test_network_error_takes_the_cross_entropy():
    net = Network((2, 3, 2), seed=1, bias=True)
    x, target = X7, T7
    naive = np.mean([sample_error(net.predict(xi), ti, "cross_entropy") for xi, ti in zip(x, target)])
    assert net.error(x, target, loss="cross_entropy") == pytest.approx(naive, rel=1e-13)
    assert net.error(x, target, "squared") == net.error(x, target)
    saturated = Network((1, 1), weights=[[[1e4]]])
    assert saturated.error(1.0, 0.0, loss="cross_entropy") == pytest.approx(1e4, rel=1e-15)
    assert saturated.error(1.0, 1.0, loss="cross_entropy") == 0.0


@st.composite
def problems(draw):
    """A random network (1-3 weight layers of 1-6 neurons), samples, targets in [0, 1] (some 0 or 1)."""
    sizes = tuple(draw(st.lists(st.integers(1, 6), min_size=2, max_size=4)))
    samples = draw(st.one_of(st.none(), st.integers(1, 5)))
    bias = draw(st.booleans())
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    net = Network(sizes, seed=seed, bias=bias, init=draw(st.sampled_from(["series", "xavier"])))
    shape = (sizes[0],) if samples is None else (samples, sizes[0])
    t_shape = (sizes[-1],) if samples is None else (samples, sizes[-1])
    target = np.where(rng.random(t_shape) < 0.3, rng.integers(0, 2, t_shape), rng.uniform(0, 1, t_shape))
    return net, rng.normal(0, 1, shape), target


@settings(max_examples=40, deadline=None)
@given(problems(), st.sampled_from(["squared", "cross_entropy"]))
def test_backprop_of_both_losses_matches_central_differences(problem, loss):
    net, x, target = problem
    analytic = net.gradients(x, target, loss=loss)
    numeric = numerical_gradients(net, x, target, loss=loss)
    assert_close_to_central_differences(analytic, numeric, net.error(x, target, loss=loss))


def test_cross_entropy_keeps_a_saturated_output_learning():
    """The point of notebook 09: an output sure of the wrong answer is stuck with the squared error
    (its g2 is ~0) and learns at once with the cross-entropy (g1 * g2 = p - t)."""
    sure_and_wrong = Network((1, 1), weights=[[[30.0]]])
    squared = gdlib.train(sure_and_wrong, 1.0, 0.0, learning_rate=1.0, iterations=200)
    crossed = gdlib.train(sure_and_wrong, 1.0, 0.0, learning_rate=1.0, iterations=200, loss="cross_entropy")
    assert squared.errors[0] - squared.errors[-1] < 1e-9
    assert squared.message.startswith("Stuck from the start")
    assert crossed.predictions[-1, 0] < 0.01 and crossed.message == ""


# ------------------------------------------------------------------ the messages
def _moons(**options):
    start = Network((2, 8, 8, 1), seed=0, bias=True)
    return gdlib.train(start, MOONS_X, MOONS_T, iterations=2000, engine=FAST, **options)


def test_a_mini_batch_run_is_not_called_overshooting_for_its_noise():
    for options in (dict(learning_rate=1.0), dict(learning_rate=0.1, momentum=0.9),
                    dict(learning_rate=1.0, loss="cross_entropy")):
        run = _moons(batch_size=20, seed=0, **options)
        assert np.count_nonzero(np.diff(run.errors) > 0) > 300  # the error on all samples jitters ...
        assert run.errors[-1] < 0.4 * run.errors[0]  # ... on its way down
        assert (run.diverged, run.message) == (False, ""), options
        # the same curve, judged as a full-batch run, would be called overshooting
        judged_as_full_batch = diagnose(run.errors, run.predictions, run.target, loss=run.loss)[1]
        assert judged_as_full_batch.startswith("Overshooting"), options


def test_a_mini_batch_run_that_climbs_is_diverged_on_its_average():
    run = _moons(batch_size=20, seed=0, learning_rate=100.0, loss="cross_entropy")
    window = 200 // 20  # one epoch of updates
    average = np.mean(run.errors[-window:])
    assert run.diverged and average > run.errors[0]
    first, last = re.search(r"\((\S+) -> (\S+), averaged over the last 10 updates\)", run.message).groups()
    assert float(first) == pytest.approx(run.errors[0], rel=1e-2)
    assert float(last) == pytest.approx(average, rel=1e-2)


def test_momentum_overshooting_advises_a_smaller_momentum():
    run = _moons(learning_rate=0.1, momentum=0.9)
    rises = int(np.count_nonzero(np.diff(run.errors) > 1e-9 * run.errors[0]))
    assert rises > 0 and not run.diverged
    assert run.message == (f"Overshooting: the error went up in {rises} of the steps, as momentum carries "
                           "each step on past the lowest point. A smaller momentum or learning rate gives "
                           "a smoother descent.")
    plain = _moons(learning_rate=0.1)
    assert plain.message == "" and run.final_error < plain.final_error  # and momentum went further


@pytest.mark.parametrize("init", ["series", "xavier"])
def test_a_calm_cross_entropy_run_on_two_moons_has_no_message(init):
    start = Network((2, 8, 8, 1), seed=0, bias=True, init=init)
    run = gdlib.train(start, MOONS_X, MOONS_T, learning_rate=1.0, iterations=2000, loss="cross_entropy",
                      engine=FAST)
    assert run.errors[0] > 0.6 and run.errors[-1] < 0.15  # other scales than the squared error's
    assert np.all(np.diff(run.errors) <= 0) and (run.diverged, run.message) == (False, "")


def test_a_cross_entropy_run_that_reaches_its_least_error_is_not_a_plateau():
    least = -(0.2 * math.log(0.2) + 0.8 * math.log(0.8))  # the entropy of the target 0.2: 0.5004
    run = gdlib.train(Network((3, 2, 1), seed=0), [0.1, 0.4, 4.1], 0.2, learning_rate=1.0, iterations=2000,
                      loss="cross_entropy")
    assert run.errors[-1] == pytest.approx(least, rel=1e-9) and np.ptp(run.errors[1000:]) < 1e-9
    assert run.message == ""
    stopped = gdlib.train(Network((3, 2, 1), seed=0), [0.1, 0.4, 4.1], 0.2, learning_rate=10.0,
                          iterations=2000, loss="cross_entropy")
    assert stopped.message.startswith(f"Plateau: the error all but stopped falling at "
                                      f"{stopped.final_error:.3g}, far from {least:.3g}, the least error "
                                      "these targets allow")


def test_the_cross_entropy_plateau_of_xor_is_at_ln_2():
    def run_at(learning_rate):
        return gdlib.train(Network((2, 2, 1), seed=0, bias=True), XOR_X, XOR_T, learning_rate=learning_rate,
                           iterations=3000, loss="cross_entropy")

    run = run_at(0.01)
    assert run.final_error == pytest.approx(math.log(2), abs=2e-3)
    assert run.message.startswith("Plateau: the error all but stopped falling at 0.693, far from 0; more")
    faster = run_at(1.0)
    assert faster.final_error < 0.01 and faster.message == ""


def test_a_mini_batch_plateau_is_still_found():
    run = gdlib.train(Network((2, 2, 1), seed=0, bias=True), XOR_X, XOR_T, learning_rate=0.01,
                      iterations=3000, batch_size=1, seed=0)
    assert run.message.startswith("Plateau: the error all but stopped falling at 0.25")


def test_diagnose_and_from_arrays_take_the_run_settings():
    run = _moons(batch_size=20, seed=0, learning_rate=1.0)
    assert diagnose(run.errors, run.predictions, run.target, batch_size=20) == (False, "")
    by_hand = History.from_arrays(run.predictions, run.errors, run.target, batch_size=20, momentum=0.0)
    assert (by_hand.batch_size, by_hand.message, by_hand.batch_errors) == (20, "", None)
    assert "batch_size=20" in repr(by_hand) and "batch_size=20" in repr(run)
    crossed = gdlib.train(Network((1, 1), seed=0), 0.1, 0.3, learning_rate=0.5, iterations=5, momentum=0.5,
                          loss="cross_entropy")
    assert "momentum=0.5" in repr(crossed) and "loss='cross_entropy'" in repr(crossed)
    by_hand = History.from_arrays(crossed.predictions, crossed.errors, 0.3, loss="cross_entropy")
    assert by_hand.loss == "cross_entropy" and by_hand.message == crossed.message


# ------------------------------------------------------------------ Xavier's start
def test_xavier_draws_each_layer_from_the_seeds_generator_within_its_limit():
    sizes = (2, 8, 8, 1)
    net = Network(sizes, seed=3, init="xavier", bias=True)
    rng = np.random.default_rng(3)
    for l, w in enumerate(net.weights):
        limit = math.sqrt(6 / (sizes[l] + sizes[l + 1]))
        np.testing.assert_allclose(w, -limit + 2 * limit * rng.random(w.shape), rtol=0, atol=1e-15)
        assert np.all(np.abs(w) <= limit) and w.min() < 0 < w.max()
    assert all(np.all(b == 0) for b in net.biases)
    again = Network(sizes, seed=3, init="xavier", bias=True)
    assert all(np.array_equal(a, b) for a, b in zip(net.weights, again.weights))
    wide = Network((300, 300), seed=0, init="xavier").weights[0]  # uniform in +-0.1: deviation 0.1/sqrt(3)
    assert wide.std() == pytest.approx(0.1 / math.sqrt(3), rel=0.02)
    assert Network((2, 1), init="xavier").weights[0].shape == (2, 1)  # seed=None: a fresh draw


def test_series_init_is_the_default():
    np.testing.assert_array_equal(Network((3, 2, 1), seed=0, init="series").weights[0],
                                  Network((3, 2, 1), seed=0).weights[0])


# ------------------------------------------------------------------ refused
def _one_sentence(error_type, pattern, call):
    with pytest.raises(error_type, match=pattern) as caught:
        call()
    message = str(caught.value)
    assert "\n" not in message and message.endswith(".") and not re.search(r"\. [A-Z]", message), message


def _train(**options):
    return gdlib.train(Network((2, 1), seed=0), [[0.1, 0.4], [0.5, 0.2], [1.0, 1.0]], [0.2, 0.5, 0.9],
                       learning_rate=0.1, iterations=5, **{"engine": "numpy", **options})


@pytest.mark.parametrize("momentum, error", [(-0.1, ValueError), (1, ValueError), (1.5, ValueError),
                                             (np.nan, ValueError), ("0.9", TypeError), (True, TypeError),
                                             (None, TypeError)])
def test_momentum_outside_0_to_1_is_refused(momentum, error):
    _one_sentence(error, r"^momentum must be a (finite )?number from 0 up to \(not including\) 1, "
                         r"e\.g\. 0\.9", lambda: _train(momentum=momentum))


@pytest.mark.parametrize("batch_size, error", [(0, ValueError), (4, ValueError), (-1, ValueError),
                                               (2.5, TypeError), ("2", TypeError), (True, TypeError)])
def test_batch_sizes_outside_1_to_m_are_refused(batch_size, error):
    _one_sentence(error, r"^batch_size must be None \(all samples\) or a whole number from 1 to 3, the "
                         r"number of samples; got", lambda: _train(batch_size=batch_size))


def test_the_other_options_are_refused_in_one_sentence():
    _one_sentence(ValueError, r"^loss must be 'squared' or 'cross_entropy', got 'mse'\.$",
                  lambda: _train(loss="mse"))
    _one_sentence(ValueError, r"^loss must be", lambda: _train(loss=None))
    _one_sentence(TypeError, r"^shuffle must be True or False, got 'yes'\.$", lambda: _train(shuffle="yes"))
    _one_sentence(TypeError, r"^record_parameters must be True or False", lambda: _train(record_parameters=1))
    _one_sentence(ValueError, r"^seed must be None or a whole number >= 0", lambda: _train(seed=-1))
    _one_sentence(ValueError, r"^init must be 'series' or 'xavier', got 'he'\.$",
                  lambda: Network((2, 1), seed=0, init="he"))
    _one_sentence(ValueError, r"^init='xavier' and weights contradict each other: init draws random weights "
                              r"and weights= gives them, so pass only one of the two\.$",
                  lambda: Network((2, 1), weights=[[[0.5], [0.5]]], init="xavier"))


@pytest.mark.parametrize("call", ["train", "error", "gradients", "numerical_gradients", "from_arrays"])
@pytest.mark.parametrize("target", [1.2, -0.5])
def test_cross_entropy_targets_outside_0_1_are_refused(call, target):
    net, x, targets = Network((2, 1), seed=0), [[0.1, 0.4], [0.5, 0.2]], [0.5, target]
    calls = {
        "train": lambda: gdlib.train(net, x, targets, learning_rate=0.1, iterations=5, loss="cross_entropy"),
        "error": lambda: net.error(x, targets, loss="cross_entropy"),
        "gradients": lambda: net.gradients(x, targets, loss="cross_entropy"),
        "numerical_gradients": lambda: numerical_gradients(net, x, targets, loss="cross_entropy"),
        "from_arrays": lambda: History.from_arrays(np.full((3, 2), 0.5), np.ones(3), targets,
                                                   loss="cross_entropy"),
    }
    _one_sentence(ValueError, rf"^target must lie between 0 and 1 for loss='cross_entropy' \(a "
                              rf"probability\), got {target:g}; rescale the targets to \[0, 1\] or use "
                              r"loss='squared'\.$",
                  calls[call])
    assert net.error(x, targets) > 0  # the squared error takes them


@pytest.mark.parametrize("engine", ENGINES)
def test_the_recorded_extras_count_in_the_history_budget(monkeypatch, engine):
    per_iteration = (3 * 1 + 1 + 1 + 3) * 8  # 3 predictions, 1 error, 1 batch error, 3 parameters (2-1, bias)
    monkeypatch.setattr(gdlib.training, "HISTORY_BUDGET_BYTES", 50 * per_iteration)
    net = Network((2, 1), seed=0, bias=True)
    x, target = [[0.1, 0.4], [0.5, 0.2], [1.0, 1.0]], [0.2, 0.5, 0.9]
    options = dict(learning_rate=0.1, batch_size=2, seed=0, record_parameters=True, engine=engine)
    assert gdlib.train(net, x, target, iterations=50, **options).parameters.shape == (50, 3)
    with pytest.raises(ValueError, match=r"^iterations=51 would record .* \(iterations x \(samples x "
                                         r"outputs \+ 1 error \+ 1 batch error \+ 3 parameters\) x 8 "
                                         r"bytes\).* use at most 50 iterations here, or fewer samples, or "
                                         r"record_parameters=False\.$"):
        gdlib.train(net, x, target, iterations=51, **options)
    assert gdlib.train(net, x, target, learning_rate=0.1, iterations=60, engine=engine).iterations == 60


@pytest.mark.parametrize("engine", ENGINES)
def test_each_input_is_checked_once_with_every_option(monkeypatch, engine):
    counts = {}
    for module, name in ((gdlib.training, "check_parameters"), (gdlib.network, "check_samples"),
                         (gdlib.training, "check_loss_target")):
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, _real=real, _name=name, **k: (
            counts.__setitem__(_name, counts.get(_name, 0) + 1), _real(*a, **k))[1])
    gdlib.train(Network((2, 3, 1), seed=0, bias=True), X10, T10, learning_rate=0.5, iterations=40,
                batch_size=3, seed=0, momentum=0.9, loss="cross_entropy", record_parameters=True,
                engine=engine)
    assert counts == {"check_parameters": 1, "check_samples": 1, "check_loss_target": 1}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("options", [dict(loss="cross_entropy"), dict(momentum=0.99, batch_size=2, seed=1),
                                     dict(loss="cross_entropy", momentum=0.9, batch_size=1, seed=0)],
                         ids=["cross-entropy", "momentum, batches", "all"])
def test_an_overflowing_run_with_the_options_finishes_quietly_and_says_so(engine, options):
    net = Network((2, 2, 1), seed=1, bias=True)
    x, target = [[1e3, -1e3], [0.5, 0.2], [1e300, 1e300]], [0.9, 0.1, 1.0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="warn"):  # numpy's default; train must silence its own overflows
            run = gdlib.train(net, x, target, learning_rate=1e300, iterations=50, engine=engine, **options)
    assert run.diverged and run.message.startswith("Diverged")
    assert run.message.endswith("Lower the learning rate.")
