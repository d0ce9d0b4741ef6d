"""Hidden tests of notebook 06 (MNIST with a multi-layer perceptron). Each takes the student's
function or class and compares it with the solution on other shapes, seeds and edge cases."""
import numpy as np

from dlcourse.testing import call_unmutated, check_close, check_equal, check_true

from . import reference

ASSIGNMENT = "06_mnist_mlp"


def _check_float32(array, name):
    check_true(np.asarray(array).dtype == np.float32,
               f"{name} should stay float32 for float32 inputs, but it is "
               f"{np.asarray(array).dtype}: an array created without dtype=np.float32 (or a "
               "float64 constant array) promotes everything it touches.")


def check_he_init(he_init):
    ref = reference(ASSIGNMENT)
    for seed, (fan_in, fan_out) in enumerate(((784, 256), (1, 5), (50, 1), (7, 13))):
        W = he_init(fan_in, fan_out, np.random.default_rng(100 + seed))
        check_close(W, ref.he_init(fan_in, fan_out, np.random.default_rng(100 + seed)),
                    f"he_init({fan_in}, {fan_out}, rng) (seed {100 + seed})",
                    hint="rng.standard_normal((fan_in, fan_out)) * np.sqrt(2 / fan_in), "
                         "as float32.")
        _check_float32(W, f"he_init({fan_in}, {fan_out}, rng)")
    first = he_init(20, 30, np.random.default_rng(5))
    second = he_init(20, 30, np.random.default_rng(6))
    check_true(not np.array_equal(first, second),
               "he_init gives the same weights for two different generators: draw from the rng "
               "argument, not from np.random.")


def _random_linear(Linear, ref, fan_in, fan_out, rng):
    """A student layer and a reference layer with the same random float32 parameters."""
    params = {"W": rng.standard_normal((fan_in, fan_out)).astype(np.float32),
              "b": rng.standard_normal(fan_out).astype(np.float32)}
    layer, ref_layer = Linear(fan_in, fan_out, rng), ref.Linear(fan_in, fan_out, rng)
    layer.params = {k: v.copy() for k, v in params.items()}
    ref_layer.params = {k: v.copy() for k, v in params.items()}
    return layer, ref_layer


def check_linear(Linear):
    ref = reference(ASSIGNMENT)
    for seed, (fan_in, fan_out) in enumerate(((784, 16), (1, 3), (12, 1))):
        layer = Linear(fan_in, fan_out, np.random.default_rng(200 + seed))
        W_ref = ref.he_init(fan_in, fan_out, np.random.default_rng(200 + seed))
        check_close(layer.params["W"], W_ref,
                    f"params['W'] of Linear({fan_in}, {fan_out}, rng)",
                    hint="W = he_init(fan_in, fan_out, rng), called with the rng given.")
        check_close(layer.params["b"], np.zeros(fan_out, np.float32),
                    f"params['b'] of Linear({fan_in}, {fan_out}, rng)")
        _check_float32(layer.params["b"], "params['b']")
    for seed, x_shape, fan_out in ((300, (16, 32), 10), (301, (1, 5), 4), (302, (6, 1, 4, 3), 7),
                                   (303, (9, 2), 1)):
        rng = np.random.default_rng(seed)
        n, fan_in = x_shape[0], int(np.prod(x_shape[1:]))
        layer, ref_layer = _random_linear(Linear, ref, fan_in, fan_out, rng)
        x = rng.standard_normal(x_shape).astype(np.float32)
        dout = rng.standard_normal((n, fan_out)).astype(np.float32)
        label = f"for x of shape {x_shape} and {fan_out} outputs"
        out = call_unmutated(layer.forward, x)
        check_close(out, ref_layer.forward(x), f"Linear.forward {label}")
        _check_float32(out, f"Linear.forward {label}")
        dx = call_unmutated(layer.backward, dout)
        ref_dx = ref_layer.backward(dout)
        check_close(dx, ref_dx, f"dx from Linear.backward {label}")
        for name in ("W", "b"):
            check_close(layer.grads[name], ref_layer.grads[name],
                        f"grads[{name!r}] from Linear.backward {label}", batch_size=n)
            _check_float32(layer.grads[name], f"grads[{name!r}]")
        layer.backward(2 * dout)
        check_close(layer.grads["W"], 2 * ref_layer.grads["W"],
                    f"grads['W'] after a second backward with 2 * dout {label}",
                    hint="Each backward sets grads afresh from its own dout.")


def check_relu(ReLU):
    ref = reference(ASSIGNMENT)
    for seed, shape in ((400, (50, 10)), (401, (2, 3, 4, 5)), (402, (1, 1))):
        rng = np.random.default_rng(seed)
        x = rng.standard_normal(shape).astype(np.float32)
        x.flat[::7] = 0.0
        dout = rng.standard_normal(shape).astype(np.float32)
        layer, ref_layer = ReLU(), ref.ReLU()
        out = call_unmutated(layer.forward, x)
        check_close(out, ref_layer.forward(x), f"ReLU.forward for x of shape {shape}")
        _check_float32(out, "ReLU.forward")
        dx = call_unmutated(layer.backward, dout)
        check_close(dx, ref_layer.backward(dout),
                    f"dx from ReLU.backward for x of shape {shape} (some x exactly 0)",
                    hint="dx is dout where x > 0 and 0 where x <= 0.")
        _check_float32(dx, "dx from ReLU.backward")


def check_softmax_cross_entropy(SoftmaxCrossEntropy):
    ref = reference(ASSIGNMENT)
    for seed, (n, n_classes, scale) in enumerate(((7, 10, 1.0), (1, 3, 1.0), (50, 5, 3.0),
                                                  (4, 6, 400.0))):
        rng = np.random.default_rng(500 + seed)
        scores = (scale * rng.standard_normal((n, n_classes))).astype(np.float32)
        y = rng.integers(0, n_classes, size=n)
        layer, ref_layer = SoftmaxCrossEntropy(), ref.SoftmaxCrossEntropy()
        label = f"for scores of shape {(n, n_classes)} (scale {scale:g})"
        loss = call_unmutated(layer.forward, scores, y)
        check_close(loss, ref_layer.forward(scores, y), f"the loss {label}", batch_size=n,
                    rtol=1e-4, atol=1e-5)
        dscores = layer.backward()
        check_close(dscores, ref_layer.backward(), f"dscores {label}", batch_size=n)
        _check_float32(dscores, "dscores")
    scores = np.zeros((8, 4), np.float32)
    y = np.arange(8) % 4
    check_close(SoftmaxCrossEntropy().forward(scores, y), np.log(4),
                "the loss for all-zero scores over 4 classes (should be log 4)", batch_size=8)


def check_sgd_step(sgd_step):
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(600)
    shapes = {"0.W": (5, 3), "0.b": (3,), "2.W": (3, 1), "2.b": (1,)}
    params = {k: rng.standard_normal(s).astype(np.float32) for k, s in shapes.items()}
    grads = {k: rng.standard_normal(s).astype(np.float32) for k, s in shapes.items()}
    for lr in (0.01, 1.5):
        originals = {k: (params[k].copy(), grads[k].copy()) for k in params}
        new_params = sgd_step(params, grads, lr)
        for k, (param, grad) in originals.items():
            check_true(np.array_equal(params[k], param) and np.array_equal(grads[k], grad),
                       f"sgd_step modified params[{k!r}] or grads[{k!r}] in place.")
        check_equal(np.array(sorted(new_params)), np.array(sorted(params)),
                    "the keys of the dict sgd_step returns")
        expected = ref.sgd_step(params, grads, lr)
        for k in params:
            check_close(new_params[k], expected[k], f"sgd_step(...)[{k!r}] with lr={lr}")
            _check_float32(new_params[k], f"sgd_step(...)[{k!r}]")


def check_accuracy(accuracy):
    ref = reference(ASSIGNMENT)
    for seed, (n, n_classes) in enumerate(((100, 10), (3, 3), (1, 5), (64, 2))):
        rng = np.random.default_rng(700 + seed)
        scores = rng.standard_normal((n, n_classes)).astype(np.float32)
        y = rng.integers(0, n_classes, size=n)
        value = call_unmutated(accuracy, scores, y)
        check_close(value, ref.accuracy(scores, y),
                    f"accuracy for {n} examples and {n_classes} classes",
                    hint="The fraction of rows whose argmax (over the classes, axis=1) is y.")
