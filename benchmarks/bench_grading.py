"""What grading costs: seconds per submission and peak memory per process, for every notebook.

    python benchmarks/bench_grading.py                       # every notebook in solutions/
    python benchmarks/bench_grading.py 06_mnist_mlp 07_cnn --students 3
    python benchmarks/bench_grading.py 01_perceptron --baseline d01a7d5

**Every notebook** (the default, or the notebooks named): for each notebook found in
`solutions/` (a folder `NN_name` holding `NN_name.ipynb`, so a new one such as 10_capstone is
measured as soon as it exists), `dlcourse grade` grades a class of ``--students`` submissions made
from the solution's answers, then a class of as many untouched releases (what a student who did
nothing hands in), each class in a fresh process and a fresh pool, sandboxed as in production.
It prints, per notebook and kind of submission:

- seconds per submission: the median time a pool process spent grading one (start the
  submission's process, run its cells, judge its test cells), and the whole `dlcourse grade`
  call divided by the number of submissions (with nbgrader's bookkeeping: gradebook, feedback,
  CSV);
- peak resident memory (RSS) of each kind of process: the grader (the pool process that runs
  the test cells, hidden checks included), the worker (the submission's own process, in
  bubblewrap) and the coordinator (`dlcourse grade` itself, nbgrader's apps included).

Peaks are the kernel's high-water marks (`VmHWM` in /proc/PID/status) of every process the
grading starts, read every 50 ms until it exits: the true peak of each process even if it lasts
only an instant, as long as the process lives for one poll (Linux only). A pool process grades
the submissions of its class one after another (``--jobs 1``, the default, so that times are not
shared with a second kernel on a small machine): its peak is the largest of its class. Each
submission differs from the others by a metadata field, so that none is served from the
grading cache. Uses DLCOURSE_DATA, else the course's offline copy in ../shared/data.

**Against an earlier commit** (``--baseline REV``, one notebook): grades the same class (the
solution's answers and the untouched release, alternately) with this checkout and with that
commit checked out in a temporary git worktree (run with this Python, so only the code differs),
alternating A B B A so that load on a shared machine falls on both and neither always goes
first. Prints CPU seconds per submission of each (every process of the grading: coordinator,
pool, sandboxed workers), which a busy machine disturbs far less than wall-clock time, and their
ratio (current / baseline); the summary line is the worst ratio.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KIB_PER_MIB = 1024

# Runs in a fresh process with the checkout to measure first on sys.path. The baseline commit
# had `dlcourse.nbgrading` and `dlcourse.grade`; this one has the adapter and instructor.grade.
SCRIPT = textwrap.dedent("""
    import json, resource, sys, time, tempfile
    from pathlib import Path
    root, assignment, students, kind, jobs = (Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]),
                                              sys.argv[4], int(sys.argv[5]))
    sys.path.insert(0, str(root))
    try:
        from dlcourse.tools import nbgrader_adapter as nb
        from dlcourse.instructor import grade
        release_of = nb.release_notebook
    except ImportError:
        from dlcourse import nbgrading as nb, grade
        release_of = lambda course, a: course / "course" / a / f"{a}.ipynb"
    def main():
        tmp = Path(tempfile.mkdtemp())
        course = nb.make_course(root, tmp / "course_root", [assignment])
        answers = nb.solution_answers(root, assignment)
        folder = tmp / "class"
        folder.mkdir()
        for k in range(students):
            solved = kind == "solution" or (kind == "alternate" and k % 2 == 0)
            notebook = nb.fill_answers(release_of(course, assignment), answers if solved else {})
            notebook["metadata"]["bench_student"] = k     # other bytes: no cached result
            (folder / f"student{k}.ipynb").write_text(json.dumps(notebook))
        def cpu():  # this process and every process it started and waited for (pool, workers)
            usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                         resource.RUSAGE_CHILDREN)]
            return sum(u.ru_utime + u.ru_stime for u in usage)
        started, cpu_started = time.perf_counter(), cpu()
        result = grade.grade(folder, assignment, course, quiet=True, feedback=False,
                             **({"jobs": jobs} if jobs else {}))
        print(json.dumps({"seconds": time.perf_counter() - started,
                          "cpu_seconds": cpu() - cpu_started,
                          "each": [getattr(s, "seconds", None) for s in
                                   getattr(result, "students", [])],
                          "points": [getattr(s, "total", None) for s in
                                     getattr(result, "students", [])],
                          "max_points": getattr(result, "max_total", None)}))
    if __name__ == "__main__":
        main()
""")


# --- memory: the high-water marks of a process tree --------------------------------------------
def _status(pid: int) -> dict[str, str]:
    fields = {}
    with open(f"/proc/{pid}/status", encoding="utf-8") as status:
        for line in status:
            name, _, value = line.partition(":")
            fields[name] = value.strip()
    return fields


def _role(argv: list[str]) -> str:
    """Which part of grading a process is, from its command line."""
    text = " ".join(argv)
    if argv and Path(argv[0]).name == "bwrap":
        return "sandbox"                      # bubblewrap itself, a few MiB
    if "dlcourse.tools.worker" in text:
        return "worker"
    if "multiprocessing.spawn" in text or "--multiprocessing-fork" in text:
        return "grader"
    if "multiprocessing.resource_tracker" in text:
        return "other"
    return "other"


class TreePeaks:
    """Polls the descendants of a process and keeps each one's peak RSS (VmHWM, KiB)."""

    def __init__(self, root_pid: int, interval: float = 0.05) -> None:
        self.root_pid, self.interval = root_pid, interval
        self.peaks: dict[int, tuple[str, int]] = {}     # pid -> (role, peak KiB)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def __enter__(self) -> TreePeaks:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()

    def _descendants(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
        found, todo = [], [self.root_pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            todo.extend(children.get(pid, []))
        return found

    def _poll(self) -> None:
        while not self._stop.is_set():
            for pid in self._descendants():
                try:
                    peak = int(_status(pid).get("VmHWM", "0 kB").split()[0])
                    if pid not in self.peaks:
                        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                            argv = cmdline.read().decode(errors="replace").split("\0")
                        role = "coordinator" if pid == self.root_pid else _role(argv)
                        self.peaks[pid] = (role, peak)
                    else:
                        self.peaks[pid] = (self.peaks[pid][0], max(self.peaks[pid][1], peak))
                except (OSError, ValueError, IndexError):
                    continue                        # it exited meanwhile
            self._stop.wait(self.interval)

    def by_role(self) -> dict[str, float]:
        """The largest peak of each role, in MiB."""
        peaks: dict[str, float] = {}
        for role, kib in self.peaks.values():
            peaks[role] = max(peaks.get(role, 0.0), kib / KIB_PER_MIB)
        return peaks


# --- one class, graded in a fresh process --------------------------------------------------------
def grade_class(root: Path, assignment: str, students: int, kind: str, jobs: int = 0,
                watch: bool = False) -> tuple[dict, dict[str, float]]:
    """Grade a class of ``students`` submissions of ``kind`` ("solution", "release" or
    "alternate") with the code in ``root``: what SCRIPT printed, and the peak RSS per role
    (MiB) if ``watch``."""
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as script:
        script.write(SCRIPT)
    env = {**os.environ, "PYTHONPATH": str(root)}
    env.setdefault("DLCOURSE_DATA", str(ROOT.parent / "shared" / "data"))
    try:
        process = subprocess.Popen(
            [sys.executable, script.name, str(root), assignment, str(students), kind, str(jobs)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=root)
        if watch:
            with TreePeaks(process.pid) as peaks:
                out, err = process.communicate()
            by_role = peaks.by_role()
        else:
            out, err = process.communicate()
            by_role = {}
    finally:
        os.unlink(script.name)
    if process.returncode:
        raise RuntimeError(f"grading {assignment} failed:\n{err[-3000:]}")
    return json.loads(out.strip().splitlines()[-1]), by_role


def notebooks() -> list[str]:
    """Every notebook in solutions/, in order."""
    return sorted(folder.name for folder in (ROOT / "solutions").iterdir()
                  if (folder / f"{folder.name}.ipynb").is_file())


def every_notebook(assignments: list[str], students: int, jobs: int) -> None:
    print(f"dlcourse grade, sandboxed, {students} submissions of each kind, {jobs} at a time, "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores, "
          f"{time.strftime('%Y-%m-%d %H:%M %Z')}")
    print("seconds per submission: median graded in the pool / whole grade call per submission;"
          " peak RSS in MiB")
    header = (f"{'notebook':22s} {'kind':8s} {'points':>11s} {'graded s':>8s} {'total s':>7s}"
              f" {'grader':>6s} {'worker':>6s} {'coord.':>6s}")
    print(header)
    rows = []
    for assignment in assignments:
        for kind in ("solution", "release"):
            started = time.perf_counter()
            result, peaks = grade_class(ROOT, assignment, students, kind, jobs, watch=True)
            graded = statistics.median(s for s in result["each"] if s is not None)
            total = result["seconds"] / students
            points = (f"{min(result['points']):g}-{max(result['points']):g}/"
                      f"{result['max_points']:g}")
            row = (assignment, kind, points, graded, total, peaks.get("grader", 0.0),
                   peaks.get("worker", 0.0), peaks.get("coordinator", 0.0))
            rows.append(row)
            print(f"{assignment:22s} {kind:8s} {points:>11s} {graded:8.1f} {total:7.1f}"
                  f" {row[5]:6.0f} {row[6]:6.0f} {row[7]:6.0f}"
                  f"   ({time.perf_counter() - started:.0f} s in all)", flush=True)
    worst = max(rows, key=lambda row: max(row[5], row[6]))
    print(f"largest peak RSS: {max(worst[5], worst[6]):.0f} MiB ({worst[0]}, {worst[1]}); "
          f"slowest: {max(row[3] for row in rows):.1f} s per submission graded "
          f"({max(rows, key=lambda row: row[3])[0]})")


def _workers_import_their_own_code(baseline: Path) -> None:
    """Before 2026-12-01 a sandboxed worker imported whichever dlcourse the environment's
    (editable) install points at, this checkout, which the sandbox does not bind: every cell of
    the baseline's would fail. Give such a baseline the later one-line fix."""
    sandbox = baseline / "dlcourse" / "tools" / "sandbox.py"
    text = sandbox.read_text(encoding="utf-8")
    old = '"PYTHONPATH": str(scratch),'
    new = ('"PYTHONPATH": f"{Path(dlcourse.__file__).resolve().parent.parent}'
           '{os.pathsep}{scratch}",')
    sandbox.write_text(text.replace(old, new), encoding="utf-8")


def against_baseline(assignment: str, students: int, baseline_rev: str, rounds: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench_grading_") as scratch:
        baseline = Path(scratch) / "baseline"
        subprocess.run(["git", "worktree", "add", "--detach", str(baseline), baseline_rev],
                       cwd=ROOT, check=True, capture_output=True)
        _workers_import_their_own_code(baseline)
        try:
            ratios = []
            for round_ in range(rounds):
                # Each round swaps who goes first: the second of a pair measured ~10-20% faster
                # (warm page cache) when "now" always went first.
                order = [(ROOT, "now"), (baseline, "then")][::1 if round_ % 2 == 0 else -1]
                measured = {who: grade_class(root, assignment, students, "alternate")[0]
                            for root, who in order}
                for who, result in measured.items():
                    # A baseline whose workers cannot import its own code grades every cell 0,
                    # fast: a ratio against that would mean nothing.
                    if max(result["points"]) != result["max_points"]:
                        raise RuntimeError(f"{who}: no solution got full marks "
                                           f"({result['points']} of {result['max_points']})")
                now, then = (measured[who]["cpu_seconds"] / students for who in ("now", "then"))
                wall = measured["now"]["seconds"] / measured["then"]["seconds"]
                ratios.append(now / then)
                print(f"round {round_ + 1}: {now:.2f} CPU s per submission now, {then:.2f} at "
                      f"{baseline_rev}: ratio {now / then:.2f} (wall-clock ratio {wall:.2f})",
                      flush=True)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(baseline)], cwd=ROOT,
                           capture_output=True)
    print(f"{assignment}: grading cost ratio in CPU time (now / {baseline_rev}), worst of "
          f"{rounds}: {max(ratios):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*", help="default: every notebook in solutions/")
    parser.add_argument("--students", type=int, default=2,
                        help="submissions per class (default 2)")
    parser.add_argument("--jobs", type=int, default=1, help="submissions graded at once")
    parser.add_argument("--baseline", help="commit to compare with (one notebook)")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    if args.baseline:
        if len(args.assignments) != 1:
            parser.error("--baseline compares one notebook: name it")
        against_baseline(args.assignments[0], args.students, args.baseline, args.rounds)
    else:
        every_notebook(args.assignments or notebooks(), args.students, args.jobs)


if __name__ == "__main__":
    main()
