"""The fast path of :mod:`mlpcore.train`: the same mathematics as ``forward``/``dL``/``dB``/``dW``
with the Python overhead taken out of the loop.

What it changes, and nothing else:

* **Bias folded into the weights.** Layer k keeps one array ``Wa[k] = [w^(k) | b^(k)]`` of shape
  (s_{k+1}, s_k + 1) and every a^(k) carries a trailing 1, so h_k(b, w, a) = [w | b] [a; 1] is one
  product, and [dW^(k) | dB^(k)] = dL^(k+1) [a^(k); 1]^T is one outer product (eq-dW, eq-dB).
* **One update for all layers.** All ``Wa[k]`` are views of one flat buffer, and so are the
  gradients, so w ← w − α dW and b ← b − α dB for every k is a single subtraction (eq-update).
  It is one C call, so a Ctrl-C can never leave a step half applied.
* **α folded into dL^(p).** The recursion (eq-dLk) is linear in dL^(p), so scaling dL^(p) by α
  scales every dL^(k), dW^(k) and dB^(k) by α.
* **Preallocated buffers** and ``out=``; validation happens once, before the loop.
* **Samples as rows inside.** The shuffled data is copied once per epoch into a row-major
  (n, s_0 + 1) block, so a sample or a mini-batch is one contiguous slice. For a batch every
  product is the transpose of the document's: Z^T = A^T Wa^T, since (AB)^T = B^T A^T.

A test (tests/test_train.py) pins this path to the plain per-sample loop of section 3.1.
"""

from __future__ import annotations

import math

import numpy as np

_KNOWN = ("tanh", "sigmoid", "relu", "identity")


class Diverging(Exception):
    """Internal signal: the step about to be taken produced a non-finite or huge loss."""

    def __init__(self, step: int, value: float):
        self.step, self.value = step, value


class Engine:
    """Holds the flat parameter buffer and the work buffers for one network and one batch size."""

    def __init__(self, net, loss_name: str, batch: int, dtype):
        self.s, self.p = net.s, net.p
        self.g = net.g
        self.gname = net.g.name if net.g.name in _KNOWN else None
        self.loss_name = loss_name
        self.batch = batch
        self.dtype = np.dtype(dtype)
        s, p = self.s, self.p
        sizes = [s[k + 1] * (s[k] + 1) for k in range(p)]
        self.flat = np.empty(sum(sizes), self.dtype)
        self.gflat = np.empty_like(self.flat)
        self.Wa, self.G = [], []
        off = 0
        for k in range(p):
            shape = (s[k + 1], s[k] + 1)
            self.Wa.append(self.flat[off : off + sizes[k]].reshape(shape))
            self.G.append(self.gflat[off : off + sizes[k]].reshape(shape))
            off += sizes[k]
        self.load(net)

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

    # -- g'(z^(k)) computed from a^(k) = g(z^(k)) where it can be -----------------------------
    def _backprop_gprime(self, t, a, z, out, tmp):
        """out = g'(z) ⊙ t, the diag(g'(z^(k))) of eq-dLk, written in place."""
        gname = self.gname
        if gname == "tanh":  # g' = 1 − tanh² = 1 − a²
            np.multiply(a, a, out=tmp)
            np.subtract(1.0, tmp, out=tmp)
            np.multiply(t, tmp, out=out)
        elif gname == "sigmoid":  # g' = σ(1 − σ) = a(1 − a)
            np.subtract(1.0, a, out=tmp)
            np.multiply(tmp, a, out=tmp)
            np.multiply(t, tmp, out=out)
        elif gname == "relu":  # g' = 1 where z > 0, i.e. where a > 0
            np.greater(a, 0.0, out=tmp)
            np.multiply(t, tmp, out=out)
        elif gname == "identity":
            np.copyto(out, t)
        else:
            np.multiply(t, self.g.g_prime(z), out=out)

    def _activate(self, z, out):
        if self.gname == "tanh":
            np.tanh(z, out=out)
        else:
            np.copyto(out, self.g(z))

    # -- one epoch of per-sample steps (document, section 3.1) --------------------------------
    def epoch_single(
        self, Xr, T, alpha: float, limit: float, start: int, stop: int, check_params: bool = False
    ) -> int:
        """Steps ``start..stop-1`` on the rows of ``Xr`` (n, s_0+1) and targets ``T``.

        ``T`` holds class labels (cross-entropy) or target rows (squared error). Returns the
        number of steps taken; raises :class:`Diverging` before a step whose loss is not finite
        or exceeds ``limit``. With ``check_params`` it stops after the last step whose parameters
        are all finite (used to replay an epoch after a divergence).
        """
        s, p, dt = self.s, self.p, self.dtype
        Wa, G = self.Wa, self.G
        z = [None] + [np.empty(s[k], dt) for k in range(1, p + 1)]
        aa = [None] + [np.ones(s[k] + 1, dt) for k in range(1, p)]  # [a^(k); 1]
        av = [None] + [aa[k][:-1] for k in range(1, p)]  # a^(k)
        d = [None] + [np.empty(s[k], dt) for k in range(1, p + 1)]  # α dL^(k)
        t = [None] + [np.empty(s[k], dt) for k in range(1, p)]
        tmp = [None] + [np.empty(s[k], dt) for k in range(1, p)]
        wT = [None] + [Wa[k][:, :-1].T for k in range(1, p)]  # w^(k)T as a view
        dcol = [None] + [d[k][:, None] for k in range(1, p + 1)]
        arow = [None] + [aa[k][None, :] for k in range(1, p)]
        zp, dp = z[p], d[p]
        xent = self.loss_name == "softmax_cross_entropy"
        ones = np.ones(s[p], dt)
        dot, exp, multiply, subtract = np.dot, np.exp, np.multiply, np.subtract
        flat, gflat, isfinite = self.flat, self.gflat, np.isfinite
        backprop, activate = self._backprop_gprime, self._activate
        log = math.log
        scratch = np.empty_like(flat) if check_params else None
        for i in range(start, stop):
            x = Xr[i]
            # forward (eq-forward), recording a^(k) and z^(k)
            dot(Wa[0], x, out=z[1])
            for k in range(1, p):
                activate(z[k], av[k])
                dot(Wa[k], aa[k], out=z[k + 1])
            # α dL^(p) = α ∇L(y)(z^(p))  (eq-dLp)
            if xent:
                y = T[i]
                exp(zp, out=dp)
                se = dot(dp, ones)
                if not 0.0 < se < math.inf:  # overflow: redo with the max subtracted
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
                subtract(zp, T[i], out=dp)
                value = 0.5 * dot(dp, dp)
                if not value <= limit:
                    raise Diverging(i, value)
                multiply(dp, alpha, out=dp)
            # α dL^(k) (eq-dLk), then [α dW^(k) | α dB^(k)] = α dL^(k+1) [a^(k); 1]^T (eq-dW, eq-dB)
            for k in range(p - 1, 0, -1):
                dot(wT[k], d[k + 1], out=t[k])
                multiply(dcol[k + 1], arow[k], out=G[k])
                backprop(t[k], av[k], z[k], d[k], tmp[k])
            multiply(dcol[1], x[None, :], out=G[0])
            if check_params:  # replay after a divergence: never apply a non-finite step
                subtract(flat, gflat, out=scratch)
                if not isfinite(scratch).all():
                    return i - start
                flat[...] = scratch
            else:
                subtract(flat, gflat, out=flat)  # eq-update, every layer at once
        return stop - start

    # -- one epoch of mini-batch steps ---------------------------------------------------------
    def epoch_batch(
        self, Xr, T, alpha: float, limit: float, start: int, stop: int, check_params: bool = False
    ) -> int:
        """Mini-batches of ``self.batch`` rows: batches ``start..stop-1`` of the shuffled rows.

        The step uses the mean gradient, α/m Σ over the m samples of the batch; a last batch
        shorter than m is divided by its own size. Same return and signals as ``epoch_single``.
        """
        s, p, dt, m = self.s, self.p, self.dtype, self.batch
        n = Xr.shape[0]
        Wa, G = self.Wa, self.G
        xent = self.loss_name == "softmax_cross_entropy"
        flat, gflat = self.flat, self.gflat
        scratch = np.empty_like(flat) if check_params else None
        bufs = {}

        def buffers(r):  # one set per batch length (the last batch may be shorter)
            if r not in bufs:
                Z = [None] + [np.empty((r, s[k]), dt) for k in range(1, p + 1)]
                A = [None] + [np.ones((r, s[k] + 1), dt) for k in range(1, p)]
                D = [None] + [np.empty((r, s[k]), dt) for k in range(1, p + 1)]
                tmp = [None] + [np.empty((r, s[k]), dt) for k in range(1, p)]
                Tb = [None] + [np.empty((r, s[k]), dt) for k in range(1, p)]
                bufs[r] = Z, A, D, tmp, Tb
            return bufs[r]

        taken = 0
        for j in range(start, stop):
            lo = j * m
            hi = min(lo + m, n)
            r = hi - lo
            Z, A, D, tmp, Tb = buffers(r)
            X0 = Xr[lo:hi]
            np.matmul(X0, Wa[0].T, out=Z[1])  # Z^(1)T = [X; 1]^T Wa^(0)T
            for k in range(1, p):
                self._activate(Z[k], A[k][:, :-1])
                np.matmul(A[k], Wa[k].T, out=Z[k + 1])
            Zp, Dp = Z[p], D[p]
            if xent:
                labels = T[lo:hi]
                mx = Zp.max(axis=1, keepdims=True)
                np.subtract(Zp, mx, out=Dp)
                np.exp(Dp, out=Dp)
                se = Dp.sum(axis=1, keepdims=True)
                rows = np.arange(r)
                value = float(np.mean(np.log(se[:, 0]) + mx[:, 0] - Zp[rows, labels]))
                if not value <= limit:
                    raise Diverging(lo, value)
                np.divide(Dp, se, out=Dp)
                Dp[rows, labels] -= 1.0
            else:
                np.subtract(Zp, T[lo:hi], out=Dp)
                value = 0.5 * float(np.einsum("ij,ij->", Dp, Dp)) / r
                if not value <= limit:
                    raise Diverging(lo, value)
            np.multiply(Dp, alpha / r, out=Dp)
            for k in range(p - 1, 0, -1):
                np.matmul(D[k + 1].T, A[k], out=G[k])
                np.matmul(D[k + 1], Wa[k][:, :-1], out=Tb[k])  # (w^(k)T dL^(k+1))^T
                self._backprop_gprime(Tb[k], A[k][:, :-1], Z[k], D[k], tmp[k])
            np.matmul(D[1].T, X0, out=G[0])
            if check_params:
                np.subtract(flat, gflat, out=scratch)
                if not np.isfinite(scratch).all():
                    return taken
                flat[...] = scratch
            else:
                np.subtract(flat, gflat, out=flat)
            taken += 1
        return taken
