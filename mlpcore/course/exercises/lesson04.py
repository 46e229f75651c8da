"""Self-checks for lesson 04 (dB^(k), section 3.3 of the document).

Every check compares the answer with an independent computation on the fixed problem that
:func:`problem` returns, prints ✓ or ✗ with a hint, and returns a bool. None of them raises.
"""

from __future__ import annotations

import numpy as np

from mlpcore.losses import squared_error
from mlpcore.network import Network

from . import array_problem, verdict
from ._common import Problem, as_number, gradients, scalar_problem


def problem() -> Problem:
    """The same problem on every call (fixed seeds)."""
    net = Network((3, 4, 5, 2), g="tanh", seed=4)
    rng = np.random.default_rng(40)
    x, y = rng.normal(size=3), rng.normal(size=2)
    X, Y = rng.normal(size=(3, 6)), rng.normal(size=(2, 6))
    return Problem(net, x, y, X, Y, squared_error)


def check_db_central(answer) -> bool:
    """∂L̃_0/∂b_3^(1) (document indices: layer k = 1, row i = 3) by central differences."""
    P = problem()
    _, dB, _ = gradients(P, batch=False)
    expected = float(dB[1][2])
    hint = (
        "Perturb net.b[1][2] (row i = 3 of the document is index 2 in Python) by +ε and −ε, "
        "evaluate L(y)(z^(p)) each time, and divide the difference by 2ε."
    )
    value = as_number(answer)
    for j, other in enumerate(dB[1]):
        if j != 2 and np.isclose(value, other, rtol=1e-5):
            hint = f"That is the derivative for Python index {j}; the document's i = 3 is index 2."
    return verdict(scalar_problem("answer", answer, expected, 1e-5, hint))


def check_db_batch(answer) -> bool:
    """dB^(0) for the batch (X, Y): the sum over the 6 columns of the per-sample dL^(1)."""
    P = problem()
    _, dB, dL = gradients(P, batch=True)
    hint = "Sum the columns of dL[1] (one column per sample): axis=1."
    if isinstance(answer, np.ndarray) and answer.shape == dB[0].shape:
        if np.allclose(answer * P.X.shape[1], dB[0]):
            hint = "You took the mean; mlpcore's batch dB is the sum over the samples."
    if isinstance(answer, np.ndarray) and answer.shape == dL[1].shape:
        hint = "That is dL^(1) for every sample; add the columns up to get one vector."
    return verdict(array_problem("answer", answer, dB[0], hint=hint))


def check_db_sizes(answer) -> bool:
    """The lengths of dB^(0), ..., dB^(p-1) for the network s = (3, 4, 5, 2)."""
    s = problem().net.s
    expected = [s[k + 1] for k in range(len(s) - 1)]
    if answer is None or answer is Ellipsis:
        return verdict("answer is still blank: replace the ... with a list of p integers.")
    try:
        got = [int(v) for v in answer]
    except (TypeError, ValueError):
        return verdict("answer should be a list of integers, one per layer k = 0..p-1.")
    if got == expected:
        return verdict(None)
    if got == list(s[:-1]):
        return verdict(
            "Those are the s_k: the document's i ∈ [1, s_k] is a typo. b^(k) takes layer k to "
            "layer k+1, so it has one entry per neuron of layer k+1."
        )
    return verdict(f"Expected one length per k = 0..{len(s) - 2}; dB^(k) has the shape of b^(k).")
