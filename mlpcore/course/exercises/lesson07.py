"""Self-checks for lesson 07 (depth and initialisation: the recursion for dL^(k) unrolled).

Every check compares the answer with an independent computation on a fixed problem and returns a
:class:`~mlpcore.course.exercises.Feedback` (✎ blank, ✗ with a hint, ✓), like every lesson's.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from mlpcore.backward import dL as backward_dL
from mlpcore.course.depth import make_network
from mlpcore.data import circles
from mlpcore.forward import forward
from mlpcore.losses import Loss, squared_error
from mlpcore.network import Network

from ._common import Problem
from ._feedback import array_problem, as_number, exercise, scalar_problem


class DeadProblem(NamedTuple):
    """A narrow relu network (two units per hidden layer) and the circles inputs X (2, 200)."""

    net: Network
    X: np.ndarray


def problem() -> Problem:
    """A sigmoid network s = (4, 5, 6, 5, 3) with random biases and one sample (fixed seeds)."""
    net = Network((4, 5, 6, 5, 3), g="sigmoid", seed=9)
    rng = np.random.default_rng(90)
    net.b = [rng.normal(size=bk.shape) for bk in net.b]
    x, y = rng.normal(size=4), rng.normal(size=3)
    X, Y = rng.normal(size=(4, 6)), rng.normal(size=(3, 6))
    return Problem(net, x, y, X, Y, squared_error)


def _dead_problem(seed: int) -> DeadProblem:
    return DeadProblem(make_network((2,) + (2,) * 7 + (2,), "relu", "he", seed), circles().X)


def first_dead_layer(D: DeadProblem) -> int | None:
    """The smallest k in 1..p-1 with z_i^(k) <= 0 for every unit i and every sample, or None."""
    z = forward(D.net.w, D.net.b, D.net.g, D.X, trace=True).z
    return next((k for k in range(1, D.net.p) if np.all(z[k] <= 0)), None)


# The first seed whose network starts with a dead layer below the top hidden one.
DEAD_DEEP = next(
    D for D in map(_dead_problem, range(100)) if (first_dead_layer(D) or D.net.p) < D.net.p - 1
)


@exercise("the product, an (s_1, s_p) array", "Right: the recursion unrolled into one product.")
def check_unrolled_product(answer):
    """The (s_1, s_p) matrix ∏_{l=1}^{p-1} diag(g'(z^(l))) w^(l)T for the sample of problem()."""
    P = problem()
    w, g = P.net.w, P.net.g
    z = forward(w, P.net.b, g, P.x, trace=True).z
    # Independent of the product: column j is the recursion started from dL^(p) = E_j.
    p = P.net.p
    identity = np.eye(P.net.s[p])
    expected = np.column_stack(
        [backward_dL(w, g, z, P.y, _unit(identity[:, j]))[1] for j in range(P.net.s[p])]
    )
    hint = "Multiply the factors in the order l = 1, 2, ..., p-1, each on the right."
    try:
        arr = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        arr = None
    if arr is not None and arr.shape == expected.shape:
        without_diag = np.eye(P.net.s[1])
        for l in range(1, p):
            without_diag = without_diag @ w[l].T
        if np.allclose(arr, without_diag):
            hint = "Each factor needs its diag(g'(z^(l))): the slopes are what makes depth hurt."
    elif arr is not None and arr.shape == expected.T.shape:
        hint = "Shape reversed: the factor of layer 1 goes on the left, the product is s_1 × s_p."
    return array_problem("answer", answer, expected, hint=hint)


def _unit(v: np.ndarray) -> Loss:
    """A stand-in loss whose gradient is the fixed vector v: the recursion starts at dL^(p) = v."""
    return Loss("unit", lambda y, z: float(v @ z), lambda y, z: v)


@exercise("the standard deviation σ_k, one number", "Right: He's scale for relu.")
def check_he_sigma(answer):
    """σ_k for a relu layer with s_k = 50 inputs per neuron and a gain of 1 (eq-depth-gain)."""
    expected = np.sqrt(2 / 50)
    hint = "Solve s_k σ_k² · mean(relu'(z)²) = 1 for σ_k, with mean(relu'(z)²) = 1/2."
    value = as_number(answer)
    if np.isclose(value, np.sqrt(1 / 50)):
        hint = "That is Xavier's scale: relu's slope is 0 on about half the neurons."
    elif np.isclose(value, 2 / 50) or np.isclose(value, 1 / 50):
        hint = "That is a variance σ_k²; the question asks for the standard deviation σ_k."
    return scalar_problem("answer", answer, expected, 1e-6, hint)


@exercise("the layer index k, one integer", "Right: that layer is dead on every sample.")
def check_first_dead_layer(answer):
    """The smallest layer k of DEAD_DEEP whose units all have z^(k) <= 0 on every sample."""
    expected = first_dead_layer(DEAD_DEEP)
    hint = "Run the forward pass on all of X and test np.all(z[k] <= 0) for k = 1, 2, ..."
    value = as_number(answer)
    if np.isfinite(value) and value > expected:
        hint = "A layer below that one is dead already: start the search at k = 1."
    elif np.isfinite(value) and value < expected:
        hint = f"Layer {value:g} still has a unit with z > 0 on some sample."
    return scalar_problem("answer", answer, float(expected), 0.0, hint)
