"""Queries that read claims: listings with their source counts, one claim's positions, the export section.

Called through CaseReader (store/read.py). What a position rests on beyond
its own row is joined at read time, so it follows the case as it stands: the
statement that carries it (the occurrence at ``statement_start`` in its
segment), the segment's family (what independent sources are counted by:
a segment outside the copy map counts as its own) and the family's story.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from sourcetrace.ingest.spans import segment_to_document_offset
from sourcetrace.records import Segment
from sourcetrace.store.read_copies import segments
from sourcetrace.views import ClaimSummary, ClaimView, PositionView, SegmentView

# Each position with its statement, its source (family, else minus its segment) and story.
_POSITIONS = """SELECT p.claim_id, p.segment_id, p.stance, p.start, p."end", p.cue, o.statement_id,
       coalesce(st.speaker, p.speaker), m.family_id, coalesce(m.family_id, -p.segment_id), f.story_id
    FROM claim_positions p
    LEFT JOIN statement_occurrences o ON o.segment_id = p.segment_id AND o.start = p.statement_start
    LEFT JOIN statements st ON st.id = o.statement_id
    LEFT JOIN family_members m ON m.segment_id = p.segment_id
    LEFT JOIN story_families f ON f.family_id = m.family_id"""
_ORDER = " ORDER BY p.claim_id, p.segment_id, p.ordinal"


def claim_summaries(db: sqlite3.Connection, limit: int | None = None) -> list[ClaimSummary]:
    """Claims, supplied first (in the order added), then found ones, most sources first."""
    listed = [_summary(db, i, text, bool(supplied)) for i, text, supplied in db.execute(
        "SELECT id, text, supplied FROM claims ORDER BY supplied DESC, id")]
    found = sorted((c for c in listed if not c.supplied),
                   key=lambda c: (-(c.supporting_sources + c.contesting_sources), c.id))
    ordered = [c for c in listed if c.supplied] + found
    return ordered if limit is None else ordered[:limit]


def claim_count(db: sqlite3.Connection) -> int:
    return int(db.execute("SELECT count(*) FROM claims").fetchone()[0])


def _summary(db: sqlite3.Connection, claim_id: int, text: str, supplied: bool) -> ClaimSummary:
    rows = db.execute(f"{_POSITIONS} WHERE p.claim_id = ?", (claim_id,)).fetchall()
    sources = {stance: {r[9] for r in rows if r[2] == stance} for stance in ("supports", "contests", "reports")}
    stories = tuple(sorted({r[10] for r in rows if r[10] is not None}))
    return ClaimSummary(claim_id, text, supplied, len(sources["supports"]), len(sources["contests"]),
                        len(sources["reports"]), len(rows), stories)


def claim(db: sqlite3.Connection, claim_id: int) -> ClaimView | None:
    row = db.execute("SELECT id, text, supplied FROM claims WHERE id = ?", (claim_id,)).fetchone()
    if row is None:
        return None
    summary = _summary(db, row[0], row[1], bool(row[2]))
    rows = db.execute(f"{_POSITIONS} WHERE p.claim_id = ?{_ORDER}", (claim_id,)).fetchall()
    views = _position_views(db, rows)
    statements = tuple(s for (s,) in db.execute(
        "SELECT statement_id FROM claim_statements WHERE claim_id = ? ORDER BY statement_id", (claim_id,)))
    def side(stance: str) -> tuple[PositionView, ...]:
        return tuple(v for v in views if v.stance == stance)

    return ClaimView(summary, side("supports"), side("contests"), side("reports"), statements)


def _position_views(db: sqlite3.Connection, rows: Sequence[Sequence[Any]]) -> list[PositionView]:
    """Positions with their segments (for citing), in date order."""
    ids = sorted({r[1] for r in rows})
    found = segments(db, ids)
    texts = dict(db.execute(f"SELECT id, text FROM segments WHERE id IN ({','.join('?' * len(ids))})", ids))
    views = []
    for _, segment, stance, start, end, cue, statement, speaker, family, _, _ in rows:
        view, text = found[segment], texts[segment]
        views.append(PositionView(view, stance, start, end, text[start:end], _in_document(view, text, start),
                                  _in_document(view, text, end), cue, statement, speaker, family))
    return sorted(views, key=lambda v: (v.segment.published is None, v.segment.published or "", v.segment.id,
                                        v.start))


def _in_document(view: SegmentView, text: str, offset: int) -> int:
    segment = Segment(view.ordinal, view.start, view.end, text, removed=[(a, b) for a, b in view.removed])
    return segment_to_document_offset(segment, offset)


def export_claims(db: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    """The export's ``claims`` section (docs/json-export.md), in id order, streamed."""
    positions = db.execute(f"{_POSITIONS}{_ORDER}")
    pending = next(positions, None)
    for claim_id, text, supplied in db.execute("SELECT id, text, supplied FROM claims ORDER BY id"):
        listed: list[dict[str, Any]] = []
        sources: dict[str, set[int]] = {"supports": set(), "contests": set()}
        stories: set[int] = set()
        while pending is not None and pending[0] == claim_id:
            _, segment, stance, start, end, cue, statement, speaker, family, source, story = pending
            listed.append({"segment": segment, "statement": statement, "speaker": speaker, "stance": stance,
                           "family": family, "start": start, "end": end, "cue": cue})
            sources.setdefault(stance, set()).add(source)
            if story is not None:
                stories.add(story)
            pending = next(positions, None)
        yield {"id": claim_id, "text": text, "supplied": bool(supplied), "stories": sorted(stories),
               "positions": listed, "supporting_sources": len(sources["supports"]),
               "contesting_sources": len(sources["contests"])}


def has_claims(db: sqlite3.Connection) -> bool:
    return db.execute("SELECT 1 FROM claims LIMIT 1").fetchone() is not None
