"""Wrong answers to notebook 09 (regularisation). Each is swapped into the notebook's namespace,
so it is written out in full (a helper of this module would not resolve there)."""
import numpy as np

from . import wrong_answer

A = "09_regularization"


# --- l2_penalty ----------------------------------------------------------------------------------
@wrong_answer(A, "l2_penalty", "no factor 1/2 in the loss")
def l2_without_half(params, reg):
    loss = reg * sum(np.sum(W ** 2) for W in params.values())
    return float(loss), {name: reg * W for name, W in params.items()}


@wrong_answer(A, "l2_penalty", "gradient 2 * reg * W (the 1/2 forgotten in the derivative)")
def l2_gradient_doubled(params, reg):
    loss = 0.5 * reg * sum(np.sum(W ** 2) for W in params.values())
    return float(loss), {name: 2 * reg * W for name, W in params.items()}


@wrong_answer(A, "l2_penalty", "overwrites the loss in the loop: only the last array counts")
def l2_last_array_only(params, reg):
    grads = {}
    for name, W in params.items():
        loss = 0.5 * reg * np.sum(W ** 2)
        grads[name] = reg * W
    return float(loss), grads


@wrong_answer(A, "l2_penalty", "mean of the squares instead of their sum")
def l2_mean(params, reg):
    loss = 0.5 * reg * sum(np.mean(W ** 2) for W in params.values())
    return float(loss), {name: reg * W for name, W in params.items()}


@wrong_answer(A, "l2_penalty", "decays the weights in place", says=("in place",))
def l2_in_place(params, reg):
    loss = 0.5 * reg * sum(np.sum(W ** 2) for W in params.values())
    grads = {}
    for name, W in params.items():
        grads[name] = reg * W
        W *= 1 - reg
    return float(loss), grads


# --- dropout -------------------------------------------------------------------------------------
@wrong_answer(A, "dropout_forward", "p taken as the probability of keeping")
def dropout_p_is_keep(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if mode == "train":
        mask = (dropout_param["rng"].random(x.shape) < p) / p
        return x * mask, (mode, mask)
    return x, (mode, None)


@wrong_answer(A, "dropout_forward", "not inverted: no 1 / (1 - p) scaling at train time")
def dropout_not_inverted(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if mode == "train":
        mask = (dropout_param["rng"].random(x.shape) >= p).astype(float)
        return x * mask, (mode, mask)
    return x, (mode, None)


@wrong_answer(A, "dropout_forward", "scales by 1 - p at test time as well (double correction)")
def dropout_scales_test(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if mode == "train":
        mask = (dropout_param["rng"].random(x.shape) >= p) / (1 - p)
        return x * mask, (mode, mask)
    return x * (1 - p), (mode, None)


@wrong_answer(A, "dropout_forward", "draws from the global np.random instead of rng")
def dropout_global_random(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if mode == "train":
        mask = (np.random.random(x.shape) >= p) / (1 - p)
        return x * mask, (mode, mask)
    return x, (mode, None)


@wrong_answer(A, "dropout_forward", "drops units in place (x[mask] = 0)", says=("in place",))
def dropout_in_place(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if mode == "train":
        keep = dropout_param["rng"].random(x.shape) >= p
        x[~keep] = 0
        x /= 1 - p
        return x, (mode, keep / (1 - p))
    return x, (mode, None)


@wrong_answer(A, "dropout_backward", "passes dout through unchanged (ignores the mask)")
def dropout_backward_ignores_mask(dout, cache):
    return dout


@wrong_answer(A, "dropout_backward", "masks without the 1 / (1 - p) scaling")
def dropout_backward_unscaled(dout, cache):
    mode, mask = cache
    return dout * (mask > 0) if mode == "train" else dout


@wrong_answer(A, "dropout_backward", "applies the mask in test mode too (crashes on None)")
def dropout_backward_always_masks(dout, cache):
    mode, mask = cache
    return dout * (mask if mask is not None else 0.0)


# --- EarlyStopping -------------------------------------------------------------------------------
# The catalogue swaps in functions, so each wrong class is built by a function of the same
# signature as the class (a call `EarlyStopping(patience)` in the test cell returns an instance).
@wrong_answer(A, "EarlyStopping", "stores references to the arrays, not copies",
              says=("best_params",))
def early_stopping_stores_references(patience, min_delta=0.0):
    class EarlyStopping:
        def __init__(self, patience, min_delta=0.0):
            self.patience, self.min_delta = patience, min_delta
            self.best_loss, self.best_epoch, self.best_params = np.inf, None, None
            self.epoch, self.bad = -1, 0

        def step(self, val_loss, params):
            self.epoch += 1
            if val_loss < self.best_loss - self.min_delta:
                self.best_loss, self.best_epoch, self.bad = val_loss, self.epoch, 0
                self.best_params = dict(params)
            else:
                self.bad += 1
            return self.bad >= self.patience
    return EarlyStopping(patience, min_delta)


@wrong_answer(A, "EarlyStopping", "off by one: stops after patience + 1 bad epochs")
def early_stopping_off_by_one(patience, min_delta=0.0):
    class EarlyStopping:
        def __init__(self, patience, min_delta=0.0):
            self.patience, self.min_delta = patience, min_delta
            self.best_loss, self.best_epoch, self.best_params = np.inf, None, None
            self.epoch, self.bad = -1, 0

        def step(self, val_loss, params):
            self.epoch += 1
            if val_loss < self.best_loss - self.min_delta:
                self.best_loss, self.best_epoch, self.bad = val_loss, self.epoch, 0
                self.best_params = {k: v.copy() for k, v in params.items()}
            else:
                self.bad += 1
            return self.bad > self.patience
    return EarlyStopping(patience, min_delta)


@wrong_answer(A, "EarlyStopping", "never resets the count after an improvement")
def early_stopping_never_resets(patience, min_delta=0.0):
    class EarlyStopping:
        def __init__(self, patience, min_delta=0.0):
            self.patience, self.min_delta = patience, min_delta
            self.best_loss, self.best_epoch, self.best_params = np.inf, None, None
            self.epoch, self.bad = -1, 0

        def step(self, val_loss, params):
            self.epoch += 1
            if val_loss < self.best_loss - self.min_delta:
                self.best_loss, self.best_epoch = val_loss, self.epoch
                self.best_params = {k: v.copy() for k, v in params.items()}
            else:
                self.bad += 1
            return self.bad >= self.patience
    return EarlyStopping(patience, min_delta)


@wrong_answer(A, "EarlyStopping", "ignores min_delta")
def early_stopping_ignores_min_delta(patience, min_delta=0.0):
    class EarlyStopping:
        def __init__(self, patience, min_delta=0.0):
            self.patience, self.min_delta = patience, min_delta
            self.best_loss, self.best_epoch, self.best_params = np.inf, None, None
            self.epoch, self.bad = -1, 0

        def step(self, val_loss, params):
            self.epoch += 1
            if val_loss < self.best_loss:
                self.best_loss, self.best_epoch, self.bad = val_loss, self.epoch, 0
                self.best_params = {k: v.copy() for k, v in params.items()}
            else:
                self.bad += 1
            return self.bad >= self.patience
    return EarlyStopping(patience, min_delta)


@wrong_answer(A, "EarlyStopping", "compares with the previous epoch instead of the best")
def early_stopping_compares_with_previous(patience, min_delta=0.0):
    class EarlyStopping:
        def __init__(self, patience, min_delta=0.0):
            self.patience, self.min_delta = patience, min_delta
            self.best_loss, self.best_epoch, self.best_params = np.inf, None, None
            self.epoch, self.bad, self.previous = -1, 0, np.inf

        def step(self, val_loss, params):
            self.epoch += 1
            if val_loss < self.previous - self.min_delta:
                self.bad = 0
            else:
                self.bad += 1
            if val_loss < self.best_loss:
                self.best_loss, self.best_epoch = val_loss, self.epoch
                self.best_params = {k: v.copy() for k, v in params.items()}
            self.previous = val_loss
            return self.bad >= self.patience
    return EarlyStopping(patience, min_delta)


# --- augment -------------------------------------------------------------------------------------
@wrong_answer(A, "augment", "np.roll for the shift: pixels wrap around", says=("wrap",))
def augment_roll(images, rng, max_shift=2, max_degrees=10.0):
    shifts = rng.integers(-max_shift, max_shift + 1, size=(len(images), 2))
    return np.stack([np.roll(image, tuple(shift), axis=(0, 1))
                     for image, shift in zip(images, shifts, strict=True)])


@wrong_answer(A, "augment", "one shift for the whole batch")
def augment_one_shift(images, rng, max_shift=2, max_degrees=10.0):
    d_r, d_c = rng.integers(-max_shift, max_shift + 1, size=2)
    out = np.zeros_like(images)
    height, width = images.shape[1:]
    out[:, max(d_r, 0):height + min(d_r, 0), max(d_c, 0):width + min(d_c, 0)] = \
        images[:, max(-d_r, 0):height + min(-d_r, 0), max(-d_c, 0):width + min(-d_c, 0)]
    return out


def _rotate_and_shift(images, shifts, angles, centre_row, centre_col):
    n_images, height, width = images.shape
    rows, cols = np.meshgrid(np.arange(height), np.arange(width), indexing="ij")
    y = rows - shifts[:, 0, None, None] - centre_row
    x = cols - shifts[:, 1, None, None] - centre_col
    cos, sin = np.cos(angles)[:, None, None], np.sin(angles)[:, None, None]
    source_row = np.rint(cos * y - sin * x + centre_row).astype(int)
    source_col = np.rint(sin * y + cos * x + centre_col).astype(int)
    inside = (source_row >= 0) & (source_row < height) & (source_col >= 0) & (source_col < width)
    pixels = images[np.arange(n_images)[:, None, None], np.clip(source_row, 0, height - 1),
                    np.clip(source_col, 0, width - 1)]
    return np.where(inside, pixels, 0).astype(images.dtype)


# The four below share one rotation through a default argument: a wrong answer runs in the
# notebook's namespace, where this module's globals do not resolve, but its defaults travel with it.
@wrong_answer(A, "augment", "angles in degrees passed to np.cos / np.sin (no deg2rad)",
              says=("radians",))
def augment_degrees_as_radians(images, rng, max_shift=2, max_degrees=10.0,
                               _rotate=_rotate_and_shift):
    shifts = rng.integers(-max_shift, max_shift + 1, size=(len(images), 2))
    angles = rng.uniform(-max_degrees, max_degrees, size=len(images))
    height, width = images.shape[1:]
    return _rotate(images, shifts, angles, (height - 1) / 2, (width - 1) / 2)


@wrong_answer(A, "augment", "rotates about the top-left corner, not the centre", says=("centre",))
def augment_rotates_about_corner(images, rng, max_shift=2, max_degrees=10.0,
                                 _rotate=_rotate_and_shift):
    shifts = rng.integers(-max_shift, max_shift + 1, size=(len(images), 2))
    angles = np.deg2rad(rng.uniform(-max_degrees, max_degrees, size=len(images)))
    return _rotate(images, shifts, angles, 0.0, 0.0)


@wrong_answer(A, "augment", "shift range excludes max_shift (integers(-s, s))")
def augment_shift_range_short(images, rng, max_shift=2, max_degrees=10.0,
                              _rotate=_rotate_and_shift):
    shifts = rng.integers(-max_shift, max_shift, size=(len(images), 2))
    angles = np.deg2rad(rng.uniform(-max_degrees, max_degrees, size=len(images)))
    height, width = images.shape[1:]
    return _rotate(images, shifts, angles, (height - 1) / 2, (width - 1) / 2)


@wrong_answer(A, "augment", "uses the global np.random: not reproducible from rng")
def augment_global_random(images, rng, max_shift=2, max_degrees=10.0, _rotate=_rotate_and_shift):
    shifts = np.random.randint(-max_shift, max_shift + 1, size=(len(images), 2))
    angles = np.deg2rad(np.random.uniform(-max_degrees, max_degrees, size=len(images)))
    height, width = images.shape[1:]
    return _rotate(images, shifts, angles, (height - 1) / 2, (width - 1) / 2)


# --- vanilla_dropout_forward --------------------------------------------------------------------
@wrong_answer(A, "vanilla_dropout_forward", "inverted dropout: scaled while training, identity "
              "at test time", says=("AS THEY ARE",))
def vanilla_is_inverted(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if mode == "train":
        mask = (dropout_param["rng"].random(x.shape) >= p) / (1 - p)
        return x * mask, (mode, mask)
    return x, (mode, None)


@wrong_answer(A, "vanilla_dropout_forward", "forgets the test-time scaling")
def vanilla_no_test_scaling(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if mode == "train":
        mask = (dropout_param["rng"].random(x.shape) >= p).astype(x.dtype)
        return x * mask, (mode, mask)
    return x, (mode, None)


@wrong_answer(A, "vanilla_dropout_forward", "scales by p at test time (p read as the keep "
              "probability)")
def vanilla_scales_by_p(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if mode == "train":
        mask = (dropout_param["rng"].random(x.shape) >= p).astype(x.dtype)
        return x * mask, (mode, mask)
    return p * x, (mode, None)


@wrong_answer(A, "vanilla_dropout_forward", "divides by 1 - p at test time")
def vanilla_divides_at_test(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if mode == "train":
        mask = (dropout_param["rng"].random(x.shape) >= p).astype(x.dtype)
        return x * mask, (mode, mask)
    return x / (1 - p), (mode, None)


@wrong_answer(A, "vanilla_dropout_forward", "keeps where u < p", says=("DROPPING",))
def vanilla_keeps_below_p(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if mode == "train":
        mask = (dropout_param["rng"].random(x.shape) < p).astype(x.dtype)
        return x * mask, (mode, mask)
    return (1 - p) * x, (mode, None)


# --- adamw ---------------------------------------------------------------------------------------
@wrong_answer(A, "adamw", "L2 under Adam: the decay added to the gradient", says=("L2",))
def adamw_coupled(w, dw, config=None):
    config = {"learning_rate": 1e-3, "weight_decay": 1e-2, "beta1": 0.9, "beta2": 0.999,
              "epsilon": 1e-8, "m": np.zeros_like(w), "v": np.zeros_like(w), "t": 0,
              **(config or {})}
    b1, b2, t = config["beta1"], config["beta2"], config["t"] + 1
    g = dw + config["weight_decay"] * w
    m = b1 * config["m"] + (1 - b1) * g
    v = b2 * config["v"] + (1 - b2) * g ** 2
    config.update(m=m, v=v, t=t)
    step = (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + config["epsilon"])
    return w - config["learning_rate"] * step, config


@wrong_answer(A, "adamw", "decay not multiplied by the learning rate")
def adamw_decay_without_lr(w, dw, config=None):
    config = {"learning_rate": 1e-3, "weight_decay": 1e-2, "beta1": 0.9, "beta2": 0.999,
              "epsilon": 1e-8, "m": np.zeros_like(w), "v": np.zeros_like(w), "t": 0,
              **(config or {})}
    b1, b2, t = config["beta1"], config["beta2"], config["t"] + 1
    m = b1 * config["m"] + (1 - b1) * dw
    v = b2 * config["v"] + (1 - b2) * dw ** 2
    config.update(m=m, v=v, t=t)
    step = (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + config["epsilon"])
    return w - config["learning_rate"] * step - config["weight_decay"] * w, config


@wrong_answer(A, "adamw", "decays the weights after Adam's step instead of before")
def adamw_decay_after_step(w, dw, config=None):
    config = {"learning_rate": 1e-3, "weight_decay": 1e-2, "beta1": 0.9, "beta2": 0.999,
              "epsilon": 1e-8, "m": np.zeros_like(w), "v": np.zeros_like(w), "t": 0,
              **(config or {})}
    b1, b2, t = config["beta1"], config["beta2"], config["t"] + 1
    m = b1 * config["m"] + (1 - b1) * dw
    v = b2 * config["v"] + (1 - b2) * dw ** 2
    config.update(m=m, v=v, t=t)
    step = (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + config["epsilon"])
    stepped = w - config["learning_rate"] * step
    return stepped * (1 - config["learning_rate"] * config["weight_decay"]), config


@wrong_answer(A, "adamw", "no bias correction")
def adamw_no_bias_correction(w, dw, config=None):
    config = {"learning_rate": 1e-3, "weight_decay": 1e-2, "beta1": 0.9, "beta2": 0.999,
              "epsilon": 1e-8, "m": np.zeros_like(w), "v": np.zeros_like(w), "t": 0,
              **(config or {})}
    b1, b2, t = config["beta1"], config["beta2"], config["t"] + 1
    m = b1 * config["m"] + (1 - b1) * dw
    v = b2 * config["v"] + (1 - b2) * dw ** 2
    config.update(m=m, v=v, t=t)
    step = m / (np.sqrt(v) + config["epsilon"])
    return w - config["learning_rate"] * (step + config["weight_decay"] * w), config


# --- batchnorm -----------------------------------------------------------------------------------
@wrong_answer(A, "batchnorm_forward", "unbiased variance (ddof=1)")
def bn_unbiased(x, gamma, beta, bn_param):
    p = {"eps": 1e-5, "momentum": 0.9, "running_mean": np.zeros(x.shape[1]),
         "running_var": np.ones(x.shape[1]), **bn_param}
    if p["mode"] == "train":
        mean, var = x.mean(axis=0), x.var(axis=0, ddof=1)
        p["running_mean"] = p["momentum"] * p["running_mean"] + (1 - p["momentum"]) * mean
        p["running_var"] = p["momentum"] * p["running_var"] + (1 - p["momentum"]) * var
    else:
        mean, var = p["running_mean"], p["running_var"]
    x_hat = (x - mean) / np.sqrt(var + p["eps"])
    return gamma * x_hat + beta, (x - mean, 1 / np.sqrt(var + p["eps"]), x_hat, gamma), p


@wrong_answer(A, "batchnorm_forward", "momentum weights swapped in the running averages")
def bn_momentum_swapped(x, gamma, beta, bn_param):
    p = {"eps": 1e-5, "momentum": 0.9, "running_mean": np.zeros(x.shape[1]),
         "running_var": np.ones(x.shape[1]), **bn_param}
    if p["mode"] == "train":
        mean, var = x.mean(axis=0), x.var(axis=0)
        p["running_mean"] = (1 - p["momentum"]) * p["running_mean"] + p["momentum"] * mean
        p["running_var"] = (1 - p["momentum"]) * p["running_var"] + p["momentum"] * var
    else:
        mean, var = p["running_mean"], p["running_var"]
    x_hat = (x - mean) / np.sqrt(var + p["eps"])
    return gamma * x_hat + beta, (x - mean, 1 / np.sqrt(var + p["eps"]), x_hat, gamma), p


@wrong_answer(A, "batchnorm_forward", "test mode uses the batch statistics")
def bn_test_uses_batch(x, gamma, beta, bn_param):
    p = {"eps": 1e-5, "momentum": 0.9, "running_mean": np.zeros(x.shape[1]),
         "running_var": np.ones(x.shape[1]), **bn_param}
    mean, var = x.mean(axis=0), x.var(axis=0)
    if p["mode"] == "train":
        p["running_mean"] = p["momentum"] * p["running_mean"] + (1 - p["momentum"]) * mean
        p["running_var"] = p["momentum"] * p["running_var"] + (1 - p["momentum"]) * var
    x_hat = (x - mean) / np.sqrt(var + p["eps"])
    return gamma * x_hat + beta, (x - mean, 1 / np.sqrt(var + p["eps"]), x_hat, gamma), p


@wrong_answer(A, "batchnorm_forward", "normalises each example over its features (axis=1)")
def bn_wrong_axis(x, gamma, beta, bn_param):
    p = {"eps": 1e-5, "momentum": 0.9, "running_mean": np.zeros(x.shape[1]),
         "running_var": np.ones(x.shape[1]), **bn_param}
    mean, var = x.mean(axis=1, keepdims=True), x.var(axis=1, keepdims=True)
    x_hat = (x - mean) / np.sqrt(var + p["eps"])
    return gamma * x_hat + beta, (x - mean, 1 / np.sqrt(var + p["eps"]), x_hat, gamma), p


@wrong_answer(A, "batchnorm_forward", "updates the running statistics in bn_param itself (CS231n)",
              says=("bn_param",))
def bn_mutates_param(x, gamma, beta, bn_param):
    bn_param.setdefault("running_mean", np.zeros(x.shape[1]))
    bn_param.setdefault("running_var", np.ones(x.shape[1]))
    eps, momentum = bn_param.get("eps", 1e-5), bn_param.get("momentum", 0.9)
    if bn_param["mode"] == "train":
        mean, var = x.mean(axis=0), x.var(axis=0)
        bn_param["running_mean"] = momentum * bn_param["running_mean"] + (1 - momentum) * mean
        bn_param["running_var"] = momentum * bn_param["running_var"] + (1 - momentum) * var
    else:
        mean, var = bn_param["running_mean"], bn_param["running_var"]
    x_hat = (x - mean) / np.sqrt(var + eps)
    return gamma * x_hat + beta, (x - mean, 1 / np.sqrt(var + eps), x_hat, gamma), bn_param


@wrong_answer(A, "batchnorm_backward", "treats the mean and variance as constants",
              says=("path through mu",))
def bn_backward_constants(dout, cache):
    centred, inv_std, x_hat, gamma = cache
    return dout * gamma * inv_std, np.sum(x_hat * dout, axis=0), dout.sum(axis=0)


@wrong_answer(A, "batchnorm_backward", "forgets the branch from c into the variance (node 3)",
              says=("path through sigma^2",))
def bn_backward_no_variance_path(dout, cache):
    centred, inv_std, x_hat, gamma = cache
    n = dout.shape[0]
    dcentred = inv_std * gamma * dout
    dx = dcentred - dcentred.sum(axis=0) / n
    return dx, np.sum(x_hat * dout, axis=0), dout.sum(axis=0)


@wrong_answer(A, "batchnorm_backward", "dmu handed back to every row without dividing by N",
              says=("path through mu",))
def bn_backward_mean_not_divided(dout, cache):
    centred, inv_std, x_hat, gamma = cache
    n = dout.shape[0]
    dx_hat = gamma * dout
    dvar = -0.5 * inv_std ** 3 * np.sum(centred * dx_hat, axis=0)
    dcentred = inv_std * dx_hat + 2 * centred * dvar / n
    return dcentred - dcentred.sum(axis=0), np.sum(x_hat * dout, axis=0), dout.sum(axis=0)


@wrong_answer(A, "batchnorm_backward", "node 4's local derivative without its factor 1/2",
              says=("path through sigma^2",))
def bn_backward_power_rule(dout, cache):
    centred, inv_std, x_hat, gamma = cache
    n = dout.shape[0]
    dx_hat = gamma * dout
    dvar = -inv_std ** 3 * np.sum(centred * dx_hat, axis=0)
    dcentred = inv_std * dx_hat + 2 * centred * dvar / n
    return dcentred - dcentred.sum(axis=0) / n, np.sum(x_hat * dout, axis=0), dout.sum(axis=0)


@wrong_answer(A, "batchnorm_backward", "ds not summed over the batch (kept per row)")
def bn_backward_ds_per_row(dout, cache):
    centred, inv_std, x_hat, gamma = cache
    n = dout.shape[0]
    dx_hat = gamma * dout
    dvar = -0.5 * inv_std ** 3 * (centred * dx_hat)
    dcentred = inv_std * dx_hat + 2 * centred * dvar / n
    return dcentred - dcentred.sum(axis=0) / n, np.sum(x_hat * dout, axis=0), dout.sum(axis=0)


@wrong_answer(A, "batchnorm_backward", "dgamma and dbeta not summed over the batch",
              says=("summed over the batch",))
def bn_backward_not_summed(dout, cache):
    centred, inv_std, x_hat, gamma = cache
    n = dout.shape[0]
    dx_hat = gamma * dout
    dx = inv_std / n * (n * dx_hat - dx_hat.sum(axis=0) - x_hat * (dx_hat * x_hat).sum(axis=0))
    return dx, dout * x_hat, dout


@wrong_answer(A, "batchnorm_backward", "dbeta averaged over the batch instead of summed")
def bn_backward_dbeta_mean(dout, cache):
    centred, inv_std, x_hat, gamma = cache
    n = dout.shape[0]
    dx_hat = gamma * dout
    dx = inv_std / n * (n * dx_hat - dx_hat.sum(axis=0) - x_hat * (dx_hat * x_hat).sum(axis=0))
    return dx, np.sum(x_hat * dout, axis=0), dout.mean(axis=0)
