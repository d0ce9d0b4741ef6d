"""Hidden tests of notebook 09 (regularisation). Each takes the student's function(s) or class.

Inputs of every kind the docstrings allow (float32 kept, views and Fortran order, 1-D to 4-D
arrays, a batch of one), repeated calls of stateful code (two EarlyStopping instances in turn,
calls after a stop, a backward called twice on one cache), and the random parts judged by exact
invariants and joint distributions under seeded generators: dropout's mask values, rate and
independence; augment's shifts (exact, 0 fill, every (d_r, d_c) pair) and rotations (about the
exact centre of non-square images, nearest neighbour, uniform angles).
"""
import numpy as np

from dlcourse.testing import (
    call_on,
    call_unmutated,
    check_backward,
    check_close,
    check_dtype,
    check_equal,
    check_true,
    describe_shape,
)

from . import reference
from .inputs import layouts

ASSIGNMENT = "09_regularization"


def check_l2_penalty(l2_penalty):
    """Several arrays of 1 to 4 axes, a 1x1 and an empty one, a large reg, float32 arrays (kept),
    views, and no arrays at all (loss 0); the loss is a float."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(9001)
    cases = [(((5, 4), (4,), (4, 3)), 1e-3, np.float64), (((1, 1),), 2.5, np.float64),
             (((30, 20),), 0.3, np.float64), (((3, 2, 4, 5), (7,)), 0.05, np.float64),
             (((0, 3), (2, 3)), 0.5, np.float64), (((6, 3), (3,)), 0.2, np.float32)]
    for shapes, reg, dtype in cases:
        params = {f"W{i}": rng.standard_normal(shape).astype(dtype)
                  for i, shape in enumerate(shapes)}
        kind = "float32 arrays" if dtype == np.float32 else "arrays"
        label = f"l2_penalty of {kind} of shapes {list(shapes)}, reg={reg}"
        loss, grads = call_on(label.removeprefix("l2_penalty of "), l2_penalty, params, reg)
        ref_loss, ref_grads = ref.l2_penalty(params, reg)
        check_true(np.ndim(loss) == 0, f"the loss of {label} should be one float, not an array "
                   f"of shape {describe_shape(np.shape(loss), ())}.")
        check_close(loss, ref_loss, f"the loss of {label}", dtype=np.floating,
                    hint="0.5 * reg * the sum of the squares of every entry of every array.")
        check_true(isinstance(grads, dict) and set(grads) == set(params),
                   f"grads must have the keys of params, {sorted(params)}.")
        for name in params:
            check_close(grads[name], ref_grads[name], f"grads[{name!r}] of {label}",
                        dtype=dtype, hint="grads[name] = reg * W keeps the dtype of W.")
    for what, W in layouts(rng.standard_normal((4, 3, 5))):
        loss, grads = call_on(f"an array given as {what}", l2_penalty, {"W": W}, 0.7)
        ref_loss, ref_grads = ref.l2_penalty({"W": np.ascontiguousarray(W)}, 0.7)
        check_close(loss, ref_loss, f"the loss of l2_penalty of an array given as {what}")
        check_close(grads["W"], ref_grads["W"], f"grads['W'] of l2_penalty of an array given "
                    f"as {what}")
    loss, grads = l2_penalty({}, 0.1)
    check_close(loss, 0.0, "l2_penalty of no arrays (an empty dict)")


def _dropout_inputs(rng):
    """Inputs with no entry near 0, so that a mask can be read back as out / x."""
    def draw(shape):
        z = rng.standard_normal(shape)
        return np.where(np.abs(z) < 0.1, 0.5, z)
    return (("a (50, 40) array", draw((50, 40)), 0.3),
            ("a (3, 4, 5) array", draw((3, 4, 5)), 0.9),
            ("a (10, 7) array", draw((10, 7)), 0.0),
            ("a 1-D (13,) array", draw(13), 0.5),
            ("a float32 (6, 9) array", draw((6, 9)).astype(np.float32), 0.4),
            *((what, view, 0.5) for what, view in layouts(draw((7, 6)))),
            ("a Fortran-order (3, 4, 5) array", np.asfortranarray(draw((3, 4, 5))), 0.2))


def _check_mask_statistics(forward, scale, name):
    """Train mode on ones (400, 300), p = 0.3: every value is 0 or `scale(p)`, the drop rate
    is p, and the units are dropped independently (no whole rows, columns or repeated masks)."""
    p, n_rows, n_cols = 0.3, 400, 300
    out, _ = call_on("a (400, 300) array of ones, train mode", forward, np.ones((n_rows, n_cols)),
                     {"p": p, "mode": "train", "rng": np.random.default_rng(9010)})
    out = np.asarray(out, dtype=np.float64)
    label = f"{name} in train mode with p={p} on a (400, 300) array of ones"
    kept = scale(p)
    values = np.isclose(out, 0) | np.isclose(out, kept)
    check_true(bool(values.all()),
               f"{label}: every output should be 0 (dropped) or {kept:.4g} (kept"
               + (", divided by 1 - p)" if kept != 1 else ", as it is)") + f", but "
               f"{np.count_nonzero(~values)} values are neither.")
    dropped = np.isclose(out, 0)
    rate = dropped.mean()
    sigma = np.sqrt(p * (1 - p) / dropped.size)
    check_true(abs(rate - p) < 6 * sigma,
               f"{label}: {rate:.1%} of the units were dropped, expected {p:.0%}: p is the "
               "probability of dropping a unit (drop where u < p).")
    for axis, what in ((1, "rows (examples)"), (0, "columns (units)")):
        per_line = dropped.mean(axis=axis)
        # Independent units: each row's rate has variance p (1 - p) / length.
        spread = per_line.var() / (p * (1 - p) / dropped.shape[axis])
        check_true(0.6 < spread < 1.6,
                   f"{label}: the share of dropped units varies {spread:.1f} times as much "
                   f"as it should from one of the {what} to the next: draw one independent "
                   "number per unit, u = rng.random(x.shape), not one per row or column.")
    check_true(not any(np.array_equal(dropped[0], row) for row in dropped[1:4]),
               f"{label}: several rows got the same mask: every example needs its own mask "
               "(u = rng.random(x.shape), the whole shape).")


def check_dropout_forward(dropout_forward):
    """Mask statistics (values, rate, independence); then 1-D to 3-D x, float32 kept, views and
    Fortran order, p = 0.9 and 0: the given rng's draws exactly; test mode as is; the rng."""
    ref = reference(ASSIGNMENT)
    _check_mask_statistics(dropout_forward, lambda p: 1 / (1 - p), "dropout_forward")
    rng = np.random.default_rng(9002)
    for what, x, p in _dropout_inputs(rng):
        label = f"dropout_forward on {what}, p={p}"
        param = {"p": p, "mode": "train", "rng": np.random.default_rng(7)}
        out, _ = call_on(f"{what}, train mode", dropout_forward, x, param)
        ref_out, _ = ref.dropout_forward(x, {"p": p, "mode": "train",
                                             "rng": np.random.default_rng(7)})
        check_close(out, ref_out, f"{label}, train mode (a fresh rng)", dtype=x.dtype,
                    hint="u = rng.random(x.shape), drop where u < p, scale the rest by "
                         "1 / (1 - p); out has the dtype of x (a mask of bools divided by "
                         "1 - p is float64: convert it with .astype(x.dtype) first).")
        out, _ = call_on(f"{what}, test mode", dropout_forward, x,
                         {"p": p, "mode": "test", "rng": np.random.default_rng(7)})
        check_close(out, x, f"{label}, test mode", dtype=x.dtype, hint="Test mode is the "
                    "identity.")
    x = np.ones((100, 100))
    first, _ = dropout_forward(x, {"p": 0.5, "mode": "train", "rng": np.random.default_rng(1)})
    second, _ = dropout_forward(x, {"p": 0.5, "mode": "train", "rng": np.random.default_rng(2)})
    check_true(not np.array_equal(first, second),
               "Two different rng seeds gave the same dropout mask: draw the mask from "
               "dropout_param['rng'].")


def check_dropout_backward(dropout_forward, dropout_backward):
    """1-D to 3-D x, float32, views, p = 0.9 and 0: the forward's mask; called twice on one cache
    (same dx); test mode passes dout."""
    rng = np.random.default_rng(9003)
    for what, x, p in _dropout_inputs(rng):
        dout = rng.standard_normal(x.shape).astype(x.dtype)
        out, cache = dropout_forward(x, {"p": p, "mode": "train", "rng": np.random.default_rng(3)})
        mask = np.asarray(out, dtype=np.float64) / x
        label = f"dx of dropout_backward for x given as {what}, p={p}, train mode"
        for call in ("first", "second"):
            dx = call_on(f"{what} ({call} call on one cache)", dropout_backward, dout, cache)
            check_close(dx, dout * mask, f"{label}, {call} call on the same cache",
                        dtype=x.dtype,
                        hint="dx = dout * mask, with the mask of the forward pass (0 or "
                             "1 / (1 - p)); never modify the cache: a backward may be called "
                             "again on it, and must give the same dx.")
        _, cache = dropout_forward(x, {"p": p, "mode": "test", "rng": np.random.default_rng(3)})
        check_close(call_on(f"{what}, test mode", dropout_backward, dout, cache), dout,
                    f"dx of dropout_backward for x given as {what}, test mode")


def check_vanilla_dropout_forward(vanilla_dropout_forward):
    """Mask statistics; 1-D to 3-D x, float32 kept, views, p = 0.9 and 0, the rng's draws; test
    mode; two rngs, two masks."""
    ref = reference(ASSIGNMENT)
    _check_mask_statistics(vanilla_dropout_forward, lambda p: 1.0, "vanilla_dropout_forward")
    rng = np.random.default_rng(9008)
    for what, x, p in _dropout_inputs(rng):
        label = f"vanilla_dropout_forward on {what}, p={p}"
        for mode in ("train", "test"):
            out, _ = call_on(f"{what}, {mode} mode", vanilla_dropout_forward, x,
                             {"p": p, "mode": mode, "rng": np.random.default_rng(7)})
            ref_out, _ = ref.vanilla_dropout_forward(
                x, {"p": p, "mode": mode, "rng": np.random.default_rng(7)})
            check_close(out, ref_out, f"{label}, {mode} mode",
                        dtype=x.dtype,
                        hint="u = rng.random(x.shape), drop where u < p, keep the rest unscaled; "
                             "out has the dtype of x." if mode == "train" else
                             "At test time each unit gives its average training-time value: it "
                             "was kept with probability 1 - p. out has the dtype of x.")
    x = np.ones((100, 100))
    first, _ = vanilla_dropout_forward(x, {"p": 0.5, "mode": "train",
                                           "rng": np.random.default_rng(1)})
    second, _ = vanilla_dropout_forward(x, {"p": 0.5, "mode": "train",
                                            "rng": np.random.default_rng(2)})
    check_true(not np.array_equal(first, second),
               "Two different rng seeds gave the same dropout mask: draw the mask from "
               "dropout_param['rng'].")


def check_adamw(adamw):
    """Six calls from config=None and given, float32 kept, views, two parameter arrays in turn;
    pure decay with dw = 0; no decay at all."""
    from .optimizers import _adam_forms, _check_rule
    ref = reference(ASSIGNMENT)
    _check_rule("adamw", adamw, {"learning_rate": 0.02, "beta1": 0.7, "beta2": 0.95,
                                 "weight_decay": 0.3},
                ("m", "v", "t"), forms=_adam_forms(ref.adamw), assignment=ASSIGNMENT)
    rng = np.random.default_rng(9009)
    w = rng.standard_normal((5, 3))
    for learning_rate, weight_decay in ((0.05, 2.0), (1e-3, 1e-2)):
        next_w, config = w, {"learning_rate": learning_rate, "weight_decay": weight_decay}
        for _ in range(5):
            next_w, config = call_unmutated(adamw, next_w, np.zeros_like(w), config)
        check_close(next_w, w * (1 - learning_rate * weight_decay) ** 5,
                    f"w after 5 calls of adamw with dw = 0 (learning_rate={learning_rate}, "
                    f"weight_decay={weight_decay})",
                    hint="With no data gradient each weight shrinks by 1 - learning_rate * "
                         "weight_decay per step: the decay must not go through m and v.")
    dw = rng.standard_normal((5, 3))
    got, _ = call_unmutated(adamw, w, dw, {"weight_decay": 0.0})
    check_close(got, ref.adamw(w, dw, {"weight_decay": 0.0})[0],
                "adamw with weight_decay=0 (it must be Adam's step)")


def _run_early_stopping(cls, losses, patience, min_delta, seed):
    params = {"W": np.random.default_rng(seed).standard_normal((3, 2)), "b": np.zeros(2)}
    stopper = cls(patience, min_delta) if min_delta else cls(patience)
    stops = []
    for loss in losses:
        stops.append(bool(call_unmutated(stopper.step, float(loss), params)))
        params["W"] += 0.1          # in place, as the training loop does
        params["b"] -= 1.0
    return stopper, np.array(stops)


def check_early_stopping(EarlyStopping, LinearModel):
    """Five loss sequences, each stepped on after the stop: ties, min_delta, patience 1; best
    params copied, also when they are a model's own arrays changed in place; two instances
    stepped in turn; float32 and transposed parameters."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(9004)
    fresh = EarlyStopping(3)
    check_true(fresh.best_epoch is None and fresh.best_loss == np.inf,
               "Before the first step, best_loss must be np.inf and best_epoch None.")
    cases = [("20 random losses with ties", np.round(rng.uniform(0.5, 1.0, size=20), 2), 3, 0.0),
             ("10 losses with plateaus (ties)",
              np.array([0.9, 0.8, 0.8, 0.8, 0.7, 0.6, 0.6, 0.65, 0.61, 0.6]), 2, 0.0),
             ("8 losses, some improvements smaller than min_delta",
              np.array([1.0, 0.9, 0.85, 0.84, 0.7, 0.69, 0.68, 0.5]), 2, 0.05),
             ("12 steadily falling losses", np.linspace(1.0, 0.1, 12), 1, 0.0),
             ("6 losses rising, then a new best, then rising",
              np.array([0.5, 0.6, 0.7, 0.8, 0.4, 0.9]), 1, 0.0)]
    for seed, (what, losses, patience, min_delta) in enumerate(cases):
        stopper, stops = _run_early_stopping(EarlyStopping, losses, patience, min_delta, seed)
        expected, ref_stops = _run_early_stopping(ref.EarlyStopping, losses, patience, min_delta,
                                                  seed)
        label = f"{what}, patience={patience}, min_delta={min_delta}"
        check_equal(stops, ref_stops, f"step()'s answers, call by call, for {label}",
                    hint="An epoch improves when val_loss < best_loss - min_delta (equal is no "
                         "improvement); stop once `patience` epochs in a row did not improve, "
                         "and keep answering True on later calls until an epoch improves.")
        check_equal(stopper.best_epoch, expected.best_epoch, f"best_epoch for {label}")
        check_close(stopper.best_loss, expected.best_loss, f"best_loss for {label}")
        for name in ("W", "b"):
            check_close(stopper.best_params[name], expected.best_params[name],
                        f"best_params[{name!r}] for {label}",
                        hint="Store copies: the arrays of params keep changing in place.")
    # The arrays of a model, changed in place after the step, as training does. The model is
    # built where the student's code runs and hands step() its own arrays: arguments sent from
    # the grader are fresh copies, which would hide a stored reference or a dict(params).
    model = LinearModel(rng.standard_normal((3, 2)), rng.standard_normal(2))
    best = {"W": np.array(model.W), "b": np.array(model.b)}
    stopper = EarlyStopping(2)
    model.call_with_params(stopper.step, 0.5)
    model.shift(1.0)
    model.call_with_params(stopper.step, 0.7)
    for name in ("W", "b"):
        check_close(stopper.best_params[name], best[name],
                    f"best_params[{name!r}] after the model's arrays changed in place",
                    hint="Store copies of the arrays ({k: v.copy() for k, v in params.items()}): "
                         "dict(params) copies the dict but shares its arrays, which the training "
                         "loop keeps changing in place.")
    # Two instances stepped in turn (one per model): each keeps its own state.
    losses = {"first": [0.9, 0.5, 0.6, 0.7, 0.8], "second": [0.4, 0.3, 0.2, 0.35, 0.1]}
    stoppers = {name: EarlyStopping(2) for name in losses}
    references = {name: ref.EarlyStopping(2) for name in losses}
    params = {"W": np.arange(6.0).reshape(3, 2)}
    for epoch in range(5):
        for name in losses:
            got = call_unmutated(stoppers[name].step, losses[name][epoch], params)
            want = references[name].step(losses[name][epoch], params)
            check_true(bool(got) == bool(want),
                       f"Two EarlyStopping(2) instances stepped in turn: the {name}'s call "
                       f"{epoch + 1} returned {bool(got)}, expected {bool(want)}: each instance "
                       "keeps its own state in attributes of self (set in __init__), never in "
                       "the class or in globals.")
    # float32 and transposed parameter arrays: the copies keep their dtype and values (that they
    # are copies, not references, is judged above, on the model's own arrays).
    stopper = EarlyStopping(1)
    W = rng.standard_normal((4, 3)).astype(np.float32)
    params = {"W": W.T, "b": np.zeros(3, np.float32)}
    best = {name: array.copy() for name, array in params.items()}
    call_on("float32 parameters given as a transposed view", stopper.step, 0.5, params)
    for name in ("W", "b"):
        check_close(stopper.best_params[name], best[name],
                    f"best_params[{name!r}] after one call with float32 parameters given as a "
                    "transposed view", dtype=np.float32,
                    hint="Store copies (W.copy()) of the arrays, of their dtype.")


def _bn_inputs(rng):
    return (("x of shape (16, 5)", rng.normal(3.0, 2.0, size=(16, 5)), {"mode": "train"}),
            ("x of shape (7, 3)", rng.normal(-1.0, 0.5, size=(7, 3)),
             {"mode": "train", "momentum": 0.5, "eps": 1e-3}),
            ("x of shape (2, 6)", rng.normal(0.0, 10.0, size=(2, 6)),
             {"mode": "train", "momentum": 0.99}),
            ("a batch of one, x of shape (1, 4)", rng.normal(size=(1, 4)), {"mode": "train"}),
            ("x given as a transposed (6, 3) view", rng.normal(size=(3, 6)).T,
             {"mode": "train"}),
            ("a float32 x of shape (9, 4)", rng.normal(1.0, 3.0, size=(9, 4)).astype(np.float32),
             {"mode": "train", "momentum": 0.8}))


def check_batchnorm_forward(batchnorm_forward):
    """Three training batches, then test mode on 5 examples and on one: running averages over
    the calls, momentum and eps; a batch of one; a view; float32 kept in train mode."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(9006)
    for what, x, bn_param in _bn_inputs(rng):
        n, d = x.shape
        gamma, beta = rng.normal(size=d).astype(x.dtype), rng.normal(size=d).astype(x.dtype)
        param, ref_param = dict(bn_param), dict(bn_param)
        for call in range(1, 4):  # three training batches, then the test mode
            x_batch = x + rng.normal(scale=0.5, size=x.shape).astype(x.dtype)
            if "transposed" in what:
                x_batch = np.ascontiguousarray(x_batch.T).T
            out, _, param = call_on(what, batchnorm_forward, x_batch, gamma, beta, param)
            ref_out, _, ref_param = ref.batchnorm_forward(x_batch, gamma, beta, ref_param)
            label = (f"batchnorm_forward, training batch {call} (call {call}, given the "
                     f"bn_param the previous call returned), {what}, {bn_param}")
            check_close(out, ref_out, f"out of {label}", batch_size=n,
                        dtype=x.dtype if x.dtype == np.float32 else None,
                        hint="In train mode out has the dtype of x: float32 stays float32."
                        if x.dtype == np.float32 else "")
            for key in ("running_mean", "running_var"):
                check_close(param[key], ref_param[key], f"next_bn_param[{key!r}] after {label}",
                            hint="Start from the running statistics of the bn_param passed in, "
                                 "and return the updated ones.")
        for n_test in (5, 1):
            x_test = rng.normal(size=(n_test, d))
            test_param = dict(param, mode="test")
            out, _, next_param = call_on(f"{n_test} example(s) in test mode", batchnorm_forward,
                                         x_test, gamma, beta, test_param)
            ref_out, _, _ = ref.batchnorm_forward(x_test, gamma, beta,
                                                  dict(ref_param, mode="test"))
            check_close(out, ref_out, f"out of batchnorm_forward in test mode on {n_test} "
                        f"example(s) of {d} features, after 3 training calls on {what}",
                        hint="Test mode normalises with the running statistics.")
            check_close(next_param["running_var"], param["running_var"],
                        "running_var after a test-mode call (must not change)")


def check_batchnorm_backward(batchnorm_forward, batchnorm_backward):
    """N = 1 to 16, a view, float32 kept, momentum and eps given; columns of dx sum to 0; the
    same dx on a second call with the same cache."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(9007)
    for what, x, bn_param in _bn_inputs(rng):
        d = x.shape[1]
        gamma, beta = rng.normal(size=d).astype(x.dtype), rng.normal(size=d).astype(x.dtype)
        dout = rng.normal(size=x.shape).astype(x.dtype)
        _, cache, _ = batchnorm_forward(x, gamma, beta, bn_param)
        _, ref_cache, _ = ref.batchnorm_forward(x, gamma, beta, bn_param)
        ref_grads = ref.batchnorm_backward(dout, ref_cache)
        for call in ("first", "second"):
            grads = call_on(f"{what} ({call} call on one cache)", batchnorm_backward, dout,
                            cache)
            check_true(isinstance(grads, tuple) and len(grads) == 3,
                       "batchnorm_backward must return the tuple (dx, dgamma, dbeta).")
            dx = np.asarray(grads[0], dtype=np.float64)
            label = f"for {what}, {call} call on the same cache"
            check_close(dx.sum(axis=0), np.zeros(d), f"the column sums of dx {label}",
                        atol=(1e-4 if x.dtype == np.float32 else 1e-8)
                        * max(1.0, float(np.abs(dout).sum())),
                        hint="Each column of dx must sum to 0 (adding a constant to a column "
                             "of x changes nothing): the path through mu is missing or wrong.")
            for name, got, expected in zip(("dx", "dgamma", "dbeta"), grads, ref_grads,
                                           strict=True):
                check_close(got, expected, f"{name} of batchnorm_backward {label} ({bn_param})",
                            batch_size=x.shape[0],
                            dtype=x.dtype if x.dtype == np.float32 else None,
                            hint="Never modify the arrays of the cache: a backward may be called "
                                 "again on it." if call == "second" else
                                 "The gradients have the dtype of x: float32 stays float32."
                                 if x.dtype == np.float32 else "")
        if x.dtype != np.float64 or x.shape[0] == 1:
            continue  # the numerical gradient needs float64, and N = 1 has a flat output

        def forward(x, gamma, beta, bn_param=bn_param):
            out, cache, _ = batchnorm_forward(x, gamma, beta, bn_param)
            return out, cache
        forward.__name__ = "batchnorm_forward (train mode)"
        check_backward(forward, batchnorm_backward, {"x": x, "gamma": gamma, "beta": beta},
                       rng=rng)


def _shifted(images, d_r, d_c, fill="zero"):
    """``images`` (N, H, W) moved by d_r rows and d_c columns; the uncovered pixels are 0
    ("zero"), the nearest edge pixel ("edge") or wrapped around ("wrap")."""
    if fill == "wrap":
        return np.roll(images, (d_r, d_c), axis=(1, 2))
    _, height, width = images.shape
    rows = np.arange(height) - d_r
    cols = np.arange(width) - d_c
    inside = (((rows >= 0) & (rows < height))[:, None] & ((cols >= 0) & (cols < width))[None, :])
    moved = images[:, np.clip(rows, 0, height - 1)][:, :, np.clip(cols, 0, width - 1)]
    return moved if fill == "edge" else np.where(inside, moved, 0).astype(images.dtype)


def _shifts_of(out, images, max_shift, what):
    """The (d_r, d_c) by which each output image is ``images`` shifted (exactly, 0 outside), for
    shifts up to max_shift + 1 (one more, to tell a range one too wide); fails naming the first
    image that is no such shift, with the likely cause."""
    reach = range(-max_shift - 1, max_shift + 2)
    found = np.full((len(images), 2), 99)
    for d_r in reach:
        for d_c in reach:
            same = np.all(out == _shifted(images, d_r, d_c), axis=(1, 2))
            found[same] = d_r, d_c
    missing = np.flatnonzero(found[:, 0] == 99)
    if missing.size:
        n = missing[0]
        causes = {"wrap": "the pixels that leave on one side come back on the other (np.roll "
                          "wraps): pixels moved in from outside the image must be 0",
                  "edge": "the uncovered border repeats the nearest edge pixel (clipped "
                          "indices): pixels moved in from outside the image must be 0"}
        because = next((cause for fill, cause in causes.items()
                        if any(np.array_equal(out[n], _shifted(images[n:n + 1], d_r, d_c,
                                                               fill)[0])
                               for d_r in reach for d_c in reach)),
                       f"it is no shift by whole pixels of at most {max_shift + 1} along each "
                       "axis, with 0 where pixels come from outside the image")
        check_true(False, f"augment with max_degrees=0 and max_shift={max_shift}, on {what}: "
                   f"image {n} of the output is not its input shifted: {because}.")
    out_of_range = np.abs(found).max(axis=1) > max_shift
    check_true(not out_of_range.any(),
               f"augment with max_shift={max_shift}, on {what}: some images were shifted by "
               f"{max_shift + 1} pixels; shifts go from -max_shift to max_shift.")
    return found


def _check_joint_shifts(shifts, max_shift, what):
    """The pairs (d_r, d_c): every one of the (2s + 1)^2 drawn, independently and uniformly."""
    side = 2 * max_shift + 1
    counts = np.zeros((side, side))
    np.add.at(counts, (shifts[:, 0] + max_shift, shifts[:, 1] + max_shift), 1)
    label = f"the shifts (d_r, d_c) of augment with max_shift={max_shift}, over {what}"
    check_true(len(np.unique(shifts, axis=0)) > 1,
               f"{label}: every image got the same shift; draw one shift per image.")
    check_true(not np.all(shifts[:, 0] == shifts[:, 1]),
               f"{label}: d_r == d_c in every image, so the shift is always diagonal; draw the "
               "row and the column shifts as two independent numbers.")
    check_true(not np.all(shifts[:, 0] == -shifts[:, 1]),
               f"{label}: d_r == -d_c in every image; draw the row and the column shifts as two "
               "independent numbers.")
    never = np.argwhere(counts == 0) - max_shift
    # With 18 or more draws expected per pair, a pair never drawn by chance has odds below 1e-6.
    check_true(never.size == 0 or len(shifts) < 18 * side ** 2,
               f"{label}: {len(never)} of the {side * side} pairs never occurred (for example "
               f"{tuple(int(v) for v in never[0]) if never.size else ''}); each pair of whole "
               "shifts from -max_shift to max_shift should be drawn, with equal chances.")
    expected = len(shifts) / side ** 2
    chi_square = float(((counts - expected) ** 2 / expected).sum())
    # (side^2 - 1) degrees of freedom: 24 for max_shift 2, whose 1e-9 quantile is about 85.
    check_true(chi_square < 4 * side ** 2,
               f"{label}: the pairs are far from equally likely (chi-square {chi_square:.0f} for "
               f"{side ** 2 - 1} degrees of freedom); draw d_r and d_c uniformly and "
               "independently, each from the integers -max_shift..max_shift.")


def _coded(n_images, height, width):
    """Images whose every pixel holds its own number 1 + row * width + col: an output pixel says
    exactly which input pixel it was copied from (0 for none)."""
    return np.broadcast_to(1.0 + np.arange(height * width).reshape(height, width),
                           (n_images, height, width)).copy()


def _fit_maps(out, height, width, what):
    """For each image, the rotation angle and translation (theta, t) that best map the offsets
    of the output pixels to those of the input pixels they were copied from (both measured from
    the image centre), fitted on the pixels copied from inside the image (not its edge), and the
    affine map A that does it without constraint; with the sources and offsets of the pixels."""
    codes = np.rint(out).astype(np.int64)
    check_true(np.array_equal(codes, out) and codes.min() >= 0 and codes.max() <= height * width,
               f"augment on {what}: output pixels must be copies of input pixels (or 0), nearest "
               "neighbour, never averages or interpolations of them.")
    source_row, source_col = np.divmod(codes - 1, width)
    centre = np.array([(height - 1) / 2, (width - 1) / 2])
    rows, cols = np.meshgrid(np.arange(height), np.arange(width), indexing="ij")
    offsets = np.stack([rows - centre[0], cols - centre[1]], axis=-1)                # (H, W, 2)
    sources = np.stack([source_row - centre[0], source_col - centre[1]], axis=-1)   # (N, H, W, 2)
    interior = ((codes > 0) & (source_row > 0) & (source_row < height - 1) & (source_col > 0)
                & (source_col < width - 1)).astype(np.float64)
    count = interior.sum(axis=(1, 2))
    check_true(bool(np.all(count >= 20)),
               f"augment on {what}: an output image holds almost nothing of its input; rotate "
               "about the centre by at most max_degrees.")
    mean_y = np.einsum("nhw,hwi->ni", interior, offsets) / count[:, None]
    mean_s = np.einsum("nhw,nhwi->ni", interior, sources) / count[:, None]
    y = offsets[None] - mean_y[:, None, None, :]
    s = sources - mean_s[:, None, None, :]
    # Procrustes in 2-D: the angle maximising sum(s . R y) over the interior pixels.
    dot = np.einsum("nhw,nhwi,nhwi->n", interior, s, y)
    cross = np.einsum("nhw,nhw->n", interior, s[..., 1] * y[..., 0] - s[..., 0] * y[..., 1])
    angles = np.arctan2(cross, dot)
    cos, sin = np.cos(angles), np.sin(angles)
    rotations = np.stack([np.stack([cos, -sin], -1), np.stack([sin, cos], -1)], -2)
    t = mean_s - np.einsum("nij,nj->ni", rotations, mean_y)
    # The unconstrained affine map, to tell a rotation from a stretch, shear or mirror image.
    weighted = np.einsum("nhw,nhwi,nhwj->nij", interior, y, y)
    A = np.swapaxes(np.linalg.solve(weighted, np.einsum("nhw,nhwi,nhwk->nik", interior, y, s)),
                    1, 2)
    return angles, rotations, t, A, sources, codes > 0, offsets


def _best_angles(angles, shifts, sources, copied, offsets):
    """For each image, the angle within 4 degrees of ``angles`` (steps of 0.05 degree) whose
    rotation about the centre, after undoing ``shifts``, predicts the source of every copied
    pixel best, and the largest distance (in pixels, along rows or columns) between a source and
    its prediction: at most 0.5 (the rounding to the nearest pixel) for a right answer."""
    y = offsets[None] - shifts[:, None, None, :]
    best_error, best_angle = np.full(len(angles), np.inf), angles.copy()
    for delta in np.deg2rad(np.linspace(-4, 4, 161)):
        angle = (angles + delta)[:, None, None]
        cos, sin = np.cos(angle), np.sin(angle)
        error = np.maximum(np.abs(sources[..., 0] - (cos * y[..., 0] - sin * y[..., 1])),
                           np.abs(sources[..., 1] - (sin * y[..., 0] + cos * y[..., 1])))
        error = np.where(copied, error, 0).max(axis=(1, 2))
        better = error < best_error
        best_error[better], best_angle[better] = error[better], (angles + delta)[better]
    return best_angle, best_error


def _check_rotations(augment, rng_seed, max_shift, max_degrees, n_images, height, width, what):
    """augment on coded images: each output must be the nearest-neighbour copy of its input
    rotated about ((H - 1) / 2, (W - 1) / 2) by one angle in [-max_degrees, max_degrees], then
    shifted by whole pixels, 0 where the source is outside the image. Returns the angles (in
    degrees, either sign convention) and the shifts."""
    images = _coded(n_images, height, width)
    out = np.asarray(call_on(what, augment, images, np.random.default_rng(rng_seed), max_shift,
                             max_degrees))
    check_true(out.shape == images.shape, f"augment on {what} returned shape "
               f"{describe_shape(out.shape, images.shape)}, expected {images.shape}.")
    angles, rotations, t, A, sources, copied, offsets = _fit_maps(out, height, width, what)
    label = f"augment with max_shift={max_shift}, max_degrees={max_degrees}, on {what}"
    flipped = np.abs(A - rotations).max(axis=(1, 2)) > 0.3
    check_true(not flipped.any(),
               f"{label}: image {np.argmax(flipped)} is not a rotation of its input (it is "
               "stretched, sheared or mirrored): use the same angle for rows and columns, with "
               "the formula of the text, and the height for rows, the width for columns.")
    # t = -R d: the shift d, undone by the rotation, must be whole pixels.
    shifts = -np.einsum("nji,nj->ni", rotations, t)
    if max_shift == 0:
        off = np.abs(shifts).max(axis=1)
        check_true(bool(np.all(off < 0.25)),
                   f"{label}: image {np.argmax(off)} was not rotated about the image centre: its "
                   "content is displaced. Rotate about ((H - 1) / 2, (W - 1) / 2), rows and "
                   "columns each with their own length, and copy the nearest pixel (round the "
                   "source position with np.rint: astype(int) truncates towards 0).")
    off = np.abs(shifts - np.rint(shifts)).max(axis=1)
    check_true(bool(np.all(off < 0.25)),
               f"{label}: image {np.argmax(off)} was not rotated about the image centre and then "
               "shifted by whole pixels: rotate first, about ((H - 1) / 2, (W - 1) / 2), then "
               "shift (the text undoes the shift before the rotation).")
    shifts = np.rint(shifts).astype(int)
    angles, error = _best_angles(angles, shifts, sources, copied, offsets)
    bad = error > 0.52
    if bad.any():
        n = int(np.argmax(bad))
        cos, sin = np.cos(angles[n]), np.sin(angles[n])
        y = offsets - shifts[n]
        source = np.stack([cos * y[..., 0] - sin * y[..., 1], sin * y[..., 0] + cos * y[..., 1]],
                          -1) + np.array([(height - 1) / 2, (width - 1) / 2])
        outside = ((source[..., 0] < -0.5) | (source[..., 0] > height - 0.5)
                   | (source[..., 1] < -0.5) | (source[..., 1] > width - 0.5))
        off_source = np.abs(sources[n] + np.array([(height - 1) / 2, (width - 1) / 2])
                            - source).max(axis=-1) > 0.52
        because = ("pixels whose source is outside the image must be 0, not the nearest edge "
                   "pixel (clipped indices must also be masked)"
                   if np.any(copied[n] & outside & off_source) else
                   "some pixels were not copied from the nearest input pixel of a rotation about "
                   "the image centre ((H - 1) / 2, (W - 1) / 2), for rows and columns alike: "
                   "check the centre, and round the source position with np.rint (astype(int) "
                   "truncates)")
        check_true(False, f"{label}: image {n}: {because}.")
    cos, sin = np.cos(angles)[:, None, None], np.sin(angles)[:, None, None]
    y = offsets[None] - shifts[:, None, None, :]
    source_row = cos * y[..., 0] - sin * y[..., 1] + (height - 1) / 2
    source_col = sin * y[..., 0] + cos * y[..., 1] + (width - 1) / 2
    inside = ((source_row > -0.45) & (source_row < height - 0.55) & (source_col > -0.45)
              & (source_col < width - 0.55))
    lost = inside & ~copied
    check_true(not lost.any(),
               f"{label}: image {int(np.argmax(lost.any(axis=(1, 2))))} has 0 where a pixel of "
               "the input should have been copied; only pixels whose source is outside the "
               "image are 0.")
    return np.degrees(angles), shifts


def _check_angles(angles, max_degrees, what):
    """Angles drawn uniformly in [-max_degrees, max_degrees], one per image (either sign)."""
    label = f"the rotation angles of augment with max_degrees={max_degrees}, over {what}"
    check_true(bool(np.all(np.abs(angles) <= max_degrees + 2)),
               f"{label}: some images turned by more than max_degrees (the largest by "
               f"{np.abs(angles).max():.0f} degrees); np.cos and np.sin take radians: convert "
               "with np.deg2rad.")
    check_true(np.ptp(angles) > 2,
               f"{label}: every image turned by the same angle; draw one angle per image.")
    # Kolmogorov-Smirnov distance to the uniform distribution on [-max, max].
    ordered = np.sort(angles)
    uniform = (ordered + max_degrees) / (2 * max_degrees)
    n = len(ordered)
    distance = max(np.max(np.arange(1, n + 1) / n - uniform), np.max(uniform - np.arange(n) / n))
    # The distance exceeds sqrt(21 / (2 n)) by chance with odds of about 1e-9.
    check_true(distance < np.sqrt(21 / (2 * n)),
               f"{label}: the angles are not spread uniformly over [-max_degrees, max_degrees] "
               f"(Kolmogorov-Smirnov distance {distance:.2f}); draw them with rng.uniform("
               "-max_degrees, max_degrees).")


def check_augment(augment):
    """Non-square images: exact shifts with 0 fill, and their joint distribution; rotations
    about the exact centre, nearest neighbour, 0 outside, angles uniform; rotation then shift;
    float32 and uint8 kept; views and Fortran order give the same result; one image; the rng."""
    rng = np.random.default_rng(9005)
    images = (rng.random((450, 11, 16)) + 0.5).astype(np.float32)
    what = "450 non-square (11, 16) float32 images"
    out = call_on(what, augment, images, np.random.default_rng(0), 2, 0)
    check_true(isinstance(out, np.ndarray) and out.shape == images.shape,
               f"augment on {what} must return an array of shape {images.shape}.")
    check_dtype(out, np.float32, f"augment of {what}",
                hint="The output has the dtype of images: np.zeros(images.shape) is float64; "
                     "use np.zeros_like(images) or .astype(images.dtype).")
    shifts = _shifts_of(out, images, 2, what)
    _check_joint_shifts(shifts, 2, what)
    check_true(not np.array_equal(out, augment(images, np.random.default_rng(1), 2, 0)),
               "Two different rng seeds gave the same augmented images: draw from rng.")
    what = "200 non-square (15, 22) images"
    angles, _ = _check_rotations(augment, 1, 0, 60, 200, 15, 22, what)
    _check_angles(angles, 60, what)
    what = "300 non-square (15, 22) images"
    angles, shifts = _check_rotations(augment, 2, 2, 20, 300, 15, 22, what)
    _check_angles(angles, 20, what)
    _check_joint_shifts(shifts, 2, "300 rotated non-square (15, 22) images")
    uint8 = rng.integers(1, 256, size=(5, 12, 9)).astype(np.uint8)
    check_dtype(call_on("uint8 images", augment, uint8, np.random.default_rng(3), 1, 10),
                np.uint8, "augment of (5, 12, 9) uint8 images",
                hint="The output has the dtype of images.")
    one = call_on("a batch of one image", augment, images[:1], np.random.default_rng(4), 2, 15)
    check_true(np.shape(one) == (1, 11, 16),
               "augment on a batch of one (1, 11, 16) image returned shape "
               f"{describe_shape(np.shape(one), (1, 11, 16))}.")
    batch = _coded(4, 9, 14)
    expected = augment(batch, np.random.default_rng(5), 2, 30)
    for what, view in layouts(batch):
        got = call_on(f"images given as {what}", augment, view, np.random.default_rng(5), 2, 30)
        check_close(got, expected, f"augment of images given as {what} (compared with the same "
                    "call on a C-contiguous copy)",
                    hint="The result must not depend on how images is laid out in memory: "
                         "np.zeros_like keeps that layout, and reshape or ravel of a "
                         "non-contiguous array is a copy, so writing into it is lost.")
