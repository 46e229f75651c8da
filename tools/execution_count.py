"""How many times `make test` executes each lesson, counted in the kernels themselves.

``setup DIR`` writes an IPython startup file into ``DIR/ipython`` (for ``IPYTHONDIR``). Every
IPython kernel started with ``IPYTHONDIR=DIR/ipython`` and ``MLPCORE_EXECUTION_LOG=DIR/cells.log``
(the book build's, nbclient's, JupyterLab's, Voila's) then appends one line per cell it runs:
a token of its own and the SHA-1 of the cell's source (stripped). It adds no name to the
kernel's namespace.

``report DIR`` reads that log. A lesson's signature is the set of its code cells (the MyST
source's and the student edition's) that no other lesson has; a kernel that ran any one of them
counts as one execution of the lesson, however few cells it ran. It prints the count of every
lesson and exits with 1 if one exceeds ``--max`` (default 2).

Usage: ``python tools/execution_count.py setup DIR`` / ``report DIR [--max N]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import defaultdict
from pathlib import Path

import jupytext
from repository import ROOT, STUDENT_DIR
from student_edition import lessons

LOG = "cells.log"
STARTUP = """\
# Written by tools/execution_count.py: one line per executed cell to $MLPCORE_EXECUTION_LOG.
def _mlpcore_execution_log():
    import hashlib
    import os
    import uuid

    log, token = os.environ.get("MLPCORE_EXECUTION_LOG"), uuid.uuid4().hex

    def record(info):
        digest = hashlib.sha1(info.raw_cell.strip().encode()).hexdigest()
        with open(log, "a", encoding="utf-8") as f:
            f.write(f"{token} {digest}\\n")

    if log:
        get_ipython().events.register("pre_run_cell", record)  # noqa: F821


_mlpcore_execution_log()
del _mlpcore_execution_log
"""


def digest(source: str) -> str:
    return hashlib.sha1(source.strip().encode()).hexdigest()


def setup(folder: Path) -> None:
    startup = folder / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    (startup / "00-execution-log.py").write_text(STARTUP, encoding="utf-8")
    (folder / LOG).touch()


def code_cells(name: str) -> set[str]:
    """Digests of the code cells of lesson ``name``: its MyST source and its student edition."""
    md = jupytext.read(ROOT / "notebooks" / f"{name}.md")
    sources = [c.source for c in md.cells if c.cell_type == "code"]
    student = ROOT / STUDENT_DIR / "notebooks" / f"{name}.ipynb"
    if student.exists():
        cells = json.loads(student.read_text(encoding="utf-8"))["cells"]
        sources += ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    return {digest(s) for s in sources if s.strip()}


def signatures(names: list[str]) -> dict[str, set[str]]:
    """Lesson -> digests of the code cells that are its alone."""
    cells = {name: code_cells(name) for name in names}
    return {
        name: own - set().union(*(cells[other] for other in names if other != name))
        for name, own in cells.items()
    }


def count(log_lines: list[str], signature: dict[str, set[str]]) -> dict[str, int]:
    """Lesson -> number of kernels that ran at least one of its signature cells."""
    ran = defaultdict(set)
    for line in log_lines:
        token, _, cell = line.strip().partition(" ")
        if cell:
            ran[token].add(cell)
    return {
        name: sum(bool(cells & own) for cells in ran.values()) for name, own in signature.items()
    }


def report(folder: Path, most: int) -> int:
    names = [name for name, _ in lessons()]
    counts = count((folder / LOG).read_text(encoding="utf-8").splitlines(), signatures(names))
    print("executions per lesson in this run (kernels that ran a cell of the lesson):")
    for name, n in counts.items():
        print(f"  {name:16} {n}{'   MORE THAN ' + str(most) if n > most else ''}")
    return int(any(n > most for n in counts.values()))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["setup", "report"])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--max", type=int, default=2)
    args = parser.parse_args()
    if args.action == "setup":
        setup(args.folder)
    else:
        sys.exit(report(args.folder, args.max))
