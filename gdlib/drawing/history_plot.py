"""Prediction and error curves of a training run, side by side.

Introduced in notebook 01, where ``train`` first returns a ``History`` (and
``History.from_arrays`` wraps a run made by hand); later notebooks draw their
runs with ``plot_history`` too.

The left panel shows what the network predicted at each iteration, with the
target as a dashed line; the right panel shows the error E. Long runs (80,000
iterations) are thinned for drawing only, with a min/max envelope per screen
column (``gdlib.drawing.envelope``), so an oscillating run still looks like
the band it is. The numbers in the ``History`` are never changed.
"""

import matplotlib.pyplot as plt
import numpy as np

from ..checks import check_positive_int, check_title
from ..training import History
from .envelope import envelope
from .style import (
    COLOURS,
    NOTE_COLOUR,
    TARGET_COLOUR,
    TEXT_SIZE,
    TITLE_SIZE,
    legend_below,
    log_axis,
    message_box,
    tidy_axes,
    write_message,
)

#: The most curves the prediction panel draws; the legend says how many were left out.
MAX_CURVES = 8


def plot_history(history_or_list, *, labels=None, title=None, max_points=1000, log_error=False):
    """Draw a run (a ``History``) or several runs (a list of them) and return the Figure.

    - Left: ``history.predictions`` per iteration, one curve per output (shape
      ``(iterations, n_out)``) or per sample and output (``(iterations, m, n_out)``),
      at most 8 of them, and each target as a dashed line.
    - Right: ``history.errors`` per iteration (shape ``(iterations,)``), on a linear
      axis from 0, or a log axis with ``log_error=True`` (errors of exactly 0 are
      then left out: a log axis cannot show them).
    - A list of runs is overlaid, one colour per run, labelled by ``labels`` or by
      "learning rate = ..." ("your run" for a run made by hand, with
      ``History.from_arrays``); for a single run, its label is the default title.
    - ``history.message`` (diverged, overshooting, stuck) is written in a box on the
      error panel; a run that overflowed is drawn up to its last finite iteration.
    - At most ``max_points`` points per curve are drawn (a min/max envelope).

    Made with pyplot, so a notebook cell ends with ``plt.show()``. Introduced in notebook 01.
    """
    label_given = labels is not None
    histories, labels = _check_arguments(history_or_list, labels, title, log_error)
    n_columns = check_positive_int(max_points, "max_points", minimum=4) // 2

    fig, (ax_pred, ax_err) = plt.subplots(1, 2, figsize=(9, 3.6), layout="constrained")
    many = len(histories) > 1
    drawn_targets, most_curves = [], 0
    lengths = [_finite_length(h) for h in histories]
    for i, (history, label, n) in enumerate(zip(histories, labels, lengths)):
        colour = COLOURS[i % len(COLOURS)] if many else None
        iterations = np.arange(n, dtype=float)  # floats: envelope would convert integers
        curves, targets, names = prediction_curves(history)
        most_curves = max(most_curves, curves.shape[1])
        _draw_predictions(ax_pred, curves[:n], names, iterations, n_columns, colour,
                          label if many else None)
        _draw_targets(ax_pred, targets, drawn_targets)
        xs, ys = envelope(iterations, history.errors[:n], n_columns)
        ax_err.plot(xs, ys, color=colour or COLOURS[0], lw=1.5, label=label)

    last = max(h.iterations for h in histories) - 1
    tidy_axes(ax_pred, "iteration", "prediction", "Prediction per iteration")
    tidy_axes(ax_err, "iteration", "error E", "Error per iteration")
    for ax in (ax_pred, ax_err):
        ax.set_xlim(0, max(last, 1))
    _scale_error_axis(ax_err, [h.errors[:n] for h, n in zip(histories, lengths)], log_error)
    _add_legend(fig, ax_pred, most_curves)  # under the panels: it hides no curve and no message
    if title is None and not many:  # a single run: the label given, else what the run was
        given = labels[0] if label_given else ""
        title = given or f"{_default_label(histories[0], 0, 1)}, {histories[0].iterations:,} iterations"
    if title:
        fig.suptitle(title, fontsize=TITLE_SIZE)
    _write_messages(ax_err, histories, labels)
    return fig


def _check_arguments(history_or_list, labels, title, log_error):
    """The histories as a list and one label per history, or a clear error."""
    if isinstance(history_or_list, History):
        histories = [history_or_list]
    elif isinstance(history_or_list, (list, tuple)):
        histories = list(history_or_list)
        if not histories:
            raise ValueError("history_or_list is empty: pass a History or a list of Histories.")
        for i, h in enumerate(histories):
            if not isinstance(h, History):
                raise TypeError(f"history_or_list[{i}] must be a History (from gdlib.train or "
                                f"History.from_arrays), got {type(h).__name__}.")
    else:
        raise TypeError("history_or_list must be a History (from gdlib.train or History.from_arrays) "
                        f"or a list of them, got {type(history_or_list).__name__}.")
    for h in histories:
        n = np.shape(h.errors)[0] if np.ndim(h.errors) == 1 else -1
        if n < 1 or np.shape(h.predictions)[:1] != (n,):
            raise ValueError(
                "a History needs errors of shape (iterations,) with iterations >= 1 and predictions "
                f"with one row per iteration; got errors {np.shape(h.errors)}, "
                f"predictions {np.shape(h.predictions)}.")
    if labels is None:
        labels = [_default_label(h, i, len(histories)) for i, h in enumerate(histories)]
    else:
        if isinstance(labels, str):
            labels = [labels]
        if not isinstance(labels, (list, tuple)) or not all(isinstance(s, str) for s in labels):
            raise TypeError(f"labels must be a list of strings, one per history, got {labels!r}.")
        if len(labels) != len(histories):
            raise ValueError(f"labels must hold one string per history: {len(histories)} "
                             f"history(ies), {len(labels)} label(s).")
        labels = list(labels)
    check_title(title)
    if not isinstance(log_error, (bool, np.bool_)):
        raise TypeError(f"log_error must be True or False, got {log_error!r}.")
    return histories, labels


def _default_label(history, i, count):
    """ "learning rate = 0.5" for a run of train; "your run" (one) or "run 2" (a list) for a hand-made one."""
    if history.learning_rate is None:
        return "your run" if count == 1 else f"run {i + 1}"
    return f"learning rate = {history.learning_rate:g}"


def _finite_length(history):
    """How many iterations from the start have a finite error and finite predictions."""
    predictions = np.asarray(history.predictions).reshape(history.iterations, -1)
    finite = np.isfinite(history.errors) & np.isfinite(predictions).all(axis=1)
    return history.iterations if finite.all() else int(np.argmin(finite))


def prediction_curves(history):
    """A run's predictions as curves: ``(curves, targets, names)``.

    ``curves`` has shape ``(iterations, k)``, one column per output (per sample and
    output for a batch); ``targets`` shape ``(k,)``; ``names`` the k legend entries.
    Used by ``plot_history`` and the training explorer.
    """
    predictions = np.asarray(history.predictions, dtype=float)
    if predictions.ndim == 1:  # one number per iteration: a single output
        predictions = predictions[:, None]
    target = np.asarray(history.target, dtype=float)
    n_out = predictions.shape[-1]
    if predictions.ndim == 2:
        names = ["predicted"] if n_out == 1 else [f"predicted {j + 1}" for j in range(n_out)]
    else:
        m = predictions.shape[1]
        names = [f"sample {s + 1}" if n_out == 1 else f"sample {s + 1}, output {j + 1}"
                 for s in range(m) for j in range(n_out)]
    curves = predictions.reshape(len(predictions), -1)
    return curves, np.broadcast_to(target.reshape(-1), (curves.shape[1],)), names


def _draw_predictions(ax, curves, names, iterations, n_columns, colour, run_label):
    """One line per output (per sample), at most MAX_CURVES of them; ``curves`` has
    shape ``(len(iterations), number of curves)``, as ``prediction_curves`` gives it."""
    for c in range(min(curves.shape[1], MAX_CURVES)):
        xs, ys = envelope(iterations, curves[:, c], n_columns)
        if run_label is None:
            label, lw = names[c], 1.5
        else:  # overlaid runs: one colour per run, named once
            label, lw = (run_label if c == 0 else None), 1.3
        ax.plot(xs, ys, color=colour or COLOURS[c % len(COLOURS)], lw=lw, label=label)


def _draw_targets(ax, targets, drawn):
    """A dashed horizontal line at each target value not in ``drawn`` yet (it is added)."""
    for t in targets[:MAX_CURVES]:
        if not any(np.isclose(t, d) for d in drawn):
            ax.axhline(t, color=TARGET_COLOUR, ls="--", lw=1.2, label="target" if not drawn else None)
            drawn.append(float(t))


def _add_legend(fig, ax, most_curves):
    """The prediction panel's legend, under both panels, saying how many of ``most_curves``
    were left out."""
    hidden = most_curves - MAX_CURVES
    handles, texts = ax.get_legend_handles_labels()
    order = sorted(range(len(texts)), key=lambda i: texts[i] == "target")  # the target last
    handles, texts = [handles[i] for i in order], [texts[i] for i in order]
    if hidden > 0:
        handles.append(plt.Line2D([], [], color="none"))
        texts.append(f"({hidden} more curve{'s' if hidden > 1 else ''} not drawn)")
    return legend_below(fig, handles, texts, loc="outside lower center")


def _scale_error_axis(ax, finite, log_error):
    """Linear from 0 (as the series draws it), or logarithmic when there is something to show.

    ``finite``: each run's errors up to its first non-finite one. On a log axis an
    error of exactly 0 cannot be drawn: the curve stops there and a note under it
    says from which iteration.
    """
    if not (log_error and any(np.any(e > 0) for e in finite)):
        ax.set_ylim(bottom=0)
        return
    log_axis(ax)
    ax.set_ylabel("error E (log scale)")
    zeros = [int(np.argmax(e <= 0)) for e in finite if np.any(e <= 0)]
    if zeros:
        ax.text(0.03, 0.03, f"E = 0 from iteration {min(zeros)} (not drawable on a log scale)",
                transform=ax.transAxes, fontsize=TEXT_SIZE, style="italic", color=NOTE_COLOUR)


def _write_messages(ax, histories, labels):
    """Each run's ``message`` in the message box of the error panel (``style.write_message``),
    named by its label when there are several runs."""
    messages = [h.message if len(histories) == 1 else f"{label}: {h.message}"
                for h, label in zip(histories, labels) if h.message]
    if messages:
        write_message(message_box(ax), "\n".join(messages), diverged=any(h.diverged for h in histories),
                      curves=ax.get_lines())
