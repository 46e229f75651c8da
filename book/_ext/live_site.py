"""Ship the live playground (book/live/) into the built site's ``live/`` folder, lesson 08 only.

Jupyter Book adds a ``<script>`` to every page for each ``.js`` under a static path, so the
playground does not go there: after the build this copies ``book/live/playground.js`` (the
page: controls, training, one stroke), the drawing of its three views and their style
(``views.js`` and ``playground.css`` of ``mlpcore/course/playground/web/``, which the Jupyter widget
of the same lesson draws with too) and writes two generated scripts next to them:

- ``live/mlp.js``: the twin of mlpcore (``book/live/mlp.js``, an ES module, the file that
  ``tests/live`` checks) as a classic script that sets ``window.MLP``, because a browser refuses
  module scripts on a page opened from ``file://``;
- ``live/data.js``: mlpcore's data sets and initial networks (``book/live_export.py``).

Lesson 08 loads them with relative ``<script src="../live/...">`` tags in a raw HTML block. Its
``<noscript>`` picture (``live/playground.png``) is put in by the book only, in place of the
comment ``<!-- live-static-figure ... -->``: in JupyterLab, which does not run the page's
scripts, the lesson's Markdown would otherwise ask the server for a file it does not have.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

from docutils import nodes

LIVE = Path(__file__).resolve().parents[1] / "live"
# The drawing code shared with the Jupyter widget, where mlpcore is installed (found without
# importing it; the book without solutions is built from a copy of book/, away from the repository).
WEB = Path(importlib.util.find_spec("mlpcore.course.playground").submodule_search_locations[0])
WEB = WEB / "web"
_MARKER = re.compile(r"<!-- live-static-figure[^>]*-->")
STATIC_FIGURE = (
    '<img class="ml-static" src="../live/playground.png" width="778" height="950" alt="The '
    "playground after 60 epochs on circles: the boundary encloses the inner ring, the training "
    "and test losses fall from 0.7 to about 0.04, and the diagram shows the weights of the 2-8-2 "
    'network as lines of varying width.">'
)
_EXPORT = re.compile(r"^export (?:async )?(?:function|const|class|let) (\w+)", re.MULTILINE)


def classic_script(module_source: str) -> str:
    """The ES module as a classic script: ``export`` dropped, its names gathered in window.MLP."""
    names = _EXPORT.findall(module_source)
    if re.search(r"^\s*(import|export\s*\{)", module_source, re.MULTILINE):
        raise ValueError("book/live/mlp.js must not import or re-export: it is copied as one file")
    body = re.sub(r"^export ", "", module_source, flags=re.MULTILINE)
    return (
        "// Generated from book/live/mlp.js (an ES module) by book/_ext/live_site.py.\n"
        "(function () {\n"
        f"{body}\n"
        f"window.MLP = {{ {', '.join(names)} }};\n"
        "})();\n"
    )


def _exporter():
    spec = importlib.util.spec_from_file_location("live_export", LIVE.parent / "live_export.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_live(outdir: Path) -> None:
    dest = Path(outdir) / "live"
    dest.mkdir(parents=True, exist_ok=True)
    for source in (
        LIVE / "playground.js",
        LIVE / "playground.png",
        WEB / "views.js",
        WEB / "playground.css",
    ):
        shutil.copyfile(source, dest / source.name)
    (dest / "mlp.js").write_text(classic_script((LIVE / "mlp.js").read_text("utf-8")), "utf-8")
    (dest / "data.js").write_text(_exporter().site_script(), "utf-8")


def static_figure(app, doctree, docname) -> None:
    """Put the <noscript> picture in place of its marker comment, in the book only."""
    for raw in list(doctree.findall(nodes.raw)):
        if raw.get("format") == "html" and _MARKER.search(raw.astext()):
            text = _MARKER.sub(STATIC_FIGURE, raw.astext())
            raw.replace_self(nodes.raw(text, text, format="html"))


def build_finished(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        write_live(Path(app.outdir))


def setup(app) -> dict:
    app.connect("doctree-resolved", static_figure)
    app.connect("build-finished", build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
