"""Write the book pages that are generated from mlpcore: the equation index and the API reference.

Run by ``make book`` before Jupyter Book, with the project's .venv. Both outputs are gitignored:
they are rebuilt from the code on every build, so they can never drift from it.

- ``book/equations.md`` comes from the equation registry, ``mlpcore.course.equations``: in the
  order of the document's sections, each lesson named by its title.
- ``book/api.md`` has one autodoc section per public module of mlpcore, found by walking the
  package, so a new module appears in the reference without anyone editing this file.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import yaml

BOOK = Path(__file__).resolve().parent
ROOT = BOOK.parent

# Modules left out of the API page: the per-lesson exercise checks are lesson plumbing.
SKIP_PREFIXES = ("mlpcore.course.exercises.lesson",)


def public_modules(package: str = "mlpcore") -> list[str]:
    """Names of the importable public modules of ``package`` (no part starting with ``_``)."""
    pkg = importlib.import_module(package)
    names = [package]
    for info in pkgutil.walk_packages(pkg.__path__, prefix=package + "."):
        parts = info.name.split(".")
        if any(part.startswith("_") for part in parts) or info.name.startswith(SKIP_PREFIXES):
            continue
        names.append(info.name)
    return names


def api_markdown() -> str:
    modules = public_modules()
    lines = [
        "# API reference",
        "",
        "Generated from the docstrings of `mlpcore` at build time. The names follow the",
        "document's notation: see the {doc}`glossary`. Everything listed under a module is also",
        "importable from the top-level package when it appears in `mlpcore.__all__`.",
        "",
    ]
    for name in modules:
        if name == "mlpcore":
            # The package docstring only; its members are documented in their own modules.
            lines += ["## `mlpcore`", "", "```{eval-rst}", ".. automodule:: mlpcore", "```", ""]
            continue
        lines += [
            f"## `{name}`",
            "",
            "```{eval-rst}",
            f".. automodule:: {name}",
            "   :members:",
            "   :show-inheritance:",
            "```",
            "",
        ]
    return "\n".join(lines)


def _section_key(section: str) -> tuple:
    """Sort "3.3" before "3.9" before "3.10": numbers compared as numbers, text as text."""
    return tuple(int(part) if part.isdigit() else part for part in re.findall(r"\d+|\D+", section))


def lesson_title(lesson: str) -> str:
    """The title of a lesson (its first "# " line), without its "N. " (the book numbers it)."""
    for line in (ROOT / lesson).read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return re.sub(r"^\d+\.\s+", "", line[2:].strip())
    return lesson


def numbered_lessons() -> set[str]:
    """The lessons of the numbered part of the table of contents (their equations get numbers)."""
    toc = yaml.safe_load((BOOK / "_toc.yml").read_text(encoding="utf-8"))
    return {
        chapter["file"] + ".md"
        for part in toc.get("parts", [])
        if part.get("numbered")
        for chapter in part.get("chapters", [])
    }


EQUATION_INDEX_INTRO = """# Equation index

Every labelled equation of the course, with the section of A. Azor's document it comes from,
the `mlpcore` function that implements it (its docstring names the label) and the lesson that
derives it. The page is generated from `mlpcore.course.equations` when the book is built;
`tests/test_equations.py` fails if any of these links breaks, and names the test that verifies
each equation. Sections in parentheses mark the course's own additions (batch forms, the step
size) to the part of the document they extend.
"""


def equations_markdown() -> str:
    """The book page "Equation index": one row per registered equation, in document order."""
    from mlpcore.course.equations import EQUATIONS

    numbered = numbered_lessons()
    lines = [
        EQUATION_INDEX_INTRO,
        "```{list-table}",
        ":header-rows: 1",
        ":class: eq-index",
        "",
        "* - Number",
        "  - Section",
        "  - Equation",
        "  - Function",
        "  - Lesson",
    ]
    for e in sorted(EQUATIONS, key=lambda e: _section_key(e.section)):
        doc = e.lesson.removesuffix(".md")
        math = rf"\begin{{gathered}}{e.latex}\end{{gathered}}" if r"\\" in e.latex else e.latex
        # An equation of an unnumbered lesson (the playground) has no number to show.
        number = f"{{eq}}`{e.label}`" if e.lesson in numbered else f"unnumbered (`{e.label}`)"
        lines += [
            f"* - {number}",
            f"  - {e.section}",
            f"  - {e.title}: ${math}$",
            f"  - `{e.function}`",
            f"  - [{lesson_title(e.lesson)}]({doc}.md)",
        ]
    lines += ["```", ""]
    return "\n".join(lines)


def write_if_changed(path: Path, text: str) -> None:
    """Rewrite only on change, so Sphinx does not re-read an unchanged page."""
    if not text.endswith("\n"):
        text += "\n"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def main() -> None:
    write_if_changed(BOOK / "equations.md", equations_markdown())
    write_if_changed(BOOK / "api.md", api_markdown())


if __name__ == "__main__":
    main()
