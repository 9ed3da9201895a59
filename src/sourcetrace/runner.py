"""Build or extend a case: discover inputs, ingest, learn furniture, segment.

Each phase reads its work from the case and writes each finished unit back in
one transaction, which is what makes re-runs add nothing twice and lets an
interrupted run be completed by the next one.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from sourcetrace.engines.local import LocalEngine
from sourcetrace.ingest.discover import iter_input_files
from sourcetrace.ingest.extract import Extractor
from sourcetrace.ingest.furniture import FurnitureModel
from sourcetrace.ingest.read import ReadOptions
from sourcetrace.ingest.segment import DocumentText, SegmentDocuments
from sourcetrace.ingest.stage import ReadInputs
from sourcetrace.progress import NullProgress, Progress
from sourcetrace.records import Problem, ProblemReason, SegmentedDocument
from sourcetrace.reuse.copymap import ReuseIndex, build_copy_map
from sourcetrace.store import CaseStore, StoredDocumentText
from sourcetrace.voices import Attribution, VoicesStage, batches, merge_statements


@dataclass(slots=True)
class RunSummary:
    """What one run added to a case."""

    case: str
    status: str = "finished"  # or "interrupted"
    inputs: int = 0  # inputs ingested by this run
    skipped_inputs: int = 0  # already in the case, unchanged
    input_bytes: int = 0
    documents: int = 0
    segments: int = 0
    duplicate_segments: int = 0
    families: int = 0  # families with at least one copy, over the whole case
    copies: int = 0  # segments derived from another, over the whole case
    statements: int = 0  # statements over the whole case
    altered_occurrences: int = 0  # occurrences whose words differ from their statement's reference form
    problems: dict[str, int] = field(default_factory=dict)  # reason -> count, this run
    seconds: float = 0.0

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class RunOptions:
    workers: int | None = None  # default: all cores
    extractor: Extractor = "trafilatura"
    max_document_bytes: int = 50 * 2**20
    min_furniture_documents: int = 3


def run_case(
    inputs: Sequence[str | os.PathLike[str]],
    case_path: str | os.PathLike[str],
    options: RunOptions = RunOptions(),
    progress: Progress | None = None,
) -> RunSummary:
    """Ingest ``inputs`` (files and folders) into the case at ``case_path``."""
    progress = progress or NullProgress()
    summary = RunSummary(case=str(case_path))
    started = time.monotonic()
    engine = LocalEngine(options.workers)
    with CaseStore(case_path) as store:
        run_id = store.begin_run({"inputs": [str(p) for p in inputs], **asdict(options)})
        try:
            _ingest(store, run_id, [str(p) for p in inputs], options, engine, progress, summary)
            _segment(store, run_id, options, engine, progress, summary)
            _trace_copies(store, options, progress, summary)
            _find_statements(store, run_id, engine, progress, summary)
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
    return summary


def _ingest(
    store: CaseStore,
    run_id: int,
    inputs: list[str],
    options: RunOptions,
    engine: LocalEngine,
    progress: Progress,
    summary: RunSummary,
) -> None:
    progress.phase("discovering inputs", None)
    pending: list[tuple[str, int]] = []  # (path, mtime_ns) not yet in the case
    for found in iter_input_files(inputs):
        if isinstance(found, Problem):
            store.add_problem(found, "discover", run_id)
            continue
        stat = _stat(found, store, run_id)
        if stat is None:
            continue
        if store.is_known_input(found, stat.st_size, stat.st_mtime_ns):
            summary.skipped_inputs += 1
        else:
            pending.append((found, stat.st_mtime_ns))
    progress.phase("ingesting", len(pending))
    stage = ReadInputs(ReadOptions(extractor=options.extractor, max_document_bytes=options.max_document_bytes))
    results = engine.map(stage, (path for path, _ in pending), chunksize=4)
    for (path, mtime_ns), result in zip(pending, results):
        if store.add_ingested(result, mtime_ns, run_id):
            summary.inputs += 1
            summary.input_bytes += result.input.size
            summary.documents += len(result.documents)
        progress.advance()


def _stat(path: str, store: CaseStore, run_id: int) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError as error:
        store.add_problem(
            Problem(path, ProblemReason.UNREADABLE, f"cannot stat: {error.strerror or error}"), "discover", run_id
        )
        return None


def _segment(
    store: CaseStore, run_id: int, options: RunOptions, engine: LocalEngine, progress: Progress, summary: RunSummary
) -> None:
    pending = store.counts().unsegmented_documents
    if pending == 0:
        return
    progress.phase("learning page furniture", None)
    texts = ((doc.id, doc.text) for doc in store.iter_document_texts())
    model = FurnitureModel.learn(texts, min_documents=options.min_furniture_documents)
    store.replace_learned_furniture(model.to_rows())
    progress.phase("segmenting", pending)
    metadata: dict[int, StoredDocumentText] = {}

    def stage_inputs() -> Iterator[DocumentText]:
        for doc in store.iter_document_texts(unsegmented_only=True):
            metadata[doc.id] = doc
            yield DocumentText(document_id=doc.id, text=doc.text, published=doc.published)

    batch: list[SegmentedDocument] = []
    for result in engine.map(SegmentDocuments(model), stage_inputs(), chunksize=32):
        batch.append(_with_document_metadata(result, metadata.pop(result.document_id)))
        if len(batch) >= 200:
            _write_segments(store, run_id, batch, summary, progress)
    _write_segments(store, run_id, batch, summary, progress)


def _write_segments(
    store: CaseStore, run_id: int, batch: list[SegmentedDocument], summary: RunSummary, progress: Progress
) -> None:
    if not batch:
        return
    summary.segments += store.add_segmented(batch, run_id)
    summary.duplicate_segments += sum(s.duplicate_of is not None for d in batch for s in d.segments)
    progress.advance(len(batch))
    batch.clear()


def _with_document_metadata(result: SegmentedDocument, doc: StoredDocumentText) -> SegmentedDocument:
    """A segment without its own title, date or credit inherits the page's."""
    kept = [s for s in result.segments if s.duplicate_of is None]
    segments = [
        replace(
            s,
            # A lone article's title is the page's: page metadata beats a guessed headline.
            title=(doc.title or s.title) if len(kept) == 1 else s.title,
            published=s.published or doc.published,
            credit=s.credit or doc.source,
        )
        for s in result.segments
    ]
    return replace(result, segments=segments)


def _trace_copies(store: CaseStore, options: RunOptions, progress: Progress, summary: RunSummary) -> None:
    """Recompute the copy map over the whole case when segments were added."""
    if not store.copy_map_is_current():
        progress.phase("tracing copies", None)
        segments = list(store.iter_segments_for_reuse())
        copy_map = build_copy_map(segments, workers=options.workers)
        store.replace_copy_map(copy_map.relations, copy_map.families)
        # Saved so that `sourcetrace trace` answers without rebuilding it.
        store.save_trace_index(ReuseIndex.build(segments, copy_map.text_groups).anchors_to_bytes())
    summary.families, summary.copies = store.copy_map_counts()


def _find_statements(
    store: CaseStore, run_id: int, engine: LocalEngine, progress: Progress, summary: RunSummary
) -> None:
    """Re-extract and re-merge statements over the whole case when segments were added."""
    if not store.statements_are_current():
        segments = list(store.iter_segments_for_reuse())
        progress.phase("finding statements", len(segments))
        found: dict[int, list[Attribution]] = {}
        for batch in engine.map(VoicesStage(), batches(segments, 32)):
            for result in batch:
                found[result.segment] = list(result.attributions)
                if result.error:
                    store.add_statements_problem(result.segment, result.error, run_id)
            progress.advance(len(batch))
        dates = {s.id: s.published for s in segments}
        store.replace_statements(merge_statements(found, dates, store.family_of_segments()))
    summary.statements, summary.altered_occurrences = store.statement_counts()


def demo_corpus_path() -> Path | None:
    """The demo corpus shipped in the source tree (examples/demo), if present."""
    candidate = Path(__file__).resolve().parents[2] / "examples" / "demo"
    return candidate if candidate.is_dir() else None

