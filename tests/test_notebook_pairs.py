"""Every lesson is a MyST .md source paired with an output-free .ipynb of the same content."""

from pathlib import Path

import jupytext
import nbformat
import pytest

pytestmark = pytest.mark.sync

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
SOURCES = sorted(p for p in NOTEBOOKS.glob("*.md") if p.name != "README.md")


def _cells(nb):
    return [(c.cell_type, c.source.strip()) for c in nb.cells]


def test_there_are_lessons():
    assert SOURCES, "notebooks/ holds no .md lessons"


@pytest.mark.parametrize("md", SOURCES, ids=lambda p: p.stem)
def test_pair_agrees(md):
    ipynb = md.with_suffix(".ipynb")
    assert ipynb.exists(), f"{md.name} has no paired {ipynb.name}; run `make sync`"
    from_md = jupytext.read(md)
    stored = nbformat.read(ipynb, as_version=4)
    assert _cells(from_md) == _cells(stored), (
        f"{md.name} and {ipynb.name} differ; edit the .md and run `make sync`"
    )


@pytest.mark.parametrize("md", SOURCES, ids=lambda p: p.stem)
def test_ipynb_has_no_outputs(md):
    stored = nbformat.read(md.with_suffix(".ipynb"), as_version=4)
    for i, cell in enumerate(stored.cells):
        if cell.cell_type == "code":
            assert not cell.outputs, f"{md.stem}.ipynb cell {i} carries outputs"
            assert cell.execution_count is None, f"{md.stem}.ipynb cell {i} has an execution count"
