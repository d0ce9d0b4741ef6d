"""`dlcourse grade` on a fake class: every way a submission goes wrong, graded in one command."""
import csv
import json
import os
import textwrap
import time

import pytest

from dlcourse import grade, nbgrading, notebooks

from conftest import ROOT

ASSIGNMENT = "01_perceptron"
CELL_TIMEOUT = 10   # seconds: short, so that the infinite loop costs the test little

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
LOOPING_XOR = textwrap.dedent("""\
    def xor_gate(x1, x2):
        while True:
            pass
    """)


def release(course):
    return course / "course" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"


def submission(course, answers=None, edit=None):
    """A student's notebook: the release with ``answers`` (grade id -> source, default: the
    solution's) and then ``edit(cells)`` applied to its list of cells."""
    answers = nbgrading.solution_answers(ROOT, ASSIGNMENT) if answers is None else answers
    notebook = nbgrading.fill_answers(release(course), answers)
    if edit:
        edit(notebook["cells"])
    return json.dumps(notebook)


def index_of(cells, grade_id):
    return next(i for i, cell in enumerate(cells)
                if cell["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)


def delete_test_gates(cells):
    del cells[index_of(cells, "test_gates")]


def duplicate_step(cells):
    i = index_of(cells, "step")
    cells.insert(i + 1, dict(cells[i], id="pasted-copy"))


def make_class(course, folder):
    """Submissions of every kind, in both layouts. Returns {student: (grade id -> expected
    points, words expected in the notes)}."""
    solution = nbgrading.solution_answers(ROOT, ASSIGNMENT)
    points = notebooks.notebook_summary(release(course))
    zero = dict.fromkeys(points, 0)
    kinds = {
        "correct": (submission(course), points, []),
        "stub": (submission(course, {}), zero, []),
        "wrong": (submission(course, dict(solution, perceptron_train=WRONG_TRAIN)),
                  dict(points, test_perceptron_train=0), []),
        "looping": (submission(course, dict(solution, xor_gate=LOOPING_XOR)),
                    dict(points, test_xor_gate=0), ["test_xor_gate", "time limit"]),
        "deleted": (submission(course, edit=delete_test_gates), points,
                    ["test_gates", "deleted"]),
        "duplicated": (submission(course, edit=duplicate_step), points, ["step", "2 times"]),
        "broken": (submission(course)[:5000], zero, ["not a readable notebook", "Scored 0"]),
    }
    folder.mkdir()
    for student, (text, _, _) in kinds.items():
        if student in ("correct", "stub"):      # one subfolder per student...
            (folder / student).mkdir()
            name = f"{ASSIGNMENT}.ipynb" if student == "correct" else "my work.ipynb"
            (folder / student / name).write_text(text, encoding="utf-8")
        else:                                   # ... or a flat file named by student
            (folder / f"{student}.ipynb").write_text(text, encoding="utf-8")
    return {student: (expected, words) for student, (_, expected, words) in kinds.items()}


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return {row["student"]: row for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("grade")
    course = nbgrading.make_course(ROOT, tmp / "course_root", [ASSIGNMENT])
    expected = make_class(course, tmp / "submissions")
    result = grade.grade(tmp / "submissions", ASSIGNMENT, course, cell_timeout=CELL_TIMEOUT,
                         wall_limit=240)
    print(grade.format_summary(result))
    return course, tmp / "submissions", expected, result


@pytest.mark.slow
def test_gradebook_csv_has_the_right_numbers_for_every_kind_of_submission(graded):
    course, _, expected, result = graded
    rows = read_csv(result.csv_path)
    assert set(rows) == set(expected)
    for student, (points, words) in expected.items():
        row = rows[student]
        assert row["assignment"] == ASSIGNMENT
        assert {g: float(row[g]) for g in points} == points, student
        assert float(row["total"]) == sum(points.values()), student
        assert float(row["max"]) == result.max_total
        for word in words:
            assert word in row["notes"], (student, row["notes"])
    assert not result.warnings


@pytest.mark.slow
def test_every_student_gets_feedback_and_the_class_finishes_within_its_limits(graded):
    course, _, expected, result = graded
    for student in expected:
        html = course / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html"
        assert html.is_file(), student
    assert "not a readable notebook" in (course / "feedback" / "broken" / ASSIGNMENT /
                                         f"{ASSIGNMENT}.html").read_text()
    looping = next(s for s in result.students if s.student == "looping")
    assert looping.seconds < 240 and not looping.ungraded
    summary = grade.format_summary(result)
    assert "pass rate" in summary and "median" in summary


@pytest.mark.slow
def test_regrading_is_idempotent(graded, tmp_path):
    course, submissions, expected, result = graded
    again = tmp_path / "again"
    again.mkdir()
    for student in ("wrong", "broken"):
        (again / f"{student}.ipynb").write_bytes((submissions / f"{student}.ipynb").read_bytes())
    rerun = grade.grade(again, ASSIGNMENT, course, cell_timeout=CELL_TIMEOUT,
                        csv_path=tmp_path / "again.csv")
    before, after = read_csv(result.csv_path), read_csv(rerun.csv_path)
    for student in ("wrong", "broken"):
        assert after[student] == before[student]
    submitted = course / "submitted" / "wrong" / ASSIGNMENT
    assert sorted(p.name for p in submitted.iterdir()) == [f"{ASSIGNMENT}.ipynb"]
    assert not (course / "submitted" / "broken" / ASSIGNMENT).exists()
    assert nbgrading.scores(course, ASSIGNMENT, "wrong") == {
        g: float(p) for g, p in expected["wrong"][0].items()}


def _kernels_of(course):
    """Kernel processes started for notebooks in this course (their cwd is inside it)."""
    found = []
    for pid in os.listdir("/proc"):
        try:
            if (pid.isdigit() and b"ipykernel" in open(f"/proc/{pid}/cmdline", "rb").read()
                    and os.readlink(f"/proc/{pid}/cwd").startswith(str(course))):
                found.append(int(pid))
        except OSError:
            pass
    return found


@pytest.mark.slow
def test_a_notebook_over_the_wall_limit_is_stopped_and_scores_zero(tmp_path):
    course = nbgrading.make_course(ROOT, tmp_path / "course_root", [ASSIGNMENT])
    folder = tmp_path / "submissions"
    folder.mkdir()
    solution = nbgrading.solution_answers(ROOT, ASSIGNMENT)
    (folder / "hangs.ipynb").write_text(submission(course, dict(solution, xor_gate=LOOPING_XOR)))
    result = grade.grade(folder, ASSIGNMENT, course, cell_timeout=600, wall_limit=20)
    (student,) = result.students
    assert student.total == 0 and "wall limit of 20 s" in student.ungraded
    assert student.seconds < 40
    assert (course / "feedback" / "hangs" / ASSIGNMENT / f"{ASSIGNMENT}.html").is_file()
    time.sleep(3)   # the kernel notices its parent died within a second
    assert not _kernels_of(course), "a kernel outlived its grading process"


def test_submissions_are_found_in_both_layouts_and_the_assignment_inferred(tmp_path):
    folder = tmp_path / ASSIGNMENT
    (folder / "alice").mkdir(parents=True)
    (folder / "alice" / f"{ASSIGNMENT}.ipynb").write_text("{}")
    (folder / "bob smith").mkdir()
    (folder / "carol.ipynb").write_text("{}")
    assignment, found = grade.find_submissions(folder, None, [ASSIGNMENT, "02_activations"])
    assert assignment == ASSIGNMENT
    assert found == {"alice": folder / "alice" / f"{ASSIGNMENT}.ipynb", "bob_smith": None,
                     "carol": folder / "carol.ipynb"}
    with pytest.raises(ValueError, match="--assignment"):
        grade.find_submissions(tmp_path, None, [ASSIGNMENT])
