"""Steps per second: the book's JavaScript twin (bench/live_twin.mjs, in node) against mlpcore.

Same networks (mlpcore's initial weights), same data (circles, 200 points), same α, whole epochs
of per-sample or mini-batch steps. mlpcore is timed through ``mlpcore.sgd`` (its fast path;
``progress=False``), the twin through its ``Trainer``, which the page runs (one epoch includes
the end-of-epoch mean loss in both). Best of ``--rounds`` for each.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python bench/live_twin.py
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
import time
from pathlib import Path

import mlpcore
from mlpcore import data

HERE = Path(__file__).resolve().parent
CASES = [
    ((2, 8, 2), 1, 20),
    ((2, 8, 2), 16, 100),
    ((2, 32, 32, 2), 1, 5),
    ((2, 64, 64, 64, 64, 2), 1, 1),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    ds = data.circles(seed=0)
    cases = []
    for s, batch, epochs in CASES:
        net = mlpcore.Network(s, "tanh", seed=0)
        cases.append(
            {
                "net": {"s": list(s), "g": "tanh", "w": [w.tolist() for w in net.w],
                        "b": [b.tolist() for b in net.b]},
                "batch": batch, "epochs": epochs, "alpha": 0.01,
            }
        )  # fmt: skip
    spec = {"data": {"X": ds.X.ravel().tolist(), "labels": ds.labels.tolist(), "n": ds.n,
                     "n_classes": 2}, "cases": cases, "rounds": args.rounds}  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "spec.json"
        path.write_text(json.dumps(spec))
        out = subprocess.run(
            ["node", str(HERE / "live_twin.mjs"), str(path)], capture_output=True, text=True,
            check=True,
        ).stdout  # fmt: skip
    js = [json.loads(line) for line in out.splitlines() if line.strip()]
    print(f"{'network':22} {'batch':>5} {'twin steps/s':>14} {'mlpcore steps/s':>16} {'ratio':>6}")
    for (s, batch, epochs), j in zip(CASES, js, strict=True):
        best = float("inf")
        for _ in range(args.rounds):
            net = mlpcore.Network(s, "tanh", seed=0)
            t0 = time.perf_counter()
            mlpcore.sgd(net, ds.X, ds.labels, "softmax_cross_entropy", 0.01, epochs,
                        batch_size=batch, progress=False)  # fmt: skip
            best = min(best, time.perf_counter() - t0)
        steps = epochs * -(-ds.n // batch)
        py = steps / best
        print(
            f"{str(s):22} {batch:5d} {j['steps_per_s']:14.0f} {py:16.0f} "
            f"{j['steps_per_s'] / py:6.2f}"
        )


if __name__ == "__main__":
    main()
