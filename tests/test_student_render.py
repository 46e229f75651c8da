"""The student edition rendered without MyST: nbconvert's HTML, opened offline in Chromium.

Each student notebook is converted with nbconvert (its JupyterLab template) into a folder that
also holds the MathJax 3 that book/vendor.sh fetched (nbconvert's ``mathjax_url`` points at a
small loader next to it), served on 127.0.0.1; every request leaving the machine is blocked. On
each page: every ``$$`` block is typeset as a display equation and every ``\\tag`` shows its
number, inline math is typeset, no formula is a MathJax error, no MyST shows in the text, and
no solution's code is anywhere on the page. This is how Colab, classic Notebook, VS Code and
GitHub show these notebooks: Markdown and MathJax, no MyST.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import nbformat
import pytest
from browser_utils import block_outside_requests, chromium_browser, serve_directory
from edition_utils import LESSONS, MYST_SYNTAX, ROOT, STUDENT, distinctive_lines
from nbconvert import HTMLExporter

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MATHJAX = ROOT / "book" / "_vendor" / "mathjax"
LOAD_TIMEOUT_MS = 120_000
# MathJax 3 reads its configuration from window.MathJax before it loads: $...$ inline.
# book/vendor.sh keeps MathJax's components (startup.js and the parts it loads), as the book does.
LOADER = """window.MathJax = {loader: {load: ['input/tex', 'output/chtml', 'a11y/assistive-mml']},
                  tex: {inlineMath: [['$', '$'], ['\\\\(', '\\\\)']],
                        processEscapes: true}};
(function () {
  var s = document.createElement('script');
  s.src = 'mathjax/startup.js';
  document.head.appendChild(s);
})();
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if not (MATHJAX / "startup.js").exists():
        pytest.fail("book/_vendor/mathjax is missing: run book/vendor.sh (make book does)")
    folder = tmp_path_factory.mktemp("student_html")
    os.symlink(MATHJAX, folder / "mathjax")
    (folder / "mathjax-loader.js").write_text(LOADER)
    exporter = HTMLExporter(template_name="lab", mathjax_url="mathjax-loader.js")
    for name in LESSONS:
        body, _ = exporter.from_notebook_node(nbformat.read(STUDENT / f"{name}.ipynb", 4))
        (folder / f"{name}.html").write_text(body, encoding="utf-8")
    with serve_directory(folder) as url, chromium_browser() as browser:
        yield url, browser, folder


def _typeset(page) -> dict:
    page.wait_for_function(
        "() => window.MathJax && MathJax.startup && MathJax.startup.promise",
        timeout=LOAD_TIMEOUT_MS,
    )
    page.evaluate("() => MathJax.startup.promise")
    return page.evaluate(
        """() => {
            const md = Array.from(document.querySelectorAll('.jp-RenderedMarkdown'));
            const all = (sel) => md.flatMap(c => Array.from(c.querySelectorAll(sel)));
            const text = md.map(c => {
                const copy = c.cloneNode(true);
                copy.querySelectorAll('mjx-container').forEach(e => e.remove());
                return copy.innerText;
            }).join('\\n');
            return {
                display: all('mjx-container[display="true"]').length,
                inline: all('mjx-container:not([display="true"])').length,
                tags: all('mjx-container[display="true"] mjx-assistive-mml mlabeledtr')
                    .map(e => e.firstElementChild.textContent.trim()),
                errors: all('mjx-merror').map(e => e.getAttribute('data-mjx-error')),
                text,
                page: document.body.innerText,
            };
        }"""
    )


@pytest.mark.parametrize("name", LESSONS)
def test_student_notebook_renders_without_myst(site, name):
    url, browser, folder = site
    nb = nbformat.read(STUDENT / f"{name}.ipynb", 4)
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    displays = markdown.count("$$") // 2
    tags = re.findall(r"\\tag\{([^}]*)\}", markdown)
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    try:
        block_outside_requests(page)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{url}{name}.html", timeout=LOAD_TIMEOUT_MS)
        view = _typeset(page)
        if os.environ.get("STUDENT_SCREENSHOTS"):
            shots = Path(os.environ["STUDENT_SCREENSHOTS"])
            page.screenshot(path=str(shots / f"{name}.nbconvert.png"))
    finally:
        page.close()
    assert view["errors"] == [], f"formulas MathJax could not typeset: {view['errors']}"
    assert view["display"] == displays, f"{view['display']} of {displays} $$ blocks typeset"
    assert view["tags"] == [f"({t})" for t in tags], "equation numbers not shown as written"
    if "$" in markdown.replace("$$", ""):
        assert view["inline"] > 0, "inline math is not typeset"
    assert "$" not in view["text"], "math left as $...$ source"
    shown = [s for s in MYST_SYNTAX if s in view["text"]]
    assert shown == [], f"MyST visible on the page: {shown}"
    found = [line for line in distinctive_lines(name) if line in view["page"]]
    assert found == [], f"solution code on the page: {found}"
    assert not [e for e in errors if "MathJax" in e], errors
