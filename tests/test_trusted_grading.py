"""The trusted grader: a submission can neither read the reference nor forge a pass.

Two kinds of proof. The sandbox itself, tested from inside: what a submission's code can read,
write, reach and use. And a catalogue of cheats, graded through `dlcourse grade` with honest
students before and after them: every cheat scores 0 on the cells it attacks, honest students
score as they would alone, and the instructor's files are byte-identical afterwards.
"""
import hashlib
import json
import re
import socket
import textwrap
import time
from html import unescape

import pytest

from dlcourse.instructor import grade
from dlcourse.tools import nbgrader_adapter, protocol, sandbox
from dlcourse.tools.session import (
    CellTimeout,
    Session,
    _signature,
    remote_exception,
    warning_text,
)

from conftest import ROOT
from notebook_cells import answer_namespace, graded_cells, verdicts
from submissions import (
    ASSIGNMENT,
    WRONG_TRAIN,
    index_of,
    pastable,
    points,
    solution,
    submission,
    with_wrong_answers,
    write,
)
from wrong_answers import KINDS, load_catalogue

needs_bwrap = pytest.mark.skipif(sandbox.bwrap_path() is None,
                                 reason="bubblewrap is not installed (apt-get install bubblewrap)")


@pytest.fixture
def sandboxed(tmp_path):
    """A sandboxed session in a scratch folder of a course root with instructor files."""
    course = tmp_path / "course_root"
    for name in ("solutions/01_perceptron/answers.txt", "grading/secret.py", "gradebook.db",
                 "submitted/other_student/01_perceptron/01_perceptron.ipynb"):
        write(course / name, "instructor only")
    scratch = course / "scratch"
    scratch.mkdir()
    session = Session(scratch, sandboxed=True,
                      limits=sandbox.Limits(memory_bytes=1 << 30, cpu_seconds=5))
    yield course, session
    session.close()


def run(session, source):
    session.deadline = time.monotonic() + 30
    reply = session.exec(textwrap.dedent(source), "a cell")
    session.deadline = None
    return "".join(o.get("text", "") for o in reply["outputs"] if o["output_type"] == "stream")


@needs_bwrap
def test_inside_the_sandbox_the_instructor_side_is_invisible_and_read_only(sandboxed):
    course, session = sandboxed
    out = run(session, f"""
        import os
        for path in ["{course}/solutions/01_perceptron/answers.txt", "{course}/grading/secret.py",
                     "{course}/gradebook.db",
                     "{course}/submitted/other_student/01_perceptron/01_perceptron.ipynb",
                     "{ROOT}/solutions", "{ROOT}/grading/__init__.py", "{ROOT.parent}/shared/docs"]:
            try:
                open(path).read() if os.path.isfile(path) else os.listdir(path)
                print("READ", path)
            except OSError as error:
                print("denied", type(error).__name__)
        for path in ["{course}/grading/new.py", "/etc/evil", "/usr/evil", "{ROOT}/x",
                     "/tmp/x", os.path.expanduser("~/../x")]:
            try:
                open(path, "w").write("x")
                print("WROTE", path)
            except OSError as error:
                print("denied", type(error).__name__)
        open("mine.txt", "w").write("the scratch folder is writable")
        print("scratch ok")
        """)
    assert "READ" not in out and "WROTE" not in out, out
    assert out.count("denied") == 13 and "scratch ok" in out
    assert (course / "grading" / "secret.py").read_text() == "instructor only"
    assert not (course / "grading" / "new.py").exists()


@needs_bwrap
def test_inside_the_sandbox_there_is_no_network(sandboxed):
    _, session = sandboxed
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    out = run(session, f"""
        import socket
        for host in ["127.0.0.1", "10.0.0.1", "1.1.1.1"]:
            try:
                socket.create_connection((host, {port}), timeout=2)
                print("CONNECTED", host)
            except OSError as error:
                print("refused", type(error).__name__)
        """)
    listener.close()
    assert "CONNECTED" not in out and out.count("refused") == 3, out


@needs_bwrap
def test_cpu_and_memory_are_limited(sandboxed):
    _, session = sandboxed
    out = run(session, """
        try:
            big = bytearray(2 << 30)
            print("ALLOCATED")
        except MemoryError:
            print("memory limit")
        """)
    assert "memory limit" in out, out
    session.deadline = time.monotonic() + 60
    with pytest.raises(Exception) as stopped:   # RLIMIT_CPU of 5 s kills the process
        session.exec("while True:\n    pass\n", "a loop")
    assert not isinstance(stopped.value, CellTimeout)
    session.deadline = None


def test_only_plain_data_crosses_from_a_submission():
    def decode(header, buffers=()):
        return protocol.Decoder(list(buffers), lambda node: "handle").decode(header)

    for bad in ({"t": "nd", "dtype": "|O", "shape": [1], "buf": 0},
                {"t": "nd", "dtype": "<f8", "shape": [4], "buf": 0},
                {"t": "nd", "dtype": "<f8", "shape": [2], "buf": 0, "strides": [8000],
                 "offset": 0},
                {"t": "pickle", "v": "cos\nsystem\n"}, {"t": "dict", "k": [[1]], "v": [1]},
                {"t": "nd", "dtype": "V8", "shape": [1], "buf": 0}):
        with pytest.raises(protocol.ProtocolError):
            decode(bad, [b"\0" * 8])
    deep = 1
    for _ in range(200):
        deep = {"t": "list", "v": [deep]}
    with pytest.raises(protocol.ProtocolError):
        decode(deep)


def test_names_and_texts_the_submission_chose_do_not_reach_the_grader():
    # An exception class or a warning text of its own could spell out the hidden inputs.
    own = remote_exception({"type": "LEAK_9838_1006", "message": "m"})
    assert own.submission_type == "SubmissionException" and "LEAK" not in type(own).__name__
    assert isinstance(remote_exception({"type": "ValueError"}), ValueError)
    assert remote_exception({"type": "LinAlgError"}).submission_type == "LinAlgError"
    assert warning_text("overflow encountered in exp") == "overflow encountered in exp"
    assert "LEAK" not in warning_text("LEAK [-0.98, 0.10]")
    assert "LEAK" not in warning_text("overflow encountered in exp LEAK")
    # Parameter names appear in messages ("modified its input x"): only short plain ones.
    signature = _signature([["x", 1], ["LEAK_0_125_7_0_3_5_plus", 1], ["rng", 1, "LEAK"]])
    assert list(signature.parameters) == ["x", "arg2", "rng"]
    assert "LEAK" not in str(signature)


def test_an_error_of_the_checks_own_code_does_not_quote_what_the_submission_returned():
    # float() in a hidden check, of a string the student's function returned: numpy's message
    # quotes the string, which the code chose.
    from types import SimpleNamespace

    from dlcourse.tools.executor import _failure
    cell = SimpleNamespace(label="test cell", source="x = 1\n### BEGIN HIDDEN TESTS\n"
                           "float(np.asarray(got, dtype=float))\n### END HIDDEN TESTS\n")
    try:
        exec(compile("\n\nfloat('LEAK 0.125')", "<test cell>", "exec"))
    except ValueError as error:
        message, _ = _failure(error, cell, 60.0)
    assert "ValueError" in message and "LEAK" not in message
    try:
        exec(compile("float('LEAK 0.125')", "<test cell>", "exec"))
    except ValueError as error:
        assert "LEAK" in _failure(error, cell, 60.0)[0]          # a public line, before any
        assert "LEAK" not in _failure(error, cell, 60.0, hidden_seen=True)[0]


# --- the cheat catalogue -------------------------------------------------------------------
# Each cheat: the answers it writes (others are the solution's), an optional edit of the JSON,
# and the test cells it attacks (which must score 0). The wrong answers underneath are real
# mistakes, so an attack that works would turn a 0 into points.
WRONG_STEP = "def step(x):\n    return np.asarray(x)\n"
# Passes the visible tests, fails a hidden one (1e-12 is positive).
HIDDEN_FAILING_STEP = "def step(x):\n    return (np.asarray(x) > 1e-9).astype(int)\n"
# Passes the visible tests, then tries to smuggle the hidden inputs out in an error message.
LEAKING_STEP = ("def step(x):\n    x = np.asarray(x)\n    if x.ndim == 3:\n"
                "        raise ValueError('LEAK' + repr(x.tolist()))\n"
                "    return (x > 0).astype(int)\n")
# Keeps the hidden inputs step is given, and raises them in a later cell's public check.
STASHING_STEP = ("_seen = []\ndef step(x):\n    x = np.asarray(x)\n    if x.ndim == 3:\n"
                 "        _seen.append(x.tolist())\n    return (x > 0).astype(int)\n")
STASH_RAISING_PREDICT = ("def perceptron_predict(X, w, b):\n    if _seen:\n"
                         "        raise ValueError('LEAK' + repr(_seen[0][0][0][:3]))\n"
                         "    return step(X @ w + b)\n")


def _edit_test_cells(change):
    def edit(cells):
        for cell in cells:
            if cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
                change(cell)
    return edit


CHEATS = {
    # 1. rewrite what the tests run, from inside the submission
    "rebind_fail": ("import dlcourse.testing as t\nt._fail = lambda *a, **k: None\n"
                    "t.check_equal = lambda *a, **k: None\n" + WRONG_STEP, None, ["test_step"]),
    "fake_hidden_module": ("import sys, types\nfake = types.ModuleType('grading.perceptron')\n"
                           "fake.check_step = lambda f: None\n"
                           "sys.modules['grading.perceptron'] = fake\n" + WRONG_STEP,
                           None, ["test_step"]),
    "input_transformer": ("get_ipython().input_transformers_cleanup.append("
                          "lambda lines: ['pass\\n'])\n" + WRONG_STEP, None, ["test_step"]),
    "ast_transformer": ("import ast\nclass Empty(ast.NodeTransformer):\n"
                        "    def visit_Module(self, node):\n        node.body = []\n"
                        "        return node\nget_ipython().ast_transformers.append(Empty())\n"
                        + WRONG_STEP, None, ["test_step"]),
    "numpy_patched": ("np.array_equal = lambda *a, **k: True\nnp.allclose = lambda *a, **k: True\n"
                      "np.testing.assert_array_equal = lambda *a, **k: None\n" + WRONG_STEP,
                      None, ["test_step"]),
    "lying_object": ("class Anything(np.ndarray):\n    def __eq__(self, other): return True\n"
                     "    def __array__(self, *a, **k): return np.array([0, 0, 0, 1, 1])\n"
                     "def step(x):\n    return Anything((5,))\n", None, ["test_step"]),
    "stack_walk": ("import sys\ndef step(x):\n    frame = sys._getframe(1)\n"
                   "    while frame and 'expected' not in frame.f_locals:\n"
                   "        frame = frame.f_back\n"
                   "    return frame.f_locals['expected'] if frame else np.asarray(x)\n",
                   None, ["test_step"]),
    "exit_as_success": ("def step(x):\n    raise SystemExit(0)\n", None, ["test_step"]),
    "excepthook": ("import sys\nsys.excepthook = lambda *a: None\n"
                   "get_ipython().showtraceback = lambda *a, **k: None\n" + WRONG_STEP,
                   None, ["test_step"]),
    # 2. read or write the instructor's side and other students
    "read_reference": ("try:\n    from grading import reference\n"
                       "    step = reference('01_perceptron').step\n"
                       "except Exception:\n" + textwrap.indent(WRONG_STEP, "    "),
                       None, ["test_step"]),
    "read_solution_file": ("import glob, json\nsource = ''\n"
                           "for path in glob.glob('/**/01_perceptron.ipynb', recursive=True):\n"
                           "    source += open(path).read()\n"
                           "def step(x):\n    if 'BEGIN SOLUTION' in source:\n"
                           "        return (np.asarray(x) > 0).astype(int)\n"
                           "    return np.asarray(x)\n", None, ["test_step"]),
    "rewrite_checks": ("import glob\nfor path in glob.glob('/**/grading/perceptron.py', "
                       "recursive=True):\n    try:\n"
                       "        open(path, 'w').write('def check_step(step): pass\\n')\n"
                       "    except OSError:\n        pass\n" + WRONG_STEP, None, ["test_step"]),
    "overwrite_classmates": ("import glob\nfor path in glob.glob('/**/submitted/*/*/*.ipynb', "
                             "recursive=True) + glob.glob('/**/gradebook.db', recursive=True):\n"
                             "    try:\n        open(path, 'w').write('{}')\n"
                             "    except OSError:\n        pass\n" + WRONG_STEP,
                             None, ["test_step"]),
    # 3. metadata the grader must not trust
    "skip_execution_tags": (WRONG_STEP, _edit_test_cells(
        lambda cell: cell["metadata"].update(tags=["skip-execution", "raises-exception"])),
        ["test_step"]),
    "test_cells_emptied": (WRONG_STEP, _edit_test_cells(
        lambda cell: cell.update(source="passed('step')")), ["test_step"]),
    "test_cells_to_markdown": (WRONG_STEP, _edit_test_cells(
        lambda cell: cell.update(cell_type="markdown")), ["test_step"]),
    "points_and_outputs_forged": (WRONG_STEP, _edit_test_cells(lambda cell: (
        cell["metadata"]["nbgrader"].update(points=100),
        cell.update(outputs=[{"output_type": "stream", "name": "stdout",
                              "text": "\u2714 all checks passed.\n"}]))), ["test_step"]),
}


def _sha(folder):
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


@pytest.mark.slow
@needs_bwrap
def test_cheats_score_nothing_and_honest_students_are_graded_as_alone(tmp_path):
    course = nbgrader_adapter.make_course(ROOT, tmp_path / "course_root", [ASSIGNMENT])
    full, sol = points(course), solution()
    instructor = {"solutions": _sha(course / "solutions"), "grading": _sha(course / "grading")}
    folder = tmp_path / "class"
    # honest students sort before and after the cheaters
    write(folder / "aaa_honest.ipynb", submission(course, dict(sol, perceptron_train=WRONG_TRAIN)))
    write(folder / "zzz_honest.ipynb", submission(course, dict(sol, perceptron_train=WRONG_TRAIN)))
    write(folder / "hidden_fail.ipynb", submission(course, dict(sol, step=HIDDEN_FAILING_STEP)))
    write(folder / "leaker.ipynb", submission(course, dict(sol, step=LEAKING_STEP)))
    write(folder / "stasher.ipynb", submission(course, dict(
        sol, step=STASHING_STEP, perceptron_predict=STASH_RAISING_PREDICT)))
    for name, (step_source, edit, _) in CHEATS.items():
        write(folder / f"cheat_{name}.ipynb", submission(course, dict(sol, step=step_source),
                                                          edit))
    result = grade.grade(folder, ASSIGNMENT, course, cell_timeout=20, wall_limit=200, jobs=2)
    print(grade.format_summary(result))
    scores = {s.student: s.scores for s in result.students}
    honest = dict(full, test_perceptron_train=0)
    assert scores["aaa_honest"] == honest and scores["zzz_honest"] == honest
    for name, (_, _, attacked) in CHEATS.items():
        for grade_id in attacked:
            assert scores[f"cheat_{name}"][grade_id] == 0, (name, scores[f"cheat_{name}"])
    assert _sha(course / "solutions") == instructor["solutions"]
    assert _sha(course / "grading") == instructor["grading"]
    submitted = course / "submitted" / "aaa_honest" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert json.loads(submitted.read_text())["cells"]
    assert scores["hidden_fail"] == dict(full, test_step=0)
    assert scores["leaker"] == dict(full, test_step=0)

    # A failing hidden check's feedback names no grader path, source line or seed.
    html = (course / "feedback" / "hidden_fail" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    feedback = unescape(re.sub(r"<[^>]+>", "", html))     # the text a student reads
    assert "step on a (3, 4, 5) array" in feedback      # the check's own message
    assert "grading import perceptron" in feedback      # the one-line call is the cell's text
    leaked = (course / "feedback" / "leaker" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "raised ValueError in a hidden check" in leaked
    assert "0.0, -0.0, 1e-12" not in leaked       # the hidden edge case it tried to smuggle
    assert scores["stasher"]["test_step"] == full["test_step"]
    assert scores["stasher"]["test_perceptron_predict"] == 0
    stashed = (course / "feedback" / "stasher" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    stashed_text = unescape(re.sub(r"<[^>]+>", "", stashed))
    assert "1e-12" not in stashed_text and "0.0, -0.0" not in stashed_text
    assert "raised ValueError. Its message is not shown once hidden checks" in stashed_text
    for secret in ("grading/perceptron.py", str(course / "grading"), "default_rng(1001)",
                   "x[0, 0, :3]", "2000 + seed", "BEGIN SOLUTION"):
        assert secret not in feedback, secret


@pytest.mark.slow
@needs_bwrap
def test_plain_nbgrader_autograde_gives_honest_submissions_the_same_scores(tmp_path):
    course = nbgrader_adapter.make_course(ROOT, tmp_path / "course_root", [ASSIGNMENT])
    sol = solution()
    kinds = {"right": sol, "wrong": dict(sol, perceptron_train=WRONG_TRAIN), "stub": {}}
    for student, answers in kinds.items():
        write(course / "submitted" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
              submission(course, answers))
    nbgrader_adapter.run_app(course, "autograde", ASSIGNMENT, "--force")
    plain = {s: nbgrader_adapter.scores(course, ASSIGNMENT, s) for s in kinds}
    result = grade.grade(course / "submitted", ASSIGNMENT, course, quiet=True)
    assert {s.student: s.scores for s in result.students} == plain
    assert plain["right"] == points(course) and sum(plain["stub"].values()) == 0
    assert index_of(submission(course)["cells"], "test_step") >= 0


def _wrong_submissions(assignment):
    """The first catalogued wrong answer of each kind that can be pasted into a notebook,
    grouped into as few submissions as possible with at most one wrong answer per test cell:
    [{test cell: entry}, ...]."""
    namespace = answer_namespace(assignment)
    catalogue = [entry for entry in load_catalogue() if entry.assignment == assignment
                 and pastable(entry.implementation, namespace)]
    chosen = [next(e for e in catalogue if e.kind == kind) for kind in KINDS
              if any(e.kind == kind for e in catalogue)]
    groups: list[dict] = []
    for entry in chosen:
        group = next((g for g in groups if entry.test not in g
                      and entry.function not in {e.function for e in g.values()}), None)
        if group is None:
            groups.append(group := {})
        group[entry.test] = entry
    return groups


@pytest.mark.slow
@needs_bwrap
@pytest.mark.parametrize("assignment", nbgrader_adapter.assignments(ROOT))
def test_the_trusted_grader_gives_the_solution_full_marks_and_the_release_zero(assignment,
                                                                               tmp_path):
    """... and submissions with catalogued wrong answers (the first of each kind of mistake,
    graded end to end) lose the points of the cells they are wrong in, and only the cells that
    reject them when run in the test process (a later function built on a wrong one can fail
    too)."""
    course = nbgrader_adapter.make_course(ROOT, tmp_path / "course_root", [assignment])
    folder = tmp_path / "class"
    write(folder / "solver.ipynb", submission(course, solution(assignment),
                                              assignment=assignment))
    write(folder / "untouched.ipynb", submission(course, {}, assignment=assignment))
    wrong_groups = _wrong_submissions(assignment)
    for k, group in enumerate(wrong_groups):
        answers = with_wrong_answers(assignment, {e.function: e.implementation
                                                  for e in group.values()})
        write(folder / f"wrong{k}.ipynb", submission(course, answers, assignment=assignment))
    result = grade.grade(folder, assignment, course, quiet=True, feedback=False)
    scores = {s.student: s for s in result.students}
    full = points(course, assignment)
    assert scores["solver"].scores == full, scores["solver"].notes
    assert scores["untouched"].total == 0
    for k, group in enumerate(wrong_groups):
        replace = {e.function: e.implementation for e in group.values()}
        in_process = verdicts(assignment, answer_namespace(assignment, replace),
                              graded_cells(assignment))
        assert all(in_process[cell] != "passed" for cell in group)
        expected = {cell: p if in_process[cell.removeprefix("test_")] == "passed" else 0.0
                    for cell, p in full.items()}
        mistakes = {cell: entry.id for cell, entry in group.items()}
        assert scores[f"wrong{k}"].scores == expected, (mistakes, scores[f"wrong{k}"].notes)
