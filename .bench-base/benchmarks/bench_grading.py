"""Grading cost per submission: `dlcourse grade` now against an earlier commit, in one run.

    python benchmarks/bench_grading.py 01_perceptron --students 4 --baseline d01a7d5

grades the same class (the solution's answers, and the untouched release, alternately) with this
checkout and with the baseline commit checked out in a temporary git worktree (run with this
Python, so only the code differs), alternating A B A B so that load on a shared machine falls on
both. Prints seconds per submission of each and their ratio (current / baseline); the summary
line is the worst ratio of the rounds.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Runs in a fresh process with the checkout to measure first on sys.path. The baseline commit
# had `dlcourse.nbgrading` and `dlcourse.grade`; this one has the adapter and instructor.grade.
SCRIPT = textwrap.dedent("""
    import json, sys, time, tempfile
    from pathlib import Path
    root, assignment, students = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
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
            chosen = answers if k % 2 == 0 else {}
            notebook = nb.fill_answers(release_of(course, assignment), chosen)
            (folder / f"student{k}.ipynb").write_text(json.dumps(notebook))
        started = time.perf_counter()
        grade.grade(folder, assignment, course, quiet=True, feedback=False)
        print(json.dumps({"seconds": time.perf_counter() - started}))
    if __name__ == "__main__":
        main()
""")


def measure(root: Path, assignment: str, students: int) -> float:
    """Seconds per submission of one graded class, with the code in ``root``."""
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as script:
        script.write(SCRIPT)
    env = {**os.environ, "PYTHONPATH": str(root)}
    result = subprocess.run([sys.executable, script.name, str(root), assignment, str(students)],
                            capture_output=True, text=True, env=env, cwd=root, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])["seconds"] / students


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignment")
    parser.add_argument("--students", type=int, default=4)
    parser.add_argument("--baseline", default="d01a7d5", help="commit to compare with")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench_grading_") as scratch:
        baseline = Path(scratch) / "baseline"
        subprocess.run(["git", "worktree", "add", "--detach", str(baseline), args.baseline],
                       cwd=ROOT, check=True, capture_output=True)
        try:
            ratios = []
            for round_ in range(args.rounds):
                now = measure(ROOT, args.assignment, args.students)
                then = measure(baseline, args.assignment, args.students)
                ratios.append(now / then)
                print(f"round {round_ + 1}: {now:.2f} s per submission now, {then:.2f} s at "
                      f"{args.baseline}: ratio {now / then:.2f}", flush=True)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(baseline)], cwd=ROOT,
                           capture_output=True)
    print(f"{args.assignment}: grading cost ratio (now / {args.baseline}), worst of "
          f"{args.rounds}: {max(ratios):.2f}")


if __name__ == "__main__":
    main()
