"""The chain-rule pieces of the series, one small function each.

Introduced in notebook 01. Every function works on a float or on a numpy array
(element by element), so the same names serve one neuron and a whole layer.

For one neuron with input ``x``, weight ``w`` and target ``t``::

    sop       = x * w                      # sum of products (SOP)
    predicted = sigmoid(sop)               # Activ
    err       = error(predicted, t)        # (predicted - t) ** 2

    g1 = error_predicted_deriv(predicted, t)   # dError/dPredicted
    g2 = sigmoid_sop_deriv(sop)                # dPredicted/dSOP  (at the SOP!)
    g3 = sop_w_deriv(x)                        # dSOP/dW
    w  = update_w(w, g1 * g2 * g3, learning_rate)

Each piece checks what it is given (None, text, a NaN number, mismatched
shapes give one sentence), cheaply: ``train``'s numpy loop calls them too.
"""

import numpy as np

from .checks import check_learning_rate, check_numbers, check_same_shape


def sigmoid(sop):
    """Squash a SOP into (0, 1): ``1 / (1 + e^-sop)``.

    Introduced in notebook 01.

    For a very negative SOP (below about -709), ``e^-sop`` is too big for a
    float and becomes infinity; ``1 / (1 + inf)`` is then 0.0, which is the
    right answer, so numpy is told not to warn about it. Hence ``sigmoid(1e4)``
    is 1.0 and ``sigmoid(-1e4)`` is 0.0, with no warning and no NaN.
    """
    sop = check_numbers(sop, "sop")
    with np.errstate(over="ignore", under="ignore"):  # e^-sop may be inf or 0: both fine here
        result = 1.0 / (1.0 + np.exp(-sop))
    return result[()]  # a float for a float, an array for an array


def error(predicted, target):
    """Squared error of one prediction: ``(predicted - target) ** 2``.

    Introduced in notebook 01.
    """
    predicted, target = _pair(predicted, "predicted", target, "target")
    return (predicted - target) ** 2


def error_predicted_deriv(predicted, target):
    """g1 = dError/dPredicted = ``2 * (predicted - target)``.

    Introduced in notebook 01.
    """
    predicted, target = _pair(predicted, "predicted", target, "target")
    return 2.0 * (predicted - target)


def sigmoid_sop_deriv(sop):
    """g2 = dActiv/dSOP = ``sigmoid(sop) * (1 - sigmoid(sop))``.

    Introduced in notebook 01.

    Evaluate it at the SOP, never at the prediction: the series' Parts 1 and 2
    passed the prediction here, a pitfall taught in notebook 01.
    """
    s = sigmoid(sop)
    return s * (1.0 - s)


def softplus(sop):
    """``ln(1 + e^sop)``, without overflow: ``ln(sigmoid(sop)) = -softplus(-sop)``."""
    sop = check_numbers(sop, "sop")
    with np.errstate(under="ignore"):  # e^-800 is 0 to a float: fine here
        return np.logaddexp(0.0, sop)[()]  # ln(e^0 + e^sop), computed stably


def cross_entropy(sop, target):
    """Cross-entropy of one output: ``-(t ln p + (1 - t) ln(1 - p))`` for ``p = sigmoid(sop)``.

    Introduced in notebook 09. Computed from the SOP, not from p: ``ln p = -softplus(-sop)``
    and ``ln(1 - p) = -softplus(sop)``, so it stays finite where p rounds to exactly 0 or 1
    (where ``ln p`` itself would be -infinity). ``target`` lies in [0, 1]; the least error,
    reached at p = t, is 0 for a target of 0 or 1 (and ln 2 = 0.693 at p = 0.5).
    """
    sop, target = _pair(sop, "sop", target, "target")
    with np.errstate(invalid="ignore"):  # 0 * inf where a SOP overflowed to +-inf: the limit is 0
        on = np.where(target == 0, 0.0, target * softplus(-sop))  # -t ln p
        off = np.where(target == 1, 0.0, (1.0 - target) * softplus(sop))  # -(1 - t) ln(1 - p)
    return (on + off)[()]


def cross_entropy_sop_deriv(predicted, target):
    """g1 * g2 for the cross-entropy: dError/dSOP = ``predicted - target``.

    Not used by name in the notebooks: notebook 09 derives it as ``p - t``.

    g1 = ``(p - t) / (p (1 - p))`` and g2 = ``p (1 - p)``: the sigmoid's slope cancels
    (notebook 09 derives it), so a saturated output still learns.
    """
    predicted, target = _pair(predicted, "predicted", target, "target")
    return predicted - target


def sop_w_deriv(x):
    """g3 (or g5) = dSOP/dW: the input that the weight multiplies.

    Introduced in notebook 01.
    """
    return np.asarray(check_numbers(x, "x"), dtype=float)[()]


def update_w(w, grad, learning_rate):
    """One gradient-descent step: ``w - learning_rate * grad``, as a new value.

    Introduced in notebook 01.

    ``grad`` must have ``w``'s shape (one slope per weight). The old ``w`` is left
    as it was (no in-place update), so nothing that still refers to it changes
    behind your back: see the aliasing pitfall in notebook 04.
    """
    w = check_numbers(w, "w")
    grad = check_numbers(grad, "grad")
    learning_rate = check_learning_rate(learning_rate)
    check_same_shape(w, "w", grad, "grad", number_ok=False)
    return w - learning_rate * grad  # a new value: w itself is left as it was


def _pair(a, a_name, b, b_name):
    """Two checked operands of the same shape, or one of them a plain number."""
    a, b = check_numbers(a, a_name), check_numbers(b, b_name)
    check_same_shape(a, a_name, b, b_name, number_ok=True)
    return a, b
