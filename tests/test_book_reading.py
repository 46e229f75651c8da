"""The book as readers see it, in headless Chromium: equations that fit, figures with alt text and
readable type, light pages, and no serious accessibility violations (axe-core).

Needs the built book (`make book`). Each check is a function returning plain data, so that
`python tests/test_book_reading.py` can print the measurements the issue asks for (clipped
equations per width, smallest figure text per lesson and width, page weights,
DOMContentLoaded, axe counts).
"""

from __future__ import annotations

import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browser_utils import block_outside_requests, chromium_browser, serve_directory  # noqa: E402

# Every test here reads the built book (and its PDF): stage 4 of make test, after `make pdf`.
pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "book" / "_build" / "html"
AXE = ROOT / "tests" / "_vendor" / "axe-core" / "axe.min.js"
NOT_PAGES = ("_static/", "_sources/", "_images/", "_downloads/")
DESKTOP, PHONE = 1280, 390
# The transcription of the source document keeps its equations as the document wrote them, one
# line each: they may be wider than the column, and then scroll with the cue.
TRANSCRIPTIONS = ("document.html",)
# Budgets of issue 14: bytes a lesson loads before its own images, and the whole site.
LESSON_BUDGET = 1_500_000
SITE_BUDGET = 12_000_000
# No text in a figure smaller than this share of the body text, at the width the page shows it.
MIN_FIGURE_TEXT = 0.8


def built_pages() -> list[str]:
    if not HTML.is_dir():
        return []
    pages = (p.relative_to(HTML).as_posix() for p in HTML.rglob("*.html"))
    return sorted(p for p in pages if not p.startswith(NOT_PAGES) and p != "index.html")


PAGES = built_pages()
LESSONS = [p for p in PAGES if p.startswith("notebooks/")]


# Every display equation: is its typeset content wider than the box it sits in, and if so, does
# that box scroll and show the cue (the scroll-shadow backgrounds of book.css)?
EQUATIONS = """() => Array.from(document.querySelectorAll('article div.math')).map(box => {
    // The theme lays div.math out as a flex row: the equation number, and the MathJax container,
    // which is the part that scrolls (overflow: auto) when the equation is wider than the rest.
    const holder = box.querySelector('mjx-container');
    const math = holder && holder.querySelector('mjx-math');
    if (!math) return {id: box.id, typeset: false};
    const style = getComputedStyle(holder);
    return {
        id: box.id || box.textContent.trim().slice(0, 40),
        typeset: true,
        need: Math.ceil(math.getBoundingClientRect().width),
        room: holder.clientWidth,
        scrolls: ['auto', 'scroll'].includes(style.overflowX),
        cue: style.backgroundImage.includes('gradient')
             && style.backgroundAttachment.includes('local'),
    };
})"""


def measure_equations(page) -> list[dict]:
    page.wait_for_function(
        "() => !document.querySelector('article div.math') || "
        "(window.MathJax && MathJax.startup && MathJax.startup.promise)",
        timeout=60_000,
    )
    page.evaluate("async () => { if (window.MathJax) await MathJax.startup.promise; }")
    return page.evaluate(EQUATIONS)


def clipped(equations: list[dict]) -> list[dict]:
    """Equations whose content is wider than their box (1 px of rounding allowed)."""
    return [e for e in equations if e["typeset"] and e["need"] > e["room"] + 1]


class _Images(HTMLParser):
    """The <img> tags of a page's article, with their attributes."""

    def __init__(self):
        super().__init__()
        self.images: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))


def article_images(page_path: str) -> list[dict]:
    text = (HTML / page_path).read_text(encoding="utf-8")
    start = text.find("<article")
    parser = _Images()
    parser.feed(text[start:] if start >= 0 else text)
    return parser.images


def bad_alt(img: dict) -> str | None:
    """Why an image's alt text does not describe it (None when it does)."""
    alt = (img.get("alt") or "").strip()
    src = img.get("src", "")
    name = src.rsplit("/", 1)[-1]
    if not alt:
        return "no alt text"
    if alt == src or alt == name or re.search(r"\.(png|svg|jpe?g|gif)$", alt, re.I):
        return f"alt text is a file name: {alt!r}"
    if len(alt.split()) < 4:
        return f"alt text too short to describe a figure: {alt!r}"
    return None


# The smallest text of each SVG figure of the article, in CSS px at the width the page shows it:
# mlpcore.course.figures.show records matplotlib's smallest font size (pt, the SVG's user unit)
# as data-smallest-font-pt; the displayed width over the viewBox width scales it to px. Also
# where each figure sits, to check that panels stack on a phone and that no figure is enlarged.
FIGURE_TEXT = """async () => {
    const body = parseFloat(getComputedStyle(document.querySelector('article p')).fontSize);
    const cells = Array.from(document.querySelectorAll('article div.cell'));
    const out = [];
    for (const img of document.querySelectorAll('article img')) {
        const name = img.src.split('/').pop();
        if (!img.src.endsWith('.svg')) { out.push({src: name, svg: false}); continue; }
        const text = await (await fetch(img.src)).text();
        const svg = new DOMParser().parseFromString(text, 'image/svg+xml').documentElement;
        const box = (svg.getAttribute('viewBox') || '').split(/[ ,]+/).map(Number);
        const rect = img.getBoundingClientRect();
        // The picture itself: without the padding and border the theme adds in dark mode.
        const st = getComputedStyle(img);
        const frame = ['paddingLeft', 'paddingRight', 'borderLeftWidth', 'borderRightWidth']
            .reduce((sum, key) => sum + parseFloat(st[key]), 0);
        const shown = rect.width - frame;
        const pt = parseFloat(svg.getAttribute('data-smallest-font-pt'));
        const cell = img.closest('div.cell');
        out.push({src: name, svg: true, body: body, width: Math.round(shown),
                  natural: img.naturalWidth, top: rect.top, bottom: rect.bottom,
                  cell: cells.indexOf(cell),
                  panels: !!(cell && cell.classList.contains('tag_panels')),
                  smallest: Number.isFinite(pt) ? pt * shown / box[2] : null});
    }
    return out;
}"""


def measure_figures(browser, site: str, page_path: str, width: int, dark=False) -> list[dict]:
    context, page, _ = open_page(browser, site, page_path, width, dark=dark)
    try:
        page.wait_for_load_state("networkidle", timeout=120_000)
        page.wait_for_function(
            "() => Array.from(document.querySelectorAll('article img')).every(i => i.complete)",
            timeout=120_000,
        )
        return page.evaluate(FIGURE_TEXT)
    finally:
        context.close()


def side_by_side(figures: list[dict]) -> list[tuple[str, str]]:
    """Pairs of figures of one cell that share a row (their heights overlap)."""
    pairs = []
    for n, a in enumerate(figures):
        for b in figures[n + 1 :]:
            if a["cell"] == b["cell"] and a["top"] < b["bottom"] - 1 and b["top"] < a["bottom"] - 1:
                pairs.append((a["src"], b["src"]))
    return pairs


def open_page(browser, site: str, page_path: str, width: int, dark: bool = False):
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        color_scheme="dark" if dark else "light",
    )
    page = context.new_page()
    blocked = block_outside_requests(page)
    page.goto(urljoin(site, page_path), wait_until="load", timeout=120_000)
    return context, page, blocked


def page_weight(browser, site: str, page_path: str) -> dict:
    """Bytes the page loads before its own images, and its DOMContentLoaded time in ms."""
    context = browser.new_context(viewport={"width": DESKTOP, "height": 900})
    page = context.new_page()
    sizes: dict[str, int] = {}

    def on_response(response):
        try:
            body = response.body()
        except Exception:  # a redirect or an aborted request has no body
            return
        sizes[response.url] = len(body)

    page.on("response", on_response)
    try:
        page.goto(urljoin(site, page_path), wait_until="load", timeout=120_000)
        page.evaluate("async () => { if (window.MathJax) await MathJax.startup.promise; }")
        page.wait_for_load_state("networkidle", timeout=120_000)
        dcl = page.evaluate(
            "() => { const t = performance.getEntriesByType('navigation')[0];"
            " return t.domContentLoadedEventEnd - t.startTime; }"
        )
    finally:
        context.close()
    own = [u for u in sizes if "/_images/" in u]
    return {
        "bytes": sum(v for u, v in sizes.items() if u not in own),
        "images": sum(sizes[u] for u in own),
        "dcl_ms": round(dcl),
        "largest": sorted(((v, u.rsplit("/", 1)[-1]) for u, v in sizes.items()), reverse=True)[:5],
    }


def axe_violations(browser, site: str, page_path: str, dark: bool) -> list[dict]:
    """axe-core's serious and critical violations on the page, in light or dark mode."""
    context, page, _ = open_page(browser, site, page_path, DESKTOP, dark=dark)
    try:
        page.evaluate("async () => { if (window.MathJax) await MathJax.startup.promise; }")
        if page.locator("article div.math").count():  # wide-equations.js has made them focusable
            page.wait_for_function("() => 'wideEquations' in document.documentElement.dataset")
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => JSON.stringify(await axe.run(document))")
    finally:
        context.close()
    found = json.loads(result)["violations"]
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:4]}
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


# The tests.


@pytest.fixture(scope="module")
def site():
    if not PAGES:
        pytest.fail("no built book in book/_build/html: run `make book` first")
    with serve_directory(HTML) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium_browser() as b:
        yield b


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("page_path", PAGES or ["(book not built)"])
def test_equations_fit_the_column_and_scroll_with_a_cue_on_a_phone(site, browser, page_path):
    context, page, _ = open_page(browser, site, page_path, DESKTOP)
    try:
        wide = measure_equations(page)
        page.set_viewport_size({"width": PHONE, "height": 900})
        narrow = measure_equations(page)
    finally:
        context.close()
    assert all(e["typeset"] for e in wide), "an equation was not typeset"
    if page_path not in TRANSCRIPTIONS:
        assert not clipped(wide), f"clipped at {DESKTOP} px: {clipped(wide)}"
    wide_no_cue = [e for e in clipped(wide) if not (e["scrolls"] and e["cue"])]
    assert not wide_no_cue, f"at {DESKTOP} px, wider than the column with no cue: {wide_no_cue}"
    no_cue = [e for e in clipped(narrow) if not (e["scrolls"] and e["cue"])]
    assert not no_cue, f"at {PHONE} px, wider than the screen with no scroll cue: {no_cue}"


@pytest.mark.parametrize("page_path", PAGES or ["(book not built)"])
def test_every_figure_has_alt_text_that_describes_it(page_path):
    if not PAGES:
        pytest.fail("no built book: run `make book` first")
    # The figures (book/_build/html/_images), not the theme's own icons (_static/minus.png).
    figures = [img for img in article_images(page_path) if "_images/" in img.get("src", "")]
    problems = [(img.get("src"), bad_alt(img)) for img in figures]
    problems = [p for p in problems if p[1]]
    assert not problems, f"{page_path}: {problems}"


def test_bad_alt_text_is_caught():
    assert bad_alt({"src": "../_images/46fb.png", "alt": "../_images/46fb.png"})
    assert bad_alt({"src": "x.svg", "alt": ""})
    assert bad_alt({"src": "x.svg", "alt": "46fb.svg"})
    assert bad_alt({"src": "x.svg", "alt": "loss against epoch: falls from 0.7 to 0.05"}) is None


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize(
    "width, dark",
    [(DESKTOP, False), (PHONE, False), (PHONE, True)],
    ids=["desktop", "phone", "phone-dark"],  # dark mode frames each figure: a little less room
)
@pytest.mark.parametrize("page_path", LESSONS or ["(book not built)"])
def test_figure_text_is_at_least_80_percent_of_body_text(site, browser, page_path, width, dark):
    figures = measure_figures(browser, site, page_path, width, dark)
    unmeasured = [f["src"] for f in figures if not f["svg"] or f["smallest"] is None]
    assert not unmeasured, f"figures with no record of their smallest text: {unmeasured}"
    small = [f for f in figures if f["smallest"] < MIN_FIGURE_TEXT * f["body"]]
    assert not small, f"at {width} px, figure text below {MIN_FIGURE_TEXT:.0%} of the body: {small}"
    # Shown at their own size or smaller: the column never enlarges a figure.
    enlarged = [f for f in figures if f["width"] > f["natural"] + 1]
    assert not enlarged, f"at {width} px, figures enlarged beyond their own size: {enlarged}"
    if width == PHONE:  # the panels of a figure stack, one under the other
        assert not side_by_side(figures), f"side by side on a phone: {side_by_side(figures)}"


def test_side_by_side_is_caught():
    a = {"src": "a", "cell": 1, "top": 0, "bottom": 100}
    b = {"src": "b", "cell": 1, "top": 10, "bottom": 90}
    assert side_by_side([a, b]) == [("a", "b")]
    assert side_by_side([a, {**b, "top": 100, "bottom": 200}]) == []
    assert side_by_side([a, {**b, "cell": 2}]) == []


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("page_path", LESSONS or ["(book not built)"])
def test_a_lesson_loads_at_most_1_5_MB_before_its_images(site, browser, page_path):
    weight = page_weight(browser, site, page_path)
    print(f"{page_path}: {weight}")
    assert weight["bytes"] <= LESSON_BUDGET, f"{page_path} loads {weight['bytes']} bytes: {weight}"


def test_the_site_is_light_and_ships_no_source_maps():
    if not PAGES:
        pytest.fail("no built book: run `make book` first")
    # The book's PDF (`make pdf`) is a download beside the site, not a part of its pages.
    files = [p for p in HTML.rglob("*") if p.is_file() and p.suffix != ".pdf"]
    maps = [p.relative_to(HTML).as_posix() for p in files if p.suffix == ".map"]
    assert not maps, f"source maps ship: {maps[:5]}"
    total = sum(p.stat().st_size for p in files)
    assert total <= SITE_BUDGET, f"the site is {total / 1e6:.1f} MB"
    icons = HTML / "_static" / "scripts" / "fontawesome.js"
    assert not icons.exists() or icons.stat().st_size < 100_000, "the whole icon font ships"


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("page_path", PAGES or ["(book not built)"])
def test_axe_finds_no_serious_violation(site, browser, page_path, dark):
    assert AXE.is_file(), "axe-core is fetched by book/vendor.sh"
    found = axe_violations(browser, site, page_path, dark)
    assert not found, f"{page_path} ({'dark' if dark else 'light'}): {found}"


def report_figures(browser, site: str) -> None:
    """The smallest figure text of each lesson, in px, as the page shows it."""
    for page_path in LESSONS:
        for width, dark in ((DESKTOP, False), (PHONE, False), (PHONE, True)):
            found = measure_figures(browser, site, page_path, width, dark)
            sizes = [f["smallest"] for f in found if f["svg"] and f["smallest"] is not None]
            smallest = f"{min(sizes):.1f} px" if sizes else "-"
            mode = "dark" if dark else "light"
            print(f"{page_path} at {width} ({mode}): {len(found)} figures, smallest {smallest}")


def report(only_figures: bool = False) -> None:
    """Print every measurement (python tests/test_book_reading.py), or only the figures'
    (python tests/test_book_reading.py figures)."""
    with serve_directory(HTML) as site, chromium_browser() as browser:
        if only_figures:
            report_figures(browser, site)
            return
        for page_path in PAGES:
            context, page, _ = open_page(browser, site, page_path, DESKTOP)
            wide = measure_equations(page)
            page.set_viewport_size({"width": PHONE, "height": 900})
            narrow = measure_equations(page)
            context.close()
            cue = sum(1 for e in clipped(narrow) if e["scrolls"] and e["cue"])
            print(
                f"{page_path}: {len(wide)} display equations, clipped at {DESKTOP}: "
                f"{len(clipped(wide))} {[e['id'] for e in clipped(wide)]}, at {PHONE}: "
                f"{len(clipped(narrow))} (with cue {cue})"
            )
        report_figures(browser, site)
        for page_path in PAGES:
            print(page_path, page_weight(browser, site, page_path))
        if AXE.is_file():
            for page_path in PAGES:
                for dark in (False, True):
                    found = axe_violations(browser, site, page_path, dark)
                    print(page_path, "dark" if dark else "light", len(found), found)
    files = [p for p in HTML.rglob("*") if p.is_file() and p.suffix != ".pdf"]
    print("site bytes (without the PDF)", sum(p.stat().st_size for p in files))


if __name__ == "__main__":
    report(only_figures=sys.argv[1:] == ["figures"])
