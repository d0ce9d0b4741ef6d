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
# 2. built the logic gates AND, OR and NAND by placing their lines yourself,
# 3. found out exactly when a boundary needs a bias,
# 4. implemented the perceptron learning rule and watched it find a boundary by itself,
# 5. seen why one perceptron cannot compute XOR, and built XOR from two layers of your gates.
#
# **How this works.** Cells marked `# YOUR CODE HERE` are yours: replace
# `raise NotImplementedError()` with your code. The test cell after each answer checks it and
# tells you what is wrong; more tests run when your work is graded. Run the cells in order.
# *Run → Run All Cells* stops at the first failing cell, so it shows you the next exercise to do;
# nbgrader's *Validate* button runs every test and lists all that fail.

# %% locked=true
import matplotlib.pyplot as plt
import numpy as np

from dlcourse.data import gate_table
from dlcourse.plotting import plot_curves, plot_decision_boundary
from dlcourse.runtime import quick
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
# With two inputs $x_1, x_2$, a perceptron computes $\operatorname{step}(w_1 x_1 + w_2 x_2 + b)$.
# The points where $w_1 x_1 + w_2 x_2 + b = 0$ form a line in the plane. On one side of it the sum
# is positive and the unit outputs 1; on the other side, and on the line itself (where the sum is
# exactly 0), it outputs 0. Choosing $w_1, w_2, b$ is choosing that line and which side of it
# fires. Logic gates are the simplest test: their inputs are the four corners of the unit square.
#
# | $x_1$ | $x_2$ | AND | OR | NAND |
# |---|---|---|---|---|
# | 0 | 0 | 0 | 0 | 1 |
# | 0 | 1 | 0 | 1 | 1 |
# | 1 | 0 | 0 | 1 | 1 |
# | 1 | 1 | 1 | 1 | 0 |
#
# For each gate: draw the four corners on paper, mark those where the gate outputs 1, and draw a
# line that has those corners on one side and the others on the other side. Then write the line
# as $w_1 x_1 + w_2 x_2 + b = 0$ and check the sign of the sum at each corner: it must be
# positive exactly where the gate outputs 1. Infinitely many lines work for each gate; a corner
# lying exactly *on* your line gives a sum of 0, which `step` turns into 0, so decide carefully
# on which side such a corner should be.
#
# **Your turn.** Write the three gates, each one perceptron with weights and a bias you worked out,
# using your `step`. Each takes `x1` and `x2`, numbers or arrays of one shape. The corners are the
# gate's truth table, but a perceptron accepts any real inputs (section 6 feeds your gates numbers
# such as 0.3), so compute with the inputs as numbers: no `if`, no `and`/`or`/`not`.

# %% answer="gates"
def and_gate(x1, x2):
    """A perceptron computing AND on {0, 1} inputs.

    x1, x2: numbers or float arrays of one shape. Returns step(w . x + b) as ints, same shape.
    """
    ### BEGIN SOLUTION
    return step(0.5 * x1 + 0.5 * x2 - 0.7)
    ### END SOLUTION


def or_gate(x1, x2):
    """A perceptron computing OR on {0, 1} inputs.

    x1, x2: numbers or float arrays of one shape. Returns step(w . x + b) as ints, same shape.
    """
    ### BEGIN SOLUTION
    return step(0.5 * x1 + 0.5 * x2 - 0.2)
    ### END SOLUTION


def nand_gate(x1, x2):
    """A perceptron computing NAND (not AND) on {0, 1} inputs.

    x1, x2: numbers or float arrays of one shape. Returns step(w . x + b) as ints, same shape.
    """
    ### BEGIN SOLUTION
    return step(-0.5 * x1 - 0.5 * x2 + 0.7)
    ### END SOLUTION


# %% test="gates" points=2
X, _ = gate_table("and")
for gate in (and_gate, or_gate, nand_gate):
    name = gate.__name__.removesuffix("_gate")
    expected = gate_table(name)[1]
    got = np.array([gate(int(x1), int(x2)) for x1, x2 in X])
    check_equal(got, expected, f"{gate.__name__} on the rows (0,0), (0,1), (1,0), (1,1)", rows=X,
                hint=f"Draw the four corners: which side of your line is each one on? The "
                     f"{name.upper()} column of the truth table above is the target, and a corner "
                     f"exactly on your line (sum 0) gives step(0) = 0.")
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
# $\mathbf{w}\cdot\mathbf{x}_i + b$. Vectorised code like this runs its loop in C inside numpy,
# far faster than a Python loop over the rows.
#
# **Your turn.** `perceptron_predict(X, w, b)` returns the label (0 or 1, as ints) of every row.

# %% answer="perceptron_predict"
def perceptron_predict(X, w, b):
    """Labels a perceptron gives to a batch of points.

    Inputs:
    - X: (N, D) array, one point per row
    - w: (D,) weights
    - b: bias, a number
    Returns: (N,) int array of labels in {0, 1}: step(w . x_i + b) for each row x_i of X.
    """
    ### BEGIN SOLUTION
    return step(X @ w + b)
    ### END SOLUTION


# %% test="perceptron_predict" points=2
X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [2.0, -1.0], [-1.0, 3.0]])
w, b = np.array([1.0, 1.0]), -1.5
check_equal(call_unmutated(perceptron_predict, X, w, b), np.array([0, 0, 0, 1, 0, 1]),
            "perceptron_predict(X, w=[1, 1], b=-1.5)", rows=X,
            hint="Row i should get step(w . x_i + b): check the sign of b, and use your step.")
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
# bias shifts it. When does that matter? Look at the data from the origin. Each cloud of points
# fills a range of directions, a wedge with its tip at the origin. A line through the origin
# splits the plane into two half-planes, and it can put the clouds on opposite sides exactly when
# their wedges do not overlap (each wedge narrower than a half-turn, which holds for clouds that
# do not surround the origin). Clouds lying *one behind the other*, in overlapping directions,
# cannot be split by any line through the origin, whatever its angle; clouds lying *side by side*
# can.
#
# The cell below checks this on two layouts of the same two clouds. For each layout it computes
# the range of directions (the angle of each point seen from the origin) of each cloud, and tries
# 3600 lines through the origin, one every 0.1°, keeping the best accuracy. The origin is the
# black cross.

# %%
noise = 0.5 * np.random.default_rng(7).standard_normal((60, 2))
y_blobs = np.repeat([0, 1], 30)
layouts = {"one behind the other": ([1.5, 1.5], [3.5, 3.5]),
           "side by side": ([3.0, 1.5], [1.5, 3.0])}
angles = np.linspace(0, 2 * np.pi, 3600, endpoint=False)
directions = np.c_[np.cos(angles), np.sin(angles)]       # one weight vector w per row
fig, axes = plt.subplots(1, 3, figsize=(15, 4))
best_accuracy = {}
for ax, (name, (centre_0, centre_1)) in zip(axes, layouts.items()):
    X_layout = np.concatenate([centre_0 + noise[:30], centre_1 + noise[30:]])
    point_angles = np.degrees(np.arctan2(X_layout[:, 1], X_layout[:, 0]))
    wedges = [(point_angles[y_blobs == c].min(), point_angles[y_blobs == c].max()) for c in (0, 1)]
    overlap = wedges[0][0] <= wedges[1][1] and wedges[1][0] <= wedges[0][1]
    accuracies = [np.mean(perceptron_predict(X_layout, w, 0.0) == y_blobs) for w in directions]
    best_accuracy[name] = max(accuracies)
    best_w = directions[int(np.argmax(accuracies))]
    print(f"{name}: class 0 fills directions {wedges[0][0]:.0f}° to {wedges[0][1]:.0f}°, class 1 "
          f"{wedges[1][0]:.0f}° to {wedges[1][1]:.0f}° ({'overlapping' if overlap else 'apart'}); "
          f"best line through the origin: accuracy {best_accuracy[name]:.0%}")
    if not quick():
        assert overlap == (best_accuracy[name] < 1), "the wedge rule and the search disagree"
    plot_decision_boundary(lambda P, w=best_w: perceptron_predict(P, w, 0.0), X_layout, y_blobs,
                           ax=ax, title=f"{name}: best b = 0 line, {best_accuracy[name]:.0%}",
                           margin=1.0)
    ax.plot(0, 0, "k+", markersize=12)
    axes[2].plot(np.degrees(angles), accuracies, label=name)
axes[2].set(xlabel="angle of w (degrees)", ylabel="accuracy", title="every line through the origin")
axes[2].legend()
plt.tight_layout()
plt.show()
X_blobs = np.concatenate([layouts["one behind the other"][0] + noise[:30],
                          layouts["one behind the other"][1] + noise[30:]])
if not quick():
    assert best_accuracy["one behind the other"] < 0.75 and best_accuracy["side by side"] == 1

# %% [markdown]
# One behind the other, no line through the origin gets even 75% right; side by side, one gets
# everything right. With a bias, a perceptron can draw *any* line, and both layouts become easy.
# `X_blobs`, the layout that needs the bias, is the training data of the next section.

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
# Now on the two clouds of section 4 that lie one behind the other, which no line through the
# origin can split. The rule learns a bias as well as the weights: after a few epochs it stops
# making mistakes, and its line separates the clouds.

# %%
w, b, errors = perceptron_train(X_blobs, y_blobs, lr=0.1, epochs=15, rng=np.random.default_rng(1))
fig, (ax_boundary, ax_errors) = plt.subplots(1, 2, figsize=(11, 4))
plot_decision_boundary(lambda P: perceptron_predict(P, w, b), X_blobs, y_blobs, ax=ax_boundary,
                       title=f"learned: w = {np.round(w, 2)}, b = {b:.2f}")
plot_curves({"mistakes": errors}, ax=ax_errors, ylabel="misclassified examples",
            title="perceptron rule, errors per epoch", marker="o")
plt.tight_layout()
plt.show()
last_mistake = int(np.flatnonzero(errors)[-1]) + 1
training_accuracy = np.mean(perceptron_predict(X_blobs, w, b) == y_blobs)
print(f"last mistake in epoch {last_mistake} of {len(errors)}; training accuracy "
      f"{training_accuracy:.0%} with b = {b:.2f}")
if not quick():
    assert last_mistake <= 5 and training_accuracy == 1 and b != 0

# %% [markdown]
# ## 6. XOR: where one perceptron fails
#
# XOR outputs 1 when exactly one input is 1. Put its four rows in the plane: $(0,1)$ and $(1,0)$
# are class 1, $(0,0)$ and $(1,1)$ class 0, at opposite corners. No straight line has both 1s on
# one side and both 0s on the other (Minsky and Papert, 1969). The learning rule therefore never
# stops making mistakes: every one of its 30 epochs below has at least one.

# %%
X_xor, y_xor = gate_table("xor")
w, b, errors = perceptron_train(X_xor, y_xor, lr=0.1, epochs=30, rng=np.random.default_rng(0))
plot_curves({"XOR": errors}, ylabel="misclassified examples", marker=".",
            title="the perceptron rule on XOR never converges")
plt.show()
print("predictions:", perceptron_predict(X_xor, w, b), " targets:", y_xor)
print("fewest mistakes in an epoch:", errors.min())
if not quick():
    assert errors.min() >= 1

# %% [markdown]
# Two layers fix it. In words, XOR is "OR, but not AND": at least one input is 1, and not both.
# A network of perceptrons can say that in two layers. The **first layer** has two units, each
# reading the inputs $x_1, x_2$; the **second layer** has one unit, reading the two outputs of the
# first layer (never $x_1, x_2$ directly).
#
# **Your turn.** Build `xor_gate` as such a network of *your* gates: two of your `and_gate`,
# `or_gate`, `nand_gate` in the first layer and one in the second. Which ones? Translate the
# sentence above into logic. Computing XOR any other way (`^`, `!=`, `if`, rounding, new weights
# of your own) fails: the grader feeds `xor_gate` real numbers such as 0.3 as well as 0 and 1, and
# compares it with your own gates composed. Only the network is judged here: a mistake in a gate
# costs that gate's points, not XOR's.

# %% answer="xor_gate"
def xor_gate(x1, x2):
    """XOR on {0, 1} inputs, as a network of two layers of your gates.

    x1, x2: numbers or float arrays of one shape. Returns ints, same shape.
    """
    ### BEGIN SOLUTION
    return and_gate(nand_gate(x1, x2), or_gate(x1, x2))
    ### END SOLUTION


# %% test="xor_gate" points=2
X, y = gate_table("xor")
gates_right = all(np.array_equal([gate(int(x1), int(x2)) for x1, x2 in X],
                                 gate_table(gate.__name__.removesuffix("_gate"))[1])
                  for gate in (and_gate, or_gate, nand_gate))
got = np.array([xor_gate(int(x1), int(x2)) for x1, x2 in X])
if gates_right:
    check_equal(got, y, "xor_gate on the rows (0,0), (0,1), (1,0), (1,1)", rows=X,
                hint="Say XOR in words with OR, AND and NOT, then see which of your gates say each "
                     "part. The first layer's two outputs are the second layer's two inputs.")
    check_equal(call_unmutated(xor_gate, X[:, 0], X[:, 1]), y,
                "xor_gate on arrays x1, x2 (the whole table at once)", rows=X,
                hint="Use your gates, which work on arrays: Python's `and`/`or` do not.")
    far = xor_gate(np.array([-1.0, 2.0]), np.array([-0.5, 2.5]))
    check_true(np.array_equal(far, [0, 0]),
               f"xor_gate at the points (-1, -0.5) and (2, 2.5), outside the square, returns "
               f"{far}. With right gates, a two-layer network of them returns [0 0] there (work "
               "out your first layer's outputs at these points); XOR computed directly, as "
               "x1 != x2, returns [1 1]. Build xor_gate from calls to your gates.")
else:
    print("Your gates do not all match their truth tables yet (see the test of section 2), so this "
          "cell cannot check xor_gate's truth table. Grading judges xor_gate against your own "
          "gates composed.")
### BEGIN HIDDEN TESTS
from grading import perceptron as hidden; hidden.check_xor_gate(xor_gate, and_gate, or_gate, nand_gate)
### END HIDDEN TESTS
passed("xor_gate")

# %% [markdown]
# Your first layer maps the four corners to new points, the pairs of its two outputs, where the
# two classes *are* separable by a line, and the second layer draws that line. This is the whole
# idea of a multi-layer network: each layer changes the representation until the problem becomes
# easy. Seen as a function of real-valued inputs, your network carves the plane with the two
# lines of its first layer, a region no single perceptron can produce:

# %%
plot_decision_boundary(lambda P: xor_gate(P[:, 0], P[:, 1]), X_xor, y_xor,
                       title="your xor_gate on the plane: two lines", margin=0.6)
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
