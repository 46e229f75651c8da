"""Figures for the lessons: the network diagram of section 1, loss curves, decision boundaries.

Every figure a lesson shows goes through ``show`` (from
:mod:`mlpcore.course.figure_output`, re-exported here with the sizes that keep figures legible):
an SVG whose text stays text and which carries a description made from the data. Each figure
is drawn a phone's width or less (about 3.6 in with 10.5 pt text), so that a figure of several
panels is several figures, side by side on a desktop and stacked on a phone.

This module imports matplotlib; the core modules never import it. About 200 lines:
``draw_network``'s docstring alone is 40 (its parameters are the figure's vocabulary); the
drawing itself is in :mod:`mlpcore.course.network_diagram`.
"""

from __future__ import annotations

import numpy as np

from .figure_output import (  # noqa: F401  (re-exported: the lessons import them from here)
    BODY_PX,
    MIN_FONT_PT,
    PHONE_COLUMN_PX,
    STYLE,
    describe,
    description,
    phone_text_px,
    plain,
    show,
    smallest_font,
    to_svg,
    use_style,
)
from .network_diagram import (
    describe_network,
    draw_edges,
    draw_labels,
    draw_marked_edge,
    draw_nodes,
    network_layout,
)


def _axes(ax, figsize):
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=figsize)
    return ax.figure, ax


def draw_network(
    s,
    ax=None,
    w=None,
    node_values=None,
    labels: bool = True,
    max_nodes: int = 9,
    title: str | None = None,
    figsize=None,
    *,
    highlight=None,
    direction: str = "forward",
    show_values: bool = False,
    vmax: float | None = None,
    colorbar: bool = True,
    value_label: str | None = None,
    index_labels: bool = False,
    mark_edge: tuple[int, int, int] | None = None,
):
    r"""Draw layers k = 0..p as columns of neurons joined by the weights w^(k).

    Below layer k the caption gives its role, $s_k$ and the arrays that live on it
    ($a^{(0)} = x$, $z^{(k)}$ and $a^{(k)}$, $z^{(p)} = y_\mathrm{pred}$); between layers k
    and k+1 it gives $w^{(k)} \in \mathbb{R}^{s_{k+1} \times s_k}$ and
    $b^{(k)} \in \mathbb{R}^{s_{k+1}}$. The steps are the functions of
    :mod:`mlpcore.course.network_diagram`: layout, edges, nodes, labels.

    Parameters
    ----------
    s : layer sizes (s_0, ..., s_p)
    ax : matplotlib Axes to draw on; a new figure when None
    w : optional list of p arrays (s_{k+1}, s_k); edge widths then show |w_ij^(k)|, red for
        positive and blue for negative weights
    node_values : optional list of p+1 entries, entry k an array (s_k,) or None; neuron i of
        layer k is shaded by its value (for example dL^(k) during backpropagation)
    labels : write the layer captions and the arrays w^(k), b^(k) between layers
    max_nodes : a wider layer is drawn with its first and last neurons and an ellipsis
    title : the axes title
    figsize : size of the new figure when ``ax`` is None; by default about 3.6 in wide, so that
        the diagram fits a phone's column at its own size (``PHONE_COLUMN_PX``)
    highlight : keyword only; k in 0..p-1, or a collection of such k: draw the edges of those
        w^(k) strongly and all others faintly
    direction : keyword only; "forward" or "backward": which way the highlighted edges point
    show_values : keyword only; also write each node value (2 significant digits) on the neuron
    vmax : keyword only; the colour scale runs over [−vmax, vmax]; by default the largest |value|
    colorbar : keyword only; draw a colour bar when ``node_values`` is given
    value_label : keyword only; the colour bar's label
    index_labels : keyword only; write the document's neuron index i = 1..s_k inside each neuron
    mark_edge : keyword only; ``(k, i, j)`` with the document's 1-based i, j: draw the edge of
        w_{i,j}^(k) in black and name it

    Returns
    -------
    matplotlib.figure.Figure
        the figure, with its description recorded (:func:`mlpcore.course.figure_output.describe`)
    """
    import matplotlib.pyplot as plt

    layout = network_layout(s, max_nodes)
    if figsize is None:
        figsize = (
            min(3.6, 0.95 * (layout.p + 1)),
            (2.4 if labels else 1.2) + 0.55 * layout.tallest,
        )
    new = ax is None
    fig, ax = _axes(ax, figsize)
    if new:  # the whole width for the diagram: its captions need every inch
        fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.9 if title else 0.99)
    draw_edges(ax, layout, w, highlight, direction)
    shading = draw_nodes(ax, layout, node_values, vmax, show_values, index_labels)
    if mark_edge is not None:
        draw_marked_edge(ax, layout, mark_edge)
    if labels:
        draw_labels(ax, layout)
    if shading is not None and colorbar:
        norm, cmap = shading
        # Under the diagram, not beside it: the width is what a phone's column lacks.
        bar = fig.colorbar(
            plt.cm.ScalarMappable(norm=norm, cmap=cmap),
            ax=ax,
            orientation="horizontal",
            shrink=0.7,
            pad=0.02,
            aspect=25,
        )
        if value_label:
            bar.set_label(value_label)
    ax.set_xlim(-0.5, layout.p + 0.5)
    ax.set_ylim(-0.8 if labels else -0.15, 1.32 if labels else 1.1)
    ax.axis("off")
    if title:
        ax.set_title(title)
    text = describe_network(layout.s, w, node_values, value_label and plain(value_label), mark_edge)
    describe(fig, f"{plain(title)}: {text}" if title else text)
    return fig


def loss_curve(history, ax=None, label=None, figsize=(5, 3.2)):
    """Plot ``history.loss`` (mean L̃_0 per epoch, epoch 0 = before training) on a log scale.

    The axis says which mean it is: ``history.epoch_loss`` "exact" (over the training set
    after each epoch) or "running" (over the steps of each epoch, as they went).
    """
    fig, ax = _axes(ax, figsize)
    loss = list(history.loss)
    ax.plot(range(len(loss)), loss, marker="o", ms=3, label=label)
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    exact = getattr(history, "epoch_loss", "exact") == "exact"
    ax.set_ylabel("mean L̃₀ over the training set" if exact else "running mean of L̃₀ per epoch")
    finite = [v for v in loss if np.isfinite(v)]
    if finite:
        what = f"{'loss' if exact else 'running mean loss'} against epoch"
        what += f" for {label}" if label else ""
        describe(
            fig,
            f"{what}: from {loss[0]:.2g} at epoch 0 to {loss[-1]:.2g} at epoch "
            f"{len(loss) - 1} (lowest {min(finite):.2g}), log scale",
        )
    return fig


def decision_boundary(net, X, labels, ax=None, resolution: int = 200, figsize=(4.2, 4.2)):
    """Colour the plane by the predicted class argmax z^(p) and scatter the 2-D data X (2, n)."""
    fig, ax = _axes(ax, figsize)
    pad = 0.3
    x0 = np.linspace(X[0].min() - pad, X[0].max() + pad, resolution)
    x1 = np.linspace(X[1].min() - pad, X[1].max() + pad, resolution)
    G0, G1 = np.meshgrid(x0, x1)
    grid = np.vstack([G0.ravel(), G1.ravel()])  # (2, resolution²): samples as columns
    out = net(grid)
    pred = np.argmax(out, axis=0) if out.shape[0] > 1 else (out[0] > 0.5).astype(int)
    n_classes = max(int(np.max(labels)) + 1, int(pred.max()) + 1)
    ax.contourf(
        G0,
        G1,
        pred.reshape(G0.shape),
        levels=np.arange(n_classes + 1) - 0.5,
        cmap="coolwarm",
        alpha=0.35,
    )
    ax.scatter(X[0], X[1], c=labels, cmap="coolwarm", s=12, edgecolors="k", linewidths=0.3)
    ax.set_xticks([])
    ax.set_yticks([])
    out_X = net(X)
    pred_X = np.argmax(out_X, axis=0) if out_X.shape[0] > 1 else (out_X[0] > 0.5).astype(int)
    shares = ", ".join(f"class {c}: {np.mean(pred == c):.0%}" for c in range(n_classes))
    describe(
        fig,
        f"decision regions over the plane ({shares} of the area) with the {X.shape[1]} "
        f"data points; {np.mean(pred_X == np.asarray(labels)):.0%} of them fall in the "
        "region of their class",
    )
    return fig
