"""Plain-text files (.txt, .md): one document per file."""

from __future__ import annotations

from sourcetrace.ingest import readers
from sourcetrace.records import Problem, RawDocument


def read_text(path: str, max_document_bytes: int) -> readers.ReaderOutput:
    """Yield the file's bytes as one text/plain document (decoded later)."""
    data = readers.read_limited(path, max_document_bytes)
    if isinstance(data, Problem):
        yield data
        return
    refusal = readers.not_text(path, data, "text")
    if refusal is not None:
        yield refusal
        return
    yield RawDocument(ordinal=0, body=data, media_type="text/plain")
