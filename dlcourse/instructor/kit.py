"""`dlcourse kit`: the student kit, built from this repository by one command.

The kit is what an instructor publishes (a separate repository, an archive, a JupyterHub image)
for the assignments released so far:

    README.md                 the student README: set up, open, check, reset, submit, update
    docs/students.md          the student guide (what the messages mean, recovering a notebook)
    pyproject.toml            the student install: the runtime's dependencies, no dev extras
    dlcourse/                 the runtime and `dlcourse check`; never dlcourse/instructor/
    jupyter/                  Jupyter config installed into the student's environment: the
                              instructor's nbgrader panels off and locked (see student_kit/)
    course/NN_name/           the released notebooks (and provided modules) of each assignment
    .dlcourse/release/NN_name pristine copies, for `dlcourse reset`
    .dlcourse/kit.json        what the kit holds

It never holds solutions/, grading/, tests/, a notebook source or a wrong answer: the kit is
built from an allow-list, and :func:`find_leaks` scans every file of it for every non-trivial
statement of every solution cell and every name defined in grading/ before it is written.
"""
from __future__ import annotations

import ast
import json
import re
import shutil
import tempfile
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import dlcourse
from dlcourse.instructor import exchange as exchange_config
from dlcourse.instructor.build import PROVIDED_MODULES
from dlcourse.tools import nbgrader_adapter

STUDENT_FILES = Path(__file__).resolve().parent / "student_kit"
# Subpackages of dlcourse that students never get.
INSTRUCTOR_ONLY = ("instructor",)
# The student install: what notebooks, `dlcourse check` and the Validate button need.
# nbgrader: the Validate button (and the Assignment List where an exchange is configured).
STUDENT_DEPENDENCIES = ("numpy", "matplotlib", "tqdm", "jupyterlab", "nbgrader", "ipython",
                        "nbformat")
PRISTINE = Path(".dlcourse") / "release"
MANIFEST = Path(".dlcourse") / "kit.json"

# A solution statement this plain says nothing about the answer (and appears in any code).
TRIVIAL_STATEMENT = re.compile(r"""^(
    pass | continue | break | return | else: | try: | finally:
  | (return\s+)? [\w.]+ (\s*,\s*[\w.]+)* ,?          # a name, or names: return out, cache
  | [)\]}]+ [,:]?                                    # closing brackets
  | for\s+[\w, ]+\s+in\s+range\([\w.]+\):            # for epoch in range(epochs):
  | \#.*                                             # a comment
)$""", re.X)


class KitError(ValueError):
    """The kit asked for cannot be built (an unknown assignment, answers that would go out)."""


# --- what must never be in a kit -------------------------------------------------------------
def solution_statements(root: Path, allowed_sources: tuple[str, ...] = ()) -> dict[str, str]:
    """{statement: assignment} for every non-trivial line between BEGIN and END SOLUTION in the
    answer cells of the solution notebooks.

    Lines the release itself shows (a formula quoted in a test's hint, a class's scaffolding)
    are not answers. Neither are the cells a provided module is built from when its source
    assignment is in ``allowed_sources`` (that module goes out with the later assignments).
    """
    shown = {line.strip() for path in (root / nbgrader_adapter.RELEASE_DIR).glob("*/*.ipynb")
             for cell in nbgrader_adapter.read_json(path)["cells"]
             for line in nbgrader_adapter.cell_source(cell).splitlines()}
    provided = {module.tag for module in PROVIDED_MODULES if module.source in allowed_sources}
    found: dict[str, str] = {}
    for assignment in nbgrader_adapter.assignments(root):
        notebook = nbgrader_adapter.read_json(nbgrader_adapter.source_notebook(root, assignment))
        for cell in notebook["cells"]:
            info = nbgrader_adapter.graded_cell(cell)
            if not info or info.role != "answer":
                continue
            if provided & set(cell["metadata"].get("tags", [])):
                continue
            inside = False
            for line in nbgrader_adapter.cell_source(cell).splitlines():
                statement = line.strip()
                if "### BEGIN SOLUTION" in statement or "### END SOLUTION" in statement:
                    inside = "BEGIN" in statement
                elif inside and statement and statement not in shown \
                        and not TRIVIAL_STATEMENT.match(statement):
                    found.setdefault(statement, assignment)
    return found


def grading_names(root: Path) -> set[str]:
    """Every function and class defined at the top level of grading/ (the hidden checks)."""
    return {node.name for path in (root / "grading").glob("*.py")
            for node in ast.parse(path.read_text(encoding="utf-8")).body
            if isinstance(node, (ast.FunctionDef, ast.ClassDef))}


def _name_pattern(name: str) -> re.Pattern:
    # A plain word (`reference`) is an answer only where it is called or defined.
    return re.compile(rf"\b{re.escape(name)}\b" + ("" if "_" in name else r"\s*\("))


@dataclass(frozen=True)
class Leak:
    path: str       # relative to the kit
    what: str       # "solution of 04_numerical_gradients" or "grading/ name"
    text: str


def find_leaks(kit: Path, root: Path, allowed_sources: tuple[str, ...] = (),
               known: dict[str, str] | None = None) -> list[Leak]:
    """Every solution statement and grading/ name found in any file of ``kit``.

    ``known`` maps "relative/path:statement" to why that overlap is accepted."""
    statements = solution_statements(root, allowed_sources)
    names = {name: _name_pattern(name) for name in grading_names(root)}
    leaks = []
    for path in sorted(p for p in kit.rglob("*") if p.is_file()):
        relative = path.relative_to(kit).as_posix()
        text = path.read_bytes().decode("utf-8", errors="replace")
        if path.suffix == ".ipynb":   # the lines as written, not JSON-escaped
            text = "\n".join(nbgrader_adapter.cell_source(cell)
                             for cell in json.loads(text).get("cells", []))
        lines = {line.strip() for line in text.splitlines()}
        for statement, assignment in statements.items():
            if statement in lines and f"{relative}:{statement}" not in (known or {}):
                leaks.append(Leak(relative, f"solution of {assignment}", statement))
        leaks += [Leak(relative, "grading/ name", name)
                  for name, pattern in names.items() if pattern.search(text)]
    return leaks


# --- building --------------------------------------------------------------------------------
def check_assignments(root: Path, assignments: list[str], due: list[str]) -> None:
    """Refuse a kit that names an unknown assignment, or that would hand out a provided module
    (which holds an earlier assignment's answers) before that assignment is due."""
    known = nbgrader_adapter.assignments(root)
    unknown = [name for name in [*assignments, *due] if name not in known]
    if unknown:
        raise KitError(f"No assignment {', '.join(unknown)}; the course has {', '.join(known)}.")
    for module in PROVIDED_MODULES:
        early = [name for name in assignments if name in module.receivers]
        if early and module.source not in due:
            raise KitError(
                f"{', '.join(early)} come{'s' if len(early) == 1 else ''} with "
                f"{module.filename}, which holds the answers of {module.source}. Add "
                f"`--due {module.source}` once {module.source}'s deadline has passed.")


def _student_pyproject(root: Path, extra: Sequence[str] = ()) -> str:
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pinned = {re.split(r"[^A-Za-z0-9_.\-]", spec, maxsplit=1)[0].lower(): spec
              for spec in project["dependencies"]}
    dependencies = "".join(f'    "{pinned.get(name, name)}",\n' for name in STUDENT_DEPENDENCIES)
    packages = ", ".join(f'"{name}"' for name in _packages(root))
    folders: dict[str, list[str]] = {}
    for folder, path in _jupyter_files():
        target = "etc/jupyter" + ("" if folder == "." else f"/{folder}")
        source = "jupyter" + ("" if folder == "." else f"/{folder}")
        folders.setdefault(target, []).append(f'"{source}/{path.name}"')
    for name in extra:     # files of the kit's own jupyter/ folder, e.g. the nbgrader config
        folders.setdefault("etc/jupyter", []).append(f'"jupyter/{name}"')
    config = "".join(f'"{target}" = [{", ".join(files)}]\n' for target, files in folders.items())
    return f"""\
# The student install of dlcourse: `pip install .` in this folder (see README.md).
# Built by `dlcourse kit` from the course repository: edit that, not this file.
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "dlcourse"
version = "{project['version']}"
description = "{project['description']}"
requires-python = "{project['requires-python']}"
dependencies = [
{dependencies}]

[project.scripts]
dlcourse = "dlcourse.cli:main"

[tool.setuptools]
packages = [{packages}]

# Jupyter reads these from the environment: nbgrader's instructor panels off and locked.
[tool.setuptools.data-files]
{config}"""


def _packages(root: Path) -> list[str]:
    return sorted(".".join(path.parent.relative_to(root).parts)
                  for path in (root / "dlcourse").rglob("__init__.py")
                  if not set(path.parent.relative_to(root / "dlcourse").parts) & set(
                      INSTRUCTOR_ONLY))


def _jupyter_files() -> list[tuple[str, Path]]:
    """(folder under etc/jupyter, file) of the Jupyter config the kit installs."""
    base = STUDENT_FILES / "jupyter"
    return sorted((path.parent.relative_to(base).as_posix(), path)
                  for path in base.rglob("*") if path.is_file())


def build(root: Path, out: Path, assignments: list[str], due: Sequence[str] = (),
          known_overlaps: dict[str, str] | None = None, exchange: str | None = None) -> Path:
    """Write the student kit for ``assignments`` into ``out`` (which must not exist or be
    empty); return ``out``. With ``exchange`` (the nbgrader exchange folder as students'
    servers see it), the kit carries the course id and that folder, so students' nbgrader
    commands and Assignment List need no flag. Raises KitError when it would hold an answer."""
    root, out = Path(root).resolve(), Path(out).resolve()
    due = list(due)
    check_assignments(root, assignments, due)
    if out.exists() and any(out.iterdir()):
        raise KitError(f"{out} is not empty: the kit is written into a new folder.")
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", ".*")
    with tempfile.TemporaryDirectory(prefix="dlcourse-kit-") as scratch:
        kit = Path(scratch) / "kit"
        shutil.copytree(root / "dlcourse", kit / "dlcourse",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", *INSTRUCTOR_ONLY))
        for assignment in assignments:
            release = root / nbgrader_adapter.RELEASE_DIR / assignment
            shutil.copytree(release, kit / "course" / assignment, ignore=skip)
            shutil.copytree(release, kit / PRISTINE / assignment, ignore=skip)
        for folder, path in _jupyter_files():
            (kit / "jupyter" / folder).mkdir(parents=True, exist_ok=True)
            shutil.copy(path, kit / "jupyter" / folder / path.name)
        (kit / "docs").mkdir()
        shutil.copy(root / "docs" / "students.md", kit / "docs" / "students.md")
        shutil.copy(STUDENT_FILES / "README.md", kit / "README.md")
        shutil.copy(STUDENT_FILES / "gitignore", kit / ".gitignore")
        extra = []
        if exchange:
            (kit / "jupyter" / exchange_config.CONFIG_NAME).write_text(
                exchange_config.student_config(exchange), encoding="utf-8")
            extra.append(exchange_config.CONFIG_NAME)
        (kit / "pyproject.toml").write_text(_student_pyproject(root, extra), encoding="utf-8")
        (kit / MANIFEST).write_text(json.dumps(
            {"dlcourse": dlcourse.__version__, "assignments": assignments, "due": due},
            indent=2) + "\n", encoding="utf-8")
        leaks = find_leaks(kit, root, tuple(due), known_overlaps)
        if leaks:
            raise KitError("The kit would hold answers; nothing was written:\n" + "\n".join(
                f"  {leak.path}: {leak.what}: {leak.text}" for leak in leaks[:20]))
        out.mkdir(parents=True, exist_ok=True)
        shutil.copytree(kit, out, dirs_exist_ok=True)
    return out


# Overlaps between dlcourse's own code and a solution, accepted until they are removed: the
# numerical gradient behind dlcourse.testing.check_backward (public tests of 05-09, run in the
# student's kernel) is, statement for statement, the loop of notebook 04's numerical_gradient.
# Removing it needs another way to check backward passes in public tests (an authoring decision).
KNOWN_OVERLAPS = {
    f"dlcourse/testing.py:{statement}": "check_backward's numerical gradient = 04's answer loop"
    for statement in ("for index in np.ndindex(x.shape):", "original = x[index]",
                      "x[index] = original + h", "x[index] = original - h")
}


def run_command(args) -> int:
    root = nbgrader_adapter.find_root(Path(args.root) if args.root else None)
    try:
        out = build(root, Path(args.out), args.assignments, args.due or [], KNOWN_OVERLAPS,
                    exchange=args.exchange)
    except KitError as error:
        print(f"dlcourse kit: {error}")
        return 2
    files = [p for p in out.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    print(f"Wrote the student kit for {', '.join(args.assignments)} to {out} "
          f"({len(files)} files, {size / 1e6:.1f} MB). Publish that folder; its README.md "
          "says how students set it up.")
    return 0


def add_command(commands) -> None:
    parser = commands.add_parser(
        "kit", help="instructor: build the student kit (released notebooks, the student "
                    "install of dlcourse, a README) for the assignments released so far")
    parser.add_argument("assignments", nargs="+", metavar="ASSIGNMENT",
                        help="the assignments released so far, e.g. 01_perceptron 02_activations")
    parser.add_argument("--out", required=True, help="the new folder to write the kit into")
    parser.add_argument("--due", action="append", metavar="ASSIGNMENT",
                        help="an assignment whose deadline has passed, so that the modules "
                             "built from its answers may go out (06_mnist_mlp -> layers.py and "
                             "training_loop.py of 07-11; 07, 08, 09 -> the modules of "
                             "10_capstone); repeat for several")
    parser.add_argument("--exchange", metavar="FOLDER",
                        help="the nbgrader exchange, as students' servers see it (on "
                             "JupyterHub): the kit then carries it and the course id, so "
                             "students type no --course flag")
    parser.add_argument("--root", help="course root (default: found above the current folder)")
    parser.set_defaults(run=run_command)
