"""Everything in gdlib that only draws: plots, network drawings and the explorers.

The lesson (the chain rule, the network, training, gradient checking) is one
folder up; nothing here computes a gradient. Modules:

- ``style``: the palette, the font sizes and the message box every picture shares
- ``history_plot``: ``plot_history``, prediction and error curves of a run
- ``network_diagram``: ``draw_network``, neurons and weights named as the series names them
- ``envelope``: thinning a long curve for drawing without hiding its wiggles
- ``live_figure``: a figure redrawn in milliseconds, for sliders
- ``explorer_base``: what the explorers share (sliders, note, redraw, messages)
- ``training_explorer``: ``explorer``, learning rate and iterations on any network
- ``boundary``: decision boundaries and their explorer (notebook 05)
"""
