"""nbgrader, driven from Python: validate notebooks, build submissions, autograde, read scores.

`nbgrader validate` exits 0 even when tests fail, so everything here goes through nbgrader's own
Python API (the Validator judges cells exactly as autograde does) or reads the gradebook.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from traitlets.config.loader import PyFileConfigLoader

from .notebooks import nbgrader_env


def load_config(root: Path):
    """nbgrader's configuration from ``root/nbgrader_config.py``.

    Loading it also puts the course root on the PYTHONPATH that kernels inherit (see that file).
    """
    return PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()


@dataclass
class CellFailure:
    grade_id: str
    message: str


def validate(notebook: Path, root: Path) -> list[CellFailure]:
    """Run ``notebook`` as nbgrader's validator does; return the graded cells that failed."""
    from nbgrader.validator import Validator

    validator = Validator(config=load_config(root))
    results = validator.validate(str(notebook))
    failures = []
    for kind in ("failed", "changed", "type_changed"):
        for cell in results.get(kind, []):
            message = cell.get("error") or f"{kind}: {cell.get('source', '')[:200]}"
            failures.append(CellFailure(_grade_id(notebook, cell.get("source", "")), message))
    return failures


def _grade_id(notebook: Path, source: str) -> str:
    """The grade id of the cell whose source is ``source`` (the Validator reports sources)."""
    for cell in read_cells(notebook):
        if cell["source"].strip() == source.strip():
            return cell["metadata"].get("nbgrader", {}).get("grade_id", "?")
    return "?"


def read_cells(notebook: Path) -> list[dict]:
    """The cells of a notebook, each source joined into one string."""
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        if isinstance(cell["source"], list):
            cell["source"] = "".join(cell["source"])
    return cells


def graded_cells(notebook: Path, *, solution: bool) -> dict[str, str]:
    """{grade_id: source} of the answer cells (``solution=True``) or the test cells."""
    chosen = {}
    for cell in read_cells(notebook):
        meta = cell["metadata"].get("nbgrader", {})
        if solution and meta.get("solution") or not solution and meta.get("grade"):
            chosen[meta["grade_id"]] = cell["source"]
    return chosen


def fill_answers(release: Path, answers: dict[str, str]) -> dict:
    """The released notebook with some answer cells replaced: a student's submission.

    ``answers`` maps answer grade ids to the source a student wrote.
    """
    notebook = json.loads(Path(release).read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell["source"] = answers[grade_id]
    return notebook


def run_nbgrader(root: Path, *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    """``nbgrader *args`` in the course root, failing loudly when nbgrader does."""
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args, "--log-level=WARN"],
                            cwd=root, capture_output=True, text=True, timeout=timeout,
                            env=nbgrader_env())
    if result.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def scores(root: Path, assignment: str, student: str) -> dict[str, float]:
    """Per graded cell scores of one autograded submission, from the gradebook."""
    from nbgrader.api import Gradebook

    config = load_config(root)
    db_url = config.CourseDirectory.db_url
    with Gradebook(db_url, config.CourseDirectory.course_id) as gradebook:
        submission = gradebook.find_submission(assignment, student)
        return {grade.name: grade.score
                for notebook in submission.notebooks for grade in notebook.grades}


def make_course(root: Path, dest: Path, assignments: list[str]) -> Path:
    """A course root at ``dest`` with a copy of ``root``'s instructor side (the config,
    ``grading/``, the assignments' sources), each assignment released and in its gradebook."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(root / "nbgrader_config.py", dest)
    shutil.copytree(root / "grading", dest / "grading", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__"))
    for assignment in assignments:
        shutil.copytree(root / "solutions" / assignment, dest / "solutions" / assignment,
                        dirs_exist_ok=True)
        register(dest, assignment)
    return dest


def register(root: Path, assignment: str) -> None:
    """Release ``assignment`` and record its graded cells in the gradebook (autograde needs
    them)."""
    run_nbgrader(root, "generate_assignment", assignment, "--force")


def solution_answers(root: Path, assignment: str) -> dict[str, str]:
    """The solution's answer cells as a student would write them (no nbgrader markers)."""
    cells = graded_cells(root / "solutions" / assignment / f"{assignment}.ipynb", solution=True)
    return {grade_id: "\n".join(line for line in source.splitlines() if "### " not in line)
            for grade_id, source in cells.items()}
