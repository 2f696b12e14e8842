"""The Binder badge keeps working: an environment built from binder/ alone runs every notebook.

The slow part (a fresh venv from binder/requirements.txt and binder/postBuild, then every
notebook run in it: one to a few minutes, needs the network) is marked ``binder`` and runs
only when GDLIB_BINDER_CHECK=1, as CI sets it. The steps are in tools/check_binder_env.py,
which also runs on its own. The quick tests at the end check the checker.
"""

import json
import os
import pathlib
import sys

import pytest

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))

from check_binder_env import (  # noqa: E402
    BinderEnv,
    copy_repository,
    find_python,
    problems_in,
    rise_installed,
    runtime_version,
)

NOTEBOOK_NAMES = sorted(path.name for path in (REPO / "notebooks").glob("*.ipynb"))
RUN_SLOW = os.environ.get("GDLIB_BINDER_CHECK") == "1"


def binder_check(test):
    """Mark ``test`` as part of the slow Binder check (marker ``binder``, GDLIB_BINDER_CHECK=1)."""
    skip = pytest.mark.skipif(not RUN_SLOW, reason="builds a fresh venv from binder/ (minutes, "
                                                   "network): set GDLIB_BINDER_CHECK=1 to run it")
    return pytest.mark.binder(skip(test))


@pytest.fixture(scope="module")
def binder_env(tmp_path_factory):
    """A venv built the way Binder builds the course, from a copy of the repository."""
    wanted = runtime_version(REPO / "binder")
    base_python = find_python(wanted)
    if base_python is None:
        pytest.fail(f"binder/runtime.txt asks for Python {wanted[0]}.{wanted[1]}: "
                    f"install python{wanted[0]}.{wanted[1]} to check the Binder environment")
    folder = tmp_path_factory.mktemp("binder")
    env = BinderEnv(folder, copy_repository(folder / "repo"), base_python)
    env.build()
    return env


@binder_check
def test_venv_runs_the_python_of_runtime_txt(binder_env):
    assert binder_env.python_version() == runtime_version(REPO / "binder")


@binder_check
def test_course_packages_import(binder_env):
    versions = binder_env.import_versions(["ipywidgets", "jupyterlab", "numpy", "matplotlib", "gdlib"])
    assert set(versions) == {"ipywidgets", "jupyterlab", "numpy", "matplotlib", "gdlib"}


@binder_check
def test_jupyterlab_rise_is_installed(binder_env):
    listing = binder_env.lab_extensions()
    assert rise_installed(listing), f"jupyterlab-rise is not enabled and OK:\n{listing}"


@binder_check
@pytest.mark.parametrize("name", NOTEBOOK_NAMES)
def test_notebook_runs_top_to_bottom(binder_env, name, tmp_path):
    notebook = binder_env.repo / "notebooks" / name
    (executed,) = binder_env.execute_notebooks([notebook], tmp_path)
    assert problems_in(executed) == []


# -- the checker itself (quick, always run) -------------------------------------------------

def test_runtime_txt_names_a_python_version():
    major, minor = runtime_version(REPO / "binder")
    assert major == 3 and minor >= 10


def test_runtime_txt_of_another_form_is_refused(tmp_path):
    (tmp_path / "runtime.txt").write_text("3.11\n")
    with pytest.raises(ValueError, match="python-3.11"):
        runtime_version(tmp_path)


def stream(name, text):
    return {"output_type": "stream", "name": name, "text": [text]}


def test_problems_in_sees_errors_and_warnings_but_not_plain_stderr(tmp_path):
    outputs = [
        [stream("stdout", "Error: 0\n")],  # printed on purpose: fine
        [{"output_type": "error", "ename": "ValueError", "evalue": "bad", "traceback": []}],
        [stream("stderr", "RuntimeWarning: overflow\n")],
        [stream("stderr", "50%\n")],  # a progress line: fine
    ]
    path = tmp_path / "executed.ipynb"
    path.write_text(json.dumps({"cells": [{"cell_type": "code", "outputs": o} for o in outputs]}))
    found = problems_in(path)
    assert [line.split(":")[0] for line in found] == ["cell 1", "cell 2"]


def test_rise_installed_reads_the_labextension_listing():
    green = "\x1b[32m{}\x1b[0m".format
    listing = (f"        jupyterlab-rise v0.43.1 {green('enabled')} {green('OK')} (python, jupyterlab_rise)\n"
               "        @jupyterlab/mathjax3-extension v4.3.0 enabled  X (python, jupyterlab-mathjax3)\n")
    assert rise_installed(listing)
    assert not rise_installed(listing.replace("OK", " X"))
    assert not rise_installed("        jupyterlab_pygments v0.3.0 enabled OK\n")
