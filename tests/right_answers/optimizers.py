"""Right answers to notebook 08 that differ from the solution."""
import numpy as np

from . import right_answer

A = "08_optimizers"


@right_answer(A, "adam", "the folded form of Kingma and Ba (end of their §2): epsilon added to "
                         "the uncorrected sqrt(v), the corrections folded into the step size")
def adam_folded(w, dw, config=None):
    config = {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8,
              "m": np.zeros_like(w), "v": np.zeros_like(w), "t": 0, **(config or {})}
    b1, b2 = config["beta1"], config["beta2"]
    t = config["t"] + 1
    m = b1 * config["m"] + (1 - b1) * dw
    v = b2 * config["v"] + (1 - b2) * dw ** 2
    config.update(m=m, v=v, t=t)
    lr_t = config["learning_rate"] * (1 - b2 ** t) ** 0.5 / (1 - b1 ** t)
    return w - lr_t * m / (np.sqrt(v) + config["epsilon"]), config


@right_answer(A, "nadam", "the folded form: the corrections folded into the step size")
def nadam_folded(w, dw, config=None):
    config = {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8,
              "m": np.zeros_like(w), "v": np.zeros_like(w), "t": 0, **(config or {})}
    b1, b2 = config["beta1"], config["beta2"]
    t = config["t"] + 1
    m = b1 * config["m"] + (1 - b1) * dw
    v = b2 * config["v"] + (1 - b2) * dw ** 2
    config.update(m=m, v=v, t=t)
    m_bar = b1 * m / (1 - b1 ** t) + (1 - b1) * dw / (1 - b1 ** t)
    lr_t = config["learning_rate"] * (1 - b2 ** t) ** 0.5
    return w - lr_t * m_bar / (np.sqrt(v) + config["epsilon"]), config


@right_answer(A, "sgd", "a loop over every index of w (np.ndindex), into np.empty_like(w)")
def sgd_loop(w, dw, config=None):
    config = {"learning_rate": 1e-2, **(config or {})}
    next_w = np.empty_like(w)
    for index in np.ndindex(w.shape):
        next_w[index] = w[index] - config["learning_rate"] * dw[index]
    return next_w, config


@right_answer(A, "sgd_momentum", "copies the config with dict() and builds the step explicitly")
def momentum_explicit(w, dw, config=None):
    config = dict({"learning_rate": 1e-2, "momentum": 0.9, "velocity": np.zeros_like(w)},
                  **(config or {}))
    velocity = np.multiply(config["momentum"], config["velocity"])
    velocity = velocity - np.multiply(config["learning_rate"], dw)
    config["velocity"] = velocity
    return np.add(w, velocity), config


@right_answer(A, "nesterov_momentum", "another arrangement: w + v' + mu * (v' - v)")
def nesterov_rearranged(w, dw, config=None):
    config = {"learning_rate": 1e-2, "momentum": 0.9, "velocity": np.zeros_like(w),
              **(config or {})}
    mu, old = config["momentum"], config["velocity"]
    new = mu * old - config["learning_rate"] * dw
    config["velocity"] = new
    return w + new + mu * (new - old), config


@right_answer(A, "adagrad", "np.square and np.divide instead of ** and /")
def adagrad_ufuncs(w, dw, config=None):
    config = {"learning_rate": 1e-2, "epsilon": 1e-8, "cache": np.zeros_like(w), **(config or {})}
    config["cache"] = np.add(config["cache"], np.square(dw))
    step = np.divide(dw, np.sqrt(config["cache"]) + config["epsilon"])
    return w - config["learning_rate"] * step, config


@right_answer(A, "rmsprop", "the moving average written as cache + (1 - rho) * (dw ** 2 - cache)")
def rmsprop_increment_form(w, dw, config=None):
    config = {"learning_rate": 1e-2, "decay_rate": 0.99, "epsilon": 1e-8,
              "cache": np.zeros_like(w), **(config or {})}
    cache = config["cache"] + (1 - config["decay_rate"]) * (dw ** 2 - config["cache"])
    config["cache"] = cache
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), config


@right_answer(A, "adadelta", "one square root of a ratio instead of a ratio of square roots")
def adadelta_one_root(w, dw, config=None):
    config = {"decay_rate": 0.95, "epsilon": 1e-6, "mean_sq_grad": np.zeros_like(w),
              "mean_sq_step": np.zeros_like(w), **(config or {})}
    rho, eps = config["decay_rate"], config["epsilon"]
    mean_sq_grad = rho * config["mean_sq_grad"] + (1 - rho) * dw * dw
    step = -np.sqrt((config["mean_sq_step"] + eps) / (mean_sq_grad + eps)) * dw
    config["mean_sq_grad"] = mean_sq_grad
    config["mean_sq_step"] = rho * config["mean_sq_step"] + (1 - rho) * step * step
    return w + step, config


@right_answer(A, "adam", "a loop over the entries of w, Algorithm 1 one number at a time")
def adam_loop(w, dw, config=None):
    config = {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8,
              "m": np.zeros_like(w), "v": np.zeros_like(w), "t": 0, **(config or {})}
    b1, b2, t = config["beta1"], config["beta2"], config["t"] + 1
    m, v, next_w = np.empty_like(w), np.empty_like(w), np.empty_like(w)
    for i in np.ndindex(w.shape):
        m[i] = b1 * config["m"][i] + (1 - b1) * dw[i]
        v[i] = b2 * config["v"][i] + (1 - b2) * dw[i] ** 2
        m_hat, v_hat = m[i] / (1 - b1 ** t), v[i] / (1 - b2 ** t)
        next_w[i] = w[i] - config["learning_rate"] * m_hat / (v_hat ** 0.5 + config["epsilon"])
    config.update(m=m, v=v, t=t)
    return next_w, config


@right_answer(A, "step_decay", "np.floor_divide and np.power, a Python float for an int",
              test="schedules")
def step_decay_python_float(lr0, epoch, drop=0.5, every=10):
    rate = lr0 * np.power(float(drop), np.floor_divide(epoch, every))
    return float(rate) if np.ndim(rate) == 0 else rate


@right_answer(A, "cosine", "np.clip to [0, total_steps]", test="schedules")
def cosine_clip(lr0, step, total_steps, lr_min=0.0):
    progress = np.clip(step, 0, total_steps) / total_steps
    return lr_min + (lr0 - lr_min) * (1 + np.cos(np.pi * progress)) / 2
