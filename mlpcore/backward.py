"""Backpropagation: dL^(k), dB^(k), dW^(k) (document, sections 3.2 to 3.4).

Each function is one boxed formula of the document. They take one sample (vectors) or a
batch (samples as columns). For a batch, column m of ``dL[k]`` is sample m's own dL^(k),
and ``dB``/``dW`` return the **sum** over the batch of the per-sample gradients: the
gradient of Σ_m L̃_0(x_m, y_m). They do not divide by n. Keeping the sum makes a batch of
one exactly the document's per-sample gradient; the trainer divides by n itself, where it
takes the mean loss (see :func:`mlpcore.train.sgd`).
"""

from __future__ import annotations

import numpy as np

from ._checks import (
    _LISTS,
    _NO,
    _layout,
    check_gradients_input,
    check_layer,
    check_list,
    check_params,
    check_target,
    check_trace,
)
from ._validate import as_array
from .activations import Activation, get_activation
from .forward import Trace
from .losses import Loss, get_loss


def dL(w: list, g: Activation | str, z: list, y: np.ndarray, loss: Loss | str) -> list:
    r"""The backward recursion for dL^(k) = ∂L̃_k/∂z^(k), k = p down to 1.

    Each step is the chain rule through one layer, L̃_k = L̃_{k+1} ∘ h_k ∘ g (eq-chain).

    .. math::
        dL^{(p)} = \nabla L(y)(z^{(p)})                                   \quad (eq-dLp)

        dL^{(k)} = \mathrm{diag}(g'(z^{(k)}))\, w^{(k)T} dL^{(k+1)}       \quad (eq-dLk)

    The code multiplies elementwise (eq-dLk-elementwise), ``g'(z[k]) * (w[k].T @ dL[k+1])``:
    a diagonal matrix times a vector scales the i-th entry of the vector by the i-th diagonal
    entry, so diag(v) u = v ⊙ u, without building an s_k × s_k matrix of zeros.

    Parameters
    ----------
    w : list of p arrays (s_{k+1}, s_k)
    g : Activation or its name
    z : list, ``z[k]`` (s_k,) or (s_k, n) for k = 1..p, ``z[0] = None`` (from the Trace)
    y : array shaped like ``z[p]``: (s_p,) for one sample, (s_p, n) for a batch
    loss : Loss or its name

    Returns
    -------
    list ``dL`` of length p+1 with ``dL[0] = None`` and ``dL[k]`` shaped like ``z[k]``.
    A list or shape that does not fit raises ValueError naming it.
    """
    w, _, s = check_params(w)
    g, loss = get_activation(g), get_loss(loss)
    p = len(w)
    n = _layout(z[1:], s[1:]) if type(z) in _LISTS and len(z) == p + 1 else _NO
    if n is _NO:  # something does not fit: find it and say so
        z = check_list(
            "z", z, p + 1, f"z[0..{p}] with z[0] = None, from forward(..., trace=True).z"
        )
        z[p], n = check_layer(f"z[{p}]", z[p], s[p], f"s_{p}")
        for k in range(1, p):
            z[k], _ = check_layer(f"z[{k}]", z[k], s[k], f"s_{k}", n, f"z[{p}]")
    y = as_array("y", y)
    if y.shape != z[p].shape:
        check_target(y, s[p], n, f"z[{p}]")
    out = [None] * (p + 1)
    out[p] = loss.grad(y, z[p])
    for k in range(p - 1, 0, -1):
        out[k] = g.g_prime(z[k]) * (w[k].T @ out[k + 1])
    return out


def dB(dL: list) -> list:
    r"""dB^(k) = dL^(k+1) for k = 0..p-1  (eq-dB).

    For a batch, the sum over the columns, dL^(k+1) 1_n (eq-dB-batch).
    Returns a list of p arrays shaped (s_{k+1},).
    """
    dL, _, _ = check_gradients_input(dL)
    return [d.copy() if d.ndim == 1 else d.sum(axis=1) for d in dL[1:]]


def dW(dL: list, a: list) -> list:
    r"""dW^(k) = dL^(k+1) g(z^(k))^T = dL^(k+1) a^(k)T, and dW^(0) = dL^(1) x^T.

    Labels ``eq-dW`` (k >= 1) and ``eq-dW0`` (k = 0): since a^(0) = x the same line covers
    both. For a batch (columns), ``dL[k+1] @ a[k].T`` is Σ_m dL_m a_m^T, the sum of the
    per-sample outer products (eq-dW-batch). Returns a list of p arrays shaped (s_{k+1}, s_k).
    ``a`` and ``dL`` must hold the same sample(s): a one-sample trace with a batch's dL is
    refused (``np.outer`` would flatten the batch into a matrix of the wrong shape).
    """
    dL, a, _ = check_gradients_input(dL, a)
    return [
        np.outer(dL[k + 1], a[k]) if a[k].ndim == 1 else dL[k + 1] @ a[k].T for k in range(len(a))
    ]


def backward(w: list, g: Activation | str, trace: Trace, y: np.ndarray, loss: Loss | str):
    """All three at once: returns ``(dW, dB, dL)`` for the sample(s) recorded in ``trace``.

    ``trace`` is ``forward(w, b, g, x, trace=True)`` for these ``w``; y is shaped like its
    output z^(p): (s_p,) for one sample, (s_p, n) for a batch.
    """
    w, _, s = check_params(w)
    a, z, _ = check_trace(trace, s)
    d = dL(w, g, z, y, loss)
    return dW(d, a), dB(d), d
