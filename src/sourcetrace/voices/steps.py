"""The statement steps of ``sourcetrace run``.

``statements`` extracts the statements of each segment that has none stored
yet (spaCy on the engine's workers) and stores them per segment. ``merge``
groups them across the case. Each occurrence's grouping keys (voices/grouping.py)
depend on it and its family alone, and are stored per segment, so a run that
adds segments reads only the segments the new ones can touch; the expensive
question, whether two occurrences are one statement, is answered on the
engine and stored per pair, so a later run asks only new questions.
"""

from __future__ import annotations

from collections.abc import Sequence

from sourcetrace.engines.contract import MapStep
from sourcetrace.pipeline import PipelineStep, RunContext
from sourcetrace.store import MergedFamily
from sourcetrace.store.write_statement_keys import (
    merged_statement_segments,
    occurrences_of_segments,
    replace_statement_keys,
    segments_sharing_statements,
    statement_keys_version,
    statements_of_segments,
    stored_statement_keys,
)
from sourcetrace.voices.grouping import KEYS_VERSION, segment_key_codes, segments_meeting
from sourcetrace.voices.merge import MergeChanges, PairQuestion, merge_changes, occurrence_keys, same_statement
from sourcetrace.voices.stage import VoicesStage, batches
from sourcetrace.voices.statements import EXTRACTOR_VERSION, Attribution

SEGMENTS_PER_BATCH = 32  # one record of the voices stage: spaCy parses a batch with nlp.pipe


class WarmUpStatements(PipelineStep):
    """When segments await statements, have the workers load spaCy now: the
    families and the trace index are built on the driver alone, and a run
    that adds a few pages would otherwise spend much of its statements step
    loading. (Not earlier: the candidate search signs on threads on every
    core, and verifying uses the workers.)"""

    name = "warm-up"

    def run(self, context: RunContext) -> None:
        if context.store.segments_await_statements():
            context.engine.warm_up(VoicesStage())
            context.engine.count("requested", 1)


class ExtractStatements(PipelineStep):
    name = "statements"

    def run(self, context: RunContext) -> None:
        store = context.store
        if store.forget_statements_unless_extracted_by(EXTRACTOR_VERSION):
            context.engine.count("extracted_again", 1)  # found by another version of the rules
        pending = list(store.iter_segments_without_statements())
        if not pending:
            return
        context.progress.phase("finding statements", len(pending))
        for batch in context.engine.map(VoicesStage(), batches(pending, SEGMENTS_PER_BATCH), chunksize=1):
            store.add_segment_statements(((r.segment, list(r.attributions), r.error) for r in batch), context.run_id)
            context.progress.advance(len(batch))


class SameStatementStep(MapStep[PairQuestion, bool]):
    """Answers :class:`PairQuestion` s on the workers."""

    name = "same-statement"

    def process(self, record: PairQuestion) -> bool:
        same = same_statement(record)
        self.stats["same" if same else "different"] += 1
        return same


def _key(attribution: Attribution, ordinal: int) -> str:
    return f"{attribution.occurrence.segment}:{ordinal}"


def _pair_key(first: str, second: str, same_family: bool) -> tuple[str, str, bool]:
    return (first, second, same_family) if first < second else (second, first, same_family)


class MergeStatements(PipelineStep):
    """Regroup the statements that new segments, or segments that moved
    between families, touch; every other statement stays as stored. With
    the case's grouping keys stored, only the segments that hold a partner
    key, and the statements they share, are read; else everything is, and
    the keys are stored for the next run."""

    name = "merge"

    def run(self, context: RunContext) -> None:
        store, engine = context.store, context.engine
        if not store.statements_are_current():
            context.progress.phase("merging statements", None)
            segments = merged_statement_segments(store)
            families, origins = store.family_of_segments(), store.origin_segments()
            now = {s: MergedFamily(families.get(s), s in origins) for s in segments}
            merged = store.merged_families()
            moved = {s for s in segments if s in merged and merged[s] != now[s]}  # another family, or origin no more
            if merged and statement_keys_version(store) == KEYS_VERSION:
                changed = [s for s in segments if s not in merged or s in moved]
                changes = _merge_touched(context, changed, moved, families, origins)
            else:
                found = store.segment_statements()
                changes = merge_changes(found, store.segment_dates(), families, store.statement_index(), moved,
                                        _Decider(context, found).decide, origins)
                replace_statement_keys(store, segment_key_codes(changes.keys), None, KEYS_VERSION)
            store.apply_statement_changes(changes.replaced, changes.statements, now)
            engine.count("statements_replaced", len(changes.replaced))
            engine.count("statements_written", len(changes.statements))
        context.summary.statements, context.summary.altered_occurrences = store.statement_counts()


def _merge_touched(context: RunContext, changed: list[int], moved: set[int],
                   families: dict[int, int], origins: set[int]) -> MergeChanges:
    """The merge of the segments that ``changed`` segments can touch: those
    holding a partner key, and those sharing a statement with either. Their
    statements regroup exactly as in a merge of everything (voices/grouping.py)."""
    store = context.store
    found = statements_of_segments(store, changed)
    keys = occurrence_keys(found, families)
    replace_statement_keys(store, segment_key_codes(keys), changed, KEYS_VERSION)
    reach = set(changed) | segments_meeting(keys, stored_statement_keys(store))
    loaded = reach | segments_sharing_statements(store, reach)
    found.update(statements_of_segments(store, loaded - set(changed)))
    context.engine.count("segments_read", len(found))
    return merge_changes(found, store.segment_dates(), families, occurrences_of_segments(store, loaded), moved,
                         _Decider(context, found).decide, origins)


class _Decider:
    """Answers merge questions from the stored answers, asking the engine's
    workers only the new ones, and storing their answers."""

    def __init__(self, context: RunContext, found: dict[int, list[Attribution]]) -> None:
        self.context = context
        self.keys = {id(a): _key(a, n) for attributions in found.values() for n, a in enumerate(attributions)}
        self.known: dict[tuple[str, str, bool], bool] = {}
        self.stored = context.store.has_statement_pairs()  # a first merge need not look

    def decide(self, questions: Sequence[PairQuestion]) -> list[bool]:
        engine, keys, known = self.context.engine, self.keys, self.known
        asked = [_pair_key(keys[id(q.first)], keys[id(q.second)], q.same_family) for q in questions]
        if self.stored:
            known.update(self.context.store.statement_pair_answers(key for key in asked if key not in known))
        new = [(q, key) for q, key in zip(questions, asked) if key not in known]
        engine.count("questions", len(questions))
        engine.count("questions_answered_before", len(questions) - len(new))
        answers = engine.map(SameStatementStep(), (q for q, _ in new), chunksize=256)
        decided = [(key, same) for (_, key), same in zip(new, answers)]
        self.context.store.add_statement_pairs((a, b, f, same) for (a, b, f), same in decided)
        known.update(decided)
        return [known[key] for key in asked]
