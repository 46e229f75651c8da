"""The network diagram of section 1: layers k = 0..p as columns of neurons joined by w^(k).

:func:`mlpcore.course.figures.draw_network` is four steps, each its own function:
:func:`network_layout` (where each neuron sits), :func:`draw_edges` (one segment per weight),
:func:`draw_nodes` (the neurons, shaded by a value such as dL^(k)) and :func:`draw_labels` (the
captions of the document's notation).
It records a plain-language description of what it drew (:func:`mlpcore.course.figures.describe`),
which becomes the figure's alt text in the book.

About 225 lines: the four drawing steps and the description, one short function each.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

POSITIVE, NEGATIVE = "#b2182b", "#2166ac"  # red and blue of the weights and values
FONT = 10.5  # pt: the smallest text of the diagram (figures.MIN_FONT_PT)


@dataclass(frozen=True)
class Layout:
    """Where the neurons sit: ``shown[k]`` lists the neuron indices drawn in column k (None is
    an ellipsis for a layer wider than ``max_nodes``), ``ys[k]`` their heights."""

    s: tuple[int, ...]
    shown: list[list[int | None]]
    ys: list[np.ndarray]

    @property
    def p(self) -> int:
        return len(self.s) - 1

    @property
    def tallest(self) -> int:
        return max(len(col) for col in self.shown)

    def y(self, k: int, i: int) -> float | None:
        """Height of neuron i (0-based) of layer k, None when it is hidden in the ellipsis."""
        return self.ys[k][self.shown[k].index(i)] if i in self.shown[k] else None


def _shown(n: int, max_nodes: int) -> list[int | None]:
    """Indices of the nodes drawn for a layer of n nodes; None marks an ellipsis."""
    if n <= max_nodes:
        return list(range(n))
    head = (max_nodes - 1) // 2
    return list(range(head)) + [None] + list(range(n - (max_nodes - 1 - head), n))


def network_layout(s, max_nodes: int = 9) -> Layout:
    """Columns of evenly spaced neurons, centred at height 0.5, the same gap in every column."""
    s = tuple(int(v) for v in s)
    if len(s) < 2:
        raise ValueError(f"s (the layer sizes) needs at least s_0 and s_1, got {s}")
    shown = [_shown(n, max_nodes) for n in s]
    tallest = max(len(col) for col in shown)
    gap = 1.0 / max(tallest - 1, 1)
    ys = [0.5 + gap * ((len(col) - 1) / 2 - np.arange(len(col))) for col in shown]
    return Layout(s, shown, ys)


def _strong_set(highlight, p: int) -> set[int] | None:
    if highlight is None:
        return None
    strong = {int(highlight)} if np.ndim(highlight) == 0 else {int(k) for k in highlight}
    if not all(0 <= k < p for k in strong):
        raise ValueError(f"highlight must be weight indices k in 0..p-1 = {p - 1}, got {highlight}")
    return strong


def draw_edges(ax, layout: Layout, w=None, highlight=None, direction: str = "forward") -> None:
    """One segment per weight w_ij^(k); width and opacity show |w_ij^(k)| when ``w`` is given.

    ``highlight`` (k, or a collection of k) draws those w^(k) strongly, every other faintly, with
    an arrow pointing ``direction`` ("forward": k → k+1; "backward": k+1 → k)."""
    p = layout.p
    if w is not None and len(w) != p:
        raise ValueError(f"w must hold p = {p} arrays w[0..p-1], got {len(w)}")
    if direction not in ("forward", "backward"):
        raise ValueError(f"direction must be 'forward' or 'backward', got {direction!r}")
    strong = _strong_set(highlight, p)
    wmax = max((float(np.abs(wk).max()) for wk in w), default=1.0) if w is not None else 1.0
    wmax = wmax if wmax > 0 else 1.0
    for k in range(p):
        faint = strong is not None and k not in strong
        for y_src, i_src in zip(layout.ys[k], layout.shown[k], strict=True):
            for y_dst, i_dst in zip(layout.ys[k + 1], layout.shown[k + 1], strict=True):
                if i_src is None or i_dst is None:
                    continue
                if w is not None:
                    wij = float(w[k][i_dst, i_src])
                    mag = abs(wij) / wmax
                    lw, alpha = 0.3 + 3.0 * mag, 0.3 + 0.6 * mag
                    color = POSITIVE if wij > 0 else NEGATIVE
                else:
                    lw, alpha, color = 0.8, 0.45, "0.35"
                if faint:
                    lw, alpha = min(lw, 0.6), 0.12
                ax.plot([k, k + 1], [y_src, y_dst], color=color, lw=lw, alpha=alpha, zorder=1)
        if strong is not None and k in strong:
            x0, x1 = (k + 0.3, k + 0.7) if direction == "forward" else (k + 0.7, k + 0.3)
            ax.annotate(
                "",
                xy=(x1, -0.08),
                xytext=(x0, -0.08),
                arrowprops={"arrowstyle": "-|>", "lw": 2.0, "color": "0.15"},
                annotation_clip=False,
            )


def draw_nodes(
    ax, layout: Layout, node_values=None, vmax=None, show_values=False, index_labels=False
):
    """The neurons, white or shaded by ``node_values[k][i]`` on a red/blue scale over
    [−vmax, vmax]; returns the colour norm (None without values)."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import TwoSlopeNorm

    s, p = layout.s, layout.p
    if node_values is not None and len(node_values) != p + 1:
        raise ValueError(
            f"node_values must hold p+1 = {p + 1} entries (k = 0..p), got {len(node_values)}"
        )
    if node_values is not None and vmax is None:
        found = [float(np.max(np.abs(v))) for v in node_values if v is not None and np.size(v)]
        vmax = max(found, default=1.0)
    vmax = vmax if vmax else 1.0
    norm = TwoSlopeNorm(vmin=-vmax, vcenter=0.0, vmax=vmax)
    cmap = plt.get_cmap("RdBu_r")
    size = min(900.0, 3600.0 / layout.tallest)  # marker area: smaller circles in taller columns
    for k in range(p + 1):
        values = None if node_values is None else node_values[k]
        if values is not None and np.shape(values)[:1] != (s[k],):
            raise ValueError(
                f"node_values[{k}] must have shape (s_{k}={s[k]},), got {np.shape(values)}"
            )
        for y, i in zip(layout.ys[k], layout.shown[k], strict=True):
            if i is None:
                ax.text(k, y, r"$\vdots$", ha="center", va="center", fontsize=14, zorder=3)
                continue
            face = "white" if values is None else cmap(norm(float(values[i])))
            ax.scatter([k], [y], s=size, c=[face], edgecolors="black", linewidths=1.0, zorder=2)
            if show_values and values is not None:
                v = float(values[i])
                ink = "white" if abs(v) > 0.6 * vmax else "black"
                ax.text(
                    k, y, f"{v:.2g}", ha="center", va="center", fontsize=FONT, color=ink, zorder=3
                )
            elif index_labels:
                ax.text(k, y, f"{i + 1}", ha="center", va="center", fontsize=FONT, zorder=3)
    return None if node_values is None else (norm, cmap)


def _layer_text(k: int, p: int, sk: int) -> str:
    """The caption under layer k: its role, its size s_k and the arrays that live on it, one
    short line each, so that neighbouring captions do not meet in a phone-sized diagram."""
    if k == 0:
        role, arrays = "input", r"a^{(0)} = x"
    elif k == p:
        role, arrays = "output", rf"z^{{({k})}} = y_{{\mathrm{{pred}}}}"
    else:
        role, arrays = "hidden", rf"z^{{({k})}},\ a^{{({k})}}"
    return (
        f"layer {k}\n({role})\n$s_{{{k}}} = {sk}$\n${arrays}$\n" + rf"$\in \mathbb{{R}}^{{{sk}}}$"
    )


def draw_labels(ax, layout: Layout) -> None:
    """Under each layer its role, s_k and arrays; between layers w^(k) and b^(k) with shapes."""
    s, p = layout.s, layout.p
    for k in range(p + 1):
        ax.text(k, -0.16, _layer_text(k, p, s[k]), ha="center", va="top", fontsize=FONT)
    for k in range(p):
        ax.text(
            k + 0.5,
            1.07,
            rf"$w^{{({k})}}\!\in\!\mathbb{{R}}^{{{s[k + 1]}\times{s[k]}}}$"
            "\n"
            rf"$b^{{({k})}} \in \mathbb{{R}}^{{{s[k + 1]}}}$",
            ha="center",
            va="bottom",
            fontsize=FONT,
            color="0.2",
        )


def draw_marked_edge(ax, layout: Layout, mark_edge: tuple[int, int, int]) -> None:
    """The edge of w_ij^(k) (document's 1-based i, j) in black, named."""
    s, p = layout.s, layout.p
    k, i, j = (int(v) for v in mark_edge)
    if not (0 <= k < p and 1 <= i <= s[k + 1] and 1 <= j <= s[k]):
        raise ValueError(
            f"mark_edge=(k, i, j) needs k in 0..{p - 1}, i in 1..s_(k+1), j in 1..s_k "
            f"(1-based, as in w_ij^(k)), got {mark_edge}"
        )
    y_src, y_dst = layout.y(k, j - 1), layout.y(k + 1, i - 1)
    if y_src is None or y_dst is None:
        return
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


def describe_network(s, w=None, node_values=None, value_label=None, mark_edge=None) -> str:
    """What the diagram shows, in words, from the data (the figure's alt text)."""
    s = tuple(int(v) for v in s)
    text = f"network diagram, layers of sizes {', '.join(map(str, s))} (k = 0 to {len(s) - 1})"
    if w is not None:
        pos = sum(int((np.asarray(wk) > 0).sum()) for wk in w)
        total = sum(int(np.size(wk)) for wk in w)
        text += f"; {total} weight edges, {pos} positive (red) and {total - pos} negative (blue)"
    if node_values is not None:
        for k, v in enumerate(node_values):
            if v is not None:
                vals = ", ".join(f"{float(x):.2g}" for x in np.ravel(v)[:6])
                more = ", …" if np.size(v) > 6 else ""
                text += f"; layer {k} {value_label or 'values'}: {vals}{more}"
    if mark_edge is not None:
        k, i, j = mark_edge
        text += f"; edge w({k})[{i},{j}] drawn in black"
    return text
