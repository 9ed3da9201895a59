"""A text explains a copy only if it holds every passage of the origin the copy has (reuse/explains.py)."""

from __future__ import annotations

import itertools

from sourcetrace.records import Passage, SegmentForReuse
from sourcetrace.reuse.explains import MIN_UNEXPLAINED_WORDS, drop_unexplaining, uncovered, unexplained_words
from sourcetrace.reuse.families import CopyGraph, build_families
from sourcetrace.reuse.relations import PairVerdict, PreparedSegment, classify_pair

from .stories import ORIGINAL, REWRITE


def test_uncovered_keeps_what_no_covering_span_reaches() -> None:
    assert uncovered([(0, 10), (20, 30)], [(2, 4), (6, 12), (25, 40)]) == [(0, 2), (4, 6), (20, 25)]
    assert uncovered([(0, 10)], []) == [(0, 10)]
    assert uncovered([(0, 10)], [(0, 10)]) == []


def _verdict(a: int, b: int, score: float, b_spans: list[tuple[int, int]]) -> PairVerdict:
    """A rewrite verdict whose passages cover ``b_spans`` of b (a's offsets mirror them)."""
    passages = tuple(Passage(start, end, start, end) for start, end in b_spans)
    return PairVerdict(a, b, "rewrite", score, 0.9, 0.9, passages)


COPY_TEXT = " ".join(f"word{i}" for i in range(40))
TEN = len(" ".join(COPY_TEXT.split()[:10]))  # where the copy's first ten words end


def _word_spans(text: str, size: int) -> list[tuple[int, int]]:
    """``text`` cut into passages of ``size`` words (as sentence pairs would be)."""
    starts = [i for i, c in enumerate(text) if c != " " and (i == 0 or text[i - 1] == " ")]
    ends = [i + 1 for i, c in enumerate(text) if c != " " and (i + 1 == len(text) or text[i + 1] == " ")]
    return [(starts[i], ends[min(i + size, len(ends)) - 1]) for i in range(0, len(starts), size)]


def test_passages_shared_with_the_origin_that_the_parent_does_not_have_are_counted_in_the_copy_s_words() -> None:
    to_origin = _verdict(1, 3, 0.7, _word_spans(COPY_TEXT, 10))  # four passages of ten words
    to_parent = _verdict(2, 3, 0.8, [(0, TEN)])  # the first of them, and not the rest
    assert unexplained_words(COPY_TEXT, to_origin, to_parent, copy=3) == 30
    assert unexplained_words(COPY_TEXT, to_parent, to_origin, copy=3) == 0


def test_the_gaps_between_a_word_alignment_s_passages_are_not_missing_text() -> None:
    to_origin = _verdict(1, 3, 0.7, _word_spans(COPY_TEXT, 10))
    words = _word_spans(COPY_TEXT, 1)
    short_gaps = [span for i, span in enumerate(words) if i % 10 not in (4, 5, 6, 7)]  # gaps of 4 words
    assert unexplained_words(COPY_TEXT, to_origin, _verdict(2, 3, 0.8, short_gaps), copy=3) == 0
    long_gaps = [span for i, span in enumerate(words) if i % 10 not in (3, 4, 5, 6, 7)]  # gaps of 5
    assert unexplained_words(COPY_TEXT, to_origin, _verdict(2, 3, 0.8, long_gaps), copy=3) == 20


def test_only_parents_lacking_enough_of_the_origin_are_dropped_and_the_closer_ones_named() -> None:
    to_origin = _verdict(1, 3, 0.7, _word_spans(COPY_TEXT, 10))
    lacking = _verdict(2, 3, 0.8, [(0, TEN)])
    nearly = _verdict(4, 3, 0.75, [(0, _word_spans(COPY_TEXT, 1)[35][1])])  # lacks 4 of the last passage's 10 words
    weaker = _verdict(5, 3, 0.6, [(0, TEN)])
    parents_of = {3: [(2, lacking), (4, nearly), (1, to_origin), (5, weaker)]}
    removed = drop_unexplaining(parents_of, 1, texts={3: COPY_TEXT})
    assert [parent for parent, _ in parents_of[3]] == [4, 1]
    assert removed.parents == {3: [2]} and removed.anchor == 1  # 5 was dropped too, but it was never closer than the origin


def test_without_a_verdict_with_the_origin_nothing_is_judged() -> None:
    parents_of = {3: [(2, _verdict(2, 3, 0.8, [(0, 5)]))]}
    assert drop_unexplaining(parents_of, 1, texts={3: COPY_TEXT}).parents == {}
    assert len(parents_of[3]) == 1


def test_what_the_copy_shares_with_another_copy_but_not_the_origin_rules_out_nothing() -> None:
    to_origin = _verdict(1, 3, 0.7, [(0, len(COPY_TEXT) // 2)])  # the other half: spun past matching
    sibling = _verdict(2, 3, 0.8, [(0, len(COPY_TEXT))])
    parents_of = {3: [(2, sibling), (1, to_origin)]}
    assert drop_unexplaining(parents_of, 1, texts={3: COPY_TEXT}).parents == {}
    assert [parent for parent, _ in parents_of[3]] == [2, 1]


def test_an_exact_copy_keeps_every_possible_parent() -> None:
    exact = PairVerdict(2, 3, "exact", 1.0, 1.0, 1.0, (Passage(0, TEN, 0, TEN),))
    parents_of = {3: [(2, exact), (1, _verdict(1, 3, 0.7, [(0, len(COPY_TEXT))]))]}
    assert drop_unexplaining(parents_of, 1, texts={3: COPY_TEXT}).parents == {}


# -- in a family -------------------------------------------------------------------------------

PARAGRAPHS = ORIGINAL.split("\n\n")
SPUN = REWRITE.split("\n\n")
O_ID, P_ID, C_ID, CHAIN_ID = 1000, 2000, 3000, 4000
# Two rewrites of the origin by one spinner: P dropped the farmers' paragraph, C the opposition's.
P_TEXT = "\n\n".join(p for i, p in enumerate(SPUN) if i != 4)
C_TEXT = "\n\n".join(p for i, p in enumerate(SPUN) if i != 6).replace("Roughly 2,300", "Nearly 2,300")
# A copy made from P: it lacks what P lacks.
CHAIN_TEXT = P_TEXT.replace("Technicians unfastened", "Workers unfastened").replace("torrential", "heavy")


def _family_graph() -> tuple[CopyGraph, dict[tuple[int, int], PairVerdict]]:
    dated = {O_ID: (ORIGINAL, "2024-03-03T08:00:00"), P_ID: (P_TEXT, "2024-03-03T10:00:00"),
             C_ID: (C_TEXT, "2024-03-03T12:00:00"), CHAIN_ID: (CHAIN_TEXT, "2024-03-03T13:00:00")}
    segments = {i: SegmentForReuse(i, text, i // 1000, when) for i, (text, when) in dated.items()}
    prepared = [PreparedSegment.of(i, s.text) for i, s in segments.items()]
    verdicts = [v for a, b in itertools.combinations(prepared, 2) if (v := classify_pair(a, b)) is not None]
    return build_families(segments, verdicts, lambda a, b: True), {(v.a, v.b): v for v in verdicts}


def test_a_rewrite_closer_to_a_sibling_rewrite_hangs_under_the_origin_whose_passage_only_it_shares() -> None:
    graph, verdicts = _family_graph()
    assert verdicts[(P_ID, C_ID)].score > verdicts[(O_ID, C_ID)].score  # closer to the sibling, by its words
    [family] = graph.families
    members = {m.segment: m for m in family.members}
    assert family.origin == O_ID
    spun = members[C_ID]
    assert (spun.parent, spun.parent_basis) == (O_ID, "evidence")
    assert f"#{P_ID}" in (spun.parent_evidence or "") and f"lacks a passage this copy shares with #{O_ID}" in (spun.parent_evidence or "")


def test_a_copy_made_from_a_rewrite_stays_under_that_rewrite() -> None:
    graph, _ = _family_graph()
    [family] = graph.families
    members = {m.segment: m for m in family.members}
    assert members[CHAIN_ID].parent == P_ID and members[P_ID].parent == O_ID


def test_one_missing_passage_shorter_than_the_minimum_rules_nothing_out() -> None:
    size = MIN_UNEXPLAINED_WORDS - 1
    passages = _word_spans(COPY_TEXT, size)
    to_origin = _verdict(1, 3, 0.7, passages)
    lacks_one = _verdict(2, 3, 0.8, passages[1:])
    lacks_two = _verdict(4, 3, 0.8, passages[2:])
    parents_of = {3: [(2, lacks_one), (4, lacks_two), (1, to_origin)]}
    assert drop_unexplaining(parents_of, 1, texts={3: COPY_TEXT}).parents == {}  # 4 is after a kept parent
    assert [parent for parent, _ in parents_of[3]] == [2, 1]
