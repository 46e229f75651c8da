"""The source tree of the book without solutions: ``make book SOLUTIONS=0``.

It is the book's own tree (configuration, pages, extension, assets), with each lesson replaced
by its MyST text without solutions (tools/student_edition.py), next to its student notebook
(which the launch buttons name). Sphinx never sees a solution, so none can reach the site's
pages, ``_sources``, downloads or search index.

Its code cells are the student edition's, in the same order; only the install cell differs
(``outputs_for``). So `make test` executes them once, as the student edition in a fresh wheel
install (tests/student_runs.py), and builds this book from that run's outputs:
``--outputs-from RUN_DIR --cache CACHE`` stores each lesson, with the outputs of
``RUN_DIR/NN_name.ipynb``, in the book's execution cache, where the build finds it instead of
executing the lesson. The student's install has no myst-nb to record the values that the prose
quotes (``{glue}``): ``--glue-from BOOK_CACHE`` takes them from the teacher's book as executed
(its execution cache, ``book/_build/.jupyter_cache``), cell by cell.

Usage: ``python tools/nosolution_book.py SRC_DIR`` (book/build.sh gives
``book/_build/nosolutions/src``): the folder is emptied and rewritten. Then, if wanted,
``python tools/nosolution_book.py SRC_DIR --outputs-from RUN_DIR --cache CACHE
[--glue-from BOOK_CACHE]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
from pathlib import Path

import nbformat
from repository import ROOT
from student_edition import INSTALL, lessons, nosolution_source, render

BOOK = ROOT / "book"
# Everything of the book's source folder is copied but these: the build output, the lessons
# (rewritten below), the generated configuration, and the vendored libraries (linked).
SKIP = {"_build", "notebooks", "_vendor", "_config.generated.yml", "__pycache__"}


def write(src: Path) -> Path:
    if src.exists():
        shutil.rmtree(src)
    (src / "notebooks").mkdir(parents=True)
    for path in sorted(BOOK.iterdir()):
        if path.name in SKIP:
            continue
        if path.is_dir():
            ignore = shutil.ignore_patterns("__pycache__")
            shutil.copytree(path, src / path.name, ignore=ignore, symlinks=True)
        else:
            shutil.copy2(path, src / path.name)
    os.symlink(os.path.relpath(BOOK / "_vendor", src), src / "_vendor")
    notebooks = render()
    for name, _ in lessons():
        (src / "notebooks" / f"{name}.md").write_text(nosolution_source(name), encoding="utf-8")
        (src / "notebooks" / f"{name}.ipynb").write_text(notebooks[f"{name}.ipynb"])
    return src


def _glued(cell) -> list:
    """The outputs of an executed cell that record a value for ``{glue}`` (myst-nb's glue)."""
    return [o for o in cell.get("outputs", []) if "scrapbook" in o.get("metadata", {})]


def outputs_for(lesson, run, book=None) -> None:
    """Copy into ``lesson`` (the lesson without solutions, read as a notebook) the outputs of
    ``run`` (its student edition, executed): code cell by code cell, which must be the same
    cells in the same order; the install cell, whose source the student edition rewrites (and
    which the book removes), gets none.

    Without myst-nb (the student's install) ``mlpcore.course.glue`` records nothing; the values
    that the prose quotes are then taken from ``book`` (the teacher's book as executed), from the
    same cell, found in order among its code cells (which add the solutions').
    """
    mine = [c for c in lesson.cells if c.cell_type == "code"]
    theirs = [c for c in run.cells if c.cell_type == "code"]
    if len(mine) != len(theirs):
        raise ValueError(
            f"code cells: {len(mine)} in the lesson without solutions, {len(theirs)} in the"
            " student edition; expected the same cells"
        )
    teacher = iter([c for c in book.cells if c.cell_type == "code"] if book else [])
    for i, (cell, done) in enumerate(zip(mine, theirs, strict=True)):
        cell.execution_count, cell.outputs = None, []
        if INSTALL in cell.metadata.get("tags", []):
            continue
        if cell.source.strip() != done.source.strip():
            raise ValueError(
                f"code cell {i} differs from the student edition's:\n{cell.source}\n---\n"
                f"{done.source}"
            )
        cell.execution_count, cell.outputs = done.get("execution_count"), list(done.outputs)
        if book is not None and not _glued(done):
            same = next((c for c in teacher if c.source.strip() == cell.source.strip()), None)
            if same is None:
                raise ValueError(f"code cell {i} is not in the teacher's book:\n{cell.source}")
            cell.outputs += _glued(same)
    if "widgets" in run.metadata:
        lesson.metadata["widgets"] = run.metadata["widgets"]


def cache_outputs(src: Path, runs: Path, cache: Path, book: Path | None = None) -> None:
    """Store every lesson of ``src``, with the outputs of its run in ``runs`` (and the glued
    values of the teacher's lessons as executed into the cache ``book``), in the execution
    cache ``cache``, under the key the build computes from the lesson's code cells."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn
    from myst_nb.core.read import read_myst_markdown_notebook

    def read(path: Path):
        text = path.read_text(encoding="utf-8")
        return read_myst_markdown_notebook(text, add_source_map=True, path=path)

    store = get_cache(cache)
    for name, _ in lessons():
        path = src / "notebooks" / f"{name}.md"
        lesson = read(path)
        run = nbformat.read(runs / f"{name}.ipynb", as_version=4)
        teacher = None
        if book is not None:
            try:
                _, teacher = get_cache(book).merge_match_into_notebook(
                    read(BOOK / "notebooks" / path.name)
                )
            except KeyError:
                raise SystemExit(f"{name}: not in the cache {book}: run `make book`") from None
        outputs_for(lesson, run, teacher)
        bundle = CacheBundleIn(lesson, str(path), data={"from": str(runs / f"{name}.ipynb")})
        store.cache_notebook_bundle(bundle, check_validity=False, overwrite=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("src", type=Path)
    parser.add_argument("--outputs-from", type=Path, help="the executed student notebooks")
    parser.add_argument("--cache", type=Path, help="the book's execution cache")
    parser.add_argument("--glue-from", type=Path, help="the teacher's execution cache")
    args = parser.parse_args()
    if args.outputs_from:  # SRC_DIR was written before
        cache_outputs(args.src, args.outputs_from, args.cache, args.glue_from)
    else:
        print(write(args.src))
