"""Hidden tests of notebook 05 (backpropagation). Each takes the student's function(s).

Backward passes are always fed the cache of the student's own forward pass, and are checked
twice: against numerical gradients (check_backward) and against the reference's gradients.
"""
import numpy as np

from dlcourse.testing import call_unmutated, check_backward, check_close, check_true

from . import reference

ASSIGNMENT = "05_backprop"
PARAM_NAMES = ("W1", "b1", "W2", "b2")


def _pair(result, name):
    check_true(isinstance(result, tuple) and len(result) == 2, f"{name} should return a pair "
               f"(out, cache), but returned {type(result).__name__}.")
    return result


def check_affine_forward(affine_forward):
    """x of 2 to 4 dimensions flattened per example, one output unit."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(5001)
    for x_shape, m in (((3, 5), 4), ((2, 3, 4), 2), ((1, 2, 2, 2), 3), ((7, 1), 1)):
        x = rng.standard_normal(x_shape)
        w = rng.standard_normal((int(np.prod(x_shape[1:])), m))
        b = rng.standard_normal(m)
        out, _ = _pair(call_unmutated(affine_forward, x, w, b), "affine_forward")
        check_close(out, ref.affine_forward(x, w, b)[0],
                    f"out of affine_forward for x of shape {x_shape} and w of shape {w.shape}",
                    hint="Flatten each example into a row, (N, D), then multiply by w and add b.")


def check_affine_backward(affine_forward, affine_backward):
    """x of 2 to 4 dimensions, a batch of one; numerical and exact grads."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(5002)
    for x_shape, m in (((5, 3), 4), ((3, 2, 2, 3), 2), ((1, 4), 1), ((6, 2, 5), 3)):
        x = rng.standard_normal(x_shape)
        w = rng.standard_normal((int(np.prod(x_shape[1:])), m))
        b = rng.standard_normal(m)
        check_backward(affine_forward, affine_backward, {"x": x, "w": w, "b": b}, rng=rng)
        dout = rng.standard_normal((x_shape[0], m))
        grads = affine_backward(dout, affine_forward(x, w, b)[1])
        expected = ref.affine_backward(dout, ref.affine_forward(x, w, b)[1])
        for name, got, want in zip(("dx", "dw", "db"), grads, expected, strict=True):
            check_close(got, want, f"{name} of affine_backward for x of shape {x_shape}",
                        batch_size=x_shape[0],
                        hint="Each gradient has the shape of what it is the gradient of: dx "
                             "reshaped back to x's shape, dw (D, M) from the flattened x and dout, "
                             "db summed over the batch.")


def check_relu_forward(relu_forward):
    """1-D to 3-D inputs with exact zeros; returns the pair (out, cache)."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(5003)
    for shape in ((4, 6), (2, 3, 4), (5,)):
        x = rng.standard_normal(shape)
        x.flat[::4] = 0.0
        out, _ = _pair(call_unmutated(relu_forward, x), "relu_forward")
        check_close(out, ref.relu_forward(x)[0], f"out of relu_forward for x of shape {shape}",
                    hint="max(0, x) element-wise (not np.max), of x's shape.")


def check_relu_backward(relu_forward, relu_backward):
    """3-D inputs, and exact zeros (gradient 0 there); numerical gradients."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(5004)
    for shape in ((6, 5), (2, 3, 4)):
        x = rng.standard_normal(shape)
        x[np.abs(x) < 0.01] = -0.5  # keep numerical gradients away from the kink
        check_backward(relu_forward, relu_backward, {"x": x}, rng=rng)
    x = rng.integers(-2, 3, size=(4, 5)).astype(float)  # many exact zeros
    dout = rng.standard_normal((4, 5))
    check_close(call_unmutated(relu_backward, dout, relu_forward(x)[1]),
                ref.relu_backward(dout, ref.relu_forward(x)[1]),
                "dx of relu_backward for inputs with exact zeros",
                hint="The gradient at x == 0 is taken as 0: only strictly positive inputs let "
                     "the gradient through.")


def check_sigmoid_forward(sigmoid_forward):
    """3-D inputs, and ±1000 without an overflow warning."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(5005)
    for shape in ((3, 7), (2, 2, 5)):
        x = 4 * rng.standard_normal(shape)
        out, _ = _pair(call_unmutated(sigmoid_forward, x), "sigmoid_forward")
        check_close(out, ref.sigmoid_forward(x)[0],
                    f"out of sigmoid_forward for x of shape {shape}", rtol=1e-7)
    extreme = np.array([-1000.0, -40.0, 0.0, 40.0, 1000.0])
    try:
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            out, _ = sigmoid_forward(extreme)
    except FloatingPointError as error:
        check_true(False, f"sigmoid_forward([-1000, -40, 0, 40, 1000]) overflows ({error}); numpy "
                   "would print a warning, and a test cell that prints one scores 0. Compute "
                   "exp(-|x|) only: 1 / (1 + z) where x >= 0 and z / (1 + z) where x < 0, with "
                   "z = exp(-|x|).")
    check_close(out, ref.sigmoid_forward(extreme)[0], "sigmoid_forward([-1000, -40, 0, 40, 1000])",
                atol=1e-12)


def check_sigmoid_backward(sigmoid_forward, sigmoid_backward):
    """3-D inputs, saturated inputs (±30); numerical gradients."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(5006)
    for shape in ((4, 3), (2, 3, 2)):
        check_backward(sigmoid_forward, sigmoid_backward, {"x": 2 * rng.standard_normal(shape)},
                       rng=rng)
    x = np.concatenate([3 * rng.standard_normal(8), [-30.0, 30.0]])
    dout = rng.standard_normal(x.shape)
    check_close(call_unmutated(sigmoid_backward, dout, sigmoid_forward(x)[1]),
                ref.sigmoid_backward(dout, ref.sigmoid_forward(x)[1]),
                "dx of sigmoid_backward on 10 inputs", rtol=1e-7, atol=1e-12,
                hint="dx is dout times sigma'(x), written with the cached forward output.")


def _as_layer(two_layer_loss, X, y):
    """two_layer_loss seen as a layer of its parameters, so that check_backward can check it:
    forward(W1, b1, W2, b2) -> (loss, grads), backward(dloss, grads) -> dloss * each gradient."""
    def forward(W1, b1, W2, b2):
        loss, grads = two_layer_loss(X, y, {"W1": W1, "b1": b1, "W2": W2, "b2": b2})
        return np.array(loss, dtype=float), grads

    def backward(dloss, grads):
        return tuple(dloss * np.asarray(grads[name]) for name in PARAM_NAMES)

    forward.__name__ = backward.__name__ = "two_layer_loss"
    return forward, backward


def check_two_layer_loss(two_layer_loss):
    """N = 1, C = 1 and C = 2, params kept; numerical gradients of the loss."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(5007)
    for n, d, h, c in ((5, 4, 6, 3), (1, 2, 3, 1), (8, 3, 10, 2)):
        X, y = rng.standard_normal((n, d)), rng.standard_normal((n, c))
        params = {"W1": rng.standard_normal((d, h)), "b1": rng.standard_normal(h),
                  "W2": rng.standard_normal((h, c)), "b2": rng.standard_normal(c)}
        originals = {name: value.copy() for name, value in params.items()}
        loss, grads = call_unmutated(two_layer_loss, X, y, params)
        for name in PARAM_NAMES:
            check_true(np.array_equal(params[name], originals[name]),
                       f'two_layer_loss modified params["{name}"] in place: compute new arrays.')
        label = f"(N={n}, D={d}, H={h}, C={c})"
        expected_loss, expected_grads = ref.two_layer_loss(X, y, params)
        check_close(loss, expected_loss, f"loss of two_layer_loss {label}",
                    hint="The mean of the squared differences over all N * C entries, no 1/2.")
        check_true(isinstance(grads, dict) and sorted(grads) == sorted(PARAM_NAMES),
                   'grads should be a dict with the keys "W1", "b1", "W2", "b2".')
        for name in PARAM_NAMES:
            check_close(grads[name], expected_grads[name], f'grads["{name}"] {label}',
                        batch_size=n, hint="The gradient of the loss with respect to the scores "
                                           "has a 2 and a 1/(N C); then back through affine, ReLU, "
                                           "affine.")
        forward, backward = _as_layer(two_layer_loss, X, y)
        check_backward(forward, backward, params, rng=rng)


_BRANCH_NODES = ("q", "s", "r", "p", "out")
_BRANCH_GRADS = ("p", "r", "s", "q", "x", "y", "z")   # backward order


def _branch_diagnosis(node, got, x, y, z, values, grads):
    """The likely mistake behind a wrong d out / d node, from the right upstream gradients."""
    r, s = values["r"], values["s"]
    candidates = {
        "r": [(grads["p"] * s, "only the path through p: r also feeds out directly, and branches "
                               "add up"),
              (1.0, "only the direct path into out: r also feeds p, and branches add up")],
        "x": [(grads["q"] * y, "only the path through q: x also feeds s, and branches add up"),
              (grads["s"], "only the path through s: x also feeds q, and branches add up"),
              (grads["q"] * x + grads["s"], "the product sent x its own value: the product of x "
                                            "and y sends x the upstream gradient times y")],
        "q": [(grads["r"] * (1 - values["q"] ** 2), "1 - q**2: tanh's derivative squares its "
                                                    "output r = tanh(q), not its input q"),
              (grads["r"] * (1 - r), "tanh's derivative without the square")],
        "s": [(grads["p"], "the product of r and s sends s the upstream gradient times r"),
              (grads["p"] * s, "the product sent s its own value: it gets the other input, r")],
        "y": [(grads["q"] * y, "the product sent y its own value: it gets the other input, x")],
        "p": [(s, "out is the sum of p and r: it passes the upstream gradient 1 on unchanged")],
        "z": [(grads["s"] * z,
               "s is the sum of x and z: it passes its upstream gradient unchanged")],
    }
    if np.isclose(got, grads[node], rtol=1e-6, atol=1e-9):
        return ("Likely mistake: numerical differences, right to about 10 digits only: push the "
                "gradient through the graph with the chain rule.")
    for value, why in candidates.get(node, []):
        if np.isclose(got, value, rtol=1e-8, atol=1e-12):
            return f"Likely mistake: {why}."
    return ("Each gradient is the upstream gradient times the local derivative, summed over the "
            "branches.")


def check_branch_graph(branch_graph):
    """Seven more points, zeros, numpy scalars; every node's value and grad."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(5008)
    points = [(1.2, 0.8, -0.4), (-0.3, 2.0, 0.7), (0.0, 1.5, -2.0), (2.0, -0.5, 0.0)]
    points += [tuple(float(v) for v in rng.uniform(-1.5, 1.5, size=3)) for _ in range(3)]
    points += [tuple(np.float64(v) for v in rng.uniform(-1.0, 1.0, size=3))]
    for x, y, z in points:
        at = f"at (x, y, z) = ({x:.3g}, {y:.3g}, {z:.3g})"
        result = branch_graph(x, y, z)
        check_true(isinstance(result, tuple) and len(result) == 2
                   and all(isinstance(d, dict) for d in result),
                   "branch_graph should return a pair of dicts (values, grads).")
        values, grads = result
        expected_values, expected_grads = ref.branch_graph(x, y, z)
        for node in _BRANCH_NODES:
            check_true(node in values, f'values has no entry "{node}": it needs one per node.')
            check_close(values[node], expected_values[node], f'values["{node}"] {at}', rtol=1e-12,
                        atol=1e-12, hint="Follow the table of nodes, in order.")
        for node in _BRANCH_GRADS:
            check_true(node in grads, f'grads has no entry "{node}": it needs one per node and '
                                      "input.")
            got = float(np.asarray(grads[node], dtype=float))
            if not np.isclose(got, expected_grads[node], rtol=1e-12, atol=1e-12):
                check_close(got, expected_grads[node], f'grads["{node}"] = d out / d {node} {at}',
                            rtol=1e-12, atol=1e-12,
                            hint=_branch_diagnosis(node, got, x, y, z, expected_values,
                                                   expected_grads)
                            + " (The gradients are checked in backward order: this is the first "
                              "wrong one.)")


def _one_hidden_layer(x, params):
    """b2 + relu(x W1 + b1) W2 at the points x (M,): the network the parameters describe."""
    W1, b1, W2, b2 = (np.asarray(params[name], dtype=float) for name in PARAM_NAMES)
    return (np.maximum(x[:, None] @ W1 + b1, 0) @ W2 + b2)[:, 0]


def check_relu_interpolant(relu_interpolant):
    """2 to 31 unequal knots, a tent, a constant; the shapes of params."""
    rng = np.random.default_rng(5009)
    random_knots = lambda n, start: start + np.cumsum(rng.uniform(0.05, 0.5, size=n + 1))  # noqa: E731
    cases = [("2 knots (one segment)", np.array([-1.0, 2.0]), np.array([3.0, -1.0])),
             ("the tent (0, 0), (1, 1), (2, 0)", np.array([0.0, 1.0, 2.0]),
              np.array([0.0, 1.0, 0.0])),
             ("6 unequally spaced knots from -3", random_knots(5, -3.0), rng.standard_normal(6)),
             ("31 unequally spaced knots from 10", random_knots(30, 10.0),
              5 * rng.standard_normal(31)),
             ("5 knots, values equal (a constant function)", np.linspace(1.0, 2.0, 5),
              np.full(5, -0.7))]
    for what, knots, values in cases:
        n = len(knots) - 1
        params = call_unmutated(relu_interpolant, knots, values)
        check_true(isinstance(params, dict) and sorted(params) == sorted(PARAM_NAMES),
                   'relu_interpolant should return a dict with the keys "W1", "b1", "W2", "b2".')
        for name, shape in (("W1", (1, n)), ("b1", (n,)), ("W2", (n, 1)), ("b2", (1,))):
            got_shape = np.shape(params[name])
            why = ""
            segments = f"{n} segment" + ("s" if n > 1 else "")
            if got_shape in ((n + 1,), (1, n + 1), (n + 1, 1)):
                why = (f" Likely mistake: one unit per knot; {n + 1} knots make {segments}, and "
                       "one unit per segment is enough.")
            elif name == "W1" and got_shape == (n,):
                why = " Likely mistake: W1 is a matrix with one row (one input), not a vector."
            check_true(got_shape == shape, f'params["{name}"] for {what} should have shape {shape} '
                       f"(one hidden unit per segment), but has shape {got_shape}.{why}")
        x = np.concatenate([knots, np.linspace(knots[0], knots[-1], 401),
                            rng.uniform(knots[0], knots[-1], size=50)])
        got = _one_hidden_layer(x, params)
        expected = np.interp(x, knots, values)
        scale = max(1.0, np.max(np.abs(values)))
        check_close(got[0], values[0], f"the network's output at x = t_0 for {what}",
                    rtol=1e-9, atol=1e-9 * scale,
                    hint="At x = t_0 every hidden unit should be off, so the output is b2 alone: "
                         "check b2, and where each unit switches on.")
        slopes = np.diff(values) / np.diff(knots)
        W2 = np.asarray(params["W2"], dtype=float)[:, 0]
        hint = ("Unit j is relu(x - t_j); on segment k the output's slope is the sum of the output "
                "weights of the units that are on.")
        if n > 1 and np.allclose(W2, slopes) and not np.allclose(slopes, slopes[0]):
            hint = ("Likely mistake: the output weights are the slopes m_k of the segments, but on "
                    "segment k units 0..k are all on and their weights add up: each weight must "
                    "be the change of slope at its knot.")
        check_close(got, expected, f"the network's output on {what} (at the knots and at 451 "
                    "points between them)", rtol=1e-9, atol=1e-9 * scale, hint=hint)
