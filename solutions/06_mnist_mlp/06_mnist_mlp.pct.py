# %% [markdown]
# # 06 · Handwritten digits with a multi-layer perceptron
#
# Notebook 05 wrote layers as pairs of functions, `forward` and `backward`. This notebook packs
# each layer into an **object** that holds its parameters and remembers what its backward pass
# needs, stacks such objects into a network, and trains it on MNIST: 70 000 scanned
# handwritten digits. By the end you will have
#
# 1. loaded MNIST and looked at it, and seen how images become rows of numbers,
# 2. written He's and Glorot's initialisations, seen why all-zero weights cannot learn, and
#    looked at what the initial scale does to the activations of a deep network,
# 3. written the layers `Linear`, `ReLU` and `SoftmaxCrossEntropy` as objects,
# 4. written a step of stochastic gradient descent and the accuracy of a classifier,
# 5. written the training loop: shuffled minibatches, epochs, a validation after each epoch,
# 6. trained a 784-256-128-10 network to more than 98% test accuracy in under half a minute,
#    and looked at the digits it still gets wrong,
# 7. watched gradients vanish in a deep sigmoid network while it trains, and not in a ReLU one.
#
# Your layers and your loop do not stay here: notebooks 07 to 09 build on them (they come with
# those notebooks as `layers.py` and `training_loop.py`).
#
# **How this works.** Cells marked `# YOUR CODE HERE` are yours: replace
# `raise NotImplementedError()` with your code. The test cell after each answer checks it and
# tells you what is wrong; more tests run when your work is graded. Run the cells in order.

# %% locked=true
import time
import timeit

import matplotlib.pyplot as plt
import numpy as np

from tqdm.auto import tqdm

from dlcourse.data import load_mnist
from dlcourse.plotting import (plot_confusion_matrix, plot_curves, plot_image_grid,
                               plot_layer_histograms)
from dlcourse.report import record
from dlcourse.runtime import quick
from dlcourse.testing import (LinearModel, call_unmutated, check_backward, check_close,
                              check_equal, check_true, describe, missing_keys, passed)

# %% [markdown]
# ## 1. MNIST
#
# Each image is 28 × 28 grey pixels, a digit drawn in white on black; each label is the digit,
# 0 to 9. `load_mnist` returns the 60 000 training and 10 000 test images. We hold 5 000 of the
# training images out as a **validation set**: we watch it during training to choose settings,
# and keep the test set for one final measurement.

# %%
mnist = load_mnist(validation_size=5000, rng=np.random.default_rng(0))
for name, array in mnist.items():
    print(f"{name:8} shape {str(array.shape):12} dtype {array.dtype}")
plot_image_grid(mnist["X_train"][:30], mnist["y_train"][:30], title="the first 30 training images")
plt.show()

# %% [markdown]
# **Images as rows.** A multi-layer perceptron takes vectors, so each image arrives *flattened*:
# its 28 rows of pixels laid end to end, 784 numbers. The network is never told which pixels are
# neighbours (notebook 07 gives that back with convolutions).
#
# **Normalisation.** The files store pixels as integers 0 to 255; `load_mnist` divides by 255,
# so inputs lie in $[0, 1]$. With raw values of 255, the first layer's outputs would be 255 times
# larger, and so would its gradients: a learning rate that suits one scale diverges at the other.
# Inputs of order 1 keep the initialisation of section 2 meaningful.
#
# **float32.** Every array is float32 (4 bytes a number) rather than numpy's default float64.
# That halves memory and roughly doubles the speed of matrix products (the cell below times one
# batch through a first layer), and deep learning does not need the extra digits. Keep it that
# way: one float64 array (a bias created with `np.zeros(n)`) turns every result after it into
# float64.

# %%
sample = mnist["X_train"][:5000]
print(f"pixel values of the first 5 000 training images: from {sample.min()} to {sample.max()}, "
      f"mean {sample.mean():.3f}")
print("class counts in the training set:", np.bincount(mnist["y_train"]))
for dtype in (np.float32, np.float64):
    x_batch = mnist["X_train"][:1000].astype(dtype)
    W = np.random.default_rng(0).standard_normal((784, 256)).astype(dtype)
    seconds = min(timeit.repeat(lambda: x_batch @ W, number=1, repeat=20))
    print(f"(1000, 784) @ (784, 256) in {np.dtype(dtype).name}: {seconds * 1000:.2f} ms, "
          f"the two arrays take {(x_batch.nbytes + W.nbytes) / 2**20:.1f} MiB")

# %% [markdown]
# **One-hot labels.** The label 3 is a class, not a quantity: 3 is not "between" 2 and 4. When a
# target must be a vector, the label $k$ becomes the row $k$ of the $10 \times 10$ identity matrix,
# a vector of zeros with a single 1 in position $k$. Our loss works with the integer labels
# directly, but it compares the predicted probabilities with exactly this vector.

# %%
print("labels:", mnist["y_train"][:4])
print(np.eye(10, dtype=np.float32)[mnist["y_train"][:4]])

# %% [markdown]
# ## 2. Initialising the weights
#
# A layer computes $x W + b$ with $W$ of shape (fan_in, fan_out): fan_in inputs, fan_out outputs.
# How large should the starting values of $W$ be? Each output sums fan_in products, so its
# variance is about $\text{fan\_in} \cdot \operatorname{Var}(W) \cdot \operatorname{E}[x^2]$. To
# keep signals the same size from layer to layer, $\operatorname{Var}(W)$ must shrink like
# $1/\text{fan\_in}$:
#
# - **LeCun** (1998): $\operatorname{Var}(W) = 1/\text{fan\_in}$ keeps the variance of the output
#   equal to that of the input, for activations that behave like the identity near 0 (tanh).
# - **Xavier / Glorot** (2010): $\operatorname{Var}(W) = 2/(\text{fan\_in} + \text{fan\_out})$.
#   The backward pass multiplies by $W^\top$, whose variance argument gives
#   $1/\text{fan\_out}$; Glorot and Bengio take the average of the two conditions. When
#   fan_in = fan_out it is LeCun's rule.
# - **He** (2015): $\operatorname{Var}(W) = 2/\text{fan\_in}$. ReLU sets half of its inputs to 0,
#   which halves $\operatorname{E}[x^2]$; the factor 2 makes up for it.
#
# **Your turn.** `he_init(fan_in, fan_out, rng)` returns He-initialised weights: draw
# `rng.standard_normal((fan_in, fan_out))`, multiply by $\sqrt{2/\text{fan\_in}}$ (a standard
# deviation, the square root of the variance) and return the result as float32.

# %% answer="he_init" tags=["provided"]
def he_init(fan_in, fan_out, rng):
    """He initialisation for a layer followed by a ReLU.

    Inputs:
    - fan_in, fan_out: the numbers of inputs and outputs of the layer
    - rng: np.random.Generator to draw from
    Returns: W, a float32 array of shape (fan_in, fan_out) with entries drawn from a normal
    distribution of mean 0 and standard deviation sqrt(2 / fan_in).
    """
    ### BEGIN SOLUTION
    return (rng.standard_normal((fan_in, fan_out)) * np.sqrt(2 / fan_in)).astype(np.float32)
    ### END SOLUTION


# %% test="he_init" points=1
W = he_init(3, 2, np.random.default_rng(0))
check_close(W, np.array([[0.1026583, -0.1078632], [0.5229029, 0.0856506],
                         [-0.4373722, 0.2952411]]), "he_init(3, 2, np.random.default_rng(0))",
            hint="Draw rng.standard_normal((fan_in, fan_out)) and multiply by "
                 "np.sqrt(2 / fan_in), a standard deviation (not the variance 2 / fan_in).")
check_true(W.dtype == np.float32, f"he_init should return float32 weights, not {W.dtype}: "
           "convert with .astype(np.float32).")
W = he_init(1000, 300, np.random.default_rng(1))
check_true(abs(W.std() / np.sqrt(2 / 1000) - 1) < 0.02,
           f"The standard deviation of he_init(1000, 300) is {W.std():.4f}, but "
           f"sqrt(2 / fan_in) = {np.sqrt(2 / 1000):.4f}: check the scale (fan_in, not fan_out).")
### BEGIN HIDDEN TESTS
from grading import mnist_mlp as hidden; hidden.check_he_init(he_init)
### END HIDDEN TESTS
passed("he_init")

# %% [markdown]
# **Your turn.** `glorot_init(fan_in, fan_out, rng)`, the same with Glorot's variance
# $2/(\text{fan\_in} + \text{fan\_out})$. Section 4 puts the three scales side by side: 0.01,
# Glorot's and He's, for three activations.

# %% answer="glorot_init"
def glorot_init(fan_in, fan_out, rng):
    """Glorot (Xavier) initialisation, for a layer followed by tanh or a sigmoid.

    Inputs:
    - fan_in, fan_out: the numbers of inputs and outputs of the layer
    - rng: np.random.Generator to draw from
    Returns: W, a float32 array of shape (fan_in, fan_out), drawn from a normal distribution of
    mean 0 and variance 2 / (fan_in + fan_out) (Glorot and Bengio, 2010).
    """
    ### BEGIN SOLUTION
    return (rng.standard_normal((fan_in, fan_out)) * np.sqrt(2 / (fan_in + fan_out))).astype(
        np.float32)
    ### END SOLUTION


# %% test="glorot_init" points=1
W = glorot_init(1000, 300, np.random.default_rng(1))
check_true(abs(W.std() / np.sqrt(2 / 1300) - 1) < 0.02,
           f"The standard deviation of glorot_init(1000, 300) is {W.std():.4f}, but "
           f"sqrt(2 / (fan_in + fan_out)) = {np.sqrt(2 / 1300):.4f}. (sqrt(1 / fan_in) = "
           f"{np.sqrt(1 / 1000):.4f} is LeCun's scale, sqrt(2 / fan_in) = {np.sqrt(2 / 1000):.4f} "
           "He's.)")
check_true(W.dtype == np.float32, f"glorot_init should return float32 weights, not {W.dtype}: "
           "convert with .astype(np.float32).")
check_close(glorot_init(3, 2, np.random.default_rng(0)),
            np.array([[0.0795188, -0.0835505], [0.4050388, 0.0663447], [-0.338787, 0.2286928]]),
            "glorot_init(3, 2, np.random.default_rng(0))",
            hint="Draw rng.standard_normal((fan_in, fan_out)) and multiply by the standard "
                 "deviation, the square root of the variance 2 / (fan_in + fan_out).")
### BEGIN HIDDEN TESTS
from grading import mnist_mlp as hidden; hidden.check_glorot_init(glorot_init)
### END HIDDEN TESTS
passed("glorot_init")

# %% [markdown]
# ## 3. Layers as objects
#
# A layer object keeps its parameters in a dictionary `params` (name → array) and, after
# `backward`, their gradients in `grads` (same names). `forward(x)` computes the output and
# stores on the object (`self.x = x`, say) whatever `backward` will need; `backward(dout)` takes
# the gradient of the loss with respect to the output and returns the gradient with respect to
# the input, filling `grads` on the way. Layers without parameters (ReLU) have empty
# dictionaries, so a network can treat all its layers alike.
#
# **`Linear`** computes $\text{out} = x W + b$ for a batch $x$ of shape (N, fan_in). Like
# CS231n's affine layer it also accepts a batch of images (N, 1, 28, 28): each example is
# flattened to a row first (`x.reshape(N, -1)`), and `dx` gets the shape of `x` back.
# From notebook 05:
#
# $$dx = \text{dout}\, W^\top, \qquad dW = x^\top \text{dout}, \qquad
#   db = \textstyle\sum_{i} \text{dout}_i$$
#
# $dW$ and $db$ sum the contributions of the N examples of the batch (the loss already averages
# over the batch). Create `W` with your `he_init` and `b` as float32 zeros. `backward` replaces
# the gradients of the previous call; it does not add to them.

# %% answer="linear" tags=["provided"]
class Linear:
    """A fully connected layer: out = x @ W + b.

    params: {"W": (fan_in, fan_out), "b": (fan_out,)}, float32; grads: the same keys and shapes,
    filled by backward.
    """

    def __init__(self, fan_in, fan_out, rng):
        """W = he_init(fan_in, fan_out, rng); b = float32 zeros (fan_out,)."""
        ### BEGIN SOLUTION
        self.params = {"W": he_init(fan_in, fan_out, rng), "b": np.zeros(fan_out, np.float32)}
        self.grads = {}
        self.input_grad = True   # set to False by a Sequential whose first layer this is
        ### END SOLUTION

    def forward(self, x):
        """x: (N, fan_in), or (N, d_1, ..., d_k) with d_1 * ... * d_k = fan_in; float32, in
        any memory layout (a transposed or strided view too); N may be 1.
        Returns out: (N, fan_out), float32. Stores what backward needs."""
        ### BEGIN SOLUTION
        self.x = x
        return x.reshape(len(x), -1) @ self.params["W"] + self.params["b"]
        ### END SOLUTION

    def backward(self, dout):
        """dout: (N, fan_out), float32, the gradient of the loss with respect to out.
        Sets grads["W"] (fan_in, fan_out) and grads["b"] (fan_out,), float32, summed over the
        batch. Returns dx, float32, of the shape of the x given to the last forward (see
        section 4 for an exception). Calling it again gives the same results: it changes
        neither x nor what forward stored."""
        ### BEGIN SOLUTION
        x_rows = self.x.reshape(len(self.x), -1)
        self.grads = {"W": x_rows.T @ dout, "b": dout.sum(axis=0)}
        if not self.input_grad:
            return None   # the gradient with respect to the data: nothing would read it
        return (dout @ self.params["W"].T).reshape(self.x.shape)
        ### END SOLUTION


# %% test="linear" points=3
layer = Linear(3, 2, np.random.default_rng(0))
check_true(set(layer.params) == {"W", "b"}, "Linear.params should have the keys 'W' and 'b': "
           f"{missing_keys(layer.params, ('W', 'b'))}.")
check_equal(np.array(layer.params["W"].shape), np.array([3, 2]), "the shape of params['W'] of "
            "Linear(3, 2, rng)", hint="W has shape (fan_in, fan_out).")
check_true(layer.params["W"].dtype == np.float32 and layer.params["b"].dtype == np.float32,
           f"W and b should be float32, not {layer.params['W'].dtype} and "
           f"{layer.params['b'].dtype}: create b with np.zeros(fan_out, dtype=np.float32).")
check_close(layer.params["b"], np.zeros(2), "params['b'] of a new Linear layer")
layer.params = {"W": np.linspace(-0.5, 0.7, 6, dtype=np.float32).reshape(3, 2),
                "b": np.array([0.1, -0.2], dtype=np.float32)}
x = np.linspace(-1, 1, 12, dtype=np.float32).reshape(4, 3)
out = call_unmutated(layer.forward, x)
check_close(out, np.array([[0.3236364, -0.5654545], [0.2909091, -0.2054546],
                          [0.2581818, 0.1545455], [0.2254545, 0.5145454]]),
            "Linear.forward(x) for x of shape (4, 3)", hint="out = x @ W + b.")
check_true(out.dtype == np.float32, f"Linear.forward turned float32 inputs into {out.dtype}.")
dout = np.linspace(-0.3, 1.1, 8, dtype=np.float32).reshape(4, 2)
dx = call_unmutated(layer.backward, dout)
check_close(dx, np.array([[0.176, -0.016, -0.208], [-0.128, 0.064, 0.256],
                          [-0.432, 0.144, 0.72], [-0.736, 0.224, 1.184]]),
            "dx from Linear.backward", hint="dx = dout @ W.T")
check_close(layer.grads["W"], np.array([[0.8727273, 0.7272727], [1.0909091, 1.0909091],
                                        [1.3090909, 1.4545455]]),
            "grads['W'] from Linear.backward", batch_size=4, hint="dW = x.T @ dout")
check_close(layer.grads["b"], np.array([1.2, 2.0]), "grads['b'] from "
            "Linear.backward", batch_size=4, hint="db = dout summed over the batch axis.")
dW = layer.grads["W"].copy()
layer.backward(dout)
check_close(layer.grads["W"], dW, "grads['W'] after calling backward a second time with the "
            "same dout", hint="backward replaces grads; it must not add to the previous call's.")
check_close(layer.forward(x.reshape(4, 3, 1)), out, "Linear.forward for x of shape (4, 3, 1)",
            hint="Flatten each example first: x.reshape(N, -1).")


def linear_forward(x, W, b):
    layer = Linear(*W.shape, np.random.default_rng(0))
    layer.params = {"W": W, "b": b}
    return layer.forward(x), layer


def linear_backward(dout, layer):
    return layer.backward(dout), layer.grads["W"], layer.grads["b"]


rng = np.random.default_rng(6)
check_backward(linear_forward, linear_backward, {"x": rng.standard_normal((5, 2, 3)),
               "W": rng.standard_normal((6, 4)), "b": rng.standard_normal(4)}, rng=rng)
### BEGIN HIDDEN TESTS
from grading import mnist_mlp as hidden; hidden.check_linear(Linear)
### END HIDDEN TESTS
passed("Linear")

# %% [markdown]
# **`ReLU`** computes $\max(x, 0)$ element-wise, for an input of any shape. Its gradient is 1
# where $x > 0$ and 0 elsewhere (at exactly 0 too), so `backward` lets `dout` through where the
# input was positive and blocks it elsewhere. Do not modify `x`: the previous layer may still
# need it.

# %% answer="relu" tags=["provided"]
class ReLU:
    """Element-wise max(x, 0) for x of any shape. No parameters: params and grads are {}."""

    def __init__(self):
        self.params, self.grads = {}, {}

    def forward(self, x):
        """x: any shape, float32 or float64, any memory layout. Returns max(x, 0), same shape
        and dtype. Stores what backward needs; x itself is not modified."""
        ### BEGIN SOLUTION
        self.positive = x > 0
        return np.maximum(x, 0)
        ### END SOLUTION

    def backward(self, dout):
        """dout: the shape of x. Returns dx: dout where x > 0, else 0, the dtype of dout.
        Calling it again gives the same dx: it modifies neither what forward stored nor the
        output forward returned."""
        ### BEGIN SOLUTION
        return dout * self.positive
        ### END SOLUTION


# %% test="relu" points=2
layer = ReLU()
check_true(layer.params == {} and layer.grads == {},
           "ReLU has no parameters: its params and grads should be empty dictionaries.")
x = np.array([[-2.0, -0.5, 0.0], [0.5, 1.0, 3.0]], dtype=np.float32)
out = call_unmutated(layer.forward, x)
check_close(out, np.array([[0.0, 0.0, 0.0], [0.5, 1.0, 3.0]]), "ReLU.forward(x)")
check_true(out.dtype == np.float32, f"ReLU.forward turned float32 inputs into {out.dtype}.")
dout = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype=np.float32)
check_close(call_unmutated(layer.backward, dout), np.array([[0.0, 0.0, 0.0], [4.0, 5.0, 6.0]]),
            "dx from ReLU.backward", hint="dx = dout where x > 0, and 0 where x <= 0 (at 0 too).")


def relu_forward(x):
    layer = ReLU()
    return layer.forward(x), layer


def relu_backward(dout, layer):
    return layer.backward(dout)


rng = np.random.default_rng(7)
x = rng.standard_normal((3, 2, 4))
x[np.abs(x) < 0.01] = 0.5   # keep away from the kink at 0, where differences are not gradients
check_backward(relu_forward, relu_backward, {"x": x}, rng=rng)
### BEGIN HIDDEN TESTS
from grading import mnist_mlp as hidden; hidden.check_relu(ReLU)
### END HIDDEN TESTS
passed("ReLU")

# %% [markdown]
# **`SoftmaxCrossEntropy`** turns the scores (N, C) of the last layer into the loss. Softmax
# makes probabilities, $p_{ij} = e^{s_{ij}} / \sum_k e^{s_{ik}}$, and the loss is the mean over
# the batch of $-\log p_{i, y_i}$, the surprise at the true class. Its gradient is remarkably
# simple (notebook 03):
#
# $$\frac{\partial L}{\partial s_{ij}} = \frac{1}{N}\left(p_{ij} - [j = y_i]\right),$$
#
# the probabilities minus the one-hot labels, divided by N because the loss is a mean. Subtract
# each row's maximum from the scores before `np.exp`: it does not change $p$ and keeps
# `np.exp` from overflowing. `forward(scores, y)` returns the loss (a number); `backward()` takes
# no argument (the loss is the end of the network) and returns `dscores`.

# %% answer="softmax_cross_entropy" tags=["provided"]
class SoftmaxCrossEntropy:
    """Softmax followed by the cross-entropy loss, averaged over the batch."""

    def __init__(self):
        self.params, self.grads = {}, {}

    def forward(self, scores, y):
        """scores: (N, C), float32 or float64, any memory layout; y: (N,) integer labels in
        [0, C), of any integer dtype. Returns the mean cross-entropy loss, a float. Stores what
        backward needs."""
        ### BEGIN SOLUTION
        shifted = scores - scores.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        self.probs, self.y = np.exp(log_probs), y
        return float(-log_probs[np.arange(len(y)), y].mean())
        ### END SOLUTION

    def backward(self):
        """Returns dscores: (N, C), the gradient of the loss with respect to scores, of the
        dtype of scores. Calling it again gives the same dscores: it does not modify what
        forward stored."""
        ### BEGIN SOLUTION
        dscores = self.probs.copy()
        dscores[np.arange(len(self.y)), self.y] -= 1
        return dscores / len(self.y)
        ### END SOLUTION


# %% test="softmax_cross_entropy" points=3
loss_layer = SoftmaxCrossEntropy()
scores = np.array([[1.0, 2.0, 0.5], [0.0, 0.0, 0.0], [3.0, -1.0, 0.0], [0.2, 0.1, 2.0]],
                  dtype=np.float32)
y = np.array([1, 0, 2, 2])
loss = call_unmutated(loss_layer.forward, scores, y)
check_close(loss, 1.2256502, "SoftmaxCrossEntropy.forward(scores, y)", batch_size=4,
            hint="loss = mean over the batch of -log(p[i, y[i]]), p = softmax of each row.")
dscores = np.array([[0.057806, -0.0928671, 0.0350611], [-0.1666667, 0.0833333, 0.0833333],
                    [0.2340599, 0.004287, -0.2383468], [0.0314288, 0.028438, -0.0598668]])
check_close(loss_layer.backward(), dscores, "dscores from SoftmaxCrossEntropy.backward()",
            batch_size=4, dtype=np.float32,
            hint="dscores = (p - one_hot(y)) / N, in the dtype of scores (float32 here).")
check_close(loss_layer.backward(), dscores, "dscores from backward() called a second time",
            hint="backward must not change what forward stored: subtract the one-hot labels "
                 "from a copy of the probabilities.")
check_close(loss_layer.forward(np.array([[1000.0, 0.0], [0.0, 1000.0]]), np.array([0, 0])),
            500.0, "the loss for scores [[1000, 0], [0, 1000]] and labels [0, 0]",
            hint="Subtract each row's max before np.exp, or exp(1000) overflows to inf.")


def loss_forward(scores, y):
    layer = SoftmaxCrossEntropy()
    return layer.forward(scores, y), layer


def loss_backward(dloss, layer):
    return layer.backward() * dloss


rng = np.random.default_rng(8)
check_backward(loss_forward, loss_backward, {"scores": rng.standard_normal((5, 4))}, rng=rng,
               extra_args=(rng.integers(0, 4, size=5),))
### BEGIN HIDDEN TESTS
from grading import mnist_mlp as hidden; hidden.check_softmax_cross_entropy(SoftmaxCrossEntropy)
### END HIDDEN TESTS
passed("SoftmaxCrossEntropy")

# %% [markdown]
# ## 4. A network: layers in sequence
#
# `Sequential` (given, read it) chains layers: `forward` runs them in order, `backward` in
# reverse, each passing its gradient to the one before. It gathers every layer's parameters into
# one dictionary, `"0.W"`, `"0.b"`, `"2.W"`... (layer number, then name), holding the *same
# arrays* as the layers: a training loop that changes `model.params["0.W"]` in place changes the
# first layer's weights. Its `forward` takes `train`, for layers that behave differently while
# training (dropout, notebook 09): it sets `layer.training` on each layer before calling it.
# `as_loss_function` turns a loss layer into the `loss(scores, y) -> (loss, dscores)` that the
# training loop of section 6 expects.
#
# **One saving.** The first layer's $dx = \text{dout}\, W^\top$ is the gradient with respect to
# the *images*, which nothing reads, and it costs as much arithmetic as that layer's $dW$: here
# about a quarter of a training step (PyTorch skips it too: the input does not "require grad").
# So `Sequential` sets `input_grad = False` on its first layer (True on the others), and our
# `Linear.backward` then returns `None` without computing it. Your `Linear` may do the same
# (give it `self.input_grad = True` in `__init__`, for a layer used on its own); it need not,
# and the tests accept both.

# %% locked=true tags=["provided"]
class Sequential:
    """Layers applied one after the other: a model for train (section 6).

    params: {"<layer index>.<name>": array}, the layers' own arrays (not copies).
    grads: the same keys, gathered from the layers by backward.
    Sets layer.input_grad = False on the first layer, True on the others: nothing needs the
    gradient with respect to the data, and a layer may skip computing it.
    """

    def __init__(self, layers):
        self.layers = list(layers)
        self.params = {f"{i}.{name}": value for i, layer in enumerate(self.layers)
                       for name, value in layer.params.items()}
        self.grads = {}
        for i, layer in enumerate(self.layers):
            layer.input_grad = i > 0

    def forward(self, X, train=False):
        """X: (N, ...) a batch. Returns the last layer's output, scores (N, C)."""
        for layer in self.layers:
            layer.training = train
            X = layer.forward(X)
        return X

    def backward(self, dscores):
        """dscores: (N, C). Fills grads; returns what the first layer's backward returns (the
        gradient with respect to X, or None if it skips it)."""
        for layer in reversed(self.layers):
            dscores = layer.backward(dscores)
        self.grads = {f"{i}.{name}": value for i, layer in enumerate(self.layers)
                      for name, value in layer.grads.items()}
        return dscores


def as_loss_function(loss_layer):
    """loss(scores, y) -> (loss, dscores) from a loss layer such as SoftmaxCrossEntropy()."""
    def loss(scores, y):
        value = loss_layer.forward(scores, y)
        return value, loss_layer.backward()
    return loss


# %% [markdown]
# What the saving is worth, for one batch of 128 images through the network of section 7:

# %%
rng = np.random.default_rng(0)
model = Sequential([Linear(784, 256, rng), ReLU(), Linear(256, 128, rng), ReLU(),
                    Linear(128, 10, rng)])
scores = model.forward(mnist["X_train"][:128], train=True)
loss, dscores = as_loss_function(SoftmaxCrossEntropy())(scores, mnist["y_train"][:128])
for input_grad in (True, False):
    model.layers[0].input_grad = input_grad
    seconds = min(timeit.repeat(lambda: model.backward(dscores), number=20, repeat=5)) / 20
    print(f"backward with the first layer's dx {'computed' if input_grad else 'skipped '}: "
          f"{seconds * 1000:.2f} ms")
forward_seconds = min(timeit.repeat(lambda: model.forward(mnist["X_train"][:128], train=True),
                                    number=20, repeat=5)) / 20
print(f"(the forward pass: {forward_seconds * 1000:.2f} ms)")

# %% [markdown]
# ### Why initialisation matters
#
# **All zeros.** With $W = 0$ in every layer, every hidden unit outputs 0, the ReLUs pass no
# gradient, and $dx = \text{dout}\,W^\top = 0$ reaches no earlier layer. Every weight gradient
# is exactly zero: training cannot even start. Any *equal* starting values are nearly as bad:
# all units of a layer compute the same function, receive the same gradient, and stay
# identical forever. Random values break the symmetry.

# %%
rng = np.random.default_rng(0)
X_small, y_small = mnist["X_train"][:256], mnist["y_train"][:256]
for name, start in (("zeros", 0.0), ("all 0.01", 0.01)):
    model = Sequential([Linear(784, 256, rng), ReLU(), Linear(256, 128, rng), ReLU(),
                        Linear(128, 10, rng)])
    for key, value in model.params.items():
        value[...] = start if key.endswith("W") else 0.0
    loss, dscores = as_loss_function(SoftmaxCrossEntropy())(model.forward(X_small), y_small)
    model.backward(dscores)
    dW = model.grads["2.W"]
    print(f"W = {name:8}: largest |dW| per layer",
          [f"{np.abs(model.grads[k]).max():.2g}" for k in ("0.W", "2.W", "4.W")],
          f"| the 128 columns of layer 2's dW are all equal: {np.allclose(dW, dW[:, :1])}")

# %% [markdown]
# **The scale: looking at the activations.** The experiment of Saitoh's *Deep Learning from
# Scratch* (§6.2): 1 000 images go through 5 layers of 256 units, each a `Linear` with random
# weights and an activation, and we look at the distribution of the activations after each
# layer, for three activations (rows) and three initial scales (columns): a fixed standard
# deviation 0.01, your `glorot_init` and your `he_init`. Each histogram is scaled to its own
# highest bar (layer 1 at the bottom), so read the *shape* and the *spread*; the table under the
# plot gives each layer's standard deviation. For ReLU, the histograms show the positive
# activations only: about half of them are exactly 0, whatever the scale.

# %%
activations = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh,
               "ReLU": lambda z: np.maximum(z, 0)}
value_ranges = {"sigmoid": (0, 1), "tanh": (-1, 1), "ReLU": (0, 1.5)}
initialisations = {
    "N(0, 0.01²)": lambda fan_in, fan_out, rng: (0.01 * rng.standard_normal((fan_in, fan_out))
                                                 ).astype(np.float32),
    "Glorot": glorot_init, "He": he_init}
layer_stds = {}
fig, axes = plt.subplots(3, 3, figsize=(13, 10))
for row, (activation_name, activation) in enumerate(activations.items()):
    for column, (init_name, init) in enumerate(initialisations.items()):
        rng = np.random.default_rng(0)
        outputs, values = mnist["X_train"][:1000], []
        for depth in range(5):
            layer = Linear(outputs.shape[1], 256, rng)
            layer.params["W"] = init(outputs.shape[1], 256, rng)
            outputs = activation(layer.forward(outputs))
            values.append(outputs[outputs > 0] if activation_name == "ReLU" else outputs)
        layer_stds[activation_name, init_name] = [float(v.std()) for v in values]
        plot_layer_histograms(values, value_range=value_ranges[activation_name],
                              ax=axes[row, column], title=f"{activation_name}, {init_name}",
                              xlabel="activation (> 0)" if activation_name == "ReLU"
                              else "activation")
plt.tight_layout()
plt.show()
print("std of the activations    layer 1   layer 2   layer 3   layer 4   layer 5")
for (activation_name, init_name), stds in layer_stds.items():
    print(f"{activation_name:8} {init_name:15}", " ".join(f"{std:9.3g}" for std in stds))

# %% [markdown]
# What the plots show, row by row (the numbers are in the table):
#
# - **Sigmoid.** With 0.01 every unit of layers 2 to 5 outputs about 0.5: the inputs of a layer
#   are all near 0.5, their weighted sums near 0, and $\sigma(0) = 0.5$. Units that all say the
#   same thing are as useless as the equal weights above, and learning has to pull them apart
#   first. Glorot's and He's scales spread the outputs over a wider range, which stays the same
#   from layer to layer.
# - **tanh.** Near 0, tanh is the identity, so each layer multiplies the spread by
#   $0.01 \cdot \sqrt{256} = 0.16$ with the fixed scale: it is divided by more than 1 000 from
#   layer 1 to layer 5. With Glorot's scale the spread changes little from layer to layer (tanh is
#   what it was designed for); He's larger weights push more of them towards the flat ends, ±1,
#   where the gradient is small.
# - **ReLU.** With 0.01 the activations vanish; with Glorot's scale they shrink at every layer
#   (ReLU halves the variance, and Glorot's scale does not make up for it); with He's they keep
#   their size: the factor 2 of section 2 at work.
#
# Collapsing or exploding activations mean collapsing or exploding gradients too: the backward
# pass multiplies by the same weights. Section 8 measures what that does during training.

# %%
if not quick():
    stds = layer_stds
    assert max(stds["sigmoid", "N(0, 0.01²)"][1:]) < 0.05 < min(stds["sigmoid", "Glorot"][1:])
    assert stds["tanh", "N(0, 0.01²)"][0] / stds["tanh", "N(0, 0.01²)"][-1] > 1000
    assert 0.5 < stds["tanh", "Glorot"][-1] / stds["tanh", "Glorot"][0] < 1.5
    assert stds["tanh", "He"][-1] > stds["tanh", "Glorot"][-1]
    assert stds["ReLU", "N(0, 0.01²)"][-1] < 1e-4
    assert stds["ReLU", "Glorot"][-1] < 0.5 * stds["ReLU", "Glorot"][0]
    assert 0.5 < stds["ReLU", "He"][-1] / stds["ReLU", "He"][0] < 2

# %% [markdown]
# ## 5. Learning: a step of SGD, and accuracy
#
# One step of stochastic gradient descent moves every parameter against its gradient:
# $w \leftarrow w - \eta\, dw$. **Your turn.** `sgd_step(params, grads, lr)` returns a *new*
# dictionary with the updated arrays; it leaves `params` and `grads` as they were.

# %% answer="sgd_step" tags=["provided"]
def sgd_step(params, grads, lr):
    """One step of gradient descent.

    Inputs:
    - params: dict {name: array}; grads: dict with the same keys and shapes
    - lr: learning rate, a positive Python float or int
    Returns: a new dict {name: params[name] - lr * grads[name]}, each of its parameter's dtype.
    params and grads are not modified.
    """
    ### BEGIN SOLUTION
    return {name: params[name] - lr * grads[name] for name in params}
    ### END SOLUTION


# %% test="sgd_step" points=1
params = {"W": np.array([[1.0, -2.0], [0.5, 0.0]], dtype=np.float32),
          "b": np.array([0.1, 0.2], dtype=np.float32)}
grads = {"W": np.array([[0.5, 1.0], [-1.0, 2.0]], dtype=np.float32),
         "b": np.array([1.0, -1.0], dtype=np.float32)}
originals = {name: (params[name].copy(), grads[name].copy()) for name in params}
new_params = sgd_step(params, grads, 0.1)
for name, (param, grad) in originals.items():
    check_true(np.array_equal(params[name], param) and np.array_equal(grads[name], grad),
               f"sgd_step modified params[{name!r}] or grads[{name!r}] in place. Build new "
               "arrays: {name: params[name] - lr * grads[name] for name in params}.")
check_true(isinstance(new_params, dict) and set(new_params) == {"W", "b"},
           "sgd_step should return a dict with the same keys as params.")
check_close(new_params["W"], np.array([[0.95, -2.1], [0.6, -0.2]]), "sgd_step(...)['W'] with "
            "lr=0.1", hint="w - lr * dw: against the gradient, scaled by the learning rate.")
check_close(new_params["b"], np.array([0.0, 0.3]), "sgd_step(...)['b'] with lr=0.1")
check_true(new_params["W"].dtype == np.float32, "sgd_step turned float32 parameters into "
           f"{new_params['W'].dtype}.")
### BEGIN HIDDEN TESTS
from grading import mnist_mlp as hidden; hidden.check_sgd_step(sgd_step)
### END HIDDEN TESTS
passed("sgd_step")

# %% [markdown]
# The **accuracy** of a classifier is the fraction of examples whose highest score is the true
# class. **Your turn.** `accuracy(scores, y)` returns it as a number between 0 and 1.

# %% answer="accuracy" tags=["provided"]
def accuracy(scores, y):
    """scores: (N, C) float32 or float64, any memory layout; y: (N,) integer labels.
    Returns the fraction (a float in [0, 1]) of rows i where argmax of scores[i] is y[i]."""
    ### BEGIN SOLUTION
    return float(np.mean(scores.argmax(axis=1) == y))
    ### END SOLUTION


# %% test="accuracy" points=1
scores = np.array([[0.1, 0.9, 0.0], [2.0, 1.0, 3.0], [0.0, -1.0, -2.0], [0.3, 0.2, 0.1],
                   [1.0, 0.0, 5.0]])
y = np.array([1, 0, 0, 2, 2])
check_close(call_unmutated(accuracy, scores, y), 0.6, "accuracy(scores, y) with 3 of 5 right",
            batch_size=5, hint="The mean of (scores.argmax(axis=1) == y): a fraction, not a "
                               "count or a percentage.")
check_close(accuracy(scores[:1], y[:1]), 1.0, "accuracy on one example")
### BEGIN HIDDEN TESTS
from grading import mnist_mlp as hidden; hidden.check_accuracy(accuracy)
### END HIDDEN TESTS
passed("accuracy")

# %% [markdown]
# ## 6. The training loop
#
# Everything is in place to train: a model with `params`, `grads`, `forward` and `backward`, a
# loss, an update, and a way to score predictions. What remains is the loop that feeds the data
# to them, and you write it here. It is the one loop of the course: notebooks 07 to 09 train
# their networks with your `train` (it comes with them as `training_loop.py`, beside
# `layers.py`).
#
# **Minibatches.** One gradient step on all 55 000 images would be slow and would take one step
# per pass over the data. Stochastic gradient descent estimates the gradient from a small batch
# of examples instead, say 128, and takes a step after each: 430 steps per pass, an **epoch**.
# The batches must be *random*: MNIST's files happen to be mixed, but a dataset sorted by class
# would give batches of one digit at a time, and each step would drag the network towards that
# digit. So at the start of every epoch we shuffle, by drawing a random permutation of the
# example indices, and cut it into consecutive slices of `batch_size` indices; the last slice
# holds the remainder (55 000 = 429 × 128 + 88). A new permutation every epoch means new
# batches every epoch.
#
# **Your turn.** `minibatch_indices(n_examples, batch_size, rng)` returns that list of index
# arrays. Draw the permutation with exactly one call, `rng.permutation(n_examples)`, so that
# the same generator gives the same batches as ours; with `rng=None`, keep the examples in
# order (`np.arange`). `X[indices]` then selects the rows of one batch.

# %% answer="minibatch_indices" tags=["provided:training_loop"]
def minibatch_indices(n_examples, batch_size, rng=None):
    """The example indices of one epoch's minibatches.

    Inputs:
    - n_examples: N, the number of examples; batch_size: B, indices per batch
    - rng: np.random.Generator that shuffles the indices with one rng.permutation(N); None keeps
      them in order 0, 1, ..., N - 1
    Returns: a list of ceil(N / B) integer arrays, the consecutive slices of B indices of the
    (shuffled) order; the last one holds the N - B * floor(N / B) remaining indices if B does
    not divide N. Together they hold every index exactly once.
    """
    ### BEGIN SOLUTION
    order = np.arange(n_examples) if rng is None else rng.permutation(n_examples)
    return [order[start:start + batch_size] for start in range(0, n_examples, batch_size)]
    ### END SOLUTION


# %% test="minibatch_indices" points=2
batches = minibatch_indices(10, 4)
check_true(isinstance(batches, list) and len(batches) == 3,
           "minibatch_indices(10, 4) should return a list of 3 arrays (4, 4 and 2 indices), not "
           f"{type(batches).__name__} of length {len(batches)}.")
for k, expected in enumerate(([0, 1, 2, 3], [4, 5, 6, 7], [8, 9])):
    check_equal(batches[k], np.array(expected), f"batch {k} of minibatch_indices(10, 4) "
                "(no rng: in order)", hint="Cut np.arange(n_examples) into slices of "
                "batch_size; the last slice keeps the remainder.")
batches = minibatch_indices(10, 4, np.random.default_rng(0))
for k, expected in enumerate(([4, 6, 2, 7], [3, 5, 9, 0], [8, 1])):
    check_equal(batches[k], np.array(expected), f"batch {k} of minibatch_indices(10, 4, "
                "np.random.default_rng(0))", hint="Shuffle with one call to "
                "rng.permutation(n_examples), then cut the permutation into slices.")
rng = np.random.default_rng(1)
first, second = np.concatenate(minibatch_indices(7, 3, rng)), np.concatenate(
    minibatch_indices(7, 3, rng))
check_true(sorted(first) == list(range(7)) and sorted(second) == list(range(7)),
           "The batches of one call should hold every index from 0 to N - 1 exactly once.")
check_true(not np.array_equal(first, second), "Two calls with the same generator gave the same "
           "order: draw a new permutation at every call (every epoch), from rng.")
### BEGIN HIDDEN TESTS
from grading import mnist_mlp as hidden; hidden.check_minibatch_indices(minibatch_indices)
### END HIDDEN TESTS
passed("minibatch_indices")

# %% [markdown]
# With MNIST's training set and batches of 128 (the labels of the first batch show the mix):

# %%
batches = minibatch_indices(len(mnist["X_train"]), 128, np.random.default_rng(0))
print(f"{len(batches)} batches; the first holds the examples {batches[0][:6]}..., labels "
      f"{mnist['y_train'][batches[0]][:12]}...; the last holds {len(batches[-1])} examples")

# %% [markdown]
# **Evaluating.** After each epoch we measure the model on the validation set: its mean loss
# and its accuracy, with `forward(X, train=False)`, the network's **test mode** (dropout, in
# notebook 09, only drops units in training mode). A large set does not go through in one
# piece: 10 000 images times 256 hidden units is a 10 MB activation per layer, and larger
# networks need far more. So `evaluate` goes through the set in chunks of `batch_size` examples
# and combines the chunks' results. Careful: the last chunk may be smaller, so a plain mean of
# the chunks' means is not the mean over the examples; weight each chunk by its size.
#
# **Your turn.** `evaluate(model, X, y, loss=..., accuracy=..., batch_size=1000)`. The `*` in
# its signature makes `loss`, `accuracy` and `batch_size` keyword-only: a call must name them.

# %% answer="evaluate" tags=["provided:training_loop"]
def evaluate(model, X, y, *, loss, accuracy, batch_size=1000):
    """The mean loss and the accuracy of a model on a dataset, in test mode.

    Inputs:
    - model: has forward(X_batch, train) -> scores (B, C); called with train=False
    - X: (N, ...) inputs; y: (N,) labels, or whatever loss and accuracy take as targets
    - loss: loss(scores, y_batch) -> (mean loss over the batch, dscores)
    - accuracy: accuracy(scores, y_batch) -> fraction of the batch predicted right
    - batch_size: the largest number of examples given to forward at once
    Returns: (loss, accuracy), two floats: the means over all N examples, computed chunk by
    chunk (chunks of batch_size consecutive examples, the last one maybe smaller).
    """
    ### BEGIN SOLUTION
    total_loss = total_correct = 0.0
    for start in range(0, len(X), batch_size):
        X_chunk, y_chunk = X[start:start + batch_size], y[start:start + batch_size]
        scores = model.forward(X_chunk, train=False)
        total_loss += float(loss(scores, y_chunk)[0]) * len(X_chunk)
        total_correct += float(accuracy(scores, y_chunk)) * len(X_chunk)
    return total_loss / len(X), total_correct / len(X)
    ### END SOLUTION


# %% test="evaluate" points=2
def squared_error(scores, targets):
    """A loss of the protocol: the mean over the batch of |scores - targets|^2, and dscores."""
    return float(np.mean(np.sum((scores - targets) ** 2, axis=1))), \
        2 * (scores - targets) / len(scores)


def argmax_accuracy(scores, targets):
    return float(np.mean(scores.argmax(axis=1) == targets.argmax(axis=1)))


X = np.linspace(-1, 1, 20).reshape(10, 2)
targets = np.eye(2)[[0, 1, 1, 0, 1, 0, 0, 1, 1, 1]]
model = LinearModel(np.array([[1.0, -1.0], [0.5, 2.0]]), np.array([0.1, -0.2]))
result = call_unmutated(evaluate, model, X, targets, loss=squared_error,
                        accuracy=argmax_accuracy, batch_size=4)
check_true(isinstance(result, tuple) and len(result) == 2,
           f"evaluate should return a tuple (loss, accuracy), not {describe(result)}.")
check_true(model.calls == [(4, False), (4, False), (2, False)],
           "evaluate called model.forward with (batch size, train) = "
           f"{describe(model.calls)}; expected [(4, False), (4, False), (2, False)] for 10 "
           "examples in chunks of 4. Call forward(X_chunk, train=False) on consecutive chunks "
           "of batch_size examples, the last chunk with the remaining 2.")
check_close(result[0], 2.2713573, "the loss returned by evaluate", hint="The mean over all 10 "
            "examples: weight each chunk's mean loss by the chunk's size, then divide by N.")
check_close(result[1], 0.4, "the accuracy returned by evaluate", hint="The fraction over all "
            "10 examples: weight each chunk's accuracy by the chunk's size, then divide by N.")
### BEGIN HIDDEN TESTS
from grading import mnist_mlp as hidden; hidden.check_evaluate(evaluate, LinearModel)
### END HIDDEN TESTS
passed("evaluate")

# %% [markdown]
# **The loop.** `train` runs `epochs` passes over the training set. In each epoch it takes the
# batches of `minibatch_indices(N, batch_size, rng)`, in their order, and for each batch:
#
# 1. computes the scores with `model.forward(X_batch, train=True)` (training mode),
# 2. computes the loss and `dscores` with `loss(scores, y_batch)`; if the model has a method
#    `penalty` (a regularisation term, notebook 09), its value `model.penalty()` is added to the
#    loss that is recorded (its gradient is the model's business),
# 3. calls `model.backward(dscores)`, which fills `model.grads`,
# 4. updates every parameter: `next_w, config = update(w, dw, config)` with `w =
#    model.params[name]` and `dw = model.grads[name]`. This is CS231n's convention for an
#    update rule, one parameter at a time; `config` holds its settings (`"learning_rate"`) and
#    whatever state the rule keeps (a velocity, in notebook 08). So every parameter has its
#    *own* config, a copy of `optim_config` at the start, replaced by the one `update` returns.
#    Write `next_w` *into* the existing array, `w[...] = next_w`: a `Sequential` shares its
#    arrays with its layers, and `model.params[name] = next_w` would rebind the dictionary's
#    entry while the layers keep computing with the old array.
#
# After each epoch, it multiplies each config's learning rate by `lr_decay` (large steps to get
# close, smaller ones to settle), evaluates the validation set, if there is one, with your
# `evaluate`, and records in the **history**, a dict of lists:
#
# - `"train_loss"`, `"train_acc"`: the mean over the epoch's examples of the recorded loss and
#   of the accuracy on the training batches (each batch weighted by its size, as in `evaluate`);
# - `"val_loss"`, `"val_acc"`: `evaluate` on `X_val, y_val` after the epoch (only with a
#   validation set);
# - `"batch_loss"`: the recorded loss of every step, one entry per batch;
# - `"seconds"`: the time since the start of training at the end of each epoch
#   (`time.perf_counter()`).
#
# Long work shows its progress: wrap the steps in a `tqdm` bar, `with tqdm(total=number_of_steps,
# disable=not progress) as bar:` and `bar.update()` after each step (`bar.set_postfix(...)` can
# show the latest validation accuracy). Tests call `train` with `progress=False`, since a bar in a
# test cell would cost its points.

# %% answer="train" tags=["provided:training_loop"]
def train(model, X_train, y_train, *, loss, accuracy, update, optim_config, epochs, batch_size,
          rng, X_val=None, y_val=None, lr_decay=1.0, progress=True):
    """Train a model by minibatch gradient descent; return its history.

    Inputs:
    - model: params and grads (dicts with the same keys), forward(X_batch, train) -> scores,
      backward(dscores) filling grads; optionally penalty() -> a number added to the loss
    - X_train: (N, ...) inputs; y_train: (N,) labels, or what loss and accuracy take as targets
    - loss: loss(scores, y_batch) -> (mean loss over the batch, dscores)
    - accuracy: accuracy(scores, y_batch) -> fraction of the batch predicted right
    - update: update(w, dw, config) -> (next_w, config), applied to every parameter
    - optim_config: the initial config of every parameter, e.g. {"learning_rate": 0.1}
    - epochs: passes over the training set; batch_size: examples per step
    - rng: np.random.Generator that shuffles the batches of every epoch (minibatch_indices)
    - X_val, y_val: a validation set, evaluated in test mode after every epoch, or None
    - lr_decay: every config's "learning_rate" is multiplied by it after every epoch
    - progress: show a tqdm progress bar over all steps
    Returns: a dict of lists, "train_loss", "train_acc", "val_loss", "val_acc" (one number per
    epoch; the validation ones only with a validation set), "batch_loss" (one per step) and
    "seconds" (time since the start, at the end of each epoch).
    Updates the model's parameter arrays in place; X_train, y_train and optim_config are left
    as they were.
    """
    ### BEGIN SOLUTION
    configs = {name: dict(optim_config) for name in model.params}
    history = {"train_loss": [], "train_acc": [], "batch_loss": [], "seconds": []}
    if X_val is not None:
        history["val_loss"], history["val_acc"] = [], []
    n_steps = epochs * -(-len(X_train) // batch_size)
    start = time.perf_counter()
    with tqdm(total=n_steps, disable=not progress, unit="batch") as bar:
        for epoch in range(epochs):
            epoch_loss = epoch_correct = 0.0
            for rows in minibatch_indices(len(X_train), batch_size, rng):
                X_batch, y_batch = X_train[rows], y_train[rows]
                scores = model.forward(X_batch, train=True)
                batch_loss, dscores = loss(scores, y_batch)
                if hasattr(model, "penalty"):
                    batch_loss = float(batch_loss) + float(model.penalty())
                model.backward(dscores)
                for name, w in model.params.items():
                    next_w, configs[name] = update(w, model.grads[name], configs[name])
                    w[...] = next_w
                history["batch_loss"].append(float(batch_loss))
                epoch_loss += float(batch_loss) * len(rows)
                epoch_correct += float(accuracy(scores, y_batch)) * len(rows)
                bar.update()
            for config in configs.values():
                if "learning_rate" in config:
                    config["learning_rate"] *= lr_decay
            history["train_loss"].append(epoch_loss / len(X_train))
            history["train_acc"].append(epoch_correct / len(X_train))
            if X_val is not None:
                val_loss, val_acc = evaluate(model, X_val, y_val, loss=loss, accuracy=accuracy)
                history["val_loss"].append(val_loss)
                history["val_acc"].append(val_acc)
                bar.set_postfix(epoch=epoch + 1, val_acc=f"{val_acc:.2%}")
            history["seconds"].append(time.perf_counter() - start)
    return history
    ### END SOLUTION


# %% test="train" points=4
def squared_error(scores, targets):
    """A loss of the protocol: the mean over the batch of |scores - targets|^2, and dscores."""
    return float(np.mean(np.sum((scores - targets) ** 2, axis=1))), \
        2 * (scores - targets) / len(scores)


def argmax_accuracy(scores, targets):
    return float(np.mean(scores.argmax(axis=1) == targets.argmax(axis=1)))


def sgd_slowing_down(w, dw, config):
    """SGD whose steps shrink as its parameter's steps, counted in config, add up."""
    steps = config.get("steps", 0) + 1
    return w - config["learning_rate"] / steps * dw, {**config, "steps": steps}


X = np.linspace(-1, 1, 20).reshape(10, 2)
targets = np.eye(2)[[0, 1, 1, 0, 1, 0, 0, 1, 1, 1]]
X_check, targets_check = X[:3] + 0.25, targets[[1, 0, 1]]
model = LinearModel(np.array([[1.0, -1.0], [0.5, 2.0]]), np.array([0.1, -0.2]))
history = call_unmutated(train, model, X, targets, loss=squared_error, accuracy=argmax_accuracy,
                         update=sgd_slowing_down, optim_config={"learning_rate": 0.2}, epochs=2,
                         batch_size=4, rng=np.random.default_rng(0), X_val=X_check,
                         y_val=targets_check, lr_decay=0.5, progress=False)
keys = {"train_loss", "train_acc", "val_loss", "val_acc", "batch_loss", "seconds"}
check_true(isinstance(history, dict) and set(history) == keys,
           f"train should return a dict with the keys {sorted(keys)}; "
           + (f"it has {len(set(history) - keys)} other key(s) and lacks "
              f"{sorted(keys - set(history))}." if isinstance(history, dict) else
              f"it returned {describe(history)}."))
check_true(model.calls == [(4, True), (4, True), (2, True), (3, False)] * 2,
           f"model.forward was called with (batch size, train) = {describe(model.calls)}; for 10 "
           "examples "
           "in batches of 4 and 3 validation examples over 2 epochs, expected [(4, True), "
           "(4, True), (2, True), (3, False)] twice: three steps in training mode, then the "
           "validation set in test mode, at every epoch.")
check_true(len(history["batch_loss"]) == 6, "history['batch_loss'] should hold one loss per "
           f"step, 6 for 2 epochs of 3 batches, not {len(history['batch_loss'])}.")
check_close(history["batch_loss"][0], 1.3966759, "history['batch_loss'][0], the loss of the "
            "first step", hint="The first batch is X_train[rows] for the first rows of "
            "minibatch_indices(len(X_train), batch_size, rng); its loss is loss(scores, y_batch)"
            "[0] for the scores of model.forward(X_batch, train=True).")
check_true(np.array_equal(model.params["W"], model.W), "After train, model.params['W'] is "
           "no longer the array the model computes with: write the new values into it, "
           "w[...] = next_w, instead of model.params[name] = next_w.")
check_close(history["batch_loss"], [1.3966759, 2.3526608, 1.4736037, 0.94632048, 1.0457947,
                                    1.0027347],
            "history['batch_loss'], the loss of each of the 6 steps",
            hint="After each step, update every parameter with its own config; at every epoch, "
                 "new batches from minibatch_indices(len(X_train), batch_size, rng), and after "
                 "it the learning rate times lr_decay.")
check_close(model.params["W"], [[0.62077224, -1.2094674], [0.13890596, 1.8358128]],
            "the model's W after training", hint="w[...] = next_w writes into the model's "
            "array; model.params[name] = next_w would leave the model's own array unchanged.")
check_close(model.params["b"], [0.27227035, 0.23016168], "the model's b after training")
check_close(history["train_loss"], [1.7944554, 0.99739302], "history['train_loss']",
            hint="The mean over the epoch's examples: weight each batch's loss by its size.")
check_close(history["train_acc"], [0.3, 0.5], "history['train_acc']")
check_close(history["val_loss"], [1.1524258, 1.0190137], "history['val_loss']")
check_close(history["val_acc"], [2 / 3, 2 / 3], "history['val_acc']")
seconds = history["seconds"]
check_true(len(seconds) == 2 and 0 < seconds[0] <= seconds[1], "history['seconds'] should "
           f"hold 2 increasing times since the start of training, not {seconds}.")
### BEGIN HIDDEN TESTS
from grading import mnist_mlp as hidden; hidden.check_train(train, LinearModel)
### END HIDDEN TESTS
passed("train")

# %% [markdown]
# ## 7. Training on MNIST
#
# Your `train`, your layers, and your `sgd_step` inside the update rule: the whole network is
# yours. Four things, each studied earlier in this notebook or in a later one, take it past
# 98.2% test accuracy reliably, whatever the seed:
#
# - **He initialisation** (section 2): every layer starts with signals and gradients of a
#   healthy size, so learning starts at once (see section 8 for what the wrong scale does).
# - **Momentum** (notebook 08): instead of the latest minibatch gradient, step along a
#   *velocity*, $v \leftarrow 0.9\,v + dw$, a running sum of past gradients. The noise of
#   single minibatches averages out, and along directions where successive gradients agree the
#   steps grow, up to ten times the plain step.
# - **Weight decay** (notebook 09): each gradient gets an extra $5 \cdot 10^{-4}\, w$, which
#   pulls every weight towards 0. The network still fits the training set almost perfectly (see
#   the training accuracy below), but with smaller weights (notebook 09 measures what that does
#   to the validation loss).
# - **A learning-rate schedule** (notebook 08): the learning rate starts at 0.1 and follows half
#   a cosine down to 0 over the whole run, $\eta_t = \eta_0 \cdot \tfrac12(1 + \cos(\pi t /
#   T))$ at step $t$ of $T$. Large steps first cover ground fast; small ones at the end let the
#   weights settle at the bottom of the valley instead of bouncing around it with the minibatch
#   noise. The table under the curves shows the validation loss still falling in the second
#   half of the run, when the steps are small.
#
# The schedule lives in the update rule: each parameter's config counts its own steps. The
# recipe is a function, `train_mlp`, so that `benchmarks/` can run it with other seeds: the
# course checks there that it reaches 98.2% on every seed (98.3% on the median of five) in
# under half a minute of training on an idle machine of two cores. Under grading, and with
# `DLCOURSE_QUICK=1`, it trains briefly on a subset instead (`quick()`). The cell prints how
# long the training took.

# %% tags=["benchmark"]
def sgd_momentum_cosine(w, dw, config):
    """An update rule for one parameter, (w, dw, config) -> (next_w, config): your sgd_step along
    velocity = config["momentum"] * velocity + dw + config["weight_decay"] * w, with a learning
    rate that follows half a cosine from config["learning_rate"] to 0 over config["steps"]."""
    step = config.get("step", 0)
    # A Python float: a numpy float64 scalar would turn the float32 weights into float64.
    learning_rate = float(config["learning_rate"] * 0.5 * (1 + np.cos(np.pi * step
                                                                       / config["steps"])))
    velocity = config["momentum"] * config.get("velocity", 0.0) + dw + config["weight_decay"] * w
    next_w = sgd_step({"w": w}, {"w": velocity}, learning_rate)["w"]
    return next_w, {**config, "velocity": velocity, "step": step + 1}


def train_mlp(X_train, y_train, X_val, y_val, rng, epochs, progress=True):
    """The 784-256-128-10 network of this section, trained by its recipe; (model, history)."""
    model = Sequential([Linear(784, 256, rng), ReLU(), Linear(256, 128, rng), ReLU(),
                        Linear(128, 10, rng)])
    steps = epochs * len(minibatch_indices(len(X_train), 128))
    history = train(model, X_train, y_train, X_val=X_val, y_val=y_val,
                    loss=as_loss_function(SoftmaxCrossEntropy()), accuracy=accuracy,
                    update=sgd_momentum_cosine,
                    optim_config={"learning_rate": 0.1, "momentum": 0.9, "weight_decay": 5e-4,
                                  "steps": steps},
                    epochs=epochs, batch_size=128, rng=rng, progress=progress)
    return model, history


# %%
n_train, epochs = (3000, 2) if quick() else (len(mnist["X_train"]), 20)
model, history = train_mlp(mnist["X_train"][:n_train], mnist["y_train"][:n_train],
                           mnist["X_val"], mnist["y_val"], np.random.default_rng(1), epochs)
training_seconds = history["seconds"][-1]
softmax_cross_entropy = as_loss_function(SoftmaxCrossEntropy())
test_loss, test_accuracy = evaluate(model, mnist["X_test"], mnist["y_test"],
                                    loss=softmax_cross_entropy, accuracy=accuracy)
print(f"Test accuracy: {test_accuracy:.2%} after {training_seconds:.1f} s of training "
      f"({epochs} epochs of {n_train} images)")
record("test_accuracy", test_accuracy)
record("training_seconds", training_seconds)
if not quick():
    assert test_accuracy >= 0.982, f"test accuracy {test_accuracy:.2%} < 98.2%"

# %% [markdown]
# The curves (and the table under them): the training loss keeps falling; the validation loss
# falls fast over the first epochs, then flattens. The validation accuracy is measured after
# each epoch, the training accuracy during the epoch (on batches the model is still learning
# from), so in the first epoch it lags behind. By the end the network fits its training images
# almost perfectly.

# %%
print("epoch  train loss  val loss  train acc  val acc")
for epoch, values in enumerate(zip(history["train_loss"], history["val_loss"],
                                   history["train_acc"], history["val_acc"]), start=1):
    print(f"{epoch:5}  {values[0]:10.4f}  {values[1]:8.4f}  {values[2]:9.2%}  {values[3]:7.2%}")
if not quick():
    assert np.all(np.diff(history["train_loss"]) < 0), "the training loss should keep falling"
    assert history["train_acc"][0] < history["val_acc"][0] and history["train_acc"][-1] > 0.995
    val_loss, half = history["val_loss"], len(history["val_loss"]) // 2
    assert val_loss[0] - val_loss[4] > 2 * (val_loss[half] - val_loss[-1]) > 0
    assert val_loss[-1] < min(val_loss[:half]), "the validation loss still falls at the end"
fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(11, 4))
plot_curves({"train": history["train_loss"], "validation": history["val_loss"]}, ax=ax_loss,
            ylabel="cross-entropy loss", logy=True, marker="o", title="loss")
plot_curves({"train": history["train_acc"], "validation": history["val_acc"]}, ax=ax_acc,
            ylabel="accuracy", marker="o", title="accuracy")
plt.tight_layout()
plt.show()

# %% [markdown]
# **Where the errors are.** The confusion matrix counts, for each true digit (row), what the
# network predicted (column). The diagonal holds the right answers; the largest numbers off the
# diagonal are the pairs the network confuses most. (The predictions are made in chunks of
# 1 000 images, as `evaluate` does.)

# %%
predicted = np.concatenate([model.forward(mnist["X_test"][start:start + 1000]).argmax(axis=1)
                            for start in range(0, len(mnist["X_test"]), 1000)])
plot_confusion_matrix(mnist["y_test"], predicted,
                      title=f"MNIST test set, accuracy {test_accuracy:.2%}")
plt.show()

# %% [markdown]
# And the digits themselves, titled "predicted (true)": many are ones a person would hesitate
# on too; some are plain mistakes a network that saw the 2-D shape would avoid (notebook 07).

# %%
wrong = np.flatnonzero(predicted != mnist["y_test"])[:30]
plot_image_grid(mnist["X_test"][wrong],
                [f"{p} (true {t})" for p, t in zip(predicted[wrong], mnist["y_test"][wrong])],
                title=f"{len(wrong)} of the {np.sum(predicted != mnist['y_test'])} misclassified "
                      "test digits: predicted (true)")
plt.show()

# %% [markdown]
# ## 8. Vanishing gradients, during training
#
# Notebook 02 measured how a gradient shrinks through ten sigmoid layers at initialisation. Does
# it stay that way once the network learns? Two deep networks, 784 → six hidden layers of 128 →
# 10, one with sigmoid activations and Glorot's scale, one with ReLU and He's, are trained in
# exactly the same way: your `train`, plain SGD (your `sgd_step`, learning rate 0.1), batches of
# 64, two epochs on 20 000 images. A `Sequential` that, after each `backward`, also records the
# norm $\lVert dW \rVert$ of every layer's weight gradient shows what each layer receives at
# every step. The sigmoid layer is given: its backward pass is notebook 02's
# $\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$, computed from the output it keeps.

# %%
class Sigmoid:
    """Element-wise 1 / (1 + exp(-x)); backward multiplies dout by s * (1 - s) <= 1/4."""

    def __init__(self):
        self.params, self.grads = {}, {}

    def forward(self, x):
        self.out = 1 / (1 + np.exp(-x))
        return self.out

    def backward(self, dout):
        return dout * self.out * (1 - self.out)


class GradientNormRecorder(Sequential):
    """A Sequential that records, after each backward, the norm of every weight gradient."""

    def __init__(self, layers):
        super().__init__(layers)
        self.gradient_norms = []     # one row per step, one column per Linear layer

    def backward(self, dscores):
        dX = super().backward(dscores)
        self.gradient_norms.append([np.linalg.norm(self.grads[name]) for name in self.params
                                    if name.endswith(".W")])
        return dX


def sgd(w, dw, config):
    """Your sgd_step as an update rule for one parameter."""
    return sgd_step({"w": w}, {"w": dw}, config["learning_rate"])["w"], config


def deep_network(activation, init, rng, n_hidden=6, width=128):
    layers, fan_in = [], 784
    for _ in range(n_hidden):
        layer = Linear(fan_in, width, rng)
        layer.params["W"] = init(fan_in, width, rng)
        layers += [layer, activation()]
        fan_in = width
    return GradientNormRecorder(layers + [Linear(fan_in, 10, rng)])


n_train, epochs = (2000, 1) if quick() else (20000, 2)
gradient_norms, val_accuracies, smoothed_losses = {}, {}, {}
for name, activation, init in (("sigmoid, Glorot", Sigmoid, glorot_init),
                                ("ReLU, He", ReLU, he_init)):
    rng = np.random.default_rng(2)
    deep_model = deep_network(activation, init, rng)
    deep_history = train(deep_model, mnist["X_train"][:n_train], mnist["y_train"][:n_train],
                         X_val=mnist["X_val"], y_val=mnist["y_val"], loss=softmax_cross_entropy,
                         accuracy=accuracy, update=sgd, optim_config={"learning_rate": 0.1},
                         epochs=epochs, batch_size=64, rng=rng, progress=False)
    gradient_norms[name] = np.array(deep_model.gradient_norms)   # (steps, 7 layers)
    val_accuracies[name] = deep_history["val_acc"][-1]
    smoothed_losses[name] = np.convolve(deep_history["batch_loss"], np.ones(10) / 10, "valid")

fig, axes = plt.subplots(1, 3, figsize=(16, 4.5))
for ax, (name, norms) in zip(axes, gradient_norms.items()):
    plot_curves({f"layer {k + 1}": norms[:, k] for k in range(norms.shape[1])}, ax=ax,
                xlabel="step", ylabel="‖dW‖", logy=True,
                title=f"{name}: gradient of each layer")
    ax.set_ylim(1e-5, 10)
plot_curves(smoothed_losses, ax=axes[2], xlabel="step", ylabel="training loss (smoothed)",
            title="learning")
plt.tight_layout()
plt.show()
first_to_last = {name: float(np.median(norms[:, 0] / norms[:, -1]))
                 for name, norms in gradient_norms.items()}
print("median ‖dW‖ over the steps, layers 1 to 7 | ‖dW‖ of layer 1 / layer 7 | val. accuracy")
for name, norms in gradient_norms.items():
    print(f"{name:16}", " ".join(f"{value:8.2g}" for value in np.median(norms, axis=0)),
          f"| {first_to_last[name]:8.2g} | {val_accuracies[name]:.1%}")

# %% [markdown]
# In the sigmoid network each layer receives about a quarter of the gradient of the layer
# above: every sigmoid multiplies it by $\sigma'(z) \le 1/4$, and Glorot's weights, scaled to
# keep signals the same size, do not make up for that. The first layer's gradient is more than
# a hundred times smaller than the last layer's (the median ratio over all steps, in the table),
# at the first step and at the last: training does not repair it, because the same products of
# $\sigma'$ stand between the loss and the first layers at every step. So with the learning
# rate that suits the last layer, the first layers barely move, and the network learns nothing
# in two epochs: its loss stays at $\log 10 \approx 2.3$, guessing. In the ReLU network the
# gradient keeps its size from layer to layer (ReLU passes it unchanged where the unit is active,
# and He's factor 2 makes up for the inactive half), and the same training reaches more than 90%.
#
# This is why deep networks use ReLU (or its relatives) with He initialisation, and why
# notebook 09's batch normalisation, which keeps every layer's inputs at a healthy scale, helps
# deeper networks still.

# %%
if not quick():
    sigmoid_norms = gradient_norms["sigmoid, Glorot"]
    layer_ratios = sigmoid_norms[:, :-1] / sigmoid_norms[:, 1:]
    assert 0.1 < np.median(layer_ratios) < 0.4, "a layer's gradient: about 1/4 of the next one's"
    assert np.all(sigmoid_norms[[0, -1], 0] < 0.01 * sigmoid_norms[[0, -1], -1])
    assert first_to_last["sigmoid, Glorot"] < 0.01 and 0.1 < first_to_last["ReLU, He"] < 10
    assert val_accuracies["sigmoid, Glorot"] < 0.2 and val_accuracies["ReLU, He"] > 0.9
    assert smoothed_losses["sigmoid, Glorot"][-1] > 2.2

# %% [markdown]
# ## Summary
#
# - Images become rows of 784 numbers in $[0, 1]$; labels stay integers (or one-hot rows).
# - Weights start random (to break symmetry) at a scale that keeps signals and gradients the
#   same size from layer to layer: He's $\sqrt{2/\text{fan\_in}}$ for ReLU, Glorot's
#   $\sqrt{2/(\text{fan\_in} + \text{fan\_out})}$ for tanh. Too small, and the activations
#   collapse; with sigmoids, the gradient shrinks about fourfold a layer, during the whole
#   training, and a deep network does not learn.
# - A layer object keeps `params`, caches what `backward` needs during `forward`, and fills
#   `grads` during `backward`; a `Sequential` model chains them.
# - The training loop: at every epoch a new random order, cut into minibatches; for each batch
#   forward, loss, backward, and an update of every parameter with its own state; after each
#   epoch a measurement on validation data the network never trains on.
# - Minibatch SGD with momentum, weight decay and a cosine learning-rate schedule takes a
#   784-256-128-10 network past 98.2% test accuracy in 20 epochs, in under half a minute. The
#   remaining errors point at what a fully connected network ignores: where pixels are relative
#   to each other. Notebook 07 uses that, with your layers (`layers.py`) and your loop
#   (`training_loop.py`).
