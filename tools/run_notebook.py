"""Run notebooks top to bottom in a fresh kernel and save them with their outputs.

The course's "Restart and run all": execution counts come out 1..N, and the
saved outputs are the ones nbval compares against in CI.

    python tools/run_notebook.py notebooks/01_one_input_one_output.ipynb [...]
"""

import pathlib
import sys
import time

import nbformat
from nbclient import NotebookClient


def run(path):
    path = pathlib.Path(path)
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    nbformat.write(nb, path)
    print(f"{path}: ran in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    for name in sys.argv[1:]:
        run(name)
