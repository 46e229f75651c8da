"""The fast backend of :func:`mlpcore.sgd`: the formulas of forward/dL/dB/dW with the Python
overhead taken out of the loop. ``tests/test_backends.py`` pins it to the plain loop of steps.

(Longer than 200 lines because the per-sample and the mini-batch loops belong together: they
share the parameter buffer, the loaders and the kernels, and differ only in the products and
in how the samples are gathered.)

What it changes, and nothing else:

* **Bias folded into the weights.** Layer k keeps ``Wa[k] = [w^(k) | b^(k)]`` of shape
  (s_{k+1}, s_k + 1) and every a^(k) carries a trailing 1, so h_k(b, w, a) = [w | b] [a; 1] is one
  product, and [dW^(k) | dB^(k)] = dL^(k+1) [a^(k); 1]^T is one (eq-dW, eq-dB). All ``Wa[k]``
  are views of one flat buffer. A gathered mini-batch carries its row (or column) of ones
  too: ``np.take`` fills the block beside it straight from X.
* **Training in the network's own arrays.** A :class:`~mlpcore.network.Network` holds its
  parameters in that very layout (:func:`~mlpcore.network.folded`), so the flat buffer is the
  network's: nothing is copied in or out, and the only copy is the epoch's snapshot, for the
  replay after a divergence. If ``net.w`` or ``net.b`` hold other arrays (``net.b = [...]``),
  the backend trains in a buffer of its own and copies them in and out (:meth:`Fast.load`).
* **The update fused into the gradient product.** ``ger`` computes Wa ← Wa − c dL [a; 1]^T for
  one sample and ``gemm`` with beta = 1 computes Wa ← Wa − c dL^T [A | 1] for a batch: the
  gradient is never stored. Layer k is updated right after w^(k)T dL^(k+1) has been taken with
  the old w^(k), as eq-update, which uses the gradients of the old parameters. The scale
  c = α (α/m for a batch, eq-minibatch) rides on dL^(p): the recursion (eq-dLk) is linear in it.
* **Gathering, never the whole data.** One sample at a time, the shuffled samples are gathered
  a chunk at a time (a few hundred at most, about 1/64 of the data) into a row-major
  (C, s_0 + 1) block [x^T 1] in the network's dtype, so that a sample is one contiguous row.
  A mini-batch is gathered alone into buffers sized once for the batch size (the last,
  shorter batch uses the start of them): as columns [X; 1] (s_0 + 1, m) from a C-ordered X,
  as rows [X^T 1] (m, s_0 + 1) from an F-ordered one, by ``np.take`` with ``out=`` when X has
  the network's dtype, else through a batch-sized cast. The output layer is kept as rows,
  Z^T = A^T Wa^T, since (AB)^T = B^T A^T; BLAS's transpose flags absorb every layout.
* **Kernels.** g, g' and the loss run as the in-place kernels that the Activation and Loss
  objects carry (``Activation.kernel``, ``Loss.kernel``); an object without one is called as is.
* **Buffers kept for the next call.** The model-sized buffer (the snapshot's, or the
  parameters' when they are copied in) and the mini-batch work buffer (with its views) go back
  to a one-slot store when the run ends (:meth:`Fast.close`), and the next Fast that fits
  takes them: a fresh buffer of a few MB costs its page faults on first touch (about 4 ms a
  call on a 784-1024-1024-10 network, an eighth of a step), and building the views costs about
  40 µs a call. A buffer is taken out of the store while in use, so two runs never share one.
* **Few calls per step.** Each numpy or BLAS call on these small arrays costs about half a
  microsecond whatever its size, so the loops take each layer's operands from one tuple, and
  the kernels avoid calls (a loss's sum is one dot, see :class:`~mlpcore.losses.LossKernel`).

The products go through scipy's BLAS wrappers when scipy is installed, else through
:data:`NUMPY_BLAS`, the same calls written with numpy (slower, same numbers up to rounding).
"""

from __future__ import annotations

import functools
import math
from types import SimpleNamespace

import numpy as np

from ._validate import all_finite
from .activations import Kernel
from .losses import LossKernel
from .network import count_params, folded, own_buffer
from .run import Diverging, chunk_size

# -- the products ------------------------------------------------------------------------------


def _np_gemv(alpha, a, x, beta, y, offx, incx, offy, incy, trans, overwrite_y):
    if beta == 0.0:
        np.dot(a.T if trans else a, x, out=y)
        y *= alpha
    else:  # beta = 1: the bias's update
        y += alpha * np.dot(a.T if trans else a, x)
    return y


def _np_ger(alpha, x, y, incx, incy, a, offx, offy, overwrite_a):
    a += alpha * np.outer(x, y)
    return a


def _np_gemm(alpha, a, b, beta, c, trans_a, trans_b, overwrite_c):
    A, B = (a.T if trans_a else a), (b.T if trans_b else b)
    if beta == 0.0:
        np.matmul(A, B, out=c)
        c *= alpha
    else:  # beta = 1: the fused update
        c += alpha * (A @ B)
    return c


#: scipy.linalg.blas's gemv, ger and gemm, in their signatures, written with numpy.
NUMPY_BLAS = SimpleNamespace(gemv=_np_gemv, ger=_np_ger, gemm=_np_gemm)


@functools.cache
def scipy_blas(dtype):
    """scipy's gemv, ger and gemm for ``dtype``, or None without scipy (or if they misbehave:
    a probe checks on small arrays that each writes in place and agrees with numpy)."""
    try:
        from scipy.linalg import blas
    except ImportError:
        return None
    dt = np.dtype(dtype)
    pre = "d" if dt == np.float64 else "s"
    f = SimpleNamespace(**{n: getattr(blas, pre + n) for n in ("gemv", "ger", "gemm")})
    rng = np.random.default_rng(0)
    W, x, y = (rng.standard_normal(s).astype(dt) for s in ((3, 5), 5, 3))
    A, D = rng.standard_normal((4, 5)).astype(dt), rng.standard_normal((4, 3)).astype(dt)
    ok = True
    for args in (
        lambda b: (1.5, W.T.copy(order="F"), x, 0.0, np.empty(3, dt), 0, 1, 0, 1, 1, 1),
        lambda b: (-0.5, x, y, 1, 1, W.T.copy(order="F"), 0, 0, 1),
        lambda b: (
            -0.25,
            A.T.copy(order="F"),
            D.T.copy(order="F"),
            1.0,
            W.T.copy(order="F"),
            0,
            1,
            1,
        ),  # fmt: skip
    ):
        name = {11: "gemv", 9: "ger", 8: "gemm"}[len(args(0))]
        mine, ref = args(0), args(0)
        out = getattr(f, name)(*mine)
        ok &= out is mine[{"gemv": 4, "ger": 5, "gemm": 4}[name]]
        want = getattr(NUMPY_BLAS, name)(*ref)
        ok &= np.allclose(out, want, atol=1e-5 if dt == np.float32 else 1e-12)
    return f if ok else None


# -- buffers kept between calls ----------------------------------------------------------------

# What the last closed Fast left for the next: "flat", its model-sized buffer (its copy of the
# parameters, or the epoch's snapshot when it trained in the network's own); "work", (key,
# buffer, views, ones, labels) of its mini-batch work arrays, for a Fast of the same key (shapes,
# dtype, batch size, layout). A Fast takes an entry out (pop, atomic under the GIL) before using
# it, so no two runs ever share one.
_SPARE: dict = {}


def _spare_flat(size: int, dt) -> np.ndarray:
    """An uninitialised model-sized buffer of ``size`` entries of ``dt``: the spare one if it fits
    (same dtype, at most twice the size: a larger one is not kept alive), else a new one."""
    spare = _SPARE.pop("flat", None)
    if spare is not None and spare.dtype == dt and size <= spare.size <= 2 * size:
        return spare[:size]
    return np.empty(size, dt)


# -- kernels for objects that carry none -------------------------------------------------------


def activation_kernel(g) -> Kernel:
    """``g.kernel``, or g and g' called as they are (a custom Activation)."""
    if g.kernel is not None:
        return g.kernel
    return Kernel(
        g.g,
        g.g_prime,
        lambda z, out: np.copyto(out, g.g(z)),
        lambda t, z, a, out, tmp: np.multiply(t, g.g_prime(z), out=out),
    )


def loss_kernel(loss) -> LossKernel:
    """``loss.kernel``, or L and ∇L called as they are (a custom Loss), on target vectors."""
    if loss.kernel is not None:
        return loss.kernel

    def one(z, y, d, ones):
        d[...] = loss.grad(y, z)
        return loss.L(y, z), 1.0

    def batch(Z, Y, D, w):  # the Loss takes samples as columns
        D[...] = loss.grad(Y.T, Z.T).T
        return loss.L(Y.T, Z.T)

    return LossKernel(loss.L, loss.grad, one, batch)


class Fast:
    """The fast backend for one network, loss and batch size (the interface: :mod:`mlpcore.run`)."""

    def __init__(self, net, loss, batch_size: int, data):
        self.s, self.p, self.m = net.s, net.p, batch_size
        self.dt = dt = np.dtype(net.dtype)
        self.blas = scipy_blas(dt) or NUMPY_BLAS
        g, self.L = activation_kernel(net.g), loss_kernel(loss)
        self.act, self.gp, self.from_a = g.apply, g.backprop, g.from_a
        s, p = self.s, self.p
        own = own_buffer(net)  # train in the network's arrays, or in a buffer of our own
        self._mine = own is None  # a buffer of ours, handed on by close()
        self.flat = _spare_flat(count_params(s), dt) if self._mine else own
        self._snap = None  # the epoch's snapshot when the network's arrays are trained in
        self.Wa = folded(s, self.flat)
        self.wb = [(w[:, :-1], w[:, -1]) for w in self.Wa]  # views of w^(k) and b^(k)
        self.WaT = [w.T for w in self.Wa]  # Fortran-order views, what BLAS wants
        if batch_size == 1:  # a chunk of samples as rows [x^T 1]
            self.C = chunk_size(data, 1)
            self.Xr = np.ones((self.C, s[0] + 1), dt)
            self.Yr = np.zeros((self.C, s[p]), dt)
        else:  # one batch at a time, in buffers sized once (see _work)
            self.rows = not data.X.flags.c_contiguous  # gathered as rows (r, s_0) if so
            label = data.T.dtype if data.T.ndim == 1 else np.dtype(np.intp)
            self._key = (tuple(s), dt, batch_size, self.rows, label, self.from_a)
            self._r, self._ops = None, {}
            spare = _SPARE.pop("work", None)  # the last run's arrays and views, if they fit
            if spare is not None and spare[0] == self._key:
                self._buf, self._bufs, self._ones, self._label = spare[1:]
            else:
                self._buf, self._bufs = np.empty(0, dt), {}
                self._ones = np.ones(max(batch_size, s[p]), dt)
                self._label = np.empty(batch_size, label)
            self._eye = np.eye(s[p], dtype=dt)
            if self.L.labels:  # the kernel takes −one-hot rows (see LossKernel)
                self._eye = -self._eye
            self.take = (
                data.X.dtype == dt and (data.X.T if self.rows else data.X).flags.c_contiguous
            )
        self.vectors = self._vectors() if batch_size == 1 else None
        self.net = net
        self.load(net)

    # -- parameters in and out ----------------------------------------------------------------
    def load(self, net) -> None:
        """Take the parameters from ``net``: nothing to do when its arrays are the buffer's
        views (they may have been put elsewhere since, by a callback: then copied in)."""
        self.net = net
        self.shared = own_buffer(net) is self.flat
        if not self.shared:
            for (w, b), nw, nb in zip(self.wb, net.w, net.b, strict=True):
                w[...], b[...] = nw, nb

    def store(self, net) -> None:
        if not self.shared:
            for (w, b), nw, nb in zip(self.wb, net.w, net.b, strict=True):
                nw[...], nb[...] = w, b

    def snapshot(self):
        """The epoch's start: a copy of the buffer when it is the network's (even if a callback
        has since put some of the network's arrays elsewhere), else None: the network's own
        arrays hold it until the run stores into them."""
        if self._mine:
            return None
        if self._snap is None:
            self._snap = _spare_flat(self.flat.size, self.dt)
        np.copyto(self._snap, self.flat)
        return self._snap

    def restore(self, snapshot) -> None:
        if snapshot is None:
            self.load(self.net)
        else:
            np.copyto(self.flat, snapshot)

    def finite(self) -> bool:
        return all_finite(self.flat)

    def close(self) -> None:
        """The run is over: the buffers go to the next Fast (this one must not be used again)."""
        if self.flat is None:  # closed already
            return
        spare = self.flat if self._mine else self._snap  # never the network's own buffer
        if spare is not None:
            _SPARE["flat"] = spare if spare.base is None else spare.base
        if self.m > 1 and self._buf.size:
            _SPARE["work"] = (self._key, self._buf, self._bufs, self._ones, self._label)
        self.flat = self._buf = self._bufs = self._snap = None

    # -- steps ----------------------------------------------------------------------------------
    def steps(self, data, order, start, stop, alpha, limit, flag, safe=False):
        """Steps ``start..stop-1`` of the epoch whose sample order is ``order``.

        Returns (steps taken, sum of their per-sample losses); see :mod:`mlpcore.run`.
        """
        if self.m > 1:
            return self._batches(data, order, start, stop, alpha, limit, flag, safe)
        n, C = order.size, self.C
        taken, total = 0, 0.0
        for lo in range(start, min(stop, n), C):  # (the Run ignores overflow)
            hi = min(lo + C, stop, n)
            X, Y = self._gather(data, order[lo:hi])
            t, v = self._single(X, Y, alpha, limit, flag, safe, start + taken)
            taken, total = taken + t, total + v
            if t < hi - lo:
                break
        return taken, total

    def _gather(self, data, idx):
        """Samples ``idx`` as rows [x^T 1] and their targets, for the per-sample loop."""
        r = idx.size
        X = self.Xr[:r]
        X[:, :-1] = data.X.T[idx]  # a chunk's copy, cast to the network's dtype
        if data.T.ndim == 1 and self.L.labels:
            return X, data.T[idx].tolist()
        Y = self.Yr[:r]
        if data.T.ndim == 1:  # class labels: one-hot rows
            Y[...] = 0.0
            Y[np.arange(r), data.T[idx]] = 1.0
        else:
            Y[...] = data.T.T[idx]
        return X, list(Y)

    def _vectors(self):
        """Work vectors of one sample: z^(k), [a^(k); 1], c dL^(k), c [w | b]^T dL, ..."""
        s, p, dt = self.s, self.p, self.dt
        z = [None] + [np.empty(s[k], dt) for k in range(1, p + 1)]
        aa = [None] + [np.ones(s[k] + 1, dt) for k in range(1, p)]  # [a^(k); 1]
        av = [None] + [v[:-1] for v in aa[1:]]  # a^(k)
        d = [None] + [np.empty(s[k], dt) for k in range(1, p + 1)]  # c dL^(k)
        tt = [None] + [np.empty(s[k] + 1, dt) for k in range(1, p)]  # c [w^(k) | b^(k)]^T dL
        tv = [None] + [v[:-1] for v in tt[1:]]
        tmp = [None] + [np.empty(s[k], dt) for k in range(1, p)]
        return z, aa, av, d, tt, tv, tmp, np.ones(s[p], dt)

    def _single(self, rows, targets, alpha, limit, flag, safe, i0):
        p = self.p
        gemv, ger = self.blas.gemv, self.blas.ger
        WaT, flat, act, gp, one = self.WaT, self.flat, self.act, self.gp, self.L.one
        z, aa, av, d, tt, tv, tmp, ones = self.vectors
        W0, z1, d1, zp, dp = WaT[0], z[1], d[1], z[p], d[p]
        # each layer's operands as one tuple: the loop below indexes no list
        fwd = [(act, z[k], av[k], WaT[k], aa[k], z[k + 1]) for k in range(1, p)]
        bwd = [(WaT[k], d[k + 1], tt[k], aa[k], tv[k], z[k], av[k], d[k], tmp[k])
               for k in range(p - 1, 0, -1)]  # fmt: skip
        scratch = np.empty_like(flat) if safe else None
        taken, total = 0, 0.0
        for x, y in zip(rows, targets, strict=True):
            if flag[0]:
                break
            if safe:
                np.copyto(scratch, flat)
            gemv(1.0, W0, x, 0.0, z1, 0, 1, 0, 1, 1, 1)  # z = [w | b][a; 1] (eq-forward)
            for g, zk, ak, W, aak, znext in fwd:
                g(zk, ak)
                gemv(1.0, W, aak, 0.0, znext, 0, 1, 0, 1, 1, 1)
            value, c = one(zp, y, dp, ones)  # dL^(p) = c dp (eq-dLp)
            if not value <= limit:
                raise Diverging(i0 + taken, value)
            c *= alpha
            for W, dnext, t, aak, tk, zk, ak, dk, tmpk in bwd:  # eq-dLk, layer k's update fused
                gemv(c, W, dnext, 0.0, t, 0, 1, 0, 1, 0, 1)  # c w^(k)T dL^(k+1)
                ger(-c, aak, dnext, 1, 1, W, 0, 0, 1)  # Wa^(k) −= c dL [a; 1]^T
                gp(tk, zk, ak, dk, tmpk)  # c dL^(k)
                c = 1.0
            ger(-c, x, d1, 1, 1, W0, 0, 0, 1)  # Wa^(0) −= c dL^(1) [x; 1]^T
            if safe and not all_finite(flat):
                flat[...] = scratch  # never keep a non-finite step
                break
            taken += 1
            total += value
        return taken, total

    def _work(self, r):
        """Work arrays for a batch of r <= m samples, views of buffers sized once for m.

        The gathered batch X (s_0 + 1, r) and the hidden layers keep the document's layout, one
        column per sample: Z[k] (s_k, r), A[k] and Tf[k] (s_k + 1, r) whose last row is ones
        (for A) or the bias row (of Tf, unused); D[k] is Tf[k] without it. When g' is taken
        from a alone (``Kernel.from_a``), Z[k] is A[k] without its ones: g(z) is written over
        z, which nothing reads again (a layer's arrays then pass through the caches once, not
        twice: on a 1024 × 256 float64 layer, 2 MB, the size of a core's L2). The output layer is
        kept as rows, Z[p], D[p] (r, s_p), like the targets Y; Z[p] is followed by lse (r,) and
        Y by ones (r,), so that the loss's sum is one dot (see LossKernel). Every view of a
        shorter last batch is the start of the same buffer, so it needs no memory of its own.
        """
        w = self._bufs.get(r)
        if w is None:
            s, p, m, buf = self.s, self.p, self.m, self._buf
            hidden = range(1, p)
            shapes = dict(
                X=[(r, s[0] + 1) if self.rows else (s[0] + 1, r)], Yo=[(r * (s[p] + 1),)],
                tmp=[(max(s[1:p], default=0), r)],
                Z=[] if self.from_a else [(s[k], r) for k in hidden], Zl=[(r * (s[p] + 1),)],
                A=[(s[k] + 1, r) for k in hidden], Tf=[(s[k] + 1, r) for k in hidden],
                D=[(r, s[p])], se=[(r,)],
            )  # fmt: skip
            total = sum(math.prod(sh) for shs in shapes.values() for sh in shs) * m // r
            if buf.size < total:  # the first call: one buffer, sized for the full batch
                buf = self._buf = np.empty(total, self.dt)
            views, at = {}, 0
            for name, shape_list in shapes.items():
                views[name] = []
                for shape in shape_list:
                    size = math.prod(shape)
                    views[name].append(buf[at : at + size].reshape(shape))
                    at += size * m // r  # where the full batch's arrays start
            zl, yo, rs = views["Zl"][0], views["Yo"][0], r * s[p]  # [Z^(p) | lse], [Y | ones]
            A = [None, *views["A"]]
            Z = [None, *(views["Z"] or [A[k][:-1] for k in hidden]), zl[:rs].reshape(r, s[p])]
            D, Tf = [None] * p + views["D"], [None, *views["Tf"]]
            for k in hidden:
                D[k] = Tf[k][:-1]  # g'(z) ⊙ (w^T dL) is written over w^T dL (contiguous rows)
            X = views["X"][0]
            w = self._bufs[r] = SimpleNamespace(
                X=X, Xd=X[:, :-1] if self.rows else X[:-1], Y=yo[:rs].reshape(r, s[p]),
                zl=zl, yo=yo, lse=zl[rs:],
                Z=Z, D=D, Tf=Tf, A=A,
                tmp=[None] + [views["tmp"][0].reshape(-1)[: s[k] * r].reshape(s[k], r)
                              for k in hidden],
                se=views["se"][0], se_col=views["se"][0][:, None],
                ones_p=self._ones[: s[p]], ones_r=self._ones[:r], label=self._label[:r],
            )  # fmt: skip
        if self._r != r:  # the ones rows of the bias, where this r's views have them
            self._r = r
            for a in w.A[1:]:
                a[-1] = 1.0
            w.yo[r * self.s[-1] :] = 1.0  # the ones after Y
            if self.rows:
                w.X[:, -1] = 1.0
            else:
                w.X[-1] = 1.0
        return w

    def _operands(self, w):
        """The work arrays that a step of ``_batches`` uses, each layer's as one tuple."""
        p, WaT, act, last = self.p, self.WaT, self.act, self.p - 1
        Z, D, A = w.Z, w.D, w.A
        fwd = [(act, Z[k], A[k][:-1], A[k].T, WaT[k], Z[k + 1].T, k < last) for k in range(1, p)]
        bwd = [(D[k + 1].T, WaT[k], w.Tf[k].T, int(k == last), A[k].T, D[k], Z[k], A[k][:-1],
                w.tmp[k]) for k in range(p - 1, 0, -1)]  # fmt: skip
        return w, w.Xd, w.Y, w.label, Z[p], D[p], w.X.T, D[1].T, Z[1].T, fwd, bwd

    def _batches(self, data, order, start, stop, alpha, limit, flag, safe):
        """Steps start..stop-1 of mini-batches: each batch gathered, then one step."""
        p, m, WaT, flat = self.p, self.m, self.WaT, self.flat
        gemm, gp, batch = self.blas.gemm, self.gp, self.L.batch
        X, T, take, labels, eye = data.X, data.T, self.take, data.T.ndim == 1, self._eye
        xt = int(self.rows)  # the batch as rows: X^T in BLAS's terms
        Xs, W0, dr = (X.T if xt else X), WaT[0], int(p == 1)  # dL^(p) is stored as rows
        scratch = np.empty_like(flat) if safe else None
        taken, total, r0 = 0, 0.0, 0
        for j in range(start, stop):
            if flag[0]:
                break
            idx = order[j * m : (j + 1) * m]
            r = idx.size
            if r != r0:  # the work arrays of r samples, and each layer's operands as a tuple
                r0, w, ops = r, self._work(r), self._ops.get(r)
                if ops is None:  # once per batch size and run
                    ops = self._ops[r] = self._operands(w)
                w, Xd, Yb, label, Zp, Dp, XbT, D1T, Z1T, fwd, bwd = ops
            if take:  # the batch's columns or rows, straight into the buffer
                Xs.take(idx, 1 - xt, Xd, "clip")
            else:  # (a batch-sized temporary: another dtype, or a strided X)
                Xd[...] = Xs[idx] if xt else X[:, idx]
            if labels:  # one-hot rows: rows of the identity
                T.take(idx, 0, label, "clip")
                eye.take(label, 0, Yb, "clip")
            else:
                Yb[...] = T[:, idx].T
            if safe:
                np.copyto(scratch, flat)
            # forward (eq-forward) for every sample at once; gemm takes Fortran-order views
            if p == 1:  # z^(1) = [w^(0) | b^(0)] [X; 1], as rows
                gemm(1.0, W0, XbT, 0.0, Z1T, 1, 1 - xt, 1)
            else:
                gemm(1.0, XbT, W0, 0.0, Z1T, xt, 0, 1)
            for g, zk, ak, AkT, W, ZnT, inner in fwd:
                g(zk, ak)
                if inner:
                    gemm(1.0, AkT, W, 0.0, ZnT, 0, 0, 1)
                else:
                    gemm(1.0, W, AkT, 0.0, ZnT, 1, 1, 1)
            value = batch(Zp, Yb, Dp, w)  # dL^(p) of each sample, as rows (eq-dLp)
            if not value / r <= limit:
                raise Diverging(j, value / r)
            c = alpha / r  # the mean gradient (eq-minibatch)
            for DnT, W, TfT, rows, AkT, dk, zk, ak, tmpk in bwd:  # eq-dLk, layer k's update fused
                gemm(c, DnT, W, 0.0, TfT, rows, 1, 1)  # c w^(k)T dL^(k+1)
                gemm(-c, AkT, DnT, 1.0, W, 1, rows, 1)  # Wa −= c dL [A; 1]^T (beta = 1)
                gp(dk, zk, ak, dk, tmpk)
                c = 1.0
            gemm(-c, XbT, D1T, 1.0, W0, 1 - xt, dr, 1)  # Wa^(0) −= c dL^(1) [X; 1]^T
            if safe and not all_finite(flat):
                flat[...] = scratch
                break
            taken += 1
            total += value
        return taken, total
