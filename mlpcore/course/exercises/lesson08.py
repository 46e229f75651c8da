"""Self-checks for lesson 08 (the playground: α, the architecture, dead relu units).

Each check retrains with the playground's own code at fixed settings (a fraction of a second),
and returns a Feedback (see :mod:`mlpcore.course.exercises`).
"""

from __future__ import annotations

import numpy as np

from mlpcore.course.playground import SOLVED, Settings, problem, train
from mlpcore.forward import forward

from ._feedback import as_number, exercise

ALPHA_MIN, ALPHA_MAX = 1e-4, 10.0  # the ends of the playground's α slider
CIRCLES = Settings(dataset="circles", hidden=(8,), g="tanh", alpha=0.1, epochs=30, seed=0)
DEAD = Settings(dataset="circles", hidden=(2,), g="relu", alpha=0.1, epochs=30, seed=7)


@exercise(blank="one α", success="This α diverges: the loss climbs instead of falling.")
def check_diverging_alpha(answer):
    """An α in [1e-4, 10] for which the default playground (circles, s_1 = 8, tanh) diverges."""
    problem_ = None
    alpha = as_number(answer)
    if not np.isfinite(alpha) or not ALPHA_MIN <= alpha <= ALPHA_MAX:
        problem_ = f"answer should be one α between {ALPHA_MIN:g} and {ALPHA_MAX:g}."
    else:
        run = train(Settings(alpha=alpha))
        if not run.diverged:
            problem_ = (
                f"With α = {alpha:g} training does not diverge: the mean loss ends at "
                f"{run.final_loss:.3g}. Move the α slider further to the right."
            )
    return problem_


def smallest_solving_size(limit: int = 16) -> int | None:
    """The smallest s_1 (1 hidden layer, otherwise CIRCLES) that reaches SOLVED accuracy."""
    for size in range(1, limit + 1):
        run = train(Settings(**{**CIRCLES.__dict__, "hidden": (size,)}))
        if not run.diverged and run.accuracy >= SOLVED:
            return size
    return None


@exercise(blank="a whole number", success="That is the smallest hidden layer that solves circles.")
def check_smallest_circles(answer):
    """The smallest one-hidden-layer size that solves circles (training accuracy >= 95%)."""
    problem_ = None
    size = as_number(answer)
    if not np.isfinite(size) or size != round(size) or size < 1:
        problem_ = "answer should be a whole number of hidden neurons, 1 or more."
    else:
        size = int(size)
        best = smallest_solving_size(limit=max(size, 1))
        if best is None or best > size:
            acc = train(Settings(**{**CIRCLES.__dict__, "hidden": (size,)})).accuracy
            problem_ = (
                f"With s_1 = {size} the training accuracy is only {acc:.0%} "
                f"(below {SOLVED:.0%}): try a larger hidden layer."
            )
        elif best < size:
            problem_ = f"s_1 = {size} solves circles, but a smaller hidden layer does too."
    return problem_


def dead_units() -> np.ndarray:
    """After training with DEAD: units i of layer 1 with z_i^(1) <= 0 on every sample."""
    net = train(DEAD).net
    X = problem(DEAD.dataset).train.X
    z1 = forward(net.w, net.b, net.g, X, trace=True).z[1]
    return np.all(z1 <= 0, axis=1)


@exercise(
    blank="a boolean mask",
    success="Those are the dead units: g'(z) = 0 for them on every sample.",
)
def check_dead_units(answer):
    """A boolean mask (s_1,) of the hidden units that are dead after training with DEAD."""
    problem_ = None
    expected = dead_units()
    try:
        mask = np.asarray(answer)
    except (TypeError, ValueError):
        mask = None
    if mask is None or mask.shape != expected.shape:
        got = "no array" if mask is None else f"shape {mask.shape}"
        problem_ = f"answer should be a mask of shape {expected.shape} (one entry per unit)."
        problem_ += f" Got {got}."
    elif mask.dtype != bool:
        problem_ = "answer should hold booleans: True where the unit is dead."
    elif not np.array_equal(mask, expected):
        problem_ = (
            "Not the right units. A unit i is dead when z_i^(1) <= 0 for every training "
            "sample: take trace.z[1] over all of X and test each row."
        )
    return problem_
