"""The wire between the grader and a submission's process: messages of plain data only.

A message is a JSON header followed by raw byte buffers (the contents of numpy arrays):

    8 bytes little-endian: length of the header | header (UTF-8 JSON) | buffer 0 | buffer 1 ...

the header's ``"buffers"`` entry listing the buffers' lengths. Values cross as *nodes*: JSON
numbers, strings, ``true``/``false``/``null``, or objects tagged ``"t"``:

    {"t": "nd", "dtype": "<f8", "shape": [3, 2], "buf": 0}        an array (C order), or with
        "strides": [8, 24], "offset": 0 the layout it had (a transposed view stays transposed)
    {"t": "np", "dtype": "<i8", "buf": 1}                          a numpy scalar
    {"t": "tuple" | "list", "v": [...]}, {"t": "dict", "k": [...], "v": [...]}
    {"t": "complex", "re": 1.0, "im": 2.0}, {"t": "slice", "v": [start, stop, step]}
    {"t": "rng", "state": {...}}                                   a numpy Generator (PCG64)
    {"t": "ref", "id": 7, ...}                                     an object that stays where it
                                                                   lives, used through a handle

:func:`decode` is the only way the grader turns bytes from a submission into Python objects: it
builds nothing but the types above (never pickle), checks every array's dtype, shape and size
against its buffer, and bounds message size and nesting, so a submission can send the grader only
data, never an object with behaviour of its own.
"""
from __future__ import annotations

import ctypes
import json
import struct
from collections.abc import Callable
from typing import Any, BinaryIO

import numpy as np

MAX_MESSAGE_BYTES = 1 << 30        # one message from a submission: 1 GiB at most
MAX_DEPTH = 64                     # nesting of tuples, lists and dicts
ARRAY_KINDS = "biufcUS"            # bool, ints, floats, complex, fixed-width strings
_HEADER = struct.Struct("<Q")


class ProtocolError(ValueError):
    """Bytes from the other side that are not a well-formed message of plain data."""


def write_message(stream: BinaryIO, header: dict[str, Any], buffers: list[bytes]) -> None:
    """Send ``header`` (JSON-able) and ``buffers`` as one message."""
    head = json.dumps({**header, "buffers": [len(b) for b in buffers]}).encode()
    stream.write(_HEADER.pack(len(head)) + head)
    for buffer in buffers:
        stream.write(buffer)
    stream.flush()


def _read_exact(read: Callable[[int], bytes], size: int) -> bytes:
    chunks, remaining = [], size
    while remaining:
        chunk = read(min(remaining, 1 << 24))
        if not chunk:
            raise EOFError("the other side closed the connection")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def read_message(read: Callable[[int], bytes],
                 limit: int = MAX_MESSAGE_BYTES) -> tuple[dict[str, Any], list[bytes]]:
    """One message: (header, buffers). ``read(n)`` returns at most n bytes, b"" at the end."""
    (size,) = _HEADER.unpack(_read_exact(read, _HEADER.size))
    if size > limit:
        raise ProtocolError(f"a message header of {size} bytes")
    try:
        header = json.loads(_read_exact(read, size))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise ProtocolError(f"an unreadable message header ({error})") from error
    lengths = header.get("buffers") if isinstance(header, dict) else None
    if not isinstance(lengths, list) or not all(type(n) is int and n >= 0 for n in lengths):
        raise ProtocolError("a message without a valid list of buffers")
    if sum(lengths) > limit:
        raise ProtocolError(f"a message of {sum(lengths)} bytes")
    return header, [_read_exact(read, n) for n in lengths]


def _span(array: np.ndarray) -> tuple[bytes, int]:
    """The bytes of memory ``array`` covers (its layout kept), and the offset of its first item."""
    low, high = np.lib.array_utils.byte_bounds(array)
    start = array.__array_interface__["data"][0]
    return (ctypes.string_at(low, high - low) if high > low else b""), start - low


class Encoder:
    """Turns values into nodes plus buffers. ``export(value)`` gives the node of anything that is
    not plain data (a function, an object): each side decides how it hands those out."""

    def __init__(self, export: Callable[[Any], dict[str, Any]], keep_layout: bool = False) -> None:
        self.export = export
        self.keep_layout = keep_layout
        self.buffers: list[bytes] = []

    def _buffer(self, data: bytes) -> int:
        self.buffers.append(data)
        return len(self.buffers) - 1

    def encode(self, value: Any) -> Any:
        kind = type(value)
        if value is None or kind in (bool, int, float, str):
            return value
        if kind is tuple or kind is list:
            return {"t": kind.__name__, "v": [self.encode(item) for item in value]}
        if kind is dict:
            return {"t": "dict", "k": [self.encode(k) for k in value],
                    "v": [self.encode(v) for v in value.values()]}
        if isinstance(value, np.ndarray) and value.dtype.kind in ARRAY_KINDS:
            return self._array(value)
        if isinstance(value, np.generic) and value.dtype.kind in ARRAY_KINDS:
            return {"t": "np", "dtype": value.dtype.str, "buf": self._buffer(value.tobytes())}
        if kind is complex:
            return {"t": "complex", "re": value.real, "im": value.imag}
        if kind is slice:
            return {"t": "slice", "v": [self.encode(value.start), self.encode(value.stop),
                                        self.encode(value.step)]}
        if isinstance(value, np.random.Generator) and isinstance(value.bit_generator,
                                                                  np.random.PCG64):
            return {"t": "rng", "state": self.encode(value.bit_generator.state)}
        return self.export(value)

    def _array(self, array: np.ndarray) -> dict[str, Any]:
        array = np.asarray(array)      # a subclass crosses as a plain array
        node: dict[str, Any] = {"t": "nd", "dtype": array.dtype.str, "shape": list(array.shape)}
        if self.keep_layout and not array.flags.c_contiguous:
            data, offset = _span(array)
            node.update(strides=list(array.strides), offset=offset)
        else:
            data = np.ascontiguousarray(array).tobytes()
        if not array.flags.writeable:
            node["readonly"] = True
        node["buf"] = self._buffer(data)
        return node


def _dtype(name: Any) -> np.dtype:
    if not isinstance(name, str) or len(name) > 16:
        raise ProtocolError(f"a dtype {name!r}")
    try:
        dtype = np.dtype(name)
    except (TypeError, ValueError) as error:
        raise ProtocolError(f"a dtype {name!r}") from error
    if dtype.kind not in ARRAY_KINDS or dtype.fields is not None or dtype.subdtype is not None:
        raise ProtocolError(f"an array of dtype {dtype}, which is not plain data")
    return dtype


def _ints(values: Any, what: str) -> list[int]:
    if not isinstance(values, list) or len(values) > 64 or not all(type(v) is int
                                                                    for v in values):
        raise ProtocolError(f"{what} {values!r}")
    return values


class Decoder:
    """Turns nodes plus buffers back into values. ``resolve(node)`` gives the object of a
    ``ref`` node (a stand-in on the grader's side, the real object on the submission's)."""

    def __init__(self, buffers: list[bytes], resolve: Callable[[dict[str, Any]], Any]) -> None:
        self.buffers = buffers
        self.resolve = resolve

    def decode(self, node: Any, depth: int = 0) -> Any:
        if node is None or type(node) in (bool, int, float, str):
            return node
        if depth > MAX_DEPTH:
            raise ProtocolError("values nested too deeply")
        if not isinstance(node, dict) or not isinstance(node.get("t"), str):
            raise ProtocolError(f"a node of type {type(node).__name__}")
        tag = node["t"]
        if tag in ("tuple", "list"):
            items = [self.decode(item, depth + 1) for item in self._list(node, "v")]
            return tuple(items) if tag == "tuple" else items
        if tag == "dict":
            keys, values = self._list(node, "k"), self._list(node, "v")
            if len(keys) != len(values):
                raise ProtocolError("a dict with more keys than values")
            result = {}
            for key, value in zip(keys, values, strict=True):
                key = self.decode(key, depth + 1)
                if not isinstance(key, (str, int, float, bool, tuple, type(None))):
                    raise ProtocolError(f"a dict key of type {type(key).__name__}")
                result[key] = self.decode(value, depth + 1)
            return result
        if tag == "nd":
            return self._array(node)
        if tag == "np":
            dtype = _dtype(node.get("dtype"))
            data = self._take(node)
            if len(data) != dtype.itemsize:
                raise ProtocolError("a numpy scalar whose size does not match its dtype")
            return np.frombuffer(data, dtype=dtype)[0]
        if tag == "complex":
            real: Any = node.get("re")     # checked to be an int or a float below
            imag: Any = node.get("im")
            if not all(type(v) in (int, float) for v in (real, imag)):
                raise ProtocolError("a complex number of non-numbers")
            return complex(real, imag)
        if tag == "slice":
            parts = [self.decode(v, depth + 1) for v in self._list(node, "v")]
            if len(parts) != 3 or not all(p is None or type(p) is int for p in parts):
                raise ProtocolError("a slice of non-integers")
            return slice(*parts)
        if tag == "rng":
            return self._generator(self.decode(node.get("state"), depth + 1))
        if tag in ("ref", "cb"):
            return self.resolve(node)
        raise ProtocolError(f"a node tagged {tag!r}")

    def _list(self, node: dict[str, Any], key: str) -> list[Any]:
        items = node.get(key)
        if not isinstance(items, list):
            raise ProtocolError(f"a {node['t']} node without its {key!r} list")
        return items

    def _take(self, node: dict[str, Any]) -> bytes:
        index = node.get("buf")
        if type(index) is not int or not 0 <= index < len(self.buffers):
            raise ProtocolError("a reference to a buffer that was not sent")
        return self.buffers[index]

    def _array(self, node: dict[str, Any]) -> np.ndarray:
        dtype = _dtype(node.get("dtype"))
        shape = _ints(node.get("shape"), "an array shape")
        if any(n < 0 for n in shape):
            raise ProtocolError(f"an array shape {shape}")
        data = self._take(node)
        array: np.ndarray
        if "strides" in node:   # a view, with the memory it spans (from the grader only)
            strides = _ints(node.get("strides"), "array strides")
            offset = node.get("offset")
            if type(offset) is not int or len(strides) != len(shape):
                raise ProtocolError("an array layout that does not match its shape")
            try:
                array = np.ndarray(shape, dtype, buffer=bytearray(data), offset=offset,
                                   strides=strides)
            except (TypeError, ValueError) as error:
                raise ProtocolError(f"an array layout outside its buffer ({error})") from error
        else:
            count = int(np.prod(shape, dtype=np.int64)) if shape else 1
            if count * dtype.itemsize != len(data):
                raise ProtocolError(f"an array of shape {tuple(shape)} and dtype {dtype} sent "
                                    f"with {len(data)} bytes")
            array = np.frombuffer(bytearray(data), dtype=dtype).reshape(shape)
        if node.get("readonly"):
            array.flags.writeable = False
        return array

    @staticmethod
    def _generator(state: Any) -> np.random.Generator:
        generator = np.random.Generator(np.random.PCG64())
        try:
            generator.bit_generator.state = state
        except (TypeError, ValueError, KeyError) as error:
            raise ProtocolError("a random generator state that is not PCG64's") from error
        return generator


def _same(a: Any, b: Any) -> bool:
    """Equal plain values of one type (not arrays, whose == is elementwise)."""
    if type(a) is not type(b) or isinstance(a, (np.ndarray, np.random.Generator)):
        return False
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


def update_in_place(target: Any, value: Any) -> bool:
    """Make ``target`` (an argument the other side changed in place) hold ``value``, as if the
    change had happened here. Returns False when it cannot (the shape or type changed)."""
    if isinstance(target, np.ndarray) and isinstance(value, np.ndarray):
        if target.shape != value.shape or not target.flags.writeable:
            return False
        target[...] = value
        return True
    if isinstance(target, dict) and isinstance(value, dict):
        for key in list(target):
            if key not in value:
                del target[key]
        for key, item in value.items():
            # An array changed in place stays the same object, as it would have in one process,
            # and an entry that did not change is not replaced (a check compares identities).
            if not (key in target and (_same(target[key], item)
                                       or update_in_place(target[key], item))):
                target[key] = item
        return True
    if isinstance(target, tuple) and isinstance(value, tuple) and len(target) == len(value):
        return all(update_in_place(t, v) or t is v for t, v in zip(target, value, strict=True))
    if isinstance(target, list) and isinstance(value, list):
        target[:] = value
        return True
    if isinstance(target, np.random.Generator) and isinstance(value, np.random.Generator):
        target.bit_generator.state = value.bit_generator.state
        return True
    return False
