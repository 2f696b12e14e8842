"""Every notebook is saved as a learner should find it: after one clean top-to-bottom
run, with no stored errors or warnings, small, and with the course's opening and closing;
its exercises and lesson blanks follow the conventions of tools/make_student_copies.py;
and a stage notebook is short (cells, words of prose) and makes the learner write gradient code."""

import ast
import json
import pathlib
import re
import textwrap

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
STAGES = [p for p in NOTEBOOKS if not p.name.startswith("00")]
MAX_CELLS = 60
MAX_PROSE_WORDS = 2_100  # about 2,000 words of prose, with a margin


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell):
    return "".join(cell.get("source", ""))


def markdown(nb):
    return "\n".join(source(c) for c in nb["cells"] if c["cell_type"] == "markdown")


def tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def printed(cell):
    return "".join("".join(o.get("text", "")) for o in cell.get("outputs", []))


def solution_blocks(text):
    """The code between each ``### BEGIN SOLUTION[: placeholder]`` and ``### END SOLUTION``."""
    blocks, inside = [], None
    for line in text.splitlines():
        if line.strip().startswith("### BEGIN SOLUTION") and inside is None:
            inside = []
            blocks.append(inside)
        elif line.strip() == "### END SOLUTION":
            inside = None
        elif inside is not None:
            inside.append(line)
    return ["\n".join(block) for block in blocks]


def parse(text):
    """The syntax tree of a code cell (IPython's ``%`` and ``!`` lines left out), or None."""
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(("%", "!")))
    try:
        return ast.parse(textwrap.dedent(code))
    except SyntaxError:
        return None


def checks(text):
    """``(key, names the checked answer mentions)`` for each ``gdlib.check("key", answer)``."""
    found = []
    for node in ast.walk(parse(text) or ast.Module(body=[], type_ignores=[])):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "check"
                and len(node.args) == 2 and isinstance(node.args[0], ast.Constant)):
            names = {n.id for n in ast.walk(node.args[1]) if isinstance(n, ast.Name)}
            found.append((node.args[0].value, names))
    return found


def defined_names(text):
    """The names a cell defines at its top level (functions, classes, assignments)."""
    names = set()
    for node in (parse(text) or ast.Module(body=[], type_ignores=[])).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.For)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return names


GRADIENT_WORDS = {"grad", "grads", "gradient", "gradients", "delta", "deltas"}


def is_gradient_name(name):
    """g1 ... g5, grad_W, gradients, delta_hidden, dE_dW: a variable that holds a gradient piece."""
    parts = name.split("_")
    return name.startswith(("dE", "dError")) or any(
        part.lower() in GRADIENT_WORDS or re.fullmatch(r"g\d+", part) for part in parts)


def writes_gradient_code(block):
    """True when a solution block defines a function, or assigns to a gradient, g or delta variable."""
    tree = parse(block)
    if tree is None:  # not a whole statement on its own: read it line by line
        targets = re.finditer(r"(?m)^\s*(\w+)\s*(?:\[[^\]]*\])?\s*[-+*/@]?=", block)
        defines = re.search(r"(?m)^\s*def \w+\(", block)
        return bool(defines) or any(is_gradient_name(m.group(1)) for m in targets)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            return True
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(n, ast.Name) and is_gradient_name(n.id) for t in targets for n in ast.walk(t)):
                return True
    return False


def prose_words(text):
    """The words of markdown prose: LaTeX, code, HTML tags and link targets left out."""
    for pattern in (r"```.*?```", r"\$\$.*?\$\$", r"\\begin\{(\w+\*?)\}.*?\\end\{\1\}", r"\$[^$\n]+\$",
                    r"`[^`\n]*`", r"<!--.*?-->", r"<[^>\n]+>"):
        text = re.sub(pattern, " ", text, flags=re.S)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # [text](target) -> text
    return re.findall(r"[A-Za-z0-9]+(?:['’.,-][A-Za-z0-9]+)*", text)


def test_the_course_has_its_notebooks():
    names = [p.name[:2] for p in NOTEBOOKS]
    assert names[:4] == ["00", "01", "02", "03"], names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_saved_after_one_clean_run(path):
    nb = load(path)
    code = [c for c in nb["cells"] if c["cell_type"] == "code" and source(c).strip()]
    counts = [c.get("execution_count") for c in code]
    assert counts == list(range(1, len(code) + 1)), (
        f"{path.name}: execution counts {counts} are not 1..N; run it with tools/run_notebook.py"
    )
    for c in code:
        for out in c.get("outputs", []):
            assert out["output_type"] != "error", f"{path.name}: stored error {out.get('ename')}"
            if out["output_type"] == "stream" and out.get("name") == "stderr":
                pytest.fail(f"{path.name}: stored stderr output: {''.join(out['text'])[:200]}")
    assert path.stat().st_size < 2_000_000, f"{path.name} is {path.stat().st_size / 1e6:.1f} MB"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_only_widget_cells_ignore_their_output(path):
    for cell in load(path)["cells"]:
        tags = cell.get("metadata", {}).get("tags", [])
        if "nbval-ignore-output" in tags:
            mimes = {m for out in cell.get("outputs", []) for m in out.get("data", {})}
            assert "application/vnd.jupyter.widget-view+json" in mimes, (
                f"{path.name}: a cell ignores its output but shows no widget:\n{source(cell)[:200]}"
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_opens_and_closes_like_every_lesson(path):
    nb = load(path)
    text = markdown(nb).lower()
    assert "you will learn" in text, f"{path.name}: no 'what you will learn' at the top"
    assert re.search(r"run(s|ning)? (time|in)|takes about|run time", text), f"{path.name}: no run time"
    assert "summary" in text, f"{path.name}: no summary"
    if path is not NOTEBOOKS[-1]:
        following = NOTEBOOKS[NOTEBOOKS.index(path) + 1].name
        assert f"({following})" in markdown(nb), f"{path.name}: no link to {following}"


@pytest.mark.parametrize("path", STAGES, ids=lambda p: p.name)
def test_exercises_have_hidden_self_checked_solutions(path):
    cells = [c for c in load(path)["cells"] if "exercise" in tags(c)]
    assert len(cells) >= 2, f"{path.name}: fewer than two exercises"
    for cell in cells:
        text = source(cell)
        assert "### BEGIN SOLUTION" in text and "### END SOLUTION" in text, text
        last = text.strip().splitlines()[-1]
        assert re.fullmatch(r'gdlib\.check\("\d\d\.\w+", \w+\)', last), f"{path.name}: ends with {last!r}"
        assert cell["metadata"].get("jupyter", {}).get("source_hidden") is True, text
        key = re.search(r'"(\d\d\.\w+)"', last).group(1)
        assert f"Exercise {key}: Correct!" in printed(cell), (
            f"{path.name}: the saved solution does not pass its check:\n{text}")


def blank_cell_problems(cells):
    """What is wrong with the cells tagged ``blank`` (an empty list when nothing is)."""
    problems = []
    for index, cell in enumerate(cells):
        if "blank" not in tags(cell):
            continue
        where = f"cell {index}"
        if cell["cell_type"] != "code" or "exercise" in tags(cell):
            problems.append(f"{where}: a blank is a code cell, and not also an exercise")
        if not solution_blocks(source(cell)):
            problems.append(f"{where}: tagged blank but has no ### BEGIN SOLUTION")
        if cell["metadata"].get("jupyter", {}).get("source_hidden"):
            problems.append(f"{where}: collapsed; the course notebook shows a blank's solution")
        defined = defined_names(source(cell))
        checked = [(key, later) for later in cells[index:] if later["cell_type"] == "code"
                   for key, names in checks(source(later)) if names & defined]
        if not checked:
            problems.append(f"{where}: no gdlib.check of what it defines ({sorted(defined)}) in or after it")
        elif f"Exercise {checked[0][0]}: Correct!" not in printed(checked[0][1]):
            problems.append(f"{where}: its check {checked[0][0]} did not print Correct!")
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_blank_cells_show_their_solution_and_are_checked(path):
    """A lesson cell tagged ``blank`` holds solution markers, is not collapsed, and what it defines
    is passed to a ``gdlib.check`` in the same cell or a later one, which printed "Correct!"."""
    assert not blank_cell_problems(load(path)["cells"]), path.name


@pytest.mark.parametrize("path", STAGES, ids=lambda p: p.name)
def test_stage_notebook_has_at_most_60_cells(path):
    cells = len(load(path)["cells"])
    assert cells <= MAX_CELLS, f"{path.name}: {cells} cells (at most {MAX_CELLS})"


@pytest.mark.parametrize("path", STAGES, ids=lambda p: p.name)
def test_stage_notebook_has_at_most_about_2000_words_of_prose(path):
    words = len(prose_words(markdown(load(path))))
    assert words <= MAX_PROSE_WORDS, f"{path.name}: {words} words of prose (at most about 2,000)"


@pytest.mark.parametrize("path", STAGES, ids=lambda p: p.name)
def test_stage_notebook_has_two_exercises_that_write_gradient_code(path):
    """Tagged ``exercise`` and ``writes-code``, with a solution that defines a function or assigns
    to a gradient, g or delta variable (g1, grad_W, delta_hidden, ...)."""
    tagged = [c for c in load(path)["cells"] if {"exercise", "writes-code"} <= set(tags(c))]
    for cell in tagged:
        assert any(writes_gradient_code(b) for b in solution_blocks(source(cell))), (
            f"{path.name}: tagged writes-code, but its solution neither defines a function nor assigns "
            f"to a gradient, g or delta variable:\n{source(cell)}")
    assert len(tagged) >= 2, f"{path.name}: {len(tagged)} exercise(s) tagged writes-code, at least 2 wanted"


def test_the_rules_on_known_text():
    assert prose_words("## The **SOP** is $X W$, see `x * w` and [eq. 1](#eq1).\n$$E = (p - t)^2$$") == [
        "The", "SOP", "is", "see", "and", "eq", "1"]
    assert len(prose_words("Gradient descent, step by step: 0.5 then 1,000.")) == 8
    assert prose_words("$$\\frac{a}{b}$$ `code` <b>bold</b> ![alt](fig.png)") == ["bold", "alt"]
    block = "    ### BEGIN SOLUTION: return ...\n    return 1\n    ### END SOLUTION"
    assert solution_blocks("def f():\n" + block) == ["    return 1"]
    assert writes_gradient_code("def sigmoid(sop):\n    return 1 / (1 + np.exp(-sop))")
    assert writes_gradient_code("g2 = gdlib.sigmoid_sop_deriv(sop)")
    assert writes_gradient_code("grads[layer] = np.outer(activs[layer], delta)")
    assert writes_gradient_code("        delta_hidden = (delta @ W.T) * s * (1 - s)")
    assert not writes_gradient_code("answer = history.network.predict(x)[0]")
    assert not writes_gradient_code("rates = [1, 10]\nanswer = rates[0]")
    cell = "import numpy as np\ndef f(x):\n    y = 1\n    return y\ng1, g2 = 1, 2\n"
    assert defined_names(cell) == {"f", "g1", "g2"}
    assert checks('gdlib.check("01.g2", g2)\nprint(1)') == [("01.g2", {"g2"})]


def _cell(text, tags=(), said="", hidden=False):
    cell = {"cell_type": "code", "source": text, "metadata": {"tags": list(tags)},
            "outputs": [{"output_type": "stream", "name": "stdout", "text": said}] if said else []}
    if hidden:
        cell["metadata"]["jupyter"] = {"source_hidden": True}
    return cell


def test_blank_cell_rules_on_known_cells():
    sigmoid = ("def sigmoid(sop):\n    ### BEGIN SOLUTION: return ...  # your code here\n"
               "    return 1 / (1 + np.exp(-sop))\n    ### END SOLUTION\n")
    good = _cell(sigmoid + 'gdlib.check("01.sigmoid", sigmoid)', ["blank"], "Exercise 01.sigmoid: Correct!\n")
    assert blank_cell_problems([good]) == []
    later = [_cell(sigmoid, ["blank"]), _cell("x = 1"),
             _cell('gdlib.check("01.sigmoid", sigmoid)', said="Exercise 01.sigmoid: Correct!\n")]
    assert blank_cell_problems(later) == []
    assert blank_cell_problems([_cell(sigmoid, ["blank"]), _cell('gdlib.check("01.g2", g2)')]) == [
        "cell 0: no gdlib.check of what it defines (['sigmoid']) in or after it"]
    wrong = _cell(sigmoid + 'gdlib.check("01.sigmoid", sigmoid)', ["blank"], "Not quite")
    assert blank_cell_problems([wrong]) == ["cell 0: its check 01.sigmoid did not print Correct!"]
    bare = _cell("g2 = 1\ngdlib.check('01.g2', g2)", ["blank"], "Exercise 01.g2: Correct!", hidden=True)
    assert [p.split(": ")[1] for p in blank_cell_problems([bare])] == [
        "tagged blank but has no ### BEGIN SOLUTION",
        "collapsed; the course notebook shows a blank's solution"]
