"""How fast is the course's convolution? Notebook 07's fast conv layer against PyTorch's, on CPU.

Times one forward and one backward pass (dx, dw and db) of the solution's `conv_forward_fast` /
`conv_backward_fast` (taken from solutions/07_cnn through `grading.reference`, so this is an
instructor-side benchmark) and of `torch.nn.functional.conv2d` with autograd, on the two
convolutions of the notebook's LeNet for a batch of 64 MNIST-sized images, in float32, and prints
the ratio numpy time / PyTorch time. The target is a ratio of at most 1.3 for the first layer.

The two are measured in the same run, interleaved, each repetition of one followed by one of the
other, and compared by their fastest repetition (the one least disturbed by other processes), so
the ratio means something on a busy machine too. PyTorch gets as many threads as numpy's BLAS
(OMP_NUM_THREADS if set, else one per core).

    .venv/bin/python benchmarks/bench_conv.py            # from the repository root
    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_conv.py

PyTorch is an optional dependency of this benchmark only (never of the course, and never in
pyproject.toml or environment.yml). Install the CPU build with exactly

    .venv/bin/pip install torch==2.13.0

(any other version spec downloads several GB of CUDA libraries). Without it, the numpy timings
are printed alone.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grading import reference  # noqa: E402  (the solution notebook's answers)

BATCH = 64
REPEATS = 30
# (name, input shape, filter shape, conv_param): the two convolutions of notebook 07's LeNet.
LAYERS = (
    ("conv1: 1 -> 8 channels, 28x28, 5x5, pad 2", (BATCH, 1, 28, 28), (8, 1, 5, 5), 2),
    ("conv2: 8 -> 16 channels, 14x14, 5x5, pad 2", (BATCH, 8, 14, 14), (16, 8, 5, 5), 2),
)


def blas_threads() -> int:
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        if os.environ.get(name, "").isdigit():
            return int(os.environ[name])
    return os.cpu_count() or 1


def numpy_step(solution, x, w, b, dout, pad):
    """One forward and backward pass of the solution's fast layer."""
    out, cache = solution.conv_forward_fast(x, w, b, {"stride": 1, "pad": pad})
    solution.conv_backward_fast(dout, cache)


def torch_step(torch, x, w, b, dout, pad):
    """The same with PyTorch: conv2d and autograd, gradients for x, w and b."""
    out = torch.nn.functional.conv2d(x, w, b, padding=pad)
    x.grad = w.grad = b.grad = None
    out.backward(dout)


def best_times(steps: dict, repeats: int) -> dict[str, float]:
    """The fastest of ``repeats`` runs of each step (seconds), the steps interleaved."""
    for step in steps.values():             # warm up: allocations, thread pools, caches
        step()
    best = {name: np.inf for name in steps}
    for _ in range(repeats):
        for name, step in steps.items():
            start = time.perf_counter()
            step()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def main() -> int:
    solution = reference("07_cnn")
    threads = blas_threads()
    try:
        import torch
    except ImportError:
        torch = None
    else:
        torch.set_num_threads(threads)
    print(f"batch of {BATCH}, float32, {threads} thread(s), best of {REPEATS} forward+backward "
          f"passes (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    rng = np.random.default_rng(0)
    ratios = []
    for name, x_shape, w_shape, pad in LAYERS:
        x = rng.random(x_shape, dtype=np.float32)
        w = (rng.standard_normal(w_shape) * 0.1).astype(np.float32)
        b = np.zeros(w_shape[0], np.float32)
        out, _ = solution.conv_forward_fast(x, w, b, {"stride": 1, "pad": pad})
        dout = rng.standard_normal(out.shape).astype(np.float32)
        steps = {"numpy": lambda: numpy_step(solution, x, w, b, dout, pad)}
        if torch is not None:
            tensors = [torch.from_numpy(a.copy()).requires_grad_() for a in (x, w, b)]
            dout_t = torch.from_numpy(dout)
            with torch.no_grad():
                reference_out = torch.nn.functional.conv2d(*tensors, padding=pad).numpy()
            if not np.allclose(out, reference_out, rtol=1e-4, atol=1e-4):
                print(f"{name}: the numpy and PyTorch outputs differ!")
                return 1
            steps["torch"] = lambda: torch_step(torch, *tensors, dout_t, pad)
        best = best_times(steps, REPEATS)
        line = f"{name}: numpy {best['numpy'] * 1000:.2f} ms"
        if torch is not None:
            ratio = best["numpy"] / best["torch"]
            ratios.append(ratio)
            line += f", PyTorch {best['torch'] * 1000:.2f} ms, ratio numpy/PyTorch {ratio:.2f}"
        print(line)
    if torch is None:
        print("PyTorch is not installed, so there is no ratio: "
              ".venv/bin/pip install torch==2.13.0 (the CPU build) to compare.")
    else:
        print(f"ratio for the first layer (the target is <= 1.3): {ratios[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
