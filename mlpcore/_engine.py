"""The fast path of :mod:`mlpcore.train`: the same mathematics as ``forward``/``dL``/``dB``/``dW``
with the Python overhead taken out of the loop.

What it changes, and nothing else:

* **Bias folded into the weights.** Layer k keeps one array ``Wa[k] = [w^(k) | b^(k)]`` of shape
  (s_{k+1}, s_k + 1) and every a^(k) carries a trailing 1, so h_k(b, w, a) = [w | b] [a; 1] is one
  product, and [dW^(k) | dB^(k)] = dL^(k+1) [a^(k); 1]^T is one outer product (eq-dW, eq-dB).
  All ``Wa[k]`` are views of one flat buffer.
* **α folded into dL^(p).** The recursion (eq-dLk) is linear in dL^(p), so scaling dL^(p) by α
  scales every dL^(k), dW^(k) and dB^(k) by α.
* **Samples as rows inside.** The shuffled data is copied once per epoch into a row-major
  (n, s_0 + 1) block, so a sample or a mini-batch is one contiguous slice. For a batch every
  product is the transpose of the document's: Z^T = A^T Wa^T, since (AB)^T = B^T A^T.
* **Preallocated buffers** and ``out=``; validation happens once, before the loop.

Two ways to run the products, the same formulas in both:

* **BLAS through scipy** (when scipy is installed; it is optional). The update is fused into the
  gradient product: ``ger`` computes Wa ← Wa − α dL [a; 1]^T for one sample and ``gemm`` with
  beta = 1 computes Wa ← Wa − (α/m) dL^T [A | 1] for a batch, so the gradient is never stored and
  the parameters are read and written once per step. The scale α (or α/m) rides on the BLAS
  call's own ``alpha`` argument. Layer k is updated right after w^(k)T dL^(k+1) has been taken
  with the old w^(k), exactly as eq-update, which uses the gradients of the old parameters.
* **numpy only** (the fallback): the gradients of all layers go into one flat buffer that is
  views of ``G[k]``, and one subtraction updates every layer (eq-update).

A step is never left half applied: a Ctrl-C during an epoch is deferred to the end of the
step (:func:`deferred_interrupt`). tests/test_engine.py pins both ways to the plain functions.
"""

from __future__ import annotations

import contextlib
import math
import os
import signal
import threading
from types import SimpleNamespace

import numpy as np

_KNOWN = ("tanh", "sigmoid", "relu", "identity")

#: Use scipy's BLAS wrappers when scipy is installed. Set ``MLPCORE_BLAS=0`` (or this flag to
#: False) to force the numpy-only path.
USE_BLAS = os.environ.get("MLPCORE_BLAS", "1") != "0"

_BLAS_CACHE: dict = {}


def blas_funcs(dtype):
    """scipy's ``gemv``, ``ger`` and ``gemm`` for ``dtype``, or None if they cannot be used.

    A probe checks on small arrays that each call writes in place and agrees with numpy; if
    anything differs (another scipy, another BLAS) the engine falls back to numpy.
    """
    dtype = np.dtype(dtype)
    if dtype in _BLAS_CACHE:
        return _BLAS_CACHE[dtype]
    funcs = None
    try:
        from scipy.linalg import blas
    except ImportError:
        blas = None
    if blas is not None:
        prefix = {np.dtype(np.float64): "d", np.dtype(np.float32): "s"}[dtype]
        funcs = SimpleNamespace(
            gemv=getattr(blas, prefix + "gemv"),
            ger=getattr(blas, prefix + "ger"),
            gemm=getattr(blas, prefix + "gemm"),
        )
        try:
            ok = _probe(funcs, dtype)
        except Exception:  # an unexpected wrapper signature counts as "not usable"
            ok = False
        funcs = funcs if ok else None
    _BLAS_CACHE[dtype] = funcs
    return funcs


def _probe(f, dt) -> bool:
    rng = np.random.default_rng(0)
    W = rng.standard_normal((3, 5)).astype(dt)  # C order; W.T is the Fortran-order view
    x, y = rng.standard_normal(5).astype(dt), rng.standard_normal(3).astype(dt)
    tol = 1e-5 if dt == np.float32 else 1e-12
    z = np.empty(3, dt)
    ok = f.gemv(1.0, W.T, x, 0.0, z, 0, 1, 0, 1, 1, 1) is z and np.allclose(z, W @ x, atol=tol)
    t = np.empty(5, dt)
    ok &= f.gemv(2.0, W.T, y, 0.0, t, 0, 1, 0, 1, 0, 1) is t and np.allclose(t, 2 * W.T @ y)
    V, WT = W.copy(), W.T
    ok &= f.ger(-0.5, x, y, 1, 1, WT, 0, 0, 1) is WT
    ok &= np.allclose(W, V - 0.5 * np.outer(y, x), atol=tol)
    A = rng.standard_normal((4, 5)).astype(dt)  # 4 samples as rows
    Z = np.empty((4, 3), dt)
    ok &= f.gemm(1.0, WT, A.T, 0.0, Z.T, 1, 0, 1) is not None and np.allclose(Z, A @ W.T, atol=tol)
    D = rng.standard_normal((4, 3)).astype(dt)
    V = W.copy()
    ok &= f.gemm(-0.25, A.T, D.T, 1.0, WT, 0, 1, 1) is not None
    ok &= np.allclose(W, V - 0.25 * D.T @ A, atol=tol)
    return bool(ok)


class Diverging(Exception):
    """Internal signal: the step about to be taken produced a non-finite or huge loss."""

    def __init__(self, step: int, value: float):
        self.step, self.value = step, value


@contextlib.contextmanager
def deferred_interrupt():
    """Hold a Ctrl-C (SIGINT) until the current step is complete.

    Yields a one-element list that becomes ``[True]`` when SIGINT arrives; the epoch loops
    check it between steps and return early. On exit the interrupt is delivered as the usual
    ``KeyboardInterrupt``. Outside the main thread it changes nothing.
    """
    flag = [False]
    if threading.current_thread() is not threading.main_thread():
        yield flag
        return
    try:
        previous = signal.getsignal(signal.SIGINT)
    except ValueError:
        previous = None
    if previous is not signal.default_int_handler:  # someone else handles SIGINT: leave it
        yield flag
        return

    def hold(signum, frame):
        flag[0] = True

    signal.signal(signal.SIGINT, hold)
    try:
        yield flag
    finally:
        signal.signal(signal.SIGINT, previous)
    if flag[0]:
        raise KeyboardInterrupt


def _activation(gname, g):
    """out ← g(z), written in place."""
    if gname == "tanh":
        return lambda z, out: np.tanh(z, out=out)
    if gname == "relu":
        return lambda z, out: np.maximum(z, 0.0, out=out)
    if gname == "identity":
        return lambda z, out: np.copyto(out, z)
    if gname == "sigmoid":  # σ(z) = (1 + tanh(z/2)) / 2: no exp, so no overflow

        def sigmoid(z, out):
            np.multiply(z, 0.5, out=out)
            np.tanh(out, out=out)
            np.multiply(out, 0.5, out=out)
            np.add(out, 0.5, out=out)

        return sigmoid
    return lambda z, out: np.copyto(out, g.g(z))


def _gprime(gname, g):
    """out ← g'(z) ⊙ t, the diag(g'(z^(k))) of eq-dLk, from a = g(z) where it can be."""
    multiply, subtract = np.multiply, np.subtract
    if gname == "tanh":  # g' = 1 − tanh² = 1 − a²

        def tanh(t, a, z, out, tmp, mask):
            multiply(a, a, out=tmp)
            subtract(1.0, tmp, out=tmp)
            multiply(t, tmp, out=out)

        return tanh
    if gname == "sigmoid":  # g' = σ(1 − σ) = a(1 − a)

        def sigmoid(t, a, z, out, tmp, mask):
            subtract(1.0, a, out=tmp)
            multiply(tmp, a, out=tmp)
            multiply(t, tmp, out=out)

        return sigmoid
    if gname == "relu":  # g' = 1 where z > 0, i.e. where a > 0 (0 at the kink)

        def relu(t, a, z, out, tmp, mask):
            np.greater(a, 0.0, out=mask)
            multiply(t, mask, out=out)

        return relu
    if gname == "identity":
        return lambda t, a, z, out, tmp, mask: np.copyto(out, t)
    return lambda t, a, z, out, tmp, mask: multiply(t, g.g_prime(z), out=out)


class Engine:
    """Holds the flat parameter buffer and the work buffers for one network and one batch size.

    ``blas``: None uses scipy's BLAS when available (see :data:`USE_BLAS`), False forces numpy,
    True requires scipy (ValueError if it cannot be used).
    """

    def __init__(self, net, loss_name: str, batch: int, dtype, blas: bool | None = None):
        self.s, self.p = net.s, net.p
        self.g = net.g
        self.gname = net.g.name if net.g.name in _KNOWN else None
        self.loss_name = loss_name
        self.batch = batch
        self.dtype = np.dtype(dtype)
        self.blas = blas_funcs(self.dtype) if (USE_BLAS if blas is None else blas) else None
        if blas is True and self.blas is None:
            raise ValueError("scipy's BLAS is not available for this dtype")
        s, p = self.s, self.p
        sizes = [s[k + 1] * (s[k] + 1) for k in range(p)]
        self.flat = np.empty(sum(sizes), self.dtype)
        self.Wa, self._offsets = [], []
        off = 0
        for k in range(p):
            shape = (s[k + 1], s[k] + 1)
            self.Wa.append(self.flat[off : off + sizes[k]].reshape(shape))
            self._offsets.append((off, sizes[k], shape))
            off += sizes[k]
        self.WaT = [w.T for w in self.Wa]  # Fortran-order views, what BLAS wants
        self._gflat = None
        self._act = _activation(self.gname, self.g)
        self._gp = _gprime(self.gname, self.g)
        self._bufs = {}
        self.load(net)

    @property
    def gflat(self):
        """Gradient buffer of the numpy path (α dW, α dB of every layer), made on first use."""
        if self._gflat is None:
            self._gflat = np.empty_like(self.flat)
            self.G = [
                self._gflat[off : off + size].reshape(shape) for off, size, shape in self._offsets
            ]
        return self._gflat

    # -- parameters in and out -------------------------------------------------------------
    def load(self, net) -> None:
        for k in range(self.p):
            self.Wa[k][:, :-1] = net.w[k]
            self.Wa[k][:, -1] = net.b[k]

    def store(self, net) -> None:
        for k in range(self.p):
            net.w[k][...] = self.Wa[k][:, :-1]
            net.b[k][...] = self.Wa[k][:, -1]

    def params_finite(self) -> bool:
        return bool(np.isfinite(self.flat).all())

    # -- one epoch of per-sample steps (document, section 3.1) --------------------------------
    def epoch_single(
        self,
        Xr,
        T,
        alpha: float,
        limit: float,
        start: int,
        stop: int,
        check_params: bool = False,
        interrupt=None,
    ) -> int:
        """Steps ``start..stop-1`` on the rows of ``Xr`` (n, s_0+1) and targets ``T``.

        ``T`` holds class labels (cross-entropy) or target rows (squared error). Returns the
        number of steps taken; raises :class:`Diverging` before a step whose loss is not finite
        or exceeds ``limit``. With ``check_params`` it stops after the last step whose parameters
        are all finite (used to replay an epoch after a divergence). ``interrupt`` (a list from
        :func:`deferred_interrupt`) stops it between two steps.
        """
        run = self._single_blas if self.blas is not None else self._single_numpy
        flag = interrupt if interrupt is not None else [False]
        with np.errstate(all="ignore"):  # overflow is detected and handled, never warned
            return run(Xr, T, float(alpha), limit, start, stop, check_params, flag)

    def _single_setup(self):
        s, p, dt = self.s, self.p, self.dtype
        z = [None] + [np.empty(s[k], dt) for k in range(1, p + 1)]
        aa = [None] + [np.ones(s[k] + 1, dt) for k in range(1, p)]  # [a^(k); 1]
        av = [None] + [aa[k][:-1] for k in range(1, p)]  # a^(k)
        d = [None] + [np.empty(s[k], dt) for k in range(1, p + 1)]  # (scaled) dL^(k)
        tt = [None] + [np.empty(s[k] + 1, dt) for k in range(1, p)]  # [w^(k)T d; b^(k)T d]
        tv = [None] + [tt[k][:-1] for k in range(1, p)]  # w^(k)T dL^(k+1)
        tmp = [None] + [np.empty(s[k], dt) for k in range(1, p)]
        mask = [None] + [np.empty(s[k], bool) for k in range(1, p)]
        return z, aa, av, d, tt, tv, tmp, mask

    def _single_blas(self, Xr, T, alpha, limit, start, stop, check_params, flag):
        p = self.p
        gemv, ger = self.blas.gemv, self.blas.ger
        WaT, flat = self.WaT, self.flat
        z, aa, av, d, tt, tv, tmp, mask = self._single_setup()
        zp, dp = z[p], d[p]
        act, gp = self._act, self._gp
        xent = self.loss_name == "softmax_cross_entropy"
        ones = np.ones(self.s[p], self.dtype)
        dot, exp, subtract, isfinite = np.dot, np.exp, np.subtract, np.isfinite
        log, inf = math.log, math.inf
        scratch = np.empty_like(flat) if check_params else None
        rows = list(Xr[start:stop])
        targets = T[start:stop].tolist() if xent else list(T[start:stop])
        i = start
        for x, y in zip(rows, targets, strict=True):
            if flag[0]:
                break
            if check_params:
                np.copyto(scratch, flat)
            # forward (eq-forward): z^(k+1) = [w^(k) | b^(k)] [a^(k); 1]
            gemv(1.0, WaT[0], x, 0.0, z[1], 0, 1, 0, 1, 1, 1)
            for k in range(1, p):
                act(z[k], av[k])
                gemv(1.0, WaT[k], aa[k], 0.0, z[k + 1], 0, 1, 0, 1, 1, 1)
            # dL^(p) = ∇L(y)(z^(p)) (eq-dLp), as e with dL^(p) = e / c... kept unscaled: the scale
            # c multiplies the products below instead.
            if xent:  # softmax(z) − E_y = (exp(z) − Σexp · E_y) / Σexp
                exp(zp, out=dp)
                se = dot(dp, ones)
                if not 0.0 < se < inf:  # overflow or underflow: redo with the max subtracted
                    m = zp.max()
                    exp(zp - m, out=dp)
                    se = dot(dp, ones)
                    value = log(se) + m - zp[y]
                else:
                    value = log(se) - zp[y]
                if not value <= limit:
                    raise Diverging(i, value)
                dp[y] -= se
                c = alpha / se
            else:
                subtract(zp, y, out=dp)
                value = 0.5 * dot(dp, dp)
                if not value <= limit:
                    raise Diverging(i, value)
                c = alpha
            # eq-dLk, and the update of layer k fused with its gradient (eq-dW, eq-dB, eq-update)
            for k in range(p - 1, 0, -1):
                gemv(c, WaT[k], d[k + 1], 0.0, tt[k], 0, 1, 0, 1, 0, 1)  # c w^(k)T dL^(k+1)
                ger(-c, aa[k], d[k + 1], 1, 1, WaT[k], 0, 0, 1)  # Wa^(k) −= c dL^(k+1)[a;1]^T
                gp(tv[k], av[k], z[k], d[k], tmp[k], mask[k])  # c dL^(k)
                c = 1.0
            ger(-c, x, d[1], 1, 1, WaT[0], 0, 0, 1)  # Wa^(0) −= c dL^(1) [x; 1]^T
            if check_params and not isfinite(flat).all():
                flat[...] = scratch  # never keep a non-finite step
                return i - start
            i += 1
        return i - start

    def _single_numpy(self, Xr, T, alpha, limit, start, stop, check_params, flag):
        p = self.p
        Wa, flat, gflat = self.Wa, self.flat, self.gflat
        G = self.G
        z, aa, av, d, tt, tv, tmp, mask = self._single_setup()
        wT = [None] + [Wa[k][:, :-1].T for k in range(1, p)]  # w^(k)T as a view
        dcol = [None] + [d[k][:, None] for k in range(1, p + 1)]
        arow = [None] + [aa[k][None, :] for k in range(1, p)]
        zp, dp = z[p], d[p]
        act, gp = self._act, self._gp
        xent = self.loss_name == "softmax_cross_entropy"
        ones = np.ones(self.s[p], self.dtype)
        dot, exp, multiply, subtract = np.dot, np.exp, np.multiply, np.subtract
        log, inf, isfinite = math.log, math.inf, np.isfinite
        scratch = np.empty_like(flat) if check_params else None
        rows = list(Xr[start:stop])
        targets = T[start:stop].tolist() if xent else list(T[start:stop])
        i = start
        for x, y in zip(rows, targets, strict=True):
            if flag[0]:
                break
            dot(Wa[0], x, out=z[1])  # forward (eq-forward)
            for k in range(1, p):
                act(z[k], av[k])
                dot(Wa[k], aa[k], out=z[k + 1])
            if xent:  # α dL^(p) = α (softmax(z^(p)) − E_y)  (eq-dLp)
                exp(zp, out=dp)
                se = dot(dp, ones)
                if not 0.0 < se < inf:
                    m = zp.max()
                    exp(zp - m, out=dp)
                    se = dot(dp, ones)
                    value = log(se) + m - zp[y]
                else:
                    value = log(se) - zp[y]
                if not value <= limit:
                    raise Diverging(i, value)
                multiply(dp, alpha / se, out=dp)
                dp[y] -= alpha
            else:
                subtract(zp, y, out=dp)
                value = 0.5 * dot(dp, dp)
                if not value <= limit:
                    raise Diverging(i, value)
                multiply(dp, alpha, out=dp)
            # α dL^(k) (eq-dLk), then [α dW^(k) | α dB^(k)] = α dL^(k+1) [a^(k); 1]^T
            for k in range(p - 1, 0, -1):
                dot(wT[k], d[k + 1], out=tv[k])
                multiply(dcol[k + 1], arow[k], out=G[k])
                gp(tv[k], av[k], z[k], d[k], tmp[k], mask[k])
            multiply(dcol[1], x[None, :], out=G[0])
            if check_params:  # replay after a divergence: never apply a non-finite step
                subtract(flat, gflat, out=scratch)
                if not isfinite(scratch).all():
                    return i - start
                flat[...] = scratch
            else:
                subtract(flat, gflat, out=flat)  # eq-update, every layer at once
            i += 1
        return i - start

    # -- one epoch of mini-batch steps ---------------------------------------------------------
    def epoch_batch(
        self,
        Xr,
        T,
        alpha: float,
        limit: float,
        start: int,
        stop: int,
        check_params: bool = False,
        interrupt=None,
    ) -> int:
        """Mini-batches of ``self.batch`` rows: batches ``start..stop-1`` of the shuffled rows.

        The step uses the mean gradient, α/m Σ over the m samples of the batch; a last batch
        shorter than m is divided by its own size. Same return and signals as ``epoch_single``.
        """
        flag = interrupt if interrupt is not None else [False]
        xent = self.loss_name == "softmax_cross_entropy"
        Yr = self._one_hot_rows(T, start * self.batch, stop * self.batch) if xent else T
        with np.errstate(all="ignore"):
            return self._batch(Xr, Yr, float(alpha), limit, start, stop, check_params, flag)

    def _one_hot_rows(self, labels, lo, hi):
        """The targets as one-hot rows (n, s_p); only rows lo..hi-1 (the batches run) are set."""
        n, sp = labels.shape[0], self.s[self.p]
        Y = self._bufs.get(("Y", n))
        if Y is None:
            Y = self._bufs[("Y", n)] = np.zeros((n, sp), self.dtype)
        hi = min(hi, n)
        Y[lo:hi] = 0.0
        Y[np.arange(lo, hi), labels[lo:hi]] = 1.0
        return Y

    def _batch_buffers(self, r):
        """One set of work buffers per batch length (the last batch may be shorter).

        Hidden layers keep the document's layout, one column per sample: Z[k], D[k] (s_k, r) and
        A[k] (s_k + 1, r) whose last row is ones, so g and g' run on contiguous blocks. The
        output layer is kept as rows, Z[p], D[p] (r, s_p), like the targets. ``Dm[k]`` is dL^(k)
        as (s_k, r) in both cases (a transposed view for k = p).
        """
        key = ("batch", r)
        if key not in self._bufs:
            s, p, dt = self.s, self.p, self.dtype
            Z = [None] + [np.empty((s[k], r), dt) for k in range(1, p)] + [np.empty((r, s[p]), dt)]
            D = [None] + [np.empty((s[k], r), dt) for k in range(1, p)] + [np.empty((r, s[p]), dt)]
            self._bufs[key] = SimpleNamespace(
                Z=Z,
                D=D,
                Zm=Z[:p] + [Z[p].T],
                Dm=D[:p] + [D[p].T],
                A=[None] + [np.ones((s[k] + 1, r), dt) for k in range(1, p)],  # [A; 1]
                Tf=[None] + [np.empty((s[k] + 1, r), dt) for k in range(1, p)],
                tmp=[None] + [np.empty((s[k], r), dt) for k in range(1, p)],
                mask=[None] + [np.empty((s[k], r), bool) for k in range(1, p)],
                se=np.empty(r, dt),
                lse=np.empty(r, dt),
                ones=np.ones(r, dt),
            )
        return self._bufs[key]

    def _batch(self, Xr, Yr, alpha, limit, start, stop, check_params, flag):
        p, m = self.p, self.batch
        n = Xr.shape[0]
        Wa, WaT, flat = self.Wa, self.WaT, self.flat
        blas = self.blas
        if blas is None:
            gflat, G = self.gflat, self.G
        else:
            gemm = blas.gemm
        act, gp = self._act, self._gp
        xent = self.loss_name == "softmax_cross_entropy"
        ones_p = np.ones(self.s[p], self.dtype)
        dot, exp, log, subtract, matmul = np.dot, np.exp, np.log, np.subtract, np.matmul
        isfinite = np.isfinite
        scratch = np.empty_like(flat) if check_params else None
        last = p - 1  # layer whose product gives the output rows
        taken = 0
        for j in range(start, stop):
            if flag[0]:
                break
            lo = j * m
            hi = min(lo + m, n)
            r = hi - lo
            b = self._batch_buffers(r)
            Z, A, D, Dm, Tf = b.Z, b.A, b.D, b.Dm, b.Tf
            X0, Yb = Xr[lo:hi], Yr[lo:hi]
            if check_params:
                np.copyto(scratch, flat)
            # forward (eq-forward): z^(k+1) = [w^(k) | b^(k)] [a^(k); 1] for every sample at once
            if blas is not None:  # gemm works on Fortran-order views: M.T of a C-order M
                if p == 1:
                    gemm(1.0, WaT[0], X0.T, 0.0, Z[1].T, 1, 0, 1)
                else:
                    gemm(1.0, X0.T, WaT[0], 0.0, Z[1].T, 1, 0, 1)
                for k in range(1, p):
                    act(Z[k], A[k][:-1])
                    if k < last:
                        gemm(1.0, A[k].T, WaT[k], 0.0, Z[k + 1].T, 0, 0, 1)
                    else:
                        gemm(1.0, WaT[k], A[k].T, 0.0, Z[k + 1].T, 1, 1, 1)
            else:
                Zm = b.Zm
                matmul(Wa[0], X0.T, out=Zm[1])
                for k in range(1, p):
                    act(Z[k], A[k][:-1])
                    matmul(Wa[k], A[k], out=Zm[k + 1])
            Zp, Dp = Z[p], D[p]
            # dL^(p) of every sample (eq-dLp), one per row; the mean's α/r is applied below
            if xent:  # softmax(z) − y
                exp(Zp, out=Dp)
                dot(Dp, ones_p, out=b.se)  # Σ_i exp(z_i) of each sample
                log(b.se, out=b.lse)
                value = (dot(b.lse, b.ones) - np.vdot(Zp, Yb)) / r
                if not -math.inf < value < math.inf:  # overflow or underflow: stable redo
                    mx = Zp.max(axis=1, keepdims=True)
                    subtract(Zp, mx, out=Dp)
                    exp(Dp, out=Dp)
                    dot(Dp, ones_p, out=b.se)
                    log(b.se, out=b.lse)
                    value = (dot(b.lse, b.ones) + mx.sum() - np.vdot(Zp, Yb)) / r
                if not value <= limit:
                    raise Diverging(lo, value)
                np.divide(Dp, b.se[:, None], out=Dp)
                subtract(Dp, Yb, out=Dp)
            else:
                subtract(Zp, Yb, out=Dp)
                value = 0.5 * np.vdot(Dp, Dp) / r
                if not value <= limit:
                    raise Diverging(lo, value)
            c = alpha / r
            if blas is not None:
                # eq-dLk, and the update of layer k fused into its gradient product (beta = 1)
                for k in range(p - 1, 0, -1):
                    rows = int(k == last)  # dL^(p) is stored as rows
                    gemm(c, D[k + 1].T, WaT[k], 0.0, Tf[k].T, rows, 1, 1)  # c w^(k)T dL^(k+1)
                    gemm(-c, A[k].T, D[k + 1].T, 1.0, WaT[k], 1, rows, 1)  # Wa −= c dL [A;1]^T
                    gp(Tf[k][:-1], A[k][:-1], Z[k], D[k], b.tmp[k], b.mask[k])
                    c = 1.0
                gemm(-c, X0.T, D[1].T, 1.0, WaT[0], 0, int(p == 1), 1)  # Wa^(0) −= c dL [X;1]^T
                if check_params and not isfinite(flat).all():
                    flat[...] = scratch
                    return taken
            else:
                np.multiply(Dp, c, out=Dp)
                for k in range(p - 1, 0, -1):
                    matmul(Dm[k + 1], A[k].T, out=G[k])  # [α dW^(k) | α dB^(k)]
                    matmul(WaT[k], Dm[k + 1], out=Tf[k])  # [w^(k)T dL; b^(k)T dL]
                    gp(Tf[k][:-1], A[k][:-1], Z[k], D[k], b.tmp[k], b.mask[k])
                matmul(Dm[1], X0, out=G[0])
                if check_params:
                    subtract(flat, gflat, out=scratch)
                    if not isfinite(scratch).all():
                        return taken
                    flat[...] = scratch
                else:
                    subtract(flat, gflat, out=flat)
            taken += 1
        return taken
