"""Gradient checking by central differences (an independent check of sections 3.2 to 3.4).

Each partial derivative ∂L̃_0/∂θ is estimated one coefficient at a time, by moving θ a step ε
either way, and compared with the backpropagated one by a relative error

    err = ‖analytic − numeric‖ / max(‖analytic‖ + ‖numeric‖, tiny).

Two central stencils are offered (``points``):

* 2 points, (f(θ+ε) − f(θ−ε)) / 2ε: the textbook one, truncation error O(ε²);
* 5 points, (8(f(θ+ε) − f(θ−ε)) − (f(θ+2ε) − f(θ−2ε))) / 12ε: truncation error O(ε⁴), the
  default.

Rounding costs about u·|L̃_0|/ε in both (u ≈ 1.1e-16 in float64). Where a gradient is much
smaller than L̃_0 (an input near 0, or per-sample gradients of a batch that nearly cancel) the
two-point stencil at ε = 1e-6 loses digits: over random networks it reaches err ≈ 1e-6. The
five-point stencil allows a step a hundred times larger for the same truncation error, hence a
hundred times less rounding: with ε = 1e-4 it stays below 1e-7 (measured: 1.3e-8 at worst over
1500 random networks, p = 1..4, sizes 1..8, every activation and both losses). A wrong gradient
gives err near 1 either way.
"""

from __future__ import annotations

import numpy as np

from .backward import backward
from .forward import forward


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """‖a − n‖ / max(‖a‖ + ‖n‖, 1e-300); 0 when both are exactly zero."""
    num = float(np.linalg.norm(np.ravel(analytic) - np.ravel(numeric)))
    den = float(np.linalg.norm(np.ravel(analytic)) + np.linalg.norm(np.ravel(numeric)))
    return 0.0 if num == 0.0 else num / max(den, 1e-300)


def loss_L0(w, b, g, x, y, loss) -> float:
    """L̃_0(...) = L(y)(z^(p)) for the given parameters (eq-Ltilde, k = 0; summed over a batch)."""
    return loss.L(y, forward(w, b, g, x))


def central_difference(f, theta: np.ndarray, idx, eps: float, points: int = 5) -> float:
    """∂f/∂θ_idx by a central stencil of ``points`` (2 or 5) evaluations; θ is restored."""
    if points not in (2, 5):
        raise ValueError(f"points must be 2 or 5 (the central stencils), got {points}")
    keep = theta[idx]
    values = {}
    for step in (1, -1) if points == 2 else (2, 1, -1, -2):
        theta[idx] = keep + step * eps
        values[step] = f()
    theta[idx] = keep
    if points == 2:
        return (values[1] - values[-1]) / (2 * eps)
    return (8 * (values[1] - values[-1]) - (values[2] - values[-2])) / (12 * eps)


def numeric_gradients(w, b, g, x, y, loss, eps: float = 1e-4, points: int = 5):
    """Central differences of L̃_0 with respect to every w_ij^(k) and b_i^(k).

    Returns ``(dW_num, dB_num)``, lists shaped like ``w`` and ``b``. Works in float64 on copies.
    """
    w = [np.array(wk, dtype=np.float64) for wk in w]
    b = [np.array(bk, dtype=np.float64) for bk in b]
    grads = []
    for params in (w, b):
        per_array = []
        for theta in params:
            d = np.zeros_like(theta)
            for idx in np.ndindex(theta.shape):
                d[idx] = central_difference(
                    lambda: loss_L0(w, b, g, x, y, loss), theta, idx, eps, points
                )
            per_array.append(d)
        grads.append(per_array)
    return grads[0], grads[1]


def numeric_dL(w, b, g, x, y, loss, k: int, eps: float = 1e-4, points: int = 5) -> np.ndarray:
    """Central differences of L̃_k with respect to z^(k), for one sample (checks eq-dLk).

    This is the definition of dL^(k) = ∂L̃_k/∂z^(k) computed numerically (eq-dL-def).

    L̃_k starts the forward pass at layer k: it takes z^(k), applies g (when k < p), and runs
    the remaining layers: L̃_k(z^(k)) = L̃_{k+1}(h_k(b^(k), w^(k), g(z^(k)))) (eq-Ltilde-rec).
    Returns a vector of shape (s_k,).
    """
    p = len(w)
    if not 1 <= k <= p:
        raise ValueError(f"k must be in 1..p={p} (dL^(k) exists for k = 1..p), got {k}")
    zk = np.array(forward(w, b, g, x, trace=True).z[k], dtype=np.float64)

    def L_k(zk_):
        if k == p:
            return loss.L(y, zk_)
        return loss.L(y, forward(w[k:], b[k:], g, g(zk_)))

    d = np.zeros_like(zk)
    for i in np.ndindex(zk.shape):
        d[i] = central_difference(lambda: L_k(zk), zk, i, eps, points)
    return d


def gradcheck(net, x, y, loss, eps: float = 1e-4, points: int = 5) -> dict:
    """Relative error between backpropagation and central differences, per parameter array.

    Returns ``{"w[0]": err, "b[0]": err, ..., "w[p-1]": err, "b[p-1]": err}``.
    """
    w = [np.asarray(wk, dtype=np.float64) for wk in net.w]
    b = [np.asarray(bk, dtype=np.float64) for bk in net.b]
    trace = forward(w, b, net.g, x, trace=True)
    dW, dB, _ = backward(w, net.g, trace, y, loss)
    dW_num, dB_num = numeric_gradients(w, b, net.g, x, y, loss, eps, points)
    errors = {}
    for k in range(len(w)):
        errors[f"w[{k}]"] = relative_error(dW[k], dW_num[k])
        errors[f"b[{k}]"] = relative_error(dB[k], dB_num[k])
    return errors
