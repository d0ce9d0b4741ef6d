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
