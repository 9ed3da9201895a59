"""Queries that read the timeline: dated events, in date order or for the export.

Called through CaseReader (store/read.py), like read_copies. An event's story
is read at query time: its segment's family's story (story_families), so the
timeline follows the stories step's latest clustering without storing it twice.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from sourcetrace.views import EventView

_STORY = """LEFT JOIN family_members m ON m.segment_id = e.segment_id
            LEFT JOIN story_families f ON f.family_id = m.family_id"""
_KEPT_EVENTS = f"""FROM events e JOIN segments s ON s.id = e.segment_id {_STORY}
                   WHERE s.duplicate_of IS NULL"""
_KEPT_SEGMENT_EVENTS = "FROM events e JOIN segments s ON s.id = e.segment_id WHERE s.duplicate_of IS NULL"
# One story's events, found from the story (its families, their members, their events), the few then sorted.
_STORY_EVENTS = """FROM story_families f CROSS JOIN family_members m ON m.family_id = f.family_id
                   CROSS JOIN events e ON e.segment_id = m.segment_id JOIN segments s ON s.id = e.segment_id
                   WHERE s.duplicate_of IS NULL"""
# All events, walked in the timeline's index (schema 11) up to the page: CROSS JOIN keeps events the outer loop.
_TIMELINE_EVENTS = f"""FROM events e CROSS JOIN segments s ON s.id = e.segment_id {_STORY}
                       WHERE s.duplicate_of IS NULL"""
_ORDER = "e.first_day IS NULL, e.first_day, e.date, e.segment_id, e.id"  # the events_timeline index's order
_EVENT_COLUMNS = """e.id, e.kind, e.date, e.precision, e.segment_id, s.document_id, e.start, e."end", e.text,
                    e.relative, s.title, s.published, f.story_id"""


def has_stories(db: sqlite3.Connection) -> bool:
    """True once the stories step has built stories (their table holds rows)."""
    table = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'stories'").fetchone()
    return table is not None and db.execute("SELECT 1 FROM stories LIMIT 1").fetchone() is not None


def events(db: sqlite3.Connection, story: int | None = None, kind: str | None = None,
           limit: int | None = None, offset: int = 0) -> list[EventView]:
    """Dated events in date order (a period by its first day; unresolved last),
    then by segment and position; ``story`` keeps one story's, ``kind`` one kind."""
    where, params = _filters(story, kind)
    kept = _STORY_EVENTS if story is not None else _TIMELINE_EVENTS
    rows = db.execute(f"SELECT {_EVENT_COLUMNS} {kept} {where} ORDER BY {_ORDER} LIMIT ? OFFSET ?",
                      [*params, -1 if limit is None else limit, offset])
    return [_event_view(row) for row in rows]


def _event_view(row: Sequence[Any]) -> EventView:
    i, kind, date, precision, segment, document, start, end, text, relative, title, published, story = row
    return EventView(i, kind, date, precision, segment, document, start, end, text, bool(relative), title,
                     published, story)


def timeline_order(db: sqlite3.Connection) -> sqlite3.Cursor:
    """(event id, kind) of every kept event, in the timeline's order (as ``events`` lists them)."""
    return db.execute(f"""SELECT e.id, e.kind FROM events e CROSS JOIN segments s ON s.id = e.segment_id
                           WHERE s.duplicate_of IS NULL ORDER BY {_ORDER}""")


def placed_events(db: sqlite3.Connection, kind: str | None, limit: int, offset: int) -> list[EventView]:
    """A page of ``events`` (no story) read by place from the read index, attached as app_index
    (store/read_index.py)."""
    place, where = ("t.kind_place", "t.kind = ? AND ") if kind is not None else ("t.place", "")
    rows = db.execute(
        f"""SELECT {_EVENT_COLUMNS} FROM app_index.timeline t CROSS JOIN events e ON e.id = t.event_id
            CROSS JOIN segments s ON s.id = e.segment_id {_STORY}
            WHERE {where}{place} > ? AND {place} <= ? ORDER BY {place}""",
        [*([kind] if kind is not None else []), offset, offset + limit])
    return [_event_view(row) for row in rows]


def placed_event_count(db: sqlite3.Connection, kind: str | None) -> int:
    """How many kept events (of ``kind``) the attached read index holds: its last place."""
    if kind is None:
        return int(db.execute("SELECT coalesce(max(place), 0) FROM app_index.timeline").fetchone()[0])
    return int(db.execute("SELECT coalesce(max(kind_place), 0) FROM app_index.timeline WHERE kind = ?",
                          (kind,)).fetchone()[0])


def event_count(db: sqlite3.Connection, story: int | None = None, kind: str | None = None) -> int:
    where, params = _filters(story, kind)
    # A segment is in at most one family and a family in at most one story: without a story filter the
    # story's joins change no count, and leaving them out makes the count ten times faster.
    kept = _STORY_EVENTS if story is not None else _KEPT_SEGMENT_EVENTS
    return int(db.execute(f"SELECT count(*) {kept} {where}", params).fetchone()[0])


def _filters(story: int | None, kind: str | None) -> tuple[str, list[object]]:
    """The AND clauses after _KEPT_EVENTS's WHERE, with their parameters."""
    clauses: list[str] = []
    params: list[object] = []
    for clause, value in (("f.story_id = ?", story), ("e.kind = ?", kind)):
        if value is not None:
            clauses.append(clause)
            params.append(value)
    return "".join(" AND " + clause for clause in clauses), params


def export_events(db: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    """The export's ``events`` section (docs/json-export.md), by id."""
    cursor = db.execute(
        f"""SELECT e.id, e.date, e.kind, e.precision, e.segment_id AS segment, e.start, e."end", e.text,
                   f.story_id AS story
            {_KEPT_EVENTS} ORDER BY e.id""")
    names = [column[0] for column in cursor.description]
    for values in cursor:
        yield dict(zip(names, values))
