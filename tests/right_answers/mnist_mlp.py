"""Right answers to notebook 06 that differ from the solution. The layers are whole classes
inside a function (the catalogue swaps functions in), returning an instance."""
import numpy as np

from . import right_answer

A = "06_mnist_mlp"


@right_answer(A, "he_init", "rng.normal with the standard deviation as its scale")
def he_init_normal(fan_in, fan_out, rng):
    return rng.normal(0.0, np.sqrt(2 / fan_in), size=(fan_in, fan_out)).astype(np.float32)


@right_answer(A, "glorot_init", "the scale first, then np.float32 of the product")
def glorot_init_scale_first(fan_in, fan_out, rng):
    std = (2.0 / (fan_in + fan_out)) ** 0.5
    return np.float32(std) * rng.standard_normal((fan_in, fan_out)).astype(np.float32)


@right_answer(A, "Linear", "np.dot and einsum, the input's shape stored, dx always computed",
              test="linear")
def linear_einsum(fan_in, fan_out, rng):
    class Linear:
        def __init__(self, fan_in, fan_out, rng):
            self.params = {"W": he_init(fan_in, fan_out, rng),  # noqa: F821
                           "b": np.zeros(fan_out, dtype=np.float32)}
            self.grads = {}

        def forward(self, x):
            self.x_shape = x.shape
            self.x_rows = np.reshape(x, (x.shape[0], -1))
            return np.dot(self.x_rows, self.params["W"]) + self.params["b"]

        def backward(self, dout):
            self.grads = {"W": np.einsum("ni,nj->ij", self.x_rows, dout),
                          "b": np.sum(dout, axis=0)}
            return np.dot(dout, self.params["W"].T).reshape(self.x_shape)
    return Linear(fan_in, fan_out, rng)


@right_answer(A, "ReLU", "x * (x > 0) and np.where with the mask", test="relu")
def relu_where():
    class ReLU:
        def __init__(self):
            self.params, self.grads = {}, {}

        def forward(self, x):
            self.mask = x > 0
            return x * self.mask

        def backward(self, dout):
            return np.where(self.mask, dout, 0)
    return ReLU()


@right_answer(A, "SoftmaxCrossEntropy", "probabilities divided by their sums, a one-hot matrix "
                                        "in the dtype of scores, loops over the batch",
              test="softmax_cross_entropy")
def sce_one_hot_loops():
    class SoftmaxCrossEntropy:
        def __init__(self):
            self.params, self.grads = {}, {}

        def forward(self, scores, y):
            shifted = scores - np.max(scores, axis=1, keepdims=True)
            sums = np.sum(np.exp(shifted), axis=1, keepdims=True)
            self.probs = np.exp(shifted) / sums
            self.y = y
            total = 0.0
            for i, label in enumerate(y):
                total += float(np.log(sums[i, 0]) - shifted[i, label])
            return total / len(y)

        def backward(self):
            one_hot = np.zeros_like(self.probs)
            one_hot[np.arange(len(self.y)), self.y] = 1
            return (self.probs - one_hot) / len(self.y)
    return SoftmaxCrossEntropy()


@right_answer(A, "sgd_step", "a loop that fills a new dict with np.subtract")
def sgd_step_loop(params, grads, lr):
    new_params = {}
    for name, value in params.items():
        new_params[name] = np.subtract(value, lr * grads[name])
    return new_params


@right_answer(A, "accuracy", "a loop counting the right rows")
def accuracy_loop(scores, y):
    correct = 0
    for row, label in zip(scores, y, strict=True):
        correct += int(np.argmax(row) == label)
    return correct / len(y)


@right_answer(A, "minibatch_indices", "np.arange shuffled by rng.shuffle, cut with np.split")
def minibatch_indices_split(n_examples, batch_size, rng=None):
    order = np.arange(n_examples)
    if rng is not None:
        rng.shuffle(order)
    return np.split(order, range(batch_size, n_examples, batch_size))


@right_answer(A, "evaluate", "lists of the chunks' results, combined by np.average with weights")
def evaluate_weighted_average(model, X, y, *, loss, accuracy, batch_size=1000):
    losses, accuracies, sizes = [], [], []
    for start in range(0, len(X), batch_size):
        scores = model.forward(X[start:start + batch_size], train=False)
        losses.append(float(loss(scores, y[start:start + batch_size])[0]))
        accuracies.append(float(accuracy(scores, y[start:start + batch_size])))
        sizes.append(len(scores))
    return float(np.average(losses, weights=sizes)), float(np.average(accuracies, weights=sizes))
