"""Which sentences state a claim's proposition, and which segments to look in.

**Candidates** (:class:`KeyIndex`): a segment is looked at for a claim only
when it carries one of the claim's predicate keys and at least two of its
terms (all of them for a one-term claim); or when it holds a dismissal that
names the claim near its word for a claim (the keys near such words are
indexed too), or says something is unexplained and holds a name and three
terms. That test depends only on the
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

from sourcetrace.claims.cues import CONTEST_PHRASES, CONTEST_VERBS, NEGATIONS, UNEXPLAINED_PHRASES, first_phrase
from sourcetrace.claims.propositions import Proposition, Term
from sourcetrace.claims.terms import Word, sentences, words
from sourcetrace.reuse.rewrites import SentenceEmbedder

# Two thirds (0.67 rejected exactly two thirds): weighted share of the claim's terms a sentence must carry...
MIN_COVERAGE = 0.665
PARAPHRASE_COVERAGE = 0.45  # ...or this share, when the sentence is close in meaning:
PARAPHRASE_COSINE = 0.62  # WordLlama cosine of claim and sentence
FRAMED_COVERAGE = 0.45  # a sentence that denies, negates or asks whether needs this share
_ASKING_WORDS = frozenset({"whether"})
FOLLOW_UP_COVERAGE = 0.34  # a denial just after a sentence that stated the claim ("the hospital was not shelled")...
FOLLOW_UP_SENTENCES = 2  # ...within this many sentences
PREDICATE_WEIGHT = 2.0  # what is asserted counts more than who and where
NAME_WEIGHT = 0.5  # names say what a claim is about, not what it asserts: they count less
MIN_ANSWER_TERMS = 2  # terms a dismissal must name, unless one is a name or the predicate ("the Sefra reports")
MIN_UNEXPLAINED_TERMS = 3  # terms (a name among them) a segment saying something is unexplained must share
MIN_CANDIDATE_TERMS = 2  # terms (the predicate's among them) a segment must share with a claim to be assessed for it
MIN_MODEL_TERMS = 2  # terms of any kind a segment must share with a claim for the claims model to judge it
MATTER_COVERAGE = 0.6  # share of the non-predicate terms a sentence on the claim's matter, said unexplained, carries
UNEXPLAINED_KEY = "#unexplained"  # indexed for segments with such a phrase
ANSWER_PREFIX = "#answer:"  # indexes the keys near the word for a claim in a dismissal ("called the Sefra reports lies")
# Words for a claim as something said: a dismissal aims at one of them.
CLAIM_NOUNS = frozenset("""accusation accusations allegation allegations claim claims report reports story stories
charge charges rumours rumors assertions account accounts talk images footage video videos photos pictures post
posts""".split())
ANSWER_WINDOW = (3, 6)  # a dismissal names the claim within this many words before and after "reports", "claims"...


@dataclass(frozen=True, slots=True)
class SentenceMatch:
    """A sentence that states a claim's proposition, with the words that carry it."""

    start: int  # the sentence, in the segment's text
    end: int
    anchors: tuple[tuple[int, int], ...]  # spans of the words carrying the claim's terms, predicate first
    coverage: float  # share of the claim's terms carried
    cosine: float
    predicate_words: int = 0  # how many of the anchors carry the predicate (they come first)
    unexplained: str | None = None  # the claim's matter without its predicate, said to be unexplained: this cue


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
    total = sum(term_weight(t) for t in claim.terms) or 1.0
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
        named_elsewhere = names_another_place(claim, sentence)
        carried = [t for t in claim.terms
                   if t.keys & ((here if named_elsewhere else seen_keys) if t.is_name else near)]
        share = sum(term_weight(t) for t in carried) / total
        cosine = _cosine(claim_vector, sentence_vectors, index)
        denies = _denies(sentence)
        frames = denies or any(w.text.lower() in _ASKING_WORDS for w in sentence)
        follows = index - stated <= FOLLOW_UP_SENTENCES and denies
        other_names = named_elsewhere and any(t.is_name for t in claim.terms) and not any(
            t.keys & here for t in claim.terms if t.is_name)  # "in Dorna" for a claim about Korvo: another event
        if other_names:
            continue
        if _states(claim, here, verbal, share, cosine, follows, frames) or _answers_it(claim, sentence, carried):
            stated = index
            anchors, predicate_words = _anchors(claim, sentence)
            found.append(SentenceMatch(start, end, anchors, round(share, 3), round(cosine, 3), predicate_words))
        elif (cue := _unexplained(claim, sentence, carried)) is not None:
            anchors, _ = _anchors(claim, sentence)
            found.append(SentenceMatch(start, end, anchors, round(share, 3), round(cosine, 3), 0, cue))
    return found


_PLACE_WORDS = frozenset({"in", "at", "near", "outside", "from", "into"})  # a name after them is a place


def names_another_place(claim: Proposition, sentence: Sequence[Word]) -> bool:
    """The sentence names a place the claim does not ("in Dorna"): then names from earlier in the
    segment do not count for it, and it needs one of the claim's own ("in Dorna, troops shelled the
    farms" is not about Korvo because Korvo was named before). Speakers' names do not count."""
    mine = claim.keys
    return any(w.is_name and w.keys and not w.keys & mine and before.text.lower() in _PLACE_WORDS
               for before, w in pairwise(sentence))


def content_terms(claim: Proposition) -> tuple[Term, ...]:
    """What the claim says was done, and to what: its terms other than names and who did it. The
    claims model judges only a sentence carrying one of them ("the mayor" of "kidnapped the mayor
    of Tesk"): sharing who and where is a topic in common, never a claim."""
    return tuple(t for t in claim.terms if not t.is_name and not t.keys & claim.agent_keys)


def term_weight(term: Term) -> float:
    return term.weight * (NAME_WEIGHT if term.is_name else PREDICATE_WEIGHT if term.is_predicate else 1.0)


def _states(claim: Proposition, here: set[str], verbal: set[str], share: float, cosine: float,
            follows: bool, frames: bool) -> bool:
    """The sentence carries the claim's predicate (all of it: "forced" and "labour"; a verb not
    as a noun for who: "detainees") and most of the rest; less when close in meaning, when it
    denies or asks ("the Korr government denied cutting off internet access", "asked whether
    documents had been destroyed": a denial or a question names the act and leaves out the who,
    where and when), least when it denies what a sentence just before stated
    ("there is no evidence the hospital was shelled")."""
    predicate = claim.predicate
    carried = sum(1 for t in predicate if t.keys & (verbal if t.verbal else here))
    if not carried or carried < (len(predicate) if len(predicate) <= 2 else 2 * len(predicate) / 3):
        return False
    if follows and share >= FOLLOW_UP_COVERAGE:
        return True
    if frames and share >= FRAMED_COVERAGE:
        return True
    return share >= MIN_COVERAGE or (share >= PARAPHRASE_COVERAGE and cosine >= PARAPHRASE_COSINE)


def _denies(sentence: Sequence[Word]) -> bool:
    """A negation, a denial or a word of untruth in the sentence."""
    lowered = {w.text.lower() for w in sentence}
    text = " ".join(w.text for w in sentence)
    return bool(lowered & (NEGATIONS | CONTEST_VERBS)) or first_phrase(CONTEST_PHRASES, text) is not None


def _answers_it(claim: Proposition, sentence: Sequence[Word], carried: Sequence[Term]) -> bool:
    """A dismissal that names the claim in a few words: "called the pushback reports lies",
    "dismissed the allegations about Velocar as baseless". It needs a word for a claim (reports,
    accusations...) and one for untruth or denial, and, next to the word for a claim, the claim's
    name, its predicate or two of its other terms."""
    near = dismissal_window(sentence)
    named = [t for t in carried if t.keys & near]
    return any(t.is_name or t.is_predicate for t in named) or len(named) >= MIN_ANSWER_TERMS


def dismissal_window(sentence: Sequence[Word]) -> set[str]:
    """The keys within ANSWER_WINDOW of a word for a claim, in a sentence that also has a word of
    untruth or denial: where a dismissal names what it dismisses. Empty for any other sentence."""
    lowered = [w.text.lower() for w in sentence]
    nouns = [i for i, word in enumerate(lowered) if word in CLAIM_NOUNS]
    if not nouns:
        return set()
    if not set(lowered) & CONTEST_VERBS and first_phrase(CONTEST_PHRASES, " ".join(w.text for w in sentence)) is None:
        return set()
    before, after = ANSWER_WINDOW
    return {k for i in nouns for w in sentence[max(0, i - before):i + after + 1] for k in w.keys}


def _unexplained(claim: Proposition, sentence: Sequence[Word], carried: Sequence[Term]) -> str | None:
    """The claim's matter without its act, said to be unexplained: "Counterfeit medicines have been
    found in Hessa's pharmacies; how they entered the country is unclear" for a claim that the
    customs office took bribes to let them in. It needs MATTER_COVERAGE of the terms other than
    the predicate, one of the claim's names, and a phrase that leaves the cause or author open."""
    rest = [t for t in claim.terms if not t.is_predicate]
    total = sum(term_weight(t) for t in rest)
    if not total or (any(t.is_name for t in rest) and not any(t.is_name for t in carried)):
        return None
    if sum(term_weight(t) for t in carried if not t.is_predicate) / total < MATTER_COVERAGE:
        return None
    text = " ".join(w.text for w in sentence)
    phrase = first_phrase(UNEXPLAINED_PHRASES, text)
    if phrase is None:
        return None
    return f"“{text[phrase[1]:phrase[2]]}” ({phrase[0]}: the matter reported, not the act)"


def _cosine(claim_vector: np.ndarray | None, sentence_vectors: np.ndarray | None, index: int) -> float:
    if claim_vector is None or sentence_vectors is None:
        return 0.0
    return float(claim_vector @ sentence_vectors[index])


def _anchors(claim: Proposition, sentence: Sequence[Word]) -> tuple[tuple[tuple[int, int], ...], int]:
    """Spans of the sentence's words that carry claim terms, predicate words first; and how many
    carry the predicate."""
    predicate = claim.predicate
    first = [(w.start, w.end) for w in sentence if any(t.keys & w.keys for t in predicate)]
    rest = [(w.start, w.end) for w in sentence if (w.start, w.end) not in first
            and any(t.keys & w.keys for t in claim.terms)]
    return tuple(first + rest), len(first)


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
        a shorter claim); or a dismissal naming, near its word for a claim, one of the claim's
        names, its predicate, or MIN_ANSWER_TERMS of its terms (as ``_answers_it`` requires); or
        saying something is unexplained, with a name and MIN_UNEXPLAINED_TERMS terms; or, for the
        claims model, holding MIN_MODEL_TERMS of its terms of any kind."""
        def holding(term: Term, prefix: str = "") -> set[int]:
            return {s for k in term.keys for s in self._segments.get(prefix + k, ())}

        with_predicate = {s for t in claim.predicate for s in holding(t)}
        needed = min(MIN_CANDIDATE_TERMS, len(claim.terms))
        found = {s for s, n in self._hits(claim.terms, with_predicate).items() if n >= needed}
        answered = [holding(t, ANSWER_PREFIX) for t in claim.terms]
        found.update(s for t, segments in zip(claim.terms, answered) if t.is_name or t.is_predicate for s in segments)
        found.update(s for s, n in Counter(s for segments in answered for s in segments).items()
                     if n >= MIN_ANSWER_TERMS)
        named = with_predicate | {s for t in claim.terms if t.is_name for s in holding(t)}
        unexplained = named & set(self._segments.get(UNEXPLAINED_KEY, ()))
        found.update(s for s, n in self._hits(claim.terms, unexplained).items() if n >= MIN_UNEXPLAINED_TERMS)
        # The claims model's route (claims/model.py): a paraphrase may share no predicate word.
        # It judges only a sentence carrying what the claim says was done or to what (not a name or the agent).
        content = {s for t in content_terms(claim) for s in holding(t)}
        holders = self._hits(claim.terms, content)
        found.update(s for s, n in holders.items() if n >= min(MIN_MODEL_TERMS, len(claim.terms)))
        return sorted(found)

    def _hits(self, terms: Sequence[Term], among: set[int]) -> Counter[int]:
        """How many of ``terms`` each segment of ``among`` holds."""
        hits: Counter[int] = Counter()
        for term in terms:
            hits.update({s for k in term.keys for s in self._segments.get(k, ())} & among)
        return hits


def index_keys(text: str) -> set[str]:
    """What a segment is indexed under: its words' keys; ANSWER_PREFIX + each key near a word for
    a claim in a sentence that dismisses or denies (``dismissal_window``), so that a dismissal is
    a candidate only for the claims it could name; UNEXPLAINED_KEY for a phrase saying something
    is unexplained."""
    found = {k for w in words(text) for k in w.keys}
    if set(re.findall(r"[a-z]+", text.lower())) & CLAIM_NOUNS:  # cheap test before splitting sentences
        found.update(ANSWER_PREFIX + k for sentence in segment_sentences(text).words for k in dismissal_window(sentence))
    if first_phrase(UNEXPLAINED_PHRASES, text) is not None:
        found.add(UNEXPLAINED_KEY)
    return found
