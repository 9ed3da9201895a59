"""Captures: the same page collected twice is one page, not a copy.

A saved HTML file and a WARC record of one URL, or two WARC captures of it,
are *captures* of one page when

* their URLs are one address once normalised (:func:`page_address`), and
* a verified verdict of any kind joins them: a live page captured again
  later may have been edited, so its text need only be nearly the same.

Two different addresses with the same text stay copies (syndication), and a
page without a URL is never a capture of another. Captures join only across
documents, and a set of captures holds at most one segment per document
(strongest verdicts first), so the segments of an aggregator page's two
captures pair up story by story.

Each set of captures is one page: the earliest capture (WARC-Date, else the
file's modification time; undated ones last; ties by the lower segment id)
stands for it. Families and origins are built over pages only, the strongest
verdict of any of a page's captures standing for the page's (the page's own on
a tie), so origins never weigh a page against its own captures; then the other captures
join their page's family as members of kind ``capture``, and the links that
stood in are given back to the capture that has them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit

from sourcetrace.records import Family, FamilyMember, Passage, Relation, SegmentForReuse
from sourcetrace.reuse.origins import parse_published
from sourcetrace.reuse.relations import PairVerdict, oriented, strength

# Parameters that say how a reader arrived, not which page it is.
TRACKING_PARAMETERS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid", "_ga", "_gl",
})
DEFAULT_PORTS = {"http": 80, "https": 443}


def page_address(url: str | None) -> str | None:
    """The address that identifies a page: host in lower case without ``www.``
    or a default port, http and https alike, no fragment, no trailing slash, no
    tracking parameters (``utm_*``, ``fbclid``, ...), the others sorted; the
    path keeps its case. None without a URL or a host."""
    if not url or not url.strip():
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    host = (parts.hostname or "").rstrip(".")
    if not host:
        return None
    host = host.removeprefix("www.")
    scheme = parts.scheme.lower()
    netloc = host if port is None or port == DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if not k.lower().startswith("utm_") and k.lower() not in TRACKING_PARAMETERS)
    path = parts.path.rstrip("/") or "/"
    web = "http" if scheme in DEFAULT_PORTS else scheme
    return f"{web}://{netloc}{path}" + (f"?{urlencode(query)}" if query else "")


@dataclass(frozen=True, slots=True)
class Captures:
    """The case's sets of captures."""

    page_of: Mapping[int, int]  # each segment in a set of captures -> the capture that stands for the page
    links: Mapping[int, PairVerdict]  # each other capture -> its verdict with the page (else its strongest in the set)
    others_of: Mapping[int, tuple[int, ...]]  # page -> its other captures

    def page(self, segment: int) -> int:
        return self.page_of.get(segment, segment)


def find_captures(segments: Mapping[int, SegmentForReuse], verdicts: Sequence[PairVerdict]) -> Captures:
    """Sets of captures among ``segments``, joined by ``verdicts`` (see the module)."""
    ends = {i for v in verdicts for i in (v.a, v.b)}  # a segment without a verdict is no capture
    address = {i: page_address(segments[i].url) for i in ends}
    edges = sorted(
        (v for v in verdicts
         if address[v.a] is not None and address[v.a] == address[v.b]
         and segments[v.a].document_id != segments[v.b].document_id),
        key=lambda v: (-strength(v)[0], -strength(v)[1], min(v.a, v.b), max(v.a, v.b)),
    )
    edges_of: dict[int, list[PairVerdict]] = defaultdict(list)  # strongest first, as ``edges``
    for verdict in edges:
        edges_of[verdict.a].append(verdict)
        edges_of[verdict.b].append(verdict)
    page_of: dict[int, int] = {}
    links: dict[int, PairVerdict] = {}
    others_of: dict[int, tuple[int, ...]] = {}
    for captured in _capture_sets(edges, segments):
        page = min(captured, key=lambda i: _capture_order(segments[i]))
        page_of.update((i, page) for i in captured)
        others_of[page] = tuple(sorted(i for i in captured if i != page))
        for capture in others_of[page]:
            links[capture] = _link(page, edges_of[capture], set(captured))
    return Captures(page_of, links, others_of)


def _capture_sets(edges: Sequence[PairVerdict], segments: Mapping[int, SegmentForReuse]) -> list[list[int]]:
    """Segments joined by ``edges`` (strongest first), one segment per document in each set."""
    set_of: dict[int, int] = {}  # segment -> its set's lowest id
    members: dict[int, list[int]] = {}
    for verdict in edges:
        first, second = (set_of.get(i, i) for i in (verdict.a, verdict.b))
        joined_first, joined_second = members.get(first, [first]), members.get(second, [second])
        documents = {segments[i].document_id for i in joined_first}
        if first == second or any(segments[i].document_id in documents for i in joined_second):
            continue
        lowest = min(first, second)
        members[lowest] = joined_first + joined_second
        members.pop(max(first, second), None)
        for i in members[lowest]:
            set_of[i] = lowest
    return list(members.values())


def _capture_order(segment: SegmentForReuse) -> tuple[bool, datetime, int]:
    time = parse_published(segment.captured)
    return (time is None, time.moment if time is not None else datetime.min, segment.id)


def _link(page: int, edges: Sequence[PairVerdict], captured: set[int]) -> PairVerdict:
    """A capture's verdict with its page, else its strongest with another capture of the page
    (``edges``: the capture's, strongest first)."""
    touching = [v for v in edges if v.a in captured and v.b in captured]
    direct = [v for v in touching if page in (v.a, v.b)]
    return (direct or touching)[0]


@dataclass(frozen=True, slots=True)
class PageVerdicts:
    """The verdicts between pages, and for each that stood in for its page,
    the capture verdict it came from (keyed by the two pages, lower first)."""

    verdicts: tuple[PairVerdict, ...]
    stood_in: Mapping[tuple[int, int], PairVerdict]


def page_verdicts(verdicts: Iterable[PairVerdict], captures: Captures) -> PageVerdicts:
    """One verdict per pair of pages: the strongest of their captures' (a copy
    of a later capture's edited text is closest to that capture), the pages'
    own on a tie, then the lower ids; its ids replaced by the pages'."""
    best: dict[tuple[int, int], tuple[tuple[int, float, bool, int, int], PairVerdict]] = {}
    for verdict in verdicts:
        a, b = captures.page(verdict.a), captures.page(verdict.b)
        if a == b:
            continue  # the verdict between two captures of one page
        key = (min(a, b), max(a, b))
        own = (a, b) == (verdict.a, verdict.b)
        rank = (*strength(verdict), own, -min(verdict.a, verdict.b), -max(verdict.a, verdict.b))
        if key not in best or rank > best[key][0]:
            best[key] = (rank, verdict)
    chosen: list[PairVerdict] = []
    stood_in: dict[tuple[int, int], PairVerdict] = {}
    for key, (_, verdict) in best.items():  # in the order first met, as without captures
        if captures.page(verdict.a) == verdict.a and captures.page(verdict.b) == verdict.b:
            chosen.append(verdict)
            continue
        stood_in[key] = verdict
        chosen.append(replace(
            verdict,
            a=captures.page(verdict.a),
            b=captures.page(verdict.b),
            part=None if verdict.part is None else captures.page(verdict.part),
            rewritten=None if verdict.rewritten is None else captures.page(verdict.rewritten),
        ))
    return PageVerdicts(tuple(chosen), stood_in)


def _actual_ends(child: int, parent: int, pages: PageVerdicts, captures: Captures) -> tuple[int, int] | None:
    """(child, parent) as the segments of the verdict that stood in for the two pages, if one did."""
    verdict = pages.stood_in.get((min(child, parent), max(child, parent)))
    if verdict is None:
        return None
    if captures.page(verdict.a) == child:
        return verdict.a, verdict.b
    return verdict.b, verdict.a


def restore_relation(relation: Relation, pages: PageVerdicts, captures: Captures) -> Relation:
    ends = _actual_ends(relation.segment, relation.parent, pages, captures)
    return relation if ends is None else replace(relation, segment=ends[0], parent=ends[1])


def restore_family(family: Family, pages: PageVerdicts, captures: Captures) -> Family:
    """A family of pages with each page's other captures, and its links given back to the captures that have them."""
    members = [_restored_member(m, pages, captures) for m in family.members]
    for page in [m.segment for m in family.members]:
        for capture in captures.others_of.get(page, ()):
            link = captures.links[capture]
            members.append(FamilyMember(capture, "capture", page, link.score, _passages(link, page)))
    return replace(family, key=min(m.segment for m in members), members=tuple(sorted(members, key=lambda m: m.segment)))


def _restored_member(member: FamilyMember, pages: PageVerdicts, captures: Captures) -> FamilyMember:
    if member.parent is None:
        return member
    ends = _actual_ends(member.segment, member.parent, pages, captures)
    if ends is None:
        return member
    child, parent = ends
    if child != member.segment:
        # The page derives through another capture's text: the passages' offsets are that capture's.
        return replace(member, parent=parent, passages=())
    return replace(member, parent=parent)


def capture_relations(captures: Captures) -> list[Relation]:
    """Each capture beside the one standing for its page."""
    return [
        Relation(capture, captures.page(capture), "capture", link.score, _passages(link, captures.page(capture)))
        for capture, link in sorted(captures.links.items())
    ]


def _passages(link: PairVerdict, page: int) -> tuple[Passage, ...]:
    """A capture's passages against its page, when its verdict is with the page itself."""
    return oriented(link, page) if page in (link.a, link.b) else ()
