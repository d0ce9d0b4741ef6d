"""Plots the notebooks share. Each function draws on an Axes (a new figure if none is given)
and returns it, so a notebook can arrange several side by side."""
from __future__ import annotations

from typing import Callable, Mapping, Sequence

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
