"""The shell blocks of the documentation, run as a user types them.

A block is a fenced ```sh (or bash, shell) block of a markdown file. A block preceded by
``<!-- not run: REASON -->`` is not run. The others run line by line, in one bash session per
reading (a user's terminal: `cd`, `. .venv/bin/activate` and variables carry over from block to
block), each line exactly as written. A line that starts JupyterLab (``make lab``, ``dlcourse
lab``, ``jupyter lab``) runs in the background until the server answers, is checked, then stopped,
as a user would press Ctrl-C.

The session is a user's: no virtual environment active, and Jupyter's per-user folders are new
(``JUPYTER_CONFIG_DIR`` there tells JupyterLab its port and token, and not to open a browser).
"""
from __future__ import annotations

import json
import os
import queue
import re
import secrets
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

BLOCK = re.compile(r"^(?P<indent>[ \t]*)```(?:sh|bash|shell)\n(?P<body>.*?)^(?P=indent)```",
                   re.M | re.S)
NOT_RUN = re.compile(r"<!-- not run: (?P<reason>.+?) -->\s*$")
LAB = re.compile(r"^(make lab|dlcourse lab|jupyter lab)\b")
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy


@dataclass
class Block:
    path: Path
    line: int            # of the opening fence
    commands: list[str]  # logical lines (continuations joined), comments and blanks left out
    not_run: str | None  # the reason given, for a block that is not run

    @property
    def where(self) -> str:
        return f"{self.path.name}:{self.line}"


def blocks(path: Path) -> list[Block]:
    """The shell blocks of a markdown file, in order."""
    text = path.read_text(encoding="utf-8")
    found = []
    for match in BLOCK.finditer(text):
        before = text[:match.start()].rstrip("\n").splitlines()
        reason = NOT_RUN.search(before[-1]) if before else None
        indent = len(match.group("indent"))
        lines = [line[indent:] for line in match.group("body").splitlines()]
        found.append(Block(path, text[:match.start()].count("\n") + 1, logical_lines(lines),
                           reason.group("reason") if reason else None))
    return found


def logical_lines(lines: list[str]) -> list[str]:
    """Commands as the shell reads them: backslash continuations joined, comments dropped."""
    commands, pending = [], ""
    for line in lines:
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        command = (pending + line).strip()
        pending = ""
        if command and not command.startswith("#"):
            commands.append(command)
    return commands


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def user_environment(home: Path) -> dict[str, str]:
    """A user's environment: no virtual environment active, Jupyter's per-user folders new.

    HOME stays (pip's cache is there, warm); MNIST's location (DLCOURSE_DATA) stays."""
    path = [entry for entry in os.environ.get("PATH", "").split(os.pathsep)
            if entry and "/.venv/" not in entry + "/" and entry != os.environ.get("VIRTUAL_ENV")]
    env = {name: value for name, value in os.environ.items()
           if name not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PYTEST_CURRENT_TEST",
                           "MAKEFLAGS", "MFLAGS", "MAKELEVEL")   # `make test` runs the tests
           and not name.startswith("PYTEST_XDIST")}
    jupyter = {name: str(home / name.lower()) for name in (
        "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR",
        "JUPYTERLAB_SETTINGS_DIR", "JUPYTERLAB_WORKSPACES_DIR")}
    return {**env, **jupyter, "PATH": os.pathsep.join(path), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


@dataclass
class Lab:
    url: str
    token: str
    log: Path

    def get(self, path: str) -> tuple[int, str]:
        separator = "&" if "?" in path else "?"
        try:
            with DIRECT.open(f"{self.url}{path}{separator}token={self.token}", timeout=30) as r:
                return r.status, r.read().decode("utf-8", errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, ""
        except OSError:   # not listening (yet)
            return 0, ""

    def page_config(self) -> dict:
        """JupyterLab's page config (which extensions are disabled and locked)."""
        _, page = self.get("/lab")
        found = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)'
                          r"</script>", page, re.S)
        return json.loads(found.group(1)) if found else {}


@dataclass
class Shell:
    """One bash session in ``cwd``, fed line by line; a transcript of what it printed."""
    cwd: Path
    env: dict[str, str]
    transcript: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.port, self.token = free_port(), secrets.token_hex(16)
        config = Path(self.env["JUPYTER_CONFIG_DIR"])
        config.mkdir(parents=True, exist_ok=True)
        (config / "jupyter_server_config.json").write_text(json.dumps({
            "ServerApp": {"port": self.port, "port_retries": 0, "open_browser": False,
                          "ip": "127.0.0.1"},
            "IdentityProvider": {"token": self.token}}))
        self.process = subprocess.Popen(
            ["bash", "--noprofile", "--norc"], cwd=self.cwd, env=self.env, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            start_new_session=True)
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self._send("set -m")   # each background job in its own process group, to stop it whole

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def _send(self, text: str) -> None:
        self.process.stdin.write(text + "\n")
        self.process.stdin.flush()

    def _until_marker(self, marker: str, timeout: float) -> tuple[str, list[str]]:
        deadline, output = time.monotonic() + timeout, []
        while True:
            try:
                line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                raise TimeoutError(
                    f"no end after {timeout:.0f} s:\n{''.join(output)[-3000:]}") from None
            if line is None:
                raise RuntimeError(f"the shell exited:\n{''.join(output)[-3000:]}")
            if line.startswith(marker):
                return line[len(marker):].strip(), output
            output.append(line)

    def run(self, command: str, timeout: float = 600) -> tuple[int, str]:
        """Run one command line as typed; its exit status and what it printed."""
        marker = f"__doc_shell_{secrets.token_hex(4)}__"
        self.transcript.append(f"$ {command}\n")
        self._send(f"{{ {command}\n}} < /dev/null 2>&1\necho \"{marker} $?\"")
        status, output = self._until_marker(marker, timeout)
        self.transcript += output
        return int(status), "".join(output)

    def lab(self, command: str, check, log: Path, timeout: float = 600) -> None:
        """Start a JupyterLab command in the background, wait until it serves, hand it to
        ``check(Lab)``, then stop it (its whole process group) and wait for it to exit."""
        marker = f"__doc_shell_{secrets.token_hex(4)}__"
        self.transcript.append(f"$ {command}   (in the background, log in {log.name})\n")
        self._send(f"{{ {command}\n}} < /dev/null > '{log}' 2>&1 &\necho \"{marker} $!\"")
        pid = int(self._until_marker(marker, 30)[0])
        port = re.search(r"--port[= ](\d+)", command)
        lab = Lab(f"http://127.0.0.1:{port.group(1) if port else self.port}", self.token, log)
        try:
            deadline = time.monotonic() + timeout
            while lab.get("/api/status")[0] != 200:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{command!r} did not serve in {timeout:.0f} s:\n"
                                       f"{log.read_text()[-3000:]}")
                try:
                    os.killpg(pid, 0)
                except ProcessLookupError:
                    raise RuntimeError(
                        f"{command!r} exited:\n{log.read_text()[-3000:]}") from None
                time.sleep(0.5)
            check(lab)
        finally:
            self._stop(pid)
        self.transcript.append(log.read_text())

    def _stop(self, pid: int) -> None:
        for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 5)):
            try:
                os.killpg(pid, sig)
            except ProcessLookupError:
                return
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline:
                try:
                    os.killpg(pid, 0)
                except ProcessLookupError:
                    return
                time.sleep(0.2)

    def close(self) -> None:
        try:
            self._send("exit")
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            pass
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
