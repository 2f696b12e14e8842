"""How fast the explorer answers in a real browser: key press on the slider -> new plot shown.

The 3-2-1 example of notebook 03 (x = (0.1, 0.4, 4.1), target 0.2, 80,000 iterations) in an
explorer, in JupyterLab in headless Chromium (the machinery of tests/browser/). The notebook
is written to a temporary folder with just that explorer, so the figure does not depend on
how notebook 03 is edited. Each move: focus the learning-rate handle, press an arrow key;
the time runs in the page from the keydown event to the first animation frame after the new
plot image has loaded. Target: median at most 150 ms.

    python benchmarks/bench_browser.py [--moves 20]

Needs Debian's Chromium (apt-get install -y chromium-headless-shell, or chromium). Prints
figures; asserts nothing.
"""

import argparse
import pathlib
import statistics
import sys
import tempfile
import time

import nbformat

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "tests" / "browser"), str(REPO / "tests")]

from lab_server import INSTALL_HINT, LabServer, find_chromium, launch_chromium  # noqa: E402
from notebook_page import LabPage  # noqa: E402

EXPLORER_CELL = """import gdlib

gdlib.explorer(gdlib.Network((3, 2, 1), seed=0), [0.1, 0.4, 4.1], 0.2,
               learning_rate=0.001, iterations=80000)"""
TARGET_MS = 150.0

# Times kept in the page: the keydown on the handle, and each plot image shown after it.
_JS_INSTALL_TIMERS = """([handle, image]) => {
  window.benchTimes = {keydown: null, shown: []};
  handle.addEventListener('keydown', () => {
    window.benchTimes = {keydown: performance.now(), shown: []};
  }, true);
  image.addEventListener('load', () => {
    requestAnimationFrame(() => window.benchTimes.shown.push(performance.now()));
  });
}"""

_JS_SHOWN_AFTER_KEY = """oldSrc => {
  const image = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) img.widget-image');
  return image.src !== oldSrc && window.benchTimes.shown.length > 0;
}"""


def write_notebook(folder):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(EXPLORER_CELL)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                       "language": "python"}
    path = pathlib.Path(folder) / "bench_321.ipynb"
    nbformat.write(notebook, path)
    return path.name


def move(page, explorer, key, settle_ms=250):
    """Press ``key`` on the learning-rate handle; return (latency in ms, images shown)."""
    old_src = explorer.src()
    explorer.press_on_learning_rate(key)
    page.wait_for_function(_JS_SHOWN_AFTER_KEY, arg=old_src, polling="raf", timeout=60_000)
    page.wait_for_timeout(settle_ms)  # a second image after the first would count as the answer
    times = page.evaluate("() => window.benchTimes")
    return times["shown"][-1] - times["keydown"], len(times["shown"])


def summary(label, latencies, images):
    q1, median, q3 = statistics.quantiles(latencies, n=4, method="inclusive")
    extra = "" if max(images) == 1 else f"; up to {max(images)} images per move"
    return (f"{label}: median {median:.0f} ms, quartiles {q1:.0f}-{q3:.0f} ms, "
            f"min {min(latencies):.0f} ms, max {max(latencies):.0f} ms ({len(latencies)} moves{extra})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=20, help="moves per measurement (default 20)")
    args = parser.parse_args()
    chromium = find_chromium()
    if chromium is None:
        sys.exit(f"Chromium not found. {INSTALL_HINT}")
    from playwright.sync_api import sync_playwright

    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-browser-") as folder:
        name = write_notebook(folder)
        with LabServer(folder, wait=False) as lab, sync_playwright() as playwright:
            browser = launch_chromium(playwright, chromium)
            try:
                lab.wait_until_ready()
                lab_page = LabPage(browser.new_context(viewport={"width": 1280, "height": 900}), lab)
                with lab_page.notebook(name, REPO / "test-artifacts" / "browser" / "bench") as notebook:
                    notebook.run_all()
                    errors = notebook.error_outputs()
                    if errors:
                        sys.exit(f"the explorer cell failed:\n{errors[0][1]}")
                    explorer = notebook.explorer(0)
                    explorer.wait_rendered()
                    page = notebook.page
                    handle = explorer.learning_rate.locator(".noUi-handle").element_handle()
                    page.evaluate(_JS_INSTALL_TIMERS, [handle, explorer.image.first.element_handle()])
                    ready = time.perf_counter() - start
                    print(f"JupyterLab, Chromium and the explorer ready in {ready:.1f} s")
                    move(page, explorer, "ArrowRight")  # warm-up, not counted
                    # Rightwards every learning rate is new: each move trains 80,000 iterations.
                    fresh = [move(page, explorer, "ArrowRight") for _ in range(args.moves)]
                    # Back leftwards over the same learning rates: the explorer's cache answers.
                    cached = [move(page, explorer, "ArrowLeft") for _ in range(args.moves)]
            finally:
                browser.close()

    print("Key press on the learning-rate slider -> new plot shown in Chromium, "
          "3-2-1 network, 80,000 iterations:")
    for label, runs in (("  new learning rate (trains)", fresh), ("  seen learning rate (cached)", cached)):
        print(summary(label, [ms for ms, _ in runs], [count for _, count in runs]))
    median = statistics.median(ms for ms, _ in fresh)
    verdict = "met" if median <= TARGET_MS else "MISSED"
    print(f"Target: median <= {TARGET_MS:.0f} ms for new learning rates: {verdict} ({median:.0f} ms)")


if __name__ == "__main__":
    main()
