"""Run a source notebook's cells inside the test process, with any answer swapped out."""
from __future__ import annotations

import contextlib
import copy
import io
import types
from pathlib import Path

from dlcourse.tools import nbgrader_adapter

from conftest import ROOT


def source_notebook(assignment: str) -> Path:
    return ROOT / "solutions" / assignment / f"{assignment}.ipynb"


def answer_namespace(assignment: str, replace: dict[str, types.FunctionType] | None = None) -> dict:
    """A fresh namespace holding the imports cell and every answer cell of a solution notebook,
    with the functions in ``replace`` swapped in (bound to this namespace, under the name they
    replace, so they call the notebook's other functions as a student's code would)."""
    namespace: dict = {"__name__": f"notebook_{assignment}"}
    import grading

    with grading.importable(ROOT / "solutions" / assignment):  # provided modules (layers.py)
        for source in grading.answer_cells(assignment):
            exec(compile(source, f"<{assignment}>", "exec"), namespace)
    for name, function in (replace or {}).items():
        swapped = types.FunctionType(function.__code__, namespace, name,
                                     copy.deepcopy(function.__defaults__),
                                     function.__closure__)
        swapped.__qualname__ = name
        # Fresh defaults, as a cell run anew makes: a wrong answer's mutable default (path=[])
        # must not carry what an earlier test in this process put into it.
        swapped.__kwdefaults__ = copy.deepcopy(function.__kwdefaults__)
        namespace[name] = swapped
    return namespace


def run_test_cell(assignment: str, test: str, namespace: dict) -> None:
    source = nbgrader_adapter.sources_by_role(source_notebook(assignment), "test")[f"test_{test}"]
    exec(compile(source, f"<{assignment} test_{test}>", "exec"), namespace)


def graded_cells(assignment: str) -> list[str]:
    """The names of a notebook's test cells (grade id without "test_"), in notebook order."""
    return [grade_id.removeprefix("test_") for grade_id in
            nbgrader_adapter.sources_by_role(source_notebook(assignment), "test")]


def verdicts(assignment: str, namespace: dict, cells: list[str]) -> dict[str, str]:
    """{test cell: "passed" or the failure's type and first line}, running ``cells`` in order
    in ``namespace`` (their output is not shown)."""
    found = {}
    for cell in cells:
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                run_test_cell(assignment, cell, namespace)
            found[cell] = "passed"
        except Exception as error:
            found[cell] = f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"
    return found
