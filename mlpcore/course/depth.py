r"""Depth and initialisation (lesson 7): the recursion for dL^(k) unrolled, and its size per layer.

Course code, not library code: lesson 07 measures with these functions, and its tests and
exercises reuse them. The library's own initialisation is :func:`mlpcore.network.init_params`
("xavier" and "he"); the "naive" scheme, every w_ij ~ N(0, 1), exists only here, to be
measured against them.
"""

from __future__ import annotations

import numpy as np

from mlpcore.backward import dL as backward_dL
from mlpcore.forward import forward
from mlpcore.losses import squared_error
from mlpcore.network import Network

INITS = ("naive", "xavier", "he")
ACTIVATIONS = ("sigmoid", "tanh", "relu")


def init_variance(scheme: str, fan_in: int, fan_out: int) -> float:
    r"""The variance σ_k² of each entry of w^(k) under an initialisation scheme (eq-init-variance).

    .. math::
        \text{naive: } 1, \qquad \text{Xavier: } \frac{2}{s_k + s_{k+1}}, \qquad
        \text{He: } \frac{2}{s_k}

    Xavier draws U(−r, r) with r = √(6 / (s_k + s_{k+1})), whose variance is r²/3.

    Parameters
    ----------
    scheme : {"naive", "xavier", "he"}
    fan_in, fan_out : int, s_k and s_{k+1}
    """
    if scheme == "naive":
        return 1.0
    if scheme == "xavier":
        return 2.0 / (fan_in + fan_out)
    if scheme == "he":
        return 2.0 / fan_in
    raise ValueError(f"scheme must be one of {INITS}, got {scheme!r}")


def make_network(s, g: str, init: str, seed=0) -> Network:
    """``Network(s, g, seed)`` initialised by ``init``; "naive" redraws every w_ij ~ N(0, 1)."""
    if init not in INITS:
        raise ValueError(f"init must be one of {INITS}, got {init!r}")
    if init != "naive":
        return Network(s, g=g, seed=seed, init=init)
    net = Network(s, g=g, seed=seed)
    rng = np.random.default_rng(seed)
    net.w = [rng.standard_normal(wk.shape) for wk in net.w]
    return net


def unrolled_dL(w: list, g, z: list, dL_p: np.ndarray, k: int):
    r"""dL^(k) as one product of factors applied to dL^(p), for one sample (eq-dL-unrolled).

    .. math::
        dL^{(k)} = \Big[\prod_{l=k}^{p-1} \mathrm{diag}\big(g'(z^{(l)})\big)\, w^{(l)T}\Big]
        dL^{(p)}

    the factor of layer k on the left. Every diag is built as a matrix, as the document
    writes it.

    Parameters
    ----------
    w : list of p arrays (s_{l+1}, s_l)
    g : Activation
    z : list, ``z[l]`` (s_l,) for l = 1..p (a forward trace of one sample)
    dL_p : array (s_p,), dL^(p)
    k : int in 1..p

    Returns
    -------
    J : array (s_k, s_p), the product of the factors (the identity when k = p)
    dL_k : array (s_k,), ``J @ dL_p``
    """
    p = len(w)
    if not 1 <= k <= p:
        raise ValueError(f"k must be in 1..p = 1..{p}, got {k}")
    J = np.eye(w[k].shape[1] if k < p else w[p - 1].shape[0])
    for l in range(k, p):
        J = J @ np.diag(g.g_prime(z[l])) @ w[l].T
    return J, J @ dL_p


def gradient_norms(net: Network, X: np.ndarray, Y: np.ndarray, loss=squared_error) -> np.ndarray:
    """‖dL^(k)‖ for k = 0..p on a batch: the Frobenius norm of the (s_k, n) matrix dL^(k).

    Entry 0 is NaN (there is no dL^(0)). Shapes: X (s_0, n), Y (s_p, n); returns (p + 1,).
    """
    trace = forward(net.w, net.b, net.g, X, trace=True)
    d = backward_dL(net.w, net.g, trace.z, Y, loss)
    return np.array([np.nan] + [float(np.linalg.norm(d[k])) for k in range(1, net.p + 1)])


def layer_gain(w_k: np.ndarray, g, z_k: np.ndarray) -> float:
    r"""The predicted ratio ‖dL^(k)‖² / ‖dL^(k+1)‖² of one layer (eq-depth-gain).

    .. math::
        \frac{\lVert dL^{(k)}\rVert^2}{\lVert dL^{(k+1)}\rVert^2}
        \approx s_k\, \sigma_k^2\, \overline{g'(z^{(k)})^2}

    with σ_k² the mean square of the entries of ``w_k`` and the bar a mean over the entries of
    ``z_k`` (s_k,) or (s_k, n). It treats the weights as independent of everything else: a
    prediction, which the lesson compares with the measurement.
    """
    s_k = w_k.shape[1]
    return float(s_k * np.mean(w_k**2) * np.mean(g.g_prime(z_k) ** 2))


def depth_batch(width: int, n: int = 256, seed=0):
    """A fixed batch for the measurements: X (width, n) ~ N(0, 1) and Y (width, n) ~ N(0, 1)."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal((width, n)), rng.standard_normal((width, n))


def depth_ratios(depths=range(2, 11), width: int = 32, n: int = 256, seed=0) -> dict:
    """‖dL^(1)‖ / ‖dL^(p)‖ for every activation, initialisation and depth p.

    Each network has p + 1 layers of ``width`` neurons, biases 0, and the squared error on the
    batch of :func:`depth_batch`. Returns ``{(g, init): array over depths}``.
    """
    X, Y = depth_batch(width, n, seed)
    table = {}
    for g in ACTIVATIONS:
        for init in INITS:
            ratios = []
            for p in depths:
                norms = gradient_norms(make_network((width,) * (p + 1), g, init, seed), X, Y)
                ratios.append(norms[1] / norms[p])
            table[g, init] = np.array(ratios)
    return table
