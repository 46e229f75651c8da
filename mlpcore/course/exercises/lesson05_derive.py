"""Derivation exercises of lesson 05: weight decay, and the bias as the weight of an input 1.

The student derives a formula, then writes it as a function. Each check compares that function
with central differences of the cost on the seeded random networks of
:func:`._common.random_cases` (p = 1, 2, 3), at every layer k, and returns a Feedback.
"""

from __future__ import annotations

import numpy as np

from ._common import call, numeric_gradient, random_cases, squared_backward, squared_cost
from ._feedback import array_problem, exercise

ALPHA, LAMBDA = 0.1, 0.3  #: the step and the decay rate of the weight-decay check
N = 3  #: samples per batch in the check of dŴ


@exercise(blank="your function decay_step", success="Correct: the step shrinks w, then descends.")
def check_decay_step(answer):
    """A function decay_step(w_k, dW_k, alpha, lam): w^(k) after one step on the penalised cost.

    The cost is L̃_0 + (λ/2) Σ_k ‖w^(k)‖² (sum of the squared weights; the biases are not
    penalised). The check takes one step of α along its numerical gradient in w^(k).
    """
    if not callable(answer):
        return "answer should be a function decay_step(w_k, dW_k, alpha, lam), not a value."
    for net, x, y in random_cases(550):
        _, (dW, _, _) = squared_backward(net, x, y)
        for k in range(net.p):

            def cost(net=net):
                penalty = sum(float(np.sum(wk * wk)) for wk in net.w)
                return squared_cost(net, x, y) + LAMBDA / 2 * penalty  # noqa: B023

            w = net.w[k]
            expected = w - ALPHA * numeric_gradient(cost, net.w[k])
            what = f"k = {k} of s = {net.s}"
            got = call(answer, w, dW[k], ALPHA, LAMBDA)
            wrong = [
                (w - ALPHA * dW[k], "The penalty depends on w^(k) too: its gradient adds a term."),
                (
                    w - ALPHA * (dW[k] + 2 * LAMBDA * w),
                    "The ½ in (λ/2)‖w‖² cancels the 2 that differentiating a square brings.",
                ),
                (
                    w - ALPHA * dW[k] - LAMBDA * w,
                    "The step α multiplies the whole gradient of the penalised cost, the "
                    "penalty's part included (eq-update).",
                ),
                (
                    w - ALPHA * (dW[k] - LAMBDA * w),
                    "Check the sign of the penalty's gradient: the penalty grows with ‖w‖.",
                ),
            ]
            hint = "Differentiate (λ/2) Σ_{i,j} (w_ij^(k))² in w_ij^(k), add it to dW^(k), step."
            problem_ = array_problem(f"decay_step for {what}", got, expected, hint, wrong, 1e-6)
            if problem_ is not None:
                return problem_
    return None


@exercise(blank="your function dW_hat", success="Correct: dB^(k) is the last column of dŴ^(k).")
def check_dW_hat(answer):
    """A function dW_hat(dL_next, a_k): the gradient of the summed cost in ŵ^(k) = [w^(k) | b^(k)].

    ``dL_next`` is dL^(k+1), shape (s_{k+1}, n); ``a_k`` is a^(k), shape (s_k, n). The result
    has shape (s_{k+1}, s_k + 1): the weights' columns, then the bias as the last column.
    """
    if not callable(answer):
        return "answer should be a function dW_hat(dL_next, a_k), not a value."
    for net, X, Y in random_cases(560, n=N):
        trace, (dW, dB, dL) = squared_backward(net, X, Y)
        for k in range(net.p):
            d_w = numeric_gradient(lambda: squared_cost(net, X, Y), net.w[k])  # noqa: B023
            d_b = numeric_gradient(lambda: squared_cost(net, X, Y), net.b[k])  # noqa: B023
            expected = np.column_stack([d_w, d_b])
            what = f"k = {k} of s = {net.s}, a batch of {N} columns"
            got = call(answer, dL[k + 1], trace.a[k])
            zeros = np.zeros_like(dB[k])
            wrong = [
                (np.column_stack([dW[k], zeros]), "The constant input is 1, not 0."),
                (
                    np.column_stack([dB[k], dW[k]]),
                    "The constant input is the last entry of â^(k), so its weight is the last "
                    "column of ŵ^(k), not the first.",
                ),
                (expected / N, "You took a mean; the batch cost is the sum over the samples."),
                (expected.T, "Transposed: dŴ^(k) has the shape of ŵ^(k), (s_{k+1}, s_k + 1)."),
            ]
            hint = "Write z^(k+1) = ŵ^(k) â^(k) and apply eq-dW to this layer without a bias."
            problem_ = array_problem(f"dW_hat for {what}", got, expected, hint, wrong, 1e-6)
            if problem_ is not None:
                return problem_
    return None


@exercise(blank="your function dW_batch", success="Correct: the only product with the right shape.")
def check_dW_batch_shapes(answer):
    """A function dW_batch(dL_next, A_k): dW^(k) of the summed cost, from the batch matrices.

    ``dL_next`` is dL^(k+1), shape (s_{k+1}, n); ``A_k`` is A^(k), shape (s_k, n). The batch
    has n = 4 samples, so that for some layers n = s_k and a wrong product has the right shape.
    """
    if not callable(answer):
        return "answer should be a function dW_batch(dL_next, A_k), not a value."
    for net, X, Y in random_cases(570, n=4):
        trace, (_, _, dL) = squared_backward(net, X, Y)
        for k in range(net.p):
            expected = numeric_gradient(lambda: squared_cost(net, X, Y), net.w[k])  # noqa: B023
            what = f"k = {k} of s = {net.s}, n = 4 samples"
            d, A = dL[k + 1], trace.a[k]
            try:
                got = call(answer, d, A)
            except ValueError as exc:
                return f"dW_batch raised ValueError for {what}: {exc}. Check the shapes."
            wrong = [(A @ d.T, "Transposed: that product has the shape of w^(k)T.")]
            if d.shape[1] == A.shape[0]:  # n = s_k: a product that fits by accident
                wrong.append(
                    (
                        d @ A,
                        "That product has the right shape only because n = s_k here: its "
                        "inner sum pairs a sample index with a neuron index.",
                    )
                )
            hint = "Each entry (i, j) must sum over the samples, the index both matrices share."
            problem_ = array_problem(f"dW_batch for {what}", got, expected, hint, wrong, 1e-6)
            if problem_ is not None:
                return problem_
    return None
