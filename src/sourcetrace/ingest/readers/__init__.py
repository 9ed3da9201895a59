"""Readers: one per input kind, each a generator of RawDocument | Problem.

A reader never raises for bad data; it yields a Problem and goes on where it
can. Every input file is opened through :func:`open_input`, the single place
a test (or an embedding application) replaces to simulate OS errors.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, BinaryIO, Literal, Protocol

from sourcetrace.ingest.charset import bom_codec
from sourcetrace.ingest.sniff import GZIP_MAGIC, HEAD_BYTES, looks_binary, looks_like_html
from sourcetrace.records import Problem, ProblemReason, RawDocument

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

ReaderItem = RawDocument | Problem
ReaderOutput = Iterator[ReaderItem]
MediaType = Literal["text/html", "text/plain"]

READ_CHUNK_BYTES = 1 << 16

# An input's bytes: the file itself, or the gzip stream inside it.
Payload = BinaryIO | gzip.GzipFile | io.BufferedReader

# Decompression bombs. Deflate reaches about 1,000:1 at most (a few MB of gzip
# hold 10 GB of zeros); HTML, WARC files and tables typically compress 3:1 to
# 10:1, so 100:1 leaves a wide margin for repetitive pages. A gzip stream
# may therefore give out at most DECOMPRESSION_RATIO_LIMIT times the bytes of
# its file, and never less than DECOMPRESSION_FLOOR_BYTES (nor less than two
# documents at the document limit), so a small file of highly compressible
# text is still read. Past that, reading stops and the input gets a TOO_LARGE
# problem: the time a bomb costs is bounded, the memory never depended on it
# (every gzip stream is read in chunks).
DECOMPRESSION_RATIO_LIMIT = 100
DECOMPRESSION_FLOOR_BYTES = 128 * 2**20

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_PLAIN_TYPES = frozenset({"text/plain", "text/markdown"})
_UNTYPED = frozenset({"", "application/octet-stream", "unknown/unknown"})


def not_text(path: str, data: bytes, named_as: str) -> Problem | None:
    """A ``binary`` problem ("not text") when a file named as text or HTML holds
    binary bytes (a picture saved as .html), instead of decoding it to garbage."""
    if bom_codec(data) is not None or not looks_binary(data[:HEAD_BYTES]):
        return None
    return Problem(path, ProblemReason.BINARY, f"not text: named as {named_as} but its bytes are binary "
                   "(NUL or control bytes)")


def open_input(path: str) -> BinaryIO:
    """Open an input file for binary reading. Every reader goes through here."""
    return open(path, "rb")


class DecompressionLimitError(Exception):
    """A gzip stream gave out more bytes than its decompression cap: a bomb,
    or a file to read uncompressed. Recorded as a TOO_LARGE problem."""

    def __init__(self, cap: int, compressed: int) -> None:
        self.cap = cap
        self.compressed = compressed
        super().__init__(
            f"decompressed beyond {format_size(cap)} from {format_size(compressed)} of gzip (the cap is "
            f"{DECOMPRESSION_RATIO_LIMIT} times the file, at least {DECOMPRESSION_FLOOR_BYTES // 2**20} MiB): "
            "a decompression bomb, or a file to decompress before reading"
        )


def decompression_cap(compressed: int, max_document_bytes: int = 0) -> int:
    """How many bytes a gzip stream of ``compressed`` bytes may give out."""
    return max(DECOMPRESSION_RATIO_LIMIT * compressed, DECOMPRESSION_FLOOR_BYTES, 2 * max_document_bytes)


class CappedStream(io.RawIOBase):
    """A gzip stream that raises DecompressionLimitError once it has given out
    more than ``cap`` bytes. Wrapped in a BufferedReader by :func:`capped_gzip`."""

    def __init__(self, stream: gzip.GzipFile, cap: int, compressed: int) -> None:
        super().__init__()
        self._stream = stream
        self.cap = cap
        self.compressed = compressed
        self.given = 0

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self._stream.close()  # the GzipFile only: the file under it belongs to the caller
        super().close()

    def readinto(self, buffer: WriteableBuffer, /) -> int:
        # read1: what one step decompresses, so the bytes before a cut stream
        # are handed out before its EOFError is.
        view = memoryview(buffer).cast("B")
        data = self._stream.read1(len(view))
        count = len(data)
        view[:count] = data
        self.given += count
        if self.given > self.cap:
            raise DecompressionLimitError(self.cap, self.compressed)
        return count


def capped_gzip(raw: BinaryIO, max_document_bytes: int = 0) -> io.BufferedReader:
    """The decompressed stream of the gzip file ``raw``, capped (see DECOMPRESSION_RATIO_LIMIT)."""
    start = raw.tell()
    compressed = raw.seek(0, io.SEEK_END) - start
    raw.seek(start)
    capped = CappedStream(gzip.GzipFile(fileobj=raw, mode="rb"), decompression_cap(compressed, max_document_bytes),
                          compressed)
    return io.BufferedReader(capped, READ_CHUNK_BYTES)


@contextmanager
def open_payload(path: str, max_document_bytes: int = 0) -> Iterator[Payload]:
    """Open an input, transparently decompressing a gzip wrapper (capped:
    past its cap a read raises DecompressionLimitError)."""
    with open_input(path) as raw:
        gzipped = raw.read(2) == GZIP_MAGIC
        raw.seek(0)
        if not gzipped:
            yield raw
            return
        with capped_gzip(raw, max_document_bytes) as stream:
            yield stream


def stopping_at_broken_gzip(path: str, items: ReaderOutput) -> ReaderOutput:
    """A streamed reader's items up to where the input's gzip wrapper breaks, then
    the Problem: what was read before stays, and the break is recorded, not raised."""
    try:
        yield from items
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        yield broken_gzip(path, exc)


def broken_gzip(path: str, exc: EOFError | gzip.BadGzipFile | zlib.error) -> Problem:
    """The Problem of an input whose gzip wrapper is cut short (EOFError) or damaged."""
    if isinstance(exc, EOFError):
        return Problem(path, ProblemReason.TRUNCATED, f"gzip stream ends early: {exc}")
    return Problem(path, ProblemReason.CORRUPT, f"broken gzip stream: {exc}")


def read_limited(path: str, limit: int) -> bytes | Problem:
    """The whole (decompressed) payload of a single-document input, or the
    Problem that stops it: over ``limit`` bytes, or a broken gzip wrapper."""
    try:
        with open_payload(path, limit) as stream:
            data = read_at_most(stream, limit)
    except DecompressionLimitError as exc:
        return Problem(path, ProblemReason.TOO_LARGE, str(exc))
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        return broken_gzip(path, exc)
    if len(data) > limit:
        return too_large(path, None, limit, "decompressed document")
    return data


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


def read_at_most(stream: Readable, limit: int) -> bytes:
    """Read to the end, or stop once past ``limit`` bytes (the result is then
    longer than ``limit``). Chunked: ``read(limit + 1)`` would allocate the
    whole limit up front for every small document."""
    parts: list[bytes] = []
    total = 0
    while total <= limit:
        chunk = stream.read(READ_CHUNK_BYTES)
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
    return b"".join(parts)


def too_large(path: str, size: int | None, limit: int, what: str, ordinal: int | None = None) -> Problem:
    """The TOO_LARGE problem, naming the size, the limit and how to raise it."""
    actual = f"is {format_size(size)}" if size is not None else "is larger than the limit"
    return Problem(
        path,
        ProblemReason.TOO_LARGE,
        f"{what} {actual}, over the {format_size(limit)} limit for one document; "
        "raise --max-document-mb (max_document_bytes in the API) to read it",
        ordinal=ordinal,
    )


def format_size(size: int) -> str:
    """``size`` in bytes and in the nearest binary unit: '1.5 MiB (1572864 bytes)'."""
    value = float(size)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            if unit == "bytes":
                return f"{size} bytes"
            return f"{value:.1f} {unit} ({size} bytes)"
        value /= 1024
    raise AssertionError("unreachable")


def parse_content_type(value: str | None) -> tuple[str, str | None]:
    """(media type in lower case, charset label or None) from a Content-Type value."""
    if not value:
        return "", None
    media_type, *params = value.split(";")
    charset = None
    for param in params:
        key, _, param_value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = param_value.strip().strip("\"'") or None
    return media_type.strip().lower(), charset


def payload_media_type(content_type: str, head: bytes) -> MediaType | None:
    """How to read a payload with this media type: HTML, plain text, or not at all.

    Without a usable media type the payload's first bytes decide.
    """
    if content_type in _HTML_TYPES:
        return "text/html"
    if content_type in _PLAIN_TYPES:
        return "text/plain"
    if content_type in _UNTYPED:
        if looks_like_html(head):
            return "text/html"
        if head and not looks_binary(head):
            return "text/plain"
    return None
