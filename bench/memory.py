"""Peak memory, one case per process (`bench/run.py` starts them).

* ``over data`` (issue 10): training's peak memory above what the process held before the data
  existed, less the data, over the data: (peak − baseline − data) / data. On the 200,000 × 784
  case it is resident memory (RSS); the peak is reset (``/proc/self/clear_refs``) once the data
  is built, so that only training counts. On digits (0.7 MiB, below what RSS resolves) it is
  what numpy allocates, as tracemalloc counts it (numpy reports its arrays to tracemalloc).
  ``beyond`` also takes off the model (one copy of the parameters) and one batch of work (the
  batch's inputs and targets, and z, a and dL of each layer for it): what the bound allows.
* ``B``: one peer trains workload B for 3 epochs; its peak resident memory (``ru_maxrss``).
"""

from __future__ import annotations

import resource

import numpy as np


def cases(quick: bool, which: str, names) -> list[dict]:
    n, out = 20_000 if quick else 200_000, []
    if which != "none":
        out += [
            dict(kind="over data", data="digits", dtype=dt, order=o, batch=m)
            for m, dt, o in [(1, "float64", "C"), (32, "float64", "C"), (32, "float64", "F")]
        ]
    if which == "all":
        for dt in ("float32", "float64"):
            out += [
                dict(kind="over data", data=f"{n} × 784 float32", n=n, dtype=dt, order=o, batch=256)
                for o in "CF"
            ]
        for dt in ("float32", "float64"):
            out += [
                dict(kind="B", peer=p, dtype=dt, n=1024 if quick else 4096)
                for p in ("mlpcore.sgd", *names)
            ]
    return out


def rss_mb(field: str = "VmRSS") -> float:
    with open("/proc/self/status") as f:
        return int(next(ln for ln in f if ln.startswith(field + ":")).split()[1]) / 1024


def train(net, X, labels, batch):
    import mlpcore

    mlpcore.sgd(net, X, labels, "softmax_cross_entropy", 0.01, batch_size=batch, progress=False)


def allowed_mb(net, batch: int) -> float:
    """The model (one copy of w and b) and one batch of work: the batch's inputs and targets
    and, for each layer, its z, a and dL (s_k + 1 rows, the bias's row of ones included)."""
    model = sum(a.nbytes for a in net.w + net.b)
    rows = net.s[0] + 1 + net.s[-1] + sum(3 * (s + 1) for s in net.s[1:])
    return (model + batch * rows * np.dtype(net.dtype).itemsize) / 2**20


def over_data(case: dict) -> dict:
    import tracemalloc

    import mlpcore

    digits = mlpcore.data.digits()[0] if case["data"] == "digits" else None
    s, dt = ((64, 32, 10), np.float64) if digits else ((784, 64, 10), np.float32)
    net, rng = mlpcore.Network(s, g="tanh", seed=0, dtype=case["dtype"]), np.random.default_rng(0)
    # A small run first: lazy imports and first-call buffers belong to the baseline.
    train(net.copy(), rng.random((s[0], 512), dtype=dt), rng.integers(0, 10, 512), case["batch"])
    if digits:  # traced: a copy allocated after the baseline
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0] / 2**20
        X, labels = np.array(digits.X, order=case["order"]), digits.labels.copy()
        tracemalloc.reset_peak()
    else:  # filled in chunks: no temporary as large as the data
        base = rss_mb()
        X, labels = (
            np.empty((s[0], case["n"]), dt, order=case["order"]),
            rng.integers(0, 10, case["n"]),
        )
        for j in range(0, case["n"], 10_000):
            X[:, j : j + 10_000] = rng.random((s[0], len(labels[j : j + 10_000])), dtype=dt)
        try:
            with open("/proc/self/clear_refs", "w") as f:
                f.write("5")  # the peak (VmHWM) starts again from the current resident size
        except OSError:  # not allowed here: the peak includes building the data (in chunks)
            pass
    data = (X.nbytes + labels.nbytes) / 2**20
    train(net, X, labels, case["batch"])
    peak = tracemalloc.get_traced_memory()[1] / 2**20 if digits else rss_mb("VmHWM")
    over, allowed = (peak - base - data) / data, allowed_mb(net, case["batch"])
    return dict(
        case, method="tracemalloc" if digits else "RSS", baseline_mb=base, data_mb=data,
        peak_mb=peak, over_data=over, allowed_mb=allowed, beyond=over - allowed / data,
    )  # fmt: skip


def peer_on_b(case: dict) -> dict:
    import peers

    import mlpcore

    wl = next(w for w in peers.workloads() if w["name"].endswith(case["dtype"]))
    wl["steps"] = case["n"] // wl["m"]
    net = mlpcore.Network(wl["s"], g=wl["g"], seed=0, dtype=wl["dtype"])
    try:
        runner = peers.PEERS[case["peer"]](wl, net, *peers.make_data(wl))
    except ImportError:
        return dict(case, peak_mb=None)
    for _ in range(3):
        runner.run(wl["steps"])
    return dict(case, peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def measure(case: dict) -> dict:
    return over_data(case) if case["kind"] == "over data" else peer_on_b(case)
