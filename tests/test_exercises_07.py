"""Lesson 07's self-checks (exercises.lesson07): a reference answer passes, a blank answer gets
"your turn", and a typical wrong answer gets its own hint."""

import numpy as np
import pytest

import mlpcore
from mlpcore.course import depth
from mlpcore.course.exercises import lesson07


def reference_product():
    P = lesson07.problem()
    z = mlpcore.forward(P.net.w, P.net.b, P.net.g, P.x, trace=True).z
    M = np.eye(P.net.s[1])
    for l in range(1, P.net.p):
        M = M @ np.diag(P.net.g.g_prime(z[l])) @ P.net.w[l].T
    return M


def reference_dead_layer():
    D = lesson07.DEAD_DEEP
    z = mlpcore.forward(D.net.w, D.net.b, D.net.g, D.X, trace=True).z
    return next(k for k in range(1, D.net.p) if np.all(z[k] <= 0))


def without_slopes():
    P = lesson07.problem()
    M = np.eye(P.net.s[1])
    for l in range(1, P.net.p):
        M = M @ P.net.w[l].T
    return M


CASES = [
    (lesson07.check_unrolled_product, reference_product, without_slopes, "diag(g'(z^(l)))"),
    (lesson07.check_unrolled_product, reference_product, lambda: reference_product().T, "left"),
    (lesson07.check_he_sigma, lambda: 0.2, lambda: np.sqrt(1 / 50), "Xavier"),
    (lesson07.check_he_sigma, lambda: 0.2, lambda: 0.04, "variance"),
    (
        lesson07.check_first_dead_layer,
        reference_dead_layer,
        lambda: lesson07.DEAD_DEEP.net.p - 1,
        "start the search",
    ),
]


@pytest.mark.parametrize("check, right, wrong, hint", CASES)
def test_checks_pass_the_reference_and_fail_blank_and_wrong(check, right, wrong, hint):
    ok, blank, bad = check(right()), check(...), check(wrong())
    assert ok and str(ok).startswith("✓"), ok
    assert not blank and str(blank).startswith("✎ Your turn"), blank
    assert not bad and str(bad).startswith("✗") and hint in str(bad), bad


def test_the_dead_problem_has_a_dead_layer_below_the_top():
    k = reference_dead_layer()
    assert 1 <= k < lesson07.DEAD_DEEP.net.p - 1
    norms = depth.gradient_norms(
        lesson07.DEAD_DEEP.net, lesson07.DEAD_DEEP.X, np.zeros((2, lesson07.DEAD_DEEP.X.shape[1]))
    )
    assert norms[1] == 0.0
