"""JupyterLab as an author and as a student meet it.

The test starts its own JupyterLab, the way ``make author`` does (``--config`` on
``.jupyter/jupyter_lab_config.py``), on a temporary folder that holds a copy of each lesson's MyST
source (``NN_name.md``) and of the student edition (``student/NN_name.ipynb``), so that running
cells and autosave never touch the repository's files: 127.0.0.1, a free port, a random token,
its own process group, fresh settings, workspace and runtime folders, no news, update check or
extension catalogue. Its ``python3`` kernel is the fresh student environment: the wheel installed
non-editable with the ``student`` extra (tests/student_env.py). Headless Chromium (Playwright,
Debian's browser, every request outside 127.0.0.1 blocked) then checks:

- **authors**: a lesson's ``.md`` opens as a notebook by default (jupytext's "Jupytext Notebook",
  made the default viewer of Markdown by ``.jupyter/lab/settings/overrides.json``), and, without
  running anything, each lesson renders its MyST through jupyterlab-myst: the notebook view holds
  every cell; the title shows; math is typeset (KaTeX) with no error; every ``{math}`` block is a
  numbered display equation, ``{eq}`` references link to it, every ``{exercise}`` is a box and
  every ``{solution-start}`` a dropdown that names its exercise; no directive shows as source;
- **a student**: lesson 03 of the student edition as the lesson stage executed it in the fresh
  install (tests/student_runs.py), opened with the plain Notebook viewer, shows its outputs (its
  figures, the blank exercise's prompt, no error); then, in the fresh install's kernel, one
  exercise answered wrongly prints ✗, then rightly ✓. JupyterLab runs these two cells of the
  test's own and no cell of a lesson, so no lesson executes a third time in `make test`;
- no request tried to leave 127.0.0.1, none to JupyterLab failed, no script error went uncaught.

What jupyterlab-myst 2.7 does not do, and the test accepts: a notebook is a page of its own, so
an ``{eq}`` reference to an equation of another lesson shows its label with a "Cross Reference
Not Found" mark (the book links it); the first ``# `` heading becomes the page title, where
``$...$`` would show as TeX source (so titles are plain text: ``test_titles_are_plain_text``);
``{solution-start}`` is a dropdown with nothing in it, the solution's code cells follow it.
``jupyter labextension list`` calls jupyterlab-myst 2.7.0 incompatible with JupyterLab 4.6; it
loads and renders all the same.

At the end JupyterLab is stopped (SIGTERM to its process group; it shuts its kernels down) and
the test fails if any process it started is left. Set ``JUPYTERLAB_SCREENSHOTS`` to a folder to
keep screenshots.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import jupytext
import nbformat
import psutil
import pytest
from browser_utils import block_outside_requests, chromium_browser, free_port, stop_process_group
from nbformat.sign import NotebookNotary
from student_runs import RUNS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
STUDENT = ROOT / "student" / "notebooks"
AUTHOR_CONFIG = ROOT / ".jupyter" / "jupyter_lab_config.py"  # what `make author` starts with
LESSONS = sorted(p.stem for p in NOTEBOOKS.glob("*.md") if p.with_suffix(".ipynb").exists())
JUPYTEXT, NOTEBOOK = "Jupytext Notebook", "Notebook"  # JupyterLab viewers
# The exercise that a student answers in the test, wrongly then rightly: lesson 03's softmax
# gradient, found by its check function (mlpcore/course/exercises/lesson03.py).
EXERCISE_LESSON, CHECK = "03_dL", "check_softmax_grad(answer)"
# The names the answer needs, imported in the answer's cell (no cell of the lesson is run).
SETUP = (
    "import numpy as np\n"
    "from mlpcore.course.exercises.lesson03 import Y_SOFTMAX, Z_SOFTMAX, check_softmax_grad\n"
)
WRONG = SETUP + "e = np.exp(Z_SOFTMAX)\nanswer = e / e.sum()\n" + CHECK  # forgets to subtract y
RIGHT = "e = np.exp(Z_SOFTMAX)\nanswer = e / e.sum() - Y_SOFTMAX\n" + CHECK

IMAGES = {"image/png", "image/svg+xml", "image/jpeg"}  # each shown as an <img> by JupyterLab
START_TIMEOUT_S = 60
OPEN_TIMEOUT_MS = 60_000
RUN_TIMEOUT_MS = 180_000  # a cell runs in < 5 s (a kernel starts in < 10 s); room for load 8
# Rendered markdown: jupyterlab-myst replaces the markdown cell's output by a `.myst` widget.
MARKDOWN = ".jp-MarkdownCell .myst"
MYST_PLUGIN = "jupyterlab-myst:content-factory"
# Typeset math on the page: KaTeX, as jupyterlab-myst renders it.
MATH = ".katex"
DISPLAY_MATH = ".katex-display"
# A formula KaTeX cannot typeset: jupyterlab-myst shows its source in red (display) or yellow
# (inline), with the error as the title. A reference to no label is yellow too, titled so.
NOT_FOUND = "Cross Reference Not Found"
MATH_ERROR = f"pre[title] > .text-red-500, .text-yellow-600[title]:not([title='{NOT_FOUND}'])"
CANCELED = re.compile(r"Error: Canceled future for \w+ message before replies were done")

# JupyterLab's user settings for the test: no news or update pop-up (they would ask the network
# and cover the page), and every cell in the DOM (no windowing), so cells can be counted.
SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


def _title(nb) -> str:
    """The text of the first level-1 heading of the notebook's markdown."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    raise AssertionError("the lesson has no '# ' title")


def _title_words(title: str) -> list[str]:
    """The plain-text pieces of a title, between its ``$...$`` math (typeset on the page)."""
    text = title.replace("`", "").replace("*", "")
    return [" ".join(piece.split()) for piece in re.split(r"\$[^$]*\$", text) if piece.strip()]


def test_title_words():
    assert _title_words("3. $dL^{(k)}$: the backward recursion") == [
        "3.",
        ": the backward recursion",
    ]
    assert _title_words("Errata") == ["Errata"]


def test_check_myst_can_fail():
    """The MyST checks pass on a faithful view and fail on each kind of wrong one."""
    markup = {"math": ["eq-a", "eq-b"], "refs": ["eq-a", "eq-x"], "exercises": ["ex-1"]}
    markup["solutions"] = ["ex-1"]
    good = {
        "equations": {"eq-a": "(1)", "eq-b": "(2)"},
        "refs": [["eq-a", "(1)"]],
        "displays": 2,
        "unresolved": ["eq-x"],
        "exercises": [["ex-1", "Exercise 1"]],
        "solutions": ["Start of Solution to Exercise\xa01"],
        "text": ["prose"],
    }
    _check_myst(good, markup)
    wrong = [
        {"equations": {"eq-a": "(1)"}},  # a {math} block not typeset
        {"equations": {"eq-a": "(1)", "eq-b": "(1)"}},  # a number twice
        {"refs": [["eq-a", "(2)"]]},  # a reference with another equation's number
        {"refs": []},  # a reference that is not a link
        {"unresolved": ["eq-x", "eq-a"]},
        {"exercises": []},
        {"solutions": ["Start of Solution to Exercise 2"]},
        {"text": ["```{math}\n:label: eq-a"]},
    ]
    for change in wrong:
        with pytest.raises(AssertionError):
            _check_myst({**good, **change}, markup)


def test_lessons_found():
    """An empty parametrization would test nothing: the lessons must be there in both forms."""
    assert len(LESSONS) >= 2, LESSONS


@pytest.fixture(scope="module")
def lab(tmp_path_factory, student_venv):
    """A JupyterLab on copies of the lessons' sources and of the student edition, its python3
    kernel in the fresh student install: yields its root, URL and token; stops it after."""
    home = tmp_path_factory.mktemp("jupyterlab")
    root = home / "notebooks"
    (root / "student").mkdir(parents=True)
    for path in sorted(NOTEBOOKS.glob("*.md")):
        shutil.copy2(path, root / path.name)
    for path in sorted(STUDENT.glob("*.ipynb")):
        shutil.copy2(path, root / "student" / path.name)
    settings = home / "settings"
    for name, value in SETTINGS.items():
        (settings / name).parent.mkdir(parents=True, exist_ok=True)
        (settings / name).write_text(json.dumps(value))
    for sub in ("config", "workspaces", "runtime", "data"):
        (home / sub).mkdir()
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(home / "config"),  # not the user's ~/.jupyter
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),  # no tabs restored
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTER_DATA_DIR": str(home / "data"),  # its notary's secret and signatures
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        # the python3 kernel is the fresh student environment's
        "JUPYTER_PATH": str(student_venv["jupyter_path_python3"]),
    }
    port, token = free_port(), secrets.token_hex(16)
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.open_browser=False",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--port-retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--LabApp.expose_app_in_browser=True",  # window.jupyterapp: run commands from the test
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",  # never asks PyPI for extensions
        f"--config={AUTHOR_CONFIG}",  # as `make author`: .md opens as a notebook
    ]
    if os.getuid() == 0:
        cmd.append("--allow-root")
    log_path = home / "jupyterlab.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        cmd, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True, cwd=home
    )
    base = f"http://127.0.0.1:{port}"
    started: set[int] = (
        set()
    )  # JupyterLab and every process it starts (kernels have their own group)

    def record():
        try:
            started.update(c.pid for c in psutil.Process(proc.pid).children(recursive=True))
        except psutil.NoSuchProcess:
            pass

    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail(f"JupyterLab did not start:\n{log_path.read_text()}")
            time.sleep(0.3)
        yield {
            "root": root,
            "base": base,
            "token": token,
            "record": record,
            "log": log_path,
            "python": student_venv["python"],
            "data": home / "data",
        }
    finally:
        record()
        started.add(proc.pid)
        stop_process_group(proc)  # the server shuts its kernels down, then exits
        log.close()
        _, alive = psutil.wait_procs([_process(pid) for pid in started if _process(pid)], 15)
        for p in alive:  # only processes that this JupyterLab started
            p.kill()
        assert not alive, f"processes left behind by JupyterLab: {[p.pid for p in alive]}"


def _process(pid: int):
    try:
        return psutil.Process(pid)
    except psutil.NoSuchProcess:
        return None


@pytest.fixture(scope="module")
def browser():
    with chromium_browser() as b:
        yield b


def _shut_down_kernels(lab) -> None:
    """Stop every session's kernel through the REST API, so kernels don't pile up."""
    headers = {"Authorization": f"token {lab['token']}"}
    request = urllib.request.Request(f"{lab['base']}/api/sessions", headers=headers)
    with urllib.request.urlopen(request, timeout=10) as r:
        sessions = json.load(r)
    for session in sessions:
        request = urllib.request.Request(
            f"{lab['base']}/api/sessions/{session['id']}", headers=headers, method="DELETE"
        )
        urllib.request.urlopen(request, timeout=30).close()


@pytest.fixture(scope="module")
def lab_page(lab, browser):
    """One JupyterLab page for the module, the app exposed as window.jupyterapp.

    Its traffic is recorded: every request that leaves 127.0.0.1 is blocked and listed, and so
    is every failed request and every uncaught script error.
    """
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    p = context.new_page()
    blocked = block_outside_requests(p)
    failed: list[tuple[str, str]] = []
    errors: list[str] = []
    p.on("requestfailed", lambda r: failed.append((r.url, str(r.failure))))
    p.on(
        "response",
        lambda r: failed.append((r.url, f"HTTP {r.status}")) if r.status >= 400 else None,
    )
    p.on("pageerror", lambda exc: errors.append(str(exc)))
    p.goto(f"{lab['base']}/lab?token={lab['token']}", timeout=OPEN_TIMEOUT_MS)
    p.wait_for_function("() => window.jupyterapp !== undefined", timeout=OPEN_TIMEOUT_MS)
    p.evaluate("() => window.jupyterapp.restored")
    try:
        yield {"page": p, "blocked": blocked, "failed": failed, "errors": errors}
    finally:
        context.close()


@pytest.fixture
def page(lab, lab_page):
    """The module's JupyterLab page; after the test, its documents closed and kernels stopped.

    Fails the test if, meanwhile, a request tried to leave 127.0.0.1, a request to JupyterLab
    failed, or a script error went uncaught.
    """
    p = lab_page["page"]
    marks = {key: len(lab_page[key]) for key in ("blocked", "failed", "errors")}
    try:
        yield p
    finally:
        lab["record"]()  # the kernels it started, for the final check that none is left
        p.evaluate(
            """async () => {
                for (const w of Array.from(window.jupyterapp.shell.widgets('main'))) {
                    if (w.sessionContext) await w.sessionContext.shutdown();
                    w.dispose();
                }
            }"""
        )
        _shut_down_kernels(lab)
    blocked, failed, errors = (lab_page[k][marks[k] :] for k in ("blocked", "failed", "errors"))
    assert blocked == [], f"requests that tried to leave 127.0.0.1: {blocked}"
    own = [f"{url}: {why}" for url, why in failed if url not in blocked]
    assert own == [], f"failed requests to JupyterLab: {own}"
    # Stopping a kernel a moment after it started cancels JupyterLab's pending requests to it
    # (the subshell for its comms), and the rejection may surface during the next test: that
    # one is the test's own doing. Any other uncaught error fails the test.
    errors = [e for e in errors if not CANCELED.match(e)]
    assert errors == [], f"script errors on the page: {errors}"


def _open(page, path: str, factory: str | None = None) -> str:
    """Open ``path`` with the viewer ``factory`` (None: its default viewer); return the DOM id
    of its panel."""
    if factory is not None:
        assert page.evaluate(
            "(f) => window.jupyterapp.docRegistry.getWidgetFactory(f) !== undefined", factory
        ), f"JupyterLab has no '{factory}' viewer (is jupytext's extension installed?)"
    assert page.evaluate("(p) => window.jupyterapp.isPluginActivated(p)", MYST_PLUGIN), (
        "jupyterlab-myst is not active: plain JupyterLab shows the lessons' MyST as source"
        " (install the course extra)"
    )
    panel = page.evaluate(
        """async ([path, factory]) => {
            const args = factory ? {path, factory} : {path};
            const widget = await window.jupyterapp.commands.execute('docmanager:open', args);
            await widget.context.ready;
            await widget.sessionContext.ready;
            return widget.id;
        }""",
        [path, factory],
    )
    page.wait_for_selector(f"#{panel} .jp-Notebook .jp-Cell", timeout=OPEN_TIMEOUT_MS)
    return panel


def _wait_for_math(page, panel: str) -> None:
    """Wait until every markdown cell is rendered and the panel's typeset math stops changing."""
    page.evaluate("() => { window.__mathCount = -1; }")  # not the count of the last panel
    page.wait_for_function(
        """([panel, md, sel]) => {
            const root = document.getElementById(panel);
            const cells = root.querySelectorAll('.jp-MarkdownCell').length;
            if (root.querySelectorAll(md).length < cells) return false;
            const n = root.querySelectorAll(`:is(${md}) :is(${sel})`).length;
            const last = window.__mathCount;
            window.__mathCount = n;
            return n > 0 && n === last;
        }""",
        arg=[panel, MARKDOWN, MATH],
        timeout=OPEN_TIMEOUT_MS,
        polling=250,
    )


def _stray_dollars(page, panel: str) -> list[str]:
    """Rendered markdown paragraphs that still show a ``$`` outside code: math left as source."""
    return page.evaluate(
        """([panel, md, math]) => {
            const found = [];
            for (const cell of document.querySelectorAll(`#${panel} :is(${md})`)) {
                const copy = cell.cloneNode(true);
                copy.querySelectorAll(`code, pre, ${math}`).forEach(e => e.remove());
                if (copy.textContent.includes('$')) found.push(copy.textContent.trim());
            }
            return found;
        }""",
        [panel, MARKDOWN, MATH],
    )


# MyST markup of a lesson, read from its source (jupytext gives the .md and .ipynb alike)
MATH_LABEL = re.compile(r"^```\{math\}\n:label: *(\S+)", re.M)
EQ_REF = re.compile(r"\{eq\}`([^`]+)`")
EXERCISE = re.compile(r"^```\{exercise\}\n:label: *(\S+)", re.M)
SOLUTION = re.compile(r"^```\{solution-start\} *(\S+)", re.M)
# Directive or role source left in the rendered text
MYST_SOURCE = re.compile(
    r":label:|:class:|\{(math|exercise|solution-start|solution-end|note|eq|doc)\}"
)


def _markup(nb) -> dict[str, list[str]]:
    text = "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return {
        "math": MATH_LABEL.findall(text),
        "refs": EQ_REF.findall(text),
        "exercises": EXERCISE.findall(text),
        "solutions": SOLUTION.findall(text),
    }


def _myst_view(page, panel: str) -> dict:
    """What jupyterlab-myst drew: equations (by id), references, exercises, solutions, source."""
    return page.evaluate(
        """([panel, md, math, display, notFound]) => {
            const cells = Array.from(document.querySelectorAll(`#${panel} :is(${md})`));
            const all = (sel) => cells.flatMap(c => Array.from(c.querySelectorAll(sel)));
            const equations = {};
            for (const eq of all('[id]')) {
                if (!eq.querySelector(display)) continue;
                const number = eq.querySelector(`a[href="#${eq.id}"]`);
                equations[eq.id] = number ? number.textContent.trim() : null;
            }
            const refs = all('a.hover-link[href^="#"]').map(
                a => [a.getAttribute('href').slice(1), a.textContent.trim()]);
            const text = cells.map(c => {
                const copy = c.cloneNode(true);
                copy.querySelectorAll(math).forEach(e => e.remove());
                return copy.textContent;
            });
            return {
                equations,
                refs,
                displays: all(display).length,
                unresolved: all(`[title="${notFound}"]`).map(e => e.textContent.trim()),
                exercises: all('aside.myst-exercise[id]').map(e => [
                    e.id, e.querySelector('.myst-exercise-title').textContent.trim()]),
                solutions: all('details.myst-exercise > summary').map(e => e.textContent.trim()),
                text,
            };
        }""",
        [panel, MARKDOWN, MATH, DISPLAY_MATH, NOT_FOUND],
    )


def _check_myst(view: dict, markup: dict[str, list[str]]) -> None:
    """Each {math} block a numbered equation, {eq} links to it, exercises and solutions drawn."""
    source = [t for t in view["text"] if MYST_SOURCE.search(t)]
    assert source == [], f"MyST shown as source: {source[:2]}"
    equations = view["equations"]  # jupyterlab-myst writes the ids in lower case
    missing = [label for label in markup["math"] if label.lower() not in equations]
    assert missing == [], f"{{math}} blocks not typeset as display equations: {missing}"
    numbers = [equations[label.lower()] for label in markup["math"]]
    assert all(n and re.fullmatch(r"\(\d+\)", n) for n in numbers), f"unnumbered: {numbers}"
    assert len(set(numbers)) == len(numbers), f"equation numbers repeat: {numbers}"
    assert view["displays"] >= len(markup["math"])
    local = {label.lower() for label in markup["math"]}
    expected = [ref.lower() for ref in markup["refs"] if ref.lower() in local]
    shown = [(target, number) for target, number in view["refs"] if target in local]
    assert sorted(t for t, _ in shown) == sorted(expected), "an {eq} reference is not a link"
    wrong = [(t, n) for t, n in shown if n != equations[t]]
    assert wrong == [], f"{{eq}} references that do not show their equation's number: {wrong}"
    # a reference to another lesson's equation cannot resolve in a notebook of its own
    stray = [label for label in view["unresolved"] if label.lower() in local]
    assert stray == [], f"references to this lesson's equations not resolved: {stray}"
    exercises = [label.lower() for label in markup["exercises"]]
    assert [e for e, _ in view["exercises"]] == exercises, view["exercises"]
    titles = [t for _, t in view["exercises"]]
    assert titles == [f"Exercise {i}" for i in range(1, len(titles) + 1)], titles
    assert len(view["solutions"]) == len(markup["solutions"]), view["solutions"]
    for summary, target in zip(view["solutions"], markup["solutions"], strict=True):
        number = titles[exercises.index(target.lower())]
        assert summary.replace("\xa0", " ").endswith(f"Solution to {number}"), summary


def _error_outputs(page, panel: str) -> list[str]:
    """``ename: evalue`` of every error output in the notebook's model."""
    return page.evaluate(
        """(panel) => {
            const widget = window.jupyterapp.shell.widgets('main').find(w => w.id === panel);
            const found = [];
            for (const cell of widget.content.widgets) {
                if (cell.model.type !== 'code') continue;
                for (const out of cell.model.outputs.toJSON()) {
                    if (out.output_type === 'error') found.push(`${out.ename}: ${out.evalue}`);
                }
            }
            return found;
        }""",
        panel,
    )


def test_md_opens_as_a_notebook_by_default(lab, page):
    """An author who double-clicks a lesson's .md gets jupytext's notebook, not its text."""
    default = page.evaluate(
        "(p) => window.jupyterapp.docRegistry.defaultWidgetFactory(p).name", "03_dL.md"
    )
    assert default == JUPYTEXT, f"a .md opens with {default!r}"


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_source_renders_in_jupyterlab(lab, page, name):
    """The MyST source, opened with its default viewer and not run, renders its MyST."""
    path = f"{name}.md"
    nb = jupytext.read(lab["root"] / path)
    title = _title(nb)
    panel = _open(page, path)
    cells = page.locator(f"#{panel} .jp-Notebook .jp-Cell")
    assert cells.count() == len(nb.cells), "the notebook view does not hold every cell"
    _wait_for_math(page, panel)
    heading = page.locator(f"#{panel} :is({MARKDOWN}) h1").first
    shown = " ".join(heading.inner_text().split())
    for words in _title_words(title):
        assert words in shown, f"title {title!r} not shown: {shown!r}"
    assert page.locator(f"#{panel} :is({MARKDOWN}) :is({MATH})").count() > 0
    errors = page.locator(f"#{panel} :is({MARKDOWN}) :is({MATH_ERROR})")
    assert errors.count() == 0, f"formulas that do not typeset: {errors.all_inner_texts()[:3]}"
    assert _stray_dollars(page, panel) == [], "math left as $...$ source"
    _check_myst(_myst_view(page, panel), _markup(nb))
    shots = os.environ.get("JUPYTERLAB_SCREENSHOTS")
    if shots:
        page.screenshot(path=str(Path(shots) / f"{name}.md.png"))


def _cell_output(page, panel: str, index: int) -> str:
    """The text of the stream outputs of cell ``index`` of the panel's notebook."""
    return page.evaluate(
        """([panel, index]) => {
            const widget = window.jupyterapp.shell.widgets('main').find(w => w.id === panel);
            const outs = widget.content.widgets[index].model.outputs.toJSON();
            // a stream's text, or a result's plain text (a check's Feedback is the cell's result)
            const text = o => [].concat(o.text || (o.data && o.data['text/plain']) || []);
            return outs.map(o => text(o).join('')).join('');
        }""",
        [panel, index],
    )


def _run_cell(page, panel: str, index: int, source: str, mark: str) -> str:
    """Replace cell ``index``'s source, run it, wait for ``mark`` in its output; return it."""
    page.evaluate(
        """async ([panel, index, source]) => {
            const app = window.jupyterapp;
            const widget = app.shell.widgets('main').find(w => w.id === panel);
            app.shell.activateById(panel);
            const cell = widget.content.widgets[index];
            cell.model.sharedModel.setSource(source);
            widget.content.activeCellIndex = index;
            await app.commands.execute('notebook:run-cell');
        }""",
        [panel, index, source],
    )
    page.wait_for_function(
        """([panel, index, mark]) => {
            const widget = window.jupyterapp.shell.widgets('main').find(w => w.id === panel);
            const outs = widget.content.widgets[index].model.outputs.toJSON();
            const text = o => [].concat(o.text || (o.data && o.data['text/plain']) || []);
            return outs.map(o => text(o).join('')).join('').includes(mark);
        }""",
        arg=[panel, index, mark],
        timeout=RUN_TIMEOUT_MS,
    )
    return _cell_output(page, panel, index)


def test_student_opens_a_run_lesson_and_answers_an_exercise(lab, page):
    """A student's lesson 03, as executed in the fresh install by the lesson stage, shows its
    outputs; in the fresh install's kernel, its softmax exercise is answered wrongly (✗), then
    rightly (✓)."""
    headers = {"Authorization": f"token {lab['token']}"}
    request = urllib.request.Request(f"{lab['base']}/api/kernelspecs", headers=headers)
    with urllib.request.urlopen(request, timeout=30) as r:
        specs = json.load(r)["kernelspecs"]
    assert specs["python3"]["spec"]["argv"][0] == str(lab["python"]), "not the student's kernel"

    executed = RUNS / f"{EXERCISE_LESSON}.ipynb"
    if not executed.exists():
        pytest.fail(f"{executed} is missing: run the lesson stage first (make lessons)")
    (lab["root"] / "run").mkdir(exist_ok=True)
    path = f"run/{EXERCISE_LESSON}.ipynb"
    nb = nbformat.read(executed, as_version=4)
    # Trusted, as the outputs of a notebook one ran oneself are: JupyterLab shows an untrusted
    # notebook's SVG and HTML outputs as text.
    NotebookNotary(data_dir=str(lab["data"])).sign(nb)
    nbformat.write(nb, lab["root"] / path)
    index = next(i for i, c in enumerate(nb.cells) if CHECK in c.source and "..." in c.source)
    panel = _open(page, path, NOTEBOOK)
    drawn = sum(
        len([o for o in c.get("outputs", []) if IMAGES & set(o.get("data", {}))]) for c in nb.cells
    )
    assert drawn > 0, "the run drew nothing"
    images = f"#{panel} .jp-OutputArea-output img"
    page.wait_for_function(  # every figure of the run shows
        "([css, n]) => document.querySelectorAll(css).length >= n",
        arg=[images, drawn],
        timeout=OPEN_TIMEOUT_MS,
    )
    assert _error_outputs(page, panel) == []
    blank = _cell_output(page, panel, index)
    assert blank.strip() and "✓" not in blank, f"the blank exercise printed {blank!r}"

    shots = os.environ.get("JUPYTERLAB_SCREENSHOTS")
    if shots:  # a numbered equation of the student edition, as JupyterLab renders it
        tagged = next(i for i, c in enumerate(nb.cells) if "\\tag{" in c.source)
        page.locator(f"#{panel} .jp-Notebook .jp-Cell").nth(tagged).scroll_into_view_if_needed()
        page.screenshot(path=str(Path(shots) / f"{EXERCISE_LESSON}.student.equations.png"))

    wrong = _run_cell(page, panel, index, WRONG, "✗")
    assert "✓" not in wrong, wrong
    right = _run_cell(page, panel, index, RIGHT, "✓")
    assert "✗" not in right, right
    assert _error_outputs(page, panel) == []
    if shots:
        cell = page.locator(f"#{panel} .jp-Notebook .jp-Cell").nth(index)
        cell.scroll_into_view_if_needed()
        page.screenshot(path=str(Path(shots) / f"{EXERCISE_LESSON}.student.png"))


def test_display_equations_typeset(lab, page):
    """The lesson with the most ``{math}`` blocks, from its ``.md``: the equations are drawn.

    Each labelled equation is KaTeX's drawing (not its hidden MathML copy) of non-zero size,
    with its number at the right; each ``{eq}`` reference shows that number; the first
    solution dropdown opens.
    """
    name = max(LESSONS, key=lambda n: len(_markup(jupytext.read(NOTEBOOKS / f"{n}.md"))["math"]))
    nb = jupytext.read(lab["root"] / f"{name}.md")
    markup = _markup(nb)
    assert markup["math"], f"{name} has no {{math}} block"
    panel = _open(page, f"{name}.md")
    _wait_for_math(page, panel)
    view = _myst_view(page, panel)
    _check_myst(view, markup)
    for label in markup["math"]:
        eq = page.locator(f"#{panel} :is({MARKDOWN}) #{label.lower()}")
        drawn = eq.locator(f"{DISPLAY_MATH} .katex-html").first
        drawn.scroll_into_view_if_needed()
        box = drawn.bounding_box()
        assert box and box["width"] > 20 and box["height"] > 10, f"{label}: not drawn ({box})"
        assert eq.locator(".katex-mathml").first.bounding_box()["width"] <= 1  # a11y copy
        number = eq.locator(f"a[href='#{label.lower()}']").first
        assert number.is_visible() and number.bounding_box()["x"] > box["x"], label
    if markup["solutions"]:
        details = page.locator(f"#{panel} :is({MARKDOWN}) details.myst-exercise").first
        details.scroll_into_view_if_needed()
        assert details.get_attribute("open") is None, "a solution dropdown starts open"
        details.locator("summary").click()
        page.wait_for_function(
            "(e) => e.open", arg=details.element_handle(), timeout=OPEN_TIMEOUT_MS
        )


def test_titles_are_plain_text(lab, page):
    """Lesson titles hold no ``$...$``, and JupyterLab shows them as written.

    jupyterlab-myst 2.7 lifts the first ``# `` heading into the page's title block as plain
    text, where math would show as TeX source; so the titles write dL⁽ᵏ⁾ in Unicode, which
    reads the same in JupyterLab, Colab and the book's sidebar.
    """
    titles = {name: _title(jupytext.read(lab["root"] / f"{name}.md")) for name in LESSONS}
    with_math = {name: t for name, t in titles.items() if "$" in t}
    assert not with_math, f"titles with $...$ show as TeX in JupyterLab: {with_math}"
    name = "03_dL" if "03_dL" in titles else next(iter(titles))
    panel = _open(page, f"{name}.md")
    _wait_for_math(page, panel)
    heading = page.locator(f"#{panel} :is({MARKDOWN}) h1").first
    shown = " ".join(heading.inner_text().split())
    assert shown == " ".join(titles[name].split()), f"title {titles[name]!r} shown as {shown!r}"
