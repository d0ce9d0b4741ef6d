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
    """Every shape, exact zeros, |x| up to 1e6 without a warning, a scalar, ints, symmetry."""
    ref = reference(ASSIGNMENT)
    _check_elementwise(sigmoid, ref.sigmoid, "sigmoid", 2001,
                       hint="Only exponentiate numbers <= 0, and return floats.")
    check_close(call_quietly(sigmoid, 0.0), 0.5, "sigmoid(0.0) (a number)")
    check_close(call_quietly(sigmoid, np.array([-3, 0, 3])), ref.sigmoid(np.array([-3, 0, 3])),
                "sigmoid of an int array", hint="Convert to floats: np.asarray(x, dtype=float).")
    x = np.random.default_rng(2002).standard_normal(50) * 20
    check_close(sigmoid(-x), 1 - ref.sigmoid(x), "sigmoid(-x), which should be 1 - sigmoid(x)")


def check_sigmoid_grad(sigmoid_grad):
    """Every shape, exact zeros and |x| up to 1e6 without an overflow warning."""
    ref = reference(ASSIGNMENT)
    _check_elementwise(sigmoid_grad, ref.sigmoid_grad, "sigmoid_grad", 2003,
                       hint="Write the derivative with your safe sigmoid(x), no np.exp of your "
                            "own, and check it at x = 0 (slope 0.25).")


def check_tanh_grad(tanh_grad):
    """Every shape, exact zeros and |x| up to 1e6 without an overflow warning."""
    ref = reference(ASSIGNMENT)
    _check_elementwise(tanh_grad, ref.tanh_grad, "tanh_grad", 2004,
                       hint="Write the derivative with np.tanh(x) alone (np.cosh and np.exp "
                            "overflow), and check it at x = 0 (slope 1).")


def check_relu(relu):
    """Every shape, -0.0, tiny and huge values."""
    ref = reference(ASSIGNMENT)
    _check_elementwise(relu, ref.relu, "relu", 2005)


def check_relu_grad(relu_grad):
    """Every shape, the value at exactly 0 (0), tiny and huge values."""
    ref = reference(ASSIGNMENT)
    _check_elementwise(relu_grad, ref.relu_grad, "relu_grad", 2006,
                       hint="1 where x > 0, 0 elsewhere; relu_grad(0) = 0.")


def check_leaky_relu(leaky_relu):
    """Every shape and extreme values, with alpha 0.01, 0.3 and 0 (not a default)."""
    ref = reference(ASSIGNMENT)
    for seed, alpha in ((2007, 0.01), (2008, 0.3), (2009, 0.0)):
        _check_elementwise(leaky_relu, ref.leaky_relu, "leaky_relu", seed, alpha,
                           hint="x where x > 0, alpha * x elsewhere, with the alpha given.")


def check_leaky_relu_grad(leaky_relu_grad):
    """Every shape, the value at exactly 0 (alpha), with alpha 0.01, 0.3, 0."""
    ref = reference(ASSIGNMENT)
    for seed, alpha in ((2010, 0.01), (2011, 0.3), (2012, 0.0)):
        _check_elementwise(leaky_relu_grad, ref.leaky_relu_grad, "leaky_relu_grad", seed, alpha,
                           hint="1 where x > 0, alpha elsewhere; "
                                "leaky_relu_grad(0, alpha) = alpha.")


def check_softmax(softmax):
    """1-D, square, one-class, one-row, ±1000 and ±1e6, int scores; shift invariance."""
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
                    hint="Subtract each row's max, exponentiate, divide by the row's sum; take the "
                         "max and the sum over the last axis, keeping it so that it broadcasts.")
    z = rng.standard_normal((8, 6)) * 5
    check_true(np.allclose(softmax(z + 123.0), ref.softmax(z)),
               "softmax(z + 123) should equal softmax(z): adding a constant to every score of a "
               "row does not change its probabilities.")


def check_softplus(softplus):
    """Extremes without a warning, 10 digits in the far tail, a scalar, ints, symmetry."""
    ref = reference(ASSIGNMENT)
    _check_elementwise(softplus, ref.softplus, "softplus", 2014,
                       hint="Only exponentiate -|x| <= 0, and use np.log1p for log(1 + t).")
    tail = np.array([-20.0, -40.0, -100.0, -300.0, -700.0])
    check_close(call_quietly(softplus, tail), ref.softplus(tail),
                "softplus([-20, -40, -100, -300, -700]), to 10 significant digits", rtol=1e-10,
                atol=0, hint="log(1 + t) for a tiny t loses every digit, because 1 + t rounds to "
                             "1: np.log1p(t) keeps them.")
    check_close(call_quietly(softplus, 0.0), np.log(2.0), "softplus(0.0) (a number)")
    ints = np.array([-3, 0, 3])
    check_close(call_quietly(softplus, ints), ref.softplus(ints), "softplus of an int array",
                hint="Convert to floats: np.asarray(x, dtype=float).")
    x = np.random.default_rng(2015).standard_normal(50) * 30
    check_close(call_quietly(softplus, x) - call_quietly(softplus, -x), x,
                "softplus(x) - softplus(-x), which should be x",
                hint="log(1 + e^x) - log(1 + e^-x) = x: check the case x > 0 of your formula.")


def check_softplus_grad(softplus_grad):
    """Every shape and |x| up to 1e6 without a warning, and a scalar 0."""
    ref = reference(ASSIGNMENT)
    _check_elementwise(softplus_grad, ref.softplus_grad, "softplus_grad", 2016,
                       hint="The chain rule on log(1 + e^x) gives e^x / (1 + e^x): a safe function "
                            "you wrote earlier in this notebook.")
    check_close(call_quietly(softplus_grad, 0.0), 0.5, "softplus_grad(0.0) (a number)")


def check_softmax_jacobian(softmax_jacobian):
    """C = 1 and 2, scores of ±1000, ints, column sums of 0; numerical J."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(2017)
    cases = [("C = 1 (softmax is always 1: J = [[0]])", rng.standard_normal(1)),
             ("C = 2", rng.standard_normal(2)),
             ("C = 6", 3 * rng.standard_normal(6)),
             ("C = 4, scores near 1000", rng.standard_normal(4) + 1000.0),
             ("C = 5, scores of -1000 and 1000", np.array([-1000.0, 1000.0, 999.0, 0.0, -1000.0])),
             ("C = 4, int scores", rng.integers(-3, 4, size=4))]
    for what, z in cases:
        J = call_quietly(softmax_jacobian, z)
        expected = ref.softmax_jacobian(z)
        check_true(np.shape(J) == expected.shape,
                   f"softmax_jacobian for {what} should have shape {expected.shape} (C, C), but "
                   f"has shape {np.shape(J)}.")
        sums = np.asarray(J, dtype=float).sum(axis=0)
        check_true(np.allclose(sums, 0, atol=1e-9),
                   f"The columns of softmax_jacobian for {what} should sum to 0 (the probabilities "
                   f"always sum to 1), but they sum to {np.round(sums, 6)}. Check the entries off "
                   "the diagonal (k != j).")
        check_close(J, expected, f"softmax_jacobian for {what}",
                    hint="J[j, k] = dp_j/dz_k from the quotient rule, written with the "
                         "probabilities: the diagonal gets one term more.")
    z = rng.standard_normal(5)
    h = 1e-6
    numerical = np.stack([(ref.softmax(z + h * e) - ref.softmax(z - h * e)) / (2 * h)
                          for e in np.eye(5)], axis=1)
    check_close(softmax_jacobian(z), numerical, "softmax_jacobian of 5 scores, compared with a "
                "numerical Jacobian (central differences)", rtol=1e-6, atol=1e-9)
