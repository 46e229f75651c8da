"""The self-checks of lesson 08 (the playground): the reference answers pass, a blank is
"your turn", and wrong answers fail with their hint. (Moved here from test_playground.py.)"""

import math

import numpy as np
import pytest

from mlpcore.course import playground
from mlpcore.course.exercises import lesson08


@pytest.mark.parametrize(
    "check, right, wrongs, words",
    [
        (lesson08.check_diverging_alpha, 2.0, [0.1, 1e-4, 20.0, "fast"], "does not diverge"),
        (lesson08.check_smallest_circles, 3, [2, 8, 2.5, 0], "accuracy is only"),
        (
            lesson08.check_dead_units,
            np.array([True, True]),
            [[True, False], [1, 1], [True]],
            "Not the right units",
        ),
    ],
)
def test_exercise_checks(check, right, wrongs, words):
    assert check(right) and str(check(right)).startswith("✓")
    blank = check(...)
    assert not blank and str(blank).startswith("✎ Your turn")
    results = [check(wrong) for wrong in wrongs]
    assert not any(results) and all(str(r).startswith("✗") for r in results)
    assert words in results[0].message


def test_dead_units_really_are_dead():
    run = playground.train(lesson08.DEAD)
    assert lesson08.dead_units().all()
    assert abs(run.final_loss - math.log(2)) < 0.05  # it stalled at a coin toss
