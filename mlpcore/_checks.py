"""Shape checks for the lesson functions: forward, dL, dB, dW, backward and the gradient checks.

Each error names the quantity in the document's notation, the shape it must have and the shape
it has. Without them a mistake reaches numpy's broadcasting, which either fails with a message
about operands or, worse, succeeds: a column-shaped y of shape (s_p, 1) against z^(p) of shape
(s_p,) broadcasts to (s_p, s_p) and gives gradients of the wrong shape. The checks compare
shapes only (no pass over the parameters), so they cost nothing next to the formulas.

(About 250 lines: one check per lesson function, each a few lines, and they share their
messages; split across files they would repeat the document's index conventions.)
"""

from __future__ import annotations

import contextlib

import numpy as np

from ._validate import as_array


def _array(name: str, value) -> np.ndarray:
    arr = value if isinstance(value, np.ndarray) else None
    if arr is None:
        if value is None or isinstance(value, (str, bytes)):
            raise TypeError(f"{name} must be a numeric array, got {type(value).__name__}")
        try:
            arr = np.asarray(value)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"{name} must be a numeric array: {exc}") from None
    if arr.dtype.kind not in "fiu":
        raise TypeError(f"{name} must hold real numbers, got dtype {arr.dtype}")
    return arr


def _list(name: str, value, what: str) -> list:
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"{name} must be a list ({what}), got {type(value).__name__}")
    return list(value)


_NO = object()  # "does not fit": the slow path below then says why
_LISTS = (list, tuple)


def _layout(arrays, sizes):
    """n (None for one sample) when each array is a real ndarray of shape (size,) or (size, n)
    with one n for all, else ``_NO``. No message is built here: this is the path of every
    correct call, and it must cost next to nothing."""
    n = _NO
    for v, size in zip(arrays, sizes, strict=True):
        if type(v) is not np.ndarray or v.dtype.kind not in "fiu" or not 1 <= v.ndim <= 2:
            return _NO
        if v.shape[0] != size:
            return _NO
        m = v.shape[1] if v.ndim == 2 else None
        if n is _NO:
            n = m
        elif m != n:
            return _NO
    return n


def check_params(w, b=None):
    """Check ``w[k]`` (s_{k+1}, s_k) and ``b[k]`` (s_{k+1},) for k = 0..p-1.

    Returns ``(w, b, s)``: the lists as arrays (``b`` None when not given) and the sizes s read
    from the shapes.
    """
    if (
        type(w) in _LISTS
        and w
        and all(type(wk) is np.ndarray and wk.ndim == 2 and wk.dtype.kind in "fiu" for wk in w)
    ):
        s = (w[0].shape[1],) + tuple(wk.shape[0] for wk in w)
        if all(wk.shape[1] == s[k] for k, wk in enumerate(w)) and (
            b is None
            or type(b) in _LISTS
            and len(b) == len(w)
            and _layout(b, s[1:]) is None
            and all(bk.ndim == 1 for bk in b)
        ):
            return list(w), None if b is None else list(b), s
    w = _list("w", w, "the weight matrices w[0..p-1]")
    if not w:
        raise ValueError("w must hold at least one matrix w[0] (p >= 1), got an empty list")
    w = [_array(f"w[{k}]", wk) for k, wk in enumerate(w)]
    for k, wk in enumerate(w):
        if wk.ndim != 2:
            raise ValueError(f"w[{k}] must be 2-D, of shape (s_{k + 1}, s_{k}), got {wk.shape}")
        if k and wk.shape[1] != w[k - 1].shape[0]:
            raise ValueError(
                f"w[{k}] must have shape (s_{k + 1}, s_{k}={w[k - 1].shape[0]}) to follow "
                f"w[{k - 1}] of shape {w[k - 1].shape}, got {wk.shape}"
            )
    s = (w[0].shape[1],) + tuple(wk.shape[0] for wk in w)
    p = len(w)
    if b is not None:
        b = _list("b", b, "the bias vectors b[0..p-1]")
        if len(b) != p:
            raise ValueError(
                f"b must have p = {p} entries b[0..{p - 1}], one per w[k], got {len(b)}"
            )
        b = [_array(f"b[{k}]", bk) for k, bk in enumerate(b)]
        for k, bk in enumerate(b):
            if bk.shape != (s[k + 1],):
                raise ValueError(f"b[{k}] must have shape (s_{k + 1}={s[k + 1]},), got {bk.shape}")
    return w, b, s


def _rows(name: str, arr) -> int:
    shape = np.shape(_array(name, arr))
    if len(shape) not in (1, 2):
        raise ValueError(
            f"{name} must be 1-D (one sample) or 2-D (samples as columns), got shape {shape}"
        )
    return shape[0]


def _describe(n) -> str:
    return "one sample" if n is None else f"a batch of {n} samples as columns"


def check_layer(name: str, arr, size: int, label: str, n="?", like: str = "") -> tuple:
    """Check ``arr`` is (size,) or (size, n); ``n`` is None (one sample), an int, or "?" (any).

    Returns ``(arr, n)`` with ``n`` as found, so that the next array can be held to it.
    """
    arr = _array(name, arr)
    if n == "?":
        if arr.ndim in (1, 2) and arr.shape[0] == size:
            return arr, (None if arr.ndim == 1 else arr.shape[1])
        raise ValueError(
            f"{name} must have shape ({label}={size},) for one sample or ({label}={size}, n) "
            f"for a batch of n samples as columns, got {arr.shape}"
        )
    want = (size,) if n is None else (size, n)
    if arr.shape != want:
        shown = f"({label}={size},)" if n is None else f"({label}={size}, n={n})"
        extra = f" like {like}" if like else ""
        raise ValueError(f"{name} must have shape {shown}{extra} ({_describe(n)}), got {arr.shape}")
    return arr, n


def check_target(y, sp: int, n, like: str) -> np.ndarray:
    """The expected value y: (s_p,) for one sample, (s_p, n) for a batch, finite."""
    y, _ = check_layer("y", as_array("y", y), sp, "s_p", n, like)
    return y


def check_list(name: str, value, length: int, what: str) -> list:
    value = _list(name, value, what)
    if len(value) != length:
        entries = "entry" if length == 1 else "entries"
        raise ValueError(f"{name} must have {length} {entries} ({what}), got {len(value)}")
    return value


def check_trace(trace, s):
    """The forward trace: ``a[k]`` for k = 0..p-1 and ``z[k]`` for k = 1..p, one layout.

    Returns ``(a, z, n)`` with n None for one sample.
    """
    p = len(s) - 1
    a, z = getattr(trace, "a", None), getattr(trace, "z", None)
    if type(a) in _LISTS and type(z) in _LISTS and len(a) == p and len(z) == p + 1:
        n = _layout([*a, *z[1:]], [*s[:p], *s[1:]])
        if n is not _NO:
            return list(a), list(z), n
    if not (hasattr(trace, "a") and hasattr(trace, "z")):
        raise TypeError(
            f"trace must be the Trace of forward(..., trace=True), got {type(trace).__name__}"
        )
    a = check_list("trace.a", trace.a, p, f"a[0..{p - 1}], a[0] = x")
    z = check_list("trace.z", trace.z, p + 1, f"z[0..{p}] with z[0] = None")
    a[0], n = check_layer("a[0]", a[0], s[0], "s_0")
    for k in range(1, p):
        a[k], _ = check_layer(f"a[{k}]", a[k], s[k], f"s_{k}", n, "a[0] = x")
    for k in range(1, p + 1):
        z[k], _ = check_layer(f"z[{k}]", z[k], s[k], f"s_{k}", n, "a[0] = x")
    return a, z, n


def check_eps(eps) -> float:
    """The finite-difference step ε: a finite real number > 0."""
    from ._validate import check_real

    eps = check_real("eps (the finite-difference step ε)", eps)
    if eps <= 0:
        raise ValueError(f"eps (the finite-difference step ε) must be > 0, got {eps:g}")
    return eps


def check_loss_output(loss, sp: int) -> None:
    """Refuse a loss that cannot learn with s_p outputs: softmax cross-entropy needs s_p >= 2.

    With one output softmax(z) = 1 for every z, so the loss is 0 and its gradient is
    identically 0: training would change nothing, silently.
    """
    from .losses import softmax_cross_entropy

    if loss is softmax_cross_entropy and sp < 2:
        raise ValueError(
            "softmax cross-entropy needs s_p >= 2 outputs (one per class), got s_p = 1: with one "
            "output softmax(z) = 1, the loss is 0 and its gradient is 0, so nothing is learned. "
            "Use two outputs, or squared_error for one output"
        )


def check_gradients_input(dL, a=None):
    """``dL[k]`` for k = 1..p (``dL[0] = None``) and, for dW, ``a[k]`` for k = 0..p-1.

    Every array holds one sample, or the same n samples as columns; ``a[k]`` and ``dL[k]``
    both have s_k rows. The layout is taken from ``a[0] = x`` when given, else from ``dL[1]``.
    Returns ``(dL, a, n)``.
    """
    if type(dL) in _LISTS and len(dL) >= 2 and (a is None or type(a) in _LISTS):
        with contextlib.suppress(AttributeError, IndexError, TypeError):
            sizes = [v.shape[0] for v in dL[1:]]
            if a is None:
                n = _layout(dL[1:], sizes)
            elif len(a) == len(dL) - 1:
                n = _layout([*dL[1:], *a], [*sizes, a[0].shape[0], *sizes[:-1]])
            else:
                n = _NO
            if n is not _NO:
                return list(dL), None if a is None else list(a), n
    if a is not None:
        dL = _list("dL", dL, "dL[0..p] with dL[0] = None, from mlpcore.dL")
        if len(dL) < 2:
            raise ValueError(f"dL must hold dL[0] = None and dL[1..p] (p >= 1), got {len(dL)}")
        p = len(dL) - 1
        a = check_list(
            "a", a, p, f"a[0..{p - 1}], one per dL[k+1], from forward(..., trace=True).a"
        )
        a[0], n = check_layer("a[0]", a[0], _rows("a[0]", a[0]), "s_0")
        ref = "a[0] = x"
    else:
        dL = _list("dL", dL, "dL[0..p] with dL[0] = None, from mlpcore.dL")
        if len(dL) < 2:
            raise ValueError(f"dL must hold dL[0] = None and dL[1..p] (p >= 1), got {len(dL)}")
        p, n, ref = len(dL) - 1, "?", "dL[1]"
    for k in range(1, p + 1):
        size = _rows(f"a[{k}]", a[k]) if a is not None and k < p else _rows(f"dL[{k}]", dL[k])
        dL[k], found = check_layer(f"dL[{k}]", dL[k], size, f"s_{k}", n, ref)
        n = found if n == "?" else n
        if a is not None and k < p:
            a[k], _ = check_layer(f"a[{k}]", a[k], dL[k].shape[0], f"s_{k}", n, ref)
    return dL, a, n
