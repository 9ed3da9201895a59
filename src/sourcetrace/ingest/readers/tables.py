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
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from sourcetrace.ingest import readers
from sourcetrace.ingest.charset import COUNTING_REPLACE, bom_codec, detect_codec, replacement_count
from sourcetrace.records import Problem, ProblemReason, RawDocument

TEXT_COLUMNS = ("text", "html", "body", "content")
_DATE_COLUMNS = ("published", "date")
_ENCODING_SAMPLE_BYTES = 1 << 16
_CSV_DELIMITERS = ",;\t|"
# csv.Sniffer's quote regexes backtrack: on 64 KiB of '"\n' or ',"' repeated it
# takes minutes (37 s measured for ',"' alone), on 2 KiB under half a second.
# The header line and a few rows are all the delimiter needs.
_SNIFF_SAMPLE_CHARS = 2048
# JSON escapes (\uXXXX) can make a line several times longer than its text.
_JSON_EXPANSION = 4

# Page text in a cell easily exceeds csv's default 128 KiB field limit, so the
# limit is the document limit instead (set by each read_csv: csv keeps it per
# process). A cell over it is a TOO_LARGE problem for its row, not 100 MB in
# memory: csv holds a field as 4 bytes a character while it reads it.
_DEFAULT_FIELD_LIMIT = 50 * 2**20
csv.field_size_limit(_DEFAULT_FIELD_LIMIT)
# A CSV line is read whole before csv parses it. A physical line longer than
# the document limit plus this much (the row's other cells) cannot hold a
# document under the limit: it is skipped in chunks and its row recorded as
# TOO_LARGE, so one 10 GB line costs no more memory than a document at the limit.
CSV_LINE_SLACK_CHARS = 1 << 20
READ_CHARS = 1 << 16


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
    return readers.stopping_at_broken_gzip(path, _jsonl_items(path, max_document_bytes))


def _jsonl_items(path: str, max_document_bytes: int) -> readers.ReaderOutput:
    seen_text = False
    with readers.open_payload(path, max_document_bytes) as stream:
        lines = _bounded_lines(stream, _JSON_EXPANSION * max_document_bytes)
        for line_number, line in enumerate(lines, start=1):
            if line is None:
                yield readers.too_large(path, None, max_document_bytes, f"line {line_number}", line_number - 1)
                continue
            if line_number == 1:
                line = line.removeprefix(codecs.BOM_UTF8)
            if not line.strip():
                continue
            row, replaced, halves = _parse_json_line(path, line, line_number)
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
            if halves:
                message = (f"line {line_number}: {halves} lone surrogate escape(s) (half of a UTF-16 pair, "
                           "which no text can hold) replaced with U+FFFD")
                yield Problem(path, ProblemReason.UNDECODABLE, message, severity="warning", ordinal=line_number - 1)


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
    return readers.stopping_at_broken_gzip(path, _csv_items(path, max_document_bytes))


def _csv_items(path: str, max_document_bytes: int) -> readers.ReaderOutput:
    encoding, sample = _table_encoding(path)
    delimiter = _delimiter(path, sample)
    csv.field_size_limit(max(max_document_bytes, 1))  # characters: a cell over it is over the limit in bytes too
    with readers.open_payload(path, max_document_bytes) as raw:
        text_stream = io.TextIOWrapper(raw, encoding=encoding, errors=COUNTING_REPLACE, newline="")
        lines = _CappedLines(text_stream, max_document_bytes + CSV_LINE_SLACK_CHARS)
        rows = _CountingRows(csv.reader(lines, delimiter=delimiter))
        try:
            header = rows.next_row()
        except (_LineTooLongError, csv.Error) as exc:
            yield Problem(path, ProblemReason.BAD_RECORD, f"the header row cannot be read: {exc}")
            return
        if header is None:
            yield Problem(path, ProblemReason.EMPTY, "the table has no header row")
            return
        columns = Columns.find(header)
        if columns is None:
            yield _no_text_column(path, header, "columns")
            return
        yield from _csv_rows(path, rows, lines, header, columns, max_document_bytes)
    if rows.replaced:
        yield _undecodable(path, rows.replaced, encoding, "the table")


class _LineTooLongError(Exception):
    """A physical CSV line over the cap, skipped; its row is recorded as TOO_LARGE."""


class _CappedLines:
    """The lines of a text stream for csv.reader, none longer than ``cap``
    characters: the rest of a longer line is read in chunks and dropped, and
    that ``next`` raises _LineTooLongError. The iterator goes on after it
    (csv.reader starts a new row at its next call)."""

    def __init__(self, stream: io.TextIOWrapper, cap: int) -> None:
        self._stream = stream
        self.cap = cap
        self.count = 0  # lines handed out (or skipped) so far

    def __iter__(self) -> _CappedLines:
        return self

    def skip_quoted_rest(self) -> None:
        """Drop the rest of a quoted cell csv gave up on (over the field
        limit): up to its closing quote, then to the end of that line. Read
        in chunks: the rest may be as long as the cell."""
        carry = False  # the previous chunk ended in a quote: is it doubled?
        while chunk := self._stream.readline(READ_CHARS):
            at = 0
            if carry:
                if not chunk.startswith('"'):
                    self._skip_line(chunk)
                    return
                at = 1
            carry = False
            while (quote := chunk.find('"', at)) >= 0:
                if quote + 1 < len(chunk) and chunk[quote + 1] == '"':
                    at = quote + 2  # an escaped quote inside the cell
                    continue
                if quote + 1 == len(chunk) and not chunk.endswith("\n"):
                    carry = True
                    break
                self._skip_line(chunk)
                return
            if chunk.endswith("\n"):
                self.count += 1

    def _skip_line(self, chunk: str) -> None:
        while not chunk.endswith("\n"):
            chunk = self._stream.readline(READ_CHARS)
            if not chunk:
                return
        self.count += 1

    def __next__(self) -> str:
        line = self._stream.readline(self.cap + 1)
        if not line:
            raise StopIteration
        self.count += 1
        if len(line) <= self.cap or line.endswith("\n"):
            return line
        length = len(line)
        del line
        while chunk := self._stream.readline(READ_CHARS):
            length += len(chunk)
            if chunk.endswith("\n"):
                break
        raise _LineTooLongError(f"a line of {length:,} characters, over the {self.cap:,} a row may hold")


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


def _csv_rows(
    path: str, rows: _CountingRows, lines: _CappedLines, header: list[str], columns: Columns, limit: int
) -> readers.ReaderOutput:
    row_number = 0
    while True:
        first_line = lines.count
        try:
            cells = rows.next_row()
        except _LineTooLongError as exc:
            row_number += 1
            yield _too_large_row(path, row_number, limit, str(exc))
            continue
        except csv.Error as exc:
            row_number += 1
            if str(exc).startswith("field larger than field limit"):
                if lines.count - first_line > 1:  # a quoted cell over several lines: csv stopped inside it
                    lines.skip_quoted_rest()
                yield _too_large_row(path, row_number, limit, f"a cell of more than {limit:,} characters")
            else:
                yield Problem(path, ProblemReason.BAD_RECORD, f"row {row_number}: {exc}", ordinal=row_number - 1)
            continue
        if cells is None:
            return
        if not any(cell.strip() for cell in cells):
            continue  # a blank line is not a row
        row_number += 1
        fields = dict(zip(header, cells, strict=False))  # ragged rows: missing cells are absent
        yield from _row_items(path, fields, columns, row_number, limit, "row")


def _too_large_row(path: str, number: int, limit: int, what: str) -> Problem:
    """A CSV row with a line or cell too long to hold, skipped unread."""
    return readers.too_large(path, None, limit, f"row {number} ({what})", number - 1)


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


def _parse_json_line(path: str, line: bytes, line_number: int) -> tuple[dict[str, object] | Problem, int, int]:
    """The object on one line (or why not), how many bytes were undecodable, and
    how many lone surrogates were replaced."""
    ordinal = line_number - 1
    before = replacement_count()
    text = line.decode("utf-8", COUNTING_REPLACE)  # JSON Lines is UTF-8 by definition
    replaced = replacement_count() - before
    try:
        row = json.loads(text)
    except json.JSONDecodeError as exc:
        message = f"line {line_number}: invalid JSON: {exc.msg} at column {exc.colno}"
        return Problem(path, ProblemReason.BAD_RECORD, message, ordinal=ordinal), replaced, 0
    except RecursionError:  # thousands of nested brackets
        message = f"line {line_number}: invalid JSON: nested too deeply"
        return Problem(path, ProblemReason.BAD_RECORD, message, ordinal=ordinal), replaced, 0
    if not isinstance(row, dict):
        message = f"line {line_number}: a JSON {type(row).__name__}, not an object"
        return Problem(path, ProblemReason.BAD_RECORD, message, ordinal=ordinal), replaced, 0
    if not _SURROGATE_ESCAPE.search(text):  # the only way JSON can spell one
        return row, replaced, 0
    try:
        row, halves = _without_lone_surrogates(row)
    except RecursionError:
        message = f"line {line_number}: invalid JSON: nested too deeply"
        return Problem(path, ProblemReason.BAD_RECORD, message, ordinal=ordinal), replaced, 0
    return row, replaced, halves


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _without_lone_surrogates(row: dict[str, object]) -> tuple[dict[str, object], int]:
    """The object with each lone surrogate ("\\ud800" escaped without its other half)
    replaced by U+FFFD, and how many there were. JSON allows the escape, but no UTF-8
    text holds the character: SQLite would refuse the row, and the whole run with it."""
    count = 0

    def clean(value: object) -> object:
        nonlocal count
        if isinstance(value, str):
            fixed, found = _LONE_SURROGATE.subn("\ufffd", value)
            count += found
            return fixed
        if isinstance(value, dict):
            return {clean(key): clean(item) for key, item in value.items()}
        if isinstance(value, list):
            return [clean(item) for item in value]
        return value

    cleaned = clean(row)
    return (cleaned if isinstance(cleaned, dict) else row), count


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
        sample = raw.read(_ENCODING_SAMPLE_BYTES)  # a bomb gives out no more than the cap here
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
        sniffed = csv.Sniffer().sniff(sample[:_SNIFF_SAMPLE_CHARS], delimiters=_CSV_DELIMITERS)
        candidates.insert(0, str(sniffed.delimiter))
    fallbacks: list[str] = list(_CSV_DELIMITERS)
    for delimiter in candidates + fallbacks:
        if Columns.find(_header_cells(header_line, delimiter)) is not None:
            return delimiter
    return candidates[0]


def _header_cells(line: str, delimiter: str) -> list[str]:
    """The cells of a header line, or none: a stray carriage return inside
    the line makes csv refuse it (the table's own reading says so, row by row)."""
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []
