"""The churnalism check: which segments of a case reuse a given text."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence

from sourcetrace.reuse.copymap import ReuseIndex
from sourcetrace.store import CaseReader
from sourcetrace.views import PassageView, TraceMatch


class SegmentTexts(Mapping[int, str]):
    """Segment texts read from the case on demand: a query checks only its candidates."""

    def __init__(self, reader: CaseReader) -> None:
        self._reader = reader

    def __getitem__(self, segment_id: int) -> str:
        text = self._reader.segment_text(segment_id)
        if text is None:
            raise KeyError(segment_id)
        return text

    def __iter__(self) -> Iterator[int]:
        return self._reader.kept_segment_ids()

    def __len__(self) -> int:
        return self._reader.kept_segment_count()


def load_index(reader: CaseReader) -> ReuseIndex:
    """The index saved by the last run, or one built now if the case has none current."""
    saved = reader.trace_index()
    if saved is not None:
        return ReuseIndex.from_anchor_bytes(saved, SegmentTexts(reader))
    return ReuseIndex.build(list(reader.segments_for_reuse()))


def trace_text(reader: CaseReader, text: str) -> list[TraceMatch]:
    """Segments that copy, excerpt or rewrite ``text``, strongest first."""
    found = load_index(reader).find_reuse(text)
    labels = reader.segments([r.segment for r in found])
    return [TraceMatch(labels[r.segment], r.kind, r.score,
                       tuple(PassageView(p.parent_start, p.parent_end, p.start, p.end) for p in r.passages))
            for r in found]


def trace_json(matches: Sequence[TraceMatch]) -> str:
    """Matches as a JSON array, strongest first; passages are
    ``[query_start, query_end, start, end]`` (offsets in the traced text, then
    in the segment's text, as in the export's family members)."""
    return json.dumps(
        [
            {
                "segment": m.segment.id,
                "kind": m.kind,
                "score": m.score,
                "passages": [list(p) for p in m.passages],
                "title": m.segment.title,
                "credit": m.segment.credit,
                "published": m.segment.published,
                "url": m.segment.url,
                "site": m.segment.site,
                "input": m.segment.path,
                "warc_record_id": m.segment.warc_record_id,
                "warc_target_uri": m.segment.warc_target_uri,
            }
            for m in matches
        ],
        ensure_ascii=False,
        indent=1,
    )
