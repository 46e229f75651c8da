"""The errata page: every check accepts its correction and rejects the document's form as written.

The page runs its checks itself, through ``entry(number, check, as_written, corrected)``, which
asserts both: the correction passes and the form as written fails. The page executes in the book
build and in the student edition's run (make test executes each lesson at most twice), so these
tests read its code rather than run it a third time: ``entry`` must keep both asserts, every
entry but the withdrawn and the read-only one must go through it, and ``fails`` (the only
function taken from the page and run here) must not swallow a passing check. Entries that no
computation can check must be listed as such, and the page must not claim more than it checks.
"""

import ast
import re
from pathlib import Path

import jupytext
import pytest

PAGE = Path(__file__).resolve().parent.parent / "notebooks" / "09_errata.md"
ENTRIES = set(range(1, 19))


@pytest.fixture(scope="module")
def code() -> ast.Module:
    notebook = jupytext.read(PAGE)
    cells = [c.source for c in notebook.cells if c.cell_type == "code" and "%pip" not in c.source]
    return ast.parse("\n\n".join(cells))


def function(tree: ast.Module, name: str) -> ast.FunctionDef:
    (fn,) = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name]
    return fn


def calls(tree: ast.Module, name: str) -> list[ast.Call]:
    return [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == name
    ]


def test_every_entry_is_checked_read_or_withdrawn(code):
    checked = [c.args[0].value for c in calls(code, "entry")]
    assert len(checked) == len(set(checked)), "an entry is recorded twice"
    read = {
        t.slice.value
        for n in ast.walk(code)
        if isinstance(n, ast.Assign)
        for t in n.targets
        if isinstance(t, ast.Subscript) and getattr(t.value, "id", "") == "READING_ONLY"
    }
    (withdrawn,) = [
        n.value
        for n in code.body
        if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "WITHDRAWN"
    ]
    withdrawn = {k.value for k in withdrawn.keys}
    assert set(checked) | read | withdrawn == ENTRIES
    assert read == {13} and withdrawn == {7} and len(checked) == 16


def test_entry_asserts_both_forms(code):
    """Each recorded check must accept the correction and reject the form as written."""
    asserts = [
        ast.unparse(n.test) for n in ast.walk(function(code, "entry")) if isinstance(n, ast.Assert)
    ]
    assert "check(corrected)" in asserts, "entry no longer asserts that the correction passes"
    assert "fails(check, as_written)" in asserts, "entry no longer asserts that the slip fails"


@pytest.fixture(scope="module")
def fails(code):
    namespace: dict = {}
    exec(compile(ast.Module([function(code, "fails")], []), str(PAGE), "exec"), namespace)
    return namespace["fails"]


def test_fails_does_not_swallow_a_passing_check(fails):
    assert not fails(lambda form: True, None)
    assert fails(lambda form: False, None)
    assert fails(lambda form: form(), lambda: [][1])  # IndexError: rejected
    with pytest.raises(ZeroDivisionError):  # an error of the check itself is not a rejection
        fails(lambda form: 1 / 0, None)


def test_the_table_lists_eighteen_entries_and_entry_11_three_times():
    text = PAGE.read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d+) \|", text, flags=re.MULTILINE)
    assert [int(r) for r in rows] == sorted(ENTRIES)
    assert "(three times)" in text and "(twice)" not in text


def test_the_page_claims_no_more_than_it_checks():
    text = PAGE.read_text(encoding="utf-8").lower()
    assert "every correction above is checked" not in text
    assert "checked by reading only" in text
