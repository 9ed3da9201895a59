"""Find the input files under the paths a user gives.

Walks files and folders in sorted order (the same pile always yields the same
sequence), follows symbolic links but reports a link loop instead of walking
it forever, and skips hidden entries and sourcetrace's own case files.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sourcetrace.records import Problem, ProblemReason

CASE_FILE_SUFFIXES = (".case", ".case-wal", ".case-shm")

DirKey = tuple[int, int]  # (st_dev, st_ino): a directory's identity through any link


@dataclass(frozen=True, slots=True)
class _Pending:
    """A path still to visit, with the directories on the way to it."""

    path: str
    ancestors: frozenset[DirKey]
    explicit: bool  # named by the user, not found inside a folder


def iter_input_files(paths: Sequence[str]) -> Iterator[str | Problem]:
    """Absolute paths of the input files under ``paths``, and a Problem for
    each path that cannot be walked. Paths are not resolved through links."""
    seen: set[str] = set()
    for given in paths:
        stack = [_Pending(os.path.abspath(given), frozenset(), explicit=True)]
        while stack:
            pending = stack.pop()
            for item in _visit(pending, stack):
                if isinstance(item, str):
                    if item in seen:
                        continue
                    seen.add(item)
                yield item


def is_skipped_name(name: str) -> bool:
    """Hidden entries and case files are never inputs found in a folder."""
    return name.startswith(".") or name.endswith(CASE_FILE_SUFFIXES)


def _visit(pending: _Pending, stack: list[_Pending]) -> Iterator[str | Problem]:
    path = pending.path
    try:
        info = os.stat(path)  # follows links
    except OSError as exc:
        yield _stat_problem(path, exc)
        return
    if stat.S_ISDIR(info.st_mode):
        key = (info.st_dev, info.st_ino)
        if key in pending.ancestors:
            target = os.readlink(path) if os.path.islink(path) else "an enclosing folder"
            yield Problem(path, ProblemReason.SYMLINK_LOOP, f"links back to {target}, a folder that contains it")
            return
        yield from _push_children(path, pending.ancestors | {key}, stack)
    elif stat.S_ISREG(info.st_mode):
        if path.endswith(CASE_FILE_SUFFIXES):
            if pending.explicit:
                yield Problem(path, ProblemReason.UNSUPPORTED, "a sourcetrace case file, not an input")
            return
        yield path
    else:
        # A FIFO or device would block or never end when read.
        yield Problem(path, ProblemReason.UNSUPPORTED, "not a regular file or folder (a pipe, socket or device)")


def _push_children(folder: str, ancestors: frozenset[DirKey], stack: list[_Pending]) -> Iterator[Problem]:
    try:
        names = sorted(entry.name for entry in os.scandir(folder))
    except OSError as exc:
        yield Problem(folder, ProblemReason.UNREADABLE, f"cannot list the folder: {exc.strerror or exc}")
        return
    # The stack pops from the end, so push in reverse to visit in sorted order.
    for name in reversed(names):
        if not is_skipped_name(name):
            stack.append(_Pending(os.path.join(folder, name), ancestors, explicit=False))


def _stat_problem(path: str, exc: OSError) -> Problem:
    if exc.errno == errno.ELOOP:
        return Problem(path, ProblemReason.SYMLINK_LOOP, "a symbolic link that leads back to itself")
    if exc.errno == errno.ENOENT:
        if os.path.islink(path):
            return Problem(path, ProblemReason.NOT_FOUND, f"a broken symbolic link to {os.readlink(path)}")
        return Problem(path, ProblemReason.NOT_FOUND, "no such file or folder")
    return Problem(path, ProblemReason.UNREADABLE, f"{type(exc).__name__}: {exc.strerror or exc}")
