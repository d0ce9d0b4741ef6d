"""`dlcourse grade`: grade a class's submissions in one command, trusting none of them.

    dlcourse grade SUBMISSIONS --assignment 01_perceptron

SUBMISSIONS is one of three layouts (anything else is refused before a file is touched):

    submitted/                     what `nbgrader collect` makes: <student>/<assignment>/*.ipynb
    submissions/alice.ipynb        a flat folder of notebooks named by student
    submissions/alice/any.ipynb    one subfolder per student

Each submission runs with :mod:`dlcourse.tools.executor`: its code in a sandbox
(:mod:`dlcourse.tools.sandbox`), its test cells, hidden checks included, judged in a grader
process that never runs its code. Several submissions are graded at once, each in a process of
its own. The verdicts then go through nbgrader's own autograde (its bookkeeping: gradebook,
timestamps, late penalties, ``autograded/``), its feedback, and a CSV that accumulates across
runs: the latest grade of every student ever graded.

Nothing a student handed in is rewritten or deleted: a submission from a flat or per-student
folder is copied into ``submitted/<student>/<assignment>/`` (marked as ours, so a later run may
replace it); one that nbgrader collected is graded where it is.
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from dlcourse.instructor import cluster
from dlcourse.tools import nbgrader_adapter, sandbox
from dlcourse.tools.text import format_table

DEFAULT_WALL_LIMIT = 600.0     # seconds per notebook
STAGED_MARK = ".staged-by-dlcourse"


@dataclass
class StudentResult:
    student: str
    scores: dict[str, float] = field(default_factory=dict)   # grade id -> points
    notes: list[str] = field(default_factory=list)           # what happened, for the student
    seconds: float = 0.0

    @property
    def total(self) -> float:
        return sum(self.scores.values())


@dataclass
class GradeResult:
    assignment: str
    max_points: dict[str, float]          # grade id -> points, in notebook order
    students: list[StudentResult]
    csv_path: Path | None = None
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)   # file -> why it was not graded

    @property
    def max_total(self) -> float:
        return sum(self.max_points.values())


def student_id(name: str) -> str:
    """A name nbgrader can use as a folder and a gradebook id."""
    return re.sub(r"[^\w.-]+", "_", name).strip("._") or "student"


@dataclass
class Found:
    assignment: str
    submissions: dict[str, Path | None]      # student -> notebook (None: no notebook found)
    skipped: dict[str, str]                  # path -> why it is not a submission
    collected: bool                          # nbgrader's submitted/ layout: graded in place


def find_submissions(folder: Path, assignment: str | None, known: list[str]) -> Found:
    """The submissions in ``folder``, in one of the three layouts (module docstring)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: no such folder of submissions.")
    collected = [p for p in folder.glob("*/*/*.ipynb") if p.parent.name in known]
    if collected:
        names = {p.parent.name for p in collected}
        if assignment is None:
            if len(names) != 1:
                raise ValueError(f"{folder} holds several assignments ({', '.join(sorted(names))})"
                                 ": give --assignment.")
            assignment = names.pop()
        found: dict[str, Path | None] = {}
        skipped: dict[str, str] = {}
        for student in sorted(p for p in folder.iterdir() if p.is_dir()):
            notebook = student / assignment / f"{assignment}.ipynb"
            if notebook.is_file():
                found[student.name] = notebook
            elif (student / assignment).is_dir():
                found[student.name] = None
        for extra in sorted(folder.iterdir()):
            if extra.is_file():
                skipped[str(extra)] = "a file beside the students' folders"
        return Found(assignment, found, skipped, True)
    if assignment is None:
        names = {p.stem for p in folder.glob("*/*.ipynb")} & set(known)
        if folder.name in known:
            names = {folder.name}
        if len(names) != 1:
            raise ValueError(f"Which assignment is in {folder}? Give --assignment (one of "
                             f"{', '.join(known)}).")
        assignment = names.pop()
    found, skipped = {}, {}
    for path in sorted(folder.iterdir()):
        if path.is_symlink():
            # A link could point at the solutions or at a classmate's notebook.
            skipped[str(path)] = "a symbolic link, not a file handed in: not graded"
            continue
        if path.name.startswith("."):
            skipped[str(path)] = "a hidden file: not graded"
            continue
        if path.is_dir():
            notebooks = sorted(p for p in path.glob("*.ipynb") if not p.is_symlink())
            for link in sorted(p for p in path.iterdir() if p.is_symlink()):
                skipped[str(link)] = "a symbolic link, not a file handed in: not graded"
            named = path / f"{assignment}.ipynb"
            chosen = named if named in notebooks else (notebooks[0] if len(notebooks) == 1
                                                      else None)
            for other in notebooks:
                if other != chosen:
                    skipped[str(other)] = (f"{path.name} handed in several notebooks; graded "
                                           f"{chosen.name if chosen else 'none of them'}")
            found[path.name] = chosen
        elif path.suffix == ".ipynb":
            found[path.stem] = path
        else:
            skipped[str(path)] = "not a notebook"
    found = _unique_ids(found)
    if not any(found.values()):
        raise ValueError(f"No submissions in {folder}: expected <student>.ipynb files, "
                         "<student>/ folders, or nbgrader's <student>/<assignment>/ layout.")
    return Found(assignment, found, skipped, False)


def _unique_ids(found: dict[str, Path | None]) -> dict[str, Path | None]:
    """Student ids nbgrader can use, one per submission: a name that is already a valid id
    keeps it; another ("victim .ipynb") gets its cleaned name plus a hash of the original, so
    it can never take over a classmate's row."""
    ids: dict[str, Path | None] = {}
    for name in sorted(found, key=lambda n: (student_id(n) != n, n)):
        key = student_id(name)
        if key != name or key in ids:
            key = f"{key}-{hashlib.sha256(name.encode()).hexdigest()[:6]}"
        ids[key] = found[name]
    return dict(sorted(ids.items()))


def _stage(course: Path, assignment: str, student: str, notebook: Path | None,
           collected: bool) -> str:
    """Put a submission where nbgrader looks for it. Returns why it cannot be, or ""."""
    folder = course / "submitted" / student / assignment
    if collected and notebook is not None and notebook.parent.resolve() == folder.resolve():
        return ""
    if folder.exists() and not (folder / STAGED_MARK).exists():
        return (f"submitted/{student}/{assignment} holds a submission collected by nbgrader: "
                "grade that folder (`dlcourse grade submitted`), or move it away first")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / STAGED_MARK).write_text("copied here by dlcourse grade; replaced on regrading\n")
    if notebook is not None:
        shutil.copyfile(notebook, folder / f"{assignment}.ipynb")
    return ""


def grade(submissions: Path, assignment: str | None, course: Path, *, jobs: int | None = None,
          wall_limit: float = DEFAULT_WALL_LIMIT, cell_timeout: float | None = None,
          feedback: bool = True, csv_path: Path | None = None, sandboxed: bool = True,
          quiet: bool = False, scheduler: str | None = None) -> GradeResult:
    """Grade every submission in ``submissions`` into the course root ``course``: scores in
    its gradebook, feedback in ``feedback/``, a CSV (default ``autograded/<assignment>.csv``).

    ``scheduler``: None grades in a pool of ``jobs`` processes here (or on the scheduler of the
    Dask configuration, ``DASK_SCHEDULER_ADDRESS``), "local" on a Dask cluster of ``jobs``
    processes here, an address (``tcp://host:8786``) on that Dask cluster. Results found in the
    cache of earlier runs (the same bytes, assignment and limits) are not graded again."""
    started = time.perf_counter()
    course = Path(course).resolve()
    found = find_submissions(submissions, assignment, nbgrader_adapter.assignments(course))
    assignment = found.assignment
    say = (lambda *_: None) if quiet else print
    if sandboxed:
        sandbox.command([], course, sandboxed=True)   # raises SandboxUnavailable, saying why
    if not nbgrader_adapter.registered(course, assignment):
        say(f"{assignment}: registering the assignment in the gradebook...")
        nbgrader_adapter.generate_release(course, [assignment])
    max_points = nbgrader_adapter.test_points(nbgrader_adapter.source_notebook(course,
                                                                               assignment))
    if cell_timeout is None:
        cell_timeout = float(nbgrader_adapter.load_config(course).Execute.timeout)

    skipped = dict(found.skipped)
    staged = {}
    for student, notebook in found.submissions.items():
        problem = _stage(course, assignment, student, notebook, found.collected)
        if problem:
            skipped[str(notebook)] = problem
        else:
            staged[student] = notebook
    jobs = jobs or os.cpu_count() or 1
    if scheduler is None:
        import dask.config  # DASK_SCHEDULER_ADDRESS, or a Dask configuration file
        scheduler = dask.config.get("scheduler-address", None)
    options = cluster.Options(sandbox.Limits(cell_seconds=cell_timeout,
                                             cpu_seconds=int(wall_limit) + 60),
                              wall_limit, sandboxed)
    bundle = cluster.bundle(course, assignment)
    cache = cluster.Cache(course, assignment)
    submitted = {student: Path(notebook).read_bytes() if notebook else None
                 for student, notebook in staged.items()}
    keys = {student: cluster.task_key(bundle, options, data)
            for student, data in submitted.items()}
    finished = {key: result for key in set(keys.values()) if (result := cache.get(key))}
    missing = {keys[s]: data for s, data in submitted.items() if keys[s] not in finished}
    where = ("on this machine" if scheduler is None else
             "on a local Dask cluster" if scheduler == "local" else f"on {scheduler}")
    say(f"{assignment}: grading {len(missing)} submissions {where}, "
        f"{jobs if scheduler is None else 'as many as it has workers'} at a time"
        f"{'' if sandboxed else ' (NOT sandboxed)'}"
        + (f"; {len(staged) - len(missing)} graded before, unchanged" if finished else "")
        + "...")
    errors: dict[str, BaseException] = {}
    with tqdm(total=len(missing), unit="submission", disable=quiet or not missing,
              file=sys.stderr) as bar:
        for key, returned in cluster.run_tasks(bundle, options, missing, scheduler=scheduler,
                                               jobs=jobs):
            if isinstance(returned, BaseException):
                errors[key] = returned
            else:
                cache.put(key, returned)
                finished[key] = returned
            bar.update()
    results = {}
    with tempfile.TemporaryDirectory(prefix="dlcourse-results-") as scratch:
        for student, key in keys.items():
            result = finished.get(key)
            if result is None and cluster.is_killed_worker(errors[key]):
                result = cluster.killed_result(bundle)     # never cached: a rerun tries again
            if result is None:
                skipped[str(staged[student] or student)] = (
                    f"not graded: the grader failed ({errors[key]}); run `dlcourse grade` again")
                continue
            target = Path(scratch) / student / assignment / f"{assignment}.ipynb"
            target.parent.mkdir(parents=True)
            target.write_text(json.dumps(result["notebook"]), encoding="utf-8")
            notebook = staged[student]
            # nbgrader's bookkeeping files travel with the graded notebook: the timestamp
            # (late penalties) and the secret `nbgrader release_feedback` checks.
            for name in ("timestamp.txt", "submission_secret.txt"):
                kept = Path(notebook).parent / name if notebook else None
                if kept and kept.is_file():
                    shutil.copy(kept, target.parent)
            results[student] = StudentResult(student, dict.fromkeys(max_points, 0.0)
                                             | result["scores"], result["notes"],
                                             result["seconds"])
        failed = nbgrader_adapter.autograde_from_results(course, assignment, list(results),
                                                         Path(scratch))
    outcome = GradeResult(assignment, max_points, [results[s] for s in sorted(results)],
                          skipped=skipped)
    for error in errors.values():
        if not cluster.is_killed_worker(error):
            outcome.warnings.append(f"a task failed, its submissions were not graded: {error}")
    for student, problem in failed.items():
        outcome.warnings.append(f"nbgrader could not record {student}'s grades: {problem}")
    for student, graded in results.items():
        if student in failed:
            continue
        recorded = nbgrader_adapter.scores(course, assignment, student)
        if {k: float(v or 0) for k, v in recorded.items()} != graded.scores:
            outcome.warnings.append(f"{student}: the gradebook holds {recorded}, the grader "
                                    f"decided {graded.scores}")
    if feedback and results:
        try:
            nbgrader_adapter.generate_feedback(course, assignment)
        except RuntimeError as error:
            outcome.warnings.append(str(error).strip().splitlines()[-1])
    outcome.csv_path = csv_path or course / "autograded" / f"{assignment}.csv"
    write_csv(outcome, outcome.csv_path)
    outcome.seconds = time.perf_counter() - started
    return outcome


CSV_FIXED = ("student", "assignment")


def write_csv(result: GradeResult, path: Path) -> None:
    """One row per student ever graded into this CSV (this run's replace earlier ones):
    student, assignment, each test cell's points, total, max, notes."""
    columns = [*CSV_FIXED, *result.max_points, "total", "max", "notes"]
    rows: dict[str, dict] = {}
    if path.is_file():
        with open(path, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row.get("assignment") == result.assignment and list(row) == columns:
                    rows[row["student"]] = row
    for student in result.students:
        rows[student.student] = {
            "student": student.student, "assignment": result.assignment,
            **{g: f"{student.scores.get(g, 0.0):g}" for g in result.max_points},
            "total": f"{student.total:g}", "max": f"{result.max_total:g}",
            "notes": " | ".join(student.notes)}
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        for student_id in sorted(rows):
            writer.writerow(rows[student_id])


def format_summary(result: GradeResult) -> str:
    """Mean and median total, the pass rate of each test cell, every note and skipped file."""
    students = result.students
    lines = [f"{result.assignment}: {len(students)} students graded in {result.seconds:.1f} s"]
    if students:
        rows = []
        for grade_id, points in result.max_points.items():
            passed = sum(s.scores.get(grade_id) == points for s in students)
            rows.append((grade_id, f"{points:g}", f"{passed}/{len(students)}",
                         f"{passed / len(students):.0%}"))
        totals = [s.total for s in students]
        rows.append(("total", f"{result.max_total:g}", f"mean {statistics.mean(totals):.2f}",
                     f"median {statistics.median(totals):g}"))
        lines.append(format_table(("cell", "points", "full marks", "pass rate"), rows))
    noted = [(s.student, f"{s.total:g}", "\n".join(s.notes)) for s in students if s.notes]
    if noted:
        lines += ["", format_table(("student", "total", "notes"), noted)]
    if result.skipped:
        lines += ["", "Not graded:"] + [f"- {path}: {why}" for path, why in
                                        result.skipped.items()]
    lines += [f"warning: {warning}" for warning in result.warnings]
    lines.append(f"gradebook CSV: {result.csv_path}")
    return "\n".join(lines)


def run_command(args) -> int:
    course = nbgrader_adapter.find_root(Path(args.course) if args.course else None)
    try:
        result = grade(Path(args.submissions), args.assignment, course, jobs=args.jobs,
                       wall_limit=args.wall_limit, cell_timeout=args.cell_timeout,
                       csv_path=Path(args.csv) if args.csv else None,
                       sandboxed=not args.unsandboxed, scheduler=args.scheduler)
    except (FileNotFoundError, ValueError, sandbox.SandboxUnavailable) as error:
        print(f"dlcourse grade: {error}")
        return 2
    print(format_summary(result))
    return 1 if result.warnings else 0


def add_command(commands) -> None:
    parser = commands.add_parser(
        "grade", help="grade a folder of submissions: gradebook, CSV, feedback, summary")
    parser.add_argument("submissions", help="nbgrader's submitted/ folder, <student>.ipynb "
                                            "files, or one subfolder per student")
    parser.add_argument("--assignment", help="e.g. 01_perceptron (default: from the files)")
    parser.add_argument("--course", help="course root (default: found above the current folder)")
    parser.add_argument("--jobs", type=int, help="submissions graded at once (default: cores)")
    parser.add_argument("--scheduler", help="grade on this Dask cluster, e.g. tcp://host:8786 "
                        "(\"local\": a Dask cluster of --jobs processes here; default: a "
                        "process pool here, or DASK_SCHEDULER_ADDRESS); see docs/instructors.md")
    parser.add_argument("--cell-timeout", type=float,
                        help="seconds per cell (default: Execute.timeout of nbgrader_config.py)")
    parser.add_argument("--wall-limit", type=float, default=DEFAULT_WALL_LIMIT,
                        help="seconds per notebook (default: %(default)g)")
    parser.add_argument("--csv", help="gradebook CSV to update (default: "
                                      "autograded/<assignment>.csv in the course root)")
    parser.add_argument("--unsandboxed", action="store_true",
                        help="run submissions without bubblewrap: verdicts stay outside their "
                             "process, but they can read and write your files (see "
                             "docs/instructors.md)")
    parser.set_defaults(run=run_command)
