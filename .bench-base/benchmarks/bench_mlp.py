"""How fast is notebook 06's MLP? Its training epoch and its evaluation, numpy against PyTorch.

numpy runs the notebook's own code (its answer cells, `Sequential`, and the recipe `train_mlp`,
through `notebook_code`): one epoch of the 784-256-128-10 network on the 55 000 training images,
batches of 128, float32, SGD with momentum, weight decay and the cosine schedule, the loss and
accuracy of every batch recorded; then `evaluate` on the 10 000 test images. PyTorch does the
same with `torch.nn`, `torch.optim.SGD` and a `LambdaLR` schedule, on the same batches.

Each repetition runs one numpy epoch and one PyTorch epoch back to back (in alternating order),
and the ratio numpy / PyTorch is taken within the pair, in CPU time (the process's own time: with
one thread it is what an idle machine's wall clock would show, and it does not count the time
other processes take the cores away) and in wall time. The summary line is the worst ratio: the
largest median over the measurements. Targets (issue 19): training epoch <= 1.15.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_mlp.py [--repeats 7]

PyTorch is an optional dependency of this benchmark only (never of the course, never in
pyproject.toml or environment.yml): `.venv/bin/pip install torch==2.13.0` (the CPU build).
Without it, the numpy timings are printed alone.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DLCOURSE_DATA", str(Path(__file__).resolve().parents[2] / "shared" / "data"))

from notebook_code import notebook_namespace  # noqa: E402

BATCH = 128


def blas_threads() -> int:
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        if os.environ.get(name, "").isdigit():
            return int(os.environ[name])
    return os.cpu_count() or 1


def timed(step) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of step()."""
    cpu, wall = time.process_time(), time.perf_counter()
    step()
    return time.process_time() - cpu, time.perf_counter() - wall


class TorchMLP:
    """The notebook's network, recipe and bookkeeping in PyTorch."""

    def __init__(self, torch, notebook: dict, mnist: dict):
        self.torch, self.notebook = torch, notebook
        self.X_train = torch.from_numpy(np.array(mnist["X_train"]))
        self.y_train = torch.from_numpy(np.array(mnist["y_train"]))
        self.X_test = torch.from_numpy(np.array(mnist["X_test"]))
        self.y_test = torch.from_numpy(np.array(mnist["y_test"]))
        nn = torch.nn
        self.model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128),
                                   nn.ReLU(), nn.Linear(128, 10))

    def train_epoch(self, seed: int) -> None:
        torch, functional = self.torch, self.torch.nn.functional
        batches = self.notebook["minibatch_indices"](len(self.X_train), BATCH,
                                                     np.random.default_rng(seed))
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1, momentum=0.9,
                                    weight_decay=5e-4)
        schedule = torch.optim.lr_scheduler.LambdaLR(
            optimizer, lambda step: 0.5 * (1 + np.cos(np.pi * step / len(batches))))
        for rows in batches:
            rows = torch.from_numpy(rows)
            X_batch, y_batch = self.X_train[rows], self.y_train[rows]
            optimizer.zero_grad(set_to_none=True)
            scores = self.model(X_batch)
            loss = functional.cross_entropy(scores, y_batch)
            loss.backward()
            optimizer.step()
            schedule.step()
            float(loss.item()), float((scores.argmax(dim=1) == y_batch).float().mean().item())

    def evaluate(self) -> None:
        torch, functional = self.torch, self.torch.nn.functional
        with torch.no_grad():
            for start in range(0, len(self.X_test), 1000):
                scores = self.model(self.X_test[start:start + 1000])
                y_chunk = self.y_test[start:start + 1000]
                float(functional.cross_entropy(scores, y_chunk).item())
                float((scores.argmax(dim=1) == y_chunk).float().mean().item())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    notebook = notebook_namespace("06_mnist_mlp")
    mnist = notebook["load_mnist"](validation_size=5000, rng=np.random.default_rng(0))
    threads = blas_threads()
    try:
        import torch
    except ImportError:
        torch = None
    else:
        torch.set_num_threads(threads)
    loss = notebook["as_loss_function"](notebook["SoftmaxCrossEntropy"]())
    trained = {}

    def numpy_epoch(seed):
        trained["model"], _ = notebook["train_mlp"](
            mnist["X_train"], mnist["y_train"], None, None, np.random.default_rng(seed), epochs=1,
            progress=False)

    def numpy_evaluate():
        notebook["evaluate"](trained["model"], mnist["X_test"], mnist["y_test"], loss=loss,
                             accuracy=notebook["accuracy"])

    numpy_epoch(0)  # warm up: allocations, page faults of the memory-mapped images
    steps = {"training epoch": {"numpy": numpy_epoch}, "evaluation": {"numpy": numpy_evaluate}}
    if torch is not None:
        mlp = TorchMLP(torch, notebook, mnist)
        mlp.train_epoch(0)
        steps["training epoch"]["PyTorch"] = mlp.train_epoch
        steps["evaluation"]["PyTorch"] = mlp.evaluate
    print(f"notebook 06's MLP 784-256-128-10, batch {BATCH}, float32, {threads} thread(s), "
          f"{args.repeats} interleaved repetitions (load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores)")
    worst = None
    for name, runs in steps.items():
        times = {library: [] for library in runs}
        for repeat in range(args.repeats):
            order = list(runs) if repeat % 2 == 0 else list(runs)[::-1]
            for library in order:
                step = runs[library]
                times[library].append(
                    timed(lambda step=step, repeat=repeat, name=name:
                          step(repeat + 1) if name == "training epoch" else step()))
        line = [f"{name}: numpy {min(t[0] for t in times['numpy']):.3f} s CPU"]
        if "PyTorch" in times:
            pairs = list(zip(times["numpy"], times["PyTorch"], strict=True))
            ratios = {kind: [n[k] / p[k] for n, p in pairs]
                      for k, kind in enumerate(("CPU", "wall"))}
            line.append(f"PyTorch {min(t[0] for t in times['PyTorch']):.3f} s CPU")
            for kind, values in ratios.items():
                line.append(f"ratio in {kind} time: best {min(values):.2f}, "
                            f"median {statistics.median(values):.2f}")
            median = statistics.median(ratios["CPU"])
            if worst is None or median > worst[0]:
                worst = (median, name)
        print(", ".join(line))
    if worst is None:
        print("PyTorch is not installed, so there is no ratio: "
              ".venv/bin/pip install torch==2.13.0 (the CPU build) to compare.")
    else:
        print(f"worst ratio numpy / PyTorch: {worst[0]:.2f} ({worst[1]}, median CPU-time ratio; "
              f"target for the training epoch <= 1.15)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
