"""The app's read index: full-text search and the timeline's order, built beside the case.

The case is opened read-only (the store's writer is its only writer), so the
index lives in a separate SQLite file in a private temporary folder, built
once when the app starts and attached read-only (as ``app_index``) by every
reader that serves a request. It holds what no single query can answer fast
on a large case:

- ``segment_text``: an FTS5 table of kept segments' texts, keyed by segment id;
- ``segment_filters``: what the search filters test of each kept segment (kind, family,
  publication, and its site, credit, URL and shown input path in one string), in one small
  row: testing them on the case's segments, documents and inputs took 0.2 s for a word in
  most segments, nearly all of it reading the matches' rows;
- ``timeline``: every kept event's place in the timeline's order, overall and
  within its kind, so a page of the timeline is a range of places rather than
  an OFFSET that walks every earlier event (1.4 s for page 15,000 at 100k
  segments without it).

The app builds it again when a run changes the case it serves (web/live_index.py).
Proposed later: a migration that keeps these inside the case, written by the
store, so a large case is indexed once rather than at each start.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from sourcetrace.store.read_copies import (
    OUTLET_TEXT,
    SEGMENT_COLUMNS,
    SEGMENT_FROM,
    FilterColumns,
    segment_view,
)
from sourcetrace.store.read_copies import filter_clause as copies_filter_clause
from sourcetrace.store.read_events import timeline_order
from sourcetrace.views import MARK_END, MARK_START, SearchHit, SearchPage, SegmentFilters

_TERMS = re.compile(r'"([^"]*)"|(\S+)')
ALIAS = "app_index"
PREFIX = "sourcetrace-index-"  # the index's folder in the temporary folder: PREFIX and random letters
OWNER = "owner.pid"  # in that folder: the id of the process that built it
# Matches ranked by relevance at most: BM25 costs about 2.6 µs a match (FTS5 reads each one's
# positions), so a word in 87,000 of 100,000 segments took 225 ms to rank. Past this many matches
# the page lists them in case order, and says so; the count stays exact.
RANKED_MATCHES = 5000
KEPT_COUNTS = 4096  # match counts a read index keeps (a few hundred kB)
# CROSS JOIN: the matches are the outer loop; else a kind or family filter can make SQLite walk that
# filter's index and run the full-text query once per segment (142 ms instead of 32 for one kind).
# The table holds kept segments only, and its outlet text is lower-cased already.
_INDEX_COLUMNS = FilterColumns("1", "k.kind", "k.family_id", "k.outlet", "k.published")
_MATCHES = f"{ALIAS}.segment_text CROSS JOIN {ALIAS}.segment_filters k ON k.segment_id = segment_text.rowid"


class ReadIndex:
    """The search and timeline tables of one case, in their own temporary file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / "read-index.sqlite"
        # Match counts by (query, filters), shared by the readers of every thread: each page of a
        # search counts every match (10 to 70 ms for a common word at 100k segments), and the
        # index does not change once built.
        self._counts: OrderedDict[tuple[str, SegmentFilters], int] = OrderedDict()
        self._lock = threading.Lock()

    def match_count(self, key: tuple[str, SegmentFilters], count: Callable[[], int]) -> int:
        """The count for ``key``, made by ``count`` the first time (the last KEPT_COUNTS kept)."""
        with self._lock:
            if key in self._counts:
                self._counts.move_to_end(key)
                return self._counts[key]
        made = count()
        with self._lock:
            self._counts[key] = made
            while len(self._counts) > KEPT_COUNTS:
                self._counts.popitem(last=False)
        return made

    @classmethod
    def build(cls, case: sqlite3.Connection, batch: int = 2000) -> ReadIndex:
        remove_orphans()
        index = cls(Path(tempfile.mkdtemp(prefix=PREFIX)))
        (index.folder / OWNER).write_text(str(os.getpid()), encoding="ascii")
        out = sqlite3.connect(index.path)
        try:
            out.execute("PRAGMA journal_mode = OFF")
            _build_search(case, out, batch)
            _build_timeline(case, out, batch)
            _build_filters(case, out, batch)
            out.commit()
        except BaseException:  # a half-built copy of the texts is not left behind
            out.close()
            index.remove()
            raise
        out.close()
        return index

    def attach(self, db: sqlite3.Connection) -> None:
        db.execute(f"ATTACH DATABASE ? AS {ALIAS}", (self.path.as_uri() + "?mode=ro",))

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def remove_orphans(folder: Path | None = None) -> list[Path]:
    """Remove the read indexes left by apps that died without closing (SIGKILL, a power cut):
    each holds a copy of a case's texts. An index is an orphan when the process that wrote its
    OWNER file is gone; one whose owner lives, or cannot be told, is kept."""
    removed = []
    for found in Path(folder or tempfile.gettempdir()).glob(PREFIX + "*"):
        try:
            owner = int((found / OWNER).read_text(encoding="ascii"))
            os.kill(owner, 0)
        except ProcessLookupError:
            shutil.rmtree(found, ignore_errors=True)
            removed.append(found)
        except (OSError, ValueError):  # not ours to judge: another user's, or being written
            continue
    return removed


def _build_search(case: sqlite3.Connection, out: sqlite3.Connection, batch: int) -> None:
    out.execute("CREATE VIRTUAL TABLE segment_text USING fts5(text, tokenize = 'unicode61 remove_diacritics 2')")
    cursor = case.execute("SELECT id, text FROM segments WHERE duplicate_of IS NULL")
    while rows := cursor.fetchmany(batch):
        out.executemany("INSERT INTO segment_text (rowid, text) VALUES (?, ?)", rows)


def _build_timeline(case: sqlite3.Connection, out: sqlite3.Connection, batch: int) -> None:
    # place: 1, 2, … over all kept events; kind_place: 1, 2, … within the event's kind.
    out.execute("""CREATE TABLE timeline (place INTEGER PRIMARY KEY, event_id INTEGER NOT NULL,
                                          kind TEXT NOT NULL, kind_place INTEGER NOT NULL)""")
    counted: dict[str, int] = {}
    cursor = timeline_order(case)
    place = 0
    while rows := cursor.fetchmany(batch):
        placed = []
        for event_id, kind in rows:
            place += 1
            counted[kind] = counted.get(kind, 0) + 1
            placed.append((place, event_id, kind, counted[kind]))
        out.executemany("INSERT INTO timeline VALUES (?, ?, ?, ?)", placed)
    out.execute("CREATE UNIQUE INDEX timeline_kind ON timeline (kind, kind_place)")


def _build_filters(case: sqlite3.Connection, out: sqlite3.Connection, batch: int) -> None:
    # Paths as the building reader shows them (in full or relative, store/read_paths.py).
    out.execute("""CREATE TABLE segment_filters (segment_id INTEGER PRIMARY KEY, kind TEXT, family_id INTEGER,
                                                 published TEXT, outlet TEXT NOT NULL)""")
    cursor = case.execute(f"""SELECT s.id, m.kind, m.family_id, s.published, {OUTLET_TEXT} FROM {SEGMENT_FROM}
                              WHERE s.duplicate_of IS NULL""")
    while rows := cursor.fetchmany(batch):
        out.executemany("INSERT INTO segment_filters VALUES (?, ?, ?, ?, ?)", rows)
    out.execute("CREATE INDEX segment_filters_kind ON segment_filters (kind)")
    out.execute("CREATE INDEX segment_filters_family ON segment_filters (family_id)")


def filter_clause(filters: SegmentFilters) -> tuple[str, list[object]]:
    """read_copies.filter_clause over ``k``, the read index's segment_filters."""
    return copies_filter_clause(filters, _INDEX_COLUMNS)


def fts_query(text: str) -> str | None:
    """The user's words as an FTS5 query: every word must occur, "quoted words" as a phrase.

    Each term is quoted, so FTS5 operators typed by a user (or pasted from a
    hostile page) are searched for as words, never interpreted.
    """
    terms = [phrase or word for phrase, word in _TERMS.findall(text)]
    quoted = ['"' + term.replace('"', '""') + '"' for term in terms if term.strip()]
    return " ".join(quoted) or None


def search_segments(db: sqlite3.Connection, query: str, filters: SegmentFilters, page: int,
                    per_page: int, index: ReadIndex | None = None) -> SearchPage:
    """Segments whose text matches ``query`` and the filters: best match first when there are at
    most RANKED_MATCHES, else in case (segment id) order.

    ``db`` must have the index attached (ReadIndex.attach); ``index``, when given, keeps the
    counts. The page's segments and snippets are read for its own rows only, after the matches
    are counted and ordered.
    """
    match = fts_query(query)
    if match is None:
        return SearchPage((), page, per_page, 0, "relevance")
    def count() -> int:
        return _match_count(db, match, filters)

    total = count() if index is None else index.match_count((match, filters), count)
    ranked = total <= RANKED_MATCHES
    where, params = filter_clause(filters)
    order = "segment_text.rank" if ranked else "segment_text.rowid"
    ids = [int(i) for (i,) in db.execute(
        f"""SELECT segment_text.rowid FROM {_MATCHES} WHERE segment_text MATCH ? AND {where}
            ORDER BY {order} LIMIT ? OFFSET ?""", [match, *params, per_page, (page - 1) * per_page])]
    return SearchPage(tuple(_hits(db, ids, match)), page, per_page, total, "relevance" if ranked else "case")


def _match_count(db: sqlite3.Connection, match: str, filters: SegmentFilters) -> int:
    if filters == SegmentFilters():  # the index holds kept segments only: no join is needed
        return int(db.execute(f"SELECT count(*) FROM {ALIAS}.segment_text WHERE segment_text MATCH ?",
                              (match,)).fetchone()[0])
    where, params = filter_clause(filters)
    return int(db.execute(f"SELECT count(*) FROM {_MATCHES} WHERE segment_text MATCH ? AND {where}",
                          [match, *params]).fetchone()[0])


def browse_indexed(db: sqlite3.Connection, filters: SegmentFilters, page: int, per_page: int) -> SearchPage:
    """read_copies.browse_segments, the filters tested in the attached read index."""
    where, params = filter_clause(filters)
    total = int(db.execute(f"SELECT count(*) FROM {ALIAS}.segment_filters k WHERE {where}", params).fetchone()[0])
    ids = [int(i) for (i,) in db.execute(
        f"SELECT k.segment_id FROM {ALIAS}.segment_filters k WHERE {where} ORDER BY k.segment_id LIMIT ? OFFSET ?",
        [*params, per_page, (page - 1) * per_page])]
    return SearchPage(tuple(_hits(db, ids)), page, per_page, total, "case")


def _hits(db: sqlite3.Connection, ids: list[int], match: str | None = None) -> list[SearchHit]:
    """The hits for ``ids``, in that order: with the snippet of ``match``, or else the text's start."""
    if not ids:
        return []
    marks = ", ".join("?" * len(ids))
    if match is None:
        snippets = dict(db.execute(f"SELECT id, substr(text, 1, 240) FROM segments WHERE id IN ({marks})", ids))
    else:
        snippets = dict(db.execute(
            f"""SELECT rowid, snippet(segment_text, 0, ?, ?, '…', 24) FROM {ALIAS}.segment_text
                WHERE segment_text MATCH ? AND rowid IN ({marks})""", [MARK_START, MARK_END, match, *ids]))
    rows = {row[0]: row for row in db.execute(
        f"SELECT {SEGMENT_COLUMNS} FROM {SEGMENT_FROM} WHERE s.id IN ({marks})", ids)}
    # An index built before a run changed the case may name a segment the case no longer has.
    return [SearchHit(segment_view(rows[i]), snippets[i]) for i in ids if i in rows and i in snippets]
