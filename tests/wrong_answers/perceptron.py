"""Wrong answers to notebook 01. Names such as `step` resolve in the notebook's namespace."""
import numpy as np

from . import wrong_answer

A = "01_perceptron"


@wrong_answer(A, "step", "fires at 0: uses >= instead of >")
def step_fires_at_zero(x):
    return (np.asarray(x) >= 0).astype(int)


@wrong_answer(A, "step", "returns booleans", says=("integers",), kind="dtype")
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
              test="gates", says=("integers",), kind="dtype")
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


# Kinds of input (issue 15): dtypes, Python numbers, memory layouts, shapes, repeated calls.

@wrong_answer(A, "step", "(x > 0).astype(int) without np.asarray: a Python float has no astype",
              kind="python-type", says=("Python float",))
def step_astype_on_number(x):
    return (x > 0).astype(int)


@wrong_answer(A, "step", "np.zeros(x.shape, dtype=int): a Python number has no shape",
              kind="python-type")
def step_x_shape(x):
    out = np.zeros(x.shape, dtype=int)
    out[x > 0] = 1
    return out


@wrong_answer(A, "step", "np.heaviside(x, 0): right values, but floats", kind="dtype",
              says=("integers",))
def step_heaviside_zero(x):
    return np.heaviside(x, 0)


@wrong_answer(A, "step", "builds the result with np.zeros_like(x): floats for a float x",
              kind="dtype")
def step_zeros_like(x):
    out = np.zeros_like(np.asarray(x))
    out[np.asarray(x) > 0] = 1
    return out


@wrong_answer(A, "step", "sets out.reshape(-1)[mask]: a copy, not a view, for a transposed x",
              kind="layout", says=("transposed",))
def step_reshaped_mask(x):
    out = np.zeros_like(x, dtype=int)
    out.reshape(-1)[np.reshape(x, -1) > 0] = 1
    return out


@wrong_answer(A, "step", "iterates np.nditer(x), in memory order, into out.flat, in C order",
              kind="layout")
def step_nditer(x):
    out = np.zeros(np.shape(x), dtype=int)
    for k, value in enumerate(np.nditer(np.asarray(x))):
        out.flat[k] = value > 0
    return out


@wrong_answer(A, "step", "a loop over np.ravel(x) that forgets to reshape", kind="shape",
              says=("shape",))
def step_loop_flat(x):
    return np.array([1 if v > 0 else 0 for v in np.ravel(x)])


@wrong_answer(A, "step", "np.atleast_1d(x) for numbers: step(2.5) has shape (1,)", kind="shape")
def step_atleast_1d(x):
    return (np.atleast_1d(x) > 0).astype(int)


@wrong_answer(A, "and_gate", "np.heaviside(sum, 0): floats", test="gates", kind="dtype",
              says=("integers",))
def and_gate_heaviside(x1, x2):
    return np.heaviside(0.5 * x1 + 0.5 * x2 - 0.7, 0)


@wrong_answer(A, "nand_gate", "the comparison itself: bools", test="gates", kind="dtype",
              says=("bool",))
def nand_gate_bools(x1, x2):
    return -0.5 * np.asarray(x1) - 0.5 * np.asarray(x2) + 0.7 > 0


@wrong_answer(A, "and_gate", "w @ np.array([x1, x2]): fails on 2-D arrays of inputs",
              test="gates", kind="shape", says=("(3, 4)",))
def and_gate_stacked_matmul(x1, x2):
    return step(np.array([0.5, 0.5]) @ np.array([x1, x2]) - 0.7)  # noqa: F821


@wrong_answer(A, "or_gate", "np.column_stack([x1, x2]) @ w: numbers come back with shape (1,)",
              test="gates", kind="shape", says=("shape",))
def or_gate_column_stack(x1, x2):
    return step(np.column_stack([x1, x2]) @ np.array([0.5, 0.5]) - 0.2)  # noqa: F821


@wrong_answer(A, "nand_gate", "np.vstack([x1, x2]).T @ w, reshaped to x1's 1-D length only",
              test="gates", kind="shape")
def nand_gate_vstack(x1, x2):
    return step(0.7 - np.vstack([np.ravel(x1), np.ravel(x2)]).T @ np.array([0.5, 0.5]))  # noqa: F821


@wrong_answer(A, "perceptron_predict", "X @ w + b > 0: bools", kind="dtype", says=("bool",))
def predict_bools(X, w, b):
    return X @ w + b > 0


@wrong_answer(A, "perceptron_predict", "np.heaviside(X @ w + b, 0): floats", kind="dtype")
def predict_heaviside(X, w, b):
    return np.heaviside(X @ w + b, 0)


@wrong_answer(A, "perceptron_predict", "np.sum(X * w, axis=0): sums over the points",
              kind="shape", says=("shape",))
def predict_sum_axis_0(X, w, b):
    return step(np.sum(X * w, axis=0) + b)  # noqa: F821


@wrong_answer(A, "perceptron_predict", "two features hard-coded: X[:, 0] * w[0] + X[:, 1] * w[1]",
              kind="shape", says=("(1, 3)",))
def predict_two_features(X, w, b):
    return step(X[:, 0] * w[0] + X[:, 1] * w[1] + b)  # noqa: F821


@wrong_answer(A, "perceptron_predict", ".squeeze() at the end: one point gives a 0-d array",
              kind="shape")
def predict_squeezed(X, w, b):
    return step(X @ w + b).squeeze()  # noqa: F821


@wrong_answer(A, "perceptron_train", "errors_per_epoch = np.zeros(epochs): floats", kind="dtype",
              says=("integers",))
def train_float_errors(X, y, lr, epochs, rng):
    w, b, errors = np.zeros(X.shape[1]), 0.0, np.zeros(epochs)
    for epoch in range(epochs):
        for i in rng.permutation(len(y)):
            error = y[i] - step(X[i] @ w + b)  # noqa: F821
            if error != 0:
                w, b = w + lr * error * X[i], b + lr * error
                errors[epoch] += 1
    return w, float(b), errors


@wrong_answer(A, "perceptron_train", "w = np.zeros_like(X[0]) updated with +=: fails for int X",
              kind="dtype", says=("int64",))
def train_zeros_like_row(X, y, lr, epochs, rng):
    w, b, errors = np.zeros_like(X[0]), 0.0, np.zeros(epochs, dtype=int)
    for epoch in range(epochs):
        for i in rng.permutation(len(y)):
            error = y[i] - step(X[i] @ w + b)  # noqa: F821
            if error != 0:
                w += lr * error * X[i]
                b += lr * error
                errors[epoch] += 1
    return w, float(b), errors


@wrong_answer(A, "perceptron_train", "b = 0, an int: stays an int for int X and lr", kind="dtype")
def train_int_bias(X, y, lr, epochs, rng):
    w, b, errors = np.zeros(X.shape[1]), 0, np.zeros(epochs, dtype=int)
    for epoch in range(epochs):
        for i in rng.permutation(len(y)):
            error = y[i] - step(X[i] @ w + b)  # noqa: F821
            if error != 0:
                w, b = w + lr * error * X[i], b + lr * error
                errors[epoch] += 1
    return w, b, errors


@wrong_answer(A, "perceptron_train", "w = np.zeros(2): two features hard-coded", kind="shape",
              says=("(30, 3)",))
def train_two_features(X, y, lr, epochs, rng):
    w, b, errors = np.zeros(2), 0.0, np.zeros(epochs, dtype=int)
    for epoch in range(epochs):
        for i in rng.permutation(len(y)):
            error = y[i] - step(X[i] @ w + b)  # noqa: F821
            if error != 0:
                w, b = w + lr * error * X[i], b + lr * error
                errors[epoch] += 1
    return w, float(b), errors


@wrong_answer(A, "perceptron_train", "b = np.zeros(1): the bias comes back with shape (1,)",
              kind="shape", says=("shape",))
def train_bias_array(X, y, lr, epochs, rng):
    w, b, errors = np.zeros(X.shape[1]), np.zeros(1), np.zeros(epochs, dtype=int)
    for epoch in range(epochs):
        for i in rng.permutation(len(y)):
            error = y[i] - step(X[i] @ w + b[0])  # noqa: F821
            if error != 0:
                w, b = w + lr * error * X[i], b + lr * error
                errors[epoch] += 1
    return w, b, errors


@wrong_answer(A, "perceptron_train", "errors collected in a mutable default list, never reset",
              kind="repeated-call", says=("second call",))
def train_errors_kept_between_calls(X, y, lr, epochs, rng, errors=[]):  # noqa: B006
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(epochs):
        errors.append(0)
        for i in rng.permutation(len(y)):
            error = y[i] - step(X[i] @ w + b)  # noqa: F821
            if error != 0:
                w, b = w + lr * error * X[i], b + lr * error
                errors[-1] += 1
    return w, float(b), np.array(errors)


@wrong_answer(A, "perceptron_train", "weights kept in a mutable default dict: a second call "
                                     "continues training", kind="repeated-call")
def train_weights_kept_between_calls(X, y, lr, epochs, rng, state={}):  # noqa: B006
    w = state.get("w", np.zeros(X.shape[1]))
    b = state.get("b", 0.0)
    errors = np.zeros(epochs, dtype=int)
    for epoch in range(epochs):
        for i in rng.permutation(len(y)):
            error = y[i] - step(X[i] @ w + b)  # noqa: F821
            if error != 0:
                w, b = w + lr * error * X[i], b + lr * error
                errors[epoch] += 1
    state.update(w=w, b=b)
    return w, float(b), errors
