"""The benchmark's plumbing and the README's speed table (no timing is asserted)."""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

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


def test_quick_mode_runs_one_round_of_the_tiny_workload(tmp_path):
    out = tmp_path / "results.json"
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
    results = json.loads(out.read_text())
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
    assert "| tiny: 2-8-1, per sample |" in proc.stdout
