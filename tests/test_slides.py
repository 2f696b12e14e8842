"""Slides: every stage notebook (01-05) presents as a jupyterlab-rise slideshow that fits a
1280x720 projector.

Checked: every cell has ``metadata.slideshow.slide_type`` from the allowed set; the first
shown cell opens a "slide"; no slide is taller than the screen by the measure below; no
plot asks for a figure larger than (9, 3.6) inches; jupyterlab-rise is a requirement.

The measure: how tall a slide is, in CSS pixels, estimated from the saved notebook. RISE
shows a slide's cells at their natural size (reveal.js, width and height 100 %, no
scrolling), so whatever is taller than the screen is cut off. The constants were fitted to
the heights that Chromium measured for the course's own slides (jupyterlab-rise 0.43,
JupyterLab 4.6, a 1280x720 window), cell by cell: over 176 cells the median error is 2 px,
nine in ten are within 11 px, and the worst is a title cell, 82 px too tall.

- markdown cell: 18 px, plus per block: a level-1 heading 130 px (the title), level 2
  54 px, level 3+ 40 px; a paragraph 18 px plus 20 px per line, its soft-wrapped source
  lines joined and wrapped every 170 characters (inline maths and link targets count
  short); a list item the same with 10 px instead of 18; display maths 20 px plus 18 px
  per row (rows are split by ``\\``), 26 px more with a fraction, sum, brace or matrix;
  a table row 24 px; a picture 300 px;
- code cell: 22 px plus 18 px per line (wrapping at 140 characters), or 114 px when the
  source is collapsed (the exercise solutions: RISE shows the first line, large);
- each output: text 6 px plus 17 px per line; a PNG 66 px plus its height (from the
  image's metadata or its header, scaled down when wider than the 1150 px a slide
  gives it); a widget (the explorers) 66 px plus its sliders at 32 px each, its text and
  its picture, read from the widget state saved in the notebook (500 px without it).

A slide is the sum of its cells (a "slide" or "subslide" cell and the "fragment" and "-"
cells after it). ``SCREEN_HEIGHT`` leaves 20 px of the 720 to reveal's progress bar and
the measure's error. Run ``python tests/test_slides.py`` to print the tallest slides.

(jupyterlab-rise 0.43 cannot draw ipywidgets 8 widgets, an upstream bug, so an explorer shows
there as the still picture of its plot that it adds to its output; the measure counts the
explorers at their full size in the notebook, sliders included, so the slides fit either way.)
"""

import base64
import json
import math
import pathlib
import re
import struct

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
STAGES = [f"{n:02d}" for n in range(1, 10)]  # every notebook but 00 is a stage notebook
ALLOWED = {"slide", "subslide", "fragment", "-", "skip", "notes"}
NEW_SLIDE = {"slide", "subslide"}
NOT_SHOWN = {"skip", "notes"}

SCREEN_HEIGHT = 700  # px of a 720 px screen
SLIDE_WIDTH = 1150  # px available to an image
MAX_FIGSIZE = (9.0, 3.6)  # inches, the course's largest plot (plot_history draws (9, 3.4))

MARKDOWN_CELL = 18
HEADING = {1: 130, 2: 54}
HEADING_SMALL = 40
PARAGRAPH, LIST_ITEM, PROSE_LINE, PROSE_WRAP = 18, 10, 20, 170
MATH_BLOCK, MATH_ROW, MATH_TALL = 20, 18, 26
TALL_MATH = re.compile(r"\\(d?frac|underbrace|overbrace|sum|prod|begin\{[pbvB]?matrix\})")
TABLE_ROW = 24
PICTURE = 300
CODE_CELL, CODE_LINE, CODE_WRAP = 22, 18, 140
COLLAPSED = 114
OUTPUT, TEXT_LINE, TEXT_WRAP = 6, 17, 140
IMAGE_OUTPUT = 66
CONTROL = 32
WIDGET_DEFAULT = 500


def stage_notebooks():
    return sorted(p for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb") if not p.name.startswith("00"))


def _read(path):
    return json.loads(pathlib.Path(path).read_text(encoding="utf-8"))


def _text(value):
    return "".join(value) if isinstance(value, list) else value


def slide_type(cell):
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type")


# --------------------------------------------------------------------------- the measure

def _wrapped(line, width):
    return max(1, math.ceil(len(line) / width))


def _shown_length(text):
    """Characters a line of markdown takes on screen, roughly: inline maths, link targets
    and markup count short."""
    text = re.sub(r"\$[^$]+\$", "xxxxxx", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return len(re.sub(r"[*_`]", "", text))


def markdown_height(source):
    height = MARKDOWN_CELL
    paragraph, gap = [], PARAGRAPH
    maths, in_maths, in_fence = [], False, False

    def end_paragraph():
        nonlocal height
        if paragraph:
            height += gap + PROSE_LINE * _wrapped("x" * _shown_length(" ".join(paragraph)), PROSE_WRAP)
            paragraph.clear()

    for line in source.splitlines():
        s = line.strip()
        if in_fence or s.startswith("```"):
            end_paragraph()
            height += CODE_LINE if s.startswith("```") else CODE_LINE * _wrapped(line, CODE_WRAP)
            in_fence = in_fence != s.startswith("```")
        elif in_maths or s.startswith(("$$", "\\begin{")):
            end_paragraph()
            maths.append(s)
            if not in_maths:  # opening line: does it close on the same line?
                in_maths = not (s.count("$$") >= 2 or (s.startswith("\\begin{") and "\\end{" in s))
            elif "$$" in s or s.startswith("\\end{"):
                in_maths = False
            if not in_maths:
                text = " ".join(maths)
                maths.clear()
                height += MATH_BLOCK + MATH_ROW * (1 + text.count("\\\\"))
                height += MATH_TALL if TALL_MATH.search(text) else 0
        elif not s:
            end_paragraph()
        elif s.startswith("#"):
            end_paragraph()
            level = len(s) - len(s.lstrip("#"))
            height += HEADING.get(level, HEADING_SMALL)
        elif s.startswith("|"):
            end_paragraph()
            height += 0 if set(s) <= set("|-: ") else TABLE_ROW
        elif re.search(r"!\[[^\]]*\]\(|<img\b", s):
            end_paragraph()
            height += PICTURE
        else:
            if re.match(r"([-*+]|\d+[.)])\s", s):  # a list item starts a block of its own
                end_paragraph()
                gap = LIST_ITEM
            elif not paragraph:
                gap = PARAGRAPH
            paragraph.append(s)
    end_paragraph()
    return height


def code_height(cell):
    if cell.get("metadata", {}).get("jupyter", {}).get("source_hidden"):
        return COLLAPSED
    lines = _text(cell.get("source", "")).splitlines() or [""]
    return CODE_CELL + CODE_LINE * sum(_wrapped(line, CODE_WRAP) for line in lines)


def png_size(data):
    """(width, height) of base64-encoded PNG data, from its IHDR header."""
    raw = base64.b64decode(data[:64] if isinstance(data, str) else data)
    return struct.unpack(">II", raw[16:24])


def image_height(output):
    data = output["data"]["image/png"]
    meta = output.get("metadata", {}).get("image/png", {})
    width, height = png_size(_text(data))
    width, height = meta.get("width", width), meta.get("height", height)
    return height * min(1.0, SLIDE_WIDTH / width)


def widget_height(model_id, state):
    """Sliders, text and pictures of a saved widget tree, stacked (an HBox: side by side)."""
    model = state.get(model_id)
    if model is None:
        return WIDGET_DEFAULT
    name = model.get("model_name", "")
    fields = model.get("state", {})
    children = [c.removeprefix("IPY_MODEL_") for c in fields.get("children", [])]
    if name == "HBoxModel":
        return max((widget_height(c, state) for c in children), default=0)
    if children:
        return sum(widget_height(c, state) for c in children)
    if name == "ImageModel":
        for buffer in model.get("buffers", []):
            if buffer.get("path") == ["value"] and buffer.get("encoding") == "base64":
                return png_size(buffer["data"])[1]
        return WIDGET_DEFAULT
    if name in ("HTMLModel", "LabelModel", "HTMLMathModel"):
        text = re.sub(r"<[^>]+>", "", str(fields.get("value", "")))
        return TEXT_LINE * _wrapped(text, TEXT_WRAP) + OUTPUT if text else 0
    if name in ("OutputModel", "LayoutModel") or name.endswith("StyleModel"):
        return 0
    return CONTROL


def _text_lines(text):
    return sum(_wrapped(line, TEXT_WRAP) for line in text.splitlines())


def output_height(output, widget_state):
    kind = output.get("output_type")
    if kind == "stream":
        return OUTPUT + TEXT_LINE * _text_lines(_text(output["text"]))
    if kind == "error":
        return OUTPUT + TEXT_LINE * len(output.get("traceback", []))
    data = output.get("data", {})
    if "application/vnd.jupyter.widget-view+json" in data:
        model_id = data["application/vnd.jupyter.widget-view+json"]["model_id"]
        return IMAGE_OUTPUT + (widget_height(model_id, widget_state) if widget_state else WIDGET_DEFAULT)
    if "image/png" in data:
        return IMAGE_OUTPUT + image_height(output)
    if "text/html" in data:
        html = _text(data["text/html"])
        rows = html.count("<tr")
        return OUTPUT + (TABLE_ROW * rows if rows else TEXT_LINE * len(html.splitlines()))
    if "text/latex" in data or "text/markdown" in data:
        return markdown_height(_text(data.get("text/markdown", data.get("text/latex"))))
    if "text/plain" in data:
        return OUTPUT + TEXT_LINE * _text_lines(_text(data["text/plain"]))
    return 0


def cell_height(cell, widget_state):
    if cell["cell_type"] == "markdown":
        return markdown_height(_text(cell["source"]))
    if cell["cell_type"] == "code":
        return code_height(cell) + sum(output_height(o, widget_state) for o in cell.get("outputs", []))
    return MARKDOWN_CELL + PROSE_LINE * len(_text(cell["source"]).splitlines())


def slides(nb):
    """[(first cell index, title, height in px, [(cell index, px), ...])] for the shown slides."""
    state = nb.get("metadata", {}).get("widgets", {}).get(
        "application/vnd.jupyter.widget-state+json", {}).get("state", {})
    result = []
    for index, cell in enumerate(nb["cells"]):
        kind = slide_type(cell)
        if kind in NOT_SHOWN:
            continue
        if kind in NEW_SLIDE or not result:
            first = _text(cell["source"]).strip().splitlines()[:1] or [""]
            result.append([index, first[0][:70], 0, []])
        height = cell_height(cell, state)
        result[-1][2] += height
        result[-1][3].append((index, height))
    return [tuple(s) for s in result]


# --------------------------------------------------------------------------- the tests

def test_every_stage_has_one_notebook():
    names = [p.name for p in stage_notebooks()]
    assert [n[:2] for n in names] == STAGES, f"expected one notebook per stage 01-09, found {names}"


@pytest.mark.parametrize("path", stage_notebooks(), ids=lambda p: p.name)
def test_every_cell_has_an_allowed_slide_type(path):
    cells = _read(path)["cells"]
    missing = [i for i, c in enumerate(cells) if slide_type(c) is None]
    assert not missing, f"cells without metadata.slideshow.slide_type: {missing}"
    wrong = {i: slide_type(c) for i, c in enumerate(cells) if slide_type(c) not in ALLOWED}
    assert not wrong, f"slide types outside {sorted(ALLOWED)}: {wrong}"
    shown = [c for c in cells if slide_type(c) not in NOT_SHOWN]
    assert shown and slide_type(shown[0]) == "slide", "the first cell shown must open a 'slide'"
    assert sum(slide_type(c) == "slide" for c in cells) >= 2, "the title and at least one section"


@pytest.mark.parametrize("path", stage_notebooks(), ids=lambda p: p.name)
def test_every_slide_fits_a_1280x720_projector(path):
    too_tall = [
        f"slide at cell {index} ({title!r}): ~{height:.0f} px; cells (index, px): "
        + ", ".join(f"({i}, {h:.0f})" for i, h in parts)
        for index, title, height, parts in slides(_read(path))
        if height > SCREEN_HEIGHT
    ]
    assert not too_tall, (f"taller than {SCREEN_HEIGHT} px (see tests/test_slides.py for the measure); "
                          "split them with a 'subslide' or shorten them:\n" + "\n".join(too_tall))


@pytest.mark.parametrize("path", stage_notebooks(), ids=lambda p: p.name)
def test_plots_are_no_larger_than_9_by_3_6_inches(path):
    big = []
    for index, cell in enumerate(_read(path)["cells"]):
        if cell["cell_type"] != "code" or slide_type(cell) in NOT_SHOWN:
            continue
        for w, h in re.findall(r"figsize\s*=\s*\(\s*([\d.]+)\s*,\s*([\d.]+)\s*\)", _text(cell["source"])):
            if float(w) > MAX_FIGSIZE[0] or float(h) > MAX_FIGSIZE[1]:
                big.append(f"cell {index}: figsize=({w}, {h})")
    assert not big, f"larger than figsize {MAX_FIGSIZE}: {big}"


@pytest.mark.parametrize("requirements", ["requirements.txt", "binder/requirements.txt"])
def test_jupyterlab_rise_is_required(requirements):
    names = [re.split(r"[<>=!~;\[ ]", line.strip())[0].lower().replace("_", "-")
             for line in (ROOT / requirements).read_text().splitlines()
             if line.strip() and not line.lstrip().startswith(("#", "-"))]
    assert "jupyterlab-rise" in names


def test_measure_on_known_cells():
    """The measure itself: a plot of 9 x 3.6 inches at 100 dpi under a heading fits; two do not."""
    header = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + struct.pack(">II", 900, 360)
    png = base64.b64encode(header).decode()
    plot = {"cell_type": "code", "source": "fig = gdlib.plot_history(history)\nplt.show()",
            "metadata": {"slideshow": {"slide_type": "subslide"}},
            "outputs": [{"output_type": "display_data", "data": {"image/png": png}, "metadata": {}}]}
    title = {"cell_type": "markdown", "source": "## Training\nOne run,\ntwo panels.",
             "metadata": {"slideshow": {"slide_type": "slide"}}}
    assert cell_height(plot, {}) == CODE_CELL + 2 * CODE_LINE + IMAGE_OUTPUT + 360
    assert cell_height(title, {}) == MARKDOWN_CELL + HEADING[2] + PARAGRAPH + PROSE_LINE  # one line
    one = slides({"cells": [title, plot]})
    assert [s[0] for s in one] == [0, 1] and all(s[2] <= SCREEN_HEIGHT for s in one)
    crowded = dict(plot, metadata={"slideshow": {"slide_type": "-"}})
    assert slides({"cells": [title, crowded, crowded]})[0][2] > SCREEN_HEIGHT
    equation = "$$\nE = (predicted - target)^2 \\tag{1}\n$$"
    assert markdown_height(equation) == MARKDOWN_CELL + MATH_BLOCK + MATH_ROW
    assert markdown_height("$$g_2 = \\frac{1}{4} \\\\ g_3 = X$$") == (
        MARKDOWN_CELL + MATH_BLOCK + 2 * MATH_ROW + MATH_TALL)
    assert markdown_height("- one\n- two") == MARKDOWN_CELL + 2 * (LIST_ITEM + PROSE_LINE)
    wide = {"output_type": "display_data", "data": {"image/png": png},
            "metadata": {"image/png": {"width": 2300, "height": 920}}}
    assert image_height(wide) == pytest.approx(920 * SLIDE_WIDTH / 2300)


if __name__ == "__main__":
    for notebook in stage_notebooks():
        measured = sorted(slides(_read(notebook)), key=lambda s: -s[2])
        print(f"{notebook.name}: {len(measured)} slides; tallest:")
        for index, title, height, _ in measured[:5]:
            print(f"  {height:5.0f} px  cell {index:3d}  {title}")
