"""The book without solutions (``make book SOLUTIONS=0``) ships no solution, anywhere; and no
page of either book links to a repository that is not configured.

The test builds that book (book/build.sh) from the outputs of the student edition's one run in
the fresh wheel install (tests/student_runs.py: the same code cells, tools/nosolution_book.py),
so the build executes no lesson itself; then it reads every file of its output tree: the pages
(as text, tags stripped, entities decoded), the search index, the executed notebooks, whatever
else is there. No distinctive line of any
solution's code, no sentence of any solution's text, and no ``{solution`` marker may appear.
The same grep over the teacher's book (built by `make book` before `make test` runs pytest)
must find them, so the grep is known to work.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from edition_utils import LESSONS, ROOT, distinctive_lines, repository, solution_prose

pytestmark = [pytest.mark.lesson, pytest.mark.slow]

TEACHER = ROOT / "book" / "_build" / "html"
NOSOLUTIONS = ROOT / "book" / "_build" / "nosolutions" / "_build" / "html"
BUILD_TIMEOUT_S = 1800
TEXT = {".html", ".js", ".txt", ".md", ".ipynb", ".json", ".css", ".inv", ".xml", ".py"}
OUTSIDE_LINK = re.compile(
    r"""(?:href|src)=["']([^"']*(?:github\.com|gitlab\.com|colab\.research|mybinder\.org)[^"']*)"""
)


@pytest.fixture(scope="module")
def nosolutions(student_runs):
    failed = sorted(student_runs["errors"])
    if failed:
        pytest.fail(f"the student edition did not run, so the book has no outputs: {failed}")
    env = {
        **os.environ,
        "VENV": str(Path(sys.executable).parents[1]),
        "SOLUTIONS": "0",
        "OUTPUTS_FROM": str(student_runs["dir"]),
    }
    done = subprocess.run(
        ["bash", "book/build.sh"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
    )
    if done.returncode:
        pytest.fail(
            f"the book without solutions did not build:\n{done.stdout[-4000:]}{done.stderr[-4000:]}"
        )
    log = done.stdout + done.stderr
    executed = re.findall(r"Executing notebook.*", log)
    assert executed == [], f"the build executed lessons instead of taking the run's outputs: {log}"
    assert len(re.findall(r"Using cached notebook", log)) == len(LESSONS), log[-4000:]
    return NOSOLUTIONS


def _texts(folder: Path):
    """(path, text) of every text file of a site; HTML pages as text, tags stripped."""
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.suffix not in TEXT:
            continue
        raw = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".html":
            raw = raw + "\n" + html.unescape(re.sub(r"<[^>]+>", "", raw))
        yield path, raw


def _found(folder: Path) -> dict[str, list[str]]:
    needles = {}
    for name in LESSONS:
        for line in distinctive_lines(name) + solution_prose(name):
            needles[line] = name
    hits: dict[str, list[str]] = {}
    for path, text in _texts(folder):
        flat = " ".join(text.split())
        for needle in needles:
            if needle in text or " ".join(needle.split()) in flat:
                hits.setdefault(needle, []).append(str(path.relative_to(folder)))
    return hits


def test_the_grep_finds_solutions_in_the_teachers_book():
    if not (TEACHER / "index.html").exists():
        pytest.fail("book/_build/html is missing: run `make book` first (make test does)")
    hits = _found(TEACHER)
    for name in LESSONS:
        if distinctive_lines(name):
            assert any(line in hits for line in distinctive_lines(name)), name
    assert any(p in hits for name in LESSONS for p in solution_prose(name))


def test_no_solution_anywhere_in_the_book_without_solutions(nosolutions):
    assert (nosolutions / "notebooks" / "03_dL.html").exists()
    assert not (nosolutions / "_sources").exists(), "page sources are copied into the site"
    hits = _found(nosolutions)
    assert hits == {}, f"solution text in the book without solutions: {list(hits.items())[:5]}"
    markers = [
        str(p.relative_to(nosolutions))
        for p, text in _texts(nosolutions)
        if "{solution" in text or "Solution to Exercise" in text
    ]
    assert markers == [], f"solution markup in: {markers[:5]}"
    # the exercises themselves are there, and the outputs of the student edition's run
    page = (nosolutions / "notebooks" / "03_dL.html").read_text()
    assert "Exercise 3.1" in html.unescape(re.sub(r"<[^>]+>", "", page))
    assert re.search(r'class="cell_output[^"]*"[^>]*>(?:(?!</section>).)*<img', page, re.S)


@pytest.mark.parametrize("book", ["teacher", "nosolutions"])
def test_no_link_to_an_unconfigured_repository(book, request):
    folder = TEACHER if book == "teacher" else request.getfixturevalue("nosolutions")
    if not (folder / "index.html").exists():
        pytest.fail(f"{folder} is missing: run `make book` first")
    url = repository.repository_url()
    links = {}
    for path in folder.rglob("*.html"):
        for link in OUTSIDE_LINK.findall(path.read_text(encoding="utf-8")):
            if url is None or not link.startswith(url) and url not in link:
                links.setdefault(link, str(path.relative_to(folder)))
    assert links == {}, f"links to a repository or launcher that is not configured: {links}"
    if url is None:
        pages = [p for p in folder.rglob("*.html") if "launch-buttons" in p.read_text()]
        assert pages == [], f"launch buttons on: {pages[:3]}"
