"""pip and conda install the same things (under conda-forge's names), and the README starts with
`make lab`."""
import re
import tomllib

import yaml

from conftest import ROOT

# PyPI name -> conda-forge package name, for every package pyproject.toml lists. Source: the
# recipe (package: name:) of each feedstock, github.com/conda-forge/<name>-feedstock, read
# 2026-11: numpy, matplotlib, tqdm, jupyterlab, nbgrader, sqlalchemy, jupytext, pytest,
# pytest-xdist, ipython, nbformat, latex2mathml, nbclient, traitlets, dask, jupyterhub,
# requests, tornado, pyyaml, ruff, mypy. On conda-forge `playwright` is the Node.js driver; the
# Python
# package is `playwright-python` (conda-forge/playwright-python-feedstock, recipe/recipe.yaml).
CONDA_FORGE_NAMES = {
    "numpy": "numpy", "matplotlib": "matplotlib", "tqdm": "tqdm", "jupyterlab": "jupyterlab",
    "nbgrader": "nbgrader", "sqlalchemy": "sqlalchemy", "jupytext": "jupytext",
    "pytest": "pytest", "pytest-xdist": "pytest-xdist", "playwright": "playwright-python",
    "ipython": "ipython", "nbformat": "nbformat", "latex2mathml": "latex2mathml",
    "nbclient": "nbclient", "traitlets": "traitlets", "dask": "dask", "jupyterhub": "jupyterhub",
    "requests": "requests", "tornado": "tornado", "pyyaml": "pyyaml", "ruff": "ruff",
    "mypy": "mypy",
}


def _requirement(text):
    """'nbgrader>=0.9.5,<0.10' -> ('nbgrader', '<0.10,>=0.9.5'): name and normalised specifier."""
    # Extras are pip's way to ask for more: conda-forge's `dask` already is dask[distributed].
    name, spec = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*(?:\[[^]]*\])?\s*(.*)", text).groups()
    specifiers = sorted(s.strip() for s in spec.split(",") if s.strip())
    return name.lower().replace("_", "-"), ",".join(specifiers)


def pip_requirements():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    listed = project["dependencies"] + [d for extra in project["optional-dependencies"].values()
                                        for d in extra]
    return {(CONDA_FORGE_NAMES.get(name, f"{name} (not in CONDA_FORGE_NAMES)"), spec)
            for name, spec in map(_requirement, listed)}


def conda_requirements():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    return {_requirement(d) for d in environment["dependencies"]
            if isinstance(d, str) and _requirement(d)[0] not in ("python", "pip")}


def test_pyproject_and_environment_yml_list_the_same_packages():
    pip, conda = pip_requirements(), conda_requirements()
    assert pip == conda, (f"only in pyproject.toml: {sorted(pip - conda)}; "
                          f"only in environment.yml: {sorted(conda - pip)}")


def test_environment_yml_installs_the_package_itself():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = [d["pip"] for d in environment["dependencies"] if isinstance(d, dict)]
    assert pip_section and any(". " in line + " " or line.endswith(".") for line in pip_section[0])


def test_every_conda_name_is_a_conda_forge_package():
    known = set(CONDA_FORGE_NAMES.values())
    assert {name for name, _ in conda_requirements()} <= known


def test_readme_opens_with_make_lab_and_documents_make_test():
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", readme, re.S)
    assert blocks[0].strip() == "make lab"
    assert any(block.strip() == "make test" for block in blocks)
