"""The self-checks of lessons 01 to 03: each reference answer passes, blanks and wrong answers fail.

A check must return a bool and print a hint; it must never raise on a wrong answer, even one
that crashes (a function that raises, a value of the wrong type).
"""

import numpy as np
import pytest

import mlpcore
from mlpcore.course.exercises import lesson01, lesson02, lesson03

# ----- lesson 01: notation -------------------------------------------------------------------


def _h_loop(b_k, w_k, a_k):
    rows, cols = w_k.shape
    return np.array([b_k[i] + sum(w_k[i, j] * a_k[j] for j in range(cols)) for i in range(rows)])


def _L_tilde_2():
    P = lesson01.problem()
    return P.loss.L(P.y, mlpcore.h(P.net.b[2], P.net.w[2], P.net.g(np.ones(4))))


def _raises(*args):
    raise IndexError("index 3 is out of bounds")


REFERENCE = {
    "w_shapes": (lesson01.check_w_shapes, lambda: [(8, 5), (8, 8), (3, 8)]),
    "n_params": (lesson01.check_n_params, lambda: 147),
    "h_loop": (lesson01.check_h_loop, lambda: _h_loop),
    "L_tilde_2": (lesson01.check_L_tilde_2, _L_tilde_2),
}

WRONG = {
    "w_shapes": [
        [(5, 8), (8, 8), (8, 3)],  # transposed
        [(8, 5), (8, 8)],  # one short
        [(8, 5), (8, 8), (3, 4)],
        "(8, 5)",
        42,
    ],
    "n_params": [40 + 64 + 24, 40 + 64 + 24 + 5 + 8 + 8, 148, "many", None],
    "h_loop": [
        lambda b_k, w_k, a_k: w_k @ a_k,  # no bias
        lambda b_k, w_k, a_k: b_k + w_k.T @ a_k if w_k.shape[0] == w_k.shape[1] else a_k,
        _raises,
        3.0,
    ],
    "L_tilde_2": [
        # without g: h_2 applied to z^(2) itself
        (lambda P: P.loss.L(P.y, mlpcore.h(P.net.b[2], P.net.w[2], np.ones(4))))(
            lesson01.problem()
        ),
        0.0,
        "x",
    ],
}

# ----- lesson 02: forward ----------------------------------------------------------------------


def _my_forward(w, b, g, x):
    a = x
    for k in range(len(w)):
        z = w[k] @ a + (b[k] if x.ndim == 1 else b[k][:, None])
        a = g(z)
    return z


def _forward_rows():
    R = lesson02.rows_problem()
    return R.net(R.D.T)


REFERENCE.update(
    {
        "forward_by_hand": (lesson02.check_forward_by_hand, lambda: -7.5),
        "forward_function": (lesson02.check_forward_function, lambda: _my_forward),
        "batch_rows": (lesson02.check_batch_rows, _forward_rows),
    }
)


def _forward_g_on_output(w, b, g, x):
    return g(_my_forward(w, b, g, x))


def _forward_single_only(w, b, g, x):
    a = x
    for k in range(len(w)):
        z = w[k] @ a + b[k]
        a = g(z)
    return z


def _forward_skips_first(w, b, g, x):
    a = g(w[0] @ x + (b[0] if x.ndim == 1 else b[0][:, None]))
    for k in range(1, len(w)):
        a = w[k] @ a + (b[k] if x.ndim == 1 else b[k][:, None])
    return a


WRONG.update(
    {
        "forward_by_hand": [-9.5, 0.0, -10.0, 7.5, np.array([-7.5, 0.0]), "seven"],
        "forward_function": [
            _forward_g_on_output,
            _forward_single_only,
            _forward_skips_first,
            _raises,
            np.zeros(2),
        ],
        "batch_rows": [
            _forward_rows().T,  # samples as rows
            _forward_rows()[:, :4],
            _forward_rows() + 1.0,
            [["a"]],
        ],
    }
)

# ----- lesson 03: dL ---------------------------------------------------------------------------


def _my_dL(w, g, z, y, loss):
    p = len(w)
    dL = [None] * (p + 1)
    dL[p] = loss.grad(y, z[p])
    for k in range(p - 1, 0, -1):
        dL[k] = g.g_prime(z[k]) * (w[k].T @ dL[k + 1])
    return dL


def _dL_relu(no_mask=False, layer2_mask=True, g_prime=None):
    P = lesson03.problem()
    z = mlpcore.forward(P.net.w, P.net.b, P.net.g, P.x, trace=True).z
    gp = g_prime or (lambda t: (t > 0).astype(float))
    dL3 = z[3] - P.y
    dL2 = (gp(z[2]) if layer2_mask else 1.0) * (P.net.w[2].T @ dL3)
    return (1.0 if no_mask else gp(z[1])) * (P.net.w[1].T @ dL2)


def _softmax_grad():
    e = np.exp(lesson03.Z_SOFTMAX)
    return e / e.sum() - lesson03.Y_SOFTMAX


REFERENCE.update(
    {
        "dL_recursion": (lesson03.check_dL_recursion, lambda: _my_dL),
        "dL_relu": (lesson03.check_dL_relu, _dL_relu),
        "softmax_grad": (lesson03.check_softmax_grad, _softmax_grad),
    }
)


def _dL_no_gprime(w, g, z, y, loss):
    dL = _my_dL(w, g, z, y, loss)
    for k in range(len(w) - 1, 0, -1):
        dL[k] = w[k].T @ dL[k + 1]
    return dL


def _dL_no_transpose(w, g, z, y, loss):
    dL = [None] * (len(w) + 1)
    dL[-1] = loss.grad(y, z[-1])
    for k in range(len(w) - 1, 0, -1):
        dL[k] = g.g_prime(z[k]) * (w[k] @ dL[k + 1])
    return dL


def _dL_gprime_of_direction(w, g, z, y, loss):
    # the printed "diag(g'(u)) u": g' taken at the wrong point (here at a^(k) = g(z^(k)))
    dL = [None] * (len(w) + 1)
    dL[-1] = loss.grad(y, z[-1])
    for k in range(len(w) - 1, 0, -1):
        dL[k] = g.g_prime(g(z[k])) * (w[k].T @ dL[k + 1])
    return dL


def _dL_without_none(w, g, z, y, loss):
    return _my_dL(w, g, z, y, loss)[1:]


def _dL_zero_at_0(w, g, z, y, loss):
    out = _my_dL(w, g, z, y, loss)
    out[0] = np.zeros(1)
    return out


def _dL_wrong_start(w, g, z, y, loss):
    dL = _my_dL(w, g, z, y, loss)
    dL[-1] = z[-1]
    return dL


WRONG.update(
    {
        "dL_recursion": [
            _dL_no_gprime,
            _dL_no_transpose,
            _dL_gprime_of_direction,
            _dL_without_none,
            _dL_zero_at_0,
            _dL_wrong_start,
            _raises,
            [None, 1.0],
        ],
        "dL_relu": [
            _dL_relu(no_mask=True),
            _dL_relu(layer2_mask=False),
            _dL_relu(g_prime=mlpcore.tanh.g_prime),
            -_dL_relu(),
            np.zeros(3),
            "dL",
        ],
        "softmax_grad": [
            -_softmax_grad(),
            _softmax_grad() + lesson03.Y_SOFTMAX,  # softmax(z) alone
            lesson03.Z_SOFTMAX - lesson03.Y_SOFTMAX,
            np.ones(3),
            None,
        ],
    }
)

WRONG_CASES = [(name, i) for name, answers in WRONG.items() for i in range(len(answers))]


def test_every_check_has_wrong_answers():
    assert set(WRONG) == set(REFERENCE)


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_reference_answer_passes(name, capsys):
    check, reference = REFERENCE[name]
    assert check(reference()) is True
    assert capsys.readouterr().out.startswith("✓")


@pytest.mark.parametrize("name", sorted(REFERENCE))
@pytest.mark.parametrize("blank", [..., None])
def test_blank_fails(name, blank, capsys):
    check, _ = REFERENCE[name]
    assert check(blank) is False
    out = capsys.readouterr().out
    assert out.startswith("✗") and "blank" in out


@pytest.mark.parametrize("name,i", WRONG_CASES, ids=[f"{n}-{i}" for n, i in WRONG_CASES])
def test_wrong_answer_fails_with_a_hint(name, i, capsys):
    check, _ = REFERENCE[name]
    assert check(WRONG[name][i]) is False
    out = capsys.readouterr().out
    assert out.startswith("✗") and len(out.strip()) > 10


@pytest.mark.parametrize(
    "check,answer,words",
    [
        (lesson01.check_w_shapes, [(5, 8), (8, 8), (8, 3)], "transposed"),
        (lesson01.check_n_params, 128, "bias"),
        (lesson01.check_n_params, 149, "ℝ^{s_{k+1}}"),
        (lesson02.check_forward_by_hand, -9.5, "activation"),
        (lesson02.check_forward_function, _forward_g_on_output, "linear"),
        (lesson02.check_forward_function, _forward_single_only, "b[k][:, None]"),
        (lesson02.check_batch_rows, "transposed", "wrong layout"),
        (lesson02.check_batch_rows, [[1.0]], "rows into columns"),
        (lesson03.check_dL_recursion, _dL_no_gprime, "g'(z^(k))"),
        (lesson03.check_dL_recursion, _dL_zero_at_0, "None"),
        (lesson03.check_dL_recursion, _dL_wrong_start, "loss.grad"),
        (lesson03.check_dL_relu, "no_mask", "relu'(z) is 0"),
        (lesson03.check_dL_relu, "tanh", "tanh"),
        (lesson03.check_softmax_grad, "negated", "sign"),
    ],
)
def test_specific_hints(check, answer, words, capsys):
    """The common mistakes get the hint written for them."""
    named = {
        "transposed": _forward_rows().T,
        "no_mask": _dL_relu(no_mask=True),
        "tanh": _dL_relu(g_prime=mlpcore.tanh.g_prime),
        "negated": -_softmax_grad(),
    }
    answer = named.get(answer, answer) if isinstance(answer, str) else answer
    assert check(answer) is False
    assert words in capsys.readouterr().out


def test_problems_are_fixed():
    """The exercise problems are the same on every call (fixed seeds)."""
    for make in (lesson01.problem, lesson03.problem):
        one, two = make(), make()
        for k in range(one.net.p):
            assert np.array_equal(one.net.w[k], two.net.w[k])
            assert np.array_equal(one.net.b[k], two.net.b[k])
    assert np.array_equal(lesson02.rows_problem().D, lesson02.rows_problem().D)


def test_relu_problem_has_inactive_neurons():
    """Exercise ex-dL-relu is only informative if relu' is 0 somewhere in layers 1 and 2."""
    P = lesson03.problem()
    z = mlpcore.forward(P.net.w, P.net.b, P.net.g, P.x, trace=True).z
    assert (z[1] <= 0).any() and (z[1] > 0).any() and (z[2] <= 0).any()
