# %% [markdown]
# # 09 · Regularisation
#
# A network with enough parameters can memorise its training set: every training example right,
# new examples wrong. That is **overfitting**, and it is the normal state of a large network
# trained on little data. This notebook makes it visible, then fights it with the standard tools:
#
# 1. an L2 penalty on the weights (weight decay),
# 2. dropout, in its "inverted" form, with separate train and test behaviour,
# 3. early stopping, which keeps the weights of the best epoch,
# 4. data augmentation, which makes new training images from the old ones,
# 5. batch normalisation, with running statistics for test time,
#
# and finally compares them all on the same overfitting setup.
#
# **How this works.** Cells marked `# YOUR CODE HERE` are yours: replace
# `raise NotImplementedError()` with your code. The test cell after each answer checks it and
# tells you what is wrong; more tests run when your work is graded. Run the cells in order.

# %% locked=true
import matplotlib.pyplot as plt
import numpy as np
from tqdm.auto import tqdm

from dlcourse.data import load_mnist
from dlcourse.plotting import plot_curves
from dlcourse.runtime import quick
from dlcourse.testing import (call_unmutated, check_backward, check_close, check_equal, check_true,
                              passed)
from layers import Linear, ReLU, Sequential, SoftmaxCrossEntropy, accuracy, as_loss_function
from training_loop import evaluate, train

# %% [markdown]
# ## 1. Overfitting you can see
#
# Take 1,000 MNIST training images (less than 2% of the set) and a network far larger than they
# need: 784 → 256 → 256 → 10, about 270,000 weights, 270 per image. Train it with plain SGD and
# watch the loss on the training images and on 2,000 held-out validation images after every
# epoch. (Under grading, a short version runs.)

# %%
n_train, n_val, epochs = (200, 500, 3) if quick() else (1000, 2000, 40)
mnist = load_mnist(validation_size=5000, rng=np.random.default_rng(0))
X_train, y_train = mnist["X_train"][:n_train], mnist["y_train"][:n_train]
X_val, y_val = mnist["X_val"][:n_val], mnist["y_val"][:n_val]
softmax_loss = as_loss_function(SoftmaxCrossEntropy())


def sgd(w, dw, config):
    """Plain SGD in the update-rule convention of notebook 08."""
    return w - config["learning_rate"] * dw, config


def make_mlp(hidden_block=lambda n_features: [ReLU()], seed=1):
    """784 -> 256 -> 256 -> 10; hidden_block(256) gives the layers after each hidden Linear."""
    rng = np.random.default_rng(seed)
    return Sequential([Linear(784, 256, rng), *hidden_block(256),
                       Linear(256, 256, rng), *hidden_block(256), Linear(256, 10, rng)])


def fit(model, rng, X=X_train, epochs=epochs, progress=True):
    """Train with SGD (learning rate 0.1, batches of 50), validating after every epoch."""
    return train(model, X, y_train, X_val=X_val, y_val=y_val, loss=softmax_loss,
                 accuracy=accuracy, update=sgd, optim_config={"learning_rate": 0.1},
                 epochs=epochs, batch_size=50, rng=rng, progress=progress)


baseline = make_mlp()
histories = {"no regularisation": fit(baseline, np.random.default_rng(2))}
fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(12, 4))
history = histories["no regularisation"]
plot_curves({"training": history["train_loss"], "validation": history["val_loss"]}, ax=ax_loss,
            ylabel="cross-entropy loss", logy=True, title="the gap opens")
plot_curves({"training": history["train_acc"], "validation": history["val_acc"]}, ax=ax_acc,
            ylabel="accuracy", title=f"{n_train} training images, 784-256-256-10 MLP")
plt.tight_layout()
plt.show()

# %% [markdown]
# The training loss keeps falling towards zero: the network ends up classifying every training
# image right. The validation loss stops improving after about ten epochs and then creeps *up*:
# the network becomes more and more confident, including on the validation images it gets wrong.
# Validation accuracy stalls near 88%. The difference between the two curves is the
# **generalisation gap**; regularisation is everything that narrows it.
# %% [markdown]
# ## 2. L2 regularisation (weight decay)
#
# The simplest cure for overfitting is to make large weights expensive. Add to the loss
#
# $$R(\theta) = \frac{\lambda}{2} \sum_{W} \lVert W \rVert^2 = \frac{\lambda}{2}\sum_W \sum_{ij} W_{ij}^2,
#   \qquad \frac{\partial R}{\partial W} = \lambda W,$$
#
# summed over the weight matrices (not the biases, which do not make the function any wigglier).
# The factor $\tfrac12$ is a convention that makes the gradient exactly $\lambda W$. With SGD, the
# step $-\eta\lambda W$ shrinks every weight by a factor $(1 - \eta\lambda)$ at every step, hence
# the other name, *weight decay*. A network with small weights computes a smoother function: it
# cannot bend sharply enough to pass through every training point.
#
# **Your turn.** `l2_penalty` takes a dict of the arrays to penalise and returns the penalty and
# its gradient for each of them.

# %% answer="l2_penalty"
def l2_penalty(params, reg):
    """L2 penalty on some parameter arrays.

    Inputs:
    - params: dict {name: array of any shape}, the weights to penalise
    - reg: float, the regularisation strength lambda
    Returns (loss, grads):
    - loss: float, 0.5 * reg * (sum of the squares of every entry of every array)
    - grads: dict {name: array}, the gradient reg * W for each array W, same keys and shapes
    The arrays in params are not modified.
    """
    ### BEGIN SOLUTION
    loss = 0.5 * reg * sum(np.sum(W ** 2) for W in params.values())
    grads = {name: reg * W for name, W in params.items()}
    return float(loss), grads
    ### END SOLUTION


# %% test="l2_penalty" points=1
params = {"W1": np.array([[1.0, -2.0], [0.5, 0.0]]), "W2": np.array([3.0, -1.0, 2.0])}
loss, grads = call_unmutated(l2_penalty, params, 0.1)
check_close(loss, 0.9625, "the L2 penalty of W1 and W2 with reg=0.1",
            hint="0.5 * reg * (sum of the squares of ALL entries of ALL arrays): here "
                 "0.5 * 0.1 * (1 + 4 + 0.25 + 9 + 1 + 4).")
check_true(isinstance(grads, dict) and set(grads) == {"W1", "W2"},
           "grads must be a dict with the same keys as params ('W1', 'W2').")
check_close(grads["W1"], np.array([[0.1, -0.2], [0.05, 0.0]]), "grads['W1'] (reg=0.1)",
            hint="The gradient of 0.5 * reg * W ** 2 is reg * W.")
check_close(grads["W2"], np.array([0.3, -0.1, 0.2]), "grads['W2'] (reg=0.1)")
check_close(l2_penalty({"W": np.ones((3, 4))}, 0.0)[0], 0.0, "the penalty with reg=0")
### BEGIN HIDDEN TESTS
from grading import regularization as hidden; hidden.check_l2_penalty(l2_penalty)
### END HIDDEN TESTS
passed("l2_penalty")

# %% [markdown]
# ## 3. Dropout
#
# Dropout (Srivastava et al., 2014) switches off a random fraction of the units at every training
# step. No unit can rely on a particular other unit being there, so the network cannot build the
# fragile co-adaptations that memorise training examples; training effectively averages an
# exponential number of thinned networks that share their weights.
#
# In this course, **`p` is the probability of dropping a unit** (as in PyTorch's `nn.Dropout(p)`;
# the original paper and CS231n use $p$ for the probability of *keeping* it: read the convention
# of any code you borrow).
#
# At test time every unit is present, so the layer's outputs are larger, on average, than during
# training, where only a fraction $1-p$ of them fire. **Inverted dropout** corrects this at
# training time: the kept units are divided by $1 - p$, so the expected output equals the input,
# and the test-time layer is simply the identity:
#
# $$\text{train: } \text{out} = x \odot \frac{m}{1-p},\quad m_i \sim \text{Bernoulli}(1-p);
#   \qquad \text{test: } \text{out} = x.$$
#
# The backward pass multiplies by the same mask: each kept unit passes its gradient on, scaled by
# $1/(1-p)$; a dropped unit passes nothing.
#
# So that your masks match ours, draw the uniform numbers with **one call**
# `u = rng.random(x.shape)` and drop the units where `u < p` (keep them where `u >= p`).

# %% answer="dropout_forward"
def dropout_forward(x, dropout_param):
    """Inverted dropout, forward pass.

    Inputs:
    - x: array of any shape
    - dropout_param: dict with
      - "p": float in [0, 1), the probability of DROPPING each unit
      - "mode": "train" or "test"
      - "rng": np.random.Generator (used in train mode only)
    Returns (out, cache):
    - out: array shaped like x. Train: x * mask, where mask is 0 where u < p and 1 / (1 - p)
      elsewhere, for u = rng.random(x.shape) drawn once. Test: x itself (the identity).
    - cache: what dropout_backward needs (the mode and the mask)
    """
    ### BEGIN SOLUTION
    p, mode = dropout_param["p"], dropout_param["mode"]
    if mode == "train":
        keep = dropout_param["rng"].random(x.shape) >= p
        mask = keep / (1 - p)
        return x * mask, (mode, mask)
    return x, (mode, None)
    ### END SOLUTION


# %% test="dropout_forward" points=2
x = np.linspace(-1, 1, num=12).reshape(3, 4)
train_param = {"p": 0.25, "mode": "train", "rng": np.random.default_rng(0)}
out, _ = call_unmutated(dropout_forward, x, train_param)
# rng.random((3, 4)) of seed 0 is below p = 0.25 at [0, 2], [0, 3] and [2, 3]: those are dropped.
check_close(out, np.array([[-1.333333333, -1.090909091, 0.0, 0.0],
                           [-0.3636363636, -0.1212121212, 0.1212121212, 0.3636363636],
                           [0.6060606061, 0.8484848485, 1.090909091, 0.0]]),
            "dropout_forward(x, p=0.25, train) with rng seed 0",
            hint="Drop where rng.random(x.shape) < p (p is the DROP probability), and divide the "
                 "kept units by 1 - p.")
out, _ = dropout_forward(x, {"p": 0.25, "mode": "test", "rng": np.random.default_rng(0)})
check_close(out, x, "dropout_forward in test mode",
            hint="With inverted dropout the test-time layer is the identity: no mask, no scaling.")
big = np.ones((200, 500))
out, _ = dropout_forward(big, {"p": 0.6, "mode": "train", "rng": np.random.default_rng(1)})
check_true(abs(np.mean(out == 0) - 0.6) < 0.01,
           f"With p = 0.6, {np.mean(out == 0):.1%} of the units were dropped instead of about 60%:"
           " p is the probability of dropping a unit.")
check_true(abs(out.mean() - 1) < 0.01,
           f"The mean output on an input of ones is {out.mean():.3f}, not about 1: inverted "
           "dropout divides the kept units by 1 - p so that the expected output equals the input.")
### BEGIN HIDDEN TESTS
from grading import regularization as hidden; hidden.check_dropout_forward(dropout_forward)
### END HIDDEN TESTS
passed("dropout_forward")


# %% answer="dropout_backward"
def dropout_backward(dout, cache):
    """Inverted dropout, backward pass.

    Inputs:
    - dout: upstream gradient, shaped like the x of the forward pass
    - cache: from dropout_forward
    Returns dx, shaped like dout: dout * mask in train mode, dout in test mode.
    """
    ### BEGIN SOLUTION
    mode, mask = cache
    return dout * mask if mode == "train" else dout
    ### END SOLUTION


# %% test="dropout_backward" points=1
x = np.linspace(-1, 1, num=12).reshape(3, 4)
out, cache = dropout_forward(x, {"p": 0.25, "mode": "train", "rng": np.random.default_rng(0)})
dx = call_unmutated(dropout_backward, np.ones((3, 4)), cache)
check_close(dx, np.array([[4 / 3, 4 / 3, 0.0, 0.0], [4 / 3, 4 / 3, 4 / 3, 4 / 3],
                          [4 / 3, 4 / 3, 4 / 3, 0.0]]),
            "dropout_backward(ones, cache) for p=0.25, rng seed 0",
            hint="Multiply dout by the same mask as the forward pass (0 or 1 / (1 - p)): keep it "
                 "in the cache, never draw a new one.")


def dropout_train_seed_3(x):
    """Dropout with p = 0.5 and the same mask at every call (a fresh rng of seed 3)."""
    return dropout_forward(x, {"p": 0.5, "mode": "train", "rng": np.random.default_rng(3)})


check_backward(dropout_train_seed_3, dropout_backward,
               {"x": np.linspace(-2, 2, num=15).reshape(5, 3)}, rng=np.random.default_rng(4))
out, cache = dropout_forward(x, {"p": 0.25, "mode": "test", "rng": np.random.default_rng(0)})
check_close(dropout_backward(x, cache), x, "dropout_backward in test mode (the identity)")
### BEGIN HIDDEN TESTS
from grading import regularization as hidden; hidden.check_dropout_backward(dropout_forward, dropout_backward)
### END HIDDEN TESTS
passed("dropout_backward")

# %% [markdown]
# ## 4. Early stopping
#
# The validation loss of an overfitting network falls, bottoms out, then climbs while the training
# loss keeps falling. Early stopping watches the validation loss after every epoch, remembers the
# weights of the best epoch so far, and stops when the loss has not improved for `patience`
# epochs in a row; training then continues from... nowhere: the best weights are put back.
#
# **Your turn.** Write the `EarlyStopping` helper. Each call of `step(val_loss, params)` reports
# one epoch (the first call is epoch 0):
#
# - an epoch **improves** when `val_loss < best_loss - min_delta`; it then becomes the best: store
#   its loss, its epoch number and a **copy** of every array of `params` (the training loop keeps
#   modifying those arrays in place: a reference would follow them), and reset the count of
#   epochs without improvement;
# - otherwise, count one more epoch without improvement;
# - return `True` ("stop now") once that count reaches `patience`, else `False`.

# %% answer="EarlyStopping"
class EarlyStopping:
    """Stop training when the validation loss stops improving; keep the best weights.

    EarlyStopping(patience, min_delta=0.0)
    - patience: int >= 1, epochs without improvement tolerated before stopping
    - min_delta: float >= 0, the decrease in loss that counts as an improvement
    Attributes:
    - best_loss: the lowest validation loss so far (np.inf before the first step)
    - best_epoch: the epoch (0, 1, ...) of best_loss (None before the first step)
    - best_params: dict {name: copy of the array} at best_epoch (None before the first step)
    """

    def __init__(self, patience, min_delta=0.0):
        self.patience = patience
        self.min_delta = min_delta
        ### BEGIN SOLUTION
        self.best_loss = np.inf
        self.best_epoch = None
        self.best_params = None
        self.epoch = -1
        self.epochs_without_improvement = 0
        ### END SOLUTION

    def step(self, val_loss, params):
        """Record one epoch: val_loss (float), params (dict {name: array}, not modified).

        Returns True when training should stop: `patience` epochs in a row without improvement.
        """
        ### BEGIN SOLUTION
        self.epoch += 1
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss = val_loss
            self.best_epoch = self.epoch
            self.best_params = {name: W.copy() for name, W in params.items()}
            self.epochs_without_improvement = 0
        else:
            self.epochs_without_improvement += 1
        return self.epochs_without_improvement >= self.patience
        ### END SOLUTION


# %% test="EarlyStopping" points=2
params = {"W": np.array([1.0, 2.0])}
stopper = EarlyStopping(patience=2)
val_losses = [1.0, 0.8, 0.9, 0.7, 0.75, 0.71, 0.72]
stops = []
for val_loss in val_losses:
    stops.append(call_unmutated(stopper.step, val_loss, params))
    params["W"] += 1.0          # the training loop updates the weights in place
check_equal(np.array(stops), np.array([False, False, False, False, False, True, True]),
            "step()'s answers for validation losses [1.0, 0.8, 0.9, 0.7, 0.75, 0.71, 0.72], "
            "patience=2",
            hint="Stop once `patience` epochs IN A ROW did not improve: the improvement at epoch "
                 "3 (0.7) resets the count.")
check_equal(stopper.best_epoch, 3, "best_epoch", hint="Epochs count from 0, one per step() call.")
check_close(stopper.best_loss, 0.7, "best_loss")
check_close(stopper.best_params["W"], np.array([4.0, 5.0]),
            "best_params['W'] (the weights at epoch 3)",
            hint="Store a copy (W.copy()): the training loop keeps changing the arrays in place, "
                 "and a stored reference changes with them.")
stopper = EarlyStopping(patience=1, min_delta=0.1)
check_equal(np.array([stopper.step(loss, params) for loss in (1.0, 0.95)]), np.array([False, True]),
            "step() with min_delta=0.1 for losses [1.0, 0.95]",
            hint="An epoch improves only when val_loss < best_loss - min_delta.")
### BEGIN HIDDEN TESTS
from grading import regularization as hidden; hidden.check_early_stopping(EarlyStopping)
### END HIDDEN TESTS
passed("EarlyStopping")

# %% [markdown]
# ## 5. Data augmentation
#
# The most direct cure for too little data is more data. A digit shifted by a pixel or tilted by
# a few degrees is still the same digit, so we can make new training examples for free by
# transforming the ones we have, differently at every epoch. The network can no longer memorise
# exact pixel positions; it has to learn what the transformations leave unchanged.
#
# **Your turn.** `augment(images, rng, max_shift=2, max_degrees=10)` gives each image its own
# random transformation:
#
# 1. a rotation about the image centre by an angle drawn uniformly from
#    $[-\text{max\_degrees}, \text{max\_degrees}]$ degrees,
# 2. a shift by whole pixels, $(d_r, d_c)$, each drawn from the integers
#    $-\text{max\_shift}, \dots, \text{max\_shift}$.
#
# Pixels moved in from outside the image are 0 (black), and pixels moved out are lost: no
# wrapping around (`np.roll` wraps). Draw every random number from `rng`.
#
# *How to rotate an image.* Go backwards: for each output pixel $(r, c)$, find the input pixel it
# comes from and copy its value (nearest neighbour). Measured from the centre
# $(r_0, c_0) = ((H-1)/2, (W-1)/2)$ and after undoing the shift, an output pixel at offset
# $(y, x) = (r - d_r - r_0,\ c - d_c - c_0)$ comes from the input offset
# $(\cos\theta\, y - \sin\theta\, x,\ \sin\theta\, y + \cos\theta\, x)$; round it to the nearest
# integer pixel, add back the centre, and use 0 where it falls outside the image.
# `np.meshgrid(np.arange(H), np.arange(W), indexing="ij")` gives the row and column of every
# pixel; with broadcasting, all images are transformed at once (fancy indexing
# `images[n_index, rows, cols]` picks the source pixels).

# %% answer="augment"
def augment(images, rng, max_shift=2, max_degrees=10.0):
    """Random small rotations and shifts of a batch of images.

    Inputs:
    - images: (N, H, W) array
    - rng: np.random.Generator, the only source of randomness
    - max_shift: int, the largest shift in pixels along each axis
    - max_degrees: float, the largest rotation angle, in degrees
    Returns an (N, H, W) array of the same dtype: image n rotated about the centre by its own
    angle in [-max_degrees, max_degrees], then shifted by its own (d_r, d_c) in
    {-max_shift, ..., max_shift}^2, pixels from outside the image being 0.
    images is not modified.
    """
    ### BEGIN SOLUTION
    n_images, height, width = images.shape
    shifts = rng.integers(-max_shift, max_shift + 1, size=(n_images, 2))
    angles = np.deg2rad(rng.uniform(-max_degrees, max_degrees, size=n_images))
    rows, cols = np.meshgrid(np.arange(height), np.arange(width), indexing="ij")
    centre_row, centre_col = (height - 1) / 2, (width - 1) / 2
    # Offsets from the centre of each output pixel, with the shift undone: (N, H, W).
    y = rows - shifts[:, 0, None, None] - centre_row
    x = cols - shifts[:, 1, None, None] - centre_col
    cos, sin = np.cos(angles)[:, None, None], np.sin(angles)[:, None, None]
    source_row = np.rint(cos * y - sin * x + centre_row).astype(int)
    source_col = np.rint(sin * y + cos * x + centre_col).astype(int)
    inside = (source_row >= 0) & (source_row < height) & (source_col >= 0) & (source_col < width)
    pixels = images[np.arange(n_images)[:, None, None], np.clip(source_row, 0, height - 1),
                    np.clip(source_col, 0, width - 1)]
    return np.where(inside, pixels, 0).astype(images.dtype)
    ### END SOLUTION


# %% test="augment" points=2
images = np.random.default_rng(0).random((6, 28, 28)).astype(np.float32)
out = call_unmutated(augment, images, np.random.default_rng(1))
check_true(isinstance(out, np.ndarray) and out.shape == images.shape and out.dtype == images.dtype,
           "augment must return an array of the shape and dtype of images, (6, 28, 28) float32; "
           f"got {out.shape if isinstance(out, np.ndarray) else type(out).__name__} "
           f"{getattr(out, 'dtype', '')}.")
check_close(augment(images, np.random.default_rng(1)), out, "augment called twice with rng seed 1",
            hint="Draw every random number from rng (never np.random), so that one seed always "
                 "gives the same result.")
check_close(augment(images, np.random.default_rng(1), max_shift=0, max_degrees=0), images,
            "augment with max_shift=0 and max_degrees=0",
            hint="No shift and no rotation must give the images back unchanged.")
# A 3x3 white square in the middle of 400 black 29x29 images: its centre is the image centre.
grid_rows, grid_cols = np.meshgrid(np.arange(29), np.arange(29), indexing="ij")
squares = np.zeros((400, 29, 29))
squares[:, 13:16, 13:16] = 1.0
shifted = augment(squares, np.random.default_rng(2), max_shift=2, max_degrees=0)
check_close(shifted.sum(axis=(1, 2)), np.full(400, 9.0), "the number of white pixels after a shift",
            hint="A shift by whole pixels moves the square without resampling it.")
d_rows = (shifted * grid_rows).sum(axis=(1, 2)) / 9 - 14
d_cols = (shifted * grid_cols).sum(axis=(1, 2)) / 9 - 14
check_true(set(d_rows.round(6)) == set(d_cols.round(6)) == {-2.0, -1.0, 0.0, 1.0, 2.0},
           "Over 400 images with max_shift=2 the squares moved by "
           f"{sorted(set(d_rows.round(2)))} rows and {sorted(set(d_cols.round(2)))} columns; "
           "expected every whole shift from -2 to 2 along each axis, drawn for each image.")
edge = np.zeros((400, 29, 29))
edge[:, 0:3, 13:16] = 1.0
check_true(augment(edge, np.random.default_rng(3), max_shift=2, max_degrees=0)[:, 20:].sum() == 0,
           "A square at the top edge, shifted up, reappeared at the bottom of the image: pixels "
           "moved out must be lost and replaced by 0 (np.roll wraps around; don't use it).")
# The same square 10 pixels above the centre, rotated by at most 10 degrees.
above = np.zeros((400, 29, 29))
above[:, 3:6, 13:16] = 1.0
rotated = augment(above, np.random.default_rng(4), max_shift=0, max_degrees=10)
mass = rotated.sum(axis=(1, 2))
y = -((rotated * grid_rows).sum(axis=(1, 2)) / mass - 14)
x = (rotated * grid_cols).sum(axis=(1, 2)) / mass - 14
angles, radii = np.degrees(np.arctan2(x, y)), np.hypot(x, y)
check_true(np.all(np.abs(radii - 10) < 1),
           f"A square 10 pixels from the centre ended up {radii.min():.1f} to {radii.max():.1f} "
           "pixels from it: rotate about the image centre ((H - 1) / 2, (W - 1) / 2).")
check_true(np.all(np.abs(angles) < 14) and angles.min() < -5 and angles.max() > 5,
           f"With max_degrees=10 the square turned by {angles.min():.1f} to {angles.max():.1f} "
           "degrees about the centre; expected angles spread over [-10, 10] (np.cos and np.sin "
           "take radians: convert with np.deg2rad).")
### BEGIN HIDDEN TESTS
from grading import regularization as hidden; hidden.check_augment(augment)
### END HIDDEN TESTS
passed("augment")

# %% [markdown]
# ## 6. Batch normalisation
#
# Batch normalisation (Ioffe and Szegedy, 2015) standardises every feature over the minibatch,
# then lets the network rescale it with learned $\gamma$ and $\beta$:
#
# $$\mu = \frac1N \sum_i x_i,\quad \sigma^2 = \frac1N \sum_i (x_i - \mu)^2,\quad
#   \hat x_i = \frac{x_i - \mu}{\sqrt{\sigma^2 + \epsilon}},\quad y_i = \gamma \hat x_i + \beta.$$
#
# It was introduced to make deep networks train faster and with larger learning rates; it also
# regularises, because each example's output depends on the random other examples of its batch
# (a kind of noise, like dropout's).
#
# At test time there may be one example, or a whole test set that must not influence itself: the
# layer then normalises with **running averages** of $\mu$ and $\sigma^2$ collected during
# training:
#
# $$\text{running\_mean} \leftarrow m \cdot \text{running\_mean} + (1 - m)\,\mu, \qquad
#   \text{running\_var} \leftarrow m \cdot \text{running\_var} + (1 - m)\,\sigma^2$$
#
# with momentum $m$ (0.9 by default) and $\sigma^2$ the same biased batch variance used for
# normalising.
#
# The layer's state lives in `bn_param` (CS231n's convention): `"mode"` (`"train"` or `"test"`),
# `"eps"` (default `1e-5`), `"momentum"` (default `0.9`), `"running_mean"` (default zeros) and
# `"running_var"` (default **ones**). Since graded functions never modify their inputs,
# `batchnorm_forward` does **not** update the dict it receives: it returns the updated running
# statistics in a new dict, `next_bn_param`, as a third output, which the caller passes at the
# next call (like the config of an update rule). The first line, given, builds that new dict with
# the defaults filled in.

# %% answer="batchnorm_forward"
def batchnorm_forward(x, gamma, beta, bn_param):
    """Batch normalisation, forward pass.

    Inputs:
    - x: (N, D) data; gamma: (D,) scale; beta: (D,) shift
    - bn_param: dict with "mode" ("train" or "test") and optionally "eps" (1e-5), "momentum"
      (0.9), "running_mean" ((D,), zeros) and "running_var" ((D,), ones). Not modified.
    Returns (out, cache, next_bn_param):
    - out: (N, D). Train: normalised with the batch mean and (biased) variance. Test:
      normalised with running_mean and running_var. Then out = gamma * x_hat + beta.
    - cache: what batchnorm_backward needs (train mode)
    - next_bn_param: a new dict, bn_param with the defaults filled in and, in train mode,
      running_mean and running_var updated: running = momentum * running + (1 - momentum) * batch.
    """
    next_bn_param = {"eps": 1e-5, "momentum": 0.9, "running_mean": np.zeros(x.shape[1]),
                     "running_var": np.ones(x.shape[1]), **bn_param}
    ### BEGIN SOLUTION
    eps, momentum = next_bn_param["eps"], next_bn_param["momentum"]
    if next_bn_param["mode"] == "train":
        mean, var = x.mean(axis=0), x.var(axis=0)
        running_mean, running_var = next_bn_param["running_mean"], next_bn_param["running_var"]
        next_bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mean
        next_bn_param["running_var"] = momentum * running_var + (1 - momentum) * var
    else:
        mean, var = next_bn_param["running_mean"], next_bn_param["running_var"]
    inv_std = 1 / np.sqrt(var + eps)
    x_hat = (x - mean) * inv_std
    return gamma * x_hat + beta, (x_hat, gamma, inv_std), next_bn_param
    ### END SOLUTION


# %% test="batchnorm_forward" points=3
x = np.array([[1.0, 2.0, -1.0], [3.0, 0.0, 1.0], [-2.0, 1.0, 0.5], [0.0, 4.0, 2.0]])
gamma, beta = np.array([1.0, 2.0, 0.5]), np.array([0.0, -1.0, 0.3])
out, cache, bn_param = call_unmutated(batchnorm_forward, x, gamma, beta, {"mode": "train"})
check_close(out, np.array([[0.2773496714, -0.6619390708, -0.4505521476],
                           [1.386748357, -3.366426504, 0.4732043418],
                           [-1.386748357, -2.014182788, 0.2422652194],
                           [-0.2773496714, 2.042548363, 0.9350825864]]),
            "out of batchnorm_forward in train mode",
            hint="Normalise each column (feature) with its mean and variance over the batch "
                 "(axis=0, the biased np.var), then gamma * x_hat + beta.")
check_true(isinstance(bn_param, dict) and {"running_mean", "running_var"} <= set(bn_param),
           "batchnorm_forward must return next_bn_param, a dict holding running_mean and "
           "running_var, as its third output.")
check_close(bn_param["running_mean"], np.array([0.05, 0.175, 0.0625]),
            "next_bn_param['running_mean'] after one training batch",
            hint="running_mean = momentum * running_mean + (1 - momentum) * batch mean, starting "
                 "from zeros.")
check_close(bn_param["running_var"], np.array([1.225, 1.11875, 1.0171875]),
            "next_bn_param['running_var'] after one training batch",
            hint="running_var = momentum * running_var + (1 - momentum) * batch variance (biased, "
                 "np.var), starting from ones.")
out, _, next_param = call_unmutated(batchnorm_forward, x[:2], gamma, beta,
                                    dict(bn_param, mode="test"))
check_close(out, np.array([[0.8583290044, 2.45083663, -0.2267400019],
                           [2.665337435, -1.330902143, 0.7647705899]]),
            "out of batchnorm_forward in test mode (2 examples, the running statistics above)",
            hint="In test mode, normalise with running_mean and running_var, not the batch's.")
check_close(next_param["running_mean"], bn_param["running_mean"],
            "running_mean after a test-mode call", hint="Test mode never updates the statistics.")
### BEGIN HIDDEN TESTS
from grading import regularization as hidden; hidden.check_batchnorm_forward(batchnorm_forward)
### END HIDDEN TESTS
passed("batchnorm_forward")

# %% [markdown]
# **Backward.** $\mu$ and $\sigma^2$ depend on every $x_i$ of the batch, so the gradient of
# $x_i$ has three paths: through $\hat x_i$ directly, through $\mu$ and through $\sigma^2$. With
# $g_i = \gamma\,\partial L/\partial y_i$ (the gradient with respect to $\hat x_i$), they add up
# to the compact form
#
# $$\frac{\partial L}{\partial x_i} = \frac{1}{N\sqrt{\sigma^2 + \epsilon}}
#   \Big(N g_i - \sum_j g_j - \hat x_i \sum_j g_j \hat x_j\Big), \qquad
#   \frac{\partial L}{\partial \gamma} = \sum_i \frac{\partial L}{\partial y_i}\,\hat x_i, \qquad
#   \frac{\partial L}{\partial \beta} = \sum_i \frac{\partial L}{\partial y_i}.$$
#
# (Derive it on paper from the computational graph if you have time; it is a classic.)

# %% answer="batchnorm_backward"
def batchnorm_backward(dout, cache):
    """Batch normalisation, backward pass (of a train-mode forward pass).

    Inputs: dout: (N, D) upstream gradient; cache: from batchnorm_forward in train mode.
    Returns (dx, dgamma, dbeta): (N, D), (D,), (D,).
    """
    ### BEGIN SOLUTION
    x_hat, gamma, inv_std = cache
    n = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx_hat = dout * gamma
    dx = inv_std / n * (n * dx_hat - dx_hat.sum(axis=0) - x_hat * (dx_hat * x_hat).sum(axis=0))
    return dx, dgamma, dbeta
    ### END SOLUTION


# %% test="batchnorm_backward" points=3
x = np.array([[1.0, 2.0, -1.0], [3.0, 0.0, 1.0], [-2.0, 1.0, 0.5], [0.0, 4.0, 2.0]])
gamma, beta = np.array([1.0, 2.0, 0.5]), np.array([0.0, -1.0, 0.3])
dout = np.array([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6], [-0.7, 0.8, 0.9], [1.0, -1.1, 1.2]])
_, cache, _ = batchnorm_forward(x, gamma, beta, {"mode": "train"})
dx, dgamma, dbeta = call_unmutated(batchnorm_backward, dout, cache)
check_close(dbeta, np.array([0.8, 0.0, 1.8]), "dbeta", batch_size=4,
            hint="dbeta is dout summed over the batch.")
check_close(dgamma, np.array([1.275808488, -2.704487434, 0.7620991037]), "dgamma", batch_size=4,
            hint="dgamma = (dout * x_hat).sum(axis=0).")
check_close(dx, np.array([[-0.1045393406, -0.1159073108, 0.0628143141],
                          [-0.1344071628, -0.4056681697, -0.5154558609],
                          [-0.2538823772, 0.6181706756, 0.2180064448],
                          [0.4928288805, -0.0965951952, 0.2346351021]]), "dx", batch_size=4,
            hint="dx has three terms: the mean and the variance depend on every example too.")


def batchnorm_train(x, gamma, beta):
    """batchnorm_forward in train mode, as (out, cache), for the gradient check."""
    out, cache, _ = batchnorm_forward(x, gamma, beta, {"mode": "train"})
    return out, cache


rng = np.random.default_rng(5)
check_backward(batchnorm_train, batchnorm_backward,
               {"x": rng.normal(2.0, 3.0, size=(6, 4)), "gamma": rng.normal(size=4),
                "beta": rng.normal(size=4)}, rng=rng)
### BEGIN HIDDEN TESTS
from grading import regularization as hidden; hidden.check_batchnorm_backward(batchnorm_forward, batchnorm_backward)
### END HIDDEN TESTS
passed("batchnorm_backward")

# %% [markdown]
# ## 7. Every technique on the same overfitting setup
#
# Your functions become layers and models that follow the protocol of your `train`
# (`params`, `grads`, `forward(X, train)`, `backward(dscores)`, and an optional `penalty()`).
# `Sequential` tells each layer whether it is training through `layer.training`.

# %%
class Dropout:
    """Inverted dropout as a layer: drops with probability p while training, identity otherwise."""

    def __init__(self, p, rng):
        self.p, self.rng = p, rng
        self.params, self.grads, self.training = {}, {}, False

    def forward(self, x):
        mode = "train" if self.training else "test"
        out, self.cache = dropout_forward(x, {"p": self.p, "mode": mode, "rng": self.rng})
        return out

    def backward(self, dout):
        return dropout_backward(dout, self.cache)


class BatchNorm:
    """Batch normalisation as a layer: params gamma and beta, running statistics in bn_param."""

    def __init__(self, n_features):
        self.params = {"gamma": np.ones(n_features, np.float32),
                       "beta": np.zeros(n_features, np.float32)}
        self.grads, self.training, self.bn_param = {}, False, {"mode": "train"}

    def forward(self, x):
        mode = "train" if self.training else "test"
        out, self.cache, self.bn_param = batchnorm_forward(
            x, self.params["gamma"], self.params["beta"], dict(self.bn_param, mode=mode))
        return out.astype(x.dtype)

    def backward(self, dout):
        dx, dgamma, dbeta = batchnorm_backward(dout, self.cache)
        self.grads = {"gamma": dgamma, "beta": dbeta}
        return dx


class L2Regularised:
    """A model whose training loss includes l2_penalty of its weight matrices (not biases)."""

    def __init__(self, model, reg):
        self.model, self.reg = model, reg
        self.params, self.grads = model.params, {}

    def weights(self):
        return {name: W for name, W in self.params.items() if name.endswith(".W")}

    def forward(self, X, train=False):
        return self.model.forward(X, train)

    def penalty(self):
        return l2_penalty(self.weights(), self.reg)[0]

    def backward(self, dscores):
        dX = self.model.backward(dscores)
        _, penalty_grads = l2_penalty(self.weights(), self.reg)
        self.grads = {name: grad + penalty_grads[name] if name in penalty_grads else grad
                      for name, grad in self.model.grads.items()}
        return dX


# %% [markdown]
# Each run below starts from the same initial weights (seed 1) and sees the training images in
# the same order (seed 2). Early stopping and augmentation act between epochs, so they call
# `train` one epoch at a time. After early stopping, the best weights are copied back into the
# model.

# %%
def epoch_by_epoch(model, make_X, stopper=None):
    """Train one epoch at a time on make_X() (fresh data each epoch); stop when stopper says so."""
    rng, history = np.random.default_rng(2), {}
    for _ in tqdm(range(epochs), desc="epochs"):
        for key, values in fit(model, rng, X=make_X(), epochs=1, progress=False).items():
            history.setdefault(key, []).extend(values)
        if stopper is not None and stopper.step(history["val_loss"][-1], model.params):
            break
    if stopper is not None:
        for name, W in model.params.items():
            W[...] = stopper.best_params[name]      # restore the best epoch's weights
    return history


models = {"no regularisation": baseline}
models["L2, reg 0.01"] = L2Regularised(make_mlp(), reg=0.01)
histories["L2, reg 0.01"] = fit(models["L2, reg 0.01"], np.random.default_rng(2))
dropout_rng = np.random.default_rng(3)
models["dropout, p 0.5"] = make_mlp(lambda n: [ReLU(), Dropout(0.5, dropout_rng)])
histories["dropout, p 0.5"] = fit(models["dropout, p 0.5"], np.random.default_rng(2))
models["batchnorm"] = make_mlp(lambda n: [BatchNorm(n), ReLU()])
histories["batchnorm"] = fit(models["batchnorm"], np.random.default_rng(2))
stopper = EarlyStopping(patience=5)
models["early stopping, patience 5"] = make_mlp()
histories["early stopping, patience 5"] = epoch_by_epoch(models["early stopping, patience 5"],
                                                         lambda: X_train, stopper)
augment_rng = np.random.default_rng(4)
models["augmentation"] = make_mlp()
histories["augmentation"] = epoch_by_epoch(
    models["augmentation"],
    lambda: augment(X_train.reshape(-1, 28, 28), augment_rng).reshape(len(X_train), -1))

# %% [markdown]
# Some augmented training images (each row: the original, then four random versions):

# %%
examples = np.repeat(X_train[:4].reshape(-1, 1, 28, 28), 5, axis=1)
examples[:, 1:] = augment(examples[:, 1:].reshape(-1, 28, 28),
                          np.random.default_rng(5)).reshape(4, 4, 28, 28)
fig, axes = plt.subplots(4, 5, figsize=(6, 5))
for ax, image in zip(axes.ravel(), examples.reshape(-1, 28, 28)):
    ax.imshow(image, cmap="gray_r")
    ax.axis("off")
plt.show()

# %% [markdown]
# The comparison: validation loss (left) and accuracy (right) per epoch, one line per technique;
# the table gives each final model's accuracy on the training and validation images (after
# early stopping, the restored best epoch).

# %%
fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(14, 5))
plot_curves({name: h["val_loss"] for name, h in histories.items()}, ax=ax_loss, logy=True,
            ylabel="validation loss", title="validation loss per epoch")
plot_curves({name: h["val_acc"] for name, h in histories.items()}, ax=ax_acc,
            ylabel="validation accuracy", title="validation accuracy per epoch")
ax_acc.set_ylim(0.7, 1.0)
plt.tight_layout()
plt.show()
print(f"{'technique':<28}{'train acc':>10}{'val acc':>10}{'val loss':>10}{'best val acc':>14}")
for name, model in models.items():
    train_loss, train_acc = evaluate(model, X_train, y_train, loss=softmax_loss, accuracy=accuracy)
    val_loss, val_acc = evaluate(model, X_val, y_val, loss=softmax_loss, accuracy=accuracy)
    print(f"{name:<28}{train_acc:>10.1%}{val_acc:>10.1%}{val_loss:>10.3f}"
          f"{max(histories[name]['val_acc']):>14.1%}")

# %% [markdown]
# What to read in it:
#
# - **Without regularisation** the validation loss rises after its minimum while the accuracy
#   stays flat: the network grows over-confident.
# - **L2** keeps the weights small, which caps how confident the network can get: the same
#   accuracy, a clearly lower validation loss. It is the cheapest tool and almost always worth a
#   try.
# - **Dropout** trains a noisy ensemble of thinned networks: a little better than the baseline in
#   both loss and accuracy here.
# - **Early stopping** keeps the epoch with the lowest validation loss (its curve ends when
#   patience runs out): it cannot make the model better than its best moment, but it saves the
#   remaining epochs and the guesswork of choosing their number.
# - **Augmentation** is the only technique here that adds information (a digit shifted or tilted
#   is still that digit), and it wins by a wide margin. It is also the only one whose training
#   accuracy stays below 100%: the network can no longer memorise exact pixels.
# - **Batch normalisation** mostly speeds training up (look at its first epochs); at the end it
#   regularises about as much as L2 on a network this shallow.
#
# The exact numbers move a little with the seeds; the ranking is what to remember.
#
# They combine: real training runs use several at once (augmentation, weight decay, dropout or
# batchnorm, and a checkpoint of the best epoch).
#
# ## Summary
#
# - A large network on little data memorises it: the training loss goes to zero while the
#   validation loss rises.
# - L2 adds $\tfrac{\lambda}{2}\lVert W\rVert^2$ to the loss and $\lambda W$ to the gradient.
# - Inverted dropout drops each unit with probability $p$ and scales the rest by $1/(1-p)$ at
#   training time, so the test-time layer is the identity.
# - Early stopping keeps copies of the best weights and stops after `patience` epochs without
#   improvement.
# - Augmentation creates new training examples from transformations that keep the label.
# - Batch normalisation standardises each feature over the batch during training and uses
#   running averages at test time.
