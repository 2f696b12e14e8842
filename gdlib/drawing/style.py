"""The look of every gdlib picture: one palette, one set of font sizes, one message box.

Colours are Okabe-Ito's, told apart with any colour vision and on a projector
(their yellow is left out: it vanishes on a white background). Font sizes are in
points and never below 10, so that a figure shown on a 1280x720 projector stays
readable from the back of the room.
"""

#: Curve colours, in the order runs and curves use them.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000")
#: The dashed target line.
TARGET_COLOUR = "#444444"
#: Small notes written on a plot (what was left out, and why).
NOTE_COLOUR = "#333333"
#: Message boxes: (edge, fill) for a diverged run and for a warning.
DIVERGED_BOX = ("#D55E00", "#FBE3D6")
WARNING_BOX = ("#E69F00", "#FDF1DC")
#: Network drawings: neuron fills (inputs, hidden, outputs), their edge, the weight lines.
NEURON_FILLS = ("#CFE8F7", "#CDEBE0", "#FBE1C8")
NEURON_EDGE = "#333333"
EDGE_COLOUR = "#8C8C8C"
