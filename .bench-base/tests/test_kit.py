"""The student kit holds what a student needs and no answer (`dlcourse kit`,
dlcourse/instructor/kit.py).

The kit is scanned for every non-trivial statement of every solution cell (solutions/*/*.ipynb,
between BEGIN and END SOLUTION) and every name defined in grading/. These tests build kits without
installing them (seconds); tests/test_docs.py and tests/test_kit_browser.py install one.
"""
import json
import os
import site
import subprocess
import sys
import tomllib

import pytest

from dlcourse.instructor import kit as kit_module
from dlcourse.instructor.kit import KNOWN_OVERLAPS, KitError, build, find_leaks
from dlcourse.tools import nbgrader_adapter

from conftest import ROOT

ALL = nbgrader_adapter.assignments(ROOT)
BEFORE_06_IS_DUE = ALL[:6]          # 01-06: layers.py (06's answers) not yet out


@pytest.fixture(scope="module")
def full_kit(tmp_path_factory):
    """Every assignment, 06 marked due (so that 07-09 may go out with layers.py)."""
    return build(ROOT, tmp_path_factory.mktemp("kit") / "kit", ALL, ["06_mnist_mlp"],
                 KNOWN_OVERLAPS)


@pytest.fixture(scope="module")
def early_kit(tmp_path_factory):
    return build(ROOT, tmp_path_factory.mktemp("kit") / "kit", BEFORE_06_IS_DUE, [],
                 KNOWN_OVERLAPS)


def files_of(folder):
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_the_kit_holds_the_releases_the_runtime_and_the_student_files(full_kit):
    files = files_of(full_kit)
    for assignment in ALL:
        assert f"course/{assignment}/{assignment}.ipynb" in files
        assert f".dlcourse/release/{assignment}/{assignment}.ipynb" in files
    assert {"README.md", "pyproject.toml", "docs/students.md", ".gitignore",
            "dlcourse/testing.py", "dlcourse/tools/check.py", "dlcourse/cli.py"} <= files
    assert "course/07_cnn/layers.py" in files
    manifest = json.loads((full_kit / ".dlcourse" / "kit.json").read_text())
    assert manifest["assignments"] == ALL and manifest["due"] == ["06_mnist_mlp"]


def test_the_kit_holds_no_instructor_file(full_kit):
    files = files_of(full_kit)
    forbidden = ("solutions/", "grading/", "tests/", "dlcourse/instructor/", "benchmarks/")
    assert not [f for f in files if f.startswith(forbidden) or f.endswith(".pct.py")
                or "wrong_answers" in f or f.endswith("nbgrader_config.py")]
    # No folder of the repository's other than the two the kit is made of.
    assert {f.split("/")[0] for f in files if "/" in f} == {"course", "dlcourse", "docs",
                                                            "jupyter", ".dlcourse"}


@pytest.mark.parametrize("which", ["full_kit", "early_kit"])
def test_the_kit_holds_no_solution_statement_and_no_grading_name(which, request):
    assert find_leaks(request.getfixturevalue(which), ROOT,
                      ("06_mnist_mlp",) if which == "full_kit" else (), KNOWN_OVERLAPS) == []


def test_the_scan_knows_the_answers_and_finds_a_planted_one(early_kit, tmp_path):
    statements = kit_module.solution_statements(ROOT)
    assert len(statements) > 150 and set(statements.values()) == set(ALL)
    names = kit_module.grading_names(ROOT)
    assert {"check_perceptron_predict", "reference"} <= names
    # One answer line pasted anywhere (here a notebook), one hidden check's name, one word name
    # called: each is found.
    answer = next(s for s, a in statements.items() if a == "03_losses")
    notebook = early_kit / "course" / "01_perceptron" / "01_perceptron.ipynb"
    original = notebook.read_text()
    try:
        data = json.loads(original)
        data["cells"][0]["source"] = f"x = 1\n    {answer}\n"
        notebook.write_text(json.dumps(data))
        (early_kit / "dlcourse" / "extra.py").write_text(
            "check_perceptron_predict  # hidden\nreference (1)\n")
        found = {(leak.path, leak.text) for leak in find_leaks(early_kit, ROOT)}
    finally:
        notebook.write_text(original)
        (early_kit / "dlcourse" / "extra.py").unlink()
    assert ("course/01_perceptron/01_perceptron.ipynb", answer) in found
    assert {("dlcourse/extra.py", "check_perceptron_predict"),
            ("dlcourse/extra.py", "reference")} <= found
    # The accepted overlap is accepted only where it is: without it, it is found.
    assert {leak.text for leak in find_leaks(early_kit, ROOT)} >= {
        key.split(":", 1)[1] for key in KNOWN_OVERLAPS}


def test_layers_py_waits_for_06_to_be_due(tmp_path):
    with pytest.raises(KitError, match=r"07_cnn comes with layers.py.*--due 06_mnist_mlp"):
        build(ROOT, tmp_path / "a", ["01_perceptron", "07_cnn"])
    # Releasing 06 itself is not its deadline: its answers still do not go out with 07.
    with pytest.raises(KitError, match="--due 06_mnist_mlp"):
        build(ROOT, tmp_path / "b", ["06_mnist_mlp", "07_cnn"])
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()
    # Marked due, 06's provided cells may go out; 06's other answers still may not.
    provided = kit_module.solution_statements(ROOT, ("06_mnist_mlp",))
    everything = kit_module.solution_statements(ROOT)
    gone = {s for s in everything if s not in provided}
    assert gone and {everything[s] for s in gone} == {"06_mnist_mlp"}
    assert {s: a for s, a in everything.items() if a != "06_mnist_mlp"}.items() <= \
        provided.items()


def test_unknown_assignments_and_used_folders_are_refused(tmp_path):
    with pytest.raises(KitError, match="No assignment 99_nothing"):
        build(ROOT, tmp_path / "kit", ["99_nothing"])
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "file").write_text("mine")
    with pytest.raises(KitError, match="not empty"):
        build(ROOT, tmp_path / "used", ["01_perceptron"])


def test_the_student_install_has_no_dev_extras(early_kit):
    pyproject = tomllib.loads((early_kit / "pyproject.toml").read_text())
    project = pyproject["project"]
    names = {dep.split(">")[0].split("<")[0].split("=")[0] for dep in project["dependencies"]}
    assert names == {"numpy", "matplotlib", "tqdm", "jupyterlab", "nbgrader", "ipython",
                     "nbformat"}
    assert "optional-dependencies" not in project
    assert pyproject["tool"]["setuptools"]["packages"] == ["dlcourse", "dlcourse.data",
                                                            "dlcourse.tools"]
    installed = [f for files in pyproject["tool"]["setuptools"]["data-files"].values()
                 for f in files]
    assert all((early_kit / f).is_file() for f in installed) and len(installed) == 3


def kit_command(kit, *args):
    """`python -m dlcourse ARGS` with the kit's own dlcourse package: this venv's libraries, but
    not its editable install of the repository's dlcourse (-S: no .pth file is read)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(kit), *site.getsitepackages()])}
    return subprocess.run([sys.executable, "-S", "-m", "dlcourse", *args], cwd=kit, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_kits_command_offers_the_students_tools_only(early_kit):
    shown = kit_command(early_kit, "--help").stdout
    for command in ("lab", "check", "reset", "data"):
        assert f"    {command} " in shown
    for command in ("release", "grade", "report", "kit"):
        assert f"    {command} " not in shown
    assert kit_command(early_kit, "--version").stdout.strip() == "dlcourse 0.1.0"


@pytest.mark.slow
def test_check_in_the_kit_scores_the_untouched_release_without_false_notes(early_kit):
    done = kit_command(early_kit, "check", "course/01_perceptron/01_perceptron.ipynb")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "test_step                0 / 1" in done.stdout
    assert "edited" not in done.stdout and "does not match" not in done.stdout, done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_reset_keeps_the_students_copy_and_restores_the_release(early_kit):
    folder = early_kit / "course" / "06_mnist_mlp"
    notebook = folder / "06_mnist_mlp.ipynb"
    released = notebook.read_text()
    notebook.write_text("{ not a notebook any more")
    first = kit_command(early_kit, "reset", "course/06_mnist_mlp/06_mnist_mlp.ipynb")
    second = kit_command(early_kit, "reset", "course/06_mnist_mlp/06_mnist_mlp.ipynb")
    assert first.returncode == second.returncode == 0, first.stdout + second.stdout
    assert notebook.read_text() == released
    assert (folder / "06_mnist_mlp.mine.ipynb").read_text() == "{ not a notebook any more"
    assert (folder / "06_mnist_mlp.mine-2.ipynb").read_text() == released
    for name in ("06_mnist_mlp.mine.ipynb", "06_mnist_mlp.mine-2.ipynb"):
        (folder / name).unlink()
    outside = kit_command(early_kit, "reset", "/tmp/nowhere/01_perceptron.ipynb")
    assert outside.returncode == 1 and "Download the notebook again" in outside.stdout


@pytest.mark.parametrize("exchange", [False, True])
def test_the_assignment_list_shows_only_where_an_exchange_is_configured(exchange, tmp_path,
                                                                        monkeypatch):
    """The kit's etc/jupyter/jupyter_server_config.py, loaded as Jupyter loads it, in a folder
    whose nbgrader_config.py names an exchange that exists, or one that does not."""
    from traitlets.config.loader import PyFileConfigLoader

    root = tmp_path / "exchange"
    if exchange:
        root.mkdir()
    (tmp_path / "nbgrader_config.py").write_text(f"c = get_config()\nc.Exchange.root = "
                                                 f"{str(root)!r}\n")
    monkeypatch.chdir(tmp_path)
    config = PyFileConfigLoader("jupyter_server_config.py", path=str(
        kit_module.STUDENT_FILES / "jupyter")).load_config()
    extensions = config.ServerApp.jpserver_extensions.get_value({}) if "jpserver_extensions" \
        in config.ServerApp else {}
    settings = config.ServerApp.tornado_settings.get_value({}) if "tornado_settings" \
        in config.ServerApp else {}
    if exchange:
        assert extensions == {} and settings == {}
    else:
        assert extensions == {"nbgrader.server_extensions.assignment_list": False}
        page = settings["page_config_hook"](None, {"disabledExtensions": ["a"]})
        assert page["disabledExtensions"] == ["a", "@jupyter/nbgrader:assignment-list",
                                              "@jupyter/nbgrader:menu"]


def test_a_kit_for_jupyterhub_carries_the_course_id_and_the_exchange(tmp_path):
    out = build(ROOT, tmp_path / "kit", ["01_perceptron"], known_overlaps=KNOWN_OVERLAPS,
                exchange="/srv/nbgrader/exchange")
    config = (out / "jupyter" / "nbgrader_config.py").read_text()
    assert "/srv/nbgrader/exchange" in config and nbgrader_adapter.COURSE_ID in config
    data_files = tomllib.loads((out / "pyproject.toml").read_text())["tool"]["setuptools"][
        "data-files"]
    assert "jupyter/nbgrader_config.py" in data_files["etc/jupyter"]
