"""What the checks share: one Problem type, its gradients, random networks, central differences."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from mlpcore.backward import backward
from mlpcore.forward import forward
from mlpcore.losses import Loss, squared_error
from mlpcore.network import Network


class Problem(NamedTuple):
    """A fixed network, one sample (x, y), a batch (X, Y) of columns, a loss and a step α.

    Every exercise problem is one of these; the fields a problem does not need are None.
    ``P.w``, ``P.b`` and ``P.g`` are the network's, for the exercises done by hand.
    """

    net: Network
    x: np.ndarray | None = None
    y: np.ndarray | None = None
    loss: Loss | None = None
    X: np.ndarray | None = None
    Y: np.ndarray | None = None
    alpha: float = 0.1

    @property
    def w(self) -> list:
        return self.net.w

    @property
    def b(self) -> list:
        return self.net.b

    @property
    def g(self):
        return self.net.g


def gradients(P: Problem, batch: bool = False):
    """(dW, dB, dL) of ``P.net`` by mlpcore.backward: for (x, y), or for the batch (X, Y)."""
    x, y = (P.X, P.Y) if batch else (P.x, P.y)
    trace = forward(P.net.w, P.net.b, P.net.g, x, trace=True)
    return backward(P.net.w, P.net.g, trace, y, P.loss)


def squared_cost(net, X, Y) -> float:
    """The squared-error cost of ``net`` on the columns X, Y (what the checks differentiate)."""
    return squared_error.L(Y, forward(net.w, net.b, net.g, X))


def squared_backward(net, X, Y):
    """The trace of X and backward's (dW, dB, dL) for the squared error: the analytic side."""
    trace = forward(net.w, net.b, net.g, X, trace=True)
    return trace, backward(net.w, net.g, trace, Y, squared_error)


def numeric_gradient(f, theta: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    """∂f/∂θ for every entry of θ by two-point central differences; θ is restored.

    Independent of mlpcore.gradcheck on purpose: the derivation exercises are checked against
    this and nothing the student could have called.
    """
    out = np.zeros_like(theta, dtype=float)
    for idx in np.ndindex(theta.shape):
        keep = theta[idx]
        theta[idx] = keep + eps
        up = f()
        theta[idx] = keep - eps
        down = f()
        theta[idx] = keep
        out[idx] = (up - down) / (2 * eps)
    return out


#: The architectures (s, g) of the derivation checks: p = 1, 2, 3, several widths and g.
ARCHITECTURES = (((3, 2), "tanh"), ((2, 4, 3), "sigmoid"), ((3, 5, 4, 2), "tanh"))


def random_cases(seed: int, n: int | None = None):
    """Seeded random (net, X, Y) for each architecture: random biases, Y with n columns or 1-D."""
    rng = np.random.default_rng(seed)
    for s, g in ARCHITECTURES:
        net = Network(s, g=g, seed=rng)
        net.b = [rng.normal(scale=0.5, size=bk.shape) for bk in net.b]
        shape = lambda size: (size,) if n is None else (size, n)  # noqa: E731
        yield net, rng.normal(size=shape(s[0])), rng.normal(size=shape(s[-1]))


def call(fn, *args):
    """``fn(*args)`` on copies of the array arguments, so that a student's function cannot
    change the check's data."""
    copies = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    return fn(*copies)
