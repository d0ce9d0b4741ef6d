"""Where a submission's code runs: a bubblewrap sandbox when there is one, with limits.

Inside the sandbox (Debian's ``bubblewrap``: unprivileged Linux namespaces) the submission sees

- the operating system's programs and libraries, this Python and its packages, read-only;
- its working directory and home: a private tmpfs of bounded size, holding read-only copies of
  the assignment's released files (``layers.py``), where it may write;
- MNIST (``DLCOURSE_DATA``, ``DLCOURSE_CACHE``) read-only;

and nothing else: not the course root (``solutions/``, ``grading/``, the gradebook, other
students' submissions), no network (``--unshare-all`` gives it a network namespace of its own,
with no interface but loopback), no other process (its own PID namespace), no capabilities. It
dies with the grader. On top, resource limits: CPU seconds and address space (memory).

Without bubblewrap (macOS, Windows, a Linux without it) the worker runs as a plain process:
``dlcourse check`` on a student's own machine needs nothing more, and ``dlcourse grade`` refuses
to run that way unless told to (``--unsandboxed``), because then a submission can read and write
whatever the instructor's account can. Verdicts are decided outside the submission's process
either way.
"""
from __future__ import annotations

import os
import resource
import shutil
import site
import sys
from dataclasses import dataclass
from pathlib import Path

import dlcourse

DATA_VARIABLES = ("DLCOURSE_DATA", "DLCOURSE_CACHE")
# Variables a submission's process keeps from the grader's environment (CPU quirks of OpenBLAS
# among them: some processors need them for correct results).
PASSED_VARIABLES = ("LANG", "LC_ALL", "TZ", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE",
                    *DATA_VARIABLES)
SYSTEM_PATHS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/etc/ld.so.cache",
                "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/fonts", "/etc/localtime",
                "/etc/passwd", "/etc/group", "/etc/nsswitch.conf", "/etc/alternatives")


class SandboxUnavailable(RuntimeError):
    """Grading was asked to isolate submissions, and bubblewrap cannot here."""


@dataclass(frozen=True)
class Limits:
    """What one submission's process may use."""
    memory_bytes: int = 4 << 30      # address space (RLIMIT_AS)
    cpu_seconds: int = 1200          # CPU time of the whole notebook (RLIMIT_CPU)
    file_bytes: int = 1 << 30        # the largest file it may write (RLIMIT_FSIZE)
    disk_bytes: int = 1 << 30        # all it may write, in the sandbox's working directory
    cell_seconds: float = 60.0       # wall time of one cell, checked by the grader
    threads: int = 1                 # BLAS threads: kernels run side by side on the cores


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


def _python_paths() -> list[str]:
    """Folders this Python needs: its installation, the virtual environment, the packages, and
    dlcourse itself (an editable install points outside site-packages)."""
    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, *site.getsitepackages(),
             str(Path(dlcourse.__file__).resolve().parent)}
    paths.add(str(Path(sys.executable).resolve().parent.parent))
    return sorted(p for p in paths if Path(p).exists())


def worker_environment(scratch: Path, mode: str, limits: Limits) -> dict[str, str]:
    """The submission's environment: nothing of the grader's but what it needs."""
    threads = str(limits.threads)
    environment = {name: os.environ[name] for name in PASSED_VARIABLES if name in os.environ}
    environment.update({
        "HOME": str(scratch), "PATH": "/usr/local/bin:/usr/bin:/bin",
        "PYTHONPATH": str(scratch), "PYTHONDONTWRITEBYTECODE": "1",
        "MPLCONFIGDIR": str(scratch / ".matplotlib"), "TMPDIR": str(scratch),
        "MPLBACKEND": "agg",
        "OMP_NUM_THREADS": threads, "OPENBLAS_NUM_THREADS": threads, "MKL_NUM_THREADS": threads,
        # The notebook runs as it does under nbgrader: training takes its short version.
        "NBGRADER_EXECUTION": mode,
    })
    return environment


def command(worker: list[str], scratch: Path, *, sandboxed: bool,
            limits: Limits | None = None) -> list[str]:
    """The command line that starts ``worker`` in ``scratch``, in a sandbox if asked."""
    if not sandboxed:
        return worker
    limits = limits or Limits()
    bwrap = bwrap_path()
    if bwrap is None:
        raise SandboxUnavailable(
            "bubblewrap (bwrap) is not installed: `apt-get install bubblewrap` on Debian and "
            "Ubuntu, `dnf install bubblewrap` on Fedora. Without it, pass --unsandboxed to grade "
            "with verdicts outside the submission's process but no file isolation.")
    args = [bwrap, "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
            "--dev", "/dev", "--proc", "/proc"]
    for path in SYSTEM_PATHS:
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.exists(path):
            args += ["--ro-bind", path, path]
    for path in _python_paths():
        args += ["--ro-bind", path, path]
    for name in DATA_VARIABLES:
        folder = os.environ.get(name)
        if folder and Path(folder).is_dir():
            args += ["--ro-bind", str(Path(folder).resolve()), folder]
    # The working directory is a tmpfs of bounded size (a submission cannot fill the disk),
    # holding read-only copies of the files the grader put in the scratch folder.
    args += ["--size", str(limits.disk_bytes), "--tmpfs", str(scratch)]
    for copy in sorted(scratch.iterdir()):
        args += ["--ro-bind", str(copy), str(copy)]
    args += ["--remount-ro", "/", "--chdir", str(scratch)]
    return [*args, "--", *worker]


def apply_limits(limits: Limits) -> None:
    """In the child before it starts: the memory and CPU limits (inherited by the sandbox)."""
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
