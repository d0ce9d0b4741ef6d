# %% [markdown]
# # 03 · Loss functions
#
# Training needs one number that says how wrong the network is: the **loss**. Gradient descent
# then moves every weight a little in the direction that lowers it, so what matters is not only
# the loss's value but its **gradient**. This notebook writes the losses used in the rest of the
# course:
#
# 1. mean squared error (MSE) and its gradient, for regression,
# 2. binary cross-entropy, for yes/no outputs that are probabilities,
# 3. cross-entropy for $C$ classes, with integer or one-hot labels,
# 4. `softmax_loss`, softmax and cross-entropy fused into one stable step that also returns the
#    gradient with respect to the scores,
#
# and shows, with a plot and a small training run, why classification uses cross-entropy rather
# than MSE.
#
# **Conventions.** Every loss is a **mean** over the batch, so that its size (and the size of its
# gradient) does not depend on the batch size $N$. Every gradient is the gradient of exactly that
# mean: the $\frac1N$ appears in it too. A loss returns a Python `float`; a gradient has the shape
# of the input it is taken with respect to. As in notebook 02, a `RuntimeWarning` (from `log(0)`
# or an overflow in `exp`) counts as a failure.

# %% locked=true
import matplotlib.pyplot as plt
import numpy as np

from dlcourse.data import make_blobs
from dlcourse.plotting import plot_curves
from dlcourse.runtime import quick
from dlcourse.testing import call_quietly, call_unmutated, check_close, passed

EPS = 1e-12  # probabilities are clipped to [EPS, 1 - EPS] before taking a log

# %% [markdown]
# ## 1. Mean squared error
#
# For predictions $\hat{Y}$ and targets $Y$ of the same shape, with $M$ entries in all ($M = N$
# for one output per example, $M = N \times D$ for $D$ outputs), the MSE is the mean over **all**
# entries:
#
# $$L = \frac{1}{M} \sum_{i} (\hat y_i - y_i)^2, \qquad
#   \frac{\partial L}{\partial \hat y_i} = \frac{2}{M} (\hat y_i - y_i).$$
#
# The 2 comes from the square, the $\frac1M$ from the mean. The gradient points from the target
# towards the prediction: subtracting it (gradient descent) moves $\hat y$ towards $y$.
#
# **Your turn.** `mse_loss` and `mse_grad`.

# %% answer="mse_loss"
def mse_loss(y_pred, y):
    """Mean squared error, averaged over all entries.

    Inputs: y_pred, y: int or float arrays of one shape, of any number of dimensions, e.g.
    (N,) or (N, D).
    Returns: loss, a Python float: the mean of the squared differences over all entries.
    """
    ### BEGIN SOLUTION
    return float(np.mean((y_pred - y) ** 2))
    ### END SOLUTION


# %% test="mse_loss" points=1
y_pred, y = np.array([0.5, -1.0, 2.0, 3.5]), np.array([1.0, -1.0, 0.0, 3.0])
check_close(call_unmutated(mse_loss, y_pred, y), 1.125, "mse_loss for 4 predictions",
            batch_size=4, hint="The mean of the squared differences: (0.25 + 0 + 4 + 0.25) / 4.")
y_pred = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 0.5]])
y = np.array([[0.5, 2.5], [1.0, -1.0], [2.0, 2.0]])
check_close(mse_loss(y_pred, y), 0.7916666666666666, "mse_loss for (3, 2) predictions",
            batch_size=6, hint="Average over all 6 entries, not only over the 3 rows.")
### BEGIN HIDDEN TESTS
from grading import losses as hidden; hidden.check_mse_loss(mse_loss)
### END HIDDEN TESTS
passed("mse_loss")


# %% answer="mse_grad"
def mse_grad(y_pred, y):
    """Gradient of mse_loss(y_pred, y) with respect to y_pred.

    Inputs: y_pred, y: int or float arrays of one shape, with M entries in all.
    Returns: dy_pred, a new float array of the shape of y_pred (float64 for int inputs):
    d loss / d y_pred, entry by entry.
    """
    ### BEGIN SOLUTION
    return 2 * (y_pred - y) / y_pred.size
    ### END SOLUTION


# %% test="mse_grad" points=2
y_pred, y = np.array([0.5, -1.0, 2.0, 3.5]), np.array([1.0, -1.0, 0.0, 3.0])
check_close(call_unmutated(mse_grad, y_pred, y), np.array([-0.25, 0.0, 1.0, 0.25]),
            "mse_grad for 4 predictions", batch_size=4,
            hint="Differentiate the mean of the squares entry by entry: the square gives a factor "
                 "2, the mean a factor 1/M, with M the number of entries.")
y_pred = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 0.5]])
y = np.array([[0.5, 2.5], [1.0, -1.0], [2.0, 2.0]])
check_close(mse_grad(y_pred, y),
            np.array([[1 / 6, -1 / 6], [-1 / 3, 0.0], [1 / 3, -0.5]]),
            "mse_grad for (3, 2) predictions", batch_size=6,
            hint="M is the number of entries (y_pred.size = 6), not the number of rows.")
### BEGIN HIDDEN TESTS
from grading import losses as hidden; hidden.check_mse_grad(mse_grad)
### END HIDDEN TESTS
passed("mse_grad")

# %% [markdown]
# ## 2. Binary cross-entropy
#
# A binary classifier outputs $p_i = P(y_i = 1)$, a probability (a sigmoid's output), and the
# label is $y_i \in \{0, 1\}$. Cross-entropy is the negative log-probability the model gave to
# what actually happened, averaged over the batch:
#
# $$L = -\frac{1}{N} \sum_{i=1}^{N} \bigl[\, y_i \log p_i + (1 - y_i) \log (1 - p_i) \,\bigr].$$
#
# For each example only one term is active: $-\log p_i$ if $y_i = 1$, $-\log(1 - p_i)$ if
# $y_i = 0$. A confident right answer costs almost nothing, a confident wrong one costs a lot:
# $-\log(0.01) \approx 4.6$.
#
# **The log of 0.** A probability of exactly 0 or 1 happens (a saturated sigmoid rounds to it),
# and `np.log(0)` is `-inf` with a warning; worse, `0 * np.log(0)` is `nan`. So clip first: keep
# $p$ within $[\varepsilon, 1 - \varepsilon]$ (`np.clip`), with the `EPS = 1e-12` defined at the top. The worst possible loss
# of one example is then $-\log(10^{-12}) \approx 27.6$.
#
# **Your turn.** `binary_cross_entropy(p, y)`.

# %% answer="binary_cross_entropy"
def binary_cross_entropy(p, y):
    """Mean binary cross-entropy of predicted probabilities p for labels y.

    Inputs: p, a float array (N,) of probabilities P(y = 1), and y, labels in {0, 1}: an int or
    float array of the same shape (N,).
    p is clipped to [EPS, 1 - EPS] (EPS = 1e-12) before the log, so p = 0 and p = 1 are safe.
    Returns: loss, a Python float: the mean over the batch of the cross-entropy of each example.
    """
    ### BEGIN SOLUTION
    p = np.clip(p, EPS, 1 - EPS)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
    ### END SOLUTION


# %% test="binary_cross_entropy" points=2
p, y = np.array([0.9, 0.2, 0.6, 0.99]), np.array([1.0, 0.0, 1.0, 0.0])
check_close(call_unmutated(binary_cross_entropy, p, y), 1.3611249691815295,
            "binary_cross_entropy(p=[0.9, 0.2, 0.6, 0.99], y=[1, 0, 1, 0])", batch_size=4,
            hint="The formula above: for each example minus the log of the probability given to "
                 "what happened, then the mean over the batch.")
check_close(call_quietly(binary_cross_entropy, np.array([0.0, 1.0]), np.array([0.0, 1.0])), 0.0,
            "binary_cross_entropy of certain, right predictions (p = 0 for y = 0, p = 1 for y = 1)",
            hint="Clip p to [EPS, 1 - EPS] before any log, so that 0 * log(0) never happens.")
check_close(call_quietly(binary_cross_entropy, np.array([0.0, 1.0, 0.0, 1.0]),
                         np.array([0.0, 1.0, 1.0, 0.0])),
            13.815516088455976, "binary_cross_entropy with two certain, wrong predictions",
            batch_size=4, hint="Each certain mistake costs -log(EPS) = 27.63 after clipping p to "
                               "[EPS, 1 - EPS] with EPS = 1e-12; the mean is over 4 examples.")
### BEGIN HIDDEN TESTS
from grading import losses as hidden; hidden.check_binary_cross_entropy(binary_cross_entropy)
### END HIDDEN TESTS
passed("binary_cross_entropy")

# %% [markdown]
# ## 3. Cross-entropy for $C$ classes
#
# With $C$ classes the model outputs a row of probabilities per example, `probs` of shape
# $(N, C)$ (a softmax's output: rows sum to 1). The loss is again minus the log-probability of
# the true class, averaged over the batch:
#
# $$L = -\frac{1}{N} \sum_{i=1}^{N} \log p_{i, y_i}.$$
#
# Labels come in two formats, and your function takes both:
#
# - **integer labels**, shape $(N,)$: `y[i]` is the class of example `i`. The probabilities of the
#   true classes are `probs[np.arange(N), y]`: one entry per row (not `probs[:, y]`, which is an
#   $(N, N)$ array).
# - **one-hot labels**, shape $(N, C)$: `y[i, c]` is 1 for the true class and 0 elsewhere. Then
#   $L = -\frac1N \sum_i \sum_c y_{ic} \log p_{ic}$: the sum over classes picks the true one. The
#   mean is over the $N$ examples, not over the $N \times C$ entries.
#
# `y.ndim` tells the formats apart. Clip `probs` to at least `EPS` before the log, as above.

# %% answer="cross_entropy"
def cross_entropy(probs, y):
    """Mean cross-entropy of predicted class probabilities.

    Inputs:
    - probs: (N, C) float array of probabilities, each row sums to 1 (entries may be exactly 0)
    - y: labels, either an (N,) int array of classes in [0, C) or (N, C) one-hot rows (an int,
      float or bool array); y.ndim tells them apart
    probs is clipped to at least EPS (1e-12) before the log.
    Returns: loss, a Python float: -mean over i of log(probs[i, true class of i]).
    """
    ### BEGIN SOLUTION
    log_probs = np.log(np.clip(probs, EPS, 1.0))
    n_examples = probs.shape[0]
    if y.ndim == 1:
        return float(-np.mean(log_probs[np.arange(n_examples), y]))
    return float(-np.sum(y * log_probs) / n_examples)
    ### END SOLUTION


# %% test="cross_entropy" points=3
probs = np.array([[0.7, 0.2, 0.1], [0.1, 0.5, 0.4], [0.25, 0.25, 0.5], [0.0, 0.9, 0.1]])
labels = np.array([0, 2, 1, 1])
check_close(call_quietly(cross_entropy, probs, labels), 0.6911551381476512,
            "cross_entropy(probs (4, 3), integer labels [0, 2, 1, 1])", batch_size=4,
            hint="One probability per row, the true class's, then minus the mean of their logs. "
                 "probs[:, y] would be an (N, N) array: index rows and labels together.")
one_hot = np.array([[1, 0, 0], [0, 0, 1], [0, 1, 0], [0, 1, 0]])
check_close(call_quietly(cross_entropy, probs, one_hot), 0.6911551381476512,
            "cross_entropy(probs (4, 3), the same labels one-hot (4, 3))", batch_size=4,
            hint="Sum over the classes, then the mean over the N examples (not over all N * C "
                 "entries). probs[1, 0] is 0: clip before the log so that 0 * log(0) is not nan.")
check_close(call_quietly(cross_entropy, np.array([[0.0, 1.0, 0.0], [0.2, 0.3, 0.5]]),
                         np.array([0, 2])),
            14.162084148244245, "cross_entropy when the true class has probability 0",
            batch_size=2, hint="Clip probs to at least EPS = 1e-12: -log(EPS) = 27.63.")
### BEGIN HIDDEN TESTS
from grading import losses as hidden; hidden.check_cross_entropy(cross_entropy)
### END HIDDEN TESTS
passed("cross_entropy")

# %% [markdown]
# ## 4. Softmax and cross-entropy in one step
#
# A classifier's last layer outputs scores (logits) $x$ of shape $(N, C)$; softmax turns them into
# probabilities and cross-entropy scores them. Fusing the two has two advantages.
#
# **Stability.** With $m_i = \max_k x_{ik}$, the log of a softmax probability is
#
# $$\log p_{ij} = (x_{ij} - m_i) - \log \sum_{k} e^{x_{ik} - m_i}.$$
#
# Every exponent is $\le 0$ and the sum is $\ge 1$: no overflow and no `log(0)`, even when a
# probability is far too small for a float (scores 1000 and $-1000$: $p = e^{-2000}$ rounds to 0,
# but $\log p = -2000$ is exact). So compute the log-probabilities this way, not
# `np.log(softmax(x))`.
#
# **A simple gradient.** With $L = -\frac1N \sum_i \log p_{i, y_i}$, the chain rule through
# softmax collapses to
#
# $$\frac{\partial L}{\partial x_{ij}} = \frac{1}{N}\bigl(p_{ij} - \mathbb{1}[j = y_i]\bigr):$$
#
# the probabilities, minus 1 at each true class, divided by $N$. (For one example and
# $j \ne y$: $\partial(-\log p_y)/\partial x_j = p_j$; for $j = y$ it is $p_y - 1$.)
#
# **Your turn.** `softmax_loss(x, y)`, following CS231n's `layers.py`: write the softmax inside
# it (notebook 02's `softmax` is not available here).

# %% answer="softmax_loss"
def softmax_loss(x, y):
    """Softmax followed by cross-entropy, with the gradient with respect to the scores.

    Inputs:
    - x: (N, C) int or float array of scores (logits); x[i, j] is the score of class j for
      example i
    - y: (N,) int array of labels, 0 <= y[i] < C
    Returns a tuple (loss, dx):
    - loss: a Python float, the mean over the batch of -log softmax(x[i])[y[i]]
    - dx: (N, C) new float array, the gradient of loss with respect to x (the formula derived
      above)
    Stable for scores of any size (no overflow, no log(0)); x is not modified.
    """
    ### BEGIN SOLUTION
    n_examples = x.shape[0]
    shifted = x - np.max(x, axis=1, keepdims=True)  # every exponent <= 0
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    rows = np.arange(n_examples)
    loss = -np.mean(log_probs[rows, y])
    dx = np.exp(log_probs)
    dx[rows, y] -= 1
    return float(loss), dx / n_examples
    ### END SOLUTION


# %% test="softmax_loss" points=3
x = np.array([[1.0, 2.0, -1.0, 0.5], [0.0, 0.0, 3.0, -2.0], [2.0, -1.0, 0.5, 1.5]])
y = np.array([1, 2, 0])
loss, dx = call_quietly(softmax_loss, x, y)
check_close(loss, 0.40906399732595644, "loss of softmax_loss(x (3, 4), y=[1, 2, 0])",
            batch_size=3, hint="The mean over the 3 examples of -log(softmax(x[i])[y[i]]).")
check_close(dx, np.array([[0.0747359393, -0.1301799875, 0.0101144095, 0.0453296386],
                          [0.0150009113, 0.0150009113, -0.0320319752, 0.0020301526],
                          [-0.1559762832, 0.0088300876, 0.039573707, 0.1075724886]]),
            "dx of softmax_loss(x (3, 4), y=[1, 2, 0])", batch_size=3,
            hint="dx = (softmax(x) - one_hot(y)) / N: subtract 1 at each true class, divide by N.")
x = np.array([[1000.0, 999.0, 998.0], [-1000.0, -1001.0, -999.0], [1000.0, 0.0, -1000.0]])
loss, dx = call_quietly(softmax_loss, x, np.array([0, 1, 2]))
check_close(loss, 667.6050706429629, "loss of softmax_loss for scores near +1000 and -1000",
            batch_size=3, hint="Subtract each row's max, then use the formula for log p above, "
                               "never the log of a probability: the last example's true class has "
                               "log p = -2000 exactly.")
check_close(dx, np.array([[-0.1115863481, 0.081576157, 0.0300101911],
                          [0.081576157, -0.3033231423, 0.2217469853],
                          [1 / 3, 0.0, -1 / 3]]),
            "dx of softmax_loss for scores near +1000 and -1000", batch_size=3)
### BEGIN HIDDEN TESTS
from grading import losses as hidden; hidden.check_softmax_loss(softmax_loss)
### END HIDDEN TESTS
passed("softmax_loss")

# %% [markdown]
# The formula for `dx` can be checked without trusting any derivation: nudge each score by
# $\pm h$ and watch the loss (a *numerical gradient*, the subject of notebook 04).

# %%
rng = np.random.default_rng(0)
x_check, y_check = rng.standard_normal((5, 4)), rng.integers(0, 4, size=5)
_, dx_analytic = softmax_loss(x_check, y_check)
dx_numerical = np.zeros_like(x_check)
h = 1e-6
for index in np.ndindex(x_check.shape):
    nudge = np.zeros_like(x_check)
    nudge[index] = h
    dx_numerical[index] = (softmax_loss(x_check + nudge, y_check)[0]
                           - softmax_loss(x_check - nudge, y_check)[0]) / (2 * h)
dx_difference = np.max(np.abs(dx_analytic - dx_numerical))
print("largest difference, analytic vs numerical dx:", dx_difference)
if not quick():
    assert dx_difference < 1e-8

# %% [markdown]
# ## 5. Why cross-entropy beats MSE for classification
#
# Take one example of class 1 and a model that outputs $p = \sigma(z)$ from a score $z$. Both
# losses are 0 when $p = 1$, but their gradients with respect to the score $z$ (what training
# follows) behave very differently. With $\sigma'(z) = p(1 - p)$:
#
# $$\text{MSE: } \frac{\partial}{\partial z}(p - 1)^2 = 2(p - 1)\,p\,(1 - p), \qquad
#   \text{CE: } \frac{\partial}{\partial z}\bigl(-\log p\bigr) = p - 1.$$
#
# When the model is **confidently wrong** ($z \ll 0$, so $p \approx 0$), the MSE gradient has the
# factor $p \approx 0$ in it and vanishes: the model is stuck exactly when it most needs to move.
# Cross-entropy's gradient tends to $-1$, its largest size: the worse the mistake, the harder the
# push. (The log in CE cancels the sigmoid's flat tail; the same happens with softmax, whose
# gradient is $p - \text{one-hot}$.) The left plot uses your `mse_loss` and
# `binary_cross_entropy`; the right one your `mse_grad`, times $\sigma'(z)$ by the chain rule.

# %%
z = np.linspace(-10, 10, 401)
p_of_z = 1 / (1 + np.exp(-z))        # sigmoid; z stays within +-10, so no overflow
target = np.ones(1)
mse_curve = [mse_loss(np.array([p]), target) for p in p_of_z]
ce_curve = [binary_cross_entropy(np.array([p]), target) for p in p_of_z]
mse_slope = [mse_grad(np.array([p]), target)[0] * p * (1 - p) for p in p_of_z]
ce_slope = p_of_z - 1

fig, (ax_loss, ax_grad) = plt.subplots(1, 2, figsize=(12, 4))
plot_curves({"MSE  $(p - 1)^2$": mse_curve, "cross-entropy  $-\\log p$": ce_curve}, x=z,
            ax=ax_loss, xlabel="score z (true class: 1)", ylabel="loss",
            title="loss of one example of class 1")
plot_curves({"MSE": np.abs(mse_slope), "cross-entropy": np.abs(ce_slope)}, x=z, ax=ax_grad,
            xlabel="score z (true class: 1)", ylabel="|dL/dz|",
            title="gradient size: MSE vanishes when confidently wrong")
ax_grad.axvspan(-10, -3, color="red", alpha=0.08)
ax_grad.text(-9.5, 0.9, "confidently wrong", color="darkred")
plt.tight_layout()
plt.show()

# %% [markdown]
# The same effect in training. A logistic-regression model $p = \sigma(X\mathbf{w} + b)$ on two
# clouds of points starts from weights that are confidently wrong (they point the opposite way),
# and is trained by gradient descent with each loss, at the same learning rate. With MSE the
# gradient starts near 0 and the model barely moves in 300 steps; with cross-entropy it fixes
# itself in a few dozen steps. Both gradients use the chain rule through $z = X\mathbf{w} + b$:
# $\partial L / \partial \mathbf{w} = X^\top \partial L / \partial \mathbf{z}$. The cell prints
# the size of the first gradient and when each run first classifies 95% of the points right.

# %%
X_blobs, y_blobs = make_blobs(100, np.random.default_rng(3), distance=3.0, std=0.8)
X_blobs = X_blobs - X_blobs.mean(axis=0)
w_wrong = -4.0 * (X_blobs[y_blobs == 1].mean(axis=0) - X_blobs[y_blobs == 0].mean(axis=0))


def train(loss_name, steps=300, lr=0.5):
    """Gradient descent on a logistic-regression model.

    Returns the losses and accuracies at every step, and the size |dL/dw| of the first gradient.
    """
    w, b = w_wrong.copy(), 0.0
    losses, accuracies, gradient_sizes = [], [], []
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(X_blobs @ w + b)))
        if loss_name == "MSE":
            losses.append(mse_loss(p, y_blobs))
            dz = mse_grad(p, y_blobs) * p * (1 - p)      # chain rule through the sigmoid
        else:
            losses.append(binary_cross_entropy(p, y_blobs))
            dz = (p - y_blobs) / len(y_blobs)            # d(mean BCE)/dz, as derived above
        accuracies.append(np.mean((p > 0.5) == y_blobs))
        gradient_sizes.append(np.linalg.norm(X_blobs.T @ dz))
        w, b = w - lr * X_blobs.T @ dz, b - lr * np.sum(dz)
    return losses, accuracies, gradient_sizes[0]


runs = {name: train(name) for name in ("MSE", "cross-entropy")}
fig, (ax_loss, ax_accuracy) = plt.subplots(1, 2, figsize=(12, 4))
plot_curves({name: np.array(losses) / losses[0] for name, (losses, _, _) in runs.items()},
            ax=ax_loss, xlabel="step", ylabel="loss / initial loss",
            title="training from a confidently wrong start")
plot_curves({name: accuracies for name, (_, accuracies, _) in runs.items()}, ax=ax_accuracy,
            xlabel="step", ylabel="training accuracy", title="accuracy")
plt.tight_layout()
plt.show()
first_good_step = {}
for name, (losses, accuracies, first_gradient) in runs.items():
    good = np.flatnonzero(np.array(accuracies) >= 0.95)
    first_good_step[name] = int(good[0]) if good.size else None
    print(f"{name:13s}: first |dL/dw| {first_gradient:.1e}, loss {losses[0]:.3g} -> {losses[-1]:.3g}, "
          f"95% accuracy first reached at step {first_good_step[name]}")
if not quick():
    assert runs["MSE"][2] < 0.01 * runs["cross-entropy"][2]
    assert first_good_step["MSE"] is None and runs["MSE"][0][-1] > 0.99 * runs["MSE"][0][0]
    assert first_good_step["cross-entropy"] is not None and first_good_step["cross-entropy"] <= 50

# %% [markdown]
# ## Summary
#
# - MSE $= \operatorname{mean}((\hat y - y)^2)$ over all $M$ entries; its gradient is
#   $2(\hat y - y)/M$.
# - Cross-entropy is minus the log-probability of the true class, averaged over the batch; clip
#   probabilities to $[\varepsilon, 1 - \varepsilon]$ before a log.
# - `softmax_loss` computes log-probabilities stably (subtract the row max, then log-sum-exp),
#   and its gradient is $(\operatorname{softmax}(x) - \text{one-hot}(y))/N$.
# - For classification, cross-entropy's gradient is largest when the model is confidently wrong;
#   MSE's vanishes there. Notebook 04 checks gradients numerically, and notebook 05 sends them
#   back through whole networks.
