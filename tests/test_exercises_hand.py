"""The worksheets of the 2-2-1 network (lessons 2 to 5): exact values, and the checks' verdicts.

The exact values of mlpcore.course.exercises.hand are compared with the hand-typed numbers of
test_hand_example.py (which mlpcore itself matches), so the worksheet, the hand computation and
the library agree three ways."""

from fractions import Fraction as F

import pytest
import test_hand_example as typed

from mlpcore.course.exercises import hand, worksheet


def test_exact_values_are_fractions_and_match_the_hand_computation():
    v = hand.exact()
    assert v["a1"] == (F(3, 5), F(-5, 13)) and v["z2"] == (F(77, 65),)
    assert v["L"] == F(72, 4225) and v["dL2"] == (F(12, 65),)
    assert v["dL1"] == (F(96, 1625), F(-1728, 10985))
    pairs = [
        ("z1", typed.Z1), ("a1", typed.A1), ("z2", typed.Z2), ("dL2", typed.DL2),
        ("dL1", typed.DL1), ("dW1", typed.DW1), ("dW0", typed.DW0), ("w1_new", typed.NEW_W1),
        ("b1_new", typed.NEW_B1), ("b0_new", typed.NEW_B0),
    ]  # fmt: skip
    for key, numbers in pairs:
        got = [float(x) for x in worksheet._flat(v[key])]
        assert got == pytest.approx(worksheet._flat(numbers), rel=1e-13), key
    assert float(v["L"]) == pytest.approx(typed.LOSS, rel=1e-13)


RIGHT = {
    2: {"z1": ["ln 2", "ln(2/3)"], "a1": ["3/5", "-5/13"], "z2": "77/65", "L": F(72, 4225)},
    3: {
        "dL2": "12/65",
        "g_prime_z1": [F(16, 25), "144/169"],
        "w1T_dL2": ["6/65", "-12/65"],
        "dL1": ["96/1625", "-1728/10985"],
    },
    4: {"dB1": 12 / 65, "dB0": ["96/1625", -0.15730541]},
    5: {
        "dW1": [["36/325", "-12/169"]],
        "dW0": [["96/1625 ln 2", "96/1625 * ln(3)"], [-0.109036, "-1728/10985*ln3"]],
        "w1_new": [["289/650", "-163/169"]],
        "b1_new": "53/130",
        "b0_new": ["-48/1625", "864/10985"],
    },
}
CHECKS = {
    2: worksheet.check_hand_forward,
    3: worksheet.check_hand_dL,
    4: worksheet.check_hand_dB,
    5: worksheet.check_hand_dW,
}
# (lesson, the row changed, its wrong value, words of the hint)
WRONG = [
    (2, "a1", ["3/5", "5/13"], "negative"),
    (2, "a1", ["ln 2", "ln(2/3)"], "That is z^(1)"),
    (2, "z2", "89/130", "bias b^(1)"),
    (2, "L", "144/4225", "½"),
    (2, "z2", "1.18", "4 significant digits"),
    (3, "dL2", "-12/65", "sign"),
    (3, "g_prime_z1", ["3/5", "-5/13"], "derivative"),
    (3, "g_prime_z1", ["2/5", "18/13"], "squared"),
    (3, "dL1", ["6/65", "-12/65"], "g'(z^(1))"),
    (4, "dB0", ["12/65", "12/65"], "layer 1"),
    (5, "dW1", [["12/65 * ln 2", "12/65 * ln(2/3)"]], "z^(1)"),
    (5, "dW0", [["96/1625ln2", "-1728/10985ln2"], ["96/1625ln3", "-1728/10985ln3"]], "Transp"),
    (5, "w1_new", [["0.5 + 18/325", "-1 - 6/169"]], "direction"),
    (5, "b1_new", "1/2 - 12/65", "factor α"),
]  # fmt: skip


@pytest.mark.parametrize("lesson", sorted(CHECKS))
def test_right_blank_partial(lesson):
    check = CHECKS[lesson]
    assert check(RIGHT[lesson]) and str(check(RIGHT[lesson])).startswith("✓ All right")
    assert str(check(...)).startswith("✎ Your turn: replace the ... with a dict")
    keys = list(RIGHT[lesson])
    partial = {**RIGHT[lesson], keys[-1]: ...}
    result = check(partial)
    assert not result and result.kind == "blank"
    assert f"{len(keys) - 1} of {len(keys)} rows right so far" in result.message


@pytest.mark.parametrize("lesson, key, value, words", WRONG, ids=[w[3] for w in WRONG])
def test_common_mistakes_get_their_hint(lesson, key, value, words):
    result = CHECKS[lesson]({**RIGHT[lesson], key: value})
    assert not result and result.kind == "wrong" and words in result.message, result


def test_bad_input_is_named():
    check = worksheet.check_hand_forward
    assert "should be a dict" in check([1, 2]).message
    assert "Unknown rows ['a2']" in check({"a2": 1}).message
    assert "2 entries" in check({**RIGHT[2], "a1": "3/5"}).message
    assert "not a number" in check({**RIGHT[2], "z2": "seventy"}).message
    assert worksheet.parse("3/5") == F(3, 5) and worksheet.parse("−5/13") == F(-5, 13)
    with pytest.raises(ValueError):
        worksheet.parse("__import__('os')")
