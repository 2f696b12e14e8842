"""Training by gradient descent, with every iteration recorded in a ``History``.

Introduced in notebook 01 (one weight), used in every notebook after it; notebook
08 adds momentum, notebook 09 mini-batches and the cross-entropy.
"""

from dataclasses import dataclass

import numpy as np

from . import training_compiled
from .chain_rule import update_w
from .checks import (
    check_batch_size,
    check_engine,
    check_flag,
    check_history_size,
    check_learning_rate,
    check_loss,
    check_loss_target,
    check_momentum,
    check_network,
    check_parameters,
    check_positive_int,
    check_run,
    check_seed,
)
from .network import Network, backprop, flat_parameters, forward, mean_loss

#: The largest history ``train`` records: predictions and errors, 8 bytes per number.
HISTORY_BUDGET_BYTES = 2**30  # 1 GiB

#: ``engine="auto"`` compiles runs up to this many samples x parameters per iteration;
#: beyond it numpy's matrix products (BLAS) are as fast (measured: 2-8-8-1 on 200 samples,
#: 21,000, 1.3x faster compiled; 2-50-1 on 150 samples, 30,150, and 2-16-16-1 on 200 even).
COMPILED_UP_TO = 25_000
#: ... and mini-batch runs up to this many, as the compiled loop then back-propagates the
#: batch alone (measured: 2-8-8-1 and 2-16-16-1 on 200 to 1,000 two-moons points, batches of 20).
COMPILED_UP_TO_MINI_BATCH = 100_000


@dataclass
class History:
    """What happened in a run of gradient descent.

    Introduced in notebook 01.

    - ``predictions[k]``: ``network.predict(x)`` at iteration k, before that
      iteration's update (shape ``(iterations,) + prediction shape``), on all samples.
    - ``errors[k]``: E on all samples at iteration k (shape ``(iterations,)``).
    - ``target``: shaped like one prediction.
    - ``learning_rate``: the step size (None for a run made by hand).
    - ``network``: the network after the run (None when the numbers overflowed,
      or for a run made by hand).
    - ``diverged``: True when the run overflowed or the error ended higher than
      it started; ``message`` says what the run did in a sentence (empty for a calm run).
    - ``batch_errors[k]``: E on the mini-batch of update k, before it (shape
      ``(iterations,)``); None for a full-batch run (notebook 09).
    - ``parameters[k]``: every parameter before update k, shape ``(iterations,
      n_parameters)``, in the order weights[0].ravel(), biases[0], weights[1].ravel(),
      biases[1], ...; None unless ``train(..., record_parameters=True)`` (notebook 08).
    - ``momentum``, ``batch_size`` (None: full batch), ``loss``: the run's settings,
      for titles and for ``diagnose``.

    ``train`` returns one; ``History.from_arrays`` makes one from a loop of your own.
    """

    predictions: np.ndarray
    errors: np.ndarray
    target: np.ndarray
    learning_rate: float = None
    network: Network = None
    diverged: bool = False
    message: str = ""
    batch_errors: np.ndarray = None
    parameters: np.ndarray = None
    momentum: float = 0.0
    batch_size: int = None
    loss: str = "squared"

    @classmethod
    def from_arrays(cls, predictions, errors, target, *, learning_rate=None, network=None,
                    momentum=0.0, batch_size=None, loss="squared"):
        """A History of a run you made by hand (notebooks 01 and 03), diagnosed like any other.

        ``errors``: one per iteration, shape ``(k,)``. ``predictions``: ``(k,)`` for one
        output, ``(k, n_out)``, or ``(k, m, n_out)`` for m samples. ``target``: shaped like
        one prediction (a plain number for one output; ``(m,)`` for m samples, one output).
        ``momentum``, ``batch_size`` and ``loss`` say how the run was made (see ``train``).
        """
        predictions, errors, target = check_run(predictions, errors, target)
        if learning_rate is not None:
            learning_rate = check_learning_rate(learning_rate)
        if network is not None:
            check_network(network)
        momentum = check_momentum(momentum)
        batch_size = check_batch_size(batch_size, _samples_of(target))
        check_loss_target(target, check_loss(loss))
        diverged, message = _diagnose(errors, predictions, target, loss, batch_size, momentum)
        return cls(predictions, errors, target, learning_rate, network, diverged, message,
                   momentum=momentum, batch_size=batch_size, loss=loss)

    @property
    def iterations(self):
        return len(self.errors)

    @property
    def final_error(self):
        return float(self.errors[-1])

    def __repr__(self):
        first, last = self.errors[0], self.errors[-1]
        rate = "by hand" if self.learning_rate is None else f"learning_rate={self.learning_rate:g}"
        settings = "".join([f", momentum={self.momentum:g}" if self.momentum else "",
                            f", batch_size={self.batch_size}" if self.batch_size is not None else "",
                            f", loss={self.loss!r}" if self.loss != "squared" else ""])
        text = f"History({self.iterations} iterations, {rate}{settings}, error {first:.6g} -> {last:.6g}"
        return text + (f"; {self.message})" if self.message else ")")


def train(net, x, target, *, learning_rate, iterations, momentum=0.0, batch_size=None, shuffle=True,
          seed=None, loss="squared", engine="auto", record_parameters=False):
    """Gradient descent from ``net``: returns a ``History``; ``net`` itself is unchanged.

    Introduced in notebook 01.

    Each iteration computes every gradient at the current parameters, then
    updates all of them (``update_w``). A batch ``x`` of shape ``(m, n_in)`` means
    full-batch gradient descent on the mean error. The options (defaults: the
    plain descent of notebooks 01-07):

    - ``momentum`` (notebook 08), from 0 up to 1: heavy-ball steps,
      ``v = momentum * v + gradient`` then ``w = w - learning_rate * v``, ``v``
      starting at 0 (PyTorch's SGD with dampening 0).
    - ``batch_size`` (notebook 09): each iteration is one update on ``batch_size``
      samples (None: all m). The samples are visited in consecutive batches of an
      order drawn afresh each epoch by ``numpy.random.default_rng(seed)``
      (``shuffle=False``: the order given); an epoch's last batch may be shorter,
      and each update follows the mean error of its own batch. ``seed=None``
      shuffles differently on every call, like ``Network(seed=None)``: pass a seed
      to repeat a run. ``errors`` and ``predictions`` stay those of all the
      samples; ``batch_errors`` holds each batch's own E.
    - ``loss`` (notebook 09): ``"squared"``, or ``"cross_entropy"`` for targets in [0, 1].
    - ``record_parameters`` (notebook 08): keep every parameter before each update
      in ``History.parameters``.

    ``engine``: ``"numpy"`` runs the readable loop below; ``"compiled"`` the same
    loop compiled by numba (``training_compiled``, ~100x faster on the course's
    single examples); ``"auto"`` picks the compiled one when numba is installed
    and the run is small enough (``COMPILED_UP_TO``, or ``COMPILED_UP_TO_MINI_BATCH`` with
    mini-batches), numpy otherwise. The two
    agree to rounding (~1e-12) on the course's examples. They add the same numbers
    in another order, though, and in a chaotic run the last-bit differences grow:
    on XOR (2-2-1 with bias, seed 0) at learning rate 50 the two trajectories part
    after about 70 iterations, as any two runs of a chaotic system do.

    A run whose history would pass ``HISTORY_BUDGET_BYTES`` is refused before it
    starts; Ctrl-C (interrupt the kernel) stops a long one, saying at which iteration.
    """
    weights, biases = check_parameters(net)
    x2, t2, single = net._samples(x, target)
    learning_rate = check_learning_rate(learning_rate)
    iterations = check_positive_int(iterations, "iterations")
    options = dict(
        momentum=check_momentum(momentum),
        batch_size=check_batch_size(batch_size, len(x2)),
        shuffle=check_flag(shuffle, "shuffle"),
        seed=check_seed(seed),
        loss=check_loss(loss),
        record_parameters=check_flag(record_parameters, "record_parameters"),
    )
    check_loss_target(t2, options["loss"])
    check_history_size(iterations, *t2.shape, HISTORY_BUDGET_BYTES,
                       batch_errors=options["batch_size"] is not None,
                       n_parameters=net.n_parameters if options["record_parameters"] else 0)
    engine = check_engine(engine, training_compiled.AVAILABLE)
    limit = COMPILED_UP_TO if options["batch_size"] is None else COMPILED_UP_TO_MINI_BATCH
    use_compiled = engine == "compiled" or (
        engine == "auto" and training_compiled.AVAILABLE and len(x2) * net.n_parameters <= limit)

    with np.errstate(all="ignore"):  # an overflowing run is reported, not warned about
        if use_compiled:
            run = training_compiled.train_compiled(net.sizes, weights, biases, x2, t2, learning_rate,
                                                   iterations, **options)
        else:
            run = _train_numpy(weights, biases, x2, t2, learning_rate, iterations, **options)
    predictions, errors, weights, biases, batch_errors, parameters = run

    settings = dict(momentum=options["momentum"], batch_size=options["batch_size"], loss=options["loss"])
    diverged, message = _diagnose(errors, predictions, t2, **settings)
    finite = all(np.isfinite(a).all() for a in weights + biases)  # else: no network to return
    return History(
        predictions=predictions[:, 0] if single else predictions,
        errors=errors,
        target=t2[0] if single else t2,
        learning_rate=learning_rate,
        network=Network._from_checked(net.sizes, weights, biases) if finite else None,
        diverged=diverged,
        message=message,
        batch_errors=batch_errors,
        parameters=parameters,
        **settings,
    )


def _train_numpy(weights, biases, x, target, learning_rate, iterations, *, momentum=0.0, batch_size=None,
                 shuffle=True, seed=None, loss="squared", record_parameters=False):
    """The readable loop: backprop, record, then update every parameter at once.

    Returns predictions ``(iterations, m, n_out)``, errors ``(iterations,)``, the
    final weights and biases, batch errors ``(iterations,)`` (None for full batches)
    and parameters ``(iterations, n_parameters)`` (None unless recorded).
    """
    m, n_out = target.shape
    predictions = np.empty((iterations, m, n_out))
    errors = np.empty(iterations)
    batch_errors = None if batch_size is None else np.empty(iterations)
    parameters = np.empty((iterations, flat_parameters(weights, biases).size)) if record_parameters else None
    velocity_w, velocity_b = [np.zeros_like(w) for w in weights], [np.zeros_like(b) for b in biases]
    rng = np.random.default_rng(seed)  # draws each epoch's order of the samples
    batches_per_epoch = 1 if batch_size is None else -(-m // batch_size)  # m / batch_size, rounded up
    k = 0
    try:
        for k in range(iterations):
            if record_parameters:
                parameters[k] = flat_parameters(weights, biases)
            if batch_size is None:  # full batch: every sample in every update
                fp, errors[k], grads = backprop(weights, biases, x, target, loss)
            else:  # mini-batch (notebook 09): the j-th batch_size samples of this epoch's order
                j = k % batches_per_epoch
                if j == 0:  # a new epoch
                    order = rng.permutation(m) if shuffle else np.arange(m)
                batch = order[j * batch_size:(j + 1) * batch_size]
                fp = forward(weights, biases, x)  # E on all samples: curves compare across batch sizes
                errors[k] = mean_loss(fp, target, loss)
                _, batch_errors[k], grads = backprop(weights, biases, x[batch], target[batch], loss)
            predictions[k] = fp.activs[-1]
            step_w, step_b = grads.weights, grads.biases
            if momentum:  # heavy ball (notebook 08): each step carries on part of the one before
                velocity_w = [momentum * v + g for v, g in zip(velocity_w, grads.weights)]
                velocity_b = [momentum * v + g for v, g in zip(velocity_b, grads.biases)]
                step_w, step_b = velocity_w, velocity_b
            weights = [update_w(w, step, learning_rate) for w, step in zip(weights, step_w)]
            biases = [update_w(b, step, learning_rate) for b, step in zip(biases, step_b)]
    except KeyboardInterrupt:  # Ctrl-C: stop, and say where
        raise KeyboardInterrupt(f"train stopped at iteration {k:,} of {iterations:,}.") from None
    return predictions, errors, weights, biases, batch_errors, parameters


def diagnose(errors, predictions, target, *, loss="squared", batch_size=None, momentum=0.0):
    """(diverged, message) for a run: what its error curve says, in a sentence or two.

    ``errors``: shape ``(k,)``; ``predictions``: one per error, shape ``(k,) + one
    prediction's shape`` (or only the last one: then the rules that look at the
    predictions are skipped); ``target``: one prediction's shape. ``diverged`` is
    True when the run overflowed or its error ended higher than it started.
    ``loss``, ``batch_size`` and ``momentum`` are the run's (a ``History`` has them).
    Used by ``train``, ``History.from_arrays`` and the explorers, on every slider
    move: a few vectorised passes over ``errors`` and the first few predictions.

    The first rule that fits gives the message (``e0``: the first error):

    - the numbers overflowed, or the error ended above ``e0``: "Diverged";
    - a target outside [0, 1]: the sigmoid cannot reach it;
    - the error stopped falling far from 0 (over at least 10 iterations, the last
      half moved it less than 1% of its whole range), and

      - after a long step (the error rose, or fell by a quarter of ``e0`` in one
        step, or the first steps threw the outputs to 0 or 1), frozen the way a
        saturated sigmoid freezes: "Stuck", lower the learning rate;
      - never moved at all: "Stuck from the start", no learning rate helps;
      - otherwise: "Plateau";

    - every output began within 1e-3 of 0 or 1, and the error barely moved:
      "Stuck from the start", scale the inputs;
    - the error rose at some steps: "Overshooting";
    - else no message.

    With the cross-entropy the rules measure the error above the least one the
    targets allow (their mean entropy: 0 for targets of 0 and 1, but ln 2 = 0.693
    for targets of 0.5); a stop also needs the last half to have moved the error
    less than 1% of where it ended (an output sure of the wrong answer costs so much
    that the first steps would dwarf any later progress); and the rules about an
    output saturated at the wrong end are left out: the cross-entropy's gradient
    does not vanish there. With mini-batches
    (``batch_size`` below the number of samples) the error on all samples jitters
    from update to update by nature, so the rules read it averaged over an epoch
    (a moving mean of ``ceil(m / batch_size)`` updates), a rise counts as a long
    step only if the average climbs above ``e0``, and no run is called Overshooting.
    """
    target = check_loss_target(np.asarray(target, dtype=float), check_loss(loss))
    if batch_size is not None:
        batch_size = check_positive_int(batch_size, "batch_size")
    return _diagnose(np.asarray(errors, dtype=float), predictions, target, loss, batch_size,
                     check_momentum(momentum))


def _diagnose(errors, predictions, target, loss, batch_size, momentum):
    """``diagnose`` on arguments checked already (by ``train``, ``History.from_arrays``)."""
    k = len(errors)
    finite = np.isfinite(errors)
    if not finite.all():
        first = int(np.argmin(finite))
        return True, f"Diverged: the numbers overflowed at iteration {first}. Lower the learning rate."
    samples = _samples_of(target)
    window = 1 if batch_size is None else min(k, -(-samples // int(batch_size)))  # an epoch of updates
    floor = _least_error(target) if loss == "cross_entropy" else 0.0
    excess = np.maximum(errors - floor, 0.0) if floor else errors  # the error above the least one
    smooth = _moving_mean(excess, window)  # the curve itself for full batches
    e0, end = excess[0], smooth[-1]
    steps = np.diff(excess)
    if window == 1:
        rises = int(np.count_nonzero(steps > 1e-9 * e0))
    else:  # a mini-batch run: the error rising at some steps is its noise; rising above e0 is not
        rises = int(smooth.max() > e0 * (1 + 1e-9))
    tail = smooth[len(smooth) // 2:]
    spread = tail.max() - tail.min()  # how much the last half still moved
    whole = max(e0, smooth.max()) - min(e0, smooth.min())
    stalled = k >= 10 and end > 1e-2 * e0 and spread <= 1e-2 * whole
    if loss == "cross_entropy":  # its first errors can be huge (an output sure of the wrong answer)
        stalled = stalled and spread <= 1e-2 * end
    leapt = rises > 0 or (k > 1 and -steps.min() >= 0.25 * e0) or _thrown_to_0_or_1(predictions, k)
    # frozen the way a saturated sigmoid freezes: flat to 1e-6, or an output pinned at the wrong end
    # (with the squared error: the cross-entropy's gradient does not vanish there)
    pinned = loss == "squared" and _wrong_end(predictions, target, k)
    saturated = spread <= 1e-6 * end or pinned
    jumped_into_saturation = stalled and leapt and saturated
    if end > e0:
        cause = (": a step too long threw the neurons into saturation, where the sigmoid is flat and "
                 "the gradient vanishes" if jumped_into_saturation else "")
        mean = f", averaged over the last {window} updates" if window > 1 else ""
        return True, (f"Diverged: the error ended higher than it started ({_apart(e0 + floor, end + floor)}"
                      f"{mean}){cause}. Lower the learning rate.")
    unreachable = _unreachable(target) if loss == "squared" else ""
    if unreachable:
        return False, unreachable
    if jumped_into_saturation:
        return False, ("Stuck: a step too long threw the neurons into saturation, where the sigmoid is "
                       f"flat and the gradient vanishes, so the error stopped at {end + floor:.3g}. "
                       "Lower the learning rate.")
    if stalled and e0 - end <= 1e-12 * e0:
        return False, ("Stuck from the start: the error does not move, so the gradient is zero at these "
                       "start weights (saturated neurons, or a symmetric start such as equal weights); "
                       "start from smaller, random weights or scale the inputs: no learning rate helps.")
    if stalled:
        way = ("a lower learning rate may get past it" if leapt else
               "more iterations or a larger learning rate may get past it")
        least = f"{floor:.3g}, the least error these targets allow" if floor else "0"
        return False, (f"Plateau: the error all but stopped falling at {end + floor:.3g}, far from {least}; "
                       f"{way}, and if it stops at the same error, this network cannot do better here (too "
                       "few neurons, or neurons that started identical and stay identical).")
    start = _saturated_start(predictions, k) if loss == "squared" else None
    if start is not None and e0 - end <= 1e-3 * e0:
        return False, (f"Stuck from the start: the output begins at {start:.6g}, where the sigmoid is "
                       "flat, so the gradient is almost zero and the error barely moves; scale the "
                       "inputs to small, similar sizes or start from smaller weights.")
    if rises and window == 1:
        if momentum:
            return False, (f"Overshooting: the error went up in {rises} of the steps, as momentum carries "
                           "each step on past the lowest point. A smaller momentum or learning rate gives "
                           "a smoother descent.")
        return False, (f"Overshooting: the error went up in {rises} of the steps. "
                       "A smaller learning rate gives a smoother descent.")
    return False, ""


def _samples_of(target):
    """How many samples a target shaped like one prediction holds: ``(m, n_out)`` holds m."""
    return np.shape(target)[0] if np.ndim(target) == 2 else 1


def _least_error(target):
    """The least cross-entropy the targets allow (at p = t): the mean over samples of their summed
    entropies ``-(t ln t + (1 - t) ln(1 - t))``, 0 for targets of 0 and 1."""
    t = np.clip(target, 1e-300, 1 - 1e-16)  # t ln t -> 0 as t -> 0
    entropy = np.where((target == 0) | (target == 1), 0.0, -(t * np.log(t) + (1 - t) * np.log1p(-t)))
    return float(entropy.sum() / _samples_of(target))


def _moving_mean(values, window):
    """Means of ``window`` consecutive values, shape ``(len(values) - window + 1,)``."""
    if window == 1:
        return values
    sums = np.cumsum(np.concatenate(([0.0], values)))
    return (sums[window:] - sums[:-window]) / window


def _apart(a, b):
    """``"a -> b"`` with just enough digits to tell the two numbers apart."""
    for digits in range(3, 17):
        left, right = f"{a:.{digits}g}", f"{b:.{digits}g}"
        if left != right:
            break
    return f"{left} -> {right}"


def _unreachable(target):
    """The message for targets outside [0, 1], which no sigmoid output reaches; else ''."""
    target = np.asarray(target, dtype=float)
    outside = (target < 0) | (target > 1)
    if not outside.any():
        return ""
    gap = np.where(target < 0, target, np.where(target > 1, target - 1, 0.0))
    samples = target.size // target.shape[-1] if target.ndim > 1 else 1
    floor = float(np.sum(gap**2) / samples)  # E: the mean over samples of the summed squares
    t = float(target[outside].flat[0])
    return (f"Unreachable target: a sigmoid's output lies between 0 and 1, so it cannot reach the "
            f"target {t:g}; the error cannot fall below {floor:.3g}, and the prediction only creeps "
            f"toward {1 if t > 1 else 0}.")


def _thrown_to_0_or_1(predictions, k):
    """True if the first steps took every output from inside (0, 1) to within 1e-3 of 0 or 1."""
    if len(predictions) != k:  # only the last predictions were given
        return False
    first = np.asarray(predictions[:10], dtype=float).reshape(min(k, 10), -1)
    near = np.minimum(first, 1 - first).max(axis=1) < 1e-3  # every output of that step
    return bool(near.any() and not near[0])


def _wrong_end(predictions, target, k):
    """True if at least half the outputs of the last prediction sit within 1e-3 of 0 or 1 and over
    0.1 from their targets (a few confidently wrong points of a data set do not make a stuck run)."""
    if len(predictions) != k and len(predictions) != 1:
        return False
    last = np.asarray(predictions[-1], dtype=float)
    if last.shape != np.shape(target):
        return False
    return bool(np.mean((np.minimum(last, 1 - last) < 1e-3) & (np.abs(last - target) > 0.1)) >= 0.5)


def _saturated_start(predictions, k):
    """The first prediction if every output starts within 1e-3 of 0 or 1, else None."""
    if len(predictions) != k:
        return None
    first = np.asarray(predictions[0], dtype=float).ravel()
    return float(first[0]) if np.all(np.minimum(first, 1 - first) < 1e-3) else None
