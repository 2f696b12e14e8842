"""One hop from a notebook to the gdlib function it introduces, and one from the function to its test.

Every public name of gdlib says in its docstring where the course introduces it ("Introduced in
notebook NN."), and that notebook names it; a name no notebook uses says so instead ("Not used by
name in the notebooks"). Every public name is exercised by a test file named after its module
(gdlib/chain_rule.py -> tests/test_chain_rule.py, gdlib/drawing/surface.py -> tests/test_surface.py).
"""

import inspect
import json
import pathlib
import re

import pytest

import gdlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = {path.name[:2]: path for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))}
INTRODUCED = re.compile(r"Introduced in notebook (\d\d)")
UNUSED = "Not used by name in the notebooks"


def notebook_text(number):
    cells = json.loads(NOTEBOOKS[number].read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(cell["source"]) for cell in cells)


def names_it(text, name):
    return re.search(rf"(?<![\w]){re.escape(name)}\b", text) is not None


@pytest.mark.parametrize("name", sorted(gdlib.__all__))
def test_the_docstring_names_the_notebook_that_introduces_it(name):
    doc = inspect.getdoc(getattr(gdlib, name)) or ""
    found = INTRODUCED.findall(doc)
    if UNUSED in doc:
        assert not found, f"gdlib.{name} says both where it is introduced and that no notebook uses it"
        used = [n for n in NOTEBOOKS if re.search(rf"gdlib\.{re.escape(name)}\b", notebook_text(n))]
        assert not used, f"gdlib.{name} says no notebook uses it, but notebooks {used} call gdlib.{name}"
        return
    assert found, f"gdlib.{name}: its docstring should say 'Introduced in notebook NN.'"
    number = found[0]
    assert number in NOTEBOOKS, f"gdlib.{name} names notebook {number}, which does not exist"
    assert names_it(notebook_text(number), name), f"notebook {number} never names {name}"


@pytest.mark.parametrize("name", sorted(gdlib.__all__))
def test_a_test_file_named_after_its_module_exercises_it(name):
    module = getattr(gdlib, name).__module__.rsplit(".", 1)[-1]
    test_file = ROOT / "tests" / f"test_{module}.py"
    assert test_file.is_file(), f"gdlib.{name} lives in {module}.py, but there is no tests/test_{module}.py"
    code = "\n".join(line for line in test_file.read_text().splitlines()
                     if not line.lstrip().startswith(("import ", "from ")))
    assert names_it(code, name), f"tests/test_{module}.py never uses {name}"
