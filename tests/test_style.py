"""The code learners read is kept tidy: ruff finds nothing in gdlib, the notebooks, tests,
tools or benchmarks."""

import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHECKED = ["gdlib", "notebooks", "student", "tests", "tools", "benchmarks", "conftest.py"]


def test_ruff_is_clean():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", *CHECKED],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
