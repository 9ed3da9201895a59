"""The merge step's per-segment reads and writes (tables in docs/case-schema.md).

``statement_keys`` holds, for every merged segment, codes of the keys its
occurrences meet others on (voices/grouping.py ``segment_key_codes``), with
the version of the rules that made them in ``meta.statement_keys_version``.
A run that adds segments stores the new segments' codes, finds the segments
holding a partner code, and reads the statements of those segments alone: the merge then
regroups what they touch (voices/steps.py), without reading the whole case.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from sourcetrace.store.case import CaseStore
from sourcetrace.store.codecs import attributions_from_json

if TYPE_CHECKING:
    from sourcetrace.voices.statements import Attribution

def merged_statement_segments(store: CaseStore) -> list[int]:
    """Kept segments whose statements were extracted (with or without any found), by id."""
    with store.transaction() as db:
        rows = db.execute(
            "SELECT st.segment_id FROM segment_statements st JOIN segments s ON s.id = st.segment_id"
            " WHERE s.duplicate_of IS NULL ORDER BY st.segment_id"
        ).fetchall()
    return [int(segment) for (segment,) in rows]


def statement_keys_version(store: CaseStore) -> str | None:
    with store.transaction() as db:
        row = db.execute("SELECT value FROM meta WHERE key = 'statement_keys_version'").fetchone()
    return str(row[0]) if row else None


def replace_statement_keys(store: CaseStore, codes: Mapping[int, bytes], segments: Collection[int] | None,
                           version: str) -> None:
    """Store each segment's key ``codes`` in place of the keys of
    ``segments`` (of every segment when None), in one transaction."""
    with store.transaction() as db:
        if segments is None:
            db.execute("DELETE FROM statement_keys")
        else:
            db.executemany("DELETE FROM statement_keys WHERE segment_id = ?", [(s,) for s in segments])
        db.executemany("INSERT INTO statement_keys VALUES (?, ?)", sorted(codes.items()))
        db.execute("INSERT OR REPLACE INTO meta VALUES ('statement_keys_version', ?)", (version,))


def stored_statement_keys(store: CaseStore) -> list[tuple[int, bytes]]:
    """(segment, key codes) of every segment whose keys are stored."""
    with store.transaction() as db:
        rows = db.execute("SELECT segment_id, keys FROM statement_keys").fetchall()
    return [(int(segment), bytes(data)) for segment, data in rows]


def segments_sharing_statements(store: CaseStore, segments: Iterable[int]) -> set[int]:
    """Segments holding an occurrence of a statement that one of ``segments`` holds."""
    rows = _about_segments(store, segments, """SELECT DISTINCT o.segment_id FROM asked_segments q
        JOIN statement_occurrences mine ON mine.segment_id = q.id
        JOIN statement_occurrences o ON o.statement_id = mine.statement_id""")
    return {int(segment) for (segment,) in rows}


def statements_of_segments(store: CaseStore, segments: Iterable[int]) -> dict[int, list[Attribution]]:
    """The statements of those of ``segments`` that are kept, as extracted, by segment id."""
    rows = _about_segments(store, segments, """SELECT st.segment_id, st.attributions FROM asked_segments q
        JOIN segment_statements st ON st.segment_id = q.id
        JOIN segments s ON s.id = st.segment_id WHERE s.duplicate_of IS NULL ORDER BY st.segment_id""")
    return {int(segment): attributions_from_json(segment, text) for segment, text in rows}


def occurrences_of_segments(store: CaseStore, segments: Iterable[int]) -> dict[tuple[int, int], int]:
    """(segment, start) of each merged occurrence in ``segments`` -> its statement."""
    rows = _about_segments(store, segments, """SELECT o.segment_id, o.start, o.statement_id FROM asked_segments q
        JOIN statement_occurrences o ON o.segment_id = q.id""")
    return {(int(segment), int(start)): int(statement) for segment, start, statement in rows}


def _about_segments(store: CaseStore, segments: Iterable[int], query: str) -> list[tuple[Any, ...]]:
    """The rows of ``query`` over ``asked_segments``, a temporary table (this
    connection's alone) holding ``segments``: thousands of ids, too many for IN (?...)."""
    with store.transaction() as db:
        db.execute("CREATE TEMP TABLE IF NOT EXISTS asked_segments (id INTEGER PRIMARY KEY)")
        db.execute("DELETE FROM asked_segments")
        db.executemany("INSERT INTO asked_segments VALUES (?)", [(s,) for s in set(segments)])
        return db.execute(query).fetchall()
