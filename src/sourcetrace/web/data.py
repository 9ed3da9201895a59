"""What the report and the app show, read from a case opened read-only.

Both front ends render the same payloads (dataclasses serialised to JSON) with
the same script (report/assets/app.js): the app fetches them per request from
``/api/...``, the report embeds them. Texts are never interpreted here; the
script inserts every string as text, never as markup.

Statements (schema 3) are read by ``statements_page``/``statement_detail``;
``Overview.statements_available`` is false until the statements stage has
stored some, and the viewer then says so instead of showing an empty list.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from sourcetrace.store import StoredProblem

T = TypeVar("T")
PER_PAGE = 50
KINDS = ("origin", "exact", "near_exact", "excerpt", "rewrite")
# Markers around matched words in snippets: control characters the script splits on.
MARK_START, MARK_END = "\x02", "\x03"


def open_case_readonly(path: str | Path) -> sqlite3.Connection:
    """A connection that cannot write the case: the store is its only writer."""
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    db = sqlite3.connect(uri, uri=True, check_same_thread=False)
    db.execute("PRAGMA query_only = 1")
    return db


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    page: int
    per_page: int
    total: int


@dataclass(frozen=True, slots=True)
class InputInfo:
    id: int
    path: str
    sha256: str
    kind: str
    size: int
    documents: int


@dataclass(frozen=True, slots=True)
class Overview:
    case: str
    inputs: int
    input_bytes: int
    documents: int
    segments: int
    repeats: int  # repeated within their own page
    kept: int
    copies: int  # kept segments derived from another
    families_with_copies: int
    singletons: int
    problems: int
    problem_reasons: dict[str, int]
    kind_counts: dict[str, int]
    first_inputs: list[InputInfo]
    statements_available: bool = False


@dataclass(frozen=True, slots=True)
class SegmentInfo:
    """A segment's metadata: enough to list it, and to cite it."""

    id: int
    document: int
    ordinal: int
    title: str | None
    byline: str | None
    credit: str | None
    published: str | None
    url: str | None
    site: str | None
    path: str
    sha256: str
    start: int
    end: int
    removed: list[list[int]]
    duplicate_of: int | None
    family: int | None
    kind: str | None


@dataclass(frozen=True, slots=True)
class FamilySummary:
    id: int
    size: int
    origin: int | None
    origin_evidence: str
    title: str | None
    first_date: str | None
    last_date: str | None
    kind_counts: dict[str, int]


@dataclass(frozen=True, slots=True)
class MemberInfo:
    segment: SegmentInfo
    kind: str
    parent: int | None
    score: float
    passages: list[list[int]]
    compare_with: int | None  # the parent, or for an undetermined one the segment it was related to


@dataclass(frozen=True, slots=True)
class FamilyDetail:
    id: int
    origin: int | None
    origin_evidence: str
    members: list[MemberInfo]


@dataclass(frozen=True, slots=True)
class PairView:
    copy: SegmentInfo
    parent: SegmentInfo
    kind: str
    score: float
    copy_text: str
    parent_text: str
    passages: list[list[int]]  # [parent_start, parent_end, start, end]


@dataclass(frozen=True, slots=True)
class SharedSpan:
    segment: int  # a segment of this document
    other: int  # the segment it shares the span with
    start: int  # in the segment's text
    end: int
    kind: str


@dataclass(frozen=True, slots=True)
class DocumentView:
    id: int
    title: str | None
    url: str | None
    site: str | None
    published: str | None
    path: str
    sha256: str
    text: str
    segments: list[SegmentInfo]
    shared: list[SharedSpan]
    furniture: list[list[int]]


@dataclass(frozen=True, slots=True)
class SearchHit:
    segment: SegmentInfo
    snippet: str  # with MARK_START/MARK_END around matches


@dataclass(frozen=True, slots=True)
class SegmentFilters:
    kind: str | None = None
    family: int | None = None
    outlet: str | None = None  # matches site, credit, URL or path, case-insensitively
    date_from: str | None = None
    date_to: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


_SEGMENT_COLUMNS = """s.id, s.document_id, s.ordinal, s.title, s.byline, s.credit, s.published, d.url, d.site,
    i.path, i.sha256, s.start, s."end", s.removed, s.duplicate_of, m.family_id, m.kind"""
_SEGMENT_JOINS = """JOIN documents d ON d.id = s.document_id JOIN inputs i ON i.id = d.input_id
    LEFT JOIN family_members m ON m.segment_id = s.id"""
_SEGMENT_FROM = "segments s " + _SEGMENT_JOINS


def _segment(row: tuple[object, ...]) -> SegmentInfo:
    values = list(row)
    values[13] = json.loads(str(values[13]))
    return SegmentInfo(*values)  # type: ignore[arg-type]


def segment_infos(db: sqlite3.Connection, ids: list[int]) -> dict[int, SegmentInfo]:
    found: dict[int, SegmentInfo] = {}
    for chunk in range(0, len(ids), 500):
        part = ids[chunk:chunk + 500]
        sql = f"SELECT {_SEGMENT_COLUMNS} FROM {_SEGMENT_FROM} WHERE s.id IN ({','.join('?' * len(part))})"
        found.update((row[0], _segment(row)) for row in db.execute(sql, part))
    return found


def has_statements(db: sqlite3.Connection) -> bool:
    """True once the statements stage has stored statements in the case (schema 3 and later)."""
    table = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'statements'").fetchone()
    return table is not None and db.execute("SELECT 1 FROM statements LIMIT 1").fetchone() is not None


def overview(db: sqlite3.Connection, case_name: str) -> Overview:
    one = lambda sql: int(db.execute(sql).fetchone()[0] or 0)
    kinds = dict(db.execute("SELECT kind, count(*) FROM family_members GROUP BY kind").fetchall())
    inputs = [InputInfo(*row) for row in db.execute(
        """SELECT i.id, i.path, i.sha256, i.kind, i.size, (SELECT count(*) FROM documents d WHERE d.input_id = i.id)
           FROM inputs i ORDER BY i.id LIMIT 100""")]
    return Overview(
        case=case_name,
        inputs=one("SELECT count(*) FROM inputs"),
        input_bytes=one("SELECT sum(size) FROM inputs"),
        documents=one("SELECT count(*) FROM documents"),
        segments=one("SELECT count(*) FROM segments"),
        repeats=one("SELECT count(*) FROM segments WHERE duplicate_of IS NOT NULL"),
        kept=one("SELECT count(*) FROM family_members"),
        copies=one("SELECT count(*) FROM family_members WHERE kind != 'origin'"),
        families_with_copies=one("SELECT count(*) FROM families WHERE size > 1"),
        singletons=one("SELECT count(*) FROM families WHERE size = 1"),
        problems=one("SELECT count(*) FROM problems"),
        problem_reasons=dict(db.execute("SELECT reason, count(*) FROM problems GROUP BY reason ORDER BY 2 DESC")),
        kind_counts={kind: int(kinds.get(kind, 0)) for kind in KINDS},
        first_inputs=inputs,
        statements_available=has_statements(db),
    )


def families_page(db: sqlite3.Connection, page: int = 1, per_page: int = PER_PAGE, *,
                  min_size: int = 2) -> Page[FamilySummary]:
    total = int(db.execute("SELECT count(*) FROM families WHERE size >= ?", (min_size,)).fetchone()[0])
    rows = db.execute(
        "SELECT id, size, origin_id, origin_evidence FROM families WHERE size >= ? ORDER BY size DESC, id "
        "LIMIT ? OFFSET ?", (min_size, per_page, (page - 1) * per_page)).fetchall()
    return Page([_family_summary(db, *row) for row in rows], page, per_page, total)


def _family_summary(db: sqlite3.Connection, fid: int, size: int, origin: int | None, evidence: str) -> FamilySummary:
    kinds = dict(db.execute("SELECT kind, count(*) FROM family_members WHERE family_id = ? GROUP BY kind", (fid,)))
    first, last = db.execute(
        """SELECT min(s.published), max(s.published) FROM family_members m JOIN segments s ON s.id = m.segment_id
           WHERE m.family_id = ?""", (fid,)).fetchone()
    title_row = db.execute("SELECT title FROM segments WHERE id = ?", (origin if origin is not None else fid,)).fetchone()
    return FamilySummary(fid, size, origin, evidence, title_row[0] if title_row else None, first, last, kinds)


def family_detail(db: sqlite3.Connection, family_id: int) -> FamilyDetail | None:
    head = db.execute("SELECT id, origin_id, origin_evidence FROM families WHERE id = ?", (family_id,)).fetchone()
    if head is None:
        return None
    rows = db.execute(
        """SELECT m.segment_id, m.kind, m.parent_id, m.score, m.passages FROM family_members m
           JOIN segments s ON s.id = m.segment_id WHERE m.family_id = ?
           ORDER BY m.kind != 'origin', s.published IS NULL, s.published, s.id""", (family_id,)).fetchall()
    infos = segment_infos(db, [row[0] for row in rows])
    members = []
    for segment, kind, parent, score, passages in rows:
        compare, spans = parent, json.loads(passages)
        if parent is None and kind != "origin":  # undetermined: compare with the segment it was related to
            relation = db.execute("SELECT parent_id, passages FROM relations WHERE segment_id = ? "
                                  "ORDER BY score DESC LIMIT 1", (segment,)).fetchone()
            if relation is not None:
                compare, spans = relation[0], json.loads(relation[1])
        members.append(MemberInfo(infos[segment], kind, parent, round(score, 4), spans, compare))
    return FamilyDetail(head[0], head[1], head[2], members)


def pair_view(db: sqlite3.Connection, segment_id: int) -> PairView | None:
    """A copy beside the segment it derives from, with their aligned passages."""
    row = db.execute("SELECT family_id FROM family_members WHERE segment_id = ?", (segment_id,)).fetchone()
    family = family_detail(db, row[0]) if row else None
    member = next((m for m in family.members if m.segment.id == segment_id), None) if family else None
    if member is None or member.compare_with is None:
        return None
    parent = segment_infos(db, [member.compare_with])[member.compare_with]
    texts = dict(db.execute("SELECT id, text FROM segments WHERE id IN (?, ?)", (segment_id, parent.id)))
    return PairView(member.segment, parent, member.kind, member.score, texts[segment_id], texts[parent.id],
                    member.passages)


def document_view(db: sqlite3.Connection, document_id: int) -> DocumentView | None:
    row = db.execute(
        """SELECT d.id, d.title, d.url, d.site, d.published, i.path, i.sha256, d.text
           FROM documents d JOIN inputs i ON i.id = d.input_id WHERE d.id = ?""", (document_id,)).fetchone()
    if row is None:
        return None
    ids = [r[0] for r in db.execute("SELECT id FROM segments WHERE document_id = ? ORDER BY ordinal", (document_id,))]
    infos = segment_infos(db, ids)
    furniture = [list(r) for r in db.execute(
        'SELECT start, "end" FROM furniture WHERE document_id = ? ORDER BY start', (document_id,))]
    did, title, url, site, published, path, sha256, text = row
    return DocumentView(did, title, url, site, published, path, sha256, text, [infos[i] for i in ids],
                        _shared_spans(db, ids), furniture)


def _shared_spans(db: sqlite3.Connection, ids: list[int]) -> list[SharedSpan]:
    """Passages of these segments shared with a parent (as the copy) or a child (as the parent)."""
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    spans: list[SharedSpan] = []
    for segment, parent, kind, passages in db.execute(
            f"SELECT segment_id, parent_id, kind, passages FROM relations WHERE segment_id IN ({marks})", ids):
        spans += [SharedSpan(segment=segment, other=parent, start=p[2], end=p[3], kind=kind) for p in json.loads(passages)]
    for segment, parent, kind, passages in db.execute(
            f"SELECT segment_id, parent_id, kind, passages FROM relations WHERE parent_id IN ({marks})", ids):
        spans += [SharedSpan(segment=parent, other=segment, start=p[0], end=p[1], kind=kind) for p in json.loads(passages)]
    return spans


def problems_page(db: sqlite3.Connection, page: int = 1, per_page: int = PER_PAGE) -> Page[StoredProblem]:
    total = int(db.execute("SELECT count(*) FROM problems").fetchone()[0])
    rows = db.execute(
        """SELECT path, CASE WHEN ordinal < 0 THEN NULL ELSE ordinal END, stage, reason, severity, message
           FROM problems ORDER BY severity = 'warning', reason, path, ordinal LIMIT ? OFFSET ?""",
        (per_page, (page - 1) * per_page)).fetchall()
    return Page([StoredProblem(*row) for row in rows], page, per_page, total)


def filter_clause(filters: SegmentFilters) -> tuple[str, list[object]]:
    """SQL conditions over the aliases of _SEGMENT_FROM, and their parameters."""
    conditions: list[str] = ["s.duplicate_of IS NULL"]  # repeats within a page are shown with their page
    params: list[object] = []
    if filters.kind:
        conditions.append("m.kind = ?")
        params.append(filters.kind)
    if filters.family is not None:
        conditions.append("m.family_id = ?")
        params.append(filters.family)
    if filters.outlet:
        conditions.append("(instr(lower(coalesce(d.site, '') || ' ' || coalesce(s.credit, '') || ' ' || "
                          "coalesce(d.url, '') || ' ' || i.path), lower(?)) > 0)")
        params.append(filters.outlet)
    if filters.date_from:
        conditions.append("s.published >= ?")
        params.append(filters.date_from)
    if filters.date_to:
        conditions.append("s.published < ?")  # date_to is inclusive of its whole day
        params.append(filters.date_to + "\uffff")
    return " AND ".join(conditions), params


def browse_segments(db: sqlite3.Connection, filters: SegmentFilters, page: int = 1,
                    per_page: int = PER_PAGE) -> Page[SearchHit]:
    """Segments matching the filters, without a text query, in id order."""
    where, params = filter_clause(filters)
    total = int(db.execute(f"SELECT count(*) FROM {_SEGMENT_FROM} WHERE {where}", params).fetchone()[0])
    rows = db.execute(f"SELECT {_SEGMENT_COLUMNS}, substr(s.text, 1, 240) FROM {_SEGMENT_FROM} WHERE {where} "
                      "ORDER BY s.id LIMIT ? OFFSET ?", [*params, per_page, (page - 1) * per_page]).fetchall()
    return Page([SearchHit(_segment(row[:-1]), row[-1]) for row in rows], page, per_page, total)


# --- statements (schema 3: written by the statements stage) ---------------------------------


@dataclass(frozen=True, slots=True)
class StatementSummary:
    id: int
    speaker: str
    speaker_role: str | None
    kind: str
    cue: str
    text: str  # the reference form
    occurrences: int
    altered: int  # occurrences whose words differ from the reference form


@dataclass(frozen=True, slots=True)
class OccurrenceInfo:
    segment: SegmentInfo
    start: int  # in the segment's text
    end: int
    text: str
    speaker_as_written: str
    cue: str
    altered: bool
    diff: list[list[str]]  # [["=" | "-" | "+", word], ...] against the reference form
    garbled_speaker: bool


@dataclass(frozen=True, slots=True)
class StatementDetail:
    statement: StatementSummary
    occurrences: list[OccurrenceInfo]


_STATEMENT_COLUMNS = "id, speaker, speaker_role, kind, cue, text, occurrences, altered"


def statements_page(db: sqlite3.Connection, page: int = 1, per_page: int = PER_PAGE, *, speaker: str | None = None,
                    altered_only: bool = False) -> Page[StatementSummary]:
    """Statements, most repeated first; ``speaker`` matches names in part, case-insensitively."""
    if not has_statements(db):
        return Page([], page, per_page, 0)
    where = "instr(lower(speaker), lower(?)) > 0" if speaker else "1"
    where += " AND altered > 0" if altered_only else ""
    params: list[object] = [speaker] if speaker else []
    total = int(db.execute(f"SELECT count(*) FROM statements WHERE {where}", params).fetchone()[0])
    rows = db.execute(f"SELECT {_STATEMENT_COLUMNS} FROM statements WHERE {where} ORDER BY occurrences DESC, id "
                      "LIMIT ? OFFSET ?", [*params, per_page, (page - 1) * per_page]).fetchall()
    return Page([StatementSummary(*row) for row in rows], page, per_page, total)


def statement_detail(db: sqlite3.Connection, statement_id: int) -> StatementDetail | None:
    if not has_statements(db):
        return None
    row = db.execute(f"SELECT {_STATEMENT_COLUMNS} FROM statements WHERE id = ?", (statement_id,)).fetchone()
    if row is None:
        return None
    found = db.execute(
        """SELECT o.segment_id, o.start, o."end", o.text, o.speaker_as_written, o.cue, o.altered, o.diff,
                  o.garbled_speaker
           FROM statement_occurrences o JOIN segments s ON s.id = o.segment_id WHERE o.statement_id = ?
           ORDER BY s.published IS NULL, s.published, s.id, o.start""", (statement_id,)).fetchall()
    infos = segment_infos(db, [r[0] for r in found])
    occurrences = [OccurrenceInfo(infos[seg], start, end, text, written, cue, bool(altered), json.loads(diff),
                                  bool(garbled)) for seg, start, end, text, written, cue, altered, diff, garbled in found]
    return StatementDetail(StatementSummary(*row), occurrences)
