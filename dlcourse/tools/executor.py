"""Run a student's notebook and judge its test cells: the one procedure behind `check` and
`grade`.

1. **Plan** (:func:`plan`): the submission's cells are matched with the assignment's by grade id.
   Test cells and locked cells are taken from the course, never from the submission (their
   source, type and metadata: a student's edit, a ``skip-execution`` tag or a retyped cell change
   nothing); answer cells are the student's; a deleted graded cell comes back from the release, a
   duplicated one counts once (the last copy), a cell with an id the assignment does not have runs
   as ordinary code. Each such repair is a note for the student.
2. **Run** (:func:`run`): ordinary and answer cells run in the submission's process
   (:class:`~dlcourse.tools.session.Session`); the imports cell runs there and here; each test
   cell runs *here*, in the grader's process, with the names it uses fetched from the
   submission's namespace as plain data or stand-ins. A test cell passes when it raises nothing.
   Its output is what the grader printed (``passed(...)``) and, on failure, the check's message
   and the line of the test cell that failed: never the grader's frames or the hidden checks'
   source, never what the submission printed (it could print the hidden inputs it was given).
"""
from __future__ import annotations

import ast
import builtins
import contextlib
import html
import io
import json
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dlcourse.tools import protocol
from dlcourse.tools.nbgrader_adapter import cell_source, graded_cell
from dlcourse.tools.session import CellTimeout, Session, SubmissionMisbehaved, SubmissionStopped

MAX_PUSHED_BYTES = 64 << 20      # a test cell's variables copied into the submission's process


# --- plan ----------------------------------------------------------------------------------
@dataclass
class PlannedCell:
    """A cell of the notebook as it will run."""
    role: str          # "imports", "locked", "answer", "test", "code", "markdown" or "raw"
    source: str
    cell: dict         # the notebook cell (metadata from the course for graded cells)
    grade_id: str = ""
    points: float = 0.0
    number: int = 0    # its position in the notebook as it runs, from 1

    @property
    def label(self) -> str:
        if self.role == "answer":
            return f"answer cell `{self.grade_id}`"
        if self.role == "test":
            return f"test cell `{self.grade_id}`"
        return "imports cell" if self.role == "imports" else f"code cell {self.number}"


@dataclass
class Plan:
    cells: list[PlannedCell]
    notes: list[str] = field(default_factory=list)
    metadata: dict = field(default_factory=dict)


class UnreadableNotebook(ValueError):
    """Not a notebook at all (nothing in it could be graded)."""


def read_submission(text: str) -> tuple[dict, list[str]]:
    """A submitted notebook's JSON, and notes on what was lost reading it. A notebook cut short
    (a browser tab closed while saving) keeps the cells before the damage."""
    try:
        notebook = json.loads(text)
        if isinstance(notebook, dict) and isinstance(notebook.get("cells"), list):
            return notebook, []
        raise UnreadableNotebook("this file is JSON but not a notebook (it has no cells)")
    except (json.JSONDecodeError, RecursionError):
        pass
    start = text.find('"cells"')
    start = text.find("[", start) if start >= 0 else -1
    if start < 0:
        raise UnreadableNotebook("this file is not a notebook (it is not JSON, and no cells "
                                 "could be found in it)")
    decoder, cells, position = json.JSONDecoder(), [], start + 1
    while True:
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        try:
            cell, position = decoder.raw_decode(text, position)
        except (json.JSONDecodeError, RecursionError):
            break
        cells.append(cell)
    if not cells:
        raise UnreadableNotebook("this file is damaged before its first cell")
    return {"cells": cells, "metadata": {}}, [
        f"The notebook file is damaged (cut short or edited by hand): the {len(cells)} cells "
        "before the damage were graded; the cells after it are missing."]


def _code(cell: dict, source: str | None = None) -> dict:
    return {"cell_type": "code", "execution_count": None, "id": cell.get("id", "cell"),
            "metadata": cell.get("metadata", {}), "outputs": [],
            "source": cell_source(cell) if source is None else source}


def plan(submission: dict, release: dict, tests: dict[str, str]) -> Plan:
    """What runs, in order, for ``submission`` of the assignment released as ``release``.

    ``tests`` gives each test cell's source (with the hidden checks, when grading)."""
    expected = {}
    first_code = True
    for cell in release["cells"]:
        info = graded_cell(cell)
        if info:
            role = info.role
            if role == "locked" and cell.get("cell_type") == "code" and first_code:
                role = "imports"
            expected[info.grade_id] = (role, info, cell)
        if cell.get("cell_type") == "code":
            first_code = False
    order = list(expected)
    notes: list[str] = []

    cells = [c for c in submission.get("cells", []) if isinstance(c, dict)]
    if len(cells) != len(submission.get("cells", [])):
        notes.append("Some entries of the notebook's cell list are not cells: skipped.")
    ids = [info.grade_id if (info := graded_cell(c)) and info.grade_id in expected else None
           for c in cells]
    _adopt_unlabelled_answers(cells, ids, expected, notes)
    counts = Counter(i for i in ids if i)
    last = {grade_id: index for index, grade_id in enumerate(ids) if grade_id}
    for repeated, count in counts.items():
        if count > 1:
            notes.append(f"The {_name(expected[repeated])} appears {count} times (copied?): "
                         "only the last copy counts; the others ran as ordinary code.")

    planned: list[PlannedCell] = []
    placed: set[str] = set()

    def add_expected(grade_id: str, submitted: dict | None) -> None:
        role, info, original = expected[grade_id]
        if role == "answer":
            source = cell_source(original)
            if submitted is not None:
                source = cell_source(submitted)
                if submitted.get("cell_type") != "code":
                    notes.append(f"The {_name(expected[grade_id])} was turned into a "
                                 f"{submitted.get('cell_type')} cell: its text ran as code.")
            planned.append(PlannedCell("answer", source, _code(original, source), grade_id))
        elif role == "test":
            planned.append(PlannedCell("test", tests.get(grade_id, cell_source(original)),
                                       _code(original, tests.get(grade_id)), grade_id,
                                       info.points))
        elif original.get("cell_type") == "code":
            planned.append(PlannedCell(role, cell_source(original), _code(original), grade_id))
        else:
            planned.append(PlannedCell("markdown", cell_source(original), dict(original),
                                       grade_id))
        placed.add(grade_id)

    def add_missing_before(grade_id: str | None) -> None:
        """Put back, in the course's order, the graded cells deleted before ``grade_id``."""
        stop = order.index(grade_id) if grade_id else len(order)
        for missing in order[:stop]:
            if missing not in placed and missing not in counts:
                notes.append(f"The {_name(expected[missing])} was deleted: "
                             + ("put back from the release and run."
                                if expected[missing][0] != "answer" else
                                "put back as released (not answered)."))
                add_expected(missing, None)

    for index, (cell, grade_id) in enumerate(zip(cells, ids, strict=True)):
        if grade_id and last[grade_id] == index:
            add_missing_before(grade_id)
            add_expected(grade_id, cell)
            continue
        info = graded_cell(cell)
        if info and not grade_id:
            notes.append(f"A cell has the id `{info.grade_id}`, which this assignment does not "
                         "have (an older release, or ids edited): it ran as ordinary code.")
        cell_type = cell.get("cell_type")
        if cell_type == "code":
            planned.append(PlannedCell("code", cell_source(cell),
                                       _code({"id": cell.get("id", "cell")}, cell_source(cell))))
        elif cell_type in ("markdown", "raw"):
            # The student's text, shown in feedback and formgrader: as text, never as HTML
            # that would run in the reader's browser.
            text = html.escape(cell_source(cell), quote=False)
            planned.append(PlannedCell(cell_type, text,
                                       {"cell_type": cell_type, "id": cell.get("id", "cell"),
                                        "metadata": {}, "source": text}))
    add_missing_before(None)
    _tests_after_their_answers(planned, order, expected, notes)
    for number, cell in enumerate(planned, start=1):
        cell.number = number
    return Plan(planned, notes, {"kernelspec": release.get("metadata", {}).get("kernelspec", {}),
                                 "language_info": {"name": "python"}})


def _defined_names(source: str) -> set[str]:
    """Top-level functions and classes a cell defines (empty if it does not parse)."""
    try:
        body = ast.parse(source).body
    except (SyntaxError, ValueError):
        return set()
    return {node.name for node in body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}


def _adopt_unlabelled_answers(cells: list[dict], ids: list[str | None], expected: dict,
                              notes: list[str]) -> None:
    """An answer cell whose nbgrader metadata was lost (an editor that drops it, an older
    release with other ids) is recognised by the functions it defines."""
    present = set(ids)
    for grade_id, (role, _, original) in expected.items():
        names = _defined_names(cell_source(original))
        if role != "answer" or grade_id in present or not names:
            continue
        for index, cell in enumerate(cells):
            if ids[index] is None and cell.get("cell_type") == "code" and \
                    names <= _defined_names(cell_source(cell)):
                ids[index] = grade_id
                present.add(grade_id)
                notes.append(f"The answer cell `{grade_id}` had lost its grading id (edited "
                             "outside Jupyter, or an older release): recognised by the "
                             f"function{'s' if len(names) > 1 else ''} it defines "
                             f"({', '.join(sorted(names))}).")
                break


def _tests_after_their_answers(planned: list[PlannedCell], order: list[str], expected: dict,
                               notes: list[str]) -> None:
    """A test cell moved above the answer it checks runs right after that answer."""
    for grade_id in order:
        if expected[grade_id][0] != "test":
            continue
        before = order[:order.index(grade_id)]
        answers = [g for g in before if expected[g][0] == "answer"]
        if not answers:
            continue
        position = {cell.grade_id: i for i, cell in enumerate(planned) if cell.grade_id}
        test_at, answer_at = position.get(grade_id), position.get(answers[-1])
        if test_at is not None and answer_at is not None and test_at < answer_at:
            planned.insert(answer_at, planned.pop(test_at))
            notes.append(f"The {_name(expected[grade_id])} was above the answer it checks: "
                         "it ran after it.")


def _name(entry: tuple) -> str:
    role, info, _ = entry
    if role == "test":
        plural = "" if info.points == 1 else "s"
        return f"test cell `{info.grade_id}` ({info.points:g} point{plural})"
    if role == "answer":
        return f"answer cell `{info.grade_id}`"
    return "imports cell" if role == "imports" else f"read-only cell `{info.grade_id}`"


# --- run -----------------------------------------------------------------------------------
@dataclass
class TestResult:
    grade_id: str
    points: float
    max_points: float
    message: str = ""          # why it lost its points, for the student; "" when it passed


@dataclass
class Outcome:
    """A notebook, run and judged."""
    tests: list[TestResult]
    notes: list[str]
    notebook: dict             # the notebook as it ran, with outputs (nbformat 4 JSON)

    @property
    def total(self) -> float:
        return sum(test.points for test in self.tests)


def _loaded_names(source: str) -> list[str]:
    """Global names a test cell reads before it assigns them itself."""
    tree = ast.parse(source)
    assigned: set[str] = set()
    needed: list[str] = []
    for statement in tree.body:
        for node in ast.walk(statement):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and \
                    node.id not in assigned and node.id not in needed:
                needed.append(node.id)
        for node in ast.walk(statement):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                assigned.add(node.id)
    return needed


def _assigned_names(source: str) -> list[str]:
    names = []
    for statement in ast.parse(source).body:
        if isinstance(statement, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.For)):
            for node in ast.walk(statement):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    names.append(node.id)
    return names


def _plain_size(value: Any) -> int | None:
    """The bytes ``value`` takes as plain data, or None if it is not plain data."""
    def refuse(_: Any) -> dict:
        raise TypeError
    encoder = protocol.Encoder(refuse)
    try:
        encoder.encode(value)
    except TypeError:
        return None
    return sum(len(b) for b in encoder.buffers)


def _sanitised(outputs: Any) -> list[dict]:
    """The outputs a cell produced in the submission's process, as safe notebook outputs: text
    only (no HTML or JavaScript that would run in the instructor's browser), bounded in size."""
    kept: list[dict] = []
    for output in outputs if isinstance(outputs, list) else []:
        if not isinstance(output, dict):
            continue
        kind = output.get("output_type")
        if kind == "stream" and output.get("name") in ("stdout", "stderr") and isinstance(
                output.get("text"), str):
            kept.append({"output_type": "stream", "name": output["name"],
                         "text": output["text"][-20_000:]})
        elif kind == "display_data" and isinstance(output.get("data"), dict):
            text = output["data"].get("text/plain")
            if isinstance(text, str):
                kept.append({"output_type": "display_data", "metadata": {},
                             "data": {"text/plain": text[:20_000]}})
        elif kind == "error":
            kept.append(_error_output(str(output.get("ename", "Error"))[:100],
                                      str(output.get("evalue", ""))[:2000],
                                      [str(line)[:2000] for line in output.get("traceback", [])
                                       if isinstance(line, str)][-20:]
                                      if isinstance(output.get("traceback"), list) else []))
    return kept[-50:]


def _error_output(name: str, value: str, lines: list[str]) -> dict:
    return {"output_type": "error", "ename": name, "evalue": value, "traceback": lines}


def _hidden_lines(source: str) -> set[int]:
    """Line numbers (from 1) of a test cell's hidden checks."""
    lines, inside = set(), False
    for number, text in enumerate(source.splitlines(), start=1):
        if "BEGIN HIDDEN TESTS" in text:
            inside = True
        elif "END HIDDEN TESTS" in text:
            inside = False
        elif inside:
            lines.add(number)
    return lines


def _failure(error: BaseException, cell: PlannedCell, cell_seconds: float,
             hidden_seen: bool = False) -> tuple[str, list[str]]:
    """Why a test cell failed: (message for the student, the lines of the error output).
    ``hidden_seen``: an earlier cell's hidden checks have called the submission, whose
    exceptions may since carry their inputs."""
    where, line = "", 0
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename == f"<{cell.label}>":
            line = frame.lineno or 0
            where = f"In the test cell, line {line}: {(frame.line or '').strip()}"
    hidden = line in _hidden_lines(cell.source)
    if isinstance(error, CellTimeout):
        message = (f"Stopped at the time limit of {cell_seconds:g} s per cell: an infinite "
                   "loop, or a loop much slower than it should be?")
    elif isinstance(error, SubmissionMisbehaved):
        message = ("Your code's process sent the grader something that is not plain data "
                   f"({error}).")
    elif isinstance(error, SubmissionStopped):
        message = ("Your code stopped the process running it while this test ran (it called "
                   "exit, crashed, or ran out of memory).")
    elif getattr(error, "from_submission", False):
        kind = getattr(error, "submission_type", type(error).__name__)
        if kind == "NotImplementedError":
            message = ("NotImplementedError: an answer this cell tests is still the stub; "
                       "replace `raise NotImplementedError()` with your code.")
        elif hidden:
            # Its message is the submission's own text, and could carry the hidden inputs.
            message = f"Your code raised {kind} in a hidden check (other inputs than above)."
        elif hidden_seen:
            # A public check, but the code may have kept an earlier hidden check's inputs.
            message = (f"Your code raised {kind}. Its message is not shown once hidden checks "
                       "have run (it could hold their inputs): run this cell in the notebook, "
                       "or `dlcourse check`, to read it.")
        else:
            message = f"Your code raised {kind}: {error}"
        frames = getattr(error, "submission_frames", [])
        if frames:
            message += "\n" + "\n".join(f"  {frame}" for frame in frames[-4:])
    elif isinstance(error, NameError):
        message = (f"NameError: {error}. Was an answer cell deleted, or the function "
                   "renamed?")
    elif isinstance(error, AssertionError):
        message = str(error) or "A check failed."
    elif hidden or hidden_seen:
        # A check's own code failed on what the submission returned (float() of a string...):
        # its text may quote that value, which the code chose and could fill with the inputs.
        message = (f"{type(error).__name__} in the check, on what your code returned (the "
                   "details are not shown once hidden checks have run).")
    else:
        message = f"{type(error).__name__}: {error}"
    return message, [*message.splitlines(), *([where] if where else [])]


class Runner:
    """Runs one planned notebook: the grader's namespace, and the submission's session."""

    def __init__(self, session: Session, *, folder: Path, cell_seconds: float,
                 wall_seconds: float) -> None:
        self.session = session
        self.folder = folder
        self.cell_seconds = cell_seconds
        self.stop_at = time.monotonic() + wall_seconds
        self.namespace: dict[str, Any] = {"__name__": "__main__"}
        self.trusted: set[str] = set(dir(builtins))
        self.notes: list[str] = []
        self.tested = False      # whether a test cell has called the submission yet
        self.hidden_seen = False  # whether a cell with hidden checks has run
        self.in_submission: dict[str, type] = {}

    def run(self, cells: list[PlannedCell]) -> list[TestResult]:
        results = []
        for index, cell in enumerate(cells):
            if cell.role in ("markdown", "raw"):
                continue
            if time.monotonic() > self.stop_at:
                self.notes.append("Grading stopped at the time limit for the whole notebook: "
                                  "the cells after that did not run.")
                results += [TestResult(c.grade_id, 0.0, c.points, "Not run: the notebook "
                                       "reached its time limit before this cell.")
                            for c in cells[index:] if c.role == "test"]
                break
            cell.cell["execution_count"] = index + 1
            if cell.role == "test":
                results.append(self._test(cell))
            else:
                if cell.role == "imports":
                    self._imports(cell)
                self._code(cell)
        self.notes += self.session.notes
        return results

    def _imports(self, cell: PlannedCell) -> None:
        """The course's own imports cell, run in the grader's namespace too: the names it
        binds (numpy, the checks) are the grader's, whatever the submission rebinds."""
        sys.path.insert(0, str(self.folder))    # provided modules (layers.py) are here
        try:
            exec(compile(cell.source, "<imports>", "exec"), self.namespace)
        finally:
            sys.path.remove(str(self.folder))
        self.trusted |= set(self.namespace)
        # Classes a check instantiates for the student's code to work on (a model whose arrays
        # it updates in place) are built in the submission's process, from dlcourse's own code.
        self.in_submission = {name: value for name, value in self.namespace.items()
                              if isinstance(value, type)
                              and getattr(value, "runs_with_the_submission", False)}

    def _code(self, cell: PlannedCell) -> None:
        self.session.deadline = time.monotonic() + self.cell_seconds
        try:
            reply = self.session.exec(cell.source, cell.label)
            if self.tested:
                # Once a test has called the submission, its process has seen the hidden
                # inputs, and what it prints could show them in the feedback.
                cell.cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text":
                                         "(output not kept when grading)\n"}]
            else:
                cell.cell["outputs"] = _sanitised(reply.get("outputs"))
        except CellTimeout:
            self.notes.append(f"The {cell.label} was stopped at the time limit of "
                              f"{self.cell_seconds:g} s: what it defines is missing.")
            cell.cell["outputs"] = [_error_output("TimeoutError", "time limit", [])]
        except (SubmissionStopped, SubmissionMisbehaved):
            self.notes.append(f"The {cell.label} stopped the process running the notebook "
                              "(exit, crash or out of memory): the cells after it ran in a "
                              "fresh process, without it.")
            cell.cell["outputs"] = [_error_output("ProcessStopped", "the process stopped", [])]
        finally:
            self.session.deadline = None

    def _test(self, cell: PlannedCell) -> TestResult:
        self.tested = True
        stdout = io.StringIO()
        self.session.deadline = time.monotonic() + self.cell_seconds
        lines: list[str]      # the lines of the error output, for a failure
        try:
            code = compile(cell.source, f"<{cell.label}>", "exec")
            used = _loaded_names(cell.source)
            wanted = [n for n in used if n not in self.trusted]
            if wanted:
                self.namespace.update(self.session.get(wanted))
            for name in set(used) & set(self.in_submission):
                self.namespace[name] = self.session.remote_class(self.in_submission[name])
            with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(io.StringIO()):
                exec(code, self.namespace)
            message, lines = "", []
        except Exception as error:   # every failure is the cell's result, never the grader's
            message, lines = _failure(error, cell, self.cell_seconds, self.hidden_seen)
        finally:
            self.session.deadline = None
            self.hidden_seen = self.hidden_seen or bool(_hidden_lines(cell.source))
        self._share(cell)
        outputs = [{"output_type": "stream", "name": "stdout", "text": stdout.getvalue()}] \
            if stdout.getvalue() else []
        if message:
            outputs.append(_error_output("AssertionError", message.splitlines()[0], lines))
        cell.cell["outputs"] = outputs
        return TestResult(cell.grade_id, 0.0 if message else cell.points, cell.points, message)

    def _share(self, cell: PlannedCell) -> None:
        """Copy the plain data a test cell assigned into the submission's namespace, as if
        the cell had run there (a later cell may use it)."""
        values = {}
        for name in dict.fromkeys(_assigned_names(cell.source)):
            value = self.namespace.get(name)
            size = _plain_size(value) if name in self.namespace else None
            if size is not None and size <= MAX_PUSHED_BYTES:
                values[name] = value
        if values:
            self.session.deadline = time.monotonic() + self.cell_seconds
            with contextlib.suppress(SubmissionStopped, SubmissionMisbehaved, TypeError):
                self.session.set(values)
            self.session.deadline = None


def run(planned: Plan, session: Session, *, folder: Path, cell_seconds: float,
        wall_seconds: float) -> Outcome:
    """Run ``planned`` with the submission's code in ``session``; judge its test cells here."""
    runner = Runner(session, folder=folder, cell_seconds=cell_seconds, wall_seconds=wall_seconds)
    try:
        tests = runner.run(planned.cells)
    finally:
        session.close()
    notebook = {"cells": [cell.cell for cell in planned.cells], "metadata": planned.metadata,
                "nbformat": 4, "nbformat_minor": 5}
    return Outcome(tests, [*planned.notes, *runner.notes], notebook)
