"""Fixtures shared by the tests of gdlib's explorers."""

import matplotlib.pyplot as plt
import pytest

from gdlib.drawing.live_figure import LiveFigure


@pytest.fixture
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def drawing_without_pixels(request, monkeypatch):
    """Explorers redraw without encoding a PNG (the slow, pixel-only part), unless the test
    asks for ``pixels``."""
    if "pixels" not in request.fixturenames:
        monkeypatch.setattr(LiveFigure, "update", lambda self, full=False: b"")


@pytest.fixture
def pixels():
    """Ask for this fixture to draw real PNGs into the explorer's image."""
