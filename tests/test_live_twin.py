"""The book's live playground trains a JavaScript twin of mlpcore (book/live/mlp.js).

This exports test vectors from mlpcore (book/live_export.py: forward traces, dL, dB, dW, 50
training steps per-sample and mini-batch, diverging runs) and runs ``node --test`` on
tests/live/, which holds the twin to 1e-12 relative. A vector file with one entry moved by 1e-9
must make node fail, so the comparison can fail.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _exporter():
    spec = importlib.util.spec_from_file_location("live_export", ROOT / "book" / "live_export.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def vectors(tmp_path_factory):
    path = tmp_path_factory.mktemp("live") / "vectors.json"
    subprocess.run(
        [sys.executable, str(ROOT / "book" / "live_export.py"), "vectors", str(path)], check=True
    )
    return path


def _node(vectors: Path, report: Path | None = None) -> subprocess.CompletedProcess:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed; .ci/run installs it with apt-get")
    env = dict(os.environ, MLP_VECTORS=str(vectors))
    if report is not None:
        env["MLP_REPORT"] = str(report)
    return subprocess.run(
        [node, "--test", str(ROOT / "tests" / "live")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_twin_equals_mlpcore(vectors, tmp_path):
    report = tmp_path / "report.json"
    result = _node(vectors, report)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    worst = json.loads(report.read_text())["worst"]
    print(f"largest relative difference of the twin from mlpcore: {worst['rel']:.2e}")
    assert worst["rel"] <= 1e-12


def test_node_fails_on_a_wrong_vector(vectors, tmp_path):
    data = json.loads(vectors.read_text())
    case = data["training"][0]
    case["plain"]["w"][0][0][0] *= 1 + 1e-9  # mlpcore's w[0] after 50 steps, moved a little
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps(data))
    result = _node(wrong)
    assert result.returncode != 0
    assert "w vs plain[0]" in result.stdout


def test_site_data_is_mlpcore_data():
    module = _exporter()
    from mlpcore import Network, data

    site = module.site_data()
    circles = data.circles(seed=0)
    assert site["datasets"]["circles"]["train"]["X"] == circles.X.ravel().tolist()
    assert site["datasets"]["circles"]["train"]["labels"] == circles.labels.tolist()
    net = Network((2, 8, 2), "tanh", seed=0)
    assert site["networks"]["circles/tanh"]["w"][0] == net.w[0].tolist()
    assert set(site["datasets"]) == {"xor", "circles", "moons", "spirals"}


def test_the_page_gets_the_same_twin_as_a_classic_script(tmp_path):
    """book/_ext/live_site.py turns the module into the script the page loads: same functions."""
    spec = importlib.util.spec_from_file_location(
        "live_site", ROOT / "book" / "_ext" / "live_site.py"
    )
    live_site = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(live_site)
    classic = tmp_path / "mlp-classic.js"
    classic.write_text(live_site.classic_script((ROOT / "book" / "live" / "mlp.js").read_text()))
    probe = (
        "const vm = require('node:vm'); const fs = require('node:fs');"
        "const window = {};"
        "vm.runInNewContext(fs.readFileSync(process.argv[1], 'utf8'), {window});"
        "import(process.argv[2]).then((m) => {"
        "  const a = Object.keys(window.MLP).sort().join(), b = Object.keys(m).sort().join();"
        "  if (a !== b) { console.error(a + ' != ' + b); process.exit(1); }"
        "  const net = window.MLP.fromArrays([2, 1], 'tanh', [[0.5, -0.25]], [[0.125]]);"
        "  console.log(window.MLP.forward(net, Float64Array.from([1, 2]), 1).z[1][0]); });"
    )
    module = (ROOT / "book" / "live" / "mlp.js").as_uri()
    out = subprocess.run(
        ["node", "-e", probe, str(classic), module], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert float(out.stdout) == 0.5 * 1 - 0.25 * 2 + 0.125
    with pytest.raises(ValueError, match="must not import"):
        live_site.classic_script('import { x } from "./y.js";\nexport const z = 1;\n')
