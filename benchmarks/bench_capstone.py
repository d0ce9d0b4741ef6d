"""Does notebook 10's solution reach its targets: accuracy on three seeds, and its time budget?

Runs every code cell of the solution notebook in order, full length (as `dlcourse report` runs
it), timing each cell; then runs its final training (the cell with the line `seed = 1`) and
the cells after it up to the test evaluation again, for each further seed. Targets (issue 17):
median test accuracy over the seeds >= 99.3%, none below 99.2%; the final training within 4
minutes and the whole notebook (the search included) within 6 minutes on an idle machine of the
course's kind (2 cores, one BLAS thread). Times are CPU times of this single-threaded process
(`time.process_time`), which is what an idle machine's clock shows; wall times are printed for
the record, with the load average. Nothing asserts a duration anywhere else.

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/bench_capstone.py
    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_capstone.py 1 2 3 4 5   # other seeds

Exits with status 1 when a target is missed.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENT = "10_capstone"
FOLDER = ROOT / "solutions" / ASSIGNMENT
SEED_LINE = re.compile(r"^seed = \d+$", re.MULTILINE)
MEDIAN_TARGET, WORST_TARGET = 0.993, 0.992
TRAINING_BUDGET, NOTEBOOK_BUDGET = 240.0, 360.0

sys.path.insert(0, str(ROOT))
os.environ.setdefault("DLCOURSE_DATA", str(ROOT.parent / "shared" / "data"))
os.environ.setdefault("MPLBACKEND", "Agg")


def code_cells() -> list[str]:
    notebook = json.loads((FOLDER / f"{ASSIGNMENT}.ipynb").read_text(encoding="utf-8"))
    return ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code"]


def run_cell(source: str, namespace: dict, label: str) -> tuple[float, float]:
    """Execute one cell; returns its (CPU, wall) seconds. Progress bars and prints are dropped."""
    cpu, wall = time.process_time(), time.perf_counter()
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        exec(compile(source, f"<{ASSIGNMENT} {label}>", "exec"), namespace)
    return time.process_time() - cpu, time.perf_counter() - wall


def main(seeds: list[int]) -> int:
    os.environ.pop("DLCOURSE_QUICK", None)          # the full run, not the graded short one
    os.environ.pop("NBGRADER_EXECUTION", None)
    import matplotlib.pyplot as plt

    plt.show = lambda *args, **kwargs: plt.close("all")
    sys.path.insert(0, str(FOLDER))                 # the provided modules, beside the notebook
    cells = code_cells()
    training = next(i for i, source in enumerate(cells) if SEED_LINE.search(source))
    testing = next(i for i, source in enumerate(cells) if 'record("test_accuracy"' in source)
    search = next(i for i, source in enumerate(cells) if "search_rng" in source)
    cells[training] = SEED_LINE.sub(f"seed = {seeds[0]}", cells[training])
    namespace: dict = {"__name__": f"benchmark_{ASSIGNMENT}"}
    load = os.getloadavg()[0]
    times = [run_cell(source, namespace, f"cell {index}") for index, source in enumerate(cells)]
    notebook_cpu = sum(cpu for cpu, _ in times)
    notebook_wall = sum(wall for _, wall in times)
    print(f"whole notebook, seed {seeds[0]}: CPU {notebook_cpu:.1f} s, wall {notebook_wall:.1f} s; "
          f"search CPU {times[search][0]:.1f} s; final training CPU {times[training][0]:.1f} s, "
          f"wall {times[training][1]:.1f} s "
          f"(load average {load:.1f} before, {os.getloadavg()[0]:.1f} after, "
          f"{os.cpu_count()} cores)", flush=True)
    print(f"best trial: {namespace['best_trial']}", flush=True)
    accuracies = {seeds[0]: namespace["test_accuracy"]}
    training_cpu = {seeds[0]: times[training][0]}
    training_wall = {seeds[0]: times[training][1]}
    print(f"seed {seeds[0]}: test accuracy {accuracies[seeds[0]]:.2%}, best epoch "
          f"{namespace['checkpoint'].best_epoch + 1}", flush=True)
    for seed in seeds[1:]:
        load = os.getloadavg()[0]
        source = SEED_LINE.sub(f"seed = {seed}", cells[training])
        training_cpu[seed], training_wall[seed] = run_cell(source, namespace, f"seed {seed}")
        for index in range(training + 1, testing + 1):
            run_cell(cells[index], namespace, f"cell {index}")
        accuracies[seed] = namespace["test_accuracy"]
        print(f"seed {seed}: test accuracy {accuracies[seed]:.2%}, best epoch "
              f"{namespace['checkpoint'].best_epoch + 1}, training CPU {training_cpu[seed]:.1f} s, "
              f"wall {training_wall[seed]:.1f} s (load average {load:.1f} before, "
              f"{os.getloadavg()[0]:.1f} after)", flush=True)
    median, worst = statistics.median(accuracies.values()), min(accuracies.values())
    slowest = max(training_cpu.values())
    print(f"test accuracy: median {median:.2%} (target >= {MEDIAN_TARGET:.1%}), lowest "
          f"{worst:.2%} (target >= {WORST_TARGET:.1%}); final training CPU: slowest "
          f"{slowest:.1f} s (budget {TRAINING_BUDGET:.0f} s); whole notebook CPU "
          f"{notebook_cpu:.1f} s (budget {NOTEBOOK_BUDGET:.0f} s)")
    missed = (median < MEDIAN_TARGET or worst < WORST_TARGET or slowest > TRAINING_BUDGET
              or notebook_cpu > NOTEBOOK_BUDGET)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main([int(seed) for seed in sys.argv[1:]] or [1, 2, 3]))
