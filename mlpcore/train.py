"""Training by gradient descent (document, section 3.1).

For each pair (x, y) of the training set: compute y_pred while recording the a^(k) and
z^(k), backpropagate, then update every layer,

    w^(k) ← w^(k) − α dW^(k),    b^(k) ← b^(k) − α dB^(k)          (eq-update)

:func:`step` is that sentence in code, with the plain functions of the lessons.
:func:`sgd` runs whole epochs through a fast path (``mlpcore._engine``) that a test pins to
:func:`step`. It adds what a real run needs: seeded shuffling, mini-batches, a history of the
mean loss, a progress bar, divergence detection and a clean Ctrl-C.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from ._engine import Diverging, Engine, deferred_interrupt
from ._validate import as_array, check_alpha, check_columns, check_positive_int
from .backward import backward
from .data import one_hot
from .forward import check_input, forward
from .losses import Loss, get_loss


class DivergenceError(FloatingPointError):
    """Training stopped because the loss or a parameter stopped being finite (or exploded).

    The network keeps the parameters of the last finite step. ``alpha``, ``epoch`` (1-based)
    and ``history`` (epochs completed before) are attributes.
    """

    def __init__(self, alpha: float, epoch: int, step: int, value: float, history: History):
        self.alpha, self.epoch, self.step, self.value, self.history = (
            alpha,
            epoch,
            step,
            value,
            history,
        )
        super().__init__(
            f"training diverged with alpha={alpha:g} in epoch {epoch} (sample {step} of that "
            f"epoch): the loss became {value:.3g}. The parameters of the last finite step were "
            "kept. Try a smaller alpha."
        )


@dataclass
class History:
    """``loss[e]`` is the mean of L̃_0 over the training set after e epochs (``loss[0]``: before)."""

    loss: list = field(default_factory=list)
    alpha: float = float("nan")
    batch_size: int = 1
    steps: int = 0
    interrupted: bool = False
    seconds: float = 0.0

    @property
    def epochs(self) -> int:
        return max(len(self.loss) - 1, 0)


def step(net, x, y, loss, alpha: float) -> float:
    """One per-sample step of section 3.1 with the plain functions (eq-update).

    Near a minimum, where the cost is close to quadratic with curvature λ along the step, each
    step multiplies the distance to the minimum by 1 − αλ (eq-step-contraction).

    ``x`` (s_0,), ``y`` (s_p,). Updates ``net`` in place; returns L(y)(y_pred) before the step.
    """
    loss = get_loss(loss)
    alpha = check_alpha(alpha)
    x = check_input(x, net.s[0])
    if x.ndim != 1:  # a batch here would broadcast against a 1-D y without an error
        raise ValueError(
            f"x must be one sample of shape (s_0={net.s[0]},) for step, got {x.shape}; "
            "for batches use sgd(..., batch_size=m)"
        )
    y = _check_targets(np.asarray(y), net.s[-1], loss, one=True)
    trace = forward(net.w, net.b, net.g, x, trace=True)
    dW, dB, _ = backward(net.w, net.g, trace, y, loss)
    for k in range(net.p):
        net.w[k] -= alpha * dW[k]
        net.b[k] -= alpha * dB[k]
    return loss.L(y, trace.y_pred)


def mean_loss(net, X, Y, loss) -> float:
    """The objective of section 3.1: the mean of L̃_0 over the columns of X, Y (eq-objective).

    ``X`` (s_0, n); ``Y`` (s_p, n) or integer class labels (n,).
    """
    loss = get_loss(loss)
    X = check_input(X, net.s[0], "X")
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (s_0, n) with samples as columns, got {X.shape}")
    Y = _check_targets(np.asarray(Y), net.s[-1], loss)
    check_columns(X, Y, net.s[0], net.s[-1])
    return _mean_loss(net, X, Y, loss)


def _mean_loss(net, X, Y, loss) -> float:
    return loss.L(Y, forward(net.w, net.b, net.g, X)) / X.shape[1]


def _check_targets(Y, sp: int, loss: Loss, one: bool = False) -> np.ndarray:
    name = "y" if one else "Y"
    if not one and Y.ndim == 1 and np.issubdtype(Y.dtype, np.integer):
        return one_hot(Y, sp)  # class labels: the label range is checked there
    Y = as_array(name, Y, ndim=1 if one else 2)
    if Y.shape[0] != sp:
        raise ValueError(f"{name} must have {sp} rows (s_p, the output size), got shape {Y.shape}")
    if loss.name == "softmax_cross_entropy" and (Y < 0).any():
        raise ValueError(f"{name} for softmax cross-entropy must be a distribution (>= 0)")
    return Y


def sgd(
    net,
    X,
    Y,
    loss,
    alpha: float,
    epochs: int = 1,
    batch_size: int = 1,
    seed=0,
    shuffle: bool = True,
    progress: bool = True,
    loss_limit: float | None = None,
    callback=None,
) -> History:
    """Train ``net`` in place by per-sample (``batch_size=1``) or mini-batch gradient descent.

    Parameters
    ----------
    X : array (s_0, n), the inputs as columns
    Y : array (s_p, n) of targets, or integer class labels of shape (n,)
    loss : Loss or name
    alpha : float > 0, the learning rate α
    epochs : passes over the data
    batch_size : 1 is the document's per-sample descent. A larger batch_size steps with the mean
        gradient of that many samples, (α / batch_size) Σ dW: the same formulas with the samples
        as columns (eq-minibatch).
    seed : seeds the shuffling (a new permutation each epoch)
    progress : show a tqdm bar over epochs
    loss_limit : a step whose loss is above this counts as divergence. Default
        1e3 × max(initial mean loss, 1).
    callback : called as ``callback(epoch, net, history)`` after each epoch; training goes on
        from ``net``'s parameters as the callback leaves them

    Returns
    -------
    History. Raises :class:`DivergenceError` when the loss or a parameter stops being finite.
    A Ctrl-C (KeyboardInterrupt) stops cleanly and returns the history so far, with
    ``interrupted=True``; the network keeps the last complete step.
    """
    loss = get_loss(loss)
    alpha = check_alpha(alpha)
    epochs = check_positive_int("epochs", epochs, minimum=0)
    batch_size = check_positive_int("batch_size", batch_size)
    X = check_input(X, net.s[0], "X")
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (s_0, n) with samples as columns, got {X.shape}")
    Y = _check_targets(np.asarray(Y), net.s[-1], loss)
    n = check_columns(X, Y, net.s[0], net.s[-1])
    for k in range(net.p):
        if not (np.isfinite(net.w[k]).all() and np.isfinite(net.b[k]).all()):
            raise ValueError(f"the network's w[{k}] or b[{k}] is not finite; re-initialise it")

    if loss.name not in ("squared_error", "softmax_cross_entropy"):
        raise ValueError(
            f"sgd trains with the built-in losses; for {loss.name!r} loop over mlpcore.step"
        )
    dt = net.dtype
    if loss.name == "softmax_cross_entropy":
        if not (np.all(Y.sum(axis=0) == 1) and np.all((Y == 0) | (Y == 1))):
            raise ValueError(
                "Y for softmax cross-entropy training must be one-hot (or class labels)"
            )
        Tsrc = np.argmax(Y, axis=0)  # the fast path works with the label of a one-hot y
    else:
        Tsrc = np.ascontiguousarray(Y.T, dtype=dt)
    Xsrc = np.ascontiguousarray(X.T, dtype=dt)
    Xr = np.ones((n, net.s[0] + 1), dt)  # [x; 1] as rows, see mlpcore._engine
    T = np.empty_like(Tsrc)
    engine = Engine(net, loss.name, batch_size, dt)
    snapshot = np.empty_like(engine.flat)  # the parameters at the start of an epoch
    rng = np.random.default_rng(seed)
    history = History(alpha=alpha, batch_size=batch_size)
    history.loss.append(_finite_loss(net, X, Y, loss))
    limit = loss_limit if loss_limit is not None else 1e3 * max(history.loss[0], 1.0)
    run = engine.epoch_single if batch_size == 1 else engine.epoch_batch
    count = n if batch_size == 1 else -(-n // batch_size)

    bar = _progress(epochs, progress)
    t0 = time.perf_counter()
    try:
        for epoch in range(1, epochs + 1):
            order = rng.permutation(n) if shuffle else np.arange(n)
            # mode="clip" writes straight into out (mode="raise" would buffer a copy)
            np.take(Xsrc, order, axis=0, out=Xr[:, :-1], mode="clip")
            np.take(Tsrc, order, axis=0, out=T, mode="clip")
            np.copyto(snapshot, engine.flat)
            bad_value, stop_at = None, count
            try:
                with deferred_interrupt() as flag:  # a Ctrl-C waits for the step to finish
                    history.steps += run(Xr, T, alpha, limit, 0, count, interrupt=flag)
                if not engine.params_finite():
                    bad_value = math.inf
            except Diverging as exc:
                bad_value, stop_at = exc.value, exc.step // batch_size
            if bad_value is not None:
                # Replay this epoch from its start (it is deterministic), never applying a
                # non-finite step: the network ends on the last finite parameters.
                engine.flat[...] = snapshot
                try:
                    done = run(Xr, T, alpha, math.inf, 0, stop_at, check_params=True)
                except Diverging as exc:  # cannot happen on a deterministic replay
                    done = exc.step // batch_size
                engine.store(net)
                history.steps += done
                raise DivergenceError(alpha, epoch, done * batch_size, bad_value, history)
            engine.store(net)
            value = _finite_loss(net, X, Y, loss)
            if not value <= limit:
                raise DivergenceError(alpha, epoch, n, value, history)
            history.loss.append(value)
            if bar is not None:
                bar.update(1)
                bar.set_postfix(loss=f"{value:.4g}")
            if callback is not None:
                callback(epoch, net, history)
                engine.load(net)  # a callback may change the parameters: continue from them
    except KeyboardInterrupt:
        if not engine.params_finite():  # the last step overflowed: back to the epoch's start
            engine.flat[...] = snapshot
        engine.store(net)
        history.interrupted = True
    finally:
        history.seconds = time.perf_counter() - t0
        if bar is not None:
            bar.close()
    return history


def _finite_loss(net, X, Y, loss, chunk: int = 2048) -> float:
    # In chunks of columns, so that a large data set does not need every z^(k) at once.
    n = X.shape[1]
    with np.errstate(over="ignore", invalid="ignore"):
        if n <= chunk:
            value = _mean_loss(net, X, Y, loss)
        else:
            total = 0.0
            for lo in range(0, n, chunk):
                z = forward(net.w, net.b, net.g, X[:, lo : lo + chunk])
                total += loss.L(Y[:, lo : lo + chunk], z)
            value = total / n
    return value if math.isfinite(value) else math.inf


def _progress(epochs: int, enabled: bool):
    if not enabled:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:  # tqdm is an optional dependency (the "course" extra)
        return None
    return tqdm(total=epochs, desc="epochs", unit="epoch", leave=False)
