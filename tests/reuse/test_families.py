"""Families: one origin, one parent per derived member, no chaining through
aggregators, and never a parent published after its copy."""

from __future__ import annotations

import itertools

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
from sourcetrace.reuse.origins import parse_published
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
