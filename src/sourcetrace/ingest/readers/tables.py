"""Tables of pages (JSONL, CSV, TSV): one document per row, streamed.

The text column is the first of ``text``, ``html``, ``body``, ``content``
(case-insensitive); ``html`` goes through main-text extraction, the others are
taken as they are. ``url``, ``title``, ``published`` (or ``date``),
``source`` and ``author`` columns become the document's metadata. A CSV's
header row names its columns; each JSON object names its own fields, and the
first object decides whether the table has a text field at all.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import json
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from sourcetrace.ingest import readers
from sourcetrace.ingest.charset import COUNTING_REPLACE, bom_codec, detect_codec, replacement_count
from sourcetrace.records import Problem, ProblemReason, RawDocument

TEXT_COLUMNS = ("text", "html", "body", "content")
_DATE_COLUMNS = ("published", "date")
_ENCODING_SAMPLE_BYTES = 1 << 16
_CSV_DELIMITERS = ",;\t|"
# JSON escapes (\uXXXX) can make a line several times longer than its text.
_JSON_EXPANSION = 4

# Page text in a cell easily exceeds csv's default 128 KiB field limit.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass(frozen=True, slots=True)
class Columns:
    """Where a table keeps each field: the key (JSON) or name (CSV) of each."""

    text: str
    is_html: bool
    url: str | None
    title: str | None
    published: str | None
    source: str | None
    author: str | None

    @classmethod
    def find(cls, names: Iterable[str]) -> Columns | None:
        """The columns among ``names``, or None if there is no text column."""
        by_lower: dict[str, str] = {}
        for name in names:
            by_lower.setdefault(name.strip().lower(), name)
        text_key = next((key for key in TEXT_COLUMNS if key in by_lower), None)
        if text_key is None:
            return None
        published = next((by_lower[k] for k in _DATE_COLUMNS if k in by_lower), None)
        return cls(
            text=by_lower[text_key],
            is_html=text_key == "html",
            url=by_lower.get("url"),
            title=by_lower.get("title"),
            published=published,
            source=by_lower.get("source"),
            author=by_lower.get("author"),
        )


def read_jsonl(path: str, max_document_bytes: int) -> readers.ReaderOutput:
    """One document per JSON object line; bad lines are BAD_RECORD problems.

    If the first object has no text field, the table has none: one
    NO_TEXT_COLUMN problem instead of a BAD_RECORD per line.
    """
    seen_text = False
    with readers.open_payload(path) as stream:
        lines = _bounded_lines(stream, _JSON_EXPANSION * max_document_bytes)
        for line_number, line in enumerate(lines, start=1):
            if line is None:
                yield readers.too_large(path, None, max_document_bytes, f"line {line_number}", line_number - 1)
                continue
            if line_number == 1:
                line = line.removeprefix(codecs.BOM_UTF8)
            if not line.strip():
                continue
            row, replaced = _parse_json_line(path, line, line_number)
            if isinstance(row, Problem):
                yield row
                continue
            # Objects need not share keys or their case: each row names its own fields.
            fields = _lowercase_keys(row)
            columns = Columns.find(fields)
            if columns is None:
                if not seen_text:
                    yield _no_text_column(path, list(row), "keys")
                    return
                message = f"line {line_number}: no text field among {', '.join(map(repr, row)) or 'no keys'}"
                yield Problem(path, ProblemReason.BAD_RECORD, message, ordinal=line_number - 1)
                continue
            seen_text = True
            yield from _row_items(path, fields, columns, line_number, max_document_bytes, "line")
            if replaced:
                yield _undecodable(path, replaced, "utf-8", f"line {line_number}", line_number - 1)


def _bounded_lines(stream: readers.Payload, cap: int) -> Iterator[bytes | None]:
    """The stream's lines; None for a line longer than ``cap`` bytes, which is
    skipped without being held in memory."""
    while line := stream.readline(cap + 1):
        if len(line) <= cap or line.endswith(b"\n"):
            yield line
            continue
        while line and not line.endswith(b"\n"):
            line = stream.readline(cap + 1)
        yield None


def read_csv(path: str, max_document_bytes: int) -> readers.ReaderOutput:
    """One document per CSV/TSV row after the header row."""
    encoding, sample = _table_encoding(path)
    delimiter = _delimiter(path, sample)
    with readers.open_payload(path) as raw:
        text_stream = io.TextIOWrapper(raw, encoding=encoding, errors=COUNTING_REPLACE, newline="")
        rows = _CountingRows(csv.reader(text_stream, delimiter=delimiter))
        header = rows.next_row()
        if header is None:
            yield Problem(path, ProblemReason.EMPTY, "the table has no header row")
            return
        columns = Columns.find(header)
        if columns is None:
            yield _no_text_column(path, header, "columns")
            return
        yield from _csv_rows(path, rows, header, columns, max_document_bytes)
    if rows.replaced:
        yield _undecodable(path, rows.replaced, encoding, "the table")


class _CountingRows:
    """csv rows, counting the bytes the decoder replaced while reading them.

    Counted around each read only, so decoding done by the consumer between
    rows (in the same thread) is not attributed to the table.
    """

    def __init__(self, rows: Iterator[list[str]]) -> None:
        self._rows = rows
        self.replaced = 0

    def next_row(self) -> list[str] | None:
        """The next row, None at the end; csv.Error propagates."""
        before = replacement_count()
        try:
            return next(self._rows, None)
        finally:
            self.replaced += replacement_count() - before


def _csv_rows(path: str, rows: _CountingRows, header: list[str], columns: Columns, limit: int) -> readers.ReaderOutput:
    row_number = 0
    while True:
        try:
            cells = rows.next_row()
        except csv.Error as exc:
            row_number += 1
            yield Problem(path, ProblemReason.BAD_RECORD, f"row {row_number}: {exc}", ordinal=row_number - 1)
            continue
        if cells is None:
            return
        if not any(cell.strip() for cell in cells):
            continue  # a blank line is not a row
        row_number += 1
        fields = dict(zip(header, cells, strict=False))  # ragged rows: missing cells are absent
        yield from _row_items(path, fields, columns, row_number, limit, "row")


def _row_items(
    path: str, row: Mapping[str, object], columns: Columns, number: int, limit: int, unit: str
) -> readers.ReaderOutput:
    """The document of one table row, or the Problem that stops it."""
    ordinal = number - 1
    value = row.get(columns.text)
    if value is not None and not isinstance(value, str):
        yield Problem(
            path, ProblemReason.BAD_RECORD, f"{unit} {number}: '{columns.text}' is not a string", ordinal=ordinal
        )
        return
    if not value or not value.strip():
        yield Problem(path, ProblemReason.BAD_RECORD, f"{unit} {number}: empty '{columns.text}'", ordinal=ordinal)
        return
    if len(value) > limit // 4 and len(value.encode("utf-8")) > limit:
        yield readers.too_large(path, len(value.encode("utf-8")), limit, f"{unit} {number}", ordinal)
        return
    yield RawDocument(
        ordinal=ordinal,
        body=value,
        media_type="text/html" if columns.is_html else "text/plain",
        record_id=str(number),
        url=_cell(row, columns.url),
        title=_cell(row, columns.title),
        published=_cell(row, columns.published),
        source=_cell(row, columns.source),
        author=_cell(row, columns.author),
    )


def _lowercase_keys(row: Mapping[str, object]) -> dict[str, object]:
    lowered: dict[str, object] = {}
    for key, value in row.items():
        lowered.setdefault(key.strip().lower(), value)
    return lowered


def _cell(row: Mapping[str, object], key: str | None) -> str | None:
    """A metadata cell as text, or None when absent or blank."""
    value = row.get(key) if key is not None else None
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


def _parse_json_line(path: str, line: bytes, line_number: int) -> tuple[dict[str, object] | Problem, int]:
    """The object on one line (or why not) and how many bytes were undecodable."""
    ordinal = line_number - 1
    before = replacement_count()
    text = line.decode("utf-8", COUNTING_REPLACE)  # JSON Lines is UTF-8 by definition
    replaced = replacement_count() - before
    try:
        row = json.loads(text)
    except json.JSONDecodeError as exc:
        message = f"line {line_number}: invalid JSON: {exc.msg} at column {exc.colno}"
        return Problem(path, ProblemReason.BAD_RECORD, message, ordinal=ordinal), replaced
    if not isinstance(row, dict):
        message = f"line {line_number}: a JSON {type(row).__name__}, not an object"
        return Problem(path, ProblemReason.BAD_RECORD, message, ordinal=ordinal), replaced
    return row, replaced


def _undecodable(path: str, replaced: int, encoding: str, where: str, ordinal: int | None = None) -> Problem:
    return Problem(
        path,
        ProblemReason.UNDECODABLE,
        f"{where}: {replaced} byte sequence(s) could not be decoded as {encoding} and were replaced with U+FFFD",
        severity="warning",
        ordinal=ordinal,
    )


def _no_text_column(path: str, found: list[str], what: str) -> Problem:
    listed = ", ".join(repr(name) for name in found) or "none"
    return Problem(
        path,
        ProblemReason.NO_TEXT_COLUMN,
        f"no text column: the table's {what} are {listed}; one of {', '.join(TEXT_COLUMNS)} (any case) is needed",
    )


def _table_encoding(path: str) -> tuple[str, str]:
    """The codec of a CSV file, judged from its first 64 KiB, and that sample decoded."""
    with readers.open_payload(path) as raw:
        sample = raw.read(_ENCODING_SAMPLE_BYTES)
    encoding = _sample_encoding(sample)
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    return encoding, decoder.decode(sample, final=False)


def _sample_encoding(sample: bytes) -> str:
    bom = bom_codec(sample)
    if bom is not None:
        # The BOM-aware codecs strip the BOM from the text.
        return {"utf-8": "utf-8-sig", "utf-16-le": "utf-16", "utf-16-be": "utf-16"}.get(bom[0], "utf-32")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return detect_codec(sample) or "utf-8"


def _delimiter(path: str, sample: str) -> str:
    """Tab for .tsv; otherwise the delimiter that yields a text column in the header."""
    if path.lower().removesuffix(".gz").endswith(".tsv"):
        return "\t"
    header_line = sample.split("\n", 1)[0]
    candidates: list[str] = [","]
    with contextlib.suppress(csv.Error):  # the sniffer gives up on one-column samples
        candidates.insert(0, str(csv.Sniffer().sniff(sample, delimiters=_CSV_DELIMITERS).delimiter))
    fallbacks: list[str] = list(_CSV_DELIMITERS)
    for delimiter in candidates + fallbacks:
        if Columns.find(next(csv.reader([header_line], delimiter=delimiter), [])) is not None:
            return delimiter
    return candidates[0]
