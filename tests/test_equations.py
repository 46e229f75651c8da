"""The equation registry (mlpcore.course.equations) ties every label to code, a test and a lesson.

It fails when an entry lacks one of them: the function is not importable (``pkgutil``) or its
docstring does not name the label; the test named for it in ``tests/equation_tests.py`` does not
exist; the lesson does not define the label in a ``{math}`` block. It also fails when a lesson
uses a label (``:label: eq-...`` or ``{eq}`eq-...` ``) that the registry does not know.
"""

import ast
import importlib.util
import inspect
import pkgutil
import re
from pathlib import Path

import pytest
from equation_tests import TESTS

from mlpcore.course.equations import BY_LABEL, EQUATIONS, Equation

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
        for field in ("label", "section", "title", "latex", "function", "lesson"):
            assert str(getattr(e, field)).strip(), f"{e.label}: empty {field}"
        assert re.fullmatch(r"eq-[\w-]+", e.label), e.label
        assert not re.search(r"\w\^\(", e.title), f"{e.label}: raw text math in {e.title!r}"
    assert set(TESTS) == set(BY_LABEL), "tests/equation_tests.py must name a test per label"
    assert all("::" in t for t in TESTS.values()), "a test must be a pytest node id"


@pytest.mark.parametrize("label", LABELS)
def test_function_is_importable_and_names_the_label(label):
    e = BY_LABEL[label]
    obj = pkgutil.resolve_name(e.function)
    assert callable(obj), f"{e.function} is not callable"
    doc = inspect.getdoc(obj)
    assert names_label(doc, label), f"the docstring of {e.function} does not name {label}"


@pytest.mark.parametrize("label", LABELS)
def test_the_test_exists(label):
    file_part, *names = TESTS[label].split("::")
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


def _build_pages():
    spec = importlib.util.spec_from_file_location("build_pages", ROOT / "book" / "build_pages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_index_page_lists_every_equation_in_document_order():
    page = _build_pages().equations_markdown()
    assert page.startswith("# Equation index\n")
    rows = page.split("\n* - ")[2:]  # after the header row
    assert len(rows) == len(EQUATIONS)
    sections = [row.splitlines()[1].removeprefix("  - ") for row in rows]
    numbers = [[int(n) for n in re.findall(r"\d+", s_)[:2]] for s_ in sections]
    assert numbers == sorted(numbers), f"not in the document's order: {sections}"
    for e in EQUATIONS:
        row = next(r for r in rows if f"`{e.label}`" in r)
        assert f"`{e.function}`" in row
        assert f"({e.lesson.removesuffix('.md')}.md)" in row, f"{e.label}: no link to its lesson"
        assert "_" not in row.splitlines()[-1].split("](")[0], f"{e.label}: lesson named by stem"
    playground = next(r for r in rows if "eq-step-contraction" in r)
    assert "{eq}" not in playground, "an equation of the unnumbered playground shows as (1)"


def test_section_order_is_numeric():
    key = _build_pages()._section_key
    assert sorted(["3.9", "3.10", "3.3", "2 (batch)", "2"], key=key) == [
        "2",
        "2 (batch)",
        "3.3",
        "3.9",
        "3.10",
    ]


def test_names_label_is_strict():
    assert names_label("see (eq-dLk) here", "eq-dLk")
    assert not names_label("only eq-dLk-elementwise", "eq-dLk")
    assert not names_label(None, "eq-dB")
