"""Queries that read stories: listings, one story with its segments, the export section.

Called through CaseReader (store/read.py), like read_copies. A story's
segments are its families' members; its statements (those with an
occurrence in one of them) and its events are found at read time.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from sourcetrace.store.read_copies import segments
from sourcetrace.store.read_events import events
from sourcetrace.views import StatementSummary, StorySummary, StoryView

_STORY_COLUMNS = """id, title, families, segments, independent_sources, outlets, agencies, first_published,
    last_published"""
_STORY_SEGMENTS = """SELECT m.segment_id FROM story_families f JOIN family_members m ON m.family_id = f.family_id
    WHERE f.story_id = ?"""


def _summary(row: Sequence[Any]) -> StorySummary:
    sid, title, families, count, sources, outlets, agencies, first, last = row
    return StorySummary(sid, title, families, count, sources, tuple(json.loads(outlets)), tuple(json.loads(agencies)),
                        first, last)


def story_summaries(db: sqlite3.Connection, limit: int | None = None, offset: int = 0) -> list[StorySummary]:
    """Stories, those with the most independent sources first, then the most segments."""
    rows = db.execute(f"SELECT {_STORY_COLUMNS} FROM stories ORDER BY independent_sources DESC, segments DESC, id"
                      " LIMIT ? OFFSET ?", (-1 if limit is None else limit, offset))
    return [_summary(row) for row in rows]


def story_count(db: sqlite3.Connection) -> int:
    return int(db.execute("SELECT count(*) FROM stories").fetchone()[0])


def story(db: sqlite3.Connection, story_id: int) -> StoryView | None:
    row = db.execute(f"SELECT {_STORY_COLUMNS} FROM stories WHERE id = ?", (story_id,)).fetchone()
    if row is None:
        return None
    families = tuple(f for (f,) in db.execute(
        "SELECT family_id FROM story_families WHERE story_id = ? ORDER BY family_id", (story_id,)))
    ids = [i for (i,) in db.execute(_STORY_SEGMENTS, (story_id,))]
    found = segments(db, ids)
    listed = tuple(sorted(found.values(), key=lambda s: (s.published is None, s.published or "", s.id)))
    statements = tuple(StatementSummary(*r) for r in db.execute(
        f"""SELECT id, speaker, speaker_role, kind, cue, text, occurrences, altered FROM statements
            WHERE id IN (SELECT o.statement_id FROM statement_occurrences o WHERE o.segment_id IN ({_STORY_SEGMENTS}))
            ORDER BY occurrences DESC, id""", (story_id,)))
    return StoryView(_summary(row), families, listed, statements, tuple(events(db, story_id)))


def story_of_segment(db: sqlite3.Connection, segment_id: int) -> int | None:
    """The story a segment is in, if any."""
    row = db.execute("""SELECT f.story_id FROM family_members m JOIN story_families f ON f.family_id = m.family_id
                        WHERE m.segment_id = ?""", (segment_id,)).fetchone()
    return None if row is None else int(row[0])


def export_stories(db: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    """The export's ``stories`` section (docs/json-export.md), in id order, streamed."""
    members = db.execute(
        """SELECT f.story_id, f.family_id, m.segment_id FROM story_families f
           JOIN family_members m ON m.family_id = f.family_id ORDER BY f.story_id, m.segment_id""")
    pending = next(members, None)
    for sid, title, _, _, sources, outlets, _, first, last in db.execute(
            f"SELECT {_STORY_COLUMNS} FROM stories ORDER BY id"):
        families: set[int] = set()
        listed: list[int] = []
        while pending is not None and pending[0] == sid:
            families.add(pending[1])
            listed.append(pending[2])
            pending = next(members, None)
        yield {"id": sid, "title": title, "segments": listed, "families": sorted(families),
               "independent_sources": sources, "outlets": json.loads(outlets), "first_published": first,
               "last_published": last}
