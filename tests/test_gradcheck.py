"""Every backpropagated gradient against central differences, in float64, rel. error <= 1e-7.

Two independent finite-difference computations are used: mlpcore.gradcheck, and a small one
written here with its own forward pass and its own losses, so that a mistake shared by
mlpcore's forward and its gradient check could not hide.

``python tests/test_gradcheck.py`` prints the largest relative error over the hypothesis runs.
"""

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import mlpcore as m
from mlpcore.gradcheck import GradCheckWarning

TOL = 1e-7
# Both checks are held to 1e-7: mlpcore.gradcheck (its default five-point stencil in float64,
# see mlpcore/gradcheck.py for why the two-point one is not enough on random cases) and the
# independent reference below.
KINK = 1e-3  # relu examples whose hidden z come closer than this to 0 are rejected


def own_loss(name, y, z):
    if name == "squared_error":
        return 0.5 * np.sum((z - y) ** 2)
    zmax = z.max(axis=0)
    return np.sum(-np.sum(y * z, axis=0) + zmax + np.log(np.sum(np.exp(z - zmax), axis=0)))


def own_L0(w, b, g, x, y, loss_name):
    a = x
    for k in range(len(w)):
        z = w[k] @ a + (b[k] if x.ndim == 1 else b[k][:, None])
        a = g.g(z)
    return own_loss(loss_name, y, z)


def own_numeric_gradients(w, b, g, x, y, loss_name, h=1e-5):
    """The five-point stencil (−f(θ+2h) + 8f(θ+h) − 8f(θ−h) + f(θ−2h)) / 12h, error O(h⁴),
    in extended precision where the platform has it: accurate even where a gradient is
    small because per-sample gradients of a batch cancel (plain float64 central
    differences lose digits there)."""
    wide = np.longdouble
    w = [wk.astype(wide) for wk in w]
    b = [bk.astype(wide) for bk in b]
    x, y = x.astype(wide), y.astype(wide)
    out = []
    for theta in (*w, *b):
        d = np.empty(theta.shape)
        for idx in np.ndindex(theta.shape):
            keep = theta[idx]
            f = []
            for step in (2, 1, -1, -2):
                theta[idx] = keep + step * h
                f.append(own_L0(w, b, g, x, y, loss_name))
            theta[idx] = keep
            d[idx] = (8 * (f[1] - f[2]) - (f[0] - f[3])) / (12 * h)  # differences first
        out.append(d)
    p = len(w)
    return out[:p], out[p:]


def rel(a, n):
    den = np.linalg.norm(a) + np.linalg.norm(n)
    return 0.0 if den == 0 else float(np.linalg.norm(a - n) / den)


@st.composite
def cases(draw):
    p = draw(st.integers(1, 4))
    s = tuple(draw(st.lists(st.integers(1, 8), min_size=p + 1, max_size=p + 1)))
    g = draw(st.sampled_from(sorted(m.ACTIVATIONS)))
    loss = draw(st.sampled_from([m.squared_error, m.softmax_cross_entropy]))
    if loss is m.softmax_cross_entropy:  # one output learns nothing: gradcheck refuses it
        s = (*s[:-1], max(s[-1], 2))
    n = draw(st.sampled_from([None, 1, 2, 5]))  # None: a single sample (s_0,)
    seed = draw(st.integers(0, 2**20))
    return s, g, loss, n, seed


def build(case):
    s, g, loss, n, seed = case
    net = m.Network(s, g=g, seed=seed)
    rng = np.random.default_rng(seed)
    for k in range(net.p):
        net.b[k][...] = rng.normal(scale=0.5, size=net.b[k].shape)
    x = rng.normal(size=(s[0],) if n is None else (s[0], n))
    if loss is m.softmax_cross_entropy:
        y = m.one_hot(rng.integers(0, s[-1], size=1 if n is None else n), s[-1])
        y = y[:, 0] if n is None else y
    else:
        y = rng.normal(size=(s[-1],) if n is None else (s[-1], n))
    return net, x, y, loss


def away_from_the_kink(net, x) -> bool:
    if net.g.name != "relu":
        return True
    z = m.forward(net.w, net.b, net.g, x, trace=True).z
    return all(np.abs(z[k]).min() >= KINK for k in range(1, net.p))


MEASURED = []  # (max error of the reference, of mlpcore.gradcheck, case) for every case run


def case_errors(case) -> tuple[dict, dict]:
    """Relative error of every parameter array: (accurate reference, mlpcore.gradcheck)."""
    net, x, y, loss = build(case)
    assume(away_from_the_kink(net, x))
    trace = m.forward(net.w, net.b, net.g, x, trace=True)
    dW, dB, _ = m.backward(net.w, net.g, trace, y, loss)
    num_dW, num_dB = own_numeric_gradients(net.w, net.b, net.g, x, y, loss.name)
    own = {}
    for k in range(net.p):
        own[f"w[{k}]"] = rel(dW[k], num_dW[k])
        own[f"b[{k}]"] = rel(dB[k], num_dB[k])
    five_point = m.gradcheck(net, x, y, loss)
    MEASURED.append((max(own.values()), max(five_point.values()), case))
    return own, five_point


@settings(max_examples=150, deadline=None)
@given(case=cases())
def test_every_gradient_passes_central_differences(case):
    own, five_point = case_errors(case)
    worst = max(own, key=own.get)
    assert own[worst] <= TOL, f"{worst}: relative error {own[worst]:.2e} for {case}"
    worst = max(five_point, key=five_point.get)
    assert five_point[worst] <= TOL, f"gradcheck {worst}: {five_point[worst]:.2e} for {case}"


@settings(max_examples=60, deadline=None)
@given(case=cases())
def test_dL_is_the_derivative_of_L_k_with_respect_to_z_k(case):
    s, g, loss, _, seed = case
    net, x, y, loss = build((s, g, loss, None, seed))  # L̃_k is defined for one sample
    assume(away_from_the_kink(net, x))
    trace = m.forward(net.w, net.b, net.g, x, trace=True)
    d = m.dL(net.w, net.g, trace.z, y, loss)
    for k in range(1, net.p + 1):
        num = m.numeric_dL(net.w, net.b, net.g, x, y, loss, k)
        assert m.relative_error(d[k], num) <= TOL, f"dL[{k}]"


def test_a_wrong_derivative_is_caught():
    # g' = 1 − tanh is not the derivative of tanh: the check must say so loudly.
    wrong = m.Activation("bad_tanh", np.tanh, lambda u: 1.0 - np.tanh(u))
    net = m.Network((3, 4, 2), g=wrong, seed=0)
    x = np.array([0.5, -1.0, 2.0])
    errors = m.gradcheck(net, x, np.array([1.0, -1.0]), m.squared_error)
    assert errors["w[0]"] > 1e-2 and errors["b[0]"] > 1e-2
    assert errors["w[1]"] <= TOL and errors["b[1]"] <= TOL  # the output layer uses no g'


def test_a_wrong_loss_gradient_is_caught():
    bad = m.Loss("bad", m.squared_error.L, lambda y, z: 2.0 * (z - y))
    net = m.Network((2, 3, 1), seed=0)
    errors = m.gradcheck(net, np.array([1.0, 2.0]), np.array([0.5]), bad)
    assert min(errors.values()) > 0.1


def test_custom_activation_passes():
    softplus = m.Activation(
        "softplus", lambda u: np.logaddexp(0.0, u), lambda u: 1.0 / (1.0 + np.exp(-u))
    )
    net = m.Network((3, 5, 5, 2), g=softplus, seed=1)
    X = np.random.default_rng(1).normal(size=(3, 4))
    errors = m.gradcheck(net, X, np.random.default_rng(2).normal(size=(2, 4)), m.squared_error)
    assert max(errors.values()) <= TOL


def test_gradcheck_reports_every_array_and_leaves_the_network_alone():
    net = m.Network((2, 3, 3, 1), seed=0)
    before = [wk.copy() for wk in net.w] + [bk.copy() for bk in net.b]
    errors = m.gradcheck(net, np.array([0.1, 0.2]), np.array([1.0]), m.squared_error)
    assert sorted(errors) == sorted(f"{c}[{k}]" for c in "wb" for k in range(3))
    for old, new in zip(before, net.w + net.b, strict=True):
        np.testing.assert_array_equal(old, new)


def test_relative_error():
    assert m.relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert m.relative_error(np.array([1.0, 0.0]), np.array([1.0, 0.0])) == 0.0
    # ‖(1,0) − (−1,0)‖ / (1 + 1) = 2 / 2
    assert m.relative_error(np.array([1.0, 0.0]), np.array([-1.0, 0.0])) == 1.0
    assert m.relative_error(np.array([1.0]), np.array([1.0 + 1e-9])) == pytest.approx(5e-10)


def test_numeric_dL_rejects_a_layer_outside_1_to_p():
    net = m.Network((2, 3, 1), seed=0)
    for k in (0, 3):
        with pytest.raises(ValueError, match="k must be in 1..p"):
            m.numeric_dL(net.w, net.b, net.g, np.zeros(2), np.zeros(1), m.squared_error, k)


if __name__ == "__main__":
    # `python tests/test_gradcheck.py`: the errors met by the test above, on the same examples
    # as under pytest. `python tests/test_gradcheck.py 2000`: 2000 fresh random examples.
    import sys

    import conftest  # noqa: F401  (the hypothesis profile pytest uses, loaded before the import)
    import test_gradcheck as mod  # decorated again, now under that profile

    test = mod.test_every_gradient_passes_central_differences
    if len(sys.argv) > 1:
        test = given(case=cases())(
            settings(max_examples=int(sys.argv[1]), deadline=None, derandomize=False)(
                test.hypothesis.inner_test
            )
        )
    test()
    own = max(mod.MEASURED, key=lambda r: r[0])
    two = max(mod.MEASURED, key=lambda r: r[1])
    print(f"{len(mod.MEASURED)} cases (s, g, loss, n, seed) run by the gradient-check test")
    print(f"extended-precision reference: max relative error {own[0]:.3e} at {own[2]}")
    print(f"mlpcore.gradcheck (five points, float64): max relative error {two[1]:.3e} at {two[2]}")


# -- gradcheck tells the truth (issue 10, item 6) ------------------------------------------------


def relu_at_the_kink():
    """A relu network whose hidden unit 0 sits exactly at z = 0 for x."""
    net = m.Network((2, 3, 1), g="relu", seed=0)
    x = np.array([1.0, 2.0])
    net.b[0][...] = -(net.w[0] @ x) + np.array([0.0, 0.5, -0.5])
    return net, x, np.array([1.0])


def all_coordinates_error(net, x, y, loss=m.squared_error):
    """The plain relative error over every coordinate, kinks included: what was reported."""
    dW, dB, _ = m.backward(net.w, net.g, m.forward(net.w, net.b, net.g, x, trace=True), y, loss)
    nW, nB = m.numeric_gradients(net.w, net.b, net.g, x, y, loss)
    return {f"b[{k}]": m.relative_error(dB[k], nB[k]) for k in range(net.p)} | {
        f"w[{k}]": m.relative_error(dW[k], nW[k]) for k in range(net.p)
    }


def test_a_relu_kink_is_flagged_not_reported_as_an_error():
    net, x, y = relu_at_the_kink()
    assert all_coordinates_error(net, x, y)["b[0]"] > 0.1  # the stencil alone says "wrong"
    with pytest.warns(GradCheckWarning, match=r"b\[0\]: 1 of 3 at a kink"):
        result = m.gradcheck(net, x, y, "squared_error")
    assert result.flagged["b[0]"] == [((0,), "kink")]
    assert result.flagged["w[0]"] == [((0, 0), "kink"), ((0, 1), "kink")]
    assert result.flagged["w[1]"] == result.flagged["b[1]"] == []
    assert max(result.values()) <= TOL
    assert "1 of 3 at a kink" in repr(result)


def test_a_custom_activation_with_a_kink_is_flagged_too():
    leaky = m.Activation(
        "leaky", lambda u: np.where(u > 0, u, 0.1 * u), lambda u: np.where(u > 0, 1.0, 0.1)
    )
    net, x, y = relu_at_the_kink()
    net.g = leaky
    with pytest.warns(GradCheckWarning):
        result = m.gradcheck(net, x, y, "squared_error")
    assert [i for i, _ in result.flagged["b[0]"]] == [(0,)]
    assert max(result.values()) <= TOL


def test_a_wrong_derivative_is_still_caught_next_to_a_kink():
    net, x, y = relu_at_the_kink()
    net.g = m.Activation("bad_relu", m.relu.g, lambda u: 2.0 * (u > 0))
    with pytest.warns(GradCheckWarning):
        result = m.gradcheck(net, x, y, "squared_error")
    assert result["b[0]"] > 0.1 and result["w[0]"] > 0.1


def test_a_gradient_below_the_stencils_resolution_is_flagged():
    # Saturated sigmoid units: g'(z) ≈ e^-|z| is far below the rounding noise u·|L|/ε.
    net = m.Network((2, 3, 1), g="sigmoid", seed=0)
    net.w[0] *= 100.0
    x, y = np.array([1.0, 2.0]), np.array([1.0])
    assert all_coordinates_error(net, x, y)["w[0]"] > 0.1  # noise against a ~0 gradient
    with pytest.warns(GradCheckWarning, match="below resolution"):
        result = m.gradcheck(net, x, y, "squared_error")
    reasons = {why for flags in result.flagged.values() for _, why in flags}
    assert reasons == {"resolution"}
    assert np.isnan(result["w[0]"])  # nothing left to judge: not reported as 1.0
    assert "not judged" in repr(result)
    assert result["w[1]"] <= TOL and result["b[1]"] <= TOL


def test_the_absolute_error_is_reported_next_to_the_relative_one():
    net = m.Network((3, 4, 2), g="tanh", seed=2)
    x, y = np.array([0.3, -1.0, 0.5]), np.array([0.2, -0.4])
    result = m.gradcheck(net, x, y, "squared_error")
    dW, dB, _ = m.backward(
        net.w, net.g, m.forward(net.w, net.b, net.g, x, trace=True), y, "squared_error"
    )
    nW, nB = own_numeric_gradients(net.w, net.b, net.g, x, y, "squared_error")
    for k in range(net.p):
        for name, a, n in ((f"w[{k}]", dW[k], nW[k]), (f"b[{k}]", dB[k], nB[k])):
            assert 0 < result.absolute[name] < 1e-8
            assert result.absolute[name] == pytest.approx(np.linalg.norm(a - n), abs=1e-9)
            assert result[name] == pytest.approx(
                result.absolute[name] / (np.linalg.norm(a) + np.linalg.norm(n)), rel=1e-3
            )
    assert list(result) == ["w[0]", "b[0]", "w[1]", "b[1]"]
    assert repr(result).splitlines()[0].split()[:3] == ["array", "relative", "absolute"]


@pytest.mark.parametrize(
    "eps, err, msg",
    [
        (0, ValueError, r"eps \(the finite-difference step ε\) must be > 0, got 0"),
        (-1e-4, ValueError, r"must be > 0, got -0.0001"),
        (math.nan, ValueError, r"eps \(the finite-difference step ε\) must be finite, got nan"),
        (math.inf, ValueError, "must be finite, got inf"),
        ("1e-4", TypeError, r"eps \(the finite-difference step ε\) must be a real number"),
    ],
)
def test_a_step_that_is_not_positive_is_refused(eps, err, msg):
    net = m.Network((2, 3, 1), seed=0)
    x, y = np.zeros(2), np.zeros(1)
    with pytest.raises(err, match=msg):
        m.gradcheck(net, x, y, "squared_error", eps=eps)
    with pytest.raises(err, match=msg):
        m.numeric_gradients(net.w, net.b, net.g, x, y, m.squared_error, eps=eps)
    with pytest.raises(err, match=msg):
        m.numeric_dL(net.w, net.b, net.g, x, y, m.squared_error, 1, eps=eps)


def test_the_gradient_checks_accept_names_and_check_shapes():
    net = m.Network((2, 3, 2), seed=0)
    x, y = np.array([0.5, -0.5]), np.array([1.0, 0.0])
    by_name = m.numeric_gradients(net.w, net.b, "tanh", x, y, "squared_error")
    by_object = m.numeric_gradients(net.w, net.b, m.tanh, x, y, m.squared_error)
    np.testing.assert_array_equal(by_name[0][0], by_object[0][0])
    assert m.gradcheck(net, x, y, "softmax_cross_entropy")["w[0]"] <= TOL
    with pytest.raises(ValueError, match=r"y must have shape \(s_p=2,\) like the output for x"):
        m.gradcheck(net, x, y[:, None], "squared_error")
    with pytest.raises(ValueError, match=r"y must have shape \(s_p=2, n=4\)"):
        m.gradcheck(net, np.zeros((2, 4)), y, "squared_error")
    with pytest.raises(ValueError, match=r"points must be 2 or 5"):
        m.gradcheck(net, x, y, "squared_error", points=3)


def test_softmax_cross_entropy_with_one_output_is_refused():
    net = m.Network((2, 3, 1), seed=0)
    with pytest.raises(ValueError, match=r"softmax cross-entropy needs s_p >= 2 outputs"):
        m.gradcheck(net, np.zeros(2), np.ones(1), "softmax_cross_entropy")
