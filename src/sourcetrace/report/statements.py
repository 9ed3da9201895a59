"""Read statements back from a case: speakers, statements and their occurrences."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sourcetrace.records import DiffOp
from sourcetrace.report.families import SegmentLabel
from sourcetrace.store import CaseStore


@dataclass(frozen=True, slots=True)
class SpeakerView:
    speaker: str
    roles: tuple[str, ...]
    statements: int
    occurrences: int
    altered: int  # occurrences whose words differ from their statement's reference form


@dataclass(frozen=True, slots=True)
class OccurrenceView:
    segment: SegmentLabel
    start: int
    end: int
    text: str
    speaker_as_written: str
    cue: str
    altered: bool
    diff: tuple[DiffOp, ...]
    garbled_speaker: bool


@dataclass(frozen=True, slots=True)
class StatementView:
    id: int
    speaker: str
    speaker_role: str | None
    kind: str
    cue: str
    text: str
    occurrences: tuple[OccurrenceView, ...]


def list_speakers(store: CaseStore) -> list[SpeakerView]:
    """Speakers by number of statements, with roles and altered-copy counts."""
    rows = store.connection.execute(
        """SELECT speaker, group_concat(DISTINCT speaker_role), count(*), sum(occurrences), sum(altered)
           FROM statements GROUP BY speaker ORDER BY count(*) DESC, speaker"""
    )
    return [SpeakerView(name, tuple(sorted(set((roles or "").split(",")) - {""})), n, occ, alt)
            for name, roles, n, occ, alt in rows]


def list_statements(
    store: CaseStore, *, speaker: str | None = None, altered_only: bool = False, limit: int | None = None
) -> list[StatementView]:
    """Statements, most repeated first; ``speaker`` matches names case-insensitively, in part."""
    where, args = ["1"], []
    if speaker:
        where.append("speaker LIKE ?")
        args.append(f"%{speaker}%")
    if altered_only:
        where.append("altered > 0")
    rows = store.connection.execute(
        f"SELECT id, speaker, speaker_role, kind, cue, text FROM statements WHERE {' AND '.join(where)}"
        " ORDER BY occurrences DESC, id LIMIT ?",
        (*args, -1 if limit is None else limit),
    ).fetchall()
    return [StatementView(*row, occurrences=_occurrences(store, row[0])) for row in rows]


_OCCURRENCES = """
SELECT s.id, s.title, s.credit, s.published, d.url, d.site, i.path,
       o.start, o."end", o.text, o.speaker_as_written, o.cue, o.altered, o.diff, o.garbled_speaker
FROM statement_occurrences o
JOIN segments s ON s.id = o.segment_id
JOIN documents d ON d.id = s.document_id
JOIN inputs i ON i.id = d.input_id
WHERE o.statement_id = ?
ORDER BY s.published IS NULL, s.published, s.id, o.start
"""


def _occurrences(store: CaseStore, statement_id: int) -> tuple[OccurrenceView, ...]:
    views = []
    for row in store.connection.execute(_OCCURRENCES, (statement_id,)):
        label = SegmentLabel(*row[:7])
        start, end, text, written, cue, altered, diff, garbled = row[7:]
        ops = tuple((op, word) for op, word in json.loads(diff))
        views.append(OccurrenceView(label, start, end, text, written, cue, bool(altered), ops, bool(garbled)))
    return tuple(views)  # type: ignore[arg-type]
