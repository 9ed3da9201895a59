"""Classify a candidate pair: exact, near_exact, excerpt, rewrite, or not derived.

Word evidence first (cheap, exact): the share of each text's words that lie in
a word 5-gram the other also has (``coverage``, order-free).

* exact: the same normalised words (whitespace, case, punctuation and quote
  styles do not count);
* near_exact: each text covered at least :data:`NEAR_EXACT` by the other: the
  same article with a changed headline, sentence or typo;
* excerpt: the shorter text covered at least :data:`EXCERPT_PART`, the longer
  not: a run of paragraphs or a subset of sentences of the other.

Otherwise, sentence evidence (:func:`~sourcetrace.reuse.rewrites.rewrite_evidence`):
a rewrite has a close counterpart for most sentences of the shorter text
(:data:`REWRITE_COVERAGE` of its words), and when that rests on
:data:`FEW_SENTENCES` or fewer, they must be closer
(:data:`FEW_SENTENCES_SIMILARITY`). Independent reports of the same
event fail this even when they quote the same press conference: the shared
quotation is one or two sentences, the rest is told differently.

Scores (0..1): exact 1; near_exact the mean of both coverages; excerpt the
coverage of the part; rewrite the share of the shorter text's words in
sentences matched to the other, times their median similarity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sourcetrace.records import Passage, RelationKind
from sourcetrace.reuse.align import (
    PreparedText,
    covered_words,
    intact_share,
    prepare,
    sentence_passages,
    word_passages,
)
from sourcetrace.reuse.rewrites import (
    F32,
    RewriteEvidence,
    SentenceEmbedder,
    default_embedder,
    rewrite_evidence,
    rewritten_side,
    sentence_vectors,
)

# Changed with any rule that changes a pair's verdict: a case whose pairs another
# version verified verifies them all again (store.forget_verdicts_unless_verified_by).
VERIFIER_VERSION = "2026-12-01.unwrapped-sentence-vectors"
NEAR_EXACT = 0.7
EXCERPT_PART = 0.8
REWRITE_COVERAGE = 0.6
REWRITE_MIN_SENTENCES = 2
MIN_FIGURES = 3
FIGURES_KEPT = 0.7
INTACT = 0.6  # share of words in untouched sentences: local edits, not spinning
FEW_SENTENCES = 3  # a rewrite resting on this many matched sentences or fewer...
FEW_SENTENCES_SIMILARITY = 0.7  # ...needs this median similarity: two or three
# loosely similar sentences are what two reports of one event share


@dataclass(slots=True)
class PreparedSegment:
    """A segment's id and prepared text; sentence vectors made on first use."""

    id: int
    prepared: PreparedText
    _vectors: F32 | None = field(default=None, repr=False)

    @classmethod
    def of(cls, segment_id: int, text: str) -> PreparedSegment:
        return cls(segment_id, prepare(text))

    def vectors(self, embedder: SentenceEmbedder) -> F32:
        if self._vectors is None:
            self._vectors = sentence_vectors(self.prepared, embedder)
        return self._vectors


@dataclass(frozen=True, slots=True)
class PairVerdict:
    """A derived pair, undirected: ``passages`` give offsets in ``a`` as
    ``parent_start/parent_end`` and in ``b`` as ``start/end``."""

    a: int
    b: int
    kind: RelationKind
    score: float
    coverage_a: float  # share of a's words found in b
    coverage_b: float
    passages: tuple[Passage, ...]
    part: int | None = None  # excerpt: the segment that is the part
    rewritten: int | None = None  # rewrite: the segment that shows the rewriting, if it can be told


def classify_pair(
    a: PreparedSegment, b: PreparedSegment, embedder: SentenceEmbedder | None = None
) -> PairVerdict | None:
    """The verdict on ``a`` and ``b``, or None when neither derives from the other."""
    pa, pb = a.prepared, b.prepared
    if pa.word_count == 0 or pb.word_count == 0:
        return None
    if pa.words == pb.words:
        return PairVerdict(a.id, b.id, "exact", 1.0, 1.0, 1.0, _whole(pa, pb))
    covered_a, covered_b = covered_words(pa, pb), covered_words(pb, pa)
    cover_a, cover_b = float(covered_a.mean()), float(covered_b.mean())
    intact_a, intact_b = intact_share(pa, covered_a), intact_share(pb, covered_b)
    if min(cover_a, cover_b) >= NEAR_EXACT and min(intact_a, intact_b) >= INTACT:
        score = round((cover_a + cover_b) / 2, 4)
        return PairVerdict(a.id, b.id, "near_exact", score, cover_a, cover_b, word_passages(pa, pb))
    a_is_part = pa.word_count <= pb.word_count
    part, part_cover, part_intact = (a, cover_a, intact_a) if a_is_part else (b, cover_b, intact_b)
    if part_cover >= EXCERPT_PART and part_intact >= INTACT:
        return PairVerdict(
            a.id,
            b.id,
            "excerpt",
            round(part_cover, 4),
            cover_a,
            cover_b,
            word_passages(pa, pb),
            part=part.id,
        )
    return _rewrite_verdict(a, b, embedder or default_embedder())


def _rewrite_verdict(a: PreparedSegment, b: PreparedSegment, embedder: SentenceEmbedder) -> PairVerdict | None:
    pa, pb = a.prepared, b.prepared
    evidence = rewrite_evidence(pa, pb, a.vectors(embedder), b.vectors(embedder))
    shorter_is_a = pa.word_count <= pb.word_count
    coverage_short = evidence.coverage_a if shorter_is_a else evidence.coverage_b
    sentences_short = len(pa.sentences) if shorter_is_a else len(pb.sentences)
    if not is_rewrite(evidence, coverage_short, sentences_short) or not _figures_kept(pa, pb):
        return None
    passages = sentence_passages(pa, pb, evidence.pairs)
    score = round(coverage_short * evidence.median_similarity, 4)
    side = rewritten_side(pa, pb, embedder)
    rewritten = None if side is None else (a.id, b.id)[side]
    return PairVerdict(
        a.id,
        b.id,
        "rewrite",
        score,
        evidence.coverage_a,
        evidence.coverage_b,
        passages,
        rewritten=rewritten,
    )


def is_rewrite(evidence: RewriteEvidence, coverage_short: float, sentences_short: int) -> bool:
    """Whether sentence evidence makes a rewrite: most of the shorter text
    (``coverage_short`` of its words, in ``sentences_short`` sentences) has a
    counterpart, and few matched sentences must be close ones."""
    matched = len(evidence.pairs)
    if matched < min(REWRITE_MIN_SENTENCES, sentences_short) or coverage_short < REWRITE_COVERAGE:
        return False
    return matched > FEW_SENTENCES or evidence.median_similarity >= FEW_SENTENCES_SIMILARITY


def _figures_kept(a: PreparedText, b: PreparedText) -> bool:
    """Spinning keeps figures: most numbers of the text with fewer of them
    appear in the other. Reports of other events in the same template
    (results, prices) differ exactly there."""
    fewer, more = sorted((figures(a.text), figures(b.text)), key=len)
    return len(fewer) < MIN_FIGURES or len(fewer & more) / len(fewer) >= FIGURES_KEPT


_NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred"
).split()
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*|\b(?:" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE)


def figures(text: str) -> set[str]:
    """The numbers a text states, whole: "6.6" and "2,877,000" are one figure
    each (as words they would be "6", "6" and "2", "877", "000", which any
    other figures share), and so are numbers in words ("Pay May One",
    "six cts"), as wire formulas write the small ones."""
    return {figure.replace(",", "").lower() for figure in _FIGURE.findall(text)}


def _whole(a: PreparedText, b: PreparedText) -> tuple[Passage, ...]:
    return (
        Passage(
            int(a.word_starts[0]),
            int(a.word_ends[-1]),
            int(b.word_starts[0]),
            int(b.word_ends[-1]),
        ),
    )


KIND_RANK = {"exact": 3, "near_exact": 2, "excerpt": 1, "rewrite": 0}


def strength(verdict: PairVerdict) -> tuple[int, float]:
    """How close a verdict's pair is: its kind (exact first), then its score."""
    return KIND_RANK[verdict.kind], verdict.score


def oriented(verdict: PairVerdict, parent: int) -> tuple[Passage, ...]:
    """The verdict's passages with ``parent``'s offsets as ``parent_*``."""
    if parent == verdict.a:
        return verdict.passages
    return tuple(Passage(p.start, p.end, p.parent_start, p.parent_end) for p in verdict.passages)
