"""Minibatches: one pass over a dataset in chunks of batch_size rows."""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np


def minibatches(X: np.ndarray, y: np.ndarray, batch_size: int,
                rng: np.random.Generator | None = None,
                drop_last: bool = False) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Iterate once over (X, y) in batches of ``batch_size`` rows.

    Inputs:
    - X: array of shape (N, ...), the inputs; y: array of shape (N, ...), their targets.
    - batch_size: rows per batch.
    - rng: np.random.Generator; if given, the rows are shuffled by one ``rng.permutation(N)``
      drawn when minibatches is called (so one call = one epoch = one permutation); if None,
      the rows keep their order.
    - drop_last: drop the last batch if it has fewer than ``batch_size`` rows (kept by default).

    Yields (X_batch, y_batch) of shapes (B, ...) and (B, ...), B = batch_size except maybe for
    the last batch. Without rng the batches are views of X and y: do not modify them.
    """
    n = len(X)
    if len(y) != n:
        raise ValueError(f"X has {n} rows but y has {len(y)}: they must match")
    if int(batch_size) != batch_size or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    batch_size = int(batch_size)
    order = None if rng is None else rng.permutation(n)
    stop = n - n % batch_size if drop_last else n
    return _batches(X, y, batch_size, order, stop)


def _batches(X, y, batch_size, order, stop):
    for start in range(0, stop, batch_size):
        rows = (slice(start, start + batch_size) if order is None
                else order[start:start + batch_size])
        yield X[rows], y[rows]
