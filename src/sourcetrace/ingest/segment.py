"""Split a document into the articles it holds.

Most pages hold one article. Aggregator pages paste several stories one
after another, each under its headline and a byline ("Jane Doe wrote . . .")
or a dateline ("GENEVA (AP) —"), often closed by a credit line
("Source : AP"). Content farms repeat one article several times on a page.

A story starts at an *anchor*: a headline-like line followed by a byline, a
dateline paragraph or a date line (an item pasted without credit: "Outlet /
March 11, 2022", "Headline / March 11, 2022"), the first line after a credit
line, the first line after a front-matter block, or the page's headline or
first long paragraph coming round again (a repeated copy; the paragraph
with a word or two changed). A short line followed by an ordinary
paragraph is a sub-heading and never starts a story.

Decisions, so that nothing of an article is dropped unannounced:

* Short non-prose lines before the first of two or more stories (site name,
  tag line) become furniture ``structure:page-header``. On a one-story page
  they stay in the segment.
* A last stretch after the final story (after its credit line, or after the
  page headline came round again) with no prose and no credit line becomes
  furniture ``structure:page-footer``.
* A trailing item with only a headline and a credit line ("Chart: ..." +
  "Source : Statista") keeps its own small segment: it is content credited
  to a source, and a segment costs nothing while lost content cannot be
  recovered.
* A headline and byline with no paragraph before the next anchor start the
  story that follows (a stray "· Updated ago" line is not a headline).
* Segments whose text is equal after normalising case, whitespace and quote
  styles, or that share ``NEAR_REPEAT_OVERLAP`` of their word shingles, are
  kept once; later copies get ``duplicate_of``. A copy's front matter fills
  the kept segment's missing title, byline and date.
* A page without a date of its own is dated by its first front matter, or
  by a date line above its first paragraph (a blog's date header, which is
  never a headline). An item's date line dates the item. Short lines that
  follow the last copy only (a share bar) are ``structure:page-footer``.
* Learned furniture that carries article structure (a byline, a credit
  line, a dateline, a headline followed by a byline) is taken back as
  article: segmentation needs it, and such lines recur across unrelated
  stories by nature.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from sourcetrace.engines.contract import MapStep
from sourcetrace.ingest.dates import parse_date_line
from sourcetrace.ingest.furniture import (
    FRONT_MATTER_REASON,
    LEARNED_PREFIX,
    FrontMatter,
    FurnitureModel,
    fold_text,
    looks_like_prose,
    parse_front_matter,
)
from sourcetrace.ingest.spans import TextLine, split_lines
from sourcetrace.records import FurnitureSpan, Segment, SegmentedDocument

PAGE_HEADER_REASON = "structure:page-header"
PAGE_FOOTER_REASON = "structure:page-footer"

# -- line patterns ---------------------------------------------------------------

_CREDIT_LINE = re.compile(r"sources?\s*:\s*(?P<credit>\w[^\n]{0,79}?)\s*\.?", re.IGNORECASE)
_DATELINE = re.compile(
    r"(?:[A-Z][A-Z.'’\- ]{1,40}(?:,[^()\n]{1,30})?\s*)?"  # GENEVA / LONDON, June 3 / none
    r"\((?P<agency>[A-Za-z][\w.&'’ -]{0,30}?)\)\s*[—–-]{1,2}"
)
_BYLINE_WROTE = re.compile(r"(?P<names>[^\n]{0,150}?)\s*\bwrote\b[\s.…:·-]*", re.IGNORECASE)
_BYLINE_BY = re.compile(r"(?:(?:written|reported|posted) )?by\s+(?P<names>[^\n]{2,150})", re.IGNORECASE)
_OUTLET_SEPARATOR = re.compile(r"\s*[|—–]\s*|\s+-\s+")
_HANDLE = re.compile(r"[a-z][a-z0-9_.-]{1,30}")  # a CMS user name: "By admin - March 16, 2024"
_NAME_CONNECTORS = frozenset("and & de da del della der den van von la le du bin al el y".split())
_NOT_NAMES = frozenset("he she they it we i you who this that one someone".split())
_BYLINE_MAX_CHARS = 200
_HEADLINE_MAX_CHARS = 160
_HEADLINE_MAX_WORDS = 24
_LONG_PARAGRAPH_CHARS = 120
_CLOSERS = "\"'”’»)]"
_OPENERS = "\"'“‘«(["
_LETTER = re.compile(r"[^\W\d_]")


def extract_credit(line: str) -> str | None:
    """The source a line credits: "Source : AP" → "AP"; a dateline
    "GENEVA (AP) — China…" → "AP"; "(Reuters) -" → "Reuters"; else None."""
    text = line.strip()
    return _credit_line_source(text) or _dateline_agency(text)


def _credit_line_source(text: str) -> str | None:
    """X of a "Source : X" line (a short name, not a sentence)."""
    if not text[:7].casefold().startswith("source"):
        return None
    match = _CREDIT_LINE.fullmatch(text)
    if match and len(match.group("credit").split()) <= 8:
        return match.group("credit").strip()
    return None


def _dateline_agency(text: str) -> str | None:
    """The agency of a paragraph opening with a dateline."""
    if "(" not in text[:80]:
        return None
    match = _DATELINE.match(text)
    return match.group("agency").strip() if match else None


def _looks_like_names(names: str) -> bool:
    """Capitalised names joined by "and"/commas, or one user handle ("admin")."""
    if _HANDLE.fullmatch(names) and names.casefold() not in _NOT_NAMES:
        return True
    words = names.replace(",", " ").split()
    if not 1 <= len(words) <= 12 or words[0].casefold() in _NOT_NAMES:
        return False
    for word in words:
        if word.casefold() in _NAME_CONNECTORS:
            continue
        if not word[0].isupper() or (word.endswith(".") and len(word) > 4):  # initials, "Jr." pass
            return False
    return True


@dataclass(frozen=True, slots=True)
class Byline:
    """A byline line; ``names`` is None for a bare "wrote . . ." line."""

    names: str | None


def parse_byline(line: str) -> Byline | None:
    """The byline a line is, if any: "Jane Doe and John Roe wrote . . .",
    "wrote . . ." (no names), "By Jane Doe" (an outlet after "|", "—" or ","
    is not part of the names)."""
    text = line.strip()
    if not text or len(text) > _BYLINE_MAX_CHARS:
        return None
    lowered = text.casefold()
    if "wrote" in lowered:
        match = _BYLINE_WROTE.fullmatch(text)
        if match:
            names = match.group("names").strip(" ,-—–")
            if not names:
                return Byline(None)
            return Byline(names) if _looks_like_names(names) else None
    if lowered.startswith(("by ", "written by ", "reported by ", "posted by ")):
        match = _BYLINE_BY.fullmatch(text)
        if match:
            names = _OUTLET_SEPARATOR.split(match.group("names"))[0].strip(" ,")
            if not _looks_like_names(names):
                return None
            return Byline(names if " and " in names else names.split(", ")[0])  # "Jane Doe, Outlet"
    return None


def is_headline_like(line: str) -> bool:
    """A short line with letters that does not end like a sentence and is
    not a byline, credit line or dateline."""
    text = line.strip()
    return _has_headline_shape(text) and not _is_structural(text)


def _has_headline_shape(text: str) -> bool:
    if not 2 <= len(text) <= _HEADLINE_MAX_CHARS or _LETTER.search(text) is None:
        return False
    if not (text[0].isalnum() or text[0] in _OPENERS):  # "· Updated ago", "| Home"
        return False
    if len(text.split()) > _HEADLINE_MAX_WORDS:
        return False
    ending = text.rstrip(_CLOSERS)
    return not ending.endswith((".", ",", ";", ":")) or ending.endswith("...")


def _is_structural(text: str) -> bool:
    """A byline, credit line or dateline: lines that carry article metadata."""
    return parse_byline(text) is not None or _credit_line_source(text) is not None or _dateline_agency(text) is not None


# -- segmentation ----------------------------------------------------------------

StartKind = Literal["page", "after-credit", "repeat", "anchor", "front-matter"]
_START_PRIORITY: dict[StartKind, int] = {"page": 0, "after-credit": 1, "repeat": 2, "anchor": 3, "front-matter": 4}


@dataclass(slots=True)
class _LineInfo:
    """What one article line is, computed once."""

    line: TextLine
    headline: bool
    byline: Byline | None
    credit: str | None  # value of a "Source : X" line
    dateline: str | None  # agency of a dateline paragraph
    prose: bool
    date: str | None = None  # ISO date of a line that is only a date

    @classmethod
    def of(cls, line: TextLine) -> _LineInfo:
        text = line.text
        byline, credit, dateline = parse_byline(text), _credit_line_source(text), _dateline_agency(text)
        structural = byline is not None or credit is not None or dateline is not None
        stated_date = None if structural else parse_date_line(text)
        headline = not structural and stated_date is None and _has_headline_shape(text)
        prose = byline is None and credit is None and looks_like_prose(text)  # "X wrote . . . . . ." is long
        return cls(line, headline, byline, credit, dateline, prose, stated_date)


@dataclass(slots=True)
class _Unit:
    """A run of article lines that becomes one segment."""

    kind: StartKind
    lines: list[_LineInfo]
    front_matter: FrontMatter | None = None
    dropped_as: str | None = None  # a structural furniture reason instead of a segment
    headline: str | None = None  # the anchor's headline, when the unit starts at one
    header: _ItemHeader | None = None  # an outlet or headline over a date line, when the unit starts so


@dataclass(frozen=True, slots=True)
class _ItemHeader:
    """What heads a pasted item without a byline: "Outlet / date", "Headline
    / date" or "Outlet / date / Headline"."""

    date: str
    headline: str | None = None
    outlet: str | None = None


@dataclass(slots=True)
class _Starts:
    """Where units start, by position among the article lines."""

    kinds: dict[int, StartKind] = field(default_factory=dict)
    front_matter: dict[int, FrontMatter] = field(default_factory=dict)

    def add(self, position: int, kind: StartKind) -> None:
        """Record a start; where reasons coincide the strongest names it."""
        current = self.kinds.get(position)
        if current is None or _START_PRIORITY[kind] > _START_PRIORITY[current]:
            self.kinds[position] = kind


def segment_document(
    document_id: int, text: str, furniture: list[FurnitureSpan], published: str | None = None
) -> SegmentedDocument:
    """Split ``text`` into segments around ``furniture`` (spans from
    ``FurnitureModel.find``; any spans are accepted and are clipped, sorted
    and merged first). See the module docstring for the rules."""
    spans = _clean_spans(furniture, len(text))
    lines = split_lines(text)
    covering = _covering_spans(lines, spans)
    spans, covering = _reclaim_structural_lines(lines, spans, covering)
    article = [_LineInfo.of(line) for line, span in zip(lines, covering) if span is None]
    starts = _find_starts(text, lines, covering, article)
    units = _split_units(article, starts)
    _merge_bodiless_anchors(units)
    _drop_page_header_and_footer(units)
    _split_footer_from_last_copy(units)
    structural = [
        FurnitureSpan(info.line.start, info.line.end, unit.dropped_as)
        for unit in units
        if unit.dropped_as
        for info in unit.lines
    ]
    spans = _clean_spans(spans + structural, len(text))
    kept = [unit for unit in units if not unit.dropped_as]
    span_starts = [span.start for span in spans]
    page_date = published or _date_in_page(kept, article)
    segments = [
        _make_segment(text, ordinal, unit, _removed_within(spans, span_starts, unit), page_date)
        for ordinal, unit in enumerate(kept)
    ]
    _mark_duplicates(segments, [unit.front_matter for unit in kept])
    return SegmentedDocument(document_id, spans, segments)


def _date_in_page(units: list[_Unit], article: list[_LineInfo]) -> str | None:
    """The date of a page without metadata: its first front matter's, else a
    date line above its first paragraph (a blog's date header)."""
    for unit in units:
        if unit.front_matter is not None and unit.front_matter.date:
            return unit.front_matter.date
    for info in article:
        if info.prose:
            return None
        if info.date is not None:
            return info.date
    return None


def _clean_spans(spans: list[FurnitureSpan], length: int) -> list[FurnitureSpan]:
    """Spans clipped to the text, sorted, empty ones dropped, overlapping
    ones merged (their reasons joined)."""
    clipped = sorted(
        (max(0, span.start), min(length, span.end), span.reason) for span in spans if span.end > span.start
    )
    merged: list[FurnitureSpan] = []
    for start, end, reason in clipped:
        if end <= start:
            continue
        if merged and start < merged[-1].end:
            last = merged[-1]
            joined = last.reason if reason in last.reason.split("; ") else f"{last.reason}; {reason}"
            merged[-1] = FurnitureSpan(last.start, max(last.end, end), joined)
        else:
            merged.append(FurnitureSpan(start, end, reason))
    return merged


def _covering_spans(lines: list[TextLine], spans: list[FurnitureSpan]) -> list[FurnitureSpan | None]:
    """For each line, the span that covers it whole, if any."""
    starts = [span.start for span in spans]
    covering: list[FurnitureSpan | None] = []
    for line in lines:
        index = bisect.bisect_right(starts, line.start) - 1
        span = spans[index] if index >= 0 else None
        covering.append(span if span is not None and span.end >= line.end else None)
    return covering


def _reclaim_structural_lines(
    lines: list[TextLine], spans: list[FurnitureSpan], covering: list[FurnitureSpan | None]
) -> tuple[list[FurnitureSpan], list[FurnitureSpan | None]]:
    """Learned furniture that is a byline, credit line or dateline, or a
    headline right before one, is article structure: take it back."""
    reclaimed: set[FurnitureSpan] = set()
    for index, (line, span) in enumerate(zip(lines, covering)):
        if span is None or not span.reason.startswith(LEARNED_PREFIX):
            continue
        if (span.start, span.end) != (line.start, line.end):
            continue
        if _is_structural(line.text) or (
            index + 1 < len(lines) and is_headline_like(line.text) and _is_structural(lines[index + 1].text)
        ):
            reclaimed.add(span)
    if not reclaimed:
        return spans, covering
    return (
        [span for span in spans if span not in reclaimed],
        [None if span in reclaimed else span for span in covering],
    )


def _find_starts(
    text: str, lines: list[TextLine], covering: list[FurnitureSpan | None], article: list[_LineInfo]
) -> _Starts:
    starts = _Starts()
    if not article:
        return starts
    for position, info in enumerate(article):
        following = article[position + 1] if position + 1 < len(article) else None
        if info.headline and following is not None and (
            following.byline is not None or following.dateline or following.date
        ):
            starts.add(position, "anchor")
        if info.credit is not None and following is not None:
            starts.add(position + 1, "after-credit")
    starts.add(0, "page")  # the weakest: only names position 0 when nothing else does
    _add_front_matter_starts(text, lines, covering, starts)
    _add_repeat_starts(article, starts)
    return starts


def _add_front_matter_starts(
    text: str, lines: list[TextLine], covering: list[FurnitureSpan | None], starts: _Starts
) -> None:
    """The first article line after each front-matter block starts a unit
    that takes the block's title, date and author."""
    position = 0
    pending: FrontMatter | None = None
    for line, span in zip(lines, covering):
        if span is not None:
            if span.reason == FRONT_MATTER_REASON and line.start == span.start:
                pending = parse_front_matter(text[span.start:span.end])
            continue
        if pending is not None:
            starts.add(position, "front-matter")
            starts.front_matter[position] = pending
            pending = None
        position += 1


def _add_repeat_starts(article: list[_LineInfo], starts: _Starts) -> None:
    """Copies of the page's article: its headline or its first long
    paragraph coming round again."""
    first_prose = next((p for p, info in enumerate(article) if info.prose), None)
    if first_prose is None:
        return  # no article to repeat (and a list of equal short lines is not one)
    title = next((p for p in range(first_prose + 1) if article[p].headline), None)
    if title is not None:
        proses_before = list(itertools.accumulate((info.prose for info in article), initial=0))
        previous = title
        for position in _recurrences(article, title):
            if proses_before[position] > proses_before[previous]:  # the copy before has a body
                starts.add(position, "repeat")
                previous = position
    first_long = next(
        (p for p, info in enumerate(article) if info.prose and len(info.line.text) >= _LONG_PARAGRAPH_CHARS), None
    )
    if first_long is None:
        return
    for position in _recurrences(article, first_long, near=True):
        starts.add(_align_copy_start(article, first_long, position), "repeat")


def _recurrences(article: list[_LineInfo], original: int, *, near: bool = False) -> list[int]:
    """Later positions whose line equals the line at ``original`` (or, with
    ``near``, shares ``NEAR_REPEAT_OVERLAP`` of its distinct words: a copy
    with a word changed)."""
    text = article[original].line.text
    wanted = fold_text(text)
    wanted_words = set(wanted.split()) if near else None
    low, high = len(text) * 0.8 - 2, len(text) * 1.25 + 2
    found = []
    for position in range(original + 1, len(article)):
        candidate = article[position]
        if not low <= len(candidate.line.text) <= high:
            continue
        folded = fold_text(candidate.line.text)
        if folded == wanted or (
            wanted_words is not None and candidate.prose and _word_overlap(wanted_words, folded) >= NEAR_REPEAT_OVERLAP
        ):
            found.append(position)
    return found


def _word_overlap(words: set[str], text: str) -> float:
    """Shared distinct words over the larger number of distinct words."""
    other = set(text.split())
    larger = max(len(words), len(other))
    return len(words & other) / larger if larger else 1.0


def _align_copy_start(article: list[_LineInfo], original: int, repeat: int) -> int:
    """Move a copy's start back over lines that also precede the original
    (a repeated headline, date or byline; a headline with a word changed)."""
    back = 0
    while back < 5 and original - back - 1 >= 0 and repeat - back - 1 > original:
        before_original, before_repeat = article[original - back - 1], article[repeat - back - 1]
        same = fold_text(before_original.line.text) == fold_text(before_repeat.line.text)
        if not (same or (before_original.headline and before_repeat.headline)):
            break
        back += 1
    return repeat - back


def _split_units(article: list[_LineInfo], starts: _Starts) -> list[_Unit]:
    positions = sorted(starts.kinds)
    units: list[_Unit] = []
    for index, position in enumerate(positions):
        end = positions[index + 1] if index + 1 < len(positions) else len(article)
        kind = starts.kinds[position]
        unit = _Unit(kind, article[position:end], starts.front_matter.get(position))
        if kind == "anchor":
            unit.headline = " ".join(article[position].line.text.split())
            unit.header = _item_header(unit.lines)
        units.append(unit)
    return units


_OUTLET_CONNECTORS = frozenset("of for the and & de du la".split())
# The last word of an organisation's name: "Harbour Rights Watch", "Valdora News Agency".
_ORGANISATION_NOUNS = frozenset(
    "watch news agency press times post herald tribune journal gazette daily wire monitor review radio tv"
    " television media network service bureau office ministry department embassy council commission committee"
    " institute foundation association federation union coalition alliance society centre center trust fund"
    " group organisation organization forum project initiative campaign observatory international"
    " government administration authority secretariat mission".split()
)
_OUTLET_MAX_WORDS = 6


def _item_header(lines: list[_LineInfo]) -> _ItemHeader | None:
    """The header of a unit that opens with a headline-like line over a date
    line: the first line is an outlet when it reads as an organisation's
    name (then a headline-like line after the date is the item's headline),
    else the item's headline."""
    if len(lines) < 2 or lines[1].date is None:
        return None
    first = " ".join(lines[0].line.text.split())
    if not _looks_like_outlet(first):
        return _ItemHeader(lines[1].date, first)
    after = lines[2] if len(lines) > 2 else None
    headline = " ".join(after.line.text.split()) if after is not None and after.headline else None
    return _ItemHeader(lines[1].date, headline, first)


def _looks_like_outlet(text: str) -> bool:
    """An organisation's name: a few capitalised words (connectors aside),
    no figures, ending in a word such as "Watch", "News" or "Ministry", or
    an acronym ("HRW")."""
    words = text.split()
    if not 1 <= len(words) <= _OUTLET_MAX_WORDS or any(character.isdigit() for character in text):
        return False
    if not all(word[0].isupper() or word.casefold() in _OUTLET_CONNECTORS for word in words):
        return False
    last = words[-1].strip(".,")
    return last.casefold() in _ORGANISATION_NOUNS or (last.isupper() and last.isalpha() and len(words) == 1)


def _merge_bodiless_anchors(units: list[_Unit]) -> None:
    """A headline and byline with no paragraph before the next anchor (a
    stray line such as "· Updated 5 min ago" looked like a second headline)
    are the start of the story that follows, not a story of their own."""
    index = 0
    while index + 1 < len(units):
        unit, following = units[index], units[index + 1]
        if unit.kind == "anchor" and following.kind == "anchor" and _is_short_matter(unit):
            following.lines = unit.lines + following.lines
            following.headline = unit.headline
            units.pop(index)
        else:
            index += 1


def _drop_page_header_and_footer(units: list[_Unit]) -> None:
    """Apply the page-header and page-footer rules (module docstring)."""
    if len(units) < 2:
        return
    first, last = units[0], units[-1]
    if last.kind in ("after-credit", "repeat") and _is_short_matter(last):
        last.dropped_as = PAGE_FOOTER_REASON
    if first.kind == "page" and units[1].kind in ("anchor", "front-matter") and _is_short_matter(first):
        stories = sum(1 for unit in units[1:] if not unit.dropped_as)
        if stories >= 2:
            first.dropped_as = PAGE_HEADER_REASON
        else:  # one story: its page header stays with it
            units[1].lines = first.lines + units[1].lines
            units.pop(0)


def _split_footer_from_last_copy(units: list[_Unit]) -> None:
    """A last copy of a repeated article that ends in extra short lines (a
    share bar the known patterns missed): those lines are page footer."""
    kept = [unit for unit in units if not unit.dropped_as]
    if len(kept) < 2:
        return
    last = kept[-1]
    body_end = 1 + max((i for i, info in enumerate(last.lines) if info.prose or info.credit), default=-1)
    if body_end in (0, len(last.lines)):
        return
    key = _lines_key(last.lines[:body_end])
    if any(_lines_key(unit.lines) == key for unit in kept[:-1]):
        footer = _Unit(last.kind, last.lines[body_end:], dropped_as=PAGE_FOOTER_REASON)
        last.lines = last.lines[:body_end]
        units.insert(units.index(last) + 1, footer)


def _lines_key(lines: list[_LineInfo]) -> str:
    return fold_text(" ".join(info.line.text for info in lines))


def _is_short_matter(unit: _Unit) -> bool:
    return all(not info.prose and info.credit is None for info in unit.lines)


def _make_segment(
    text: str, ordinal: int, unit: _Unit, removed: list[tuple[int, int]], published: str | None
) -> Segment:
    start, end = unit.lines[0].line.start, unit.lines[-1].line.end
    pieces, cursor = [], start
    for removed_start, removed_end in removed:
        pieces.append(text[cursor:removed_start])
        cursor = removed_end
    pieces.append(text[cursor:end])
    front = unit.front_matter or FrontMatter()
    header = unit.header
    # An outlet over a date line is no headline: such an item has only the headline after the date, if any.
    title = header.headline if header is not None else unit.headline or _title_of(unit)
    return Segment(
        ordinal=ordinal,
        start=start,
        end=end,
        text="".join(pieces),
        title=front.title or title,
        byline=front.author or _byline_of(unit),
        credit=_credit_of(unit) or (header.outlet if header else None),
        published=front.date or _item_date(header, published),
        removed=removed,
    )


def _item_date(header: _ItemHeader | None, published: str | None) -> str | None:
    """An item's own date line dates it; the page's date, when the same day,
    is kept instead, since it may carry the time of day."""
    if header is None or (published or "").startswith(header.date):
        return published
    return header.date


def _removed_within(spans: list[FurnitureSpan], span_starts: list[int], unit: _Unit) -> list[tuple[int, int]]:
    """The parts of furniture spans inside the unit's range."""
    start, end = unit.lines[0].line.start, unit.lines[-1].line.end
    index = max(0, bisect.bisect_right(span_starts, start) - 1)
    removed: list[tuple[int, int]] = []
    for span in spans[index:]:
        if span.start >= end:
            break
        low, high = max(span.start, start), min(span.end, end)
        if low < high:
            removed.append((low, high))
    return removed


def _title_of(unit: _Unit) -> str | None:
    """The first headline-like line before the unit's first paragraph."""
    for info in unit.lines:
        if info.headline:  # before the prose test: a headline may end in "?"
            return " ".join(info.line.text.split())
        if info.prose:
            return None
    return None


def _byline_of(unit: _Unit) -> str | None:
    """The names of the first byline before the unit's first paragraph."""
    for info in unit.lines:
        if info.prose:
            return None
        if info.byline is not None:
            return " ".join(info.byline.names.split()) if info.byline.names else None
    return None


def _credit_of(unit: _Unit) -> str | None:
    for info in reversed(unit.lines):
        if info.credit is not None:
            return info.credit
    for info in unit.lines:  # a dateline opens the first paragraph
        if info.dateline is not None:
            return info.dateline
        if info.prose:
            break
    return None


def _mark_duplicates(segments: list[Segment], front_matter: list[FrontMatter | None]) -> None:
    """Later copies of a kept segment get ``duplicate_of``: equal after
    folding, or sharing ``NEAR_REPEAT_OVERLAP`` of their word shingles with
    it. A copy's front matter describes the article it repeats, so the kept
    segment takes the title, byline and date it lacks from it."""
    if len(segments) < 2:
        return
    first_seen: dict[str, int] = {}
    index = _ShingleIndex()
    for segment in segments:
        key = fold_text(segment.text)
        shingles = _shingles(key)
        original = first_seen.get(key)
        if original is None:
            original = index.near_copy_of(shingles)
        if original is None:
            first_seen[key] = segment.ordinal
            index.add(segment.ordinal, shingles)
            continue
        segment.duplicate_of = original
        front = front_matter[segment.ordinal]
        if front is not None:
            kept = segments[original]
            kept.title, kept.byline = kept.title or front.title, kept.byline or front.author
            kept.published = kept.published or front.date


SHINGLE_WORDS = 3
NEAR_REPEAT_OVERLAP = 0.9


def _shingles(folded: str) -> set[tuple[str, ...]]:
    words = folded.split()
    if len(words) <= SHINGLE_WORDS:
        return {tuple(words)}
    return set(zip(words, words[1:], words[2:], strict=False))  # SHINGLE_WORDS words each


@dataclass(slots=True)
class _ShingleIndex:
    """The shingles of a page's kept segments, to find a near copy of a new
    segment in time linear in its shingles (no comparison of every pair)."""

    holders: dict[tuple[str, ...], int] = field(default_factory=dict)  # shingle -> first kept segment holding it
    sizes: dict[int, int] = field(default_factory=dict)  # kept segment -> number of shingles

    def add(self, ordinal: int, shingles: set[tuple[str, ...]]) -> None:
        self.sizes[ordinal] = len(shingles)
        self.holders.update(dict.fromkeys(shingles - self.holders.keys(), ordinal))

    def near_copy_of(self, shingles: set[tuple[str, ...]]) -> int | None:
        shared = Counter(map(self.holders.__getitem__, shingles & self.holders.keys()))
        for ordinal, count in shared.most_common(3):
            if count / max(len(shingles), self.sizes[ordinal]) >= NEAR_REPEAT_OVERLAP:
                return ordinal
        return None


# -- the stage -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DocumentText:
    """What segmentation needs of a stored document."""

    document_id: int
    text: str
    published: str | None = None


MAX_SEGMENTS_PER_DOCUMENT = 999  # a segment's id is its document's id * 1000 + its ordinal


class SegmentDocuments(MapStep[DocumentText, SegmentedDocument]):
    """Find furniture with a learned model, then split into segments."""

    name = "segment"

    def __init__(self, model: FurnitureModel | None = None) -> None:
        super().__init__()
        self.model = model if model is not None else FurnitureModel()

    def process(self, record: DocumentText) -> SegmentedDocument:
        text = record.text or ""
        try:
            result = segment_document(record.document_id, text, self.model.find(text), record.published)
        except Exception as error:  # noqa: BLE001 - a bug must not lose the document: keep it whole
            self.stats["segmentation_failed"] += 1
            result = _whole_text(record.document_id, text, record.published)
            result.failure = f"{type(error).__name__}: {error}"
        if len(result.segments) > MAX_SEGMENTS_PER_DOCUMENT:  # segment ids hold the ordinal in 3 digits
            self.stats["segmentation_failed"] += 1
            result = _whole_text(record.document_id, text, record.published)
            result.failure = f"more than {MAX_SEGMENTS_PER_DOCUMENT} articles on one page"
        self.stats["segments"] += len(result.segments)
        self.stats["duplicate_segments"] += sum(s.duplicate_of is not None for s in result.segments)
        self.stats["furniture_spans"] += len(result.furniture)
        self.stats["composite_documents"] += sum(s.duplicate_of is None for s in result.segments) > 1
        return result


def _whole_text(document_id: int, text: str, published: str | None) -> SegmentedDocument:
    """One segment covering all non-blank text: the fallback that loses nothing."""
    lines = split_lines(text)
    if not lines:
        return SegmentedDocument(document_id, [], [])
    start, end = lines[0].start, lines[-1].end
    return SegmentedDocument(document_id, [], [Segment(0, start, end, text[start:end], published=published)])
