"""Right answers to notebook 05 that differ from the solution. Names such as `affine_forward`
resolve in the notebook's namespace."""
import numpy as np

from . import right_answer

A = "05_backprop"


@right_answer(A, "affine_forward", "np.dot with x.reshape(len(x), -1), cache as a dict")
def affine_forward_dot(x, w, b):
    return np.dot(x.reshape(len(x), -1), w) + b, {"x": x, "w": w, "b": b}


@right_answer(A, "affine_forward", "np.tensordot over the input axes, w reshaped to them")
def affine_forward_tensordot(x, w, b):
    w_as_input = w.reshape(x.shape[1:] + (w.shape[1],))
    return np.tensordot(x, w_as_input, axes=x.ndim - 1) + b, (x, w, b)


@right_answer(A, "affine_backward", "np.dot and np.reshape(dx, x.shape), db with np.sum")
def affine_backward_dot(dout, cache):
    x, w, b = cache
    dx = np.reshape(np.dot(dout, w.T), x.shape)
    dw = np.dot(x.reshape(x.shape[0], -1).T, dout)
    return dx, dw, np.sum(dout, axis=0)


@right_answer(A, "relu_forward", "x * (x > 0): keeps x's dtype")
def relu_forward_mask(x):
    return x * (x > 0), x


@right_answer(A, "relu_forward", "np.where(x > 0, x, 0), the mask as the cache")
def relu_forward_where(x):
    return np.where(x > 0, x, 0), x


@right_answer(A, "relu_backward", "np.where(x > 0, dout, 0)")
def relu_backward_where(dout, cache):
    return np.where(cache > 0, dout, 0)


@right_answer(A, "relu_backward", "Saitoh's mask, on a copy of dout: dx = dout.copy(); "
                                  "dx[x <= 0] = 0")
def relu_backward_copy(dout, cache):
    dx = dout.copy()
    dx[cache <= 0] = 0
    return dx


@right_answer(A, "sigmoid_forward", "the two stable branches through np.exp(-np.logaddexp(0, -x))")
def sigmoid_forward_logaddexp(x):
    out = np.exp(-np.logaddexp(0, -x))
    return out, out


@right_answer(A, "sigmoid_forward", "masked branches written into np.empty_like(x, dtype=float) "
                                    "for ints, x's dtype for floats")
def sigmoid_forward_masked(x):
    out = np.empty_like(x, dtype=x.dtype if np.issubdtype(x.dtype, np.floating) else float)
    positive = x >= 0
    out[positive] = 1 / (1 + np.exp(-x[positive]))
    z = np.exp(x[~positive])
    out[~positive] = z / (1 + z)
    return out, out


@right_answer(A, "sigmoid_backward", "dout * s - dout * s ** 2")
def sigmoid_backward_expanded(dout, cache):
    return dout * cache - dout * cache ** 2


@right_answer(A, "two_layer_loss", "a loss computed from np.square and a grads dict built in a "
                                   "comprehension")
def two_layer_loss_square(X, y, params):
    hidden, cache_1 = affine_forward(X, params["W1"], params["b1"])  # noqa: F821
    hidden, cache_relu = relu_forward(hidden)  # noqa: F821
    scores, cache_2 = affine_forward(hidden, params["W2"], params["b2"])  # noqa: F821
    loss = np.square(scores - y).sum() / scores.size
    dhidden, dW2, db2 = affine_backward(2.0 / scores.size * (scores - y), cache_2)  # noqa: F821
    _, dW1, db1 = affine_backward(relu_backward(dhidden, cache_relu), cache_1)  # noqa: F821
    return float(loss), dict(zip(("W1", "b1", "W2", "b2"), (dW1, db1, dW2, db2), strict=True))


@right_answer(A, "relu_interpolant", "a loop over the segments, from Python floats")
def relu_interpolant_loop(knots, values):
    knots, values = [float(t) for t in knots], [float(v) for v in values]
    changes, previous_slope = [], 0.0
    for k in range(len(knots) - 1):
        slope = (values[k + 1] - values[k]) / (knots[k + 1] - knots[k])
        changes.append(slope - previous_slope)
        previous_slope = slope
    n = len(changes)
    return {"W1": np.ones((1, n)), "b1": -np.array(knots[:-1]),
            "W2": np.array(changes).reshape(n, 1), "b2": np.array(values[:1])}
