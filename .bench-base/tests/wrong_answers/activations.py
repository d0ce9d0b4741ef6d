"""Wrong answers to notebook 02. Names such as `sigmoid` resolve in the notebook's namespace."""
import numpy as np

from . import wrong_answer

A = "02_activations"


@wrong_answer(A, "sigmoid", "the textbook formula: exp(1000) overflows at x = -1000",
              says=("overflow", "subtract the max"))
def sigmoid_naive(x):
    return 1 / (1 + np.exp(-x))


@wrong_answer(A, "sigmoid", "np.where of two formulas: both branches are computed, one overflows",
              says=("overflow",))
def sigmoid_where_both_branches(x):
    x = np.asarray(x, dtype=float)
    return np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x)))


@wrong_answer(A, "sigmoid", "sign slip: 1 / (1 + exp(x)) is sigmoid(-x)")
def sigmoid_sign_slip(x):
    x = np.asarray(x, dtype=float)
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, z / (1 + z), 1 / (1 + z))


@wrong_answer(A, "sigmoid", "exp(x) / (1 + exp(x)): inf / inf = nan at x = 1000")
def sigmoid_exp_over_one_plus_exp(x):
    return np.exp(x) / (1 + np.exp(x))


@wrong_answer(A, "sigmoid_grad", "sigmoid(x) * (1 - x): the second factor uses x, not sigmoid(x)")
def sigmoid_grad_one_minus_x(x):
    return sigmoid(x) * (1 - x)  # noqa: F821


@wrong_answer(A, "sigmoid_grad", "x * (1 - x): the formula in terms of the output, applied to x")
def sigmoid_grad_of_input(x):
    return x * (1 - x)


@wrong_answer(A, "sigmoid_grad", "a minus sign too many", says=("wrong sign",))
def sigmoid_grad_negative(x):
    s = sigmoid(x)  # noqa: F821
    return -s * (1 - s)


@wrong_answer(A, "sigmoid_grad", "the textbook quotient exp(-x) / (1 + exp(-x))**2 overflows",
              says=("overflow",))
def sigmoid_grad_quotient(x):
    return np.exp(-x) / (1 + np.exp(-x)) ** 2


@wrong_answer(A, "tanh_grad", "1 - tanh(x): forgot the square")
def tanh_grad_no_square(x):
    return 1 - np.tanh(x)


@wrong_answer(A, "tanh_grad", "1 - x**2: squares the input instead of tanh(x)")
def tanh_grad_of_input(x):
    return 1 - x ** 2


@wrong_answer(A, "tanh_grad", "1 / cosh(x)**2: right, but cosh(1000) overflows", says=("overflow",))
def tanh_grad_cosh(x):
    return 1 / np.cosh(x) ** 2


@wrong_answer(A, "tanh_grad", "sigmoid's pattern tanh(x) * (1 - tanh(x))")
def tanh_grad_sigmoid_pattern(x):
    t = np.tanh(x)
    return t * (1 - t)


@wrong_answer(A, "relu", "zeroes the negative entries of x in place", says=("in place",))
def relu_in_place(x):
    x[x < 0] = 0
    return x


@wrong_answer(A, "relu", "np.max(x, 0): the largest entry along axis 0, not a comparison with 0")
def relu_np_max(x):
    return np.max(x, 0)


@wrong_answer(A, "relu", "np.abs(x): negative inputs come out positive")
def relu_abs(x):
    return np.abs(x)


@wrong_answer(A, "relu", "returns the derivative (x > 0) instead of the function")
def relu_returns_mask(x):
    return (x > 0).astype(float)


@wrong_answer(A, "relu_grad", "returns relu(x), the output, instead of the slope")
def relu_grad_is_relu(x):
    return np.maximum(x, 0.0)


@wrong_answer(A, "relu_grad", "x >= 0: relu_grad(0) = 1, against the convention")
def relu_grad_at_zero_is_one(x):
    return (x >= 0).astype(float)


@wrong_answer(A, "relu_grad", "np.sign(x): -1 for negative inputs")
def relu_grad_sign(x):
    return np.sign(x)


@wrong_answer(A, "leaky_relu", "ignores alpha: always 0.01")
def leaky_relu_fixed_alpha(x, alpha=0.01):
    return np.where(x > 0, x, 0.01 * x)


@wrong_answer(A, "leaky_relu", "alpha on the positive side")
def leaky_relu_swapped(x, alpha=0.01):
    return np.where(x > 0, alpha * x, x)


@wrong_answer(A, "leaky_relu", "returns the constant alpha for negative inputs")
def leaky_relu_constant(x, alpha=0.01):
    return np.where(x > 0, x, alpha)


@wrong_answer(A, "leaky_relu", "scales the negative entries of x in place", says=("in place",))
def leaky_relu_in_place(x, alpha=0.01):
    x[x < 0] *= alpha
    return x


@wrong_answer(A, "leaky_relu_grad", "ignores alpha: always 0.01")
def leaky_relu_grad_fixed_alpha(x, alpha=0.01):
    return np.where(x > 0, 1.0, 0.01)


@wrong_answer(A, "leaky_relu_grad", "alpha * x on the negative side: the function, not the slope")
def leaky_relu_grad_alpha_x(x, alpha=0.01):
    return np.where(x > 0, 1.0, alpha * x)


@wrong_answer(A, "leaky_relu_grad", "ReLU's slope: 0 on the negative side")
def leaky_relu_grad_relu(x, alpha=0.01):
    return np.where(x > 0, 1.0, 0.0)


@wrong_answer(A, "leaky_relu_grad", "x >= 0: slope 1 at 0, against the convention")
def leaky_relu_grad_at_zero_is_one(x, alpha=0.01):
    return np.where(x >= 0, 1.0, alpha)


@wrong_answer(A, "softmax", "no max subtraction: exp(1000) overflows", says=("overflow",))
def softmax_naive(z):
    exp_z = np.exp(z)
    return exp_z / np.sum(exp_z, axis=-1, keepdims=True)


@wrong_answer(A, "softmax", "over axis 0: columns sum to 1 instead of rows")
def softmax_axis_0(z):
    exp_z = np.exp(z - np.max(z, axis=0, keepdims=True))
    return exp_z / np.sum(exp_z, axis=0, keepdims=True)


@wrong_answer(A, "softmax", "one global max for the whole batch: a row of -1000s gives 0 / 0",
              says=("invalid value",))
def softmax_global_max(z):
    exp_z = np.exp(z - np.max(z))
    return exp_z / np.sum(exp_z, axis=-1, keepdims=True)


@wrong_answer(A, "softmax", "sum over the whole array: the batch shares one denominator")
def softmax_sum_everything(z):
    exp_z = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return exp_z / np.sum(exp_z)


@wrong_answer(A, "softmax", "no keepdims: (N, C) - (N,) broadcasts along the wrong axis")
def softmax_no_keepdims(z):
    exp_z = np.exp(z - np.max(z, axis=-1))
    return exp_z / np.sum(exp_z, axis=-1)


@wrong_answer(A, "softmax", "subtracts the max in place", says=("in place",))
def softmax_in_place(z):
    z -= np.max(z, axis=-1, keepdims=True)
    exp_z = np.exp(z)
    return exp_z / np.sum(exp_z, axis=-1, keepdims=True)


@wrong_answer(A, "softplus", "log(1 + exp(x)) as written: exp(1000) overflows", says=("overflow",))
def softplus_naive(x):
    return np.log(1 + np.exp(x))


@wrong_answer(A, "softplus", "the safe form with log instead of log1p: no digits left at x = -40",
              says=("log1p",))
def softplus_without_log1p(x):
    x = np.asarray(x, dtype=float)
    return np.maximum(x, 0.0) + np.log(1 + np.exp(-np.abs(x)))


@wrong_answer(A, "softplus", "drops max(x, 0): log1p(exp(-|x|)) alone, wrong for x > 0")
def softplus_without_max(x):
    return np.log1p(np.exp(-np.abs(x)))


@wrong_answer(A, "softplus", "np.where of two formulas: both computed, one overflows",
              says=("overflow",))
def softplus_where_both(x):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, x + np.log1p(np.exp(-x)), np.log1p(np.exp(x)))


@wrong_answer(A, "softplus", "ReLU: exact far from 0, wrong near 0")
def softplus_is_relu(x):
    return np.maximum(np.asarray(x, dtype=float), 0.0)


@wrong_answer(A, "softplus_grad", "e^x / (1 + e^x) as written: nan at x = 1000",
              says=("overflow",))
def softplus_grad_naive(x):
    return np.exp(x) / (1 + np.exp(x))


@wrong_answer(A, "softplus_grad", "sigmoid(-x): a sign slip in the chain rule")
def softplus_grad_sign(x):
    return sigmoid(-np.asarray(x, dtype=float))  # noqa: F821


@wrong_answer(A, "softplus_grad", "ReLU's slope: the step instead of its smooth version")
def softplus_grad_step(x):
    return (np.asarray(x) > 0).astype(float)


@wrong_answer(A, "softplus_grad", "returns softplus(x), the function instead of its slope")
def softplus_grad_is_softplus(x):
    return softplus(x)  # noqa: F821


@wrong_answer(A, "softmax_jacobian",
              "only the diagonal p_j (forgot the quotient rule's second term)", says=("sum to 0",))
def softmax_jacobian_diagonal(z):
    return np.diag(softmax(z))  # noqa: F821


@wrong_answer(A, "softmax_jacobian", "sigmoid's pattern p(1 - p) on the diagonal only",
              says=("sum to 0",))
def softmax_jacobian_sigmoid_pattern(z):
    p = softmax(z)  # noqa: F821
    return np.diag(p * (1 - p))


@wrong_answer(A, "softmax_jacobian", "the sign of the outer product flipped")
def softmax_jacobian_plus_outer(z):
    p = softmax(z)  # noqa: F821
    return np.diag(p) + np.outer(p, p)


@wrong_answer(A, "softmax_jacobian", "the scores z instead of the probabilities")
def softmax_jacobian_of_scores(z):
    z = np.asarray(z, dtype=float)
    return np.diag(z) - np.outer(z, z)


@wrong_answer(A, "softmax_jacobian", "its own softmax, without the max: exp(1000) overflows",
              says=("overflow",))
def softmax_jacobian_naive_exp(z):
    p = np.exp(z) / np.sum(np.exp(z))
    return np.diag(p) - np.outer(p, p)
