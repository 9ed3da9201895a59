"""Read the copy map back from a case: families, their members and passages."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sourcetrace.records import Passage
from sourcetrace.store import CaseStore


@dataclass(frozen=True, slots=True)
class SegmentLabel:
    """Enough about a segment to recognise it in a listing, and to cite it."""

    id: int
    title: str | None
    credit: str | None
    published: str | None
    url: str | None
    site: str | None
    path: str


@dataclass(frozen=True, slots=True)
class MemberView:
    segment: SegmentLabel
    kind: str
    parent: int | None
    score: float
    passages: tuple[Passage, ...]


@dataclass(frozen=True, slots=True)
class FamilyView:
    id: int
    origin: int | None
    origin_evidence: str
    members: tuple[MemberView, ...]

    def kind_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for member in self.members:
            counts[member.kind] = counts.get(member.kind, 0) + 1
        return counts


_MEMBERS = """
SELECT m.family_id, m.kind, m.parent_id, m.score, m.passages,
       s.id, s.title, s.credit, s.published, d.url, d.site, i.path
FROM family_members m
JOIN segments s ON s.id = m.segment_id
JOIN documents d ON d.id = s.document_id
JOIN inputs i ON i.id = d.input_id
WHERE m.family_id IN ({families})
ORDER BY m.family_id, s.published IS NULL, s.published, s.id
"""


def list_families(store: CaseStore, *, min_size: int = 2, limit: int | None = None) -> list[FamilyView]:
    """Families with at least ``min_size`` members, largest first."""
    rows = store.connection.execute(
        "SELECT id FROM families WHERE size >= ? ORDER BY size DESC, id LIMIT ?",
        (min_size, -1 if limit is None else limit),
    ).fetchall()
    return _load(store, [row[0] for row in rows])


def family_of(store: CaseStore, segment_id: int) -> FamilyView | None:
    row = store.connection.execute(
        "SELECT family_id FROM family_members WHERE segment_id = ?", (segment_id,)
    ).fetchone()
    return _load(store, [row[0]])[0] if row else None


def count_singletons(store: CaseStore) -> int:
    """Kept segments that no other segment copies and that copy none."""
    return int(store.connection.execute("SELECT count(*) FROM families WHERE size = 1").fetchone()[0])


def _load(store: CaseStore, family_ids: list[int]) -> list[FamilyView]:
    if not family_ids:
        return []
    db = store.connection
    marks = ",".join("?" * len(family_ids))
    heads = {
        fid: (origin, evidence)
        for fid, origin, evidence in db.execute(
            f"SELECT id, origin_id, origin_evidence FROM families WHERE id IN ({marks})", family_ids
        )
    }
    members: dict[int, list[MemberView]] = {fid: [] for fid in family_ids}
    for fid, kind, parent, score, passages, *label in db.execute(_MEMBERS.format(families=marks), family_ids):
        spans = tuple(Passage(*p) for p in json.loads(passages))
        members[fid].append(MemberView(SegmentLabel(*label), kind, parent, score, spans))
    return [FamilyView(fid, *heads[fid], tuple(members[fid])) for fid in family_ids]
