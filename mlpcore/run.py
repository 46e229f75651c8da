"""The run machinery of :func:`mlpcore.sgd`, the same for every backend: the epochs and their
progress bar, the History, snapshot and replay after a divergence, and Ctrl-C at a step boundary.

A backend (``"fast"``: :class:`mlpcore.fast.Fast`; ``"plain"``: :class:`mlpcore.train.Plain`) is
built as ``Backend(net, loss, batch_size, data)`` and offers:

* ``load(net)`` / ``store(net)``: take the parameters from ``net`` / write them back into it;
* ``snapshot()``, ``restore(snapshot)``, ``finite()``: for the replay after a divergence;
* ``close()``: the run is over, whatever its end (the fast backend hands its buffers on);
* ``steps(data, order, start, stop, alpha, limit, flag, safe=False)``: steps ``start..stop-1`` of
  an epoch whose samples come in ``order`` (step j takes the batch ``order[j m : (j+1) m]``).
  Before each step it computes the step's loss (the mean over its batch) and raises
  :class:`Diverging` unless it is <= ``limit``. It stops early when ``flag[0]`` is set (a
  Ctrl-C) and, with ``safe``, before applying a step whose parameters would not all be finite.
  Returns (steps taken, sum of the per-sample losses of those steps).

``data`` has ``X`` (s_0, n) of any float dtype and memory order, ``n``, and ``T``: class labels
(n,) or targets (s_p, n). No backend copies the whole of it.

(About 280 lines: the History that a run fills and the DivergenceError that it raises live here
with it, so that the backends need nothing from :mod:`mlpcore.train`.)
"""

from __future__ import annotations

import math
import signal
import sys
import threading
import time
from dataclasses import dataclass, field

import numpy as np

from .forward import forward


class Diverging(Exception):
    """A backend's signal: step ``step`` of the call would start from a loss above the limit."""

    def __init__(self, step: int, value: float):
        self.step, self.value = step, value


@dataclass
class History:
    """What :func:`mlpcore.sgd` did: ``loss[e]`` the loss of epoch e, ``loss[0]`` before training.

    With ``epoch_loss="running"`` (sgd's default) ``loss[e]`` is the mean, over the samples of
    epoch e, of the loss that each step computed on its batch just before it moved (as
    scikit-learn's ``loss_curve_``): free, but it lags the parameters by up to an epoch and is
    noisy. ``loss[0]`` is the loss before any step: with ``batch_size=1`` the mean over the first
    min(n, 256) samples of epoch 1's order (all of them, the exact figure, when n <= 256); with
    a mini-batch, the mean over the first batch, which the first step computes anyway. With
    ``"exact"``, ``loss[e]`` is the mean of L̃_0 over the whole training set after e epochs
    (eq-objective), which costs one forward pass over the data per epoch.
    """

    loss: list = field(default_factory=list)
    alpha: float = float("nan")
    batch_size: int = 1
    steps: int = 0
    interrupted: bool = False
    seconds: float = 0.0
    epoch_loss: str = "running"

    @property
    def epochs(self) -> int:
        return max(len(self.loss) - 1, 0)


class DivergenceError(FloatingPointError):
    """Training stopped because the loss or a parameter stopped being finite (or exploded).

    The network keeps the parameters of the last finite step. ``alpha``, ``epoch`` (1-based),
    ``step`` (the sample of that epoch), ``value``, ``limit`` and ``history`` (epochs completed
    before) are attributes.
    """

    def __init__(self, alpha, epoch, step, value, history, limit=None):
        self.alpha, self.epoch, self.step, self.value = alpha, epoch, step, value
        self.history, self.limit = history, limit
        above = f", above the loss limit {limit:.3g}" if limit is not None else ""
        super().__init__(
            f"training diverged with alpha={alpha:g} in epoch {epoch} (sample {step} of that "
            f"epoch): the loss became {value:.3g}{above}. The parameters of the last finite "
            "step were kept. Try a smaller alpha."
        )


def columns(data, idx, sp: int) -> tuple[np.ndarray, np.ndarray]:
    """The samples ``idx`` as columns: X (s_0, r) and targets Y (s_p, r), one-hot for labels."""
    if data.T.ndim == 1:
        Y = np.zeros((sp, idx.size))
        Y[data.T[idx], np.arange(idx.size)] = 1.0
    else:
        Y = data.T[:, idx]
    return data.X[:, idx], Y


def chunk_size(data, m: int) -> int:
    """How many samples a backend gathers at a time: at most 256, about 1/64 of the data's bytes
    (so that training adds less than 10 % of the data), but at least 4 batches of m and 16 kB:
    each chunk costs a few numpy calls, which must stay small beside its steps."""
    per_sample = 8 * (data.X.shape[0] + 1)
    share = data.X.nbytes // (64 * per_sample)
    return m * max(1, min(256, max(share, 4 * m, 16384 // per_sample)) // m)


def mean_loss_of(net, data, loss, idx, chunk: int) -> float:
    """Mean of L over the samples ``idx``, a chunk of columns at a time (inf if not finite)."""
    total = 0.0
    for lo in range(0, idx.size, chunk):  # (inside a Run, which ignores overflow)
        X, Y = columns(data, idx[lo : lo + chunk], net.s[-1])
        total += loss.L(Y, forward(net.w, net.b, net.g, X))
    value = total / idx.size
    return value if math.isfinite(value) else math.inf


class Run:
    """One call of sgd on a backend, as a context: ``with Run(...) as run: for epoch in ...``.

    Inside it SIGINT is held: a Ctrl-C (or several) stops training at the next step boundary.
    Then the handler that was installed before runs, if it is one of Python's own; when it
    raises KeyboardInterrupt (the default does), or when there was none, the run ends and sgd
    returns the History with ``interrupted=True``; SIG_IGN stays ignored.
    """

    def __init__(self, Backend, net, data, loss, history: History, progress: bool):
        self.Backend, self.net, self.data, self.loss = Backend, net, data, loss
        self.chunk = chunk_size(data, 1)  # for the loss passes, before the backend exists
        self.history, self.progress = history, progress
        self.flag, self.previous, self.bar, self.epoch = [False], None, None, 0
        self.backend = None  # built by start()

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            previous = signal.getsignal(signal.SIGINT)
            if previous is not signal.SIG_IGN:
                self.previous = previous
                signal.signal(signal.SIGINT, self._hold)
        self.errors = np.errstate(all="ignore")  # overflow is detected and handled, not warned
        self.errors.__enter__()
        self.t0 = time.perf_counter()
        return self

    def _hold(self, signum, frame):
        self.flag[0] = True

    def __exit__(self, kind, exc, tb):
        interrupted = kind is not None and issubclass(kind, KeyboardInterrupt)
        self.history.interrupted |= interrupted
        self.history.seconds = time.perf_counter() - self.t0
        if self.backend is not None:
            self.backend.close()
        if self.bar is not None:
            self.bar.close()
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)
        self.errors.__exit__(None, None, None)
        return interrupted  # a KeyboardInterrupt ends the run; sgd returns the History

    def _interrupted(self):
        """A Ctrl-C came; we stand at a step boundary. Do what the previous handler does."""
        self.flag[0] = False
        if callable(self.previous) and self.previous is not signal.default_int_handler:
            self.previous(signal.SIGINT, None)  # if it returns, training goes on
        else:
            raise KeyboardInterrupt

    def start(self, order, loss_limit: float | None, epochs: int = 1) -> None:
        """Build the backend and set ``self.limit``; record loss[0] (see :class:`History`).

        For a mini-batch, loss[0] is the first batch's loss, which the first step computes
        anyway before it moves anything: loss[0] and the default limit are taken from it then,
        at no cost.
        """
        self.limit, m = loss_limit, self.history.batch_size
        count = min(order.size, 256 if m == 1 else m)
        self.first = (
            epochs > 0 and self.history.epoch_loss != "exact" and (m > 1 or order.size == 1)
        )
        if not self.first:  # before the backend's buffers exist: the two peaks do not add up
            idx = order if self.history.epoch_loss == "exact" else order[:count]
            self._initial(mean_loss_of(self.net, self.data, self.loss, idx, self.chunk))
        self.backend = self.Backend(self.net, self.loss, self.history.batch_size, self.data)

    def _initial(self, value: float) -> None:
        """loss[0]; the default limit, 1e3 × max(loss[0], 1)."""
        if not math.isfinite(value):
            raise ValueError(
                "the loss of the network before training is not finite on this data: the values "
                f"of X (up to {np.max(np.abs(self.data.X)):.3g}) or of the targets overflow "
                f"the network's {self.net.dtype} products; scale the data"
            )
        self.history.loss.append(value)
        if self.limit is None:
            self.limit = 1e3 * max(value, 1.0)

    def _first_step(self, order, alpha: float) -> tuple[int, float]:
        """Step 0 of epoch 1, whose batch loss is loss[0] (see :meth:`start`)."""
        self.first, r = False, min(self.history.batch_size, order.size)
        limit = self.limit if self.limit is not None else sys.float_info.max  # inf, NaN: no
        try:
            taken, total = self.backend.steps(self.data, order, 0, 1, alpha, limit, self.flag)
        except Diverging as exc:
            if self.limit is None:
                self._initial(math.inf)  # raises: not finite
            self.history.loss.append(exc.value)  # above the caller's loss_limit
            raise
        if not taken:  # a Ctrl-C before it: the same samples, the plain way
            total = r * mean_loss_of(self.net, self.data, self.loss, order[:r], self.chunk)
        self._initial(total / r)
        return taken, total if taken else 0.0

    def epochs(self, epochs: int):
        """Epoch numbers 1..epochs; a Ctrl-C between two epochs stops here."""
        self.bar = _progress_bar(epochs) if self.progress else None
        for self.epoch in range(1, epochs + 1):
            if self.flag[0]:
                self._interrupted()
            yield self.epoch
            if self.bar is not None:
                self.bar.update(1)
                self.bar.set_postfix(loss=f"{self.history.loss[-1]:.4g}")

    def steps(self, order, alpha: float) -> float:
        """Every step of one epoch (eq-update); returns the running mean of their losses."""
        backend, history, m = self.backend, self.history, self.history.batch_size
        count, snapshot, done, total = -(-order.size // m), backend.snapshot(), 0, 0.0
        steps0 = history.steps
        try:
            if self.first:
                done, total = self._first_step(order, alpha)
                history.steps = steps0 + done
            limit = self.limit
            while done < count:
                taken, value = backend.steps(self.data, order, done, count, alpha, limit, self.flag)
                done, total, history.steps = done + taken, total + value, steps0 + done + taken
                if done < count:
                    self._interrupted()  # at a step boundary; returns if training goes on
            if not backend.finite():  # the last step overflowed
                raise Diverging(count - 1, math.inf)
        except Diverging as exc:
            kept = self._replay(snapshot, order, exc.step, alpha)
            history.steps = steps0 + kept
            raise DivergenceError(
                alpha, self.epoch, kept * m, exc.value, history, self.limit
            ) from None
        except KeyboardInterrupt:
            if not backend.finite():
                history.steps = steps0 + self._replay(snapshot, order, done, alpha)
            raise
        finally:
            backend.store(self.net)
        return float(total / order.size)

    def _replay(self, snapshot, order, stop: int, alpha: float) -> int:
        """From the epoch's start, the steps before ``stop`` (deterministic), never applying a
        non-finite one: the network ends on the last finite parameters."""
        self.backend.restore(snapshot)
        try:
            taken, _ = self.backend.steps(
                self.data, order, 0, stop, alpha, math.inf, [False], safe=True
            )
        except Diverging as exc:  # a NaN loss: the step before it was the last finite one
            taken = exc.step
        return taken

    def exact_loss(self, order) -> float:
        return mean_loss_of(self.net, self.data, self.loss, order, self.chunk)

    def callback(self, callback) -> None:
        """``callback(epoch, net, history)``; training goes on from the parameters it leaves."""
        callback(self.epoch, self.net, self.history)
        self.backend.load(self.net)


def _progress_bar(epochs: int):
    try:
        from tqdm.auto import tqdm
    except ImportError:  # tqdm is an optional dependency (the "course" extra)
        return None
    return tqdm(total=epochs, desc="epochs", unit="epoch", leave=False)
