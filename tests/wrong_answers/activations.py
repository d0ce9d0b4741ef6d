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


# Kinds of input (issue 15): dtypes, Python numbers, memory layouts, shapes, unseen defaults.

@wrong_answer(A, "sigmoid", "CS231n's masks on np.zeros_like(x): an int x truncates exp to ints",
              kind="dtype")
def sigmoid_zeros_like_masks(x):
    positive = x >= 0
    z = np.zeros_like(x)
    z[positive] = np.exp(-x[positive])
    z[~positive] = np.exp(x[~positive])
    top = np.ones_like(x)
    top[~positive] = z[~positive]
    return top / (1 + z)


@wrong_answer(A, "sigmoid", "converts to float32 to save memory: float64 inputs lose precision",
              kind="dtype", says=("float32",))
def sigmoid_float32(x):
    x = np.asarray(x, dtype=np.float32)
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + z), z / (1 + z))


@wrong_answer(A, "sigmoid", "x.astype(float): a Python number has no astype", kind="python-type")
def sigmoid_astype(x):
    x = x.astype(float)
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + z), z / (1 + z))


@wrong_answer(A, "sigmoid", "indexes x with masks: a Python number cannot be indexed",
              kind="python-type")
def sigmoid_indexes_x(x):
    out = np.empty(np.shape(x))
    positive = np.asarray(x) >= 0
    out[positive] = 1 / (1 + np.exp(-x[positive]))
    out[~positive] = np.exp(x[~positive]) / (1 + np.exp(x[~positive]))
    return out


@wrong_answer(A, "sigmoid", "fills out.reshape(-1), a copy when x is a transposed view",
              kind="layout")
def sigmoid_fills_reshaped_copy(x):
    x = np.asarray(x, dtype=float)
    out = np.zeros_like(x)
    flat, x_flat = out.reshape(-1), x.reshape(-1)
    z = np.exp(-np.abs(x_flat))
    flat[:] = np.where(x_flat >= 0, 1 / (1 + z), z / (1 + z))
    return out


@wrong_answer(A, "sigmoid", "a loop over np.ravel(x) that forgets to reshape", kind="shape")
def sigmoid_loop_flat(x):
    return np.array([1 / (1 + np.exp(-v)) if v >= 0 else np.exp(v) / (1 + np.exp(v))
                     for v in np.ravel(x)])


@wrong_answer(A, "sigmoid_grad", "np.zeros_like(x) filled in: [0 0] for np.array([0, 2])",
              kind="dtype", says=("int64",))
def sigmoid_grad_zeros_like(x):
    grad = np.zeros_like(x)
    s = sigmoid(x)  # noqa: F821
    grad[...] = s * (1 - s)
    return grad


@wrong_answer(A, "sigmoid_grad", "casts the result back to x's dtype: ints truncate to 0",
              kind="dtype")
def sigmoid_grad_input_dtype(x):
    s = sigmoid(x)  # noqa: F821
    return (s * (1 - s)).astype(np.asarray(x).dtype)


@wrong_answer(A, "sigmoid_grad", "sigmoid(x.astype(float)): a Python number has no astype",
              kind="python-type", says=("Python float",))
def sigmoid_grad_astype(x):
    s = sigmoid(x.astype(float))  # noqa: F821
    return s * (1 - s)


@wrong_answer(A, "sigmoid_grad", "np.empty(x.shape): a Python number has no shape",
              kind="python-type")
def sigmoid_grad_x_shape(x):
    grad = np.empty(x.shape)
    s = sigmoid(x)  # noqa: F821
    grad[...] = s * (1 - s)
    return grad


@wrong_answer(A, "sigmoid_grad", "writes into grad.reshape(-1), a copy for a transposed view",
              kind="layout")
def sigmoid_grad_fills_reshaped_copy(x):
    grad = np.zeros(np.shape(x))
    s = sigmoid(np.reshape(x, -1))  # noqa: F821
    grad_flat = grad.reshape(-1) if np.asarray(x).flags.c_contiguous else grad.T.reshape(-1)
    grad_flat[:] = s * (1 - s)
    return grad


@wrong_answer(A, "sigmoid_grad", "np.vectorize of a scalar formula: fails on an empty array",
              kind="shape", says=("empty",))
def sigmoid_grad_vectorize(x):
    def scalar(v):
        s = sigmoid(v)  # noqa: F821
        return s * (1 - s)
    return np.vectorize(scalar)(x)


@wrong_answer(A, "tanh_grad", "x.astype(float): tanh_grad(0.5) raises AttributeError",
              kind="python-type", says=("Python float", "np.asarray"))
def tanh_grad_astype(x):
    x = x.astype(float)
    return 1 - np.tanh(x) ** 2


@wrong_answer(A, "tanh_grad", "np.ones(x.shape) - ...: a Python number has no shape",
              kind="python-type")
def tanh_grad_x_shape(x):
    grad = np.ones(x.shape)
    grad -= np.tanh(x) ** 2
    return grad


@wrong_answer(A, "tanh_grad", "np.zeros_like(x) filled in: an int x gives int slopes",
              kind="dtype")
def tanh_grad_zeros_like(x):
    grad = np.zeros_like(x)
    grad[...] = 1 - np.tanh(x) ** 2
    return grad


@wrong_answer(A, "tanh_grad", "returns float32 whatever the input", kind="dtype")
def tanh_grad_float32(x):
    return (1 - np.tanh(x) ** 2).astype(np.float32)


@wrong_answer(A, "tanh_grad", "iterates np.nditer(x), in memory order, into out.flat, in C order",
              kind="layout")
def tanh_grad_nditer(x):
    x = np.asarray(x, dtype=float)
    out = np.zeros(x.shape)
    for k, value in enumerate(np.nditer(x)):
        out.flat[k] = 1 - np.tanh(value) ** 2
    return out


@wrong_answer(A, "tanh_grad", "np.vectorize of a scalar formula: fails on an empty array",
              kind="shape")
def tanh_grad_vectorize(x):
    return np.vectorize(lambda v: 1 - np.tanh(v) ** 2)(x)


@wrong_answer(A, "relu", "np.vectorize(lambda v: max(v, 0)): the int 0 of the first entry sets "
                         "the dtype", kind="dtype", says=("int64",))
def relu_vectorize_max_int(x):
    return np.vectorize(lambda v: max(v, 0))(x)


@wrong_answer(A, "relu", "returns float32 whatever the input", kind="dtype", says=("float32",))
def relu_float32(x):
    return np.maximum(x, 0.0).astype(np.float32)


@wrong_answer(A, "relu", "fills out.reshape(-1): a copy, not a view, for a transposed x",
              kind="layout")
def relu_fills_reshaped_copy(x):
    out = np.zeros_like(x)
    out.reshape(-1)[:] = np.maximum(x.reshape(-1), 0.0)
    return out


@wrong_answer(A, "relu", "iterates np.nditer(x), in memory order, into out.flat, in C order",
              kind="layout")
def relu_nditer(x):
    out = np.zeros_like(x)
    for k, value in enumerate(np.nditer(x)):
        out.flat[k] = max(value, 0.0)
    return out


@wrong_answer(A, "relu", "np.vectorize(lambda v: max(v, 0.0)): fails on an empty array",
              kind="shape", says=("empty",))
def relu_vectorize(x):
    return np.vectorize(lambda v: max(v, 0.0))(x)


@wrong_answer(A, "relu_grad", "returns x > 0, bools: -relu_grad(x) is then an error",
              kind="dtype", says=("bool",))
def relu_grad_bool(x):
    return x > 0


@wrong_answer(A, "relu_grad", "(x > 0).astype(int): ints, not floats", kind="dtype")
def relu_grad_ints(x):
    return (x > 0).astype(int)


@wrong_answer(A, "relu_grad", "sets grad.reshape(-1)[mask]: a copy for a transposed x",
              kind="layout", says=("transposed",))
def relu_grad_reshaped_mask(x):
    grad = np.zeros_like(x)
    grad.reshape(-1)[x.reshape(-1) > 0] = 1.0
    return grad


@wrong_answer(A, "relu_grad", "iterates np.nditer(x), in memory order, into out.flat, in C order",
              kind="layout")
def relu_grad_nditer(x):
    grad = np.zeros_like(x)
    for k, value in enumerate(np.nditer(x)):
        grad.flat[k] = 1.0 if value > 0 else 0.0
    return grad


@wrong_answer(A, "relu_grad", "np.vectorize(lambda v: 1.0 if v > 0 else 0.0): fails when empty",
              kind="shape")
def relu_grad_vectorize(x):
    return np.vectorize(lambda v: 1.0 if v > 0 else 0.0)(x)


@wrong_answer(A, "leaky_relu", "default alpha=0.1, the gallery's value: no test passing alpha "
                               "could see it", kind="weak-check", says=("default",))
def leaky_relu_default_0_1(x, alpha=0.1):
    return np.where(x > 0, x, alpha * x)


@wrong_answer(A, "leaky_relu", "returns float32 whatever the input", kind="dtype")
def leaky_relu_float32(x, alpha=0.01):
    return np.where(x > 0, x, alpha * x).astype(np.float32)


@wrong_answer(A, "leaky_relu", "scales out.reshape(-1)[mask]: a copy for a transposed x",
              kind="layout")
def leaky_relu_reshaped_mask(x, alpha=0.01):
    out = x.copy(order="K")
    out.reshape(-1)[x.reshape(-1) <= 0] *= alpha
    return out


@wrong_answer(A, "leaky_relu", "iterates np.nditer(x), in memory order, into out.flat",
              kind="layout")
def leaky_relu_nditer(x, alpha=0.01):
    out = np.zeros_like(x)
    for k, value in enumerate(np.nditer(x)):
        out.flat[k] = value if value > 0 else alpha * value
    return out


@wrong_answer(A, "leaky_relu", "np.vectorize of a scalar formula: fails on an empty array",
              kind="shape")
def leaky_relu_vectorize(x, alpha=0.01):
    return np.vectorize(lambda v: v if v > 0 else alpha * v)(x)


@wrong_answer(A, "leaky_relu_grad", "default alpha=0.0, ReLU's: no test passing alpha could see it",
              kind="weak-check", says=("default",))
def leaky_relu_grad_default_0(x, alpha=0.0):
    return np.where(x > 0, 1.0, alpha)


@wrong_answer(A, "leaky_relu_grad", "np.where(x > 0, 1, alpha): ints when alpha is the int 0",
              kind="dtype", says=("int64",))
def leaky_relu_grad_int_one(x, alpha=0.01):
    return np.where(x > 0, 1, alpha)


@wrong_answer(A, "leaky_relu_grad", "sets grad.reshape(-1)[mask]: a copy for a transposed x",
              kind="layout")
def leaky_relu_grad_reshaped_mask(x, alpha=0.01):
    grad = np.ones_like(x)
    grad.reshape(-1)[x.reshape(-1) <= 0] = alpha
    return grad


@wrong_answer(A, "leaky_relu_grad", "iterates np.nditer(x), in memory order, into out.flat",
              kind="layout")
def leaky_relu_grad_nditer(x, alpha=0.01):
    grad = np.ones_like(x)
    for k, value in enumerate(np.nditer(x)):
        grad.flat[k] = 1.0 if value > 0 else alpha
    return grad


@wrong_answer(A, "leaky_relu_grad", "np.vectorize of a scalar formula: fails on an empty array",
              kind="shape")
def leaky_relu_grad_vectorize(x, alpha=0.01):
    return np.vectorize(lambda v: 1.0 if v > 0 else float(alpha))(x)


@wrong_answer(A, "softplus", "masks on np.zeros_like(x): an int x gives int results",
              kind="dtype")
def softplus_zeros_like(x):
    out = np.zeros_like(x)
    out[...] = np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))
    return out


@wrong_answer(A, "softplus", "converts to float32 to save memory", kind="dtype")
def softplus_float32(x):
    x = np.asarray(x, dtype=np.float32)
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


@wrong_answer(A, "softplus", "x.clip(0): a Python number has no clip method", kind="python-type")
def softplus_clip_method(x):
    x = np.asarray(x, dtype=float) if np.ndim(x) else x
    return x.clip(0) + np.log1p(np.exp(-np.abs(x)))


@wrong_answer(A, "softplus", "x.astype(float): a Python number has no astype", kind="python-type")
def softplus_astype(x):
    x = x.astype(float)
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


@wrong_answer(A, "softplus", "fills out.reshape(-1), a copy when x is a transposed view",
              kind="layout")
def softplus_fills_reshaped_copy(x):
    x = np.asarray(x, dtype=float)
    out = np.zeros_like(x)
    x_flat = x.reshape(-1)
    out.reshape(-1)[:] = np.maximum(x_flat, 0) + np.log1p(np.exp(-np.abs(x_flat)))
    return out


@wrong_answer(A, "softplus", "np.vectorize of a scalar formula: fails on an empty array",
              kind="shape")
def softplus_vectorize(x):
    return np.vectorize(lambda v: max(v, 0.0) + np.log1p(np.exp(-abs(v))))(x)


@wrong_answer(A, "softplus_grad", "np.zeros_like(x) filled with sigmoid(x): ints for an int x",
              kind="dtype")
def softplus_grad_zeros_like(x):
    grad = np.zeros_like(x)
    grad[...] = sigmoid(x)  # noqa: F821
    return grad


@wrong_answer(A, "softplus_grad", "returns float32 whatever the input", kind="dtype")
def softplus_grad_float32(x):
    return np.asarray(sigmoid(x), dtype=np.float32)  # noqa: F821


@wrong_answer(A, "softplus_grad", "sigmoid(x.astype(float)): a Python number has no astype",
              kind="python-type")
def softplus_grad_astype(x):
    return sigmoid(x.astype(float))  # noqa: F821


@wrong_answer(A, "softplus_grad", "sigmoid(x).reshape(x.shape): a Python number has no shape",
              kind="python-type")
def softplus_grad_x_shape(x):
    return np.asarray(sigmoid(x)).reshape(x.shape)  # noqa: F821


@wrong_answer(A, "softplus_grad", "iterates np.nditer(x), in memory order, into out.flat",
              kind="layout")
def softplus_grad_nditer(x):
    x = np.asarray(x, dtype=float)
    grad = np.zeros(x.shape)
    for k, value in enumerate(np.nditer(x)):
        grad.flat[k] = sigmoid(value)  # noqa: F821
    return grad


@wrong_answer(A, "softplus_grad", "np.vectorize(sigmoid): fails on an empty array", kind="shape")
def softplus_grad_vectorize(x):
    return np.vectorize(sigmoid)(x)  # noqa: F821


@wrong_answer(A, "softmax", "writes the probabilities into np.zeros_like(z): int scores give 0s",
              kind="dtype")
def softmax_zeros_like(z):
    exp_z = np.exp(z - np.max(z, axis=-1, keepdims=True))
    probs = np.zeros_like(z)
    probs[...] = exp_z / np.sum(exp_z, axis=-1, keepdims=True)
    return probs


@wrong_answer(A, "softmax", "returns float32 whatever the scores", kind="dtype")
def softmax_float32(z):
    exp_z = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return (exp_z / np.sum(exp_z, axis=-1, keepdims=True)).astype(np.float32)


@wrong_answer(A, "softmax", ".squeeze() at the end: a (1, C) batch comes back as (C,)",
              kind="shape", says=("shape",))
def softmax_squeezed(z):
    exp_z = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return (exp_z / np.sum(exp_z, axis=-1, keepdims=True)).squeeze()


@wrong_answer(A, "softmax", "always reshapes to (N, C): 1-D scores come back as (1, C)",
              kind="shape")
def softmax_always_2d(z):
    z = np.reshape(z, (-1, np.shape(z)[-1]))
    exp_z = np.exp(z - np.max(z, axis=1, keepdims=True))
    return exp_z / np.sum(exp_z, axis=1, keepdims=True)


@wrong_answer(A, "softmax_jacobian", "J = np.zeros((C, C), dtype=z.dtype): int scores truncate",
              kind="dtype")
def softmax_jacobian_input_dtype(z):
    p = softmax(z)  # noqa: F821
    J = np.zeros((len(z), len(z)), dtype=np.asarray(z).dtype)
    J[...] = np.diag(p) - np.outer(p, p)
    return J


@wrong_answer(A, "softmax_jacobian", "returns float32 whatever the scores", kind="dtype")
def softmax_jacobian_float32(z):
    p = softmax(z)  # noqa: F821
    return (np.diag(p) - np.outer(p, p)).astype(np.float32)


@wrong_answer(A, "softmax_jacobian", "softmax(z).squeeze(): C = 1 gives a 0-d p, np.diag fails",
              kind="shape", says=("size-1",))
def softmax_jacobian_squeezed(z):
    p = softmax(z).squeeze()  # noqa: F821
    return np.diag(p) - np.outer(p, p)


@wrong_answer(A, "sigmoid", "iterates np.nditer(x), in memory order, into out.flat, in C order",
              kind="layout")
def sigmoid_nditer(x):
    x = np.asarray(x, dtype=float)
    out = np.zeros(x.shape)
    for k, value in enumerate(np.nditer(x)):
        z = np.exp(-abs(value))
        out.flat[k] = 1 / (1 + z) if value >= 0 else z / (1 + z)
    return out


@wrong_answer(A, "sigmoid", "np.vectorize of a scalar formula: fails on an empty array",
              kind="shape")
def sigmoid_vectorize(x):
    def scalar(v):
        return 1 / (1 + np.exp(-v)) if v >= 0 else np.exp(v) / (1 + np.exp(v))
    return np.vectorize(scalar)(x)


@wrong_answer(A, "sigmoid_grad", "iterates np.nditer(x), in memory order, into out.flat",
              kind="layout")
def sigmoid_grad_nditer(x):
    x = np.asarray(x, dtype=float)
    grad = np.zeros(x.shape)
    for k, value in enumerate(np.nditer(x)):
        s = sigmoid(value)  # noqa: F821
        grad.flat[k] = s * (1 - s)
    return grad


@wrong_answer(A, "sigmoid_grad", "a loop over np.ravel(x) that forgets to reshape", kind="shape")
def sigmoid_grad_loop_flat(x):
    return np.array([sigmoid(v) * (1 - sigmoid(v)) for v in np.ravel(x)])  # noqa: F821


@wrong_answer(A, "tanh_grad", "fills out.reshape(-1), a copy when x is a transposed view",
              kind="layout")
def tanh_grad_fills_reshaped_copy(x):
    x = np.asarray(x, dtype=float)
    out = np.zeros_like(x)
    out.reshape(-1)[:] = 1 - np.tanh(x.reshape(-1)) ** 2
    return out


@wrong_answer(A, "tanh_grad", "a loop over np.ravel(x) that forgets to reshape", kind="shape")
def tanh_grad_loop_flat(x):
    return np.array([1 - np.tanh(v) ** 2 for v in np.ravel(x)])


@wrong_answer(A, "relu", "a loop over x.ravel() that forgets to reshape", kind="shape")
def relu_loop_flat(x):
    return np.array([max(v, 0.0) for v in x.ravel()])


@wrong_answer(A, "relu_grad", "a loop over x.ravel() that forgets to reshape", kind="shape")
def relu_grad_loop_flat(x):
    return np.array([1.0 if v > 0 else 0.0 for v in x.ravel()])


@wrong_answer(A, "leaky_relu", "a loop over x.ravel() that forgets to reshape", kind="shape")
def leaky_relu_loop_flat(x, alpha=0.01):
    return np.array([v if v > 0 else alpha * v for v in x.ravel()])


@wrong_answer(A, "leaky_relu_grad", "a loop over x.ravel() that forgets to reshape", kind="shape")
def leaky_relu_grad_loop_flat(x, alpha=0.01):
    return np.array([1.0 if v > 0 else alpha for v in x.ravel()], dtype=float)


@wrong_answer(A, "leaky_relu_grad", "(x > 0) + alpha * (x <= 0): ints when alpha is the int 0",
              kind="dtype")
def leaky_relu_grad_bool_sum(x, alpha=0.01):
    return (x > 0) + alpha * (x <= 0)


@wrong_answer(A, "softplus", "iterates np.nditer(x), in memory order, into out.flat",
              kind="layout")
def softplus_nditer(x):
    x = np.asarray(x, dtype=float)
    out = np.zeros(x.shape)
    for k, value in enumerate(np.nditer(x)):
        out.flat[k] = max(value, 0.0) + np.log1p(np.exp(-abs(value)))
    return out


@wrong_answer(A, "softplus", "a loop over np.ravel(x) that forgets to reshape", kind="shape")
def softplus_loop_flat(x):
    return np.array([max(v, 0.0) + np.log1p(np.exp(-abs(v))) for v in np.ravel(x)])


@wrong_answer(A, "softplus_grad", "fills grad.reshape(-1), a copy when x is a transposed view",
              kind="layout")
def softplus_grad_fills_reshaped_copy(x):
    x = np.asarray(x, dtype=float)
    grad = np.zeros_like(x)
    grad.reshape(-1)[:] = sigmoid(x.reshape(-1))  # noqa: F821
    return grad


@wrong_answer(A, "softplus_grad", "a loop over np.ravel(x) that forgets to reshape", kind="shape")
def softplus_grad_loop_flat(x):
    return np.array([sigmoid(v) for v in np.ravel(x)], dtype=float)  # noqa: F821
