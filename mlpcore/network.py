"""The network: sizes s = (s_0, ..., s_p) and parameters w^(k), b^(k) (document, section 1).

``w[k]`` has shape ``(s[k+1], s[k])`` and ``b[k]`` has shape ``(s[k+1],)`` for k = 0..p-1:
the weights and biases that take layer k to layer k+1. Layer 0 is the input, layer p the
output; p counts the layers other than the input.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._validate import check_positive_int
from .activations import Activation, get_activation

INIT_SCHEMES = ("xavier", "he")


def check_sizes(s) -> tuple[int, ...]:
    """Validate the layer sizes s = (s_0, ..., s_p): at least two layers, each of size >= 1."""
    if isinstance(s, (str, bytes)) or not isinstance(s, Sequence | np.ndarray):
        raise TypeError(f"s (the layer sizes) must be a sequence of integers, got {s!r}")
    if len(s) < 2:
        raise ValueError(f"s (the layer sizes) needs at least s_0 and s_1 (p >= 1), got {tuple(s)}")
    return tuple(check_positive_int(f"s[{k}] (size of layer {k})", sk) for k, sk in enumerate(s))


def init_params(s, scheme: str, rng: np.random.Generator, dtype=np.float64):
    r"""Draw w^(k) and set b^(k) = 0 for k = 0..p-1.

    ``"xavier"`` (Glorot, for tanh, sigmoid, identity): w_ij ~ U(−r, r), r = √(6 / (s_k + s_{k+1})).
    ``"he"`` (for relu): w_ij ~ N(0, 2 / s_k).
    Returns two lists ``w``, ``b`` of length p.
    """
    if scheme not in INIT_SCHEMES:
        raise ValueError(f"init must be one of {INIT_SCHEMES}, got {scheme!r}")
    w, b = [], []
    for k in range(len(s) - 1):
        fan_in, fan_out = s[k], s[k + 1]
        if scheme == "xavier":
            r = np.sqrt(6.0 / (fan_in + fan_out))
            wk = rng.uniform(-r, r, size=(fan_out, fan_in))
        else:
            wk = rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_out, fan_in))
        w.append(wk.astype(dtype))
        b.append(np.zeros(fan_out, dtype=dtype))
    return w, b


class Network:
    """A multilayer perceptron in the document's notation.

    Parameters
    ----------
    s : sequence of int
        Layer sizes (s_0, ..., s_p); ``p = len(s) - 1``.
    g : str or Activation
        The activation g of the hidden layers ("tanh", "sigmoid", "relu", "identity").
        The output layer is linear: z^(p) = y_pred.
    seed : int or numpy.random.Generator
        Fixes the initial parameters bit for bit.
    init : {"xavier", "he"}, optional
        Initialisation scheme; by default the one that suits ``g`` (He for relu).
    dtype : numpy float dtype, default float64

    Attributes
    ----------
    w : list of p arrays, ``w[k].shape == (s[k+1], s[k])``
    b : list of p arrays, ``b[k].shape == (s[k+1],)``
    """

    def __init__(self, s, g="tanh", seed=0, init: str | None = None, dtype=np.float64):
        self.s = check_sizes(s)
        self.g: Activation = get_activation(g)
        self.init = init or self.g.init
        dtype = np.dtype(dtype)
        if dtype not in (np.float32, np.float64):
            raise TypeError(f"dtype must be float32 or float64, got {dtype}")
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        self.w, self.b = init_params(self.s, self.init, rng, dtype)

    @property
    def p(self) -> int:
        """Number of layers other than the input layer."""
        return len(self.s) - 1

    @property
    def dtype(self):
        return self.w[0].dtype

    @property
    def n_params(self) -> int:
        return sum(wk.size + bk.size for wk, bk in zip(self.w, self.b, strict=True))

    def copy(self) -> Network:
        """A deep copy: same sizes, same g, parameters copied."""
        new = object.__new__(Network)
        new.s, new.g, new.init = self.s, self.g, self.init
        new.w = [wk.copy() for wk in self.w]
        new.b = [bk.copy() for bk in self.b]
        return new

    def __call__(self, x):
        """z^(p) = y_pred for one sample (s_0,) or a batch (s_0, n)."""
        from .forward import forward

        return forward(self.w, self.b, self.g, x)

    def predict(self, X) -> np.ndarray:
        """Class labels argmax_i z_i^(p) for a batch X of shape (s_0, n)."""
        return np.argmax(self(X), axis=0)

    def __repr__(self) -> str:
        return f"Network(s={self.s}, g={self.g.name!r}, init={self.init!r}, dtype={self.dtype})"
