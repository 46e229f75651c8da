"""The derivation exercises of lessons 03 to 06: the reference answer passes, a blank is "your
turn", and each typical wrong derivation fails with the hint written for it.

The references here are the lessons' solutions written again, independently of the checks
(which compare with central differences)."""

import numpy as np
import pytest

import mlpcore as m
from mlpcore.course.exercises import (
    lesson03_derive,
    lesson04_derive,
    lesson05_derive,
    lesson06_derive,
)


def sigma(z):
    return 1 / (1 + np.exp(-z))


# ---- lesson 03: dL^(p) with an activation on the output, and sigmoid + binary cross-entropy ----
def dL_p_activated(g, z_p, y, loss):
    return g.g_prime(z_p) * loss.grad(y, g(z_p))


def dL_p_bce(z_p, y):
    return sigma(z_p) - y


# ---- lesson 04: a shared bias β, and the gradient in the input x -------------------------------
def d_beta(dL_next):
    return dL_next.sum()


def dx(w0, dL1):
    return w0.T @ dL1


# ---- lesson 05: weight decay, and the bias as the weight of a constant input 1 -----------------
def decay_step(w_k, dW_k, alpha, lam):
    return (1 - alpha * lam) * w_k - alpha * dW_k


def dW_hat(dL_next, a_k):
    return dL_next @ np.vstack([a_k, np.ones((1, a_k.shape[1]))]).T


def dW_batch(dL_next, A_k):
    return dL_next @ A_k.T


# ---- lesson 06: one full-batch step on the mean objective --------------------------------------
def full_batch_step(net, X, Y, alpha):
    n = X.shape[1]
    trace = m.forward(net.w, net.b, net.g, X, trace=True)
    dW, dB, _ = m.backward(net.w, net.g, trace, Y, m.squared_error)
    w = [wk - alpha * d / n for wk, d in zip(net.w, dW, strict=True)]
    b = [bk - alpha * d / n for bk, d in zip(net.b, dB, strict=True)]
    return w, b


def full_batch_sum(net, X, Y, alpha):
    w, b = full_batch_step(net, X, Y, alpha * X.shape[1])
    return w, b


def per_sample(net, X, Y, alpha):
    net = net.copy()
    for j in range(X.shape[1]):
        m.step(net, X[:, j], Y[:, j], m.squared_error, alpha)
    return net.w, net.b


def in_place(net, X, Y, alpha):
    w, b = full_batch_step(net, X, Y, alpha)
    net.w[0][...] = w[0]
    return w, b


CASES = [
    # (check, reference, [(wrong answer, words of its hint)])
    (
        lesson03_derive.check_dL_p_activated,
        dL_p_activated,
        [
            (lambda g, z, y, loss: loss.grad(y, g(z)), "one more factor"),
            (lambda g, z, y, loss: loss.grad(y, z), "linear output"),
            (lambda g, z, y, loss: g.g_prime(z) * loss.grad(y, z), "taken at the prediction"),
            (lambda g, z, y, loss: g(z), "chain rule"),
        ],
    ),
    (
        lesson03_derive.check_dL_p_bce,
        dL_p_bce,
        [
            (lambda z, y: sigma(z) * (1 - sigma(z)) * (sigma(z) - y), "appears twice"),
            (lambda z, y: y - sigma(z), "sign"),
            (lambda z, y: z - y, "not the prediction"),
            (lambda z, y: (sigma(z) - y) / (sigma(z) * (1 - sigma(z))), "with respect to the"),
        ],
    ),
    (
        lesson04_derive.check_d_beta,
        d_beta,
        [
            (lambda d: d.sum(axis=1), "one number per neuron"),
            (lambda d: d.sum(axis=0), "one number per sample"),
            (lambda d: d.mean(), "mean"),
            (lambda d: d.max(), "direction (1, ..., 1)"),
        ],
    ),
    (
        lesson04_derive.check_dx,
        dx,
        [
            (lambda w0, d: w0.T @ d + 0.0 * w0[0, 0], None),  # the right answer: no hint
            (lambda w0, d: d, "one map h_0 below"),
            (lambda w0, d: (w0.T @ d).sum(axis=-1) if d.ndim == 2 else w0.T @ d, "own gradient"),
            (lambda w0, d: w0 @ d, "raised"),
        ],
    ),
    (
        lesson05_derive.check_decay_step,
        decay_step,
        [
            (lambda w, d, a, lam: w - a * d, "adds a term"),
            (lambda w, d, a, lam: w - a * (d + 2 * lam * w), "cancels the 2"),
            (lambda w, d, a, lam: w - a * d - lam * w, "the penalty's part included"),
            (lambda w, d, a, lam: w - a * (d - lam * w), "sign"),
        ],
    ),
    (
        lesson05_derive.check_dW_hat,
        dW_hat,
        [
            (lambda d, a: np.column_stack([d @ a.T, np.zeros(d.shape[0])]), "is 1, not 0"),
            (lambda d, a: np.column_stack([d.sum(axis=1), d @ a.T]), "last column"),
            (lambda d, a: dW_hat(d, a) / a.shape[1], "mean"),
            (lambda d, a: dW_hat(d, a).T, "Transposed"),
        ],
    ),
    (
        lesson05_derive.check_dW_batch_shapes,
        dW_batch,
        [
            (lambda d, A: A @ d.T, "Transposed"),
            (lambda d, A: d @ A if d.shape[1] == A.shape[0] else d @ A.T, "only because n = s_k"),
            (lambda d, A: d @ A.T / A.shape[1], "sum over the samples"),
            (lambda d, A: d.T @ A, "Check the shapes"),
        ],
    ),
    (
        lesson06_derive.check_full_batch_step,
        full_batch_step,
        [
            (full_batch_sum, "sum of the costs"),
            (per_sample, "per-sample descent"),
            (in_place, "changed net"),
            (lambda net, X, Y, a: (net.w, net.b), "Nothing moved"),
            (lambda net, X, Y, a: full_batch_step(net, X, Y, a)[0], "pair (w, b)"),
        ],
    ),
]
IDS = [case[0].__name__ for case in CASES]


@pytest.mark.parametrize("check, reference, wrongs", CASES, ids=IDS)
def test_reference_passes(check, reference, wrongs):
    result = check(reference)
    assert result and str(result).startswith("✓"), result


@pytest.mark.parametrize("check, reference, wrongs", CASES, ids=IDS)
def test_blank_is_your_turn(check, reference, wrongs):
    for blank in (..., None):
        result = check(blank)
        assert not result and str(result).startswith("✎ Your turn: replace the ... with your")


@pytest.mark.parametrize("check, reference, wrongs", CASES, ids=IDS)
def test_wrong_derivations_get_their_hint(check, reference, wrongs):
    for wrong, words in wrongs:
        result = check(wrong)
        if words is None:  # a different way to write the right answer
            assert result, result
            continue
        assert not result and str(result).startswith("✗"), result
        assert words in result.message, (words, result)
    assert not check(np.zeros(3)) and "should be a function" in check(np.zeros(3)).message


def test_checks_use_several_architectures():
    from mlpcore.course.exercises._common import ARCHITECTURES

    assert {len(s) - 1 for s, _ in ARCHITECTURES} == {1, 2, 3}
    assert len({g for _, g in ARCHITECTURES}) >= 2
