"""The submission's process: runs a notebook's code cells and answers the grader's calls.

Started by :mod:`dlcourse.tools.executor` (inside the sandbox when there is one) as

    python -m dlcourse.tools.worker READ_FD WRITE_FD

it reads requests from the grader and writes replies (see :mod:`dlcourse.tools.protocol`):

    exec     run a cell's source in the notebook's namespace; reply its outputs and error
    get/set  read or bind names of that namespace (plain data, or handles to the objects)
    call     call a function, class or method by handle with the grader's arguments
    getattr/setattr   an attribute of an object held by handle

Everything here runs beside the submission's code, so the grader trusts none of it: it only
reads the data this process sends back. Output a call prints is dropped (it would show the
hidden inputs in the feedback); warnings it raises are reported, since a check may count them.
"""
from __future__ import annotations

import contextlib
import importlib
import inspect
import io
import json
import os
import sys
import traceback
import warnings
from collections.abc import Iterator
from typing import Any

from dlcourse.tools import protocol

MAX_TEXT = 20_000          # characters of a cell's output stream kept
MAX_TRACEBACK_FRAMES = 8


class GraderCallable:
    """A function of the grader's (a lambda in a check, np.exp...) passed to the submission."""

    def __init__(self, worker: Worker, ident: int, name: str) -> None:
        self._worker, self._id, self.__name__ = worker, ident, name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._worker.request({"op": "callback", "id": self._id}, args, kwargs)

    def __repr__(self) -> str:
        return f"<function {self.__name__}>"


class CallbackFailed(Exception):
    """The grader's function, called back by the submission, raised."""


class Worker:
    def __init__(self, read_fd: int, write_fd: int) -> None:
        self._in = os.fdopen(read_fd, "rb", buffering=0)
        self._out = os.fdopen(write_fd, "wb")
        self.objects: dict[int, Any] = {}
        self._ids: dict[int, int] = {}      # id(object) -> handle, so a handle is stable
        self.labels: dict[int, str] = {}    # IPython execution count -> the cell's label
        # The grader's calls under way (a call back can call again): their arguments, and
        # what the grader last knew of them.
        self.active: list[tuple[list, dict]] = []
        self.shell = _shell(self)

    # --- values ---------------------------------------------------------------------------
    def export(self, value: Any) -> dict:
        if isinstance(value, GraderCallable):
            return {"t": "cb", "id": value._id}
        handle = self._ids.get(id(value))
        if handle is None:
            handle = self._ids[id(value)] = len(self.objects) + 1
            self.objects[handle] = value
        kind = "class" if isinstance(value, type) else "function" if callable(value) else "object"
        node = {"t": "ref", "id": handle, "kind": kind,
                "name": str(getattr(value, "__name__", type(value).__name__))[:200]}
        if kind != "object":
            node["signature"] = _signature(value)
        return node

    def resolve(self, node: dict) -> Any:
        if node["t"] == "cb":
            return GraderCallable(self, node["id"], str(node.get("name", "callback")))
        if node.get("id") not in self.objects:
            raise protocol.ProtocolError(f"no object with handle {node.get('id')!r}")
        return self.objects[node["id"]]

    def encoder(self) -> protocol.Encoder:
        return protocol.Encoder(self.export)

    def _changes(self, encoder: protocol.Encoder) -> list:
        """The arguments of the call under way that its code changed in place since the grader
        last saw them: [[position or keyword, new value], ...]. Sent with the call's reply, and
        with each call back (a function the grader passed may read those very arrays, as a loss
        reads a model's weights)."""
        if not self.active:
            return []
        inputs, seen = self.active[-1]
        changed = []
        for key, value in inputs:
            snapshot = self._snapshot(value)
            if snapshot != seen[key]:
                changed.append([key, encoder.encode(value)])
                seen[key] = snapshot
        return changed

    def _snapshot(self, value: Any) -> tuple[str, list[bytes]]:
        encoder = self.encoder()
        node = encoder.encode(value)
        return json.dumps(node), encoder.buffers

    # --- messages -------------------------------------------------------------------------
    def send(self, header: dict, encoder: protocol.Encoder | None = None) -> None:
        protocol.write_message(self._out, header, encoder.buffers if encoder else [])

    def receive(self) -> tuple[dict, protocol.Decoder]:
        header, buffers = protocol.read_message(self._in.read)
        return header, protocol.Decoder(buffers, self.resolve)

    def request(self, header: dict, args: tuple, kwargs: dict) -> Any:
        """Call the grader back; serve the grader's own requests until its reply comes."""
        encoder = self.encoder()
        header = {**header, "kind": "request", "args": encoder.encode(list(args)),
                  "kwargs": encoder.encode(kwargs), "changed": self._changes(encoder)}
        self.send(header, encoder)
        while True:
            reply, decoder = self.receive()
            if reply.get("kind") == "request":
                self.serve(reply, decoder)
                continue
            if "error" in reply:
                raise CallbackFailed(str(reply["error"]))
            return decoder.decode(reply.get("value"))

    def run(self) -> None:
        while True:
            try:
                header, decoder = self.receive()
            except EOFError:
                return
            self.serve(header, decoder)

    def serve(self, header: dict, decoder: protocol.Decoder) -> None:
        op = header.get("op")
        handler = getattr(self, f"op_{op}", None)
        try:
            if handler is None:
                raise protocol.ProtocolError(f"unknown request {op!r}")
            reply, encoder = handler(header, decoder)
        except protocol.ProtocolError as error:
            reply, encoder = {"protocol_error": str(error)}, None
        self.send({"kind": "reply", **reply}, encoder)

    # --- requests -------------------------------------------------------------------------
    def op_exec(self, header: dict, decoder: protocol.Decoder) -> tuple[dict, None]:
        self.labels[self.shell.execution_count] = str(header.get("label", "a cell"))
        self.shell.last_error = None
        with _captured() as (stdout, stderr), _display(self.shell) as displayed:
            self.shell.run_cell(str(header["source"]), store_history=True)
        outputs = []
        for name, stream in (("stdout", stdout), ("stderr", stderr)):
            text = stream.getvalue()
            if text:
                outputs.append({"output_type": "stream", "name": name, "text": text[-MAX_TEXT:]})
        outputs += displayed
        error = self.shell.last_error
        if error:
            outputs.append({"output_type": "error", **error})
        return {"outputs": outputs, "error": error}, None

    def op_get(self, header: dict, decoder: protocol.Decoder) -> tuple[dict, protocol.Encoder]:
        namespace, encoder = self.shell.user_ns, self.encoder()
        names = [n for n in header.get("names", []) if isinstance(n, str) and n in namespace]
        return {"names": names, "values": [encoder.encode(namespace[n]) for n in names]}, encoder

    def op_set(self, header: dict, decoder: protocol.Decoder) -> tuple[dict, None]:
        for name, node in zip(header.get("names", []), header.get("values", []),
                              strict=True):
            self.shell.user_ns[str(name)] = decoder.decode(node)
        return {}, None

    def op_import(self, header: dict[str, Any],
                  decoder: protocol.Decoder) -> tuple[dict[str, Any], Any]:
        """A class of dlcourse's runtime that a check builds here, in the submission's process
        (a model whose arrays the student's code updates in place)."""
        module, name = str(header.get("module")), str(header.get("name"))
        if not module.startswith("dlcourse.") or module.startswith("dlcourse.tools"):
            raise protocol.ProtocolError(f"no import of {module}")
        value: Any = importlib.import_module(module)
        for part in name.split("."):
            value = getattr(value, part)
        encoder = self.encoder()
        return {"value": encoder.encode(value)}, encoder

    def op_getattr(self, header: dict, decoder: protocol.Decoder) -> tuple[dict, Any]:
        target = self.resolve({"t": "ref", "id": header.get("id")})
        try:
            value = getattr(target, str(header.get("name")))
        except BaseException as error:   # noqa: B036 - whatever the submission raises is data
            return {"raised": _exception(error, self.labels)}, None
        encoder = self.encoder()
        return {"value": encoder.encode(value)}, encoder

    def op_setattr(self, header: dict, decoder: protocol.Decoder) -> tuple[dict, None]:
        target = self.resolve({"t": "ref", "id": header.get("id")})
        try:
            setattr(target, str(header.get("name")), decoder.decode(header.get("value")))
        except BaseException as error:   # noqa: B036
            return {"raised": _exception(error, self.labels)}, None
        return {}, None

    def op_call(self, header: dict, decoder: protocol.Decoder) -> tuple[dict, Any]:
        target = self.resolve({"t": "ref", "id": header.get("id")})
        args = decoder.decode(header.get("args"))
        kwargs = decoder.decode(header.get("kwargs"))
        if not isinstance(args, list) or not isinstance(kwargs, dict):
            raise protocol.ProtocolError("a call without a list of arguments")
        inputs = list(enumerate(args)) + list(kwargs.items())
        self.active.append((inputs, {key: self._snapshot(value) for key, value in inputs}))
        with warnings.catch_warnings(record=True) as caught, _captured():
            warnings.simplefilter("always")
            try:
                value = target(*args, **kwargs)
            except BaseException as error:   # noqa: B036 - SystemExit too: the grader decides
                self.active.pop()
                return {"raised": _exception(error, self.labels)}, None
        encoder = self.encoder()
        changed = self._changes(encoder)
        self.active.pop()
        reply = {"value": encoder.encode(value), "changed": changed,
                 "warnings": [[w.category.__name__, str(w.message)[:1000]] for w in caught]}
        return reply, encoder


def _signature(value: Any) -> list | None:
    """[[name, kind, default], ...] of a callable, defaults as plain data where they are."""
    try:
        parameters = inspect.signature(value).parameters.values()
    except (TypeError, ValueError):
        return None
    described = []
    for parameter in parameters:
        entry: list = [parameter.name, int(parameter.kind)]
        default = parameter.default
        if default is not inspect.Parameter.empty:
            entry.append(default if default is None or type(default) in (bool, int, float, str)
                         else {"t": "opaque"})
        described.append(entry)
    return described


def _exception(error: BaseException, labels: dict[int, str]) -> dict:
    """What the submission raised, with the frames of its own cells only."""
    frames = []
    for frame in traceback.extract_tb(error.__traceback__):
        label = _cell_label(frame.filename, labels)
        if label:
            frames.append(f"{label}, line {frame.lineno}: {(frame.line or '').strip()}")
    message = ""
    with contextlib.suppress(Exception):
        message = str(error)[:2000]
    return {"type": type(error).__name__[:100], "message": message,
            "frames": frames[-MAX_TRACEBACK_FRAMES:]}


def _cell_label(filename: str, labels: dict[int, str]) -> str:
    if filename.startswith("<ipython-input-"):
        try:
            return labels.get(int(filename.split("-")[2]), "a cell")
        except (IndexError, ValueError):
            return "a cell"
    return ""


@contextlib.contextmanager
def _captured():
    """Python-level stdout and stderr into strings for the duration."""
    stdout, stderr = io.StringIO(), io.StringIO()
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = stdout, stderr
    try:
        yield stdout, stderr
    finally:
        sys.stdout, sys.stderr = saved


@contextlib.contextmanager
def _display(shell: Any) -> Iterator[list[dict[str, Any]]]:
    """Collect what the cell displays as text."""
    displayed: list[dict[str, Any]] = []

    def publish(data: dict[str, Any], metadata: Any = None, **_: Any) -> None:
        kept = {}
        if isinstance(data.get("text/plain"), str):
            kept["text/plain"] = data["text/plain"][:MAX_TEXT]
        if kept:
            displayed.append({"output_type": "display_data", "data": kept, "metadata": {}})

    saved = shell.display_pub.publish
    shell.display_pub.publish = publish
    try:
        yield displayed
    finally:
        shell.display_pub.publish = saved


def _shell(worker: Worker):
    """An IPython shell without a terminal: magics work, errors are recorded."""
    from IPython.core.interactiveshell import InteractiveShell

    # Any: the instance gets a last_error attribute and replaced methods, which its type lacks.
    shell: Any = InteractiveShell.instance(colors="NoColor")

    def record_error(etype: type[BaseException] | None, evalue: BaseException | None,
                     stb: list[str]) -> None:
        shell.last_error = {"ename": getattr(etype, "__name__", str(etype))[:100],
                            "evalue": str(evalue)[:2000],
                            "traceback": [line for line in stb[-20:] if isinstance(line, str)]}

    def record_syntax_error(*args: Any, **kwargs: Any) -> None:
        etype, evalue, _ = sys.exc_info()
        record_error(etype, evalue, traceback.format_exception_only(etype, evalue))

    shell._showtraceback = record_error
    shell.showsyntaxerror = record_syntax_error
    shell.last_error = None
    # Figures are drawn (the student's plotting code runs) but never rendered to images: no
    # grading verdict depends on them, and rendering was most of a notebook's grading time.
    warnings.filterwarnings("ignore", message=".*non-interactive.*cannot be shown")
    shell.events.register("post_execute", _close_figures)
    return shell


def _close_figures() -> None:
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")


def main(argv: list[str]) -> None:
    read_fd, write_fd = int(argv[1]), int(argv[2])
    # What the submission's code writes to the real stdout and stderr goes nowhere: the
    # grader reads only the request pipe.
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    Worker(read_fd, write_fd).run()


if __name__ == "__main__":
    main(sys.argv)
