"""Book-side helps: MathJax on every page, top-level mlpcore names resolve, $...$ is math.

The sidebar shows the lesson titles, which hold math ("4. $dB^{(k)}$: ..."), on every page, so
MathJax is loaded on every page, not only on those whose body has math.

Docstrings and lessons write ``mlpcore.sgd`` (the name a reader types) while the API page
documents ``mlpcore.train.sgd`` (where it is defined). When a Python reference ``mlpcore.X`` finds
no target, this looks the object up and retries with the module that defines it. A name that does
not exist in mlpcore stays unresolved, so nitpicky mode still reports it.

A lesson's title carries its number ("# 4. $dB^{(k)}$: ...") so that it reads well as a
notebook; the book numbers its chapters itself, so that leading "4. " is dropped in the book.

Docstrings are read as plain text first and reST second. Two plain-text habits would break
reST, so they are adapted before autodoc parses the docstring: inline math written as
``$w^{(k)}$`` (as in the lessons) becomes the ``:math:`` role, and an absolute value such as
``|w^(k)|`` (a substitution reference in reST, an error) gets its bars escaped. And a docstring
that names the label of the equation it implements ("eq-dW", STYLE.md) gets a link to that
equation in its lesson, for the labels of the equation registry (whose tests check that each
one is defined in a lesson).
"""

from __future__ import annotations

import functools
import importlib
import re

from docutils import nodes
from sphinx.application import Sphinx

# "4. " at the start of a lesson's title.
_TITLE_NUMBER = re.compile(r"^\d+\.\s+")


def _defining_name(target: str) -> str | None:
    """``mlpcore.sgd`` -> ``mlpcore.train.sgd``; None if it is not an mlpcore object."""
    if not target.startswith("mlpcore."):
        return None
    module_name, _, attr = target.rpartition(".")
    try:
        obj = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError):
        return None
    module = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None)
    if not module or not qualname or not module.startswith("mlpcore"):
        return None
    full = f"{module}.{qualname}"
    return None if full == target else full


def resolve_alias(app: Sphinx, env, node, contnode):
    if node.get("refdomain") != "py":
        return None
    full = _defining_name(node.get("reftarget", ""))
    if full is None:
        return None
    domain = env.get_domain("py")
    return domain.resolve_xref(
        env, node["refdoc"], app.builder, node["reftype"], full, node, contnode
    )


# One $...$ on a line, not $$, not an escaped \$.
_DOLLAR_MATH = re.compile(r"(?<![\\$])\$(?!\$)([^$\n]+?)(?<!\\)\$")


# |x| with no space just inside the bars: an absolute value, never a reST table or line block.
_BARS = re.compile(r"(?<![\\\w])\|(?=[^\s|])([^|\n]*?[^\s\\|])\|(?!\w)")
# Text between backticks (literals, roles) is left alone.
_BACKTICKED = re.compile(r"(`+[^`]*`+)")


# An equation label, "eq-dW", alone or in parentheses: "(eq-dW)" becomes the link "(5.1)".
_LABEL = re.compile(r"\((eq-[A-Za-z0-9-]*[A-Za-z0-9])\)|\b(eq-[A-Za-z0-9-]*[A-Za-z0-9])\b")


@functools.cache
def _registered_labels() -> frozenset[str]:
    try:
        from mlpcore.course.equations import BY_LABEL
    except ImportError:
        return frozenset()
    return frozenset(BY_LABEL)


def _link_label(match: re.Match) -> str:
    label = match.group(1) or match.group(2)
    if label not in _registered_labels():
        return match.group(0)
    return f":eq:`{label}`"


def _plain_text_to_rest(line: str) -> str:
    line = _DOLLAR_MATH.sub(r":math:`\1`", line)
    parts = _BACKTICKED.split(line)
    for i in range(0, len(parts), 2):  # the even parts are outside backticks
        parts[i] = _LABEL.sub(_link_label, _BARS.sub(r"\|\1\|", parts[i]))
    return "".join(parts)


def docstring_to_rest(app, what, name, obj, options, lines: list[str]) -> None:
    if name.startswith("mlpcore"):
        lines[:] = [_plain_text_to_rest(line) for line in lines]


def drop_title_number(app: Sphinx, doctree: nodes.document) -> None:
    """Remove the "N. " that starts the title of a lesson (the book's numbering replaces it)."""
    if not app.env.docname.startswith("notebooks/"):
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None or not section.children or not isinstance(section[0], nodes.title):
        return
    title = section[0]
    first = title.children[0] if title.children else None
    if isinstance(first, nodes.Text) and _TITLE_NUMBER.match(first.astext()):
        rest = _TITLE_NUMBER.sub("", first.astext(), count=1)
        if rest:
            title.replace(first, nodes.Text(rest))
        else:
            title.remove(first)


def allow_parallel_reads(app: Sphinx) -> None:
    """Let Sphinx read (and so execute) the lessons in parallel processes.

    sphinx_external_toc always loads sphinx_multitoc_numbering, which does not declare whether it
    is safe for parallel reading, so Sphinx warns (an error under -W) and reads serially. It only
    renumbers sections after all documents are read, in the main process: reading is safe.
    """
    extension = app.extensions.get("sphinx_multitoc_numbering")
    if extension is not None and extension.parallel_read_safe is None:
        extension.parallel_read_safe = True


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def drop_unused_widget_manager(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """No widget manager on a page that shows no widget.

    myst-nb adds the widget state and the ``nb_ipywidgets_js`` scripts (require.js and the
    html-manager, 3.6 MB) to every page whose notebook created a widget, even when the cell's
    output is removed (lesson 08 builds its Jupyter playground that way). A page whose body holds
    no widget view has nothing for them to draw, so they are dropped there.
    """
    scripts = context.get("script_files")
    if not scripts or WIDGET_VIEW in context.get("body", ""):
        return
    manager = set(app.config.nb_ipywidgets_js or {})
    scripts[:] = [  # the builder's list for this page only (Sphinx resets it for the next one)
        js
        for js in scripts
        if (getattr(js, "filename", None) or "").removeprefix("_static/") not in manager
        and getattr(js, "attributes", {}).get("type") != WIDGET_STATE
    ]


def feedback_only_with_a_repository(app: Sphinx, config) -> None:
    """The "open an issue" button of every page, only when a repository is configured.

    The hook for the repository's one home: whatever sets ``html_theme_options
    ["repository_url"]`` (today ``repository: url:`` in _config.yml) turns the feedback button on;
    an empty URL turns it off, so no page links to an issue tracker that does not exist.
    """
    options = config.html_theme_options
    if not str(options.get("repository_url") or "").strip():
        options["use_issues_button"] = False
        options["use_repository_button"] = False


def setup(app: Sphinx) -> dict:
    app.setup_extension("live_site")  # the live playground of lesson 08 (book/_ext/live_site.py)
    app.connect("config-inited", feedback_only_with_a_repository)
    app.set_html_assets_policy("always")
    app.connect("builder-inited", allow_parallel_reads)
    # Before Sphinx's title collector (priority 500) records the title for the sidebar.
    app.connect("doctree-read", drop_title_number, priority=400)
    app.connect("missing-reference", resolve_alias)
    app.connect("html-page-context", drop_unused_widget_manager, priority=900)  # after myst-nb
    app.connect("autodoc-process-docstring", docstring_to_rest)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
