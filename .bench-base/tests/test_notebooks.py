"""The notebooks: sources build, the release is in sync, and every solution notebook passes."""
import filecmp
import shutil

import pytest

from dlcourse.instructor import build
from dlcourse.tools import nbgrader_adapter

from conftest import ROOT
from notebook_cells import answer_namespace, run_test_cell

ASSIGNMENTS = nbgrader_adapter.assignments(ROOT)


def test_there_are_assignments():
    assert ASSIGNMENTS and ASSIGNMENTS[0] == "01_perceptron"


def test_source_notebooks_are_built_from_their_pct_sources():
    stale = build.build_all(ROOT, check_only=True)
    assert not stale, (f"run `make release`: {[str(p.relative_to(ROOT)) for p in stale]} "
                       "are out of date")


def _tree(folder):
    return sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file())


def test_course_is_in_sync_with_solutions(tmp_path):
    """Regenerate the release in a copy and compare it, file by file, with the committed one."""
    copy = tmp_path / "course_root"
    copy.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", copy)
    shutil.copytree(ROOT / "solutions", copy / "solutions")
    nbgrader_adapter.generate_release(copy, register=False)
    expected, committed = copy / "course", ROOT / "course"
    assert _tree(expected) == _tree(committed), "run `make release`: course/ has other files"
    for relative in _tree(expected):
        assert filecmp.cmp(expected / relative, committed / relative, shallow=False), \
            f"run `make release`: course/{relative} is out of date"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_holds_no_solution_or_hidden_test(assignment):
    for path in (ROOT / "course" / assignment).rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "from grading"):
                assert marker not in text, f"{path.relative_to(ROOT)} contains {marker!r}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_test_cell_passes_on_the_solution(assignment, monkeypatch, tmp_path):
    """Fast, in-process: test cells depend only on the imports cell and the answer cells."""
    monkeypatch.chdir(tmp_path)
    namespace = answer_namespace(assignment)
    tests = nbgrader_adapter.sources_by_role(nbgrader_adapter.source_notebook(ROOT, assignment),
                                             "test")
    for grade_id in tests:
        run_test_cell(assignment, grade_id.removeprefix("test_"), namespace)


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_notebook_validates(assignment):
    """nbgrader's Validator runs the whole notebook, hidden tests included: nothing fails."""
    failures = nbgrader_adapter.validate(nbgrader_adapter.source_notebook(ROOT, assignment),
                                        ROOT)
    assert not failures, "\n\n".join(f"{f.grade_id}:\n{f.message}" for f in failures)
