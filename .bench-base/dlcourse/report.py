"""Headline results of a notebook (a test accuracy, a training time), for `dlcourse report`.

A notebook states its headline result with one call, after the work that produced it:

    from dlcourse.report import record
    record("test_accuracy", accuracy)

Under `dlcourse report` this writes the value to the JSON file named by ``DLCOURSE_REPORT``;
anywhere else (a student's session, grading) it does nothing at all.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

REPORT_ENV = "DLCOURSE_REPORT"


def record(name: str, value: float | int | str) -> None:
    """Record a headline result ``name`` (e.g. "test_accuracy") of the running notebook.

    ``value``: a number (numpy scalars are fine) or a short string. Does nothing unless
    ``DLCOURSE_REPORT`` names a file, which `dlcourse report` does.
    """
    path = os.environ.get(REPORT_ENV)
    if not path:
        return
    target = Path(path)
    results = json.loads(target.read_text(encoding="utf-8")) if target.is_file() else {}
    results[name] = value.item() if hasattr(value, "item") else value
    target.write_text(json.dumps(results, indent=2), encoding="utf-8")
