"""Hidden tests of notebook 08 (optimizers). Each takes the student's function(s).

Every update rule runs several steps, feeding back the config it returned, and is compared with
the reference after each step, on parameters of several shapes: a rule that only gets the first
step right (state not stored, not accumulated, t not incremented) fails.
"""
import numpy as np

from dlcourse.testing import call_unmutated, check_close, check_true

from . import reference

ASSIGNMENT = "08_optimizers"


def _close(got, expected):
    """Whether the student's array equals the reference up to float64 rounding (no message)."""
    got = np.asarray(got)
    return got.shape == np.shape(expected) and bool(np.allclose(got, expected, rtol=1e-6,
                                                                atol=1e-9))


def folded_epsilon(ref_rule):
    """``ref_rule`` (adam, nadam, adamw) in the folded form of Kingma and Ba (end of their §2),
    where epsilon is added to the uncorrected sqrt(v): that is the rule with
    epsilon / sqrt(1 - beta2 ** t) in place of epsilon, t being the count of this step."""
    def rule(w, dw, config=None):
        _, probe = ref_rule(w, dw, dict(config or {}))       # the defaults and this step's t
        scaled = probe["epsilon"] / np.sqrt(1 - probe["beta2"] ** probe["t"])
        next_w, next_config = ref_rule(w, dw, {**(config or {}), "epsilon": scaled})
        next_config["epsilon"] = probe["epsilon"]
        return next_w, next_config
    return rule


def _check_rule(name, rule, hyperparameters, state_keys, n_steps=6, forms=None,
                assignment=ASSIGNMENT):
    """Run `rule` and the reference side by side from config=None and from `hyperparameters`.

    forms: {description: reference rule} when several forms of the rule are accepted (Adam's two
    placements of epsilon); each keeps its own path, and the student's steps must follow one of
    them from start to end. The state (state_keys) is the same in every form.
    """
    ref_rule = getattr(reference(assignment), name)
    forms = forms or {"the reference": ref_rule}
    for seed, (shape, config) in enumerate((((4, 5), None), ((7,), dict(hyperparameters)),
                                            ((2, 3, 2), dict(hyperparameters)))):
        rng = np.random.default_rng(8000 + seed)
        w = rng.standard_normal(shape)
        paths = {form: (w, config) for form in forms}
        label = f"{name} on w of shape {shape}, config={config}"
        for step in range(1, n_steps + 1):
            dw = rng.standard_normal(shape) * rng.choice([0.01, 1.0, 30.0], size=shape)
            w, config = call_unmutated(rule, w, dw, config)
            paths = {form: forms[form](path_w, dw, path_config)
                     for form, (path_w, path_config) in paths.items()}
            ref_w, ref_config = next(iter(paths.values()))
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
            matching = {form: path for form, path in paths.items() if _close(w, path[0])}
            if not matching:
                compared = (f" (compared with {next(iter(paths))}; your steps match none of the "
                            f"accepted forms: {', '.join(paths)})" if len(forms) > 1 else "")
                check_close(w, ref_w, f"w after step {step} of {label}{compared}",
                            hint="Steps after the first use the state returned by the step "
                                 "before: is it updated and returned in config?" if step > 1
                            else "")
            paths = matching
        for key in hyperparameters:
            if config is not None and ref_config is not None and key in ref_config:
                check_true(config.get(key) == ref_config[key],
                           f"{name} changed the hyperparameter config[{key!r}] to "
                           f"{config.get(key)!r}; it should stay {ref_config[key]!r}.")


def check_sgd(sgd):
    """Six steps on 1-D to 3-D w from config=None and given rates; a step by hand."""
    _check_rule("sgd", sgd, {"learning_rate": 0.3}, ())
    w = np.ones((2, 2))
    next_w, _ = sgd(w, np.full((2, 2), 2.0), {"learning_rate": 0.25})
    check_close(next_w, np.full((2, 2), 0.5), "sgd(w=1, dw=2, learning_rate=0.25)",
                hint="next_w = w - learning_rate * dw.")


def check_sgd_momentum(sgd_momentum):
    """Six steps, 1-D to 3-D w, gradients of mixed scales; velocity every step."""
    _check_rule("sgd_momentum", sgd_momentum, {"learning_rate": 0.05, "momentum": 0.7},
                ("velocity",))


def check_nesterov_momentum(nesterov_momentum):
    """Six steps, 1-D to 3-D w, mixed gradient scales; velocity each step."""
    _check_rule("nesterov_momentum", nesterov_momentum,
                {"learning_rate": 0.05, "momentum": 0.6}, ("velocity",))


def check_adagrad(adagrad):
    """Six steps on 1-D to 3-D w, mixed gradient scales; the cache at every step."""
    _check_rule("adagrad", adagrad, {"learning_rate": 0.2, "epsilon": 1e-6}, ("cache",))


def check_rmsprop(rmsprop):
    """Six steps on 1-D to 3-D w, mixed gradient scales; the cache at every step."""
    _check_rule("rmsprop", rmsprop, {"learning_rate": 0.02, "decay_rate": 0.7, "epsilon": 1e-6},
                ("cache",))


def check_adadelta(adadelta):
    """Six steps on 1-D to 3-D w and both averages; 30 steps of a constant gradient."""
    _check_rule("adadelta", adadelta, {"decay_rate": 0.8, "epsilon": 1e-3},
                ("mean_sq_grad", "mean_sq_step"))
    # With a constant gradient, Zeiler's steps grow as the average of past steps builds up.
    ref = reference(ASSIGNMENT)
    w = ref_w = np.zeros(3)
    config = ref_config = None
    dw = np.array([1.0, -20.0, 0.05])
    for _ in range(30):
        w, config = adadelta(w, dw, config)
        ref_w, ref_config = ref.adadelta(ref_w, dw, ref_config)
    check_close(w, ref_w, "w after 30 steps of adadelta with the constant gradient [1, -20, 0.05]",
                hint="The steps must grow from about sqrt(epsilon / (1 - rho)) as the average of "
                     "the squared steps builds up; each step reads the averages the previous "
                     "step returned.")


def _adam_forms(ref_rule):
    return {"Algorithm 1": ref_rule,
            "the folded form (epsilon added to the uncorrected sqrt(v))": folded_epsilon(ref_rule)}


def _check_dead_parameters(name, rule):
    """Parameters whose gradient is always 0 (weights into a dead unit) stay put, with no NaN."""
    rng = np.random.default_rng(8200)
    w = rng.standard_normal((3, 4))
    alive = np.array([1.0, 0.0, 1.0, 0.0])
    config = None
    for step in range(1, 4):
        dw = rng.standard_normal((3, 4)) * alive
        w_before = w
        w, config = call_unmutated(rule, w, dw, config)
        check_close(np.asarray(w)[:, alive == 0], w_before[:, alive == 0],
                    f"the parameters whose gradient is 0, after step {step} of {name} "
                    "(config=None)",
                    hint="With a gradient of 0 at every step, m = v = 0: the parameter must not "
                         "move, and epsilon, added after the square root, keeps 0 / 0 away.")


def check_adam(adam):
    """Six steps (either epsilon placement), m, v, t; dead units; resuming at t = 41."""
    ref = reference(ASSIGNMENT)
    forms = _adam_forms(ref.adam)
    _check_rule("adam", adam, {"learning_rate": 0.02, "beta1": 0.7, "beta2": 0.95},
                ("m", "v", "t"), forms=forms)
    _check_dead_parameters("adam", adam)
    # Resuming from a saved state: t is read from config, not assumed to start at 0.
    rng = np.random.default_rng(8100)
    w, dw = rng.standard_normal(5), rng.standard_normal(5) * 1e-3
    state = {"m": rng.standard_normal(5) * 1e-4, "v": rng.random(5) * 1e-6, "t": 41}
    next_w, config = call_unmutated(adam, w, dw, dict(state))
    check_true(config.get("t") == 42, "adam resumed with config['t'] = 41 should return t = 42.")
    if not any(_close(next_w, form(w, dw, dict(state))[0]) for form in forms.values()):
        check_close(next_w, ref.adam(w, dw, dict(state))[0], "w after adam resumed at t = 41",
                    hint="Bias-correct with beta ** t for the incremented t read from config.")


def check_nadam(nadam):
    """Six steps (either epsilon placement), m, v and t each step; dead units stay put."""
    _check_rule("nadam", nadam, {"learning_rate": 0.02, "beta1": 0.7, "beta2": 0.95},
                ("m", "v", "t"), forms=_adam_forms(reference(ASSIGNMENT).nadam))
    _check_dead_parameters("nadam", nadam)


def check_schedules(step_decay, cosine):
    """Epochs 0..60 and steps 0..259 as arrays, the boundaries, clamping at the end."""
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
