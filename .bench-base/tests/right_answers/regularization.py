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
    lr_t = lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
    decayed = w * (1 - lr * config["weight_decay"])
    return decayed - lr_t * m / (np.sqrt(v) + config["epsilon"]), config
