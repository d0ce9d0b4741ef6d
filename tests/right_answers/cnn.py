"""Right answers to notebook 07 that differ from the solution."""
import numpy as np

from . import right_answer

A = "07_cnn"


@right_answer(A, "conv_forward_naive", "loops over output positions only, np.tensordot over "
                                       "(c, k, l) for every image and filter at once")
def conv_forward_tensordot(x, w, b, conv_param):
    stride, pad = conv_param["stride"], conv_param["pad"]
    (N, _C, H, W), (F, _, HH, WW) = x.shape, w.shape
    H_out, W_out = 1 + (H + 2 * pad - HH) // stride, 1 + (W + 2 * pad - WW) // stride
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    out = np.empty((N, F, H_out, W_out), dtype=np.result_type(x, w))
    for i in range(H_out):
        for j in range(W_out):
            window = x_pad[:, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
            out[:, :, i, j] = np.tensordot(window, w, axes=([1, 2, 3], [1, 2, 3])) + b
    return out, (x, w, b, conv_param)


@right_answer(A, "conv_backward_naive", "loops over output positions only, einsum for dw and dx")
def conv_backward_einsum(dout, cache):
    x, w, b, conv_param = cache
    stride, pad = conv_param["stride"], conv_param["pad"]
    HH, WW = w.shape[2:]
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dx_pad, dw = np.zeros_like(x_pad), np.zeros_like(w)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            rows = slice(i * stride, i * stride + HH)
            cols = slice(j * stride, j * stride + WW)
            dw += np.einsum("nf,nckl->fckl", dout[:, :, i, j], x_pad[:, :, rows, cols])
            dx_pad[:, :, rows, cols] += np.einsum("nf,fckl->nckl", dout[:, :, i, j], w)
    H, W = x.shape[2:]
    return dx_pad[:, :, pad:pad + H, pad:pad + W], dw, np.sum(dout, axis=(0, 2, 3))


@right_answer(A, "max_pool_forward_naive", "four loops, np.max of each window")
def max_pool_forward_four_loops(x, pool_param):
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    N, C, H, W = x.shape
    out = np.empty((N, C, 1 + (H - ph) // stride, 1 + (W - pw) // stride), dtype=x.dtype)
    for n in range(N):
        for c in range(C):
            for i in range(out.shape[2]):
                for j in range(out.shape[3]):
                    out[n, c, i, j] = np.max(x[n, c, i * stride:i * stride + ph,
                                               j * stride:j * stride + pw])
    return out, (x, pool_param)


@right_answer(A, "max_pool_backward_naive", "argmax of every window of all images and channels "
                                            "at once, one loop over output positions")
def max_pool_backward_vectorised_positions(dout, cache):
    x, pool_param = cache
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    N, C, H_out, W_out = dout.shape
    dx = np.zeros_like(x)
    n, c = np.meshgrid(np.arange(N), np.arange(C), indexing="ij")
    for i in range(H_out):
        for j in range(W_out):
            window = x[:, :, i * stride:i * stride + ph, j * stride:j * stride + pw]
            k, col = np.divmod(window.reshape(N, C, ph * pw).argmax(axis=2), pw)
            dx[n, c, i * stride + k, j * stride + col] += dout[:, :, i, j]
    return dx


@right_answer(A, "im2col", "the notebook's other way: a loop over the kernel positions (k, l)")
def im2col_kernel_loop(x, HH, WW, stride, pad):
    N, C, H, W = x.shape
    H_out, W_out = 1 + (H + 2 * pad - HH) // stride, 1 + (W + 2 * pad - WW) // stride
    images_last = np.pad(x.transpose(1, 2, 3, 0), ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    cols = np.empty((C, HH, WW, H_out, W_out, N), dtype=x.dtype)
    for k in range(HH):
        for col in range(WW):
            cols[:, k, col] = images_last[:, k:k + stride * H_out:stride,
                                          col:col + stride * W_out:stride]
    return cols.reshape(C * HH * WW, H_out * W_out * N)


@right_answer(A, "col2im", "np.add.at on the padded images, one call per kernel position")
def col2im_add_at(cols, x_shape, HH, WW, stride, pad):
    N, C, H, W = x_shape
    H_out, W_out = 1 + (H + 2 * pad - HH) // stride, 1 + (W + 2 * pad - WW) // stride
    blocks = cols.reshape(C, HH, WW, H_out, W_out, N)
    padded = np.zeros((C, H + 2 * pad, W + 2 * pad, N), dtype=cols.dtype)
    rows = np.arange(H_out) * stride
    columns = np.arange(W_out) * stride
    for k in range(HH):
        for col in range(WW):
            np.add.at(padded, (slice(None), (rows + k)[:, None], (columns + col)[None, :]),
                      blocks[:, k, col])
    return padded[:, pad:pad + H, pad:pad + W].transpose(3, 0, 1, 2)


@right_answer(A, "conv_backward_fast", "dw = dout_mat @ cols.T, the product in the other order")
def conv_backward_fast_other_order(dout, cache, need_dx=True):
    x_shape, w, cols, conv_param = cache
    F, _, HH, WW = w.shape
    dout_mat = dout.transpose(1, 2, 3, 0).reshape(F, -1)
    dw = (dout_mat @ cols.T).reshape(w.shape)
    db = dout_mat.sum(axis=1)
    if not need_dx:
        return None, dw, db
    dcols = w.reshape(F, -1).T @ dout_mat
    return col2im(dcols, x_shape, HH, WW, conv_param["stride"], conv_param["pad"]), dw, db  # noqa: F821
