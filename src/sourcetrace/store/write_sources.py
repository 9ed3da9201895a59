"""The sources registry in the case: what the ``sources`` step reads and writes,
and the types the user sets (docs/case-schema.md, "sources").

The registry is rebuilt whole from the segments and the copy map; the user's
types live in their own table, which the step never touches.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from sourcetrace.store.case import CaseStore, utc_now
from sourcetrace.stories.source_types import SourceType, check_source_type
from sourcetrace.stories.sources import Registry
from sourcetrace.stories.sources_build import SegmentFacts, Source

_VERSION_KEY = "sources_version"


def sources_version(store: CaseStore, lists_digest: str) -> str:
    """The version a registry built now would have: the copy map's and the shipped lists'."""
    with store.transaction() as db:
        row = db.execute("SELECT value FROM meta WHERE key = 'copy_map_version'").fetchone()
    return f"{row[0] if row else 0}:{lists_digest}"


def sources_are_current(store: CaseStore, version: str) -> bool:
    with store.transaction() as db:
        row = db.execute("SELECT value FROM meta WHERE key = ?", (_VERSION_KEY,)).fetchone()
    return row is not None and row[0] == version


def segment_facts(store: CaseStore) -> list[SegmentFacts]:
    """Every kept segment with its page's URL and site, its credit and its place in the copy map."""
    with store.transaction() as db:
        rows = db.execute(
            """SELECT s.id, s.document_id, d.url, d.site, s.credit, m.family_id,
                      coalesce(m.kind != 'origin' AND m.parent_id IS NOT NULL, 0), coalesce(m.kind = 'rewrite', 0),
                      coalesce(m.kind = 'capture', 0)
               FROM segments s JOIN documents d ON d.id = s.document_id
               LEFT JOIN family_members m ON m.segment_id = s.id
               WHERE s.duplicate_of IS NULL ORDER BY s.id""").fetchall()
    return [SegmentFacts(i, doc, url, site, credit, family, bool(copied), bool(rewritten), bool(capture))
            for i, doc, url, site, credit, family, copied, rewritten, capture in rows]


def replace_sources(store: CaseStore, sources: Iterable[Source], version: str) -> int:
    """The registry replaces the last one; the user's types stay. Returns the number of sources."""
    written = 0
    with store.transaction() as db:
        db.execute("DELETE FROM source_segments")
        db.execute("DELETE FROM sources")
        for source in sources:
            db.execute(
                "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (source.id, source.key, source.name, json.dumps(list(source.names)), json.dumps(list(source.hosts)),
                 source.known_type,
                 source.typology, source.listed_in, source.suggested_type, source.evidence))
            db.executemany("INSERT INTO source_segments VALUES (?, ?, ?)",
                           [(source.id, m.segment, m.role) for m in source.members])
            written += 1
        db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (_VERSION_KEY, version))
    return written


def set_source_type(store: CaseStore, key: str, name: str, source_type: str) -> None:
    """Record the user's type for the source ``key``; it wins over the lists and any suggestion."""
    check_source_type(source_type)
    with store.transaction() as db:
        db.execute("INSERT OR REPLACE INTO source_types_set VALUES (?, ?, ?, ?)", (key, name, source_type, utc_now()))


def load_registry(store: CaseStore) -> Registry:
    """The case's registry for later steps (stories): types as the user set
    them, else as the lists give them."""
    with store.transaction() as db:
        outlets: list[tuple[str, str, SourceType]] = [
            (key, name, known) for key, name, known in db.execute("SELECT key, name, known_type FROM sources")]
        user: dict[str, SourceType] = dict(db.execute("SELECT key, type FROM source_types_set"))
        members = db.execute(
            """SELECT m.segment_id, s.key, m.role FROM source_segments m JOIN sources s ON s.id = m.source_id
               ORDER BY m.segment_id, s.id""").fetchall()
    return Registry(outlets, user, members)
