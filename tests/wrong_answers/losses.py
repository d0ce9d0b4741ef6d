"""Wrong answers to notebook 03. Names such as `EPS` resolve in the notebook's namespace."""
import numpy as np

from . import wrong_answer

A = "03_losses"


@wrong_answer(A, "mse_loss", "sum instead of mean", says=("times too large", "average"))
def mse_loss_sum(y_pred, y):
    return float(np.sum((y_pred - y) ** 2))


@wrong_answer(A, "mse_loss", "mean over the rows only: divides by N, not by all N * D entries")
def mse_loss_mean_over_rows(y_pred, y):
    return float(np.sum((y_pred - y) ** 2) / len(y_pred))


@wrong_answer(A, "mse_loss", "mean absolute error: forgot the square")
def mse_loss_absolute(y_pred, y):
    return float(np.mean(np.abs(y_pred - y)))


@wrong_answer(A, "mse_loss", "squares the mean difference instead of averaging the squares")
def mse_loss_square_of_mean(y_pred, y):
    return float(np.mean(y_pred - y) ** 2)


@wrong_answer(A, "mse_grad", "missing the 2 of the square")
def mse_grad_no_two(y_pred, y):
    return (y_pred - y) / y_pred.size


@wrong_answer(A, "mse_grad", "not averaged: the gradient of the sum", says=("times too large",))
def mse_grad_sum(y_pred, y):
    return 2 * (y_pred - y)


@wrong_answer(A, "mse_grad", "y - y_pred: the sign of the gradient", says=("wrong sign",))
def mse_grad_sign(y_pred, y):
    return 2 * (y - y_pred) / y_pred.size


@wrong_answer(A, "mse_grad", "divides by the number of rows, not by the number of entries")
def mse_grad_rows(y_pred, y):
    return 2 * (y_pred - y) / len(y_pred)


@wrong_answer(A, "binary_cross_entropy", "no clipping: log(0) at p = 0",
              says=("divide by zero", "clip"))
def bce_no_clip(p, y):
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


@wrong_answer(A, "binary_cross_entropy", "sum instead of mean", says=("times too large",))
def bce_sum(p, y):
    p = np.clip(p, EPS, 1 - EPS)  # noqa: F821
    return float(-np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)))


@wrong_answer(A, "binary_cross_entropy", "forgot the minus sign: the loss is negative",
              says=("wrong sign",))
def bce_no_minus(p, y):
    p = np.clip(p, EPS, 1 - EPS)  # noqa: F821
    return float(np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


@wrong_answer(A, "binary_cross_entropy", "only the y = 1 term: -mean(y * log(p))")
def bce_one_term(p, y):
    return float(-np.mean(y * np.log(np.clip(p, EPS, 1 - EPS))))  # noqa: F821


@wrong_answer(A, "binary_cross_entropy", "clips with a different eps (1e-7)")
def bce_other_eps(p, y):
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


@wrong_answer(A, "cross_entropy", "probs[:, y]: an (N, N) array, then the mean of all of it")
def ce_wrong_indexing(probs, y):
    probs = np.clip(probs, EPS, 1.0)  # noqa: F821
    if y.ndim == 2:
        y = np.argmax(y, axis=1)
    return float(-np.mean(np.log(probs[:, y])))


@wrong_answer(A, "cross_entropy", "sum over the batch instead of the mean",
              says=("times too large",))
def ce_sum(probs, y):
    log_probs = np.log(np.clip(probs, EPS, 1.0))  # noqa: F821
    if y.ndim == 1:
        return float(-np.sum(log_probs[np.arange(len(probs)), y]))
    return float(-np.sum(y * log_probs))


@wrong_answer(A, "cross_entropy", "no clipping: log(0), and 0 * log(0) = nan for one-hot labels",
              says=("clip",))
def ce_no_clip(probs, y):
    if y.ndim == 1:
        return float(-np.mean(np.log(probs[np.arange(len(probs)), y])))
    return float(-np.sum(y * np.log(probs)) / len(probs))


@wrong_answer(A, "cross_entropy", "one-hot: mean over all N * C entries instead of over N")
def ce_one_hot_mean_of_entries(probs, y):
    log_probs = np.log(np.clip(probs, EPS, 1.0))  # noqa: F821
    if y.ndim == 1:
        return float(-np.mean(log_probs[np.arange(len(probs)), y]))
    return float(-np.mean(y * log_probs))


@wrong_answer(A, "cross_entropy", "indexes one-hot labels as if they were integers")
def ce_one_hot_indexed_as_integers(probs, y):
    log_probs = np.log(np.clip(probs, EPS, 1.0))  # noqa: F821
    return float(-np.mean(log_probs[np.arange(len(probs)), y]))


@wrong_answer(A, "softmax_loss", "forgets to subtract 1 at the true class in dx")
def softmax_loss_no_minus_one(x, y):
    shifted = x - np.max(x, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    loss = -np.mean(log_probs[np.arange(len(x)), y])
    return float(loss), np.exp(log_probs) / len(x)


@wrong_answer(A, "softmax_loss", "dx not divided by N", says=("times too large",))
def softmax_loss_dx_not_averaged(x, y):
    shifted = x - np.max(x, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    dx = np.exp(log_probs)
    dx[np.arange(len(x)), y] -= 1
    return float(-np.mean(log_probs[np.arange(len(x)), y])), dx


@wrong_answer(A, "softmax_loss", "no max subtraction: exp(1000) overflows", says=("overflow",))
def softmax_loss_naive(x, y):
    probs = np.exp(x) / np.sum(np.exp(x), axis=1, keepdims=True)
    dx = probs.copy()
    dx[np.arange(len(x)), y] -= 1
    return float(-np.mean(np.log(probs[np.arange(len(x)), y]))), dx / len(x)


@wrong_answer(A, "softmax_loss", "log(softmax + eps): wrong for a true class far below the best")
def softmax_loss_log_of_clipped_probs(x, y):
    shifted = np.exp(x - np.max(x, axis=1, keepdims=True))
    probs = shifted / np.sum(shifted, axis=1, keepdims=True)
    loss = -np.mean(np.log(np.clip(probs[np.arange(len(x)), y], EPS, 1.0)))  # noqa: F821
    dx = probs.copy()
    dx[np.arange(len(x)), y] -= 1
    return float(loss), dx / len(x)


@wrong_answer(A, "softmax_loss", "one-hot minus softmax: the sign of dx", says=("wrong sign",))
def softmax_loss_dx_sign(x, y):
    shifted = x - np.max(x, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    dx = -np.exp(log_probs)
    dx[np.arange(len(x)), y] += 1
    return float(-np.mean(log_probs[np.arange(len(x)), y])), dx / len(x)


@wrong_answer(A, "softmax_loss", "softmax over axis 0 (the batch) instead of over the classes")
def softmax_loss_axis_0(x, y):
    shifted = x - np.max(x, axis=0, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=0, keepdims=True))
    dx = np.exp(log_probs)
    dx[np.arange(len(x)), y] -= 1
    return float(-np.mean(log_probs[np.arange(len(x)), y])), dx / len(x)


@wrong_answer(A, "softmax_loss", "subtracts the row max from x in place", says=("in place",))
def softmax_loss_in_place(x, y):
    x -= np.max(x, axis=1, keepdims=True)
    log_probs = x - np.log(np.sum(np.exp(x), axis=1, keepdims=True))
    dx = np.exp(log_probs)
    dx[np.arange(len(x)), y] -= 1
    return float(-np.mean(log_probs[np.arange(len(x)), y])), dx / len(x)


# Kinds of input (issue 15): dtypes, Python types of the result, memory layouts, shapes.

@wrong_answer(A, "mse_loss", "np.mean without float(): a numpy float32 for float32 inputs",
              kind="python-type", says=("Python float",))
def mse_loss_numpy_scalar(y_pred, y):
    return np.mean((y_pred - y) ** 2)


@wrong_answer(A, "mse_loss", "np.sum(...) / size without float(): a numpy float32 for float32",
              kind="python-type", says=("Python float",))
def mse_loss_sum_over_size(y_pred, y):
    return np.sum((y_pred - y) ** 2) / y_pred.size


@wrong_answer(A, "mse_loss", "written for (N,) or (N, D) only: divides by N * D, wrong in 3-D",
              kind="shape")
def mse_loss_two_dims_only(y_pred, y):
    n_entries = len(y_pred) * (y_pred.shape[1] if y_pred.ndim == 2 else 1)
    return float(np.sum((y_pred - y) ** 2) / n_entries)


@wrong_answer(A, "mse_loss", "mean with keepdims=True: a (1, ..., 1) array, not a number",
              kind="shape")
def mse_loss_keepdims(y_pred, y):
    return np.mean((y_pred - y) ** 2, keepdims=True)


@wrong_answer(A, "mse_grad", "fills np.zeros_like(y_pred): int inputs give a truncated int array",
              kind="dtype", says=("int64",))
def mse_grad_zeros_like(y_pred, y):
    grad = np.zeros_like(y_pred)
    grad[...] = 2 * (y_pred - y) / y_pred.size
    return grad


@wrong_answer(A, "mse_grad", "casts the result back to y_pred's dtype: int inputs truncated",
              kind="dtype", says=("int64",))
def mse_grad_input_dtype(y_pred, y):
    return (2 * (y_pred - y) / y_pred.size).astype(y_pred.dtype)


@wrong_answer(A, "mse_grad", "written for (N,) or (N, D) only: divides by N * D, wrong in 3-D",
              kind="shape")
def mse_grad_two_dims_only(y_pred, y):
    n_entries = len(y_pred) * (y_pred.shape[1] if y_pred.ndim == 2 else 1)
    return 2 * (y_pred - y) / n_entries


@wrong_answer(A, "mse_grad", "M = N * shape[-1]: right in 1-D and 2-D, wrong in 3-D",
              kind="shape")
def mse_grad_last_axis(y_pred, y):
    n_entries = y_pred.shape[0] * (y_pred.shape[-1] if y_pred.ndim > 1 else 1)
    return 2 * (y_pred - y) / n_entries


@wrong_answer(A, "binary_cross_entropy", "per-example losses in np.zeros_like(y): int labels "
              "truncate them", kind="dtype", says=("int64",))
def bce_zeros_like_labels(p, y):
    p = np.clip(p, EPS, 1 - EPS)  # noqa: F821
    losses = np.zeros_like(y)
    losses[y == 1] = -np.log(p[y == 1])
    losses[y == 0] = -np.log(1 - p[y == 0])
    return float(np.mean(losses))


@wrong_answer(A, "binary_cross_entropy", "a loop filling np.empty_like(y): int labels truncate",
              kind="dtype", says=("int64",))
def bce_empty_like_loop(p, y):
    losses = np.empty_like(y)
    for i in range(len(y)):
        p_i = min(max(p[i], EPS), 1 - EPS)  # noqa: F821
        losses[i] = -np.log(p_i) if y[i] == 1 else -np.log(1 - p_i)
    return float(np.mean(losses))


@wrong_answer(A, "binary_cross_entropy", "no float(): a numpy float32 for float32 p",
              kind="python-type", says=("Python float",))
def bce_numpy_scalar(p, y):
    p = np.clip(p, EPS, 1 - EPS)  # noqa: F821
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


@wrong_answer(A, "binary_cross_entropy", "mean of a (1, N) row made with p[None]: a (1,) array",
              kind="shape")
def bce_row_mean(p, y):
    p = np.clip(p, EPS, 1 - EPS)[None]  # noqa: F821
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p), axis=1)


@wrong_answer(A, "cross_entropy", "tells the formats apart by dtype: an int array is taken for "
              "integer labels, so int one-hot labels are indexed as classes", kind="dtype",
              says=("int64",))
def ce_format_by_int_dtype(probs, y):
    log_probs = np.log(np.clip(probs, EPS, 1.0))  # noqa: F821
    if np.issubdtype(y.dtype, np.integer):
        return float(-np.mean(log_probs[np.arange(len(probs)), y]))
    return float(-np.sum(y * log_probs) / len(probs))


@wrong_answer(A, "cross_entropy", "takes float labels for one-hot and anything else for classes: "
              "int and bool one-hot labels are indexed as classes", kind="dtype")
def ce_format_by_float_dtype(probs, y):
    log_probs = np.log(np.clip(probs, EPS, 1.0))  # noqa: F821
    if np.issubdtype(y.dtype, np.floating):
        return float(-np.sum(y * log_probs) / len(probs))
    return float(-np.mean(log_probs[np.arange(len(probs)), y]))


@wrong_answer(A, "cross_entropy", "rows indexed with np.arange(C): right only when N == C",
              kind="shape", says=("shape",))
def ce_arange_classes(probs, y):
    log_probs = np.log(np.clip(probs, EPS, 1.0))  # noqa: F821
    if y.ndim == 2:
        y = np.argmax(y, axis=1)
    rows = np.arange(probs.shape[1])[:len(y)]
    return float(-np.mean(log_probs[rows, y]))


@wrong_answer(A, "cross_entropy", "squeezes the labels: one one-hot row becomes a (C,) vector of "
              "classes", kind="shape", says=("(1, 4)",))
def ce_squeezed_labels(probs, y):
    log_probs = np.log(np.clip(probs, EPS, 1.0))  # noqa: F821
    y = np.squeeze(y)
    if y.ndim == 1:
        return float(-np.mean(log_probs[np.arange(len(probs)), y[:len(probs)].astype(int)]))
    return float(-np.sum(y * log_probs) / len(probs))


@wrong_answer(A, "cross_entropy", "no float(): a numpy float32 for float32 probs",
              kind="python-type", says=("Python float",))
def ce_numpy_scalar(probs, y):
    log_probs = np.log(np.clip(probs, EPS, 1.0))  # noqa: F821
    if y.ndim == 1:
        return -np.mean(log_probs[np.arange(len(probs)), y])
    return -np.sum(y * log_probs) / len(probs)


@wrong_answer(A, "cross_entropy", "keepdims: a (1, 1) array, not a number", kind="shape")
def ce_keepdims(probs, y):
    log_probs = np.log(np.clip(probs, EPS, 1.0))  # noqa: F821
    if y.ndim == 1:
        y = np.eye(probs.shape[1])[y]
    return -np.sum(y * log_probs, keepdims=True) / len(probs)


@wrong_answer(A, "softmax_loss", "subtracts 1 through probs.ravel() and flat indices: a copy for "
              "a transposed x, so the 1s are lost", kind="layout", says=("transposed",))
def softmax_loss_ravel(x, y):
    shifted = x - np.max(x, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    loss, probs = float(-np.mean(log_probs[np.arange(len(x)), y])), np.exp(log_probs)
    n, n_classes = x.shape
    probs.ravel()[np.arange(n) * n_classes + y] -= 1
    return loss, probs / n


@wrong_answer(A, "softmax_loss", "subtracts 1 through probs.reshape(-1): a copy for a transposed x",
              kind="layout", says=("transposed",))
def softmax_loss_reshape(x, y):
    shifted = x - np.max(x, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    loss, probs = float(-np.mean(log_probs[np.arange(len(x)), y])), np.exp(log_probs)
    flat = probs.reshape(-1)
    flat[np.arange(len(x)) * x.shape[1] + y] -= 1
    return loss, probs / len(x)


@wrong_answer(A, "softmax_loss", "dx filled into np.zeros_like(x): int scores truncate it",
              kind="dtype", says=("int64",))
def softmax_loss_zeros_like(x, y):
    shifted = x - np.max(x, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    loss, probs = float(-np.mean(log_probs[np.arange(len(x)), y])), np.exp(log_probs)
    dx = np.zeros_like(x)
    dx[...] = probs
    dx[np.arange(len(x)), y] -= 1
    return loss, dx / len(x)


@wrong_answer(A, "softmax_loss", "one-hot from np.zeros_like(x), probs added in place: fails for "
              "int scores", kind="dtype", says=("int64",))
def softmax_loss_add_into_int(x, y):
    shifted = x - np.max(x, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    loss, probs = float(-np.mean(log_probs[np.arange(len(x)), y])), np.exp(log_probs)
    dx = np.zeros_like(x)
    dx[np.arange(len(x)), y] = -1
    dx += probs
    return loss, dx / len(x)


@wrong_answer(A, "softmax_loss", "no float(): a numpy float32 loss for float32 scores",
              kind="python-type", says=("Python float",))
def softmax_loss_numpy_scalar(x, y):
    shifted = x - np.max(x, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    dx = np.exp(log_probs)
    dx[np.arange(len(x)), y] -= 1
    return -np.mean(log_probs[np.arange(len(x)), y]), dx / len(x)


@wrong_answer(A, "softmax_loss", "the loss as a (1,) array: np.mean(..., keepdims=True)",
              kind="shape")
def softmax_loss_array_loss(x, y):
    shifted = x - np.max(x, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    loss, probs = float(-np.mean(log_probs[np.arange(len(x)), y])), np.exp(log_probs)
    probs[np.arange(len(x)), y] -= 1
    return np.array([loss]), probs / len(x)


@wrong_answer(A, "binary_cross_entropy", "np.sum(...) / N without float(): a numpy float32 for "
              "float32 p", kind="python-type", says=("Python float",))
def bce_sum_over_n(p, y):
    p = np.clip(p, EPS, 1 - EPS)  # noqa: F821
    return -np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)) / len(p)


@wrong_answer(A, "cross_entropy", "np.sum(...) / N without float(): a numpy float32 for float32 "
              "probs", kind="python-type", says=("Python float",))
def ce_sum_over_n(probs, y):
    if y.ndim == 1:
        y = np.eye(probs.shape[1], dtype=probs.dtype)[y]
    return -np.sum(y * np.log(np.clip(probs, EPS, 1.0))) / len(probs)  # noqa: F821


@wrong_answer(A, "softmax_loss", "the loss from np.sum(...) / N without float(): a numpy float32 "
              "for float32 scores", kind="python-type", says=("Python float",))
def softmax_loss_sum_over_n(x, y):
    shifted = x - np.max(x, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    dx = np.exp(log_probs)
    dx[np.arange(len(x)), y] -= 1
    return -np.sum(log_probs[np.arange(len(x)), y]) / len(x), dx / len(x)


@wrong_answer(A, "softmax_loss", "the row max without keepdims: broadcasts along the wrong axis "
              "(right shape only when N == C)", kind="shape", says=("shape",))
def softmax_loss_max_without_keepdims(x, y):
    shifted = x - np.max(x, axis=1)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    dx = np.exp(log_probs)
    dx[np.arange(len(x)), y] -= 1
    return float(-np.mean(log_probs[np.arange(len(x)), y])), dx / len(x)
