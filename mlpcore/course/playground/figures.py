"""The playground's pictures: loss curve, decision boundary and network diagram of a run.

:func:`show` (the lesson's static cells) draws each panel as its own SVG of a phone's width,
with a description computed from the run, so that the panels sit side by side where the column
allows it and stack on a phone (the Jupyter app draws in the browser instead, through
:mod:`mlpcore.course.playground.widget`). This module imports matplotlib (inside the functions
that draw); :mod:`mlpcore.course.playground.runs` computes what is drawn without it.
"""

from __future__ import annotations

import math

import numpy as np

from .. import figures as plots
from .runs import Run, problem, sample_dL


class _Lifted:
    """The network seen from the picture's plane (duck-types ``net(X)`` for decision_boundary)."""

    def __init__(self, net, lift):
        self.net, self.lift = net, lift

    def __call__(self, G):
        with np.errstate(all="ignore"):
            out = self.net(self.lift(G))
        return np.nan_to_num(out, nan=0.0, posinf=1e300, neginf=-1e300)


def _draw(ax, run: Run, panel: str, ylim=None, labels=True) -> None:
    """Draw one panel of ``run`` on ``ax``; the helpers record what it shows on the figure."""
    pr = problem(run.settings.dataset)
    if panel == "loss":
        _loss_panel(ax, run, plots, ylim)
    elif panel == "boundary":
        plots.decision_boundary(
            _Lifted(run.net, pr.lift), pr.P, pr.train.labels, ax=ax, resolution=120
        )
        where = " (PCA plane)" if pr.P is not pr.train.X else ""
        ax.set_title(f"boundary{where}\ntraining accuracy {run.accuracy:.1%}")
    else:
        plots.draw_network(
            run.net.s,
            ax=ax,
            w=run.net.w,
            node_values=sample_dL(run),
            max_nodes=7,
            labels=labels and run.net.p <= 2,  # deeper: the notation labels would collide
            value_label="dL⁽ᵏ⁾ of the sample",
        )
        ax.set_title(f"edges |w⁽ᵏ⁾|, nodes dL⁽ᵏ⁾\nof training sample m = {run.sample}")


# Each panel as its own figure (inches): loss and boundary fit side by side in the book's
# 688 px column, and each fits a phone's 358 px column with its text at 10.5 pt or more.
_SIZE = {"loss": (3.4, 3.2), "boundary": (3.2, 3.4), "network": (3.6, 5.2)}


def panel_figure(run: Run, panel: str, ylim=None, labels=True):
    """One panel of ``run`` as a Figure of its own (not attached to pyplot)."""
    from matplotlib.figure import Figure

    if panel not in _SIZE:
        raise ValueError(f"panel must be one of {tuple(_SIZE)}, got {panel!r}")
    fig = Figure(figsize=_SIZE[panel])
    ax = fig.subplots()
    if panel == "network":  # the diagram's captions need the whole width
        fig.subplots_adjust(left=0.01, right=0.99, bottom=0.02, top=0.88)
    _draw(ax, run, panel, ylim, labels)
    if panel != "network":
        fig.tight_layout()
    return fig


def describe_run(run: Run) -> str:
    """The run in words, from its settings and its history (the start of each panel's alt text)."""
    s = run.settings
    hidden = ", ".join(str(v) for v in s.hidden) or "none"
    text = f"playground run on {s.dataset}, α = {s.alpha:g}, g = {s.g}, hidden layers {hidden}"
    if run.diverged:
        text += f"; {run.message}"
    return text


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
        ax.legend()
    if run.diverged and run.bad_epoch is not None:
        finite = [v for v in run.history.loss if math.isfinite(v)]
        top = max(finite) * 3 if finite else 10.0
        shown = run.bad_value if run.bad_value is not None and run.bad_value < top else top
        ax.plot([run.bad_epoch], [shown], "x", color="red", ms=10, mew=2)
        ax.annotate(
            "diverged",
            (run.bad_epoch, shown),
            color="red",
            xytext=(-60, -4),
            textcoords="offset points",
        )
    s = run.settings
    ax.set_title(f"α = {s.alpha:.3g}, g = {s.g}, {s.dataset}")


def show(run: Run, panels=("loss", "boundary", "network")) -> None:
    """Display each panel of the run as its own SVG, described from the run (the notebook's
    static cells; tag the cell ``panels`` so that the book lays them out side by side)."""
    for panel in panels:
        fig = panel_figure(run, panel)
        plots.show(fig, alt=describe_run(run))


__all__ = ["describe_run", "panel_figure", "show"]
