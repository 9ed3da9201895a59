"""PDF files: the text layer of every page, as one document."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from typing import TypeVar

from pypdf import PdfReader

from sourcetrace.ingest import readers
from sourcetrace.records import Problem, ProblemReason, RawDocument

# pypdf logs every recoverable oddity; the Problems we record say what matters.
logging.getLogger("pypdf").setLevel(logging.ERROR)

T = TypeVar("T")


def read_pdf(path: str, max_document_bytes: int) -> readers.ReaderOutput:
    """Yield the PDF's text (pages joined by blank lines) and its metadata."""
    data = readers.read_limited(path, max_document_bytes)
    if isinstance(data, Problem):
        yield data
        return
    try:
        pdf = PdfReader(io.BytesIO(data))
        pages = list(pdf.pages)
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types on damaged files
        yield Problem(path, ProblemReason.CORRUPT, f"not a readable PDF: {type(exc).__name__}: {exc}")
        return
    texts: list[str] = []
    for number, page in enumerate(pages, start=1):
        try:
            texts.append(page.extract_text().strip())
        except Exception as exc:  # noqa: BLE001 - one bad page must not lose the others
            yield Problem(
                path,
                ProblemReason.EXTRACTION_FAILED,
                f"page {number} of {len(pages)}: {type(exc).__name__}: {exc}",
                severity="warning",
                ordinal=0,
            )
    text = "\n\n".join(t for t in texts if t)
    if not text:
        yield Problem(path, ProblemReason.EMPTY, "no text layer (scanned PDF?)", severity="warning", ordinal=0)
        return
    title, author, created = _metadata(pdf)
    yield RawDocument(
        ordinal=0, body=text, media_type="text/plain", title=title, published=created, author=author
    )


def _metadata(pdf: PdfReader) -> tuple[str | None, str | None, str | None]:
    """(title, author, creation date in ISO 8601) from the document info.

    Each field is read on its own: a malformed date must not lose the title.
    """
    info = _attempt(lambda: pdf.metadata)
    if info is None:
        return None, None, None
    title = _attempt(lambda: (info.title or "").strip() or None)
    author = _attempt(lambda: (info.author or "").strip() or None)
    created = _attempt(lambda: info.creation_date.isoformat() if info.creation_date else None)
    return title, author, created


def _attempt(read: Callable[[], T]) -> T | None:
    try:
        return read()
    except Exception:  # noqa: BLE001 - metadata is optional
        return None
