"""Helpers for checks whose answer is one number (lessons 04 to 06)."""

from __future__ import annotations

import numpy as np


def as_number(answer) -> float:
    """The answer as a float, or NaN when it is not one number."""
    try:
        return float(np.asarray(answer, dtype=float).reshape(()))
    except (TypeError, ValueError):
        return float("nan")


def scalar_problem(name: str, answer, expected: float, rtol: float, hint: str) -> str | None:
    """What is wrong with a one-number answer, or None: blank, not a number, NaN, value."""
    if answer is None or answer is Ellipsis:
        return f"{name} is still blank: replace the ... with your code."
    try:
        value = float(np.asarray(answer, dtype=float).reshape(()))
    except (TypeError, ValueError):
        return f"{name} should be one number, got {type(answer).__name__}."
    if not np.isfinite(value):
        return f"{name} is NaN or inf. {hint}".strip()
    if not np.isclose(value, expected, rtol=rtol, atol=1e-9):
        return f"{name} = {value:.6g} is not the expected value. {hint}".strip()
    return None
