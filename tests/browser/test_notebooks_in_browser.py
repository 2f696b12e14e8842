"""Every notebook of the course, run in JupyterLab in headless Chromium, as a learner runs it.

For each notebooks/*.ipynb: open it (in the kernel of the one before, made to forget it: see
notebook_page.LabPage.open), Run All from the Run menu, wait until the kernel is idle
and every cell ran, and check that no output shows an error, that the LaTeX rendered, that no explorer's text
runs off the right of a 1280-px page with the file browser open, and that every explorer
answers its sliders (learning rate by keyboard, iterations typed into the readout).
"""

import pathlib

import nbformat
import pytest
from notebook_page import LEARNING_RATE_LABEL, widget_cell_indices

pytestmark = pytest.mark.browser

NOTEBOOKS = pathlib.Path(__file__).resolve().parents[2] / "notebooks"
NOTEBOOK_PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))


def format_errors(errors):
    return "\n\n".join(f"cell {index}:\n{text}" for index, text in errors)


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=[path.name for path in NOTEBOOK_PATHS])
def test_notebook_runs_and_its_explorers_answer(path, lab_page, artifacts_dir):
    with lab_page.notebook(f"notebooks/{path.name}", artifacts_dir) as notebook:
        assert notebook.file_browser_open(), "JupyterLab opened without its file browser at the left"
        notebook.run_all()
        errors = notebook.error_outputs()
        if errors:
            notebook.focus = notebook.cell(errors[0][0])
            raise AssertionError(f"{path.name}: outputs show errors:\n{format_errors(errors)}")
        unrun = notebook.unrun_cells()
        if unrun:
            raise AssertionError(f"{path.name}: Run All left code cells {unrun} unrun")
        math = notebook.unrendered_math()
        if math:
            notebook.focus = notebook.cell(math[0][0])
            raise AssertionError(f"{path.name}: LaTeX not rendered:\n{format_errors(math)}")
        # Every widget cell must show an explorer; any other cell with one is exercised too.
        tagged = widget_cell_indices(path)
        for index in tagged:
            explorer = notebook.explorer(index)
            explorer.wait_rendered()
            # The page is 1280 px wide with the file browser open: the note must wrap, not run off.
            cut = explorer.text_cut_off()
            assert not cut, f"{path.name}: {explorer.describe()}: text cut off at the right: {cut}"
        for index in sorted(set(tagged) | set(notebook.cells_with_slider(LEARNING_RATE_LABEL))):
            notebook.explorer(index).exercise()
        errors = notebook.error_outputs()
        if errors:
            raise AssertionError(f"{path.name}: moving the sliders showed errors:\n{format_errors(errors)}")


def _write_notebook(path, cells):
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                       "language": "python"}
    nbformat.write(notebook, path)


def test_a_failing_cell_a_failing_figure_and_broken_latex_are_seen(lab_page, lab_root, artifacts_dir):
    """The checks above must see a failing cell, a figure that fails to draw and broken LaTeX;
    otherwise they would pass on anything. The failures sit below the visible part of the page,
    where JupyterLab skips rendering (content-visibility): a check reading rendered text would
    see nothing there. The figure is drawn by this kernel alone: under nbval, the kernels of a
    full run make no pictures (see the root conftest.py), so this is the check that catches it.
    The failing cell uses a name that only the notebook before defined, in the same kernel: it
    must have been forgotten, as the notebooks above each forget the one before.
    """
    # Beside the course's notebooks, so that they too run in the kernel of the notebook before.
    _write_notebook(lab_root / "notebooks" / "selfcheck_before.ipynb", [
        nbformat.v4.new_code_cell("leftover = 'defined by the notebook before'"),
    ])
    _write_notebook(lab_root / "notebooks" / "selfcheck_broken.ipynb", [
        nbformat.v4.new_markdown_cell("A fine equation $x^2$, then a broken one: $$\\frac{1}{2$$"),
        nbformat.v4.new_code_cell("for line in range(200):\n    print(f'line {line}: filler')"),
        nbformat.v4.new_code_cell("import matplotlib.pyplot as plt\n\nfig, ax = plt.subplots()\n"
                                  "ax.set_title(r'$\\frac{1}{2$')  # mathtext fails when drawn\nplt.show()"),
        nbformat.v4.new_code_cell("print(leftover)  # a NameError: the notebook before is forgotten"),
        nbformat.v4.new_code_cell("print('never runs')"),
    ])
    with lab_page.notebook("notebooks/selfcheck_before.ipynb", artifacts_dir) as notebook:
        notebook.run_all()
        assert notebook.error_outputs() == [] and notebook.unrun_cells() == []
        kernel_before = notebook.kernel
    with lab_page.notebook("notebooks/selfcheck_broken.ipynb", artifacts_dir) as notebook:
        assert notebook.kernel == kernel_before, "the second notebook did not reuse the kernel"
        notebook.run_all()
        errors = notebook.error_outputs()
        assert [index for index, _ in errors] == [2, 3], errors
        assert "ValueError" in errors[0][1] and "print_figure" in errors[0][1]  # drawing it failed
        assert "NameError" in errors[1][1] and "leftover" in errors[1][1]
        assert notebook.unrun_cells() == [4]
        assert [index for index, _ in notebook.unrendered_math()] == [0]
