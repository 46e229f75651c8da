"""Shared pytest settings: the hypothesis profiles.

``ci`` (the default) is derandomized, so `make test` draws the same examples on every run and
never flakes; ``explore`` draws fresh random examples, many more of them:
``HYPOTHESIS_PROFILE=explore pytest tests``.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
settings.register_profile(
    "explore",
    deadline=None,
    max_examples=2000,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# The fresh student environment (wheel + `student` extra), built once per session.
from student_env import student_venv  # noqa: E402, F401

# The student edition executed once in that environment, for the tests that need its outputs.
from student_runs import student_runs  # noqa: E402, F401
