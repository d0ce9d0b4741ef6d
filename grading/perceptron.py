"""Hidden tests of notebook 01 (the perceptron). Each takes the student's function(s)."""
import numpy as np

from dlcourse.data import make_separable
from dlcourse.testing import call_unmutated, check_close, check_equal, check_true

from . import reference

ASSIGNMENT = "01_perceptron"


def check_step(step):
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(1001)
    x = rng.standard_normal((3, 4, 5))
    x[0, 0, :3] = [0.0, -0.0, 1e-12]
    check_equal(call_unmutated(step, x), ref.step(x), "step on a (3, 4, 5) array with zeros")
    check_equal(step(-3), np.array(0), "step(-3) (an int)")
    check_equal(step(0.0), np.array(0), "step(0.0)", hint="step(0) is 0.")
    ints = rng.integers(-3, 4, size=11)
    check_equal(step(ints), ref.step(ints), "step of an int array")


def check_gates(and_gate, or_gate, nand_gate):
    rng = np.random.default_rng(1002)
    x1, x2 = rng.integers(0, 2, size=(2, 40))
    for gate, truth in ((and_gate, x1 & x2), (or_gate, x1 | x2), (nand_gate, 1 - (x1 & x2))):
        check_equal(call_unmutated(gate, x1, x2), truth,
                    f"{gate.__name__} on arrays of 40 input pairs",
                    hint="The gates must work on arrays as well as numbers.")


def check_perceptron_predict(perceptron_predict):
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(1003)
    for n, d in ((50, 5), (1, 1), (7, 12)):
        X = rng.standard_normal((n, d))
        w, b = rng.standard_normal(d), float(rng.standard_normal())
        check_equal(call_unmutated(perceptron_predict, X, w, b), ref.perceptron_predict(X, w, b),
                    f"perceptron_predict with X of shape {X.shape}", rows=X)
    X = rng.integers(-2, 3, size=(20, 3))
    w = np.array([1.0, -1.0, 2.0])
    check_equal(perceptron_predict(X, w, 1.0), ref.perceptron_predict(X, w, 1.0),
                "perceptron_predict on integer inputs (several exactly on the boundary)", rows=X)


def check_perceptron_train(perceptron_train):
    ref = reference(ASSIGNMENT)
    for seed, (n, lr, epochs) in enumerate(((40, 0.1, 20), (25, 1.0, 10), (3, 0.5, 4))):
        X, y = make_separable(n, np.random.default_rng(2000 + seed))
        w, b, errors = call_unmutated(perceptron_train, X, y, lr, epochs,
                                      np.random.default_rng(seed))
        w_ref, b_ref, errors_ref = ref.perceptron_train(X, y, lr, epochs, np.random.default_rng(seed))
        label = f"on {n} separable points (lr={lr}, {epochs} epochs)"
        check_equal(errors, errors_ref, f"errors_per_epoch {label}")
        check_close(w, w_ref, f"w {label}")
        check_close(b, b_ref, f"b {label}")
    X, y = make_separable(200, np.random.default_rng(2100))
    w, b, errors = perceptron_train(X, y, 0.05, 60, np.random.default_rng(5))
    check_true(errors[-1] == 0,
               f"On 200 linearly separable points the last of 60 epochs still made {errors[-1]} "
               "mistakes: the rule should have converged. Check the sign of the update.")
    check_true(np.array_equal(ref.perceptron_predict(X, w, b), y),
               "The weights learned on 200 separable points do not separate them.")


def check_xor_gate(xor_gate):
    rng = np.random.default_rng(1004)
    x1, x2 = rng.integers(0, 2, size=(2, 30))
    check_equal(call_unmutated(xor_gate, x1, x2), x1 ^ x2, "xor_gate on arrays of 30 input pairs")
