"""A disposable copy of the submission's process, for the hidden checks.

A test cell's hidden checks give the student's functions inputs the student must not learn. If
the process that ran them lived on, its code could keep those inputs (in a global, a file, a
shared page) and show them later, in a public check's message that prints what the function
returned. So :mod:`dlcourse.tools.worker` serves each cell's hidden checks from a fork of itself
(:func:`os.fork`), which ends after them; the process that carries on never saw their inputs.

The copy is also cut off from its parent, so that what it learns cannot flow back:

- every file descriptor it inherited, but its own pipe to the grader and the standard streams,
  now points at /dev/null (a file or socket opened earlier is shared with the parent);
- every writable shared mapping (``mmap(-1, n, MAP_SHARED)`` made before the fork is the same
  memory in both) becomes a private copy;
- with Linux's Landlock (5.13 and later; ``restrict``) it can no longer write, create, rename or
  delete any file, bind or connect TCP sockets, or send signals or connect to abstract Unix
  sockets outside itself (Landlock ABI 6);
- the parent, which waits for it, then kills whatever processes it left behind (the parent is
  their subreaper).

What remains are channels no Python-level code reaches by accident: UDP on the sandbox's own
loopback, System V IPC, kernel keyrings, inotify events and timing. docs/instructors.md lists
them.
"""
from __future__ import annotations

import ctypes
import mmap
import os
import signal
import time
from pathlib import Path

# Linux's syscall numbers (the same on every architecture) and flags: linux/landlock.h.
_CREATE_RULESET, _RESTRICT_SELF = 444, 446
_CREATE_RULESET_VERSION = 1
_PR_SET_NO_NEW_PRIVS, _PR_SET_CHILD_SUBREAPER = 38, 36
# Every right to change the file system: write and truncate files, make and remove entries of
# every kind, move them (REFER, ABI 2), truncate (ABI 3).
_FS_WRITE = {1: 0b1_1111_1111_0010, 2: 0b11_1111_1111_0010, 3: 0b111_1111_1111_0010}
_NET_TCP = 0b11                  # BIND_TCP, CONNECT_TCP (ABI 4)
_SCOPE = 0b11                    # ABSTRACT_UNIX_SOCKET, SIGNAL (ABI 6)
_MAP_FIXED = 0x10


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def landlock_abi() -> int:
    """The Landlock ABI this kernel offers, 0 if none."""
    try:
        version = _libc().syscall(_CREATE_RULESET, None, ctypes.c_size_t(0),
                                  ctypes.c_uint32(_CREATE_RULESET_VERSION))
    except (OSError, AttributeError):
        return 0
    return max(int(version), 0)


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


def restrict() -> list[str]:
    """Deny this process (and what it starts) every change to the file system, TCP, and signals
    and abstract sockets outside it, as far as the kernel's Landlock allows. Reading stays
    allowed. Returns what was denied, in words (empty without Landlock)."""
    abi = landlock_abi()
    if abi < 1:
        return []
    libc = _libc()
    attr = _RulesetAttr(_FS_WRITE[min(abi, 3)], _NET_TCP if abi >= 4 else 0,
                        _SCOPE if abi >= 6 else 0)
    size = 8 if abi < 4 else 16 if abi < 6 else 24
    ruleset = libc.syscall(_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size),
                           ctypes.c_uint32(0))
    if ruleset < 0:
        return []
    try:
        # No rule grants anything: every handled right is denied everywhere.
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 or libc.syscall(
                _RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0)) != 0:
            return []
    finally:
        os.close(ruleset)
    return ["file writes"] + (["TCP"] if abi >= 4 else []) + (
        ["signals and abstract sockets outside it"] if abi >= 6 else [])


def neutralise_inherited(keep: set[int]) -> None:
    """Point every file descriptor but ``keep`` and the standard streams at /dev/null. Not
    closed: a Python object that still owns one would close whatever reused its number."""
    keep = keep | {0, 1, 2}
    try:
        open_fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        open_fds = list(range(3, 1024))
    null = os.open(os.devnull, os.O_RDWR)
    for fd in open_fds:
        if fd not in keep and fd != null:
            try:
                os.dup2(null, fd)
            except OSError:
                pass
    os.close(null)


def privatise_shared_writable() -> None:
    """Replace every page this process shares, writable, with others (its parent) by a private
    copy at the same address: reads see what was there, writes stay here."""
    libc = _libc()
    libc.mmap.restype = ctypes.c_void_p
    libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int,
                          ctypes.c_int, ctypes.c_long]
    try:
        lines = Path("/proc/self/maps").read_text().splitlines()
    except OSError:
        return
    for line in lines:
        fields = line.split()
        if len(fields) >= 2 and fields[1][1] == "w" and fields[1][3] == "s":
            start, end = (int(part, 16) for part in fields[0].split("-"))
            content = ctypes.string_at(start, end - start)
            placed = libc.mmap(start, end - start, mmap.PROT_READ | mmap.PROT_WRITE,
                               mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | _MAP_FIXED, -1, 0)
            if placed == start:
                ctypes.memmove(start, content, end - start)


def become_subreaper() -> None:
    """Orphans of this process's descendants become its children (see :func:`reap`)."""
    try:
        _libc().prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _children() -> list[int]:
    me, found = str(os.getpid()), []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if stat[stat.rfind(")") + 2:].split()[1] == me:
                found.append(int(entry.name))
    return found


def reap(pid: int) -> int:
    """Wait for the copy ``pid`` to end, then kill what it left running. Its exit code."""
    _, status = os.waitpid(pid, 0)
    for _ in range(100):
        left = _children()
        if not left:
            break
        for child in left:
            try:
                os.kill(child, signal.SIGKILL)
                os.waitpid(child, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        time.sleep(0.01)
    return os.waitstatus_to_exitcode(status)
