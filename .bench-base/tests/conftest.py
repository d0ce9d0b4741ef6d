"""Shared fixtures. The tests run from the repository root (pytest's rootdir)."""
import os
import signal
import subprocess
from pathlib import Path

import matplotlib
import pytest

ROOT = Path(__file__).resolve().parent.parent

# Answer and test cells executed inside the test process draw nothing on screen.
matplotlib.use("Agg")

# The offline MNIST copy, for tests that need the real data (CI sets DLCOURSE_DATA itself).
_SHARED_DATA = ROOT.parent / "shared" / "data"
if "DLCOURSE_DATA" not in os.environ and _SHARED_DATA.is_dir():
    os.environ["DLCOURSE_DATA"] = str(_SHARED_DATA)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def student_kit(tmp_path_factory):
    """The student kit, installed as its README says (see student_kit.py); one per test run,
    shared by pytest's workers."""
    from student_kit import installed_kit

    base = tmp_path_factory.getbasetemp()
    return installed_kit(base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base)


def stop_server(server: subprocess.Popen) -> None:
    """Stop a server started in a process group of its own: SIGTERM first (JupyterLab shuts its
    kernels down), SIGKILL if it has not exited within 15 s."""
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
