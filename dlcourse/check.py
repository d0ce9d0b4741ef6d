"""`dlcourse check`: run a student's notebook as nbgrader will, and say what it would score.

The notebook runs headless the way nbgrader's validator runs it (``NBGRADER_EXECUTION`` set, so
training takes its short version), each graded cell is scored with nbgrader's own rule (an error
or any stderr output scores 0), and its graded cells are compared with the assignment's: a
deleted, duplicated or renamed graded cell is reported with the way back.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from . import nbgrading, notebooks
from .report import format_table, strip_ansi

MESSAGE_LINES = 4        # lines of a failure message shown in a table
MESSAGE_WIDTH = 100      # characters per line shown


class UnreadableNotebook(ValueError):
    """A file that is not a notebook nbgrader can read (e.g. truncated JSON)."""


@dataclass
class CellResult:
    grade_id: str
    score: float
    max_score: float
    message: str = ""     # why it lost points: the first lines of the error, or a diagnosis


@dataclass
class CheckResult:
    notebook: Path
    assignment: str
    cells: list[CellResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)   # what is wrong with the cells themselves
    error: str = ""                                      # the notebook could not be run at all

    @property
    def ok(self) -> bool:
        return not self.error and not self.problems and all(
            cell.score == cell.max_score for cell in self.cells)


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """A notebook from disk, or :class:`UnreadableNotebook` saying why not."""
    try:
        notebook = nbformat.read(str(path), as_version=4)
        nbformat.validate(notebook)
    except (OSError, json.JSONDecodeError, nbformat.ValidationError, nbformat.reader.NotJSONError,
            UnicodeDecodeError, KeyError, TypeError, AttributeError) as error:
        raise UnreadableNotebook(
            f"{path.name} is not a readable notebook ({type(error).__name__}: "
            f"{str(error).splitlines()[0][:MESSAGE_WIDTH]}).") from error
    return notebook


def _nbgrader_cells(notebook) -> list[tuple[str, str]]:
    """(grade id, cell type) of every cell carrying nbgrader metadata, in order."""
    return [(cell["metadata"]["nbgrader"]["grade_id"], cell["cell_type"])
            for cell in notebook["cells"]
            if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")]


def _describe(grade_id: str, points: dict[str, float]) -> str:
    """A cell named for a student: "The test cell `test_step` (1 point)"."""
    if grade_id in points:
        plural = "" if points[grade_id] == 1 else "s"
        return f"The test cell `{grade_id}` ({points[grade_id]:g} point{plural})"
    if grade_id.startswith("locked-"):
        return f"The read-only cell `{grade_id}` (the imports)"
    return f"The answer cell `{grade_id}`"


def structure_problems(notebook, source: Path) -> list[str]:
    """How the graded cells of ``notebook`` differ from those of the assignment's source notebook
    ``source``: deleted, duplicated, unknown to the assignment (ids changed), or of another type.
    Each problem is one sentence saying what nbgrader will do about it."""
    expected = dict(_nbgrader_cells(json.loads(source.read_text(encoding="utf-8"))))
    points = notebooks.notebook_summary(source)
    found = _nbgrader_cells(notebook)
    counts = Counter(grade_id for grade_id, _ in found)
    problems = []
    for grade_id in expected:
        if grade_id not in counts:
            consequence = ("it is put back from the original and run when graded"
                           if grade_id in points else
                           "what it defined is missing, so the tests that need it score 0")
            problems.append(f"{_describe(grade_id, points)} was deleted: "
                            f"{consequence}.")
    for grade_id, count in counts.items():
        if count > 1:
            problems.append(f"{_describe(grade_id, points)} appears {count} times "
                            "(copied?): only the last copy counts when graded.")
        elif grade_id not in expected:
            problems.append(f"A cell has the id `{grade_id}`, which this assignment does not have "
                            "(ids edited, or a cell pasted from another notebook): it is ignored "
                            "when graded.")
    for grade_id, cell_type in dict(found).items():
        if grade_id in expected and cell_type != expected[grade_id]:
            problems.append(f"{_describe(grade_id, points)} was turned from a "
                            f"{expected[grade_id]} cell into a {cell_type} cell.")
    return problems


def edited_locked_cells(notebook) -> list[str]:
    """The read-only cells (imports, tests) whose source no longer matches its checksum."""
    from nbgrader import utils

    return [f"The read-only cell `{cell.metadata.nbgrader.grade_id}` was edited: this check ran "
            "your version, but grading puts the original back."
            for cell in notebook.cells
            if utils.is_locked(cell) and "checksum" in cell.metadata.nbgrader
            and utils.compute_checksum(cell) != cell.metadata.nbgrader.checksum]


def recovery_advice(notebook: Path, assignment: str) -> str:
    """What to do about a mangled notebook: a fresh copy, with the answers pasted back in."""
    mine = notebook.with_name(f"{notebook.stem}.mine.ipynb")
    return (f"To recover: keep your work under another name ({mine.name}), fetch a fresh copy of "
            f"course/{assignment}/{assignment}.ipynb (`git checkout -- "
            f"course/{assignment}/{assignment}.ipynb` after renaming yours, or download it "
            "again), then paste your answers into its `# YOUR CODE HERE` cells. Never copy, "
            "delete or edit the test cells: nbgrader finds cells by their hidden ids.")


def timed_out(cell) -> bool:
    """Whether nbgrader stopped this cell at the per-cell timeout."""
    return any(output.get("ename") == "CellTimeoutError" for output in cell.get("outputs", []))


def failure_message(cell, timeout: float | None = None) -> str:
    """Why a graded cell scored less than full marks, in at most a few lines."""
    if timed_out(cell):
        limit = f" of {timeout:g} s" if timeout else ""
        return (f"Stopped at the time limit{limit} per cell: an infinite loop, or a loop much "
                "slower than it should be?")
    for output in cell.get("outputs", []):
        if output["output_type"] == "error":
            name, value = output["ename"], output["evalue"]
            if name == "NotImplementedError":
                return ("NotImplementedError: an answer it tests is still the stub; replace\n"
                        "`raise NotImplementedError()` with your code.")
            if name == "NameError":
                return (f"NameError: {value}. Was an answer cell deleted, or the function "
                        "renamed?")
            return _first_lines(f"{name}: {value}")
        if output["output_type"] == "stream" and output["name"] == "stderr":
            return _first_lines("Wrote to stderr, which nbgrader scores as a failure (a warning? "
                                "a progress bar?):\n" + output["text"])
    return "Printed a number as the cell's result, which nbgrader reads as partial credit."


def _first_lines(text: str) -> str:
    lines = [line[:MESSAGE_WIDTH] for line in strip_ansi(text).strip().splitlines()]
    lines = lines[:MESSAGE_LINES]
    return "\n".join(lines)


def execute(notebook: nbformat.NotebookNode, folder: Path, root: Path,
            timeout: float | None = None) -> nbformat.NotebookNode:
    """Run ``notebook`` in ``folder`` as nbgrader's validator does: outputs cleared, then every
    cell executed with the course's per-cell timeout and NBGRADER_EXECUTION=validate."""
    from nbgrader import utils
    from nbgrader.preprocessors import ClearOutput, Execute

    config = nbgrading.load_config(root)
    if timeout is not None:
        config.Execute.timeout = timeout
    resources = {"metadata": {"path": str(folder)}}
    with utils.setenv(NBGRADER_VALIDATING="1", NBGRADER_EXECUTION="validate",
                      PYTHONWARNINGS="ignore"), utils.chdir(str(folder)):
        for preprocessor in (ClearOutput, Execute):
            notebook, resources = preprocessor(config=config).preprocess(notebook, resources)
    return notebook


def assignment_of(path: Path, notebook, root: Path) -> str:
    """The assignment a notebook belongs to: its name, else the one sharing most grade ids."""
    known = notebooks.assignments(root)
    if path.stem in known:
        return path.stem
    ids = {grade_id for grade_id, _ in _nbgrader_cells(notebook)}
    overlap = {name: len(ids & set(notebooks.notebook_summary(_source(root, name))))
               for name in known}
    best = max(overlap, key=overlap.get, default=None)
    if not best or not overlap[best]:
        raise ValueError(f"{path.name}: which assignment is this? Name it after one of "
                         f"{', '.join(known)}.")
    return best


def _source(root: Path, assignment: str) -> Path:
    return root / "solutions" / assignment / f"{assignment}.ipynb"


def check(path: Path, root: Path, timeout: float | None = None) -> CheckResult:
    """Run a student's notebook and score each graded cell as nbgrader's autograde would."""
    from nbgrader import utils

    path = Path(path).resolve()
    try:
        notebook = read_notebook(path)
    except UnreadableNotebook as error:
        assignment = path.stem if path.stem in notebooks.assignments(root) else "?"
        return CheckResult(path, assignment, error=str(error))
    try:
        assignment = assignment_of(path, notebook, root)
    except ValueError as error:
        return CheckResult(path, "?", error=str(error))
    source = _source(root, assignment)
    result = CheckResult(path, assignment, problems=structure_problems(notebook, source)
                         + edited_locked_cells(notebook))
    if timeout is None:
        timeout = nbgrading.load_config(root).Execute.timeout
    executed = execute(notebook, path.parent, root, timeout)
    for cell in executed.cells:
        if utils.is_grade(cell) and cell.cell_type == "code":
            score, max_score = utils.determine_grade(cell)
            message = "" if score == max_score else failure_message(cell, timeout)
            result.cells.append(CellResult(cell.metadata.nbgrader.grade_id, score or 0.0,
                                           max_score, message))
    graded = {cell.grade_id for cell in result.cells}
    order = list(notebooks.notebook_summary(source).items())
    for grade_id, points in order:
        if grade_id not in graded:
            result.cells.append(CellResult(grade_id, 0.0, points, "Missing from your notebook."))
    position = {grade_id: i for i, (grade_id, _) in enumerate(order)}
    result.cells.sort(key=lambda cell: position.get(cell.grade_id, len(position)))
    return result


def format_result(result: CheckResult) -> str:
    """The report a student reads: a table of graded cells, then what to do."""
    lines = [f"{result.notebook.name} ({result.assignment})"]
    if result.error:
        advice = [] if result.assignment == "?" else [recovery_advice(result.notebook,
                                                                      result.assignment)]
        return "\n".join(lines + [result.error, *advice])
    rows = [(cell.grade_id, f"{cell.score:g} / {cell.max_score:g}",
             "passed" if not cell.message else cell.message) for cell in result.cells]
    total = sum(cell.score for cell in result.cells)
    possible = sum(cell.max_score for cell in result.cells)
    rows.append(("total", f"{total:g} / {possible:g}", ""))
    lines.append(format_table(("cell", "points", "result"), rows))
    if result.problems:
        lines += ["", "Your notebook's graded cells do not match the assignment:"]
        lines += [f"- {problem}" for problem in result.problems]
        lines.append(recovery_advice(result.notebook, result.assignment))
    return "\n".join(lines)


def default_notebooks(folder: Path, root: Path) -> list[Path]:
    """The assignments' notebooks in ``folder``, else in its subfolders (e.g. from course/)."""
    names = {f"{name}.ipynb" for name in notebooks.assignments(root)}
    here = sorted(p for p in folder.glob("*.ipynb") if p.name in names)
    return here or sorted(p for p in folder.glob("*/*.ipynb") if p.name in names)


def _course_root(args) -> Path:
    """The course root given, else the one above the first notebook, else above the cwd."""
    if args.root:
        return notebooks.find_root(Path(args.root))
    if args.notebooks:
        try:
            return notebooks.find_root(Path(args.notebooks[0]).resolve().parent)
        except FileNotFoundError:
            pass
    return notebooks.find_root()


def _run(args) -> int:
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
    print("All graded cells pass." if ok else "Something fails: see above.")
    return 0 if ok else 1


def add_command(commands) -> None:
    parser = commands.add_parser(
        "check", help="run your notebook(s) as nbgrader will and show the points of each test")
    parser.add_argument("notebooks", nargs="*",
                        help="notebooks to check (default: the assignments' notebooks here)")
    parser.add_argument("--timeout", type=float, help="seconds per cell (default: the course's)")
    parser.add_argument("--root", help="course root (default: found above the notebook, or "
                                       "above the current folder)")
    parser.set_defaults(run=_run)
