"""Hidden tests of notebook 10 (the capstone). Each takes the student's function or class.

The split is judged by its properties (disjoint, covering, sorted, round(val_fraction * n) of
each class, reproducible from the generator, every example of a class equally likely to be
drawn), not by the order of the student's draws; the search's sampling by the distribution of
many draws (a Kolmogorov-Smirnov statistic of each exponent, and a chi-square of the two
exponents together) with thresholds that a correct sampler exceeds with probability below 1e-5.
The checkpoint is judged on a model whose arrays change in place between epochs, as the training
loop changes them: `LinearModel` (dlcourse.testing), built where the student's code runs.
"""
import numpy as np

from dlcourse.testing import (
    call_on,
    call_unmutated,
    check_close,
    check_equal,
    check_true,
    describe,
    describe_shape,
)

from . import reference

ASSIGNMENT = "10_capstone"

SPLIT_HINT = ("For each label of np.unique(y): shuffle np.flatnonzero(y == label) with "
              "rng.permutation and send its first round(val_fraction * n) positions to "
              "validation, the rest to training; return both sorted.")
KS_FACTOR = 2.5           # P(D > 2.5 / sqrt(n)) < 1e-5 for n uniform draws
CHI_SQUARE_LIMIT = 60.0   # 16 cells, 15 degrees of freedom: P(chi2 > 60) < 1e-6


def _split_parts(result, label):
    check_true(isinstance(result, (tuple, list)) and len(result) == 2,
               f"stratified_split should return a pair (train_idx, val_idx) for {label}, but "
               f"returned {type(result).__name__}.")
    parts = tuple(np.asarray(part) for part in result)
    for name, part in zip(("train_idx", "val_idx"), parts, strict=True):
        check_true(part.ndim == 1 and np.issubdtype(part.dtype, np.integer),
                   f"{name} for {label} should be a 1-D integer array of positions, got shape "
                   f"{describe_shape(part.shape)} and dtype {part.dtype} (np.array of an empty "
                   "list is float64: concatenate arrays of positions, e.g. from np.flatnonzero).")
    return parts


def _check_split(y, val_fraction, result, label):
    """Disjoint, covering, sorted, and as many of each class in validation as the reference."""
    ref_val = reference(ASSIGNMENT).stratified_split(y, val_fraction, np.random.default_rng(0))[1]
    train_idx, val_idx = _split_parts(result, label)
    check_equal(np.sort(np.concatenate([train_idx, val_idx])), np.arange(len(y)),
                f"train_idx and val_idx together, sorted, for {label}",
                hint="Every position 0..N-1 must be in exactly one of the two sets: positions "
                     "into y (not labels), none twice.")
    for name, part in (("train_idx", train_idx), ("val_idx", val_idx)):
        check_true(np.all(np.diff(part) > 0),
                   f"{name} for {label} is not sorted in increasing order: return "
                   "np.sort of the positions.")
    wrong = []                 # (class, its size, validation count, expected count)
    for value in np.unique(y):
        n_class = int(np.sum(y == value))
        expected = int(np.sum(y[ref_val] == value))          # round(val_fraction * n_class)
        got = int(np.sum(y[val_idx] == value))
        if got != expected:
            wrong.append((value, n_class, got, expected))
    if wrong:
        value, n_class, got, expected = wrong[0]
        far = any(abs(got - val_fraction * n_class) >= 1 for _, n_class, got, _ in wrong)
        check_true(False,
                   f"Class {value} of {label} has {n_class} examples and sent {got} to "
                   f"validation; expected round({val_fraction:g} * {n_class}) = {expected} "
                   f"({len(wrong)} class(es) wrong). "
                   + ("Split each class on its own, not the whole set at once. " if far else
                      "Round with Python's round (int() truncates, and round(2.5) is 2: "
                      "halves go to the even neighbour). ")
                   + SPLIT_HINT)
    return train_idx, val_idx


def check_stratified_split(stratified_split):
    """Unbalanced classes, a class of one, fractions 0 and 1, label dtypes uint8, int16 (negative
    labels), int32, int64, a strided y; reproducible; every example equally likely."""
    rng = np.random.default_rng(10100)
    counts = {0: 200, 1: 37, 2: 5, 3: 1, 4: 90}
    unbalanced = rng.permutation(np.repeat(list(counts), list(counts.values())))
    odd_labels = rng.choice(np.array([3, 7, 250], dtype=np.uint8), size=61)
    negative = rng.choice(np.array([-1, 0, 5], dtype=np.int16), size=40)
    strided = rng.integers(0, 4, size=150).astype(np.int32)[::3]
    cases = ((unbalanced, 0.2, "unbalanced classes of 200, 37, 5, 1 and 90 int64 labels"),
             (unbalanced, 0.15, "the same unbalanced labels, val_fraction 0.15"),
             (odd_labels, 0.3, "61 uint8 labels 3, 7 and 250"),
             (negative, 1 / 12, "40 int16 labels -1, 0 and 5"),
             (strided, 0.4, "50 int32 labels, every third element of a longer array"),
             (np.array([4, 4, 9]), 0.3, "labels [4, 4, 9]: a class of size 1"),
             (np.repeat([2, 8], [10, 6]), 0.25, "classes of 10 and 6 (round(2.5) and round(1.5) "
              "are both 2: Python rounds halves to even)"),
             (unbalanced, 0.0, "val_fraction 0 (an empty validation set)"),
             (odd_labels, 1.0, "val_fraction 1 (an empty training set)"))
    for seed, (y, val_fraction, label) in enumerate(cases):
        result = call_unmutated(stratified_split, y, val_fraction, np.random.default_rng(seed))
        _, val_idx = _check_split(y, val_fraction, result, f"{label}, val_fraction "
                                  f"{val_fraction:g}")
        again = stratified_split(y, val_fraction, np.random.default_rng(seed))
        check_equal(np.asarray(again[1]), val_idx,
                    f"val_idx of a second call with a generator of the same seed, {label}",
                    hint="Draw every random number from rng, never np.random (the global "
                         "state): one seed must always give the same split.")
    # The generator passed in is the one used: two calls with one generator differ.
    generator = np.random.default_rng(10101)
    first = np.asarray(stratified_split(unbalanced, 0.2, generator)[1])
    second = np.asarray(stratified_split(unbalanced, 0.2, generator)[1])
    check_true(not np.array_equal(first, second),
               "Two calls with the same generator object (not reseeded) gave the same split: "
               "draw from the rng argument (rng.permutation), not from a generator made inside "
               "the function.")
    # Every example of a class is equally likely to go to validation: 200 seeds on 3 classes
    # of 8, 12 and 8 with val_fraction 0.25 (a quarter of each class, so each example is drawn
    # 50 times on average, standard deviation 6.1: a correct split keeps all 28 within 16 and
    # 84, 5.5 deviations, with probability above 1 - 1e-5).
    y = np.repeat(np.arange(3), [8, 12, 8])[np.random.default_rng(10102).permutation(28)]
    chosen = np.zeros(len(y))
    together = np.zeros((len(y), len(y)))       # how often two examples went to validation both
    for seed in range(200):
        picked = np.zeros(len(y))
        picked[np.asarray(stratified_split(y, 0.25, np.random.default_rng(seed))[1])] = 1
        chosen += picked
        together += np.outer(picked, picked)
    check_true(chosen.min() >= 16 and chosen.max() <= 84,
               f"Over 200 seeds, the 28 examples of 3 classes (val_fraction 0.25) went to "
               f"validation between {chosen.min():.0f} and {chosen.max():.0f} times, where each "
               "should go about 50 times: every example of a class must be equally likely "
               "(shuffle the whole class with rng.permutation, then take its first ones).")
    # And every pair of a class as likely as any other: a random subset, not a window of
    # neighbours. Each of the 122 pairs goes together about 7 to 9 times in 200 seeds; a correct
    # split leaves at most a pair or two never together, and more than 20 with probability
    # below 1e-9.
    pairs = np.triu(y[:, None] == y[None, :], k=1)
    apart = int(np.sum(pairs & (together == 0)))
    check_true(apart <= 20,
               f"Over 200 seeds, {apart} of the {int(pairs.sum())} pairs of examples of one class "
               "never went to validation together, where a random choice leaves almost none: "
               "the validation examples of a class must be a random subset of it (every pair as "
               "likely as any other), not neighbours in some order. Shuffle the whole class "
               "with rng.permutation, then take its first ones.")


def _run_checkpoint(BestCheckpoint, LinearModel, accuracies, W, b, shifts):
    """Update a checkpoint after each epoch, moving the model's arrays on in place in between.
    Returns the checkpoint, the model, the answers and each epoch's (W, b) at its update."""
    checkpoint, model = BestCheckpoint(), LinearModel(W, b)
    answers, states = [], []
    current_W, current_b = np.array(W), np.array(b)
    for accuracy, shift in zip(accuracies, shifts, strict=True):
        answers.append(checkpoint.update(accuracy, model))
        states.append((current_W.copy(), current_b.copy()))
        model.shift(shift)
        current_W, current_b = current_W + shift, current_b + shift
    return checkpoint, model, answers, states


def check_best_checkpoint(BestCheckpoint, LinearModel):
    """Ties, a best first or last epoch, accuracy 0, float32 weights, repeated restores, updates
    after a restore, two checkpoints at once."""
    from dlcourse.testing import LinearModel as ReferenceModel

    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(10200)
    cases = (([0.90, 0.95, 0.95, 0.93, 0.97, 0.96], "accuracies with a tie at the best"),
             ([0.99, 0.98, 0.97, 0.96], "falling accuracies (the first epoch is the best)"),
             ([0.0, 0.1, 0.2, 0.3, 0.45], "rising accuracies from 0 (the last is the best)"),
             ([0.5], "a single epoch"),
             ([0.8, 0.8, 0.8], "three equal accuracies"))
    for seed, (accuracies, label) in enumerate(cases):
        dtype = np.float32 if seed % 2 else np.float64
        W = rng.standard_normal((3, 2)).astype(dtype)
        b = rng.standard_normal(2).astype(dtype)
        shifts = rng.uniform(0.5, 2.0, size=len(accuracies))
        checkpoint, model, answers, states = _run_checkpoint(BestCheckpoint, LinearModel,
                                                             accuracies, W, b, shifts)
        expected_checkpoint, _, expected, _ = _run_checkpoint(ref.BestCheckpoint, ReferenceModel,
                                                              accuracies, W, b, shifts)
        best = expected_checkpoint.best_epoch
        check_true([bool(answer) if isinstance(answer, (bool, np.bool_)) else answer
                    for answer in answers] == expected,
                   f"update() answered [{', '.join(map(describe, answers))}] for {label}, "
                   f"{accuracies}; expected {expected}: "
                   "True exactly when the accuracy is strictly above every earlier one (larger "
                   "is better, a tie keeps the earlier epoch).")
        check_equal(checkpoint.best_epoch, best, f"best_epoch for {label}, {accuracies}",
                    hint="Epochs count from 0, one per update(); a tie keeps the earlier epoch.")
        check_close(checkpoint.best_accuracy, max(accuracies),
                    f"best_accuracy for {label}, {accuracies}")
        best_W, best_b = states[best]
        weights = checkpoint.weights
        check_true(isinstance(weights, dict) and set(weights) == {"W", "b"},
                   f"checkpoint.weights should be a dict with the keys of model.params, 'W' and "
                   f"'b', for {label}.")
        check_close(weights["W"], best_W, f"checkpoint.weights['W'] for {label} (the model's "
                    "arrays moved on in place after every epoch)",
                    hint="Keep copies (w.copy()) of the arrays: a reference, or dict(params), "
                         "follows the training loop's in-place changes.")
        X = rng.standard_normal((4, 3)).astype(dtype)
        for attempt in ("restore(model)",
                        "a second call of restore(model), after the model moved on"):
            call_on(attempt, checkpoint.restore, model)
            check_close(model.forward(X), X @ best_W + best_b,
                        f"the model's scores after {attempt}, {label}",
                        hint="Write into the arrays the model computes with: "
                             "model.params[name][...] = saved. model.params[name] = saved "
                             "rebinds the dict entry and leaves the model's own arrays as "
                             "they were.")
            check_true(np.asarray(model.W).dtype == dtype,
                       f"After {attempt} the model's W is {np.asarray(model.W).dtype}, it was "
                       f"{np.dtype(dtype)}: write the values into its array, keeping its dtype.")
            model.shift(1.0)
    # Training on after a restore: a better epoch is kept, from the arrays as they are then.
    W, b = rng.standard_normal((2, 2)), rng.standard_normal(2)
    checkpoint, model, _, _ = _run_checkpoint(BestCheckpoint, LinearModel, [0.6, 0.7, 0.65], W, b,
                                              [1.0, 1.0, 1.0])
    checkpoint.restore(model)                  # W + 1, b + 1
    model.shift(0.5)                           # W + 1.5
    check_true(bool(checkpoint.update(0.9, model)),
               "update(0.9) after a restore, with a best of 0.7, should return True.")
    model.shift(3.0)
    checkpoint.restore(model)
    check_close(model.forward(np.eye(2)), W + 1.5 + b + 1.5,
                "the model's scores (for X = the identity: W + b) after training on past a "
                "restore, a new best, and a restore",
                hint="update() keeps copies of the arrays as they are at that call; restore() "
                     "writes the latest best back.")
    # Two checkpoints hold their own weights.
    first, second = BestCheckpoint(), BestCheckpoint()
    model_one = LinearModel(np.ones((2, 2)), np.zeros(2))
    model_two = LinearModel(np.full((2, 2), 5.0), np.ones(2))
    first.update(0.5, model_one)
    second.update(0.5, model_two)
    check_close(first.weights["W"], np.ones((2, 2)),
                "the weights of one checkpoint after a second checkpoint was updated",
                hint="Keep the state on the instance (self.weights = ... in __init__ and "
                     "update), not in a class attribute that every checkpoint shares.")


def _exponents(trials, key, value_range, label):
    values = np.array([trial[key] for trial in trials], dtype=float)
    low, high = value_range
    check_true(values.min() >= low and values.max() <= high,
               f"{key} of {label} ranges from {values.min():.3g} to {values.max():.3g}, outside "
               f"({low:g}, {high:g}): draw u = rng.uniform(np.log10(low), np.log10(high)) and "
               "return 10 ** u (np.log and np.exp are the natural log and its inverse: mixing "
               "them with base 10 leaves the range).")
    return (np.log10(values) - np.log10(low)) / (np.log10(high) - np.log10(low))


def _ks_statistic(fractions):
    """The Kolmogorov-Smirnov distance of the sample from the uniform distribution on [0, 1]."""
    u = np.sort(fractions)
    n = len(u)
    return float(max(np.max(np.arange(1, n + 1) / n - u), np.max(u - np.arange(n) / n)))


def check_sample_hyperparameters(sample_hyperparameters):
    """Many draws: log-uniform exponents (KS), independent (chi-square of both), bounds, narrow
    and wide ranges, lists as ranges, 0 and 1 trials, reproducible, the generator advanced."""
    n = 4000
    cases = (((1e-5, 1e-1), (1e-6, 1e-2), "wide ranges (1e-5, 1e-1) and (1e-6, 1e-2)"),
             ((0.5, 2.0), [3e-4, 3e-3], "narrow ranges (0.5, 2) and [3e-4, 3e-3] (a list)"))
    for seed, (lr_range, reg_range, label) in enumerate(cases):
        trials = call_unmutated(sample_hyperparameters, np.random.default_rng(10300 + seed), n,
                                lr_range, reg_range)
        check_true(isinstance(trials, list) and len(trials) == n and all(
                       isinstance(trial, dict) and set(trial) == {"learning_rate", "weight_decay"}
                       for trial in trials),
                   f"sample_hyperparameters(rng, {n}, ...) should return a list of {n} dicts "
                   "with the keys 'learning_rate' and 'weight_decay'.")
        check_true(all(isinstance(value, (int, float)) for trial in trials[:50]
                       for value in trial.values()),
                   "The values should be Python floats (float(...)), one number each, not "
                   f"{type(trials[0]['learning_rate']).__name__}.")
        where = f"{n} trials, {label}"
        lr_position = _exponents(trials, "learning_rate", lr_range, where)
        reg_position = _exponents(trials, "weight_decay", reg_range, where)
        for key, position in (("learning_rate", lr_position), ("weight_decay", reg_position)):
            distance = _ks_statistic(position)
            below = np.mean(position < 0.5)
            check_true(distance < KS_FACTOR / np.sqrt(n),
                       f"log10 of the {key} values of {where} is not uniform on its range: "
                       f"their distribution is {distance:.3f} away from it (Kolmogorov-Smirnov "
                       f"distance; a correct sample stays below {KS_FACTOR / np.sqrt(n):.3f}), "
                       f"and {below:.0%} of them are below the log-scale middle, not 50%. "
                       + ("Values drawn uniformly crowd the top of the range: draw the exponent "
                          "uniformly, 10 ** rng.uniform(np.log10(low), np.log10(high))."
                          if below < 0.45 else ""))
        counts, _, _ = np.histogram2d(lr_position, reg_position, bins=4, range=[[0, 1], [0, 1]])
        chi_square = float(np.sum((counts - n / 16) ** 2 / (n / 16)))
        correlation = float(np.corrcoef(lr_position, reg_position)[0, 1])
        check_true(chi_square < CHI_SQUARE_LIMIT,
                   f"The learning rates and weight decays of {where} are not independent: "
                   f"their exponents have a correlation of {correlation:.2f}, and their 4 x 4 "
                   f"table of counts a chi-square of {chi_square:.0f} (a correct sample stays "
                   f"below {CHI_SQUARE_LIMIT:.0f}). Draw the two exponents separately (two "
                   "uniform numbers per trial), not one for both.")
    # Reproducible from the generator, which is the one used and advanced.
    args = (5, (1e-4, 1e-2), (1e-5, 1e-1))
    first = sample_hyperparameters(np.random.default_rng(10310), *args)
    again = sample_hyperparameters(np.random.default_rng(10310), *args)
    check_close(np.array([[t["learning_rate"], t["weight_decay"]] for t in again]),
                np.array([[t["learning_rate"], t["weight_decay"]] for t in first]),
                "the settings of two calls with generators of the same seed",
                hint="Draw every number from rng, never np.random (the global state).")
    generator = np.random.default_rng(10311)
    one = sample_hyperparameters(generator, *args)
    two = sample_hyperparameters(generator, *args)
    check_true(one != two, "Two calls with the same generator object gave the same settings: "
               "draw from the rng argument, not from a generator made inside the function.")
    check_true(sample_hyperparameters(np.random.default_rng(10312), 0, *args[1:]) == [],
               "sample_hyperparameters(rng, 0, ...) should return an empty list.")
    single = sample_hyperparameters(np.random.default_rng(10313), 1, (1e-3, 1e-3 * 10), (1.0, 2.0))
    call = "sample_hyperparameters(rng, 1, (1e-3, 1e-2), (1, 2))"
    check_true(isinstance(single, list) and len(single) == 1 and isinstance(single[0], dict)
               and set(single[0]) == {"learning_rate", "weight_decay"},
               f"{call} returned {describe(single)}: expected a list of one dict with the keys "
               "'learning_rate' and 'weight_decay'.")
    for key, (low, high) in (("learning_rate", (1e-3, 1e-2)), ("weight_decay", (1.0, 2.0))):
        check_true(isinstance(single[0][key], (int, float)) and low <= single[0][key] <= high,
                   f"{call} returned {key} = {describe(single[0][key])}, outside ({low:g}, "
                   f"{high:g}).")
