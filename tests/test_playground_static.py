"""Lesson 07 in the static book: the flip-book's sliders change the picture with no kernel.

`make test` builds the book first (`make book`). The built site is served from
book/_build/html by a local http.server on 127.0.0.1, the playground page is opened in headless
Debian Chromium, and every request that leaves 127.0.0.1 is blocked. The test moves the
flip-book's α slider and its hidden-size slider with the keyboard and checks that the frame (its
``<img>`` src) and the caption follow, that the end of the α range shows a diverged run, and
that the page holds no dead copy of the live widgets.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_utils import block_outside_requests, chromium_browser, serve_directory

from mlpcore.course.playground import flipbook

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HTML = Path(__file__).resolve().parents[1] / "book" / "_build" / "html"
PAGE = "notebooks/07_playground.html"


@pytest.fixture(scope="module")
def site():
    if not HTML.is_dir():
        pytest.skip("book/_build/html does not exist: run `make book` first (`make test` does)")
    assert (HTML / PAGE).is_file(), f"the built book has no {PAGE}; is it in book/_toc.yml?"
    with serve_directory(HTML) as url:
        yield url


def _state(page) -> tuple[str, str, str, str]:
    book = page.locator(".mlp-flipbook")
    return (
        book.locator(".fb-frame").get_attribute("src"),
        book.locator(".fb-caption").inner_text(),
        book.locator(".fb-alpha-value").inner_text(),
        book.locator(".fb-size-value").inner_text(),
    )


def test_flipbook_sliders_flip_the_frames(site):
    with chromium_browser() as browser:
        page = browser.new_page(viewport={"width": 1300, "height": 1000})
        blocked = block_outside_requests(page)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(site + PAGE, wait_until="load")

        assert page.locator(".mlp-flipbook").count() == 1
        assert page.locator(".pg-app").count() == 0  # the live cell's output is removed
        start = _state(page)
        assert start[0].startswith("data:image/png;base64,")
        assert page.evaluate("document.querySelector('.fb-frame').naturalWidth") > 0
        assert start[2] == f"{flipbook.ALPHAS[len(flipbook.ALPHAS) // 2]:g}"
        assert start[3] == str(flipbook.SIZES[-1])

        page.focus(".mlp-flipbook .fb-alpha")
        page.keyboard.press("ArrowRight")
        moved = _state(page)
        alpha = f"{flipbook.ALPHAS[len(flipbook.ALPHAS) // 2 + 1]:g}"
        assert moved[0] != start[0] and moved[1] != start[1]
        assert moved[2] == alpha and moved[1].startswith(f"α = {alpha}, s₁ = {start[3]}")

        page.focus(".mlp-flipbook .fb-size")
        page.keyboard.press("ArrowLeft")
        smaller = _state(page)
        assert smaller[0] not in (start[0], moved[0])
        assert smaller[3] == str(flipbook.SIZES[-2])
        assert f"s₁ = {flipbook.SIZES[-2]}" in smaller[1]

        page.focus(".mlp-flipbook .fb-alpha")
        page.keyboard.press("End")
        top = _state(page)
        assert top[2] == f"{flipbook.ALPHAS[-1]:g}" and "diverged" in top[1]
        assert page.evaluate("document.querySelector('.fb-frame').naturalWidth") > 0

        assert not errors, errors
        assert not blocked, f"the page asked the network for {blocked}"
