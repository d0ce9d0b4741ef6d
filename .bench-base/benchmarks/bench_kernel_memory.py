"""How much memory does a kernel need to run a notebook as nbgrader grades it?

Runs a solution notebook (default 06_mnist_mlp) top to bottom in a fresh Jupyter kernel, in its
short version (``NBGRADER_EXECUTION=autograde``, as under grading, hidden tests included), and
prints the kernel's peak resident memory (``ru_maxrss`` of the kernel process, read by a cell
appended at the end). Each run starts a new kernel; the first run may build the MNIST array
cache, later runs share it, as the kernels of a grading machine do.

    .venv/bin/python benchmarks/bench_kernel_memory.py                 # 06, three kernels
    .venv/bin/python benchmarks/bench_kernel_memory.py 09_regularization --runs 1
    .venv/bin/python benchmarks/bench_kernel_memory.py --cold          # empty cache first

``--cold`` points DLCOURSE_CACHE at an empty temporary folder, so the first kernel decodes MNIST
and writes the cache. Uses DLCOURSE_DATA, else the course's offline copy in ../shared/data.
Target for 06: a peak of at most 250 MiB per kernel.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
PEAK_CELL = ("import json, resource\n"
             "print('PEAK_RSS_KIB',"
             " json.dumps(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))")


def kernel_peak_mib(assignment: str, environment: dict[str, str]) -> tuple[float, float]:
    """Run ``assignment``'s solution notebook in a new kernel: (peak RSS in MiB, seconds)."""
    with tempfile.TemporaryDirectory(prefix=f"memory_{assignment}_") as scratch:
        folder = Path(scratch) / assignment
        shutil.copytree(ROOT / "solutions" / assignment, folder)
        notebook = nbformat.read(folder / f"{assignment}.ipynb", as_version=4)
        notebook.cells.append(nbformat.v4.new_code_cell(PEAK_CELL))
        started = time.perf_counter()
        NotebookClient(notebook, timeout=1800, kernel_name="python3",
                       resources={"metadata": {"path": str(folder)}}).execute(env=environment)
        seconds = time.perf_counter() - started
    text = "".join(output.get("text", "") for output in notebook.cells[-1].outputs)
    return int(text.split("PEAK_RSS_KIB")[1].split()[0]) / 1024, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignment", nargs="?", default="06_mnist_mlp")
    parser.add_argument("--runs", type=int, default=3, help="kernels to run, one after another")
    parser.add_argument("--cold", action="store_true", help="start from an empty array cache")
    args = parser.parse_args()
    environment = {name: value for name, value in os.environ.items()
                   if name not in ("DLCOURSE_QUICK", "DLCOURSE_REPORT")}
    environment.setdefault("DLCOURSE_DATA", str(ROOT.parent / "shared" / "data"))
    environment.update(NBGRADER_EXECUTION="autograde", PYTHONPATH=os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p))
    with tempfile.TemporaryDirectory(prefix="dlcourse_cache_") as cache:
        if args.cold:
            environment["DLCOURSE_CACHE"] = cache
        print(f"{args.assignment}, short version as under grading, {args.runs} kernel(s)"
              + (", starting from an empty cache" if args.cold else ""))
        peaks = []
        for run in range(args.runs):
            peak, seconds = kernel_peak_mib(args.assignment, environment)
            peaks.append(peak)
            print(f"kernel {run + 1}: peak RSS {peak:.0f} MiB, notebook ran in {seconds:.1f} s")
    print(f"worst peak RSS: {max(peaks):.0f} MiB per kernel")
    return 0


if __name__ == "__main__":
    sys.exit(main())
