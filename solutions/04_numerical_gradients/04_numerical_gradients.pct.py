# %% [markdown]
# # 04 · Numerical gradients and gradient descent
#
# Training a network means changing its weights so that a loss goes down, and the direction to
# change them in is the **gradient** of the loss. Notebook 05 computes gradients exactly with
# backpropagation; this notebook computes them the slow, simple way, from values of the function
# alone, and then uses them to walk downhill. The slow way matters for ever: it is how every
# backward pass you write from now on is checked. By the end you will have
#
# 1. written the central-difference derivative and seen why it beats the forward difference,
#    and why making the step $h$ tiny makes things *worse*,
# 2. written a numerical gradient for arrays of any shape,
# 3. written the relative error that decides whether two gradients agree,
# 4. written gradient descent and watched it on a bowl with three learning rates.
#
# **How this works.** Cells marked `# YOUR CODE HERE` are yours: replace
# `raise NotImplementedError()` with your code. The test cell after each answer checks it and
# tells you what is wrong; more tests run when your work is graded. Run the cells in order.

# %% locked=true
import matplotlib.pyplot as plt
import numpy as np

from dlcourse.plotting import plot_curves
from dlcourse.runtime import quick
from dlcourse.testing import call_unmutated, check_close, check_equal, check_true, passed

# %% [markdown]
# ## 1. A derivative from two values of the function
#
# The derivative is the limit $f'(x) = \lim_{h\to 0} \frac{f(x+h) - f(x)}{h}$. A computer cannot
# take the limit, but it can pick a small $h$. Which formula to use with that $h$ matters. Taylor's
# theorem says
#
# $$f(x \pm h) = f(x) \pm h f'(x) + \tfrac{h^2}{2} f''(x) \pm \tfrac{h^3}{6} f'''(x) + \dots$$
#
# so the **forward difference** is off by a term proportional to $h$,
#
# $$\frac{f(x+h) - f(x)}{h} = f'(x) + \tfrac{h}{2} f''(x) + \dots,$$
#
# while in the **central difference** the $h^2$ terms cancel and the error is proportional to
# $h^2$:
#
# $$\frac{f(x+h) - f(x-h)}{2h} = f'(x) + \tfrac{h^2}{6} f'''(x) + \dots$$
#
# With $h = 10^{-3}$ that is an error of order $10^{-3}$ against order $10^{-6}$ (times
# $|f''|/2$ and $|f'''|/6$), for the same two calls of $f$. For $f(x) = x^3$ at $x = 2$ and
# $h = 0.1$, for instance, the central difference is exactly $3x^2 + h^2 = 12.01$.
#
# **Your turn.** `numerical_derivative(f, x, h)` returns the central difference.

# %% answer="numerical_derivative"
def numerical_derivative(f, x, h=1e-5):
    """Central-difference estimate of f'(x).

    Inputs:
    - f: a function of one number returning one number
    - x: the point, a number: a Python float or int, or a numpy float
    - h: the step, a small positive float (default 1e-5, the best step for central differences
      in float64, section 2)
    Returns: the central-difference estimate with step h, one number (a float).
    """
    ### BEGIN SOLUTION
    return (f(x + h) - f(x - h)) / (2 * h)
    ### END SOLUTION


# %% test="numerical_derivative" points=1
check_close(numerical_derivative(lambda t: t ** 3, 2.0, 0.1), 12.01,
            "numerical_derivative(x**3, x=2, h=0.1)",
            hint="The central difference of x**3 is exactly 3x^2 + h^2 = 12.01 here. Its two "
                 "points, x - h and x + h, are 2h apart; use the h you are given.")
check_close(numerical_derivative(np.sin, 0.5, 1e-4), 0.8775825618903728,
            "numerical_derivative(sin, x=0.5, h=1e-4)", rtol=1e-8,
            hint="This should equal cos(0.5) to about 1e-9: a forward difference (error ~h) is "
                 "not accurate enough.")
check_close(numerical_derivative(lambda t: 3.0 - 2.0 * t, -1.0, 0.5), -2.0,
            "numerical_derivative(3 - 2x, x=-1, h=0.5)",
            hint="For a line every difference quotient is its slope, -2: check the sign.")
### BEGIN HIDDEN TESTS
from grading import numerical_gradients as hidden; hidden.check_numerical_derivative(numerical_derivative)
### END HIDDEN TESTS
passed("numerical_derivative")

# %% [markdown]
# ## 2. How small should $h$ be?
#
# Taylor says: smaller is better. Floating point disagrees. A float64 holds about 16 significant
# digits (machine epsilon $\varepsilon \approx 2.2\times 10^{-16}$), so $f(x+h)$ and $f(x)$ each
# carry a rounding error of about $\varepsilon |f(x)|$. Their difference is divided by $h$, which
# blows that error up to about $\varepsilon |f(x)| / h$. The total error is
#
# $$\underbrace{C\,h^p}_{\text{truncation}} + \underbrace{\varepsilon |f(x)| / h}_{\text{round-off}}
#   \qquad (p = 1 \text{ forward}, \; p = 2 \text{ central}).$$
#
# On a log-log plot each term is a straight line, of slope $p$ and $-1$. The best $h$ is where
# they cross: about $\sqrt{\varepsilon} \approx 10^{-8}$ for the forward difference (error
# around $10^{-8}$ or a little less) and $\varepsilon^{1/3} \approx 10^{-5}$ for the central one
# (error $10^{-11}$ or less). Here is the measurement for $f = \sin$ at $x = 1$.

# %%
x_point = 1.0
steps_h = np.logspace(-16, 0, 97)
exact = np.cos(x_point)
forward_error = np.array([abs((np.sin(x_point + h) - np.sin(x_point)) / h - exact)
                          for h in steps_h])
central_error = np.array([abs(numerical_derivative(np.sin, x_point, h) - exact) for h in steps_h])
floor = 1e-18  # an error of exactly 0 (a lucky rounding) cannot be drawn on a log axis

eps = np.finfo(np.float64).eps
fig, ax = plt.subplots(figsize=(7, 4.5))
ax.loglog(steps_h, np.maximum(forward_error, floor), ".-", label="forward difference")
ax.loglog(steps_h, np.maximum(central_error, floor), ".-", label="central difference")
ax.loglog(steps_h, np.sin(x_point) / 2 * steps_h, "C0:", label=r"$h\,|f''|/2$ (slope 1)")
ax.loglog(steps_h, np.cos(x_point) / 6 * steps_h ** 2, "C1:", label=r"$h^2 |f'''|/6$ (slope 2)")
ax.loglog(steps_h, eps * np.sin(x_point) / steps_h, "k--", label=r"$\varepsilon |f| / h$ (round-off)")
ax.set(xlabel="step $h$", ylabel="|error| of the derivative", ylim=(1e-13, 10),
       title="derivative of sin at x = 1: truncation (right) vs round-off (left)")
ax.grid(alpha=0.3, which="both")
ax.legend(fontsize="small")
plt.show()
best_forward_h, best_central_h = steps_h[forward_error.argmin()], steps_h[central_error.argmin()]
print(f"best forward difference: error {forward_error.min():.1e} at h = {best_forward_h:.0e}")
print(f"best central difference: error {central_error.min():.1e} at h = {best_central_h:.0e}")
at_1e3 = np.argmin(np.abs(steps_h - 1e-3))
print(f"at h = 1e-3: forward error {forward_error[at_1e3]:.1e}, central error {central_error[at_1e3]:.1e}")
if not quick():
    assert 1e-9 <= best_forward_h <= 1e-7 and 1e-10 <= forward_error.min() <= 2e-8
    assert 1e-6 <= best_central_h <= 1e-4 and central_error.min() <= 1e-11
    assert forward_error[at_1e3] > 100 * central_error[at_1e3]
    assert central_error[0] > 1e-3   # h = 1e-16: round-off swamps everything

# %% [markdown]
# Right of each minimum the error follows its truncation line; left of it, round-off takes over
# and the error *grows* as $h$ shrinks, until at $h \approx 10^{-16}$ the computer cannot tell
# $x + h$ from $x$ at all. For gradient checks, $h$ around $10^{-5}$ with central differences is
# the sweet spot, which is why it is the default below.
#
# ## 3. The gradient of a function of many numbers
#
# A loss depends on whole arrays of weights. Its gradient with respect to an array `x` is an array
# of the same shape whose entry `[i, j, ...]` is the derivative when only `x[i, j, ...]` moves.
# So the numerical gradient is the central difference, once per entry: nudge that entry up by $h$,
# evaluate, nudge it down by $h$, evaluate, put it back.
#
# Two details make it useful later:
#
# - **Perturb `x` itself, in place.** In notebook 05 and after, `f` is often a loss that reads the
#   weights from the model (`lambda _: model_loss(params)`) and ignores its argument. It only
#   sees the nudge if the nudge happens in the very array the model holds.
# - **Put back the value you saved, not `x[i] + h - 2h + h`.** In floating point that sum is not
#   always `x[i]` (try `0.1 + 1e-5 - 2e-5 + 1e-5 == 0.1`), and a gradient check that silently
#   changes the weights it checks is a bug that is very hard to find.
#
# `np.ndindex(x.shape)` yields every index tuple of an array of any shape: `x[index]` is then
# one entry.
#
# **Your turn.** Write `numerical_gradient(f, x, h)`.

# %% answer="numerical_gradient"
def numerical_gradient(f, x, h=1e-5):
    """Central-difference gradient of a scalar function of an array.

    Inputs:
    - f: a function taking an array shaped like x and returning a number. It may also read x
      without using its argument (a loss reading the weights from a model), so perturb x itself.
    - x: float64 array of any shape (0-d, and axes of size 1, included) and any memory
      layout (a view of a larger array, a transposed one, Fortran order), the point. It is
      perturbed one entry at a time, in place (through x itself: for a view, x.ravel() and
      x.reshape(-1) are copies), and every entry is restored to its exact original value before
      returning.
    - h: the step, a small positive float
    Returns: grad, a new float64 array of x's shape;
    grad[i] = (f(x + h e_i) - f(x - h e_i)) / (2 h) where e_i is 1 at index i and 0 elsewhere.
    """
    ### BEGIN SOLUTION
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + h
        f_plus = f(x)
        x[index] = original - h
        f_minus = f(x)
        x[index] = original  # the saved value: original + h - h may differ by a rounding
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad
    ### END SOLUTION


# %% test="numerical_gradient" points=2
x = np.array([[0.1, -0.7, 0.3], [1.3, 2.9, -0.45]])
grad = call_unmutated(numerical_gradient, lambda z: np.sum(z ** 3), x, 1e-3)
check_close(grad, np.array([[0.030001, 1.470001, 0.270001], [5.070001, 25.230001, 0.607501]]),
            "numerical_gradient of sum(x**3) at a (2, 3) x with h=1e-3",
            hint="Entry i is (f(x + h e_i) - f(x - h e_i)) / (2h): move one entry at a time, by "
                 "+h and then -h. For x**3 that is exactly 3 x_i^2 + h^2.")
x_model = np.array([0.5, 1.5, -1.0])
weights = np.array([1.0, -2.0, 0.5])
grad = numerical_gradient(lambda unused: np.sum(weights * x_model ** 2), x_model, 1e-5)
check_close(grad, np.array([1.0, -6.0, -1.0]),
            "numerical_gradient of a function that reads x from outside (ignores its argument)",
            hint="f may read the array x itself rather than what you pass it, like a loss reading "
                 "weights from a model: perturb x in place (x[index] = ...), not a copy.")
check_true(np.array_equal(x_model, [0.5, 1.5, -1.0]),
           "After numerical_gradient the array x no longer holds its original values: put back "
           "the saved original value of each entry after perturbing it.")
### BEGIN HIDDEN TESTS
from grading import numerical_gradients as hidden; hidden.check_numerical_gradient(numerical_gradient)
### END HIDDEN TESTS
passed("numerical_gradient")

# %% [markdown]
# ## 4. When do two gradients agree?
#
# A gradient check compares an analytic gradient (from calculus or backprop) with the numerical
# one. They never match exactly, so we need a number that says "close enough". The absolute
# difference is useless on its own: $10^{-4}$ is a tiny error on a gradient of size $10^3$ and a
# huge one on a gradient of size $10^{-4}$. So we compare each entry relative to its size, and
# report the worst entry (CS231n):
#
# $$\operatorname{rel}(a, b) = \max_i \frac{|a_i - b_i|}{\max\big(|a_i|,\ |b_i|,\ 10^{-8}\big)}$$
#
# The floor $10^{-8}$ keeps entries where both gradients are 0 (common: a ReLU that is off) from
# giving $0/0 = $ NaN; there the error is $0$. Taking the maximum *per entry* matters: one entry
# that is completely wrong must not hide behind a large correct one.
#
# Rules of thumb with central differences and float64: below $10^{-7}$ the gradient is right;
# around $10^{-4}$ look again (fine near a kink such as ReLU's, suspicious otherwise); above
# $10^{-2}$ it is wrong.
#
# **Your turn.** `relative_error(a, b)` implements the formula for numbers or arrays.

# %% answer="relative_error"
def relative_error(a, b):
    """The largest entry-wise relative difference of a and b.

    Inputs: a, b, numbers (Python or numpy floats or ints) or int or float arrays of one shape,
    in any memory layout.
    Returns: a Python float, max_i |a_i - b_i| / max(|a_i|, |b_i|, 1e-8); 0.0 when a and b are
    equal.
    """
    ### BEGIN SOLUTION
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    scale = np.maximum(np.maximum(np.abs(a), np.abs(b)), 1e-8)
    return float(np.max(np.abs(a - b) / scale))
    ### END SOLUTION


# %% test="relative_error" points=1
a, b = np.array([1.0, -2.0, 4.0]), np.array([1.0, -2.2, 4.0])
check_close(call_unmutated(relative_error, a, b), 0.2 / 2.2, "relative_error([1, -2, 4], [1, -2.2, 4])",
            hint="Per entry: |a - b| / max(|a|, |b|, 1e-8), then the max over entries. Here the "
                 "middle entry gives 0.2 / 2.2.")
check_close(relative_error(b, a), 0.2 / 2.2, "relative_error(b, a) (with the arguments swapped)",
            hint="The formula is symmetric: divide by max(|a|, |b|), not by |b| alone.")
check_close(relative_error(np.array([1000.0, 1e-3]), np.array([1000.0, 2e-3])), 0.5,
            "relative_error([1000, 0.001], [1000, 0.002])",
            hint="Take the relative error of each entry, then the max: the second entry is off by "
                 "50%, which must not hide behind the large first entry.")
check_close(relative_error(0.0, 0.0), 0.0, "relative_error(0, 0)",
            hint="Both are 0: the floor 1e-8 in the denominator avoids 0 / 0.")
check_close(relative_error(1e-12, 0.0), 1e-4, "relative_error(1e-12, 0)",
            hint="Here max(|a|, |b|) is below the floor, so divide by 1e-8.")
### BEGIN HIDDEN TESTS
from grading import numerical_gradients as hidden; hidden.check_relative_error(relative_error)
### END HIDDEN TESTS
passed("relative_error")

# %% [markdown]
# Now a gradient check. Take $f(W) = \sum_{ij} (XW)_{ij}^2$ for a data matrix $X$. Calculus gives
# $\nabla_W f = 2 X^\top X W$. A classic slip is to forget the factor 2. The numerical gradient
# tells a right gradient from a wrong one at once:

# %%
rng = np.random.default_rng(0)
X_data, W = rng.standard_normal((5, 3)), rng.standard_normal((3, 2))
loss = lambda W_: np.sum((X_data @ W_) ** 2)
numeric = numerical_gradient(loss, W)
dW = 2 * X_data.T @ X_data @ W
dW_one_entry_off = dW.copy()
dW_one_entry_off[0, 0] += 1e-3
candidates = {"2 X^T X W (right)": dW, "X^T X W (forgot the 2)": dW / 2,
              "2 X^T X W, one entry off by 1e-3": dW_one_entry_off}
errors = {name: relative_error(analytic, numeric) for name, analytic in candidates.items()}
for name, error in errors.items():
    print(f"{name:32s} relative error {error:.1e}")
if not quick():
    right, forgot_2, one_entry = errors.values()
    assert right < 1e-10 and abs(forgot_2 - 0.5) < 1e-6 and 5e-5 < one_entry < 2e-4
    assert one_entry > 1e6 * right

# %% [markdown]
# The right gradient agrees to better than $10^{-10}$. Being off by a factor of 2 gives 0.5, and
# even a single entry off by $10^{-3}$ stands out at $10^{-4}$, a million times above the right
# one.
#
# One caution for later: at a **kink** the numerical gradient averages the two sides. ReLU,
# $\max(0, x)$, has slope 1 for $x > 0$ and 0 for $x < 0$; at $x = 10^{-6}$ the central difference
# with $h = 10^{-5}$ straddles the kink:

# %%
relu_sum = lambda z: np.sum(np.maximum(z, 0))
x_near_kink = np.array([1e-6, 0.5, -0.5])
numeric_at_kink = numerical_gradient(relu_sum, x_near_kink)
print("numerical:", numeric_at_kink, " analytic:", (x_near_kink > 0).astype(float))
if not quick():
    assert np.allclose(numeric_at_kink, [0.55, 1.0, 0.0])

# %% [markdown]
# The first entry is 0.55 instead of 1. That is not a bug in the analytic gradient: gradient
# checks use inputs away from kinks (the course's tests do).
#
# ## 5. Gradient descent
#
# The gradient points uphill, in the direction in which $f$ grows fastest. To minimise $f$, take a
# small step the other way, and repeat:
#
# $$\mathbf{x}_{t+1} = \mathbf{x}_t - \eta\, \nabla f(\mathbf{x}_t), \qquad t = 0, 1, \dots$$
#
# The learning rate $\eta$ is the step size. That loop, with gradients from backprop, trains every
# network in this course.
#
# **Your turn.** `gradient_descent(grad_f, x0, lr, steps)` runs `steps` updates from `x0` and
# returns the whole path, start included, as an array of shape `(steps + 1, D)`. Do not modify
# `x0`, and make sure each row of the path is its own copy: if you update one array in place and
# append it each time, every row ends up being the last point.

# %% answer="gradient_descent"
def gradient_descent(grad_f, x0, lr, steps):
    """Plain gradient descent.

    Inputs:
    - grad_f: a function mapping a point (D,) to the gradient there (D,)
    - x0: (D,) int or float array, the starting point (not modified)
    - lr: the learning rate, a positive float
    - steps: the number of updates, an int >= 0
    Returns: path, a new (steps + 1, D) numpy array of floats (also for an int x0); path[0] = x0
    and path[t + 1] = path[t] - lr * grad_f(path[t]). Each call starts afresh: the same
    arguments give the same path.
    """
    ### BEGIN SOLUTION
    path = [np.array(x0, dtype=float)]
    for _ in range(steps):
        path.append(path[-1] - lr * grad_f(path[-1]))
    return np.array(path)
    ### END SOLUTION


# %% test="gradient_descent" points=2
x0 = np.array([1.0, -2.0])
path = call_unmutated(gradient_descent, lambda x: 2 * x, x0, 0.1, 3)
check_close(path, np.array([[1.0, -2.0], [0.8, -1.6], [0.64, -1.28], [0.512, -1.024]]),
            "gradient_descent on f(x) = |x|^2 (gradient 2x) from [1, -2], lr=0.1, 3 steps",
            hint="Row 0 is x0; each row is the previous one minus lr * grad_f(previous), so here "
                 "each step multiplies x by 1 - 0.1 * 2 = 0.8. Keep one copy per row.")
check_close(gradient_descent(lambda x: 2 * x, x0, 0.1, 3), path,
            "the path of a second call of gradient_descent with the same arguments",
            hint="A default argument such as path=[] is made once, when the function is defined, "
                 "and keeps its rows from one call to the next: make a new list in every call.")
path = gradient_descent(lambda x: np.array([x[0] - 1.0, 4.0 * x[1] + x[0]]), np.array([0.0, 1.0]),
                        0.5, 2)
check_close(path, np.array([[0.0, 1.0], [0.5, -1.0], [0.75, 0.75]]),
            "gradient_descent with grad_f(x) = [x0 - 1, 4 x1 + x0] from [0, 1], lr=0.5, 2 steps",
            hint="x_{t+1} = x_t - lr * grad_f(x_t): subtract (downhill), and evaluate grad_f at "
                 "the current point.")
check_equal(np.shape(gradient_descent(lambda x: x, np.array([3.0, 4.0, 5.0]), 0.1, 0)),
            np.array([1, 3]),
            "the shape of the path for 0 steps (x0 of shape (3,))",
            hint="The path holds the start and every point after it: steps + 1 rows.")
### BEGIN HIDDEN TESTS
from grading import numerical_gradients as hidden; hidden.check_gradient_descent(gradient_descent)
### END HIDDEN TESTS
passed("gradient_descent")

# %% [markdown]
# ### Three learning rates on a bowl
#
# Take the elongated bowl $f(\mathbf{x}) = \tfrac12 (x_1^2 + 10\,x_2^2)$, whose gradient is
# $(x_1,\ 10\,x_2)$. One step multiplies $x_1$ by $1 - \eta$ and $x_2$ by $1 - 10\eta$. So:
#
# - a **small** $\eta$ (0.02) is safe but slow along the flat $x_1$ direction;
# - a **good** $\eta$ (0.15) shrinks both coordinates every step ($|1 - 1.5| = 0.5$ across the
#   steep direction, so it zig-zags but converges);
# - a **too large** $\eta$ (0.21 > 2/10) makes $|1 - 10\eta| > 1$: every step overshoots the
#   valley floor by more than it started, and the iterates fly off.
#
# The cell prints the loss after 30 steps of each.

# %%
curvatures = np.array([1.0, 10.0])
bowl = lambda x: 0.5 * np.sum(curvatures * x ** 2)
bowl_gradient = lambda x: curvatures * x
start = np.array([-4.5, 1.5])
learning_rates = {"too small (0.02)": 0.02, "good (0.15)": 0.15, "too large (0.21)": 0.21}
paths = {name: gradient_descent(bowl_gradient, start, lr, 30) for name, lr in learning_rates.items()}

grid_1, grid_2 = np.meshgrid(np.linspace(-5, 5, 200), np.linspace(-3, 3, 200))
heights = 0.5 * (curvatures[0] * grid_1 ** 2 + curvatures[1] * grid_2 ** 2)
fig, axes = plt.subplots(1, 4, figsize=(17, 3.8))
for ax, (name, path) in zip(axes, paths.items()):
    ax.contour(grid_1, grid_2, heights, levels=np.geomspace(0.05, 60, 12), cmap="viridis",
               linewidths=0.8)
    ax.plot(path[:, 0], path[:, 1], "o-", color="C3", markersize=3, linewidth=1)
    ax.plot(0, 0, "k*", markersize=10)
    ax.set(xlim=(-5, 5), ylim=(-3, 3), xlabel="$x_1$", ylabel="$x_2$", title=f"lr {name}")
plot_curves({name: [bowl(x) for x in path] for name, path in paths.items()}, ax=axes[3], logy=True,
            x=np.arange(31), xlabel="step", ylabel="f(x)", title="the loss along each path")
plt.tight_layout()
plt.show()
final_loss = {name: bowl(path[-1]) for name, path in paths.items()}
print(f"loss at the start {bowl(start):.3g}; after 30 steps: "
      + ", ".join(f"lr {name}: {loss:.3g}" for name, loss in final_loss.items()))
if not quick():
    small, good, large = final_loss.values()
    assert good < 1e-3 * small and small < 0.2 * bowl(start) and large > 100 * bowl(start)

# %% [markdown]
# The best learning rate is set by the steepest direction (it must stay below $2/10$) while
# progress is limited by the flattest one. Bowls stretched like this are why later notebooks use
# momentum and Adam.
#
# Finally, the two halves of this notebook together: gradient descent driven by the *numerical*
# gradient follows the same path as with the exact one, only with $2D$ calls of $f$ per step
# instead of one gradient. That is too slow for a network with a million weights, and the reason
# for backpropagation (notebook 05).

# %%
numeric_path = gradient_descent(lambda x: numerical_gradient(bowl, x), start, 0.15, 30)
path_difference = np.abs(numeric_path - paths["good (0.15)"]).max()
print(f"largest difference between the two paths: {path_difference:.1e}")
if not quick():
    assert path_difference < 1e-8

# %% [markdown]
# ## Summary
#
# - The central difference $\frac{f(x+h) - f(x-h)}{2h}$ has error $O(h^2)$, the forward difference
#   $O(h)$. Below $h \approx 10^{-5}$ round-off ($\approx \varepsilon/h$) takes over.
# - A numerical gradient perturbs one entry at a time, in place, and restores the saved value.
# - Gradients are compared with the entry-wise relative error; below $10^{-7}$ they agree.
# - Gradient descent steps against the gradient; too small a learning rate crawls, too large a
#   one diverges, and the steepest direction sets the limit.
