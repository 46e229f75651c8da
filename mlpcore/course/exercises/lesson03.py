"""Self-checks for lesson 03 (dL^(k), section 3.2 of the document).

Every check compares the answer with an independent computation (the elementwise form of the
recursion, written here with plain loops, or the formula of a gradient), prints ✓ or ✗ with a
hint, and returns a bool. None of them raises on a wrong answer.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from mlpcore.activations import Activation, relu, tanh
from mlpcore.forward import forward
from mlpcore.losses import Loss, softmax_cross_entropy, squared_error
from mlpcore.network import Network

from . import array_problem, verdict


class Problem(NamedTuple):
    """A fixed relu network (3, 5, 4, 2), one sample (x, y) and the squared error."""

    net: Network
    x: np.ndarray
    y: np.ndarray
    loss: Loss


def problem() -> Problem:
    """The same problem on every call (fixed seeds); some z_i^(k) are negative, so relu' = 0."""
    net = Network((3, 5, 4, 2), g="relu", seed=31)
    rng = np.random.default_rng(310)
    net.b = [rng.normal(scale=0.5, size=bk.shape) for bk in net.b]
    return Problem(net, rng.normal(size=3), rng.normal(size=2), squared_error)


def _dL_elementwise(w, g: Activation, z, y, loss: Loss) -> list:
    """(dL^(k))_i = g'(z_i^(k)) Σ_j w_ji^(k) (dL^(k+1))_j, one coefficient at a time."""
    p = len(w)
    out = [None] * (p + 1)
    out[p] = np.asarray(loss.grad(y, z[p]), dtype=float)
    for k in range(p - 1, 0, -1):
        s_next, s_k = w[k].shape
        gp = g.g_prime(z[k])
        out[k] = np.array(
            [gp[i] * sum(w[k][j, i] * out[k + 1][j] for j in range(s_next)) for i in range(s_k)]
        )
    return out


def _cases():
    rng = np.random.default_rng(303)
    cases = []
    for s, g, loss in (
        ((3, 4, 5, 2), tanh, squared_error),
        ((3, 5, 4, 2), relu, squared_error),
        ((4, 6, 3), tanh, softmax_cross_entropy),
        ((3, 2), tanh, squared_error),
    ):
        net = Network(s, g=g, seed=len(cases) + 30)
        net.b = [rng.normal(scale=0.5, size=bk.shape) for bk in net.b]
        x = rng.normal(size=s[0])
        y = np.eye(s[-1])[1] if loss is softmax_cross_entropy else rng.normal(size=s[-1])
        z = forward(net.w, net.b, net.g, x, trace=True).z
        what = f"s = {s}, g = {g.name}, loss = {loss.name}"
        cases.append((what, net, z, y, loss))
    return cases


def check_dL_recursion(answer) -> bool:
    """A function my_dL(w, g, z, y, loss) returning [None, dL^(1), ..., dL^(p)]."""
    if answer is None or answer is Ellipsis:
        return verdict("answer is still blank: replace the ... with your function my_dL.")
    if not callable(answer):
        return verdict("answer should be a function my_dL(w, g, z, y, loss), not a value.")
    for what, net, z, y, loss in _cases():
        p = net.p
        expected = _dL_elementwise(net.w, net.g, z, y, loss)
        try:
            z_copy = [None] + [zk.copy() for zk in z[1:]]
            got = answer([wk.copy() for wk in net.w], net.g, z_copy, y.copy(), loss)
        except Exception as exc:  # a student's bug must give a hint, not a traceback
            return verdict(
                f"my_dL raised {type(exc).__name__} for {what}: {exc}. w^(k) is "
                "s_{k+1} × s_k; which matrix takes a vector of ℝ^{s_{k+1}} to ℝ^{s_k}?"
            )
        if not isinstance(got, (list, tuple)) or len(got) != p + 1:
            return verdict(f"Return a list of p+1 = {p + 1} entries, [None, dL^(1), ..., dL^(p)].")
        if got[0] is not None:
            return verdict("dL^(0) is not defined (z^(0) does not exist): put None in dL[0].")
        for k in range(p, 0, -1):
            hint = (
                "dL^(k) = diag(g'(z^(k))) w^(k)T dL^(k+1), that is g'(z[k]) * (w[k].T @ dL[k+1])."
            )
            if k == p:
                hint = (
                    "The recursion starts with dL^(p) = ∇L(y)(z^(p)), that is loss.grad(y, z[p])."
                )
            elif np.shape(got[k]) == expected[k].shape and np.allclose(
                got[k], net.w[k].T @ expected[k + 1]
            ):
                hint = "You forgot the factor g'(z^(k)) (the diag(g'(z^(k))) of the formula)."
            problem_ = array_problem(f"dL^({k}) for {what}", got[k], expected[k], hint=hint)
            if problem_ is not None:
                return verdict(problem_)
    return verdict(None, "Correct: your loop is the recursion of section 3.2.")


def check_dL_relu(answer) -> bool:
    """dL^(1) of :func:`problem` (a relu network) for its sample (x, y)."""
    P = problem()
    z = forward(P.net.w, P.net.b, P.net.g, P.x, trace=True).z
    expected = _dL_elementwise(P.net.w, P.net.g, z, P.y, P.loss)
    hint = "Run the recursion from dL^(3) = z^(3) − y down to k = 1, with g' = relu'."
    if isinstance(answer, np.ndarray) and answer.shape == expected[1].shape:
        if np.allclose(answer, P.net.w[1].T @ expected[2]):
            hint = "relu'(z) is 0 where z ≤ 0: multiply by g'(z^(1)) = (z^(1) > 0)."
        elif np.allclose(answer, tanh.g_prime(z[1]) * (P.net.w[1].T @ expected[2])) or np.allclose(
            answer, _dL_elementwise(P.net.w, tanh, z, P.y, P.loss)[1]
        ):
            hint = "That is tanh'; this network's g is relu (P.net.g)."
        elif np.allclose(answer, relu.g_prime(z[1]) * (P.net.w[1].T @ expected[2])):
            hint = "dL^(1) is right for the wrong dL^(2): apply relu' at layer 2 as well."
    return verdict(array_problem("answer", answer, expected[1], hint=hint))


#: The output z and the one-hot target y of the softmax cross-entropy exercise.
Z_SOFTMAX = np.array([2.0, -1.0, 0.5, 0.0])
Y_SOFTMAX = np.array([0.0, 0.0, 1.0, 0.0])


def check_softmax_grad(answer) -> bool:
    """∇L(y)(z) for the softmax cross-entropy at ``Z_SOFTMAX``, ``Y_SOFTMAX``."""
    e = np.exp(Z_SOFTMAX - Z_SOFTMAX.max())
    soft = e / e.sum()
    expected = soft - Y_SOFTMAX
    hint = "Differentiate −Σ_i y_i log softmax(z)_i with respect to each z_m."
    if isinstance(answer, np.ndarray) and answer.shape == expected.shape:
        if np.allclose(answer, -expected):
            hint = "Check the sign: the cost falls when z_m grows for the true class m."
        elif np.allclose(answer, soft):
            hint = "Almost: you still have to subtract y."
        elif np.allclose(answer, Z_SOFTMAX - Y_SOFTMAX):
            hint = "z − y is the squared error's gradient; here the loss is the cross-entropy."
    return verdict(array_problem("answer", answer, expected, hint=hint))
