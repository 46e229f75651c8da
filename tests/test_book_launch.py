"""The book's launch buttons follow ``[project.urls] Repository``, built by the real theme.

A small book (the intro and lesson 09, not executed) is built twice from the book's own
configuration with the repository settings of tools/book_config.py: with no URL, no page links
to GitHub, Colab or Binder and there is no launch button; with a URL, the lesson page has a
repository button and Colab and Binder buttons that open its student edition,
``student/notebooks/09_errata.ipynb``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from edition_utils import ROOT, book_config

pytestmark = [pytest.mark.lesson, pytest.mark.slow]

URL = "https://github.com/someone/their-course"
LESSON = "09_errata"
LINK = re.compile(r"""href=["']([^"']*(?:github\.com|colab\.research|mybinder\.org)[^"']*)""")


def _build(tmp_path: Path, url: str | None) -> str:
    src = tmp_path / "src"
    (src / "notebooks").mkdir(parents=True)
    for name in ("_ext", "_assets"):
        shutil.copytree(ROOT / "book" / name, src / name)
    (src / "_vendor").mkdir()
    shutil.copy2(ROOT / "book" / "intro.md", src / "intro.md")
    shutil.copy2(ROOT / "notebooks" / f"{LESSON}.md", src / "notebooks")
    shutil.copy2(ROOT / "notebooks" / f"{LESSON}.ipynb", src / "notebooks")
    (src / "_toc.yml").write_text(
        yaml.safe_dump(
            {"format": "jb-book", "root": "intro", "chapters": [{"file": f"notebooks/{LESSON}"}]}
        )
    )
    base = yaml.safe_load((ROOT / "book" / "_config.yml").read_text())
    config = book_config.build_config(base, url)
    config["sphinx"]["config"]["nitpicky"] = False
    config["execute"]["execute_notebooks"] = "off"  # buttons need no outputs: no 3rd execution
    (src / "_config.yml").write_text(yaml.safe_dump(config))
    done = subprocess.run(
        [
            str(Path(sys.executable).parent / "jupyter-book"),
            "build",
            str(src),
            "--path-output",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"},
    )
    page = tmp_path / "_build" / "html" / "notebooks" / f"{LESSON}.html"
    assert page.exists(), f"{done.returncode}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return page.read_text(encoding="utf-8")


def test_no_url_no_button(tmp_path):
    page = _build(tmp_path, None)
    assert LINK.findall(page) == []
    assert "launch-buttons" not in page
    # the lesson's notebook can still be downloaded (book/_ext/notebook_download.py)
    assert f"_sources/notebooks/{LESSON}.ipynb" in page
    assert (tmp_path / "_build" / "html" / "_sources" / "notebooks" / f"{LESSON}.ipynb").is_file()


def test_url_buttons_open_the_student_edition(tmp_path):
    page = _build(tmp_path, URL)
    links = set(LINK.findall(page))
    student = f"student/notebooks/{LESSON}.ipynb"
    assert (
        f"https://colab.research.google.com/github/someone/their-course/blob/main/{student}"
        in links
    )
    assert (
        f"https://mybinder.org/v2/gh/someone/their-course/main?urlpath=lab/tree/{student}" in links
    )
    assert URL in links, "no repository button"
    assert (ROOT / student).exists()
    assert all(link.startswith((URL, "https://colab", "https://mybinder")) for link in links), links
