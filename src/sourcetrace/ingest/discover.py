"""Find the input files under the paths a user gives.

Walks files and folders in sorted order (the same pile always yields the same
sequence), follows symbolic links but reports a link loop instead of walking
it forever, and skips hidden entries and sourcetrace's own case files. Inside
a folder, a file of no kind sourcetrace reads (by its extension, else its
magic bytes) is skipped and counted: a folder of pages often holds a
``pyproject.toml`` or the pages' images. A file the user names is always read.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sourcetrace.ingest.sniff import kind_from_extension, sniff_kind
from sourcetrace.records import InputKind, Problem, ProblemReason

CASE_FILE_SUFFIXES = (".case", ".case-wal", ".case-shm")

DirKey = tuple[int, int]  # (st_dev, st_ino): a directory's identity through any link

# Kinds a file without a known extension is read as when found in a folder:
# those its magic bytes prove (a page saved as story.php is HTML). Plain text
# proves nothing: configuration, code and notes are text too.
MAGIC_KINDS = frozenset({InputKind.HTML, InputKind.WARC, InputKind.ARC, InputKind.PDF})
MAGIC_HEAD_BYTES = 1024  # enough for a doctype after a comment; a mirror's images are each opened once


@dataclass(frozen=True, slots=True)
class SkippedFile:
    """A file found in a folder that is of no kind sourcetrace reads: not read, counted by extension."""

    path: str
    extension: str  # lower case with its dot ("" when the name has none)


@dataclass(frozen=True, slots=True)
class FolderWithoutInputs:
    """A folder the user named that holds no file of a kind sourcetrace reads."""

    path: str
    skipped: tuple[str, ...]  # the extensions of the files skipped in it, each once

    def problem(self) -> Problem:
        """The warning recorded in the case when other inputs were read."""
        kinds = f" (skipped: {', '.join(e or 'no extension' for e in self.skipped)})" if self.skipped else ""
        return Problem(self.path, ProblemReason.EMPTY, f"the folder holds no file of a kind sourcetrace reads{kinds}",
                       severity="warning")


Discovered = str | Problem | SkippedFile | FolderWithoutInputs


class NoInputError(Exception):
    """None of the inputs given to a run could be read: each is missing or
    unreadable, or a folder holding no file of a kind sourcetrace reads.
    Raised before the case is opened, so the case is left as it was."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)  # one per path, saying why
        reasons = "; ".join(f"{p.path}: {p.message}" for p in self.problems)
        super().__init__(f"nothing could be read (the case was left as it was): {reasons}")


@dataclass(frozen=True, slots=True)
class _Pending:
    """A path still to visit, with the directories on the way to it."""

    path: str
    ancestors: frozenset[DirKey]
    explicit: bool  # named by the user, not found inside a folder


def iter_input_files(paths: Sequence[str]) -> Iterator[str | Problem]:
    """Absolute paths of the input files under ``paths``, and a Problem for
    each path that cannot be walked. Paths are not resolved through links."""
    for item in discover_inputs(paths):
        if isinstance(item, (str, Problem)):
            yield item


def discover_inputs(paths: Sequence[str]) -> Iterator[Discovered]:
    """What :func:`iter_input_files` yields, and also each file skipped in a
    folder and each named folder that holds no input file."""
    seen: set[str] = set()
    for given in paths:
        root = os.path.abspath(given)
        stack = [_Pending(root, frozenset(), explicit=True)]
        files = 0
        skipped: dict[str, None] = {}  # extensions in order of first sight
        root_failed = False
        while stack:
            pending = stack.pop()
            for item in _visit(pending, stack):
                if isinstance(item, str):
                    files += 1
                    if item in seen:
                        continue
                    seen.add(item)
                elif isinstance(item, SkippedFile):
                    skipped[item.extension] = None
                elif item.path == root:
                    root_failed = True
                yield item
        if files == 0 and not root_failed and os.path.isdir(root):
            yield FolderWithoutInputs(root, tuple(skipped))


def why_no_input_reads(paths: Sequence[str]) -> list[Problem] | None:
    """None as soon as one input file under ``paths`` opens; else why none can
    be read: each missing or unreadable path, and each folder without inputs."""
    why: list[Problem] = []
    for item in discover_inputs(paths):
        if isinstance(item, str):
            try:
                with open(item, "rb"):
                    return None
            except OSError as exc:
                why.append(Problem(item, ProblemReason.UNREADABLE, f"cannot open: {exc.strerror or exc}"))
        elif isinstance(item, Problem):
            why.append(item)
        elif isinstance(item, FolderWithoutInputs):
            why.append(item.problem())
    return why


def is_skipped_name(name: str) -> bool:
    """Hidden entries and case files are never inputs found in a folder."""
    return name.startswith(".") or name.endswith(CASE_FILE_SUFFIXES)


def _visit(pending: _Pending, stack: list[_Pending]) -> Iterator[str | Problem | SkippedFile]:
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
        if pending.explicit or is_supported_file(path):
            yield path
        else:
            yield SkippedFile(path, _extension(path))
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


def is_supported_file(path: str) -> bool:
    """True when a file's extension names a kind sourcetrace reads, or, without
    one, when its magic bytes prove such a kind. A file that cannot be opened
    counts as supported: reading it records why it could not be."""
    if kind_from_extension(path.lower().removesuffix(".gz")) is not None:
        return True
    try:
        with open(path, "rb") as stream:
            head = stream.read(MAGIC_HEAD_BYTES)
    except OSError:
        return True
    return sniff_kind(path, head) in MAGIC_KINDS


def _extension(path: str) -> str:
    name = os.path.basename(path).lower()
    dot = name.rfind(".", 1)  # a leading dot starts a hidden name, not an extension
    return name[dot:] if dot > 0 else ""


def _stat_problem(path: str, exc: OSError) -> Problem:
    if exc.errno == errno.ELOOP:
        return Problem(path, ProblemReason.SYMLINK_LOOP, "a symbolic link that leads back to itself")
    if exc.errno == errno.ENOENT:
        if os.path.islink(path):
            return Problem(path, ProblemReason.NOT_FOUND, f"a broken symbolic link to {os.readlink(path)}")
        return Problem(path, ProblemReason.NOT_FOUND, "no such file or folder")
    return Problem(path, ProblemReason.UNREADABLE, f"{type(exc).__name__}: {exc.strerror or exc}")
