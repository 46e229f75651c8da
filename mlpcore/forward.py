"""Forward propagation (document, section 2).

    a^(0) ← x
    z^(k+1) ← w^(k) a^(k) + b^(k) = h_k(b^(k), w^(k), a^(k))      (eq-forward)
    a^(k) ← g(z^(k))  for k = 1..p-1
    return z^(p) = y_pred

``x`` is one sample of shape ``(s_0,)`` or a batch of shape ``(s_0, n)`` with the samples
as columns: the same lines of code serve both, because ``b[:, None]`` adds the bias to
every column.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._checks import check_layer, check_params
from ._validate import as_array
from .activations import Activation, get_activation


class Trace(NamedTuple):
    """What backpropagation needs from the forward pass ("en enregistrant").

    ``a[k]`` for k = 0..p-1 (``a[0] = x``); ``z[k]`` for k = 1..p, with ``z[0] = None`` so that
    the indices are the document's. Each has shape ``(s_k,)`` or ``(s_k, n)``.
    """

    a: list
    z: list

    @property
    def y_pred(self) -> np.ndarray:
        """z^(p), the network's output."""
        return self.z[-1]


def h(b_k: np.ndarray, w_k: np.ndarray, a_k: np.ndarray) -> np.ndarray:
    r"""h_k(b^(k), w^(k), a^(k)) = b^(k) + w^(k) a^(k)  (eq-h).

    h_k is affine in a^(k): its differential in the direction (0, 0, q) is w^(k) q (eq-Dh-a).

    Shapes: ``b_k`` (s_{k+1},), ``w_k`` (s_{k+1}, s_k), ``a_k`` (s_k,) or (s_k, n).
    Returns z^(k+1) of shape (s_{k+1},) or (s_{k+1}, n).
    """
    b_k, w_k, a_k = np.asarray(b_k), np.asarray(w_k), np.asarray(a_k)
    if not (w_k.ndim == 2 and b_k.shape == w_k.shape[:1] and a_k.shape[:1] == w_k.shape[1:]):
        _explain_h(b_k, w_k, a_k)
    if a_k.ndim > 2:
        raise ValueError(f"a_k must be 1-D or 2-D (samples as columns), got shape {a_k.shape}")
    z = w_k @ a_k
    z += b_k if a_k.ndim == 1 else b_k[:, None]
    return z


def _explain_h(b_k, w_k, a_k):
    if w_k.ndim != 2:
        raise ValueError(f"w_k must be 2-D, of shape (s_(k+1), s_k), got {w_k.shape}")
    if b_k.shape != w_k.shape[:1]:
        raise ValueError(
            f"b_k must have shape (s_(k+1)={w_k.shape[0]},) to match w_k of shape {w_k.shape}, "
            f"got {b_k.shape}"
        )
    check_layer("a_k", a_k, w_k.shape[1], "s_k")


def as_g(g):
    """g as given to forward: an Activation, its name, or any function applied elementwise."""
    if isinstance(g, str) or not callable(g):
        return get_activation(g)
    return g


def check_input(x, s0: int, name: str = "x") -> np.ndarray:
    """Validate an input x: shape (s_0,) or (s_0, n), finite. Returns it as a float array."""
    x = as_array(name, x, ndim=(1, 2))
    if x.shape[0] != s0:
        raise ValueError(
            f"{name} must have shape (s_0={s0},) or (s_0={s0}, n) with samples as columns, "
            f"got {x.shape}"
            + (
                " (did you pass samples as rows? use mlpcore.rows_to_columns)"
                if x.ndim == 2 and x.shape[1] == s0
                else ""
            )
        )
    return x


def forward(w: list, b: list, g: Activation | str, x, trace: bool = False):
    r"""Forward propagation, section 2 of the document  (eq-forward; on columns, eq-forward-batch).

    .. math:: a^{(0)} = x,\quad z^{(k+1)} = w^{(k)} a^{(k)} + b^{(k)},\quad a^{(k)} = g(z^{(k)})

    Parameters
    ----------
    w, b : lists of p arrays, ``w[k]`` (s_{k+1}, s_k), ``b[k]`` (s_{k+1},)
    g : Activation or its name ("tanh", ...); forward needs g only, so a plain function will do
    x : array (s_0,) or (s_0, n)
    trace : bool
        If True return the :class:`Trace` (a[0..p-1], z[1..p]) instead of z^(p) alone.

    Returns
    -------
    z^(p) of shape (s_p,) or (s_p, n), or a Trace. A list or shape that does not fit raises
    ValueError naming it, its expected shape and what was received.
    """
    w, b, s = check_params(w, b)
    return _forward(w, b, as_g(g), check_input(x, s[0]), trace)


def _forward(w, b, g, x, trace=False):
    """forward without the checks, for callers that have made them (the gradient checks)."""
    p = len(w)
    a = [x]
    z = [None, h(b[0], w[0], x)]
    for k in range(1, p):
        a.append(g(z[k]))
        z.append(h(b[k], w[k], a[k]))
    return Trace(a, z) if trace else z[p]
