"""The student edition and the one place that names the repository (tools/).

Fast checks: the MyST -> plain Markdown transform, the removal of solutions, what derives from
``[project.urls] Repository`` (book settings, install cell) with and without a URL, and the
committed ``student/notebooks`` against a fresh regeneration (CI fails when it is stale).
"""

from __future__ import annotations

import json
import re

import jupytext
import nbformat
import pytest
from edition_utils import (
    LESSONS,
    MYST_SYNTAX,
    ROOT,
    STUDENT,
    book_config,
    distinctive_lines,
    myst_plain,
    repository,
    solution_cells,
    student_edition,
)

URL = "https://github.com/someone/their-course"
EQ = {"eq-a": "3.1", "eq-b": "3.2"}
EX = {"ex-1": "3.1"}
DOCS = {"09_errata": ("Errata", "09_errata.ipynb")}


def plain(text):
    return myst_plain.to_plain(text, EQ, EX, DOCS)


def test_math_block_becomes_numbered_dollar_math():
    out = plain("Before\n\n```{math}\n:label: eq-b\na = b \\\\\nc\n```\n\nAfter {eq}`eq-a`.")
    assert out == "Before\n\n$$\na = b \\\\\nc \\tag{3.2}\n$$\n\nAfter (3.1)."


def test_directives_become_quotes_and_roles_text():
    out = plain("```{exercise}\n:label: ex-1\nDo $x$.\nNow.\n```")
    assert out == "> **Exercise 3.1**\n>\n> Do $x$.\n> Now."
    assert plain("```{note}\n**Typo.** Read $a$.\n```") == "> **Note**\n>\n> **Typo.** Read $a$."
    assert plain(":::{warning}\nCareful.\n:::") == "> **Warning**\n>\n> Careful."
    assert plain("see the {doc}`09_errata`.") == "see the [Errata](09_errata.ipynb)."
    assert plain("{doc}`the list <09_errata>`") == "[the list](09_errata.ipynb)"
    assert plain("(sec-x)=\n# Title") == "# Title"


@pytest.mark.parametrize(
    "text",
    [
        "```{figure} a.png\n```",  # no plain form
        "{ref}`sec-x`",
        "{eq}`eq-unknown`",
        "```{math}\n:label: eq-unknown\nx\n```",
        "{doc}`nowhere`",
    ],
)
def test_unknown_myst_fails_loudly(text):
    with pytest.raises(ValueError):
        plain(text)


def test_number_labels_counts_per_lesson():
    one = "```{math}\n:label: eq-a\nx\n```\n```{note}\nn\n```\n```{math}\n:label: eq-b\ny\n```"
    two = "```{math}\n:label: eq-c\nz\n```"
    numbers = myst_plain.number_labels([(1, one), (None, two)], "math")
    assert numbers == {"eq-a": "1.1", "eq-b": "1.2", "eq-c": "1"}


def _cells(*items):
    return [
        nbformat.v4.new_code_cell(s[5:])
        if s.startswith("code:")
        else nbformat.v4.new_markdown_cell(s)
        for s in items
    ]


def test_strip_solutions_drops_the_region_and_its_code():
    start = "```{solution-start} ex-1\n:class: dropdown\n```\n"
    end = "```{solution-end}\n```\n"
    cells = _cells(
        "Exercise text",
        "code:answer = ...",
        start,
        "code:answer = 42",
        "Because.\n\n" + end + "\nNext exercise",
        "code:kept = 1",
    )
    out = myst_plain.strip_solutions(cells)
    assert [(c.cell_type, c.source) for c in out] == [
        ("markdown", "Exercise text"),
        ("code", "answer = ..."),
        ("markdown", "Next exercise"),
        ("code", "kept = 1"),
    ]
    with pytest.raises(ValueError):
        myst_plain.strip_solutions(_cells(start, "code:x = 1"))
    with pytest.raises(ValueError):
        myst_plain.strip_solutions(_cells(end))


def test_repository_url_read_from_pyproject(tmp_path):
    toml = tmp_path / "pyproject.toml"
    toml.write_text('[project]\nname = "x"\n')
    assert repository.repository_url(toml) is None
    toml.write_text('[project]\nname = "x"\n[project.urls]\nRepository = ""\n')
    assert repository.repository_url(toml) is None
    toml.write_text(f'[project]\nname = "x"\n[project.urls]\nRepository = "{URL}/"\n')
    assert repository.repository_url(toml) == URL
    toml.write_text('[project]\nname = "x"\n[project.urls]\nRepository = "github.com/a"\n')
    with pytest.raises(ValueError, match="Repository"):
        repository.repository_url(toml)


def test_main_names_no_public_repository():
    """No public repository exists yet: main leaves it unconfigured."""
    assert repository.repository_url() is None


def test_book_config_without_and_with_url():
    base = {"title": "t", "html": {"use_issues_button": False}, "sphinx": {"config": {"a": 1}}}
    bare = book_config.build_config(base, None)
    assert bare["repository"]["url"] == ""
    assert not any(bare["launch_buttons"].get(k) for k in ("binderhub_url", "colab_url", "thebe"))
    assert bare["html"] == {"use_issues_button": False, "use_repository_button": False}
    text = json.dumps(bare)
    assert not re.search(r"github\.com|colab\.research|mybinder", text), text
    published = book_config.build_config(base, URL)
    assert published["repository"] == {"url": URL, "branch": "main", "path_to_book": "student"}
    assert published["launch_buttons"]["colab_url"].startswith("https://colab")
    assert published["launch_buttons"]["binderhub_url"] == "https://mybinder.org"
    assert published["html"] == {"use_issues_button": True, "use_repository_button": True}
    no_solutions = book_config.build_config(base, None, solutions=False)
    assert no_solutions["sphinx"]["config"] == {"a": 1, "html_copy_source": False}
    assert "html_copy_source" not in bare["sphinx"]["config"]


def test_install_cell_without_and_with_url():
    local = repository.install_cell(None)
    assert "git+" not in local and "http" not in local
    assert 'pip install ".[student]"' in local and "clone" in local
    remote = repository.install_cell(URL)
    assert f'"mlpcore[student] @ git+{URL}"' in remote and "%pip install" in remote


def test_launch_buttons_open_the_student_edition():
    """The theme launches path_to_book/pagename.ipynb: student/notebooks/NN_name.ipynb."""
    path = repository.book_settings(URL)["repository"]["path_to_book"]
    for name in LESSONS:
        assert (ROOT / path / "notebooks" / f"{name}.ipynb").exists(), name


@pytest.mark.parametrize("name", LESSONS)
def test_source_install_cell_is_the_local_one(name):
    """Each lesson has one install cell, removed from the book, rendered for the student."""
    nb = jupytext.read(ROOT / "notebooks" / f"{name}.md")
    install = [c for c in nb.cells if "student-install" in c.metadata.get("tags", [])]
    assert len(install) == 1
    assert install[0].source == repository.install_cell(None)
    assert "remove-cell" in install[0].metadata["tags"]


@pytest.fixture(scope="module")
def ctx():
    return student_edition.context()


def test_committed_edition_is_fresh(ctx):
    """student/notebooks is what `make student` writes now: CI fails when it is stale."""
    fresh = student_edition.render(ctx=ctx)
    stored = {p.name: p.read_text(encoding="utf-8") for p in STUDENT.glob("*.ipynb")}
    assert sorted(stored) == sorted(fresh), "run `make student`"
    stale = [name for name in fresh if stored[name] != fresh[name]]
    assert stale == [], f"stale student notebooks, run `make student`: {stale}"


@pytest.mark.parametrize("url", [None, URL])
def test_rendered_install_cell_follows_the_url(ctx, url):
    nbs = student_edition.render(url=url, ctx=ctx)
    for name, text in nbs.items():
        nb = nbformat.reads(text, as_version=4)
        first_code = next(c for c in nb.cells if c.cell_type == "code")
        assert first_code.source == repository.install_cell(url), name
        assert ("github.com" in text) == (url is not None), name


@pytest.mark.parametrize("name", LESSONS)
def test_student_notebook(name):
    nb = nbformat.read(STUDENT / f"{name}.ipynb", as_version=4)
    nbformat.validate(nb)
    source = jupytext.read(ROOT / "notebooks" / f"{name}.md")
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    shown = [s for s in MYST_SYNTAX if s in markdown]
    assert shown == [], f"MyST left in the student notebook: {shown}"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
            assert not cell.metadata.get("tags"), "book tags left in a student notebook"
    # every {math} block is a numbered $$ block
    text = "\n".join(c.source for c in source.cells if c.cell_type == "markdown")
    assert markdown.count("\\tag{") == text.count("```{math}")
    # each exercise keeps its blank answer cell; the solutions are gone
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert code.count("answer = ...") == text.count("```{exercise}")
    assert bool(solution_cells(name)) == ("```{solution-start}" in text)
    left = [line for line in distinctive_lines(name) if line in code]
    assert left == [], f"solution code in the student notebook: {left}"
    assert not any(c.source for c in nb.cells if "remove-cell" in c.source)


def test_distinctive_lines_finds_solution_code():
    """The grep for solutions is not vacuous: every lesson with exercises gives lines."""
    for name in LESSONS:
        text = (ROOT / "notebooks" / f"{name}.md").read_text()
        if "{solution-start}" in text:
            assert distinctive_lines(name), name
    assert "answer = e / e.sum() - Y_SOFTMAX" in distinctive_lines("03_dL")


@pytest.mark.parametrize("name", LESSONS)
def test_nosolution_source_keeps_exercises_and_drops_solutions(name):
    text = student_edition.nosolution_source(name)
    assert "{solution" not in text
    source = (ROOT / "notebooks" / f"{name}.md").read_text()
    assert text.count("```{exercise}") == source.count("```{exercise}")
    assert not [line for line in distinctive_lines(name) if line in text]
