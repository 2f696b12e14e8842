"""A fully connected network of sigmoid neurons, of any layer sizes.

Introduced in notebook 03 (``Network((3, 2, 1))``); its matrix form is derived in
notebook 05 and its backward pass, for any depth, in notebook 06. Notebook 09 adds
the cross-entropy (``loss="cross_entropy"``) and Xavier's start weights (``init="xavier"``).

Shapes, for ``sizes = (n_0, n_1, ..., n_L)`` (inputs first) and ``m`` samples:

- ``weights[l]`` has shape ``(n_l, n_{l+1})``; ``weights[l][z - 1, y - 1]`` is the series'
  W_zy from neuron z of layer l to neuron y of layer l+1 (the series counts neurons from 1,
  numpy from 0: W12 of the 3-2-1 network is ``weights[0][0, 1]``); layers count from 0.
- ``biases[l]`` has shape ``(n_{l+1},)`` (only with ``bias=True``).
- ``SOP_{l+1} = Activ_l @ weights[l] + biases[l]`` has shape ``(m, n_{l+1})`` and
  ``Activ_{l+1} = sigmoid(SOP_{l+1})``; ``Activ_0`` is the input ``x``.
"""

from dataclasses import dataclass

import numpy as np

from .chain_rule import (
    cross_entropy,
    cross_entropy_sop_deriv,
    error,
    error_predicted_deriv,
    sigmoid,
    sigmoid_sop_deriv,
)
from .checks import (
    NO_TARGET,
    bias_shapes,
    check_init,
    check_loss,
    check_loss_target,
    check_network,  # noqa: F401  (gdlib/drawing imports it from here)
    check_network_options,
    check_parameter_list,
    check_parameters,
    check_samples,
    check_sizes,
    weight_shapes,
)


@dataclass
class Gradients:
    """dE/dparameter, shaped like the network's ``weights`` and ``biases``.

    Not used by name in the notebooks: ``Network.gradients`` returns it (notebook 03).
    """

    weights: list
    biases: list


@dataclass
class ForwardPass:
    """Every layer's SOP and Activ for a batch: ``sops[0]`` belongs to layer 1,
    ``activs[0]`` is the input itself, ``activs[-1]`` the prediction.

    Not used by name in the notebooks: ``Network.forward`` returns it (notebook 03).
    """

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


def mean_loss(fp, target, loss="squared"):
    """E of a forward pass on m samples: the mean over samples of the error summed over outputs.

    ``loss="squared"``: ``(predicted - target)**2``; ``"cross_entropy"``: from the output SOP
    (``chain_rule.cross_entropy``). ``target`` has the prediction's shape ``(m, n_out)``.
    """
    if loss == "squared":
        return float(error(fp.activs[-1], target).sum() / len(target))
    return float(cross_entropy(fp.sops[-1], target).sum() / len(target))


def backprop(weights, biases, x, target, loss="squared"):
    """Forward and backward pass on 2-D arrays; returns ``(ForwardPass, E, Gradients)``.

    ``E`` is the mean over the m samples of the error summed over the outputs
    (``mean_loss``). The backward pass carries ``delta = dE/dSOP`` from the output
    back: at the output ``delta = g1 * g2`` (divided by m for the mean), and one
    layer down ``delta = (delta @ W.T) * g4``, the series' g3 (= W) times g4 for
    every path at once. Each weight's gradient is its input (g3 or g5) times the delta.
    """
    fp = forward(weights, biases, x)
    predicted = fp.activs[-1]
    m = x.shape[0]
    e = mean_loss(fp, target, loss)
    if loss == "squared":
        delta = error_predicted_deriv(predicted, target) * sigmoid_sop_deriv(fp.sops[-1]) / m
    else:  # cross-entropy: g1 * g2 = predicted - target, the sigmoid's slope cancels (notebook 09)
        delta = cross_entropy_sop_deriv(predicted, target) / m
    grad_w = [None] * len(weights)
    grad_b = [None] * len(weights) if biases else []
    for l in range(len(weights) - 1, -1, -1):
        grad_w[l] = fp.activs[l].T @ delta
        if biases:
            grad_b[l] = delta.sum(axis=0)
        if l > 0:
            delta = (delta @ weights[l].T) * sigmoid_sop_deriv(fp.sops[l - 1])
    return fp, e, Gradients(grad_w, grad_b)


def mean_error(weights, biases, x, target, loss="squared"):
    """E for 2-D ``x`` and ``target``: the mean over samples of the summed output error."""
    return mean_loss(forward(weights, biases, x), target, loss)


def flat_parameters(weights, biases):
    """Every parameter in one vector: weights[0].ravel(), biases[0], weights[1].ravel(), biases[1], ..."""
    pairs = zip(weights, biases) if biases else ((w,) for w in weights)
    return np.concatenate([np.ravel(a) for pair in pairs for a in pair])


def start_weights(rng, shape, init="series"):
    """One layer's random start weights, of shape ``(n_in, n_out)``, drawn from ``rng``.

    ``"series"``: uniform in [0, 1). ``"xavier"`` (notebook 09): uniform in
    +-sqrt(6 / (n_in + n_out)), so that a SOP's spread stays about the same from
    layer to layer, however wide the layers.
    """
    if init == "xavier":
        limit = np.sqrt(6.0 / (shape[0] + shape[1]))
        return rng.uniform(-limit, limit, shape)
    return rng.random(shape)


class Network:
    """A network of sigmoid neurons with the given layer sizes, inputs first.

    Introduced in notebook 01 (one weight, handed to ``train``) and met properly in notebook 03.

    ``Network((3, 2, 1), seed=0)`` is the series' 3-2-1 network: weights drawn
    uniformly from [0, 1) by ``numpy.random.default_rng(seed)``, so the same seed
    always gives the same network. ``init="xavier"`` (notebook 09) draws each
    layer uniformly in +-sqrt(6 / (n_in + n_out)) from the same generator instead
    (``start_weights``). ``weights=`` (a list of arrays) sets them instead (then
    leave ``seed`` and ``init`` out). ``bias=True`` adds one bias per neuron,
    starting at 0 unless ``biases=`` gives them; ``biases=`` alone means bias=True.

    ``sizes`` and ``bias`` are fixed once the network is made; ``weights`` and
    ``biases`` are lists you may change, and every method re-checks them.
    Nothing here changes the network: ``train`` returns a new one.
    """

    def __init__(self, sizes, *, seed=None, weights=None, bias=None, biases=None, init="series"):
        sizes = check_sizes(sizes)
        seed, bias = check_network_options(seed, weights, bias, biases)
        init = check_init(init, weights)
        self._sizes, self._bias = sizes, bias
        if weights is None:
            rng = np.random.default_rng(seed)
            self.weights = [start_weights(rng, shape, init) for shape in weight_shapes(sizes)]
        else:
            self.weights = check_parameter_list(weights, weight_shapes(sizes), "weights", sizes)
        if biases is not None:
            self.biases = check_parameter_list(biases, bias_shapes(sizes), "biases", sizes)
        else:
            self.biases = [np.zeros(shape) for shape in bias_shapes(sizes)] if bias else []

    @classmethod
    def _from_checked(cls, sizes, weights, biases):
        """A network around arrays that were checked already (by ``check_parameters``)."""
        net = cls.__new__(cls)
        net._sizes, net._bias, net.weights, net.biases = sizes, bool(biases), weights, biases
        return net

    @property
    def sizes(self):
        """The layer sizes, inputs first, e.g. ``(3, 2, 1)``; fixed when the network is made."""
        return self._sizes

    @sizes.setter
    def sizes(self, value):
        raise AttributeError(f"sizes cannot change after a Network is made: make a new one, "
                             f"e.g. Network({tuple(value) if np.iterable(value) else value}, seed=0).")

    @property
    def bias(self):
        """True when every neuron has a bias (``biases`` then holds one array per layer step)."""
        return self._bias

    @bias.setter
    def bias(self, value):
        raise AttributeError(f"bias cannot change after a Network is made: make a new one, "
                             f"e.g. Network({self._sizes}, seed=0, bias={bool(value)}).")

    @property
    def n_inputs(self):
        return self.sizes[0]

    @property
    def n_outputs(self):
        return self.sizes[-1]

    @property
    def n_parameters(self):
        """How many weights and biases the network has."""
        return sum(a * b + (b if self.bias else 0) for a, b in weight_shapes(self.sizes))

    def copy(self):
        """An independent copy (new arrays, same numbers)."""
        weights, biases = check_parameters(self)  # new arrays
        return Network._from_checked(self.sizes, weights, biases)

    def _samples(self, x, target=NO_TARGET):
        """``check_samples`` for this network: ``(x2, target2, single)``."""
        return check_samples(x, target, self.n_inputs, self.n_outputs)

    def forward(self, x):
        """Every layer's SOP and Activ for ``x`` (always 2-D: samples by neurons)."""
        weights, biases = check_parameters(self)
        x2, _, _ = self._samples(x)
        with _quiet_overflow():
            return forward(weights, biases, x2)

    def predict(self, x):
        """Shape ``(n_out,)`` for one sample ``(n_in,)``; ``(m, n_out)`` for a batch ``(m, n_in)``."""
        weights, biases = check_parameters(self)
        x2, _, single = self._samples(x)
        with _quiet_overflow():
            predicted = forward(weights, biases, x2).activs[-1]
        return predicted[0] if single else predicted

    def error(self, x, target, loss="squared"):
        """E: the mean over samples of the output errors, summed over outputs.

        ``loss="squared"``: the series' ``(predicted - target)**2``; ``"cross_entropy"``
        (notebook 09): ``-(t ln p + (1 - t) ln(1 - p))``, targets in [0, 1].
        """
        weights, biases = check_parameters(self)
        x2, t2, _ = self._samples(x, target)
        check_loss_target(t2, check_loss(loss))
        with _quiet_overflow():
            return mean_error(weights, biases, x2, t2, loss)

    def gradients(self, x, target, loss="squared"):
        """dE/dparameter at the current parameters (a ``Gradients``); nothing is changed.

        ``loss`` as in ``error``; with the cross-entropy, dE/dSOP at the output is
        ``(predicted - target) / m`` (notebook 09).
        """
        weights, biases = check_parameters(self)
        x2, t2, _ = self._samples(x, target)
        check_loss_target(t2, check_loss(loss))
        with _quiet_overflow():
            return backprop(weights, biases, x2, t2, loss)[2]

    def __repr__(self):
        lines = [f"Network(sizes={self.sizes}, bias={self.bias})"]
        for l, w in enumerate(self.weights):
            w = np.asarray(w)  # a learner may have put a list here
            lines.append(f"  weights[{l}] (W_zy, shape {w.shape}):")
            lines.extend("    " + row for row in np.array2string(w, precision=4).splitlines())
            if self.bias and l < len(self.biases):
                lines.append(f"  biases[{l}]: {np.array2string(np.asarray(self.biases[l]), precision=4)}")
        return "\n".join(lines)


def _quiet_overflow():
    """Huge weights (after a diverged run) or huge inputs can make a SOP overflow to
    infinity; sigmoid handles that, so numpy need not warn. ``train`` does the same."""
    return np.errstate(over="ignore", invalid="ignore")
