"""Print the whole book to one PDF with Debian's Chromium: what `make pdf` runs after `make book`.

Jupyter Book's own PDF routes do not work offline here: ``--builder pdfhtml`` downloads a
browser, and ``pdflatex`` needs a TeX installation of several hundred MB plus a font with
Greek. The single-page HTML build, printed by the same Chromium the browser tests use, has
everything the site has: the equations typeset by MathJax, the figures, the errata, the
equation index and the glossary, with the solutions unfolded (sphinx-togglebutton opens them
for print).

1. build ``book/_build/singlehtml`` (the lessons come from Jupyter Book's execution cache, so
   nothing is executed again);
2. serve it on 127.0.0.1, open it in headless Chromium, wait until MathJax has typeset every
   equation and every image has loaded;
3. print it to ``book/_build/html/backprop-line-by-line.pdf``, the file the introduction links
   to.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

BOOK = Path(__file__).resolve().parent
ROOT = BOOK.parent
SINGLE = BOOK / "_build" / "singlehtml"
PDF_NAME = "backprop-line-by-line.pdf"
PDF = BOOK / "_build" / "html" / PDF_NAME

sys.path.insert(0, str(ROOT / "tests"))
from browser_utils import block_outside_requests, chromium_browser, serve_directory  # noqa: E402

READY = """async () => {
    if (window.MathJax && MathJax.startup && MathJax.startup.promise)
        await MathJax.startup.promise;
    const images = Array.from(document.images);
    await Promise.all(images.map(img => img.complete ? null : new Promise(done => {
        img.addEventListener('load', done); img.addEventListener('error', done); })));
    return document.querySelectorAll('.math').length;
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
"""


def build_singlehtml(python: str) -> None:
    subprocess.run(
        [
            python,
            "-m",
            "jupyter_book.cli.main",
            "build",
            str(BOOK),
            "--path-output",
            str(BOOK),
            "--builder",
            "singlehtml",
            "--keep-going",
        ],
        check=True,
        cwd=ROOT,
    )


def print_pdf() -> int:
    with serve_directory(SINGLE) as url, chromium_browser() as browser:
        context = browser.new_context(viewport={"width": 1000, "height": 1400})
        page = context.new_page()
        blocked = block_outside_requests(page)
        page.goto(url + "index.html", wait_until="load", timeout=300_000)
        if "intro.html" in page.url or page.locator("article").count() == 0:
            page.goto(url + "intro.html", wait_until="load", timeout=300_000)
        page.wait_for_load_state("networkidle", timeout=300_000)
        count = page.evaluate(READY)
        page.add_style_tag(content=PRINT_CSS)
        page.emulate_media(media="print")
        PDF.parent.mkdir(parents=True, exist_ok=True)
        page.pdf(
            path=str(PDF),
            format="A4",
            print_background=True,
            display_header_footer=True,
            header_template="<span></span>",
            footer_template=(
                '<div style="font-size:8px;width:100%;text-align:center;">'
                '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
            ),
            margin={"top": "16mm", "bottom": "18mm", "left": "14mm", "right": "14mm"},
        )
        context.close()
        if blocked:
            raise SystemExit(f"print_pdf: requests to outside hosts: {blocked}")
        return count


if __name__ == "__main__":
    t0 = time.perf_counter()
    build_singlehtml(sys.executable)
    t1 = time.perf_counter()
    n_math = print_pdf()
    t2 = time.perf_counter()
    print(
        f"print_pdf: {PDF.relative_to(ROOT)} ({PDF.stat().st_size / 1e6:.1f} MB, {n_math} "
        f"equations); singlehtml build {t1 - t0:.0f} s, printing {t2 - t1:.0f} s"
    )
