# %% [markdown]
# # 02 · Activation functions
#
# The perceptron of notebook 01 decides with a step: $\operatorname{step}(z) = 1$ if $z > 0$,
# else 0. Its derivative is 0 everywhere (and undefined at 0), so a small change of a weight never
# changes the output a little: there is no slope to follow downhill, and gradient descent has
# nothing to work with. Neural networks replace the step by smooth or piecewise-linear
# **activation functions**, applied element-wise after each linear layer:
#
# $$\mathbf{h} = g(\mathbf{x} W + \mathbf{b}).$$
#
# By the end of this notebook you will have
#
# 1. written sigmoid, ReLU, leaky ReLU, softplus and softmax, all vectorised and numerically safe
#    for huge inputs,
# 2. derived the derivatives of sigmoid, tanh and softplus and the Jacobian of softmax, and turned
#    each derivation into code that cannot overflow,
# 3. plotted each function next to its derivative,
# 4. seen numerically and in a picture that without activations, a stack of layers, however deep,
#    is no better than one,
# 5. measured how gradients vanish through ten sigmoid layers but not through ten ReLU layers.
#
# **How this works.** Cells marked `# YOUR CODE HERE` are yours: replace
# `raise NotImplementedError()` with your code. The test cell after each answer checks it and
# tells you what is wrong; more tests run when your work is graded. Run the cells in order.
#
# **A rule for this notebook: no warnings.** numpy prints a `RuntimeWarning` when a computation
# overflows (`np.exp(1000)` is `inf`) or divides by zero. A warning is a symptom of a wrong
# formula, and when your work is graded a test cell that prints one scores 0. The tests call your
# functions on inputs such as $\pm 1000$ and fail if anything warns.

# %% locked=true
import matplotlib.pyplot as plt
import numpy as np

from dlcourse.plotting import plot_curves
from dlcourse.runtime import quick
from dlcourse.testing import call_quietly, call_unmutated, check_close, check_true, passed

# %% [markdown]
# ## 1. Sigmoid
#
# The sigmoid (or logistic function) is a smooth step:
#
# $$\sigma(x) = \frac{1}{1 + e^{-x}} \in (0, 1), \qquad \sigma(0) = \tfrac12, \qquad
#   \sigma(-x) = 1 - \sigma(x).$$
#
# **Overflow.** Written as above, `1 / (1 + np.exp(-x))` computes `np.exp(1000)` at
# $x = -1000$: that overflows to `inf` with a `RuntimeWarning`. The answer itself is fine (it
# rounds to 0), but the warning is not. The way out is to only ever exponentiate numbers
# $\le 0$. With $z = e^{-|x|} \in (0, 1]$:
#
# $$\sigma(x) = \frac{1}{1 + z} \ \text{ for } x \ge 0, \qquad
#   \sigma(x) = \frac{e^{x}}{1 + e^{x}} = \frac{z}{1 + z} \ \text{ for } x < 0.$$
#
# Careful: `np.where(cond, a, b)` computes **both** `a` and `b` on the whole array before choosing,
# so `np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x)))` still overflows.
# Compute $z$ once, from $|x|$, then choose.
#
# **Your turn.** `sigmoid(x)` for a number or an array of any shape, returning floats.

# %% answer="sigmoid"
def sigmoid(x):
    """The logistic sigmoid 1 / (1 + exp(-x)), element-wise, without overflow.

    Input: x, a number or an array of any shape.
    Returns: a float array of the same shape as x, values in [0, 1].
    """
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    z = np.exp(-np.abs(x))  # in (0, 1]: never overflows
    return np.where(x >= 0, 1 / (1 + z), z / (1 + z))
    ### END SOLUTION


# %% test="sigmoid" points=2
x = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])
check_close(call_unmutated(sigmoid, x),
            np.array([0.119202922, 0.3775406688, 0.5, 0.6224593312, 0.9525741268]),
            "sigmoid([-2, -0.5, 0, 0.5, 3])", hint="sigmoid(x) = 1 / (1 + exp(-x)).")
check_close(sigmoid(np.array([[0.0, 1.0], [-1.0, 2.0]])),
            np.array([[0.5, 0.7310585786], [0.2689414214, 0.880797078]]),
            "sigmoid of a (2, 2) array", hint="Work element-wise on any shape: no loop needed.")
check_close(call_quietly(sigmoid, np.array([-1000.0, -30.0, 30.0, 1000.0])),
            np.array([0.0, 9.3576229688e-14, 1.0, 1.0]), "sigmoid([-1000, -30, 30, 1000])",
            atol=1e-20, hint="Only exponentiate numbers <= 0: z = exp(-|x|), then 1 / (1 + z) "
                             "where x >= 0 and z / (1 + z) where x < 0.")
### BEGIN HIDDEN TESTS
from grading import activations as hidden; hidden.check_sigmoid(sigmoid)
### END HIDDEN TESTS
passed("sigmoid")

# %% [markdown]
# ### Its derivative
#
# **Derive it.** Differentiate $\sigma(x) = (1 + e^{-x})^{-1}$ with the chain rule (outer function
# $u \mapsto u^{-1}$, inner function $1 + e^{-x}$). The result contains $e^{-x}$, which overflows at
# $x = -1000$ just as before. But it can be rewritten with $\sigma(x)$ alone, no exponential left:
# split the fraction you get into a product of two fractions and recognise each one (what is
# $1 - \sigma(x)$ as a single fraction?). Since your `sigmoid` is safe, a derivative written with
# it is safe too.
#
# Check your result on paper: the derivative is largest at $x = 0$, where it is $0.25$, and tends
# to 0 on both sides, so a saturated sigmoid (far from 0) barely passes on any gradient. Section 9
# shows what that does to a deep network.
#
# **Your turn.** `sigmoid_grad(x)` = $\sigma'(x)$, using your `sigmoid`.

# %% answer="sigmoid_grad"
def sigmoid_grad(x):
    """Derivative of the sigmoid at x, element-wise, without overflow.

    Input: x, a number or an array of any shape.
    Returns: a float array of the same shape as x, values in [0, 0.25].
    """
    ### BEGIN SOLUTION
    s = sigmoid(x)
    return s * (1 - s)
    ### END SOLUTION


# %% test="sigmoid_grad" points=2
x = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])
check_close(call_unmutated(sigmoid_grad, x),
            np.array([0.1049935854, 0.2350037122, 0.25, 0.2350037122, 0.0451766597]),
            "sigmoid_grad([-2, -0.5, 0, 0.5, 3])",
            hint="Check your derivation at x = 0, where the slope is 0.25, and check that the "
                 "rewritten form equals the chain-rule form at x = 1 on paper. The result is "
                 "written with sigmoid(x), the output, wherever x appeared.")
check_close(call_quietly(sigmoid_grad, np.array([-1000.0, 1000.0])), np.array([0.0, 0.0]),
            "sigmoid_grad([-1000, 1000])",
            hint="Far from 0 the sigmoid is flat: its slope is 0. Write the derivative with your "
                 "safe sigmoid, not with np.exp.")
### BEGIN HIDDEN TESTS
from grading import activations as hidden; hidden.check_sigmoid_grad(sigmoid_grad)
### END HIDDEN TESTS
passed("sigmoid_grad")

# %% [markdown]
# ## 2. Tanh
#
# The hyperbolic tangent is a sigmoid stretched to $(-1, 1)$:
#
# $$\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}} = 2\sigma(2x) - 1.$$
#
# Its outputs are centred on 0, which makes the next layer's job easier than sigmoid's
# always-positive outputs (LeCun et al., 1998, "Efficient BackProp", explain why). numpy computes it
# safely as `np.tanh`.
#
# **Derive its derivative** from $\tanh(x) = 2\sigma(2x) - 1$ with the chain rule and your result
# for $\sigma'$, then write it with $\tanh(x)$ alone (express $\sigma(2x)$ through $\tanh(x)$).
# Check on paper: at $x = 0$ it is 1, four times sigmoid's best. Other correct forms exist, such
# as $1/\cosh^2(x)$, but `np.cosh(1000)` and `np.exp(1000)` overflow: the form with `np.tanh`
# cannot.
#
# **Your turn.** `tanh_grad(x)` = $\tanh'(x)$.

# %% answer="tanh_grad"
def tanh_grad(x):
    """Derivative of tanh at x, element-wise, without overflow.

    Input: x, a number or an array of any shape.
    Returns: a float array of the same shape as x, values in [0, 1].
    """
    ### BEGIN SOLUTION
    return 1 - np.tanh(x) ** 2
    ### END SOLUTION


# %% test="tanh_grad" points=2
x = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])
check_close(call_unmutated(tanh_grad, x),
            np.array([0.0706508249, 0.786447733, 1.0, 0.786447733, 0.0098660372]),
            "tanh_grad([-2, -0.5, 0, 0.5, 3])",
            hint="Check your derivation at x = 0, where tanh'(0) = 1, and write the result with "
                 "np.tanh(x), the output, wherever x appeared.")
check_close(call_quietly(tanh_grad, np.array([-1000.0, 1000.0])), np.array([0.0, 0.0]),
            "tanh_grad([-1000, 1000])",
            hint="Write the derivative with np.tanh(x) only: np.cosh(1000) and np.exp(1000) overflow.")
### BEGIN HIDDEN TESTS
from grading import activations as hidden; hidden.check_tanh_grad(tanh_grad)
### END HIDDEN TESTS
passed("tanh_grad")

# %% [markdown]
# ## 3. ReLU
#
# The rectified linear unit keeps positive inputs and zeroes negative ones:
#
# $$\operatorname{relu}(x) = \max(0, x), \qquad
#   \operatorname{relu}'(x) = \begin{cases} 1 & x > 0 \\ 0 & x < 0 \end{cases}$$
#
# It costs one comparison, never saturates for positive inputs (the slope stays 1), and made deep
# networks trainable (Glorot, Bordes and Bengio, 2011; Krizhevsky et al., 2012).
#
# At exactly $x = 0$ there is a kink and no derivative. Code must return *something*, so we fix a
# **convention: `relu_grad(0) = 0`** (the same as for negative inputs, and what most libraries
# do). It rarely matters in practice, but the tests check it.
#
# **Your turn.** `relu(x)` and `relu_grad(x)`, element-wise, returning new float arrays (never
# modify `x`: `x[x < 0] = 0` would change the caller's array).

# %% answer="relu"
def relu(x):
    """ReLU, element-wise: max(0, x).

    Input: x, a float array of any shape.
    Returns: a new array of the same shape as x.
    """
    ### BEGIN SOLUTION
    return np.maximum(x, 0.0)
    ### END SOLUTION


# %% test="relu" points=1
x = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])
check_close(call_unmutated(relu, x), np.array([0.0, 0.0, 0.0, 0.5, 3.0]),
            "relu([-2, -0.5, 0, 0.5, 3])", hint="relu(x) = max(0, x), entry by entry.")
check_close(call_unmutated(relu, np.array([[-1.0, 2.0, -3.0], [4.0, -5.0, 6.0]])),
            np.array([[0.0, 2.0, 0.0], [4.0, 0.0, 6.0]]), "relu of a (2, 3) array",
            hint="np.max(x, 0) is the largest entry along axis 0, not a comparison of each entry "
                 "with 0: numpy also has an element-wise maximum of two arrays.")
### BEGIN HIDDEN TESTS
from grading import activations as hidden; hidden.check_relu(relu)
### END HIDDEN TESTS
passed("relu")


# %% answer="relu_grad"
def relu_grad(x):
    """Derivative of ReLU at x, element-wise: 1.0 where x > 0, else 0.0.

    Convention: relu_grad(0) = 0.
    Input: x, a float array of any shape.
    Returns: a float array of the same shape as x, holding 0.0 and 1.0.
    """
    ### BEGIN SOLUTION
    return (x > 0).astype(float)
    ### END SOLUTION


# %% test="relu_grad" points=1
x = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])
check_close(call_unmutated(relu_grad, x), np.array([0.0, 0.0, 0.0, 1.0, 1.0]),
            "relu_grad([-2, -0.5, 0, 0.5, 3])",
            hint="The slope of ReLU is 1 where x > 0 and 0 elsewhere, with relu_grad(0) = 0. "
                 "It is not relu(x) itself.")
check_close(relu_grad(np.array([[-1.0, 2.0, 0.0], [4.0, -5.0, 6.0]])),
            np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 1.0]]), "relu_grad of a (2, 3) array")
### BEGIN HIDDEN TESTS
from grading import activations as hidden; hidden.check_relu_grad(relu_grad)
### END HIDDEN TESTS
passed("relu_grad")

# %% [markdown]
# ## 4. Leaky ReLU
#
# A ReLU unit whose input is negative for every example has zero gradient everywhere: it can never
# recover (a "dead" unit). Leaky ReLU keeps a small slope $\alpha$ (typically 0.01) on the
# negative side:
#
# $$\operatorname{leaky}(x) = \begin{cases} x & x > 0 \\ \alpha x & x \le 0 \end{cases}, \qquad
#   \operatorname{leaky}'(x) = \begin{cases} 1 & x > 0 \\ \alpha & x \le 0 \end{cases}$$
#
# Same convention as ReLU at the kink: **`leaky_relu_grad(0, alpha) = alpha`** (the negative
# side's slope). Use the `alpha` you are given: the tests call your functions with other values
# than 0.01.

# %% answer="leaky_relu"
def leaky_relu(x, alpha=0.01):
    """Leaky ReLU, element-wise: x where x > 0, alpha * x elsewhere.

    Inputs: x, a float array of any shape; alpha, the slope for x <= 0 (0 <= alpha < 1).
    Returns: a new array of the same shape as x.
    """
    ### BEGIN SOLUTION
    return np.where(x > 0, x, alpha * x)
    ### END SOLUTION


# %% test="leaky_relu" points=1
x = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])
check_close(call_unmutated(leaky_relu, x, 0.1), np.array([-0.2, -0.05, 0.0, 0.5, 3.0]),
            "leaky_relu([-2, -0.5, 0, 0.5, 3], alpha=0.1)",
            hint="Negative inputs are multiplied by alpha (the one given, not 0.01); positive "
                 "inputs pass unchanged.")
check_close(leaky_relu(np.array([[-1.0, 2.0], [-4.0, 0.25]]), alpha=0.2),
            np.array([[-0.2, 2.0], [-0.8, 0.25]]), "leaky_relu of a (2, 2) array, alpha=0.2")
### BEGIN HIDDEN TESTS
from grading import activations as hidden; hidden.check_leaky_relu(leaky_relu)
### END HIDDEN TESTS
passed("leaky_relu")


# %% answer="leaky_relu_grad"
def leaky_relu_grad(x, alpha=0.01):
    """Derivative of leaky ReLU at x, element-wise: 1.0 where x > 0, alpha elsewhere.

    Convention: leaky_relu_grad(0, alpha) = alpha.
    Inputs: x, a float array of any shape; alpha, the slope for x <= 0.
    Returns: a float array of the same shape as x.
    """
    ### BEGIN SOLUTION
    return np.where(x > 0, 1.0, alpha)
    ### END SOLUTION


# %% test="leaky_relu_grad" points=1
x = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])
check_close(call_unmutated(leaky_relu_grad, x, 0.1), np.array([0.1, 0.1, 0.1, 1.0, 1.0]),
            "leaky_relu_grad([-2, -0.5, 0, 0.5, 3], alpha=0.1)",
            hint="The slope is 1 where x > 0 and alpha (a constant, not alpha * x) elsewhere, "
                 "with leaky_relu_grad(0, alpha) = alpha.")
check_close(leaky_relu_grad(np.array([[-1.0, 2.0], [-4.0, 0.25]]), alpha=0.2),
            np.array([[0.2, 1.0], [0.2, 1.0]]), "leaky_relu_grad of a (2, 2) array, alpha=0.2")
### BEGIN HIDDEN TESTS
from grading import activations as hidden; hidden.check_leaky_relu_grad(leaky_relu_grad)
### END HIDDEN TESTS
passed("leaky_relu_grad")

# %% [markdown]
# ## 5. Softplus: a smooth ReLU
#
# $$\operatorname{softplus}(x) = \log(1 + e^{x})$$
#
# is close to 0 for very negative $x$ and close to $x$ for large $x$: a ReLU with its corner
# rounded off (Dugas et al., 2001). You will meet it again inside notebook 03's losses: the
# cross-entropy of a score $z$ for class 1, $-\log \sigma(z)$, is exactly $\operatorname{softplus}(-z)$.
#
# The formula as written fails twice in floating point:
#
# - at $x = 1000$, `np.exp(x)` overflows to `inf` (with a warning), although the answer is simply
#   1000 to all 16 digits;
# - at $x = -40$, $e^{x} \approx 4.2 \times 10^{-18}$ and `1 + np.exp(x)` rounds to exactly 1.0, so
#   the log returns 0 where the answer is $4.2 \times 10^{-18}$: every digit is lost. `np.log1p(t)`
#   computes $\log(1 + t)$ accurately for tiny $t$, without forming $1 + t$.
#
# **Derive a safe form.** Show that for $x > 0$, $\log(1 + e^{x}) = x + \log(1 + e^{-x})$ (factor
# $e^{x}$ out of $1 + e^{x}$). Then write one formula, valid for every $x$, whose only exponential
# is of $-|x| \le 0$ (what is $\max(x, 0)$ on each side?), and use `np.log1p` for the log. Do not
# use `np.logaddexp`, which is what you are building.
#
# **Your turn.** `softplus(x)`, accurate to about 15 digits for every float input, large or tiny.

# %% answer="softplus"
def softplus(x):
    """softplus(x) = log(1 + exp(x)), element-wise, without overflow or loss of digits.

    Input: x, a number or an array of any shape.
    Returns: a float array of the same shape as x, values >= 0 (and > 0 unless exp(x) underflows).
    """
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    # log(1 + e^x) = max(x, 0) + log(1 + e^-|x|): the exponent is never positive.
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))
    ### END SOLUTION


# %% test="softplus" points=2
x = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])
check_close(call_quietly(softplus, x),
            np.array([0.1269280110, 0.4740769842, 0.6931471806, 0.9740769842, 3.0485873516]),
            "softplus([-2, -0.5, 0, 0.5, 3])", hint="softplus(x) = log(1 + exp(x)); softplus(0) = log 2.")
check_close(call_quietly(softplus, np.array([30.0, 1000.0])), np.array([30.0000000000000935, 1000.0]),
            "softplus([30, 1000])",
            hint="Large inputs: factor exp(x) out, so that you only exponentiate -|x| <= 0.")
check_close(call_quietly(softplus, np.array([-40.0, -700.0])),
            np.array([4.248354255291589e-18, 9.85967654375977e-305]), "softplus([-40, -700])",
            rtol=1e-10, atol=0,
            hint="1 + 4.2e-18 rounds to 1.0 in float64, and log(1.0) = 0: use np.log1p(t), which "
                 "computes log(1 + t) without forming 1 + t.")
### BEGIN HIDDEN TESTS
from grading import activations as hidden; hidden.check_softplus(softplus)
### END HIDDEN TESTS
passed("softplus")

# %% [markdown]
# **Derive its derivative.** Differentiate $\log(1 + e^{x})$ with the chain rule and simplify:
# you have met the result before, in this very notebook. Write `softplus_grad` with a function you
# already have, so that it is safe for any input.

# %% answer="softplus_grad"
def softplus_grad(x):
    """Derivative of softplus at x, element-wise, without overflow.

    Input: x, a number or an array of any shape.
    Returns: a float array of the same shape as x, values in [0, 1].
    """
    ### BEGIN SOLUTION
    return sigmoid(x)
    ### END SOLUTION


# %% test="softplus_grad" points=1
x = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])
check_close(call_quietly(softplus_grad, x),
            np.array([0.119202922, 0.3775406688, 0.5, 0.6224593312, 0.9525741268]),
            "softplus_grad([-2, -0.5, 0, 0.5, 3])",
            hint="d/dx log(1 + e^x) = e^x / (1 + e^x) by the chain rule. Which function of this "
                 "notebook is that? At 0 it is 0.5, and it rises from 0 to 1.")
check_close(call_quietly(softplus_grad, np.array([-1000.0, 1000.0])), np.array([0.0, 1.0]),
            "softplus_grad([-1000, 1000])",
            hint="e^x / (1 + e^x) computed as written is inf / inf = nan at x = 1000: reuse a safe "
                 "function of this notebook instead.")
### BEGIN HIDDEN TESTS
from grading import activations as hidden; hidden.check_softplus_grad(softplus_grad)
### END HIDDEN TESTS
passed("softplus_grad")

# %% [markdown]
# ## 6. The gallery
#
# Each activation (blue) with its derivative (orange, dashed). The step's derivative is 0
# wherever it exists: nothing for gradient descent to follow. Sigmoid and tanh are smooth but
# flatten out on both sides (they *saturate*); ReLU's slope is exactly 1 for every positive input,
# and softplus's slope, the sigmoid, is ReLU's step smoothed out.

# %%
x_plot = np.linspace(-5, 5, 1001)
alpha_plot = 0.1  # larger than usual, so the negative slope is visible
gallery = {
    "step (notebook 01)": ((x_plot > 0).astype(float), np.zeros_like(x_plot)),
    "sigmoid": (sigmoid(x_plot), sigmoid_grad(x_plot)),
    "tanh": (np.tanh(x_plot), tanh_grad(x_plot)),
    "ReLU": (relu(x_plot), relu_grad(x_plot)),
    f"leaky ReLU, $\\alpha$ = {alpha_plot}": (leaky_relu(x_plot, alpha_plot),
                                              leaky_relu_grad(x_plot, alpha_plot)),
    "softplus": (softplus(x_plot), softplus_grad(x_plot)),
}
fig, axes = plt.subplots(1, len(gallery), figsize=(18, 3.4), sharey=True)
for ax, (name, (values, slopes)) in zip(axes, gallery.items()):
    ax.plot(x_plot, values, label="g(x)")
    ax.plot(x_plot, slopes, "--", label="g'(x)")
    ax.axhline(0, color="k", linewidth=0.5)
    ax.axvline(0, color="k", linewidth=0.5)
    ax.set(title=name, xlabel="x", ylim=(-1.3, 2.2))
    ax.grid(alpha=0.3)
axes[0].legend(loc="upper left")
plt.tight_layout()
plt.show()

# %% [markdown]
# ## 7. Softmax
#
# The last layer of a classifier with $C$ classes outputs $C$ real scores (the *logits*)
# $z_1, \dots, z_C$. Softmax turns them into probabilities, positive and summing to 1:
#
# $$\operatorname{softmax}(\mathbf{z})_j = \frac{e^{z_j}}{\sum_{k=1}^{C} e^{z_k}}.$$
#
# Unlike the activations above it is not element-wise: every output depends on all the scores.
# For a batch of $N$ examples the scores form an $(N, C)$ array, one row per example, and softmax
# acts on each row: **over the last axis**.
#
# **Overflow.** $e^{1000}$ is `inf`, and `inf / inf` is `nan`. But adding the same constant $c$
# to every score does not change the result, since
# $e^{z_j - c} / \sum_k e^{z_k - c} = e^{-c} e^{z_j} / (e^{-c} \sum_k e^{z_k})$. Choosing
# $c = \max_k z_k$ (per row!) makes every exponent $\le 0$, so nothing overflows, and the largest
# term is $e^0 = 1$, so the sum is at least 1 and never 0.
#
# **Your turn.** `softmax(z)` for a 1-D array of $C$ scores or a 2-D array $(N, C)$.
# `keepdims=True` keeps a row's max (or sum) as an $(N, 1)$ column that broadcasts against
# $(N, C)$.

# %% answer="softmax"
def softmax(z):
    """Softmax over the last axis, without overflow.

    Input: z, scores of shape (C,) or (N, C).
    Returns: probabilities of the same shape as z; every slice along the last axis is positive
    and sums to 1.
    """
    ### BEGIN SOLUTION
    shifted = z - np.max(z, axis=-1, keepdims=True)  # every exponent <= 0: no overflow
    exp_shifted = np.exp(shifted)
    return exp_shifted / np.sum(exp_shifted, axis=-1, keepdims=True)
    ### END SOLUTION


# %% test="softmax" points=3
check_close(call_quietly(softmax, np.array([1.0, 2.0, 3.0])),
            np.array([0.0900305732, 0.2447284711, 0.6652409558]), "softmax([1, 2, 3])",
            hint="softmax(z)_j = exp(z_j) / sum_k exp(z_k).")
scores = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
check_close(call_quietly(softmax, scores),
            np.array([[0.0900305732, 0.2447284711, 0.6652409558], [1 / 3, 1 / 3, 1 / 3]]),
            "softmax of a (2, 3) array of scores",
            hint="Each row is one example: take the max and the sum over the last axis "
                 "(axis=-1, keepdims=True), not over the whole array or axis 0.")
large = np.array([[1000.0, 1000.0, 999.0], [-1000.0, -1000.0, -999.0]])
check_close(call_quietly(softmax, large),
            np.array([[0.4223187983, 0.4223187983, 0.1553624035],
                      [0.2119415576, 0.2119415576, 0.5761168848]]),
            "softmax of scores near +1000 and -1000",
            hint="Subtract each row's own max before np.exp: a global max sends a row of -1000s "
                 "to exp(-2000) = 0 and then 0 / 0.")
### BEGIN HIDDEN TESTS
from grading import activations as hidden; hidden.check_softmax(softmax)
### END HIDDEN TESTS
passed("softmax")

# %% [markdown]
# Scaling all the scores by a factor (dividing by a *temperature*) changes how sure softmax is:
# small scores give probabilities close to uniform, large ones put almost everything on the top
# class (the cell prints the top probability for each scale). Softmax is a soft version of "pick
# the largest" (argmax), hence its name.

# %%
scores_demo = np.array([1.0, 2.0, 0.5, 3.0])
scales = (0.25, 1.0, 4.0)
fig, axes = plt.subplots(1, len(scales), figsize=(12, 3), sharey=True)
for ax, scale in zip(axes, scales):
    ax.bar(np.arange(len(scores_demo)), softmax(scale * scores_demo))
    ax.set(title=f"softmax({scale} × z)", xlabel="class", xticks=range(len(scores_demo)))
axes[0].set_ylabel("probability")
plt.tight_layout()
plt.show()
top_probability = {scale: softmax(scale * scores_demo).max() for scale in scales}
print("top probability:", ", ".join(f"{p:.2f} at scale {scale}" for scale, p in top_probability.items()),
      f"(uniform would be {1 / len(scores_demo):.2f})")
if not quick():
    assert top_probability[0.25] < 0.4 and top_probability[4.0] > 0.95

# %% [markdown]
# ### The derivative of softmax
#
# Each probability $p_j$ depends on every score $z_k$, so the derivative of softmax is a matrix:
# the **Jacobian** $J$ of shape $(C, C)$, with $J_{jk} = \partial p_j / \partial z_k$ (row $j$:
# one output, column $k$: one input).
#
# **Derive it.** Write $p_j = e^{z_j} / S$ with $S = \sum_k e^{z_k}$, and note that
# $\partial S / \partial z_k = e^{z_k}$. Differentiate with the quotient rule in the two cases
# $k = j$ (the numerator depends on $z_k$) and $k \ne j$ (it does not), and write both results with
# the probabilities alone, no exponential left. Then combine the two cases into one matrix
# expression (the Kronecker delta $\delta_{jk}$, 1 if $j = k$ and 0 otherwise, is the identity
# matrix). Check on paper: with $C = 2$ and $z = (0, 0)$, every entry of $J$ is $\pm 0.25$. And
# since $\sum_j p_j = 1$ whatever $z$ is, every column of $J$ sums to 0.
#
# **Your turn.** `softmax_jacobian(z)` for one example, a 1-D array of $C$ scores, using your
# `softmax`. A matrix whose entry $(j, k)$ is $a_j b_k$ is the *outer product* of $a$ and $b$.

# %% answer="softmax_jacobian"
def softmax_jacobian(z):
    """The Jacobian of softmax at the scores z of one example.

    Input: z, a (C,) array of scores.
    Returns: J, a (C, C) float array, J[j, k] = d softmax(z)[j] / d z[k]. Safe for any scores.
    """
    ### BEGIN SOLUTION
    p = softmax(z)
    return np.diag(p) - np.outer(p, p)
    ### END SOLUTION


# %% test="softmax_jacobian" points=2
J = call_quietly(softmax_jacobian, np.array([1.0, 2.0, 3.0]))
check_true(np.shape(J) == (3, 3), f"softmax_jacobian of 3 scores should be a (3, 3) matrix, not "
           f"shape {np.shape(J)}: one row per probability, one column per score.")
check_true(np.allclose(J.sum(axis=0), 0, atol=1e-12),
           f"Each column of softmax_jacobian([1, 2, 3]) should sum to 0 (the probabilities always "
           f"sum to 1, so their changes cancel), but the sums are {np.round(J.sum(axis=0), 6)}. "
           "Check the k != j case: every entry off the diagonal is negative.")
check_close(J, np.array([[0.0819250691, -0.0220330445, -0.0598920245],
                         [-0.0220330445, 0.1848364465, -0.162803402],
                         [-0.0598920245, -0.162803402, 0.2226954265]]),
            "softmax_jacobian([1, 2, 3])",
            hint="J[j, k] = dp_j/dz_k: the quotient rule on e^{z_j} / S, written with p's only. "
                 "The diagonal (k = j) gets one more term than the other entries.")
check_close(call_quietly(softmax_jacobian, np.array([0.0, 0.0])),
            np.array([[0.25, -0.25], [-0.25, 0.25]]), "softmax_jacobian([0, 0])",
            hint="Both probabilities are 0.5. On the diagonal (k = j) the derivative is positive: "
                 "raising z_j raises p_j; off the diagonal it is negative.")
J = call_quietly(softmax_jacobian, np.array([1000.0, 999.0, -1000.0]))
check_close(J, np.array([[0.1966119332, -0.1966119332, 0.0], [-0.1966119332, 0.1966119332, 0.0],
                         [0.0, 0.0, 0.0]]), "softmax_jacobian([1000, 999, -1000])",
            hint="Build J from your softmax, which is safe, not from np.exp(z).")
### BEGIN HIDDEN TESTS
from grading import activations as hidden; hidden.check_softmax_jacobian(softmax_jacobian)
### END HIDDEN TESTS
passed("softmax_jacobian")

# %% [markdown]
# A preview of notebook 03. A classifier's loss for an example of class $y$ is
# $L = -\log p_y$, whose gradient with respect to the probabilities is $-1/p_y$ at entry $y$ and 0
# elsewhere. The chain rule takes it back to the scores through your Jacobian,
# $\partial L/\partial z_k = \sum_j (\partial L/\partial p_j)\, J_{jk}$, and the result is
# remarkably simple: the probabilities, minus 1 at the true class.

# %%
z_example, true_class = np.array([2.0, -1.0, 0.5, 1.0]), 2
p_example = softmax(z_example)
dL_dp = np.zeros(4)
dL_dp[true_class] = -1 / p_example[true_class]
dL_dz = dL_dp @ softmax_jacobian(z_example)
one_hot = np.eye(4)[true_class]
print("dL/dz through the Jacobian:", np.round(dL_dz, 6))
print("p - one_hot(y):            ", np.round(p_example - one_hot, 6))
if not quick():
    assert np.allclose(dL_dz, p_example - one_hot, atol=1e-12)

# %% [markdown]
# ## 8. Why non-linearity matters
#
# Take the activations away and a network is a chain of linear (affine) layers. But a chain of
# affine maps is one affine map:
#
# $$(\mathbf{x} W_1 + \mathbf{b}_1) W_2 + \mathbf{b}_2 = \mathbf{x}\,\underbrace{W_1 W_2}_{W}
#   + \underbrace{\mathbf{b}_1 W_2 + \mathbf{b}_2}_{\mathbf{b}}.$$
#
# However many layers you stack, the network can only draw straight lines (planes), like the
# single perceptron that could not do XOR. Let's check it numerically on random stacks from 1
# input to 1 output through hidden layers of 16 units: one of 3 layers and one of 10.

# %%
rng = np.random.default_rng(0)


def random_layers(n_layers, width=16):
    """Weights and biases of n_layers random affine layers from 1 input to 1 output."""
    sizes = [1] + [width] * (n_layers - 1) + [1]
    weights = [rng.standard_normal((n_in, n_out)) / np.sqrt(n_in)
               for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    return weights, [rng.standard_normal(n_out) for n_out in sizes[1:]]


def stacked(x, layers, activation):
    """The layers applied in turn, with `activation` between them. x: (M, 1) -> (M, 1)."""
    weights, biases = layers
    h = x
    for depth, (W, b) in enumerate(zip(weights, biases)):
        h = h @ W + b
        if depth < len(weights) - 1:
            h = activation(h)
    return h


def collapse(layers):
    """The single affine layer (W, b) that a stack of affine layers without activations is."""
    W_single, b_single = np.eye(1), np.zeros(1)
    for W, b in zip(*layers):
        W_single, b_single = W_single @ W, b_single @ W + b
    return W_single, b_single


x_line = np.linspace(-3, 3, 301)[:, None]
stacks = {n_layers: random_layers(n_layers) for n_layers in (3, 10)}
for n_layers, layers in stacks.items():
    W_single, b_single = collapse(layers)
    linear_stack = stacked(x_line, layers, activation=lambda h: h)
    difference = np.max(np.abs(linear_stack - (x_line @ W_single + b_single)))
    print(f"largest difference between {n_layers} linear layers and 1 layer: {difference:.1e} "
          f"(outputs of size up to {np.max(np.abs(linear_stack)):.1f})")
    if not quick():
        assert difference < 1e-12 * max(1.0, np.max(np.abs(linear_stack)))

# %% [markdown]
# The difference is rounding error: a stack of linear layers, 3 or 10, *is* one layer. With ReLU
# between the same layers, the output bends wherever a hidden unit switches on or off: a
# piecewise-linear curve, with more bends as units are added. (How well such curves can fit any
# function is the universal approximation theorem, in notebook 05.)

# %%
three_layers = stacks[3]
W_single, b_single = collapse(three_layers)
fig, (ax_linear, ax_relu) = plt.subplots(1, 2, figsize=(11, 3.8))
ax_linear.plot(x_line, stacked(x_line, three_layers, activation=lambda h: h), linewidth=4,
               alpha=0.5, label="3 linear layers")
ax_linear.plot(x_line, x_line @ W_single + b_single, "k--", label="1 layer, W = W1 W2 W3")
ax_linear.set(title="no activation: one straight line", xlabel="x", ylabel="output")
ax_linear.legend()
ax_relu.plot(x_line, stacked(x_line, three_layers, activation=relu), label="ReLU between the layers")
ax_relu.plot(x_line, stacked(x_line, three_layers, activation=np.tanh),
             label="tanh between the layers")
ax_relu.set(title="same weights, with activations: curves", xlabel="x")
ax_relu.legend()
for ax in (ax_linear, ax_relu):
    ax.grid(alpha=0.3)
plt.tight_layout()
plt.show()

# %% [markdown]
# ## 9. Vanishing gradients
#
# Training a network means computing the gradient of the loss with respect to every weight, from
# the output back to the input (backpropagation, notebook 05). Each layer
# $\mathbf{a}_l = \mathbf{h}_{l-1} W_l$, $\mathbf{h}_l = g(\mathbf{a}_l)$ passes the gradient back
# with the chain rule:
#
# $$\frac{\partial L}{\partial \mathbf{a}_l} = \frac{\partial L}{\partial \mathbf{h}_l} \odot
#   g'(\mathbf{a}_l), \qquad
#   \frac{\partial L}{\partial \mathbf{h}_{l-1}} = \frac{\partial L}{\partial \mathbf{a}_l}
#   W_l^{\top}.$$
#
# Every layer multiplies the gradient by $g'$. For the sigmoid, $g' \le 0.25$: after 10 layers the
# gradient has shrunk by something like $0.25^{10} \approx 10^{-6}$, and the first layers learn
# a million times slower than the last. ReLU's slope is exactly 1 where a unit is active, so the
# gradient keeps its size, given a matching initialisation of the weights. Here every layer is
# $n \times n$ with $n = 100$: He's $\operatorname{Var}(W) = 2/n_{\text{in}}$ for ReLU (He et al.,
# 2015), and $1/n$ for sigmoid and tanh, which is LeCun's $1/n_{\text{in}}$ (LeCun et al., 1998) and,
# for a square layer, also Glorot and Bengio's $2/(n_{\text{in}} + n_{\text{out}})$ (2010).
#
# The experiment below sends a batch through 10 layers of 100 units, backpropagates a random
# gradient from the top, and records the average size of $\partial L / \partial \mathbf{a}_l$ at
# each layer.

# %%
def gradient_sizes(activation, activation_grad, weight_std, n_layers=10, width=100,
                   batch_size=64, seed=0):
    """Mean |dL/da_l| for l = 1..n_layers in a random deep network (layer 1 is the input side)."""
    rng = np.random.default_rng(seed)
    weights = [rng.standard_normal((width, width)) * weight_std for _ in range(n_layers)]
    h = rng.standard_normal((batch_size, width))
    pre_activations = []
    for W in weights:
        a = h @ W
        pre_activations.append(a)
        h = activation(a)
    dh = rng.standard_normal(h.shape)  # the gradient arriving from the loss
    sizes = []
    for W, a in zip(reversed(weights), reversed(pre_activations)):
        da = dh * activation_grad(a)
        sizes.append(np.mean(np.abs(da)))
        dh = da @ W.T
    return sizes[::-1]


width = 100
experiments = {
    "sigmoid": gradient_sizes(sigmoid, sigmoid_grad, 1 / np.sqrt(width)),
    "tanh": gradient_sizes(np.tanh, tanh_grad, 1 / np.sqrt(width)),
    "ReLU": gradient_sizes(relu, relu_grad, np.sqrt(2 / width)),
}
plot_curves(experiments, x=np.arange(1, 11), xlabel="layer (1 = nearest the input)",
            ylabel="mean |dL/da| at the layer", logy=True, marker="o",
            title="gradient size through 10 layers")
plt.show()
shrink = {}
for name, sizes in experiments.items():
    shrink[name] = sizes[0] / sizes[-1]
    print(f"{name:8s} gradient at layer 1 / gradient at layer 10: {shrink[name]:.2e}, "
          f"a factor {shrink[name] ** (-1 / 9):.2f} lost per layer")
if not quick():
    assert 1e-7 < shrink["sigmoid"] < 1e-5 and 4 < shrink["sigmoid"] ** (-1 / 9) < 5
    assert 0.15 < shrink["tanh"] < 0.35 and 0.5 < shrink["ReLU"] < 2

# %% [markdown]
# Read the plot from right to left, the way the gradient travels. Through sigmoid layers it
# loses a factor of 4 to 5 per layer and reaches the first layer several hundred thousand times
# smaller; through tanh it fades more gently (a factor of about 4 over the nine layers); through
# ReLU it keeps its size. This is the
# *vanishing gradient* problem, and the main reason hidden layers today use ReLU and its
# relatives, while sigmoid and softmax are kept for outputs that must be probabilities.
#
# ## Summary
#
# - An activation must be non-linear: without one, any stack of layers is a single linear layer.
# - Sigmoid and tanh are smooth but saturate, with slopes at most 0.25 and 1; their derivatives
#   are best written with their own outputs. ReLU and leaky ReLU have slope 1 on the positive side
#   (conventions at 0: `relu_grad(0) = 0`, `leaky_relu_grad(0, alpha) = alpha`); softplus is a
#   smooth ReLU whose slope is the sigmoid.
# - Softmax turns a row of scores into probabilities; subtracting each row's max makes it safe.
#   Its derivative is a $C \times C$ Jacobian whose columns sum to 0.
# - Numerical safety is part of being correct: only exponentiate numbers $\le 0$, rewrite a
#   derivative so that it reuses a safe function, and use `np.log1p` for $\log(1 + t)$ with tiny
#   $t$.
# - Notebook 03 measures how wrong probabilities are (loss functions), and why cross-entropy
#   pairs with softmax.
