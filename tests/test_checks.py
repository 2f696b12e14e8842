"""Bad input: a ValueError/TypeError naming the argument, never a numpy traceback."""

import numpy as np
import pytest

import gdlib
from gdlib import Network, numerical_gradients, train
from gdlib.checks import check_samples

ERRORS = (ValueError, TypeError)


# ------------------------------------------------------------------- sizes
@pytest.mark.parametrize("sizes, name", [
    ((3,), "sizes"), ([], "sizes"), ((1,), "sizes"),
    ((3, 0, 1), r"sizes\[1\]"), ((3, 2, -1), r"sizes\[2\]"), ((0, 1), r"sizes\[0\]"),
    ((3, 2.5, 1), r"sizes\[1\]"), (("3", 2, 1), r"sizes\[0\]"), ((3, None), r"sizes\[1\]"),
    ((3, True), r"sizes\[1\]"), (3, "sizes"), (None, "sizes"), ("321", r"sizes\[0\]"),
])
def test_bad_sizes(sizes, name):
    with pytest.raises(ERRORS, match=name):
        Network(sizes)


def test_sizes_accept_whole_numbers_of_any_kind():
    assert Network((3, 2.0, 1), seed=0).sizes == (3, 2, 1)
    assert Network(np.array([3, 2, 1]), seed=0).sizes == (3, 2, 1)
    assert all(type(s) is int for s in Network([np.int64(2), 1], seed=0).sizes)


@pytest.mark.parametrize("seed", ["a", -1, 2.5, [1.5]])
def test_bad_seed(seed):
    with pytest.raises(ERRORS, match="seed"):
        Network((2, 1), seed=seed)


# ----------------------------------------------------------------- weights
GOOD = [np.full((3, 2), 0.5), np.full((2, 1), 0.5)]


@pytest.mark.parametrize("weights, name", [
    ([GOOD[0]], "weights"),  # one array too few
    (GOOD + [np.ones((1, 1))], "weights"),  # one too many
    ([np.ones((2, 3)), GOOD[1]], r"weights\[0\].*\(3, 2\).*transposed"),
    ([GOOD[0], np.ones(2)], r"weights\[1\].*\(2, 1\)"),
    ([GOOD[0], np.ones((2, 1, 1))], r"weights\[1\]"),
    ([GOOD[0], [[0.5], [np.nan]]], r"weights\[1\].*NaN"),
    ([GOOD[0], [[0.5], [np.inf]]], r"weights\[1\]"),
    ([GOOD[0], [[0.5], ["0.5"]]], r"weights\[1\]"),
    ([GOOD[0], [[0.5], [None]]], r"weights\[1\]"),
    ([GOOD[0], [[0.5], [0.1, 0.2]]], r"weights\[1\]"),
    ([GOOD[0], None], r"weights\[1\]"),
    (np.ones((3, 2)), "weights"),  # an array, not a list of arrays
    (0.5, "weights"),
])
def test_bad_weights(weights, name):
    with pytest.raises(ERRORS, match=name):
        Network((3, 2, 1), weights=weights)


@pytest.mark.parametrize("biases, name", [
    ([np.zeros(2)], "biases"),
    ([np.zeros(3), np.zeros(1)], r"biases\[0\].*\(2,\)"),
    ([np.zeros(2), np.zeros((1, 1))], r"biases\[1\]"),
    ([np.zeros(2), [np.nan]], r"biases\[1\]"),
    ([np.zeros(2), ["a"]], r"biases\[1\]"),
])
def test_bad_biases(biases, name):
    with pytest.raises(ERRORS, match=name):
        Network((3, 2, 1), weights=GOOD, biases=biases)


# ------------------------------------------------------------- x and target
NET = Network((3, 2, 1), seed=0)
BAD_X = {
    "too few inputs": [0.1, 0.4],
    "too many inputs": [0.1, 0.4, 4.1, 1.0],
    "batch with wrong columns": [[0.1, 0.4], [0.3, 0.2]],
    "batch transposed": np.ones((3, 2)),
    "three dimensions": np.ones((2, 1, 3)),
    "empty batch": np.ones((0, 3)),
    "empty list": [],
    "a number for 3 inputs": 0.5,
    "NaN": [0.1, np.nan, 4.1],
    "inf": [0.1, 0.4, np.inf],
    "-inf in a batch": [[0.1, 0.4, 4.1], [0.1, -np.inf, 4.1]],
    "a string": "0.1, 0.4, 4.1",
    "strings in a list": ["0.1", "0.4", "4.1"],
    "None": None,
    "None in a list": [0.1, None, 4.1],
    "complex": [0.1, 1j, 4.1],
    "ragged rows": [[0.1, 0.4, 4.1], [0.1, 0.4]],
    "a dict": {"x1": 0.1},
    "an int beyond float": [10**400, 0, 0],
}


@pytest.mark.parametrize("what", list(BAD_X))
@pytest.mark.parametrize("call", ["predict", "forward", "error", "gradients", "numerical_gradients", "train"])
def test_bad_x(what, call):
    x = BAD_X[what]
    with pytest.raises(ERRORS, match=r"\bx\b"):
        if call == "predict":
            NET.predict(x)
        elif call == "forward":
            NET.forward(x)
        elif call == "error":
            NET.error(x, 0.2)
        elif call == "gradients":
            NET.gradients(x, 0.2)
        elif call == "numerical_gradients":
            numerical_gradients(NET, x, 0.2)
        else:
            train(NET, x, 0.2, learning_rate=0.1, iterations=10)


BAD_TARGET = {  # for x = one sample of the 3-2-1 network
    "two values": [0.2, 0.3],
    "wrong 2-D": [[0.2, 0.3]],
    "NaN": np.nan,
    "inf": [np.inf],
    "string": "0.2",
    "None": None,
    "strings in a list": ["0.2"],
    "None in a list": [None],
    "ragged": [[0.2], [0.3, 0.4]],
}


@pytest.mark.parametrize("what", list(BAD_TARGET))
@pytest.mark.parametrize("call", ["error", "gradients", "train"])
def test_bad_target(what, call):
    target = BAD_TARGET[what]
    with pytest.raises(ERRORS, match="target"):
        if call == "error":
            NET.error([0.1, 0.4, 4.1], target)
        elif call == "gradients":
            NET.gradients([0.1, 0.4, 4.1], target)
        else:
            train(NET, [0.1, 0.4, 4.1], target, learning_rate=0.1, iterations=10)


@pytest.mark.parametrize("target", [[0.1, 0.2], [[0.1, 0.2, 0.3]], 0.2, [[0.1], [0.2]], np.ones((3, 2))])
def test_bad_target_for_a_batch(target):
    x = [[0.1, 0.4, 4.1], [0.2, 0.2, 0.2], [1.0, 2.0, 3.0]]
    with pytest.raises(ValueError, match=r"target .*\(3, 1\)"):
        train(NET, x, target, learning_rate=0.1, iterations=10)


def test_bad_target_for_several_outputs():
    net = Network((2, 3), seed=0)
    with pytest.raises(ValueError, match=r"target .*\(3,\)"):
        net.error([0.1, 0.2], 0.5)
    with pytest.raises(ValueError, match=r"target .*\(2, 3\)"):
        net.error([[0.1, 0.2], [0.3, 0.4]], [0.5, 0.5])


def test_check_samples_shapes():
    # one sample: (n_in,) or a plain number for one input
    x2, t2, single = check_samples(0.1, 0.3, 1, 1)
    assert (x2.shape, t2.shape, single) == ((1, 1), (1, 1), True)
    x2, t2, single = check_samples([0.1, 0.4, 4.1], [0.2], 3, 1)
    assert (x2.shape, t2.shape, single) == ((1, 3), (1, 1), True)
    x2, t2, single = check_samples([0.1, 0.4], [0.2, 0.3, 0.4], 2, 3)
    assert (x2.shape, t2.shape, single) == ((1, 2), (1, 3), True)
    # a batch, with one output: target (m,) or (m, 1)
    for target in ([0.1, 0.2], [[0.1], [0.2]]):
        x2, t2, single = check_samples([[0.1, 0.4], [0.5, 0.6]], target, 2, 1)
        assert (x2.shape, t2.shape, single) == ((2, 2), (2, 1), False)
        np.testing.assert_array_equal(t2[:, 0], [0.1, 0.2])
    # a batch of one-input samples must be a column
    x2, _, _ = check_samples([[0.1], [0.2], [0.3]], [0.1, 0.2, 0.3], 1, 1)
    assert x2.shape == (3, 1)
    with pytest.raises(ValueError, match=r"x must hold 1 input.*\(m, 1\)"):
        check_samples([0.1, 0.2, 0.3], [0.1, 0.2, 0.3], 1, 1)
    # the learner's arrays are never modified or shared
    x = np.array([[0.1, 0.4], [0.5, 0.6]])
    x2, _, _ = check_samples(x, [0.1, 0.2], 2, 1)
    assert not np.shares_memory(x, x2)


# ------------------------------------------------- learning_rate, iterations
@pytest.mark.parametrize(
    "learning_rate", [0, 0.0, -0.1, -1e-9, np.nan, np.inf, -np.inf, "0.1", None, True, [0.1]])
def test_bad_learning_rate(learning_rate):
    with pytest.raises(ERRORS, match="learning_rate"):
        train(NET, [0.1, 0.4, 4.1], 0.2, learning_rate=learning_rate, iterations=10)


@pytest.mark.parametrize("iterations", [0, -1, -100, 2.5, 0.5, "10", None, np.nan, np.inf, True, [10]])
def test_bad_iterations(iterations):
    with pytest.raises(ERRORS, match="iterations"):
        train(NET, [0.1, 0.4, 4.1], 0.2, learning_rate=0.1, iterations=iterations)


def test_learning_rate_and_iterations_of_other_number_types():
    history = train(NET, [0.1, 0.4, 4.1], 0.2, learning_rate=np.float32(0.5), iterations=np.int64(3))
    assert history.iterations == 3
    assert train(NET, [0.1, 0.4, 4.1], 0.2, learning_rate=1, iterations=3.0).iterations == 3


def test_messages_say_what_was_expected():
    expected = r"x must hold 3 input value\(s\).*\(3,\).*\(m, 3\).*got shape \(2,\)"
    with pytest.raises(ValueError, match=expected):
        NET.predict([0.1, 0.4])
    with pytest.raises(ValueError, match=r"learning_rate must be a finite number above 0"):
        train(NET, [0.1, 0.4, 4.1], 0.2, learning_rate=0, iterations=10)
    with pytest.raises(ValueError, match=r"iterations must be at least 1"):
        train(NET, [0.1, 0.4, 4.1], 0.2, learning_rate=0.1, iterations=0)
    with pytest.raises(TypeError, match=r"iterations must be a whole number, got 2.5"):
        train(NET, [0.1, 0.4, 4.1], 0.2, learning_rate=0.1, iterations=2.5)
    with pytest.raises(ValueError, match=r"sizes needs at least two layers"):
        Network((3,))
    long = list(range(1000)) + [np.nan]
    with pytest.raises(ValueError) as caught:
        Network((1001, 1), seed=0).predict(long)
    assert len(str(caught.value)) < 300  # a long input is cut short in the message


def test_good_input_is_not_modified():
    x = np.array([[0.1, 0.4, 4.1], [1.0, 2.0, 3.0]])
    target = np.array([0.2, 0.7])
    x_before, t_before = x.copy(), target.copy()
    train(NET, x, target, learning_rate=0.1, iterations=5)
    NET.gradients(x, target)
    np.testing.assert_array_equal(x, x_before)
    np.testing.assert_array_equal(target, t_before)
    assert gdlib.Network((2, 1), weights=[[[0.5], [0.5]]]).predict([True, False]).shape == (1,)


# ------------------------------------------------------ one module for the checks
def test_every_check_lives_in_checks():
    from gdlib import checks

    for name in ("as_finite_array", "check_positive_int", "check_learning_rate", "check_title", "check_sizes",
                 "check_samples", "check_network", "check_parameters", "check_number", "check_seed",
                 "check_momentum", "check_batch_size", "check_flag", "check_loss", "check_loss_target",
                 "check_init"):
        assert callable(getattr(checks, name)), name
    assert gdlib.network.check_network is checks.check_network  # drawing/ still imports it from network
    assert not hasattr(gdlib.datasets, "_check_number")


def test_check_network_names_what_it_got():
    from gdlib.checks import check_network

    net = Network((1, 1), seed=0)
    assert check_network(net) is net
    with pytest.raises(TypeError, match=r"^net must be a gdlib.Network, got list\.$"):
        check_network([[0.5]])


@pytest.mark.parametrize("engine", ["fast", None, 1, "Numpy"])
def test_bad_engine(engine):
    with pytest.raises(ValueError, match=r"^engine must be 'auto', 'numpy' or 'compiled', got .*\.$"):
        train(NET, [0.1, 0.4, 4.1], 0.2, learning_rate=0.1, iterations=10, engine=engine)


def test_the_history_budget_message_gives_the_figures():
    from gdlib.checks import check_history_size

    assert check_history_size(1000, 4, 1, 2**30) == 1000
    with pytest.raises(ValueError) as caught:
        check_history_size(10**8, 4, 2, 2**30)  # (4 x 2 + 1) x 8 bytes = 72 bytes per iteration
    assert str(caught.value) == (
        f"iterations=100,000,000 would record {10**8 * 72 / 2**30:.1f} GiB of history (iterations x "
        f"(samples x outputs + 1 error) x 8 bytes); gdlib's limit is 1.0 GiB: use at most "
        f"{2**30 // 72:,} iterations here, or fewer samples.")
