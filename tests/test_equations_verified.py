"""Tests for the registered equations that no other test file verifies directly.

Each test is the one that ``tests/equation_tests.py`` names for its label. The references here are
written with plain numpy (b + w @ a, explicit loops, own central differences), not with the
function under test.
"""

import numpy as np
import pytest

import mlpcore as m
from mlpcore.gradcheck import loss_L0


def case(s=(3, 4, 5, 2), g="tanh", seed=0, loss=m.squared_error):
    net = m.Network(s, g=g, seed=seed)
    rng = np.random.default_rng(seed + 100)
    for k in range(net.p):
        net.b[k][...] = rng.normal(scale=0.5, size=net.b[k].shape)
    x = rng.normal(size=s[0])
    y = rng.normal(size=s[-1]) if loss is m.squared_error else np.eye(s[-1])[1]
    return net, x, y, loss


def central(f, v, eps=1e-6):
    """Central differences of a scalar function f at the array v, entry by entry."""
    v = np.array(v, dtype=float)
    d = np.zeros_like(v)
    for idx in np.ndindex(v.shape):
        keep = v[idx]
        v[idx] = keep + eps
        up = f(v)
        v[idx] = keep - eps
        down = f(v)
        v[idx] = keep
        d[idx] = (up - down) / (2 * eps)
    return d


@pytest.mark.parametrize("loss", [m.squared_error, m.softmax_cross_entropy], ids=str)
def test_Ltilde_0_is_the_nested_composition(loss):
    """eq-Ltilde: L̃_0 = L(y)(h_2(b2, w2, g(h_1(b1, w1, g(h_0(b0, w0, x)))))) for p = 3."""
    net, x, y, loss = case(loss=loss)
    w, b, g = net.w, net.b, net.g
    nested = b[2] + w[2] @ g(b[1] + w[1] @ g(b[0] + w[0] @ x))
    assert loss_L0(w, b, g, x, y, loss) == pytest.approx(loss.L(y, nested), rel=1e-14)
    # and h_0 is applied to x itself: feeding g(x) instead changes the value
    wrong = b[2] + w[2] @ g(b[1] + w[1] @ g(b[0] + w[0] @ g(x)))
    assert not np.isclose(loss.L(y, wrong), loss.L(y, nested))


def test_Ltilde_recursion():
    """eq-Ltilde-rec: numeric_dL differentiates L̃_k(v) = L̃_{k+1}(h_k(b^(k), w^(k), g(v)))."""
    net, x, y, loss = case(s=(2, 3, 4, 3, 2), g="sigmoid", seed=3)
    w, b, g, p = net.w, net.b, net.g, net.p

    def L_tilde(k, v):  # written as the recursion, from the output back to layer k
        if k == p:
            return loss.L(y, v)
        return L_tilde(k + 1, b[k] + w[k] @ g(v))

    z = [None, b[0] + w[0] @ x]
    for k in range(1, p):
        z.append(b[k] + w[k] @ g(z[k]))
    for k in range(1, p + 1):
        expected = central(lambda v, k=k: L_tilde(k, v), z[k])
        got = m.numeric_dL(w, b, g, x, y, loss, k)
        np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-10)
    assert L_tilde(1, z[1]) == pytest.approx(loss.L(y, net(x)), rel=1e-13)


@pytest.mark.parametrize("g", ["tanh", "sigmoid", "relu"])
def test_dW0_is_dL1_times_x_transposed(g):
    """eq-dW0: dW^(0) = dL^(1) x^T (not dL^(1) g(x)^T), against own central differences."""
    net, x, y, loss = case(s=(4, 3, 2), g=g, seed=7)
    trace = m.forward(net.w, net.b, net.g, x, trace=True)
    dW, _, dL = m.backward(net.w, net.g, trace, y, loss)
    assert dW[0].shape == (net.s[1], net.s[0])
    np.testing.assert_array_equal(dW[0], np.outer(dL[1], x))

    def cost_of_w0(w0):
        return loss.L(y, m.forward([w0] + net.w[1:], net.b, net.g, x))

    numeric = central(cost_of_w0, net.w[0])
    assert m.relative_error(dW[0], numeric) < 1e-7
    if g != "relu" or np.any(x < 0):  # relu(x) = x when x >= 0, then g(x) = x
        assert m.relative_error(np.outer(dL[1], net.g(x)), numeric) > 1e-3


def test_objective_is_the_mean_of_L0():
    """eq-objective: mean_loss is (1/N) Σ_n L(y_n)(z^(p)(x_n)), from labels or one-hot."""
    net = m.Network((2, 5, 3), g="tanh", seed=2)
    rng = np.random.default_rng(2)
    X = rng.normal(size=(2, 9))
    labels = rng.integers(0, 3, size=9)
    Y = np.eye(3)[:, labels]
    loss = m.softmax_cross_entropy
    by_loop = sum(loss.L(Y[:, n], net(X[:, n])) for n in range(9)) / 9
    assert m.mean_loss(net, X, Y, loss) == pytest.approx(by_loop, rel=1e-13)
    assert m.mean_loss(net, X, labels, loss) == pytest.approx(by_loop, rel=1e-13)


@pytest.mark.parametrize("loss", [m.squared_error, m.softmax_cross_entropy], ids=str)
def test_minibatch_step_uses_the_mean_gradient(loss):
    """eq-minibatch: one sgd step on m columns is w − (α/m) Σ_n dW_n, b − (α/m) Σ_n dB_n."""
    net = m.Network((3, 4, 3), g="tanh", seed=4)
    rng = np.random.default_rng(4)
    mb, alpha = 6, 0.3
    X = rng.normal(size=(3, mb))
    Y = np.eye(3)[:, rng.integers(0, 3, size=mb)]
    expected_w = [wk.copy() for wk in net.w]
    expected_b = [bk.copy() for bk in net.b]
    for n in range(mb):  # one sample at a time, each with the parameters before the step
        trace = m.forward(net.w, net.b, net.g, X[:, n], trace=True)
        dW, dB, _ = m.backward(net.w, net.g, trace, Y[:, n], loss)
        for k in range(net.p):
            expected_w[k] -= alpha / mb * dW[k]
            expected_b[k] -= alpha / mb * dB[k]
    m.sgd(net, X, Y, loss, alpha, epochs=1, batch_size=mb, shuffle=False, progress=False)
    for k in range(net.p):
        np.testing.assert_allclose(net.w[k], expected_w[k], rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(net.b[k], expected_b[k], rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("factor, shrinks", [(0.9, True), (1.1, False)])
def test_step_contracts_a_quadratic(factor, shrinks):
    """eq-step-contraction: on a quadratic cost each step multiplies the error by 1 − αλ.

    For p = 1, g irrelevant and the squared error, L = ½ (w x + b − y)². One step of
    eq-update moves (w, b) along −e (x, 1), so the residual e = w x + b − y becomes
    (1 − α λ) e with λ = x² + 1, the curvature along that direction. Below α = 2/λ it
    shrinks, above it grows.
    """
    x, y = np.array([1.5]), np.array([0.2])
    lam = float(x @ x) + 1.0
    alpha = factor * 2.0 / lam
    net = m.Network((1, 1), g="identity", seed=0)
    e0 = float(net(x)[0] - y[0])
    e = e0
    for _ in range(20):
        m.step(net, x, y, m.squared_error, alpha)
        e_new = float(net(x)[0] - y[0])
        assert e_new == pytest.approx((1 - alpha * lam) * e, rel=1e-9, abs=1e-300)
        e = e_new
    assert (abs(e) < abs(e0)) == shrinks


def test_chain_rule_through_one_layer():
    """eq-chain: the derivative of L̃_k along u is that of L̃_{k+1} along w^(k) (g'(z^(k)) ⊙ u).

    Both sides are directional central differences of hand-written L̃_k, L̃_{k+1}; the left
    side must also equal dL^(k)T u from mlpcore.dL, whose recursion is this rule.
    """
    net, x, y, loss = case(s=(3, 5, 4, 2), g="tanh", seed=11)
    w, b, g, p = net.w, net.b, net.g, net.p

    def L_tilde(k, v):
        return loss.L(y, v) if k == p else L_tilde(k + 1, b[k] + w[k] @ g(v))

    trace = m.forward(w, b, g, x, trace=True)
    dL = m.dL(w, g, trace.z, y, loss)
    rng = np.random.default_rng(11)
    eps = 1e-6
    for k in range(1, p):
        zk, zk1 = trace.z[k], trace.z[k + 1]
        u = rng.normal(size=zk.shape)
        left = (L_tilde(k, zk + eps * u) - L_tilde(k, zk - eps * u)) / (2 * eps)
        r = w[k] @ (g.g_prime(zk) * u)  # Dh_k(...)(0, 0, Dg(z^(k))(u))
        right = (L_tilde(k + 1, zk1 + eps * r) - L_tilde(k + 1, zk1 - eps * r)) / (2 * eps)
        assert left == pytest.approx(right, rel=1e-6)
        assert float(dL[k] @ u) == pytest.approx(left, rel=1e-6)


def test_Dh_in_a_is_w():
    """eq-Dh-a: along (0, 0, q), h_k(b, w, a) moves by w q (central differences of mlpcore.h)."""
    rng = np.random.default_rng(12)
    b, w, a, q = rng.normal(size=4), rng.normal(size=(4, 3)), rng.normal(size=3), rng.normal(size=3)
    eps = 1e-6
    numeric = (m.h(b, w, a + eps * q) - m.h(b, w, a - eps * q)) / (2 * eps)
    np.testing.assert_allclose(numeric, w @ q, rtol=1e-8, atol=1e-10)
    # with a batch of columns, each column moves by w times its own direction
    A, Q = rng.normal(size=(3, 5)), rng.normal(size=(3, 5))
    numeric = (m.h(b, w, A + eps * Q) - m.h(b, w, A - eps * Q)) / (2 * eps)
    np.testing.assert_allclose(numeric, w @ Q, rtol=1e-8, atol=1e-10)
