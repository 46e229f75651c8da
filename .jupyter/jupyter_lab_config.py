"""JupyterLab for authors: `make author` starts it with `--config` on this file.

- A lesson's MyST source (notebooks/NN_name.md) opens as a notebook, jupytext's "Jupytext
  Notebook" viewer, not as text: lab/settings/overrides.json makes it the default viewer of
  Markdown. jupytext keeps the paired .ipynb in step on every save ([tool.jupytext] in
  pyproject.toml), and jupyterlab-myst renders the MyST.
- The paired .ipynb files are hidden from the file browser, so each lesson shows once.
"""

from pathlib import Path

c = get_config()  # noqa: F821 - provided by Jupyter when it loads this file
c.LabApp.app_settings_dir = str(Path(__file__).parent / "lab" / "settings")
c.ContentsManager.hide_globs = [
    "__pycache__",
    "*.pyc",
    "*.pyo",
    ".DS_Store",
    "*~",
    "*.ipynb",
]
