"""Optional dependencies: import them where they are needed, and say how to get them.

``mlpcore`` itself needs only numpy. A few functions use a package from an extra, for example
:func:`mlpcore.data.digits` needs scikit-learn from ``mlpcore[student]``. Without it they raise
an ImportError that names the command to run, instead of a bare ``No module named 'sklearn'``.
"""

from __future__ import annotations

import importlib
from types import ModuleType


def require(module: str, extra: str = "student", package: str | None = None) -> ModuleType:
    """Import ``module``, or raise ModuleNotFoundError naming the extra that installs it.

    Parameters
    ----------
    module : the import name, e.g. ``"sklearn.datasets"``
    extra : the mlpcore extra that brings it, e.g. ``"student"``
    package : its name on PyPI when that differs from the top-level import name
        (``"scikit-learn"`` for ``sklearn``)
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        top = module.split(".")[0]
        raise ModuleNotFoundError(
            f"this needs the optional package {package or top!r}, which is not installed; "
            f'install it with: pip install "mlpcore[{extra}]"',
            name=top,
        ) from exc
