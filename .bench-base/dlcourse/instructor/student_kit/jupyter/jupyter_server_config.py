"""Installed into the student's environment by the dlcourse kit (etc/jupyter of the venv).

nbgrader's Assignment List (and the Nbgrader menu that opens it) only where an nbgrader exchange
is configured, as on a JupyterHub course; elsewhere it could only say "Error fetching courses!".
The instructor's panels are off everywhere (jupyter_server_config.d/ and labconfig/ beside this).
"""
import os

from jupyter_core.paths import jupyter_config_path
from traitlets.config.loader import PyFileConfigLoader

ASSIGNMENT_LIST = ("@jupyter/nbgrader:assignment-list", "@jupyter/nbgrader:menu")


def _exchange_root() -> str:
    """Exchange.root as nbgrader will read it: its default, then nbgrader_config.py files from
    the lowest priority (system) to the highest (the folder Jupyter starts in)."""
    root = "/srv/nbgrader/exchange"
    for folder in [*reversed(jupyter_config_path()), os.getcwd()]:
        if not os.path.isfile(os.path.join(folder, "nbgrader_config.py")):
            continue
        try:
            config = PyFileConfigLoader("nbgrader_config.py", path=folder).load_config()
        except Exception:  # a config nbgrader itself will complain about
            continue
        if "Exchange" in config and "root" in config.Exchange:
            root = config.Exchange.root
    return root


def _hide_assignment_list(handler, page_config: dict) -> dict:
    """JupyterLab's page config hook: the Assignment List's plugins disabled."""
    disabled = page_config.get("disabledExtensions", [])
    page_config["disabledExtensions"] = [*disabled, *(name for name in ASSIGNMENT_LIST
                                                      if name not in disabled)]
    return page_config


if not os.path.isdir(_exchange_root()):
    c.ServerApp.jpserver_extensions.update(  # noqa: F821 (c: the config being loaded)
        {"nbgrader.server_extensions.assignment_list": False})
    c.ServerApp.tornado_settings.update({"page_config_hook": _hide_assignment_list})  # noqa: F821
