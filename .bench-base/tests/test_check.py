"""`dlcourse check` and the plan both commands share: which cells run, from where, with notes."""
import json

import pytest

from dlcourse.cli import main
from dlcourse.tools import check, executor, nbgrader_adapter

from conftest import ROOT
from submissions import (
    ASSIGNMENT,
    WRONG_TRAIN,
    delete,
    duplicate,
    index_of,
    solution,
    submission,
    write,
)

RELEASE = nbgrader_adapter.read_json(nbgrader_adapter.release_notebook(ROOT, ASSIGNMENT))
TESTS = nbgrader_adapter.sources_by_role(nbgrader_adapter.source_notebook(ROOT, ASSIGNMENT), "test")


def planned(edit=None, answers=None):
    return executor.plan(submission(ROOT, answers, edit), RELEASE, TESTS)


def roles(plan):
    return [(cell.role, cell.grade_id) for cell in plan.cells if cell.grade_id]


def test_an_untouched_release_plans_every_graded_cell_once_with_no_note():
    plan = planned(answers={})
    assert plan.notes == []
    assert roles(plan) == roles(executor.plan(RELEASE, RELEASE, TESTS))
    assert [g for r, g in roles(plan) if r == "test"] == list(
        nbgrader_adapter.test_points(RELEASE))


def test_test_cells_and_their_metadata_come_from_the_course_not_the_submission():
    def tamper(cells):
        cell = cells[index_of(cells, "test_step")]
        cell["source"] = "passed('step')"
        cell["metadata"]["tags"] = ["skip-execution"]
        cell["metadata"]["nbgrader"]["points"] = 100
    test = next(c for c in planned(tamper).cells if c.grade_id == "test_step")
    assert test.source == TESTS["test_step"] and "hidden" in test.source
    assert test.points == 1 and "tags" not in test.cell["metadata"]


def test_deleted_duplicated_and_unknown_cells_are_repaired_with_a_note():
    plan = planned(delete("test_gates"))
    assert ("test", "test_gates") in roles(plan) and "deleted" in plan.notes[0]
    plan = planned(duplicate("step"))
    assert roles(plan).count(("answer", "step")) == 1 and "2 times" in plan.notes[0]

    def rename(cells):
        cells[index_of(cells, "xor_gate")]["metadata"]["nbgrader"]["grade_id"] = "my_xor"
    plan = planned(rename)
    assert ("answer", "xor_gate") in roles(plan) and "lost its grading id" in plan.notes[0]


def test_a_damaged_file_keeps_the_cells_before_the_damage():
    text = json.dumps(submission(ROOT))
    notebook, notes = executor.read_submission(text[:text.index("def perceptron_predict")])
    assert 4 < len(notebook["cells"]) < len(RELEASE["cells"]) and "damaged" in notes[0]
    with pytest.raises(executor.UnreadableNotebook):
        executor.read_submission("")


def test_the_assignment_is_read_from_the_notebook_itself(tmp_path):
    path = write(tmp_path / "renamed by the student.ipynb", submission(ROOT))
    notebook = json.loads(path.read_text())
    assert check.assignment_of(path, notebook, None) == ASSIGNMENT


@pytest.mark.slow
def test_check_scores_public_tests_and_says_that_more_run_at_grading(tmp_path, capsys):
    path = write(tmp_path / f"{ASSIGNMENT}.ipynb",
                 submission(ROOT, dict(solution(), perceptron_train=WRONG_TRAIN)))
    assert main(["check", "--root", str(ROOT), str(path)]) == 1
    out = capsys.readouterr().out
    full = nbgrader_adapter.test_points(RELEASE)
    total = sum(full.values())
    assert f"{total - full['test_perceptron_train']:g} / {total:g}" in out
    assert "hidden tests" in out
    assert "wrong in 1 of 1 en" not in out       # messages wrap, never cut mid-word
    result = check.check(path, ROOT)
    train = next(c for c in result.cells if c.grade_id == "test_perceptron_train")
    assert train.score == 0 and "In the test cell, line" not in train.message


@pytest.mark.slow
def test_check_works_without_a_course_root(tmp_path, capsys):
    path = write(tmp_path / "fetched" / f"{ASSIGNMENT}.ipynb", submission(ROOT))
    result = check.check(path, None)
    assert result.ok and sum(c.score for c in result.cells) == sum(
        nbgrader_adapter.test_points(RELEASE).values())
