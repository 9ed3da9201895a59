"""The furniture step's reads and writes of the case (tables in docs/case-schema.md).

``document_lines`` keeps, per document, the line records furniture learning
reads (:class:`~sourcetrace.ingest.furniture_learning.DocumentLines`), with
the version of the rules that made them: records of another version count
as missing and are made again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sourcetrace.ingest.furniture_learning import LINE_RECORDS_VERSION, DocumentLines
from sourcetrace.store.case import CaseStore

_BATCH = 2000


def documents_without_lines(store: CaseStore) -> Iterator[tuple[int, str]]:
    """(id, text) of each document whose line records are missing or of another version, by id."""
    last_id = 0
    while True:  # keyset pagination: the step writes records while it reads these
        with store.transaction() as db:
            rows = db.execute(
                """SELECT d.id, d.text FROM documents d LEFT JOIN document_lines l ON l.document_id = d.id
                   WHERE (l.document_id IS NULL OR l.version != ?) AND d.id > ? ORDER BY d.id LIMIT ?""",
                (LINE_RECORDS_VERSION, last_id, _BATCH),
            ).fetchall()
        if not rows:
            return
        yield from ((int(i), str(text)) for i, text in rows)
        last_id = int(rows[-1][0])


def add_document_lines(store: CaseStore, batch: Iterable[DocumentLines]) -> None:
    with store.transaction() as db:
        db.executemany(
            "INSERT OR REPLACE INTO document_lines VALUES (?, ?, ?)",
            [(d.document_id, LINE_RECORDS_VERSION, d.to_bytes()) for d in batch],
        )


def iter_document_lines(store: CaseStore, *, segmented_only: bool = False) -> Iterator[DocumentLines]:
    """Every document's line records, by id (of segmented documents only, when asked)."""
    where = " AND d.segmented = 1" if segmented_only else ""
    last_id = 0
    while True:
        with store.transaction() as db:
            rows = db.execute(
                f"""SELECT l.document_id, l.lines FROM document_lines l JOIN documents d ON d.id = l.document_id
                    WHERE l.version = ? AND l.document_id > ?{where} ORDER BY l.document_id LIMIT ?""",
                (LINE_RECORDS_VERSION, last_id, _BATCH * 5),
            ).fetchall()
        if not rows:
            return
        yield from (DocumentLines.from_bytes(int(i), bytes(data)) for i, data in rows)
        last_id = int(rows[-1][0])


def document_text(store: CaseStore, document_id: int) -> str:
    with store.transaction() as db:
        row = db.execute("SELECT text FROM documents WHERE id = ?", (document_id,)).fetchone()
    if row is None:
        raise KeyError(f"no document {document_id} in the case")
    return str(row[0])
