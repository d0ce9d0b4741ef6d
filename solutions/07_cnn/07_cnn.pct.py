# %% [markdown]
# # 07 · Convolutional networks
#
# The networks of notebooks 05 and 06 flatten an image into a vector of 784 numbers and connect
# every pixel to every hidden unit. They work, but they throw away what makes an image an image:
# which pixels are next to which. This notebook builds the layer that keeps it, the
# **convolution**, and with it a small LeNet (LeCun et al., 1998) that reads MNIST digits better
# than LeNet-5 did. By the end you will have
#
# 1. seen why convolutions suit images: local patterns, shared weights, translation,
# 2. worked out what padding and stride do to the shape of a layer's output,
# 3. written the forward and backward passes of a convolution and of max pooling with loops,
# 4. rewritten the convolution without loops over images or pixels (`im2col`), tens of times
#    faster,
# 5. trained a LeNet with your layers to more than 99% test accuracy, and looked inside it.
#
# **How this works.** Cells marked `# YOUR CODE HERE` are yours: replace
# `raise NotImplementedError()` with your code. The test cell after each answer checks it and
# tells you what is wrong; more tests run when your work is graded. Run the cells in order.

# %% locked=true
import time

import matplotlib.pyplot as plt
import numpy as np

from dlcourse.data import load_mnist
from dlcourse.plotting import plot_curves, plot_feature_maps, plot_filters
from dlcourse.runtime import quick
from dlcourse.testing import call_unmutated, check_backward, check_close, check_true, passed
from layers import (Linear, ReLU, Sequential, SoftmaxCrossEntropy, accuracy, as_loss_function,
                    sgd_step)
from training_loop import evaluate, train

# %% [markdown]
# ## 1. Why convolutions
#
# A fully connected layer from a 28×28 image to 784 hidden units has $784 \times 784 \approx
# 615\,000$ weights, and it would have to learn *separately*, for every position, what a stroke
# looks like there. Three observations about images make almost all of that unnecessary:
#
# - **Local patterns.** An edge, a corner, the end of a stroke: what matters at a pixel is decided
#   by its neighbours. So each output unit looks at a small window, say 5×5, of the input.
# - **Shared weights.** A vertical edge is a vertical edge wherever it is. So every window is
#   scored with the *same* small set of weights, a **filter** (or kernel). A layer with 8 filters of
#   5×5 has $8 \times 25 + 8 = 208$ parameters, whatever the size of the image.
# - **Translation.** Because the filter slides over the whole image, shifting the input shifts the
#   output by the same amount (the layer is *translation-equivariant*). Pooling, later, makes the
#   network's answer depend less on exactly where a pattern was.
#
# One filter $w$ of shape $(C, HH, WW)$ applied to an input $x$ with $C$ channels gives one
# output map, the **feature map**, whose value at $(i, j)$ is a dot product between the filter and
# the window of the input whose top-left corner is at $(i \cdot S, j \cdot S)$:
#
# $$\text{out}[n, f, i, j] = b_f + \sum_{c=0}^{C-1} \sum_{k=0}^{HH-1} \sum_{l=0}^{WW-1}
#   x_{\text{pad}}[n, c, iS + k, jS + l]\; w[f, c, k, l].$$
#
# (This is strictly a *cross-correlation*: a mathematician's convolution flips the filter. Every
# deep-learning library computes the formula above and calls it convolution; so do we.)
#
# ## 2. Padding, stride and the output shape
#
# The conventions are CS231n's: a batch of images `x` has shape $(N, C, H, W)$ (images, channels,
# height, width), the filters `w` have shape $(F, C, HH, WW)$, the biases `b` shape $(F,)$, and
# `conv_param = {"stride": S, "pad": P}`.
#
# - **Padding** $P$ adds $P$ rows or columns of zeros on every side of each image, so windows can be
#   centred on the border pixels too. Without it, every 5×5 layer trims 2 pixels from each side.
# - **Stride** $S$ is the step between two windows. $S = 2$ computes every other window and
#   halves the output's height and width.
#
# A window of height $HH$ fits in a padded height $H + 2P$ at the positions $0, S, 2S, \dots$ as
# long as it does not run off the end:
#
# $$H' = 1 + \left\lfloor \frac{H + 2P - HH}{S} \right\rfloor, \qquad
#   W' = 1 + \left\lfloor \frac{W + 2P - WW}{S} \right\rfloor.$$
#
# Examples: a 28×28 image, 5×5 filters, $P = 2$, $S = 1$ gives 28×28 ("same" padding: $P =
# (HH - 1) / 2$ keeps the size). With $P = 0$: 24×24. A 7×7 input, 3×3 filters, $P = 1$, $S = 2$:
# $1 + \lfloor 6 / 2 \rfloor = 4$. When $S$ does not divide $H + 2P - HH$, the last rows of the
# padded input are simply never covered (the floor); libraries such as PyTorch do the same.
#
# ## 3. The convolution, with loops
#
# **Your turn.** Write `conv_forward_naive` with plain loops: over images $n$, filters $f$, output
# rows $i$ and columns $j$, one dot product `np.sum(window * w[f]) + b[f]` each. Pad with
# `np.pad(x, ((0, 0), (0, 0), (P, P), (P, P)))`, which returns a new array (never modify `x`).
# Compute the output shape with the formula above, using integer division `//`.

# %% answer="conv_forward_naive"
def conv_forward_naive(x, w, b, conv_param):
    """Forward pass of a convolutional layer, with loops.

    Inputs:
    - x: (N, C, H, W) input images
    - w: (F, C, HH, WW) filters
    - b: (F,) biases
    - conv_param: dict with "stride" S (an int >= 1) and "pad" P (an int >= 0): the zeros added
      on each side of the height and width axes
    Returns (out, cache):
    - out: (N, F, H', W'), H' = 1 + (H + 2P - HH) // S, W' = 1 + (W + 2P - WW) // S,
      of the dtype of x and w (float32 in, float32 out)
    - cache: what conv_backward_naive needs, (x, w, b, conv_param)
    """
    ### BEGIN SOLUTION
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    stride, pad = conv_param["stride"], conv_param["pad"]
    H_out = 1 + (H + 2 * pad - HH) // stride
    W_out = 1 + (W + 2 * pad - WW) // stride
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    out = np.zeros((N, F, H_out, W_out), dtype=np.result_type(x, w))
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    window = x_pad[n, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
                    out[n, f, i, j] = np.sum(window * w[f]) + b[f]
    return out, (x, w, b, conv_param)
    ### END SOLUTION


# %% test="conv_forward_naive" points=3
x = np.arange(9.0).reshape(1, 1, 3, 3)                   # [[0 1 2] [3 4 5] [6 7 8]]
w = np.array([[[[1.0, 0.0], [0.0, -2.0]]]])             # top-left minus twice bottom-right
out, _ = call_unmutated(conv_forward_naive, x, w, np.array([0.5]), {"stride": 1, "pad": 0})
check_close(out, np.array([[[[-7.5, -8.5], [-10.5, -11.5]]]]),
            "out for a 3x3 image and a 2x2 filter (S=1, P=0)",
            hint="out[0, 0, i, j] = x[0, 0, i, j] - 2 * x[0, 0, i+1, j+1] + 0.5 here: slide the "
                 "filter, unflipped, over every 2x2 window and add the bias.")
out, _ = conv_forward_naive(x, w, np.array([0.0]), {"stride": 2, "pad": 1})
check_close(out, np.array([[[[0.0, -4.0], [-12.0, -12.0]]]]),
            "out for a 3x3 image, 2x2 filter, stride 2, pad 1",
            hint="Pad first (the padded image is 5x5), then take windows starting at rows and "
                 "columns 0, 2: H' = 1 + (3 + 2 - 2) // 2 = 2.")
x = np.linspace(-0.1, 0.5, num=2 * 3 * 4 * 4).reshape(2, 3, 4, 4)
w = np.linspace(-0.2, 0.3, num=3 * 3 * 4 * 4).reshape(3, 3, 4, 4)
b = np.linspace(-0.1, 0.2, num=3)
out, _ = call_unmutated(conv_forward_naive, x, w, b, {"stride": 2, "pad": 1})
check_close(out, np.array([[[[-0.08759809, -0.10987781], [-0.18387192, -0.2109216]],
                            [[0.21027089, 0.21661097], [0.22847626, 0.23004637]],
                            [[0.50813986, 0.54309974], [0.64082444, 0.67101435]]],
                           [[[-0.98053589, -1.03143541], [-1.19128892, -1.24695841]],
                            [[0.69108355, 0.66880383], [0.59480972, 0.56776003]],
                            [[2.36270298, 2.36904306], [2.38090835, 2.38247847]]]]),
            "out for x (2, 3, 4, 4), w (3, 3, 4, 4), stride 2, pad 1",
            hint="Each window covers all C channels: np.sum(window * w[f]) with window of "
                 "shape (C, HH, WW).")
### BEGIN HIDDEN TESTS
from grading import cnn as hidden; hidden.check_conv_forward_naive(conv_forward_naive)
### END HIDDEN TESTS
passed("conv_forward_naive")

# %% [markdown]
# ### What a filter sees
#
# Before any learning, here are two filters written by hand, a vertical-edge detector (left
# minus right) and a horizontal one (top minus bottom), applied with your function to an MNIST
# digit. Each feature map is bright where its pattern is. The last row shifts the digit 3 pixels
# to the right: the feature maps shift by exactly 3 pixels too, the same weights finding the same
# strokes in their new place.

# %%
mnist = load_mnist(layout="image")
digit = mnist["X_train"][:1]                                  # (1, 1, 28, 28)
shifted = np.roll(digit, 3, axis=3)                   # 3 pixels to the right
edge_filters = np.array([[[[1, 0, -1]] * 3]], dtype=np.float32)          # (1, 1, 3, 3)
edge_filters = np.concatenate([edge_filters, edge_filters.transpose(0, 1, 3, 2)])
same = {"stride": 1, "pad": 1}
maps, _ = conv_forward_naive(digit, edge_filters, np.zeros(2, np.float32), same)
maps_shifted, _ = conv_forward_naive(shifted, edge_filters, np.zeros(2, np.float32), same)
fig, axes = plt.subplots(2, 3, figsize=(8, 5.4))
for row, (image, feature_maps) in enumerate(((digit, maps), (shifted, maps_shifted))):
    axes[row, 0].imshow(image[0, 0], cmap="gray")
    for k, name in enumerate(("vertical edges", "horizontal edges")):
        axes[row, k + 1].imshow(feature_maps[0, k], cmap="RdBu_r", vmin=-3, vmax=3)
        axes[row, k + 1].set_title(name)
axes[0, 0].set_title("input")
axes[1, 0].set_title("input shifted by 3 pixels")
for ax in axes.flat:
    ax.set(xticks=[], yticks=[])
plt.tight_layout()
plt.show()
print("shifting the input shifts the feature maps:",
      np.allclose(np.roll(maps, 3, axis=3), maps_shifted))

# %% [markdown]
# ## 4. The backward pass
#
# Every output value is a dot product $\text{out}[n,f,i,j] = b_f + \langle
# x_{\text{pad}}[n, :, \text{window}_{ij}], w_f\rangle$, so backpropagation gives, for each output
# position, with $g = \text{dout}[n, f, i, j]$:
#
# - $\partial/\partial b_f$: $g$. Summed over all images and positions: `db[f] = dout[:, f].sum()`.
# - $\partial/\partial w_f$: $g$ times the window. Each filter is *shared* by every position of
#   every image, so its gradient **accumulates** all of them: `dw[f] += g * window`.
# - $\partial/\partial \text{window}$: $g \cdot w_f$. Windows overlap, so a pixel of `dx_pad`
#   collects contributions from every window containing it: `dx_pad[n, :, rows, cols] += g * w[f]`.
#
# Finally `dx` is `dx_pad` with the padding cut off (the padded zeros are not inputs).
#
# **Your turn.** Write `conv_backward_naive` with the same four loops.

# %% answer="conv_backward_naive"
def conv_backward_naive(dout, cache):
    """Backward pass of a convolutional layer, with loops.

    Inputs:
    - dout: (N, F, H', W') upstream gradient
    - cache: (x, w, b, conv_param) as returned by conv_forward_naive
    Returns (dx, dw, db), gradients of the loss with respect to
    - x: (N, C, H, W); w: (F, C, HH, WW); b: (F,)
    """
    ### BEGIN SOLUTION
    x, w, b, conv_param = cache
    stride, pad = conv_param["stride"], conv_param["pad"]
    N, F, H_out, W_out = dout.shape
    _, _, HH, WW = w.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dx_pad = np.zeros_like(x_pad)
    dw = np.zeros_like(w)
    db = dout.sum(axis=(0, 2, 3))
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    rows = slice(i * stride, i * stride + HH)
                    cols = slice(j * stride, j * stride + WW)
                    dw[f] += dout[n, f, i, j] * x_pad[n, :, rows, cols]
                    dx_pad[n, :, rows, cols] += dout[n, f, i, j] * w[f]
    dx = dx_pad[:, :, pad:pad + x.shape[2], pad:pad + x.shape[3]]
    return dx, dw, db
    ### END SOLUTION


# %% test="conv_backward_naive" points=3
rng = np.random.default_rng(7)
x = rng.standard_normal((2, 3, 5, 5))
w = rng.standard_normal((2, 3, 3, 3))
b = rng.standard_normal(2)
check_backward(conv_forward_naive, conv_backward_naive, {"x": x, "w": w, "b": b}, rng=rng,
               extra_args=({"stride": 1, "pad": 1},))
check_backward(conv_forward_naive, conv_backward_naive,
               {"x": rng.standard_normal((1, 2, 6, 5)), "w": rng.standard_normal((3, 2, 3, 2)),
                "b": rng.standard_normal(3)}, rng=rng, extra_args=({"stride": 2, "pad": 0},))
dx, dw, db = conv_backward_naive(np.ones((1, 1, 2, 2)), (np.arange(9.0).reshape(1, 1, 3, 3),
                                 np.ones((1, 1, 2, 2)), np.zeros(1), {"stride": 1, "pad": 0}))
check_close(dx, np.array([[[[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]]]),
            "dx for a 3x3 image, a 2x2 filter of ones and dout of ones",
            hint="Each pixel collects one contribution per window that contains it: the centre "
                 "is in all 4 windows. Accumulate with +=, do not overwrite.")
check_close(db, np.array([4.0]), "db for dout of ones (1, 1, 2, 2)",
            hint="db[f] sums dout[:, f] over the batch and all output positions.")
### BEGIN HIDDEN TESTS
from grading import cnn as hidden; hidden.check_conv_backward_naive(conv_backward_naive)
### END HIDDEN TESTS
passed("conv_backward_naive")

# %% [markdown]
# ## 5. Max pooling
#
# A **pooling** layer shrinks each feature map on its own: it slides a `pool_height` ×
# `pool_width` window with a given `stride` over every channel and keeps the maximum. With 2×2
# windows and stride 2 a 28×28 map becomes 14×14: a quarter of the numbers, and a network that
# cares whether a stroke is *there*, not on which exact pixel. Pooling has no parameters. The
# output shape follows the convolution's formula without padding:
# $H' = 1 + \lfloor (H - \text{pool\_height}) / S \rfloor$.
#
# Its backward pass is a router: only the input that *was* the maximum influenced the output, so
# it receives the whole upstream gradient, and the other inputs of the window receive 0. When
# windows overlap (stride smaller than the window), one input can be the maximum of several
# windows and collects the gradient of each (`+=`). If a window has ties, give the gradient to the
# first maximum, the one `np.argmax` picks.
#
# **Your turn.** Write both passes with loops. `np.unravel_index(np.argmax(window),
# window.shape)` turns the position of a window's maximum into a (row, column) pair.

# %% answer="max_pool_forward_naive"
def max_pool_forward_naive(x, pool_param):
    """Forward pass of max pooling, with loops.

    Inputs:
    - x: (N, C, H, W) input
    - pool_param: dict with "pool_height", "pool_width" and "stride"
    Returns (out, cache):
    - out: (N, C, H', W'), H' = 1 + (H - pool_height) // stride,
      W' = 1 + (W - pool_width) // stride, the dtype of x
    - cache: what max_pool_backward_naive needs, (x, pool_param)
    """
    ### BEGIN SOLUTION
    N, C, H, W = x.shape
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    H_out, W_out = 1 + (H - ph) // stride, 1 + (W - pw) // stride
    out = np.zeros((N, C, H_out, W_out), dtype=x.dtype)
    for i in range(H_out):
        for j in range(W_out):
            window = x[:, :, i * stride:i * stride + ph, j * stride:j * stride + pw]
            out[:, :, i, j] = window.max(axis=(2, 3))
    return out, (x, pool_param)
    ### END SOLUTION


# %% test="max_pool_forward_naive" points=2
x = np.array([[[[1.0, 5.0, 2.0, 0.0],
                [3.0, -1.0, 4.0, 8.0],
                [0.5, 0.0, -2.0, -3.0],
                [7.0, 6.0, -4.0, -1.0]]]])
out, _ = call_unmutated(max_pool_forward_naive, x,
                        {"pool_height": 2, "pool_width": 2, "stride": 2})
check_close(out, np.array([[[[5.0, 8.0], [7.0, -1.0]]]]), "out for 2x2 pooling, stride 2",
            hint="Each output is the largest of its 2x2 window: the bottom-right window is "
                 "[[-2, -3], [-4, -1]], whose maximum is -1.")
out, _ = max_pool_forward_naive(x, {"pool_height": 3, "pool_width": 2, "stride": 1})
check_close(out, np.array([[[[5.0, 5.0, 8.0], [7.0, 6.0, 8.0]]]]),
            "out for 3x2 windows with stride 1 (overlapping)",
            hint="H' = 1 + (4 - 3) // 1 = 2 and W' = 1 + (4 - 2) // 1 = 3; windows are "
                 "pool_height rows by pool_width columns.")
x = np.linspace(-0.3, 0.4, num=2 * 3 * 4 * 4).reshape(2, 3, 4, 4)
out, _ = max_pool_forward_naive(x, {"pool_height": 2, "pool_width": 2, "stride": 2})
check_close(out[1, 2], np.array([[0.32631579, 0.34105263], [0.38526316, 0.4]]),
            "out[1, 2] for x of shape (2, 3, 4, 4)",
            hint="Pool every image and every channel separately: the maximum is over the "
                 "window only, never across channels.")
### BEGIN HIDDEN TESTS
from grading import cnn as hidden; hidden.check_max_pool_forward_naive(max_pool_forward_naive)
### END HIDDEN TESTS
passed("max_pool_forward_naive")

# %% answer="max_pool_backward_naive"
def max_pool_backward_naive(dout, cache):
    """Backward pass of max pooling, with loops.

    Inputs:
    - dout: (N, C, H', W') upstream gradient
    - cache: (x, pool_param) as returned by max_pool_forward_naive
    Returns dx: (N, C, H, W). Each dout[n, c, i, j] goes to the position of the maximum of its
    window (the first one, as np.argmax picks, if there are ties); windows that overlap add up.
    """
    ### BEGIN SOLUTION
    x, pool_param = cache
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    N, C, H_out, W_out = dout.shape
    dx = np.zeros_like(x)
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    window = x[n, c, i * stride:i * stride + ph, j * stride:j * stride + pw]
                    k, l = np.unravel_index(np.argmax(window), window.shape)
                    dx[n, c, i * stride + k, j * stride + l] += dout[n, c, i, j]
    return dx
    ### END SOLUTION


# %% test="max_pool_backward_naive" points=2
x = np.array([[[[1.0, 5.0, 2.0, 0.0],
                [3.0, -1.0, 4.0, 8.0],
                [0.5, 0.0, -2.0, -3.0],
                [7.0, 6.0, -4.0, -1.0]]]])
pool_param = {"pool_height": 2, "pool_width": 2, "stride": 2}
dout = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
dx = call_unmutated(max_pool_backward_naive, dout, (x, pool_param))
check_close(dx, np.array([[[[0.0, 1.0, 0.0, 0.0],
                            [0.0, 0.0, 0.0, 2.0],
                            [0.0, 0.0, 0.0, 0.0],
                            [3.0, 0.0, 0.0, 4.0]]]]), "dx for 2x2 pooling, stride 2",
            hint="All of dout[i, j] goes to the position of its window's maximum; the other "
                 "three inputs of the window get 0.")
dx = max_pool_backward_naive(np.ones((1, 1, 2, 3)),
                             (x, {"pool_height": 3, "pool_width": 2, "stride": 1}))
check_close(dx, np.array([[[[0.0, 2.0, 0.0, 0.0],
                            [0.0, 0.0, 0.0, 2.0],
                            [0.0, 0.0, 0.0, 0.0],
                            [1.0, 1.0, 0.0, 0.0]]]]),
            "dx for overlapping 3x2 windows (stride 1) and dout of ones",
            hint="The 5 is the maximum of two windows, so it collects both gradients: "
                 "accumulate with +=.")
rng = np.random.default_rng(3)
check_backward(max_pool_forward_naive, max_pool_backward_naive,
               {"x": rng.standard_normal((2, 3, 6, 5))}, rng=rng,
               extra_args=({"pool_height": 2, "pool_width": 3, "stride": 2},))
### BEGIN HIDDEN TESTS
from grading import cnn as hidden; hidden.check_max_pool_backward_naive(max_pool_backward_naive)
### END HIDDEN TESTS
passed("max_pool_backward_naive")

# %% [markdown]
# ## 6. Fast convolution: `im2col`
#
# The loops above do the right arithmetic in the slowest possible way: millions of tiny Python
# steps. The fix is to notice that the convolution is **one matrix product** in disguise. Copy
# every window of the (padded) input into a column of a matrix `cols`:
#
# - one **row** per filter weight, in the order of `w[f]` flattened: channel $c$, then kernel
#   row $k$, then kernel column $l$. That is $C \cdot HH \cdot WW$ rows;
# - one **column** per output position, in the order image $n$, output row $i$, output column $j$.
#   That is $N \cdot H' \cdot W'$ columns.
#
# Then `w.reshape(F, -1) @ cols` is every dot product at once, an $(F, N H' W')$ matrix, and one
# reshape and transpose gives `out` of shape $(N, F, H', W')$. The product runs in an optimised
# BLAS library, and the copy is cheap. The layout matters for speed: with the channel axis first
# (rows) and the images and pixels together along the columns, the matrix product is one large,
# well-shaped call, and `cols` can be built in a few whole-array copies.
#
# **Build `cols` without a Python loop over images or pixels.** Two good ways:
#
# - loop over the kernel positions $(k, l)$ only, $HH \cdot WW$ iterations, each copying a
#   strided slice `x_pad[:, :, k:k + S*H':S, l:l + S*W':S]` (shape $(N, C, H', W')$) into its rows;
# - or `np.lib.stride_tricks.sliding_window_view(x_pad, (HH, WW), axis=(2, 3))`, a *view* of
#   shape $(N, C, H_p - HH + 1, W_p - WW + 1, HH, WW)$ holding every stride-1 window without
#   copying anything; keep every $S$-th window (`[:, :, ::S, ::S]`, then the first $H'$ and
#   $W'$), move the axes into the order $(C, HH, WW, N, H', W')$ with `transpose`, and `reshape`,
#   which makes the one copy.
#
# The backward pass needs the reverse, `col2im`: given a matrix shaped like `cols` (a gradient
# with respect to each column's copy of a window), add every entry back to the pixel it was
# copied from, **summing** where windows overlap, and crop the padding. It is the adjoint of
# `im2col`: for any `x` and `c`, `np.sum(im2col(x, ...) * c) == np.sum(x * col2im(c, ...))`.
# Loop over the kernel positions here too, with `+=` on strided slices.
#
# Write both. Keep the dtype of the input (float32 stays float32: half the memory, and twice as
# fast in BLAS).

# %% answer="im2col"
def im2col(x, HH, WW, stride, pad):
    """Every window of a padded batch of images, as the columns of a matrix.

    Inputs:
    - x: (N, C, H, W) images
    - HH, WW: window height and width; stride, pad: as in conv_param
    Returns cols: (C * HH * WW, N * H' * W'), dtype of x, with H', W' as in conv_forward_naive.
    Row c * HH * WW + k * WW + l, column n * H' * W' + i * W' + j holds
    x_pad[n, c, i * stride + k, j * stride + l].
    """
    ### BEGIN SOLUTION
    N, C, H, W = x.shape
    H_out = 1 + (H + 2 * pad - HH) // stride
    W_out = 1 + (W + 2 * pad - WW) // stride
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    windows = np.lib.stride_tricks.sliding_window_view(x_pad, (HH, WW), axis=(2, 3))
    windows = windows[:, :, ::stride, ::stride][:, :, :H_out, :W_out]  # (N, C, H', W', HH, WW)
    return windows.transpose(1, 4, 5, 0, 2, 3).reshape(C * HH * WW, N * H_out * W_out)
    ### END SOLUTION


def col2im(cols, x_shape, HH, WW, stride, pad):
    """The adjoint of im2col: add every entry of cols back to the pixel it was copied from.

    Inputs:
    - cols: (C * HH * WW, N * H' * W'), laid out as im2col's output
    - x_shape: (N, C, H, W), the shape of the images im2col was called on
    - HH, WW, stride, pad: as for im2col
    Returns x: (N, C, H, W), dtype of cols, where each pixel is the sum of all the entries of
    cols that are copies of it (padding positions are dropped).
    """
    ### BEGIN SOLUTION
    N, C, H, W = x_shape
    H_out = 1 + (H + 2 * pad - HH) // stride
    W_out = 1 + (W + 2 * pad - WW) // stride
    cols = cols.reshape(C, HH, WW, N, H_out, W_out)
    # Accumulate channel-first, like cols, so every += adds two arrays of the same layout.
    x_pad = np.zeros((C, N, H + 2 * pad, W + 2 * pad), dtype=cols.dtype)
    for k in range(HH):
        for l in range(WW):
            x_pad[:, :, k:k + stride * H_out:stride, l:l + stride * W_out:stride] += cols[:, k, l]
    return np.ascontiguousarray(x_pad[:, :, pad:pad + H, pad:pad + W].transpose(1, 0, 2, 3))
    ### END SOLUTION


# %% test="im2col" points=3
x = np.arange(9.0).reshape(1, 1, 3, 3)                   # [[0 1 2] [3 4 5] [6 7 8]]
check_close(call_unmutated(im2col, x, 2, 2, 1, 0),
            np.array([[0.0, 1.0, 3.0, 4.0],
                      [1.0, 2.0, 4.0, 5.0],
                      [3.0, 4.0, 6.0, 7.0],
                      [4.0, 5.0, 7.0, 8.0]]), "im2col(x, 2, 2, stride=1, pad=0) of a 3x3 image",
            hint="Column j is the j-th window flattened ([[0, 1], [3, 4]] -> 0, 1, 3, 4); row r "
                 "holds kernel position r of every window.")
x = np.arange(2 * 2 * 2 * 2, dtype=np.float32).reshape(2, 2, 2, 2)
check_close(im2col(x, 1, 2, 1, 0),
            np.array([[0.0, 2.0, 8.0, 10.0],
                      [1.0, 3.0, 9.0, 11.0],
                      [4.0, 6.0, 12.0, 14.0],
                      [5.0, 7.0, 13.0, 15.0]], dtype=np.float32),
            "im2col(x, 1, 2, stride=1, pad=0) for x = arange(16).reshape(2, 2, 2, 2)",
            hint="Rows go channel first, then kernel row, then kernel column; columns go image "
                 "first, then output row, then output column.")
check_true(im2col(x, 1, 2, 1, 0).dtype == np.float32,
           f"im2col turned float32 images into {im2col(x, 1, 2, 1, 0).dtype}: keep x's dtype "
           "(np.zeros(shape) without dtype= is float64).")
check_close(im2col(np.ones((1, 1, 2, 2)), 2, 2, 2, 1),
            np.array([[0.0, 0.0, 0.0, 1.0], [0.0, 0.0, 1.0, 0.0],
                      [0.0, 1.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0]]),
            "im2col(ones (1, 1, 2, 2), 2, 2, stride=2, pad=1)",
            hint="Pad first: the 4x4 padded image has four 2x2 windows at stride 2, each holding "
                 "one of the ones.")
check_close(col2im(np.ones((4, 4)), (1, 1, 2, 2), 2, 2, 2, 1), np.ones((1, 1, 2, 2)),
            "col2im(ones (4, 4), (1, 1, 2, 2), 2, 2, stride=2, pad=1)",
            hint="Each of the 4 pixels is in exactly one window; the result has x's shape: crop "
                 "the padding off at the end.")
counts = col2im(np.ones((4, 4)), (1, 1, 3, 3), 2, 2, 1, 0)
check_close(counts, np.array([[[[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]]]),
            "col2im(ones (4, 4), (1, 1, 3, 3), 2, 2, stride=1, pad=0)",
            hint="Each pixel gets one 1 per window that contains it: add with +=, never assign.")
rng = np.random.default_rng(4)
x = rng.standard_normal((2, 3, 5, 4))
c = rng.standard_normal((3 * 3 * 2, 2 * 3 * 3))          # H' = W' = 3
check_close(np.sum(x * call_unmutated(col2im, c, x.shape, 3, 2, 2, 1)),
            np.sum(im2col(x, 3, 2, 2, 1) * c),
            "sum(x * col2im(c)), which should equal sum(im2col(x) * c), for 3x2 windows, "
            "stride 2, pad 1",
            hint="col2im must send entry [r, col] of c exactly where im2col took it from: use "
                 "the same row and column order, and crop the padding at the end.")
### BEGIN HIDDEN TESTS
from grading import cnn as hidden; hidden.check_im2col(im2col, col2im)
### END HIDDEN TESTS
passed("im2col, col2im")

# %% [markdown]
# ## 7. The fast layer
#
# With `im2col` the forward pass is three lines: build `cols`, multiply by the filters flattened
# to an $(F, C \cdot HH \cdot WW)$ matrix, add the bias, and rearrange the $(F, N H' W')$ result
# into $(N, F, H', W')$ (reshape to $(F, N, H', W')$, then swap the first two axes). Keep `cols`
# in the cache: the backward pass needs it.
#
# The backward pass is the backward pass of a matrix product $\text{out} = W_{\text{mat}}
# \,\text{cols} + b$, with `dout` rearranged the same way into an $(F, N H' W')$ matrix
# `dout_mat`:
#
# $$dW_{\text{mat}} = \text{dout\_mat}\;\text{cols}^\top, \qquad
#   d\text{cols} = W_{\text{mat}}^\top\,\text{dout\_mat}, \qquad
#   db = \textstyle\sum_{\text{columns}} \text{dout\_mat},$$
#
# then `dw` is $dW_{\text{mat}}$ reshaped to `w.shape`, and `dx = col2im(dcols, ...)`.
#
# **Your turn.** Write `conv_forward_fast` and `conv_backward_fast` with your `im2col` and
# `col2im`: no Python loop at all. They must agree with your naive versions, and keep float32 as
# float32 (the bias too: `b[:, None]` added to a float32 matrix stays float32 if `b` is float32).

# %% answer="conv_forward_fast"
def conv_forward_fast(x, w, b, conv_param):
    """Forward pass of a convolutional layer, as one matrix product (im2col).

    Inputs and out: as conv_forward_naive (x (N, C, H, W), w (F, C, HH, WW), b (F,),
    conv_param {"stride", "pad"}; out (N, F, H', W') of the dtype of x and w).
    Returns (out, cache); cache holds what conv_backward_fast needs (x's shape, w, cols,
    conv_param).
    """
    ### BEGIN SOLUTION
    N = x.shape[0]
    F, _, HH, WW = w.shape
    stride, pad = conv_param["stride"], conv_param["pad"]
    H_out = 1 + (x.shape[2] + 2 * pad - HH) // stride
    W_out = 1 + (x.shape[3] + 2 * pad - WW) // stride
    cols = im2col(x, HH, WW, stride, pad)
    out = w.reshape(F, -1) @ cols
    out += b[:, None]
    out = out.reshape(F, N, H_out, W_out).transpose(1, 0, 2, 3)
    return np.ascontiguousarray(out), (x.shape, w, cols, conv_param)
    ### END SOLUTION


# %% test="conv_forward_fast" points=2
x = np.linspace(-0.1, 0.5, num=2 * 3 * 4 * 4).reshape(2, 3, 4, 4)
w = np.linspace(-0.2, 0.3, num=3 * 3 * 4 * 4).reshape(3, 3, 4, 4)
b = np.linspace(-0.1, 0.2, num=3)
out, _ = call_unmutated(conv_forward_fast, x, w, b, {"stride": 2, "pad": 1})
check_close(out[:, :, 0, 0], np.array([[-0.08759809, 0.21027089, 0.50813986],
                                       [-0.98053589, 0.69108355, 2.36270298]]),
            "out[:, :, 0, 0] for x (2, 3, 4, 4), w (3, 3, 4, 4), stride 2, pad 1 (the same "
            "inputs as the naive test)",
            hint="w.reshape(F, -1) @ cols is (F, N*H'*W'): reshape it to (F, N, H', W') and "
                 "swap the first two axes, do not reshape straight to (N, F, H', W').")
rng = np.random.default_rng(5)
for x_shape, w_shape, conv_param in (((3, 2, 7, 6), (4, 2, 3, 3), {"stride": 1, "pad": 1}),
                                     ((2, 3, 8, 9), (2, 3, 4, 3), {"stride": 2, "pad": 2})):
    x, w = rng.standard_normal(x_shape), rng.standard_normal(w_shape)
    b = rng.standard_normal(w_shape[0])
    check_close(conv_forward_fast(x, w, b, conv_param)[0],
                conv_forward_naive(x, w, b, conv_param)[0],
                f"conv_forward_fast compared with conv_forward_naive, x {x_shape}, w {w_shape}, "
                f"{conv_param}", hint="The rows of cols must follow w[f].ravel(): (c, k, l).")
x32, w32, b32 = (a.astype(np.float32) for a in (x, w, b))
out_dtype = conv_forward_fast(x32, w32, b32, conv_param)[0].dtype
check_true(out_dtype == np.float32,
           f"conv_forward_fast turned float32 inputs into a {out_dtype} output: every array you "
           "create should take its dtype from x (a float64 array anywhere makes it all float64).")
### BEGIN HIDDEN TESTS
from grading import cnn as hidden; hidden.check_conv_forward_fast(conv_forward_fast)
### END HIDDEN TESTS
passed("conv_forward_fast")

# %% answer="conv_backward_fast"
def conv_backward_fast(dout, cache):
    """Backward pass of conv_forward_fast.

    Inputs:
    - dout: (N, F, H', W') upstream gradient
    - cache: as returned by conv_forward_fast
    Returns (dx, dw, db) of shapes (N, C, H, W), (F, C, HH, WW), (F,), the dtype of dout.
    """
    ### BEGIN SOLUTION
    x_shape, w, cols, conv_param = cache
    F, _, HH, WW = w.shape
    dout_mat = dout.transpose(1, 0, 2, 3).reshape(F, -1)         # (F, N*H'*W')
    db = dout_mat.sum(axis=1)
    dw = (dout_mat @ cols.T).reshape(w.shape)
    dcols = w.reshape(F, -1).T @ dout_mat
    dx = col2im(dcols, x_shape, HH, WW, conv_param["stride"], conv_param["pad"])
    return dx, dw, db
    ### END SOLUTION


# %% test="conv_backward_fast" points=3
rng = np.random.default_rng(6)
check_backward(conv_forward_fast, conv_backward_fast,
               {"x": rng.standard_normal((2, 3, 5, 5)), "w": rng.standard_normal((2, 3, 3, 3)),
                "b": rng.standard_normal(2)}, rng=rng, extra_args=({"stride": 1, "pad": 1},))
check_backward(conv_forward_fast, conv_backward_fast,
               {"x": rng.standard_normal((1, 2, 6, 5)), "w": rng.standard_normal((3, 2, 3, 2)),
                "b": rng.standard_normal(3)}, rng=rng, extra_args=({"stride": 2, "pad": 0},))
x, w = rng.standard_normal((3, 2, 7, 6)), rng.standard_normal((4, 2, 3, 3))
b = rng.standard_normal(4)
conv_param = {"stride": 2, "pad": 1}
out, cache = conv_forward_fast(x, w, b, conv_param)
dout = rng.standard_normal(out.shape)
grads_fast = conv_backward_fast(dout, cache)
grads_naive = conv_backward_naive(dout, conv_forward_naive(x, w, b, conv_param)[1])
for name, fast, naive in zip(("dx", "dw", "db"), grads_fast, grads_naive):
    check_close(fast, naive, f"{name} of conv_backward_fast compared with conv_backward_naive "
                "(x (3, 2, 7, 6), w (4, 2, 3, 3), stride 2, pad 1)", batch_size=3)
### BEGIN HIDDEN TESTS
from grading import cnn as hidden
hidden.check_conv_backward_fast(conv_forward_fast, conv_backward_fast)
### END HIDDEN TESTS
passed("conv_backward_fast")

# %% [markdown]
# How much faster? One forward and backward pass over 8 MNIST images with 8 filters of 5×5:

# %%
x = mnist["X_train"][:8]
w = np.random.default_rng(0).standard_normal((8, 1, 5, 5)).astype(np.float32) * 0.2
b = np.zeros(8, np.float32)
same = {"stride": 1, "pad": 2}
timings = {}
for name, forward, backward in (("naive", conv_forward_naive, conv_backward_naive),
                                ("fast", conv_forward_fast, conv_backward_fast)):
    runs = []
    for repeat in range(1 if name == "naive" else 5):      # the best of 5: the least disturbed
        start = time.perf_counter()
        out, cache = forward(x, w, b, same)
        backward(np.ones_like(out), cache)
        runs.append(time.perf_counter() - start)
    timings[name] = min(runs)
print(f"naive: {timings['naive'] * 1000:.0f} ms, fast: {timings['fast'] * 1000:.1f} ms, "
      f"speed-up: {timings['naive'] / timings['fast']:.0f}x")

# %% [markdown]
# ## 8. A LeNet for MNIST
#
# LeNet-5 (LeCun et al., 1998) stacked convolutions and subsampling, then fully connected layers,
# and made 0.95% errors on MNIST's test set. Ours is a smaller, modern cousin (ReLU instead of
# tanh, max pooling instead of averaging):
#
# | layer | output shape | parameters |
# |---|---|---|
# | input | 1 × 28 × 28 | |
# | conv 5×5, 8 filters, pad 2, ReLU | 8 × 28 × 28 | 208 |
# | max pool 2×2 | 8 × 14 × 14 | |
# | conv 5×5, 16 filters, pad 2, ReLU | 16 × 14 × 14 | 3 216 |
# | max pool 2×2 | 16 × 7 × 7 | |
# | linear 784 → 128, ReLU | 128 | 100 480 |
# | linear 128 → 10 | 10 | 1 290 |
#
# The convolutions hold 3% of the weights and do 90% of the arithmetic. The linear layers, the
# ReLU, the loss and the `Sequential` container are your layers from notebook 06 (the `layers`
# module, built from your answers there); the training loop is your `train` (`training_loop`), as in
# notebook 06. The two new layers below wrap **your** fast convolution, and a max pooling for the
# common case of 2×2 windows with stride 2, where the windows tile the image exactly: the four
# strided slices `x[:, :, 0::2, 0::2]`, `x[:, :, 0::2, 1::2]`, ... hold the four corners of every
# window, so two `np.maximum` of whole arrays pool everything at once. (Your naive pooling gives
# the same numbers, only much more slowly.)

# %% locked=true
class Conv:
    """A convolutional layer on your conv_forward_fast / conv_backward_fast.

    params: {"w": (F, C, size, size), "b": (F,)}, float32, w drawn with He's initialisation
    (standard deviation sqrt(2 / (C * size * size)), the fan-in of one output).
    """

    def __init__(self, in_channels, filters, size, rng, pad):
        fan_in = in_channels * size * size
        w = rng.standard_normal((filters, in_channels, size, size)) * np.sqrt(2 / fan_in)
        self.params = {"w": w.astype(np.float32), "b": np.zeros(filters, np.float32)}
        self.conv_param = {"stride": 1, "pad": pad}
        self.grads = {}

    def forward(self, x):
        """x: (N, C, H, W). Returns (N, F, H', W')."""
        out, self.cache = conv_forward_fast(x, self.params["w"], self.params["b"], self.conv_param)
        return out

    def backward(self, dout):
        """dout: (N, F, H', W'). Sets grads["w"], grads["b"]; returns dx (N, C, H, W)."""
        dx, dw, db = conv_backward_fast(dout, self.cache)
        self.grads = {"w": dw, "b": db}
        return dx


class MaxPool2x2:
    """Max pooling over 2x2 windows with stride 2, for even H and W. No parameters."""

    # The four corners of every window at once: x[:, :, row::2, col::2] is (N, C, H/2, W/2).
    CORNERS = ((0, 0), (0, 1), (1, 0), (1, 1))

    def __init__(self):
        self.params, self.grads = {}, {}

    def forward(self, x):
        """x: (N, C, H, W). Returns (N, C, H/2, W/2)."""
        corners = [x[:, :, row::2, col::2] for row, col in self.CORNERS]
        out = np.maximum(np.maximum(corners[0], corners[1]), np.maximum(corners[2], corners[3]))
        # Which corner holds each window's maximum: the first one, on ties (as np.argmax).
        self.is_max, taken = [], np.zeros(out.shape, dtype=bool)
        for corner in corners:
            self.is_max.append((corner == out) & ~taken)
            taken |= self.is_max[-1]
        self.x_shape = x.shape
        return out

    def backward(self, dout):
        """dout: (N, C, H/2, W/2). Returns dx (N, C, H, W): dout at each window's maximum."""
        dx = np.zeros(self.x_shape, dtype=dout.dtype)
        for (row, col), is_max in zip(self.CORNERS, self.is_max):
            dx[:, :, row::2, col::2] = np.where(is_max, dout, 0)
        return dx


# %% [markdown]
# A last check before training: the whole network's gradient against its numerical gradient, on
# a tiny version of it (float64 for the check only; numerical gradients need the precision).

# %%
rng = np.random.default_rng(0)
tiny = Sequential([Conv(1, 2, 3, rng, pad=1), ReLU(), MaxPool2x2(), Linear(2 * 2 * 2, 3, rng)])
for name in tiny.params:
    tiny.params[name] = tiny.params[name].astype(np.float64)
    tiny.layers[int(name.split(".")[0])].params[name.split(".")[1]] = tiny.params[name]
x_tiny, y_tiny = rng.standard_normal((2, 1, 4, 4)), np.array([0, 2])
loss_layer = SoftmaxCrossEntropy()
loss_layer.forward(tiny.forward(x_tiny), y_tiny)
tiny.backward(loss_layer.backward())
worst = 0.0
for name, w in tiny.params.items():
    for index in np.ndindex(w.shape):
        original = w[index]
        w[index] = original + 1e-6
        plus = loss_layer.forward(tiny.forward(x_tiny), y_tiny)
        w[index] = original - 1e-6
        minus = loss_layer.forward(tiny.forward(x_tiny), y_tiny)
        w[index] = original
        worst = max(worst, abs((plus - minus) / 2e-6 - tiny.grads[name][index]))
print(f"largest difference between analytic and numerical gradients: {worst:.1e}")

# %% [markdown]
# Now the real thing: plain SGD (your `sgd_step` from notebook 06) on minibatches of 64 images,
# for 4 epochs, the learning rate halved after every epoch. Under grading, and with
# `DLCOURSE_QUICK=1`, it trains briefly on a subset; the full run takes about a minute.

# %%
def sgd(w, dw, config):
    """Your sgd_step, as an update rule for one parameter: (w, dw, config) -> (next_w, config)."""
    return sgd_step({"w": w}, {"w": dw}, config["learning_rate"])["w"], config


n_train, epochs = (6400, 1) if quick() else (len(mnist["X_train"]), 4)
n_test = 1000 if quick() else len(mnist["X_test"])
rng = np.random.default_rng(1)
lenet = Sequential([Conv(1, 8, 5, rng, pad=2), ReLU(), MaxPool2x2(),
                    Conv(8, 16, 5, rng, pad=2), ReLU(), MaxPool2x2(),
                    Linear(16 * 7 * 7, 128, rng), ReLU(), Linear(128, 10, rng)])
softmax_cross_entropy = as_loss_function(SoftmaxCrossEntropy())
history = train(lenet, mnist["X_train"][:n_train], mnist["y_train"][:n_train],
                loss=softmax_cross_entropy, accuracy=accuracy, update=sgd,
                optim_config={"learning_rate": 0.25}, lr_decay=0.5,
                epochs=epochs, batch_size=64, rng=rng)
training_seconds = history["seconds"][-1]
test_loss, test_accuracy = evaluate(lenet, mnist["X_test"][:n_test], mnist["y_test"][:n_test],
                                    loss=softmax_cross_entropy, accuracy=accuracy)
print(f"Test accuracy: {test_accuracy:.2%} after {training_seconds:.1f} s of training "
      f"({epochs} epochs of {n_train} images)")

# %% [markdown]
# The full run must reach 99.0% test accuracy or more; this cell checks it (and says nothing in
# the short version). Its training time is printed above: how fast it should be is measured by
# `benchmarks/`, never asserted here (a busy machine is slower, not wrong).

# %%
if not quick():
    assert test_accuracy >= 0.990, f"test accuracy {test_accuracy:.2%} < 99.0%"

# %%
plot_curves({"training batches": history["batch_loss"]}, xlabel="step",
            ylabel="cross-entropy loss", logy=True, title="LeNet on MNIST: loss of every step")
plt.show()

# %% [markdown]
# ## 9. Inside the network
#
# **The first layer's filters.** Each of the 8 filters is 5×5 weights looking at the raw pixels.
# Training turned random noise into detectors of oriented strokes and edges: red weights add
# up bright pixels, blue ones subtract them, so a filter with red on one side and blue on the
# other responds to an edge across it.

# %%
plot_filters(lenet.params["0.w"], columns=8, title="learned 5x5 filters of the first layer")
plt.show()

# %% [markdown]
# **Feature maps of one digit.** The first layer's 8 maps (after ReLU) are the digit seen through
# each filter: each lights up the strokes of one orientation. After pooling, the second layer's
# 16 maps are 14×14 and more abstract: parts of the digit (a loop, an end, a junction) rather than
# edges. The linear layers read the digit's class off the pooled 7×7 version of these.

# %%
digit = mnist["X_test"][:1]
relu_1 = lenet.layers[1].forward(lenet.layers[0].forward(digit))
relu_2 = lenet.layers[4].forward(lenet.layers[3].forward(lenet.layers[2].forward(relu_1)))
plt.figure(figsize=(2, 2))
plt.imshow(digit[0, 0], cmap="gray")
plt.title(f"a test digit: {mnist['y_test'][0]}")
plt.axis("off")
plot_feature_maps(relu_1[0], columns=8, title="first layer: 8 feature maps, 28x28")
plot_feature_maps(relu_2[0], columns=8, title="second layer: 16 feature maps, 14x14")
plt.show()

# %% [markdown]
# ## Summary
#
# - A convolution scores every window of the input with the same small filters: local patterns,
#   few weights, and outputs that shift with the input. Its output is $1 + \lfloor (H + 2P -
#   HH) / S \rfloor$ high; pooling shrinks feature maps and keeps their strongest responses.
# - Its backward pass accumulates: a shared filter sums the gradients of every position, a pixel
#   those of every window containing it; max pooling routes each gradient to its window's
#   maximum.
# - `im2col` turns the convolution into one matrix product: a copy of every window, then BLAS.
#   That, in float32, is the difference between a toy and a network trained to LeNet-5's level in
#   about a minute on a laptop.
# - Notebook 08 replaces plain SGD with optimizers that get there in fewer steps.
