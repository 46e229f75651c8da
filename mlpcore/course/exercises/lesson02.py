"""Self-checks for lesson 02 (forward propagation, section 2 of the document).

Every check compares the answer with an independent computation, prints ✓ or ✗ with a hint,
and returns a bool. None of them raises on a wrong answer.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from mlpcore.activations import Activation, relu, tanh
from mlpcore.network import Network

from . import array_problem, verdict
from ._common import as_number, scalar_problem


class Tiny(NamedTuple):
    """A network s = (2, 2, 1) with relu and small integer parameters, and one input x."""

    w: list
    b: list
    g: Activation
    x: np.ndarray


def tiny() -> Tiny:
    """The hand-computation problem: every number is an integer or a half."""
    w = [np.array([[1.0, -1.0], [2.0, 1.0]]), np.array([[1.0, -2.0]])]
    b = [np.array([0.0, -1.0]), np.array([0.5])]
    return Tiny(w, b, relu, np.array([1.0, 3.0]))


def _reference_forward(w, b, g, x):
    """z^(p) by the algorithm of section 2, written independently of mlpcore.forward."""
    x = np.asarray(x, dtype=float)
    a_k = x
    for k in range(len(w)):
        bias = b[k] if x.ndim == 1 else b[k].reshape(-1, 1)
        z_next = w[k] @ a_k + bias
        if k + 1 < len(w):
            a_k = g(z_next)
    return z_next


def check_forward_by_hand(answer) -> bool:
    """z^(2) = y_pred of the :func:`tiny` network for its input x, computed by hand."""
    T = tiny()
    expected = float(_reference_forward(T.w, T.b, T.g, T.x)[0])
    value = as_number(answer)
    hint = "Go step by step: z^(1) = w^(0) x + b^(0), a^(1) = relu(z^(1)), z^(2) = ..."
    no_relu = float((T.w[1] @ (T.w[0] @ T.x + T.b[0]) + T.b[1])[0])
    no_bias = float((T.w[1] @ relu(T.w[0] @ T.x))[0])
    if np.isclose(value, no_relu):
        hint = "You skipped the activation: a^(1) = relu(z^(1)) sets the negative entries to 0."
    elif np.isclose(value, max(expected, 0.0)) and expected < 0:
        hint = "The output layer has no activation: return z^(p) itself, not g(z^(p))."
    elif np.isclose(value, no_bias):
        hint = "Add the biases b^(0) and b^(1): z^(k+1) = w^(k) a^(k) + b^(k)."
    return verdict(scalar_problem("answer", answer, expected, 1e-12, hint))


def _cases():
    rng = np.random.default_rng(202)
    nets = [Network((3, 4, 5, 2), g=tanh, seed=20), Network((3, 2), g=tanh, seed=21)]
    for net in nets:
        net.b = [rng.normal(size=bk.shape) for bk in net.b]
    return [
        ("a network s = (3, 4, 5, 2) and one sample x of shape (3,)", nets[0], rng.normal(size=3)),
        ("a network with p = 1, s = (3, 2)", nets[1], rng.normal(size=3)),
        ("a batch X of shape (3, 6), samples as columns", nets[0], rng.normal(size=(3, 6))),
    ]


def check_forward_function(answer) -> bool:
    """A function my_forward(w, b, g, x) that returns z^(p), for one sample or a batch."""
    if answer is None or answer is Ellipsis:
        return verdict("answer is still blank: replace the ... with your function my_forward.")
    if not callable(answer):
        return verdict("answer should be a function my_forward(w, b, g, x), not a value.")
    for what, net, x in _cases():
        expected = _reference_forward(net.w, net.b, net.g, x)
        try:
            got = answer([wk.copy() for wk in net.w], [bk.copy() for bk in net.b], net.g, x.copy())
        except Exception as exc:  # a student's bug must give a hint, not a traceback
            hint = ""
            if x.ndim == 2:
                hint = " For a batch, add the bias to every column: b[k][:, None]."
            return verdict(f"my_forward raised {type(exc).__name__} on {what}: {exc}.{hint}")
        hint = "Follow section 2 line by line."
        if np.shape(got) == expected.shape and np.allclose(got, net.g(expected)):
            hint = "The output layer is linear: return z^(p), without applying g to it."
        elif len(net.w) == 1:
            hint = "With p = 1 the loop 'for k from 1 to p-1' is empty: z^(1) is the output."
        problem_ = array_problem(f"my_forward on {what}", got, expected, hint=hint)
        if problem_ is not None:
            return verdict(problem_)
    return verdict(None, "Correct: your loop is the forward pass of section 2.")


class Rows(NamedTuple):
    """A network (3, 4, 2) and a data set D whose 5 rows are samples (how files store data)."""

    net: Network
    D: np.ndarray


def rows_problem() -> Rows:
    """The same network and data on every call (fixed seeds)."""
    return Rows(Network((3, 4, 2), g=tanh, seed=23), np.random.default_rng(230).normal(size=(5, 3)))


def check_batch_rows(answer) -> bool:
    """The outputs z^(p) for all 5 samples of ``rows_problem().D``, samples as columns."""
    R = rows_problem()
    expected = _reference_forward(R.net.w, R.net.b, R.net.g, R.D.T)
    hint = "Turn the rows into columns first (D.T, or mlpcore.rows_to_columns(D))."
    got = None if answer is None or answer is Ellipsis else np.asarray(answer, dtype=object)
    if got is not None and got.shape == expected.T.shape:
        try:
            if np.allclose(np.asarray(answer, dtype=float), expected.T):
                hint = "Right numbers, wrong layout: the batch output has shape (s_p, n)."
        except (TypeError, ValueError):
            pass
    return verdict(array_problem("answer", answer, expected, hint=hint))
