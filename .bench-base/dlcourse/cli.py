"""The `dlcourse` command (also `python -m dlcourse`).

Each command's module is imported only when that command runs, so a student's
`dlcourse data status` or `dlcourse check` does not pay for the instructor's tools.
"""
from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys

import dlcourse

# command -> (module that defines it with add_command(subparsers), one-line help)
COMMANDS = {
    "lab": ("dlcourse.tools.lab", "open JupyterLab on the course's notebooks"),
    "check": ("dlcourse.tools.check", "run your notebook(s) as grading will; points per test"),
    "reset": ("dlcourse.tools.reset", "replace a notebook by a fresh copy, keeping yours aside"),
    "data": ("dlcourse.data.mnist", "download MNIST into the cache, or show what is there"),
    "release": ("dlcourse.instructor.build", "instructor: build the notebooks, regenerate "
                                             "course/, register the assignments"),
    "grade": ("dlcourse.instructor.grade", "instructor: grade a folder of submissions"),
    "report": ("dlcourse.instructor.course_report", "instructor: run every solution notebook "
                                                    "and report times, points, results"),
    "kit": ("dlcourse.instructor.kit", "instructor: build the student kit of the assignments "
                                       "released so far"),
}


def available() -> dict[str, tuple[str, str]]:
    """The commands installed here: a student's install has no instructor commands."""
    found = {}
    for name, (module, summary) in COMMANDS.items():
        try:
            # The package only (dlcourse.tools, dlcourse.instructor): found, never imported.
            if importlib.util.find_spec(module.rpartition(".")[0]) is not None:
                found[name] = (module, summary)
        except ModuleNotFoundError:   # its package (dlcourse.instructor) is not installed
            pass
    return found


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser, with the full arguments of ``command`` only (the others listed by name)."""
    parser = argparse.ArgumentParser(prog="dlcourse", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"dlcourse {dlcourse.__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (module, summary) in available().items():
        if name == command:
            register = getattr(importlib.import_module(module),
                               "add_data_command" if name == "data" else "add_command")
            register(commands)
        else:
            commands.add_parser(name, help=summary)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    command = next((word for word in argv if not word.startswith("-")), None)
    parser = build_parser(command if command in available() else None)
    args, extra = parser.parse_known_args(argv)
    if extra and not getattr(args, "passes_on", False):
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.extra = extra   # e.g. JupyterLab's own arguments, for `dlcourse lab`
    return args.run(args)
