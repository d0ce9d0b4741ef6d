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
    lr_t = config["learning_rate"] * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
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
    lr_t = config["learning_rate"] * np.sqrt(1 - b2 ** t)
    return w - lr_t * m_bar / (np.sqrt(v) + config["epsilon"]), config
