"""`dlcourse grade`: autograde a class's submissions in one command, without exchange or hub.

    submissions/alice/01_perceptron.ipynb        one subfolder per student, or
    submissions/alice.ipynb                      a flat folder of notebooks named by student

Each submission is copied into the course root's ``submitted/<student>/<assignment>/`` with the
assignment's released files, then graded by its own ``nbgrader autograde --student`` process,
several at once. Each process has a wall limit (an answer that hangs, sleeps or floods the kernel
costs that student's notebook, not the class) on top of nbgrader's per-cell timeout (an infinite
loop costs that cell). Concurrent autogrades write into the one sqlite gradebook without
colliding: each holds the database only for short transactions, and sqlite serialises those.

Re-running is idempotent: a student's earlier submitted/autograded/feedback folders and
gradebook entry are replaced.
"""
from __future__ import annotations

import csv
import html
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from . import check, nbgrading, notebooks
from .report import format_table

DEFAULT_WALL_LIMIT = 600.0   # seconds per notebook; nbgrader's per-cell timeout acts first


@dataclass
class StudentResult:
    student: str
    scores: dict[str, float] = field(default_factory=dict)   # grade id -> points
    notes: list[str] = field(default_factory=list)           # why points were lost beyond tests
    seconds: float = 0.0                                     # autograde wall time
    ungraded: str = ""      # why the whole notebook scored 0 (unreadable, over the wall limit)

    @property
    def total(self) -> float:
        return sum(self.scores.values())

    @property
    def all_notes(self) -> list[str]:
        return ([f"{self.ungraded} Scored 0."] if self.ungraded else []) + self.notes


@dataclass
class GradeResult:
    assignment: str
    max_points: dict[str, float]          # grade id -> points, in notebook order
    students: list[StudentResult]
    csv_path: Path | None = None
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)

    @property
    def max_total(self) -> float:
        return sum(self.max_points.values())


def student_id(name: str) -> str:
    """A name nbgrader can use as a folder and a gradebook id."""
    return re.sub(r"[^\w.-]+", "_", name).strip("._") or "student"


def find_submissions(folder: Path, assignment: str | None,
                     known: list[str]) -> tuple[str, dict[str, Path | None]]:
    """(assignment, {student: notebook or None}) for a folder of submissions.

    ``folder`` holds one subfolder per student (with ``<assignment>.ipynb`` in it, or a single
    notebook of any name) and/or notebooks named by student. The assignment, when not given, is
    the name of the notebooks in the subfolders or of ``folder`` itself.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: no such folder of submissions.")
    if assignment is None:
        names = {p.stem for p in folder.glob("*/*.ipynb")} & set(known)
        if folder.name in known:
            names = {folder.name}
        if len(names) != 1:
            raise ValueError(f"Which assignment is in {folder}? Give --assignment (one of "
                             f"{', '.join(known)}).")
        assignment = names.pop()
    found: dict[str, Path | None] = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        if path.is_dir():
            candidates = sorted(path.glob("*.ipynb"))
            named = path / f"{assignment}.ipynb"
            chosen = named if named.is_file() else (
                candidates[0] if len(candidates) == 1 else None)
            found[student_id(path.name)] = chosen
        elif path.suffix == ".ipynb":
            found[student_id(path.stem)] = path
    if not found:
        raise ValueError(f"No submissions in {folder}.")
    return assignment, found


def _clear_student(course: Path, student: str, assignment: str) -> None:
    for kind in ("submitted", "autograded", "feedback"):
        shutil.rmtree(course / kind / student / assignment, ignore_errors=True)


def _forget(course: Path, assignment: str, students: list[str]) -> None:
    """Remove these students' submissions of ``assignment`` from the gradebook, if any."""
    from nbgrader.api import Gradebook, MissingEntry

    config = nbgrading.load_config(course)
    with Gradebook(config.CourseDirectory.db_url, config.CourseDirectory.course_id) as gradebook:
        for student in students:
            try:
                gradebook.remove_submission(assignment, student)
            except MissingEntry:
                pass


def _prepare(course: Path, assignment: str, student: str, notebook_path: Path | None,
             source: Path) -> StudentResult:
    """Put one submission where nbgrader looks for it; note what is wrong with its cells."""
    _clear_student(course, student, assignment)
    result = StudentResult(student, dict.fromkeys(notebooks.notebook_summary(source), 0.0))
    if notebook_path is None:
        result.ungraded = f"No {assignment}.ipynb in the submission."
        return result
    try:
        notebook = check.read_notebook(notebook_path)
    except check.UnreadableNotebook as error:
        result.ungraded = str(error)
        return result
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True)
    for provided in (course / "course" / assignment).iterdir():   # the released helper files
        if provided.is_file() and provided.name != f"{assignment}.ipynb":
            shutil.copy(provided, folder)
    result.notes = check.structure_problems(notebook, source)
    (folder / f"{assignment}.ipynb").write_text(
        nbformat.writes(_without_duplicates(notebook)), encoding="utf-8")
    return result


def _without_duplicates(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Keep only the last copy of each graded cell as graded, as nbgrader means to.

    nbgrader's own de-duplication leaves an empty ``nbgrader`` entry on the other copies, on
    which its autograde then crashes (KeyError: 'grade_id'): they become ordinary cells here.
    """
    seen = set()
    for cell in reversed(notebook.cells):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in seen:
            del cell.metadata["nbgrader"]
        elif grade_id:
            seen.add(grade_id)
    return notebook


def _autograde(course: Path, assignment: str, student: str, wall_limit: float,
               cell_timeout: float | None) -> tuple[float, str]:
    """Autograde one student in its own process group. Returns (seconds, note or "")."""
    command = [sys.executable, "-m", "nbgrader", "autograde", assignment, "--student", student,
               "--force", "--log-level=WARN"]
    if cell_timeout is not None:
        command.append(f"--Execute.timeout={cell_timeout:g}")
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=course, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=notebooks.nbgrader_env(),
                               start_new_session=True)
    try:
        _, stderr = process.communicate(timeout=wall_limit)
    except subprocess.TimeoutExpired:
        # The kernel runs in a session of its own and exits when its parent (nbgrader) dies.
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return time.perf_counter() - started, (
            f"Grading stopped after the wall limit of {wall_limit:g} s per notebook.")
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        # nbgrader's own last lines only say "see the above traceback": quote the exception.
        errors = [line.strip() for line in stderr.splitlines()
                  if line.strip() and not line.startswith("[")]
        return seconds, f"nbgrader autograde failed: {(errors or ['no message'])[-1][:200]}"
    return seconds, ""


def _timeout_notes(course: Path, assignment: str, student: str,
                   cell_timeout: float | None) -> list[str]:
    """A note for each graded cell that nbgrader stopped at the per-cell timeout."""
    path = course / "autograded" / student / assignment / f"{assignment}.ipynb"
    return [f"{cell['metadata']['nbgrader']['grade_id']}: "
            f"{check.failure_message(cell, cell_timeout)}"
            for cell in nbgrading.read_cells(path)
            if cell["metadata"].get("nbgrader", {}).get("grade") and check.timed_out(cell)]


def _note_feedback(course: Path, assignment: str, student: str, notes: list[str]) -> None:
    """Feedback for a submission nbgrader could not grade: what happened, in plain HTML."""
    folder = course / "feedback" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    items = "".join(f"<li>{html.escape(note)}</li>" for note in notes)
    (folder / f"{assignment}.html").write_text(
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{assignment}</title></head>"
        f"<body><h1>{assignment}: {html.escape(student)}</h1>"
        f"<p>Your submission could not be graded, so it scored 0:</p><ul>{items}</ul>"
        "<p>Run <code>dlcourse check</code> on your notebook before submitting.</p>"
        "</body></html>\n", encoding="utf-8")


def grade(submissions: Path, assignment: str | None, course: Path, *, jobs: int | None = None,
          wall_limit: float = DEFAULT_WALL_LIMIT, cell_timeout: float | None = None,
          feedback: bool = True, csv_path: Path | None = None,
          quiet: bool = False) -> GradeResult:
    """Autograde every submission in ``submissions`` into the course root ``course``: scores in
    its gradebook, feedback in ``feedback/``, a CSV (default ``autograded/<assignment>.csv``)."""
    started = time.perf_counter()
    assignment, found = find_submissions(submissions, assignment, notebooks.assignments(course))
    say = (lambda *_: None) if quiet else print
    say(f"{assignment}: {len(found)} submissions; registering the assignment...")
    nbgrading.register(course, assignment)
    source = course / "solutions" / assignment / f"{assignment}.ipynb"
    max_points = notebooks.notebook_summary(source)
    if cell_timeout is None:
        cell_timeout = nbgrading.load_config(course).Execute.timeout

    results = {student: _prepare(course, assignment, student, path, source)
               for student, path in found.items()}
    gradable = [s for s, r in results.items() if not r.ungraded]
    say(f"autograding {len(gradable)} notebooks, {jobs or os.cpu_count()} at a time...")
    with ThreadPoolExecutor(jobs or os.cpu_count()) as pool:   # each job is an nbgrader process
        outcomes = pool.map(lambda s: _autograde(course, assignment, s, wall_limit, cell_timeout),
                            gradable)
        for student, (seconds, note) in zip(gradable, outcomes):
            results[student].seconds = seconds
            if note:
                results[student].ungraded = note
                shutil.rmtree(course / "autograded" / student / assignment, ignore_errors=True)
            say(f"  {student}: {seconds:.1f} s {note}".rstrip())

    graded = [s for s, r in results.items() if not r.ungraded]
    _forget(course, assignment, [s for s in results if s not in graded])
    for student in graded:
        result = results[student]
        for grade_id, score in nbgrading.scores(course, assignment, student).items():
            if score is None:
                result.notes.append(f"{grade_id}: needs manual grading (counted as 0).")
            result.scores[grade_id] = score or 0.0
        result.notes += _timeout_notes(course, assignment, student, cell_timeout)

    outcome = GradeResult(assignment, max_points, [results[s] for s in sorted(results)])
    if feedback:
        if graded:
            try:
                nbgrading.run_nbgrader(course, "generate_feedback", assignment, "--force")
            except RuntimeError as error:
                outcome.warnings.append(str(error).strip().splitlines()[-1])
        for student, result in results.items():
            if student not in graded:
                _note_feedback(course, assignment, student, [result.ungraded, *result.notes])
    outcome.csv_path = csv_path or course / "autograded" / f"{assignment}.csv"
    write_csv(outcome, outcome.csv_path)
    outcome.seconds = time.perf_counter() - started
    return outcome


def write_csv(result: GradeResult, path: Path) -> None:
    """One row per student: student, assignment, each graded cell's points, total, max, notes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "assignment", *result.max_points, "total", "max", "notes"])
        for student in result.students:
            writer.writerow([student.student, result.assignment,
                             *(f"{student.scores[g]:g}" for g in result.max_points),
                             f"{student.total:g}", f"{result.max_total:g}",
                             " | ".join(student.all_notes)])


def format_summary(result: GradeResult) -> str:
    """Mean and median total, the pass rate of each graded cell, and every note."""
    students = result.students
    rows = []
    for grade_id, points in result.max_points.items():
        passed = sum(s.scores[grade_id] == points for s in students)
        rows.append((grade_id, f"{points:g}", f"{passed}/{len(students)}",
                     f"{passed / len(students):.0%}"))
    totals = [s.total for s in students]
    rows.append(("total", f"{result.max_total:g}",
                 f"mean {statistics.mean(totals):.2f}", f"median {statistics.median(totals):g}"))
    lines = [f"{result.assignment}: {len(students)} students graded in {result.seconds:.1f} s",
             format_table(("cell", "points", "full marks", "pass rate"), rows)]
    noted = [(s.student, f"{s.total:g}", "\n".join(s.all_notes)) for s in students
             if s.all_notes]
    if noted:
        lines += ["", format_table(("student", "total", "notes"), noted)]
    lines += [f"warning: {warning}" for warning in result.warnings]
    lines.append(f"gradebook CSV: {result.csv_path}")
    return "\n".join(lines)


def _run(args) -> int:
    course = notebooks.find_root(Path(args.course) if args.course else None)
    result = grade(Path(args.submissions), args.assignment, course.resolve(), jobs=args.jobs,
                   wall_limit=args.wall_limit, cell_timeout=args.cell_timeout,
                   csv_path=Path(args.csv) if args.csv else None)
    print(format_summary(result))
    return 0


def add_command(commands) -> None:
    parser = commands.add_parser(
        "grade", help="autograde a folder of submissions: gradebook CSV, feedback, summary")
    parser.add_argument("submissions", help="one subfolder per student, or <student>.ipynb files")
    parser.add_argument("--assignment", help="e.g. 01_perceptron (default: from the file names)")
    parser.add_argument("--course", help="course root (default: found above the current folder)")
    parser.add_argument("--jobs", type=int, help="notebooks graded at once (default: all cores)")
    parser.add_argument("--cell-timeout", type=float,
                        help="seconds per cell (default: Execute.timeout of nbgrader_config.py)")
    parser.add_argument("--wall-limit", type=float, default=DEFAULT_WALL_LIMIT,
                        help="seconds per notebook before it is stopped and scored 0 "
                             "(default: %(default)g)")
    parser.add_argument("--csv", help="gradebook CSV to write (default: "
                                      "autograded/<assignment>.csv in the course root)")
    parser.set_defaults(run=_run)
