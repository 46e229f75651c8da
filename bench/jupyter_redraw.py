"""How long the Jupyter playground takes to redraw after a slider move, in a real browser.

Voila (or JupyterLab, ``--lab``) serves ``app/playground.ipynb`` (lesson 08's app alone);
headless Debian Chromium, driven by Playwright, moves the α slider one notch with the keyboard,
back and forth (``--moves`` times), and times each move in the page itself
(``performance.now()``), from the key press to:

- **first**: the first change of the picture (``.pg-figure``: the ``src`` of the matplotlib
  app's ``<img>``, or the ``data-frame`` that the widget sets once it has drawn a frame);
- **final**: the new final loss in the report, the end of the retrain (every picture is drawn
  by then).

It also counts the frames drawn during a move and reads the widget's own drawing time
(``data-draw-ms``), and times a switch of the data set to ``digits`` and back. It prints
medians and writes them as JSON (``--json``). Run it at the commit to measure::

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python bench/jupyter_redraw.py

``--python-path DIR`` puts another checkout's mlpcore first in the kernel's path (to measure
an older app with the same script). A benchmark, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from browser_utils import block_outside_requests, chromium_browser, free_port  # noqa: E402

TIMEOUT_MS = 180_000

# What the picture shows, as one string: changes whenever a new frame is drawn.
SIGNATURE = """() => {
    const f = document.querySelector('.pg-figure');
    if (!f) return null;
    const img = f.querySelector('img');
    if (img) return img.src.length + ':' + img.src.slice(-80);
    const v = f.querySelector('[data-frame]');
    return v ? 'frame ' + v.dataset.frame : null;
}"""

# Records, in the page's clock, the start of a move (key press or select change) and the
# moments the picture and the final loss change.
RECORDER = """(signature) => {
    const sig = eval(signature);
    const loss = () => (document.querySelector('.pg-final-loss') || {}).textContent;
    window.__bench = {arm() {
        Object.assign(this, {start: null, first: null, final: null, frames: 0,
                             sig: sig(), loss: loss()});
    }};
    const start = () => { if (__bench.start === null) __bench.start = performance.now(); };
    document.addEventListener('keydown', start, true);
    document.addEventListener('change', start, true);
    new MutationObserver(() => {
        const b = window.__bench;
        if (b.start === null) return;
        const s = sig();
        if (s !== b.sig) {
            b.sig = s;
            b.frames += 1;
            if (b.first === null) b.first = performance.now();
        }
        const l = loss();  // undefined while the report says "training…"
        if (b.final === null && l !== undefined && l !== b.loss) b.final = performance.now();
    }).observe(document.body, {subtree: true, childList: true, attributes: true,
                               characterData: true});
}"""


def start_voila(notebook: Path, python_path: str | None, log) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    if python_path:
        env["PYTHONPATH"] = python_path
    proc = subprocess.Popen(
        [sys.executable, "-m", "voila", str(notebook), "--no-browser", f"--port={port}"]
        + ["--Voila.ip=127.0.0.1"],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stopped with its kernels below
        env=env,
    )
    _wait_for_port(proc, port)
    return proc, f"http://127.0.0.1:{port}/"


def start_lab(notebook: Path, python_path: str | None, log, home: Path):
    """JupyterLab on a copy of the notebook in ``home`` (its own config, no workspace)."""
    port, token = free_port(), secrets.token_hex(16)
    (home / "root").mkdir()
    shutil.copy2(notebook, home / "root" / notebook.name)
    env = {
        **os.environ,
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
    }
    news = (
        home
        / "settings"
        / "@jupyterlab"
        / "apputils-extension"
        / "notification.jupyterlab-settings"
    )
    news.parent.mkdir(parents=True)
    news.write_text('{"fetchNews": "false"}')  # no "news?" pop-up over the notebook
    if python_path:
        env["PYTHONPATH"] = python_path
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1"]
    cmd += [f"--port={port}", f"--IdentityProvider.token={token}"]
    cmd += [f"--ServerApp.root_dir={home / 'root'}", "--LabApp.expose_app_in_browser=True"]
    cmd += ["--LabApp.news_url=None", "--LabApp.extension_manager=readonly"]
    cmd += ["--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if os.getuid() == 0:
        cmd.append("--allow-root")
    proc = subprocess.Popen(
        cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=env
    )
    _wait_for_port(proc, port)
    return proc, f"http://127.0.0.1:{port}/lab/tree/{notebook.name}?token={token}"


def run_in_lab(page) -> None:
    """Run every cell of the notebook that JupyterLab opened."""
    page.wait_for_function(
        "() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
        " && window.jupyterapp.shell.currentWidget.sessionContext",
        timeout=TIMEOUT_MS,
    )
    page.evaluate(
        """async () => {
            const app = window.jupyterapp;
            const w = app.shell.currentWidget;
            await w.context.ready;
            await w.sessionContext.ready;
            app.shell.collapseLeft();
            await app.commands.execute('notebook:run-all-cells');
        }"""
    )


def _wait_for_port(proc, port: int) -> None:
    deadline = time.monotonic() + 120
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the Jupyter server did not start") from None
            time.sleep(0.2)


def one_move(page, act) -> dict:
    page.evaluate("() => __bench.arm()")
    act()
    page.wait_for_function(
        "() => __bench.final !== null && __bench.first !== null", timeout=TIMEOUT_MS
    )
    b = page.evaluate("() => ({...__bench})")
    draw = page.evaluate(
        "() => { const v = document.querySelector('.pg-figure [data-draw-ms]');"
        " return v ? parseFloat(v.dataset.drawMs) : null; }"
    )
    return {
        "first_ms": b["first"] - b["start"],
        "final_ms": b["final"] - b["start"],
        "frames": b["frames"],
        "draw_ms": draw,
    }


def summary(moves: list[dict]) -> dict:
    out = {"n": len(moves)}
    for key in ("first_ms", "final_ms", "frames", "draw_ms"):
        values = [m[key] for m in moves if m[key] is not None]
        if values:
            out[f"median_{key}"] = round(statistics.median(values), 1)
            out[f"max_{key}"] = round(max(values), 1)
    # frames per second while a retrain draws: frames after the first, over the time between
    spans = [(m["frames"] - 1, m["final_ms"] - m["first_ms"]) for m in moves if m["frames"] > 1]
    if spans:
        frames, ms = sum(f for f, _ in spans), sum(t for _, t in spans)
        out["frames_per_s_while_training"] = round(1000 * frames / ms, 1) if ms > 0 else None
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--moves", type=int, default=24, help="slider moves (alternating)")
    ap.add_argument("--notebook", type=Path, default=ROOT / "app" / "playground.ipynb")
    ap.add_argument("--python-path", help="PYTHONPATH for the kernel (another checkout)")
    ap.add_argument("--json", type=Path, help="write the results here")
    ap.add_argument("--screenshot", type=Path, help="save the app as this PNG")
    ap.add_argument("--lab", action="store_true", help="in JupyterLab instead of Voila")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp, open(Path(tmp) / "voila.log", "w") as log:
        if args.lab:
            proc, url = start_lab(args.notebook, args.python_path, log, Path(tmp))
        else:
            proc, url = start_voila(args.notebook, args.python_path, log)
        try:
            with chromium_browser() as browser:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                block_outside_requests(page)
                page.goto(url, timeout=TIMEOUT_MS)
                if args.lab:
                    run_in_lab(page)
                page.wait_for_selector(".pg-final-loss", timeout=TIMEOUT_MS)
                page.wait_for_function(SIGNATURE, timeout=TIMEOUT_MS)
                page.evaluate(RECORDER, SIGNATURE)
                handle = ".pg-alpha .noUi-handle"
                moves = []
                for i in range(args.moves):
                    key = "ArrowRight" if i % 2 == 0 else "ArrowLeft"
                    moves.append(one_move(page, lambda k=key: _press(page, handle, k)))
                    print(f"move {i + 1:2d} ({key}): {moves[-1]}", flush=True)
                if args.screenshot:
                    shot = page if args.lab else page.locator(".pg-app")
                    shot.screenshot(path=str(args.screenshot))
                switch = []
                for name in ("digits", "circles"):
                    choose = lambda n=name: page.select_option(".pg-dataset select", n)  # noqa: E731
                    switch.append(one_move(page, choose))
                    print(f"data set -> {name}: {switch[-1]}", flush=True)
        finally:
            os.killpg(proc.pid, signal.SIGTERM)  # Voila and the kernels it started
            proc.wait(timeout=30)
    result = {
        "slider": summary(moves),
        "digits": switch[0],
        "back_to_circles": switch[1],
        "moves": moves,
    }
    print(json.dumps({k: v for k, v in result.items() if k != "moves"}, indent=1))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n")


def _press(page, selector: str, key: str) -> None:
    page.focus(selector)
    page.keyboard.press(key)


if __name__ == "__main__":
    main()
