"""A term on a real JupyterHub, through nbgrader's exchange, end to end (issue 21).

JupyterHub (dummy authenticator, local-process spawner, configurable-http-proxy), every port on
127.0.0.1, two Unix accounts made for the test and an exchange folder made for it. The students
carry only the kit's nbgrader config (:mod:`dlcourse.instructor.exchange`, on the servers'
``JUPYTER_CONFIG_PATH`` as ``/etc/jupyter`` would be on a hub) and type no flag:

- alice works through the Assignment List: the calls its JupyterLab extension makes to her
  server (``courses``, ``assignments``, ``assignments/fetch``, ``assignments/submit``,
  ``assignments/fetch_feedback``); her answers are the solution's;
- bob works from a terminal of his JupyterLab (``nbgrader fetch_assignment 01_perceptron``,
  ``submit``, ``fetch_feedback``, without ``--course``); one of his answers is wrong;
- both edit the notebook through the server's contents API, as JupyterLab saves it.

The instructor (this process, root, as the hub's admin would be) works in a course root of its
own with the commands of docs/instructors.md: ``nbgrader release_assignment``, ``nbgrader
collect``, ``dlcourse grade submitted``, ``nbgrader release_feedback``. Then a second course root
grades the same exchange with plain ``nbgrader autograde`` and must agree.

Root is needed to create the accounts and for the spawner to switch to them: elsewhere this test
is skipped. configurable-http-proxy comes from npm (.ci/run installs it).
"""
from __future__ import annotations

import asyncio
import contextlib
import csv
import hashlib
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import sys
import sysconfig
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from dlcourse.instructor import exchange
from dlcourse.tools import nbgrader_adapter

from conftest import ROOT

ASSIGNMENT = "01_perceptron"
COURSE = nbgrader_adapter.COURSE_ID
WAIT = 120            # seconds: the bound on every wait (hub start, spawn, a command)
BIN = Path(sys.executable).parent
# bob's mistake: Rosenblatt's rule without the bias update (tests/wrong_answers/perceptron.py).
BIAS_UPDATE = "                b = b + lr * error\n"


# --- preconditions -----------------------------------------------------------------------------
def _require_tools() -> str:
    """The proxy's path; skip where this cannot run at all, fail where something is missing."""
    if os.geteuid() != 0:
        pytest.skip("needs root: it creates two Unix accounts (useradd) and JupyterHub's "
                    "local-process spawner switches to them")
    missing = [tool for tool in ("useradd", "userdel") if not shutil.which(tool)]
    proxy = shutil.which("configurable-http-proxy")
    if not proxy:
        missing.append("configurable-http-proxy (npm install -g configurable-http-proxy; "
                       ".ci/run does it)")
    if not (BIN / "jupyterhub").exists():
        missing.append("jupyterhub (the dev extras: pip install -e '.[dev]')")
    if missing:
        pytest.fail("The JupyterHub test needs: " + "; ".join(missing))
    return proxy


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(what: str, probe, timeout: float = WAIT, every: float = 0.5, log: Path | None = None):
    """Call ``probe`` until it returns something true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = probe()
        if result:
            return result
        time.sleep(every)
    tail = log.read_text(errors="replace")[-4000:] if log and log.exists() else ""
    pytest.fail(f"Timed out after {timeout} s waiting for {what}.\n{tail}")


# --- the students' environment --------------------------------------------------------------
def _others_can_run(path: Path) -> bool:
    """Whether an account other than root can reach and execute ``path``."""
    return all(folder.stat().st_mode & stat.S_IXOTH for folder in path.parents) and \
        bool(path.stat().st_mode & stat.S_IXOTH)


def students_environment(folder: Path) -> Path:
    """The ``bin/`` of a Python environment the students' accounts can run, holding this one's
    packages (JupyterLab, nbgrader, jupyterhub): this very environment where other accounts can
    run its interpreter, else a venv of the system's Python of the same version, with nothing
    installed, that imports from this one's site-packages (pyenv's interpreters live in /root,
    which no other account may enter: so on these machines)."""
    if _others_can_run(Path(sys.executable).resolve()):
        return BIN
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    system = shutil.which(version, path="/usr/local/bin:/usr/bin:/bin")
    if not system or not _others_can_run(Path(system).resolve()):
        pytest.fail(f"{sys.executable} cannot be run by other accounts, and there is no "
                    f"{version} they can run: the students' servers need one.")
    bridge = folder / "students-venv"
    subprocess.run([system, "-m", "venv", "--without-pip", str(bridge)], check=True)
    site_packages = sysconfig.get_path("purelib")
    (bridge / "lib" / version / "site-packages" / "course-environment.pth").write_text(
        f"import site; site.addsitedir({site_packages!r})\n")
    for data in ("etc", "share"):         # Jupyter's config (enabled extensions) and data
        (bridge / data).symlink_to(BIN.parent / data)
    for script in ("jupyterhub-singleuser", "nbgrader", "dlcourse"):   # as pip writes them
        text = (BIN / script).read_text().split("\n", 1)[1]
        (bridge / "bin" / script).write_text(f"#!{bridge / 'bin' / 'python'}\n{text}")
        (bridge / "bin" / script).chmod(0o755)
    for path in (folder, *[p for p in bridge.rglob("*") if not p.is_symlink()]):  # any umask
        path.chmod(path.stat().st_mode | stat.S_IROTH | (stat.S_IXOTH if path.is_dir() else 0))
    return bridge / "bin"


# --- Unix accounts -----------------------------------------------------------------------------
def _processes_of(uid: int) -> list[int]:
    pids = []
    for status in Path("/proc").glob("[0-9]*/status"):
        with contextlib.suppress(OSError):
            uid_line = next(line for line in status.read_text().splitlines()
                            if line.startswith("Uid:"))
            if int(uid_line.split()[1]) == uid:
                pids.append(int(status.parent.name))
    return pids


@contextlib.contextmanager
def unix_accounts(names: list[str]):
    """Create the accounts (with homes); afterwards end their processes and remove them."""
    created = []
    try:
        for name in names:
            subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", name],
                           check=True, capture_output=True, text=True)
            created.append(name)
        yield
    finally:
        for name in created:
            uid = pwd.getpwnam(name).pw_uid
            for _ in range(20):        # the processes this test started as them: by their ids
                pids = _processes_of(uid)
                if not pids:
                    break
                for pid in pids:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                time.sleep(0.2)
            subprocess.run(["userdel", "--remove", name], capture_output=True)


# --- the hub -----------------------------------------------------------------------------------
class Hub:
    """A running JupyterHub, driven by an admin service's token."""

    def __init__(self, folder: Path, proxy: str, students: list[str], students_bin: Path,
                 user_env: dict[str, str]):
        self.folder = folder
        self.port, hub_port, proxy_api_port = _free_port(), _free_port(), _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.admin_token = secrets.token_hex(32)
        self.log = folder / "jupyterhub.log"
        config = folder / "jupyterhub_config.py"
        config.write_text(
            "c = get_config()\n"
            f"c.JupyterHub.bind_url = 'http://127.0.0.1:{self.port}'\n"
            f"c.JupyterHub.hub_bind_url = 'http://127.0.0.1:{hub_port}'\n"
            f"c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:{proxy_api_port}'\n"
            f"c.ConfigurableHTTPProxy.command = [{proxy!r}]\n"
            f"c.ConfigurableHTTPProxy.pid_file = {str(folder / 'proxy.pid')!r}\n"
            f"c.JupyterHub.db_url = 'sqlite:///{folder / 'jupyterhub.sqlite'}'\n"
            f"c.JupyterHub.cookie_secret_file = {str(folder / 'cookie_secret')!r}\n"
            "c.JupyterHub.authenticator_class = 'dummy'\n"
            f"c.Authenticator.allowed_users = {set(students)!r}\n"
            "c.JupyterHub.spawner_class = 'localprocess'\n"
            f"c.Spawner.cmd = [{str(students_bin / 'jupyterhub-singleuser')!r}]\n"
            "c.Spawner.ip = '127.0.0.1'\n"
            "c.Spawner.default_url = '/lab'\n"
            f"c.Spawner.environment = {user_env!r}\n"
            f"c.Spawner.start_timeout = {WAIT}\n"
            f"c.Spawner.http_timeout = {WAIT}\n"
            "c.JupyterHub.cleanup_servers = True\n"
            f"c.JupyterHub.services = [{{'name': 'course-test', "
            f"'api_token': {self.admin_token!r}}}]\n"
            "c.JupyterHub.load_roles = [{'name': 'course-test', 'services': ['course-test'], "
            "'scopes': ['admin:users', 'admin:servers', 'tokens', 'access:servers']}]\n")
        # The hub passes PATH on to the students' servers: their environment's scripts first
        # (bob's terminal runs its `nbgrader`). Nothing of the instructor's course.
        env = {key: value for key, value in os.environ.items()
               if key != "PYTHONPATH" and not key.startswith("JUPYTER")}
        env["PATH"] = os.pathsep.join([str(students_bin), str(BIN), env.get("PATH", "")])
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen([str(BIN / "jupyterhub"), "-f", str(config)],
                                            cwd=folder, stdout=log, stderr=subprocess.STDOUT,
                                            env=env, start_new_session=True)

    def wait_until_up(self) -> None:
        _wait_for("JupyterHub to answer", self._up, log=self.log)

    def _up(self) -> bool:
        if self.process.poll() is not None:
            pytest.fail("JupyterHub exited:\n" + self.log.read_text(errors="replace")[-4000:])
        with contextlib.suppress(requests.RequestException):
            return requests.get(f"{self.url}/hub/api/", timeout=5).ok
        return False

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        response = requests.request(method, f"{self.url}/hub/api{path}", timeout=WAIT,
                                    headers={"Authorization": f"token {self.admin_token}"},
                                    **kwargs)
        assert response.ok, f"{method} {path}: {response.status_code} {response.text[:500]}"
        return response

    def start_server(self, user: str) -> StudentServer:
        """Spawn ``user``'s single-user server; a token of theirs to call it."""
        self.api("POST", f"/users/{user}/server")
        _wait_for(f"{user}'s server", lambda: self.api("GET", f"/users/{user}").json()
                  .get("servers", {}).get("", {}).get("ready"), log=self.log)
        token = self.api("POST", f"/users/{user}/tokens",
                         json={"note": "test_jupyterhub", "expires_in": 3600}).json()["token"]
        return StudentServer(f"{self.url}/user/{user}", token)

    def stop(self) -> None:
        """Stop the hub (it stops the servers and the proxy it started), then anything left."""
        proxy_pid_file = self.folder / "proxy.pid"
        proxy_pid = int(proxy_pid_file.read_text()) if proxy_pid_file.exists() else None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)     # the hub's own group, if any left
        if proxy_pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(proxy_pid, signal.SIGKILL)


class StudentServer:
    """A student's single-user server, called as their JupyterLab calls it."""

    def __init__(self, url: str, token: str):
        self.url, self.token = url, token
        self.headers = {"Authorization": f"token {token}"}

    def call(self, method: str, path: str, **kwargs) -> requests.Response:
        response = requests.request(method, f"{self.url}/{path}", headers=self.headers,
                                    timeout=WAIT, **kwargs)
        assert response.ok, f"{method} {path}: {response.status_code} {response.text[:2000]}"
        return response

    # The Assignment List (nbgrader's lab extension) calls exactly these.
    def courses(self) -> list[str]:
        answer = self.call("GET", "courses").json()
        assert answer["success"], answer
        return answer["value"]

    def assignments(self, course: str) -> list[dict]:
        answer = self.call("GET", f"assignments?course_id={course}").json()
        assert answer["success"], answer
        return answer["value"]

    def action(self, action: str, course: str, assignment: str) -> list[dict]:
        answer = self.call("POST", f"assignments/{action}",
                           data=json.dumps({"course_id": course,
                                            "assignment_id": assignment})).json()
        assert answer["success"], answer.get("value")
        return answer["value"]

    # JupyterLab's file editor and notebook: the contents API.
    def read(self, path: str) -> dict:
        return self.call("GET", f"api/contents/{path}?content=1").json()

    def save_notebook(self, path: str, notebook: dict) -> None:
        self.call("PUT", f"api/contents/{path}",
                  json={"type": "notebook", "format": "json", "content": notebook})

    def terminal(self, command: str) -> str:
        """Type ``command`` in a new terminal of the student's JupyterLab; its output. Fails
        when it exits non-zero."""
        name = self.call("POST", "api/terminals").json()["name"]
        try:
            code, output = asyncio.run(self._type(name, command))
        finally:
            self.call("DELETE", f"api/terminals/{name}")
        assert code == 0, f"`{command}` exited {code}:\n{output}"
        return output

    async def _type(self, name: str, command: str) -> tuple[int, str]:
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        url = self.url.replace("http://", "ws://") + f"/terminals/websocket/{name}"
        socket_ = await websocket_connect(HTTPRequest(url, headers=self.headers))
        # The marker is printed by printf, so the echo of the typed line does not match it.
        socket_.write_message(json.dumps(["stdin", f"{command}; printf '%s=%s\\n' DONE $?\r"]))
        output = ""
        deadline = time.monotonic() + WAIT
        try:
            while time.monotonic() < deadline:
                message = await asyncio.wait_for(socket_.read_message(),
                                                 deadline - time.monotonic())
                if message is None:
                    break
                kind, *content = json.loads(message)
                if kind == "stdout":
                    output += content[0]
                    done = re.search(r"DONE=(\d+)", output)
                    if done:
                        clean = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\r", "", output)
                        return int(done.group(1)), clean
        finally:
            socket_.close()
        pytest.fail(f"`{command}` did not finish within {WAIT} s:\n{output}")


# --- the instructor ----------------------------------------------------------------------------
def instructor(course: Path, command: str, *args: str, env: dict[str, str]) -> str:
    """Run ``nbgrader ...`` or ``dlcourse ...`` in the course root, as the instructor types it."""
    result = subprocess.run([str(BIN / command), *args], cwd=course, capture_output=True,
                            text=True, timeout=600, env=nbgrader_adapter.nbgrader_env(**env))
    assert result.returncode == 0, (f"{command} {' '.join(args)} exited {result.returncode}:\n"
                                    f"{result.stdout}\n{result.stderr}")
    return result.stdout + result.stderr


def tree_digest(folder: Path) -> dict[str, str]:
    """{path relative to ``folder``: sha256} of every file below it."""
    return {str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def feedback_scores(html: str) -> tuple[float, dict[str, float]]:
    """(total, {test cell: score}) as nbgrader's feedback page shows them."""
    total = re.search(rf"{ASSIGNMENT} \(Score: ([\d.]+) / [\d.]+\)", html)
    cells = re.findall(r'href="#(test_\w+)"[^<]*</a>\s*\(Score: ([\d.]+) / [\d.]+\)', html)
    assert total and cells, "no scores in the feedback page"
    return float(total.group(1)), {grade_id: float(score) for grade_id, score in cells}


def fetched_feedback(server: StudentServer) -> str:
    """The feedback page the student fetched: ``01_perceptron/feedback/<timestamp>/``."""
    folders = server.read(f"{ASSIGNMENT}/feedback")["content"]
    assert len(folders) == 1, [f["name"] for f in folders]
    page = server.call("GET", f"api/contents/{folders[0]['path']}/{ASSIGNMENT}.html"
                       "?content=1&type=file&format=text").json()
    return page["content"]


def gradebook_submissions(course: Path) -> dict[str, tuple[float, object]]:
    """{student: (total score, timestamp)} of the assignment, from nbgrader's gradebook."""
    from nbgrader.api import Gradebook

    config = nbgrader_adapter.load_config(course)
    with Gradebook(config.CourseDirectory.db_url, COURSE) as gradebook:
        return {submission.student_id: (submission.score, submission.timestamp)
                for submission in gradebook.assignment_submissions(ASSIGNMENT)}


def timestamp_of(collected: Path):
    """The submission time ``nbgrader collect`` recorded, as the gradebook stores it."""
    from nbgrader.utils import parse_utc

    return parse_utc((collected / "timestamp.txt").read_text()).replace(tzinfo=None)


# --- the tests ---------------------------------------------------------------------------------
def test_the_students_config_names_the_course_and_the_exchange(tmp_path):
    """What the kit carries, read as Jupyter reads it; an exchange must be an absolute path."""
    from traitlets.config.loader import PyFileConfigLoader

    path = exchange.write_student_config(tmp_path / "etc" / "jupyter", "/srv/nbgrader/exchange")
    assert path == tmp_path / "etc" / "jupyter" / "nbgrader_config.py"
    assert path.stat().st_mode & 0o777 == 0o644
    config = PyFileConfigLoader(path.name, path=str(path.parent)).load_config()
    assert config.CourseDirectory.course_id == COURSE
    assert config.Exchange.root == "/srv/nbgrader/exchange"
    assert set(config) == {"CourseDirectory", "Exchange"}
    assert set(config.CourseDirectory) == {"course_id"}       # no course root, no gradebook
    assert exchange.environment_config_dir(tmp_path) == tmp_path / "etc" / "jupyter"
    with pytest.raises(ValueError, match="absolute"):
        exchange.student_config("srv/exchange")


@pytest.mark.slow
def test_a_term_on_jupyterhub(tmp_path):
    proxy = _require_tools()
    suffix = secrets.token_hex(2)
    alice, bob = f"dlcalice{suffix}", f"dlcbob{suffix}"
    # What every user of the hub can reach: the exchange (sticky and world-writable, as nbgrader
    # documents) and the kit's nbgrader config. The instructor's course roots stay in tmp_path,
    # which students cannot enter.
    shared = Path(tempfile.mkdtemp(prefix="dlcourse-hub-"))
    try:
        shared.chmod(0o755)
        exchange_root = shared / "exchange"
        exchange_root.mkdir()
        exchange_root.chmod(0o1777)
        config_dir = shared / "etc-jupyter"
        exchange.write_student_config(config_dir, exchange_root)
        config_dir.chmod(0o755)
        # As on a hub, where /etc/jupyter/nbgrader_config.py reaches every user's Jupyter and
        # the instructor's nbgrader too.
        everyone = {"JUPYTER_CONFIG_PATH": str(config_dir)}
        user_env = {**everyone, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
        hub_folder = tmp_path / "hub"
        hub_folder.mkdir()
        students_bin = students_environment(shared / "environment")
        with unix_accounts([alice, bob]):
            for student in (alice, bob):
                # JupyterLab's terminal is a login shell, which resets PATH from /etc/profile:
                # a hub's image puts its environment on PATH in /etc/profile.d, this test in
                # the students' own profiles.
                with open(Path(pwd.getpwnam(student).pw_dir) / ".profile", "a") as profile:
                    profile.write(f'\nexport PATH="{students_bin}:$PATH"\n')
            hub = Hub(hub_folder, proxy, [alice, bob], students_bin, user_env)
            try:
                _term(tmp_path, hub, alice, bob, everyone)
            finally:
                hub.stop()
    finally:
        shutil.rmtree(shared, ignore_errors=True)


def _term(tmp_path: Path, hub: Hub, alice: str, bob: str, everyone: dict[str, str]) -> None:
    started = time.perf_counter()
    with ThreadPoolExecutor(1) as background:
        # The second course root (a fresh clone, for plain nbgrader) is made meanwhile:
        # nbgrader's generate_assignment, in processes of its own.
        plain_course = background.submit(nbgrader_adapter.make_course, ROOT, tmp_path / "plain",
                                         [ASSIGNMENT])
        course = nbgrader_adapter.make_course(ROOT, tmp_path / "course", [ASSIGNMENT])
        instructor(course, "nbgrader", "release_assignment", ASSIGNMENT, env=everyone)
        hub.wait_until_up()     # it started meanwhile too
        servers = {alice: hub.start_server(alice), bob: hub.start_server(bob)}
        print(f"hub and servers up, assignment released: {time.perf_counter() - started:.0f} s")

        # The Assignment List shows the course (from the kit's config) and what it released.
        for server in servers.values():
            assert server.courses() == [COURSE]
            assert statuses(server.assignments(COURSE)) == [(ASSIGNMENT, "released")]

        # alice: the Assignment List's Fetch; bob: a terminal, no flags.
        assert (ASSIGNMENT, "fetched") in statuses(servers[alice].action("fetch", COURSE,
                                                                        ASSIGNMENT))
        servers[bob].terminal(f"nbgrader fetch_assignment {ASSIGNMENT}")
        assert statuses(servers[bob].assignments(COURSE)) == [(ASSIGNMENT, "fetched")]

        # They write their answers in JupyterLab: alice the solution's, bob one wrong.
        solution = nbgrader_adapter.solution_answers(course, ASSIGNMENT)
        assert BIAS_UPDATE in solution["perceptron_train"]
        answers = {alice: solution,
                   bob: dict(solution, perceptron_train=solution["perceptron_train"].replace(
                       BIAS_UPDATE, ""))}
        path = f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
        release = nbgrader_adapter.read_json(nbgrader_adapter.release_notebook(course,
                                                                               ASSIGNMENT))
        points = nbgrader_adapter.test_points(release)
        for student, server in servers.items():
            fetched = server.read(path)["content"]
            assert nbgrader_adapter.sources_by_role(fetched, "test") == \
                nbgrader_adapter.sources_by_role(release, "test")
            draft = tmp_path / f"{student}.ipynb"
            draft.write_text(json.dumps(fetched))
            server.save_notebook(path, nbgrader_adapter.fill_answers(draft, answers[student]))

        # alice checks her work from a terminal: no course root in her account, the notebook
        # says which assignment it is.
        report = servers[alice].terminal(f"dlcourse check {path}")
        full_marks = f"{sum(points.values()):g}"
        assert re.search(rf"total\s+{full_marks} / {full_marks}", report), report

        # Submit: alice's button, bob's `nbgrader submit` with no --course.
        assert (ASSIGNMENT, "submitted") in statuses(servers[alice].action("submit", COURSE,
                                                                          ASSIGNMENT))
        servers[bob].terminal(f"nbgrader submit {ASSIGNMENT}")
        expected = {alice: dict(points), bob: dict(points, test_perceptron_train=0.0)}

        # The instructor, with dlcourse grade.
        instructor(course, "nbgrader", "collect", ASSIGNMENT, env=everyone)
        collected = tree_digest(course / "submitted")
        assert {Path(p).parts[0] for p in collected} == {alice, bob}
        summary = instructor(course, "dlcourse", "grade", "submitted",
                             "--assignment", ASSIGNMENT, env=everyone)
        instructor(course, "nbgrader", "release_feedback", ASSIGNMENT, env=everyone)
        print(f"graded with dlcourse grade: {time.perf_counter() - started:.0f} s")

        assert_gradebook(course, expected, summary)
        with open(course / "autograded" / f"{ASSIGNMENT}.csv", newline="") as handle:
            rows = {row["student"]: row for row in csv.DictReader(handle)}
        assert {student: ({g: float(row[g]) for g in points}, float(row["total"]))
                for student, row in rows.items()} == {
            student: (cells, sum(cells.values())) for student, cells in expected.items()}
        fetch_feedback(servers, alice, bob)
        assert_feedback(servers, course, expected)
        assert tree_digest(course / "submitted") == collected, \
            "dlcourse grade changed a collected submission"
        plain = plain_course.result()

    # A fresh clone grades the same exchange with plain nbgrader: the same scores.
    instructor(plain, "nbgrader", "collect", ASSIGNMENT, env=everyone)
    assert tree_digest(plain / "submitted") == collected
    instructor(plain, "nbgrader", "autograde", ASSIGNMENT, env=everyone)
    instructor(plain, "nbgrader", "generate_feedback", ASSIGNMENT, env=everyone)
    instructor(plain, "nbgrader", "release_feedback", ASSIGNMENT, env=everyone)
    print(f"graded with plain nbgrader: {time.perf_counter() - started:.0f} s")
    assert_gradebook(plain, expected)
    fetch_feedback(servers, alice, bob)
    assert_feedback(servers, plain, expected)
    assert tree_digest(plain / "submitted") == collected
    assert tree_digest(course / "submitted") == collected


def statuses(assignments: list[dict]) -> list[tuple[str, str]]:
    """(assignment, status) as the Assignment List shows them: released, fetched, submitted."""
    return [(a["assignment_id"], a["status"]) for a in assignments]


def assert_gradebook(course: Path, expected: dict[str, dict[str, float]], log: str = "") -> None:
    """Each student's cell scores and total in nbgrader's gradebook, and the submission time
    nbgrader collected (late penalties use it)."""
    recorded = gradebook_submissions(course)
    assert set(recorded) == set(expected)
    for student, cells in expected.items():
        assert nbgrader_adapter.scores(course, ASSIGNMENT, student) == cells, log
        total, timestamp = recorded[student]
        assert total == sum(cells.values())
        assert timestamp == timestamp_of(course / "submitted" / student / ASSIGNMENT)


def fetch_feedback(servers: dict[str, StudentServer], alice: str, bob: str) -> None:
    """alice's Fetch Feedback button, bob's `nbgrader fetch_feedback` with no --course."""
    listed = servers[alice].action("fetch_feedback", COURSE, ASSIGNMENT)
    assert any(s.get("has_local_feedback") for a in listed for s in a.get("submissions", []))
    servers[bob].terminal(f"nbgrader fetch_feedback {ASSIGNMENT}")


def assert_feedback(servers: dict[str, StudentServer], course: Path,
                    expected: dict[str, dict[str, float]]) -> None:
    """Each student holds the page ``course`` released, with their scores."""
    for student, server in servers.items():
        page = fetched_feedback(server)
        assert page == (course / "feedback" / student / ASSIGNMENT /
                        f"{ASSIGNMENT}.html").read_text()
        assert feedback_scores(page) == (sum(expected[student].values()), expected[student])
