"""The copy map of a case, and tracing a new text through the segments."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from sourcetrace.records import SegmentForReuse
from sourcetrace.reuse.copymap import (
    CopyMap,
    PairClassificationStage,
    PairTask,
    ReuseIndex,
    build_copy_map,
    candidate_pairs,
    exact_groups,
    find_candidates,
    find_reuse,
    near_duplicate_pairs,
    text_groups,
)
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
    REWRITE,
    REWRITE_ID,
    ROUNDUP_ID,
    case_segments,
)


@pytest.fixture(scope="module")
def copy_map() -> CopyMap:
    return build_copy_map(case_segments())


@pytest.fixture(scope="module")
def index() -> ReuseIndex:
    return ReuseIndex.build(case_segments())


def members(copy_map: CopyMap, segment: int) -> set[int]:
    family = next(f for f in copy_map.families if any(m.segment == segment for m in f.members))
    return {m.segment for m in family.members}


def test_a_story_and_its_copies_form_one_family_with_the_wire_text_as_origin(
    copy_map: CopyMap,
) -> None:
    story = next(f for f in copy_map.families if f.key == ORIGINAL_ID)
    assert {m.segment for m in story.members} >= {
        ORIGINAL_ID,
        EXACT_ID,
        NEAR_ID,
        EXCERPT_ID,
        REWRITE_ID,
    }
    assert story.origin == ORIGINAL_ID and story.origin_evidence


def test_the_independent_report_and_the_other_story_are_separate_families(
    copy_map: CopyMap,
) -> None:
    assert members(copy_map, INDEPENDENT_ID) == {INDEPENDENT_ID}
    assert members(copy_map, B_ID) == {B_ID, B_COPY_ID}
    assert len(copy_map.families) == 3


def test_relations_name_each_copy_and_how_it_was_made(copy_map: CopyMap) -> None:
    kinds = {(r.segment, r.parent): r.kind for r in copy_map.relations}
    assert kinds[(EXACT_ID, ORIGINAL_ID)] == "exact"
    assert kinds[(NEAR_ID, ORIGINAL_ID)] == "near_exact"
    assert kinds[(EXCERPT_ID, ORIGINAL_ID)] == "excerpt"
    assert kinds[(REWRITE_ID, ORIGINAL_ID)] == "rewrite"
    assert (B_COPY_ID, B_ID) in kinds and (ROUNDUP_ID, B_ID) in kinds
    assert all(INDEPENDENT_ID not in pair for pair in kinds)


def test_exact_copies_are_grouped_before_any_comparison() -> None:
    segments = case_segments()
    groups = exact_groups([*segments, SegmentForReuse(50, ORIGINAL.upper(), 50)])
    assert groups[EXACT_ID] == ORIGINAL_ID and groups[50] == ORIGINAL_ID and groups[NEAR_ID] == NEAR_ID


def test_text_groups_join_exact_copies_and_near_duplicates_but_not_other_stories() -> None:
    signed = SegmentForReuse(60, ORIGINAL + "\n\nRead more at the Coastal Herald.", 60)
    segments = [*case_segments(), signed]
    texts = {s.id: s.text for s in segments}
    representative_of = exact_groups(segments)
    representatives = sorted(set(representative_of.values()))
    groups = text_groups(representative_of, near_duplicate_pairs(representatives, texts))
    assert groups[EXACT_ID] == groups[signed.id] == groups[ORIGINAL_ID] == min(ORIGINAL_ID, EXACT_ID)
    assert groups[INDEPENDENT_ID] == INDEPENDENT_ID
    assert groups[REWRITE_ID] != groups[ORIGINAL_ID]  # a rewrite is no near-duplicate
    # The roundup contains both stories but is a near-duplicate of neither.
    assert len({groups[B_ID], groups[ROUNDUP_ID], groups[ORIGINAL_ID]}) == 3


def test_candidates_are_not_all_pairs_and_include_the_rewrite() -> None:
    segments = case_segments()
    texts = {s.id: s.text for s in segments}
    ids = sorted(texts)
    pairs = candidate_pairs(near_duplicate_pairs(ids, texts), AnchorIndex.build(ids, [texts[i] for i in ids]))
    assert (ORIGINAL_ID, REWRITE_ID) in pairs
    assert (INDEPENDENT_ID, B_ID) not in pairs
    assert len(pairs) < len(ids) * (len(ids) - 1) // 2


def test_the_classification_stage_travels_to_workers_without_its_cache() -> None:
    stage = PairClassificationStage()
    first = stage.process(PairTask(1, ORIGINAL, 2, REWRITE))
    copied = pickle.loads(pickle.dumps(stage))
    assert copied.process(PairTask(1, ORIGINAL, 2, REWRITE)) == first
    assert first is not None and first.kind == "rewrite"


def test_tracing_a_text_lists_every_segment_that_reuses_it(index: ReuseIndex) -> None:
    found = {r.segment: r.kind for r in find_reuse(ORIGINAL, index)}
    assert found[ORIGINAL_ID] == "exact" and found[EXACT_ID] == "exact"
    assert found[NEAR_ID] == "near_exact" and found[EXCERPT_ID] == "excerpt" and found[REWRITE_ID] == "rewrite"
    assert ROUNDUP_ID in found
    assert INDEPENDENT_ID not in found and B_ID not in found


def test_traced_passages_are_offsets_in_the_query_and_the_segment(
    index: ReuseIndex,
) -> None:
    excerpt = next(r for r in index.find_reuse(ORIGINAL) if r.segment == EXCERPT_ID)
    passage = excerpt.passages[0]
    assert ORIGINAL[passage.parent_start : passage.parent_end] == index.texts[EXCERPT_ID][passage.start : passage.end]


def test_the_reuse_index_is_saved_and_loaded_unchanged(index: ReuseIndex, tmp_path: Path) -> None:
    path = tmp_path / "reuse.npz"
    index.save(path)
    loaded = ReuseIndex.load(path)
    assert loaded.texts == index.texts
    assert loaded.find_reuse(REWRITE) == index.find_reuse(REWRITE)


def test_the_trace_index_made_from_the_candidate_search_equals_one_built_afresh() -> None:
    segments = case_segments()
    candidates = find_candidates(segments)
    afresh = ReuseIndex.build(segments, candidates.text_groups).anchors
    reused = ReuseIndex.from_candidates(segments, candidates).anchors
    assert EXACT_ID in reused.ids.tolist()  # an exact copy has a row of its own, its representative's words
    assert reused.ids.tolist() == afresh.ids.tolist()
    assert reused.vocabulary.tolist() == afresh.vocabulary.tolist()
    assert (reused.matrix != afresh.matrix).nnz == 0


def test_the_candidate_pairs_include_every_exact_copy_with_its_representative() -> None:
    segments = case_segments()
    candidates = find_candidates(segments)
    for segment, representative in candidates.representative_of.items():
        if segment != representative:
            assert (min(segment, representative), max(segment, representative)) in candidates.pairs
    assert list(candidates.pairs) == sorted(set(candidates.pairs))
