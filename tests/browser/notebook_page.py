"""Driving notebooks in JupyterLab the way a learner does: open, Run All, read, move sliders.

``LabPage`` is a Playwright page showing JupyterLab from a ``lab_server.LabServer``, in which
notebooks are opened one after another; ``Explorer`` is an explorer widget in it. Every wait
has a timeout, and the checks read what the browser shows (status bar, outputs, rendered
LaTeX, slider readouts, the plot ``<img>``). The app (``window.jupyterapp``) is used to open
and close documents, to read execution counts, which collapsed cells do not show, and to hand
the kernel of one notebook on to the next (see ``LabPage.open``).
"""

import contextlib
import math
import pathlib
import posixpath
import shutil

import nbformat
from forget_notebook import FORGET_THE_LAST_NOTEBOOK

PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
# Stderr outputs with one of these words are failures; JupyterLab shows tracebacks as stderr.
ERROR_WORDS = ("Error", "Traceback", "Warning")
# The explorers' sliders, known by their description labels (gdlib/drawing/explorer_base.py).
LEARNING_RATE_LABEL = "learning rate"
ITERATIONS_LABEL = "iterations"
# Kernel work (opening, Run All) may take this long; the front end answers within the second.
KERNEL_TIMEOUT_MS = 180_000
FRONT_END_TIMEOUT_MS = 30_000
# A slider move retrains in the kernel, then the new plot travels to the page.
REDRAW_TIMEOUT_MS = 60_000
# Cells whose output is a widget: the course tags them (and only them) like this.
WIDGET_CELL_TAG = "nbval-ignore-output"

_JS_UNRUN_CELLS = """() => Array.from(window.jupyterapp.shell.currentWidget.content.model.cells)
  .map((cell, index) => (cell.type === 'code' && cell.executionCount === null ? index : -1))
  .filter(index => index >= 0)"""

_JS_ERROR_OUTPUTS = """([panelSelector, words]) => {
  const panel = document.querySelector(panelSelector);
  const found = [];
  panel.querySelectorAll('.jp-Notebook .jp-Cell').forEach(cell => {
    const index = Number(cell.dataset.windowedListIndex);
    cell.querySelectorAll('.jp-OutputArea-output').forEach(output => {
      const text = output.textContent || '';
      const stderr = output.dataset.mimeType === 'application/vnd.jupyter.stderr';
      if ((stderr && words.some(word => text.includes(word)))
          || text.includes('Error displaying widget') || text.includes('Error rendering')) {
        found.push({index, text: text.slice(0, 2000)});
      }
    });
  });
  return found;
}"""

# The status bar reads "Python 3 (ipykernel) | Idle"; the model must agree (same kernel).
_JS_KERNEL_IDLE = """() => {
  const status = Array.from(document.querySelectorAll('#jp-main-statusbar .jp-StatusBar-TextItem'))
    .map(item => item.textContent.trim()).find(text => text.includes(' | ')) || '';
  const current = window.jupyterapp.shell.currentWidget;
  const kernel = current && current.sessionContext && current.sessionContext.session
    && current.sessionContext.session.kernel;
  return / \\| Idle$/.test(status) && Boolean(kernel) && kernel.status === 'idle';
}"""

_JS_RUN_FINISHED = """([panelSelector, words]) => {
  const panel = document.querySelector(panelSelector);
  if (!(""" + _JS_KERNEL_IDLE + """)()) return false;
  if (Array.from(panel.querySelectorAll('.jp-InputPrompt')).some(p => p.textContent.includes('*'))) {
    return false;
  }
  const cells = Array.from(window.jupyterapp.shell.currentWidget.content.model.cells);
  const pending = cells.filter(cell => cell.type === 'code' && cell.executionCount === null).length;
  if (pending === 0) return true;
  // Run All stops at the first error: then the remaining cells stay unrun for good.
  return Array.from(panel.querySelectorAll('.jp-OutputArea-output'))
    .some(o => o.dataset.mimeType === 'application/vnd.jupyter.stderr'
              && words.some(word => (o.textContent || '').includes(word)));
}"""

# Markdown cells whose LaTeX did not render: a MathJax error, or TeX source left in the
# text (``$$`` or a backslash command) outside code. Rendered math keeps no TeX in its text.
_JS_UNRENDERED_MATH = """panelSelector => {
  const panel = document.querySelector(panelSelector);
  const found = [];
  panel.querySelectorAll('.jp-Notebook .jp-MarkdownCell').forEach(cell => {
    const output = cell.querySelector('.jp-MarkdownOutput');
    if (!output) return;
    const prose = output.cloneNode(true);
    prose.querySelectorAll('code, pre, mjx-container').forEach(node => node.remove());
    const text = prose.textContent || '';
    const leftover = text.match(/\\$\\$|\\\\[A-Za-z]{2,}/);
    if (output.querySelector('mjx-merror') || leftover) {
      found.push({index: Number(cell.dataset.windowedListIndex),
                  text: leftover ? text.slice(Math.max(0, leftover.index - 60), leftover.index + 60)
                                 : 'MathJax error: ' + output.querySelector('mjx-merror').textContent});
    }
  });
  return found;
}"""

_JS_CELLS_WITH_SLIDER = """([panelSelector, label]) => {
  const panel = document.querySelector(panelSelector);
  return Array.from(panel.querySelectorAll('.jp-Notebook .jp-Cell'))
    .filter(cell => Array.from(cell.querySelectorAll('.jp-OutputArea-output .widget-slider .widget-label'))
      .some(node => node.textContent.trim() === label))
    .map(cell => Number(cell.dataset.windowedListIndex));
}"""

_JS_OUTPUTS_CLEARED = """() => Array.from(window.jupyterapp.shell.currentWidget.content.model.cells)
  .every(cell => cell.type !== 'code' || (cell.executionCount === null && cell.outputs.length === 0))"""

# Open a notebook as a double click in the file browser does; with a kernel model ({id, name}),
# in that running kernel instead of a new one.
_JS_OPEN = """([path, kernel]) => {
  const options = {path, factory: 'Notebook', kernel: kernel || undefined};
  window.jupyterapp.commands.execute('docmanager:open', options);
}"""

_JS_KERNEL_MODEL = """() => {
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  return {id: kernel.id, name: kernel.name};
}"""

# Run code in the current notebook's kernel without a trace in the notebook (no cell, no output).
_JS_RUN_SILENTLY = """async code => {
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  const reply = await kernel.requestExecute({code, silent: true, store_history: false}).done;
  return reply.content.status === 'ok' ? 'ok' : `${reply.content.ename}: ${reply.content.evalue}`;
}"""

_JS_SHOWS = """path => {
  const current = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  return Boolean(current && current.context && current.context.path === path);
}"""

_JS_CLOSE_ALL = """() => {
  for (const widget of Array.from(window.jupyterapp.shell.widgets('main'))) widget.dispose();
}"""

_JS_SLIDER_RANGE = """target => {
  const options = target.noUiSlider.options;
  return [options.range.min, options.range.max, options.step];
}"""

# Text in an explorer's output (labels, readouts, the note) that reaches past the output area's
# right edge, or is cut off inside its own box: [(its text, how many pixels too wide)].
_JS_TEXT_CUT_OFF = """output => {
  const right = output.getBoundingClientRect().right;
  const found = [];
  const boxes = output.querySelectorAll('.widget-html, .widget-html-content, .widget-label, .widget-readout');
  for (const box of boxes) {
    const past = Math.max(box.getBoundingClientRect().right - right, box.scrollWidth - box.clientWidth);
    if (box.offsetParent !== null && past > 1) {
      found.push([box.textContent.trim().slice(0, 60), Math.round(past)]);
    }
  }
  return found;
}"""

_JS_IMAGE_UPDATED = """([image, oldSrc]) =>
  image.src !== oldSrc && image.complete && image.naturalWidth > 0"""


def widget_cell_indices(path):
    """Indices of the cells of notebook ``path`` that show a widget (tagged WIDGET_CELL_TAG)."""
    notebook = nbformat.read(path, as_version=4)
    return [index for index, cell in enumerate(notebook.cells)
            if WIDGET_CELL_TAG in cell.metadata.get("tags", [])]


class LabPage:
    """One browser page running JupyterLab, in which the tests open notebooks one after another.

    The first notebook is opened by its URL (``?reset``: a fresh workspace); the next ones
    through the app, as a double click in the file browser does, which spares reloading
    JupyterLab. A notebook in the same folder as the last one runs in its kernel, made to
    forget it first (``open``). After a failure the page and the kernel are thrown away, and
    the next notebook starts afresh.
    """

    def __init__(self, context, lab):
        self.context = context
        self.lab = lab
        self.page = None
        self.kernel = None  # (folder, {id, name}): the last notebook's kernel, for the next one
        self.console = []
        self.focus = None  # what the test was looking at, for the failure screenshot

    def _new_page(self):
        self.page = self.context.new_page()
        self.page.set_default_timeout(FRONT_END_TIMEOUT_MS)
        self.page.on("console", lambda message: self.console.append(f"[{message.type}] {message.text}"))
        self.page.on("pageerror", lambda error: self.console.append(f"[pageerror] {error}"))

    @property
    def panel(self):
        return self.page.locator(PANEL)

    def cell(self, index):
        return self.panel.locator(f'.jp-Notebook .jp-Cell[data-windowed-list-index="{index}"]')

    # -- opening and running -------------------------------------------------------------------
    @contextlib.contextmanager
    def notebook(self, relative_path, evidence_folder):
        """Open ``relative_path`` and yield this page; then close it and stop its kernel.

        Any failure inside becomes an AssertionError naming ``evidence_folder``, where a
        screenshot of the notebook panel and the browser console log are saved.
        """
        self.console.clear()
        self.focus = None
        try:
            self.open(relative_path)
            yield self
        except Exception as failure:
            saved = self.save_evidence(evidence_folder, failure)
            self.discard_page()
            self.stop_kernel()
            raise AssertionError(f"{failure}\n\nScreenshot and browser console log: {saved}") from failure
        finally:
            self.close_notebooks()

    def open(self, relative_path):
        """Show notebook ``relative_path`` and wait until its kernel says Idle.

        A notebook in the folder of the last one opens in the last one's kernel (the same
        working folder), which first runs tests/forget_notebook.py's code: no variable, figure,
        widget or shown warning of the last notebook is left, only its imported modules. That
        spares each notebook ~2 s of CPU (a kernel's start and imports) and ~0.5 s of waiting;
        that each notebook runs in a fresh kernel is nbval's check.
        """
        folder = posixpath.dirname(relative_path)
        reuse = self.kernel is not None and self.kernel[0] == folder  # None after a failure
        if not reuse:
            self.stop_kernel()
        if self.page is None:
            self._new_page()
            self.page.goto(self.lab.notebook_url(relative_path))
        else:
            self.page.evaluate(_JS_OPEN, [relative_path, self.kernel[1] if reuse else None])
        self.page.wait_for_function(_JS_SHOWS, arg=relative_path, timeout=KERNEL_TIMEOUT_MS)
        self.panel.wait_for()
        self.wait_kernel_idle()
        if reuse:
            status = self.page.evaluate(_JS_RUN_SILENTLY, FORGET_THE_LAST_NOTEBOOK)
            assert status == "ok", f"the kernel could not forget the last notebook: {status}"
        self.kernel = (folder, self.page.evaluate(_JS_KERNEL_MODEL))

    def stop_kernel(self):
        """Stop every kernel (in the background), also one whose notebook failed before it was
        remembered: the next notebook opens in a new one."""
        self.kernel = None
        self.lab.shutdown_kernels(wait=False)

    def wait_kernel_idle(self):
        """Wait for the status bar's "Python 3 (ipykernel) | Idle" (not the toolbar circle),
        from this notebook's own kernel."""
        self.page.wait_for_function(_JS_KERNEL_IDLE, polling=200, timeout=KERNEL_TIMEOUT_MS)

    def menu(self, menu_name, item_name):
        """Click ``menu_name`` > ``item_name`` in JupyterLab's menu bar."""
        self.page.locator(".lm-MenuBar-itemLabel").get_by_text(menu_name, exact=True).click()
        self.page.locator(".lm-Menu-itemLabel").get_by_text(item_name, exact=True).click()

    def run_all(self):
        """Run > Run All Cells, in a notebook opened without outputs (the server's copies have
        none: nothing saved can pass for a result, and no execution count for a cell that ran).

        Returns once the kernel is idle and every code cell ran, or Run All stopped at an error.
        """
        assert self.page.evaluate(_JS_OUTPUTS_CLEARED), "the notebook opened with saved outputs"
        self.menu("Run", "Run All Cells")
        self.page.wait_for_function(_JS_RUN_FINISHED, arg=[PANEL, list(ERROR_WORDS)], polling=200,
                                    timeout=KERNEL_TIMEOUT_MS)

    def close_notebooks(self):
        """Close every open document without asking to save (the copies are thrown away)."""
        if self.page is not None:
            with contextlib.suppress(Exception):
                self.page.evaluate(_JS_CLOSE_ALL)

    def discard_page(self):
        if self.page is not None:
            with contextlib.suppress(Exception):
                self.page.close()
        self.page = None

    # -- reading -------------------------------------------------------------------------------
    def unrun_cells(self):
        """Indices of code cells without an execution count (not run)."""
        return self.page.evaluate(_JS_UNRUN_CELLS)

    def error_outputs(self):
        """[(cell index, text)] of every output showing an error, traceback or warning."""
        found = self.page.evaluate(_JS_ERROR_OUTPUTS, [PANEL, list(ERROR_WORDS)])
        return [(item["index"], item["text"]) for item in found]

    def unrendered_math(self):
        """[(cell index, text around it)] of markdown cells whose LaTeX did not render."""
        found = self.page.evaluate(_JS_UNRENDERED_MATH, PANEL)
        return [(item["index"], item["text"]) for item in found]

    def file_browser_open(self):
        """Whether JupyterLab's file browser takes its place at the left, as on a learner's screen."""
        return self.page.locator("#filebrowser").is_visible()

    def cells_with_slider(self, label):
        """Indices of the cells whose output shows a slider labelled ``label``."""
        return self.page.evaluate(_JS_CELLS_WITH_SLIDER, [PANEL, label])

    def explorer(self, cell_index):
        """The ``Explorer`` in the output of cell ``cell_index`` (the output with its sliders)."""
        output = self.cell(cell_index).locator(".jp-OutputArea-output").filter(
            has=self.page.locator(".widget-label").get_by_text(LEARNING_RATE_LABEL, exact=True))
        return Explorer(self, output, cell_index)

    # -- failure evidence ----------------------------------------------------------------------
    def save_evidence(self, folder, reason):
        """Write a screenshot of the notebook panel and the console log into ``folder``."""
        folder = pathlib.Path(folder)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        (folder / "reason.txt").write_text(f"{reason}\n")
        (folder / "console.log").write_text("\n".join(self.console) + "\n")
        (folder / "jupyter-lab.log").write_text(self.lab.log_tail(200) + "\n")
        if self.page is not None:
            with contextlib.suppress(Exception):
                if self.focus is not None:
                    self.focus.scroll_into_view_if_needed(timeout=5_000)
                    self.focus.screenshot(path=folder / "focus.png", timeout=10_000)
            with contextlib.suppress(Exception):
                self.panel.screenshot(path=folder / "notebook-panel.png", timeout=10_000)
            with contextlib.suppress(Exception):
                self.page.screenshot(path=folder / "page.png", timeout=10_000)
        return folder


class Explorer:
    """An explorer widget in the page: its sliders by label, its readouts and its plot image."""

    def __init__(self, notebook, output, cell_index):
        self.notebook = notebook  # the LabPage
        self.page = notebook.page
        self.output = output
        self.cell_index = cell_index

    def slider(self, label):
        return self.output.locator(".widget-slider").filter(
            has=self.page.locator(".widget-label").get_by_text(label, exact=True))

    @property
    def learning_rate(self):
        return self.slider(LEARNING_RATE_LABEL)

    @property
    def iterations(self):
        return self.slider(ITERATIONS_LABEL)

    @property
    def image(self):
        return self.output.locator("img")

    def describe(self):
        return f"explorer in cell {self.cell_index}"

    def wait_rendered(self):
        """Wait until the sliders and a loaded plot image are shown; return the image's src."""
        self.notebook.focus = self.notebook.cell(self.cell_index)
        for name, slider in (("learning-rate", self.learning_rate), ("iterations", self.iterations)):
            try:
                slider.locator(".noUi-handle").first.wait_for()
            except Exception as missing:
                raise AssertionError(f"{self.describe()}: no {name} slider rendered") from missing
            count = slider.count()
            assert count == 1, f"{self.describe()}: {count} {name} sliders, expected 1"
        try:
            self.image.first.wait_for()
        except Exception as missing:
            raise AssertionError(f"{self.describe()}: no plot image rendered") from missing
        return self.wait_new_image("", "no plot image was drawn")

    def text_cut_off(self):
        """[(text, pixels)] of the explorer's text that does not fit the output area's width."""
        return self.output.first.evaluate(_JS_TEXT_CUT_OFF)

    def src(self):
        return self.image.first.get_attribute("src")

    def wait_new_image(self, old_src, complaint):
        """Wait until the plot image shows a src other than ``old_src``, loaded; return it.

        On timeout: AssertionError with ``complaint``."""
        try:
            self.page.wait_for_function(_JS_IMAGE_UPDATED, arg=[self.image.first.element_handle(), old_src],
                                        timeout=REDRAW_TIMEOUT_MS)
        except Exception as stale:
            raise AssertionError(f"{self.describe()}: {complaint}") from stale
        return self.src()

    @staticmethod
    def readout(slider):
        return slider.locator(".widget-readout").text_content().strip()

    @staticmethod
    def position(slider):
        """The slider handle's position as noUiSlider reports it (the exponent for a log slider)."""
        return float(slider.locator(".noUi-target").evaluate("target => target.noUiSlider.get(true)"))

    def press_on_learning_rate(self, key):
        """Focus the learning-rate handle and press ``key`` (e.g. "ArrowRight")."""
        handle = self.learning_rate.locator(".noUi-handle")
        handle.scroll_into_view_if_needed()
        handle.focus()
        handle.press(key)

    def type_iterations(self, value):
        """Type ``value`` into the editable iterations readout and press Enter."""
        readout = self.iterations.locator(".widget-readout")
        readout.scroll_into_view_if_needed()
        readout.click()
        self.page.keyboard.press("Control+A")
        self.page.keyboard.type(str(value))
        self.page.keyboard.press("Enter")

    def exercise(self):
        """Move learning rate right, type an iteration count, move learning rate back.

        Asserts after each step that the plot image changed and the readouts show the values set.
        """
        src = self.wait_rendered()
        lr = self.learning_rate
        lr_text, lr_position = self.readout(lr), self.position(lr)

        self.press_on_learning_rate("ArrowRight")
        src = self.wait_new_image(src, "ArrowRight on the learning-rate slider did not change the plot")
        moved_text, moved_position = self.readout(lr), self.position(lr)
        assert moved_position > lr_position, (
            f"{self.describe()}: ArrowRight left the learning-rate handle at {moved_position}")
        # A log slider's handle sits at the exponent: 10**position is the value set.
        assert math.isclose(_number(moved_text), 10**moved_position, rel_tol=5e-3), (
            f"{self.describe()}: the learning-rate handle sits at 10**{moved_position}, "
            f"the readout shows {moved_text!r}")

        iterations = self.iterations
        before = int(_number(self.readout(iterations)))
        low, high, step = iterations.locator(".noUi-target").evaluate(_JS_SLIDER_RANGE)
        wanted = _another_value(before, low, high, step)
        self.type_iterations(wanted)
        src = self.wait_new_image(src, f"typing {wanted} into the iterations readout did not change the plot")
        shown = self.readout(iterations)
        assert _number(shown) == wanted, (
            f"{self.describe()}: typed {wanted} iterations, the readout shows {shown!r}")
        assert math.isclose(self.position(iterations), wanted), (
            f"{self.describe()}: typed {wanted} iterations, the handle sits at {self.position(iterations)}")
        assert self.readout(lr) == moved_text, f"{self.describe()}: learning rate changed by itself"

        self.press_on_learning_rate("ArrowLeft")
        self.wait_new_image(src, "ArrowLeft on the learning-rate slider did not change the plot")
        back_text = self.readout(lr)
        assert back_text == lr_text and math.isclose(self.position(lr), lr_position), (
            f"{self.describe()}: ArrowRight then ArrowLeft gave learning rate {back_text!r}, "
            f"expected {lr_text!r}")


def _another_value(value, low, high, step):
    """A slider value other than ``value``: about half of it, on the slider's grid of steps."""
    steps_up = max(round((value - low) / step) // 2, 0)
    wanted = low + steps_up * step
    if wanted == value:
        wanted = value + step if value + step <= high else value - step
    return int(round(wanted))


def _number(text):
    """A readout's number ("1,000", "1.00e-3", "0.00100") as float."""
    try:
        return float(text.replace(",", ""))
    except ValueError as bad:
        raise AssertionError(f"slider readout {text!r} is not a number") from bad
