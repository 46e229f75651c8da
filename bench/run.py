"""Speed of mlpcore next to scikit-learn and PyTorch, measured in one run (issue 6).

    python bench/run.py            # or: make bench   (installs the peers: the "bench" extra)
    python bench/run.py --quick    # fewer rounds, for a smoke test

How it measures
---------------
* Every peer trains the same network from the same initial weights on the same stream of
  samples (the same order), so after the timing all peers should hold the same parameters; the
  record's ``dw_vs_mlpcore`` says how far they are apart.
* Rounds are interleaved round-robin: in each round every peer (and the floor) runs the same
  number of steps, in a rotated order. Times are medians over rounds; ratios are medians of
  the per-round ratios, so a machine that gets busier affects all peers of a round alike.
* The floor is the time of the step's matrix products alone (forward products, the backward
  products w^(k)T dL^(k+1), the weight-gradient outer or matrix products) on preallocated
  outputs, timed in the same rounds. It is timed twice: with numpy (``floor_us``, the issue's
  definition) and with scipy's BLAS wrappers, which are cheaper to call
  (``floor_blas_us``); ``x_floor`` and ``x_floor_blas`` divide by each.
* mlpcore is timed through the engine that ``mlpcore.sgd`` runs (its steps only); the
  ``sgd()`` variant times whole ``mlpcore.sgd`` epochs, shuffling and loss history included.
  scikit-learn is timed through ``partial_fit`` on a chunk of samples (its own SGD loop, with
  ``batch_size`` and ``shuffle=False``); PyTorch through the usual zero_grad / forward / loss /
  backward / optimizer step loop with 2 threads.
* On B, whose products use both BLAS threads, each turn is one untimed step, then three steps
  timed one by one (the fastest counts), then a pause of PAUSE seconds so that the thread pools
  of the libraries in this process never run while another one's threads spin (bench/README.md).
* The whole timing runs twice, in two child processes: with the environment as it is and
  with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed (OpenBLAS then picks its kernels from
  the CPU). Peak memory on workload B is measured for each peer in its own process.

Writes bench/results.json (a list of records) and prints the tables.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
BLAS_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
THREADS = 2
#: Seconds of quiet after each runner of a workload whose products use the BLAS threads (B).
#: After a call, OpenBLAS's worker threads spin for about 2^28 cycles (~0.1 s here) before they
#: sleep, and so do PyTorch's OpenMP threads for a while: a library called right after another
#: one shares the 2 cores with the spinning threads of the first and runs 1.5-4x slower
#: (bench/README.md, "Contention"). The pause lets every pool fall asleep before the next one runs.
PAUSE = 0.3


# --------------------------------------------------------------------------------------------
# Workloads
# --------------------------------------------------------------------------------------------
def workloads(quick: bool, pause: float = PAUSE) -> list[dict]:
    r = 5 if quick else 15
    rb = 3 if quick else 11
    return [
        dict(name="A: digits 64-32-10, per-sample", s=(64, 32, 10), g="tanh",
             loss="softmax_cross_entropy", m=1, dtype="float64", alpha=0.02, data="digits",
             steps=300, rounds=r),
        dict(name="A: digits 64-32-10, batch 32", s=(64, 32, 10), g="tanh",
             loss="softmax_cross_entropy", m=32, dtype="float64", alpha=0.2, data="digits",
             steps=45, rounds=r),
        dict(name="B: 784-1024-1024-10, batch 256, float32", s=(784, 1024, 1024, 10), g="relu",
             loss="softmax_cross_entropy", m=256, dtype="float32", alpha=0.05,
             data="synthetic", steps=3, rounds=rb, pause=pause),
        dict(name="B: 784-1024-1024-10, batch 256, float64", s=(784, 1024, 1024, 10), g="relu",
             loss="softmax_cross_entropy", m=256, dtype="float64", alpha=0.05,
             data="synthetic", steps=3, rounds=rb, pause=pause),
        dict(name="tiny: 2-8-1, per-sample", s=(2, 8, 1), g="tanh", loss="squared_error", m=1,
             dtype="float64", alpha=0.05, data="xor", steps=400, rounds=r),
    ]  # fmt: skip


def make_data(wl: dict, n_steps: int):
    """(X_stream (T, s_0), targets (T,) labels or (T, s_p), X_eval (s_0, n), Y_eval, labels)."""
    import mlpcore
    from mlpcore import data

    dt = np.dtype(wl["dtype"])
    rng = np.random.default_rng(0)
    if wl["data"] == "digits":
        train, test = data.digits()
        pool_X, pool_lab = train.X.T, train.labels
        ev = (test.X, test.labels)
    elif wl["data"] == "xor":
        train = data.xor(n=400, seed=0)
        pool_X, pool_lab = train.X.T, train.labels
        ev = (train.X, train.labels)
    else:  # synthetic, MNIST-sized: labels from a random teacher network
        s = wl["s"]
        pool_X = rng.uniform(0.0, 1.0, size=(4096, s[0]))
        teacher = mlpcore.Network((s[0], 64, s[-1]), g="tanh", seed=99)
        pool_lab = teacher.predict(pool_X.T)
        ev = (pool_X[:1024].T, pool_lab[:1024])
    n = pool_X.shape[0]
    total = n_steps * wl["m"]
    order = np.concatenate([rng.permutation(n) for _ in range(-(-total // n))])[:total]
    X = np.ascontiguousarray(pool_X[order], dtype=dt)
    lab = np.asarray(pool_lab[order], dtype=np.int64)
    if wl["loss"] == "squared_error":
        T = lab[:, None].astype(dt)  # one output: the label as a number
        Yev = ev[1][None, :].astype(np.float64)
    else:
        T = lab
        Yev = ev[1]
    return X, T, np.asarray(ev[0], dtype=np.float64), Yev, ev[1]


# --------------------------------------------------------------------------------------------
# Peers: each runs `steps` steps starting at step `lo` of the shared stream
# --------------------------------------------------------------------------------------------
class MlpcoreEngine:
    def __init__(self, wl, net, X, T, blas=None):
        from mlpcore import _engine

        self.m = wl["m"]
        self.engine = _engine.Engine(net, wl["loss"], self.m, net.dtype, blas=blas)
        self.Xr = np.ones((X.shape[0], X.shape[1] + 1), net.dtype)
        self.Xr[:, :-1] = X
        self.T = T
        self.alpha = wl["alpha"]
        self.run_ = self.engine.epoch_single if self.m == 1 else self.engine.epoch_batch
        self.net = net

    def run(self, lo, steps):
        self.run_(self.Xr, self.T, self.alpha, math.inf, lo, lo + steps)

    def params(self):
        self.engine.store(self.net)
        return [w.copy() for w in self.net.w], [b.copy() for b in self.net.b]


class MlpcoreSgd:
    """Whole mlpcore.sgd epochs on the training pool (shuffle, loss history and all)."""

    def __init__(self, wl, net, Xtrain, labels):
        self.wl, self.net, self.X, self.labels = wl, net, Xtrain, labels
        self.epoch = 0
        self.steps_per_epoch = -(-Xtrain.shape[1] // wl["m"])

    def run(self, lo, steps):
        import mlpcore

        Y = self.labels if self.wl["loss"] != "squared_error" else self.labels[None, :] * 1.0
        self.epoch += 1
        mlpcore.sgd(self.net, self.X, Y, self.wl["loss"], self.wl["alpha"], epochs=1,
                    batch_size=self.wl["m"], seed=self.epoch, progress=False)  # fmt: skip

    def params(self):
        return [w.copy() for w in self.net.w], [b.copy() for b in self.net.b]


class Torch:
    def __init__(self, wl, net, X, T):
        import torch

        torch.set_num_threads(THREADS)
        self.torch = torch
        dt = {"float32": torch.float32, "float64": torch.float64}[wl["dtype"]]
        layers = []
        act = {"tanh": torch.nn.Tanh, "relu": torch.nn.ReLU}[wl["g"]]
        for k in range(net.p):
            lin = torch.nn.Linear(net.s[k], net.s[k + 1], dtype=dt)
            with torch.no_grad():
                lin.weight.copy_(torch.from_numpy(net.w[k]))
                lin.bias.copy_(torch.from_numpy(net.b[k]))
            layers.append(lin)
            if k < net.p - 1:
                layers.append(act())
        self.model = torch.nn.Sequential(*layers)
        self.opt = torch.optim.SGD(self.model.parameters(), lr=wl["alpha"])
        m = wl["m"]
        Xt = torch.from_numpy(np.ascontiguousarray(X))
        Tt = torch.from_numpy(np.ascontiguousarray(T))
        self.xs, self.ts = list(Xt.split(m)), list(Tt.split(m))
        if wl["loss"] == "squared_error":  # ½‖z − y‖², mean over the batch, like mlpcore
            self.lossf = lambda z, y: (
                0.5 * torch.nn.functional.mse_loss(z, y, reduction="sum") / z.shape[0]
            )  # noqa: E501
        else:
            self.lossf = torch.nn.CrossEntropyLoss()

    def run(self, lo, steps):
        model, opt, lossf, xs, ts = self.model, self.opt, self.lossf, self.xs, self.ts
        for i in range(lo, lo + steps):
            opt.zero_grad(set_to_none=True)
            loss = lossf(model(xs[i]), ts[i])
            loss.backward()
            opt.step()

    def params(self):
        lins = [mod for mod in self.model if hasattr(mod, "weight")]
        return ([lin.weight.detach().numpy().astype(np.float64) for lin in lins],
                [lin.bias.detach().numpy().astype(np.float64) for lin in lins])  # fmt: skip


class Sklearn:
    def __init__(self, wl, net, X, T):
        import warnings

        from sklearn.neural_network import MLPClassifier, MLPRegressor

        warnings.filterwarnings("ignore")
        reg = wl["loss"] == "squared_error"
        kw = dict(hidden_layer_sizes=net.s[1:-1], activation=wl["g"], solver="sgd",
                  batch_size=wl["m"], learning_rate_init=wl["alpha"], learning_rate="constant",
                  momentum=0.0, nesterovs_momentum=False, alpha=0.0, shuffle=False,
                  random_state=0)  # fmt: skip
        self.clf = (MLPRegressor if reg else MLPClassifier)(**kw)
        self.m, self.X, self.reg = wl["m"], X, reg
        self.y = T[:, 0] if reg else T
        # A first call sets sklearn's structures up; then the weights are overwritten.
        if reg:
            self.clf.partial_fit(X[: self.m], self.y[: self.m])
        else:
            self.clf.partial_fit(X[: self.m], self.y[: self.m], classes=np.arange(net.s[-1]))
        for k in range(net.p):
            self.clf.coefs_[k][...] = net.w[k].T
            self.clf.intercepts_[k][...] = net.b[k]

    def run(self, lo, steps):
        a, b = lo * self.m, (lo + steps) * self.m
        self.clf.partial_fit(self.X[a:b], self.y[a:b])

    def params(self):
        return ([c.T.astype(np.float64) for c in self.clf.coefs_],
                [c.astype(np.float64) for c in self.clf.intercepts_])  # fmt: skip


class Floor:
    """The step's matrix products alone, on preallocated outputs (samples as columns)."""

    def __init__(self, wl, use_blas: bool):
        s, m, dt = wl["s"], wl["m"], np.dtype(wl["dtype"])
        rng = np.random.default_rng(1)
        p = len(s) - 1
        self.p, self.m = p, m
        self.W = [rng.standard_normal((s[k + 1], s[k])).astype(dt) * 0.01 for k in range(p)]
        self.G = [np.zeros_like(w) for w in self.W]
        shape = (lambda k: (s[k],)) if m == 1 else (lambda k: (s[k], m))
        self.a = [rng.standard_normal(shape(k)).astype(dt) for k in range(p)]
        self.z = [None] + [np.empty(shape(k), dt) for k in range(1, p + 1)]
        self.d = [None] + [rng.standard_normal(shape(k)).astype(dt) * 1e-3 for k in range(1, p + 1)]  # noqa: E501
        self.t = [None] + [np.empty(shape(k), dt) for k in range(1, p)]
        self.flops = 2 * sum(
            s[k + 1] * s[k] * m * (3 if k > 0 else 2) for k in range(p)
        )  # forward + weight gradient for every layer, backward product for k >= 1
        self.blas = None
        if use_blas:
            from mlpcore import _engine

            self.blas = _engine.blas_funcs(dt)

    def run(self, lo, steps):
        W, G, a, z, d, t, p = self.W, self.G, self.a, self.z, self.d, self.t, self.p
        WT, GT = [w.T for w in W], [g.T for g in G]
        if self.blas is not None and self.m == 1:
            gemv, ger = self.blas.gemv, self.blas.ger
            for _ in range(steps):
                for k in range(p):
                    gemv(1.0, WT[k], a[k], 0.0, z[k + 1], 0, 1, 0, 1, 1, 1)
                for k in range(p - 1, 0, -1):
                    gemv(1.0, WT[k], d[k + 1], 0.0, t[k], 0, 1, 0, 1, 0, 1)
                for k in range(p):
                    ger(1.0, a[k], d[k + 1], 1, 1, GT[k], 0, 0, 1)
        elif self.blas is not None:
            gemm = self.blas.gemm
            for _ in range(steps):
                for k in range(p):  # Z = W A, as Z^T = A^T W^T on Fortran views
                    gemm(1.0, a[k].T, WT[k], 0.0, z[k + 1].T, 0, 0, 1)
                for k in range(p - 1, 0, -1):
                    gemm(1.0, d[k + 1].T, WT[k], 0.0, t[k].T, 0, 1, 1)
                for k in range(p):
                    gemm(1.0, a[k].T, d[k + 1].T, 0.0, GT[k], 1, 0, 1)
        elif self.m == 1:
            dot, mul = np.dot, np.multiply
            dcol = [None] + [v[:, None] for v in d[1:]]
            arow = [v[None, :] for v in a]
            for _ in range(steps):
                for k in range(p):
                    dot(W[k], a[k], out=z[k + 1])
                for k in range(p - 1, 0, -1):
                    dot(WT[k], d[k + 1], out=t[k])
                for k in range(p):
                    mul(dcol[k + 1], arow[k], out=G[k])
        else:
            mm = np.matmul
            aT = [v.T for v in a]
            for _ in range(steps):
                for k in range(p):
                    mm(W[k], a[k], out=z[k + 1])
                for k in range(p - 1, 0, -1):
                    mm(WT[k], d[k + 1], out=t[k])
                for k in range(p):
                    mm(d[k + 1], aT[k], out=G[k])


def peak_gflops(dt) -> float:
    """Matrix-product peak of this process: a large square numpy matmul, best of 5."""
    n = 2048
    A = np.random.default_rng(0).standard_normal((n, n)).astype(dt)
    C = np.empty_like(A)
    best = math.inf
    time.sleep(PAUSE)  # the other thread pools asleep first
    for _ in range(5):
        t = time.perf_counter()
        np.matmul(A, A, out=C)
        best = min(best, time.perf_counter() - t)
    return 2 * n**3 / best / 1e9


def blas_report() -> list[dict]:
    from threadpoolctl import threadpool_info

    keep = ("internal_api", "prefix", "version", "architecture", "num_threads", "filepath")
    return [{k: lib.get(k) for k in keep} for lib in threadpool_info()]


# --------------------------------------------------------------------------------------------
# Child: the timing of every workload
# --------------------------------------------------------------------------------------------
def evaluate(wl, params, Xev, Yev, labels_ev):
    import mlpcore

    net = mlpcore.Network(wl["s"], g=wl["g"], seed=0)
    for k in range(net.p):
        net.w[k][...] = params[0][k]
        net.b[k][...] = params[1][k]
    if wl["data"] == "digits":
        return float(np.mean(net.predict(Xev) == labels_ev))  # test accuracy
    return float(mlpcore.mean_loss(net, Xev, Yev, wl["loss"]))  # mean loss


def time_workload(wl: dict) -> list[dict]:
    import mlpcore

    warm, K, R = 1, wl["steps"], wl["rounds"]
    pause = wl.get("pause", 0.0)
    lead = 1 if pause else 0  # an untimed first step per run wakes the runner's thread pool
    n_steps = (K + lead) * (R + warm)
    X, T, Xev, Yev, labels_ev = make_data(wl, n_steps)
    start = mlpcore.Network(wl["s"], g=wl["g"], seed=0, dtype=wl["dtype"])
    peers = {"mlpcore": MlpcoreEngine(wl, start.copy(), X, T)}
    if peers["mlpcore"].engine.blas is not None:
        peers["mlpcore (numpy only)"] = MlpcoreEngine(wl, start.copy(), X, T, blas=False)
    if wl["data"] != "synthetic":
        if wl["data"] == "digits":
            tr, _ = mlpcore.data.digits()
        else:
            tr = mlpcore.data.xor(n=400, seed=0)
        peers["mlpcore sgd()"] = MlpcoreSgd(wl, start.copy(), tr.X, tr.labels)
    peers["scikit-learn"] = Sklearn(wl, start, X, T)
    peers["PyTorch"] = Torch(wl, start, X, T)
    floors = {"floor (numpy)": Floor(wl, False), "floor (BLAS)": Floor(wl, True)}
    runners = {**peers, **floors}
    names = list(runners)
    times = {name: [] for name in names}
    peak_before = peak_gflops(np.dtype(wl["dtype"]))
    for rnd in range(warm + R):
        lo = rnd * (K + lead)
        order = names[rnd % len(names) :] + names[: rnd % len(names)]
        for name in order:
            runner = runners[name]
            steps = runner.steps_per_epoch if isinstance(runner, MlpcoreSgd) else K
            if lead:  # B: the fastest of K single steps after an untimed one
                runner.run(lo, lead)
                dt = math.inf
                for i in range(K):
                    t = time.perf_counter()
                    runner.run(lo + lead + i, 1)
                    dt = min(dt, time.perf_counter() - t)
            else:
                t = time.perf_counter()
                runner.run(lo, K)
                dt = (time.perf_counter() - t) / steps
            if rnd >= warm:
                times[name].append(dt)
            if pause:
                time.sleep(pause)
    med = {k: float(np.median(v)) for k, v in times.items()}
    fl, flb = np.array(times["floor (numpy)"]), np.array(times["floor (BLAS)"])
    mine = np.array(times["mlpcore"])
    peak = max(peak_before, peak_gflops(np.dtype(wl["dtype"])))  # a neighbour only lowers it
    ref = peers["mlpcore"].params()
    records = []
    for name, peer in peers.items():
        tt = np.array(times[name])
        rec = dict(
            workload=wl["name"],
            variant=f"{wl['dtype']}, batch {wl['m']}, {wl['g']}, {wl['loss']}",
            peer=name,
            us_per_step=med[name] * 1e6,
            samples_per_s=wl["m"] / med[name],
            floor_us=med["floor (numpy)"] * 1e6,
            x_floor=float(np.median(tt / fl)),
            pct_peak=100.0 * floors["floor (numpy)"].flops / med[name] / (peak * 1e9),
            accuracy_or_loss=evaluate(wl, peer.params(), Xev, Yev, labels_ev),
            floor_blas_us=med["floor (BLAS)"] * 1e6,
            x_floor_blas=float(np.median(tt / flb)),
            x_mlpcore=float(np.median(tt / mine)),
            peak_gflops=peak,
        )
        if not isinstance(peer, MlpcoreSgd):
            w, b = peer.params()
            scale = max(float(np.max(np.abs(v))) for v in ref[0])
            rec["dw_vs_mlpcore"] = (
                max(
                    float(np.max(np.abs(u - v)))
                    for u, v in zip(w + b, ref[0] + ref[1], strict=True)
                )
                / scale
            )
        records.append(rec)
    return records


def child_time(quick: bool, only: str = "", pause: float = PAUSE) -> dict:
    import scipy.linalg.blas  # noqa: F401  (so that threadpoolctl sees every BLAS)
    import torch

    torch.set_num_threads(THREADS)
    out = {"blas": blas_report(), "torch": torch.__version__, "records": []}
    for wl in workloads(quick, pause):
        if not wl["name"].startswith(only):
            continue
        out["records"] += time_workload(wl)
        print(f"  done: {wl['name']}", file=sys.stderr, flush=True)
    return out


# --------------------------------------------------------------------------------------------
# Child: peak memory of one peer on workload B, in its own process
# --------------------------------------------------------------------------------------------
def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def child_memory(peer: str, dtype: str, epochs: int) -> dict:
    import mlpcore

    wl = next(w for w in workloads(False) if w["name"].startswith("B") and w["dtype"] == dtype)
    n = 4096
    rng = np.random.default_rng(0)
    X = rng.uniform(0.0, 1.0, size=(n, wl["s"][0])).astype(dtype)  # rows
    lab = mlpcore.Network((wl["s"][0], 64, 10), g="tanh", seed=99).predict(X.T)
    net = mlpcore.Network(wl["s"], g=wl["g"], seed=0, dtype=dtype)
    after = []
    if peer == "mlpcore":
        Xc = mlpcore.rows_to_columns(X)
        del X
        for e in range(epochs):
            mlpcore.sgd(net, Xc, lab, wl["loss"], wl["alpha"], epochs=1, batch_size=wl["m"],
                        seed=e, progress=False)  # fmt: skip
            after.append(rss_mb())
    elif peer == "PyTorch":
        p = Torch(wl, net, X, lab)
        steps = n // wl["m"]
        for _ in range(epochs):
            perm = np.random.default_rng(0).permutation(steps)
            for i in perm:
                p.run(int(i), 1)
            after.append(rss_mb())
    else:
        p = Sklearn(wl, net, X, lab)
        for _ in range(epochs):
            p.clf.partial_fit(X, lab)
            after.append(rss_mb())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return dict(peer=peer, dtype=dtype, peak_rss_mb=peak, rss_after_epoch_mb=after, n=n)


# --------------------------------------------------------------------------------------------
# Parent: run the children, print, write results.json
# --------------------------------------------------------------------------------------------
def run_child(args: list[str], env: dict) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), *args]
    proc = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(proc.stdout)


GOALS = [
    # workload prefix, max x_floor, peers that must be beaten by at least this factor
    ("A: digits 64-32-10, per-sample", 2.0, {"scikit-learn": 7.0, "PyTorch": 7.0}),
    ("A: digits 64-32-10, batch 32", 2.5, {"scikit-learn": 4.0, "PyTorch": 4.0}),
    ("B: 784-1024-1024-10, batch 256, float32", 1.10, {"faster peer": 1.3}),
    ("B: 784-1024-1024-10, batch 256, float64", 1.15, {"faster peer": 1.3}),
    ("tiny: 2-8-1, per-sample", 2.0, {"PyTorch": 10.0}),
]


def goal_rows(records: list[dict]) -> list[str]:
    rows = []
    for wl, max_floor, speed in GOALS:
        rec = {r["peer"]: r for r in records if r["workload"] == wl}
        if not rec:  # not run (--only)
            continue
        me = rec["mlpcore"]
        ok = me["x_floor"] <= max_floor
        rows.append(
            f"| {wl} | x floor ≤ {max_floor} | {me['x_floor']:.2f} (BLAS floor: "
            f"{me['x_floor_blas']:.2f}) | {'met' if ok else 'NOT met'} |"
        )
        for peer, factor in speed.items():
            if peer == "faster peer":
                peer = min(("scikit-learn", "PyTorch"), key=lambda q: rec[q]["us_per_step"])
            x = rec[peer]["x_mlpcore"]
            rows.append(
                f"| {wl} | ≥ {factor}× faster than {peer} | {x:.1f}× | "
                f"{'met' if x >= factor else 'NOT met'} |"
            )
    return rows


def table(records: list[dict]) -> list[str]:
    out = [
        "| workload | peer | µs/step | samples/s | x floor (numpy) | x floor (BLAS) "
        "| peer ÷ mlpcore | % peak | accuracy or loss | Δw vs mlpcore |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in records:
        dw = r.get("dw_vs_mlpcore")
        out.append(
            f"| {r['workload']} | {r['peer']} | {r['us_per_step']:.1f} | "
            f"{r['samples_per_s']:,.0f} | {r['x_floor']:.2f} | {r['x_floor_blas']:.2f} | "
            f"{r['x_mlpcore']:.2f} | {r['pct_peak']:.0f} | {r['accuracy_or_loss']:.4f} | "
            f"{'' if dw is None else f'{dw:.1e}'} |"
        )
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer rounds (smoke test)")
    ap.add_argument("--only", default="", help="only the workloads whose name starts so (e.g. B)")
    ap.add_argument("--pause", type=float, default=PAUSE,
                    help=f"seconds of quiet after each runner on B (default {PAUSE}; 0 shows "
                    "the contention between thread pools)")  # fmt: skip
    ap.add_argument("--no-memory", action="store_true", help="skip the peak-memory runs")
    ap.add_argument("--child", choices=["time", "memory"], help=argparse.SUPPRESS)
    ap.add_argument("--peer", help=argparse.SUPPRESS)
    ap.add_argument("--dtype", help=argparse.SUPPRESS)
    ap.add_argument("--epochs", type=int, default=3, help=argparse.SUPPRESS)
    ap.add_argument("--out", default=str(HERE / "results.json"), help="where to write records")
    args = ap.parse_args()
    if args.child == "time":
        print(json.dumps(child_time(args.quick, args.only, args.pause)))
        return 0
    if args.child == "memory":
        print(json.dumps(child_memory(args.peer, args.dtype, args.epochs)))
        return 0

    t0 = time.perf_counter()
    env_as_is = dict(os.environ)
    env_unset = {k: v for k, v in os.environ.items() if k not in BLAS_VARS}
    settings = {
        "environment as is ("
        + ", ".join(f"{k}={os.environ.get(k, '<unset>')}" for k in BLAS_VARS)
        + ")": env_as_is,
        "OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset": env_unset,
    }
    quick = ["--quick"] if args.quick else []
    quick += ["--only", args.only, "--pause", str(args.pause)]
    all_records, lines = [], []
    for label, env in settings.items():
        print(f"timing with the {label} ...", file=sys.stderr, flush=True)
        res = run_child(["--child", "time", *quick], env)
        for r in res["records"]:
            r["blas_setting"] = label
        all_records += res["records"]
        lines += [f"\n### BLAS setting: {label}\n", "BLAS in use (threadpoolctl):"]
        lines += [
            f"- {b['internal_api']} {b['version']} ({b['prefix']}), {b['architecture']}, "
            f"{b['num_threads']} threads" for b in res["blas"]
        ]  # fmt: skip
        lines += [f"- PyTorch {res['torch']}, {THREADS} threads", ""]
        lines += table(res["records"])
        lines += ["", "| workload | goal | measured | verdict |", "|---|---|---|---|"]
        lines += goal_rows(res["records"])
    mem = []
    if not args.no_memory:
        print("measuring peak memory on B, one process per peer ...", file=sys.stderr, flush=True)
    for dtype in () if args.no_memory else ("float32", "float64"):
        for peer in ("mlpcore", "PyTorch", "scikit-learn"):
            r = run_child(["--child", "memory", "--peer", peer, "--dtype", dtype], env_as_is)
            mem.append(r)
            all_records.append(
                dict(workload=f"B memory, {dtype}, n={r['n']}, batch 256", variant="memory",
                     peer=peer, us_per_step=None, samples_per_s=None, floor_us=None,
                     x_floor=None, pct_peak=None, accuracy_or_loss=None,
                     peak_rss_mb=r["peak_rss_mb"], rss_after_epoch_mb=r["rss_after_epoch_mb"])
            )  # fmt: skip
    lines += ["\n### Peak memory on B (each peer in its own process, 3 epochs of n = 4096)\n"]
    lines += ["| dtype | peer | peak RSS (MB) | RSS after each epoch (MB) |", "|---|---|---:|---|"]
    for r in mem:
        after = ", ".join(f"{v:.0f}" for v in r["rss_after_epoch_mb"])
        lines.append(f"| {r['dtype']} | {r['peer']} | {r['peak_rss_mb']:.0f} | {after} |")
    Path(args.out).write_text(json.dumps(all_records, indent=1) + "\n")
    lines.append(f"\nbench wall time: {time.perf_counter() - t0:.0f} s; records in {args.out}")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
