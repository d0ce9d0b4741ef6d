"""Where a notebook is running: a student's session, or nbgrader grading it."""
import os


def grading() -> bool:
    """True while nbgrader validates or autogrades (it sets NBGRADER_EXECUTION)."""
    return bool(os.environ.get("NBGRADER_EXECUTION"))


def quick() -> bool:
    """True when long work (training) should run its short version.

    That is while grading, so that autograding a notebook takes seconds, or when
    DLCOURSE_QUICK=1 is set (for a fast self-check). Graded functions are checked in full
    either way: only experiments get shorter.
    """
    return grading() or os.environ.get("DLCOURSE_QUICK") == "1"
