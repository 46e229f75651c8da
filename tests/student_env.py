"""A student's environment, as a student gets it: the wheel, installed non-editable with the
``student`` extra into a fresh virtual environment (pip's cache reused; no system site-packages,
which would hide a missing dependency), with a Jupyter kernel that runs in it.

``student_venv`` (session-scoped, registered in conftest.py) builds it once for the tests that
need it: tests/test_student_install.py and tests/test_jupyterlab.py.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
KERNEL = "mlpcore-student"  # the kernelspec name of the fresh environment
# What the wheel is built from: copied out first, so the build leaves nothing in the repository.
SOURCES = ["pyproject.toml", "README.md", "LICENSE", "mlpcore"]


def _run(cmd: list[str], **kw) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if done.returncode:
        output = done.stdout[-3000:] + done.stderr[-3000:]
        pytest.fail(f"{' '.join(map(str, cmd))} failed:\n{output}")


@pytest.fixture(scope="session")
def student_venv(tmp_path_factory):
    """Yields a dict: ``python`` of the fresh venv, ``kernel`` name, ``jupyter_path`` (a data
    folder holding that kernel's spec, for JUPYTER_PATH), ``seconds`` taken to build it."""
    start = time.monotonic()
    home = tmp_path_factory.mktemp("student_env")
    src = home / "src"
    src.mkdir()
    for name in SOURCES:
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy2
        copy(ROOT / name, src / name)
    for cache in src.rglob("__pycache__"):
        shutil.rmtree(cache)
    wheels = home / "wheels"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(src)])
    (wheel,) = wheels.glob("mlpcore-*.whl")
    venv = home / "venv"
    _run([sys.executable, "-m", "venv", str(venv)])
    python = venv / "bin" / "python"
    # --no-compile: no .pyc written now (Python writes them at first import): a faster install
    _run([str(python), "-m", "pip", "install", "-q", "--no-compile", f"{wheel}[student]"])
    # the kernel's spec, in data folders of its own (for JUPYTER_PATH), not in the user's: one
    # named KERNEL; one named python3, which the student notebooks ask for, for JupyterLab
    spec = {
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (mlpcore student)",
        "language": "python",
    }
    for data, name in [("share", KERNEL), ("share_python3", "python3")]:
        folder = home / data / "jupyter" / "kernels" / name
        folder.mkdir(parents=True)
        (folder / "kernel.json").write_text(json.dumps(spec))
    yield {
        "python": python,
        "venv": venv,
        "wheel": wheel,
        "kernel": KERNEL,
        "jupyter_path": home / "share" / "jupyter",
        "jupyter_path_python3": home / "share_python3" / "jupyter",
        "seconds": time.monotonic() - start,
        "env": {**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"},
    }
