"""The Jupyter playground's pictures: the book's drawing code as an anywidget (no browser here).

mlpcore trains in the kernel and :class:`LiveView` sends numbers only. These tests check those
numbers against independent computations (the boundary against ``net.predict`` on the same
plane points, the diagram's w and dL against the run's), that one source draws both the book's
page and the widget, and that the wheel ships that source.
"""

from __future__ import annotations

import importlib.util
import math
import subprocess
from fnmatch import fnmatch
from pathlib import Path

import numpy as np
import pytest

from mlpcore.course import playground
from mlpcore.course.playground import app as app_module
from mlpcore.course.playground.app import App
from mlpcore.course.playground.widget import LiveView, boundary

ROOT = Path(__file__).resolve().parents[1]
WEB = ROOT / "mlpcore" / "course" / "playground" / "web"


@pytest.fixture(scope="module")
def run():
    return playground.train(playground.Settings(epochs=5))


def test_boundary_is_the_networks_prediction_on_the_plane(run):
    b = boundary(run, grid=20)
    lo, hi = b["bounds"]
    assert lo == -hi and hi >= np.abs(playground.problem("circles").P).max()
    step = (hi - lo) / 20
    rows, cols = np.divmod(np.arange(400), 20)  # row 0 at the top: the largest x1
    plane = np.vstack([lo + (cols + 0.5) * step, hi - (rows + 0.5) * step])
    assert b["best"] == run.net.predict(plane).tolist()
    z = run.net(plane)
    p = np.exp(z - z.max(axis=0)) / np.exp(z - z.max(axis=0)).sum(axis=0)
    assert np.allclose(b["conf"], p.max(axis=0), atol=1e-3)
    assert b["C"] == 2


def test_boundary_of_digits_lifts_the_plane_to_64_pixels():
    r = playground.train(playground.Settings(dataset="digits", epochs=1))
    b = boundary(r, grid=8)
    assert b["C"] == 10 and len(b["best"]) == 64 and set(b["best"]) <= set(range(10))


def test_show_sends_the_runs_numbers_and_one_frame(run):
    view = LiveView()
    view.show(run)
    assert view.frame == 1
    assert view.s == list(run.net.s)
    for wk, sent in zip(run.net.w, view.w, strict=True):
        assert np.allclose(np.reshape(sent, wk.shape), wk, atol=1e-5)
    dL = playground.sample_dL(run)
    assert view.dL[0] is None
    for dk, sent in zip(dL[1:], view.dL[1:], strict=True):
        assert np.allclose(sent, dk, rtol=0, atol=1e-6)
    assert [v for _, v in view.loss] == pytest.approx(run.history.loss, rel=1e-6)
    assert len(view.points) == playground.problem("circles").train.n
    view.show(run)
    assert view.frame == 2


def test_a_diverged_loss_is_sent_as_null():
    bad = playground.train(playground.Settings(alpha=10.0))
    view = LiveView()
    bad.history.loss.append(math.inf)
    view.show(bad)
    assert view.loss[-1][1] is None and "diverged" in view.captions["loss"]


def test_the_app_draws_while_it_trains(monkeypatch):
    a = App(playground.Settings(epochs=4))
    seen = []  # the epochs of the loss curve at each frame
    a.picture.observe(lambda change: seen.append(len(a.picture.loss) - 1), names="frame")
    monkeypatch.setattr(app_module, "FRAME_GAP", math.inf)  # the first epoch and the end only
    a.alpha.value = 0.2
    assert seen == [1, 4]
    seen.clear()
    monkeypatch.setattr(app_module, "FRAME_GAP", 0.0)  # as often as drawing costs allow
    a.alpha.value = 0.3
    assert seen[0] == 1 and seen[-1] == 4 and seen == sorted(seen)


def test_one_source_draws_the_book_and_the_widget():
    views = (WEB / "views.js").read_text("utf-8")
    assert LiveView._esm.startswith(views)
    assert "export default" in LiveView._esm and "MLPDraw" in (WEB / "widget.js").read_text()
    page = (ROOT / "book" / "live" / "playground.js").read_text("utf-8")
    # the page computes; it draws through MLPDraw and holds no drawing code of its own
    for drawing in ("createImageData", "drawImage", "lineTo(", "setLineDash"):
        assert drawing in views and drawing not in page, drawing
    spec = importlib.util.spec_from_file_location(
        "live_site", ROOT / "book" / "_ext" / "live_site.py"
    )
    site = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(site)
    assert site.WEB.resolve() == WEB.resolve(), "the book ships another copy of the drawing code"
    assert 'WEB / "views.js"' in (ROOT / "book" / "_ext" / "live_site.py").read_text("utf-8")


def test_the_wheel_ships_the_front_end():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["mlpcore.course.playground"]
    files = [p.relative_to(WEB.parent).as_posix() for p in WEB.iterdir()]
    assert files and all(any(fnmatch(f, g) for g in globs) for f in files), (files, globs)
    assert any("anywidget" in d for d in config["project"]["optional-dependencies"]["student"])


@pytest.mark.lesson
@pytest.mark.slow
def test_the_installed_wheel_draws_with_its_own_front_end(student_venv):
    """The student's wheel install (not this checkout) holds the widget and its JavaScript."""
    code = (
        "import mlpcore; from mlpcore.course.playground.widget import LiveView; "
        "print(mlpcore.__file__); print('MLPDraw' in LiveView._esm, 'ml-network' in LiveView._css)"
    )
    done = subprocess.run(
        [str(student_venv["python"]), "-c", code],
        capture_output=True,
        text=True,
        cwd=student_venv["venv"].parent,  # not the repository
        env=student_venv["env"],
    )
    assert done.returncode == 0, done.stderr
    where, found = done.stdout.split("\n")[:2]
    assert str(student_venv["venv"]) in where and found == "True True", done.stdout
