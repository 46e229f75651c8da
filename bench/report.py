"""The README's speed section, rendered from bench/results.json (so that it cannot drift).

python bench/report.py            # print the tables of bench/results.json
python bench/report.py --readme   # and rewrite README.md between the bench markers
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
PEERS = ("scikit-learn", "PyTorch")
NUMPY_FLOOR = "numpy floor"  # issue 12's floor; "floor" is the engine's own BLAS calls
GOALS = {  # workload: (largest sgd ÷ floor, smallest peer ÷ sgd for each peer)
    "A: digits 64-32-10, per sample": (1.5, 10.0),
    "A: digits 64-32-10, batch 32": (2.0, 4.0),
    "B: 784-1024-1024-10, batch 256, float32": (1.10, 1.0),
    "B: 784-1024-1024-10, batch 256, float64": (1.10, 1.0),
    "B: 784-1024-1024-10, batch 256, float32, X as C-ordered columns": (1.10, 1.0),
    "B: 784-1024-1024-10, batch 256, float64, X as C-ordered columns": (1.10, 1.0),
    "tiny: 2-8-1, per sample": (1.6, None),
}


def sig3(v: float) -> str:
    """Three significant digits, no exponent: 6.23, 13.7, 121."""
    return f"{v:.{max(0, 2 - int(math.floor(math.log10(abs(v) or 1))))}f}"


def dec3(v: float) -> str:
    """Three decimals, for ratios near a bound: 1.102 must not read 1.10."""
    return f"{v:.3f}"


def span(values, fmt=sig3) -> str:
    """'a–b' over the BLAS settings ('a' when both read alike, '—' when missing)."""
    vals = [v for v in values if v is not None]
    lo, hi = (fmt(min(vals)), fmt(max(vals))) if vals else ("—", "—")
    return lo if lo == hi else f"{lo}–{hi}"


def verdict(values, at_most=math.inf, at_least=-math.inf) -> str:
    ok = [at_least <= v <= at_most for v in values if v is not None]
    n = sum(ok)
    return "met" if n == len(ok) else "not met" if n == 0 else f"met in {n} of {len(ok)} settings"


def per_round(w, num, den) -> list[float] | None:
    """The per-round ratios ``num`` ÷ ``den`` of one setting's workload ``w`` (None without
    ``us_per_round``, as in results.json files written before it was kept)."""
    t = w.get("us_per_round", {})
    if t.get(num) and t.get(den) and all(t[den]):
        return [a / b for a, b in zip(t[num], t[den], strict=True)]
    return None


def middle_half(wls, num, den, fmt=sig3) -> str:
    """The interquartile range of the per-round ratios ``num`` ÷ ``den`` in each setting ('; '
    between settings, in their order), how far one round's ratio strays ('—' without)."""
    out = []
    for w in wls:  # a setting without them keeps its place, as "—"
        x = per_round(w, num, den)
        q = statistics.quantiles(x, n=4) if x and len(x) > 1 else None
        out.append(f"{fmt(q[0])}–{fmt(q[2])}" if q else "—")
    return "—" if set(out) == {"—"} else "; ".join(out)


def workload(name, wls) -> tuple[str, list[str]]:
    """One row of the speed table and the goal rows of a workload (wls: one per setting)."""

    def get(field, peer):
        return [w[field].get(peer) for w in wls]

    def t(peer):
        return span([v / (1e3 if name.startswith("B") else 1) for v in get("us", peer) if v])

    xf, (top, factor) = get("x_floor", "mlpcore.sgd"), GOALS.get(name, (None, None))
    # sgd ÷ numpy floor: the median of its per-round ratios (without them, from the numpy
    # floor's per-round time ÷ sgd's, as x_sgd holds it)
    xn = []
    for w in wls:
        x, v = per_round(w, "mlpcore.sgd", NUMPY_FLOOR), w["x_sgd"].get(NUMPY_FLOOR)
        xn.append(statistics.median(x) if x else 1 / v if v else None)
    unit, ran = " ms" if name.startswith("B") else " µs", [p for p in PEERS if any(get("us", p))]
    cells = [f"{t(p)} ({span(get('x_sgd', p))}×)" if p in ran else "—" for p in PEERS]
    row = [name, t("floor") + unit, t(NUMPY_FLOOR) + unit, t("mlpcore.sgd") + unit]
    row += [span(xf), span(xn), *cells]
    goals = []
    for label, x, den in (("BLAS floor", xf, "floor"), ("numpy floor", xn, NUMPY_FLOOR)):
        if top and any(v is not None for v in x):
            x3, iqr = span(x, fmt=dec3), middle_half(wls, "mlpcore.sgd", den, dec3)
            goals.append([name, f"sgd ≤ {top:g} × {label}", x3, iqr, verdict(x, at_most=top)])
    for p in ran if factor else ():
        what = "ahead of" if factor == 1 else f"≥ {factor:g}× faster than"
        x, iqr = get("x_sgd", p), middle_half(wls, p, "mlpcore.sgd")
        goals.append([name, f"{what} {p}", span(x) + "×", iqr, verdict(x, at_least=factor)])
    return line(row), [line(g) for g in goals]


def line(cells) -> str:
    return "| " + " | ".join(map(str, cells)) + " |"


def speed(results) -> list[str]:
    rows = [
        line(
            ["workload", "BLAS floor", "numpy floor", "`mlpcore.sgd`"]
            + ["sgd ÷ BLAS floor", "sgd ÷ numpy floor", *PEERS]
        ),
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    labels = "; ".join(s["label"] for s in results["settings"])
    head = ["workload", "goal", "measured", f"per-round ratios, middle half ({labels})", "verdict"]
    goals = [line(head), "|---|---|---:|---:|---|"]
    for name in dict.fromkeys(w["name"] for s in results["settings"] for w in s["workloads"]):
        wls = [w for s in results["settings"] for w in s["workloads"] if w["name"] == name]
        row, goal_rows = workload(name, wls)
        rows, goals = rows + [row], goals + goal_rows
    return rows + [""] + goals


def memory(results) -> list[str]:
    over = [m for m in results["memory"] if m["kind"] == "over data"]
    on_b = [m for m in results["memory"] if m["kind"] == "B" and m["peak_mb"]]
    out = []
    if over:
        head = ["data", "network", "input order", "batch", "data MiB", "peak − baseline MiB"]
        out += [
            line([*head, "(peak − baseline − data) / data", "less model and batch"]),
            "|---|---|---|---:|---:|---:|---:|---:|",
        ]
    for m in over:
        mib = sig3(m["data_mb"]), sig3(m["peak_mb"] - m["baseline_mb"]), f"{m['over_data']:+.3f}"
        beyond = f"{m['beyond']:+.3f}" if "beyond" in m else "—"
        how = f" ({m['method']})" if "method" in m else ""
        out.append(line([m["data"] + how, m["dtype"], m["order"], m["batch"], *mib, beyond]))
    if on_b:
        out += ["", f"Workload B, 3 epochs of {on_b[0]['n']} samples, one process per peer:", ""]
        out += [line(["peer", "peak MiB, float32", "peak MiB, float64"]), "|---|---:|---:|"]
        for p in dict.fromkeys(m["peer"] for m in on_b):
            mb = {m["dtype"]: f"{m['peak_mb']:.0f}" for m in on_b if m["peer"] == p}
            out.append(line([p, mb.get("float32", "—"), mb.get("float64", "—")]))
    return out


def render(results) -> str:
    meta, sets = results["meta"], results["settings"]
    env = ", ".join(f"{k}={v}" for k, v in sets[0]["env"].items() if v)
    env = f"the environment as is, {env}; and both unset" if env else "both were unset here"
    pools = "; ".join(
        f"{p['filepath']} ({p['internal_api']} {p['version'] or ''})".replace(" )", ")")
        for p in sets[0]["threadpools"]
    )
    rounds = sorted({w["rounds"] for s in sets for w in s["workloads"]})
    command = f"`bench/run.py --rounds {meta['rounds']}`" if meta.get("rounds") else "`make bench`"
    head = (
        f"{command}{' QUICK=1' if meta['quick'] else ''}, {meta['date']}, {meta['wall_s']} s; "
        f"{meta['cpu']}; 1-minute load average {span([v for s in sets for v in s['load']])} "
        f"during the timing. Time per step; each cell spans the two BLAS settings ({env}: "
        "OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE). In brackets: the peer's time ÷ `mlpcore.sgd`'s. "
        "Ratios are medians of "
        f"per-round ratios over {'–'.join(map(str, rounds))} timed rounds; the goal table also "
        "gives the middle half of those per-round ratios (from their first to their third "
        "quartile, for each setting), the spread of one round. "
        f"Thread pools (threadpoolctl): {pools}."
    )
    one = "All runners ran in one process (`--one-process`)."
    head += " " + (
        "Each runner ran in a process of its own." if sets[0]["separate_processes"] else one
    )
    warm = {w.get("wake") for s in sets for w in s["workloads"] if w["name"][0] != "B"}
    if warm == {True}:
        head += " Each timed call came right after an untimed one-step call of the same runner."
    return "\n".join([head, ""] + speed(results) + [""] + memory(results))


def update_readme(text: str, block: str) -> str:
    before, rest = text.split(START, 1)
    return f"{before}{START}\n{block}\n{END}{rest.split(END, 1)[1]}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results", nargs="?", default=str(ROOT / "bench" / "results.json"))
    ap.add_argument("--readme", action="store_true", help="rewrite README.md's bench section")
    args = ap.parse_args(argv)
    block = render(json.loads(Path(args.results).read_text()))
    if args.readme:
        (ROOT / "README.md").write_text(update_readme((ROOT / "README.md").read_text(), block))
    print(block)
    return 0


if __name__ == "__main__":
    sys.exit(main())
