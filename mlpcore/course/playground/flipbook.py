"""The playground for a page with no kernel: frames computed ahead, flipped by the page's own JS.

A static page (the HTML book) cannot retrain anything. So :func:`frames` trains and draws the
playground over a grid of α values and hidden-layer sizes once, when the book is built, and
:func:`flipbook_html` packs the PNGs as base64 data URLs into one self-contained snippet: two
``<input type="range">`` sliders and a few lines of JavaScript that swap the picture. It loads
nothing from the network.
"""

from __future__ import annotations

import hashlib
import html
import json
import time
from dataclasses import replace

from .figures import data_url, figure, png
from .runs import Settings, train

ALPHAS = (1e-3, 1e-2, 0.1, 0.5, 1.0, 3.0, 10.0)
SIZES = (1, 2, 3, 8)


def frames(alphas=ALPHAS, sizes=SIZES, base: Settings | None = None, dpi: int = 64):
    """Train and draw ``base`` with every (α, s_1) of the grid: one hidden layer of size s_1.

    Returns ``(urls, captions, seconds)``: ``urls[i][j]`` is the PNG data URL for
    ``alphas[i]`` and ``sizes[j]``, ``captions[i][j]`` a one-line summary of that run.
    """
    base = base or Settings()
    t0 = time.perf_counter()
    urls, captions = [], []
    for alpha in alphas:
        row_u, row_c = [], []
        for size in sizes:
            run = train(replace(base, alpha=float(alpha), hidden=(int(size),)))
            # Loss and boundary only: the network panel would double the build time of the frames.
            fig = figure(run, panels=("loss", "boundary"), width=3.6, ylim=(1e-3, 1e2))
            row_u.append(data_url(png(fig, dpi=dpi)))
            if run.diverged:
                row_c.append(f"α = {alpha:g}, s₁ = {size}: diverged in epoch {run.bad_epoch}.")
            else:
                row_c.append(
                    f"α = {alpha:g}, s₁ = {size}: final mean L̃₀ = {run.final_loss:.3g}, "
                    f"training accuracy {run.accuracy:.0%}."
                )
        urls.append(row_u)
        captions.append(row_c)
    return urls, captions, time.perf_counter() - t0


def flipbook_html(alphas, sizes, urls, captions, start=(None, None)) -> str:
    """A self-contained HTML snippet: two range sliders that pick the frame urls[i][j]."""
    i0 = start[0] if start[0] is not None else len(alphas) // 2
    j0 = start[1] if start[1] is not None else len(sizes) - 1
    payload = json.dumps(
        {
            "urls": urls,
            "captions": captions,
            "alphas": [f"{a:g}" for a in alphas],
            "sizes": list(sizes),
        }
    )
    uid = "mlp-flipbook-" + hashlib.sha1(payload.encode()).hexdigest()[:10]
    return f"""<div class="mlp-flipbook" id="{uid}">
<div style="display:flex;gap:2em;flex-wrap:wrap;align-items:center">
<label>α <input type="range" class="fb-alpha" min="0" max="{len(alphas) - 1}" step="1"
 value="{i0}" aria-label="learning rate"> <b class="fb-alpha-value">{alphas[i0]:g}</b></label>
<label>hidden size s₁ <input type="range" class="fb-size" min="0" max="{len(sizes) - 1}" step="1"
 value="{j0}" aria-label="hidden layer size"> <b class="fb-size-value">{sizes[j0]}</b></label>
</div>
<img class="fb-frame" src="{urls[i0][j0]}" alt="{html.escape(captions[i0][j0])}"
 style="max-width:100%">
<div class="fb-caption">{html.escape(captions[i0][j0])}</div>
</div>
<script>
(function () {{
  var root = document.getElementById("{uid}");
  var data = {payload};
  var a = root.querySelector(".fb-alpha"), s = root.querySelector(".fb-size");
  var img = root.querySelector(".fb-frame"), cap = root.querySelector(".fb-caption");
  function show() {{
    var i = Number(a.value), j = Number(s.value);
    img.src = data.urls[i][j];
    img.alt = cap.textContent = data.captions[i][j];
    root.querySelector(".fb-alpha-value").textContent = data.alphas[i];
    root.querySelector(".fb-size-value").textContent = data.sizes[j];
  }}
  a.addEventListener("input", show);
  s.addEventListener("input", show);
}})();
</script>"""


def flipbook(alphas=ALPHAS, sizes=SIZES, base: Settings | None = None):
    """The flip-book as an IPython HTML object (what the lesson's book-only cell displays)."""
    from IPython.display import HTML

    urls, captions, _ = frames(alphas, sizes, base)
    return HTML(flipbook_html(alphas, sizes, urls, captions))
