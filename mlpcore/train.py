"""Training by gradient descent (document, section 3.1).

For each pair (x, y) of the training set: compute y_pred while recording the a^(k) and
z^(k), backpropagate, then update every layer,

    w^(k) ← w^(k) − α dW^(k),    b^(k) ← b^(k) − α dB^(k)          (eq-update)

:func:`step` is that sentence in code, with the plain functions of the lessons; on a mini-batch
of m samples it steps with the mean gradient (eq-minibatch). :func:`sgd` is a loop of such steps
over shuffled epochs. Its ``backend`` says which code takes them: ``"plain"`` is :class:`Plain`,
the loop of :func:`step` as written; ``"fast"`` (the default) is :mod:`mlpcore.fast`, the same
formulas with the Python overhead taken out. ``tests/test_backends.py`` pins one to the other.
What a real run adds around the steps (epochs, progress bar, History, divergence, Ctrl-C) is
:mod:`mlpcore.run`, the same for both.

(About 270 lines: besides the method it holds the input checks that sgd, step and mean_loss
share, and the plain backend, which is a few lines around :func:`step`.)
"""

from __future__ import annotations

import math
from numbers import Real
from types import SimpleNamespace

import numpy as np

from ._checks import check_loss_output
from ._validate import (
    all_finite,
    as_array,
    as_columns,
    check_alpha,
    check_columns,
    check_labels,
    check_positive_int,
    check_seed,
)
from .backward import backward
from .fast import Fast
from .forward import check_input, forward
from .losses import get_loss
from .network import own_buffer
from .run import DivergenceError, Diverging, History, Run, columns

__all__ = ["Plain", "mean_loss", "sgd", "step"]  # History, DivergenceError: mlpcore.run


def step(net, x, y, loss, alpha: float) -> float:
    """One step of section 3.1 with the plain functions (eq-update, eq-minibatch).

    Near a minimum, where the cost is close to quadratic with curvature λ along the step, each
    step multiplies the distance to the minimum by 1 − αλ (eq-step-contraction).

    ``x`` (s_0,) and ``y`` (s_p,): one sample. ``x`` (s_0, m) and ``y`` (s_p, m): a mini-batch,
    stepped with the mean gradient α (1/m) Σ dW. Updates ``net`` in place; returns the loss
    L(y)(y_pred) before the step (for a batch, its mean over the m samples).
    """
    loss, alpha = get_loss(loss), check_alpha(alpha)
    x = check_input(x, net.s[0])
    y = as_array("y", y, ndim=(1, 2))
    if x.ndim == 1 and y.ndim != 1:
        raise ValueError(f"y must be 1-D (s_p,) for one sample x, got shape {y.shape}")
    if y.shape != (net.s[-1], *x.shape[1:]):
        cols = "" if x.ndim == 1 else f" and {x.shape[1]} columns, one per column of x"
        raise ValueError(
            f"y must have {net.s[-1]} rows (s_p, the output size){cols}, got shape {y.shape}"
        )
    return _step(net, x, y, loss, alpha)


def _step(net, x, y, loss, alpha: float, limit: float = math.inf) -> float:
    r = 1 if x.ndim == 1 else x.shape[1]
    trace = forward(net.w, net.b, net.g, x, trace=True)
    value = loss.L(y, trace.y_pred) / r
    if not value <= limit:  # checked before any parameter moves
        raise Diverging(0, value)
    dW, dB, _ = backward(net.w, net.g, trace, y, loss)
    for k in range(net.p):
        net.w[k] -= alpha / r * dW[k]
        net.b[k] -= alpha / r * dB[k]
    return value


def mean_loss(net, X, Y, loss, layout: str | None = None) -> float:
    """The objective of section 3.1: the mean of L̃_0 over the samples of X, Y (eq-objective).

    ``X`` (s_0, n); ``Y`` (s_p, n) or integer class labels (n,). ``layout``: as in :func:`sgd`.
    """
    loss = get_loss(loss)
    data = _training_data(net, X, Y, loss, layout)
    X, Y = columns(data, np.arange(data.n), net.s[-1])
    return loss.L(Y, forward(net.w, net.b, net.g, X)) / data.n


class Plain:
    """The plain backend: :func:`step` on each batch, in the network's own arrays.

    It offers the interface of :mod:`mlpcore.run`, as :class:`mlpcore.fast.Fast` does.
    """

    def __init__(self, net, loss, batch_size: int, data):
        self.net, self.loss, self.m = net, loss, batch_size

    def load(self, net) -> None:
        self.net = net

    def store(self, net) -> None:
        pass  # the steps work in net's arrays

    def snapshot(self):
        return [a.copy() for a in self.net.w + self.net.b]

    def restore(self, snapshot) -> None:
        for mine, saved in zip(self.net.w + self.net.b, snapshot, strict=True):
            mine[...] = saved

    def finite(self) -> bool:
        return all(all_finite(a) for a in self.net.w + self.net.b)

    def close(self) -> None:
        pass  # nothing of its own to hand on

    def steps(self, data, order, start, stop, alpha, limit, flag, safe=False):
        taken, total = 0, 0.0
        for j in range(start, stop):  # (the Run ignores overflow)
            if flag[0]:
                break
            x, y = columns(data, order[j * self.m : (j + 1) * self.m], self.net.s[-1])
            if self.m == 1:
                x, y = x[:, 0], y[:, 0]
            before = self.snapshot() if safe else None
            try:
                value = _step(self.net, x, y, self.loss, alpha, limit)
            except Diverging as exc:
                raise Diverging(j, exc.value) from None
            if safe and not self.finite():
                self.restore(before)
                break
            taken, total = taken + 1, total + value * (1 if x.ndim == 1 else x.shape[1])
        return taken, total


BACKENDS = {"fast": Fast, "plain": Plain}
EPOCH_LOSSES = ("running", "exact")


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
    *,
    epoch_loss: str = "running",
    backend: str = "fast",
    layout: str | None = None,
) -> History:
    """Train ``net`` in place by per-sample (``batch_size=1``) or mini-batch gradient descent.

    Parameters
    ----------
    X : array (s_0, n), the inputs as columns (or (n, s_0) with ``layout="rows"``)
    Y : array (s_p, n) of targets, or integer class labels of shape (n,)
    loss : Loss or name
    alpha : float > 0, the learning rate α
    epochs : passes over the data
    batch_size : 1 is the document's per-sample descent. A larger batch_size steps with the mean
        gradient of that many samples, (α / batch_size) Σ dW: the same formulas with the samples
        as columns (eq-minibatch).
    seed : seeds the shuffling (a new permutation each epoch)
    progress : show a tqdm bar over epochs
    loss_limit : a number > 0; a step whose loss (checked before the step) is above it counts
        as divergence. Default: 1e3 × max(loss[0], 1).
    callback : called as ``callback(epoch, net, history)`` after each epoch; training goes on
        from ``net``'s parameters as the callback leaves them
    epoch_loss : "running" (default) or "exact": what ``History.loss`` holds, see
        :class:`~mlpcore.run.History`. "running" averages the losses that the steps computed
        anyway, at no cost; "exact" computes the mean loss over the whole data after each
        epoch, one more forward pass each time.
    backend : "fast" (default) or "plain" (the loop of :func:`step`): the same steps
    layout : "columns" or "rows", how ``X`` (and a 2-D ``Y``) hold the samples. Needed only
        when ``X`` is square, (s_0, s_0): its shape then cannot tell, and guessing wrong would
        train on the transpose without an error. By default read from the shape.

    Returns
    -------
    History. Raises :class:`DivergenceError` when the loss or a parameter stops being finite,
    or a step's loss exceeds ``loss_limit``; the network keeps the last finite step. A Ctrl-C
    stops at a step boundary and returns the history so far, with ``interrupted=True`` (see
    :class:`~mlpcore.run.Run`). Memory: the data is read in place, a chunk at a time; no copy
    of it is made. The fast backend trains in the network's own arrays (or, if ``net.w`` or
    ``net.b`` hold arrays put there by hand, in a copy of them) and keeps the start of each
    epoch, the size of the model, for the replay after a divergence. It keeps that buffer
    and its work arrays (one batch) after the call, for the next call to reuse.
    """
    loss, alpha = get_loss(loss), check_alpha(alpha)
    check_loss_output(loss, net.s[-1])
    epochs = check_positive_int("epochs", epochs, minimum=0)
    batch_size = check_positive_int("batch_size", batch_size)
    Backend, limit = _choice("backend", backend, BACKENDS), _check_limit(loss_limit)
    history = History(alpha=alpha, batch_size=batch_size, epoch_loss=epoch_loss)
    _choice("epoch_loss", epoch_loss, EPOCH_LOSSES)
    data = _training_data(net, X, Y, loss, layout, for_sgd=True)
    rng = check_seed(seed)
    with Run(Backend, net, data, loss, history, progress) as run:
        order = rng.permutation(data.n) if shuffle else np.arange(data.n)  # intp: np.take's own
        run.start(order, limit, epochs)  # loss[0], the loss limit
        for epoch in run.epochs(epochs):
            running = run.steps(order, alpha)  # every step of the epoch (eq-update)
            history.loss.append(running if epoch_loss == "running" else run.exact_loss(order))
            if not history.loss[-1] <= run.limit:
                raise DivergenceError(alpha, epoch, data.n, history.loss[-1], history, run.limit)
            if callback is not None:
                run.callback(callback)
            if shuffle:  # = rng.permutation(n), in place: order is arange(n) again as the
                order.fill(1)  # cumulative sum of 0, 1, 1, ... (cheaper than a sort: ~20 µs on
                order[0] = 0  # digits, 0.4 µs a step of batch 32)
                np.cumsum(order, out=order)
                rng.shuffle(order)
    return history


def _choice(name: str, value, allowed):
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"{name} must be one of {sorted(allowed)}, got {value!r}")
    return allowed[value] if isinstance(allowed, dict) else value


def _check_limit(limit) -> float | None:
    ok = limit is None or (not isinstance(limit, bool) and isinstance(limit, Real) and limit > 0)
    if not ok:  # NaN fails "> 0" too
        raise ValueError(
            "loss_limit must be a number > 0 (a step whose loss is above it counts as "
            f"divergence), or None for the default 1e3 × max(initial loss, 1); got {limit!r}"
        )
    return None if limit is None else float(limit)


def _training_data(net, X, Y, loss, layout, for_sgd=False) -> SimpleNamespace:
    """X as (s_0, n) columns without a copy, and the targets T: labels (n,) or Y (s_p, n)."""
    X = as_columns("X", X, net.s[0], layout, dtype=net.dtype)
    if X.shape[1] == 0:
        raise ValueError("the data set is empty: X has 0 columns (samples are columns, n >= 1)")
    Y = np.asarray(Y)
    if Y.ndim == 1 and Y.dtype.kind in "iuf":  # class labels, 3.0 counting as 3
        T = check_labels(Y, net.s[-1])
        check_columns(X, T[None, :], net.s[0], 1)
    else:
        T = _targets(Y, X, net, loss, layout, for_sgd)
    flat = own_buffer(net) if for_sgd else None
    if for_sgd and (flat is None or not all_finite(flat)):  # one pass when one buffer holds all
        for k in range(net.p):
            if not (all_finite(net.w[k]) and all_finite(net.b[k])):
                raise ValueError(f"the network's w[{k}] or b[{k}] is not finite; re-initialise it")
    return SimpleNamespace(X=X, T=T, n=X.shape[1])


def _targets(Y, X, net, loss, layout, for_sgd: bool):
    """Targets (s_p, n) as columns; one-hot ones become labels where the kernel wants them."""
    sp, labels = net.s[-1], loss.kernel is not None and loss.kernel.labels
    if Y.ndim == 2 and layout != "rows" and Y.shape[0] != sp:
        raise ValueError(f"Y must have {sp} rows (s_p, the output size), got shape {Y.shape}")
    dtype = net.dtype if loss.kernel is not None and not labels else None
    T = as_columns("Y", Y, sp, layout or "columns", dtype=dtype, size="s_p")
    check_columns(X, T, net.s[0], sp)
    if labels and np.min(T) < 0:
        raise ValueError("Y for softmax cross-entropy must be a distribution (>= 0)")
    if for_sgd and labels:
        if not (np.all(T.sum(axis=0) == 1) and np.all((T == 0) | (T == 1))):
            raise ValueError(
                "Y for softmax cross-entropy training must be one-hot (or class labels)"
            )
        T = np.argmax(T, axis=0)  # the fast kernel works with the label of a one-hot y
    return T
