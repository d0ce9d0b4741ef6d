"""Hidden tests of notebook 04 (numerical gradients). Each takes the student's function."""
import numpy as np

from dlcourse.testing import call_unmutated, check_close, check_equal, check_true

from . import reference

ASSIGNMENT = "04_numerical_gradients"


def check_numerical_derivative(numerical_derivative):
    """Three functions, three step sizes h, and the default h."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(4001)
    functions = {"exp": np.exp, "x**4 - 3x": lambda t: t ** 4 - 3 * t, "tanh": np.tanh}
    for name, f in functions.items():
        for x, h in zip(rng.uniform(-2, 2, size=3), (1e-2, 1e-4, 0.3), strict=True):
            check_close(numerical_derivative(f, x, h), ref.numerical_derivative(f, x, h),
                        f"numerical_derivative({name}, x={x:.4f}, h={h:g})",
                        hint="The central difference: one step of h on each side of x, with the "
                             "h you are given.")
    check_close(numerical_derivative(lambda t: t ** 2, 1.5), 3.0, "numerical_derivative(x**2, 1.5) "
                "with the default h", hint="The default step is h=1e-5.")


def check_numerical_gradient(numerical_gradient):
    """0-d to 4-d x, a loss that reads x through a model, one entry moved."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(4002)
    for shape, h in (((4, 3, 2), 1e-5), ((1,), 1e-3), ((), 1e-4), ((2, 1, 3, 2), 1e-2)):
        x = rng.standard_normal(shape)
        weights = rng.standard_normal(shape)
        def f(z, w=weights):
            return np.sum(w * np.tanh(z)) + np.sum(z ** 3) / 3
        check_close(call_unmutated(numerical_gradient, f, x, h),
                    ref.numerical_gradient(f, x.copy(), h),
                    f"numerical_gradient of a function of an array of shape {shape} (h={h:g})",
                    hint="Loop over every index with np.ndindex(x.shape) and move one entry at a "
                         "time.")
    # A loss that reads the weights from a "model" and ignores its argument.
    model = {"W": rng.uniform(-2, 2, size=(3, 5))}
    targets = rng.standard_normal((3, 5))
    def model_loss(unused):
        return np.sum((model["W"] - targets) ** 2 * np.arange(1, 6))
    original = model["W"].copy()
    grad = numerical_gradient(model_loss, model["W"], 1e-5)
    check_true(np.array_equal(model["W"], original),
               "numerical_gradient left the weights changed after the call: restore each entry to "
               "its saved original value (not original + h - 2h + h, which rounds).")
    check_close(grad, 2 * (original - targets) * np.arange(1, 6),
                "numerical_gradient of a model loss that reads W from the model",
                hint="The loss ignores its argument and reads the weights from the model: perturb "
                     "x itself, in place, so that the model sees the change.", rtol=1e-5)
    # Every call of f must see x with at most one entry moved.
    x = rng.standard_normal((2, 3))
    seen = []
    numerical_gradient(lambda z: seen.append(np.array(z, copy=True)) or float(np.sum(z)), x, 1e-3)
    moved = [int(np.count_nonzero(s != x)) for s in seen]
    check_true(max(moved, default=0) <= 1,
               f"A call of f saw {max(moved, default=0)} entries of x changed at once: perturb one "
               "entry at a time.")
    check_true(len(seen) >= 2 * x.size,
               f"f was called {len(seen)} times for an x of {x.size} entries: the central "
               "difference needs two calls per entry.")


def check_relative_error(relative_error):
    """Scales 1e-6 to 1e3, symmetry, zeros (the 1e-8 floor), a float returned."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(4003)
    for shape in ((5,), (3, 4), (2, 2, 2)):
        a = rng.standard_normal(shape) * 10.0 ** rng.integers(-6, 4, size=shape)
        b = a * (1 + 1e-3 * rng.standard_normal(shape))
        b.flat[0] = 0.0
        got = call_unmutated(relative_error, a, b)
        check_close(got, ref.relative_error(a, b), f"relative_error of two arrays of shape {shape}",
                    hint="Per entry |a - b| / max(|a|, |b|, 1e-8), then the max.")
        check_close(relative_error(b, a), ref.relative_error(a, b),
                    f"relative_error(b, a) for arrays of shape {shape}",
                    hint="The formula is symmetric in a and b.")
    zeros = np.zeros((3, 2))
    check_close(relative_error(zeros, zeros), 0.0, "relative_error of two arrays of zeros",
                hint="0 / 0 is avoided by the floor 1e-8 in the denominator.")
    check_close(relative_error(np.array([0.0, 1.0]), np.array([3e-9, 1.0])), 0.3,
                "relative_error([0, 1], [3e-9, 1])",
                hint="max(|a|, |b|) = 3e-9 is below the floor, so divide by 1e-8.")
    a = rng.standard_normal(6)
    check_close(relative_error(a, a.copy()), 0.0, "relative_error of an array with itself")
    check_true(isinstance(relative_error(a, a + 1), float | np.floating),
               "relative_error should return a single float (the max over entries).")


def check_gradient_descent(gradient_descent):
    """1 to 5 dimensions, a zero gradient, the path's shape, grad_f calls."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(4004)
    for dim, steps, lr in ((3, 7, 0.05), (1, 4, 0.3), (5, 1, 0.01)):
        A = rng.standard_normal((dim, dim))
        target = rng.standard_normal(dim)
        def grad_f(x, A=A, target=target):
            return A.T @ (A @ x - target)
        x0 = rng.standard_normal(dim)
        path = call_unmutated(gradient_descent, grad_f, x0, lr, steps)
        check_close(path, ref.gradient_descent(grad_f, x0, lr, steps),
                    f"the path of gradient_descent in D={dim} dimensions, lr={lr}, {steps} steps",
                    hint="path[0] = x0, path[t + 1] = path[t] - lr * grad_f(path[t]).")
    x0 = rng.standard_normal(2)
    path = gradient_descent(lambda x: np.zeros(2), x0, 0.1, 5)
    check_equal(path.shape, np.array([6, 2]), "the shape of the path for 5 steps in 2-D")
    check_close(path, np.tile(x0, (6, 1)), "the path when the gradient is always 0",
                hint="With a zero gradient every row equals x0.")
    calls = []
    gradient_descent(lambda x: calls.append(1) or np.ones(2), x0, 0.1, 9)
    check_equal(len(calls), 9, "the number of times grad_f is called for 9 steps",
                hint="One gradient per update, none after the last one.")
