"""The copy-map steps of ``sourcetrace run``.

1. ``candidates``: exact copies, LSH near-duplicates and rare-word pairs over
   the whole case. It is cheap (seconds at 20k segments) and rests on
   case-wide word rarity, so it is recomputed whenever segments changed:
   that is what makes a case extended by a run equal to one built at once.
2. ``verify``: every candidate pair not verified before is classified on the
   engine; each verdict (derived or not) is stored per pair, so a later run
   verifies only the pairs it has not seen. This was 78% of the stage's time.
3. ``families``: families, origins and parents from the stored verdicts of
   the current candidate pairs (a whole-case step); a family whose members,
   verdicts and rules are unchanged is reused as the last run decided it.
4. ``trace-index``: the rare-word index that ``sourcetrace trace`` queries.
"""

from __future__ import annotations

from dataclasses import dataclass

from sourcetrace.pipeline import PipelineStep, RunContext
from sourcetrace.records import SegmentForReuse
from sourcetrace.reuse.copymap import (
    CopyCandidates,
    PairClassificationStage,
    ReuseIndex,
    copy_families,
    find_candidates,
    pair_tasks,
)
from sourcetrace.reuse.decided import DecidedFamilies
from sourcetrace.reuse.relations import VERIFIER_VERSION, PairVerdict

VERDICT_BATCH = 2000  # verdicts per transaction


@dataclass(slots=True)
class CopyWork:
    """What the copy steps of one run hand to each other."""

    segments: list[SegmentForReuse]
    candidates: CopyCandidates
    verdicts: dict[tuple[int, int], PairVerdict | None] | None = None  # stored and new, once verified


def _work(context: RunContext) -> CopyWork | None:
    work = context.scratch.get(CopyWork)
    return work if isinstance(work, CopyWork) else None


class FindCandidates(PipelineStep):
    name = "candidates"

    def run(self, context: RunContext) -> None:
        if context.store.forget_verdicts_unless_verified_by(VERIFIER_VERSION):
            context.engine.count("verified_again", 1)  # verified by another version of the rules
        if context.store.copy_map_is_current():
            return
        context.progress.phase("finding copy candidates", None)
        segments = list(context.store.iter_segments_for_reuse())
        candidates = context.engine.on_driver(self.name, lambda: find_candidates(segments, context.engine))
        context.engine.count("kept_segments", len(segments))
        context.engine.count("pairs", len(candidates.pairs))
        context.scratch[CopyWork] = CopyWork(segments, candidates)


class VerifyPairs(PipelineStep):
    name = "verify"

    def run(self, context: RunContext) -> None:
        work = _work(context)
        if work is None:
            return
        known = work.verdicts = context.store.stored_verdicts()
        new = [pair for pair in work.candidates.pairs if pair not in known]
        context.engine.count("pairs_known", len(work.candidates.pairs) - len(new))
        context.progress.phase("verifying copies", len(new))
        texts = {s.id: s.text for s in work.segments}
        found = context.engine.map(PairClassificationStage(), pair_tasks(new, texts), chunksize=64)
        batch: list[tuple[int, int, PairVerdict | None]] = []
        for (a, b), verdict in zip(new, found):
            known[a, b] = verdict
            batch.append((a, b, verdict))
            if len(batch) >= VERDICT_BATCH:
                self._write(context, batch)
        self._write(context, batch)

    def _write(self, context: RunContext, batch: list[tuple[int, int, PairVerdict | None]]) -> None:
        context.store.add_verdicts(batch)
        context.progress.advance(len(batch))
        batch.clear()


class BuildFamilies(PipelineStep):
    name = "families"

    def run(self, context: RunContext) -> None:
        work = _work(context)
        if work is not None:
            context.progress.phase("building families", None)
            known = work.verdicts if work.verdicts is not None else context.store.stored_verdicts()
            verdicts = [v for pair in work.candidates.pairs if (v := known.get(pair)) is not None]
            decided = DecidedFamilies(context.store.decided_families())
            copy_map = context.engine.on_driver(
                self.name, lambda: copy_families(work.segments, verdicts, work.candidates, decided))
            context.store.replace_copy_map(copy_map.relations, copy_map.families, decided.decided)
            context.engine.count("relations", len(copy_map.relations))
            context.engine.count("families_reused", decided.reused)
            context.engine.count("families_decided", len(decided.decided) - decided.reused)
        context.summary.families, context.summary.copies = context.store.copy_map_counts()


class SaveTraceIndex(PipelineStep):
    name = "trace-index"

    def run(self, context: RunContext) -> None:
        work = _work(context)
        if work is None:
            return
        context.progress.phase("indexing for trace", None)
        index = context.engine.on_driver(
            self.name, lambda: ReuseIndex.from_candidates(work.segments, work.candidates)
        )
        context.store.save_trace_index(index.anchors_to_bytes())
