# %% [markdown]
# # 08 · Optimizers
#
# Backpropagation gives the gradient $\nabla L(\mathbf{w})$; an *optimizer* decides what to do
# with it. Plain gradient descent takes a step $-\eta\,\nabla L$ and stops there. It struggles in
# two places that deep networks are full of: **ravines**, where the loss is steep across and flat
# along, and **saddle points**, where the gradient almost vanishes. This notebook builds the
# update rules that fix this, one idea at a time, each from the paper that introduced it:
#
# 1. SGD, then momentum and Nesterov momentum (remember where you were going),
# 2. AdaGrad, RMSProp (give each parameter its own step size) and Adadelta (which does without
#    a learning rate),
# 3. Adam, which does both, with its bias correction, and Nadam (Adam with Nesterov's look-ahead),
# 4. learning-rate schedules (step decay, cosine), and why minibatch noise calls for them,
#
# and then watches every rule on two small landscapes you can see, an ill-conditioned quadratic
# and Rosenbrock's banana, before racing them on MNIST.
#
# Each rule is given by its mathematics, as its paper gives it; turning the equations into numpy
# is your part. Read them carefully: the order of the updates matters.
#
# **How this works.** Cells marked `# YOUR CODE HERE` are yours: replace
# `raise NotImplementedError()` with your code. The test cell after each answer checks it and
# tells you what is wrong; more tests run when your work is graded. Run the cells in order.

# %% locked=true
import matplotlib.pyplot as plt
import numpy as np

from dlcourse.data import load_mnist
from dlcourse.plotting import plot_curves, plot_trajectories
from dlcourse.runtime import quick
from dlcourse.testing import call_unmutated, check_close, check_true, describe, missing_keys, passed
from layers import Linear, ReLU, Sequential, SoftmaxCrossEntropy, accuracy, as_loss_function
from training_loop import train

# %% [markdown]
# ## 1. The update-rule convention
#
# Every rule in this notebook has the signature of CS231n's `optim.py`:
#
# ```python
# next_w, config = rule(w, dw, config)
# ```
#
# - `w` is a parameter array of any shape, `dw` the gradient of the loss with respect to it (same
#   shape), both float64 or both float32 (the parameters of `layers.py` are float32). `next_w`
#   and the state arrays keep the dtype of `w`: a float32 network stays float32;
# - `config` is a dict holding the rule's **hyperparameters** (`learning_rate`, `momentum`...) and
#   its **state** (`velocity`, `cache`, `m`, `v`, `t`...), the memory a rule carries from one step to
#   the next. `config=None` means "all defaults", and missing keys take their defaults too;
# - the rule returns the new parameters and a config holding the **updated state**. The caller
#   passes that config back in at the next step, once per parameter array:
#
# ```python
# config = None
# for step in range(n_steps):
#     dw = gradient(w)
#     w, config = rule(w, dw, config)
# ```
#
# A rule never changes `w`, `dw` or the arrays inside the config it received: it returns new
# arrays (`a = a + b` makes a new array, `a += b` overwrites the old one). The tests check this: a
# rule that modifies its inputs corrupts the caller's copies, and such bugs are miserable to find
# in a training loop.
#
# The first line of each function is given: it builds a **new** dict from the defaults and the
# config passed in (`{**defaults, **config}`), so you can set its entries freely. Write the rest.
# In the maths, $\nabla L$ is `dw`, $\eta$ is `config["learning_rate"]`, and a state such as
# $\mathbf{v}$ is read from the config on the right of an arrow and stored back on its left.
#
# ## 2. Stochastic gradient descent
#
# $$\mathbf{w} \leftarrow \mathbf{w} - \eta\,\nabla L(\mathbf{w})$$
#
# "Stochastic" because `dw` is computed on a minibatch: a noisy but cheap estimate of the full
# gradient (Robbins and Monro, 1951, showed that such noisy steps still converge when $\eta$
# shrinks over time; section 6 comes back to that).

# %% answer="sgd"
def sgd(w, dw, config=None):
    """Stochastic gradient descent, the update of section 2.

    Inputs:
    - w: array of any shape, the parameters
    - dw: array of the same shape, the gradient of the loss with respect to w
    - config: dict (or None) with
      - learning_rate: float, the step size eta (default 1e-2)
    Returns (next_w, config): the new parameters, an array shaped like w, and the config (SGD has
    no state).
    w and dw are float32 or float64: next_w keeps the dtype of w (float32 stays float32).
    """
    config = {"learning_rate": 1e-2, **(config or {})}
    ### BEGIN SOLUTION
    next_w = w - config["learning_rate"] * dw
    return next_w, config
    ### END SOLUTION


# %% test="sgd" points=1
w0 = np.linspace(-0.4, 0.6, num=6).reshape(2, 3)
grads = 0.5 * np.cos(np.arange(18.0)).reshape(3, 2, 3)   # the gradients of three steps
w, config = w0, {"learning_rate": 0.1}
for dw in grads:
    w, config = call_unmutated(sgd, w, dw, config)
check_close(w, np.array([[-0.5402012123, -0.3100825671, 0.02124548261],
                         [0.3330405336, 0.5225187315, 0.5993537727]]),
            "w after 3 calls of sgd (learning_rate=0.1)",
            hint="Each step moves w against the gradient, by the learning rate times it; read "
                 "the learning rate from config (0.1 here), not the default.")
w, config = sgd(w0, grads[0])
check_close(w, np.array([[-0.405, -0.2027015115, 0.002080734183],
                         [0.2049499625, 0.4032682181, 0.5985816891]]),
            "w after one call of sgd with config=None (learning_rate 1e-2)")
### BEGIN HIDDEN TESTS
from grading import optimizers as hidden; hidden.check_sgd(sgd)
### END HIDDEN TESTS
passed("sgd")

# %% [markdown]
# ## 3. Momentum
#
# Picture a ball rolling down the loss surface (Polyak's "heavy ball", 1964). It does not follow
# the gradient at each point; it keeps a **velocity**, which the gradient accelerates and friction
# slows:
#
# $$\mathbf{v} \leftarrow \mu\,\mathbf{v} - \eta\,\nabla L(\mathbf{w}), \qquad
#   \mathbf{w} \leftarrow \mathbf{w} + \mathbf{v}$$
#
# with $\mu$ (`momentum`, typically 0.9) the fraction of the velocity kept from one step to the
# next. Unrolled, $\mathbf{v}$ is a decaying sum of all past gradients,
# $-\eta \sum_k \mu^k \nabla L_{t-k}$. That explains both benefits:
#
# - **Ravines.** Across a ravine the gradient flips sign from one step to the next: those
#   components cancel in the sum and the zig-zag is damped. Along the ravine the gradient is small
#   but always points the same way: those components add up, and the effective step grows up to
#   $\eta / (1 - \mu)$, ten times larger for $\mu = 0.9$.
# - **Saddle points and plateaus.** Where the gradient is nearly zero, SGD nearly stops; the ball
#   keeps the speed it gathered and rolls through, and along a direction of negative curvature its
#   speed keeps growing.
#
# The velocity is the rule's state, `config["velocity"]` (zeros at first). Note the convention:
# the velocity here already includes $-\eta$ (it is a step, not a sum of gradients). PyTorch stores
# the sum of gradients instead; the two give the same $\mathbf{w}$ as long as $\eta$ is constant,
# but not when a schedule changes $\eta$, and the tests check the velocity as defined above.

# %% answer="sgd_momentum"
def sgd_momentum(w, dw, config=None):
    """SGD with momentum (Polyak, 1964), the update of section 3.

    Inputs: w, dw: arrays of one shape (parameters, gradient); config: dict (or None) with
    - learning_rate: float, eta (default 1e-2)
    - momentum: float in [0, 1), mu, the fraction of the velocity kept (default 0.9)
    - velocity: array shaped like w, the velocity v, a step that includes eta (default zeros)
    Returns (next_w, config): the new parameters, shaped like w, and config with "velocity"
    holding the velocity of this step.
    w and dw are float32 or float64: next_w and the state keep the dtype of w.
    """
    config = {"learning_rate": 1e-2, "momentum": 0.9, "velocity": np.zeros_like(w),
              **(config or {})}
    ### BEGIN SOLUTION
    velocity = config["momentum"] * config["velocity"] - config["learning_rate"] * dw
    config["velocity"] = velocity
    return w + velocity, config
    ### END SOLUTION


# %% test="sgd_momentum" points=2
w0 = np.linspace(-0.4, 0.6, num=6).reshape(2, 3)
grads = 0.5 * np.cos(np.arange(18.0)).reshape(3, 2, 3)
w, config = w0, {"learning_rate": 0.1, "momentum": 0.8}
for dw in grads:
    w, config = call_unmutated(sgd_momentum, w, dw, config)
check_true("velocity" in config, "sgd_momentum must return its state: config['velocity'].")
check_close(config["velocity"], np.array([[-0.1125995094, -0.09281810303, 0.01229983921],
                                          [0.106109366, 0.102362431, 0.004503949048]]),
            "config['velocity'] after 3 calls of sgd_momentum (learning_rate=0.1, momentum=0.8)",
            hint="The velocity is a step: it includes the learning rate (eta multiplies the "
                 "gradient inside it), and each step starts from the velocity returned by the "
                 "previous one.")
check_close(w, np.array([[-0.6506080237, -0.3791404233, 0.05702805619],
                         [0.4407652038, 0.6031439334, 0.5787530675]]),
            "w after 3 calls of sgd_momentum (learning_rate=0.1, momentum=0.8)",
            hint="Your velocities are right: w moves by the velocity computed at this step, not "
                 "the one it received.")
w, config = sgd_momentum(w0, grads[0])
check_close(w, np.array([[-0.405, -0.2027015115, 0.002080734183],
                         [0.2049499625, 0.4032682181, 0.5985816891]]),
            "w after one call of sgd_momentum with config=None",
            hint="From a zero velocity the first step is an SGD step.")
### BEGIN HIDDEN TESTS
from grading import optimizers as hidden; hidden.check_sgd_momentum(sgd_momentum)
### END HIDDEN TESTS
passed("sgd_momentum")

# %% [markdown]
# ### Nesterov momentum
#
# The ball knows where its velocity is about to take it: $\mathbf{w} + \mu\mathbf{v}$. Nesterov's
# accelerated gradient (Nesterov, 1983, written as a momentum rule by Sutskever et al., 2013)
# evaluates the gradient *there*, at the look-ahead point, and so corrects course one step earlier
# (it overshoots less at the bottom of a ravine):
#
# $$\mathbf{v}' = \mu\,\mathbf{v} - \eta\,\nabla L(\mathbf{w} + \mu\mathbf{v}), \qquad
#   \mathbf{w}' = \mathbf{w} + \mathbf{v}',$$
#
# where a prime marks a value after the step. A training loop only has the gradient at the
# parameters it holds. So implementations (Sutskever et al., 2013; CS231n) hold the look-ahead
# point $\tilde{\mathbf{w}} = \mathbf{w} + \mu\mathbf{v}$ instead of $\mathbf{w}$: the gradient the
# loop computes, at the parameters it holds, is then exactly the one Nesterov asks for.
#
# **Derive the rule for the look-ahead point.** With $\tilde{\mathbf{w}}' = \mathbf{w}' +
# \mu\mathbf{v}'$ the next look-ahead point, express $\tilde{\mathbf{w}}'$ in terms of
# $\tilde{\mathbf{w}}$, the old velocity $\mathbf{v}$ and the new one $\mathbf{v}'$ only: the rule
# never sees $\mathbf{w}$. Two substitutions do it. Then implement it: `nesterov_momentum`
# receives $\tilde{\mathbf{w}}$ as `w` and the gradient there as `dw`, computes $\mathbf{v}'$ as
# above, and returns $\tilde{\mathbf{w}}'$.
#
# A check of your algebra before you code it: from a zero velocity, the look-ahead point's first
# step is $(1 + \mu)$ times an SGD step.

# %% answer="nesterov_momentum"
def nesterov_momentum(w, dw, config=None):
    """Nesterov momentum (Nesterov, 1983) on the look-ahead point, as derived in section 3.

    Inputs: w, dw: arrays of one shape, the look-ahead point w~ and the gradient of the loss
    there; config: dict (or None) with
    - learning_rate: float, eta (default 1e-2); momentum: float in [0, 1), mu (default 0.9)
    - velocity: array shaped like w, the velocity v (default zeros)
    Returns (next_w, config): the next look-ahead point w~', shaped like w, and config with
    "velocity" holding the new velocity v'.
    w and dw are float32 or float64: next_w and the state keep the dtype of w.
    """
    config = {"learning_rate": 1e-2, "momentum": 0.9, "velocity": np.zeros_like(w),
              **(config or {})}
    ### BEGIN SOLUTION
    momentum, velocity = config["momentum"], config["velocity"]
    new_velocity = momentum * velocity - config["learning_rate"] * dw
    config["velocity"] = new_velocity
    return w - momentum * velocity + (1 + momentum) * new_velocity, config
    ### END SOLUTION


# %% test="nesterov_momentum" points=2
w0 = np.linspace(-0.4, 0.6, num=6).reshape(2, 3)
grads = 0.5 * np.cos(np.arange(18.0)).reshape(3, 2, 3)
w, config = w0, {"learning_rate": 0.1, "momentum": 0.8}
for dw in grads:
    w, config = call_unmutated(nesterov_momentum, w, dw, config)
check_true("velocity" in config, "nesterov_momentum must return its state: config['velocity'].")
check_close(config["velocity"], np.array([[-0.1125995094, -0.09281810303, 0.01229983921],
                                          [0.106109366, 0.102362431, 0.004503949048]]),
            "config['velocity'] after 3 calls of nesterov_momentum (lr=0.1, momentum=0.8)",
            hint="The velocity is updated exactly as in sgd_momentum.")
first_w, _ = nesterov_momentum(w0, grads[0])
check_close(first_w, np.array([[-0.4095, -0.2051328719, 0.003953394947],
                               [0.2094049287, 0.4062096144, 0.5973052092]]),
            "w after one call of nesterov_momentum with config=None",
            hint="From a zero velocity, the look-ahead point's first step is (1 + momentum) times "
                 "an SGD step: check your derivation on that case.")
check_close(w, np.array([[-0.7406876313, -0.4533949057, 0.06686792756],
                         [0.5256526966, 0.6850338782, 0.5823562267]]),
            "w after 3 calls of nesterov_momentum (learning_rate=0.1, momentum=0.8)",
            hint="Your velocities are right, so check the derivation: substitute w' = w + v' and "
                 "w = w~ - momentum * v into w~' = w' + momentum * v', with v the velocity "
                 "BEFORE this step (read it before you overwrite it).")
### BEGIN HIDDEN TESTS
from grading import optimizers as hidden; hidden.check_nesterov_momentum(nesterov_momentum)
### END HIDDEN TESTS
passed("nesterov_momentum")

# %% [markdown]
# ## 4. One step size per parameter: AdaGrad and RMSProp
#
# Momentum still uses one learning rate for every parameter. But parameters live on very
# different scales: in a ravine, the gradient across is large and the one along is small; in a
# network, the weights of a rare input feature get small, rare gradients. A single $\eta$ small
# enough for the steep direction crawls along the flat one.
#
# **AdaGrad** (Duchi, Hazan and Singer, 2011, in its diagonal form) divides each parameter's step
# by the root of the sum of its own squared gradients so far:
#
# $$\mathbf{c} \leftarrow \mathbf{c} + (\nabla L)^2, \qquad
#   \mathbf{w} \leftarrow \mathbf{w} - \eta\,\frac{\nabla L}{\sqrt{\mathbf{c}} + \epsilon}$$
#
# (element-wise). A parameter with large gradients gets small steps, one with small gradients large
# ones: each direction is rescaled to roughly unit size, which evens out a ravine. The catch: the
# cache $\mathbf{c}$ only grows, so the steps shrink forever and training can stall.
#
# **RMSProp** (Tieleman and Hinton, 2012, lecture 6e of the course *Neural Networks for Machine
# Learning*; never published as a paper) replaces the sum by a moving average with decay rate
# $\rho$, so the scale tracks *recent* gradients and the steps do not die out:
#
# $$\mathbf{c} \leftarrow \rho\,\mathbf{c} + (1 - \rho)\,(\nabla L)^2, \qquad
#   \mathbf{w} \leftarrow \mathbf{w} - \eta\,\frac{\nabla L}{\sqrt{\mathbf{c}} + \epsilon}$$
#
# In both, the cache is the state, `config["cache"]`, updated *before* it is used (the arrows are
# taken in order, left to right), and $\epsilon$ (`epsilon`) only guards against a division by
# zero: it is added to the square root.

# %% answer="adagrad"
def adagrad(w, dw, config=None):
    """AdaGrad (Duchi et al., 2011), the first update of section 4.

    Inputs: w, dw: arrays of one shape; config: dict (or None) with
    - learning_rate: float, eta (default 1e-2); epsilon: float (default 1e-8)
    - cache: array shaped like w, the cache c: the sum of the squared gradients so far
      (default zeros)
    Returns (next_w, config): the new parameters, shaped like w, and config with "cache" holding
    the cache of this step.
    w and dw are float32 or float64: next_w and the state keep the dtype of w.
    """
    config = {"learning_rate": 1e-2, "epsilon": 1e-8, "cache": np.zeros_like(w),
              **(config or {})}
    ### BEGIN SOLUTION
    cache = config["cache"] + dw ** 2
    config["cache"] = cache
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), config
    ### END SOLUTION


# %% test="adagrad" points=1
w0 = np.linspace(-0.4, 0.6, num=6).reshape(2, 3)
grads = 0.5 * np.cos(np.arange(18.0)).reshape(3, 2, 3)
w, config = w0, {"learning_rate": 0.1}
for dw in grads:
    w, config = call_unmutated(adagrad, w, dw, config)
check_true("cache" in config, "adagrad must return its state: config['cache'].")
check_close(config["cache"], np.array([[0.6585041208, 0.420938713, 0.05326137906],
                                       [0.5968423056, 0.5121006736, 0.03904967122]]),
            "config['cache'] after 3 calls of adagrad",
            hint="The cache accumulates: each step adds its own squared gradient to the cache it "
                 "received, so after 3 steps it holds the sum of 3 squares.")
check_close(w, np.array([[-0.6212541479, -0.4512143474, 0.1033799824],
                         [0.4168864141, 0.6458000651, 0.568062857]]),
            "w after 3 calls of adagrad (learning_rate=0.1)",
            hint="Your cache is right: divide by the square root of the cache that already "
                 "includes this step's gradient, with epsilon added after the square root.")
w, config = adagrad(w0, grads[0])
check_close(w, np.array([[-0.4099999998, -0.2099999996, 0.009999999519],
                         [0.2099999998, 0.4099999997, 0.5900000007]]),
            "w after one call of adagrad with config=None",
            hint="At the first step the cache is the gradient squared, so the gradient divided "
                 "by its square root is the sign of dw: every parameter moves by learning_rate.")
### BEGIN HIDDEN TESTS
from grading import optimizers as hidden; hidden.check_adagrad(adagrad)
### END HIDDEN TESTS
passed("adagrad")


# %% answer="rmsprop"
def rmsprop(w, dw, config=None):
    """RMSProp (Tieleman and Hinton, 2012), the second update of section 4.

    Inputs: w, dw: arrays of one shape; config: dict (or None) with
    - learning_rate: float, eta (default 1e-2); epsilon: float (default 1e-8)
    - decay_rate: float in [0, 1), rho, the weight of the old cache (default 0.99)
    - cache: array shaped like w, the cache c: the moving average of the squared gradients
      (default zeros)
    Returns (next_w, config): the new parameters, shaped like w, and config with "cache" holding
    the cache of this step.
    w and dw are float32 or float64: next_w and the state keep the dtype of w.
    """
    config = {"learning_rate": 1e-2, "decay_rate": 0.99, "epsilon": 1e-8,
              "cache": np.zeros_like(w), **(config or {})}
    ### BEGIN SOLUTION
    decay_rate = config["decay_rate"]
    cache = decay_rate * config["cache"] + (1 - decay_rate) * dw ** 2
    config["cache"] = cache
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), config
    ### END SOLUTION


# %% test="rmsprop" points=2
w0 = np.linspace(-0.4, 0.6, num=6).reshape(2, 3)
grads = 0.5 * np.cos(np.arange(18.0)).reshape(3, 2, 3)
w, config = w0, {"learning_rate": 0.1, "decay_rate": 0.9}
for dw in grads:
    w, config = call_unmutated(rmsprop, w, dw, config)
check_true("cache" in config, "rmsprop must return its state: config['cache'].")
check_close(config["cache"], np.array([[0.05879559463, 0.03928629851, 0.004450615856],
                                       [0.05295343024, 0.04742052736, 0.003522713036]]),
            "config['cache'] after 3 calls of rmsprop (decay_rate=0.9)",
            hint="The old cache gets the weight decay_rate and this step's squared gradient the "
                 "weight 1 - decay_rate: a moving average, not a sum.")
check_close(w, np.array([[-1.115182333, -1.006650443, 0.3231009908],
                         [0.9014845418, 1.190428665, 0.510376844]]),
            "w after 3 calls of rmsprop (learning_rate=0.1, decay_rate=0.9)",
            hint="Your cache is right: divide by the square root of the cache that already "
                 "includes this step's gradient, with epsilon added after the square root.")
w, config = rmsprop(w0, grads[0])
check_close(w, np.array([[-0.49999998, -0.299999963, 0.09999995194],
                         [0.2999999798, 0.4999999694, 0.5000000705]]),
            "w after one call of rmsprop with config=None (decay_rate 0.99)")
### BEGIN HIDDEN TESTS
from grading import optimizers as hidden; hidden.check_rmsprop(rmsprop)
### END HIDDEN TESTS
passed("rmsprop")

# %% [markdown]
# ### Adadelta: a rule without a learning rate
#
# Zeiler (2012) starts from RMSProp and looks at **units**. Say $w$ is in metres and the loss in
# euros: the gradient is in euros per metre, and RMSProp's step
# $\nabla L / \sqrt{\mathbf{c}}$ has no unit at all, so $\eta$ must carry the metres (that is
# one reason it has to be tuned). Newton's step, $-\nabla L / L''$, has the right unit by
# construction: euros per metre divided by euros per square metre. Zeiler estimates the curvature
# along each coordinate from the recent history, as the ratio of the size of the gradients to the
# size of the steps, so he keeps a second moving average, of the squared **steps**. His
# Algorithm 1, with $\overline{g^2}$ and $\overline{\Delta w^2}$ the two averages (both zero at
# first) and every operation element-wise:
#
# $$\begin{aligned}
# \overline{g^2} &\leftarrow \rho\,\overline{g^2} + (1-\rho)\,(\nabla L)^2,\\
# \Delta\mathbf{w} &= -\frac{\sqrt{\overline{\Delta w^2} + \epsilon}}{\sqrt{\overline{g^2} +
#   \epsilon}}\;\nabla L,\\
# \overline{\Delta w^2} &\leftarrow \rho\,\overline{\Delta w^2} + (1-\rho)\,(\Delta\mathbf{w})^2,\\
# \mathbf{w} &\leftarrow \mathbf{w} + \Delta\mathbf{w}.
# \end{aligned}$$
#
# The step's numerator has the unit of $w$, its denominator that of the gradient: the step is in
# metres, and there is no $\eta$. Mind the order: the numerator uses the average of the steps
# *before* this one (this step is not known yet), which is then updated with this step. Here
# $\epsilon$ sits *inside* both square roots, and it has a real job: at the first step the
# numerator is $\sqrt{\epsilon}$, so $\sqrt{\epsilon}$ sets the size of the first steps, which
# then grow as the average of past steps builds up. Zeiler uses $\rho = 0.95$, $\epsilon =
# 10^{-6}$. The state is `mean_sq_grad` ($\overline{g^2}$) and `mean_sq_step`
# ($\overline{\Delta w^2}$).

# %% answer="adadelta"
def adadelta(w, dw, config=None):
    """Adadelta (Zeiler, 2012, Algorithm 1), the last update of section 4: no learning rate.

    Inputs: w, dw: arrays of one shape; config: dict (or None) with
    - decay_rate: float in [0, 1), rho, the weight of the old averages (default 0.95)
    - epsilon: float, added inside both square roots (default 1e-6)
    - mean_sq_grad: array shaped like w, the moving average of the squared gradients
      (default zeros)
    - mean_sq_step: array shaped like w, the moving average of the squared steps
      (default zeros)
    Returns (next_w, config): the new parameters, shaped like w, and config with
    "mean_sq_grad" and "mean_sq_step" after this step.
    w and dw are float32 or float64: next_w and the state keep the dtype of w.
    """
    config = {"decay_rate": 0.95, "epsilon": 1e-6, "mean_sq_grad": np.zeros_like(w),
              "mean_sq_step": np.zeros_like(w), **(config or {})}
    ### BEGIN SOLUTION
    rho, epsilon = config["decay_rate"], config["epsilon"]
    mean_sq_grad = rho * config["mean_sq_grad"] + (1 - rho) * dw ** 2
    step = -np.sqrt(config["mean_sq_step"] + epsilon) / np.sqrt(mean_sq_grad + epsilon) * dw
    config["mean_sq_grad"] = mean_sq_grad
    config["mean_sq_step"] = rho * config["mean_sq_step"] + (1 - rho) * step ** 2
    return w + step, config
    ### END SOLUTION


# %% test="adadelta" points=2
w0 = np.linspace(-0.4, 0.6, num=6).reshape(2, 3)
grads = 0.5 * np.cos(np.arange(18.0)).reshape(3, 2, 3)
w, config = w0, {"decay_rate": 0.9, "epsilon": 1e-2}
for dw in grads:
    w, config = call_unmutated(adadelta, w, dw, config)
check_true({"mean_sq_grad", "mean_sq_step"} <= set(config),
           "adadelta must return its state: config['mean_sq_grad'] and config['mean_sq_step'] "
           f"({missing_keys(config, ('mean_sq_grad', 'mean_sq_step'))}).")
check_close(config["mean_sq_grad"], np.array([[0.0587955946, 0.0392862985, 0.0044506159],
                                              [0.0529534302, 0.0474205274, 0.003522713]]),
            "config['mean_sq_grad'] after 3 calls of adadelta (decay_rate=0.9)",
            hint="The average of the squared gradients is updated exactly like RMSProp's cache.")
check_close(config["mean_sq_step"], np.array([[0.018279213, 0.0178304534, 0.0033041414],
                                              [0.0170986976, 0.0193514459, 0.0029677776]]),
            "config['mean_sq_step'] after 3 calls of adadelta (decay_rate=0.9, epsilon=1e-2)",
            hint="This average collects the squared STEPS (the change of w), not the squared "
                 "gradients, with the same weights rho and 1 - rho; and it is updated after the "
                 "step is computed, with that step. If it is all 0, every step was 0: without "
                 "epsilon in the numerator the first step is 0, and so is every later one.")
check_close(w, np.array([[-1.1807789929, -0.9532491015, 0.1776032357],
                         [0.9559001495, 1.1902489678, 0.595307115]]),
            "w after 3 calls of adadelta (decay_rate=0.9, epsilon=1e-2)",
            hint="Both averages are right, so the step is wrong: its numerator uses the average "
                 "of the steps BEFORE this one, its denominator the average of the gradients "
                 "INCLUDING this one, and epsilon goes inside both square roots.")
w, config = adadelta(w0, grads[0])
check_close(w, np.array([[-0.4044719571, -0.2044715233, 0.0044711034],
                         [0.2044719534, 0.4044717173, 0.5955300856]]),
            "w after one call of adadelta with config=None (decay_rate 0.95, epsilon 1e-6)",
            hint="At the first step the average of past steps is 0, so the numerator is "
                 "sqrt(epsilon): every parameter moves by about sqrt(epsilon / (1 - rho)), "
                 "4.47e-3 here, against its gradient. A w that does not move at all has lost the "
                 "epsilon of the numerator.")
### BEGIN HIDDEN TESTS
from grading import optimizers as hidden; hidden.check_adadelta(adadelta)
### END HIDDEN TESTS
passed("adadelta")

# %% [markdown]
# ## 5. Adam: momentum and per-parameter scaling together
#
# Adam (Kingma and Ba, 2015) keeps two moving averages: $\mathbf{m}$, of the gradient (momentum),
# and $\mathbf{v}$, of its square (RMSProp's cache). Both start at zero, so early on they are
# biased towards zero: after one step $\mathbf{m} = (1-\beta_1)\nabla L$, a tenth of the gradient
# for $\beta_1 = 0.9$. Dividing by $1 - \beta^t$ removes that bias exactly when the gradients are
# constant. Their Algorithm 1, at step $t = 1, 2, \dots$:
#
# $$\begin{aligned}
# \mathbf{m} &\leftarrow \beta_1 \mathbf{m} + (1-\beta_1)\,\nabla L, &
# \hat{\mathbf{m}} &= \mathbf{m} / (1 - \beta_1^{\,t}),\\
# \mathbf{v} &\leftarrow \beta_2 \mathbf{v} + (1-\beta_2)\,(\nabla L)^2, &
# \hat{\mathbf{v}} &= \mathbf{v} / (1 - \beta_2^{\,t}),\\
# \mathbf{w} &\leftarrow \mathbf{w} - \eta\,\hat{\mathbf{m}} / (\sqrt{\hat{\mathbf{v}}} + \epsilon).
# \end{aligned}$$
#
# The state is `m`, `v` and the step counter `t`, which starts at 0 and is **incremented first**,
# before the bias correction, so the first update uses $t = 1$. The state holds $\mathbf{m}$ and
# $\mathbf{v}$ themselves; $\hat{\mathbf{m}}$ and $\hat{\mathbf{v}}$ are recomputed at every step.
# The ratio $\hat{\mathbf{m}} / \sqrt{\hat{\mathbf{v}}}$ is about $\pm 1$ while a gradient keeps its
# sign and smaller when it is noisy, so each parameter typically moves by about $\eta$ or less,
# whatever the scale of its gradient (Kingma and Ba, §2.1, bound a step by
# $\eta\,(1-\beta_1)/\sqrt{1-\beta_2}$, about $3\eta$ for the defaults). This is what makes
# Adam's default learning rate, $10^{-3}$, work on so many problems.
#
# **Where $\epsilon$ goes: two accepted forms.** At the end of their §2, Kingma and Ba note that
# the same update is cheaper with both corrections folded into the learning rate,
# $\eta_t = \eta\,\sqrt{1-\beta_2^{\,t}}\,/\,(1-\beta_1^{\,t})$ and
# $\mathbf{w} \leftarrow \mathbf{w} - \eta_t\,\mathbf{m} / (\sqrt{\mathbf{v}} + \hat\epsilon)$.
# That form adds $\hat\epsilon$ to the *uncorrected* $\sqrt{\mathbf{v}}$: it is Algorithm 1 with
# $\hat\epsilon / \sqrt{1-\beta_2^{\,t}}$ in place of $\epsilon$ (32 times $\hat\epsilon$ at the
# first step for $\beta_2 = 0.999$, then less and less), and the two differ only where a
# gradient is within a few orders of magnitude of $\epsilon$. PyTorch uses Algorithm 1, TensorFlow the
# folded form. **Both are accepted here**, with `epsilon` playing $\epsilon$ or $\hat\epsilon$, and
# the tests compare your steps with either (whichever your first step matches, all along). What is
# not Adam: $\epsilon$ inside the square root, or no $\epsilon$ at all (a parameter whose gradients
# are all 0, such as a weight into a dead unit, would then divide 0 by 0).

# %% answer="adam" tags=["provided:optimizers"]
def adam(w, dw, config=None):
    """Adam (Kingma and Ba, 2015, Algorithm 1, or its folded form), the update of section 5.

    Inputs: w, dw: arrays of one shape; config: dict (or None) with
    - learning_rate: float, eta (default 1e-3); epsilon: float (default 1e-8)
    - beta1, beta2: floats in [0, 1), the decay rates of m and v (defaults 0.9 and 0.999)
    - m, v: arrays shaped like w, the moving averages of the gradient and of its square, NOT
      bias-corrected (default zeros)
    - t: int, the number of steps taken before this one (default 0)
    Returns (next_w, config): the new parameters, shaped like w, and config with "m", "v" and
    "t" after this step (t counts this step).
    w and dw are float32 or float64: next_w and the state keep the dtype of w.
    """
    config = {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8,
              "m": np.zeros_like(w), "v": np.zeros_like(w), "t": 0, **(config or {})}
    ### BEGIN SOLUTION
    beta1, beta2 = config["beta1"], config["beta2"]
    t = config["t"] + 1
    m = beta1 * config["m"] + (1 - beta1) * dw
    v = beta2 * config["v"] + (1 - beta2) * dw ** 2
    m_hat = m / (1 - beta1 ** t)
    v_hat = v / (1 - beta2 ** t)
    config.update(m=m, v=v, t=t)
    return w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"]), config
    ### END SOLUTION


# %% test="adam" points=3
w0 = np.linspace(-0.4, 0.6, num=6).reshape(2, 3)
grads = 0.5 * np.cos(np.arange(18.0)).reshape(3, 2, 3)
w, config = w0, {"learning_rate": 0.1, "beta1": 0.8, "beta2": 0.9}
for dw in grads:
    w, config = call_unmutated(adam, w, dw, config)
check_true({"m", "v", "t"} <= set(config), "adam must return its state: config['m'], "
           f"config['v'] and config['t'] ({missing_keys(config, ('m', 'v', 't'))}).")
check_true(config["t"] == 3, f"config['t'] is {describe(config['t'])} after 3 calls of adam, "
           "expected 3: "
           "increment t once per step, and return it in config.")
check_close(config["m"], np.array([[0.2251990188, 0.1856362061, -0.02459967842],
                                   [-0.212218732, -0.2047248621, -0.009007898096]]),
            "config['m'] after 3 calls of adam (beta1=0.8)",
            hint="m is a moving average of the gradient (old m weighted beta1, the gradient "
                 "1 - beta1); store m itself, not the bias-corrected m-hat.")
check_close(config["v"], np.array([[0.05879559463, 0.03928629851, 0.004450615856],
                                   [0.05295343024, 0.04742052736, 0.003522713036]]),
            "config['v'] after 3 calls of adam (beta2=0.9)",
            hint="v is a moving average of the squared gradient, like RMSProp's cache; store v "
                 "itself, not the bias-corrected v-hat.")
check_close(w, np.array([[-0.6989342624, -0.4995451069, 0.2264091729],
                         [0.4980498168, 0.700254138, 0.4503633387]]),
            "w after 3 calls of adam (learning_rate=0.1, beta1=0.8, beta2=0.9)",
            hint="m and v are right, so the step is wrong: bias-correct both with the t of this "
                 "step (1 at the first step, not 0), and add epsilon after the square root.")
w, config = adam(w0, grads[0])
check_close(w, np.array([[-0.401, -0.201, 0.0009999999519], [0.201, 0.401, 0.5990000001]]),
            "w after one call of adam with config=None (learning_rate 1e-3)",
            hint="With bias correction the first step moves every parameter by learning_rate "
                 "(m-hat / sqrt(v-hat) is the sign of dw).")
dead = np.array([[1.0, 0.0, 1.0], [1.0, 0.0, 1.0]])     # the middle column's gradients are 0
w, config = adam(w0, grads[0] * dead)
check_close(w, w0 - 0.001 * np.sign(grads[0] * dead),
            "w after one call of adam with config=None, where a column of dw is 0",
            hint="A parameter whose gradient is 0 has m = v = 0: it must not move, and epsilon, "
                 "added after the square root, is what keeps 0 / 0 away.")
### BEGIN HIDDEN TESTS
from grading import optimizers as hidden; hidden.check_adam(adam)
### END HIDDEN TESTS
passed("adam")

# %% [markdown]
# ### Nadam: Adam with Nesterov's look-ahead
#
# Nadam (Dozat, 2016) brings Nesterov's idea to Adam. Nesterov's step uses the velocity it is
# about to have, not the one it has; Dozat does the same with the first moment. Adam's step uses
# $\hat{\mathbf{m}}$; Nadam's uses the bias-corrected moment *one step further on*: the old moment
# decayed once more, $\beta_1\hat{\mathbf{m}}$, plus the current gradient's share,
# $(1-\beta_1)\nabla L$, bias-corrected by the same $1 - \beta_1^{\,t}$. With $\mathbf{m},
# \mathbf{v}, \hat{\mathbf{m}}, \hat{\mathbf{v}}, t$ exactly as in Adam:
#
# $$\bar{\mathbf{m}} = \beta_1 \hat{\mathbf{m}} + \frac{(1-\beta_1)\,\nabla L}{1 - \beta_1^{\,t}},
#   \qquad \mathbf{w} \leftarrow \mathbf{w} - \eta\,\bar{\mathbf{m}} / (\sqrt{\hat{\mathbf{v}}} + \epsilon).$$
#
# This is Dozat's rule with a constant $\beta_1$ (he also lets $\beta_1$ follow a schedule, and
# corrects each term by its own power of $\beta_1$), as Ruder (2016, *An overview of gradient
# descent optimization algorithms*) writes it. As for Adam, the folded form of $\epsilon$ is
# accepted too.

# %% answer="nadam" tags=["provided:optimizers"]
def nadam(w, dw, config=None):
    """Nadam (Dozat, 2016) with a constant beta1, the last update of section 5.

    Inputs and state: as adam (learning_rate 1e-3, beta1 0.9, beta2 0.999, epsilon 1e-8; m, v,
    t). m, v and t are updated exactly as in adam; only the step differs.
    Returns (next_w, config): the new parameters, shaped like w, and config with "m", "v" and
    "t" after this step.
    w and dw are float32 or float64: next_w and the state keep the dtype of w.
    """
    config = {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8,
              "m": np.zeros_like(w), "v": np.zeros_like(w), "t": 0, **(config or {})}
    ### BEGIN SOLUTION
    beta1, beta2 = config["beta1"], config["beta2"]
    t = config["t"] + 1
    m = beta1 * config["m"] + (1 - beta1) * dw
    v = beta2 * config["v"] + (1 - beta2) * dw ** 2
    bias_correction = 1 - beta1 ** t
    m_bar = (beta1 * m + (1 - beta1) * dw) / bias_correction
    v_hat = v / (1 - beta2 ** t)
    config.update(m=m, v=v, t=t)
    return w - config["learning_rate"] * m_bar / (np.sqrt(v_hat) + config["epsilon"]), config
    ### END SOLUTION


# %% test="nadam" points=2
w0 = np.linspace(-0.4, 0.6, num=6).reshape(2, 3)
grads = 0.5 * np.cos(np.arange(18.0)).reshape(3, 2, 3)
w, config = w0, {"learning_rate": 0.1, "beta1": 0.8, "beta2": 0.9}
for dw in grads:
    w, config = call_unmutated(nadam, w, dw, config)
check_true({"m", "v", "t"} <= set(config), "nadam must return its state: config['m'], "
           f"config['v'] and config['t'] ({missing_keys(config, ('m', 'v', 't'))}).")
check_true(config["t"] == 3,
           f"config['t'] is {describe(config['t'])} after 3 calls of nadam, expected 3.")
check_close(config["m"], np.array([[0.2251990188, 0.1856362061, -0.02459967842],
                                   [-0.212218732, -0.2047248621, -0.009007898096]]),
            "config['m'] after 3 calls of nadam (beta1=0.8)",
            hint="m and v are updated exactly as in adam.")
check_close(w, np.array([[-0.8307455549, -0.6518023839, 0.2857442715],
                         [0.62697849, 0.8487013895, 0.4284871913]]),
            "w after 3 calls of nadam (learning_rate=0.1, beta1=0.8, beta2=0.9)",
            hint="m is right, so the step is wrong: it uses m-bar where adam uses m-hat, and "
                 "both terms of m-bar are divided by the same 1 - beta1 ** t, t being this step's "
                 "count.")
w, config = nadam(w0, grads[0])
check_close(w, np.array([[-0.4019, -0.2018999999, 0.001899999909],
                         [0.2019, 0.4018999999, 0.5981000001]]),
            "w after one call of nadam with config=None",
            hint="At the first step m-hat is the gradient and m-bar is (1 + beta1) times it: "
                 "every parameter moves by (1 + beta1) * learning_rate, 1.9e-3 here.")
### BEGIN HIDDEN TESTS
from grading import optimizers as hidden; hidden.check_nadam(nadam)
### END HIDDEN TESTS
passed("nadam")

# %% [markdown]
# ## 6. Learning-rate schedules
#
# A minibatch gradient is the full gradient plus noise, and near a minimum the noise wins: a
# constant-step optimizer never settles, it keeps jiggling around the minimum. How far? Take a
# bowl $f(w) = \tfrac12 w^2$ whose gradient comes with noise, $g_t = w_t + \sigma\xi_t$ with a
# fresh $\xi_t \sim \mathcal{N}(0, 1)$ at every step. SGD gives
# $w_{t+1} = (1 - \eta)\,w_t - \eta\sigma\xi_t$, and once the start is forgotten the variance
# of $w$ stops changing: $\operatorname{Var} w = (1-\eta)^2 \operatorname{Var} w + \eta^2\sigma^2$,
# so
#
# $$\operatorname{Var} w = \frac{\eta\,\sigma^2}{2 - \eta} \approx \frac{\eta\,\sigma^2}{2}:
#   \qquad \text{the spread } \sqrt{\operatorname{Var} w} \text{ grows like } \sqrt{\eta},
#   \quad \text{the excess loss } \mathbb{E}f(w) - f(w^*) = \tfrac12\operatorname{Var} w
#   \text{ like } \eta.$$
#
# Halving $\eta$ halves the excess loss (measured below, once you have written the schedules). Hence **schedules**: large steps
# early, to travel, and small steps late, to settle. Two common ones:
#
# - **step decay**: multiply $\eta$ by `drop` every `every` epochs,
#   $\eta_e = \eta_0 \cdot \text{drop}^{\lfloor e / \text{every} \rfloor}$ (epochs count from 0);
# - **cosine** (Loshchilov and Hutter, 2017): glide from $\eta_0$ to $\eta_{\min}$ along half a
#   cosine over `total_steps`, and stay at $\eta_{\min}$ afterwards:
#   $\eta_s = \eta_{\min} + \tfrac12(\eta_0 - \eta_{\min})\,(1 + \cos(\pi \min(s, S) / S))$.
#
# Both take an int **or an array** of epochs/steps (handy for plotting): write them with numpy
# operations (`//`, `np.cos`, `np.minimum`), no `if` on the value.

# %% answer="schedules" tags=["provided:optimizers"]
def step_decay(lr0, epoch, drop=0.5, every=10):
    """Step decay, the first schedule of section 6.

    Inputs: lr0: float, the initial learning rate; epoch: int (Python or numpy) or int array of
    any shape (from 0); drop: float, the factor applied at every drop; every: int, the epochs
    between drops.
    Returns: the learning rate of each epoch, a float for an int, a float array shaped like
    epoch for an array.
    """
    ### BEGIN SOLUTION
    return lr0 * drop ** (np.asarray(epoch) // every)
    ### END SOLUTION


def cosine(lr0, step, total_steps, lr_min=0.0):
    """Cosine schedule (Loshchilov and Hutter, 2017), the second schedule of section 6.

    Inputs: lr0, lr_min: floats, the rates at step 0 and from step total_steps on; step: int
    (Python or numpy) or int array of any shape (from 0); total_steps: int > 0, the length of
    the descent.
    Returns: the learning rate of each step, a float for an int, a float array shaped like step
    for an array.
    """
    ### BEGIN SOLUTION
    progress = np.minimum(np.asarray(step), total_steps) / total_steps
    return lr_min + 0.5 * (lr0 - lr_min) * (1 + np.cos(np.pi * progress))
    ### END SOLUTION


# %% test="schedules" points=2
check_close(step_decay(0.1, np.array([0, 9, 10, 25])), np.array([0.1, 0.1, 0.05, 0.025]),
            "step_decay(0.1, epochs [0, 9, 10, 25]) with drop=0.5, every=10", dtype=np.floating,
            hint="The rate drops at epochs 10, 20...: drop's exponent is the number of whole "
                 "periods of `every` epochs completed (an integer division).")
check_close(step_decay(1.0, 7, drop=0.1, every=3), 0.01, "step_decay(1.0, 7, drop=0.1, every=3)")
check_close(cosine(0.1, np.array([0, 25, 50, 100, 150]), 100, lr_min=0.01),
            np.array([0.1, 0.08681980515, 0.055, 0.01, 0.01]),
            "cosine(0.1, steps [0, 25, 50, 100, 150], total_steps=100, lr_min=0.01)",
            dtype=np.floating,
            hint="lr0 at step 0, halfway (lr0 + lr_min) / 2, lr_min at total_steps, and it stays "
                 "at lr_min after total_steps (clamp the step with np.minimum).")
check_close(cosine(2.0, 10, 40), 1.7071067811865475, "cosine(2.0, 10, total_steps=40)")
### BEGIN HIDDEN TESTS
from grading import optimizers as hidden; hidden.check_schedules(step_decay, cosine)
### END HIDDEN TESTS
passed("step_decay, cosine")

# %% [markdown]
# Both schedules over 100 epochs:

# %%
epochs = np.arange(100)
plot_curves({"step_decay(0.1, drop=0.5, every=25)": step_decay(0.1, epochs, 0.5, 25),
             "cosine(0.1, total_steps=100)": cosine(0.1, epochs, 100)},
            x=epochs, ylabel="learning rate", title="learning-rate schedules")
plt.show()

# %% [markdown]
# ### The noise floor, measured
#
# The noisy bowl of the introduction to this section, $g = w + \sigma\xi$ with $\sigma = 1$, run
# 2,000 times at once: `w` holds 2,000 independent copies of the parameter, and your `sgd` works
# on arrays of any shape. For three learning rates, each a factor 4 apart, the cell lets the start
# be forgotten, then measures the spread of $w$ (its root mean square) and the excess loss (the
# mean of $f(w)$, whose minimum is 0). The theory says: each factor 4 in $\eta$ doubles the spread
# and quadruples the excess loss, so that spread$/\sqrt\eta$ stays near
# $1/\sqrt2 \approx 0.71$ and excess$/\eta$ near $1/4$.

# %%
n_copies, n_samples = (500, 200) if quick() else (2000, 2000)
noise_rng = np.random.default_rng(0)
print(f"{'eta':>6}{'spread':>10}{'spread/sqrt(eta)':>18}{'excess loss':>13}{'excess/eta':>12}")
noise_floor = {}
for lr in (0.004, 0.016, 0.064):
    w, samples = np.zeros(n_copies), []
    for step in range(int(10 / lr) + n_samples):    # 10 / eta steps forget the start
        w, _ = sgd(w, w + noise_rng.standard_normal(n_copies), {"learning_rate": lr})
        if step >= 10 / lr:
            samples.append(w)
    spread, excess = np.sqrt(np.mean(np.square(samples))), np.mean(0.5 * np.square(samples))
    noise_floor[lr] = spread / np.sqrt(lr), excess / lr
    print(f"{lr:>6}{spread:>10.4f}{spread / np.sqrt(lr):>18.3f}{excess:>13.5f}{excess / lr:>12.3f}")
if not quick():
    for lr, (spread_ratio, excess_ratio) in noise_floor.items():
        assert abs(spread_ratio - 0.71) < 0.03 and abs(excess_ratio - 0.25) < 0.02, noise_floor

# %% [markdown]
# A schedule lowers that floor as it goes. The same noisy bowl, started at $w = 5$, for 3,000
# steps at $\eta_0 = 0.1$: constant, halved every 300 steps (`step_decay` with one "epoch" per 300
# steps), or along a cosine to 0. All three travel alike at first; then the constant rate stays on
# its floor, near $\eta_0\sigma^2/4 = 0.025$, while the schedules keep descending.

# %%
n_steps = 3000
learning_rates = {"constant 0.1": np.full(n_steps, 0.1),
                  "step_decay(0.1, drop 0.5, every 300 steps)":
                      step_decay(0.1, np.arange(n_steps) // 300, drop=0.5, every=1),
                  "cosine(0.1, total_steps=3000)": cosine(0.1, np.arange(n_steps), n_steps)}
schedule_losses = {}
for name, lrs in learning_rates.items():
    schedule_rng, w, losses = np.random.default_rng(1), np.full(n_copies, 5.0), []
    for lr in lrs:
        w, _ = sgd(w, w + schedule_rng.standard_normal(n_copies), {"learning_rate": float(lr)})
        losses.append(np.mean(0.5 * w ** 2))
    schedule_losses[name] = losses
    print(f"{name:<45} mean loss after 1,000 steps {losses[999]:.4f}, at the end {losses[-1]:.5f}")
plot_curves(schedule_losses, x=np.arange(1, n_steps + 1), logy=True, xlabel="step",
            ylabel="mean f(w) (minimum 0)", title="noisy bowl: a schedule settles lower")
plt.show()
if not quick():
    constant_end = schedule_losses["constant 0.1"][-1]
    assert 0.02 < constant_end < 0.03, constant_end
    assert all(losses[-1] < constant_end / 10 for losses in schedule_losses.values()
               if losses is not schedule_losses["constant 0.1"]), schedule_losses

# %% [markdown]
# ## 7. Watching the optimizers on landscapes you can see
#
# Two functions of two parameters $\mathbf{w} = (w_1, w_2)$, each with its gradient:
#
# - an **ill-conditioned quadratic**, $f(\mathbf{w}) = \tfrac12(w_1^2 + 50\,w_2^2)$: a ravine
#   whose curvature is 50 times larger across ($w_2$) than along ($w_1$). Gradient descent is
#   stable only for $\eta < 2/50$, and then it crawls along $w_1$ by a factor $(1 - \eta)$ per
#   step;
# - **Rosenbrock's function**, $f(\mathbf{w}) = (1 - w_1)^2 + 100\,(w_2 - w_1^2)^2$: a curved,
#   banana-shaped valley whose floor is nearly flat, with its minimum at $(1, 1)$.
#
# `run` below applies any of your rules for a number of steps and records the path.

# %%
def quadratic(W):
    """f at points W of shape (M, 2); returns (M,)."""
    return 0.5 * (W[:, 0] ** 2 + 50 * W[:, 1] ** 2)


def quadratic_gradient(w):
    return np.array([w[0], 50 * w[1]])


def rosenbrock(W):
    return (1 - W[:, 0]) ** 2 + 100 * (W[:, 1] - W[:, 0] ** 2) ** 2


def rosenbrock_gradient(w):
    return np.array([-2 * (1 - w[0]) - 400 * w[0] * (w[1] - w[0] ** 2),
                     200 * (w[1] - w[0] ** 2)])


def run(rule, gradient, w_start, config, n_steps):
    """The path (n_steps + 1, 2) of `rule` started at w_start with the given config."""
    w, path = np.array(w_start, dtype=float), [np.array(w_start, dtype=float)]
    for _ in range(n_steps):
        w, config = rule(w, gradient(w), config)
        path.append(w)
    return np.array(path)


# %% [markdown]
# On the quadratic, every rule starts at $(-9, 1.5)$ and takes 50 steps. SGD, at a learning
# rate just below its stability limit, zig-zags across the ravine (its $w_2$ changes sign at every
# step) and advances along it by a constant factor per step: a straight line on the log-scale
# loss plot. Momentum, at half that rate, still swings across, but the swings shrink while its
# progress along $w_1$ accumulates; Nesterov's look-ahead damps the swing after the first one.
# Both end about a thousand times lower than SGD. The adaptive rules rescale each coordinate:
# their first steps go diagonally (each coordinate moves by about $\eta$, whatever its gradient),
# ignoring the 50:1 ratio of the slopes. RMSProp is the fastest here; Adam's momentum carries it
# past the minimum along $w_1$ before it circles back. The table under the plots gives the
# numbers.

# %%
w_start = (-9.0, 1.5)
momentum_config = {"learning_rate": 0.02, "momentum": 0.8}
quadratic_runs = {
    "sgd, lr 0.038": run(sgd, quadratic_gradient, w_start, {"learning_rate": 0.038}, 50),
    "momentum 0.8, lr 0.02": run(sgd_momentum, quadratic_gradient, w_start, momentum_config, 50),
    "nesterov 0.8, lr 0.02": run(nesterov_momentum, quadratic_gradient, w_start, momentum_config,
                                 50),
    "adagrad, lr 1.5": run(adagrad, quadratic_gradient, w_start, {"learning_rate": 1.5}, 50),
    "rmsprop, lr 0.3": run(rmsprop, quadratic_gradient, w_start, {"learning_rate": 0.3}, 50),
    "adam, lr 0.5": run(adam, quadratic_gradient, w_start, {"learning_rate": 0.5}, 50),
}
fig, axes = plt.subplots(1, 2, figsize=(14, 4.5))
momentum_keys = ["sgd, lr 0.038", "momentum 0.8, lr 0.02", "nesterov 0.8, lr 0.02"]
plot_trajectories(quadratic, {k: quadratic_runs[k] for k in momentum_keys}, xlim=(-10, 3),
                  ylim=(-2.5, 2.5), ax=axes[0], minimum=(0, 0),
                  title="ill-conditioned quadratic: SGD and momentum")
plot_trajectories(quadratic, {k: v for k, v in quadratic_runs.items() if k not in momentum_keys},
                  xlim=(-10, 3), ylim=(-2.5, 2.5), ax=axes[1], minimum=(0, 0),
                  title="ill-conditioned quadratic: adaptive rules")
plt.tight_layout()
plt.show()
plot_curves({name: quadratic(path) for name, path in quadratic_runs.items()}, logy=True,
            x=np.arange(51), xlabel="step", ylabel="f(w)", title="quadratic: loss per step")
plt.show()
final_loss = {name: quadratic(path[-1:])[0] for name, path in quadratic_runs.items()}
sign_changes = {name: int(np.sum(np.diff(np.sign(path[:, 1])) != 0))
                for name, path in quadratic_runs.items()}
print(f"{'rule':<24}{'f after 50 steps':>17}{'sign changes of w2':>20}{'largest w1':>12}")
for name, path in quadratic_runs.items():
    print(f"{name:<24}{final_loss[name]:>17.3g}{sign_changes[name]:>20}{path[:, 0].max():>12.2f}")
if not quick():
    sgd_loss = final_loss["sgd, lr 0.038"]
    assert sign_changes["sgd, lr 0.038"] == 50, sign_changes
    for name in ("momentum 0.8, lr 0.02", "nesterov 0.8, lr 0.02"):
        assert 500 < sgd_loss / final_loss[name] < 5000, final_loss
    assert sign_changes["nesterov 0.8, lr 0.02"] <= 2 < 10 < sign_changes["momentum 0.8, lr 0.02"]
    assert min(final_loss, key=final_loss.get) == "rmsprop, lr 0.3", final_loss
    assert quadratic_runs["adam, lr 0.5"][:, 0].max() > 1, "adam does not overshoot along w1"

# %% [markdown]
# Rosenbrock's valley is harder: the way to the minimum curves, and its floor falls by only a few
# units over its whole length. Starting at $(-1.5, 2)$, 1,000 steps each, all rules drop into the
# valley within 50 steps (they come within 0.02 of its floor, $w_2 = w_1^2$) and then follow the
# floor (the paths overlap on the left). The loss plot tells them apart: SGD, whose learning rate
# is capped by the steep walls, inches along the floor; momentum (and Nesterov, almost the same
# here) gathers speed along it; RMSProp's steps of nearly fixed size make it bounce off the walls
# near the end (the spikes: its loss goes up again at many steps); Adam and Nadam combine both
# ideas and get closest to the minimum. The numbers are under the plots.

# %%
w_start = (-1.5, 2.0)
rosenbrock_runs = {
    "sgd, lr 1e-3": run(sgd, rosenbrock_gradient, w_start, {"learning_rate": 1e-3}, 1000),
    "momentum, lr 2e-4": run(sgd_momentum, rosenbrock_gradient, w_start,
                             {"learning_rate": 2e-4}, 1000),
    "nesterov, lr 2e-4": run(nesterov_momentum, rosenbrock_gradient, w_start,
                             {"learning_rate": 2e-4}, 1000),
    "rmsprop, lr 1e-2": run(rmsprop, rosenbrock_gradient, w_start, {"learning_rate": 1e-2}, 1000),
    "adam, lr 5e-2": run(adam, rosenbrock_gradient, w_start, {"learning_rate": 5e-2}, 1000),
    "nadam, lr 5e-2": run(nadam, rosenbrock_gradient, w_start, {"learning_rate": 5e-2}, 1000),
}
fig, axes = plt.subplots(1, 2, figsize=(14, 4.8))
plot_trajectories(rosenbrock, rosenbrock_runs, xlim=(-2, 2), ylim=(-1, 3), ax=axes[0],
                  log_levels=True, minimum=(1, 1), title="Rosenbrock: 1,000 steps")
plot_curves({name: rosenbrock(path) + 1e-12 for name, path in rosenbrock_runs.items()}, logy=True,
            x=np.arange(1001), ax=axes[1], xlabel="step", ylabel="f(w)",
            title="Rosenbrock: loss per step (minimum 0)")
plt.tight_layout()
plt.show()
print(f"{'rule':<20}{'off the floor at step 50':>25}{'rises of f, steps 500-1000':>28}"
      f"{'distance to (1, 1) at the end':>31}")
floor_offset, rises, distance = {}, {}, {}
for name, path in rosenbrock_runs.items():
    floor_offset[name] = abs(path[50, 1] - path[50, 0] ** 2)
    rises[name] = int(np.sum(np.diff(rosenbrock(path[500:])) > 0))
    distance[name] = np.hypot(*(path[-1] - 1))
    print(f"{name:<20}{floor_offset[name]:>25.4f}{rises[name]:>28}{distance[name]:>31.4f}")
if not quick():
    assert max(floor_offset.values()) < 0.02, floor_offset
    assert rises["rmsprop, lr 1e-2"] > 50 and sum(rises.values()) == rises["rmsprop, lr 1e-2"]
    ranking = sorted(distance, key=distance.get)
    assert set(ranking[:2]) == {"adam, lr 5e-2", "nadam, lr 5e-2"}, distance
    assert ranking[-1] == "sgd, lr 1e-3", distance

# %% [markdown]
# ### Saddle points
#
# At a saddle, the gradient vanishes although the point is no minimum: the surface curves up in
# some directions and down in others. In high dimensions, most critical points of a loss are
# saddles. Take $f(\mathbf{w}) = \tfrac12 w_1^2 - \tfrac12 w_2^2 + \tfrac14 w_2^4$, a saddle at the
# origin between two minima at $w_2 = \pm 1$, and start almost exactly on the ridge,
# $w_2 = 10^{-4}$. Along $w_2$ the gradient is $-w_2 + w_2^3 \approx -w_2$: tiny, and it grows only
# as fast as $w_2$ itself. SGD escapes by a factor $(1 + \eta)$ per step, $1.05^{150} \approx 1500$
# times in 150 steps: not even halfway to a minimum. Momentum multiplies the escape speed because
# the velocity keeps growing. The adaptive rules see a tiny gradient, divide it by its own tiny
# scale, and step away at full speed. The number of steps each rule needs to get halfway
# ($|w_2| > 0.5$) is printed under the plots.

# %%
def saddle(W):
    return 0.5 * W[:, 0] ** 2 - 0.5 * W[:, 1] ** 2 + 0.25 * W[:, 1] ** 4


def saddle_gradient(w):
    return np.array([w[0], -w[1] + w[1] ** 3])


w_start = (1.0, 1e-4)
saddle_runs = {
    "sgd, lr 0.05": run(sgd, saddle_gradient, w_start, {"learning_rate": 0.05}, 150),
    "momentum, lr 0.05": run(sgd_momentum, saddle_gradient, w_start,
                             {"learning_rate": 0.05, "momentum": 0.8}, 150),
    "rmsprop, lr 0.05": run(rmsprop, saddle_gradient, w_start, {"learning_rate": 0.05}, 150),
    "adam, lr 0.05": run(adam, saddle_gradient, w_start, {"learning_rate": 0.05}, 150),
}
fig, axes = plt.subplots(1, 2, figsize=(14, 4.5))
plot_trajectories(saddle, saddle_runs, xlim=(-1.5, 1.5), ylim=(-1.5, 1.5), ax=axes[0],
                  minimum=(0, 1), title="escaping the saddle at (0, 0)")
plot_curves({name: np.abs(path[:, 1]) for name, path in saddle_runs.items()}, logy=True,
            x=np.arange(151), ax=axes[1], xlabel="step", ylabel="$|w_2|$",
            title="distance from the ridge (1 at the minima)")
plt.tight_layout()
plt.show()
halfway = {name: int(np.argmax(np.abs(path[:, 1]) > 0.5)) if np.any(np.abs(path[:, 1]) > 0.5)
           else None for name, path in saddle_runs.items()}
for name, steps in halfway.items():
    print(f"{name:<20} {'never, in 150 steps' if steps is None else f'{steps} steps'} to |w2| > 0.5")
if not quick():
    assert halfway["sgd, lr 0.05"] is None, halfway
    assert halfway["rmsprop, lr 0.05"] < halfway["adam, lr 0.05"] < halfway["momentum, lr 0.05"]

# %% [markdown]
# ## 8. The same race on MNIST
#
# Now a real loss: the two-layer network of notebook 06 (784 → 128 → 10, your layers from the
# `layers` module) on MNIST, trained from the same initial weights, on the same minibatches, with
# each rule at a learning rate that is a common default for it. Your `train` (notebook 06) calls
# your rule on every parameter array, each with its own config. The curves are the loss of each
# minibatch, smoothed over 20 steps.

# %%
n_train, epochs = (1000, 1) if quick() else (10000, 2)
mnist = load_mnist()
X_train, y_train = mnist["X_train"][:n_train], mnist["y_train"][:n_train]
softmax_loss = as_loss_function(SoftmaxCrossEntropy())
rules = {
    "sgd, lr 0.1": (sgd, {"learning_rate": 0.1}),
    "momentum, lr 0.01": (sgd_momentum, {"learning_rate": 0.01}),
    "nesterov, lr 0.01": (nesterov_momentum, {"learning_rate": 0.01}),
    "adagrad, lr 0.01": (adagrad, {"learning_rate": 0.01}),
    "rmsprop, lr 1e-3": (rmsprop, {"learning_rate": 1e-3}),
    "adadelta (no lr)": (adadelta, {}),
    "adam, lr 1e-3": (adam, {"learning_rate": 1e-3}),
    "nadam, lr 1e-3": (nadam, {"learning_rate": 1e-3}),
}
mnist_losses = {}
for name, (rule, optim_config) in rules.items():
    rng = np.random.default_rng(0)   # the same weights and batches for every rule
    model = Sequential([Linear(784, 128, rng), ReLU(), Linear(128, 10, rng)])
    history = train(model, X_train, y_train, loss=softmax_loss, accuracy=accuracy, update=rule,
                    optim_config=optim_config, epochs=epochs, batch_size=50, rng=rng)
    mnist_losses[name] = np.convolve(history["batch_loss"], np.ones(20) / 20, mode="valid")
fig, ax = plt.subplots(figsize=(9, 5))
plot_curves(mnist_losses, ax=ax, logy=True, xlabel="step", ylabel="training loss (smoothed)",
            title=f"MNIST, {n_train} images, {epochs} epoch(s), batch 50")
plt.show()
early = min(50, len(mnist_losses["sgd, lr 0.1"]) - 1)
print(f"{'rule':<20}{f'smoothed loss at step {early}':>28}{'at the end':>12}")
for name, losses in mnist_losses.items():
    print(f"{name:<20}{losses[early]:>28.3f}{losses[-1]:>12.3f}")
if not quick():
    sgd_losses, momentum_losses = mnist_losses["sgd, lr 0.1"], mnist_losses["momentum, lr 0.01"]
    for when in (early, -1):
        assert abs(momentum_losses[when] / sgd_losses[when] - 1) < 0.1, (when, mnist_losses)
        for name in ("adagrad, lr 0.01", "rmsprop, lr 1e-3", "adadelta (no lr)", "adam, lr 1e-3",
                     "nadam, lr 1e-3"):
            assert mnist_losses[name][when] < 0.9 * sgd_losses[when], (name, when, mnist_losses)
    best_end = min(losses[-1] for losses in mnist_losses.values())
    assert mnist_losses["adadelta (no lr)"][-1] < 1.1 * best_end, mnist_losses

# %% [markdown]
# Momentum at $\eta = 0.01$, $\mu = 0.9$ follows SGD at $\eta = 0.1$ closely (within a few
# percent in the table): its effective step along a consistent direction is
# $\eta / (1 - \mu) = 0.1$ too, and this small network's loss has no ravine bad enough for the
# damping of oscillations to matter. The adaptive rules start faster at their default rates, and
# stay ahead over two epochs (at least 10% lower than SGD at step 50 and at the end): that
# robustness is why Adam is the usual first choice. Adadelta, with Zeiler's $\rho$ and $\epsilon$ and
# no learning rate to choose, is among the best here (within 10% of the lowest final loss). Its
# first steps move each weight by about $\sqrt{\epsilon / (1 - \rho)} \approx 4.5 \cdot 10^{-3}$
# (the last check of its test cell), a sensible size for weights drawn with a standard deviation
# of $\sqrt{2/784} \approx 0.05$; with weights a thousand times larger it would crawl. On larger problems, a well-tuned SGD with
# momentum and a schedule often catches up and generalises as well or better (Wilson et al.,
# 2017, report it on image classification and language models); the adaptive rules win on ease
# of use.
#
# ## Summary
#
# - An update rule is `rule(w, dw, config) -> (next_w, config)`; the config carries the
#   hyperparameters and the state from one step to the next, and nothing is modified in place.
# - Momentum accumulates a velocity: oscillations across a ravine cancel, consistent progress
#   along it adds up, and the ball rolls through flat regions and off saddle points. Nesterov
#   evaluates the gradient where the velocity is taking it.
# - AdaGrad and RMSProp divide each parameter's step by the root of its recent squared
#   gradients, so steep and flat directions advance at similar speeds. Adadelta also multiplies
#   it by the root of its recent squared steps, which gives the step the unit of the parameter
#   and removes the learning rate.
# - Adam combines both, with a bias correction for the zero-initialised averages; Nadam adds
#   Nesterov's look-ahead.
# - Schedules lower the learning rate over time so that noisy steps settle into a minimum.
