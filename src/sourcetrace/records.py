"""Records that cross pipeline stages.

Every stage consumes and produces these dataclasses, never loose dicts, so a
stage can run in a local process pool or inside a Spark task unchanged (they
pickle). Their stored form is documented in docs/case-schema.md.

Offsets are Python string indices (code points), half-open: ``text[start:end]``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Literal

Severity = Literal["error", "warning"]


class InputKind(str, Enum):
    """How an input file is read, decided from its name and first bytes."""

    TEXT = "text"  # .txt, .md
    HTML = "html"  # .html, .htm
    WARC = "warc"  # .warc, .warc.gz
    ARC = "arc"  # .arc, .arc.gz
    JSONL = "jsonl"  # .jsonl, .ndjson
    CSV = "csv"  # .csv, .tsv
    PDF = "pdf"
    UNKNOWN = "unknown"


class ProblemReason(str, Enum):
    """Why an input or document could not be taken in full.

    The value is stored in the case and shown by ``sourcetrace status``; the
    accompanying message says what happened to this particular input.
    """

    EMPTY = "empty"  # zero bytes, or no text after extraction
    BINARY = "binary"  # not text, HTML, WARC or PDF
    UNDECODABLE = "undecodable"  # bytes replaced while decoding (a warning)
    TRUNCATED = "truncated"  # an archive ends mid-record or mid-stream
    CORRUPT = "corrupt"  # a PDF or archive the parser rejects
    TOO_LARGE = "too_large"  # one document over the size limit
    SYMLINK_LOOP = "symlink_loop"
    UNREADABLE = "unreadable"  # permission denied or other OS error
    NOT_FOUND = "not_found"
    NO_TEXT_COLUMN = "no_text_column"  # a CSV/JSONL without text or html
    BAD_RECORD = "bad_record"  # one row/record of a table or archive is unusable
    UNSUPPORTED = "unsupported"  # a file type sourcetrace does not read
    EXTRACTION_FAILED = "extraction_failed"
    SEGMENTATION_FAILED = "segmentation_failed"  # kept whole as one segment (a warning)
    STATEMENTS_FAILED = "statements_failed"  # a segment's statements could not be extracted (a warning)


@dataclass(frozen=True, slots=True)
class Problem:
    """Something that went wrong with one input, or one document inside it."""

    path: str
    reason: ProblemReason
    message: str
    severity: Severity = "error"
    ordinal: int | None = None  # the document inside the input, if known


@dataclass(frozen=True, slots=True)
class InputRecord:
    """One input file as received: identity and provenance of its raw bytes."""

    path: str  # absolute path as found (not resolved through symlinks)
    sha256: str  # of the raw bytes
    size: int  # bytes
    kind: InputKind
    ingested_at: str  # ISO 8601 UTC


@dataclass(slots=True)
class RawDocument:
    """A payload a reader found inside an input, before main-text extraction.

    ``body`` is bytes when the reader could not know the text encoding (HTML
    files, WARC payloads) and str when it could (JSONL, CSV, PDF text).
    """

    ordinal: int  # position inside the input, from 0
    body: bytes | str
    media_type: Literal["text/html", "text/plain"]
    declared_charset: str | None = None  # from an HTTP Content-Type header
    record_id: str | None = None  # WARC-Record-ID, or row number for tables
    url: str | None = None
    title: str | None = None
    author: str | None = None  # from PDF metadata or a table column
    published: str | None = None  # as given by the input (column, header)
    fetched: str | None = None  # WARC-Date
    source: str | None = None  # outlet or credited source, from a column


@dataclass(slots=True)
class Document:
    """One page's extracted main text and metadata.

    ``text`` is the extractor's output: the reference for every character
    offset that later stages cite.
    """

    ordinal: int
    text: str
    media_type: str
    extractor: str  # "plain", "trafilatura", "resiliparse", "pypdf"
    charset: str | None = None  # how the bytes were decoded, when they were
    record_id: str | None = None
    url: str | None = None
    title: str | None = None
    author: str | None = None
    site: str | None = None
    published: str | None = None
    fetched: str | None = None
    source: str | None = None


@dataclass(slots=True)
class IngestedInput:
    """The result of reading one input file: its record, documents, problems."""

    input: InputRecord
    documents: list[Document] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    spilled: str | None = None  # a large input: its documents are in this file instead (ingest/spill.py)
    spilled_count: int = 0

    @property
    def document_count(self) -> int:
        return len(self.documents) + self.spilled_count


@dataclass(frozen=True, slots=True)
class FurnitureSpan:
    """A stretch of a document's text judged to be page furniture, not article."""

    start: int  # offsets in Document.text
    end: int
    reason: str  # e.g. "known:comment-prompt", "learned:recurs across unrelated documents"


@dataclass(slots=True)
class Segment:
    """One article inside a document.

    ``text`` is exactly ``Document.text[start:end]`` with the furniture spans
    inside that range removed; ``furniture`` lists them so that any offset in
    ``text`` maps back to the document (see ``sourcetrace.ingest.spans``).
    """

    ordinal: int
    start: int  # in Document.text
    end: int
    text: str
    title: str | None = None
    byline: str | None = None
    credit: str | None = None  # credited source: "AP", "Reuters"
    published: str | None = None
    duplicate_of: int | None = None  # ordinal of the kept segment it repeats
    removed: list[tuple[int, int]] = field(default_factory=list)  # furniture inside [start, end)


@dataclass(slots=True)
class SegmentedDocument:
    """A document after furniture removal and splitting into articles."""

    document_id: int
    furniture: list[FurnitureSpan]
    segments: list[Segment]
    failure: str | None = None  # why segmentation failed and the text was kept whole


# --- the copy map (reuse stage) ------------------------------------------

RelationKind = Literal["exact", "near_exact", "excerpt", "rewrite"]
# A relation in the copy map: a verdict's kind, or "capture": the same page collected twice
# (the same URL, docs/copies.md#captures), which is one page, not a copy.
CopyKind = Literal["exact", "near_exact", "excerpt", "rewrite", "capture"]


@dataclass(frozen=True, slots=True)
class SegmentForReuse:
    """What the reuse stage needs to know of one kept (non-repeat) segment."""

    id: int  # segments.id
    text: str
    document_id: int
    published: str | None = None  # ISO date or datetime
    credit: str | None = None  # credited source: "AP", "Reuters"
    title: str | None = None
    url: str | None = None
    captured: str | None = None  # when the page was collected (ISO 8601 UTC): WARC-Date, else the file's mtime


@dataclass(frozen=True, slots=True)
class Passage:
    """Aligned text in a parent and a derived segment, as offsets in each
    segment's text; exported as ``[parent_start, parent_end, start, end]``."""

    parent_start: int
    parent_end: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Relation:
    """``segment`` derives from ``parent`` in the way ``kind`` says."""

    segment: int
    parent: int
    kind: CopyKind
    score: float  # 0..1; its meaning per kind is in docs/copies.md
    passages: tuple[Passage, ...] = ()


ParentBasis = Literal["evidence", "tie", "direction_unknown", "no_direct_link"]
"""Whether the evidence decided a member's parent (docs/copies.md#parents): ``evidence`` it did; else the
link is drawn dashed: ``tie`` (other texts are as close, and only the preference chose), ``direction_unknown``
(which of the two copied the other is not shown), ``no_direct_link`` (hung under the origin without a verdict)."""


@dataclass(frozen=True, slots=True)
class FamilyMember:
    segment: int
    kind: Literal["origin", "exact", "near_exact", "excerpt", "rewrite", "capture"]
    parent: int | None  # None for the origin, and for members whose parent is undetermined; a capture's: its page
    score: float
    passages: tuple[Passage, ...] = ()
    parent_basis: ParentBasis | None = None  # None: no parent, or a capture (the page itself, not a copy)
    parent_evidence: str | None = None  # the basis in words


@dataclass(frozen=True, slots=True)
class Family:
    """Segments that all descend from one text. ``origin`` is None when the
    evidence (dates, credits, containment, rewriting) does not decide it."""

    key: int  # the smallest member segment id: stable across runs on the same case
    origin: int | None
    origin_evidence: str  # e.g. "earliest date", "credit line names the wire", "undetermined: ..."
    members: tuple[FamilyMember, ...]

    @property
    def pages(self) -> int:
        """Members counted once per page: a page's captures beyond the one chosen are not counted."""
        return sum(1 for m in self.members if m.kind != "capture")


# --- statements (voices stage) ---------------------------------------------

StatementKind = Literal["direct", "reported"]
DiffOp = tuple[Literal["=", "-", "+"], str]  # a word kept, removed from, or added to the reference form


@dataclass(frozen=True, slots=True)
class StatementOccurrence:
    """One statement as it appears in one segment."""

    segment: int  # segments.id
    start: int  # span of the statement's words in the segment's text
    end: int
    # segment text[start:end] as read: a split quote's parts joined by " … ", a wrapped line's break as a space
    text: str
    speaker_as_written: str  # "Ms Bachelet", "the High Commissioner", "she"
    cue: str  # said, told, denied, according to, ...
    kind: StatementKind
    altered: bool = False  # its words differ from the statement's reference form
    diff: tuple[DiffOp, ...] = ()  # word-level, against the reference form; empty when not altered
    garbled_speaker: bool = False  # the attribution itself is broken ("Agnes said. Callamard, ...")


@dataclass(frozen=True, slots=True)
class Statement:
    """What one speaker said, merged across every segment that carries it."""

    key: int  # stable id: the smallest (segment, start) occurrence's rank in the case
    speaker: str  # canonical name: "Michelle Bachelet", "China's foreign ministry"
    speaker_role: str | None  # "UN High Commissioner for Human Rights", when the text gives it
    kind: StatementKind
    cue: str
    text: str  # reference form: the earliest occurrence, or the most common where dates are missing
    occurrences: tuple[StatementOccurrence, ...]
