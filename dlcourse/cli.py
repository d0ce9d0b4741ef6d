"""The `dlcourse` command (also `python -m dlcourse`)."""
from __future__ import annotations

import argparse
from pathlib import Path

from . import check, grade, notebooks, report
from .data.mnist import add_data_command


def _release(args: argparse.Namespace) -> int:
    root = notebooks.find_root(Path(args.root) if args.root else None)
    names = args.assignments or notebooks.assignments(root)
    rebuilt = notebooks.release(root, names)
    for path in rebuilt:
        print(f"rebuilt {path.relative_to(root)}")
    print(f"released {', '.join(names)} into {root / 'course'}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dlcourse", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    release = commands.add_parser(
        "release", help="rebuild solutions/*.ipynb from their .pct.py sources and regenerate course/")
    release.add_argument("assignments", nargs="*", help="e.g. 01_perceptron (default: all)")
    release.add_argument("--root", help="course root (default: found above the current folder)")
    release.set_defaults(run=_release)
    add_data_command(commands)
    check.add_command(commands)
    grade.add_command(commands)
    report.add_command(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)
