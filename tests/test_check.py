"""`dlcourse check`: a student's notebook scored as nbgrader will, and mangled notebooks caught."""
import json

import nbformat
import pytest

from dlcourse import check, nbgrading
from dlcourse.cli import main

from conftest import ROOT
from test_grade import ASSIGNMENT, WRONG_TRAIN, delete_test_gates, duplicate_step, index_of

RELEASE = ROOT / "course" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
SOURCE = ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"


def student_copy(folder, answers=None, edit=None, name=f"{ASSIGNMENT}.ipynb"):
    """A student's copy of the release in ``folder``: solution answers unless ``answers``."""
    answers = nbgrading.solution_answers(ROOT, ASSIGNMENT) if answers is None else answers
    notebook = nbgrading.fill_answers(RELEASE, answers)
    if edit:
        edit(notebook["cells"])
    path = folder / name
    path.write_text(json.dumps(notebook), encoding="utf-8")
    return path


def problems_after(edit):
    notebook = nbgrading.fill_answers(RELEASE, {})
    edit(notebook["cells"])
    return check.structure_problems(notebook, SOURCE)


def test_an_untouched_release_has_no_structure_problem():
    assert problems_after(lambda cells: None) == []
    assert check.edited_locked_cells(nbformat.read(str(RELEASE), as_version=4)) == []


def test_deleted_duplicated_renamed_and_retyped_cells_are_each_reported():
    (deleted,) = problems_after(delete_test_gates)
    assert "`test_gates` (1 point) was deleted" in deleted
    (duplicated,) = problems_after(duplicate_step)
    assert "`step` appears 2 times" in duplicated

    def rename(cells):
        cells[index_of(cells, "xor_gate")]["metadata"]["nbgrader"]["grade_id"] = "my_xor"
    renamed = problems_after(rename)
    assert any("answer cell `xor_gate` was deleted" in p for p in renamed)
    assert any("`my_xor`, which this assignment does not have" in p for p in renamed)

    def retype(cells):
        cells[index_of(cells, "gates")]["cell_type"] = "markdown"
    assert any("from a code cell into a markdown cell" in p for p in problems_after(retype))


def test_an_edited_test_cell_is_reported(tmp_path):
    def weaken(cells):
        cells[index_of(cells, "test_step")]["source"] = "passed('step')"
    notebook = check.read_notebook(student_copy(tmp_path, edit=weaken))
    (edited,) = check.edited_locked_cells(notebook)
    assert "`test_step` was edited" in edited and "puts the original back" in edited


def test_a_truncated_notebook_is_unreadable_and_the_advice_says_how_to_recover(tmp_path):
    path = tmp_path / f"{ASSIGNMENT}.ipynb"
    path.write_text(RELEASE.read_text()[:3000])
    result = check.check(path, ROOT)
    assert not result.ok and "not a readable notebook" in result.error
    text = check.format_result(result)
    assert "fresh copy" in text and "01_perceptron.mine.ipynb" in text


@pytest.mark.slow
def test_a_correct_notebook_passes_every_cell(tmp_path, capsys):
    path = student_copy(tmp_path)
    assert main(["check", "--root", str(ROOT), str(path)]) == 0
    out = capsys.readouterr().out
    assert "total                    9 / 9" in out and "All graded cells pass." in out


@pytest.mark.slow
def test_a_mangled_notebook_with_a_wrong_answer_fails_with_reasons(tmp_path):
    def mangle(cells):
        delete_test_gates(cells)
        duplicate_step(cells)
    solution = nbgrading.solution_answers(ROOT, ASSIGNMENT)
    path = student_copy(tmp_path, dict(solution, perceptron_train=WRONG_TRAIN), mangle,
                        name="my copy.ipynb")    # not named after the assignment: found by ids
    result = check.check(path, ROOT, timeout=60)
    assert result.assignment == ASSIGNMENT and not result.ok
    scores = {cell.grade_id: (cell.score, cell.max_score) for cell in result.cells}
    assert scores["test_perceptron_train"] == (0, 3) and scores["test_step"] == (1, 1)
    assert scores["test_gates"] == (0, 1)
    train = next(cell for cell in result.cells if cell.grade_id == "test_perceptron_train")
    assert "b after training on AND" in train.message or "w after training" in train.message
    assert len(train.message.splitlines()) <= check.MESSAGE_LINES
    assert len(result.problems) == 2
    text = check.format_result(result)
    assert "total                    5 / 9" in text and "fresh copy" in text
    assert [cell.grade_id for cell in result.cells][:2] == ["test_step", "test_gates"]


def test_without_arguments_check_finds_the_notebooks_here_or_one_folder_down(tmp_path):
    assert check.default_notebooks(ROOT / "course" / ASSIGNMENT, ROOT) == [RELEASE]
    found = check.default_notebooks(ROOT / "course", ROOT)
    assert RELEASE in found and all(p.parent.parent == ROOT / "course" for p in found)
    assert check.default_notebooks(tmp_path, ROOT) == []
