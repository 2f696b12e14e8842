"""``Network``: layout of the weights (W_zy), predict's shapes, copy, error, gradients."""

import copy
import math

import numpy as np
import pytest

import gdlib
from gdlib import Network


def sig(sop):
    return 1.0 / (1.0 + math.exp(-sop))


@pytest.mark.parametrize("sizes", [(1, 1), (2, 1), (3, 2, 1), (10, 2, 1), (2, 8, 8, 1), (4, 3)])
def test_weights_have_the_documented_shapes_and_start_uniform_in_0_1(sizes):
    net = Network(sizes, seed=0)
    assert net.sizes == sizes and net.n_inputs == sizes[0] and net.n_outputs == sizes[-1]
    assert len(net.weights) == len(sizes) - 1
    for l, w in enumerate(net.weights):
        assert w.shape == (sizes[l], sizes[l + 1]) and w.dtype == np.float64
        assert np.all((0 <= w) & (w < 1))
    assert net.biases == [] and net.bias is False


def test_weights_are_drawn_from_default_rng_of_the_seed():
    net = Network((3, 2, 1), seed=5)
    rng = np.random.default_rng(5)
    np.testing.assert_array_equal(net.weights[0], rng.random((3, 2)))
    np.testing.assert_array_equal(net.weights[1], rng.random((2, 1)))


def test_same_seed_same_network_other_seed_other_network():
    a, b, c = Network((3, 2, 1), seed=1), Network((3, 2, 1), seed=1), Network((3, 2, 1), seed=2)
    for wa, wb, wc in zip(a.weights, b.weights, c.weights):
        np.testing.assert_array_equal(wa, wb)
        assert not np.array_equal(wa, wc)


def test_bias_true_adds_zero_biases_of_the_right_shapes():
    net = Network((3, 4, 2), seed=0, bias=True)
    assert net.bias is True
    assert [b.shape for b in net.biases] == [(4,), (2,)]
    assert all(np.all(b == 0) for b in net.biases)
    # zero biases change nothing
    plain = Network((3, 4, 2), seed=0)
    np.testing.assert_array_equal(net.predict([0.1, 0.2, 0.3]), plain.predict([0.1, 0.2, 0.3]))


def test_explicit_weights_and_biases_are_copied():
    weights = [np.array([[0.1, 0.2], [0.3, 0.4]]), np.array([[0.5], [0.6]])]
    biases = [np.array([0.1, -0.1]), np.array([0.2])]
    net = Network((2, 2, 1), weights=weights, biases=biases)
    assert net.bias is True
    weights[0][0, 0] = 99.0
    biases[1][0] = 99.0
    assert net.weights[0][0, 0] == 0.1 and net.biases[1][0] == 0.2
    # plain lists work too
    listed = Network((2, 2, 1), weights=[[[0.1, 0.2], [0.3, 0.4]], [[0.5], [0.6]]])
    np.testing.assert_array_equal(listed.weights[1], [[0.5], [0.6]])


def test_weights_zy_go_from_neuron_z_to_neuron_y_as_in_the_series():
    """The 3-2-1 network by hand: SOP1 = X1*W11 + X2*W21 + X3*W31, ..., SOP3 = Activ1*W41 + Activ2*W42."""
    net = Network((3, 2, 1), seed=3)
    (w11, w12), (w21, w22), (w31, w32) = net.weights[0]
    (w41,), (w42,) = net.weights[1]
    x1, x2, x3 = 0.1, 0.4, 4.1
    activ1 = sig(x1 * w11 + x2 * w21 + x3 * w31)
    activ2 = sig(x1 * w12 + x2 * w22 + x3 * w32)
    predicted = sig(activ1 * w41 + activ2 * w42)
    assert net.predict([x1, x2, x3])[0] == pytest.approx(predicted, rel=1e-14)
    fp = net.forward([x1, x2, x3])
    np.testing.assert_allclose(fp.activs[1][0], [activ1, activ2], rtol=1e-14)


def test_biases_add_to_each_neurons_sop():
    net = Network((2, 2, 1), weights=[[[0.5, -0.3], [0.8, 0.2]], [[1.5], [-2.0]]],
                  biases=[[0.1, -0.4], [0.25]])
    x1, x2 = 1.0, 2.0
    a1 = sig(x1 * 0.5 + x2 * 0.8 + 0.1)
    a2 = sig(x1 * -0.3 + x2 * 0.2 - 0.4)
    assert net.predict([x1, x2])[0] == pytest.approx(sig(a1 * 1.5 - 2.0 * a2 + 0.25), rel=1e-14)


def test_predict_shapes_one_sample_and_batches():
    net = Network((3, 2, 2), seed=0)
    assert net.predict([0.1, 0.4, 4.1]).shape == (2,)
    assert net.predict(np.array([0.1, 0.4, 4.1])).shape == (2,)
    batch = np.array([[0.1, 0.4, 4.1], [1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [-1.0, 0.5, 2.0]])
    predicted = net.predict(batch)
    assert predicted.shape == (4, 2)
    for row, p in zip(batch, predicted):
        np.testing.assert_allclose(net.predict(row), p, rtol=1e-15, atol=0)
    assert net.predict(batch[:1]).shape == (1, 2)
    np.testing.assert_array_equal(Network((3, 2), seed=0).predict([0.0, 0.0, 0.0]), [0.5, 0.5])


def test_a_one_input_network_takes_a_plain_number():
    net = Network((1, 1), seed=0)
    assert net.predict(0.1).shape == (1,)
    np.testing.assert_array_equal(net.predict(0.1), net.predict([0.1]))
    assert net.predict(0.1)[0] == pytest.approx(sig(0.1 * net.weights[0][0, 0]), rel=1e-15)
    assert net.predict([[0.1], [0.2]]).shape == (2, 1)
    assert net.error(0.1, 0.3) == pytest.approx((net.predict(0.1)[0] - 0.3) ** 2, rel=1e-15)


def test_copy_is_independent_and_keeps_biases():
    net = Network((3, 2, 1), seed=0, biases=[[0.3, -0.2], [0.1]])
    twin = net.copy()
    assert twin is not net and twin.sizes == net.sizes and twin.bias
    for a, b in zip(twin.weights + twin.biases, net.weights + net.biases):
        np.testing.assert_array_equal(a, b)
        assert not np.shares_memory(a, b)
    twin.weights[0][0, 0] += 1.0
    twin.biases[0][0] += 1.0
    assert net.weights[0][0, 0] != twin.weights[0][0, 0] and net.biases[0][0] == 0.3
    # bias=True with zero biases stays a network with biases
    zero = Network((2, 1), seed=0, bias=True).copy()
    assert zero.bias and [b.shape for b in zero.biases] == [(1,)]
    assert Network((2, 1), seed=0).copy().biases == []
    assert copy.deepcopy(net).bias


def test_error_is_the_mean_over_samples_of_the_summed_squared_error():
    net = Network((2, 3, 2), seed=1)
    x = np.array([[0.1, 0.4], [1.0, -1.0], [0.3, 0.3]])
    target = np.array([[0.2, 0.9], [0.5, 0.5], [0.0, 1.0]])
    expected = np.mean([np.sum((net.predict(xi) - ti) ** 2) for xi, ti in zip(x, target)])
    assert net.error(x, target) == pytest.approx(expected, rel=1e-14)
    # one sample, one output: the series' error (predicted - target)^2
    one = Network((3, 2, 1), seed=0)
    assert one.error([0.1, 0.4, 4.1], 0.2) == pytest.approx(
        gdlib.error(one.predict([0.1, 0.4, 4.1])[0], 0.2), rel=1e-15)
    assert isinstance(one.error([0.1, 0.4, 4.1], 0.2), float)


@pytest.mark.parametrize("target", [0.2, [0.2], [[0.2]], np.array(0.2)])
def test_one_output_targets_in_any_natural_shape(target):
    net = Network((3, 2, 1), seed=0)
    reference = net.gradients([0.1, 0.4, 4.1], [0.2])
    got = net.gradients([0.1, 0.4, 4.1], target)
    for a, b in zip(got.weights, reference.weights):
        np.testing.assert_array_equal(a, b)
    assert net.error([0.1, 0.4, 4.1], target) == net.error([0.1, 0.4, 4.1], [0.2])


def test_batch_with_one_output_takes_target_m_or_m_by_1():
    net = Network((2, 2, 1), seed=0, bias=True)
    x = [[0.1, 0.4], [0.5, 0.6], [1.0, 0.0]]
    flat = net.gradients(x, [0.1, 0.2, 0.3])
    column = net.gradients(x, [[0.1], [0.2], [0.3]])
    for a, b in zip(flat.weights + flat.biases, column.weights + column.biases):
        np.testing.assert_array_equal(a, b)
    assert net.error(x, [0.1, 0.2, 0.3]) == net.error(x, [[0.1], [0.2], [0.3]])
    # m = 1: a batch of one sample
    assert net.predict([[0.1, 0.4]]).shape == (1, 1)
    assert net.error([[0.1, 0.4]], [0.3]) == net.error([0.1, 0.4], 0.3)


def test_gradients_have_the_network_shapes_and_change_nothing():
    net = Network((3, 4, 2), seed=0, biases=[[0.1, 0.2, 0.3, 0.4], [0.5, 0.6]])
    before = copy.deepcopy(net)
    grads = net.gradients([0.1, 0.4, 4.1], [0.2, 0.8])
    assert [g.shape for g in grads.weights] == [w.shape for w in net.weights]
    assert [g.shape for g in grads.biases] == [b.shape for b in net.biases]
    for a, b in zip(net.weights + net.biases, before.weights + before.biases):
        np.testing.assert_array_equal(a, b)
    assert Network((2, 1), seed=0).gradients([0.1, 0.4], 0.3).biases == []


def test_gradients_of_the_1_1_network_are_the_series_g1_g2_g3():
    net = Network((1, 1), seed=0)
    x, target = 0.1, 0.3
    w = net.weights[0][0, 0]
    sop = x * w
    g1 = gdlib.error_predicted_deriv(gdlib.sigmoid(sop), target)
    g2 = gdlib.sigmoid_sop_deriv(sop)
    g3 = gdlib.sop_w_deriv(x)
    assert net.gradients(x, target).weights[0][0, 0] == pytest.approx(g1 * g2 * g3, rel=1e-14)


def test_forward_pass_holds_every_layer():
    net = Network((3, 2, 1), seed=0, bias=True)
    fp = net.forward([[0.1, 0.4, 4.1], [1.0, 1.0, 1.0]])
    assert isinstance(fp, gdlib.ForwardPass)
    assert [s.shape for s in fp.sops] == [(2, 2), (2, 1)]
    assert [a.shape for a in fp.activs] == [(2, 3), (2, 2), (2, 1)]
    for sop, activ in zip(fp.sops, fp.activs[1:]):
        np.testing.assert_array_equal(activ, gdlib.sigmoid(sop))


def test_huge_weights_predict_without_warnings():
    net = Network((3, 2, 1), weights=[np.full((3, 2), 1e300), np.array([[1e300], [-1e300]])])
    predicted = net.predict([[1e300, 1e300, 1e300], [0.1, 0.4, 4.1]])  # RuntimeWarnings are errors here
    assert predicted.shape == (2, 1)
    net.gradients([1e300, 1e300, 1e300], 0.5)
    net.error([1e300, 1e300, 1e300], 0.5)


def test_repr_shows_every_weight_matrix():
    text = repr(Network((3, 2, 1), seed=0, bias=True))
    assert "sizes=(3, 2, 1)" in text and "bias=True" in text
    assert "weights[0]" in text and "shape (3, 2)" in text and "weights[1]" in text and "biases[1]" in text


# ------------------------------------------------ sizes and bias are fixed; options agree
def test_sizes_and_bias_cannot_change_after_the_network_is_made():
    net = Network((3, 2, 1), seed=0)
    with pytest.raises(AttributeError, match=r"^sizes cannot change after a Network is made: make a new one"):
        net.sizes = (3, 2000, 1)
    with pytest.raises(AttributeError, match=r"^bias cannot change after a Network is made"):
        net.bias = True
    assert net.sizes == (3, 2, 1) and net.bias is False
    assert net.predict([0.1, 0.4, 4.1]).shape == (1,)


def test_bias_follows_biases_unless_said():
    assert Network((2, 1), weights=[[[0.5], [0.5]]], biases=[[0.25]]).bias is True
    assert Network((2, 1), seed=0).bias is False and Network((2, 1), seed=0).biases == []
    with_zeros = Network((2, 1), seed=0, bias=True)
    assert with_zeros.bias is True and with_zeros.biases[0].tolist() == [0.0]
    assert Network((2, 1), weights=[[[0.5], [0.5]]], bias=True, biases=[[0.25]]).biases[0].tolist() == [0.25]


@pytest.mark.parametrize("options, error, pattern", [
    (dict(bias=False, biases=[[0.1, 0.2], [0.3]]), ValueError, r"^bias=False contradicts biases="),
    (dict(seed=0, weights=[np.ones((3, 2)), np.ones((2, 1))]), ValueError, r"^seed and weights contradict"),
    (dict(seed=0, bias="yes"), TypeError, r"^bias must be True, False or None"),
])
def test_contradicting_options_are_refused_in_one_sentence(options, error, pattern):
    with pytest.raises(error, match=pattern) as caught:
        Network((3, 2, 1), **options)
    assert "\n" not in str(caught.value) and str(caught.value).endswith(".")


# ------------------------------------------------------ parameters checked on use
def test_check_parameters_returns_new_float64_c_contiguous_arrays():
    from gdlib.checks import check_parameters

    net = Network((3, 2, 1), seed=0, bias=True)
    net.weights[0] = np.asfortranarray(np.arange(6).reshape(3, 2))  # ints, Fortran order
    net.biases[1] = [0.5]  # a list
    weights, biases = check_parameters(net)
    for array, expected in zip(weights + biases, [np.arange(6.0).reshape(3, 2), net.weights[1], [0.0, 0.0],
                                                  [0.5]]):
        assert array.dtype == np.float64 and array.flags.c_contiguous
        np.testing.assert_array_equal(array, expected)
        given = [a for a in net.weights + net.biases if isinstance(a, np.ndarray)]
        assert not any(np.shares_memory(array, a) for a in given)
    assert check_parameters(Network((2, 1), seed=0))[1] == []


def test_every_method_rechecks_reassigned_weights():
    net = Network((3, 2, 1), seed=0)
    net.weights[1] = np.ones((2000, 1))
    message = r"^weights\[1\] must have shape \(2, 1\) for sizes \(3, 2, 1\), got \(2000, 1\)\.$"
    for call in (lambda: net.predict([0.1, 0.4, 4.1]), lambda: net.forward([0.1, 0.4, 4.1]),
                 lambda: net.error([0.1, 0.4, 4.1], 0.2), lambda: net.gradients([0.1, 0.4, 4.1], 0.2),
                 net.copy, lambda: gdlib.numerical_gradients(net, [0.1, 0.4, 4.1], 0.2),
                 lambda: gdlib.train(net, [0.1, 0.4, 4.1], 0.2, learning_rate=0.1, iterations=3,
                                     engine="numpy")):
        with pytest.raises(ValueError, match=message):
            call()
    assert net.n_parameters == 8  # from sizes, whatever the arrays hold
    assert "shape (2000, 1)" in repr(net)  # repr still shows what is there


def test_a_list_put_in_weights_works_everywhere_like_the_array():
    net, twin = Network((3, 2, 1), seed=0), Network((3, 2, 1), seed=0)
    net.weights[1] = [[0.5], [-0.25]]
    twin.weights[1] = np.array([[0.5], [-0.25]])
    x = [0.1, 0.4, 4.1]
    np.testing.assert_array_equal(net.predict(x), twin.predict(x))
    np.testing.assert_array_equal(net.gradients(x, 0.2).weights[1], twin.gradients(x, 0.2).weights[1])
    copied = net.copy()
    assert isinstance(copied.weights[1], np.ndarray) and copied.weights[1].dtype == np.float64


def test_gradients_come_as_a_gradients_shaped_like_the_network():
    net = Network((3, 2, 1), seed=0, bias=True)
    grads = net.gradients([0.1, 0.4, 4.1], 0.2)
    assert isinstance(grads, gdlib.Gradients)
    assert [g.shape for g in grads.weights] == [w.shape for w in net.weights]
    assert [g.shape for g in grads.biases] == [b.shape for b in net.biases]
