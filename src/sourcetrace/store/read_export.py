"""The rows of the JSON export (docs/json-export.md), streamed from the case.

Each section is an iterator of JSON-ready dicts read with one cursor (two for
families and statements, merged as they stream), so a case of any size
exports in constant memory. Column aliases are the export's field names.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

from sourcetrace.store.read_claims import export_claims
from sourcetrace.store.read_events import export_events
from sourcetrace.store.read_sources import source_rows
from sourcetrace.store.read_stories import export_stories

Row = dict[str, Any]

_TABLE_SECTIONS: tuple[tuple[str, str], ...] = (
    ("inputs", "SELECT id, path, sha256, size, kind, ingested_at FROM inputs ORDER BY id"),
    (
        "documents",
        """SELECT d.id, d.input_id AS input, i.sha256, i.path, d.ordinal, d.record_id, d.url, d.title,
                  d.author, d.site, d.published, d.fetched, d.extractor, d.charset,
                  CASE WHEN i.kind = 'warc' THEN d.record_id END AS warc_record_id,
                  CASE WHEN i.kind IN ('warc', 'arc') THEN d.url END AS warc_target_uri
           FROM documents d JOIN inputs i ON i.id = d.input_id ORDER BY d.id""",
    ),
    (
        "segments",
        """SELECT id, document_id AS document, ordinal, title, byline, credit, published, start, "end",
                  removed, text, duplicate_of
           FROM segments ORDER BY id""",
    ),
    (
        "problems",
        """SELECT path, CASE WHEN ordinal < 0 THEN NULL ELSE ordinal END AS document_ordinal, stage, reason,
                  severity, message
           FROM problems ORDER BY id""",
    ),
)

# Columns stored as JSON text in the case, exported as JSON values.
_JSON_COLUMNS = frozenset({"removed", "passages"})


def export_sections(db: sqlite3.Connection) -> Iterator[tuple[str, Iterator[Row]]]:
    """(section name, its rows) in the export's order; each section's rows are read as it is consumed."""
    for name, sql in _TABLE_SECTIONS:
        yield name, _rows(db, sql)
    yield "families", _families(db)
    yield "statements", _statements(db)
    yield "sources", source_rows(db)
    yield "stories", export_stories(db)
    yield "events", export_events(db)
    yield "claims", export_claims(db)


def _rows(db: sqlite3.Connection, sql: str) -> Iterator[Row]:
    cursor = db.execute(sql)
    names = [column[0] for column in cursor.description]
    decode: list[Callable[[Any], Any]] = [json.loads if n in _JSON_COLUMNS else _same for n in names]
    for values in cursor:
        yield {name: convert(value) for name, convert, value in zip(names, decode, values)}


def _families(db: sqlite3.Connection) -> Iterator[Row]:
    """Families with their members, origin first, then by date and id."""
    members = db.execute(
        """SELECT m.family_id, m.segment_id, m.kind, m.parent_id, m.score, m.passages, m.parent_basis,
                  m.parent_evidence
           FROM family_members m JOIN segments s ON s.id = m.segment_id
           ORDER BY m.family_id, m.kind != 'origin', s.published IS NULL, s.published, s.id""")
    heads = db.execute("SELECT id, origin_id, origin_evidence FROM families ORDER BY id")
    pending = next(members, None)
    for family_id, origin, evidence in heads:
        listed: list[Row] = []
        while pending is not None and pending[0] == family_id:
            _, segment, kind, parent, score, passages, basis, basis_words = pending
            listed.append({"segment": segment, "kind": kind, "parent": parent, "score": round(score, 4),
                           "passages": json.loads(passages), "parent_basis": basis, "parent_evidence": basis_words})
            pending = next(members, None)
        yield {"id": family_id, "origin": origin, "origin_evidence": evidence, "members": listed}


def _statements(db: sqlite3.Connection) -> Iterator[Row]:
    """Statements with their occurrences, in the same streaming merge as families."""
    occurrences = db.execute(
        """SELECT statement_id, segment_id, start, "end", text, speaker_as_written, cue, altered, diff,
                  garbled_speaker
           FROM statement_occurrences ORDER BY statement_id, segment_id, start""")
    pending = next(occurrences, None)
    for sid, speaker, role, kind, cue, text in db.execute(
            "SELECT id, speaker, speaker_role, kind, cue, text FROM statements ORDER BY id"):
        listed: list[Row] = []
        while pending is not None and pending[0] == sid:
            _, segment, start, end, said, written, said_cue, altered, diff, garbled = pending
            listed.append({"segment": segment, "start": start, "end": end, "text": said,
                           "speaker_as_written": written, "cue": said_cue, "altered": bool(altered),
                           "diff": json.loads(diff), "garbled_speaker": bool(garbled)})
            pending = next(occurrences, None)
        yield {"id": sid, "speaker": speaker, "speaker_role": role, "kind": kind, "cue": cue, "text": text,
               "occurrences": listed}


def _same(value: Any) -> Any:
    return value
