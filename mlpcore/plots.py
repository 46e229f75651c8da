"""Figures for the lessons: the network diagram of section 1, loss curves, decision boundaries.

This module imports matplotlib; the core modules never import it.
"""

from __future__ import annotations

import numpy as np


def _axes(ax, figsize):
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=figsize)
    return ax.figure, ax


def _shown(n: int, max_nodes: int) -> list[int | None]:
    """Indices of the nodes drawn for a layer of n nodes; None marks an ellipsis."""
    if n <= max_nodes:
        return list(range(n))
    head = (max_nodes - 1) // 2
    return list(range(head)) + [None] + list(range(n - (max_nodes - 1 - head), n))


def draw_network(
    s,
    ax=None,
    w=None,
    node_values=None,
    labels: bool = True,
    max_nodes: int = 9,
    title: str | None = None,
    figsize=(7, 4),
):
    """Draw layers k = 0..p as columns of neurons joined by the weights w^(k).

    Parameters
    ----------
    s : layer sizes (s_0, ..., s_p)
    w : optional list of p arrays (s_{k+1}, s_k); edge widths then show |w_ij^(k)|
    node_values : optional list of p+1 entries, entry k an array (s_k,) or None; neuron i of
        layer k is shaded by its value (for example dL^(k) during backpropagation), blue for
        negative and red for positive
    labels : write the layer, its size, z^(k)/a^(k) and the arrays w^(k), b^(k) between layers
    max_nodes : a wider layer is drawn with its first and last neurons and an ellipsis

    Returns the matplotlib Figure.
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import TwoSlopeNorm

    s = tuple(int(v) for v in s)
    p = len(s) - 1
    fig, ax = _axes(ax, figsize)
    shown = [_shown(n, max_nodes) for n in s]
    tallest = max(len(col) for col in shown)

    def ypos(k):
        m = len(shown[k])
        return np.linspace(0, 1, m) if m > 1 else np.array([0.5]) if tallest > 1 else [0.5]

    ys = [
        0.5 + (np.asarray(ypos(k)) - 0.5) * (len(shown[k]) - 1) / max(tallest - 1, 1)
        for k in range(p + 1)
    ]
    wmax = max((np.abs(wk).max() for wk in w), default=1.0) if w is not None else 1.0
    wmax = wmax if wmax > 0 else 1.0
    for k in range(p):
        for a_pos, i_src in zip(ys[k], shown[k], strict=True):
            for b_pos, i_dst in zip(ys[k + 1], shown[k + 1], strict=True):
                if i_src is None or i_dst is None:
                    continue
                if w is not None:
                    mag = abs(float(w[k][i_dst, i_src])) / wmax
                    lw, alpha = 0.2 + 3.0 * mag, 0.25 + 0.6 * mag
                    color = "#b2182b" if w[k][i_dst, i_src] > 0 else "#2166ac"
                else:
                    lw, alpha, color = 0.6, 0.35, "0.4"
                ax.plot([k, k + 1], [a_pos, b_pos], color=color, lw=lw, alpha=alpha, zorder=1)
    vmax = 1.0
    if node_values is not None:
        vals = [np.abs(v).max() for v in node_values if v is not None and np.size(v)]
        vmax = max(vals, default=1.0) or 1.0
    norm = TwoSlopeNorm(vmin=-vmax, vcenter=0.0, vmax=vmax)
    cmap = plt.get_cmap("RdBu_r")
    for k in range(p + 1):
        values = None if node_values is None else node_values[k]
        for y, i in zip(ys[k], shown[k], strict=True):
            if i is None:
                ax.text(k, y, "⋮", ha="center", va="center", fontsize=14, zorder=3)
                continue
            face = "white" if values is None else cmap(norm(float(values[i])))
            ax.scatter([k], [y], s=260, c=[face], edgecolors="black", linewidths=1.0, zorder=2)
    if labels:
        for k in range(p + 1):
            role = "input" if k == 0 else "output" if k == p else "hidden"
            what = "a⁽⁰⁾ = x" if k == 0 else f"z⁽{k}⁾ = y_pred" if k == p else f"z⁽{k}⁾, a⁽{k}⁾"
            ax.text(
                k,
                -0.16,
                f"layer {k} ({role})\ns_{k} = {s[k]}\n{what}",
                ha="center",
                va="top",
                fontsize=8,
            )
        for k in range(p):
            ax.text(
                k + 0.5,
                1.08,
                f"w⁽{k}⁾ ∈ ℝ^{s[k + 1]}×{s[k]}\nb⁽{k}⁾ ∈ ℝ^{s[k + 1]}",
                ha="center",
                va="bottom",
                fontsize=8,
                color="0.25",
            )
    if node_values is not None:
        fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.6, pad=0.02)
    ax.set_xlim(-0.5, p + 0.5)
    ax.set_ylim(-0.45, 1.3)
    ax.axis("off")
    if title:
        ax.set_title(title)
    return fig


def loss_curve(history, ax=None, label=None, figsize=(5, 3.2)):
    """Plot ``history.loss`` (mean L̃_0 per epoch, epoch 0 = before training) on a log scale."""
    fig, ax = _axes(ax, figsize)
    ax.plot(range(len(history.loss)), history.loss, marker="o", ms=3, label=label)
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("mean L̃₀ over the training set")
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
    return fig
