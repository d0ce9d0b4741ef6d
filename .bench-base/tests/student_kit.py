"""A student kit built from this repository and installed as its README says, once per test run.

The documentation test and the browser test both need it; the install takes most of its time, so
it is made once and shared between pytest's workers (a file lock in their common temporary
folder). It lives outside the repository, in a virtual environment of its own: nothing of the
repository is importable there.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from doc_shell import LAB, Shell, blocks, user_environment

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENTS = ("01_perceptron", "02_activations")


@dataclass
class InstalledKit:
    folder: Path
    home: Path                # the student's per-user folders (Jupyter's)
    kit_bytes: int            # the kit as published
    env_bytes: int            # its .venv after the README's set-up command
    setup_seconds: float      # the README's set-up command, timed
    setup_commands: list[str]  # the README's first block, of which the set-up ran here

    @property
    def bin(self) -> Path:
        return self.folder / ".venv" / "bin"

    @contextlib.contextmanager
    def using(self):
        """The kit to oneself (tests using it run one at a time), its course/ as released."""
        with open(self.folder.parent / "in-use.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            course = self.folder / "course"
            shutil.rmtree(course)
            shutil.copytree(self.folder / ".dlcourse" / "release", course)
            yield self

    def environment(self, home: Path | None = None) -> dict[str, str]:
        """The student's environment, entered (what `. .venv/bin/activate` sets); Jupyter's
        per-user folders in ``home`` (default: the kit's)."""
        env = user_environment(home or self.home)
        return {**env, "VIRTUAL_ENV": str(self.folder / ".venv"),
                "PATH": os.pathsep.join([str(self.bin), env["PATH"]])}


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def installed_kit(base: Path) -> InstalledKit:
    """The kit of ASSIGNMENTS in ``base/student-kit/kit``, set up by the first block of its
    README run verbatim; made by the first caller, reused by the others."""
    work = base / "student-kit"
    work.mkdir(parents=True, exist_ok=True)
    record = work / "installed.json"
    with open(base / "student-kit.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if record.is_file():
            saved = json.loads(record.read_text())
            return InstalledKit(**{**saved, "folder": Path(saved["folder"]),
                                   "home": Path(saved["home"])})
        folder, home = work / "kit", work / "home"
        subprocess.run([sys.executable, "-m", "dlcourse", "kit", *ASSIGNMENTS, "--out",
                        str(folder)], cwd=ROOT, check=True, capture_output=True, text=True)
        kit_bytes = _size(folder)
        setup = blocks(folder / "README.md")[0]
        shell = Shell(folder, user_environment(home))
        started = time.monotonic()
        try:
            for command in setup.commands:
                if LAB.match(command):   # opening the lab: the documentation test does it
                    continue
                status, output = shell.run(command, timeout=900)
                assert status == 0, f"{setup.where}: `{command}` exited {status}:\n{output}"
        finally:
            shell.close()
        kit = InstalledKit(folder, home, kit_bytes, _size(folder / ".venv"),
                           round(time.monotonic() - started, 1), setup.commands)
        record.write_text(json.dumps({**asdict(kit), "folder": str(folder), "home": str(home)}))
        return kit
