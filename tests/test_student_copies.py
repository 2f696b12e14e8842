"""Student copies (student/): current, free of solutions, saying where the solutions are, and
stopping at the first blank (exercise or lesson cell) with a one-line "Not yet done" message;
plus the tool itself on a small synthetic course.
"""

import contextlib
import importlib.util
import io
import json
import pathlib
import re

import nbformat
import numpy as np
import pytest
from forget_notebook import FORGET_THE_LAST_NOTEBOOK
from forked_kernels import KERNEL_NAME
from jupyter_client import KernelManager
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


def _blocks(cell):
    """The solution blocks of a cell, parsed here independently of the tool:
    a list of (placeholder or None for the plain marker, [stripped non-empty lines inside])."""
    blocks, inside = [], None
    for line in _source(cell).splitlines():
        marker = re.match(r"\s*### BEGIN SOLUTION(?::\s*(.*\S))?\s*$", line)
        if marker and inside is None:
            inside = []
            blocks.append((marker.group(1), inside))
        elif line.strip() == "### END SOLUTION":
            inside = None
        elif inside is not None and line.strip():
            inside.append(line.strip())
    return blocks


def _outside_blocks(text):
    """The lines of ``text`` outside its solution blocks (markers dropped)."""
    kept, inside = [], False
    for line in text.splitlines():
        if line.strip().startswith("### BEGIN SOLUTION"):
            inside = True
        elif line.strip() == "### END SOLUTION":
            inside = False
        elif not inside:
            kept.append(line)
    return kept


def _to_fill(cell):
    return tool.is_exercise(cell) or tool.is_blank(cell)


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
    assert tool.END not in text and "BEGIN SOLUTION" not in text

    cells = [c for c in original["cells"] if _to_fill(c)]
    # lines shown in the lesson outside any solution block may stay
    elsewhere = "\n".join("\n".join(_outside_blocks(_source(c))) for c in original["cells"])
    copy_sources = "\n".join(_source(c) for c in copy["cells"])
    for cell in cells:
        for _, lines in _blocks(cell):
            for line in lines:
                if line not in elsewhere and line != tool.PLACEHOLDER:
                    assert line not in copy_sources, f"solution line left in {name}: {line!r}"

    copy_cells = [c for c in copy["cells"] if _to_fill(c)]
    assert len(copy_cells) == len(cells)
    for before, after in zip(cells, copy_cells):
        blanks = [placeholder or tool.PLACEHOLDER for placeholder, _ in _blocks(before)]
        assert blanks and all("..." in blank for blank in blanks)
        shown = [line for line in _source(after).splitlines() if line.strip() in blanks]
        assert [line.strip() for line in shown] == blanks, f"one placeholder per solution block in {name}"
        assert [line for line in _source(after).splitlines() if line not in shown] == \
            _outside_blocks(_source(before)), "the code around the blanks stays as it was"
        assert "source_hidden" not in after["metadata"].get("jupyter", {})
        if tool.is_exercise(after):
            assert re.search(r"gdlib\.check\(", _source(after)), "the self-check line stays"
    for cell in copy["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
    assert "widgets" not in copy["metadata"]


@pytest.mark.parametrize("name", NAMES)
def test_student_copy_says_where_the_solutions_are(name):
    copy = _read(STUDENT / name)
    text = "\n".join(_source(c) for c in copy["cells"] if c["cell_type"] == "markdown")
    assert not re.search(r"(?i)solution cells? below (is|are) collapsed", text), \
        f"{name} says a solution cell below is collapsed, but the copy has none"
    note = _source(copy["cells"][0])
    assert f"[`notebooks/{name}`](../notebooks/{name})" in note and "same cell" in note
    assert (STUDENT / f"../notebooks/{name}").is_file()
    original = "\n".join(_source(c) for c in _read(NOTEBOOKS / name)["cells"] if c["cell_type"] == "markdown")
    said = len(re.findall(r"(?i)solution cells? below (?:is|are) collapsed", original))
    assert text.count(f"same cell of the course notebook, [`notebooks/{name}`]") == said


def _run_until_first_error(path, km):
    """Execute a student copy in the running kernel of ``km`` (cwd student/), from a clean
    namespace; nbclient stops at the first error."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, km=km, timeout=300, resources={"metadata": {"path": str(path.parent)}})
    with client.setup_kernel(cleanup_kc=False):
        reply = client.kc.execute_interactive(FORGET_THE_LAST_NOTEBOOK, store_history=False, timeout=60)
        assert reply["content"]["status"] == "ok", reply["content"]
    try:
        client.execute(cleanup_kc=False)
    except CellExecutionError:
        pass
    finally:
        client.kc.stop_channels()
    return nb


@pytest.fixture(scope="module")
def executed():
    """The student copies run one after another in one kernel (each only until its first blank);
    starting a kernel and importing gdlib once instead of once per copy saves ~2 s a copy. The
    kernel is nbval's (tests/forked_kernels.py), with the Python that runs the tests."""
    km = KernelManager(kernel_name=KERNEL_NAME)
    km.start_kernel(cwd=str(STUDENT))
    try:
        yield {name: _run_until_first_error(STUDENT / name, km) for name in NAMES}
    finally:
        km.shutdown_kernel(now=True)


@pytest.mark.parametrize("name", NAMES)
def test_student_copy_runs_until_its_first_blank_says_not_yet_done(name, executed):
    nb = executed[name]
    first_blank = next(i for i, c in enumerate(nb.cells) if _to_fill(c))
    # it stops at the first check from the first blank on: the blank's own cell, or the next check
    stop = next(i for i, c in enumerate(nb.cells) if i >= first_blank and "gdlib.check(" in c.source)
    for index, cell in enumerate(nb.cells[:stop]):
        if cell.cell_type != "code":
            continue
        assert cell.execution_count is not None, f"cell {index} did not run"
        kinds = [(o.output_type, o.get("name")) for o in cell.outputs]
        assert ("error", None) not in kinds, f"cell {index} raised: {cell.outputs}"
        assert ("stream", "stderr") not in kinds, f"cell {index} warned: {cell.outputs}"

    errors = [o for o in nb.cells[stop].outputs if o.output_type == "error"]
    assert len(errors) == 1, f"cell {stop} did not stop the run: {nb.cells[stop].outputs}"
    error = errors[0]
    assert error.ename == "NotYetDone"
    keys = re.findall(r"""gdlib\.check\(\s*["']([^"']+)["']""", nb.cells[stop].source)
    # What the learner sees is the traceback list: one line, no frames.
    assert len(error.traceback) == 1, error.traceback
    shown = re.sub(r"\x1b\[[0-9;]*m", "", error.traceback[0])
    assert shown.startswith("Not yet done: ") and any(f"exercise {key}:" in shown for key in keys)
    assert "Traceback" not in shown and "File " not in shown
    assert all(c.get("execution_count") is None for c in nb.cells[stop + 1:] if c.cell_type == "code")


# --------------------------------------------------------------------------- the tool, on a tiny course

TINY_LESSON = [  # the lesson cells of 04_d: a function, a value, a backward loop with two blanks
    "import numpy as np\nimport gdlib\n\n\ndef sigmoid(sop):\n"
    "    ### BEGIN SOLUTION: return ...  # your code here: 1 / (1 + e^-SOP)\n"
    "    return 1 / (1 + np.exp(-sop))\n    ### END SOLUTION\n\n\ngdlib.check('tiny.sigmoid', sigmoid)",

    "sop = 0.5\n### BEGIN SOLUTION: g2 = ...  # your code here: eq. (7)\n"
    "g2 = sigmoid(sop) * (1 - sigmoid(sop))\n### END SOLUTION\ngdlib.check('tiny.g2', g2)",

    "def backward(delta, weights):\n    grads = []\n    for w in reversed(weights):\n"
    "        ### BEGIN SOLUTION: grad = ...  # your code here\n        grad = delta * w\n"
    "        ### END SOLUTION\n        ### BEGIN SOLUTION: delta = ...  # your code here: delta times w\n"
    "        delta = delta * w\n        ### END SOLUTION\n        grads.append(grad)\n    return grads\n\n\n"
    "gdlib.check('tiny.backward', backward)",
]
TINY_COPY = [
    "import numpy as np\nimport gdlib\n\n\ndef sigmoid(sop):\n"
    "    return ...  # your code here: 1 / (1 + e^-SOP)\n\n\ngdlib.check('tiny.sigmoid', sigmoid)",

    "sop = 0.5\ng2 = ...  # your code here: eq. (7)\ngdlib.check('tiny.g2', g2)",

    "def backward(delta, weights):\n    grads = []\n    for w in reversed(weights):\n"
    "        grad = ...  # your code here\n        delta = ...  # your code here: delta times w\n"
    "        grads.append(grad)\n    return grads\n\n\ngdlib.check('tiny.backward', backward)",
]


def _tiny_course(folder):
    """notebooks/01_a (two exercises), 02_b (one), 03_c (none), 04_d (lesson blanks), a figure,
    a data file, a README."""
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
        v4.new_markdown_cell("Exercise 1: compute it. Write it in a new cell of your own, then check it. "
                             "The solution cell below is collapsed."),
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
    d = v4.new_notebook()
    d.cells = [v4.new_markdown_cell("# D\nWrite the sigmoid. The solution cell below is collapsed: open it "
                                    "after trying. Then [go on](03_c.ipynb)."),
               v4.new_code_cell(TINY_LESSON[0], metadata={"tags": ["blank"]}),
               v4.new_code_cell(TINY_LESSON[1],
                                metadata={"tags": ["blank"], "jupyter": {"source_hidden": True}}),
               v4.new_code_cell(TINY_LESSON[2], metadata={"tags": ["blank"]})]
    for name, nb in (("01_a.ipynb", a), ("02_b.ipynb", b), ("03_c.ipynb", c), ("04_d.ipynb", d)):
        nbformat.write(nb, src / name)
    return src, folder / "student"


@pytest.fixture
def tiny(tmp_path):
    src, dest = _tiny_course(tmp_path)
    assert tool.main(["--source", str(src), "--dest", str(dest)]) == 0
    return src, dest


def test_tool_replaces_solutions_and_unhides_exercises(tiny):
    src, dest = tiny
    assert sorted(p.name for p in dest.iterdir()) == ["01_a.ipynb", "02_b.ipynb", "04_d.ipynb"]  # 03_c: none
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
    assert after[2]["metadata"] == before[2]["metadata"]
    assert _source(after[2]) == (
        "Exercise 1: compute it. Write it below, then check it. In this copy, write it in place of the "
        "`...` marked `# your code here` below; the solution is in the same cell of the course notebook, "
        "[`notebooks/01_a.ipynb`](../notebooks/01_a.ipynb).")
    assert (dest / "../notebooks/01_a.ipynb").is_file()
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
    assert sorted(p.name for p in dest.iterdir()) == ["01_a.ipynb", "02_b.ipynb", "04_d.ipynb"]
    assert tool.main(["--source", str(src), "--dest", str(dest), "--check"]) == 0


def test_tool_turns_lesson_blanks_into_skeletons(tiny):
    src, dest = tiny
    d = _read(dest / "04_d.ipynb")
    assert "[`notebooks/04_d.ipynb`](../notebooks/04_d.ipynb)" in _source(d["cells"][0])
    cells = d["cells"][1:]
    assert _source(cells[0]) == (
        "# D\nWrite the sigmoid. In this copy, write it in place of the `...` marked `# your code here` "
        "below; the solution is in the same cell of the course notebook, "
        "[`notebooks/04_d.ipynb`](../notebooks/04_d.ipynb). Then [go on](../notebooks/03_c.ipynb).")
    assert [_source(c) for c in cells[1:]] == TINY_COPY
    assert [c["metadata"] for c in cells[1:]] == [{"tags": ["blank"]}] * 3  # and none collapsed


@pytest.fixture
def tiny_exercises():
    """The exercises that the lesson of 04_d checks, registered for the test only."""
    from gdlib import exercises

    def sigmoid(sop):
        return 1 / (1 + np.exp(-np.asarray(sop, dtype=float)))

    def backward(delta, weights):
        return [delta * np.prod(weights[len(weights) - k:]) * weights[-1 - k] for k in range(len(weights))]

    exercises.exercise("tiny.sigmoid", hint="1 / (1 + np.exp(-sop))", inputs=[0.0, -3.5])(sigmoid)
    exercises.exercise("tiny.g2", hint="eq. 7")(lambda: sigmoid(0.5) * (1 - sigmoid(0.5)))
    exercises.exercise("tiny.backward", hint="grad, then delta", inputs=[(1.5, [2.0, -3.0, 0.5])])(backward)
    yield
    for key in ("tiny.sigmoid", "tiny.g2", "tiny.backward"):
        del exercises._EXERCISES[key]


def _run_cells(sources):
    """Run cell sources in one namespace, as a kernel would; returns what each printed."""
    namespace, printed = {}, []
    for source in sources:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(source, "<cell>", "exec"), namespace)
        printed.append(out.getvalue())
    return printed


def test_every_blank_of_a_copy_stops_the_run_with_not_yet_done(tiny, tiny_exercises):
    """The course cells pass their checks; in the copy, each blank (a function's return, a value,
    a line of a loop) stops the run at its check, even when all the cells before it are filled in."""
    from gdlib import NotYetDone

    printed = _run_cells(TINY_LESSON)
    assert [out.split(": ", 1)[1].split()[0] for out in printed] == ["Correct!"] * 3, printed
    for k, blank in enumerate(TINY_COPY):
        with pytest.raises(NotYetDone, match=r"exercise tiny\.\w+:"):
            _run_cells(TINY_LESSON[:k] + [blank])


@pytest.mark.parametrize("source, message", [
    ("answer = 1\ngdlib.check('01.1', answer)", "has no '### BEGIN SOLUTION'"),
    ("### BEGIN SOLUTION\nanswer = 1\ngdlib.check('01.1', answer)", "never closed"),
    ("answer = 1\n### END SOLUTION\ngdlib.check('01.1', answer)", "without"),
    ("### BEGIN SOLUTION: answer = 0\nanswer = 1\n### END SOLUTION\ngdlib.check('01.1', answer)",
     "has no ..."),
    ("### BEGIN SOLUTIONS\nanswer = 1\n### END SOLUTION\ngdlib.check('01.1', answer)", "<placeholder>"),
    ("def f():\n### BEGIN SOLUTION: return ...\n    return 1\n### END SOLUTION\ngdlib.check('01.1', f)",
     "no longer valid Python"),
])
def test_tool_refuses_malformed_exercise_cells(tmp_path, capsys, source, message):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source, metadata={"tags": ["exercise"]})]
    (tmp_path / "src").mkdir()
    nbformat.write(nb, tmp_path / "src" / "01_x.ipynb")
    assert tool.main(["--source", str(tmp_path / "src"), "--dest", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert message in err and "01_x.ipynb, cell 0" in err


@pytest.mark.parametrize("tags, source, message", [
    (["blank"], "x = 1\ngdlib.check('01.x', x)", "tagged 'blank' but has no '### BEGIN SOLUTION'"),
    ([], "### BEGIN SOLUTION\nanswer = 1\n### END SOLUTION", "neither the 'exercise' nor the 'blank' tag"),
])
def test_tool_refuses_markers_and_tags_that_do_not_go_together(tmp_path, capsys, tags, source, message):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("### BEGIN SOLUTION\nanswer = 1\n### END SOLUTION",
                                          metadata={"tags": ["exercise"]}),
                nbformat.v4.new_code_cell(source, metadata={"tags": tags})]
    (tmp_path / "src").mkdir()
    nbformat.write(nb, tmp_path / "src" / "01_x.ipynb")
    assert tool.main(["--source", str(tmp_path / "src"), "--dest", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert message in err and "01_x.ipynb, cell 1" in err
