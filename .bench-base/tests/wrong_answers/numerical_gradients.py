"""Wrong answers to notebook 04. Names such as `np` resolve in the notebook's namespace."""
import numpy as np

from . import wrong_answer

A = "04_numerical_gradients"


@wrong_answer(A, "numerical_derivative", "forward difference (f(x + h) - f(x)) / h")
def derivative_forward(f, x, h=1e-5):
    return (f(x + h) - f(x)) / h


@wrong_answer(A, "numerical_derivative", "divides by h instead of 2h", says=("2h apart",))
def derivative_over_h(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / h


@wrong_answer(A, "numerical_derivative", "subtracts in the wrong order", says=("sign",))
def derivative_wrong_sign(f, x, h=1e-5):
    return (f(x - h) - f(x + h)) / (2 * h)


@wrong_answer(A, "numerical_derivative", "ignores the h argument (hard-coded 1e-5)")
def derivative_fixed_h(f, x, h=1e-5):
    return (f(x + 1e-5) - f(x - 1e-5)) / 2e-5


@wrong_answer(A, "numerical_gradient", "perturbs a copy of x, so f reading x from outside sees "
              "nothing", says=("in place",))
def gradient_on_copy(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        x_plus, x_minus = x.copy(), x.copy()
        x_plus[index] += h
        x_minus[index] -= h
        grad[index] = (f(x_plus) - f(x_minus)) / (2 * h)
    return grad


@wrong_answer(A, "numerical_gradient", "restores by arithmetic (+h, -2h, +h), which rounds",
              says=("modified",))
def gradient_restore_by_arithmetic(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        x[index] += h
        f_plus = f(x)
        x[index] -= 2 * h
        f_minus = f(x)
        x[index] += h
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad


@wrong_answer(A, "numerical_gradient", "never restores the perturbed entry", says=("modified",))
def gradient_no_restore(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + h
        f_plus = f(x)
        x[index] = original - h
        grad[index] = (f_plus - f(x)) / (2 * h)
    return grad


@wrong_answer(A, "numerical_gradient", "forward difference per entry")
def gradient_forward(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        original = x[index]
        f_here = f(x)
        x[index] = original + h
        f_plus = f(x)
        x[index] = original
        grad[index] = (f_plus - f_here) / h
    return grad


@wrong_answer(A, "numerical_gradient", "loops over range(len(x)): moves whole rows of a 2-D x")
def gradient_rows(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for i in range(len(x)):
        original = x[i].copy()
        x[i] = original + h
        f_plus = f(x)
        x[i] = original - h
        f_minus = f(x)
        x[i] = original
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


@wrong_answer(A, "relative_error", "no floor: 0 / 0 gives NaN")
def relative_error_no_floor(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return float(np.max(np.abs(a - b) / np.maximum(np.abs(a), np.abs(b))))


@wrong_answer(A, "relative_error", "divides by |a| + |b| instead of max(|a|, |b|)")
def relative_error_sum(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-8)))


@wrong_answer(A, "relative_error", "divides by |b| only: not symmetric")
def relative_error_by_b(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-8)))


@wrong_answer(A, "relative_error", "global ratio max|a - b| / max(|a|, |b|): small entries hide")
def relative_error_global(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(a)), np.max(np.abs(b)), 1e-8))


@wrong_answer(A, "relative_error", "mean over entries instead of max")
def relative_error_mean(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.mean(np.abs(a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), 1e-8)))


@wrong_answer(A, "gradient_descent", "steps uphill (x + lr * grad)")
def descent_uphill(grad_f, x0, lr, steps):
    path = [np.array(x0, dtype=float)]
    for _ in range(steps):
        path.append(path[-1] + lr * grad_f(path[-1]))
    return np.array(path)


@wrong_answer(A, "gradient_descent", "leaves x0 out of the path", says=("shape",))
def descent_without_start(grad_f, x0, lr, steps):
    x, path = np.array(x0, dtype=float), []
    for _ in range(steps):
        x = x - lr * grad_f(x)
        path.append(x)
    return np.array(path).reshape(steps, len(x0))


@wrong_answer(A, "gradient_descent", "appends one array updated in place: every row is the last")
def descent_aliased_rows(grad_f, x0, lr, steps):
    x = np.array(x0, dtype=float)
    path = [x]
    for _ in range(steps):
        x -= lr * grad_f(x)
        path.append(x)
    return np.array(path)


@wrong_answer(A, "gradient_descent", "updates x0 itself in place", says=("modified",))
def descent_mutates_x0(grad_f, x0, lr, steps):
    path = [x0.copy()]
    for _ in range(steps):
        x0 -= lr * grad_f(x0)
        path.append(x0.copy())
    return np.array(path)


@wrong_answer(A, "gradient_descent", "one update too many (range(steps + 1))")
def descent_one_too_many(grad_f, x0, lr, steps):
    path = [np.array(x0, dtype=float)]
    for _ in range(steps + 1):
        path.append(path[-1] - lr * grad_f(path[-1]))
    return np.array(path)
