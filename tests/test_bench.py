"""The benchmark's plumbing and the README's speed table (no timing is asserted)."""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_report():
    spec = importlib.util.spec_from_file_location("bench_report", ROOT / "bench" / "report.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_speed_section_is_rendered_from_results_json():
    report = load_report()
    results = json.loads((ROOT / "bench" / "results.json").read_text())
    readme = (ROOT / "README.md").read_text()
    assert readme.count(report.START) == 1 and readme.count(report.END) == 1
    block = readme.split(report.START)[1].split(report.END)[0].strip("\n")
    assert block == report.render(results), "run `python bench/report.py --readme`"
    assert report.update_readme(readme, block) == readme


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    """One quick run of the tiny workload with scikit-learn: (results.json, stdout)."""
    out = tmp_path_factory.mktemp("bench") / "results.json"
    cmd = [
        sys.executable,
        str(ROOT / "bench" / "run.py"),
        "--quick",
        "--only=tiny",
        "--peers=scikit-learn",
        "--rounds=1",
        "--memory=digits",
        f"--out={out}",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(out.read_text()), proc.stdout


def test_quick_mode_runs_one_round_of_the_tiny_workload(quick):
    results, stdout = quick
    assert [s["label"] for s in results["settings"]] == ["as is", "unset"]
    for setting in results["settings"]:
        (wl,) = setting["workloads"]
        assert wl["name"].startswith("tiny") and wl["rounds"] == 1
        assert {"floor", "mlpcore.sgd"} <= set(wl["us"]) <= {"floor", "mlpcore.sgd", "scikit-learn"}
        assert wl["x_sgd"]["mlpcore.sgd"] == 1.0
        assert setting["threadpools"], "threadpoolctl saw no thread pool"
    for mem in results["memory"]:  # traced: the baseline is what was allocated since tracing began
        assert mem["data"] == "digits" and mem["peak_mb"] >= mem["baseline_mb"] >= 0
        assert mem["method"] == "tracemalloc" and mem["beyond"] < mem["over_data"]
    assert "| tiny: 2-8-1, per sample |" in stdout


def test_each_runner_runs_in_a_process_of_its_own(quick):
    results, _ = quick
    for setting in results["settings"]:
        pids = setting["pids"]  # the worker of each runner, as the worker reported it
        assert set(pids) == {"floor", "mlpcore.sgd", "scikit-learn"}
        assert len(set(pids.values())) == len(pids), "two runners shared a process"
        assert setting["pid"] not in pids.values() and os.getpid() not in pids.values()
        assert setting["separate_processes"] is True
    assert not set(results["settings"][0]["pids"].values()) & set(
        results["settings"][1]["pids"].values()
    ), "a worker outlived its BLAS setting"


def test_the_middle_half_is_the_quartiles_of_the_per_round_ratios():
    report = load_report()
    rounds = {"mlpcore.sgd": [10.0, 11.0, 12.0, 13.0, 30.0], "numpy floor": [10.0] * 5}
    wls = [{"us_per_round": rounds}, {"us_per_round": {}}]  # a setting without: left out
    # ratios 1.0, 1.1, 1.2, 1.3, 3.0: statistics.quantiles' default (exclusive) quartiles; the
    # setting without keeps its place, so that the header's order of settings still holds
    assert report.middle_half(wls, "mlpcore.sgd", "numpy floor") == "1.05–2.15; —"
    assert report.middle_half(wls[1:], "mlpcore.sgd", "numpy floor") == "—"


def test_a_floor_goal_reads_the_median_of_the_same_per_round_ratios_as_its_middle_half():
    report = load_report()
    name = "B: 784-1024-1024-10, batch 256, float32"  # bound 1.10 against either floor
    sgd, npf, floor = [11.0, 12.0, 13.0, 30.0], [10.0] * 4, [11.0] * 4
    t = {"mlpcore.sgd": sgd, "numpy floor": npf, "floor": floor}
    # x_sgd holds the median of numpy floor ÷ sgd, 0.801; its reciprocal, 1.248, is not the
    # median of sgd ÷ numpy floor (1.1, 1.2, 1.3, 3.0: 1.250) when the rounds are even
    x_sgd = {"numpy floor": (10 / 12 + 10 / 13) / 2}
    w = dict(us=dict.fromkeys(t, 1.0), x_floor={"mlpcore.sgd": 9.9}, x_sgd=x_sgd, us_per_round=t)
    _, goals = report.workload(name, [w])
    (row,) = [g for g in goals if "numpy floor" in g]
    assert row == f"| {name} | sgd ≤ 1.1 × numpy floor | 1.250 | 1.125–2.575 | not met |"
    # a results.json from before us_per_round: the reciprocal, and no middle half
    w.pop("us_per_round")
    _, goals = report.workload(name, [w])
    (row,) = [g for g in goals if "numpy floor" in g]
    assert row == f"| {name} | sgd ≤ 1.1 × numpy floor | 1.248 | — | not met |"
