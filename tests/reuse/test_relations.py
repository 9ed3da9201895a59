"""Classifying a candidate pair into a kind of copy, or not derived."""

from __future__ import annotations

import re

import pytest

from sourcetrace.reuse.relations import (
    PairVerdict,
    PreparedSegment,
    classify_pair,
    figures,
    is_rewrite,
    oriented,
)
from sourcetrace.reuse.rewrites import RewriteEvidence

from .stories import (
    B_COPY,
    EXACT_COPY,
    EXCERPT,
    INDEPENDENT,
    NEAR_EXACT,
    ORIGINAL,
    REWRITE,
    STORY_B,
)


def verdict(a: str, b: str) -> PairVerdict | None:
    return classify_pair(PreparedSegment.of(1, a), PreparedSegment.of(2, b))


def test_the_same_text_in_other_quotes_and_line_breaks_is_an_exact_copy() -> None:
    result = verdict(ORIGINAL, EXACT_COPY)
    assert result is not None and result.kind == "exact" and result.score == 1.0


def test_a_copy_with_typos_and_a_changed_sentence_is_near_exact() -> None:
    result = verdict(ORIGINAL, NEAR_EXACT)
    assert result is not None and result.kind == "near_exact"
    assert 0.7 <= result.score < 1.0


def test_leading_paragraphs_are_an_excerpt_and_the_part_is_named() -> None:
    result = verdict(ORIGINAL, EXCERPT)
    assert result is not None and result.kind == "excerpt" and result.part == 2
    assert verdict(EXCERPT, ORIGINAL).part == 1  # type: ignore[union-attr]


def test_a_spun_copy_is_a_rewrite_and_the_spun_side_is_named() -> None:
    result = verdict(ORIGINAL, REWRITE)
    assert result is not None and result.kind == "rewrite" and result.rewritten == 2
    assert result.passages


def test_an_independent_report_quoting_the_same_press_conference_is_not_derived() -> None:
    assert verdict(ORIGINAL, INDEPENDENT) is None
    assert verdict(REWRITE, INDEPENDENT) is None


def test_unrelated_stories_are_not_derived() -> None:
    assert verdict(ORIGINAL, STORY_B) is None
    assert verdict(ORIGINAL, "") is None


def test_a_text_in_the_same_words_but_other_figures_is_not_a_rewrite() -> None:
    figures = iter(range(100, 10_000, 37))
    other_event = re.sub(r"\d[\d,]*", lambda _: str(next(figures)), REWRITE)
    assert verdict(ORIGINAL, other_event) is None


# Two dividend notices of one day: one formula, two companies' figures (invented).
NOTICE_A = "Qtly div 6.6 cts vs 6.9 cts prior\n    Pay April 30\n    Record April 15\n    NOTE: Harwick Insured Tax-Free Fund.\n"
NOTICE_B = "Qtly div 6.5 cts vs 6.8 cts prior\n    Pay April 30\n    Record April 15\n    NOTE: Lorne Insured Tax-Free Fund.\n"
NOTICE_IN_WORDS_A = "Qtly div four cts vs three cts prior\n    Pay May One\n    Record April 10\n"
NOTICE_IN_WORDS_B = "Qtly div six cts vs six cts prior\n    Pay May Eight\n    Record April 10\n"


def test_figures_are_whole_numbers_decimals_and_numbers_in_words() -> None:
    assert figures("Net 2,877,000 vs 1.36 mln, six cts a share, pay May One") == {"2877000", "1.36", "six", "one"}


@pytest.mark.parametrize(("a", "b"), [(NOTICE_A, NOTICE_B), (NOTICE_IN_WORDS_A, NOTICE_IN_WORDS_B)])
def test_two_notices_of_one_formula_with_other_figures_are_not_a_rewrite(a: str, b: str) -> None:
    # As words, "6.6" and "6.5" are "6", "6" and "6", "5": they would share every figure.
    assert verdict(a, b) is None


def test_a_notice_sent_again_with_the_same_figures_is_still_a_copy() -> None:
    resent = NOTICE_A.replace("Qtly div", "Quarterly dividend").replace("NOTE:", "Note: the fund's full name is")
    assert verdict(NOTICE_A, resent) is not None


@pytest.mark.parametrize("copy", [NEAR_EXACT, EXCERPT, REWRITE])
def test_passages_are_offsets_inside_both_texts(copy: str) -> None:
    result = verdict(ORIGINAL, copy)
    assert result is not None and result.passages
    for p in result.passages:
        assert 0 <= p.parent_start < p.parent_end <= len(ORIGINAL)
        assert 0 <= p.start < p.end <= len(copy)


def test_orienting_passages_swaps_the_sides() -> None:
    result = verdict(STORY_B, B_COPY)
    assert result is not None
    assert oriented(result, 1) == result.passages
    flipped = oriented(result, 2)
    assert [(p.start, p.end) for p in flipped] == [(p.parent_start, p.parent_end) for p in result.passages]


def evidence(similarities: list[float]) -> RewriteEvidence:
    pairs = tuple((k, k) for k in range(len(similarities)))
    return RewriteEvidence(pairs, tuple(similarities), 0.9, 0.9, 1.0)


def test_two_loosely_similar_sentences_are_what_two_reports_share_not_a_rewrite() -> None:
    # A short excerpt and another report of the event: two sentences at ~0.6.
    assert not is_rewrite(evidence([0.62, 0.64]), coverage_short=0.8, sentences_short=2)
    assert is_rewrite(evidence([0.8, 0.84]), coverage_short=0.8, sentences_short=2)


def test_many_matched_sentences_make_a_rewrite_at_a_lower_similarity() -> None:
    assert is_rewrite(evidence([0.62, 0.64, 0.6, 0.66, 0.63]), coverage_short=0.8, sentences_short=6)


def test_a_rewrite_must_cover_most_of_the_shorter_text() -> None:
    assert not is_rewrite(evidence([0.9, 0.9, 0.9, 0.9]), coverage_short=0.4, sentences_short=10)
