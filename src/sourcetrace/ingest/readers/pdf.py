"""PDF files: the text layer of every page, as one document.

Hostile PDFs are bounded here (see docs/case-schema.md, "Limits on hostile
inputs"): the file itself is at most the document limit, the page count at
most :data:`MAX_PDF_PAGES` (a page tree claiming more, or walking to more, is
a TOO_LARGE problem before any page is read), the text at most the document
limit, and a PDF that refers to itself without end (a page tree or a form
that contains itself) stops at pypdf's limits or Python's recursion limit and
is a recorded problem, never a crash of the run.
"""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Callable
from typing import TypeVar

from pypdf import PdfReader, apply_configuration
from pypdf.errors import LimitReachedError
from pypdf.generic import DictionaryObject

from sourcetrace.ingest import readers
from sourcetrace.records import Problem, ProblemReason, RawDocument

# pypdf logs every recoverable oddity; the Problems we record say what matters.
logging.getLogger("pypdf").setLevel(logging.ERROR)

T = TypeVar("T")

# pypdf builds a PageObject for every page before any text is read (about a
# KiB each, more with inherited resources), and text extraction visits each
# page: a tree that claims, or repeats its way to, a million pages would hold
# a GB of page objects and run for hours. 10,000 pages is longer than any
# report, book or court record we read (a 50 MB text layer is ~20,000 pages
# of dense text, so the byte limit is met first in practice).
MAX_PDF_PAGES = 10_000
# pypdf counts every node of the page tree (inner /Pages nodes too) against
# page_tree_maximum_entries; a tree of MAX_PDF_PAGES leaves needs a few more.
_PAGE_TREE_ENTRIES = 2 * MAX_PDF_PAGES
# A form drawing itself (directly or through others) is cut off by pypdf after
# this many form invocations on a page (its default is 5,000); real pages draw
# a few dozen forms at most.
_FORMS_PER_PAGE = 500
# Text extraction stops after this long in one PDF, keeping the pages read:
# content streams can be made slow to parse (pypdf allows 2 million operands
# per stream, and every page may share one), which no size limit catches.
PDF_EXTRACTION_SECONDS = 300.0


def read_pdf(path: str, max_document_bytes: int) -> readers.ReaderOutput:
    """Yield the PDF's text (pages joined by blank lines) and its metadata."""
    data = readers.read_limited(path, max_document_bytes)
    if isinstance(data, Problem):
        yield data
        return
    # pypdf's limits live in a context variable: set them only around pypdf's
    # own work, never across a yield (the caller would inherit them).
    with apply_configuration(page_tree_maximum_entries=_PAGE_TREE_ENTRIES,
                             xform_maximum_invocations_per_extraction=_FORMS_PER_PAGE):
        items = _read(path, data, max_document_bytes)
    yield from items


def _read(path: str, data: bytes, limit: int) -> list[readers.ReaderItem]:
    try:
        pdf = PdfReader(io.BytesIO(data))
        claimed = _attempt(lambda: _claimed_pages(pdf))
        if claimed is not None and claimed > MAX_PDF_PAGES:
            return [_too_many_pages(path, f"its page tree claims {claimed:,} pages")]
        pages = list(pdf.pages)
    except LimitReachedError as exc:
        return [_too_many_pages(path, f"its page tree leads to more pages than that (pypdf: {exc})")]
    except RecursionError:
        return [Problem(path, ProblemReason.CORRUPT, "not a readable PDF: it refers to itself without end "
                        "(a recursion bomb; Python's recursion limit stopped it)")]
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types on damaged files
        return [Problem(path, ProblemReason.CORRUPT, f"not a readable PDF: {type(exc).__name__}: {exc}")]
    if len(pages) > MAX_PDF_PAGES:
        return [_too_many_pages(path, f"it has {len(pages):,} pages")]
    items: list[readers.ReaderItem] = []
    texts: list[str] = []
    size = 0
    started = time.monotonic()
    for number, page in enumerate(pages, start=1):
        if time.monotonic() - started > PDF_EXTRACTION_SECONDS:
            items.append(Problem(path, ProblemReason.EXTRACTION_FAILED,
                                 f"text extraction stopped after {PDF_EXTRACTION_SECONDS:.0f} s at page {number} "
                                 f"of {len(pages)}; the pages before it are kept", severity="warning", ordinal=0))
            break
        try:
            text = page.extract_text().strip()
        except RecursionError:
            text = ""
            items.append(_page_failed(path, number, len(pages), "it refers to itself without end (RecursionError)"))
        except Exception as exc:  # noqa: BLE001 - one bad page must not lose the others
            text = ""
            items.append(_page_failed(path, number, len(pages), f"{type(exc).__name__}: {exc}"))
        size += len(text)
        if size > limit:
            return [*items, readers.too_large(path, None, limit, f"the text layer (at page {number} of "
                                              f"{len(pages)})", 0)]
        texts.append(text)
    text = "\n\n".join(t for t in texts if t)
    if not text:
        items.append(Problem(path, ProblemReason.EMPTY, "no text layer (scanned PDF?)", severity="warning", ordinal=0))
        return items
    title, author, created = _metadata(pdf)
    items.append(RawDocument(
        ordinal=0, body=text, media_type="text/plain", title=title, published=created, author=author
    ))
    return items


def _claimed_pages(pdf: PdfReader) -> int | None:
    """The /Count the page tree's root states, read before any page is."""
    pages = pdf.root_object.get("/Pages")
    pages = pages.get_object() if pages is not None else None
    if not isinstance(pages, DictionaryObject):
        return None
    count = pages.get("/Count")
    count = count.get_object() if count is not None else None
    return int(count) if isinstance(count, int) else None


def _too_many_pages(path: str, what: str) -> Problem:
    return Problem(path, ProblemReason.TOO_LARGE,
                   f"not read: {what}; one PDF may have at most {MAX_PDF_PAGES:,} pages")


def _page_failed(path: str, number: int, count: int, why: str) -> Problem:
    return Problem(path, ProblemReason.EXTRACTION_FAILED, f"page {number} of {count}: {why}",
                   severity="warning", ordinal=0)


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
