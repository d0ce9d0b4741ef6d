"""Plots the notebooks share. Each function draws on an Axes (a new figure if none is given)
and returns it, so a notebook can arrange several side by side."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np

CLASS_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"]


def _axes(ax: plt.Axes | None, figsize: tuple[float, float] = (5, 4)) -> plt.Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def plot_decision_boundary(predict: Callable[[np.ndarray], np.ndarray], X: np.ndarray,
                           y: np.ndarray, *, ax: plt.Axes | None = None, title: str = "",
                           resolution: int = 200, margin: float = 0.5) -> plt.Axes:
    """Shade the regions a classifier assigns to each class, with the data on top.

    predict: maps points (M, 2) to integer labels (M,). X: (N, 2) points, y: (N,) labels.
    """
    ax = _axes(ax)
    (x0_min, x1_min), (x0_max, x1_max) = X.min(axis=0) - margin, X.max(axis=0) + margin
    grid_0, grid_1 = np.meshgrid(np.linspace(x0_min, x0_max, resolution),
                                 np.linspace(x1_min, x1_max, resolution))
    labels = np.asarray(predict(np.c_[grid_0.ravel(), grid_1.ravel()])).reshape(grid_0.shape)
    n_classes = int(max(labels.max(), y.max())) + 1
    colours = CLASS_COLOURS[:n_classes]
    ax.contourf(grid_0, grid_1, labels, levels=np.arange(n_classes + 1) - 0.5,
                colors=colours, alpha=0.25)
    for label in range(n_classes):
        points = X[y == label]
        ax.scatter(points[:, 0], points[:, 1], s=18, c=colours[label], edgecolors="k",
                   linewidths=0.4, label=f"class {label}")
    ax.set(xlabel="$x_1$", ylabel="$x_2$", title=title)
    ax.legend(loc="best", fontsize="small")
    return ax


def plot_curves(curves: Mapping[str, Sequence[float]], *, ax: plt.Axes | None = None,
                xlabel: str = "epoch", ylabel: str = "", title: str = "", logy: bool = False,
                x: Sequence[float] | None = None, marker: str = "") -> plt.Axes:
    """One line per named curve (losses, accuracies, errors per epoch...) on shared axes."""
    ax = _axes(ax)
    for label, values in curves.items():
        xs = np.arange(1, len(values) + 1) if x is None else x
        ax.plot(xs, values, marker=marker, label=label)
    if logy:
        ax.set_yscale("log")
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    ax.grid(alpha=0.3)
    if len(curves) > 1:
        ax.legend()
    return ax


def plot_layer_histograms(layers: Sequence[np.ndarray], *, value_range: tuple[float, float],
                          ax: plt.Axes | None = None, title: str = "", xlabel: str = "",
                          bins: int = 40) -> plt.Axes:
    """The distribution of the values of each layer (activations, gradients): one histogram per
    layer, stacked from the first (bottom) to the last (top), each scaled to its own highest bar
    so that shapes compare whatever the spread. layers: one array (any shape) per layer; values
    outside value_range are left out."""
    ax = _axes(ax)
    edges = np.linspace(*value_range, bins + 1)
    colours = plt.cm.viridis(np.linspace(0, 0.85, len(layers)))
    for index, (values, colour) in enumerate(zip(layers, colours, strict=True)):
        counts, _ = np.histogram(np.ravel(values), bins=edges)
        heights = 0.9 * counts / max(counts.max(), 1)
        ax.stairs(index + heights, edges, baseline=index, fill=True, color=colour, alpha=0.85)
    ax.set_yticks(np.arange(len(layers)) + 0.4, [f"layer {i + 1}" for i in range(len(layers))])
    ax.set(xlim=value_range, ylim=(0, len(layers)), xlabel=xlabel, title=title)
    return ax


def plot_trajectories(f: Callable[[np.ndarray], np.ndarray], paths: Mapping[str, np.ndarray], *,
                      xlim: tuple[float, float], ylim: tuple[float, float],
                      ax: plt.Axes | None = None, title: str = "", levels: int = 30,
                      log_levels: bool = False, minimum: Sequence[float] | None = None,
                      resolution: int = 300) -> plt.Axes:
    """Contour lines of a function of two variables, with optimisation paths drawn on top.

    f: maps points (M, 2) to values (M,). paths: label -> (T, 2) array of iterates, the first
    row being the starting point. log_levels spaces the contour levels geometrically, for
    functions such as Rosenbrock's whose values span many orders of magnitude. minimum: (2,)
    point marked with a star.
    """
    ax = _axes(ax, figsize=(6, 4.5))
    grid_0, grid_1 = np.meshgrid(np.linspace(*xlim, resolution), np.linspace(*ylim, resolution))
    values = np.asarray(f(np.c_[grid_0.ravel(), grid_1.ravel()])).reshape(grid_0.shape)
    if log_levels:
        low = max(values.min(), 1e-3 * values.max(), 1e-12)
        contour_levels = np.geomspace(low, values.max(), levels)
    else:
        contour_levels = np.linspace(values.min(), values.max(), levels)
    ax.contour(grid_0, grid_1, values, levels=contour_levels, cmap="Greys", linewidths=0.6)
    for label, path in paths.items():
        path = np.asarray(path)
        ax.plot(path[:, 0], path[:, 1], marker=".", markersize=3, linewidth=1.2, label=label)
    if len(paths):
        start = np.asarray(next(iter(paths.values())))[0]
        ax.plot(*start, "ko", markersize=5)
    if minimum is not None:
        ax.plot(*minimum, "k*", markersize=12)
    ax.set(xlim=xlim, ylim=ylim, xlabel="$w_1$", ylabel="$w_2$", title=title)
    if len(paths) > 1:
        ax.legend(fontsize="small", loc="best")
    return ax


def _image_grid(images: np.ndarray, *, columns: int, cmap: str, symmetric: bool, title: str,
                labels: Sequence[str] | None = None, size: float = 1.3) -> plt.Figure:
    """A figure with one small image per entry of ``images`` (K, H, W), ``columns`` per row."""
    rows = -(-len(images) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(size * columns, (size + 0.3) * rows + 0.4),
                             squeeze=False)
    for index, ax in enumerate(axes.flat):
        ax.set(xticks=[], yticks=[])
        if index >= len(images):
            ax.axis("off")
            continue
        image = images[index]
        limit = float(np.abs(image).max()) or 1.0
        ax.imshow(image, cmap=cmap, vmin=-limit if symmetric else None,
                  vmax=limit if symmetric else None)
        if labels is not None:
            ax.set_title(labels[index], fontsize="small")
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_filters(w: np.ndarray, *, channel: int = 0, columns: int = 8,
                 title: str = "filters") -> plt.Figure:
    """The filters of a convolutional layer, w (F, C, HH, WW), one image each (of one channel).

    Each filter has its own symmetric colour scale: red positive, blue negative weights.
    """
    return _image_grid(np.asarray(w)[:, channel], columns=columns, cmap="RdBu_r",
                       symmetric=True, title=title, labels=[f"{f}" for f in range(len(w))])


def plot_feature_maps(maps: np.ndarray, *, columns: int = 8,
                      title: str = "feature maps") -> plt.Figure:
    """The feature maps of one image, maps (F, H, W), one greyscale image per channel."""
    return _image_grid(np.asarray(maps), columns=columns, cmap="gray", symmetric=False,
                       title=title, labels=[f"{f}" for f in range(len(maps))])


def plot_image_grid(images: np.ndarray, labels: Iterable[object] | None = None, *,
                    columns: int = 10, title: str = "") -> plt.Figure:
    """Small greyscale images (MNIST digits), each titled with its label.

    images: (K, H, W), (K, 1, H, W), or flat square images (K, H * W) such as MNIST's (K, 784).
    labels: K titles (class numbers, or strings such as "7 (true 2)").
    """
    images = np.asarray(images)
    side = int(round(np.sqrt(images[0].size)))
    return _image_grid(images.reshape(len(images), side, side), columns=columns, cmap="gray_r",
                       symmetric=False, title=title,
                       labels=None if labels is None else [str(label) for label in labels])


def plot_confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, *, n_classes: int = 10,
                          ax: plt.Axes | None = None, title: str = "") -> plt.Axes:
    """Counts of (true class, predicted class) pairs: the diagonal is right, the rest are errors.

    y_true, y_pred: (N,) integer labels in [0, n_classes). Colours are on a log scale, so that
    errors of a few examples stand out next to a diagonal of a thousand.
    """
    ax = _axes(ax, figsize=(6, 5))
    counts = np.bincount(np.asarray(y_true) * n_classes + np.asarray(y_pred),
                         minlength=n_classes ** 2).reshape(n_classes, n_classes)
    image = ax.imshow(np.log1p(counts), cmap="Blues")
    for (row, column), count in np.ndenumerate(counts):
        if count:
            dark = np.log1p(count) > 0.6 * np.log1p(counts.max())
            ax.text(column, row, str(count), ha="center", va="center", fontsize="x-small",
                    color="white" if dark else "black")
    ax.set(xticks=range(n_classes), yticks=range(n_classes), xlabel="predicted class",
           ylabel="true class", title=title)
    ax.figure.colorbar(image, ax=ax, label="log(1 + count)")
    return ax


def plot_computation_graph(positions: Mapping[str, tuple[float, float]],
                           wires: Sequence[tuple[str, str, float | None, float | None]], *,
                           leaves: Sequence[str] = (), ax: plt.Axes | None = None,
                           title: str = "forward values (green) and gradients (red)") -> plt.Axes:
    """A computation graph drawn the way CS231n draws it.

    positions: node -> (x, y). A node's name is drawn up to a ':', so "*:p0" and "*:p1" are two
    product nodes both labelled "*". leaves: the nodes drawn as boxes (inputs, the output); the
    others are operations, drawn as circles. wires: (start node, end node, forward value,
    gradient) for each edge; the value is written in green above the wire, the gradient of the
    output with respect to it in red below (None: nothing written, to show the structure alone).
    """
    xs, ys = zip(*positions.values(), strict=True)
    ax = _axes(ax, figsize=(max(xs) - min(xs) + 0.6, max(3.0, max(ys) - min(ys) + 0.2)))
    for start, end, value, gradient in wires:
        (x_start, y_start), (x_end, y_end) = positions[start], positions[end]
        ax.annotate("", xy=(x_end, y_end), xytext=(x_start, y_start),
                    arrowprops=dict(arrowstyle="->", color="0.4", shrinkA=14, shrinkB=14))
        x_mid, y_mid = x_start + 0.4 * (x_end - x_start), y_start + 0.4 * (y_end - y_start)
        if value is not None:
            ax.text(x_mid, y_mid + 0.12, f"{value:.2f}", color="green", ha="center", fontsize=10)
        if gradient is not None:
            ax.text(x_mid, y_mid - 0.3, f"{gradient:.2f}", color="red", ha="center", fontsize=10)
    for name, (x_node, y_node) in positions.items():
        is_operation = name not in leaves
        ax.text(x_node, y_node, name.split(":")[0], ha="center", va="center", fontsize=12,
                bbox=dict(boxstyle="circle" if is_operation else "round",
                          fc="#eef" if is_operation else "w", ec="0.3"))
    ax.set(xlim=(min(xs) - 0.6, max(xs) + 0.6), ylim=(min(ys) - 0.5, max(ys) + 0.4), title=title)
    ax.axis("off")
    return ax
