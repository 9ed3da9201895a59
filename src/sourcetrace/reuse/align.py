"""Aligned passages between two texts: word runs and sentences in order.

A text is prepared once (:func:`prepare`): its normalised words with their
character offsets, its sentences, and its word 5-gram shingles. Two
prepared texts are then compared cheaply:

* :func:`shingle_coverage` - the share of each text's words that lie in a
  5-gram shared with the other (order-free, so moved paragraphs still count);
* :func:`word_passages` - the runs of identical words in order (difflib's
  matching blocks), as :class:`~sourcetrace.records.Passage` offsets;
* :func:`align_sentences` - a monotone alignment of the two sentence lists
  under any sentence similarity (the rewrite test), and
  :func:`sentence_passages` to turn it into passages.

Normalisation matches :mod:`sourcetrace.reuse.shingles`: NFKC, case folding,
apostrophes deleted, every other non-word character a separator, so quote
styles, dashes and punctuation never make two copies differ.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from sourcetrace.records import Passage

SHINGLE_SIZE = 5
_WORD = re.compile(r"\w+(?:['\u2018\u2019\u02bc`]\w+)*")
_APOSTROPHES = {ord(c): None for c in "'\u2018\u2019\u02bc`"}
# A sentence ends at . ! ? (perhaps followed by closing quotes or brackets)
# before whitespace and an opening capital, digit or quote; and at blank lines.
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])|\n\s*\n")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Sen|Rep|Gov|Gen|Col|Lt|Sgt|Capt|Jr|Sr|Inc|Corp|Co|Ltd|No|vs|etc|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|[A-Z])|\b(?:[a-zA-Z]\.){1,3}[a-zA-Z])\.$"
)
MIN_PASSAGE_WORDS = 4


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


@dataclass(slots=True)
class PreparedText:
    """A text's words (normalised, with offsets), sentences and shingles."""

    text: str
    words: list[str]
    word_starts: npt.NDArray[np.int64]
    word_ends: npt.NDArray[np.int64]
    sentences: list[Span]  # character spans
    sentence_words: list[tuple[int, int]]  # word index range of each sentence
    _shingles: dict[tuple[str, ...], int] | None = field(default=None, repr=False)

    @property
    def word_count(self) -> int:
        return len(self.words)

    def sentence_text(self, index: int) -> str:
        span = self.sentences[index]
        return self.text[span.start : span.end]

    def shingles(self) -> dict[tuple[str, ...], int]:
        """Each distinct word 5-gram and the position of its first word."""
        if self._shingles is None:
            self._shingles = {}
            for position, shingle in enumerate(_shingle_tuples(self.words)):
                self._shingles.setdefault(shingle, position)
        return self._shingles


def normalise_word(word: str) -> str:
    if word.isascii():
        return word.lower().replace("'", "").replace("`", "")
    return unicodedata.normalize("NFKC", word).casefold().translate(_APOSTROPHES)


def prepare(text: str) -> PreparedText:
    matches = list(_WORD.finditer(text))
    words = [normalise_word(m.group()) for m in matches]
    starts = np.fromiter((m.start() for m in matches), dtype=np.int64, count=len(matches))
    ends = np.fromiter((m.end() for m in matches), dtype=np.int64, count=len(matches))
    sentences = split_sentences(text)
    first_words = np.searchsorted(starts, [s.start for s in sentences], side="left")
    last_words = np.searchsorted(starts, [s.end for s in sentences], side="left")
    sentence_words = list(zip(first_words.tolist(), last_words.tolist()))
    return PreparedText(text, words, starts, ends, sentences, sentence_words)


def split_sentences(text: str) -> list[Span]:
    """Sentence spans (stripped of surrounding space) of ``text``; a span
    without any word character is dropped."""
    spans: list[Span] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        boundary = match.start() + 1 if text[match.start()] in ".!?" else match.start()
        if text[match.start()] == "." and _ABBREVIATION.search(
            text[max(start, match.start() - 12) : match.start() + 1]
        ):
            continue  # "Mr. Smith", "U.S. officials", "J. Smith"
        end = match.end() if text[match.start()] in ".!?" else boundary
        _add_span(text, start, end, spans)
        start = end
    _add_span(text, start, len(text), spans)
    return spans


def _add_span(text: str, start: int, end: int, spans: list[Span]) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped or not re.search(r"\w", stripped):
        return
    left = start + (len(piece) - len(piece.lstrip()))
    spans.append(Span(left, left + len(stripped)))


def _shingle_tuples(words: Sequence[str]) -> list[tuple[str, ...]]:
    if not words:
        return []
    if len(words) < SHINGLE_SIZE:
        return [tuple(words)]
    return [tuple(words[i : i + SHINGLE_SIZE]) for i in range(len(words) - SHINGLE_SIZE + 1)]


def covered_words(text: PreparedText, other: PreparedText) -> npt.NDArray[np.bool_]:
    """Which of ``text``'s words lie inside a 5-gram that ``other`` also has."""
    covered = np.zeros(text.word_count, dtype=bool)
    theirs = other.shingles()
    width = min(SHINGLE_SIZE, text.word_count)
    for shingle, position in _positions(text):
        if shingle in theirs:
            covered[position : position + width] = True
    return covered


def _positions(text: PreparedText) -> list[tuple[tuple[str, ...], int]]:
    return [(shingle, i) for i, shingle in enumerate(_shingle_tuples(text.words))]


def shingle_coverage(a: PreparedText, b: PreparedText) -> tuple[float, float]:
    """(share of a's words covered by shingles shared with b, and b's by a's)."""
    if a.word_count == 0 or b.word_count == 0:
        return 0.0, 0.0
    return float(covered_words(a, b).mean()), float(covered_words(b, a).mean())


def intact_share(text: PreparedText, covered: npt.NDArray[np.bool_], at_least: float = 0.9) -> float:
    """Share of ``text``'s words in sentences that are (nearly) all covered:
    high for a copy with a few local edits, low for a spun copy, whose
    changes are spread over every sentence."""
    if text.word_count == 0:
        return 0.0
    intact = sum(
        last - first for first, last in text.sentence_words if last > first and covered[first:last].mean() >= at_least
    )
    return intact / text.word_count


def word_passages(
    parent: PreparedText, derived: PreparedText, min_words: int = MIN_PASSAGE_WORDS
) -> tuple[Passage, ...]:
    """Runs of identical words in order, gaps of up to 3 words bridged (a
    typo, a changed figure), as character offsets in each text."""
    matcher = difflib.SequenceMatcher(None, parent.words, derived.words, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size > 0]
    merged: list[list[int]] = []  # [parent_first, parent_last, derived_first, derived_last] word indices
    for block in blocks:
        p_last, d_last = block.a + block.size - 1, block.b + block.size - 1
        if merged and block.a - merged[-1][1] <= 4 and block.b - merged[-1][3] <= 4:
            merged[-1][1], merged[-1][3] = p_last, d_last
        else:
            merged.append([block.a, p_last, block.b, d_last])
    short_text = min(parent.word_count, derived.word_count)
    return tuple(
        Passage(
            int(parent.word_starts[p0]),
            int(parent.word_ends[p1]),
            int(derived.word_starts[d0]),
            int(derived.word_ends[d1]),
        )
        for p0, p1, d0, d1 in merged
        if d1 - d0 + 1 >= min(min_words, short_text)
    )


# --- sentences --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SentenceAlignment:
    """Pairs (i, j) of aligned sentences, in order in both texts, and each
    pair's similarity."""

    pairs: tuple[tuple[int, int], ...]
    similarities: tuple[float, ...]


def align_sentences(similarity: npt.NDArray[np.float64], threshold: float) -> SentenceAlignment:
    """The monotone alignment maximising the summed similarity of pairs at or
    above ``threshold`` (dynamic programming, like a weighted longest common
    subsequence). ``similarity`` is (sentences of a, sentences of b)."""
    rows, cols = similarity.shape
    gain = np.where(similarity >= threshold, similarity, 0.0)
    best = np.zeros((rows + 1, cols + 1))
    for i in range(1, rows + 1):
        row_gain = gain[i - 1]
        for j in range(1, cols + 1):
            take = best[i - 1, j - 1] + row_gain[j - 1] if row_gain[j - 1] > 0 else 0.0
            best[i, j] = max(best[i - 1, j], best[i, j - 1], take)
    pairs: list[tuple[int, int]] = []
    i, j = rows, cols
    while i > 0 and j > 0:
        if gain[i - 1, j - 1] > 0 and best[i, j] == best[i - 1, j - 1] + gain[i - 1, j - 1]:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif best[i, j] == best[i - 1, j]:
            i -= 1
        else:
            j -= 1
    pairs.reverse()
    return SentenceAlignment(tuple(pairs), tuple(float(similarity[p]) for p in pairs))


def sentence_passages(
    parent: PreparedText, derived: PreparedText, pairs: Sequence[tuple[int, int]]
) -> tuple[Passage, ...]:
    """Aligned sentence pairs ``(parent sentence, derived sentence)``, runs of
    consecutive pairs merged into one passage."""
    merged: list[list[int]] = []
    for p, d in sorted(pairs, key=lambda pair: pair[1]):
        if merged and p == merged[-1][1] + 1 and d == merged[-1][3] + 1:
            merged[-1][1], merged[-1][3] = p, d
        else:
            merged.append([p, p, d, d])
    return tuple(
        Passage(
            parent.sentences[p0].start,
            parent.sentences[p1].end,
            derived.sentences[d0].start,
            derived.sentences[d1].end,
        )
        for p0, p1, d0, d1 in merged
    )


def words_in(text: PreparedText, sentence_indices: Sequence[int]) -> int:
    return sum(text.sentence_words[i][1] - text.sentence_words[i][0] for i in set(sentence_indices))


SimilarityFunction = Callable[[PreparedText, PreparedText], npt.NDArray[np.float64]]
