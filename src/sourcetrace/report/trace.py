"""The churnalism check: which segments of a case reuse a given text."""

from __future__ import annotations

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


def trace_text(store: CaseStore, text: str) -> list[TraceMatch]:
    """Segments that copy, excerpt or rewrite ``text``, strongest first."""
    index = ReuseIndex.build(list(store.iter_segments_for_reuse()))
    db = store.connection
    return [TraceMatch(SegmentLabel(*db.execute(_LABELS, (r.segment,)).fetchone()), r) for r in index.find_reuse(text)]
