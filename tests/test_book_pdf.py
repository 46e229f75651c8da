"""The PDF of the whole book (`make pdf`, book/print_pdf.py), read back with poppler's pdftotext.

Every lesson's title is in it, and the reference pages (errata, equation index, glossary); no
reference is left unresolved ("??"); no character is missing (U+FFFD); equations are typeset
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
    for page in ("Equation index", "Glossary", "References", "Errata"):
        assert page.lower() in flat.lower(), f"{page} missing from the PDF"
    print(f"{PDF.name}: {pages()} pages")


def test_no_unresolved_reference_or_missing_glyph(text):
    assert "??" not in text, "an unresolved reference (??) in the PDF"
    assert "\ufffd" not in text, "a missing glyph in the PDF"
    assert "\\(" not in text and "\\[" not in text, "raw TeX in the PDF"


def test_the_book_links_to_the_pdf():
    intro = (HTML / "intro.html").read_text(encoding="utf-8")
    assert f'href="{PDF.name}"' in intro, "the introduction does not link to the PDF"
