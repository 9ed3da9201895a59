"""HTML files (.html, .htm, .xhtml): one document per file."""

from __future__ import annotations

from sourcetrace.ingest import readers
from sourcetrace.records import Problem, RawDocument


def read_html(path: str, max_document_bytes: int) -> readers.ReaderOutput:
    """Yield the file's bytes as one text/html document.

    The bytes stay undecoded: a saved page has no HTTP header, so the charset
    comes from its BOM, its <meta> tag or detection (see ingest.charset).
    """
    data = readers.read_limited(path, max_document_bytes)
    if isinstance(data, Problem):
        yield data
        return
    refusal = readers.not_text(path, data, "HTML")
    if refusal is not None:
        yield refusal
        return
    yield RawDocument(ordinal=0, body=data, media_type="text/html")
