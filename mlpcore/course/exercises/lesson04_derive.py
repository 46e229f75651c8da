"""Derivation exercises of lesson 04: gradients that the document does not state, found as dB is.

The student derives a formula, then writes it as a function of the backpropagated quantities.
Each check compares that function with central differences of the summed cost on the seeded
random networks of :func:`._common.random_cases` (p = 1, 2, 3), for a batch of samples as
columns, and returns a Feedback.
"""

from __future__ import annotations

import numpy as np

from ._common import call, numeric_gradient, random_cases, squared_backward, squared_cost
from ._feedback import array_problem, as_number, exercise

N = 3  #: samples per batch in these checks


@exercise(blank="your function d_beta", success="Correct: a shared bias collects every dL.")
def check_d_beta(answer):
    """A function d_beta(dL_next): ∂(cost)/∂β when b^(k) = β (1, ..., 1), for a batch.

    ``dL_next`` is dL^(k+1) for the batch, shape (s_{k+1}, n). The check moves every entry of
    b^(k) by the same ε and takes the central difference of the summed cost.
    """
    if not callable(answer):
        return "answer should be a function d_beta(dL_next), not a value."
    for net, X, Y in random_cases(440, n=N):
        _, (_, _, dL) = squared_backward(net, X, Y)
        for k in range(net.p):
            beta = np.zeros(1)

            def cost(net=net, k=k, beta=beta):
                moved = net.copy()
                moved.b[k] = moved.b[k] + beta[0]
                return squared_cost(moved, X, Y)  # noqa: B023

            expected = float(numeric_gradient(cost, beta)[0])
            what = f"k = {k} of s = {net.s}"
            got = call(answer, dL[k + 1])
            shape = np.shape(got)
            if shape == (net.s[k + 1],):
                return (
                    f"For {what} you returned one number per neuron: that is dB^(k). β is one "
                    "parameter shared by every neuron of layer k+1: its derivative is one number."
                )
            if shape == (N,):
                return (
                    f"For {what} you returned one number per sample; the batch cost adds the "
                    "samples' costs (eq-dB-batch), so their contributions add up too."
                )
            value = as_number(got)
            if np.isclose(value * dL[k + 1].size, expected, rtol=1e-6):
                return (
                    f"For {what} you took a mean: β enters every neuron of every sample with "
                    "weight 1, and nothing divides the cost."
                )
            hint = (
                "β moves every b_i^(k) at once: use the chain rule along the direction (1, ..., 1)."
            )
            problem_ = array_problem(f"d_beta for {what}", value, expected, hint, rtol=1e-6)
            if problem_ is not None:
                return problem_
    return None


@exercise(blank="your function dx", success="Correct: the input is one more layer down.")
def check_dx(answer):
    """A function dx(w0, dL1): the gradient ∂L̃_0/∂x of the cost with respect to the input.

    ``w0`` is w^(0), shape (s_1, s_0); ``dL1`` is dL^(1), shape (s_1,) or (s_1, n) for a batch;
    the result has the shape of x. The check differentiates the cost numerically in x.
    """
    if not callable(answer):
        return "answer should be a function dx(w0, dL1), not a value."
    for batch in (None, N):
        for net, X, Y in random_cases(450 + (batch or 0), n=batch):
            trace, (_, _, dL) = squared_backward(net, X, Y)
            x = X.copy()
            expected = numeric_gradient(lambda: squared_cost(net, x, Y), x)  # noqa: B023
            what = f"s = {net.s}" + (f", a batch of {N} columns" if batch else ", one sample")
            got = call(answer, net.w[0], dL[1])
            back = net.w[0].T @ dL[1]
            wrong = [
                (
                    net.g.g_prime(X) * back,
                    "There is no activation on the input: a^(0) = x enters h_0 directly, so no "
                    "g' appears at layer 0.",
                ),
                (dL[1], "dL^(1) is the gradient in z^(1); the input x sits one map h_0 below it."),
            ]
            if batch:
                wrong.append(
                    (
                        back.sum(axis=1),
                        "Each sample has its own input, so each gets its own gradient: "
                        "keep one column per sample.",
                    )
                )
            hint = "x enters the network only through h_0(b^(0), w^(0), x): see eq-Dh-a."
            problem_ = array_problem(f"dx for {what}", got, expected, hint, wrong, rtol=1e-6)
            if problem_ is not None:
                return problem_
    return None
