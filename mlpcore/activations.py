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
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Kernel:
    """The same g and g' written in place, for the fast backend (:mod:`mlpcore.fast`).

    ``apply(z, out)`` writes g(z) into ``out``. ``backprop(t, z, a, out, tmp)`` writes
    g'(z) ⊙ t into ``out`` (the diag(g'(z^(k))) of eq-dLk), from z or from a = g(z), with
    ``tmp`` a work array of the same shape. ``from_a``: backprop reads a and never z, so the
    fast backend may write g(z) over z. ``g`` and ``g_prime`` name the formulas it implements:
    an :class:`Activation` keeps a kernel only if they are its own.
    """

    g: Callable
    g_prime: Callable
    apply: Callable
    backprop: Callable
    from_a: bool = False


@dataclass(frozen=True)
class Activation:
    """A pair (g, g'), applied elementwise (eq-g). Calling the object applies g.

    The differential of g at v is the diagonal map Dg(v)(u) = diag(g'(v)) u = g'(v) ⊙ u (eq-Dg).
    ``kernel`` (optional) is a :class:`Kernel` of the same formulas; without one, the fast
    backend calls ``g`` and ``g_prime`` themselves. A name never selects a kernel.
    """

    name: str
    g: Callable[[np.ndarray], np.ndarray]
    g_prime: Callable[[np.ndarray], np.ndarray]
    init: str = "xavier"  # the initialisation scheme that suits it: "xavier" or "he"
    kernel: Kernel | None = field(default=None, compare=False, repr=False)

    def __post_init__(self):
        k = self.kernel  # e.g. dataclasses.replace(relu, g=leaky) must not keep relu's kernel
        if k is not None and (k.g is not self.g or k.g_prime is not self.g_prime):
            object.__setattr__(self, "kernel", None)

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


# -- the in-place kernels: g' is taken from a = g(z), which the forward pass has already made --
# A Python float argument is converted by numpy on every call (about 0.2 µs, a tenth of a small
# kernel); a 0-d array of the operand's own dtype goes in as it is, and rounds the same way.
_ZERO, _HALF, _ONE = ({np.dtype(t).char: np.array(v, t) for t in (np.float32, np.float64)}
                      for v in (0.0, 0.5, 1.0))  # fmt: skip


def _sigmoid_apply(z, out):  # σ(z) = (1 + tanh(z/2)) / 2: no exp, so no overflow
    half = _HALF.get(out.dtype.char, 0.5)
    np.multiply(z, half, out=out)
    np.tanh(out, out=out)
    np.multiply(out, half, out=out)
    np.add(out, half, out=out)


def _sigmoid_backprop(t, z, a, out, tmp):  # σ' = σ(1 − σ) = a(1 − a)
    np.subtract(_ONE.get(tmp.dtype.char, 1.0), a, out=tmp)
    np.multiply(tmp, a, out=tmp)
    np.multiply(t, tmp, out=out)


def _tanh_backprop(t, z, a, out, tmp):  # tanh' = 1 − tanh² = 1 − a²
    # As the plain loop rounds it: t − (t ⊙ a) ⊙ a would save a call but round differently,
    # and a deep tanh network's training (lesson 07) amplifies the difference.
    np.multiply(a, a, out=tmp)
    np.subtract(_ONE.get(tmp.dtype.char, 1.0), tmp, out=tmp)
    np.multiply(t, tmp, out=out)


def _relu_apply(z, out):
    np.maximum(z, _ZERO.get(out.dtype.char, 0.0), out=out)


def _relu_backprop(t, z, a, out, tmp):  # 1 where z > 0, i.e. where a > 0 (0 at the kink)
    np.greater(a, _ZERO.get(a.dtype.char, 0.0), out=tmp)
    np.multiply(t, tmp, out=out)


def _builtin(name, g, g_prime, init, apply, backprop):
    return Activation(name, g, g_prime, init, Kernel(g, g_prime, apply, backprop, from_a=True))


sigmoid = _builtin("sigmoid", _sigmoid, _sigmoid_prime, "xavier", _sigmoid_apply, _sigmoid_backprop)
tanh = _builtin("tanh", np.tanh, _tanh_prime, "xavier", np.tanh, _tanh_backprop)  # tanh(z, out)
relu = _builtin("relu", _relu, _relu_prime, "he", _relu_apply, _relu_backprop)
identity = _builtin(
    "identity", _identity, _identity_prime, "xavier",
    lambda z, out: np.copyto(out, z), lambda t, z, a, out, tmp: np.copyto(out, t),
)  # fmt: skip

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
