"""`make bench`: mlpcore.sgd next to its floor, scikit-learn and PyTorch, interleaved in rounds.

    python bench/run.py            # both BLAS settings and the memory figures -> results.json
    python bench/run.py --quick    # a smoke run -> results-quick.json

Each BLAS setting is timed by a child process that starts one worker process per runner
(bench/worker.py; --one-process: all runners in that child), each memory figure in a process
of its own.
bench/README.md says how it measures, and why this is a plain loop rather than pyperf.
"""

from __future__ import annotations

import argparse
import datetime
import json
import multiprocessing
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
import worker  # noqa: E402

HERE = Path(__file__).resolve().parent
BLAS_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def time_workload(wl, runners, rounds) -> dict:
    """The same steps from the same weights for every runner, in rotated order, round by round.

    ``runners``: name -> worker.Worker (a process each) or worker.Local (--one-process)."""
    n = {name: r.call("build", wl) for name, r in runners.items()}
    runners = {name: r for name, r in runners.items() if n[name]}  # not installed: left out
    steps = n["floor"] // wl["m"] * wl["epochs"]  # B: its steps; A and tiny: whole epochs
    times = {name: [] for name in runners}
    for r in range(rounds + 1):  # round 0 warms up and is dropped
        for name in list(runners)[r % len(runners) :] + list(runners)[: r % len(runners)]:
            t = runners[name].call("turn", steps)
            times[name] += [t / steps] if r else []
    t = {k: np.array(v) for k, v in times.items()}
    med = lambda f: {k: float(np.median(f(v))) for k, v in t.items()}  # noqa: E731
    out = dict(name=wl["name"], steps=steps, rounds=rounds, us=med(lambda v: v * 1e6))
    out["us_per_round"] = {k: [float(x * 1e6) for x in v] for k, v in t.items()}  # the spread
    out.update(x_floor=med(lambda v: v / t["floor"]), x_sgd=med(lambda v: v / t["mlpcore.sgd"]))
    q = {k: r.call("quality") for k, r in runners.items()}
    return dict(out, quality={k: v for k, v in q.items() if v is not None})  # not the floors


def start_runners(names, one_process):
    """(runners, thread pools): a worker process per runner, or all in this process."""
    if one_process:
        ctl, pools = worker.load(names)
        return {name: worker.Local(worker.Runner(name, ctl)) for name in names}, pools
    ctx = multiprocessing.get_context("spawn")  # a fresh interpreter: never fork BLAS threads
    runners = {name: worker.Worker(ctx, name) for name in names}  # they import side by side
    pools = {p["filepath"]: p for r in runners.values() for p in r.ready()}
    return runners, list(pools.values())


def child_time(args) -> dict:
    names = ["floor", "mlpcore.sgd", *args.peers]
    runners, pools = start_runners(names, args.one_process)
    out = dict(env={v: os.environ.get(v) for v in BLAS_VARS}, threadpools=pools, workloads=[])
    out.update(separate_processes=not args.one_process, pid=os.getpid())
    out["pids"] = {name: r.pid for name, r in runners.items()}
    out["load"] = [os.getloadavg()[0]]
    for wl in peers.workloads(args.quick):
        if wl["name"].startswith(args.only):
            rounds = args.rounds or (2 if args.quick else 20 if wl["m"] < 256 else 10)
            wl["wake"] = not args.cold or not wl["data"]  # B: always
            out["workloads"].append(dict(time_workload(wl, runners, rounds), wake=wl["wake"]))
            print(f"  {wl['name']}: done", file=sys.stderr, flush=True)
    for r in runners.values():
        r.close()
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
    ap.add_argument(
        "--one-process", action="store_true", help="all runners in one process (the old way)"
    )
    ap.add_argument(
        "--cold", action="store_true", help="no untimed step before each turn (but on B)"
    )
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
    flags += ["--one-process"] * args.one_process + ["--cold"] * args.cold
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
