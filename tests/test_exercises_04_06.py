"""The self-checks of lessons 04 to 06: the reference answer passes, a blank (...) and wrong
answers fail with a hint, and nothing raises. The references are computed here independently
of the check functions (loops, central differences, the lessons' own solutions)."""

import numpy as np
import pytest

import mlpcore as m
from mlpcore.course.exercises import lesson04, lesson05, lesson06


def grads(P, X, Y):
    trace = m.forward(P.net.w, P.net.b, P.net.g, X, trace=True)
    return trace, m.backward(P.net.w, P.net.g, trace, Y, P.loss)


# ---- references -------------------------------------------------------------------------


def ref_db_central():
    P = lesson04.problem()
    up, down = P.net.copy(), P.net.copy()
    up.b[1][2] += 1e-6
    down.b[1][2] -= 1e-6
    return (P.loss.L(P.y, up(P.x)) - P.loss.L(P.y, down(P.x))) / 2e-6


def ref_db_batch():
    P = lesson04.problem()
    total = np.zeros(P.net.s[1])
    for n in range(P.X.shape[1]):
        _, (_, dB, _) = grads(P, P.X[:, n], P.Y[:, n])
        total += dB[0]
    return total


def ref_dw0():
    P = lesson05.problem()
    _, (_, _, dL) = grads(P, P.x, P.y)
    return np.array([[dL[1][i] * P.x[j] for j in range(P.net.s[0])] for i in range(P.net.s[1])])


def ref_dw_batch():
    P = lesson05.problem()
    trace, (_, _, dL) = grads(P, P.X, P.Y)
    return sum(np.outer(dL[2][:, n], trace.a[1][:, n]) for n in range(P.X.shape[1]))


def ref_dw_coefficient():
    P = lesson05.problem()
    trace, (_, _, dL) = grads(P, P.x, P.y)
    return float(P.net.g(trace.z[1][2]) * dL[2][1])  # document's (i, j) = (2, 3)


def ref_update():
    P = lesson06.problem()
    net = P.net.copy()
    m.step(net, P.x, P.y, P.loss, P.alpha)
    return net.w[0]


def ref_minibatch_gradient():
    P = lesson06.problem()
    per_sample = [grads(P, P.X[:, n], P.Y[:, n])[1][0][1] for n in range(P.X.shape[1])]
    return np.mean(per_sample, axis=0)


def ref_objective():
    P = lesson06.problem()
    return np.mean([P.loss.L(P.Y[:, n], P.net(P.X[:, n])) for n in range(P.X.shape[1])])


# ---- wrong answers that a student might plausibly give -----------------------------------


def wrong_db_central():
    P = lesson04.problem()
    _, (_, dB, _) = grads(P, P.x, P.y)
    return dB[1][3]  # the document's i = 3 taken as Python index 3


def wrong_dw0():
    P = lesson05.problem()
    _, (_, _, dL) = grads(P, P.x, P.y)
    return np.outer(dL[1], P.net.g(P.x))  # g(x) instead of x


CASES = [
    # (check, reference, wrong answers)
    (lesson04.check_db_central, ref_db_central, [wrong_db_central, lambda: 0.0, lambda: "0.1"]),
    (lesson04.check_db_batch, ref_db_batch, [lambda: ref_db_batch() / 6, lambda: np.zeros(3)]),
    (lesson04.check_db_sizes, lambda: [4, 5, 2], [lambda: [3, 4, 5], lambda: [4, 5], lambda: 7]),
    (lesson05.check_dw0, ref_dw0, [wrong_dw0, lambda: ref_dw0().T, lambda: [[1, 2], [3]]]),
    (lesson05.check_dw_batch, ref_dw_batch, [lambda: ref_dw_batch() / 5, lambda: np.nan]),
    (lesson05.check_dw_coefficient, ref_dw_coefficient, [lambda: 2 * ref_dw_coefficient()]),
    (lesson06.check_update, ref_update, [lambda: 2 * lesson06.problem().net.w[0] - ref_update()]),
    (
        lesson06.check_minibatch_gradient,
        ref_minibatch_gradient,
        [lambda: 8 * ref_minibatch_gradient(), lambda: ref_minibatch_gradient().T],
    ),
    (lesson06.check_objective, ref_objective, [lambda: 8 * ref_objective(), lambda: None]),
]
IDS = [case[0].__name__ for case in CASES]


@pytest.mark.parametrize("check, reference, wrongs", CASES, ids=IDS)
def test_reference_answer_passes(check, reference, wrongs, capsys):
    assert check(reference()) is True
    assert "✓" in capsys.readouterr().out


@pytest.mark.parametrize("check, reference, wrongs", CASES, ids=IDS)
def test_blank_answer_fails_with_a_hint(check, reference, wrongs, capsys):
    assert check(...) is False
    out = capsys.readouterr().out
    assert "✗" in out and "blank" in out


@pytest.mark.parametrize("check, reference, wrongs", CASES, ids=IDS)
def test_wrong_answers_fail_without_raising(check, reference, wrongs, capsys):
    for wrong in wrongs:
        assert check(wrong()) is False
        assert "✗" in capsys.readouterr().out


def test_hints_name_the_likely_mistake(capsys):
    lesson04.check_db_sizes([3, 4, 5])
    assert "typo" in capsys.readouterr().out
    lesson05.check_dw0(wrong_dw0())
    assert "g(x)" in capsys.readouterr().out
    lesson05.check_dw0(ref_dw0().T)
    assert "transpose" in capsys.readouterr().out
    lesson06.check_minibatch_gradient(8 * ref_minibatch_gradient())
    assert "mean" in capsys.readouterr().out
    lesson06.check_objective(8 * ref_objective())
    assert "sum" in capsys.readouterr().out
    lesson04.check_db_central(wrong_db_central())
    assert "index" in capsys.readouterr().out


def test_problems_are_fixed():
    for lesson in (lesson04, lesson05, lesson06):
        a, b = lesson.problem(), lesson.problem()
        for wa, wb in zip(a.net.w, b.net.w, strict=True):
            np.testing.assert_array_equal(wa, wb)
        np.testing.assert_array_equal(a.X, b.X)
