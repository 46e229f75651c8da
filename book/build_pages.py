"""Write the book pages that are generated from mlpcore: the equation index and the API reference.

Run by ``make book`` before Jupyter Book, with the project's .venv. Both outputs are gitignored:
they are rebuilt from the code on every build, so they can never drift from it.

- ``book/equations.md`` comes from the equation registry,
  ``mlpcore.course.equations.index_markdown()``.
- ``book/api.md`` has one autodoc section per public module of mlpcore, found by walking the
  package, so a new module appears in the reference without anyone editing this file.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

BOOK = Path(__file__).resolve().parent

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


def equations_markdown() -> str:
    from mlpcore.course.equations import index_markdown

    return index_markdown()


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
