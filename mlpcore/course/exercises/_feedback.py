"""What every check returns: a :class:`Feedback` that is truthy when the answer is right.

A check never prints. It returns a Feedback, which a notebook displays once under the cell (as
its result) and which ``assert check_x(answer)`` can test, since it is falsy unless the answer is
right. A blank answer (``...`` or None) is not a failure: it gets a neutral "your turn" line.
In a plain script, ``print(check_x(answer))`` shows the message.

The checks are written with :func:`exercise`: the decorated function receives a non-blank
answer and returns None (right), a hint (a str: wrong) or a Feedback (for a message of its own).
A hint points to an equation by its label; :func:`cite` adds the lesson and the equation's
title from the registry, so that the student can find it.
"""

from __future__ import annotations

import functools
import html
import re

import numpy as np

#: The three outcomes and the sign that starts each message.
SIGNS = {"right": "✓", "wrong": "✗", "blank": "✎"}


class Feedback:
    """The outcome of a check: ``kind`` is "right", "wrong" or "blank"; ``message`` says why.

    ``bool(feedback)`` is True only when the answer is right. ``str(feedback)`` is the message
    with its sign (✓, ✗ or ✎); a notebook shows it once, coloured, as the cell's result.
    """

    __slots__ = ("kind", "message")

    def __init__(self, kind: str, message: str):
        if kind not in SIGNS:
            raise ValueError(f"kind must be one of {sorted(SIGNS)}, got {kind!r}")
        self.kind, self.message = kind, message

    def __bool__(self) -> bool:
        return self.kind == "right"

    def __str__(self) -> str:
        return f"{SIGNS[self.kind]} {self.message}"

    __repr__ = __str__

    def _repr_html_(self) -> str:
        text = html.escape(str(self)).replace("\n", "<br>")
        # No colour of its own: the sign says right, wrong or blank, and the page's own text
        # colour keeps its contrast in light and dark themes alike.
        return f'<p class="mlpcore-feedback mlpcore-feedback-{self.kind}">{text}</p>'


_LABEL = re.compile(r"\((eq-[A-Za-z0-9-]*[A-Za-z0-9])\)|\b(eq-[A-Za-z0-9-]*[A-Za-z0-9])\b")


def cite(message: str) -> str:
    """The message with each equation label followed by its lesson and title, once per label:
    "eq-dLk" becomes "eq-dLk (lesson 3: the backward recursion)"."""
    from mlpcore.course.equations import BY_LABEL

    seen = set()

    def expand(match: re.Match) -> str:
        label = match.group(1) or match.group(2)
        eq = BY_LABEL.get(label)
        if eq is None or label in seen:
            return match.group(0)
        seen.add(label)
        where = f"lesson {int(eq.lesson.split('/')[-1][:2])}: {eq.title}"
        return f"({label}, {where})" if match.group(1) else f"{label} ({where})"

    return _LABEL.sub(expand, message)


def is_blank(answer) -> bool:
    """True for an answer not given yet: ``...`` (the answer cell's placeholder) or None."""
    return answer is None or answer is Ellipsis


def your_turn(what: str) -> Feedback:
    """The neutral line for a blank answer: what to put in place of the ``...``."""
    return Feedback("blank", f"Your turn: replace the ... with {what}.")


def exercise(blank: str, success: str = "Correct."):
    """Make a check from ``fn(answer) -> None | hint | Feedback`` (see the module docstring).

    ``blank`` completes "Your turn: replace the ... with ..."; ``success`` is the ✓ message.
    A check never raises: an error inside it (a student's function that crashes in a way the
    check did not foresee) becomes a ✗ naming the error.
    """

    def wrap(fn):
        @functools.wraps(fn)
        def check(answer) -> Feedback:
            if is_blank(answer):
                return your_turn(blank)
            try:
                problem = fn(answer)
            except Exception as exc:  # a check must give a hint, never a traceback
                return Feedback("wrong", f"Your answer raised {type(exc).__name__}: {exc}.")
            if isinstance(problem, Feedback):
                return Feedback(problem.kind, cite(problem.message))
            return (
                Feedback("right", success) if problem is None else Feedback("wrong", cite(problem))
            )

        return check

    return wrap


def same(answer, candidate, rtol: float = 1e-7, atol: float = 1e-10) -> bool:
    """True when ``answer`` is an array of numbers equal to ``candidate`` (shape and values)."""
    try:
        arr = np.asarray(answer, dtype=float)
        cand = np.asarray(candidate, dtype=float)
    except (TypeError, ValueError):
        return False
    return arr.shape == cand.shape and bool(np.allclose(arr, cand, rtol=rtol, atol=atol))


def array_problem(name, answer, expected, hint="", wrong=(), rtol=1e-7, atol=1e-10):
    """What is wrong with an array answer, or None: not numeric, shape, NaN, values.

    ``wrong`` holds pairs (the result of a known wrong formula, its hint): an answer equal to
    one of them gets that hint instead of the general ``hint``.
    """
    try:
        arr = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return f"{name} should be an array of numbers, got {type(answer).__name__}."
    expected = np.asarray(expected, dtype=float)
    for candidate, special in wrong:
        if not same(expected, candidate, rtol, atol) and same(arr, candidate, rtol, atol):
            return f"{name} is not right. {special}"
    if arr.shape != expected.shape:
        return f"{name} has shape {arr.shape}, expected {expected.shape}. {hint}".strip()
    if not np.all(np.isfinite(arr)):
        return f"{name} contains NaN or inf. {hint}".strip()
    if not np.allclose(arr, expected, rtol=rtol, atol=atol):
        return f"{name} has the right shape but not the right values. {hint}".strip()
    return None


def as_number(answer) -> float:
    """The answer as a float, or NaN when it is not one number."""
    try:
        return float(np.asarray(answer, dtype=float).reshape(()))
    except (TypeError, ValueError):
        return float("nan")


def scalar_problem(name, answer, expected: float, rtol: float, hint: str) -> str | None:
    """What is wrong with a one-number answer, or None: not a number, NaN, value."""
    value = as_number(answer)
    if np.isnan(value) and not isinstance(answer, (float, np.floating, np.ndarray)):
        return f"{name} should be one number, got {type(answer).__name__}."
    if not np.isfinite(value):
        return f"{name} is NaN or inf. {hint}".strip()
    if not np.isclose(value, expected, rtol=rtol, atol=1e-9):
        return f"{name} = {value:.6g} is not the expected value. {hint}".strip()
    return None
