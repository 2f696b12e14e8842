"""Build the course's Binder environment from binder/ alone, then run every notebook in it.

What Binder (repo2docker) does with this repository, done with a plain venv:

1. the Python version named in binder/runtime.txt ("python-3.11");
2. ``pip install -r binder/requirements.txt`` into a fresh venv;
3. binder/postBuild, run from the root of a copy of the repository;
4. then every notebooks/*.ipynb runs top to bottom in that environment (nbconvert),
   with no error or warning in any output; ipywidgets, jupyterlab and the
   jupyterlab-rise extension must be installed.

    python tools/check_binder_env.py [--keep DIR]

Needs the network (pip) and about 1 GB of disk; takes one to a few minutes.
tests/test_binder_env.py runs the same steps under pytest (marker ``binder``).
"""

import argparse
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parents[1]
# Left out of the copy of the repository: they are not in a clone.
NOT_CLONED = (".git", ".venv", "__pycache__", "*.egg-info", ".ipynb_checkpoints", ".pytest_cache",
              ".ruff_cache", ".hypothesis", "build", "test-artifacts", "*.nbi", "*.nbc")
# A stderr output or a traceback with one of these words fails the check.
ERROR_WORDS = ("Error", "Traceback", "Warning")


class BinderCheckError(RuntimeError):
    """A step failed; the message says which and shows the end of its output."""


def runtime_version(binder_dir):
    """(major, minor) from binder/runtime.txt, which reads e.g. ``python-3.11``."""
    text = (pathlib.Path(binder_dir) / "runtime.txt").read_text().strip()
    match = re.fullmatch(r"python-(\d+)\.(\d+)", text)
    if match is None:
        raise ValueError(f"binder/runtime.txt must read like 'python-3.11', got {text!r}.")
    return int(match.group(1)), int(match.group(2))


def find_python(version):
    """An interpreter of ``version`` (major, minor) to build the venv with, or None."""
    candidates = [shutil.which(f"python{version[0]}.{version[1]}")]
    if sys.version_info[:2] == tuple(version):
        candidates.append(sys.executable)
    return next((c for c in candidates if c), None)


def copy_repository(destination):
    """Copy the repository's files (as a clone would hold them) to ``destination``."""
    shutil.copytree(REPO, destination, ignore=shutil.ignore_patterns(*NOT_CLONED))
    return pathlib.Path(destination)


class BinderEnv:
    """A venv at ``folder / "venv"`` built from the binder/ files of the copy ``repo``."""

    def __init__(self, folder, repo, base_python):
        self.folder = pathlib.Path(folder)
        self.repo = pathlib.Path(repo)
        self.base_python = base_python
        self.venv = self.folder / "venv"
        self.python = self.venv / "bin" / "python"
        self.log = self.folder / "build.log"
        jupyter = self.folder / "jupyter"
        self.env = {key: value for key, value in os.environ.items()
                    if key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "JUPYTER_PATH")}
        self.env.update(
            PATH=f"{self.venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
            VIRTUAL_ENV=str(self.venv), PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1",
            # Kernels and settings from this venv only, never from the user's folders.
            JUPYTER_CONFIG_DIR=str(jupyter / "config"), JUPYTER_DATA_DIR=str(jupyter / "data"),
            JUPYTER_RUNTIME_DIR=str(jupyter / "runtime"), MPLCONFIGDIR=str(jupyter / "matplotlib"),
        )

    def run(self, what, command, **kwargs):
        """Run ``command`` (logged to build.log); BinderCheckError naming ``what`` if it fails."""
        start = time.perf_counter()
        answer = subprocess.run(command, cwd=kwargs.pop("cwd", self.repo), env=self.env,
                                capture_output=True, text=True, **kwargs)
        with open(self.log, "a") as log:
            log.write(f"$ {' '.join(map(str, command))}\n{answer.stdout}{answer.stderr}\n")
        if answer.returncode != 0:
            tail = "\n".join((answer.stdout + answer.stderr).splitlines()[-40:])
            raise BinderCheckError(f"{what} failed (exit code {answer.returncode}):\n{tail}")
        return answer, time.perf_counter() - start

    def build(self):
        """venv, ``pip install -r binder/requirements.txt``, then binder/postBuild."""
        timings = {}
        _, timings["venv"] = self.run("creating the venv", [self.base_python, "-m", "venv", self.venv])
        _, timings["requirements"] = self.run(
            "pip install -r binder/requirements.txt",
            [self.python, "-m", "pip", "install", "-r", self.repo / "binder" / "requirements.txt"])
        post_build = self.repo / "binder" / "postBuild"
        if post_build.exists():
            _, timings["postBuild"] = self.run("binder/postBuild", [*_interpreter(post_build), post_build])
        return timings

    def python_version(self):
        code = "import sys; print(*sys.version_info[:2])"
        answer, _ = self.run("asking the venv's Python its version", [self.python, "-c", code])
        return tuple(int(part) for part in answer.stdout.split())

    def import_versions(self, modules):
        """{module: installed version}, each module imported in the venv (BinderCheckError if
        one fails). The modules' distributions must have the modules' names."""
        code = ("import importlib, importlib.metadata as m, json, sys\n"
                "print(json.dumps({name: importlib.import_module(name) and m.version(name) "
                "for name in sys.argv[1:]}))")
        answer, _ = self.run(f"importing {', '.join(modules)}", [self.python, "-c", code, *modules])
        return json.loads(answer.stdout)

    def lab_extensions(self):
        """The output of ``jupyter labextension list`` in the venv."""
        answer, _ = self.run("jupyter labextension list",
                             [self.python, "-m", "jupyter", "labextension", "list"])
        return answer.stdout + answer.stderr

    def execute_notebooks(self, notebooks, output_dir):
        """Run ``notebooks`` top to bottom with nbconvert in the venv; return the executed paths."""
        output_dir = pathlib.Path(output_dir)
        output_dir.mkdir(parents=True, exist_ok=True)
        executed = []
        for notebook in notebooks:
            self.run(f"running {notebook.name}",
                     [self.python, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
                      "--ExecutePreprocessor.timeout=600", "--ExecutePreprocessor.kernel_name=python3",
                      "--output-dir", output_dir, notebook], cwd=notebook.parent)
            executed.append(output_dir / notebook.name)
        return executed


def _interpreter(script):
    """The command that runs ``script`` as its #! line asks (repo2docker makes it executable)."""
    first = pathlib.Path(script).read_text().splitlines()[0]
    return first[2:].split() if first.startswith("#!") else ["/bin/sh"]


def problems_in(executed_notebook):
    """["cell N: ..."] for every error output or stderr output with an error word."""
    notebook = json.loads(pathlib.Path(executed_notebook).read_text())
    found = []
    for index, cell in enumerate(notebook["cells"]):
        for output in cell.get("outputs", []):
            if output["output_type"] == "error":
                found.append(f"cell {index}: {output['ename']}: {output['evalue']}")
            elif output["output_type"] == "stream" and output["name"] == "stderr":
                text = "".join(output["text"])
                if any(word in text for word in ERROR_WORDS):
                    found.append(f"cell {index}: stderr: {text.strip()[:500]}")
    return found


def rise_installed(labextension_list):
    """True when ``jupyter labextension list`` shows jupyterlab-rise enabled and OK."""
    return any("jupyterlab-rise" in line and "enabled" in line and "OK" in line
               for line in labextension_list.splitlines())


def check(folder):
    """All the steps, printing as it goes; raises BinderCheckError on the first problem."""
    folder = pathlib.Path(folder)
    wanted = runtime_version(REPO / "binder")
    base_python = find_python(wanted)
    if base_python is None:
        raise BinderCheckError(f"binder/runtime.txt asks for Python {wanted[0]}.{wanted[1]}, "
                               f"but no python{wanted[0]}.{wanted[1]} is on PATH.")
    env = BinderEnv(folder, copy_repository(folder / "repo"), base_python)
    for step, seconds in env.build().items():
        print(f"{step}: {seconds:.1f} s")
    got = env.python_version()
    if got != wanted:
        raise BinderCheckError(f"the venv runs Python {got}, binder/runtime.txt says {wanted}.")
    print("imports:", env.import_versions(["ipywidgets", "jupyterlab", "gdlib"]))
    if not rise_installed(env.lab_extensions()):
        raise BinderCheckError("jupyterlab-rise is not listed as an enabled, OK lab extension.")
    notebooks = sorted((env.repo / "notebooks").glob("*.ipynb"))
    start = time.perf_counter()
    for executed in env.execute_notebooks(notebooks, folder / "executed"):
        found = problems_in(executed)
        if found:
            raise BinderCheckError(f"{executed.name} shows problems:\n" + "\n".join(found))
        print(f"{executed.name}: ran, no errors")
    print(f"{len(notebooks)} notebooks ran in {time.perf_counter() - start:.1f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=pathlib.Path,
                        help="build in this (empty or new) folder and keep it, instead of a temporary one")
    args = parser.parse_args()
    start = time.perf_counter()
    try:
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            check(args.keep)
        else:
            with tempfile.TemporaryDirectory(prefix="binder-check-") as folder:
                check(folder)
    except BinderCheckError as problem:
        sys.exit(f"Binder check FAILED: {problem}")
    print(f"Binder check passed in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
