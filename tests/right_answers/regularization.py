"""Right answers to notebook 09 that differ from the solution."""
import numpy as np

from . import right_answer

A = "09_regularization"


@right_answer(A, "adamw", "the folded form of Adam, with the decoupled weight decay applied to w "
                          "before the step")
def adamw_folded(w, dw, config=None):
    config = {"learning_rate": 1e-3, "weight_decay": 1e-2, "beta1": 0.9, "beta2": 0.999,
              "epsilon": 1e-8, "m": np.zeros_like(w), "v": np.zeros_like(w), "t": 0,
              **(config or {})}
    b1, b2 = config["beta1"], config["beta2"]
    t = config["t"] + 1
    m = b1 * config["m"] + (1 - b1) * dw
    v = b2 * config["v"] + (1 - b2) * dw ** 2
    config.update(m=m, v=v, t=t)
    lr = config["learning_rate"]
    lr_t = lr * (1 - b2 ** t) ** 0.5 / (1 - b1 ** t)
    decayed = w * (1 - lr * config["weight_decay"])
    return decayed - lr_t * m / (np.sqrt(v) + config["epsilon"]), config


@right_answer(A, "l2_penalty", "np.vdot of each array with itself, summed in a loop")
def l2_vdot(params, reg):
    total = 0.0
    for W in params.values():
        total += float(np.vdot(W, W))
    return 0.5 * reg * total, {name: reg * W for name, W in params.items()}


@right_answer(A, "dropout_forward", "np.where(u >= p, x / (1 - p), 0): the dtype of x kept")
def dropout_where(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if mode != "train":
        return x, (mode, None)
    keep = dropout_param["rng"].random(x.shape) >= p
    out = np.where(keep, x / (1 - p), 0)
    return out, (mode, np.where(keep, 1 / (1 - p), 0).astype(x.dtype))


@right_answer(A, "dropout_backward", "np.where on the mask, or dout itself in test mode")
def dropout_backward_where(dout, cache):
    mode, mask = cache
    if mode != "train":
        return dout
    return np.where(mask != 0, dout * mask, 0).astype(dout.dtype)


@right_answer(A, "vanilla_dropout_forward", "x times the boolean mask; (1 - p) * x at test time")
def vanilla_boolean_mask(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if mode == "train":
        keep = dropout_param["rng"].random(x.shape) >= p
        return x * keep, (mode, keep.astype(x.dtype))
    return x * (1 - p), (mode, None)


@right_answer(A, "EarlyStopping", "keeps the list of losses and counts the epochs since the best")
def early_stopping_history(patience, min_delta=0.0):
    class EarlyStopping:
        def __init__(self, patience, min_delta=0.0):
            self.patience, self.min_delta = patience, min_delta
            self.best_loss, self.best_epoch, self.best_params = np.inf, None, None
            self.losses = []

        def step(self, val_loss, params):
            self.losses.append(val_loss)
            if val_loss < self.best_loss - self.min_delta:
                self.best_loss, self.best_epoch = val_loss, len(self.losses) - 1
                self.best_params = {name: np.array(W, copy=True) for name, W in params.items()}
            return len(self.losses) - 1 - self.best_epoch >= self.patience \
                if self.best_epoch is not None else len(self.losses) >= self.patience
    return EarlyStopping(patience, min_delta)


@right_answer(A, "augment", "a loop over the images; the angle drawn first, then each shift on "
                            "its own; rotation in the other direction (the range is symmetric)")
def augment_loop(images, rng, max_shift=2, max_degrees=10.0):
    n_images, height, width = images.shape
    out = np.zeros_like(images)
    rows, cols = np.meshgrid(np.arange(height), np.arange(width), indexing="ij")
    centre_row, centre_col = (height - 1) / 2, (width - 1) / 2
    for n in range(n_images):
        angle = np.deg2rad(rng.uniform(-max_degrees, max_degrees))
        d_r = rng.integers(-max_shift, max_shift + 1)
        d_c = rng.integers(-max_shift, max_shift + 1)
        y, x = rows - d_r - centre_row, cols - d_c - centre_col
        source_row = np.rint(np.cos(angle) * y + np.sin(angle) * x + centre_row).astype(int)
        source_col = np.rint(-np.sin(angle) * y + np.cos(angle) * x + centre_col).astype(int)
        inside = ((source_row >= 0) & (source_row < height) & (source_col >= 0)
                  & (source_col < width))
        out[n][inside] = images[n][source_row[inside], source_col[inside]]
    return out


@right_answer(A, "batchnorm_forward", "x_hat divided by np.sqrt(var + eps), a cache of its own")
def batchnorm_forward_divides(x, gamma, beta, bn_param):
    next_bn_param = {"eps": 1e-5, "momentum": 0.9, "running_mean": np.zeros(x.shape[1]),
                     "running_var": np.ones(x.shape[1]), **bn_param}
    momentum = next_bn_param["momentum"]
    if next_bn_param["mode"] == "train":
        mean = np.mean(x, axis=0)
        var = np.mean((x - mean) ** 2, axis=0)
        next_bn_param["running_mean"] = (momentum * next_bn_param["running_mean"]
                                         + (1 - momentum) * mean)
        next_bn_param["running_var"] = (momentum * next_bn_param["running_var"]
                                        + (1 - momentum) * var)
    else:
        mean, var = next_bn_param["running_mean"], next_bn_param["running_var"]
    std = np.sqrt(var + next_bn_param["eps"])
    x_hat = (x - mean) / std
    return x_hat * gamma + beta, (x - mean, 1 / std, x_hat, gamma), next_bn_param


@right_answer(A, "batchnorm_backward", "the compact formula of the optional section")
def batchnorm_backward_compact_form(dout, cache):
    _, inv_std, x_hat, gamma = cache
    n = dout.shape[0]
    g = gamma * dout
    dx = inv_std / n * (n * g - g.sum(axis=0) - x_hat * np.sum(g * x_hat, axis=0))
    return dx, np.sum(x_hat * dout, axis=0), dout.sum(axis=0)
