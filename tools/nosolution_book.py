"""The source tree of the book without solutions: ``make book SOLUTIONS=0``.

It is the book's own tree (configuration, pages, extension, assets), with each lesson replaced
by its MyST text without solutions (tools/student_edition.py), next to its student notebook
(which the launch buttons name). Sphinx never sees a solution, so none can reach the site's
pages, ``_sources``, downloads or search index.

Usage: ``python tools/nosolution_book.py SRC_DIR`` (book/build.sh gives
``book/_build/nosolutions/src``); the folder is emptied and rewritten.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from repository import ROOT
from student_edition import lessons, nosolution_source, render

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


if __name__ == "__main__":
    print(write(Path(sys.argv[1])))
