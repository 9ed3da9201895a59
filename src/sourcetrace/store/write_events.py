"""The events step's reads and writes of the case (tables in docs/case-schema.md).

Events are stored per segment: ``segment_events`` marks a segment done, with
the publication its relative dates were resolved against, and ``events``
holds its rows under ids derived from the segment (id * 1000 + ordinal).
A segment is awaiting events when it has no mark, or its publication
changed since; a segment whose text changes loses its mark, and so its
events, in CaseStore's ``_forget_segments``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sourcetrace.store.case import CaseStore
from sourcetrace.stories.timeline import MAX_EVENTS, SegmentEvents, SegmentForEvents

_AWAITING = """SELECT s.id, s.text, s.published FROM segments s
               LEFT JOIN segment_events e ON e.segment_id = s.id
               WHERE s.duplicate_of IS NULL AND s.id > ? AND (e.segment_id IS NULL OR e.published IS NOT s.published)
               ORDER BY s.id LIMIT ?"""


def segments_awaiting_events(store: CaseStore, batch_size: int) -> Iterator[list[SegmentForEvents]]:
    """Kept segments whose events are not stored (or rest on an old
    publication date), in id order, in batches; each batch is read whole, so
    the step may write between batches."""
    last_id = 0
    while True:
        with store.transaction() as db:
            rows = db.execute(_AWAITING, (last_id, batch_size)).fetchall()
        if not rows:
            return
        yield [SegmentForEvents(*row) for row in rows]
        last_id = rows[-1][0]


def add_segment_events(store: CaseStore, found: Iterable[SegmentEvents]) -> None:
    """Each segment's events, replacing any it had, in one transaction."""
    with store.transaction() as db:
        for segment in found:
            db.execute("DELETE FROM segment_events WHERE segment_id = ?", (segment.segment,))
            db.execute("INSERT INTO segment_events VALUES (?, ?)", (segment.segment, segment.published))
            db.executemany(
                'INSERT INTO events (id, segment_id, kind, date, precision, first_day, start, "end", text, relative)'
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(segment.segment * (MAX_EVENTS + 1) + e.ordinal, segment.segment, e.kind, e.date, e.precision,
                  e.first_day, e.start, e.end, e.text, int(e.relative)) for e in segment.events])
