"""Self-checks for lesson 01 (notation, section 1 of the document).

Every check compares the answer with an independent computation and returns a Feedback
(see :mod:`mlpcore.course.exercises`).
"""

from __future__ import annotations

import numpy as np

from mlpcore.activations import Activation
from mlpcore.losses import squared_error
from mlpcore.network import Network

from ._common import Problem
from ._feedback import array_problem, as_number, exercise, scalar_problem

#: The layer sizes used by the shape exercises: p = 3, s_0 = 5, s_1 = s_2 = 8, s_3 = 3.
S = (5, 8, 8, 3)


def problem() -> Problem:
    """A network (2, 3, 4, 2) with tanh and random biases, y and the squared error (fixed seeds)."""
    net = Network((2, 3, 4, 2), g="tanh", seed=11)
    rng = np.random.default_rng(110)
    net.b = [rng.normal(size=bk.shape) for bk in net.b]
    return Problem(net, y=np.array([0.5, -1.0]), loss=squared_error)


def _as_shapes(answer) -> list[tuple[int, ...]] | None:
    try:
        return [tuple(int(n) for n in shape) for shape in answer]
    except (TypeError, ValueError):
        return None


@exercise(
    blank="a list of p tuples (rows, columns)",
    success="Correct: w^(k) has s_{k+1} rows and s_k columns.",
)
def check_w_shapes(answer):
    """The shapes of w^(0), ..., w^(p-1) for s = S, as a list of p tuples (rows, columns)."""
    got = _as_shapes(answer)
    if got is None:
        return "answer should be a list of tuples of integers, like [(2, 3), ...]."
    expected = [(S[k + 1], S[k]) for k in range(len(S) - 1)]
    if got == expected:
        return None
    if got == [(S[k], S[k + 1]) for k in range(len(S) - 1)]:
        return (
            "Those are transposed. w^(k) multiplies a^(k) ∈ ℝ^{s_k} and gives z^(k+1) ∈ "
            "ℝ^{s_{k+1}}: how many rows must it have? (eq-h)"
        )
    if len(got) != len(expected):
        return (
            f"There is one w^(k) per k = 0..p-1, and p = len(s) - 1 = {len(S) - 1}: "
            f"you gave {len(got)} shapes."
        )
    return "Not yet. Re-read section 1.3 for the space w^(k) lives in, with s = (5, 8, 8, 3)."


@exercise(blank="one integer")
def check_n_params(answer):
    """The number of real parameters (all w_ij^(k) and b_i^(k)) of a network with sizes S."""
    weights = sum(S[k + 1] * S[k] for k in range(len(S) - 1))
    biases = sum(S[k + 1] for k in range(len(S) - 1))
    hint = "Count the entries of every w^(k) and every b^(k), for k = 0..p-1 (section 1.3)."
    value = as_number(answer)
    if value == weights:
        hint = "You counted the weights only; every layer k also has a bias b^(k)."
    elif value == weights + sum(S[:-1]):
        hint = "b^(k) ∈ ℝ^{s_{k+1}} (not ℝ^{s_k}, whatever the domain of h_k says)."
    elif value == weights + sum(S):
        hint = "The input layer has no bias: b^(k) exists for k = 0..p-1 only."
    return scalar_problem("answer", answer, weights + biases, 0.0, hint)


def _h_reference(b_k, w_k, a_k):
    rows, cols = w_k.shape
    return np.array([b_k[i] + sum(w_k[i, j] * a_k[j] for j in range(cols)) for i in range(rows)])


@exercise(blank="your function h_loop", success="Correct: your loop computes h_k (eq-h).")
def check_h_loop(answer):
    """A function h_loop(b_k, w_k, a_k) that returns h_k(b^(k), w^(k), a^(k)) for one sample."""
    if not callable(answer):
        return "answer should be a function h_loop(b_k, w_k, a_k), not a value."
    rng = np.random.default_rng(101)
    for rows, cols in ((3, 2), (1, 4), (4, 4)):
        b_k, w_k, a_k = rng.normal(size=rows), rng.normal(size=(rows, cols)), rng.normal(size=cols)
        try:
            got = answer(b_k.copy(), w_k.copy(), a_k.copy())
        except Exception as exc:  # a student's bug must give a hint, not a traceback
            return (
                f"h_loop raised {type(exc).__name__}: {exc}. With w_k of shape "
                f"({rows}, {cols}), i runs over {rows} rows and j over {cols} columns."
            )
        hint = "Entry i of z^(k+1) sums over the columns j of w^(k) (eq-h)."
        if np.shape(got) == (cols,) and rows != cols:
            hint = "Your result has s_k entries; h_k returns a vector of ℝ^{s_{k+1}}."
        wrong = [(w_k @ a_k, "You forgot the bias b^(k).")]
        if rows == cols:
            wrong.append((b_k + w_k.T @ a_k, "Entry i takes row i of w^(k), not column i."))
        name = f"h_loop(b_k, w_k, a_k) for w_k {rows}×{cols}"
        problem_ = array_problem(name, got, _h_reference(b_k, w_k, a_k), hint, wrong)
        if problem_ is not None:
            return problem_
    return None


def _L_tilde_2(P: Problem, z2: np.ndarray) -> float:
    g: Activation = P.net.g
    z3 = P.net.w[2] @ g(z2) + P.net.b[2]
    return P.loss.L(P.y, z3)


@exercise(blank="one number")
def check_L_tilde_2(answer):
    """L̃_2(y, b^(2), w^(2), z^(2)) for the network of :func:`problem` at z^(2) = (1, 1, 1, 1)."""
    P = problem()
    z2 = np.ones(4)
    hint = "L̃_2 starts at z^(2): apply g, then h_2, then the loss L(y) (eq-Ltilde)."
    if np.isclose(as_number(answer), P.loss.L(P.y, P.net.w[2] @ z2 + P.net.b[2])):
        hint = "You skipped g: z^(2) is the value before activation, so h_2 receives a^(2)."
    return scalar_problem("answer", answer, _L_tilde_2(P, z2), 1e-9, hint)
