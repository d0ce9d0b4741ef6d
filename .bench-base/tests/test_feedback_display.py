"""What a student sees in JupyterLab when a check fails: the test line and the message, no plumbing.

Runs a real ipykernel (the kernel JupyterLab starts), as the browser tests do, but without a
browser: the error output a cell sends is what JupyterLab renders.
"""
import re

import pytest
from jupyter_client.manager import start_new_kernel

pytestmark = pytest.mark.slow

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def kernel():
    manager, client = start_new_kernel(kernel_name="python3")
    try:
        yield client
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def error_of(client, code: str) -> dict:
    outputs = []
    client.execute_interactive(code, output_hook=outputs.append, timeout=60)
    (error,) = [m["content"] for m in outputs if m["msg_type"] == "error"]
    return {**error, "text": ANSI.sub("", "\n".join(error["traceback"]))}


def test_a_failing_check_shows_the_cell_line_and_the_message_only(kernel):
    error = error_of(kernel, "from dlcourse.testing import check_close\n"
                             "import numpy as np\n"
                             "def double(x):\n"
                             "    return 2 * x\n"
                             "x = np.ones(3)\n"
                             "check_close(double(x), x, 'double(x)')\n")
    text = error["text"]
    assert error["ename"] == "FeedbackError"
    assert re.search(r"Cell In\[\d+\], line 6\n----> check_close\(double\(x\), x, 'double\(x\)'\)",
                     text), text
    assert "FeedbackError: double(x) is wrong in 3 of 3 entries." in text
    assert "Likely mistake: every value is off by the same factor, 2" in text
    assert "testing.py" not in text and "_fail" not in text and "hidden" not in text, text


def test_a_check_called_through_a_helper_cell_points_at_both_lines(kernel):
    error = error_of(kernel, "from dlcourse.testing import check_true\n"
                             "def helper(value):\n"
                             "    check_true(value > 0, f'value should be positive, got {value}')\n"
                             "helper(-1)\n")
    lines = [line for line in error["text"].splitlines() if line.startswith("---->")]
    assert lines == ["----> helper(-1)",
                     "----> check_true(value > 0, f'value should be positive, got {value}')"]
    assert error["text"].endswith("FeedbackError: value should be positive, got -1")


def test_other_errors_keep_ipythons_full_traceback(kernel):
    error = error_of(kernel, "def stub():\n    raise NotImplementedError()\nstub()\n")
    assert "raise NotImplementedError()" in error["text"] and "stub()" in error["text"]
