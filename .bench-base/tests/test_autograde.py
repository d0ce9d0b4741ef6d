"""The grading proof: nbgrader autograde in a temporary course, on submissions made here."""
import json
import re
import shutil
from html import unescape

import pytest

from dlcourse.tools import nbgrader_adapter

from conftest import ROOT
from submissions import WRONG_TRAIN

ASSIGNMENTS = nbgrader_adapter.assignments(ROOT)
pytestmark = pytest.mark.slow


def make_course(tmp_path, assignments):
    return nbgrader_adapter.make_course(ROOT, tmp_path / "course_root", assignments)


def submit(course, student, assignment, answers):
    release = course / "course" / assignment / f"{assignment}.ipynb"
    notebook = nbgrader_adapter.fill_answers(release, answers)
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True)
    for extra in release.parent.iterdir():  # provided modules travel with the notebook
        if extra.suffix != ".ipynb":
            shutil.copy(extra, folder)
    (folder / f"{assignment}.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    return notebook


def solution_answers(assignment):
    return nbgrader_adapter.solution_answers(ROOT, assignment)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_scores_full_marks_and_stub_scores_zero(assignment, tmp_path):
    course = make_course(tmp_path, [assignment])
    submit(course, "solver", assignment, solution_answers(assignment))
    submit(course, "untouched", assignment, {})
    nbgrader_adapter.run_app(course, "autograde", assignment, "--force")
    points = nbgrader_adapter.test_points(nbgrader_adapter.source_notebook(course, assignment))
    assert nbgrader_adapter.scores(course, assignment, "solver") == points
    assert nbgrader_adapter.scores(course, assignment, "untouched") == {k: 0 for k in points}


def test_one_wrong_function_loses_its_points_and_edited_tests_are_restored(tmp_path):
    assignment = "01_perceptron"
    course = make_course(tmp_path, [assignment])
    answers = solution_answers(assignment)
    wrong_train = dict(answers, perceptron_train=WRONG_TRAIN)
    submit(course, "wrong", assignment, wrong_train)
    # The same wrong answer, with the locked test cell emptied out by the student.
    cheat = submit(course, "cheat", assignment, wrong_train)
    for cell in cheat["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == "test_perceptron_train":
            cell["source"] = "print('all tests passed')"
    (course / "submitted" / "cheat" / assignment / f"{assignment}.ipynb").write_text(
        json.dumps(cheat), encoding="utf-8")
    nbgrader_adapter.run_app(course, "autograde", assignment, "--force")
    points = nbgrader_adapter.test_points(nbgrader_adapter.source_notebook(course, assignment))
    expected = dict(points, test_perceptron_train=0)
    assert nbgrader_adapter.scores(course, assignment, "wrong") == expected
    assert nbgrader_adapter.scores(course, assignment, "cheat") == expected
    # Feedback shows the hidden tests' cell source: it must not reveal the reference.
    nbgrader_adapter.run_app(course, "generate_feedback", assignment, "--force")
    html = (course / "feedback" / "wrong" / assignment / f"{assignment}.html").read_text()
    feedback = unescape(re.sub(r"<[^>]+>", "", html))  # the text a student reads
    assert "grading import perceptron" in feedback
    assert "BEGIN SOLUTION" not in feedback and "rng.permutation(n_samples)" not in feedback
