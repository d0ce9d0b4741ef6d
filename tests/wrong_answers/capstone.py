"""Wrong answers to notebook 10 (the capstone)."""
import numpy as np

from . import wrong_answer

A = "10_capstone"


# --- stratified_split --------------------------------------------------------------------------

@wrong_answer(A, "stratified_split", "not stratified: the first round(f * N) of one permutation",
              says=("Split each class",), kind="statistics")
def stratified_split_whole_set(y, val_fraction, rng):
    order = rng.permutation(len(y))
    n_val = round(val_fraction * len(y))
    return np.sort(order[n_val:]), np.sort(order[:n_val])


@wrong_answer(A, "stratified_split", "no shuffle: the first examples of each class",
              says=("rng.permutation",), kind="statistics")
def stratified_split_no_shuffle(y, val_fraction, rng):
    train_parts, val_parts = [], []
    for label in np.unique(y):
        members = np.flatnonzero(y == label)
        n_val = round(val_fraction * len(members))
        val_parts.append(members[:n_val])
        train_parts.append(members[n_val:])
    return np.sort(np.concatenate(train_parts)), np.sort(np.concatenate(val_parts))


@wrong_answer(A, "stratified_split", "a random window of each class (np.roll by a random "
              "amount): every example equally likely, never a random subset",
              says=("pairs", "random subset"), kind="statistics")
def stratified_split_window(y, val_fraction, rng):
    train_parts, val_parts = [], []
    for label in np.unique(y):
        members = np.flatnonzero(y == label)
        members = np.roll(members, -int(rng.integers(len(members))))
        n_val = round(val_fraction * len(members))
        val_parts.append(members[:n_val])
        train_parts.append(members[n_val:])
    return np.sort(np.concatenate(train_parts)), np.sort(np.concatenate(val_parts))


@wrong_answer(A, "stratified_split", "rounds halves up, floor(x + 0.5), not to even as Python's "
              "round", says=("round",))
def stratified_split_half_up(y, val_fraction, rng):
    train_parts, val_parts = [], []
    for label in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == label))
        n_val = int(np.floor(val_fraction * len(members) + 0.5))
        val_parts.append(members[:n_val])
        train_parts.append(members[n_val:])
    return np.sort(np.concatenate(train_parts)), np.sort(np.concatenate(val_parts))


@wrong_answer(A, "stratified_split", "int() truncates instead of rounding", says=("round",))
def stratified_split_truncates(y, val_fraction, rng):
    train_parts, val_parts = [], []
    for label in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == label))
        n_val = int(val_fraction * len(members))
        val_parts.append(members[:n_val])
        train_parts.append(members[n_val:])
    return np.sort(np.concatenate(train_parts)), np.sort(np.concatenate(val_parts))


@wrong_answer(A, "stratified_split", "shuffles with np.random (the global state)",
              says=("np.random",))
def stratified_split_global_state(y, val_fraction, rng):
    train_parts, val_parts = [], []
    for label in np.unique(y):
        members = np.random.permutation(np.flatnonzero(y == label))
        n_val = round(val_fraction * len(members))
        val_parts.append(members[:n_val])
        train_parts.append(members[n_val:])
    return np.sort(np.concatenate(train_parts)), np.sort(np.concatenate(val_parts))


@wrong_answer(A, "stratified_split", "returns the positions in shuffled order, unsorted",
              says=("sorted",))
def stratified_split_unsorted(y, val_fraction, rng):
    train_parts, val_parts = [], []
    for label in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == label))
        n_val = round(val_fraction * len(members))
        val_parts.append(members[:n_val])
        train_parts.append(members[n_val:])
    return np.concatenate(train_parts), np.concatenate(val_parts)


@wrong_answer(A, "stratified_split", "lists of positions: an empty set comes back as float64",
              says=("float64",), kind="dtype")
def stratified_split_python_lists(y, val_fraction, rng):
    train_list, val_list = [], []
    for label in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == label))
        n_val = round(val_fraction * len(members))
        val_list += members[:n_val].tolist()
        train_list += members[n_val:].tolist()
    return np.array(sorted(train_list)), np.array(sorted(val_list))


@wrong_answer(A, "stratified_split", "boolean masks of the two sets, not their positions",
              kind="dtype")
def stratified_split_masks(y, val_fraction, rng):
    is_val = np.zeros(len(y), dtype=bool)
    for label in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == label))
        is_val[members[:round(val_fraction * len(members))]] = True
    return ~is_val, is_val


@wrong_answer(A, "stratified_split", "at least one example of every class to validation, even "
              "a class of one", kind="shape")
def stratified_split_at_least_one(y, val_fraction, rng):
    train_parts, val_parts = [], []
    for label in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == label))
        n_val = max(1, round(val_fraction * len(members)))
        val_parts.append(members[:n_val])
        train_parts.append(members[n_val:])
    return np.sort(np.concatenate(train_parts)), np.sort(np.concatenate(val_parts))


@wrong_answer(A, "stratified_split", "the last n_val of each class with members[-n_val:], which "
              "is the whole class when n_val is 0", kind="shape")
def stratified_split_negative_slice(y, val_fraction, rng):
    train_parts, val_parts = [], []
    for label in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == label))
        n_val = round(val_fraction * len(members))
        val_parts.append(members[-n_val:])
        train_parts.append(members[:-n_val])
    return np.sort(np.concatenate(train_parts)), np.sort(np.concatenate(val_parts))


@wrong_answer(A, "stratified_split", "returns the labels of the two sets, not their positions")
def stratified_split_labels(y, val_fraction, rng):
    train_parts, val_parts = [], []
    for label in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == label))
        n_val = round(val_fraction * len(members))
        val_parts.append(members[:n_val])
        train_parts.append(members[n_val:])
    return (y[np.sort(np.concatenate(train_parts))], y[np.sort(np.concatenate(val_parts))])


@wrong_answer(A, "stratified_split", "the same split for every seed: a generator of its own",
              says=("rng",))
def stratified_split_own_generator(y, val_fraction, rng):
    own = np.random.default_rng(0)
    train_parts, val_parts = [], []
    for label in np.unique(y):
        members = own.permutation(np.flatnonzero(y == label))
        n_val = round(val_fraction * len(members))
        val_parts.append(members[:n_val])
        train_parts.append(members[n_val:])
    return np.sort(np.concatenate(train_parts)), np.sort(np.concatenate(val_parts))


# --- BestCheckpoint ----------------------------------------------------------------------------

class _Checkpoint:
    """The right checkpoint, for the wrong ones to change one thing of."""

    def __init__(self):
        self.best_accuracy, self.best_epoch, self.weights, self.epoch = -np.inf, None, None, -1

    def better(self, val_accuracy):
        return val_accuracy > self.best_accuracy

    def keep(self, model):
        return {name: w.copy() for name, w in model.params.items()}

    def update(self, val_accuracy, model):
        self.epoch += 1
        if self.better(val_accuracy):
            self.best_accuracy, self.best_epoch = val_accuracy, self.epoch
            self.weights = self.keep(model)
            return True
        return False

    def restore(self, model):
        for name, w in model.params.items():
            w[...] = self.weights[name]


class BestCheckpointReferences(_Checkpoint):
    MISTAKE = ("keeps dict(model.params): references, not copies", ("copies",))

    def keep(self, model):
        return dict(model.params)


class BestCheckpointRebinds(_Checkpoint):
    MISTAKE = ("restore rebinds model.params[name] to the saved array",
               ("model.params[name][...] = saved",))

    def restore(self, model):
        for name in model.params:
            model.params[name] = self.weights[name].copy()


class BestCheckpointRebindsLocal(_Checkpoint):
    MISTAKE = ("restore rebinds a loop variable: nothing is written",
               ("model.params[name][...] = saved",))

    def restore(self, model):
        for name, w in model.params.items():
            w = self.weights[name].copy()  # noqa: F841


class BestCheckpointTies(_Checkpoint):
    MISTAKE = (">=: a tie replaces the best with the later epoch", ("tie",))

    def better(self, val_accuracy):
        return val_accuracy >= self.best_accuracy


class BestCheckpointLowest(_Checkpoint):
    MISTAKE = ("smaller is better, as for a loss", ("-np.inf",))

    def __init__(self):
        super().__init__()
        self.best_accuracy = np.inf

    def better(self, val_accuracy):
        return val_accuracy < self.best_accuracy


class BestCheckpointNoAnswer(_Checkpoint):
    MISTAKE = ("update returns nothing", ("True",))

    def update(self, val_accuracy, model):
        super().update(val_accuracy, model)


class BestCheckpointShared(_Checkpoint):
    MISTAKE = ("the weights live in a class attribute shared by every checkpoint",
               ("class attribute",))
    shared: dict = {}

    def keep(self, model):
        for name, w in model.params.items():
            self.shared[name] = w.copy()
        return self.shared


class BestCheckpointFromOne(_Checkpoint):
    MISTAKE = ("counts epochs from 1", ("from 0",))

    def __init__(self):
        super().__init__()
        self.epoch = 0


class BestCheckpointKeepsModelArrays(_Checkpoint):
    MISTAKE = ("restore, to save memory, keeps the model's own arrays as its weights: a second "
               "restore gives what training has made of them", ("second call",))

    def restore(self, model):
        super().restore(model)
        self.weights = model.params


class BestCheckpointForgets(_Checkpoint):
    MISTAKE = ("restore frees the weights it restored (self.weights = None): a second restore "
               "fails", ("second call",))

    def restore(self, model):
        super().restore(model)
        self.weights = None


def _register(cls):
    """Register a wrong checkpoint class. The catalogue swaps in functions, rebound to the
    notebook's namespace: this one returns an instance, as a call of the class would."""
    mistake, says = cls.MISTAKE

    def make():
        return cls()

    make.__name__ = cls.__name__
    kind = "repeated-call" if "second call" in says else "value"
    return wrong_answer(A, "BestCheckpoint", mistake, says=says, kind=kind)(make)


for _wrong in (BestCheckpointReferences, BestCheckpointRebinds, BestCheckpointRebindsLocal,
               BestCheckpointTies, BestCheckpointLowest, BestCheckpointNoAnswer,
               BestCheckpointShared, BestCheckpointFromOne, BestCheckpointKeepsModelArrays,
               BestCheckpointForgets):
    _register(_wrong)


# --- sample_hyperparameters --------------------------------------------------------------------

@wrong_answer(A, "sample_hyperparameters", "uniform, not log-uniform", says=("10 ** ",),
              kind="statistics")
def sample_hyperparameters_uniform(rng, n_trials, lr_range, reg_range):
    return [{"learning_rate": float(rng.uniform(*lr_range)),
             "weight_decay": float(rng.uniform(*reg_range))} for _ in range(n_trials)]


@wrong_answer(A, "sample_hyperparameters", "10 ** of a natural-log exponent: leaves the range",
              says=("np.log",))
def sample_hyperparameters_ln_exponent(rng, n_trials, lr_range, reg_range):
    return [{"learning_rate": float(10 ** rng.uniform(np.log(lr_range[0]), np.log(lr_range[1]))),
             "weight_decay": float(10 ** rng.uniform(np.log(reg_range[0]), np.log(reg_range[1])))}
            for _ in range(n_trials)]


@wrong_answer(A, "sample_hyperparameters", "np.exp of a log10 exponent: leaves the range",
              says=("np.exp",))
def sample_hyperparameters_exp(rng, n_trials, lr_range, reg_range):
    return [{"learning_rate": float(np.exp(rng.uniform(*np.log10(lr_range)))),
             "weight_decay": float(np.exp(rng.uniform(*np.log10(reg_range))))}
            for _ in range(n_trials)]


@wrong_answer(A, "sample_hyperparameters", "one uniform number for both exponents",
              says=("independent",), kind="statistics")
def sample_hyperparameters_one_draw(rng, n_trials, lr_range, reg_range):
    trials = []
    for u in rng.random(n_trials):
        lr_low, lr_high = np.log10(lr_range)
        reg_low, reg_high = np.log10(reg_range)
        trials.append({"learning_rate": float(10 ** (lr_low + u * (lr_high - lr_low))),
                       "weight_decay": float(10 ** (reg_low + u * (reg_high - reg_low)))})
    return trials


@wrong_answer(A, "sample_hyperparameters", "draws from np.random (the global state)",
              says=("np.random",))
def sample_hyperparameters_global_state(rng, n_trials, lr_range, reg_range):
    return [{"learning_rate": float(10 ** np.random.uniform(*np.log10(lr_range))),
             "weight_decay": float(10 ** np.random.uniform(*np.log10(reg_range)))}
            for _ in range(n_trials)]


@wrong_answer(A, "sample_hyperparameters", "the weight decay drawn from the learning rate's range")
def sample_hyperparameters_one_range(rng, n_trials, lr_range, reg_range):
    return [{"learning_rate": float(10 ** rng.uniform(*np.log10(lr_range))),
             "weight_decay": float(10 ** rng.uniform(*np.log10(lr_range)))}
            for _ in range(n_trials)]
