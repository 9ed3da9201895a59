"""The timeline step of ``sourcetrace run``: each segment's dated events.

``events`` finds the publication and the mentioned dates of every kept
segment that has none stored (or whose publication changed since), on the
engine's workers, and stores them per segment; a run that adds inputs
therefore reads only the new segments. Nothing here is global: the
timeline is the stored events, read in date order (store/read_events.py).
"""

from __future__ import annotations

from sourcetrace.engines.contract import MapStep
from sourcetrace.pipeline import PipelineStep, RunContext
from sourcetrace.store.write_events import add_segment_events, segments_awaiting_events
from sourcetrace.stories.timeline import SegmentEvents, SegmentForEvents, events_of

SEGMENTS_PER_BATCH = 64  # one record of the map: a batch travels to a worker and is written in one transaction


class EventsStage(MapStep[list[SegmentForEvents], list[SegmentEvents]]):
    """Finds the events of a batch of segments, on a worker."""

    name = "events"

    def process(self, record: list[SegmentForEvents]) -> list[SegmentEvents]:
        found = [events_of(segment) for segment in record]
        self.stats["segments"] += len(found)
        self.stats["mentioned"] += sum(e.kind == "mentioned" for f in found for e in f.events)
        self.stats["unresolved"] += sum(e.date is None for f in found for e in f.events)
        self.stats["dropped"] += sum(f.dropped for f in found)
        return found


class FindEvents(PipelineStep):
    name = "events"

    def run(self, context: RunContext) -> None:
        store = context.store
        pending = segments_awaiting_events(store, SEGMENTS_PER_BATCH)
        context.progress.phase("finding dates", None)
        for found in context.engine.map(EventsStage(), pending, chunksize=1):
            add_segment_events(store, found)
            context.progress.advance(len(found))
