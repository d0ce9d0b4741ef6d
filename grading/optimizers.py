"""Hidden tests of notebook 08 (optimizers). Each takes the student's function(s).

Every update rule runs several steps, feeding back the config it returned, and is compared with
the reference after each call, on parameters of several shapes (a size-1 one included), float32
parameters (the dtype is kept: layers.py's parameters are float32), parameters given as views
(transposed, strided, Fortran order), and two parameter arrays updated in turn, each with its own
config, as a training loop does: a rule that only gets the first step right (state not stored,
not accumulated, t not incremented, state kept outside config) fails, and says on which call.
"""
import numpy as np

from dlcourse.testing import (
    TOLERANCES,
    call_on,
    call_unmutated,
    check_close,
    check_dtype,
    check_true,
    describe,
    missing_keys,
)

from . import reference
from .inputs import layouts

ASSIGNMENT = "08_optimizers"
_PROMOTION_HINT = ("float32 parameters must stay float32: np.zeros(w.shape), w.astype(float), "
                   "or np.sqrt / np.power / np.float64 of a Python number (a float64 numpy "
                   "scalar) promote the result to float64; use np.zeros_like(w), ** 0.5 or "
                   "plain Python arithmetic on the hyperparameters.")


def _close(got, expected):
    """Whether the student's array equals the reference up to rounding (no message)."""
    got, expected = np.asarray(got), np.asarray(expected)
    if got.shape != expected.shape or not np.issubdtype(got.dtype, np.number):
        return False
    rtol, atol = TOLERANCES[np.dtype(np.float32 if np.float32 in (got.dtype, expected.dtype)
                                     else np.float64)]
    return bool(np.allclose(got, expected, rtol=rtol, atol=atol))


def folded_epsilon(ref_rule):
    """``ref_rule`` (adam, nadam, adamw) in the folded form of Kingma and Ba (end of their §2),
    where epsilon is added to the uncorrected sqrt(v): that is the rule with
    epsilon / sqrt(1 - beta2 ** t) in place of epsilon, t being the count of this step."""
    def rule(w, dw, config=None):
        _, probe = ref_rule(w, dw, dict(config or {}))       # the defaults and this step's t
        scaled = float(probe["epsilon"] / np.sqrt(1 - probe["beta2"] ** probe["t"]))
        next_w, next_config = ref_rule(w, dw, {**(config or {}), "epsilon": scaled})
        next_config["epsilon"] = probe["epsilon"]
        return next_w, next_config
    return rule


def _ordinal(n):
    return f"{n}{'st' if n == 1 else 'nd' if n == 2 else 'rd' if n == 3 else 'th'}"


class _Run:
    """One parameter array updated by the student's rule and by each accepted form of the
    reference, side by side, call after call."""

    def __init__(self, name, rule, forms, w, config, label, dtype):
        self.name, self.rule, self.forms, self.label, self.dtype = name, rule, forms, label, dtype
        self.w, self.config = w, config
        self.paths = {form: (w, None if config is None else dict(config)) for form in forms}
        self.calls = 0

    def step(self, dw, state_keys, hyperparameters):
        self.calls += 1
        call = f"its {_ordinal(self.calls)} call"
        where = f"{self.name} on {self.label}, after {call}"
        w, config = call_on(f"{self.label} ({call})", self.rule, self.w, dw, self.config)
        self.paths = {form: self.forms[form](path_w, dw, path_config)
                      for form, (path_w, path_config) in self.paths.items()}
        ref_w, ref_config = next(iter(self.paths.values()))
        check_true(isinstance(config, dict),
                   f"{self.name} must return (next_w, config) with config a dict; on "
                   f"{self.label} its {_ordinal(self.calls)} call returned a "
                   f"{type(config).__name__} as config.")
        again = ("Each call must start from the state the previous call returned in config "
                 "(and keep nothing elsewhere: each parameter array has its own config)."
                 if self.calls > 1 else "")
        for key in state_keys:
            check_true(key in config, f"{self.name} must keep its state in config[{key!r}]; "
                       f"the config returned by {call} on {self.label}: "
                       f"{missing_keys(config, state_keys)}.")
            check_close(config[key], ref_config[key], f"config[{key!r}] of {where}",
                        hint=again)
            if self.dtype is not None and key != "t":
                check_dtype(config[key], self.dtype, f"config[{key!r}] of {where}",
                            hint=_PROMOTION_HINT)
        matching = {form: path for form, path in self.paths.items() if _close(w, path[0])}
        if not matching:
            compared = (f" (compared with {next(iter(self.paths))}; your steps match none of "
                        f"the accepted forms: {', '.join(self.paths)})"
                        if len(self.paths) > 1 else "")
            check_close(w, ref_w, f"w of {where}{compared}",
                        hint="Steps after the first use the state returned by the call before: "
                             "is it updated and returned in config?" if self.calls > 1 else "")
        if self.dtype is not None:
            check_dtype(w, self.dtype, f"next_w of {where}", hint=_PROMOTION_HINT)
        self.paths = matching
        for key, value in hyperparameters.items():
            check_true(config.get(key) == value,
                       f"{self.name} changed the hyperparameter config[{key!r}] to "
                       f"{describe(config.get(key))} on {call}; it should stay {value!r}.")
        self.w, self.config = w, config


def _gradient(rng, shape, dtype=np.float64):
    return (rng.standard_normal(shape) * rng.choice([0.01, 1.0, 30.0], size=shape)).astype(dtype)


def _check_rule(name, rule, hyperparameters, state_keys, n_steps=6, forms=None,
                assignment=ASSIGNMENT):
    """Run `rule` and the reference side by side for n_steps calls on parameters of several
    shapes, from config=None and from `hyperparameters`; float32 parameters; views; and two
    parameter arrays updated in turn, each with its own config.

    forms: {description: reference rule} when several forms of the rule are accepted (Adam's two
    placements of epsilon); each keeps its own path, and the student's steps must follow one of
    them from start to end. The state (state_keys) is the same in every form.
    """
    ref_rule = getattr(reference(assignment), name)
    forms = forms or {"the reference": ref_rule}
    rng = np.random.default_rng(8000)
    cases = [((4, 5), None, np.float64, "w of shape (4, 5), config=None", n_steps),
             ((7,), hyperparameters, np.float64, f"w of shape (7,), config={hyperparameters}",
              n_steps),
             ((2, 3, 2), hyperparameters, np.float64,
              f"w of shape (2, 3, 2), config={hyperparameters}", n_steps),
             ((1, 1), hyperparameters, np.float64, "a size-1 w of shape (1, 1)", 2),
             ((3, 5), hyperparameters, np.float32, "a float32 w of shape (3, 5)", 3)]
    for shape, config, dtype, label, steps in cases:
        run = _Run(name, rule, forms, rng.standard_normal(shape).astype(dtype),
                   None if config is None else dict(config), label,
                   np.float32 if dtype == np.float32 else None)
        for _ in range(steps):
            run.step(_gradient(rng, shape, dtype), state_keys,
                     {} if config is None else config)
    # Parameters and gradients given as views or in Fortran order (two calls each: the second
    # starts from state arrays the rule built for a view).
    matrix, volume = rng.standard_normal((5, 3)), rng.standard_normal((2, 3, 4))
    views = [("a transposed (5, 3) view", np.ascontiguousarray(matrix.T).T),
             ("a reversed (5, 3) view (negative strides)", np.flip(np.flip(matrix).copy())),
             ("a Fortran-order (2, 3, 4) array", np.asfortranarray(volume))]
    for what, w in views:
        run = _Run(name, rule, forms, w, dict(hyperparameters), f"w given as {what}", None)
        for step in range(2):
            _, dw = [*layouts(_gradient(rng, w.shape))][step]
            run.step(dw, state_keys, hyperparameters)
    # Two parameter arrays, each with its own config, updated in turn (as `train` does).
    first = _Run(name, rule, forms, rng.standard_normal((3, 4)), None,
                 "the first of two parameter arrays updated in turn, each with its own config",
                 None)
    second = _Run(name, rule, forms, rng.standard_normal((3, 4)), None,
                  "the second of two parameter arrays updated in turn, each with its own config",
                  None)
    for _ in range(2):
        for run in (first, second):
            run.step(_gradient(rng, (3, 4)), state_keys, {})


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


def _schedule_inputs(rng):
    """(description, epochs or steps) of every kind the docstrings allow: Python and numpy ints,
    int arrays of 1 and 2 axes, an int32 array, a reversed view and an empty array."""
    grid = rng.integers(0, 70, size=(3, 4))
    yield "a Python int", 23
    yield "a numpy int64 scalar", np.int64(41)
    yield "an int64 array of shape (61,)", np.arange(0, 61)
    yield "an int64 array of shape (3, 4)", grid
    yield "an int32 array of shape (3, 4)", grid.astype(np.int32)
    yield "a reversed (61,) view (negative strides)", np.arange(0, 61)[::-1]
    yield "an empty int64 array of shape (0,)", np.arange(0)


def _check_schedule(function, ref_function, args, what):
    """function(lr0, epochs, *rest) on ``what``: the reference's values, a float (an ndim-0
    result) for an int, a float array shaped like an array."""
    lr0, epochs, *rest = args
    name = function.__name__
    got = call_on(what, function, lr0, epochs, *rest)
    label = f"{name}({lr0}, {', '.join(map(str, ['epochs', *rest]))}) on {what}"
    check_close(got, ref_function(*args), label, dtype=np.floating,
                hint="An int gives one float, an array gives a float array of its shape: build "
                     "the result with numpy operations on np.asarray(epoch) (an array made with "
                     "np.zeros_like of an int array holds ints).")


def check_schedules(step_decay, cosine):
    """Epochs 0..60 and steps 0..259 as arrays, the boundaries, clamping at the end; Python and
    numpy ints, 2-D, int32, reversed and empty arrays, the result's dtype."""
    ref = reference(ASSIGNMENT)
    epochs = np.arange(0, 61)
    for lr0, drop, every in ((0.3, 0.1, 20), (1e-3, 0.5, 1), (0.05, 0.9, 7)):
        check_close(call_on("an int64 array of shape (61,)", step_decay, lr0, epochs, drop,
                            every),
                    ref.step_decay(lr0, epochs, drop, every),
                    f"step_decay({lr0}, epochs 0..60, drop={drop}, every={every})",
                    dtype=np.floating)
    check_close(step_decay(0.2, 19, every=20), 0.2, "step_decay(0.2, 19, every=20) (last epoch "
                "before the first drop)", hint="Epochs count from 0: the first drop is at "
                                               "epoch == every.")
    check_close(step_decay(0.2, 20, every=20), 0.1, "step_decay(0.2, 20, every=20)")
    steps = np.arange(0, 260)
    for lr0, total, lr_min in ((0.1, 200, 0.0), (3e-4, 17, 1e-5), (1.0, 1, 0.5)):
        check_close(call_on("an int64 array of shape (260,)", cosine, lr0, steps, total, lr_min),
                    ref.cosine(lr0, steps, total, lr_min),
                    f"cosine({lr0}, steps 0..259, total_steps={total}, lr_min={lr_min})",
                    dtype=np.floating,
                    hint="Clamp the step at total_steps: the rate stays at lr_min afterwards.")
    check_close(cosine(0.4, 0, 50, 0.1), 0.4, "cosine at step 0 (should be lr0)")
    check_close(cosine(0.4, 50, 50, 0.1), 0.1, "cosine at step total_steps (should be lr_min)")
    check_close(cosine(0.4, 25, 50, 0.1), 0.25, "cosine halfway (should be (lr0 + lr_min) / 2)")
    for what, epochs in _schedule_inputs(np.random.default_rng(8300)):
        _check_schedule(step_decay, ref.step_decay, (0.3, epochs, 0.5, 9), what)
        _check_schedule(cosine, ref.cosine, (0.3, epochs, 50, 0.01), what)
