"""Exercises of notebook 09_better_descent: mini-batches, Xavier's start, the cross-entropy, a test set.

The data are notebook 07's two moons (200 points, noise 0.2); a batch ``X`` has one sample per row,
shape ``(m, n_0)``, its targets ``T`` shape ``(m, 1)``. ``rng`` is a ``numpy.random.Generator``.
"""

import numpy as np

from ..datasets import two_moons
from ..exercises import exercise
from ..network import Network, start_weights
from ..training import train

#: The notebook's data: 200 two-moons points with noise 0.2, sorted by class (100 of class 0 first).
X_MOONS, T_MOONS = two_moons(200, noise=0.2, seed=0)


@exercise("09.minibatches",
          inputs=[(200, 20, np.random.default_rng(0)), (10, 3, np.random.default_rng(1)),
                  (7, 7, np.random.default_rng(2)), (5, 1, np.random.default_rng(3))],
          hint="order = rng.permutation(m), then the slices order[j:j + batch_size] for j = 0, batch_size, "
               "2 * batch_size, ... below m (the last one may be shorter): as gdlib.train does.")
def minibatches(m, batch_size, rng):
    """One epoch: the row indices of each mini-batch, a list of arrays (notebook 09, eq. 2)."""
    order = rng.permutation(m)
    return [order[j:j + batch_size] for j in range(0, m, batch_size)]


@exercise("09.xavier",
          inputs=[(np.random.default_rng(0), 2, 8), (np.random.default_rng(1), 8, 1),
                  (np.random.default_rng(2), 20, 3), (np.random.default_rng(3), 1, 1)],
          hint="limit = np.sqrt(6 / (n_in + n_out)) (eq. 3), then rng.uniform(-limit, limit, (n_in, n_out)): "
               "one call, so that the numbers come from rng in gdlib's order.")
def xavier(rng, n_in, n_out):
    return start_weights(rng, (n_in, n_out), init="xavier")


def _sizes(weights):
    """The layer sizes a list of weight matrices belongs to: (2, 3, 1) for shapes (2, 3), (3, 1)."""
    return (np.shape(weights[0])[0],) + tuple(np.shape(w)[1] for w in weights)


def _case(sizes, seed, x, target):
    """(weights, biases, X, T) with nonzero biases, so that a forgotten bias shows."""
    rng = np.random.default_rng(seed)
    biases = [rng.normal(0.0, 0.5, n) for n in sizes[1:]]
    return Network(sizes, seed=seed, init="xavier").weights, biases, x, target


@exercise("09.backprop_ce",
          inputs=[_case((2, 3, 1), 0, X_MOONS[::20], T_MOONS[::20]),
                  _case((2, 4, 3, 1), 1, X_MOONS[::7], T_MOONS[::7]),
                  _case((2, 1), 2, X_MOONS[5:9], np.array([[0.0], [0.3], [1.0], [0.8]]))],
          hint="With the cross-entropy g1 * g2 is predicted - target (eq. 6); for the mean over the m rows "
               "divide by m: delta = (activs[-1] - T) / len(X).")
def backprop_ce(weights, biases, X, T):
    grads = Network(_sizes(weights), weights=weights, biases=biases).gradients(X, T, loss="cross_entropy")
    return grads.weights, grads.biases


def neuron_ce_error(params, x, t):
    """The mean cross-entropy of one sigmoid neuron with bias, ``params = [W (2, 1), b (1,)]``."""
    w, b = params
    return Network((2, 1), weights=[w], biases=[b]).error(x, t, loss="cross_entropy")


@exercise("09.1",
          inputs=[([np.array([[0.5], [-1.0]]), np.array([0.2])], X_MOONS[::10], T_MOONS[::10]),
                  ([np.array([[3.0], [2.0]]), np.array([4.0])], X_MOONS[:6], T_MOONS[:6]),
                  ([np.array([[-0.3], [0.7]]), np.array([-0.5])], X_MOONS[95:105], T_MOONS[95:105])],
          slope_of=neuron_ce_error,
          hint="p = sigmoid(x @ W + b); delta = (p - t) / len(x), g1 * g2 for the mean (eq. 6); "
               "dE/dW = x.T @ delta (shape (2, 1)) and dE/db = delta.sum(axis=0) (shape (1,)).")
def neuron_ce_gradients(params, x, t):
    w, b = params
    grads = Network((2, 1), weights=[w], biases=[b]).gradients(x, t, loss="cross_entropy")
    return [grads.weights[0], grads.biases[0]]


@exercise("09.2",
          inputs=[(np.array([0.5, 0.4, 0.3, 0.35, 0.36, 0.2, 0.1]), 50, 2),
                  (np.array([0.5, 0.4, 0.3, 0.35, 0.36, 0.2, 0.1]), 50, 3),
                  (np.array([0.3, 0.2, 0.1, 0.05]), 100, 1),
                  (np.array([0.2, 0.25, 0.3, 0.1]), 10, 2),
                  (0.1 + 0.05 * np.cos(np.linspace(0.0, 12.0, 60)) + np.linspace(0.0, 0.02, 60), 50, 5)],
          hint="Keep the index of the best record so far; at each later record either it is lower (the new "
               "best) or count how many records have passed since the best: at patience, stop. "
               "Return best * every.")
def early_stop(validation_errors, every, patience):
    best = 0
    for j in range(1, len(validation_errors)):
        if validation_errors[j] < validation_errors[best]:
            best = j
        elif j - best >= patience:
            break
    return best * every


def _epoch_case(sizes, seed, x, t, batch_size, learning_rate):
    return Network(sizes, seed=seed, bias=True), x, t, batch_size, learning_rate, seed


@exercise("09.3",
          inputs=[_epoch_case((2, 8, 8, 1), 0, X_MOONS, T_MOONS, 20, 2.0),
                  _epoch_case((2, 3, 1), 1, X_MOONS[::9], T_MOONS[::9], 5, 0.5),
                  _epoch_case((2, 4, 1), 2, X_MOONS[90:110], T_MOONS[90:110], 20, 1.0)],
          hint="order = np.random.default_rng(seed).permutation(len(x)); each batch is a slice of order, "
               "not of np.arange(len(x)): x[batch] and t[batch] then mix both classes.")
def one_epoch(net, x, t, batch_size, learning_rate, seed):
    epoch = -(-len(x) // batch_size)  # updates in one epoch: m / batch_size, rounded up
    trained = train(net, x, t, learning_rate=learning_rate, iterations=epoch, batch_size=batch_size,
                    seed=seed).network
    return trained.weights, trained.biases


@exercise("09.4", hint="gdlib.Network((2, 8, 8, 1), seed=0, bias=True, init=\"xavier\"), trained with "
                       "loss=\"cross_entropy\" at learning rate 2; the squared error of history.predictions "
                       "per iteration, then the first iteration below 0.05 (np.argmax of a boolean array).")
def xavier_and_cross_entropy_below_005():
    start = Network((2, 8, 8, 1), seed=0, bias=True, init="xavier")
    history = train(start, X_MOONS, T_MOONS, learning_rate=2.0, iterations=2_000, loss="cross_entropy",
                    engine="compiled")  # the same run as the readable loop, sooner
    squared = np.mean((history.predictions - T_MOONS) ** 2, axis=(1, 2))
    return int(np.argmax(squared < 0.05))
