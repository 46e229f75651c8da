"""The built book in a real browser, offline: every page of book/_build/html, one test each.

`make test` builds the book first (`make book`). The site is served by a local http.server on
127.0.0.1 and opened in headless Debian Chromium through Playwright; every request that leaves
127.0.0.1 is blocked and counts as a failure. For each page:

- no failed request, no HTTP error, no console error, no uncaught exception;
- every math element typeset by MathJax, and no raw ``\\(`` or ``\\[`` left in the text;
- every embedded widget view drawn;
- every link of the sidebar resolves to a built page, and the sidebar lists the whole table of
  contents;
- on a lesson: Binder and Colab buttons that open the paired .ipynb, a notebook download that
  exists, exercise solutions folded in dropdowns, and a screenshot of its first screen saved to
  book/_build/screenshots/ (look at them).
"""

from __future__ import annotations

import importlib.util
import re
import time
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml
from browser_utils import block_outside_requests, chromium_browser, serve_directory

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
HTML = BOOK / "_build" / "html"
SCREENSHOTS = BOOK / "_build" / "screenshots"
NOT_PAGES = ("_static/", "_sources/", "_images/")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _load(path: Path):
    """Import a helper script of book/ by its path (book/ is not a package)."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


book_extras = _load(BOOK / "_ext" / "book_extras.py")
build_pages = _load(BOOK / "build_pages.py")


def built_pages() -> list[str]:
    """Every HTML page of the built site, as a path relative to its root."""
    if not HTML.is_dir():
        return []
    pages = (p.relative_to(HTML).as_posix() for p in HTML.rglob("*.html"))
    return sorted(p for p in pages if not p.startswith(NOT_PAGES))


def toc_files() -> list[str]:
    """The documents of book/_toc.yml, as html paths ("notebooks/01_notation.html")."""
    toc = yaml.safe_load((BOOK / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                files.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk({k: v for k, v in toc.items() if k != "root"})
    return [str(Path(f).with_suffix(".html").as_posix()) for f in files]


def repository_url() -> str | None:
    """``[project.urls] Repository`` (tools/repository.py): None while the course is unpublished."""
    from edition_utils import repository

    return repository.repository_url()


PAGES = built_pages()
LESSONS = [p for p in toc_files() if p.startswith("notebooks/")]


@pytest.fixture(scope="module")
def site():
    """Base URL of the built book, served from 127.0.0.1 for the duration of the module."""
    if not PAGES:
        pytest.fail(f"no built book in {HTML.relative_to(ROOT)}: run `make book` first")
    with serve_directory(HTML) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    with chromium_browser() as b:
        yield b


class PageProblems:
    """Everything that went wrong while a page loaded."""

    def __init__(self, page):
        self.blocked = block_outside_requests(page)
        self.failed: list[str] = []
        self.console: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.console.append(f"uncaught: {exc}"))
        page.on("requestfailed", lambda req: self.failed.append(f"{req.url} ({req.failure})"))
        page.on("response", self._on_response)
        # Requests in flight: Playwright's "networkidle" sometimes never fires for these pages
        # (seen on a loaded machine with no request pending), so the test counts them itself.
        self.pending: set = set()
        page.on("request", lambda req: self.pending.add(req))
        page.on("requestfinished", lambda req: self.pending.discard(req))
        page.on("requestfailed", lambda req: self.pending.discard(req))

    def wait_until_idle(self, page, quiet_ms: int = 500, timeout_s: float = 60) -> None:
        """Wait until no request has been in flight for ``quiet_ms`` (a condition, polled)."""
        deadline, quiet_since = time.monotonic() + timeout_s, None
        while time.monotonic() < deadline:
            if self.pending:
                quiet_since = None
            elif quiet_since is None:
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since >= quiet_ms / 1000:
                return
            page.wait_for_timeout(100)  # lets Playwright deliver the request events
        raise AssertionError(f"requests still in flight: {[r.url for r in self.pending]}")

    def _on_console(self, msg):
        if msg.type == "error":
            self.console.append(f"{msg.text} [{msg.location.get('url', '')}]")

    def _on_response(self, response):
        if response.status >= 400:
            self.failed.append(f"{response.url} (HTTP {response.status})")


# JavaScript run in the page. Each returns plain data for the asserts.
MATH_READY = """async () => {
    if (!window.MathJax || !MathJax.startup || !MathJax.startup.promise) return false;
    await MathJax.startup.promise;
    return true;
}"""
MATH_STATE = """() => {
    const maths = Array.from(document.querySelectorAll('.math'));
    const untypeset = maths.filter(el => !el.querySelector('mjx-container'))
                           .map(el => el.textContent.slice(0, 80));
    const raw = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const skip = 'PRE, CODE, SCRIPT, STYLE, TEXTAREA, MJX-CONTAINER, .highlight';
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent;
        if ((text.includes('\\\\(') || text.includes('\\\\[')) && !node.parentElement.closest(skip))
            raw.push(text.trim().slice(0, 80));
    }
    return {count: maths.length, untypeset: untypeset, raw: raw};
}"""
WIDGETS_DRAWN = """() => {
    const views = Array.from(document.querySelectorAll(
        'script[type="application/vnd.jupyter.widget-view+json"]'));
    // The html-manager draws each view into a div.widget-subarea inside the script's output.
    return views.length > 0 && views.every(
        s => s.parentElement.querySelector('.widget-subarea .jupyter-widgets') !== null);
}"""
SIDEBAR_LINKS = """() => Array.from(
    document.querySelectorAll('.bd-sidebar-primary nav a[href]')).map(a => a.href)"""
LINKS = """() => Array.from(document.querySelectorAll('a[href]')).map(a => a.href)"""


def resolves(url: str, base: str) -> bool:
    """Does an URL of the site point at a built file?"""
    path = unquote(urlsplit(url).path)[len(urlsplit(base).path) :]
    target = HTML / path
    if path == "" or path.endswith("/"):
        target = target / "index.html"
    return target.is_file()


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("page_path", PAGES or ["(book not built)"])
def test_page(site, browser, page_path):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    problems = PageProblems(page)
    try:
        url = urljoin(site, page_path)
        page.goto(url, wait_until="load")
        if page_path == "index.html":
            # The root only redirects to the introduction; check the page it lands on.
            page.wait_for_url("**/intro.html")
            page.wait_for_load_state("load")
            page_path = "intro.html"
        html = (HTML / page_path).read_text(encoding="utf-8")

        # Math (in the body or in the sidebar's titles): MathJax must load and typeset all of it.
        if page.locator(".math").count():
            assert page.evaluate(MATH_READY), "the page has math but MathJax did not load"
        math = page.evaluate(MATH_STATE)
        assert not math["untypeset"], f"math left untypeset: {math['untypeset'][:5]}"
        assert not math["raw"], f"raw TeX in the text: {math['raw'][:5]}"

        # Widgets: each embedded view is drawn by the html-manager in the div after its script.
        if WIDGET_VIEW in html:
            page.wait_for_function(WIDGETS_DRAWN, timeout=20_000)

        problems.wait_until_idle(page)

        # The sidebar: every link resolves, and it lists every document of the table of contents.
        sidebar = page.evaluate(SIDEBAR_LINKS)
        internal = [u for u in sidebar if u.startswith(site)]
        broken = [u for u in internal if not resolves(u, site)]
        assert not broken, f"sidebar links to pages that were not built: {broken}"
        listed = {unquote(urlsplit(u).path)[len(urlsplit(site).path) :] for u in internal}
        missing = [f for f in toc_files() if f not in listed and f != page_path]
        assert not missing, f"sidebar does not list {missing}"

        if page_path in LESSONS:
            check_lesson(page, page_path, site)

        assert not problems.blocked, f"requests to outside hosts: {problems.blocked}"
        assert not problems.failed, f"failed requests: {problems.failed}"
        assert not problems.console, f"console errors: {problems.console}"
    finally:
        context.close()


def check_lesson(page, page_path: str, site: str) -> None:
    stem = Path(page_path).stem
    # The lesson's own "4. " is dropped from its title: the book numbers chapters itself.
    title = page.locator("article h1").first.inner_text()
    assert not re.match(r"\d+\.\s*\d+\.", title), f"numbered twice: {title!r}"
    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / f"{stem}.png"))

    links = page.evaluate(LINKS)
    notebook = f"notebooks/{stem}.ipynb"
    url = repository_url()
    if url is None:  # unpublished: no button may lead to a repository that does not exist
        outside = [link for link in links if re.search(r"github|colab|mybinder", link)]
        assert outside == [], f"links to an unconfigured repository: {outside}"
    else:  # the launch buttons open the student edition
        student = f"student/{notebook}"
        repo = url.removeprefix("https://github.com/")
        binder = f"https://mybinder.org/v2/gh/{repo}/main?urlpath=lab/tree/{student}"
        colab = f"https://colab.research.google.com/github/{repo}/blob/main/{student}"
        assert binder in links, f"no Binder button opening {student}"
        assert colab in links, f"no Colab button opening {student}"
        assert (ROOT / student).is_file(), f"the launch buttons open {student}, which is missing"
    download = urljoin(site, f"_sources/{notebook}")
    assert download in links, "no download button for the notebook"
    assert resolves(download, site), f"the notebook download {download} was not built"

    # Solutions are folded: sphinx-exercise renders `:class: dropdown` as a toggled admonition.
    solutions = page.locator("div.solution")
    for i in range(solutions.count()):
        classes = solutions.nth(i).get_attribute("class") or ""
        assert "dropdown" in classes, f"solution {i + 1} of {stem} is not in a dropdown"


# The book's build helpers, without a browser.


@pytest.mark.parametrize(
    ("docstring", "rest"),
    [
        (
            "shows $z^{(p)} = y_\\mathrm{pred}$ here",
            "shows :math:`z^{(p)} = y_\\mathrm{pred}` here",
        ),
        ("edge widths |w^(k)|, then", "edge widths \\|w^(k)\\|, then"),
        ("a table | a | b | row", "a table | a | b | row"),
        ("literal ``|x|`` and :math:`|x|` stay", "literal ``|x|`` and :math:`|x|` stay"),
        ("applied elementwise (eq-g).", "applied elementwise :eq:`eq-g`."),
        ("label eq-dW, unknown eq-not-a-label", "label :eq:`eq-dW`, unknown eq-not-a-label"),
        ("a price of \\$5 and $$x$$", "a price of \\$5 and $$x$$"),
    ],
)
def test_docstrings_are_adapted_to_rest(docstring, rest):
    assert book_extras._plain_text_to_rest(docstring) == rest


def test_api_page_documents_every_public_module():
    modules = build_pages.public_modules()
    assert {"mlpcore", "mlpcore.forward", "mlpcore.backward", "mlpcore.train"} <= set(modules)
    assert not [m for m in modules if any(part.startswith("_") for part in m.split("."))]
    assert not [m for m in modules if m.startswith("mlpcore.course.exercises.lesson")]
    page = build_pages.api_markdown()
    for name in modules[1:]:
        assert f".. automodule:: {name}\n   :members:" in page


def test_toc_lists_the_lessons_in_order():
    lessons = [p for p in toc_files() if p.startswith("notebooks/")]
    sources = sorted(
        f"notebooks/{md.stem}.html"
        for md in (ROOT / "notebooks").glob("*.md")
        if md.name != "README.md"
    )
    # File numbers follow the book's order: lessons 01-07, the playground 08, the errata 09.
    assert lessons == sources
    for page in lessons:
        assert (ROOT / page).with_suffix(".md").is_file(), f"{page}: no lesson source"
