"""LSH candidates become edges only after verification; copies, near copies
and excerpts are found, unrelated texts are not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from sourcetrace.engines import LocalEngine
from sourcetrace.reuse import candidates
from sourcetrace.reuse.candidates import CandidatePair, LSHIndex, choose_bands
from sourcetrace.reuse.minhash import SignatureBatch, SketchParams, batched
from sourcetrace.reuse.shingles import ShingleHashes, mix64


def invented_story(seed: int, length: int = 300) -> str:
    """Sentences of invented words: texts from different seeds share nothing."""
    rng = np.random.default_rng(seed)
    syllables = ["ka", "lo", "mi", "ter", "ves", "un", "dra", "pol", "sen", "ith", "or", "bas", "quo", "zel"]
    vocabulary = ["".join(rng.choice(syllables, size=rng.integers(2, 4))) for _ in range(400)]
    words = rng.choice(vocabulary, size=length).tolist()
    return " ".join(w + ("." if i % 12 == 11 else "") for i, w in enumerate(words))


def with_words_changed(text: str, positions: list[int]) -> str:
    words = text.split()
    for position in positions:
        words[position] = "changed"
    return " ".join(words)


FLOOD = """Rescue teams in the river town of Obrenna evacuated more than four hundred
residents on Sunday after the Selka burst its banks for the second time this
spring. The ministry said in a statement on Tuesday that temporary shelters had
been opened in three schools and a sports hall. According to officials who spoke
on condition of anonymity, the dyke north of the old mill gave way shortly
before midnight, flooding the lower market and the railway underpass. Farmers
downstream moved cattle to higher pastures while volunteers filled sandbags
outside the town hall until dawn. The regional governor promised compensation
for damaged homes and said engineers would inspect every dyke along the valley
before the summer rains."""

TARIFF = """Exporters of dried fruit in the coastal province of Vantrel warned on
Monday that a new customs tariff would cost the industry a third of its foreign
sales this year. The ministry said in a statement on Tuesday that the tariff
was needed to protect domestic packaging firms. According to officials who spoke
on condition of anonymity, negotiations with two neighbouring states collapsed
last week over inspection fees at the northern border crossing. Growers' unions
plan a convoy of trucks to the capital on Friday, and several cooperatives have
already suspended purchases of apricots and figs from smallholders in the hill
villages around Dastor."""


def verified(records: list[tuple[int, str]], **options: object) -> list[CandidatePair]:
    index = LSHIndex(**options)  # type: ignore[arg-type]
    index.add_texts(records)
    return index.verified_pairs()


def test_identical_texts_are_an_edge_with_jaccard_one() -> None:
    story = invented_story(1)
    pairs = verified([(7, story), (3, story), (9, invented_story(2))])
    assert pairs == [CandidatePair(3, 7, 1.0, 1.0, 1.0)]


def test_a_copy_with_a_few_words_changed_is_an_edge() -> None:
    story = invented_story(3)
    copy = with_words_changed(story, [20, 100, 180, 260])
    [pair] = verified([(1, story), (2, copy), (3, invented_story(4))])
    assert (pair.a, pair.b) == (1, 2)
    assert 0.8 <= pair.jaccard < 1.0


def test_an_excerpt_of_a_third_is_an_edge_by_containment() -> None:
    story = invented_story(5, 360)
    excerpt = " ".join(story.split()[120:240])
    [pair] = verified([(1, story), (2, excerpt), (3, invented_story(6))])
    assert (pair.a, pair.b) == (1, 2)
    assert pair.containment_b_in_a == 1.0
    assert pair.jaccard < 0.4


def test_without_excerpt_windows_an_excerpt_is_not_found() -> None:
    story = invented_story(5, 360)
    excerpt = " ".join(story.split()[120:240])
    assert verified([(1, story), (2, excerpt)], excerpts=False) == []


def test_unrelated_stories_sharing_stock_phrases_are_not_edges() -> None:
    index = LSHIndex()
    index.add_texts([(1, FLOOD), (2, TARIFF)])
    assert index.verified_pairs() == []


def test_a_short_common_phrase_is_not_an_excerpt_of_every_text_that_has_it() -> None:
    phrase = "The ministry said in a statement on Tuesday"
    assert verified([(1, FLOOD), (2, TARIFF), (3, phrase)]) == []


def _handmade_batch(params: SketchParams, signatures: np.ndarray, sets: list[np.ndarray]) -> SignatureBatch:
    offsets = np.cumsum([0] + [len(s) for s in sets]).astype(np.int64)
    return SignatureBatch(
        params=params,
        ids=np.arange(1, len(sets) + 1, dtype=np.int64),
        signatures=signatures.astype(np.uint32),
        shingles=ShingleHashes(np.concatenate(sets).astype(np.uint64), offsets),
        window_signatures=None,
        window_owners=None,
    )


def test_a_bucket_collision_that_fails_verification_is_not_an_edge() -> None:
    index = LSHIndex(excerpts=False)
    _, rows = index.bands
    rng = np.random.default_rng(8)
    signatures = rng.integers(0, 2**32, size=(2, 128), dtype=np.uint64)
    signatures[1, :rows] = signatures[0, :rows]  # same first band, nothing else alike
    disjoint = [mix64(np.arange(1, 101, dtype=np.uint64)), mix64(np.arange(101, 201, dtype=np.uint64))]
    index.add(_handmade_batch(index.params, signatures, disjoint))
    assert index.candidate_pairs() == [(1, 2)]
    assert index.verified_pairs() == []
    assert index.stats["rejected_by_estimate"] == 1


def test_equal_signatures_over_different_shingle_sets_are_not_an_edge() -> None:
    index = LSHIndex(excerpts=False)
    signatures = np.repeat(np.arange(128, dtype=np.uint64)[None, :], 2, axis=0)
    overlapping = [mix64(np.arange(1, 101, dtype=np.uint64)), mix64(np.arange(51, 151, dtype=np.uint64))]
    index.add(_handmade_batch(index.params, signatures, overlapping))
    assert index.candidate_pairs() == [(1, 2)]
    assert index.verified_pairs() == []
    assert index.stats["rejected_by_exact_check"] == 1


def test_exact_copies_are_attached_to_the_lowest_id_copy_not_to_each_other() -> None:
    story = invented_story(10)
    near = with_words_changed(story, [150])
    records = [(5, story), (2, story), (8, story), (4, story), (9, near)]
    pairs = verified(records)
    copies = [(p.a, p.b) for p in pairs if p.jaccard == 1.0]
    assert sorted(copies) == [(2, 4), (2, 5), (2, 8)]
    assert [(p.a, p.b) for p in pairs if p.jaccard < 1.0] == [(2, 9)]


def test_segments_without_words_are_never_paired() -> None:
    index = LSHIndex()
    index.add_texts([(1, ""), (2, "..."), (3, invented_story(11)), (4, " -- ")])
    assert index.verified_pairs() == []
    assert index.stats["segments_without_words"] == 3


def test_query_finds_a_copy_and_the_text_an_excerpt_comes_from() -> None:
    story = invented_story(12, 360)
    index = LSHIndex()
    index.add_texts([(1, story), (2, FLOOD), (3, TARIFF)] + [(10 + i, invented_story(100 + i)) for i in range(30)])
    [copy] = index.query(with_words_changed(story, [30, 200]))
    assert copy.segment_id == 1 and copy.jaccard >= 0.8
    [source] = index.query(" ".join(story.split()[:120]))
    assert source.segment_id == 1 and source.containment_query_in_segment == 1.0
    assert index.query(invented_story(99)) == []


def test_query_verifies_from_text_lookup_when_batches_kept_no_shingles() -> None:
    texts = {1: invented_story(13), 2: invented_story(14)}
    looked_up: list[int] = []

    def lookup(ids: list[int]) -> list[str]:
        looked_up.extend(ids)
        return [texts[i] for i in ids]

    index = LSHIndex(text_lookup=lookup)  # type: ignore[arg-type]
    stage = index.signature_stage(keep_shingles=False)
    index.add(stage.process(list(texts.items())))
    [match] = index.query(with_words_changed(texts[2], [5]))
    assert match.segment_id == 2
    assert looked_up == [2]  # only the candidate's text is fetched


def test_an_index_refuses_signatures_made_with_other_parameters() -> None:
    batch = LSHIndex(num_perm=64).signature_stage().process([(1, "some words here")])
    with pytest.raises(ValueError, match="signatures made with"):
        LSHIndex(num_perm=128).add(batch)


def test_two_workers_find_the_same_edges_as_one() -> None:
    records = _family_corpus()
    index = LSHIndex()
    for batch in LocalEngine(workers=2).map(index.signature_stage(), batched(records, 7), chunksize=1):
        index.add(batch)
    assert index.verified_pairs() == verified(records)


def _family_corpus() -> list[tuple[int, str]]:
    records: list[tuple[int, str]] = []
    for family in range(6):
        story = invented_story(200 + family, 250)
        records += [(family * 10, story), (family * 10 + 1, with_words_changed(story, [40, 90]))]
        records.append((family * 10 + 2, " ".join(story.split()[100:200])))
    return records + [(1000 + i, invented_story(300 + i)) for i in range(20)]


_PRINT_EDGES = """
from tests.reuse.test_candidates import _family_corpus, verified
for pair in verified(_family_corpus()):
    print(pair)
"""


def test_edges_are_the_same_in_another_process() -> None:
    here = "".join(f"{pair}\n" for pair in verified(_family_corpus()))
    assert here.count("CandidatePair") >= 18  # every family found: 3 edges each
    output = subprocess.run(
        [sys.executable, "-c", _PRINT_EDGES],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parents[2],
        env={**os.environ, "PYTHONHASHSEED": "77"},
    ).stdout
    assert output == here


def test_bands_approximate_a_step_at_the_threshold() -> None:
    def found(similarity: float, bands: int, rows: int) -> float:
        return 1 - (1 - similarity**rows) ** bands

    for threshold in (0.5, 0.8, 0.9):
        bands, rows = choose_bands(threshold, 128)
        assert bands * rows <= 128
        assert found(threshold + 0.1, bands, rows) > 0.85
        assert found(threshold - 0.2, bands, rows) < 0.15
    assert choose_bands(0.9, 128)[1] > choose_bands(0.8, 128)[1] > choose_bands(0.5, 128)[1]


# -- buckets of near-identical pages ------------------------------------------------------------


def _template_pages(count: int) -> list[tuple[int, str]]:
    """One template with other figures: near-duplicates of each other, none an exact copy."""
    body = ("The Osterby exchange publishes this summary of trading every day after the close. Prices are in "
            "crowns and volumes in shares; figures are provisional until the exchange confirms them the next "
            "morning, and the exchange accepts no liability for decisions taken on the strength of them. "
            "Shares of the fictional Varde Shipping company closed at {price} crowns.")
    return [(i, body.format(price=f"{100 + i // 10}.{i % 10}")) for i in range(1, count + 1)]


def _components(pairs: list[tuple[int, int]]) -> int:
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for a, b in pairs:
        parent[find(a)] = find(b)
    return len({find(x) for x in list(parent)})


def _pairs(pages: list[tuple[int, str]]) -> tuple[list[tuple[int, int]], LSHIndex]:
    index = LSHIndex(excerpts=False)
    index.add_texts(pages)
    return index.candidate_pairs(), index


def test_a_bucket_past_the_bound_pairs_each_page_with_its_neighbours_and_stays_connected(
        monkeypatch: pytest.MonkeyPatch) -> None:
    pages = _template_pages(600)
    bounded, index = _pairs(pages)
    assert index.stats["largest_bucket"] > candidates.MAX_BUCKET and index.stats["bounded_buckets"] > 0
    assert _components(bounded) == 1 and {i for pair in bounded for i in pair} == {i for i, _ in pages}
    assert bounded == _pairs(list(pages))[0]  # the same neighbours every time
    monkeypatch.setattr(candidates, "MAX_BUCKET", 10**6)
    every, _ = _pairs(pages)
    assert set(bounded) < set(every) and len(bounded) * 10 < len(every)


def test_a_bucket_within_the_bound_pairs_every_page() -> None:
    pairs, index = _pairs(_template_pages(40))
    assert index.stats["bounded_buckets"] == 0 and len(pairs) == 40 * 39 // 2


def test_the_run_counts_the_buckets_it_bounded(tmp_path: Path) -> None:
    from sourcetrace.runner import RUN_STEPS, RunOptions, run_case
    from sourcetrace.store import CaseReader

    inputs = tmp_path / "in"
    inputs.mkdir()
    for i, text in _template_pages(300):
        (inputs / f"page-{i:03d}.txt").write_text(f"Trading summary {i}\n\n{text}\n", encoding="utf-8")
    copy_steps = RUN_STEPS[:RUN_STEPS.index(next(s for s in RUN_STEPS if s.name == "families")) + 1]
    run_case([inputs], tmp_path / "c.case", RunOptions(workers=1), steps=copy_steps)  # up to the families
    with CaseReader(tmp_path / "c.case") as reader:
        run = reader.last_run()
        families = reader.families()
    assert run is not None
    counted = next(step for step in run.steps if step.step == "candidates").counters
    assert counted["bounded_buckets"] > 0 and counted["largest_bucket"] > candidates.MAX_BUCKET
    assert len(families) == 1 and len(families[0].members) == 300  # one template: one family
