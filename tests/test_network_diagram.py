"""draw_network: the series' weight names, on the right edges, readable, with the right values.

Drawings only read by the tests are made once (``drawn``) and shared between tests.
"""

import functools

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import Circle  # noqa: E402
from matplotlib.text import Text  # noqa: E402

import gdlib  # noqa: E402
from gdlib.drawing.network_diagram import draw_network, weight_name  # noqa: E402

COURSE_NETWORKS = [(1, 1), (2, 1), (10, 1), (3, 2, 1), (10, 2, 1), (3, 5, 1), (2, 3, 2, 1), (2, 8, 8, 1)]
WITH_VALUES = [(1, 1), (2, 1), (3, 2, 1), (3, 5, 1), (2, 2, 2, 1)]  # notebooks 01-06, and a crowded one
ALL_DRAWINGS = [(sizes, False) for sizes in COURSE_NETWORKS] + [(sizes, True) for sizes in WITH_VALUES]


@functools.cache
def drawn(sizes, show_values=False):
    """The drawing of ``Network(sizes, seed=0)`` (its values shown or not), already rendered once."""
    fig = draw_network(gdlib.Network(sizes, seed=0, bias=show_values), show_values=show_values)
    return rendered_and_kept(fig)


def rendered_and_kept(fig):
    """``fig`` drawn once and let go by pyplot (which would swap its canvas when closing it)."""
    fig.canvas.draw()
    canvas = fig.canvas
    plt.close(fig)
    fig.set_canvas(canvas)
    return fig


@functools.cache
def notebook_03_drawing():
    """The 10-2-1 drawing as notebook 03 makes it: a wide, low axes of its own."""
    fig, ax = plt.subplots(figsize=(9, 3.2), layout="constrained")
    draw_network(gdlib.Network((10, 2, 1), seed=0), title="The 10-2-1 network: 20 + 2 weights", ax=ax)
    return rendered_and_kept(fig)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def weight_labels(fig):
    """{label text: Text} of the edge labels (their first line is a weight name)."""
    ax = fig.axes[0]
    return {t.get_text(): t for t in ax.texts if t.get_text().startswith(("W", "$W"))}


def names(fig):
    return {text.split("\n")[0] for text in weight_labels(fig)}


def neuron_centres(fig):
    """Circle centres grouped into columns (left to right), each top to bottom."""
    centres = sorted({c.center for c in fig.axes[0].patches if isinstance(c, Circle)},
                     key=lambda p: (p[0], -p[1]))
    columns = {}
    for x, y in centres:
        columns.setdefault(x, []).append((x, y))
    return [columns[x] for x in sorted(columns)]


def test_weight_names_of_the_series():
    assert weight_name((1, 1), 0, 0, 0) == "W"
    assert [weight_name((2, 1), 0, z, 0) for z in range(2)] == ["W1", "W2"]
    assert weight_name((10, 1), 0, 9, 0) == "W10"
    assert weight_name((3, 2, 1), 0, 0, 1) == "W12"  # X1 to hidden neuron 2
    assert weight_name((3, 2, 1), 0, 2, 0) == "W31"
    assert [weight_name((3, 2, 1), 1, y, 0) for y in range(2)] == ["W41", "W42"]
    assert weight_name((10, 2, 1), 0, 9, 1) == "W10,2"
    assert weight_name((10, 2, 1), 0, 0, 0) == "W11"
    assert weight_name((10, 2, 1), 1, 0, 0) == "W11,1"
    assert weight_name((3, 12, 1), 0, 2, 11) == "W3,12"
    assert weight_name((2, 2), 0, 1, 0) == "W21"  # no hidden layer, two outputs: the pair rule
    assert weight_name((2, 8, 8, 1), 1, 6, 7) == "$W^{(1)}_{78}$"
    assert weight_name((2, 8, 8, 1), 2, 7, 0) == "$W^{(2)}_{81}$"
    assert weight_name((12, 8, 8, 1), 0, 10, 0) == "$W^{(0)}_{11,1}$"


def test_weight_name_rejects_a_weight_that_is_not_there():
    with pytest.raises(ValueError, match="no weight"):
        weight_name((3, 2, 1), 1, 2, 0)
    with pytest.raises(ValueError, match="no weight"):
        weight_name((3, 2, 1), 2, 0, 0)


def test_three_two_one_is_labelled_exactly_as_the_series():
    fig = drawn((3, 2, 1))
    assert names(fig) == {"W11", "W12", "W21", "W22", "W31", "W32", "W41", "W42"}
    assert len(weight_labels(fig)) == 8


@pytest.mark.parametrize("sizes, expected", [
    ((1, 1), {"W"}),
    ((2, 1), {"W1", "W2"}),
    ((10, 2, 1), {f"W{z}{y}" for z in range(1, 10) for y in (1, 2)}
     | {"W10,1", "W10,2", "W11,1", "W11,2"}),
    ((3, 5, 1), {f"W{z}{y}" for z in range(1, 4) for y in range(1, 6)} | {f"W4{y}" for y in range(1, 6)}),
])
def test_every_weight_of_the_course_networks_is_labelled(sizes, expected):
    assert names(drawn(sizes)) == expected


def test_each_label_sits_on_its_own_edge():
    for sizes in [(3, 2, 1), (10, 2, 1), (3, 5, 1)]:
        fig = drawn(sizes)
        columns = neuron_centres(fig)
        assert [len(c) for c in columns] == list(sizes)
        for l in range(len(sizes) - 1):
            for z in range(sizes[l]):
                for y in range(sizes[l + 1]):
                    label = weight_labels(fig)[weight_name(sizes, l, z, y)]
                    p = np.array(label.get_position())
                    a, b = np.array(columns[l][z]), np.array(columns[l + 1][y])
                    t = np.dot(p - a, b - a) / np.dot(b - a, b - a)
                    assert 0.1 < t < 0.9  # between the two neurons, clear of both
                    np.testing.assert_allclose(p, a + t * (b - a), atol=1e-9)  # on the line
                    angle = np.degrees(np.arctan2(*(b - a)[::-1]))
                    assert label.get_rotation() == pytest.approx(angle % 360)


@pytest.mark.parametrize("sizes, show_values", ALL_DRAWINGS)
def test_labels_never_overlap_each_other(sizes, show_values):
    fig = drawn(sizes, show_values)
    boxes = [t.get_bbox_patch() for t in weight_labels(fig).values()]
    outlines = [b.get_path().transformed(b.get_transform()) for b in boxes]  # turned boxes, in pixels
    for i, first in enumerate(outlines):
        for second in outlines[i + 1:]:
            assert not first.intersects_path(second, filled=True)


def test_values_shown_are_the_network_weights():
    net = gdlib.Network((3, 2, 1), seed=4)
    fig = draw_network(net, show_values=True)
    labels = weight_labels(fig)
    assert len(labels) == 8
    for l, w in enumerate(net.weights):
        for (z, y), value in np.ndenumerate(w):
            assert f"{weight_name(net.sizes, l, z, y)}\n{value:.3f}" in labels
    assert all("\n" not in text for text in weight_labels(drawn((3, 2, 1))))  # no values by default


def test_values_of_a_trained_network_and_its_biases():
    net = gdlib.Network((2, 1), seed=0, bias=True)
    trained = gdlib.train(net, [0.1, 0.4], 0.3, learning_rate=0.1, iterations=100).network
    fig = draw_network(trained, show_values=True)
    w1, w2 = trained.weights[0][:, 0]
    assert set(weight_labels(fig)) == {f"W1\n{w1:.3f}", f"W2\n{w2:.3f}"}
    assert f"b={trained.biases[0][0]:.3f}" in [t.get_text() for t in fig.axes[0].texts]


def test_neurons_are_circles_named_as_the_series_names_them():
    fig = drawn((3, 2, 1))
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert sum(isinstance(p, Circle) for p in fig.axes[0].patches) == 6
    assert {"X1", "X2", "X3", "Activ1", "Activ2", "predicted"} <= set(texts)
    assert {"inputs", "hidden layer", "output"} <= set(texts)
    assert fig.axes[0].get_title() == "The 3-2-1 network"
    assert draw_network((2, 1), title="Part 2").axes[0].get_title() == "Part 2"
    assert {"predicted1", "predicted2"} <= {t.get_text() for t in draw_network((2, 2)).axes[0].texts}


def test_a_wide_network_leaves_out_labels_and_says_so():
    fig = drawn((2, 8, 8, 1))
    labels = names(fig)
    assert len(labels) == 16 + 8  # the outer steps are labelled, the 64 between hidden layers not
    assert "$W^{(0)}_{12}$" in labels and "$W^{(2)}_{81}$" in labels
    assert not any(name.startswith("$W^{(1)}") for name in labels)
    note = [t.get_text() for t in fig.axes[0].texts if "left out" in t.get_text()]
    assert note == ["Labels of 64 weights left out, too many to read (hidden layer 1 to hidden layer 2)."]
    assert not [t for t in drawn((3, 2, 1)).axes[0].texts if "left out" in t.get_text()]


def test_the_drawing_fits_a_slide():
    for sizes, show_values in ALL_DRAWINGS:
        fig = drawn(sizes, show_values)
        width, height = fig.get_size_inches() * fig.dpi
        assert width <= 1000 and height <= 500  # of a 1280x720 slide, with room for a heading


def test_draws_into_a_given_axes():
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3))
    assert draw_network((2, 1), ax=right) is fig
    assert len(left.texts) == 0 and {"W1", "W2"} <= {t.get_text() for t in right.texts}


@pytest.mark.parametrize("args, kwargs, error, words", [
    (("3-2-1",), {}, TypeError, "net_or_sizes"),
    ((5,), {}, TypeError, "net_or_sizes"),
    (((3,),), {}, ValueError, "at least two layers"),
    (((3, 0, 1),), {}, ValueError, r"sizes\[1\]"),
    (((3, 2, 1),), {"show_values": True}, ValueError, "show_values=True needs a gdlib.Network"),
    (((3, 2, 1),), {"show_values": "yes"}, TypeError, "show_values"),
    (((3, 2, 1),), {"title": 1}, TypeError, "title"),
    (((3, 2, 1),), {"ax": "left"}, TypeError, "ax"),
])
def test_bad_arguments_raise_clear_errors(args, kwargs, error, words):
    with pytest.raises(error, match=words):
        draw_network(*args, **kwargs)
    assert plt.get_fignums() == []


def test_the_note_names_the_hidden_layer_of_a_one_hidden_layer_network():
    fig = draw_network((10, 5, 1))
    assert names(fig) == {f"W11,{y}" for y in range(1, 6)}
    assert "Labels of 50 weights left out, too many to read (the inputs to the hidden layer)." in [
        t.get_text() for t in fig.axes[0].texts]


def neuron_names(fig):
    """[(Text, its Circle)] for the names of the inputs and hidden neurons (X1, Activ1, ...)."""
    ax = fig.axes[0]
    circles = [p for p in ax.patches if isinstance(p, Circle)]
    pairs = []
    for text in ax.texts:
        if text.get_text().startswith(("X", "Activ")):
            x, y = text.get_position()
            circle = min(circles, key=lambda c: np.hypot(c.center[0] - x, c.center[1] - y))
            pairs.append((text, circle))
    return pairs


@pytest.mark.parametrize("make", [
    *[lambda sizes=sizes: drawn(sizes) for sizes in COURSE_NETWORKS + [(2, 3, 1)]],
    lambda: drawn((3, 2, 1), True),
    notebook_03_drawing,
])
def test_neuron_names_fit_inside_their_circles_or_stand_beside_them(make):
    fig = make()
    renderer = fig.canvas.get_renderer()
    pairs = neuron_names(fig)
    for text, circle in pairs:
        corners = text.get_window_extent(renderer).corners()
        centre = fig.axes[0].transData.transform(circle.center)
        radius = circle.get_window_extent(renderer).width / 2
        distances = np.hypot(*(corners - centre).T)
        if text.get_ha() == "center":  # inside: every corner of the text within the circle
            assert distances.max() < radius, text.get_text()
        else:  # beside: left of the circle, clear of it
            assert corners[:, 0].max() < centre[0] - radius, text.get_text()


def test_the_notebook_03_drawing_fills_its_axes_and_names_every_input():
    fig = notebook_03_drawing()
    ax = fig.axes[0]
    box = ax.get_window_extent()
    centres = np.array([ax.transData.transform(c.center) for c in ax.patches if isinstance(c, Circle)])
    assert centres[:, 0].max() - centres[:, 0].min() > 0.7 * box.width  # not a thumbnail in the middle
    assert {f"X{j}" for j in range(1, 11)} <= {t.get_text() for t in ax.texts}
    assert len(weight_labels(fig)) == 22


@pytest.mark.parametrize("make", [
    lambda: drawn((3, 2, 1), True),
    lambda: drawn((3, 5, 1), True),
    lambda: drawn((3, 5, 1)),
    notebook_03_drawing,
])
def test_weight_labels_are_boxed_and_clear_of_neurons_and_their_names(make):
    fig = make()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    labels = list(weight_labels(fig).values())
    outlines = [t.get_bbox_patch().get_path().transformed(t.get_bbox_patch().get_transform())
                for t in labels]
    for label in labels:  # an opaque white box: the edges it crosses do not cut the text
        patch = label.get_bbox_patch()
        assert patch.get_facecolor()[:3] == (1, 1, 1) and patch.get_facecolor()[3] == 1
        assert label.get_zorder() > max(line.get_zorder() for line in ax.lines)
    names = [t for t in ax.texts if t.get_text().startswith(("X", "Activ", "predicted"))]
    circles = [p for p in ax.patches if isinstance(p, Circle)]
    for outline in outlines:
        for name in names:
            extent = name.get_window_extent(renderer)
            assert not outline.intersects_bbox(extent, filled=True), name.get_text()
        for circle in circles:
            ring = circle.get_path().transformed(circle.get_transform())
            assert not outline.intersects_path(ring, filled=True)


@pytest.mark.parametrize("sizes, show_values", ALL_DRAWINGS)
def test_no_text_is_smaller_than_10_points(sizes, show_values):
    """Read on a 1280x720 projector: names, labels, values, biases, captions, notes, title."""
    fig = drawn(sizes, show_values)
    texts = [t for t in fig.findobj(Text) if t.get_text() and t.get_visible()]
    assert len(texts) > sum(sizes)  # a name per neuron at least
    assert min(t.get_fontsize() for t in texts) >= 10


def test_the_course_networks_are_drawn_neuron_by_neuron():
    for sizes in COURSE_NETWORKS:
        circles = [p for p in drawn(sizes).axes[0].patches if isinstance(p, Circle)]
        assert len(circles) == sum(sizes)


def test_a_huge_network_is_drawn_as_a_summary_of_its_layers():
    """(300, 300, 1) once took 27 s and 1.1 GB: 90,300 edges and 601 circles no one can read."""
    fig = draw_network((300, 300, 1))
    ax = fig.axes[0]
    assert len(ax.get_children()) < 40  # a box and a caption per layer, a band per layer step
    assert not [p for p in ax.patches if isinstance(p, Circle)]
    texts = [" ".join(t.get_text().split()) for t in ax.texts]
    assert {"300 neurons", "1 neuron", "inputs", "hidden layer", "output"} <= set(texts)
    assert "90,000 weights W11 .. W300,300" in texts  # the series' names of the first and last
    assert "300 weights W301,1 .. W301,300" in texts
    assert any("each layer is a box" in t for t in texts)
    width, height = fig.get_size_inches() * fig.dpi
    assert width <= 1000 and height <= 500


def test_a_huge_network_summary_shows_the_range_of_its_values():
    net = gdlib.Network((2, 40, 1), seed=0, bias=True)
    net.biases[0] = np.linspace(-1, 2, 40)
    texts = [" ".join(t.get_text().split()) for t in draw_network(net, show_values=True).axes[0].texts]
    w = net.weights[0]
    assert f"80 weights W11 .. W2,40 from {w.min():.3f} to {w.max():.3f}" in texts
    assert "biases from -1.000 to 2.000" in texts


@pytest.mark.parametrize("show_values", [False, True])
def test_a_network_with_broken_weights_is_named_in_one_sentence(show_values):
    net = gdlib.Network((3, 2, 1), seed=0)
    net.weights[1] = np.zeros((2000, 1))  # a learner's slip: the wrong shape
    with pytest.raises(ValueError, match=r"weights\[1\] must have shape \(2, 1\).*got \(2000, 1\)"):
        draw_network(net, show_values=show_values)
    assert plt.get_fignums() == []


@pytest.mark.parametrize("sizes", WITH_VALUES)
def test_the_course_networks_shown_with_values_keep_every_label(sizes):
    """10-point labels need room: the drawings grow (within a slide) rather than drop them."""
    labels = weight_labels(drawn(sizes, True))
    assert len(labels) == sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    assert all("\n" in text for text in labels)  # every name with its value
