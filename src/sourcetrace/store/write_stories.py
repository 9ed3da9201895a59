"""The stories step's reads and writes of the case (tables in docs/case-schema.md).

Per segment, ``story_features`` keeps each segment's features with a digest
of the text they came from; a segment whose text changes loses them, so a
later run computes features only for new or changed segments. ``stories`` and ``story_families`` are clustered over the
whole case and replace the last set; ``meta.stories_version`` records the
copy map and sources registry they were built from.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable

from sourcetrace.store.case import CaseStore
from sourcetrace.stories.sources import OutletKey
from sourcetrace.stories.stories import Story, StorySegment, outlets_of
from sourcetrace.stories.story_features import StoryFeatures

OPENING_CHARS = 200  # of a segment's text, for a story without a headline


def text_digest(title: str | None, text: str) -> str:
    """What a segment's features depend on, hashed: recompute when it changes."""
    return hashlib.blake2b(f"{title or ''}\x00{text}".encode(), digest_size=12).hexdigest()


def segments_for_stories(store: CaseStore) -> list[StorySegment]:
    """Every kept segment in the copy map with its family, outlets and direct quotes."""
    with store.transaction() as db:
        quotes: dict[int, list[int]] = {}
        for segment, statement in db.execute(
                """SELECT DISTINCT o.segment_id, o.statement_id FROM statement_occurrences o
                   JOIN statements st ON st.id = o.statement_id WHERE st.kind = 'direct'
                   ORDER BY o.segment_id, o.statement_id"""):
            quotes.setdefault(segment, []).append(statement)
        registry = _registered_outlets(db)
        rows = db.execute(
            """SELECT s.id, m.family_id, s.title, s.published, s.credit, d.url, d.site, m.kind = 'origin',
                      substr(s.text, 1, ?), m.kind = 'capture'
               FROM segments s JOIN family_members m ON m.segment_id = s.id JOIN documents d ON d.id = s.document_id
               WHERE s.duplicate_of IS NULL ORDER BY s.id""", (OPENING_CHARS,)).fetchall()
    found = []
    for i, family, title, published, credit, url, site, origin, opening, capture in rows:
        publisher, carries = registry.get(i) or outlets_of(url, site, credit)
        found.append(StorySegment(i, family, title, published, credit, publisher, carries, bool(origin),
                                  opening, tuple(quotes.get(i, ())), bool(capture)))
    return found


def segments_without_features(store: CaseStore) -> list[tuple[int, str | None, str]]:
    """(id, title, text) of each kept segment in the copy map without stored features, by id.
    A segment whose text changes loses its features (store/case.py ``_forget_segments``), so
    these are the new and the changed segments, found without reading every text."""
    with store.transaction() as db:
        rows = db.execute(
            """SELECT s.id, s.title, s.text FROM segments s JOIN family_members m ON m.segment_id = s.id
               WHERE s.duplicate_of IS NULL AND NOT EXISTS (SELECT 1 FROM story_features f WHERE f.segment_id = s.id)
               ORDER BY s.id""").fetchall()
    return [(int(i), title, str(text)) for i, title, text in rows]


def _registered_outlets(db: sqlite3.Connection) -> dict[int, tuple[OutletKey | None, OutletKey | None]]:
    """Segment -> (publisher, whose text it carries) as the sources step joined them case-wide."""
    published: dict[int, OutletKey] = {}
    credited: dict[int, OutletKey] = {}
    for segment, key, name, role in db.execute(
            """SELECT m.segment_id, s.key, s.name, m.role FROM source_segments m JOIN sources s ON s.id = m.source_id
               ORDER BY m.segment_id, s.id"""):
        chosen = published if role == "published" else credited
        chosen.setdefault(segment, OutletKey(key, name))
    return {i: (published.get(i), credited.get(i) or published.get(i)) for i in published.keys() | credited.keys()}


def add_story_features(store: CaseStore, found: Iterable[tuple[StoryFeatures, str]]) -> None:
    """Each segment's features with the digest of its text, in one transaction."""
    with store.transaction() as db:
        db.executemany("INSERT OR REPLACE INTO story_features VALUES (?, ?, ?, ?, ?)", [
            (f.segment, digest, json.dumps(f.names), json.dumps(f.numbers), json.dumps(f.words)) for f, digest in found
        ])


def stored_story_features(store: CaseStore) -> dict[int, StoryFeatures]:
    with store.transaction() as db:
        # One JSON document per row, not three: parsing is most of reading a case's features.
        rows = db.execute("SELECT segment_id, '[' || names || ',' || numbers || ',' || words || ']'"
                          " FROM story_features ORDER BY segment_id")
        return {segment: StoryFeatures(segment, *map(tuple, json.loads(lists))) for segment, lists in rows}


def stories_are_current(store: CaseStore) -> bool:
    """True when the stories were built from the current copy map and sources registry."""
    with store.transaction() as db:
        row = db.execute("SELECT value FROM meta WHERE key = 'stories_version'").fetchone()
        return row is not None and row[0] == _inputs_version(db)


def _inputs_version(db: sqlite3.Connection) -> str:
    """What stories rest on: the copy map (with the statements merged on it) and the sources registry."""
    versions = dict(db.execute("SELECT key, value FROM meta WHERE key IN ('copy_map_version', 'sources_version')"))
    return f"{versions.get('copy_map_version', '0')}|{versions.get('sources_version', '')}"


def replace_stories(store: CaseStore, stories: Iterable[Story]) -> None:
    """Stories are clustered over the whole case, so they replace the last set;
    features of segments that are gone go with them."""
    with store.transaction() as db:
        db.execute("DELETE FROM story_families")
        db.execute("DELETE FROM stories")
        for story in stories:
            db.execute("INSERT INTO stories VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (
                story.id, story.title, len(story.families), len(story.segments), story.independent_sources,
                json.dumps(story.outlets), json.dumps(story.agencies), story.first_published, story.last_published))
            db.executemany("INSERT INTO story_families VALUES (?, ?)", [(f, story.id) for f in story.families])
        db.execute("DELETE FROM story_features WHERE segment_id NOT IN (SELECT id FROM segments)")
        db.execute("INSERT OR REPLACE INTO meta VALUES ('stories_version', ?)", (_inputs_version(db),))


def story_count(store: CaseStore) -> int:
    with store.transaction() as db:
        return int(db.execute("SELECT count(*) FROM stories").fetchone()[0])
