"""Students' notebooks made for tests: the release with answers swapped and cells edited.

Shared by the tests of `dlcourse check`, `dlcourse grade` and the trusted grader (tests import
helpers from here, never from each other)."""
from __future__ import annotations

import ast
import builtins
import inspect
import json
import re
import textwrap
from collections.abc import Callable
from pathlib import Path

from dlcourse.tools import nbgrader_adapter

from conftest import ROOT

ASSIGNMENT = "01_perceptron"

# perceptron_train that forgets the bias in its prediction: loses test_perceptron_train's 3 points.
WRONG_TRAIN = textwrap.dedent("""\
    def perceptron_train(X, y, lr, epochs, rng):
        w, b, errors = np.zeros(X.shape[1]), 0.0, np.zeros(epochs, dtype=int)
        for epoch in range(epochs):
            for i in rng.permutation(len(y)):
                error = y[i] - step(X[i] @ w)          # forgot the bias
                if error != 0:
                    w = w + lr * error * X[i]
                    errors[epoch] += 1
        return w, b, errors
    """)
LOOPING_XOR = "def xor_gate(x1, x2):\n    while True:\n        pass\n"


def solution(assignment: str = ASSIGNMENT) -> dict[str, str]:
    return nbgrader_adapter.solution_answers(ROOT, assignment)


def submission(course: Path, answers: dict[str, str] | None = None,
               edit: Callable[[list], None] | None = None,
               assignment: str = ASSIGNMENT) -> dict:
    """A student's notebook: the release of ``course`` with ``answers`` (grade id -> source;
    default: the solution's), then ``edit(cells)`` applied to its list of cells."""
    answers = solution(assignment) if answers is None else answers
    notebook = nbgrader_adapter.fill_answers(
        nbgrader_adapter.release_notebook(course, assignment), answers)
    if edit:
        edit(notebook["cells"])
    return notebook


def write(path: Path, notebook: dict | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(notebook if isinstance(notebook, str) else json.dumps(notebook),
                    encoding="utf-8")
    return path


def index_of(cells: list, grade_id: str) -> int:
    return next(i for i, cell in enumerate(cells)
                if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id)


def delete(*grade_ids: str) -> Callable[[list], None]:
    def edit(cells: list) -> None:
        for grade_id in grade_ids:
            del cells[index_of(cells, grade_id)]
    return edit


def duplicate(grade_id: str) -> Callable[[list], None]:
    def edit(cells: list) -> None:
        i = index_of(cells, grade_id)
        cells.insert(i + 1, json.loads(json.dumps(cells[i])) | {"id": "pasted-copy"})
    return edit


def points(course: Path, assignment: str = ASSIGNMENT) -> dict[str, float]:
    return nbgrader_adapter.test_points(nbgrader_adapter.source_notebook(course, assignment))


def _names_used_but_not_bound(node: ast.AST) -> set[str]:
    loaded, bound = set(), set()
    for child in ast.walk(node):
        if isinstance(child, ast.Name):
            (loaded if isinstance(child.ctx, ast.Load) else bound).add(child.id)
        elif isinstance(child, ast.arg):
            bound.add(child.arg)
        elif isinstance(child, ast.FunctionDef | ast.ClassDef):
            bound.add(child.name)
    return loaded - bound


def pastable(implementation: Callable, namespace: dict) -> bool:
    """Whether a catalogued answer works when its source is pasted into a notebook whose
    answers define ``namespace``: it imports nothing and uses no name of the catalogue's."""
    node = ast.parse(textwrap.dedent(inspect.getsource(implementation))).body[0]
    assert isinstance(node, ast.FunctionDef | ast.ClassDef), node
    node.decorator_list = []
    if any(isinstance(child, ast.Import | ast.ImportFrom) for child in ast.walk(node)):
        return False
    return _names_used_but_not_bound(node) <= set(namespace) | set(dir(builtins))


def wrong_answer_source(function: str, implementation: Callable) -> str:
    """The source of a catalogued wrong answer as a student writes it: named ``function``,
    without the catalogue's decorator."""
    node = ast.parse(textwrap.dedent(inspect.getsource(implementation))).body[0]
    assert isinstance(node, ast.FunctionDef | ast.ClassDef), node
    node.decorator_list, node.name = [], function
    return ast.unparse(node)


def with_wrong_answers(assignment: str, wrong: dict[str, Callable]) -> dict[str, str]:
    """The solution's answers (grade id -> source) with each function name in ``wrong``
    redefined, at the end of the answer cell that defines it, as the given implementation."""
    answers = solution(assignment)
    for function, implementation in wrong.items():
        defines = re.compile(rf"^(def|class) {re.escape(function)}\b", re.MULTILINE)
        grade_id = next(g for g, source in answers.items() if defines.search(source))
        answers[grade_id] += "\n\n\n" + wrong_answer_source(function, implementation) + "\n"
    return answers
