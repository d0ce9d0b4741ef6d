# %% [markdown]
# # 10 · Train your best network
#
# Nine notebooks, nine separate skills. This one puts them together, the way a network is
# trained for real: you take your convolution layers (notebook 07), your Adam and your
# learning-rate schedule (08), your weight decay and data augmentation (09), your training loop
# (06), and train the best MNIST classifier you can within a few minutes of CPU time. The target
# is a test accuracy of at least **99.3%**, an error of 0.7% where LeNet-5 (LeCun et al., 1998)
# made 0.95%.
#
# Getting there takes three things that are not about the network at all, and those are yours
# to write here:
#
# 1. a **validation set**, split off the training set class by class (a *stratified* split), to
#    make every decision on;
# 2. a **checkpoint** that keeps the weights of the best epoch and puts them back into the
#    model at the end;
# 3. the sampling of a **random search** over the learning rate and the weight decay,
#    log-uniformly.
#
# Then you run the search on a subset, train the best setting on the whole training set, and
# look at the test set **once**, at the very end.
#
# **How this works.** Cells marked `# YOUR CODE HERE` are yours: replace
# `raise NotImplementedError()` with your code. The test cell after each answer checks it and
# tells you what is wrong; more tests run when your work is graded. Run the cells in order.
# Under grading, and with `DLCOURSE_QUICK=1`, the training cells run a short version; the full
# notebook takes about four minutes of CPU time (longer on a busy machine).

# %% locked=true
import matplotlib.pyplot as plt
import numpy as np
from tqdm.auto import tqdm

from dlcourse.data import load_mnist
from dlcourse.plotting import plot_curves, plot_image_grid
from dlcourse.report import record
from dlcourse.runtime import quick
from dlcourse.testing import (LinearModel, call_unmutated, check_close, check_equal, check_true,
                              describe, passed)
from layers import Linear, ReLU, Sequential, SoftmaxCrossEntropy, accuracy, as_loss_function
from training_loop import evaluate, train
from cnn_layers import Conv, MaxPool2x2
from optimizers import cosine
from regularization import adamw, augment

# %% [markdown]
# ## 1. Three sets, and why the test set is looked at once
#
# Training a network means making decisions: the learning rate, the weight decay, how long to
# train, which epoch's weights to keep, even which architecture. Each decision is made by
# comparing accuracies, and an accuracy measured on a set of images is the true accuracy plus
# noise: on 5,000 images, an accuracy near 99.3% is known only to within about
# $\sqrt{0.993 \cdot 0.007 / 5000} \approx 0.12\%$ (one standard error). Pick the best of 20
# settings by such a measurement and you pick, in part, the setting whose noise happened to be
# largest: its measured accuracy is **optimistic**, by more than a standard error when the
# settings are close. The set the decisions were made on has been fitted, a little, by the
# decisions themselves.
#
# Hence three sets:
#
# - the **training set** fits the weights;
# - the **validation set**, held out from the training set, is what every decision looks at:
#   the search compares settings on it, and the checkpoint keeps the epoch that does best on it;
# - the **test set** is used **once**, at the end, for the number you report. Nothing was chosen
#   by looking at it, so that number is an honest estimate of the accuracy on new digits. Look at
#   it twice, change something in between, and it becomes a second validation set, optimistic
#   like the first.
#
# MNIST comes with 60,000 training and 10,000 test images. We hold out a twelfth of the training
# images, about 5,000, for validation.
#
# ### Stratified splits
#
# MNIST's classes are not equally common: 6,742 training images of a 1, 5,421 of a 5. A
# validation set drawn at random holds each class in roughly, not exactly, its share: with 500
# expected images of a class, the count typically misses by $\pm\sqrt{500} \approx 22$. A
# **stratified** split draws the validation images class by class, the same fraction of each, so
# that the validation set has the class proportions of the training set exactly (to within one
# image). On MNIST it is a small improvement; on a data set with a rare class, a random split can
# leave that class out of the validation set altogether, and every accuracy measured there would
# ignore it.
#
# **Your turn.** `stratified_split(y, val_fraction, rng)`. For each class, in increasing order of
# the labels (`np.unique`), take the positions of its examples (`np.flatnonzero(y == label)`),
# shuffle them with **one** call `rng.permutation(...)`, and send the first
# `round(val_fraction * n_class)` of them to the validation set (Python's `round`, which takes a
# half to the even neighbour, `round(2.5) == 2`; a class of 1 example with `val_fraction = 0.1`
# keeps it for training), the rest to the training set. Return both sets of positions
# **sorted**, as integer arrays. Draw everything from `rng` (never `np.random`): one seed, one
# split, every time.

# %% answer="stratified_split"
def stratified_split(y, val_fraction, rng):
    """Split the positions 0..N-1 of a labelled set into training and validation positions,
    class by class.

    Inputs:
    - y: (N,) integer labels (any integer dtype, any label values); not modified
    - val_fraction: float in [0, 1], the fraction of each class that goes to validation
    - rng: np.random.Generator, the only source of randomness
    Returns (train_idx, val_idx): two sorted integer arrays of positions into y, disjoint, that
    together hold every position once. Each class with n examples sends round(val_fraction * n)
    of them, chosen at random, to val_idx.
    """
    ### BEGIN SOLUTION
    train_parts, val_parts = [], []
    for label in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == label))
        n_val = round(val_fraction * len(members))
        val_parts.append(members[:n_val])
        train_parts.append(members[n_val:])
    return np.sort(np.concatenate(train_parts)), np.sort(np.concatenate(val_parts))
    ### END SOLUTION


# %% test="stratified_split" points=2
y = np.array([0, 1, 1, 0, 2, 1, 0, 1, 1, 1, 0, 1])      # 4 zeros, 7 ones, 1 two
result = call_unmutated(stratified_split, y, 0.25, np.random.default_rng(0))
check_true(isinstance(result, tuple) and len(result) == 2,
           "stratified_split should return a pair (train_idx, val_idx).")
train_idx, val_idx = (np.asarray(part) for part in result)
check_true(np.issubdtype(train_idx.dtype, np.integer) and np.issubdtype(val_idx.dtype, np.integer),
           f"train_idx and val_idx should be integer arrays of positions, got {train_idx.dtype} "
           f"and {val_idx.dtype} (np.concatenate of empty lists gives float64: concatenate "
           "arrays from np.flatnonzero).")
check_equal(np.sort(np.concatenate([train_idx, val_idx])), np.arange(len(y)),
            "train_idx and val_idx together, sorted, for 12 labels",
            hint="Every position 0..N-1 must be in exactly one of the two sets: positions, not "
                 "labels.")
check_equal(np.bincount(y[val_idx], minlength=3), np.array([1, 2, 0]),
            "the number of validation examples of each class, val_fraction 0.25, classes of "
            "4, 7 and 1 examples (a class of size 1)",
            hint="Each class sends round(0.25 * its size) examples: round(1.0) = 1 zero, "
                 "round(1.75) = 2 ones, round(0.25) = 0 twos. Split each class, not the whole "
                 "set at once.")
check_true(np.all(np.diff(train_idx) > 0) and np.all(np.diff(val_idx) > 0),
           f"train_idx {describe(train_idx)} and val_idx {describe(val_idx)} should both be "
           "sorted (np.sort).")
again = stratified_split(y, 0.25, np.random.default_rng(0))
check_equal(np.asarray(again[1]), val_idx, "val_idx of a second call with a generator of seed 0",
            hint="Draw every random number from rng (rng.permutation), never from np.random: "
                 "the same seed must give the same split.")
labels = np.repeat(np.arange(4), 50)                    # 4 classes of 50, in order
picks = [stratified_split(labels, 0.2, np.random.default_rng(seed))[1] for seed in range(3)]
check_true(not np.array_equal(picks[0], picks[1]) and not np.array_equal(picks[1], picks[2]),
           "Three generators of different seeds gave the same validation set: shuffle each "
           "class with rng.permutation before taking its first examples.")
check_true(not np.array_equal(picks[0] % 50, np.tile(np.arange(10), 4)),
           "The validation set holds the first 10 examples of each class: shuffle each class "
           "(rng.permutation) before splitting it.")
### BEGIN HIDDEN TESTS
from grading import capstone as hidden; hidden.check_stratified_split(stratified_split)
### END HIDDEN TESTS
passed("stratified_split")

# %% [markdown]
# The split of MNIST's training set, and what a random split would have done instead: the bars
# are each class's validation count minus its exact share, $5000 \times n_{\text{class}} /
# 60000$.

# %%
mnist = load_mnist(layout="image")
X_all, y_all = mnist["X_train"], mnist["y_train"]
train_idx, val_idx = stratified_split(y_all, 5000 / 60000, np.random.default_rng(0))
random_val = np.random.default_rng(0).permutation(len(y_all))[:len(val_idx)]
share = 5000 * np.bincount(y_all, minlength=10) / len(y_all)
fig, ax = plt.subplots(figsize=(8, 3.2))
ax.bar(np.arange(10) - 0.2, np.bincount(y_all[random_val], minlength=10) - share, width=0.4,
       label="random split")
ax.bar(np.arange(10) + 0.2, np.bincount(y_all[val_idx], minlength=10) - share, width=0.4,
       label="stratified split")
ax.axhline(0, color="k", linewidth=0.8)
ax.set(xticks=range(10), xlabel="class", ylabel="images - exact share",
       title=f"{len(val_idx)} validation images: how far each class is from its share")
ax.legend()
plt.show()
X_train, y_train = X_all[train_idx], y_all[train_idx]
X_val, y_val = X_all[val_idx], y_all[val_idx]
print(f"training {len(X_train)}, validation {len(X_val)}, test {len(mnist['X_test'])} images "
      "(the test images stay untouched until the end)")

# %% [markdown]
# ## 2. Keeping the best weights
#
# Validation accuracy does not rise steadily: it wobbles from epoch to epoch, and may fall once
# the network starts to overfit. The weights worth keeping are those of the best epoch, not
# necessarily the last. Notebook 09's `EarlyStopping` kept a copy of them; here a
# **checkpoint** keeps them, judged by validation accuracy, and puts them back into the model
# once training is over.
#
# Two details decide whether it works, and both come from how the training loop (notebook 06)
# treats a model: `train` writes every step's new values **into** the arrays of
# `model.params` (`w[...] = next_w`), and the layers compute with those very arrays.
#
# - **Saving needs copies.** A dict of references to `model.params`'s arrays, or
#   `dict(model.params)`, follows them as training changes them: after ten more epochs the
#   "best" weights are the last ones. Keep `w.copy()` of each array.
# - **Restoring must write into the model's arrays**, `model.params[name][...] = saved`. A
#   Linear layer computes with `self.params["W"]`, the array `model.params` also holds;
#   `model.params[name] = saved` puts a new array in the dict and leaves the layer computing with
#   the old one, the last epoch's. (That is why `train` updates in place too.)
#
# An epoch **improves** on the best when its validation accuracy is **strictly** larger. A tie
# keeps the earlier epoch, as `np.argmax` does: accuracies on 5,000 images tie often, and a tie
# is no evidence that the later weights are better.
#
# **Your turn.** `BestCheckpoint`: `update(val_accuracy, model)` is called after every epoch
# (the first call is epoch 0) and returns whether that epoch is the new best; `restore(model)`
# puts the best epoch's weights back into the model. `dlcourse.testing.LinearModel`, the
# smallest model of the training loop's protocol, is what the tests train: it computes with the
# arrays its `params` holds, as `Sequential` does.

# %% answer="BestCheckpoint"
class BestCheckpoint:
    """The weights of a model at its best validation accuracy so far.

    Attributes:
    - best_accuracy: the best validation accuracy so far (-np.inf before the first update)
    - best_epoch: the epoch (0, 1, ...) of best_accuracy (None before the first update)
    - weights: dict {name: a copy of model.params[name]} at best_epoch (None before)
    """

    def __init__(self):
        ### BEGIN SOLUTION
        self.best_accuracy, self.best_epoch, self.weights = -np.inf, None, None
        self.n_updates = 0
        ### END SOLUTION

    def update(self, val_accuracy, model):
        """Record one epoch: val_accuracy (float), model (has params, a dict of arrays; not
        modified). Returns True when this epoch is the new best (strictly better than every
        earlier epoch), and then keeps copies of the model's arrays."""
        ### BEGIN SOLUTION
        epoch, self.n_updates = self.n_updates, self.n_updates + 1
        if val_accuracy <= self.best_accuracy:        # a tie keeps the earlier epoch
            return False
        self.best_accuracy, self.best_epoch = val_accuracy, epoch
        self.weights = {name: w.copy() for name, w in model.params.items()}
        return True
        ### END SOLUTION

    def restore(self, model):
        """Write the best epoch's weights into the model's own arrays, model.params[name][...],
        so that its layers compute with them. Returns nothing."""
        ### BEGIN SOLUTION
        for name, saved in self.weights.items():
            model.params[name][...] = saved
        ### END SOLUTION


# %% test="BestCheckpoint" points=3
model = LinearModel(np.array([[1.0, -1.0], [0.5, 2.0]]), np.array([0.1, -0.2]))
X = np.array([[1.0, 2.0], [-1.0, 0.5]])
checkpoint = BestCheckpoint()
check_true(checkpoint.best_epoch is None and checkpoint.best_accuracy == -np.inf,
           "Before the first update, best_epoch should be None and best_accuracy -np.inf, not "
           f"{describe(checkpoint.best_epoch)} and {describe(checkpoint.best_accuracy)}.")
answers = []
for val_accuracy in (0.50, 0.75, 0.70):
    answers.append(call_unmutated(checkpoint.update, val_accuracy, model))
    model.shift(1.0)                  # the next epoch's training changes the arrays in place
check_true(answers == [True, True, False],
           f"update() answered {describe(answers)} for validation accuracies 0.50, 0.75, 0.70; "
           "expected "
           "[True, True, False]: True when the epoch is the new best (accuracy strictly above "
           "every earlier one, larger is better), else False.")
check_equal(checkpoint.best_epoch, 1, "best_epoch after accuracies 0.50, 0.75, 0.70",
            hint="Epochs count from 0, one per update() call.")
check_close(checkpoint.weights["W"], np.array([[2.0, 0.0], [1.5, 3.0]]),
            "checkpoint.weights['W'], kept at epoch 1 (the model's W has moved on by 1 since)",
            hint="Keep copies (w.copy()): the training loop changes the arrays in place, and a "
                 "stored reference, or dict(model.params), changes with them.")
checkpoint.restore(model)
check_close(model.forward(X), X @ np.array([[2.0, 0.0], [1.5, 3.0]]) + np.array([1.1, 0.8]),
            "the model's scores after restore(model)",
            hint="Write into the model's own arrays, model.params[name][...] = saved: "
                 "model.params[name] = saved rebinds the dict entry, and the model keeps "
                 "computing with its old arrays.")
check_true(checkpoint.update(0.75, model) == False and checkpoint.best_epoch == 1,  # noqa: E712
           "update(0.75) after a best of 0.75 should return False and keep best_epoch 1: a tie "
           "is not an improvement, the earlier epoch stays the best.")
### BEGIN HIDDEN TESTS
from grading import capstone as hidden; hidden.check_best_checkpoint(BestCheckpoint, LinearModel)
### END HIDDEN TESTS
passed("BestCheckpoint")

# %% [markdown]
# ## 3. Random search, log-uniform
#
# Two hyperparameters matter most here: Adam's learning rate and the weight decay. A **grid
# search** tries every combination of a few values of each; Bergstra and Bengio (2012, "Random
# search for hyper-parameter optimization") showed that **random search**, which draws each trial's
# values at random, finds as good settings in fewer trials. The reason: usually only one or two
# hyperparameters really matter, and a grid of $5 \times 5$ tries only 5 different values of
# each, where 25 random trials try 25.
#
# Both hyperparameters act by orders of magnitude: going from $10^{-4}$ to $2 \cdot 10^{-4}$
# changes a learning rate as much as going from $10^{-3}$ to $2 \cdot 10^{-3}$. So they are drawn
# **log-uniformly**: the exponent is uniform, and every decade of the range gets the same share of
# the trials. Drawn uniformly from $[10^{-4}, 10^{-2}]$ instead, 90% of the values would fall
# in the top decade, $[10^{-3}, 10^{-2}]$, and the bottom one would hardly be tried.
#
# A value is log-uniform on $[a, b]$ when $\log_{10}$ of it is uniform on
# $[\log_{10} a, \log_{10} b]$: draw $u$ uniformly there, and take $10^u$.
#
# **Your turn.** `sample_hyperparameters(rng, n_trials, lr_range, reg_range)`: a list of
# `n_trials` dicts, each `{"learning_rate": ..., "weight_decay": ...}`, both log-uniform in their
# ranges and drawn independently of each other, every number from `rng` (`rng.uniform`). Return
# the values as Python floats.

# %% answer="sample_hyperparameters"
def sample_hyperparameters(rng, n_trials, lr_range, reg_range):
    """The settings of a random search, log-uniform (Bergstra and Bengio, 2012).

    Inputs:
    - rng: np.random.Generator, the only source of randomness
    - n_trials: int >= 0, the number of settings
    - lr_range, reg_range: pairs (low, high) with 0 < low < high
    Returns: a list of n_trials dicts {"learning_rate": float, "weight_decay": float}, each value
    log-uniform on its range (log10 of it uniform on [log10(low), log10(high)]), the two drawn
    independently.
    """
    ### BEGIN SOLUTION
    exponents = rng.uniform(np.log10([lr_range[0], reg_range[0]]),
                            np.log10([lr_range[1], reg_range[1]]), size=(n_trials, 2))
    return [{"learning_rate": float(10 ** lr), "weight_decay": float(10 ** reg)}
            for lr, reg in exponents]
    ### END SOLUTION


# %% test="sample_hyperparameters" points=2
trials = call_unmutated(sample_hyperparameters, np.random.default_rng(0), 3, (1e-4, 1e-2),
                        (1e-5, 1e-1))
check_true(isinstance(trials, list) and len(trials) == 3 and all(
               isinstance(trial, dict) and set(trial) == {"learning_rate", "weight_decay"}
               for trial in trials),
           "sample_hyperparameters(rng, 3, ...) should return a list of 3 dicts, each with the "
           f"keys 'learning_rate' and 'weight_decay'; got {describe(trials)}.")
again = sample_hyperparameters(np.random.default_rng(0), 3, (1e-4, 1e-2), (1e-5, 1e-1))
check_close(np.array([[t["learning_rate"], t["weight_decay"]] for t in again]),
            np.array([[t["learning_rate"], t["weight_decay"]] for t in trials]),
            "the settings of a second call with a generator of seed 0",
            hint="Draw every number from rng (rng.uniform), never from np.random: the same seed "
                 "must give the same settings.")
trials = sample_hyperparameters(np.random.default_rng(1), 2000, (1e-4, 1e-2), (1e-5, 1e-1))
rates = np.array([trial["learning_rate"] for trial in trials])
decays = np.array([trial["weight_decay"] for trial in trials])
check_true(rates.min() >= 1e-4 and rates.max() <= 1e-2 and decays.min() >= 1e-5
           and decays.max() <= 1e-1,
           f"2000 learning rates drawn in (1e-4, 1e-2) range from {rates.min():.3g} to "
           f"{rates.max():.3g}, weight decays in (1e-5, 1e-1) from {decays.min():.3g} to "
           f"{decays.max():.3g}: draw the exponent u = rng.uniform(np.log10(low), "
           "np.log10(high)) and return 10 ** u (np.log is the natural log, np.exp undoes it, "
           "not log10).")
below_middle = np.mean(rates < 1e-3)
check_true(0.45 < below_middle < 0.55,
           f"{below_middle:.0%} of 2000 learning rates in (1e-4, 1e-2) are below 1e-3, the "
           "middle of the range on a log scale; log-uniform values put half of them there. "
           + ("Uniform values put 9% there: draw the exponent uniformly, 10 ** "
              "rng.uniform(np.log10(low), np.log10(high))." if below_middle < 0.2 else ""))
correlation = np.corrcoef(np.log10(rates), np.log10(decays))[0, 1]
check_true(abs(correlation) < 0.1,
           f"The exponents of the learning rates and the weight decays have a correlation of "
           f"{correlation:.2f} over 2000 trials: draw the two independently (two draws of "
           "rng.uniform, not one for both).")
### BEGIN HIDDEN TESTS
from grading import capstone as hidden; hidden.check_sample_hyperparameters(sample_hyperparameters)
### END HIDDEN TESTS
passed("sample_hyperparameters")

# %% [markdown]
# ## 4. The network and how it trains
#
# The network is notebook 07's LeNet, built from your layers, with more filters: the
# convolutions of 07 (`Conv`, `MaxPool2x2` from the `cnn_layers` module, which wraps your
# `conv_forward_fast` and `conv_backward_fast`), and 06's `Linear` and `ReLU`.
#
# | layer | output shape |
# |---|---|
# | input | 1 × 28 × 28 |
# | conv 5×5, 8 filters, pad 2, ReLU, max pool 2×2 | 8 × 14 × 14 |
# | conv 5×5, 16 filters, pad 2, ReLU, max pool 2×2 | 16 × 7 × 7 |
# | linear 784 → 128, ReLU | 128 |
# | linear 128 → 10 | 10 |
#
# It trains with what notebooks 08 and 09 measured:
#
# - **AdamW** (your `adamw`, notebook 09: Adam with decoupled weight decay), on the weight
#   matrices and filters; the biases are not decayed;
# - a **cosine schedule** (your `cosine`, notebook 08) that takes the learning rate from its
#   initial value to 0 over the whole run, step by step;
# - **data augmentation** (your `augment`, notebook 09): every epoch sees each training image
#   rotated by up to 10° and shifted by up to 2 pixels, a new draw each epoch;
# - a **checkpoint** after each epoch (your `BestCheckpoint`).
#
# Augmentation and the checkpoint act between epochs, so `fit` calls your `train` one epoch at a
# time. `train` starts every parameter's optimizer state afresh at each call (from
# `optim_config`), so the update rule keeps Adam's state itself, one per parameter array, across
# the calls, and sets the learning rate of every step from the schedule.

# %%
softmax_cross_entropy = as_loss_function(SoftmaxCrossEntropy())


def build_cnn(rng, channels=(8, 16), hidden=128):
    """The network of the table above, its weights drawn from rng (He initialisation)."""
    return Sequential([Conv(1, channels[0], 5, rng, pad=2, input_gradient=False), ReLU(),
                       MaxPool2x2(), Conv(channels[0], channels[1], 5, rng, pad=2), ReLU(),
                       MaxPool2x2(), Linear(channels[1] * 7 * 7, hidden, rng), ReLU(),
                       Linear(hidden, 10, rng)])


def adamw_with_cosine(learning_rate, weight_decay, total_steps):
    """An update rule (w, dw, config) -> (next_w, config): your adamw at the learning rate
    cosine(learning_rate, step, total_steps) of your schedule, weight decay on arrays of 2 or
    more dimensions only. Each parameter's Adam state lives here, keyed by its array (the same
    array all along: train writes into it), so that it carries over from one call of train to
    the next."""
    states = {}

    def update(w, dw, config):
        state = states.get(id(w), {"weight_decay": weight_decay if w.ndim > 1 else 0.0})
        state["learning_rate"] = cosine(learning_rate, state.get("t", 0), total_steps)
        next_w, states[id(w)] = adamw(w, dw, state)
        return next_w, states[id(w)]

    return update


def augment_batch(X, rng, chunk=5000):
    """Your augment on images X (N, 1, 28, 28), chunk by chunk (it builds index arrays of
    several times the size of the images it transforms)."""
    out = np.empty_like(X)
    for start in range(0, len(X), chunk):
        out[start:start + chunk, 0] = augment(X[start:start + chunk, 0], rng)
    return out


def fit(model, X, y, *, learning_rate, weight_decay, epochs, rng, batch_size=64,
        checkpoint=None, progress=True):
    """Train model on (X, y) for `epochs` epochs of freshly augmented images, validating on
    (X_val, y_val) after each epoch and telling the checkpoint, if any. Returns the history of
    your train, epochs concatenated."""
    steps_per_epoch = -(-len(X) // batch_size)
    update = adamw_with_cosine(learning_rate, weight_decay, epochs * steps_per_epoch)
    history = {}
    epochs_bar = tqdm(range(epochs), desc="epochs", disable=not progress)
    for _ in epochs_bar:
        epoch = train(model, augment_batch(X, rng), y, X_val=X_val, y_val=y_val,
                      loss=softmax_cross_entropy, accuracy=accuracy, update=update,
                      optim_config={}, epochs=1, batch_size=batch_size, rng=rng, progress=False)
        for key, values in epoch.items():
            history.setdefault(key, []).extend(values)
        if checkpoint is not None:
            checkpoint.update(epoch["val_acc"][-1], model)
        epochs_bar.set_postfix(val_acc=f"{epoch['val_acc'][-1]:.2%}")
    return history


# %% [markdown]
# ## 5. The search, on a subset
#
# Each trial trains a fresh network for 2 epochs on a stratified subset of
# 8,000 training images (your split again), and is judged by its final validation
# accuracy. That is a few seconds a trial instead of minutes: a search on a subset ranks the
# settings well enough when, as here, the full run differs mainly in length, and the cosine
# schedule adapts to the length of the run. The learning rate is drawn from
# $[10^{-4}, 10^{-2}]$, the weight decay from $[10^{-5}, 10^{-2}]$ (AdamW's decay is multiplied
# by the learning rate at each step, so it is larger than an L2 strength would be).

# %%
n_trials, search_images, search_epochs = (3, 1000, 1) if quick() else (12, 8000, 2)
search_rng = np.random.default_rng(1)
_, subset = stratified_split(y_train, search_images / len(y_train), search_rng)
trials = sample_hyperparameters(search_rng, n_trials, (1e-4, 1e-2), (1e-5, 1e-2))
for trial in tqdm(trials, desc="trials"):
    trial_rng = np.random.default_rng(2)     # every trial: the same initial weights and batches
    history = fit(build_cnn(trial_rng), X_train[subset], y_train[subset], epochs=search_epochs,
                  rng=trial_rng, progress=False, **trial)
    trial["val_acc"] = history["val_acc"][-1]
best_trial = max(trials, key=lambda trial: trial["val_acc"])
for trial in sorted(trials, key=lambda trial: -trial["val_acc"]):
    print(f"learning rate {trial['learning_rate']:.2e}, weight decay {trial['weight_decay']:.2e}: "
          f"validation accuracy {trial['val_acc']:.2%}")

# %%
rates = [trial["learning_rate"] for trial in trials]
decays = [trial["weight_decay"] for trial in trials]
scores = [trial["val_acc"] for trial in trials]
fig, (ax_both, ax_rate) = plt.subplots(1, 2, figsize=(12, 4.3))
points = ax_both.scatter(rates, decays, c=scores, cmap="viridis", s=60, edgecolors="k")
ax_both.scatter([best_trial["learning_rate"]], [best_trial["weight_decay"]], s=250,
                facecolors="none", edgecolors="r", linewidths=2, label="best")
fig.colorbar(points, ax=ax_both, label="validation accuracy")
ax_both.set(xscale="log", yscale="log", xlabel="learning rate", ylabel="weight decay",
            title=f"{n_trials} trials, log-uniform")
ax_both.legend()
ax_rate.scatter(rates, scores, c=np.log10(decays), cmap="plasma", s=60, edgecolors="k")
ax_rate.set(xscale="log", xlabel="learning rate", ylabel="validation accuracy",
            title="validation accuracy against the learning rate\n(colour: log10 weight decay)")
ax_rate.set_ylim(max(min(scores), max(scores) - 0.1), max(scores) + 0.005)
plt.tight_layout()
plt.show()

# %% [markdown]
# What the search shows: the validation accuracy rises with the learning rate over the whole range
# drawn, from about 84% near $2 \cdot 10^{-4}$ to about 97% near $5 \cdot 10^{-3}$, and at a given
# learning rate the weight decay changes little (the colours on the right are mixed). In runs of
# two epochs weight decay hardly acts: its pull on each weight adds up over many steps. That is
# the situation Bergstra and Bengio describe: one hyperparameter matters, and the random search
# has tried 12 different values of it, where a $4 \times 3$ grid would have tried 4.
#
# Two warnings before trusting the winner. It is the **largest** learning rate drawn: larger ones,
# up to $10^{-2}$, were in the range but not drawn, and a second, narrower search around the
# winner would tell whether to go higher. And the search ranked the settings on a shorter problem
# (two epochs of 8,000 images) than the one they are for (twelve epochs of 55,000): the best
# learning rate for one need not be the best for the other, and that is the price of a cheap
# search. The cosine schedule of the final run limits the risk of a learning rate on the large
# side: it falls to 0, so the last epochs take small steps whatever the start.
#
# ## 6. The final run
#
# The best setting now trains on the whole training set (12 epochs), with a checkpoint
# after every epoch. Under grading, a short version runs on a subset.

# %%
seed = 1
final_images, final_epochs = (2000, 1) if quick() else (len(X_train), 12)
rng = np.random.default_rng(seed)
model = build_cnn(rng)
checkpoint = BestCheckpoint()
history = fit(model, X_train[:final_images], y_train[:final_images],
              learning_rate=best_trial["learning_rate"], weight_decay=best_trial["weight_decay"],
              epochs=final_epochs, rng=rng, checkpoint=checkpoint)
training_seconds = history["seconds"][-1]
print(f"trained {final_epochs} epochs on {final_images} images in {training_seconds:.0f} s; best "
      f"validation accuracy {checkpoint.best_accuracy:.2%} at epoch {checkpoint.best_epoch + 1}")

# %%
plot_curves({"training (augmented, during the epoch)": history["train_acc"],
             "validation (after the epoch)": history["val_acc"]}, ylabel="accuracy",
            title="the final run")
plt.axvline(checkpoint.best_epoch, color="0.4", linestyle="--", linewidth=1)
plt.ylim(max(0.9, min(history["val_acc"]) - 0.005), 1.0)
plt.show()

# %% [markdown]
# ## 7. The test set, once
#
# The checkpoint's weights go back into the model, and the model meets the test set for the
# first and only time.

# %%
checkpoint.restore(model)
test_loss, test_accuracy = evaluate(model, mnist["X_test"], mnist["y_test"],
                                    loss=softmax_cross_entropy, accuracy=accuracy, batch_size=250)
test_predictions = np.concatenate([model.forward(mnist["X_test"][start:start + 250]).argmax(axis=1)
                                   for start in range(0, len(mnist["X_test"]), 250)])
print(f"test accuracy {test_accuracy:.2%}, error {1 - test_accuracy:.2%}")
print(f"{'':<48}{'test error':>10}")
for name, error in (("LeNet-5 (LeCun et al., 1998)", 0.0095),
                    ("notebook 07: LeNet, SGD with momentum, 6 epochs", 0.0077),
                    ("this notebook", 1 - test_accuracy)):
    print(f"{name:<48}{error:>10.2%}")
record("test_accuracy", test_accuracy)
record("training_seconds", training_seconds)

# %% [markdown]
# The full run must reach at least 99.2% on the test set (the target for the median over seeds
# is 99.3%, measured in the course repository's `benchmarks/`); this cell checks it, and says
# nothing in the short version.

# %%
if not quick():
    assert test_accuracy >= 0.992, f"test accuracy {test_accuracy:.2%} < 99.2%"

# %% [markdown]
# The test digits the network gets wrong (at most 30 of them), each titled with its prediction
# and, in brackets, its label:

# %%
wrong = np.flatnonzero(test_predictions != mnist["y_test"])[:30]
plot_image_grid(mnist["X_test"][wrong], [f"{test_predictions[i]} ({mnist['y_test'][i]})"
                                         for i in wrong], title="mistakes on the test set")
plt.show()

# %% [markdown]
# ## What made the difference
#
# The network is notebook 07's LeNet, with the same 8 and 16 filters and about 105,000 weights.
# Its error fell from 0.77% there (seed 1) to about 0.55% here (0.53-0.57% on three seeds,
# measured in the course repository's `benchmarks/`), and what changed is how it was trained and
# how its weights were chosen:
#
# - **Augmentation** (notebook 09, where on 1,000 training images it beat every other technique
#   by a wide margin). Over 12 epochs the network sees 12 different versions of each digit, never
#   the same one twice: its training accuracy, measured on those augmented images during each
#   epoch, stays close to its validation accuracy (the plot of the final run). It cannot memorise
#   the training set, so training longer helps.
# - **Adam with a cosine schedule** (notebook 08): large, well-scaled steps early, and steps that
#   shrink to nothing at the end, where SGD's noise would keep the weights moving.
# - **The checkpoint**: the restored weights are those of the best validation epoch. With a
#   schedule that ends at 0 the last epochs are usually among the best, so here it mostly guards
#   against a late wobble; with a constant learning rate, or with overfitting, it matters more.
# - **One look at the test set.** Every choice above was made on the validation set, so the test
#   accuracy is an honest estimate. It need not match the validation accuracy: both are
#   measured on a few thousand digits, and differences of a standard error or two (0.1-0.2%)
#   between two such sets are expected.
#
# Look at the mistakes above: many are digits a person would hesitate on too (broken strokes,
# unusual shapes), though not all of them. Better networks exist: the best published MNIST errors
# are around 0.2%, from committees of larger networks trained for hours on GPUs.
#
# ## Summary
#
# - Three sets: the training set fits the weights, the validation set takes every decision, the
#   test set is looked at once. A score used to choose is optimistic; only an unused one is not.
# - A stratified split keeps each class's share in both sets, to within one example.
# - A checkpoint keeps copies of the best epoch's arrays, and restores them into the arrays the
#   model computes with (`w[...] = saved`), not by rebinding names.
# - Random search draws each trial's hyperparameters at random, log-uniformly for those that act
#   by orders of magnitude, and tries more values of the ones that matter than a grid would.
# - Your layers of 06 and 07, Adam and a schedule of 08 and augmentation of 09 together train
#   a LeNet to an error of about 0.55% on MNIST in about three minutes of CPU time, in numpy.
