"""A segment's events: its publication (with its time of day) and the dates its text mentions."""

from __future__ import annotations

from sourcetrace.stories.timeline import MAX_EVENTS, SegmentForEvents, events_of

TEXT = "The council met on Monday. The report, promised in March 2021, was published yesterday."


def test_the_publication_comes_first_with_its_time_of_day_kept() -> None:
    found = events_of(SegmentForEvents(7000, TEXT, "2022-08-31T09:42:00+02:00"))
    published = found.events[0]
    assert (published.ordinal, published.kind, published.date, published.precision) == (
        0, "published", "2022-08-31T09:42:00+02:00", "time")
    assert (published.start, published.end, published.text, published.first_day) == (None, None, None, "2022-08-31")


def test_mentions_follow_in_text_order_resolved_against_the_publication_day() -> None:
    found = events_of(SegmentForEvents(7000, TEXT, "2022-08-31T09:42:00+02:00"))
    mentions = [(e.ordinal, e.kind, e.text, e.date, TEXT[e.start:e.end] if e.start is not None else None)
                for e in found.events[1:]]
    assert mentions == [(1, "mentioned", "Monday", "2022-08-29", "Monday"),
                        (2, "mentioned", "March 2021", "2021-03", "March 2021"),
                        (3, "mentioned", "yesterday", "2022-08-30", "yesterday")]


def test_a_publication_given_as_a_date_has_day_precision() -> None:
    [published, *_] = events_of(SegmentForEvents(1, TEXT, "2022-08-31")).events
    assert (published.date, published.precision) == ("2022-08-31", "day")


def test_without_a_publication_there_is_no_published_event_and_relative_dates_are_unresolved() -> None:
    found = events_of(SegmentForEvents(1, TEXT, None))
    assert [e.kind for e in found.events] == ["mentioned"] * 3
    assert [e.date for e in found.events] == [None, "2021-03", None]


def test_an_unreadable_publication_is_not_an_event() -> None:
    found = events_of(SegmentForEvents(1, "Signed in 2019.", "sometime"))
    assert [(e.kind, e.date) for e in found.events] == [("mentioned", "2019")]


def test_mentions_beyond_what_an_id_can_number_are_counted_not_stored() -> None:
    text = " ".join(f"in {1900 + n % 100}," for n in range(MAX_EVENTS + 5))
    found = events_of(SegmentForEvents(1, text, "2022-08-31"))
    assert len(found.events) == MAX_EVENTS + 1 and found.dropped == 5
    assert found.events[-1].ordinal == MAX_EVENTS
