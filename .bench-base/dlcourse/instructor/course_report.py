"""`dlcourse report`, the course report: what each solution notebook costs and achieves.

It runs every solution notebook in full (plain nbclient, not nbgrader) for its execution time and
headline results (``dlcourse.report.record``), then grades the solution as a submission in a
temporary course for the grading time and points.
"""
from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from dlcourse.report import REPORT_ENV
from dlcourse.tools import nbgrader_adapter
from dlcourse.tools.text import format_table, strip_ansi


@dataclass
class NotebookReport:
    assignment: str
    execution_seconds: float | None = None     # the whole solution notebook, full mode
    autograde_seconds: float | None = None     # nbgrader autograde of the solution (short mode)
    points: float | None = None                # the solution's autograded points...
    max_points: float | None = None            # ... out of these
    headline: dict = field(default_factory=dict)   # what the notebook record()ed
    errors: list[str] = field(default_factory=list)


def execute_in_full(root: Path, assignment: str, headline: dict, timeout: float = 3600) -> None:
    """Run a solution notebook top to bottom, as a student would (full training), in a copy of
    its folder. ``headline`` receives the results it recorded, those recorded before a failing
    cell included. Raises if a cell fails."""
    import nbformat
    from nbclient import NotebookClient

    with tempfile.TemporaryDirectory(prefix=f"report_{assignment}_") as scratch:
        folder = Path(scratch) / assignment
        folder.mkdir()
        for path in (root / "solutions" / assignment).iterdir():
            if path.is_file() and not path.name.endswith(".pct.py"):
                (folder / path.name).write_bytes(path.read_bytes())
        notebook = nbformat.read(str(folder / f"{assignment}.ipynb"), as_version=4)
        headline_file = Path(scratch) / "headline.json"
        # A student's session: no grading variables, so training runs in full.
        dropped = ("NBGRADER_EXECUTION", "NBGRADER_VALIDATING", "DLCOURSE_QUICK")
        environment = {name: value for name, value in os.environ.items() if name not in dropped}
        environment[REPORT_ENV] = str(headline_file)
        environment["PYTHONPATH"] = os.pathsep.join(   # the hidden tests import grading/
            p for p in (str(root), os.environ.get("PYTHONPATH")) if p)
        # Threads chosen, not inherited: one BLAS thread, as grading uses (two threads on these
        # 2-core machines measured several times slower as soon as anything else ran).
        for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            environment.setdefault(name, "1")
        try:
            NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                           resources={"metadata": {"path": str(folder)}}).execute(env=environment)
        finally:
            if headline_file.is_file():
                headline.update(json.loads(headline_file.read_text()))


def autograde_solution(root: Path, assignment: str) -> tuple[float, float, float]:
    """Autograde the solution's answers, submitted as a student would, in a temporary course.
    Returns (autograde seconds, points, max points)."""
    from dlcourse.instructor import grade

    with tempfile.TemporaryDirectory(prefix=f"report_{assignment}_") as scratch:
        course = nbgrader_adapter.make_course(root, Path(scratch) / "course_root", [assignment])
        submissions = Path(scratch) / "submissions"
        submissions.mkdir()
        release = nbgrader_adapter.release_notebook(course, assignment)
        notebook = nbgrader_adapter.fill_answers(
            release, nbgrader_adapter.solution_answers(root, assignment))
        (submissions / "solution.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
        result = grade.grade(submissions, assignment, course, feedback=False, quiet=True)
        student = result.students[0]
        if student.notes:
            raise RuntimeError("; ".join(student.notes))
        return student.seconds, student.total, result.max_total


def notebook_report(root: Path, assignment: str, *, full: bool = True) -> NotebookReport:
    """Measure one solution notebook; a failure is noted in the report, never raised."""
    report = NotebookReport(assignment)
    if full:
        started = time.perf_counter()
        try:
            execute_in_full(root, assignment, report.headline)
        except Exception as error:  # a report lists every notebook, failing ones included
            report.errors.append(f"execution: {_last_line(error)}")
        report.execution_seconds = time.perf_counter() - started
    try:
        report.autograde_seconds, report.points, report.max_points = autograde_solution(
            root, assignment)
    except Exception as error:
        report.errors.append(f"autograde: {_last_line(error)}")
    return report


def _last_line(error: Exception) -> str:
    lines = strip_ansi(str(error)).strip().splitlines() or [""]
    return f"{type(error).__name__}: {lines[-1][:200]}"


def format_report(reports: list[NotebookReport]) -> str:
    def seconds(value):
        return "-" if value is None else f"{value:.1f} s"

    rows = []
    for report in reports:
        points = "-" if report.points is None else f"{report.points:g} / {report.max_points:g}"
        headline = ", ".join(f"{name} {value:.4g}" if isinstance(value, float)
                             else f"{name} {value}" for name, value in report.headline.items())
        rows.append((report.assignment, seconds(report.execution_seconds),
                     seconds(report.autograde_seconds), points,
                     "\n".join(filter(None, [headline, *report.errors])) or "-"))
    return format_table(("notebook", "execution", "autograde", "points", "headline"), rows)


def write_json(reports: list[NotebookReport], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([asdict(report) for report in reports], indent=2) + "\n",
                    encoding="utf-8")


def run_command(args) -> int:
    root = nbgrader_adapter.find_root(Path(args.root) if args.root else None)
    reports = []
    for assignment in args.assignments or nbgrader_adapter.assignments(root):
        reports.append(notebook_report(root, assignment, full=not args.autograde_only))
        print("\n".join(format_report(reports[-1:]).splitlines()[2:]), flush=True)  # progress
    print(format_report(reports))
    path = Path(args.json) if args.json else root / "artifacts" / "report.json"
    write_json(reports, path)
    print(f"written to {path}")
    return 1 if any(report.errors for report in reports) else 0


def add_command(commands) -> None:
    parser = commands.add_parser(
        "report", help="run every solution notebook: execution and autograde times, points, "
                       "headline results")
    parser.add_argument("assignments", nargs="*", help="e.g. 01_perceptron (default: all)")
    parser.add_argument("--autograde-only", action="store_true",
                        help="skip the full-length execution")
    parser.add_argument("--json", help="where to write the report (default: "
                                       "artifacts/report.json in the course root)")
    parser.add_argument("--root", help="course root (default: found above the current folder)")
    parser.set_defaults(run=run_command)
