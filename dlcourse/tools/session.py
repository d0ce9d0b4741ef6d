"""The grader's end of the wire: a submission's process, and stand-ins for what it defines.

:class:`Session` starts the worker (:mod:`dlcourse.tools.worker`), sandboxed when asked, and
talks to it. The student's functions, classes and objects reach the grader as stand-ins
(:class:`RemoteFunction`, :class:`RemoteClass`, :class:`RemoteObject`): calling one sends the
arguments across as plain data and returns plain data, so nothing the submission defines ever
runs in the grader's process. Callables the grader passes (a lambda for ``numerical_gradient``)
are called back here. An argument the submission changed in place is changed here too, so
``call_unmutated`` still sees mutation; warnings raised there are raised again here.

When the worker dies (``os._exit``, a crash, memory) or overruns its time, the session kills
it, and the next request starts a fresh one and replays the cells that had run (but the one
that killed it), so one fatal answer costs only what depends on it.
"""
from __future__ import annotations

import builtins
import inspect
import os
import re
import select
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

from dlcourse.tools import protocol, sandbox

MAX_RESTARTS = 4


class SubmissionStopped(Exception):
    """The submission's process died, or was stopped at a time limit."""


class CellTimeout(SubmissionStopped):
    """A cell (or a call in a test) ran past its time limit."""


class SubmissionMisbehaved(Exception):
    """The submission's process sent something that is not a well-formed message."""


class SubmissionException(Exception):
    """An exception raised by the submission's code whose type is not a builtin one."""


_BUILTIN_EXCEPTIONS = {name: value for name, value in vars(builtins).items()
                       if isinstance(value, type) and issubclass(value, Exception)}
_REMOTE_TYPES: dict[str, type] = {}
# numpy's exceptions whose names a student may meet (np.linalg.inv of a singular matrix...).
_NUMPY_EXCEPTIONS = {"LinAlgError", "AxisError", "UFuncTypeError", "DTypePromotionError"}


def remote_exception(raised: dict) -> Exception:
    """The grader's copy of an exception the submission raised: same builtin type (so a check
    can expect a ValueError), its message, and the lines of the student's cells it went
    through. Never the submission's own exception object."""
    name = str(raised.get("type", "Exception"))[:100]
    if name not in _BUILTIN_EXCEPTIONS and name not in _NUMPY_EXCEPTIONS:
        # A class of the submission's own: its name is its choice, and could carry the hidden
        # inputs (type("LEAK_0_125", (ValueError,), {})).
        name = "SubmissionException"
    message = str(raised.get("message", ""))[:2000]
    frames = [str(frame)[:300] for frame in raised.get("frames", [])
              if isinstance(frame, str)][:8] if isinstance(raised.get("frames"), list) else []
    cls = _REMOTE_TYPES.get(name)
    if cls is None:
        base = _BUILTIN_EXCEPTIONS.get(name, SubmissionException)
        cls = _REMOTE_TYPES[name] = type(name, (base,), {"from_submission": True})
    try:
        error = cls(message)
    except TypeError:       # a builtin that takes other arguments (UnicodeDecodeError...)
        error = type(name, (SubmissionException,), {"from_submission": True})(message)
    error.submission_type = name
    error.submission_frames = frames
    return error


_WARNINGS = {name: value for name, value in vars(builtins).items()
             if isinstance(value, type) and issubclass(value, Warning)}
# The texts of numpy's own warnings, which say what went wrong ("overflow encountered in exp"). Any
# other text is the submission's choice (warnings.warn(repr(x))): it could carry hidden inputs.
_NUMPY_WARNING = re.compile(r"(overflow|underflow|divide by zero|invalid value) encountered in "
                            r"[a-z_ ]{1,40}|Mean of empty slice\.?|Degrees of freedom <= 0 for "
                            r"slice\.?")


def warning_text(text: str) -> str:
    """A warning's text as the grader passes it on: numpy's own, else a placeholder."""
    return text if _NUMPY_WARNING.fullmatch(text) else "a warning of its own (text not shown)"


class Remote:
    """A handle to an object that lives in the submission's process."""

    # Set with object.__setattr__: a RemoteObject forwards attribute assignments to the student's.
    _session: Session
    _handle: int
    _generation: int
    __name__: str

    def __init__(self, session: Session, handle: int, name: str) -> None:
        object.__setattr__(self, "_session", session)
        object.__setattr__(self, "_handle", handle)
        object.__setattr__(self, "_generation", session.generation)
        object.__setattr__(self, "__name__", name)
        object.__setattr__(self, "__qualname__", name)

    def __repr__(self) -> str:
        return f"<{type(self).__name__[6:].lower()} {self.__name__} of the submission>"


class RemoteFunction(Remote):
    """A student's function (or method, or class): calling it calls it in their process."""

    def __init__(self, session: Session, handle: int, name: str,
                 signature: inspect.Signature | None) -> None:
        super().__init__(session, handle, name)
        object.__setattr__(self, "__signature__", signature)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._session.call(self, args, kwargs)


class RemoteClass(RemoteFunction):
    """A student's class: calling it makes an instance in their process."""


class RemoteObject(Remote):
    """An instance held in the submission's process: attributes and methods by name."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):   # never numpy's __array_interface__ and the like
            raise AttributeError(name)
        return self._session.getattr(self, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("__"):
            raise AttributeError(name)
        self._session.setattr(self, name, value)


_OPAQUE_DEFAULT = type("SubmissionDefault", (), {"__repr__": lambda self: "<default>"})()


_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,15}")


def _signature(described: Any) -> inspect.Signature | None:
    if not isinstance(described, list):
        return None
    try:
        parameters = []
        for position, entry in enumerate(described[:64]):
            name, kind = str(entry[0]), inspect._ParameterKind(int(entry[1]))
            # Names and texts the code chose reach messages ("modified its input x"): a short
            # plain name is kept, any other becomes arg1, arg2... (a function defined after a
            # hidden check could spell its inputs in its parameters' names).
            if not _PLAIN_NAME.fullmatch(name):
                name = f"arg{position + 1}"
            default = inspect.Parameter.empty
            if len(entry) > 2:
                value = entry[2]
                default = value if value is None or type(value) in (bool, int, float) \
                    else _OPAQUE_DEFAULT
            parameters.append(inspect.Parameter(name, kind, default=default))
        return inspect.Signature(parameters)
    except (TypeError, ValueError, IndexError):
        return None


def _named(value: Any, name: str) -> Any:
    if isinstance(value, Remote):
        object.__setattr__(value, "__name__", name)
        object.__setattr__(value, "__qualname__", name)
    return value


class Session:
    """One submission's process, started in ``folder`` (its working directory)."""

    def __init__(self, folder: Path, *, sandboxed: bool, mode: str = "autograde",
                 limits: sandbox.Limits | None = None) -> None:
        self.folder = Path(folder)
        self.sandboxed = sandboxed
        self.mode = mode
        self.limits = limits or sandbox.Limits()
        self.generation = 0
        self.process: subprocess.Popen | None = None
        self.deadline: float | None = None
        self.journal: list[tuple[str, Any]] = []   # what to replay in a fresh process
        self.restarts = 0
        self.notes: list[str] = []
        self._callbacks: dict[int, Any] = {}
        self._calls: list[dict] = []      # the arguments of the calls under way, innermost last
        self._stderr = tempfile.TemporaryFile()

    # --- the process ----------------------------------------------------------------------
    def _start(self) -> None:
        to_worker_r, to_worker_w = os.pipe()
        from_worker_r, from_worker_w = os.pipe()
        worker = [sys.executable, "-m", "dlcourse.tools.worker", str(to_worker_r),
                  str(from_worker_w)]
        self.process = subprocess.Popen(
            sandbox.command(worker, self.folder, sandboxed=self.sandboxed, limits=self.limits),
            cwd=self.folder, env=sandbox.worker_environment(self.folder, self.mode, self.limits),
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self._stderr,
            pass_fds=(to_worker_r, from_worker_w), start_new_session=True,
            preexec_fn=lambda: sandbox.apply_limits(self.limits))
        os.close(to_worker_r)
        os.close(from_worker_w)
        self._write = os.fdopen(to_worker_w, "wb")
        self._read_fd = from_worker_r
        self.generation += 1
        self._callbacks = {}

    def kill(self) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait()
        self.process = None
        for close in (self._write.close, lambda: os.close(self._read_fd)):
            try:
                close()
            except OSError:
                pass

    close = kill

    def ensure_running(self) -> None:
        """Start the process if it is not running, replaying what ran before a crash."""
        while self.process is None:
            if self.restarts > MAX_RESTARTS:
                raise SubmissionStopped(
                    f"Your code stopped the process running it {self.restarts} times; grading "
                    "gave up on the cells after that.")
            self._start()
            if self.journal:
                self.restarts += 1
                self._replay()

    def _replay(self) -> None:
        for index, (kind, payload) in enumerate(list(self.journal)):
            self.deadline = time.monotonic() + self.limits.cell_seconds
            try:
                if kind == "exec":
                    self._request({"op": "exec", **payload})
                else:
                    self._send_values("set", payload)
            except SubmissionStopped:
                # A cell that ran before now kills the process: leave it out from now on.
                del self.journal[index]
                label = payload["label"] if kind == "exec" else "A value from a test cell"
                self.notes.append(f"{label} stopped the process when run again: left out.")
                self.kill()
                return

    # --- messages -------------------------------------------------------------------------
    def _read(self, size: int) -> bytes:
        while True:
            timeout = None if self.deadline is None else self.deadline - time.monotonic()
            if timeout is not None and timeout <= 0:
                raise CellTimeout("time limit")
            ready, _, _ = select.select([self._read_fd], [], [], timeout)
            if ready:
                return os.read(self._read_fd, size)

    def _receive(self) -> tuple[dict, protocol.Decoder]:
        try:
            header, buffers = protocol.read_message(self._read)
        except CellTimeout:
            self.kill()
            raise
        except EOFError as error:
            self.kill()
            raise SubmissionStopped("the process ended") from error
        except protocol.ProtocolError as error:
            self.kill()
            raise SubmissionMisbehaved(str(error)) from error
        return header, protocol.Decoder(buffers, self._resolve)

    def _request(self, header: dict, encoder: protocol.Encoder | None = None
                 ) -> tuple[dict, protocol.Decoder]:
        """Send a request; serve the submission's callbacks until its reply arrives."""
        try:
            protocol.write_message(self._write, {**header, "kind": "request"},
                                   encoder.buffers if encoder else [])
        except (BrokenPipeError, OSError) as error:
            self.kill()
            raise SubmissionStopped("the process ended") from error
        while True:
            reply, decoder = self._receive()
            if reply.get("kind") == "request":
                self._serve_callback(reply, decoder)
                continue
            if "protocol_error" in reply:
                raise SubmissionMisbehaved(str(reply["protocol_error"])[:300])
            if "raised" in reply:
                raise remote_exception(reply["raised"] if isinstance(reply["raised"], dict)
                                       else {})
            return reply, decoder

    def _apply_changes(self, inputs: dict, changed: Any, decoder: protocol.Decoder) -> None:
        """Change the grader's arguments as the submission changed its copies in place."""
        if not isinstance(changed, list):
            raise SubmissionMisbehaved("a reply without its list of changed arguments")
        for entry in changed[:len(inputs)]:
            if isinstance(entry, list) and len(entry) == 2 and isinstance(
                    entry[0], (int, str)) and entry[0] in inputs:
                protocol.update_in_place(inputs[entry[0]], decoder.decode(entry[1]))

    def _serve_callback(self, header: dict, decoder: protocol.Decoder) -> None:
        handle = header.get("id") if header.get("op") == "callback" else None
        function = self._callbacks.get(handle) if type(handle) is int else None
        encoder = self._encoder()
        try:
            if function is None:
                raise SubmissionMisbehaved("a call back to a function it was not given")
            if self._calls:    # what the call under way changed so far, before f reads it
                self._apply_changes(self._calls[-1], header.get("changed", []), decoder)
            args = decoder.decode(header.get("args"))
            kwargs = decoder.decode(header.get("kwargs"))
            if not isinstance(args, list) or not isinstance(kwargs, dict) or not all(
                    isinstance(k, str) for k in kwargs):
                raise SubmissionMisbehaved("a call back without a list of arguments")
            reply = {"value": encoder.encode(function(*args, **kwargs))}
        except protocol.ProtocolError as error:
            self.kill()
            raise SubmissionMisbehaved(str(error)) from error
        except SubmissionStopped:
            raise
        except Exception as error:    # the grader's function raised: the submission sees it
            encoder, reply = self._encoder(), {"error": f"{type(error).__name__}: {error}"}
        protocol.write_message(self._write, {**reply, "kind": "reply"}, encoder.buffers)

    def _export(self, value: Any) -> dict:
        if isinstance(value, Remote):
            if value._generation != self.generation:
                raise SubmissionStopped("an object from before the process was restarted")
            return {"t": "ref", "id": value._handle}
        if callable(value):
            handle = len(self._callbacks) + 1
            self._callbacks[handle] = value
            return {"t": "cb", "id": handle, "name": str(getattr(value, "__name__", "callback"))}
        raise TypeError(f"a {type(value).__name__} cannot be passed to the submission's code "
                        "(only arrays, numbers, strings, tuples, lists, dicts, generators and "
                        "functions can)")

    def _resolve(self, node: dict) -> Any:
        handle = node.get("id")
        if type(handle) is not int:
            raise protocol.ProtocolError("a handle that is not a number")
        if node["t"] == "cb":
            if handle not in self._callbacks:
                raise protocol.ProtocolError("a handle to a function it was not given")
            return self._callbacks[handle]
        # Named by what the grader asked for (get, getattr), never by the name the code gave it.
        name = "object"
        kind = node.get("kind")
        if kind == "class":
            return RemoteClass(self, handle, name, _signature(node.get("signature")))
        if kind == "function":
            return RemoteFunction(self, handle, name, _signature(node.get("signature")))
        return RemoteObject(self, handle, name)

    def _encoder(self) -> protocol.Encoder:
        return protocol.Encoder(self._export, keep_layout=True)

    def _send_values(self, op: str, values: dict[str, Any]) -> None:
        encoder = self._encoder()
        nodes = [encoder.encode(value) for value in values.values()]
        self._request({"op": op, "names": list(values), "values": nodes}, encoder)

    # --- what the executor asks -----------------------------------------------------------
    def exec(self, source: str, label: str) -> dict:
        """Run a cell in the submission's namespace. Returns {"outputs": [...], "error": ...}
        as the worker reported them (untrusted text; the caller sanitises)."""
        self.ensure_running()
        payload = {"source": source, "label": label}
        reply, _ = self._request({"op": "exec", **payload})
        self.journal.append(("exec", payload))
        return reply

    def get(self, names: list[str]) -> dict[str, Any]:
        """The values (or stand-ins) the submission's namespace binds to ``names``."""
        self.ensure_running()
        reply, decoder = self._request({"op": "get", "names": names})
        found, values = reply.get("names"), reply.get("values")
        if not isinstance(found, list) or not isinstance(values, list) or len(found) != len(
                values) or not set(found) <= set(names):
            raise SubmissionMisbehaved("an answer about names it was not asked for")
        return {name: _named(decoder.decode(node), name)
                for name, node in zip(found, values, strict=True)}

    def set(self, values: dict[str, Any]) -> None:
        """Bind plain values to names in the submission's namespace (and in any replay)."""
        self.ensure_running()
        self._send_values("set", values)
        self.journal.append(("set", values))

    def call(self, target: RemoteFunction, args: tuple, kwargs: dict) -> Any:
        if target._generation != self.generation or self.process is None:
            raise SubmissionStopped("the process that defined it has ended")
        encoder = self._encoder()
        header = {"op": "call", "id": target._handle, "args": encoder.encode(list(args)),
                  "kwargs": encoder.encode(dict(kwargs))}
        inputs = dict(enumerate(args)) | dict(kwargs)
        self._calls.append(inputs)
        try:
            reply, decoder = self._request(header, encoder)
        finally:
            self._calls.pop()
        value = decoder.decode(reply.get("value"))
        raised = reply.get("warnings")
        if not isinstance(raised, list):
            raise SubmissionMisbehaved("a reply to a call without its list of warnings")
        self._apply_changes(inputs, reply.get("changed"), decoder)
        for entry in raised[:20]:
            if isinstance(entry, list) and len(entry) == 2:
                category = _WARNINGS.get(str(entry[0]), UserWarning)
                warnings.warn(warning_text(str(entry[1])), category, stacklevel=2)
        return value

    def remote_class(self, cls: type) -> Any:
        """The submission's own copy of a class of dlcourse's runtime (see
        ``runs_with_the_submission`` in :mod:`dlcourse.testing`)."""
        self.ensure_running()
        reply, decoder = self._request({"op": "import", "module": cls.__module__,
                                        "name": cls.__qualname__})
        return _named(decoder.decode(reply.get("value")), cls.__name__)

    def getattr(self, target: RemoteObject, name: str) -> Any:
        if target._generation != self.generation or self.process is None:
            raise SubmissionStopped("the process that made it has ended")
        reply, decoder = self._request({"op": "getattr", "id": target._handle, "name": name})
        return _named(decoder.decode(reply.get("value")), name)

    def setattr(self, target: RemoteObject, name: str, value: Any) -> None:
        if target._generation != self.generation or self.process is None:
            raise SubmissionStopped("the process that made it has ended")
        encoder = self._encoder()
        self._request({"op": "setattr", "id": target._handle, "name": name,
                       "value": encoder.encode(value)}, encoder)

    def worker_errors(self) -> str:
        """What the worker itself wrote to stderr (not the student's code): for diagnosis."""
        self._stderr.seek(0)
        return self._stderr.read()[-2000:].decode(errors="replace")
