"""Placeholder: being written (LiveFigure)."""
