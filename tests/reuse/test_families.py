"""Families: one origin, one parent per derived member, no chaining through aggregators."""

from __future__ import annotations

import itertools

import pytest

from sourcetrace.records import SegmentForReuse
from sourcetrace.reuse.copymap import topically_related
from sourcetrace.reuse.families import (
    CopyGraph,
    Related,
    build_families,
    find_composites,
)
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
