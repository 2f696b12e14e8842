"""Write the student copies of the course notebooks: the code the learner writes, taken out.

    python tools/make_student_copies.py            # notebooks/NN_*.ipynb -> student/NN_*.ipynb
    python tools/make_student_copies.py --check    # exit 1, naming the files, if student/ is stale

For notebook authors
--------------------
Mark the code a learner writes with solution markers. In the student copy each block from
``### BEGIN SOLUTION`` to ``### END SOLUTION`` becomes one line at the marker's indentation:

- ``### BEGIN SOLUTION`` alone becomes ``answer = ...  # your code here``;
- ``### BEGIN SOLUTION: <placeholder>`` becomes ``<placeholder>``, which must contain ``...``,
  e.g. ``### BEGIN SOLUTION: return ...  # your code here: 1 / (1 + e^-SOP)``.

A cell may hold several blocks (a backward loop with two of its lines blanked). Tag the cell:

- ``exercise``: an exercise at the end of a notebook; collapsed in the course notebook
  (``jupyter.source_hidden``), open in the copy; its last line is ``gdlib.check("NN.k", answer)``;
- ``blank``: a lesson cell where the learner writes code (``sigmoid``, a g, the update); the
  course notebook shows the solution, the copy the blanks. Check what it defines with
  ``gdlib.check("NN.name", sigmoid)`` in the same cell (or a later one, with no cell in between
  that uses it);
- also ``writes-code`` on an exercise whose solution writes or fixes gradient code (a ``def``,
  or an assignment to a g, gradient or delta variable): tests/test_notebook_hygiene.py counts them.

The copy must stop at its first blank when run top to bottom, with a one-line *Not yet done*:
``gdlib.check`` raises ``NotYetDone`` on ``...``, on a function that returns ``...`` and on one
that computes with a ``...``. So blank a function's ``return`` (or a line it needs), and check a
top-level blank before anything uses it. The tool refuses a placeholder without ``...`` and a
cell that is no longer Python once its blocks are replaced; ruff checks ``student/`` too, so a
placeholder still assigns the names that later code uses (``g2 = ...``, not ``answer = ...``).

``gdlib.check(key, answer)`` takes a value or the learner's function (pass ``sigmoid``, not
``sigmoid(0.5)``); a function exercise is registered in ``gdlib/answers/nbNN.py`` with the inputs
to try (see ``gdlib/answers/__init__.py``). It prints one line: ``Exercise 01.g2: Correct!``, or
``Not quite. Hint: ...``, or what is wrong (``Close, but not exact: pass the unrounded value``,
``right numbers, but shape (1, 3); expected shape (3,)``, ``g2(0) gave 0.235, expected 0.25, and
the slope of sigmoid there, measured by nudging, is 0.25``, ``g2(0) returned None``, ``g2(0)
raised ...``).

What the tool does
------------------
Every notebook ``notebooks/NN_*.ipynb`` with at least one ``exercise`` or ``blank`` cell gets a
copy in ``student/`` in which:

- the solution blocks are replaced as above, and those cells are no longer collapsed;
- the sentence "The solution cell below is collapsed ..." says instead where the solution is
  (the same cell of the course notebook), and a first cell says what the copy is;
- every output and execution count is cleared (learners run the notebook themselves), and so
  are the saved widget states and run timings;
- relative links (markdown, HTML ``src``/``href``) and file paths in code still point at the
  same files: a link to a notebook that has a student copy points at that copy, any other path
  is rewritten relative to ``student/``.

The output depends on the input files only (byte-identical on every run), so
``--check`` regenerates into a temporary folder and compares bytes.
"""

import argparse
import ast
import copy
import io
import json
import os
import pathlib
import re
import sys
import tempfile
import textwrap
import tokenize
from urllib.parse import quote, unquote

ROOT = pathlib.Path(__file__).resolve().parent.parent
BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
PLACEHOLDER = "answer = ...  # your code here"
EXERCISE_TAG = "exercise"
BLANK_TAG = "blank"
WRITES_CODE_TAG = "writes-code"
NOTEBOOK_PATTERN = re.compile(r"^\d\d_.+\.ipynb$")
NOTE_CELL_ID = "student-copy-note"
# "The solution cell below is collapsed: open it after trying." (any sentence saying so)
COLLAPSED_SENTENCE = re.compile(r"(?i)\b[^.!?\n]*\bbelow (?:is|are) collapsed\b[^.!?\n]*[.!?]")
# "Write it in a new cell of your own, then ...": in a copy the skeleton below is where it goes
# (running the skeleton would overwrite a function written in a new cell above it).
NEW_CELL = re.compile(r"\b(Write|Try) it in a new cell of your own\b")


class NotebookFormatError(ValueError):
    """A cell that the tool cannot turn into a student copy safely."""


# --------------------------------------------------------------------------- solutions

def begin_marker(line):
    """The placeholder for a line that opens a solution block, or None if it opens none."""
    stripped = line.strip()
    if not stripped.startswith(BEGIN):
        return None
    rest = stripped[len(BEGIN):]
    if not rest:
        return PLACEHOLDER
    if rest.startswith(":") and rest[1:].strip():
        return rest[1:].strip()
    raise NotebookFormatError(f"write {BEGIN!r} or '{BEGIN}: <placeholder>', not {stripped!r}")


def strip_solutions(source, where):
    """``source`` with every solution block replaced by its placeholder line.

    Returns ``(new_source, number_of_blocks)``. ``where`` names the cell in errors.
    """
    lines = source.splitlines(keepends=True)
    out, blocks, inside = [], 0, False
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        try:
            placeholder = begin_marker(line)
        except NotebookFormatError as error:
            raise NotebookFormatError(f"{where}, line {number}: {error}.") from None
        if placeholder is not None:
            if inside:
                raise NotebookFormatError(f"{where}, line {number}: a second {BEGIN!r} before {END!r}.")
            if "..." not in placeholder:
                raise NotebookFormatError(
                    f"{where}, line {number}: the placeholder {placeholder!r} has no ..., so the student "
                    f"copy would not stop there.")
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            out.append(indent + placeholder + "\n")
            blocks += 1
        elif stripped == END:
            if not inside:
                raise NotebookFormatError(f"{where}, line {number}: {END!r} without {BEGIN!r}.")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise NotebookFormatError(f"{where}: {BEGIN!r} is never closed by {END!r}.")
    new = "".join(out)
    if not source.endswith("\n") and new.endswith("\n"):
        new = new[:-1]
    if _parses(source) and not _parses(new):
        raise NotebookFormatError(f"{where}: the cell is no longer valid Python once its solutions are "
                                  f"replaced; check the placeholders' indentation.")
    return new, blocks


def _parses(source):
    """True when ``source`` is Python (IPython's ``%`` and ``!`` lines left out)."""
    lines = source.splitlines(keepends=True)
    code = "".join(line for line in lines if not line.lstrip().startswith(("%", "!")))
    try:
        ast.parse(textwrap.dedent(code))
        return True
    except SyntaxError:
        return False


# --------------------------------------------------------------------------- links

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
# [text](target "title") and ![alt](target); the target may sit in <angle brackets>.
_MD_LINK = re.compile(r"(\]\(\s*)(<[^>\n]*>|[^)\s]+)")
# [label]: target   (reference definitions, at the start of a line)
_MD_REF = re.compile(r"(?m)^(\s{0,3}\[[^\]\n]+\]:\s*)(<[^>\n]*>|\S+)")
# <img src="..."> and <a href="...">
_HTML_ATTR = re.compile(r"""(\b(?:src|href)\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE)


class Relocator:
    """Rewrites relative paths written for ``source_dir`` so that they work from ``dest_dir``."""

    def __init__(self, source_dir, dest_dir, copied_names):
        self.source_dir = pathlib.Path(source_dir).resolve()
        self.dest_dir = pathlib.Path(dest_dir).resolve()
        self.copied = set(copied_names)

    def target(self, target):
        """A link target (``path#fragment`` or ``path?query``) as seen from ``dest_dir``."""
        if not target or target.startswith(("#", "/")) or _SCHEME.match(target):
            return target
        cut = min((i for i in (target.find("#"), target.find("?")) if i >= 0), default=len(target))
        path, rest = target[:cut], target[cut:]
        new = self.path(unquote(path))
        if new is None:
            return target
        return (quote(new) if path != unquote(path) else new) + rest

    def path(self, relative):
        """``relative`` (from ``source_dir``) rewritten for ``dest_dir``, or None to keep it."""
        if not relative:
            return None
        resolved = (self.source_dir / relative).resolve()
        if not resolved.exists():
            return None  # a broken link stays visibly broken (tests/test_links.py reports it)
        if resolved.parent == self.source_dir and resolved.name in self.copied:
            return resolved.name  # the student copy of that notebook, next to this one
        return pathlib.Path(os.path.relpath(resolved, self.dest_dir)).as_posix()

    def markdown(self, text):
        def link(match):
            raw = match.group(2)
            if raw.startswith("<") and raw.endswith(">"):
                return match.group(1) + "<" + self.target(raw[1:-1]) + ">"
            return match.group(1) + self.target(raw)

        def attribute(match):
            return match.group(1) + match.group(2) + self.target(match.group(3)) + match.group(2)

        text = _MD_LINK.sub(link, text)
        text = _MD_REF.sub(link, text)
        return _HTML_ATTR.sub(attribute, text)

    def code(self, source):
        """String literals in code that name an existing file, rewritten; the rest untouched."""
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
        except (tokenize.TokenError, SyntaxError, IndentationError):
            return source  # cell magics and the like: nothing to rewrite
        lines = source.splitlines(keepends=True)
        edits = []
        for tok in tokens:
            if tok.type != tokenize.STRING or tok.start[0] != tok.end[0]:
                continue
            try:
                value = ast.literal_eval(tok.string)
            except (ValueError, SyntaxError):
                continue  # f-strings and other non-literals
            if not isinstance(value, str) or not value or _SCHEME.match(value) or value.startswith("/"):
                continue
            if "\n" in value or not (self.source_dir / value).is_file():
                continue
            new = self.path(value)
            if new is not None and new != value:
                prefix = re.match(r"^[a-zA-Z]*", tok.string).group(0)
                quote_mark = tok.string[len(prefix)]
                edits.append((tok.start, tok.end, f"{prefix}{quote_mark}{new}{quote_mark}"))
        for (row, start), (_, end), text in reversed(edits):
            line = lines[row - 1]
            lines[row - 1] = line[:start] + text + line[end:]
        return "".join(lines)


# --------------------------------------------------------------------------- notebooks

def _source(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _lines(text):
    """Source text as nbformat stores it on disk: a list of lines, each keeping its newline."""
    return text.splitlines(keepends=True)


def _tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def is_exercise(cell):
    return cell.get("cell_type") == "code" and EXERCISE_TAG in _tags(cell)


def is_blank(cell):
    """A lesson cell where the learner writes code (tag ``blank``)."""
    return cell.get("cell_type") == "code" and BLANK_TAG in _tags(cell)


def read_notebook(path):
    with open(path, encoding="utf-8") as file:
        return json.load(file)


def exercise_count(nb):
    """How many cells of ``nb`` hold code for the learner to write (exercise or blank)."""
    return sum(1 for cell in nb.get("cells", []) if is_exercise(cell) or is_blank(cell))


def course_link(source_name, relocator):
    """A markdown link, as seen from the copy, to the course notebook ``source_name``."""
    target = pathlib.Path(os.path.relpath(relocator.source_dir / source_name, relocator.dest_dir)).as_posix()
    return f"[`notebooks/{source_name}`]({quote(target)})"


def note_cell(source_name, nbformat_minor, relocator):
    text = (
        "**Student copy.** This notebook is made from the course notebook "
        + course_link(source_name, relocator) + " by `tools/make_student_copies.py`, with the code you "
        "are asked to write taken out. Where the course notebook shows a solution, this copy has a blank, "
        "`...`: in each exercise (`answer = ...  # your code here`), and in the lesson cells where you "
        "write a function or a step yourself (for example `return ...  # your code here`). Replace each "
        "`...` with your own code and run the cell: `gdlib.check` says whether it is right, with a hint "
        "if not. **The solutions** are in the course notebook, in the same cell; where the text mentions "
        "a collapsed solution cell, that cell is there, not here. Running the whole notebook stops at the "
        "first blank you have not filled in yet, with a one-line *Not yet done* message.\n"
        "\n"
        "Instructors: edit `notebooks/`, not this folder, and regenerate the copies "
        "(see `docs/classroom.md`)."
    )
    cell = {"cell_type": "markdown", "metadata": {"slideshow": {"slide_type": "skip"}},
            "source": _lines(text)}
    if nbformat_minor >= 5:
        cell["id"] = NOTE_CELL_ID
    return cell


def where_the_solution_is(text, source_name, relocator):
    """``text`` with each "the solution cell below is collapsed" sentence saying where the solution is
    and where to write (the skeleton below, not a new cell)."""
    sentence = ("In this copy, write it in place of the `...` marked `# your code here` below; the solution "
                "is in the same cell of the course notebook, " + course_link(source_name, relocator) + ".")
    if not COLLAPSED_SENTENCE.search(text):
        return text
    return NEW_CELL.sub(r"\1 it below", COLLAPSED_SENTENCE.sub(lambda match: sentence, text))


def student_notebook(nb, name, relocator):
    """The student copy of notebook ``nb`` (a JSON dict, left unchanged)."""
    nb = copy.deepcopy(nb)
    minor = nb.get("nbformat_minor", 0)
    nb.get("metadata", {}).pop("widgets", None)  # widget state belongs to the saved run
    cells = []
    for index, cell in enumerate(nb.get("cells", [])):
        where = f"{name}, cell {index}"
        metadata = cell.setdefault("metadata", {})
        metadata.pop("execution", None)  # run timings recorded by nbclient
        if minor >= 5 and "id" not in cell:
            cell["id"] = f"cell-{index}"
        source = _source(cell)
        if cell.get("cell_type") == "code":
            if is_exercise(cell) or is_blank(cell):
                source, blocks = strip_solutions(source, where)
                if blocks == 0:
                    tag = EXERCISE_TAG if is_exercise(cell) else BLANK_TAG
                    raise NotebookFormatError(f"{where} is tagged {tag!r} but has no {BEGIN!r}.")
                jupyter = metadata.get("jupyter", {})
                jupyter.pop("source_hidden", None)
                if not jupyter:
                    metadata.pop("jupyter", None)
            elif BEGIN in source or END in source:
                raise NotebookFormatError(f"{where} has solution markers but neither the {EXERCISE_TAG!r} "
                                          f"nor the {BLANK_TAG!r} tag: tag it or remove them.")
            source = relocator.code(source)
            cell["outputs"] = []
            cell["execution_count"] = None
        elif cell.get("cell_type") == "markdown":
            source = where_the_solution_is(relocator.markdown(source), name, relocator)
        cell["source"] = _lines(source)
        cells.append(cell)
    nb["cells"] = [note_cell(name, minor, relocator)] + cells
    return nb


def dumps(nb):
    """The bytes of a notebook file, laid out as nbformat writes it (stable key order)."""
    return (json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def course_notebooks(source_dir):
    """The notebooks in ``source_dir`` that have exercise or blank cells, sorted by name."""
    paths = sorted(p for p in pathlib.Path(source_dir).glob("*.ipynb") if NOTEBOOK_PATTERN.match(p.name))
    return [p for p in paths if exercise_count(read_notebook(p))]


def make_copies(source_dir, dest_dir, link_dir=None):
    """Write the student copies of ``source_dir``'s notebooks into ``dest_dir``; returns their paths.

    Paths in the copies are rewritten as seen from ``link_dir`` (default ``dest_dir``):
    ``--check`` writes into a temporary folder, but links as for ``student/``.
    """
    sources = course_notebooks(source_dir)
    relocator = Relocator(source_dir, link_dir or dest_dir, [p.name for p in sources])
    dest_dir = pathlib.Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sources:
        nb = student_notebook(read_notebook(path), path.name, relocator)
        out = dest_dir / path.name
        out.write_bytes(dumps(nb))
        written.append(out)
    return written


def stale_files(source_dir, dest_dir):
    """Names of the files in ``dest_dir`` that differ from a fresh run (missing, changed or extra)."""
    dest_dir = pathlib.Path(dest_dir)
    with tempfile.TemporaryDirectory() as tmp:
        fresh = {p.name: p.read_bytes() for p in make_copies(source_dir, tmp, link_dir=dest_dir)}
    present = {p.name for p in dest_dir.glob("*.ipynb")} if dest_dir.is_dir() else set()
    problems = []
    for name in sorted(fresh.keys() | present):
        if name not in present:
            problems.append(f"{name}: missing")
        elif name not in fresh:
            problems.append(f"{name}: no course notebook with exercises or blanks makes it (delete it)")
        elif (dest_dir / name).read_bytes() != fresh[name]:
            problems.append(f"{name}: out of date")
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default=ROOT / "notebooks", type=pathlib.Path,
                        help="folder of the course notebooks (default: notebooks/)")
    parser.add_argument("--dest", default=ROOT / "student", type=pathlib.Path,
                        help="folder of the student copies (default: student/)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 naming the student copies that are not current")
    args = parser.parse_args(argv)
    try:
        if args.check:
            problems = stale_files(args.source, args.dest)
            if problems:
                print(f"Student copies in {args.dest} are not current:", file=sys.stderr)
                for line in problems:
                    print(f"  {line}", file=sys.stderr)
                print("Regenerate them: python tools/make_student_copies.py", file=sys.stderr)
                return 1
            print(f"Student copies in {args.dest} are current.")
            return 0
        written = make_copies(args.source, args.dest)
        for path in written:
            print(f"wrote {path}")
        for path in sorted(set(args.dest.glob("*.ipynb")) - set(written)):
            if NOTEBOOK_PATTERN.match(path.name):  # its course notebook was renamed or lost its blanks
                path.unlink()
                print(f"removed {path}")
        return 0
    except NotebookFormatError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
