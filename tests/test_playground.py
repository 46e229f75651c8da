"""The playground of lesson 08: its computation, its widget callbacks and its pictures.

The callbacks are driven the way a browser drives them, by setting ``widget.value``; the
browser itself is tested in test_playground_browser.py.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

import mlpcore
from mlpcore.course import playground
from mlpcore.course.playground import Settings
from mlpcore.course.playground.app import App

PANELS = ("loss", "boundary", "network")


def direct_loss(dataset="circles", hidden=(8,), g="tanh", alpha=0.1, epochs=30, seed=0):
    """The final mean loss computed with mlpcore alone, as the browser test does."""
    ds = playground.problem(dataset).train
    net = mlpcore.Network((ds.X.shape[0], *hidden, ds.n_classes), g=g, seed=seed)
    h = mlpcore.sgd(
        net,
        ds.X,
        ds.labels,
        "softmax_cross_entropy",
        alpha,
        epochs,
        seed=seed,
        progress=False,
        epoch_loss="exact",
    )
    return h.loss[-1]


def final_loss_text(app) -> str:
    return re.search(r'class="pg-final-loss">([^<]*)<', app.report.value).group(1)


# -- settings and data ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "changes, error",
    [
        ({"dataset": "iris"}, ValueError),
        ({"g": "softsign"}, ValueError),
        ({"alpha": 0.0}, ValueError),
        ({"alpha": -1.0}, ValueError),
        ({"alpha": "big"}, TypeError),
        ({"hidden": (8, 0)}, ValueError),
        ({"hidden": (2.5,)}, TypeError),
        ({"epochs": -1}, ValueError),
    ],
)
def test_bad_settings_are_named(changes, error):
    with pytest.raises(error) as info:
        Settings(**changes)
    name = next(iter(changes))
    assert {"hidden": "hidden", "g": "g", "alpha": "alpha"}.get(name, name) in str(info.value)


@pytest.mark.parametrize("name", playground.DATASETS)
def test_problem_shapes(name):
    pr = playground.problem(name)
    X = pr.train.X
    assert pr.P.shape == (2, pr.train.n)
    assert pr.lift(pr.P[:, :3]).shape == (X.shape[0], 3)
    if name == "digits":
        assert X.shape == (64, playground.DIGITS)
        assert np.allclose(pr.lift(np.zeros((2, 1)))[:, 0], X.mean(axis=1))
        C = np.cov(pr.P)  # principal axes: uncorrelated, the first the wider
        assert abs(C[0, 1]) < 1e-8 * C[0, 0] and C[0, 0] >= C[1, 1]
    else:
        assert pr.P is X and np.array_equal(pr.lift(X), X)


def test_sizes():
    assert playground.sizes(Settings()) == (2, 8, 2)
    assert playground.sizes(Settings(hidden=())) == (2, 2)
    assert playground.sizes(Settings(dataset="spirals", hidden=(4, 5))) == (2, 4, 5, 3)
    assert playground.sizes(Settings(dataset="digits", hidden=(16,))) == (64, 16, 10)


# -- training -----------------------------------------------------------------------------------
def test_defaults_match_sgd_bit_for_bit():
    run = playground.train(Settings())
    assert not run.diverged and run.message == ""
    assert run.final_loss == direct_loss()
    assert run.final_loss < 0.5 * run.history.loss[0]
    assert run.accuracy > 0.9


def test_smallest_alpha_barely_moves():
    run = playground.train(Settings(alpha=1e-4))
    assert not run.diverged
    loss = run.history.loss
    assert loss[-1] < loss[0] and (loss[0] - loss[-1]) / loss[0] < 0.05  # the default: -95%


def test_largest_alpha_diverges_with_a_plain_message():
    run = playground.train(Settings(alpha=10.0))
    assert run.diverged and run.bad_epoch == 1
    assert "diverged" in run.message and "α = 10" in run.message and "nan" not in run.message
    assert all(math.isfinite(v) for v in run.history.loss)
    assert run.history.loss[-1] > playground.CLIMB * run.history.loss[0]  # it climbed
    assert all(np.isfinite(wk).all() for wk in run.net.w)
    assert all(playground.panel_figure(run, panel).axes for panel in PANELS)  # still drawn


def test_sgd_divergence_error_is_caught_too():
    # A linear network's logits grow without bound: sgd itself raises DivergenceError.
    run = playground.train(Settings(g="identity", alpha=3.0))
    assert run.diverged and "diverged" in run.message
    assert all(np.isfinite(wk).all() for wk in run.net.w)
    assert all(playground.panel_figure(run, panel).axes for panel in PANELS)  # still drawn


@pytest.mark.parametrize("name", playground.DATASETS)
@pytest.mark.parametrize("g", ["tanh", "relu", "sigmoid", "identity"])
def test_every_dataset_and_activation_trains(name, g):
    run = playground.train(Settings(dataset=name, g=g, hidden=(4,), epochs=2))
    assert not run.diverged
    assert len(run.history.loss) == 3 and all(math.isfinite(v) for v in run.history.loss)


def test_figure_panels_and_bad_panel():
    run = playground.train(Settings(epochs=3))
    fig = playground.panel_figure(run, "boundary")
    assert len(fig.axes) == 1
    with pytest.raises(ValueError, match="panel"):
        playground.panel_figure(run, "histogram")


def test_sample_dL_is_the_document_recursion():
    run = playground.train(Settings(epochs=3))
    d = playground.sample_dL(run)
    ds = playground.problem("circles").train
    x, y = ds.X[:, run.sample], ds.Y[:, run.sample]
    t = mlpcore.forward(run.net.w, run.net.b, run.net.g, x, trace=True)
    dLp = mlpcore.softmax(t.z[2]) - y  # ∇ of softmax cross-entropy
    dL1 = (1 - np.tanh(t.z[1]) ** 2) * (run.net.w[1].T @ dLp)  # eq-dLk, written out
    assert d[0] is None
    assert np.allclose(d[2], dLp, rtol=1e-12) and np.allclose(d[1], dL1, rtol=1e-12)


# -- the step button's computation ------------------------------------------------------------
def test_step_is_one_update_of_section_3_1():
    pg = playground.Playground(Settings(epochs=2))
    ds = playground.problem("circles").train
    for _ in range(3):
        before = pg.run.net.copy()
        line = pg.step()
        m = pg.run.sample
        t = mlpcore.forward(before.w, before.b, before.g, ds.X[:, m], trace=True)
        dW, dB, _ = mlpcore.backward(
            before.w, before.g, t, ds.Y[:, m], mlpcore.softmax_cross_entropy
        )
        for k in range(before.p):
            assert np.array_equal(pg.run.net.w[k], before.w[k] - 0.1 * dW[k])
            assert np.array_equal(pg.run.net.b[k], before.b[k] - 0.1 * dB[k])
        assert f"sample m = {m}" in line
    assert len(pg.run.step_loss) == 3
    assert pg.run.final_loss == pytest.approx(
        mlpcore.mean_loss(pg.run.net, ds.X, ds.Y, "softmax_cross_entropy"), rel=1e-14
    )
    first = [int(re.search(r"m = (\d+)", pg.step()).group(1)) for _ in range(3)]
    pg.retrain()  # the same order again after a retrain
    assert [int(re.search(r"m = (\d+)", pg.step()).group(1)) for _ in range(6)][3:] == first


def test_step_refuses_after_divergence():
    pg = playground.Playground(Settings(alpha=10.0))
    w = [wk.copy() for wk in pg.run.net.w]
    assert "smaller α" in pg.step()
    assert all(np.array_equal(a, b) for a, b in zip(w, pg.run.net.w, strict=True))


# -- the widget callbacks, at several slider positions (extremes included) -------------------
@pytest.fixture(scope="module")
def app():
    return App()


def test_app_starts_at_the_defaults(app):
    assert app.settings() == Settings()
    assert float(final_loss_text(app)) == pytest.approx(direct_loss(), rel=1e-5)
    assert app.picture.frame >= 1 and app.picture.s == [2, 8, 2]
    assert len(app.picture.loss) == 31 and app.picture.loss[-1][1] == pytest.approx(
        app.playground.run.final_loss, rel=1e-5
    )
    assert app.message.value == ""
    assert [w.layout.display for w in app.sizes] == [None, "none", "none", "none"]


@pytest.mark.parametrize("alpha", [1e-4, 0.5])
def test_alpha_slider_retrains(app, alpha):
    frame = app.picture.frame
    app.alpha.value = alpha
    assert app.settings().alpha == pytest.approx(alpha)
    assert float(final_loss_text(app)) == pytest.approx(
        direct_loss(alpha=app.settings().alpha), rel=1e-5
    )
    assert app.picture.frame > frame and app.message.value == ""
    app.alpha.value = 0.1


def test_alpha_at_the_top_shows_the_message(app):
    app.alpha.value = 10.0
    assert "diverged" in app.message.value and "α = 10" in app.message.value
    assert final_loss_text(app) == "diverged"
    app.step()
    assert "smaller α" in app.log.value
    app.alpha.value = 0.1
    assert app.message.value == "" and final_loss_text(app) != "diverged"


@pytest.mark.parametrize(
    "layers, size, expected",
    [(0, None, (2, 2)), (1, 1, (2, 1, 2)), (1, 64, (2, 64, 2)), (4, 1, (2, 1, 8, 8, 8, 2))],
)
def test_layer_sliders(app, layers, size, expected):
    with app.holding():
        app.epochs.value = 5
        app.layers.value = layers
        if size is not None:
            app.sizes[0].value = size
    assert app.playground.run.net.s == expected
    assert f"s = {expected}" in app.report.value
    shown = [w.layout.display is None for w in app.sizes]
    assert shown == [k < layers for k in range(4)]
    hidden = expected[1:-1]
    assert float(final_loss_text(app)) == pytest.approx(
        direct_loss(hidden=hidden, epochs=5), rel=1e-5
    )


def test_deepest_widest_network(app):
    with app.holding():
        app.epochs.value = 1
        app.layers.value = 4
        for w in app.sizes:
            w.value = 64
    assert app.playground.run.net.s == (2, 64, 64, 64, 64, 2)
    assert float(final_loss_text(app)) == pytest.approx(
        direct_loss(hidden=(64,) * 4, epochs=1), rel=1e-5
    )
    with app.holding():
        app.layers.value = 1
        app.sizes[0].value = 8


@pytest.mark.parametrize("name", playground.DATASETS)
def test_dataset_dropdown(app, name):
    with app.holding():
        app.epochs.value = 1
        app.dataset.value = name
    ds = playground.problem(name).train
    assert app.playground.run.net.s[0] == ds.X.shape[0]
    assert app.playground.run.net.s[-1] == ds.n_classes
    assert f"the {ds.n} training samples" in app.report.value


@pytest.mark.parametrize("g", ["relu", "sigmoid", "identity", "tanh"])
def test_activation_dropdown(app, g):
    with app.holding():
        app.dataset.value = "circles"
        app.epochs.value = 3
    app.g.value = g
    assert app.playground.run.net.g.name == g
    assert float(final_loss_text(app)) == pytest.approx(direct_loss(g=g, epochs=3), rel=1e-5)


@pytest.mark.parametrize("epochs, seed", [(1, 0), (100, 0), (30, 20)])
def test_epochs_and_seed_sliders(app, epochs, seed):
    with app.holding():
        app.g.value = "tanh"
        app.epochs.value = epochs
    app.seed.value = seed
    assert app.playground.run.history.epochs == epochs
    assert float(final_loss_text(app)) == pytest.approx(
        direct_loss(epochs=epochs, seed=seed), rel=1e-5
    )
    app.seed.value = 0


def test_step_button(app):
    app.epochs.value = 5
    frame = app.picture.frame
    app.step_button.click()
    app.step_button.click()
    assert "step 2: sample m =" in app.log.value
    assert "+ 2 manual steps" in app.report.value
    assert app.picture.frame == frame + 2 and len(app.picture.steps) == 2
    assert float(final_loss_text(app)) == pytest.approx(app.playground.run.final_loss, rel=1e-5)


def test_holding_retrains_once(app):
    calls = []
    original = app.playground.retrain
    app.playground.retrain = lambda s=None, **kw: calls.append(s) or original(s, **kw)
    try:
        with app.holding():
            app.alpha.value = 0.2
            app.epochs.value = 4
            app.seed.value = 1
        assert len(calls) == 1 and calls[0] == Settings(alpha=0.2, epochs=4, seed=1)
    finally:
        del app.playground.retrain
        with app.holding():
            app.alpha.value, app.epochs.value, app.seed.value = 0.1, 30, 0


def test_app_rejects_what_its_sliders_cannot_show():
    with pytest.raises(ValueError, match="hidden layers"):
        App(Settings(hidden=(8,) * 5))
