"""The playground of lesson 08: retrain a small network on every change (the computation only).

The computation is plain functions on plain data, so that tests can drive it without a browser:

* :class:`Settings` is one position of every slider (α, hidden sizes, g, data set, epochs, seed);
* :func:`train` runs :func:`mlpcore.train.sgd` for those settings and returns a :class:`Run`,
  turning divergence into a plain message instead of NaN curves;
* :class:`Playground` holds the current run and can also apply one per-sample step of
  section 3.1 at a time (:func:`mlpcore.train.step`);
* :func:`sample_dL` gives the dL^(k) of the run's current sample, which the diagram shades.

:mod:`mlpcore.course.playground.figures` draws a run with matplotlib (the loss curve of L̃_0,
the decision boundary, the network diagram) and :mod:`mlpcore.course.playground.app` wraps both
in ipywidgets; this module imports neither, so a run can be computed (and tested) without them.

(About 270 lines: the settings, the data sets as the playground shows them, a training run
and the step-by-step Playground; each is small, and they share the Settings.)
"""

from __future__ import annotations

import functools
import math
import os
import time
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from mlpcore import data as _data
from mlpcore._validate import check_alpha, check_positive_int
from mlpcore.activations import ACTIVATIONS
from mlpcore.backward import dL as _dL
from mlpcore.forward import forward
from mlpcore.losses import softmax_cross_entropy
from mlpcore.network import Network
from mlpcore.train import DivergenceError, History, mean_loss, sgd, step

DATASETS = ("xor", "circles", "moons", "spirals", "digits")
LOSS = softmax_cross_entropy  # one output per class, z^(p) read through a softmax
CLIMB = 5.0  # the mean loss climbing above CLIMB × its start counts as divergence
DIGITS = 500  # training images of digits used by the playground
SOLVED = 0.95  # training accuracy at which a data set counts as solved (exercise 2)


@dataclass(frozen=True)
class Settings:
    """One position of every control. ``hidden`` = (s_1, ..., s_{p-1}); () is a linear model."""

    dataset: str = "circles"
    hidden: tuple = (8,)
    g: str = "tanh"
    alpha: float = 0.1
    epochs: int = 30
    seed: int = 0

    def __post_init__(self):
        if self.dataset not in DATASETS:
            raise ValueError(f"dataset must be one of {DATASETS}, got {self.dataset!r}")
        if self.g not in ACTIVATIONS:
            raise ValueError(f"g (the activation) must be one of {sorted(ACTIVATIONS)}")
        hidden = tuple(
            check_positive_int(f"hidden[{k}] (size s_{k + 1})", v)
            for k, v in enumerate(self.hidden)
        )
        object.__setattr__(self, "hidden", hidden)
        object.__setattr__(self, "alpha", check_alpha(self.alpha))
        object.__setattr__(self, "epochs", check_positive_int("epochs", self.epochs, minimum=0))
        object.__setattr__(self, "seed", check_positive_int("seed", self.seed, minimum=0))


class Problem(NamedTuple):
    """A data set to train on, and how to picture it in the plane.

    ``train.X`` is (s_0, n). ``P`` (2, n) are the points drawn; ``lift`` maps plane points (2, m)
    to network inputs (s_0, m). For the 2-D sets both are the identity; for digits ``P`` is the
    projection of the 64 pixels on their first two principal axes, and ``lift`` goes back.
    """

    train: _data.DataSet
    P: np.ndarray
    lift: object


@functools.cache
def problem(name: str) -> Problem:
    """The data of ``name`` (fixed data seed 0; the playground's seed moves the network only)."""
    if name not in DATASETS:
        raise ValueError(f"dataset must be one of {DATASETS}, got {name!r}")
    if name != "digits":
        ds = _data.TOY_SETS[name](seed=0)
        return Problem(ds, ds.X, lambda G: G)
    # Training is on all 64 pixels; the plane is for the picture only. The first DIGITS
    # training images keep a retrain near a second.
    full = _data.digits()[0]
    ds = _data.DataSet(full.X[:, :DIGITS], full.labels[:DIGITS], full.n_classes)
    mu = ds.X.mean(axis=1)
    _, _, Vt = np.linalg.svd((ds.X - mu[:, None]).T, full_matrices=False)
    V = Vt[:2]  # (2, 64): the two principal axes of the pixel cloud
    return Problem(ds, V @ (ds.X - mu[:, None]), lambda G: mu[:, None] + V.T @ G)


def sizes(settings: Settings) -> tuple[int, ...]:
    """s = (s_0, s_1, ..., s_p): input size, the hidden sizes, one output per class."""
    ds = problem(settings.dataset).train
    return (ds.X.shape[0], *settings.hidden, ds.n_classes)


@dataclass
class Run:
    """What one retrain produced. ``message`` is '' unless training diverged."""

    settings: Settings
    net: Network
    history: History
    diverged: bool = False
    message: str = ""
    bad_epoch: int | None = None
    bad_value: float | None = None
    seconds: float = 0.0
    step_loss: list = field(default_factory=list)  # mean L̃_0 after each manual step
    sample: int = 0  # the sample whose dL^(k) the diagram shades

    @property
    def final_loss(self) -> float:
        """The last mean loss L̃_0 over the training set (after the manual steps, if any)."""
        return self.step_loss[-1] if self.step_loss else self.history.loss[-1]

    @property
    def accuracy(self) -> float:
        ds = problem(self.settings.dataset).train
        with np.errstate(all="ignore"):
            return float(np.mean(self.net.predict(ds.X) == ds.labels))


def train(settings: Settings, on_epoch=None) -> Run:
    """Build ``Network(sizes, g, seed)`` and run ``sgd`` for the settings (per-sample steps).

    Divergence is the :class:`~mlpcore.train.DivergenceError` of ``sgd`` (a loss or parameter that
    stops being finite, or one sample's loss above sgd's default limit), or, checked here after
    each epoch, a mean loss above ``CLIMB`` × its value before training. ``sgd``'s own
    ``loss_limit`` applies to single samples too, which legitimately spike, so the epoch rule
    is a callback rather than a tighter ``loss_limit``.

    ``on_epoch(run)``, if given, is called after each epoch with the run so far (its network is
    the one being trained, its history the epochs done): the Jupyter app draws from it while
    training goes on.
    """
    ds = problem(settings.dataset).train
    net = Network(sizes(settings), settings.g, seed=settings.seed)

    def climbing(epoch, net, history):
        if history.loss[-1] > CLIMB * history.loss[0]:
            raise DivergenceError(settings.alpha, epoch, ds.n, history.loss[-1], history)
        if on_epoch is not None:
            run.history = history
            on_epoch(run)

    t0 = time.perf_counter()
    run = Run(settings, net, History(alpha=settings.alpha))
    with np.errstate(all="ignore"):
        try:
            run.history = sgd(
                net,
                ds.X,
                ds.labels,
                LOSS,
                settings.alpha,
                settings.epochs,
                seed=settings.seed,
                progress=False,
                callback=climbing,
                epoch_loss="exact",  # the loss over the training set, like the manual steps'
            )
        except DivergenceError as exc:
            run.history, run.diverged = exc.history, True
            run.bad_epoch, run.bad_value = exc.epoch, float(exc.value)
            run.message = divergence_message(settings.alpha, exc.epoch, exc.history, exc.value)
    run.seconds = time.perf_counter() - t0
    return run


def divergence_message(alpha: float, epoch: int, history: History, value: float) -> str:
    """The plain sentence a student reads instead of a NaN plot."""
    start = history.loss[0]
    reached = "infinity" if not math.isfinite(value) else f"{value:.3g}"
    return (
        f"Training diverged with α = {alpha:.3g}: in epoch {epoch} the loss climbed from "
        f"{start:.3g} to {reached}. Each step overshoots the minimum it aims at, so the next "
        "gradient is larger, and so on. Training was stopped; choose a smaller α."
    )


class Playground:
    """The current run, plus the "step" button: one per-sample update of section 3.1 at a time."""

    def __init__(self, settings: Settings | None = None):
        self.retrain(settings or Settings())

    def retrain(self, settings: Settings | None = None, on_epoch=None) -> Run:
        self.settings = settings or self.settings
        self.run = train(self.settings, on_epoch)
        self._order = np.random.default_rng(self.settings.seed + 1).permutation(
            problem(self.settings.dataset).train.n
        )
        self._next = 0
        return self.run

    def step(self) -> str:
        """Apply w^(k) ← w^(k) − α dW^(k), b^(k) ← b^(k) − α dB^(k) for the next sample.

        Returns a one-line account of the step (or why it was refused).
        """
        run = self.run
        if run.diverged:
            return "The last training diverged: choose a smaller α before stepping."
        ds = problem(self.settings.dataset).train
        m = int(self._order[self._next % ds.n])
        self._next += 1
        x, y = ds.X[:, m], ds.Y[:, m]
        with np.errstate(all="ignore"):
            before = step(run.net, x, y, LOSS, self.settings.alpha)
            after = LOSS.L(y, run.net(x))
            run.step_loss.append(mean_loss(run.net, ds.X, ds.Y, LOSS))
        run.sample = m
        if not all(np.isfinite(wk).all() for wk in run.net.w) or not math.isfinite(run.final_loss):
            run.diverged = True
            run.message = "That step made the parameters non-finite: choose a smaller α."
        return (
            f"step {len(run.step_loss)}: sample m = {m} (class {ds.labels[m]}), "
            f"L before = {before:.4g}, after = {after:.4g}; mean L̃₀ = {run.final_loss:.6g}"
        )


def sample_dL(run: Run) -> list:
    """[None, dL^(1), ..., dL^(p)] of the run's current sample, or None if not finite."""
    ds = problem(run.settings.dataset).train
    x, y = ds.X[:, run.sample], ds.Y[:, run.sample]
    with np.errstate(all="ignore"):
        tr = forward(run.net.w, run.net.b, run.net.g, x, trace=True)
        d = _dL(run.net.w, run.net.g, tr.z, y, LOSS)
    return d if all(np.isfinite(v).all() for v in d[1:]) else None


def in_voila() -> bool:
    """True inside a Voila kernel (Voila puts SERVER_SOFTWARE=voila/<version> in its env)."""
    return os.environ.get("SERVER_SOFTWARE", "").startswith("voila/")


def solves(settings: Settings) -> bool:
    """Whether training with ``settings`` reaches SOLVED training accuracy without diverging."""
    run = train(settings)
    return not run.diverged and run.accuracy >= SOLVED


__all__ = [
    "CLIMB",
    "DATASETS",
    "DIGITS",
    "LOSS",
    "SOLVED",
    "Playground",
    "Problem",
    "Run",
    "Settings",
    "in_voila",
    "problem",
    "sample_dL",
    "sizes",
    "solves",
    "train",
]
