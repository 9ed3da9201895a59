"""Web archives: WARC through FastWARC, legacy ARC through warcio.

Each ``response`` or ``resource`` record whose payload is HTML or plain text
becomes one document; other records and payloads (images, scripts, requests,
metadata) are skipped, as is every HTTP response outside 2xx (redirects and
error pages carry no article). Document ordinals are record positions in the
archive, counting every record from 0.

Both libraries stop silently at a truncated file and hand back the cut record
as if it were whole, so :func:`inspect_archive` first walks the record
structure itself (streaming; a gzip stream is decompressed to its end) and the
reader keeps only the records before the damage.
"""

from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fastwarc.warc import ArchiveIterator as FastArchiveIterator
from fastwarc.warc import WarcRecord, WarcRecordType

from sourcetrace.ingest import readers
from sourcetrace.ingest.sniff import GZIP_MAGIC, HEAD_BYTES
from sourcetrace.records import Problem, ProblemReason, RawDocument

if TYPE_CHECKING:
    from warcio.recordloader import ArcWarcRecord

_DOCUMENT_RECORD_TYPES = WarcRecordType.response | WarcRecordType.resource
_MAX_HEADER_LINE = 1 << 16
_MAX_HEADER_LINES = 1000
_SKIP_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class ArchiveCheck:
    """What walking an archive's record structure found."""

    records: int  # complete records before the damage (all of them if undamaged)
    framing: str | None = None  # "warc" or "arc", as found in the first record
    reason: ProblemReason | None = None  # TRUNCATED or CORRUPT, None if the archive is whole
    message: str | None = None


def check_complete(path: str) -> str | None:
    """Why the WARC or ARC file at ``path`` is incomplete or broken, or None if whole."""
    return inspect_archive(path).message


def inspect_archive(path: str, max_document_bytes: int = 0) -> ArchiveCheck:
    """Walk every record header and skip every record body, streaming.

    A gzip stream is decompressed at most to its cap
    (:data:`readers.DECOMPRESSION_RATIO_LIMIT`): past it, the records before
    the one being read are kept and the archive gets a TOO_LARGE problem.
    """
    with readers.open_input(path) as raw:
        gzipped = raw.read(2) == GZIP_MAGIC
        raw.seek(0)
        stream: readers.Payload = readers.capped_gzip(raw, max_document_bytes) if gzipped else raw
        walker = _RecordWalker(stream, seekable=not gzipped, compressed=gzipped)
        try:
            return walker.walk()
        except readers.DecompressionLimitError as exc:
            return walker.bomb(exc)
        except EOFError:
            return walker.cut("the gzip stream ends before its end marker")
        except (gzip.BadGzipFile, zlib.error) as exc:
            return walker.broken(f"broken gzip stream: {exc}")


class _RecordWalker:
    """Follows WARC (``WARC/1.x`` headers + Content-Length) or ARC (one header
    line ending in the length) record framing through a byte stream."""

    def __init__(self, stream: readers.Payload, seekable: bool, compressed: bool) -> None:
        self.stream = stream
        self.seekable = seekable
        self.where = "uncompressed byte" if compressed else "byte"
        self.index = 0  # the record being read
        self.offset = 0  # where it starts
        self.position = 0  # bytes consumed so far
        self.between_records = True  # no byte of the current record read yet
        self.framing: str | None = None

    def walk(self) -> ArchiveCheck:
        first = self._next_nonblank_line()
        if first is None:
            return ArchiveCheck(0, None, ProblemReason.EMPTY, "the archive holds no records")
        if first.startswith(b"WARC/"):
            self.framing = "warc"
            return self._walk_warc(first)
        if first.startswith(b"filedesc://"):
            self.framing = "arc"
            return self._walk_arc(first)
        return self.broken(f"not a WARC or ARC file: it starts with {first[:24]!r}")

    def _walk_warc(self, line: bytes | None) -> ArchiveCheck:
        while line is not None:
            if not line.startswith(b"WARC/"):
                return self.broken(f"record {self.index} at {self.where} {self.offset} does not start with 'WARC/'")
            length = self._warc_content_length()
            if isinstance(length, ArchiveCheck):
                return length
            if not self._skip(length):
                return self.cut(f"its content is shorter than its Content-Length of {length} bytes")
            terminator = self.stream.read(4)
            self.position += len(terminator)
            if terminator != b"\r\n\r\n":
                if b"\r\n\r\n".startswith(terminator):
                    # The content is whole, only the terminator is missing: keep the record.
                    message = (
                        f"truncated: the file ends right after the content of record {self.index}, "
                        f"without its record terminator; all {self.index + 1} record(s) are kept"
                    )
                    return ArchiveCheck(self.index + 1, "warc", ProblemReason.TRUNCATED, message)
                return self.broken(
                    f"record {self.index} at {self.where} {self.offset} is not followed by the record "
                    f"terminator after its Content-Length of {length} bytes"
                )
            self.index += 1
            line = self._next_nonblank_line()
        return ArchiveCheck(self.index, self.framing)

    def _warc_content_length(self) -> int | ArchiveCheck:
        length: int | None = None
        for _ in range(_MAX_HEADER_LINES):
            line = self._readline()
            if not line:
                return self.cut("the file ends inside the record's header")
            if line in (b"\r\n", b"\n"):
                if length is None:
                    return self.broken(f"record {self.index} at {self.where} {self.offset} has no Content-Length")
                return length
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                try:
                    length = int(value.strip())
                except ValueError:
                    length = -1
                if length < 0:  # a negative one too: skipping back would read the same record for ever
                    return self.broken(f"record {self.index} has an invalid Content-Length {value.strip()!r}")
        return self.broken(f"record {self.index} at {self.where} {self.offset} has an endless header")

    def _walk_arc(self, line: bytes | None) -> ArchiveCheck:
        while line is not None:
            fields = line.split()
            try:
                length = int(fields[-1])
            except (IndexError, ValueError):
                return self.broken(
                    f"ARC record {self.index} at {self.where} {self.offset} has no length in its header line"
                )
            if length < 0:  # skipping back would read the same record for ever
                return self.broken(f"ARC record {self.index} at {self.where} {self.offset} has a negative length")
            if not line.endswith(b"\n"):
                return self.cut("the file ends inside the record's header line")
            if not self._skip(length):
                return self.cut(f"its content is shorter than its declared length of {length} bytes")
            self.index += 1
            line = self._next_nonblank_line()
        return ArchiveCheck(self.index, self.framing)

    def cut(self, detail: str) -> ArchiveCheck:
        """The archive ends early: records before the current one are whole."""
        if self.between_records:
            message = (
                f"truncated: {detail}, after record {self.index - 1} (at {self.where} {self.offset}); "
                f"all {self.index} complete record(s) before the cut are kept"
            )
        else:
            message = (
                f"truncated: the archive ends inside record {self.index} (starting at {self.where} "
                f"{self.offset}): {detail}; the {self.index} record(s) before it are kept"
            )
        return ArchiveCheck(self.index, self.framing, ProblemReason.TRUNCATED, message)

    def bomb(self, exc: readers.DecompressionLimitError) -> ArchiveCheck:
        """Decompression went past its cap inside the current record: records before it are kept."""
        message = (
            f"record {self.index} (starting at {self.where} {self.offset}): {exc}; "
            f"the {self.index} record(s) before it are kept, none after it is read"
        )
        return ArchiveCheck(self.index, self.framing, ProblemReason.TOO_LARGE, message)

    def broken(self, detail: str) -> ArchiveCheck:
        """The framing is wrong: records before the current one are kept."""
        kept = f"; the {self.index} record(s) before it are kept" if self.index else ""
        return ArchiveCheck(self.index, self.framing, ProblemReason.CORRUPT, f"{detail}{kept}")

    def _next_nonblank_line(self) -> bytes | None:
        """The next header line, skipping blank lines between records; None at the end."""
        self.between_records = True
        while True:
            self.offset = self.position
            line = self._readline()
            if not line:
                return None
            if line.strip():
                self.between_records = False
                return line

    def _readline(self) -> bytes:
        line = self.stream.readline(_MAX_HEADER_LINE)
        self.position += len(line)
        return line

    def _skip(self, count: int) -> bool:
        """Skip ``count`` bytes (never backwards); False if the stream ends first."""
        if count < 0:
            return False
        if self.seekable:
            start = self.stream.tell()
            end = self.stream.seek(0, 2)
            target = start + count
            self.stream.seek(min(target, end))
            self.position += min(count, end - start)
            return target <= end
        while count > 0:
            chunk = self.stream.read(min(count, _SKIP_CHUNK))
            if not chunk:
                return False
            count -= len(chunk)
            self.position += len(chunk)
        return True


def read_warc(path: str, max_document_bytes: int) -> readers.ReaderOutput:
    """Documents of a WARC (plain, per-record gzip or whole-file gzip)."""
    check = inspect_archive(path, max_document_bytes)
    if check.framing == "arc":  # named .warc, framed as ARC
        yield from read_arc(path, max_document_bytes)
        return
    if check.records == 0 and check.reason is not None:
        yield Problem(path, check.reason, check.message or "no records")
        return
    index = 0
    try:
        with readers.open_input(path) as stream:
            records = FastArchiveIterator(stream, parse_http=False, quirks_mode=True)
            for index, record in enumerate(records):
                if index >= check.records:
                    break
                yield from _warc_record_items(path, record, index, max_document_bytes)
    except OSError as exc:
        if index < check.records:
            yield Problem(path, ProblemReason.CORRUPT, f"WARC reader stopped at record {index}: {exc}")
    if check.message is not None and check.reason is not None:
        yield Problem(path, check.reason, check.message)


def _warc_record_items(path: str, record: WarcRecord, index: int, limit: int) -> readers.ReaderOutput:
    if not record.record_type & _DOCUMENT_RECORD_TYPES:
        return
    origin = _Origin(
        url=_bare_uri(record.headers.get("WARC-Target-URI")),
        fetched=record.headers.get("WARC-Date"),
        record_id=record.record_id,
    )
    try:
        if record.record_type == WarcRecordType.response:
            if not record.is_http:
                return
            record.parse_http(auto_decode="all", quirks_mode=True)
            headers = record.http_headers
            if headers is None or not 200 <= (headers.status_code or 0) < 300:
                return
            content_type = headers.get("Content-Type")
        else:
            content_type = record.headers.get("Content-Type")
        document = _document(path, record.reader, content_type, index, limit, origin)
    except (OSError, ValueError) as exc:
        yield Problem(path, ProblemReason.BAD_RECORD, f"record {index}: {type(exc).__name__}: {exc}", ordinal=index)
        return
    if document is not None:
        yield document


@dataclass(frozen=True, slots=True)
class _Origin:
    """Where an archive record's payload came from, per its headers."""

    url: str | None
    fetched: str | None
    record_id: str | None


def _document(
    path: str, payload: readers.Readable, content_type: str | None, index: int, limit: int, origin: _Origin
) -> RawDocument | Problem | None:
    """The document of one archive record's payload; None if it is not text.

    Only the head of a payload is read before its media type is settled, so a
    large image or video record costs no memory.
    """
    media_type, charset = readers.parse_content_type(content_type)
    head = payload.read(HEAD_BYTES)
    kind = readers.payload_media_type(media_type, head)
    if kind is None:
        return None
    body = head + readers.read_at_most(payload, limit - len(head))
    if len(body) > limit:
        return readers.too_large(path, None, limit, f"record {index}", index)
    return RawDocument(
        ordinal=index,
        body=body,
        media_type=kind,
        declared_charset=charset,
        record_id=origin.record_id,
        url=origin.url,
        fetched=origin.fetched,
    )


def _bare_uri(uri: str | None) -> str | None:
    """A WARC-Target-URI without the angle brackets WARC 1.0 drafts put around it."""
    return (uri.strip().strip("<>") or None) if uri else None


def read_arc(path: str, max_document_bytes: int) -> readers.ReaderOutput:
    """Documents of a legacy ARC file (plain or gzip), read with warcio."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    check = inspect_archive(path, max_document_bytes)
    if check.framing == "warc":  # named .arc, framed as WARC
        yield from read_warc(path, max_document_bytes)
        return
    if check.records == 0 and check.reason is not None:
        yield Problem(path, check.reason, check.message or "no records")
        return
    index = 0
    try:
        with readers.open_input(path) as stream:
            for index, record in enumerate(ArchiveIterator(stream, arc2warc=True)):
                if index >= check.records:
                    break
                try:
                    item = _arc_record_item(path, record, index, max_document_bytes)
                except (OSError, ValueError, EOFError, OverflowError, zlib.error) as exc:
                    message = f"record {index}: {type(exc).__name__}: {exc}"
                    item = Problem(path, ProblemReason.BAD_RECORD, message, ordinal=index)
                if item is not None:
                    yield item
    # OverflowError: warcio reads a record's lines up to its declared length, and a length past
    # the machine's integers (found by fuzzing: tests/fuzz/corpus/read_arc) cannot be one.
    except (ArchiveLoadFailed, OSError, ValueError, EOFError, OverflowError, zlib.error) as exc:
        if index < check.records:
            why = "a length in its header is too large to be one" if isinstance(exc, OverflowError) else str(exc)
            yield Problem(path, ProblemReason.CORRUPT, f"ARC reader stopped at record {index}: {why}")
    if check.message is not None and check.reason is not None:
        yield Problem(path, check.reason, check.message)


def _arc_record_item(path: str, record: ArcWarcRecord, index: int, limit: int) -> RawDocument | Problem | None:
    http = record.http_headers
    if record.rec_type != "response" or http is None:
        return None
    status = http.get_statuscode()
    if not (status or "").startswith("2"):
        return None
    headers = record.rec_headers
    # warcio invents a random WARC-Record-ID for ARC records: not a stable id, so none is kept.
    origin = _Origin(
        url=_bare_uri(headers.get_header("WARC-Target-URI")),
        fetched=headers.get_header("WARC-Date"),
        record_id=None,
    )
    payload = record.content_stream()
    return _document(path, payload, http.get_header("Content-Type"), index, limit, origin)
