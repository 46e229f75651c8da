"""The playground app in a real browser: Voila serves app/playground.ipynb (the app alone, not
lesson 08), headless Chromium moves its sliders.

The test starts its own Voila on a free port of 127.0.0.1 (in its own process group), opens
the lesson with Playwright and Debian's Chromium, and blocks every request that leaves the
machine. It moves the α slider and the size of hidden layer 1 with the keyboard (the way
ipywidgets' noUiSlider handles take it), and checks after each move that:

- the final loss on the page is the one mlpcore computes here, in the test process, for those
  settings and the same seed;
- the pictures were redrawn: the widget that draws them with the book's own code
  (``LiveView``, an anywidget) shows a new frame, and its network diagram the new layer size.

Then it pushes α to the end of its range and checks that the divergence message is shown.
The page shows only the app: no MyST source and none of lesson 08's prose.
Finally it stops Voila and its kernels and checks that none of those processes is left.
Set PLAYGROUND_SCREENSHOTS to a folder to keep screenshots from before and after the moves.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import jupytext
import pytest
from browser_utils import block_outside_requests, chromium_browser, free_port, stop_process_group

import mlpcore
from mlpcore.course import playground

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app" / "playground.ipynb"
LESSON = ROOT / "notebooks" / "08_playground.md"
LOAD_TIMEOUT_MS = 180_000  # Voila runs every cell of the notebook before the page is complete
MYST = ["{eq}", "{math}", ":::", "{exercise}", "{solution", ":label:", "```"]
MOVE_TIMEOUT_MS = 60_000
VIEW = ".pg-figure .mlp-widget"  # the pictures: LiveView's root, once its front end has run


def mlpcore_loss(alpha: float, hidden: tuple, epochs: int = 30, seed: int = 0) -> float:
    """The final mean loss for the playground's settings, computed with mlpcore directly."""
    ds = playground.problem("circles").train
    net = mlpcore.Network((2, *hidden, 2), g="tanh", seed=seed)
    history = mlpcore.sgd(
        net,
        ds.X,
        ds.labels,
        mlpcore.softmax_cross_entropy,
        alpha,
        epochs,
        seed=seed,
        progress=False,
        epoch_loss="exact",
    )
    return history.loss[-1]


def _children(pid: int) -> set[int]:
    """Every live descendant of ``pid`` (read from /proc)."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture
def voila(tmp_path):
    """A Voila server for the lesson: yields its URL; stops it and every process it started."""
    port = free_port()
    log = open(tmp_path / "voila.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "voila",
            str(APP),
            "--no-browser",
            f"--port={port}",
            "--Voila.ip=127.0.0.1",
            "--show_tracebacks=True",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env={**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"},
    )
    seen: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail("Voila did not start:\n" + (tmp_path / "voila.log").read_text())
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}/", lambda: seen.update(_children(proc.pid))
    finally:
        seen.update(_children(proc.pid))
        stop_process_group(proc)  # Voila shuts its kernels down on SIGTERM
        deadline = time.monotonic() + 15
        while any(_alive(pid) for pid in seen) and time.monotonic() < deadline:
            time.sleep(0.2)
        left = sorted(pid for pid in seen if _alive(pid))
        for pid in left:  # only processes that this fixture's Voila started
            os.kill(pid, signal.SIGKILL)
        log.close()
        assert not left, f"processes left behind by Voila: {left}"


def _lesson_sentences() -> list[str]:
    """The first words of every paragraph of lesson 08's prose (its markdown, not its code)."""
    nb = jupytext.read(LESSON)
    found = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for paragraph in cell.source.split("\n\n"):
            words = " ".join(paragraph.split())
            if len(words) > 40 and words[0].isalpha():
                found.append(words[:40])
    return found


def test_lesson_sentences_found():
    """The prose check below is not vacuous."""
    assert len(_lesson_sentences()) > 5


def _wait_for_new_loss(page, old: str) -> str:
    page.wait_for_function(
        """(old) => {
            const e = document.querySelector('.pg-final-loss');
            return e !== null && e.textContent !== old && !isNaN(parseFloat(e.textContent));
        }""",
        arg=old,
        timeout=MOVE_TIMEOUT_MS,
    )
    return page.inner_text(".pg-final-loss")


def _press(page, slider: str, key: str) -> None:
    page.focus(f"{slider} .noUi-handle")
    page.keyboard.press(key)


def test_sliders_retrain_in_voila(voila, tmp_path):
    url, record_processes = voila
    shots = Path(os.environ.get("PLAYGROUND_SCREENSHOTS", tmp_path))
    with chromium_browser() as browser:
        page = browser.new_page(viewport={"width": 1300, "height": 1000})
        blocked = block_outside_requests(page)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(url, timeout=LOAD_TIMEOUT_MS)
        page.wait_for_selector(".pg-final-loss", timeout=LOAD_TIMEOUT_MS)
        record_processes()  # the kernel is running now

        text = " ".join(page.inner_text("body").split())
        shown = [m for m in MYST if m in text]
        assert shown == [], f"MyST source on the app's page: {shown}"
        prose = [s for s in _lesson_sentences() if s in text]
        assert prose == [], f"lesson prose on the app's page: {prose}"

        loss0 = page.inner_text(".pg-final-loss")
        assert float(loss0) == pytest.approx(mlpcore_loss(0.1, (8,)), rel=1e-5)
        page.wait_for_selector(f"{VIEW}[data-frame]", timeout=MOVE_TIMEOUT_MS)
        assert page.locator(f"{VIEW} .ml-network circle").count() == 2 + 8 + 2
        assert page.locator(f"{VIEW} canvas").count() == 2
        src0 = page.get_attribute(VIEW, "data-frame")
        page.locator(".pg-app").screenshot(path=str(shots / "playground_before.png"))

        # α one notch to the right on its log scale: 10^-1 -> 10^-0.9
        _press(page, ".pg-alpha", "ArrowRight")
        loss1 = _wait_for_new_loss(page, loss0)
        alpha = 10 ** (-1 + 0.1)
        assert page.inner_text(".pg-alpha .widget-readout") == f"{alpha:.3g}"
        assert float(loss1) == pytest.approx(mlpcore_loss(alpha, (8,)), rel=1e-5)
        src1 = page.get_attribute(VIEW, "data-frame")
        assert src1 != src0

        # the first hidden layer one neuron wider: s_1 = 8 -> 9
        _press(page, ".pg-size-1", "ArrowRight")
        loss2 = _wait_for_new_loss(page, loss1)
        assert page.inner_text(".pg-size-1 .widget-readout") == "9"
        assert float(loss2) == pytest.approx(mlpcore_loss(alpha, (9,)), rel=1e-5)
        page.wait_for_function(
            f"() => document.querySelectorAll('{VIEW} .ml-network circle').length === 13",
            timeout=MOVE_TIMEOUT_MS,
        )
        assert page.get_attribute(VIEW, "data-frame") not in (src0, src1)
        assert "(2, 9, 2)" in page.inner_text(".pg-report")
        page.locator(".pg-app").screenshot(path=str(shots / "playground_after.png"))

        # α at the top of its range, 10: training diverges and the page says so in words
        assert page.inner_text(".pg-message").strip() == ""
        _press(page, ".pg-alpha", "End")
        page.wait_for_function(
            "() => document.querySelector('.pg-message').textContent.includes('diverged')",
            timeout=MOVE_TIMEOUT_MS,
        )
        message = page.inner_text(".pg-message")
        assert "α = 10" in message and "smaller α" in message
        assert page.inner_text(".pg-final-loss") == "diverged"
        if os.environ.get("PLAYGROUND_SCREENSHOTS"):
            page.locator(".pg-app").screenshot(path=str(shots / "playground_diverged.png"))
        assert not errors, errors
        # Voila's icon font comes from a CDN; it is blocked, and nothing else may leave.
        assert all("fontawesome" in u for u in blocked), blocked
