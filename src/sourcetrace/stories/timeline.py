"""A segment's dated events: its publication and the dates its text mentions.

The records here cross from the events step's workers to the store
(store/write_events.py); :func:`events_of` is the per-segment work.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sourcetrace.stories.dates import find_dates, publication_day, publication_precision

EventKind = Literal["published", "mentioned"]
MAX_EVENTS = 999  # an event's id is its segment's id * 1000 + its ordinal (0: the publication)


@dataclass(frozen=True, slots=True)
class SegmentForEvents:
    """A kept segment whose events are to be found."""

    id: int
    text: str
    published: str | None  # ISO 8601 date, or date-time with offset when the page gives one


@dataclass(frozen=True, slots=True)
class Event:
    """One dated event of a segment (a row of the ``events`` table)."""

    ordinal: int  # 0: the publication; then mentions in text order
    kind: EventKind
    date: str | None  # ISO 8601 at its precision; None: relative, unresolved
    precision: str  # time, day, week, month, quarter, year, decade
    first_day: str | None  # ISO date the period starts on
    start: int | None  # span in the segment's text; None for the publication
    end: int | None
    text: str | None  # the expression as written; None for the publication
    relative: bool


@dataclass(frozen=True, slots=True)
class SegmentEvents:
    """What the events step found in one segment."""

    segment: int
    published: str | None  # the publication the relative dates rest on
    events: tuple[Event, ...]
    dropped: int = 0  # mentions beyond MAX_EVENTS, not stored


def events_of(segment: SegmentForEvents) -> SegmentEvents:
    """The segment's publication (when known) and every date its text mentions."""
    day = publication_day(segment.published)
    events: list[Event] = []
    if segment.published and day is not None:
        events.append(Event(0, "published", segment.published, publication_precision(segment.published),
                            day.isoformat(), None, None, None, False))
    mentions = find_dates(segment.text, day)
    for ordinal, mention in enumerate(mentions[:MAX_EVENTS], start=1):
        events.append(Event(ordinal, "mentioned", mention.date, mention.precision, mention.first_day,
                            mention.start, mention.end, mention.text, mention.relative))
    return SegmentEvents(segment.id, segment.published, tuple(events), max(0, len(mentions) - MAX_EVENTS))
