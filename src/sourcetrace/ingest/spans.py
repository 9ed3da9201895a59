"""Line spans of a document and offsets between a segment and its document.

A ``Segment``'s text is ``Document.text[start:end]`` with the furniture
spans listed in ``removed`` cut out. Quotes and statements found later are
located in the segment text; the functions here turn those offsets back
into document offsets (what the case cites) and the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass

from sourcetrace.records import Segment


@dataclass(slots=True)  # not frozen: a frozen dataclass is 3x slower to build, and this is per line
class TextLine:
    """One non-blank line of a text, without its surrounding whitespace."""

    start: int  # offsets in the text, half-open
    end: int
    text: str  # == full_text[start:end]


def split_lines(text: str) -> list[TextLine]:
    """The non-blank lines of ``text`` with their offsets, stripped of
    leading and trailing whitespace (so a line never starts or ends with a
    space, a tab or a leftover \\r). Lines break where ``str.splitlines``
    breaks them: \\n, \\r, form feeds, Unicode line separators."""
    lines: list[TextLine] = []
    offset = 0
    for raw in text.splitlines(True):
        stripped = raw.strip()
        if stripped:
            begin = offset + len(raw) - len(raw.lstrip())
            lines.append(TextLine(begin, begin + len(stripped), stripped))
        offset += len(raw)
    return lines


def segment_to_document_offset(segment: Segment, offset: int) -> int:
    """The offset in the document of position ``offset`` of ``segment.text``.

    ``offset`` may be ``len(segment.text)`` (an exclusive end), which maps to
    ``segment.end``. A position just after a removed span maps past it, to
    the first character that follows the furniture. Raises ValueError for
    an offset outside the segment text.
    """
    if not 0 <= offset <= len(segment.text):
        raise ValueError(f"offset {offset} outside segment text of length {len(segment.text)}")
    position = segment.start + offset
    for removed_start, removed_end in segment.removed:  # sorted, inside [start, end)
        if removed_start > position:
            break
        position += removed_end - removed_start
    return position


def document_to_segment_offset(segment: Segment, doc_offset: int) -> int | None:
    """The offset in ``segment.text`` of document position ``doc_offset``, or
    None when that position is outside the segment or inside furniture that
    was removed from it. ``segment.end`` maps to ``len(segment.text)``."""
    if not segment.start <= doc_offset <= segment.end:
        return None
    removed_before = 0
    for removed_start, removed_end in segment.removed:
        if doc_offset < removed_start:
            break
        if doc_offset < removed_end:
            return None
        removed_before += removed_end - removed_start
    return doc_offset - segment.start - removed_before
