"""Plain-text files (.txt, .md): one document per file."""

from __future__ import annotations

from sourcetrace.ingest import readers
from sourcetrace.ingest.charset import bom_codec
from sourcetrace.ingest.sniff import HEAD_BYTES, looks_binary
from sourcetrace.records import Problem, ProblemReason, RawDocument


def read_text(path: str, max_document_bytes: int) -> readers.ReaderOutput:
    """Yield the file's bytes as one text/plain document (decoded later)."""
    data = readers.read_limited(path, max_document_bytes)
    if isinstance(data, Problem):
        yield data
        return
    if bom_codec(data) is None and looks_binary(data[:HEAD_BYTES]):
        yield Problem(path, ProblemReason.BINARY, "named as text but its bytes are binary (NUL or control bytes)")
        return
    yield RawDocument(ordinal=0, body=data, media_type="text/plain")
