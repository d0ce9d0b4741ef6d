"""Wrong answers to notebook 07. Names such as `im2col` resolve in the notebook's namespace.

Each wrong answer runs with the notebook's globals, so it imports the helpers it shares with
the others from this module explicitly.
"""
import numpy as np

from . import wrong_answer

A = "07_cnn"


def _out_size(size, kernel, stride, pad):
    return 1 + (size + 2 * pad - kernel) // stride


def _pad(x, pad):
    return np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))


# --- conv_forward_naive ------------------------------------------------------------------------

@wrong_answer(A, "conv_forward_naive", "forgets the bias")
def conv_forward_no_bias(x, w, b, conv_param):
    from wrong_answers.cnn import _out_size, _pad
    stride, pad = conv_param["stride"], conv_param["pad"]
    (N, _C, H, W), (F, _, HH, WW) = x.shape, w.shape
    H_out, W_out = _out_size(H, HH, stride, pad), _out_size(W, WW, stride, pad)
    x_pad, out = _pad(x, pad), np.zeros((N, F, H_out, W_out), dtype=x.dtype)
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    window = x_pad[n, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
                    out[n, f, i, j] = np.sum(window * w[f])
    return out, (x, w, b, conv_param)


@wrong_answer(A, "conv_forward_naive", "windows start at i, not i * stride")
def conv_forward_ignores_stride_in_windows(x, w, b, conv_param):
    from wrong_answers.cnn import _out_size, _pad
    stride, pad = conv_param["stride"], conv_param["pad"]
    (N, _C, H, W), (F, _, HH, WW) = x.shape, w.shape
    H_out, W_out = _out_size(H, HH, stride, pad), _out_size(W, WW, stride, pad)
    x_pad, out = _pad(x, pad), np.zeros((N, F, H_out, W_out), dtype=x.dtype)
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    out[n, f, i, j] = np.sum(x_pad[n, :, i:i + HH, j:j + WW] * w[f]) + b[f]
    return out, (x, w, b, conv_param)


@wrong_answer(A, "conv_forward_naive", "never pads the input", says=("shape",))
def conv_forward_no_padding(x, w, b, conv_param):
    from wrong_answers.cnn import _out_size
    stride = conv_param["stride"]
    (N, _C, H, W), (F, _, HH, WW) = x.shape, w.shape
    H_out, W_out = _out_size(H, HH, stride, 0), _out_size(W, WW, stride, 0)
    out = np.zeros((N, F, H_out, W_out), dtype=x.dtype)
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    window = x[n, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
                    out[n, f, i, j] = np.sum(window * w[f]) + b[f]
    return out, (x, w, b, conv_param)


@wrong_answer(A, "conv_forward_naive", "a true convolution: flips the filter")
def conv_forward_flipped_kernel(x, w, b, conv_param):
    from wrong_answers.cnn import _out_size, _pad
    stride, pad = conv_param["stride"], conv_param["pad"]
    (N, _C, H, W), (F, _, HH, WW) = x.shape, w.shape
    H_out, W_out = _out_size(H, HH, stride, pad), _out_size(W, WW, stride, pad)
    x_pad, out = _pad(x, pad), np.zeros((N, F, H_out, W_out), dtype=x.dtype)
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    window = x_pad[n, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
                    out[n, f, i, j] = np.sum(window * w[f, :, ::-1, ::-1]) + b[f]
    return out, (x, w, b, conv_param)


# --- conv_backward_naive -----------------------------------------------------------------------

def _conv_backward(dout, cache, *, accumulate_dx=True, crop=True, sum_db_over_batch=True,
                   accumulate_dw_over_batch=True):
    x, w, b, conv_param = cache
    stride, pad = conv_param["stride"], conv_param["pad"]
    N, F, H_out, W_out = dout.shape
    HH, WW = w.shape[2:]
    x_pad = _pad(x, pad)
    dx_pad, dw = np.zeros_like(x_pad), np.zeros_like(w)
    db = dout.sum(axis=(0, 2, 3)) if sum_db_over_batch else dout[0].sum(axis=(1, 2))
    for n in range(N):
        dw_image = np.zeros_like(w)
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    rows = slice(i * stride, i * stride + HH)
                    cols = slice(j * stride, j * stride + WW)
                    dw_image[f] += dout[n, f, i, j] * x_pad[n, :, rows, cols]
                    if accumulate_dx:
                        dx_pad[n, :, rows, cols] += dout[n, f, i, j] * w[f]
                    else:
                        dx_pad[n, :, rows, cols] = dout[n, f, i, j] * w[f]
        dw = dw + dw_image if accumulate_dw_over_batch else dw_image
    dx = dx_pad[:, :, pad:pad + x.shape[2], pad:pad + x.shape[3]] if crop else dx_pad
    return dx, dw, db


@wrong_answer(A, "conv_backward_naive", "dx_pad[...] = instead of +=: overlapping windows lost")
def conv_backward_assigns_dx(dout, cache):
    from wrong_answers.cnn import _conv_backward
    return _conv_backward(dout, cache, accumulate_dx=False)


@wrong_answer(A, "conv_backward_naive", "returns the padded dx", says=("shape",))
def conv_backward_keeps_padding(dout, cache):
    from wrong_answers.cnn import _conv_backward
    return _conv_backward(dout, cache, crop=False)


@wrong_answer(A, "conv_backward_naive", "db sums the first image only")
def conv_backward_db_one_image(dout, cache):
    from wrong_answers.cnn import _conv_backward
    return _conv_backward(dout, cache, sum_db_over_batch=False)


@wrong_answer(A, "conv_backward_naive", "dw keeps only the last image's contribution")
def conv_backward_dw_last_image(dout, cache):
    from wrong_answers.cnn import _conv_backward
    return _conv_backward(dout, cache, accumulate_dw_over_batch=False)


# --- max pooling -------------------------------------------------------------------------------

def _pool_windows(x, pool_param):
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    H_out, W_out = 1 + (x.shape[2] - ph) // stride, 1 + (x.shape[3] - pw) // stride
    for i in range(H_out):
        for j in range(W_out):
            yield i, j, (slice(i * stride, i * stride + ph), slice(j * stride, j * stride + pw))


def _pool_shape(x, pool_param):
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    return (*x.shape[:2], 1 + (x.shape[2] - ph) // stride, 1 + (x.shape[3] - pw) // stride)


@wrong_answer(A, "max_pool_forward_naive", "average pooling instead of max")
def max_pool_forward_mean(x, pool_param):
    from wrong_answers.cnn import _pool_shape, _pool_windows
    out = np.zeros(_pool_shape(x, pool_param), dtype=x.dtype)
    for i, j, (rows, cols) in _pool_windows(x, pool_param):
        out[:, :, i, j] = x[:, :, rows, cols].mean(axis=(2, 3))
    return out, (x, pool_param)


@wrong_answer(A, "max_pool_forward_naive", "maximum over the channels too")
def max_pool_forward_across_channels(x, pool_param):
    from wrong_answers.cnn import _pool_shape, _pool_windows
    out = np.zeros(_pool_shape(x, pool_param), dtype=x.dtype)
    for i, j, (rows, cols) in _pool_windows(x, pool_param):
        out[:, :, i, j] = x[:, :, rows, cols].max(axis=(1, 2, 3))[:, None]
    return out, (x, pool_param)


@wrong_answer(A, "max_pool_forward_naive", "pool_height and pool_width swapped")
def max_pool_forward_swapped_window(x, pool_param):
    from wrong_answers.cnn import _pool_shape, _pool_windows
    swapped = dict(pool_param, pool_height=pool_param["pool_width"],
                   pool_width=pool_param["pool_height"])
    out = np.zeros(_pool_shape(x, swapped), dtype=x.dtype)
    for i, j, (rows, cols) in _pool_windows(x, swapped):
        out[:, :, i, j] = x[:, :, rows, cols].max(axis=(2, 3))
    return out, (x, pool_param)


@wrong_answer(A, "max_pool_forward_naive", "output created as float64 whatever x's dtype",
              kind="dtype")
def max_pool_forward_float64(x, pool_param):
    from wrong_answers.cnn import _pool_shape, _pool_windows
    out = np.zeros(_pool_shape(x, pool_param))
    for i, j, (rows, cols) in _pool_windows(x, pool_param):
        out[:, :, i, j] = x[:, :, rows, cols].max(axis=(2, 3))
    return out, (x, pool_param)


@wrong_answer(A, "max_pool_backward_naive", "spreads dout over the whole window")
def max_pool_backward_spread(dout, cache):
    from wrong_answers.cnn import _pool_windows
    x, pool_param = cache
    dx = np.zeros_like(x)
    for i, j, (rows, cols) in _pool_windows(x, pool_param):
        dx[:, :, rows, cols] += dout[:, :, i, j][:, :, None, None]
    return dx


@wrong_answer(A, "max_pool_backward_naive", "dx[...] = instead of +=: overlapping windows lost")
def max_pool_backward_assigns(dout, cache):
    from wrong_answers.cnn import _pool_windows
    x, pool_param = cache
    dx = np.zeros_like(x)
    for i, j, (rows, cols) in _pool_windows(x, pool_param):
        window = x[:, :, rows, cols]
        for n in range(x.shape[0]):
            for c in range(x.shape[1]):
                k, col = np.unravel_index(np.argmax(window[n, c]), window.shape[2:])
                dx[n, c, rows.start + k, cols.start + col] = dout[n, c, i, j]
    return dx


@wrong_answer(A, "max_pool_backward_naive", "a mask x == max: every tied maximum gets the gradient")
def max_pool_backward_mask_ties(dout, cache):
    from wrong_answers.cnn import _pool_windows
    x, pool_param = cache
    dx = np.zeros_like(x)
    for i, j, (rows, cols) in _pool_windows(x, pool_param):
        window = x[:, :, rows, cols]
        mask = window == window.max(axis=(2, 3), keepdims=True)
        dx[:, :, rows, cols] += mask * dout[:, :, i, j][:, :, None, None]
    return dx


@wrong_answer(A, "max_pool_backward_naive", "divmod(argmax, pool_height): row and column mixed up")
def max_pool_backward_wrong_divmod(dout, cache):
    from wrong_answers.cnn import _pool_windows
    x, pool_param = cache
    dx = np.zeros_like(x)
    for i, j, (rows, cols) in _pool_windows(x, pool_param):
        window = x[:, :, rows, cols]
        for n in range(x.shape[0]):
            for c in range(x.shape[1]):
                k, col = divmod(int(np.argmax(window[n, c])), pool_param["pool_height"])
                dx[n, c, rows.start + k, cols.start + col] += dout[n, c, i, j]
    return dx


# --- im2col / col2im ---------------------------------------------------------------------------

def _windows(x, HH, WW, stride, pad):
    """(C, H', W', N, HH, WW): every window, images last (the correct first step)."""
    x_pad = np.pad(x.transpose(1, 2, 3, 0), ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    windows = np.lib.stride_tricks.sliding_window_view(x_pad, (HH, WW), axis=(1, 2))
    return windows[:, ::stride, ::stride]


@wrong_answer(A, "im2col", "rows in the order (k, l, c) instead of (c, k, l)")
def im2col_channel_last_rows(x, HH, WW, stride, pad):
    from wrong_answers.cnn import _windows
    windows = _windows(x, HH, WW, stride, pad)
    C, H_out, W_out, N = windows.shape[:4]
    return windows.transpose(4, 5, 0, 1, 2, 3).reshape(C * HH * WW, H_out * W_out * N)


@wrong_answer(A, "im2col", "columns in the order (n, i, j): the image first")
def im2col_batch_first_columns(x, HH, WW, stride, pad):
    from wrong_answers.cnn import _windows
    windows = _windows(x, HH, WW, stride, pad)
    C, H_out, W_out, N = windows.shape[:4]
    return windows.transpose(0, 4, 5, 3, 1, 2).reshape(C * HH * WW, H_out * W_out * N)


@wrong_answer(A, "im2col", "reshape without transpose: (C, H', W', N, HH, WW) read as cols")
def im2col_reshape_only(x, HH, WW, stride, pad):
    from wrong_answers.cnn import _windows
    windows = _windows(x, HH, WW, stride, pad)
    C, H_out, W_out, N = windows.shape[:4]
    return np.reshape(windows, (C * HH * WW, H_out * W_out * N))


@wrong_answer(A, "im2col", "every stride-1 window, the stride ignored", says=("shape",))
def im2col_ignores_stride(x, HH, WW, stride, pad):
    from wrong_answers.cnn import _windows
    windows = _windows(x, HH, WW, 1, pad)
    C, H_out, W_out, N = windows.shape[:4]
    return windows.transpose(0, 4, 5, 1, 2, 3).reshape(C * HH * WW, H_out * W_out * N)


@wrong_answer(A, "im2col", "np.pad with one width for every axis: pads channels and images too",
              says=("shape",))
def im2col_pads_every_axis(x, HH, WW, stride, pad):
    x_pad = np.pad(x.transpose(1, 2, 3, 0), pad)
    windows = np.lib.stride_tricks.sliding_window_view(x_pad, (HH, WW), axis=(1, 2))
    windows = windows[:, ::stride, ::stride]
    C, H_out, W_out, N = windows.shape[:4]
    return windows.transpose(0, 4, 5, 1, 2, 3).reshape(C * HH * WW, H_out * W_out * N)


@wrong_answer(A, "im2col", "builds a float64 array whatever x's dtype", says=("float32",),
              kind="dtype")
def im2col_float64(x, HH, WW, stride, pad):
    from wrong_answers.cnn import _windows
    windows = _windows(x, HH, WW, stride, pad)
    C, H_out, W_out, N = windows.shape[:4]
    cols = np.zeros((C * HH * WW, H_out * W_out * N))
    cols[...] = windows.transpose(0, 4, 5, 1, 2, 3).reshape(C * HH * WW, -1)
    return cols


def _col2im(cols, x_shape, HH, WW, stride, pad, *, add=True, crop=True, images_first=False,
            dtype=None):
    N, C, H, W = x_shape
    H_out, W_out = _out_size(H, HH, stride, pad), _out_size(W, WW, stride, pad)
    if images_first:
        blocks = cols.reshape(C, HH, WW, N, H_out, W_out).transpose(0, 1, 2, 4, 5, 3)
    else:
        blocks = cols.reshape(C, HH, WW, H_out, W_out, N)
    padded = np.zeros((C, H + 2 * pad, W + 2 * pad, N), dtype=dtype or cols.dtype)
    for k in range(HH):
        for col in range(WW):
            window = (slice(None), slice(k, k + stride * H_out, stride),
                      slice(col, col + stride * W_out, stride))
            if add:
                padded[window] += blocks[:, k, col]
            else:
                padded[window] = blocks[:, k, col]
    if crop:
        padded = padded[:, pad:pad + H, pad:pad + W]
    return padded.transpose(3, 0, 1, 2)


@wrong_answer(A, "col2im", "assigns instead of adding: overlapping windows lost")
def col2im_assigns(cols, x_shape, HH, WW, stride, pad):
    from wrong_answers.cnn import _col2im
    return _col2im(cols, x_shape, HH, WW, stride, pad, add=False)


@wrong_answer(A, "col2im", "forgets to crop the padding", says=("shape",))
def col2im_no_crop(cols, x_shape, HH, WW, stride, pad):
    from wrong_answers.cnn import _col2im
    return _col2im(cols, x_shape, HH, WW, stride, pad, crop=False)


@wrong_answer(A, "col2im", "reads the columns as (n, i, j), the image first")
def col2im_images_first(cols, x_shape, HH, WW, stride, pad):
    from wrong_answers.cnn import _col2im
    return _col2im(cols, x_shape, HH, WW, stride, pad, images_first=True)


@wrong_answer(A, "col2im", "accumulates in float64 whatever cols' dtype", says=("float32",),
              kind="dtype")
def col2im_float64(cols, x_shape, HH, WW, stride, pad):
    N, C, H, W = x_shape
    H_out = 1 + (H + 2 * pad - HH) // stride
    W_out = 1 + (W + 2 * pad - WW) // stride
    blocks = cols.reshape(C, HH, WW, H_out, W_out, N)
    padded = np.zeros((C, H + 2 * pad, W + 2 * pad, N))
    for k in range(HH):
        for col in range(WW):
            padded[:, k:k + stride * H_out:stride, col:col + stride * W_out:stride] += \
                blocks[:, k, col]
    return padded[:, pad:pad + H, pad:pad + W].transpose(3, 0, 1, 2)


# --- the fast layer ----------------------------------------------------------------------------

def _fast_sizes(x, w, conv_param):
    stride, pad = conv_param["stride"], conv_param["pad"]
    return (_out_size(x.shape[2], w.shape[2], stride, pad),
            _out_size(x.shape[3], w.shape[3], stride, pad), stride, pad)


@wrong_answer(A, "conv_forward_fast", "reshapes the product straight to (N, F, H', W')")
def conv_forward_fast_no_transpose(x, w, b, conv_param):
    from wrong_answers.cnn import _fast_sizes
    H_out, W_out, stride, pad = _fast_sizes(x, w, conv_param)
    cols = im2col(x, w.shape[2], w.shape[3], stride, pad)  # noqa: F821
    out = w.reshape(len(w), -1) @ cols + b[:, None]
    return out.reshape(len(x), len(w), H_out, W_out), (x.shape, w, cols, conv_param)


@wrong_answer(A, "conv_forward_fast", "reads the product as (F, N, H', W'), the image first")
def conv_forward_fast_images_first(x, w, b, conv_param):
    from wrong_answers.cnn import _fast_sizes
    H_out, W_out, stride, pad = _fast_sizes(x, w, conv_param)
    cols = im2col(x, w.shape[2], w.shape[3], stride, pad)  # noqa: F821
    out = w.reshape(len(w), -1) @ cols + b[:, None]
    return out.reshape(len(w), len(x), H_out, W_out).transpose(1, 0, 2, 3), \
        (x.shape, w, cols, conv_param)


@wrong_answer(A, "conv_forward_fast", "forgets the bias")
def conv_forward_fast_no_bias(x, w, b, conv_param):
    from wrong_answers.cnn import _fast_sizes
    H_out, W_out, stride, pad = _fast_sizes(x, w, conv_param)
    cols = im2col(x, w.shape[2], w.shape[3], stride, pad)  # noqa: F821
    out = (w.reshape(len(w), -1) @ cols).reshape(len(w), H_out, W_out, len(x))
    return out.transpose(3, 0, 1, 2), (x.shape, w, cols, conv_param)


@wrong_answer(A, "conv_forward_fast", "flattens w as (k, l, c), not matching the rows of cols")
def conv_forward_fast_w_channel_last(x, w, b, conv_param):
    from wrong_answers.cnn import _fast_sizes
    H_out, W_out, stride, pad = _fast_sizes(x, w, conv_param)
    cols = im2col(x, w.shape[2], w.shape[3], stride, pad)  # noqa: F821
    out = w.transpose(0, 2, 3, 1).reshape(len(w), -1) @ cols + b[:, None]
    return out.reshape(len(w), H_out, W_out, len(x)).transpose(3, 0, 1, 2), \
        (x.shape, w, cols, conv_param)


@wrong_answer(A, "conv_forward_fast", "casts to float64 (a float64 bias row)", says=("float32",),
              kind="dtype")
def conv_forward_fast_float64(x, w, b, conv_param):
    from wrong_answers.cnn import _fast_sizes
    H_out, W_out, stride, pad = _fast_sizes(x, w, conv_param)
    cols = im2col(x, w.shape[2], w.shape[3], stride, pad)  # noqa: F821
    out = w.reshape(len(w), -1) @ cols + b.astype(np.float64)[:, None]
    return out.reshape(len(w), H_out, W_out, len(x)).transpose(3, 0, 1, 2), \
        (x.shape, w, cols, conv_param)


@wrong_answer(A, "conv_forward_fast", "calls the naive loops: right but slow", says=("faster",))
def conv_forward_fast_is_naive(x, w, b, conv_param):
    return conv_forward_naive(x, w, b, conv_param)  # noqa: F821


def _backward_parts(dout, cache):
    x_shape, w, cols, conv_param = cache
    dout_mat = dout.transpose(1, 2, 3, 0).reshape(len(w), -1)
    return x_shape, w, cols, conv_param, dout_mat


def _dx(col2im, w, dout_mat, x_shape, conv_param):  # noqa: F821 (the notebook's col2im)
    """dx the right way, with the notebook's col2im."""
    dcols = w.reshape(len(w), -1).T @ dout_mat
    return col2im(dcols, x_shape, *w.shape[2:], conv_param["stride"], conv_param["pad"])


@wrong_answer(A, "conv_backward_fast", "db sums over images only: shape (F, H', W')",
              says=("shape",))
def conv_backward_fast_db_per_pixel(dout, cache, need_dx=True):
    from wrong_answers.cnn import _backward_parts, _dx
    x_shape, w, cols, conv_param, dout_mat = _backward_parts(dout, cache)
    dx = _dx(col2im, w, dout_mat, x_shape, conv_param) if need_dx else None  # noqa: F821 (the notebook's col2im)
    return dx, (dout_mat @ cols.T).reshape(w.shape), dout.sum(axis=0)


@wrong_answer(A, "conv_backward_fast", "dout reshaped to (F, -1) without moving the image last")
def conv_backward_fast_no_transpose(dout, cache, need_dx=True):
    from wrong_answers.cnn import _dx
    x_shape, w, cols, conv_param = cache
    dout_mat = dout.reshape(len(w), -1)
    dx = _dx(col2im, w, dout_mat, x_shape, conv_param) if need_dx else None  # noqa: F821 (the notebook's col2im)
    return dx, (dout_mat @ cols.T).reshape(w.shape), dout_mat.sum(axis=1)


@wrong_answer(A, "conv_backward_fast", "dx from the filters not transposed: uses dout_mat.T @ w")
def conv_backward_fast_dcols_transposed(dout, cache, need_dx=True):
    from wrong_answers.cnn import _backward_parts
    x_shape, w, cols, conv_param, dout_mat = _backward_parts(dout, cache)
    dcols = (dout_mat.T @ w.reshape(len(w), -1)).reshape(-1, dout_mat.shape[1])
    dx = col2im(dcols, x_shape, *w.shape[2:], conv_param["stride"], conv_param["pad"])  # noqa: F821
    return (dx if need_dx else None), (dout_mat @ cols.T).reshape(w.shape), dout_mat.sum(axis=1)


@wrong_answer(A, "conv_backward_fast", "dw averaged over the batch", says=("times too small",))
def conv_backward_fast_dw_averaged(dout, cache, need_dx=True):
    from wrong_answers.cnn import _backward_parts, _dx
    x_shape, w, cols, conv_param, dout_mat = _backward_parts(dout, cache)
    dx = _dx(col2im, w, dout_mat, x_shape, conv_param) if need_dx else None  # noqa: F821 (the notebook's col2im)
    return dx, (dout_mat @ cols.T).reshape(w.shape) / x_shape[0], dout_mat.sum(axis=1)


@wrong_answer(A, "conv_backward_fast", "ignores need_dx: computes and returns dx anyway",
              says=("None",))
def conv_backward_fast_ignores_need_dx(dout, cache, need_dx=True):
    from wrong_answers.cnn import _backward_parts, _dx
    x_shape, w, cols, conv_param, dout_mat = _backward_parts(dout, cache)
    dx = _dx(col2im, w, dout_mat, x_shape, conv_param)  # noqa: F821 (the notebook's col2im)
    return dx, (dout_mat @ cols.T).reshape(w.shape), \
        dout_mat.sum(axis=1)


@wrong_answer(A, "conv_backward_fast", "need_dx=False skips dw instead of dx")
def conv_backward_fast_skips_dw(dout, cache, need_dx=True):
    from wrong_answers.cnn import _backward_parts, _dx
    x_shape, w, cols, conv_param, dout_mat = _backward_parts(dout, cache)
    if not need_dx:
        return None, None, dout_mat.sum(axis=1)
    dx = _dx(col2im, w, dout_mat, x_shape, conv_param)  # noqa: F821 (the notebook's col2im)
    return dx, (dout_mat @ cols.T).reshape(w.shape), \
        dout_mat.sum(axis=1)


# --- Other kinds of input (issue 15) -----------------------------------------------------------
# Self-contained (numpy and the notebook's names only): the first wrong answer of each kind is
# pasted into a submission and graded end to end.

@wrong_answer(A, "conv_forward_naive", "out created with np.zeros(shape): float64 for float32 "
              "inputs", says=("float32",), kind="dtype")
def conv_forward_naive_float64_out(x, w, b, conv_param):
    stride, pad = conv_param["stride"], conv_param["pad"]
    (N, _C, H, W), (F, _, HH, WW) = x.shape, w.shape
    H_out, W_out = 1 + (H + 2 * pad - HH) // stride, 1 + (W + 2 * pad - WW) // stride
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    out = np.zeros((N, F, H_out, W_out))
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    window = x_pad[n, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
                    out[n, f, i, j] = np.sum(window * w[f]) + b[f]
    return out, (x, w, b, conv_param)


@wrong_answer(A, "conv_forward_naive", "collects float(...) of every sum in lists, then np.array: "
              "float64", says=("float32",), kind="dtype")
def conv_forward_naive_python_floats(x, w, b, conv_param):
    stride, pad = conv_param["stride"], conv_param["pad"]
    (N, _C, H, W), (F, _, HH, WW) = x.shape, w.shape
    H_out, W_out = 1 + (H + 2 * pad - HH) // stride, 1 + (W + 2 * pad - WW) // stride
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    out = [[[[float(np.sum(x_pad[n, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
                           * w[f]) + b[f])
              for j in range(W_out)] for i in range(H_out)] for f in range(F)] for n in range(N)]
    return np.array(out), (x, w, b, conv_param)


@wrong_answer(A, "conv_forward_naive", "windows read with as_strided, strides computed for a "
              "C-ordered array", kind="layout")
def conv_forward_naive_as_strided(x, w, b, conv_param):
    stride, pad = conv_param["stride"], conv_param["pad"]
    (N, C, H, W), (F, _, HH, WW) = x.shape, w.shape
    H_out, W_out = 1 + (H + 2 * pad - HH) // stride, 1 + (W + 2 * pad - WW) // stride
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    Hp, Wp, size = H + 2 * pad, W + 2 * pad, x_pad.itemsize
    windows = np.lib.stride_tricks.as_strided(
        x_pad, shape=(N, H_out, W_out, C, HH, WW),
        strides=(C * Hp * Wp * size, stride * Wp * size, stride * size, Hp * Wp * size,
                 Wp * size, size))
    out = np.zeros((N, F, H_out, W_out), dtype=x.dtype)
    for f in range(F):
        out[:, f] = np.sum(windows * w[f], axis=(3, 4, 5)) + b[f]
    return out, (x, w, b, conv_param)


@wrong_answer(A, "conv_forward_naive", "dot of window.ravel() with w[f].ravel(order='K'): w's "
              "memory order", kind="layout")
def conv_forward_naive_w_memory_order(x, w, b, conv_param):
    stride, pad = conv_param["stride"], conv_param["pad"]
    (N, _C, H, W), (F, _, HH, WW) = x.shape, w.shape
    H_out, W_out = 1 + (H + 2 * pad - HH) // stride, 1 + (W + 2 * pad - WW) // stride
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    out = np.zeros((N, F, H_out, W_out), dtype=x.dtype)
    for n in range(N):
        for f in range(F):
            kernel = w[f].ravel(order="K")
            for i in range(H_out):
                for j in range(W_out):
                    window = x_pad[n, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
                    out[n, f, i, j] = np.dot(window.ravel(), kernel) + b[f]
    return out, (x, w, b, conv_param)


@wrong_answer(A, "conv_forward_naive", "W' computed from H: square images only", kind="shape")
def conv_forward_naive_square_only(x, w, b, conv_param):
    stride, pad = conv_param["stride"], conv_param["pad"]
    (N, _C, H, _W), (F, _, HH, WW) = x.shape, w.shape
    H_out = W_out = 1 + (H + 2 * pad - HH) // stride
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    out = np.zeros((N, F, H_out, W_out), dtype=x.dtype)
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    window = x_pad[n, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
                    out[n, f, i, j] = np.sum(window * w[f]) + b[f]
    return out, (x, w, b, conv_param)


@wrong_answer(A, "conv_forward_naive", "output size with P, not 2P: padding counted on one side",
              says=("shape",), kind="shape")
def conv_forward_naive_pad_once_in_size(x, w, b, conv_param):
    stride, pad = conv_param["stride"], conv_param["pad"]
    (N, _C, H, W), (F, _, HH, WW) = x.shape, w.shape
    H_out, W_out = 1 + (H + pad - HH) // stride, 1 + (W + pad - WW) // stride
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    out = np.zeros((N, F, H_out, W_out), dtype=x.dtype)
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    window = x_pad[n, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
                    out[n, f, i, j] = np.sum(window * w[f]) + b[f]
    return out, (x, w, b, conv_param)


def _naive_conv_backward(dout, cache, dtype=None, crop_square=False):
    """The solution's conv_backward_naive, with one of the mistakes below."""
    x, w, b, conv_param = cache
    stride, pad = conv_param["stride"], conv_param["pad"]
    N, F, H_out, W_out = dout.shape
    HH, WW = w.shape[2:]
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dx_pad = np.zeros(x_pad.shape, dtype or x.dtype)
    dw = np.zeros(w.shape, dtype or w.dtype)
    db = dout.sum(axis=(0, 2, 3))
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    rows = slice(i * stride, i * stride + HH)
                    cols = slice(j * stride, j * stride + WW)
                    dw[f] += dout[n, f, i, j] * x_pad[n, :, rows, cols]
                    dx_pad[n, :, rows, cols] += dout[n, f, i, j] * w[f]
    H, W = x.shape[2:]
    if crop_square:
        return dx_pad[:, :, pad:pad + H, pad:pad + H], dw, db
    return dx_pad[:, :, pad:pad + H, pad:pad + W], dw, db


@wrong_answer(A, "conv_backward_naive", "dx_pad and dw created with np.zeros(shape): float64",
              says=("float32",), kind="dtype")
def conv_backward_naive_float64(dout, cache):
    from wrong_answers.cnn import _naive_conv_backward
    return _naive_conv_backward(dout, cache, dtype=np.float64)


@wrong_answer(A, "conv_backward_naive", "db accumulated in np.zeros(F): float64",
              says=("float32",), kind="dtype")
def conv_backward_naive_db_float64(dout, cache):
    from wrong_answers.cnn import _naive_conv_backward
    dx, dw, _ = _naive_conv_backward(dout, cache)
    db = np.zeros(dout.shape[1])
    for f in range(dout.shape[1]):
        db[f] += dout[:, f].sum()
    return dx, dw, db


@wrong_answer(A, "conv_backward_naive", "crops dx with H for both axes: square images only",
              kind="shape")
def conv_backward_naive_square_crop(dout, cache):
    from wrong_answers.cnn import _naive_conv_backward
    return _naive_conv_backward(dout, cache, crop_square=True)


@wrong_answer(A, "conv_backward_naive", "crops dx_pad[:, :, pad:-pad, pad:-pad]: empty for pad 0",
              kind="shape")
def conv_backward_naive_crop_minus_pad(dout, cache):
    x, w, b, conv_param = cache
    stride, pad = conv_param["stride"], conv_param["pad"]
    N, F, H_out, W_out = dout.shape
    HH, WW = w.shape[2:]
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dx_pad, dw = np.zeros_like(x_pad), np.zeros_like(w)
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    rows = slice(i * stride, i * stride + HH)
                    cols = slice(j * stride, j * stride + WW)
                    dw[f] += dout[n, f, i, j] * x_pad[n, :, rows, cols]
                    dx_pad[n, :, rows, cols] += dout[n, f, i, j] * w[f]
    return dx_pad[:, :, pad:-pad, pad:-pad], dw, dout.sum(axis=(0, 2, 3))


@wrong_answer(A, "max_pool_forward_naive", "out starts as np.full(shape, -np.inf): float64",
              says=("float32",), kind="dtype")
def max_pool_forward_minus_inf(x, pool_param):
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    N, C, H, W = x.shape
    H_out, W_out = 1 + (H - ph) // stride, 1 + (W - pw) // stride
    out = np.full((N, C, H_out, W_out), -np.inf)
    for i in range(H_out):
        for j in range(W_out):
            for k in range(ph):
                for col in range(pw):
                    out[:, :, i, j] = np.maximum(out[:, :, i, j],
                                                 x[:, :, i * stride + k, j * stride + col])
    return out, (x, pool_param)


@wrong_answer(A, "max_pool_forward_naive", "windows read with as_strided, strides computed for "
              "a C-ordered array", kind="layout")
def max_pool_forward_as_strided(x, pool_param):
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    N, C, H, W = x.shape
    H_out, W_out = 1 + (H - ph) // stride, 1 + (W - pw) // stride
    size = x.itemsize
    windows = np.lib.stride_tricks.as_strided(
        x, shape=(N, C, H_out, W_out, ph, pw),
        strides=(C * H * W * size, H * W * size, stride * W * size, stride * size, W * size,
                 size))
    return windows.max(axis=(4, 5)), (x, pool_param)


@wrong_answer(A, "max_pool_forward_naive", "W' computed from H: square inputs only", kind="shape")
def max_pool_forward_square_only(x, pool_param):
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    N, C, H, _W = x.shape
    H_out, W_out = 1 + (H - ph) // stride, 1 + (H - pw) // stride
    out = np.zeros((N, C, H_out, W_out), dtype=x.dtype)
    for i in range(H_out):
        for j in range(W_out):
            window = x[:, :, i * stride:i * stride + ph, j * stride:j * stride + pw]
            out[:, :, i, j] = window.max(axis=(2, 3))
    return out, (x, pool_param)


@wrong_answer(A, "max_pool_backward_naive", "dx created with np.zeros(x.shape): float64",
              says=("float32",), kind="dtype")
def max_pool_backward_float64(dout, cache):
    x, pool_param = cache
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    N, C, H_out, W_out = dout.shape
    dx = np.zeros(x.shape)
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    window = x[n, c, i * stride:i * stride + ph, j * stride:j * stride + pw]
                    k, col = np.unravel_index(np.argmax(window), window.shape)
                    dx[n, c, i * stride + k, j * stride + col] += dout[n, c, i, j]
    return dx


@wrong_answer(A, "max_pool_backward_naive", "dx = np.zeros_like(x, dtype=float): float64",
              says=("float32",), kind="dtype")
def max_pool_backward_zeros_like_float(dout, cache):
    x, pool_param = cache
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    N, C, H_out, W_out = dout.shape
    dx = np.zeros_like(x, dtype=float)
    for i in range(H_out):
        for j in range(W_out):
            for n in range(N):
                for c in range(C):
                    window = x[n, c, i * stride:i * stride + ph, j * stride:j * stride + pw]
                    k, col = np.unravel_index(np.argmax(window), window.shape)
                    dx[n, c, i * stride + k, j * stride + col] += dout[n, c, i, j]
    return dx


@wrong_answer(A, "max_pool_backward_naive", "adds into dx.reshape(N, C, -1): a copy when x is a "
              "view, so the gradient is lost", kind="layout")
def max_pool_backward_writes_into_reshape(dout, cache):
    x, pool_param = cache
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    N, C, H, W = x.shape
    H_out, W_out = dout.shape[2:]
    dx = np.zeros_like(x)
    dx_rows = dx.reshape(N, C, H * W)
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    window = x[n, c, i * stride:i * stride + ph, j * stride:j * stride + pw]
                    k, col = divmod(int(np.argmax(window)), pw)
                    dx_rows[n, c, (i * stride + k) * W + j * stride + col] += dout[n, c, i, j]
    return dx


@wrong_answer(A, "max_pool_backward_naive", "adds into dx.ravel() at np.ravel_multi_index: a "
              "copy when x is a view", kind="layout")
def max_pool_backward_writes_into_ravel(dout, cache):
    x, pool_param = cache
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    N, C, H_out, W_out = dout.shape
    dx = np.zeros_like(x)
    flat = dx.ravel()
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    window = x[n, c, i * stride:i * stride + ph, j * stride:j * stride + pw]
                    k, col = np.unravel_index(np.argmax(window), window.shape)
                    index = np.ravel_multi_index((n, c, i * stride + k, j * stride + col), x.shape)
                    flat[index] += dout[n, c, i, j]
    return dx


@wrong_answer(A, "im2col", "windows read with as_strided from the padded (N, C, H, W) images, "
              "strides computed for a C-ordered array", kind="layout")
def im2col_as_strided(x, HH, WW, stride, pad):
    N, C, H, W = x.shape
    H_out, W_out = 1 + (H + 2 * pad - HH) // stride, 1 + (W + 2 * pad - WW) // stride
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    Hp, Wp, size = H + 2 * pad, W + 2 * pad, x_pad.itemsize
    windows = np.lib.stride_tricks.as_strided(
        x_pad, shape=(C, HH, WW, H_out, W_out, N),
        strides=(Hp * Wp * size, Wp * size, size, stride * Wp * size, stride * size,
                 C * Hp * Wp * size))
    return windows.reshape(C * HH * WW, H_out * W_out * N)


@wrong_answer(A, "im2col", "indexes x_pad.ravel(order='K') as if it were C-ordered",
              kind="layout")
def im2col_memory_order(x, HH, WW, stride, pad):
    N, C, H, W = x.shape
    H_out, W_out = 1 + (H + 2 * pad - HH) // stride, 1 + (W + 2 * pad - WW) // stride
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    Hp, Wp = H + 2 * pad, W + 2 * pad
    c, k, col, i, j, n = np.ix_(range(C), range(HH), range(WW), range(H_out), range(W_out),
                                range(N))
    index = ((n * C + c) * Hp + i * stride + k) * Wp + j * stride + col
    return x_pad.ravel(order="K")[index].reshape(C * HH * WW, H_out * W_out * N)


@wrong_answer(A, "conv_forward_fast", "flattens w with w.ravel(order='K'): its memory order",
              kind="layout")
def conv_forward_fast_w_memory_order(x, w, b, conv_param):
    F, _, HH, WW = w.shape
    stride, pad = conv_param["stride"], conv_param["pad"]
    H_out = 1 + (x.shape[2] + 2 * pad - HH) // stride
    W_out = 1 + (x.shape[3] + 2 * pad - WW) // stride
    cols = im2col(x, HH, WW, stride, pad)  # noqa: F821 (the notebook's im2col)
    out = w.ravel(order="K").reshape(F, -1) @ cols + b[:, None]
    return out.reshape(F, H_out, W_out, len(x)).transpose(3, 0, 1, 2), \
        (x.shape, w, cols, conv_param)


@wrong_answer(A, "conv_forward_fast", "w.reshape(F, -1, order='A'): Fortran order for a Fortran "
              "w", kind="layout")
def conv_forward_fast_w_order_a(x, w, b, conv_param):
    F, _, HH, WW = w.shape
    stride, pad = conv_param["stride"], conv_param["pad"]
    H_out = 1 + (x.shape[2] + 2 * pad - HH) // stride
    W_out = 1 + (x.shape[3] + 2 * pad - WW) // stride
    cols = im2col(x, HH, WW, stride, pad)  # noqa: F821 (the notebook's im2col)
    out = w.reshape(F, -1, order="A") @ cols + b[:, None]
    return out.reshape(F, H_out, W_out, len(x)).transpose(3, 0, 1, 2), \
        (x.shape, w, cols, conv_param)
def _dx_by_kernel_rows(col2im, dout, w, dout_mat, x_shape, conv_param, *, strided=True,
                       add=True):
    """dx one kernel row at a time (as the solution), with a slip: the rows and columns of the
    1xWW windows' array not strided, or each kernel row's product assigned, not added."""
    N, C, H, W = x_shape
    F, _, HH, WW = w.shape
    stride, pad = conv_param["stride"], conv_param["pad"]
    H_out, W_out = dout.shape[2], dout.shape[3]
    step = stride if strided else 1
    rows = np.zeros((C * WW, H + 2 * pad, W + 2 * pad - WW + 1, N), dtype=dout_mat.dtype)
    for k in range(HH):
        dcols_k = (w[:, :, k, :].reshape(F, C * WW).T @ dout_mat).reshape(-1, H_out, W_out, N)
        target = (slice(None), slice(k, k + step * H_out, step), slice(None, step * W_out, step))
        if add:
            rows[target] += dcols_k
        else:
            rows[target] = dcols_k
    return col2im(rows.reshape(C * WW, -1), x_shape, 1, WW, 1, pad)


@wrong_answer(A, "conv_backward_fast", "kernel rows added at rows k, k+1... even for stride > 1")
def conv_backward_fast_kernel_rows_unstrided(dout, cache, need_dx=True):
    from wrong_answers.cnn import _backward_parts, _dx_by_kernel_rows
    x_shape, w, cols, conv_param, dout_mat = _backward_parts(dout, cache)
    dx = (_dx_by_kernel_rows(col2im, dout, w, dout_mat, x_shape, conv_param,  # noqa: F821
                             strided=False) if need_dx else None)
    return dx, (dout_mat @ cols.T).reshape(w.shape), dout_mat.sum(axis=1)


@wrong_answer(A, "conv_backward_fast", "each kernel row's product assigned (=), not added (+=)")
def conv_backward_fast_kernel_rows_assigned(dout, cache, need_dx=True):
    from wrong_answers.cnn import _backward_parts, _dx_by_kernel_rows
    x_shape, w, cols, conv_param, dout_mat = _backward_parts(dout, cache)
    dx = (_dx_by_kernel_rows(col2im, dout, w, dout_mat, x_shape, conv_param,  # noqa: F821
                             add=False) if need_dx else None)
    return dx, (dout_mat @ cols.T).reshape(w.shape), dout_mat.sum(axis=1)


# --- repeated calls: a backward pass that changes its cache -----------------------------------

@wrong_answer(A, "conv_backward_naive", "dx = x then dx[...] = ...: the cached input itself "
              "becomes dx, so a second call through the cache computes dw from it",
              says=("cache", "second call"), kind="repeated-call")
def conv_backward_naive_overwrites_cached_x(dout, cache):
    x, w, b, conv_param = cache
    stride, pad = conv_param["stride"], conv_param["pad"]
    N, F, H_out, W_out = dout.shape
    _, _, HH, WW = w.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dx_pad = np.zeros_like(x_pad)
    dw = np.zeros_like(w)
    db = dout.sum(axis=(0, 2, 3))
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    rows = slice(i * stride, i * stride + HH)
                    cols = slice(j * stride, j * stride + WW)
                    dw[f] += dout[n, f, i, j] * x_pad[n, :, rows, cols]
                    dx_pad[n, :, rows, cols] += dout[n, f, i, j] * w[f]
    dx = x                                  # an alias, not a new array
    dx[...] = dx_pad[:, :, pad:pad + x.shape[2], pad:pad + x.shape[3]]
    return dx, dw, db


@wrong_answer(A, "conv_backward_fast", "w.shape = (F, -1) instead of w.reshape: the cached "
              "filters change shape, and a second call through the cache fails",
              says=("cache", "second call"), kind="repeated-call")
def conv_backward_fast_reshapes_cached_w(dout, cache, need_dx=True):
    x_shape, w, cols, conv_param = cache
    F, _, HH, WW = w.shape
    dout_mat = dout.transpose(1, 2, 3, 0).reshape(F, -1)
    db = dout_mat.sum(axis=1)
    dw = (cols @ dout_mat.T).T.reshape(w.shape)
    if not need_dx:
        return None, dw, db
    w.shape = (F, -1)                       # reshapes the cached array in place
    dcols = w.T @ dout_mat
    dx = col2im(dcols, x_shape, HH, WW, conv_param["stride"], conv_param["pad"])  # noqa: F821
    return dx, dw, db


@wrong_answer(A, "max_pool_backward_naive", "finds the maxima, then reuses x as dx (dx = x; "
              "dx[...] = 0): a second call through the cache finds other maxima",
              says=("cache", "second call"), kind="repeated-call")
def max_pool_backward_naive_overwrites_cached_x(dout, cache):
    x, pool_param = cache
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    N, C, H_out, W_out = dout.shape
    winners = []
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    window = x[n, c, i * stride:i * stride + ph, j * stride:j * stride + pw]
                    row, col = np.unravel_index(np.argmax(window), window.shape)
                    winners.append((n, c, i * stride + row, j * stride + col, dout[n, c, i, j]))
    dx = x                                  # an alias, not a new array
    dx[...] = 0
    for n, c, row, col, grad in winners:
        dx[n, c, row, col] += grad
    return dx
