"""The chain-rule pieces against their definitions and against finite differences."""

import math
import re
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdlib import (
    cross_entropy,
    cross_entropy_sop_deriv,
    error,
    error_predicted_deriv,
    sigmoid,
    sigmoid_sop_deriv,
    sop_w_deriv,
    update_w,
)

SOPS = [-30.0, -7.5, -2.0, -0.3, 0.0, 0.1, 0.7, 1.0, 3.3, 12.0, 30.0]


def central_difference(function, at, h):
    return (function(at + h) - function(at - h)) / (2 * h)


@pytest.mark.parametrize("sop", SOPS)
def test_sigmoid_is_one_over_one_plus_e_to_minus_sop(sop):
    assert sigmoid(sop) == pytest.approx(1 / (1 + math.exp(-sop)), rel=1e-15, abs=0)


def test_sigmoid_keeps_the_shape_and_works_element_by_element():
    sops = np.array(SOPS).reshape(1, -1)
    result = sigmoid(sops)
    assert result.shape == sops.shape and result.dtype == np.float64
    np.testing.assert_allclose(result[0], [sigmoid(s) for s in SOPS], rtol=0, atol=0)
    assert np.ndim(sigmoid(0.3)) == 0 and isinstance(sigmoid(0.3), float)
    assert sigmoid(0) == 0.5 and sigmoid([0.0, 0.0]).shape == (2,)
    np.testing.assert_allclose(sigmoid(-sops), 1 - result, rtol=0, atol=1e-15)  # symmetry


EXTREMES = [1e4, -1e4, 1e308, -1e308, 709.0, -709.0, 710.0, -710.0, 746.0, -746.0, 5e-324, -5e-324]


@pytest.mark.parametrize("sop", EXTREMES)
def test_sigmoid_of_huge_sops_has_no_warning_and_no_nan(sop):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):  # whatever the learner's numpy settings
            value = sigmoid(sop)
            slope = sigmoid_sop_deriv(sop)
    assert np.isfinite(value) and 0.0 <= value <= 1.0
    assert np.isfinite(slope) and 0.0 <= slope <= 0.25
    if abs(sop) >= 1e4:
        assert value == (1.0 if sop > 0 else 0.0)
        assert slope == 0.0


def test_sigmoid_of_an_array_of_extremes_has_no_warning():
    sops = np.array([EXTREMES, EXTREMES[::-1]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = sigmoid(sops)
    assert not np.isnan(values).any()
    assert values[0, 0] == 1.0 and values[0, 1] == 0.0 and values[0, 2] == 1.0 and values[0, 3] == 0.0


@settings(max_examples=100, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False), st.floats(allow_nan=False, allow_infinity=False))
def test_sigmoid_is_bounded_and_increasing_for_any_finite_sop(a, b):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sa, sb = sigmoid(a), sigmoid(b)
    assert 0.0 <= sa <= 1.0
    if a < b:
        assert sa <= sb


@pytest.mark.parametrize("sop", SOPS[1:-1])
def test_sigmoid_sop_deriv_matches_a_central_difference_of_sigmoid(sop):
    numeric = central_difference(sigmoid, sop, 1e-5)
    assert sigmoid_sop_deriv(sop) == pytest.approx(numeric, rel=1e-8, abs=1e-10)  # rounding: ~1e-11
    assert sigmoid_sop_deriv(sop) == pytest.approx(sigmoid(sop) * (1 - sigmoid(sop)), rel=1e-15)


def test_sigmoid_sop_deriv_is_evaluated_at_the_sop_not_the_prediction():
    sop = 2.0
    slope = central_difference(sigmoid, sop, 1e-5)
    assert sigmoid_sop_deriv(sop) == pytest.approx(slope, rel=1e-8)
    # the series' Parts 1-2 mistake, evaluating at sigmoid(sop), gives a different number
    assert abs(sigmoid_sop_deriv(sigmoid(sop)) - slope) > 0.1


def test_sigmoid_sop_deriv_on_an_array():
    sops = np.array([[-2.0, 0.0], [0.5, 3.0]])
    np.testing.assert_allclose(sigmoid_sop_deriv(sops), central_difference(sigmoid, sops, 1e-5),
                               rtol=1e-8, atol=0)
    assert sigmoid_sop_deriv(sops).shape == (2, 2)
    assert sigmoid_sop_deriv(0.0) == 0.25


@pytest.mark.parametrize("predicted, target", [(0.5, 0.3), (0.1, 0.3), (0.3, 0.3), (0.99, 0.0), (0.0, 1.0)])
def test_error_and_its_derivative(predicted, target):
    assert error(predicted, target) == pytest.approx((predicted - target) ** 2, rel=1e-15, abs=0)
    numeric = central_difference(lambda p: error(p, target), predicted, 1e-6)
    assert error_predicted_deriv(predicted, target) == pytest.approx(numeric, rel=1e-7, abs=1e-9)
    assert error_predicted_deriv(predicted, target) == pytest.approx(2 * (predicted - target), rel=1e-15)


def test_error_pieces_on_arrays():
    predicted = np.array([[0.2, 0.9], [0.5, 0.1]])
    target = np.array([[0.3, 0.3], [0.5, 0.0]])
    np.testing.assert_allclose(error(predicted, target), (predicted - target) ** 2)
    np.testing.assert_allclose(error_predicted_deriv(predicted, target), 2 * (predicted - target))
    np.testing.assert_allclose(error_predicted_deriv(predicted, target),
                               central_difference(lambda p: error(p, target), predicted, 1e-6),
                               rtol=1e-7, atol=1e-9)


def test_sop_w_deriv_is_the_input():
    assert sop_w_deriv(0.1) == 0.1 and isinstance(sop_w_deriv(0.1), float)
    np.testing.assert_array_equal(sop_w_deriv([0.1, 0.4, 4.1]), [0.1, 0.4, 4.1])
    # dSOP/dW by a central difference of SOP = x * w
    x, w = 4.1, 0.37
    assert sop_w_deriv(x) == pytest.approx(central_difference(lambda v: x * v, w, 1e-6), rel=1e-9)


def test_update_w_returns_a_new_value_and_leaves_the_old_one():
    assert update_w(0.5, 0.2, 0.1) == pytest.approx(0.48, rel=1e-15)
    w = np.array([[0.5, 0.2], [0.1, 0.9]])
    old = w.copy()
    grad = np.array([[1.0, -1.0], [0.0, 2.0]])
    new = update_w(w, grad, 0.5)
    np.testing.assert_array_equal(w, old)
    assert not np.shares_memory(new, w)
    np.testing.assert_allclose(new, old - 0.5 * grad, rtol=0, atol=0)


@pytest.mark.parametrize("x, w, target", [(0.1, 0.6, 0.3), (4.1, -0.2, 0.2), (-1.5, 0.9, 0.8)])
def test_one_neuron_chain_rule_is_the_slope_of_the_error(x, w, target):
    """g1 * g2 * g3 for one neuron equals dError/dW by central differences."""
    sop = x * w
    g1 = error_predicted_deriv(sigmoid(sop), target)
    g2 = sigmoid_sop_deriv(sop)
    g3 = sop_w_deriv(x)
    numeric = central_difference(lambda v: error(sigmoid(x * v), target), w, 1e-6)
    assert g1 * g2 * g3 == pytest.approx(numeric, rel=1e-7, abs=1e-10)


# ------------------------------------------------------------------ bad input
def test_a_missing_return_is_named():
    forgot = r"^grad is None: did the function that computes it forget `return`\?$"
    with pytest.raises(TypeError, match=forgot):
        update_w(0.5, None, 0.1)
    with pytest.raises(TypeError, match=r"^w is None"):
        update_w(None, 0.2, 0.1)
    with pytest.raises(TypeError, match=r"^sop is None"):
        sigmoid(None)
    with pytest.raises(TypeError, match=r"^sop is None"):
        sigmoid_sop_deriv(None)
    with pytest.raises(TypeError, match=r"^target is None"):
        error(0.5, None)
    with pytest.raises(TypeError, match=r"^predicted is None"):
        error_predicted_deriv(None, 0.3)
    with pytest.raises(TypeError, match=r"^x is None"):
        sop_w_deriv(None)


@pytest.mark.parametrize("call", [
    lambda: sigmoid("2"), lambda: sigmoid(["2", "3"]), lambda: sigmoid_sop_deriv("0.5"),
    lambda: error("0.5", 0.3), lambda: error_predicted_deriv(0.5, "0.3"), lambda: sop_w_deriv("0.1"),
    lambda: update_w("0.5", 0.2, 0.1), lambda: update_w(0.5, [0.2, "x"], 0.1),
], ids=["sigmoid", "sigmoid list", "g2", "error", "g1", "g3", "update_w w", "update_w grad"])
def test_text_is_refused_not_converted(call):
    with pytest.raises(TypeError, match=r"must be (a number|real numbers)"):
        call()


@pytest.mark.parametrize("w, grad", [
    (np.zeros(3), np.zeros(2)), (np.zeros(3), np.zeros((3, 1))), (np.zeros((2, 2)), np.zeros(2)),
    (0.5, np.zeros(2)), (np.zeros(2), 0.1),
])
def test_update_w_refuses_a_grad_of_another_shape(w, grad):
    expected = (rf"^grad must have w's shape {re.escape(str(np.shape(w)))} \(one slope per weight\), "
                rf"got shape {re.escape(str(np.shape(grad)))}\.$")
    with pytest.raises(ValueError, match=expected):
        update_w(w, grad, 0.1)


@pytest.mark.parametrize("learning_rate", [0, -0.1, np.nan, np.inf, "0.1", None, True, [0.1]])
def test_update_w_checks_the_learning_rate(learning_rate):
    with pytest.raises((TypeError, ValueError), match="learning_rate"):
        update_w(0.5, 0.2, learning_rate)


def test_nan_numbers_are_refused_and_nan_free_lists_are_converted():
    with pytest.raises(ValueError, match=r"^w is nan: use a finite number\.$"):
        update_w(float("nan"), 0.2, 0.1)
    with pytest.raises(ValueError, match=r"^sop is inf"):
        sigmoid(np.float64("inf"))
    with pytest.raises(ValueError, match=r"^grad contains NaN"):
        update_w([0.5, 0.5], [0.1, np.nan], 0.1)
    np.testing.assert_allclose(update_w([0.5, 0.2], [1, 1], 0.1), [0.4, 0.1], rtol=0, atol=1e-15)
    assert update_w(1, 1, 1) == 0.0 and sigmoid(0) == 0.5
    with pytest.raises(ValueError, match=r"^target must have predicted's shape \(3,\) \(or be one number\)"):
        error(np.zeros(3), np.zeros(2))
    np.testing.assert_allclose(error(np.array([0.5, 0.1]), 0.3), [0.04, 0.04], rtol=1e-14)  # one target


# ------------------------------------------------ the cross-entropy (notebook 09)
@pytest.mark.parametrize("sop", SOPS)
@pytest.mark.parametrize("target", [0.0, 0.2, 1.0])
def test_cross_entropy_is_minus_t_ln_p_minus_one_minus_t_ln_one_minus_p(sop, target):
    p = 1 / (1 + math.exp(-sop))
    if 1e-12 < p < 1 - 1e-12:  # where the textbook formula is still exact in floats
        expected = -(target * math.log(p) + (1 - target) * math.log(1 - p))
        assert math.isclose(cross_entropy(sop, target), expected, rel_tol=1e-9, abs_tol=1e-12)


def test_cross_entropy_stays_finite_where_the_sigmoid_rounds_to_0_or_1():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no log(0) warning either
        values = cross_entropy(np.array([-800.0, 800.0]), np.array([1.0, 0.0]))
    np.testing.assert_allclose(values, [800.0, 800.0], rtol=1e-12)  # -ln sigmoid(-800) = 800 + tiny


@pytest.mark.parametrize("sop", SOPS)
def test_the_cross_entropy_slope_in_the_sop_is_p_minus_t(sop):
    target = 0.3
    slope = central_difference(lambda s: cross_entropy(s, target), sop, 1e-5)
    p = 1 / (1 + math.exp(-sop))
    assert math.isclose(cross_entropy_sop_deriv(p, target), p - target, abs_tol=1e-15)
    assert math.isclose(cross_entropy_sop_deriv(p, target), slope, rel_tol=1e-6, abs_tol=1e-9)
