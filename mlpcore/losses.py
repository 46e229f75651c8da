"""Loss functions L(y)(y_pred) and their gradients ∇L(y)(z^(p)) (document, sections 1.5 and 3.2).

The document's network has a linear output layer, z^(p) = y_pred. A loss here therefore
takes the raw output z^(p). For classification we keep that linear layer and put the
softmax inside the loss, as softmax cross-entropy on z^(p).

For a batch (samples as columns, shape ``(s_p, n)``) ``L`` returns the **sum** of the
per-sample losses and ``grad`` returns the per-sample gradients side by side, so the
batch gradients of :mod:`mlpcore.backward` are sums too.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class LossKernel:
    """L and ∇L fused and written in place, for the fast backend (:mod:`mlpcore.fast`).

    ``one(z, y, d, ones)`` for one sample z (s_p,) writes into ``d`` a vector with
    ∇L(y)(z) = scale · d and returns ``(L(y)(z), scale)`` (the scale rides on the next
    product). ``batch(Z, Y, D, w)`` for r samples as rows, Z and Y (r, s_p), writes ∇L of each
    row into ``D`` and returns the sum of the r losses; ``w`` holds work vectors ``se``,
    ``se_col`` (its (r, 1) view), ``lse`` (r,) and ``ones_p`` (s_p,), ``ones_r`` (r,), and the
    flat ``zl`` = [Z | lse] and ``yo`` = [Y | ones_r] (Z, lse and Y are views of them).
    With ``labels`` the per-sample ``y`` is a class label and the batch ``Y`` holds −1 at each
    row's label, 0 elsewhere (minus one-hot rows).
    ``L`` and ``grad`` name the formulas it implements: a :class:`Loss` keeps a kernel only if
    they are its own.
    """

    L: Callable
    grad: Callable
    one: Callable
    batch: Callable
    labels: bool = False


@dataclass(frozen=True)
class Loss:
    """A loss L(y)(z) with its gradient with respect to z = z^(p).

    ``kernel`` (optional) is a :class:`LossKernel` of the same formulas; without one, the fast
    backend calls ``L`` and ``grad`` themselves. A name never selects a kernel.
    """

    name: str
    L: Callable[[np.ndarray, np.ndarray], float]
    grad: Callable[[np.ndarray, np.ndarray], np.ndarray]
    kernel: LossKernel | None = field(default=None, compare=False, repr=False)

    def __post_init__(self):
        k = self.kernel
        if k is not None and (k.L is not self.L or k.grad is not self.grad):
            object.__setattr__(self, "kernel", None)

    def __repr__(self) -> str:
        return f"Loss({self.name!r})"


def _squared_L(y, z):
    r"""L(y)(z) = ½‖z − y‖² (eq-squared-error), summed over the columns of a batch."""
    d = np.asarray(z) - y
    return 0.5 * float(np.sum(d * d))


def _squared_grad(y, z):
    r"""∇L(y)(z) = z − y  (label ``eq-dLp`` with the squared error)."""
    return np.asarray(z) - y


def log_softmax(z: np.ndarray) -> np.ndarray:
    """log softmax over the rows (the s_p outputs) of each column, computed stably."""
    m = np.max(z, axis=0, keepdims=True)
    shifted = z - m
    return shifted - np.log(np.sum(np.exp(shifted), axis=0, keepdims=True))


def softmax(z: np.ndarray) -> np.ndarray:
    """softmax(z)_i = e^{z_i} / Σ_j e^{z_j}, column by column."""
    return np.exp(log_softmax(np.asarray(z, dtype=float)))


def _xent_L(y, z):
    r"""L(y)(z) = −Σ_i y_i log softmax(z)_i (eq-softmax-xent), summed over a batch's columns."""
    return -float(np.sum(y * log_softmax(np.asarray(z, dtype=float))))


def _xent_grad(y, z):
    r"""∇L(y)(z) = softmax(z) Σ_i y_i − y, which is softmax(z) − y for a one-hot y."""
    y = np.asarray(y)
    return softmax(z) * np.sum(y, axis=0, keepdims=True) - y


# -- the fused kernels ------------------------------------------------------------------------


def _squared_one(z, y, d, ones):
    np.subtract(z, y, out=d)  # z − y
    return 0.5 * np.dot(d, d), 1.0


def _squared_batch(Z, Y, D, w):
    np.subtract(Z, Y, out=D)
    return 0.5 * np.vdot(D, D)


def _xent_one(z, y, d, ones):
    # softmax(z) − E_y = (exp(z) − Σexp · E_y) / Σexp: d gets the numerator, scale = 1 / Σexp.
    # Python floats throughout: for a few outputs, sum of a list beats a numpy call.
    np.exp(z, out=d)
    se = sum(d.tolist()) if d.size <= 64 else float(np.dot(d, ones))
    if 0.0 < se < math.inf:
        value = math.log(se) - z.item(y)
    else:  # overflow or underflow: redo with the max subtracted
        m = float(z.max())
        np.exp(z - m, out=d)
        se = float(np.dot(d, ones))
        value = math.log(se) + m - z.item(y)
    d[y] = d.item(y) - se
    return value, 1.0 / se


def _xent_batch(Z, Y, D, w):  # Y = −one-hot rows
    np.exp(Z, out=D)
    np.dot(D, w.ones_p, out=w.se)  # Σ_i exp(z_i) of each row
    np.log(w.se, out=w.lse)
    value = float(np.dot(w.zl, w.yo))  # [Z | lse] · [−E_y | 1] = Σ (log Σexp − z_y), one dot
    if not -math.inf < value < math.inf:  # overflow or underflow: redo with the max subtracted
        mx = Z.max(axis=1, keepdims=True)
        np.subtract(Z, mx, out=D)
        np.exp(D, out=D)
        np.dot(D, w.ones_p, out=w.se)
        np.log(w.se, out=w.lse)
        value = float(np.dot(w.zl, w.yo)) + float(mx.sum())
    np.divide(D, w.se_col, out=D)
    np.add(D, Y, out=D)  # softmax(z) − E_y
    return value


squared_error = Loss(
    "squared_error",
    _squared_L,
    _squared_grad,
    LossKernel(_squared_L, _squared_grad, _squared_one, _squared_batch),
)
softmax_cross_entropy = Loss(
    "softmax_cross_entropy",
    _xent_L,
    _xent_grad,
    LossKernel(_xent_L, _xent_grad, _xent_one, _xent_batch, labels=True),
)

LOSSES = {loss.name: loss for loss in (squared_error, softmax_cross_entropy)}


def get_loss(loss) -> Loss:
    """Return the :class:`Loss` for a name or a Loss itself."""
    if isinstance(loss, Loss):
        return loss
    if isinstance(loss, str):
        try:
            return LOSSES[loss]
        except KeyError:
            raise ValueError(f"unknown loss {loss!r}; expected one of {sorted(LOSSES)}") from None
    raise TypeError(f"loss must be a loss name or an mlpcore.Loss, got {loss!r}")
