"""Fixtures shared by the tests of gdlib's explorers.

matplotlib and gdlib are imported inside the fixtures: pytest loads this file in every
process, the pytest-xdist controller and the browser tests' worker too, which never draw.
"""

import pytest


@pytest.fixture
def close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture
def drawing_without_pixels(request, monkeypatch):
    """Explorers redraw without encoding a PNG (the slow, pixel-only part), unless the test
    asks for ``pixels``."""
    from gdlib.drawing.live_figure import LiveFigure

    if "pixels" not in request.fixturenames:
        monkeypatch.setattr(LiveFigure, "update", lambda self, full=False: b"")


@pytest.fixture
def pixels():
    """Ask for this fixture to draw real PNGs into the explorer's image."""
