"""The code of a solution notebook, for benchmarks that time or repeat what the notebook does.

`notebook_namespace("06_mnist_mlp")` executes, in order, the notebook's imports cell, its answer
cells and locked support cells (the solution: layers, training loop...), and the ordinary cells
tagged "benchmark" (a recipe the notebook runs, such as `train_mlp`), and returns the names they
define. Test cells, plots and the notebook's own runs are left out, so that a benchmark measures
exactly the code a student's notebook runs, from one source.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import matplotlib

ROOT = Path(__file__).resolve().parent.parent
BENCHMARK_TAG = "benchmark"


def notebook_namespace(assignment: str) -> dict:
    matplotlib.use("Agg")  # the imports cell imports pyplot; nothing is drawn
    folder = ROOT / "solutions" / assignment
    cells = json.loads((folder / f"{assignment}.ipynb").read_text(encoding="utf-8"))["cells"]
    code = [cell for cell in cells if cell["cell_type"] == "code"]
    chosen = [code[0]]
    for cell in code[1:]:
        nbgrader = cell["metadata"].get("nbgrader", {})
        support = nbgrader.get("locked") and not nbgrader.get("grade")
        if nbgrader.get("solution") or support or BENCHMARK_TAG in cell["metadata"].get("tags", []):
            chosen.append(cell)
    if not any(BENCHMARK_TAG in cell["metadata"].get("tags", []) for cell in chosen):
        raise LookupError(f"{assignment} has no cell tagged {BENCHMARK_TAG!r}")
    namespace: dict = {"__name__": f"benchmark_{assignment}"}
    sys.path.insert(0, str(folder))  # modules released beside the notebook (layers.py...)
    try:
        for cell in chosen:
            exec(compile("".join(cell["source"]), f"<{assignment} cell {cell['id']}>", "exec"),
                 namespace)
    finally:
        sys.path.remove(str(folder))
    return namespace
