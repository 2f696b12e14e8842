"""The compiled fast path of ``train``: the same arithmetic, compiled by numba.

Why it exists: a numpy loop pays ~15 microseconds of call overhead per iteration,
so 80,000 iterations of the 3-2-1 example take over a second, too slow for a
slider. The loops below do exactly what ``network.backprop`` and ``update_w``
do, one number at a time, and numba compiles them to machine code (~13 ms for
that run). Read ``network.backprop`` to learn the method; this file only makes
it fast. Tests check that both give the same trajectory to 1e-12.

If numba cannot be installed, ``AVAILABLE`` is False and ``train`` uses numpy.
"""

import numpy as np

try:
    from numba import njit

    AVAILABLE = True
except ImportError:  # the course still works, only slower
    AVAILABLE = False

    def njit(*args, **kwargs):
        return lambda function: function


@njit(cache=True)
def _train_loop(params, sizes, w_off, b_off, x, t, lr, iterations, predictions, errors):
    """Full-batch gradient descent on a flat parameter vector, in place.

    ``params[w_off[l] + z * sizes[l+1] + y]`` is weights[l][z, y] and
    ``params[b_off[l] + y]`` is biases[l][y] (``b_off[l] < 0``: no bias).
    """
    n_layers = sizes.shape[0]
    last = n_layers - 1
    m = x.shape[0]
    a_off = np.zeros(n_layers + 1, np.int64)  # where each layer starts in act/delta
    for l in range(n_layers):
        a_off[l + 1] = a_off[l] + sizes[l]
    act = np.empty((m, a_off[n_layers]))
    delta = np.empty((m, a_off[n_layers]))
    grad = np.empty(params.shape[0])
    for k in range(iterations):
        for s in range(m):  # forward pass: Activ = sigmoid(SOP)
            for z in range(sizes[0]):
                act[s, z] = x[s, z]
            for l in range(last):
                for y in range(sizes[l + 1]):
                    sop = 0.0
                    for z in range(sizes[l]):
                        sop += act[s, a_off[l] + z] * params[w_off[l] + z * sizes[l + 1] + y]
                    if b_off[l] >= 0:
                        sop += params[b_off[l] + y]
                    # sigmoid as in chain_rule (compiled exp gives inf, then 0.0, silently)
                    act[s, a_off[l + 1] + y] = 1.0 / (1.0 + np.exp(-sop))
        total = 0.0  # error, and delta = g1 * g2 / m at the output
        for s in range(m):
            for j in range(sizes[last]):
                a = act[s, a_off[last] + j]
                predictions[k, s, j] = a
                diff = a - t[s, j]
                total += diff * diff
                delta[s, a_off[last] + j] = 2.0 * diff * (a * (1.0 - a)) / m
        errors[k] = total / m
        grad[:] = 0.0
        for l in range(last - 1, -1, -1):  # backward pass, layer by layer
            for s in range(m):
                for z in range(sizes[l]):
                    a = act[s, a_off[l] + z]
                    for y in range(sizes[l + 1]):
                        grad[w_off[l] + z * sizes[l + 1] + y] += a * delta[s, a_off[l + 1] + y]
                if b_off[l] >= 0:
                    for y in range(sizes[l + 1]):
                        grad[b_off[l] + y] += delta[s, a_off[l + 1] + y]
                if l > 0:
                    for z in range(sizes[l]):
                        back = 0.0
                        for y in range(sizes[l + 1]):
                            back += delta[s, a_off[l + 1] + y] * params[w_off[l] + z * sizes[l + 1] + y]
                        a = act[s, a_off[l] + z]
                        delta[s, a_off[l] + z] = back * (a * (1.0 - a))
        for i in range(params.shape[0]):  # simultaneous update of every parameter
            params[i] -= lr * grad[i]


def train_compiled(weights, biases, x, target, learning_rate, iterations):
    """Run ``_train_loop`` on lists of arrays; returns predictions, errors, weights, biases.

    ``x`` is ``(m, n_in)`` and ``target`` ``(m, n_out)``; predictions come back as
    ``(iterations, m, n_out)``.
    """
    sizes = np.array([w.shape[0] for w in weights] + [weights[-1].shape[1]], dtype=np.int64)
    pieces, w_off, b_off, start = [], [], [], 0
    for l, w in enumerate(weights):
        w_off.append(start)
        pieces.append(w.ravel())
        start += w.size
        if biases:
            b_off.append(start)
            pieces.append(biases[l])
            start += biases[l].size
        else:
            b_off.append(-1)
    params = np.concatenate(pieces).astype(float)
    m, n_out = target.shape
    predictions = np.empty((iterations, m, n_out))
    errors = np.empty(iterations)
    _train_loop(
        params, sizes, np.array(w_off, np.int64), np.array(b_off, np.int64),
        np.ascontiguousarray(x), np.ascontiguousarray(target),
        float(learning_rate), int(iterations), predictions, errors,
    )
    new_w = [params[o:o + w.size].reshape(w.shape).copy() for o, w in zip(w_off, weights)]
    new_b = [params[o:o + b.size].copy() for o, b in zip(b_off, biases)] if biases else []
    return predictions, errors, new_w, new_b
