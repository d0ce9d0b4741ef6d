"""Wrong answers to notebook 05. Names such as `affine_forward` resolve in the notebook's
namespace, so a wrong layer is composed with the notebook's other (right) layers."""
import numpy as np

from . import wrong_answer

A = "05_backprop"


@wrong_answer(A, "affine_forward", "multiplies in the wrong order: w.T @ x.T", says=("transposed",))
def affine_forward_transposed(x, w, b):
    return w.T @ x.reshape(x.shape[0], -1).T + b[:, None], (x, w, b)


@wrong_answer(A, "affine_forward", "forgets the bias")
def affine_forward_no_bias(x, w, b):
    return x.reshape(x.shape[0], -1) @ w, (x, w, b)


@wrong_answer(A, "affine_forward", "does not flatten x: fails for images (N, d1, d2, ...)")
def affine_forward_no_reshape(x, w, b):
    return x @ w + b, (x, w, b)


@wrong_answer(A, "affine_forward", "returns out without a cache", says=("(out, cache)",))
def affine_forward_no_cache(x, w, b):
    return x.reshape(x.shape[0], -1) @ w + b


@wrong_answer(A, "affine_backward", "dw = dout.T @ x: transposed", says=("transposed",))
def affine_backward_dw_transposed(dout, cache):
    x, w, b = cache
    x_flat = x.reshape(x.shape[0], -1)
    return (dout @ w.T).reshape(x.shape), dout.T @ x_flat, dout.sum(axis=0)


@wrong_answer(A, "affine_backward", "db not summed over the batch: shape (N, M)",
              says=("summed over the batch",))
def affine_backward_db_not_summed(dout, cache):
    x, w, b = cache
    x_flat = x.reshape(x.shape[0], -1)
    return (dout @ w.T).reshape(x.shape), x_flat.T @ dout, dout


@wrong_answer(A, "affine_backward", "dx left flat (N, D), not reshaped to x's shape",
              says=("reshape",))
def affine_backward_dx_flat(dout, cache):
    x, w, b = cache
    x_flat = x.reshape(x.shape[0], -1)
    return dout @ w.T, x_flat.T @ dout, dout.sum(axis=0)


@wrong_answer(A, "affine_backward", "ignores dout (as if the upstream gradient were all ones)")
def affine_backward_ignores_dout(dout, cache):
    x, w, b = cache
    x_flat = x.reshape(x.shape[0], -1)
    ones = np.ones_like(dout)
    return (ones @ w.T).reshape(x.shape), x_flat.T @ ones, ones.sum(axis=0)


@wrong_answer(A, "affine_backward", "averages db over the batch instead of summing",
              says=("times too small",))
def affine_backward_db_mean(dout, cache):
    x, w, b = cache
    x_flat = x.reshape(x.shape[0], -1)
    return (dout @ w.T).reshape(x.shape), x_flat.T @ dout, dout.mean(axis=0)


@wrong_answer(A, "relu_forward", "np.max(x, 0): a maximum along axis 0, not element-wise")
def relu_forward_axis_max(x):
    return np.max(x, 0), x


@wrong_answer(A, "relu_forward", "zeroes the negatives of x in place", says=("in place",))
def relu_forward_in_place(x):
    x[x < 0] = 0
    return x, x


@wrong_answer(A, "relu_forward", "np.abs instead of max(0, x)")
def relu_forward_abs(x):
    return np.abs(x), x


@wrong_answer(A, "relu_forward", "returns out without a cache", says=("(out, cache)",))
def relu_forward_no_cache(x):
    return np.maximum(x, 0)


@wrong_answer(A, "relu_backward", "mask x >= 0: lets the gradient through at x == 0")
def relu_backward_at_zero(dout, cache):
    return dout * (cache >= 0)


@wrong_answer(A, "relu_backward", "multiplies dout by the output max(0, x) instead of the 0/1 mask")
def relu_backward_times_output(dout, cache):
    return dout * np.maximum(cache, 0)


@wrong_answer(A, "relu_backward", "ignores dout: returns the mask itself")
def relu_backward_ignores_dout(dout, cache):
    return (cache > 0).astype(float)


@wrong_answer(A, "relu_backward", "zeroes dout in place", says=("in place",))
def relu_backward_in_place(dout, cache):
    dout[cache <= 0] = 0
    return dout


@wrong_answer(A, "sigmoid_forward", "naive 1 / (1 + exp(-x)): overflows for x = -1000",
              says=("overflows",))
def sigmoid_forward_naive(x):
    out = 1 / (1 + np.exp(-x))
    return out, out


@wrong_answer(A, "sigmoid_forward", "sign flipped: 1 / (1 + exp(x))")
def sigmoid_forward_sign(x):
    z = np.exp(-np.abs(x))
    out = np.where(x >= 0, z / (1 + z), 1 / (1 + z))
    return out, out


@wrong_answer(A, "sigmoid_forward", "np.tanh instead of the sigmoid")
def sigmoid_forward_tanh(x):
    return np.tanh(x), np.tanh(x)


@wrong_answer(A, "sigmoid_forward", "returns out without a cache", says=("(out, cache)",))
def sigmoid_forward_no_cache(x):
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + z), z / (1 + z))


@wrong_answer(A, "sigmoid_backward", "dout * s: forgets the factor (1 - s)")
def sigmoid_backward_missing_factor(dout, cache):
    return dout * cache


@wrong_answer(A, "sigmoid_backward", "ignores dout: returns s * (1 - s)")
def sigmoid_backward_ignores_dout(dout, cache):
    return cache * (1 - cache)


@wrong_answer(A, "sigmoid_backward", "treats the cached output as x: applies sigma to it again")
def sigmoid_backward_sigma_of_output(dout, cache):
    s = 1 / (1 + np.exp(-cache))
    return dout * s * (1 - s)


@wrong_answer(A, "sigmoid_backward", "dout * (1 - s): forgets the factor s")
def sigmoid_backward_only_one_minus(dout, cache):
    return dout * (1 - cache)


@wrong_answer(A, "two_layer_loss", "the 1/2 MSE: loss and gradients half the asked ones")
def two_layer_loss_half(X, y, params):
    hidden_in, cache_1 = affine_forward(X, params["W1"], params["b1"])  # noqa: F821
    hidden_out, cache_relu = relu_forward(hidden_in)  # noqa: F821
    scores, cache_2 = affine_forward(hidden_out, params["W2"], params["b2"])  # noqa: F821
    loss = 0.5 * float(np.mean((scores - y) ** 2))
    dhidden_out, dW2, db2 = affine_backward((scores - y) / scores.size, cache_2)  # noqa: F821
    _, dW1, db1 = affine_backward(relu_backward(dhidden_out, cache_relu), cache_1)  # noqa: F821
    return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


@wrong_answer(A, "two_layer_loss", "divides by N only: sums over the C outputs")
def two_layer_loss_over_n(X, y, params):
    hidden_in, cache_1 = affine_forward(X, params["W1"], params["b1"])  # noqa: F821
    hidden_out, cache_relu = relu_forward(hidden_in)  # noqa: F821
    scores, cache_2 = affine_forward(hidden_out, params["W2"], params["b2"])  # noqa: F821
    loss = float(np.sum((scores - y) ** 2) / len(X))
    dhidden_out, dW2, db2 = affine_backward(2 * (scores - y) / len(X), cache_2)  # noqa: F821
    _, dW1, db1 = affine_backward(relu_backward(dhidden_out, cache_relu), cache_1)  # noqa: F821
    return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


@wrong_answer(A, "two_layer_loss", "right loss, but dscores forgets the factor 2")
def two_layer_loss_no_two(X, y, params):
    hidden_in, cache_1 = affine_forward(X, params["W1"], params["b1"])  # noqa: F821
    hidden_out, cache_relu = relu_forward(hidden_in)  # noqa: F821
    scores, cache_2 = affine_forward(hidden_out, params["W2"], params["b2"])  # noqa: F821
    loss = float(np.mean((scores - y) ** 2))
    dhidden_out, dW2, db2 = affine_backward((scores - y) / scores.size, cache_2)  # noqa: F821
    _, dW1, db1 = affine_backward(relu_backward(dhidden_out, cache_relu), cache_1)  # noqa: F821
    return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


@wrong_answer(A, "two_layer_loss", "skips the ReLU in the backward pass")
def two_layer_loss_no_relu_backward(X, y, params):
    hidden_in, cache_1 = affine_forward(X, params["W1"], params["b1"])  # noqa: F821
    hidden_out, _ = relu_forward(hidden_in)  # noqa: F821
    scores, cache_2 = affine_forward(hidden_out, params["W2"], params["b2"])  # noqa: F821
    loss = float(np.mean((scores - y) ** 2))
    dhidden_out, dW2, db2 = affine_backward(2 * (scores - y) / scores.size, cache_2)  # noqa: F821
    _, dW1, db1 = affine_backward(dhidden_out, cache_1)  # noqa: F821
    return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


@wrong_answer(A, "two_layer_loss", "dscores = 2 (y - scores) / NC: the sign is flipped",
              says=("sign",))
def two_layer_loss_sign(X, y, params):
    hidden_in, cache_1 = affine_forward(X, params["W1"], params["b1"])  # noqa: F821
    hidden_out, cache_relu = relu_forward(hidden_in)  # noqa: F821
    scores, cache_2 = affine_forward(hidden_out, params["W2"], params["b2"])  # noqa: F821
    loss = float(np.mean((scores - y) ** 2))
    dhidden_out, dW2, db2 = affine_backward(2 * (y - scores) / scores.size, cache_2)  # noqa: F821
    _, dW1, db1 = affine_backward(relu_backward(dhidden_out, cache_relu), cache_1)  # noqa: F821
    return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


# The wrong answers below run in the notebook's namespace, where this module's helpers are not
# visible: they receive them as default arguments.
def _branch_forward(x, y, z):
    q, s = x * y, x + z
    r = np.tanh(q)
    p = r * s
    return {"q": q, "s": s, "r": r, "p": p, "out": p + r}


def _branch_grads(values, x, y, grad_r, grad_q=None, grad_x=None):
    grad_s = values["r"]
    grad_q = grad_r * (1 - values["r"] ** 2) if grad_q is None else grad_q
    grad_x = grad_q * y + grad_s if grad_x is None else grad_x
    return {"p": 1.0, "r": grad_r, "s": grad_s, "q": grad_q, "x": grad_x, "y": grad_q * x,
            "z": grad_s}


@wrong_answer(A, "branch_graph", "r's gradient only through p: forgot the branch into out",
              says=("branches add up",))
def branch_graph_r_one_branch(x, y, z, _forward=_branch_forward, _grads=_branch_grads):
    values = _forward(x, y, z)
    return values, _grads(values, x, y, grad_r=values["s"])


@wrong_answer(A, "branch_graph", "x's gradient only through q: forgot the branch into s",
              says=("branches add up",))
def branch_graph_x_one_branch(x, y, z, _forward=_branch_forward, _grads=_branch_grads):
    values = _forward(x, y, z)
    grad_r = values["s"] + 1.0
    grad_q = grad_r * (1 - values["r"] ** 2)
    return values, _grads(values, x, y, grad_r, grad_x=grad_q * y)


@wrong_answer(A, "branch_graph", "tanh's derivative written with the input: 1 - q**2",
              says=("output r",))
def branch_graph_tanh_of_input(x, y, z, _forward=_branch_forward, _grads=_branch_grads):
    values = _forward(x, y, z)
    grad_r = values["s"] + 1.0
    return values, _grads(values, x, y, grad_r, grad_q=grad_r * (1 - values["q"] ** 2))


@wrong_answer(A, "branch_graph", "the branches overwrite instead of adding: grad_x = grad_s")
def branch_graph_overwrite(x, y, z, _forward=_branch_forward, _grads=_branch_grads):
    values = _forward(x, y, z)
    grads = _grads(values, x, y, grad_r=values["s"] + 1.0)
    grads["x"] = grads["s"]
    return values, grads


@wrong_answer(A, "branch_graph", "numerical differences instead of the chain rule",
              says=("12 digits",))
def branch_graph_numerical(x, y, z, _forward=_branch_forward, _grads=_branch_grads):
    values = _forward(x, y, z)
    h = 1e-5
    out = lambda *point: _forward(*point)["out"]  # noqa: E731
    grads = _grads(values, x, y, grad_r=values["s"] + 1.0)
    grads["x"] = (out(x + h, y, z) - out(x - h, y, z)) / (2 * h)
    grads["y"] = (out(x, y + h, z) - out(x, y - h, z)) / (2 * h)
    grads["z"] = (out(x, y, z + h) - out(x, y, z - h)) / (2 * h)
    return values, grads


@wrong_answer(A, "relu_interpolant", "output weights are the slopes, not the changes of slope",
              says=("sum of their output weights",))
def relu_interpolant_slopes(knots, values):
    slopes = np.diff(values) / np.diff(knots)
    return {"W1": np.ones((1, len(slopes))), "b1": -knots[:-1], "W2": slopes[:, None],
            "b2": values[:1].copy()}


@wrong_answer(A, "relu_interpolant", "b2 = 0: forgets the value at the first knot",
              says=("b2 alone",))
def relu_interpolant_no_offset(knots, values):
    slopes = np.diff(values) / np.diff(knots)
    return {"W1": np.ones((1, len(slopes))), "b1": -knots[:-1],
            "W2": np.diff(slopes, prepend=0.0)[:, None], "b2": np.zeros(1)}


@wrong_answer(A, "relu_interpolant", "b1 = +t_j: the units switch on at -t_j")
def relu_interpolant_bias_sign(knots, values):
    slopes = np.diff(values) / np.diff(knots)
    return {"W1": np.ones((1, len(slopes))), "b1": knots[:-1].copy(),
            "W2": np.diff(slopes, prepend=0.0)[:, None], "b2": values[:1].copy()}


@wrong_answer(A, "relu_interpolant", "kinks at t_1..t_N instead of t_0..t_{N-1}: off by one")
def relu_interpolant_off_by_one(knots, values):
    slopes = np.diff(values) / np.diff(knots)
    return {"W1": np.ones((1, len(slopes))), "b1": -knots[1:],
            "W2": np.diff(slopes, prepend=0.0)[:, None], "b2": values[:1].copy()}


@wrong_answer(A, "relu_interpolant", "one unit per knot (N + 1), the last one with weight 0",
              says=("per knot",))
def relu_interpolant_unit_per_knot(knots, values):
    slopes = np.diff(values) / np.diff(knots)
    changes = np.append(np.diff(slopes, prepend=0.0), 0.0)
    return {"W1": np.ones((1, len(knots))), "b1": -knots, "W2": changes[:, None],
            "b2": values[:1].copy()}


@wrong_answer(A, "relu_interpolant", "writes the slopes into values in place", says=("in place",))
def relu_interpolant_in_place(knots, values):
    values[1:] = np.diff(values) / np.diff(knots)
    return {"W1": np.ones((1, len(knots) - 1)), "b1": -knots[:-1],
            "W2": np.diff(values[1:], prepend=0.0)[:, None], "b2": values[:1].copy()}


# Kinds of input (issue 15): dtypes, memory layouts, shapes, Python types, repeated calls.

@wrong_answer(A, "affine_forward", "CS231n's bias trick with np.ones: float32 inputs give float64",
              kind="dtype", says=("float32",))
def affine_forward_bias_trick(x, w, b):
    x_flat = x.reshape(x.shape[0], -1)
    x_ones = np.hstack([x_flat, np.ones((x.shape[0], 1))])
    return x_ones @ np.vstack([w, b]), (x, w, b)


@wrong_answer(A, "affine_forward", "out preallocated with np.zeros((N, M)): float64 always",
              kind="dtype", says=("float32",))
def affine_forward_preallocated(x, w, b):
    out = np.zeros((x.shape[0], w.shape[1]))
    out += x.reshape(x.shape[0], -1) @ w + b
    return out, (x, w, b)


@wrong_answer(A, "affine_forward", "squeezes the flattened x: a batch of one loses its batch axis",
              kind="shape", says=("shape (1, 2, 2, 2)",))
def affine_forward_squeeze_x(x, w, b):
    return np.squeeze(x.reshape(x.shape[0], -1)) @ w + b, (x, w, b)


@wrong_answer(A, "affine_forward", "squeezes out: a batch of one or one output unit loses its axis",
              kind="shape", says=("shape",))
def affine_forward_squeeze_out(x, w, b):
    return np.squeeze(x.reshape(x.shape[0], -1) @ w + b), (x, w, b)


@wrong_answer(A, "affine_backward", "db = np.ones(N) @ dout: float32 gradients become float64",
              kind="dtype", says=("float32",))
def affine_backward_db_ones(dout, cache):
    x, w, b = cache
    x_flat = x.reshape(x.shape[0], -1)
    return (dout @ w.T).reshape(x.shape), x_flat.T @ dout, np.ones(len(dout)) @ dout


@wrong_answer(A, "affine_backward", "dx filled into np.zeros_like(x): an int x truncates it",
              kind="dtype", says=("int64",))
def affine_backward_dx_zeros_like(dout, cache):
    x, w, b = cache
    dx = np.zeros_like(x)
    dx[...] = (dout @ w.T).reshape(x.shape)
    return dx, x.reshape(x.shape[0], -1).T @ dout, dout.sum(axis=0)


@wrong_answer(A, "affine_backward", "sums dout into the cached b (out=b) to reuse its memory: "
              "the cache changes", kind="repeated-call", says=("second call",))
def affine_backward_db_into_cache(dout, cache):
    x, w, b = cache
    x_flat = x.reshape(x.shape[0], -1)
    db = np.sum(dout, axis=0, out=b)
    return (dout @ w.T).reshape(x.shape), x_flat.T @ dout, db


@wrong_answer(A, "affine_backward", "adds each call's dw and db to running totals kept in a "
              "default argument (per weight shape), as if a shared weight's gradients added up "
              "across calls", kind="repeated-call", says=("second call",))
def affine_backward_running_totals(dout, cache, _totals={}):  # noqa: B006
    x, w, b = cache
    x_flat = x.reshape(x.shape[0], -1)
    dw_total, db_total = _totals.get(w.shape, (0.0, 0.0))
    _totals[w.shape] = dw_total + x_flat.T @ dout, db_total + dout.sum(axis=0)
    return (dout @ w.T).reshape(x.shape), *_totals[w.shape]


@wrong_answer(A, "relu_forward", "np.maximum(x, np.zeros(x.shape)): float32 becomes float64",
              kind="dtype", says=("float32",))
def relu_forward_zeros_array(x):
    return np.maximum(x, np.zeros(x.shape)), x


@wrong_answer(A, "relu_forward", "x * (x > 0).astype(float): float32 becomes float64",
              kind="dtype", says=("float32",))
def relu_forward_float_mask(x):
    return x * (x > 0).astype(float), x


@wrong_answer(A, "relu_forward", "writes through out.reshape(-1) of np.zeros_like(x): a copy for "
              "a transposed x, so out stays 0", kind="layout", says=("view",))
def relu_forward_write_flat(x):
    out = np.zeros_like(x)
    out.reshape(-1)[:] = np.maximum(x.reshape(-1), 0)
    return out, x


@wrong_answer(A, "relu_forward", "np.copy(x), then zeroes the negatives through .ravel(): a copy "
              "for a transposed x", kind="layout", says=("view",))
def relu_forward_copy_ravel(x):
    out = np.copy(x)
    flat = out.ravel()
    flat[flat < 0] = 0
    return out, x


@wrong_answer(A, "relu_backward", "dout * (x > 0).astype(float): float32 becomes float64",
              kind="dtype", says=("float32",))
def relu_backward_float_mask(dout, cache):
    return dout * (cache > 0).astype(float)


@wrong_answer(A, "relu_backward", "dx = np.zeros_like(x), then dout copied where x > 0: an int x "
              "truncates dx", kind="dtype", says=("int64",))
def relu_backward_zeros_like_x(dout, cache):
    dx = np.zeros_like(cache)
    dx[cache > 0] = dout[cache > 0]
    return dx


@wrong_answer(A, "relu_backward", "dx.ravel()[mask] = dout.ravel()[mask] into np.zeros_like(dout):"
              " a copy for a transposed dout", kind="layout", says=("view",))
def relu_backward_write_ravel(dout, cache):
    dx = np.zeros_like(dout)
    mask = (cache > 0).ravel()
    dx.ravel()[mask] = dout.ravel()[mask]
    return dx


@wrong_answer(A, "relu_backward", "np.copy(dout), then zeroes it through .reshape(-1): a copy for "
              "a transposed dout", kind="layout", says=("view",))
def relu_backward_copy_reshape(dout, cache):
    dx = np.copy(dout)
    dx.reshape(-1)[cache.reshape(-1) <= 0] = 0
    return dx


@wrong_answer(A, "sigmoid_forward", "the stable branches written into np.zeros(x.shape): float32 "
              "becomes float64", kind="dtype", says=("float32",))
def sigmoid_forward_zeros(x):
    out = np.zeros(x.shape)
    positive = x >= 0
    out[positive] = 1 / (1 + np.exp(-x[positive]))
    z = np.exp(x[~positive])
    out[~positive] = z / (1 + z)
    return out, out


@wrong_answer(A, "sigmoid_forward", "the stable branches written into np.empty_like(x): an int x "
              "truncates out to 0 and 1", kind="dtype", says=("int64",))
def sigmoid_forward_empty_like(x):
    out = np.empty_like(x)
    positive = x >= 0
    out[positive] = 1 / (1 + np.exp(-x[positive]))
    z = np.exp(x[~positive])
    out[~positive] = z / (1 + z)
    return out, out


@wrong_answer(A, "sigmoid_backward", "np.ones(out.shape) - out: float32 becomes float64",
              kind="dtype", says=("float32",))
def sigmoid_backward_ones(dout, cache):
    return dout * cache * (np.ones(cache.shape) - cache)


@wrong_answer(A, "sigmoid_backward", "dx filled into np.zeros(dout.shape): float32 becomes float64",
              kind="dtype", says=("float32",))
def sigmoid_backward_zeros(dout, cache):
    dx = np.zeros(dout.shape)
    dx[...] = dout * cache * (1 - cache)
    return dx


@wrong_answer(A, "two_layer_loss", "grads={} as a default argument, each gradient added to what "
              "it held (PyTorch's accumulation without zero_grad)", kind="repeated-call",
              says=("second call",))
def two_layer_loss_accumulates(X, y, params, grads={}):  # noqa: B006
    hidden_in, cache_1 = affine_forward(X, params["W1"], params["b1"])  # noqa: F821
    hidden_out, cache_relu = relu_forward(hidden_in)  # noqa: F821
    scores, cache_2 = affine_forward(hidden_out, params["W2"], params["b2"])  # noqa: F821
    dhidden_out, dW2, db2 = affine_backward(2 * (scores - y) / scores.size, cache_2)  # noqa: F821
    _, dW1, db1 = affine_backward(relu_backward(dhidden_out, cache_relu), cache_1)  # noqa: F821
    for name, gradient in (("W1", dW1), ("b1", db1), ("W2", dW2), ("b2", db2)):
        grads[name] = grads.get(name, 0) + gradient
    return float(np.mean((scores - y) ** 2)), grads


@wrong_answer(A, "two_layer_loss", "gradients added into zero arrays kept in a default dict, made "
              "once per parameter", kind="repeated-call", says=("second call",))
def two_layer_loss_running_sums(X, y, params, _sums={}):  # noqa: B006
    hidden_in, cache_1 = affine_forward(X, params["W1"], params["b1"])  # noqa: F821
    hidden_out, cache_relu = relu_forward(hidden_in)  # noqa: F821
    scores, cache_2 = affine_forward(hidden_out, params["W2"], params["b2"])  # noqa: F821
    dhidden_out, dW2, db2 = affine_backward(2 * (scores - y) / scores.size, cache_2)  # noqa: F821
    _, dW1, db1 = affine_backward(relu_backward(dhidden_out, cache_relu), cache_1)  # noqa: F821
    grads = {}
    for name, gradient in (("W1", dW1), ("b1", db1), ("W2", dW2), ("b2", db2)):
        key = (name, gradient.shape)
        _sums.setdefault(key, np.zeros_like(gradient))
        _sums[key] += gradient
        grads[name] = _sums[key].copy()
    return float(np.mean((scores - y) ** 2)), grads


@wrong_answer(A, "two_layer_loss", "np.mean without float(): a numpy float32 loss for float32 "
              "inputs", kind="python-type", says=("Python float",))
def two_layer_loss_numpy_scalar(X, y, params):
    hidden_in, cache_1 = affine_forward(X, params["W1"], params["b1"])  # noqa: F821
    hidden_out, cache_relu = relu_forward(hidden_in)  # noqa: F821
    scores, cache_2 = affine_forward(hidden_out, params["W2"], params["b2"])  # noqa: F821
    dhidden_out, dW2, db2 = affine_backward(2 * (scores - y) / scores.size, cache_2)  # noqa: F821
    _, dW1, db1 = affine_backward(relu_backward(dhidden_out, cache_relu), cache_1)  # noqa: F821
    grads = {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
    return np.mean((scores - y) ** 2), grads


@wrong_answer(A, "two_layer_loss", "np.sum(...) / scores.size without float(): a numpy float32",
              kind="python-type", says=("Python float",))
def two_layer_loss_sum_over_size(X, y, params):
    hidden_in, cache_1 = affine_forward(X, params["W1"], params["b1"])  # noqa: F821
    hidden_out, cache_relu = relu_forward(hidden_in)  # noqa: F821
    scores, cache_2 = affine_forward(hidden_out, params["W2"], params["b2"])  # noqa: F821
    dhidden_out, dW2, db2 = affine_backward(2 * (scores - y) / scores.size, cache_2)  # noqa: F821
    _, dW1, db1 = affine_backward(relu_backward(dhidden_out, cache_relu), cache_1)  # noqa: F821
    grads = {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
    return np.sum((scores - y) ** 2) / scores.size, grads


@wrong_answer(A, "relu_interpolant", "b1 = -knots[:-1]: a Python list has no unary minus",
              kind="python-type", says=("Python lists",))
def relu_interpolant_list_minus(knots, values):
    slopes = np.diff(values) / np.diff(knots)
    return {"W1": np.ones((1, len(slopes))), "b1": -knots[:-1],
            "W2": np.diff(slopes, prepend=0.0)[:, None], "b2": np.array(values[:1], dtype=float)}


@wrong_answer(A, "relu_interpolant", "b1 = knots[:-1] * -1: for a Python list, a list repeated -1 "
              "times, which is empty", kind="python-type", says=("Python lists",))
def relu_interpolant_list_times(knots, values):
    slopes = np.diff(values) / np.diff(knots)
    return {"W1": np.ones((1, len(slopes))), "b1": np.array(knots[:-1] * -1, dtype=float),
            "W2": np.diff(slopes, prepend=0.0)[:, None], "b2": np.array(values[:1], dtype=float)}


@wrong_answer(A, "relu_interpolant", "output weights written into np.zeros_like(knots[:-1]): int "
              "knots truncate them", kind="dtype", says=("int64",))
def relu_interpolant_zeros_like(knots, values):
    knots, values = np.asarray(knots), np.asarray(values)
    slopes = np.diff(values) / np.diff(knots)
    W2 = np.zeros_like(knots[:-1])
    W2[...] = np.diff(slopes, prepend=0.0)
    return {"W1": np.ones((1, len(slopes))), "b1": -knots[:-1], "W2": W2[:, None],
            "b2": values[:1].copy()}


@wrong_answer(A, "relu_interpolant", "slopes computed in a loop into np.zeros_like(values[:-1]): "
              "int values truncate them", kind="dtype", says=("int64",))
def relu_interpolant_slopes_loop(knots, values):
    knots, values = np.asarray(knots), np.asarray(values)
    slopes = np.zeros_like(values[:-1])
    for k in range(len(slopes)):
        slopes[k] = (values[k + 1] - values[k]) / (knots[k + 1] - knots[k])
    return {"W1": np.ones((1, len(slopes))), "b1": -knots[:-1],
            "W2": np.diff(slopes, prepend=0.0)[:, None], "b2": values[:1].astype(float)}
