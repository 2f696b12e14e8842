"""How fast is gdlib.train? The series' 3-2-1 example, 80,000 iterations.

Three ways to run the same gradient descent, in this process:

1. a loop in the series' explicit style (one SOP, Activ and g factor at a time,
   numpy scalars), recording the history instead of printing it;
2. ``gdlib.train(..., engine="numpy")``, the readable matrix-form loop;
3. ``gdlib.train(..., engine="compiled")``, the numba fast path (compiled before
   timing, so the figure is a warm one).

Prints the median of a few runs of each and the ratio series / compiled
(target: at least 40). Then two costs of the safety nets, each timed against its
absence in the same process:

4. the compiled loop in chunks (so that Ctrl-C stops it) against one single call,
   on that run and on the run with the smallest chunks of the course (2-8-8-1 on
   200 two-moons points, 4 iterations per chunk), full batch and mini-batches;
5. ``diagnose`` on a run of 100,000 iterations, as the explorers call it on every
   slider move (target: well under 5 ms).

Then notebook 09's mini-batch run: 2-8-8-1 with bias on 200 two-moons points,
2,000 updates on batches of 20 with momentum 0.9, by ``train`` with each engine
(target for the compiled one: at most 100 ms).

Run from the repository root:

    .venv/bin/python benchmarks/bench_train.py [--repeats 3]
"""

import argparse
import functools
import statistics
import time

import numpy

import gdlib
from gdlib import training_compiled
from gdlib.training import diagnose

X = numpy.array([0.1, 0.4, 4.1])
TARGET = 0.2
LEARNING_RATE = 0.001
ITERATIONS = 80_000
MINI_BATCHES = dict(batch_size=20, momentum=0.9, seed=0)


def sigmoid(sop):
    return 1.0 / (1.0 + numpy.exp(-sop))


def error(predicted, target):
    return numpy.power(predicted - target, 2)


def error_predicted_deriv(predicted, target):
    return 2.0 * (predicted - target)


def sigmoid_sop_deriv(sop):
    return sigmoid(sop) * (1.0 - sigmoid(sop))


def sop_w_deriv(x):
    return x


def update_w(w, grad, learning_rate):
    return w - learning_rate * grad


def series_style_loop(weights, iterations):
    """The 3-2-1 network trained the way the series writes it, one weight at a time,
    with its mistakes corrected: g2 and g4 at the SOP, every gradient from the old
    weights, then all updates; the history is recorded instead of printed.

    ``weights`` is ``net.weights``: W_zy = weights[0][z-1, y-1], W4y = weights[1][y-1, 0].
    Returns the predictions and errors per iteration.
    """
    x1, x2, x3 = numpy.float64(X[0]), numpy.float64(X[1]), numpy.float64(X[2])
    w11, w12 = weights[0][0, 0], weights[0][0, 1]
    w21, w22 = weights[0][1, 0], weights[0][1, 1]
    w31, w32 = weights[0][2, 0], weights[0][2, 1]
    w41, w42 = weights[1][0, 0], weights[1][1, 0]
    predictions, errors = [], []
    for _ in range(iterations):
        # Forward pass: SOP and Activ of each hidden neuron, then the output.
        sop1 = x1 * w11 + x2 * w21 + x3 * w31
        sop2 = x1 * w12 + x2 * w22 + x3 * w32
        activ1 = sigmoid(sop1)
        activ2 = sigmoid(sop2)
        sop3 = activ1 * w41 + activ2 * w42
        predicted = sigmoid(sop3)
        predictions.append(predicted)
        errors.append(error(predicted, TARGET))

        # Backward pass: the chain-rule factors g1..g5.
        g1 = error_predicted_deriv(predicted, TARGET)  # dError/dPredicted
        g2 = sigmoid_sop_deriv(sop3)  # dPredicted/dSOP3
        g3_w41 = sop_w_deriv(activ1)  # dSOP3/dW41
        g3_w42 = sop_w_deriv(activ2)  # dSOP3/dW42
        grad_w41 = g1 * g2 * g3_w41
        grad_w42 = g1 * g2 * g3_w42

        g3_activ1 = w41  # dSOP3/dActiv1
        g3_activ2 = w42  # dSOP3/dActiv2
        g4_1 = sigmoid_sop_deriv(sop1)  # dActiv1/dSOP1
        g4_2 = sigmoid_sop_deriv(sop2)  # dActiv2/dSOP2
        g5_x1 = sop_w_deriv(x1)  # dSOP1/dW11 = dSOP2/dW12
        g5_x2 = sop_w_deriv(x2)
        g5_x3 = sop_w_deriv(x3)
        grad_w11 = g1 * g2 * g3_activ1 * g4_1 * g5_x1
        grad_w21 = g1 * g2 * g3_activ1 * g4_1 * g5_x2
        grad_w31 = g1 * g2 * g3_activ1 * g4_1 * g5_x3
        grad_w12 = g1 * g2 * g3_activ2 * g4_2 * g5_x1
        grad_w22 = g1 * g2 * g3_activ2 * g4_2 * g5_x2
        grad_w32 = g1 * g2 * g3_activ2 * g4_2 * g5_x3

        # Update every weight, all from gradients at the old weights.
        w11 = update_w(w11, grad_w11, LEARNING_RATE)
        w21 = update_w(w21, grad_w21, LEARNING_RATE)
        w31 = update_w(w31, grad_w31, LEARNING_RATE)
        w12 = update_w(w12, grad_w12, LEARNING_RATE)
        w22 = update_w(w22, grad_w22, LEARNING_RATE)
        w32 = update_w(w32, grad_w32, LEARNING_RATE)
        w41 = update_w(w41, grad_w41, LEARNING_RATE)
        w42 = update_w(w42, grad_w42, LEARNING_RATE)
    return numpy.array(predictions), numpy.array(errors)


def median_seconds(run, repeats):
    """Median wall-clock seconds of ``run()`` over ``repeats`` runs, and its last result."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs of each way (the median is printed)")
    args = parser.parse_args()

    net = gdlib.Network((3, 2, 1), seed=0)
    print(f"3-2-1 network, x = {X.tolist()}, target = {TARGET}, learning rate = {LEARNING_RATE}, "
          f"{ITERATIONS:,} iterations, median of {args.repeats} runs")

    series_time, (series_predictions, _) = median_seconds(
        lambda: series_style_loop(net.weights, ITERATIONS), args.repeats)
    numpy_time, numpy_history = median_seconds(
        lambda: gdlib.train(net, X, TARGET, learning_rate=LEARNING_RATE, iterations=ITERATIONS,
                            engine="numpy"), args.repeats)
    print(f"  series-style loop          {series_time * 1e3:9.1f} ms")
    print(f"  train(engine='numpy')      {numpy_time * 1e3:9.1f} ms   "
          f"series / numpy = {series_time / numpy_time:5.1f}x")
    gap = numpy.max(numpy.abs(series_predictions - numpy_history.predictions[:, 0]))
    print(f"  largest prediction difference, series-style vs numpy: {gap:.1e}")

    if not training_compiled.AVAILABLE:
        print("  train(engine='compiled')   not available: numba is not installed")
        return
    gdlib.train(net, X, TARGET, learning_rate=LEARNING_RATE, iterations=10, engine="compiled")  # compile
    compiled_time, compiled_history = median_seconds(
        lambda: gdlib.train(net, X, TARGET, learning_rate=LEARNING_RATE, iterations=ITERATIONS,
                            engine="compiled"), max(args.repeats, 5))
    ratio = series_time / compiled_time
    print(f"  train(engine='compiled')   {compiled_time * 1e3:9.1f} ms   "
          f"series / compiled = {ratio:5.1f}x (target: at least 40x)")
    gap = numpy.max(numpy.abs(compiled_history.predictions - numpy_history.predictions))
    print(f"  largest prediction difference, compiled vs numpy: {gap:.1e}")

    moons_x, moons_t = gdlib.two_moons(200, seed=0)
    moons_net = gdlib.Network((2, 8, 8, 1), seed=0, bias=True)
    runs = {  # name: (network, x, target, learning rate, iterations, options)
        "3-2-1, 80,000 iterations": (net, X, TARGET, LEARNING_RATE, ITERATIONS, {}),
        "2-8-8-1 on 200 points, 2,000 iterations": (moons_net, moons_x, moons_t, 2.0, 2_000, {}),
        "the same, batches of 20, momentum 0.9": (moons_net, moons_x, moons_t, 0.5, 2_000, MINI_BATCHES),
    }
    print("compiled loop in chunks (Ctrl-C stops it) vs one call:")
    for name, (network, x, target, rate, iterations, options) in runs.items():
        x2, t2, _ = network._samples(x, target)
        compiled = functools.partial(training_compiled.train_compiled, network.sizes, network.weights,
                                     network.biases, x2, t2, rate, iterations, **options)
        default = max(1, training_compiled.CHUNK_WORK // (len(x2) * network.n_parameters))
        repeats = max(args.repeats, 5)
        whole_time, whole = median_seconds(functools.partial(compiled, chunk=iterations), repeats)
        chunked_time, chunked = median_seconds(compiled, repeats)
        same = all(numpy.array_equal(a, b) for a, b in zip(whole[:2], chunked[:2]))
        print(f"  {name}: one call {whole_time * 1e3:8.1f} ms, {-(-iterations // default):,} chunks of "
              f"{default:,} {chunked_time * 1e3:8.1f} ms ({(chunked_time / whole_time - 1) * 100:+.1f}%), "
              f"same numbers: {same}")

    long_run = gdlib.train(net, X, TARGET, learning_rate=LEARNING_RATE, iterations=100_000)
    diagnose_time, _ = median_seconds(
        lambda: diagnose(long_run.errors, long_run.predictions, long_run.target), 21)
    print(f"diagnose on 100,000 iterations: {diagnose_time * 1e3:.2f} ms (target: well under 5 ms)")

    moons_x, moons_t = gdlib.two_moons(200, noise=0.2, seed=0)
    print("notebook 09: 2-8-8-1 with bias on 200 two-moons points, 2,000 updates on batches of 20, "
          f"momentum 0.9, median of {max(args.repeats, 5)} runs")
    times = {}
    for engine in ("numpy", "compiled"):
        run = functools.partial(gdlib.train, moons_net, moons_x, moons_t, learning_rate=0.5, iterations=2_000,
                                engine=engine, **MINI_BATCHES)
        times[engine], history = median_seconds(run, max(args.repeats, 5))
        target = " (target: at most 100 ms)" if engine == "compiled" else ""
        print(f"  train(engine={engine!r}) {times[engine] * 1e3:9.1f} ms{target}, "
              f"error {history.errors[0]:.3f} -> {history.errors[-1]:.3f}")
    print(f"  numpy / compiled = {times['numpy'] / times['compiled']:.1f}x")


if __name__ == "__main__":
    main()
