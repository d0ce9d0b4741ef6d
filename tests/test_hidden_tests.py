"""Hidden tests draw from their own seeded generators: verdicts do not depend on the order the
checks run in, nor on (or change) numpy's global random state."""
import ast

import numpy as np
import pytest

from dlcourse.tools import nbgrader_adapter

from conftest import ROOT
from notebook_cells import answer_namespace, graded_cells, source_notebook, verdicts
from wrong_answers import load_catalogue

ASSIGNMENTS = nbgrader_adapter.assignments(ROOT)
CATALOGUE = load_catalogue()
GLOBAL_STATE_CALLS = {"seed", "get_state", "set_state", "rand", "randn", "randint", "random",
                      "random_sample", "choice", "permutation", "shuffle", "normal", "uniform",
                      "standard_normal", "binomial", "integers"}


def test_no_check_calls_numpy_global_random_functions():
    """np.random.<function> (the global RandomState) never appears in grading/ or a test cell;
    np.random.default_rng(seed) and np.random.Generator do."""
    sources = {path.name: path.read_text() for path in (ROOT / "grading").glob("*.py")}
    for assignment in ASSIGNMENTS:
        tests = nbgrader_adapter.sources_by_role(source_notebook(assignment), "test")
        sources |= {f"{assignment}:{k}": v for k, v in tests.items()}
    found = []
    for where, source in sources.items():
        for node in ast.walk(ast.parse(source)):
            if (isinstance(node, ast.Attribute) and node.attr in GLOBAL_STATE_CALLS
                    and isinstance(node.value, ast.Attribute) and node.value.attr == "random"
                    and isinstance(node.value.value, ast.Name) and node.value.value.id == "np"):
                found.append(f"{where}:{node.lineno} np.random.{node.attr}")
    assert not found, found


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_checks_leave_global_random_state_alone_and_order_does_not_matter(assignment,
                                                                          monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # a cell that writes files writes them here
    cells = graded_cells(assignment)
    # A submission with one wrong answer in every test cell that has one, the rest right.
    wrong = {}
    for entry in CATALOGUE:
        if entry.assignment == assignment and entry.test in cells[::2]:
            wrong.setdefault(entry.test, entry)
    replace = {entry.function: entry.implementation for entry in wrong.values()}

    np.random.seed(20261201)
    state = np.random.get_state()
    solution = verdicts(assignment, answer_namespace(assignment), cells)
    assert set(solution.values()) == {"passed"}, solution
    after = np.random.get_state()
    assert all(np.array_equal(a, b) for a, b in zip(state, after, strict=True)), (
        f"grading {assignment} changed numpy's global random state")

    forward = verdicts(assignment, answer_namespace(assignment, replace), cells)
    backward = verdicts(assignment, answer_namespace(assignment, replace), cells[::-1])
    assert forward == backward
    assert {cell for cell, verdict in forward.items() if verdict != "passed"} >= set(wrong)
