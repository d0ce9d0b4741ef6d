"""Right answers to notebook 03 that differ from the solution. `EPS` resolves in the notebook's
namespace."""
import numpy as np

from . import right_answer

A = "03_losses"


@right_answer(A, "mse_loss", "a loop over the entries with .flat, then float() of the total")
def mse_loss_loop(y_pred, y):
    total = 0.0
    for predicted, target in zip(y_pred.flat, y.flat, strict=True):
        total += (float(predicted) - float(target)) ** 2
    return total / y_pred.size


@right_answer(A, "mse_loss", "the mean of the per-column means (equal-sized groups)")
def mse_loss_mean_of_means(y_pred, y):
    return float(np.mean(np.mean((y_pred - y) ** 2, axis=0)))


@right_answer(A, "mse_grad", "a loop over np.ndindex filling np.zeros(shape): float64 always")
def mse_grad_loop(y_pred, y):
    grad = np.zeros(y_pred.shape)
    for index in np.ndindex(y_pred.shape):
        grad[index] = 2.0 * (y_pred[index] - y[index]) / y_pred.size
    return grad


@right_answer(A, "binary_cross_entropy", "np.where picks the active term of each example")
def bce_where(p, y):
    p = np.clip(p, EPS, 1 - EPS)  # noqa: F821
    return float(-np.mean(np.where(y == 1, np.log(p), np.log(1 - p))))


@right_answer(A, "binary_cross_entropy", "a loop over the examples with Python floats")
def bce_loop(p, y):
    total = 0.0
    for p_i, y_i in zip(p.tolist(), y.tolist(), strict=True):
        p_i = min(max(p_i, EPS), 1 - EPS)  # noqa: F821
        total -= y_i * np.log(p_i) + (1 - y_i) * np.log(1 - p_i)
    return float(total / len(p))


@right_answer(A, "cross_entropy", "one-hot labels turned into classes with argmax, then one path")
def ce_argmax(probs, y):
    classes = np.argmax(y, axis=1) if y.ndim == 2 else y
    return float(-np.mean(np.log(np.clip(probs[np.arange(len(probs)), classes], EPS, 1.0))))  # noqa: F821


@right_answer(A, "cross_entropy", "a loop over the examples")
def ce_loop(probs, y):
    total = 0.0
    for i in range(len(probs)):
        true_class = int(np.argmax(y[i])) if y.ndim == 2 else int(y[i])
        total -= np.log(max(float(probs[i, true_class]), EPS))  # noqa: F821
    return float(total / len(probs))


@right_answer(A, "softmax_loss", "dx as (softmax - one_hot) / N with np.eye, log-sum-exp via "
                                 "the max added back")
def softmax_loss_one_hot(x, y):
    n, n_classes = x.shape
    row_max = x.max(axis=1, keepdims=True)
    log_sum_exp = row_max + np.log(np.exp(x - row_max).sum(axis=1, keepdims=True))
    log_probs = x - log_sum_exp
    loss = float(-log_probs[np.arange(n), y].mean())
    return loss, (np.exp(log_probs) - np.eye(n_classes)[y]) / n


@right_answer(A, "softmax_loss", "a loop over the rows")
def softmax_loss_loop(x, y):
    n = len(x)
    loss, dx = 0.0, np.zeros(x.shape)
    for i in range(n):
        shifted = x[i] - x[i].max()
        log_probs = shifted - np.log(np.exp(shifted).sum())
        loss -= log_probs[y[i]]
        dx[i] = np.exp(log_probs)
        dx[i, y[i]] -= 1
    return float(loss / n), dx / n
