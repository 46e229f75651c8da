"""The errata page: every check accepts its correction and rejects the document's form as written.

The page's code cells are run here (without nbval) and each recorded check is called again on
both forms, so that a check which would also accept the slip fails this test even if the page's
own asserts were removed. Entries that no computation can check must be listed as such, and the
page must not claim more than it checks.
"""

import re
from pathlib import Path

import jupytext
import pytest

PAGE = Path(__file__).resolve().parent.parent / "notebooks" / "09_errata.md"
ENTRIES = set(range(1, 19))


@pytest.fixture(scope="module")
def page():
    notebook = jupytext.read(PAGE)
    namespace = {"__name__": "errata_page"}
    for cell in notebook.cells:
        if cell.cell_type == "code" and "%pip" not in cell.source:
            exec(compile(cell.source, str(PAGE), "exec"), namespace)
    return namespace


def test_every_entry_is_checked_read_or_withdrawn(page):
    checked, read, withdrawn = (
        set(page["ERRATA"]),
        set(page["READING_ONLY"]),
        set(page["WITHDRAWN"]),
    )
    assert checked | read | withdrawn == ENTRIES
    assert len(checked) + len(read) + len(withdrawn) == len(ENTRIES), "an entry is listed twice"
    assert read == {13} and withdrawn == {7}


@pytest.mark.parametrize("number", sorted(ENTRIES - {7, 13}))
def test_the_check_accepts_the_correction_and_rejects_the_form_as_written(page, number):
    check, as_written, corrected = page["ERRATA"][number]
    assert check(corrected) is not False and bool(check(corrected))
    assert page["fails"](check, as_written), f"entry {number}: the document's form passes"


def test_fails_does_not_swallow_a_passing_check(page):
    assert not page["fails"](lambda form: True, None)
    assert page["fails"](lambda form: False, None)
    assert page["fails"](lambda form: form(), lambda: [][1])  # IndexError: rejected


def test_the_table_lists_eighteen_entries_and_entry_11_three_times():
    text = PAGE.read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d+) \|", text, flags=re.MULTILINE)
    assert [int(r) for r in rows] == sorted(ENTRIES)
    assert "(three times)" in text and "(twice)" not in text


def test_the_page_claims_no_more_than_it_checks():
    text = PAGE.read_text(encoding="utf-8").lower()
    assert "every correction above is checked" not in text
    assert "checked by reading only" in text
