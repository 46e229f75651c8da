"""One runner of `bench/run.py` in a process of its own (or in the caller's, with --one-process).

The child that times a BLAS setting starts one worker per runner with multiprocessing's "spawn"
(a fresh interpreter that inherits the setting's environment: no process with BLAS or OpenMP
threads is ever forked). A worker imports only its runner's libraries, builds the runner for
each workload when asked, and times its turns itself; between requests it waits, blocked on
its pipe. So no library runs in the wake of another library in the same process. A turn ends
only once the runner's pool threads have stopped spinning (``settle``), so that no pool takes a
core from the next runner either.
"""

from __future__ import annotations

import os
import sys
import threading
import time
import traceback
from pathlib import Path

import numpy as np
import peers

THREADS = 2
LIBS = {  # what each runner imports besides numpy and mlpcore
    "floor": ["scipy.linalg.blas"],
    "mlpcore.sgd": ["scipy.linalg.blas"],
    "scikit-learn": ["sklearn.neural_network"],
    "PyTorch": ["torch"],
}


def load(names):
    """Import the runners' libraries, first, so that threadpoolctl sees every pool.

    Returns the ThreadpoolController and its pools (each library's folder only: no path of
    this machine goes into results.json)."""
    for mod in dict.fromkeys(m for n in names for m in LIBS.get(n, [])):
        try:
            __import__(mod)
        except ImportError:  # a peer that is not installed is left out
            pass
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(THREADS)
    from threadpoolctl import ThreadpoolController

    ctl, keep = ThreadpoolController(), ("internal_api", "version", "architecture", "filepath")
    pools = [{k: lib.get(k) for k in keep} for lib in ctl.info()]
    for p in pools:
        p["filepath"] = "/".join(Path(p["filepath"]).parts[-3:])
    return ctl, pools


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


def settle(timeout: float = 1.0) -> None:
    """Wait, sleeping, until every other thread of this process sleeps too.

    After its work a pool's threads spin before they sleep: OpenBLAS's for 2^28 cycles (about
    0.1 s here), libgomp's for a few ms. Meanwhile they would take a core from the next runner,
    whichever process it is in. Linux: a thread's state is in /proc/self/task/<tid>/stat."""
    me, end = threading.get_native_id(), time.monotonic() + timeout
    while time.monotonic() < end:
        states = []
        for tid in os.listdir("/proc/self/task"):
            try:
                with open(f"/proc/self/task/{tid}/stat") as f:
                    states += [f.read().rsplit(")", 1)[1].split()[0]] if int(tid) != me else []
            except FileNotFoundError:  # a thread that just ended
                pass
        if "R" not in states:
            return
        time.sleep(0.002)


class Runner:
    """A runner (``peers.PEERS[name]``), built afresh for each workload; ``ctl``: its pools."""

    def __init__(self, name, ctl):
        self.name, self.ctl, self.runner = name, ctl, None

    def build(self, wl) -> int:
        """The runner for workload ``wl``, from mlpcore's seeded weights: its number of samples
        (0 when its library is not installed)."""
        import mlpcore

        self.wl, self.data = wl, peers.make_data(wl)
        start = mlpcore.Network(wl["s"], g=wl["g"], seed=0, dtype=wl["dtype"])
        try:
            self.runner = peers.PEERS[self.name](wl, start, *self.data)
        except ImportError:
            return 0
        return len(self.data[1])

    def turn(self, steps) -> float:
        """One timed call of ``steps`` steps, in seconds, after an untimed one-step call that
        wakes the runner's pool and warms its code and data (on B only with ``run.py --cold``)."""
        use_pools(self.ctl, self.runner.pools)
        if self.wl["wake"]:
            self.runner.run(1)
        t = time.perf_counter()
        self.runner.run(steps)
        t = time.perf_counter() - t
        settle()  # untimed: the next runner starts with no pool thread spinning
        return t

    def quality(self, _=None) -> float | None:
        """quality() of the final parameters (None for the floors, which train nothing)."""
        if not hasattr(self.runner, "params"):
            return None
        return quality(self.wl, self.runner.params(), *self.data)


def serve(name, conn) -> None:
    """A worker's life: report (pid, pools), then answer (method, argument) until ("stop", _)."""
    os.dup2(2, 1)  # stdout carries the setting's JSON: anything a library prints goes to stderr
    ctl, pools = load([name])
    runner = Runner(name, ctl)
    conn.send((os.getpid(), pools))
    while (request := conn.recv())[0] != "stop":  # blocked on the pipe between requests
        try:
            conn.send((True, getattr(runner, request[0])(request[1])))
        except Exception:
            conn.send((False, f"{name}: {traceback.format_exc()}"))


class Worker:
    """The coordinator's end of a worker process (``ctx``: multiprocessing's spawn context)."""

    def __init__(self, ctx, name):
        self.conn, theirs = ctx.Pipe()
        self.proc = ctx.Process(target=serve, args=(name, theirs), name=name, daemon=True)
        self.proc.start()
        theirs.close()

    def ready(self) -> list[dict]:
        """Wait until the worker has imported its libraries; its thread pools."""
        self.pid, pools = self.conn.recv()
        return pools

    def call(self, method, arg=None):
        self.conn.send((method, arg))
        ok, value = self.conn.recv()
        if not ok:
            raise RuntimeError(value)
        return value

    def close(self) -> None:
        self.conn.send(("stop", None))
        self.proc.join()


class Local:
    """A runner in the coordinator's own process (--one-process), behind the same ``call``."""

    def __init__(self, runner):
        self.runner, self.pid = runner, os.getpid()

    def call(self, method, arg=None):
        return getattr(self.runner, method)(arg)

    def close(self) -> None:
        pass
