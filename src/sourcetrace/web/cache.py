"""The app's answers, kept while the case stays as it is.

The case only changes when the store writes it (a later ``sourcetrace run``
on the same file, even while the app serves it), so an answer is good until
the case's files change: every lookup compares their size and modification
time with those the answers were made from, and forgets them all on any
change, or on a change of what else they are made from (the app's read index, rebuilt after
the case changed). Bounded by the bytes held, oldest used first out.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path

MAX_BYTES = 64 * 1024 * 1024
MAX_ANSWER = 4 * 1024 * 1024  # a larger answer is made afresh each time rather than crowding out the rest


def case_version(case: Path) -> tuple[tuple[int, int], ...]:
    """What changes when the store writes the case: the main file and its write-ahead log."""
    found = []
    for path in (case, case.with_name(case.name + "-wal")):
        try:
            stat = os.stat(path)
        except FileNotFoundError:
            found.append((-1, -1))
        else:
            found.append((stat.st_size, stat.st_mtime_ns))
    return tuple(found)


class AnswerCache:
    def __init__(self, case: Path, max_bytes: int = MAX_BYTES, *,
                 also: Callable[[], Hashable] = lambda: None) -> None:
        """``also``: what else the answers are made from (the app's read index: its generation)."""
        self.case = case
        self.max_bytes = max_bytes
        self.also = also
        self._answers: OrderedDict[Hashable, bytes] = OrderedDict()
        self._held = 0
        self._version = self.version()
        self._lock = threading.Lock()

    def version(self) -> Hashable:
        return case_version(self.case), self.also()

    def get(self, key: Hashable, make: Callable[[], bytes | None]) -> bytes | None:
        """The answer for ``key``, made by ``make`` unless kept (None is never kept)."""
        version = self.version()
        with self._lock:
            if version != self._version:
                self._answers.clear()
                self._held, self._version = 0, version
            kept = self._answers.get(key)
            if kept is not None:
                self._answers.move_to_end(key)
                return kept
        made = make()  # outside the lock: answers for different keys are made at once
        if made is not None and len(made) <= MAX_ANSWER:
            self._keep(key, made, version)
        return made

    def _keep(self, key: Hashable, answer: bytes, version: Hashable) -> None:
        with self._lock:
            if version != self._version or key in self._answers:
                return
            self._answers[key] = answer
            self._held += len(answer)
            while self._held > self.max_bytes:
                _, dropped = self._answers.popitem(last=False)
                self._held -= len(dropped)
