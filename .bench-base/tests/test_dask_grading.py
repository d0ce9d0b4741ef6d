"""`dlcourse grade --scheduler`: a real Dask scheduler and two workers on 127.0.0.1 grade a
class of 01_perceptron and one of 02_activations as local grading does, also when a worker is
killed halfway; a rerun grades only what changed.

The scheduler and the workers are subprocesses of this test (`dask scheduler`, `dask worker
--nworkers 1 --nthreads 1`), each in a process group of its own, killed at the end."""
import csv
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from dlcourse.instructor import cluster, grade
from dlcourse.tools import nbgrader_adapter

from conftest import ROOT
from submissions import LOOPING_XOR, WRONG_TRAIN, solution, submission, write

pytestmark = pytest.mark.slow
CELL_TIMEOUT = 8     # the replay of the imports cell after a timeout must fit in it, under load
DASK = str(Path(sys.executable).parent / "dask")

# One wrong function and one looping answer per assignment (the others: solution or stubs).
WRONG = {"01_perceptron": {"perceptron_train": WRONG_TRAIN},
         "02_activations": {"relu": "def relu(x):\n    return np.abs(x)\n"}}
LOOPING = {"01_perceptron": {"xor_gate": LOOPING_XOR},
           "02_activations": {"softmax": "def softmax(z):\n    while True:\n        pass\n"}}


def make_class(course, assignment, folder):
    """12 submissions of mixed quality: 6 solutions (each unique: a comment with its name),
    2 stubs, a wrong function, a looping answer, a notebook cut short, one that is not JSON."""
    sol = solution(assignment)
    answers_of = {f"good{i}": {k: f"# good{i}\n{v}" for k, v in sol.items()} for i in range(6)}
    answers_of |= {"stub0": {}, "stub1": {}, "wrong": sol | WRONG[assignment],
                   "looping": sol | LOOPING[assignment]}
    for student, answers in answers_of.items():
        write(folder / f"{student}.ipynb", submission(course, answers, assignment=assignment))
    whole = json.dumps(submission(course, assignment=assignment))
    write(folder / "cut.ipynb", whole[:len(whole) // 2])
    write(folder / "garbage.ipynb", "this is not a notebook {")
    return folder


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class DaskCluster:
    """A `dask scheduler` and `dask worker`s on 127.0.0.1, as subprocesses."""

    def __init__(self, folder, workers=2):
        self.folder = folder
        self.port = free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        self.processes = [self._start("scheduler", [DASK, "scheduler", "--host", "127.0.0.1",
                                                    "--port", str(self.port),
                                                    "--no-dashboard"])]
        self.workers = [self.start_worker(i) for i in range(workers)]
        from distributed import Client
        with Client(self.address, timeout=60) as client:
            client.wait_for_workers(workers, timeout=120)

    def _start(self, name, command):
        log = open(self.folder / f"{name}.log", "wb")
        # The scheduler's allowed-failures: a task whose worker died is run at most 3 times.
        environment = os.environ | {"DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "2"}
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True, cwd=self.folder, env=environment)
        self.processes = getattr(self, "processes", []) + [process]
        return process

    def start_worker(self, index):
        return self._start(f"worker{index}", [DASK, "worker", self.address, "--nworkers", "1",
                                              "--nthreads", "1", "--no-dashboard",
                                              "--host", "127.0.0.1",
                                              "--name", f"worker{index}"])

    def kill(self, process):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()

    def close(self):
        for process in reversed(self.processes):
            self.kill(process)


@pytest.fixture(scope="module")
def classes(tmp_path_factory):
    """Both assignments' classes, graded locally (the process pool) in a course of their own."""
    tmp = tmp_path_factory.mktemp("dask")
    assignments = list(WRONG)
    local = nbgrader_adapter.make_course(ROOT, tmp / "local_course", assignments)
    folders = {a: make_class(local, a, tmp / "submissions" / a) for a in assignments}
    expected = {a: grade.grade(folders[a], a, local, cell_timeout=CELL_TIMEOUT, wall_limit=120,
                               feedback=False, quiet=True, jobs=2) for a in assignments}
    return tmp, local, folders, expected


def rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return sorted(csv.DictReader(handle), key=lambda row: row["student"])


def gradebook(course, assignment, students):
    return {s: nbgrader_adapter.scores(course, assignment, s) for s in students}


def test_a_dask_cluster_grades_like_local_grading_even_when_a_worker_dies(classes,
                                                                            monkeypatch):
    tmp, local, folders, expected = classes
    course = nbgrader_adapter.make_course(ROOT, tmp / "dask_course", list(folders))
    dask_cluster = DaskCluster(tmp)
    graded_keys = []
    done = cluster.Cache.put

    def counted(self, key, result):      # every result the coordinator receives
        graded_keys.append(key)
        done(self, key, result)
    monkeypatch.setattr(cluster.Cache, "put", counted)
    try:
        first, second = list(folders)
        # Kill a worker's whole process group (nanny, worker, sandboxes) once 3 are graded.
        killer = threading.Thread(target=_kill_when, daemon=True,
                                  args=(lambda: len(graded_keys) >= 3,
                                        lambda: dask_cluster.kill(dask_cluster.workers[0])))
        killer.start()
        results = {first: grade.grade(folders[first], first, course, cell_timeout=CELL_TIMEOUT,
                                      wall_limit=120, feedback=False, quiet=True,
                                      scheduler=dask_cluster.address)}
        killer.join(5)
        assert dask_cluster.workers[0].poll() is not None, "the worker was never killed"
        results[second] = grade.grade(folders[second], second, course,
                                      cell_timeout=CELL_TIMEOUT, wall_limit=120, feedback=False,
                                      quiet=True, scheduler=dask_cluster.address)
    finally:
        dask_cluster.close()

    for assignment, result in results.items():
        students = [s.student for s in expected[assignment].students]
        assert [s.student for s in result.students] == students
        assert not result.warnings
        assert rows(result.csv_path) == rows(expected[assignment].csv_path)
        assert gradebook(course, assignment, students) == gradebook(local, assignment, students)
        by_student = {s.student: s for s in result.students}
        assert by_student["good0"].total == result.max_total
        assert 0 < by_student["wrong"].total < result.max_total
        assert by_student["stub0"].total == 0 and by_student["garbage"].total == 0
    # 12 distinct submissions per assignment but the two stubs (one task): each graded once.
    assert len(graded_keys) == len(set(graded_keys)) == 2 * 11


def _kill_when(condition, kill):
    deadline = time.monotonic() + 300
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    kill()


def test_a_rerun_grades_only_new_and_changed_submissions(classes, monkeypatch):
    tmp, local, folders, expected = classes
    assignment = "01_perceptron"
    graded = []
    real = cluster.run_tasks

    def counted(bundle, options, submissions, **kwargs):
        graded.extend(submissions)
        yield from real(bundle, options, submissions, **kwargs)
    monkeypatch.setattr(cluster, "run_tasks", counted)
    folder = folders[assignment]
    before = {r["student"]: r for r in rows(expected[assignment].csv_path)}
    # A resubmission (the stub, now answered) and a late newcomer.
    write(folder / "stub1.ipynb", submission(local, {"step": solution()["step"]}))
    write(folder / "late.ipynb", submission(local, {}))
    result = grade.grade(folder, assignment, local, cell_timeout=CELL_TIMEOUT, wall_limit=120,
                         feedback=False, quiet=True, jobs=2)
    # stub1 is new bytes; late is the same as stub0 (cached): one task.
    assert len(graded) == 1
    totals = {s.student: s.total for s in result.students}
    assert totals["late"] == totals["stub0"] == 0 < totals["stub1"]
    assert {s: r for s, r in before.items() if s != "stub1"} == {
        r["student"]: r for r in rows(result.csv_path) if r["student"] not in ("stub1", "late")}
