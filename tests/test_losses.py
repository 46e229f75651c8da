"""The losses L(y)(z^(p)) and their gradients ∇L(y)(z^(p)) (sections 1.5 and 3.2)."""

import math
import warnings

import numpy as np
import pytest

import mlpcore as m


def numeric_grad(L, y, z, eps=1e-6):
    d = np.zeros_like(z)
    for i in np.ndindex(z.shape):
        zp, zm = z.copy(), z.copy()
        zp[i] += eps
        zm[i] -= eps
        d[i] = (L(y, zp) - L(y, zm)) / (2 * eps)
    return d


def test_squared_error_values():
    # ½ ((3 − 1)² + (−1 − 1)²) = ½ (4 + 4) = 4;  ∇ = z − y = (2, −2)
    y, z = np.array([1.0, 1.0]), np.array([3.0, -1.0])
    assert m.squared_error.L(y, z) == 4.0
    np.testing.assert_array_equal(m.squared_error.grad(y, z), [2.0, -2.0])


def test_softmax_cross_entropy_values():
    # z = (0, ln 3): softmax = (1/4, 3/4); y = E_2 gives L = −ln(3/4) = ln 4 − ln 3
    z, y = np.array([0.0, math.log(3.0)]), np.array([0.0, 1.0])
    np.testing.assert_allclose(m.softmax(z), [0.25, 0.75], rtol=1e-15)
    assert m.softmax_cross_entropy.L(y, z) == pytest.approx(math.log(4 / 3), rel=1e-14)
    # ∇ = softmax(z) − y = (1/4, −1/4)
    np.testing.assert_allclose(m.softmax_cross_entropy.grad(y, z), [0.25, -0.25], rtol=1e-15)


@pytest.mark.parametrize("loss", [m.squared_error, m.softmax_cross_entropy], ids=str)
@pytest.mark.parametrize("seed", range(5))
def test_gradient_is_the_derivative(loss, seed):
    rng = np.random.default_rng(seed)
    z = rng.normal(size=4)
    y = rng.dirichlet(np.ones(4)) if loss is m.softmax_cross_entropy else rng.normal(size=4)
    np.testing.assert_allclose(loss.grad(y, z), numeric_grad(loss.L, y, z), rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("loss", [m.squared_error, m.softmax_cross_entropy], ids=str)
def test_a_batch_sums_the_columns(loss):
    rng = np.random.default_rng(1)
    Z = rng.normal(size=(3, 6))
    Y = m.one_hot(rng.integers(0, 3, size=6), 3)
    total = sum(loss.L(Y[:, c], Z[:, c]) for c in range(6))
    assert loss.L(Y, Z) == pytest.approx(total, rel=1e-14)
    G = loss.grad(Y, Z)
    for c in range(6):
        np.testing.assert_allclose(G[:, c], loss.grad(Y[:, c], Z[:, c]), rtol=1e-14)


def test_softmax_is_a_distribution_and_stable():
    Z = np.array([[1000.0, -1000.0, 0.0], [0.0, -1000.0, 1e-3], [-1000.0, 1000.0, 2.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        S = m.softmax(Z)
        value = m.softmax_cross_entropy.L(np.eye(3), Z)
    assert np.all(np.isfinite(S)) and np.all(S >= 0)
    np.testing.assert_allclose(S.sum(axis=0), 1.0, rtol=1e-15)
    np.testing.assert_allclose(S[:, 0], [1.0, 0.0, 0.0], atol=1e-300)
    # column 0: z_1 = 1000 is the largest by far, so −log softmax_1 ≈ 0 (e^-1000 underflows);
    # column 1: y = E_2 but z = (−1000, −1000, 1000), so L ≈ 2000; column 2: finite
    assert math.isfinite(value) and value == pytest.approx(2000.0 + (-math.log(S[2, 2])))


def test_softmax_is_shift_invariant():
    z = np.array([0.5, -1.0, 2.0])
    np.testing.assert_allclose(m.softmax(z + 100.0), m.softmax(z), rtol=1e-14)


def test_xent_gradient_for_a_distribution_target():
    # ∇ = softmax(z) Σ_i y_i − y: for a y that sums to 2 it is 2 softmax(z) − y
    z, y = np.array([0.2, -0.3]), np.array([1.5, 0.5])
    np.testing.assert_allclose(m.softmax_cross_entropy.grad(y, z), 2 * m.softmax(z) - y, rtol=1e-15)
    np.testing.assert_allclose(
        m.softmax_cross_entropy.grad(y, z),
        numeric_grad(m.softmax_cross_entropy.L, y, z),
        rtol=1e-7,
    )


def test_get_loss():
    for name, loss in m.LOSSES.items():
        assert m.get_loss(name) is loss and repr(loss) == f"Loss({name!r})"
    with pytest.raises(ValueError, match="unknown loss 'hinge'"):
        m.get_loss("hinge")
    with pytest.raises(TypeError, match="loss must be a loss name"):
        m.get_loss(3)
