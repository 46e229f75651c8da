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

from ._validate import as_array
from .activations import Activation


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
    z = w_k @ a_k
    z += b_k if a_k.ndim == 1 else b_k[:, None]
    return z


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


def forward(w: list, b: list, g: Activation, x, trace: bool = False):
    r"""Forward propagation, section 2 of the document  (eq-forward; on columns, eq-forward-batch).

    .. math:: a^{(0)} = x,\quad z^{(k+1)} = w^{(k)} a^{(k)} + b^{(k)},\quad a^{(k)} = g(z^{(k)})

    Parameters
    ----------
    w, b : lists of p arrays, ``w[k]`` (s_{k+1}, s_k), ``b[k]`` (s_{k+1},)
    g : Activation
    x : array (s_0,) or (s_0, n)
    trace : bool
        If True return the :class:`Trace` (a[0..p-1], z[1..p]) instead of z^(p) alone.

    Returns
    -------
    z^(p) of shape (s_p,) or (s_p, n), or a Trace.
    """
    p = len(w)
    x = check_input(x, w[0].shape[1])
    a = [x]
    z = [None, h(b[0], w[0], x)]
    for k in range(1, p):
        a.append(g(z[k]))
        z.append(h(b[k], w[k], a[k]))
    return Trace(a, z) if trace else z[p]
