"""Right answers that differ from the solution pass their test cell, hidden tests included.

Where a notebook states that another form of an answer is accepted (Adam's epsilon added to the
uncorrected sqrt(v), the folded form of Kingma and Ba, end of their §2), this swaps that form in
for the solution and runs the test cell: it must pass. Names such as `np` resolve in the
notebook's namespace, as in tests/wrong_answers.
"""
import numpy as np
import pytest

from notebook_cells import answer_namespace, run_test_cell


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


ACCEPTED = [
    ("08_optimizers", "adam", "adam", adam_folded),
    ("08_optimizers", "nadam", "nadam", nadam_folded),
    ("09_regularization", "adamw", "adamw", adamw_folded),
]


@pytest.mark.parametrize("assignment, function, test, implementation", ACCEPTED,
                         ids=[f"{a}:{f}:{i.__name__}" for a, f, _, i in ACCEPTED])
def test_accepted_answer_passes(assignment, function, test, implementation, monkeypatch,
                                tmp_path):
    monkeypatch.chdir(tmp_path)
    namespace = answer_namespace(assignment, {function: implementation})
    run_test_cell(assignment, test, namespace)
