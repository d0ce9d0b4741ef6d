"""Hidden tests of notebook 04 (numerical gradients). Each takes the student's function.

Failures name the kind of input (a transposed view, a Python int, an empty array), never its
values or the seed. The default step of numerical_derivative is checked on functions whose
truncation error shows (exp, sin), where another step gives another value.
"""
import numpy as np

from dlcourse.testing import (
    call_unmutated,
    check_close,
    check_equal,
    check_true,
    describe_shape,
    raised_on,
)

from . import reference
from .inputs import layouts, variants

ASSIGNMENT = "04_numerical_gradients"


def _shape(shape):
    return "(" + ", ".join(map(str, shape)) + (",)" if len(shape) == 1 else ")")


def check_numerical_derivative(numerical_derivative):
    """Three functions, three step sizes h, the default h where it shows, Python and numpy
    numbers for x."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(4001)
    functions = {"exp": np.exp, "x**4 - 3x": lambda t: t ** 4 - 3 * t, "tanh": np.tanh}
    for name, f in functions.items():
        for x, h in zip(rng.uniform(-2, 2, size=3), (1e-2, 1e-4, 0.3), strict=True):
            what = f"numerical_derivative of {name} at a random x (a Python float), h={h:g}"
            with raised_on(what):
                got = numerical_derivative(f, float(x), h)
            check_close(got, ref.numerical_derivative(f, float(x), h), what,
                        hint="The central difference: one step of h on each side of x, with the "
                             "h you are given.")
    # The default step. The central difference of exp at 1 has a truncation error of about
    # e h^2 / 6: 4.5e-5 for h = 1e-2, 4.5e-9 for h = 1e-4; for h = 1e-5 it is 5e-11, at the level
    # of round-off. A default that is not 1e-5 gives another value (x**2 could not tell: its
    # central difference is exact for every h).
    for name, f, x in (("exp", np.exp, 1.0), ("sin", np.sin, 0.5), ("exp", np.exp, -0.7)):
        what = f"numerical_derivative of {name} with the default step h"
        with raised_on(what):
            got = numerical_derivative(f, x)
        expected = ref.numerical_derivative(f, x)
        if not np.isclose(got, expected, rtol=1e-11, atol=0):
            used = next((h for h in (1e-1, 1e-2, 1e-3, 1e-4, 1e-6, 1e-7, 1e-8, 1e-10)
                         if np.isclose(got, ref.numerical_derivative(f, x, h), rtol=1e-11,
                                       atol=0)), None)
            check_close(got, expected, what, rtol=1e-11, atol=0,
                        hint=(f"Likely mistake: the default step is h={used:g}; the docstring "
                              "asks for h=1e-5." if used else "The default step is h=1e-5.")
                        + " Each step gives its own truncation and round-off error, so the "
                          "value shows which h was used.")
    # x may be a Python float or int, or a numpy number; the result is one number.
    for what, x in (("a Python float", 1.5), ("a Python int", 2),
                    ("a numpy float64", np.float64(0.3))):
        name = f"numerical_derivative of exp at x given as {what}"
        with raised_on(name, "x is a number, not an array: x + h and x - h need no copy."):
            got = numerical_derivative(np.exp, x, 1e-3)
        check_true(np.ndim(got) == 0, f"{name} should be one number, not an array of shape "
                                      f"{describe_shape(np.shape(got), ())}.")
        check_close(got, ref.numerical_derivative(np.exp, x, 1e-3), name)


def _tanh_cubic(weights):
    def f(z):
        return np.sum(weights * np.tanh(z)) + np.sum(z ** 3) / 3
    return f


def check_numerical_gradient(numerical_gradient):
    """0-d to 4-d x, size-1 axes, transposed / strided / reversed views and Fortran
    order (perturbed through the view), a loss that reads x through a model, one entry moved."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(4002)
    hint = "Loop over every index with np.ndindex(x.shape) and move one entry at a time."
    for shape, h in (((4, 3, 2), 1e-5), ((1,), 1e-3), ((), 1e-4), ((2, 1, 3, 2), 1e-2)):
        x = rng.standard_normal(shape)
        f = _tanh_cubic(rng.standard_normal(shape))
        what = "a 0-d array (shape ())" if x.ndim == 0 else f"an array of shape {_shape(shape)}"
        name = f"numerical_gradient of a function of {what} (h={h:g})"
        with raised_on(name, hint):
            got = call_unmutated(numerical_gradient, f, x, h)
        check_close(got, ref.numerical_gradient(f, x.copy(), h), name, dtype=np.float64,
                    hint=hint)
    # Views and Fortran order: x is perturbed through the view, f sees each nudge (whether it
    # reads its argument or the array itself), and nothing outside the view's entries changes.
    for shape in ((3, 2), (2, 3, 2), (5,)):
        values = rng.standard_normal(shape)
        weights = rng.standard_normal(shape)
        for what, x in layouts(values):
            buffer = x.base.copy() if x.base is not None else x.copy()
            f = _tanh_cubic(weights)
            def reads_x(unused, x=x, f=f):
                return f(x)
            for reading, function in (("", f), (" (f reads x itself)", reads_x)):
                name = f"numerical_gradient on {what}{reading}"
                with raised_on(name, hint):
                    got = numerical_gradient(function, x, 1e-5)
                check_close(got, ref.numerical_gradient(f, values.copy(), 1e-5), name,
                            rtol=1e-6, atol=1e-8,
                            hint="Perturb x itself through its own indices, x[index] = ...: "
                                 "x.ravel() and x.reshape(-1) are copies when x is not "
                                 "C-contiguous (a transposed or strided view), so neither x nor f "
                                 "would see the nudge.")
                check_true(np.array_equal(x, values),
                           f"After numerical_gradient on {what} the array x no longer holds its "
                           "original values: restore each entry to its saved value.")
                if x.base is not None:
                    check_true(np.array_equal(x.base, buffer),
                               f"numerical_gradient on {what} changed entries of the larger "
                               "array outside the view: move x's entries through x's own "
                               "indices only.")
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
    """Scales 1e-6 to 1e3, symmetry, zeros (the 1e-8 floor), views, float32 and int arrays,
    Python numbers; a Python float returned."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(4003)
    hint = "Per entry |a - b| / max(|a|, |b|, 1e-8), then the max, as a Python float."
    for shape in ((5,), (3, 4), (2, 2, 2), (1, 1)):
        a = rng.standard_normal(shape) * 10.0 ** rng.integers(-6, 4, size=shape)
        b = a * (1 + 1e-3 * rng.standard_normal(shape))
        if shape == (3, 4):  # an entry below the floor: divided by 1e-8, it gives the max, 0.2
            a.flat[0], b.flat[0] = 2e-9, 0.0
        pairs = zip(variants(a * 4, "layout", "float32", "int", "python"),
                    variants(b * 4, "layout", "float32", "int", "python"), strict=True)
        for (what, av), (_, bv) in pairs:
            if what.startswith("a Python list"):
                continue    # numbers or arrays, not lists
            if what == "a Python int":
                bv = av + 1     # the same int rounded from a and b would compare equal
            name = f"relative_error of two arrays of shape {_shape(shape)} given as {what}"
            if not isinstance(av, np.ndarray):
                name = f"relative_error of two numbers given as {what}"
            with raised_on(name, hint):
                got = call_unmutated(relative_error, av, bv)
                swapped = relative_error(bv, av)
            check_true(isinstance(got, float),
                       f"{name} should be a Python float, but it is {type(got).__name__}"
                       + (f" of shape {describe_shape(got.shape)}"
                          if isinstance(got, np.ndarray) else "")
                       + ". Likely mistake: return float(...) of the max over the entries.")
            expected = ref.relative_error(av, bv)
            check_close(got, expected, name, hint=hint)
            check_close(swapped, expected, f"{name}, with the arguments swapped",
                        hint="The formula is symmetric in a and b.")
    zeros = np.zeros((3, 2))
    check_close(relative_error(zeros, zeros), 0.0, "relative_error of two arrays of zeros",
                hint="0 / 0 is avoided by the floor 1e-8 in the denominator.")
    check_close(relative_error(np.array([0.0, 1.0]), np.array([3e-9, 1.0])), 0.3,
                "relative_error([0, 1], [3e-9, 1])",
                hint="max(|a|, |b|) = 3e-9 is below the floor, so divide by 1e-8.")
    a = rng.standard_normal(6)
    check_close(relative_error(a, a.copy()), 0.0, "relative_error of an array with itself")


def check_gradient_descent(gradient_descent):
    """1 to 5 dimensions, a zero gradient, the path's shape, type and dtype, views and int x0,
    grad_f calls, the same path when called again."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(4004)
    hint = "path[0] = x0, path[t + 1] = path[t] - lr * grad_f(path[t]), in a new float array."
    for dim, steps, lr in ((3, 7, 0.05), (1, 4, 0.3), (5, 1, 0.01), (2, 0, 0.1)):
        A = rng.standard_normal((dim, dim))
        target = rng.standard_normal(dim)
        def grad_f(x, A=A, target=target):
            return A.T @ (A @ x - target)
        for what, x0 in variants(rng.standard_normal(dim) * 3, "layout", "int"):
            name = (f"the path of gradient_descent in D={dim} dimensions from x0 given as {what}, "
                    f"{steps} steps")
            with raised_on(name, hint):
                path = call_unmutated(gradient_descent, grad_f, x0, lr, steps)
            check_true(isinstance(path, np.ndarray),
                       f"{name} should be a numpy array of shape ({steps + 1}, {dim}), but it is "
                       f"a Python {type(path).__name__}. Likely mistake: the rows are collected "
                       "in a list: return np.array(path).")
            check_close(path, ref.gradient_descent(grad_f, x0, lr, steps), name,
                        dtype=np.floating, hint=hint)
    # Called again with the same arguments, the same path: nothing is kept between calls.
    x0 = rng.standard_normal(3)
    grad_f = lambda x: 2 * x  # noqa: E731
    first = gradient_descent(grad_f, x0, 0.1, 4)
    check_close(gradient_descent(grad_f, x0, 0.1, 4), first,
                "the path of a second call of gradient_descent with the same arguments",
                hint="A default argument such as path=[] is made once, when the function is "
                     "defined, and keeps its rows from one call to the next: make a new list in "
                     "every call.")
    x0 = rng.standard_normal(2)
    path = gradient_descent(lambda x: np.zeros(2), x0, 0.1, 5)
    check_equal(np.shape(path), np.array([6, 2]), "the shape of the path for 5 steps in 2-D")
    check_close(path, np.tile(x0, (6, 1)), "the path when the gradient is always 0",
                hint="With a zero gradient every row equals x0.")
    calls = []
    gradient_descent(lambda x: calls.append(1) or np.ones(2), x0, 0.1, 9)
    check_equal(len(calls), 9, "the number of times grad_f is called for 9 steps",
                hint="One gradient per update, none after the last one.")
