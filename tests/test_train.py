"""Training (section 3.1): sgd against the textbook loop, seeds, divergence, Ctrl-C, digits.

The reference loop below is written out here, independently of mlpcore's forward/backward:
for each (x, y), the forward pass recording a^(k) and z^(k), dL^(p) = ∇L(y)(z^(p)),
dL^(k) = g'(z^(k)) ⊙ w^(k)T dL^(k+1), dB^(k) = dL^(k+1), dW^(k) = dL^(k+1) a^(k)T, and only
then w^(k) ← w^(k) − α dW^(k), b^(k) ← b^(k) − α dB^(k) for every k.
"""

import math
import time

import numpy as np
import pytest

import mlpcore as m
from mlpcore import data

LOSSES = ["squared_error", "softmax_cross_entropy"]
RTOL = 1e-12  # sgd folds b^(k) into the product [w | b][a; 1]: only rounding may differ


def grad_output(loss, Y, Z):
    """∇L(y)(z^(p)) for each column: z − y, or softmax(z) − y for a one-hot y."""
    if loss == "squared_error":
        return Z - Y
    E = np.exp(Z - Z.max(axis=0))
    return E / E.sum(axis=0) - Y


def textbook_step(net, X, Y, loss, alpha):
    """One step on the columns X, Y (one sample, or a mini-batch with the mean gradient)."""
    p, g, r = net.p, net.g, X.shape[1]
    a, z = [X], [None]
    for k in range(p):
        z.append(net.w[k] @ a[k] + net.b[k][:, None])
        if k + 1 < p:
            a.append(g.g(z[k + 1]))
    dL = [None] * (p + 1)
    dL[p] = grad_output(loss, Y, z[p])
    for k in range(p - 1, 0, -1):
        dL[k] = g.g_prime(z[k]) * (net.w[k].T @ dL[k + 1])
    dW = [dL[k + 1] @ a[k].T for k in range(p)]  # the sum over the r columns
    dB = [dL[k + 1].sum(axis=1) for k in range(p)]
    for k in range(p):  # every gradient is taken before any parameter moves
        net.w[k] -= alpha / r * dW[k]
        net.b[k] -= alpha / r * dB[k]


def textbook_sgd(
    net, X, Y, loss, alpha, epochs=1, batch_size=1, seed=0, shuffle=True, after_epoch=None
):
    """The loop of section 3.1, in sgd's sample order: rng.permutation(n) for each epoch."""
    n = X.shape[1]
    rng = np.random.default_rng(seed)
    for epoch in range(1, epochs + 1):
        order = rng.permutation(n) if shuffle else np.arange(n)
        for lo in range(0, n, batch_size):
            idx = order[lo : lo + batch_size]
            textbook_step(net, X[:, idx], Y[:, idx], loss, alpha)
        if after_epoch is not None:
            after_epoch(epoch, net)
    return net


def problem(s, loss, n=23, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(s[0], n))
    if loss == "softmax_cross_entropy":
        labels = rng.integers(0, s[-1], size=n)
        return X, m.one_hot(labels, s[-1]), labels
    return X, rng.normal(size=(s[-1], n)), None


def assert_same_parameters(a, b, rtol=RTOL):
    for k in range(a.p):
        np.testing.assert_allclose(a.w[k], b.w[k], rtol=rtol, atol=rtol * 1e-2)
        np.testing.assert_allclose(a.b[k], b.b[k], rtol=rtol, atol=rtol * 1e-2)


def assert_identical(a, b):
    for k in range(a.p):
        np.testing.assert_array_equal(a.w[k], b.w[k])
        np.testing.assert_array_equal(a.b[k], b.b[k])


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("g", sorted(m.ACTIVATIONS))
def test_one_per_sample_epoch_is_the_textbook_loop(g, loss):
    s = (3, 6, 5, 4)
    X, Y, _ = problem(s, loss)
    net = m.Network(s, g=g, seed=1)
    ref = textbook_sgd(net.copy(), X, Y, loss, alpha=0.05, shuffle=False)
    history = m.sgd(net, X, Y, loss, alpha=0.05, shuffle=False, progress=False)
    assert_same_parameters(net, ref)
    assert history.epochs == 1 and history.steps == X.shape[1]


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("g", ["tanh", "relu"])
def test_one_mini_batch_epoch_is_the_textbook_loop(g, loss):
    s = (3, 6, 4)
    X, Y, _ = problem(s, loss, n=23)  # batches of 5: the last one holds 3 samples
    net = m.Network(s, g=g, seed=2)
    ref = textbook_sgd(net.copy(), X, Y, loss, alpha=0.1, batch_size=5, shuffle=False)
    m.sgd(net, X, Y, loss, alpha=0.1, batch_size=5, shuffle=False, progress=False)
    assert_same_parameters(net, ref)


@pytest.mark.parametrize("batch_size", [1, 4])
@pytest.mark.parametrize("loss", LOSSES)
def test_shuffled_epochs_follow_the_seeded_permutations(loss, batch_size):
    s = (2, 5, 3)
    X, Y, _ = problem(s, loss, n=17)
    net = m.Network(s, g="tanh", seed=3)
    ref = textbook_sgd(net.copy(), X, Y, loss, 0.1, epochs=3, batch_size=batch_size, seed=11)
    m.sgd(net, X, Y, loss, 0.1, epochs=3, batch_size=batch_size, seed=11, progress=False)
    assert_same_parameters(net, ref, rtol=1e-11)
    # and the order matters: another seed gives other parameters
    other = textbook_sgd(net.copy(), X, Y, loss, 0.1, epochs=3, batch_size=batch_size, seed=12)
    assert not np.allclose(other.w[0], ref.w[0], rtol=1e-6)


def test_step_is_the_textbook_step():
    s = (3, 4, 4, 2)
    X, Y, _ = problem(s, "squared_error", n=1)
    net = m.Network(s, g="sigmoid", seed=0)
    ref = net.copy()
    expected_loss = 0.5 * np.sum((ref(X[:, 0]) - Y[:, 0]) ** 2)  # L(y)(y_pred) before the step
    textbook_step(ref, X, Y, "squared_error", 0.3)
    before = m.step(net, X[:, 0], Y[:, 0], "squared_error", 0.3)
    assert before == pytest.approx(expected_loss, rel=1e-14)
    assert_same_parameters(net, ref, rtol=1e-14)


def test_a_seed_fixes_training_bit_for_bit():
    s = (2, 8, 3)
    X, Y, labels = problem(s, "softmax_cross_entropy", n=40)
    runs = []
    for _ in range(2):
        net = m.Network(s, g="relu", seed=5)
        h = m.sgd(net, X, labels, "softmax_cross_entropy", 0.05, epochs=3, seed=9, progress=False)
        runs.append((net, h))
    assert_identical(runs[0][0], runs[1][0])
    assert runs[0][1].loss == runs[1][1].loss
    net = m.Network(s, g="relu", seed=5)
    m.sgd(net, X, labels, "softmax_cross_entropy", 0.05, epochs=3, seed=10, progress=False)
    assert not np.array_equal(net.w[0], runs[0][0].w[0])


def test_labels_and_one_hot_targets_train_alike():
    s = (2, 4, 3)
    X, Y, labels = problem(s, "softmax_cross_entropy")
    a, b = m.Network(s, seed=0), m.Network(s, seed=0)
    m.sgd(a, X, Y, "softmax_cross_entropy", 0.1, epochs=2, progress=False)
    m.sgd(b, X, labels, m.softmax_cross_entropy, 0.1, epochs=2, progress=False)
    assert_identical(a, b)


def test_exact_history_is_the_mean_loss_per_epoch():
    s = (2, 5, 1)
    X, Y, _ = problem(s, "squared_error", n=20)
    net = m.Network(s, seed=0)
    ref = net.copy()
    seen = []
    history = m.sgd(
        net, X, Y, "squared_error", 0.05, epochs=4, seed=1, progress=False, epoch_loss="exact",
        callback=lambda epoch, n_, h: seen.append((epoch, n_ is net, len(h.loss))),
    )  # fmt: skip
    assert seen == [(1, True, 2), (2, True, 3), (3, True, 4), (4, True, 5)]
    assert history.epochs == 4 and len(history.loss) == 5 and history.steps == 80
    assert history.alpha == 0.05 and history.batch_size == 1 and not history.interrupted
    rng = np.random.default_rng(1)
    for e in range(5):  # loss[e]: the mean of L̃_0 over the training set after e epochs
        mean = 0.5 * np.sum((ref(X) - Y) ** 2) / X.shape[1]
        assert history.loss[e] == pytest.approx(mean, rel=1e-12)
        order = rng.permutation(X.shape[1])
        for i in order:
            textbook_step(ref, X[:, [i]], Y[:, [i]], "squared_error", 0.05)
    assert history.loss[-1] < history.loss[0]
    assert m.mean_loss(net, X, Y, "squared_error") == history.loss[-1]


@pytest.mark.parametrize("batch_size", [1, 3])
def test_running_history_is_the_mean_of_the_losses_before_each_step(batch_size):
    s = (2, 5, 1)
    X, Y, _ = problem(s, "squared_error", n=20)  # batches of 3: the last one holds 2 samples
    net = m.Network(s, seed=0)
    ref = net.copy()
    history = m.sgd(net, X, Y, "squared_error", 0.05, epochs=3, batch_size=batch_size, seed=1,
                    progress=False)  # fmt: skip
    assert history.epoch_loss == "running" and len(history.loss) == 4
    rng = np.random.default_rng(1)
    order = rng.permutation(X.shape[1])
    # loss[0]: the mean loss before training, over every sample (n <= 256) for batch_size 1,
    # over the first batch for a mini-batch
    first = order[:batch_size] if batch_size > 1 else order
    assert history.loss[0] == pytest.approx(
        0.5 * np.sum((ref(X[:, first]) - Y[:, first]) ** 2) / first.size, rel=1e-12
    )
    for e in range(1, 4):
        seen = []  # each step's loss on its batch, before it moves: the sum over the batch
        for lo in range(0, 20, batch_size):
            idx = order[lo : lo + batch_size]
            seen.append(0.5 * np.sum((ref(X[:, idx]) - Y[:, idx]) ** 2))
            textbook_step(ref, X[:, idx], Y[:, idx], "squared_error", 0.05)
        assert history.loss[e] == pytest.approx(sum(seen) / 20, rel=1e-12)
        order = rng.permutation(X.shape[1])
    assert_same_parameters(net, ref)


def test_training_continues_from_what_a_callback_leaves():
    s = (2, 5, 2)
    X, Y, _ = problem(s, "squared_error", n=15)

    def shrink(epoch, net, *history):  # e.g. a weight decay applied once per epoch
        for k in range(net.p):
            net.w[k] *= 0.5
            net.b[k][...] = 0.0

    net = m.Network(s, seed=0)
    ref = textbook_sgd(net.copy(), X, Y, "squared_error", 0.1, epochs=3, after_epoch=shrink)
    m.sgd(net, X, Y, "squared_error", 0.1, epochs=3, progress=False, callback=shrink)
    assert_same_parameters(net, ref)


def test_zero_epochs_changes_nothing():
    s = (2, 3, 1)
    X, Y, _ = problem(s, "squared_error")
    net = m.Network(s, seed=0)
    before = net.copy()
    history = m.sgd(net, X, Y, "squared_error", 0.1, epochs=0, progress=False)
    assert history.epochs == 0 and len(history.loss) == 1
    assert_identical(net, before)


def test_float32_training_stays_float32():
    s = (2, 6, 2)
    X, _, labels = problem(s, "softmax_cross_entropy")
    net = m.Network(s, seed=0, dtype=np.float32)
    ref = m.Network(s, seed=0)
    m.sgd(net, X, labels, "softmax_cross_entropy", 0.1, epochs=2, progress=False)
    m.sgd(ref, X, labels, "softmax_cross_entropy", 0.1, epochs=2, progress=False)
    assert all(w.dtype == np.float32 for w in net.w + net.b)
    assert_same_parameters(net, ref, rtol=1e-4)


def test_the_progress_bar_can_be_shown(capsys):
    s = (2, 3, 1)
    X, Y, _ = problem(s, "squared_error")
    history = m.sgd(m.Network(s), X, Y, "squared_error", 0.1, epochs=2, progress=True)
    assert history.epochs == 2


# -- divergence --------------------------------------------------------------------------------


def replay_until_divergence(net, X, Y, loss, alpha, limit, seed=0, epochs=5, batch_size=1):
    """Section 3.1 with mlpcore.step, sample by sample in sgd's order, stopping before the
    first step whose loss (measured before the step; for a mini-batch, its mean) is not finite
    or exceeds ``limit``, or whose new parameters would not all be finite. Returns the epoch
    where it stopped (None if it never did)."""
    rng = np.random.default_rng(seed)
    for epoch in range(1, epochs + 1):
        order = rng.permutation(X.shape[1])
        for lo in range(0, X.shape[1], batch_size):
            idx = order[lo : lo + batch_size]
            trial = net.copy()
            with np.errstate(all="ignore"):
                value = m.get_loss(loss).L(Y[:, idx], net(X[:, idx])) / idx.size
                if not value <= limit:
                    return epoch
                if batch_size == 1:
                    m.step(trial, X[:, idx[0]], Y[:, idx[0]], loss, alpha)
                else:
                    textbook_step(trial, X[:, idx], Y[:, idx], loss, alpha)
            if not all(np.isfinite(p).all() for p in trial.w + trial.b):
                return epoch
            net.w, net.b = trial.w, trial.b
    return None


def all_finite(net):
    return all(np.isfinite(p).all() for p in net.w + net.b)


def xor_problem():
    ds = data.xor(n=40, seed=0)
    return ds.X, ds.labels[None, :].astype(float)


@pytest.mark.parametrize("batch_size", [1, 4])
def test_divergence_with_a_huge_alpha_keeps_the_last_finite_step(batch_size):
    X, Y = xor_problem()
    net = m.Network((2, 8, 1), g="tanh", seed=0)
    start = net.copy()
    limit = 1e3 * max(m.mean_loss(net, X, Y, "squared_error"), 1.0)  # the documented default
    with pytest.raises(m.DivergenceError, match=r"alpha=1000 in epoch 1\b") as info:
        m.sgd(net, X, Y, "squared_error", 1e3, epochs=5, batch_size=batch_size, progress=False)
    err = info.value
    assert err.alpha == 1e3 and err.epoch == 1 and err.history.epochs == 0
    assert not math.isfinite(err.value) or err.value > limit
    assert all_finite(net)
    ref = start.copy()
    assert (
        replay_until_divergence(ref, X, Y, "squared_error", 1e3, limit, batch_size=batch_size) == 1
    )
    assert_same_parameters(net, ref, rtol=1e-9)
    assert not np.array_equal(net.w[0], start.w[0])  # some steps were taken, and kept


def test_divergence_with_cross_entropy_and_relu():
    ds = data.spirals(n=60, n_classes=3, seed=0)
    net = m.Network((2, 16, 16, 3), g="relu", seed=0)
    start = net.copy()
    limit = 1e3 * max(m.mean_loss(net, ds.X, ds.labels, "softmax_cross_entropy"), 1.0)
    with pytest.raises(m.DivergenceError, match=r"alpha=1e\+06 in epoch \d") as info:
        m.sgd(net, ds.X, ds.labels, "softmax_cross_entropy", alpha=1e6, epochs=5, progress=False)
    assert all_finite(net)
    ref = start.copy()
    epoch = replay_until_divergence(ref, ds.X, ds.Y, "softmax_cross_entropy", 1e6, limit)
    assert epoch == info.value.epoch
    assert_same_parameters(net, ref, rtol=1e-9)


def test_a_step_that_would_overflow_is_never_applied():
    # Targets of 1e6 give dL^(p) ≈ −1e6, so α = 1e306 sends the first step's parameters to
    # −inf: no step may be kept, and the network stays as it was.
    X, _ = xor_problem()
    Y = np.full((1, X.shape[1]), 1e6)
    net = m.Network((2, 8, 1), g="tanh", seed=0)
    start = net.copy()
    with pytest.raises(m.DivergenceError, match=r"alpha=1e\+306 in epoch 1") as info:
        m.sgd(net, X, Y, "squared_error", alpha=1e306, progress=False)
    assert info.value.step == 0
    assert_identical(net, start)


def test_the_loss_is_checked_before_each_step():
    # A limit below every per-sample loss stops before the first step: nothing changes.
    X, Y = xor_problem()
    net = m.Network((2, 8, 1), g="tanh", seed=0)
    start = net.copy()
    smallest = min(m.squared_error.L(Y[:, i], net(X[:, i])) for i in range(X.shape[1]))
    with pytest.raises(m.DivergenceError, match="alpha=0.1 in epoch 1") as info:
        m.sgd(net, X, Y, "squared_error", 0.1, loss_limit=0.5 * smallest, progress=False)
    assert info.value.step == 0
    assert_identical(net, start)


def test_divergence_in_a_later_epoch_reports_that_epoch():
    # α = 0.55 trains for a while on this problem and then blows up in epoch 2.
    X, Y = xor_problem()
    net = m.Network((2, 8, 1), g="tanh", seed=1)
    ref = net.copy()
    assert replay_until_divergence(ref, X, Y, "squared_error", 0.55, limit=10.0) == 2
    with pytest.raises(m.DivergenceError, match=r"alpha=0.55 in epoch 2\b") as info:
        m.sgd(net, X, Y, "squared_error", 0.55, epochs=5, loss_limit=10.0, progress=False)
    assert info.value.epoch == 2 and info.value.history.epochs == 1
    assert len(info.value.history.loss) == 2
    assert_same_parameters(net, ref, rtol=1e-9)


# -- Ctrl-C ------------------------------------------------------------------------------------


def test_an_interrupt_returns_what_was_learned():
    s = (2, 6, 2)
    ds = data.moons(n=50, seed=0)

    def ctrl_c_after_epoch_2(epoch, net, history):
        if epoch == 2:
            raise KeyboardInterrupt

    net = m.Network(s, seed=4)
    history = m.sgd(
        net, ds.X, ds.labels, "softmax_cross_entropy", 0.1, epochs=5, seed=6, progress=False,
        callback=ctrl_c_after_epoch_2,
    )  # fmt: skip
    assert history.interrupted and len(history.loss) == 3 and history.epochs == 2
    two = m.Network(s, seed=4)
    h2 = m.sgd(two, ds.X, ds.labels, "softmax_cross_entropy", 0.1, epochs=2, seed=6, progress=False)
    assert_identical(net, two)
    assert history.loss == h2.loss


# -- the digits ----------------------------------------------------------------------------------


def test_digits_reach_97_percent():
    train, test = data.digits()
    net = m.Network((64, 32, 10), g="tanh", seed=0)
    t0 = time.perf_counter()
    history = m.sgd(
        net, train.X, train.labels, "softmax_cross_entropy", alpha=0.05, epochs=20, seed=0,
        progress=False,
    )  # fmt: skip
    seconds = time.perf_counter() - t0
    accuracy = float(np.mean(net.predict(test.X) == test.labels))
    print(f"digits 64-32-10 tanh, 20 epochs: test accuracy {accuracy:.4f} in {seconds:.2f} s")
    assert history.loss[-1] < 0.1 * history.loss[0]
    assert accuracy >= 0.97


# -- a batch that holds loss[0]'s samples: the first step measures it ----------------------------


@pytest.mark.parametrize("backend", ["fast", "plain"])
@pytest.mark.parametrize("batch_size", [20, 32])  # the whole data (n = 20) in one batch
def test_loss0_of_a_whole_batch_is_the_first_steps_loss(backend, batch_size):
    X, Y = xor_problem()
    X, Y = X[:, :20], Y[:, :20]
    net = m.Network((2, 8, 1), g="tanh", seed=0)
    ref = net.copy()
    history = m.sgd(net, X, Y, "squared_error", 0.1, epochs=2, batch_size=batch_size,
                    progress=False, backend=backend)  # fmt: skip
    assert history.loss[0] == pytest.approx(m.mean_loss(ref, X, Y, "squared_error"), rel=1e-12)
    for e in (1, 2):  # one step per epoch: its loss is the epoch's running loss
        assert history.loss[e] == pytest.approx(m.mean_loss(ref, X, Y, "squared_error"), 1e-12)
        textbook_step(ref, X, Y, "squared_error", 0.1)
    assert_same_parameters(net, ref)
    assert history.steps == 2


@pytest.mark.parametrize("backend", ["fast", "plain"])
def test_a_whole_batch_above_the_limit_or_not_finite_moves_nothing(backend):
    X, Y = xor_problem()
    net = m.Network((2, 8, 1), g="tanh", seed=0)
    start = net.copy()
    kw = dict(batch_size=64, progress=False, backend=backend)
    with pytest.raises(m.DivergenceError, match="alpha=0.1 in epoch 1") as info:
        m.sgd(net, X, Y, "squared_error", 0.1, loss_limit=1e-9, **kw)
    assert info.value.step == 0 and info.value.history.loss[0] > 1e-9
    assert_identical(net, start)
    with pytest.raises(ValueError, match="before training is not finite"):
        m.sgd(net, X, np.full_like(Y, 1e300), "squared_error", 0.1, **kw)
    assert_identical(net, start)


@pytest.mark.parametrize("batch_size", [1, 4])
def test_zero_epochs_still_report_the_loss_before_training(batch_size):
    X, Y = xor_problem()
    net = m.Network((2, 8, 1), g="tanh", seed=0)
    history = m.sgd(net, X, Y, "squared_error", 0.1, epochs=0, batch_size=batch_size,
                    progress=False)  # fmt: skip
    assert len(history.loss) == 1 and history.epochs == 0 and history.steps == 0
