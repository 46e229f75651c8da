"""What the checks of lessons 04 to 06 share: a fixed problem, its gradients, one-number answers."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from mlpcore.backward import backward
from mlpcore.forward import forward
from mlpcore.losses import Loss
from mlpcore.network import Network


class Problem(NamedTuple):
    """A fixed network, one sample (x, y), a batch (X, Y) of columns, a loss and a step α."""

    net: Network
    x: np.ndarray
    y: np.ndarray
    X: np.ndarray
    Y: np.ndarray
    loss: Loss
    alpha: float = 0.1


def gradients(P: Problem, batch: bool = False):
    """(dW, dB, dL) of ``P.net`` by mlpcore.backward: for (x, y), or for the batch (X, Y)."""
    x, y = (P.X, P.Y) if batch else (P.x, P.y)
    trace = forward(P.net.w, P.net.b, P.net.g, x, trace=True)
    return backward(P.net.w, P.net.g, trace, y, P.loss)


def as_number(answer) -> float:
    """The answer as a float, or NaN when it is not one number."""
    try:
        return float(np.asarray(answer, dtype=float).reshape(()))
    except (TypeError, ValueError):
        return float("nan")


def scalar_problem(name: str, answer, expected: float, rtol: float, hint: str) -> str | None:
    """What is wrong with a one-number answer, or None: blank, not a number, NaN, value."""
    if answer is None or answer is Ellipsis:
        return f"{name} is still blank: replace the ... with your code."
    try:
        value = float(np.asarray(answer, dtype=float).reshape(()))
    except (TypeError, ValueError):
        return f"{name} should be one number, got {type(answer).__name__}."
    if not np.isfinite(value):
        return f"{name} is NaN or inf. {hint}".strip()
    if not np.isclose(value, expected, rtol=rtol, atol=1e-9):
        return f"{name} = {value:.6g} is not the expected value. {hint}".strip()
    return None
