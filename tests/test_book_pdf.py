"""The PDF of the whole book (`make pdf`, book/build_pdf.py), read back with poppler's pdftotext.

Every lesson's title is in it, and the reference pages (errata, the transcribed document, equation
index, glossary); no reference is left unresolved ("??"); no character is missing, neither as
U+FFFD nor as a glyph XeLaTeX could not find in its fonts (its log says so); Greek letters
survive as text; every figure is drawn (none fell back to its text form); equations are typeset
(no raw ``\\(``); and the introduction links to it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

# Every test here reads the built book (and its PDF): stage 4 of make test, after `make pdf`.
pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "book" / "_build" / "html"
PDF = HTML / "backprop-line-by-line.pdf"
LATEX_LOG = ROOT / "book" / "_build" / "pdf" / "_build" / "latex" / "backprop-line-by-line.log"
LESSONS = sorted((ROOT / "notebooks").glob("0*.md"))


def lesson_title(path: Path) -> str:
    """The title as printed: the "# N. ..." line without its number and its math."""
    line = next(t for t in path.read_text(encoding="utf-8").splitlines() if t.startswith("# "))
    title = re.sub(r"^\d+\.\s+", "", line[2:])
    return re.sub(r"\$[^$]*\$", "", title).strip(" :")


@pytest.fixture(scope="module")
def text() -> str:
    if not PDF.is_file():
        pytest.fail("no book PDF: run `make pdf`")
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: .ci/run installs poppler-utils")
    out = subprocess.run(["pdftotext", "-layout", str(PDF), "-"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout


def pages() -> int:
    info = subprocess.run(["pdfinfo", str(PDF)], capture_output=True, text=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def test_every_lesson_and_reference_page_is_in_the_pdf(text):
    flat = " ".join(text.split())
    missing = [p.name for p in LESSONS if " ".join(lesson_title(p).split()[:4]) not in flat]
    assert not missing, f"lessons missing from the PDF: {missing}"
    for page in ("Equation index", "Glossary", "References", "Errata", "The source document"):
        assert page.lower() in flat.lower(), f"{page} missing from the PDF"
    print(f"{PDF.name}: {pages()} pages")


def test_no_unresolved_reference_or_missing_glyph(text):
    assert "??" not in text, "an unresolved reference (??) in the PDF"
    assert "\ufffd" not in text, "a missing glyph in the PDF"
    assert "\\(" not in text and "\\[" not in text, "raw TeX in the PDF"


def test_no_glyph_missing_from_the_fonts():
    """XeLaTeX drops a character its font lacks, with only a line in its log to say so."""
    if not LATEX_LOG.is_file():
        pytest.fail("no XeLaTeX log: run `make pdf`")
    log = LATEX_LOG.read_text(encoding="utf-8", errors="replace")
    lost = sorted(set(re.findall(r"Missing character: There is no (.+?) in font", log)))
    assert not lost, f"characters missing from the PDF's fonts: {lost}"


def test_nothing_runs_off_the_bottom_of_a_page():
    """A box that cannot break across pages overflows the page, and its end is lost."""
    log = LATEX_LOG.read_text(encoding="utf-8", errors="replace")
    tall = [float(x) for x in re.findall(r"Overfull \\vbox \(([\d.]+)pt too high\)", log)]
    assert all(x < 12 for x in tall), f"content runs off the page by {max(tall):.0f} pt"


def test_greek_letters_survive(text):
    """The prose and the code write α, σ and Σ as characters: a font without Greek loses them."""
    for letter in "ασΣ":
        assert letter in text, f"{letter!r} is missing from the PDF's text"


def test_every_figure_is_drawn(text):
    """A figure the LaTeX build cannot take falls back to its text form."""
    assert "IPython.core.display" not in text, "a figure printed as text, not drawn"


def test_the_book_links_to_the_pdf():
    intro = (HTML / "intro.html").read_text(encoding="utf-8")
    assert f'href="{PDF.name}"' in intro, "the introduction does not link to the PDF"
