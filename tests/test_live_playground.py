"""Lesson 08 in the built book: the live playground trains mlpcore's network in the browser.

`make test` builds the book first. The site is served from book/_build/html on 127.0.0.1 and
every other request is blocked (a test also opens it from ``file://``). Headless Debian Chromium
drives the page the way a reader does: α to 10 and the divergence message; the layers and the
diagram; one step from mlpcore's initial weights, whose displayed ``w[0]`` must equal mlpcore's
after the same step; points added by mouse and by keyboard; every control reached with Tab;
"one stroke" through section 3.1 with its equation links; axe on the playground; the page's
weight; and the sentence and figure shown when JavaScript is off.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest
from browser_utils import block_outside_requests, chromium_browser, serve_directory

import mlpcore
from mlpcore import data

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
HTML = Path(os.environ.get("MLP_LIVE_SITE", ROOT / "book" / "_build" / "html"))
PAGE = "notebooks/08_playground.html"
AXE = "4.14.1"  # axe-core from npm, unpacked into the git-ignored node_modules/
TIMEOUT = 60_000  # ms: generous, the machine may be loaded
CONTROLS = [
    "ml-dataset", "ml-alpha", "ml-layers", "ml-size-1", "ml-g", "ml-batch", "ml-seed",
    "ml-class", "ml-play", "ml-step", "ml-reset", "ml-stroke", "ml-boundary", "ml-network",
]  # fmt: skip


@pytest.fixture(scope="module")
def site():
    if not HTML.is_dir():
        pytest.skip("book/_build/html does not exist: run `make book` first (`make test` does)")
    assert (HTML / PAGE).is_file(), f"the built book has no {PAGE}"
    with serve_directory(HTML) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium_browser() as b:
        yield b


@pytest.fixture
def page(browser, site):
    context = browser.new_context(viewport={"width": 1200, "height": 1000})
    page = context.new_page()
    page.blocked = block_outside_requests(page)
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.goto(site + PAGE, wait_until="load")
    page.wait_for_selector("#ml-status", timeout=TIMEOUT)
    yield page
    assert not page.errors, page.errors
    assert not page.blocked, f"the page asked the network for {page.blocked}"
    context.close()


def _status(page) -> str:
    return page.inner_text("#ml-status")


def test_alpha_10_diverges_with_mlpcores_message(page):
    page.focus("#ml-alpha")
    page.keyboard.press("End")
    assert page.input_value("#ml-alpha") == "1"
    assert page.inner_text("#ml-alpha-value") == "10"
    page.click("#ml-play")
    page.wait_for_function(
        "document.getElementById('mlp-live').dataset.diverged === 'true'", timeout=TIMEOUT
    )
    status = _status(page)
    assert "training diverged with alpha=10 in epoch" in status, status
    assert "The parameters of the last finite step were kept. Try a smaller alpha." in status
    assert page.get_attribute("#ml-play", "aria-pressed") == "false"  # training stopped


def test_layers_change_the_diagram(page):
    assert page.locator("#ml-network circle").count() == 2 + 8 + 2
    page.fill("#ml-layers", "3")
    page.dispatch_event("#ml-layers", "change")
    page.wait_for_function("document.getElementById('mlp-live').dataset.sizes === '2,8,8,8,2'")
    assert page.locator("#ml-network circle").count() == 2 + 3 * 8 + 2
    assert page.locator("#ml-network line").count() == 2 * 8 + 8 * 8 * 2 + 8 * 2
    page.fill("#ml-size-2", "64")
    page.dispatch_event("#ml-size-2", "change")
    page.wait_for_function("document.getElementById('mlp-live').dataset.sizes === '2,8,64,8,2'")
    assert page.locator("#ml-network circle").count() == 2 + 8 + 64 + 8 + 2
    page.fill("#ml-layers", "0")
    page.dispatch_event("#ml-layers", "change")
    page.wait_for_function("document.getElementById('mlp-live').dataset.sizes === '2,2'")
    assert page.locator("#ml-network line").count() == 4


def test_one_step_from_mlpcores_weights_equals_mlpcore(page):
    assert 'mlpcore\'s Network((2, 8, 2), g="tanh", seed=0)' in _status(page)
    page.click("#ml-step")
    page.wait_for_function("document.getElementById('mlp-live').dataset.lastSamples")
    m = int(page.get_attribute("#mlp-live", "data-last-samples"))
    page.click("#ml-table-view summary")
    cells = page.locator("#ml-table-w0 td[data-j]")
    assert cells.count() == 8 * 2
    shown = {}
    for cell in cells.all():
        i, j = int(cell.get_attribute("data-i")), int(cell.get_attribute("data-j"))
        shown[i, j] = (float(cell.get_attribute("data-value")), cell.inner_text())

    ds = data.circles(seed=0)
    net = mlpcore.Network((2, 8, 2), "tanh", seed=0)
    mlpcore.step(net, ds.X[:, m], ds.Y[:, m], mlpcore.softmax_cross_entropy, 0.1)
    for (i, j), (value, text) in shown.items():
        want = net.w[0][i, j]
        assert abs(value - want) <= 1e-12 * abs(want), (i, j, value, want)
        assert float(text) == pytest.approx(want, rel=1e-5), (i, j, text, want)
    assert f"sample m = {m}" in _status(page)


def test_points_added_by_mouse_and_keyboard(page):
    assert page.get_attribute("#mlp-live", "data-points") in (None, "200")
    box = page.locator("#ml-boundary").bounding_box()
    page.locator("#ml-boundary").click(position={"x": box["width"] / 2, "y": box["height"] / 2})
    page.wait_for_function("document.getElementById('mlp-live').dataset.points === '201'")
    assert "Point added at (0" in _status(page) or "Point added at (-0" in _status(page)
    page.select_option("#ml-class", "1")
    page.focus("#ml-boundary")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.wait_for_function("document.getElementById('mlp-live').dataset.points === '202'")
    assert "class 1: 202 training points" in _status(page)
    page.click("#ml-step")  # training goes on with the new points
    assert "Step 1" in _status(page)


def test_every_control_is_reached_and_used_from_the_keyboard(page):
    page.focus("#ml-dataset")
    seen = []
    for _ in range(40):
        seen.append(page.evaluate("document.activeElement.id"))
        page.keyboard.press("Tab")
    missing = [c for c in CONTROLS if c not in seen]
    assert not missing, f"Tab never reaches {missing}; order: {seen}"
    assert seen.index("ml-alpha") < seen.index("ml-play") < seen.index("ml-network")
    page.focus("#ml-play")
    page.keyboard.press("Space")
    assert page.get_attribute("#ml-play", "aria-pressed") == "true"
    page.keyboard.press("Space")
    assert page.get_attribute("#ml-play", "aria-pressed") == "false"
    page.focus("#ml-network")  # neurons by arrow keys; their numbers go to the live region
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    assert "Neuron 1 of layer 1" in page.inner_text("#ml-inspect")
    assert "dL⁽¹⁾[1] = " in page.inner_text("#ml-inspect")
    assert "Neuron 1 of layer 1" in _status(page)
    assert page.get_attribute("#ml-status", "aria-live") == "polite"


def test_clicking_an_edge_shows_its_numbers(page):
    edge = page.locator('#ml-network line[data-k="1"][data-i="0"][data-j="3"]')
    x1, y1, x2, y2 = (float(edge.get_attribute(n)) for n in ("x1", "y1", "x2", "y2"))
    svg = page.locator("#ml-network")
    scale = svg.bounding_box()["width"] / 420  # the diagram's viewBox is 420 wide
    x, y = 0.4 * x1 + 0.6 * x2, 0.4 * y1 + 0.6 * y2  # a point on the edge, away from the nodes
    svg.click(position={"x": scale * x, "y": scale * y})
    text = page.inner_text("#ml-inspect")
    assert "w⁽¹⁾[0, 3] = " in text and "dW⁽¹⁾[0, 3] = dL⁽²⁾[0] a⁽¹⁾[3] = " in text, text


def test_one_stroke_walks_section_3_1_with_equation_links(page, site):
    page.click("#ml-stroke")
    current = page.locator(".ml-formula.ml-current")
    assert current.count() == 1
    link = current.locator("a[href*='#equation-eq-forward']")
    assert link.count() == 1
    href = link.get_attribute("href")
    target = (HTML / "notebooks" / href.split("#")[0]).resolve()
    assert target.name == "02_forward.html" and target.is_file()
    assert 'id="equation-eq-forward"' in target.read_text("utf-8")
    seen = []
    while not page.is_disabled("#ml-stroke-next"):
        seen.append(page.get_attribute(".ml-formula.ml-current", "data-eq"))
        page.click("#ml-stroke-next")
    seen.append(page.get_attribute(".ml-formula.ml-current", "data-eq"))
    order = [e.split()[0] for e in seen]
    assert order[:2] == ["eq-forward"] * 2 and order[-1] == "eq-update"
    assert order.index("eq-dlp") < order.index("eq-dlk") < order.index("eq-db")  # Sphinx: lower
    assert "the weights moved" in page.inner_text("#ml-stroke-text")


def _axe_source() -> Path:
    folder = ROOT / "node_modules" / "axe-core"
    script = folder / "axe.min.js"
    if not script.is_file() or json.loads((folder / "package.json").read_text())["version"] != AXE:
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is needed once to fetch axe-core")
        tmp = ROOT / "node_modules" / ".axe-pack"
        tmp.mkdir(parents=True, exist_ok=True)
        subprocess.run([npm, "pack", "--silent", f"axe-core@{AXE}"], cwd=tmp, check=True)
        shutil.rmtree(folder, ignore_errors=True)
        with tarfile.open(tmp / f"axe-core-{AXE}.tgz") as tar:
            tar.extractall(tmp, filter="data")
        (tmp / "package").rename(folder)
        shutil.rmtree(tmp)
    return script


def test_axe_finds_no_serious_violation_in_the_playground(page):
    page.add_script_tag(path=str(_axe_source()))
    page.click("#ml-stroke")  # the one-stroke panel and the table view open too
    page.click("#ml-table-view summary")
    result = page.evaluate(
        "axe.run(document.getElementById('mlp-live'), {resultTypes: ['violations']})"
    )
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, bad


PAGE_BUDGET = 1_000_000  # bytes the playground page loads, MathJax aside (issue 15)


def test_page_weight_and_no_widget_manager(browser, site):
    """Every byte the page loads (the bodies of all its responses, images and fonts included,
    once the network is idle), MathJax aside, is under PAGE_BUDGET."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sizes: dict[str, int] = {}

    def on_response(response):
        try:
            sizes[response.url] = len(response.body())
        except Exception:  # a redirect or an aborted request has no body
            sizes[response.url] = int(response.headers.get("content-length", 0))

    page.on("response", on_response)
    blocked = block_outside_requests(page)
    page.goto(site + PAGE, wait_until="load")
    page.wait_for_selector("#ml-status")
    page.evaluate("async () => { if (window.MathJax) await MathJax.startup.promise; }")
    page.wait_for_load_state("networkidle")
    context.close()
    assert not blocked
    assert not [u for u in sizes if "embed-amd" in u or "require.js" in u]
    weight = sum(n for u, n in sizes.items() if "/mathjax/" not in u)
    live = sum(n for u, n in sizes.items() if "/live/" in u)
    largest = sorted(((n, u.rsplit("/", 1)[-1]) for u, n in sizes.items()), reverse=True)[:8]
    print(f"playground page without MathJax: {weight / 1e3:.0f} kB; its live/ {live / 1e3:.0f} kB")
    assert any("/live/views.js" in u for u in sizes) and live < 200_000, largest
    assert weight < PAGE_BUDGET, f"{weight} bytes without MathJax: {largest}"


def test_without_javascript_a_figure_and_a_sentence(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + PAGE, wait_until="load")
    live = page.locator("#mlp-live")
    assert "JavaScript" in live.inner_text()
    img = live.locator("img")
    assert img.count() == 1 and img.get_attribute("alt")
    assert page.evaluate("document.querySelector('#mlp-live img').naturalWidth") > 0
    context.close()


def test_works_from_file_url(browser):
    if not (HTML / PAGE).is_file():
        pytest.skip("book/_build/html does not exist: run `make book` first")
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto((HTML / PAGE).as_uri(), wait_until="load")
    page.wait_for_selector("#ml-status", timeout=TIMEOUT)
    page.click("#ml-step")
    assert "Step 1" in page.inner_text("#ml-status")
    assert not errors, errors
    page.close()
