"""Hidden tests of notebook 09 (regularisation). Each takes the student's function(s) or class."""
import numpy as np

from dlcourse.testing import call_unmutated, check_backward, check_close, check_equal, check_true

from . import reference

ASSIGNMENT = "09_regularization"


def check_l2_penalty(l2_penalty):
    """Several arrays, a 1x1 one, a large reg, and no arrays at all (loss 0)."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(9001)
    for shapes, reg in ((((5, 4), (4,), (4, 3)), 1e-3), (((1, 1),), 2.5), (((30, 20),), 0.3)):
        params = {f"W{i}": rng.standard_normal(shape) for i, shape in enumerate(shapes)}
        loss, grads = call_unmutated(l2_penalty, params, reg)
        ref_loss, ref_grads = ref.l2_penalty(params, reg)
        label = f"l2_penalty of arrays of shapes {list(shapes)}, reg={reg}"
        check_close(loss, ref_loss, f"the loss of {label}",
                    hint="0.5 * reg * the sum of the squares of every entry of every array.")
        check_true(isinstance(grads, dict) and set(grads) == set(params),
                   f"grads must have the keys of params, {sorted(params)}.")
        for name in params:
            check_close(grads[name], ref_grads[name], f"grads[{name!r}] of {label}")
    loss, grads = l2_penalty({}, 0.1)
    check_close(loss, 0.0, "l2_penalty of no arrays (an empty dict)")


def _dropout_inputs(rng):
    return ((rng.standard_normal((50, 40)), 0.3), (rng.standard_normal((3, 4, 5)), 0.9),
            (rng.standard_normal((10, 7)), 0.0))


def check_dropout_forward(dropout_forward):
    """3-D x, p = 0.9 and 0, the given rng's draws exactly, test mode as is."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(9002)
    for x, p in _dropout_inputs(rng):
        label = f"dropout_forward on x of shape {x.shape}, p={p}"
        param = {"p": p, "mode": "train", "rng": np.random.default_rng(7)}
        out, _ = call_unmutated(dropout_forward, x, param)
        ref_out, _ = ref.dropout_forward(x, {"p": p, "mode": "train",
                                             "rng": np.random.default_rng(7)})
        check_close(out, ref_out, f"{label}, train mode (rng seed 7)",
                    hint="u = rng.random(x.shape), drop where u < p, scale the rest by "
                         "1 / (1 - p).")
        out, _ = dropout_forward(x, {"p": p, "mode": "test", "rng": np.random.default_rng(7)})
        check_close(out, x, f"{label}, test mode", hint="Test mode is the identity.")
    x = np.ones((100, 100))
    first, _ = dropout_forward(x, {"p": 0.5, "mode": "train", "rng": np.random.default_rng(1)})
    second, _ = dropout_forward(x, {"p": 0.5, "mode": "train", "rng": np.random.default_rng(2)})
    check_true(not np.array_equal(first, second),
               "Two different rng seeds gave the same dropout mask: draw the mask from "
               "dropout_param['rng'].")


def check_dropout_backward(dropout_forward, dropout_backward):
    """3-D x, p = 0.9 and 0: the forward's mask, and test mode passes dout."""
    rng = np.random.default_rng(9003)
    for x, p in _dropout_inputs(rng):
        x = np.where(np.abs(x) < 0.1, 0.5, x)  # no zeros: the mask is out / x
        dout = rng.standard_normal(x.shape)
        out, cache = dropout_forward(x, {"p": p, "mode": "train", "rng": np.random.default_rng(3)})
        dx = call_unmutated(dropout_backward, dout, cache)
        check_close(dx, dout * (np.asarray(out) / x),
                    f"dx of dropout_backward (x of shape {x.shape}, p={p}, train mode)",
                    hint="dx = dout * mask, with the mask of the forward pass (0 or 1 / (1 - p)).")
        _, cache = dropout_forward(x, {"p": p, "mode": "test", "rng": np.random.default_rng(3)})
        check_close(dropout_backward(dout, cache), dout,
                    f"dx of dropout_backward (x of shape {x.shape}), test mode")


def check_vanilla_dropout_forward(vanilla_dropout_forward):
    """3-D x, p = 0.9 and 0, the rng's draws; two rngs, two masks."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(9008)
    for x, p in _dropout_inputs(rng):
        label = f"vanilla_dropout_forward on x of shape {x.shape}, p={p}"
        out, _ = call_unmutated(vanilla_dropout_forward, x,
                                {"p": p, "mode": "train", "rng": np.random.default_rng(7)})
        ref_out, _ = ref.vanilla_dropout_forward(
            x, {"p": p, "mode": "train", "rng": np.random.default_rng(7)})
        check_close(out, ref_out, f"{label}, train mode (rng seed 7)",
                    hint="u = rng.random(x.shape), drop where u < p, keep the rest unscaled.")
        out, _ = call_unmutated(vanilla_dropout_forward, x,
                                {"p": p, "mode": "test", "rng": np.random.default_rng(7)})
        ref_out, _ = ref.vanilla_dropout_forward(
            x, {"p": p, "mode": "test", "rng": np.random.default_rng(7)})
        check_close(out, ref_out, f"{label}, test mode",
                    hint="At test time each unit gives its average training-time value: it was "
                         "kept with probability 1 - p.")
    x = np.ones((100, 100))
    first, _ = vanilla_dropout_forward(x, {"p": 0.5, "mode": "train",
                                           "rng": np.random.default_rng(1)})
    second, _ = vanilla_dropout_forward(x, {"p": 0.5, "mode": "train",
                                            "rng": np.random.default_rng(2)})
    check_true(not np.array_equal(first, second),
               "Two different rng seeds gave the same dropout mask: draw the mask from "
               "dropout_param['rng'].")


def check_adamw(adamw):
    """Six steps from config=None and given; pure decay with dw = 0; no decay at all."""
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
                    f"w after 5 steps of adamw with dw = 0 (learning_rate={learning_rate}, "
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


def check_early_stopping(EarlyStopping):
    """Five loss sequences: ties, min_delta, patience 1; best params copied."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(9004)
    fresh = EarlyStopping(3)
    check_true(fresh.best_epoch is None and fresh.best_loss == np.inf,
               "Before the first step, best_loss must be np.inf and best_epoch None.")
    cases = [(np.round(rng.uniform(0.5, 1.0, size=20), 2), 3, 0.0),
             (np.array([0.9, 0.8, 0.8, 0.8, 0.7, 0.6, 0.6, 0.65, 0.61, 0.6]), 2, 0.0),
             (np.array([1.0, 0.9, 0.85, 0.84, 0.7, 0.69, 0.68, 0.5]), 2, 0.05),
             (np.linspace(1.0, 0.1, 12), 1, 0.0),
             (np.array([0.5, 0.6, 0.7]), 1, 0.0)]
    for seed, (losses, patience, min_delta) in enumerate(cases):
        stopper, stops = _run_early_stopping(EarlyStopping, losses, patience, min_delta, seed)
        expected, ref_stops = _run_early_stopping(ref.EarlyStopping, losses, patience, min_delta,
                                                  seed)
        label = f"losses {np.round(losses, 3).tolist()}, patience={patience}, min_delta={min_delta}"
        check_equal(stops, ref_stops, f"step()'s answers for {label}",
                    hint="An epoch improves when val_loss < best_loss - min_delta (equal is no "
                         "improvement); stop once `patience` epochs in a row did not improve.")
        check_equal(stopper.best_epoch, expected.best_epoch, f"best_epoch for {label}")
        check_close(stopper.best_loss, expected.best_loss, f"best_loss for {label}")
        for name in ("W", "b"):
            check_close(stopper.best_params[name], expected.best_params[name],
                        f"best_params[{name!r}] for {label}",
                        hint="Store copies: the arrays of params keep changing in place.")


def _centroids(images):
    """(row, col) centre of mass of each image, from the image centre; and the mass."""
    n, height, width = images.shape
    rows, cols = np.meshgrid(np.arange(height), np.arange(width), indexing="ij")
    mass = images.sum(axis=(1, 2))
    safe = np.where(mass > 0, mass, 1)
    return ((images * rows).sum(axis=(1, 2)) / safe - (height - 1) / 2,
            (images * cols).sum(axis=(1, 2)) / safe - (width - 1) / 2, mass)


def check_augment(augment):
    """Every shift from -3 to 3, no wrap-around, angles in [-25, 25]; a new array."""
    rng = np.random.default_rng(9005)
    images = rng.random((4, 31, 31))
    out = call_unmutated(augment, images, np.random.default_rng(0), max_shift=3, max_degrees=25)
    check_true(isinstance(out, np.ndarray) and out.shape == images.shape
               and out.dtype == np.float64,
               "augment on (4, 31, 31) float64 images must return a (4, 31, 31) float64 array.")
    check_true(not np.array_equal(out, augment(images, np.random.default_rng(1), 3, 25)),
               "Two different rng seeds gave the same augmented images: draw from rng.")
    check_close(augment(images[:1], np.random.default_rng(2), 0, 0), images[:1],
                "augment of one image with max_shift=0, max_degrees=0")
    # shifts only, max_shift=3: every whole shift from -3 to 3, per image
    squares = np.zeros((600, 31, 31))
    squares[:, 14:17, 14:17] = 1.0
    d_rows, d_cols, mass = _centroids(augment(squares, np.random.default_rng(3), 3, 0))
    check_close(mass, np.full(600, 9.0), "the white pixels of a 3x3 square after a shift (max 3)")
    check_true(set(d_rows.round(6)) == set(d_cols.round(6)) == set(range(-3, 4)),
               f"With max_shift=3 the shifts were {sorted(set(d_rows.round(2)))} (rows) and "
               f"{sorted(set(d_cols.round(2)))} (columns): expected each integer from -3 to 3.")
    # a square at the left edge must not wrap to the right
    edge = np.zeros((300, 31, 31))
    edge[:, 14:17, 0:3] = 1.0
    check_true(augment(edge, np.random.default_rng(4), 3, 0)[:, :, 20:].sum() == 0,
               "A square at the left edge, shifted left, reappeared on the right: fill with 0, "
               "do not wrap around.")
    # rotations only, max_degrees=25: a square 12 pixels right of the centre
    right = np.zeros((600, 31, 31))
    right[:, 14:17, 26:29] = 1.0
    d_rows, d_cols, _ = _centroids(augment(right, np.random.default_rng(5), 0, 25))
    angles, radii = np.degrees(np.arctan2(d_rows, d_cols)), np.hypot(d_rows, d_cols)
    check_true(np.all(np.abs(radii - 12) < 1),
               f"A square 12 pixels from the centre ended {radii.min():.1f} to {radii.max():.1f} "
               "pixels from it: rotate about the image centre.")
    check_true(np.all(np.abs(angles) < 28) and angles.min() < -18 and angles.max() > 18,
               f"With max_degrees=25 the rotations spanned {angles.min():.1f} to "
               f"{angles.max():.1f} degrees: expected angles drawn uniformly in [-25, 25], in "
               "degrees, for each image.")
    # both together: the centre square only moves by the shift
    d_rows, d_cols, mass = _centroids(augment(squares, np.random.default_rng(6), 2, 30))
    check_true(np.all(np.abs(d_rows) <= 2.5) and np.all(np.abs(d_cols) <= 2.5)
               and np.all(np.abs(mass - 9) <= 4),
               "With max_shift=2 and max_degrees=30, a square at the centre should move by at "
               "most 2 pixels (rotation about the centre leaves it in place).")


def _bn_inputs(rng):
    return ((rng.normal(3.0, 2.0, size=(16, 5)), {"mode": "train"}),
            (rng.normal(-1.0, 0.5, size=(7, 3)), {"mode": "train", "momentum": 0.5, "eps": 1e-3}),
            (rng.normal(0.0, 10.0, size=(2, 6)), {"mode": "train", "momentum": 0.99}))


def check_batchnorm_forward(batchnorm_forward):
    """Three batches then test mode: running averages, momentum and eps."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(9006)
    for x, bn_param in _bn_inputs(rng):
        n, d = x.shape
        gamma, beta = rng.normal(size=d), rng.normal(size=d)
        param, ref_param = dict(bn_param), dict(bn_param)
        for step in range(3):  # three training batches, then the test mode
            x_batch = x + rng.normal(scale=0.5, size=x.shape)
            out, _, param = call_unmutated(batchnorm_forward, x_batch, gamma, beta, param)
            ref_out, _, ref_param = ref.batchnorm_forward(x_batch, gamma, beta, ref_param)
            label = f"batchnorm_forward, training batch {step + 1} of shape {x.shape} ({bn_param})"
            check_close(out, ref_out, f"out of {label}", batch_size=n)
            for key in ("running_mean", "running_var"):
                check_close(param[key], ref_param[key], f"next_bn_param[{key!r}] after {label}",
                            hint="Start from the running statistics of the bn_param passed in, "
                                 "and return the updated ones.")
        x_test = rng.normal(size=(5, d))
        test_param = dict(param, mode="test")
        out, _, next_param = call_unmutated(batchnorm_forward, x_test, gamma, beta, test_param)
        ref_out, _, _ = ref.batchnorm_forward(x_test, gamma, beta, dict(ref_param, mode="test"))
        check_close(out, ref_out, f"out of batchnorm_forward in test mode (D = {d})",
                    hint="Test mode normalises with the running statistics.")
        check_close(next_param["running_var"], param["running_var"],
                    "running_var after a test-mode call (must not change)")


def check_batchnorm_backward(batchnorm_forward, batchnorm_backward):
    """N = 2 to 16, momentum and eps given; columns of dx sum to 0."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(9007)
    for x, bn_param in _bn_inputs(rng):
        d = x.shape[1]
        gamma, beta = rng.normal(size=d), rng.normal(size=d)
        dout = rng.normal(size=x.shape)
        _, cache, _ = batchnorm_forward(x, gamma, beta, bn_param)
        grads = call_unmutated(batchnorm_backward, dout, cache)
        _, ref_cache, _ = ref.batchnorm_forward(x, gamma, beta, bn_param)
        ref_grads = ref.batchnorm_backward(dout, ref_cache)
        check_true(isinstance(grads, tuple) and len(grads) == 3,
                   "batchnorm_backward must return the tuple (dx, dgamma, dbeta).")
        dx = np.asarray(grads[0])
        check_close(dx.sum(axis=0), np.zeros(d), f"the column sums of dx for x of shape {x.shape}",
                    atol=1e-8 * max(1.0, float(np.abs(dout).sum())),
                    hint="Each column of dx must sum to 0 (adding a constant to a column of x "
                         "changes nothing): the path through mu is missing or wrong.")
        for name, got, expected in zip(("dx", "dgamma", "dbeta"), grads, ref_grads, strict=True):
            check_close(got, expected, f"{name} of batchnorm_backward for x of shape {x.shape} "
                        f"({bn_param})", batch_size=x.shape[0])

        def forward(x, gamma, beta, bn_param=bn_param):
            out, cache, _ = batchnorm_forward(x, gamma, beta, bn_param)
            return out, cache
        forward.__name__ = "batchnorm_forward (train mode)"
        check_backward(forward, batchnorm_backward, {"x": x, "gamma": gamma, "beta": beta},
                       rng=rng)
