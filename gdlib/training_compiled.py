"""The loop of ``training._train_numpy`` and ``network.backprop``, compiled by numba.

Same loop, compiled: read ``gdlib/network.py`` (``forward``, ``backprop``) and
``gdlib/training.py`` (``_train_numpy``) to learn the method; this file only
makes it fast. It does what they do, one number at a time, on one flat vector
of parameters, and numba compiles it to machine code: the momentum, the
mini-batches (from an order of the samples drawn as ``_train_numpy`` draws it)
and the cross-entropy too.

Why it exists: a numpy loop pays ~15 microseconds of call overhead per iteration,
so 80,000 iterations of the 3-2-1 example take over a second, too slow for a
slider; compiled, ~10 ms. Both engines give the same trajectory to rounding
(tests: within 1e-12 on the course's examples). They add the same numbers in
another order, though, and in a chaotic run the last-bit differences grow step
after step: on XOR (2-2-1 with bias, seed 0) at learning rate 50 the two
trajectories part after about 70 iterations, as two runs of any chaotic system do.

Compiled code does not check array bounds: ``train_compiled`` checks that the
flat vector, its offsets and every array agree with ``sizes`` before calling it,
and runs it in chunks so that Ctrl-C (interrupt the kernel) stops a long run.

If numba cannot be installed, ``AVAILABLE`` is False and ``train`` uses numpy.
"""

import numpy as np

from .checks import check_positive_int

try:
    from numba import njit

    AVAILABLE = True
except ImportError:  # the course still works, only slower
    AVAILABLE = False

    def njit(*args, **kwargs):
        return lambda function: function

# error_model="numpy": a division by zero gives inf or nan, as in numpy, instead of a check before
# every division that raises ZeroDivisionError. No division here can be by zero (1 + e^-sop >= 1,
# batch and sample counts >= 1), so the numbers are the same to the last bit; without the checks
# the compiler can run a loop over the samples several at a time: ~1.7x faster, and it compiles
# in ~6 s instead of ~10 (once per checkout, kept in gdlib/__pycache__).
_compiled = njit(cache=True, error_model="numpy")


@_compiled
def _softplus(s):
    """ln(1 + e^s) without overflow, as ``numpy.logaddexp(0, s)``."""
    return max(s, 0.0) + np.log1p(np.exp(-abs(s)))


@_compiled
def _train_loop(params, sizes, w_off, b_off, x_t, t, lr, iterations, first, momentum, velocity, order,
                first_epoch, batch_size, cross_entropy, predictions, errors, batch_errors, parameters):
    """Gradient descent on a flat parameter vector, in place: ``iterations`` updates, the
    first of them update number ``first`` of the run.

    ``params[w_off[l] + z * sizes[l+1] + y]`` is weights[l][z, y] and
    ``params[b_off[l] + y]`` is biases[l][y] (``b_off[l] < 0``: no bias). ``x_t`` is
    x transposed, ``(n_in, m)``: every array here holds one row per neuron and one
    column per sample, so that the CPU computes a neuron's SOP on several samples at once.
    Update k uses the samples ``order[row, j * batch_size:(j + 1) * batch_size]``,
    where j is k's place in its epoch and ``row`` its epoch (counted from
    ``first_epoch``, modulo the rows given: one row serves every epoch when the
    order never changes). ``velocity`` carries the momentum from call to call.
    ``batch_errors`` and ``parameters`` are filled only if they have rows.
    """
    n_layers = sizes.shape[0]
    last = n_layers - 1
    m = x_t.shape[1]
    n_out = sizes[last]
    a_off = np.zeros(n_layers + 1, np.int64)  # where each layer starts in act/delta
    for l in range(n_layers):
        a_off[l + 1] = a_off[l] + sizes[l]
    out = a_off[last]
    act = np.empty((a_off[n_layers], m))  # act[a_off[l] + z, s]: Activ of neuron z of layer l, sample s
    act[:sizes[0]] = x_t  # layer 0 is the input
    delta = np.empty((a_off[n_layers], m))  # dE/dSOP: at the output on every sample, below on the batch
    sops = np.empty((a_off[n_layers], m))  # sops[a_off[l] + y, s]: SOP of neuron y of layer l, sample s
    grad = np.empty(params.shape[0])
    per_epoch = (m + batch_size - 1) // batch_size
    record_batch, record_parameters = batch_errors.shape[0] > 0, parameters.shape[0] > 0
    j = first % per_epoch  # this update's batch: the j-th of its epoch, in order[row]
    row = (first // per_epoch - first_epoch) % order.shape[0]
    for k in range(iterations):
        if record_parameters:
            parameters[k, :] = params
        for l in range(last):  # forward pass on every sample: Activ = sigmoid(SOP)
            n_in, n, w0, b0, i0, o0 = sizes[l], sizes[l + 1], w_off[l], b_off[l], a_off[l], a_off[l + 1]
            if m < 8:  # a few samples: one after the other (the same sums as below, quicker here)
                for s in range(m):
                    for y in range(n):
                        sop = act[i0, s] * params[w0 + y]
                        for z in range(1, n_in):
                            sop += act[i0 + z, s] * params[w0 + z * n + y]
                        if b0 >= 0:
                            sop += params[b0 + y]
                        sops[o0 + y, s] = sop
                        act[o0 + y, s] = 1.0 / (1.0 + np.exp(-sop))
                continue
            for y in range(n):  # SOP = Activ_0 * W_0y + Activ_1 * W_1y + ... (+ the bias), on every sample
                w = params[w0 + y]
                for s in range(m):
                    sops[o0 + y, s] = act[i0, s] * w
                for z in range(1, n_in):
                    w = params[w0 + z * n + y]
                    for s in range(m):
                        sops[o0 + y, s] += act[i0 + z, s] * w
                if b0 >= 0:
                    bias = params[b0 + y]
                    for s in range(m):
                        sops[o0 + y, s] += bias
                for s in range(m):  # sigmoid as in chain_rule (compiled exp gives inf, then 0.0, silently)
                    act[o0 + y, s] = 1.0 / (1.0 + np.exp(-sops[o0 + y, s]))
        begin, end = j * batch_size, min((j + 1) * batch_size, m)  # this update's batch
        size = end - begin
        total = 0.0  # E on every sample, and delta = g1 * g2 / size at the output (read for the batch)
        for s in range(m):
            for y in range(n_out):
                a = act[out + y, s]
                predictions[k, s, y] = a
                diff = a - t[s, y]
                if cross_entropy:  # g1 * g2 = p - t (notebook 09)
                    total += _loss(a, sops[out + y, s], t[s, y], cross_entropy)
                    delta[out + y, s] = diff / size
                else:
                    total += diff * diff
                    delta[out + y, s] = 2.0 * diff * (a * (1.0 - a)) / size
        errors[k] = total / m
        if record_batch:  # E on the batch
            total = 0.0
            for i in range(begin, end):
                s = order[row, i]
                for y in range(n_out):
                    total += _loss(act[out + y, s], sops[out + y, s], t[s, y], cross_entropy)
            batch_errors[k] = total / size
        for i in range(params.shape[0]):
            grad[i] = 0.0
        for l in range(last - 1, -1, -1):  # backward pass on the batch, layer by layer
            n_in, n, w0, b0, i0, o0 = sizes[l], sizes[l + 1], w_off[l], b_off[l], a_off[l], a_off[l + 1]
            for i in range(begin, end):
                s = order[row, i]
                for z in range(n_in):
                    a = act[i0 + z, s]
                    for y in range(n):
                        grad[w0 + z * n + y] += a * delta[o0 + y, s]
                if b0 >= 0:
                    for y in range(n):
                        grad[b0 + y] += delta[o0 + y, s]
                if l > 0:
                    for z in range(n_in):
                        back = 0.0
                        for y in range(n):
                            back += delta[o0 + y, s] * params[w0 + z * n + y]
                        a = act[i0 + z, s]
                        delta[i0 + z, s] = back * (a * (1.0 - a))
        if momentum != 0.0:  # heavy ball: the step is the velocity
            for i in range(params.shape[0]):
                velocity[i] = momentum * velocity[i] + grad[i]
                params[i] -= lr * velocity[i]
        else:
            for i in range(params.shape[0]):  # simultaneous update of every parameter
                params[i] -= lr * grad[i]
        j += 1
        if j == per_epoch:  # the next epoch, in the next row
            j = 0
            row = (row + 1) % order.shape[0]


@_compiled
def _loss(a, sop, t, cross_entropy):
    """One output's error: squared from the prediction ``a``, cross-entropy from its SOP."""
    if not cross_entropy:
        return (a - t) * (a - t)
    e = 0.0  # t * softplus(-sop) + (1 - t) * softplus(sop); a term with factor 0 is 0
    if t != 0.0:
        e += t * _softplus(-sop)
    if t != 1.0:
        e += (1.0 - t) * _softplus(sop)
    return e


#: Iterations per compiled call are sized so that one call does about this much work,
#: counted as samples x parameters per iteration; measured at 2-100 ns per unit (the
#: most on the 1-1 network, where each iteration's fixed cost dominates), so a call
#: lasts at most ~10 ms and Ctrl-C stops a run within that. A call costs ~5-10 us.
CHUNK_WORK = 100_000


def train_compiled(sizes, weights, biases, x, target, learning_rate, iterations, *, momentum=0.0,
                   batch_size=None, shuffle=True, seed=None, loss="squared", record_parameters=False,
                   chunk=None):
    """Run ``_train_loop`` on lists of arrays, as ``training._train_numpy`` runs its loop.

    ``sizes`` are the layer sizes; ``weights`` and ``biases`` (``[]`` for none) are
    float64 arrays of the shapes they imply (``checks.check_parameters``); ``x`` is
    ``(m, n_in)`` and ``target`` ``(m, n_out)``; the options are ``train``'s, checked.
    Returns what ``_train_numpy`` returns: predictions ``(iterations, m, n_out)``,
    errors, weights, biases, batch errors (or None) and parameters (or None).
    The loop runs ``chunk`` iterations per compiled call (default: sized by
    ``CHUNK_WORK``) and resumes where it stopped (the parameters, the velocity and
    the place in the epoch carry over), so any chunk gives the same numbers, bit for bit.
    """
    sizes = np.array(sizes, dtype=np.int64)
    x, target = np.ascontiguousarray(x, np.float64), np.ascontiguousarray(target, np.float64)
    _check_shapes(sizes, weights, biases, x, target)
    x_t = np.ascontiguousarray(x.T)
    pieces, w_off, b_off, start = [], [], [], 0
    for l in range(len(sizes) - 1):
        w_off.append(start)
        pieces.append(np.ravel(weights[l]))
        start += sizes[l] * sizes[l + 1]
        if biases:
            b_off.append(start)
            pieces.append(np.ravel(biases[l]))
            start += sizes[l + 1]
        else:
            b_off.append(-1)
    params = np.concatenate(pieces).astype(np.float64)
    w_off, b_off = np.array(w_off, np.int64), np.array(b_off, np.int64)
    m, n_out = target.shape
    predictions = np.empty((iterations, m, n_out))
    errors = np.empty(iterations)
    batch_errors = np.empty(iterations if batch_size is not None else 0)
    parameters = np.empty((iterations if record_parameters else 0, len(params)))
    velocity = np.zeros(len(params))
    size = m if batch_size is None else int(batch_size)
    _check_offsets(sizes, params, w_off, b_off, predictions, errors, m)
    _check_history(iterations, batch_errors, parameters, len(params), size, m)

    orders = _Orders(m, size, shuffle and batch_size is not None, seed)
    chunk = max(1, CHUNK_WORK // (m * len(params))) if chunk is None else check_positive_int(chunk, "chunk")
    done = 0
    try:
        while done < iterations:  # params, velocity and the orders carry the state from call to call
            stop = min(iterations, done + chunk)
            order, first_epoch = orders.covering(done, stop)
            _check_order(order, m)
            _train_loop(params, sizes, w_off, b_off, x_t, target, float(learning_rate), stop - done, done,
                        float(momentum), velocity, order, first_epoch, size, loss == "cross_entropy",
                        predictions[done:stop], errors[done:stop], batch_errors[done:stop],
                        parameters[done:stop])
            done = stop
    except KeyboardInterrupt:
        raise KeyboardInterrupt(f"train stopped at iteration {done:,} of {iterations:,}.") from None
    shapes = list(zip(sizes[:-1], sizes[1:]))
    new_w = [params[o:o + a * b].reshape(a, b).copy() for o, (a, b) in zip(w_off, shapes)]
    new_b = [params[o:o + b].copy() for o, (_, b) in zip(b_off, shapes)] if biases else []
    return (predictions, errors, new_w, new_b, batch_errors if batch_size is not None else None,
            parameters if record_parameters else None)


class _Orders:
    """The samples' order, epoch after epoch, drawn as ``_train_numpy`` draws it.

    ``numpy.random.default_rng(seed)`` gives one permutation of the m samples per
    epoch; ``Generator.permuted`` on rows of ``arange(m)`` draws the same ones,
    several epochs at once. Without shuffling one row, ``arange(m)``, serves every epoch.
    """

    def __init__(self, m, batch_size, shuffle, seed):
        self.m, self.per_epoch, self.shuffle = m, -(-m // batch_size), shuffle
        self.rng = np.random.default_rng(seed) if shuffle else None
        # the rows of epochs drawn - len(rows) to drawn - 1 (unshuffled: one row for them all)
        self.rows = np.empty((0, m), np.int64) if shuffle else np.arange(m, dtype=np.int64)[None]
        self.drawn = 0

    def covering(self, begin, end):
        """``(order, first_epoch)``: the rows of the epochs of updates ``begin`` to ``end - 1``."""
        if not self.shuffle:
            return self.rows, 0
        first, last = begin // self.per_epoch, (end - 1) // self.per_epoch
        if last < self.drawn:  # drawn already
            return self.rows, self.drawn - len(self.rows)
        fresh = np.tile(np.arange(self.m, dtype=np.int64), (last + 1 - self.drawn, 1))
        kept = self.rows[first - self.drawn + len(self.rows):]  # the last row, if its epoch goes on
        self.rows = np.concatenate([kept, self.rng.permuted(fresh, axis=1)])
        self.drawn = last + 1
        return self.rows, first


def _check_shapes(sizes, weights, biases, x, target):
    """Refuse, with a sentence, arrays that disagree with ``sizes`` (see ``_check_offsets``)."""
    n = len(sizes) - 1
    layout = tuple(sizes.tolist())
    problem = None
    if sizes.ndim != 1 or n < 1 or np.any(sizes < 1):
        problem = f"sizes {layout}: at least two layer sizes, each at least 1, are needed"
    elif len(weights) != n or len(biases) not in (0, n):
        problem = f"{len(weights)} weight and {len(biases)} bias arrays for sizes {layout}"
    elif any(np.shape(w) != (sizes[l], sizes[l + 1]) for l, w in enumerate(weights)):
        problem = f"weights of shapes {[np.shape(w) for w in weights]} for sizes {layout}"
    elif any(np.shape(b) != (sizes[l + 1],) for l, b in enumerate(biases)):
        problem = f"biases of shapes {[np.shape(b) for b in biases]} for sizes {layout}"
    elif x.ndim != 2 or len(x) < 1 or x.shape[1] != sizes[0]:
        problem = f"x of shape {x.shape} for {sizes[0]} inputs"
    elif target.shape != (len(x), sizes[-1]):
        problem = f"target of shape {target.shape} for x of shape {x.shape} and {sizes[-1]} outputs"
    if problem is not None:
        _refuse(problem)


def _check_offsets(sizes, params, w_off, b_off, predictions, errors, m):
    """The flat vector, its offsets and the history arrays must agree with ``sizes``.

    ``_train_loop`` reads and writes by offsets and sizes alone, without bounds
    checks: a mismatch would make it touch memory outside its arrays. ``train``
    has checked its arguments already (``check_parameters``, ``check_samples``);
    this checks again, where it matters, whoever calls ``train_compiled``.
    """
    n = len(sizes) - 1
    total = int(np.sum(sizes[:-1] * sizes[1:]) + (np.sum(sizes[1:]) if b_off[0] >= 0 else 0))
    ends = [w_off[l] + sizes[l] * sizes[l + 1] for l in range(n)]
    ends += [b_off[l] + sizes[l + 1] for l in range(n) if b_off[l] >= 0]
    if params.ndim != 1 or len(params) != total or min(w_off) < 0 or max(ends) > total:
        _refuse(f"a flat vector of {params.size} parameters for {total}")
    if predictions.shape != (len(errors), m, sizes[-1]) or not predictions.flags.c_contiguous:
        _refuse(f"room for predictions of shape {predictions.shape}")


def _check_history(iterations, batch_errors, parameters, n_parameters, size, m):
    """The optional records must have a row per iteration (or none), the batch 1 to m samples."""
    if len(batch_errors) not in (0, iterations) or parameters.shape[0] not in (0, iterations) \
            or parameters.shape[1] != n_parameters or not parameters.flags.c_contiguous:
        _refuse(f"room for {len(batch_errors)} batch errors and parameters of shape {parameters.shape}")
    if not 1 <= size <= m:
        _refuse(f"a batch of {size} samples out of {m}")


def _check_order(order, m):
    """Rows of sample indices in [0, m): the loop reads ``x`` and ``target`` at them."""
    if order.ndim != 2 or order.shape[1] != m or len(order) == 0 or order.min() < 0 or order.max() >= m:
        _refuse(f"an order of samples of shape {order.shape} for {m} samples")


def _refuse(problem):
    raise ValueError(f"train_compiled was given {problem}: pass arrays checked by "
                     "gdlib.checks.check_parameters and check_samples, or call gdlib.train.")
