"""The one setting in which the tests' Python processes and kernels differ from a learner's: they
collect garbage less often. (How nbval's kernels start differs too: tests/forked_kernels.py.)

CPython looks for unreachable cycles among young objects every 700 allocations. matplotlib's
drawing and the course's loops allocate millions of short-lived objects, which reference counting
frees, and these collections find little: a threshold of 20,000 cut the kernels' CPU time over the
ten notebooks by ~8 % (43.9 against 40.4 CPU-s, means of three runs each), and the unit tests'
time in garbage collection from ~2.5 to ~0.6 s. Nothing a notebook prints or draws depends on it.

The root conftest.py sets it in each pytest process and writes ``KERNEL_CONFIG`` into the IPython
folder of the kernels it starts (nbval's, the student copies'); tests/browser gives it to
JupyterLab's kernels. The line runs before a notebook's first cell and leaves no name behind.
"""

import pathlib

GC_THRESHOLD = (20_000, 20, 20)  # CPython's default: (700, 10, 10)

KERNEL_CONFIG = (f"c.InteractiveShellApp.exec_lines = [\"__import__('gc').set_threshold{GC_THRESHOLD}\"]"
                 "  # see tests/kernel_settings.py\n")


def write_ipython_folder(folder, config):
    """Make ``folder`` an IPython folder whose kernels read ``config`` (ipython_kernel_config.py
    text); a kernel started with IPYTHONDIR=folder reads it instead of the user's ~/.ipython."""
    profile = pathlib.Path(folder) / "profile_default"
    profile.mkdir(parents=True, exist_ok=True)
    (profile / "ipython_kernel_config.py").write_text(config)
