"""Right answers to notebook 11 (recurrent networks) that differ from the solution. Names such as
`rnn_step_forward` resolve in the notebook's namespace (the solution's)."""
import numpy as np

from . import right_answer

A = "11_rnn"


@right_answer(A, "rnn_step_forward", "einsum for the products")
def rnn_step_forward_einsum(x, prev_h, Wx, Wh, b):
    next_h = np.tanh(np.einsum("nd,dh->nh", x, Wx) + np.einsum("nk,kh->nh", prev_h, Wh) + b)
    return next_h, (x, prev_h, Wx, Wh, next_h)


@right_answer(A, "rnn_step_forward", "in place on its own new array, np.tanh(a, out=a)")
def rnn_step_forward_in_place(x, prev_h, Wx, Wh, b):
    a = np.dot(x, Wx)
    a += np.dot(prev_h, Wh)
    a += b
    np.tanh(a, out=a)
    return a, (x, prev_h, Wx, Wh, a)


@right_answer(A, "rnn_step_backward", "tanh's slope as (1 - h)(1 + h), products with np.dot and "
                                      "einsum")
def rnn_step_backward_factored(dnext_h, cache):
    x, prev_h, Wx, Wh, next_h = cache
    da = dnext_h * (1 - next_h) * (1 + next_h)
    return (np.dot(da, Wx.T), np.dot(da, Wh.T), np.einsum("nd,nh->dh", x, da),
            np.einsum("nk,nh->kh", prev_h, da), np.sum(da, axis=0))


@right_answer(A, "rnn_step_backward", "weight gradients as a loop over the batch of outer "
                                      "products")
def rnn_step_backward_loop(dnext_h, cache):
    x, prev_h, Wx, Wh, next_h = cache
    da = dnext_h * (1 - next_h ** 2)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(next_h[0])
    for n in range(len(da)):
        dWx += np.outer(x[n], da[n])
        dWh += np.outer(prev_h[n], da[n])
        db += da[n]
    return da @ Wx.T, da @ Wh.T, dWx, dWh, db


@right_answer(A, "rnn_forward", "h preallocated with np.zeros(..., dtype=x.dtype), filled step "
                                "by step")
def rnn_forward_preallocated(x, h0, Wx, Wh, b):
    N, T, _ = x.shape
    h = np.zeros((N, T, h0.shape[1]), dtype=x.dtype)
    cache, prev_h = [], h0
    for t in range(T):
        prev_h, step_cache = rnn_step_forward(x[:, t], prev_h, Wx, Wh, b)  # noqa: F821
        h[:, t] = prev_h
        cache.append(step_cache)
    return h, cache


@right_answer(A, "rnn_forward", "time-major: loops over x.transpose(1, 0, 2), the input "
                                "projections computed for all steps at once")
def rnn_forward_time_major(x, h0, Wx, Wh, b):
    projected = (x @ Wx).transpose(1, 0, 2)           # (T, N, H)
    states, cache, prev_h = [], [], h0
    for x_t, projected_t in zip(x.transpose(1, 0, 2), projected, strict=True):
        next_h = np.tanh(projected_t + prev_h @ Wh + b)
        cache.append((x_t, prev_h, Wx, Wh, next_h))
        states.append(next_h)
        prev_h = next_h
    return np.array(states).transpose(1, 0, 2), cache


@right_answer(A, "rnn_backward", "dx and the weight gradients preallocated in the inputs' dtype")
def rnn_backward_preallocated(dh, cache):
    N, T, H = dh.shape
    x, _, Wx, Wh, _ = cache[0]
    dx = np.zeros((N, T, x.shape[1]), dtype=dh.dtype)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros(H, dtype=dh.dtype)
    dprev_h = np.zeros((N, H), dtype=dh.dtype)
    for t in range(T - 1, -1, -1):
        dx[:, t], dprev_h, dWx_t, dWh_t, db_t = rnn_step_backward(  # noqa: F821
            dh[:, t] + dprev_h, cache[t])
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dx, dprev_h, dWx, dWh, db


@right_answer(A, "rnn_backward", "starts from the last step outside the loop, adds the carried "
                                 "gradient into a copy of dh[:, t]")
def rnn_backward_last_step_first(dh, cache):
    T = dh.shape[1]
    dx_last, dprev_h, dWx, dWh, db = rnn_step_backward(dh[:, T - 1], cache[T - 1])  # noqa: F821
    x_grads = [dx_last]
    for t in range(T - 2, -1, -1):
        dnext_h = dh[:, t].copy()
        dnext_h += dprev_h
        dx_t, dprev_h, dWx_t, dWh_t, db_t = rnn_step_backward(dnext_h, cache[t])  # noqa: F821
        x_grads.insert(0, dx_t)
        dWx, dWh, db = dWx + dWx_t, dWh + dWh_t, db + db_t
    return np.stack(x_grads, axis=1), dprev_h, dWx, dWh, db


@right_answer(A, "clip_gradients", "np.linalg.norm of every gradient flattened into one vector")
def clip_gradients_linalg(grads, max_norm):
    norm = np.linalg.norm(np.concatenate([np.ravel(g) for g in grads.values()]))
    if norm > max_norm:
        return {name: g * (max_norm / norm) for name, g in grads.items()}, norm
    return {name: g.copy() for name, g in grads.items()}, norm


@right_answer(A, "clip_gradients", "PyTorch's clip_grad_norm_: factor max_norm / (norm + 1e-6), "
                                   "applied when it is below 1")
def clip_gradients_torch_form(grads, max_norm):
    norm = float(np.sqrt(sum(float(np.sum(np.square(g))) for g in grads.values())))
    factor = max_norm / (norm + 1e-6)
    if factor < 1:
        return {name: g * factor for name, g in grads.items()}, norm
    return dict(grads), norm


@right_answer(A, "clip_gradients", "clips when norm >= max_norm (the factor is 1 at the "
                                   "threshold), squares summed in a loop")
def clip_gradients_at_threshold(grads, max_norm):
    total = 0.0
    for g in grads.values():
        for value in np.asarray(g).flat:
            total += float(value) ** 2
    norm = total ** 0.5
    scale = max_norm / norm if norm >= max_norm and norm > 0 else 1.0
    return {name: g * scale for name, g in grads.items()}, norm
