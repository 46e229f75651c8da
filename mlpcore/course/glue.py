"""Numbers that a lesson's prose quotes, computed by a cell so that they cannot go stale.

In the book, myst-nb's ``glue`` stores the value, and the text shows it through the
``glue:text`` role, with the name and a format (``name:.2f``). Where myst-nb is absent
(Colab, a plain Jupyter), :func:`glue` shows the value under the cell instead, so the lesson
still runs and still shows the number.
"""

from __future__ import annotations

try:  # the book's build, and any Jupyter where the course extra (jupyter-book) is installed
    from myst_nb import glue as _myst_glue
except ImportError:  # pragma: no cover - depends on the environment
    _myst_glue = None


def glue(name: str, value, display: bool = False):
    """Record ``value`` under ``name`` for the prose, and return it.

    With myst-nb, ``display=False`` keeps the value out of the cell's output (the cell prints
    its own sentence). Without myst-nb there is nothing to record: the value is shown when
    ``display`` is true, and the return value lets the cell use it either way.
    """
    if hasattr(value, "item") and getattr(value, "ndim", None) == 0:
        value = value.item()  # np.float64(0.5) -> 0.5: the book formats the plain-text repr
    if _myst_glue is not None:
        _myst_glue(name, value, display=display)
    elif display:
        from IPython.display import display as _show

        _show(value)
    return value


__all__ = ["glue"]
