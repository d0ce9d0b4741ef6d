# %% [markdown]
# # 05 · Backpropagation
#
# Notebook 04 computed gradients numerically: two evaluations of the loss per weight. A network
# with a million weights would need two million forward passes for a single step. Backpropagation
# gets *all* the gradients for the price of about one extra pass, by applying the chain rule
# backwards through the computation, one small operation at a time. By the end you will have
#
# 1. followed the gradients through the computation graph of one sigmoid neuron, then pushed
#    them by hand through a graph whose values branch,
# 2. written the forward and backward passes of three layers: affine, ReLU and sigmoid,
# 3. composed them into the loss and gradients of a two-layer network,
# 4. trained that network on XOR, the problem a single perceptron cannot solve (notebook 01),
# 5. met the universal approximation theorem, built its networks yourself for a function of one
#    input, and seen what it does not promise.
#
# **How this works.** Cells marked `# YOUR CODE HERE` are yours: replace
# `raise NotImplementedError()` with your code. The test cell after each answer checks it and
# tells you what is wrong; more tests run when your work is graded. Run the cells in order.

# %% locked=true
import matplotlib.pyplot as plt
import numpy as np

from dlcourse.data import make_xor
from dlcourse.plotting import plot_computation_graph, plot_curves, plot_decision_boundary
from dlcourse.runtime import quick
from dlcourse.testing import call_unmutated, check_backward, check_close, check_true, passed

# %% [markdown]
# ## 1. The chain rule on a computation graph
#
# Any formula is a graph of small operations. Take one neuron with a sigmoid,
#
# $$\text{out}(\mathbf{w}, \mathbf{x}) = \frac{1}{1 + \exp\bigl(-(w_0 x_0 + w_1 x_1 + w_2)\bigr)},$$
#
# at $\mathbf{w} = (2, -3, -3)$ and $\mathbf{x} = (-1, -2)$ (the example of Stanford's CS231n).
# Computing it takes eight steps, each simple enough that its derivative is known. Every
# intermediate value gets a name (a *node*), and the code keeps the gradient
# $\partial\,\text{out}/\partial\,\text{node}$ of each node in a variable `grad_<node>`:
#
# | node | operation | local derivative |
# |---|---|---|
# | $p_0 = w_0 x_0$, $\ p_1 = w_1 x_1$ | product | $\partial p_0/\partial w_0 = x_0$, $\ \partial p_0/\partial x_0 = w_0$ |
# | $s = p_0 + p_1$, $\ z = s + w_2$ | sum | 1 for each input |
# | $m = -z$ | negation | $-1$ |
# | $v = \exp(m)$ | exponential | $\exp(m) = v$ |
# | $t = 1 + v$ | add a constant | 1 |
# | $\text{out} = 1/t$ | reciprocal | $-1/t^2$ |
#
# The **forward pass** computes the nodes left to right. The **backward pass** goes right to
# left carrying $\frac{\partial\, \text{out}}{\partial\, \text{node}}$, the *gradient* of each
# node, starting from $\frac{\partial\, \text{out}}{\partial\, \text{out}} = 1$. The chain rule
# says each node's gradient is its output's gradient (the **upstream** gradient) times the local
# derivative:
#
# $$\frac{\partial\,\text{out}}{\partial\,\text{input}} =
#   \underbrace{\frac{\partial\,\text{out}}{\partial\,\text{node}}}_{\text{upstream}}\
#   \underbrace{\frac{\partial\,\text{node}}{\partial\,\text{input}}}_{\text{local}}$$
#
# Each node only needs to know its own little derivative. Here is the whole computation; read
# the backward half from the bottom of the forward half upwards.

# %%
w0, w1, w2 = 2.0, -3.0, -3.0
x0, x1 = -1.0, -2.0

# forward pass: left to right
p0 = w0 * x0
p1 = w1 * x1
s = p0 + p1
z = s + w2
m = -z
v = np.exp(m)
t = 1.0 + v
out = 1.0 / t

# backward pass: right to left, upstream gradient times local derivative
grad_out = 1.0
grad_t = grad_out * (-1.0 / t ** 2)
grad_v = grad_t * 1.0
grad_m = grad_v * v                              # the local derivative of exp(m) is exp(m) = v
grad_z = grad_m * -1.0
grad_s, grad_w2 = grad_z * 1.0, grad_z * 1.0     # a sum passes its gradient to both inputs unchanged
grad_p0, grad_p1 = grad_s * 1.0, grad_s * 1.0
grad_w0, grad_x0 = grad_p0 * x0, grad_p0 * w0     # a product sends each input the *other* input's value
grad_w1, grad_x1 = grad_p1 * x1, grad_p1 * w1

rows = [("w0", w0, grad_w0), ("x0", x0, grad_x0), ("w1", w1, grad_w1), ("x1", x1, grad_x1),
        ("w2", w2, grad_w2), ("p0 = w0*x0", p0, grad_p0), ("p1 = w1*x1", p1, grad_p1),
        ("s = p0+p1", s, grad_s), ("z = s+w2", z, grad_z), ("m = -z", m, grad_m),
        ("v = exp(m)", v, grad_v), ("t = 1+v", t, grad_t), ("out = 1/t", out, grad_out)]
print(f"{'node':>11}  {'forward value':>13}  {'d out / d node':>14}")
for name, value, gradient in rows:
    print(f"{name:>11}  {value:13.4f}  {gradient:14.4f}")

# %% [markdown]
# The same numbers on the graph, the way CS231n draws it: each wire carries its forward value
# (green, above) and its gradient (red, below).

# %%
positions = {"w0": (0, 4.4), "x0": (0, 2.9), "w1": (0, 2.1), "x1": (0, 0.6), "w2": (0, -0.3),
             "*:p0": (1.6, 3.5), "*:p1": (1.6, 1.5), "+:s": (3.2, 2.5), "+:z": (4.8, 1.3),
             "-1*": (6.4, 1.3), "exp": (8.0, 1.3), "+1": (9.6, 1.3), "1/x": (11.2, 1.3),
             "out": (12.8, 1.3)}
wires = [("w0", "*:p0", w0, grad_w0), ("x0", "*:p0", x0, grad_x0), ("w1", "*:p1", w1, grad_w1),
         ("x1", "*:p1", x1, grad_x1), ("*:p0", "+:s", p0, grad_p0), ("*:p1", "+:s", p1, grad_p1),
         ("+:s", "+:z", s, grad_s), ("w2", "+:z", w2, grad_w2), ("+:z", "-1*", z, grad_z),
         ("-1*", "exp", m, grad_m), ("exp", "+1", v, grad_v), ("+1", "1/x", t, grad_t),
         ("1/x", "out", out, grad_out)]
plot_computation_graph(positions, wires, leaves=("w0", "x0", "w1", "x1", "w2", "out"))
plt.show()

# %% [markdown]
# Two patterns appear, and they hold in every network:
#
# - **a sum distributes**: both inputs of `+` receive the upstream gradient unchanged;
# - **a product swaps**: `*` sends each input the upstream gradient times the *other* input
#   ($\partial(w_0 x_0)/\partial w_0 = x_0$).
#
# Nodes can also be grouped. The last four nodes together are the sigmoid
# $\sigma(z) = 1/(1+e^{-z})$, whose derivative has a famous closed form,
# $\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$ (notebook 02). One "sigmoid gate" gives the same
# gradient as the four small ones:

# %%
print(f"sigma(z) * (1 - sigma(z)) = {out * (1 - out):.4f}   gradient at z from the four nodes = {grad_z:.4f}")
if not quick():
    assert np.isclose(out * (1 - out), grad_z, rtol=1e-12)

# %% [markdown]
# ### Your turn: a graph with branches
#
# In the neuron above every value fed exactly one node. In a network that is rare: a weight is
# used for every example of a batch, an input feeds every unit of the first layer. Take
#
# $$\text{out}(x, y, z) = \tanh(xy)\,(x + z) + \tanh(xy),$$
#
# computed in five nodes:
#
# | node | operation |
# |---|---|
# | $q = x \cdot y$ | product |
# | $s = x + z$ | sum |
# | $r = \tanh(q)$ | tanh (notebook 02) |
# | $p = r \cdot s$ | product |
# | $\text{out} = p + r$ | sum |
#
# Two values **branch**: $x$ feeds both $q$ and $s$, and $r$ feeds both $p$ and $\text{out}$. When
# a value feeds several nodes, the output depends on it along several paths, and the chain rule
# for several variables adds the paths up:
#
# $$\frac{\partial\,\text{out}}{\partial x} =
#   \frac{\partial\,\text{out}}{\partial q}\,\frac{\partial q}{\partial x} +
#   \frac{\partial\,\text{out}}{\partial s}\,\frac{\partial s}{\partial x}.$$
#
# So in the backward pass a branching value collects one contribution from each node it feeds,
# and its gradient is their **sum**: **branches add up**, the third pattern. (It is why the bias
# gradient of section 2 is a sum over the batch: one bias feeds every example.) Here is the graph,
# without numbers yet:

# %%
branch_positions = {"x": (0, 2.6), "y": (0, 1.6), "z": (0, 0.2), "*:q": (1.8, 2.1),
                    "+:s": (1.8, 0.6), "tanh": (3.6, 2.1), "*:p": (5.4, 1.0),
                    "+:out": (7.2, 1.8), "out": (8.8, 1.8)}
branch_wires = [("x", "*:q"), ("y", "*:q"), ("x", "+:s"), ("z", "+:s"), ("*:q", "tanh"),
                ("tanh", "*:p"), ("+:s", "*:p"), ("tanh", "+:out"), ("*:p", "+:out"),
                ("+:out", "out")]
plot_computation_graph(branch_positions, [(a, b, None, None) for a, b in branch_wires],
                       leaves=("x", "y", "z", "out"), title="out = tanh(xy)(x + z) + tanh(xy)")
plt.show()

# %% [markdown]
# **Your turn.** `branch_graph(x, y, z)` computes the forward pass node by node, then the backward
# pass node by node in reverse order (out, p, r, s, q, then the inputs), starting from
# $\partial\,\text{out}/\partial\,\text{out} = 1$. Each node's gradient is its upstream gradient
# times its local derivative, summed over the branches. You know every local derivative: the sum
# and the product from the neuron above, and tanh's from notebook 02 (write it with the node's
# output $r$). Work with formulas, not with numerical differences: the point is to push the
# gradients yourself, and the tests compare to 12 significant digits, more than numerical
# differences can give (notebook 04).

# %% answer="branch_graph"
def branch_graph(x, y, z):
    """Forward and backward pass of out = tanh(x y) (x + z) + tanh(x y), node by node.

    Inputs: x, y, z, numbers (Python floats or ints, or numpy floats).
    Returns (values, grads):
    - values: dict of the forward value of every node: "q", "s", "r", "p", "out"
    - grads: dict of d out / d node for every node and input: "p", "r", "s", "q", "x", "y", "z"
    """
    ### BEGIN SOLUTION
    q, s = x * y, x + z
    r = np.tanh(q)
    p = r * s
    out = p + r

    grad_p = 1.0                             # out is p + r: d out / d p = 1
    grad_r = grad_p * s + 1.0                # r feeds p and out: the two contributions add up
    grad_s = grad_p * r
    grad_q = grad_r * (1.0 - r ** 2)
    grad_x = grad_q * y + grad_s * 1.0       # x feeds q and s
    grad_y = grad_q * x
    grad_z = grad_s * 1.0
    values = {"q": q, "s": s, "r": r, "p": p, "out": out}
    grads = {"p": grad_p, "r": grad_r, "s": grad_s, "q": grad_q,
             "x": grad_x, "y": grad_y, "z": grad_z}
    return values, grads
    ### END SOLUTION


# %% test="branch_graph" points=3
values, grads = call_unmutated(branch_graph, 0.5, -1.5, 2.0)
check_true(isinstance(values, dict) and isinstance(grads, dict),
           "branch_graph should return a pair of dicts (values, grads).")
for node, expected in (("q", -0.75), ("s", 2.5), ("r", -0.6351489523872873),
                       ("p", -1.5878723809682183), ("out", -2.2230213333555056)):
    check_true(node in values, f'values has no entry "{node}": it needs one per node.')
    check_close(values[node], expected, f'values["{node}"] at (x, y, z) = (0.5, -1.5, 2)',
                rtol=1e-12, atol=1e-12, hint="Follow the table of nodes above, in order.")
hints = {"p": "out is the sum of p and r: a sum passes its upstream gradient (1) on unchanged.",
         "r": "r feeds two nodes, p and out: branches add up, so add the contribution of each.",
         "s": "p is the product of r and s: a product sends each input the upstream gradient "
              "times the other input.",
         "q": "r is tanh of q: the local derivative is tanh'(q), written with the output r.",
         "x": "x feeds two nodes, q and s: branches add up, so add the contribution of each.",
         "y": "q is the product of x and y: it sends y the upstream gradient times x.",
         "z": "s is the sum of x and z: a sum passes its upstream gradient on unchanged."}
for node, expected in (("p", 1.0), ("r", 3.5), ("s", -0.6351489523872873),
                       ("q", 2.08805032898466), ("x", -3.767224445864277),
                       ("y", 1.04402516449233), ("z", -0.6351489523872873)):
    check_true(node in grads, f'grads has no entry "{node}": it needs one per node and input.')
    check_close(grads[node], expected, f'grads["{node}"] = d out / d {node} at (0.5, -1.5, 2)',
                rtol=1e-12, atol=1e-12,
                hint=hints[node] + " Check the gradients in backward order: the first wrong one "
                                   "is where to look. (Numerical differences are not accurate "
                                   "to 12 digits: use the chain rule.)")
### BEGIN HIDDEN TESTS
from grading import backprop as hidden; hidden.check_branch_graph(branch_graph)
### END HIDDEN TESTS
passed("branch_graph")

# %% [markdown]
# Your numbers, and a check that needs no derivation at all: nudging each input by $\pm h$ and
# watching `out` (the central differences of notebook 04) gives the same gradients.

# %%
values, grads = branch_graph(0.5, -1.5, 2.0)
for node in ("out", "p", "r", "s", "q"):
    print(f"{node:>3}: value {values[node]:9.5f}   d out / d {node} = "
          f"{1.0 if node == 'out' else grads[node]:9.5f}")
h = 1e-5
point = np.array([0.5, -1.5, 2.0])
for index, name in enumerate("xyz"):
    nudge = np.zeros(3)
    nudge[index] = h
    numerical = (branch_graph(*(point + nudge))[0]["out"]
                 - branch_graph(*(point - nudge))[0]["out"]) / (2 * h)
    print(f"  {name}: value {point[index]:5.2f}   d out / d {name} = {grads[name]:9.5f}, "
          f"numerically {numerical:9.5f}")
    if not quick():
        assert abs(numerical - grads[name]) < 1e-8

# %% [markdown]
# ## 2. Layers: a forward and a backward function each
#
# A network is such a graph built from bigger blocks called **layers**. Following CS231n, each
# layer is two functions:
#
# - `forward(inputs...) -> (out, cache)`: compute the output, and keep in `cache` whatever the
#   backward pass will need (usually the inputs);
# - `backward(dout, cache) -> gradients`: given `dout` $= \partial L/\partial\,\text{out}$, the
#   upstream gradient of the final loss $L$ with respect to this layer's output (same shape as
#   `out`), return $\partial L/\partial\,\text{input}$ for every input (same shape as that input).
#
# A backward pass always multiplies by `dout`: a layer never knows what comes after it, only how
# the loss changes with its output.
#
# ### The affine layer
#
# An affine (fully connected) layer computes $\text{out} = x W + b$ for a batch of $N$ examples.
# Inputs may arrive as images of shape $(N, d_1, \dots, d_k)$; the layer flattens each one into a
# row of $D = d_1 \cdots d_k$ numbers, so $x$ becomes $(N, D)$, $W$ is $(D, M)$, $b$ is $(M,)$
# and out is $(N, M)$.
#
# **Your turn.** `affine_forward(x, w, b)`. Use `x.reshape(N, -1)`, which returns a new view and
# leaves `x` itself alone.

# %% answer="affine_forward"
def affine_forward(x, w, b):
    """Forward pass of an affine (fully connected) layer.

    Inputs:
    - x: (N, d_1, ..., d_k) int or float array, a batch of N inputs, in any memory layout (a view,
      Fortran order); each is flattened to D = d_1 * ... * d_k
    - w: (D, M) float weights
    - b: (M,) float biases
    Returns (out, cache):
    - out: (N, M) float array, x flattened to (N, D), times w, plus b; float32 when x, w and b
      are float32
    - cache: whatever affine_backward needs, e.g. (x, w, b)
    """
    ### BEGIN SOLUTION
    out = x.reshape(x.shape[0], -1) @ w + b
    cache = (x, w, b)
    return out, cache
    ### END SOLUTION


# %% test="affine_forward" points=1
x = np.linspace(-0.1, 0.5, num=240).reshape(2, 4, 5, 6)
w = np.linspace(-0.2, 0.3, num=360).reshape(120, 3)
b = np.linspace(-0.3, 0.1, num=3)
result = call_unmutated(affine_forward, x, w, b)
check_true(isinstance(result, tuple) and len(result) == 2,
           "affine_forward should return a pair (out, cache).")
check_close(result[0], np.array([[1.49834967, 1.70660132, 1.91485297],
                                 [3.25553199, 3.5141327, 3.77273342]]),
            "out of affine_forward for x of shape (2, 4, 5, 6)",
            hint="Flatten each example into a row, so that the batch is (N, D); then multiply by w "
                 "and add b.")
x_flat = np.array([[1.0, 2.0], [3.0, 4.0], [-1.0, 0.5]])
out, _ = affine_forward(x_flat, np.array([[1.0, 0.0, -1.0], [0.5, 2.0, 1.0]]), np.array([0.1, 0.2, 0.3]))
check_close(out, np.array([[2.1, 4.2, 1.3], [5.1, 8.2, 1.3], [-0.65, 1.2, 1.8]]),
            "out of affine_forward for x of shape (3, 2), w (2, 3)",
            hint="Row i is x[i] @ w + b; the bias b is added to every row.")
### BEGIN HIDDEN TESTS
from grading import backprop as hidden; hidden.check_affine_forward(affine_forward)
### END HIDDEN TESTS
passed("affine_forward")

# %% [markdown]
# For the backward pass, write $x$ for the flattened $(N, D)$ input. Entry $(n, m)$ of the output
# is $\sum_d x_{nd} W_{dm} + b_m$. Each $W_{dm}$ is used by every example $n$ (a branch: the
# gradients add up), multiplied by $x_{nd}$ (a product: the other input). The same reasoning for
# each input gives three matrix products:
#
# $$\frac{\partial L}{\partial x} = \text{dout}\; W^\top \;\; (N, D), \qquad
#   \frac{\partial L}{\partial W} = x^\top\, \text{dout} \;\; (D, M), \qquad
#   \frac{\partial L}{\partial b} = \sum_{n} \text{dout}_{n,:} \;\; (M,)$$
#
# A shortcut for remembering these: each gradient has the shape of what it is the gradient of,
# and there is only one way to multiply the available matrices to get that shape. $dx$ must be
# reshaped back to the shape $x$ arrived in.
#
# **Your turn.** `affine_backward(dout, cache)`.

# %% answer="affine_backward"
def affine_backward(dout, cache):
    """Backward pass of an affine layer.

    Inputs:
    - dout: (N, M) float upstream gradient, dL/dout, in any memory layout
    - cache: what affine_forward returned as its cache (not modified: a gradient check calls
      the backward pass again with the same cache)
    Returns (dx, dw, db), new float arrays (float32 when x, w, b and dout are float32):
    - dx: dL/dx, of x's original shape (N, d_1, ..., d_k)
    - dw: (D, M) dL/dw
    - db: (M,) dL/db
    """
    ### BEGIN SOLUTION
    x, w, b = cache
    x_flat = x.reshape(x.shape[0], -1)
    dx = (dout @ w.T).reshape(x.shape)
    dw = x_flat.T @ dout
    db = dout.sum(axis=0)
    return dx, dw, db
    ### END SOLUTION


# %% test="affine_backward" points=3
rng = np.random.default_rng(0)
x, w, b = rng.standard_normal((4, 2, 3)), rng.standard_normal((6, 5)), rng.standard_normal(5)
check_backward(affine_forward, affine_backward, {"x": x, "w": w, "b": b}, rng=rng)
x = np.array([[1.0, 2.0], [3.0, 4.0], [-1.0, 0.5]])
w = np.array([[1.0, 0.0, -1.0], [0.5, 2.0, 1.0]])
dout = np.array([[1.0, 0.0, 2.0], [0.0, 1.0, -1.0], [0.5, 0.5, 0.5]])
_, cache = affine_forward(x, w, np.zeros(3))
dx, dw, db = call_unmutated(affine_backward, dout, cache)
check_close(dx, np.array([[-1.0, 2.5], [1.0, 1.0], [0.0, 1.75]]), "dx of affine_backward",
            hint="dx has x's shape (N, D): which product of dout (N, M) and w (D, M) has it?")
check_close(dw, np.array([[0.5, 2.5, -1.5], [2.25, 4.25, 0.25]]), "dw of affine_backward",
            batch_size=3, hint="dw has w's shape (D, M): which product of x (N, D) and dout (N, M) "
                               "has it? The order matters.")
check_close(db, np.array([1.5, 1.5, 1.5]), "db of affine_backward", batch_size=3,
            hint="b is added to every row, so its gradient is the sum of dout over the rows "
                 "(the batch), not the mean.")
### BEGIN HIDDEN TESTS
from grading import backprop as hidden; hidden.check_affine_backward(affine_forward, affine_backward)
### END HIDDEN TESTS
passed("affine_backward")

# %% [markdown]
# ### ReLU
#
# $\operatorname{ReLU}(x) = \max(0, x)$, element-wise. Its derivative is 1 where $x > 0$ and 0
# where $x < 0$; at exactly $x = 0$ we take 0 (the usual convention). So the backward pass lets the
# upstream gradient through where the input was positive and blocks it elsewhere: a gate. The
# forward pass must not modify `x` (no `x[x < 0] = 0`: the caller may still need `x`).
#
# **Your turn.** `relu_forward(x)` and, in the next cell, `relu_backward(dout, cache)`.

# %% answer="relu_forward"
def relu_forward(x):
    """Forward pass of a ReLU layer.

    Input: x, an int or float array of any shape and memory layout.
    Returns (out, cache): out = max(0, x) element-wise, a new array of x's shape and dtype (float32
    stays float32; an int x may give ints or floats); cache, what relu_backward needs (e.g. x).
    """
    ### BEGIN SOLUTION
    return np.maximum(x, 0), x
    ### END SOLUTION


# %% test="relu_forward" points=1
x = np.array([[-2.0, -0.5, 0.0], [0.5, 3.0, -1e-9]])
result = call_unmutated(relu_forward, x)
check_true(isinstance(result, tuple) and len(result) == 2,
           "relu_forward should return a pair (out, cache).")
check_close(result[0], np.array([[0.0, 0.0, 0.0], [0.5, 3.0, 0.0]]), "out of relu_forward",
            hint="Element-wise max(0, x): numpy's element-wise maximum, not np.max (which takes "
                 "the largest entry along an axis).")
### BEGIN HIDDEN TESTS
from grading import backprop as hidden; hidden.check_relu_forward(relu_forward)
### END HIDDEN TESTS
passed("relu_forward")

# %% answer="relu_backward"
def relu_backward(dout, cache):
    """Backward pass of a ReLU layer.

    Inputs:
    - dout: float upstream gradient, of the shape of the layer's input, in any memory layout
    - cache: what relu_forward returned as its cache (not modified)
    Returns: dx, a new array of the input's shape and of dout's dtype: dout where the input was
    > 0, else 0.
    """
    ### BEGIN SOLUTION
    x = cache
    return dout * (x > 0)
    ### END SOLUTION


# %% test="relu_backward" points=2
rng = np.random.default_rng(1)
x = rng.standard_normal((3, 4, 2))
x[np.abs(x) < 0.01] = 0.5  # away from the kink at 0, where numerical gradients are unreliable
check_backward(relu_forward, relu_backward, {"x": x}, rng=rng)
x = np.array([[-2.0, 0.0, 1.0], [3.0, -0.5, 0.0]])
dout = np.array([[10.0, 20.0, 30.0], [40.0, 50.0, 60.0]])
_, cache = relu_forward(x)
check_close(call_unmutated(relu_backward, dout, cache), np.array([[0.0, 0.0, 30.0], [40.0, 0.0, 0.0]]),
            "dx of relu_backward",
            hint="dx equals dout where the input was positive and 0 elsewhere, including where it "
                 "was exactly 0: a 0/1 mask of the positive inputs, not x or the output itself.")
### BEGIN HIDDEN TESTS
from grading import backprop as hidden; hidden.check_relu_backward(relu_forward, relu_backward)
### END HIDDEN TESTS
passed("relu_backward")

# %% [markdown]
# ### Sigmoid
#
# The sigmoid $\sigma(x) = 1/(1+e^{-x})$ squashes any number into $(0, 1)$. As in notebook 02,
# compute it without overflow: for $x = -1000$, `np.exp(-x)` is `inf` and numpy writes a warning
# (the tests try $x = \pm 1000$). One stable form uses $z = e^{-|x|} \le 1$:
# $\sigma(x) = 1/(1+z)$ for $x \ge 0$ and $z/(1+z)$ for $x < 0$.
#
# The backward pass uses the derivative from section 1, $\sigma'(x) = \sigma(x)(1-\sigma(x))$.
# It is written with the *output* $\sigma(x)$, so caching the output is enough.
#
# **Your turn.** `sigmoid_forward(x)` and `sigmoid_backward(dout, cache)`.

# %% answer="sigmoid_forward"
def sigmoid_forward(x):
    """Forward pass of a sigmoid layer.

    Input: x, an int or float array of any shape and memory layout (must not overflow, even for
    |x| = 1000).
    Returns (out, cache): out = 1 / (1 + exp(-x)) element-wise, a new float array of x's shape
    (float32 stays float32); cache, what sigmoid_backward needs (e.g. out).
    """
    ### BEGIN SOLUTION
    z = np.exp(-np.abs(x))
    out = np.where(x >= 0, 1 / (1 + z), z / (1 + z))
    return out, out
    ### END SOLUTION


# %% test="sigmoid_forward" points=1
x = np.array([[-3.0, -1.0, 0.0], [0.5, 2.0, 40.0]])
result = call_unmutated(sigmoid_forward, x)
check_true(isinstance(result, tuple) and len(result) == 2,
           "sigmoid_forward should return a pair (out, cache).")
check_close(result[0], np.array([[0.04742587, 0.26894142, 0.5], [0.62245933, 0.88079708, 1.0]]),
            "out of sigmoid_forward", rtol=1e-7,
            hint="sigma(x) = 1 / (1 + exp(-x)): sigma(0) = 0.5, and large x gives values near 1.")
### BEGIN HIDDEN TESTS
from grading import backprop as hidden; hidden.check_sigmoid_forward(sigmoid_forward)
### END HIDDEN TESTS
passed("sigmoid_forward")

# %% answer="sigmoid_backward"
def sigmoid_backward(dout, cache):
    """Backward pass of a sigmoid layer.

    Inputs:
    - dout: float upstream gradient, of the shape of the layer's input, in any memory layout
    - cache: what sigmoid_forward returned as its cache (not modified)
    Returns: dx, the gradient with respect to the layer's input, a new float array of the
    input's shape (float32 when x and dout are float32).
    """
    ### BEGIN SOLUTION
    out = cache
    return dout * out * (1 - out)
    ### END SOLUTION


# %% test="sigmoid_backward" points=2
rng = np.random.default_rng(2)
check_backward(sigmoid_forward, sigmoid_backward, {"x": rng.standard_normal((5, 3))}, rng=rng)
x = np.array([-1.0, 0.0, 2.0])
_, cache = sigmoid_forward(x)
check_close(call_unmutated(sigmoid_backward, np.array([1.0, 2.0, -3.0]), cache),
            np.array([0.19661193, 0.5, -0.31498076]), "dx of sigmoid_backward", rtol=1e-7,
            hint="The local derivative is sigma'(x), written with the cached output (notebook 02): "
                 "at x = 0 it is 0.25, so dx = dout / 4.")
### BEGIN HIDDEN TESTS
from grading import backprop as hidden; hidden.check_sigmoid_backward(sigmoid_forward, sigmoid_backward)
### END HIDDEN TESTS
passed("sigmoid_backward")

# %% [markdown]
# ## 3. A two-layer network, forward and backward
#
# Now compose the layers. For inputs $X$ of shape $(N, D)$ and targets $Y$ of shape $(N, C)$:
#
# $$H = \operatorname{ReLU}(X W_1 + b_1) \;\; (N, H_{\text{hidden}}), \qquad
#   S = H W_2 + b_2 \;\; (N, C), \qquad
#   L = \frac{1}{NC} \sum_{n, c} (S_{nc} - Y_{nc})^2 .$$
#
# The loss is the **mean squared error over all $N \times C$ entries**, with no factor $\tfrac12$,
# as in notebook 03. Its gradient with respect to the scores is
# $\frac{\partial L}{\partial S} = \frac{2}{NC}(S - Y)$, and that is the `dout` you feed into the
# last layer's backward pass. Then go back through the layers in reverse order, each backward
# taking the gradient the next one returned, exactly as in the graph of section 1.
#
# **Your turn.** `two_layer_loss(X, y, params)`, using your own layer functions.

# %% answer="two_layer_loss"
def two_layer_loss(X, y, params):
    """Loss and gradients of Linear -> ReLU -> Linear with a mean-squared-error loss.

    Inputs:
    - X: (N, D) float inputs, in any memory layout
    - y: (N, C) float targets
    - params: dict with "W1" (D, H), "b1" (H,), "W2" (H, C), "b2" (C,); not modified
    Returns (loss, grads), those of this call only (the same arguments give the same results):
    - loss: a Python float, the mean squared error over all N * C entries (no factor 1/2)
    - grads: a new dict with the same keys as params, each gradient a float array of params'
      shape (float32 when X, y and params are float32)
    """
    ### BEGIN SOLUTION
    hidden_in, cache_1 = affine_forward(X, params["W1"], params["b1"])
    hidden_out, cache_relu = relu_forward(hidden_in)
    scores, cache_2 = affine_forward(hidden_out, params["W2"], params["b2"])
    loss = float(np.mean((scores - y) ** 2))

    dscores = 2 * (scores - y) / scores.size
    dhidden_out, dW2, db2 = affine_backward(dscores, cache_2)
    dhidden_in = relu_backward(dhidden_out, cache_relu)
    _, dW1, db1 = affine_backward(dhidden_in, cache_1)
    return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
    ### END SOLUTION


# %% test="two_layer_loss" points=3
X = np.array([[1.0, -1.0], [0.5, 2.0], [-1.5, 0.5]])
y = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
params = {"W1": np.array([[1.0, -0.5, 0.2], [0.3, 0.8, -1.0]]), "b1": np.array([0.1, 0.0, -0.2]),
          "W2": np.array([[0.5, -1.0], [1.5, 0.2], [-0.7, 0.4]]), "b2": np.array([0.05, -0.1])}
loss, grads = call_unmutated(two_layer_loss, X, y, params)
check_close(loss, 2.40775833, "loss of two_layer_loss",
            hint="The loss is the mean of the squared differences over all N * C entries, with no "
                 "factor 1/2.")
check_true(isinstance(grads, dict) and sorted(grads) == ["W1", "W2", "b1", "b2"],
           'grads should be a dict with the keys "W1", "b1", "W2", "b2".')
check_close(grads["b2"], np.array([0.73333333, -1.13333333]), 'grads["b2"]', batch_size=3,
            hint="The gradient of the loss with respect to the scores, 2 (S - Y) / (N C), is the "
                 "dout of the last layer; db2 sums it over the batch.")
check_close(grads["W2"], np.array([[0.73666667, -0.94533333], [1.50083333, -1.247],
                                  [-0.41666667, -0.16666667]]), 'grads["W2"]',
            batch_size=3, hint="dW2 comes from the last layer's backward pass, whose cache holds "
                               "the hidden activations (after the ReLU).")
check_close(grads["W1"], np.array([[0.51958333, 0.10683333, 0.225],
                                  [2.28666667, 2.56908333, -0.225]]), 'grads["W1"]',
            batch_size=3, hint="Go back through the second affine layer, then the ReLU (the gate "
                               "blocks units whose input was <= 0), then the first affine layer.")
check_close(grads["b1"], np.array([1.08083333, 1.53166667, 0.225]), 'grads["b1"]', batch_size=3)
### BEGIN HIDDEN TESTS
from grading import backprop as hidden; hidden.check_two_layer_loss(two_layer_loss)
### END HIDDEN TESTS
passed("two_layer_loss")

# %% [markdown]
# ## 4. Training on XOR
#
# In notebook 01 no single perceptron could compute XOR. A two-layer network can, and now it can
# *learn* how by itself: gradient descent (notebook 04) on the gradients your `two_layer_loss`
# returns. The data are noisy points around the four corners of the unit square, with target 1
# where exactly one coordinate is near 1. The network predicts class 1 where its score is above
# 0.5.
#
# The weights start small and random: $\mathcal{N}(0, 0.01^2)$, biases 0. Random, because if all
# hidden units started equal they would get equal gradients and stay equal forever. Small, to
# watch what gradient descent does from near the origin of weight space.

# %%
X_xor, y_xor = make_xor(200, np.random.default_rng(0), noise=0.15)
targets = y_xor[:, None].astype(float)          # (N, 1): one score per point
n_steps = 300 if quick() else 3000              # a short run while the notebook is graded


def train_xor(weight_scale, n_steps, n_hidden=16, learning_rate=0.1, seed=1):
    """Gradient descent with two_layer_loss on XOR from N(0, weight_scale^2) weights.

    Returns the trained params and the loss before each step, an (n_steps,) array."""
    rng = np.random.default_rng(seed)
    params = {"W1": weight_scale * rng.standard_normal((2, n_hidden)), "b1": np.zeros(n_hidden),
              "W2": weight_scale * rng.standard_normal((n_hidden, 1)), "b2": np.zeros(1)}
    losses = []
    for step in range(n_steps):
        loss, grads = two_layer_loss(X_xor, targets, params)
        params = {name: params[name] - learning_rate * grads[name] for name in params}
        losses.append(loss)
    return params, np.array(losses)


params, losses = train_xor(weight_scale=0.01, n_steps=n_steps)


def predict(points):
    """Class 0 or 1 for each row of points (M, 2), from the trained params."""
    hidden_out, _ = relu_forward(affine_forward(points, params["W1"], params["b1"])[0])
    scores, _ = affine_forward(hidden_out, params["W2"], params["b2"])
    return (scores[:, 0] > 0.5).astype(int)


accuracy = np.mean(predict(X_xor) == y_xor)
fig, (ax_loss, ax_boundary) = plt.subplots(1, 2, figsize=(11, 4))
plot_curves({"training loss": losses}, ax=ax_loss, logy=True, xlabel="gradient step",
            ylabel="mean squared error", title=f"two-layer net on XOR, {n_steps} steps")
plot_decision_boundary(predict, X_xor, y_xor, ax=ax_boundary,
                       title=f"learned decision regions, accuracy {accuracy:.1%}")
ax_loss.axhline(targets.var(), color="k", linestyle=":", linewidth=1)
plt.tight_layout()
plt.show()
on_plateau = np.flatnonzero(np.abs(losses - targets.var()) < 0.01)
print(f"loss at step 1: {losses[0]:.3f}; loss of always predicting the mean target (the variance "
      f"of the targets, dotted): {targets.var():.3f}")
print(f"steps within 0.01 of it: {on_plateau.size}, from step {on_plateau[0] + 1} to "
      f"{on_plateau[-1] + 1}; final loss {losses[-1]:.3f}, accuracy {accuracy:.1%}")
if not quick():
    assert on_plateau[0] < 20 and on_plateau.size >= 100
    assert np.all(np.abs(losses[on_plateau[0]:on_plateau[-1]] - targets.var()) < 0.01)
    assert losses[-1] < 0.1 * targets.var() and accuracy >= 0.98

# %% [markdown]
# The loss falls in steps. In the first few steps it drops to the variance of the targets: the
# output bias learns the average target, about 0.5, the best a network can do that ignores its
# input. Then it sits on that **plateau** for well over a hundred steps. Near the origin of weight
# space every gradient is tiny: the gradient of $W_1$ is proportional to $W_2$ and the gradient of
# $W_2$ to the hidden activations, which are both small, so the weights grow only slowly, each
# helping the other. Once they have grown, the loss drops again and the hidden units find the
# lines that carve the plane into XOR's regions: the lines you built by hand from your gates in
# notebook 01, found here by gradient descent.
#
# The plateau comes from the small start. The same training from weights ten times larger
# (standard deviation 0.1) spends several times fewer steps near the variance:

# %%
_, losses_larger_start = train_xor(weight_scale=0.1, n_steps=min(n_steps, 1000))
plateau_steps = {scale: int(np.sum(np.abs(curve[:300] - targets.var()) < 0.01))
                 for scale, curve in ((0.01, losses), (0.1, losses_larger_start))}
plot_curves({f"weights N(0, {scale}²)": curve for scale, curve in
             ((0.01, losses[:len(losses_larger_start)]), (0.1, losses_larger_start))},
            logy=True, xlabel="gradient step", ylabel="mean squared error",
            title="the plateau depends on the starting weights")
plt.show()
print("steps within 0.01 of the variance, among the first 300:",
      ", ".join(f"{steps} from N(0, {scale}²)" for scale, steps in plateau_steps.items()))
if not quick():
    assert plateau_steps[0.1] * 3 <= plateau_steps[0.01]

# %% [markdown]
# ## 5. How far can one hidden layer go? The universal approximation theorem
#
# XOR needed a hidden layer. Does approximating a function ever need more than one? In theory,
# for continuous functions on a bounded region, no:
#
# > **Theorem** (Cybenko, 1989; Hornik, 1991). Let $\sigma$ be continuous, bounded and not constant
# > (for example the sigmoid or tanh). For every continuous function $f$ on a compact (closed and
# > bounded) set $K \subset \mathbb{R}^d$ and every $\varepsilon > 0$, there are a width $N$ and
# > parameters $\mathbf{w}_j \in \mathbb{R}^d$, $b_j, c_j \in \mathbb{R}$ such that
# > $G(\mathbf{x}) = \sum_{j=1}^{N} c_j\, \sigma(\mathbf{w}_j \cdot \mathbf{x} + b_j)$ satisfies
# > $|G(\mathbf{x}) - f(\mathbf{x})| < \varepsilon$ for every $\mathbf{x} \in K$.
#
# Cybenko proved it for continuous sigmoidal $\sigma$ (tending to 0 at $-\infty$ and 1 at
# $+\infty$), Hornik for any continuous, bounded, non-constant one. Leshno, Lin, Pinkus and
# Schocken (1993) showed that, among locally bounded, piecewise continuous activations, it holds
# exactly for those that are not polynomials, which includes the unbounded ReLU. $G$ is the
# network Linear → activation → Linear of section 3 (an output bias adds nothing: a constant is
# already such a sum). So one hidden layer, wide enough, comes uniformly as close as you like to
# any continuous function on a bounded region.
#
# What the theorem does **not** say:
#
# - **how wide**: it gives no bound on $N$. There are functions of $d$ inputs that a network with
#   two hidden layers computes with a number of units polynomial in $d$, but that one hidden layer
#   approximates well only with a number of units exponential in $d$ (Eldan and Shamir, 2016);
# - **how to find the weights**: it only says they exist. Whether gradient descent finds them is
#   another question, tried below;
# - **anything outside $K$**, nor anything about data: a network that matches $f$ on $K$ may do
#   anything elsewhere, and fitting a finite training set says nothing by itself about the points
#   between them (generalisation, notebook 09).
#
# ### Seeing it: piecewise-linear functions are ReLU networks
#
# With one input and ReLU the theorem has a short, constructive proof. Pick knots
# $t_0 < t_1 < \dots < t_N$ on $K = [t_0, t_N]$ and join the points $(t_k, f(t_k))$ by straight
# segments. This *piecewise-linear interpolant* equals $f$ at every knot, and because $f$ is
# continuous on a closed interval (hence uniformly continuous), its largest error on $K$ goes to 0
# as the spacing of the knots goes to 0. (For $f$ twice differentiable and equal spacings $h$ the
# error is at most $\max|f''|\,h^2/8$: doubling $N$ divides it by 4.) The last step of the proof
# is yours: every such function is exactly a one-hidden-layer ReLU network with $N$ hidden units.
#
# **Derive the weights.** Use the parameter layout of `two_layer_loss` with one input and one
# output: hidden unit $j$ ($j = 0, \dots, N-1$) computes $\operatorname{ReLU}(W_1[0, j]\,x + b_1[j])$,
# and the output is $b_2 + \sum_j W_2[j, 0]\, \operatorname{ReLU}(\dots)$. Let unit $j$ switch on at
# knot $t_j$, as a ramp of slope 1: $\operatorname{ReLU}(x - t_j)$. Call $c_j = W_2[j, 0]$ and
# $m_k = \frac{f(t_{k+1}) - f(t_k)}{t_{k+1} - t_k}$ the slope of segment $k$.
#
# 1. At $x = t_0$ every unit is off. What must $b_2$ be?
# 2. On segment $k$, between $t_k$ and $t_{k+1}$, units $0, \dots, k$ are on. What is the slope of
#    the output there, in terms of the $c_j$? Setting it equal to $m_k$ for every $k$ gives $N$
#    equations: solve them for $c_0$, then each next $c_k$.
#
# Check on paper with knots $(0, 1, 2)$ and values $(0, 1, 0)$, a tent: the output weights are
# $1$ and $-2$.
#
# **Your turn.** `relu_interpolant(knots, values)` returns these parameters (`np.diff` gives the
# differences of neighbouring entries of an array).

# %% answer="relu_interpolant"
def relu_interpolant(knots, values):
    """A one-hidden-layer ReLU network equal to the piecewise-linear interpolant of (knots, values).

    Inputs:
    - knots: N + 1 increasing numbers t_0 < ... < t_N, an int or float array (any memory layout)
      or a Python list
    - values: N + 1 numbers, the function's values at the knots, likewise
    Returns params, a dict in the layout of two_layer_loss for one input and one output, with N
    hidden units: "W1" (1, N), "b1" (N,), "W2" (N, 1), "b2" (1,), float arrays. For every x in
    [t_0, t_N], b2 + relu(x * W1 + b1) @ W2 equals the interpolant, np.interp(x, knots, values).
    knots and values are not modified.
    """
    ### BEGIN SOLUTION
    knots, values = np.asarray(knots, dtype=float), np.asarray(values, dtype=float)
    slopes = np.diff(values) / np.diff(knots)            # m_k, one per segment
    slope_changes = np.diff(slopes, prepend=0.0)         # c_k = m_k - m_{k-1}, with m_{-1} = 0
    return {"W1": np.ones((1, len(slopes))), "b1": -knots[:-1],
            "W2": slope_changes[:, None], "b2": values[:1].copy()}
    ### END SOLUTION


# %% test="relu_interpolant" points=3
knots, values = np.array([0.0, 1.0, 2.0, 4.0]), np.array([1.0, 3.0, 2.0, 2.0])
params = call_unmutated(relu_interpolant, knots, values)
check_true(isinstance(params, dict) and sorted(params) == ["W1", "W2", "b1", "b2"],
           'relu_interpolant should return a dict with the keys "W1", "b1", "W2", "b2".')
for name, shape in (("W1", (1, 3)), ("b1", (3,)), ("W2", (3, 1)), ("b2", (1,))):
    check_true(np.shape(params[name]) == shape,
               f'params["{name}"] should have shape {shape} for 4 knots, but has shape '
               f"{np.shape(params[name])}. 4 knots make 3 segments: 3 hidden units, one per "
               "segment (not one per knot).")
x = np.array([0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0])
out = (np.maximum(x[:, None] @ params["W1"] + params["b1"], 0) @ params["W2"] + params["b2"])[:, 0]
check_true(np.isclose(out[0], 1.0),
           f"The network's output at x = t_0 = 0 is {out[0]:.6g}, but the interpolant is 1 there "
           "(the first value). At x = t_0 every hidden unit should be off (a ramp that starts at "
           "its knot t_j >= t_0), so the output is b2 alone: check b2, and where each unit "
           "switches on.")
check_close(out, np.array([1.0, 2.0, 3.0, 2.5, 2.0, 2.0, 2.0]),
            "the network's output at x = 0, 0.5, 1, 1.5, 2, 3, 4 (the interpolant of (0, 1), "
            "(1, 3), (2, 2), (4, 2))",
            hint="Unit j should be a ramp of slope 1 that starts at knot t_j. On segment k units "
                 "0..k are on, so the output's slope there is the sum of their output weights, "
                 "and it must equal the segment's slope m_k.")
### BEGIN HIDDEN TESTS
from grading import backprop as hidden; hidden.check_relu_interpolant(relu_interpolant)
### END HIDDEN TESTS
passed("relu_interpolant")

# %% [markdown]
# Now the theorem at work on $f(x) = \sin(3x) + \tfrac12 \cos(7x)$ over $K = [-2, 2]$: your
# networks with equally spaced knots, of growing width, and the largest error on $K$ (measured on
# 2001 points) against the width.

# %%
def target(x):
    """The function to approximate."""
    return np.sin(3 * x) + 0.5 * np.cos(7 * x)


def relu_network(x, params):
    """Output (M,) of the one-hidden-layer network `params` at the points x (M,), with your layers."""
    hidden_out, _ = relu_forward(affine_forward(x[:, None], params["W1"], params["b1"])[0])
    return affine_forward(hidden_out, params["W2"], params["b2"])[0][:, 0]


interval = (-2.0, 2.0)
x_dense = np.linspace(*interval, 2001)
widths = [2, 4, 8, 16, 32, 64, 128]
constructed = {}
for width in widths:
    knots = np.linspace(*interval, width + 1)
    constructed[width] = relu_interpolant(knots, target(knots))
constructed_error = {width: np.max(np.abs(relu_network(x_dense, params) - target(x_dense)))
                     for width, params in constructed.items()}

fig, (ax_fits, ax_error) = plt.subplots(1, 2, figsize=(13, 4.2))
ax_fits.plot(x_dense, target(x_dense), "k", linewidth=3, alpha=0.3, label="f")
for width in (4, 8, 16, 32):
    ax_fits.plot(x_dense, relu_network(x_dense, constructed[width]), label=f"{width} units")
ax_fits.set(xlabel="x", title="one hidden layer of growing width")
ax_fits.legend(fontsize="small")
ax_error.loglog(widths, list(constructed_error.values()), "o-", label="constructed (yours)")
ax_error.loglog(widths, [constructed_error[16] * (16 / w) ** 2 for w in widths], "k:",
                label="slope -2 (error ~ 1/N²)")
ax_error.set(xlabel="hidden units N", ylabel="largest error on [-2, 2]",
             title="error against width")
ax_error.grid(alpha=0.3, which="both")
ax_error.legend()
plt.tight_layout()
plt.show()
for width in widths:
    print(f"{width:4d} hidden units: largest error {constructed_error[width]:.2e}")
errors_list = [constructed_error[width] for width in widths]
if not quick():
    assert constructed_error[2] > 1.5 and constructed_error[4] > 1.5
    assert all(later < earlier for earlier, later in zip(errors_list[2:], errors_list[3:]))
    assert all(3.5 < constructed_error[w] / constructed_error[2 * w] < 4.5 for w in (16, 32, 64))
    assert constructed_error[128] < 0.01

# %% [markdown]
# From about 16 units on, each doubling of the width divides the error by about 4, as the
# $h^2/8$ bound says. (With 2 or 4 units the knots miss most of the wiggles and the error stays
# above 1.5.) Any accuracy is reachable: that is the theorem.
#
# ### What the theorem does not promise
#
# **Training.** The same architecture, trained with gradient descent on your `two_layer_loss`
# from a random start (each unit a ramp of slope $\pm 1$ with its kink somewhere in $K$, output
# weights 0), on 200 points of $f$ in $K$:

# %%
x_train = np.linspace(*interval, 200)[:, None]
y_train = target(x_train)
train_steps = 500 if quick() else 10000


def train_one_hidden_layer(width, steps, seed=0):
    """Gradient descent on the mean squared error of a random one-hidden-layer ReLU network."""
    rng = np.random.default_rng(seed)
    slopes = rng.choice([-1.0, 1.0], size=(1, width))
    params = {"W1": slopes, "b1": -slopes[0] * rng.uniform(*interval, size=width),
              "W2": np.zeros((width, 1)), "b2": np.zeros(1)}
    learning_rate = min(0.1, 1.0 / width)   # the largest steps that do not diverge, roughly
    for _ in range(steps):
        _, grads = two_layer_loss(x_train, y_train, params)
        params = {name: params[name] - learning_rate * grads[name] for name in params}
    return params


trained = {width: train_one_hidden_layer(width, train_steps) for width in widths}
trained_error = {width: np.max(np.abs(relu_network(x_dense, params) - target(x_dense)))
                 for width, params in trained.items()}
fig, (ax_fit, ax_error) = plt.subplots(1, 2, figsize=(13, 4.2))
ax_fit.plot(x_dense, target(x_dense), "k", linewidth=3, alpha=0.3, label="f")
ax_fit.plot(x_dense, relu_network(x_dense, constructed[32]), label="32 units, constructed")
ax_fit.plot(x_dense, relu_network(x_dense, trained[32]), label="32 units, trained")
ax_fit.set(xlabel="x", title=f"same width, {train_steps} steps of gradient descent")
ax_fit.legend(fontsize="small")
ax_error.loglog(widths, list(constructed_error.values()), "o-", label="constructed")
ax_error.loglog(widths, list(trained_error.values()), "s-", label="trained by gradient descent")
ax_error.set(xlabel="hidden units N", ylabel="largest error on [-2, 2]", title="error against width")
ax_error.grid(alpha=0.3, which="both")
ax_error.legend()
plt.tight_layout()
plt.show()
for width in widths:
    print(f"{width:4d} hidden units: largest error {constructed_error[width]:.2e} constructed, "
          f"{trained_error[width]:.2e} trained")
if not quick():
    assert all(trained_error[w] < 1.1 * constructed_error[w] for w in (2, 4, 8))
    assert all(trained_error[w] > 3 * constructed_error[w] for w in (32, 64, 128))
    assert all(0.3 < trained_error[w] < 0.5 for w in (32, 64, 128))
    assert 50 < trained_error[128] / constructed_error[128] < 200

# %% [markdown]
# With a few units, training does as well as equally spaced knots or better: it can put its few
# kinks where $f$ bends most. But from 32 units on, the trained networks stall at a largest error
# of about 0.4, however wide,
# while the constructed ones keep dividing theirs by 4 at each doubling: at 128 units the trained
# network is about a hundred times further from $f$. The good weights exist (you wrote them down);
# 10000 steps of plain gradient descent from a random start do not find them. Better optimisers
# come in notebook 08, but no theorem promises that training reaches the best network of a given
# width.
#
# **Outside $K$.** The theorem is about $K$ only. Beyond $[-2, 2]$ your networks continue in
# straight lines while $f$ keeps oscillating:

# %%
x_outside = np.concatenate([np.linspace(-3, -2, 201), np.linspace(2, 3, 201)])
outside_error = np.max(np.abs(relu_network(x_outside, constructed[128]) - target(x_outside)))
x_wide = np.linspace(-3, 3, 1201)
plt.figure(figsize=(7, 3.5))
plt.plot(x_wide, target(x_wide), "k", linewidth=3, alpha=0.3, label="f")
plt.plot(x_wide, relu_network(x_wide, constructed[128]), label="128 units, constructed on [-2, 2]")
plt.axvspan(*interval, color="C2", alpha=0.08, label="K")
plt.legend(fontsize="small")
plt.title("no promise outside K")
plt.show()
print(f"128 units: largest error {constructed_error[128]:.1e} on [-2, 2], {outside_error:.2f} on "
      "[-3, -2] and [2, 3]")
if not quick():
    assert outside_error > 100 * constructed_error[128]

# %% [markdown]
# ## 6. Checking the gradients
#
# Every backward pass in this notebook was tested against numerical gradients (notebook 04) with
# `dlcourse.testing.check_backward`: it runs a layer forward, picks a random upstream gradient
# `dout`, and compares your backward pass with central differences of `sum(out * dout)`. It
# raises with an explanation when they disagree and returns quietly when they agree. You can use
# it on any layer you write:

# %%
rng = np.random.default_rng(3)
x_check = rng.standard_normal((4, 5))
check_backward(affine_forward, affine_backward,
               {"x": x_check, "w": rng.standard_normal((5, 3)), "b": rng.standard_normal(3)}, rng=rng)
check_backward(relu_forward, relu_backward, {"x": x_check}, rng=rng)
check_backward(sigmoid_forward, sigmoid_backward, {"x": x_check}, rng=rng)
print("affine, ReLU and sigmoid: analytic and numerical gradients agree.")

# %% [markdown]
# ### Optional: the same gradients from PyTorch
#
# Frameworks such as PyTorch build the computation graph as you compute and run the backward
# pass for you ("autograd"). If PyTorch is installed, this cell computes the same loss with it and
# compares its gradients with yours. The course does not need PyTorch; without it the cell says
# so and moves on.

# %%
try:
    import torch
except ImportError:
    torch = None
    print("PyTorch is not installed, so the comparison with autograd is skipped (nothing else "
          "needs it).")

if torch is not None:
    rng = np.random.default_rng(4)
    X_small, y_small = rng.standard_normal((6, 3)), rng.standard_normal((6, 2))
    params_small = {"W1": rng.standard_normal((3, 4)), "b1": rng.standard_normal(4),
                    "W2": rng.standard_normal((4, 2)), "b2": rng.standard_normal(2)}
    loss, grads = two_layer_loss(X_small, y_small, params_small)
    tensors = {name: torch.tensor(value, requires_grad=True) for name, value in params_small.items()}
    hidden_torch = torch.relu(torch.tensor(X_small) @ tensors["W1"] + tensors["b1"])
    scores_torch = hidden_torch @ tensors["W2"] + tensors["b2"]
    loss_torch = torch.mean((scores_torch - torch.tensor(y_small)) ** 2)
    loss_torch.backward()
    print(f"loss: yours {loss:.10f}, PyTorch {loss_torch.item():.10f}")
    for name, tensor in tensors.items():
        difference = np.max(np.abs(grads[name] - tensor.grad.numpy()))
        print(f"d{name}: largest difference from PyTorch's autograd {difference:.1e}")

# %% [markdown]
# ## Summary
#
# - A computation is a graph of small operations. The backward pass visits it in reverse and
#   multiplies the upstream gradient by each node's local derivative (the chain rule).
# - Sums pass gradients through, products swap their inputs, and a value used several times
#   (a bias for every example) adds up its gradients.
# - A layer is `forward(...) -> (out, cache)` and `backward(dout, cache) -> grads`; every gradient
#   has the shape of what it is the gradient of.
# - Composing layers gives a network's gradients for the price of about one extra pass, and
#   gradient descent on them learns XOR. Numerical gradients check it all.
# - One hidden layer can approximate any continuous function on a bounded region as closely as
#   you like (Cybenko 1989, Hornik 1991; ReLU: Leshno et al. 1993), as your piecewise-linear
#   networks showed. The theorem says nothing about how wide, about finding the weights by
#   training, or about inputs outside the region.
