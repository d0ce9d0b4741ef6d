"""`dlcourse reset NOTEBOOK`: a fresh copy of one notebook, yours kept beside it.

    dlcourse reset course/01_perceptron/01_perceptron.ipynb

renames your notebook to ``01_perceptron.mine.ipynb`` (``.mine-2`` and so on if that exists)
and puts the notebook as released in its place, with the assignment's other released files
(a provided ``layers.py``) put back if they are missing. Nothing is deleted. The released
copies come from the student kit (``.dlcourse/release/`` at its top).
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

PRISTINE = Path(".dlcourse") / "release"


def pristine_folder(notebook: Path, assignment: str) -> Path | None:
    """The kit's released copy of ``assignment``, found above ``notebook``, or None."""
    for folder in notebook.resolve().parents:
        candidate = folder / PRISTINE / assignment
        if candidate.is_dir():
            return candidate
    return None


def assignment_of(notebook: Path) -> str:
    """The assignment a notebook belongs to: recorded in it, else its file name."""
    try:
        recorded = json.loads(notebook.read_text(encoding="utf-8"))["metadata"]["dlcourse"]
        return str(recorded["assignment"])
    except (OSError, ValueError, KeyError, TypeError):
        return notebook.stem


def set_aside(notebook: Path) -> Path:
    """A free name beside ``notebook`` for the student's own copy."""
    target, n = notebook.with_name(f"{notebook.stem}.mine.ipynb"), 2
    while target.exists():
        target, n = notebook.with_name(f"{notebook.stem}.mine-{n}.ipynb"), n + 1
    return target


def reset(notebook: Path) -> list[str]:
    """Replace ``notebook`` by the released copy; return what was done, one line each."""
    assignment = assignment_of(notebook) if notebook.is_file() else notebook.stem
    source = pristine_folder(notebook, assignment)
    if source is None or not (source / f"{assignment}.ipynb").is_file():
        raise FileNotFoundError(
            f"No released copy of {assignment} found above {notebook} (the kit keeps them in "
            f"{PRISTINE}/). Download the notebook again instead.")
    done = []
    if notebook.exists():
        kept = set_aside(notebook)
        notebook.rename(kept)
        done.append(f"Your notebook is now {kept}.")
    notebook.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source / f"{assignment}.ipynb", notebook)
    done.append(f"{notebook} is a fresh copy of {assignment}.")
    for other in sorted(source.iterdir()):
        if other.is_file() and other.suffix != ".ipynb" and not (notebook.parent / other.name
                                                                 ).exists():
            shutil.copy(other, notebook.parent / other.name)
            done.append(f"{notebook.parent / other.name} was missing: put back.")
    return done


def run_command(args) -> int:
    try:
        lines = reset(Path(args.notebook))
    except FileNotFoundError as error:
        print(error)
        return 1
    print("\n".join(lines))
    print("Paste your answers back into the fresh copy's `# YOUR CODE HERE` cells (the code, "
          "not the cells), then run `dlcourse check` on it.")
    return 0


def add_command(commands) -> None:
    parser = commands.add_parser(
        "reset", help="replace a notebook by a fresh copy of the release, keeping yours as "
                      "NAME.mine.ipynb")
    parser.add_argument("notebook", help="e.g. course/01_perceptron/01_perceptron.ipynb")
    parser.set_defaults(run=run_command)
