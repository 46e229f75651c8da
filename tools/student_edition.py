"""The student edition: each lesson as a plain-Markdown notebook with no solutions.

From the MyST source ``notebooks/NN_name.md`` (read into cells by jupytext) this writes
``student/notebooks/NN_name.ipynb`` (nbformat, no outputs), which renders in any Jupyter front
end without MyST (tools/myst_plain.py) and holds no solution: each ``{solution-start}`` …
``{solution-end}`` region is dropped, its code cells included. Exercises keep their blank
answer cell and their self-check. Cells tagged ``remove-cell`` or ``book-only`` are dropped;
the cell tagged ``student-install`` becomes a visible install cell derived from the repository
URL (tools/repository.py). ``nosolution_source`` gives the MyST text of a lesson without its
solutions, from which ``make book SOLUTIONS=0`` builds the book without solutions.

Usage: ``python tools/student_edition.py [OUT_DIR]`` (default ``student/notebooks``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import jupytext
import nbformat
import yaml
from myst_plain import number_labels, strip_solutions, to_plain
from repository import ROOT, STUDENT_DIR, install_cell, repository_url

NOTEBOOKS = ROOT / "notebooks"
TOC = ROOT / "book" / "_toc.yml"
OUT = ROOT / STUDENT_DIR / "notebooks"
DROP = {"remove-cell", "book-only"}
INSTALL = "student-install"


def lessons() -> list[tuple[str, int | None]]:
    """(name, chapter number or None) of every lesson, in the book's order and numbering."""
    found = []
    for part in yaml.safe_load(TOC.read_text(encoding="utf-8"))["parts"]:
        number = 0
        for chapter in part["chapters"]:
            path = chapter["file"]
            if path.startswith("notebooks/"):
                number += 1
                found.append((path.split("/", 1)[1], number if part.get("numbered") else None))
    return found


def _title(nb) -> str:
    for cell in nb.cells:
        for line in cell.source.splitlines() if cell.cell_type == "markdown" else []:
            if line.startswith("# "):
                return line[2:].split(". ", 1)[-1].strip() if line[2].isdigit() else line[2:]
    raise ValueError("a lesson has no '# ' title")


def context() -> dict:
    """The numbers and titles that references resolve to, over all lessons."""
    sources = {name: jupytext.read(NOTEBOOKS / f"{name}.md") for name, _ in lessons()}
    texts = [
        (chapter, "\n\n".join(c.source for c in sources[name].cells if c.cell_type == "markdown"))
        for name, chapter in lessons()
    ]
    return {
        "sources": sources,
        "equations": number_labels(texts, "math"),
        "exercises": number_labels(texts, "exercise"),
        "docs": {name: (_title(nb), f"{name}.ipynb") for name, nb in sources.items()},
    }


def student_notebook(name: str, url: str | None, ctx: dict):
    """The student edition of lesson ``name`` as an nbformat notebook (no outputs)."""
    nb = ctx["sources"][name]
    cells = []
    for cell in strip_solutions(nb.cells):
        tags = set(cell.metadata.get("tags", []))
        if cell.cell_type == "code" and INSTALL in tags:
            cells.append(nbformat.v4.new_code_cell(install_cell(url)))
        elif tags & DROP:
            continue
        elif cell.cell_type == "code":
            cells.append(nbformat.v4.new_code_cell(cell.source))
        elif cell.cell_type == "markdown":
            text = to_plain(cell.source, ctx["equations"], ctx["exercises"], ctx["docs"])
            cells.append(nbformat.v4.new_markdown_cell(text))
    for i, cell in enumerate(cells):
        cell.id = f"{name[:2]}-{i:03d}"  # stable ids: regenerating changes nothing
    out = nbformat.v4.new_notebook(cells=cells)
    out.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    return out


FROM_PYPROJECT = "pyproject"


def render(url: str | None = FROM_PYPROJECT, ctx: dict | None = None) -> dict[str, str]:
    """File name -> JSON text of every student notebook, for ``url`` (None: unpublished;
    by default ``[project.urls] Repository`` of pyproject.toml)."""
    ctx = ctx or context()
    url = repository_url() if url == FROM_PYPROJECT else url
    return {
        f"{name}.ipynb": nbformat.writes(student_notebook(name, url, ctx)) + "\n"
        for name, _ in lessons()
    }


def nosolution_source(name: str) -> str:
    """The MyST text of lesson ``name`` with every solution region removed."""
    nb = jupytext.read(NOTEBOOKS / f"{name}.md")
    nb.cells = strip_solutions(nb.cells)
    return jupytext.writes(nb, fmt="md:myst")


def write(out: Path = OUT) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for file, text in render().items():
        (out / file).write_text(text, encoding="utf-8")
        written.append(out / file)
    return written


if __name__ == "__main__":
    for path in write(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
