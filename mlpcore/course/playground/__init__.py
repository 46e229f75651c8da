"""The playground of lesson 08, in three small modules that import one way only:

* :mod:`mlpcore.course.playground.runs` trains and steps a network for one position of the
  sliders (numpy only);
* :mod:`mlpcore.course.playground.figures` draws a run (matplotlib);
* :mod:`mlpcore.course.playground.app` wraps both in ipywidgets
  (``from mlpcore.course.playground.app import App``).

The package re-exports ``runs`` and ``figures``, never ``app``, so that importing it needs no
widget library.
"""

from .figures import describe_run, panel_figure, show
from .runs import (
    CLIMB,
    DATASETS,
    DIGITS,
    LOSS,
    SOLVED,
    Playground,
    Problem,
    Run,
    Settings,
    in_voila,
    problem,
    sample_dL,
    sizes,
    solves,
    train,
)

__all__ = [
    "CLIMB",
    "DATASETS",
    "DIGITS",
    "LOSS",
    "SOLVED",
    "Playground",
    "Problem",
    "Run",
    "Settings",
    "describe_run",
    "in_voila",
    "panel_figure",
    "problem",
    "sample_dL",
    "show",
    "sizes",
    "solves",
    "train",
]
