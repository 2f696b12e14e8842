"""Fixtures for the browser tests: one JupyterLab server and one Chromium for them all.

The server serves a temporary copy of notebooks/ (running the notebooks there never touches
the saved outputs in the repository). Without Chromium every browser test is skipped with
the command that installs it.
"""

import pathlib
import shutil
import sys

import nbformat
import pytest

HERE = pathlib.Path(__file__).parent
sys.path[:0] = [str(HERE), str(HERE.parent)]  # for tests/forget_notebook.py and tests/kernel_settings.py

from kernel_settings import KERNEL_CONFIG  # noqa: E402
from lab_server import INSTALL_HINT, LabServer, find_chromium, launch_chromium  # noqa: E402
from notebook_page import LabPage  # noqa: E402

REPO = pathlib.Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
ARTIFACTS = REPO / "test-artifacts" / "browser"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: drives JupyterLab in headless Chromium (deselect with -m 'not browser')")


@pytest.fixture(scope="session")
def chromium_executable():
    path = find_chromium()
    if path is None:
        pytest.skip(f"Chromium not found. {INSTALL_HINT}")
    return path


@pytest.fixture(scope="session")
def lab_root(tmp_path_factory):
    """A temporary folder holding a copy of notebooks/ as the server's root, the notebooks
    without their saved outputs: nothing saved can pass for a result, and the browser does not
    draw each notebook twice (saved, then run), which halves its work."""
    root = tmp_path_factory.mktemp("lab-root")
    shutil.copytree(NOTEBOOKS, root / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    for path in (root / "notebooks").glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        nb.metadata.pop("widgets", None)
        nbformat.write(nb, path)
    return root


@pytest.fixture(scope="module")
def lab_page(chromium_executable, lab_root):
    """JupyterLab from this environment serving ``lab_root`` and Chromium showing it, for all the
    browser tests (one module, see notebook_page.LabPage); both are stopped after them, also on
    failure, while the other pytest-xdist worker still has tests to run."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
    server = LabServer(lab_root, wait=False, kernel_config=KERNEL_CONFIG)  # tests/kernel_settings.py
    with server as lab, sync_api.sync_playwright() as playwright:
        chromium = launch_chromium(playwright, chromium_executable)  # while the server starts
        try:
            lab.wait_until_ready()
            context = chromium.new_context(viewport={"width": 1280, "height": 900})
            yield LabPage(context, lab)
        finally:
            chromium.close()


@pytest.fixture
def artifacts_dir(request):
    """Where a failing test leaves its screenshot and console log (removed before the test)."""
    name = request.node.name.replace("[", "-").replace("]", "")
    name = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)
    folder = ARTIFACTS / name
    shutil.rmtree(folder, ignore_errors=True)
    return folder
