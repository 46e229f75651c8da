"""dL, dB and dW (sections 3.2 to 3.4) against loops over i and j, written as the document
writes each partial derivative; and the batch convention of mlpcore.backward (sums)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mlpcore as m

LOSSES = [m.squared_error, m.softmax_cross_entropy]


def naive_dL(w, g, z, y, loss):
    """(dL^(p))_i = ∇L(y)(z^(p))_i, then for k = p-1..1
    (dL^(k))_i = g'(z_i^(k)) Σ_j w_{j,i}^(k) (dL^(k+1))_j   (section 3.2)."""
    p = len(w)
    dL = [None] * (p + 1)
    dL[p] = list(loss.grad(y, z[p]))
    for k in range(p - 1, 0, -1):
        dL[k] = []
        for i in range(w[k].shape[1]):
            total = 0.0
            for j in range(w[k].shape[0]):
                total += w[k][j, i] * dL[k + 1][j]
            dL[k].append(float(g.g_prime(np.array(z[k][i]))) * total)
    return dL


def naive_dB(dL, p):
    """(dB^(k))_i = (dL^(k+1))_i   (section 3.3)."""
    return [[dL[k + 1][i] for i in range(len(dL[k + 1]))] for k in range(p)]


def naive_dW(dL, g, z, x, p):
    """dW_{i,j}^(k) = g(z_j^(k)) (dL^(k+1))_i for k >= 1 and dW_{i,j}^(0) = (dL^(1))_i x_j
    (section 3.4)."""
    dW = []
    for k in range(p):
        rows = []
        for i in range(len(dL[k + 1])):
            if k == 0:
                rows.append([dL[1][i] * x[j] for j in range(len(x))])
            else:
                rows.append([float(g(np.array(z[k][j]))) * dL[k + 1][i] for j in range(len(z[k]))])
        dW.append(rows)
    return dW


def random_case(s, g, seed, loss, n=None):
    """A network with non-zero biases, an input x (or a batch X) and a target y (or Y)."""
    net = m.Network(s, g=g, seed=seed)
    rng = np.random.default_rng(seed + 7)
    for k in range(net.p):
        net.b[k][...] = rng.normal(scale=0.5, size=net.b[k].shape)
    shape = (s[0],) if n is None else (s[0], n)
    x = rng.normal(size=shape)
    if loss is m.softmax_cross_entropy:
        labels = rng.integers(0, s[-1], size=1 if n is None else n)
        y = m.one_hot(labels, s[-1])
        y = y[:, 0] if n is None else y
    else:
        y = rng.normal(size=(s[-1],) if n is None else (s[-1], n))
    return net, x, y


sizes = st.lists(st.integers(1, 6), min_size=2, max_size=5)
activations = st.sampled_from(sorted(m.ACTIVATIONS))
losses = st.sampled_from(LOSSES)


@settings(max_examples=60, deadline=None)
@given(s=sizes, g=activations, loss=losses, seed=st.integers(0, 2**16))
def test_vectorised_equals_the_index_loops(s, g, loss, seed):
    net, x, y = random_case(s, g, seed, loss)
    trace = m.forward(net.w, net.b, net.g, x, trace=True)
    dW, dB, dL = m.backward(net.w, net.g, trace, y, loss)
    ref_dL = naive_dL(net.w, net.g, trace.z, y, loss)
    ref_dB = naive_dB(ref_dL, net.p)
    ref_dW = naive_dW(ref_dL, net.g, trace.z, x, net.p)
    assert dL[0] is None and len(dL) == net.p + 1
    assert len(dW) == len(dB) == net.p
    for k in range(1, net.p + 1):
        assert dL[k].shape == (s[k],)
        np.testing.assert_allclose(dL[k], ref_dL[k], rtol=1e-12, atol=1e-15)
    for k in range(net.p):
        assert dW[k].shape == net.w[k].shape and dB[k].shape == net.b[k].shape
        np.testing.assert_allclose(dB[k], ref_dB[k], rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(dW[k], ref_dW[k], rtol=1e-12, atol=1e-15)


def test_the_three_functions_compose_to_backward():
    net, x, y = random_case((3, 4, 2), "tanh", 0, m.squared_error)
    trace = m.forward(net.w, net.b, net.g, x, trace=True)
    d = m.dL(net.w, net.g, trace.z, y, m.squared_error)
    dW, dB, dL = m.backward(net.w, net.g, trace, y, m.squared_error)
    for k in range(net.p):
        np.testing.assert_array_equal(m.dB(d)[k], dB[k])
        np.testing.assert_array_equal(m.dW(d, trace.a)[k], dW[k])


def test_dB_returns_copies():
    net, x, y = random_case((2, 3, 1), "tanh", 0, m.squared_error)
    trace = m.forward(net.w, net.b, net.g, x, trace=True)
    dW, dB, dL = m.backward(net.w, net.g, trace, y, m.squared_error)
    dB[0][...] = 0.0
    assert np.any(dL[1] != 0.0)


@settings(max_examples=40, deadline=None)
@given(
    s=sizes,
    g=activations,
    loss=losses,
    n=st.integers(1, 5),
    seed=st.integers(0, 2**16),
)
def test_batch_gradient_is_the_sum_of_per_sample_gradients(s, g, loss, n, seed):
    net, X, Y = random_case(s, g, seed, loss, n=n)
    trace = m.forward(net.w, net.b, net.g, X, trace=True)
    dW, dB, dL = m.backward(net.w, net.g, trace, Y, loss)
    sum_dW = [np.zeros_like(wk) for wk in net.w]
    sum_dB = [np.zeros_like(bk) for bk in net.b]
    for col in range(n):
        t = m.forward(net.w, net.b, net.g, X[:, col], trace=True)
        dW_c, dB_c, dL_c = m.backward(net.w, net.g, t, Y[:, col], loss)
        for k in range(1, net.p + 1):  # column col of a batch dL is that sample's dL
            np.testing.assert_allclose(dL[k][:, col], dL_c[k], rtol=1e-12, atol=1e-15)
        for k in range(net.p):
            sum_dW[k] += dW_c[k]
            sum_dB[k] += dB_c[k]
    for k in range(net.p):
        np.testing.assert_allclose(dW[k], sum_dW[k], rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(dB[k], sum_dB[k], rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("loss", LOSSES, ids=lambda lo: lo.name)
def test_a_batch_of_one_is_the_per_sample_gradient(loss):
    net, x, y = random_case((3, 5, 4), "sigmoid", 3, loss)
    t1 = m.forward(net.w, net.b, net.g, x, trace=True)
    tb = m.forward(net.w, net.b, net.g, x[:, None], trace=True)
    dW1, dB1, _ = m.backward(net.w, net.g, t1, y, loss)
    dWb, dBb, _ = m.backward(net.w, net.g, tb, y[:, None], loss)
    for k in range(net.p):
        np.testing.assert_allclose(dWb[k], dW1[k], rtol=1e-14, atol=1e-16)
        np.testing.assert_allclose(dBb[k], dB1[k], rtol=1e-14, atol=1e-16)


def test_relu_kink_gets_derivative_zero_in_dL():
    # z^(1) = w x + b = (0, 1): the first hidden unit sits exactly on the kink.
    net = m.Network((1, 2, 1), g="relu", seed=0)
    net.w[0][...] = [[1.0], [1.0]]
    net.b[0][...] = [0.0, 1.0]
    net.w[1][...] = [[2.0, 3.0]]
    net.b[1][...] = [0.0]
    trace = m.forward(net.w, net.b, net.g, np.array([0.0]), trace=True)
    d = m.dL(net.w, net.g, trace.z, np.array([0.0]), m.squared_error)
    # z^(2) = 2·0 + 3·1 = 3, dL^(2) = 3, dL^(1) = (0·2·3, 1·3·3) = (0, 9)
    np.testing.assert_array_equal(d[2], [3.0])
    np.testing.assert_array_equal(d[1], [0.0, 9.0])
