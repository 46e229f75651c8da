"""Self-checks for lesson 06 (training by gradient descent, section 3.1 of the document).

Every check compares the answer with an independent computation on the fixed problem that
:func:`problem` returns, prints ✓ or ✗ with a hint, and returns a bool. None of them raises.
"""

from __future__ import annotations

import numpy as np

from mlpcore.forward import forward
from mlpcore.losses import squared_error
from mlpcore.network import Network

from . import array_problem, verdict
from ._common import Problem, as_number, gradients, scalar_problem


def problem() -> Problem:
    """The same problem on every call (fixed seeds)."""
    net = Network((3, 4, 2), g="tanh", seed=6)
    rng = np.random.default_rng(60)
    for k in range(net.p):
        net.b[k] = rng.normal(size=net.b[k].shape)
    x, y = rng.normal(size=3), rng.normal(size=2)
    X, Y = rng.normal(size=(3, 8)), rng.normal(size=(2, 8))
    return Problem(net, x, y, X, Y, squared_error, 0.1)


def _same(answer, expected) -> bool:
    return (
        isinstance(answer, np.ndarray)
        and answer.shape == np.shape(expected)
        and bool(np.allclose(answer, expected))
    )


def check_update(answer) -> bool:
    """w^(0) after one step of eq-update on the sample (x, y) with the learning rate α."""
    P = problem()
    dW, _, _ = gradients(P)
    w0, alpha = P.net.w[0], P.alpha
    expected = w0 - alpha * dW[0]
    hint = "w^(0) ← w^(0) − α dW^(0), with dW^(0) = dL^(1) x^T."
    if _same(answer, w0 + alpha * dW[0]):
        hint = "Wrong direction: gradient descent subtracts α dW^(0)."
    elif _same(answer, w0 - dW[0]):
        hint = "The step is α dW^(0): you forgot the learning rate α."
    elif _same(answer, w0):
        hint = "That is w^(0) before the step (did you update a copy?)."
    return verdict(array_problem("answer", answer, expected, hint=hint))


def check_minibatch_gradient(answer) -> bool:
    """The mean gradient (1/m) Σ dW^(1) over the m = 8 columns of (X, Y)."""
    P = problem()
    dW, _, _ = gradients(P, batch=True)
    m = P.X.shape[1]
    expected = dW[1] / m
    hint = "Backpropagate the whole batch (samples as columns), then divide dW^(1) by m."
    if _same(answer, dW[1]):
        hint = "That is the sum over the batch; eq-minibatch uses the mean, 1/m times the sum."
    elif _same(answer, dW[1].T / m):
        hint = "Transposed: dW^(1) has the shape of w^(1), (s_2, s_1)."
    return verdict(array_problem("answer", answer, expected, hint=hint))


def check_objective(answer) -> bool:
    """The objective of section 3.1 on (X, Y): the mean of L̃_0 over the 8 samples."""
    P = problem()
    Z = forward(P.net.w, P.net.b, P.net.g, P.X)
    total = sum(P.loss.L(P.Y[:, m], Z[:, m]) for m in range(P.X.shape[1]))
    expected = total / P.X.shape[1]
    hint = "Apply the network to every column, take L(y)(y_pred) for each, then the mean."
    value = as_number(answer)
    if np.isclose(value, total):
        hint = "That is the sum; the document minimises the mean value (valeur moyenne)."
    return verdict(scalar_problem("answer", answer, expected, 1e-9, hint))
