"""Hidden tests of notebook 11 (recurrent networks). Each takes the student's function(s).

The cache's layout is the student's choice, so backward passes are fed the cache of the
student's own forward pass, and checked against the reference's gradients (and, for one shape,
against numerical gradients). Every function is tried on the shapes the public tests leave out
(a batch of one, a single time step, one input, one hidden unit, D larger and smaller than H),
with each input in turn as a transposed, strided or reversed view (Fortran order in 3-D), in float32
and float64 (the dtype is kept), and called again: a backward pass through the same cache twice,
and through the cache of an earlier forward call. A failing check names the quantity and the
kind of input, never the values or the seed.
"""
import numpy as np

from dlcourse.testing import (
    call_quietly,
    call_unmutated,
    check_backward,
    check_close,
    check_true,
    raised_on,
)

from . import reference
from .inputs import layouts

ASSIGNMENT = "11_rnn"

STEP_SHAPES = ((5, 3, 4), (1, 6, 2), (4, 1, 7), (3, 5, 5), (2, 4, 1))              # (N, D, H)
SEQUENCE_SHAPES = ((3, 5, 2, 4), (1, 1, 3, 2), (2, 7, 4, 3), (4, 2, 1, 6), (2, 3, 2, 1))
FLOAT32 = {"rtol": 1e-4, "atol": 1e-5}
STEP_INPUTS = ("x", "prev_h", "Wx", "Wh", "b")
SEQUENCE_INPUTS = ("x", "h0", "Wx", "Wh", "b")
STEP_GRADS = ("dx", "dprev_h", "dWx", "dWh", "db")
SEQUENCE_GRADS = ("dx", "dh0", "dWx", "dWh", "db")

STEP_HINT = ("da = dnext_h * (1 - next_h ** 2); dx = da @ Wx.T, dprev_h = da @ Wh.T, "
             "dWx = x.T @ da, dWh = prev_h.T @ da, db = da.sum(axis=0).")
BPTT_HINT = ("Walk back from t = T - 1 to 0, giving step t the gradient dh[:, t] + the dprev_h "
             "returned by step t + 1; sum dWx, dWh and db over all the steps.")
SHAPE_HINT = ("Do not .squeeze() inputs or results: an axis of size 1 (a batch of one, a single "
              "step, one input or hidden unit) must stay.")
LAYOUT_HINT = ("The values are the same as in a plain array, only laid out differently in "
               "memory: writing through .ravel() or .reshape() of an array that is not "
               "C-contiguous writes into a copy, and np.dot(..., out=) needs a C-contiguous out.")
CACHE_HINT = ("The backward pass must leave the cache as it found it: it may be used again (no "
              "cache.pop(), cache.reverse() or in-place operations such as next_h **= 2 on "
              "cached arrays).")


def _call(function, what, *args, hint="", quiet=False):
    """``function(*args)``, failing if it modifies an input (or, ``quiet``, warns) or raises,
    with ``what`` (the kind of input: "for shapes N=1 ...", "when x is a transposed (2, 3)
    view") named, and never the error's own text."""
    with raised_on(f"{function.__name__} {what}", hint):
        return (call_quietly if quiet else call_unmutated)(function, *args)


def _shapes(**sizes):
    """'shapes N=1 (one sequence), D=6, H=2': the sizes of a case, the ones of size 1 named."""
    alone = {"N": "one sequence", "T": "one step", "D": "one input", "H": "one hidden unit"}
    return "shapes " + ", ".join(f"{name}={size}" + (f" ({alone[name]})" if size == 1 else "")
                                 for name, size in sizes.items())


def _weights(rng, D, H, dtype=np.float64):
    """Wx (D, H), Wh (H, H), b (H,) of the scale of a trained network's."""
    Wx = rng.standard_normal((D, H)) / np.sqrt(D)
    Wh = rng.standard_normal((H, H)) / np.sqrt(H)
    b = 0.5 * rng.standard_normal(H)
    return tuple(a.astype(dtype) for a in (Wx, Wh, b))


def _step_inputs(rng, N, D, H):
    return (rng.standard_normal((N, D)), rng.uniform(-1, 1, size=(N, H)), *_weights(rng, D, H))


def _sequence_inputs(rng, N, T, D, H):
    return (rng.standard_normal((N, T, D)), rng.uniform(-1, 1, size=(N, H)),
            *_weights(rng, D, H))


def _each_as_view(inputs, names):
    """(name, description, inputs with that one input replaced by a view of it), for every
    input and every non-contiguous layout of it."""
    for index, name in enumerate(names):
        for what, view in layouts(inputs[index]):
            yield name, what, inputs[:index] + (view,) + inputs[index + 1:]


def _pair(result, name, what):
    # A list is accepted too: results may reach the grader through a serialisation.
    check_true(isinstance(result, (tuple, list)) and len(result) == 2,
               f"{name} should return a pair {what}, but returned {type(result).__name__}.")
    return result


def _grads(result, name, names):
    check_true(isinstance(result, (tuple, list)) and len(result) == len(names),
               f"{name} should return the tuple ({', '.join(names)}).")
    return result


def _check_grads(got, expected, names, where, dtype=np.float64, hint="", **tolerances):
    for name, grad, right in zip(names, got, expected, strict=True):
        check_close(grad, right, f"{name} {where}", dtype=dtype, hint=hint, **tolerances)


def check_rnn_step_forward(rnn_step_forward):
    """Size-1 axes, D < H and D > H, every input as a view, saturation, float32, repeats."""
    ref = reference(ASSIGNMENT)
    hint = "next_h = np.tanh(x @ Wx + prev_h @ Wh + b), of shape (N, H)."
    for seed, (N, D, H) in enumerate(STEP_SHAPES):
        rng = np.random.default_rng(11100 + seed)
        inputs = _step_inputs(rng, N, D, H)
        shapes = _shapes(N=N, D=D, H=H)
        size_hint = SHAPE_HINT if 1 in (N, D, H) else ""
        next_h, _ = _pair(_call(rnn_step_forward, f"for {shapes}", *inputs, hint=size_hint),
                          "rnn_step_forward", "(next_h, cache)")
        check_close(next_h, ref.rnn_step_forward(*inputs)[0],
                    f"next_h of rnn_step_forward for {shapes}", dtype=np.float64,
                    hint=f"{hint} {size_hint}".rstrip())
    # Every input in turn as a transposed, strided or reversed view: the same numbers.
    rng = np.random.default_rng(11150)
    inputs = _step_inputs(rng, 4, 3, 5)
    expected = ref.rnn_step_forward(*inputs)[0]
    for name, what, case in _each_as_view(inputs, STEP_INPUTS):
        where = f"when {name} is {what}"
        next_h, _ = _pair(_call(rnn_step_forward, where, *case, hint=LAYOUT_HINT),
                          "rnn_step_forward", "(next_h, cache)")
        check_close(next_h, expected, f"next_h of rnn_step_forward {where}", dtype=np.float64,
                    hint=LAYOUT_HINT)
    # Saturated units, |x @ Wx| in the thousands: np.tanh gives +-1, a tanh written with exp
    # overflows.
    Wx, Wh, b = inputs[2:]
    x = 1000 * rng.standard_normal((3, 3))
    try:
        with np.errstate(over="raise", invalid="raise"):
            next_h, _ = rnn_step_forward(x, np.zeros((3, 5)), Wx, Wh, b)
    except FloatingPointError:
        check_true(False, "rnn_step_forward overflows when |x @ Wx| is in the thousands; "
                   "numpy would print a warning, and a test cell that prints one "
                   "scores 0. Use np.tanh, which saturates at -1 and 1 without overflowing.")
    check_close(next_h, ref.rnn_step_forward(x, np.zeros((3, 5)), Wx, Wh, b)[0],
                "next_h of rnn_step_forward when |x @ Wx| is in the thousands",
                hint="Use np.tanh, which saturates at -1 and 1: a tanh written with exp overflows.")
    # float32 stays float32; a second call on the same inputs gives the same state.
    inputs = _step_inputs(rng, 2, 3, 5)
    inputs32 = tuple(a.astype(np.float32) for a in inputs)
    first, _ = _pair(_call(rnn_step_forward, "for float32 inputs", *inputs32),
                     "rnn_step_forward", "(next_h, cache)")
    check_close(first, ref.rnn_step_forward(*inputs)[0],
                "next_h of rnn_step_forward for float32 inputs", dtype=np.float32, **FLOAT32)
    check_close(_call(rnn_step_forward, "on a second call", *inputs32)[0], first,
                "next_h of a second call of rnn_step_forward on the same inputs",
                hint="rnn_step_forward must not keep or change state between calls.")


def check_rnn_step_backward(rnn_step_forward, rnn_step_backward):
    """Size-1 axes, D < H and D > H, views, float32, a second pass through one cache."""
    ref = reference(ASSIGNMENT)
    for seed, (N, D, H) in enumerate(STEP_SHAPES):
        rng = np.random.default_rng(11200 + seed)
        inputs = _step_inputs(rng, N, D, H)
        dnext_h = rng.standard_normal((N, H))
        shapes = _shapes(N=N, D=D, H=H)
        size_hint = SHAPE_HINT if 1 in (N, D, H) else ""
        _, cache = _pair(_call(rnn_step_forward, f"for {shapes}", *inputs, hint=size_hint),
                         "rnn_step_forward", "(next_h, cache)")
        grads = _grads(_call(rnn_step_backward, f"for {shapes}", dnext_h, cache,
                             hint=size_hint), "rnn_step_backward", STEP_GRADS)
        expected = ref.rnn_step_backward(dnext_h, ref.rnn_step_forward(*inputs)[1])
        _check_grads(grads, expected, STEP_GRADS, f"of rnn_step_backward for {shapes}",
                     hint=f"{STEP_HINT} {size_hint}".rstrip())
        if seed == 0:  # numerically once: the comparisons with the reference are exact, and a
            # numerical gradient costs two calls of the forward pass per input entry
            check_backward(rnn_step_forward, rnn_step_backward,
                           dict(zip(STEP_INPUTS, inputs, strict=True)), rng=rng)
    # dnext_h, and every input of the forward pass, as a view: the same gradients.
    rng = np.random.default_rng(11230)
    inputs = _step_inputs(rng, 4, 3, 5)
    dnext_h = rng.standard_normal((4, 5))
    expected = ref.rnn_step_backward(dnext_h, ref.rnn_step_forward(*inputs)[1])
    for what, view in layouts(dnext_h):     # a fresh cache each time: one use per cache
        where = f"when dnext_h is {what}"
        _, cache = rnn_step_forward(*inputs)
        grads = _grads(_call(rnn_step_backward, where, view, cache, hint=LAYOUT_HINT),
                       "rnn_step_backward", STEP_GRADS)
        _check_grads(grads, expected, STEP_GRADS, f"of rnn_step_backward {where}",
                     hint=LAYOUT_HINT)
    for name, what, case in _each_as_view(inputs, STEP_INPUTS):
        where = f"when the forward pass's {name} is {what}"
        _, cache = _pair(_call(rnn_step_forward, where, *case, hint=LAYOUT_HINT),
                         "rnn_step_forward", "(next_h, cache)")
        grads = _grads(_call(rnn_step_backward, where, dnext_h, cache, hint=LAYOUT_HINT),
                       "rnn_step_backward", STEP_GRADS)
        _check_grads(grads, expected, STEP_GRADS, f"of rnn_step_backward {where}",
                     hint=LAYOUT_HINT)
    # float32, and a second backward pass through the same cache.
    rng = np.random.default_rng(11250)
    inputs = _step_inputs(rng, 3, 4, 2)
    dnext_h = rng.standard_normal((3, 2))
    _, cache = rnn_step_forward(*(a.astype(np.float32) for a in inputs))
    grads = _grads(_call(rnn_step_backward, "for float32 inputs", dnext_h.astype(np.float32),
                         cache), "rnn_step_backward", STEP_GRADS)
    expected = ref.rnn_step_backward(dnext_h, ref.rnn_step_forward(*inputs)[1])
    _check_grads(grads, expected, STEP_GRADS, "of rnn_step_backward for float32 inputs",
                 dtype=np.float32, **FLOAT32)
    again = _grads(_call(rnn_step_backward, "on a second call through the same cache",
                         dnext_h.astype(np.float32), cache, hint=CACHE_HINT),
                   "rnn_step_backward", STEP_GRADS)
    _check_grads(again, grads, STEP_GRADS,
                 "of rnn_step_backward on a second call through the same cache",
                 dtype=np.float32, hint=CACHE_HINT)


def check_rnn_forward(rnn_forward):
    """Size-1 axes, every input as a view (x Fortran-ordered too), float32, repeated calls."""
    ref = reference(ASSIGNMENT)
    hint = ("h has shape (N, T, H); h[:, t] is the state after reading x[:, t], starting from "
            "prev_h = h0 and carrying each state to the next step.")
    for seed, (N, T, D, H) in enumerate(SEQUENCE_SHAPES):
        rng = np.random.default_rng(11300 + seed)
        inputs = _sequence_inputs(rng, N, T, D, H)
        shapes = _shapes(N=N, T=T, D=D, H=H)
        size_hint = SHAPE_HINT if 1 in (N, T, D, H) else ""
        h, _ = _pair(_call(rnn_forward, f"for {shapes}", *inputs, hint=size_hint),
                     "rnn_forward", "(h, cache)")
        check_close(h, ref.rnn_forward(*inputs)[0], f"h of rnn_forward for {shapes}",
                    dtype=np.float64, hint=f"{hint} {size_hint}".rstrip())
    # Every input in turn as a view (x also Fortran-ordered): the same states.
    rng = np.random.default_rng(11350)
    inputs = _sequence_inputs(rng, 2, 5, 3, 4)
    expected = ref.rnn_forward(*inputs)[0]
    for name, what, case in _each_as_view(inputs, SEQUENCE_INPUTS):
        where = f"when {name} is {what}"
        h, _ = _pair(_call(rnn_forward, where, *case, hint=LAYOUT_HINT), "rnn_forward",
                     "(h, cache)")
        check_close(h, expected, f"h of rnn_forward {where}", dtype=np.float64,
                    hint=LAYOUT_HINT)
    # float32 stays float32; a second call on the same inputs gives the same states.
    inputs = _sequence_inputs(rng, 3, 4, 3, 4)
    inputs32 = tuple(a.astype(np.float32) for a in inputs)
    first, _ = _pair(_call(rnn_forward, "for float32 inputs", *inputs32), "rnn_forward",
                     "(h, cache)")
    check_close(first, ref.rnn_forward(*inputs)[0], "h of rnn_forward for float32 inputs",
                dtype=np.float32, **FLOAT32)
    check_close(_call(rnn_forward, "on a second call", *inputs32)[0], first,
                "h of a second call of rnn_forward on the same inputs",
                hint="rnn_forward must not keep or change state between calls.")


def check_rnn_backward(rnn_forward, rnn_backward):
    """Size-1 axes, a gradient at the last step only, views, float32, reused caches."""
    ref = reference(ASSIGNMENT)
    for seed, (N, T, D, H) in enumerate(SEQUENCE_SHAPES):
        rng = np.random.default_rng(11400 + seed)
        inputs = _sequence_inputs(rng, N, T, D, H)
        dh_all = rng.standard_normal((N, T, H))
        dh_last = np.zeros((N, T, H))
        dh_last[:, -1] = dh_all[:, -1]             # it must travel back through every step
        shapes = _shapes(N=N, T=T, D=D, H=H)
        size_hint = SHAPE_HINT if 1 in (N, T, D, H) else ""
        for label, dh in (("a gradient at every step", dh_all),
                          ("a gradient at the last step only", dh_last)):
            where = f"for {shapes}, {label}"
            _, cache = _pair(_call(rnn_forward, where, *inputs, hint=size_hint),
                             "rnn_forward", "(h, cache)")
            grads = _grads(_call(rnn_backward, where, dh, cache, hint=size_hint),
                           "rnn_backward", SEQUENCE_GRADS)
            expected = ref.rnn_backward(dh, ref.rnn_forward(*inputs)[1])
            _check_grads(grads, expected, SEQUENCE_GRADS, f"of rnn_backward {where}",
                         hint=f"{BPTT_HINT} {size_hint}".rstrip())
        if seed == 0:  # numerically once, as for rnn_step_backward
            check_backward(rnn_forward, rnn_backward,
                           dict(zip(SEQUENCE_INPUTS, inputs, strict=True)), rng=rng)
    # dh, and every input of the forward pass, as a view (Fortran-ordered too).
    rng = np.random.default_rng(11430)
    inputs = _sequence_inputs(rng, 3, 4, 2, 5)
    dh = rng.standard_normal((3, 4, 5))
    expected = ref.rnn_backward(dh, ref.rnn_forward(*inputs)[1])
    for what, view in layouts(dh):          # a fresh cache each time: one use per cache
        where = f"when dh is {what}"
        _, cache = rnn_forward(*inputs)
        grads = _grads(_call(rnn_backward, where, view, cache, hint=LAYOUT_HINT),
                       "rnn_backward", SEQUENCE_GRADS)
        _check_grads(grads, expected, SEQUENCE_GRADS, f"of rnn_backward {where}",
                     hint=LAYOUT_HINT)
    for name, what, case in _each_as_view(inputs, SEQUENCE_INPUTS):
        where = f"when the forward pass's {name} is {what}"
        _, cache = _pair(_call(rnn_forward, where, *case, hint=LAYOUT_HINT), "rnn_forward",
                         "(h, cache)")
        grads = _grads(_call(rnn_backward, where, dh, cache, hint=LAYOUT_HINT),
                       "rnn_backward", SEQUENCE_GRADS)
        _check_grads(grads, expected, SEQUENCE_GRADS, f"of rnn_backward {where}",
                     hint=LAYOUT_HINT)
    # float32, a second backward pass through the same cache, and through the cache of an
    # earlier forward call after another sequence was run.
    rng = np.random.default_rng(11450)
    inputs = _sequence_inputs(rng, 2, 6, 3, 4)
    other = _sequence_inputs(rng, 2, 6, 3, 4)
    dh = rng.standard_normal((2, 6, 4))
    _, cache = rnn_forward(*(a.astype(np.float32) for a in inputs))
    grads = _grads(_call(rnn_backward, "for float32 inputs", dh.astype(np.float32), cache),
                   "rnn_backward", SEQUENCE_GRADS)
    expected = ref.rnn_backward(dh, ref.rnn_forward(*inputs)[1])
    _check_grads(grads, expected, SEQUENCE_GRADS, "of rnn_backward for float32 inputs",
                 dtype=np.float32, **FLOAT32)
    where = "on a second call through the same cache"
    again = _grads(_call(rnn_backward, where, dh.astype(np.float32), cache, hint=CACHE_HINT),
                   "rnn_backward", SEQUENCE_GRADS)
    _check_grads(again, grads, SEQUENCE_GRADS, f"of rnn_backward {where}", dtype=np.float32,
                 hint=CACHE_HINT)
    _, first_cache = rnn_forward(*inputs)
    _, other_cache = rnn_forward(*other)
    for label, case, step_cache in (("the first", inputs, first_cache),
                                    ("the second", other, other_cache)):
        where = f"through the cache of {label} of two rnn_forward calls on other sequences"
        grads = _grads(_call(rnn_backward, where, dh, step_cache), "rnn_backward",
                       SEQUENCE_GRADS)
        _check_grads(grads, ref.rnn_backward(dh, ref.rnn_forward(*case)[1]), SEQUENCE_GRADS,
                     f"of rnn_backward {where}",
                     hint="Everything a backward pass needs must be in its own cache: nothing "
                          "kept between calls (in a global, or a default argument).")


def _global_norm(grads):
    return float(np.sqrt(sum(np.sum(np.asarray(g, dtype=np.float64) ** 2)
                             for g in grads.values())))


CLIP_HINT = ("If norm > max_norm, multiply every array by max_norm / norm (one factor for all); "
             "otherwise return the values unchanged.")


def _check_clipped(clip_gradients, grads, max_norm, label, hint=CLIP_HINT):
    """Clip ``grads`` and compare with the reference, dtypes and all; returns the result."""
    ref = reference(ASSIGNMENT)
    clipped, norm = _pair(_call(clip_gradients, f"for gradients {label}", grads, max_norm,
                                hint=hint, quiet=True), "clip_gradients", "(clipped, norm)")
    expected, expected_norm = ref.clip_gradients(grads, max_norm)
    check_close(norm, expected_norm, f"the norm returned by clip_gradients, gradients {label}",
                hint="The global norm before clipping: np.sqrt of the sum of the squares of "
                     "every entry of every array.")
    check_true(isinstance(clipped, dict) and sorted(clipped) == sorted(grads),
               f"clip_gradients should return a dict with the keys {sorted(grads)}, gradients "
               f"{label}.")
    for name, g in grads.items():
        check_close(clipped[name], expected[name], f"clipped[{name!r}], gradients {label}",
                    dtype=g.dtype, hint=hint)
    return clipped, norm


def check_clip_gradients(clip_gradients):
    """Above, at and below the threshold, inf, an int, one array, any shapes, views, float32,
    all zeros (no warning), a second call, clipping what was clipped."""
    rng = np.random.default_rng(11500)
    shapes = {"Wx": (2, 5), "Wh": (5, 5), "b": (5,), "W_out": (5, 3), "b_out": (3,)}
    grads = {name: rng.standard_normal(shape) for name, shape in shapes.items()}
    norm = _global_norm(grads)
    cases = (("well above the threshold", grads, norm / 4),
             ("just above the threshold", grads, norm * 0.999),
             ("exactly at the threshold", grads, norm),
             ("below the threshold", grads, norm * 3),
             ("with max_norm = np.inf", grads, np.inf),
             ("with a Python int max_norm", grads, 2),
             ("of one array", {"W": rng.standard_normal((3, 4))}, 0.5),
             ("float32", {name: g.astype(np.float32) for name, g in grads.items()}, norm / 3))
    for label, case, max_norm in cases:
        _check_clipped(clip_gradients, case, max_norm, label)
    # Arrays of any shape: a 4-D filter, a 0-d scalar, a single entry.
    odd = {"filters": rng.standard_normal((3, 2, 2, 2)), "scale": np.array(1.5),
           "b": rng.standard_normal(1)}
    _check_clipped(clip_gradients, odd, 1.0,
                   "of shapes (3, 2, 2, 2), () and (1,) (a 0-d scalar and a size-1 array)",
                   hint="The global norm counts every entry of every array, of any shape, a 0-d "
                        "array too: np.sum(g ** 2) works for all of them.")
    # Each array in turn as a view: the same numbers.
    for name, g in grads.items():
        for what, view in layouts(g):
            _check_clipped(clip_gradients, {**grads, name: view}, norm / 4,
                           f"when grads[{name!r}] is {what}", hint=LAYOUT_HINT)
    # All zeros: norm 0, nothing to scale, no division by zero (a warning scores the cell 0).
    for dtype in (np.float64, np.float32):
        zeros = {"W": np.zeros((3, 2), dtype), "b": np.zeros(2, dtype)}
        _check_clipped(clip_gradients, zeros, 1.0, f"all zero ({np.dtype(dtype)})",
                       hint="Gradients that are all zero have the norm 0 and come back "
                            "unchanged: compute max_norm / norm only when norm > max_norm.")
    # A second call on the same gradients, and clipping the clipped gradients again.
    max_norm = norm / 2
    first, _ = _check_clipped(clip_gradients, grads, max_norm, "above the threshold")
    _check_clipped(clip_gradients, grads, max_norm, "above the threshold, on a second call",
                   hint="clip_gradients must not change its input or keep state between calls.")
    again, again_norm = _pair(_call(clip_gradients, "on a second call on its own result",
                                    first, max_norm, quiet=True),
                              "clip_gradients", "(clipped, norm)")
    check_close(again_norm, max_norm, "the norm of clipped gradients, on a second call of "
                "clip_gradients on its own result",
                hint="Clipped gradients have the norm max_norm exactly (up to rounding).")
    for name in grads:
        check_close(again[name], first[name], f"clipped[{name!r}] on a second call of "
                    "clip_gradients on its own result",
                    hint="Clipping gradients already at max_norm changes nothing.")
