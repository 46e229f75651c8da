"""Forward propagation (section 2) against a loop over the indices, coefficient by coefficient."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mlpcore as m


def naive_forward(w, b, g, x):
    """Section 2 with explicit loops: z_i^(k+1) = b_i^(k) + Σ_j w_ij^(k) a_j^(k)."""
    p = len(w)
    a = [list(x)]
    z = [None]
    for k in range(p):
        zk1 = []
        for i in range(w[k].shape[0]):
            total = b[k][i]
            for j in range(w[k].shape[1]):
                total += w[k][i, j] * a[k][j]
            zk1.append(total)
        z.append(zk1)
        if k + 1 < p:
            a.append([float(g(np.array(u))) for u in zk1])
    return a, z


def random_network(s, g, seed):
    net = m.Network(s, g=g, seed=seed)
    rng = np.random.default_rng(seed + 1)
    for k in range(net.p):  # non-zero biases, so that a missing b^(k) shows
        net.b[k][...] = rng.normal(size=net.b[k].shape)
    return net


sizes = st.lists(st.integers(1, 6), min_size=2, max_size=5)


@settings(max_examples=40, deadline=None)
@given(s=sizes, g=st.sampled_from(sorted(m.ACTIVATIONS)), seed=st.integers(0, 2**16))
def test_forward_equals_the_index_loop(s, g, seed):
    net = random_network(s, g, seed)
    x = np.random.default_rng(seed).normal(size=s[0])
    trace = m.forward(net.w, net.b, net.g, x, trace=True)
    a, z = naive_forward(net.w, net.b, net.g, x)
    assert len(trace.a) == net.p and len(trace.z) == net.p + 1 and trace.z[0] is None
    for k in range(net.p):
        np.testing.assert_allclose(trace.a[k], a[k], rtol=1e-12, atol=1e-14)
    for k in range(1, net.p + 1):
        np.testing.assert_allclose(trace.z[k], z[k], rtol=1e-12, atol=1e-14)
    np.testing.assert_array_equal(m.forward(net.w, net.b, net.g, x), trace.z[net.p])
    np.testing.assert_array_equal(net(x), trace.y_pred)


def test_a0_is_x_and_a_k_is_g_of_z_k():
    net = random_network((3, 4, 4, 2), "sigmoid", 5)
    x = np.array([0.3, -1.0, 2.0])
    trace = m.forward(net.w, net.b, net.g, x, trace=True)
    np.testing.assert_array_equal(trace.a[0], x)
    for k in (1, 2):
        np.testing.assert_array_equal(trace.a[k], m.sigmoid(trace.z[k]))


def test_h_is_b_plus_w_a():
    w = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 0.5]])
    b = np.array([0.5, -0.5, 1.0])
    a = np.array([2.0, -4.0])
    # (1·2 + 2·(−4) + 0.5, 0·2 − 1·(−4) − 0.5, 3·2 + 0.5·(−4) + 1) = (−5.5, 3.5, 5)
    np.testing.assert_array_equal(m.h(b, w, a), [-5.5, 3.5, 5.0])
    A = np.stack([a, 2 * a], axis=1)  # a batch of two columns
    np.testing.assert_array_equal(m.h(b, w, A), [[-5.5, -11.5], [3.5, 7.5], [5.0, 9.0]])


def test_a_batch_is_the_samples_side_by_side():
    net = random_network((2, 5, 3), "tanh", 2)
    X = np.random.default_rng(0).normal(size=(2, 7))
    Z = m.forward(net.w, net.b, net.g, X)
    assert Z.shape == (3, 7)
    for col in range(7):
        np.testing.assert_allclose(Z[:, col], net(X[:, col]), rtol=1e-14, atol=1e-15)


def test_one_layer_network_is_affine():
    net = random_network((3, 2), "relu", 0)  # p = 1: no activation at all
    x = np.array([-1.0, -2.0, -3.0])
    np.testing.assert_allclose(net(x), net.w[0] @ x + net.b[0], rtol=1e-15)


def test_predict_is_the_argmax_of_the_output():
    net = random_network((2, 4, 3), "tanh", 1)
    X = np.random.default_rng(1).normal(size=(2, 9))
    np.testing.assert_array_equal(net.predict(X), np.argmax(net(X), axis=0))


def test_forward_does_not_modify_x():
    net = random_network((2, 3, 1), "tanh", 0)
    x = np.array([1.0, 2.0])
    net(x)
    np.testing.assert_array_equal(x, [1.0, 2.0])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float_dtypes_are_kept(dtype):
    net = m.Network((2, 3, 1), seed=0, dtype=dtype)
    assert net(np.ones((2, 4), dtype=dtype)).dtype == dtype
