"""A lesson's figure as the book shows it: SVG whose text stays text and stays legible.

:func:`show` hands a figure to the notebook as SVG whose text stays text
(``svg.fonttype: none``, with a generic fallback after every font) and which carries its
description: a ``<title>`` and ``<desc>`` made from the data (what :func:`describe` recorded
while drawing, or the ``alt`` the lesson computes). The book turns that description into the
image's alt text (``book/_ext/light_site.py``), so that no figure is described by its file name.
``show`` also records the smallest font of the figure (``data-smallest-font-pt``), which the
book's browser test scales to the width the page shows the figure at.

The sizes that keep a figure legible live here too: importing this module sets matplotlib's
text sizes to ``MIN_FONT_PT`` or more (``STYLE``), and :func:`phone_text_px` says how large a
figure's text shows in a phone's column. This module imports matplotlib; the core modules never
import it. :mod:`mlpcore.course.figures` re-exports all of it.
"""

from __future__ import annotations

import io
import re
from html import escape

# Text of a figure is at least MIN_FONT_PT, and a figure is drawn at most about 3.6 in wide (a
# panel), or it is split into panels that stack on a phone. On a phone (390 px viewport) the
# book's column is 358 px, and in dark mode the theme frames each picture with 8 px of padding:
# PHONE_COLUMN_PX = 342 px is what is left for the picture, which is scaled down to it when
# wider. So at 10.5 pt (14 px), a figure at most 342 * 14 / 12.8 = 374 px (3.9 in) wide keeps its
# text at 80 % of the BODY_PX body text (12.8 px) or more; on a desktop the figure is shown at its
# own size, 14 px. See phone_text_px.
MIN_FONT_PT = 10.5
BODY_PX = 16
PHONE_COLUMN_PX = 342
_SVG_STYLE = {"svg.fonttype": "none", "svg.hashsalt": "mlpcore"}
# Every size of text matplotlib picks by itself, at MIN_FONT_PT or above. Importing this module
# sets them (the lessons draw with plt.subplots as well as with the helpers below).
STYLE = {
    "font.size": MIN_FONT_PT,
    "axes.titlesize": 11,
    "axes.labelsize": MIN_FONT_PT,
    "xtick.labelsize": MIN_FONT_PT,
    "ytick.labelsize": MIN_FONT_PT,
    "legend.fontsize": MIN_FONT_PT,
    "legend.title_fontsize": MIN_FONT_PT,
    "figure.titlesize": 11,
}


def use_style() -> None:
    """Set ``STYLE`` in matplotlib's rcParams (done once, when this module is imported)."""
    import matplotlib

    matplotlib.rcParams.update(STYLE)


use_style()


def phone_text_px(width_pt: float, font_pt: float) -> float:
    """The size (CSS px) at which text of ``font_pt`` shows in a figure ``width_pt`` wide on a
    phone: the figure's own size (1 pt = 4/3 px), scaled down to the column when wider."""
    width_px = width_pt * 4 / 3
    return font_pt * 4 / 3 * min(1.0, PHONE_COLUMN_PX / width_px)


def plain(text: str) -> str:
    """Mathtext written for a reader of alt text: "$dL^{(k)}_i$" -> "dL(k)_i"."""
    text = re.sub(r"\\[,;: !]", " ", text)  # TeX spaces
    text = re.sub(r"\\(mathrm|operatorname|mathbb)\{([^}]*)\}", r"\2", text)
    return re.sub(r"[$\\{}^]", "", text).replace("  ", " ").strip()


def describe(fig, text: str) -> None:
    """Record one sentence of what ``fig`` shows; :func:`show` joins them into its alt text."""
    parts = fig.__dict__.setdefault("_course_description", [])
    parts.append(plain(text))


def description(fig) -> str:
    return "; ".join(fig.__dict__.get("_course_description", []))


def smallest_font(fig) -> float:
    """The smallest font size (pt) of the visible, non-empty text of ``fig``."""
    from matplotlib.text import Text

    sizes = [
        t.get_fontsize()
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip() and t.get_figure() is not None
    ]
    return float(min(sizes)) if sizes else float("inf")


def _with_fallback(match: re.Match) -> str:
    families = match.group(1).rstrip()
    generic = families.endswith(("sans-serif", "serif", "monospace", "cursive", "fantasy"))
    return f"font-family: {families}" if generic else f"font-family: {families}, sans-serif"


def to_svg(fig, alt: str) -> str:
    """``fig`` as SVG text: real text, no date (so a rebuild gives the same file), and the
    description as <title>/<desc>."""
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context(_SVG_STYLE):
        fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight")
    # Text stays text, drawn with the reader's fonts: mathtext names only 'DejaVu Sans', so give
    # every font list a generic family to fall back on where that font is not installed.
    svg = re.sub(r"font-family: ([^;\"]*)", _with_fallback, buf.getvalue())
    head = (
        f'<svg role="img" aria-label="{escape(alt)}" '
        f'data-smallest-font-pt="{smallest_font(fig):g}" '
    )
    svg = svg.replace("<svg ", head, 1)
    first = svg.index(">", svg.index("<svg ")) + 1
    alt_text = escape(alt, quote=False)
    return svg[:first] + f"\n <title>{alt_text}</title>\n <desc>{alt_text}</desc>" + svg[first:]


def show(fig, alt: str | None = None) -> None:
    """Display ``fig`` as an SVG that carries its description, and close it.

    ``alt`` is the description computed by the lesson (from its data); without it, what the
    figure helpers recorded with :func:`describe`. A figure with neither is an error: every
    figure of the book has a description.
    """
    import matplotlib.pyplot as plt
    from IPython.display import SVG, display

    text = "; ".join(t for t in (alt and plain(alt), description(fig)) if t)
    if not text:
        raise ValueError("show(fig, alt=...): the figure has no description; pass alt")
    svg = to_svg(fig, text)
    plt.close(fig)
    display(SVG(svg))
