"""The playground of lesson 07: retrain a small network on every change, and draw what happened.

The computation is plain functions on plain data, so that tests can drive it without a browser:

* :class:`Settings` is one position of every slider (α, hidden sizes, g, data set, epochs, seed);
* :func:`train` runs :func:`mlpcore.train.sgd` for those settings and returns a :class:`Run`,
  turning divergence into a plain message instead of NaN curves;
* :class:`Playground` holds the current run and can also apply one per-sample step of
  section 3.1 at a time (:func:`mlpcore.train.step`);
* :func:`figure` draws the loss curve of L̃_0, the decision boundary and the network diagram
  (edge widths ``|w^(k)|``, node shading ``dL^(k)`` of one sample).

:class:`mlpcore.playground_app.App` wraps them in ipywidgets (imported only there). Like
:mod:`mlpcore.plots`, this module imports matplotlib; the core modules never import it.
"""

from __future__ import annotations

import base64
import functools
import io
import math
import os
import time
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from . import data as _data
from ._validate import check_alpha, check_positive_int
from .activations import ACTIVATIONS
from .backward import dL as _dL
from .forward import forward
from .losses import softmax_cross_entropy
from .network import Network
from .train import DivergenceError, History, mean_loss, sgd, step

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


def train(settings: Settings) -> Run:
    """Build ``Network(sizes, g, seed)`` and run ``sgd`` for the settings (per-sample steps).

    Divergence is the :class:`~mlpcore.train.DivergenceError` of ``sgd`` (a loss or parameter that
    stops being finite, or one sample's loss above sgd's default limit), or, checked here after
    each epoch, a mean loss above ``CLIMB`` × its value before training. ``sgd``'s own
    ``loss_limit`` applies to single samples too, which legitimately spike, so the epoch rule
    is a callback rather than a tighter ``loss_limit``.
    """
    ds = problem(settings.dataset).train
    net = Network(sizes(settings), settings.g, seed=settings.seed)

    def climbing(epoch, net, history):
        if history.loss[-1] > CLIMB * history.loss[0]:
            raise DivergenceError(settings.alpha, epoch, ds.n, history.loss[-1], history)

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

    def retrain(self, settings: Settings | None = None) -> Run:
        self.settings = settings or self.settings
        self.run = train(self.settings)
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


# -- figures --------------------------------------------------------------------------------------
class _Lifted:
    """The network seen from the picture's plane (duck-types ``net(X)`` for decision_boundary)."""

    def __init__(self, net, lift):
        self.net, self.lift = net, lift

    def __call__(self, G):
        with np.errstate(all="ignore"):
            out = self.net(self.lift(G))
        return np.nan_to_num(out, nan=0.0, posinf=1e300, neginf=-1e300)


def sample_dL(run: Run) -> list:
    """[None, dL^(1), ..., dL^(p)] of the run's current sample, or None if not finite."""
    ds = problem(run.settings.dataset).train
    x, y = ds.X[:, run.sample], ds.Y[:, run.sample]
    with np.errstate(all="ignore"):
        tr = forward(run.net.w, run.net.b, run.net.g, x, trace=True)
        d = _dL(run.net.w, run.net.g, tr.z, y, LOSS)
    return d if all(np.isfinite(v).all() for v in d[1:]) else None


_WIDTH = {"loss": 1.0, "boundary": 0.85, "network": 1.4}  # relative panel widths


def figure(
    run: Run, panels=("loss", "boundary", "network"), width: float = 4.3, ylim=None, labels=True
):
    """A matplotlib Figure (not attached to pyplot) with the requested panels of ``run``.

    ``ylim`` fixes the loss axis (the flip-book uses one range for every frame); ``labels``
    is passed to :func:`mlpcore.plots.draw_network` (its notation labels take time to typeset).
    """
    from matplotlib.figure import Figure

    from . import plots

    # Fixed margins: a constrained layout measures every label and doubled the drawing time.
    unknown = [panel for panel in panels if panel not in _WIDTH]
    if unknown or not panels:
        raise ValueError(f"panels must be some of {tuple(_WIDTH)}, got {tuple(panels)}")
    ratios = [_WIDTH[panel] for panel in panels]
    fig = Figure(figsize=(width * sum(ratios), 3.6))
    fig.subplots_adjust(
        left=0.8 / (width * sum(ratios)), right=0.99, bottom=0.14, top=0.9, wspace=0.12
    )
    axes = fig.subplots(1, len(panels), squeeze=False, width_ratios=ratios)[0]
    pr = problem(run.settings.dataset)
    for ax, panel in zip(axes, panels, strict=True):
        if panel == "loss":
            _loss_panel(ax, run, plots, ylim)
        elif panel == "boundary":
            plots.decision_boundary(
                _Lifted(run.net, pr.lift), pr.P, pr.train.labels, ax=ax, resolution=120
            )
            where = " (PCA plane)" if pr.P is not pr.train.X else ""
            ax.set_title(f"boundary{where}, training accuracy {run.accuracy:.1%}", fontsize=9)
        else:
            values = sample_dL(run)
            plots.draw_network(
                run.net.s,
                ax=ax,
                w=run.net.w,
                node_values=values,
                max_nodes=7,
                labels=labels and run.net.p <= 2,  # deeper: the notation labels would collide
            )
            ax.set_title(f"edges |w⁽ᵏ⁾|, nodes dL⁽ᵏ⁾ of sample m = {run.sample}", fontsize=9)
    return fig


def _loss_panel(ax, run: Run, plots, ylim=None) -> None:
    from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullFormatter

    plots.loss_curve(run.history, ax=ax)
    # Decades only, written 0.01, 0.1, 1: plain text, no TeX-like typesetting for every frame.
    if ylim is not None:
        ax.set_ylim(*ylim)  # a fixed range of several decades: label the decades only
    else:
        ax.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    n = problem(run.settings.dataset).train.n
    if run.step_loss:
        e0 = run.history.epochs
        xs = e0 + np.arange(1, len(run.step_loss) + 1) / n  # a step is 1/n of an epoch
        ax.plot(xs, run.step_loss, ".", color="C1", label="manual steps")
        ax.legend(fontsize=8)
    if run.diverged and run.bad_epoch is not None:
        finite = [v for v in run.history.loss if math.isfinite(v)]
        top = max(finite) * 3 if finite else 10.0
        shown = run.bad_value if run.bad_value is not None and run.bad_value < top else top
        ax.plot([run.bad_epoch], [shown], "x", color="red", ms=10, mew=2)
        ax.annotate(
            "diverged",
            (run.bad_epoch, shown),
            color="red",
            fontsize=9,
            xytext=(-50, -4),
            textcoords="offset points",
        )
    s = run.settings
    ax.set_title(f"α = {s.alpha:.3g}, g = {s.g}, {s.dataset}", fontsize=9)


def png(fig, dpi: int = 72) -> bytes:
    """Render a Figure to PNG bytes without pyplot (so nothing leaks into a notebook)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def data_url(png_bytes: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png_bytes).decode("ascii")


def show(run: Run, panels=("loss", "boundary", "network")):
    """An IPython Image of the run (for the notebook's static cells)."""
    from IPython.display import Image

    return Image(data=png(figure(run, panels), dpi=80))


def in_voila() -> bool:
    """True inside a Voila kernel (Voila puts SERVER_SOFTWARE=voila/<version> in its env)."""
    return os.environ.get("SERVER_SOFTWARE", "").startswith("voila/")


def solves(settings: Settings) -> bool:
    """Whether training with ``settings`` reaches SOLVED training accuracy without diverging."""
    run = train(settings)
    return not run.diverged and run.accuracy >= SOLVED


def __getattr__(name):
    # The widgets live in their own module, imported on first use, so that importing this
    # module needs matplotlib only, never ipywidgets.
    if name == "App":
        from .playground_app import App

        return App
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DATASETS",
    "Playground",
    "Problem",
    "Run",
    "Settings",
    "data_url",
    "figure",
    "in_voila",
    "png",
    "problem",
    "show",
    "sizes",
    "solves",
    "train",
]
