"""The view records: what every reader of a case shows, defined once.

The terminal commands, the JSON payloads of the web app, the HTML report and
the public API all use these records, read by sourcetrace.store.read.CaseReader.
The report and the app serialise them with ``dataclasses.asdict`` for one
viewer script (views/assets/app.js), so a field renamed here is renamed in
their JSON: the script reads these names. Tuples (and NamedTuples) become
JSON arrays.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, Literal, NamedTuple, TypeVar

from sourcetrace.records import DiffOp

T = TypeVar("T")

KINDS = ("origin", "exact", "near_exact", "excerpt", "rewrite", "capture")
"""A family member's kind: the origin, how it was derived from its parent, or
another capture of its parent's page (the same page collected twice: docs/copies.md)."""

EVENT_KINDS = ("published", "mentioned")
"""An event's kind: a segment's publication, or a date its text mentions."""

# Around the matched words of a search snippet: control characters, which no
# extracted text holds, so the viewer can split on them and insert the rest as text.
MARK_START, MARK_END = "\x02", "\x03"


class PassageView(NamedTuple):
    """Text shared by a parent and a copy: offsets in the parent's text, then in the copy's.

    A NamedTuple so that JSON shows it as ``[parent_start, parent_end, start, end]``.
    """

    parent_start: int
    parent_end: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class SegmentView:
    """A segment's metadata: enough to list it, and to cite it."""

    id: int
    document: int
    ordinal: int
    title: str | None
    byline: str | None
    credit: str | None
    published: str | None
    url: str | None
    site: str | None
    path: str  # the input file
    sha256: str  # of the input file
    start: int  # the segment's span in its document's extracted text
    end: int
    removed: tuple[tuple[int, int], ...]  # furniture cut out of that span
    duplicate_of: int | None  # a repeat of this segment earlier in the same page
    family: int | None
    kind: str | None  # its kind in its family
    source: int | None = None  # the outlet that published it (SourceView.id); None before the sources step
    warc_record_id: str | None = None  # WARC-Record-ID of the archive record it came from; None outside WARC
    warc_target_uri: str | None = None  # WARC-Target-URI (ARC: the record's URL); None outside archives

    def where(self) -> str:
        """Where it was published, as briefly as the metadata allows."""
        return self.site or self.url or self.path

    def archive_record(self) -> str | None:
        """The archive record it came from, for a citation; None outside WARC and ARC inputs."""
        named = [f"{header} {value}" for header, value in
                 (("WARC-Record-ID", self.warc_record_id), ("WARC-Target-URI", self.warc_target_uri)) if value]
        return " · ".join(named) or None

    def capture_name(self) -> str:
        """This capture of its page as a list of captures names it: its file, or its WARC record in its file."""
        if self.warc_record_id:
            return f"WARC record {self.warc_record_id} in {self.path}"
        return self.path


@dataclass(frozen=True, slots=True)
class InputView:
    id: int
    path: str
    sha256: str
    kind: str
    size: int
    documents: int


@dataclass(frozen=True, slots=True)
class Overview:
    """What a case holds, in the figures its overview page shows."""

    case: str
    inputs: int
    input_bytes: int
    documents: int
    segments: int
    repeats: int  # repeated within their own page
    kept: int  # kept segments, a page's other captures not counted
    copies: int  # kept segments derived from another (a capture is not a copy)
    families_with_copies: int
    singletons: int
    problems: int
    problem_reasons: dict[str, int]
    kind_counts: dict[str, int]
    first_inputs: tuple[InputView, ...]
    statements_available: bool = False
    stories: int = 0
    events: int = 0  # dated events of the timeline
    claims: int = 0  # supplied and found (docs/claims.md)


@dataclass(frozen=True, slots=True)
class ProblemView:
    """Something a run could not take, with its reason (docs/case-schema.md lists them)."""

    path: str
    ordinal: int | None  # the document inside the input; None: the input itself
    stage: str
    reason: str
    severity: str
    message: str


@dataclass(frozen=True, slots=True)
class FamilySummary:
    """A family as a listing shows it, without its members."""

    id: int
    size: int
    origin: int | None
    origin_evidence: str
    title: str | None
    first_date: str | None
    last_date: str | None
    kind_counts: dict[str, int]


PARENT_BASES = ("evidence", "tie", "direction_unknown", "no_direct_link")
"""Whether the evidence decided a member's parent (docs/copies.md#parents): ``evidence``; else its arrow is
dashed: another text is as close and only the preference chose (``tie``), which of the two copied the other is
not shown (``direction_unknown``), or no verdict joins it to the origin it hangs under (``no_direct_link``)."""

DASHED_LEGEND = "dashed: the evidence does not decide which text was copied"


@dataclass(frozen=True, slots=True)
class MemberView:
    segment: SegmentView
    kind: str
    parent: int | None
    score: float
    passages: tuple[PassageView, ...]
    compare_with: int | None  # the parent, or for an undetermined one the segment it was related to
    parent_basis: str | None = None  # one of PARENT_BASES; None without a parent, for a capture, or not recorded
    parent_evidence: str | None = None  # the basis in words

    def parent_undecided(self) -> bool:
        """Whether its arrow from its parent is dashed: the evidence did not decide that parent."""
        return self.parent is not None and self.parent_basis not in (None, "evidence")


@dataclass(frozen=True, slots=True)
class FamilyView:
    """A family of copies: its origin (None: undetermined) and every member, origin first."""

    id: int
    origin: int | None
    origin_evidence: str
    members: tuple[MemberView, ...]

    def kind_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for member in self.members:
            counts[member.kind] = counts.get(member.kind, 0) + 1
        return counts

    def pages(self) -> int:
        """Its members, a page's captures counted once."""
        return sum(1 for m in self.members if m.kind != "capture")

    def captures_of(self, segment_id: int) -> tuple[MemberView, ...]:
        """The other captures of the page ``segment_id`` stands for (none when it was collected once)."""
        return tuple(m for m in self.members if m.kind == "capture" and m.parent == segment_id)


@dataclass(frozen=True, slots=True)
class PairView:
    """A copy beside the segment it derives from."""

    copy: SegmentView
    parent: SegmentView
    kind: str
    score: float
    copy_text: str
    parent_text: str
    passages: tuple[PassageView, ...]


@dataclass(frozen=True, slots=True)
class SharedSpan:
    segment: int  # a segment of this document
    other: int  # the segment it shares the span with
    start: int  # in the segment's text
    end: int
    kind: str


@dataclass(frozen=True, slots=True)
class DocumentView:
    id: int
    title: str | None
    url: str | None
    site: str | None
    published: str | None
    path: str
    sha256: str
    text: str
    segments: tuple[SegmentView, ...]
    shared: tuple[SharedSpan, ...]
    furniture: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class SearchHit:
    segment: SegmentView
    snippet: str  # with MARK_START/MARK_END around matches


@dataclass(frozen=True, slots=True)
class SearchPage:
    """A page of search hits. ``order``: ``relevance`` (best match first), or ``case`` (segment id
    order, as Browse lists them) when more segments match than the app ranks (store/read_index.py)."""

    items: tuple[SearchHit, ...]
    page: int
    per_page: int
    total: int
    order: Literal["relevance", "case"]


@dataclass(frozen=True, slots=True)
class SegmentFilters:
    kind: str | None = None
    family: int | None = None
    outlet: str | None = None  # matches site, credit, URL or path, case-insensitively
    date_from: str | None = None
    date_to: str | None = None  # inclusive of its whole day


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: tuple[T, ...]
    page: int
    per_page: int
    total: int


@dataclass(frozen=True, slots=True)
class SpeakerView:
    speaker: str
    roles: tuple[str, ...]
    statements: int
    occurrences: int
    altered: int  # occurrences whose words differ from their statement's reference form


@dataclass(frozen=True, slots=True)
class StatementSummary:
    """A statement as a listing shows it: its reference form and its counts."""

    id: int
    speaker: str
    speaker_role: str | None
    kind: str  # direct, reported
    cue: str
    text: str  # the reference form: earliest, else most common
    occurrences: int
    altered: int  # occurrences whose words differ from the reference form


@dataclass(frozen=True, slots=True)
class OccurrenceView:
    segment: SegmentView
    start: int  # in the segment's text
    end: int
    text: str
    speaker_as_written: str
    cue: str
    altered: bool
    diff: tuple[DiffOp, ...]  # word-level against the reference form; empty when not altered
    garbled_speaker: bool
    kind: str  # of this occurrence: direct (a quote) or reported (a paraphrase)
    outlet: str | None  # the name of the outlet that published this copy (SourceView.name); None before the sources step


@dataclass(frozen=True, slots=True)
class StatementView:
    """A statement with every occurrence, in date order."""

    statement: StatementSummary
    occurrences: tuple[OccurrenceView, ...]


@dataclass(frozen=True, slots=True)
class TraceMatch:
    """A segment that reuses a traced text; passages' ``parent_*`` offsets are in the traced text."""

    segment: SegmentView
    kind: str
    score: float
    passages: tuple[PassageView, ...]


@dataclass(frozen=True, slots=True)
class StepView:
    """What one step of a run did."""

    step: str
    started_at: str
    seconds: float  # wall time
    cpu_seconds: float  # of the main process and its workers
    records: int
    counters: dict[str, int] = field(default_factory=dict)

    def cpu_percent(self) -> float:
        """CPU use as a share of one core: 200 means two cores busy all along."""
        return self.cpu_seconds / self.seconds * 100 if self.seconds > 0 else 0.0


@dataclass(frozen=True, slots=True)
class RunView:
    """One `sourcetrace run` over the case, with its steps (none for cases written before schema 5)."""

    id: int
    status: str  # running, finished, interrupted, failed, or killed (ended without recording its end)
    started_at: str
    finished_at: str | None
    seconds: float | None  # as the run measured it; None until it finishes
    steps: tuple[StepView, ...]
    # Files found in folders of no kind sourcetrace reads, not read: extension ("" for none) -> count.
    skipped_files: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SourceView:
    """An outlet of the case with its type (docs/sources.md): what the user set,
    else what the shipped lists say, else unknown; a suggestion never sets it."""

    id: int
    name: str
    key: str  # list:reuters, host:example-news.com, name:dailyplanet
    type: str
    set_by_user: bool
    suggested_type: str | None  # aggregator or content_farm, read off its behaviour
    evidence: str | None  # the counts behind the suggestion
    typology: str | None  # State Media Monitor code(s), when on the state-media list
    listed_in: str | None  # curated, state-media, or None
    names: tuple[str, ...]  # every site name and credit it was seen under ("CP", "Continental Press")
    hosts: tuple[str, ...]
    published: int  # kept segments on its host or site
    credited: int  # kept segments of other outlets whose credit line names it

    @property
    def segments(self) -> int:
        return self.published + self.credited


@dataclass(frozen=True, slots=True)
class StorySummary:
    """A story (one event as the corpus covers it) as a listing shows it."""

    id: int  # its smallest family id
    title: str
    families: int
    segments: int
    independent_sources: int  # families, a wire's own copy and the families credited to it counted once
    outlets: tuple[str, ...]
    agencies: tuple[str, ...]  # the wires and agencies its segments credit
    first_published: str | None
    last_published: str | None


@dataclass(frozen=True, slots=True)
class StoryView:
    """A story with its families, its segments in date order, and the statements and events in them."""

    story: StorySummary
    families: tuple[int, ...]
    segments: tuple[SegmentView, ...]
    statements: tuple[StatementSummary, ...]
    events: tuple[EventView, ...] = ()  # its segments' publications and the dates they mention, in date order


@dataclass(frozen=True, slots=True)
class EventView:
    """A dated event of the timeline (docs/timeline.md): a segment's publication,
    or a date its text mentions, with its span for citing."""

    id: int  # segment id * 1000 + ordinal (0: the publication)
    kind: str  # published, mentioned
    date: str | None  # ISO 8601 at its precision; None: relative, with no publication date to resolve it
    precision: str  # time, day, week, month, quarter, year, decade
    segment: int
    document: int  # the segment's document, where the viewer shows the span
    start: int | None  # span in the segment's text; None for the publication
    end: int | None
    text: str | None  # the expression as written; None for the publication
    relative: bool  # resolved against the publication or the date mentioned before it
    title: str | None  # the segment's title
    published: str | None  # the segment's publication
    story: int | None  # the segment's story; None when it is in none, or stories were not built


@dataclass(frozen=True, slots=True)
class ClaimSummary:
    """A claim as a listing shows it: its text and how many independent sources stand on each side.

    Sources are families of copies: forty syndicated copies of one wire story count once; a
    segment outside the copy map counts as its own."""

    id: int  # supplied: 1, 2, ... in the order added; found: its smallest statement id
    text: str
    supplied: bool  # given by the investigator, else found in the statements
    supporting_sources: int
    contesting_sources: int
    reporting_sources: int  # families that mention it without taking a side
    positions: int  # positions taken on it, over every segment
    stories: tuple[int, ...]  # the stories its positions lie in


@dataclass(frozen=True, slots=True)
class PositionView:
    """Where one segment stands on a claim, the cue that decided it, and how to cite it."""

    segment: SegmentView
    stance: str  # supports, contests, reports
    start: int  # the sentence carrying the stance, in the segment's text
    end: int
    text: str  # that sentence
    document_start: int  # the same span in the document's extracted text: what a citation gives
    document_end: int
    cue: str  # what decided the stance ("denied (denial)", "“reasonable to conclude” (hedged finding)")
    statement: int | None  # the statement that carries it; None: the segment's own voice
    speaker: str | None  # that statement's speaker
    family: int | None  # the segment's family: positions of one family count as one source


@dataclass(frozen=True, slots=True)
class SourcePositions:
    """One independent source's positions on one side of a claim: the copies
    of one family (the first in reading order leads), or a segment in none."""

    family: int | None
    positions: tuple[PositionView, ...]

    @property
    def lead(self) -> PositionView:
        return self.positions[0]


def positions_by_source(positions: tuple[PositionView, ...]) -> tuple[SourcePositions, ...]:
    """Positions folded by source, in the order each source first appears:
    forty syndicated copies of one denial are one entry, not forty."""
    grouped: dict[tuple[int, int], list[PositionView]] = {}
    for position in positions:
        key = (0, position.family) if position.family is not None else (1, position.segment.id)
        grouped.setdefault(key, []).append(position)
    return tuple(SourcePositions(group[0].family, tuple(group)) for group in grouped.values())


@dataclass(frozen=True, slots=True)
class ClaimView:
    """A claim with every position, side by side: supporting, contesting, and reporting."""

    claim: ClaimSummary
    supporting: tuple[PositionView, ...]
    contesting: tuple[PositionView, ...]
    reporting: tuple[PositionView, ...]
    statements: tuple[int, ...] = ()  # for a found claim, the statements it was grouped from
