"""Every notebook is saved as a learner should find it: after one clean top-to-bottom
run, with no stored errors or warnings, small, and with the course's opening and closing."""

import json
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell):
    return "".join(cell.get("source", ""))


def markdown(nb):
    return "\n".join(source(c) for c in nb["cells"] if c["cell_type"] == "markdown")


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


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if not p.name.startswith("00")], ids=lambda p: p.name)
def test_exercises_have_hidden_self_checked_solutions(path):
    cells = [c for c in load(path)["cells"] if "exercise" in c.get("metadata", {}).get("tags", [])]
    assert len(cells) >= 2, f"{path.name}: fewer than two exercises"
    for cell in cells:
        text = source(cell)
        assert "### BEGIN SOLUTION" in text and "### END SOLUTION" in text, text
        assert re.search(r'gdlib\.check\("\d\d\.\d+", answer\)', text), text
        assert cell["metadata"].get("jupyter", {}).get("source_hidden") is True, text
        printed = "".join("".join(o.get("text", "")) for o in cell.get("outputs", []))
        assert "Correct!" in printed, f"{path.name}: the saved solution does not pass its check:\n{text}"
