"""The app's read index, built again when a run changes the case the app serves.

The read index (store/read_index.py) is a copy of what the case held when it
was built. A ``sourcetrace run`` on the same case while the app serves it
changes the case; the index is then built again, in the background, once the
case's files have stayed as they are for STABLE_SECONDS (a run writes them
many times), and swapped in for the next requests. Until then requests use
the previous index: a search misses what is new, and a timeline page lists
only the events both have. The kept answers are dropped at once (web/cache.py).
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

from sourcetrace.store import CaseReader
from sourcetrace.store.read_index import ReadIndex
from sourcetrace.web.cache import case_version

STABLE_SECONDS = 2.0  # the case unchanged this long: the run has finished writing, for now


class LiveIndex:
    def __init__(self, case: Path, *, full_paths: bool) -> None:
        """Build the first index (raising the reader's error for a missing or foreign file)."""
        self.case, self.full_paths = case, full_paths
        self._lock = threading.Lock()
        self._rebuilding = False
        self._closed = False
        self.generation = 0  # counts the indexes built; a reader attached to an older one opens again
        self._version, self.index = self._build()

    def _build(self) -> tuple[tuple[tuple[int, int], ...], ReadIndex]:
        version = case_version(self.case)  # read first: a change during the build is seen afterwards
        with CaseReader(self.case, full_paths=self.full_paths) as reader:
            return version, reader.build_read_index()

    def current(self) -> tuple[int, ReadIndex]:
        """The index to attach and its generation; starts a rebuild when the case has changed."""
        with self._lock:
            if not self._rebuilding and not self._closed and case_version(self.case) != self._version:
                self._rebuilding = True
                threading.Thread(target=self._rebuild, name="sourcetrace-index", daemon=True).start()
            return self.generation, self.index

    def _rebuild(self) -> None:
        try:
            seen = case_version(self.case)
            while True:
                time.sleep(STABLE_SECONDS)
                now = case_version(self.case)
                if now == seen:
                    break
                seen = now
            version, index = self._build()
            with self._lock:
                if self._closed:
                    index.remove()
                    return
                old, self.index, self._version = self.index, index, version
                self.generation += 1
            old.remove()  # readers still using it keep its open file; the next request attaches the new one
        except Exception as error:  # noqa: BLE001  (the app goes on with the index it has, and says so)
            print(f"sourcetrace: the search index was not rebuilt: {error}", file=sys.stderr)
        finally:
            with self._lock:
                self._rebuilding = False

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self.index.remove()
