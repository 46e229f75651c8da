"""Lesson 07's measurements (mlpcore.course.depth) and its self-checks (exercises.lesson07).

The unrolled product is checked against central differences, which know nothing of the
recursion; the predicted gain against a measured ratio; the schemes' variances against
weights actually drawn. Each self-check passes its reference answer and fails a blank and a
typical wrong answer with the intended hint.
"""

import numpy as np
import pytest

import mlpcore
from mlpcore.course import depth


@pytest.mark.parametrize(
    "s, g", [((3, 5, 4, 2), "tanh"), ((2, 6, 6, 6, 3), "sigmoid"), ((4, 7, 5, 6, 5, 2), "relu")]
)
def test_unrolled_product_is_the_recursion(s, g):
    net = mlpcore.Network(s, g=g, seed=len(s))
    rng = np.random.default_rng(len(s))
    net.b = [rng.normal(scale=0.5, size=bk.shape) for bk in net.b]
    x, y = rng.normal(size=s[0]), rng.normal(size=s[-1])
    loss = mlpcore.squared_error
    z = mlpcore.forward(net.w, net.b, net.g, x, trace=True).z
    dL_p = loss.grad(y, z[net.p])
    for k in range(1, net.p + 1):
        J, dL_k = depth.unrolled_dL(net.w, net.g, z, dL_p, k)
        assert J.shape == (s[k], s[-1])
        numeric = mlpcore.numeric_dL(net.w, net.b, net.g, x, y, loss, k)
        assert mlpcore.relative_error(dL_k, numeric) < 1e-7
    with pytest.raises(ValueError, match="k must be in 1..p"):
        depth.unrolled_dL(net.w, net.g, z, dL_p, 0)


def test_layer_gain_predicts_the_measured_ratio():
    X, Y = depth.depth_batch(128, n=256, seed=3)
    net = depth.make_network((128,) * 7, "tanh", "xavier", seed=3)
    norms = depth.gradient_norms(net, X, Y)
    z = mlpcore.forward(net.w, net.b, net.g, X, trace=True).z
    for k in range(1, net.p - 1):
        measured = (norms[k] / norms[k + 1]) ** 2
        by_hand = 128 * np.mean(net.w[k] ** 2) * np.mean((1 - np.tanh(z[k]) ** 2) ** 2)
        assert np.isclose(depth.layer_gain(net.w[k], net.g, z[k]), by_hand)
        assert abs(measured / by_hand - 1) < 0.15


def test_gradient_norms_are_the_norms_of_the_recursion():
    X, Y = depth.depth_batch(8, n=5, seed=1)
    net = depth.make_network((8, 8, 8, 8), "relu", "he", seed=1)
    norms = depth.gradient_norms(net, X, Y)
    trace = mlpcore.forward(net.w, net.b, net.g, X, trace=True)
    dL = mlpcore.dL(net.w, net.g, trace.z, Y, mlpcore.squared_error)
    assert np.isnan(norms[0])
    for k in range(1, net.p + 1):
        assert np.isclose(norms[k], np.sqrt(np.sum(dL[k] ** 2)))


@pytest.mark.parametrize("scheme", depth.INITS)
def test_drawn_weights_have_the_scheme_variance(scheme):
    net = depth.make_network((300, 500, 10), "tanh", scheme, seed=0)
    assert np.isclose(np.var(net.w[0]), depth.init_variance(scheme, 300, 500), rtol=0.03)
    assert abs(np.mean(net.w[0])) < 0.1 * np.sqrt(depth.init_variance(scheme, 300, 500))


def test_unknown_schemes_are_refused():
    with pytest.raises(ValueError, match="scheme must be one of"):
        depth.init_variance("lecun", 3, 4)
    with pytest.raises(ValueError, match="init must be one of"):
        depth.make_network((2, 3, 1), "tanh", "lecun")


def test_depth_ratios_vanish_for_sigmoid_and_explode_for_naive_relu():
    table = depth.depth_ratios(depths=(2, 6), width=16, n=64)
    assert table["sigmoid", "xavier"][1] < 1e-2 * table["sigmoid", "xavier"][0]
    assert table["relu", "naive"][1] > 10 * table["relu", "naive"][0]


# ---- the self-checks ----------------------------------------------------------------------
