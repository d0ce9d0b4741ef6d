"""Hidden tests of notebook 08 (optimizers). Each takes the student's function(s).

Every update rule runs several steps, feeding back the config it returned, and is compared with
the reference after each step, on parameters of several shapes: a rule that only gets the first
step right (state not stored, not accumulated, t not incremented) fails.
"""
import numpy as np

from dlcourse.testing import call_unmutated, check_close, check_true

from . import reference

ASSIGNMENT = "08_optimizers"


def _check_rule(name, rule, hyperparameters, state_keys, n_steps=6):
    """Run `rule` and the reference side by side from config=None and from `hyperparameters`."""
    ref_rule = getattr(reference(ASSIGNMENT), name)
    for seed, (shape, config) in enumerate((((4, 5), None), ((7,), dict(hyperparameters)),
                                            ((2, 3, 2), dict(hyperparameters)))):
        rng = np.random.default_rng(8000 + seed)
        w = ref_w = rng.standard_normal(shape)
        ref_config = config
        label = f"{name} on w of shape {shape}, config={config}"
        for step in range(1, n_steps + 1):
            dw = rng.standard_normal(shape) * rng.choice([0.01, 1.0, 30.0], size=shape)
            w, config = call_unmutated(rule, w, dw, config)
            ref_w, ref_config = ref_rule(ref_w, dw, ref_config)
            check_true(isinstance(config, dict),
                       f"{name} must return (next_w, config) with config a dict; step {step} "
                       f"returned a {type(config).__name__} as config.")
            for key in state_keys:
                check_true(key in config, f"{name} must keep its state in config[{key!r}]; the "
                           f"config returned at step {step} has keys {sorted(config)}.")
                check_close(config[key], ref_config[key],
                            f"config[{key!r}] after step {step} of {label}",
                            hint="Each step must start from the state the previous step "
                                 "returned." if step > 1 else "")
            check_close(w, ref_w, f"w after step {step} of {label}",
                        hint="Steps after the first use the state returned by the step before: "
                             "is it updated and returned in config?" if step > 1 else "")
        for key, value in hyperparameters.items():
            if config is not None and ref_config is not None and key in ref_config:
                check_true(config.get(key) == ref_config[key],
                           f"{name} changed the hyperparameter config[{key!r}] to "
                           f"{config.get(key)!r}; it should stay {ref_config[key]!r}.")


def check_sgd(sgd):
    _check_rule("sgd", sgd, {"learning_rate": 0.3}, ())
    w = np.ones((2, 2))
    next_w, _ = sgd(w, np.full((2, 2), 2.0), {"learning_rate": 0.25})
    check_close(next_w, np.full((2, 2), 0.5), "sgd(w=1, dw=2, learning_rate=0.25)",
                hint="next_w = w - learning_rate * dw.")


def check_sgd_momentum(sgd_momentum):
    _check_rule("sgd_momentum", sgd_momentum, {"learning_rate": 0.05, "momentum": 0.7},
                ("velocity",))


def check_nesterov_momentum(nesterov_momentum):
    _check_rule("nesterov_momentum", nesterov_momentum,
                {"learning_rate": 0.05, "momentum": 0.6}, ("velocity",))


def check_adagrad(adagrad):
    _check_rule("adagrad", adagrad, {"learning_rate": 0.2, "epsilon": 1e-6}, ("cache",))


def check_rmsprop(rmsprop):
    _check_rule("rmsprop", rmsprop, {"learning_rate": 0.02, "decay_rate": 0.7, "epsilon": 1e-6},
                ("cache",))


def check_adam(adam):
    _check_rule("adam", adam, {"learning_rate": 0.02, "beta1": 0.7, "beta2": 0.95}, ("m", "v", "t"))
    # Resuming from a saved state: t is read from config, not assumed to start at 0.
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(8100)
    w, dw = rng.standard_normal(5), rng.standard_normal(5)
    state = {"m": rng.standard_normal(5) * 0.1, "v": rng.random(5) * 0.1, "t": 41}
    next_w, config = call_unmutated(adam, w, dw, dict(state))
    check_true(config.get("t") == 42, "adam resumed with config['t'] = 41 should return t = 42.")
    check_close(next_w, ref.adam(w, dw, dict(state))[0], "w after adam resumed at t = 41",
                hint="Bias-correct with beta ** t for the incremented t read from config.")


def check_nadam(nadam):
    _check_rule("nadam", nadam, {"learning_rate": 0.02, "beta1": 0.7, "beta2": 0.95},
                ("m", "v", "t"))


def check_schedules(step_decay, cosine):
    ref = reference(ASSIGNMENT)
    epochs = np.arange(0, 61)
    for lr0, drop, every in ((0.3, 0.1, 20), (1e-3, 0.5, 1), (0.05, 0.9, 7)):
        check_close(call_unmutated(step_decay, lr0, epochs, drop, every),
                    ref.step_decay(lr0, epochs, drop, every),
                    f"step_decay({lr0}, epochs 0..60, drop={drop}, every={every})")
    check_close(step_decay(0.2, 19, every=20), 0.2, "step_decay(0.2, 19, every=20) (last epoch "
                "before the first drop)", hint="Epochs count from 0: the first drop is at "
                                               "epoch == every.")
    check_close(step_decay(0.2, 20, every=20), 0.1, "step_decay(0.2, 20, every=20)")
    steps = np.arange(0, 260)
    for lr0, total, lr_min in ((0.1, 200, 0.0), (3e-4, 17, 1e-5), (1.0, 1, 0.5)):
        check_close(call_unmutated(cosine, lr0, steps, total, lr_min),
                    ref.cosine(lr0, steps, total, lr_min),
                    f"cosine({lr0}, steps 0..259, total_steps={total}, lr_min={lr_min})",
                    hint="Clamp the step at total_steps: the rate stays at lr_min afterwards.")
    check_close(cosine(0.4, 0, 50, 0.1), 0.4, "cosine at step 0 (should be lr0)")
    check_close(cosine(0.4, 50, 50, 0.1), 0.1, "cosine at step total_steps (should be lr_min)")
    check_close(cosine(0.4, 25, 50, 0.1), 0.25, "cosine halfway (should be (lr0 + lr_min) / 2)")
