"""Activation functions g and their derivatives g' (document, section 1.5).

``g`` acts on a vector coefficient by coefficient, g(u) = [g(u_i)], and so does g'.
An :class:`Activation` bundles the pair; to use your own, build one::

    softplus = Activation("softplus", g=lambda u: np.logaddexp(0, u),
                          g_prime=lambda u: 1 / (1 + np.exp(-u)))
    net = Network((2, 8, 1), g=softplus, seed=0)

Both functions must map an array to an array of the same shape. :func:`mlpcore.gradcheck`
tells you at once whether your ``g_prime`` really is the derivative of your ``g``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Activation:
    """A pair (g, g'), applied elementwise (eq-g). Calling the object applies g.

    The differential of g at v is the diagonal map Dg(v)(u) = diag(g'(v)) u = g'(v) ⊙ u (eq-Dg).
    """

    name: str
    g: Callable[[np.ndarray], np.ndarray]
    g_prime: Callable[[np.ndarray], np.ndarray]
    init: str = "xavier"  # the initialisation scheme that suits it: "xavier" or "he"

    def __call__(self, u: np.ndarray) -> np.ndarray:
        return self.g(u)

    def __repr__(self) -> str:
        return f"Activation({self.name!r})"


def _sigmoid(u):
    # Written so that exp never overflows: for u < 0 use e^u / (1 + e^u).
    e = np.exp(-np.abs(u))
    return np.where(u >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _sigmoid_prime(u):
    s = _sigmoid(u)
    return s * (1.0 - s)


def _tanh_prime(u):
    t = np.tanh(u)
    return 1.0 - t * t


def _relu(u):
    return np.maximum(u, 0.0)


def _relu_prime(u):
    # The kink at 0 gets derivative 0 (a subgradient), the usual convention.
    return (u > 0).astype(np.result_type(u, np.float32))


def _identity(u):
    return np.array(u, copy=True)


def _identity_prime(u):
    return np.ones_like(u)


sigmoid = Activation("sigmoid", _sigmoid, _sigmoid_prime, init="xavier")
tanh = Activation("tanh", np.tanh, _tanh_prime, init="xavier")
relu = Activation("relu", _relu, _relu_prime, init="he")
identity = Activation("identity", _identity, _identity_prime, init="xavier")

ACTIVATIONS = {a.name: a for a in (sigmoid, tanh, relu, identity)}


def get_activation(g) -> Activation:
    """Return the :class:`Activation` for a name ("tanh", ...) or an Activation itself."""
    if isinstance(g, Activation):
        return g
    if isinstance(g, str):
        try:
            return ACTIVATIONS[g]
        except KeyError:
            raise ValueError(
                f"unknown activation g={g!r}; expected one of {sorted(ACTIVATIONS)} "
                "or an mlpcore.Activation(name, g, g_prime)"
            ) from None
    raise TypeError(f"g must be an activation name or an mlpcore.Activation, got {g!r}")
