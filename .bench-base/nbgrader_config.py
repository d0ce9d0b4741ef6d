"""nbgrader configuration for the dlcourse course. Run nbgrader from this folder.

This repository is the nbgrader course root: instructor sources live in `solutions/`, the
student release is generated into `course/`.
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))

# The hidden tests call instructor-only code in `grading/` (never released, never installed for
# students). Kernels started by nbgrader inherit this environment, so they can import it.
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (HERE, os.environ.get("PYTHONPATH")) if p
)

c = get_config()  # noqa: F821 (provided by traitlets when this file is loaded)

c.CourseDirectory.root = HERE
c.CourseDirectory.course_id = "dlcourse"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "course"
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(HERE, "gradebook.db")
# `*.pct.py` are the reviewed jupytext sources of the notebooks: they hold solutions and hidden
# tests, so they must never be copied into the release. Other files in an assignment folder
# (provided modules such as layers.py) are released with it.
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.pct.py",
]

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Per cell. Under nbgrader every training cell runs its short version (see
# dlcourse.runtime.grading), so no cell needs more than a few seconds; 60 s is generous for a slow
# laptop yet stops an infinite loop in one answer from stalling a whole class's grading.
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True

# A student who deletes a graded cell gets it back (scored as written by the instructor).
c.OverwriteCells.add_missing_cells = True

# Feedback a student can read offline: maths as MathML instead of MathJax from the internet, and
# each test named in the contents list (dlcourse/instructor/feedback.py).
from dlcourse.instructor import feedback  # noqa: E402

feedback.configure(c)
