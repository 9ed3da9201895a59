"""The case file: the only code that writes it.

Every unit of work (one input with its documents and problems; one batch of
segmented documents) is written in a single transaction, so a run killed at
any moment leaves a valid case and the next run picks up where it stopped.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import NamedTuple

from sourcetrace.records import (
    Document,
    Family,
    IngestedInput,
    Passage,
    Problem,
    ProblemReason,
    Relation,
    SegmentedDocument,
    SegmentForReuse,
    Statement,
)
from sourcetrace.store.schema import MIGRATIONS, SCHEMA_VERSION

APPLICATION_ID = 0x53545243  # "STRC": marks a SQLite file as a sourcetrace case


class CaseError(Exception):
    """The case file cannot be opened or used; the message says why and what to do."""


class StoredDocumentText(NamedTuple):
    id: int
    text: str
    title: str | None
    published: str | None
    source: str | None


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


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class CaseStore:
    """A sourcetrace case file opened for reading and writing."""

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        self.path = Path(path)
        if not create and not self.path.exists():
            raise CaseError(f"no case at {self.path}: run `sourcetrace run INPUT... --case {self.path}` first")
        self._db = _connect(self.path)
        _check_is_case(self._db, self.path)
        _migrate(self._db, self.path)

    # -- lifecycle ---------------------------------------------------------

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> CaseStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._db:  # commits, or rolls back on an exception
            yield self._db

    @property
    def connection(self) -> sqlite3.Connection:
        """For read-only queries by other modules (reports, status)."""
        return self._db

    # -- runs --------------------------------------------------------------

    def begin_run(self, arguments: dict[str, object]) -> int:
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO runs (started_at, status, arguments) VALUES (?, 'running', ?)",
                (utc_now(), json.dumps(arguments)),
            )
        return int(cursor.lastrowid or 0)

    def finish_run(self, run_id: int, status: str, summary: dict[str, object]) -> None:
        with self._transaction() as db:
            db.execute(
                "UPDATE runs SET finished_at = ?, status = ?, summary = ? WHERE id = ?",
                (utc_now(), status, json.dumps(summary), run_id),
            )

    # -- inputs and documents ---------------------------------------------

    def is_known_input(self, path: str, size: int, mtime_ns: int) -> bool:
        """True when this file was ingested before and looks unchanged."""
        row = self._db.execute(
            "SELECT 1 FROM inputs WHERE path = ? AND size = ? AND mtime_ns = ? LIMIT 1",
            (path, size, mtime_ns),
        ).fetchone()
        return row is not None

    def add_ingested(self, result: IngestedInput, mtime_ns: int, run_id: int | None) -> bool:
        """Write one input with its documents and problems. Returns False when
        the same bytes at the same path were already in the case."""
        record = result.input
        with self._transaction() as db:
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
            db.executemany(_INSERT_DOCUMENT, [_document_row(input_id, d) for d in result.documents])
            for problem in result.problems:
                _insert_problem(db, problem, "ingest", run_id, input_id)
        return True

    def add_problem(self, problem: Problem, stage: str, run_id: int | None) -> None:
        with self._transaction() as db:
            _insert_problem(db, problem, stage, run_id, None)

    def iter_document_texts(self, *, unsegmented_only: bool = False, batch_size: int = 500) -> Iterator[StoredDocumentText]:
        where = "WHERE segmented = 0" if unsegmented_only else ""
        last_id = 0
        while True:  # keyset pagination: no long-lived read cursor across writes
            rows = self._db.execute(
                f"SELECT id, text, title, published, source FROM documents {where}"
                f" {'AND' if where else 'WHERE'} id > ? ORDER BY id LIMIT ?",
                (last_id, batch_size),
            ).fetchall()
            if not rows:
                return
            yield from (StoredDocumentText(*row) for row in rows)
            last_id = rows[-1][0]

    # -- furniture and segments -------------------------------------------

    def replace_learned_furniture(self, rows: Iterable[tuple[str, str, int]]) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM learned_furniture")
            db.executemany("INSERT INTO learned_furniture VALUES (?, ?, ?)", rows)

    def add_segmented(self, batch: Iterable[SegmentedDocument], run_id: int | None = None) -> int:
        """Write segments and furniture for a batch of documents, marking them
        segmented. Returns the number of segments written."""
        written = 0
        with self._transaction() as db:
            for doc in batch:
                written += _write_segmented_document(db, doc, run_id)
        return written

    # -- the copy map ------------------------------------------------------

    def iter_segments_for_reuse(self) -> Iterator[SegmentForReuse]:
        """Kept segments (not repeats inside their page) with what origins need."""
        rows = self._db.execute(
            "SELECT s.id, s.text, s.document_id, s.published, s.credit, s.title, d.url"
            " FROM segments s JOIN documents d ON d.id = s.document_id"
            " WHERE s.duplicate_of IS NULL ORDER BY s.id"
        )
        for row in rows:
            yield SegmentForReuse(*row)

    def replace_copy_map(self, relations: Iterable[Relation], families: Iterable[Family]) -> None:
        """The copy map is computed over the whole case, so it replaces the last one."""
        with self._transaction() as db:
            for table in ("family_members", "families", "relations"):
                db.execute(f"DELETE FROM {table}")
            db.executemany(
                "INSERT INTO relations VALUES (?, ?, ?, ?, ?)",
                [(r.segment, r.parent, r.kind, r.score, _passages_json(r.passages)) for r in relations],
            )
            for family in families:
                _write_family(db, family)
            db.execute(
                "INSERT OR REPLACE INTO meta VALUES ('copy_map_segments', ?)",
                (str(db.execute("SELECT count(*) FROM segments").fetchone()[0]),),
            )

    def save_trace_index(self, data: bytes) -> None:
        with self._transaction() as db:
            segments = db.execute("SELECT count(*) FROM segments").fetchone()[0]
            db.execute("INSERT OR REPLACE INTO trace_index VALUES (1, ?, ?)", (segments, data))

    def load_trace_index(self) -> bytes | None:
        """The saved trace index, or None when missing or older than the segments."""
        row = self._db.execute("SELECT segments, data FROM trace_index WHERE id = 1").fetchone()
        segments = self._db.execute("SELECT count(*) FROM segments").fetchone()[0]
        return bytes(row[1]) if row and row[0] == segments else None

    def copy_map_is_current(self) -> bool:
        """True when no segment was added since the copy map was computed."""
        row = self._db.execute("SELECT value FROM meta WHERE key = 'copy_map_segments'").fetchone()
        segments = self._db.execute("SELECT count(*) FROM segments").fetchone()[0]
        return row is not None and int(row[0]) == segments

    def replace_statements(self, statements: Iterable[Statement]) -> None:
        """Statements are merged over the whole case, so they replace the last set."""
        with self._transaction() as db:
            db.execute("DELETE FROM statement_occurrences")
            db.execute("DELETE FROM statements")
            for statement in statements:
                _write_statement(db, statement)
            db.execute(
                "INSERT OR REPLACE INTO meta VALUES ('statements_segments', ?)",
                (str(db.execute("SELECT count(*) FROM segments").fetchone()[0]),),
            )

    def add_statements_problem(self, segment_id: int, message: str, run_id: int | None = None) -> None:
        with self._transaction() as db:
            (document_id,) = db.execute("SELECT document_id FROM segments WHERE id = ?", (segment_id,)).fetchone()
            _insert_document_problem(db, document_id, ProblemReason.STATEMENTS_FAILED, "voices",
                                     f"segment {segment_id}: {message}", run_id)

    def family_of_segments(self) -> dict[int, int]:
        """segment id -> family id, for every kept segment in the copy map."""
        return dict(self._db.execute("SELECT segment_id, family_id FROM family_members"))

    def statements_are_current(self) -> bool:
        """True when no segment was added since statements were extracted."""
        row = self._db.execute("SELECT value FROM meta WHERE key = 'statements_segments'").fetchone()
        segments = self._db.execute("SELECT count(*) FROM segments").fetchone()[0]
        return row is not None and int(row[0]) == segments

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
    db.execute("DELETE FROM segments WHERE document_id = ?", (doc.document_id,))
    db.execute("DELETE FROM furniture WHERE document_id = ?", (doc.document_id,))
    db.executemany(
        "INSERT OR REPLACE INTO furniture (document_id, start, \"end\", reason) VALUES (?, ?, ?, ?)",
        [(doc.document_id, f.start, f.end, f.reason) for f in doc.furniture],
    )
    ids: dict[int, int] = {}
    for s in doc.segments:
        cursor = db.execute(
            "INSERT INTO segments (document_id, ordinal, start, \"end\", removed, title, byline, credit,"
            " published, text) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (doc.document_id, s.ordinal, s.start, s.end, json.dumps([list(r) for r in s.removed]),
             s.title, s.byline, s.credit, s.published, s.text),
        )
        ids[s.ordinal] = int(cursor.lastrowid or 0)
    for s in doc.segments:
        if s.duplicate_of is not None:
            db.execute("UPDATE segments SET duplicate_of = ? WHERE id = ?", (ids[s.duplicate_of], ids[s.ordinal]))
    db.execute("UPDATE documents SET segmented = 1 WHERE id = ?", (doc.document_id,))
    if doc.failure is not None:
        _insert_segmentation_problem(db, doc.document_id, doc.failure, run_id)
    return len(doc.segments)


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


def _passages_json(passages: Iterable[Passage]) -> str:
    return json.dumps([[p.parent_start, p.parent_end, p.start, p.end] for p in passages])


def _write_family(db: sqlite3.Connection, family: Family) -> None:
    db.execute(
        "INSERT INTO families (id, origin_id, origin_evidence, size) VALUES (?, ?, ?, ?)",
        (family.key, family.origin, family.origin_evidence, len(family.members)),
    )
    db.executemany(
        "INSERT INTO family_members VALUES (?, ?, ?, ?, ?, ?)",
        [(family.key, m.segment, m.kind, m.parent, m.score, _passages_json(m.passages)) for m in family.members],
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


def _connect(path: Path) -> sqlite3.Connection:
    try:
        db = sqlite3.connect(path, timeout=30)
        db.execute("PRAGMA journal_mode = WAL")  # readers (status, serve) never block a run
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as error:
        raise CaseError(f"{path} is not a sourcetrace case (SQLite said: {error})") from error
    return db


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
