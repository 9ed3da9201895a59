"""Queries that read statements: speakers, statements and their occurrences.

Called through CaseReader (store/read.py), like read_copies.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from sourcetrace.records import DiffOp
from sourcetrace.store.read_copies import segments
from sourcetrace.views import OccurrenceView, Page, SpeakerView, StatementSummary, StatementView

_STATEMENT_COLUMNS = "id, speaker, speaker_role, kind, cue, text, occurrences, altered"


def has_statements(db: sqlite3.Connection) -> bool:
    """True once the statements stage has stored some: the viewer then shows them, else says why not."""
    return db.execute("SELECT 1 FROM statements LIMIT 1").fetchone() is not None


def speakers(db: sqlite3.Connection) -> list[SpeakerView]:
    """Speakers by number of statements, with roles and altered-copy counts."""
    rows = db.execute(
        """SELECT speaker, group_concat(DISTINCT speaker_role), count(*), sum(occurrences), sum(altered)
           FROM statements GROUP BY speaker ORDER BY count(*) DESC, speaker""")
    return [SpeakerView(name, tuple(sorted(set((roles or "").split(",")) - {""})), n, occurrences, altered)
            for name, roles, n, occurrences, altered in rows]


def _where(speaker: str | None, altered_only: bool) -> tuple[str, list[object]]:
    """``speaker`` matches names in part, case-insensitively."""
    where = "instr(lower(speaker), lower(?)) > 0" if speaker else "1"
    where += " AND altered > 0" if altered_only else ""
    return where, [speaker] if speaker else []


def statement_summaries(db: sqlite3.Connection, *, speaker: str | None = None, altered_only: bool = False,
                        limit: int | None = None, offset: int = 0) -> list[StatementSummary]:
    """Statements, most repeated first."""
    where, params = _where(speaker, altered_only)
    rows = db.execute(f"SELECT {_STATEMENT_COLUMNS} FROM statements WHERE {where} ORDER BY occurrences DESC, id"
                      " LIMIT ? OFFSET ?", [*params, -1 if limit is None else limit, offset])
    return [StatementSummary(*row) for row in rows]


def statement_count(db: sqlite3.Connection, *, speaker: str | None = None, altered_only: bool = False) -> int:
    """How many statements statement_summaries lists with no limit."""
    where, params = _where(speaker, altered_only)
    return int(db.execute(f"SELECT count(*) FROM statements WHERE {where}", params).fetchone()[0])


def statements_page(db: sqlite3.Connection, page: int, per_page: int, *, speaker: str | None,
                    altered_only: bool) -> Page[StatementSummary]:
    total = statement_count(db, speaker=speaker, altered_only=altered_only)
    listed = statement_summaries(db, speaker=speaker, altered_only=altered_only, limit=per_page,
                                 offset=(page - 1) * per_page)
    return Page(tuple(listed), page, per_page, total)


def statement(db: sqlite3.Connection, statement_id: int) -> StatementView | None:
    row = db.execute(f"SELECT {_STATEMENT_COLUMNS} FROM statements WHERE id = ?", (statement_id,)).fetchone()
    return None if row is None else with_occurrences(db, [StatementSummary(*row)])[0]


def with_occurrences(db: sqlite3.Connection, listed: Sequence[StatementSummary]) -> list[StatementView]:
    """Each statement with its occurrences, in date order, then by segment and position."""
    return [StatementView(summary, _occurrences(db, summary.id)) for summary in listed]


def _occurrences(db: sqlite3.Connection, statement_id: int) -> tuple[OccurrenceView, ...]:
    found = db.execute(
        """SELECT o.segment_id, o.start, o."end", o.text, o.speaker_as_written, o.cue, o.altered, o.diff,
                  o.garbled_speaker, o.kind,
                  (SELECT src.name FROM source_segments p JOIN sources src ON src.id = p.source_id
                   WHERE p.segment_id = o.segment_id AND p.role = 'published' ORDER BY p.source_id LIMIT 1)
           FROM statement_occurrences o JOIN segments s ON s.id = o.segment_id WHERE o.statement_id = ?
           ORDER BY s.published IS NULL, s.published, s.id, o.start""", (statement_id,)).fetchall()
    infos = segments(db, [row[0] for row in found])
    return tuple(OccurrenceView(infos[segment], start, end, text, written, cue, bool(altered), _diff(diff),
                                bool(garbled), kind, outlet)
                 for segment, start, end, text, written, cue, altered, diff, garbled, kind, outlet in found)


def _diff(stored: str) -> tuple[DiffOp, ...]:
    return tuple((op, word) for op, word in json.loads(stored))
