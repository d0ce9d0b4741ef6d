"""Hidden tests of notebook 03 (loss functions). Each takes the student's function."""
import numpy as np

from dlcourse.testing import call_quietly, call_unmutated, check_close, check_true

from . import reference

ASSIGNMENT = "03_losses"


def check_mse_loss(mse_loss):
    """1-D to 3-D shapes return one number (the mean over all entries); inputs kept."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(3001)
    for shape in ((1,), (50,), (8, 3), (2, 3, 4)):
        y_pred, y = rng.standard_normal(shape), rng.standard_normal(shape)
        loss = call_unmutated(mse_loss, y_pred, y)
        check_true(np.ndim(loss) == 0, f"mse_loss for shape {shape} should be one number, not "
                                       f"an array of shape {np.shape(loss)}: take the mean of "
                                       "all entries.")
        check_close(loss, ref.mse_loss(y_pred, y), f"mse_loss for predictions of shape {shape}",
                    batch_size=int(np.prod(shape)),
                    hint="The mean of the squared differences over all entries.")
    y = rng.standard_normal(6)
    check_close(mse_loss(y, y), 0.0, "mse_loss of perfect predictions")


def check_mse_grad(mse_grad):
    """1-D to 3-D shapes (1/M over all entries), against a numerical gradient."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(3002)
    for shape in ((1,), (50,), (8, 3), (2, 3, 4)):
        y_pred, y = rng.standard_normal(shape), rng.standard_normal(shape)
        check_close(call_unmutated(mse_grad, y_pred, y), ref.mse_grad(y_pred, y),
                    f"mse_grad for predictions of shape {shape}", batch_size=int(np.prod(shape)),
                    hint="A factor 2 from the square and 1/M from the mean, with M the number of "
                         "entries (all of them, not the rows).")
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
    """Batches of 1 to 100, p of exactly 0 and 1 (clipped), int labels."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(3003)
    hint = ("Minus the mean over the batch of y log p + (1 - y) log(1 - p), with p clipped to "
            "[EPS, 1 - EPS] first.")
    for n in (1, 7, 100):
        p, y = rng.uniform(0.01, 0.99, size=n), rng.integers(0, 2, size=n).astype(float)
        check_close(call_quietly(binary_cross_entropy, p, y), ref.binary_cross_entropy(p, y),
                    f"binary_cross_entropy for {n} examples", batch_size=n, hint=hint)
    p = np.array([0.0, 1.0, 0.0, 1.0, 0.5, 1e-15, 1 - 1e-15])
    y = np.array([1.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.0])
    check_close(call_quietly(binary_cross_entropy, p, y), ref.binary_cross_entropy(p, y),
                "binary_cross_entropy with p of exactly 0 and 1 and within 1e-15 of them",
                batch_size=7, hint=hint)
    y = np.array([0, 1, 1, 0])
    check_close(call_quietly(binary_cross_entropy, np.array([0.2, 0.7, 0.9, 0.4]), y),
                ref.binary_cross_entropy(np.array([0.2, 0.7, 0.9, 0.4]), y),
                "binary_cross_entropy with integer labels", batch_size=4)


def check_cross_entropy(cross_entropy):
    """Integer and one-hot labels alike, one example, exact 0s and 1s in probs."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(3004)
    hint = ("Minus the mean over the N examples of the log of the true class's probability, for "
            "integer and for one-hot labels alike, with probs clipped to at least EPS.")
    for n, n_classes in ((1, 4), (6, 3), (5, 5), (40, 10)):
        scores = rng.standard_normal((n, n_classes)) * 2
        probs = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
        labels = rng.integers(0, n_classes, size=n)
        one_hot = np.eye(n_classes, dtype=int)[labels]
        expected = ref.cross_entropy(probs, labels)
        check_close(call_quietly(cross_entropy, probs, labels), expected,
                    f"cross_entropy with probs {probs.shape} and integer labels", batch_size=n,
                    hint=hint)
        check_close(call_quietly(cross_entropy, probs, one_hot), expected,
                    f"cross_entropy with probs {probs.shape} and one-hot labels", batch_size=n,
                    hint=hint)
    probs = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.5, 0.5, 0.0], [0.0, 1.0, 0.0]])
    labels = np.array([0, 1, 2, 1])
    for what, y in (("integer", labels), ("one-hot", np.eye(3)[labels])):
        check_close(call_quietly(cross_entropy, probs, y), ref.cross_entropy(probs, labels),
                    f"cross_entropy with exact 0s and 1s in probs, {what} labels", batch_size=4,
                    hint=hint)


def check_softmax_loss(softmax_loss):
    """Batches of 1 to 30, scores up to ±1000 (log-sum-exp), loss and dx both."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(3005)
    cases = [(rng.standard_normal((n, c)) * scale, rng.integers(0, c, size=n))
             for n, c, scale in ((1, 3, 1.0), (7, 5, 2.0), (4, 4, 1.0), (30, 10, 5.0))]
    cases.append((rng.standard_normal((5, 6)) * 200.0, rng.integers(0, 6, size=5)))
    cases.append((np.array([[40.0, 0.0], [0.0, 40.0]]), np.array([1, 1])))
    for x, y in cases:
        loss, dx = call_quietly(softmax_loss, x, y)
        loss_ref, dx_ref = ref.softmax_loss(x, y)
        n = x.shape[0]
        label = f"softmax_loss on scores {x.shape} (largest |score| {np.max(np.abs(x)):.3g})"
        check_close(loss, loss_ref, f"loss of {label}", batch_size=n,
                    hint="Compute log-probabilities with the log-sum-exp formula of section 4, "
                         "not as the log of probabilities: a true class 40 below the best has "
                         "loss 40.")
        check_close(dx, dx_ref, f"dx of {label}", batch_size=n,
                    hint="The probabilities, minus 1 at each true class, divided by N, with the "
                         "softmax over each row.")
