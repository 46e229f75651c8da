"""The playground's three pictures in Jupyter, drawn by the book's own front end.

:class:`LiveView` is an `anywidget <https://anywidget.dev>`_ whose front end is the code that
draws the book's live page (``web/views.js``) followed by ``web/widget.js``, shipped inside the
package (no CDN). The kernel trains with mlpcore; :meth:`LiveView.show` sends only numbers:

* ``loss``: the mean L̃_0 over the training set after each epoch, ``[[epoch, loss], ...]``, and
  ``steps``, the same after each manual step;
* ``boundary``: the predicted class argmax z^(p) and its softmax probability on a ``GRID`` ×
  ``GRID`` grid of the picture's plane, with ``points``, the training points ``[x0, x1, class]``;
* ``s``, ``w`` (each w^(k) row-major, (s_{k+1}, s_k)) and ``dL`` ([None, dL^(1), ..., dL^(p)]
  of one sample, ``sample_dL``) for the network diagram;

then raises ``frame``, on which the browser redraws. Drawing there takes a few milliseconds,
where matplotlib took most of a second.
"""

from __future__ import annotations

import math
from importlib import resources

import anywidget
import numpy as np
import traitlets

from .runs import Run, problem, sample_dL

GRID = 56  # cells per side of the decision boundary's grid at most, as on the book's page


def _web(name: str) -> str:
    return (resources.files("mlpcore.course.playground") / "web" / name).read_text("utf-8")


def _finite(values, digits: int = 6) -> list:
    """A JSON-safe list: rounded, and None where a value is not finite (a diverged loss)."""
    a = np.round(np.asarray(values, dtype=float), digits)
    if np.isfinite(a).all():
        return a.tolist()
    return [v if math.isfinite(v) else None for v in a.tolist()]


def grid_size(s) -> int:
    """Cells per side of the boundary's grid: GRID, fewer for a large network (about 6e6
    products in all, the rule of the book's page)."""
    macs = sum(a * b for a, b in zip(s[:-1], s[1:], strict=False))
    return max(16, min(GRID, round(math.sqrt(6e6 / macs))))


def boundary(run: Run, grid: int | None = None) -> dict:
    """The decision boundary on the grid of the picture's plane, as views.js draws it.

    Returns ``{"bounds": [lo, hi], "grid", "C", "best", "conf"}``: the square [lo, hi]² holds
    the training points ``P`` (2, n); ``best`` (grid²,) is argmax z^(p) at each cell, row 0 at the
    top, and ``conf`` its softmax probability (`eq-softmax-xent`).
    """
    pr = problem(run.settings.dataset)
    grid = grid or grid_size(run.net.s)
    lo = math.ceil((float(np.abs(pr.P).max()) + 0.25) * 2) / 2
    centres = -lo + (np.arange(grid) + 0.5) / grid * 2 * lo
    G0, G1 = np.meshgrid(centres, centres[::-1])  # row 0 at the top: largest x1
    G = np.vstack([G0.ravel(), G1.ravel()])  # (2, grid²), samples as columns
    with np.errstate(all="ignore"):
        Z = run.net(pr.lift(G))  # z^(p), (C, grid²)
        Z = np.nan_to_num(Z, nan=0.0, posinf=1e300, neginf=-1e300)
        best = np.argmax(Z, axis=0)
        conf = 1.0 / np.exp(Z - Z.max(axis=0)).sum(axis=0)
    return {
        "bounds": [-lo, lo],
        "grid": grid,
        "C": int(Z.shape[0]),
        "best": best.tolist(),
        "conf": np.round(np.nan_to_num(conf), 3).tolist(),
    }


class LiveView(anywidget.AnyWidget):
    """Loss curve, decision boundary and network diagram of a run, drawn in the browser."""

    _esm = _web("views.js") + "\n" + _web("widget.js")
    _css = _web("playground.css")

    frame = traitlets.Int(0).tag(sync=True)
    loss = traitlets.List().tag(sync=True)
    steps = traitlets.List().tag(sync=True)
    boundary = traitlets.Dict().tag(sync=True)
    points = traitlets.List().tag(sync=True)
    s = traitlets.List().tag(sync=True)
    w = traitlets.List().tag(sync=True)
    dL = traitlets.List(allow_none=True).tag(sync=True)
    captions = traitlets.Dict().tag(sync=True)

    def show(self, run: Run) -> None:
        """Send the numbers of ``run``, then raise ``frame``: one message, one redraw."""
        pr = problem(run.settings.dataset)
        n = pr.train.n
        e0 = len(run.history.loss) - 1
        dL = sample_dL(run)
        b = boundary(run)
        accuracy = f"training accuracy {run.accuracy:.1%}"
        s = run.settings
        where = " (plane of the first two principal axes)" if pr.P is not pr.train.X else ""
        with self.hold_sync():
            self.loss = [[e, v] for e, v in enumerate(_finite(run.history.loss))]
            self.steps = [[e0 + (i + 1) / n, v] for i, v in enumerate(_finite(run.step_loss))]
            self.boundary = b
            self.points = np.column_stack(
                [np.round(pr.P.T, 4), pr.train.labels.astype(float)]
            ).tolist()
            self.s = [int(v) for v in run.net.s]
            self.w = [_finite(wk.ravel(), 5) for wk in run.net.w]
            self.dL = [None] + [_finite(v.ravel()) for v in dL[1:]] if dL else None
            self.captions = {
                "loss": (
                    f"Mean loss L̃₀ over the {n} training points after each epoch (log scale);"
                    f" dots: manual steps. α = {s.alpha:.3g}, g = {s.g}, {s.dataset}"
                    + (", diverged." if run.diverged else ".")
                ),
                "boundary": (
                    f"Decision boundary{where}: the class predicted at each point, with the "
                    f"training points; {accuracy}."
                ),
                "network": (
                    f"The network s = {tuple(run.net.s)}: edge width |w⁽ᵏ⁾[i, j]| (red positive,"
                    f" blue negative); neuron shading dL⁽ᵏ⁾ of sample m = {run.sample}."
                ),
            }
            self.frame += 1


__all__ = ["GRID", "LiveView", "boundary", "grid_size"]
