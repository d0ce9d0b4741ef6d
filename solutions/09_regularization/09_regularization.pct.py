# %% [markdown]
# # 09 · Regularisation
#
# A network with enough parameters can memorise its training set: every training example right,
# new examples wrong. That is **overfitting**, and it is the normal state of a large network
# trained on little data. This notebook makes it visible, then fights it with the standard tools:
#
# 1. an L2 penalty on the weights (weight decay),
# 2. dropout, in its "inverted" form and in its original one, with separate train and test
#    behaviour,
# 3. early stopping, which keeps the weights of the best epoch,
# 4. data augmentation, which makes new training images from the old ones,
# 5. batch normalisation, with running statistics for test time,
#
# then compares them all on the same overfitting setup, and ends with weight decay under Adam,
# where an L2 penalty and decoupled weight decay (AdamW) stop being the same thing.
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
from dlcourse.testing import (LinearModel, call_unmutated, check_backward, check_close, check_equal,
                              check_true, describe, missing_keys, passed)
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
best_epoch = int(np.argmin(history["val_loss"]))
print(f"training accuracy reaches 100% at epoch {np.argmax(np.array(history['train_acc']) == 1) + 1}"
      f" and ends at {history['train_acc'][-1]:.1%} (training loss {history['train_loss'][-1]:.4f})")
print(f"validation loss: lowest {history['val_loss'][best_epoch]:.3f} at epoch {best_epoch + 1}, "
      f"{history['val_loss'][-1]:.3f} at the end")
print(f"validation accuracy: {history['val_acc'][-1]:.1%} at the end, "
      f"best {max(history['val_acc']):.1%}")
if not quick():
    assert history["train_acc"][-1] == 1.0 and history["train_loss"][-1] < 0.02, history
    assert 5 <= best_epoch + 1 <= 15, best_epoch
    assert history["val_loss"][-1] > 1.05 * history["val_loss"][best_epoch], history["val_loss"]
    assert 0.86 <= history["val_acc"][-1] <= 0.90, history["val_acc"]

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

# %% answer="l2_penalty" tags=["provided:regularization"]
def l2_penalty(params, reg):
    """L2 penalty on some parameter arrays.

    Inputs:
    - params: dict {name: float array (float32 or float64) of any shape}, the weights to
      penalise
    - reg: float, the regularisation strength lambda
    Returns (loss, grads):
    - loss: float, 0.5 * reg * (sum of the squares of every entry of every array)
    - grads: dict {name: array}, the gradient reg * W for each array W, same keys, shapes and
      dtypes
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

# %% answer="dropout_forward" tags=["provided:regularization"]
def dropout_forward(x, dropout_param):
    """Inverted dropout, forward pass.

    Inputs:
    - x: float array (float32 or float64) of any shape
    - dropout_param: dict with
      - "p": float in [0, 1), the probability of DROPPING each unit
      - "mode": "train" or "test"
      - "rng": np.random.Generator (used in train mode only)
    Returns (out, cache):
    - out: array shaped like x, of its dtype. Train: x * mask, where mask is 0 where u < p and
      1 / (1 - p) elsewhere, for u = rng.random(x.shape) drawn once. Test: x itself (the
      identity).
    - cache: what dropout_backward needs (the mode and the mask)
    """
    ### BEGIN SOLUTION
    p, mode = dropout_param["p"], dropout_param["mode"]
    if mode == "train":
        keep = dropout_param["rng"].random(x.shape) >= p
        mask = keep.astype(x.dtype) / (1 - p)
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


# %% answer="dropout_backward" tags=["provided:regularization"]
def dropout_backward(dout, cache):
    """Inverted dropout, backward pass.

    Inputs:
    - dout: upstream gradient, shaped like the x of the forward pass
    - cache: from dropout_forward
    Returns dx, shaped like dout and of its dtype: dout * mask in train mode, dout in test
    mode. The cache is not modified (a backward may be called again on it).
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
# ### The original form
#
# Srivastava et al. (2014) did it the other way round: no scaling while training, and a
# correction at **test time**. While training, a unit is kept as it is or dropped:
#
# $$\text{train: } \text{out} = x \odot m,\quad m_i \sim \text{Bernoulli}(1-p).$$
#
# At test time every unit is present, and the layer must then output what the next layer saw *on
# average* during training, or every layer after it receives inputs of the wrong size. Work out
# that average, $\mathbb{E}[x \odot m]$, and you have the test-time rule (in the paper, it is
# applied to the outgoing weights instead, once and for all; the effect is the same).
#
# **Your turn.** Write `vanilla_dropout_forward` (CS231n's name for it). Draw the mask as before
# (one call `u = rng.random(x.shape)`, drop where `u < p`). Its training-mode backward is the
# same as inverted dropout's, a multiplication by its mask: return a cache that your
# `dropout_backward` can use, and section 7 will train with it.

# %% answer="vanilla_dropout_forward" tags=["provided:regularization"]
def vanilla_dropout_forward(x, dropout_param):
    """Dropout as Srivastava et al. (2014) wrote it, forward pass: no scaling while training.

    Inputs:
    - x: float array (float32 or float64) of any shape
    - dropout_param: dict with "p" (float in [0, 1), the probability of DROPPING each unit),
      "mode" ("train" or "test") and "rng" (np.random.Generator, used in train mode only)
    Returns (out, cache):
    - out: array shaped like x, of its dtype. Train: x where u >= p and 0 where u < p, for
      u = rng.random(x.shape) drawn once. Test: every unit, at the value the next layer saw on
      average during training.
    - cache: what dropout_backward needs to backpropagate a train-mode pass (0/1 mask)
    """
    ### BEGIN SOLUTION
    p, mode = dropout_param["p"], dropout_param["mode"]
    if mode == "train":
        mask = (dropout_param["rng"].random(x.shape) >= p).astype(x.dtype)
        return x * mask, (mode, mask)
    return (1 - p) * x, (mode, None)
    ### END SOLUTION


# %% test="vanilla_dropout_forward" points=1
x = np.linspace(-1, 1, num=12).reshape(3, 4)
out, _ = call_unmutated(vanilla_dropout_forward, x,
                        {"p": 0.25, "mode": "train", "rng": np.random.default_rng(0)})
check_close(out, np.array([[-1.0, -0.8181818182, 0.0, 0.0],
                           [-0.2727272727, -0.09090909091, 0.09090909091, 0.2727272727],
                           [0.4545454545, 0.6363636364, 0.8181818182, 0.0]]),
            "vanilla_dropout_forward(x, p=0.25, train) with rng seed 0",
            hint="Drop where rng.random(x.shape) < p (p is the probability of DROPPING a "
                 "unit), and keep the other units AS THEY ARE: the original dropout does not "
                 "scale while training.")
out, _ = vanilla_dropout_forward(x, {"p": 0.25, "mode": "test", "rng": np.random.default_rng(0)})
check_close(out, np.array([[-0.75, -0.6136363636, -0.4772727273, -0.3409090909],
                           [-0.2045454545, -0.06818181818, 0.06818181818, 0.2045454545],
                           [0.3409090909, 0.4772727273, 0.6136363636, 0.75]]),
            "vanilla_dropout_forward(x, p=0.25, test)",
            hint="At test time a unit must give what it gave on average while training: it was "
                 "kept with probability 1 - p, and 0 otherwise.")
ones = np.ones((200, 500))
train_out, _ = vanilla_dropout_forward(ones, {"p": 0.6, "mode": "train",
                                              "rng": np.random.default_rng(1)})
test_out, _ = vanilla_dropout_forward(ones, {"p": 0.6, "mode": "test",
                                             "rng": np.random.default_rng(1)})
check_true(abs(np.mean(train_out == 0) - 0.6) < 0.01,
           f"With p = 0.6, {np.mean(train_out == 0):.1%} of the units were dropped instead of "
           "about 60%: p is the probability of dropping a unit.")
check_true(abs(train_out.mean() - test_out.mean()) < 0.01,
           f"On an input of ones, the mean output is {train_out.mean():.3f} in train mode and "
           f"{test_out.mean():.3f} in test mode: they must agree, that is the point of the "
           "test-time rule.")
### BEGIN HIDDEN TESTS
from grading import regularization as hidden; hidden.check_vanilla_dropout_forward(vanilla_dropout_forward)
### END HIDDEN TESTS
passed("vanilla_dropout_forward")

# %% [markdown]
# ## 4. Early stopping
#
# The validation loss of an overfitting network falls, bottoms out, then climbs while the training
# loss keeps falling. Early stopping watches the validation loss after every epoch, remembers the
# weights of the best epoch so far, and stops when the loss has not improved for `patience`
# epochs in a row. At that point the model holds the weights of the last epoch, which has been
# overfitting for `patience` epochs; so the weights saved at the best epoch are copied back into
# the model, and those are the ones kept.
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

# %% answer="EarlyStopping" tags=["provided:regularization"]
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

        Returns True when training should stop: `patience` epochs in a row without improvement
        (and at every later call, until an epoch improves).
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
            "step()'s answers, call by call, for validation losses [1.0, 0.8, 0.9, 0.7, 0.75, "
            "0.71, 0.72], "
            "patience=2",
            hint="Stop once `patience` epochs IN A ROW did not improve: the improvement at epoch "
                 "3 (0.7) resets the count. Once it says stop, step() keeps answering True at "
                 "every later call until an epoch improves.")
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
from grading import regularization as hidden; hidden.check_early_stopping(EarlyStopping, LinearModel)
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

# %% answer="augment" tags=["provided:regularization"]
def augment(images, rng, max_shift=2, max_degrees=10.0):
    """Random small rotations and shifts of a batch of images.

    Inputs:
    - images: (N, H, W) array of any dtype (H and W may differ)
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
           f"got {describe(out)}.")
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
           f"{describe(np.unique(d_rows.round(2)))} rows and {describe(np.unique(d_cols.round(2)))} "
           "columns; "
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

# %% answer="batchnorm_forward" tags=["provided:regularization"]
def batchnorm_forward(x, gamma, beta, bn_param):
    """Batch normalisation, forward pass.

    Inputs:
    - x: (N, D) float data (float32 or float64; N may be 1); gamma: (D,) scale; beta: (D,)
      shift, of the dtype of x
    - bn_param: dict with "mode" ("train" or "test") and optionally "eps" (1e-5), "momentum"
      (0.9), "running_mean" ((D,), zeros) and "running_var" ((D,), ones). Not modified.
    Returns (out, cache, next_bn_param):
    - out: (N, D), of the dtype of x in train mode. Train: normalised with the batch mean and
      (biased) variance. Test: normalised with running_mean and running_var. Then
      out = gamma * x_hat + beta.
    - cache: what your batchnorm_backward needs (train mode); a tuple of arrays
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
    centred = x - mean
    inv_std = 1 / np.sqrt(var + eps)
    x_hat = centred * inv_std
    return gamma * x_hat + beta, (centred, inv_std, x_hat, gamma), next_bn_param
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
# ### Backward, on the computation graph
#
# $\mu$ and $\sigma^2$ depend on every $x_i$ of the batch, so $\partial L / \partial x_i$ is not
# just $\gamma\,s\,\partial L/\partial y_i$: there are several paths from $x_i$ to the loss.
# Rather than untangle them at once, cut the forward pass into nodes, each a simple operation,
# and backpropagate through them one at a time, as in notebook 05. Everything happens column by
# column (feature by feature), so read each symbol as one column; $i$ indexes the $N$ rows:
#
# | node | forward | inputs | output |
# |---|---|---|---|
# | 1 | $\mu = \frac1N \sum_i x_i$ | $x$ | one number per column |
# | 2 | $c_i = x_i - \mu$ | $x$, $\mu$ | $(N,)$ per column |
# | 3 | $\sigma^2 = \frac1N \sum_i c_i^2$ | $c$ | one number per column |
# | 4 | $s = (\sigma^2 + \epsilon)^{-1/2}$ | $\sigma^2$ | one number per column |
# | 5 | $\hat x_i = c_i\, s$ | $c$, $s$ | $(N,)$ per column |
# | 6 | $y_i = \gamma\,\hat x_i + \beta$ | $\hat x$, $\gamma$, $\beta$ | $(N,)$ per column |
#
# Backpropagation visits them from 6 down to 1. Each node receives the gradient of the loss with
# respect to its output and passes on, for each input, that gradient times the node's local
# derivative. Two rules from notebook 05 do the rest:
#
# - **A broadcast becomes a sum.** A value used by every row ($\mu$, $s$, $\gamma$, $\beta$: one
#   per column) receives gradient from every row: add them up over the batch. Conversely a sum or
#   mean over the batch (nodes 1 and 3) hands its gradient back to every row (divided by $N$ for a
#   mean).
# - **Branches add up.** $c$ feeds two nodes (3 and 5), and $x$ feeds two (1 and 2): the gradient
#   of each is the sum of one contribution per path.
#
# **Your turn.** On paper, write the local derivative of every node with respect to each of its
# inputs. Then write `batchnorm_backward` as one line per gradient, in reverse order:
# $\partial L/\partial\beta$, $\partial L/\partial\gamma$, $\partial L/\partial\hat x$,
# $\partial L/\partial s$, $\partial L/\partial\sigma^2$, $\partial L/\partial c$ (two branches),
# $\partial L/\partial\mu$, $\partial L/\partial x$ (two branches). What the backward needs from
# the forward pass goes in the cache: the cache format is yours (your `batchnorm_forward` above
# builds it), so add what you find you need.
#
# The tests know two facts that hold whatever the data. Adding a constant to a column of $x$
# leaves every $\hat x$ unchanged, so each column of $\partial L/\partial x$ sums to 0: a
# `dx` that breaks this has lost (or mangled) the path through $\mu$. And scaling a column of $x$
# about its mean leaves $\hat x$ unchanged too (up to $\epsilon$), so each column of
# $\partial L/\partial x$ is orthogonal to that column of $\hat x$: a `dx` that breaks this has
# lost the path through $\sigma^2$.

# %% answer="batchnorm_backward" tags=["provided:regularization"]
def batchnorm_backward(dout, cache):
    """Batch normalisation, backward pass (of a train-mode forward pass), node by node.

    Inputs: dout: (N, D) upstream gradient dL/dy; cache: from batchnorm_forward in train mode.
    Returns (dx, dgamma, dbeta): (N, D), (D,), (D,), of the dtype of x, the gradients of the
    loss with respect to x, gamma and beta. The cache is not modified.
    """
    ### BEGIN SOLUTION
    centred, inv_std, x_hat, gamma = cache
    n = dout.shape[0]
    dbeta = dout.sum(axis=0)                               # node 6: beta is added to every row
    dgamma = np.sum(x_hat * dout, axis=0)                  # node 6: gamma scales every row
    dx_hat = gamma * dout                                  # node 6
    dinv_std = np.sum(centred * dx_hat, axis=0)            # node 5: s is shared by every row
    dvar = -0.5 * inv_std ** 3 * dinv_std                  # node 4
    dcentred = inv_std * dx_hat + 2 * centred * dvar / n   # nodes 5 and 3: two branches
    dmean = -dcentred.sum(axis=0)                          # node 2
    dx = dcentred + dmean / n                              # nodes 2 and 1: two branches
    return dx, dgamma, dbeta
    ### END SOLUTION


# %% test="batchnorm_backward" points=3
x = np.array([[1.0, 2.0, -1.0], [3.0, 0.0, 1.0], [-2.0, 1.0, 0.5], [0.0, 4.0, 2.0]])
gamma, beta = np.array([1.0, 2.0, 0.5]), np.array([0.0, -1.0, 0.3])
dout = np.array([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6], [-0.7, 0.8, 0.9], [1.0, -1.1, 1.2]])
out, cache, _ = batchnorm_forward(x, gamma, beta, {"mode": "train"})
x_hat = (out - beta) / gamma
dx, dgamma, dbeta = call_unmutated(batchnorm_backward, dout, cache)
check_close(dbeta, np.array([0.8, 0.0, 1.8]), "dbeta", batch_size=4,
            hint="beta is added to every row of the batch: its gradient collects the upstream "
                 "gradient of every row.")
check_close(dgamma, np.array([1.275808488, -2.704487434, 0.7620991037]), "dgamma", batch_size=4,
            hint="gamma scales x_hat in every row: sum, over the batch, the upstream gradient "
                 "times the local derivative of node 6 with respect to gamma.")
check_close(dx.sum(axis=0), np.zeros(3), "the column sums of dx", atol=1e-9,
            hint="Adding a constant to a column of x changes nothing after normalisation, so "
                 "each column of dx must sum to 0. The path through mu (nodes 1 and 2) is missing "
                 "or wrong: dmu collects the gradient of c from every row, and hands it back to "
                 "every row of x divided by N.")
check_close((dx * x_hat).sum(axis=0), np.zeros(3), "the column sums of dx * x_hat", atol=1e-4,
            hint="Scaling a column of x about its mean leaves x_hat unchanged (up to eps), so "
                 "each column of dx must be orthogonal to x_hat. The path through sigma^2 "
                 "(nodes 3 and 4, then the second branch into c) is missing or wrong.")
check_close(dx, np.array([[-0.1045393406, -0.1159073108, 0.0628143141],
                          [-0.1344071628, -0.4056681697, -0.5154558609],
                          [-0.2538823772, 0.6181706756, 0.2180064448],
                          [0.4928288805, -0.0965951952, 0.2346351021]]), "dx", batch_size=4,
            hint="dx passes both facts above but is still wrong: check the local derivatives of "
                 "nodes 4 and 5 (s = (var + eps) ** -0.5), and that c gets a contribution from "
                 "both of its branches.")


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
# ### Optional: the compact formula
#
# Your backward walks through eight gradients. Substituted into one another, they collapse into
# a single expression for $\partial L/\partial x_i$ in terms of $g_i = \gamma\,\partial L/\partial
# y_i$ (the gradient with respect to $\hat x_i$), $\hat x_i$, $s$ and two column sums,
# $\sum_j g_j$ and $\sum_j g_j \hat x_j$. It is what fast implementations use: one pass over the
# batch instead of several. Derive it (hint: write $c_j = \hat x_j / s$ and use
# $\sum_j \hat x_j = 0$), write it in `batchnorm_backward_compact`, and the cell after it
# compares it with your step-by-step `batchnorm_backward`. This one is not graded.

# %% answer="batchnorm_backward_compact" tags=["provided:regularization"]
def batchnorm_backward_compact(dout, cache):
    """dx of batchnorm_backward in one expression (optional, not graded).

    Inputs: dout: (N, D); cache: from batchnorm_forward in train mode. Returns dx: (N, D).
    """
    ### BEGIN SOLUTION
    _, inv_std, x_hat, gamma = cache
    n = dout.shape[0]
    g = gamma * dout
    return inv_std / n * (n * g - g.sum(axis=0) - x_hat * np.sum(g * x_hat, axis=0))
    ### END SOLUTION


# %%
compare_rng = np.random.default_rng(6)
x_batch = compare_rng.normal(1.0, 2.0, size=(64, 10))
_, cache, _ = batchnorm_forward(x_batch, compare_rng.normal(size=10), compare_rng.normal(size=10),
                                {"mode": "train"})
dout = compare_rng.normal(size=x_batch.shape)
try:
    difference = np.abs(batchnorm_backward_compact(dout, cache) - batchnorm_backward(dout, cache)[0])
    print(f"largest difference between the compact and the step-by-step dx: {difference.max():.2e}"
          + (" (the same, up to rounding)" if difference.max() < 1e-9 else " (not the same)"))
except NotImplementedError:
    print("batchnorm_backward_compact is not written (it is optional).")

# %% [markdown]
# ## 7. Every technique on the same overfitting setup
#
# Your functions become layers and models that follow the protocol of your `train`
# (`params`, `grads`, `forward(X, train)`, `backward(dscores)`, and an optional `penalty()`).
# `Sequential` tells each layer whether it is training through `layer.training`.

# %% tags=["provided:regularization"]
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
final = {}
for name, model in models.items():
    train_loss, train_acc = evaluate(model, X_train, y_train, loss=softmax_loss, accuracy=accuracy)
    val_loss, val_acc = evaluate(model, X_val, y_val, loss=softmax_loss, accuracy=accuracy)
    print(f"{name:<28}{train_acc:>10.1%}{val_acc:>10.1%}{val_loss:>10.3f}"
          f"{max(histories[name]['val_acc']):>14.1%}")
    final[name] = {"train_acc": train_acc, "val_acc": val_acc, "val_loss": val_loss}
accuracy_error = np.sqrt(0.88 * 0.12 / len(X_val))
print(f"(standard error of an accuracy near 88% on {len(X_val)} images: {accuracy_error:.1%})")
if not quick():
    base = final["no regularisation"]
    assert np.argmin(histories["no regularisation"]["val_loss"]) < 20, "no rise after the minimum"
    assert abs(final["L2, reg 0.01"]["val_acc"] - base["val_acc"]) < 0.01
    assert final["L2, reg 0.01"]["val_loss"] < base["val_loss"] - 0.05, final
    assert final["dropout, p 0.5"]["val_loss"] < base["val_loss"], final
    assert final["dropout, p 0.5"]["val_acc"] > base["val_acc"], final
    assert len(histories["early stopping, patience 5"]["val_loss"]) < epochs, "never stopped"
    assert np.isclose(final["early stopping, patience 5"]["val_loss"],
                      min(histories["early stopping, patience 5"]["val_loss"]), rtol=1e-4)
    augmented = final["augmentation"]
    assert all(augmented["val_acc"] > f["val_acc"] + 0.02 and augmented["val_loss"] < f["val_loss"]
               for name, f in final.items() if name != "augmentation"), final
    assert augmented["train_acc"] < 0.98 and all(
        f["train_acc"] > 0.99 for name, f in final.items() if name != "augmentation"), final
    assert (histories["batchnorm"]["val_acc"][0]
            > histories["no regularisation"]["val_acc"][0] + 0.05), histories["batchnorm"]
    assert abs(final["batchnorm"]["val_loss"] - final["L2, reg 0.01"]["val_loss"]) < 0.03, final

# %% [markdown]
# What to read in it:
#
# - **Without regularisation** the validation loss rises after its minimum while the accuracy
#   stays flat: the network grows over-confident.
# - **L2** keeps the weights small, which caps how confident the network can get: the same
#   accuracy, a clearly lower validation loss. It is the cheapest tool and almost always worth a
#   try.
# - **Dropout** trains a noisy ensemble of thinned networks: a lower validation loss than the
#   baseline, and an accuracy a little higher here (by less than the noise of this measurement).
# - **Early stopping** keeps the epoch with the lowest validation loss (its curve ends when
#   patience runs out): it cannot make the model better than its best moment, but it saves the
#   remaining epochs and the guesswork of choosing their number.
# - **Augmentation** is the only technique here that adds information (a digit shifted or tilted
#   is still that digit), and it wins by a wide margin. It is also the only one that does not
#   memorise its training images: its training accuracy stays near 97%, where every other model
#   is at, or within a fraction of a percent of, 100%. The network can no longer memorise exact
#   pixels.
# - **Batch normalisation** mostly speeds training up (its validation accuracy after the first
#   epoch is more than 5 points above the others'); at the end it regularises about as much as L2
#   on a network this shallow (about the same validation loss).
#
# The exact numbers move with the seeds: on 2,000 validation images, an accuracy near 88% is only
# known to within about 0.7% (the standard error printed under the table), so differences of a
# point or less are not to be trusted; the big effects (augmentation, the lower losses of L2, dropout
# and batchnorm) are what to remember.

# %% [markdown]
# ### The test-time rule of the original dropout, tested
#
# The same network, trained as the dropout run above (p = 0.5, the same seeds), but with your
# `vanilla_dropout_forward`: no scaling while training, the test-time rule at test time. Then
# three ways to use it on the validation images:
#
# - **with the rule**, as written;
# - **without it**: the test-time layer passes every unit unscaled, the bug the rule prevents;
# - **as an ensemble**: dropout trains many thinned networks that share their weights, and the
#   test-time rule is meant to stand for the average of their predictions. Averaging the
#   predicted probabilities of $K$ thinned networks (dropout left on, $K$ random masks) computes
#   that average directly, at $K$ times the cost (Srivastava et al., 2014, §7.5, do this on
#   MNIST).

# %%
class VanillaDropout(Dropout):
    """The original dropout as a layer; scale_at_test=False forgets the test-time rule."""

    def __init__(self, p, rng, scale_at_test=True):
        super().__init__(p, rng)
        self.scale_at_test = scale_at_test

    def forward(self, x):
        if not (self.training or self.scale_at_test):
            return x
        mode = "train" if self.training else "test"
        out, self.cache = vanilla_dropout_forward(x, {"p": self.p, "mode": mode, "rng": self.rng})
        return out


def vanilla_train(x):
    """Train-mode vanilla dropout with the same mask at every call, for the gradient check."""
    return vanilla_dropout_forward(x, {"p": 0.5, "mode": "train", "rng": np.random.default_rng(3)})


# The layer backpropagates with your dropout_backward: check that they fit together.
check_backward(vanilla_train, dropout_backward, {"x": np.linspace(-2, 2, num=15).reshape(5, 3)},
               rng=np.random.default_rng(4))
vanilla_rng = np.random.default_rng(3)
vanilla_model = make_mlp(lambda n: [ReLU(), VanillaDropout(0.5, vanilla_rng)])
vanilla_history = fit(vanilla_model, np.random.default_rng(2))
vanilla_layers = [layer for layer in vanilla_model.layers if isinstance(layer, VanillaDropout)]


def validation_probabilities(model, train=False):
    scores = model.forward(X_val, train=train)
    exp_scores = np.exp(scores - scores.max(axis=1, keepdims=True))
    return exp_scores / exp_scores.sum(axis=1, keepdims=True)


def loss_and_accuracy(probabilities):
    correct = probabilities[np.arange(len(y_val)), y_val]
    return float(-np.mean(np.log(np.maximum(correct, 1e-12)))), float(np.mean(
        probabilities.argmax(axis=1) == y_val))


# The first hidden layer's mean output: while training (dropout on), and at test time.
first_block = Sequential(vanilla_model.layers[:3])
train_mean = np.mean([first_block.forward(X_val, train=True).mean() for _ in range(20)])
results, test_means = {}, {}
for scale_at_test in (True, False):
    for layer in vanilla_layers:
        layer.scale_at_test = scale_at_test
    name = "with the test-time rule" if scale_at_test else "without it"
    test_means[name] = first_block.forward(X_val, train=False).mean()
    results[name] = loss_and_accuracy(validation_probabilities(vanilla_model))
    print(f"{name:<24} mean first-layer output at test time {test_means[name]:.3f} "
          f"(while training: {train_mean:.3f}); validation loss {results[name][0]:.3f}, "
          f"accuracy {results[name][1]:.1%}")
for layer in vanilla_layers:
    layer.scale_at_test = True
inverted = evaluate(models["dropout, p 0.5"], X_val, y_val, loss=softmax_loss, accuracy=accuracy)
print(f"{'inverted dropout (above)':<24} validation loss {inverted[0]:.3f}, accuracy {inverted[1]:.1%}")
ensemble_sizes = [1, 2, 5, 10, 20, 50, 100] if not quick() else [1, 2, 5]
summed, ensemble = 0.0, {}
for k in range(1, ensemble_sizes[-1] + 1):
    summed = summed + validation_probabilities(vanilla_model, train=True)
    if k in ensemble_sizes:
        ensemble[k] = loss_and_accuracy(summed / k)
print("ensemble of K thinned networks:",
      ", ".join(f"K={k}: loss {l:.3f}, acc {a:.1%}" for k, (l, a) in ensemble.items()))
fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(12, 4))
for ax, index, label in ((ax_loss, 0, "validation loss"), (ax_acc, 1, "validation accuracy")):
    ax.plot(list(ensemble), [value[index] for value in ensemble.values()], "o-",
            label="average of K thinned networks")
    for (name, value), style in zip(results.items(), ("--", ":")):
        ax.axhline(value[index], linestyle=style, color="k", label=f"one network, {name}")
    ax.set(xscale="log", xlabel="K", ylabel=label)
    ax.grid(alpha=0.3)
ax_loss.set_yscale("log")
ax_loss.legend()
fig.suptitle("original dropout, p = 0.5: the test-time rule against an explicit ensemble")
plt.tight_layout()
plt.show()
if not quick():
    with_rule, without_rule = results["with the test-time rule"], results["without it"]
    assert abs(test_means["with the test-time rule"] / train_mean - 1) < 0.05, test_means
    assert abs(test_means["without it"] / train_mean - 2) < 0.1, test_means
    assert without_rule[0] > 2 * with_rule[0] and abs(without_rule[1] - with_rule[1]) < 0.02
    assert abs(with_rule[0] - inverted[0]) < 0.05, (with_rule, inverted)
    assert ensemble[ensemble_sizes[-1]][0] < ensemble[1][0] and with_rule[0] <= ensemble[100][0]

# %% [markdown]
# Without the rule, the test-time outputs of each dropout layer are twice what the next layer
# learnt to expect ($1/(1-p)$; the first one's mean is printed), and the scores grow accordingly: the accuracy barely moves, because the largest score mostly stays the
# largest, but the validation loss more than doubles, the network being far too sure of itself.
# With the rule, the original dropout does about as well as the inverted one (the validation
# losses differ by less than 0.05). The explicit ensemble gets better as $K$ grows, yet even 100
# thinned networks, at 100 times the cost, do not beat the single scaled one: the rule is an
# approximation of the ensemble average (exact for one linear layer, not through the ReLUs), and
# here a good one. Inverted dropout moves the rule to training time, so that the test-time network
# needs no change at all: that is why frameworks use it.
#
# They combine: real training runs use several at once (augmentation, weight decay, dropout or
# batchnorm, and a checkpoint of the best epoch).
#
# ## 8. Weight decay under Adam: an L2 penalty is not weight decay
#
# With SGD, the penalty's gradient $\lambda\mathbf{w}$ makes the step
# $-\eta(\nabla L + \lambda\mathbf{w})$: every weight shrinks by the factor $1 - \eta\lambda$ at every
# step, whatever its gradient, hence "weight decay" as a synonym of L2. Under Adam the two part
# ways (Loshchilov and Hutter, 2019). The penalty's gradient goes into $\mathbf{m}$ and
# $\mathbf{v}$ with the data gradient, and is divided by $\sqrt{\hat{\mathbf{v}}}$ like it:
#
# - a weight with large data gradients has a large $\sqrt{\hat{\mathbf{v}}}$, which divides its
#   penalty too: it is hardly regularised;
# - a weight with small or no data gradients has a tiny $\sqrt{\hat{\mathbf{v}}}$: its penalty,
#   however small $\lambda$, becomes a step of about $\eta$ towards 0, and it is wiped out.
#
# **Decoupled weight decay** (AdamW) takes the decay out of the gradient: Adam's step on the data
# gradient alone, and a separate shrink of every weight by the same factor. Their Algorithm 2
# (line 12), with the schedule multiplier playing the learning rate as in PyTorch's `AdamW`:
#
# $$\mathbf{w} \leftarrow \mathbf{w} - \eta\left(\frac{\hat{\mathbf{m}}}{\sqrt{\hat{\mathbf{v}}} +
#   \epsilon} + \lambda\,\mathbf{w}\right),$$
#
# where $\hat{\mathbf{m}}$, $\hat{\mathbf{v}}$ and $t$ are Adam's, computed from $\nabla L$ alone
# (no $\lambda\mathbf{w}$ in them), and the $\mathbf{w}$ in $\lambda\mathbf{w}$ is the weight before
# this step. So with a zero data gradient, a weight shrinks by exactly $1 - \eta\lambda$ per step.
#
# **Your turn.** Write `adamw`. You wrote Adam in notebook 08: start from it. As there, $\epsilon$
# may be added to $\sqrt{\hat{\mathbf{v}}}$ (Algorithm 1) or to the uncorrected
# $\sqrt{\mathbf{v}}$ (the folded form); both are accepted.

# %% answer="adamw" tags=["provided:regularization"]
def adamw(w, dw, config=None):
    """Adam with decoupled weight decay (Loshchilov and Hutter, 2019), the update of section 8.

    Inputs: w, dw: arrays of one shape (parameters, gradient of the data loss alone);
    config: dict (or None) with
    - learning_rate: float, eta (default 1e-3); weight_decay: float, lambda (default 1e-2)
    - beta1, beta2: floats in [0, 1) (defaults 0.9, 0.999); epsilon: float (default 1e-8)
    - m, v: arrays shaped like w, Adam's moving averages, not bias-corrected (default zeros)
    - t: int, the number of steps taken before this one (default 0)
    Returns (next_w, config): the new parameters, shaped like w, and config with "m", "v" and
    "t" after this step.
    w and dw are float32 or float64: next_w and the state keep the dtype of w.
    """
    config = {"learning_rate": 1e-3, "weight_decay": 1e-2, "beta1": 0.9, "beta2": 0.999,
              "epsilon": 1e-8, "m": np.zeros_like(w), "v": np.zeros_like(w), "t": 0,
              **(config or {})}
    ### BEGIN SOLUTION
    beta1, beta2 = config["beta1"], config["beta2"]
    t = config["t"] + 1
    m = beta1 * config["m"] + (1 - beta1) * dw
    v = beta2 * config["v"] + (1 - beta2) * np.square(dw)
    adam_step = (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + config["epsilon"])
    config.update(m=m, v=v, t=t)
    return w - config["learning_rate"] * (adam_step + config["weight_decay"] * w), config
    ### END SOLUTION


# %% test="adamw" points=2
w0 = np.linspace(-0.4, 0.6, num=6).reshape(2, 3)
grads = 0.5 * np.cos(np.arange(18.0)).reshape(3, 2, 3)
hyperparameters = {"learning_rate": 0.1, "beta1": 0.8, "beta2": 0.9, "weight_decay": 0.5}
w, config = w0, dict(hyperparameters)
for dw in grads:
    w, config = call_unmutated(adamw, w, dw, config)
check_true({"m", "v", "t"} <= set(config) and config["t"] == 3,
           "adamw must return Adam's state, config['m'], config['v'] and config['t'] (3 after 3 "
           f"calls): {missing_keys(config, ('m', 'v', 't'))}"
           + (f", and t = {describe(config['t'])}." if "t" in config else "."))
check_close(config["m"], np.array([[0.2251990188, 0.1856362061, -0.02459967842],
                                   [-0.212218732, -0.2047248621, -0.009007898096]]),
            "config['m'] after 3 calls of adamw (beta1=0.8, weight_decay=0.5)",
            hint="m is Adam's average of the DATA gradient dw alone: the decay does not go "
                 "through m and v (adding weight_decay * w to dw there is L2 under Adam, the "
                 "thing AdamW replaces).")
zero_w, zero_config = w0, dict(hyperparameters)
for _ in range(3):
    zero_w, zero_config = adamw(zero_w, np.zeros_like(w0), zero_config)
check_close(zero_w, w0 * (1 - 0.1 * 0.5) ** 3,
            "w after 3 calls of adamw with dw = 0 (learning_rate=0.1, weight_decay=0.5)",
            hint="With no data gradient, Adam's part of the step is 0 and every weight shrinks by "
                 "the factor 1 - learning_rate * weight_decay per step. A weight that moved by "
                 "about learning_rate instead had its decay divided by sqrt(v-hat), as an L2 "
                 "penalty's gradient would be.")
check_close(w, np.array([[-0.6271412405, -0.4562883285, 0.2123054872],
                         [0.4547912656, 0.6284558687, 0.3778296766]]),
            "w after 3 calls of adamw (learning_rate=0.1, beta1=0.8, beta2=0.9, weight_decay=0.5)",
            hint="m, v and the pure decay are right: check that the decay uses w before this "
                 "step, and that it is multiplied by the learning rate like Adam's step.")
w, config = adamw(w0, grads[0])
check_close(w, np.array([[-0.400996, -0.200998, 0.001], [0.200998, 0.400996, 0.5989940001]]),
            "w after one call of adamw with config=None (learning_rate 1e-3, weight_decay 1e-2)")
### BEGIN HIDDEN TESTS
from grading import regularization as hidden; hidden.check_adamw(adamw)
### END HIDDEN TESTS
passed("adamw")

# %% [markdown]
# ### L2 against decoupled decay, on the overfitting setup
#
# The network of section 1 trained with Adam ($\eta = 10^{-3}$, your `adamw` with
# `weight_decay=0`), with an L2 penalty on the weights (your `L2Regularised`), or with decoupled
# decay (your `adamw`, decaying the weight matrices only, as the L2 runs penalise only them). A
# few strengths of each; they are not on the same scale, so each gets its own small sweep.

# %%
def adamw_weights_only(w, dw, config):
    """adamw, with the decay switched off for the biases (1-D), as L2Regularised does."""
    return adamw(w, dw, config if w.ndim > 1 else dict(config, weight_decay=0.0))


def fit_adam(model, weight_decay):
    return train(model, X_train, y_train, X_val=X_val, y_val=y_val, loss=softmax_loss,
                 accuracy=accuracy, update=adamw_weights_only,
                 optim_config={"learning_rate": 1e-3, "weight_decay": weight_decay},
                 epochs=epochs, batch_size=50, rng=np.random.default_rng(2), progress=False)


initial_W1 = make_mlp().params["0.W"].copy()           # every run starts from these weights
decay_runs = {}
for name, (reg, weight_decay) in tqdm({"adam": (0.0, 0.0),
                                       "adam + L2, reg 1e-3": (1e-3, 0.0),
                                       "adam + L2, reg 3e-3": (3e-3, 0.0),
                                       "adam + L2, reg 1e-2": (1e-2, 0.0),
                                       "adamw, decay 0.3": (0.0, 0.3),
                                       "adamw, decay 1": (0.0, 1.0),
                                       "adamw, decay 3": (0.0, 3.0)}.items(), desc="runs"):
    model = L2Regularised(make_mlp(), reg) if reg else make_mlp()
    decay_runs[name] = (model, fit_adam(model, weight_decay))
print(f"{'run':<22}{'train acc':>10}{'val acc':>9}{'val loss':>10}")
for name, (model, history) in decay_runs.items():
    print(f"{name:<22}{history['train_acc'][-1]:>10.1%}{history['val_acc'][-1]:>9.1%}"
          f"{history['val_loss'][-1]:>10.3f}")
best = {kind: min((name for name in decay_runs if name.startswith(kind)),
                  key=lambda name: decay_runs[name][1]["val_loss"][-1])
        for kind in ("adam + L2", "adamw")}
print(f"lowest validation loss: {best['adam + L2']} for L2, {best['adamw']} for decoupled decay")

# %% [markdown]
# Where did each run shrink the first layer's weights? Row $r$ of $W_1$ holds the weights leaving
# pixel $r$; the plots compare the length of each row at the end with its length at the start,
# for the best run of each kind, against how bright the pixel is over the training images (the
# root mean square of its values: 0 for the pixels near the border, which are black in every
# image, so that their data gradient is exactly 0).

# %%
brightness = np.sqrt(np.mean(np.square(X_train.astype(np.float64)), axis=0))
shrinkage = {name: np.linalg.norm(decay_runs[name][0].params["0.W"], axis=1)
             / np.linalg.norm(initial_W1, axis=1) for name in (best["adam + L2"], best["adamw"])}
fig, axes = plt.subplots(1, 3, figsize=(15, 4.2))
for ax, (name, ratio) in zip(axes, shrinkage.items()):
    image = ax.imshow(ratio.reshape(28, 28), cmap="viridis", vmin=0, vmax=1)
    ax.set(title=f"{name}:\nrow length / initial length", xticks=[], yticks=[])
    fig.colorbar(image, ax=ax)
for name, ratio in shrinkage.items():
    axes[2].plot(brightness, ratio, ".", markersize=3, label=name)
axes[2].set(xlabel="pixel brightness (RMS over the training images)",
            ylabel="row length / initial length", title="shrinkage against brightness")
axes[2].legend()
axes[2].grid(alpha=0.3)
plt.tight_layout()
plt.show()
dark, lit = brightness == 0, brightness > np.quantile(brightness, 0.75)
n_steps = len(decay_runs["adam"][1]["batch_loss"])
decay = float(best["adamw"].split()[-1])
for name, ratio in shrinkage.items():
    print(f"{name:<22} never-lit pixels ({dark.sum()}): {ratio[dark].mean():.3f}, "
          f"brightest quarter: {ratio[lit].mean():.3f}")
print(f"(1 - 1e-3 * {decay}) ** {n_steps} steps = {(1 - 1e-3 * decay) ** n_steps:.3f}")
if not quick():
    l2_ratio, decoupled_ratio = shrinkage[best["adam + L2"]], shrinkage[best["adamw"]]
    assert l2_ratio[dark].max() < 0.01 and l2_ratio[lit].mean() > 0.2, l2_ratio
    assert l2_ratio[lit].mean() > 100 * l2_ratio[dark].mean(), l2_ratio
    assert np.allclose(decoupled_ratio[dark], (1 - 1e-3 * decay) ** n_steps, rtol=1e-3)
    assert decoupled_ratio[lit].mean() < 10 * decoupled_ratio[dark].mean(), decoupled_ratio
    val_loss = {kind: decay_runs[name][1]["val_loss"][-1] for kind, name in best.items()}
    assert val_loss["adamw"] < val_loss["adam + L2"] < decay_runs["adam"][1]["val_loss"][-1]

# %% [markdown]
# The left map is the L2 penalty under Adam. The border pixels, never lit, have no data gradient:
# their penalty gradient alone feeds $\mathbf{m}$ and $\mathbf{v}$, Adam turns it into steps of
# about $\eta$, and their weights are wiped out (ratio 0). The brightest pixels, whose data
# gradients are large, keep a good part of their weights: the regularisation of a weight depends
# on how large its gradients happen to be. The middle map is decoupled decay: every weight, lit
# or not, is multiplied by the same $1 - \eta\lambda$ at every step. The dark pixels, with no
# data to pull them back, end at exactly $(1 - \eta\lambda)^T$ (the printed power); the lit ones
# end higher, pulled back by their data, but within a small factor of the dark ones (under L2, the
# gap is more than a hundredfold). That is what Loshchilov and Hutter mean by decoupling: the
# regularisation no longer passes through Adam's per-parameter scaling.
# Here the best decoupled run also ends with a lower validation loss than the best L2 run (the
# table), and both below plain Adam, though with three strengths each and one seed, take the
# ranking as an illustration, not a benchmark.
#
# ## Summary
#
# - A large network on little data memorises it: the training loss goes to zero while the
#   validation loss rises.
# - L2 adds $\tfrac{\lambda}{2}\lVert W\rVert^2$ to the loss and $\lambda W$ to the gradient.
# - Inverted dropout drops each unit with probability $p$ and scales the rest by $1/(1-p)$ at
#   training time, so the test-time layer is the identity. The original form scales by $1-p$ at
#   test time instead; forgetting that makes the network overconfident.
# - Early stopping keeps copies of the best weights and stops after `patience` epochs without
#   improvement.
# - Augmentation creates new training examples from transformations that keep the label.
# - Batch normalisation standardises each feature over the batch during training and uses
#   running averages at test time.
# - Under Adam, an L2 penalty regularises each weight according to the size of its gradients;
#   decoupled weight decay (AdamW) shrinks every weight by the same factor.
