"""Sentence embeddings, the rewrite test, and rare-word candidates."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sourcetrace.reuse.align import prepare
from sourcetrace.reuse.copymap import RARE_WORD_RELATED
from sourcetrace.reuse.rewrites import (
    AnchorIndex,
    SentenceEmbedder,
    default_embedder,
    rewrite_evidence,
    rewritten_side,
    sentence_vectors,
)

from .stories import (
    B_COPY,
    EXACT_COPY,
    EXCERPT,
    INDEPENDENT,
    NEAR_EXACT,
    ORIGINAL,
    REWRITE,
    ROUNDUP,
    STORY_B,
)

TEXTS = [
    ORIGINAL,
    EXACT_COPY,
    NEAR_EXACT,
    EXCERPT,
    REWRITE,
    INDEPENDENT,
    STORY_B,
    B_COPY,
    ROUNDUP,
]
IDS = list(range(1, len(TEXTS) + 1))


@pytest.fixture(scope="session")
def embedder() -> SentenceEmbedder:
    return default_embedder()


@pytest.fixture(scope="module")
def anchors() -> AnchorIndex:
    return AnchorIndex.build(IDS, TEXTS)


def test_the_embedding_loads_from_the_installed_package_and_gives_unit_vectors(
    embedder: SentenceEmbedder,
) -> None:
    vectors = embedder.embed(
        [
            "The minister opened the gates.",
            "The minister unlocked the gates.",
            "Shares fell in Tokyo.",
            "",
        ]
    )
    assert vectors.shape[0] == 4
    assert np.allclose(np.linalg.norm(vectors[:3], axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
    assert not vectors[3].any()  # an empty sentence has no direction


def test_a_hard_wrapped_sentence_has_the_vector_of_its_reflowed_copy(embedder: SentenceEmbedder) -> None:
    """Wire archives are hard-wrapped, their copies reflowed: a line break is not a difference."""
    wrapped = "The committee was meeting in New York this afternoon and\ncould put its final stamp\n    on the deal."
    reflowed = " ".join(wrapped.split())
    vectors = embedder.embed([wrapped, reflowed, reflowed.replace("final", "last")])
    assert float(vectors[0] @ vectors[1]) == pytest.approx(1.0, abs=1e-6)
    assert float(vectors[0] @ vectors[2]) < 0.999  # a changed word still is


def _evidence(a: str, b: str, embedder: SentenceEmbedder):
    pa, pb = prepare(a), prepare(b)
    return rewrite_evidence(pa, pb, sentence_vectors(pa, embedder), sentence_vectors(pb, embedder))


def test_a_spun_copy_matches_most_sentences_of_its_original(
    embedder: SentenceEmbedder,
) -> None:
    evidence = _evidence(ORIGINAL, REWRITE, embedder)
    assert evidence.coverage_a >= 0.6 and evidence.coverage_b >= 0.6
    assert evidence.in_order > 0.8


def test_an_independent_report_matches_only_the_shared_quotation(
    embedder: SentenceEmbedder,
) -> None:
    evidence = _evidence(ORIGINAL, INDEPENDENT, embedder)
    assert evidence.coverage_a < 0.3 and evidence.coverage_b < 0.3
    assert any(s > 0.95 for s in evidence.similarities)  # the quotation itself


def test_the_spun_side_is_told_from_its_rarer_words(embedder: SentenceEmbedder) -> None:
    assert rewritten_side(prepare(ORIGINAL), prepare(REWRITE), embedder) == 1
    assert rewritten_side(prepare(REWRITE), prepare(ORIGINAL), embedder) == 0


def test_rare_word_candidates_find_the_rewrite_and_not_unrelated_stories(
    anchors: AnchorIndex,
) -> None:
    pairs = {(p.a, p.b) for p in anchors.pairs()}
    assert (1, 5) in pairs  # original and its spun copy
    assert (7, 8) in pairs
    assert (1, 7) not in pairs and (5, 8) not in pairs
    assert len(pairs) < len(IDS) * (len(IDS) - 1) // 2


def test_rare_word_pairs_by_chunks_on_an_engines_threads_are_the_pairs_found_in_one_pass(
    anchors: AnchorIndex,
) -> None:
    from sourcetrace.engines.local import LocalEngine

    engine = LocalEngine(workers=2)
    try:
        engine.begin_step("candidates")
        in_chunks = anchors.pairs(chunk=2, engine=engine)  # several chunks, run two at a time
        assert engine.end_step().counters["rare_word_chunks"] == -(-len(IDS) // 2)
    finally:
        engine.close()
    assert in_chunks == anchors.pairs() and len(in_chunks) > 1


def test_a_query_finds_every_text_sharing_its_rare_words(anchors: AnchorIndex) -> None:
    found = dict(anchors.query(ORIGINAL))
    assert {1, 2, 3, 4, 5, 9} <= set(found)
    assert 7 not in found and 8 not in found


def test_the_anchor_index_survives_saving(anchors: AnchorIndex, tmp_path: Path) -> None:
    path = tmp_path / "anchors.npz"
    anchors.save(path)
    loaded = AnchorIndex.load(path)
    assert loaded.query(REWRITE) == anchors.query(REWRITE)
    assert {(p.a, p.b) for p in loaded.pairs()} == {(p.a, p.b) for p in anchors.pairs()}


def test_topical_similarity_separates_different_stories(anchors: AnchorIndex) -> None:
    assert anchors.topical_similarity(1, 7) < RARE_WORD_RELATED
    assert anchors.topical_similarity(1, 6) > RARE_WORD_RELATED
    assert anchors.topical_similarity(1, 999) == 0.0


def test_a_widely_syndicated_story_keeps_its_rare_words_when_its_copies_are_one_text_group() -> None:
    # 120 near-identical copies of one story: counted as 120 texts, its names
    # and figures look common and the spun copy is no longer a candidate.
    copies = [f"{ORIGINAL}\n\nEdition {k}." for k in range(120)]
    texts = [*copies, REWRITE, STORY_B, INDEPENDENT]
    ids = list(range(len(texts)))
    spun = len(copies)
    per_segment = AnchorIndex.build(ids, texts, max_groups=100)
    grouped = AnchorIndex.build(ids, texts, groups=[0] * len(copies) + ids[spun:], max_groups=100)
    assert not any(spun in (p.a, p.b) for p in per_segment.pairs())
    assert any(p.b == spun and p.a < spun for p in grouped.pairs())


def test_each_segment_keeps_its_rarest_words_even_above_the_cap() -> None:
    # With a cap of 0 groups every word is "common"; each text still keeps
    # its rarest word, which here is the one no other text has.
    texts = [f"the harbour council met on monday {name}" for name in ("ostrava", "brindisi", "valletta")]
    index = AnchorIndex.build([1, 2, 3], texts, max_groups=0, rarest_kept=1)
    assert np.diff(index.matrix.indptr).tolist() == [1, 1, 1]
    for row, name in enumerate(("ostrava", "brindisi", "valletta")):
        assert [hit for hit, _ in index.query(name, min_overlap=0.0, min_shared=1)] == [row + 1]
    assert AnchorIndex.build([1, 2, 3], texts, max_groups=0, rarest_kept=0).matrix.nnz == 0


def test_words_of_more_segments_than_the_bound_never_pair_segments(monkeypatch: pytest.MonkeyPatch) -> None:
    # Short notes keep their common words as anchors (they have no others); one word in
    # n segments would make n * n products, so past the bound it is left out of the search.
    notes = [f"harbour council notice {name}" for name in ("ostrava", "brindisi", "valletta", "tallinn", "gdansk")]
    notes += ["the ferry from split ran late, the pilots said", "the ferry from split ran late again, pilots said"]
    ids = list(range(1, len(notes) + 1))
    index = AnchorIndex.build(ids, notes, max_groups=100, rarest_kept=20)
    unbounded = {(p.a, p.b) for p in index.pairs()}
    monkeypatch.setattr("sourcetrace.reuse.rewrites.MAX_ANCHOR_SEGMENTS", 4)
    bounded = {(p.a, p.b) for p in index.pairs()}
    assert (1, 2) in unbounded  # the five notes share three words: pairs without the bound
    assert bounded == {(6, 7)}  # past it only the pair sharing its own words is left


def test_the_word_table_counts_distinct_words_per_text_group_and_ranks_them_rarest_first() -> None:
    from sourcetrace.reuse.rewrites import WordTable
    from sourcetrace.reuse.shingles import word_hashes

    texts = ["alpha beta beta gamma", "beta gamma delta", "gamma gamma", "alpha beta beta gamma"]
    table = WordTable.of(texts, groups=[0, 1, 2, 0])  # the last text is an exact copy of the first
    words = word_hashes(texts)
    ends = np.cumsum(words.counts)
    per_text = [set(words.hashes[end - n : end].tolist()) for end, n in zip(ends.tolist(), words.counts.tolist())]
    expected_pairs = sorted((t, w) for t, ws in enumerate(per_text) for w in ws)
    found_pairs = list(zip(table.owners.tolist(), table.vocabulary[table.columns].tolist()))
    assert found_pairs == expected_pairs  # distinct, sorted by text then word
    groups_with = {w: len({[0, 1, 2, 0][t] for t, ws in enumerate(per_text) if w in ws}) for w in set().union(*per_text)}
    assert dict(zip(table.vocabulary.tolist(), table.df.tolist())) == groups_with  # gamma: 3 groups, alpha: 1
    for text in range(len(texts)):
        row = np.flatnonzero(table.owners == text)
        by_rank = row[np.argsort(table.ranks[row])]
        assert sorted(table.ranks[row].tolist()) == list(range(len(row)))
        assert np.all(np.diff(table.df[table.columns[by_rank]]) >= 0)  # rank 0 is the rarest
