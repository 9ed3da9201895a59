"""Which member of a family is the origin, and why."""

from __future__ import annotations

from sourcetrace.records import SegmentForReuse
from sourcetrace.reuse.origins import decide_origin, pair_direction, parse_published
from sourcetrace.reuse.relations import PairVerdict


def seg(
    segment_id: int,
    published: str | None = None,
    credit: str | None = None,
    url: str | None = None,
) -> SegmentForReuse:
    return SegmentForReuse(segment_id, f"text {segment_id}", segment_id, published, credit, url=url)


def link(
    a: int,
    b: int,
    kind: str = "exact",
    part: int | None = None,
    rewritten: int | None = None,
) -> PairVerdict:
    return PairVerdict(a, b, kind, 1.0, 1.0, 1.0, (), part=part, rewritten=rewritten)  # type: ignore[arg-type]


def test_dates_compare_at_the_precision_both_give() -> None:
    day, morning, evening = (
        parse_published("2024-03-03"),
        parse_published("2024-03-03T08:00"),
        parse_published("2024-03-03T20:00Z"),
    )
    assert day is not None and morning is not None and evening is not None
    assert morning.earlier_than(evening)
    assert not day.earlier_than(evening) and not evening.earlier_than(day)  # same day, one without a time
    assert parse_published("last Tuesday") is None and parse_published(None) is None


def test_the_strictly_earliest_member_is_the_origin() -> None:
    decision = decide_origin(
        [seg(1, "2024-03-04"), seg(2, "2024-03-02"), seg(3, "2024-03-05")],
        [link(1, 2), link(2, 3)],
    )
    assert decision.origin == 2 and "earliest date" in decision.evidence


def test_same_day_copies_without_times_leave_the_origin_undetermined() -> None:
    decision = decide_origin([seg(1, "2024-03-04"), seg(2, "2024-03-04T10:00")], [link(1, 2)])
    assert decision.origin is None and decision.evidence.startswith("undetermined")


def test_an_undated_possible_origin_leaves_the_origin_undetermined() -> None:
    decision = decide_origin([seg(1, "2024-03-04"), seg(2)], [link(1, 2)])
    assert decision.origin is None and "without a date" in decision.evidence


def test_the_agencys_own_text_is_the_origin_of_segments_crediting_it() -> None:
    members = [
        seg(1, "2024-03-01", "AP"),
        seg(2, "2024-03-03", None, "https://apnews.example/x"),
        seg(3, "2024-03-02", "AP"),
    ]
    decision = decide_origin(members, [link(1, 2), link(2, 3)])
    assert decision.origin == 2 and "credit" in decision.evidence


def test_members_crediting_an_agency_are_copies_even_when_earlier() -> None:
    decision = decide_origin([seg(1, "2024-03-01", "Reuters"), seg(2, "2024-03-03")], [link(1, 2)])
    assert decision.origin == 2


def test_when_every_member_credits_an_absent_agency_the_origin_is_undetermined() -> None:
    decision = decide_origin([seg(1, "2024-03-01", "Reuters"), seg(2, "2024-03-03", "Reuters")], [link(1, 2)])
    assert decision.origin is None and "Reuters" in decision.evidence


def test_an_excerpt_is_not_the_origin_even_when_dated_first() -> None:
    decision = decide_origin([seg(1, "2024-03-05"), seg(2, "2024-03-01")], [link(1, 2, "excerpt", part=2)])
    assert decision.origin == 1 and "excerpt" in decision.evidence


def test_the_spun_side_of_a_rewrite_is_not_the_origin() -> None:
    decision = decide_origin([seg(1), seg(2)], [link(1, 2, "rewrite", rewritten=1)])
    assert decision.origin == 2


def test_pair_direction_names_the_derived_segment() -> None:
    assert pair_direction(link(1, 2, "excerpt", part=1))[0] == 1  # type: ignore[index]
    assert pair_direction(link(1, 2, "rewrite", rewritten=2))[0] == 2  # type: ignore[index]
    assert pair_direction(link(1, 2, "excerpt", part=1), composites={2})[0] == 2  # type: ignore[index]
    assert pair_direction(link(1, 2, "near_exact")) is None
