"""Self-checking exercises. Each lesson's checks live in ``mlpcore.exercises.lessonNN``.

A check takes the student's answer, compares it with an independent computation, and
either returns quietly (printing a short confirmation) or raises :class:`WrongAnswer`
whose message is a hint. Notebooks call them as ``check_something(answer)``.
"""

from __future__ import annotations

import numpy as np


class WrongAnswer(AssertionError):
    """Raised by a ``check_...`` function; the message is a hint, never the solution."""


def expect(condition: bool, hint: str) -> None:
    """Raise :class:`WrongAnswer` with ``hint`` unless ``condition`` holds."""
    if not condition:
        raise WrongAnswer(hint)


def expect_array(
    name: str, answer, expected: np.ndarray, rtol: float = 1e-7, atol: float = 1e-10, hint: str = ""
) -> np.ndarray:
    """Check an array answer: not None, the right shape, finite, and close to ``expected``."""
    if answer is None or answer is Ellipsis:
        raise WrongAnswer(f"{name} is still blank: replace the ... with your code.")
    try:
        arr = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        raise WrongAnswer(
            f"{name} should be an array of numbers, got {type(answer).__name__}."
        ) from None
    expected = np.asarray(expected)
    if arr.shape != expected.shape:
        raise WrongAnswer(f"{name} has shape {arr.shape}, expected {expected.shape}. " + hint)
    if not np.all(np.isfinite(arr)):
        raise WrongAnswer(f"{name} contains NaN or inf. " + hint)
    if not np.allclose(arr, expected, rtol=rtol, atol=atol):
        raise WrongAnswer(f"{name} has the right shape but the wrong values. " + hint)
    return arr


def passed(message: str = "Correct.") -> None:
    print(f"✓ {message}")
