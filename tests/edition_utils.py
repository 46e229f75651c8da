"""What the student-edition tests share: the tools on sys.path, the lessons' solution code."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import jupytext

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import book_config  # noqa: E402
import myst_plain  # noqa: E402
import repository  # noqa: E402
import student_edition  # noqa: E402

__all__ = ["book_config", "myst_plain", "repository", "student_edition"]
STUDENT = ROOT / "student" / "notebooks"
LESSONS = [name for name, _ in student_edition.lessons()]
# MyST that must never show in a student notebook or in a page rendered from one.
MYST_SYNTAX = ["{math}", "{eq}", ":::", "{solution", ":label:", "{exercise}", "{doc}", "```{"]


def solution_cells(name: str, nb=None) -> list:
    """The code cells inside the solution regions of lesson ``name`` (of ``nb``, if given)."""
    nb = nb or jupytext.read(ROOT / "notebooks" / f"{name}.md")
    kept = {id(c) for c in myst_plain.strip_solutions(nb.cells)}
    return [c for c in nb.cells if c.cell_type == "code" and id(c) not in kept]


def _outside_solutions(name: str) -> str:
    """The source of every cell of lesson ``name`` that is not inside a solution."""
    nb = jupytext.read(ROOT / "notebooks" / f"{name}.md")
    ids = {id(c) for c in solution_cells(name, nb)}
    return "\n".join(c.source for c in nb.cells if id(c) not in ids)


def distinctive_lines(name: str) -> list[str]:
    """Lines of the lesson's solution code that appear outside the solutions of no lesson.

    The line ``answer = e / e.sum() - Y_SOFTMAX`` is a solution's; ``answer = ...`` is not, nor
    is an import that another lesson's own code has (the grep runs over the whole site).
    Lines under 12 characters and comments' own lines are left out as too generic to grep.
    """
    solution = solution_cells(name)
    elsewhere = "\n".join(_outside_solutions(lesson) for lesson in LESSONS)
    lines = []
    for cell in solution:
        for line in cell.source.splitlines():
            line = re.sub(r"\s+#.*$", "", line).strip()
            if len(line) >= 12 and not line.startswith("#") and line not in elsewhere:
                lines.append(line)
    return lines


def solution_prose(name: str) -> list[str]:
    """Plain sentences (no math, no code) of the lesson's solution text, 40 characters each."""
    nb = jupytext.read(ROOT / "notebooks" / f"{name}.md")
    inside, found = False, []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        pos = 0
        for m in myst_plain.SOLUTION_MARK.finditer(cell.source):
            if inside:
                found.append(cell.source[pos : m.start()])
            inside, pos = m["kind"] == "solution-start", m.end()
        if inside:
            found.append(cell.source[pos:])
    sentences = re.split(r"(?<=[.:;])\s+", " ".join(" ".join(found).split()))
    return [s[:40] for s in sentences if len(s) >= 40 and not re.search(r"[$`*{}]", s[:40])]
