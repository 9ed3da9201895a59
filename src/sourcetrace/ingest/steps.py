"""The ingest steps of ``sourcetrace run``: read inputs, learn furniture, segment.

Inputs already in the case (same path, size and modification time) are
skipped unhashed. Furniture is learned over the whole case; when new pages
change what is learned, only the documents holding a line whose verdict
changed are segmented again (:class:`LearnFurniture`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, replace

from sourcetrace.ingest import spill as spilling
from sourcetrace.ingest.discover import FolderWithoutInputs, SkippedFile, discover_inputs
from sourcetrace.ingest.furniture import FurnitureModel, parse_fingerprint
from sourcetrace.ingest.furniture_learning import DocumentLines, LineRecordsStep, learn_from_lines
from sourcetrace.ingest.read import ReadOptions
from sourcetrace.ingest.segment import DocumentText, SegmentDocuments
from sourcetrace.ingest.spill import all_documents, make_spill_folder, remove_spill_folder
from sourcetrace.ingest.stage import ReadInputs
from sourcetrace.pipeline import PipelineStep, RunContext
from sourcetrace.records import IngestedInput, Problem, ProblemReason, SegmentedDocument
from sourcetrace.store import StoredDocumentText
from sourcetrace.store.write_furniture import (
    add_document_lines,
    document_text,
    documents_without_lines,
    iter_document_lines,
)

WRITE_BATCH = 200  # segmented documents per transaction


class IngestInputs(PipelineStep):
    """Discover the inputs and read each new one: hash, decode, extract."""

    name = "ingest"

    def run(self, context: RunContext) -> None:
        store, engine, summary = context.store, context.engine, context.summary
        options = context.options
        # The workers start and import the extractor while the driver walks the folders and
        # compares every file with the case (about a second at 19k files).
        engine.warm_up(ReadInputs(ReadOptions(extractor=options.extractor)))
        context.progress.phase("discovering inputs", None)
        pending = self._pending(context)
        context.progress.phase("ingesting", len(pending))
        # A large input's documents wait on disk, where the driver can read what the workers wrote;
        # what a killed run left there goes first.
        remove_spill_folder(store.path)
        spill = make_spill_folder(store.path) if engine.local_disk and pending else None
        step = ReadInputs(ReadOptions(extractor=options.extractor, max_document_bytes=options.max_document_bytes,
                                      spill_folder=None if spill is None else str(spill),
                                      spill_after_characters=spilling.SPILL_AFTER_CHARACTERS))
        try:
            results = engine.map(step, (path for path, _ in pending), chunksize=4)
            for (_, mtime_ns), result in zip(pending, results):
                self._store(context, result, mtime_ns)
                context.progress.advance()
        finally:
            remove_spill_folder(store.path)
        engine.count("skipped_inputs", summary.skipped_inputs)
        engine.count("skipped_files", sum(summary.skipped_files.values()))

    @staticmethod
    def _store(context: RunContext, result: IngestedInput, mtime_ns: int) -> None:
        summary = context.summary
        if context.store.add_ingested(result, mtime_ns, context.run_id, all_documents(result)):
            summary.inputs += 1
            summary.input_bytes += result.input.size
            summary.documents += result.document_count
        if result.spilled is not None:
            os.remove(result.spilled)
        if result.spilled_count:
            context.engine.count("spilled_inputs")

    def _pending(self, context: RunContext) -> list[tuple[str, int]]:
        """(path, mtime_ns) of every input not yet in the case."""
        pending: list[tuple[str, int]] = []
        summary = context.summary
        for found in discover_inputs(context.inputs):
            if isinstance(found, Problem):
                context.store.add_problem(found, "discover", context.run_id)
                continue
            if isinstance(found, SkippedFile):
                summary.skipped_files[found.extension] = summary.skipped_files.get(found.extension, 0) + 1
                continue
            if isinstance(found, FolderWithoutInputs):
                context.store.add_problem(found.problem(), "discover", context.run_id)
                summary.folders_without_inputs.append(found.path)
                continue
            stat = _stat(found, context)
            if stat is None:
                continue
            if context.store.is_known_input(found, stat.st_size, stat.st_mtime_ns):
                context.summary.skipped_inputs += 1
            else:
                pending.append((found, stat.st_mtime_ns))
        return pending


def _stat(path: str, context: RunContext) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError as error:
        problem = Problem(path, ProblemReason.UNREADABLE, f"cannot stat: {error.strerror or error}")
        context.store.add_problem(problem, "discover", context.run_id)
        return None


class LearnFurniture(PipelineStep):
    """Learn the lines that recur across unrelated documents (a whole-case
    step). Each document's line records are made once, on the engine, and
    stored; learning reads the stored records of the whole case. When the
    verdicts change, the documents holding a changed line are marked for
    segmenting again: a document's segments depend only on its own text and
    the verdicts on its lines."""

    name = "furniture"

    def run(self, context: RunContext) -> None:
        store, engine = context.store, context.engine
        if store.counts().unsegmented_documents == 0:
            return  # no new document: the corpus, and so what is learned, is unchanged
        context.progress.phase("reading page lines", None)
        batch: list[DocumentLines] = []
        for lines in engine.map(LineRecordsStep(), documents_without_lines(store), chunksize=64):
            batch.append(lines)
            if len(batch) >= WRITE_BATCH:
                add_document_lines(store, batch)
                batch.clear()
        add_document_lines(store, batch)
        context.progress.phase("learning page furniture", None)
        minimum = context.options.min_furniture_documents
        model = engine.on_driver(self.name, lambda: learn_from_lines(
            iter_document_lines(store), lambda i: document_text(store, i), minimum))
        old = {fingerprint for fingerprint, _, _ in store.learned_furniture_rows()}
        rows = model.to_rows()
        changed = {parse_fingerprint(fingerprint) for fingerprint in old ^ {fingerprint for fingerprint, _, _ in rows}}
        store.replace_learned_furniture(rows)
        engine.count("learned_lines", len(rows))
        if changed:  # on a first run no document is segmented yet: nothing to redo
            affected = [d.document_id for d in iter_document_lines(store, segmented_only=True) if d.holds(changed)]
            store.mark_unsegmented(affected)
            context.summary.resegmented_documents += len(affected)
            engine.count("resegmented_documents", len(affected))


class SegmentPages(PipelineStep):
    """Cut furniture out of each document not yet segmented and split
    composite pages into their articles."""

    name = "segment"

    def run(self, context: RunContext) -> None:
        store = context.store
        pending = store.counts().unsegmented_documents
        if pending == 0:
            return
        model = FurnitureModel.from_rows(store.learned_furniture_rows())
        context.progress.phase("segmenting", pending)
        metadata: dict[int, StoredDocumentText] = {}

        def documents() -> Iterator[DocumentText]:
            for doc in store.iter_document_texts(unsegmented_only=True):
                metadata[doc.id] = doc
                yield DocumentText(document_id=doc.id, text=doc.text, published=doc.published)

        batch: list[SegmentedDocument] = []
        for result in context.engine.map(SegmentDocuments(model), documents(), chunksize=32):
            batch.append(_with_document_metadata(result, metadata.pop(result.document_id)))
            if len(batch) >= WRITE_BATCH:
                self._write(context, batch)
        self._write(context, batch)

    def _write(self, context: RunContext, batch: list[SegmentedDocument]) -> None:
        if not batch:
            return
        context.summary.segments += context.store.add_segmented(batch, context.run_id)
        context.summary.duplicate_segments += sum(s.duplicate_of is not None for d in batch for s in d.segments)
        context.progress.advance(len(batch))
        batch.clear()


def _with_document_metadata(result: SegmentedDocument, doc: StoredDocumentText) -> SegmentedDocument:
    """A segment without its own title, date, credit or byline inherits the page's."""
    return inherit_page_metadata(result, PageMetadata(doc.title, doc.author, doc.published, doc.source))


@dataclass(frozen=True, slots=True)
class PageMetadata:
    """What a page's metadata says of the article it holds."""

    title: str | None = None
    author: str | None = None
    published: str | None = None
    source: str | None = None


def inherit_page_metadata(result: SegmentedDocument, page: PageMetadata) -> SegmentedDocument:
    """Segments without their own date or credit take the page's. A lone
    article takes the page's title (page metadata beats a guessed headline)
    and, when it has no byline, the page's author: on a page of several
    stories the page's author is no story's."""
    kept = [s for s in result.segments if s.duplicate_of is None]
    lone = len(kept) == 1
    segments = [
        replace(
            s,
            title=(page.title or s.title) if lone else s.title,
            byline=(s.byline or page.author) if lone else s.byline,
            published=s.published or page.published,
            credit=s.credit or page.source,
        )
        for s in result.segments
    ]
    return replace(result, segments=segments)
