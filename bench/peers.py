"""The workloads, the floor and the peers that `bench/run.py` times side by side.

A runner does ``run(steps)`` steps of its workload, on the first ``steps * m`` samples, and
names the thread pools it uses (``pools``: the folders of their libraries, as threadpoolctl
reports them).
"""

from __future__ import annotations

import inspect

import numpy as np

import mlpcore

SCE, SE = "softmax_cross_entropy", "squared_error"
B = (784, 1024, 1024, 10)


def _wl(name, s, g, loss, m, dtype, alpha, data, steps=None, layout="columns", quick=False):
    # steps: per timed call (B); None: EPOCHS epochs of the data set per timed call, as the
    # README's example trains (one sgd call, several epochs: its set-up is paid once per call).
    # layout: how mlpcore.sgd gets X: "columns", a C-ordered (s_0, n) array as data.digits
    # gives it; "rows", the (n, s_0) samples as made, with layout="rows", as the README advises
    # for a data set held as rows (B's is: it is made as rows, and every peer takes it so).
    return dict(locals())


BR = "B: 784-1024-1024-10, batch 256, {}"  # X as rows, (n, s_0)
BC = BR + ", X as C-ordered columns"  # (s_0, n)
WORKLOADS = [
    _wl("A: digits 64-32-10, per sample", (64, 32, 10), "tanh", SCE, 1, "float64", 0.02, "digits"),
    _wl("A: digits 64-32-10, batch 32", (64, 32, 10), "tanh", SCE, 32, "float64", 0.2, "digits"),
    _wl(BR.format("float32"), B, "relu", SCE, 256, "float32", 0.05, "", 4, "rows"),
    _wl(BR.format("float64"), B, "relu", SCE, 256, "float64", 0.05, "", 4, "rows"),
    _wl(BC.format("float32"), B, "relu", SCE, 256, "float32", 0.05, "", 4),
    _wl(BC.format("float64"), B, "relu", SCE, 256, "float64", 0.05, "", 4),
    _wl("tiny: 2-8-1, per sample", (2, 8, 1), "tanh", SE, 1, "float64", 0.05, "xor"),
]
EPOCHS = 5  # epochs per timed call on A and tiny (the README trains 20 in one call)


def workloads(quick: bool = False) -> list[dict]:
    out = []
    for w in WORKLOADS:
        steps = w["steps"] and (2 if quick else w["steps"])
        out.append(dict(w, quick=quick, steps=steps, epochs=1 if w["steps"] or quick else EPOCHS))
    return out


def make_data(wl: dict) -> tuple[np.ndarray, np.ndarray]:
    """(rows (n, s_0) in the workload's dtype, labels (n,)): the samples of one timed call."""
    if wl["data"]:
        ds = mlpcore.data.digits()[0] if wl["data"] == "digits" else mlpcore.data.xor(400, seed=0)
        X, labels = ds.X, ds.labels
    else:  # MNIST-sized, labels from a random teacher network
        X = np.random.default_rng(0).uniform(0.0, 1.0, size=(wl["s"][0], wl["steps"] * wl["m"]))
        labels = mlpcore.Network((wl["s"][0], 64, wl["s"][-1]), g="tanh", seed=99).predict(X)
    n = X.shape[1] if not wl["quick"] else min(X.shape[1], 10 * wl["m"])
    n -= n % wl["m"]  # whole batches: every peer does the same steps
    return np.ascontiguousarray(X[:, :n].T, dtype=wl["dtype"]), labels[:n].astype(np.int64)


def floor_step(W, A, D, Z, T, G):
    """The matrix products of one step, on preallocated outputs (numpy): the old floor.

    Forward z[k+1] = w[k] a[k]; backward w[k]ᵀ dL[k+1] for k ≥ 1; weight gradients dL[k+1] a[k]ᵀ
    (eq-dW, an outer product for one sample). W[k], G[k]: (s[k+1], s[k]); A[k], T[k]: (s[k], m);
    D[k] (dL[k+1]), Z[k] (z[k+1]): (s[k+1], m); vectors when m = 1.
    """
    for k in range(len(W)):
        np.matmul(W[k], A[k], out=Z[k])
    for k in range(len(W) - 1, 0, -1):
        np.matmul(W[k].T, D[k], out=T[k])
    for k in range(len(W)):
        if A[k].ndim == 1:
            np.multiply(D[k][:, None], A[k][None, :], out=G[k])
        else:
            np.matmul(D[k], A[k].T, out=G[k])


def blas_floor_step(blas, W, A, D, Z, T, G):
    """The same products through the BLAS calls that mlpcore.fast makes (``blas``: its gemv,
    ger and gemm, scipy's or their numpy stand-in), on Fortran-order arrays as it passes them:
    gemv and ger for one sample, gemm for a batch. The gradient is accumulated (beta = 1, as
    the engine fuses the update into it)."""
    p = len(W)
    if A[0].ndim == 1:
        for k in range(p):
            blas.gemv(1.0, W[k], A[k], 0.0, Z[k], 0, 1, 0, 1, 0, 1)
        for k in range(p - 1, 0, -1):
            blas.gemv(1.0, W[k], D[k], 0.0, T[k], 0, 1, 0, 1, 1, 1)
        for k in range(p):
            blas.ger(-1e-30, D[k], A[k], 1, 1, G[k], 0, 0, 1)
    else:
        for k in range(p):
            blas.gemm(1.0, W[k], A[k], 0.0, Z[k], 0, 0, 1)
        for k in range(p - 1, 0, -1):
            blas.gemm(1.0, W[k], D[k], 0.0, T[k], 1, 0, 1)
        for k in range(p):
            blas.gemm(-1e-30, D[k], A[k], 1.0, G[k], 0, 1, 1)


class Floor:
    """The floor: the products of a step through the engine's own BLAS calls (blas_floor_step)."""

    def __init__(self, wl, net, rows, labels):
        from mlpcore import fast

        rng, s, m = np.random.default_rng(1), wl["s"], wl["m"]
        new = lambda *shape: np.asfortranarray(rng.standard_normal(shape).astype(wl["dtype"]))  # noqa: E731
        W = [new(b, a) for a, b in zip(s, s[1:], strict=False)]
        A, D = [[new(n) if m == 1 else new(n, m) for n in ns] for ns in (s[:-1], s[1:])]
        G = [np.zeros_like(w, order="F") for w in W]
        self.blas = fast.scipy_blas(np.dtype(wl["dtype"]))
        self.pools = ("scipy.libs",) if self.blas else ("numpy.libs",)
        self.blas = self.blas or fast.NUMPY_BLAS
        self.args = (W, A, D, *([np.empty_like(x, order="F") for x in L] for L in (D, A)), G)

    def run(self, steps):
        for _ in range(steps):
            blas_floor_step(self.blas, *self.args)


class NumpyFloor(Floor):
    """The old floor: the same products with numpy's matmul (numpy's own OpenBLAS)."""

    pools = ("numpy.libs",)

    def __init__(self, wl, net, rows, labels):
        rng, s, m = np.random.default_rng(1), wl["s"], wl["m"]
        new = lambda *shape: rng.standard_normal(shape).astype(wl["dtype"])  # noqa: E731
        W = [new(b, a) for a, b in zip(s, s[1:], strict=False)]
        A, D = [[new(n) if m == 1 else new(n, m) for n in ns] for ns in (s[:-1], s[1:])]
        self.args = (W, A, D, *([np.empty_like(x) for x in L] for L in (D, A, W)))

    def run(self, steps):
        for _ in range(steps):
            floor_step(*self.args)


class Sgd:
    """``mlpcore.sgd`` as the README calls it: one call, whole epochs over the call's samples."""

    pools = ("numpy.libs", "scipy.libs")

    def __init__(self, wl, net, rows, labels):
        self.net, self.wl, self.seed, m = net, wl, 0, wl["m"]
        Y = labels[None, :].astype(wl["dtype"]) if wl["loss"] == SE else labels
        quiet = "progress" in inspect.signature(mlpcore.sgd).parameters
        self.kw = dict(epochs=1, batch_size=m, **({"progress": False} if quiet else {}))
        if wl["layout"] == "rows":  # the samples as made, (n, s_0)
            self.X, self.kw["layout"] = rows, "rows"
            self.one = rows[:m].copy(), Y[..., :m].copy()  # for an untimed one-step call
        else:  # (s_0, n) in C order, as data.digits
            self.X = np.ascontiguousarray(rows.T)
            self.one = self.X[:, :m].copy(), Y[..., :m].copy()
        self.Y, self.n = Y, len(labels)

    def run(self, steps):
        epochs, rest = divmod(steps * self.wl["m"], self.n)
        X, Y = (self.X, self.Y) if epochs and not rest else self.one
        self.seed += 1
        kw = dict(self.kw, epochs=epochs if epochs and not rest else 1)
        mlpcore.sgd(self.net, X, Y, self.wl["loss"], alpha=self.wl["alpha"], seed=self.seed, **kw)

    def params(self):
        return self.net.w, self.net.b


class Sklearn:
    """MLPClassifier (MLPRegressor for squared error), solver "sgd", through partial_fit."""

    pools = ("numpy.libs", "scikit_learn.libs")

    def __init__(self, wl, net, rows, labels):
        import warnings

        from sklearn.neural_network import MLPClassifier, MLPRegressor

        warnings.filterwarnings("ignore")  # ConvergenceWarning on short runs
        reg, kw = wl["loss"] == SE, dict(solver="sgd", momentum=0.0, alpha=0.0, shuffle=False)
        kw.update(activation=wl["g"], batch_size=wl["m"], learning_rate_init=wl["alpha"])
        self.clf = (MLPRegressor if reg else MLPClassifier)(hidden_layer_sizes=net.s[1:-1], **kw)
        self.X, self.y, self.m = rows, labels.astype(rows.dtype) if reg else labels, wl["m"]
        kw = {} if reg else {"classes": np.arange(net.s[-1])}
        self.clf.partial_fit(rows[: self.m], self.y[: self.m], **kw)  # builds coefs_
        for k in range(net.p):  # then mlpcore's initial weights
            self.clf.coefs_[k][...], self.clf.intercepts_[k][...] = net.w[k].T, net.b[k]

    def run(self, steps):
        epochs, rest = divmod(steps * self.m, len(self.X))
        for _ in range(epochs):  # one partial_fit call per epoch, as its own fit loop does
            self.clf.partial_fit(self.X, self.y)
        if rest:
            self.clf.partial_fit(self.X[:rest], self.y[:rest])

    def params(self):
        return [c.T for c in self.clf.coefs_], self.clf.intercepts_


class Torch:
    """PyTorch CPU: Linear layers and the usual zero_grad / loss / backward / SGD.step loop."""

    pools = ("torch",)

    def __init__(self, wl, net, rows, labels):
        import torch

        layers = []
        for k in range(net.p):
            lin = torch.nn.Linear(net.s[k], net.s[k + 1], dtype=getattr(torch, wl["dtype"]))
            with torch.no_grad():
                lin.weight.copy_(torch.from_numpy(net.w[k]))
                lin.bias.copy_(torch.from_numpy(net.b[k]))
            act = {"tanh": torch.nn.Tanh, "relu": torch.nn.ReLU}[wl["g"]]
            layers += [lin, act()] if k < net.p - 1 else [lin]
        self.model = torch.nn.Sequential(*layers)
        self.opt = torch.optim.SGD(self.model.parameters(), lr=wl["alpha"])
        reg, self.torch = wl["loss"] == SE, torch
        T = torch.from_numpy(labels[:, None].astype(rows.dtype) if reg else labels)
        self.xs, self.ts = torch.from_numpy(rows).split(wl["m"]), T.split(wl["m"])
        self.lossf = self.half_sse if reg else torch.nn.CrossEntropyLoss()

    def half_sse(self, z, y):
        """½‖z − y‖² averaged over the batch, as mlpcore's squared error."""
        return 0.5 * self.torch.nn.functional.mse_loss(z, y, reduction="sum") / len(z)

    def run(self, steps):
        epochs, rest = divmod(steps, len(self.xs))
        epoch = list(zip(self.xs, self.ts, strict=True))
        batches = epoch * epochs + epoch[:rest]
        for x, t in batches:
            self.opt.zero_grad(set_to_none=True)
            self.lossf(self.model(x), t).backward()
            self.opt.step()

    def params(self):
        lins = [mod for mod in self.model if hasattr(mod, "weight")]
        return [v.weight.detach().numpy() for v in lins], [v.bias.detach().numpy() for v in lins]


PEERS = {"floor": Floor, "mlpcore.sgd": Sgd, "scikit-learn": Sklearn, "PyTorch": Torch}
PEERS["numpy floor"] = NumpyFloor  # issue 12's floor: the products through np.matmul
