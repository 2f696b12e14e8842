"""The comparison of backprop's gradient with central differences, shared by
test_gradient_check.py and test_descent_variants.py."""

import numpy as np

from gdlib import relative_difference


def assert_close_to_central_differences(analytic, numeric, error, eps=1e-6):
    """Backprop's gradient within 1e-6 (relative) of the central differences, or within their own
    rounding: (E(p + eps) - E(p - eps)) / (2 eps) carries an error of about 1e-16 * E / eps per
    parameter, which is all there is to compare where saturated neurons make the slopes ~1e-7."""
    a, n = (np.concatenate([np.ravel(g) for g in grads.weights + grads.biases])
            for grads in (analytic, numeric))
    rounding = 10 * np.finfo(float).eps * max(error, 1.0) / eps * np.sqrt(a.size)
    assert np.linalg.norm(a - n) <= 1e-6 * (np.linalg.norm(a) + np.linalg.norm(n)) + rounding, (
        relative_difference(analytic, numeric))
