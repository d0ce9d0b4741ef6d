"""Hidden tests of notebook 05 (backpropagation). Each takes the student's function(s).

Backward passes are always fed the cache of the student's own forward pass, and are checked
twice: against numerical gradients (check_backward) and against the reference's gradients. Every
layer is also tried on views, Fortran order, float32 and int inputs (dtypes checked as the
docstrings say), and every backward pass is called twice on one cache: the cache must not change
and the second call must give what the first gave. Failures name the kind of input, never its
values or the seed.
"""
import numpy as np

from dlcourse.testing import (
    call_on,
    call_unmutated,
    check_backward,
    check_close,
    check_true,
    describe_shape,
    raised_on,
)

from . import reference
from .inputs import layouts, variants

ASSIGNMENT = "05_backprop"
PARAM_NAMES = ("W1", "b1", "W2", "b2")


def _pair(result, name):
    check_true(isinstance(result, tuple) and len(result) == 2, f"{name} should return a pair "
               f"(out, cache), but returned {type(result).__name__}.")
    return result


def _shape(shape):
    return "(" + ", ".join(map(str, shape)) + (",)" if len(shape) == 1 else ")")


def _dtype_of(what):
    """The dtype a result must have for an input described as ``what`` (from inputs.variants),
    when the dtype of float inputs is kept: float32 stays float32, anything else gives floats."""
    return np.float32 if what.startswith("a float32") else np.floating


def _paired(x, other, *kinds):
    """[(description of x's variant, x's variant, ``other`` as the same kind of input)]: the
    same layout (a C-ordered ``other`` when it has no such layout, e.g. Fortran order in 2-D)
    and the same dtype, except that an int x comes with a float64 ``other`` (an upstream
    gradient is never an int array)."""
    def key(what):
        return what.split()[1]   # "a transposed (3, 2) view" -> "transposed"
    others = {key(what): value for what, value in variants(other, *kinds)}
    return [(what, value, others["float64"] if key(what) == "int64" else
             others.get(key(what), others["float64"]))
            for what, value in variants(x, *kinds)]


def _cache_copy(value):
    """A deep copy of the arrays in a cache (an array, or tuples, lists and dicts of them)."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, (tuple, list)):
        return type(value)(_cache_copy(item) for item in value)
    if isinstance(value, dict):
        return {key: _cache_copy(item) for key, item in value.items()}
    return value


def _check_called_twice(backward, dout, cache, names, what):
    """backward(dout, cache) twice: the cache is left as it was (call_unmutated) and both calls
    agree."""
    first = call_unmutated(backward, dout, cache)
    bname = backward.__name__
    second = backward(dout, cache)
    if len(names) == 1:
        first, second = (first,), (second,)
    for name, got, want in zip(names, second, first, strict=True):
        check_close(got, want, f"{name} of {bname} on a second call with the same dout and cache "
                               f"({what})",
                    hint="A backward pass must give the same gradients every time it is called "
                         "with the same arguments: keep nothing between calls (no default "
                         "argument or global that accumulates), and do not change the cache.")


def check_affine_forward(affine_forward):
    """x of 2 to 4 dimensions flattened per example, one output unit, a batch of one; views,
    Fortran order, float32 (kept) and int x."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(5001)
    hint = "Flatten each example into a row, (N, D), then multiply by w and add b."
    for x_shape, m in (((3, 5), 4), ((2, 3, 4), 2), ((1, 2, 2, 2), 3), ((7, 1), 1)):
        x = 3 * rng.standard_normal(x_shape)
        w = rng.standard_normal((int(np.prod(x_shape[1:])), m))
        b = rng.standard_normal(m)
        kinds = ("layout", "float32", "int") if x.ndim == 3 else ()   # every kind, on one shape
        for what, xv in variants(x, *kinds):
            wv, bv = (w.astype(np.float32), b.astype(np.float32)) if xv.dtype == np.float32 \
                else (w, b)
            name = f"out of affine_forward for x of shape {_shape(x_shape)} given as {what}"
            if xv.dtype == np.float32:
                name += ", w and b float32 too"
            with raised_on(name, hint):
                out, _ = _pair(call_unmutated(affine_forward, xv, wv, bv), "affine_forward")
            check_close(out, ref.affine_forward(xv, wv, bv)[0], name, dtype=_dtype_of(what),
                        hint=hint)
        if x.ndim == 2:
            what, wv = next(layouts(w))
            name = f"out of affine_forward with w of shape {_shape(w.shape)} given as {what}"
            with raised_on(name, hint):
                out, _ = _pair(call_unmutated(affine_forward, x, wv, b), "affine_forward")
            check_close(out, ref.affine_forward(x, wv, b)[0], name, hint=hint)


def check_affine_backward(affine_forward, affine_backward):
    """x of 2 to 4 dimensions, a batch of one; numerical and exact grads; views, Fortran order,
    float32 (kept) and int x; called twice on one cache."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(5002)
    hint = ("Each gradient has the shape of what it is the gradient of: dx reshaped back to x's "
            "shape, dw (D, M) from the flattened x and dout, db summed over the batch; each a "
            "new float array.")
    for x_shape, m in (((5, 3), 4), ((3, 2, 2, 3), 2), ((1, 4), 1), ((6, 2, 5), 3)):
        x = rng.standard_normal(x_shape)
        w = rng.standard_normal((int(np.prod(x_shape[1:])), m))
        b = rng.standard_normal(m)
        check_backward(affine_forward, affine_backward, {"x": x, "w": w, "b": b}, rng=rng)
        dout = rng.standard_normal((x_shape[0], m))
        if x.ndim == 2:
            _check_called_twice(affine_backward, dout.copy(),
                                affine_forward(x.copy(), w.copy(), b.copy())[1],
                                ("dx", "dw", "db"), f"x of shape {_shape(x_shape)}")
        kinds = ("layout", "float32", "int") if x.ndim == 4 else ()   # every kind, on one shape
        for what, xv, dv in _paired(3 * x, dout, *kinds):
            float32 = xv.dtype == np.float32
            wv, bv = (w.astype(np.float32), b.astype(np.float32)) if float32 else (w, b)
            label = f"x of shape {_shape(x_shape)} given as {what}" + (
                " (w, b and dout float32 too)" if float32 else " (and dout)"
                if "view" in what or "Fortran" in what else "")
            with raised_on(f"affine_backward for {label}", hint):
                grads = call_unmutated(affine_backward, dv, affine_forward(xv, wv, bv)[1])
            check_true(isinstance(grads, tuple) and len(grads) == 3,
                       "affine_backward should return three gradients (dx, dw, db).")
            expected = ref.affine_backward(dv, ref.affine_forward(xv, wv, bv)[1])
            for name, got, want in zip(("dx", "dw", "db"), grads, expected, strict=True):
                check_close(got, want, f"{name} of affine_backward for {label}",
                            batch_size=x_shape[0], dtype=_dtype_of(what), hint=hint)


def check_relu_forward(relu_forward):
    """1-D to 3-D inputs with exact zeros; views, Fortran order, float32 (kept), int; returns
    the pair (out, cache)."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(5003)
    for shape in ((4, 6), (2, 3, 4), (5,), (1, 3)):
        x = 3 * rng.standard_normal(shape)
        x.flat[::4] = 0.0
        kinds = ("layout", "float32", "int") if x.ndim == 3 else ()   # every kind, on one shape
        for what, xv in variants(x, *kinds):
            name = f"out of relu_forward for x of shape {_shape(shape)} given as {what}"
            with raised_on(name):
                out, _ = _pair(call_unmutated(relu_forward, xv), "relu_forward")
            check_close(out, ref.relu_forward(xv)[0], name,
                        dtype=np.number if what.startswith("an int") else xv.dtype.type,
                        hint="max(0, x) element-wise (not np.max), of x's shape, in a new array "
                             "of x's dtype.")


def check_relu_backward(relu_forward, relu_backward):
    """3-D inputs, and exact zeros (gradient 0 there); numerical gradients; views, Fortran
    order, float32 (kept) and int x; called twice on one cache."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(5004)
    for shape in ((6, 5), (2, 3, 4)):
        x = rng.standard_normal(shape)
        x[np.abs(x) < 0.01] = -0.5  # keep numerical gradients away from the kink
        check_backward(relu_forward, relu_backward, {"x": x}, rng=rng)
    hint = ("dx equals dout where the input was > 0 and 0 elsewhere, as a new array of dout's "
            "dtype.")
    shape = (2, 3, 2)   # every kind of input, on one shape
    x = rng.integers(-2, 3, size=shape).astype(float)  # many exact zeros
    dout = rng.standard_normal(shape)
    for what, xv, dv in _paired(x, dout, "layout", "float32", "int"):
        label = (f"x of shape {_shape(shape)} with exact zeros, given as {what}"
                 + (" (and dout)" if not what.startswith("an int") else ""))
        with raised_on(f"relu_backward for {label}", hint):
            got = call_unmutated(relu_backward, dv, relu_forward(xv)[1])
        check_close(got, ref.relu_backward(dv, ref.relu_forward(xv)[1]),
                    f"dx of relu_backward for {label}", dtype=dv.dtype.type, hint=hint)
    _check_called_twice(relu_backward, dout, relu_forward(x)[1], ("dx",),
                        f"x of shape {_shape(shape)}")


def check_sigmoid_forward(sigmoid_forward):
    """3-D inputs, and ±1000 without an overflow warning; views, Fortran order, float32 (kept)
    and int x."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(5005)
    for shape in ((3, 7), (2, 2, 5), (1, 4)):
        x = 4 * rng.standard_normal(shape)
        kinds = ("layout", "float32", "int") if x.ndim == 3 else ()   # every kind, on one shape
        for what, xv in variants(x, *kinds):
            name = f"out of sigmoid_forward for x of shape {_shape(shape)} given as {what}"
            with raised_on(name):
                out, _ = _pair(call_unmutated(sigmoid_forward, xv), "sigmoid_forward")
            check_close(out, ref.sigmoid_forward(xv)[0], name, dtype=_dtype_of(what),
                        rtol=1e-7 if xv.dtype != np.float32 else None,
                        hint="A new float array of x's shape; float32 stays float32.")
    extreme = np.array([-1000.0, -40.0, 0.0, 40.0, 1000.0])
    # Under grading the call runs in the submission's process: an overflow comes back as a
    # warning, which call_quietly turns into feedback (np.errstate here would not see it).
    out, _ = call_on("[-1000, -40, 0, 40, 1000]", sigmoid_forward, extreme, quiet=True)
    check_close(out, ref.sigmoid_forward(extreme)[0], "sigmoid_forward([-1000, -40, 0, 40, 1000])",
                atol=1e-12)


def check_sigmoid_backward(sigmoid_forward, sigmoid_backward):
    """3-D inputs, saturated inputs (±30); numerical gradients; views, Fortran order, float32
    (kept) and int x; called twice on one cache."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(5006)
    for shape in ((4, 3), (2, 3, 2)):
        check_backward(sigmoid_forward, sigmoid_backward, {"x": 2 * rng.standard_normal(shape)},
                       rng=rng)
    x = np.concatenate([3 * rng.standard_normal(8), [-30.0, 30.0]])
    dout = rng.standard_normal(x.shape)
    check_close(call_unmutated(sigmoid_backward, dout, sigmoid_forward(x)[1]),
                ref.sigmoid_backward(dout, ref.sigmoid_forward(x)[1]),
                "dx of sigmoid_backward on 10 inputs, two of them saturated", rtol=1e-7,
                atol=1e-12, hint="dx is dout times sigma'(x), written with the cached forward "
                                 "output.")
    hint = "dx is dout times sigma'(x), as a new float array; float32 stays float32."
    shape = (2, 3, 2)   # every kind of input, on one shape
    x, dout = 2 * rng.standard_normal(shape), rng.standard_normal(shape)
    for what, xv, dv in _paired(x, dout, "layout", "float32", "int"):
        label = (f"x of shape {_shape(shape)} given as {what}"
                 + (" (and dout)" if not what.startswith("an int") else ""))
        with raised_on(f"sigmoid_backward for {label}", hint):
            got = call_unmutated(sigmoid_backward, dv, sigmoid_forward(xv)[1])
        check_close(got, ref.sigmoid_backward(dv, ref.sigmoid_forward(xv)[1]),
                    f"dx of sigmoid_backward for {label}", dtype=_dtype_of(what), hint=hint)
    _check_called_twice(sigmoid_backward, dout, sigmoid_forward(x)[1], ("dx",),
                        f"x of shape {_shape(shape)}")


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
    """Called twice with the same arguments; N = 1, C = 1 and C = 2, params kept; numerical
    gradients of the loss; X as views, float32 throughout (a Python float loss)."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(5007)
    # First, two calls with the same arguments (of the public test's sizes): the same results.
    X, y = rng.standard_normal((3, 2)), rng.standard_normal((3, 2))
    params = {"W1": rng.standard_normal((2, 3)), "b1": rng.standard_normal(3),
              "W2": rng.standard_normal((3, 2)), "b2": rng.standard_normal(2)}
    with raised_on("two_layer_loss called twice with the same arguments"):
        first_loss, first_grads = two_layer_loss(X, y, params)
        first_grads = _cache_copy(first_grads)
        loss, grads = two_layer_loss(X, y, params)
    check_close(loss, first_loss, "the loss of two_layer_loss on a second call with the same "
                                  "arguments", hint="Keep nothing between calls.")
    for name in PARAM_NAMES:
        check_close(grads[name], first_grads[name], f'grads["{name}"] of two_layer_loss on a '
                    "second call with the same arguments",
                    hint="The gradients of one call only: a grads dict kept between calls (a "
                         "default argument grads={}, or a global) that adds each call's "
                         "gradients to the last ones accumulates them, as PyTorch does until "
                         "zero_grad(). Make a new dict in every call.")
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
    # Other kinds of input: X as views, and everything float32 (the loss still a Python float).
    X, y = rng.standard_normal((4, 3)), rng.standard_normal((4, 2))
    params = {"W1": rng.standard_normal((3, 5)), "b1": rng.standard_normal(5),
              "W2": rng.standard_normal((5, 2)), "b2": rng.standard_normal(2)}
    for what, Xv in variants(X, "layout", "float32"):
        float32 = Xv.dtype == np.float32
        yv = y.astype(np.float32) if float32 else y
        pv = {k: v.astype(np.float32) for k, v in params.items()} if float32 else params
        label = f"two_layer_loss with X of shape (4, 3) given as {what}" + (
            " (y and params float32 too)" if float32 else "")
        with raised_on(label):
            loss, grads = call_unmutated(two_layer_loss, Xv, yv, pv)
        expected_loss, expected_grads = ref.two_layer_loss(Xv, yv, pv)
        check_true(isinstance(loss, float),
                   f"The loss of {label} should be a Python float, but it is "
                   f"{type(loss).__module__.replace('builtins', 'Python')}.{type(loss).__name__}"
                   ". Likely mistake: np.mean of float32 arrays is a numpy float32: return "
                   "float(...) of the mean.")
        check_close(loss, expected_loss, f"the loss of {label}")
        for name in PARAM_NAMES:
            check_close(grads[name], expected_grads[name], f'grads["{name}"] of {label}',
                        batch_size=4, dtype=_dtype_of(what))


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
    """Eight more points, zeros, Python ints and numpy floats; every node's value and grad."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(5008)
    points = [(1.2, 0.8, -0.4), (-0.3, 2.0, 0.7), (0.0, 1.5, -2.0), (2.0, -0.5, 0.0)]
    points += [tuple(float(v) for v in rng.uniform(-1.5, 1.5, size=3)) for _ in range(3)]
    points += [tuple(np.float64(v) for v in rng.uniform(-1.0, 1.0, size=3)), (1, -1, 2)]
    for number, (x, y, z) in enumerate(points, start=1):
        kind = ("Python ints" if isinstance(x, int) else "numpy float64s"
                if isinstance(x, np.floating) else "Python floats")
        at = f"at hidden point {number} of {len(points)} (x, y and z {kind})"
        with raised_on(f"branch_graph {at}"):
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
              np.full(5, -0.7)),
             ("4 knots and values given as Python lists of floats",
              random_knots(3, 0.0).tolist(), rng.standard_normal(4).tolist()),
             ("5 knots and values given as int64 arrays", np.array([-2, 0, 1, 3, 6]),
              rng.integers(-4, 5, size=5)),
             ("7 knots and values given as strided views (every other entry of larger arrays)",
              random_knots(13, -1.0)[::2], rng.standard_normal(13)[::2])]
    for what, knots, values in cases:
        knots_kept, values_kept = np.array(knots, dtype=float), np.array(values, dtype=float)
        n = len(knots) - 1
        with raised_on(f"relu_interpolant for {what}"):
            params = call_unmutated(relu_interpolant, knots, values)
        check_true(np.array_equal(knots, knots_kept) and np.array_equal(values, values_kept),
                   f"relu_interpolant changed knots or values in place (for {what}): build new "
                   "arrays.")
        knots, values = knots_kept, values_kept
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
                       "(one hidden unit per segment), but has shape "
                       f"{describe_shape(got_shape, shape)}.{why}")
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
