"""Right answers to notebook 02 that differ from the solution."""
import numpy as np

from . import right_answer

A = "02_activations"


@right_answer(A, "sigmoid", "exp(-softplus(-x)) with np.logaddexp: safe, float32 kept")
def sigmoid_logaddexp(x):
    return np.exp(-np.logaddexp(0, -np.asarray(x)))


@right_answer(A, "sigmoid", "a loop over the entries, reshaped to x's shape")
def sigmoid_loop(x):
    values = [1 / (1 + np.exp(-v)) if v >= 0 else np.exp(v) / (1 + np.exp(v))
              for v in np.ravel(x).astype(float)]
    return np.array(values, dtype=float).reshape(np.shape(x))


@right_answer(A, "sigmoid_grad", "sigmoid(x) * sigmoid(-x)")
def sigmoid_grad_symmetric(x):
    return sigmoid(x) * sigmoid(-np.asarray(x))  # noqa: F821


@right_answer(A, "sigmoid_grad", "z / (1 + z)**2 with z = exp(-|x|): the derivative is even")
def sigmoid_grad_even(x):
    z = np.exp(-np.abs(np.asarray(x, dtype=float)))
    return z / (1 + z) ** 2


@right_answer(A, "tanh_grad", "(1 - t)(1 + t), with t = tanh(x)")
def tanh_grad_factored(x):
    t = np.tanh(x)
    return (1 - t) * (1 + t)


@right_answer(A, "tanh_grad", "4 sigmoid'(2x), from tanh(x) = 2 sigmoid(2x) - 1")
def tanh_grad_from_sigmoid(x):
    s = sigmoid(2 * np.asarray(x))  # noqa: F821
    return 4 * s * (1 - s)


@right_answer(A, "relu", "x * (x > 0): float32 kept")
def relu_mask_product(x):
    return x * (x > 0)


@right_answer(A, "relu", "a copy with its negative entries zeroed")
def relu_copy_zeroed(x):
    out = x.copy()
    out[out < 0] = 0
    return out


@right_answer(A, "relu_grad", "np.heaviside(x, 0.0)")
def relu_grad_heaviside(x):
    return np.heaviside(x, 0.0)


@right_answer(A, "relu_grad", "(x > 0).astype(x.dtype): float32 kept")
def relu_grad_input_dtype(x):
    return (x > 0).astype(x.dtype)


@right_answer(A, "leaky_relu", "np.maximum(x, alpha * x), valid since 0 <= alpha < 1")
def leaky_relu_maximum(x, alpha=0.01):
    return np.maximum(x, alpha * x)


@right_answer(A, "leaky_relu_grad", "1.0 * (x > 0) + alpha * (x <= 0)")
def leaky_relu_grad_masks(x, alpha=0.01):
    return 1.0 * (x > 0) + alpha * (x <= 0)


@right_answer(A, "leaky_relu_grad", "np.ones_like(x) with alpha written where x <= 0")
def leaky_relu_grad_ones_like(x, alpha=0.01):
    grad = np.ones_like(x)
    grad[x <= 0] = alpha
    return grad


@right_answer(A, "softplus", "both cases written with exp(-|x|), chosen with np.where")
def softplus_where_safe(x):
    x = np.asarray(x, dtype=float)
    tail = np.log1p(np.exp(-np.abs(x)))
    return np.where(x > 0, x + tail, tail)


@right_answer(A, "softplus_grad", "exp(-softplus(-x))")
def softplus_grad_exp(x):
    return np.exp(-softplus(-np.asarray(x)))  # noqa: F821


@right_answer(A, "softmax", "a loop over the rows of a 2-D view")
def softmax_rows(z):
    z = np.asarray(z, dtype=float)
    rows = z.reshape(-1, z.shape[-1])
    out = np.empty_like(rows)
    for i, row in enumerate(rows):
        e = np.exp(row - row.max())
        out[i] = e / e.sum()
    return out.reshape(z.shape)


@right_answer(A, "softmax", "exp(z - logsumexp(z)), with the max taken out of the log")
def softmax_logsumexp(z):
    shifted = z - np.max(z, axis=-1, keepdims=True)
    return np.exp(shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True)))


@right_answer(A, "softmax_jacobian", "p[:, None] * (I - p[None, :]): row j is p_j (delta_jk - p_k)")
def softmax_jacobian_broadcast(z):
    p = softmax(z)  # noqa: F821
    return p[:, None] * (np.eye(len(p)) - p[None, :])


@right_answer(A, "softmax_jacobian", "two loops over j and k")
def softmax_jacobian_loops(z):
    p = softmax(z)  # noqa: F821
    J = np.zeros((len(p), len(p)))
    for j in range(len(p)):
        for k in range(len(p)):
            J[j, k] = p[j] * ((j == k) - p[k])
    return J
