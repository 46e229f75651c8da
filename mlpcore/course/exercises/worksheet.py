"""The checks of the hand-computation worksheets (the 2-2-1 network of :mod:`.hand`).

The answer is a dict from a row's key (``"a1"``, ``"z2"``, ...) to its value: one number, or a list
(a matrix as a list of rows). A number may be a :class:`fractions.Fraction`, an int, a string
such as ``"3/5"``, ``"-5/13"`` or ``"96/1625 ln 2"``, or a decimal. Fractions are compared exactly;
decimals must agree to 4 significant digits. A row left as ``...`` is still to fill: the
worksheet can be checked row by row as it is filled in.
"""

from __future__ import annotations

import ast
import math
import numbers
import operator
import re
from fractions import Fraction

from . import hand
from ._feedback import Feedback, exercise, is_blank

RTOL = 5e-4  #: how close a decimal must be (4 significant digits)


def _evaluate(node):
    """A number from the syntax tree of "3/5", "-1728/10985 * ln(3)", "ln(2/3)", ..."""
    if isinstance(node, ast.Expression):
        return _evaluate(node.body)
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return Fraction(node.value) if isinstance(node.value, int) else node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value = _evaluate(node.operand)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div)):
        left, right = _evaluate(node.left), _evaluate(node.right)
        ops = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul}
        return ops.get(type(node.op), operator.truediv)(left, right)
    is_ln = isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("ln", "log")
    if is_ln and len(node.args) == 1:
        return math.log(float(_evaluate(node.args[0])))
    raise ValueError("not a number")


def parse(value) -> Fraction | float:
    """One worksheet entry as a Fraction (exact) or a float (a decimal, or with a logarithm)."""
    if isinstance(value, (Fraction, numbers.Integral)):
        return Fraction(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, str):
        text = value.strip().replace("ln ", "ln").replace("−", "-")
        text = re.sub(r"ln(\d+)", r"ln(\1)", text)  # "ln2" for ln(2)
        text = re.sub(r"(\d)\s*(ln|log)", r"\1*\2", text)  # "96/1625 ln(2)": a product
        try:
            return _evaluate(ast.parse(text, mode="eval"))
        except (SyntaxError, ValueError, ZeroDivisionError, TypeError, AttributeError):
            pass
    raise ValueError(f"{value!r} is not a number, a fraction like '3/5', or a decimal")


def _flat(value) -> list:
    if isinstance(value, (list, tuple)) or type(value).__name__ == "ndarray":
        return [item for part in value for item in _flat(part)]
    return [value]


def _equal(got, expected) -> bool:
    if isinstance(got, Fraction) and isinstance(expected, Fraction):
        return got == expected
    return math.isclose(float(got), float(expected), rel_tol=RTOL, abs_tol=1e-12)


def _row(key: str, value) -> str | None:
    """None when the row is right, else what is wrong with it (the hint of a known mistake)."""
    symbol = hand.SYMBOLS[key]
    expected = _flat(hand.exact()[key])
    entries = _flat(value)
    if len(entries) != len(expected):
        return f"{symbol} has {len(expected)} entries; you gave {len(entries)}."
    try:
        got = [parse(e) for e in entries]
    except ValueError as exc:
        return f"{symbol}: {exc}."
    if all(_equal(g, e) for g, e in zip(got, expected, strict=True)):
        return None
    for candidate, hint in hand.mistakes()[key]:
        if all(_equal(g, c) for g, c in zip(got, _flat(candidate), strict=True)):
            return f"{symbol} is not right. {hint}"
    wrong = [i + 1 for i, (g, e) in enumerate(zip(got, expected, strict=True)) if not _equal(g, e)]
    near = [
        i for i in wrong if math.isclose(float(got[i - 1]), float(expected[i - 1]), rel_tol=1e-2)
    ]
    if near == wrong and all(isinstance(got[i - 1], float) for i in wrong):
        return f"{symbol} is close: give 4 significant digits, or the exact fraction."
    entries = "entry" if len(wrong) == 1 else "entries"
    return f"{symbol}: {entries} {', '.join(map(str, wrong))} not right yet (counted from 1)."


def _check_sheet(lesson: int, answer) -> Feedback | str | None:
    keys = hand.WORKSHEETS[lesson]
    if not isinstance(answer, dict):
        return f"answer should be a dict with the rows {', '.join(map(repr, keys))}."
    unknown = sorted(set(answer) - set(keys))
    if unknown:
        return f"Unknown rows {unknown}: this worksheet has {', '.join(map(repr, keys))}."
    filled = {k: not any(is_blank(e) for e in _flat(answer.get(k))) for k in keys}
    todo = [hand.SYMBOLS[k] for k in keys if not filled[k]]
    done = [k for k in keys if filled[k]]
    for right, key in enumerate(done):
        problem = _row(key, answer[key])
        if problem is not None:
            rows = "The row above it is" if right == 1 else f"The {right} rows above it are"
            return f"{problem} ({rows} right.)" if right else problem
    if todo:
        return Feedback(
            "blank",
            f"{len(done)} of {len(keys)} rows right so far. Your turn: {', '.join(todo)}.",
        )
    return None


def _sheet(lesson: int, success: str):
    keys = ", ".join(repr(k) for k in hand.WORKSHEETS[lesson])

    @exercise(blank=f"a dict with the rows {keys}", success=success)
    def check(answer):
        return _check_sheet(lesson, answer)

    return check


check_hand_forward = _sheet(2, "All right: the forward pass of the 2-2-1 network, exactly.")
check_hand_dL = _sheet(3, "All right: dL^(2) and dL^(1) of the 2-2-1 network, exactly.")
check_hand_dB = _sheet(4, "All right: dB^(1) and dB^(0) are the dL of the layer above.")
check_hand_dW = _sheet(5, "All right: dW and one step of gradient descent, by hand.")
check_hand_forward.__doc__ = "The worksheet of lesson 2: rows 'z1', 'a1', 'z2', 'L'."
check_hand_dL.__doc__ = "The worksheet of lesson 3: rows 'dL2', 'g_prime_z1', 'w1T_dL2', 'dL1'."
check_hand_dB.__doc__ = "The worksheet of lesson 4: rows 'dB1', 'dB0'."
check_hand_dW.__doc__ = (
    "The worksheet of lesson 5: rows 'dW1', 'dW0', 'w1_new', 'b1_new', 'b0_new'."
)
