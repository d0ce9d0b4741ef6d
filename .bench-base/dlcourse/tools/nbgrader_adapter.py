"""Everything dlcourse knows about nbgrader, in one place.

- where things are: the course root, its assignments, their source and release notebooks;
- nbgrader's cell metadata: which cells are answers, tests (with their points) and locked cells,
  read from a notebook's JSON and written by the notebook builder;
- nbgrader's apps and gradebook: releasing, registering an assignment, autograding with the
  verdicts of the trusted grader, reading scores.

No other module imports nbgrader. Reading metadata needs only the JSON, so ``dlcourse check``
works where nbgrader is not installed; the functions that run nbgrader import it when called.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SOURCE_SUFFIX = ".pct.py"
SOURCE_DIR, RELEASE_DIR = "solutions", "course"
COURSE_ID = "dlcourse"
SCHEMA_VERSION = 3


# --- where things are ------------------------------------------------------------------------
def find_root(start: Path | None = None) -> Path:
    """The course root: the nearest folder above ``start`` holding ``nbgrader_config.py`` and
    ``solutions/``. Raises FileNotFoundError saying where it looked."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "nbgrader_config.py").is_file() and (folder / SOURCE_DIR).is_dir():
            return folder
    raise FileNotFoundError(
        f"No course root (a folder with nbgrader_config.py and {SOURCE_DIR}/) above {here}.")


def assignments(root: Path) -> list[str]:
    """The assignments of a course, in course order (the names of their folders)."""
    return sorted(path.parent.name
                  for path in (root / SOURCE_DIR).glob(f"*/*{SOURCE_SUFFIX}")
                  if path.name == f"{path.parent.name}{SOURCE_SUFFIX}")


def source_notebook(root: Path, assignment: str) -> Path:
    """The instructor's notebook (solutions and hidden tests)."""
    return root / SOURCE_DIR / assignment / f"{assignment}.ipynb"


def release_notebook(root: Path, assignment: str) -> Path:
    """The student's notebook as released."""
    return root / RELEASE_DIR / assignment / f"{assignment}.ipynb"


# --- cell metadata ---------------------------------------------------------------------------
@dataclass(frozen=True)
class GradedCell:
    """A cell nbgrader tracks: an answer, a test worth points, or a locked (read-only) cell."""
    grade_id: str
    role: str            # "answer", "test" or "locked"
    cell_type: str       # "code" or "markdown"
    points: float = 0.0


def graded_cell(cell: dict[str, Any]) -> GradedCell | None:
    """What nbgrader's metadata says of ``cell``, or None for an ordinary cell (or metadata too
    damaged to mean anything)."""
    meta = cell.get("metadata", {}) if isinstance(cell, dict) else {}
    nbgrader = meta.get("nbgrader") if isinstance(meta, dict) else None
    if not isinstance(nbgrader, dict) or not isinstance(nbgrader.get("grade_id"), str):
        return None
    cell_type = str(cell.get("cell_type"))
    if nbgrader.get("grade"):
        try:
            points = float(nbgrader.get("points", 0))
        except (TypeError, ValueError):
            points = 0.0
        return GradedCell(nbgrader["grade_id"], "test", cell_type, points)
    if nbgrader.get("solution"):
        return GradedCell(nbgrader["grade_id"], "answer", cell_type)
    if nbgrader.get("locked"):
        return GradedCell(nbgrader["grade_id"], "locked", cell_type)
    return None


def read_json(path: Path) -> dict[str, Any]:
    notebook: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    return notebook


def cell_source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def test_points(notebook: dict[str, Any] | Path) -> dict[str, float]:
    """{grade id: points} of the test cells, in notebook order."""
    if isinstance(notebook, Path):
        notebook = read_json(notebook)
    return {info.grade_id: info.points for cell in notebook["cells"]
            if (info := graded_cell(cell)) and info.role == "test"}


def sources_by_role(notebook: dict[str, Any] | Path, role: str) -> dict[str, str]:
    """{grade id: source} of the cells of one role ("answer", "test", "locked")."""
    if isinstance(notebook, Path):
        notebook = read_json(notebook)
    return {info.grade_id: cell_source(cell) for cell in notebook["cells"]
            if (info := graded_cell(cell)) and info.role == role}


def answer_metadata(grade_id: str) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, "task": False, "grade": False,
            "grade_id": grade_id, "locked": False, "solution": True}


def test_metadata(grade_id: str, points: float) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, "task": False, "grade": True,
            "grade_id": grade_id, "locked": True, "points": points, "solution": False}


def locked_metadata(grade_id: str) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, "task": False, "grade": False,
            "grade_id": grade_id, "locked": True, "solution": False}


def edited_locked_cells(notebook: dict[str, Any]) -> list[str]:
    """Grade ids of the locked cells whose source no longer matches nbgrader's checksum."""
    from nbformat import from_dict
    from nbgrader import utils

    edited = []
    for cell in notebook.get("cells", []):
        info = graded_cell(cell)
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if info and info.role in ("test", "locked") and "checksum" in meta:
            try:   # the JSON's source may be a list of lines: nbgrader hashes the joined text
                joined = from_dict({**cell, "source": cell_source(cell)})
                if utils.compute_checksum(joined) != meta["checksum"]:
                    edited.append(info.grade_id)
            except Exception:   # metadata too damaged to check: the grader restores it anyway
                edited.append(info.grade_id)
    return edited


def solution_answers(root: Path, assignment: str) -> dict[str, str]:
    """The solution's answer cells as a student would write them (no nbgrader markers)."""
    cells = sources_by_role(source_notebook(root, assignment), "answer")
    return {grade_id: "\n".join(line for line in source.splitlines() if "### " not in line)
            for grade_id, source in cells.items()}


def fill_answers(release: Path, answers: dict[str, str]) -> dict[str, Any]:
    """The released notebook with some answer cells replaced: a student's submission.
    ``answers`` maps answer grade ids to the source a student wrote."""
    notebook = read_json(release)
    for cell in notebook["cells"]:
        info = graded_cell(cell)
        if info and info.grade_id in answers:
            cell["source"] = answers[info.grade_id]
    return notebook


# --- nbgrader's apps and gradebook ----------------------------------------------------------
def load_config(root: Path) -> Any:
    """nbgrader's configuration from ``root/nbgrader_config.py``.

    Also puts this Python's scripts first on PATH: opening a new gradebook runs `alembic` by
    name, which fails when dlcourse was started as `.venv/bin/dlcourse` without activating."""
    from traitlets.config.loader import PyFileConfigLoader

    scripts = str(Path(sys.executable).parent)
    if os.environ.get("PATH", "").split(os.pathsep)[0] != scripts:
        os.environ["PATH"] = nbgrader_env()["PATH"]
    return PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()


def nbgrader_env(**extra: str) -> dict[str, str]:
    """The environment to run nbgrader in: this Python's scripts first on PATH (nbgrader calls
    `alembic` by name), Python warnings off (they would be stderr in graded cells), one BLAS
    thread per kernel (several kernels share the cores)."""
    scripts = str(Path(sys.executable).parent)
    threads = {name: os.environ.get(name, "1") for name in
               ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
    return {**os.environ, **threads,
            "PATH": os.pathsep.join([scripts, os.environ.get("PATH", "")]),
            "PYTHONWARNINGS": "ignore", **extra}


def run_app(root: Path, *args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    """``nbgrader *args`` in the course root (elsewhere nbgrader silently uses other folders),
    failing loudly when nbgrader does (``nbgrader validate`` exits 0 on failures: not used)."""
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args, "--log-level=WARN"],
                            cwd=root, capture_output=True, text=True, timeout=timeout,
                            env=nbgrader_env())
    if result.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def generate_release(root: Path, names: list[str] | None = None, *, register: bool = True
                     ) -> None:
    """Regenerate ``course/`` from ``solutions/`` and, with ``register``, record each
    assignment's cells in the gradebook (plain ``nbgrader autograde`` needs them there)."""
    for assignment in names or assignments(root):
        run_app(root, "generate_assignment", assignment, "--force",
                *(() if register else ("--no-db",)))


@dataclass
class CellFailure:
    grade_id: str
    message: str


def validate(notebook: Path, root: Path) -> list[CellFailure]:
    """Run ``notebook`` as nbgrader's own validator does (in a Jupyter kernel, hidden tests
    included, none of the trusted grader's protections); return the graded cells that failed.
    The proof that plain nbgrader grades honest work as `dlcourse grade` does."""
    from nbgrader.validator import Validator

    results = Validator(config=load_config(root)).validate(str(notebook))
    by_source = {cell_source(cell).strip(): info.grade_id for cell in read_json(notebook)["cells"]
                 if (info := graded_cell(cell))}
    failures = []
    for kind in ("failed", "changed", "type_changed"):
        for cell in results.get(kind, []):
            message = cell.get("error") or f"{kind}: {cell.get('source', '')[:200]}"
            failures.append(CellFailure(by_source.get(cell.get("source", "").strip(), "?"),
                                        message))
    return failures


def registered(root: Path, assignment: str) -> bool:
    from nbgrader.api import Gradebook, MissingEntry

    config = load_config(root)
    with Gradebook(config.CourseDirectory.db_url, config.CourseDirectory.course_id) as gradebook:
        try:
            gradebook.find_assignment(assignment)
        except MissingEntry:
            return False
    return True


def scores(root: Path, assignment: str, student: str) -> dict[str, float]:
    """Per test cell auto scores of one autograded submission, from the gradebook."""
    from nbgrader.api import Gradebook

    config = load_config(root)
    with Gradebook(config.CourseDirectory.db_url, config.CourseDirectory.course_id) as gradebook:
        submission = gradebook.find_submission(assignment, student)
        return {grade.name: grade.score
                for notebook in submission.notebooks for grade in notebook.grades}


def forget(root: Path, assignment: str, students: list[str]) -> None:
    """Remove these students' submissions of ``assignment`` from the gradebook, if any."""
    from nbgrader.api import Gradebook, MissingEntry

    config = load_config(root)
    with Gradebook(config.CourseDirectory.db_url, config.CourseDirectory.course_id) as gradebook:
        for student in students:
            try:
                gradebook.remove_submission(assignment, student)
            except MissingEntry:
                pass


def autograde_from_results(root: Path, assignment: str, students: list[str],
                           results: Path) -> dict[str, str]:
    """Record verdicts the trusted grader reached in nbgrader's gradebook and ``autograded/``.

    ``results/<student>/<assignment>/<assignment>.ipynb`` is each submission as the grader ran
    it (graded cells restored from the course, test cells' outputs written by the grader), with
    the submission's ``timestamp.txt`` beside it when it had one. nbgrader's autograde reads
    those instead of ``submitted/`` and executes nothing: it keeps its bookkeeping (gradebook,
    timestamps, late penalties, the release's files in ``autograded/``), and ``SaveAutoGrades``
    reads the scores off the grader's outputs. Returns {student: error} where nbgrader failed.
    """
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.preprocessors import (
        AssignLatePenalties,
        CheckCellMetadata,
        LimitOutput,
        SaveAutoGrades,
    )

    scripts = str(Path(sys.executable).parent)
    if os.environ.get("PATH", "").split(os.pathsep)[0] != scripts:
        os.environ["PATH"] = nbgrader_env()["PATH"]   # nbgrader runs `alembic` by name
    config = load_config(root)
    config.Autograde.sanitize_preprocessors = []
    config.Autograde.autograde_preprocessors = [LimitOutput, SaveAutoGrades,
                                                AssignLatePenalties, CheckCellMetadata]
    coursedir = CourseDirectory(config=config)
    coursedir.root = str(root)
    coursedir.submitted_directory = str(results)   # absolute: nbgrader joins it to the root
    api = NbGraderAPI(coursedir, config=config)
    # One autograde over every student of ``results`` (it holds this run's only): nbgrader's
    # start-up, about 2 s, is paid once. Should it fail, each student alone says who failed.
    with warnings.catch_warnings():   # SQLAlchemy's SAWarnings: harmless, and noisy
        warnings.simplefilter("ignore")
        if api.autograde(assignment, "*", force=True, create=True)["success"]:
            return {}
        failed = {}
        for student in students:
            outcome = api.autograde(assignment, student, force=True, create=True)
            if not outcome["success"]:
                lines = [line for line in str(outcome.get("error", "")).splitlines()
                         if line.strip()]
                failed[student] = (lines or ["no message"])[-1][:300]
    return failed


def configure_feedback(c: Any, preprocessor: type, template_name: str, templates: Path) -> None:
    """nbgrader's feedback with ``preprocessor`` added and the template ``template_name`` (in
    ``templates``, extending nbgrader's own feedback template)."""
    import nbgrader
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import GetGrades

    nbgrader_templates = (Path(nbgrader.__file__).parent / "server_extensions" / "formgrader"
                          / "templates")
    c.GenerateFeedback.preprocessors = [GetGrades, CSSHTMLHeaderPreprocessor, preprocessor]
    c.HTMLExporter.template_name = template_name
    c.HTMLExporter.extra_template_basedirs = [str(templates), str(nbgrader_templates)]


def generate_feedback(root: Path, assignment: str) -> None:
    run_app(root, "generate_feedback", assignment, "--force")


def make_course(root: Path, dest: Path, assignments_: list[str]) -> Path:
    """A course root at ``dest`` with a copy of ``root``'s instructor side (the config,
    ``grading/``, the assignments' sources), each assignment released and registered."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(root / "nbgrader_config.py", dest)
    shutil.copytree(root / "grading", dest / "grading", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__"))
    for assignment in assignments_:
        shutil.copytree(root / SOURCE_DIR / assignment, dest / SOURCE_DIR / assignment,
                        dirs_exist_ok=True)
    generate_release(dest, assignments_)
    return dest
