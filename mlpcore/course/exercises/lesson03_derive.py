"""Derivation exercises of lesson 03: dL^(p) for outputs the document does not treat.

The student derives a formula, then writes it as a function. Each check compares that function
with central differences of the cost with respect to z^(p), on the seeded random networks of
:func:`._common.random_cases` (p = 1, 2, 3; tanh and sigmoid), and returns a Feedback.
"""

from __future__ import annotations

import numpy as np

from mlpcore.activations import get_activation, sigmoid
from mlpcore.forward import forward
from mlpcore.losses import softmax_cross_entropy, squared_error

from ._common import call, numeric_gradient, random_cases
from ._feedback import array_problem, exercise


def _outputs(seed: int):
    """(what, z^(p), net) for each random network and one random input."""
    for net, x, _ in random_cases(seed):
        z_p = forward(net.w, net.b, net.g, x, trace=True).z[net.p]
        yield f"s = {net.s}", z_p, net


@exercise(blank="your function dL_p_activated", success="Correct: the chain rule at the output.")
def check_dL_p_activated(answer):
    """A function dL_p_activated(g, z_p, y, loss): dL^(p) when y_pred = g(z^(p)).

    The cost is L(y)(g(z^(p))); the check differentiates it numerically in z^(p).
    """
    if not callable(answer):
        return "answer should be a function dL_p_activated(g, z_p, y, loss), not a value."
    rng = np.random.default_rng(33)
    for what, z_p, _ in _outputs(330):
        for g in (get_activation("tanh"), sigmoid):
            for loss in (squared_error, softmax_cross_entropy):
                y = rng.normal(size=z_p.shape)
                if loss is softmax_cross_entropy:
                    y = np.eye(z_p.size)[rng.integers(z_p.size)]
                z = z_p.copy()
                expected = numeric_gradient(lambda: loss.L(y, g(z)), z)  # noqa: B023
                case = f"dL^(p) for {what}, g = {g.name}, loss = {loss.name}"
                try:
                    got = call(answer, g, z_p, y, loss)
                except Exception as exc:  # a student's bug must give a hint, not a traceback
                    return f"dL_p_activated raised {type(exc).__name__} for {case}: {exc}."
                wrong = [
                    (
                        loss.grad(y, g(z_p)),
                        "The prediction now goes through g, so the chain rule adds one more "
                        "factor: the derivative of g at z^(p) (eq-Dg).",
                    ),
                    (
                        loss.grad(y, z_p),
                        "That is the document's dL^(p), for a linear output (eq-dLp); here the "
                        "loss sees g(z^(p)).",
                    ),
                    (
                        g.g_prime(z_p) * loss.grad(y, z_p),
                        "The factor of g is right, but the gradient of the loss is taken at the "
                        "prediction, which is now g(z^(p)), not z^(p).",
                    ),
                ]
                hint = "Write L(y)(g(z^(p))) as a composition and apply the chain rule (eq-chain)."
                problem_ = array_problem(case, got, expected, hint, wrong, rtol=1e-6, atol=1e-8)
                if problem_ is not None:
                    return problem_
    return None


def bce(y, z_p) -> float:
    """Binary cross-entropy of a sigmoid output: −Σ_i [y_i log σ(z_i) + (1 − y_i) log(1 − σ(z_i))].

    Written with log σ(z) = −log(1 + e^{−z}) so that it is finite for every z.
    """
    log_s = -np.logaddexp(0.0, -z_p)  # log σ(z)
    log_1ms = -np.logaddexp(0.0, z_p)  # log(1 − σ(z)) = log σ(−z)
    return float(-np.sum(y * log_s + (1 - y) * log_1ms))


@exercise(blank="your function dL_p_bce", success="Correct: σ' cancels, as for the softmax.")
def check_dL_p_bce(answer):
    """A function dL_p_bce(z_p, y): dL^(p) for y_pred = σ(z^(p)) and the binary cross-entropy."""
    if not callable(answer):
        return "answer should be a function dL_p_bce(z_p, y), not a value."
    rng = np.random.default_rng(34)
    for what, z_p, _ in _outputs(340):
        z_p = 3 * z_p  # outputs far from 0 too, where σ' is small
        y = rng.uniform(size=z_p.shape)  # soft targets in [0, 1]; one-hot is a special case
        z = z_p.copy()
        expected = numeric_gradient(lambda: bce(y, z), z)  # noqa: B023
        try:
            got = call(answer, z_p, y)
        except Exception as exc:  # a student's bug must give a hint, not a traceback
            return f"dL_p_bce raised {type(exc).__name__} for {what}: {exc}."
        s = sigmoid(z_p)
        wrong = [
            (
                s * (1 - s) * (s - y),
                "σ'(z^(p)) appears twice in your answer: once from the chain rule, and once "
                "more where it should cancel against the derivative of the logarithms.",
            ),
            (-(s - y), "Check the sign: the cost falls as σ(z_i) moves towards y_i."),
            (z_p - y, "z^(p) is not the prediction here: the loss sees σ(z^(p))."),
            (
                (s - y) / (s * (1 - s)),
                "That is the gradient with respect to the prediction σ(z^(p)); dL^(p) is with "
                "respect to z^(p), one more step of the chain rule.",
            ),
        ]
        hint = "Differentiate the loss of each output in z_i, using σ'(z) = σ(z)(1 − σ(z))."
        problem_ = array_problem(f"dL^(p) for {what}", got, expected, hint, wrong, rtol=1e-6)
        if problem_ is not None:
            return problem_
    return None
