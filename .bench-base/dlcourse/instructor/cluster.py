"""One autograde as a task that needs nothing but its arguments, and where such tasks run: a
process pool on this machine, or a Dask cluster (``dask.distributed``) of any size.

A task (:func:`grade_task`) is given, as data, everything it needs: the submission's bytes, and
an assignment :class:`Bundle` (the release's files, the test cells with their hidden checks,
the ``grading/`` package and the solution notebook its reference is built from). It grades in
temporary folders of the machine it runs on, with the executor and the sandbox of
:mod:`dlcourse.tools` (the submission's code in bubblewrap, verdicts in the task's process), and
returns data: the scores per test cell, the notes, the notebook as it ran, the seconds. It
never writes into the course root, and a worker keeps nothing between tasks but a copy of the
``grading/`` package it was sent, named by its hash.

Tasks are named by a hash of what decides their result (:func:`task_key`): the submission's
bytes, the bundle, the limits, and the grader's own code. The coordinator (``dlcourse grade``)
keeps each result in a :class:`Cache` as it arrives, so a run that was interrupted grades only
what is missing, and a resubmission, having other bytes, is always graded again.

Faults: a task whose worker dies is run again on another worker by Dask's scheduler, up to its
``distributed.scheduler.allowed-failures`` (then the scheduler gives up with ``KilledWorker``,
and the coordinator grades that submission 0 with a note); a task that raises (a worker
without bubblewrap, or with another dlcourse) is tried once more, then reported, never graded.
"""
from __future__ import annotations

import atexit
import functools
import hashlib
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

import dlcourse
from dlcourse.tools import executor, nbgrader_adapter, sandbox
from dlcourse.tools.session import Session

TASK_RETRIES = 1          # a task that raised is tried once more (another worker, perhaps)
LOCAL_ALLOWED_FAILURES = 2  # a task whose worker died runs at most 3 times on a local cluster
KILLED_NOTE = ("Grading your notebook stopped the grading machine each time it was tried (it "
               "may use far more memory than it should): every test scores 0. Ask your "
               "instructor.")


# --- what a task is given --------------------------------------------------------------------
def _digest(files: Mapping[str, bytes | str]) -> str:
    hasher = hashlib.sha256()
    for name in sorted(files):
        value = files[name]
        data = value.encode() if isinstance(value, str) else value
        hasher.update(f"{name}\0{len(data)}\0".encode())
        hasher.update(data)
    return hasher.hexdigest()


@functools.cache
def dlcourse_digest() -> str:
    """A hash of this dlcourse's code: a coordinator and its workers must run the same grader."""
    package = Path(dlcourse.__file__).resolve().parent
    return _digest({str(p.relative_to(package)): p.read_bytes()
                    for p in package.rglob("*.py") if "__pycache__" not in p.parts})


@dataclass(frozen=True)
class Bundle:
    """Everything a worker needs to grade submissions of one assignment, as data."""
    assignment: str
    release: dict[str, bytes]     # the release folder's files: notebook, provided modules
    tests: dict[str, str]         # grade id -> test cell source, hidden checks included
    grading: dict[str, bytes]     # path in the course root -> bytes: grading/, the solution
    dlcourse: str                 # dlcourse_digest() of the coordinator

    @functools.cached_property
    def digest(self) -> str:
        return _digest({"assignment": self.assignment, "dlcourse": self.dlcourse,
                        **{f"release/{k}": v for k, v in self.release.items()},
                        **{f"tests/{k}": v for k, v in self.tests.items()},
                        **{f"grading/{k}": v for k, v in self.grading.items()}})


def bundle(course: Path, assignment: str) -> Bundle:
    """The bundle of ``assignment`` in the course root ``course``."""
    release_folder = course / nbgrader_adapter.RELEASE_DIR / assignment
    release = {p.name: p.read_bytes() for p in sorted(release_folder.iterdir()) if p.is_file()}
    tests = nbgrader_adapter.sources_by_role(
        nbgrader_adapter.source_notebook(course, assignment), "test")
    grading = {str(p.relative_to(course)): p.read_bytes()
               for p in sorted((course / "grading").rglob("*.py"))
               if "__pycache__" not in p.parts}
    # The hidden checks' reference is the solution notebook, run with its provided modules.
    solution = course / nbgrader_adapter.SOURCE_DIR / assignment
    grading |= {str(p.relative_to(course)): p.read_bytes() for p in sorted(solution.iterdir())
                if p.is_file() and not p.name.endswith(nbgrader_adapter.SOURCE_SUFFIX)}
    return Bundle(assignment, release, tests, grading, dlcourse_digest())


@dataclass(frozen=True)
class Options:
    limits: sandbox.Limits
    wall_seconds: float
    sandboxed: bool


def task_key(bundle_: Bundle, options: Options, submission: bytes | None) -> str:
    """The name of the task grading ``submission``: equal for equal results, whoever's."""
    hasher = hashlib.sha256(f"{bundle_.digest}\0{options!r}\0".encode())
    hasher.update(b"\0no notebook" if submission is None else submission)
    return hasher.hexdigest()[:32]


# --- the task --------------------------------------------------------------------------------
_LOCK = threading.Lock()     # one grade at a time per process: stdout, sys.path are global
_GRADING: dict[str, str] = {}   # digest of a grading/ package -> its folder on this machine
_loaded = ""                  # the digest of the grading/ package imported in this process


def _grading_root(bundle_: Bundle) -> str:
    """A folder holding the bundle's grading/ package and solution, importable as ``grading``
    (the package a previous task imported is forgotten if it was another one)."""
    global _loaded
    digest = _digest(bundle_.grading)
    if digest not in _GRADING:
        folder = Path(tempfile.mkdtemp(prefix="dlcourse-grading-"))
        atexit.register(shutil.rmtree, folder, True)
        for name, data in bundle_.grading.items():
            target = folder / name
            if folder not in target.resolve().parents:
                raise ValueError(f"a grading file outside its folder: {name}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        _GRADING[digest] = str(folder)
    if _loaded != digest:
        for name in [m for m in sys.modules if m == "grading" or m.startswith("grading.")]:
            del sys.modules[name]
        sys.path[:] = [p for p in sys.path if p not in _GRADING.values()]
        sys.path.insert(0, _GRADING[digest])
        _loaded = digest
    return _GRADING[digest]


def grade_task(bundle_: Bundle, options: Options, submission: bytes | None) -> dict:
    """Grade one submission of ``bundle_.assignment``. Returns {"scores": {grade id: points},
    "notes": [...], "notebook": the notebook as it ran, "seconds": ...}. Runs on a worker (or
    in a pool process): it never executes the submission's code itself."""
    if bundle_.dlcourse != dlcourse_digest():
        raise RuntimeError(f"this worker ({os.uname().nodename}) runs another version of "
                           "dlcourse than the coordinator: install the same one on both")
    with _LOCK:
        started = time.perf_counter()
        _grading_root(bundle_)
        os.environ["NBGRADER_EXECUTION"] = "autograde"
        assignment = bundle_.assignment
        release = json.loads(bundle_.release[f"{assignment}.ipynb"])
        notes: list[str] = []
        try:
            if submission is None:
                raise executor.UnreadableNotebook(f"no {assignment}.ipynb was handed in")
            parsed, notes = executor.read_submission(submission.decode("utf-8", "replace"))
        except executor.UnreadableNotebook as error:
            outcome = ungraded(bundle_, f"Your submission could not be graded ({error}): "
                                        "every test scores 0.")
        else:
            planned = executor.plan(parsed, release, bundle_.tests)
            with tempfile.TemporaryDirectory(prefix="dlcourse-release-") as release_folder, \
                    tempfile.TemporaryDirectory(prefix="dlcourse-run-") as scratch:
                for name, data in bundle_.release.items():
                    Path(release_folder, name).write_bytes(data)
                    if not name.endswith(".ipynb"):    # provided modules travel with it
                        Path(scratch, name).write_bytes(data)
                session = Session(Path(scratch), sandboxed=options.sandboxed,
                                  limits=options.limits)
                outcome = executor.run(planned, session, folder=Path(release_folder),
                                       cell_seconds=options.limits.cell_seconds,
                                       wall_seconds=options.wall_seconds)
            outcome.notes[:0] = notes
        return {"scores": {test.grade_id: test.points for test in outcome.tests},
                "notes": outcome.notes, "notebook": outcome.notebook,
                "seconds": time.perf_counter() - started}


def ungraded(bundle_: Bundle, note: str) -> executor.Outcome:
    """The release as its own submission, every test cell failed saying ``note``: what a
    notebook that could not be graded gets."""
    release = json.loads(bundle_.release[f"{bundle_.assignment}.ipynb"])
    planned = executor.plan({"cells": [c for c in release["cells"]
                                       if c.get("cell_type") != "code"]}, release, bundle_.tests)
    tests = []
    for cell in planned.cells:
        if cell.role == "test":
            cell.cell["outputs"] = [{"output_type": "error", "ename": "NotGraded",
                                     "evalue": note, "traceback": [note]}]
            tests.append(executor.TestResult(cell.grade_id, 0.0, cell.points, note))
    notebook = {"cells": [c.cell for c in planned.cells], "metadata": planned.metadata,
                "nbformat": 4, "nbformat_minor": 5}
    return executor.Outcome(tests, [note], notebook)


def killed_result(bundle_: Bundle) -> dict:
    """The result of a submission whose workers kept dying: 0, saying why."""
    outcome = ungraded(bundle_, KILLED_NOTE)
    return {"scores": {t.grade_id: 0.0 for t in outcome.tests}, "notes": outcome.notes,
            "notebook": outcome.notebook, "seconds": 0.0}


# --- the coordinator's cache -----------------------------------------------------------------
class Cache:
    """Results of finished tasks, one JSON file per task key, written only by the coordinator:
    ``autograded/.dlcourse-cache/<assignment>/<key>.json`` in the course root."""

    def __init__(self, course: Path, assignment: str) -> None:
        self.folder = Path(course) / "autograded" / ".dlcourse-cache" / assignment

    def get(self, key: str) -> dict | None:
        try:
            return json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def put(self, key: str, result: dict) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = self.folder / f".{key}.partial"
        partial.write_text(json.dumps(result), encoding="utf-8")
        partial.replace(self.folder / f"{key}.json")     # whole, or not at all


# --- where tasks run -------------------------------------------------------------------------
def run_tasks(bundle_: Bundle, options: Options, submissions: dict[str, bytes | None], *,
              scheduler: str | None, jobs: int) -> Iterator[tuple[str, dict | BaseException]]:
    """Grade ``submissions`` ({task key: bytes}); yield (key, result or the error it ended
    with) as each finishes. ``scheduler``: a Dask scheduler's address, "local" for a Dask
    cluster of ``jobs`` processes here, or None for a pool of ``jobs`` processes here."""
    if not submissions:
        return
    if scheduler is None:
        yield from _run_in_pool(bundle_, options, submissions, jobs)
    else:
        yield from _run_on_dask(bundle_, options, submissions, scheduler, jobs)


def _run_in_pool(bundle_, options, submissions, jobs):
    with ProcessPoolExecutor(min(jobs, len(submissions)),
                             mp_context=get_context("spawn")) as pool:
        futures = {pool.submit(grade_task, bundle_, options, data): key
                   for key, data in submissions.items()}
        for future in as_completed(futures):
            error = future.exception()
            yield futures[future], error if error is not None else future.result()


def _identity(value):
    return value


def _run_on_dask(bundle_, options, submissions, scheduler, jobs):
    import dask
    from distributed import Client, LocalCluster
    from distributed import as_completed as completed

    cluster = None
    if scheduler == "local":
        with dask.config.set({"distributed.scheduler.allowed-failures": LOCAL_ALLOWED_FAILURES}):
            cluster = LocalCluster(n_workers=min(jobs, len(submissions)), threads_per_worker=1,
                                   processes=True, dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(scheduler)
        print(f"Grading on {scheduler}: dashboard at {client.dashboard_link}", file=sys.stderr)
    try:
        # A task, not scattered data: if the worker holding it dies, the scheduler rebuilds it.
        shared = client.submit(_identity, bundle_, key=f"bundle-{bundle_.digest[:32]}")
        futures = {client.submit(grade_task, shared, options, data, retries=TASK_RETRIES,
                                 key=f"grade-{bundle_.assignment}-{key}"): key
                   for key, data in submissions.items()}
        for future in completed(futures):
            key = futures[future]
            if future.status == "error":
                yield key, future.exception()
            else:
                yield key, future.result()
            future.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def is_killed_worker(error: BaseException) -> bool:
    """Whether Dask gave up on a task because the workers running it kept dying."""
    return type(error).__name__ == "KilledWorker"
