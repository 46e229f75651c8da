"""Every backend of sgd takes the plain loop's steps: pin each to ``backend="plain"``.

``backend="plain"`` is the loop of mlpcore.step (tests/test_train.py pins it to a textbook loop
written without mlpcore). Here the fast backend runs its products through scipy's BLAS and
through its numpy stand-in, with the built-in kernels and with objects that carry none. No
timing here: speed is measured in bench/, never asserted.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import sys
import threading

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mlpcore
from mlpcore import fast
from mlpcore.activations import Activation
from mlpcore.losses import Loss

HAVE_SCIPY = fast.scipy_blas(np.float64) is not None
BACKENDS = [
    pytest.param("plain", id="plain"),
    pytest.param("numpy", id="fast-numpy"),
    pytest.param(
        "scipy", id="fast-scipy", marks=pytest.mark.skipif(not HAVE_SCIPY, reason="no scipy")
    ),
]

softplus = Activation(
    "softplus", g=lambda u: np.logaddexp(0.0, u), g_prime=lambda u: 0.5 * (1.0 + np.tanh(u / 2))
)
# Custom objects that copy a built-in name with other formulas: they must get their own.
leaky = Activation("relu", lambda u: np.where(u > 0, u, 0.1 * u), lambda u: np.where(u > 0, 1, 0.1))
quartic = Loss("squared_error", lambda y, z: 0.25 * float(np.sum((z - y) ** 4)),
               lambda y, z: (z - y) ** 3)  # fmt: skip
ACTIVATIONS = ["tanh", "sigmoid", "relu", "identity", softplus, leaky]


@pytest.fixture
def backend(request, monkeypatch):
    """The name to pass to sgd; "numpy" is the fast backend without scipy."""
    if request.param == "numpy":
        monkeypatch.setattr(fast, "scipy_blas", lambda dtype: None)
    return "plain" if request.param == "plain" else "fast"


def problem(s, loss, n=11, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((s[0], n))
    if getattr(loss, "name", loss) == "softmax_cross_entropy":
        return X, mlpcore.one_hot(rng.integers(0, s[-1], n), s[-1])
    return X, rng.standard_normal((s[-1], n))


def max_diff(a, b):
    return max(float(np.max(np.abs(x - y))) for x, y in zip(a.w + a.b, b.w + b.b, strict=True))


def train(backend, net, X, Y, loss, alpha=0.05, **kw):
    kw = dict(epochs=2, seed=5, progress=False) | kw
    return mlpcore.sgd(net, X, Y, loss, alpha, backend=backend, **kw)


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
@pytest.mark.parametrize("g", ACTIVATIONS, ids=lambda g: g if isinstance(g, str) else g.g.__name__)
@pytest.mark.parametrize("loss", ["squared_error", "softmax_cross_entropy", quartic], ids=str)
@pytest.mark.parametrize("batch_size", [1, 4])
@pytest.mark.parametrize("s", [(3, 4), (3, 5, 4), (4, 6, 5, 3)], ids=lambda s: f"p{len(s) - 1}")
def test_every_backend_takes_the_plain_steps(backend, g, loss, batch_size, s):
    X, Y = problem(s, loss)  # n = 11: with batch 4 the last batch is shorter (3 samples)
    net, ref = mlpcore.Network(s, g=g, seed=1), mlpcore.Network(s, g=g, seed=1)
    kw = dict(alpha=0.01 if loss is quartic else 0.05, batch_size=batch_size)
    for epoch_loss in ("running", "exact"):
        h = train(backend, net, X, Y, loss, epoch_loss=epoch_loss, **kw)
        h_ref = train("plain", ref, X, Y, loss, epoch_loss=epoch_loss, **kw)
        assert max_diff(net, ref) < 1e-12
        np.testing.assert_allclose(h.loss, h_ref.loss, rtol=1e-12)
        assert h.steps == h_ref.steps
    assert max_diff(net, mlpcore.Network(s, g=g, seed=1)) > 1e-3  # it did move


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sizes=st.lists(st.integers(1, 6), min_size=2, max_size=4),
    batch_size=st.integers(1, 5),
    n=st.integers(1, 12),
    seed=st.integers(0, 2**16),
    copy_loss=st.booleans(),
)
def test_a_custom_object_with_a_built_in_name_gets_its_own_formulas(
    sizes, batch_size, n, seed, copy_loss
):
    """sgd with a custom Activation or Loss that copies a built-in name = the plain steps."""
    g, loss = (leaky, "squared_error") if not copy_loss else ("tanh", quartic)
    X, Y = problem(sizes, "squared_error", n=n, seed=seed)
    net, ref = (mlpcore.Network(sizes, g=g, seed=seed) for _ in range(2))
    h = mlpcore.sgd(net, X, Y, loss, 0.01, epochs=2, batch_size=batch_size, progress=False,
                    layout="columns")  # fmt: skip
    rng = np.random.default_rng(0)  # sgd's default seed
    for _ in range(2):  # the plain loop, written out: mlpcore.step on sgd's batches
        order = rng.permutation(n)
        for lo in range(0, n, batch_size):
            idx = order[lo : lo + batch_size]
            x, y = (X[:, idx[0]], Y[:, idx[0]]) if batch_size == 1 else (X[:, idx], Y[:, idx])
            mlpcore.step(ref, x, y, loss, 0.01)
    assert max_diff(net, ref) < 1e-12
    assert h.epochs == 2


def test_a_kernel_is_chosen_by_the_formulas_never_by_the_name():
    assert mlpcore.relu.kernel is not None and mlpcore.squared_error.kernel is not None
    assert leaky.kernel is None and quartic.kernel is None
    assert dataclasses.replace(mlpcore.relu, g=leaky.g).kernel is None  # no stale kernel
    assert dataclasses.replace(mlpcore.tanh, name="mine").kernel is mlpcore.tanh.kernel
    assert fast.activation_kernel(leaky).apply is not mlpcore.relu.kernel.apply


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
@pytest.mark.parametrize("g", ["tanh", "relu"])
@pytest.mark.parametrize("loss", ["squared_error", "softmax_cross_entropy"])
@pytest.mark.parametrize("batch_size", [1, 5])
def test_float32(backend, g, loss, batch_size):
    s = (4, 7, 3)
    X, Y = problem(s, loss, n=20)
    net32 = mlpcore.Network(s, g=g, seed=2, dtype=np.float32)
    ref = mlpcore.Network(s, g=g, seed=2)  # float64 from the same initial values
    for k in range(ref.p):
        ref.w[k][...] = net32.w[k]
    train("plain", ref, X, Y, loss, batch_size=batch_size)
    train(backend, net32, X, Y, loss, batch_size=batch_size)
    assert net32.w[0].dtype == np.float32
    assert max_diff(net32, ref) < 2e-5


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
@pytest.mark.parametrize("batch_size", [1, 3])
def test_softmax_overflow_takes_the_stable_route(backend, batch_size):
    # z^(p) around 800: exp overflows, the kernel must subtract the max and go on
    s = (2, 3)
    net = mlpcore.Network(s, g="identity", seed=0)
    net.b[0][...] = [800.0, 799.0, 790.0]
    X, Y = problem(s, "softmax_cross_entropy", n=6)
    a, ref = net.copy(), net.copy()
    kw = dict(epochs=1, batch_size=batch_size, loss_limit=np.inf)
    train("plain", ref, X, Y, "softmax_cross_entropy", 0.1, **kw)
    train(backend, a, X, Y, "softmax_cross_entropy", 0.1, **kw)
    assert max_diff(a, ref) < 1e-9


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
@pytest.mark.parametrize("batch_size", [1, 4])
@pytest.mark.parametrize("arrays", ["own", "rebound"])
def test_divergence_keeps_the_same_finite_parameters(backend, batch_size, arrays):
    """In the network's own arrays, or in arrays put in their place (see :func:`rebound`)."""
    X, Y = problem((2, 8, 1), "squared_error", n=40)
    nets = [mlpcore.Network((2, 8, 1), g="relu", seed=0) for _ in range(2)]
    if arrays == "rebound":
        rebound(nets[0])
    errors = []
    for name, net in zip([backend, "plain"], nets, strict=True):
        with pytest.raises(mlpcore.DivergenceError) as info:
            train(name, net, X, Y * 100, "squared_error", 1e3, epochs=5, batch_size=batch_size)
        errors.append(info.value)
    assert all(np.isfinite(a).all() for a in nets[0].w + nets[0].b)
    assert max_diff(*nets) < 1e-9
    assert (errors[0].epoch, errors[0].step) == (errors[1].epoch, errors[1].step)


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
@pytest.mark.parametrize("batch_size", [1, 4])
def test_an_epoch_in_pieces_equals_one_call(backend, batch_size):
    """Steps start..stop-1 in several calls of the interface = one call over all of them."""
    s, loss = (3, 5, 4), mlpcore.softmax_cross_entropy
    X, Y = problem(s, loss, n=22)
    data = mlpcore.train._training_data(mlpcore.Network(s), X, Y, loss, None, for_sgd=True)
    Backend = mlpcore.train.BACKENDS[backend]
    order, count, flag = np.arange(22)[::-1].copy(), -(-22 // batch_size), [False]
    whole, pieces = (mlpcore.Network(s, seed=3) for _ in range(2))
    one = Backend(whole, loss, batch_size, data)
    assert one.steps(data, order, 0, count, 0.1, np.inf, flag)[0] == count
    two = Backend(pieces, loss, batch_size, data)
    cuts = [0, 1, count // 2, count]
    for lo, hi in zip(cuts, cuts[1:], strict=False):
        assert two.steps(data, order, lo, hi, 0.1, np.inf, flag)[0] == hi - lo
    one.store(whole)
    two.store(pieces)
    assert max_diff(whole, pieces) == 0.0


# -- Ctrl-C ------------------------------------------------------------------------------------


def ctrl_c_in_step(step: int, then=None):
    """A tanh whose g' presses Ctrl-C in the given step, between two layers' updates."""
    calls = []

    def g_prime(u):
        calls.append(1)
        if len(calls) == step:
            os.kill(os.getpid(), signal.SIGINT)
            if then is not None:
                then()
        return 1.0 - np.tanh(u) ** 2

    return Activation("tanh_with_ctrl_c", g=np.tanh, g_prime=g_prime)


def steps_of_the_plain_loop(start, X, Y, batch_size, seed=0):
    """The parameters after each step of the plain loop (sgd's first epoch)."""
    net, out = start.copy(), []
    net.g = mlpcore.tanh
    order = np.random.default_rng(seed).permutation(X.shape[1])
    for lo in range(0, X.shape[1], batch_size):
        idx = order[lo : lo + batch_size]
        mlpcore.step(net, X[:, idx], Y[:, idx], "squared_error", 0.1)
        out.append(net.copy())
    return out


def raising_handler(signum, frame):
    raise KeyboardInterrupt


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
@pytest.mark.parametrize("batch_size", [1, 3])
@pytest.mark.parametrize("handler", ["default", "raising", "twice"])
def test_ctrl_c_never_leaves_half_a_step(backend, batch_size, handler):
    """A SIGINT in the middle of step 6 (or two of them): sgd returns after step 6, whatever
    SIGINT handler was installed, and puts that handler back."""
    previous = signal.getsignal(signal.SIGINT)
    mine = raising_handler if handler == "raising" else signal.default_int_handler
    signal.signal(signal.SIGINT, mine)
    try:
        again = (lambda: os.kill(os.getpid(), signal.SIGINT)) if handler == "twice" else None
        s, X = (3, 4, 2), problem((3, 4, 2), "squared_error", n=30)
        net = mlpcore.Network(s, g=ctrl_c_in_step(6, again), seed=0)
        start = net.copy()
        history = train(backend, net, *X, "squared_error", 0.1, epochs=3, batch_size=batch_size,
                        seed=0, progress=True)  # fmt: skip
        assert signal.getsignal(signal.SIGINT) is mine
    finally:
        signal.signal(signal.SIGINT, previous)
    assert history.interrupted and history.epochs == 0 and history.steps == 6
    diffs = [max_diff(net, ref) for ref in steps_of_the_plain_loop(start, *X, batch_size)]
    assert min(diffs) < 1e-12 and int(np.argmin(diffs)) + 1 == 6


def test_a_handler_that_does_not_raise_lets_training_go_on():
    seen = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: seen.append(signum))
    try:
        s, (X, Y) = (3, 4, 2), problem((3, 4, 2), "squared_error", n=30)
        net = mlpcore.Network(s, g=ctrl_c_in_step(6), seed=0)
        history = train("fast", net, X, Y, "squared_error", 0.1, epochs=2)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert seen == [signal.SIGINT]  # called once, at a step boundary
    assert not history.interrupted and history.epochs == 2 and history.steps == 60


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("s", [(3, 4), (3, 5, 4)], ids=lambda s: f"p{len(s) - 1}")
@pytest.mark.parametrize("labels", [True, False])
def test_every_memory_order_and_dtype_of_x_takes_the_plain_steps(backend, order, dtype, s, labels):
    """The batch is gathered as columns from a C-ordered X, as rows from an F-ordered one, and
    through a cast from another dtype: the same steps each time."""
    X, Y = problem(s, "softmax_cross_entropy", n=11)
    X = np.asarray(X, dtype=dtype, order=order)
    Y = np.argmax(Y, axis=0) if labels else Y
    net, ref = mlpcore.Network(s, g="tanh", seed=1), mlpcore.Network(s, g="tanh", seed=1)
    kw = dict(alpha=0.05, batch_size=4)
    train(backend, net, X, Y, "softmax_cross_entropy", **kw)
    train("plain", ref, X.astype(np.float64, order="C"), Y, "softmax_cross_entropy", **kw)
    assert max_diff(net, ref) < 1e-12


# -- buffers kept between calls ----------------------------------------------------------------


@pytest.mark.parametrize("batch_size", [1, 4])
def test_two_runs_at_once_never_share_their_buffers(batch_size):
    """The fast backend keeps its buffers for the next call. Two networks of the same shape
    trained at the same time in two threads (switching every few microseconds) must each end as
    when trained alone: a buffer in use is never handed to another run."""
    s, loss = (3, 5, 4), "softmax_cross_entropy"
    X, Y = problem(s, loss, n=40)
    alone = [mlpcore.Network(s, seed=k) for k in range(2)]
    for net in alone:  # (these also leave buffers in the store for the runs below)
        train("fast", net, X, Y, loss, batch_size=batch_size, epochs=100)
    together = [mlpcore.Network(s, seed=k) for k in range(2)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [
            threading.Thread(target=train, args=("fast", net, X, Y, loss),
                             kwargs=dict(batch_size=batch_size, epochs=100))
            for net in together
        ]  # fmt: skip
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert all(max_diff(a, b) == 0.0 for a, b in zip(alone, together, strict=True))


@pytest.mark.parametrize("batch_size", [1, 32])
def test_the_next_call_takes_the_buffers_of_the_last(batch_size):
    s, loss = (6, 9, 3), "softmax_cross_entropy"
    X, Y = problem(s, loss, n=64)
    train("fast", mlpcore.Network(s, seed=0), X, Y, loss, batch_size=batch_size)
    size = lambda s: sum(b * (a + 1) for a, b in zip(s, s[1:], strict=False))  # noqa: E731
    kept = dict(fast._SPARE)
    assert kept["flat"].size == size(s)
    train("fast", mlpcore.Network(s, seed=1), X, Y, loss, batch_size=batch_size)
    assert fast._SPARE["flat"] is kept["flat"]  # taken, used, given back
    if batch_size > 1:  # the work buffer and its views, for the same shapes and batch size
        (key, *arrays), (was, *kept_arrays) = fast._SPARE["work"], kept["work"]
        assert key == was and all(a is b for a, b in zip(arrays, kept_arrays, strict=True))
    big = (6, 90, 3)  # more than twice the size: a buffer of its own, and the small one goes
    train("fast", mlpcore.Network(big, seed=0), X, Y, loss, batch_size=batch_size)
    assert fast._SPARE["flat"] is not kept["flat"] and fast._SPARE["flat"].size == size(big)


# -- training in the network's own arrays ------------------------------------------------------


def rebound(net):
    """``net`` with its parameters put in arrays of their own (as ``net.b = [...]`` does):
    the fast backend then copies them in and out instead of training in them."""
    net.w, net.b = [w.copy() for w in net.w], [b.copy() for b in net.b]
    assert fast.own_buffer(net) is None
    return net


@pytest.mark.parametrize("batch_size", [1, 4])
def test_the_fast_backend_trains_in_the_networks_own_arrays(batch_size):
    s, loss = (3, 5, 4), "softmax_cross_entropy"
    X, Y = problem(s, loss, n=40)
    net, copied = mlpcore.Network(s, seed=0), rebound(mlpcore.Network(s, seed=0))
    views, flat = net.w + net.b, net._flat
    data = mlpcore.train._training_data(net, X, Y, mlpcore.get_loss(loss), None, for_sgd=True)
    assert fast.Fast(net, mlpcore.get_loss(loss), batch_size, data).flat is flat  # no copy in
    for n in (net, copied):
        train("fast", n, X, Y, loss, batch_size=batch_size)
    assert all(a is b for a, b in zip(net.w + net.b, views, strict=True))
    assert fast.own_buffer(net) is flat and max_diff(net, copied) == 0.0  # the same steps


@pytest.mark.parametrize("batch_size", [1, 4])
def test_the_networks_own_buffer_is_never_handed_to_another_run(batch_size):
    """A run in a network's arrays gives back only its snapshot buffer: a network of the same
    shape trained next, in a buffer of the backend's, must not be handed the first one's."""
    s, loss = (3, 5, 4), "softmax_cross_entropy"
    X, Y = problem(s, loss, n=40)
    first = mlpcore.Network(s, seed=0)
    train("fast", first, X, Y, loss, batch_size=batch_size)
    after = first.copy()
    train("fast", rebound(mlpcore.Network(s, seed=1)), X, Y, loss, batch_size=batch_size)
    assert max_diff(first, after) == 0.0


@pytest.mark.parametrize("batch_size", [1, 4])
def test_a_callback_may_put_the_parameters_in_other_arrays(batch_size):
    """After epoch 1 the callback puts b in new arrays and inflates w[0] in place: training goes
    on from there, in the network's arrays and the new ones, and diverges a few steps into
    epoch 2. The network ends as the plain loop's, on the last finite step: the replay starts
    from a snapshot of the backend's buffer, since w, still its view, moved with the steps."""
    X, Y = problem((2, 8, 1), "squared_error", n=40)

    def meddle(epoch, net, history):
        if epoch == 1:
            net.b = [b.copy() for b in net.b]
            net.w[0][...] *= 10.0

    nets, errors = [], []
    for name in ("fast", "plain"):
        net = mlpcore.Network((2, 8, 1), g="relu", seed=0)
        with pytest.raises(mlpcore.DivergenceError) as info:
            train(name, net, X, Y, "squared_error", 0.05, epochs=3, batch_size=batch_size,
                  callback=meddle)  # fmt: skip
        nets.append(net)
        errors.append((info.value.epoch, info.value.step))
    assert errors[0] == errors[1] and errors[0][0] == 2 and errors[0][1] > 0
    assert all(np.isfinite(a).all() for a in nets[0].w + nets[0].b)
    assert max_diff(*nets) < 1e-9


@pytest.mark.parametrize("backend", ["fast", "plain"])
def test_a_read_only_layer_is_refused_and_left_alone(backend):
    """The fast backend trains in the network's arrays only when it may write them: a layer the
    user made read-only is an error, as in the plain loop, and keeps its values."""
    s, loss = (3, 5, 4), "softmax_cross_entropy"
    X, Y = problem(s, loss, n=40)
    net = mlpcore.Network(s, seed=0)
    net.w[0].flags.writeable = False
    before = net.w[0].copy()
    assert fast.own_buffer(net) is None
    with pytest.raises(ValueError, match="read-only"):
        train(backend, net, X, Y, loss, batch_size=4)
    np.testing.assert_array_equal(net.w[0], before)
