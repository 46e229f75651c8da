"""Self-checks for lesson 06 (training by gradient descent, section 3.1 of the document).

Every check compares the answer with an independent computation on the fixed problem that
:func:`problem` returns and returns a Feedback (see :mod:`mlpcore.course.exercises`).
The derivation exercise is in :mod:`.lesson06_derive`.
"""

from __future__ import annotations

import numpy as np

from mlpcore.forward import forward
from mlpcore.losses import squared_error
from mlpcore.network import Network

from ._common import Problem, gradients
from ._feedback import array_problem, as_number, exercise, same, scalar_problem


def problem() -> Problem:
    """The same problem on every call (fixed seeds)."""
    net = Network((3, 4, 2), g="tanh", seed=6)
    rng = np.random.default_rng(60)
    for k in range(net.p):
        net.b[k] = rng.normal(size=net.b[k].shape)
    x, y = rng.normal(size=3), rng.normal(size=2)
    X, Y = rng.normal(size=(3, 8)), rng.normal(size=(2, 8))
    return Problem(net, x=x, y=y, loss=squared_error, X=X, Y=Y, alpha=0.1)


@exercise(blank="the new w^(0)")
def check_update(answer):
    """w^(0) after one step of eq-update on the sample (x, y) with the learning rate α."""
    P = problem()
    dW, _, _ = gradients(P)
    w0, alpha = P.net.w[0], P.alpha
    if same(answer, w0):
        return "That is w^(0) before the step (did you update a copy?)."
    wrong = [
        (w0 + alpha * dW[0], "Wrong direction: gradient descent goes against the gradient."),
        (w0 - dW[0], "The step is scaled by the learning rate α (eq-update)."),
        (alpha * dW[0], "That is the step alone; eq-update gives the new parameters."),
    ]
    hint = "One step of eq-update, with dW^(0) from the backward pass (eq-dW0)."
    return array_problem("answer", answer, w0 - alpha * dW[0], hint, wrong)


@exercise(blank="the mean gradient, a matrix")
def check_minibatch_gradient(answer):
    """The mean gradient (1/m) Σ dW^(1) over the m = 8 columns of (X, Y)."""
    P = problem()
    dW, _, _ = gradients(P, batch=True)
    m = P.X.shape[1]
    wrong = [
        (dW[1], "That is the sum over the batch; eq-minibatch uses the mean."),
        (dW[1].T / m, "Transposed: dW^(1) has the shape of w^(1), (s_2, s_1)."),
    ]
    hint = "Backpropagate the whole batch (samples as columns), then apply eq-minibatch."
    return array_problem("answer", answer, dW[1] / m, hint, wrong)


@exercise(blank="one number")
def check_objective(answer):
    """The objective of section 3.1 on (X, Y): the mean of L̃_0 over the 8 samples."""
    P = problem()
    Z = forward(P.net.w, P.net.b, P.net.g, P.X)
    total = sum(P.loss.L(P.Y[:, m], Z[:, m]) for m in range(P.X.shape[1]))
    hint = "Apply the network to every column, take L(y)(y_pred) for each, then eq-objective."
    if np.isclose(as_number(answer), total):
        hint = "That is the sum; the document minimises the mean value (valeur moyenne)."
    return scalar_problem("answer", answer, total / P.X.shape[1], 1e-9, hint)
