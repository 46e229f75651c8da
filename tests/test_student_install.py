"""The student edition runs where a student installs the course.

The wheel is built and installed non-editable with the ``student`` extra into a fresh virtual
environment (tests/student_env.py). Every student notebook is executed there by nbclient, in a
folder of its own (tests/student_runs.py, once for the whole run): no cell may fail, and each
blank exercise shows its prompt (whatever the wording, not a ✓) and raises nothing.
"""

from __future__ import annotations

import subprocess
import zipfile

import nbformat
import pytest
from edition_utils import LESSONS

pytestmark = [pytest.mark.lesson, pytest.mark.slow]


def test_wheel_holds_every_subpackage(student_venv):
    names = zipfile.ZipFile(student_venv["wheel"]).namelist()
    for module in [
        "mlpcore/network.py",
        "mlpcore/course/figures.py",
        "mlpcore/course/exercises/lesson03.py",
        "mlpcore/course/playground/app.py",
    ]:
        assert module in names, f"{module} is not in the wheel"


def test_student_extra_installs_what_lessons_need_and_no_book(student_venv):
    python = str(student_venv["python"])
    outside = {"cwd": student_venv["venv"].parent, "env": student_venv["env"]}  # not the repo
    need = "import matplotlib, ipywidgets, tqdm, sklearn, ipykernel, mlpcore.course.exercises"
    subprocess.run([python, "-c", need], check=True, **outside)
    for tool in ("jupyter_book", "sphinx", "pytest", "jupyterlab"):
        found = subprocess.run([python, "-c", f"import {tool}"], capture_output=True, **outside)
        assert found.returncode != 0, f"the student extra installs {tool}"
    where = subprocess.run(
        [python, "-c", "import mlpcore; print(mlpcore.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        **outside,
    ).stdout
    assert str(student_venv["venv"]) in where, f"mlpcore is not the installed wheel: {where}"


@pytest.mark.parametrize("name", LESSONS)
def test_student_notebook_runs_in_the_fresh_install(student_runs, name):
    assert name not in student_runs["errors"], student_runs["errors"].get(name)
    nb = nbformat.read(student_runs["dir"] / f"{name}.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    assert all(c.execution_count for c in code), "a code cell did not run"
    exercises = [c for c in nb.cells if c.cell_type == "code" and "answer = ..." in c.source]
    for cell in exercises:  # a check's Feedback is the cell's result; a print would be a stream
        text = "".join(
            o.get("text", "")
            if o.output_type == "stream"
            else o.get("data", {}).get("text/plain", "")
            for o in cell.outputs
        )
        assert text.strip(), f"a blank exercise shows nothing:\n{cell.source}"
        assert "✓" not in text and "✗" not in text, f"a blank exercise is judged:\n{text}"
        assert not [o for o in cell.outputs if o.output_type == "error"]
