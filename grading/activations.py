"""Hidden tests of notebook 02 (activation functions). Each takes the student's function."""
import numpy as np

from dlcourse.testing import call_on, call_quietly, check_close, check_true, describe_shape

from . import reference
from .inputs import layouts, variants

ASSIGNMENT = "02_activations"


def _inputs(seed):
    """(description, array): float64 arrays of several shapes, with exact zeros and extreme
    values, from their own RNG. The second is the one tried as other kinds of input."""
    rng = np.random.default_rng(seed)
    grid = rng.standard_normal((4, 5, 3)) * 4
    grid[0, 0] = [0.0, -0.0, 1e-12]
    extremes = np.array([-1e6, -1000.0, -745.0, -50.0, -1e-8, 1e-8, 50.0, 745.0, 1000.0, 1e6])
    arrays = [rng.standard_normal(7), rng.standard_normal((6, 4)) * 10, grid, extremes]
    return [(f"an array of shape {x.shape}", x) for x in arrays]


def _edge_shapes():
    """Arrays of the shapes at the edges, new ones at each call. They are tried after the other
    kinds of input, so that a mistake that shows on those too is named by its kind."""
    return [("a 0-d array", np.array(-0.75)),
            ("an array of shape (1, 3, 1) (size-1 axes)", np.array([[[0.5], [-2.0], [0.0]]])),
            ("an empty array of shape (0, 4)", np.zeros((0, 4)))]


def _result_dtype(x):
    """The documented dtype of a result computed from ``x``: float64, except that a float32
    input may stay float32."""
    return np.floating if np.asarray(x).dtype == np.float32 else np.float64


def _other_kinds(x, kinds):
    """``x`` as each kind of input in ``kinds`` (grading.inputs.variants), without the float64
    array itself and without Python lists (the docstrings allow numbers and arrays)."""
    return [(what, value) for what, value in list(variants(x, *kinds))[1:]
            if not what.startswith("a Python list")]


def _check_elementwise(student, reference_function, name, seed, *args, kinds=(), hint=""):
    """The student's function against the reference on arrays of every shape, then on the
    second of them as each kind of input in ``kinds``: same values, floats as documented."""
    alpha = f" with alpha={args[0]!r}" if args else ""
    cases = _inputs(seed)
    cases += _other_kinds(cases[1][1], kinds) + _edge_shapes()
    for what, x in cases:
        got = call_on(what, student, x, *args, quiet=True)
        check_close(got, reference_function(x, *args), f"{name} of {what}{alpha}",
                    dtype=_result_dtype(x), hint=LAYOUT_HINT if "view" in what else hint)


LAYOUT_HINT = ("The same values in a C-contiguous array pass. Likely mistake: x.reshape(-1) and "
               "x.ravel() are copies, not views, of a transposed or strided array (writes into "
               "them are lost), and np.nditer visits entries in memory order, not in x's index "
               "order: use numpy's element-wise operations on x itself.")


# The kinds of input each function's docstring allows (besides float64 arrays of any shape).
NUMBERS = ("layout", "float32", "int", "python")   # "a number or an array of any shape"
FLOATS = ("layout", "float32")                       # "a float array of any shape"


def check_sigmoid(sigmoid):
    """Every shape, exact zeros, |x| up to 1e6 without a warning, layouts, float32, ints,
    Python numbers, symmetry."""
    ref = reference(ASSIGNMENT)
    _check_elementwise(sigmoid, ref.sigmoid, "sigmoid", 2001, kinds=NUMBERS,
                       hint="Only exponentiate numbers <= 0, and return floats.")
    check_close(call_on("a Python float", sigmoid, 0.0, quiet=True), 0.5,
                "sigmoid(0.0) (a Python float)", dtype=np.float64)
    ints = np.array([-3, 0, 3])
    check_close(call_on("an int array", sigmoid, ints, quiet=True), ref.sigmoid(ints),
                "sigmoid of an int array", dtype=np.float64,
                hint="Convert to floats: np.asarray(x, dtype=float).")
    x = np.random.default_rng(2002).standard_normal(50) * 20
    check_close(sigmoid(-x), 1 - ref.sigmoid(x), "sigmoid(-x), which should be 1 - sigmoid(x)")


def check_sigmoid_grad(sigmoid_grad):
    """Every shape, exact zeros and |x| up to 1e6 without an overflow warning; layouts, float32,
    ints, Python numbers."""
    ref = reference(ASSIGNMENT)
    _check_elementwise(sigmoid_grad, ref.sigmoid_grad, "sigmoid_grad", 2003, kinds=NUMBERS,
                       hint="Write the derivative with your safe sigmoid(x), no np.exp of your "
                            "own, and check it at x = 0 (slope 0.25).")


def check_tanh_grad(tanh_grad):
    """Every shape, exact zeros and |x| up to 1e6 without an overflow warning; layouts, float32,
    ints, Python numbers."""
    ref = reference(ASSIGNMENT)
    _check_elementwise(tanh_grad, ref.tanh_grad, "tanh_grad", 2004, kinds=NUMBERS,
                       hint="Write the derivative with np.tanh(x) alone (np.cosh and np.exp "
                            "overflow), and check it at x = 0 (slope 1).")


def check_relu(relu):
    """Every shape, -0.0, tiny and huge values; layouts, float32."""
    ref = reference(ASSIGNMENT)
    _check_elementwise(relu, ref.relu, "relu", 2005, kinds=FLOATS)


def check_relu_grad(relu_grad):
    """Every shape, the value at exactly 0 (0), tiny and huge values; layouts, float32; floats,
    not bools."""
    ref = reference(ASSIGNMENT)
    _check_elementwise(relu_grad, ref.relu_grad, "relu_grad", 2006, kinds=FLOATS,
                       hint="1.0 where x > 0, 0.0 elsewhere; relu_grad(0) = 0.")


def check_leaky_relu(leaky_relu):
    """Every shape and extreme values, with alpha 0.01, 0.3 and 0 (an int); the default alpha;
    layouts, float32."""
    ref = reference(ASSIGNMENT)
    for seed, alpha in ((2007, 0.3), (2008, 0.01), (2009, 0)):
        _check_elementwise(leaky_relu, ref.leaky_relu, "leaky_relu", seed, alpha,
                           kinds=FLOATS if seed == 2007 else (),
                           hint="x where x > 0, alpha * x elsewhere, with the alpha given.")
    _check_default_alpha(leaky_relu, ref.leaky_relu)


def check_leaky_relu_grad(leaky_relu_grad):
    """Every shape, the value at exactly 0 (alpha), with alpha 0.01, 0.3 and 0 (an int); the
    default alpha; layouts, float32."""
    ref = reference(ASSIGNMENT)
    for seed, alpha in ((2010, 0.3), (2011, 0.01), (2012, 0)):
        _check_elementwise(leaky_relu_grad, ref.leaky_relu_grad, "leaky_relu_grad", seed, alpha,
                           kinds=FLOATS if seed == 2010 else (),
                           hint="1.0 where x > 0, alpha elsewhere, as floats also for an int "
                                "alpha such as 0 (write 1.0, not 1); "
                                "leaky_relu_grad(0, alpha) = alpha.")
    _check_default_alpha(leaky_relu_grad, ref.leaky_relu_grad)


def _check_default_alpha(student, reference_function):
    """Called without alpha, the function uses the documented default, 0.01 (which no test that
    passes alpha can see)."""
    x = np.random.default_rng(2018).standard_normal((5, 3)) * 3
    name = student.__name__
    check_close(call_on("an array of shape (5, 3), without alpha", student, x, quiet=True),
                reference_function(x), f"{name}(x) without alpha (the default alpha is 0.01)",
                dtype=np.float64, hint=f"Keep the signature {name}(x, alpha=0.01).")


def check_softmax(softmax):
    """1-D, square, one-class, one-row, empty batch, ±1000 and ±1e6, layouts, float32 and int
    scores; shift invariance."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(2013)
    scores = rng.standard_normal((5, 7)) * 3
    cases = [
        ("1-D scores of shape (10,)", rng.standard_normal(10) * 3),
        ("scores of shape (5, 7)", scores),
        ("scores of shape (4, 4) (square: the wrong axis is not caught by a shape error)",
         rng.standard_normal((4, 4)) * 3),
        ("scores of shape (6, 1) (one class: every probability is 1)",
         rng.standard_normal((6, 1))),
        ("scores of shape (1, 5) (one row)", rng.standard_normal((1, 5))),
        ("an empty batch of scores, shape (0, 4)", np.zeros((0, 4))),
        ("scores of shape (3, 4), rows near 1000, 0 and -1000",
         rng.standard_normal((3, 4)) + np.array([[1000.0], [0.0], [-1000.0]])),
        ("scores of 1e6 and -1e6", np.array([[1e6, -1e6, 0.0], [-1e6, -1e6, -1e6]])),
        ("an int64 array of scores, shape (3, 5)", rng.integers(-5, 6, size=(3, 5))),
    ]
    cases += [(f"scores given as {what}", z) for what, z in _other_kinds(scores, FLOATS)]
    cases += [(f"1-D scores given as {what}", z) for what, z in layouts(cases[0][1])]
    for what, z in cases:
        probs = call_on(what, softmax, z, quiet=True)
        check_close(probs, ref.softmax(z), f"softmax of {what}", dtype=_result_dtype(z),
                    hint="Subtract each row's max, exponentiate, divide by the row's sum; take the "
                         "max and the sum over the last axis, keeping it so that it broadcasts.")


def check_softplus(softplus):
    """Extremes without a warning, 10 digits in the far tail, layouts, float32, ints, Python
    numbers, symmetry."""
    ref = reference(ASSIGNMENT)
    _check_elementwise(softplus, ref.softplus, "softplus", 2014, kinds=NUMBERS,
                       hint="Only exponentiate -|x| <= 0, and use np.log1p for log(1 + t).")
    tail = np.array([-20.0, -40.0, -100.0, -300.0, -700.0])
    check_close(call_quietly(softplus, tail), ref.softplus(tail),
                "softplus([-20, -40, -100, -300, -700]), to 10 significant digits", rtol=1e-10,
                atol=0, hint="log(1 + t) for a tiny t loses every digit, because 1 + t rounds to "
                             "1: np.log1p(t) keeps them.")
    check_close(call_on("a Python float", softplus, 0.0, quiet=True), np.log(2.0),
                "softplus(0.0) (a Python float)", dtype=np.float64)
    ints = np.array([-3, 0, 3])
    check_close(call_on("an int array", softplus, ints, quiet=True), ref.softplus(ints),
                "softplus of an int array", dtype=np.float64,
                hint="Convert to floats: np.asarray(x, dtype=float).")
    x = np.random.default_rng(2015).standard_normal(50) * 30
    check_close(call_quietly(softplus, x) - call_quietly(softplus, -x), x,
                "softplus(x) - softplus(-x), which should be x",
                hint="log(1 + e^x) - log(1 + e^-x) = x: check the case x > 0 of your formula.")


def check_softplus_grad(softplus_grad):
    """Every shape and |x| up to 1e6 without a warning, layouts, float32, ints, Python numbers."""
    ref = reference(ASSIGNMENT)
    _check_elementwise(softplus_grad, ref.softplus_grad, "softplus_grad", 2016, kinds=NUMBERS,
                       hint="The chain rule on log(1 + e^x) gives e^x / (1 + e^x): a safe function "
                            "you wrote earlier in this notebook.")
    check_close(call_on("a Python float", softplus_grad, 0.0, quiet=True), 0.5,
                "softplus_grad(0.0) (a Python float)", dtype=np.float64)


def check_softmax_jacobian(softmax_jacobian):
    """C = 1 and 2, scores of ±1000, ints, float32, strided and reversed views, column sums of 0;
    numerical J."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(2017)
    six = 3 * rng.standard_normal(6)
    cases = [("size-1 scores, C = 1 (softmax is always 1: J = [[0]])", rng.standard_normal(1)),
             ("C = 2 scores", rng.standard_normal(2)),
             ("C = 6 scores", six),
             ("C = 4 scores near 1000", rng.standard_normal(4) + 1000.0),
             ("C = 5 scores of -1000 and 1000", np.array([-1000.0, 1000.0, 999.0, 0.0, -1000.0])),
             ("C = 4 scores in an int64 array", rng.integers(-3, 4, size=4))]
    cases += [(f"C = 6 scores given as {what}", z) for what, z in _other_kinds(six, FLOATS)]
    for what, z in cases:
        J = call_on(what, softmax_jacobian, z, quiet=True)
        expected = ref.softmax_jacobian(z)
        check_true(np.shape(J) == expected.shape,
                   f"softmax_jacobian of {what} should have shape {expected.shape} (C, C), but "
                   f"has shape {describe_shape(np.shape(J), expected.shape)}.")
        sums = np.asarray(J, dtype=float).sum(axis=0)
        check_true(np.allclose(sums, 0, atol=1e-6 if np.asarray(z).dtype == np.float32 else 1e-9),
                   f"The columns of softmax_jacobian of {what} should sum to 0 (the "
                   f"probabilities always sum to 1), but they sum to {np.round(sums, 6)}. Check "
                   "the entries off the diagonal (k != j).")
        check_close(J, expected, f"softmax_jacobian of {what}", dtype=_result_dtype(z),
                    hint="J[j, k] = dp_j/dz_k from the quotient rule, written with the "
                         "probabilities: the diagonal gets one term more.")
    z = rng.standard_normal(5)
    h = 1e-6
    numerical = np.stack([(ref.softmax(z + h * e) - ref.softmax(z - h * e)) / (2 * h)
                          for e in np.eye(5)], axis=1)
    check_close(softmax_jacobian(z), numerical, "softmax_jacobian of 5 scores, compared with a "
                "numerical Jacobian (central differences)", rtol=1e-6, atol=1e-9)
