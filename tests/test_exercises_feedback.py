"""What every exercise shares: the Feedback a check returns, one blank-answer helper, one
Problem type, and hints that never give away a solution's expression."""

import ast
import re
from pathlib import Path

import pytest

from mlpcore.course import exercises
from mlpcore.course.exercises._feedback import Feedback, exercise

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "mlpcore" / "course" / "exercises"
LESSONS = sorted((ROOT / "notebooks").glob("0[1-8]_*.md"))


def test_feedback_is_truthy_only_when_right_and_shows_its_message_once():
    right, wrong, blank = Feedback("right", "Yes."), Feedback("wrong", "a < b"), exercise("x")(None)
    assert right and not wrong and not blank(...)
    assert str(right) == repr(right) == "✓ Yes." and str(wrong) == "✗ a < b"
    assert str(blank(...)) == "✎ Your turn: replace the ... with x."
    assert "a &lt; b" in wrong._repr_html_() and "<br>" in Feedback("wrong", "1\n2")._repr_html_()
    with pytest.raises(ValueError, match="kind must be one of"):
        Feedback("maybe", "")


def test_a_check_that_meets_an_unforeseen_error_answers_instead_of_raising():
    @exercise(blank="a number")
    def check(answer):
        return 1 / answer

    result = check(0)
    assert not result and "ZeroDivisionError" in result.message


def test_one_blank_helper_and_one_problem_type():
    sources = {p.name: p.read_text() for p in PACKAGE.glob("*.py")}
    assert [n for n, s in sources.items() if "Ellipsis" in s] == ["_feedback.py"]
    assert [n for n, s in sources.items() if re.search(r"^class Problem\b", s, re.M)] == [
        "_common.py"
    ]
    assert not [n for n, s in sources.items() if re.search(r"^\s*print\(", s, re.M)]  # no print
    assert max(len(s.splitlines()) for s in sources.values()) <= 200


def _strings(path: Path) -> list[str]:
    """Every string literal of a module, f-strings by their literal parts."""
    tree = ast.parse(path.read_text())
    return [
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]


def _solution_cells(md: str) -> list[str]:
    cells = []
    for block in re.findall(r"```\{solution-start\}(.*?)```\{solution-end\}", md, re.S):
        cells += re.findall(r"```\{code-cell\} ipython3\n(.*?)```", block, re.S)
    return cells


def _expressions(code: str) -> set[str]:
    """The compound expressions of a solution (calls with arguments, arithmetic), spaces removed."""
    found = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, (ast.BinOp, ast.Call, ast.Compare)) and (
            not isinstance(node, ast.Call) or node.args
        ):
            text = re.sub(r"\s", "", ast.unparse(node))
            if len(text) >= 10:
                found.add(text)
    return found


def test_no_hint_contains_a_solution_expression():
    hints = [re.sub(r"\s", "", s) for p in PACKAGE.glob("*.py") for s in _strings(p)]
    solutions = set()
    for lesson in LESSONS:
        for cell in _solution_cells(lesson.read_text()):
            solutions |= _expressions(cell)
    assert len(solutions) > 40  # the scan sees the solutions of every lesson
    leaks = [(e, h) for e in solutions for h in hints if e in h]
    assert not leaks, leaks
    # and the recursion in the document's own notation, which the old hints printed in full
    assert not [h for h in hints if "g'(z[k])*(w[k].T@dL[k+1])" in h or "w[k].T@dL[k+1]" in h]


def test_every_exercise_has_a_check_and_a_solution_that_asserts_it():
    for lesson in LESSONS:
        md = lesson.read_text()
        labels = re.findall(r"```\{exercise\}\n:label: (\S+)", md)
        starts = re.findall(r"```\{solution-start\} (\S+)", md)
        assert labels == starts, lesson.name
        asserted = sum("assert check_" in cell for cell in _solution_cells(md))
        assert asserted >= len(labels), lesson.name


def test_the_package_docstring_describes_the_three_outcomes():
    assert all(sign in exercises.__doc__ for sign in "✓✗✎")


def test_every_check_is_tested_with_a_right_a_blank_and_a_wrong_answer():
    """Each check_* of the package appears in the tests of the exercises (their tables)."""
    tests = "".join(p.read_text() for p in (ROOT / "tests").glob("test_exercises_*.py"))
    names = {
        name
        for p in PACKAGE.glob("*.py")
        for name in re.findall(r"^(check_\w+)(?:\s*=|\()", p.read_text().replace("def ", ""), re.M)
    }
    assert len(names) >= 30
    assert not [n for n in sorted(names) if n not in tests]


def test_hints_cite_registered_equations_with_their_lesson():
    from mlpcore.course.equations import BY_LABEL
    from mlpcore.course.exercises._feedback import cite

    cited = {
        label
        for p in PACKAGE.glob("*.py")
        for s in _strings(p)
        for label in re.findall(r"\beq-[A-Za-z0-9-]*[A-Za-z0-9]\b", s)
    }
    assert len(cited) >= 15 and not cited - set(BY_LABEL), cited - set(BY_LABEL)
    assert cite("see eq-dLk, then (eq-dLk)") == (
        "see eq-dLk (lesson 3: the backward recursion), then (eq-dLk)"
    )
    assert cite("(eq-dW0)") == "(eq-dW0, lesson 5: weights of the first layer)"
    assert cite("eq-unknown") == "eq-unknown"
