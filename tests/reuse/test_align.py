"""Words, sentences and aligned passages between two texts."""

from __future__ import annotations

import numpy as np

from sourcetrace.reuse.align import (
    align_sentences,
    covered_words,
    intact_share,
    prepare,
    sentence_passages,
    shingle_coverage,
    split_sentences,
    word_passages,
)

from .stories import EXACT_COPY, EXCERPT, NEAR_EXACT, ORIGINAL, REWRITE


def test_sentences_split_at_full_stops_and_blank_lines_but_not_at_abbreviations() -> None:
    text = 'Mr. Lamm met U.S. officials at 4 p.m. on Tuesday. "It went well," he said.\n\nA new paragraph'
    pieces = [text[s.start : s.end] for s in split_sentences(text)]
    assert pieces == [
        "Mr. Lamm met U.S. officials at 4 p.m. on Tuesday.",
        '"It went well," he said.',
        "A new paragraph",
    ]


def test_sentence_spans_are_offsets_into_the_text() -> None:
    prepared = prepare(ORIGINAL)
    assert len(prepared.sentences) >= 10
    for span in prepared.sentences:
        piece = ORIGINAL[span.start : span.end]
        assert piece == piece.strip() and piece


def test_quote_styles_dashes_case_and_line_breaks_do_not_change_the_words() -> None:
    assert prepare(EXACT_COPY).words == prepare(ORIGINAL).words
    assert prepare("Don\u2019t STOP\u2014now").words == prepare("don't stop - now").words


def test_word_offsets_point_at_the_words() -> None:
    prepared = prepare(EXACT_COPY)
    for i in (0, 17, prepared.word_count - 1):
        assert prepare(EXACT_COPY[prepared.word_starts[i] : prepared.word_ends[i]]).words == [prepared.words[i]]


def test_an_excerpt_is_covered_by_its_source_but_not_the_reverse() -> None:
    excerpt_cover, original_cover = shingle_coverage(prepare(EXCERPT), prepare(ORIGINAL))
    assert excerpt_cover == 1.0
    assert 0.2 < original_cover < 0.6


def test_spun_text_keeps_few_intact_sentences_while_an_edited_copy_keeps_most() -> None:
    original, near, spun = prepare(ORIGINAL), prepare(NEAR_EXACT), prepare(REWRITE)
    assert intact_share(near, covered_words(near, original)) > 0.7
    assert intact_share(spun, covered_words(spun, original)) < 0.2


def test_word_passages_align_equal_text_in_both() -> None:
    parent, derived = prepare(ORIGINAL), prepare(NEAR_EXACT)
    passages = word_passages(parent, derived)
    assert passages
    longest = max(passages, key=lambda p: p.end - p.start)
    assert longest.end - longest.start > len(NEAR_EXACT) // 2
    first = passages[0]
    parent_words = prepare(ORIGINAL[first.parent_start : first.parent_end]).words
    derived_words = prepare(NEAR_EXACT[first.start : first.end]).words
    assert parent_words[-5:] == derived_words[-5:]


def test_sentence_alignment_is_in_order_and_skips_weak_pairs() -> None:
    similarity = np.array([[0.9, 0.1, 0.0], [0.1, 0.2, 0.95], [0.0, 0.99, 0.1]])
    alignment = align_sentences(similarity, threshold=0.5)
    assert alignment.pairs in (((0, 0), (1, 2)), ((0, 0), (2, 1)))
    assert all(s >= 0.5 for s in alignment.similarities)
    assert align_sentences(similarity, threshold=0.999).pairs == ()


def test_consecutive_aligned_sentences_become_one_passage() -> None:
    text = prepare(ORIGINAL)
    passages = sentence_passages(text, text, [(0, 0), (1, 1), (2, 2), (5, 5)])
    assert len(passages) == 2
    assert passages[0].parent_start == text.sentences[0].start and passages[0].end == text.sentences[2].end
