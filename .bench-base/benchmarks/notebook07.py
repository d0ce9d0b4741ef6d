"""Notebook 07's own code, for the benchmarks: its cells, executed the way the notebook runs them.

The benchmarks time and train exactly what the solution notebook defines (its answers, the
`Conv` and `MaxPool2x2` layers, `build_lenet`, its update rule and its training cell), never a
copy of it, so that a change to the notebook is a change to what is measured.
"""
from __future__ import annotations

import ast
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENT = "07_cnn"
FOLDER = ROOT / "solutions" / ASSIGNMENT
SEED_LINE = re.compile(r"^seed = \d+$", re.MULTILINE)

sys.path.insert(0, str(ROOT))
os.environ.setdefault("DLCOURSE_DATA", str(ROOT.parent / "shared" / "data"))
os.environ.setdefault("MPLBACKEND", "Agg")


def _code_cells() -> list[dict]:
    notebook = json.loads((FOLDER / f"{ASSIGNMENT}.ipynb").read_text(encoding="utf-8"))
    return [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]


def code_cells() -> list[str]:
    """The sources of the solution notebook's code cells, in order."""
    return ["".join(cell["source"]) for cell in _code_cells()]


def _defines(source: str) -> set[str]:
    """The names a cell defines at its top level with def or class."""
    return {node.name for node in ast.parse(source).body
            if isinstance(node, (ast.FunctionDef, ast.ClassDef))}


def _execute(source: str, namespace: dict, label: str) -> None:
    if str(FOLDER) not in sys.path:
        sys.path.insert(0, str(FOLDER))             # layers.py, released beside the notebook
    exec(compile(source, f"<{ASSIGNMENT} {label}>", "exec"), namespace)


def definitions(*names: str) -> dict:
    """A namespace holding the imports cell, every answer cell, and every other cell that
    defines one of ``names`` (the layers of section 8, say), executed in the notebook's order."""
    namespace: dict = {"__name__": f"benchmark_{ASSIGNMENT}"}
    for index, cell in enumerate(_code_cells()):
        source = "".join(cell["source"])
        is_answer = cell["metadata"].get("nbgrader", {}).get("solution", False)
        if index == 0 or is_answer or _defines(source) & set(names):
            _execute(source, namespace, f"cell {index}")
    missing = [name for name in names if name not in namespace]
    if missing:
        raise LookupError(f"no code cell of {ASSIGNMENT} defines {missing}")
    return namespace


def training_cell() -> tuple[int, str]:
    """The index and source of the cell that trains the LeNet (it starts from `seed = ...`)."""
    for index, source in enumerate(code_cells()):
        if SEED_LINE.search(source):
            return index, source
    raise LookupError(f"no code cell of {ASSIGNMENT} has a line `seed = <number>`")


def run_until_training() -> dict:
    """Every code cell before the training cell, in a fresh namespace (plots go nowhere)."""
    import matplotlib.pyplot as plt

    plt.show = lambda *args, **kwargs: plt.close("all")
    namespace: dict = {"__name__": f"benchmark_{ASSIGNMENT}"}
    stop, _ = training_cell()
    for index, source in enumerate(code_cells()[:stop]):
        _execute(source, namespace, f"cell {index}")
    return namespace


def train_with_seed(namespace: dict, seed: int) -> dict:
    """Run the training cell with its seed replaced; returns the namespace it leaves."""
    _, source = training_cell()
    _execute(SEED_LINE.sub(f"seed = {seed}", source), namespace, f"training, seed {seed}")
    return namespace
