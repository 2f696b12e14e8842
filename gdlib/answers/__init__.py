"""Expected answers of the exercises, one module per notebook (``nb01.py``, ...).

Each module registers its exercises with ``gdlib.exercises.exercise``; the values are
computed with gdlib, so they follow the course when an example changes. Keys are
``"NN.k"`` for the exercises at the end of notebook NN (``"01.3"``) and ``"NN.name"`` for
a function the learner writes in the lesson (``"01.sigmoid"``). A value exercise::

    @exercise("01.3", hint="Predict with history.network: predictions[-1] is before the last update.")
    def prediction_after_2000_updates():
        return train(_start(), X, TARGET, learning_rate=2.0, iterations=2000).network.predict(X)[0]

A function exercise: the decorated function is the right one, named as the notebook
names the learner's, and ``inputs`` lists the calls to try (a tuple of arguments, or the
one argument); ``slope_of`` names the function it must be the derivative of::

    @exercise("01.g2", inputs=[0.0, 1.5, -3.5, np.array([-2.0, 0.0, 2.0])], slope_of=chain_rule.sigmoid,
              hint="eq. 7: sigmoid(sop) * (1 - sigmoid(sop)), at the SOP, not at the prediction.")
    def g2(sop):
        return chain_rule.sigmoid_sop_deriv(sop)
"""
