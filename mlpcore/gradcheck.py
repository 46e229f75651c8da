"""Gradient checking by central differences (an independent check of sections 3.2 to 3.4).

This module is longer than most (about 250 lines): besides the stencils, :func:`gradcheck`
says where a stencil cannot judge, and that bookkeeping belongs next to the stencils.

Each partial derivative ∂L̃_0/∂θ is estimated one coefficient at a time, by moving θ a step ε
either way, and compared with the backpropagated one by a relative error

    err = ‖analytic − numeric‖ / max(‖analytic‖ + ‖numeric‖, tiny),

reported next to the absolute error ‖analytic − numeric‖. Two central stencils are offered
(``points``):

* 2 points, (f(θ+ε) − f(θ−ε)) / 2ε: the textbook one, truncation error O(ε²);
* 5 points, (8(f(θ+ε) − f(θ−ε)) − (f(θ+2ε) − f(θ−2ε))) / 12ε: truncation error O(ε⁴), the
  default.

Rounding costs about ``u·|L̃_0|/ε`` in both (u ≈ 2.2e-16 in float64). Where a gradient is much
smaller than L̃_0 (an input near 0, or per-sample gradients of a batch that nearly cancel) the
two-point stencil at ε = 1e-6 loses digits: over random networks it reaches err ≈ 1e-6. The
five-point stencil allows a step a hundred times larger for the same truncation error, hence a
hundred times less rounding: with ε = 1e-4 it stays below 1e-7 (measured: 1.3e-8 at worst over
1500 random networks, p = 1..4, sizes 1..8, every activation and both losses). A wrong gradient
gives err near 1 either way.

Two kinds of coordinate cannot be judged by any stencil, and :func:`gradcheck` leaves them out
of its errors, lists them in ``result.flagged`` and warns, rather than report err ≈ 1 for a
correct backpropagation:

* **a kink inside the stencil**: between θ − 2ε and θ + 2ε some z^(k) crosses a point where g'
  jumps (relu at 0), or z^(p) one where the loss's gradient jumps. The central difference then
  averages two slopes, neither of which is the derivative backpropagation uses. Detected by
  g' changing more than ``KINK`` times as fast as z across the stencil: a smooth g' changes
  at the rate g'' (at most 0.77 for tanh), a kink at the rate ``1/|Δz|``.
* **below resolution**: the analytic and numeric values are both under the stencil's rounding
  noise, ``RESOLUTION·u·max(|L̃_0|, ‖∇L‖·‖z^(p)‖)/ε`` (a saturated sigmoid, a tiny input).
  Neither digit can be trusted there; coordinates that agree exactly (both 0) are not flagged.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from ._checks import check_eps, check_loss_output, check_params, check_target
from .activations import get_activation
from .backward import backward
from .forward import _forward, as_g, check_input
from .losses import get_loss

U = float(np.finfo(np.float64).eps)  # u, the unit roundoff of float64 (times 2)
RESOLUTION = 8.0  # the stencils' rounding noise is below RESOLUTION · u · max|L̃_0| / ε
KINK = 100.0  # g' changing faster than KINK · |Δz| across the stencil is a kink


class GradCheckWarning(UserWarning):
    """gradcheck left out coordinates that central differences cannot judge."""


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """‖a − n‖ / max(‖a‖ + ‖n‖, 1e-300); 0 when both are exactly zero."""
    num = float(np.linalg.norm(np.ravel(analytic) - np.ravel(numeric)))
    den = float(np.linalg.norm(np.ravel(analytic)) + np.linalg.norm(np.ravel(numeric)))
    return 0.0 if num == 0.0 else num / max(den, 1e-300)


def loss_L0(w, b, g, x, y, loss) -> float:
    """L̃_0(...) = L(y)(z^(p)) for the given parameters (eq-Ltilde, k = 0; summed over a batch)."""
    return loss.L(y, _forward(w, b, g, x))


def _steps(points: int) -> tuple:
    if isinstance(points, bool) or points not in (2, 5):
        raise ValueError(f"points must be 2 or 5 (the central stencils), got {points!r}")
    return (1, -1) if points == 2 else (2, 1, -1, -2)


def _combine(values: dict, eps: float) -> float:
    if len(values) == 2:
        return (values[1] - values[-1]) / (2 * eps)
    return (8 * (values[1] - values[-1]) - (values[2] - values[-2])) / (12 * eps)


def central_difference(f, theta: np.ndarray, idx, eps: float, points: int = 5) -> float:
    """∂f/∂θ_idx by a central stencil of ``points`` (2 or 5) evaluations; θ is restored."""
    steps, eps = _steps(points), check_eps(eps)
    keep = theta[idx]
    values = {}
    for step in steps:
        theta[idx] = keep + step * eps
        values[step] = f()
    theta[idx] = keep
    return _combine(values, eps)


def _checked(w, b, g, x, y, loss, eps, points):
    """The common checks of the three public functions below, in float64 copies."""
    w, b, s = check_params(w, b)
    g, loss = as_g(g), get_loss(loss)
    x = check_input(x, s[0])
    y = check_target(y, s[-1], None if x.ndim == 1 else x.shape[1], "the output for x")
    _steps(points)
    w = [np.array(wk, dtype=np.float64) for wk in w]
    b = [np.array(bk, dtype=np.float64) for bk in b]
    return w, b, g, x, y, loss, check_eps(eps)


def _numeric(w, b, g, x, y, loss, eps, points, probe=False, scale=0.0):
    """Per array of (*w, *b): the numeric gradient, and with ``probe`` the resolution and the
    kink mask of each coordinate. ``w`` and ``b`` are float64 arrays, moved and restored.
    ``scale`` is a floor for the size of the rounding error of L̃_0, in units of u."""
    out = []
    for theta in (*w, *b):
        d, r, kink = np.zeros_like(theta), np.zeros_like(theta), np.zeros(theta.shape, bool)
        for idx in np.ndindex(theta.shape):
            keep, values, traces = theta[idx], {}, []
            for step in _steps(points):
                theta[idx] = keep + step * eps
                if probe:
                    traces.append(_forward(w, b, g, x, trace=True).z)
                    values[step] = loss.L(y, traces[-1][-1])
                else:
                    values[step] = loss_L0(w, b, g, x, y, loss)
            theta[idx] = keep
            d[idx] = _combine(values, eps)
            if probe:
                r[idx] = RESOLUTION * U * max(scale, *map(abs, values.values())) / eps
                kink[idx] = _crosses_kink(g, loss, y, traces)
        out.append((d, r, kink))
    return out


def _jumps(slopes, span) -> bool:
    slopes = np.asarray(slopes, dtype=np.float64)  # a custom g' may return a scalar
    jump = slopes.max(axis=0) - slopes.min(axis=0)
    return bool(np.any((jump > KINK * span) & (jump > 1e-3 * np.abs(slopes).max(axis=0))))


def _crosses_kink(g, loss, y, traces) -> bool:
    """Whether g' (hidden layers) or ∇L (output) jumps between the stencil's points."""
    for k in range(1, len(traces[0]) - 1):
        Z = np.stack([z[k] for z in traces])
        if _jumps(np.broadcast_to(g.g_prime(Z), Z.shape), Z.max(axis=0) - Z.min(axis=0)):
            return True
    Z = np.stack([z[-1] for z in traces])
    grads = np.stack([np.broadcast_to(loss.grad(y, z), z.shape) for z in Z])
    return _jumps(grads, np.max(Z.max(axis=0) - Z.min(axis=0)))


def numeric_gradients(w, b, g, x, y, loss, eps: float = 1e-4, points: int = 5):
    """Central differences of L̃_0 with respect to every w_ij^(k) and b_i^(k).

    ``g`` and ``loss`` may be names. Returns ``(dW_num, dB_num)``, lists shaped like ``w`` and
    ``b``. Works in float64 on copies.
    """
    w, b, g, x, y, loss, eps = _checked(w, b, g, x, y, loss, eps, points)
    grads = [d for d, _, _ in _numeric(w, b, g, x, y, loss, eps, points)]
    return grads[: len(w)], grads[len(w) :]


def numeric_dL(w, b, g, x, y, loss, k: int, eps: float = 1e-4, points: int = 5) -> np.ndarray:
    """Central differences of L̃_k with respect to z^(k), for one sample (checks eq-dLk).

    This is the definition of dL^(k) = ∂L̃_k/∂z^(k) computed numerically (eq-dL-def).

    L̃_k starts the forward pass at layer k: it takes z^(k), applies g (when k < p), and runs
    the remaining layers: L̃_k(z^(k)) = L̃_{k+1}(h_k(b^(k), w^(k), g(z^(k)))) (eq-Ltilde-rec).
    Returns an array shaped like z^(k): (s_k,), or (s_k, n) for a batch (column m is sample
    m's own dL^(k), since the batch's L̃_k is the sum over its samples).
    """
    w, b, g, x, y, loss, eps = _checked(w, b, g, x, y, loss, eps, points)
    p = len(w)
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= p:
        raise ValueError(f"k must be in 1..p={p} (dL^(k) exists for k = 1..p), got {k!r}")
    zk = np.array(_forward(w, b, g, x, trace=True).z[k], dtype=np.float64)

    def L_k(zk_):
        if k == p:
            return loss.L(y, zk_)
        return loss.L(y, _forward(w[k:], b[k:], g, g(zk_)))

    d = np.zeros_like(zk)
    for i in np.ndindex(zk.shape):
        d[i] = central_difference(lambda: L_k(zk), zk, i, eps, points)
    return d


class GradCheck(dict):
    """What :func:`gradcheck` found: ``result["w[0]"]`` is the relative error of w^(0).

    A dict from ``"w[0]", "b[0]", ..., "w[p-1]", "b[p-1]"`` to the relative error over the
    coordinates that central differences can judge (NaN when there are none), with:

    Attributes
    ----------
    absolute : dict, the absolute error ‖analytic − numeric‖ over the same coordinates
    flagged : dict, for each array the list of ``(index, reason)`` left out, reason being
        ``"kink"`` or ``"resolution"`` (see the module docstring)
    """

    def __init__(self, relative: dict, absolute: dict, flagged: dict, sizes: dict):
        super().__init__(relative)
        self.absolute, self.flagged = absolute, flagged
        self._sizes = sizes

    def __repr__(self) -> str:
        lines = ["array   relative   absolute   left out (see .flagged)"]
        for name, rel in self.items():
            shown = "not judged" if math.isnan(rel) else f"{rel:9.1e}"
            left_out = _summary(self.flagged[name], self._sizes[name])
            lines.append(f"{name:<7} {shown:>10} {self.absolute[name]:10.1e}   {left_out}")
        return "\n".join(lines)


def _summary(flags, size: int) -> str:
    counts = {r: sum(1 for _, why in flags if why == r) for r in ("kink", "resolution")}
    words = {"kink": "at a kink", "resolution": "below resolution"}
    return ", ".join(f"{c} of {size} {words[r]}" for r, c in counts.items() if c)


def gradcheck(net, x, y, loss, eps: float = 1e-4, points: int = 5) -> GradCheck:
    """Backpropagation against central differences, per parameter array.

    Parameters
    ----------
    net : Network
    x : array (s_0,) or (s_0, n)
    y : array shaped like the output: (s_p,) or (s_p, n)
    loss : Loss or its name
    eps : float > 0, the step ε
    points : 2 or 5, the stencil

    Returns
    -------
    GradCheck: a dict ``{"w[0]": err, "b[0]": err, ..., "b[p-1]": err}`` of relative errors,
    with ``.absolute`` and ``.flagged``. Coordinates where the stencil crosses a kink or
    cannot resolve the gradient are left out of both errors, listed in ``.flagged``, and
    announced by a :class:`GradCheckWarning`: they say nothing about backpropagation.
    """
    loss = get_loss(loss)
    w, b, g, x, y, loss, eps = _checked(
        net.w, net.b, get_activation(net.g), x, y, loss, eps, points
    )
    check_loss_output(loss, net.s[-1])
    trace = _forward(w, b, g, x, trace=True)
    dW, dB, d = backward(w, g, trace, y, loss)
    # L̃_0 is computed from z^(p), itself rounded to about u·|z^(p)|: that moves L̃_0 by about
    # u·‖∇L‖·‖z^(p)‖, which can exceed u·|L̃_0| when the loss is small next to its output.
    scale = float(np.linalg.norm(d[-1]) * np.linalg.norm(trace.z[-1]))
    numeric = _numeric(w, b, g, x, y, loss, eps, points, probe=True, scale=scale)
    names = [f"w[{k}]" for k in range(len(w))] + [f"b[{k}]" for k in range(len(b))]
    relative, absolute, flagged = {}, {}, {}
    for name, analytic, (num, r, kink) in zip(names, dW + dB, numeric, strict=True):
        below = (np.abs(analytic) < r) & (np.abs(num) < r)
        judged = ~kink & ~below
        flagged[name] = [(tuple(map(int, i)), "kink") for i in np.argwhere(kink)] + [
            (tuple(map(int, i)), "resolution")
            for i in np.argwhere(below & ~kink & (analytic != num))
        ]
        if judged.any() or not flagged[name]:
            relative[name] = relative_error(analytic[judged], num[judged])
            absolute[name] = float(np.linalg.norm(analytic[judged] - num[judged]))
        else:
            relative[name] = absolute[name] = math.nan
    order = sorted(names, key=lambda n: (int(n[2:-1]), n[0] == "b"))  # w[0], b[0], w[1], ...
    sizes = dict(zip(names, [a.size for a in dW + dB], strict=True))
    result = GradCheck(*({n: d[n] for n in order} for d in (relative, absolute, flagged, sizes)))
    if any(flagged.values()):
        warnings.warn(_warning(result, flagged), GradCheckWarning, stacklevel=2)
    return result


def _warning(result: GradCheck, flagged: dict) -> str:
    parts = [f"{n}: {_summary(flagged[n], result._sizes[n])}" for n in result if flagged[n]]
    return (
        "gradcheck left out coordinates that central differences cannot judge: "
        + "; ".join(parts)
        + ". At a kink (relu at 0) the stencil averages two slopes; below resolution both "
        "values are under its rounding noise. The errors are over the other coordinates; "
        "the coordinates are in result.flagged."
    )
