"""Wrong answers to notebook 06. Names such as `he_init` resolve in the notebook's namespace."""
import numpy as np

from . import wrong_answer

A = "06_mnist_mlp"


# --- he_init --------------------------------------------------------------------------------

@wrong_answer(A, "he_init", "Xavier scale sqrt(1 / fan_in)", says=("same factor, 0.7071",))
def he_init_xavier(fan_in, fan_out, rng):
    return (rng.standard_normal((fan_in, fan_out)) * np.sqrt(1 / fan_in)).astype(np.float32)


@wrong_answer(A, "he_init", "scales by the variance 2 / fan_in instead of its square root")
def he_init_variance(fan_in, fan_out, rng):
    return (rng.standard_normal((fan_in, fan_out)) * (2 / fan_in)).astype(np.float32)


@wrong_answer(A, "he_init", "uses fan_out in the scale")
def he_init_fan_out(fan_in, fan_out, rng):
    return (rng.standard_normal((fan_in, fan_out)) * np.sqrt(2 / fan_out)).astype(np.float32)


@wrong_answer(A, "he_init", "returns float64", says=("float32",), kind="dtype")
def he_init_float64(fan_in, fan_out, rng):
    return rng.standard_normal((fan_in, fan_out)) * np.sqrt(2 / fan_in)


@wrong_answer(A, "he_init", "draws the transposed shape (fan_out, fan_in)", says=("transposed",),
              kind="shape")
def he_init_transposed(fan_in, fan_out, rng):
    return (rng.standard_normal((fan_out, fan_in)) * np.sqrt(2 / fan_in)).astype(np.float32)


@wrong_answer(A, "he_init", "draws from the global np.random, ignoring rng")
def he_init_global_random(fan_in, fan_out, rng):
    return (np.random.standard_normal((fan_in, fan_out)) * np.sqrt(2 / fan_in)).astype(np.float32)


@wrong_answer(A, "he_init", "the scale cast to np.float32, the draws left float64: a float64 "
              "product", says=("float32",), kind="dtype")
def he_init_float32_scale(fan_in, fan_out, rng):
    return np.float32(np.sqrt(2 / fan_in)) * rng.standard_normal((fan_in, fan_out))


# --- glorot_init ----------------------------------------------------------------------------

@wrong_answer(A, "glorot_init", "LeCun's scale sqrt(1 / fan_in)", says=("LeCun",))
def glorot_init_lecun(fan_in, fan_out, rng):
    return (rng.standard_normal((fan_in, fan_out)) * np.sqrt(1 / fan_in)).astype(np.float32)


@wrong_answer(A, "glorot_init", "He's scale sqrt(2 / fan_in)")
def glorot_init_he(fan_in, fan_out, rng):
    return (rng.standard_normal((fan_in, fan_out)) * np.sqrt(2 / fan_in)).astype(np.float32)


@wrong_answer(A, "glorot_init", "scales by the variance instead of its square root")
def glorot_init_variance(fan_in, fan_out, rng):
    return (rng.standard_normal((fan_in, fan_out)) * (2 / (fan_in + fan_out))).astype(np.float32)


@wrong_answer(A, "glorot_init", "the uniform distribution's limit sqrt(6 / (fan_in + fan_out)) "
              "taken as the standard deviation")
def glorot_init_uniform_limit(fan_in, fan_out, rng):
    return (rng.standard_normal((fan_in, fan_out)) * np.sqrt(6 / (fan_in + fan_out))).astype(
        np.float32)


@wrong_answer(A, "glorot_init", "2 / (fan_in * fan_out): a product for a sum")
def glorot_init_product(fan_in, fan_out, rng):
    return (rng.standard_normal((fan_in, fan_out)) * np.sqrt(2 / (fan_in * fan_out))).astype(
        np.float32)


@wrong_answer(A, "glorot_init", "returns float64", says=("float32",), kind="dtype")
def glorot_init_float64(fan_in, fan_out, rng):
    return rng.standard_normal((fan_in, fan_out)) * np.sqrt(2 / (fan_in + fan_out))


@wrong_answer(A, "glorot_init", "the scale cast to np.float32, the draws left float64: a float64 "
              "product", says=("float32",), kind="dtype")
def glorot_init_float32_scale(fan_in, fan_out, rng):
    return np.float32(np.sqrt(2 / (fan_in + fan_out))) * rng.standard_normal((fan_in, fan_out))


# --- Linear ---------------------------------------------------------------------------------

class _Linear:
    """The solution's Linear, for wrong answers that change one method."""

    def __init__(self, fan_in, fan_out, rng):
        W = rng.standard_normal((fan_in, fan_out)) * np.sqrt(2 / fan_in)
        self.params = {"W": W.astype(np.float32), "b": np.zeros(fan_out, np.float32)}
        self.grads = {}

    def forward(self, x):
        self.x = x
        return x.reshape(len(x), -1) @ self.params["W"] + self.params["b"]

    def backward(self, dout):
        x_rows = self.x.reshape(len(self.x), -1)
        self.grads = {"W": x_rows.T @ dout, "b": dout.sum(axis=0)}
        return (dout @ self.params["W"].T).reshape(self.x.shape)


def _variant(base, name, **methods):
    """A wrong answer for a class: ``base`` with some methods replaced, built by a closure (the
    catalogue runs wrong answers with the notebook's globals, where helpers here are unknown)."""
    cls = type(base.__name__.lstrip("_"), (base,), methods)

    def make(*args):
        return cls(*args)
    make.__name__ = name
    return make


def _backward_bias_not_summed(self, dout):
    self.grads = {"W": self.x.reshape(len(self.x), -1).T @ dout, "b": dout}
    return (dout @ self.params["W"].T).reshape(self.x.shape)


def _backward_dW_averaged(self, dout):
    x_rows = self.x.reshape(len(self.x), -1)
    self.grads = {"W": x_rows.T @ dout / len(dout), "b": dout.sum(axis=0) / len(dout)}
    return (dout @ self.params["W"].T).reshape(self.x.shape)


def _backward_dW_transposed(self, dout):
    x_rows = self.x.reshape(len(self.x), -1)
    self.grads = {"W": dout.T @ x_rows, "b": dout.sum(axis=0)}
    return (dout @ self.params["W"].T).reshape(self.x.shape)


def _forward_no_flatten(self, x):
    self.x = x
    return x @ self.params["W"] + self.params["b"]


wrong_answer(A, "Linear", "bias gradient not summed over the batch", test="linear",
             says=("summed over the batch",))(
    _variant(_Linear, "linear_bias_not_summed", backward=_backward_bias_not_summed))


wrong_answer(A, "Linear", "dW and db divided by the batch size (the loss already averages)",
             test="linear", says=("4 times too small",))(
    _variant(_Linear, "linear_grads_averaged", backward=_backward_dW_averaged))


wrong_answer(A, "Linear", "dW = dout.T @ x: transposed", test="linear", says=("transposed",))(
    _variant(_Linear, "linear_dW_transposed", backward=_backward_dW_transposed))


wrong_answer(A, "Linear", "does not flatten image-shaped inputs", test="linear")(
    _variant(_Linear, "linear_no_flatten", forward=_forward_no_flatten))




# --- ReLU -----------------------------------------------------------------------------------

class _ReLU:
    def __init__(self):
        self.params, self.grads = {}, {}

    def forward(self, x):
        self.positive = x > 0
        return np.maximum(x, 0)

    def backward(self, dout):
        return dout * self.positive


def _relu_forward_in_place(self, x):
    self.positive = x > 0
    x[x < 0] = 0
    return x


def _relu_backward_passes_all(self, dout):
    return dout


def _relu_forward_at_zero(self, x):
    self.positive = x >= 0
    return np.maximum(x, 0)


def _relu_backward_mask_only(self, dout):
    return self.positive.astype(dout.dtype)


wrong_answer(A, "ReLU", "forward zeroes the negative entries of x in place", test="relu",
             says=("in place",))(
    _variant(_ReLU, "relu_in_place", forward=_relu_forward_in_place))


wrong_answer(A, "ReLU", "backward passes dout through everywhere", test="relu")(
    _variant(_ReLU, "relu_backward_identity", backward=_relu_backward_passes_all))


wrong_answer(A, "ReLU", "gradient 1 at x == 0 (mask x >= 0)", test="relu")(
    _variant(_ReLU, "relu_gradient_at_zero", forward=_relu_forward_at_zero))


wrong_answer(A, "ReLU", "backward returns the mask, forgetting to multiply by dout",
             test="relu")(
    _variant(_ReLU, "relu_backward_mask", backward=_relu_backward_mask_only))


# --- SoftmaxCrossEntropy --------------------------------------------------------------------

class _SoftmaxCrossEntropy:
    def __init__(self):
        self.params, self.grads = {}, {}

    def forward(self, scores, y):
        shifted = scores - scores.max(axis=1, keepdims=True)
        self.probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
        self.y = y
        return float(-np.log(self.probs[np.arange(len(y)), y]).mean())

    def backward(self):
        dscores = self.probs.copy()
        dscores[np.arange(len(self.y)), self.y] -= 1
        return dscores / len(self.y)


def _sce_summed(self, scores, y):
    return _SoftmaxCrossEntropy.forward(self, scores, y) * len(y)


def _sce_unstable(self, scores, y):
    self.probs = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    self.y = y
    return float(-np.log(self.probs[np.arange(len(y)), y]).mean())


def _sce_backward_not_averaged(self):
    dscores = self.probs.copy()
    dscores[np.arange(len(self.y)), self.y] -= 1
    return dscores


def _sce_backward_sign(self):
    return -_SoftmaxCrossEntropy.backward(self)


wrong_answer(A, "SoftmaxCrossEntropy", "loss summed over the batch, not averaged",
             test="softmax_cross_entropy")(
    _variant(_SoftmaxCrossEntropy, "sce_summed", forward=_sce_summed))


wrong_answer(A, "SoftmaxCrossEntropy", "no max subtraction: exp overflows for large scores",
             test="softmax_cross_entropy")(
    _variant(_SoftmaxCrossEntropy, "sce_unstable", forward=_sce_unstable))


wrong_answer(A, "SoftmaxCrossEntropy", "dscores not divided by N",
             test="softmax_cross_entropy", says=("4 times too large",))(
    _variant(_SoftmaxCrossEntropy, "sce_backward_not_averaged",
             backward=_sce_backward_not_averaged))


wrong_answer(A, "SoftmaxCrossEntropy", "dscores = (one_hot - p) / N: sign flipped",
             test="softmax_cross_entropy", says=("wrong sign",))(
    _variant(_SoftmaxCrossEntropy, "sce_backward_sign", backward=_sce_backward_sign))


# --- the layers on other kinds of input, and called again (issue 15) -------------------------
# Each is a whole class inside a function, so that its source alone makes a submission (the
# first wrong answer of each kind is pasted into a notebook and graded end to end).

@wrong_answer(A, "Linear", "bias created with np.zeros(fan_out): float64, and so is every output",
              test="linear", says=("float32",), kind="dtype")
def linear_float64_bias(fan_in, fan_out, rng):
    class Linear:
        def __init__(self, fan_in, fan_out, rng):
            self.params = {"W": he_init(fan_in, fan_out, rng), "b": np.zeros(fan_out)}  # noqa: F821
            self.grads = {}

        def forward(self, x):
            self.x = x
            return x.reshape(len(x), -1) @ self.params["W"] + self.params["b"]

        def backward(self, dout):
            x_rows = self.x.reshape(len(self.x), -1)
            self.grads = {"W": x_rows.T @ dout, "b": dout.sum(axis=0)}
            return (dout @ self.params["W"].T).reshape(self.x.shape)
    return Linear(fan_in, fan_out, rng)


@wrong_answer(A, "Linear", "W drawn in place of he_init and left float64", test="linear",
              says=("float32",), kind="dtype")
def linear_float64_weights(fan_in, fan_out, rng):
    class Linear:
        def __init__(self, fan_in, fan_out, rng):
            W = rng.standard_normal((fan_in, fan_out)) * np.sqrt(2 / fan_in)
            self.params = {"W": W, "b": np.zeros(fan_out, np.float32)}
            self.grads = {}

        def forward(self, x):
            self.x = x
            return x.reshape(len(x), -1) @ self.params["W"] + self.params["b"]

        def backward(self, dout):
            x_rows = self.x.reshape(len(self.x), -1)
            self.grads = {"W": x_rows.T @ dout, "b": dout.sum(axis=0)}
            return (dout @ self.params["W"].T).reshape(self.x.shape)
    return Linear(fan_in, fan_out, rng)


@wrong_answer(A, "Linear", "gradients accumulate across backward calls (+=)", test="linear",
              says=("add to the previous",), kind="repeated-call")
def linear_grads_accumulate(fan_in, fan_out, rng):
    class Linear:
        def __init__(self, fan_in, fan_out, rng):
            self.params = {"W": he_init(fan_in, fan_out, rng),  # noqa: F821
                           "b": np.zeros(fan_out, np.float32)}
            self.grads = {}

        def forward(self, x):
            self.x = x
            return x.reshape(len(x), -1) @ self.params["W"] + self.params["b"]

        def backward(self, dout):
            x_rows = self.x.reshape(len(self.x), -1)
            if not self.grads:
                self.grads = {"W": np.zeros_like(self.params["W"]),
                              "b": np.zeros_like(self.params["b"])}
            self.grads["W"] += x_rows.T @ dout
            self.grads["b"] += dout.sum(axis=0)
            return (dout @ self.params["W"].T).reshape(self.x.shape)
    return Linear(fan_in, fan_out, rng)


@wrong_answer(A, "Linear", "flattens x once, on the first forward call, and keeps those rows",
              test="linear", says=("forward call",), kind="repeated-call")
def linear_rows_flattened_once(fan_in, fan_out, rng):
    class Linear:
        def __init__(self, fan_in, fan_out, rng):
            self.params = {"W": he_init(fan_in, fan_out, rng),  # noqa: F821
                           "b": np.zeros(fan_out, np.float32)}
            self.grads = {}
            self.x_rows = None

        def forward(self, x):
            self.x_shape = x.shape
            if self.x_rows is None:
                self.x_rows = x.reshape(len(x), -1)
            return x.reshape(len(x), -1) @ self.params["W"] + self.params["b"]

        def backward(self, dout):
            self.grads = {"W": self.x_rows.T @ dout, "b": dout.sum(axis=0)}
            return (dout @ self.params["W"].T).reshape(self.x_shape)
    return Linear(fan_in, fan_out, rng)


@wrong_answer(A, "Linear", "bias as a (1, fan_out) row, and db kept as a row", test="linear",
              kind="shape")
def linear_bias_row(fan_in, fan_out, rng):
    class Linear:
        def __init__(self, fan_in, fan_out, rng):
            self.params = {"W": he_init(fan_in, fan_out, rng),  # noqa: F821
                           "b": np.zeros((1, fan_out), np.float32)}
            self.grads = {}

        def forward(self, x):
            self.x = x
            return x.reshape(len(x), -1) @ self.params["W"] + self.params["b"]

        def backward(self, dout):
            x_rows = self.x.reshape(len(self.x), -1)
            self.grads = {"W": x_rows.T @ dout, "b": dout.sum(axis=0, keepdims=True)}
            return (dout @ self.params["W"].T).reshape(self.x.shape)
    return Linear(fan_in, fan_out, rng)


@wrong_answer(A, "Linear", "db = dout.sum(axis=0, keepdims=True): a (1, fan_out) row",
              test="linear", kind="shape")
def linear_db_keepdims(fan_in, fan_out, rng):
    class Linear:
        def __init__(self, fan_in, fan_out, rng):
            self.params = {"W": he_init(fan_in, fan_out, rng),  # noqa: F821
                           "b": np.zeros(fan_out, np.float32)}
            self.grads = {}

        def forward(self, x):
            self.x = x
            return x.reshape(len(x), -1) @ self.params["W"] + self.params["b"]

        def backward(self, dout):
            x_rows = self.x.reshape(len(self.x), -1)
            self.grads = {"W": x_rows.T @ dout, "b": dout.sum(axis=0, keepdims=True)}
            return (dout @ self.params["W"].T).reshape(self.x.shape)
    return Linear(fan_in, fan_out, rng)


@wrong_answer(A, "ReLU", "backward multiplies by (x > 0).astype(float): float64 dx",
              test="relu", says=("float32",), kind="dtype")
def relu_mask_float64():
    class ReLU:
        def __init__(self):
            self.params, self.grads = {}, {}

        def forward(self, x):
            self.mask = (x > 0).astype(float)
            return np.maximum(x, 0)

        def backward(self, dout):
            return dout * self.mask
    return ReLU()


@wrong_answer(A, "ReLU", "forward is np.maximum(x, np.zeros(x.shape)): float64 out", test="relu",
              says=("float32",), kind="dtype")
def relu_maximum_with_zeros():
    class ReLU:
        def __init__(self):
            self.params, self.grads = {}, {}

        def forward(self, x):
            self.positive = x > 0
            return np.maximum(x, np.zeros(x.shape))

        def backward(self, dout):
            return dout * self.positive
    return ReLU()


@wrong_answer(A, "ReLU", "zeroes np.copy(x).ravel(): a copy when x is a view, so nothing changes",
              test="relu", kind="layout")
def relu_writes_into_ravel():
    class ReLU:
        def __init__(self):
            self.params, self.grads = {}, {}

        def forward(self, x):
            self.positive = x > 0
            out = np.copy(x)
            flat = out.ravel()
            flat[flat < 0] = 0
            return out

        def backward(self, dout):
            return dout * self.positive
    return ReLU()


@wrong_answer(A, "ReLU", "backward zeroes np.copy(dout).reshape(-1): a copy for a view of dout",
              test="relu", kind="layout")
def relu_backward_writes_into_reshape():
    class ReLU:
        def __init__(self):
            self.params, self.grads = {}, {}

        def forward(self, x):
            self.positive = x > 0
            return np.maximum(x, 0)

        def backward(self, dout):
            dx = np.copy(dout)
            dx.reshape(-1)[~self.positive.reshape(-1)] = 0
            return dx
    return ReLU()


@wrong_answer(A, "ReLU", "backward multiplies its cached mask by dout in place (mask *= dout)",
              test="relu", says=("second time",), kind="repeated-call")
def relu_backward_edits_mask():
    class ReLU:
        def __init__(self):
            self.params, self.grads = {}, {}

        def forward(self, x):
            self.mask = (x > 0).astype(x.dtype)
            return np.maximum(x, 0)

        def backward(self, dout):
            self.mask *= dout
            return self.mask
    return ReLU()


@wrong_answer(A, "SoftmaxCrossEntropy", "backward edits its cached probabilities in place",
              test="softmax_cross_entropy", says=("second time",), kind="repeated-call")
def sce_backward_in_place():
    class SoftmaxCrossEntropy:
        def __init__(self):
            self.params, self.grads = {}, {}

        def forward(self, scores, y):
            shifted = scores - scores.max(axis=1, keepdims=True)
            log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
            self.probs, self.y = np.exp(log_probs), y
            return float(-log_probs[np.arange(len(y)), y].mean())

        def backward(self):
            self.probs[np.arange(len(self.y)), self.y] -= 1
            self.probs /= len(self.y)
            return self.probs
    return SoftmaxCrossEntropy()


@wrong_answer(A, "SoftmaxCrossEntropy", "dscores = self.probs (no copy), then -= 1 on it",
              test="softmax_cross_entropy", says=("second time",), kind="repeated-call")
def sce_backward_alias():
    class SoftmaxCrossEntropy:
        def __init__(self):
            self.params, self.grads = {}, {}

        def forward(self, scores, y):
            shifted = scores - scores.max(axis=1, keepdims=True)
            log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
            self.probs, self.y = np.exp(log_probs), y
            return float(-log_probs[np.arange(len(y)), y].mean())

        def backward(self):
            dscores = self.probs
            dscores[np.arange(len(self.y)), self.y] -= 1
            return dscores / len(self.y)
    return SoftmaxCrossEntropy()


@wrong_answer(A, "SoftmaxCrossEntropy", "one-hot labels from np.eye(C): float64 dscores",
              test="softmax_cross_entropy", says=("float32",), kind="dtype")
def sce_one_hot_eye():
    class SoftmaxCrossEntropy:
        def __init__(self):
            self.params, self.grads = {}, {}

        def forward(self, scores, y):
            shifted = scores - scores.max(axis=1, keepdims=True)
            log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
            self.probs, self.y = np.exp(log_probs), y
            return float(-log_probs[np.arange(len(y)), y].mean())

        def backward(self):
            one_hot = np.eye(self.probs.shape[1])[self.y]
            return (self.probs - one_hot) / len(self.y)
    return SoftmaxCrossEntropy()


@wrong_answer(A, "SoftmaxCrossEntropy", "one-hot labels in np.zeros((N, C)): float64 dscores",
              test="softmax_cross_entropy", says=("float32",), kind="dtype")
def sce_one_hot_zeros():
    class SoftmaxCrossEntropy:
        def __init__(self):
            self.params, self.grads = {}, {}

        def forward(self, scores, y):
            shifted = scores - scores.max(axis=1, keepdims=True)
            log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
            self.probs, self.y = np.exp(log_probs), y
            return float(-log_probs[np.arange(len(y)), y].mean())

        def backward(self):
            one_hot = np.zeros(self.probs.shape)
            one_hot[np.arange(len(self.y)), self.y] = 1
            return (self.probs - one_hot) / len(self.y)
    return SoftmaxCrossEntropy()


# --- sgd_step -------------------------------------------------------------------------------

@wrong_answer(A, "sgd_step", "moves along the gradient (+ instead of -)")
def sgd_step_ascent(params, grads, lr):
    return {name: params[name] + lr * grads[name] for name in params}


@wrong_answer(A, "sgd_step", "updates params in place and returns them", says=("in place",))
def sgd_step_in_place(params, grads, lr):
    for name in params:
        params[name] -= lr * grads[name]
    return params


@wrong_answer(A, "sgd_step", "forgets the learning rate")
def sgd_step_no_lr(params, grads, lr):
    return {name: params[name] - grads[name] for name in params}


@wrong_answer(A, "sgd_step", "builds the result in np.zeros(shape): float64", says=("float32",),
              kind="dtype")
def sgd_step_float64(params, grads, lr):
    new_params = {name: np.zeros(params[name].shape) for name in params}
    for name in params:
        new_params[name][...] = params[name] - lr * grads[name]
    return new_params


@wrong_answer(A, "sgd_step", "converts every result with .astype(float): float64",
              says=("float32",), kind="dtype")
def sgd_step_astype_float(params, grads, lr):
    return {name: (params[name] - lr * grads[name]).astype(float) for name in params}


# --- accuracy -------------------------------------------------------------------------------

@wrong_answer(A, "accuracy", "counts the correct examples instead of the fraction")
def accuracy_count(scores, y):
    return float(np.sum(scores.argmax(axis=1) == y))


@wrong_answer(A, "accuracy", "a percentage instead of a fraction")
def accuracy_percent(scores, y):
    return 100 * float(np.mean(scores.argmax(axis=1) == y))


@wrong_answer(A, "accuracy", "compares the highest score, not its index, with y")
def accuracy_max_not_argmax(scores, y):
    return float(np.mean(scores.max(axis=1) == y))


@wrong_answer(A, "accuracy", "argmax over the batch axis")
def accuracy_wrong_axis(scores, y):
    return float(np.mean(scores.argmax(axis=0) == y))


# --- minibatch_indices ----------------------------------------------------------------------

@wrong_answer(A, "minibatch_indices", "np.array_split into ceil(N / B) balanced parts")
def minibatch_indices_array_split(n_examples, batch_size, rng=None):
    order = np.arange(n_examples) if rng is None else rng.permutation(n_examples)
    return np.array_split(order, -(-n_examples // batch_size))


@wrong_answer(A, "minibatch_indices", "drops the last, smaller batch", says=("3 arrays",))
def minibatch_indices_drop_last(n_examples, batch_size, rng=None):
    order = np.arange(n_examples) if rng is None else rng.permutation(n_examples)
    return [order[start:start + batch_size]
            for start in range(0, n_examples - batch_size + 1, batch_size)]


@wrong_answer(A, "minibatch_indices", "draws indices with replacement (rng.integers)")
def minibatch_indices_with_replacement(n_examples, batch_size, rng=None):
    order = np.arange(n_examples) if rng is None else rng.integers(0, n_examples, n_examples)
    return [order[start:start + batch_size] for start in range(0, n_examples, batch_size)]


@wrong_answer(A, "minibatch_indices", "never shuffles", says=("rng.permutation",))
def minibatch_indices_in_order(n_examples, batch_size, rng=None):
    order = np.arange(n_examples)
    return [order[start:start + batch_size] for start in range(0, n_examples, batch_size)]


@wrong_answer(A, "minibatch_indices", "shuffles with a generator of its own, seed 0",
              says=("new permutation",))
def minibatch_indices_fixed_seed(n_examples, batch_size, rng=None):
    order = np.arange(n_examples) if rng is None else np.random.default_rng(0).permutation(
        n_examples)
    return [order[start:start + batch_size] for start in range(0, n_examples, batch_size)]


# --- evaluate -------------------------------------------------------------------------------

@wrong_answer(A, "evaluate", "the plain mean of the chunks' means", says=("weight each chunk",))
def evaluate_unweighted(model, X, y, *, loss, accuracy, batch_size=1000):
    losses, accuracies = [], []
    for start in range(0, len(X), batch_size):
        scores = model.forward(X[start:start + batch_size], train=False)
        losses.append(loss(scores, y[start:start + batch_size])[0])
        accuracies.append(accuracy(scores, y[start:start + batch_size]))
    return float(np.mean(losses)), float(np.mean(accuracies))


@wrong_answer(A, "evaluate", "forward in training mode", says=("train=False",))
def evaluate_training_mode(model, X, y, *, loss, accuracy, batch_size=1000):
    total_loss = total_correct = 0.0
    for start in range(0, len(X), batch_size):
        scores = model.forward(X[start:start + batch_size], train=True)
        total_loss += loss(scores, y[start:start + batch_size])[0] * len(scores)
        total_correct += accuracy(scores, y[start:start + batch_size]) * len(scores)
    return total_loss / len(X), total_correct / len(X)


@wrong_answer(A, "evaluate", "the whole set in one forward, ignoring batch_size",
              says=("chunks of 4",))
def evaluate_one_pass(model, X, y, *, loss, accuracy, batch_size=1000):
    scores = model.forward(X, train=False)
    return float(loss(scores, y)[0]), float(accuracy(scores, y))


@wrong_answer(A, "evaluate", "returns (accuracy, loss)", says=("the loss returned",))
def evaluate_swapped(model, X, y, *, loss, accuracy, batch_size=1000):
    total_loss = total_correct = 0.0
    for start in range(0, len(X), batch_size):
        scores = model.forward(X[start:start + batch_size], train=False)
        total_loss += loss(scores, y[start:start + batch_size])[0] * len(scores)
        total_correct += accuracy(scores, y[start:start + batch_size]) * len(scores)
    return total_correct / len(X), total_loss / len(X)


# --- train ----------------------------------------------------------------------------------

def _train_with(mistake):
    """The solution's train with one mistake (a closure, so that it survives being rebound to
    the notebook's namespace, where minibatch_indices, evaluate, time and tqdm are defined)."""
    def train(model, X_train, y_train, *, loss, accuracy, update, optim_config, epochs,
              batch_size, rng, X_val=None, y_val=None, lr_decay=1.0, progress=True):
        shared = dict(optim_config)
        configs = {name: dict(optim_config) for name in model.params}
        history = {"train_loss": [], "train_acc": [], "batch_loss": [], "seconds": []}
        if X_val is not None:
            history["val_loss"], history["val_acc"] = [], []
        start = time.perf_counter()  # noqa: F821 (the notebook's namespace)
        for _epoch in range(epochs):
            epoch_loss = epoch_correct = 0.0
            losses = []
            shuffle = None if mistake == "no shuffle" else rng
            for rows in minibatch_indices(len(X_train), batch_size, shuffle):  # noqa: F821 (the notebook's namespace)
                X_batch, y_batch = X_train[rows], y_train[rows]
                scores = (model.forward(X_batch) if mistake == "test mode"
                          else model.forward(X_batch, train=True))
                batch_loss, dscores = loss(scores, y_batch)
                if hasattr(model, "penalty"):
                    batch_loss = float(batch_loss) + float(model.penalty())
                model.backward(dscores)
                for name, w in model.params.items():
                    if mistake == "shared config":
                        next_w, shared = update(w, model.grads[name], shared)
                    elif mistake == "config dropped":
                        next_w, _ = update(w, model.grads[name], configs[name])
                    else:
                        next_w, configs[name] = update(w, model.grads[name], configs[name])
                    if mistake == "rebinds params":
                        model.params[name] = next_w
                    else:
                        w[...] = next_w
                losses.append(float(batch_loss))
                epoch_loss += float(batch_loss) * len(rows)
                epoch_correct += float(accuracy(scores, y_batch)) * len(rows)
            history["batch_loss"] += losses
            if mistake != "no decay":
                for config in [shared, *configs.values()]:
                    config["learning_rate"] *= lr_decay
            if mistake == "unweighted means":
                history["train_loss"].append(float(np.mean(losses)))
            else:
                history["train_loss"].append(epoch_loss / len(X_train))
            history["train_acc"].append(epoch_correct / len(X_train))
            if X_val is not None:
                val_loss, val_acc = evaluate(model, X_val, y_val, loss=loss, accuracy=accuracy)  # noqa: F821 (the notebook's namespace)
                history["val_loss"].append(val_loss)
                history["val_acc"].append(val_acc)
            history["seconds"].append(time.perf_counter() - start)  # noqa: F821 (the notebook's namespace)
        return history
    train.__name__ = "train_" + mistake.replace(" ", "_")
    return train


for _mistake, _description, _says in (
        ("no shuffle", "takes the batches in order, never shuffling", ("minibatch_indices",)),
        ("test mode", "calls forward without train=True", ("training mode",)),
        ("shared config", "one config for all parameters", ("own config",)),
        ("config dropped", "throws away the config update returns", ("own config",)),
        ("rebinds params", "model.params[name] = next_w instead of writing into the array",
         ("w[...] = next_w",)),
        ("unweighted means", "train_loss: the plain mean of the batch losses",
         ("weight each batch",)),
        ("no decay", "never applies lr_decay", ("lr_decay",))):
    wrong_answer(A, "train", _description, says=_says)(_train_with(_mistake))
