"""What sgd does with the inputs a user gives it: layouts, loss limits, data that overflows the
network's dtype, options, and the memory that training takes (issue 10, items 3, 5 and 8)."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

import mlpcore as m


def square_problem(s0=4, seed=0):
    """X with exactly s_0 samples: (s_0, s_0), and its labels."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal((s0, s0)), rng.integers(0, 2, s0)


# -- item 5: square data ---------------------------------------------------------------------


@pytest.mark.parametrize("call", ["sgd", "mean_loss"])
def test_square_data_needs_a_layout(call):
    X, labels = square_problem()
    net = m.Network((4, 3, 2), seed=0)

    def fn(**kw):
        if call == "mean_loss":
            return m.mean_loss(net, X, labels, "softmax_cross_entropy", **kw)
        return m.sgd(net, X, labels, "softmax_cross_entropy", 0.1, progress=False, **kw)

    msg = (
        r"X has shape \(4, 4\): with s_0 = 4 and 4 samples, its rows and its columns both have "
        r"s_0 entries, so the layout cannot be read from the shape. Say which: layout='columns'"
    )
    with pytest.raises(ValueError, match=msg):
        fn()
    fn(layout="columns")  # said explicitly, it trains / evaluates


def test_layout_rows_is_the_transpose():
    X, labels = square_problem()
    a, b = m.Network((4, 3, 2), seed=0), m.Network((4, 3, 2), seed=0)
    kw = dict(epochs=2, progress=False)
    ha = m.sgd(a, X, labels, "softmax_cross_entropy", 0.1, layout="columns", **kw)
    hb = m.sgd(b, X.T.copy(), labels, "softmax_cross_entropy", 0.1, layout="rows", **kw)
    assert ha.loss == hb.loss
    assert all(np.array_equal(x, y) for x, y in zip(a.w + a.b, b.w + b.b, strict=True))
    c = m.Network((4, 3, 2), seed=0)  # the other reading trains on other samples
    m.sgd(c, X, labels, "softmax_cross_entropy", 0.1, layout="rows", **kw)
    assert not np.allclose(c.w[0], a.w[0])


def test_rows_are_refused_without_the_layout_and_taken_with_it():
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((10, 3)), rng.standard_normal((10, 2))  # 10 samples as rows
    net = m.Network((3, 4, 2), seed=0)
    with pytest.raises(ValueError, match=r"it looks like samples as rows; pass layout='rows'"):
        m.sgd(net, X, Y, "squared_error", 0.1, progress=False)
    h = m.sgd(net, X, Y, "squared_error", 0.1, progress=False, layout="rows")
    assert h.steps == 10
    with pytest.raises(ValueError, match=r"layout must be 'columns', 'rows' or None, got 'cols'"):
        m.sgd(net, X, Y, "squared_error", 0.1, progress=False, layout="cols")


# -- item 8: what diverges, and why ------------------------------------------------------------


@pytest.mark.parametrize("limit", [-1, 0, float("nan"), "big", True])
def test_a_bad_loss_limit_is_refused_up_front(limit):
    X, labels = square_problem()
    net = m.Network((4, 3, 2), seed=0)
    start = net.copy()
    with pytest.raises(ValueError, match=r"loss_limit must be a number > 0 .* got "):
        m.sgd(net, X, labels, "softmax_cross_entropy", 0.1, progress=False, loss_limit=limit,
              layout="columns")  # fmt: skip
    assert all(np.array_equal(x, y) for x, y in zip(net.w, start.w, strict=True))


def test_data_that_overflows_a_float32_network_names_X_and_the_dtype():
    X = np.full((2, 5), 1.0)
    X[1, 3] = 5e38  # finite in float64, inf in float32
    net = m.Network((2, 3, 1), seed=0, dtype=np.float32)
    msg = r"X holds values up to 5e\+38 .* beyond the largest float32 \(3.4e\+38\)"
    with pytest.raises(ValueError, match=msg):
        m.sgd(net, X, np.zeros((1, 5)), "squared_error", 0.1, progress=False)
    with pytest.raises(ValueError, match=r"Y holds values up to 1e\+39"):
        m.sgd(net, X[:, :3] * 0, np.full((1, 3), 1e39), "squared_error", 0.1, progress=False)
    m.sgd(
        m.Network((2, 3, 1), seed=0),
        X * 1e-300,
        np.zeros((1, 5)),
        "squared_error",
        0.1,
        progress=False,
    )  # fmt: skip  (a float64 network takes it)


def test_a_loss_that_is_not_finite_before_training_blames_the_data():
    X = np.full((2, 5), 1e300)
    net = m.Network((2, 3, 1), seed=0, g="identity")
    with pytest.raises(ValueError, match=r"loss of the network before training is not finite"):
        m.sgd(net, X, np.zeros((1, 5)), "squared_error", 0.1, progress=False)


def test_divergence_with_alpha_names_alpha_and_the_limit():
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((2, 40)), 100 * rng.standard_normal((1, 40))
    net = m.Network((2, 8, 1), g="relu", seed=0)
    with pytest.raises(m.DivergenceError, match=r"alpha=1000 in epoch 1 .* Try a smaller alpha"):
        m.sgd(net, X, Y, "squared_error", 1e3, epochs=5, progress=False)


# -- options -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kw, msg",
    [
        (dict(backend="blas"), r"backend must be one of \['fast', 'plain'\], got 'blas'"),
        (dict(epoch_loss="mean"), r"epoch_loss must be one of \['exact', 'running'\], got 'mean'"),
    ],
)
def test_unknown_options(kw, msg):
    X, labels = square_problem()
    with pytest.raises(ValueError, match=msg):
        m.sgd(m.Network((4, 2)), X, labels, "softmax_cross_entropy", 0.1, layout="rows", **kw)


def test_running_and_exact_histories_agree_at_the_start_and_train_alike():
    tr, _ = m.data.digits()
    nets = [m.Network((64, 16, 10), seed=0) for _ in range(2)]
    h = [
        m.sgd(
            net,
            tr.X,
            tr.labels,
            "softmax_cross_entropy",
            0.05,
            epochs=3,
            progress=False,
            epoch_loss=kind,
        )  # fmt: skip
        for net, kind in zip(nets, ("running", "exact"), strict=True)
    ]
    assert all(np.array_equal(a, b) for a, b in zip(nets[0].w, nets[1].w, strict=True))
    assert h[0].loss[0] == pytest.approx(h[1].loss[0], rel=0.2)  # 256 samples against all
    assert h[1].loss[-1] < h[0].loss[-1]  # the running mean lags the parameters


# -- item 3: memory --------------------------------------------------------------------------------


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("net_dtype", [np.float32, np.float64])
@pytest.mark.parametrize("batch_size", [1, 64])
def test_training_memory_is_the_data_plus_a_chunk(order, net_dtype, batch_size):
    """No copy of the data, whatever its dtype and memory order: the peak that sgd adds stays
    under 10 % of the data (a float32 X of 20,000 samples, 8 MB)."""
    rng = np.random.default_rng(0)
    X = np.asarray(rng.random((100, 20_000), dtype=np.float32), order=order)
    labels = rng.integers(0, 10, 20_000)
    net = m.Network((100, 16, 10), seed=0, dtype=net_dtype)
    m.sgd(net, X[:, :50], labels[:50], "softmax_cross_entropy", 0.01, progress=False)  # imports
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        m.sgd(net, X, labels, "softmax_cross_entropy", 0.01, batch_size=batch_size,
              progress=False)  # fmt: skip
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    assert peak < 0.10 * X.nbytes, f"sgd added {peak / X.nbytes:.1%} of the data"
