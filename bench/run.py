"""`make bench`: mlpcore.sgd next to its floor, scikit-learn and PyTorch, interleaved in rounds.

    python bench/run.py            # both BLAS settings and the memory figures -> results.json
    python bench/run.py --quick    # a smoke run -> results-quick.json

Each BLAS setting is timed in a child process, each memory figure in a process of its own.
bench/README.md says how it measures, and why this is a plain loop rather than pyperf.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import memory  # noqa: E402
import peers  # noqa: E402
import report  # noqa: E402

HERE, THREADS = Path(__file__).resolve().parent, 2
BLAS_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
IMPORTS = {"scikit-learn": "sklearn.neural_network", "PyTorch": "torch"}


def use_pools(ctl, pools) -> None:
    """THREADS threads for the pools a runner uses, 1 for the others (their workers stay idle)."""
    for lib in ctl.lib_controllers:
        lib.set_num_threads(THREADS if any(p in lib.filepath for p in pools) else 1)


def quality(wl, params, rows, labels) -> float:
    """Accuracy on the digits test set, otherwise the mean loss on the timed samples."""
    import mlpcore

    net = mlpcore.Network(wl["s"], g=wl["g"], seed=0)
    for k in range(net.p):
        net.w[k][...], net.b[k][...] = params[0][k], params[1][k]
    if wl["data"] == "digits":
        test = mlpcore.data.digits()[1]
        return float(np.mean(net.predict(test.X) == test.labels))
    Y = labels[None, :] * 1.0 if wl["loss"] == peers.SE else labels
    return float(mlpcore.mean_loss(net, mlpcore.rows_to_columns(rows), Y, wl["loss"]))


def time_workload(wl, names, rounds, ctl) -> dict:
    """The same steps from the same weights for every runner, in rotated order, round by round."""
    import mlpcore

    rows, labels = peers.make_data(wl)
    steps = len(labels) // wl["m"] * wl["epochs"]  # B: its steps; A and tiny: whole epochs
    start = mlpcore.Network(wl["s"], g=wl["g"], seed=0, dtype=wl["dtype"])
    runners = {}
    for name in names:
        try:
            runners[name] = peers.PEERS[name](wl, start.copy(), rows, labels)
        except ImportError:  # a peer that is not installed is left out
            pass
    times = {name: [] for name in runners}
    for r in range(rounds + 1):  # round 0 warms up and is dropped
        for name in list(runners)[r % len(runners) :] + list(runners)[: r % len(runners)]:
            use_pools(ctl, runners[name].pools)
            if not wl["data"]:  # B: an untimed step first wakes the runner's pool
                runners[name].run(1)
            t = time.perf_counter()
            runners[name].run(steps)
            times[name] += [(time.perf_counter() - t) / steps] if r else []
    use_pools(ctl, [""])  # every pool back to THREADS
    t = {k: np.array(v) for k, v in times.items()}
    med = lambda f: {k: float(np.median(f(v))) for k, v in t.items()}  # noqa: E731
    out = dict(name=wl["name"], steps=steps, rounds=rounds, us=med(lambda v: v * 1e6))
    out.update(x_floor=med(lambda v: v / t["floor"]), x_sgd=med(lambda v: v / t["mlpcore.sgd"]))
    ran = [k for k in runners if hasattr(runners[k], "params")]  # not the floors
    return dict(out, quality={k: quality(wl, runners[k].params(), rows, labels) for k in ran})


def child_time(args) -> dict:
    from threadpoolctl import ThreadpoolController

    for mod in ["scipy.linalg.blas"] + [IMPORTS[p] for p in args.peers if p in IMPORTS]:
        try:  # imported first, so that threadpoolctl sees every pool
            __import__(mod)
        except ImportError:
            pass
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(THREADS)
    ctl, keep = ThreadpoolController(), ("internal_api", "version", "architecture", "filepath")
    pools = [{k: lib.get(k) for k in keep} for lib in ctl.info()]
    for p in pools:  # the library's folder only: no path of this machine in results.json
        p["filepath"] = "/".join(Path(p["filepath"]).parts[-3:])
    out = dict(env={v: os.environ.get(v) for v in BLAS_VARS}, threadpools=pools, workloads=[])
    out["load"], names = [os.getloadavg()[0]], ["floor", "mlpcore.sgd", *args.peers]
    for wl in peers.workloads(args.quick):
        if wl["name"].startswith(args.only):
            rounds = args.rounds or (2 if args.quick else 20 if wl["m"] < 256 else 10)
            out["workloads"].append(time_workload(wl, names, rounds, ctl))
            print(f"  {wl['name']}: done", file=sys.stderr, flush=True)
    return dict(out, load=out["load"] + [os.getloadavg()[0]])


def child(args: list[str], env: dict) -> dict:
    cmd = [sys.executable, str(HERE / "run.py"), *args]
    return json.loads(subprocess.run(cmd, env=env, stdout=subprocess.PIPE, check=True).stdout)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="2 rounds, small data: a smoke run")
    ap.add_argument("--only", default="", help="workloads whose name starts so (e.g. B)")
    ap.add_argument(
        "--peers", default="numpy floor,scikit-learn,PyTorch", help="besides floor and sgd"
    )
    ap.add_argument("--rounds", type=int, default=0, help="timed rounds (default 20, 10 on B)")
    ap.add_argument("--memory", choices=["all", "digits", "none"], default="all")
    ap.add_argument("--out", help="default bench/results.json (results-quick.json if --quick)")
    ap.add_argument("--child", choices=["time", "memory"], help=argparse.SUPPRESS)
    ap.add_argument("--case", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    args.peers = [p for p in args.peers.split(",") if p]
    if args.child:
        res = child_time(args) if args.child == "time" else memory.measure(json.loads(args.case))
        print(json.dumps(res))
        return 0
    t0, flags = time.perf_counter(), [f"--only={args.only}", f"--rounds={args.rounds}"]
    flags += [f"--peers={','.join(args.peers)}"] + (["--quick"] if args.quick else [])
    unset = {k: v for k, v in os.environ.items() if k not in BLAS_VARS}
    settings = []
    for label, env in (("as is", dict(os.environ)), ("unset", unset)):
        print(f"timing, BLAS variables {label} ...", file=sys.stderr, flush=True)
        settings.append(dict(label=label, **child(["--child=time", *flags], env)))
    mem = []
    for case in memory.cases(args.quick, args.memory, args.peers):
        print(f"peak memory: {case} ...", file=sys.stderr, flush=True)
        mem.append(child(["--child=memory", f"--case={json.dumps(case)}"], dict(os.environ)))
    cpu = [ln.split(":")[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name")]
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    meta = dict(date=now, cpu=f"{len(cpu)} × {cpu[0]}", quick=args.quick, numpy=np.__version__)
    meta.update(rounds=args.rounds)  # 0: the default rounds
    results = dict(
        meta=dict(meta, wall_s=round(time.perf_counter() - t0)), settings=settings, memory=mem
    )
    out = Path(args.out or HERE / ("results-quick.json" if args.quick else "results.json"))
    out.write_text(json.dumps(results, indent=1) + "\n")
    print(report.render(results) + f"\n\nwrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
