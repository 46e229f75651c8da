"""Shared helpers for the browser tests: Debian's Chromium driven by Playwright, offline.

Never `playwright install`: the tests use the system browser at /usr/bin/chromium.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import signal
import socket
import subprocess
import threading
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
# Flags that keep a headless Chromium quiet on a machine with no network but loopback.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def require_chromium() -> str:
    """Path of the system Chromium, or skip... never: a missing browser is a CI setup error."""
    path = shutil.which("chromium") or (CHROMIUM if Path(CHROMIUM).exists() else None)
    if path is None:
        pytest.fail("Debian's chromium is not installed; .ci/run installs it with apt-get")
    return CHROMIUM if Path(CHROMIUM).exists() else path


def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Playwright waits 30 s by default for a navigation, a load state or a selector. On a shared
# machine with a load of 8 on 2 cores, a lesson page took longer than that to load. The tests wait
# on conditions, never on fixed sleeps, so a longer limit costs nothing when the machine is quiet.
TIMEOUT_MS = int(os.environ.get("MLPCORE_BROWSER_TIMEOUT_MS", "180000"))


def _with_timeouts(browser):
    """Make every context and page that ``browser`` opens wait up to TIMEOUT_MS by default."""
    new_context, new_page = browser.new_context, browser.new_page

    def context_with_timeouts(*args, **kwargs):
        context = new_context(*args, **kwargs)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        return context

    def page_with_timeouts(*args, **kwargs):
        page = new_page(*args, **kwargs)
        page.set_default_timeout(TIMEOUT_MS)
        page.set_default_navigation_timeout(TIMEOUT_MS)
        return page

    browser.new_context, browser.new_page = context_with_timeouts, page_with_timeouts
    return browser


@contextlib.contextmanager
def chromium_browser():
    """A headless Chromium (Playwright sync API), generous timeouts, closed afterwards."""
    from playwright.sync_api import sync_playwright

    executable = require_chromium()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield _with_timeouts(browser)
        finally:
            browser.close()


def block_outside_requests(page, allowed_host: str = "127.0.0.1") -> list[str]:
    """Abort every request that does not go to ``allowed_host``; return the list of blocked URLs."""
    blocked: list[str] = []

    def handle(route):
        url = route.request.url
        host = url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
        if url.startswith(("data:", "blob:", "about:")) or host in (allowed_host, "localhost"):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    page.route("**/*", handle)
    return blocked


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


@contextlib.contextmanager
def serve_directory(folder: Path):
    """Serve ``folder`` over HTTP on 127.0.0.1 (a free port) from a thread; yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def stop_process_group(proc: subprocess.Popen, timeout: float = 30) -> None:
    """SIGTERM the process group of ``proc`` (a server started with ``start_new_session``),
    wait for it, and SIGKILL the group if it is still there after ``timeout`` seconds."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)  # Jupyter servers shut their kernels down on it
    except ProcessLookupError:
        pass
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
