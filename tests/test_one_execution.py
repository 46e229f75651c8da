"""What lets `make test` execute each lesson at most twice (the book, then the student edition
in a fresh wheel install), and the counter that checks it (tools/execution_count.py).

- The book without solutions has the student edition's code cells, in the same order, so it
  can be built from the student edition's run (tools/nosolution_book.py); if a cell differed,
  that build would fail, and so does this test.
- The counter counts a kernel as one execution of a lesson when it ran any cell that is the
  lesson's alone; it adds no name to the kernel's namespace.
"""

from __future__ import annotations

import copy
import importlib

import jupytext
import nbformat
import pytest
from edition_utils import LESSONS, ROOT, STUDENT, student_edition
from nbclient import NotebookClient

# tools/ is on sys.path once edition_utils is imported
execution_count = importlib.import_module("execution_count")
nosolution_book = importlib.import_module("nosolution_book")


def _pair(name: str):
    lesson = jupytext.reads(student_edition.nosolution_source(name), fmt="md:myst")
    return lesson, nbformat.read(STUDENT / f"{name}.ipynb", as_version=4)


@pytest.mark.parametrize("name", LESSONS)
def test_the_book_without_solutions_has_the_student_editions_code_cells(name):
    lesson, student = _pair(name)
    for cell in student.cells:
        if cell.cell_type == "code":
            cell.outputs = [nbformat.v4.new_output("stream", text=f"ran {cell.id}\n")]
    nosolution_book.outputs_for(lesson, student)
    code = [c for c in lesson.cells if c.cell_type == "code"]
    install = [c for c in code if "student-install" in c.metadata.get("tags", [])]
    assert len(install) == 1 and install[0].outputs == []
    assert all(c.outputs for c in code if c not in install)


def test_a_different_cell_is_refused():
    lesson, student = _pair(LESSONS[2])
    changed = copy.deepcopy(student)
    cell = [c for c in changed.cells if c.cell_type == "code"][-1]
    cell.source += "\nprint('more')"
    with pytest.raises(ValueError, match="differs"):
        nosolution_book.outputs_for(copy.deepcopy(lesson), changed)
    shorter = copy.deepcopy(student)
    del shorter.cells[[i for i, c in enumerate(shorter.cells) if c.cell_type == "code"][-1]]
    with pytest.raises(ValueError, match="code cells"):
        nosolution_book.outputs_for(copy.deepcopy(lesson), shorter)


def test_glued_values_come_from_the_teachers_run():
    lesson, student = _pair(LESSONS[0])
    teacher = jupytext.read(ROOT / "notebooks" / f"{LESSONS[0]}.md")
    source = [c for c in lesson.cells if c.cell_type == "code"][-1].source
    last = next(c for c in teacher.cells if c.cell_type == "code" and c.source == source)
    record = nbformat.v4.new_output(
        "display_data", data={"application/papermill.record/text/plain": "42"}
    )
    record.metadata = {"scrapbook": {"name": "x", "mime_prefix": "application/papermill.record/"}}
    last.outputs = [record]
    nosolution_book.outputs_for(lesson, student, teacher)
    assert [c for c in lesson.cells if c.cell_type == "code"][-1].outputs == [record]


def test_count_kernels_per_lesson():
    signature = {"a": {"a1", "a2"}, "b": {"b1"}}
    log = ["k1 a1", "k1 a2", "k1 shared", "k2 a2", "k2 b1", "k3 shared", "k4 b1", ""]
    assert execution_count.count(log, signature) == {"a": 2, "b": 2}


def test_every_lesson_has_cells_of_its_own():
    signature = execution_count.signatures(LESSONS)
    assert all(signature[name] for name in LESSONS), signature


def test_the_kernel_logs_each_cell_and_keeps_its_namespace(tmp_path, monkeypatch):
    execution_count.setup(tmp_path)
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    monkeypatch.setenv("MLPCORE_EXECUTION_LOG", str(tmp_path / execution_count.LOG))
    cells = ["x = 1", "sorted(k for k in dir() if not k.startswith('_'))"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    names = nb.cells[1].outputs[0]["data"]["text/plain"]
    assert names == "['In', 'Out', 'exit', 'get_ipython', 'open', 'quit', 'x']", names
    lines = (tmp_path / execution_count.LOG).read_text().splitlines()
    assert [line.split()[1] for line in lines] == [execution_count.digest(c) for c in cells]
    assert len({line.split()[0] for line in lines}) == 1
