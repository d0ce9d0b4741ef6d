# %% [markdown]
# # 01 · The perceptron
#
# A neural network is built from one simple unit, repeated. This notebook starts with the oldest
# version of that unit, Rosenblatt's perceptron (1958):
#
# $$h(\mathbf{x}) = \operatorname{step}(\mathbf{w}\cdot\mathbf{x} + b), \qquad
#   \operatorname{step}(z) = \begin{cases} 1 & z > 0 \\ 0 & z \le 0 \end{cases}$$
#
# It takes a point $\mathbf{x}$ with $D$ features, weighs each feature ($\mathbf{w}$), adds a
# bias $b$ and fires (outputs 1) when the total is positive. By the end you will have
#
# 1. written `step` and the prediction of a perceptron, vectorised over a whole dataset,
# 2. built the logic gates AND, OR and NAND by choosing weights by hand,
# 3. implemented the perceptron learning rule and watched it find a boundary by itself,
# 4. seen why one perceptron cannot compute XOR, and built XOR from two layers of gates.
#
# **How this works.** Cells marked `# YOUR CODE HERE` are yours: replace
# `raise NotImplementedError()` with your code. The test cell after each answer checks it and
# tells you what is wrong; more tests run when your work is graded. Run the cells in order.
# *Run → Run All Cells* stops at the first failing cell, so it shows you the next exercise to do;
# nbgrader's *Validate* button runs every test and lists all that fail.

# %% locked=true
import matplotlib.pyplot as plt
import numpy as np

from dlcourse.data import gate_table, make_blobs
from dlcourse.plotting import plot_curves, plot_decision_boundary
from dlcourse.testing import call_unmutated, check_close, check_equal, check_true, passed

# %% [markdown]
# ## 1. The step function
#
# `step` turns a real number into a decision. Write it so it works on a single number **and** on
# an array of any shape, element by element, returning integers (0 or 1, not `True`/`False`, not
# `0.0`/`1.0`). Note that `step(0)` is 0: the unit only fires when its input is strictly
# positive.
#
# *Hint:* a comparison such as `x > 0` works element-wise on numpy arrays and gives booleans;
# `.astype(int)` turns them into integers. `np.asarray(x)` lets the same code handle a plain number.

# %% answer="step"
def step(x):
    """Heaviside step: 1 where x > 0, else 0.

    Input: x, a number or an array of any shape.
    Returns: an int array of the same shape as x (a 0-d array for a number).
    """
    ### BEGIN SOLUTION
    return (np.asarray(x) > 0).astype(int)
    ### END SOLUTION


# %% test="step" points=1
x = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])
check_equal(call_unmutated(step, x), np.array([0, 0, 0, 1, 1]), "step([-2, -0.5, 0, 0.5, 3])",
            hint="step(x) is 1 where x > 0 and 0 elsewhere; step(0) is 0.")
check_equal(step(np.array([[1.0, -1.0], [0.0, 7.0]])), np.array([[1, 0], [0, 1]]),
            "step of a (2, 2) array", hint="Work element-wise: no loop and no `if` is needed.")
check_equal(step(2.5), np.array(1), "step(2.5)")
### BEGIN HIDDEN TESTS
from grading import perceptron as hidden; hidden.check_step(step)
### END HIDDEN TESTS
passed("step")

# %% [markdown]
# ## 2. Logic gates by hand
#
# With two inputs $x_1, x_2 \in \{0, 1\}$, a perceptron computes
# $\operatorname{step}(w_1 x_1 + w_2 x_2 + b)$. Choosing $w_1, w_2, b$ chooses a line
# $w_1 x_1 + w_2 x_2 + b = 0$ in the plane: points on one side give 1, points on the other give 0.
# Logic gates are the simplest test. AND must output 1 only at $(1, 1)$:
#
# | $x_1$ | $x_2$ | AND | OR | NAND |
# |---|---|---|---|---|
# | 0 | 0 | 0 | 0 | 1 |
# | 0 | 1 | 0 | 1 | 1 |
# | 1 | 0 | 0 | 1 | 1 |
# | 1 | 1 | 1 | 1 | 0 |
#
# For AND, $w = (0.5, 0.5)$ and $b = -0.7$ work: the sum is $-0.7, -0.2, -0.2, 0.3$ for the four
# rows. Many other choices work too: any line that puts $(1,1)$ alone on the positive side.
#
# **Your turn.** Write the three gates with weights and a bias of your choice, using your `step`.
# Each takes `x1` and `x2` (numbers, or arrays of the same shape, of 0s and 1s) and returns
# `step(w1 * x1 + w2 * x2 + b)`. Notice that NAND is AND with every sign flipped.

# %% answer="gates"
def and_gate(x1, x2):
    """1 where both inputs are 1. x1, x2: numbers or arrays of one shape. Returns ints."""
    ### BEGIN SOLUTION
    return step(0.5 * x1 + 0.5 * x2 - 0.7)
    ### END SOLUTION


def or_gate(x1, x2):
    """1 where at least one input is 1. x1, x2: numbers or arrays of one shape. Returns ints."""
    ### BEGIN SOLUTION
    return step(0.5 * x1 + 0.5 * x2 - 0.2)
    ### END SOLUTION


def nand_gate(x1, x2):
    """0 where both inputs are 1, else 1. x1, x2: numbers or arrays. Returns ints."""
    ### BEGIN SOLUTION
    return step(-0.5 * x1 - 0.5 * x2 + 0.7)
    ### END SOLUTION


# %% test="gates" points=1
X, _ = gate_table("and")
for gate in (and_gate, or_gate, nand_gate):
    name = gate.__name__.removesuffix("_gate")
    expected = gate_table(name)[1]
    got = np.array([gate(int(x1), int(x2)) for x1, x2 in X])
    check_equal(got, expected, f"{gate.__name__} on the rows (0,0), (0,1), (1,0), (1,1)", rows=X,
                hint=f"Draw the four points: which side of your line is each one on? "
                     f"The {name.upper()} column of the truth table above is the target.")
### BEGIN HIDDEN TESTS
from grading import perceptron as hidden; hidden.check_gates(and_gate, or_gate, nand_gate)
### END HIDDEN TESTS
passed("and_gate, or_gate, nand_gate")

# %% [markdown]
# Each gate is a line through the unit square. Here are yours: shaded regions are where the gate
# outputs 1 (red) or 0 (blue).

# %%
fig, axes = plt.subplots(1, 3, figsize=(12, 3.6))
for gate, ax in zip((and_gate, or_gate, nand_gate), axes):
    X, y = gate_table(gate.__name__.removesuffix("_gate"))
    plot_decision_boundary(lambda P, g=gate: g(P[:, 0], P[:, 1]), X, y, ax=ax,
                           title=gate.__name__)
plt.tight_layout()
plt.show()

# %% [markdown]
# ## 3. Predicting for a whole dataset
#
# With $N$ points stacked as the rows of a matrix $X$ of shape $(N, D)$, all $N$ weighted sums are
# one matrix-vector product: $X\mathbf{w} + b$ has shape $(N,)$, and its $i$-th entry is
# $\mathbf{w}\cdot\mathbf{x}_i + b$. Vectorised code like this runs in C inside numpy, often
# 100 times faster than a Python loop over the rows.
#
# **Your turn.** `perceptron_predict(X, w, b)` returns the label (0 or 1, as ints) of every row.

# %% answer="perceptron_predict"
def perceptron_predict(X, w, b):
    """Labels a perceptron gives to a batch of points.

    Inputs:
    - X: (N, D) array, one point per row
    - w: (D,) weights
    - b: bias, a number
    Returns: (N,) int array of labels in {0, 1}: step(X[i] @ w + b) for each row i.
    """
    ### BEGIN SOLUTION
    return step(X @ w + b)
    ### END SOLUTION


# %% test="perceptron_predict" points=2
X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [2.0, -1.0], [-1.0, 3.0]])
w, b = np.array([1.0, 1.0]), -1.5
check_equal(call_unmutated(perceptron_predict, X, w, b), np.array([0, 0, 0, 1, 0, 1]),
            "perceptron_predict(X, w=[1, 1], b=-1.5)", rows=X,
            hint="Row i should be step(X[i] @ w + b): check the sign of b, and use your step.")
check_equal(perceptron_predict(np.array([[1.0, 0.5]]), w, b), np.array([0]),
            "perceptron_predict for a point on the boundary (X @ w + b == 0)",
            hint="On the boundary w.x + b is exactly 0, and step(0) is 0: use > 0, not >= 0.")
check_equal(perceptron_predict(np.array([[1.0, 2.0, 3.0]]), np.array([1.0, -1.0, 0.5]), 0.0),
            np.array([1]), "perceptron_predict with D = 3 features",
            hint="Nothing should assume D = 2: use X @ w.")
### BEGIN HIDDEN TESTS
from grading import perceptron as hidden; hidden.check_perceptron_predict(perceptron_predict)
### END HIDDEN TESTS
passed("perceptron_predict")

# %% [markdown]
# ## 4. What the bias does
#
# Without the bias, the boundary is $\mathbf{w}\cdot\mathbf{x} = 0$, and $\mathbf{x} = 0$ always
# satisfies it: **every boundary passes through the origin**. The weights only turn the line; the
# bias shifts it. Data that sits away from the origin needs the shift. Below, three random weight
# vectors with $b = 0$ try to split two clouds of points that lie to one side of the origin; none
# can, whatever its angle. (The origin is the black cross.)

# %%
rng = np.random.default_rng(0)
X_blobs, y_blobs = make_blobs(60, np.random.default_rng(7), distance=3.0, std=0.6)
X_blobs = X_blobs - X_blobs.mean(axis=0) + np.array([3.0, 3.0])   # move the data off the origin
fig, axes = plt.subplots(1, 3, figsize=(12, 3.6))
for ax in axes:
    w_random = rng.standard_normal(2)
    accuracy = np.mean(perceptron_predict(X_blobs, w_random, 0.0) == y_blobs)
    plot_decision_boundary(lambda P, w=w_random: perceptron_predict(P, w, 0.0), X_blobs, y_blobs,
                           ax=ax, title=f"b = 0, accuracy {accuracy:.0%}", margin=3.5)
    ax.plot(0, 0, "k+", markersize=12)
plt.tight_layout()
plt.show()

# %% [markdown]
# ## 5. Learning the weights
#
# Choosing weights by hand stops working beyond two inputs. Rosenblatt's rule learns them from
# examples. Start from $\mathbf{w} = 0$, $b = 0$, and visit the examples one at a time:
#
# $$\hat y_i = \operatorname{step}(\mathbf{w}\cdot\mathbf{x}_i + b), \qquad
#   \mathbf{w} \leftarrow \mathbf{w} + \eta\,(y_i - \hat y_i)\,\mathbf{x}_i, \qquad
#   b \leftarrow b + \eta\,(y_i - \hat y_i)$$
#
# The factor $y_i - \hat y_i$ is 0 when the prediction is right (nothing changes), $+1$ when the
# unit should have fired (the weights move towards $\mathbf{x}_i$) and $-1$ when it should not
# have (they move away). The learning rate $\eta$ sets the step size. If the data is linearly
# separable, this loop stops making mistakes after a finite number of updates (Novikoff, 1962).
#
# **Your turn.** Implement `perceptron_train`. So that your result can be compared exactly with
# ours: start from zeros, and in each epoch visit the examples in the order
# `rng.permutation(N)` (call it once per epoch). Count the mistakes of each epoch.

# %% answer="perceptron_train"
def perceptron_train(X, y, lr, epochs, rng):
    """Learn a perceptron's weights with Rosenblatt's rule.

    Inputs:
    - X: (N, D) array of points; y: (N,) labels in {0, 1}
    - lr: learning rate, a positive number
    - epochs: number of passes over the data
    - rng: np.random.Generator; epoch e visits the rows in the order rng.permutation(N)
    Returns (w, b, errors_per_epoch):
    - w: (D,) float weights and b: float bias, both starting from 0
    - errors_per_epoch: (epochs,) int array, the number of misclassified examples (each of
      which caused an update) during each epoch
    X and y must not be modified.
    """
    ### BEGIN SOLUTION
    n_samples, n_features = X.shape
    w = np.zeros(n_features)
    b = 0.0
    errors_per_epoch = np.zeros(epochs, dtype=int)
    for epoch in range(epochs):
        for i in rng.permutation(n_samples):
            error = y[i] - step(X[i] @ w + b)      # -1, 0 or +1
            if error != 0:
                w = w + lr * error * X[i]
                b = b + lr * error
                errors_per_epoch[epoch] += 1
    return w, float(b), errors_per_epoch
    ### END SOLUTION


# %% test="perceptron_train" points=3
X, y = gate_table("and")
w, b, errors = call_unmutated(perceptron_train, X, y, 0.5, 6, np.random.default_rng(0))
check_close(w, np.array([0.5, 0.5]), "w after training on AND (lr=0.5, 6 epochs, seed 0)",
            hint="Start from w = 0 and b = 0, visit rows in the order rng.permutation(N) once per "
                 "epoch, and update only when a row is misclassified.")
check_close(b, -0.5, "b after training on AND (lr=0.5, 6 epochs, seed 0)",
            hint="The bias moves by lr * (y_i - prediction) at every mistake, like a weight whose "
                 "input is always 1.")
check_equal(errors, np.array([1, 2, 2, 2, 0, 0]), "errors_per_epoch on AND",
            hint="Count, in each epoch, the rows whose prediction was wrong when they were visited.")
check_equal(perceptron_predict(X, w, b), y, "the trained perceptron's predictions on AND", rows=X)
### BEGIN HIDDEN TESTS
from grading import perceptron as hidden; hidden.check_perceptron_train(perceptron_train)
### END HIDDEN TESTS
passed("perceptron_train")

# %% [markdown]
# Now on data nobody hand-crafted: two clouds of points away from the origin. Training stops
# making mistakes after a few epochs, and the boundary it found separates the clouds, bias and
# all.

# %%
w, b, errors = perceptron_train(X_blobs, y_blobs, lr=0.1, epochs=15, rng=np.random.default_rng(1))
fig, (ax_boundary, ax_errors) = plt.subplots(1, 2, figsize=(11, 4))
plot_decision_boundary(lambda P: perceptron_predict(P, w, b), X_blobs, y_blobs, ax=ax_boundary,
                       title=f"learned: w = {np.round(w, 2)}, b = {b:.2f}")
plot_curves({"mistakes": errors}, ax=ax_errors, ylabel="misclassified examples",
            title="perceptron rule, errors per epoch", marker="o")
plt.tight_layout()
plt.show()

# %% [markdown]
# ## 6. XOR: where one perceptron fails
#
# XOR outputs 1 when exactly one input is 1. Put its four rows in the plane: $(0,1)$ and $(1,0)$
# are class 1, $(0,0)$ and $(1,1)$ class 0, at opposite corners. No straight line has both 1s on
# one side and both 0s on the other (Minsky and Papert, 1969). The learning rule therefore never
# stops making mistakes:

# %%
X_xor, y_xor = gate_table("xor")
w, b, errors = perceptron_train(X_xor, y_xor, lr=0.1, epochs=30, rng=np.random.default_rng(0))
plot_curves({"XOR": errors}, ylabel="misclassified examples", marker=".",
            title="the perceptron rule on XOR never converges")
plt.show()
print("predictions:", perceptron_predict(X_xor, w, b), " targets:", y_xor)

# %% [markdown]
# Two layers fix it. XOR is "OR, but not AND", which is
#
# $$\operatorname{XOR}(x_1, x_2) = \operatorname{AND}\big(\operatorname{NAND}(x_1, x_2),\
#   \operatorname{OR}(x_1, x_2)\big).$$
#
# The first layer (NAND and OR) maps the four corners to new points where the classes *are*
# separable by a line, and the second layer (AND) draws that line. This is the whole idea of a
# multi-layer network: each layer changes the representation until the problem becomes easy.
#
# **Your turn.** Build `xor_gate` from your own `nand_gate`, `or_gate` and `and_gate` (no `^`,
# no `!=`: the point is to compose the gates).

# %% answer="xor_gate"
def xor_gate(x1, x2):
    """1 where exactly one input is 1, built from two layers of gates. Returns ints."""
    ### BEGIN SOLUTION
    return and_gate(nand_gate(x1, x2), or_gate(x1, x2))
    ### END SOLUTION


# %% test="xor_gate" points=2
X, y = gate_table("xor")
got = np.array([xor_gate(int(x1), int(x2)) for x1, x2 in X])
check_equal(got, y, "xor_gate on the rows (0,0), (0,1), (1,0), (1,1)", rows=X,
            hint="XOR = AND(NAND(x1, x2), OR(x1, x2)): the outputs of the first layer are the "
                 "inputs of the second.")
check_equal(xor_gate(X[:, 0], X[:, 1]), y, "xor_gate on arrays x1, x2 (the whole table at once)",
            rows=X, hint="Use your gates, which work on arrays: Python's `and`/`or` do not.")
### BEGIN HIDDEN TESTS
from grading import perceptron as hidden; hidden.check_xor_gate(xor_gate)
### END HIDDEN TESTS
passed("xor_gate")

# %% [markdown]
# Seen as a function of real-valued inputs, the two-layer network carves the plane with two lines,
# a region no single perceptron can produce:

# %%
plot_decision_boundary(lambda P: xor_gate(P[:, 0], P[:, 1]), X_xor, y_xor,
                       title="XOR = AND(NAND, OR): two lines", margin=0.6)
plt.show()

# %% [markdown]
# ## Summary
#
# - A perceptron computes $\operatorname{step}(\mathbf{w}\cdot\mathbf{x} + b)$: a linear boundary.
#   The weights turn it, the bias moves it away from the origin.
# - On a batch, predictions are one product `X @ w + b`: no loops.
# - The perceptron rule learns a separating line whenever one exists, and never settles when
#   none does (XOR).
# - Stacking units into layers computes what one unit cannot. What is missing is a way to *learn*
#   the weights of several layers: the step function has zero gradient almost everywhere. Notebook
#   02 replaces it with smooth activations, and notebook 05 shows how gradients flow through
#   layers.
