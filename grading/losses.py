"""Hidden tests of notebook 03 (loss functions). Each takes the student's function.

Every loss is tried on the kinds of input its docstring allows (memory layouts, float32, int
arrays, shapes with size-1 axes) and must return a Python float; failures name the kind of input,
never its values or the seed.
"""
import numpy as np

from dlcourse.testing import (
    call_quietly,
    call_unmutated,
    check_close,
    check_true,
    describe_shape,
    raised_on,
)

from . import reference
from .inputs import layouts, variants

ASSIGNMENT = "03_losses"


def _shape(shape):
    return "(" + ", ".join(map(str, shape)) + (",)" if len(shape) == 1 else ")")


def _check_loss(loss, expected, name, *, batch_size=None, hint=""):
    """A loss is a Python float (np.float64 is one), then its value."""
    if not isinstance(loss, float):
        if isinstance(loss, np.ndarray):
            what = f"an array of shape {describe_shape(loss.shape)} and dtype {loss.dtype}"
            why = ("np.mean(..., keepdims=True) or an array indexed with a list keeps an array; "
                   "convert the mean with float(...)")
        else:
            what = f"{type(loss).__module__}.{type(loss).__name__}".replace("builtins.", "")
            why = ("np.mean of a float32 array is a numpy float32, not a Python float: return "
                   "float(...) of the mean" if isinstance(loss, np.generic) else
                   "return the loss as a number, float(...)")
        check_true(False, f"{name} should be a Python float, but it is {what}. Likely mistake: "
                          f"{why}.")
    check_close(loss, expected, name, batch_size=batch_size, hint=hint)


def _paired(x, y, *kinds):
    """(description, x variant, y variant): x and y in the same kind of input."""
    return [(what, xv, yv) for (what, xv), (_, yv)
            in zip(variants(x, *kinds), variants(y, *kinds), strict=True)]


def check_mse_loss(mse_loss):
    """1-D to 3-D shapes (size-1 axes, non-square), views, float32 and int arrays; a float."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(3001)
    for shape in ((1,), (50,), (8, 3), (3, 1), (2, 3, 4)):
        y_pred, y = 2 * rng.standard_normal(shape), 2 * rng.standard_normal(shape)
        kinds = ("layout", "float32", "int") if len(shape) == 3 else ()  # all kinds, one shape
        for what, yp, yv in _paired(y_pred, y, *kinds):
            name = f"mse_loss of predictions of shape {_shape(shape)}, both given as {what}"
            with raised_on(name):
                loss = call_unmutated(mse_loss, yp, yv)
            check_true(np.ndim(loss) == 0, f"{name} should be one number, not an array of shape "
                                           f"{describe_shape(np.shape(loss), ())}: take the mean "
                                           "of all entries.")
            _check_loss(loss, ref.mse_loss(yp, yv), name, batch_size=int(np.prod(shape)),
                        hint="The mean of the squared differences over all entries.")
    y = rng.standard_normal(6)
    check_close(mse_loss(y, y), 0.0, "mse_loss of perfect predictions")


def check_mse_grad(mse_grad):
    """1-D to 3-D shapes, views, float32 and int arrays (float results), a numerical gradient."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(3002)
    for shape in ((1,), (50,), (8, 3), (3, 1), (2, 3, 4)):
        y_pred, y = 2 * rng.standard_normal(shape), 2 * rng.standard_normal(shape)
        kinds = ("layout", "float32", "int") if len(shape) == 3 else ()  # all kinds, one shape
        for what, yp, yv in _paired(y_pred, y, *kinds):
            name = f"mse_grad for predictions of shape {_shape(shape)}, both given as {what}"
            with raised_on(name):
                got = call_unmutated(mse_grad, yp, yv)
            check_close(got, ref.mse_grad(yp, yv), name, batch_size=int(np.prod(shape)),
                        dtype=np.floating,
                        hint="A factor 2 from the square and 1/M from the mean, with M the number "
                             "of entries (all of them, not the rows), in a new float array.")
    # The gradient of exactly the mean: compare with central differences of the reference loss.
    y_pred, y = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    numerical = np.zeros_like(y_pred)
    for index in np.ndindex(y_pred.shape):
        step = np.zeros_like(y_pred)
        step[index] = 1e-6
        numerical[index] = (ref.mse_loss(y_pred + step, y) - ref.mse_loss(y_pred - step, y)) / 2e-6
    check_close(mse_grad(y_pred, y), numerical, "mse_grad against a numerical gradient of the MSE",
                rtol=1e-5, atol=1e-8, batch_size=12)


def check_binary_cross_entropy(binary_cross_entropy):
    """Batches of 1 to 100, p of exactly 0 and 1 (clipped), views, float32 p, int labels."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(3003)
    hint = ("Minus the mean over the batch of y log p + (1 - y) log(1 - p), with p clipped to "
            "[EPS, 1 - EPS] first.")
    for n in (1, 7, 100):
        p, y = rng.uniform(0.01, 0.99, size=n), rng.integers(0, 2, size=n).astype(float)
        kinds = ("layout", "float32") if n == 7 else ()   # all kinds, on one batch size
        cases = [(f"p and y given as {what}", pv, yv) for what, pv, yv in _paired(p, y, *kinds)]
        if n == 7:
            cases += [(f"labels y given as an int64 ({n},) array", p, y.astype(np.int64))]
        for what, pv, yv in cases:
            name = f"binary_cross_entropy with {what}"
            with raised_on(name):
                loss = call_quietly(binary_cross_entropy, pv, yv)
            _check_loss(loss, ref.binary_cross_entropy(pv, yv), name, batch_size=n, hint=hint)
    p = np.array([0.0, 1.0, 0.0, 1.0, 0.5, 1e-15, 1 - 1e-15])
    y = np.array([1.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.0])
    for what, labels in (("float", y), ("int64", y.astype(np.int64))):
        name = (f"binary_cross_entropy with p of exactly 0 and 1 and within 1e-15 of them, "
                f"{what} labels")
        with raised_on(name):
            loss = call_quietly(binary_cross_entropy, p, labels)
        _check_loss(loss, ref.binary_cross_entropy(p, labels), name, batch_size=7, hint=hint)


def _softmax_rows(rng, n, n_classes, scale=2.0):
    scores = rng.standard_normal((n, n_classes)) * scale
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


def check_cross_entropy(cross_entropy):
    """Integer and one-hot (int, float, bool) labels alike, one example, one class, views,
    float32 probs, exact 0s and 1s in probs."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(3004)
    hint = ("Minus the mean over the N examples of the log of the true class's probability, for "
            "integer and for one-hot labels alike, with probs clipped to at least EPS. Tell the "
            "formats apart by y.ndim.")
    for n, n_classes in ((1, 4), (6, 3), (5, 5), (3, 7), (40, 10), (4, 1)):
        probs = _softmax_rows(rng, n, n_classes)
        labels = rng.integers(0, n_classes, size=n)
        one_hot = np.eye(n_classes)[labels]
        shape = _shape(probs.shape)
        cases = [(f"probs of shape {shape} and integer labels (an int64 array)", probs, labels),
                 (f"probs of shape {shape} and one-hot labels as an int64 array", probs,
                  one_hot.astype(np.int64)),
                 (f"probs of shape {shape} and one-hot labels as a float64 array", probs, one_hot)]
        if (n, n_classes) == (6, 3):   # the other kinds of input, on one shape
            cases += [(f"probs of shape {shape} and one-hot labels as a bool array", probs,
                       one_hot.astype(bool)),
                      (f"probs given as a float32 {shape} array, integer labels",
                       probs.astype(np.float32), labels)]
            cases += [(f"probs given as {what}, integer labels", view, labels)
                      for what, view in layouts(probs)]
            cases += [(f"probs of shape {shape} and one-hot labels given as {what}", probs, view)
                      for what, view in layouts(one_hot)]
        for what, p, y in cases:
            name = f"cross_entropy with {what}"
            with raised_on(name, hint):
                loss = call_quietly(cross_entropy, p, y)
            _check_loss(loss, ref.cross_entropy(p, labels), name, batch_size=n, hint=hint)
    probs = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.5, 0.5, 0.0], [0.0, 1.0, 0.0]])
    labels = np.array([0, 1, 2, 1])
    for what, y in (("integer", labels), ("one-hot", np.eye(3)[labels])):
        name = f"cross_entropy with exact 0s and 1s in probs, {what} labels"
        with raised_on(name, hint):
            loss = call_quietly(cross_entropy, probs, y)
        _check_loss(loss, ref.cross_entropy(probs, labels), name, batch_size=4, hint=hint)


def check_softmax_loss(softmax_loss):
    """Batches of 1 to 30, one class, scores up to ±1000 (log-sum-exp), views, float32 and int
    scores, loss and dx both, and the same result when called again."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(3005)
    cases = [(rng.standard_normal((n, c)) * scale, rng.integers(0, c, size=n), kinds)
             for n, c, scale, kinds in ((1, 3, 1.0, ()), (7, 5, 2.0, ("layout", "float32", "int")),
                                        (4, 4, 1.0, ()), (3, 1, 1.0, ()), (30, 10, 5.0, ()))]
    cases.append((rng.standard_normal((5, 6)) * 200.0, rng.integers(0, 6, size=5), ()))
    cases.append((np.array([[40.0, 0.0], [0.0, 40.0]]), np.array([1, 1]), ()))
    for x, y, kinds in cases:
        n = x.shape[0]
        large = " with scores in the hundreds" if np.max(np.abs(x)) > 100 else (
            " with a true class 40 below the best" if np.max(np.abs(x)) >= 40 else "")
        for what, xv in variants(x, *kinds):
            label = f"softmax_loss on scores given as {what}{large}"
            with raised_on(label):
                result = call_quietly(softmax_loss, xv, y)
            check_true(isinstance(result, tuple) and len(result) == 2,
                       f"{label} should return a pair (loss, dx).")
            loss, dx = result
            loss_ref, dx_ref = ref.softmax_loss(xv, y)
            _check_loss(loss, loss_ref, f"loss of {label}", batch_size=n,
                        hint="Compute log-probabilities with the log-sum-exp formula of section 4, "
                             "not as the log of probabilities: a true class 40 below the best has "
                             "loss 40.")
            check_close(dx, dx_ref, f"dx of {label}", batch_size=n, dtype=np.floating,
                        hint="The probabilities, minus 1 at each true class, divided by N, with "
                             "the softmax over each row, in a new float array.")
    # Called again with the same arguments, the same result: nothing is kept between calls.
    x, y = rng.standard_normal((6, 4)), rng.integers(0, 4, size=6)
    first_loss, first_dx = softmax_loss(x, y)
    loss, dx = softmax_loss(x, y)
    check_close(loss, first_loss, "the loss of softmax_loss on a second call with the same "
                                  "arguments", hint="Keep nothing between calls.")
    check_close(dx, first_dx, "dx of softmax_loss on a second call with the same arguments",
                hint="Keep nothing between calls.")
