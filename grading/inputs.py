"""The same values in other memory layouts, dtypes and Python types, named for a message.

Hidden checks call a student's function on each variant and compare with the reference on the
same variant, so that a mistake that only shows for a kind of input (``x.ravel()`` perturbing a
copy of a transposed view, ``np.zeros_like`` of an int array, ``x.astype`` on a Python float)
fails with the kind named ("on a transposed (3, 2) view") and never the values or the seed:

    for what, x in variants(rng.standard_normal((3, 4)), "layout", "int", "python"):
        check_close(call_quietly(relu_grad, x), ref.relu_grad(x), f"relu_grad of {what}",
                    dtype=np.floating)

Views are views of a larger buffer whose other entries hold a large value, so reading past the
view's entries, or its buffer in memory order, gives a visibly wrong result.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

KINDS = ("layout", "float32", "int", "python")
_FILLER = 1e3  # the entries of a view's buffer that are not the view's


def _shape(x: np.ndarray) -> str:
    return "(" + ", ".join(map(str, x.shape)) + (",)" if x.ndim == 1 else ")")


def layouts(x: np.ndarray) -> Iterator[tuple[str, np.ndarray]]:
    """``x``'s values as a transposed view, a strided view, a reversed (negative-stride) view and
    a Fortran-order array, each with its description; none of them C-contiguous."""
    x = np.asarray(x)
    if x.ndim == 0:
        return
    shape = _shape(x)
    if x.ndim >= 2:
        yield (f"a transposed {shape} view",
               np.ascontiguousarray(np.swapaxes(x, -1, -2)).swapaxes(-1, -2))
    if x.ndim >= 3:  # in 2-D, Fortran order is the transposed view's layout
        yield f"a Fortran-order {shape} array", np.asfortranarray(x)
    buffer = np.full(x.shape[:-1] + (2 * x.shape[-1],), _FILLER, dtype=x.dtype)
    buffer[..., ::2] = x
    yield f"a strided {shape} view (every other column of a larger array)", buffer[..., ::2]
    yield f"a reversed {shape} view (negative strides)", np.flip(np.flip(x).copy())


def variants(x: Any, *kinds: str) -> Iterator[tuple[str, Any]]:
    """``x`` (a float64 array), then ``x`` as each kind of input asked for, described:

    - "layout": the non-contiguous views and Fortran order of :func:`layouts`;
    - "float32": a float32 array (the result should be float32 too where the docstring says the
      dtype is kept);
    - "int": an int64 array of ``x`` rounded (its values differ from ``x``: compare with the
      reference on the variant);
    - "python": the first entry as a Python float and as a Python int, and ``x`` as nested
      Python lists.
    """
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValueError(f"unknown kinds {sorted(unknown)}; choose from {KINDS}")
    x = np.asarray(x, dtype=np.float64)
    yield f"a float64 {_shape(x)} array", x
    if "layout" in kinds:
        yield from layouts(x)
    if "float32" in kinds:
        yield f"a float32 {_shape(x)} array", x.astype(np.float32)
    if "int" in kinds:
        yield f"an int64 {_shape(x)} array", np.rint(x).astype(np.int64)
    if "python" in kinds:
        first = float(x.flat[0]) if x.size else 0.5
        yield "a Python float", first
        yield "a Python int", int(round(first)) or 1
        if x.ndim >= 1:
            yield f"a Python list of shape {_shape(x)}", x.tolist()
