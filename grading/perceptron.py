"""Hidden tests of notebook 01 (the perceptron). Each takes the student's function(s)."""
import numpy as np

from dlcourse.data import gate_table, make_separable
from dlcourse.testing import (
    call_on,
    call_unmutated,
    check_close,
    check_dtype,
    check_equal,
    check_true,
    describe,
    describe_shape,
)

from . import reference
from .inputs import layouts, variants

ASSIGNMENT = "01_perceptron"


def check_step(step):
    """A 3-D array with 0, -0.0 and 1e-12, scalars, int arrays; layouts, float32, Python numbers,
    0-d and size-1 arrays; ints returned; the input kept."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(1001)
    x = rng.standard_normal((3, 4, 5))
    x[0, 0, :3] = [0.0, -0.0, 1e-12]
    check_equal(call_unmutated(step, x), ref.step(x), "step on a (3, 4, 5) array with zeros")
    check_equal(call_on("a Python int", step, -3), np.array(0), "step(-3) (a Python int)")
    check_equal(call_on("a Python float", step, 0.0), np.array(0), "step(0.0) (a Python float)",
                hint="step(0) is 0.")
    ints = rng.integers(-3, 4, size=11)
    check_equal(call_on("an int array", step, ints), ref.step(ints), "step of an int64 array")
    grid = rng.standard_normal((3, 4))
    grid[1, :2] = 0.0
    cases = [(what, value) for what, value in variants(grid, "layout", "float32", "int", "python")
             if not what.startswith("a Python list")]
    cases += [("a 0-d array", np.array(0.25)), ("a numpy float64", np.float64(-1.5)),
              ("an array of shape (1, 3, 1) (size-1 axes)", np.array([[[0.5], [0.0], [-2.0]]]))]
    for what, value in cases:
        check_equal(call_on(what, step, value), ref.step(value), f"step of {what}",
                    hint=_LAYOUT_HINT if "view" in what else "")


_LAYOUT_HINT = ("The same values in a C-contiguous array pass. Likely mistake: x.reshape(-1) and "
                "x.ravel() are copies, not views, of a transposed or strided array (writes into "
                "them are lost), and np.nditer visits entries in memory order, not in x's index "
                "order: compare x itself, element-wise.")


def _midpoint_violation(gate, rng):
    """A pair of points with the same output whose midpoint gets the other output, or None.

    A perceptron outputs 1 on an open half-plane and 0 on the closed one opposite: both are
    convex, so the midpoint of two points with one output has that output too. Pairs mirrored
    across an axis put their midpoint exactly on it, where `x1 and x2`-style logic changes."""
    P = rng.uniform(-3.0, 4.0, size=(400, 2))
    Q = np.concatenate([rng.uniform(-3.0, 4.0, size=(200, 2)),
                        P[200:300] * [-1.0, 1.0], P[300:] * [1.0, -1.0]])
    M = (P + Q) / 2
    out_p, out_q, out_m = (np.asarray(gate(Z[:, 0], Z[:, 1])) for Z in (P, Q, M))
    bad = np.flatnonzero((out_p == out_q) & (out_m != out_p))
    if bad.size == 0:
        return None
    i = bad[0]
    return P[i], Q[i], M[i], int(out_p[i]), int(out_m[i])


def check_gates(and_gate, or_gate, nand_gate):
    """Int and float arrays, real-valued inputs give 0/1 ints; each gate a perceptron; Python
    floats and arrays of any shape give what the same numbers give in 1-D arrays."""
    rng = np.random.default_rng(1002)
    x1, x2 = rng.integers(0, 2, size=(2, 40))
    for gate, truth in ((and_gate, x1 & x2), (or_gate, x1 | x2), (nand_gate, 1 - (x1 & x2))):
        name = gate.__name__
        check_equal(call_unmutated(gate, x1, x2), truth, f"{name} on arrays of 40 input pairs",
                    hint="The gates must work on arrays as well as numbers.")
        check_equal(call_unmutated(gate, x1.astype(float), x2.astype(float)), truth,
                    f"{name} on float arrays of 0.0 and 1.0",
                    hint="Compute with the inputs as numbers: w1 * x1 + w2 * x2 + b.")
        real = rng.uniform(-2.0, 3.0, size=(2, 25))
        out = np.asarray(call_unmutated(gate, real[0], real[1]))
        check_true(out.shape == (25,) and np.issubdtype(out.dtype, np.integer)
                   and set(np.unique(out).tolist()) <= {0, 1},
                   f"{name} on 25 real-valued input pairs (such as 0.3, -1.7) should return 25 "
                   f"ints in {{0, 1}}, but returned {out.dtype} values of shape "
                   f"{describe_shape(out.shape)}. A perceptron accepts any numbers: "
                   "step(w1 * x1 + w2 * x2 + b), with your step.")
        _check_gate_shapes(gate, rng)
        violation = _midpoint_violation(gate, rng)
        if violation is not None:
            *_, same, other = violation
            check_true(False, f"{name} is not a perceptron: it outputs {same} at two real-valued "
                       f"input pairs, but {other} at their midpoint. "
                       "A perceptron outputs 1 on one side of a line and 0 on the other, so a "
                       "midpoint always gets the output of its two ends when they agree. Likely "
                       "mistake: logic (`and`, `or`, `not`, np.logical_and, products of inputs) "
                       "instead of step(w1 * x1 + w2 * x2 + b) with weights of your own.")


def _check_gate_shapes(gate, rng):
    """Python floats, (3, 4) arrays and their transposed views give ints of the inputs' shape,
    equal to the gate's own outputs for the same numbers in 1-D arrays."""
    name = gate.__name__
    x1, x2 = rng.uniform(-1.0, 2.0, size=(2, 3, 4))
    flat = np.asarray(call_unmutated(gate, x1.ravel(), x2.ravel()))
    pair = (float(x1[0, 0]), float(x2[0, 0]))
    out = call_on("Python floats", gate, *pair)
    check_equal(out, flat[:1].reshape(()), f"{name} of two Python floats",
                hint="A number in gives a number out (an int, or a 0-d int array), equal to what "
                     "the same numbers give in arrays.")
    for what, (a, b) in (("arrays of shape (3, 4)", (x1, x2)),
                         ("transposed (3, 4) views", (next(layouts(x1))[1], next(layouts(x2))[1]))):
        out = call_on(what, gate, a, b)
        check_equal(out, flat.reshape(3, 4), f"{name} of {what}",
                    hint="The gates work entry by entry on arrays of any shape: w1 * x1 + w2 * "
                         "x2 + b, then your step (no np.dot or @ of the stacked inputs).")


def check_perceptron_predict(perceptron_predict):
    """One example, one feature, more features than examples, int X; X as views, Fortran order
    and float32; b as a Python int and a numpy float."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(1003)
    for n, d in ((50, 5), (1, 1), (7, 12), (6, 1)):
        X = rng.standard_normal((n, d))
        w, b = rng.standard_normal(d), float(rng.standard_normal())
        what = f"X of shape {X.shape}"
        check_equal(call_on(what, perceptron_predict, X, w, b), ref.perceptron_predict(X, w, b),
                    f"perceptron_predict with {what}", rows=X)
    X = rng.integers(-2, 3, size=(20, 3))
    w = np.array([1.0, -1.0, 2.0])
    check_equal(call_on("an int64 X", perceptron_predict, X, w, 1.0),
                ref.perceptron_predict(X, w, 1.0),
                "perceptron_predict on an int64 X (several points exactly on the boundary)", rows=X)
    X = rng.standard_normal((9, 4))
    w = rng.standard_normal(4)
    cases = [(f"X given as {what}", X_kind, w, 0.5)
             for what, X_kind in list(variants(X, "layout", "float32"))[1:]]
    cases += [("w given as " + what, X, w_kind, 0.5) for what, w_kind in layouts(w)]
    cases += [("b given as a Python int", X, w, -1), ("b given as a numpy float64", X, w,
                                                       np.float64(0.25))]
    for what, X_kind, w_kind, b in cases:
        check_equal(call_on(what, perceptron_predict, X_kind, w_kind, b),
                    ref.perceptron_predict(X_kind, w_kind, b), f"perceptron_predict with {what}",
                    rows=X_kind)


def _separable(rng, n, d, dtype=float):
    """n points in d dimensions, labelled by a random hyperplane: separable by construction.
    Int points come from a grid, with no point on the boundary."""
    w_true = rng.standard_normal(d)
    if dtype is int:
        X = rng.integers(-4, 5, size=(n, d))
        return X, (X @ w_true + 0.5 > 0).astype(np.int64)
    X = rng.uniform(-1.0, 1.0, size=(n, d))
    return X, (X @ w_true + 0.1 > 0).astype(np.int64)


def check_perceptron_train(perceptron_train):
    """Two identical calls agree; the reference's exact steps for three seeds, for D = 3 and
    D = 1, for int points and for X as a transposed view; results of the documented types;
    200 points separated."""
    ref = reference(ASSIGNMENT)
    X, y = make_separable(40, np.random.default_rng(2000))
    first, second = (call_on("40 separable points", perceptron_train, X, y, 0.1, 20,
                             np.random.default_rng(0)) for _ in range(2))
    count = len(first) if hasattr(first, "__len__") else 1
    check_true(count == 3, "perceptron_train should return three things, (w, b, "
               f"errors_per_epoch), but it returned {count}.")
    for k, quantity in enumerate(("w", "b", "errors_per_epoch")):
        check_true(np.shape(first[k]) == np.shape(second[k])
                   and np.array_equal(first[k], second[k]),
                   f"perceptron_train returned another {quantity} on its second call with the same "
                   f"inputs (the same points, and a generator with the same seed). Likely "
                   "mistake: something kept between calls, such as a mutable default argument "
                   "(errors=[], state={}) or a global that is not reset: start every call from "
                   "w = 0, b = 0 and no errors.")
    rng = np.random.default_rng(2010)
    X3, y3 = _separable(rng, 30, 3)
    X1, y1 = _separable(rng, 12, 1)
    X_int, y_int = _separable(rng, 15, 2, dtype=int)
    X_view, y_view = _separable(rng, 20, 2)
    X_view = next(layouts(X_view))[1]
    cases = [(f"{n} separable points (X of shape ({n}, 2))",
              *make_separable(n, np.random.default_rng(2000 + seed)), lr, epochs, seed)
             for seed, (n, lr, epochs) in enumerate(((40, 0.1, 20), (25, 1.0, 10), (3, 0.5, 4)))]
    cases += [("30 points with D = 3 features (X of shape (30, 3))", X3, y3, 0.5, 8, 3),
              ("12 points with D = 1 feature (X of shape (12, 1))", X1, y1, 0.2, 6, 4),
              ("15 int64 points (X an int64 array)", X_int, y_int, 1, 6, 5),
              ("20 points in a transposed (20, 2) view", X_view, y_view, 0.3, 6, 6)]
    for what, X, y, lr, epochs, seed in cases:
        w, b, errors = call_on(what, perceptron_train, X, y, lr, epochs,
                               np.random.default_rng(seed))
        w_ref, b_ref, errors_ref = ref.perceptron_train(X, y, lr, epochs,
                                                        np.random.default_rng(seed))
        label = f"on {what}, lr={lr}, {epochs} epochs"
        check_equal(errors, errors_ref, f"errors_per_epoch {label}")
        check_close(w, w_ref, f"w {label}", dtype=np.float64,
                    hint="w starts as np.zeros(D), floats: D is X.shape[1].")
        check_close(b, b_ref, f"b {label}",
                    hint="b is one number, a float: start from b = 0.0.")
        check_dtype(b, np.floating, f"b {label}", hint="Start from b = 0.0.")
    X, y = make_separable(200, np.random.default_rng(2100))
    w, b, errors = call_on("200 separable points", perceptron_train, X, y, 0.05, 60,
                           np.random.default_rng(5))
    check_true(errors[-1] == 0,
               f"On 200 linearly separable points the last of 60 epochs still made "
               f"{describe(errors[-1])} "
               "mistakes: the rule should have converged. Check the sign of the update.")
    check_true(np.array_equal(ref.perceptron_predict(X, w, b), y),
               "The weights learned on 200 separable points do not separate them.")


def _point(points, index):
    """Where a check found a difference: a corner (public), else only its kind: the other
    points are hidden inputs."""
    if index < 4:
        return f"(x1, x2) = ({points[index][0]:g}, {points[index][1]:g})"
    return "a real-valued input pair (not a corner)"


# The two-layer networks of the three gates that compute XOR when the gates are right: the
# second-layer gate, then the two first-layer gates, as names. (No other of the 27 does.)
_XOR_NETWORKS = (("and", "nand", "or"), ("and", "or", "nand"))


def check_xor_gate(xor_gate, and_gate, or_gate, nand_gate):
    """xor_gate must be a two-layer network of the student's own gates that computes XOR.

    It is compared with every network gate(gate(x1, x2), gate(x1, x2)) of the student's gates on
    the corners and on real-valued points (where XOR computed directly, x1 != x2, differs from
    any network of perceptrons), so a wrong gate costs the gate's points, not XOR's."""
    rng = np.random.default_rng(1004)
    corners, xor_truth = gate_table("xor")
    points = np.concatenate([corners, [[0.3, -0.2], [-1.0, -0.5], [2.0, 2.5], [1.7, 0.2],
                                       [0.45, 0.0], [0.6, 0.6]],
                             rng.uniform(-1.0, 2.0, size=(300, 2))])
    x1, x2 = points[:, 0], points[:, 1]
    got = np.asarray(call_unmutated(xor_gate, x1, x2))
    check_true(got.shape == x1.shape, f"xor_gate on arrays of {len(x1)} input pairs should return "
               f"{len(x1)} values, but returned shape {describe_shape(got.shape)}.")
    check_true(np.issubdtype(got.dtype, np.integer), f"xor_gate should return ints, but its "
               f"dtype is {got.dtype}. Your gates return ints: return what the second layer gives.")
    gates = {"and": and_gate, "or": or_gate, "nand": nand_gate}
    first = {name: np.asarray(gate(x1, x2)) for name, gate in gates.items()}
    networks = {(outer, a, b): np.asarray(gates[outer](first[a], first[b]))
                for outer in gates for a in gates for b in gates}
    matching = [key for key, out in networks.items() if np.array_equal(got, out)]
    if any(key in _XOR_NETWORKS for key in matching):
        return
    if matching:
        outer, a, b = matching[0]
        check_true(False, f"xor_gate is {outer.upper()}({a.upper()}(x1, x2), {b.upper()}(x1, x2)) "
                   f"of your gates, which is not XOR: on the corners (0,0), (0,1), (1,0), (1,1) "
                   f"that network gives {networks[matching[0]][:4]}, and XOR is {xor_truth}. "
                   "Say XOR in words with OR, AND and NOT, and pick the gates that say it.")
    gates_right = all(np.array_equal(first[name][:4], gate_table(name)[1]) for name in gates)
    network = networks[_XOR_NETWORKS[0]]
    if gates_right and np.array_equal(got[:4], xor_truth):
        wrong = int(np.flatnonzero(got != network)[0])
        check_true(False, f"xor_gate gives XOR's truth table on the corners, but it is not a "
                   f"network of your gates: at {_point(points, wrong)} it "
                   f"returns {got[wrong]}, while a two-layer network of your gates that computes "
                   f"XOR returns {network[wrong]}. Likely mistake: XOR computed directly (x1 != "
                   "x2, ^, rounding, an `if`) or a unit with weights of its own, instead of calls "
                   "to your and_gate, or_gate and nand_gate.")
    if gates_right:
        check_equal(got[:4], xor_truth, "xor_gate on the rows (0,0), (0,1), (1,0), (1,1)",
                    rows=corners, hint="Two of your gates read x1 and x2; the third reads their "
                                       "two outputs. Say XOR in words with OR, AND and NOT.")
    wrong = int(np.flatnonzero(got != network)[0])
    check_true(False, f"xor_gate is not a two-layer network of your gates that computes XOR: at "
               f"{_point(points, wrong)} it returns {got[wrong]}, while "
               f"such a network of your gates returns {network[wrong]}. (Your gates themselves "
               "are not all right yet; that costs the gates' points, not XOR's.)")
