"""Every solution notebook runs top to bottom in full, as a student would run it.

Training runs at full length here (not nbgrader's short version), and the notebooks assert their
own accuracy targets in full mode, so a regression fails this test (training times are printed,
and judged by benchmarks/). The Makefile runs these tests alone, after the parallel suite.
"""
import os
import shutil
import time

import nbformat
import pytest
from nbclient import NotebookClient

from dlcourse.tools import nbgrader_adapter

from conftest import ROOT

pytestmark = pytest.mark.full


@pytest.mark.parametrize("assignment", nbgrader_adapter.assignments(ROOT))
def test_solution_notebook_runs_in_full(assignment, tmp_path, monkeypatch):
    folder = tmp_path / assignment
    shutil.copytree(ROOT / "solutions" / assignment, folder)  # files it writes stay out of the repo
    for variable in ("NBGRADER_EXECUTION", "DLCOURSE_QUICK", "MPLBACKEND"):
        monkeypatch.delenv(variable, raising=False)
    # The hidden tests in the solution's test cells import the instructor-only `grading` package.
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    notebook = nbformat.read(folder / f"{assignment}.ipynb", as_version=4)
    started = time.perf_counter()
    NotebookClient(notebook, timeout=900, kernel_name="python3",
                   resources={"metadata": {"path": str(folder)}}).execute()
    print(f"{assignment}: executed in full in {time.perf_counter() - started:.1f} s")
