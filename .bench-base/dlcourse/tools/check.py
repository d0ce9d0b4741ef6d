"""`dlcourse check`: run your notebook as grading will, and see what each test cell scores.

The notebook runs exactly as `dlcourse grade` runs it (see :mod:`dlcourse.tools.executor`):
your code in a process of its own, the test cells of the release judged outside it, deleted or
duplicated graded cells repaired the same way, with the same notes. The one difference: grading
adds hidden checks (other shapes, dtypes, seeds) to the test cells, so passing here is
necessary, not sufficient.
"""
from __future__ import annotations

import os
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from dlcourse.tools import executor, nbgrader_adapter, sandbox
from dlcourse.tools.session import Session
from dlcourse.tools.text import format_table

MESSAGE_LINES = 6        # lines of a failure message shown in the table
MESSAGE_WIDTH = 90       # the table's message column is wrapped (never cut) at this width
HIDDEN_NOTE = ("Grading runs more checks than these (hidden tests: other shapes, dtypes and "
               "seeds), so a cell that passes here can still lose points.")


@dataclass
class CellResult:
    grade_id: str
    score: float
    max_score: float
    message: str = ""


@dataclass
class CheckResult:
    notebook: Path
    assignment: str
    cells: list[CellResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)   # what was repaired or lost, and why
    error: str = ""                                   # nothing could be graded at all

    @property
    def ok(self) -> bool:
        return not self.error and all(c.score == c.max_score for c in self.cells)


def find_release(assignment: str, root: Path | None) -> dict | None:
    """The released notebook of ``assignment``: from the course root, else None."""
    if root is not None:
        path = nbgrader_adapter.release_notebook(root, assignment)
        if path.is_file():
            return nbgrader_adapter.read_json(path)
    return None


def assignment_of(path: Path, notebook: dict, root: Path | None) -> str:
    """Which assignment a notebook is: recorded in it, else its name, else the course's
    assignment sharing most graded cell ids with it."""
    recorded = notebook.get("metadata", {}).get("dlcourse", {}) if isinstance(
        notebook.get("metadata"), dict) else {}
    if isinstance(recorded, dict) and isinstance(recorded.get("assignment"), str):
        return recorded["assignment"]
    known = nbgrader_adapter.assignments(root) if root else []
    if path.stem in known or (not known and path.stem[:2].isdigit()):
        return path.stem
    ids = {info.grade_id for cell in notebook["cells"]
           if (info := nbgrader_adapter.graded_cell(cell))}
    overlap = {name: len(ids & set(nbgrader_adapter.test_points(
        nbgrader_adapter.release_notebook(root, name)))) for name in known} if root else {}
    best = max(overlap, key=lambda name: overlap[name], default=None)
    if not best or not overlap[best]:
        raise ValueError(f"{path.name}: which assignment is this? Name it after one of "
                         f"{', '.join(known) or 'the assignments (e.g. 01_perceptron)'}.")
    return best


def check(path: Path, root: Path | None = None, timeout: float | None = None) -> CheckResult:
    """Run a student's notebook and score each test cell as grading would (public checks)."""
    path = Path(path).resolve()
    try:
        notebook, notes = executor.read_submission(path.read_text(encoding="utf-8",
                                                                  errors="replace"))
    except (OSError, executor.UnreadableNotebook) as error:
        return CheckResult(path, path.stem, error=f"{path.name}: {error}.")
    try:
        assignment = assignment_of(path, notebook, root)
    except ValueError as error:
        return CheckResult(path, "?", error=str(error))
    release = find_release(assignment, root)
    if release is None:
        # No course here (a notebook fetched from JupyterHub): its own test cells are the
        # release's, unless edited, which the notes say.
        release = notebook
        edited = nbgrader_adapter.edited_locked_cells(notebook)
        notes += [f"The read-only cell `{grade_id}` was edited: this check ran your version, "
                  "but grading runs the original." for grade_id in edited]
    tests = nbgrader_adapter.sources_by_role(release, "test")
    planned = executor.plan(notebook, release, tests)
    cell_seconds = timeout or 60.0
    session = Session(path.parent, sandboxed=False, mode="validate",
                      limits=sandbox.Limits(cell_seconds=cell_seconds))
    os.environ.setdefault("NBGRADER_EXECUTION", "validate")   # quick() in the checks too
    outcome = executor.run(planned, session, folder=path.parent, cell_seconds=cell_seconds,
                           wall_seconds=3600)
    result = CheckResult(path, assignment, notes=[*notes, *outcome.notes])
    result.cells = [CellResult(t.grade_id, t.points, t.max_points, t.message)
                    for t in outcome.tests]
    return result


def recovery_advice(notebook: Path, assignment: str) -> str:
    """What to do about a mangled notebook: a fresh copy, with the answers pasted back in."""
    mine = notebook.with_name(f"{notebook.stem}.mine.ipynb")
    return (f"To recover: `dlcourse reset {notebook.name}` (in its folder) keeps your work as "
            f"{mine.name} and puts a fresh copy of {assignment}.ipynb in its place (without the "
            "course kit: rename yours and download the notebook again); then paste your answers "
            "into the fresh copy's `# YOUR CODE HERE` cells. Never copy, delete or edit the test "
            "cells: grading finds cells by their hidden ids.")


def _wrapped(message: str) -> str:
    lines = [piece for line in message.splitlines()
             for piece in (textwrap.wrap(line, MESSAGE_WIDTH, break_long_words=False,
                                         subsequent_indent="  ") or [""])]
    if len(lines) > MESSAGE_LINES:
        lines = [*lines[:MESSAGE_LINES - 1], "(more in the notebook's output of this cell)"]
    return "\n".join(lines)


def format_result(result: CheckResult) -> str:
    """The report a student reads: a table of test cells, the notes, then what to do."""
    lines = [f"{result.notebook.name} ({result.assignment})"]
    if result.error:
        advice = [] if result.assignment == "?" else [recovery_advice(result.notebook,
                                                                      result.assignment)]
        return "\n".join(lines + [result.error, *advice])
    rows = [(cell.grade_id, f"{cell.score:g} / {cell.max_score:g}",
             "passed" if not cell.message else _wrapped(cell.message)) for cell in result.cells]
    total = sum(cell.score for cell in result.cells)
    possible = sum(cell.max_score for cell in result.cells)
    rows.append(("total", f"{total:g} / {possible:g}", "public checks"))
    lines.append(format_table(("cell", "points", "result"), rows))
    if result.notes:
        lines += ["", "Your notebook does not match the assignment; this is what grading does "
                      "about it:"]
        lines += [f"- {note}" for note in result.notes]
        lines.append(recovery_advice(result.notebook, result.assignment))
    return "\n".join(lines)


def default_notebooks(folder: Path, root: Path | None) -> list[Path]:
    """The assignments' notebooks in ``folder``, else in its subfolders (e.g. from course/)."""
    names = {f"{name}.ipynb" for name in (nbgrader_adapter.assignments(root) if root else [])}

    def wanted(path: Path) -> bool:
        return path.name in names if names else path.stem[:2].isdigit()
    here = sorted(p for p in folder.glob("*.ipynb") if wanted(p))
    return here or sorted(p for p in folder.glob("*/*.ipynb") if wanted(p))


def _course_root(args) -> Path | None:
    """The course root given, else the one above the first notebook or the current folder,
    else none (a student's notebook fetched from JupyterHub)."""
    if args.root:
        return nbgrader_adapter.find_root(Path(args.root))
    for start in ([Path(args.notebooks[0]).resolve().parent] if args.notebooks else []) + [None]:
        try:
            return nbgrader_adapter.find_root(start)
        except FileNotFoundError:
            continue
    return None


def run_command(args) -> int:
    root = _course_root(args)
    paths = [Path(p) for p in args.notebooks] or default_notebooks(Path.cwd(), root)
    if not paths:
        print("No notebook to check: name one, e.g. dlcourse check "
              "course/01_perceptron/01_perceptron.ipynb")
        return 2
    ok = True
    for path in paths:
        result = check(path, root, args.timeout)
        print(format_result(result) + "\n")
        ok = ok and result.ok
    print("The visible tests pass. " + HIDDEN_NOTE if ok else
          "Something fails: see above. " + HIDDEN_NOTE)
    return 0 if ok else 1


def add_command(commands) -> None:
    parser = commands.add_parser(
        "check", help="run your notebook(s) as grading will and show the points of each test")
    parser.add_argument("notebooks", nargs="*",
                        help="notebooks to check (default: the assignments' notebooks here)")
    parser.add_argument("--timeout", type=float, help="seconds per cell (default: 60)")
    parser.add_argument("--root", help="course root (default: found above the notebook, or "
                                       "above the current folder)")
    parser.set_defaults(run=run_command)
