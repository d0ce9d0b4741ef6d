"""Right answers to notebook 01 that differ from the solution."""
import numpy as np

from . import right_answer

A = "01_perceptron"


@right_answer(A, "step", "np.where(x > 0, 1, 0): ints, a 0-d array for a number")
def step_where(x):
    return np.where(np.asarray(x) > 0, 1, 0)


@right_answer(A, "step", "np.array(x > 0, dtype=int): works on numbers as they are")
def step_array_of_comparison(x):
    return np.array(np.greater(x, 0), dtype=int)


@right_answer(A, "step", "a loop over the entries, reshaped to x's shape")
def step_loop(x):
    return np.array([1 if v > 0 else 0 for v in np.ravel(x)], dtype=int).reshape(np.shape(x))


@right_answer(A, "step", "(x > 0) * 1: ints, also for a number")
def step_times_one(x):
    return (np.asarray(x) > 0) * 1


@right_answer(A, "and_gate", "other weights: step(x1 + x2 - 1.5)", test="gates")
def and_gate_unit_weights(x1, x2):
    return step(x1 + x2 - 1.5)  # noqa: F821


@right_answer(A, "and_gate", "a line through (0, 1) and (1, 0): those corners sum to 0, and "
                             "step(0) = 0", test="gates")
def and_gate_through_corners(x1, x2):
    return step(x1 + x2 - 1)  # noqa: F821


@right_answer(A, "nand_gate", "other weights: step(1.5 - x1 - x2)", test="gates")
def nand_gate_unit_weights(x1, x2):
    return step(1.5 - x1 - x2)  # noqa: F821


@right_answer(A, "perceptron_predict", "a loop over the rows")
def predict_loop(X, w, b):
    return np.array([step(x @ w + b) for x in X], dtype=int)  # noqa: F821


@right_answer(A, "perceptron_predict", "np.einsum and a comparison turned into ints")
def predict_einsum(X, w, b):
    return (np.einsum("nd,d->n", X, w) + b > 0).astype(int)


@right_answer(A, "perceptron_train", "w updated in place (its own array), errors in a list")
def train_in_place_list(X, y, lr, epochs, rng):
    w, b, errors = np.zeros(X.shape[1]), 0.0, []
    for _ in range(epochs):
        mistakes = 0
        for i in rng.permutation(len(X)):
            error = y[i] - step(X[i] @ w + b)  # noqa: F821
            if error:
                w += lr * error * X[i]
                b += lr * error
                mistakes += 1
        errors.append(mistakes)
    return w, np.float64(b), np.array(errors)


@right_answer(A, "xor_gate", "the first layer's gates in the other order")
def xor_gate_swapped(x1, x2):
    return and_gate(or_gate(x1, x2), nand_gate(x1, x2))  # noqa: F821
