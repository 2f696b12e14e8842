"""Student copies (student/): current, free of solutions, and stopping at the first exercise
with a one-line "Not yet done" message; plus the tool itself on a small synthetic course.
"""

import importlib.util
import json
import pathlib
import re
from concurrent.futures import ThreadPoolExecutor

import ipykernel.kernelspec
import nbformat
import pytest
from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
STUDENT = ROOT / "student"


def _load_tool():
    path = ROOT / "tools" / "make_student_copies.py"
    spec = importlib.util.spec_from_file_location("make_student_copies", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tool = _load_tool()
COURSE = tool.course_notebooks(NOTEBOOKS)  # the notebooks that have exercises, hence student copies
NAMES = [p.name for p in COURSE]


def _read(path):
    return json.loads(pathlib.Path(path).read_text(encoding="utf-8"))


def _source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _solution_lines(cell):
    """The lines strictly between the markers of an exercise cell (stripped, non-empty)."""
    inside, lines = False, []
    for line in _source(cell).splitlines():
        if line.strip() == tool.BEGIN:
            inside = True
        elif line.strip() == tool.END:
            inside = False
        elif inside and line.strip():
            lines.append(line.strip())
    return lines


# --------------------------------------------------------------------------- the real copies

def test_every_numbered_notebook_has_exercises_and_a_student_copy():
    numbered = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb") if tool.NOTEBOOK_PATTERN.match(p.name))
    assert numbered, "no notebooks/NN_*.ipynb found"
    assert NAMES == numbered, "every notebook ends with exercises, so every one has a student copy"


def test_student_copies_are_current(tmp_path):
    fresh = tool.make_copies(NOTEBOOKS, tmp_path, link_dir=STUDENT)
    saved = sorted(p.name for p in STUDENT.glob("*.ipynb"))
    assert saved == sorted(p.name for p in fresh), "run: python tools/make_student_copies.py"
    stale = [p.name for p in fresh if (STUDENT / p.name).read_bytes() != p.read_bytes()]
    assert not stale, f"student copies out of date: {stale}; run: python tools/make_student_copies.py"


@pytest.mark.parametrize("name", NAMES)
def test_student_copy_has_no_solution_left(name):
    original, copy = _read(NOTEBOOKS / name), _read(STUDENT / name)
    text = json.dumps(copy)
    assert tool.BEGIN not in text and tool.END not in text and "BEGIN SOLUTION" not in text

    exercises = [c for c in original["cells"] if tool.is_exercise(c)]
    elsewhere = "\n".join(_source(c) for c in original["cells"] if not tool.is_exercise(c))
    copy_sources = "\n".join(_source(c) for c in copy["cells"])
    for cell in exercises:
        for line in _solution_lines(cell):
            if line not in elsewhere and line != tool.PLACEHOLDER:  # lines shown in the lesson may stay
                assert line not in copy_sources, f"solution line left in {name}: {line!r}"

    copy_exercises = [c for c in copy["cells"] if tool.is_exercise(c)]
    assert len(copy_exercises) == len(exercises)
    for before, after in zip(exercises, copy_exercises):
        placeholders = [ln for ln in _source(after).splitlines() if ln.strip() == tool.PLACEHOLDER]
        assert len(placeholders) == 1, f"one placeholder per exercise in {name}"
        assert "source_hidden" not in after["metadata"].get("jupyter", {})
        assert re.search(r"gdlib\.check\(", _source(after)), "the self-check line stays"
        assert _source(after).splitlines()[-1] == _source(before).splitlines()[-1]
    for cell in copy["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
    assert "widgets" not in copy["metadata"]


class _ThisPython(KernelSpecManager):
    """Kernels run with the Python that runs the tests (the project's venv)."""

    def get_kernel_spec(self, kernel_name):
        spec = ipykernel.kernelspec.get_kernel_dict()  # argv starts with sys.executable
        return KernelSpec(resource_dir=ipykernel.kernelspec.RESOURCES, **spec)


def _run_until_first_error(path):
    """Execute a student copy in a fresh kernel (cwd student/); nbclient stops at the first error."""
    nb = nbformat.read(path, as_version=4)
    km = KernelManager(kernel_name="python3", kernel_spec_manager=_ThisPython())
    client = NotebookClient(nb, km=km, timeout=300, resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute(cleanup_kc=True)  # we made the kernel manager, so say: shut the kernel down
    except CellExecutionError:
        pass
    return nb


@pytest.fixture(scope="module")
def executed():
    """The student copies run two at a time (each only until its first exercise)."""
    pool = ThreadPoolExecutor(max_workers=2)
    futures = {name: pool.submit(_run_until_first_error, STUDENT / name) for name in NAMES}
    yield futures
    pool.shutdown(wait=True)


@pytest.mark.parametrize("name", NAMES)
def test_student_copy_runs_until_first_exercise_says_not_yet_done(name, executed):
    nb = executed[name].result()
    first = next(i for i, c in enumerate(nb.cells) if tool.is_exercise(c))
    for index, cell in enumerate(nb.cells[:first]):
        if cell.cell_type != "code":
            continue
        assert cell.execution_count is not None, f"cell {index} did not run"
        kinds = [(o.output_type, o.get("name")) for o in cell.outputs]
        assert ("error", None) not in kinds, f"cell {index} raised: {cell.outputs}"
        assert ("stream", "stderr") not in kinds, f"cell {index} warned: {cell.outputs}"

    errors = [o for o in nb.cells[first].outputs if o.output_type == "error"]
    assert len(errors) == 1
    error = errors[0]
    assert error.ename == "NotYetDone"
    key = re.search(r"""gdlib\.check\(\s*["']([^"']+)["']""", nb.cells[first].source).group(1)
    # What the learner sees is the traceback list: one line, no frames.
    assert len(error.traceback) == 1, error.traceback
    shown = re.sub(r"\x1b\[[0-9;]*m", "", error.traceback[0])
    assert shown.startswith("Not yet done: ") and f"exercise {key}" in shown
    assert "Traceback" not in shown and "File " not in shown
    assert all(c.get("execution_count") is None for c in nb.cells[first + 1:] if c.cell_type == "code")


# --------------------------------------------------------------------------- the tool, on a tiny course

def _tiny_course(folder):
    """notebooks/01_a (two exercises), 02_b (one), 03_c (none), a figure, a data file, a README."""
    v4 = nbformat.v4
    src = folder / "notebooks"
    (src / "figures").mkdir(parents=True)
    (src / "figures" / "net.png").write_bytes(b"png")
    (src / "values.csv").write_text("1,2\n")
    (folder / "README.md").write_text("# tiny\n")

    hidden = {"tags": ["exercise"], "jupyter": {"source_hidden": True}, "slideshow": {"slide_type": "-"}}
    a = v4.new_notebook()
    a.cells = [
        v4.new_markdown_cell("# A\n[next](02_b.ipynb), [extra](03_c.ipynb#top), [home](../README.md), "
                             "[web](https://example.org/x.ipynb), [here](#a)\n![net](figures/net.png)\n"
                             '<img src="figures/net.png" width="300">'),
        v4.new_code_cell("import numpy as np\nrows = open('values.csv').read()\nprint(2 + 2)",
                         execution_count=1, outputs=[v4.new_output("stream", name="stdout", text="4\n")],
                         metadata={"slideshow": {"slide_type": "skip"},
                                   "execution": {"iopub.status.busy": "t"}}),
        v4.new_markdown_cell("Exercise 1: compute it. The solution cell below is collapsed."),
        v4.new_code_cell("### BEGIN SOLUTION\nanswer = 2 + 2\n### END SOLUTION\ngdlib.check('01.1', answer)",
                         execution_count=2, metadata=dict(hidden),
                         outputs=[v4.new_output("stream", name="stdout", text="Exercise 01.1: Correct!\n")]),
        v4.new_code_cell("def helper():\n    ### BEGIN SOLUTION\n    total = sum(range(5))\n"
                         "    answer = total * 2\n    ### END SOLUTION\n    return answer\n"
                         "gdlib.check('01.2', helper())",
                         metadata={"tags": ["exercise"], "jupyter": {"source_hidden": True,
                                                                      "outputs_hidden": False}}),
    ]
    b = v4.new_notebook()
    b.cells = [v4.new_markdown_cell("# B\nBack to [A](01_a.ipynb)."),
               v4.new_code_cell("### BEGIN SOLUTION\nanswer = 'b'\n### END SOLUTION\n"
                                "gdlib.check('02.1', answer)",
                                metadata=dict(hidden))]
    b.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    c = v4.new_notebook()
    c.cells = [v4.new_markdown_cell("# C, no exercises")]
    for name, nb in (("01_a.ipynb", a), ("02_b.ipynb", b), ("03_c.ipynb", c)):
        nbformat.write(nb, src / name)
    return src, folder / "student"


@pytest.fixture
def tiny(tmp_path):
    src, dest = _tiny_course(tmp_path)
    assert tool.main(["--source", str(src), "--dest", str(dest)]) == 0
    return src, dest


def test_tool_replaces_solutions_and_unhides_exercises(tiny):
    src, dest = tiny
    assert sorted(p.name for p in dest.iterdir()) == ["01_a.ipynb", "02_b.ipynb"]  # 03_c has no exercises
    a = _read(dest / "01_a.ipynb")
    assert a["cells"][0]["id"] == tool.NOTE_CELL_ID and "Student copy" in _source(a["cells"][0])
    cells = a["cells"][1:]
    assert _source(cells[3]) == "answer = ...  # your code here\ngdlib.check('01.1', answer)"
    assert _source(cells[4]) == ("def helper():\n    answer = ...  # your code here\n    return answer\n"
                                 "gdlib.check('01.2', helper())")
    assert cells[3]["metadata"] == {"tags": ["exercise"], "slideshow": {"slide_type": "-"}}
    assert cells[4]["metadata"]["jupyter"] == {"outputs_hidden": False}
    for cell in cells:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
            assert "execution" not in cell["metadata"]
    assert "widgets" not in _read(dest / "02_b.ipynb")["metadata"]


def test_tool_leaves_other_cells_alone_but_keeps_links_working(tiny):
    src, dest = tiny
    before, after = _read(src / "01_a.ipynb")["cells"], _read(dest / "01_a.ipynb")["cells"][1:]
    assert [c["id"] for c in before] == [c["id"] for c in after]
    assert _source(after[2]) == _source(before[2]) and after[2]["metadata"] == before[2]["metadata"]
    assert _source(after[1]) == _source(before[1]).replace("'values.csv'", "'../notebooks/values.csv'")
    assert after[1]["metadata"] == {"slideshow": {"slide_type": "skip"}}
    assert _source(after[0]) == (
        "# A\n[next](02_b.ipynb), [extra](../notebooks/03_c.ipynb#top), [home](../README.md), "
        "[web](https://example.org/x.ipynb), [here](#a)\n![net](../notebooks/figures/net.png)\n"
        '<img src="../notebooks/figures/net.png" width="300">')
    for link in re.findall(r"\]\(([^)#]+)", _source(after[0])) + ["../notebooks/figures/net.png"]:
        if "://" not in link:
            assert (dest / link).exists(), link
    assert _source(_read(dest / "02_b.ipynb")["cells"][1]) == "# B\nBack to [A](01_a.ipynb)."


def test_tool_is_deterministic_and_check_detects_staleness(tiny, capsys):
    src, dest = tiny
    first = {p.name: p.read_bytes() for p in dest.iterdir()}
    assert tool.main(["--source", str(src), "--dest", str(dest)]) == 0
    assert {p.name: p.read_bytes() for p in dest.iterdir()} == first
    assert tool.main(["--source", str(src), "--dest", str(dest), "--check"]) == 0

    nb = nbformat.read(src / "02_b.ipynb", as_version=4)
    nb.cells[0].source += " Edited."
    nbformat.write(nb, src / "02_b.ipynb")
    (dest / "01_a.ipynb").unlink()
    (dest / "09_old.ipynb").write_text("{}")
    capsys.readouterr()
    assert tool.main(["--source", str(src), "--dest", str(dest), "--check"]) == 1
    report = capsys.readouterr().err
    assert "01_a.ipynb: missing" in report and "02_b.ipynb: out of date" in report
    assert "09_old.ipynb" in report
    assert first["02_b.ipynb"] == (dest / "02_b.ipynb").read_bytes(), "--check writes nothing"

    assert tool.main(["--source", str(src), "--dest", str(dest)]) == 0
    assert sorted(p.name for p in dest.iterdir()) == ["01_a.ipynb", "02_b.ipynb"]
    assert tool.main(["--source", str(src), "--dest", str(dest), "--check"]) == 0


@pytest.mark.parametrize("source, message", [
    ("answer = 1\ngdlib.check('01.1', answer)", "has no '### BEGIN SOLUTION'"),
    ("### BEGIN SOLUTION\nanswer = 1\ngdlib.check('01.1', answer)", "never closed"),
    ("answer = 1\n### END SOLUTION\ngdlib.check('01.1', answer)", "without"),
])
def test_tool_refuses_malformed_exercise_cells(tmp_path, capsys, source, message):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source, metadata={"tags": ["exercise"]})]
    (tmp_path / "src").mkdir()
    nbformat.write(nb, tmp_path / "src" / "01_x.ipynb")
    assert tool.main(["--source", str(tmp_path / "src"), "--dest", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert message in err and "01_x.ipynb, cell 0" in err
