"""The activations g and their derivatives g' (section 1.5)."""

import warnings

import numpy as np
import pytest

import mlpcore as m

U = np.linspace(-6.0, 6.0, 241)
SMOOTH = ["sigmoid", "tanh", "identity"]


def central(f, u, eps=1e-6):
    return (f(u + eps) - f(u - eps)) / (2 * eps)


@pytest.mark.parametrize("name", SMOOTH)
def test_g_prime_is_the_derivative_of_g(name):
    act = m.ACTIVATIONS[name]
    np.testing.assert_allclose(act.g_prime(U), central(act.g, U), rtol=1e-8, atol=1e-10)


def test_relu_derivative_away_from_the_kink():
    u = U[np.abs(U) > 1e-3]
    np.testing.assert_allclose(m.relu.g_prime(u), central(m.relu.g, u), rtol=1e-9, atol=1e-12)


def test_known_values():
    u = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_array_equal(m.relu(u), [0.0, 0.0, 3.0])
    np.testing.assert_array_equal(m.relu.g_prime(u), [0.0, 0.0, 1.0])  # 0 at the kink
    np.testing.assert_array_equal(m.identity(u), u)
    np.testing.assert_array_equal(m.identity.g_prime(u), [1.0, 1.0, 1.0])
    np.testing.assert_allclose(m.tanh(u), np.tanh(u), rtol=0)
    np.testing.assert_allclose(m.tanh.g_prime(u), 1 / np.cosh(u) ** 2, rtol=1e-14)
    # σ(0) = 1/2, σ'(0) = 1/4; σ(ln 3) = 3/4, σ'(ln 3) = 3/4 · 1/4 = 3/16
    v = np.array([0.0, np.log(3.0)])
    np.testing.assert_allclose(m.sigmoid(v), [0.5, 0.75], rtol=1e-15)
    np.testing.assert_allclose(m.sigmoid.g_prime(v), [0.25, 3 / 16], rtol=1e-15)


def test_sigmoid_is_stable_for_large_inputs():
    u = np.array([-1000.0, -40.0, 40.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow in exp would be a RuntimeWarning
        s = m.sigmoid(u)
        sp = m.sigmoid.g_prime(u)
    assert np.all(np.isfinite(s)) and np.all((s >= 0) & (s <= 1))
    np.testing.assert_array_equal(s[[0, 3]], [0.0, 1.0])
    assert np.all(sp >= 0) and np.all(np.isfinite(sp))
    np.testing.assert_allclose(m.sigmoid(-u), 1 - s, atol=1e-16)  # σ(−u) = 1 − σ(u)


@pytest.mark.parametrize("name", sorted(m.ACTIVATIONS))
def test_elementwise_on_vectors_and_batches(name):
    act = m.ACTIVATIONS[name]
    B = np.random.default_rng(0).normal(size=(3, 4))
    for f in (act.g, act.g_prime):
        out = f(B)
        assert out.shape == B.shape
        for i in range(3):
            for j in range(4):
                assert out[i, j] == f(B[i : i + 1, j])[0]


def test_identity_returns_a_copy():
    u = np.array([1.0, 2.0])
    out = m.identity(u)
    out[0] = 5.0
    assert u[0] == 1.0


def test_initialisation_schemes_are_named():
    assert m.relu.init == "he"
    assert m.tanh.init == m.sigmoid.init == "xavier"


def test_custom_activation_pair():
    softplus = m.Activation(
        "softplus", lambda u: np.logaddexp(0.0, u), lambda u: 1.0 / (1.0 + np.exp(-u))
    )
    np.testing.assert_allclose(softplus.g_prime(U), central(softplus, U), rtol=1e-8)
    net = m.Network((2, 3, 1), g=softplus, seed=0)
    assert net.g is softplus and net.init == "xavier"
    assert m.get_activation(softplus) is softplus
    assert repr(softplus) == "Activation('softplus')"


def test_get_activation_by_name_and_errors():
    for name, act in m.ACTIVATIONS.items():
        assert m.get_activation(name) is act
    with pytest.raises(ValueError, match="unknown activation g='swish'"):
        m.get_activation("swish")
    with pytest.raises(TypeError, match="g must be an activation name"):
        m.get_activation(np.tanh)
