"""The one execution of the student edition in a `make test` run, shared by three tests.

``student_runs`` (session-scoped, registered in conftest.py) executes every student notebook
``student/notebooks/NN_name.ipynb`` with nbclient in the fresh wheel install (tests/student_env.py),
each in a folder of its own, two at a time, and writes each executed notebook to
``book/_build/student-run/NN_name.ipynb``. Then:

- tests/test_student_install.py checks that no cell failed and what each blank exercise shows;
- tests/test_book_nosolutions.py builds the book without solutions from these outputs (its
  code cells are the same: tools/nosolution_book.py), so that book executes nothing itself;
- tests/test_jupyterlab.py (stage 4) opens lesson 03 as executed here, and renders its outputs.
"""

from __future__ import annotations

import asyncio
import shutil
import time
import traceback

import nbformat
import pytest
from edition_utils import LESSONS, ROOT, STUDENT
from nbclient import NotebookClient

RUNS = ROOT / "book" / "_build" / "student-run"
CELL_TIMEOUT_S = 600  # generous: the machine may be loaded
JOBS = 2  # notebooks executed side by side


@pytest.fixture(scope="session")
def student_runs(student_venv, tmp_path_factory):
    """Yields ``{"dir": RUNS, "errors": {name: traceback text}, "seconds": wall time}``."""
    shutil.rmtree(RUNS, ignore_errors=True)
    RUNS.mkdir(parents=True)
    home = tmp_path_factory.mktemp("student_runs")
    errors: dict[str, str] = {}
    start = time.monotonic()

    async def run(name: str, gate: asyncio.Semaphore) -> None:
        folder = home / name
        folder.mkdir()
        shutil.copy2(STUDENT / f"{name}.ipynb", folder)
        nb = nbformat.read(folder / f"{name}.ipynb", as_version=4)
        client = NotebookClient(
            nb,
            timeout=CELL_TIMEOUT_S,
            kernel_name=student_venv["kernel"],
            resources={"metadata": {"path": str(folder)}},
        )
        async with gate:
            try:
                await client.async_execute()  # raises CellExecutionError on a failing cell
            except Exception:  # noqa: BLE001 - reported by the lesson's own test
                errors[name] = traceback.format_exc()
        nbformat.write(nb, RUNS / f"{name}.ipynb")

    async def run_all() -> None:
        gate = asyncio.Semaphore(JOBS)
        await asyncio.gather(*(run(name, gate) for name in LESSONS))

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JUPYTER_PATH", str(student_venv["jupyter_path"]))
        mp.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")
        asyncio.run(run_all())
    yield {"dir": RUNS, "errors": errors, "seconds": time.monotonic() - start}
