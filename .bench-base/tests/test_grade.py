"""`dlcourse grade` and `dlcourse check` on mangled submissions: each kind is graded on what is
intact, with a note, and the two commands agree on every public score.

The kinds come from what people who grade with nbgrader report (its issue tracker, CoCalc's,
grader-service's; see docs/instructors.md, "What grading does with a mangled notebook"); all of
them are graded in one `dlcourse grade` run.
"""
import csv
import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor

import pytest

from dlcourse.instructor import grade
from dlcourse.tools import check, nbgrader_adapter

from conftest import ROOT
from submissions import (
    ASSIGNMENT,
    LOOPING_XOR,
    WRONG_TRAIN,
    delete,
    duplicate,
    index_of,
    points,
    solution,
    submission,
    write,
)

pytestmark = pytest.mark.slow
CELL_TIMEOUT = 8


def _strip_metadata(cells):
    for cell in cells:
        cell["metadata"] = {}


def _rename(grade_id, new):
    def edit(cells):
        cells[index_of(cells, grade_id)]["metadata"]["nbgrader"]["grade_id"] = new
    return edit


def _move_above(moved, anchor):
    def edit(cells):
        cell = cells.pop(index_of(cells, moved))
        cells.insert(index_of(cells, anchor), cell)
    return edit


def _retype(grade_id, cell_type):
    def edit(cells):
        cell = cells[index_of(cells, grade_id)]
        cell["cell_type"] = cell_type
        cell.pop("outputs", None)
        cell.pop("execution_count", None)
    return edit


def _hand_edited_json(cells):
    for cell in cells:
        cell["source"] = "".join(cell["source"]) if isinstance(cell["source"], list) else \
            cell["source"]
        cell.pop("outputs", None)
        cell.pop("id", None)


def _junk(cells):
    cells.insert(3, "not a cell")
    cells.insert(5, 42)


def mangled_class(course):
    """{student: (notebook text, expected points per test cell, words the notes must hold)}."""
    full = points(course)
    sol = solution()
    zero = dict.fromkeys(full, 0.0)

    def text(answers=None, edit=None, metadata=None):
        notebook = submission(course, answers, edit)
        notebook["metadata"].update(metadata or {})
        return json.dumps(notebook)

    cut = text()
    cut = cut[:cut.index("def perceptron_predict")]
    other = json.dumps(submission(course, {}, assignment="02_activations")) if (
        course / "course" / "02_activations").is_dir() else None
    kinds = {
        # the rows
        "killer": (text(dict(sol, xor_gate="def xor_gate(x1, x2):\n    import os\n    "
                                         "os._exit(1)\n")),
                   dict(full, test_xor_gate=0), ["stopped the process"]),
        "memory": (text(dict(sol, xor_gate="def xor_gate(x1, x2):\n    big = np.ones(10**11)\n"
                                         "    return big\n")),
                   dict(full, test_xor_gate=0), []),
        "old_answer_id": (text(edit=_rename("perceptron_predict", "predict_v0")), full,
                          ["lost its grading id"]),
        "old_test_id": (text(edit=_rename("test_gates", "test_gates_v0")), full,
                        ["`test_gates_v0`", "test_gates"]),
        "answer_and_test_deleted": (text(edit=delete("perceptron_train",
                                                     "test_perceptron_train")),
                                    dict(full, test_perceptron_train=0), ["deleted"]),
        "missing_kernel": (text(metadata={"kernelspec": {"name": "python-nonexistent",
                                                         "display_name": "Nope"}}), full, []),
        "stderr_debug": (text(dict(sol, step="import sys\n" + sol["step"].replace(
            "    return", "    print('debug', file=sys.stderr)\n    return", 1))), full, []),
        # from the survey
        "metadata_stripped": (text(edit=_strip_metadata), full, ["lost its grading id"]),
        "duplicated_answer": (text(edit=duplicate("step")), full, ["2 times"]),
        "deleted_test": (text(edit=delete("test_gates")), full, ["test_gates", "deleted"]),
        "test_above_answer": (text(edit=_move_above("test_perceptron_predict",
                                                    "perceptron_predict")),
                              full, ["above the answer"]),
        "answer_turned_markdown": (text(edit=_retype("xor_gate", "markdown")), full,
                                   ["markdown cell"]),
        "truncated": (cut, dict(zero, test_step=full["test_step"],
                                test_gates=full["test_gates"]), ["damaged"]),
        "empty_file": ("", zero, ["could not be graded"]),
        "looping": (text(dict(sol, xor_gate=LOOPING_XOR)), dict(full, test_xor_gate=0),
                    ["time limit"]),
        "hand_edited_json": (text(edit=_hand_edited_json), full, []),
        "junk_in_cells": (text(edit=_junk), full, ["not cells"]),
        "wrong_train": (text(dict(sol, perceptron_train=WRONG_TRAIN)),
                        dict(full, test_perceptron_train=0), []),
        "stub": (text({}), zero, []),
    }
    if other:
        kinds["other_assignment"] = (other, zero, ["deleted"])
    return kinds


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("grade")
    course = nbgrader_adapter.make_course(ROOT, tmp / "course_root",
                                          [ASSIGNMENT, "02_activations"])
    kinds = mangled_class(course)
    folder = tmp / "submissions"
    for student, (text, _, _) in kinds.items():
        write(folder / f"{student}.ipynb", text)
    result = grade.grade(folder, ASSIGNMENT, course, cell_timeout=CELL_TIMEOUT, wall_limit=300)
    print(grade.format_summary(result))
    return course, folder, kinds, result


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return {row["student"]: row for row in csv.DictReader(handle)}


def test_every_kind_gets_the_points_of_its_intact_cells_and_a_note(graded):
    course, _, kinds, result = graded
    rows = read_csv(result.csv_path)
    assert set(rows) == set(kinds)
    assert not result.warnings, result.warnings
    for student, (_, expected, words) in kinds.items():
        row = rows[student]
        got = {g: float(row[g]) for g in expected}
        assert got == expected, (student, row["notes"])
        assert nbgrader_adapter.scores(course, ASSIGNMENT, student) == expected, student
        for word in words:
            assert word in row["notes"], (student, row["notes"])
        feedback = course / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html"
        assert feedback.is_file(), student


def test_check_reports_the_same_public_score_as_grade(graded, tmp_path):
    course, folder, kinds, _ = graded

    def checked(student):
        copy = tmp_path / student / f"{ASSIGNMENT}.ipynb"
        copy.parent.mkdir()
        shutil.copy(folder / f"{student}.ipynb", copy)
        for provided in (course / "course" / ASSIGNMENT).iterdir():
            if provided.suffix != ".ipynb":
                shutil.copy(provided, copy.parent)
        return student, check.check(copy, course, timeout=CELL_TIMEOUT)

    with ThreadPoolExecutor(2) as pool:
        results = dict(pool.map(checked, kinds))
    for student, (_, expected, _) in kinds.items():
        result = results[student]
        if student == "empty_file":
            assert result.error and "not a notebook" in check.format_result(result)
            continue
        if student == "other_assignment":   # check reads which assignment it is from the file
            assert result.assignment == "02_activations"
            continue
        assert {c.grade_id: c.score for c in result.cells} == expected, student


def test_grading_a_class_in_three_runs_gives_the_csv_of_one_run(graded, tmp_path):
    course, folder, kinds, result = graded
    students = sorted(kinds)[:6]
    csv_path = tmp_path / "three_runs.csv"
    for part in (students[:2], students[2:4], students[4:]):
        batch = tmp_path / f"batch_{part[0]}"
        for student in part:
            write(batch / f"{student}.ipynb", (folder / f"{student}.ipynb").read_text())
        grade.grade(batch, ASSIGNMENT, course, cell_timeout=CELL_TIMEOUT, csv_path=csv_path,
                    feedback=False, quiet=True)
    one_run = {s: row for s, row in read_csv(result.csv_path).items() if s in students}
    assert read_csv(csv_path) == one_run


def test_collected_submissions_are_graded_in_place_and_never_rewritten(tmp_path):
    course = nbgrader_adapter.make_course(ROOT, tmp_path / "course_root", [ASSIGNMENT])
    collected = course / "submitted"
    sol = solution()
    for student, answers in (("ann", sol), ("bob", dict(sol, perceptron_train=WRONG_TRAIN))):
        folder = collected / student / ASSIGNMENT
        write(folder / f"{ASSIGNMENT}.ipynb", submission(course, answers))
        (folder / "timestamp.txt").write_text("2026-11-30 10:00:00.000000 UTC")
    before = {p: p.read_bytes() for p in collected.rglob("*") if p.is_file()}
    result = grade.grade(collected, None, course, cell_timeout=CELL_TIMEOUT, quiet=True)
    assert result.assignment == ASSIGNMENT
    total = sum(points(course).values())
    assert {s.student: s.total for s in result.students} == {
        "ann": total, "bob": total - points(course)["test_perceptron_train"]}
    assert {p: p.read_bytes() for p in collected.rglob("*") if p.is_file()} == before
    stamp = course / "autograded" / "ann" / ASSIGNMENT / "timestamp.txt"
    assert stamp.read_text().startswith("2026-11-30 10:00:00")


def test_a_folder_without_submissions_is_refused_before_anything_is_touched(tmp_path):
    course = nbgrader_adapter.make_course(ROOT, tmp_path / "course_root", [ASSIGNMENT])
    (tmp_path / "papers" / "deep" / "er").mkdir(parents=True)
    (tmp_path / "papers" / "notes.txt").write_text("hello")
    listing = sorted(os.listdir(course))
    with pytest.raises(ValueError, match="No submissions"):
        grade.grade(tmp_path / "papers", ASSIGNMENT, course)
    assert sorted(os.listdir(course)) == listing


def test_layouts_are_recognised_and_every_other_file_is_listed(tmp_path):
    folder = tmp_path / ASSIGNMENT
    write(folder / "alice" / f"{ASSIGNMENT}.ipynb", "{}")
    write(folder / "alice" / "scratch.ipynb", "{}")
    (folder / "bob smith").mkdir()
    write(folder / "carol.ipynb", "{}")
    (folder / "readme.txt").write_text("x")
    found = grade.find_submissions(folder, None, [ASSIGNMENT, "02_activations"])
    assert found.assignment == ASSIGNMENT and not found.collected
    bob = next(key for key in found.submissions if key.startswith("bob_smith-"))
    assert found.submissions == {"alice": folder / "alice" / f"{ASSIGNMENT}.ipynb",
                                 bob: None, "carol": folder / "carol.ipynb"}
    assert set(found.skipped) == {str(folder / "alice" / "scratch.ipynb"),
                                  str(folder / "readme.txt")}
    with pytest.raises(ValueError, match="--assignment"):
        grade.find_submissions(tmp_path, None, [ASSIGNMENT])


def test_links_and_look_alike_names_can_never_take_a_classmates_place(tmp_path):
    folder = tmp_path / "class"
    write(folder / "victim.ipynb", "{}")
    write(folder / "victim .ipynb", "{}")
    write(tmp_path / "solution.ipynb", "{}")
    (folder / "mallory.ipynb").symlink_to(tmp_path / "solution.ipynb")
    (folder / "copycat.ipynb").symlink_to(folder / "victim.ipynb")
    (folder / "eve").symlink_to(tmp_path, target_is_directory=True)
    write(folder / ".hidden.ipynb", "{}")
    found = grade.find_submissions(folder, ASSIGNMENT, [ASSIGNMENT])
    assert found.submissions["victim"] == folder / "victim.ipynb"
    (other,) = [k for k in found.submissions if k != "victim"]
    assert other.startswith("victim-") and found.submissions[other] == folder / "victim .ipynb"
    for name in ("mallory.ipynb", "copycat.ipynb", "eve", ".hidden.ipynb"):
        assert str(folder / name) in found.skipped, name
