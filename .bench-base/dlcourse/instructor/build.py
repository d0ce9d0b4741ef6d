"""Build the nbgrader source notebooks from their reviewed jupytext sources, and release them.

Each assignment is written as a jupytext percent file, ``solutions/NN_name/NN_name.pct.py``,
which reads well in a diff. Cell headers carry a short form of nbgrader's metadata:

    # %% [markdown]                 prose
    # %%                            an ordinary code cell (demos, plots, experiments)
    # %% locked=true                a read-only cell (the imports every notebook starts with)
    # %% answer="perceptron_predict"          an autograded answer cell (has BEGIN/END SOLUTION)
    # %% test="perceptron_predict" points=2   a locked test cell worth 2 points

:func:`build_notebook` expands that into nbgrader's metadata (schema version 3, grade ids
``perceptron_predict`` / ``test_perceptron_predict``), gives cells ids that depend only on their
position and grade id, and checks what nbgrader would otherwise get wrong silently. The result is
byte-identical on every run, so ``course/`` can be committed and compared.
"""
from __future__ import annotations

import ast
from pathlib import Path
from typing import NamedTuple

import jupytext
import nbformat

from dlcourse.tools import nbgrader_adapter
from dlcourse.tools.nbgrader_adapter import SOURCE_SUFFIX

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")


class NotebookSourceError(ValueError):
    """A notebook source that nbgrader would mis-handle."""


def notebook_path(source: Path) -> Path:
    return source.with_name(source.name[: -len(SOURCE_SUFFIX)] + ".ipynb")


def _nbgrader_metadata(meta: dict, where: str, locked_id: str) -> dict | None:
    """Expand the short cell metadata of a source into nbgrader's."""
    if "answer" in meta:
        return nbgrader_adapter.answer_metadata(meta["answer"])
    if "test" in meta:
        points = meta.get("points")
        if not isinstance(points, (int, float)) or points <= 0:
            raise NotebookSourceError(f"{where}: test cell {meta['test']!r} needs points > 0.")
        return nbgrader_adapter.test_metadata(f"test_{meta['test']}", points)
    if meta.get("locked"):
        return nbgrader_adapter.locked_metadata(locked_id)
    return None


def _check_cell(cell: nbformat.NotebookNode, nbgrader: dict | None, where: str) -> None:
    text = cell.source
    kind = "answer" if nbgrader and nbgrader["solution"] else (
        "test" if nbgrader and nbgrader["grade"] else "other")
    present = [m for m in MARKERS if m in text]
    if cell.cell_type == "markdown" and present:
        # nbgrader matches these anywhere, prose included (pitfall 7).
        raise NotebookSourceError(f"{where}: markdown mentions {present[0]!r}; reword it.")
    if kind == "answer" and not {"BEGIN SOLUTION", "END SOLUTION"} <= set(present):
        raise NotebookSourceError(f"{where}: an answer cell needs ### BEGIN/END SOLUTION.")
    if kind != "answer" and ("BEGIN SOLUTION" in present or "END SOLUTION" in present):
        raise NotebookSourceError(f"{where}: solution markers outside an answer cell.")
    if kind != "test" and ("BEGIN HIDDEN TESTS" in present or "END HIDDEN TESTS" in present):
        raise NotebookSourceError(f"{where}: hidden-test markers outside a test cell.")
    if kind == "test":
        body = ast.parse(text).body
        # A test cell whose last line is a value shows it, and nbgrader reads a number shown by
        # a test cell as partial credit (pitfall 2).
        if body and isinstance(body[-1], ast.Expr) and not isinstance(body[-1].value, ast.Call):
            raise NotebookSourceError(f"{where}: a test cell must not end with a bare value.")


def build_notebook(source: Path) -> nbformat.NotebookNode:
    """The nbgrader source notebook described by a ``.pct.py`` file."""
    text = Path(source).read_text(encoding="utf-8")
    read = jupytext.reads(text, fmt="py:percent")
    notebook = nbformat.v4.new_notebook()
    # The assignment's name travels with every copy, so `dlcourse check` knows a notebook
    # fetched from JupyterHub or renamed by a student.
    notebook.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"},
                         "dlcourse": {"assignment": Path(source).parent.name}}
    seen_ids: set[str] = set()
    first_code = True
    for index, cell in enumerate(read.cells):
        where = f"{Path(source).name}:cell {index + 1}"
        meta = dict(cell.metadata)
        if cell.cell_type == "markdown":
            new = nbformat.v4.new_markdown_cell(cell.source)
        else:
            new = nbformat.v4.new_code_cell(cell.source)
        nbgrader = _nbgrader_metadata(meta, where, locked_id=f"locked-{index + 1:03d}")
        if cell.cell_type == "code" and first_code:
            first_code = False
            if not (nbgrader and nbgrader["locked"] and not nbgrader["grade"]):
                raise NotebookSourceError(f"{where}: the first code cell (imports) must be locked.")
        _check_cell(new, nbgrader, where)
        if nbgrader:
            if nbgrader["grade_id"] in seen_ids:
                raise NotebookSourceError(f"{where}: duplicate grade id {nbgrader['grade_id']!r}.")
            seen_ids.add(nbgrader["grade_id"])
            new.metadata["nbgrader"] = nbgrader
        if "tags" in meta:
            new.metadata["tags"] = list(meta["tags"])
        new.id = nbgrader["grade_id"] if nbgrader else f"cell-{index + 1:03d}"
        notebook.cells.append(new)
    nbformat.validate(notebook)
    return notebook


def render(notebook: nbformat.NotebookNode) -> str:
    return nbformat.writes(notebook) + "\n"


PROVIDED_TAG = "provided"


class ProvidedModule(NamedTuple):
    """A module built from one notebook's solution and released with later assignments.

    Later notebooks build on earlier answers (07-09 use the layers of 06). Those cannot live in
    ``dlcourse``, which students have from day one; so the cells of ``source`` tagged ``tag``
    (``# %% answer="linear" tags=["provided"]``) are written, solution markers dropped, into
    ``solutions/<receiver>/<filename>`` for each receiver folder that exists, and nbgrader
    releases that file with the receiver's notebook. One tag per module: one concept a file.
    """
    filename: str               # e.g. "layers.py"
    source: str                 # the assignment whose tagged cells it holds
    summary: str                # the first line of its docstring
    imports: str                # its own imports (the notebook's imports cell holds more)
    receivers: tuple[str, ...]  # the assignments it is released with
    tag: str = PROVIDED_TAG     # the cell tag that selects its cells


PROVIDED_MODULES = (
    ProvidedModule("layers.py", "06_mnist_mlp",
                   "Notebook 06's layers (Linear, ReLU, SoftmaxCrossEntropy, Sequential) "
                   "and helpers.",
                   "import numpy as np", ("07_cnn", "08_optimizers", "09_regularization",
                                          "11_rnn")),
    ProvidedModule("training_loop.py", "06_mnist_mlp",
                   "Notebook 06's training loop (minibatch_indices, evaluate, train).",
                   "import time\n\nimport numpy as np\nfrom tqdm.auto import tqdm",
                   ("07_cnn", "08_optimizers", "09_regularization", "10_capstone", "11_rnn"),
                   tag="provided:training_loop"),
)


def provided_module_text(module: ProvidedModule, notebook: nbformat.NotebookNode) -> str:
    """The text of ``module``, from the built solution notebook of ``module.source``."""
    cells = [cell.source for cell in notebook.cells
             if module.tag in cell.metadata.get("tags", [])]
    if not cells:
        raise NotebookSourceError(f"{module.source}: no cell is tagged {module.tag!r} for "
                                  f"{module.filename}.")
    code = ["\n".join(line for line in cell.splitlines()
                      if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION"))
            for cell in cells]
    header = (f'"""{module.summary}\n\nGenerated by `dlcourse release` from the cells tagged '
              f'"{module.tag}" in\nsolutions/{module.source}/{module.source}{SOURCE_SUFFIX}: '
              'edit that file, not this one.\n"""')
    return f"{header}\n\n{module.imports}\n\n\n" + "\n\n\n".join(code).rstrip() + "\n"


def _edited_by_hand(target: Path, source: Path, text: str) -> bool:
    """Whether the built notebook differs from ``text`` and is newer than its source: someone
    changed the ``.ipynb`` itself (a stale one is older than the ``.pct.py`` it came from)."""
    return (target.is_file() and target.read_text(encoding="utf-8") != text
            and target.stat().st_mtime > source.stat().st_mtime)


def _write_if_changed(target: Path, text: str, changed: list[Path], check_only: bool) -> None:
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        changed.append(target)
        if not check_only:
            target.write_text(text, encoding="utf-8")


def build_all(root: Path, *, check_only: bool = False,
              provided: tuple[ProvidedModule, ...] = PROVIDED_MODULES) -> list[Path]:
    """Write every ``.ipynb`` whose ``.pct.py`` changed, and every provided module that is out
    of date; return those (to be) rewritten."""
    changed: list[Path] = []
    built = {}
    for source in sources(root):
        built[source.parent.name] = notebook = build_notebook(source)
        target = notebook_path(source)
        if not check_only and _edited_by_hand(target, source, render(notebook)):
            raise NotebookSourceError(
                f"{target.relative_to(root)} was edited after {source.name} (in Jupyter, the "
                f"usual nbgrader way?), and releasing would throw that edit away. Make the "
                f"change in {source.relative_to(root)} (e.g. `jupytext --update --to py:percent "
                f"{target.name}` gives the edited cells as text to copy over), or discard it "
                f"with `git checkout -- {target.relative_to(root)}`, then release again.")
        _write_if_changed(target, render(notebook), changed, check_only)
    for module in provided:
        receivers = [root / "solutions" / name for name in module.receivers]
        receivers = [folder for folder in receivers if folder.is_dir()]
        if module.source in built and receivers:
            text = provided_module_text(module, built[module.source])
            for folder in receivers:
                _write_if_changed(folder / module.filename, text, changed, check_only)
    return changed


def sources(root: Path) -> list[Path]:
    """Every notebook source, in course order."""
    return [root / nbgrader_adapter.SOURCE_DIR / name / f"{name}{SOURCE_SUFFIX}"
            for name in nbgrader_adapter.assignments(root)]


def release(root: Path, names: list[str] | None = None) -> list[Path]:
    """Build the source notebooks, then the student release (assignments registered in the
    gradebook, so plain ``nbgrader autograde`` works in a fresh clone). Returns the rebuilt
    notebooks."""
    changed = build_all(root)
    nbgrader_adapter.generate_release(root, names)
    return changed


def run_release(args) -> int:
    root = nbgrader_adapter.find_root(Path(args.root) if args.root else None)
    names = args.assignments or nbgrader_adapter.assignments(root)
    for path in release(root, names):
        print(f"rebuilt {path.relative_to(root)}")
    print(f"released {', '.join(names)} into {root / nbgrader_adapter.RELEASE_DIR}")
    return 0


def add_command(commands) -> None:
    parser = commands.add_parser(
        "release", help="rebuild solutions/*.ipynb from their .pct.py sources, regenerate "
                        "course/ and register the assignments in the gradebook")
    parser.add_argument("assignments", nargs="*", help="e.g. 01_perceptron (default: all)")
    parser.add_argument("--root", help="course root (default: found above the current folder)")
    parser.set_defaults(run=run_release)
