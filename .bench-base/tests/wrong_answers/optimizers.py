"""Wrong answers to notebook 08 (optimizers). Names such as `np` resolve in the notebook's
namespace.

Each rule starts with the config line the notebook gives (a new dict with the defaults filled
in), as a student's answer does. Helpers would not resolve: each is swapped into the notebook.
"""
import numpy as np

from . import wrong_answer

A = "08_optimizers"


# --- sgd ---------------------------------------------------------------------------------------
@wrong_answer(A, "sgd", "adds the gradient (ascent)")
def sgd_ascent(w, dw, config=None):
    config = {"learning_rate": 1e-2, **(config or {})}
    return w + config["learning_rate"] * dw, config


@wrong_answer(A, "sgd", "updates w in place", says=("in place",))
def sgd_in_place(w, dw, config=None):
    config = {"learning_rate": 1e-2, **(config or {})}
    w -= config["learning_rate"] * dw
    return w, config


@wrong_answer(A, "sgd", "ignores the learning rate in config (always 1e-2)")
def sgd_fixed_rate(w, dw, config=None):
    return w - 1e-2 * dw, {"learning_rate": 1e-2, **(config or {})}


# --- sgd_momentum --------------------------------------------------------------------------------
@wrong_answer(A, "sgd_momentum", "never stores the velocity: every step is an SGD step")
def momentum_not_stored(w, dw, config=None):
    config = {"learning_rate": 1e-2, "momentum": 0.9, "velocity": np.zeros_like(w),
              **(config or {})}
    velocity = config["momentum"] * config["velocity"] - config["learning_rate"] * dw
    return w + velocity, config


@wrong_answer(A, "sgd_momentum", "PyTorch's velocity (sum of gradients, lr applied after)",
              says=("velocity",))
def momentum_pytorch_velocity(w, dw, config=None):
    config = {"learning_rate": 1e-2, "momentum": 0.9, "velocity": np.zeros_like(w),
              **(config or {})}
    velocity = config["momentum"] * config["velocity"] + dw
    config["velocity"] = velocity
    return w - config["learning_rate"] * velocity, config


@wrong_answer(A, "sgd_momentum", "moves w with the old velocity")
def momentum_old_velocity(w, dw, config=None):
    config = {"learning_rate": 1e-2, "momentum": 0.9, "velocity": np.zeros_like(w),
              **(config or {})}
    old = config["velocity"]
    config["velocity"] = config["momentum"] * old - config["learning_rate"] * dw
    return w + old, config


@wrong_answer(A, "sgd_momentum", "updates the velocity in place (v *= mu)", says=("in place",))
def momentum_in_place(w, dw, config=None):
    config = {"learning_rate": 1e-2, "momentum": 0.9, "velocity": np.zeros_like(w),
              **(config or {})}
    velocity = config["velocity"]
    velocity *= config["momentum"]
    velocity -= config["learning_rate"] * dw
    return w + velocity, config


# --- nesterov_momentum ---------------------------------------------------------------------------
@wrong_answer(A, "nesterov_momentum", "plain momentum (no look-ahead)")
def nesterov_is_momentum(w, dw, config=None):
    config = {"learning_rate": 1e-2, "momentum": 0.9, "velocity": np.zeros_like(w),
              **(config or {})}
    config["velocity"] = config["momentum"] * config["velocity"] - config["learning_rate"] * dw
    return w + config["velocity"], config


@wrong_answer(A, "nesterov_momentum", "overwrites the velocity before using the old one")
def nesterov_lost_old_velocity(w, dw, config=None):
    config = {"learning_rate": 1e-2, "momentum": 0.9, "velocity": np.zeros_like(w),
              **(config or {})}
    mu = config["momentum"]
    config["velocity"] = mu * config["velocity"] - config["learning_rate"] * dw
    return w - mu * config["velocity"] + (1 + mu) * config["velocity"], config


@wrong_answer(A, "nesterov_momentum", "old and new velocities swapped")
def nesterov_swapped(w, dw, config=None):
    config = {"learning_rate": 1e-2, "momentum": 0.9, "velocity": np.zeros_like(w),
              **(config or {})}
    mu, old = config["momentum"], config["velocity"]
    new = mu * old - config["learning_rate"] * dw
    config["velocity"] = new
    return w - mu * new + (1 + mu) * old, config


@wrong_answer(A, "nesterov_momentum", "derivation drops the -mu * v term: (1 + mu) * v' only",
              says=("derivation",))
def nesterov_drops_old_velocity(w, dw, config=None):
    config = {"learning_rate": 1e-2, "momentum": 0.9, "velocity": np.zeros_like(w),
              **(config or {})}
    mu = config["momentum"]
    new = mu * config["velocity"] - config["learning_rate"] * dw
    config["velocity"] = new
    return w + (1 + mu) * new, config


# --- adagrad -------------------------------------------------------------------------------------
@wrong_answer(A, "adagrad", "does not accumulate: cache = dw ** 2 (right at the first step only)")
def adagrad_no_accumulation(w, dw, config=None):
    config = {"learning_rate": 1e-2, "epsilon": 1e-8, "cache": np.zeros_like(w), **(config or {})}
    config["cache"] = dw ** 2
    return w - config["learning_rate"] * dw / (np.sqrt(config["cache"]) + config["epsilon"]), config


@wrong_answer(A, "adagrad", "forgets the square root")
def adagrad_no_sqrt(w, dw, config=None):
    config = {"learning_rate": 1e-2, "epsilon": 1e-8, "cache": np.zeros_like(w), **(config or {})}
    config["cache"] = config["cache"] + dw ** 2
    return w - config["learning_rate"] * dw / (config["cache"] + config["epsilon"]), config


@wrong_answer(A, "adagrad", "divides by the cache before adding this step's gradient")
def adagrad_stale_cache(w, dw, config=None):
    config = {"learning_rate": 1e-2, "epsilon": 1e-8, "cache": np.zeros_like(w), **(config or {})}
    old = config["cache"]
    config["cache"] = old + dw ** 2
    return w - config["learning_rate"] * dw / (np.sqrt(old) + config["epsilon"]), config


@wrong_answer(A, "adagrad", "accumulates in place (cache += dw ** 2)", says=("in place",))
def adagrad_in_place(w, dw, config=None):
    config = {"learning_rate": 1e-2, "epsilon": 1e-8, "cache": np.zeros_like(w), **(config or {})}
    cache = config["cache"]
    cache += dw ** 2
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), config


# --- rmsprop -------------------------------------------------------------------------------------
@wrong_answer(A, "rmsprop", "decay rate on the new gradient instead of the old cache")
def rmsprop_weights_swapped(w, dw, config=None):
    config = {"learning_rate": 1e-2, "decay_rate": 0.99, "epsilon": 1e-8, "cache": np.zeros_like(w),
              **(config or {})}
    rho = config["decay_rate"]
    config["cache"] = (1 - rho) * config["cache"] + rho * dw ** 2
    return w - config["learning_rate"] * dw / (np.sqrt(config["cache"]) + config["epsilon"]), config


@wrong_answer(A, "rmsprop", "AdaGrad's sum: no decay")
def rmsprop_is_adagrad(w, dw, config=None):
    config = {"learning_rate": 1e-2, "decay_rate": 0.99, "epsilon": 1e-8, "cache": np.zeros_like(w),
              **(config or {})}
    config["cache"] = config["cache"] + dw ** 2
    return w - config["learning_rate"] * dw / (np.sqrt(config["cache"]) + config["epsilon"]), config


@wrong_answer(A, "rmsprop", "never stores the cache")
def rmsprop_not_stored(w, dw, config=None):
    config = {"learning_rate": 1e-2, "decay_rate": 0.99, "epsilon": 1e-8, "cache": np.zeros_like(w),
              **(config or {})}
    rho = config["decay_rate"]
    cache = rho * config["cache"] + (1 - rho) * dw ** 2
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), config


@wrong_answer(A, "rmsprop", "squares the step instead of the gradient: dw / (cache + eps)")
def rmsprop_no_sqrt(w, dw, config=None):
    config = {"learning_rate": 1e-2, "decay_rate": 0.99, "epsilon": 1e-8, "cache": np.zeros_like(w),
              **(config or {})}
    rho = config["decay_rate"]
    config["cache"] = rho * config["cache"] + (1 - rho) * dw ** 2
    return w - config["learning_rate"] * dw / (config["cache"] + config["epsilon"]), config


# --- adadelta -----------------------------------------------------------------------------------
@wrong_answer(A, "adadelta", "epsilon added after the square roots, as in RMSProp")
def adadelta_epsilon_outside(w, dw, config=None):
    config = {"decay_rate": 0.95, "epsilon": 1e-6, "mean_sq_grad": np.zeros_like(w),
              "mean_sq_step": np.zeros_like(w), **(config or {})}
    rho, eps = config["decay_rate"], config["epsilon"]
    mean_sq_grad = rho * config["mean_sq_grad"] + (1 - rho) * dw ** 2
    step = -(np.sqrt(config["mean_sq_step"]) + eps) / (np.sqrt(mean_sq_grad) + eps) * dw
    config["mean_sq_grad"] = mean_sq_grad
    config["mean_sq_step"] = rho * config["mean_sq_step"] + (1 - rho) * step ** 2
    return w + step, config


@wrong_answer(A, "adadelta", "no epsilon in the numerator: the steps stay 0",
              says=("epsilon in the numerator",))
def adadelta_no_epsilon_numerator(w, dw, config=None):
    config = {"decay_rate": 0.95, "epsilon": 1e-6, "mean_sq_grad": np.zeros_like(w),
              "mean_sq_step": np.zeros_like(w), **(config or {})}
    rho, eps = config["decay_rate"], config["epsilon"]
    mean_sq_grad = rho * config["mean_sq_grad"] + (1 - rho) * dw ** 2
    step = -np.sqrt(config["mean_sq_step"]) / np.sqrt(mean_sq_grad + eps) * dw
    config["mean_sq_grad"] = mean_sq_grad
    config["mean_sq_step"] = rho * config["mean_sq_step"] + (1 - rho) * step ** 2
    return w + step, config


@wrong_answer(A, "adadelta", "the second average collects squared gradients, not squared steps",
              says=("STEPS",))
def adadelta_averages_gradients(w, dw, config=None):
    config = {"decay_rate": 0.95, "epsilon": 1e-6, "mean_sq_grad": np.zeros_like(w),
              "mean_sq_step": np.zeros_like(w), **(config or {})}
    rho, eps = config["decay_rate"], config["epsilon"]
    mean_sq_grad = rho * config["mean_sq_grad"] + (1 - rho) * dw ** 2
    step = -np.sqrt(config["mean_sq_step"] + eps) / np.sqrt(mean_sq_grad + eps) * dw
    config["mean_sq_grad"] = mean_sq_grad
    config["mean_sq_step"] = rho * config["mean_sq_step"] + (1 - rho) * dw ** 2
    return w + step, config


@wrong_answer(A, "adadelta", "divides by the gradient average before adding this step's gradient")
def adadelta_stale_gradient_average(w, dw, config=None):
    config = {"decay_rate": 0.95, "epsilon": 1e-6, "mean_sq_grad": np.zeros_like(w),
              "mean_sq_step": np.zeros_like(w), **(config or {})}
    rho, eps = config["decay_rate"], config["epsilon"]
    step = -np.sqrt(config["mean_sq_step"] + eps) / np.sqrt(config["mean_sq_grad"] + eps) * dw
    config["mean_sq_grad"] = rho * config["mean_sq_grad"] + (1 - rho) * dw ** 2
    config["mean_sq_step"] = rho * config["mean_sq_step"] + (1 - rho) * step ** 2
    return w + step, config


@wrong_answer(A, "adadelta", "never stores the average of the steps")
def adadelta_step_average_not_stored(w, dw, config=None):
    config = {"decay_rate": 0.95, "epsilon": 1e-6, "mean_sq_grad": np.zeros_like(w),
              "mean_sq_step": np.zeros_like(w), **(config or {})}
    rho, eps = config["decay_rate"], config["epsilon"]
    mean_sq_grad = rho * config["mean_sq_grad"] + (1 - rho) * dw ** 2
    step = -np.sqrt(config["mean_sq_step"] + eps) / np.sqrt(mean_sq_grad + eps) * dw
    config["mean_sq_grad"] = mean_sq_grad
    return w + step, config


@wrong_answer(A, "adadelta", "updates the averages in place", says=("in place",))
def adadelta_in_place(w, dw, config=None):
    config = {"decay_rate": 0.95, "epsilon": 1e-6, "mean_sq_grad": np.zeros_like(w),
              "mean_sq_step": np.zeros_like(w), **(config or {})}
    rho, eps = config["decay_rate"], config["epsilon"]
    mean_sq_grad, mean_sq_step = config["mean_sq_grad"], config["mean_sq_step"]
    mean_sq_grad *= rho
    mean_sq_grad += (1 - rho) * dw ** 2
    step = -np.sqrt(mean_sq_step + eps) / np.sqrt(mean_sq_grad + eps) * dw
    mean_sq_step *= rho
    mean_sq_step += (1 - rho) * step ** 2
    return w + step, config


# --- adam ----------------------------------------------------------------------------------------
@wrong_answer(A, "adam", "no bias correction")
def adam_no_bias_correction(w, dw, config=None):
    config = {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8,
              "m": np.zeros_like(w), "v": np.zeros_like(w), "t": 0, **(config or {})}
    b1, b2 = config["beta1"], config["beta2"]
    m = b1 * config["m"] + (1 - b1) * dw
    v = b2 * config["v"] + (1 - b2) * dw ** 2
    config.update(m=m, v=v, t=config["t"] + 1)
    return w - config["learning_rate"] * m / (np.sqrt(v) + config["epsilon"]), config


@wrong_answer(A, "adam", "never increments t: bias-corrects with t = 1 at every step")
def adam_t_stuck_at_one(w, dw, config=None):
    config = {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8,
              "m": np.zeros_like(w), "v": np.zeros_like(w), "t": 0, **(config or {})}
    b1, b2 = config["beta1"], config["beta2"]
    m = b1 * config["m"] + (1 - b1) * dw
    v = b2 * config["v"] + (1 - b2) * dw ** 2
    m_hat, v_hat = m / (1 - config["beta1"]), v / (1 - config["beta2"])
    config.update(m=m, v=v)
    return w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"]), config


@wrong_answer(A, "adam", "(1 - beta) ** t instead of 1 - beta ** t")
def adam_wrong_correction(w, dw, config=None):
    config = {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8,
              "m": np.zeros_like(w), "v": np.zeros_like(w), "t": 0, **(config or {})}
    b1, b2 = config["beta1"], config["beta2"]
    m = b1 * config["m"] + (1 - b1) * dw
    v = b2 * config["v"] + (1 - b2) * dw ** 2
    t = config["t"] + 1
    m_hat, v_hat = m / (1 - config["beta1"]) ** t, v / (1 - config["beta2"]) ** t
    config.update(m=m, v=v, t=t)
    return w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"]), config


@wrong_answer(A, "adam", "stores the bias-corrected moments as the state", says=("config['m']",))
def adam_stores_corrected(w, dw, config=None):
    config = {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8,
              "m": np.zeros_like(w), "v": np.zeros_like(w), "t": 0, **(config or {})}
    b1, b2 = config["beta1"], config["beta2"]
    m = b1 * config["m"] + (1 - b1) * dw
    v = b2 * config["v"] + (1 - b2) * dw ** 2
    t = config["t"] + 1
    m_hat, v_hat = m / (1 - config["beta1"] ** t), v / (1 - config["beta2"] ** t)
    config.update(m=m_hat, v=v_hat, t=t)
    return w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"]), config


@wrong_answer(A, "adam", "starts t at 1 and increments after the correction (ignores a saved t)")
def adam_own_counter(w, dw, config=None):
    config = {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8,
              "m": np.zeros_like(w), "v": np.zeros_like(w), "t": 0, **(config or {})}
    b1, b2 = config["beta1"], config["beta2"]
    m = b1 * config["m"] + (1 - b1) * dw
    v = b2 * config["v"] + (1 - b2) * dw ** 2
    t = config.get("steps", 0) + 1
    m_hat, v_hat = m / (1 - config["beta1"] ** t), v / (1 - config["beta2"] ** t)
    config.update(m=m, v=v, steps=t, t=t)
    return w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"]), config


@wrong_answer(A, "adam", "epsilon inside the square root")
def adam_epsilon_inside_sqrt(w, dw, config=None):
    config = {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8,
              "m": np.zeros_like(w), "v": np.zeros_like(w), "t": 0, **(config or {})}
    b1, b2 = config["beta1"], config["beta2"]
    t = config["t"] + 1
    m = b1 * config["m"] + (1 - b1) * dw
    v = b2 * config["v"] + (1 - b2) * dw ** 2
    m_hat, v_hat = m / (1 - b1 ** t), v / (1 - b2 ** t)
    config.update(m=m, v=v, t=t)
    return w - config["learning_rate"] * m_hat / np.sqrt(v_hat + config["epsilon"]), config


@wrong_answer(A, "adam", "no epsilon: 0 / 0 for a parameter whose gradient is 0", says=("NaN",))
def adam_no_epsilon(w, dw, config=None):
    config = {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8,
              "m": np.zeros_like(w), "v": np.zeros_like(w), "t": 0, **(config or {})}
    b1, b2 = config["beta1"], config["beta2"]
    t = config["t"] + 1
    m = b1 * config["m"] + (1 - b1) * dw
    v = b2 * config["v"] + (1 - b2) * dw ** 2
    config.update(m=m, v=v, t=t)
    with np.errstate(invalid="ignore"):
        step = config["learning_rate"] * (m / (1 - b1 ** t)) / np.sqrt(v / (1 - b2 ** t))
        return w - step, config


# --- nadam ---------------------------------------------------------------------------------------
@wrong_answer(A, "nadam", "Adam's step (no look-ahead)")
def nadam_is_adam(w, dw, config=None):
    config = {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8,
              "m": np.zeros_like(w), "v": np.zeros_like(w), "t": 0, **(config or {})}
    b1, b2 = config["beta1"], config["beta2"]
    m = b1 * config["m"] + (1 - b1) * dw
    v = b2 * config["v"] + (1 - b2) * dw ** 2
    t = config["t"] + 1
    m_hat, v_hat = m / (1 - config["beta1"] ** t), v / (1 - config["beta2"] ** t)
    config.update(m=m, v=v, t=t)
    return w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"]), config


@wrong_answer(A, "nadam", "look-ahead term without its bias correction")
def nadam_uncorrected_gradient(w, dw, config=None):
    config = {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8,
              "m": np.zeros_like(w), "v": np.zeros_like(w), "t": 0, **(config or {})}
    b1, b2 = config["beta1"], config["beta2"]
    m = b1 * config["m"] + (1 - b1) * dw
    v = b2 * config["v"] + (1 - b2) * dw ** 2
    t = config["t"] + 1
    b1 = config["beta1"]
    m_hat, v_hat = m / (1 - b1 ** t), v / (1 - config["beta2"] ** t)
    m_bar = b1 * m_hat + (1 - b1) * dw
    config.update(m=m, v=v, t=t)
    return w - config["learning_rate"] * m_bar / (np.sqrt(v_hat) + config["epsilon"]), config


@wrong_answer(A, "nadam", "never stores t")
def nadam_t_not_stored(w, dw, config=None):
    config = {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8,
              "m": np.zeros_like(w), "v": np.zeros_like(w), "t": 0, **(config or {})}
    b1, b2 = config["beta1"], config["beta2"]
    m = b1 * config["m"] + (1 - b1) * dw
    v = b2 * config["v"] + (1 - b2) * dw ** 2
    t = config["t"] + 1
    b1 = config["beta1"]
    m_hat, v_hat = m / (1 - b1 ** t), v / (1 - config["beta2"] ** t)
    m_bar = b1 * m_hat + (1 - b1) * dw / (1 - b1 ** t)
    config.update(m=m, v=v)
    return w - config["learning_rate"] * m_bar / (np.sqrt(v_hat) + config["epsilon"]), config


@wrong_answer(A, "nadam", "m-bar's first term not bias-corrected (beta1 * m)")
def nadam_uncorrected_momentum(w, dw, config=None):
    config = {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8,
              "m": np.zeros_like(w), "v": np.zeros_like(w), "t": 0, **(config or {})}
    b1, b2 = config["beta1"], config["beta2"]
    t = config["t"] + 1
    m = b1 * config["m"] + (1 - b1) * dw
    v = b2 * config["v"] + (1 - b2) * dw ** 2
    m_bar = b1 * m + (1 - b1) * dw / (1 - b1 ** t)
    config.update(m=m, v=v, t=t)
    step = config["learning_rate"] * m_bar / (np.sqrt(v / (1 - b2 ** t)) + config["epsilon"])
    return w - step, config


# --- schedules -----------------------------------------------------------------------------------
@wrong_answer(A, "step_decay", "true division: decays smoothly instead of in steps",
              test="schedules")
def step_decay_smooth(lr0, epoch, drop=0.5, every=10):
    return lr0 * drop ** (np.asarray(epoch) / every)


@wrong_answer(A, "step_decay", "off by one: first drop at epoch every - 1", test="schedules")
def step_decay_off_by_one(lr0, epoch, drop=0.5, every=10):
    return lr0 * drop ** ((np.asarray(epoch) + 1) // every)


@wrong_answer(A, "step_decay", "multiplies by drop * k instead of drop ** k", test="schedules")
def step_decay_linear(lr0, epoch, drop=0.5, every=10):
    k = np.asarray(epoch) // every
    return lr0 * np.where(k == 0, 1.0, drop * k)


@wrong_answer(A, "cosine", "never clamps: the rate rises again after total_steps", test="schedules")
def cosine_no_clamp(lr0, step, total_steps, lr_min=0.0):
    return lr_min + 0.5 * (lr0 - lr_min) * (1 + np.cos(np.pi * np.asarray(step) / total_steps))


@wrong_answer(A, "cosine", "ignores lr_min", test="schedules")
def cosine_ignores_min(lr0, step, total_steps, lr_min=0.0):
    progress = np.minimum(np.asarray(step), total_steps) / total_steps
    return 0.5 * lr0 * (1 + np.cos(np.pi * progress))


@wrong_answer(A, "cosine", "forgets the factor 1/2", test="schedules")
def cosine_no_half(lr0, step, total_steps, lr_min=0.0):
    progress = np.minimum(np.asarray(step), total_steps) / total_steps
    return lr_min + (lr0 - lr_min) * (1 + np.cos(np.pi * progress))


@wrong_answer(A, "cosine", "a full cosine period (2 pi) over total_steps", test="schedules")
def cosine_full_period(lr0, step, total_steps, lr_min=0.0):
    progress = np.minimum(np.asarray(step), total_steps) / total_steps
    return lr_min + 0.5 * (lr0 - lr_min) * (1 + np.cos(2 * np.pi * progress))
