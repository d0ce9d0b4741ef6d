"""The layout of docs/architecture.md holds: imports run one way, and a student pays for no tool.

runtime (dlcourse's top-level modules, dlcourse.data) <- tools (dlcourse.tools) <- instructor
(dlcourse.instructor) and the command (dlcourse.cli). Read statically from every module's source,
imports inside functions included, so an import hidden in a function counts too.
"""
from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "dlcourse"
COMMAND = ("dlcourse.cli", "dlcourse.__main__")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported(path: Path) -> set[str]:
    """The modules the file at ``path`` imports: a dotted name, or for ``from package import x``
    the submodule package.x when there is one (else the package)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            found |= {f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                      for alias in node.names}
    return found


IMPORTS = {name: imported(path) for name, path in MODULES.items()}


def within(name: str, *prefixes: str) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def layer(name: str) -> str:
    if within(name, *COMMAND):
        return "command"
    if within(name, "dlcourse.instructor"):
        return "instructor"
    if within(name, "dlcourse.tools"):
        return "tools"
    return "runtime"


def test_the_layers_cover_the_package():
    layers = {name: layer(name) for name in MODULES}
    assert {"dlcourse.testing", "dlcourse.data.mnist", "dlcourse.report"} <= {
        name for name, kind in layers.items() if kind == "runtime"}
    assert layers["dlcourse.tools.nbgrader_adapter"] == "tools"
    assert layers["dlcourse.instructor.grade"] == "instructor"


@pytest.mark.parametrize("kind, forbidden", [
    ("runtime", ("dlcourse.tools", "dlcourse.instructor", *COMMAND)),
    ("tools", ("dlcourse.instructor", *COMMAND)),
    ("instructor", COMMAND),
])
def test_imports_run_one_way(kind, forbidden):
    wrong = sorted(f"{name} imports {target}" for name in MODULES if layer(name) == kind
                   for target in IMPORTS[name] if within(target, *forbidden))
    assert not wrong, f"the {kind} must not import {', '.join(forbidden)}: {wrong}"


def test_no_import_cycle():
    graph = {name: {t for t in targets if t in MODULES and t != name}
             for name, targets in IMPORTS.items()}
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        if name in path:
            cycle = path[path.index(name):] + [name]
            pytest.fail(f"import cycle: {' -> '.join(cycle)}")
        if name in done:
            return
        for target in sorted(graph[name]):
            visit(target, [*path, name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])


def test_only_the_adapter_imports_nbgrader():
    files = [*PACKAGE.rglob("*.py"), *(ROOT / "grading").glob("*.py")]
    importers = sorted(module_name(path) for path in files
                       if any(within(target, "nbgrader") for target in imported(path)))
    assert importers == ["dlcourse.tools.nbgrader_adapter"]


# --- what a student's command costs ---------------------------------------------------------

def import_profile(*args: str) -> tuple[int, set[str]]:
    """(microseconds, modules) of the imports of ``python -X importtime *args``: the sum of the
    cumulative times of the top-level imports (nested ones are inside them), and every module."""
    result = subprocess.run([sys.executable, "-X", "importtime", *args], cwd=ROOT,
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert result.returncode == 0, result.stderr[-2000:]
    total, modules = 0, set()
    for line in result.stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        _, cumulative, name = line.removeprefix("import time:").split("|")
        if not cumulative.strip().isdigit():        # the header line
            continue
        modules.add(name.strip())
        if not name.startswith("  "):                # a top-level import
            total += int(cumulative)
    return total, modules


def test_a_student_command_imports_no_tool():
    """`dlcourse data status` imports no tooling. (Its imports cost 0.2 to 0.6 times those of
    numpy and matplotlib alone when this was written, 7 to 19 times before the CLI imported its
    commands lazily: printed, not asserted.)"""
    command = ("-m", "dlcourse", "data", "status")
    baseline = ("-c", "import numpy, matplotlib")
    costs: dict[tuple[str, ...], int] = {}
    for _ in range(3):
        for args in (command, baseline):
            total, modules = import_profile(*args)
            costs[args] = min(costs.get(args, total), total)
            if args == command:
                tooling = sorted({m if m.startswith("dlcourse.") else m.split(".")[0]
                                  for m in modules if within(
                                      m, "nbgrader", "nbformat", "nbclient", "jupytext",
                                      "dlcourse.tools", "dlcourse.instructor")})
                assert not tooling, f"`dlcourse data status` imports {tooling}"
    # The cost itself is reported, not asserted: timings belong in benchmarks (shared machines).
    print(f"`dlcourse data status` imports: {costs[command]} us, "
          f"{costs[command] / costs[baseline]:.2f} times numpy and matplotlib's")
