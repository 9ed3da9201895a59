"""CaseReader: every read of a case, through one read-only connection.

The terminal commands, the JSON export, the HTML report, the web app and the
public API read a case only through this class; the writer (CaseStore in
case.py) is the only code that changes it. The queries are grouped by what
they read: read_copies (segments, families, documents), read_statements,
read_export and search (FTS5); this module opens the case and reads its
counts, problems and runs.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path

from sourcetrace.records import SegmentForReuse
from sourcetrace.store import read_claims as claimed
from sourcetrace.store import read_copies as copies
from sourcetrace.store import read_events as dated
from sourcetrace.store import read_paths as shown
from sourcetrace.store import read_sources as outlets
from sourcetrace.store import read_statements as said
from sourcetrace.store import read_stories as told
from sourcetrace.store.case import (
    KILLED_RUN,
    CaseCounts,
    CaseError,
    CaseStore,
    _check_is_case,
    _schema_version,
    unopenable,
    writer_holds_lock,
)
from sourcetrace.store.read_export import Row, export_sections
from sourcetrace.store.read_index import ReadIndex, browse_indexed, search_segments
from sourcetrace.store.schema import SCHEMA_VERSION
from sourcetrace.views import (
    KINDS,
    ClaimSummary,
    ClaimView,
    DocumentView,
    EventView,
    FamilySummary,
    FamilyView,
    InputView,
    Overview,
    Page,
    PairView,
    ProblemView,
    RunView,
    SearchPage,
    SegmentFilters,
    SegmentView,
    SourceView,
    SpeakerView,
    StatementSummary,
    StatementView,
    StepView,
    StorySummary,
    StoryView,
)

PER_PAGE = 50


def _no_case_error(path: Path) -> CaseError:
    return CaseError(f"no case at {path}: run `sourcetrace run INPUT... --case {path}` first")


class CaseReader:
    """A case opened read-only: it cannot change the case, whatever is asked of it."""

    def __init__(self, path: str | Path, *, full_paths: bool = True) -> None:
        """``full_paths=False`` shows input paths relative to the runs' inputs (read_paths.py)."""
        self.path = Path(path)
        if not self.path.is_file():
            raise _no_case_error(self.path)
        _bring_up_to_date(self.path)
        self._db = _connect_read_only(self.path)
        self.full_paths = full_paths
        shown.register(self._db, full_paths)
        self._index: ReadIndex | None = None  # attach_read_index() sets it

    @property
    def name(self) -> str:
        return self.path.name

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> CaseReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- what the case holds ---------------------------------------------------------------

    def counts(self) -> CaseCounts:
        one = self._one
        return CaseCounts(
            inputs=one("SELECT count(*) FROM inputs"),
            input_bytes=one("SELECT coalesce(sum(size), 0) FROM inputs"),
            documents=one("SELECT count(*) FROM documents"),
            segments=one("SELECT count(*) FROM segments"),
            duplicate_segments=one("SELECT count(*) FROM segments WHERE duplicate_of IS NOT NULL"),
            unsegmented_documents=one("SELECT count(*) FROM documents WHERE segmented = 0"),
            problems=one("SELECT count(*) FROM problems"),
        )

    def overview(self) -> Overview:
        one = self._one
        kinds = dict(self._db.execute("SELECT kind, count(*) FROM family_members GROUP BY kind"))
        inputs = tuple(InputView(*row) for row in self._db.execute(
            """SELECT i.id, shown_path(i.path), i.sha256, i.kind, i.size, (SELECT count(*) FROM documents d WHERE d.input_id = i.id)
               FROM inputs i ORDER BY i.id LIMIT 100"""))
        return Overview(
            case=self.name,
            inputs=one("SELECT count(*) FROM inputs"),
            input_bytes=one("SELECT coalesce(sum(size), 0) FROM inputs"),
            documents=one("SELECT count(*) FROM documents"),
            segments=one("SELECT count(*) FROM segments"),
            repeats=one("SELECT count(*) FROM segments WHERE duplicate_of IS NOT NULL"),
            # Pages: a page's other captures (docs/copies.md#captures) are neither kept pages nor copies.
            kept=one("SELECT count(*) FROM family_members WHERE kind != 'capture'"),
            copies=one("SELECT count(*) FROM family_members WHERE kind NOT IN ('origin', 'capture')"),
            families_with_copies=one("SELECT count(*) FROM families WHERE size > 1"),
            singletons=copies.singletons(self._db),
            problems=one("SELECT count(*) FROM problems"),
            problem_reasons=self.problems_by_reason(),
            kind_counts={kind: int(kinds.get(kind, 0)) for kind in KINDS},
            first_inputs=inputs,
            statements_available=said.has_statements(self._db),
            stories=told.story_count(self._db),
            events=dated.event_count(self._db),
            claims=one("SELECT count(*) FROM claims"),
        )

    def _one(self, sql: str) -> int:
        return int(self._db.execute(sql).fetchone()[0] or 0)

    # -- problems and runs -----------------------------------------------------------------

    def problems_by_reason(self) -> dict[str, int]:
        rows = self._db.execute("SELECT reason, count(*) FROM problems GROUP BY reason ORDER BY count(*) DESC, reason")
        return {reason: count for reason, count in rows}

    def problems(self, limit: int | None = None, offset: int = 0) -> list[ProblemView]:
        """Errors before warnings, then by reason and input."""
        rows = self._db.execute(
            """SELECT shown_path(path), CASE WHEN ordinal < 0 THEN NULL ELSE ordinal END, stage, reason, severity,
                      shown_text(message)
               FROM problems ORDER BY severity = 'warning', reason, path, ordinal LIMIT ? OFFSET ?""",
            (-1 if limit is None else limit, offset))
        return [ProblemView(*row) for row in rows]

    def problems_page(self, page: int = 1, per_page: int = PER_PAGE) -> Page[ProblemView]:
        listed = self.problems(per_page, (page - 1) * per_page)
        return Page(tuple(listed), page, per_page, self._one("SELECT count(*) FROM problems"))

    def last_run(self) -> RunView | None:
        """The latest run, with its steps in pipeline order."""
        row = self._db.execute(
            "SELECT id, status, started_at, finished_at, summary FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        if row is None:
            return None
        run_id, status, started_at, finished_at, summary = row
        if status == "running" and not writer_holds_lock(self.path):
            status = KILLED_RUN  # its process died before recording its end; the next run records it so
        summary_fields = json.loads(summary) if summary else {}
        seconds = summary_fields.get("seconds")
        steps = tuple(
            StepView(step, started, seconds_, cpu, records, json.loads(counters))
            for step, started, seconds_, cpu, records, counters in self._db.execute(
                "SELECT step, started_at, seconds, cpu_seconds, records, counters FROM run_steps"
                " WHERE run_id = ? ORDER BY ordinal", (run_id,)))
        return RunView(run_id, status, started_at, finished_at, seconds, steps,
                       summary_fields.get("skipped_files", {}))  # not in runs before sourcetrace skipped files

    # -- copies ----------------------------------------------------------------------------

    def families(self, limit: int | None = None, *, min_size: int = 2) -> list[FamilyView]:
        """Families with at least ``min_size`` members (2: those with copies), largest first."""
        return copies.families(self._db, copies.family_ids(self._db, min_size=min_size, limit=limit))

    def families_page(self, page: int = 1, per_page: int = PER_PAGE, *, min_size: int = 2) -> Page[FamilySummary]:
        ids = copies.family_ids(self._db, min_size=min_size, limit=per_page, offset=(page - 1) * per_page)
        total = copies.family_count(self._db, min_size=min_size)
        return Page(tuple(copies.family_summaries(self._db, ids)), page, per_page, total)

    def family(self, family_id: int) -> FamilyView | None:
        found = copies.families(self._db, [family_id])
        return found[0] if found else None

    def family_of(self, segment_id: int) -> FamilyView | None:
        """The family a segment belongs to; None for a repeat inside its page or an unknown id."""
        family_id = copies.family_of(self._db, segment_id)
        return None if family_id is None else self.family(family_id)

    def family_count(self, *, min_size: int = 2) -> int:
        """How many families ``families`` lists with no limit."""
        return copies.family_count(self._db, min_size=min_size)

    def singletons(self) -> int:
        """Kept segments that no other segment copies and that copy none."""
        return copies.singletons(self._db)

    def pair(self, segment_id: int) -> PairView | None:
        """A copy beside the segment it derives from; None for an origin or an unknown id."""
        return copies.pair(self._db, segment_id)

    # -- segments and documents ------------------------------------------------------------

    def segments(self, ids: Sequence[int]) -> dict[int, SegmentView]:
        return copies.segments(self._db, ids)

    def segment(self, segment_id: int) -> SegmentView | None:
        return copies.segments(self._db, [segment_id]).get(segment_id)

    def segment_ids(self) -> list[int]:
        return copies.segment_ids(self._db)

    def segment_text(self, segment_id: int) -> str | None:
        return copies.segment_text(self._db, segment_id)

    def segment_texts(self, ids: Sequence[int]) -> dict[int, str]:
        return copies.segment_texts(self._db, ids)

    def kept_segment_ids(self) -> Iterator[int]:
        return copies.kept_segment_ids(self._db)

    def kept_segment_count(self) -> int:
        return copies.kept_segment_count(self._db)

    def segments_for_reuse(self) -> Iterator[SegmentForReuse]:
        return copies.segments_for_reuse(self._db)

    def trace_index(self) -> bytes | None:
        """The rare-word index the last run saved, or None when missing or out of date."""
        return copies.trace_index(self._db)

    def document(self, document_id: int) -> DocumentView | None:
        return copies.document(self._db, document_id)

    def document_sizes(self) -> dict[int, int]:
        """Document id -> length of its extracted text, in id order."""
        return copies.document_sizes(self._db)

    # -- browsing and search ---------------------------------------------------------------

    def browse(self, filters: SegmentFilters, page: int = 1, per_page: int = PER_PAGE) -> SearchPage:
        if self._index is not None:
            return browse_indexed(self._db, filters, page, per_page)
        return copies.browse_segments(self._db, filters, page, per_page)

    def build_read_index(self) -> ReadIndex:
        """The app's search and timeline index of the case, in a temporary file; remove() it when done."""
        return ReadIndex.build(self._db)

    def attach_read_index(self, index: ReadIndex) -> None:
        """Search, and read the timeline by place, from ``index`` (built from this case as it is now)."""
        index.attach(self._db)
        self._index = index

    def search(self, query: str, filters: SegmentFilters, page: int = 1, per_page: int = PER_PAGE) -> SearchPage:
        """Segments matching ``query`` and the filters; needs attach_read_index() first."""
        if self._index is None:
            raise RuntimeError("search needs the read index: attach_read_index() first")
        return search_segments(self._db, query, filters, page, per_page, self._index)

    # -- statements ------------------------------------------------------------------------

    def speakers(self) -> list[SpeakerView]:
        return said.speakers(self._db)

    def statements(self, speaker: str | None = None, *, altered_only: bool = False,
                   limit: int | None = None) -> list[StatementView]:
        """Statements with their occurrences, most repeated first; ``speaker`` matches names in part."""
        return said.with_occurrences(self._db, said.statement_summaries(
            self._db, speaker=speaker, altered_only=altered_only, limit=limit))

    def statement_count(self, speaker: str | None = None, *, altered_only: bool = False) -> int:
        """How many statements ``statements`` lists with no limit."""
        return said.statement_count(self._db, speaker=speaker, altered_only=altered_only)

    def statements_page(self, page: int = 1, per_page: int = PER_PAGE, *, speaker: str | None = None,
                        altered_only: bool = False) -> Page[StatementSummary]:
        return said.statements_page(self._db, page, per_page, speaker=speaker, altered_only=altered_only)

    def statement(self, statement_id: int) -> StatementView | None:
        return said.statement(self._db, statement_id)

    def with_occurrences(self, listed: Sequence[StatementSummary]) -> list[StatementView]:
        return said.with_occurrences(self._db, listed)

    # -- stories ---------------------------------------------------------------------------

    def stories(self, limit: int | None = None) -> list[StorySummary]:
        """Stories, those with the most independent sources first."""
        return told.story_summaries(self._db, limit)

    def story_count(self) -> int:
        return told.story_count(self._db)

    def stories_page(self, page: int = 1, per_page: int = PER_PAGE) -> Page[StorySummary]:
        listed = told.story_summaries(self._db, per_page, (page - 1) * per_page)
        return Page(tuple(listed), page, per_page, told.story_count(self._db))

    def story(self, story_id: int) -> StoryView | None:
        return told.story(self._db, story_id)

    def story_of(self, segment_id: int) -> int | None:
        """The id of the story a segment is in; None when it is in none."""
        return told.story_of_segment(self._db, segment_id)

    # -- sources ---------------------------------------------------------------------------

    def sources(self, limit: int | None = None) -> list[SourceView]:
        """The case's outlets with their types, most segments first (docs/sources.md)."""
        return outlets.sources(self._db, limit)

    def source_count(self) -> int:
        return outlets.source_count(self._db)

    # -- timeline --------------------------------------------------------------------------

    def events(self, story: int | None = None, limit: int | None = None) -> list[EventView]:
        """Dated events (publications and mentioned dates) in date order; ``story`` keeps one story's."""
        return dated.events(self._db, story, limit=limit)

    def event_count(self, story: int | None = None) -> int:
        return dated.event_count(self._db, story)

    def events_page(self, page: int = 1, per_page: int = PER_PAGE, *, story: int | None = None,
                    kind: str | None = None) -> Page[EventView]:
        """A page of the timeline; ``story`` keeps one story's events, ``kind`` one kind (EVENT_KINDS)."""
        offset = (page - 1) * per_page
        if self._index is not None and story is None:
            listed = dated.placed_events(self._db, kind, per_page, offset)
            return Page(tuple(listed), page, per_page, dated.placed_event_count(self._db, kind))
        listed = dated.events(self._db, story, kind, per_page, offset)
        return Page(tuple(listed), page, per_page, dated.event_count(self._db, story, kind))

    def has_stories(self) -> bool:
        """True once stories have been built."""
        return dated.has_stories(self._db)

    # -- claims ----------------------------------------------------------------------------

    def claims(self, limit: int | None = None) -> list[ClaimSummary]:
        """Claims with their independent-source counts: supplied ones in the order added, then found ones."""
        return claimed.claim_summaries(self._db, limit)

    def claim(self, claim_id: int) -> ClaimView | None:
        """One claim with its positions side by side; None for an unknown id."""
        return claimed.claim(self._db, claim_id)

    def claim_count(self) -> int:
        return claimed.claim_count(self._db)

    def has_claims(self) -> bool:
        return claimed.has_claims(self._db)

    # -- export ----------------------------------------------------------------------------

    def export_sections(self) -> Iterator[tuple[str, Iterator[Row]]]:
        """The JSON export's sections with their rows, streamed (docs/json-export.md)."""
        return export_sections(self._db)


def _bring_up_to_date(path: Path) -> None:
    """Refuse what is not a case; let the writer migrate a case of an older schema.

    The checks are the writer's own (case.py), so that reader and writer
    refuse the same files with the same words. The queries here assume the
    current schema, and only the writer changes a case, so an older case is
    migrated by opening it once with CaseStore; a newer one is refused by
    CaseStore's own check.
    """
    try:
        probe = _connect_read_only(path)
        try:
            _check_is_case(probe, path)
            version = _schema_version(probe)
        finally:
            probe.close()
    except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
        raise CaseError(unopenable(path, error)) from error
    if version == 0:  # an empty file or an empty database: nothing to read
        raise CaseError(f"{path} is not a sourcetrace case (it holds no tables)")
    if version != SCHEMA_VERSION:
        CaseStore(path, create=False).close()


def _connect_read_only(path: Path) -> sqlite3.Connection:
    # as_uri() percent-encodes the path, so a file name holding '?' or '#' stays a file name.
    db = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    db.execute("PRAGMA query_only = 1")
    return db
