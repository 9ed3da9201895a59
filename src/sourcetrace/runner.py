"""``sourcetrace run``: the pipeline's steps, declared once, run by an engine.

Each step takes its work from the case and writes each finished unit back in
one transaction, which is what makes re-runs add nothing twice, lets a run
that adds inputs do only the new work, and lets an interrupted run be
completed by the next one. Each step's time, CPU and counters are stored
with the run (``run_steps``).
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from sourcetrace.claims.steps import AssessPositions, StoreClaims
from sourcetrace.engines import start_engine
from sourcetrace.engines.contract import Engine
from sourcetrace.ingest.discover import NoInputError, why_no_input_reads
from sourcetrace.ingest.steps import IngestInputs, LearnFurniture, SegmentPages
from sourcetrace.pipeline import PipelineStep, RunContext, RunOptions, RunSummary
from sourcetrace.progress import NullProgress, Progress
from sourcetrace.reuse.steps import BuildFamilies, FindCandidates, SaveTraceIndex, VerifyPairs
from sourcetrace.store import CaseStore
from sourcetrace.stories.steps_sources import BuildSources
from sourcetrace.stories.steps_stories import BuildStories
from sourcetrace.stories.steps_timeline import FindEvents
from sourcetrace.voices.steps import ExtractStatements, MergeStatements, WarmUpStatements

__all__ = ["CLAIM_STEPS", "RUN_STEPS", "NoInputError", "RunOptions", "RunSummary", "demo_claims_path",
           "demo_corpus_path", "run_case"]

RUN_STEPS: tuple[PipelineStep, ...] = (
    IngestInputs(),
    LearnFurniture(),
    SegmentPages(),
    FindCandidates(),
    VerifyPairs(),
    WarmUpStatements(),
    BuildFamilies(),
    SaveTraceIndex(),
    ExtractStatements(),
    MergeStatements(),
    BuildSources(),
    FindEvents(),
    BuildStories(),
    StoreClaims(),
    AssessPositions(),
)
# What `sourcetrace claims CASE --add FILE` runs: the new claims are stored and
# assessed against the case as it stands, without re-running the rest.
CLAIM_STEPS: tuple[PipelineStep, ...] = (StoreClaims(), AssessPositions())


def run_case(
    inputs: Sequence[str | os.PathLike[str]],
    case_path: str | os.PathLike[str],
    options: RunOptions | None = None,
    progress: Progress | None = None,
    engine: Engine | None = None,
    steps: Sequence[PipelineStep] = RUN_STEPS,
) -> RunSummary:
    """Ingest ``inputs`` (files and folders) into the case at ``case_path``
    and bring every later step up to date, on ``engine`` (default: the one
    ``options.engine`` names, with ``options.workers`` or ``options.master``). ``steps`` are the steps
    to run (``CLAIM_STEPS``: only store and assess ``options.claims``).

    Raises NoInputError, before the case is opened or made, when ``inputs``
    are given and none of them can be read."""
    options = options or RunOptions()
    if inputs and (unread := why_no_input_reads([str(p) for p in inputs])) is not None:
        raise NoInputError(unread)
    summary = RunSummary(case=str(case_path))
    started = time.monotonic()
    own_engine = engine is None
    engine = engine or start_engine(options.engine, workers=options.workers, master=options.master)
    try:
        with CaseStore(Path(case_path)) as store:
            # input_roots: the inputs made absolute, which readers show paths relative to (store/read_paths.py)
            arguments = {"inputs": [str(p) for p in inputs], "input_roots": [os.path.abspath(p) for p in inputs],
                         **asdict(options)}
            run_id = store.begin_run(arguments)
            context = RunContext([str(p) for p in inputs], store, engine, options, progress or NullProgress(),
                                 run_id, summary)
            try:
                _run_steps(context, steps)
            except KeyboardInterrupt:
                summary.status = "interrupted"
                raise
            except Exception:
                summary.status = "failed"  # recorded in runs; the case stays valid and the next run resumes
                raise
            finally:
                summary.problems = store.problems_by_reason(run_id)
                summary.seconds = round(time.monotonic() - started, 3)
                store.finish_run(run_id, summary.status, summary.to_dict())
    finally:
        if own_engine:
            engine.close()
    return summary


def _run_steps(context: RunContext, steps: Sequence[PipelineStep]) -> None:
    for ordinal, step in enumerate(steps):
        context.engine.begin_step(step.name)
        try:
            step.run(context)
        finally:  # a step cut short is recorded too, with what it did
            context.store.add_run_step(context.run_id, ordinal, context.engine.end_step())


def demo_claims_path() -> Path | None:
    """The demo's claims (examples/demo-claims.txt), if present: `sourcetrace run` with no input uses them."""
    candidate = Path(__file__).resolve().parents[2] / "examples" / "demo-claims.txt"
    return candidate if candidate.is_file() else None


def demo_corpus_path() -> Path | None:
    """The demo corpus shipped in the source tree (examples/demo), if present."""
    candidate = Path(__file__).resolve().parents[2] / "examples" / "demo"
    return candidate if candidate.is_dir() else None
