"""Self-checking exercises. Each lesson's checks live in ``mlpcore.exercises.lessonNN``.

A ``check_...`` function takes the student's answer, compares it with an independent
computation, prints ``✓ ...`` or ``✗ <hint>``, and returns True or False. It never raises on a
wrong answer, so "Run all" still runs the whole lesson; a notebook's own solution cell writes
``assert check_...(answer)`` so that nbval and the book build prove the solution passes.
"""

from __future__ import annotations

import numpy as np


def verdict(problem: str | None, success: str = "Correct.") -> bool:
    """Print the outcome of a check and return whether it passed.

    ``problem`` is None when the answer is right, else a hint (never the solution).
    """
    if problem is None:
        print(f"✓ {success}")
        return True
    print(f"✗ {problem}")
    return False


def array_problem(
    name: str, answer, expected, rtol: float = 1e-7, atol: float = 1e-10, hint: str = ""
) -> str | None:
    """What is wrong with an array answer, or None: blank, not numeric, shape, NaN, values."""
    if answer is None or answer is Ellipsis:
        return f"{name} is still blank: replace the ... with your code."
    try:
        arr = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return f"{name} should be an array of numbers, got {type(answer).__name__}."
    expected = np.asarray(expected, dtype=float)
    if arr.shape != expected.shape:
        return f"{name} has shape {arr.shape}, expected {expected.shape}. {hint}".strip()
    if not np.all(np.isfinite(arr)):
        return f"{name} contains NaN or inf. {hint}".strip()
    if not np.allclose(arr, expected, rtol=rtol, atol=atol):
        return f"{name} has the right shape but not the right values. {hint}".strip()
    return None
