"""How fast, and in how little memory, mlpcore.load refuses the hostile files of tests/test_io.py.

    python bench/hostile_files.py

For each file: its size, the time to refuse it, the peak of Python-traced allocations during
``load`` (tracemalloc: numpy arrays included), the growth of the peak resident set of a fresh
process that only loads it (maxrss, so allocations outside Python count too), and the message.
tests/test_io.py asserts the issue's bounds (under 1 s, under 50 MB); this prints the figures.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import mlpcore  # noqa: E402


def refuse(path: str) -> tuple[float, str]:
    t0 = time.perf_counter()
    try:
        mlpcore.load(path)
    except ValueError as exc:
        return time.perf_counter() - t0, str(exc).replace(path, "<path>")
    return time.perf_counter() - t0, "LOADED (not refused)"


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        refuse(sys.argv[2])
        print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024)
        return
    from test_io import HOSTILE

    folder = tempfile.mkdtemp()
    print(f"{'file':22} {'bytes':>7} {'ms':>6} {'traced MB':>9} {'rss +MB':>7}  message")
    for kind, (raw, _) in sorted(HOSTILE.items()):
        path = os.path.join(folder, "hostile.npz")
        Path(path).write_bytes(raw)
        tracemalloc.start()
        seconds, message = refuse(path)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        child = [sys.executable, __file__, "--child", path]
        rss = float(subprocess.run(child, capture_output=True, text=True, check=True).stdout)
        print(
            f"{kind:22} {len(raw):7d} {1e3 * seconds:6.1f} {peak / 1e6:9.3f} {rss:7.1f}  "
            f"{message[:90]}"
        )


if __name__ == "__main__":
    main()
