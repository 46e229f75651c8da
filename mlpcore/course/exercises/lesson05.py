"""Self-checks for lesson 05 (dW^(k), section 3.4 of the document).

Every check compares the answer with an independent computation on the fixed problem that
:func:`problem` returns and returns a Feedback (see :mod:`mlpcore.course.exercises`).
The derivation exercises are in :mod:`.lesson05_derive`, the worksheet in :mod:`.hand`.
"""

from __future__ import annotations

import numpy as np

from mlpcore.forward import forward
from mlpcore.losses import softmax_cross_entropy
from mlpcore.network import Network

from ._common import Problem, gradients
from ._feedback import array_problem, as_number, exercise, scalar_problem


def problem() -> Problem:
    """The same problem on every call (fixed seeds); y and Y are one-hot."""
    net = Network((4, 3, 5, 3), g="sigmoid", seed=5)
    rng = np.random.default_rng(50)
    for k in range(net.p):
        net.b[k] = rng.normal(size=net.b[k].shape)
    x = rng.normal(size=4)
    y = np.eye(3)[1]
    X = rng.normal(size=(4, 5))
    Y = np.eye(3)[:, [0, 2, 1, 1, 0]]
    return Problem(net, x=x, y=y, loss=softmax_cross_entropy, X=X, Y=Y)


@exercise(blank="the matrix dW^(0), shape (3, 4)")
def check_dw0(answer):
    """dW^(0) for the sample (x, y): an array of shape (s_1, s_0) = (3, 4)."""
    P = problem()
    dW, _, dL = gradients(P, batch=False)
    wrong = [
        (dW[0].T, "You built the transpose: the row index i of dW^(0) goes with dL^(1) (eq-dW0)."),
        (
            np.outer(dL[1], P.net.g(P.x)),
            "You used g(x): for k = 0 the input x enters h_0 directly, a^(0) = x (eq-dW0).",
        ),
        (np.outer(dL[1], np.ones_like(P.x)), "Each row must be scaled by the input: eq-dW0."),
    ]
    hint = "Row i, column j of dW^(0) is one product of an entry of dL^(1) and one of x (eq-dW0)."
    return array_problem("answer", answer, dW[0], hint, wrong)


@exercise(blank="the matrix dW^(1)")
def check_dw_batch(answer):
    """dW^(1) for the batch (X, Y): the sum over the 5 samples of dL^(2)_m a^(1)_m T."""
    P = problem()
    dW, _, dL = gradients(P, batch=True)
    trace = forward(P.net.w, P.net.b, P.net.g, P.X, trace=True)
    n = P.X.shape[1]
    wrong = [
        (dW[1] / n, "You took the mean; here the batch gradient is the sum over the samples."),
        (dW[1].T, "Transposed: dW^(1) has the shape of w^(1), (s_2, s_1)."),
        (dL[2] @ trace.z[1].T, "You used z^(1); dW^(1) pairs dL^(2) with a^(1) = g(z^(1))."),
        (np.outer(dL[2][:, 0], trace.a[1][:, 0]), "That is the first sample only (eq-dW-batch)."),
    ]
    hint = "One outer product per sample, added up (eq-dW-batch)."
    return array_problem("answer", answer, dW[1], hint, wrong)


@exercise(blank="one number")
def check_dw_coefficient(answer):
    """∂L̃_0/∂w_{2,3}^(1) in the document's 1-based indices, for the sample (x, y)."""
    P = problem()
    dW, _, _ = gradients(P, batch=False)
    expected = float(dW[1][1, 2])
    hint = "The document counts rows and columns from 1; Python counts from 0."
    value = as_number(answer)
    if np.isfinite(value) and not np.isclose(value, expected, rtol=1e-6):
        for idx in np.ndindex(dW[1].shape):
            if np.isclose(value, dW[1][idx], rtol=1e-6):
                hint = (
                    f"That is the derivative for w[1][{idx[0]}, {idx[1]}]; the document's "
                    "w_(2,3) is row 2, column 3 (Python counts from 0)."
                )
                break
    return scalar_problem("answer", answer, expected, 1e-6, hint)
