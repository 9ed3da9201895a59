"""Publication dates with a time of day, mixed with plain dates, where later stages compare them.

Pages now keep the time of day they give (``2024-03-04T09:00:00+02:00``)
while others give only a day (``2024-03-04``); origins (reuse/origins.py)
and statement references (voices/merge.py) must still pick the earliest.
"""

from __future__ import annotations

from sourcetrace.records import SegmentForReuse, StatementOccurrence
from sourcetrace.reuse.origins import decide_origin
from sourcetrace.reuse.relations import PairVerdict
from sourcetrace.voices.merge import merge_statements
from sourcetrace.voices.statements import Attribution

QUOTES = {1: "The sirens did not sound and nobody warned the valley.",
          2: "The sirens did not sound and no one warned the valley."}


def segment(segment_id: int, published: str | None) -> SegmentForReuse:
    return SegmentForReuse(segment_id, f"text {segment_id}", segment_id, published, None)


def exact(a: int, b: int) -> PairVerdict:
    return PairVerdict(a, b, "exact", 1.0, 1.0, 1.0, ())


def said(segment_id: int) -> Attribution:
    quote = QUOTES[segment_id]
    occurrence = StatementOccurrence(segment_id, 0, len(quote), quote, "Lidia Sorel", "said", "direct")
    return Attribution(occurrence, "Lidia Sorel", None, "person")


def reference_segment(dates: dict[int, str | None]) -> int:
    """The segment whose wording merge_statements takes as the statement's reference form."""
    (statement,) = merge_statements({s: [said(s)] for s in dates}, dates)
    [reference] = [o.segment for o in statement.occurrences if not o.altered]
    return reference


def test_an_origin_with_a_time_of_day_is_earlier_than_a_copy_dated_the_next_day() -> None:
    decision = decide_origin([segment(1, "2024-03-05"), segment(2, "2024-03-04T23:10:00+00:00")], [exact(1, 2)])
    assert decision.origin == 2


def test_times_with_different_offsets_compare_as_moments() -> None:
    # 09:00 at UTC+2 is 07:00 UTC, before 08:00 UTC
    decision = decide_origin([segment(1, "2024-03-04T08:00:00+00:00"), segment(2, "2024-03-04T09:00:00+02:00")],
                             [exact(1, 2)])
    assert decision.origin == 2


def test_a_day_and_a_time_on_that_day_leave_the_origin_undetermined() -> None:
    decision = decide_origin([segment(1, "2024-03-04"), segment(2, "2024-03-04T06:00:00Z")], [exact(1, 2)])
    assert decision.origin is None


def test_a_statement_reference_is_the_earliest_day_whether_or_not_times_are_given() -> None:
    assert reference_segment({1: "2024-03-05", 2: "2024-03-04T23:10:00+00:00"}) == 2
    assert reference_segment({1: "2024-03-04T06:00:00Z", 2: "2024-03-05"}) == 1


def test_a_statement_reference_compares_times_with_different_offsets_as_moments() -> None:
    assert reference_segment({1: "2024-03-04T08:00:00+00:00", 2: "2024-03-04T09:00:00+02:00"}) == 2


def test_an_archived_page_from_before_1995_keeps_its_date_and_time() -> None:
    from sourcetrace.ingest.extract import extract_html

    page = ('<html><head><title>Cocoa review</title>'
            '<meta property="article:published_time" content="1987-02-26T15:01:01"></head>'
            '<body><article><p>' + "Showers continued throughout the week in the cocoa zone. " * 8 +
            '</p></article></body></html>')
    assert extract_html(page, extractor="resiliparse").published == "1987-02-26T15:01:01"
