"""Wrong answers to notebook 01. Names such as `step` resolve in the notebook's namespace."""
import numpy as np

from . import wrong_answer

A = "01_perceptron"


@wrong_answer(A, "step", "fires at 0: uses >= instead of >")
def step_fires_at_zero(x):
    return (np.asarray(x) >= 0).astype(int)


@wrong_answer(A, "step", "returns booleans", says=("integers",))
def step_returns_bools(x):
    return np.asarray(x) > 0


@wrong_answer(A, "step", "np.heaviside returns floats and 0.5 at 0")
def step_heaviside(x):
    return np.heaviside(x, 0.5)


@wrong_answer(A, "step", "a Python if: fine for a number, fails for arrays")
def step_scalar_only(x):
    return 1 if x > 0 else 0


@wrong_answer(A, "and_gate", "weights of OR: the bias is too small", test="gates")
def and_gate_bias_too_small(x1, x2):
    return step(0.5 * x1 + 0.5 * x2 - 0.2)  # noqa: F821


@wrong_answer(A, "or_gate", "weights of AND", test="gates")
def or_gate_like_and(x1, x2):
    return step(0.5 * x1 + 0.5 * x2 - 0.7)  # noqa: F821


@wrong_answer(A, "nand_gate", "AND with only the bias flipped", test="gates")
def nand_gate_bias_only(x1, x2):
    return step(0.5 * x1 + 0.5 * x2 + 0.7)  # noqa: F821


@wrong_answer(A, "nand_gate", "Python `not`/`and`: right for numbers, wrong for arrays",
              test="gates")
def nand_gate_python_logic(x1, x2):
    return int(not (x1 and x2))


@wrong_answer(A, "nand_gate", "AND's signs flipped, from an AND line through (0,1) and (1,0): NOR",
              test="gates")
def nand_gate_flipped_and_through_corners(x1, x2):
    # and_gate = step(x1 + x2 - 1) is right (sums -1, 0, 0, 1), but flipping every sign keeps the
    # two corners on the line at step(0) = 0.
    return step(1 - x1 - x2)  # noqa: F821


@wrong_answer(A, "and_gate", "np.logical_and: right on 0/1, but not a perceptron",
              test="gates", says=("not a perceptron", "midpoint"))
def and_gate_logical(x1, x2):
    return np.logical_and(x1, x2).astype(int)


@wrong_answer(A, "or_gate", "np.maximum(x1, x2): right on 0/1 ints, floats on float inputs",
              test="gates", says=("integers",))
def or_gate_maximum(x1, x2):
    return np.maximum(x1, x2)


@wrong_answer(A, "nand_gate", "1 - x1 * x2: right on 0/1, but not a perceptron", test="gates")
def nand_gate_product(x1, x2):
    return (1 - np.asarray(x1) * np.asarray(x2) > 0.5).astype(int)


@wrong_answer(A, "perceptron_predict", "np.sign instead of step: labels -1, 0, 1")
def predict_sign(X, w, b):
    return np.sign(X @ w + b).astype(int)


@wrong_answer(A, "perceptron_predict", "subtracts the bias")
def predict_minus_bias(X, w, b):
    return step(X @ w - b)  # noqa: F821


@wrong_answer(A, "perceptron_predict", ">= 0: points on the boundary get label 1")
def predict_boundary_is_one(X, w, b):
    return (X @ w + b >= 0).astype(int)


@wrong_answer(A, "perceptron_predict", "forgets the bias")
def predict_no_bias(X, w, b):
    return step(X @ w)  # noqa: F821


@wrong_answer(A, "perceptron_train", "never updates the bias")
def train_without_bias(X, y, lr, epochs, rng):
    w, errors = np.zeros(X.shape[1]), np.zeros(epochs, dtype=int)
    for epoch in range(epochs):
        for i in rng.permutation(len(y)):
            error = y[i] - step(X[i] @ w)  # noqa: F821
            if error != 0:
                w = w + lr * error * X[i]
                errors[epoch] += 1
    return w, 0.0, errors


@wrong_answer(A, "perceptron_train", "update with the wrong sign (prediction - target)")
def train_wrong_sign(X, y, lr, epochs, rng):
    w, b, errors = np.zeros(X.shape[1]), 0.0, np.zeros(epochs, dtype=int)
    for epoch in range(epochs):
        for i in rng.permutation(len(y)):
            error = step(X[i] @ w + b) - y[i]  # noqa: F821
            if error != 0:
                w, b = w + lr * error * X[i], b + lr * error
                errors[epoch] += 1
    return w, float(b), errors


@wrong_answer(A, "perceptron_train", "visits the rows in order, ignoring rng")
def train_no_shuffle(X, y, lr, epochs, rng):
    w, b, errors = np.zeros(X.shape[1]), 0.0, np.zeros(epochs, dtype=int)
    for epoch in range(epochs):
        for i in range(len(y)):
            error = y[i] - step(X[i] @ w + b)  # noqa: F821
            if error != 0:
                w, b = w + lr * error * X[i], b + lr * error
                errors[epoch] += 1
    return w, float(b), errors


@wrong_answer(A, "perceptron_train", "scales the row X[i] in place while updating, so X changes")
def train_in_place(X, y, lr, epochs, rng):
    w, b, errors = X[0] * 0, 0.0, np.zeros(epochs, dtype=int)
    for epoch in range(epochs):
        for i in rng.permutation(len(y)):
            error = y[i] - step(X[i] @ w + b)  # noqa: F821
            if error != 0:
                X[i] *= lr * error
                w = w + X[i]
                b = b + lr * error
                errors[epoch] += 1
    return w, float(b), errors


@wrong_answer(A, "perceptron_train", "counts mistakes over all epochs, not per epoch")
def train_cumulative_errors(X, y, lr, epochs, rng):
    w, b, errors, total = np.zeros(X.shape[1]), 0.0, np.zeros(epochs, dtype=int), 0
    for epoch in range(epochs):
        for i in rng.permutation(len(y)):
            error = y[i] - step(X[i] @ w + b)  # noqa: F821
            if error != 0:
                w, b = w + lr * error * X[i], b + lr * error
                total += 1
        errors[epoch] = total
    return w, float(b), errors


@wrong_answer(A, "xor_gate", "OR of NAND and AND: always 1")
def xor_or_of_nand_and(x1, x2):
    return or_gate(nand_gate(x1, x2), and_gate(x1, x2))  # noqa: F821


@wrong_answer(A, "xor_gate", "NAND of OR and AND: XNOR")
def xor_is_xnor(x1, x2):
    return nand_gate(or_gate(x1, x2), nand_gate(x1, x2))  # noqa: F821


@wrong_answer(A, "xor_gate", "Python `and` between gate outputs: fails on arrays")
def xor_python_and(x1, x2):
    return int(nand_gate(x1, x2) and or_gate(x1, x2))  # noqa: F821


@wrong_answer(A, "xor_gate", "XOR computed directly with !=", says=("(-1, -0.5)",))
def xor_not_equal(x1, x2):
    return (np.asarray(x1) != np.asarray(x2)).astype(int)


@wrong_answer(A, "xor_gate", "rounds the inputs, then ^")
def xor_rounded_bitwise(x1, x2):
    return np.round(x1).astype(int) ^ np.round(x2).astype(int)


@wrong_answer(A, "xor_gate", "a two-layer network with weights of its own, not the student's gates",
              says=("not a network of your gates",))
def xor_own_weights(x1, x2):
    first = step(x1 + x2 - 0.5) - step(x1 + x2 - 1.5)  # noqa: F821
    return step(first - 0.5)  # noqa: F821
