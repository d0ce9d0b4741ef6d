"""pip and conda install the same things, and the README starts with the two commands."""
import re
import tomllib

import yaml

from conftest import ROOT

# Where a conda-forge package is named differently from its PyPI distribution.
CONDA_NAMES = {}


def _requirement(text):
    """'nbgrader>=0.9.5,<0.10' -> ('nbgrader', '<0.10,>=0.9.5'): name and normalised specifier."""
    # Extras are pip's way to ask for more: conda-forge's `dask` already is dask[distributed].
    name, spec = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*(?:\[[^]]*\])?\s*(.*)", text).groups()
    return name.lower().replace("_", "-"), ",".join(sorted(s.strip() for s in spec.split(",") if s.strip()))


def pip_requirements():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    listed = project["dependencies"] + [d for extra in project["optional-dependencies"].values()
                                        for d in extra]
    return {(CONDA_NAMES.get(name, name), spec) for name, spec in map(_requirement, listed)}


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


def test_readme_opens_with_make_lab_and_make_test():
    readme = (ROOT / "README.md").read_text()
    first_block = re.search(r"```(?:sh|bash|console)?\n(.*?)```", readme, re.S).group(1)
    assert [line.strip() for line in first_block.strip().splitlines()] == ["make lab", "make test"]
