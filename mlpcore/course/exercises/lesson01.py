"""Self-checks for lesson 01 (notation, section 1 of the document).

Every check compares the answer with an independent computation, prints ✓ or ✗ with a hint,
and returns a bool. None of them raises on a wrong answer.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from mlpcore.activations import Activation
from mlpcore.losses import Loss, squared_error
from mlpcore.network import Network

from . import array_problem, verdict
from ._common import scalar_problem

#: The layer sizes used by the shape exercises: p = 3, s_0 = 5, s_1 = s_2 = 8, s_3 = 3.
S = (5, 8, 8, 3)


class Problem(NamedTuple):
    """A fixed network (2, 3, 4, 2) with tanh, random biases, and one expected value y."""

    net: Network
    y: np.ndarray
    loss: Loss


def problem() -> Problem:
    """The same problem on every call (fixed seeds)."""
    net = Network((2, 3, 4, 2), g="tanh", seed=11)
    rng = np.random.default_rng(110)
    net.b = [rng.normal(size=bk.shape) for bk in net.b]
    return Problem(net, np.array([0.5, -1.0]), squared_error)


def _blank(answer) -> bool:
    return answer is None or answer is Ellipsis


def _as_shapes(answer) -> list[tuple[int, ...]] | None:
    try:
        return [tuple(int(n) for n in shape) for shape in answer]
    except (TypeError, ValueError):
        return None


def check_w_shapes(answer) -> bool:
    """The shapes of w^(0), ..., w^(p-1) for s = S, as a list of p tuples (rows, columns)."""
    if _blank(answer):
        return verdict("answer is still blank: replace the ... with a list of p tuples.")
    got = _as_shapes(answer)
    if got is None:
        return verdict("answer should be a list of tuples of integers, like [(2, 3), ...].")
    expected = [(S[k + 1], S[k]) for k in range(len(S) - 1)]
    if got == expected:
        return verdict(None, "Correct: w^(k) has s_{k+1} rows and s_k columns.")
    if got == [(S[k], S[k + 1]) for k in range(len(S) - 1)]:
        return verdict(
            "Those are transposed. w^(k) multiplies a^(k) ∈ ℝ^{s_k} and gives z^(k+1) ∈ "
            "ℝ^{s_{k+1}}: how many rows must it have?"
        )
    if len(got) != len(expected):
        return verdict(
            f"There is one w^(k) per k = 0..p-1, and p = len(s) - 1 = {len(S) - 1}: "
            f"you gave {len(got)} shapes."
        )
    return verdict("Not yet. Section 1.3: w^(k) ∈ ℝ^{s_{k+1} × s_k}, with s = (5, 8, 8, 3).")


def check_n_params(answer) -> bool:
    """The number of real parameters (all w_ij^(k) and b_i^(k)) of a network with sizes S."""
    weights = sum(S[k + 1] * S[k] for k in range(len(S) - 1))
    biases = sum(S[k + 1] for k in range(len(S) - 1))
    hint = "Count s_{k+1} × s_k weights and s_{k+1} biases for each k = 0..p-1."
    if not _blank(answer):
        try:
            value = float(answer)
        except (TypeError, ValueError):
            value = float("nan")
        if value == weights:
            hint = "You counted the weights only; every layer k also has a bias b^(k)."
        elif value == weights + sum(S[:-1]):
            hint = "b^(k) ∈ ℝ^{s_{k+1}} (not ℝ^{s_k}, whatever the domain of h_k says)."
        elif value == weights + sum(S):
            hint = "The input layer has no bias: b^(k) exists for k = 0..p-1 only."
    return verdict(scalar_problem("answer", answer, weights + biases, 0.0, hint))


def _h_reference(b_k, w_k, a_k):
    rows, cols = w_k.shape
    return np.array([b_k[i] + sum(w_k[i, j] * a_k[j] for j in range(cols)) for i in range(rows)])


def check_h_loop(answer) -> bool:
    """A function h_loop(b_k, w_k, a_k) that returns h_k(b^(k), w^(k), a^(k)) for one sample."""
    if _blank(answer):
        return verdict("answer is still blank: replace the ... with your function h_loop.")
    if not callable(answer):
        return verdict("answer should be a function h_loop(b_k, w_k, a_k), not a value.")
    rng = np.random.default_rng(101)
    for rows, cols in ((3, 2), (1, 4), (4, 4)):
        b_k, w_k, a_k = rng.normal(size=rows), rng.normal(size=(rows, cols)), rng.normal(size=cols)
        try:
            got = answer(b_k.copy(), w_k.copy(), a_k.copy())
        except Exception as exc:  # a student's bug must give a hint, not a traceback
            return verdict(
                f"h_loop raised {type(exc).__name__}: {exc}. With w_k of shape "
                f"({rows}, {cols}), i runs over {rows} rows and j over {cols} columns."
            )
        hint = "z_i = b_i + Σ_j w_ij a_j: the sum runs over the columns j of w^(k)."
        if np.shape(got) == (cols,) and rows != cols:
            hint = "Your result has s_k entries; h_k returns a vector of ℝ^{s_{k+1}}."
        elif np.shape(got) == (rows,) and np.allclose(got, w_k @ a_k):
            hint = "You forgot the bias b^(k)."
        name = f"h_loop(b_k, w_k, a_k) for w_k {rows}×{cols}"
        problem_ = array_problem(name, got, _h_reference(b_k, w_k, a_k), hint=hint)
        if problem_ is not None:
            return verdict(problem_)
    return verdict(None, "Correct: your loop computes b^(k) + w^(k) a^(k).")


def _L_tilde_2(P: Problem, z2: np.ndarray) -> float:
    g: Activation = P.net.g
    z3 = P.net.w[2] @ g(z2) + P.net.b[2]
    return P.loss.L(P.y, z3)


def check_L_tilde_2(answer) -> bool:
    """L̃_2(y, b^(2), w^(2), z^(2)) for the network of :func:`problem` at z^(2) = (1, 1, 1, 1)."""
    P = problem()
    z2 = np.ones(4)
    expected = _L_tilde_2(P, z2)
    hint = (
        "L̃_2 starts at z^(2): apply g, then h_2, then L(y). Use net.w[2], net.b[2] and "
        "P.loss.L(P.y, ...)."
    )
    try:
        value = float(np.asarray(answer, dtype=float).reshape(()))
    except (TypeError, ValueError):
        value = float("nan")
    if np.isclose(value, P.loss.L(P.y, P.net.w[2] @ z2 + P.net.b[2])):
        hint = "You skipped g: z^(2) is the value before activation, so h_2 receives g(z^(2))."
    return verdict(scalar_problem("answer", answer, expected, 1e-9, hint))
