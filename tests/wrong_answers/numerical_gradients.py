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


# Kinds of input (issue 15), and the default step that a check on x**2 could not see.

@wrong_answer(A, "numerical_derivative", "default step h=1e-2: exact for x**2, off by 5e-5 for exp",
              kind="weak-check", says=("h=0.01",))
def derivative_default_1e_2(f, x, h=1e-2):
    return (f(x + h) - f(x - h)) / (2 * h)


@wrong_answer(A, "numerical_derivative", "default step h=1e-4: exact for x**2, off by 5e-9 for exp",
              kind="weak-check", says=("h=0.0001",))
def derivative_default_1e_4(f, x, h=1e-4):
    return (f(x + h) - f(x - h)) / (2 * h)


@wrong_answer(A, "numerical_derivative", "default step h=1e-8, the forward difference's best: "
              "round-off swamps the central difference", kind="weak-check", says=("h=1e-08",))
def derivative_default_1e_8(f, x, h=1e-8):
    return (f(x + h) - f(x - h)) / (2 * h)


@wrong_answer(A, "numerical_derivative", "perturbs copies made with x.copy(): a Python float has "
              "no .copy()", kind="python-type")
def derivative_copies(f, x, h=1e-5):
    x_plus, x_minus = x.copy(), x.copy()
    x_plus += h
    x_minus -= h
    return (f(x_plus) - f(x_minus)) / (2 * h)


@wrong_answer(A, "numerical_derivative", "np.array(x) nudged in place: a Python int makes an int "
              "array, and += h fails", kind="python-type", says=("Python int",))
def derivative_array_in_place(f, x, h=1e-5):
    point = np.array(x)
    point += h
    f_plus = f(point)
    point -= 2 * h
    return (f_plus - f(point)) / (2 * h)


@wrong_answer(A, "numerical_gradient", "loops over x.ravel(): a copy when x is a transposed view, "
              "so f never sees a nudge", kind="layout", says=("view",))
def gradient_ravel(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    flat, flat_grad = x.ravel(), grad.ravel()
    for i in range(flat.size):
        original = flat[i]
        flat[i] = original + h
        f_plus = f(x)
        flat[i] = original - h
        f_minus = f(x)
        flat[i] = original
        flat_grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


@wrong_answer(A, "numerical_gradient", "nudges x.reshape(-1) and passes it reshaped back to f: a "
              "copy for a view, which f reading x itself never sees", kind="layout",
              says=("view",))
def gradient_reshape_copy(f, x, h=1e-5):
    flat = x.reshape(-1)
    grad = np.zeros(flat.size)
    for i in range(flat.size):
        original = flat[i]
        flat[i] = original + h
        f_plus = f(flat.reshape(x.shape))
        flat[i] = original - h
        f_minus = f(flat.reshape(x.shape))
        flat[i] = original
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad.reshape(x.shape)


@wrong_answer(A, "numerical_gradient", "written for vectors and matrices: a double loop moves "
              "whole rows of a 3-D x", kind="shape", says=("shape (4, 3, 2)",))
def gradient_two_dims(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    indices = ([(i,) for i in range(x.shape[0])] if x.ndim == 1 else
               [(i, j) for i in range(x.shape[0]) for j in range(x.shape[1])])
    for index in indices:
        original = x[index].copy()
        x[index] = original + h
        f_plus = f(x)
        x[index] = original - h
        f_minus = f(x)
        x[index] = original
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad


@wrong_answer(A, "numerical_gradient", "returns the gradient flat, (x.size,)", kind="shape",
              says=("shape",))
def gradient_flat(f, x, h=1e-5):
    grad = np.zeros(x.size)
    for i, index in enumerate(np.ndindex(x.shape)):
        original = x[index]
        x[index] = original + h
        f_plus = f(x)
        x[index] = original - h
        f_minus = f(x)
        x[index] = original
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


@wrong_answer(A, "relative_error", "no float(): np.max of float32 arrays is a numpy float32",
              kind="python-type", says=("Python float",))
def relative_error_numpy_scalar(a, b):
    return np.max(np.abs(a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), 1e-8))


@wrong_answer(A, "relative_error", "the errors' .max() without float(): numpy float32 for float32",
              kind="python-type", says=("Python float",))
def relative_error_max_method(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return (np.abs(a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), 1e-8)).max()


@wrong_answer(A, "relative_error", "errors written into np.zeros_like(a): int arrays truncate them",
              kind="dtype", says=("int64",))
def relative_error_zeros_like(a, b):
    errors = np.zeros_like(a)
    errors[...] = np.abs(a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), 1e-8)
    return float(np.max(errors))


@wrong_answer(A, "relative_error", "np.divide(..., out=np.empty_like(a)): fails for int arrays",
              kind="dtype", says=("int64",))
def relative_error_divide_out(a, b):
    errors = np.empty_like(a)
    np.divide(np.abs(a - b), np.maximum(np.maximum(np.abs(a), np.abs(b)), 1e-8), out=errors)
    return float(np.max(errors))


@wrong_answer(A, "relative_error", "np.max(..., axis=0): one value per column of a 2-D array",
              kind="shape", says=("shape (3, 4)",))
def relative_error_axis_0(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    errors = np.abs(a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), 1e-8)
    return float(np.max(errors, axis=0)) if errors.ndim > 1 else float(np.max(errors))


@wrong_answer(A, "relative_error", "a loop over the entries of a vector: Python's max of rows "
              "fails for a 2-D array", kind="shape", says=("shape (3, 4)",))
def relative_error_loop_1d(a, b):
    a, b = np.atleast_1d(a), np.atleast_1d(b)
    worst = 0.0
    for i in range(len(a)):
        worst = max(worst, abs(a[i] - b[i]) / max(abs(a[i]), abs(b[i]), 1e-8))
    return float(worst)


@wrong_answer(A, "gradient_descent", "path=[] as a default argument: the rows of every earlier "
              "call stay in it", kind="repeated-call", says=("second call",))
def descent_default_path_list(grad_f, x0, lr, steps, path=[]):  # noqa: B006
    x = np.array(x0, dtype=float)
    path.append(x)
    for _ in range(steps):
        x = x - lr * grad_f(x)
        path.append(x)
    return np.array(path)


@wrong_answer(A, "gradient_descent", "path += [x] on a default path=[]: += extends the default "
              "list in place", kind="repeated-call", says=("second call",))
def descent_default_path_extended(grad_f, x0, lr, steps, path=[]):  # noqa: B006
    x = np.array(x0, dtype=float)
    path += [x]
    for _ in range(steps):
        x = x - lr * grad_f(x)
        path += [x]
    return np.array(path[-(steps + 1):]) if len(path) == steps + 1 else np.array(path)


@wrong_answer(A, "gradient_descent", "returns the Python list of rows, not an array",
              kind="python-type", says=("Python list",))
def descent_returns_list(grad_f, x0, lr, steps):
    path = [np.array(x0, dtype=float)]
    for _ in range(steps):
        path.append(path[-1] - lr * grad_f(path[-1]))
    return path


@wrong_answer(A, "gradient_descent", "returns the rows as nested Python lists (.tolist())",
              kind="python-type", says=("Python list",))
def descent_returns_nested_lists(grad_f, x0, lr, steps):
    path = [np.array(x0, dtype=float)]
    for _ in range(steps):
        path.append(path[-1] - lr * grad_f(path[-1]))
    return np.array(path).tolist()


@wrong_answer(A, "gradient_descent", "preallocates the path with x0's dtype: an int x0 truncates "
              "every step", kind="dtype", says=("int64",))
def descent_path_in_x0_dtype(grad_f, x0, lr, steps):
    path = np.zeros((steps + 1, len(x0)), dtype=x0.dtype)
    path[0] = x0
    for t in range(steps):
        path[t + 1] = path[t] - lr * grad_f(path[t])
    return path


@wrong_answer(A, "gradient_descent", "x = x0.copy(), then x -= lr * g: fails for an int x0",
              kind="dtype", says=("int64",))
def descent_copy_in_place(grad_f, x0, lr, steps):
    x = x0.copy()
    path = [x.copy()]
    for _ in range(steps):
        x -= lr * grad_f(x)
        path.append(x.copy())
    return np.array(path, dtype=float)


@wrong_answer(A, "gradient_descent", "squeezes the path: one dimension (D = 1) loses its axis",
              kind="shape", says=("shape",))
def descent_squeezed(grad_f, x0, lr, steps):
    path = [np.array(x0, dtype=float)]
    for _ in range(steps):
        path.append(path[-1] - lr * grad_f(path[-1]))
    return np.array(path).squeeze()


@wrong_answer(A, "gradient_descent", "np.concatenate of the rows: a flat ((steps + 1) D,) array",
              kind="shape", says=("shape",))
def descent_concatenated(grad_f, x0, lr, steps):
    path = [np.array(x0, dtype=float)]
    for _ in range(steps):
        path.append(path[-1] - lr * grad_f(path[-1]))
    return np.concatenate(path)
