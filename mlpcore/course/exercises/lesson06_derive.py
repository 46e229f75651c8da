"""Derivation exercise of lesson 06: one full-batch step on the objective of section 3.1.

The student derives the gradient of the mean objective J = (1/n) Σ_m L̃_0(x_m, y_m) from one
backward pass of the batch, then writes one step of gradient descent on J. The check compares
it with a step along the central-difference gradient of J on the seeded random networks of
:func:`._common.random_cases` (p = 1, 2, 3), and returns a Feedback.
"""

from __future__ import annotations

import numpy as np

from mlpcore.backward import backward
from mlpcore.forward import forward
from mlpcore.losses import squared_error

from ._common import numeric_gradient, random_cases
from ._feedback import array_problem, exercise

ALPHA, N = 0.2, 4  #: the step and the number of samples of the check


def _J(net, X, Y) -> float:
    """The objective of section 3.1: the mean over the columns of the per-sample cost."""
    return squared_error.L(Y, forward(net.w, net.b, net.g, X)) / X.shape[1]


def _per_sample_epoch(net, X, Y, alpha):
    """The other method: one step per sample, in order (section 3.1's stochastic descent)."""
    net = net.copy()
    for m in range(X.shape[1]):
        trace = forward(net.w, net.b, net.g, X[:, m], trace=True)
        dW, dB, _ = backward(net.w, net.g, trace, Y[:, m], squared_error)
        for k in range(net.p):
            net.w[k] -= alpha * dW[k]
            net.b[k] -= alpha * dB[k]
    return net.w + net.b


def _all_close(arrays, references) -> bool:
    return all(
        np.shape(a) == np.shape(r) and np.allclose(a, r)
        for a, r in zip(arrays, references, strict=True)
    )


@exercise(blank="your function full_batch_step", success="Correct: one step on the mean, J.")
def check_full_batch_step(answer):
    """A function full_batch_step(net, X, Y, alpha) returning (w, b), the lists after one step.

    The step is θ ← θ − α ∂J/∂θ for every w^(k) and b^(k), with J the mean of the per-sample
    squared error over the n columns of (X, Y). ``net`` must not be changed.
    """
    if not callable(answer):
        return "answer should be a function full_batch_step(net, X, Y, alpha), not a value."
    for net, X, Y in random_cases(660, n=N):
        params = net.w + net.b
        grads = [numeric_gradient(lambda: _J(net, X, Y), theta) for theta in params]  # noqa: B023
        expected = [theta - ALPHA * d for theta, d in zip(params, grads, strict=True)]
        sums = [theta - N * ALPHA * d for theta, d in zip(params, grads, strict=True)]
        before = [theta.copy() for theta in params]
        got = answer(net, X.copy(), Y.copy(), ALPHA)
        if any(not np.array_equal(t, b) for t, b in zip(params, before, strict=True)):
            return "full_batch_step changed net: work on a copy (net.copy()) and return lists."
        if not isinstance(got, tuple) or len(got) != 2:
            return "Return a pair (w, b) of lists: the new w^(k) and the new b^(k)."
        flat = list(got[0]) + list(got[1])
        if len(flat) != len(params):
            return f"Expected p = {net.p} arrays in w and p in b; got {len(flat)} in all."
        if _all_close(flat, params):
            return "Nothing moved: the parameters are those before the step."
        per_sample = _per_sample_epoch(net, X, Y, ALPHA)
        for candidate, special in (
            (sums, "That is a step on the sum of the costs; J is their mean."),
            (
                per_sample,
                "You updated the parameters after each sample: that is per-sample descent. A "
                "full-batch step takes every sample's gradient at the same parameters.",
            ),
        ):
            if _all_close(flat, candidate):
                return special
        what = f"s = {net.s}"
        for k, (g, e) in enumerate(zip(flat, expected, strict=True)):
            name = f"w^({k})" if k < net.p else f"b^({k - net.p})"
            hint = "Every w^(k) and b^(k) moves by α times its derivative of J (eq-objective)."
            problem_ = array_problem(f"The new {name} for {what}", g, e, hint, rtol=1e-6)
            if problem_ is not None:
                return problem_
    return None
