"""Code that makes a running kernel forget the notebook it ran last, for the tests that run
several notebooks one after another in one kernel: the student copies, and the notebooks in
the browser. Starting a kernel and importing numpy, matplotlib, numba and gdlib costs ~2 s of
CPU; these tests pay it once instead of once per notebook.

After it the kernel is as a fresh one, but for the modules it has imported already:
- no variable of the last notebook (IPython's ``reset``, as ``%reset -f``), so a notebook that
  uses a name without defining or importing it fails as it would in a fresh kernel;
- no open figure and no widget;
- every warning is shown again (Python shows a warning once per place in the code, and each
  notebook must show its own).

That every notebook runs top to bottom in a kernel of its own is nbval's check: it starts one
per notebook.
"""

FORGET_THE_LAST_NOTEBOOK = """
get_ipython().reset(new_session=False)  # %reset -f, with one garbage collection, not two
import sys as _sys
import ipywidgets as _widgets
import matplotlib.pyplot as _plt
_plt.close("all")
_widgets.Widget.close_all()
for _module in list(_sys.modules.values()):
    _registry = getattr(_module, "__warningregistry__", None)
    if isinstance(_registry, dict):
        _registry.clear()
del _sys, _widgets, _plt, _module, _registry
"""
