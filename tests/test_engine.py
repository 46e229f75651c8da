"""The fast path (mlpcore._engine) is the plain mathematics: pin it to forward/dL/dB/dW.

Both ways of running the products are pinned: scipy's BLAS (fused update) and numpy only.
The reference below is the document's loop written with the lessons' functions: forward with
the trace, backward, then w ← w − α dW, b ← b − α dB (for a batch of r samples, α/r times the
summed gradients). No timing here: speed is measured in bench/, never asserted.
"""

from __future__ import annotations

import os
import signal

import numpy as np
import pytest

import mlpcore
from mlpcore import _engine
from mlpcore.activations import Activation

HAVE_BLAS = _engine.blas_funcs(np.float64) is not None
PATHS = [
    pytest.param(False, id="numpy"),
    pytest.param(
        True, id="blas", marks=pytest.mark.skipif(not HAVE_BLAS, reason="scipy not installed")
    ),
]

softplus = Activation(
    "softplus", g=lambda u: np.logaddexp(0.0, u), g_prime=lambda u: 0.5 * (1.0 + np.tanh(u / 2))
)
ACTIVATIONS = ["tanh", "sigmoid", "relu", "identity", softplus]


def plain_sgd(net, X, Y, loss, alpha, epochs, batch_size, seed):
    """The reference: the lessons' functions, one step at a time, in sgd's sample order."""
    loss = mlpcore.get_loss(loss)
    n = X.shape[1]
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        order = rng.permutation(n)
        for lo in range(0, n, batch_size):
            idx = order[lo : lo + batch_size]
            if batch_size == 1:
                mlpcore.step(net, X[:, idx[0]], Y[:, idx[0]], loss, alpha)
                continue
            trace = mlpcore.forward(net.w, net.b, net.g, X[:, idx], trace=True)
            dW, dB, _ = mlpcore.backward(net.w, net.g, trace, Y[:, idx], loss)
            for k in range(net.p):
                net.w[k] -= alpha / idx.size * dW[k]
                net.b[k] -= alpha / idx.size * dB[k]
    return net


def problem(s, loss, n=11, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((s[0], n))
    if loss == "softmax_cross_entropy":
        Y = mlpcore.one_hot(rng.integers(0, s[-1], n), s[-1])
    else:
        Y = rng.standard_normal((s[-1], n))
    return X, Y


def max_diff(a, b):
    return max(
        max(float(np.max(np.abs(wa - wb))) for wa, wb in zip(a.w, b.w, strict=True)),
        max(float(np.max(np.abs(ba - bb))) for ba, bb in zip(a.b, b.b, strict=True)),
    )


@pytest.fixture
def use_blas(request, monkeypatch):
    monkeypatch.setattr(_engine, "USE_BLAS", request.param)
    return request.param


@pytest.mark.parametrize("use_blas", PATHS, indirect=True)
@pytest.mark.parametrize("g", ACTIVATIONS, ids=lambda g: g if isinstance(g, str) else g.name)
@pytest.mark.parametrize("loss", ["squared_error", "softmax_cross_entropy"])
@pytest.mark.parametrize("batch_size", [1, 4])
@pytest.mark.parametrize("s", [(3, 4), (3, 5, 4), (4, 6, 5, 3)], ids=lambda s: f"p{len(s) - 1}")
def test_fast_path_equals_plain_float64(use_blas, g, loss, batch_size, s):
    X, Y = problem(s, loss)  # n = 11: with batch 4 the last batch is shorter (3 samples)
    net = mlpcore.Network(s, g=g, seed=1)
    ref = plain_sgd(net.copy(), X, Y, loss, 0.05, epochs=2, batch_size=batch_size, seed=5)
    history = mlpcore.sgd(
        net, X, Y, loss, 0.05, epochs=2, batch_size=batch_size, seed=5, progress=False
    )
    assert max_diff(net, ref) < 1e-12
    assert history.loss[-1] == pytest.approx(mlpcore.mean_loss(ref, X, Y, loss), rel=1e-12)
    assert max_diff(net, mlpcore.Network(s, g=g, seed=1)) > 1e-3  # it did move


@pytest.mark.parametrize("use_blas", PATHS, indirect=True)
@pytest.mark.parametrize("g", ["tanh", "relu"])
@pytest.mark.parametrize("loss", ["squared_error", "softmax_cross_entropy"])
@pytest.mark.parametrize("batch_size", [1, 5])
def test_fast_path_float32(use_blas, g, loss, batch_size):
    s = (4, 7, 3)
    X, Y = problem(s, loss, n=20)
    net32 = mlpcore.Network(s, g=g, seed=2, dtype=np.float32)
    ref = mlpcore.Network(s, g=g, seed=2)  # float64 reference from the same initial values
    for k in range(ref.p):
        ref.w[k][...] = net32.w[k]
    plain_sgd(ref, X, Y, loss, 0.05, epochs=2, batch_size=batch_size, seed=0)
    mlpcore.sgd(net32, X, Y, loss, 0.05, epochs=2, batch_size=batch_size, seed=0, progress=False)
    assert net32.w[0].dtype == np.float32
    assert max_diff(net32, ref) < 2e-5


@pytest.mark.parametrize("use_blas", PATHS, indirect=True)
def test_softmax_overflow_takes_the_stable_route(use_blas):
    # z^(p) around 800: exp overflows, the engine must subtract the max and go on like the plain
    # path (which is stable by construction).
    s = (2, 3)
    net = mlpcore.Network(s, g="identity", seed=0)
    net.b[0][...] = [800.0, 799.0, 790.0]
    X, Y = problem(s, "softmax_cross_entropy", n=6)
    for m in (1, 3):
        a, ref = net.copy(), net.copy()
        plain_sgd(ref, X, Y, "softmax_cross_entropy", 0.1, epochs=1, batch_size=m, seed=0)
        kw = dict(epochs=1, batch_size=m, seed=0, progress=False, loss_limit=np.inf)
        mlpcore.sgd(a, X, Y, "softmax_cross_entropy", 0.1, **kw)
        assert max_diff(a, ref) < 1e-9


@pytest.mark.parametrize("use_blas", PATHS, indirect=True)
@pytest.mark.parametrize("batch_size", [1, 4])
def test_divergence_keeps_finite_parameters(use_blas, batch_size):
    X, Y = problem((2, 8, 1), "squared_error", n=40)
    net = mlpcore.Network((2, 8, 1), g="relu", seed=0)
    with pytest.raises(mlpcore.DivergenceError) as info:
        mlpcore.sgd(net, X, Y * 100, "squared_error", 1e3, epochs=5, batch_size=batch_size,
                    progress=False)  # fmt: skip
    assert info.value.alpha == 1e3
    assert all(np.isfinite(w).all() for w in net.w) and all(np.isfinite(b).all() for b in net.b)


def test_blas_probe_and_numpy_fallback(monkeypatch):
    """Without scipy the engine runs on numpy alone, and gives the same numbers."""
    s, loss = (3, 5, 2), "softmax_cross_entropy"
    X, Y = problem(s, loss)
    monkeypatch.setattr(_engine, "_BLAS_CACHE", {})
    monkeypatch.setitem(__import__("sys").modules, "scipy.linalg", None)  # import fails
    assert _engine.blas_funcs(np.float64) is None
    engine = _engine.Engine(mlpcore.Network(s, seed=0), loss, 1, np.float64)
    assert engine.blas is None
    with pytest.raises(ValueError, match="BLAS"):
        _engine.Engine(mlpcore.Network(s, seed=0), loss, 1, np.float64, blas=True)
    net = mlpcore.Network(s, seed=0)
    mlpcore.sgd(net, X, Y, loss, 0.1, epochs=1, seed=0, progress=False)
    ref = plain_sgd(mlpcore.Network(s, seed=0), X, Y, loss, 0.1, epochs=1, batch_size=1, seed=0)
    assert max_diff(net, ref) < 1e-12


@pytest.mark.skipif(not HAVE_BLAS, reason="scipy not installed")
def test_blas_path_is_used_when_scipy_is_there():
    engine = _engine.Engine(mlpcore.Network((3, 2), seed=0), "squared_error", 1, np.float64)
    assert engine.blas is not None
    assert _engine.blas_funcs(np.float32) is not None


@pytest.mark.parametrize("use_blas", PATHS, indirect=True)
@pytest.mark.parametrize("batch_size", [1, 3])
def test_ctrl_c_never_leaves_half_a_step(use_blas, batch_size):
    """A SIGINT in the middle of a step: sgd returns after a whole number of steps."""
    calls = []

    def g_prime(u):  # a g' that presses Ctrl-C in step 6, between two layers' updates
        calls.append(1)
        if len(calls) == 6:
            os.kill(os.getpid(), signal.SIGINT)
        return 1.0 - np.tanh(u) ** 2

    act = Activation("tanh_with_ctrl_c", g=np.tanh, g_prime=g_prime)
    s, loss = (3, 4, 2), "squared_error"
    X, Y = problem(s, loss, n=30)
    net = mlpcore.Network(s, g=act, seed=0)
    start = net.copy()
    history = mlpcore.sgd(
        net, X, Y, loss, 0.1, epochs=3, batch_size=batch_size, seed=0, progress=False
    )
    assert history.interrupted and history.epochs == 0
    # The parameters are those of the plain loop after a whole number of steps (step 6, in
    # which Ctrl-C came, completes), not layer 1 of one step with layer 0 of another.
    ref = start.copy()
    ref.g = mlpcore.tanh
    order = np.random.default_rng(0).permutation(30)
    diffs = []
    for lo in range(0, 30, batch_size):
        idx = order[lo : lo + batch_size]
        trace = mlpcore.forward(ref.w, ref.b, ref.g, X[:, idx], trace=True)
        dW, dB, _ = mlpcore.backward(ref.w, ref.g, trace, Y[:, idx], mlpcore.squared_error)
        for k in range(ref.p):
            ref.w[k] -= 0.1 / idx.size * dW[k]
            ref.b[k] -= 0.1 / idx.size * dB[k]
        diffs.append(max_diff(net, ref))
    assert min(diffs) < 1e-12
    assert int(np.argmin(diffs)) + 1 == 6
    assert history.steps == 6  # the partial epoch's steps are counted
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


@pytest.mark.parametrize("use_blas", PATHS, indirect=True)
@pytest.mark.parametrize("loss", ["squared_error", "softmax_cross_entropy"])
def test_epoch_in_pieces_equals_one_call(use_blas, loss):
    """Batches start..stop-1 in several calls (as bench/ runs them) = one call over all of them."""
    s, m = (3, 5, 4), 4
    X, Y = problem(s, loss, n=22)  # 6 batches, the last one of 2 samples
    dt = np.dtype(np.float64)
    Xr = np.ones((X.shape[1], s[0] + 1), dt)
    Xr[:, :-1] = X.T
    T = np.argmax(Y, axis=0) if loss == "softmax_cross_entropy" else np.ascontiguousarray(Y.T)
    whole = _engine.Engine(mlpcore.Network(s, seed=3), loss, m, dt)
    pieces = _engine.Engine(mlpcore.Network(s, seed=3), loss, m, dt)
    assert whole.epoch_batch(Xr, T, 0.1, np.inf, 0, 6) == 6
    for lo, hi in [(0, 1), (1, 4), (4, 6)]:
        assert pieces.epoch_batch(Xr, T, 0.1, np.inf, lo, hi) == hi - lo
    assert np.array_equal(whole.flat, pieces.flat)
    ref, lossf = mlpcore.Network(s, seed=3), mlpcore.get_loss(loss)
    for lo in range(0, 22, m):  # the plain loop over the batches in order
        idx = slice(lo, lo + m)
        trace = mlpcore.forward(ref.w, ref.b, ref.g, X[:, idx], trace=True)
        dW, dB, _ = mlpcore.backward(ref.w, ref.g, trace, Y[:, idx], lossf)
        r = X[:, idx].shape[1]
        for k in range(ref.p):
            ref.w[k] -= 0.1 / r * dW[k]
            ref.b[k] -= 0.1 / r * dB[k]
    net = mlpcore.Network(s, seed=3)
    pieces.store(net)
    assert max_diff(net, ref) < 1e-12
