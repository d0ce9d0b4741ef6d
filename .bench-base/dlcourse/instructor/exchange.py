"""The nbgrader settings a student's Jupyter carries, so that students never type a flag.

nbgrader's student commands (``nbgrader list``, ``fetch_assignment``, ``submit``,
``fetch_feedback``) and JupyterLab's Assignment List read ``nbgrader_config.py`` from every
folder of Jupyter's config path (``jupyter --paths``: ``~/.jupyter``, the folders named in
``JUPYTER_CONFIG_PATH``, ``{sys.prefix}/etc/jupyter``, ``/etc/jupyter``) and then from the
current folder. Without a course id there, every student command fails with "No course id
specified. Re-run with --course flag."; without the exchange's location, it looks in nbgrader's
default (``/usr/local/share/nbgrader/exchange``).

:func:`student_config` is that file: the course id and the exchange folder, nothing else (no
course root, no gradebook: a student has neither). Where it goes:

- in the student kit's environment, as ``{sys.prefix}/etc/jupyter/nbgrader_config.py`` (for
  instance as a setuptools ``data-files`` entry ``"etc/jupyter" = [...]``): every student who
  installs the kit gets it;
- on a JupyterHub, in ``/etc/jupyter/`` of the single-user environment (or a folder the spawner
  puts on ``JUPYTER_CONFIG_PATH``): every user gets it, the instructor included, whose course
  root's own ``nbgrader_config.py`` then adds the rest.
"""
from __future__ import annotations

import sys
from pathlib import Path

from dlcourse.tools.nbgrader_adapter import COURSE_ID

CONFIG_NAME = "nbgrader_config.py"
# nbgrader 0.9's own default: a kit built without --exchange still names it explicitly.
DEFAULT_EXCHANGE = "/usr/local/share/nbgrader/exchange"


def student_config(exchange_root: str | Path = DEFAULT_EXCHANGE,
                   course_id: str = COURSE_ID) -> str:
    """The text of the students' ``nbgrader_config.py``: ``course_id`` and ``exchange_root``.

    ``exchange_root`` is the absolute path of the exchange folder as the students' Jupyter
    servers see it (on a JupyterHub: the same path on every user's server)."""
    exchange_root = str(exchange_root)
    if not Path(exchange_root).is_absolute():
        raise ValueError(f"The exchange must be an absolute path, not {exchange_root!r}.")
    return (
        '"""nbgrader for dlcourse students: fetch, submit and fetch feedback with no flags.\n\n'
        "Written by dlcourse.instructor.exchange; Jupyter reads it from any folder of its\n"
        'config path (`jupyter --paths`)."""\n'
        "c = get_config()  # noqa: F821 (provided by traitlets when this file is loaded)\n\n"
        "# `nbgrader fetch_assignment 01_perceptron` needs no --course, and the Assignment List\n"
        "# shows this course.\n"
        f"c.CourseDirectory.course_id = {course_id!r}\n"
        "# Where the instructor releases and students submit: a folder every user can reach.\n"
        f"c.Exchange.root = {exchange_root!r}\n")


def write_student_config(config_dir: Path, exchange_root: str | Path = DEFAULT_EXCHANGE,
                         course_id: str = COURSE_ID) -> Path:
    """Write :func:`student_config` as ``config_dir/nbgrader_config.py`` (created, readable by
    everyone) and return its path. ``config_dir`` is a folder of Jupyter's config path, e.g.
    :func:`environment_config_dir` of the students' environment."""
    config_dir = Path(config_dir)
    config_dir.mkdir(parents=True, exist_ok=True)
    path = config_dir / CONFIG_NAME
    path.write_text(student_config(exchange_root, course_id), encoding="utf-8")
    path.chmod(0o644)
    return path


def environment_config_dir(prefix: str | Path = sys.prefix) -> Path:
    """``{prefix}/etc/jupyter``: the config folder of the Python environment at ``prefix``,
    which Jupyter run from that environment always reads."""
    return Path(prefix) / "etc" / "jupyter"
