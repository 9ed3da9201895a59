"""Assessing claims in one segment: the positions its sentences take (a map step).

A record is one segment with the claims to assess in it (the candidate pairs
not assessed before), so the segment's sentences are split, embedded and
parsed once for all its claims. Only the sentences that state a claim are
parsed (spaCy), which keeps the step cheap on segments that only share a
topic with a claim.

Each position belongs to a **carrier**: the attributed statement its words
lie in (its speaker takes the position), else the segment's own voice. A
segment takes at most one position per claim and carrier: a decided one
(supports, contests) over "reports", the first in text order among equals.
A denial that answers an earlier sentence without naming the claim again
("The ministry rejected the findings as lies") contests it too. Where the
rules find no position on a claim, the claims model (claims/model.py) may
take one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol, cast

import numpy as np

from sourcetrace.claims.cues import ANAPHORIC_TARGETS, CONTEST_PHRASES, CONTEST_VERBS, first_phrase
from sourcetrace.claims.matching import SentenceMatch, SentenceWords, matching_sentences, segment_sentences
from sourcetrace.claims.model import ClaimModel, default_model, pair_features
from sourcetrace.claims.propositions import Proposition
from sourcetrace.claims.stance import (
    OWN_VOICE,
    SPEAKER_ASSERTS,
    Carrier,
    Stance,
    StanceDecision,
    decide,
    doer,
    only_modifies,
)
from sourcetrace.claims.terms import keys_of, words
from sourcetrace.engines.contract import MapStep
from sourcetrace.reuse.rewrites import default_embedder
from sourcetrace.rules import source_digest
from sourcetrace.voices.nlp import load_nlp

if TYPE_CHECKING:  # spaCy is imported where a pipeline loads (voices/nlp.py)
    from spacy.tokens import Doc

# Names the claim rules (keys, matching, stance, the claims model and its weights; found claims are
# grouped by the same keys) by their source: a case assessed by other rules assesses every pair
# again (meta.claims_assessor, CaseStore.forget_claim_checks_unless_assessed_by, the claims step).
ASSESSOR_VERSION = "claims-" + source_digest([*sorted(Path(__file__).parent.glob("*.py")),
                                              Path(__file__).with_name("model_weights.json")])
# A name after these words is a place or a modifier ("in Korr's provinces", "the Barrow dam"), not an agent.
_NOT_AN_AGENT = frozenset("in at near from of the a an below above off across outside inside into to on".split())
FOLLOW_UP_SENTENCES = 3  # a denial this many sentences after a claim's sentence may answer it


@dataclass(frozen=True, slots=True)
class SegmentToAssess:
    """One kept segment, its attributed statements, and the claims not yet assessed in it."""

    segment: int
    text: str
    carriers: tuple[Carrier, ...]
    claims: tuple[Proposition, ...]


@dataclass(frozen=True, slots=True)
class Position:
    """Where a segment stands on a claim; stored per (claim, segment) in ``claim_positions``."""

    claim: int
    segment: int
    stance: Stance
    start: int  # the sentence carrying the stance, in the segment's text
    end: int
    cue: str  # what decided the stance
    statement_start: int | None  # start of the attributed statement carrying it (its occurrence's span)
    speaker: str | None  # that statement's speaker as resolved in the segment; None: the segment's own voice
    coverage: float  # share of the claim's terms the sentence carries


@dataclass(frozen=True, slots=True)
class SegmentPositions:
    """The claims assessed in one segment and the positions found (none: it does not address them)."""

    segment: int
    claims: tuple[int, ...]
    positions: tuple[Position, ...]
    error: str | None = None


class AssessClaims(MapStep[SegmentToAssess, SegmentPositions]):
    """Finds each claim's positions in a segment, on the engine's workers."""

    name = "assess-claims"

    def process(self, record: SegmentToAssess) -> SegmentPositions:
        checked = tuple(c.claim for c in record.claims)
        try:
            positions = assess_segment(record)
        except Exception as error:  # noqa: BLE001 - one bad text must not stop the run; recorded with the segment
            self.stats["failed"] += 1
            return SegmentPositions(record.segment, checked, (), f"{type(error).__name__}: {error}")
        self.stats["pairs"] += len(checked)
        self.stats["positions"] += len(positions)
        for position in positions:
            self.stats[position.stance] += 1
        return SegmentPositions(record.segment, checked, tuple(positions))


class Embedder(Protocol):
    def embed(self, sentences: Sequence[str]) -> np.ndarray: ...


def assess_segment(record: SegmentToAssess, embedder: Embedder | None = None,
                   model: ClaimModel | Literal["default"] | None = "default") -> list[Position]:
    """Every position the segment takes on the record's claims, by claim, then in text order.
    ``embedder`` gives unit sentence vectors (default: WordLlama's); ``model`` takes a position
    where the rules find none (default: the shipped claims model; None: the rules alone)."""
    sentences = segment_sentences(record.text)
    if not sentences.spans:
        return []
    embedder = embedder or default_embedder()
    model = default_model() if model == "default" else model
    vectors = embedder.embed([record.text[s:e] for s, e in sentences.spans])
    claim_vectors = embedder.embed([c.text for c in record.claims])
    matches = {claim.claim: matching_sentences(claim, sentences, claim_vectors[i], vectors)
               for i, claim in enumerate(record.claims)}
    wanted = sorted({(m.start, m.end) for found in matches.values() for m in found})
    parsed = dict(zip(wanted, load_nlp().pipe(record.text[s:e] for s, e in wanted)))
    positions: list[Position] = []
    for i, claim in enumerate(record.claims):
        agent_named = _names_agent(claim, sentences)
        stating = [m for m in matches[claim.claim]
                   if m.unexplained is not None or not _only_modifies(claim, m, parsed[(m.start, m.end)])]
        found = [_position(claim, record, m, parsed[(m.start, m.end)], agent_named) for m in stating]
        if found:
            found += _answers(claim, record, sentences, matches[claim.claim], found)
        elif model is not None:
            found = _model_position(claim, record, sentences, claim_vectors[i], vectors, model)
        positions.extend(_one_per_carrier(found))
    return positions


def _model_position(claim: Proposition, record: SegmentToAssess, sentences: SentenceWords, claim_vector: np.ndarray,
                    vectors: np.ndarray, model: ClaimModel) -> list[Position]:
    """The claims model's position, where the rules found none (claims/model.py)."""
    features = pair_features(claim, record.text, sentences, claim_vector, vectors)
    verdict = None if features is None else model.judge(features)
    if features is None or verdict is None:
        return []
    start, end = sentences.spans[features.sentence]
    predicate = [(w.start - start, w.end - start) for w in sentences.words[features.sentence]
                 if any(t.keys & w.keys for t in claim.predicate)]
    if predicate and only_modifies(load_nlp()(record.text[start:end]), predicate, claim.keys):
        return []  # "the landmines treaty" for a claim that landmines were used: as for the rules
    overlaps = [(min(end, c.end) - max(start, c.start), -c.start, c) for c in record.carriers
                if c.start < end and start < c.end]
    carrier = max(overlaps, key=lambda item: (item[0], item[1]))[2] if overlaps else None
    decision = StanceDecision(cast(Stance, verdict.stance), verdict.cue)
    return [_make(claim, record, start, end, decision, carrier, round(features.dense[2], 3))]


def _only_modifies(claim: Proposition, match: SentenceMatch, doc: Doc) -> bool:
    spans = [(a - match.start, b - match.start) for a, b in match.anchors[: match.predicate_words]]
    return only_modifies(doc, spans, claim.keys)


def _position(claim: Proposition, record: SegmentToAssess, match: SentenceMatch, doc: Doc,
              agent_named: bool) -> Position:
    carrier = _carrier(record.carriers, match)
    relative = None if carrier is None else Carrier(carrier.start - match.start, carrier.end - match.start,
                                                    carrier.speaker, carrier.cue, carrier.kind)
    decision = decide(doc, [(a - match.start, b - match.start) for a, b in match.anchors], relative, claim.negated)
    if match.unexplained is not None:
        decision = StanceDecision("reports", match.unexplained)
    elif decision.stance == "supports" and (blamed := _blames_another(claim, match, doc, carrier, decision.cue)):
        decision = StanceDecision("contests", blamed)
    elif decision.cue == OWN_VOICE and not agent_named and not claim.negated:
        # "The museum was looted" for "Soldiers looted the museum": news of the event, not the accusation.
        decision = StanceDecision("reports", f"{decision.cue}, but nobody named as doing it (the claim names "
                                             f"“{claim.agent}”)")
    return _make(claim, record, match.start, match.end, decision, carrier, match.coverage)


def _blames_another(claim: Proposition, match: SentenceMatch, doc: Doc, carrier: Carrier | None,
                    decision_cue: str) -> str | None:
    """A counter-accusation: the accused ("the army", for a claim about government troops) says
    someone else did it ("the fires were started by retreating rebels")."""
    if carrier is None or not claim.agent_keys or claim.negated or not _names(carrier.speaker, claim):
        return None
    if decision_cue != f"{carrier.cue} {SPEAKER_ASSERTS}":  # a finding or an admission ("admitted that") asserts it
        return None
    spans = [(a - match.start, b - match.start) for a, b in match.anchors[: match.predicate_words]]
    other = doer(doc, spans)
    # Who the claim itself says does it ("the authority said cargo volumes fell": "volumes") is no other doer.
    if other is None or _names(other.text, claim) or keys_of(other.text) & claim.doer_keys:
        return None
    return f"“{other.text}” named as doing it by {carrier.speaker}, whom the claim accuses (a counter-accusation)"


def _names(text: str, claim: Proposition) -> bool:
    """The words name the claim's agent (its keys, or its names)."""
    return any(w.keys & (claim.agent_keys | claim.agent_names) or w.text.lower() in claim.agent_keys
               for w in words(text))


def _names_agent(claim: Proposition, sentences: SentenceWords) -> bool:
    """The segment names who the claim says did it (or the claim names nobody). The agent's name
    counts as a noun of its own, not as a place or a modifier ("near the Orsk coast" does not name
    the Orsk navy; "Senn denied" names the Senn company)."""
    if not claim.agent_keys:
        return True
    for sentence in sentences.words:
        for before, word in zip((None, *sentence), sentence):
            if word.keys & claim.agent_keys or word.text.lower() in claim.agent_keys:
                return True
            if word.keys & claim.agent_names and (before is None or before.text.lower() not in _NOT_AN_AGENT):
                return True
    return False


def _make(claim: Proposition, record: SegmentToAssess, start: int, end: int, decision: StanceDecision,
          carrier: Carrier | None, coverage: float) -> Position:
    return Position(claim.claim, record.segment, decision.stance, start, end, decision.cue,
                    None if carrier is None else carrier.start, None if carrier is None else carrier.speaker,
                    coverage)


def _carrier(carriers: Sequence[Carrier], match: SentenceMatch) -> Carrier | None:
    """The statement the claim's predicate words lie in; failing that, the one holding most of its words."""
    if not match.anchors:
        return None
    first = match.anchors[0][0]
    for carrier in carriers:
        if carrier.start <= first < carrier.end:
            return carrier
    inside = [(sum(1 for a, _ in match.anchors if c.start <= a < c.end), -c.start, c) for c in carriers]
    best = max(inside, key=lambda item: (item[0], item[1]), default=None)
    return best[2] if best is not None and best[0] * 2 >= len(match.anchors) else None


def _answers(claim: Proposition, record: SegmentToAssess, sentences: SentenceWords,
             matches: Sequence[SentenceMatch], found: Sequence[Position]) -> list[Position]:
    """Denials in the sentences after a claim's sentence that answer it without restating it."""
    matched = {(m.start, m.end) for m in matches}
    indices = [i for i, span in enumerate(sentences.spans) if span in matched]
    answers = []
    for index, (start, end) in enumerate(sentences.spans):
        if (start, end) in matched or not any(0 < index - i <= FOLLOW_UP_SENTENCES for i in indices):
            continue
        carrier = next((c for c in record.carriers if c.start < end and start < c.end), None)
        if carrier is not None and any(p.statement_start == carrier.start for p in found):
            continue
        cue = _answer_cue(record.text[start:end], carrier)
        if cue is not None:
            answers.append(_make(claim, record, start, end, StanceDecision("contests", cue), carrier, 0.0))
    return answers


def _answer_cue(sentence: str, carrier: Carrier | None) -> str | None:
    """What makes a sentence a denial of what came before: a denial cue, or untruth, aimed at
    "the allegations", "the findings", "the report"... (or calling them lies outright)."""
    target = ANAPHORIC_TARGETS.search(sentence)
    untruth = first_phrase(CONTEST_PHRASES, sentence)
    denial = carrier is not None and carrier.cue.lower() in CONTEST_VERBS
    if target is not None and (denial or untruth is not None):
        how = f"{carrier.cue}" if denial and carrier is not None else f"“{sentence[untruth[1]:untruth[2]]}”" if untruth else ""
        return f"{how} “{target.group()}” (answering the claim's sentence)"
    if untruth is not None and untruth[0] in ("lies", "disinformation", "fabricated", "smear", "no such thing",
                                              "debunked"):
        return f"“{sentence[untruth[1]:untruth[2]]}” ({untruth[0]}, answering the claim's sentence)"
    return None


def _one_per_carrier(found: Sequence[Position]) -> list[Position]:
    """One position per carrier: decided over reported, then the first in text order."""
    chosen: dict[int | None, Position] = {}
    for position in sorted(found, key=lambda p: p.start):
        held = chosen.get(position.statement_start)
        if held is None or (held.stance == "reports" and position.stance != "reports"):
            chosen[position.statement_start] = position
    return sorted(chosen.values(), key=lambda p: (p.start, p.statement_start or -1))
