"""Project-wide pytest hooks: the slow work first, how pytest-xdist shares it out, each figure
drawn once, and how long each notebook took under nbval.

The suite runs on two workers (``-n auto`` in pyproject.toml). Its slow parts are a few long
units that must not be split: a notebook under nbval (its cells run in order in one kernel),
the browser tests (one JupyterLab and one Chromium serve them all), a test module with a
module-scoped fixture. The workers take units longest first: one runs the browser tests while
the other runs the notebooks under nbval, and whichever is free takes the next test module, so
that the two finish together. The suite is bound by the two cores, not by waiting: what
shortens it is work left undone (a second JupyterLab, a figure drawn twice), see below.
"""

import atexit
import gc
import importlib.util
import os
import shutil
import sys
import tempfile

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

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "tests"))
import forked_kernels  # noqa: E402
from kernel_settings import GC_THRESHOLD, KERNEL_CONFIG, write_ipython_folder  # noqa: E402

sys.path.pop(0)
gc.set_threshold(*GC_THRESHOLD)  # fewer garbage collections: see tests/kernel_settings.py

# A pytest-xdist worker ends without Python's own teardown. The run waits for each worker process
# to end, and by its last exit handler a worker has sent every report; yet tearing down one that
# loaded numba, matplotlib and Playwright took 1-2 s more (measured: 2.0 s for the browser tests'
# worker, 0.9 s for the other), with no test left to run. Registered before any other handler of
# the tests, this one runs after them all (atexit runs handlers last registered first). Its exit
# status is read by no one: every result has reached the main process by then.
def _exit_without_teardown():
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if os.environ.get("PYTEST_XDIST_WORKER"):
    atexit.register(_exit_without_teardown)

# Notebooks by how long they take to run, longest first (measured; a notebook not listed
# runs after these). Used for both the nbval and the browser run of each notebook.
SLOWEST_NOTEBOOKS_FIRST = ("09", "07", "05", "08", "02", "04", "01", "00", "06", "03")
# Test modules by how long they take (measured, each over 0.5 s), longest first: right after the
# notebooks, so that the quick modules come last and fill in while the other worker finishes.
SLOW_MODULES_FIRST = tuple(f"tests/test_{name}.py" for name in (
    "student_copies", "network_diagram", "forked_kernels", "legibility", "crash_safety", "training",
    "descent_variants", "boundary", "training_explorer", "surface", "history_plot", "explorer_cache",
    "exercises"))
BROWSER_TESTS = "tests/browser/"


def _notebook(nodeid):
    """The notebook file that ``nodeid`` runs ("09_better_descent.ipynb"): a cell under nbval, or
    a browser test's parameter; "" for any other test."""
    path = nodeid.split("::", 1)[0]
    if path.startswith(BROWSER_TESTS):
        return nodeid.partition("[")[2].rstrip("]")
    return path.rsplit("/", 1)[-1] if path.endswith(".ipynb") else ""


def _notebook_rank(name):
    """Place of notebook ``name`` in SLOWEST_NOTEBOOKS_FIRST (len() if not there)."""
    prefix = name[:2]
    if prefix in SLOWEST_NOTEBOOKS_FIRST:
        return SLOWEST_NOTEBOOKS_FIRST.index(prefix)
    return len(SLOWEST_NOTEBOOKS_FIRST)


def _unit(nodeid):
    """The unit of work ``nodeid`` belongs to, which one worker runs whole: a notebook's
    cells under nbval, a test module, or all the browser tests. (The browser tests share one
    JupyterLab and one Chromium: a second pair would cost ~12 s of CPU, starting and loading.)"""
    path = nodeid.split("::", 1)[0]
    if path.startswith(BROWSER_TESTS):
        return BROWSER_TESTS
    return path  # a notebook under nbval, or a test module


def _order(nodeid):
    """Sort key: browser tests, notebooks under nbval, slow modules, then the other tests;
    notebooks longest first. Stable sorting keeps the order inside each unit."""
    path = nodeid.split("::", 1)[0]
    if path.startswith(BROWSER_TESTS):
        return (0, _notebook_rank(_notebook(nodeid)))
    if path.endswith(".ipynb"):
        return (1, _notebook_rank(_notebook(nodeid)))
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
    name = _notebook(report.nodeid)
    if name and not report.nodeid.startswith(BROWSER_TESTS):
        _notebook_seconds[name] = _notebook_seconds.get(name, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter):
    if _notebook_seconds:
        terminalreporter.section("notebooks under nbval")
        for name, seconds in sorted(_notebook_seconds.items()):
            terminalreporter.write_line(f"{name}: {seconds:.1f} s")
        terminalreporter.write_line(f"all notebooks: {sum(_notebook_seconds.values()):.1f} s")


# ---------------------------------------------------------------- the kernels started here
# Each kernel started here (nbval's, the student copies') reads an IPython folder of the tests' own,
# not the one of whoever runs them: KERNEL_CONFIG (tests/kernel_settings.py: fewer garbage
# collections), and, when the browser tests run every notebook, no pictures of figures.
#
# nbval compares text outputs, never pictures. When the browser tests run every notebook too,
# JupyterLab draws each figure and the test fails on any error it shows (a figure that fails to
# draw included: test_a_failing_cell_a_failing_figure_and_broken_latex_are_seen); so these kernels
# make no picture of a figure: IPython then shows it as its text, "<Figure size 900x360 with
# 2 Axes>", which is what nbval compares. That spares drawing ~40 figures a second time (~10 s of
# CPU). Without the browser tests (-m "not browser", a subset of the notebooks, or no Chromium
# here) every kernel draws, as a learner's does. The browser's own kernels always draw: their
# IPython folder is lab_server.LabServer's, which holds KERNEL_CONFIG alone.
_FIGURELESS_KERNEL_CONFIG = "c.InlineBackend.figure_formats = set()  # see the root conftest.py\n"


def _browser_can_run():
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "tests", "browser"))
    try:
        from lab_server import find_chromium
    finally:
        sys.path.pop(0)
    return find_chromium() is not None and importlib.util.find_spec("playwright") is not None


def pytest_collection_finish(session):
    """On each worker, once its tests are chosen: the kernels' IPython folder (figureless kernels
    if the browser draws every notebook)."""
    under_nbval, in_browser = set(), set()
    for item in session.items:
        browser = item.nodeid.startswith(BROWSER_TESTS)
        (in_browser if browser else under_nbval).add(_notebook(item.nodeid))
    under_nbval.discard("")
    config = KERNEL_CONFIG
    if under_nbval and under_nbval <= in_browser and _browser_can_run():
        config += _FIGURELESS_KERNEL_CONFIG
    folder = tempfile.mkdtemp(prefix="gdlib-kernels-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    write_ipython_folder(os.path.join(folder, "ipython"), config)
    os.environ["IPYTHONDIR"] = os.path.join(folder, "ipython")
    # The kernelspec that nbval (--nbval-kernel-name in pyproject.toml) and the student copies use.
    forked_kernels.write_kernelspec(os.path.join(folder, "jupyter"))
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        filter(None, [os.path.join(folder, "jupyter"), os.environ.get("JUPYTER_PATH")]))
    global _kernels_folder
    _kernels_folder = folder


# ---------------------------------------------------------------- kernels forked from a template
# The kernels that nbval and the student copies start are forked from a process that has imported
# the course's libraries once (tests/forked_kernels.py): ~1.2 s of CPU less per notebook (measured:
# the ten notebooks under nbval, 49 against 37 CPU-s). The template starts in the process that first
# needs a kernel: the pytest-xdist worker that runs the browser tests needs none of these.
_kernels_folder = None  # set by pytest_collection_finish: the kernels' IPython folder and kernelspec
_template = None
STARTS_KERNELS = ("tests/test_student_copies.py",)


def pytest_runtest_setup(item):
    global _template
    path = item.nodeid.split("::", 1)[0]
    needs_kernel = path.endswith(".ipynb") or path in STARTS_KERNELS
    if _template is None and needs_kernel and _kernels_folder and forked_kernels.enabled():
        _template = forked_kernels.Template(_kernels_folder, os.path.join(_kernels_folder, "template.log"))
        _template.start()
        os.environ[forked_kernels.TEMPLATE_VARIABLE] = _template.socket_path  # for nbval's kernels
        atexit.register(_template.stop)  # before the folder is removed (atexit: last in, first out)
