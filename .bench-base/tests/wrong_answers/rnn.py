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
              says=("float32",))
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
              says=("float32",))
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
              says=("float32",))
def clip_gradients_float64(grads, max_norm):
    as_float64 = {name: np.asarray(g, dtype=np.float64) for name, g in grads.items()}
    norm = float(np.sqrt(sum(np.sum(g ** 2) for g in as_float64.values())))
    scale = max_norm / norm if norm > max_norm else 1.0
    return {name: g * scale for name, g in as_float64.items()}, norm
