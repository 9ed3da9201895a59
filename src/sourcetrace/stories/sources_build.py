"""A case's outlets, built from its segments and its copy map.

Each kept segment belongs to the outlet that published it (its host, else its
site name) and to each outlet its credit line names. Unlisted outlets are
joined case-wide, which is why the whole registry is rebuilt whenever
segments or the copy map change (it is cheap: one pass over the segments):

* unlisted credits with the initialism of another credit's name are one
  outlet ("CP" and "Continental Press"), as the copy map's origins decide it
  (:func:`sourcetrace.reuse.origins.canonical_agencies`);
* a site name or credit that a host's pages carry as their site name, or
  whose letters are the host's registered name ("Daily Planet",
  dailyplanet.example), is that host's outlet.

Behaviour suggests a type for an outlet the lists do not know
(:func:`suggest_type`); it never sets one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

from sourcetrace.reuse.origins import agency_key, canonical_agencies
from sourcetrace.stories.source_types import SourceType
from sourcetrace.stories.sources import (
    KnownOutlets,
    OutletKey,
    credited_outlets,
    known_outlets,
    outlet_of,
    registered_domain,
)

MIN_SEGMENTS_FOR_SUGGESTION = 5  # fewer published segments say too little about an outlet's habits
MOST_COPIED = 0.6  # "most of their segments copy others"
MOST_REWRITTEN = 0.5  # a content farm: at least this share of its copies are rewrites (spun text)
MIN_COMPOSITE_PAGES = 2  # an aggregator pastes unrelated stories onto several pages, not one
MIN_COMPOSITE_SHARE = 0.2  # ... and onto a fair share of its pages


@dataclass(frozen=True, slots=True)
class SegmentFacts:
    """What the registry reads of one kept segment (store/write_sources.py)."""

    segment: int
    document: int
    url: str | None
    site: str | None
    credit: str | None
    family: int | None  # None: not in the copy map yet
    copied: bool  # its family member row derives it from another member (kind != origin, parent known)
    rewritten: bool  # ... as a rewrite
    capture: bool = False  # another capture of a page (docs/copies.md#captures): the page is counted, once


SourceRole = Literal["published", "credited"]
"""published: on the outlet's host (or site, without a URL); credited: its credit line names the outlet."""


@dataclass(frozen=True, slots=True)
class SourceMember:
    segment: int
    role: SourceRole


@dataclass(frozen=True, slots=True)
class Source:
    """One outlet of a case, as the ``sources`` table stores it."""

    id: int  # rank by smallest segment id, then key
    key: str
    name: str
    names: tuple[str, ...]  # every site name and credit it was seen under, sorted
    hosts: tuple[str, ...]  # hosts its pages were found on, without "www."
    known_type: SourceType  # from the shipped lists, else "unknown"
    typology: str | None  # State Media Monitor code(s)
    listed_in: str | None  # "curated", "state-media" or None
    suggested_type: SourceType | None
    evidence: str | None  # why the suggestion, in counts
    members: tuple[SourceMember, ...]


@dataclass(frozen=True, slots=True)
class Suggestion:
    type: SourceType
    evidence: str


class _Seen(NamedTuple):
    """A segment with the outlets its page and its credit line show."""

    fact: SegmentFacts
    publisher: OutletKey | None
    credited: tuple[OutletKey, ...]


@dataclass(slots=True)
class _Outlet:
    key: str
    site_names: Counter[str]  # as its pages name it
    credit_names: Counter[str]  # as credit lines name it
    hosts: set[str]
    members: dict[int, SourceRole]


def build_sources(facts: Sequence[SegmentFacts], known: KnownOutlets | None = None) -> list[Source]:
    """Every outlet of the case, numbered by smallest segment id, then key."""
    known = known or known_outlets()
    credits = {c: credited_outlets(c, known) for c in {f.credit for f in facts}}  # a case has few distinct credits
    seen = [_Seen(f, outlet_of(f.url, f.site, None, known), credits[f.credit]) for f in facts]
    joined = _joined_names(seen)
    outlets: dict[str, _Outlet] = {}
    for fact, publisher, credited in seen:
        if publisher is not None:
            named = bool(fact.site and fact.site.strip())
            _add(outlets, joined.get(publisher.key, publisher.key), publisher, fact.segment, "published", named)
        for outlet in credited:
            _add(outlets, joined.get(outlet.key, outlet.key), outlet, fact.segment, "credited", True)
    by_segment = {f.segment: f for f in facts}
    ordered = sorted(outlets.values(), key=lambda o: (min(o.members), o.key))
    names = _unique_names(ordered)
    return [_source(rank, outlet, names[outlet.key], by_segment, known)
            for rank, outlet in enumerate(ordered, start=1)]


def suggest_type(published: Sequence[SegmentFacts]) -> Suggestion | None:
    """A content farm when most of an outlet's segments copy others and most of
    those copies are rewrites; an aggregator when most copy others and it
    pastes unrelated stories (segments of different families) onto its
    pages. None when it publishes too little, or mostly its own texts."""
    mapped = [f for f in published if f.family is not None and not f.capture]
    if len(mapped) < MIN_SEGMENTS_FOR_SUGGESTION:
        return None
    copies = [f for f in mapped if f.copied]
    if len(copies) < MOST_COPIED * len(mapped):
        return None
    rewrites = sum(f.rewritten for f in copies)
    pages, composite = _composite_pages(mapped)
    said = f"{len(copies)} of {len(mapped)} segments copy others ({rewrites} rewritten)"
    said += f"; {composite} of {pages} pages carry unrelated stories"
    if rewrites >= MOST_REWRITTEN * len(copies):
        return Suggestion("content_farm", said)
    if composite >= MIN_COMPOSITE_PAGES and composite >= MIN_COMPOSITE_SHARE * pages:
        return Suggestion("aggregator", said)
    return None


def _composite_pages(facts: Iterable[SegmentFacts]) -> tuple[int, int]:
    """(pages, pages holding segments of more than one family)."""
    families: dict[int, set[int | None]] = {}
    for fact in facts:
        families.setdefault(fact.document, set()).add(fact.family)
    return len(families), sum(len(f) > 1 for f in families.values())


def _add(outlets: dict[str, _Outlet], key: str, seen: OutletKey, segment: int, role: SourceRole,
         named: bool) -> None:
    """``named``: ``seen.name`` is a site name or credit as written (not a domain standing in for one)."""
    outlet = outlets.get(key)
    if outlet is None:
        outlet = outlets[key] = _Outlet(key, Counter(), Counter(), set(), {})
    if named:
        (outlet.site_names if role == "published" else outlet.credit_names)[seen.name] += 1
    if seen.host is not None:
        outlet.hosts.add(seen.host)
    if outlet.members.get(segment) != "published":  # a segment on the outlet's own site is its own, credited or not
        outlet.members[segment] = role


def _joined_names(seen: Sequence[_Seen]) -> dict[str, str]:
    """Unlisted name keys -> the key they join: the name their initialism
    abbreviates (among credits and the site names of pages), then the host
    outlet whose pages carry that site name, else the host outlet whose
    registered name spells it."""
    by_site: dict[str, str] = {}
    by_label: dict[str, str] = {}
    names: list[str] = []
    for fact, publisher, credited in seen:
        if publisher is not None and publisher.key.startswith("host:"):
            if fact.site and agency_key(fact.site):
                by_site.setdefault(agency_key(fact.site), publisher.key)
                names.append(fact.site)
            by_label.setdefault(agency_key(registered_domain(publisher.host or "").split(".")[0]), publisher.key)
        elif publisher is not None and publisher.key.startswith("name:"):
            names.append(publisher.name)
        names += [o.name for o in credited if o.key.startswith("name:")]
    joined: dict[str, str] = {}
    for name, agency in canonical_agencies(list(dict.fromkeys(names))).items():
        joined[f"name:{agency_key(name)}"] = by_site.get(agency) or by_label.get(agency) or f"name:{agency}"
    return joined


def _unique_names(ordered: Sequence[_Outlet]) -> dict[str, str]:
    """key -> display name: its most common site name, else its most common
    credit (the longer on a tie: a name over its initialism), else its key;
    two outlets showing one name are told apart by their key."""
    chosen = {o.key: _best_name(o) for o in ordered}
    counts = Counter(n.casefold() for n in chosen.values())
    return {key: name if counts[name.casefold()] == 1 else f"{name} ({key.split(':', 1)[1]})"
            for key, name in chosen.items()}


def _best_name(outlet: _Outlet) -> str:
    for names in (outlet.site_names, outlet.credit_names):
        if names:
            return min(names.items(), key=lambda item: (-item[1], -len(item[0]), item[0]))[0]
    return outlet.key.split(":", 1)[1]


def _source(rank: int, outlet: _Outlet, name: str, by_segment: Mapping[int, SegmentFacts],
            known: KnownOutlets) -> Source:
    listed = known.by_key(outlet.key)
    published = [by_segment[s] for s, role in sorted(outlet.members.items()) if role == "published"]
    suggestion = suggest_type(published) if listed is None else None
    return Source(
        id=rank,
        key=outlet.key,
        name=listed.name if listed is not None else name,
        names=tuple(sorted(set(outlet.site_names) | set(outlet.credit_names))),
        hosts=tuple(sorted(outlet.hosts)),
        known_type=listed.type if listed is not None else "unknown",
        typology=listed.typology if listed is not None else None,
        listed_in=listed.listed_in if listed is not None else None,
        suggested_type=suggestion.type if suggestion else None,
        evidence=suggestion.evidence if suggestion else None,
        members=tuple(SourceMember(s, role) for s, role in sorted(outlet.members.items())),
    )
