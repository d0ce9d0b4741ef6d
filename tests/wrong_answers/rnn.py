"""Wrong answers to notebook 11 (recurrent networks). Names such as `rnn_step_backward` resolve
in the notebook's namespace, so a wrong rnn_backward runs on the notebook's (right) step."""
import numpy as np

from . import wrong_answer

A = "11_rnn"


# --- rnn_step_forward --------------------------------------------------------------------------

@wrong_answer(A, "rnn_step_forward", "forgets the tanh: a linear recurrence")
def rnn_step_forward_no_tanh(x, prev_h, Wx, Wh, b):
    next_h = x @ Wx + prev_h @ Wh + b
    return next_h, (x, prev_h, Wx, Wh, next_h)


@wrong_answer(A, "rnn_step_forward", "prev_h @ Wh.T: the recurrent weights transposed",
              says=("Wh.T",))
def rnn_step_forward_wh_transposed(x, prev_h, Wx, Wh, b):
    next_h = np.tanh(x @ Wx + prev_h @ Wh.T + b)
    return next_h, (x, prev_h, Wx, Wh, next_h)


@wrong_answer(A, "rnn_step_forward", "forgets the bias", says=("tanh(b)",))
def rnn_step_forward_no_bias(x, prev_h, Wx, Wh, b):
    next_h = np.tanh(x @ Wx + prev_h @ Wh)
    return next_h, (x, prev_h, Wx, Wh, next_h)


@wrong_answer(A, "rnn_step_forward", "a sigmoid instead of tanh")
def rnn_step_forward_sigmoid(x, prev_h, Wx, Wh, b):
    next_h = 1 / (1 + np.exp(-(x @ Wx + prev_h @ Wh + b)))
    return next_h, (x, prev_h, Wx, Wh, next_h)


@wrong_answer(A, "rnn_step_forward", "tanh written with exp: overflows for saturated units",
              says=("overflows", "np.tanh"))
def rnn_step_forward_tanh_by_hand(x, prev_h, Wx, Wh, b):
    a = x @ Wx + prev_h @ Wh + b
    next_h = (np.exp(a) - np.exp(-a)) / (np.exp(a) + np.exp(-a))
    return next_h, (x, prev_h, Wx, Wh, next_h)


@wrong_answer(A, "rnn_step_forward", "returns next_h without a cache",
              says=("(next_h, cache)",))
def rnn_step_forward_no_cache(x, prev_h, Wx, Wh, b):
    return np.tanh(x @ Wx + prev_h @ Wh + b)


@wrong_answer(A, "rnn_step_forward", "accumulates into np.zeros((N, H)): float64 for float32",
              says=("float32",), kind="dtype")
def rnn_step_forward_float64(x, prev_h, Wx, Wh, b):
    a = np.zeros((x.shape[0], Wh.shape[0]))
    a += x @ Wx
    a += prev_h @ Wh
    next_h = np.tanh(a + b)
    return next_h, (x, prev_h, Wx, Wh, next_h)


# --- rnn_step_backward -------------------------------------------------------------------------

@wrong_answer(A, "rnn_step_backward", "forgets the tanh derivative: da = dnext_h",
              says=("1 - next_h ** 2",))
def rnn_step_backward_no_tanh_derivative(dnext_h, cache):
    x, prev_h, Wx, Wh, next_h = cache
    da = dnext_h
    return da @ Wx.T, da @ Wh.T, x.T @ da, prev_h.T @ da, da.sum(axis=0)


@wrong_answer(A, "rnn_step_backward", "applies tanh to the cached output again: 1 - tanh(next_h)²")
def rnn_step_backward_tanh_of_output(dnext_h, cache):
    x, prev_h, Wx, Wh, next_h = cache
    da = dnext_h * (1 - np.tanh(next_h) ** 2)
    return da @ Wx.T, da @ Wh.T, x.T @ da, prev_h.T @ da, da.sum(axis=0)


@wrong_answer(A, "rnn_step_backward", "the sigmoid's derivative next_h * (1 - next_h)")
def rnn_step_backward_sigmoid_derivative(dnext_h, cache):
    x, prev_h, Wx, Wh, next_h = cache
    da = dnext_h * next_h * (1 - next_h)
    return da @ Wx.T, da @ Wh.T, x.T @ da, prev_h.T @ da, da.sum(axis=0)


@wrong_answer(A, "rnn_step_backward", "dprev_h = da @ Wh: Wh not transposed",
              says=("da @ Wh.T",))
def rnn_step_backward_dprev_not_transposed(dnext_h, cache):
    x, prev_h, Wx, Wh, next_h = cache
    da = dnext_h * (1 - next_h ** 2)
    return da @ Wx.T, da @ Wh, x.T @ da, prev_h.T @ da, da.sum(axis=0)


@wrong_answer(A, "rnn_step_backward", "dWh = da.T @ prev_h: transposed", says=("transpose",))
def rnn_step_backward_dwh_transposed(dnext_h, cache):
    x, prev_h, Wx, Wh, next_h = cache
    da = dnext_h * (1 - next_h ** 2)
    return da @ Wx.T, da @ Wh.T, x.T @ da, da.T @ prev_h, da.sum(axis=0)


@wrong_answer(A, "rnn_step_backward", "db not summed over the batch: shape (N, H)",
              says=("summed over the batch",))
def rnn_step_backward_db_not_summed(dnext_h, cache):
    x, prev_h, Wx, Wh, next_h = cache
    da = dnext_h * (1 - next_h ** 2)
    return da @ Wx.T, da @ Wh.T, x.T @ da, prev_h.T @ da, da


@wrong_answer(A, "rnn_step_backward", "multiplies dnext_h in place by the tanh derivative",
              says=("in place",))
def rnn_step_backward_in_place(dnext_h, cache):
    x, prev_h, Wx, Wh, next_h = cache
    dnext_h *= 1 - next_h ** 2
    return (dnext_h @ Wx.T, dnext_h @ Wh.T, x.T @ dnext_h, prev_h.T @ dnext_h,
            dnext_h.sum(axis=0))


# --- rnn_forward -------------------------------------------------------------------------------

@wrong_answer(A, "rnn_forward", "starts every step from h0: the state is never carried",
              says=("not from h0 again",))
def rnn_forward_restarts_from_h0(x, h0, Wx, Wh, b):
    steps = [rnn_step_forward(x[:, t], h0, Wx, Wh, b) for t in range(x.shape[1])]  # noqa: F821
    return np.stack([h for h, _ in steps], axis=1), [cache for _, cache in steps]


@wrong_answer(A, "rnn_forward", "h[:, t] holds the state before step t (h0 first, last missing)",
              says=("h0 is not part of it",))
def rnn_forward_off_by_one(x, h0, Wx, Wh, b):
    states, cache, prev_h = [], [], h0
    for t in range(x.shape[1]):
        states.append(prev_h)
        prev_h, step_cache = rnn_step_forward(x[:, t], prev_h, Wx, Wh, b)  # noqa: F821
        cache.append(step_cache)
    return np.stack(states, axis=1), cache


@wrong_answer(A, "rnn_forward", "time-major h of shape (T, N, H)")
def rnn_forward_time_major(x, h0, Wx, Wh, b):
    states, cache, prev_h = [], [], h0
    for t in range(x.shape[1]):
        prev_h, step_cache = rnn_step_forward(x[:, t], prev_h, Wx, Wh, b)  # noqa: F821
        states.append(prev_h)
        cache.append(step_cache)
    return np.stack(states, axis=0), cache


@wrong_answer(A, "rnn_forward", "fills h = np.zeros((N, T, H)): float64 for float32 inputs",
              says=("float32",), kind="dtype")
def rnn_forward_float64(x, h0, Wx, Wh, b):
    N, T, _ = x.shape
    h, cache, prev_h = np.zeros((N, T, h0.shape[1])), [], h0
    for t in range(T):
        prev_h, step_cache = rnn_step_forward(x[:, t], prev_h, Wx, Wh, b)  # noqa: F821
        h[:, t] = prev_h
        cache.append(step_cache)
    return h, cache


@wrong_answer(A, "rnn_forward", "steps through x[t] (the batch axis) instead of x[:, t]")
def rnn_forward_wrong_axis(x, h0, Wx, Wh, b):
    states, cache, prev_h = [], [], h0
    for t in range(x.shape[1]):
        prev_h, step_cache = rnn_step_forward(x[t], prev_h, Wx, Wh, b)  # noqa: F821
        states.append(prev_h)
        cache.append(step_cache)
    return np.stack(states, axis=1), cache


# --- rnn_backward ------------------------------------------------------------------------------

def _bptt(dh, cache, rnn_step_backward, *, carry=True, sum_over_time=True, every_step=True):
    """Backpropagation through time, on the notebook's rnn_step_backward, with one of its three
    ingredients switched off."""
    T = dh.shape[1]
    x_grads, dWx, dWh, db = [], 0, 0, 0
    dprev_h = np.zeros_like(dh[:, 0])
    for t in reversed(range(T)):
        upstream = dh[:, t] if every_step or t == T - 1 else np.zeros_like(dh[:, t])
        dnext_h = upstream + dprev_h if carry else upstream
        dx_t, dprev_h, dWx_t, dWh_t, db_t = rnn_step_backward(dnext_h, cache[t])
        x_grads.append(dx_t)
        if sum_over_time:
            dWx, dWh, db = dWx + dWx_t, dWh + dWh_t, db + db_t
        else:
            dWx, dWh, db = dWx_t, dWh_t, db_t
    return np.stack(x_grads[::-1], axis=1), dprev_h, dWx, dWh, db


@wrong_answer(A, "rnn_backward", "never passes dprev_h back: each step sees only dh[:, t]",
              says=("pass each step's dprev_h",))
def rnn_backward_no_carry(dh, cache):
    from wrong_answers.rnn import _bptt
    return _bptt(dh, cache, rnn_step_backward, carry=False)  # noqa: F821


@wrong_answer(A, "rnn_backward", "dWx, dWh, db = the last visited step's (t = 0), not summed",
              says=("sum of every step's dWh",))
def rnn_backward_not_summed_over_time(dh, cache):
    from wrong_answers.rnn import _bptt
    return _bptt(dh, cache, rnn_step_backward, sum_over_time=False)  # noqa: F821


@wrong_answer(A, "rnn_backward", "uses dh[:, T-1] only, as if only the last state had a loss")
def rnn_backward_last_step_only(dh, cache):
    from wrong_answers.rnn import _bptt
    return _bptt(dh, cache, rnn_step_backward, every_step=False)  # noqa: F821


@wrong_answer(A, "rnn_backward", "adds dprev_h into dh in place", says=("in place",))
def rnn_backward_in_place(dh, cache):
    T = dh.shape[1]
    x_grads, dWx, dWh, db = [None] * T, 0, 0, 0
    step_backward = rnn_step_backward  # noqa: F821 (the notebook's)
    for t in reversed(range(T)):
        x_grads[t], dprev_h, dWx_t, dWh_t, db_t = step_backward(dh[:, t], cache[t])
        if t > 0:
            dh[:, t - 1] += dprev_h
        dWx, dWh, db = dWx + dWx_t, dWh + dWh_t, db + db_t
    return np.stack(x_grads, axis=1), dprev_h, dWx, dWh, db


@wrong_answer(A, "rnn_backward", "walks forward in time, t = 0 to T - 1")
def rnn_backward_forward_in_time(dh, cache):
    x_grads, dWx, dWh, db = [], 0, 0, 0
    dprev_h = np.zeros_like(dh[:, 0])
    step_backward = rnn_step_backward  # noqa: F821 (the notebook's)
    for t in range(dh.shape[1]):
        dx_t, dprev_h, dWx_t, dWh_t, db_t = step_backward(dh[:, t] + dprev_h, cache[t])
        x_grads.append(dx_t)
        dWx, dWh, db = dWx + dWx_t, dWh + dWh_t, db + db_t
    return np.stack(x_grads, axis=1), dprev_h, dWx, dWh, db


# --- clip_gradients ----------------------------------------------------------------------------

@wrong_answer(A, "clip_gradients", "clips every entry to [-max_norm, max_norm]",
              says=("entry by entry",))
def clip_gradients_per_entry(grads, max_norm):
    norm = float(np.sqrt(sum(np.sum(g ** 2) for g in grads.values())))
    return {name: np.clip(g, -max_norm, max_norm) for name, g in grads.items()}, norm


@wrong_answer(A, "clip_gradients", "clips each array by its own norm", says=("array by array",))
def clip_gradients_per_array(grads, max_norm):
    norm = float(np.sqrt(sum(np.sum(g ** 2) for g in grads.values())))
    clipped = {}
    for name, g in grads.items():
        own = float(np.sqrt(np.sum(g ** 2)))
        clipped[name] = g * (max_norm / own) if own > max_norm else g
    return clipped, norm


@wrong_answer(A, "clip_gradients", "always rescales to max_norm, even below the threshold",
              says=("nothing changes",))
def clip_gradients_always(grads, max_norm):
    norm = float(np.sqrt(sum(np.sum(g ** 2) for g in grads.values())))
    return {name: g * (max_norm / norm) for name, g in grads.items()}, norm


@wrong_answer(A, "clip_gradients", "the norm without the square root", says=("np.sqrt",))
def clip_gradients_squared_norm(grads, max_norm):
    norm = float(sum(np.sum(g ** 2) for g in grads.values()))
    scale = max_norm / norm if norm > max_norm else 1.0
    return {name: g * scale for name, g in grads.items()}, norm


@wrong_answer(A, "clip_gradients", "returns the norm after clipping")
def clip_gradients_norm_after(grads, max_norm):
    norm = float(np.sqrt(sum(np.sum(g ** 2) for g in grads.values())))
    scale = max_norm / norm if norm > max_norm else 1.0
    return {name: g * scale for name, g in grads.items()}, norm * scale


@wrong_answer(A, "clip_gradients", "scales the arrays in place (g *= scale)", says=("in place",))
def clip_gradients_in_place(grads, max_norm):
    norm = float(np.sqrt(sum(np.sum(g ** 2) for g in grads.values())))
    if norm > max_norm:
        for g in grads.values():
            g *= max_norm / norm
    return dict(grads), norm


@wrong_answer(A, "clip_gradients", "scale = min(1, max_norm / norm): divides by a zero norm",
              says=("divides by the norm",))
def clip_gradients_divides_by_zero(grads, max_norm):
    norm = np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))
    scale = min(1.0, max_norm / norm)
    return {name: g * scale for name, g in grads.items()}, norm


@wrong_answer(A, "clip_gradients", "computes in float64: float32 gradients come back float64",
              says=("float32",), kind="dtype")
def clip_gradients_float64(grads, max_norm):
    as_float64 = {name: np.asarray(g, dtype=np.float64) for name, g in grads.items()}
    norm = float(np.sqrt(sum(np.sum(g ** 2) for g in as_float64.values())))
    scale = max_norm / norm if norm > max_norm else 1.0
    return {name: g * scale for name, g in as_float64.items()}, norm


# --- kinds of input (issue 15): shapes with an axis of size 1, dtypes, memory layouts, calls
# --- repeated through one cache

@wrong_answer(A, "rnn_step_forward", "squeezes next_h 'to drop stray axes': (H,) for a batch "
              "of one", says=("shape",), kind="shape")
def rnn_step_forward_squeezed(x, prev_h, Wx, Wh, b):
    next_h = np.squeeze(np.tanh(x @ Wx + prev_h @ Wh + b))
    return next_h, (x, prev_h, Wx, Wh, next_h)


@wrong_answer(A, "rnn_step_forward", "squeezes its inputs: breaks for one sequence or one input",
              kind="shape")
def rnn_step_forward_squeezes_inputs(x, prev_h, Wx, Wh, b):
    x, prev_h = np.squeeze(x), np.squeeze(prev_h)
    next_h = np.tanh(x @ Wx + prev_h @ Wh + b)
    return next_h, (x, prev_h, Wx, Wh, next_h)


@wrong_answer(A, "rnn_step_forward", "casts next_h to float32 'as the network is float32': "
              "float64 inputs give float32", says=("float64",), kind="dtype")
def rnn_step_forward_always_float32(x, prev_h, Wx, Wh, b):
    next_h = np.tanh(x @ Wx + prev_h @ Wh + b).astype(np.float32)
    return next_h, (x, prev_h, Wx, Wh, next_h)


@wrong_answer(A, "rnn_step_forward", "np.dot(x, Wx, out=np.empty_like(prev_h)): np.dot needs a "
              "C-contiguous out, and a transposed prev_h gives a Fortran-order one",
              says=("transposed",), kind="layout")
def rnn_step_forward_dot_out(x, prev_h, Wx, Wh, b):
    a = np.empty_like(prev_h)
    np.dot(x, Wx, out=a)
    a += prev_h @ Wh + b
    next_h = np.tanh(a)
    return next_h, (x, prev_h, Wx, Wh, next_h)


@wrong_answer(A, "rnn_step_forward", "writes next_h through .reshape(-1) of np.zeros_like(prev_h),"
              " a copy when prev_h is a transposed view", kind="layout")
def rnn_step_forward_flat_write(x, prev_h, Wx, Wh, b):
    next_h = np.zeros_like(prev_h)
    next_h.reshape(-1)[:] = np.tanh(x @ Wx + prev_h @ Wh + b).reshape(-1)
    return next_h, (x, prev_h, Wx, Wh, next_h)


@wrong_answer(A, "rnn_step_backward", "db summed with keepdims=True: shape (1, H)",
              says=("shape",), kind="shape")
def rnn_step_backward_db_keepdims(dnext_h, cache):
    x, prev_h, Wx, Wh, next_h = cache
    da = dnext_h * (1 - next_h ** 2)
    return da @ Wx.T, da @ Wh.T, x.T @ da, prev_h.T @ da, da.sum(axis=0, keepdims=True)


@wrong_answer(A, "rnn_step_backward", "squeezes every gradient: (D,) for a batch of one",
              says=("one sequence",), kind="shape")
def rnn_step_backward_squeezed(dnext_h, cache):
    x, prev_h, Wx, Wh, next_h = cache
    da = dnext_h * (1 - next_h ** 2)
    grads = da @ Wx.T, da @ Wh.T, x.T @ da, prev_h.T @ da, da.sum(axis=0)
    return tuple(np.squeeze(g) for g in grads)


@wrong_answer(A, "rnn_step_backward", "1 - next_h ** 2 written np.ones(next_h.shape) - ...: "
              "float64 for float32", says=("float32",), kind="dtype")
def rnn_step_backward_ones_float64(dnext_h, cache):
    x, prev_h, Wx, Wh, next_h = cache
    da = dnext_h * (np.ones(next_h.shape) - next_h ** 2)
    return da @ Wx.T, da @ Wh.T, x.T @ da, prev_h.T @ da, da.sum(axis=0)


@wrong_answer(A, "rnn_step_backward", "db summed with dtype=np.float64 'for accuracy'",
              says=("float32",), kind="dtype")
def rnn_step_backward_db_float64(dnext_h, cache):
    x, prev_h, Wx, Wh, next_h = cache
    da = dnext_h * (1 - next_h ** 2)
    return da @ Wx.T, da @ Wh.T, x.T @ da, prev_h.T @ da, np.sum(da, axis=0, dtype=np.float64)


@wrong_answer(A, "rnn_step_backward", "np.dot(da, Wh.T, out=np.empty_like(dnext_h)): fails for "
              "a transposed dnext_h", says=("dnext_h is a transposed",), kind="layout")
def rnn_step_backward_dot_out(dnext_h, cache):
    x, prev_h, Wx, Wh, next_h = cache
    da = dnext_h * (1 - next_h ** 2)
    dprev_h = np.empty_like(dnext_h)
    np.dot(da, Wh.T, out=dprev_h)
    return da @ Wx.T, dprev_h, x.T @ da, prev_h.T @ da, da.sum(axis=0)


@wrong_answer(A, "rnn_step_backward", "multiplies a copy of dnext_h through .ravel(), a copy "
              "again when dnext_h is a transposed view", says=("view",), kind="layout")
def rnn_step_backward_flat_multiply(dnext_h, cache):
    x, prev_h, Wx, Wh, next_h = cache
    da = np.copy(dnext_h)
    da.ravel()[:] *= (1 - next_h ** 2).ravel()
    return da @ Wx.T, da @ Wh.T, x.T @ da, prev_h.T @ da, da.sum(axis=0)


@wrong_answer(A, "rnn_step_backward", "squares the cached next_h in place (next_h **= 2)",
              says=("second call",), kind="repeated-call")
def rnn_step_backward_squares_cache(dnext_h, cache):
    x, prev_h, Wx, Wh, next_h = cache
    next_h **= 2
    da = dnext_h * (1 - next_h)
    return da @ Wx.T, da @ Wh.T, x.T @ da, prev_h.T @ da, da.sum(axis=0)


@wrong_answer(A, "rnn_step_backward", "turns the cached next_h into tanh's slope in place",
              says=("second call",), kind="repeated-call")
def rnn_step_backward_slope_in_cache(dnext_h, cache):
    x, prev_h, Wx, Wh, slope = cache
    slope *= -slope
    slope += 1                                 # 1 - next_h ** 2, in the cache's own array
    da = dnext_h * slope
    return da @ Wx.T, da @ Wh.T, x.T @ da, prev_h.T @ da, da.sum(axis=0)


@wrong_answer(A, "rnn_forward", "squeezes h: drops the axis of a single step or sequence",
              says=("shape",), kind="shape")
def rnn_forward_squeezed(x, h0, Wx, Wh, b):
    states, cache, prev_h = [], [], h0
    for t in range(x.shape[1]):
        prev_h, step_cache = rnn_step_forward(x[:, t], prev_h, Wx, Wh, b)  # noqa: F821
        states.append(prev_h)
        cache.append(step_cache)
    return np.stack(states, axis=1).squeeze(), cache


@wrong_answer(A, "rnn_forward", "squeezes each step's input: breaks for one input (D = 1)",
              says=("one input",), kind="shape")
def rnn_forward_squeezes_steps(x, h0, Wx, Wh, b):
    states, cache, prev_h = [], [], h0
    for t in range(x.shape[1]):
        prev_h, step_cache = rnn_step_forward(x[:, t].squeeze(), prev_h, Wx, Wh, b)  # noqa: F821
        states.append(prev_h)
        cache.append(step_cache)
    return np.stack(states, axis=1), cache


@wrong_answer(A, "rnn_forward", "h = np.zeros((N, T, H), dtype=np.float32): float32 for float64"
              " inputs", says=("float64",), kind="dtype")
def rnn_forward_always_float32(x, h0, Wx, Wh, b):
    N, T, _ = x.shape
    h, cache, prev_h = np.zeros((N, T, h0.shape[1]), dtype=np.float32), [], h0
    for t in range(T):
        prev_h, step_cache = rnn_step_forward(x[:, t], prev_h, Wx, Wh, b)  # noqa: F821
        h[:, t] = prev_h
        cache.append(step_cache)
    return h, cache


@wrong_answer(A, "rnn_forward", "keeps the state in np.copy(h0), updated through .ravel(): a "
              "copy when h0 is a transposed view, so every step starts from h0",
              says=("h0 is a transposed",), kind="layout")
def rnn_forward_state_buffer(x, h0, Wx, Wh, b):
    state, states, cache = np.copy(h0), [], []
    for t in range(x.shape[1]):
        next_h, step_cache = rnn_step_forward(x[:, t], state.copy(), Wx, Wh, b)  # noqa: F821
        state.ravel()[:] = next_h.ravel()
        states.append(next_h)
        cache.append(step_cache)
    return np.stack(states, axis=1), cache


@wrong_answer(A, "rnn_forward", "h = np.zeros_like(x, shape=(N, T, H)) filled through "
              "h.reshape(N, T * H): a copy when x is not C-ordered", says=("x is a",),
              kind="layout")
def rnn_forward_reshape_blocks(x, h0, Wx, Wh, b):
    N, T, _ = x.shape
    H = h0.shape[1]
    h, cache, prev_h = np.zeros_like(x, shape=(N, T, H)), [], h0
    for t in range(T):
        prev_h, step_cache = rnn_step_forward(x[:, t], prev_h, Wx, Wh, b)  # noqa: F821
        h.reshape(N, T * H)[:, t * H:(t + 1) * H] = prev_h
        cache.append(step_cache)
    return h, cache


@wrong_answer(A, "rnn_backward", "squeezes dx: drops the axis of a single step or sequence",
              says=("shape",), kind="shape")
def rnn_backward_squeezed(dh, cache):
    x_grads, dWx, dWh, db = [], 0, 0, 0
    dprev_h = np.zeros_like(dh[:, 0])
    for t in reversed(range(dh.shape[1])):
        dx_t, dprev_h, dWx_t, dWh_t, db_t = rnn_step_backward(  # noqa: F821
            dh[:, t] + dprev_h, cache[t])
        x_grads.append(dx_t)
        dWx, dWh, db = dWx + dWx_t, dWh + dWh_t, db + db_t
    return np.stack(x_grads[::-1], axis=1).squeeze(), dprev_h, dWx, dWh, db


@wrong_answer(A, "rnn_backward", "squeezes each step's upstream gradient: breaks for one hidden "
              "unit (H = 1)", says=("one hidden unit",), kind="shape")
def rnn_backward_squeezes_upstream(dh, cache):
    x_grads, dWx, dWh, db = [], 0, 0, 0
    dprev_h = np.zeros_like(dh[:, 0])
    for t in reversed(range(dh.shape[1])):
        dx_t, dprev_h, dWx_t, dWh_t, db_t = rnn_step_backward(  # noqa: F821
            np.squeeze(dh[:, t]) + dprev_h, cache[t])
        x_grads.append(dx_t)
        dWx, dWh, db = dWx + dWx_t, dWh + dWh_t, db + db_t
    return np.stack(x_grads[::-1], axis=1), dprev_h, dWx, dWh, db


@wrong_answer(A, "rnn_backward", "sums dWx, dWh, db into np.zeros(shape): float64 for float32",
              says=("float32",), kind="dtype")
def rnn_backward_float64_sums(dh, cache):
    _, _, Wx, Wh, _ = cache[0]
    x_grads = []
    dWx, dWh, db = np.zeros(Wx.shape), np.zeros(Wh.shape), np.zeros(Wh.shape[0])
    dprev_h = np.zeros_like(dh[:, 0])
    for t in reversed(range(dh.shape[1])):
        dx_t, dprev_h, dWx_t, dWh_t, db_t = rnn_step_backward(  # noqa: F821
            dh[:, t] + dprev_h, cache[t])
        x_grads.append(dx_t)
        dWx, dWh, db = dWx + dWx_t, dWh + dWh_t, db + db_t
    return np.stack(x_grads[::-1], axis=1), dprev_h, dWx, dWh, db


@wrong_answer(A, "rnn_backward", "starts the carried gradient at np.zeros((N, H)): every "
              "gradient float64 for float32", says=("float32",), kind="dtype")
def rnn_backward_float64_carry(dh, cache):
    N, T, H = dh.shape
    x_grads, dWx, dWh, db = [], 0, 0, 0
    dprev_h = np.zeros((N, H))
    for t in reversed(range(T)):
        dx_t, dprev_h, dWx_t, dWh_t, db_t = rnn_step_backward(  # noqa: F821
            dh[:, t] + dprev_h, cache[t])
        x_grads.append(dx_t)
        dWx, dWh, db = dWx + dWx_t, dWh + dWh_t, db + db_t
    return np.stack(x_grads[::-1], axis=1), dprev_h, dWx, dWh, db


@wrong_answer(A, "rnn_backward", "dx = np.zeros_like(dh, shape=(N, T, D)) filled through "
              "dx.reshape(N, T * D): a copy when dh is not C-ordered", says=("dh is a",),
              kind="layout")
def rnn_backward_reshape_blocks(dh, cache):
    N, T, _ = dh.shape
    D = cache[0][0].shape[1]
    dx, dWx, dWh, db = np.zeros_like(dh, shape=(N, T, D)), 0, 0, 0
    dprev_h = np.zeros_like(dh[:, 0])
    for t in reversed(range(T)):
        dx_t, dprev_h, dWx_t, dWh_t, db_t = rnn_step_backward(  # noqa: F821
            dh[:, t] + dprev_h, cache[t])
        dx.reshape(N, T * D)[:, t * D:(t + 1) * D] = dx_t
        dWx, dWh, db = dWx + dWx_t, dWh + dWh_t, db + db_t
    return dx, dprev_h, dWx, dWh, db


@wrong_answer(A, "rnn_backward", "adds the carried gradient into np.copy(dh[:, t]) through "
              ".ravel(): a copy for a Fortran-order dh, so nothing is carried",
              says=("Fortran",), kind="layout")
def rnn_backward_flat_carry(dh, cache):
    x_grads, dWx, dWh, db = [], 0, 0, 0
    dprev_h = np.zeros_like(dh[:, 0])
    for t in reversed(range(dh.shape[1])):
        dnext_h = np.copy(dh[:, t])
        dnext_h.ravel()[:] += dprev_h.ravel()
        dx_t, dprev_h, dWx_t, dWh_t, db_t = rnn_step_backward(dnext_h, cache[t])  # noqa: F821
        x_grads.append(dx_t)
        dWx, dWh, db = dWx + dWx_t, dWh + dWh_t, db + db_t
    return np.stack(x_grads[::-1], axis=1), dprev_h, dWx, dWh, db


@wrong_answer(A, "rnn_backward", "walks the cache with cache.pop(): a second backward pass "
              "finds it empty", says=("second call",), kind="repeated-call")
def rnn_backward_pops_cache(dh, cache):
    x_grads, dWx, dWh, db = [], 0, 0, 0
    dprev_h = np.zeros_like(dh[:, 0])
    for t in reversed(range(dh.shape[1])):
        dx_t, dprev_h, dWx_t, dWh_t, db_t = rnn_step_backward(  # noqa: F821
            dh[:, t] + dprev_h, cache.pop())
        x_grads.append(dx_t)
        dWx, dWh, db = dWx + dWx_t, dWh + dWh_t, db + db_t
    return np.stack(x_grads[::-1], axis=1), dprev_h, dWx, dWh, db


@wrong_answer(A, "rnn_backward", "cache.reverse() in place: a second backward pass walks it in "
              "the wrong order", says=("second call",), kind="repeated-call")
def rnn_backward_reverses_cache(dh, cache):
    x_grads, dWx, dWh, db = [], 0, 0, 0
    dprev_h = np.zeros_like(dh[:, 0])
    cache.reverse()
    for t, step_cache in zip(reversed(range(dh.shape[1])), cache, strict=True):
        dx_t, dprev_h, dWx_t, dWh_t, db_t = rnn_step_backward(  # noqa: F821
            dh[:, t] + dprev_h, step_cache)
        x_grads.append(dx_t)
        dWx, dWh, db = dWx + dWx_t, dWh + dWh_t, db + db_t
    return np.stack(x_grads[::-1], axis=1), dprev_h, dWx, dWh, db


@wrong_answer(A, "clip_gradients", "scale = max_norm / max(norm, max_norm): nan for "
              "max_norm = np.inf", says=("NaN",))
def clip_gradients_max_form(grads, max_norm):
    norm = float(np.sqrt(sum(np.sum(g ** 2) for g in grads.values())))
    scale = max_norm / max(norm, max_norm)
    return {name: g * scale for name, g in grads.items()}, norm


@wrong_answer(A, "clip_gradients", "the factor max_norm / norm a numpy float64 (the norm summed "
              "in float64): float32 gradients come back float64", says=("float32",),
              kind="dtype")
def clip_gradients_numpy_factor(grads, max_norm):
    norm = np.sqrt(sum(np.sum(g.astype(np.float64) ** 2) for g in grads.values()))
    scale = max_norm / norm if norm > max_norm else 1.0
    return {name: g * scale for name, g in grads.items()}, norm


@wrong_answer(A, "clip_gradients", "scales np.copy(g) through .reshape(-1), a copy when g is a "
              "transposed view: not clipped", says=("transposed",), kind="layout")
def clip_gradients_flat_views(grads, max_norm):
    norm = float(np.sqrt(sum(np.sum(g ** 2) for g in grads.values())))
    clipped = {name: np.copy(g) for name, g in grads.items()}
    if norm > max_norm:
        for g in clipped.values():
            g.reshape(-1)[:] *= max_norm / norm     # every gradient as one flat vector
    return clipped, norm


@wrong_answer(A, "clip_gradients", "fills np.zeros_like(g) through .ravel(), a copy when g is a "
              "transposed view: all zeros", says=("view",), kind="layout")
def clip_gradients_zeros_like_ravel(grads, max_norm):
    norm = float(np.sqrt(sum(np.sum(g ** 2) for g in grads.values())))
    scale = max_norm / norm if norm > max_norm else 1.0
    clipped = {}
    for name, g in grads.items():
        clipped[name] = np.zeros_like(g)
        clipped[name].ravel()[:] = g.ravel() * scale
    return clipped, norm


@wrong_answer(A, "clip_gradients", "sums the squares row by row: fails on a 0-d gradient",
              says=("shape",), kind="shape")
def clip_gradients_row_loop(grads, max_norm):
    total = 0.0
    for g in grads.values():
        for row in g:
            total += float(np.sum(row ** 2))
    norm = total ** 0.5
    scale = max_norm / norm if norm > max_norm else 1.0
    return {name: g * scale for name, g in grads.items()}, norm


@wrong_answer(A, "clip_gradients", "squared norm as trace(g.T @ g) for matrices, g @ g "
              "otherwise: wrong beyond 2-D", says=("shape",), kind="shape")
def clip_gradients_trace_norm(grads, max_norm):
    squares = [np.trace(g.T @ g) if g.ndim == 2 else g @ g for g in grads.values()]
    norm = float(np.sqrt(sum(squares)))
    scale = max_norm / norm if norm > max_norm else 1.0
    return {name: g * scale for name, g in grads.items()}, norm
