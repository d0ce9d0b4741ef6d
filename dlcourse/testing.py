"""Checks that test cells call, with feedback written for a student at 2 a.m.

Every check raises :class:`FeedbackError` (an ``AssertionError``) whose message says which
quantity is wrong, by how much, where, and the likely mistake. Nothing is written to stderr:
nbgrader scores a test cell that writes to stderr as 0 even when its asserts pass.

    check_close(got, expected, "dW", batch_size=N)      # floats, with per-dtype tolerances
    check_equal(got, expected, "perceptron_predict(X, w, b)", rows=X)   # ints, bools, labels
    out = call_unmutated(affine_forward, x, w, b)         # ... and the inputs are left untouched
    check_backward(affine_forward, affine_backward, {"x": x, "w": w, "b": b}, rng=rng)

The numerical gradients used by :func:`check_backward` are this module's own machinery for
checking students' backward passes; they are not the graded ``numerical_gradient`` of
notebook 04 (which handles ``h``, restoring ``x`` and any shape as an exercise).
"""
from __future__ import annotations

import contextlib
import inspect
import linecache
import re
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np

__all__ = [
    "FeedbackError",
    "check_close",
    "check_equal",
    "check_dtype",
    "check_true",
    "call_unmutated",
    "call_quietly",
    "call_on",
    "raised_on",
    "check_backward",
    "describe",
    "describe_shape",
    "missing_keys",
    "LinearModel",
    "passed",
]

# (rtol, atol) for comparing a result with the value it should have, by the coarser dtype of the
# two. float64 results computed two valid ways differ by rounding only (~1e-15 relative); the
# margins leave room for another order of summation, not for another formula.
TOLERANCES = {
    np.dtype(np.float64): (1e-6, 1e-9),
    np.dtype(np.float32): (1e-4, 1e-6),
    np.dtype(np.float16): (1e-2, 1e-3),
}


class FeedbackError(AssertionError):
    """A failed check, with a message meant to be read by the student.

    In a Jupyter kernel it shows as the line of the notebook cell that ran the check, then the
    message: IPython shows the frame that raised even when it is marked ``__tracebackhide__``,
    and those frames (this module's) are machinery the student cannot act on.
    """

    def _render_traceback_(self) -> list[str]:
        """The lines IPython shows for this error (IPython calls this method when it exists)."""
        lines = ["\x1b[31m" + "-" * 75 + "\x1b[0m"]
        for where, line in _cell_lines(self.__traceback__):
            lines += [f"\x1b[32m{where}\x1b[0m", f"\x1b[32m---->\x1b[0m {line}", ""]
        lines.append(f"\x1b[31m{type(self).__name__}\x1b[0m: {self}")
        return lines


def _cell_lines(traceback: Any) -> list[tuple[str, str]]:
    """("Cell In[3], line 2", source line) for each frame of ``traceback`` in a notebook cell."""
    try:
        from IPython import get_ipython
        cells = get_ipython().compile._filename_map  # cell file name -> execution count
    except Exception:  # not in IPython: no cells to point at
        return []
    found = []
    while traceback is not None:
        code, lineno = traceback.tb_frame.f_code, traceback.tb_lineno
        if code.co_filename in cells:
            line = linecache.getline(code.co_filename, lineno).strip()
            found.append((f"Cell In[{cells[code.co_filename]}], line {lineno}", line))
        traceback = traceback.tb_next
    return found


def _fail(*lines: str) -> None:
    __tracebackhide__ = True
    raise FeedbackError("\n".join(line for line in lines if line))


def describe_shape(shape: tuple[int, ...], like: tuple[int, ...] | None = None) -> str:
    """A student's array's shape as feedback shows it: itself when its sizes are near those
    expected (``like``), else only its number of axes and entries. An empty array can have any
    sizes, (0, 842079, 811068): shown in full they could spell out hidden inputs."""
    limit = 4 * max(like or (1,)) + 4 if like is not None else 10_000
    if len(shape) <= max(len(like or ()) + 2, 4) and all(size <= limit for size in shape):
        return str(shape)
    return f"of {len(shape)} axes and {int(np.prod(shape))} entries, not shown"


def _few_numbers(value: list[Any] | tuple[Any, ...]) -> bool:
    """Up to 8 numbers, or up to 8 pairs or triples of numbers ([(4, False), (2, False)])."""
    def number(item: Any) -> bool:
        return isinstance(item, (bool, int, float, np.number))
    return len(value) <= 8 and all(
        number(item) or (isinstance(item, (list, tuple)) and len(item) <= 3
                         and all(map(number, item))) for item in value)


def missing_keys(mapping: Any, keys: Any) -> str:
    """Which of ``keys`` a dict the student's code returned lacks, in words ("it lacks 'm' and
    't'"), never its own keys: their text is the code's choice."""
    if not isinstance(mapping, dict):
        return f"it is {describe(mapping)}"
    missing = [key for key in keys if key not in mapping]
    others = len([key for key in mapping if key not in keys])
    text = ("it lacks " + " and ".join(repr(key) for key in missing)) if missing else \
        "it has them all"
    return text + (f", and has {others} other key(s)" if others else "")


def describe(value: Any) -> str:
    """A short rendering of a value for feedback: a number, or a small numeric array, as itself;
    anything else (a string, a long list, an object) by its type and size only. A student's
    function chooses what it returns, and in a hidden check a returned text could carry the
    hidden inputs it was given (``return repr(x)``): feedback shows a few numbers at most."""
    if isinstance(value, np.ndarray):
        if value.size > 8 or value.dtype.kind not in "biufc":
            return f"an array of shape {describe_shape(value.shape)}, dtype {value.dtype}"
        return np.array2string(value, precision=6, separator=", ")
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return f"{value:.6g}"
    if value is None or isinstance(value, (bool, int, complex)):
        text = repr(value)
        return text if len(text) <= 24 else f"an int of {len(text)} digits"
    if isinstance(value, (str, bytes)):
        return f"a {type(value).__name__} of length {len(value)}"
    if isinstance(value, (list, tuple)) and _few_numbers(value):
        items = ", ".join(describe(item) for item in value)
        if isinstance(value, list):
            return f"[{items}]"
        return f"({items},)" if len(value) == 1 else f"({items})"
    if hasattr(value, "__len__"):
        return f"a {type(value).__name__} of length {len(value)}"
    return f"an object of type {type(value).__name__}"


def _describe_type(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {describe_shape(value.shape)} and dtype {value.dtype}"
    text = describe(value)
    return text if text.startswith(("a ", "an ")) else f"{type(value).__name__} {text}"


def _as_array(got: Any, expected: np.ndarray, name: str) -> np.ndarray:
    """The student's value as an array, or a message saying why it cannot be one."""
    __tracebackhide__ = True
    if got is None:
        _fail(f"{name} is None.",
              "Likely mistake: the function computes the value but never `return`s it.")
    if isinstance(got, tuple) and expected.ndim == 0:
        _fail(f"{name} should be a single number but is a tuple of {len(got)} values.",
              "Likely mistake: returning (value, something) where only the value is asked for.")
    try:
        got_array = np.asarray(got)
    except Exception as error:  # a ragged list or an object numpy cannot hold
        _fail(f"{name} should be {_describe_type(expected)}, but it cannot be turned into a "
              f"numpy array ({error}).")
    if got_array.dtype == object:
        _fail(f"{name} should be numbers, but it is {_describe_type(got)}.")
    return got_array


def _shape_diagnosis(got: np.ndarray, expected: np.ndarray, batch_size: int | None) -> str:
    """The likely mistake behind a wrong shape, or ''."""
    if expected.ndim == 0 and got.size == 1:
        return "it is an array holding one number: return a scalar (for example with .item())"
    if expected.ndim == 0 and batch_size and got.shape[:1] == (batch_size,):
        return f"it has one value per example: average over the batch (N = {batch_size})"
    if got.ndim >= 2 and got.shape == expected.shape[::-1]:
        return "it has the transposed shape: check the order of a matrix product, or a missing .T"
    if got.ndim == expected.ndim + 1 and got.shape[1:] == expected.shape:
        what = "a bias gradient" if expected.ndim == 1 else "a gradient"
        return (f"it keeps the batch axis of size {got.shape[0]}: {what} must be summed over the "
                "batch (.sum(axis=0))")
    if got.size == expected.size:
        squeezed = (tuple(d for d in got.shape if d != 1)
                    == tuple(d for d in expected.shape if d != 1))
        if squeezed:
            return ("only axes of size 1 differ: check keepdims=True or a reshape that adds or "
                    "drops an axis")
        return f"it has the right number of entries: reshape it to {expected.shape}"
    if got.ndim == expected.ndim and got.ndim >= 1 and got.shape[0] != expected.shape[0]:
        return "the first (batch) axis differs: one row per example is expected"
    return ""


def _value_diagnosis(got: np.ndarray, expected: np.ndarray, rtol: float, atol: float,
                     batch_size: int | None, wrong: np.ndarray) -> str:
    """The likely mistake behind wrong values of the right shape, or ''.

    A diagnosis is named only when the evidence fits it: one that says "every value" needs every
    value (that it speaks of) to be wrong, not just close to a pattern within the tolerance."""
    def close(a: np.ndarray, b: np.ndarray) -> bool:
        return bool(np.allclose(a, b, rtol=rtol, atol=atol))

    if np.any(expected != 0) and close(got, -expected):
        return "every value has the wrong sign: check the sign of a gradient or a subtraction"
    if got.ndim == 2 and got.shape[0] == got.shape[1] and close(got, expected.T):
        return "it is the transpose of the expected matrix: check the order of a matrix product"
    if np.all(got == 0) and np.any(expected != 0):
        return "every value is 0: is something never updated, or a result never filled in?"
    nonzero = np.abs(expected) > atol
    # A common factor of fewer than 3 values is a coincidence, unless it is the batch size (a loss).
    few = np.count_nonzero(nonzero) < 3
    if np.any(nonzero) and (not few or batch_size):
        ratios = got[nonzero] / expected[nonzero]
        ratio = float(np.median(ratios))
        if ratio != 0 and np.isfinite(ratio) and not np.isclose(ratio, 1) and \
                close(got, ratio * expected) and np.all(wrong[nonzero]):
            if batch_size and np.isclose(ratio, batch_size, rtol=1e-3):
                return (f"it is {batch_size} times too large, the batch size: average over the "
                        "batch (divide by N)")
            if batch_size and np.isclose(ratio, 1 / batch_size, rtol=1e-3):
                return (f"it is {batch_size} times too small, the batch size: it is divided by N "
                        "once too often (or averaged where it should be summed)")
            if not few:
                return (f"every value is off by the same factor, {ratio:.4g}: a missing or extra "
                        "constant?")
    offset = got - expected
    shift = float(np.median(offset))
    if offset.size >= 3 and np.all(wrong) and np.allclose(offset, shift, rtol=0,
                                                          atol=atol + rtol * abs(shift)):
        return f"every value is off by the same amount, {shift:.4g}: a bias or constant term?"
    return ""


def _likely(why: str) -> str:
    return f"Likely mistake: {why}" + ("" if why.endswith("?") else ".") if why else ""


def _index(index: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(i) for i in index) + "]"


def _dtype_diagnosis(got: np.dtype, want: np.dtype) -> str:
    """The likely mistake behind a result of dtype ``got`` where ``want`` is documented."""
    if got == np.dtype(bool):
        return ("a comparison such as `x > 0` gives bools, which break arithmetic later "
                "(-True is an error): convert with .astype(float) or multiply by 1.0")
    if np.issubdtype(got, np.integer) and np.issubdtype(want, np.floating):
        return ("the result was built in the input's integer dtype (np.zeros_like or "
                "np.empty_like of an int array, or x.astype(x.dtype)), which truncates: "
                "convert the input to floats first")
    if np.issubdtype(got, np.floating) and np.issubdtype(want, np.floating):
        if np.finfo(got).bits > np.finfo(want).bits:
            return ("a float64 array or constant somewhere (np.zeros without dtype, np.ones, "
                    "a float64 parameter) promotes the whole result: keep the input's dtype")
        return "part of the computation is done in a lower precision than the input's"
    return ""


def check_dtype(got: Any, dtype: Any, name: str, *, hint: str = "") -> None:
    """Check that ``got`` is an array or numpy number of dtype ``dtype``.

    ``dtype`` is a numpy dtype (``np.float32``) or an abstract kind (``np.floating``,
    ``np.integer``) when any float or any int is documented. A Python float or int passes for
    ``np.float64`` / ``np.int64`` only when ``dtype`` is the abstract kind.
    """
    __tracebackhide__ = True
    got_dtype = np.asarray(got).dtype
    abstract = isinstance(dtype, type) and dtype in (np.floating, np.integer, np.number)
    ok = np.issubdtype(got_dtype, dtype) if abstract else got_dtype == np.dtype(dtype)
    if ok:
        return
    want = np.dtype(np.float64 if dtype is np.floating else np.int64 if dtype is np.integer
                    else np.float64 if abstract else dtype)
    described = ({np.floating: "hold floats", np.integer: "hold integers",
                  np.number: "hold numbers"}[dtype] if abstract else f"have dtype {want}")
    _fail(f"{name} should {described} but its dtype is {got_dtype}.",
          _likely(_dtype_diagnosis(got_dtype, want)), hint)


def check_close(got: Any, expected: Any, name: str, *, rtol: float | None = None,
                atol: float | None = None, batch_size: int | None = None,
                dtype: Any = None, hint: str = "") -> None:
    """Check that ``got`` equals ``expected`` up to floating-point rounding.

    Parameters
    ----------
    got : what the student's code produced (array, scalar, or anything array-like).
    expected : the right value.
    name : what is compared, as the student knows it, e.g. ``"dW"`` or ``"sigmoid(x)"``.
    rtol, atol : tolerances; by default from the coarser dtype of the two (see TOLERANCES).
    batch_size : N, when a value off by a factor of N points to a missing batch average.
    dtype : the documented dtype of the result, checked after its shape (see check_dtype);
        None checks values only.
    hint : a sentence added to any failure message, e.g. the formula to re-read.
    """
    __tracebackhide__ = True
    expected = np.asarray(expected)
    got_array = _as_array(got, expected, name)
    if got_array.shape != expected.shape:
        why = _shape_diagnosis(got_array, expected, batch_size)
        _fail(f"{name} has shape {describe_shape(got_array.shape, expected.shape)}, expected "
              f"{expected.shape}.",
              _likely(why), hint)
    if dtype is not None:
        check_dtype(got_array, dtype, name, hint=hint)
    if not np.issubdtype(got_array.dtype, np.number) and got_array.dtype != bool:
        _fail(f"{name} should hold numbers, but its dtype is {got_array.dtype}.", hint)
    float_dtypes = [d for d in (got_array.dtype, expected.dtype) if np.issubdtype(d, np.floating)]
    coarse = max(float_dtypes, key=lambda d: np.finfo(d).eps, default=np.dtype(np.float64))
    default_rtol, default_atol = TOLERANCES.get(coarse, TOLERANCES[np.dtype(np.float64)])
    rtol = default_rtol if rtol is None else rtol
    atol = default_atol if atol is None else atol

    got_f = got_array.astype(np.float64)
    expected_f = expected.astype(np.float64)
    bad_got = ~np.isfinite(got_f) & np.isfinite(expected_f)
    if np.any(bad_got):
        where = tuple(int(i) for i in np.argwhere(bad_got)[0])
        kind = "NaN" if np.isnan(got_f[where]) else "inf"
        _fail(f"{name} contains {kind} at {_index(where) if where else 'its only entry'} "
              f"({int(bad_got.sum())} of {bad_got.size} entries are not finite); expected "
              f"{describe(expected_f[where])} there.",
              "Likely mistake: an overflow in exp (subtract the max first), a log of 0, or a "
              "division by 0.", hint)
    wrong = ~np.isclose(got_f, expected_f, rtol=rtol, atol=atol, equal_nan=True)
    if not np.any(wrong):
        return
    abs_err = np.array(np.abs(got_f - expected_f))  # an array even for 0-d inputs
    abs_err[~np.isfinite(abs_err)] = 0
    flat_worst = int(np.argmax(np.where(wrong, abs_err, -1)))
    worst = tuple(int(i) for i in np.unravel_index(flat_worst, got_f.shape))
    rel_err = abs_err / np.maximum(np.abs(expected_f), atol)
    at = f" at {_index(worst)}" if worst else ""
    why = _value_diagnosis(got_f, expected_f, rtol, atol, batch_size, wrong)
    _fail(f"{name} is wrong in {int(wrong.sum())} of {wrong.size} entries.",
          f"  worst{at}: expected {describe(expected_f[worst])}, got {describe(got_f[worst])}",
          f"  max abs error {abs_err.max():.3g}, max relative error {rel_err[wrong].max():.3g} "
          f"(tolerance rtol={rtol:g}, atol={atol:g})",
          _likely(why), hint)


def check_equal(got: Any, expected: Any, name: str, *, rows: np.ndarray | None = None,
                hint: str = "") -> None:
    """Check that ``got`` equals ``expected`` exactly: integers, booleans, labels.

    On failure the message names the first wrong entry (and, if ``rows`` is given, the input row
    that produced it) rather than a "worst" one: with labels, the first is where to look.
    Integer results must be integers: ``0.0`` for ``0`` is accepted in value but a float or bool
    array where ints are expected is reported.
    """
    __tracebackhide__ = True
    expected = np.asarray(expected)
    got_array = _as_array(got, expected, name)
    if got_array.shape != expected.shape:
        why = _shape_diagnosis(got_array, expected, None)
        _fail(f"{name} has shape {describe_shape(got_array.shape, expected.shape)}, expected "
              f"{expected.shape}.",
              _likely(why), hint)
    if np.issubdtype(expected.dtype, np.integer) and not np.issubdtype(got_array.dtype, np.integer):
        values_match = np.array_equal(got_array.astype(np.float64), expected)
        _fail(f"{name} should hold integers but its dtype is {got_array.dtype}"
              + (" (the values themselves are right)." if values_match else "."),
              "Likely mistake: convert with .astype(int); comparisons give bools, "
              "np.where / np.heaviside give floats.", hint)
    wrong = got_array != expected
    if not np.any(wrong):
        return
    first = tuple(int(i) for i in np.argwhere(wrong)[0])
    where = _index(first) if first else ""
    lines = [f"{name} is wrong in {int(wrong.sum())} of {wrong.size} entries.",
             f"  first wrong entry{' ' + where if where else ''}: expected "
             f"{describe(expected[first])}, got {describe(got_array[first])}"]
    if rows is not None and first:
        row = np.asarray(rows)[first[0]]
        lines.append(f"  it comes from input row {first[0]}: {describe(row)}")
    is_binary = set(np.unique(expected).tolist()) <= {0, 1}
    outside = set(np.unique(got_array).tolist()) - {0, 1}
    if is_binary and outside:
        lines.append(f"Likely mistake: labels must be 0 or 1, but {sorted(outside)[0]} appears "
                     "(np.sign gives -1, 0, 1; a probability is not a label).")
    elif is_binary and got_array.size > 1 and np.array_equal(got_array, 1 - expected):
        lines.append("Likely mistake: every label is flipped: check the direction of a "
                     "comparison or the sign of the weights.")
    lines.append(hint)
    _fail(*lines)


def check_true(condition: bool, message: str) -> None:
    """Fail with ``message`` unless ``condition`` holds (an assert that always explains itself)."""
    __tracebackhide__ = True
    if not condition:
        _fail(message)


def call_unmutated(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call ``function(*args, **kwargs)`` and fail if it modified any array argument in place.

    A dict argument (an optimizer's config, bn_param) is checked too: its entries must not be
    reassigned, and the arrays it holds must not change. So are the arrays a tuple or list
    argument holds (a cache): a backward pass that changes its cache gives other results when
    called again through it."""
    __tracebackhide__ = True
    try:
        bound = inspect.signature(function).bind(*args, **kwargs).arguments
    except (TypeError, ValueError):  # a builtin, or a call that will fail on its own
        bound = {f"argument {i + 1}": a for i, a in enumerate(args)} | kwargs
    before = [(f"input {name}", a, a.copy()) for name, a in bound.items()
              if isinstance(a, np.ndarray)]
    before += [(f"input {name}[{key!r}]", a, a.copy()) for name, d in bound.items()
               if isinstance(d, dict) for key, a in d.items() if isinstance(a, np.ndarray)]
    before += [(f"input {name}[{i}]", a, a.copy()) for name, held in bound.items()
               if isinstance(held, (tuple, list)) for i, a in enumerate(held)
               if isinstance(a, np.ndarray)]
    dicts = [(name, d, dict(d)) for name, d in bound.items() if isinstance(d, dict)]
    result = function(*args, **kwargs)
    for name, entries, entries_before in dicts:
        changed = [k for k in entries.keys() | entries_before.keys()
                   if k not in entries or k not in entries_before
                   or entries[k] is not entries_before[k]]
        # A key the function added is its own text (it could carry a hidden input): not shown.
        named = sorted(str(k) for k in changed if k in entries_before)
        if changed:
            what = f"entry {named[0]!r} was set or removed" if named else "an entry was added"
            _fail(f"{getattr(function, '__name__', 'the function')} modified its input dict "
                  f"{name} in place ({what}).",
                  f"Likely mistake: `{name}[...] = ...` on the dict that was passed in. Work on "
                  f"a copy, e.g. `{name} = dict({name})`, and return it.")
    for label, array, original in before:
        name = getattr(function, '__name__', 'the function')
        # An array a tuple holds is kept for later calls (a cache): say what that breaks.
        later = (" A second call through the same cache would compute with the changed "
                 "values." if label.endswith("]") and "'" not in label else "")
        if array.shape != original.shape:
            _fail(f"{name} changed the shape of its {label} in place (it was "
                  f"{original.shape}).{later}",
                  "Likely mistake: `a.shape = ...` reshapes the array itself; `a.reshape(...)` "
                  "gives a new view and leaves the input as it was.")
        if not np.array_equal(array, original, equal_nan=True):
            changed_at = np.argwhere(array != original)
            where = _index(tuple(int(i) for i in changed_at[0])) if changed_at.size else ""
            _fail(f"{name} modified its {label} in place (first change at "
                  f"{where or 'its value'}).{later}",
                  "Likely mistake: an in-place operation (+=, *=, x[...] = ..., np.maximum(x, 0, "
                  "out=x)) on an input, or an alias (dx = x, then dx[...] = ...). Work on a copy, "
                  "e.g. `out = x.copy()`, or build a new array (np.zeros_like(x)).")
    return result


# The likely cause of a numpy RuntimeWarning, by words of its message.
_WARNING_CAUSES = (
    ("overflow", "exp of a large number overflows: only exponentiate numbers <= 0 (subtract the "
                 "max first, or use exp(-|x|))"),
    ("divide by zero", "a log of 0 or a division by 0: clip probabilities to [eps, 1 - eps] first"),
    ("invalid value", "inf - inf, 0 * inf or 0 / 0, which usually follows an overflow in exp or a "
                      "log of 0"),
)


def call_quietly(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Like :func:`call_unmutated`, and fail if the call emits any warning.

    A warning is written to stderr, and nbgrader scores a test cell that writes to stderr 0, so a
    function that warns (an overflow in exp, a log of 0) is wrong even when its values are right.
    """
    __tracebackhide__ = True
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = call_unmutated(function, *args, **kwargs)
    if caught:
        text = str(caught[0].message)
        why = next((cause for words, cause in _WARNING_CAUSES if words in text), "")
        _fail(f"{getattr(function, '__name__', 'the function')} emitted a warning: "
              f"{caught[0].category.__name__}: {text}.",
              "A warning goes to stderr, and a test cell that writes to stderr scores 0.",
              _likely(why))
    return result

def _is_python_error(error: Exception) -> bool:
    """Whether ``error`` is one of Python's own exceptions (or numpy's subclasses of them), as a
    mistake in the student's code raises; not the grader's own exceptions."""
    return any(k.__module__ == "builtins" for k in type(error).__mro__
               if k not in (Exception, BaseException, object))


def _error_diagnosis(error: Exception) -> str:
    """The likely mistake behind an exception raised by a student's function, or ''."""
    text = str(error)
    if re.match(r"'(float|int|bool)' object (has no attribute|is not (subscriptable|iterable))",
                text):
        return ("a Python number has no array methods or attributes (.astype, .shape, .copy, "
                "indexing): start with x = np.asarray(x), or use numpy functions (np.shape(x))")
    if "truth value of an array" in text:
        return ("an `if`, `and`, `or`, max() or min() on an array: use element-wise numpy "
                "operations (np.where, np.maximum, &, |)")
    if "vectorize" in text and "size 0" in text:
        return "np.vectorize cannot handle an empty array: use numpy's element-wise operations"
    return ""


@contextlib.contextmanager
def raised_on(what: str, hint: str = "") -> Iterator[None]:
    """Turn an exception the student's code raises inside the block into feedback naming the
    call and the kind of input (``what``: "numerical_gradient of a transposed (3, 2) view"),
    with the likely mistake, and never the exception's own text: the student's code chose it,
    and in a hidden check it could carry the hidden input (``raise ValueError(repr(x))``).

    Feedback, an untouched stub's NotImplementedError, a missing name and the grader's own
    exceptions (a time limit, a stopped process) pass through unchanged."""
    __tracebackhide__ = True
    try:
        yield
    except (FeedbackError, NotImplementedError, NameError):
        raise
    except Exception as error:
        if not (_is_python_error(error) or getattr(error, "from_submission", False)):
            raise
        kind = getattr(error, "submission_type", type(error).__name__)
        raise FeedbackError("\n".join(line for line in (
            f"{what} raised {kind}.", _likely(_error_diagnosis(error)), hint) if line)) from None


def call_on(what: str, function: Callable[..., Any], *args: Any, quiet: bool = False,
            **kwargs: Any) -> Any:
    """:func:`call_unmutated` (:func:`call_quietly` if ``quiet``) of ``function`` on an input of
    the kind ``what`` ("a Python float"), an exception it raises turned into feedback as by
    :func:`raised_on`."""
    __tracebackhide__ = True
    with raised_on(f"{getattr(function, '__name__', 'the function')} on {what}"):
        return (call_quietly if quiet else call_unmutated)(function, *args, **kwargs)


def _numerical_gradient(f: Callable[[], np.ndarray], x: np.ndarray, dout: np.ndarray,
                        h: float) -> np.ndarray:
    """d(sum(f() * dout))/dx by central differences, perturbing x in place and restoring it."""
    grad = np.zeros_like(x, dtype=np.float64)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + h
        plus = np.sum(f() * dout)
        x[index] = original - h
        minus = np.sum(f() * dout)
        x[index] = original
        grad[index] = (plus - minus) / (2 * h)
    return grad


def check_backward(forward: Callable[..., Any], backward: Callable[..., Any],
                   inputs: Mapping[str, np.ndarray], *,
                   rng: np.random.Generator, extra_args: Sequence[Any] = (),
                   wrt: Sequence[str] | None = None, h: float = 1e-6, rtol: float = 1e-5,
                   atol: float = 1e-7) -> None:
    """Gradient check of a layer written in CS231n's convention.

    ``forward(*inputs.values(), *extra_args) -> (out, cache)`` and
    ``backward(dout, cache) -> grads``, one gradient per input in the order of ``inputs`` (or a
    single array when there is one input). The analytic gradients are compared with central
    differences of ``sum(out * dout)`` for a random upstream gradient ``dout``. The check also
    fails if ``forward`` or ``backward`` modify their arguments (``dout`` included).
    Use float64 inputs away from kinks (e.g. ReLU at 0), so that central differences are exact to
    about 1e-9.
    """
    __tracebackhide__ = True
    names = list(inputs)
    arrays = {k: np.array(v, dtype=np.float64) for k, v in inputs.items()}
    fname, bname = forward.__name__, backward.__name__
    out, cache = call_unmutated(forward, *arrays.values(), *extra_args)
    dout = rng.standard_normal(np.shape(out))
    grads = call_unmutated(backward, dout, cache)
    if len(names) == 1 and not isinstance(grads, tuple):
        grads = (grads,)
    if not isinstance(grads, (tuple, list)) or len(grads) != len(names):
        count = len(grads) if isinstance(grads, (tuple, list)) else 1
        _fail(f"{bname} should return {len(names)} gradient(s), "
              f"({', '.join('d' + n for n in names)}), but returned {count}.")
    batch_size = int(np.shape(out)[0]) if np.ndim(out) else None
    for name, grad in zip(names, grads, strict=True):
        if wrt is not None and name not in wrt:
            continue
        expected = _numerical_gradient(lambda: forward(*arrays.values(), *extra_args)[0],
                                       arrays[name], dout, h)
        check_close(grad, expected, f"d{name} from {bname}", rtol=rtol, atol=atol,
                    batch_size=batch_size,
                    hint=f"(compared with a numerical gradient of {fname} with respect to {name})")


class LinearModel:
    """The smallest model of the training-loop protocol, for testing a loop: scores = X @ W + b.

    Like the layers of a ``Sequential``, it computes with arrays it owns (copies of ``W``, ``b``)
    and ``params`` holds those same arrays, so a loop must write new values into them
    (``w[...] = next_w``); rebinding ``params[name]`` leaves the model unchanged. ``calls``
    records ``(batch size, train)`` for every ``forward``. With ``l2`` > 0 the model has a
    ``penalty()``, 0.5 * l2 * sum(W ** 2), whose gradient ``backward`` adds to ``grads["W"]``.

    When a notebook is graded, the test cells run in the grader's process and the student's
    code in another: this model is then built in the student's process (the loop updates its
    arrays in place there), and the checks read its attributes back as data.
    """

    runs_with_the_submission = True

    def __init__(self, W: np.ndarray, b: np.ndarray, l2: float = 0.0):
        self.W, self.b = np.array(W), np.array(b)
        self.params = {"W": self.W, "b": self.b}
        self.grads: dict[str, np.ndarray] = {}
        self.calls: list[tuple[int, bool]] = []
        self.l2 = l2
        if l2:
            self.penalty = lambda: 0.5 * self.l2 * float(np.sum(self.W ** 2))

    def forward(self, X: np.ndarray, train: bool = False) -> np.ndarray:
        """X: (N, D). Returns scores (N, C)."""
        self.calls.append((len(X), bool(train)))
        self.X = X
        return np.asarray(X @ self.W + self.b)

    def backward(self, dscores: np.ndarray) -> np.ndarray:
        """dscores: (N, C). Sets grads {"W": (D, C), "b": (C,)}; returns dX (N, D)."""
        self.grads = {"W": self.X.T @ dscores + self.l2 * self.W, "b": dscores.sum(axis=0)}
        return np.asarray(dscores @ self.W.T)

    def call_with_params(self, function: Callable[..., Any], *args: Any) -> Any:
        """``function(*args, self.params)``, called where the model is: the function gets the
        arrays the model owns, as a training loop passes them, not copies (arguments sent from
        the grader's side are copies), so that what it keeps of them can be tested."""
        return function(*args, self.params)

    def shift(self, delta: float) -> None:
        """Add ``delta`` to every parameter, in place, as a training step changes them: a test
        of a checkpoint moves the weights on this way (from the grader's side too, where
        ``params`` read as an attribute is a copy)."""
        for w in self.params.values():
            w += delta


def passed(name: str) -> None:
    """Tell the student, on stdout, that the checks of ``name`` passed."""
    print(f"\u2714 {name}: all checks passed.")
