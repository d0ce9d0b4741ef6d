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


@wrong_answer(A, "max_pool_forward_naive", "output created as float64 whatever x's dtype")
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


@wrong_answer(A, "im2col", "builds a float64 array whatever x's dtype", says=("float32",))
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


@wrong_answer(A, "col2im", "accumulates in float64 whatever cols' dtype", says=("float32",))
def col2im_float64(cols, x_shape, HH, WW, stride, pad):
    from wrong_answers.cnn import _col2im
    return _col2im(cols, x_shape, HH, WW, stride, pad, dtype=np.float64)


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


@wrong_answer(A, "conv_forward_fast", "casts to float64 (a float64 bias row)", says=("float32",))
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
