"""Hidden tests of notebook 07 (convolutional networks). Each takes the student's function(s).

The shapes are the awkward ones the public tests leave out: odd sizes, a stride that does not
divide the padded size, non-square kernels and pools, a batch of one image, float32 inputs.
"""
import time

import numpy as np

from dlcourse.testing import (
    call_unmutated,
    check_backward,
    check_close,
    check_dtype,
    check_true,
    describe,
)

from . import reference
from .inputs import layouts

ASSIGNMENT = "07_cnn"

# (x shape, w shape, conv_param): odd sizes, stride 2 and 3 with a remainder, non-square kernels,
# a 1x1 output, a batch of one.
CONV_CASES = (
    ((3, 2, 7, 5), (4, 2, 3, 3), {"stride": 1, "pad": 1}),
    ((2, 3, 8, 7), (2, 3, 3, 2), {"stride": 2, "pad": 1}),
    ((1, 1, 5, 5), (3, 1, 5, 5), {"stride": 1, "pad": 0}),
    ((2, 2, 6, 9), (3, 2, 2, 4), {"stride": 3, "pad": 2}),
    ((1, 4, 9, 6), (5, 4, 1, 1), {"stride": 2, "pad": 0}),
)

# (x shape, pool_param): non-square pools, a remainder, overlapping windows, a batch of one.
POOL_CASES = (
    ((3, 2, 7, 5), {"pool_height": 3, "pool_width": 2, "stride": 2}),
    ((1, 1, 4, 4), {"pool_height": 2, "pool_width": 2, "stride": 2}),
    ((2, 3, 5, 6), {"pool_height": 3, "pool_width": 3, "stride": 1}),
    ((2, 1, 6, 7), {"pool_height": 1, "pool_width": 3, "stride": 3}),
)

FLOAT32 = {"rtol": 1e-4, "atol": 1e-4}   # sums of a few hundred float32 products


def _conv_inputs(rng, x_shape, w_shape, dtype=np.float64):
    x = rng.standard_normal(x_shape).astype(dtype)
    w = rng.standard_normal(w_shape).astype(dtype)
    b = rng.standard_normal(w_shape[0]).astype(dtype)
    return x, w, b


def _check_float32(result, what, advice):
    check_dtype(result, np.float32, f"{what} for float32 inputs",
                hint=f"{advice[0].upper()}{advice[1:]}: float32 halves the memory and doubles "
                     "the speed of the training below.")


def _label(x_shape, w_shape, conv_param):
    return f"x {x_shape}, w {w_shape}, stride {conv_param['stride']}, pad {conv_param['pad']}"


def _three_gradients(grads, name):
    """(dx, dw, db) from what the student's backward returned, or a clear failure."""
    try:
        dx, dw, db = grads
    except (TypeError, ValueError):
        check_true(False, f"{name} should return the tuple (dx, dw, db), not "
                          f"{describe(grads)}.")
    return dx, dw, db


def check_conv_forward_naive(conv_forward_naive):
    """Other shapes, strides and paddings, non-square inputs and filters, float32; inputs not
    mutated."""
    ref = reference(ASSIGNMENT)
    # Non-square float32 images and filters (kept float32) in every memory layout: x in each
    # layout with w in another, so that few calls cover them all (each call crosses to the
    # student's process when graded).
    x_shape, w_shape, conv_param = (2, 3, 4, 6), (2, 3, 3, 2), {"stride": 2, "pad": 1}
    x, w, b = _conv_inputs(np.random.default_rng(7150), x_shape, w_shape, np.float32)
    expected = ref.conv_forward_naive(*(a.astype(np.float64) for a in (x, w, b)), conv_param)[0]
    x_views = [(f"a float32 {x_shape} array", x), *layouts(x)]
    w_views = [(f"a float32 {w_shape} array", w), *layouts(w)]
    for (x_what, x_view), (w_what, w_view) in zip(x_views, w_views[:1] + w_views[:0:-1],
                                                  strict=True):
        out, _ = call_unmutated(conv_forward_naive, x_view, w_view, b, dict(conv_param))
        check_close(out, expected, f"out of conv_forward_naive for images x given as {x_what} "
                    f"and filters w as {w_what}, stride 2, pad 1 (non-square)",
                    dtype=np.float32, **FLOAT32,
                    hint="H' = 1 + (H + 2P - HH) // S and W' = 1 + (W + 2P - WW) // S; out has "
                         "the dtype of x and w (create it with dtype=x.dtype); read x and w by "
                         "their axes, never by their memory order (ravel(order='K'), strides "
                         "computed from the shape).")
    for seed, (x_shape, w_shape, conv_param) in enumerate(CONV_CASES):
        x, w, b = _conv_inputs(np.random.default_rng(7100 + seed), x_shape, w_shape)
        out, _ = call_unmutated(conv_forward_naive, x, w, b, dict(conv_param))
        check_close(out, ref.conv_forward_naive(x, w, b, conv_param)[0],
                    f"out of conv_forward_naive for {_label(x_shape, w_shape, conv_param)}",
                    hint="H' = 1 + (H + 2P - HH) // S and W' = 1 + (W + 2P - WW) // S; windows "
                         "start at row i * S and column j * S of the padded input.")


def check_conv_backward_naive(conv_backward_naive):
    """dx, dw, db against the reference on other shapes, strides and paddings; inputs and cache
    not mutated."""
    ref = reference(ASSIGNMENT)
    for seed, (x_shape, w_shape, conv_param) in enumerate(CONV_CASES):
        rng = np.random.default_rng(7200 + seed)
        x, w, b = _conv_inputs(rng, x_shape, w_shape)
        out, cache = ref.conv_forward_naive(x, w, b, conv_param)
        dout = rng.standard_normal(out.shape)
        grads = _three_gradients(call_unmutated(conv_backward_naive, dout, cache),
                                 "conv_backward_naive")
        expected = ref.conv_backward_naive(dout, cache)
        for name, got, right in zip(("dx", "dw", "db"), grads, expected, strict=False):
            check_close(got, right, f"{name} of conv_backward_naive for "
                        f"{_label(x_shape, w_shape, conv_param)}", batch_size=x_shape[0])
    # The cache's x and dout in every memory layout, float32 kept; called twice on one cache.
    rng = np.random.default_rng(7240)
    x_shape, w_shape, conv_param = (2, 2, 5, 4), (3, 2, 2, 3), {"stride": 1, "pad": 1}
    x, w, b = _conv_inputs(rng, x_shape, w_shape, np.float32)
    out = ref.conv_forward_naive(x, w, b, conv_param)[0]
    dout = rng.standard_normal(out.shape).astype(np.float32)
    expected = ref.conv_backward_naive(dout.astype(np.float64), ref.conv_forward_naive(
        *(a.astype(np.float64) for a in (x, w, b)), conv_param)[1])
    inputs = [(f"a float32 {x_shape} array", x, dout)] + [
        (what, x_view, dout_view) for (what, x_view), (_, dout_view)
        in zip(layouts(x), layouts(dout), strict=True)]
    for k, (what, x_view, dout_view) in enumerate(inputs):
        view_cache = (x_view, w, b, dict(conv_param))
        label = f"for x and dout given as {what} (float32)"
        grads = _three_gradients(call_unmutated(conv_backward_naive, dout_view, view_cache),
                                 "conv_backward_naive")
        for name, got, right in zip(("dx", "dw", "db"), grads, expected, strict=False):
            check_close(got, right, f"{name} of conv_backward_naive {label}", dtype=np.float32,
                        batch_size=x_shape[0], **FLOAT32,
                        hint="Gradients have the dtype of x, w and dout (np.zeros_like keeps "
                             "it); index arrays by their axes, never by memory order.")
        if k:
            continue
        again = _three_gradients(conv_backward_naive(dout_view, view_cache),
                                 "conv_backward_naive")
        for name, got, right in zip(("dx", "dw", "db"), again, expected, strict=False):
            check_close(got, right, f"{name} of conv_backward_naive called a second time with "
                        f"the same cache, {label}", **FLOAT32,
                        hint="The backward pass must not modify the cache or dout.")
    rng = np.random.default_rng(7250)
    check_backward(ref.conv_forward_naive, conv_backward_naive,
                   {"x": rng.standard_normal((2, 2, 5, 7)), "w": rng.standard_normal((2, 2, 2, 3)),
                    "b": rng.standard_normal(2)}, rng=rng, extra_args=({"stride": 2, "pad": 1},))


def check_max_pool_forward_naive(max_pool_forward_naive):
    """Other pool sizes and strides, non-square inputs, ties and negative values."""
    ref = reference(ASSIGNMENT)
    for seed, (x_shape, pool_param) in enumerate(POOL_CASES):
        x = np.random.default_rng(7300 + seed).standard_normal(x_shape)
        out, _ = call_unmutated(max_pool_forward_naive, x, dict(pool_param))
        check_close(out, ref.max_pool_forward_naive(x, pool_param)[0],
                    f"out of max_pool_forward_naive for x {x_shape}, {pool_param}",
                    hint="H' = 1 + (H - pool_height) // stride, W' = 1 + (W - pool_width) // "
                         "stride; windows are pool_height rows by pool_width columns.")
    # Every memory layout, float32 kept.
    x = np.random.default_rng(7350).standard_normal((2, 3, 5, 4)).astype(np.float32)
    pool_param = {"pool_height": 2, "pool_width": 3, "stride": 1}
    expected = ref.max_pool_forward_naive(x, pool_param)[0]
    for what, x_view in [("a float32 (2, 3, 5, 4) array", x), *layouts(x)]:
        out, _ = call_unmutated(max_pool_forward_naive, x_view, dict(pool_param))
        check_close(out, expected, f"out of max_pool_forward_naive for x given as {what}, 2x3 "
                    "windows, stride 1", dtype=np.float32,
                    hint="out has the dtype of x (create it with dtype=x.dtype); index x by its "
                         "axes, never by its memory order.")

def check_max_pool_backward_naive(max_pool_backward_naive):
    """The gradient goes to the maximum of each window on other shapes and strides; inputs not
    mutated."""
    ref = reference(ASSIGNMENT)
    for seed, (x_shape, pool_param) in enumerate(POOL_CASES):
        rng = np.random.default_rng(7400 + seed)
        x = rng.standard_normal(x_shape)
        out, cache = ref.max_pool_forward_naive(x, pool_param)
        dout = rng.standard_normal(out.shape)
        check_close(call_unmutated(max_pool_backward_naive, dout, cache),
                    ref.max_pool_backward_naive(dout, cache),
                    f"dx of max_pool_backward_naive for x {x_shape}, {pool_param}",
                    hint="Each dout[n, c, i, j] goes to the maximum of its own window; windows "
                         "that overlap add up (+=).")
    # The cache's x and dout in every memory layout, float32 kept; called twice on one cache.
    rng = np.random.default_rng(7440)
    x = rng.standard_normal((2, 3, 5, 4)).astype(np.float32)
    pool_param = {"pool_height": 2, "pool_width": 2, "stride": 1}
    out, cache = ref.max_pool_forward_naive(x, pool_param)
    dout = rng.standard_normal(out.shape).astype(np.float32)
    expected = ref.max_pool_backward_naive(dout, cache)
    inputs = [("a float32 (2, 3, 5, 4) array", x, dout)] + [
        (f"{what} (float32)", x_view, dout_view) for (what, x_view), (_, dout_view)
        in zip(layouts(x), layouts(dout), strict=True)]
    for k, (what, x_view, dout_view) in enumerate(inputs):
        view_cache = (x_view, dict(pool_param))
        dx = call_unmutated(max_pool_backward_naive, dout_view, view_cache)
        label = f"dx of max_pool_backward_naive for x and dout given as {what}"
        check_close(dx, expected, label, dtype=np.float32,
                    hint="dx has the dtype of x (np.zeros_like(x) keeps it); write into dx by "
                         "its axes: dx.reshape(...) or dx.ravel() of a view is a copy, and what "
                         "you write there is lost.")
        if not k:
            check_close(max_pool_backward_naive(dout_view, view_cache), expected,
                        f"{label}, called a second time with the same cache",
                        hint="The backward pass must not modify the cache or dout.")
    # Ties: small integers make many windows with two equal maxima.
    rng = np.random.default_rng(7450)
    x = rng.integers(0, 3, size=(2, 2, 4, 6)).astype(np.float64)
    pool_param = {"pool_height": 2, "pool_width": 2, "stride": 2}
    out, cache = ref.max_pool_forward_naive(x, pool_param)
    dout = rng.standard_normal(out.shape)
    check_close(max_pool_backward_naive(dout, cache), ref.max_pool_backward_naive(dout, cache),
                "dx of max_pool_backward_naive when windows hold ties (several equal maxima)",
                hint="With ties, the whole gradient goes to the first maximum, the one np.argmax "
                     "picks; the other maxima get 0.")


def check_im2col(im2col):
    """The images-last column layout on other shapes, strides and paddings, float32, views."""
    ref = reference(ASSIGNMENT)
    for seed, (x_shape, w_shape, conv_param) in enumerate(CONV_CASES):
        x = np.random.default_rng(7500 + seed).standard_normal(x_shape)
        HH, WW = w_shape[2:]
        stride, pad = conv_param["stride"], conv_param["pad"]
        check_close(call_unmutated(im2col, x, HH, WW, stride, pad),
                    ref.im2col(x, HH, WW, stride, pad),
                    f"im2col for x {x_shape}, a {HH}x{WW} window, stride {stride}, pad {pad}",
                    hint="Rows in the order (c, k, l), columns in the order (i, j, n), the image "
                         "last; windows start every `stride` pixels of the padded image.")
    # Images in another memory order (a transposed view, Fortran order): the same columns.
    x = np.random.default_rng(7540).standard_normal((3, 2, 6, 5))
    for label, layout in (("a transposed view", np.ascontiguousarray(x.transpose(1, 2, 3, 0))
                           .transpose(3, 0, 1, 2)), ("Fortran order", np.asfortranarray(x))):
        check_close(im2col(layout, 3, 3, 1, 1), ref.im2col(x, 3, 3, 1, 1),
                    f"im2col for images x (3, 2, 6, 5) given as {label}",
                    hint="Index x by its axes (transpose, slices), never by its memory: "
                         "np.ravel or np.frombuffer read memory order.")
    x = np.random.default_rng(7550).standard_normal((2, 3, 6, 5)).astype(np.float32)
    _check_float32(im2col(x, 3, 3, 1, 1), "im2col's output", "keep the dtype of x")


def check_col2im(col2im):
    """Overlapping windows add up (col2im is im2col's adjoint) on other shapes, strides and
    paddings."""
    ref = reference(ASSIGNMENT)
    for seed, (x_shape, w_shape, conv_param) in enumerate(CONV_CASES):
        rng = np.random.default_rng(7560 + seed)
        HH, WW = w_shape[2:]
        stride, pad = conv_param["stride"], conv_param["pad"]
        cols = rng.standard_normal(ref.im2col(np.zeros(x_shape), HH, WW, stride, pad).shape)
        check_close(call_unmutated(col2im, cols, x_shape, HH, WW, stride, pad),
                    ref.col2im(cols, x_shape, HH, WW, stride, pad),
                    f"col2im for x {x_shape}, a {HH}x{WW} window, stride {stride}, pad {pad}",
                    hint="Add each entry back where im2col took it from (+=), then crop the "
                         "padding.")
    cols = np.random.default_rng(7590).standard_normal((3 * 3 * 3, 6 * 5 * 2)).astype(np.float32)
    _check_float32(col2im(cols, (2, 3, 6, 5), 3, 3, 1, 1), "col2im's output",
                   "create the array you add into with dtype=cols.dtype")


def _best_of(repeats, function, *args):
    """The fastest of a few runs, in seconds (the least disturbed by other processes)."""
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        function(*args)
        best = min(best, time.perf_counter() - start)
    return best


def check_conv_forward_fast(conv_forward_fast):
    """Equal to the naive convolution on other shapes, layouts and dtypes, and vectorised (much
    faster than loops)."""
    ref = reference(ASSIGNMENT)
    for seed, (x_shape, w_shape, conv_param) in enumerate(CONV_CASES):
        x, w, b = _conv_inputs(np.random.default_rng(7600 + seed), x_shape, w_shape)
        out, _ = call_unmutated(conv_forward_fast, x, w, b, dict(conv_param))
        check_close(out, ref.conv_forward_naive(x, w, b, conv_param)[0],
                    f"out of conv_forward_fast for {_label(x_shape, w_shape, conv_param)}",
                    hint="The (F, H'*W'*N) product is (F, H', W', N) with the image last: "
                         "reshape it so, then move the image axis first with transpose.")
    x, w, b = _conv_inputs(np.random.default_rng(7640), (3, 2, 6, 5), (4, 2, 3, 3))
    for label, layout in (("a transposed view", np.ascontiguousarray(x.transpose(1, 2, 3, 0))
                           .transpose(3, 0, 1, 2)), ("Fortran order", np.asfortranarray(x))):
        check_close(conv_forward_fast(layout, w, b, {"stride": 1, "pad": 1})[0],
                    ref.conv_forward_naive(x, w, b, {"stride": 1, "pad": 1})[0],
                    f"out of conv_forward_fast for x (3, 2, 6, 5) given as {label}")
    x, w, b = _conv_inputs(np.random.default_rng(7650), (4, 1, 28, 28), (8, 1, 5, 5), np.float32)
    out, _ = conv_forward_fast(x, w, b, {"stride": 1, "pad": 2})
    _check_float32(out, "conv_forward_fast's output (MNIST-sized inputs)",
                   "a float64 array anywhere (np.zeros without dtype) makes the product float64")
    check_close(out, ref.conv_forward_naive(*(a.astype(np.float64) for a in (x, w, b)),
                                            {"stride": 1, "pad": 2})[0],
                "out of conv_forward_fast for float32 inputs (4, 1, 28, 28), 8 filters 5x5, "
                "pad 2", **FLOAT32)
    # Vectorised, not loops in disguise. Not a time limit: a ratio to the loops of the
    # reference on the same machine, measured in the same run. Loops over images and pixels
    # run at the loops' speed (a ratio near 1); a vectorised layer is about a hundred times
    # faster, enough to absorb a busy machine and the cost of calling into a sandbox. Both sides
    # take their best of three runs: one run of either can be slowed several times over by a
    # busy machine.
    x, w, b = _conv_inputs(np.random.default_rng(7660), (8, 3, 16, 16), (8, 3, 3, 3))
    same = {"stride": 1, "pad": 1}
    speed_up = _best_of(3, ref.conv_forward_naive, x, w, b, same) / _best_of(
        3, conv_forward_fast, x, w, b, same)
    check_true(speed_up > 4,
               f"conv_forward_fast is only {speed_up:.1f} times faster than loops over images "
               "and pixels on x (8, 3, 16, 16) with 8 filters 3x3 (a vectorised one is about a "
               "hundred times faster). Build cols without a Python loop over images or pixels, "
               "and call no naive function.")


def check_conv_backward_fast(conv_forward_fast, conv_backward_fast):
    """Equal to the naive backward on other shapes and memory layouts, twice on one cache,
    float32, need_dx=False."""
    ref = reference(ASSIGNMENT)
    for seed, (x_shape, w_shape, conv_param) in enumerate(CONV_CASES):
        rng = np.random.default_rng(7700 + seed)
        x, w, b = _conv_inputs(rng, x_shape, w_shape)
        out, cache = conv_forward_fast(x, w, b, dict(conv_param))
        dout = rng.standard_normal(np.shape(out))
        grads = _three_gradients(call_unmutated(conv_backward_fast, dout, cache),
                                 "conv_backward_fast")
        expected = ref.conv_backward_naive(dout, ref.conv_forward_naive(x, w, b, conv_param)[1])
        for name, got, right in zip(("dx", "dw", "db"), grads, expected, strict=False):
            check_close(got, right, f"{name} of conv_backward_fast for "
                        f"{_label(x_shape, w_shape, conv_param)}", batch_size=x_shape[0])
        # The same cache again: a backward pass that changed it gives other numbers now.
        again = _three_gradients(conv_backward_fast(dout, cache), "conv_backward_fast")
        for name, got, right in zip(("dx", "dw", "db"), again, expected, strict=False):
            check_close(got, right, f"{name} of conv_backward_fast called a second time with "
                        f"the same cache ({_label(x_shape, w_shape, conv_param)})",
                        hint="The backward pass must not modify the cache (cols) in place.")
        dx, dw, db = _three_gradients(conv_backward_fast(dout, cache, need_dx=False),
                                      "conv_backward_fast with need_dx=False")
        check_true(dx is None, "conv_backward_fast(dout, cache, need_dx=False) should return "
                   f"None in place of dx, not {type(dx).__name__}.")
        check_close(dw, expected[1], f"dw of conv_backward_fast with need_dx=False for "
                    f"{_label(x_shape, w_shape, conv_param)}")
        check_close(db, expected[2], f"db of conv_backward_fast with need_dx=False for "
                    f"{_label(x_shape, w_shape, conv_param)}")
    # dout in another memory order (N-first contiguous, Fortran order) than the output's.
    rng = np.random.default_rng(7740)
    x, w, b = _conv_inputs(rng, (3, 2, 6, 5), (4, 2, 3, 3))
    same = {"stride": 1, "pad": 1}
    out, cache = conv_forward_fast(x, w, b, same)
    dout = rng.standard_normal(np.shape(out))
    expected = ref.conv_backward_naive(dout, ref.conv_forward_naive(x, w, b, same)[1])
    for label, layout in (("C order", np.ascontiguousarray(dout)),
                          ("Fortran order", np.asfortranarray(dout))):
        grads = _three_gradients(conv_backward_fast(layout, cache), "conv_backward_fast")
        for name, got, right in zip(("dx", "dw", "db"), grads, expected, strict=False):
            check_close(got, right, f"{name} of conv_backward_fast for dout in {label}")
    rng = np.random.default_rng(7750)
    x, w, b = _conv_inputs(rng, (8, 4, 14, 14), (6, 4, 5, 5), np.float32)
    same = {"stride": 1, "pad": 2}
    out, cache = conv_forward_fast(x, w, b, same)
    dout = rng.standard_normal(np.shape(out)).astype(np.float32)
    grads = _three_gradients(conv_backward_fast(dout, cache), "conv_backward_fast")
    expected = ref.conv_backward_naive(
        dout.astype(np.float64), ref.conv_forward_naive(*(a.astype(np.float64) for a in (x, w, b)),
                                                        same)[1])
    for name, got, right in zip(("dx", "dw", "db"), grads, expected, strict=False):
        _check_float32(got, f"{name} from conv_backward_fast",
                       "keep every intermediate array in the dtype of dout and cols")
        scale = float(np.abs(right).max())
        check_close(got, right, f"{name} of conv_backward_fast for float32 inputs "
                    "(8, 4, 14, 14), 6 filters 5x5, pad 2", rtol=1e-4, atol=1e-5 * scale)


# --- Other kinds of input for the fast layer (issue 15): every memory layout of every array
# argument, float32 kept, a batch of one. Added beside the checks above, which they complete.

def check_im2col_kinds(im2col):
    """im2col of float32 images as strided and reversed views (float32 kept), and of one image
    with a 1x1 window (check_im2col tries transposed views and Fortran order)."""
    ref = reference(ASSIGNMENT)
    x = np.random.default_rng(7545).standard_normal((3, 2, 5, 4)).astype(np.float32)
    expected = ref.im2col(x, 3, 2, 2, 1)
    for what, x_view in list(layouts(x))[2:]:
        cols = call_unmutated(im2col, x_view, 3, 2, 2, 1)
        check_close(cols, expected, f"im2col of images x given as {what}, a 3x2 window, "
                    "stride 2, pad 1", dtype=np.float32,
                    hint="Index x by its axes (transpose, slices, sliding_window_view), never by "
                         "its memory: ravel(order='K'), np.frombuffer or strides computed from "
                         "the shape read memory order. Keep the dtype of x.")
    one = np.random.default_rng(7546).standard_normal((1, 3, 2, 3))
    check_close(call_unmutated(im2col, one, 1, 1, 1, 0), ref.im2col(one, 1, 1, 1, 0),
                "im2col of a batch of one image (1, 3, 2, 3) with a 1x1 window",
                hint="A 1x1 window: cols holds every pixel once, rows (c), columns (i, j, n).")


def check_col2im_kinds(col2im):
    """col2im of float32 cols in every memory layout, float32 kept."""
    ref = reference(ASSIGNMENT)
    x_shape, HH, WW, stride, pad = (2, 3, 5, 4), 3, 2, 1, 1
    cols = np.random.default_rng(7595).standard_normal((3 * HH * WW, 5 * 5 * 2))
    cols = cols.astype(np.float32)
    expected = ref.col2im(cols, x_shape, HH, WW, stride, pad)
    for what, cols_view in layouts(cols):
        check_close(call_unmutated(col2im, cols_view, x_shape, HH, WW, stride, pad),
                    expected, f"col2im of cols given as {what} (float32), x {x_shape}, a 3x2 "
                    "window, stride 1, pad 1", dtype=np.float32,
                    hint="Read cols by its axes (reshape, slices), never by its memory; "
                         "create the array you add into with dtype=cols.dtype.")


def check_conv_forward_fast_kinds(conv_forward_fast):
    """The fast forward pass with images, filters and biases in every memory layout, float32
    kept, and one image."""
    ref = reference(ASSIGNMENT)
    x_shape, w_shape, conv_param = (2, 3, 6, 5), (4, 3, 3, 2), {"stride": 1, "pad": 1}
    x, w, b = _conv_inputs(np.random.default_rng(7670), x_shape, w_shape, np.float32)
    expected = ref.conv_forward_naive(*(a.astype(np.float64) for a in (x, w, b)), conv_param)[0]
    label = f"{w_shape[0]} filters 3x2, stride 1, pad 1 (float32)"
    x_views, w_views, b_views = (list(layouts(a)) for a in (x, w, b))
    # check_conv_forward_fast tries x transposed and in Fortran order; here the other layouts of
    # x, with w and b in every layout, a few calls for all of them.
    for (x_what, x_view), (w_what, w_view), (b_what, b_view) in (
            (x_views[2], w_views[0], b_views[0]), (x_views[3], w_views[1], b_views[1]),
            (x_views[2], w_views[2], b_views[1]), (x_views[3], w_views[3], b_views[0])):
        out, _ = call_unmutated(conv_forward_fast, x_view, w_view, b_view, dict(conv_param))
        check_close(out, expected, f"out of conv_forward_fast for images x given as {x_what}, "
                    f"filters w as {w_what} and biases b as {b_what}, {label}",
                    dtype=np.float32, **FLOAT32,
                    hint="Flatten w by its axes, w.reshape(F, -1): ravel(order='K') or "
                         "reshape(..., order='A') follow its memory, which is not (c, k, l) "
                         "for a view or a Fortran-order array.")
    out, _ = call_unmutated(conv_forward_fast, x[:1], w, b, dict(conv_param))
    check_close(out, expected[:1], f"out of conv_forward_fast for a batch of one image, {label}",
                dtype=np.float32, **FLOAT32)


def check_conv_backward_fast_kinds(conv_forward_fast, conv_backward_fast):
    """The fast backward pass with dout as transposed, strided and reversed views, float32 kept
    (check_conv_backward_fast tries C and Fortran order)."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(7760)
    x_shape, w_shape, conv_param = (3, 2, 5, 6), (4, 2, 3, 3), {"stride": 2, "pad": 1}
    x, w, b = _conv_inputs(rng, x_shape, w_shape, np.float32)
    out, cache = conv_forward_fast(x, w, b, dict(conv_param))
    dout = rng.standard_normal(np.shape(out)).astype(np.float32)
    expected = ref.conv_backward_naive(dout.astype(np.float64), ref.conv_forward_naive(
        *(a.astype(np.float64) for a in (x, w, b)), conv_param)[1])
    for what, dout_view in [v for k, v in enumerate(layouts(dout)) if k != 1]:   # not Fortran
        grads = _three_gradients(call_unmutated(conv_backward_fast, dout_view, cache),
                                 "conv_backward_fast")
        for name, got, right in zip(("dx", "dw", "db"), grads, expected, strict=False):
            check_close(got, right, f"{name} of conv_backward_fast for dout given as {what} "
                        f"(float32), x {x_shape}, w {w_shape}, stride 2, pad 1",
                        dtype=np.float32, batch_size=x_shape[0], **FLOAT32,
                        hint="Rearrange dout by its axes, dout.transpose(1, 2, 3, 0).reshape(F, "
                             "-1): reshape(..., order='A') or ravel(order='K') follow its "
                             "memory, which differs from view to view.")
