"""`dlcourse lab`: JupyterLab on the course's notebooks, with JupyterLab's own arguments.

    dlcourse lab                              opens course/ (or the current folder)
    dlcourse lab --no-browser --port 8890     any `jupyter lab` argument is passed on

As root (a container, a cloud machine) it adds ``--allow-root``, which JupyterLab otherwise asks
for and stops without.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def lab_command(folder: Path, extra: list[str]) -> list[str]:
    """The `jupyter lab` command line for ``folder`` with ``extra`` arguments."""
    root = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 \
        and "--allow-root" not in extra else []
    return [sys.executable, "-m", "jupyter", "lab", str(folder), *root, *extra]


def run_command(args) -> int:
    folder = Path(args.folder) if args.folder else (
        Path("course") if Path("course").is_dir() else Path("."))
    # This environment's scripts first on PATH, activated or not (nbgrader runs some by name).
    scripts = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": os.pathsep.join([scripts, os.environ.get("PATH", "")])}
    command = lab_command(folder, args.extra)
    if os.name == "posix":   # JupyterLab takes this process's place: signals reach it directly
        os.execve(command[0], command, env)
    try:
        return subprocess.call(command, env=env)
    except KeyboardInterrupt:   # Ctrl-C twice stops JupyterLab: not an error
        return 0


def add_command(commands) -> None:
    parser = commands.add_parser(
        "lab", help="open JupyterLab on the course's notebooks; other arguments go to "
                    "`jupyter lab` (e.g. --no-browser --port 8890)")
    parser.add_argument("--folder", help="the folder to open (default: course/ if it is here, "
                                         "else the current folder)")
    parser.set_defaults(run=run_command, passes_on=True)
