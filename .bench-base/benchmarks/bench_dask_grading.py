"""Submissions graded per minute by `dlcourse grade`: the local default (a process pool), a local
Dask cluster (`--scheduler local`), and a Dask scheduler with two workers on 127.0.0.1
(`--scheduler tcp://...`), on one class of 01_perceptron; and what Dask costs per task.

Run from the repository root: `.venv/bin/python benchmarks/bench_dask_grading.py [N]` (N
submissions, default 12, all different: the solution with a comment naming the student). Each
way grades the same class from an empty cache in a course root of its own, in a temporary
folder. Times split in three:

- tasks: from the first task submitted to the last result back (what a cluster speeds up);
- coordinator: nbgrader's bookkeeping of every result (gradebook, autograded/) and the CSV, done
  on the coordinator one student after another (what a cluster does not speed up);
- per-task overhead: tasks' wall time x workers / N minus the mean seconds a task spent grading
  (sending the bundle and the submission, scheduling, the result's way back).

The dask workers run with `--nworkers 1 --nthreads 1`, as docs/instructors.md says to. Numbers
from a shared machine are noisy: compare the ways of one run, not runs.
"""
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DLCOURSE_DATA", str(ROOT.parent / "shared" / "data"))

from dlcourse.instructor import cluster, grade  # noqa: E402
from dlcourse.tools import nbgrader_adapter  # noqa: E402

ASSIGNMENT = "01_perceptron"
WORKERS = 2
CELL_TIMEOUT = 30


def make_class(course: Path, folder: Path, size: int) -> Path:
    answers = nbgrader_adapter.solution_answers(ROOT, ASSIGNMENT)
    release = nbgrader_adapter.release_notebook(course, ASSIGNMENT)
    folder.mkdir(parents=True)
    for i in range(size):
        mine = {k: f"# student{i:04d}\n{v}" for k, v in answers.items()}
        notebook = nbgrader_adapter.fill_answers(release, mine)
        (folder / f"student{i:04d}.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    return folder


def start_cluster(folder: Path) -> tuple[str, list[subprocess.Popen]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    dask = str(Path(sys.executable).parent / "dask")
    commands = [[dask, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                 "--no-dashboard"]]
    commands += [[dask, "worker", address, "--nworkers", "1", "--nthreads", "1",
                  "--no-dashboard", "--host", "127.0.0.1"]] * WORKERS
    processes = [subprocess.Popen(c, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  start_new_session=True, cwd=folder) for c in commands]
    from distributed import Client
    with Client(address, timeout=60) as client:
        client.wait_for_workers(WORKERS, timeout=120)
    return address, processes


def measure(name: str, submissions: Path, course: Path, scheduler: str | None) -> dict:
    phases = {}
    real = cluster.run_tasks

    def timed(*args, **kwargs):
        started = time.perf_counter()
        yield from real(*args, **kwargs)
        phases["tasks"] = time.perf_counter() - started
    cluster.run_tasks = timed
    try:
        result = grade.grade(submissions, ASSIGNMENT, course, jobs=WORKERS, quiet=True,
                             cell_timeout=CELL_TIMEOUT, feedback=False, scheduler=scheduler)
    finally:
        cluster.run_tasks = real
    assert not result.warnings and all(s.total == result.max_total for s in result.students), \
        "the benchmark's class must grade in full"
    size = len(result.students)
    grading = statistics.mean(s.seconds for s in result.students)
    return {"name": name, "total": result.seconds, "tasks": phases["tasks"],
            "per_minute": 60 * size / result.seconds, "grading": grading,
            "overhead": phases["tasks"] * WORKERS / size - grading,
            "coordinator": (result.seconds - phases["tasks"]) / size}


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 12
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-dask-") as scratch:
        tmp = Path(scratch)
        first = nbgrader_adapter.make_course(ROOT, tmp / "pool", [ASSIGNMENT])
        submissions = make_class(first, tmp / "class", size)
        rows.append(measure("process pool (default)", submissions, first, None))
        course = nbgrader_adapter.make_course(ROOT, tmp / "local", [ASSIGNMENT])
        rows.append(measure("local Dask cluster", submissions, course, "local"))
        course = nbgrader_adapter.make_course(ROOT, tmp / "remote", [ASSIGNMENT])
        address, processes = start_cluster(tmp)
        try:
            rows.append(measure("dask scheduler + 2 workers", submissions, course, address))
        finally:
            for process in processes:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        started = time.perf_counter()     # a rerun: everything is in the cache
        grade.grade(submissions, ASSIGNMENT, first, jobs=WORKERS, quiet=True, feedback=False,
                    cell_timeout=CELL_TIMEOUT)
        rerun = time.perf_counter() - started
    print(f"{ASSIGNMENT}, {size} submissions, {WORKERS} at a time, on {os.cpu_count()} cores")
    print(f"{'way':28} {'total s':>8} {'tasks s':>8} {'subm./min':>9} {'grading s/task':>14} "
          f"{'overhead s/task':>15} {'coordinator s/subm.':>19}")
    for row in rows:
        print(f"{row['name']:28} {row['total']:8.1f} {row['tasks']:8.1f} "
              f"{row['per_minute']:9.1f} {row['grading']:14.2f} {row['overhead']:15.2f} "
              f"{row['coordinator']:19.2f}")
    base = rows[0]["total"]
    for row in rows[1:]:
        print(f"{row['name']}: {row['total'] / base:.2f}x the default's time")
    print(f"rerun of the whole class from the cache: {rerun:.1f} s "
          f"({rerun / size:.2f} s per submission, nbgrader's bookkeeping only)")


if __name__ == "__main__":
    main()
