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


def _layer_text(k: int, p: int, sk: int) -> str:
    """The caption under layer k: its role, its size s_k and the arrays that live on it."""
    if k == 0:
        role, arrays = "input", r"a^{(0)} = x"
    elif k == p:
        role, arrays = "output", rf"z^{{({k})}} = y_{{\mathrm{{pred}}}}"
    else:
        role, arrays = "hidden", rf"z^{{({k})}},\ a^{{({k})}}"
    return f"layer {k} ({role})\n$s_{{{k}}} = {sk}$\n" + rf"${arrays} \in \mathbb{{R}}^{{{sk}}}$"


def draw_network(
    s,
    ax=None,
    w=None,
    node_values=None,
    labels: bool = True,
    max_nodes: int = 9,
    title: str | None = None,
    figsize=(7, 4),
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
    $b^{(k)} \in \mathbb{R}^{s_{k+1}}$.

    Parameters
    ----------
    s : layer sizes (s_0, ..., s_p)
    ax : matplotlib Axes to draw on; a new figure when None
    w : optional list of p arrays (s_{k+1}, s_k); edge widths then show |w_ij^(k)|, red for
        positive and blue for negative weights
    node_values : optional list of p+1 entries, entry k an array (s_k,) or None; neuron i of
        layer k is shaded by its value (for example dL^(k) during backpropagation), blue for
        negative and red for positive
    labels : write the layer captions and the arrays w^(k), b^(k) between layers
    max_nodes : a wider layer is drawn with its first and last neurons and an ellipsis
    title : the axes title
    figsize : size of the new figure when ``ax`` is None
    highlight : keyword only; k in 0..p-1, or a collection of such k: draw the edges of those
        w^(k) strongly and all others faintly (an empty collection makes every edge faint)
    direction : keyword only; "forward" or "backward": which way the arrows on the highlighted
        edges point (k → k+1, as in z^(k+1) = h_k(...), or k+1 → k, as in the recursion for dL^(k))
    show_values : keyword only; also write each node value (2 significant digits) on the neuron
    vmax : keyword only; the colour scale runs over [−vmax, vmax]; by default the largest |value|,
        so pass the same vmax to several panels to compare them
    colorbar : keyword only; draw a colour bar when ``node_values`` is given
    value_label : keyword only; the colour bar's label
    index_labels : keyword only; write the document's neuron index i = 1..s_k inside each neuron
        (when its value is not written there)
    mark_edge : keyword only; ``(k, i, j)`` with the document's 1-based i, j: draw the edge of
        w_{i,j}^(k), from neuron j of layer k to neuron i of layer k+1, in black and name it

    Returns the matplotlib Figure.
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import TwoSlopeNorm

    s = tuple(int(v) for v in s)
    p = len(s) - 1
    if p < 1:
        raise ValueError(f"s (the layer sizes) needs at least s_0 and s_1, got {s}")
    if w is not None and len(w) != p:
        raise ValueError(f"w must hold p = {p} arrays w[0..p-1], got {len(w)}")
    if node_values is not None and len(node_values) != p + 1:
        raise ValueError(
            f"node_values must hold p+1 = {p + 1} entries (k = 0..p), got {len(node_values)}"
        )
    if highlight is not None:
        strong = {int(highlight)} if np.ndim(highlight) == 0 else {int(k) for k in highlight}
        if not all(0 <= k < p for k in strong):
            raise ValueError(
                f"highlight must be weight indices k in 0..p-1 = {p - 1}, got {highlight}"
            )
    if direction not in ("forward", "backward"):
        raise ValueError(f"direction must be 'forward' or 'backward', got {direction!r}")
    fig, ax = _axes(ax, figsize)
    shown = [_shown(n, max_nodes) for n in s]
    tallest = max(len(col) for col in shown)
    gap = 1.0 / max(tallest - 1, 1)  # vertical distance between two neurons, the same everywhere
    ys = [0.5 + gap * ((len(col) - 1) / 2 - np.arange(len(col))) for col in shown]

    wmax = max((float(np.abs(wk).max()) for wk in w), default=1.0) if w is not None else 1.0
    wmax = wmax if wmax > 0 else 1.0
    for k in range(p):
        faint = highlight is not None and k not in strong
        for y_src, i_src in zip(ys[k], shown[k], strict=True):
            for y_dst, i_dst in zip(ys[k + 1], shown[k + 1], strict=True):
                if i_src is None or i_dst is None:
                    continue
                if w is not None:
                    wij = float(w[k][i_dst, i_src])
                    mag = abs(wij) / wmax
                    lw, alpha = 0.3 + 3.0 * mag, 0.3 + 0.6 * mag
                    color = "#b2182b" if wij > 0 else "#2166ac"
                else:
                    lw, alpha, color = 0.8, 0.45, "0.35"
                if faint:
                    lw, alpha = min(lw, 0.6), 0.12
                ax.plot([k, k + 1], [y_src, y_dst], color=color, lw=lw, alpha=alpha, zorder=1)
        if highlight is not None and k in strong:
            # One arrow per layer gap, on its axis, says which way the information flows.
            x0, x1 = (k + 0.3, k + 0.7) if direction == "forward" else (k + 0.7, k + 0.3)
            ax.annotate(
                "",
                xy=(x1, -0.08),
                xytext=(x0, -0.08),
                arrowprops={"arrowstyle": "-|>", "lw": 2.0, "color": "0.15"},
                annotation_clip=False,
            )

    if node_values is not None and vmax is None:
        found = [float(np.max(np.abs(v))) for v in node_values if v is not None and np.size(v)]
        vmax = max(found, default=1.0)
    vmax = vmax if vmax else 1.0
    norm = TwoSlopeNorm(vmin=-vmax, vcenter=0.0, vmax=vmax)
    cmap = plt.get_cmap("RdBu_r")
    size = min(700.0, 2600.0 / tallest)  # marker area: smaller circles in taller columns
    for k in range(p + 1):
        values = None if node_values is None else node_values[k]
        if values is not None and np.shape(values)[:1] != (s[k],):
            raise ValueError(
                f"node_values[{k}] must have shape (s_{k}={s[k]},), got {np.shape(values)}"
            )
        for y, i in zip(ys[k], shown[k], strict=True):
            if i is None:
                ax.text(k, y, r"$\vdots$", ha="center", va="center", fontsize=14, zorder=3)
                continue
            face = "white" if values is None else cmap(norm(float(values[i])))
            ax.scatter([k], [y], s=size, c=[face], edgecolors="black", linewidths=1.0, zorder=2)
            if show_values and values is not None:
                v = float(values[i])
                ink = "white" if abs(v) > 0.6 * vmax else "black"
                ax.text(k, y, f"{v:.2g}", ha="center", va="center", fontsize=7, color=ink, zorder=3)
            elif index_labels:
                ax.text(k, y, f"{i + 1}", ha="center", va="center", fontsize=8, zorder=3)
    if mark_edge is not None:
        k, i, j = (int(v) for v in mark_edge)
        if not (0 <= k < p and 1 <= i <= s[k + 1] and 1 <= j <= s[k]):
            raise ValueError(
                f"mark_edge=(k, i, j) needs k in 0..{p - 1}, i in 1..s_(k+1), j in 1..s_k "
                f"(1-based, as in w_ij^(k)), got {mark_edge}"
            )
        if (j - 1) in shown[k] and (i - 1) in shown[k + 1]:
            y_src = ys[k][shown[k].index(j - 1)]
            y_dst = ys[k + 1][shown[k + 1].index(i - 1)]
            ax.plot([k, k + 1], [y_src, y_dst], color="black", lw=2.2, zorder=1.5)
            ax.annotate(
                rf"$w^{{({k})}}_{{{i},{j}}}$",
                xy=(k + 0.5, (y_src + y_dst) / 2),
                xytext=(k + 0.5, (y_src + y_dst) / 2 + 0.12),
                ha="center",
                fontsize=11,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "0.6", "alpha": 0.9},
                zorder=4,
            )
    if labels:
        for k in range(p + 1):
            ax.text(k, -0.16, _layer_text(k, p, s[k]), ha="center", va="top", fontsize=9)
        for k in range(p):
            ax.text(
                k + 0.5,
                1.07,
                rf"$w^{{({k})}} \in \mathbb{{R}}^{{{s[k + 1]} \times {s[k]}}}$"
                "\n"
                rf"$b^{{({k})}} \in \mathbb{{R}}^{{{s[k + 1]}}}$",
                ha="center",
                va="bottom",
                fontsize=9,
                color="0.2",
            )
    if node_values is not None and colorbar:
        bar = fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.6, pad=0.02)
        if value_label:
            bar.set_label(value_label)
    ax.set_xlim(-0.5, p + 0.5)
    ax.set_ylim(-0.62 if labels else -0.15, 1.32 if labels else 1.1)
    ax.axis("off")
    if title:
        ax.set_title(title)
    return fig


def loss_curve(history, ax=None, label=None, figsize=(5, 3.2)):
    """Plot ``history.loss`` (mean L̃_0 per epoch, epoch 0 = before training) on a log scale.

    The axis says which mean it is: ``history.epoch_loss`` "exact" (over the training set
    after each epoch) or "running" (over the steps of each epoch, as they went).
    """
    fig, ax = _axes(ax, figsize)
    ax.plot(range(len(history.loss)), history.loss, marker="o", ms=3, label=label)
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    exact = getattr(history, "epoch_loss", "exact") == "exact"
    ax.set_ylabel("mean L̃₀ over the training set" if exact else "running mean of L̃₀ per epoch")
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
