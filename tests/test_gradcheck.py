"""Every backpropagated gradient against central differences, in float64, rel. error <= 1e-7.

Two independent finite-difference computations are used: mlpcore.gradcheck, and a small one
written here with its own forward pass and its own losses, so that a mistake shared by
mlpcore's forward and its gradient check could not hide.

``python tests/test_gradcheck.py`` prints the largest relative error over the hypothesis runs.
"""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import mlpcore as m

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
