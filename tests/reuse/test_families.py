"""Families: one origin, one parent per derived member, no chaining through
aggregators, and never a parent published after its copy."""

from __future__ import annotations

import itertools
from random import Random

import pytest

from sourcetrace.records import Passage, SegmentForReuse
from sourcetrace.reuse.copymap import topically_related
from sourcetrace.reuse.families import (
    KIND_RANK,
    CopyGraph,
    Related,
    build_families,
    find_composites,
)
from sourcetrace.reuse.origins import parse_published, published_after
from sourcetrace.reuse.parents import SameTexts
from sourcetrace.reuse.relations import PairVerdict, PreparedSegment, classify_pair
from sourcetrace.reuse.rewrites import AnchorIndex

from .stories import (
    B_COPY_ID,
    B_ID,
    EXACT_ID,
    EXCERPT_ID,
    INDEPENDENT_ID,
    NEAR_ID,
    ORIGINAL,
    ORIGINAL_ID,
    REWRITE_ID,
    ROUNDUP_ID,
    STORY_B,
    case_segments,
)


def all_verdicts(segments: list[SegmentForReuse]) -> list[PairVerdict]:
    prepared = [PreparedSegment.of(s.id, s.text) for s in segments]
    return [v for a, b in itertools.combinations(prepared, 2) if (v := classify_pair(a, b)) is not None]


def relatedness(segments: list[SegmentForReuse]) -> Related:
    anchors = AnchorIndex.build([s.id for s in segments], [s.text for s in segments])
    texts = {s.id: s.text for s in segments}
    return lambda a, b: topically_related(anchors.topical_similarity(a, b), texts[a], texts[b])


@pytest.fixture(scope="module")
def case() -> tuple[dict[int, SegmentForReuse], list[PairVerdict], Related]:
    segments = case_segments()
    return {s.id: s for s in segments}, all_verdicts(segments), relatedness(segments)


@pytest.fixture(scope="module")
def graph(case) -> CopyGraph:  # type: ignore[no-untyped-def]
    segments, verdicts, related = case
    return build_families(segments, verdicts, related)


def family_of(graph: CopyGraph, segment: int):  # type: ignore[no-untyped-def]
    return next(f for f in graph.families if any(m.segment == segment for m in f.members))


def test_an_aggregator_page_carrying_two_stories_does_not_merge_their_families(
    graph: CopyGraph,
) -> None:
    story_a, story_b = family_of(graph, ORIGINAL_ID), family_of(graph, B_ID)
    assert story_a is not story_b
    assert {m.segment for m in story_b.members} == {B_ID, B_COPY_ID}
    assert sum(ROUNDUP_ID in {m.segment for m in f.members} for f in graph.families) == 1


def test_the_aggregator_is_recognised_as_composite_by_its_later_date_or_by_topic(
    case,
) -> None:  # type: ignore[no-untyped-def]
    segments, verdicts, related = case
    assert find_composites(verdicts, related, segments) == {ROUNDUP_ID}
    assert find_composites(verdicts, related) == {ROUNDUP_ID}  # no dates: the two stories are unrelated


def test_a_full_story_with_two_excerpts_of_itself_is_not_composite() -> None:
    paragraphs = ORIGINAL.split("\n\n")
    segments = [
        SegmentForReuse(1, ORIGINAL, 1),
        SegmentForReuse(2, "\n\n".join(paragraphs[:3]), 2),
        SegmentForReuse(3, "\n\n".join(paragraphs[5:]), 3),
    ]
    related = relatedness([*segments, *case_segments()[5:]])  # more texts, so rare words mean something
    verdicts = all_verdicts(segments)
    assert find_composites(verdicts, related) == set()
    graph = build_families({s.id: s for s in segments}, verdicts, related)
    assert len(graph.families) == 1 and graph.families[0].origin == 1


def test_every_segment_is_in_exactly_one_family_and_the_independent_report_alone(
    graph: CopyGraph,
) -> None:
    members = [m.segment for f in graph.families for m in f.members]
    assert sorted(members) == list(range(1, 10))
    alone = family_of(graph, INDEPENDENT_ID)
    assert [m.segment for m in alone.members] == [INDEPENDENT_ID] and alone.origin == INDEPENDENT_ID


def test_each_derived_member_has_one_parent_inside_its_family(graph: CopyGraph) -> None:
    for family in graph.families:
        ids = {m.segment for m in family.members}
        assert family.key == min(ids)
        for member in family.members:
            if member.kind == "origin":
                assert member.segment == family.origin and member.parent is None
            elif family.origin is not None:
                assert member.parent in ids and member.parent != member.segment


def test_the_story_family_has_the_wire_text_as_origin_and_each_copy_its_kind(
    graph: CopyGraph,
) -> None:
    family = family_of(graph, ORIGINAL_ID)
    assert family.origin == ORIGINAL_ID
    kinds = {m.segment: m.kind for m in family.members}
    assert kinds[EXACT_ID] == "exact" and kinds[NEAR_ID] == "near_exact"
    assert kinds[EXCERPT_ID] == "excerpt" and kinds[REWRITE_ID] == "rewrite"


def test_relations_point_from_the_copy_to_its_source(graph: CopyGraph) -> None:
    pairs = {(r.segment, r.parent): r.kind for r in graph.relations}
    assert pairs[(EXCERPT_ID, ORIGINAL_ID)] == "excerpt"
    assert pairs[(ROUNDUP_ID, B_ID)] == "excerpt"  # the roundup carries B without joining its family
    assert not any(INDEPENDENT_ID in pair for pair in pairs)


def test_without_any_evidence_of_direction_the_origin_and_parents_stay_open() -> None:
    segments = {
        1: SegmentForReuse(1, STORY_B, 1),
        2: SegmentForReuse(2, STORY_B + " ", 2),
    }
    verdicts = all_verdicts(list(segments.values()))
    graph = build_families(segments, verdicts, lambda a, b: True)
    (family,) = graph.families
    assert family.origin is None and family.origin_evidence.startswith("undetermined")
    assert all(m.parent is None for m in family.members)


# --- parents never published after their copies ------------------------------------

# Successive edits of the wire story: each text is closest to the one before it.
TRIBUNE = ORIGINAL.replace("heavy rain", "heavy rainfall")
LEDGER = TRIBUNE.replace("Farmers in the lower", "Farmers across the lower").replace(
    "closed the coastal road", "shut the coastal road"
)
DAILY = LEDGER.replace("The opposition Green Alliance demanded", "The Green Alliance, in opposition, demanded")
WIRE_ID, TRIBUNE_ID, LEDGER_ID, DAILY_ID = 1, 2, 3, 4


def chain(dates: tuple[str | None, ...]) -> dict[int, SegmentForReuse]:
    """The wire text (on the agency's own site) and three edited copies, dated ``dates``."""
    wire = SegmentForReuse(WIRE_ID, ORIGINAL, 1, dates[0], "Northwire", url="https://www.northwire.example/varno")
    segments = [
        wire,
        SegmentForReuse(TRIBUNE_ID, TRIBUNE, 2, dates[1], "Northwire"),
        SegmentForReuse(LEDGER_ID, LEDGER, 3, dates[2], "Northwire"),
        SegmentForReuse(DAILY_ID, DAILY, 4, dates[3]),
    ]
    return {s.id: s for s in segments}


@pytest.fixture(scope="module")
def chain_verdicts() -> list[PairVerdict]:
    return all_verdicts(list(chain((None,) * 4).values()))


def parent_of(graph: CopyGraph, segment: int) -> int | None:
    return next(m.parent for f in graph.families for m in f.members if m.segment == segment)


def published_later(segments: dict[int, SegmentForReuse], first: int, second: int) -> bool:
    a, b = parse_published(segments[first].published), parse_published(segments[second].published)
    return a is not None and b is not None and b.earlier_than(a)


def test_a_copy_published_before_a_closer_text_hangs_under_the_closest_text_not_later(
    chain_verdicts: list[PairVerdict],
) -> None:
    # The Tribune is closest to the Ledger but appeared a day after it.
    segments = chain(("2024-03-13", "2024-03-14", "2024-03-13T11:05", "2024-03-13T13:30"))
    graph = build_families(segments, chain_verdicts, lambda a, b: True)
    (family,) = graph.families
    assert family.origin == WIRE_ID
    assert parent_of(graph, LEDGER_ID) == WIRE_ID
    assert parent_of(graph, DAILY_ID) == LEDGER_ID  # 13:30 after 11:05 on the same day
    assert parent_of(graph, TRIBUNE_ID) == WIRE_ID
    relations = {(r.segment, r.parent) for r in graph.relations}
    assert (TRIBUNE_ID, LEDGER_ID) in relations and (LEDGER_ID, TRIBUNE_ID) not in relations


DATES = ("2024-03-13", "2024-03-14", "2024-03-13T11:05", "2024-03-13T13:30", None)


@pytest.mark.parametrize(
    "dates",
    list(itertools.permutations(DATES, 4)),
    ids=lambda dates: ",".join(d or "undated" for d in dates),
)
def test_each_parent_is_the_closest_member_not_published_after_the_copy(
    chain_verdicts: list[PairVerdict], dates: tuple[str | None, ...]
) -> None:
    segments = chain(dates)
    graph = build_families(segments, chain_verdicts, lambda a, b: True)
    (family,) = graph.families
    parents = {m.segment: m.parent for m in family.members}
    strengths = {frozenset((v.a, v.b)): (KIND_RANK[v.kind], v.score) for v in chain_verdicts}
    for member, parent in parents.items():
        if parent is None:
            continue
        assert not published_later(segments, parent, member)
        ancestors, node = [], parent
        while node is not None:  # no cycles, and the chain ends at the origin or an open parent
            assert node != member and node not in ancestors
            ancestors.append(node)
            node = parents[node]
        descendants = {m for m in parents if _descends(m, member, parents)}
        closer = [
            other
            for other in parents
            if other != member
            and other not in descendants
            and not published_later(segments, other, member)
            and strengths[frozenset((other, member))] > strengths[frozenset((parent, member))]
        ]
        assert closer == [], f"#{member} hangs under #{parent}, but #{closer} is closer and not later"


def _descends(node: int, ancestor: int, parents: dict[int, int | None]) -> bool:
    while node != ancestor:
        if (parent := parents[node]) is None:
            return False
        node = parent
    return True


def link(a: int, b: int, score: float) -> PairVerdict:
    return PairVerdict(a, b, "near_exact", score, score, score, (Passage(0, 10, 0, 10),))


def dated(dates: dict[int, str]) -> dict[int, SegmentForReuse]:
    return {
        i: SegmentForReuse(i, f"text {i}", i, date, "Northwire", url="https://northwire.example/a" if i == 1 else None)
        for i, date in dates.items()
    }


def test_a_copy_linked_only_to_later_copies_hangs_under_the_origin_when_that_is_not_later() -> None:
    segments = dated({1: "2024-03-13", 2: "2024-03-14", 3: "2024-03-13T10:00"})
    graph = build_families(segments, [link(1, 2, 0.99), link(2, 3, 0.98)], lambda a, b: True)
    (family,) = graph.families
    (stray,) = [m for m in family.members if m.segment == 3]
    assert family.origin == 1 and stray.parent == 1
    assert (stray.kind, stray.score) == ("near_exact", 0.98)  # its own link, not one to the origin
    assert stray.passages == ()  # no aligned text with the origin to show


def test_a_copy_published_before_the_origin_and_all_its_links_keeps_an_open_parent_with_its_evidence() -> None:
    segments = dated({1: "2024-03-13", 2: "2024-03-14", 3: "2024-03-12"})
    graph = build_families(segments, [link(1, 2, 0.99), link(2, 3, 0.98)], lambda a, b: True)
    (family,) = graph.families
    (stray,) = [m for m in family.members if m.segment == 3]
    assert family.origin == 1 and "published after #3" in family.origin_evidence
    assert stray.parent is None and (stray.kind, stray.score) == ("near_exact", 0.98) and stray.passages


def test_when_dates_contradict_the_spun_side_the_later_text_hangs_under_the_earlier() -> None:
    # Word rarity called 1 the spun text, but 1 was published a day before 2:
    # the dates decide both the origin and the parent.
    segments = {
        1: SegmentForReuse(1, STORY_B, 1, "2024-05-01"),
        2: SegmentForReuse(2, STORY_B + " More.", 2, "2024-05-02"),
    }
    verdict = PairVerdict(1, 2, "rewrite", 0.8, 0.9, 0.9, (Passage(0, 10, 0, 10),), rewritten=1)
    (family,) = build_families(segments, [verdict], lambda a, b: True).families
    assert family.origin == 1
    assert {m.segment: m.parent for m in family.members} == {1: None, 2: 1}


def test_exact_copies_of_the_origin_hang_under_the_origin_not_under_the_copy_with_the_lowest_id() -> None:
    # Newspapers' word-for-word copies of a wire story explain each other as well as the wire explains
    # them; the copy given first (lowest id) must not become everyone's parent.
    wire_id, paper_ids = 9000, (1000, 2000, 3000, 4000)
    wire = SegmentForReuse(wire_id, ORIGINAL, 9, "2024-03-04T08:00:00", "Northwire",
                           url="https://www.northwire.example/varno")
    papers = [SegmentForReuse(i, ORIGINAL, i // 1000, f"2024-03-04T1{n}:00:00", "Northwire")
              for n, i in enumerate(paper_ids)]
    segments = {s.id: s for s in [wire, *papers]}
    graph = build_families(segments, all_verdicts(list(segments.values())), lambda a, b: True)
    (family,) = graph.families
    assert family.origin == wire_id
    assert {parent_of(graph, i) for i in paper_ids} == {wire_id}


def test_of_two_equally_close_possible_parents_the_earlier_text_is_the_parent() -> None:
    # A and B carry the same text (B published first); C excerpts both equally. The order in which
    # the tree happened to reach A and B must not decide: C is B's excerpt, the earlier text.
    wire, a, b, c = 1000, 2000, 3000, 4000
    dated = {wire: "2024-03-04T08:00:00", a: "2024-03-04T10:00:00", b: "2024-03-04T09:00:00", c: "2024-03-04T11:00:00"}
    segments = {i: SegmentForReuse(i, f"Text {i}.", i // 1000, when) for i, when in dated.items()}
    whole = (Passage(0, 8, 0, 8),)

    def verdict(first: int, second: int, kind: str, score: float, part: int | None = None) -> PairVerdict:
        return PairVerdict(first, second, kind, score, score, score, whole, part=part)  # type: ignore[arg-type]

    verdicts = [verdict(wire, a, "near_exact", 0.9), verdict(wire, b, "near_exact", 0.9), verdict(a, b, "exact", 1.0),
                verdict(a, c, "excerpt", 0.95, part=c), verdict(b, c, "excerpt", 0.95, part=c),
                verdict(wire, c, "excerpt", 0.8, part=c)]
    graph = build_families(segments, verdicts, lambda x, y: True)
    assert (parent_of(graph, a), parent_of(graph, b), parent_of(graph, c)) == (b, wire, b)


# --- whether the evidence decided each parent (docs/copies.md#parents) ---------------------------


def verdict(first: int, second: int, kind: str, score: float, part: int | None = None) -> PairVerdict:
    return PairVerdict(first, second, kind, score, score, score, (Passage(0, 8, 0, 8),), part=part)  # type: ignore[arg-type]


def bases(graph: CopyGraph) -> dict[int, str | None]:
    return {m.segment: m.parent_basis for f in graph.families for m in f.members}


def member(graph: CopyGraph, segment: int):  # type: ignore[no-untyped-def]
    return next(m for f in graph.families for m in f.members if m.segment == segment)


def test_a_later_copy_of_an_earlier_dated_original_has_a_decided_parent() -> None:
    segments = {1: SegmentForReuse(1, STORY_B, 1, "2024-05-01"), 2: SegmentForReuse(2, STORY_B, 2, "2024-05-02")}
    graph = build_families(segments, all_verdicts(list(segments.values())), lambda a, b: True)
    assert bases(graph) == {1: None, 2: "evidence"}
    assert member(graph, 2).parent_evidence == "published after #1"


def test_of_two_undated_exact_copies_of_an_excerpt_which_copied_the_other_is_undecided() -> None:
    # 2 and 3 are one excerpt of 1, word for word: both derive from 1, but nothing says whether 3 copied 2.
    segments = {1: SegmentForReuse(1, "whole", 1, "2024-05-01"), 2: SegmentForReuse(2, "part", 2),
                3: SegmentForReuse(3, "part", 3)}
    verdicts = [verdict(1, 2, "excerpt", 0.9, part=2), verdict(1, 3, "excerpt", 0.9, part=3), verdict(2, 3, "exact", 1.0)]
    graph = build_families(segments, verdicts, lambda a, b: True)
    assert {m.segment: m.parent for m in graph.families[0].members} == {1: None, 2: 1, 3: 2}  # the tree as before
    assert bases(graph) == {1: None, 2: "evidence", 3: "direction_unknown"}
    assert member(graph, 2).parent_evidence == "an excerpt derives from the fuller text"
    assert member(graph, 3).parent_evidence == "which of the two copied the other is not shown by the evidence"


def test_a_copy_as_close_to_two_texts_of_the_same_time_is_a_tie_that_names_both() -> None:
    segments = {i: SegmentForReuse(i, f"text {i}", i, when) for i, when in
                {1: "2024-05-01T08:00", 2: "2024-05-01T09:00", 3: "2024-05-01T09:00", 4: "2024-05-01T10:00"}.items()}
    verdicts = [verdict(1, 2, "near_exact", 0.9), verdict(1, 3, "near_exact", 0.9), verdict(2, 3, "exact", 1.0),
                verdict(2, 4, "exact", 1.0), verdict(3, 4, "exact", 1.0), verdict(1, 4, "near_exact", 0.9)]
    graph = build_families(segments, verdicts, lambda a, b: True)
    assert bases(graph) == {1: None, 2: "evidence", 3: "direction_unknown", 4: "tie"}
    assert member(graph, 4).parent_evidence == (
        "equally close to #2 and #3; #2 is drawn by preference: the origin, then the earlier text, then the lower id")


def test_a_tie_between_equally_close_texts_is_decided_when_the_parent_was_published_first() -> None:
    # As in test_of_two_equally_close_possible_parents_the_earlier_text_is_the_parent: C excerpts A and B
    # equally, and B was published an hour before A.
    wire, a, b, c = 1000, 2000, 3000, 4000
    when = {wire: "2024-03-04T08:00:00", a: "2024-03-04T10:00:00", b: "2024-03-04T09:00:00", c: "2024-03-04T11:00:00"}
    segments = {i: SegmentForReuse(i, f"Text {i}.", i // 1000, w) for i, w in when.items()}
    verdicts = [verdict(wire, a, "near_exact", 0.9), verdict(wire, b, "near_exact", 0.9), verdict(a, b, "exact", 1.0),
                verdict(a, c, "excerpt", 0.95, part=c), verdict(b, c, "excerpt", 0.95, part=c),
                verdict(wire, c, "excerpt", 0.8, part=c)]
    graph = build_families(segments, verdicts, lambda x, y: True)
    assert member(graph, c).parent == b and member(graph, c).parent_basis == "evidence"


def test_an_undated_exact_copy_of_the_wire_is_a_tie_with_its_sibling_though_no_verdict_joins_the_two() -> None:
    # Candidates link each exact copy to one member of its group, here the wire: 3 and 4 share no verdict,
    # yet each is the other's text, and neither is dated.
    wire = SegmentForReuse(1, "wire", 1, "2024-05-01T08:00", url="https://www.northwire.example/a")
    segments = {1: wire, 2: SegmentForReuse(2, "wire", 2, None, "Northwire"), 3: SegmentForReuse(3, "wire", 3),
                4: SegmentForReuse(4, "wire", 4)}
    graph = build_families(segments, [verdict(1, i, "exact", 1.0) for i in (2, 3, 4)], lambda a, b: True)
    assert graph.families[0].origin == 1
    assert bases(graph) == {1: None, 2: "evidence", 3: "tie", 4: "tie"}
    assert member(graph, 2).parent_evidence == "it credits the wire, whose own text #1 is"
    assert member(graph, 3).parent_evidence.startswith("equally close to #1, #2 and #4; #1 is drawn")


def test_dated_exact_copies_of_the_wire_are_decided_by_the_wire_being_earlier() -> None:
    wire = SegmentForReuse(9000, ORIGINAL, 9, "2024-03-04T08:00:00", "Northwire", url="https://www.northwire.example/v")
    papers = [SegmentForReuse(i, ORIGINAL, i // 1000, f"2024-03-04T1{n}:00:00") for n, i in enumerate((1000, 2000))]
    segments = {s.id: s for s in [wire, *papers]}
    graph = build_families(segments, all_verdicts(list(segments.values())), lambda a, b: True)
    assert bases(graph) == {1000: "evidence", 2000: "evidence", 9000: None}


def test_a_copy_hung_under_the_origin_without_a_verdict_is_dashed_unless_it_credits_the_wire() -> None:
    when = {1: "2024-03-13T08:00", 2: "2024-03-14", 3: "2024-03-13T10:00"}
    uncredited = {i: SegmentForReuse(i, f"text {i}", i, w) for i, w in when.items()}
    graph = build_families(uncredited, [link(1, 2, 0.99), link(2, 3, 0.98)], lambda a, b: True)
    assert member(graph, 3).parent == 1 and member(graph, 3).parent_basis == "no_direct_link"
    credited = build_families(dated(when), [link(1, 2, 0.99), link(2, 3, 0.98)], lambda a, b: True)
    assert member(credited, 3).parent == 1 and member(credited, 3).parent_basis == "evidence"


def test_without_an_origin_nobody_has_a_parent_basis() -> None:
    segments = {1: SegmentForReuse(1, STORY_B, 1), 2: SegmentForReuse(2, STORY_B + " ", 2)}
    graph = build_families(segments, all_verdicts(list(segments.values())), lambda a, b: True)
    assert bases(graph) == {1: None, 2: None}


@pytest.mark.parametrize(
    "dates",
    list(itertools.permutations(DATES, 4)),
    ids=lambda dates: ",".join(d or "undated" for d in dates),
)
def test_a_parent_is_decided_only_when_a_date_structure_credit_or_the_origin_orders_the_pair(
    chain_verdicts: list[PairVerdict], dates: tuple[str | None, ...]
) -> None:
    segments = chain(dates)
    (family,) = build_families(segments, chain_verdicts, lambda a, b: True).families
    for m in family.members:
        assert (m.parent_basis is None) == (m.parent is None)
        if m.parent_basis == "evidence":
            assert m.parent_evidence
            ordered = published_later(segments, m.segment, m.parent) or m.parent == family.origin
            assert ordered or "derives" in m.parent_evidence
        if m.parent is not None and m.parent != family.origin and segments[m.segment].published is None:
            assert m.parent_basis != "evidence" or "derives" in (m.parent_evidence or "")


TIMES = ("2024-05-01", "2024-05-01T08:00", "2024-05-01T09:00", "2024-05-02", "2024-05-02T07:30", None)


@pytest.mark.parametrize("seed", range(40))
def test_the_texts_as_close_as_an_exact_copy_s_parent_are_those_the_dates_allow(seed: int) -> None:
    # SameTexts looks only at the members that dates allow; it must find what checking every one finds.
    rng = Random(seed)
    times = {i: parse_published(rng.choice(TIMES)) for i in range(1, 13)}
    edges = [verdict(1, i, "exact", 1.0) for i in range(2, 9)] + [verdict(9, i, "exact", 1.0) for i in (10, 11, 12)]
    texts = SameTexts(list(times), edges, times)
    for child, parent in itertools.permutations(range(1, 13), 2):
        excluded = {child, parent, rng.randrange(1, 13)}
        group = set(range(1, 9)) if child < 9 else set(range(9, 13))
        expected = sorted(
            o for o in group - excluded
            if not published_after(times[o], times[child])
            and not (times[parent] is not None and times[o] is not None and times[parent].earlier_than(times[o]))
        )
        assert texts.as_close(child, parent, excluded) == (expected[:5], len(expected))


def test_a_tie_among_many_copies_names_a_few_and_counts_the_rest() -> None:
    wire = SegmentForReuse(1, "w", 1, "2024-05-01T08:00", url="https://www.northwire.example/a")
    segments = {1: wire, 2: SegmentForReuse(2, "w", 2, None, "Northwire")}
    segments.update({i: SegmentForReuse(i, "w", i) for i in range(3, 21)})
    graph = build_families(segments, [verdict(1, i, "exact", 1.0) for i in range(2, 21)], lambda a, b: True)
    assert member(graph, 20).parent_evidence.startswith("equally close to #1, #2, #3, #4, #5, #6 and 13 more; #1 is drawn")
