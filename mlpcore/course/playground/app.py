"""The Jupyter face of :mod:`mlpcore.course.playground`: sliders in, pictures and a report out.

The pictures are a :class:`~mlpcore.course.playground.widget.LiveView`: the book's own drawing
code in the browser, fed with the numbers of the run that mlpcore trained in the kernel.

Every control calls :meth:`App.update`, which retrains and redraws; the "step" button calls
:meth:`App.step`. Both are ordinary methods, so tests drive them by setting ``widget.value``
without a browser. Each widget carries a CSS class (``pg-alpha``, ``pg-size-1``, ...) that
the browser test uses as a stable hook.

(About 240 lines: one widget panel whose controls, layout and callbacks read best together.)
"""

from __future__ import annotations

import contextlib
import html
import math
import threading
import time

import ipywidgets as W

from mlpcore.activations import ACTIVATIONS

from .runs import DATASETS, Playground, Settings, problem
from .widget import LiveView

MAX_LAYERS, MAX_SIZE, MAX_EPOCHS, MAX_SEED = 4, 64, 100, 20
ALPHA_RANGE = (1e-4, 10.0)  # the log slider's ends
FRAME_GAP = 0.05  # s: while training, the pictures are redrawn at most this often


class App:
    """The playground's widgets around one :class:`~mlpcore.course.playground.runs.Playground`."""

    def __init__(self, settings: Settings | None = None):
        s = settings or Settings()
        if len(s.hidden) > MAX_LAYERS or any(v > MAX_SIZE for v in s.hidden):
            raise ValueError(f"the app offers at most {MAX_LAYERS} hidden layers of {MAX_SIZE}")
        wide = {"description_width": "110px"}
        self.alpha = W.FloatLogSlider(
            value=s.alpha,
            base=10,
            min=-4,
            max=1,
            step=0.1,
            description="α (learning rate)",
            readout_format=".3g",
            continuous_update=False,
            style=wide,
        )
        self.layers = W.IntSlider(
            value=len(s.hidden),
            min=0,
            max=MAX_LAYERS,
            description="hidden layers",
            continuous_update=False,
            style=wide,
        )
        padded = list(s.hidden) + [8] * (MAX_LAYERS - len(s.hidden))
        self.sizes = [
            W.IntSlider(
                value=v,
                min=1,
                max=MAX_SIZE,
                description=f"s_{k + 1} (layer {k + 1})",
                continuous_update=False,
                style=wide,
            )
            for k, v in enumerate(padded)
        ]
        self.g = W.Dropdown(options=list(ACTIVATIONS), value=s.g, description="g", style=wide)
        self.dataset = W.Dropdown(
            options=DATASETS, value=s.dataset, description="data set", style=wide
        )
        self.epochs = W.IntSlider(
            value=s.epochs,
            min=1,
            max=MAX_EPOCHS,
            description="epochs",
            continuous_update=False,
            style=wide,
        )
        self.seed = W.IntSlider(
            value=s.seed,
            min=0,
            max=MAX_SEED,
            description="seed",
            continuous_update=False,
            style=wide,
        )
        self.step_button = W.Button(
            description="step: one sample (§3.1)", layout=W.Layout(width="auto")
        )
        self.picture = LiveView()
        self.report = W.HTML()
        self.message = W.HTML()
        self.log = W.HTML()
        for name, widget in [
            ("alpha", self.alpha),
            ("layers", self.layers),
            ("g", self.g),
            ("dataset", self.dataset),
            ("epochs", self.epochs),
            ("seed", self.seed),
            ("step", self.step_button),
            ("figure", self.picture),
            ("report", self.report),
            ("message", self.message),
            ("log", self.log),
        ]:
            widget.add_class(f"pg-{name}")
        for k, widget in enumerate(self.sizes):
            widget.add_class(f"pg-size-{k + 1}")
        for widget in [
            self.alpha,
            self.layers,
            self.g,
            self.dataset,
            self.epochs,
            self.seed,
            *self.sizes,
        ]:
            widget.observe(self._changed, names="value")
        self.step_button.on_click(lambda _button: self.step())
        self._show_sizes()
        self._held = 0
        self.playground = Playground(self.settings())
        self._draw()
        # digits loads scikit-learn (seconds): in the background, before anyone asks for it
        self._warm = threading.Thread(target=problem, args=("digits",), daemon=True)
        self._warm.start()
        controls = W.HBox(
            [
                W.VBox([self.dataset, self.g, self.alpha, self.epochs, self.seed]),
                W.VBox([self.layers, *self.sizes]),
            ]
        )
        self.ui = W.VBox(
            [
                controls,
                W.HBox([self.step_button, self.log]),
                self.message,
                self.report,
                self.picture,
            ]
        )
        self.ui.add_class("pg-app")

    # -- what the controls say ----------------------------------------------------------------
    def settings(self) -> Settings:
        return Settings(
            dataset=self.dataset.value,
            hidden=tuple(w.value for w in self.sizes[: self.layers.value]),
            g=self.g.value,
            alpha=float(self.alpha.value),
            epochs=int(self.epochs.value),
            seed=int(self.seed.value),
        )

    def _show_sizes(self) -> None:
        for k, widget in enumerate(self.sizes):
            widget.layout.display = None if k < self.layers.value else "none"

    # -- callbacks ------------------------------------------------------------------------------
    def _changed(self, change) -> None:
        if change["owner"] is self.layers:
            self._show_sizes()
        if not self._held:
            self.update()

    @contextlib.contextmanager
    def holding(self):
        """Set several controls at once (``with app.holding(): ...``): one retrain at the end."""
        self._held += 1
        try:
            yield self
        finally:
            self._held -= 1
            if not self._held:
                self.update()

    def update(self) -> None:
        """Retrain with the current settings and redraw everything.

        The pictures follow the training: drawn after the first epoch, then at most every
        ``FRAME_GAP`` seconds (and never more than a quarter of the time: a large network costs
        more to send), and once more at the end (with the report)."""
        self.report.value = "<i>training…</i>"
        t0 = time.perf_counter()
        if self.dataset.value == "digits":
            self._warm.join()  # one load of the data set, not two at once
        shown, cost = [-math.inf], [0.0]

        def frame(run):
            now = time.perf_counter()
            if now - shown[0] >= max(FRAME_GAP, 3 * cost[0]):
                self.picture.show(run)
                shown[0] = time.perf_counter()
                cost[0] = shown[0] - now

        self.playground.retrain(self.settings(), on_epoch=frame)
        self.log.value = ""
        self._draw(time.perf_counter() - t0)

    def step(self) -> None:
        """One per-sample update (mlpcore.step) on the current network, then redraw."""
        t0 = time.perf_counter()
        line = self.playground.step()
        self.log.value = f"<code>{html.escape(line)}</code>"
        self._draw(time.perf_counter() - t0)

    def _draw(self, seconds: float | None = None) -> None:
        run = self.playground.run
        n = problem(run.settings.dataset).train.n
        if run.diverged:
            self.message.value = (
                '<div style="color:#b00020;font-weight:bold;padding:4px 0">'
                f"{html.escape(run.message)}</div>"
            )
            loss = '<span class="pg-final-loss">diverged</span>'
        else:
            self.message.value = ""
            loss = f'<span class="pg-final-loss">{run.final_loss:.6g}</span>'
        self.picture.show(run)
        timing = "" if seconds is None else f" · training {run.seconds:.2f} s"
        steps = f" + {len(run.step_loss)} manual steps" if run.step_loss else ""
        done = (
            f"training stopped in epoch {run.bad_epoch}"
            if run.diverged
            else f"after {run.history.epochs} epochs{steps}"
        )
        self.report.value = (
            f"s = {run.net.s} · final mean L̃₀ over the {n} training samples = {loss} {done}"
            f" · training accuracy {run.accuracy:.1%}{timing}"
        )

    def _repr_mimebundle_(self, **kwargs):
        return self.ui._repr_mimebundle_(**kwargs)
