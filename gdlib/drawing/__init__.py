"""Everything in gdlib that only draws: plots, network drawings and the explorers.

The lesson (the chain rule, the network, training, gradient checking) is one
folder up; nothing here computes a gradient. Modules:

- ``style``: the palette, the font sizes, the legend under the panels and the
  message box every picture shares
- ``history_plot``: ``plot_history``, prediction and error curves of a run (notebook 01)
- ``network_diagram``: ``draw_network``, neurons and weights named as the series
  names them, or a summary of a network too big to draw (notebook 01)
- ``envelope``: thinning a long curve for drawing without hiding its wiggles
- ``live_figure``: a figure redrawn in milliseconds, for sliders
- ``explorer_base``: the explorers' one skeleton (controls, note, picture, safe
  redraws, kept runs); each explorer only says what it draws
- ``training_explorer``: ``explorer``, learning rate and iterations on any network (notebook 01)
- ``boundary``: decision boundaries and their explorer (notebook 07; batch sizes in notebook 09)
- ``surface``: the error surface of a two-parameter network, descent paths on it and its
  explorer, and the course's narrow valley, ``valley_data`` (notebooks 08 and 09)
"""
