"""Input checks shared by the package: every message names the quantity and what was expected.

They run once per call at the boundary (never inside a training loop), so they may be thorough.
"""

from __future__ import annotations

import math
from numbers import Real

import numpy as np


def as_array(name: str, value, ndim: tuple[int, ...] | int | None = None, dtype=None) -> np.ndarray:
    """Return ``value`` as a finite float ndarray, or raise naming ``name``."""
    if (
        dtype is None
        and type(value) is np.ndarray
        and value.dtype.kind == "f"
        and (ndim is None or value.ndim in ((ndim,) if isinstance(ndim, int) else ndim))
        and np.isfinite(value).all()
    ):
        return value  # the common case, without the conversions below
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be a numeric array, got {type(value).__name__}")
    try:
        arr = np.asarray(value, dtype=dtype)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a numeric array: {exc}") from None
    if arr.dtype == object or not np.issubdtype(arr.dtype, np.number) or np.iscomplexobj(arr):
        raise TypeError(f"{name} must hold real numbers, got dtype {arr.dtype}")
    if not np.issubdtype(arr.dtype, np.floating):
        arr = arr.astype(np.float64)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else ndim
        if arr.ndim not in allowed:
            want = " or ".join(f"{d}-D" for d in allowed)
            raise ValueError(f"{name} must be {want}, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        bad = "NaN" if np.isnan(arr).any() else "inf"
        raise ValueError(f"{name} contains {bad}; every entry must be finite")
    return arr


def check_shape(name: str, arr: np.ndarray, expected: tuple, hint: str = "") -> None:
    """Raise ``ValueError`` unless ``arr.shape == expected``."""
    if arr.shape != tuple(expected):
        extra = f" ({hint})" if hint else ""
        raise ValueError(f"{name} must have shape {tuple(expected)}{extra}, got {arr.shape}")


def check_alpha(alpha) -> float:
    """The learning rate α must be a finite real number > 0 (the document: α ∈ ℝ+*)."""
    if isinstance(alpha, bool) or not isinstance(alpha, Real):
        raise TypeError(f"alpha (the learning rate α) must be a real number, got {alpha!r}")
    alpha = float(alpha)
    if not math.isfinite(alpha) or alpha <= 0:
        raise ValueError(f"alpha (the learning rate α) must be finite and > 0, got {alpha}")
    return alpha


def check_positive_int(name: str, value, minimum: int = 1) -> int:
    """An integer count such as an epoch number or a layer size."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def check_real(name: str, value, low: float | None = None, high: float | None = None) -> float:
    """A finite real number with ``low <= value <= high`` (either bound may be None)."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a real number, got {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    if (low is not None and value < low) or (high is not None and value > high):
        want = " and ".join(
            part
            for part in (low is not None and f">= {low:g}", high is not None and f"<= {high:g}")
            if part
        )
        raise ValueError(f"{name} must be {want}, got {value:g}")
    return value


def check_seed(seed, name: str = "seed") -> np.random.Generator:
    """A seed for numpy's generator: an integer >= 0, a Generator, or None (fresh entropy).

    Checked here so that a bad seed names the argument rather than numpy's SeedSequence.
    numpy's own SeedSequence and BitGenerator objects are accepted as numpy accepts them.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is not None and not isinstance(seed, (np.random.SeedSequence, np.random.BitGenerator)):
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise TypeError(
                f"{name} must be an integer >= 0 or a numpy.random.Generator, got {seed!r}"
            )
        if seed < 0:
            raise ValueError(f"{name} must be an integer >= 0, got {seed}")
    return np.random.default_rng(seed)


def check_columns(X: np.ndarray, Y: np.ndarray, s0: int, sp: int) -> int:
    """Check a data set given as columns: X is (s0, n), Y is (sp, n), n >= 1. Return n."""
    check_shape_rows("X", X, s0, "s[0]")
    check_shape_rows("Y", Y, sp, "s[p]")
    n = X.shape[1]
    if n == 0:
        raise ValueError("the data set is empty: X has 0 columns (samples are columns, n >= 1)")
    if Y.shape[1] != n:
        raise ValueError(f"X has {n} samples (columns) but Y has {Y.shape[1]}")
    return n


def check_shape_rows(name: str, arr: np.ndarray, rows: int, label: str) -> None:
    if arr.ndim != 2 or arr.shape[0] != rows:
        raise ValueError(
            f"{name} must have shape ({label}={rows}, n) with samples as columns, got {arr.shape}"
        )
