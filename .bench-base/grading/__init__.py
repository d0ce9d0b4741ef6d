"""Instructor-only code behind the hidden tests: never released, never installed for students.

nbgrader's feedback shows students the source of hidden test cells, so those cells hold one line
that calls in here, e.g.

    from grading import perceptron as hidden; hidden.check_perceptron_predict(perceptron_predict)

and the inputs, edge cases and the reference stay out of sight. The reference is the solution
notebook itself (its imports cell and answer cells, executed): one source for the solution, the
release and the hidden tests. The kernels nbgrader starts find this package through the
PYTHONPATH that nbgrader_config.py sets.
"""
from __future__ import annotations

import contextlib
import functools
import json
import sys
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"


def answer_cells(assignment: str) -> list[str]:
    """Sources of the imports cell and the answer cells of a solution notebook, in order."""
    path = SOLUTIONS / assignment / f"{assignment}.ipynb"
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    chosen = [code[0]] + [c for c in code[1:]
                          if c["metadata"].get("nbgrader", {}).get("solution")]
    return ["".join(c["source"]) for c in chosen]


@contextlib.contextmanager
def importable(folder: Path):
    """Let the executed cells import the modules released beside the notebook."""
    sys.path.insert(0, str(folder))
    try:
        yield
    finally:
        sys.path.remove(str(folder))


@functools.cache
def reference(assignment: str) -> SimpleNamespace:
    """The solution's functions and classes for ``assignment`` (e.g. "01_perceptron")."""
    namespace: dict = {"__name__": f"reference_{assignment}"}
    with importable(SOLUTIONS / assignment):
        for source in answer_cells(assignment):
            exec(compile(source, f"<reference {assignment}>", "exec"), namespace)
    return SimpleNamespace(**{k: v for k, v in namespace.items() if not k.startswith("__")})
