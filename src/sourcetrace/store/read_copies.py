"""Queries that read the copy map: segments, families, pairs and documents.

Called through CaseReader (store/read.py), which owns the read-only
connection; each function takes that connection and returns view records.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import cast

from sourcetrace.records import SegmentForReuse
from sourcetrace.views import (
    DocumentView,
    FamilySummary,
    FamilyView,
    MemberView,
    PairView,
    PassageView,
    SearchHit,
    SearchPage,
    SegmentFilters,
    SegmentView,
    SharedSpan,
)

# Then the segment's publisher in the sources registry (by its index on segment_id), and for an archive
# record its WARC-Record-ID and WARC-Target-URI: documents.url, since the record's header wins over the page.
SEGMENT_COLUMNS = """s.id, s.document_id, s.ordinal, s.title, s.byline, s.credit, s.published, d.url, d.site,
    shown_path(i.path), i.sha256, s.start, s."end", s.removed, s.duplicate_of, m.family_id, m.kind,
    (SELECT min(o.source_id) FROM source_segments o WHERE o.segment_id = s.id AND o.role = 'published'),
    CASE WHEN i.kind = 'warc' THEN d.record_id END, CASE WHEN i.kind IN ('warc', 'arc') THEN d.url END"""
SEGMENT_JOINS = """JOIN documents d ON d.id = s.document_id JOIN inputs i ON i.id = d.input_id
    LEFT JOIN family_members m ON m.segment_id = s.id"""
SEGMENT_FROM = "segments s " + SEGMENT_JOINS
_CHUNK = 500  # ids per IN (...) list: well under SQLite's limit on parameters


def segment_view(row: Sequence[object]) -> SegmentView:
    """A SegmentView from the SEGMENT_COLUMNS of one row."""
    (sid, document, ordinal, title, byline, credit, published, url, site, path, sha256, start, end, removed,
     duplicate_of, family, kind, source, warc_record_id, warc_target_uri) = row
    spans = tuple((int(a), int(b)) for a, b in json.loads(str(removed)))
    return SegmentView(sid, document, ordinal, title, byline, credit, published, url, site, path, sha256,  # type: ignore[arg-type]
                       start, end, spans, duplicate_of, family, kind, source,  # type: ignore[arg-type]
                       warc_record_id, warc_target_uri)  # type: ignore[arg-type]


def passages(stored: str) -> tuple[PassageView, ...]:
    return tuple(PassageView(*p) for p in json.loads(stored))


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for first in range(0, len(ids), _CHUNK):
        yield ids[first:first + _CHUNK]


def _marks(ids: Sequence[object]) -> str:
    return ",".join("?" * len(ids))


def segments(db: sqlite3.Connection, ids: Sequence[int]) -> dict[int, SegmentView]:
    found: dict[int, SegmentView] = {}
    for part in _chunks(ids):
        sql = f"SELECT {SEGMENT_COLUMNS} FROM {SEGMENT_FROM} WHERE s.id IN ({_marks(part)})"
        found.update((row[0], segment_view(row)) for row in db.execute(sql, part))
    return found


def segment_texts(db: sqlite3.Connection, ids: Sequence[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for part in _chunks(ids):
        found.update(db.execute(f"SELECT id, text FROM segments WHERE id IN ({_marks(part)})", part))
    return found


def segments_for_reuse(db: sqlite3.Connection) -> Iterator[SegmentForReuse]:
    """Kept segments (not repeats inside their page) with what the reuse index needs."""
    rows = db.execute(
        "SELECT s.id, s.text, s.document_id, s.published, s.credit, s.title, d.url"
        " FROM segments s JOIN documents d ON d.id = s.document_id WHERE s.duplicate_of IS NULL ORDER BY s.id")
    for row in rows:
        yield SegmentForReuse(*row)


def trace_index(db: sqlite3.Connection) -> bytes | None:
    """The rare-word index saved by the last run, or None when missing or
    older than the segments: it records the segments' version (meta
    ``segments_version``) it was built from."""
    row = db.execute("SELECT segments, data FROM trace_index WHERE id = 1").fetchone()
    version = db.execute("SELECT value FROM meta WHERE key = 'segments_version'").fetchone()
    return bytes(row[1]) if row and row[0] == int(version[0] if version else 0) else None


# -- families ----------------------------------------------------------------------------


def family_ids(db: sqlite3.Connection, *, min_size: int, limit: int | None, offset: int = 0) -> list[int]:
    """Families with at least ``min_size`` members, largest first."""
    rows = db.execute("SELECT id FROM families WHERE size >= ? ORDER BY size DESC, id LIMIT ? OFFSET ?",
                      (min_size, -1 if limit is None else limit, offset))
    return [row[0] for row in rows]


def family_count(db: sqlite3.Connection, *, min_size: int) -> int:
    return int(db.execute("SELECT count(*) FROM families WHERE size >= ?", (min_size,)).fetchone()[0])


def singletons(db: sqlite3.Connection) -> int:
    """Kept segments that no other segment copies and that copy none."""
    return int(db.execute("SELECT count(*) FROM families WHERE size = 1").fetchone()[0])


def family_of(db: sqlite3.Connection, segment_id: int) -> int | None:
    row = db.execute("SELECT family_id FROM family_members WHERE segment_id = ?", (segment_id,)).fetchone()
    return None if row is None else int(row[0])


def families(db: sqlite3.Connection, ids: Sequence[int]) -> list[FamilyView]:
    """The families ``ids``, in that order, each with its members: origin first, then by date and id."""
    heads: dict[int, tuple[int | None, str]] = {}
    members: dict[int, list[MemberView]] = {fid: [] for fid in ids}
    for part in _chunks(ids):
        heads.update((fid, (origin, evidence)) for fid, origin, evidence in db.execute(
            f"SELECT id, origin_id, origin_evidence FROM families WHERE id IN ({_marks(part)})", part))
        rows = db.execute(
            f"SELECT {SEGMENT_COLUMNS}, m.parent_id, m.score, m.passages, m.parent_basis, m.parent_evidence"
            f" FROM {SEGMENT_FROM} WHERE m.family_id IN ({_marks(part)})"
            " ORDER BY m.family_id, m.kind != 'origin', s.published IS NULL, s.published, s.id", part)
        for row in rows:
            segment = segment_view(row[:-5])
            parent, score, stored, basis, evidence = row[-5:]
            member = _member(db, segment, parent, score, stored)
            members[cast(int, segment.family)].append(replace(member, parent_basis=basis, parent_evidence=evidence))
    return [FamilyView(fid, *heads[fid], tuple(members[fid])) for fid in ids if fid in heads]


def _member(db: sqlite3.Connection, segment: SegmentView, parent: int | None, score: float,
            stored: str) -> MemberView:
    compare, spans = parent, stored
    if parent is None and segment.kind != "origin":  # undetermined: compare with the segment it was related to
        relation = db.execute("SELECT parent_id, passages FROM relations WHERE segment_id = ?"
                              " ORDER BY score DESC LIMIT 1", (segment.id,)).fetchone()
        if relation is not None:
            compare, spans = relation
    return MemberView(segment, str(segment.kind), parent, round(score, 4), passages(spans), compare)


def family_summaries(db: sqlite3.Connection, ids: Iterable[int]) -> list[FamilySummary]:
    return [_family_summary(db, fid) for fid in ids]


def _family_summary(db: sqlite3.Connection, fid: int) -> FamilySummary:
    size, origin, evidence = db.execute("SELECT size, origin_id, origin_evidence FROM families WHERE id = ?",
                                        (fid,)).fetchone()
    kinds = dict(db.execute("SELECT kind, count(*) FROM family_members WHERE family_id = ? GROUP BY kind", (fid,)))
    first, last = db.execute(
        """SELECT min(s.published), max(s.published) FROM family_members m JOIN segments s ON s.id = m.segment_id
           WHERE m.family_id = ?""", (fid,)).fetchone()
    # Undetermined origin: the family's id is its smallest member, whose title stands for it.
    title_row = db.execute("SELECT title FROM segments WHERE id = ?", (origin if origin is not None else fid,)).fetchone()
    return FamilySummary(fid, size, origin, evidence, title_row[0] if title_row else None, first, last, kinds)


def pair(db: sqlite3.Connection, segment_id: int) -> PairView | None:
    """A copy beside the segment it derives from, with their aligned passages."""
    fid = family_of(db, segment_id)
    found = families(db, [fid]) if fid is not None else []
    member = next((m for m in found[0].members if m.segment.id == segment_id), None) if found else None
    if member is None or member.compare_with is None:
        return None
    parent = segments(db, [member.compare_with])[member.compare_with]
    texts = segment_texts(db, [segment_id, parent.id])
    return PairView(member.segment, parent, member.kind, member.score, texts[segment_id], texts[parent.id],
                    member.passages)


# -- documents ----------------------------------------------------------------------------


def document(db: sqlite3.Connection, document_id: int) -> DocumentView | None:
    row = db.execute(
        """SELECT d.id, d.title, d.url, d.site, d.published, shown_path(i.path), i.sha256, d.text
           FROM documents d JOIN inputs i ON i.id = d.input_id WHERE d.id = ?""", (document_id,)).fetchone()
    if row is None:
        return None
    ids = [r[0] for r in db.execute("SELECT id FROM segments WHERE document_id = ? ORDER BY ordinal", (document_id,))]
    infos = segments(db, ids)
    furniture = tuple((int(a), int(b)) for a, b in db.execute(
        'SELECT start, "end" FROM furniture WHERE document_id = ? ORDER BY start', (document_id,)))
    did, title, url, site, published, path, sha256, text = row
    return DocumentView(did, title, url, site, published, path, sha256, text, tuple(infos[i] for i in ids),
                        _shared_spans(db, ids), furniture)


def _shared_spans(db: sqlite3.Connection, ids: list[int]) -> tuple[SharedSpan, ...]:
    """Passages of these segments shared with a parent (as the copy) or a child (as the parent)."""
    spans: list[SharedSpan] = []
    for part in _chunks(ids):
        for segment, parent, kind, stored in db.execute(
                f"SELECT segment_id, parent_id, kind, passages FROM relations WHERE segment_id IN ({_marks(part)})",
                part):
            spans += [SharedSpan(segment, parent, p.start, p.end, kind) for p in passages(stored)]
        for segment, parent, kind, stored in db.execute(
                f"SELECT segment_id, parent_id, kind, passages FROM relations WHERE parent_id IN ({_marks(part)})",
                part):
            spans += [SharedSpan(parent, segment, p.parent_start, p.parent_end, kind) for p in passages(stored)]
    return tuple(spans)


def document_sizes(db: sqlite3.Connection) -> dict[int, int]:
    """Document id -> length of its text, in id order."""
    return dict(db.execute("SELECT id, length(text) FROM documents ORDER BY id"))


def segment_ids(db: sqlite3.Connection) -> list[int]:
    return [row[0] for row in db.execute("SELECT id FROM segments ORDER BY id")]


# -- browsing with filters ----------------------------------------------------------------


# What the outlet filter looks in: the segment's site, credit, URL and input path, one string.
OUTLET_TEXT = ("lower(coalesce(d.site, '') || ' ' || coalesce(s.credit, '') || ' ' || coalesce(d.url, '') || ' ' || "
               "shown_path(i.path))")


@dataclass(frozen=True, slots=True)
class FilterColumns:
    """What the search filters test, as SQL over one query's aliases."""

    kept: str  # the condition that a segment is not a repeat inside its own page
    kind: str
    family: str
    outlet: str  # lower-case text the outlet filter looks in (OUTLET_TEXT's parts)
    published: str


# Over the aliases of SEGMENT_FROM; store/read_index.py has its own over its one table.
CASE_COLUMNS = FilterColumns("s.duplicate_of IS NULL", "m.kind", "m.family_id", OUTLET_TEXT, "s.published")


def filter_clause(filters: SegmentFilters, columns: FilterColumns = CASE_COLUMNS) -> tuple[str, list[object]]:
    """SQL conditions for ``filters`` over ``columns``, and their parameters."""
    conditions: list[str] = [columns.kept]  # repeats within a page are shown with their page
    params: list[object] = []
    for condition, value in ((f"{columns.kind} = ?", filters.kind or None),
                             (f"{columns.family} = ?", filters.family),
                             (f"instr({columns.outlet}, lower(?)) > 0", filters.outlet or None),
                             (f"{columns.published} >= ?", filters.date_from or None),
                             # date_to is inclusive of its whole day
                             (f"{columns.published} < ?", filters.date_to + "\uffff" if filters.date_to else None)):
        if value is not None:
            conditions.append(condition)
            params.append(value)
    return " AND ".join(conditions), params


def browse_segments(db: sqlite3.Connection, filters: SegmentFilters, page: int, per_page: int) -> SearchPage:
    """Segments matching the filters, without a text query, in id order."""
    where, params = filter_clause(filters)
    total = int(db.execute(f"SELECT count(*) FROM {SEGMENT_FROM} WHERE {where}", params).fetchone()[0])
    rows = db.execute(f"SELECT {SEGMENT_COLUMNS}, substr(s.text, 1, 240) FROM {SEGMENT_FROM} WHERE {where} "
                      "ORDER BY s.id LIMIT ? OFFSET ?", [*params, per_page, (page - 1) * per_page]).fetchall()
    return SearchPage(tuple(SearchHit(segment_view(row[:-1]), row[-1]) for row in rows), page, per_page, total, "case")


def segment_text(db: sqlite3.Connection, segment_id: int) -> str | None:
    row = db.execute("SELECT text FROM segments WHERE id = ?", (segment_id,)).fetchone()
    return None if row is None else str(row[0])


def kept_segment_ids(db: sqlite3.Connection) -> Iterator[int]:
    """Segments that are not repeats inside their own page: the ones the copy map and trace consider."""
    return (int(row[0]) for row in db.execute("SELECT id FROM segments WHERE duplicate_of IS NULL ORDER BY id"))


def kept_segment_count(db: sqlite3.Connection) -> int:
    return int(db.execute("SELECT count(*) FROM segments WHERE duplicate_of IS NULL").fetchone()[0])
