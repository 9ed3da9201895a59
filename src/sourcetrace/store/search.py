"""Full-text search over a case's segments with SQLite FTS5.

The case is opened read-only (the store's writer is its only writer), so the
index lives in a separate SQLite file in a private temporary folder, built
once when the app starts and attached read-only by every reader that searches.
Proposed later: a migration that keeps an FTS5 table inside the case, written
by the store, so a large case is indexed once rather than at each start.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import tempfile
from pathlib import Path

from sourcetrace.store.read_copies import SEGMENT_COLUMNS, SEGMENT_JOINS, filter_clause, segment_view
from sourcetrace.views import MARK_END, MARK_START, Page, SearchHit, SegmentFilters

_TERMS = re.compile(r'"([^"]*)"|(\S+)')


class SearchIndex:
    """An FTS5 index of kept segments' texts, keyed by segment id, in its own temporary file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / "segments-fts.sqlite"

    @classmethod
    def build(cls, case: sqlite3.Connection, batch: int = 2000) -> SearchIndex:
        index = cls(Path(tempfile.mkdtemp(prefix="sourcetrace-fts-")))
        out = sqlite3.connect(index.path)
        out.execute("PRAGMA journal_mode = OFF")
        out.execute("CREATE VIRTUAL TABLE segment_text USING fts5(text, tokenize = 'unicode61 remove_diacritics 2')")
        cursor = case.execute("SELECT id, text FROM segments WHERE duplicate_of IS NULL")
        while rows := cursor.fetchmany(batch):
            out.executemany("INSERT INTO segment_text (rowid, text) VALUES (?, ?)", rows)
        out.commit()
        out.close()
        return index

    def attach(self, db: sqlite3.Connection) -> None:
        db.execute("ATTACH DATABASE ? AS fts", (self.path.as_uri() + "?mode=ro",))

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def fts_query(text: str) -> str | None:
    """The user's words as an FTS5 query: every word must occur, "quoted words" as a phrase.

    Each term is quoted, so FTS5 operators typed by a user (or pasted from a
    hostile page) are searched for as words, never interpreted.
    """
    terms = [phrase or word for phrase, word in _TERMS.findall(text)]
    quoted = ['"' + term.replace('"', '""') + '"' for term in terms if term.strip()]
    return " ".join(quoted) or None


def search_segments(db: sqlite3.Connection, query: str, filters: SegmentFilters, page: int,
                    per_page: int) -> Page[SearchHit]:
    """Segments whose text matches ``query`` (best match first) and the filters.

    ``db`` must have the index attached as ``fts`` (SearchIndex.attach).
    """
    match = fts_query(query)
    if match is None:
        return Page((), page, per_page, 0)
    where, params = filter_clause(filters)
    source = f"fts.segment_text JOIN segments s ON s.id = segment_text.rowid {SEGMENT_JOINS}"
    condition = f"segment_text MATCH ? AND {where}"
    total = int(db.execute(f"SELECT count(*) FROM {source} WHERE {condition}", [match, *params]).fetchone()[0])
    rows = db.execute(
        f"SELECT {SEGMENT_COLUMNS}, snippet(segment_text, 0, ?, ?, '…', 24) FROM {source} WHERE {condition} "
        "ORDER BY segment_text.rank LIMIT ? OFFSET ?",
        [MARK_START, MARK_END, match, *params, per_page, (page - 1) * per_page]).fetchall()
    return Page(tuple(SearchHit(segment_view(row[:-1]), row[-1]) for row in rows), page, per_page, total)
