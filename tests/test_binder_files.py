"""Binder builds from binder/ alone: it must ask for the same packages as
requirements.txt, at pinned versions that satisfy requirements.txt's ranges."""

import pathlib
import re

from packaging.requirements import Requirement

ROOT = pathlib.Path(__file__).resolve().parent.parent


def requirements(path):
    found = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            req = Requirement(line)
            found[req.name.lower()] = req
    return found


def test_binder_pins_the_same_packages_within_the_ranges():
    course = requirements(ROOT / "requirements.txt")
    binder = requirements(ROOT / "binder" / "requirements.txt")
    assert set(binder) == set(course)
    for name, req in binder.items():
        (spec,) = req.specifier
        assert spec.operator == "==", f"binder pins {name} exactly"
        assert course[name].specifier.contains(spec.version), f"{name}=={spec.version} outside {course[name]}"


def test_binder_runtime_and_post_build():
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"
    post_build = (ROOT / "binder" / "postBuild").read_text()
    assert post_build.startswith("#!") and "set -e" in post_build
    assert "pip install --no-deps -e ." in post_build
    assert (ROOT / "binder" / "postBuild").stat().st_mode & 0o111, "postBuild must be executable"


def test_pyproject_and_requirements_agree_on_numpy():
    pyproject = (ROOT / "pyproject.toml").read_text()
    numpy_range = re.search(r'"numpy([^"]*)"', pyproject).group(1)
    assert str(requirements(ROOT / "requirements.txt")["numpy"].specifier) == ",".join(
        sorted(numpy_range.split(","))
    )
