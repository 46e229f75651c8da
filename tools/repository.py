"""The one place that names the course's public repository, and what derives from it.

``[project.urls] Repository`` in ``pyproject.toml`` is the public repository of the course.
When it is absent (or empty) the course is unpublished: the book shows no repository, Colab or
Binder button, and the install cell of each student notebook says how to install from a local
clone. Everything that links to the repository is rendered here, from that one value:

- :func:`book_settings`, the repository and launch-button part of the book's configuration
  (``tools/book_config.py`` merges it into ``book/_config.yml`` at build time);
- :func:`install_cell`, the first code cell of every student notebook.
"""

from __future__ import annotations

import re
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
BRANCH = "main"
# The student edition, from the repository's root: the launch buttons open
# STUDENT_DIR/notebooks/NN_name.ipynb for the book page notebooks/NN_name.
STUDENT_DIR = "student"
BINDER = "https://mybinder.org"
COLAB = "https://colab.research.google.com"
EXTRA = "student"  # the extra a lesson needs at run time


def repository_url(pyproject: Path | str = PYPROJECT) -> str | None:
    """``[project.urls] Repository`` of ``pyproject``, without a trailing slash; None if unset.

    Raises ValueError when it is set but is not an ``https://`` URL.
    """
    data = tomllib.loads(Path(pyproject).read_text(encoding="utf-8"))
    url = (data.get("project", {}).get("urls", {}) or {}).get("Repository", "") or ""
    url = url.strip().rstrip("/")
    if not url:
        return None
    if not re.fullmatch(r"https://[\w.-]+/[\w.-]+/[\w.-]+", url):
        raise ValueError(
            f"[project.urls] Repository must look like https://github.com/owner/name, got {url!r}"
        )
    return url.removesuffix(".git")


def book_settings(url: str | None) -> dict:
    """The book's repository and launch-button settings (Jupyter Book ``_config.yml`` keys).

    With no URL: no repository, no launch provider, no repository button, so the pages carry no
    link to a repository that does not exist. With a URL: the repository button, and Colab and
    Binder buttons that open the lesson's student edition.
    """
    if url is None:
        return {
            "repository": {"url": "", "branch": BRANCH, "path_to_book": ""},
            "launch_buttons": {
                "binderhub_url": "",
                "colab_url": "",
                "jupyterhub_url": "",
                "thebe": False,
            },
            "html": {"use_repository_button": False, "use_issues_button": False},
        }
    return {
        # the page notebooks/NN_name launches STUDENT_DIR/notebooks/NN_name.ipynb
        "repository": {"url": url, "branch": BRANCH, "path_to_book": STUDENT_DIR},
        "launch_buttons": {
            "notebook_interface": "jupyterlab",
            "binderhub_url": BINDER,
            "colab_url": COLAB,
            "thebe": False,
        },
        "html": {"use_repository_button": True, "use_issues_button": True},
    }


_LOCAL = """\
# mlpcore and the lessons' helpers must be installed where this notebook runs.
try:
    import mlpcore  # noqa: F401
except ImportError:
    raise ImportError(
        "mlpcore is not installed in this kernel. In a terminal, in your clone of the course, "
        'run `pip install ".[{extra}]"` (or `make lab`), then restart the kernel.'
    ) from None"""

_REMOTE = '''\
# On Colab, or wherever the course is not installed, install it first; elsewhere a no-op.
try:
    import mlpcore  # noqa: F401
except ImportError:
    %pip install --quiet "mlpcore[{extra}] @ git+{url}"'''


def install_cell(url: str | None) -> str:
    """Source of the install cell: pip from the repository, or, unpublished, from a local clone."""
    if url is None:
        return _LOCAL.format(extra=EXTRA)
    return _REMOTE.format(extra=EXTRA, url=url)
