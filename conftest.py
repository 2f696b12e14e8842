"""Project-wide pytest hooks: the slow work first, how pytest-xdist shares it out, and how long
each notebook took under nbval.

The suite runs on two workers (``-n auto`` in pyproject.toml). Its slow parts are a few long
units that must not be split: a notebook under nbval (its cells run in order in one kernel),
a notebook in the browser, a test module with a module-scoped fixture. The workers take units
longest first, so that they finish together instead of one waiting on the last notebook.
"""

import os
import sys

import pytest

# One BLAS thread per process: two workers, their kernels, JupyterLab and Chromium already share
# the cores, and the course's matrices are tiny; OpenBLAS's extra threads would only spin and fight
# over them (~10 % of a notebook's CPU time). Set before numpy loads, inherited by workers and kernels.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

# nbformat (nbval, nbclient) imports jsonschema, which imports rfc3987_syntax if installed; that
# builds ~35 Lark parsers (~2 s) for the "iri" string format, which no notebook schema uses. Every
# pytest process (with xdist: three) would pay it, so it is left out here, and nbval, which imports
# nbformat, is loaded after this line instead of at start-up (``-p no:nbval`` in pyproject.toml).
sys.modules.setdefault("rfc3987_syntax", None)
pytest_plugins = ["nbval.plugin"]

# Notebooks by how long they take to run, longest first (measured; a notebook not listed
# runs after these). Used for both the nbval and the browser run of each notebook.
SLOWEST_NOTEBOOKS_FIRST = ("09", "07", "05", "08", "02", "04", "01", "00", "06", "03")
# Test modules that start kernels or processes: right after the notebooks.
SLOW_MODULES_FIRST = ("tests/test_student_copies.py", "tests/test_crash_safety.py")
BROWSER_TESTS = "tests/browser/"


def _notebook_rank(text):
    """Place of the notebook named in ``text`` in SLOWEST_NOTEBOOKS_FIRST (len() if none)."""
    prefix = text.rsplit("/", 1)[-1][:2]
    if prefix in SLOWEST_NOTEBOOKS_FIRST:
        return SLOWEST_NOTEBOOKS_FIRST.index(prefix)
    return len(SLOWEST_NOTEBOOKS_FIRST)


def _unit(nodeid):
    """The unit of work ``nodeid`` belongs to, which one worker runs whole: a notebook's
    cells under nbval, one browser test, or one test module. (Each worker that runs browser
    tests starts its own JupyterLab and Chromium, ~5 s of CPU: less than one notebook takes.)"""
    path = nodeid.split("::", 1)[0]
    if path.startswith(BROWSER_TESTS):
        return nodeid
    return path  # a notebook under nbval, or a test module


def _order(nodeid):
    """Sort key: browser tests, notebooks under nbval, slow modules, then the other tests;
    notebooks longest first. Stable sorting keeps the order inside each unit."""
    path = nodeid.split("::", 1)[0]
    if path.startswith(BROWSER_TESTS):
        parameter = nodeid.partition("[")[2]
        return (0, _notebook_rank(parameter.rstrip("]")) if parameter else len(SLOWEST_NOTEBOOKS_FIRST))
    if path.endswith(".ipynb"):
        return (1, _notebook_rank(path))
    if path in SLOW_MODULES_FIRST:
        return (2, SLOW_MODULES_FIRST.index(path))
    return (3, 0)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: _order(item.nodeid))


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """Give each worker whole units (see ``_unit``), in the order collected (slowest first)."""
    from xdist.scheduler import LoadScopeScheduling

    class UnitScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            return _unit(nodeid)

    # LoadScopeScheduling would reorder the units by their number of tests (a notebook's 40 cells
    # before a browser test of one): keep the order of the collection instead.
    config.option.loadscopereorder = False
    return UnitScheduling(config, log)


# ---------------------------------------------------------------- notebook times under nbval
_notebook_seconds = {}


def pytest_runtest_logreport(report):
    # Reports reach the main process from every worker, with each phase's duration.
    path = report.nodeid.split("::", 1)[0]
    if path.endswith(".ipynb"):
        name = path.rsplit("/", 1)[-1]
        _notebook_seconds[name] = _notebook_seconds.get(name, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter):
    if _notebook_seconds:
        terminalreporter.section("notebooks under nbval")
        for name, seconds in sorted(_notebook_seconds.items()):
            terminalreporter.write_line(f"{name}: {seconds:.1f} s")
        terminalreporter.write_line(f"all notebooks: {sum(_notebook_seconds.values()):.1f} s")
