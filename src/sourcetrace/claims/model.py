"""The claims model: a second route to a position, for what the rules miss.

The rules (claims/matching.py, claims/stance.py) are precise but read only
the words they know: on text written after they were tuned they found 43% of
the related pairs ("abducted" or "bundled into a van" for "kidnapped"). This
module scores a (claim, segment) pair the rules left without a position with
two small linear models trained on the project's own gold pairs
(``scripts/train_claims_model.py``; docs/claims.md says on what, and how it
measures):

1. **related**: a logistic regression over features of the sentence closest
   to the claim (WordLlama cosine, the share of the claim's terms, predicate
   and names it carries, whether it names another place, cue lexicons of
   claims/cues.py, the rules' own verdict on the segment);
2. **stance**: a multinomial logistic regression over the same features and
   the words and word pairs around that sentence, the claim's own words
   masked (so "denied", "in fact", "investigating" count, not the topic).

Both are numpy dot products over weights shipped in ``model_weights.json``
(a few hundred kB): no model is downloaded and scikit-learn is needed only
to train. Every position the model takes names what decided it: its
probability and the features that weighed most for its stance.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from typing import TypedDict

import numpy as np
import numpy.typing as npt

from sourcetrace.claims.cues import (
    CONTEST_PHRASES,
    CONTEST_VERBS,
    HEDGE_PHRASES,
    NEGATIONS,
    REPORT_PHRASES,
    REPORT_VERBS,
    SUPPORT_VERBS,
    UNEXPLAINED_PHRASES,
    first_phrase,
)
from sourcetrace.claims.matching import SentenceWords, content_terms, names_another_place, term_weight
from sourcetrace.claims.propositions import Proposition

F64 = npt.NDArray[np.float64]
MIN_JUDGED_TERMS = 2
LABELS = ("supports", "contests", "reports", "unrelated")
STANCES = ("supports", "contests", "reports")

_DEBUNK = re.compile(r"\bin fact\b|\bactually\b|\bin reality\b|\bturned out\b|\bwas taken\b|\bfilmed\b"
                     r"|\bfirst (?:posted|published|shared)\b", re.IGNORECASE)
_BLAME = re.compile(r"\bblam\w*|\bcaused by\b|\bby (?:rival|rebel|illegal|criminal)|\bstaged\b|\bprovoked\b"
                    r"|\bresponsible\b|\bwas the work of\b", re.IGNORECASE)
_ACCUSE = re.compile(r"\baccus\w*|\ballege\w*|\bcharg\w*", re.IGNORECASE)
_SPEECH = re.compile(r"\b(?:said|says|told|according to|stated|added)\b", re.IGNORECASE)
_LETTERS = re.compile(r"[A-Za-z']+")
_TOKENS = re.compile(r"[A-Za-z']+|[?\"“”]")

# Names of the dense features, in order: shown when they decide a stance.
MATCH_FEATURES = ("cosine with the claim", "cosine here or before", "share of the claim's terms",
                  "share of its predicate", "share of its names", "names another place", "names the claim's agent",
                  "terms carried", "share of the claim's terms in this sentence", "names the agent here",
                  "share of its content terms")
CUE_FEATURES = ("a denial verb", "a verb of finding", "a verb of inquiry", "a phrase of untruth", "a hedge",
                "a reporting frame", "something said unexplained", "a negation", "a correction (“in fact”)",
                "blame laid elsewhere", "an accusation", "a speech verb", "a question", "a quotation")
DENSE_FEATURES = MATCH_FEATURES + CUE_FEATURES


def cue_features(text: str) -> list[float]:
    """Which cue lexicons the text holds (1.0 or 0.0 each, in CUE_FEATURES order)."""
    lowered = {w.lower() for w in _LETTERS.findall(text)}
    held = (lowered & CONTEST_VERBS, lowered & SUPPORT_VERBS, lowered & REPORT_VERBS,
            first_phrase(CONTEST_PHRASES, text), first_phrase(HEDGE_PHRASES, text),
            first_phrase(REPORT_PHRASES, text), first_phrase(UNEXPLAINED_PHRASES, text), lowered & NEGATIONS,
            _DEBUNK.search(text), _BLAME.search(text), _ACCUSE.search(text), _SPEECH.search(text),
            "?" in text or "whether" in lowered, '"' in text or "“" in text)
    return [1.0 if h else 0.0 for h in held]


@dataclass(frozen=True, slots=True)
class PairFeatures:
    """What the model reads of one (claim, segment) pair."""

    sentence: int  # the sentence closest to the claim (most similar and most covered)
    dense: tuple[float, ...]  # DENSE_FEATURES
    words: tuple[str, ...]  # the words and word pairs around it, the claim's own words masked


def pair_features(claim: Proposition, text: str, sentences: SentenceWords, claim_vector: F64,
                  sentence_vectors: F64) -> PairFeatures | None:
    """Features of the segment's sentence closest to the claim among those it may state it in
    (:func:`judged_sentences`); None when there is none."""
    rows = _match_rows(claim, sentences, claim_vector, sentence_vectors)
    eligible = judged_sentences(claim, sentences)
    if not eligible:
        return None
    best = max(eligible, key=lambda i: (rows[i][0] + rows[i][2], -i))
    spans = sentences.spans
    after = spans[min(best + 1, len(spans) - 1)][1]
    cues = cue_features(text[spans[best][0]:after])
    window = text[spans[max(best - 1, 0)][0]:after]
    return PairFeatures(best, tuple(rows[best] + cues), masked_words(claim.text, window))


def judged_sentences(claim: Proposition, sentences: SentenceWords) -> list[int]:
    """The sentences the model may find the claim in: carrying, with the sentence before,
    MIN_JUDGED_TERMS of the claim's terms, one of them a content term; and naming no other place
    instead of the claim's (as the rules require: "in Dorna" is another event)."""
    content = content_terms(claim)
    names = [t for t in claim.terms if t.is_name]
    found, before = [], set[str]()
    for index, sentence in enumerate(sentences.words):
        here = {k for w in sentence for k in w.keys}
        near = here | before
        before = here
        if not any(t.keys & near for t in content):
            continue
        if sum(1 for t in claim.terms if t.keys & near) < min(MIN_JUDGED_TERMS, len(claim.terms)):
            continue
        if names and names_another_place(claim, sentence) and not any(t.keys & here for t in names):
            continue
        found.append(index)
    return found


def _match_rows(claim: Proposition, sentences: SentenceWords, claim_vector: F64,
                sentence_vectors: F64) -> list[list[float]]:
    """MATCH_FEATURES of every sentence: names count from the segment's start, other terms in the
    sentence or the one before (as the rules count them)."""
    total = sum(term_weight(t) for t in claim.terms) or 1.0
    names = [t for t in claim.terms if t.is_name]
    content = content_terms(claim)
    seen: set[str] = set()
    before: set[str] = set()
    rows = []
    cosines = (sentence_vectors @ claim_vector).astype(np.float64)
    for index, sentence in enumerate(sentences.words):
        here = {k for w in sentence for k in w.keys}
        seen |= here
        near = here | before
        before = here
        carried = [t for t in claim.terms if t.keys & (seen if t.is_name else near)]
        cosine = float(cosines[index])
        rows.append([
            cosine, max(cosine, float(cosines[index - 1])) if index else cosine,
            sum(term_weight(t) for t in carried) / total,
            sum(1 for t in claim.predicate if t.keys & here) / max(len(claim.predicate), 1),
            sum(1 for t in names if t.keys & seen) / len(names) if names else 1.0,
            1.0 if names and names_another_place(claim, sentence) and not any(t.keys & here for t in names) else 0.0,
            (1.0 if claim.agent_keys & seen else 0.0) if claim.agent_keys else 1.0,
            len(carried) / max(len(claim.terms), 1),
            sum(term_weight(t) for t in claim.terms if t.keys & here) / total,
            (1.0 if claim.agent_keys & here else 0.0) if claim.agent_keys else 1.0,
            sum(1 for t in content if t.keys & near) / max(len(content), 1),
        ])
    return rows


def masked_words(claim_text: str, text: str) -> tuple[str, ...]:
    """Lower-case words and adjacent pairs of ``text``, the claim's words replaced by one mark."""
    own = {w.lower() for w in _LETTERS.findall(claim_text)}
    tokens = [t.lower() if t.lower() not in own else "<claim>" for t in _TOKENS.findall(text)]
    return tuple(dict.fromkeys(tokens + [f"{a} {b}" for a, b in pairwise(tokens)]))


@dataclass(frozen=True, slots=True)
class ModelVerdict:
    """The model's position on a pair: its stance, and why."""

    related: float  # probability that the pair is related
    stance: str
    cue: str


class RelateWeights(TypedDict):
    coef: list[float]
    intercept: float
    threshold: float


class StanceWeights(TypedDict):
    classes: list[str]
    coef: list[list[float]]
    intercept: list[float]
    words: dict[str, list[float]]


class ModelWeights(TypedDict):
    """The layout of ``model_weights.json``."""

    dense_features: list[str]
    relate: RelateWeights
    stance: StanceWeights
    trained_on: dict[str, int]


@dataclass(frozen=True)
class ClaimModel:
    """The two linear models, as trained (``model_weights.json``)."""

    relate_coef: F64  # (dense features,)
    relate_intercept: float
    threshold: float
    stance_coef: F64  # (stances, dense features)
    stance_words: dict[str, F64]  # word or word pair -> its weight for each stance
    stance_intercept: F64  # (stances,)

    @classmethod
    def from_json(cls, data: ModelWeights) -> ClaimModel:
        relate, stance = data["relate"], data["stance"]
        if tuple(data["dense_features"]) != DENSE_FEATURES or tuple(stance["classes"]) != STANCES:
            raise ValueError("model_weights.json was trained on other features: run scripts/train_claims_model.py")
        return cls(np.asarray(relate["coef"], np.float64), relate["intercept"], relate["threshold"],
                   np.asarray(stance["coef"], np.float64),
                   {w: np.asarray(v, np.float64) for w, v in stance["words"].items()},
                   np.asarray(stance["intercept"], np.float64))

    def judge(self, features: PairFeatures) -> ModelVerdict | None:
        """The model's verdict, or None when it finds the pair unrelated."""
        dense = np.asarray(features.dense, np.float64)
        related = float(1.0 / (1.0 + np.exp(-(dense @ self.relate_coef + self.relate_intercept))))
        if related < self.threshold:
            return None
        known = [w for w in features.words if w in self.stance_words]
        word_weights = np.array([self.stance_words[w] for w in known]).reshape(len(known), len(STANCES))
        scores = self.stance_coef @ dense + word_weights.sum(axis=0) + self.stance_intercept
        chosen = int(np.argmax(scores))
        return ModelVerdict(related, STANCES[chosen], self._why(related, chosen, dense, known, word_weights))

    def _why(self, related: float, chosen: int, dense: F64, known: Sequence[str], word_weights: F64) -> str:
        """The three features that weighed most for the chosen stance against the others."""
        others = [k for k in range(len(STANCES)) if k != chosen]
        margin = self.stance_coef[chosen] - self.stance_coef[others].mean(axis=0)
        pull = [(float(margin[i] * dense[i]), DENSE_FEATURES[i]) for i in range(len(dense)) if dense[i]]
        pull += [(float(word_weights[j, chosen] - word_weights[j, others].mean()), f"“{w}”")
                 for j, w in enumerate(known)]
        top = [f"{name} {weight:+.1f}" for weight, name in sorted(pull, reverse=True)[:3] if weight > 0]
        return f"the claims model (related {related:.2f}): " + (", ".join(top) or "no single cue")


@lru_cache(maxsize=1)
def default_model() -> ClaimModel:
    """The weights that ship with sourcetrace."""
    text = resources.files("sourcetrace.claims").joinpath("model_weights.json").read_text(encoding="utf-8")
    weights: ModelWeights = json.loads(text)
    return ClaimModel.from_json(weights)
