"""Right answers to notebook 10 (the capstone) that differ from the solution. Names such as `np`
resolve in the notebook's namespace (the solution's): an import the answer needs is inside it, as
in a student's answer cell."""
import numpy as np

from . import right_answer

A = "10_capstone"


@right_answer(A, "stratified_split", "a boolean mask of validation positions, np.flatnonzero of "
                                     "it and of its negation (sorted by construction); np.rint")
def stratified_split_mask(y, val_fraction, rng):
    y = np.asarray(y)
    is_val = np.zeros(len(y), dtype=bool)
    for label in np.unique(y):
        members = rng.permutation(np.nonzero(y == label)[0])
        is_val[members[:int(np.rint(val_fraction * len(members)))]] = True
    return np.flatnonzero(~is_val), np.flatnonzero(is_val)


@right_answer(A, "stratified_split", "a loop over the labels as Python ints, positions gathered "
                                     "in lists and sorted at the end")
def stratified_split_lists(y, val_fraction, rng):
    train, val = [], []
    for label in sorted(set(np.asarray(y).tolist())):
        members = rng.permutation([i for i, value in enumerate(y) if value == label])
        n_val = round(val_fraction * len(members))
        val.extend(members[:n_val].tolist())
        train.extend(members[n_val:].tolist())
    return np.array(sorted(train), dtype=np.int64), np.array(sorted(val), dtype=np.int64)


@right_answer(A, "BestCheckpoint", "copy.deepcopy of model.params, np.copyto to restore, the "
                                   "accuracies kept in a list")
def best_checkpoint_history():
    import copy

    class BestCheckpoint:
        def __init__(self):
            self.best_accuracy, self.best_epoch, self.weights = -np.inf, None, None
            self.history = []

        def update(self, val_accuracy, model):
            self.history.append(val_accuracy)
            if self.best_epoch is not None and val_accuracy <= self.best_accuracy:
                return False
            self.best_epoch, self.best_accuracy = len(self.history) - 1, val_accuracy
            self.weights = copy.deepcopy(model.params)
            return True

        def restore(self, model):
            for name, saved in self.weights.items():
                np.copyto(model.params[name], saved)
    return BestCheckpoint()


@right_answer(A, "sample_hyperparameters", "a loop of trials, each drawing its two exponents with "
                                           "a scalar rng.uniform and taking np.power(10, u)")
def sample_hyperparameters_loop(rng, n_trials, lr_range, reg_range):
    trials = []
    for _ in range(n_trials):
        lr = rng.uniform(np.log10(lr_range[0]), np.log10(lr_range[1]))
        reg = rng.uniform(np.log10(reg_range[0]), np.log10(reg_range[1]))
        trials.append({"learning_rate": float(np.power(10.0, lr)),
                       "weight_decay": float(np.power(10.0, reg))})
    return trials


@right_answer(A, "sample_hyperparameters", "natural logs: np.exp of a uniform draw between "
                                           "np.log(low) and np.log(high), all learning rates "
                                           "drawn before all weight decays")
def sample_hyperparameters_natural_log(rng, n_trials, lr_range, reg_range):
    lrs = np.exp(rng.uniform(np.log(lr_range[0]), np.log(lr_range[1]), size=n_trials))
    regs = np.exp(rng.uniform(np.log(reg_range[0]), np.log(reg_range[1]), size=n_trials))
    return [{"learning_rate": float(lr), "weight_decay": float(reg)}
            for lr, reg in zip(lrs, regs, strict=True)]
