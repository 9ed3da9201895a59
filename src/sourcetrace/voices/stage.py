"""The voices stage: statements of batches of segments, on any engine.

A record is a batch of segments (not one) so that each worker parses with
``nlp.pipe``, which is several times faster than one call per text. The
spaCy pipeline is loaded lazily in each process and never pickled.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice

from sourcetrace.engines.contract import MapStep
from sourcetrace.records import SegmentForReuse
from sourcetrace.voices.nlp import load_nlp
from sourcetrace.voices.statements import Attribution, extract_from_texts


@dataclass(frozen=True, slots=True)
class SegmentStatements:
    """The statements found in one segment, or why it could not be read."""

    segment: int  # segments.id
    attributions: tuple[Attribution, ...]
    error: str | None = None  # the parser failed on this segment: kept, with no statements


class VoicesStage(MapStep[Sequence[SegmentForReuse], list[SegmentStatements]]):
    """Find attributed statements in each segment of a batch."""

    name = "voices"

    def __init__(self, batch_size: int = 64) -> None:
        super().__init__()
        self.batch_size = batch_size

    def warm_up(self) -> None:
        load_nlp()  # the spaCy pipeline, a few seconds per process

    def process(self, record: Sequence[SegmentForReuse]) -> list[SegmentStatements]:
        try:
            results = self._extract(record)
        except Exception:  # noqa: BLE001 - one bad text must not lose the batch: retry one by one
            results = [self._one(segment) for segment in record]
        self.stats["segments"] += len(results)
        self.stats["statements"] += sum(len(r.attributions) for r in results)
        self.stats["failed"] += sum(1 for r in results if r.error)
        return results

    def _extract(self, segments: Sequence[SegmentForReuse]) -> list[SegmentStatements]:
        pairs = [(s.id, s.text) for s in segments]
        return [SegmentStatements(segment, tuple(found)) for segment, found in extract_from_texts(pairs, batch_size=self.batch_size)]

    def _one(self, segment: SegmentForReuse) -> SegmentStatements:
        try:
            return self._extract([segment])[0]
        except Exception as error:  # noqa: BLE001 - reported, not hidden
            return SegmentStatements(segment.id, (), f"statement extraction failed: {type(error).__name__}: {error}")


def batches(segments: Iterable[SegmentForReuse], size: int = 64) -> Iterator[list[SegmentForReuse]]:
    """Cut a stream of segments into the stage's records."""
    iterator = iter(segments)
    while batch := list(islice(iterator, size)):
        yield batch
