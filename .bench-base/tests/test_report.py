"""Headline results and `dlcourse report`."""
import json
import shutil

import nbformat
import numpy as np
import pytest

from dlcourse import report
from dlcourse.instructor import course_report
from dlcourse.tools import nbgrader_adapter
from dlcourse.tools.text import format_table

from conftest import ROOT


def test_record_does_nothing_outside_a_report(monkeypatch, tmp_path):
    monkeypatch.delenv(report.REPORT_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    report.record("test_accuracy", 0.98)
    assert list(tmp_path.iterdir()) == []


def test_record_writes_plain_json_values_under_a_report(monkeypatch, tmp_path):
    path = tmp_path / "headline.json"
    monkeypatch.setenv(report.REPORT_ENV, str(path))
    report.record("test_accuracy", np.float32(0.5))
    report.record("epochs", np.int64(3))
    report.record("test_accuracy", 0.9831)      # a later value replaces an earlier one
    assert json.loads(path.read_text()) == {"test_accuracy": 0.9831, "epochs": 3}


def test_format_table_aligns_columns_and_spreads_multiline_cells():
    text = format_table(("a", "bb"), [("x", "1\n22"), ("yyy", "3")])
    assert text.splitlines() == ["a    bb", "---  --", "x    1", "     22", "yyy  3"]


@pytest.mark.slow
def test_report_times_a_notebook_and_collects_its_headline(tmp_path):
    """On a copy of notebook 01 that records a headline result in an ordinary cell."""
    root = tmp_path / "root"
    root.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", root)
    shutil.copytree(ROOT / "grading", root / "grading")
    shutil.copytree(ROOT / "solutions" / "01_perceptron", root / "solutions" / "01_perceptron")
    notebook_path = root / "solutions" / "01_perceptron" / "01_perceptron.ipynb"
    notebook = nbformat.read(str(notebook_path), as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(
        "from dlcourse.report import record\n"
        "record('xor_correct', float(np.mean(xor_gate(X_xor[:, 0], X_xor[:, 1]) == y_xor)))"))
    nbformat.write(notebook, str(notebook_path))

    result = course_report.notebook_report(root, "01_perceptron")
    assert result.errors == []
    assert result.headline == {"xor_correct": 1.0}
    assert result.points == result.max_points == sum(
        nbgrader_adapter.test_points(nbgrader_adapter.release_notebook(ROOT, "01_perceptron"))
        .values())
    recorded_times = (result.execution_seconds, result.autograde_seconds)   # filled, not judged
    assert all(time_ is not None and time_ > 0 for time_ in recorded_times)
    course_report.write_json([result], tmp_path / "report.json")
    assert json.loads((tmp_path / "report.json").read_text())[0]["headline"] == result.headline
    assert "xor_correct 1" in course_report.format_report([result])
