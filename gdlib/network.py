"""A fully connected network of sigmoid neurons, of any layer sizes.

Introduced in notebook 03 (``Network((3, 2, 1))``); its matrix form is derived in
notebook 04 and its backward pass, for any depth, in notebook 05.

Shapes, for ``sizes = (n_0, n_1, ..., n_L)`` (inputs first) and ``m`` samples:

- ``weights[l]`` has shape ``(n_l, n_{l+1})``; ``weights[l][z, y]`` is the series'
  W_zy between layer l and layer l+1, counted from 0.
- ``biases[l]`` has shape ``(n_{l+1},)`` (only with ``bias=True``).
- ``SOP_{l+1} = Activ_l @ weights[l] + biases[l]`` has shape ``(m, n_{l+1})`` and
  ``Activ_{l+1} = sigmoid(SOP_{l+1})``; ``Activ_0`` is the input ``x``.
"""

from dataclasses import dataclass

import numpy as np

from .chain_rule import error, error_predicted_deriv, sigmoid, sigmoid_sop_deriv
from .checks import as_finite_array, check_parameter_list, check_samples, check_sizes


@dataclass
class Gradients:
    """dE/dparameter, shaped like the network's ``weights`` and ``biases``."""

    weights: list
    biases: list


@dataclass
class ForwardPass:
    """Every layer's SOP and Activ for a batch: ``sops[0]`` belongs to layer 1,
    ``activs[0]`` is the input itself, ``activs[-1]`` the prediction."""

    sops: list
    activs: list


def forward(weights, biases, x):
    """The forward pass on a 2-D batch ``x`` of shape ``(m, n_0)``."""
    sops, activs = [], [x]
    for l, w in enumerate(weights):
        sop = activs[-1] @ w
        if biases:
            sop += biases[l]  # in place: sop is a new array made just above
        sops.append(sop)
        activs.append(sigmoid(sop))
    return ForwardPass(sops, activs)


def backprop(weights, biases, x, target):
    """Forward and backward pass on 2-D arrays; returns ``(ForwardPass, E, Gradients)``.

    ``E`` is the mean over the m samples of the summed squared error of the
    outputs. The backward pass carries ``delta = dE/dSOP`` from the output back:
    at the output ``delta = g1 * g2`` (divided by m for the mean), and one layer
    down ``delta = (delta @ W.T) * g4``, the series' g3 (= W) times g4 for every
    path at once. Each weight's gradient is its input (g3 or g5) times the delta.
    """
    fp = forward(weights, biases, x)
    predicted = fp.activs[-1]
    m = x.shape[0]
    e = float(error(predicted, target).sum() / m)
    delta = error_predicted_deriv(predicted, target) * sigmoid_sop_deriv(fp.sops[-1]) / m
    grad_w = [None] * len(weights)
    grad_b = [None] * len(weights) if biases else []
    for l in range(len(weights) - 1, -1, -1):
        grad_w[l] = fp.activs[l].T @ delta
        if biases:
            grad_b[l] = delta.sum(axis=0)
        if l > 0:
            delta = (delta @ weights[l].T) * sigmoid_sop_deriv(fp.sops[l - 1])
    return fp, e, Gradients(grad_w, grad_b)


_NO_TARGET = object()  # predict and forward pass no target; target=None is a mistake, not this


class Network:
    """A network of sigmoid neurons with the given layer sizes, inputs first.

    ``Network((3, 2, 1), seed=0)`` is the series' 3-2-1 network: weights drawn
    uniformly from [0, 1) by ``numpy.random.default_rng(seed)``, so the same seed
    always gives the same network. ``weights=`` (a list of arrays) sets them
    instead. ``bias=True`` adds one bias per neuron, starting at 0 unless
    ``biases=`` gives them.

    Nothing here changes the network after it is made: ``train`` returns a new one.
    """

    def __init__(self, sizes, *, seed=None, weights=None, bias=False, biases=None):
        self.sizes = check_sizes(sizes)
        w_shapes = [(a, b) for a, b in zip(self.sizes[:-1], self.sizes[1:])]
        if weights is None:
            rng = _random_generator(seed)
            self.weights = [rng.random(shape) for shape in w_shapes]
        else:
            self.weights = check_parameter_list(weights, w_shapes, "weights")
        b_shapes = [(b,) for b in self.sizes[1:]]
        if biases is not None:
            bias = True
            self.biases = check_parameter_list(biases, b_shapes, "biases")
        else:
            self.biases = [np.zeros(shape) for shape in b_shapes] if bias else []
        self.bias = bool(bias)

    @property
    def n_inputs(self):
        return self.sizes[0]

    @property
    def n_outputs(self):
        return self.sizes[-1]

    @property
    def n_parameters(self):
        """How many weights and biases the network has."""
        return sum(w.size for w in self.weights) + sum(b.size for b in self.biases)

    def copy(self):
        """An independent copy (new arrays, same numbers)."""
        return Network(self.sizes, weights=self.weights, biases=self.biases if self.bias else None)

    def _samples(self, x, target=_NO_TARGET):
        if target is _NO_TARGET:  # predict and forward: a dummy target shaped like the prediction
            x = as_finite_array(x, "x")
            target = np.zeros(self.n_outputs if x.ndim <= 1 else (len(x), self.n_outputs))
        return check_samples(x, target, self.n_inputs, self.n_outputs)

    def forward(self, x):
        """Every layer's SOP and Activ for ``x`` (always 2-D: samples by neurons)."""
        x2, _, _ = self._samples(x)
        with _quiet_overflow():
            return forward(self.weights, self.biases, x2)

    def predict(self, x):
        """Shape ``(n_out,)`` for one sample ``(n_in,)``; ``(m, n_out)`` for a batch ``(m, n_in)``."""
        x2, _, single = self._samples(x)
        with _quiet_overflow():
            predicted = forward(self.weights, self.biases, x2).activs[-1]
        return predicted[0] if single else predicted

    def error(self, x, target):
        """E: the mean over samples of the summed squared output error."""
        x2, t2, _ = self._samples(x, target)
        with _quiet_overflow():
            predicted = forward(self.weights, self.biases, x2).activs[-1]
            return float(error(predicted, t2).sum() / len(x2))

    def gradients(self, x, target):
        """dE/dparameter at the current parameters (a ``Gradients``); nothing is changed."""
        x2, t2, _ = self._samples(x, target)
        with _quiet_overflow():
            return backprop(self.weights, self.biases, x2, t2)[2]

    def __repr__(self):
        lines = [f"Network(sizes={self.sizes}, bias={self.bias})"]
        for l, w in enumerate(self.weights):
            lines.append(f"  weights[{l}] (W_zy, shape {w.shape}):")
            lines.extend("    " + row for row in np.array2string(w, precision=4).splitlines())
            if self.bias:
                lines.append(f"  biases[{l}]: {np.array2string(self.biases[l], precision=4)}")
        return "\n".join(lines)


def _random_generator(seed):
    """``numpy.random.default_rng(seed)``, with an error naming ``seed`` if it is unusable."""
    try:
        return np.random.default_rng(seed)
    except (TypeError, ValueError) as problem:
        raise type(problem)(
            f"seed must be None or a whole number >= 0 (e.g. seed=0), got {seed!r}."
        ) from None


def _quiet_overflow():
    """Huge weights (after a diverged run) or huge inputs can make a SOP overflow to
    infinity; sigmoid handles that, so numpy need not warn. ``train`` does the same."""
    return np.errstate(over="ignore", invalid="ignore")


def check_network(net):
    """``net`` itself if it is a ``Network``, else a TypeError saying so."""
    if not isinstance(net, Network):
        raise TypeError(f"net must be a gdlib.Network, got {type(net).__name__}.")
    return net
