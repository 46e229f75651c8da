"""The equation registry (mlpcore.course.equations) ties every label to code, a test and a lesson.

It fails when an entry lacks one of them: the function is not importable or its docstring
does not name the label; the test file does not exist or does not define the test function;
the lesson does not define the label in a ``{math}`` block. It also fails when a lesson uses
a label (``:label: eq-...`` or ``{eq}`eq-...` ``) that the registry does not know.
"""

import ast
import inspect
import re
from pathlib import Path

import pytest

from mlpcore.course.equations import BY_LABEL, EQUATIONS, Equation, index_markdown, resolve

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted(p for p in (ROOT / "notebooks").glob("*.md") if p.name != "README.md")
DEFINED = re.compile(r"^:label:\s*(eq-[\w-]+)\s*$", re.MULTILINE)
REFERENCED = re.compile(r"\{eq\}`(eq-[\w-]+)`")
LABELS = [e.label for e in EQUATIONS]


def names_label(text: str, label: str) -> bool:
    """True if ``label`` occurs as a whole label (eq-dLk does not match eq-dLk-elementwise)."""
    return re.search(rf"(?<![\w-]){re.escape(label)}(?![\w-])", text or "") is not None


def defined_in(path: Path) -> list[str]:
    return DEFINED.findall(path.read_text(encoding="utf-8"))


def test_registry_is_well_formed():
    assert EQUATIONS, "the registry is empty"
    assert len(BY_LABEL) == len(EQUATIONS), "a label is registered twice"
    for e in EQUATIONS:
        assert isinstance(e, Equation)
        for field in ("label", "section", "title", "latex", "function", "test", "lesson"):
            assert str(getattr(e, field)).strip(), f"{e.label}: empty {field}"
        assert re.fullmatch(r"eq-[\w-]+", e.label), e.label
        assert "|" not in e.latex, f"{e.label}: '|' would break the index table"
        assert "::" in e.test, f"{e.label}: test must be a pytest node id, got {e.test!r}"


@pytest.mark.parametrize("label", LABELS)
def test_function_is_importable_and_names_the_label(label):
    e = BY_LABEL[label]
    obj = resolve(e.function)
    assert callable(obj), f"{e.function} is not callable"
    doc = inspect.getdoc(obj)
    assert names_label(doc, label), f"the docstring of {e.function} does not name {label}"


@pytest.mark.parametrize("label", LABELS)
def test_the_test_exists(label):
    e = BY_LABEL[label]
    file_part, *names = e.test.split("::")
    path = ROOT / file_part
    assert path.is_file(), f"{label}: test file {file_part} does not exist"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = [re.sub(r"\[.*\]$", "", n) for n in names]  # drop a parametrize id
    scope = tree.body
    for name in names:
        found = [
            node
            for node in scope
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            and node.name == name
        ]
        assert found, f"{label}: {file_part} defines no {name}"
        scope = found[0].body
    assert names[-1].startswith("test"), f"{label}: {names[-1]} is not a test function"


@pytest.mark.parametrize("label", LABELS)
def test_the_lesson_defines_the_label_exactly_once(label):
    e = BY_LABEL[label]
    path = ROOT / e.lesson
    assert path.is_file(), f"{label}: lesson {e.lesson} does not exist"
    assert defined_in(path).count(label) == 1, f"{e.lesson} has no `:label: {label}`"
    elsewhere = [p.name for p in LESSONS if p != path and label in defined_in(p)]
    assert not elsewhere, f"{label} is also defined in {elsewhere}"


def test_every_label_used_in_a_lesson_is_registered():
    missing = {}
    for path in LESSONS:
        text = path.read_text(encoding="utf-8")
        for label in set(DEFINED.findall(text)) | set(REFERENCED.findall(text)):
            if label not in BY_LABEL:
                missing.setdefault(label, []).append(path.name)
    assert not missing, f"labels used in lessons but not in mlpcore.course.equations: {missing}"


def test_index_page_lists_every_equation():
    page = index_markdown()
    assert page.startswith("# Equation index\n")
    header = "| Label | Section | Equation | Function | Test | Lesson |"
    assert header in page
    rows = [line for line in page.splitlines() if line.startswith("| {eq}`")]
    assert len(rows) == len(EQUATIONS)
    for e, row in zip(EQUATIONS, rows, strict=True):
        assert row.count("|") == header.count("|"), f"{e.label}: the row has the wrong cells"
        assert f"{{eq}}`{e.label}`" in row
        assert f"`{e.function}`" in row and f"`{e.test}`" in row
        lesson = e.lesson.removesuffix(".md")
        assert f"{{doc}}`{lesson.split('/')[-1]} <{lesson}>`" in row


def test_names_label_is_strict():
    assert names_label("see (eq-dLk) here", "eq-dLk")
    assert not names_label("only eq-dLk-elementwise", "eq-dLk")
    assert not names_label(None, "eq-dB")
