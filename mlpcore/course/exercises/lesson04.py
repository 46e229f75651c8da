"""Self-checks for lesson 04 (dB^(k), section 3.3 of the document).

Every check compares the answer with an independent computation on the fixed problem that
:func:`problem` returns and returns a Feedback (see :mod:`mlpcore.course.exercises`).
The derivation exercises are in :mod:`.lesson04_derive`.
"""

from __future__ import annotations

import numpy as np

from mlpcore.losses import squared_error
from mlpcore.network import Network

from ._common import Problem, gradients
from ._feedback import array_problem, as_number, exercise, scalar_problem


def problem() -> Problem:
    """The same problem on every call (fixed seeds)."""
    net = Network((3, 4, 5, 2), g="tanh", seed=4)
    rng = np.random.default_rng(40)
    x, y = rng.normal(size=3), rng.normal(size=2)
    X, Y = rng.normal(size=(3, 6)), rng.normal(size=(2, 6))
    return Problem(net, x=x, y=y, loss=squared_error, X=X, Y=Y)


@exercise(blank="one number, the central difference")
def check_db_central(answer):
    """∂L̃_0/∂b_3^(1) (document indices: layer k = 1, row i = 3) by central differences."""
    P = problem()
    _, dB, _ = gradients(P, batch=False)
    expected = float(dB[1][2])
    hint = (
        "Perturb one bias by +ε and −ε, evaluate L(y)(z^(p)) each time, and divide the "
        "difference by 2ε. Row i = 3 of the document is index 2 in Python."
    )
    value = as_number(answer)
    for j, other in enumerate(dB[1]):
        if j != 2 and np.isclose(value, other, rtol=1e-5):
            hint = f"That is the derivative for Python index {j}; the document's i = 3 is index 2."
    return scalar_problem("answer", answer, expected, 1e-5, hint)


@exercise(blank="the vector dB^(0)")
def check_db_batch(answer):
    """dB^(0) for the batch (X, Y): the sum over the 6 columns of the per-sample dL^(1)."""
    P = problem()
    _, dB, dL = gradients(P, batch=True)
    n = P.X.shape[1]
    if np.shape(answer) == dL[1].shape:
        return "That is dL^(1) for every sample; the batch gradient is one vector (eq-dB-batch)."
    wrong = [
        (dB[0] / n, "You took the mean; the batch cost, and so dB, is the sum over the samples."),
        (dL[1][:, 0], "That is the first sample's dB^(0) only; the batch has 6 (eq-dB-batch)."),
    ]
    hint = "One column of dL^(1) per sample: combine them as eq-dB-batch says."
    return array_problem("answer", answer, dB[0], hint, wrong)


@exercise(blank="a list of p integers")
def check_db_sizes(answer):
    """The lengths of dB^(0), ..., dB^(p-1) for the network s = (3, 4, 5, 2)."""
    s = problem().net.s
    expected = [s[k + 1] for k in range(len(s) - 1)]
    try:
        got = [int(v) for v in answer]
    except (TypeError, ValueError):
        return "answer should be a list of integers, one per layer k = 0..p-1."
    if got == expected:
        return None
    if got == list(s[:-1]):
        return (
            "Those are the s_k: the document's i ∈ [1, s_k] is a typo. b^(k) takes layer k to "
            "layer k+1, so it has one entry per neuron of layer k+1."
        )
    return f"Expected one length per k = 0..{len(s) - 2}; dB^(k) has the shape of b^(k)."
