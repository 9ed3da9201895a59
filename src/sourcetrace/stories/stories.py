"""Stories: one event as the corpus covers it, built from families of copies.

:func:`build_stories` turns the case's families (with each segment's stored
:class:`~sourcetrace.stories.story_features.StoryFeatures`) into
:class:`Story` records: the families are clustered
(:mod:`sourcetrace.stories.story_clusters`), and each cluster of at least two
segments becomes a story with a title, its outlets and credited agencies, its
first and last publication, and how many independent sources stand behind it.
A segment that nothing else reports is not a story of its own.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sourcetrace.reuse.origins import parse_published
from sourcetrace.stories.sources import OutletKey, outlet_of, source_of
from sourcetrace.stories.story_clusters import DEFAULT_SETTINGS, ClusterSettings, StoryUnit, cluster_units
from sourcetrace.stories.story_features import StoryFeatures

TITLE_FALLBACK_CHARS = 80  # a story whose segments have no headline is titled by its first words


@dataclass(frozen=True, slots=True)
class StorySegment:
    """A kept segment with what a story needs of it (read from the case by the store)."""

    id: int
    family: int
    title: str | None
    published: str | None
    credit: str | None  # the credited wire or agency, as written
    publisher: OutletKey | None  # the outlet that published it (sources registry)
    carries: OutletKey | None  # whose text it carries: the agency it credits, else its publisher
    is_origin: bool  # the origin of its family
    opening: str  # the first words of its text, for a story without a headline
    quotes: tuple[int, ...] = ()  # the direct statements (statement ids) it carries
    is_capture: bool = False  # another capture of a page already in its family: counted once, with the page


@dataclass(frozen=True, slots=True)
class Story:
    """One event as the corpus covers it; stored in ``stories`` and ``story_families``."""

    id: int  # its smallest family id
    title: str
    families: tuple[int, ...]
    segments: tuple[int, ...]  # its pages' segments: a page captured twice is counted once
    independent_sources: int  # families, a wire's own copy and the families credited to it counted once
    outlets: tuple[str, ...]  # where its segments were published
    agencies: tuple[str, ...]  # the wires and agencies its segments credit
    first_published: str | None
    last_published: str | None


def build_stories(segments: Sequence[StorySegment], features: Mapping[int, StoryFeatures],
                  settings: ClusterSettings = DEFAULT_SETTINGS) -> list[Story]:
    """Stories over the case, in id order; ``features`` by segment id."""
    by_family: dict[int, list[StorySegment]] = defaultdict(list)
    for segment in segments:
        by_family[segment.family].append(segment)
    units = [_unit(family, members, features) for family, members in sorted(by_family.items())]
    stories = []
    for cluster in cluster_units(units, settings):
        members = [segment for family in cluster for segment in by_family[family] if not segment.is_capture]
        if len(members) >= 2:
            stories.append(_story(cluster, members, by_family))
    return stories


def _unit(family: int, members: Sequence[StorySegment], features: Mapping[int, StoryFeatures]) -> StoryUnit:
    terms: set[str] = set()
    for segment in members:
        found = features.get(segment.id)
        if found is not None:  # map over str.__add__: a fifth of the time of a generator of f-strings
            terms.update(map("n:".__add__, found.names))
            terms.update(map("d:".__add__, found.numbers))
            terms.update(map("w:".__add__, found.words))
        terms.update(f"q:{q}" for q in segment.quotes)
    return StoryUnit(family, _earliest(s.published for s in members), frozenset(terms))


def _story(cluster: Sequence[int], members: Sequence[StorySegment], by_family: Mapping[int, list[StorySegment]]) -> Story:
    dates = sorted((s.published for s in members if s.published), key=_chronological)
    return Story(
        id=cluster[0],
        title=story_title(cluster, by_family),
        families=tuple(cluster),
        segments=tuple(sorted(s.id for s in members)),
        independent_sources=independent_sources([by_family[f] for f in cluster]),
        outlets=tuple(sorted({s.publisher.name for s in members if s.publisher is not None})),
        agencies=tuple(sorted({s.credit.strip() for s in members if s.credit and s.credit.strip()})),
        first_published=dates[0] if dates else None,
        last_published=dates[-1] if dates else None,
    )


def _chronological(published: str) -> tuple[int, datetime, str]:
    """Publication strings in time order: moments (any offset), then the unreadable as text."""
    time = parse_published(published)
    return (0, time.moment, published) if time is not None else (1, datetime.min, published)


def story_title(cluster: Sequence[int], by_family: Mapping[int, list[StorySegment]]) -> str:
    """The headline of the largest family's origin (else of its earliest titled member);
    among families of one size, the earliest published."""
    def rank(family: int) -> tuple[int, str, int]:
        return (-sum(not s.is_capture for s in by_family[family]), _earliest(s.published for s in by_family[family]) or "~", family)

    for family in sorted(cluster, key=rank):
        members = sorted(by_family[family], key=lambda s: (not s.is_origin, s.published or "~", s.id))
        for segment in members:
            if segment.title and segment.title.strip():
                return segment.title.strip()
    first = min((s for f in cluster for s in by_family[f]), key=lambda s: (s.published or "~", s.id))
    return _opening_words(first.opening)


def independent_sources(families: Iterable[Sequence[StorySegment]]) -> int:
    """How many sources stand behind the families: each family is one, except
    that the families credited to a wire and the wire's own copy are one."""
    listed = list(families)
    credited = {s.carries.key for members in listed for s in members if s.credit and s.carries}
    return len({_source_of(members, credited) for members in listed})


def _source_of(members: Sequence[StorySegment], credited: set[str]) -> str:
    """A family's source: the agency it credits, or the credited agency that published it, else the family."""
    for segment in sorted(members, key=lambda s: (not s.is_origin, s.id)):
        if segment.credit and segment.carries is not None:
            return segment.carries.key
    own = sorted(s.publisher.key for s in members if s.publisher is not None and s.publisher.key in credited)
    return own[0] if own else f"family:{members[0].family}"


def outlets_of(url: str | None, site: str | None, credit: str | None) -> tuple[OutletKey | None, OutletKey | None]:
    """(publisher, whose text it carries) of a segment, from the shipped lists alone;
    the case's registry also joins unlisted names ("CP" and "Continental Press")."""
    return outlet_of(url, site, None), source_of(url, site, credit)


def _earliest(dates: Iterable[str | None]) -> str | None:
    known = sorted(d for d in dates if d)
    return known[0] if known else None


def _opening_words(text: str) -> str:
    words = re.sub(r"\s+", " ", text).strip()
    if len(words) <= TITLE_FALLBACK_CHARS:
        return words
    return words[:TITLE_FALLBACK_CHARS].rsplit(" ", 1)[0] + "…"
