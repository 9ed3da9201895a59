"""Which member of a family is the origin, and why."""

from __future__ import annotations

import random

from sourcetrace.records import SegmentForReuse
from sourcetrace.reuse.origins import (
    decide_origin,
    is_agency_own,
    pair_direction,
    parse_published,
)
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


def test_an_origin_published_after_an_excerpt_says_the_excerpt_outweighs_the_date() -> None:
    decision = decide_origin([seg(1, "2024-03-05"), seg(2, "2024-03-01")], [link(1, 2, "excerpt", part=2)])
    assert decision.origin == 1
    assert "published after #2" in decision.evidence and "excerpt" in decision.evidence


def test_the_wires_own_text_published_after_members_crediting_it_is_the_origin_and_says_so() -> None:
    members = [seg(1, "2024-03-01", "AP"), seg(2, "2024-03-03", None, "https://apnews.example/x")]
    decision = decide_origin(members, [link(1, 2)])
    assert decision.origin == 2
    assert "published after #1" in decision.evidence and "credit lines" in decision.evidence


def test_the_wires_own_text_published_after_an_unexplained_member_leaves_the_origin_open() -> None:
    # #3 neither credits AP nor is shown by structure to be a copy: it may have been first.
    members = [
        seg(1, "2024-03-04", "AP"),
        seg(2, "2024-03-03", None, "https://apnews.example/x"),
        seg(3, "2024-03-02"),
    ]
    decision = decide_origin(members, [link(1, 2), link(2, 3)])
    assert decision.origin is None and decision.evidence.startswith("undetermined") and "#3" in decision.evidence
    explained = decide_origin(members, [link(1, 2), link(2, 3, "excerpt", part=3)])
    assert explained.origin == 2 and "excerpt" in explained.evidence


def test_the_origin_is_never_published_after_a_member_without_evidence_naming_why() -> None:
    rng = random.Random(11)
    dates = [None, "2024-03-01", "2024-03-02", "2024-03-02T08:00", "2024-03-02T20:00", "2024-03-03"]
    for _ in range(400):
        count = rng.randint(2, 5)
        members = [
            seg(
                i,
                rng.choice(dates),
                rng.choice([None, None, "AP"]),
                "https://apnews.example/x" if rng.random() < 0.2 else None,
            )
            for i in range(1, count + 1)
        ]
        verdicts = [random_link(rng, rng.randrange(1, i), i) for i in range(2, count + 1)]
        decision = decide_origin(members, verdicts)
        if decision.origin is None:
            continue
        origin_time = parse_published(members[decision.origin - 1].published)
        for member in members:
            time = parse_published(member.published)
            if origin_time is None or time is None or not time.earlier_than(origin_time):
                continue
            twins = exact_twins(member.id, verdicts)  # an exact copy of a derived text is derived
            whys = [why for v in verdicts if (d := pair_direction(v)) is not None and d[0] in twins for why in d[1:]]
            credits = member.credit is not None and not is_agency_own(member, "ap")
            assert f"#{member.id}" in decision.evidence, (members, verdicts, decision)
            assert ("credit lines" in decision.evidence if credits else any(w in decision.evidence for w in whys)), (
                members,
                verdicts,
                decision,
            )


def exact_twins(segment: int, verdicts: list[PairVerdict]) -> set[int]:
    twins = {segment}
    while True:
        more = {x for v in verdicts if v.kind == "exact" and {v.a, v.b} & twins for x in (v.a, v.b)} - twins
        if not more:
            return twins
        twins |= more


def random_link(rng: random.Random, a: int, b: int) -> PairVerdict:
    kind = rng.choice(["exact", "near_exact", "excerpt", "rewrite"])
    if kind == "excerpt":
        return link(a, b, kind, part=rng.choice([a, b]))
    if kind == "rewrite":
        return link(a, b, kind, rewritten=rng.choice([a, b, None]))
    return link(a, b, kind)


def test_an_initialism_and_the_name_it_abbreviates_are_one_agency() -> None:
    from sourcetrace.reuse.origins import canonical_agencies

    keys = canonical_agencies(["CP", "Continental Press", "Reuters", "AP"])
    assert keys["CP"] == keys["Continental Press"] == "continentalpress"
    assert keys["Reuters"] == "reuters" and keys["AP"] == "ap"  # nothing it abbreviates here


def test_an_exact_copy_of_a_spun_text_is_no_origin_either() -> None:
    # 3 is the spun side of its pair with 1; 2 carries 3's text word for word.
    members = [seg(1, "2024-03-02"), seg(2, "2024-03-01"), seg(3)]
    decision = decide_origin(members, [link(1, 3, "rewrite", rewritten=3), link(3, 2, "exact")])
    assert decision.origin == 1


def test_dates_outweigh_the_word_rarity_that_tells_the_spun_side() -> None:
    # Word rarity says 1 was spun from 2, but 1 was published two days before 2.
    members = [seg(1, "2024-03-01"), seg(2, "2024-03-03")]
    decision = decide_origin(members, [link(1, 2, "rewrite", rewritten=1)])
    assert decision.origin == 1 and decision.evidence.endswith("earliest date")


def test_without_dates_the_spun_side_still_decides() -> None:
    decision = decide_origin([seg(1, "2024-03-01"), seg(2)], [link(1, 2, "rewrite", rewritten=1)])
    assert decision.origin == 2


def test_the_wires_own_text_says_in_a_sentence_how_many_members_credit_it() -> None:
    members = [seg(1, "2024-03-01", "AP"), seg(2, "2024-03-03", None, "https://apnews.example/x"),
               seg(3, "2024-03-02", "AP")]
    decision = decide_origin(members, [link(1, 2), link(2, 3)])
    assert "2 members credit it; this is its own text" in decision.evidence
    one = decide_origin([seg(1, "2024-03-04", "AP"), seg(2, "2024-03-03", None, "https://apnews.example/x")],
                        [link(1, 2)])
    assert "1 member credits it; this is its own text" in one.evidence
