"""Print the whole book to one PDF with Debian's Chromium: what `make pdf` runs after `make book`.

Jupyter Book's own PDF routes do not work offline here: ``--builder pdfhtml`` downloads a
browser, ``pdflatex`` needs a TeX installation of several hundred MB plus a font with Greek,
and its ``singlehtml`` builder stops at MyST-NB's folded code cells with this theme. The HTML
site itself, printed page by page by the same Chromium the browser tests use, has everything:
the equations typeset by MathJax, the figures, the errata, the equation index, the glossary,
with the solutions unfolded (sphinx-togglebutton opens them for print).

1. serve ``book/_build/html`` on 127.0.0.1 and open each page of ``_toc.yml`` in order;
2. wait until MathJax has typeset every equation and every image has loaded, hide the
   navigation, print the page;
3. join the pages with poppler's ``pdfunite`` into ``book/_build/html/backprop-line-by-line.pdf``,
   the file the introduction links to.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

BOOK = Path(__file__).resolve().parent
ROOT = BOOK.parent
HTML = BOOK / "_build" / "html"
PDF = HTML / "backprop-line-by-line.pdf"
PDF_OPTIONS = {
    "format": "A4",
    "print_background": True,
    "display_header_footer": True,
    "header_template": "<span></span>",
    "footer_template": (
        '<div style="font-size:8px;width:100%;text-align:center;">'
        '<span class="title"></span> · <span class="pageNumber"></span></div>'
    ),
    "margin": {"top": "16mm", "bottom": "18mm", "left": "14mm", "right": "14mm"},
}

sys.path.insert(0, str(ROOT / "tests"))
from browser_utils import block_outside_requests, chromium_browser, serve_directory  # noqa: E402

READY = """async () => {
    if (window.MathJax && MathJax.startup && MathJax.startup.promise)
        await MathJax.startup.promise;
    const images = Array.from(document.images);
    await Promise.all(images.map(img => img.complete ? null : new Promise(done => {
        img.addEventListener('load', done); img.addEventListener('error', done); })));
    return document.querySelectorAll('article .math').length;
}"""

# Print layout: the page's content only, full width, no navigation.
PRINT_CSS = """
@page { size: A4; margin: 16mm 14mm; }
.bd-header, .bd-sidebar-primary, .bd-sidebar-secondary, .header-article, .prev-next-area,
.bd-footer, .bd-footer-content, .search-button-field, .headerlink, .copybtn {
  display: none !important;
}
.bd-main .bd-content .bd-article-container { max-width: 100% !important; }
.bd-page-width { max-width: 100% !important; }
div.math mjx-container { overflow: visible !important; background: none !important; }
pre { white-space: pre-wrap !important; word-break: break-word; }
"""


def toc_pages() -> list[str]:
    """The pages of the table of contents, in reading order, as html paths."""
    toc = yaml.safe_load((BOOK / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part.get("chapters", [])]
    return [f + ".html" for f in files]


def print_pdf(pages: list[str]) -> int:
    """Print each page into a temporary folder, join them into PDF; the number of equations."""
    equations = 0
    with tempfile.TemporaryDirectory() as tmp, serve_directory(HTML) as url:
        parts = []
        with chromium_browser() as browser:
            context = browser.new_context(viewport={"width": 1000, "height": 1400})
            for i, path in enumerate(pages):
                page = context.new_page()
                blocked = block_outside_requests(page)
                page.goto(url + path, wait_until="load", timeout=300_000)
                page.wait_for_load_state("networkidle", timeout=300_000)
                equations += page.evaluate(READY)
                page.add_style_tag(content=PRINT_CSS)
                page.emulate_media(media="print")
                parts.append(Path(tmp) / f"{i:02d}.pdf")
                page.pdf(path=str(parts[-1]), **PDF_OPTIONS)
                page.close()
                if blocked:
                    raise SystemExit(f"print_pdf: {path} asked outside hosts for {blocked}")
            context.close()
        subprocess.run(["pdfunite", *map(str, parts), str(PDF)], check=True)
    return equations


if __name__ == "__main__":
    t0 = time.perf_counter()
    pages = toc_pages()
    missing = [p for p in pages if not (HTML / p).is_file()]
    if missing:
        raise SystemExit(f"print_pdf: run `make book` first; not built: {missing}")
    n_math = print_pdf(pages)
    print(
        f"print_pdf: {PDF.relative_to(ROOT)} ({PDF.stat().st_size / 1e6:.1f} MB, {len(pages)} "
        f"pages of the book, {n_math} equations) in {time.perf_counter() - t0:.0f} s"
    )
