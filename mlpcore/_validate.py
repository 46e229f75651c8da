"""Input checks shared by the package: every message names the quantity and what was expected.

They run once per call at the boundary (never inside a training loop), so they may be thorough.
The one exception is :func:`all_finite`, which the backends also call after each epoch and in
the replay: it is one fast pass.

(About 260 lines: the package's one place for argument checks; splitting it would scatter
the wording of its messages. It holds the finiteness check that they share, with its BLAS sum.)
"""

from __future__ import annotations

import functools
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


SMALL = 1 << 14  # below this many entries all_finite checks entry by entry


def all_finite(a: np.ndarray) -> bool:
    """Whether every entry of the float array ``a`` is finite: one pass, no temporary the size
    of ``a``. A sum is finite only if every term is (inf and NaN propagate through it); only a
    sum that overflows from finite terms needs the entry-by-entry check. The sum is BLAS's
    Σ|a_i| (:func:`abs_sum`) when ``a`` is contiguous, else numpy's. (Below ``SMALL`` entries the
    entry-by-entry check is the faster one: no error state to set.)"""
    if a.size < SMALL:
        return bool(np.isfinite(a).all())
    contiguous = a.flags.c_contiguous or a.flags.f_contiguous
    asum = abs_sum(a.dtype) if contiguous and a.size < 1 << 31 else None  # (BLAS's n: 32 bits)
    if asum is not None:
        total = asum(a.reshape(-1, order="A"))  # a view, in memory order
    else:
        with np.errstate(over="ignore", invalid="ignore"):
            total = np.add.reduce(a, axis=None)
    return math.isfinite(total) or bool(np.isfinite(a).all())


@functools.cache
def abs_sum(dtype):
    """scipy's BLAS asum, Σ|a_i| of a vector, for float32 or float64 ``dtype``, else None.

    On the 7.4 MB of a 784-1024-1024-10 float32 network it takes 0.05 ms against numpy's sum's
    0.43 (float64: 0.10 against 0.42; SIMD, and threaded). A probe on vectors long enough for
    the threaded kernel checks that NaN and ±inf anywhere come out as NaN or inf; without scipy,
    or if the probe fails, None: all_finite then sums with numpy."""
    dt = np.dtype(dtype)
    if dt not in (np.float32, np.float64):
        return None
    try:
        from scipy.linalg import blas
    except ImportError:
        return None
    asum = blas.dasum if dt == np.float64 else blas.sasum
    v = np.ones(1 << 17, dt)  # (0.5 or 1 MB: one vector, changed in place)
    ok = asum(v) == v.size
    for where in (0, v.size // 2 + 3, v.size - 1):
        for bad in (np.nan, np.inf, -np.inf):
            v[where] = bad
            ok &= not math.isfinite(asum(v))
        v[where] = 1.0
    return asum if ok else None


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


def check_labels(labels, n_classes: int) -> np.ndarray:
    """Class labels as a 1-D int array, each in 0..n_classes-1.

    Whole numbers stored as floats (3.0) are class labels too; 2.5 is not.
    """
    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise ValueError(f"labels must be 1-D (one class per sample), got shape {labels.shape}")
    if labels.size and labels.dtype.kind not in "iuf":
        raise TypeError(f"labels must be integers (class indices), got dtype {labels.dtype}")
    if labels.size and labels.dtype.kind == "f":
        whole = np.isfinite(labels) & (labels == np.round(labels))
        if not whole.all():
            i = int(np.argmin(whole))
            raise TypeError(
                f"labels must be integers (class indices 0..{n_classes - 1}), got labels[{i}] = "
                f"{labels[i]}; real-valued targets go in a 2-D Y of shape (s_p, n)"
            )
        labels = labels.astype(np.int64)
    bad = (labels < 0) | (labels >= n_classes)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(
            f"class label out of range: labels[{i}] = {labels[i]}, expected 0..{n_classes - 1} "
            f"(s_p = {n_classes} outputs)"
        )
    return labels


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


LAYOUTS = ("columns", "rows")


def as_columns(
    name: str, X, s0: int, layout: str | None = None, dtype=None, size: str = "s_0"
) -> np.ndarray:
    """A data set as the document's (s_0, n) matrix, samples as columns, without copying it.

    ``layout="columns"``: ``X`` is (s_0, n), sample i is ``X[:, i]``. ``layout="rows"``: ``X`` is
    (n, s_0), sample i is ``X[i]`` (as scikit-learn and pandas give it); the view ``X.T`` is
    returned. ``None`` reads the layout from the shape, and refuses to guess when ``X`` is
    square, (s_0, s_0): its rows and its columns then both have s_0 entries, and a wrong guess
    would train, without any error, on the transpose.

    The entries must be real and finite; with ``dtype`` float32 (the network's), they must also
    fit in it, or the cast would turn them into inf. Neither check allocates anything the size of
    ``X``: finiteness is one sum (:func:`all_finite`), and only a range check (a float64 ``X`` for
    a float32 network) or an error reads the min and the max. ``size`` names s0 in messages
    ("s_p" for targets).
    """
    if layout is not None and layout not in LAYOUTS:
        raise ValueError(f"layout must be 'columns', 'rows' or None, got {layout!r}")
    if isinstance(X, (str, bytes)) or X is None:
        raise TypeError(f"{name} must be a numeric array, got {type(X).__name__}")
    X = np.asarray(X)
    if X.dtype == object or not np.issubdtype(X.dtype, np.number) or np.iscomplexobj(X):
        raise TypeError(f"{name} must hold real numbers, got dtype {X.dtype}")
    if X.ndim != 2:
        raise ValueError(f"{name} must be 2-D ({size}, n) with samples as columns, got {X.shape}")
    if layout is None and X.shape == (s0, s0):
        raise ValueError(
            f"{name} has shape {X.shape}: with {size} = {s0} and {s0} samples, its rows and "
            f"its columns both have {size} entries, so the layout cannot be read from the shape. "
            "Say which: layout='columns' (sample i is X[:, i], the document's convention) or "
            "layout='rows' (sample i is X[i])"
        )
    if layout == "rows" or (layout is None and X.shape[0] != s0 and X.shape[1] == s0):
        if layout is None:
            raise ValueError(
                f"{name} must have shape ({size}={s0},) for one sample or ({size}={s0}, n) with "
                f"samples as columns, got {X.shape}: it looks like samples as rows; pass "
                f"layout='rows', or {name}.T"
            )
        X = X.T
    check_shape_rows(name, X, s0, size)
    top = float(np.finfo(dtype).max) if dtype is not None and np.dtype(dtype).kind == "f" else None
    wider = top is not None and X.dtype.kind == "f" and float(np.finfo(X.dtype).max) > top
    if X.size and X.dtype.kind == "f" and (wider or not all_finite(X)):  # (integers are finite)
        lo, hi = np.min(X), np.max(X)  # NaN propagates to both; an inf is one of them
        if not (np.isfinite(lo) and np.isfinite(hi)):
            bad = "NaN" if np.isnan(lo) or np.isnan(hi) else "inf"
            raise ValueError(f"{name} contains {bad}; every entry must be finite")
        if top is not None and max(-float(lo), float(hi)) > top:
            raise ValueError(
                f"{name} holds values up to {max(-float(lo), float(hi)):.3g} in absolute value, "
                f"beyond the largest {np.dtype(dtype)} ({top:.3g}), the network's dtype: they "
                f"would become inf. Scale {name}, or train a float64 network"
            )
    return X
