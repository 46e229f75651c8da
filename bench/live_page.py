"""Frames per second and weight of the book's live playground (lesson 08), in headless Chromium.

Serves the built book (``make book`` first) on 127.0.0.1, opens the playground, presses Play and
counts requestAnimationFrame callbacks of the page's own loop (``mlpLive.stats()``) for
``--seconds``, at the defaults (2-8-2, circles) and on a large network (4 hidden layers of 64).
Also sums the bytes the page loads, with and without MathJax and the theme's shared files.

    .venv/bin/python bench/live_page.py [--seconds 5]

Headless Chromium draws without a GPU on a shared machine: a reader's browser does better.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser_utils import chromium_browser, serve_directory  # noqa: E402

PAGE = "notebooks/08_playground.html"


def fps(page, seconds: float) -> dict:
    page.click("#ml-play")
    page.wait_for_timeout(seconds * 1000)  # a measurement, not a test: a fixed window is the point
    stats = page.evaluate("mlpLive.stats()")
    page.click("#ml-play")
    return {
        "fps": stats["frames"] / stats["seconds"],
        "steps_per_s": stats["steps"] / stats["seconds"],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    html = ROOT / "book" / "_build" / "html"
    if not (html / PAGE).is_file():
        raise SystemExit("build the book first: make book")
    with serve_directory(html) as url, chromium_browser() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        sizes: dict[str, int] = {}
        page.on("response", lambda r: sizes.__setitem__(r.url, int(r.headers["content-length"])))
        page.goto(url + PAGE, wait_until="networkidle")
        page.wait_for_selector("#ml-status")
        total = sum(sizes.values())
        no_mathjax = sum(n for u, n in sizes.items() if "/mathjax/" not in u)
        own = sum(n for u, n in sizes.items() if "/_static/" not in u)
        live = sum(n for u, n in sizes.items() if "/live/" in u)
        print(
            f"page weight: {total / 1e3:.0f} kB in all, {no_mathjax / 1e3:.0f} kB without MathJax,"
        )
        print(f"  {own / 1e3:.0f} kB without the theme's _static/ files, live/ {live / 1e3:.0f} kB")
        small = fps(page, args.seconds)
        print(
            f"2-8-2 tanh, circles: {small['fps']:.1f} frames/s, {small['steps_per_s']:.0f} steps/s"
        )
        page.fill("#ml-layers", "4")
        page.dispatch_event("#ml-layers", "change")
        for k in range(1, 5):
            page.fill(f"#ml-size-{k}", "64")
            page.dispatch_event(f"#ml-size-{k}", "change")
        large = fps(page, args.seconds)
        print(f"2-64-64-64-64-2: {large['fps']:.1f} frames/s, {large['steps_per_s']:.0f} steps/s")


if __name__ == "__main__":
    main()
