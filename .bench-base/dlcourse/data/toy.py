"""Small 2-D datasets for the early notebooks. Every random one takes an explicit Generator."""
from __future__ import annotations

import numpy as np

_GATES = {
    "and": [0, 0, 0, 1],
    "or": [0, 1, 1, 1],
    "nand": [1, 1, 1, 0],
    "nor": [1, 0, 0, 0],
    "xor": [0, 1, 1, 0],
}


def gate_table(name: str) -> tuple[np.ndarray, np.ndarray]:
    """The truth table of a two-input logic gate.

    Returns X (4, 2) float64, the inputs (0,0), (0,1), (1,0), (1,1), and y (4,) int64 in {0, 1}.
    ``name`` is one of "and", "or", "nand", "nor", "xor".
    """
    key = name.lower()
    if key not in _GATES:
        raise ValueError(f"unknown gate {name!r}; choose from {sorted(_GATES)}")
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    return X, np.array(_GATES[key], dtype=np.int64)


def make_blobs(n_per_class: int, rng: np.random.Generator, *, distance: float = 3.0,
               std: float = 0.8) -> tuple[np.ndarray, np.ndarray]:
    """Two Gaussian clouds in 2-D, labels 0 and 1, shuffled.

    The centres are ``distance`` apart along a random direction, placed around a random offset
    from the origin, so a boundary through the origin (no bias) usually cannot separate them.
    Returns X (2 * n_per_class, 2) float64 and y (2 * n_per_class,) int64.
    """
    angle = rng.uniform(0, 2 * np.pi)
    direction = np.array([np.cos(angle), np.sin(angle)])
    centre = rng.uniform(-3, 3, size=2)
    centres = [centre - direction * distance / 2, centre + direction * distance / 2]
    X = np.concatenate([c + std * rng.standard_normal((n_per_class, 2)) for c in centres])
    y = np.repeat(np.arange(2, dtype=np.int64), n_per_class)
    order = rng.permutation(len(y))
    return X[order], y[order]


def make_separable(n: int, rng: np.random.Generator, *,
                   margin: float = 0.3) -> tuple[np.ndarray, np.ndarray]:
    """Points in [-1, 1]^2 labelled by a random line, with no point closer than ``margin``/2.

    Guaranteed linearly separable (a perceptron converges on it). Returns X (n, 2) float64 and
    y (n,) int64 in {0, 1}; the true boundary is w_true . x + b_true = 0.
    """
    angle = rng.uniform(0, 2 * np.pi)
    w_true = np.array([np.cos(angle), np.sin(angle)])
    b_true = rng.uniform(-0.3, 0.3)
    points: list[np.ndarray] = []
    while len(points) < n:
        candidates = rng.uniform(-1, 1, size=(2 * n, 2))
        keep = np.abs(candidates @ w_true + b_true) >= margin / 2
        points.extend(candidates[keep])
    X = np.array(points[:n])
    y = (X @ w_true + b_true > 0).astype(np.int64)
    return X, y


def make_xor(n: int, rng: np.random.Generator, *,
             noise: float = 0.15) -> tuple[np.ndarray, np.ndarray]:
    """Noisy XOR: points near the four corners of the unit square, labelled x1 XOR x2.

    Returns X (n, 2) float64 and y (n,) int64.
    """
    corners = rng.integers(0, 2, size=(n, 2))
    X = corners + noise * rng.standard_normal((n, 2))
    y = (corners[:, 0] ^ corners[:, 1]).astype(np.int64)
    return X, y


def make_spirals(n_per_class: int, rng: np.random.Generator, *, n_classes: int = 3,
                 noise: float = 0.2) -> tuple[np.ndarray, np.ndarray]:
    """Interleaved spirals, the classic dataset no linear classifier can separate (CS231n).

    Returns X (n_classes * n_per_class, 2) float64 and y (n_classes * n_per_class,) int64.
    """
    X = np.zeros((n_per_class * n_classes, 2))
    y = np.zeros(n_per_class * n_classes, dtype=np.int64)
    for k in range(n_classes):
        rows = slice(n_per_class * k, n_per_class * (k + 1))
        radius = np.linspace(0.0, 1.0, n_per_class)
        theta = (np.linspace(k * 4.0, (k + 1) * 4.0, n_per_class)
                 + noise * rng.standard_normal(n_per_class))
        X[rows] = np.c_[radius * np.sin(theta), radius * np.cos(theta)]
        y[rows] = k
    return X, y
