"""The case file: the only code that writes it.

Every unit of work (one input with its documents and problems; one batch of
segmented documents) is written in a single transaction, so a run killed at
any moment leaves a valid case and the next run picks up where it stopped.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, NamedTuple

from sourcetrace.records import (
    Document,
    Family,
    IngestedInput,
    Problem,
    ProblemReason,
    Relation,
    SegmentedDocument,
    SegmentForReuse,
    Statement,
)
from sourcetrace.store.codecs import (
    attributions_from_json,
    attributions_json,
    passages_json,
    verdict_from_json,
    verdict_json,
)
from sourcetrace.store.schema import MIGRATIONS, SCHEMA_VERSION

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from sourcetrace.engines.contract import StepReport
    from sourcetrace.reuse.relations import PairVerdict
    from sourcetrace.voices.statements import Attribution

SEGMENT_ID_BASE = 1000  # a segment's id: its document's id * 1000 + its ordinal, the same however runs were split

APPLICATION_ID = 0x53545243  # "STRC": marks a SQLite file as a sourcetrace case

# The status of a run whose process ended without recording its end (SIGKILL, a crash, power
# loss): the row still says running, but no writer holds the case. The next run completes it.
KILLED_RUN = "killed"
WRITER_LOCK_ATTEMPTS = 5  # a second writer is refused after about 0.25 s


class CaseError(Exception):
    """The case file cannot be opened or used; the message says why and what to do."""


class StoredDocumentText(NamedTuple):
    id: int
    text: str
    title: str | None
    published: str | None
    source: str | None
    author: str | None  # from the page's metadata: the byline of a page holding one article


@dataclass(frozen=True, slots=True)
class CaseCounts:
    inputs: int
    input_bytes: int
    documents: int
    segments: int
    duplicate_segments: int
    unsegmented_documents: int
    problems: int


@dataclass(frozen=True, slots=True)
class StoredProblem:
    path: str
    ordinal: int | None
    stage: str
    reason: str
    severity: str
    message: str


@dataclass(frozen=True, slots=True)
class MergedFamily:
    """A segment's place in the copy map when its statements were merged."""

    family: int | None
    is_origin: bool  # the family's determined origin: its occurrences are the reference forms


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class CaseStore:
    """A sourcetrace case file opened for reading and writing."""

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        self.path = Path(path)
        if not self.path.exists():
            if not create:
                raise CaseError(f"no case at {self.path}: run `sourcetrace run INPUT... --case {self.path}` first")
            check_can_create(self.path)
        existed = self.path.exists() and self.path.stat().st_size > 0
        self._lock: IO[bytes] | None = None
        self._db = _connect(self.path)
        try:
            self._lock = _writer_lock(self.path)
            _check_is_case(self._db, self.path)
            if existed:
                _check_intact(self._db, self.path)
            _migrate(self._db, self.path)
        except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
            self.close()
            raise CaseError(_damaged(self.path, str(error))) from error
        except CaseError:
            self.close()
            raise

    # -- lifecycle ---------------------------------------------------------

    def close(self) -> None:
        self._db.close()
        if self._lock is not None:
            self._lock.close()  # releases the writer's lock
            self._lock = None

    def __enter__(self) -> CaseStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One unit of work: committed whole, or rolled back on an exception.
        For the writer modules of this package only."""
        with self._db:
            yield self._db

    # -- runs --------------------------------------------------------------

    def begin_run(self, arguments: dict[str, object]) -> int:
        with self.transaction() as db:
            # This writer holds the case's lock, so a run still marked running is one whose
            # process was killed before it could record its end (KILLED_RUN).
            db.execute("UPDATE runs SET status = ? WHERE status = 'running'", (KILLED_RUN,))
            cursor = db.execute(
                "INSERT INTO runs (started_at, status, arguments) VALUES (?, 'running', ?)",
                (utc_now(), json.dumps(arguments)),
            )
        return int(cursor.lastrowid or 0)

    def finish_run(self, run_id: int, status: str, summary: dict[str, object]) -> None:
        with self.transaction() as db:
            db.execute(
                "UPDATE runs SET finished_at = ?, status = ?, summary = ? WHERE id = ?",
                (utc_now(), status, json.dumps(summary), run_id),
            )

    def add_run_step(self, run_id: int, ordinal: int, report: StepReport) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO run_steps VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (run_id, ordinal, report.step, report.started_at, report.seconds, report.cpu_seconds,
                 report.records, json.dumps(dict(sorted(report.counters.items())))),
            )

    # -- inputs and documents ---------------------------------------------

    def is_known_input(self, path: str, size: int, mtime_ns: int) -> bool:
        """True when this file was ingested before and looks unchanged."""
        row = self._db.execute(
            "SELECT 1 FROM inputs WHERE path = ? AND size = ? AND mtime_ns = ? LIMIT 1",
            (path, size, mtime_ns),
        ).fetchone()
        return row is not None

    def add_ingested(self, result: IngestedInput, mtime_ns: int, run_id: int | None,
                     documents: Iterable[Document] | None = None) -> bool:
        """Write one input with its documents (``documents``, streamed, when given: a large input's,
        read back from disk; else ``result.documents``) and problems, in one transaction. Returns
        False when the same bytes at the same path were already in the case."""
        record = result.input
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT OR IGNORE INTO inputs (path, sha256, size, mtime_ns, kind, ingested_at, run_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (record.path, record.sha256, record.size, mtime_ns, record.kind.value, record.ingested_at, run_id),
            )
            if cursor.rowcount == 0:
                db.execute(
                    "UPDATE inputs SET mtime_ns = ? WHERE path = ? AND sha256 = ?",
                    (mtime_ns, record.path, record.sha256),
                )
                return False
            input_id = int(cursor.lastrowid or 0)
            db.executemany(_INSERT_DOCUMENT, (_document_row(input_id, d)
                                              for d in (result.documents if documents is None else documents)))
            for problem in result.problems:
                _insert_problem(db, problem, "ingest", run_id, input_id)
        return True

    def add_problem(self, problem: Problem, stage: str, run_id: int | None) -> None:
        with self.transaction() as db:
            _insert_problem(db, problem, stage, run_id, None)

    def iter_document_texts(
        self, *, unsegmented_only: bool = False, segmented_only: bool = False, batch_size: int = 500
    ) -> Iterator[StoredDocumentText]:
        where = "WHERE segmented = 0" if unsegmented_only else "WHERE segmented = 1" if segmented_only else ""
        last_id = 0
        while True:  # keyset pagination: no long-lived read cursor across writes
            rows = self._db.execute(
                f"SELECT id, text, title, published, source, author FROM documents {where}"
                f" {'AND' if where else 'WHERE'} id > ? ORDER BY id LIMIT ?",
                (last_id, batch_size),
            ).fetchall()
            if not rows:
                return
            yield from (StoredDocumentText(*row) for row in rows)
            last_id = rows[-1][0]

    # -- furniture and segments -------------------------------------------

    def learned_furniture_rows(self) -> list[tuple[str, str, int]]:
        return [(fp, example, count) for fp, example, count in self._db.execute(
            "SELECT fingerprint, example, documents FROM learned_furniture ORDER BY fingerprint")]

    def mark_unsegmented(self, document_ids: Iterable[int]) -> None:
        """Documents to segment again (their learned furniture changed); their
        segments stay until the new ones replace them."""
        with self.transaction() as db:
            db.executemany("UPDATE documents SET segmented = 0 WHERE id = ?", [(i,) for i in document_ids])

    def replace_learned_furniture(self, rows: Iterable[tuple[str, str, int]]) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM learned_furniture")
            db.executemany("INSERT INTO learned_furniture VALUES (?, ?, ?)", rows)

    def add_segmented(self, batch: Iterable[SegmentedDocument], run_id: int | None = None) -> int:
        """Write segments and furniture for a batch of documents, marking them
        segmented. Returns the number of segments written."""
        written = 0
        with self.transaction() as db:
            for doc in batch:
                written += _write_segmented_document(db, doc, run_id)
        return written

    # -- the copy map ------------------------------------------------------

    def iter_segments_for_reuse(self, *, without_statements: bool = False) -> Iterator[SegmentForReuse]:
        """Kept segments (not repeats inside their page) with what origins need."""
        pending = " AND s.id NOT IN (SELECT segment_id FROM segment_statements)" if without_statements else ""
        # When the page was collected: its WARC-Date, else its file's modification time (for captures).
        rows = self._db.execute(
            "SELECT s.id, s.text, s.document_id, s.published, s.credit, s.title, d.url,"
            " coalesce(d.fetched, strftime('%Y-%m-%dT%H:%M:%SZ', i.mtime_ns / 1000000000, 'unixepoch'))"
            " FROM segments s JOIN documents d ON d.id = s.document_id JOIN inputs i ON i.id = d.input_id"
            f" WHERE s.duplicate_of IS NULL{pending} ORDER BY s.id"
        ).fetchall()  # fetched whole: the run writes while it reads them
        for row in rows:
            yield SegmentForReuse(*row)

    def replace_copy_map(self, relations: Iterable[Relation], families: Iterable[Family],
                         decided: Mapping[int, tuple[str, str]] | None = None) -> None:
        """The copy map is computed over the whole case, so it replaces the last
        one; ``decided`` (family key -> inputs digest, result) replaces the
        decided families kept for the next run (reuse/decided.py)."""
        with self.transaction() as db:
            for table in ("family_members", "families", "relations", "decided_families"):
                db.execute(f"DELETE FROM {table}")
            db.executemany("INSERT INTO decided_families VALUES (?, ?, ?)",
                           [(key, digest, result) for key, (digest, result) in sorted((decided or {}).items())])
            db.executemany(
                "INSERT INTO relations VALUES (?, ?, ?, ?, ?)",
                [(r.segment, r.parent, r.kind, r.score, passages_json(r.passages)) for r in relations],
            )
            for family in families:
                _write_family(db, family)
            db.execute(
                "INSERT OR REPLACE INTO meta SELECT 'copy_map_version', coalesce("
                "(SELECT value FROM meta WHERE key = 'segments_version'), '0')"
            )

    # -- per-unit results that runs reuse ----------------------------------

    def stored_verdicts(self) -> dict[tuple[int, int], PairVerdict | None]:
        """Every pair verified so far, derived (its verdict) or not (None)."""
        return {(a, b): verdict_from_json(a, b, text)
                for a, b, text in self._db.execute("SELECT a, b, verdict FROM pair_verdicts")}

    def add_verdicts(self, verdicts: Iterable[tuple[int, int, PairVerdict | None]]) -> None:
        with self.transaction() as db:
            db.executemany("INSERT OR REPLACE INTO pair_verdicts VALUES (?, ?, ?)",
                           [(a, b, verdict_json(v)) for a, b, v in verdicts])

    def forget_verdicts_unless_verified_by(self, verifier: str) -> bool:
        """Drop every stored pair verdict when another version of the rules verified them
        (``meta.pair_verifier``), and mark the copy map and what rests on it out of date,
        so that the next steps verify every pair again: a case then equals one built from
        scratch by this version. True when verdicts were dropped."""
        if self._meta("pair_verifier") == verifier:
            return False
        with self.transaction() as db:
            dropped = db.execute("DELETE FROM pair_verdicts").rowcount > 0
            db.execute("INSERT OR REPLACE INTO meta VALUES ('pair_verifier', ?)", (verifier,))
            db.execute("DELETE FROM meta WHERE key IN ('copy_map_version', 'statements_version', 'sources_version',"
                       " 'stories_version', 'claims_version')")
        return dropped

    def forget_statements_unless_extracted_by(self, extractor: str) -> bool:
        """Drop every segment's extracted statements when another version of
        the extractor found them (``meta.statements_extractor``), so that the
        next step extracts them all again: a case then equals one built from
        scratch by this version. True when they were dropped."""
        if self._meta("statements_extractor") == extractor:
            return False
        with self.transaction() as db:
            dropped = db.execute("DELETE FROM segment_statements").rowcount > 0
            # What rests on them goes too: merge answers (keyed by ordinal), statements, claim positions.
            for table in ("statement_pairs", "statement_occurrences", "statements", "merged_segments",
                          "statement_keys", "claim_checks"):
                db.execute(f"DELETE FROM {table}")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('statements_extractor', ?)", (extractor,))
            db.execute("DELETE FROM meta WHERE key IN ('statements_version', 'statement_keys_version', 'claims_version')")
        return dropped

    def forget_claim_checks_unless_assessed_by(self, assessor: str) -> bool:
        """Drop every (claim, segment) check and its positions when another version of the
        claim rules assessed them (``meta.claims_assessor``), and have the found claims found
        again (they are grouped by the same rules' keys), so that the next steps assess every
        pair again: a case then equals one built from scratch by this version. True when
        checks were dropped."""
        if self._meta("claims_assessor") == assessor:
            return False
        with self.transaction() as db:
            dropped = db.execute("DELETE FROM claim_checks").rowcount > 0  # positions go with them (cascade)
            db.execute("INSERT OR REPLACE INTO meta VALUES ('claims_assessor', ?)", (assessor,))
            db.execute("DELETE FROM meta WHERE key = 'claims_version'")
        return dropped

    def segments_await_statements(self) -> bool:
        """Whether some kept segment has no statements extracted yet."""
        return self._db.execute(
            "SELECT 1 FROM segments s WHERE s.duplicate_of IS NULL"
            " AND NOT EXISTS (SELECT 1 FROM segment_statements st WHERE st.segment_id = s.id) LIMIT 1"
        ).fetchone() is not None

    def iter_segments_without_statements(self) -> Iterator[SegmentForReuse]:
        """Kept segments whose statements have not been extracted yet."""
        return self.iter_segments_for_reuse(without_statements=True)

    def add_segment_statements(self, found: Iterable[tuple[int, list[Attribution], str | None]],
                               run_id: int | None = None) -> None:
        """Each segment's statements (or why they could not be read), in one transaction."""
        with self.transaction() as db:
            for segment, attributions, error in found:
                db.execute("INSERT OR REPLACE INTO segment_statements VALUES (?, ?, ?)",
                           (segment, attributions_json(attributions), error))
                if error:
                    document_id = db.execute("SELECT document_id FROM segments WHERE id = ?", (segment,)).fetchone()[0]
                    _insert_document_problem(db, document_id, ProblemReason.STATEMENTS_FAILED, "voices",
                                             f"segment {segment}: {error}", run_id)

    def segment_statements(self) -> dict[int, list[Attribution]]:
        """Kept segments' statements as extracted, before merging."""
        rows = self._db.execute(
            "SELECT st.segment_id, st.attributions FROM segment_statements st"
            " JOIN segments s ON s.id = st.segment_id WHERE s.duplicate_of IS NULL ORDER BY st.segment_id"
        )
        return {segment: attributions_from_json(segment, text) for segment, text in rows}

    def has_statement_pairs(self) -> bool:
        return self._db.execute("SELECT 1 FROM statement_pairs LIMIT 1").fetchone() is not None

    def statement_pair_answers(self, keys: Iterable[tuple[str, str, bool]]) -> dict[tuple[str, str, bool], bool]:
        """The stored decisions on ``keys`` only: a run that adds a few
        segments asks thousands of questions of a case that answered hundreds of thousands."""
        query = "SELECT same FROM statement_pairs WHERE first = ? AND second = ? AND same_family = ?"
        found: dict[tuple[str, str, bool], bool] = {}
        for first, second, same_family in keys:
            row = self._db.execute(query, (first, second, int(same_family))).fetchone()
            if row is not None:
                found[first, second, same_family] = bool(row[0])
        return found

    def add_statement_pairs(self, decisions: Iterable[tuple[str, str, bool, bool]]) -> None:
        with self.transaction() as db:
            db.executemany("INSERT OR REPLACE INTO statement_pairs VALUES (?, ?, ?, ?)",
                           [(a, b, int(f), int(same)) for a, b, f, same in decisions])

    def save_trace_index(self, data: bytes) -> None:
        with self.transaction() as db:
            version = int(self._meta("segments_version", "0") or 0)
            db.execute("INSERT OR REPLACE INTO trace_index VALUES (1, ?, ?)", (version, data))

    def decided_families(self) -> dict[int, tuple[str, str]]:
        """Family key -> (inputs digest, result JSON) of the families the last copy map decided."""
        rows = self._db.execute("SELECT family_id, inputs, result FROM decided_families")
        return {int(key): (str(digest), str(result)) for key, digest, result in rows}

    def copy_map_is_current(self) -> bool:
        """True when no segment was added or changed since the copy map was computed."""
        return self._meta("copy_map_version") == self._meta("segments_version", "0")

    def statement_index(self) -> dict[tuple[int, int], int]:
        """(segment, start) of every stored occurrence -> its statement."""
        rows = self._db.execute("SELECT segment_id, start, statement_id FROM statement_occurrences")
        return {(segment, start): statement for segment, start, statement in rows}

    def merged_families(self) -> dict[int, MergedFamily]:
        """Segment -> its family, and whether it was the family's origin, when its statements were last merged."""
        rows = self._db.execute("SELECT segment_id, family_id, is_origin FROM merged_segments")
        return {segment: MergedFamily(family, bool(is_origin)) for segment, family, is_origin in rows}

    def origin_segments(self) -> set[int]:
        """The segments that are the determined origin of their family."""
        return {origin for (origin,) in self._db.execute("SELECT origin_id FROM families WHERE origin_id IS NOT NULL")}

    def apply_statement_changes(self, replaced: Iterable[int], statements: Iterable[Statement],
                                families: Mapping[int, MergedFamily]) -> None:
        """Replace some statements by others, in one transaction, and record
        each merged segment's family (``families``: every segment with statements)."""
        with self.transaction() as db:
            gone = [(key,) for key in replaced]
            db.executemany("DELETE FROM statement_occurrences WHERE statement_id = ?", gone)
            db.executemany("DELETE FROM statements WHERE id = ?", gone)
            for statement in statements:
                _write_statement(db, statement)
            db.execute("DELETE FROM merged_segments")
            db.executemany("INSERT INTO merged_segments VALUES (?, ?, ?)",
                           [(segment, f.family, int(f.is_origin)) for segment, f in sorted(families.items())])
            db.execute(
                "INSERT OR REPLACE INTO meta SELECT 'statements_version', value FROM meta WHERE key = 'copy_map_version'"
            )

    def replace_statements(self, statements: Iterable[Statement]) -> None:
        """Every statement replaced by ``statements`` (no segment recorded as merged)."""
        everything = [key for (key,) in self._db.execute("SELECT id FROM statements")]
        self.apply_statement_changes(everything, statements, {})

    def segment_dates(self) -> dict[int, str | None]:
        """Kept segment id -> its publication date, when known."""
        return dict(self._db.execute("SELECT id, published FROM segments WHERE duplicate_of IS NULL"))

    def family_of_segments(self) -> dict[int, int]:
        """segment id -> family id, for every kept segment in the copy map."""
        return dict(self._db.execute("SELECT segment_id, family_id FROM family_members"))

    def statements_are_current(self) -> bool:
        """True when no segment or family changed since statements were merged."""
        return self._meta("statements_version") == self._meta("copy_map_version")

    def _meta(self, key: str, default: str | None = None) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else default

    def statement_counts(self) -> tuple[int, int]:
        """(statements, occurrences altered from their statement's reference form)."""
        statements, altered = self._db.execute("SELECT count(*), coalesce(sum(altered), 0) FROM statements").fetchone()
        return int(statements), int(altered)

    def copy_map_counts(self) -> tuple[int, int]:
        """(families with at least one copy, segments derived from another)."""
        # A family of n holds n - 1 copies even when which one is the origin is undetermined.
        families, copies = self._db.execute(
            "SELECT count(*), coalesce(sum(size - 1), 0) FROM families WHERE size > 1"
        ).fetchone()
        return int(families), int(copies)

    # -- reading -----------------------------------------------------------

    def counts(self) -> CaseCounts:
        q = self._db.execute
        return CaseCounts(
            inputs=q("SELECT count(*) FROM inputs").fetchone()[0],
            input_bytes=q("SELECT coalesce(sum(size), 0) FROM inputs").fetchone()[0],
            documents=q("SELECT count(*) FROM documents").fetchone()[0],
            segments=q("SELECT count(*) FROM segments").fetchone()[0],
            duplicate_segments=q("SELECT count(*) FROM segments WHERE duplicate_of IS NOT NULL").fetchone()[0],
            unsegmented_documents=q("SELECT count(*) FROM documents WHERE segmented = 0").fetchone()[0],
            problems=q("SELECT count(*) FROM problems").fetchone()[0],
        )

    def problems_by_reason(self, run_id: int | None = None) -> dict[str, int]:
        sql = "SELECT reason, count(*) FROM problems"
        args: tuple[object, ...] = ()
        if run_id is not None:
            sql, args = sql + " WHERE run_id = ?", (run_id,)
        rows = self._db.execute(sql + " GROUP BY reason ORDER BY count(*) DESC, reason", args)
        return {reason: count for reason, count in rows}

    def list_problems(self, limit: int | None = None) -> list[StoredProblem]:
        rows = self._db.execute(
            "SELECT path, ordinal, stage, reason, severity, message FROM problems"
            " ORDER BY reason, path, ordinal LIMIT ?",
            (-1 if limit is None else limit,),
        )
        return [StoredProblem(p, None if o < 0 else o, s, r, sev, m) for p, o, s, r, sev, m in rows]


_INSERT_DOCUMENT = (
    "INSERT INTO documents (input_id, ordinal, record_id, url, title, author, site, published,"
    " fetched, source, media_type, charset, extractor, text) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)


def _document_row(input_id: int, d: Document) -> tuple[object, ...]:
    return (input_id, d.ordinal, d.record_id, d.url, d.title, d.author, d.site, d.published,
            d.fetched, d.source, d.media_type, d.charset, d.extractor, d.text)


def _insert_problem(db: sqlite3.Connection, p: Problem, stage: str, run_id: int | None, input_id: int | None) -> None:
    # A re-run meets the same bad input again: record it once.
    db.execute(
        "INSERT OR IGNORE INTO problems (input_id, path, ordinal, stage, reason, severity, message, run_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (input_id, p.path, -1 if p.ordinal is None else p.ordinal, stage, p.reason.value, p.severity, p.message, run_id),
    )


def _write_segmented_document(db: sqlite3.Connection, doc: SegmentedDocument, run_id: int | None) -> int:
    """Write a document's segments under ids derived from (document, ordinal),
    so that segmenting again keeps the ids of segments that did not change and
    drops what depended on those that did."""
    base = doc.document_id * SEGMENT_ID_BASE
    old = dict(db.execute("SELECT id, text FROM segments WHERE document_id = ?", (doc.document_id,)).fetchall())
    new = {base + s.ordinal: s for s in doc.segments}
    changed = [i for i, text in old.items() if i not in new or new[i].text != text]
    _forget_segments(db, changed, [i for i in changed if i not in new])
    db.execute("DELETE FROM furniture WHERE document_id = ?", (doc.document_id,))
    db.executemany(
        "INSERT OR REPLACE INTO furniture (document_id, start, \"end\", reason) VALUES (?, ?, ?, ?)",
        [(doc.document_id, f.start, f.end, f.reason) for f in doc.furniture],
    )
    db.executemany(_UPSERT_SEGMENT, [
        (i, doc.document_id, s.ordinal, s.start, s.end, json.dumps([list(r) for r in s.removed]), s.title,
         s.byline, s.credit, s.published, s.text, None if s.duplicate_of is None else base + s.duplicate_of)
        for i, s in new.items()
    ])
    db.execute("UPDATE documents SET segmented = 1 WHERE id = ?", (doc.document_id,))
    if changed or len(new) != len(old):
        _bump_segments_version(db)
    if doc.failure is not None:
        _insert_segmentation_problem(db, doc.document_id, doc.failure, run_id)
    return len(doc.segments)


_UPSERT_SEGMENT = (
    "INSERT INTO segments (id, document_id, ordinal, start, \"end\", removed, title, byline, credit, published,"
    " text, duplicate_of) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (id) DO UPDATE SET start = excluded.start,"
    " \"end\" = excluded.\"end\", removed = excluded.removed, title = excluded.title, byline = excluded.byline,"
    " credit = excluded.credit, published = excluded.published, text = excluded.text,"
    " duplicate_of = excluded.duplicate_of"
)


def _forget_segments(db: sqlite3.Connection, changed: list[int], removed: list[int]) -> None:
    """Results computed from segments whose text changed are no longer true;
    rows that point at removed segments go with them (the copy map and the
    statements are recomputed after any change)."""
    for segment in changed:
        db.execute("DELETE FROM pair_verdicts WHERE a = ? OR b = ?", (segment, segment))
        db.execute("DELETE FROM segment_statements WHERE segment_id = ?", (segment,))
        db.execute("DELETE FROM segment_events WHERE segment_id = ?", (segment,))  # and its events (cascade)
        db.execute("DELETE FROM claim_checks WHERE segment_id = ?", (segment,))  # and its claim positions (cascade)
        db.execute("DELETE FROM story_features WHERE segment_id = ?", (segment,))  # made from the old text
        db.execute("DELETE FROM statement_keys WHERE segment_id = ?", (segment,))
        # Whole statements go: their other occurrences are regrouped by the next merge, which finds
        # them among the segments not merged (so their merged_segments rows go too).
        statements = db.execute(
            "SELECT DISTINCT statement_id FROM statement_occurrences WHERE segment_id = ?", (segment,)).fetchall()
        db.execute("DELETE FROM merged_segments WHERE segment_id = ?", (segment,))
        db.executemany("DELETE FROM merged_segments WHERE segment_id IN"
                       " (SELECT segment_id FROM statement_occurrences WHERE statement_id = ?)", statements)
        db.executemany("DELETE FROM statement_occurrences WHERE statement_id = ?", statements)
        db.executemany("DELETE FROM statements WHERE id = ?", statements)
    for segment in removed:
        db.execute("DELETE FROM relations WHERE segment_id = ? OR parent_id = ?", (segment, segment))
        db.execute("DELETE FROM family_members WHERE segment_id = ? OR parent_id = ?", (segment, segment))
        db.execute("UPDATE families SET origin_id = NULL WHERE origin_id = ?", (segment,))
        db.execute("UPDATE segments SET duplicate_of = NULL WHERE duplicate_of = ?", (segment,))
        db.execute("DELETE FROM segments WHERE id = ?", (segment,))


def _bump_segments_version(db: sqlite3.Connection) -> None:
    db.execute(
        "INSERT OR REPLACE INTO meta SELECT 'segments_version', coalesce("
        "(SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'segments_version'), 0) + 1"
    )


def _insert_segmentation_problem(db: sqlite3.Connection, document_id: int, failure: str, run_id: int | None) -> None:
    message = f"segmentation failed ({failure}); the whole text was kept as one segment"
    _insert_document_problem(db, document_id, ProblemReason.SEGMENTATION_FAILED, "segment", message, run_id)


def _insert_document_problem(
    db: sqlite3.Connection, document_id: int, reason: ProblemReason, stage: str, message: str, run_id: int | None
) -> None:
    """A warning about one document, filed under its input."""
    input_id, path, ordinal = db.execute(
        "SELECT i.id, i.path, d.ordinal FROM documents d JOIN inputs i ON i.id = d.input_id WHERE d.id = ?",
        (document_id,),
    ).fetchone()
    _insert_problem(db, Problem(path, reason, message, severity="warning", ordinal=ordinal), stage, run_id, input_id)


def _write_family(db: sqlite3.Connection, family: Family) -> None:
    db.execute(
        "INSERT INTO families (id, origin_id, origin_evidence, size) VALUES (?, ?, ?, ?)",
        (family.key, family.origin, family.origin_evidence, family.pages),
    )
    db.executemany(
        "INSERT INTO family_members (family_id, segment_id, kind, parent_id, score, passages, parent_basis,"
        " parent_evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(family.key, m.segment, m.kind, m.parent, m.score, passages_json(m.passages), m.parent_basis,
          m.parent_evidence) for m in family.members],
    )


def _write_statement(db: sqlite3.Connection, statement: Statement) -> None:
    occurrences = statement.occurrences
    db.execute(
        "INSERT INTO statements VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (statement.key, statement.speaker, statement.speaker_role, statement.kind, statement.cue, statement.text,
         len(occurrences), sum(o.altered for o in occurrences)),
    )
    db.executemany(
        "INSERT OR IGNORE INTO statement_occurrences VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(statement.key, o.segment, o.start, o.end, o.text, o.speaker_as_written, o.cue, o.kind, o.altered,
          json.dumps([list(op) for op in o.diff]), o.garbled_speaker) for o in occurrences],
    )


def check_can_create(path: Path) -> None:
    """Raise a CaseError naming what is wrong when no case can be made at ``path``:
    SQLite only says "unable to open database file"."""
    folder = path.absolute().parent
    what = None
    if not folder.exists():
        what = f"the folder {folder} does not exist"
    elif not folder.is_dir():
        what = f"{folder} is not a folder"
    elif not os.access(folder, os.W_OK | os.X_OK):
        what = f"the folder {folder} is not writable"
    if what is not None:
        raise CaseError(f"cannot create the case {path}: {what}")


def _connect(path: Path) -> sqlite3.Connection:
    try:
        db = sqlite3.connect(path, timeout=30)
        db.execute("PRAGMA journal_mode = WAL")  # readers (status, serve) never block a run
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
    except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
        raise CaseError(unopenable(path, error)) from error
    return db


def unopenable(path: Path, error: Exception) -> str:
    """Why SQLite could not open ``path``: damaged (a SQLite file cut short or
    overwritten in part: a malformed image, or garbage where its schema's text
    should be), or not a case at all."""
    if isinstance(error, UnicodeDecodeError) or "malformed" in str(error):
        return _damaged(path, str(error))
    return f"{path} is not a sourcetrace case (SQLite said: {error})"


def _writer_lock(path: Path) -> IO[bytes] | None:
    """Hold the case's writer lock (an advisory flock on the file, which
    SQLite's own locks and readers ignore), or refuse: two runs writing one
    case at once would interleave their steps."""
    if fcntl is None:  # not POSIX: SQLite's locks alone (a second writer waits, then fails)
        return None
    handle = open(path, "rb")  # noqa: SIM115 -- held until close()
    for _ in range(WRITER_LOCK_ATTEMPTS):
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return handle
        except BlockingIOError:
            time.sleep(0.05)  # a reader's probe (writer_holds_lock) holds it for microseconds
    handle.close()
    raise CaseError(f"{path} is being changed by another sourcetrace command (a run, claims --add or "
                    "sources --set); wait for it to finish, then try again")


def writer_holds_lock(path: Path) -> bool:
    """Whether a writer holds the case's lock now. The kernel drops a killed
    process's lock, so a run marked running while no writer holds it was killed."""
    if fcntl is None:  # cannot tell: believe the runs table
        return True
    with open(path, "rb") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
    return False


def _check_intact(db: sqlite3.Connection, path: Path) -> None:
    """SQLite's quick check (about 0.2 s for a 70 MB case), before anything is written."""
    found = db.execute("PRAGMA quick_check(1)").fetchone()
    if found is None or found[0] != "ok":
        raise CaseError(_damaged(path, str(found[0]) if found else "no answer"))


def _damaged(path: Path, said: str) -> str:
    return (f"{path} is damaged or truncated (SQLite said: {said}); it was not changed. Restore it from a "
            "copy, or build the case again with another --case")


def _check_is_case(db: sqlite3.Connection, path: Path) -> None:
    app_id = db.execute("PRAGMA application_id").fetchone()[0]
    has_tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
    if has_tables and app_id != APPLICATION_ID:
        raise CaseError(f"{path} is a SQLite database but not a sourcetrace case; choose another --case path")


def _migrate(db: sqlite3.Connection, path: Path) -> None:
    version = _schema_version(db)
    if version > SCHEMA_VERSION:
        raise CaseError(
            f"{path} has schema version {version}, newer than this sourcetrace understands"
            f" ({SCHEMA_VERSION}); upgrade sourcetrace to open it"
        )
    for number in range(version + 1, SCHEMA_VERSION + 1):
        with db:
            db.execute("BEGIN")
            for statement in _split_sql(MIGRATIONS[number - 1]):
                db.execute(statement)
            db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(number),))
            if number == 1:
                db.execute("INSERT INTO meta VALUES ('created_at', ?)", (utc_now(),))
            # In the migration's transaction: set after its commit, a run killed in between
            # left tables without the mark, and every later open refused the case as not one.
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def _schema_version(db: sqlite3.Connection) -> int:
    if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone():
        return 0
    row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def _split_sql(script: str) -> list[str]:
    # executescript() would commit mid-migration; run statements one by one instead.
    statements, buffer = [], ""
    for line in script.splitlines():
        buffer += line.split("--", 1)[0] + "\n"
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    return [s for s in statements if s]
