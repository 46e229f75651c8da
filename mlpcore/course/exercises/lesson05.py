"""Self-checks for lesson 05 (dW^(k), section 3.4 of the document).

Every check compares the answer with an independent computation on the fixed problem that
:func:`problem` returns, prints ✓ or ✗ with a hint, and returns a bool. None of them raises.
"""

from __future__ import annotations

import numpy as np

from mlpcore.losses import softmax_cross_entropy
from mlpcore.network import Network

from . import array_problem, verdict
from ._common import Problem, as_number, gradients, scalar_problem


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
    return Problem(net, x, y, X, Y, softmax_cross_entropy)


def check_dw0(answer) -> bool:
    """dW^(0) for the sample (x, y): an array of shape (s_1, s_0) = (3, 4)."""
    P = problem()
    dW, _, dL = gradients(P, batch=False)
    hint = "Row i, column j holds (dL^(1))_i x_j."
    if isinstance(answer, np.ndarray):
        if answer.shape == dW[0].T.shape and np.allclose(answer, dW[0].T):
            hint = "You built x dL^(1)T, the transpose: the row index i goes with dL^(1)."
        elif answer.shape == dW[0].shape and np.allclose(answer, np.outer(dL[1], P.net.g(P.x))):
            hint = "You used g(x): for k = 0 the input x enters h_0 directly (a^(0) = x)."
    return verdict(array_problem("answer", answer, dW[0], hint=hint))


def check_dw_batch(answer) -> bool:
    """dW^(1) for the batch (X, Y): the sum over the 5 samples of dL^(2)_m a^(1)_m T."""
    P = problem()
    dW, _, _ = gradients(P, batch=True)
    hint = "Add up one outer product per column, or multiply dL[2] by a[1].T."
    if isinstance(answer, np.ndarray) and answer.shape == dW[1].shape:
        if np.allclose(answer * P.X.shape[1], dW[1]):
            hint = "You took the mean; here the batch gradient is the sum over the samples."
    return verdict(array_problem("answer", answer, dW[1], hint=hint))


def check_dw_coefficient(answer) -> bool:
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
                    "w_(2,3) is row 2, column 3, i.e. Python index [1, 2]."
                )
                break
    return verdict(scalar_problem("answer", answer, expected, 1e-6, hint))
