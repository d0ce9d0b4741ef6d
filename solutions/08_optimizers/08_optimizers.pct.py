# %% [markdown]
# # 08 · Optimizers
#
# Backpropagation gives the gradient $\nabla L(\mathbf{w})$; an *optimizer* decides what to do
# with it. Plain gradient descent takes a step $-\eta\,\nabla L$ and stops there. It struggles in
# two places that deep networks are full of: **ravines**, where the loss is steep across and flat
# along, and **saddle points**, where the gradient almost vanishes. This notebook builds the
# update rules that fix this, one idea at a time:
#
# 1. SGD, then momentum and Nesterov momentum (remember where you were going),
# 2. AdaGrad, RMSProp (give each parameter its own step size),
# 3. Adam, which does both, with its bias correction, and Nadam (Adam with Nesterov's look-ahead),
# 4. learning-rate schedules (step decay, cosine),
#
# and then watches every rule on two small landscapes you can see, an ill-conditioned quadratic
# and Rosenbrock's banana, before racing them on MNIST.
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
from dlcourse.testing import call_unmutated, check_close, check_true, passed
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
#   shape);
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
# arrays (`v = mu * v - lr * dw`, never `v *= mu`). The tests check this: a rule that modifies
# its inputs corrupts the caller's copies, and such bugs are miserable to find in a training loop.
#
# The first line of each function is given: it builds a **new** dict from the defaults and the
# config passed in (`{**defaults, **config}`), so you can write `config["velocity"] = v` on it
# freely. Write the rest.
#
# ## 2. Stochastic gradient descent
#
# $$\mathbf{w} \leftarrow \mathbf{w} - \eta\,\nabla L(\mathbf{w})$$
#
# "Stochastic" because `dw` is computed on a minibatch: a noisy but cheap estimate of the full
# gradient.

# %% answer="sgd"
def sgd(w, dw, config=None):
    """Vanilla stochastic gradient descent.

    Inputs:
    - w: array of any shape, the parameters
    - dw: array of the same shape, the gradient of the loss with respect to w
    - config: dict (or None) with
      - learning_rate: float, the step size (default 1e-2)
    Returns (next_w, config): the new parameters, same shape as w, and the config (no state).
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
            "w after 3 steps of sgd (learning_rate=0.1)",
            hint="next_w = w - learning_rate * dw, with the learning rate read from config.")
w, config = sgd(w0, grads[0])
check_close(w, np.array([[-0.405, -0.2027015115, 0.002080734183],
                         [0.2049499625, 0.4032682181, 0.5985816891]]),
            "w after one step of sgd with config=None (learning_rate 1e-2)")
### BEGIN HIDDEN TESTS
from grading import optimizers as hidden; hidden.check_sgd(sgd)
### END HIDDEN TESTS
passed("sgd")

# %% [markdown]
# ## 3. Momentum
#
# Picture a ball rolling down the loss surface. It does not follow the gradient at each point; it
# keeps a **velocity**, which the gradient accelerates and friction slows:
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
    """Stochastic gradient descent with momentum.

    Inputs: w, dw: arrays of one shape (parameters, gradient); config: dict (or None) with
    - learning_rate: float (default 1e-2)
    - momentum: float in [0, 1), the fraction of velocity kept (default 0.9)
    - velocity: array shaped like w, the state (default zeros)
    Returns (next_w, config): next_w = w + v with v = momentum * velocity - learning_rate * dw,
    and config["velocity"] = v.
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
            "config['velocity'] after 3 steps of sgd_momentum (learning_rate=0.1, momentum=0.8)",
            hint="v = momentum * v - learning_rate * dw: the velocity includes the learning rate, "
                 "and each step starts from the velocity returned by the previous one.")
check_close(w, np.array([[-0.6506080237, -0.3791404233, 0.05702805619],
                         [0.4407652038, 0.6031439334, 0.5787530675]]),
            "w after 3 steps of sgd_momentum (learning_rate=0.1, momentum=0.8)",
            hint="Move w by the new velocity: next_w = w + v.")
w, config = sgd_momentum(w0, grads[0])
check_close(w, np.array([[-0.405, -0.2027015115, 0.002080734183],
                         [0.2049499625, 0.4032682181, 0.5985816891]]),
            "w after one step of sgd_momentum with config=None",
            hint="From a zero velocity the first step is an SGD step.")
### BEGIN HIDDEN TESTS
from grading import optimizers as hidden; hidden.check_sgd_momentum(sgd_momentum)
### END HIDDEN TESTS
passed("sgd_momentum")

# %% [markdown]
# ### Nesterov momentum
#
# The ball knows where its velocity is about to take it: $\mathbf{w} + \mu\mathbf{v}$. Nesterov's
# accelerated gradient evaluates the gradient *there*, at the look-ahead point, and so corrects
# course one step earlier (it overshoots less at the bottom of a ravine):
#
# $$\mathbf{v} \leftarrow \mu\,\mathbf{v} - \eta\,\nabla L(\mathbf{w} + \mu\mathbf{v}), \qquad
#   \mathbf{w} \leftarrow \mathbf{w} + \mathbf{v}.$$
#
# A training loop only has the gradient at the parameters it holds, so implementations (CS231n,
# Sutskever et al. 2013) store the look-ahead point $\tilde{\mathbf{w}} = \mathbf{w} + \mu\mathbf{v}$
# instead of $\mathbf{w}$. Rewritten for $\tilde{\mathbf{w}}$, with `dw` the gradient at the stored
# parameters:
#
# $$\mathbf{v}_{\text{new}} = \mu\,\mathbf{v} - \eta\,\texttt{dw}, \qquad
#   \tilde{\mathbf{w}} \leftarrow \tilde{\mathbf{w}} - \mu\,\mathbf{v} + (1 + \mu)\,\mathbf{v}_{\text{new}}$$
#
# where $\mathbf{v}$ is the velocity *before* the update. Implement this form.

# %% answer="nesterov_momentum"
def nesterov_momentum(w, dw, config=None):
    """Nesterov momentum, in the look-ahead form.

    Inputs: w, dw: arrays of one shape; config: dict (or None) with
    - learning_rate: float (default 1e-2); momentum: float (default 0.9)
    - velocity: array shaped like w (default zeros)
    Returns (next_w, config):
      v_new = momentum * velocity - learning_rate * dw
      next_w = w - momentum * velocity + (1 + momentum) * v_new,   config["velocity"] = v_new.
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
            "config['velocity'] after 3 steps of nesterov_momentum (lr=0.1, momentum=0.8)",
            hint="The velocity is updated as in sgd_momentum: "
                 "v = momentum * v - learning_rate * dw.")
check_close(w, np.array([[-0.7406876313, -0.4533949057, 0.06686792756],
                         [0.5256526966, 0.6850338782, 0.5823562267]]),
            "w after 3 steps of nesterov_momentum (learning_rate=0.1, momentum=0.8)",
            hint="next_w = w - momentum * v_old + (1 + momentum) * v_new: keep the old velocity "
                 "before overwriting it.")
w, config = nesterov_momentum(w0, grads[0])
check_close(w, np.array([[-0.4095, -0.2051328719, 0.003953394947],
                         [0.2094049287, 0.4062096144, 0.5973052092]]),
            "w after one step of nesterov_momentum with config=None",
            hint="From zero velocity, the first step is (1 + momentum) times an SGD step.")
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
# **AdaGrad** (Duchi et al., 2011) divides each parameter's step by the root of the sum of its own
# squared gradients so far:
#
# $$\mathbf{c} \leftarrow \mathbf{c} + (\nabla L)^2, \qquad
#   \mathbf{w} \leftarrow \mathbf{w} - \eta\,\frac{\nabla L}{\sqrt{\mathbf{c}} + \epsilon}$$
#
# (element-wise). A parameter with large gradients gets small steps, one with small gradients large
# ones: each direction is rescaled to roughly unit size, which evens out a ravine. The catch: the
# cache $\mathbf{c}$ only grows, so the steps shrink forever and training can stall.
#
# **RMSProp** (Hinton, 2012) replaces the sum by a moving average with decay rate $\rho$, so the
# scale tracks *recent* gradients and the steps do not die out:
#
# $$\mathbf{c} \leftarrow \rho\,\mathbf{c} + (1 - \rho)\,(\nabla L)^2, \qquad
#   \mathbf{w} \leftarrow \mathbf{w} - \eta\,\frac{\nabla L}{\sqrt{\mathbf{c}} + \epsilon}$$
#
# In both, the cache is the state, `config["cache"]`, updated *before* it is used, and
# $\epsilon$ (`epsilon`) only guards against a division by zero: it is added to the square root.

# %% answer="adagrad"
def adagrad(w, dw, config=None):
    """AdaGrad: per-parameter steps scaled by the accumulated squared gradients.

    Inputs: w, dw: arrays of one shape; config: dict (or None) with
    - learning_rate: float (default 1e-2); epsilon: float (default 1e-8)
    - cache: array shaped like w, the sum of squared gradients so far (default zeros)
    Returns (next_w, config): cache = cache + dw**2,
    next_w = w - learning_rate * dw / (sqrt(cache) + epsilon), config["cache"] = cache.
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
            "config['cache'] after 3 steps of adagrad",
            hint="The cache accumulates: cache = cache + dw ** 2 at every step.")
check_close(w, np.array([[-0.6212541479, -0.4512143474, 0.1033799824],
                         [0.4168864141, 0.6458000651, 0.568062857]]),
            "w after 3 steps of adagrad (learning_rate=0.1)",
            hint="next_w = w - learning_rate * dw / (np.sqrt(cache) + epsilon), with the cache "
                 "already updated.")
w, config = adagrad(w0, grads[0])
check_close(w, np.array([[-0.4099999998, -0.2099999996, 0.009999999519],
                         [0.2099999998, 0.4099999997, 0.5900000007]]),
            "w after one step of adagrad with config=None",
            hint="At the first step dw / sqrt(dw ** 2) is the sign of dw: every parameter moves "
                 "by learning_rate.")
### BEGIN HIDDEN TESTS
from grading import optimizers as hidden; hidden.check_adagrad(adagrad)
### END HIDDEN TESTS
passed("adagrad")


# %% answer="rmsprop"
def rmsprop(w, dw, config=None):
    """RMSProp: per-parameter steps scaled by a moving average of squared gradients.

    Inputs: w, dw: arrays of one shape; config: dict (or None) with
    - learning_rate: float (default 1e-2); epsilon: float (default 1e-8)
    - decay_rate: float in [0, 1), the weight of the old cache (default 0.99)
    - cache: array shaped like w, the moving average of dw**2 (default zeros)
    Returns (next_w, config): cache = decay_rate * cache + (1 - decay_rate) * dw**2,
    next_w = w - learning_rate * dw / (sqrt(cache) + epsilon), config["cache"] = cache.
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
            "config['cache'] after 3 steps of rmsprop (decay_rate=0.9)",
            hint="cache = decay_rate * cache + (1 - decay_rate) * dw ** 2: the old cache gets the "
                 "weight decay_rate.")
check_close(w, np.array([[-1.115182333, -1.006650443, 0.3231009908],
                         [0.9014845418, 1.190428665, 0.510376844]]),
            "w after 3 steps of rmsprop (learning_rate=0.1, decay_rate=0.9)",
            hint="next_w = w - learning_rate * dw / (np.sqrt(cache) + epsilon), with the cache "
                 "already updated.")
w, config = rmsprop(w0, grads[0])
check_close(w, np.array([[-0.49999998, -0.299999963, 0.09999995194],
                         [0.2999999798, 0.4999999694, 0.5000000705]]),
            "w after one step of rmsprop with config=None (decay_rate 0.99)")
### BEGIN HIDDEN TESTS
from grading import optimizers as hidden; hidden.check_rmsprop(rmsprop)
### END HIDDEN TESTS
passed("rmsprop")

# %% [markdown]
# ## 5. Adam: momentum and per-parameter scaling together
#
# Adam (Kingma and Ba, 2015) keeps two moving averages: $\mathbf{m}$, of the gradient (momentum),
# and $\mathbf{v}$, of its square (RMSProp's cache). Both start at zero, so early on they are
# biased towards zero: after one step $\mathbf{m} = (1-\beta_1)\nabla L$, a tenth of the gradient
# for $\beta_1 = 0.9$. Dividing by $1 - \beta^t$ removes that bias exactly when the gradients are
# constant. At step $t = 1, 2, \dots$:
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
# before the bias correction, so the first update uses $t = 1$. Each step moves each parameter by
# about $\eta$ at most, whatever the scale of its gradient: this is what makes Adam's default
# learning rate, $10^{-3}$, work on so many problems.

# %% answer="adam"
def adam(w, dw, config=None):
    """Adam, with bias correction.

    Inputs: w, dw: arrays of one shape; config: dict (or None) with
    - learning_rate: float (default 1e-3); epsilon: float (default 1e-8)
    - beta1: decay of the first moment m (default 0.9)
    - beta2: decay of the second moment v (default 0.999)
    - m, v: arrays shaped like w (default zeros); t: int, steps taken so far (default 0)
    Returns (next_w, config), with t incremented FIRST:
      t = t + 1;  m = beta1 * m + (1 - beta1) * dw;  v = beta2 * v + (1 - beta2) * dw**2
      next_w = w - learning_rate * (m / (1 - beta1**t)) / (sqrt(v / (1 - beta2**t)) + epsilon)
    and config["m"], config["v"], config["t"] updated.
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
           f"config['v'] and config['t'] (the returned config has keys {sorted(config)}).")
check_true(config["t"] == 3, f"config['t'] is {config['t']} after 3 steps of adam, expected 3: "
           "increment t once per step, and return it in config.")
check_close(config["m"], np.array([[0.2251990188, 0.1856362061, -0.02459967842],
                                   [-0.212218732, -0.2047248621, -0.009007898096]]),
            "config['m'] after 3 steps of adam (beta1=0.8)",
            hint="m = beta1 * m + (1 - beta1) * dw; store m itself, not the bias-corrected m_hat.")
check_close(config["v"], np.array([[0.05879559463, 0.03928629851, 0.004450615856],
                                   [0.05295343024, 0.04742052736, 0.003522713036]]),
            "config['v'] after 3 steps of adam (beta2=0.9)",
            hint="v = beta2 * v + (1 - beta2) * dw ** 2; store v itself, not v_hat.")
check_close(w, np.array([[-0.6989342624, -0.4995451069, 0.2264091729],
                         [0.4980498168, 0.700254138, 0.4503633387]]),
            "w after 3 steps of adam (learning_rate=0.1, beta1=0.8, beta2=0.9)",
            hint="Bias-correct with the incremented t: m_hat = m / (1 - beta1 ** t), "
                 "v_hat = v / (1 - beta2 ** t), then w - learning_rate * m_hat / "
                 "(np.sqrt(v_hat) + epsilon).")
w, config = adam(w0, grads[0])
check_close(w, np.array([[-0.401, -0.201, 0.0009999999519], [0.201, 0.401, 0.5990000001]]),
            "w after one step of adam with config=None (learning_rate 1e-3)",
            hint="With bias correction the first step moves every parameter by learning_rate "
                 "(m_hat / sqrt(v_hat) is the sign of dw).")
### BEGIN HIDDEN TESTS
from grading import optimizers as hidden; hidden.check_adam(adam)
### END HIDDEN TESTS
passed("adam")

# %% [markdown]
# ### Nadam: Adam with Nesterov's look-ahead
#
# Nadam (Dozat, 2016) applies Nesterov's idea to Adam: the step uses the momentum it is *about to*
# have, a mix of the bias-corrected $\hat{\mathbf{m}}$ carried one step further and the fresh
# gradient. With $\mathbf{m}, \mathbf{v}, \hat{\mathbf{m}}, \hat{\mathbf{v}}, t$ exactly as in Adam:
#
# $$\bar{\mathbf{m}} = \beta_1 \hat{\mathbf{m}} + \frac{(1-\beta_1)\,\nabla L}{1 - \beta_1^{\,t}},
#   \qquad \mathbf{w} \leftarrow \mathbf{w} - \eta\,\bar{\mathbf{m}} / (\sqrt{\hat{\mathbf{v}}} + \epsilon).$$
#
# (This is the common simplified form, without Dozat's schedule on $\beta_1$.)

# %% answer="nadam"
def nadam(w, dw, config=None):
    """Nadam: Adam whose step uses a Nesterov look-ahead of the momentum.

    Inputs and state: as adam (learning_rate 1e-3, beta1 0.9, beta2 0.999, epsilon 1e-8, m, v, t).
    Returns (next_w, config), with t incremented first and m, v, m_hat, v_hat as in adam:
      m_bar = beta1 * m_hat + (1 - beta1) * dw / (1 - beta1**t)
      next_w = w - learning_rate * m_bar / (sqrt(v_hat) + epsilon)
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
    m_bar = beta1 * m_hat + (1 - beta1) * dw / (1 - beta1 ** t)
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
           f"config['v'] and config['t'] (the returned config has keys {sorted(config)}).")
check_true(config["t"] == 3, f"config['t'] is {config['t']} after 3 steps of nadam, expected 3.")
check_close(config["m"], np.array([[0.2251990188, 0.1856362061, -0.02459967842],
                                   [-0.212218732, -0.2047248621, -0.009007898096]]),
            "config['m'] after 3 steps of nadam (beta1=0.8)",
            hint="m and v are updated exactly as in adam.")
check_close(w, np.array([[-0.8307455549, -0.6518023839, 0.2857442715],
                         [0.62697849, 0.8487013895, 0.4284871913]]),
            "w after 3 steps of nadam (learning_rate=0.1, beta1=0.8, beta2=0.9)",
            hint="m_bar = beta1 * m_hat + (1 - beta1) * dw / (1 - beta1 ** t) replaces m_hat in "
                 "adam's step.")
w, config = nadam(w0, grads[0])
check_close(w, np.array([[-0.4019, -0.2018999999, 0.001899999909],
                         [0.2019, 0.4018999999, 0.5981000001]]),
            "w after one step of nadam with config=None")
### BEGIN HIDDEN TESTS
from grading import optimizers as hidden; hidden.check_nadam(nadam)
### END HIDDEN TESTS
passed("nadam")

# %% [markdown]
# ## 6. Learning-rate schedules
#
# Near a minimum, minibatch noise keeps a constant-step optimizer bouncing around at a distance
# proportional to $\eta$. Lowering $\eta$ as training goes on lets it settle. Two common schedules:
#
# - **step decay**: multiply $\eta$ by `drop` every `every` epochs,
#   $\eta_e = \eta_0 \cdot \text{drop}^{\lfloor e / \text{every} \rfloor}$ (epochs count from 0);
# - **cosine** (Loshchilov and Hutter, 2017): glide from $\eta_0$ to $\eta_{\min}$ along half a
#   cosine over `total_steps`, and stay at $\eta_{\min}$ afterwards:
#   $\eta_s = \eta_{\min} + \tfrac12(\eta_0 - \eta_{\min})\,(1 + \cos(\pi \min(s, S) / S))$.
#
# Both take an int **or an array** of epochs/steps (handy for plotting): write them with numpy
# operations (`//`, `np.cos`, `np.minimum`), no `if` on the value.

# %% answer="schedules"
def step_decay(lr0, epoch, drop=0.5, every=10):
    """Step decay: lr0 * drop ** (epoch // every).

    Inputs: lr0: float, the initial learning rate; epoch: int or int array (from 0);
    drop: float factor applied every `every` epochs. Returns: float or array shaped like epoch.
    """
    ### BEGIN SOLUTION
    return lr0 * drop ** (np.asarray(epoch) // every)
    ### END SOLUTION


def cosine(lr0, step, total_steps, lr_min=0.0):
    """Cosine schedule: lr0 at step 0, lr_min at step total_steps and after.

    Inputs: lr0, lr_min: floats; step: int or int array (from 0); total_steps: int > 0.
    Returns lr_min + 0.5 * (lr0 - lr_min) * (1 + cos(pi * min(step, total_steps) / total_steps)),
    a float or an array shaped like step.
    """
    ### BEGIN SOLUTION
    progress = np.minimum(np.asarray(step), total_steps) / total_steps
    return lr_min + 0.5 * (lr0 - lr_min) * (1 + np.cos(np.pi * progress))
    ### END SOLUTION


# %% test="schedules" points=2
check_close(step_decay(0.1, np.array([0, 9, 10, 25])), np.array([0.1, 0.1, 0.05, 0.025]),
            "step_decay(0.1, epochs [0, 9, 10, 25]) with drop=0.5, every=10",
            hint="The rate drops at epochs 10, 20...: lr0 * drop ** (epoch // every), with "
                 "integer division.")
check_close(step_decay(1.0, 7, drop=0.1, every=3), 0.01, "step_decay(1.0, 7, drop=0.1, every=3)")
check_close(cosine(0.1, np.array([0, 25, 50, 100, 150]), 100, lr_min=0.01),
            np.array([0.1, 0.08681980515, 0.055, 0.01, 0.01]),
            "cosine(0.1, steps [0, 25, 50, 100, 150], total_steps=100, lr_min=0.01)",
            hint="lr0 at step 0, halfway (lr0 + lr_min) / 2, lr_min at total_steps, and it stays "
                 "at lr_min after total_steps (np.minimum(step, total_steps)).")
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
# rate just below its stability limit, zig-zags across the ravine and then advances along it by
# a constant factor per step: a straight line on the log-scale loss plot. Momentum, at half that
# rate, still swings across, but the swings shrink while its progress along $w_1$ accumulates;
# Nesterov's look-ahead damps the swing after the first one. Both end a thousand times lower than
# SGD. The adaptive rules rescale each coordinate: their first steps go diagonally (each
# coordinate moves by about $\eta$, whatever its gradient), ignoring the 50:1 ratio of the slopes.
# RMSProp is the fastest here; Adam's momentum makes it overshoot and circle back.

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

# %% [markdown]
# Rosenbrock's valley is harder: the way to the minimum curves, and its floor falls by only a few
# units over its whole length. Starting at $(-1.5, 2)$, 1,000 steps each, all rules drop into the
# valley within a few steps and then follow its floor (the paths overlap on the left). The loss
# plot tells them apart: SGD, whose learning rate is capped by the steep walls, inches along the
# floor; momentum (and Nesterov, almost the same here) gathers speed along it; RMSProp's steps of
# nearly fixed size make it bounce off the walls near the end (the spikes); Adam and Nadam
# combine both ideas and get closest to the minimum.

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

# %% [markdown]
# ### Saddle points
#
# At a saddle, the gradient vanishes although the point is no minimum: the surface curves up in
# some directions and down in others. In high dimensions, most critical points of a loss are
# saddles. Take $f(\mathbf{w}) = \tfrac12 w_1^2 - \tfrac12 w_2^2 + \tfrac14 w_2^4$, a saddle at the
# origin between two minima at $w_2 = \pm 1$, and start almost exactly on the ridge,
# $w_2 = 10^{-4}$. Along $w_2$ the gradient is $-w_2 + w_2^3 \approx -w_2$: tiny, and it grows only
# as fast as $w_2$ itself. SGD escapes by a factor $(1 + \eta)$ per step; momentum multiplies the
# escape speed because the velocity keeps growing. The adaptive rules see a tiny gradient, divide
# it by its own tiny scale, and step away at full speed.

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

# %% [markdown]
# Momentum at $\eta = 0.01$, $\mu = 0.9$ follows SGD at $\eta = 0.1$ almost exactly: its effective
# step along a consistent direction is $\eta / (1 - \mu) = 0.1$ too, and this small network's loss
# has no ravine bad enough for the damping of oscillations to matter. The adaptive rules start
# much faster at their default rates, and stay ahead over two epochs: that robustness is why
# Adam is the usual first choice. On larger problems a well-tuned SGD with momentum and a
# schedule often catches up and generalises as well or better; the adaptive rules win on ease of
# use.
#
# ## Summary
#
# - An update rule is `rule(w, dw, config) -> (next_w, config)`; the config carries the
#   hyperparameters and the state from one step to the next, and nothing is modified in place.
# - Momentum accumulates a velocity: oscillations across a ravine cancel, consistent progress
#   along it adds up, and the ball rolls through flat regions and off saddle points. Nesterov
#   evaluates the gradient where the velocity is taking it.
# - AdaGrad and RMSProp divide each parameter's step by the root of its recent squared
#   gradients, so steep and flat directions advance at similar speeds.
# - Adam combines both, with a bias correction for the zero-initialised averages; Nadam adds
#   Nesterov's look-ahead.
# - Schedules lower the learning rate over time so that noisy steps settle into a minimum.
