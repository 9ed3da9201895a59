"""The churnalism check: which segments of a case reuse a given text."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from sourcetrace.report.families import SegmentLabel
from sourcetrace.reuse.copymap import Reuse, ReuseIndex
from sourcetrace.store import CaseStore

_LABELS = """
SELECT s.id, s.title, s.credit, s.published, d.url, d.site, i.path
FROM segments s JOIN documents d ON d.id = s.document_id JOIN inputs i ON i.id = d.input_id
WHERE s.id = ?
"""


@dataclass(frozen=True, slots=True)
class TraceMatch:
    segment: SegmentLabel
    reuse: Reuse


class SegmentTexts(Mapping[int, str]):
    """Segment texts read from the case on demand: a query checks only its candidates."""

    def __init__(self, store: CaseStore) -> None:
        self._db = store.connection

    def __getitem__(self, segment_id: int) -> str:
        row = self._db.execute("SELECT text FROM segments WHERE id = ?", (segment_id,)).fetchone()
        if row is None:
            raise KeyError(segment_id)
        return str(row[0])

    def __iter__(self) -> Iterator[int]:
        return (row[0] for row in self._db.execute("SELECT id FROM segments WHERE duplicate_of IS NULL"))

    def __len__(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM segments WHERE duplicate_of IS NULL").fetchone()[0])


def load_index(store: CaseStore) -> ReuseIndex:
    """The index saved by the last run, or one built now if the case has none current."""
    saved = store.load_trace_index()
    if saved is not None:
        return ReuseIndex.from_anchor_bytes(saved, SegmentTexts(store))
    return ReuseIndex.build(list(store.iter_segments_for_reuse()))


def trace_text(store: CaseStore, text: str) -> list[TraceMatch]:
    """Segments that copy, excerpt or rewrite ``text``, strongest first."""
    db = store.connection
    return [TraceMatch(SegmentLabel(*db.execute(_LABELS, (r.segment,)).fetchone()), r)
            for r in load_index(store).find_reuse(text)]


def trace_json(matches: Sequence[TraceMatch]) -> str:
    """Matches as a JSON array, strongest first; passages are
    ``[query_start, query_end, start, end]`` (offsets in the traced text, then
    in the segment's text, as in the export's family members)."""
    return json.dumps(
        [
            {
                "segment": m.segment.id,
                "kind": m.reuse.kind,
                "score": m.reuse.score,
                "passages": [[p.parent_start, p.parent_end, p.start, p.end] for p in m.reuse.passages],
                "title": m.segment.title,
                "credit": m.segment.credit,
                "published": m.segment.published,
                "url": m.segment.url,
                "site": m.segment.site,
                "input": m.segment.path,
            }
            for m in matches
        ],
        ensure_ascii=False,
        indent=1,
    )
