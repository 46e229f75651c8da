"""Self-checks for lesson 03 (dL^(k), section 3.2 of the document).

Every check compares the answer with an independent computation (the elementwise form of the
recursion, written here with plain loops, or the formula of a gradient) and returns a Feedback
(see :mod:`mlpcore.course.exercises`). The derivation exercises are in :mod:`.lesson03_derive`.
"""

from __future__ import annotations

import numpy as np

from mlpcore.activations import Activation, relu, tanh
from mlpcore.forward import forward
from mlpcore.losses import Loss, softmax_cross_entropy, squared_error
from mlpcore.network import Network

from ._common import Problem
from ._feedback import array_problem, exercise


def problem() -> Problem:
    """A relu network (3, 5, 4, 2), one sample (x, y) and the squared error (fixed seeds).

    Some z_i^(k) are negative, so relu' = 0 there.
    """
    net = Network((3, 5, 4, 2), g="relu", seed=31)
    rng = np.random.default_rng(310)
    net.b = [rng.normal(scale=0.5, size=bk.shape) for bk in net.b]
    return Problem(net, x=rng.normal(size=3), y=rng.normal(size=2), loss=squared_error)


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


#: The hint for a loop that leaves dL^(1) unset (it stops one layer early).
ONE_SHORT = (
    "dL^(1) is missing: your loop stops one layer early. The recursion eq-dLk runs for every "
    "k from p-1 down to 1 (check where your range ends)."
)


def _one_step_mistakes(w_k, g: Activation, z_k, dL_next) -> list:
    """The results of known wrong forms of one step of eq-dLk, each with its hint."""
    back = w_k.T @ dL_next
    return [
        (back, "You forgot the factor diag(g'(z^(k))) of eq-dLk."),
        (g(z_k) * back, "That factor is g(z^(k)); eq-dLk needs the derivative g'."),
        (
            g.g_prime(g(z_k)) * back,
            "g' is taken at z^(k), before activation, not at a^(k) (eq-Dg).",
        ),
        (np.zeros_like(back), "dL^(k) is zero: it must be computed from dL^(k+1) (eq-dLk)."),
    ]


def _dL_list_problem(got, expected, net, z, what) -> str | None:
    """What is wrong with a list [None, dL^(1), ..., dL^(p)], layer by layer from the top."""
    p = net.p
    if not isinstance(got, (list, tuple)) or len(got) != p + 1:
        return f"Return a list of p+1 = {p + 1} entries, [None, dL^(1), ..., dL^(p)]."
    if got[0] is not None:
        return "dL^(0) is not defined (z^(0) does not exist): put None in dL[0]."
    for k in range(p, 0, -1):
        if got[k] is None:
            return ONE_SHORT if k == 1 else f"dL^({k}) is missing (None) for {what}."
        hint = "Re-read the recursion eq-dLk: which matrix, which derivative, which layer?"
        wrong = []
        if k == p:
            hint = "The recursion starts at the output with the gradient of the loss (eq-dLp)."
        else:
            wrong = _one_step_mistakes(net.w[k], net.g, z[k], expected[k + 1])
        problem_ = array_problem(f"dL^({k}) for {what}", got[k], expected[k], hint, wrong)
        if problem_ is not None:
            return problem_
    return None


@exercise(blank="your function my_dL", success="Correct: your loop is the recursion eq-dLk.")
def check_dL_recursion(answer):
    """A function my_dL(w, g, z, y, loss) returning [None, dL^(1), ..., dL^(p)]."""
    if not callable(answer):
        return "answer should be a function my_dL(w, g, z, y, loss), not a value."
    for what, net, z, y, loss in _cases():
        expected = _dL_elementwise(net.w, net.g, z, y, loss)
        try:
            z_copy = [None] + [zk.copy() for zk in z[1:]]
            got = answer([wk.copy() for wk in net.w], net.g, z_copy, y.copy(), loss)
        except Exception as exc:  # a student's bug must give a hint, not a traceback
            if "NoneType" in str(exc) or "does not have enough dimensions" in str(exc):
                return (
                    f"my_dL used an entry of dL that is still None, for {what}. "
                    "dL^(k) needs dL^(k+1), the layer above: start at k = p (eq-dLp) and "
                    "go down."
                )
            return (
                f"my_dL raised {type(exc).__name__} for {what}: {exc}. w^(k) is "
                "s_{k+1} × s_k; which matrix takes a vector of ℝ^{s_{k+1}} to ℝ^{s_k}?"
            )
        problem_ = _dL_list_problem(got, expected, net, z, what)
        if problem_ is not None:
            return problem_
    return None


@exercise(blank="the array dL^(1)")
def check_dL_relu(answer):
    """dL^(1) of :func:`problem` (a relu network) for its sample (x, y)."""
    P = problem()
    z = forward(P.net.w, P.net.b, P.net.g, P.x, trace=True).z
    expected = _dL_elementwise(P.net.w, P.net.g, z, P.y, P.loss)
    w = P.net.w
    tanh_dL = _dL_elementwise(w, tanh, z, P.y, P.loss)
    wrong = [
        (
            w[1].T @ expected[2],
            "relu'(z) is 0 where z ≤ 0: a neuron of layer 1 with "
            "z_i^(1) ≤ 0 passes no gradient back (eq-Dg).",
        ),
        (tanh.g_prime(z[1]) * (w[1].T @ expected[2]), "That is tanh'; this network's g is relu."),
        (tanh_dL[1], "That is tanh'; this network's g is relu (P.net.g)."),
        (
            relu.g_prime(z[1]) * (w[1].T @ (w[2].T @ expected[3])),
            "dL^(1) is right for the wrong dL^(2): relu' enters at layer 2 as well (eq-dLk).",
        ),
        (-expected[1], "Check the sign of dL^(p) for the squared error (eq-squared-error)."),
    ]
    hint = "Run the recursion eq-dLk from dL^(3) (eq-dLp) down to k = 1, with g' = relu'."
    return array_problem("answer", answer, expected[1], hint, wrong)


#: The output z and the one-hot target y of the softmax cross-entropy exercise.
Z_SOFTMAX = np.array([2.0, -1.0, 0.5, 0.0])
Y_SOFTMAX = np.array([0.0, 0.0, 1.0, 0.0])


@exercise(blank="the gradient, an array of 4 numbers")
def check_softmax_grad(answer):
    """∇L(y)(z) for the softmax cross-entropy at ``Z_SOFTMAX``, ``Y_SOFTMAX``."""
    e = np.exp(Z_SOFTMAX - Z_SOFTMAX.max())
    soft = e / e.sum()
    expected = soft - Y_SOFTMAX
    wrong = [
        (-expected, "Check the sign: the cost falls when z_m grows for the true class m."),
        (soft, "That is softmax(z) alone: the gradient also depends on the target y."),
        (
            Z_SOFTMAX - Y_SOFTMAX,
            "That is the squared error's gradient; here the loss is the "
            "cross-entropy (eq-softmax-xent).",
        ),
    ]
    hint = "Differentiate −Σ_i y_i log softmax(z)_i with respect to each z_m (eq-softmax-xent)."
    return array_problem("answer", answer, expected, hint, wrong)
