"""Each lesson page's "download .ipynb" button, whether or not launch buttons are configured.

sphinx-book-theme copies a MyST lesson's executed notebook into ``_sources`` and offers it for
download only in its launch-button code, which does nothing while the course names no public
repository (tools/book_config.py then configures no launch provider). This does the same copy
first, so the download is there either way; with launch buttons on, the theme copies the same
file again. tools/book_config.py loads this extension.
"""

from __future__ import annotations

from pathlib import Path
from shutil import copy2


def add_ipynb_source(app, pagename, templatename, context, doctree):
    source = str(context.get("sourcename") or "")
    if context.get("ipynb_source") or not source.endswith((".md", ".md.txt")):
        return
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if not executed.is_file():  # not a notebook
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    copy2(executed, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def setup(app):
    # before the theme's launch and header buttons (priority 501), which read ipynb_source
    app.connect("html-page-context", add_ipynb_source, priority=500)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
