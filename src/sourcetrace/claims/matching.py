"""Which sentences state a claim's proposition, and which segments to look in.

**Candidates** (:class:`KeyIndex`): a segment is looked at for a claim only
when it carries one of the claim's predicate keys and at least two of its
terms (all of them for a one-term claim). That test depends only on the
claim and the segment, so the inverted index over keys that finds the pairs
finds the same ones however the case was built up, and a run assesses only
pairs it has not assessed before.

**Same proposition, not same topic** (:func:`matching_sentences`): a sentence
states the claim when it carries the claim's predicate and most of its
other content, the claim's names being allowed anywhere before it in the
segment (news names the place once and then says "the camps"). The
sentence-embedding cosine (WordLlama) lowers the share of content needed
for paraphrases, never replaces the predicate: two sentences on the same
topic ("cotton from Xinjiang", "Xinjiang's camps") share names and topic
words but not what is asserted of them.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from sourcetrace.claims.cues import CONTEST_PHRASES, CONTEST_VERBS, NEGATIONS, first_phrase
from sourcetrace.claims.propositions import Proposition, Term
from sourcetrace.claims.terms import Word, sentences, words
from sourcetrace.reuse.rewrites import SentenceEmbedder

MIN_COVERAGE = 0.67  # weighted share of the claim's terms a sentence must carry...
PARAPHRASE_COVERAGE = 0.45  # ...or this share, when the sentence is close in meaning:
PARAPHRASE_COSINE = 0.62  # WordLlama cosine of claim and sentence
FOLLOW_UP_COVERAGE = 0.34  # a denial just after a sentence that stated the claim ("the hospital was not shelled")...
FOLLOW_UP_SENTENCES = 2  # ...within this many sentences
PREDICATE_WEIGHT = 2.0  # what is asserted counts more than who and where
NAME_WEIGHT = 0.5  # names say what a claim is about, not what it asserts: they count less
MIN_ANSWER_TERMS = 1  # content terms a dismissal must name ("the pushback reports")
MIN_CANDIDATE_TERMS = 2  # terms (the predicate's among them) a segment must share with a claim to be assessed for it
ANSWER_KEY = "#answer"  # indexed for segments holding a dismissal, which may name a claim in a few words
# Words for a claim as something said: a dismissal aims at one of them.
CLAIM_NOUNS = frozenset("""accusation accusations allegation allegations claim claims report reports story stories
charge charges rumours rumors assertions account accounts""".split())


@dataclass(frozen=True, slots=True)
class SentenceMatch:
    """A sentence that states a claim's proposition, with the words that carry it."""

    start: int  # the sentence, in the segment's text
    end: int
    anchors: tuple[tuple[int, int], ...]  # spans of the words carrying the claim's terms, predicate first
    coverage: float  # share of the claim's terms carried
    cosine: float


@dataclass(frozen=True, slots=True)
class SentenceWords:
    """A segment's sentences with their words: what matching reads."""

    spans: tuple[tuple[int, int], ...]
    words: tuple[tuple[Word, ...], ...]


def segment_sentences(text: str) -> SentenceWords:
    spans = tuple(sentences(text))
    return SentenceWords(spans, tuple(tuple(words(text, start, end)) for start, end in spans))


def matching_sentences(claim: Proposition, segment: SentenceWords, claim_vector: np.ndarray | None,
                       sentence_vectors: np.ndarray | None) -> list[SentenceMatch]:
    """The sentences of a segment that state ``claim``, in text order.

    A name counts wherever it appears up to the sentence's end; other content, in the sentence
    or the one before it (news says "the camps" once the camps were named); the predicate must
    be in the sentence itself."""
    total = sum(_weight(t) for t in claim.terms) or 1.0
    seen_keys: set[str] = set()
    before: set[str] = set()
    stated = -FOLLOW_UP_SENTENCES - 1  # the last sentence that stated the claim
    found = []
    for index, ((start, end), sentence) in enumerate(zip(segment.spans, segment.words)):
        here = {k for w in sentence for k in w.keys}
        verbal = {k for w in sentence if not w.is_agent_noun for k in w.keys}
        seen_keys |= here
        near = here | before
        before = here
        named_elsewhere = _names_others(claim, sentence)
        carried = [t for t in claim.terms
                   if t.keys & ((here if named_elsewhere else seen_keys) if t.is_name else near)]
        share = sum(_weight(t) for t in carried) / total
        cosine = _cosine(claim_vector, sentence_vectors, index)
        follows = index - stated <= FOLLOW_UP_SENTENCES and _denies(sentence)
        other_names = named_elsewhere and any(t.is_name for t in claim.terms) and not any(
            t.keys & here for t in claim.terms if t.is_name)  # "in Dorna" for a claim about Korvo: another event
        if other_names:
            continue
        if _states(claim, here, verbal, share, cosine, follows) or _answers_it(claim, sentence, carried):
            stated = index
            found.append(SentenceMatch(start, end, _anchors(claim, sentence), round(share, 3), round(cosine, 3)))
    return found


_PLACE_WORDS = frozenset({"in", "at", "near", "outside", "from", "into"})  # a name after them is a place


def _names_others(claim: Proposition, sentence: Sequence[Word]) -> bool:
    """The sentence names a place the claim does not ("in Dorna"): then names from earlier in the
    segment do not count for it, and it needs one of the claim's own ("in Dorna, troops shelled the
    farms" is not about Korvo because Korvo was named before). Speakers' names do not count."""
    mine = claim.keys
    return any(w.is_name and w.keys and not w.keys & mine and before.text.lower() in _PLACE_WORDS
               for before, w in pairwise(sentence))


def _weight(term: Term) -> float:
    return term.weight * (NAME_WEIGHT if term.is_name else PREDICATE_WEIGHT if term.is_predicate else 1.0)


def _states(claim: Proposition, here: set[str], verbal: set[str], share: float, cosine: float,
            follows: bool) -> bool:
    """The sentence carries the claim's predicate (all of it: "forced" and "labour"; a verb not
    as a noun for who: "detainees") and most of the rest; less when close in meaning, or when it
    denies what a sentence just before stated ("there is no evidence the hospital was shelled")."""
    predicate = claim.predicate
    carried = sum(1 for t in predicate if t.keys & (verbal if t.verbal else here))
    if not carried or carried < (len(predicate) if len(predicate) <= 2 else 2 * len(predicate) / 3):
        return False
    if follows and share >= FOLLOW_UP_COVERAGE:
        return True
    return share >= MIN_COVERAGE or (share >= PARAPHRASE_COVERAGE and cosine >= PARAPHRASE_COSINE)


def _denies(sentence: Sequence[Word]) -> bool:
    """A negation, a denial or a word of untruth in the sentence."""
    lowered = {w.text.lower() for w in sentence}
    text = " ".join(w.text for w in sentence)
    return bool(lowered & (NEGATIONS | CONTEST_VERBS)) or first_phrase(CONTEST_PHRASES, text) is not None


def _answers_it(claim: Proposition, sentence: Sequence[Word], carried: Sequence[Term]) -> bool:
    """A dismissal that names the claim in a few words: "called the pushback reports lies",
    "dismissed the accusations about Dorna as slander". It needs a word for a claim (reports,
    accusations...) and one for untruth or denial, the claim's names, and some of its content."""
    named = [t for t in carried if t.is_name]
    content = [t for t in carried if not t.is_name]
    if not sentence or (any(t.is_name for t in claim.terms) and not named) or len(content) < MIN_ANSWER_TERMS:
        return False
    lowered = {w.text.lower() for w in sentence}
    if not lowered & CLAIM_NOUNS:
        return False
    text = " ".join(w.text for w in sentence)
    return bool(lowered & CONTEST_VERBS) or first_phrase(CONTEST_PHRASES, text) is not None


def _cosine(claim_vector: np.ndarray | None, sentence_vectors: np.ndarray | None, index: int) -> float:
    if claim_vector is None or sentence_vectors is None:
        return 0.0
    return float(claim_vector @ sentence_vectors[index])


def _anchors(claim: Proposition, sentence: Sequence[Word]) -> tuple[tuple[int, int], ...]:
    """Spans of the sentence's words that carry claim terms: predicate words first."""
    predicate = claim.predicate
    first = [(w.start, w.end) for w in sentence if any(t.keys & w.keys for t in predicate)]
    rest = [(w.start, w.end) for w in sentence if (w.start, w.end) not in first
            and any(t.keys & w.keys for t in claim.terms)]
    return tuple(first + rest)


def embed_sentences(embedder: SentenceEmbedder, text: str, segment: SentenceWords) -> np.ndarray:
    return embedder.embed([text[start:end] for start, end in segment.spans])


class KeyIndex:
    """Segments by the keys they carry: which segments a claim may be stated in."""

    def __init__(self) -> None:
        self._segments: dict[str, list[int]] = defaultdict(list)

    def add(self, segment: int, keys: Iterable[str]) -> None:
        for key in set(keys):
            self._segments[key].append(segment)

    def candidates(self, claim: Proposition) -> list[int]:
        """Segments carrying the claim's predicate and MIN_CANDIDATE_TERMS of its terms (all, for
        a shorter claim); or a dismissal, one of the claim's names and one term more than that."""
        def holding(term: Term) -> set[int]:
            return {s for k in term.keys for s in self._segments.get(k, ())}

        with_predicate = {s for t in claim.predicate for s in holding(t)}
        answering = set(self._segments.get(ANSWER_KEY, ())) - with_predicate
        if answering and any(t.is_name for t in claim.terms):
            answering &= {s for t in claim.terms if t.is_name for s in holding(t)}
        else:
            answering = set()
        hits: Counter[int] = Counter()
        for term in claim.terms:
            hits.update(holding(term) & (with_predicate | answering))
        needed = min(MIN_CANDIDATE_TERMS, len(claim.terms))
        return sorted(s for s, n in hits.items() if n >= (needed + 1 if s in answering else needed))


def index_keys(text: str) -> set[str]:
    """What a segment is indexed under: its words' keys, and ANSWER_KEY when a sentence of it
    could be a dismissal (a word for a claim and one for untruth or denial)."""
    found = {k for w in words(text) for k in w.keys}
    lowered = set(re.findall(r"[a-z]+", text.lower()))
    if lowered & CLAIM_NOUNS and (lowered & CONTEST_VERBS or first_phrase(CONTEST_PHRASES, text) is not None):
        found.add(ANSWER_KEY)
    return found
