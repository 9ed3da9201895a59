"""Read one input file into its record, documents and problems.

:func:`ingest_input` never raises for bad data: whatever goes wrong becomes a
Problem next to the input record, so a pile with one broken file still
ingests, and the case says exactly what was lost and why.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sourcetrace.ingest import readers
from sourcetrace.ingest.charset import DecodedText, decode_html, decode_text
from sourcetrace.ingest.extract import Extractor, extract_html
from sourcetrace.ingest.readers.html import read_html
from sourcetrace.ingest.readers.pdf import read_pdf
from sourcetrace.ingest.readers.tables import read_csv, read_jsonl
from sourcetrace.ingest.readers.text import read_text
from sourcetrace.ingest.readers.warc import read_arc, read_warc
from sourcetrace.ingest.sniff import HEAD_BYTES, kind_from_extension, looks_binary, sniff_kind
from sourcetrace.ingest.spill import SPILL_AFTER_CHARACTERS, DocumentSink
from sourcetrace.records import (
    Document,
    IngestedInput,
    InputKind,
    InputRecord,
    Problem,
    ProblemReason,
    RawDocument,
)

HASH_CHUNK_BYTES = 1 << 20

Reader = Callable[[str, int], readers.ReaderOutput]

READERS: dict[InputKind, Reader] = {
    InputKind.TEXT: read_text,
    InputKind.HTML: read_html,
    InputKind.WARC: read_warc,
    InputKind.ARC: read_arc,
    InputKind.JSONL: read_jsonl,
    InputKind.CSV: read_csv,
    InputKind.PDF: read_pdf,
}

# Inputs holding one document: the file size itself is limited. Archives and
# tables are streamed, so only each record's size is.
SINGLE_DOCUMENT_KINDS = frozenset({InputKind.TEXT, InputKind.HTML, InputKind.PDF})


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How inputs are read."""

    extractor: Extractor = "trafilatura"
    max_document_bytes: int = 50 * 2**20
    spill_folder: str | None = None  # where a large input's documents go (ingest/spill.py); None: kept in memory
    spill_after_characters: int = SPILL_AFTER_CHARACTERS


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """Identity of an input's raw bytes, and its first bytes for sniffing."""

    sha256: str
    size: int
    head: bytes


def ingest_input(path: str, options: ReadOptions = ReadOptions()) -> IngestedInput:
    """Hash, sniff, read, decode and extract one input file. Never raises for bad data."""
    path = os.path.abspath(path)
    fingerprint = fingerprint_file(path)
    if isinstance(fingerprint, Problem):
        return IngestedInput(_unread_record(path), problems=[fingerprint])
    kind = sniff_kind(path, fingerprint.head)
    result = IngestedInput(InputRecord(path, fingerprint.sha256, fingerprint.size, kind, _now()))
    refusal = _refusal(path, kind, fingerprint, options)
    if refusal is not None:
        result.problems.append(refusal)
        return result
    sink = DocumentSink(result, options.spill_folder, options.spill_after_characters)
    try:
        for item in READERS[kind](path, options.max_document_bytes):
            if isinstance(item, Problem):
                result.problems.append(item)
            else:
                _add_document(result, sink, item, kind, options)
    except readers.DecompressionLimitError as exc:  # a gzip bomb: what came before it is kept
        result.problems.append(Problem(path, ProblemReason.TOO_LARGE, str(exc)))
    except OSError as exc:
        result.problems.append(Problem(path, ProblemReason.UNREADABLE, _describe(exc)))
    except Exception as exc:  # noqa: BLE001 - one input's failure must not stop the pile
        result.problems.append(Problem(path, ProblemReason.EXTRACTION_FAILED, f"reading failed: {_describe(exc)}"))
    finally:
        sink.close()
    return result


def fingerprint_file(path: str) -> Fingerprint | Problem:
    """SHA-256, size and head of the file, streamed in 1 MiB chunks; or why not."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return Problem(path, ProblemReason.NOT_FOUND, "no such file")
    except OSError as exc:
        return Problem(path, ProblemReason.UNREADABLE, _describe(exc))
    if not stat.S_ISREG(info.st_mode):
        what = "a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        return Problem(path, ProblemReason.UNSUPPORTED, f"is {what}; only files are read")
    digest = hashlib.sha256()
    size = 0
    head = b""
    try:
        with readers.open_input(path) as stream:
            while chunk := stream.read(HASH_CHUNK_BYTES):
                if not head:
                    head = chunk[:HEAD_BYTES]
                digest.update(chunk)
                size += len(chunk)
    except OSError as exc:
        return Problem(path, ProblemReason.UNREADABLE, _describe(exc))
    return Fingerprint(digest.hexdigest(), size, head)


def _refusal(path: str, kind: InputKind, fingerprint: Fingerprint, options: ReadOptions) -> Problem | None:
    """The Problem that stops an input before any reader runs, if one does."""
    if fingerprint.size == 0:
        return Problem(path, ProblemReason.EMPTY, "the file is empty (0 bytes)")
    if kind is InputKind.UNKNOWN:
        if looks_binary(fingerprint.head):
            return Problem(path, ProblemReason.BINARY, "not text: binary content of no kind sourcetrace reads")
        return Problem(path, ProblemReason.UNSUPPORTED, "a file type sourcetrace does not read")
    if kind in SINGLE_DOCUMENT_KINDS and fingerprint.size > options.max_document_bytes:
        return readers.too_large(path, fingerprint.size, options.max_document_bytes, "the file")
    return None


def _add_document(result: IngestedInput, sink: DocumentSink, raw: RawDocument, kind: InputKind,
                  options: ReadOptions) -> None:
    path = result.input.path
    try:
        document, problems = to_document(path, raw, kind, options)
    except Exception as exc:  # noqa: BLE001 - one document's failure must not lose the others
        message = f"extraction failed: {_describe(exc)}"
        result.problems.append(Problem(path, ProblemReason.EXTRACTION_FAILED, message, ordinal=raw.ordinal))
        return
    result.problems.extend(problems)
    if document is not None:
        sink.add(document)


class ExtractionFailed(Exception):
    """Every extractor failed on a page; recorded as an extraction_failed problem."""


def to_document(
    path: str, raw: RawDocument, kind: InputKind, options: ReadOptions
) -> tuple[Document | None, list[Problem]]:
    """Decode and extract one raw document; None (and why) when no text is left."""
    problems: list[Problem] = []
    decoded = _decode(raw)
    if decoded is not None and decoded.replaced:
        problems.append(
            Problem(
                path,
                ProblemReason.UNDECODABLE,
                f"{decoded.replaced} byte sequence(s) could not be decoded as {decoded.charset} "
                "and were replaced with U+FFFD",
                severity="warning",
                ordinal=raw.ordinal,
            )
        )
    text = decoded.text if decoded is not None else str(raw.body)
    document = _extract(raw, text, kind, options)
    document.charset = decoded.charset if decoded is not None else None
    document.text = normalise_newlines(document.text)
    if not document.text.strip():
        what = "no main text found in the page" if raw.media_type == "text/html" else "no text found"
        problems.append(
            Problem(
                path,
                ProblemReason.EMPTY,
                f"{what} (extractor: {document.extractor})",
                severity="warning",
                ordinal=raw.ordinal,
            )
        )
        return None, problems
    return document, problems


def _decode(raw: RawDocument) -> DecodedText | None:
    """The body decoded to text, or None when the reader already gave text."""
    if isinstance(raw.body, str):
        return None
    if raw.media_type == "text/html":
        return decode_html(raw.body, raw.declared_charset)
    return decode_text(raw.body, raw.declared_charset)


def _extract(raw: RawDocument, text: str, kind: InputKind, options: ReadOptions) -> Document:
    """The document: extracted main text for HTML, the text itself otherwise.

    Metadata the input states (columns, archive headers) wins over what the
    extractor guesses from the page.
    """
    author = raw.author
    if raw.media_type != "text/html":
        extractor = "pypdf" if kind is InputKind.PDF else "plain"
        return Document(
            ordinal=raw.ordinal,
            text=text,
            media_type=raw.media_type,
            extractor=extractor,
            record_id=raw.record_id,
            url=raw.url,
            title=raw.title,
            author=author,
            published=raw.published,
            fetched=raw.fetched,
            source=raw.source,
        )
    page = extract_html(text, raw.url, options.extractor, fetched=raw.fetched)
    if page.error is not None:
        raise ExtractionFailed(page.error)
    return Document(
        ordinal=raw.ordinal,
        text=page.text,
        media_type=raw.media_type,
        extractor=page.extractor,
        record_id=raw.record_id,
        url=raw.url or page.url,
        title=raw.title or page.title,
        author=author or page.author,
        site=page.site,
        published=raw.published or page.published,
        fetched=raw.fetched,
        source=raw.source,
    )


def normalise_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` become ``\\n``: offsets mean the same on every platform."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _unread_record(path: str) -> InputRecord:
    """The record of an input whose bytes could not be read: no hash, size if known."""
    try:
        info = os.stat(path)
        size = info.st_size if stat.S_ISREG(info.st_mode) else 0
    except OSError:
        size = 0
    kind = kind_from_extension(path.lower().removesuffix(".gz")) or InputKind.UNKNOWN
    return InputRecord(path, sha256="", size=size, kind=kind, ingested_at=_now())


def _describe(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return f"{type(exc).__name__}: {exc.strerror}"
    return f"{type(exc).__name__}: {exc}"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
