"""Expected answers of the exercises, one module per notebook (``nb01.py``, ...).

Each module registers its exercises with ``gdlib.exercises.exercise``; the values
are computed with gdlib, so they follow the course when an example changes.
"""
