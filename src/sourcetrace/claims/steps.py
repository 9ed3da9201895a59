"""The claims steps of ``sourcetrace run``.

``claims`` stores the claims the investigator supplied (``RunOptions.claims``)
and finds claims in the statements: found claims rest on the statements
merged over the whole case, so they are found again on the driver whenever
the statements changed, and a found claim whose wording stays the same
keeps what was assessed for it. ``positions`` assesses each (claim,
segment) pair not assessed before: the candidate pairs come from an index
of every segment's keys (cheap, on the driver), the assessment (sentences,
embeddings, spaCy on the sentences that state a claim) runs on the engine's
workers, one segment with its claims per record, and is stored per pair.
"""

from __future__ import annotations

from collections import defaultdict

from sourcetrace.claims.assess import ASSESSOR_VERSION, AssessClaims, SegmentPositions, SegmentToAssess
from sourcetrace.claims.found import find_claims
from sourcetrace.claims.matching import KeyIndex, index_keys
from sourcetrace.claims.propositions import Proposition, propositions_of
from sourcetrace.pipeline import PipelineStep, RunContext
from sourcetrace.store.write_claims import (
    add_claim_positions,
    add_supplied_claims,
    claim_counts,
    drop_found_claims,
    finds_claims,
    found_claims_are_current,
    replace_found_claims,
    segment_carriers,
    segments_for_claims,
    statements_for_claims,
    stored_checks,
    stored_claims,
)

SEGMENTS_PER_TRANSACTION = 200


class StoreClaims(PipelineStep):
    name = "claims"

    def run(self, context: RunContext) -> None:
        store, engine = context.store, context.engine
        if store.forget_claim_checks_unless_assessed_by(ASSESSOR_VERSION):
            engine.count("assessed_again", 1)  # assessed by another version of the rules
        if context.options.claims:
            engine.count("claims_supplied", len(add_supplied_claims(store, context.options.claims)))
        if not finds_claims(store, context.options.find_claims):
            drop_found_claims(store)  # none, or those of a case that stopped finding them
        elif not found_claims_are_current(store):
            statements = statements_for_claims(store)
            found = engine.on_driver("find-claims", lambda: find_claims(statements))
            replace_found_claims(store, found)
            engine.count("claims_found", len(found))


class AssessPositions(PipelineStep):
    name = "positions"

    def run(self, context: RunContext) -> None:
        store, engine = context.store, context.engine
        claims = stored_claims(store)
        if claims:
            done = stored_checks(store)
            engine.count("pairs_known", len(done))
            pending = engine.on_driver("claim-candidates", lambda: _pending_pairs(context, claims, done))
            self._assess(context, pending)
        context.summary.claims, context.summary.positions = claim_counts(store)

    def _assess(self, context: RunContext, pending: list[SegmentToAssess]) -> None:
        context.progress.phase("assessing claims", len(pending))
        batch: list[SegmentPositions] = []
        for result in context.engine.map(AssessClaims(), pending, chunksize=8):
            batch.append(result)
            if len(batch) >= SEGMENTS_PER_TRANSACTION:
                self._write(context, batch)
        self._write(context, batch)

    def _write(self, context: RunContext, batch: list[SegmentPositions]) -> None:
        add_claim_positions(context.store, batch)
        context.progress.advance(len(batch))
        batch.clear()


def _pending_pairs(context: RunContext, claims: list[tuple[int, str]],
                   done: set[tuple[int, int]]) -> list[SegmentToAssess]:
    """One record per segment with the candidate claims it was never assessed for (not in ``done``)."""
    store = context.store
    segments = segments_for_claims(store)
    index = KeyIndex()
    for segment, text in segments:
        index.add(segment, index_keys(text))
    propositions = propositions_of(claims)
    by_segment: dict[int, list[Proposition]] = defaultdict(list)
    for claim in propositions:
        for segment in index.candidates(claim):
            if (claim.claim, segment) not in done:
                by_segment[segment].append(claim)
    context.engine.count("candidate_pairs", sum(len(c) for c in by_segment.values()))
    texts = dict(segments)
    carriers = segment_carriers(store, by_segment)
    return [SegmentToAssess(segment, texts[segment], carriers.get(segment, ()), tuple(by_segment[segment]))
            for segment in sorted(by_segment)]
