"""Hidden tests of notebook 11 (recurrent networks). Each takes the student's function(s).

The cache's layout is the student's choice, so backward passes are fed the cache of the
student's own forward pass, and checked against numerical gradients and against the
reference's gradients. The shapes are the ones the public tests leave out: a batch of one, a
single time step, D larger and smaller than H, float32, Fortran-ordered and strided inputs,
saturated units, and calls repeated on the same inputs.
"""
import numpy as np

from dlcourse.testing import call_quietly, call_unmutated, check_backward, check_close, check_true

from . import reference

ASSIGNMENT = "11_rnn"

STEP_SHAPES = ((5, 3, 4), (1, 6, 2), (4, 1, 7), (3, 5, 5))                  # (N, D, H)
SEQUENCE_SHAPES = ((3, 5, 2, 4), (1, 1, 3, 2), (2, 7, 4, 3), (4, 2, 1, 6))   # (N, T, D, H)
FLOAT32 = {"rtol": 1e-4, "atol": 1e-5}

STEP_HINT = ("da = dnext_h * (1 - next_h ** 2); dx = da @ Wx.T, dprev_h = da @ Wh.T, "
             "dWx = x.T @ da, dWh = prev_h.T @ da, db = da.sum(axis=0).")
BPTT_HINT = ("Walk back from t = T - 1 to 0, giving step t the gradient dh[:, t] + the dprev_h "
             "returned by step t + 1; sum dWx, dWh and db over all the steps.")


def _weights(rng, D, H, dtype=np.float64):
    """Wx (D, H), Wh (H, H), b (H,) of the scale of a trained network's."""
    Wx = rng.standard_normal((D, H)) / np.sqrt(D)
    Wh = rng.standard_normal((H, H)) / np.sqrt(H)
    b = 0.5 * rng.standard_normal(H)
    return tuple(a.astype(dtype) for a in (Wx, Wh, b))


def _pair(result, name, what):
    # A list is accepted too: results may reach the grader through a serialisation.
    check_true(isinstance(result, (tuple, list)) and len(result) == 2,
               f"{name} should return a pair {what}, but returned {type(result).__name__}.")
    return result


def _grads(result, name, names):
    check_true(isinstance(result, (tuple, list)) and len(result) == len(names),
               f"{name} should return the tuple ({', '.join(names)}).")
    return result


def _check_float32(value, what):
    dtype = np.asarray(value).dtype
    check_true(dtype == np.float32,
               f"{what} is {dtype} for float32 inputs, expected float32: create arrays with "
               "dtype=x.dtype (np.zeros without dtype= is float64), or build them from the "
               "inputs (np.stack of the step results).")


def check_rnn_step_forward(rnn_step_forward):
    """N = 1, D < H and D > H, Fortran and transposed inputs, saturation, float32, repeats."""
    ref = reference(ASSIGNMENT)
    for seed, (N, D, H) in enumerate(STEP_SHAPES):
        rng = np.random.default_rng(11100 + seed)
        x, prev_h = rng.standard_normal((N, D)), rng.uniform(-1, 1, size=(N, H))
        Wx, Wh, b = _weights(rng, D, H)
        next_h, _ = _pair(call_unmutated(rnn_step_forward, x, prev_h, Wx, Wh, b),
                          "rnn_step_forward", "(next_h, cache)")
        check_close(next_h, ref.rnn_step_forward(x, prev_h, Wx, Wh, b)[0],
                    f"next_h of rnn_step_forward for N={N}, D={D}, H={H}",
                    hint="next_h = np.tanh(x @ Wx + prev_h @ Wh + b), of shape (N, H).")
    # Fortran-ordered and transposed (strided) inputs hold the same numbers.
    rng = np.random.default_rng(11150)
    x, prev_h = np.asfortranarray(rng.standard_normal((4, 3))), rng.standard_normal((5, 4)).T
    Wx, Wh, b = _weights(rng, 3, 5)
    check_close(rnn_step_forward(x, prev_h, Wx, Wh.T.copy().T, b)[0],
                ref.rnn_step_forward(x, prev_h, Wx, Wh, b)[0],
                "next_h of rnn_step_forward for Fortran-ordered and transposed inputs")
    # Saturated units, |x @ Wx| in the thousands: np.tanh gives +-1, a tanh written with exp
    # overflows.
    x = 1000 * rng.standard_normal((3, 3))
    try:
        with np.errstate(over="raise", invalid="raise"):
            next_h, _ = rnn_step_forward(x, np.zeros((3, 5)), Wx, Wh, b)
    except FloatingPointError as error:
        check_true(False, f"rnn_step_forward overflows when |x @ Wx| is in the thousands "
                   f"({error}); numpy would print a warning, and a test cell that prints one "
                   "scores 0. Use np.tanh, which saturates at -1 and 1 without overflowing.")
    check_close(next_h, ref.rnn_step_forward(x, np.zeros((3, 5)), Wx, Wh, b)[0],
                "next_h of rnn_step_forward when |x @ Wx| is in the thousands",
                hint="Use np.tanh, which saturates at -1 and 1: a tanh written with exp overflows.")
    # float32 stays float32; a second call on the same inputs gives the same state.
    x, prev_h = rng.standard_normal((2, 3)).astype(np.float32), np.zeros((2, 5), np.float32)
    weights = _weights(rng, 3, 5, np.float32)
    first, _ = rnn_step_forward(x, prev_h, *weights)
    _check_float32(first, "next_h of rnn_step_forward")
    check_close(rnn_step_forward(x, prev_h, *weights)[0], first,
                "next_h of a second call of rnn_step_forward on the same inputs",
                hint="rnn_step_forward must not keep or change state between calls.")


def check_rnn_step_backward(rnn_step_forward, rnn_step_backward):
    """N = 1, D < H and D > H, float32, a second pass through one cache."""
    ref = reference(ASSIGNMENT)
    names = ("dx", "dprev_h", "dWx", "dWh", "db")
    for seed, (N, D, H) in enumerate(STEP_SHAPES):
        rng = np.random.default_rng(11200 + seed)
        x, prev_h = rng.standard_normal((N, D)), rng.uniform(-1, 1, size=(N, H))
        Wx, Wh, b = _weights(rng, D, H)
        dnext_h = rng.standard_normal((N, H))
        grads = _grads(call_unmutated(rnn_step_backward, dnext_h,
                                      rnn_step_forward(x, prev_h, Wx, Wh, b)[1]),
                       "rnn_step_backward", names)
        expected = ref.rnn_step_backward(dnext_h, ref.rnn_step_forward(x, prev_h, Wx, Wh, b)[1])
        for name, got, right in zip(names, grads, expected, strict=True):
            check_close(got, right, f"{name} of rnn_step_backward for N={N}, D={D}, H={H}",
                        batch_size=N, hint=STEP_HINT)
        check_backward(rnn_step_forward, rnn_step_backward,
                       {"x": x, "prev_h": prev_h, "Wx": Wx, "Wh": Wh, "b": b}, rng=rng)
    # float32, and a second backward pass through the same cache.
    rng = np.random.default_rng(11250)
    x, prev_h = rng.standard_normal((3, 4)), rng.uniform(-1, 1, size=(3, 2))
    inputs = (x, prev_h, *_weights(rng, 4, 2))
    dnext_h = rng.standard_normal((3, 2))
    _, cache = rnn_step_forward(*(a.astype(np.float32) for a in inputs))
    grads = _grads(rnn_step_backward(dnext_h.astype(np.float32), cache), "rnn_step_backward",
                   names)
    expected = ref.rnn_step_backward(dnext_h, ref.rnn_step_forward(*inputs)[1])
    for name, got, right in zip(names, grads, expected, strict=True):
        _check_float32(got, f"{name} of rnn_step_backward")
        check_close(got, right, f"{name} of rnn_step_backward for float32 inputs", **FLOAT32)
    again = _grads(rnn_step_backward(dnext_h.astype(np.float32), cache), "rnn_step_backward",
                   names)
    for name, got, first in zip(names, again, grads, strict=True):
        check_close(got, first, f"{name} of a second rnn_step_backward through the same cache",
                    hint="rnn_step_backward must not modify the cache (or anything in it).")


def check_rnn_forward(rnn_forward):
    """N = 1, T = 1, Fortran-ordered and strided x, float32, repeated calls."""
    ref = reference(ASSIGNMENT)
    for seed, (N, T, D, H) in enumerate(SEQUENCE_SHAPES):
        rng = np.random.default_rng(11300 + seed)
        x, h0 = rng.standard_normal((N, T, D)), rng.uniform(-1, 1, size=(N, H))
        Wx, Wh, b = _weights(rng, D, H)
        h, _ = _pair(call_unmutated(rnn_forward, x, h0, Wx, Wh, b), "rnn_forward", "(h, cache)")
        check_close(h, ref.rnn_forward(x, h0, Wx, Wh, b)[0],
                    f"h of rnn_forward for N={N}, T={T}, D={D}, H={H}",
                    hint="h has shape (N, T, H); h[:, t] is the state after reading x[:, t], "
                         "starting from prev_h = h0 and carrying each state to the next step.")
    # A Fortran-ordered x, and an x that is every other step of a longer sequence (strided).
    rng = np.random.default_rng(11350)
    Wx, Wh, b = _weights(rng, 3, 4)
    h0 = rng.uniform(-1, 1, size=(2, 4))
    for label, x in (("a Fortran-ordered x", np.asfortranarray(rng.standard_normal((2, 5, 3)))),
                     ("x = every other step of a longer sequence",
                      rng.standard_normal((2, 10, 3))[:, ::2])):
        check_close(rnn_forward(x, h0, Wx, Wh, b)[0], ref.rnn_forward(x, h0, Wx, Wh, b)[0],
                    f"h of rnn_forward for {label}",
                    hint="Index the steps along axis 1: x[:, t] is (N, D).")
    # float32 stays float32; a second call on the same inputs gives the same states.
    inputs = (rng.standard_normal((3, 4, 3)), rng.uniform(-1, 1, size=(3, 4)), Wx, Wh, b)
    inputs32 = tuple(a.astype(np.float32) for a in inputs)
    first, _ = rnn_forward(*inputs32)
    _check_float32(first, "h of rnn_forward")
    check_close(first, ref.rnn_forward(*inputs)[0], "h of rnn_forward for float32 inputs",
                **FLOAT32)
    check_close(rnn_forward(*inputs32)[0], first,
                "h of a second call of rnn_forward on the same inputs",
                hint="rnn_forward must not keep or change state between calls.")


def check_rnn_backward(rnn_forward, rnn_backward):
    """T = 1, a gradient at the last step only, float32, a reused cache."""
    ref = reference(ASSIGNMENT)
    names = ("dx", "dh0", "dWx", "dWh", "db")
    for seed, (N, T, D, H) in enumerate(SEQUENCE_SHAPES):
        rng = np.random.default_rng(11400 + seed)
        x, h0 = rng.standard_normal((N, T, D)), rng.uniform(-1, 1, size=(N, H))
        Wx, Wh, b = _weights(rng, D, H)
        dh_all = rng.standard_normal((N, T, H))
        dh_last = np.zeros((N, T, H))
        dh_last[:, -1] = dh_all[:, -1]             # it must travel back through every step
        for label, dh in (("a gradient at every step", dh_all),
                          ("a gradient at the last step only", dh_last)):
            grads = _grads(call_unmutated(rnn_backward, dh, rnn_forward(x, h0, Wx, Wh, b)[1]),
                           "rnn_backward", names)
            expected = ref.rnn_backward(dh, ref.rnn_forward(x, h0, Wx, Wh, b)[1])
            for name, got, right in zip(names, grads, expected, strict=True):
                check_close(got, right, f"{name} of rnn_backward for N={N}, T={T}, D={D}, "
                            f"H={H}, {label}", batch_size=N, hint=BPTT_HINT)
        check_backward(rnn_forward, rnn_backward, {"x": x, "h0": h0, "Wx": Wx, "Wh": Wh, "b": b},
                       rng=rng)
    # float32, and a second backward pass through the same cache.
    rng = np.random.default_rng(11450)
    inputs = (rng.standard_normal((2, 6, 3)), rng.uniform(-1, 1, size=(2, 4)),
              *_weights(rng, 3, 4))
    dh = rng.standard_normal((2, 6, 4))
    _, cache = rnn_forward(*(a.astype(np.float32) for a in inputs))
    grads = _grads(rnn_backward(dh.astype(np.float32), cache), "rnn_backward", names)
    expected = ref.rnn_backward(dh, ref.rnn_forward(*inputs)[1])
    for name, got, right in zip(names, grads, expected, strict=True):
        _check_float32(got, f"{name} of rnn_backward")
        check_close(got, right, f"{name} of rnn_backward for float32 inputs", **FLOAT32)
    again = _grads(rnn_backward(dh.astype(np.float32), cache), "rnn_backward", names)
    for name, got, first in zip(names, again, grads, strict=True):
        check_close(got, first, f"{name} of a second rnn_backward through the same cache",
                    hint="rnn_backward must not modify the cache (or anything in it).")


def _global_norm(grads):
    return float(np.sqrt(sum(np.sum(np.asarray(g, dtype=np.float64) ** 2)
                             for g in grads.values())))


def check_clip_gradients(clip_gradients):
    """Just above, below, inf, one array, float32, all zeros (no warning)."""
    ref = reference(ASSIGNMENT)
    rng = np.random.default_rng(11500)
    shapes = {"Wx": (2, 5), "Wh": (5, 5), "b": (5,), "W_out": (5, 3), "b_out": (3,)}
    grads = {name: rng.standard_normal(shape) for name, shape in shapes.items()}
    norm = _global_norm(grads)
    cases = (("well above the threshold", grads, norm / 4),
             ("just above the threshold", grads, norm * 0.999),
             ("below the threshold", grads, norm * 3),
             ("with max_norm = np.inf", grads, np.inf),
             ("of one array", {"W": rng.standard_normal((3, 4))}, 0.5),
             ("float32", {name: g.astype(np.float32) for name, g in grads.items()}, norm / 3))
    for label, case, max_norm in cases:
        clipped, got_norm = _pair(call_quietly(clip_gradients, case, max_norm),
                                  "clip_gradients", "(clipped, norm)")
        expected, expected_norm = ref.clip_gradients(case, max_norm)
        check_close(got_norm, expected_norm, f"the norm returned by clip_gradients, gradients "
                    f"{label}", hint="The global norm before clipping: np.sqrt of the sum of "
                                     "the squares of every entry of every array.")
        check_true(isinstance(clipped, dict) and sorted(clipped) == sorted(case),
                   f"clip_gradients should return a dict with the keys {sorted(case)}.")
        for name in case:
            if case[name].dtype == np.float32:
                _check_float32(clipped[name], f"clipped[{name!r}]")
            check_close(clipped[name], expected[name], f"clipped[{name!r}], gradients {label} "
                        f"(global norm {expected_norm:.4g}, max_norm {max_norm:.4g})",
                        hint="If norm > max_norm, multiply every array by max_norm / norm (one "
                             "factor for all); otherwise return the values unchanged.")
    # All zeros: norm 0, nothing to scale, no division by zero (a warning scores the cell 0).
    zeros = {"W": np.zeros((3, 2)), "b": np.zeros(2)}
    clipped, got_norm = call_quietly(clip_gradients, zeros, 1.0)
    check_close(got_norm, 0.0, "the norm of all-zero gradients")
    for name in zeros:
        check_close(clipped[name], zeros[name], f"clipped[{name!r}] of all-zero gradients")
