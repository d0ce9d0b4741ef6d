"""Right answers to notebook 04 that differ from the solution."""
import numpy as np

from . import right_answer

A = "04_numerical_gradients"


@right_answer(A, "numerical_derivative", "the difference quotient written as a product by 0.5 / h")
def derivative_half_over_h(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) * (0.5 / h)


@right_answer(A, "numerical_gradient", "x.flat[i] over np.arange(x.size): flat indexing writes "
                                       "through any view")
def gradient_flat_iterator(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for i in range(x.size):
        original = x.flat[i]
        x.flat[i] = original + h
        f_plus = f(x)
        x.flat[i] = original - h
        f_minus = f(x)
        x.flat[i] = original
        grad.flat[i] = (f_plus - f_minus) / (2 * h)
    return grad


@right_answer(A, "numerical_gradient", "np.nditer with multi_index and readwrite")
def gradient_nditer(f, x, h=1e-5):
    grad = np.zeros_like(x)
    iterator = np.nditer(x, flags=["multi_index"], op_flags=[["readwrite"]])
    while not iterator.finished:
        index = iterator.multi_index
        original = x[index]
        x[index] = original + h
        f_plus = f(x)
        x[index] = original - h
        f_minus = f(x)
        x[index] = original
        grad[index] = (f_plus - f_minus) / (2 * h)
        iterator.iternext()
    return grad


@right_answer(A, "relative_error", "np.asarray, np.fmax of three terms, .item()")
def relative_error_item(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return (np.abs(a - b) / np.fmax(np.fmax(np.abs(a), np.abs(b)), 1e-8)).max().item()


@right_answer(A, "relative_error", "a loop over the entries with Python floats")
def relative_error_loop(a, b):
    worst = 0.0
    for a_i, b_i in zip(np.ravel(a).tolist(), np.ravel(b).tolist(), strict=True):
        worst = max(worst, abs(a_i - b_i) / max(abs(a_i), abs(b_i), 1e-8))
    return worst


@right_answer(A, "gradient_descent", "a preallocated float path filled row by row")
def descent_preallocated(grad_f, x0, lr, steps):
    path = np.zeros((steps + 1, len(x0)))
    path[0] = x0
    for t in range(steps):
        path[t + 1] = path[t] - lr * grad_f(path[t])
    return path


@right_answer(A, "gradient_descent", "path=None as the default, a new list in every call")
def descent_default_none(grad_f, x0, lr, steps, path=None):
    path = [np.asarray(x0, dtype=float).copy()] if path is None else path
    for _ in range(steps):
        path.append(path[-1] - lr * grad_f(path[-1]))
    return np.stack(path)
