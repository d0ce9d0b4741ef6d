"""Hidden tests of notebook 06 (MNIST with a multi-layer perceptron). Each takes the student's
function or class and compares it with the solution on other shapes, seeds and edge cases, on
inputs of every kind the docstrings allow (float32 and float64, transposed, strided and reversed
views, a batch of one), and calls the layers' methods again on the same state."""
import numpy as np

from dlcourse.testing import (
    FeedbackError,
    call_unmutated,
    check_close,
    check_equal,
    check_true,
    describe,
    missing_keys,
)

from . import reference
from .inputs import layouts

ASSIGNMENT = "06_mnist_mlp"


def _float32_inputs(x):
    """``x`` as a float32 array, then as float32 views of every layout, described."""
    x = np.asarray(x, dtype=np.float32)
    shape = "(" + ", ".join(map(str, x.shape)) + (",)" if x.ndim == 1 else ")")
    yield f"a float32 {shape} array", x
    yield from ((f"{what} (float32)", view) for what, view in layouts(x))


def _init_draw_hint(init, fan_in, fan_out, rng_seed, got, scale):
    """A hint when ``got`` is what drawing in float32 (standard_normal(..., dtype=np.float32))
    gives: other numbers than the float64 draws the notebook asks for."""
    drawn32 = (np.random.default_rng(rng_seed).standard_normal((fan_in, fan_out),
                                                                dtype=np.float32) * scale)
    if np.shape(got) == drawn32.shape and np.allclose(got, drawn32, rtol=1e-4, atol=1e-6):
        return (f"{init} draws rng.standard_normal((fan_in, fan_out), dtype=np.float32): float32 "
                "draws are other numbers than the float64 ones. Draw in float64 "
                "(rng.standard_normal((fan_in, fan_out))), scale, then convert with "
                ".astype(np.float32).")
    return ""


def check_he_init(he_init):
    """Shape, float32, the variance 2/fan_in over large draws, and the generator's own draws
    (seeded)."""
    ref = reference(ASSIGNMENT)
    for seed, (fan_in, fan_out) in enumerate(((784, 256), (1, 5), (50, 1), (7, 13))):
        W = he_init(fan_in, fan_out, np.random.default_rng(100 + seed))
        label = f"he_init({fan_in}, {fan_out}, rng)"
        check_close(W, ref.he_init(fan_in, fan_out, np.random.default_rng(100 + seed)), label,
                    dtype=np.float32,
                    hint=_init_draw_hint("he_init", fan_in, fan_out, 100 + seed, W,
                                         np.sqrt(2 / fan_in))
                    or "rng.standard_normal((fan_in, fan_out)) * np.sqrt(2 / fan_in), "
                       "as float32.")
    first = he_init(20, 30, np.random.default_rng(5))
    second = he_init(20, 30, np.random.default_rng(6))
    check_true(not np.array_equal(first, second),
               "he_init gives the same weights for two different generators: draw from the rng "
               "argument, not from np.random.")
    rng = np.random.default_rng(7)
    check_true(not np.array_equal(he_init(4, 3, rng), he_init(4, 3, rng)),
               "Two calls of he_init with the same generator gave the same weights: every call "
               "draws new numbers from rng (two layers must not start alike).")


def check_glorot_init(glorot_init):
    """Shape, float32, the variance 2/(fan_in + fan_out) over large draws, seeded draws."""
    ref = reference(ASSIGNMENT)
    for seed, (fan_in, fan_out) in enumerate(((784, 256), (1, 5), (50, 1), (7, 13), (256, 256))):
        W = glorot_init(fan_in, fan_out, np.random.default_rng(150 + seed))
        check_close(W, ref.glorot_init(fan_in, fan_out, np.random.default_rng(150 + seed)),
                    f"glorot_init({fan_in}, {fan_out}, rng)", dtype=np.float32,
                    hint=_init_draw_hint("glorot_init", fan_in, fan_out, 150 + seed, W,
                                         np.sqrt(2 / (fan_in + fan_out)))
                    or "rng.standard_normal((fan_in, fan_out)) times the square root of "
                       "2 / (fan_in + fan_out), as float32.")
    first = glorot_init(20, 30, np.random.default_rng(5))
    second = glorot_init(20, 30, np.random.default_rng(6))
    check_true(not np.array_equal(first, second),
               "glorot_init gives the same weights for two different generators: draw from the "
               "rng argument, not from np.random.")


def _random_linear(Linear, ref, fan_in, fan_out, rng):
    """A student layer and a reference layer with the same random float32 parameters."""
    params = {"W": rng.standard_normal((fan_in, fan_out)).astype(np.float32),
              "b": rng.standard_normal(fan_out).astype(np.float32)}
    layer, ref_layer = Linear(fan_in, fan_out, rng), ref.Linear(fan_in, fan_out, rng)
    layer.params = {k: v.copy() for k, v in params.items()}
    ref_layer.params = {k: v.copy() for k, v in params.items()}
    return layer, ref_layer


def _check_linear_pass(layer, ref_layer, x, dout, label, n):
    """forward then backward of ``layer`` against ``ref_layer``; float32 kept; (dx, grads)."""
    out = call_unmutated(layer.forward, x)
    check_close(out, ref_layer.forward(np.ascontiguousarray(x)), f"Linear.forward {label}",
                dtype=np.float32, hint="out = x.reshape(N, -1) @ W + b, in the dtype of x, W "
                                       "and b (float32).")
    dx = call_unmutated(layer.backward, dout)
    check_close(dx, ref_layer.backward(dout), f"dx from Linear.backward {label}",
                dtype=np.float32, hint="dx = (dout @ W.T).reshape(x.shape).")
    for name in ("W", "b"):
        check_close(layer.grads[name], ref_layer.grads[name],
                    f"grads[{name!r}] from Linear.backward {label}", batch_size=n,
                    dtype=np.float32)
    return dx, {name: np.array(layer.grads[name]) for name in ("W", "b")}


def check_linear(Linear):
    """Forward and backward of Linear on other shapes (a batch of one, images, one output), on
    float32 views of every layout, backward called twice, forward after forward, float32 kept."""
    ref = reference(ASSIGNMENT)
    for seed, (fan_in, fan_out) in enumerate(((784, 16), (1, 3), (12, 1))):
        layer = Linear(fan_in, fan_out, np.random.default_rng(200 + seed))
        W_ref = ref.he_init(fan_in, fan_out, np.random.default_rng(200 + seed))
        check_close(layer.params["W"], W_ref,
                    f"params['W'] of Linear({fan_in}, {fan_out}, rng)", dtype=np.float32,
                    hint="W = he_init(fan_in, fan_out, rng), called with the rng given.")
        check_close(layer.params["b"], np.zeros(fan_out, np.float32),
                    f"params['b'] of Linear({fan_in}, {fan_out}, rng)", dtype=np.float32,
                    hint="b = np.zeros(fan_out, dtype=np.float32): one bias per output, shape "
                         "(fan_out,).")
    cases = ((300, (16, 32), 10), (301, (1, 5), 4), (302, (6, 1, 4, 3), 7), (303, (9, 2), 1),
             (304, (1, 1, 3, 2), 3))
    for seed, x_shape, fan_out in cases:
        rng = np.random.default_rng(seed)
        n, fan_in = x_shape[0], int(np.prod(x_shape[1:]))
        x = rng.standard_normal(x_shape)
        dout = rng.standard_normal((n, fan_out)).astype(np.float32)
        # Every memory layout on the batch of images only (each call crosses to the student's
        # process when graded: keep their number small).
        variants = list(_float32_inputs(x))
        for what, x_variant in variants if len(x_shape) == 4 and n > 1 else variants[:1]:
            layer, ref_layer = _random_linear(Linear, ref, fan_in, fan_out,
                                              np.random.default_rng(seed))
            label = f"for x {what} and {fan_out} outputs"
            dx, grads = _check_linear_pass(layer, ref_layer, x_variant, dout, label, n)
            again = layer.backward(dout)
            check_close(again, dx, f"dx from Linear.backward called a second time with the same "
                        f"dout {label}", hint="backward must not change what forward stored.")
            for name in ("W", "b"):
                check_close(layer.grads[name], grads[name],
                            f"grads[{name!r}] from Linear.backward called a second time with the "
                            f"same dout {label}",
                            hint="Each backward sets grads afresh from its own dout: it does not "
                                 "add to the previous call's.")
            layer.backward(2 * dout)
            ref_layer.backward(2 * dout)
            check_close(layer.grads["W"], ref_layer.grads["W"],
                        f"grads['W'] after a third backward call, with 2 * dout, {label}",
                        hint="Each backward sets grads afresh from its own dout.")
        if seed % 2:
            continue
        label = f"for x of shape {x_shape} and {fan_out} outputs"
        layer, ref_layer = _random_linear(Linear, ref, fan_in, fan_out,
                                          np.random.default_rng(seed))
        layer.forward(rng.standard_normal(x_shape).astype(np.float32))
        _check_linear_pass(layer, ref_layer, x.astype(np.float32), dout,
                           f"{label}, called after a forward call on other inputs", n)


def check_relu(ReLU):
    """ReLU's forward and backward on other shapes, at 0 and negative values, float32 and float64
    kept, float32 views of every layout; backward called twice, forward after forward, the input
    left alone."""
    ref = reference(ASSIGNMENT)
    for seed, shape in ((400, (50, 10)), (401, (2, 3, 4, 5)), (402, (1, 1)), (403, (1, 7))):
        rng = np.random.default_rng(seed)
        x = rng.standard_normal(shape)
        x.flat[::7] = 0.0
        dout = rng.standard_normal(shape)
        float64 = [(f"a float64 {shape} array", x, dout)]
        inputs = [(what, xv, dv) for (what, xv), (_, dv) in zip(_float32_inputs(x),
                                                                  _float32_inputs(dout),
                                                                  strict=True)]
        for what, x_variant, dout_variant in (float64 + inputs if seed == 401 else inputs[:1]):
            layer, ref_layer = ReLU(), ref.ReLU()
            label = f"for x and dout {what}"
            out = call_unmutated(layer.forward, x_variant)
            expected = ref_layer.forward(np.ascontiguousarray(x_variant))
            check_close(out, expected, f"ReLU.forward {label}", dtype=x_variant.dtype,
                        hint="max(x, 0) in the dtype of x: np.maximum(x, 0).")
            dx = call_unmutated(layer.backward, dout_variant)
            expected_dx = ref_layer.backward(np.ascontiguousarray(dout_variant))
            check_close(dx, expected_dx, f"dx from ReLU.backward {label} (some x exactly 0)",
                        dtype=x_variant.dtype,
                        hint="dx is dout where x > 0 and 0 where x <= 0, in the dtype of dout.")
            check_close(layer.backward(dout_variant), expected_dx,
                        f"dx from ReLU.backward called a second time with the same dout {label}",
                        hint="backward must not change what forward stored (the mask).")
        if seed % 2:
            continue
        layer, ref_layer = ReLU(), ref.ReLU()
        layer.forward(-x.astype(np.float32))
        layer.forward(x.astype(np.float32))
        ref_layer.forward(x.astype(np.float32))
        check_close(layer.backward(dout.astype(np.float32)),
                    ref_layer.backward(dout.astype(np.float32)),
                    f"dx from ReLU.backward for x of shape {shape}, after two forward calls",
                    hint="backward uses the input of the last forward call.")


def check_softmax_cross_entropy(SoftmaxCrossEntropy):
    """Loss and gradient on other batch sizes and classes (one example, one class), large scores
    (stability), float32 and float64 scores of every layout, labels of other integer dtypes;
    backward called twice, forward after forward."""
    ref = reference(ASSIGNMENT)
    for seed, (n, n_classes, scale) in enumerate(((7, 10, 1.0), (1, 3, 1.0), (50, 5, 3.0),
                                                  (4, 6, 400.0), (3, 1, 1.0))):
        rng = np.random.default_rng(500 + seed)
        scores = scale * rng.standard_normal((n, n_classes))
        y = rng.integers(0, n_classes, size=n)
        float64 = [(f"a float64 {scores.shape} array", scores)]
        variants = float64 + list(_float32_inputs(scores))
        for what, scores_variant in variants if seed == 0 else variants[1:2]:
            layer, ref_layer = SoftmaxCrossEntropy(), ref.SoftmaxCrossEntropy()
            label = f"for scores {what}" + (f" (scale {scale:g})" if scale != 1 else "") + (
                " (one class)" if n_classes == 1 else "")
            loss = call_unmutated(layer.forward, scores_variant, y)
            expected_loss = ref_layer.forward(np.ascontiguousarray(scores_variant), y)
            check_close(loss, expected_loss, f"the loss {label}", batch_size=n,
                        rtol=1e-4, atol=1e-5)
            expected = ref_layer.backward()
            dscores = layer.backward()
            check_close(dscores, expected, f"dscores {label}", batch_size=n,
                        dtype=scores_variant.dtype,
                        hint="dscores = (p - one_hot(y)) / N, in the dtype of scores.")
            check_close(layer.backward(), expected,
                        f"dscores from backward() called a second time after one forward, "
                        f"{label}", batch_size=n,
                        hint="backward must not modify what forward stored: work on a copy of "
                             "the probabilities (p.copy()), never on p itself.")
        if seed % 2:
            continue
        layer, ref_layer = SoftmaxCrossEntropy(), ref.SoftmaxCrossEntropy()
        other = scale * rng.standard_normal((n + 2, n_classes))
        layer.forward(other, rng.integers(0, n_classes, size=n + 2))
        layer.backward()
        label = f"for scores of shape {(n, n_classes)}, after a first forward call on other scores"
        check_close(layer.forward(scores, y), ref_layer.forward(scores, y), f"the loss {label}",
                    batch_size=n, rtol=1e-4, atol=1e-5)
        check_close(layer.backward(), ref_layer.backward(), f"dscores {label}", batch_size=n,
                    hint="backward uses what the last forward call stored.")
    rng = np.random.default_rng(550)
    scores = rng.standard_normal((6, 4)).astype(np.float32)
    y = rng.integers(0, 4, size=6)
    ref_layer = ref.SoftmaxCrossEntropy()
    expected_loss = ref_layer.forward(scores, y)
    expected = ref_layer.backward()
    for dtype in (np.int32, np.uint8):
        layer = SoftmaxCrossEntropy()
        check_close(layer.forward(scores, y.astype(dtype)), expected_loss,
                    f"the loss for labels y given as an {np.dtype(dtype).name} array",
                    rtol=1e-4, atol=1e-5)
        check_close(layer.backward(), expected,
                    f"dscores for labels y given as an {np.dtype(dtype).name} array",
                    dtype=np.float32)
    scores = np.zeros((8, 4), np.float32)
    y = np.arange(8) % 4
    check_close(SoftmaxCrossEntropy().forward(scores, y), np.log(4),
                "the loss for all-zero scores over 4 classes (should be log 4)", batch_size=8)


def check_sgd_step(sgd_step):
    """The update on several parameters, each keeping its dtype (float32 and float64), Python
    int and float learning rates, views of every layout; inputs not mutated."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(600)
    shapes = {"0.W": (5, 3), "0.b": (3,), "2.W": (3, 1), "2.b": (1,)}
    for dtype in (np.float32, np.float64):
        params = {k: rng.standard_normal(s).astype(dtype) for k, s in shapes.items()}
        grads = {k: rng.standard_normal(s).astype(dtype) for k, s in shapes.items()}
        params["0.W"] = np.ascontiguousarray(params["0.W"].T).T      # a transposed view
        grads["2.W"] = np.flip(np.flip(grads["2.W"]).copy())          # a reversed view
        for lr in (0.01, 1.5, 1):
            new_params = call_unmutated(sgd_step, params, grads, lr)
            check_equal(np.array(sorted(new_params)), np.array(sorted(params)),
                        "the keys of the dict sgd_step returns")
            expected = ref.sgd_step(params, grads, lr)
            what = f"{np.dtype(dtype).name} parameters (some of them views) and lr={lr!r}" + (
                " (a Python int)" if isinstance(lr, int) else "")
            for k in params:
                check_close(new_params[k], expected[k], f"sgd_step(...)[{k!r}] for {what}",
                            dtype=dtype, hint="params[name] - lr * grads[name], in the dtype "
                                              "of the parameter.")


def check_accuracy(accuracy):
    """Accuracy on other batch sizes and class counts, float32 scores of every layout, labels of
    other integer dtypes; returns a float."""
    ref = reference(ASSIGNMENT)
    for seed, (n, n_classes) in enumerate(((100, 10), (3, 3), (1, 5), (64, 2))):
        rng = np.random.default_rng(700 + seed)
        scores = rng.standard_normal((n, n_classes))
        y = rng.integers(0, n_classes, size=n)
        expected = ref.accuracy(scores, y)
        variants = list(_float32_inputs(scores))
        for what, scores_variant in variants if seed == 0 else variants[:1]:
            value = call_unmutated(accuracy, scores_variant, y)
            check_close(value, expected,
                        f"accuracy for {n} examples and {n_classes} classes, scores {what}",
                        dtype=np.floating,
                        hint="The fraction of rows whose argmax (over the classes, axis=1) is y.")
    check_close(accuracy(scores, y.astype(np.uint8)), expected,
                f"accuracy for {n} examples and labels y given as a uint8 array",
                dtype=np.floating)


def check_minibatch_indices(minibatch_indices):
    """Every example once per epoch, the generator's order, a last short batch, other sizes."""
    ref = reference(ASSIGNMENT)
    cases = ((1, 1), (7, 3), (128, 32), (129, 128), (50, 200), (1000, 64), (6, 6))
    for case, (n, batch_size) in enumerate(cases):
        for seed in (None, 800 + case):
            rng_text = "no rng" if seed is None else "a seeded generator"
            label = f"minibatch_indices({n}, {batch_size}, {rng_text})"
            got = minibatch_indices(n, batch_size,
                                    rng=None if seed is None else np.random.default_rng(seed))
            expected = ref.minibatch_indices(
                n, batch_size, None if seed is None else np.random.default_rng(seed))
            check_true(isinstance(got, list) and len(got) == len(expected),
                       f"{label} should return a list of {len(expected)} index arrays "
                       f"(ceil(N / B) batches, the last with {len(expected[-1])} indices), not "
                       f"{type(got).__name__} of length {len(got)}.")
            for k, (batch, expected_batch) in enumerate(zip(got, expected, strict=False)):
                check_equal(np.asarray(batch), expected_batch, f"batch {k} of {label}",
                            hint="One rng.permutation(n_examples) (np.arange without rng), cut "
                                 "into consecutive slices of batch_size.")
    rng, ref_rng = np.random.default_rng(900), np.random.default_rng(900)
    for epoch in range(3):
        got = np.concatenate(minibatch_indices(20, 8, rng))
        check_equal(got, np.concatenate(ref.minibatch_indices(20, 8, ref_rng)),
                    f"the order of epoch {epoch + 1} from three calls with one generator",
                    hint="Each call draws exactly one rng.permutation(n_examples).")


def _softmax_loss(scores, y):
    """The loss protocol, (mean loss, dscores), for integer labels y."""
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    dscores = np.exp(log_probs)
    dscores[np.arange(len(y)), y] -= 1
    return float(-log_probs[np.arange(len(y)), y].mean()), dscores / len(y)


def _label_accuracy(scores, y):
    return float(np.mean(scores.argmax(axis=1) == y))


def _classification(rng, n, n_features, n_classes, n_val=0):
    """Float32 inputs with integer labels, and a float32 linear model's W and b."""
    X = rng.standard_normal((n + n_val, n_features)).astype(np.float32)
    y = rng.integers(0, n_classes, size=n + n_val)
    W = (0.5 * rng.standard_normal((n_features, n_classes))).astype(np.float32)
    b = (0.1 * rng.standard_normal(n_classes)).astype(np.float32)
    return X[:n], y[:n], X[n:], y[n:], W, b


def check_evaluate(evaluate, LinearModel):
    """Chunked loss and accuracy of a model in test mode on other sizes and chunk sizes."""
    from dlcourse.testing import LinearModel as ReferenceModel

    ref = reference(ASSIGNMENT)
    for seed, (n, batch_size) in ((1000, (25, 10)), (1001, (5, None)), (1002, (8, 8)),
                                  (1003, (1, 3)), (1004, (33, 1)), (1005, (2500, None))):
        rng = np.random.default_rng(seed)
        X, y, _, _, W, b = _classification(rng, n, 6, 4)
        model = LinearModel(W, b)
        options = dict(loss=_softmax_loss, accuracy=_label_accuracy)
        if batch_size is not None:
            options["batch_size"] = batch_size
        label = (f"evaluate on {n} examples with batch_size="
                 f"{'the default 1000' if batch_size is None else batch_size}")
        result = call_unmutated(evaluate, model, X, y, **options)
        reference_model = ReferenceModel(W, b)
        expected = ref.evaluate(reference_model, X, y, **options)
        check_true(isinstance(result, tuple) and len(result) == 2,
                   f"{label} should return a tuple (loss, accuracy), not {describe(result)}.")
        check_true(model.calls == reference_model.calls,
                   f"{label} called model.forward with (batch size, train) = "
                   f"{describe(list(model.calls[:6]))}"
                   f"{'...' if len(model.calls) > 6 else ''}; expected {reference_model.calls[:6]}"
                   f"{'...' if len(reference_model.calls) > 6 else ''}: consecutive chunks of "
                   "batch_size examples, in test mode (train=False).")
        check_close(result[0], expected[0], f"the loss from {label}",
                    hint="The mean over all examples: each chunk's mean loss times its size, "
                         "summed, divided by N.")
        check_close(result[1], expected[1], f"the accuracy from {label}",
                    hint="The fraction over all examples: each chunk's accuracy times its size, "
                         "summed, divided by N.")
        check_close(model.params["W"], W, f"the model's W after {label}",
                    hint="evaluate only measures the model; it does not change it.")


def _momentum(w, dw, config):
    """SGD with momentum: a rule with state in its config, one config per parameter."""
    velocity = config["momentum"] * config.get("velocity", np.zeros_like(w)) + dw
    return w - config["learning_rate"] * velocity, {**config, "velocity": velocity}


def _sgd(w, dw, config):
    return w - config["learning_rate"] * dw, config


_TRAIN_HINTS = {
    "steps": "Check, in this order: the batches (X_train[rows] for the rows of "
             "minibatch_indices(N, batch_size, rng), new ones at every epoch), forward in "
             "training mode, every parameter's own config (replaced by the one update returns), "
             "w[...] = next_w, and every config's learning rate times lr_decay after each epoch.",
    "train_loss": "The mean over the epoch's examples of the recorded batch losses (with the "
                  "model's penalty, if it has one): weight each batch by its size.",
    "train_acc": "The mean over the epoch's examples of the batches' accuracies: weight each "
                 "batch by its size.",
}


def _compare_histories(history, expected, label):
    check_true(isinstance(history, dict) and set(history) == set(expected),
               f"train ({label}) should return a dict with the keys {sorted(expected)}: "
               f"{missing_keys(history, sorted(expected))}" + (
                   " (the validation keys only with a validation set)." if "val_loss"
                   not in expected else "."))
    for key in ("batch_loss", "train_loss", "train_acc", "val_loss", "val_acc"):
        if key in expected:
            check_true(len(history[key]) == len(expected[key]),
                       f"history[{key!r}] ({label}) should hold {len(expected[key])} numbers, "
                       f"not {len(history[key])}.")
            check_close(history[key], expected[key], f"history[{key!r}] ({label})",
                        rtol=1e-4, atol=1e-6, hint=_TRAIN_HINTS.get(key, _TRAIN_HINTS["steps"]))
    seconds = history["seconds"]
    check_true(len(seconds) == len(expected["seconds"]) and all(
        0 <= a <= b for a, b in zip([0, *seconds], seconds, strict=False)),
        f"history['seconds'] ({label}) should hold {len(expected['seconds'])} increasing times "
        f"since the start, one per epoch, not {seconds}.")


def check_train(train, LinearModel):
    """The training loop on other data, rules and schedules: steps, history, in-place updates,
    decay."""
    from dlcourse.testing import LinearModel as ReferenceModel

    ref = reference(ASSIGNMENT)
    cases = (
        ("momentum, 50 examples in batches of 16, 3 epochs, lr_decay 0.7, 23 validation examples",
         1100, dict(n=50, n_val=23, batch_size=16, epochs=3, lr_decay=0.7, update=_momentum,
                    optim_config={"learning_rate": 0.3, "momentum": 0.9}), 0.0),
        ("plain SGD, no validation set, one batch of all 12 examples, 2 epochs", 1101,
         dict(n=12, n_val=0, batch_size=40, epochs=2, update=_sgd,
              optim_config={"learning_rate": 0.5}), 0.0),
        ("a model with an L2 penalty, 30 examples in batches of 7, 2 epochs", 1102,
         dict(n=30, n_val=10, batch_size=7, epochs=2, update=_sgd,
              optim_config={"learning_rate": 0.2}), 0.5),
    )
    for label, seed, settings, l2 in cases:
        settings = dict(settings)
        rng = np.random.default_rng(seed)
        X, y, X_val, y_val, W, b = _classification(rng, settings.pop("n"), 5, 3,
                                                   settings.pop("n_val"))
        if not len(X_val):
            X_val = y_val = None
        options = dict(loss=_softmax_loss, accuracy=_label_accuracy, X_val=X_val, y_val=y_val,
                       progress=False, **settings)
        model = LinearModel(W, b, l2)
        try:
            history = call_unmutated(train, model, X, y, rng=np.random.default_rng(seed + 1),
                                     **options)
        except ValueError:
            raise FeedbackError(
                f"train ({label}) raised ValueError.\nLikely mistake: one config shared "
                "by all parameters, so that the velocity of W (5, 3) reaches the update of b "
                "(3,): give every parameter its own copy of optim_config.") from None
        reference_model = ReferenceModel(W, b, l2)
        expected = ref.train(reference_model, X, y, rng=np.random.default_rng(seed + 1),
                             **options)
        check_true(np.array_equal(model.params["W"], model.W),
                   f"After train ({label}), model.params['W'] differs from the array the model "
                   "computes with (as the layers of a Sequential do): write the new values into "
                   "the array, w[...] = next_w, instead of model.params[name] = next_w.")
        steps = [call for call in model.calls if call[1]]
        expected_steps = [call for call in reference_model.calls if call[1]]
        check_true(steps == expected_steps,
                   f"train ({label}) called forward in training mode with batch sizes "
                   f"{[size for size, _ in steps]}, expected "
                   f"{[size for size, _ in expected_steps]}.")
        n_checked = sum(size for size, mode in model.calls if not mode)
        n_expected = settings["epochs"] * (0 if X_val is None else len(X_val))
        check_true(n_checked == n_expected,
                   f"train ({label}) evaluated {n_checked} examples in test mode, expected "
                   f"{n_expected}: the whole validation set after every epoch"
                   + (", and nothing without one." if X_val is None else "."))
        _compare_histories(history, expected, label)
        for name in ("W", "b"):
            check_close(model.params[name], reference_model.params[name],
                        f"the model's {name} after train ({label})",
                        hint="Every parameter has its own config, passed to update and replaced "
                             "by the one it returns; write next_w into the array.")
    # Notebook 09 trains one epoch per call: calls must not share any state.
    rng = np.random.default_rng(1200)
    X, y, _, _, W, b = _classification(rng, 20, 4, 2)
    options = dict(loss=_softmax_loss, accuracy=_label_accuracy, update=_sgd,
                   optim_config={"learning_rate": 0.1}, batch_size=8, progress=False)
    model, reference_model = LinearModel(W, b), ReferenceModel(W, b)
    for call in range(2):
        history = train(model, X, y, rng=np.random.default_rng(1201 + call), epochs=1, **options)
        expected = ref.train(reference_model, X, y, rng=np.random.default_rng(1201 + call),
                             epochs=1, **options)
        _compare_histories(history, expected, f"call {call + 1} of two one-epoch calls on one "
                                              "model: each call starts a fresh history")
