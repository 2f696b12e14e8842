"""Project-wide pytest hooks: report how long the notebooks took under nbval."""

import time

_notebook_seconds = {}


def pytest_runtest_setup(item):
    item._started = time.perf_counter()


def pytest_runtest_teardown(item):
    path = str(item.path)
    if path.endswith(".ipynb") and hasattr(item, "_started"):
        name = item.path.name
        _notebook_seconds[name] = _notebook_seconds.get(name, 0.0) + time.perf_counter() - item._started


def pytest_terminal_summary(terminalreporter):
    if _notebook_seconds:
        terminalreporter.section("notebooks under nbval")
        for name, seconds in sorted(_notebook_seconds.items()):
            terminalreporter.write_line(f"{name}: {seconds:.1f} s")
        terminalreporter.write_line(f"all notebooks: {sum(_notebook_seconds.values()):.1f} s")
