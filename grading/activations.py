"""Hidden tests of notebook 02 (activation functions). Each takes the student's function."""
import numpy as np

from dlcourse.testing import call_quietly, check_close, check_true

from . import reference

ASSIGNMENT = "02_activations"


def _inputs(seed):
    """Inputs of several shapes with exact zeros and extreme values, from their own RNG."""
    rng = np.random.default_rng(seed)
    grid = rng.standard_normal((4, 5, 3)) * 4
    grid[0, 0] = [0.0, -0.0, 1e-12]
    extremes = np.array([-1e6, -1000.0, -745.0, -50.0, -1e-8, 1e-8, 50.0, 745.0, 1000.0, 1e6])
    return [rng.standard_normal(7), rng.standard_normal((6, 4)) * 10, grid, extremes]


def _check_elementwise(student, reference_function, name, seed, *args, hint=""):
    for x in _inputs(seed):
        check_close(call_quietly(student, x, *args), reference_function(x, *args),
                    f"{name} on an array of shape {x.shape}"
                    + (f" with alpha={args[0]}" if args else ""), hint=hint)


def check_sigmoid(sigmoid):
    ref = reference(ASSIGNMENT)
    _check_elementwise(sigmoid, ref.sigmoid, "sigmoid", 2001,
                       hint="Only exponentiate numbers <= 0, and return floats.")
    check_close(call_quietly(sigmoid, 0.0), 0.5, "sigmoid(0.0) (a number)")
    check_close(call_quietly(sigmoid, np.array([-3, 0, 3])), ref.sigmoid(np.array([-3, 0, 3])),
                "sigmoid of an int array", hint="Convert to floats: np.asarray(x, dtype=float).")
    x = np.random.default_rng(2002).standard_normal(50) * 20
    check_close(sigmoid(-x), 1 - ref.sigmoid(x), "sigmoid(-x), which should be 1 - sigmoid(x)")


def check_sigmoid_grad(sigmoid_grad):
    ref = reference(ASSIGNMENT)
    _check_elementwise(sigmoid_grad, ref.sigmoid_grad, "sigmoid_grad", 2003,
                       hint="sigmoid'(x) = sigmoid(x) * (1 - sigmoid(x)).")


def check_tanh_grad(tanh_grad):
    ref = reference(ASSIGNMENT)
    _check_elementwise(tanh_grad, ref.tanh_grad, "tanh_grad", 2004,
                       hint="tanh'(x) = 1 - np.tanh(x)**2.")


def check_relu(relu):
    ref = reference(ASSIGNMENT)
    _check_elementwise(relu, ref.relu, "relu", 2005)


def check_relu_grad(relu_grad):
    ref = reference(ASSIGNMENT)
    _check_elementwise(relu_grad, ref.relu_grad, "relu_grad", 2006,
                       hint="1 where x > 0, 0 elsewhere; relu_grad(0) = 0.")


def check_leaky_relu(leaky_relu):
    ref = reference(ASSIGNMENT)
    for seed, alpha in ((2007, 0.01), (2008, 0.3), (2009, 0.0)):
        _check_elementwise(leaky_relu, ref.leaky_relu, "leaky_relu", seed, alpha,
                           hint="x where x > 0, alpha * x elsewhere, with the alpha given.")


def check_leaky_relu_grad(leaky_relu_grad):
    ref = reference(ASSIGNMENT)
    for seed, alpha in ((2010, 0.01), (2011, 0.3), (2012, 0.0)):
        _check_elementwise(leaky_relu_grad, ref.leaky_relu_grad, "leaky_relu_grad", seed, alpha,
                           hint="1 where x > 0, alpha elsewhere; leaky_relu_grad(0, alpha) = alpha.")


def check_softmax(softmax):
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(2013)
    cases = [
        ("1-D scores, C = 10", rng.standard_normal(10) * 3),
        ("(5, 7) scores", rng.standard_normal((5, 7)) * 3),
        ("(4, 4) scores (square: the wrong axis is not caught by a shape error)",
         rng.standard_normal((4, 4)) * 3),
        ("(6, 1) scores (one class: every probability is 1)", rng.standard_normal((6, 1))),
        ("(1, 5) scores", rng.standard_normal((1, 5))),
        ("(3, 4) scores, rows near 1000, 0 and -1000",
         rng.standard_normal((3, 4)) + np.array([[1000.0], [0.0], [-1000.0]])),
        ("scores of 1e6 and -1e6", np.array([[1e6, -1e6, 0.0], [-1e6, -1e6, -1e6]])),
        ("an int array of scores", rng.integers(-5, 6, size=(3, 5))),
    ]
    for what, z in cases:
        probs = call_quietly(softmax, z)
        check_close(probs, ref.softmax(z), f"softmax of {what}",
                    hint="exp(z - max) / sum(exp(z - max)), with the max and the sum over the last "
                         "axis (axis=-1, keepdims=True).")
    z = rng.standard_normal((8, 6)) * 5
    check_true(np.allclose(softmax(z + 123.0), ref.softmax(z)),
               "softmax(z + 123) should equal softmax(z): adding a constant to every score of a "
               "row does not change its probabilities.")
