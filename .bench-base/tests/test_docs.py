"""The commands in the documentation work as written.

Every shell block of README.md and docs/*.md runs, line by line, in a fresh copy of the repository
(the instructor's reading: README first, then docs/ in order), and every shell block of the
student kit's README and guide runs in a kit built from it and installed in a new virtual
environment (the student's reading). Blocks that cannot run here carry
``<!-- not run: REASON -->`` in the markdown; NOT_RUN lists them, so that marking another one is
a visible change. What each line must do: exit 0 (`dlcourse check` may exit 1, its "a test
failed"), print no Python traceback; a JupyterLab command must serve the lab, and then stops.
Transcripts go to artifacts/docs/.
"""
import re
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

from doc_shell import LAB, Lab, Shell, blocks, user_environment

from conftest import ROOT

KIT_GUIDE = "<!-- doc test: runs in the student kit"
STUDENT_README = ROOT / "dlcourse" / "instructor" / "student_kit" / "README.md"
TRANSCRIPTS = ROOT / "artifacts" / "docs"
# (file, first command of the block) -> why it is not run. Keep in step with the markdown.
NOT_RUN = {
    ("README.md", "make test"): "the whole test suite, this test included",
    ("README.md", "conda env create -f environment.yml"): "no conda here",
    ("students.md", "conda create -n dlcourse python=3.11 pip"): "no conda here",
    ("instructors.md", "sudo mkdir -p /srv/nbgrader/exchange"): "root, the hub's shared disk",
    ("instructors.md", "sudo python -c \"from dlcourse.instructor.exchange import "
                       "write_student_config; write_student_config('/etc/jupyter', "
                       "'/srv/nbgrader/exchange')\""): "root, into /etc",
    ("instructors.md", "dlcourse report"): "every solution notebook in full, minutes",
    ("instructors.md", "dlcourse grade submitted --assignment 06_mnist_mlp"): "a Dask cluster",
    ("instructors.md", "dask scheduler"): "servers on the network",
    ("instructors.md", "helm repo add dask https://helm.dask.org && helm repo update"):
        "Kubernetes",
}
INSTRUCTOR_PLUGINS = {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
                      "@jupyter/nbgrader:course-list"}
# Without an nbgrader exchange (none here) the Assignment List and its menu are hidden too.
NO_EXCHANGE_PLUGINS = {"@jupyter/nbgrader:assignment-list", "@jupyter/nbgrader:menu"}


def repository_docs() -> list[Path]:
    docs = sorted((ROOT / "docs").glob("*.md"))
    return [ROOT / "README.md"] + [p for p in docs if KIT_GUIDE not in p.read_text()]


def kit_docs(kit: Path) -> list[Path]:
    return [kit / "README.md"] + [p for p in sorted((kit / "docs").glob("*.md"))
                                  if KIT_GUIDE in p.read_text()]


def _key(command: str) -> str:
    """A command without its comment, spaces collapsed: how NOT_RUN names it."""
    return " ".join(re.sub(r"\s#.*$", "", command).split())


def test_every_block_left_out_says_why_and_is_listed():
    every = repository_docs() + [STUDENT_README] + [
        p for p in (ROOT / "docs").glob("*.md") if KIT_GUIDE in p.read_text()]
    left_out = {(b.path.name, _key(b.commands[0])): b.not_run for p in every
                for b in blocks(p) if b.not_run is not None}
    assert all(reason.strip() for reason in left_out.values())
    listed = {(name, _key(command)) for name, command in NOT_RUN}
    assert set(left_out) == listed, (
        f"marked in the docs but not listed here: {set(left_out) - listed}; "
        f"listed here but not marked: {listed - set(left_out)}")
    ran = [b for p in every for b in blocks(p) if b.not_run is None]
    assert len(ran) >= 12   # the parser finds the blocks (a regression would find none)


def _check_command(where: str, command: str, status: int, output: str) -> None:
    allowed = (0, 1) if command.startswith("dlcourse check") else (0,)
    assert status in allowed, f"{where}: `{command}` exited {status}:\n{output[-3000:]}"
    assert "Traceback (most recent call last)" not in output, f"{where}: `{command}`:\n{output}"
    if command.startswith("dlcourse check"):
        assert "points" in output and "TCP" not in output and "WARNING" not in output, output


def _read_aloud(shell: Shell, documents: list[Path], check_lab, log_folder: Path,
                done: list[str] = ()) -> list[str]:
    """Run every block of ``documents`` in ``shell``, except the first commands, ``done``
    already in this terminal; return the block timings, for the log."""
    timings, done = [], list(done)
    for document in documents:
        for block in blocks(document):
            if block.not_run is not None:
                continue
            started = time.monotonic()
            for command in block.commands:
                if done and command == done[0]:
                    done.pop(0)
                elif LAB.match(command):
                    shell.lab(command, check_lab, log_folder / f"lab-{block.line}.log")
                else:
                    status, output = shell.run(command)
                    _check_command(block.where, command, status, output)
            timings.append(f"{block.where}: {time.monotonic() - started:.1f} s")
    return timings


def _save(name: str, shell: Shell, timings: list[str]) -> None:
    TRANSCRIPTS.mkdir(parents=True, exist_ok=True)
    (TRANSCRIPTS / f"{name}.log").write_text("".join(shell.transcript) + "\n" +
                                            "\n".join(timings) + "\n", encoding="utf-8")


def _repository_copy(dest: Path) -> Path:
    """The repository's files as a fresh clone has them (tracked and new, never ignored)."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                            check=True, capture_output=True, text=True).stdout.split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


def test_the_instructors_commands_run_as_written(tmp_path):
    clone = _repository_copy(tmp_path / "dlcourse")
    shell = Shell(clone, user_environment(tmp_path / "home"))

    def instructor_lab(lab: Lab) -> None:
        # The Formgrader answers with the course's assignments: its gradebook was created
        # (nbgrader runs `alembic` by name) with its schema version.
        status, body = lab.get("/formgrader/api/assignments")
        assert status == 200 and "01_perceptron" in body, (status, body[:500])
        with sqlite3.connect(clone / "gradebook.db") as gradebook:
            assert gradebook.execute("select version_num from alembic_version").fetchall()
        assert not INSTRUCTOR_PLUGINS & set(lab.page_config().get("disabledExtensions", []))

    try:
        timings = _read_aloud(shell, repository_docs(), instructor_lab, tmp_path)
    finally:
        shell.close()
        _save("instructor", shell, locals().get("timings", []))
    # What the commands made: the kits, a grade per student, feedback.
    assert (tmp_path / "kit" / "course" / "02_activations").is_dir()
    assert (tmp_path / "kit-07" / "course" / "07_cnn" / "layers.py").is_file()
    grades = (clone / "autograded" / "01_perceptron.csv").read_text()
    assert re.search(r"^alice,", grades, re.M) and re.search(r"^bob,", grades, re.M), grades
    # The feedback reads offline: maths as MathML, nothing loaded from the internet.
    feedback = (clone / "feedback" / "alice" / "01_perceptron" / "01_perceptron.html").read_text()
    assert "<math" in feedback and "cdnjs" not in feedback and "<script src=" not in feedback
    assert '<a href="#test_step">test_step</a>' in feedback


def test_the_students_commands_run_as_written(student_kit, tmp_path):
    kit = student_kit.folder
    assert (kit / "README.md").read_text() == STUDENT_README.read_text()
    assert (kit / "docs" / "students.md").read_text() == (ROOT / "docs" / "students.md").read_text()
    # The set-up command ran, verbatim, when the kit was installed (student_kit).
    assert student_kit.setup_commands == blocks(kit / "README.md")[0].commands
    install_time = student_kit.setup_seconds    # recorded for the report, not judged
    assert install_time is not None
    with student_kit.using():
        _read_kit_docs(student_kit, tmp_path)


def _read_kit_docs(student_kit, tmp_path):
    kit = student_kit.folder
    # The terminal the README's set-up command ran in (student_kit), environment entered:
    # the reading goes on from there.
    shell = Shell(kit, student_kit.environment())
    setup = [c for c in blocks(kit / "README.md")[0].commands if not LAB.match(c)]

    def student_lab(lab: Lab) -> None:
        config = lab.page_config()
        disabled = set(config.get("disabledExtensions", []))
        assert INSTRUCTOR_PLUGINS | NO_EXCHANGE_PLUGINS <= disabled, disabled
        assert INSTRUCTOR_PLUGINS <= set(config.get("lockedExtensions", []))
        assert lab.get("/formgrader")[0] == 404
        assert lab.get("/lab/tree/01_perceptron/01_perceptron.ipynb")[0] == 200

    try:
        timings = _read_aloud(shell, kit_docs(kit), student_lab, tmp_path, done=setup)
    finally:
        shell.close()
        _save("student", shell, locals().get("timings", []))
    # `dlcourse reset` (in the README and the guide) kept the student's copy each time.
    kept = sorted(p.name for p in (kit / "course" / "01_perceptron").glob("*.mine*.ipynb"))
    assert kept == ["01_perceptron.mine-2.ipynb", "01_perceptron.mine.ipynb"], kept
