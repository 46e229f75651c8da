"""Loss functions L(y)(y_pred) and their gradients ∇L(y)(z^(p)) (document, sections 1.5 and 3.2).

The document's network has a linear output layer, z^(p) = y_pred. A loss here therefore
takes the raw output z^(p). For classification we keep that linear layer and put the
softmax inside the loss, as softmax cross-entropy on z^(p).

For a batch (samples as columns, shape ``(s_p, n)``) ``L`` returns the **sum** of the
per-sample losses and ``grad`` returns the per-sample gradients side by side, so the
batch gradients of :mod:`mlpcore.backward` are sums too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Loss:
    """A loss L(y)(z) with its gradient with respect to z = z^(p)."""

    name: str
    L: Callable[[np.ndarray, np.ndarray], float]
    grad: Callable[[np.ndarray, np.ndarray], np.ndarray]

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


squared_error = Loss("squared_error", _squared_L, _squared_grad)
softmax_cross_entropy = Loss("softmax_cross_entropy", _xent_L, _xent_grad)

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
