"""The network: sizes s = (s_0, ..., s_p) and parameters w^(k), b^(k) (document, section 1).

``w[k]`` has shape ``(s[k+1], s[k])`` and ``b[k]`` has shape ``(s[k+1],)`` for k = 0..p-1:
the weights and biases that take layer k to layer k+1. Layer 0 is the input, layer p the
output; p counts the layers other than the input.

A Network keeps all its parameters in one buffer, layer k as the block ``[w^(k) | b^(k)]`` of
shape (s_{k+1}, s_k + 1) (:func:`folded`): ``w[k]`` and ``b[k]`` are views of it. That is the
layout in which :mod:`mlpcore.fast` trains, so it trains in the network's own arrays instead of
copying them in and out at each call. Nothing else depends on it: arrays put in their place
(``net.b = [...]``) work as well, and are copied in and out.

(About 280 lines: the sizes, the initialisation and that buffer's layout belong with the class
that holds them.)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._checks import check_list
from ._validate import check_positive_int, check_seed, check_shape
from .activations import Activation, get_activation

INIT_SCHEMES = ("xavier", "he")

#: The largest network built without asking: 10^8 parameters, 800 MB in float64. A typo such as
#: ``Network((2, 10**8, 1))`` is refused before any allocation instead of taking the machine's
#: memory; pass ``max_params=None`` (or a larger number) to build a bigger one on purpose.
MAX_PARAMS = 10**8
_CHUNK = 1 << 18  # weights are drawn this many at a time, so init holds no second copy


def count_params(s) -> int:
    """Σ_k s_{k+1} (s_k + 1): the number of weights and biases of a network of sizes s."""
    return sum(s[k + 1] * (s[k] + 1) for k in range(len(s) - 1))


def check_size_cap(s, max_params, dtype=np.float64) -> None:
    """Refuse sizes s with more than ``max_params`` parameters (None: no cap)."""
    if max_params is None:
        return
    n = count_params(s)
    if n > max_params:
        gb = n * np.dtype(dtype).itemsize / 1e9
        raise ValueError(
            f"s = {tuple(s)} gives {n:,} parameters ({gb:.3g} GB in {np.dtype(dtype)}), above "
            f"max_params = {max_params:,} (mlpcore.network.MAX_PARAMS); pass max_params=None "
            "to build it anyway"
        )


def check_sizes(s) -> tuple[int, ...]:
    """Validate the layer sizes s = (s_0, ..., s_p): at least two layers, each of size >= 1."""
    if isinstance(s, (str, bytes)) or not isinstance(s, Sequence | np.ndarray):
        raise TypeError(f"s (the layer sizes) must be a sequence of integers, got {s!r}")
    if len(s) < 2:
        raise ValueError(f"s (the layer sizes) needs at least s_0 and s_1 (p >= 1), got {tuple(s)}")
    return tuple(check_positive_int(f"s[{k}] (size of layer {k})", sk) for k, sk in enumerate(s))


def folded(s, flat: np.ndarray) -> list[np.ndarray]:
    """The blocks [w^(k) | b^(k)] (s_{k+1}, s_k + 1), k = 0..p-1, as views of ``flat``, one
    buffer of :func:`count_params` (s) entries: w^(k) is ``Wa[k][:, :-1]``, b^(k) ``Wa[k][:, -1]``.
    """
    ends = np.cumsum([0] + [s[k + 1] * (s[k] + 1) for k in range(len(s) - 1)])
    return [flat[ends[k] : ends[k + 1]].reshape(s[k + 1], s[k] + 1) for k in range(len(s) - 1)]


def param_buffer(s, dtype=np.float64, values=None):
    """(flat, w, b): a buffer for a network of sizes s and the lists of views ``w[k]``
    (s_{k+1}, s_k), ``b[k]`` (s_{k+1},) of it, in the layout of :func:`folded`; uninitialised,
    or holding a copy of ``values``, a pair of lists (w, b) of those shapes (ValueError if a
    list has another length or an array another shape: nothing is broadcast)."""
    flat = np.empty(count_params(s), dtype)
    Wa = folded(s, flat)
    w, b = [a[:, :-1] for a in Wa], [a[:, -1] for a in Wa]
    if values is not None:  # arrays put in by hand: never broadcast, never cut short
        pair = check_list("values", values, 2, "the lists w and b")
        for name, mine, given in zip("wb", (w, b), pair, strict=True):
            given = check_list(name, given, len(mine), f"{name}[0..p-1], p = {len(mine)}")
            for k, (m, g) in enumerate(zip(mine, given, strict=True)):
                check_shape(f"{name}[{k}]", np.asarray(g), m.shape)
                m[...] = g
    return flat, w, b


def own_buffer(net):
    """``net``'s parameter buffer if ``net.w`` and ``net.b`` are still its views in the layout
    of :func:`folded` (a few pointer comparisons), else None."""
    flat = getattr(net, "_flat", None)
    if type(flat) is not np.ndarray or len(net.w) != net.p or len(net.b) != net.p:
        return None
    at, size = flat.ctypes.data, flat.itemsize
    for k, (w, b) in enumerate(zip(net.w, net.b, strict=True)):
        row = (net.s[k] + 1) * size  # the stride of a row of [w | b]
        if not (
            type(w) is np.ndarray and type(b) is np.ndarray
            and w.flags.writeable and b.flags.writeable  # (read-only: copied, and refused)
            and w.dtype == flat.dtype and b.dtype == flat.dtype
            and w.shape == (net.s[k + 1], net.s[k]) and w.strides == (row, size)
            and b.shape == (net.s[k + 1],) and b.strides == (row,)
            and w.ctypes.data == at and b.ctypes.data == at + net.s[k] * size
        ):  # fmt: skip
            return None
        at += net.s[k + 1] * row
    return flat if at == flat.ctypes.data + flat.nbytes else None


def init_params(s, scheme: str, rng: np.random.Generator, dtype=np.float64, into=None):
    r"""Draw w^(k) and set b^(k) = 0 for k = 0..p-1.

    ``"xavier"`` (Glorot, for tanh, sigmoid, identity): w_ij ~ U(−r, r), r = √(6 / (s_k + s_{k+1})).
    ``"he"`` (for relu): w_ij ~ N(0, 2 / s_k).
    Returns two lists ``w``, ``b`` of length p; with ``into=(w, b)``, lists of arrays of those
    shapes, it draws into them and returns them.

    The draws are float64 and written into ``w[k]`` a block of rows at a time: the values are
    those of one draw of the whole matrix, and no second full-size copy is ever held.
    """
    if scheme not in INIT_SCHEMES:
        raise ValueError(f"init must be one of {INIT_SCHEMES}, got {scheme!r}")
    w, b = into if into is not None else ([], [])
    for k in range(len(s) - 1):
        fan_in, fan_out = s[k], s[k + 1]
        wk = w[k] if into is not None else np.empty((fan_out, fan_in), dtype=dtype)
        rows = max(1, _CHUNK // fan_in)
        for lo in range(0, fan_out, rows):
            size = (min(rows, fan_out - lo), fan_in)
            if scheme == "xavier":
                r = np.sqrt(6.0 / (fan_in + fan_out))
                wk[lo : lo + rows] = rng.uniform(-r, r, size=size)
            else:
                wk[lo : lo + rows] = rng.normal(0.0, np.sqrt(2.0 / fan_in), size=size)
        if into is None:
            w.append(wk)
            b.append(np.zeros(fan_out, dtype=dtype))
        else:
            b[k][...] = 0.0
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
    seed : int >= 0 or numpy.random.Generator
        Fixes the initial parameters bit for bit (None draws fresh entropy).
    init : {"xavier", "he"}, optional
        Initialisation scheme; by default the one that suits ``g`` (He for relu).
    dtype : numpy float dtype, default float64
    max_params : int or None, default ``MAX_PARAMS`` (10^8)
        Sizes with more parameters are refused before anything is allocated; None: no cap.

    Attributes
    ----------
    w : list of p arrays, ``w[k].shape == (s[k+1], s[k])``
    b : list of p arrays, ``b[k].shape == (s[k+1],)``

    Both are views of one buffer (see the module's docstring): change them in place
    (``net.w[k][...] = ...``, ``net.w[k] -= ...``) or put other arrays in their place.
    """

    def __init__(
        self,
        s,
        g="tanh",
        seed=0,
        init: str | None = None,
        dtype=np.float64,
        max_params: int | None = MAX_PARAMS,
    ):
        self.s = check_sizes(s)
        self.g: Activation = get_activation(g)
        self.init = init or self.g.init
        if self.init not in INIT_SCHEMES:
            raise ValueError(f"init must be one of {INIT_SCHEMES}, got {self.init!r}")
        dtype = np.dtype(dtype)
        if dtype not in (np.float32, np.float64):
            raise TypeError(f"dtype must be float32 or float64, got {dtype}")
        check_size_cap(self.s, max_params, dtype)
        rng = check_seed(seed)
        self._flat, self.w, self.b = param_buffer(self.s, dtype)
        init_params(self.s, self.init, rng, dtype, into=(self.w, self.b))

    @classmethod
    def from_params(cls, w, b, g="tanh", init: str | None = None, copy: bool = True) -> Network:
        """A Network that holds the given ``w[k]``, ``b[k]``; nothing is drawn at random.

        The sizes s are read from the shapes, ``w[k]`` (s_{k+1}, s_k) and ``b[k]`` (s_{k+1},).
        Every array must have one float dtype (float32 or float64) and be finite. ``copy=False``
        keeps the arrays themselves (``mlpcore.load`` uses it on arrays it has just read).
        """
        from ._checks import check_params

        w, b, s = check_params(w, b)
        s = check_sizes(s)  # no empty layer: every s_k >= 1, as Network(s) requires
        dtype = w[0].dtype
        for k in range(len(w)):
            if w[k].dtype != dtype or b[k].dtype != dtype:
                bad, arr = (f"w[{k}]", w[k]) if w[k].dtype != dtype else (f"b[{k}]", b[k])
                raise TypeError(
                    f"w and b must share one float dtype: w[0] is {dtype} but {bad} is {arr.dtype}"
                )
            for label, arr in ((f"w[{k}]", w[k]), (f"b[{k}]", b[k])):
                if dtype.kind != "f" or dtype not in (np.float32, np.float64):
                    raise TypeError(f"{label} must hold float32 or float64, got {arr.dtype}")
                if not np.isfinite(arr).all():
                    raise ValueError(f"{label} contains NaN or inf; every entry must be finite")
        net = object.__new__(cls)
        net.s = s
        net.g = get_activation(g)
        net.init = init or net.g.init
        if net.init not in INIT_SCHEMES:
            raise ValueError(f"init must be one of {INIT_SCHEMES}, got {net.init!r}")
        if copy:
            net._flat, net.w, net.b = param_buffer(s, dtype, (w, b))
        else:
            net._flat, net.w, net.b = None, list(w), list(b)
        return net

    def __copy__(self) -> Network:
        """copy.copy: a Network that shares the same lists of arrays (a shallow copy)."""
        new = object.__new__(Network)
        new.__dict__.update(self.__dict__)
        return new

    def __getstate__(self) -> dict:
        """For copy.deepcopy and pickle: the arrays, not the buffer behind them (pickle would
        store both, and give back the arrays apart from it)."""
        return {k: v for k, v in self.__dict__.items() if k != "_flat"}

    def __setstate__(self, state: dict) -> None:
        """Put the arrays back into one buffer of their own, as a new Network holds them."""
        self.__dict__.update(state)
        self._flat, self.w, self.b = param_buffer(self.s, self.w[0].dtype, (self.w, self.b))

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
        new._flat, new.w, new.b = param_buffer(self.s, self.dtype, (self.w, self.b))
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
