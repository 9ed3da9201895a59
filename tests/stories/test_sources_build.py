"""A case's outlets from its segments and copy map: joins, ids, and types suggested by behaviour."""

from __future__ import annotations

import random

import pytest

from sourcetrace.stories.sources import KnownOutlets
from sourcetrace.stories.sources_build import (
    MIN_SEGMENTS_FOR_SUGGESTION,
    SegmentFacts,
    Source,
    build_sources,
    suggest_type,
)

KNOWN = KnownOutlets(
    [{"name": "Example Wire", "type": "wire", "hosts": ["examplewire.test"], "credits": ["EW"]}],
    [],
)


def fact(segment: int, url: str | None = None, site: str | None = None, credit: str | None = None, *,
         family: int | None = None, copied: bool = False, rewritten: bool = False) -> SegmentFacts:
    return SegmentFacts(segment, segment // 1000, url, site, credit, segment if family is None else family,
                        copied, rewritten)


def by_name(sources: list[Source]) -> dict[str, Source]:
    return {s.name: s for s in sources}


def aggregator_pages(first_document: int, pages: int, host: str = "buzz.test") -> list[SegmentFacts]:
    """Pages that each paste two stories of other families, copied verbatim."""
    return [fact(document * 1000 + n, f"https://{host}/p{document}", "Buzz", family=document * 10 + n, copied=True)
            for document in range(first_document, first_document + pages) for n in range(2)]


def test_an_outlet_whose_pages_paste_copied_unrelated_stories_is_suggested_aggregator() -> None:
    facts = [*aggregator_pages(1, 4), fact(9000, "https://buzz.test/own", "Buzz")]
    buzz = by_name(build_sources(facts, KNOWN))["Buzz"]
    assert buzz.suggested_type == "aggregator"
    assert buzz.known_type == "unknown"  # a suggestion never sets the type
    assert buzz.evidence == "8 of 9 segments copy others (0 rewritten); 4 of 5 pages carry unrelated stories"


def test_an_outlet_whose_copies_are_mostly_rewrites_is_suggested_content_farm() -> None:
    facts = [fact(n * 1000, "https://spin.test/a", "Spin", family=n, copied=True, rewritten=n % 4 != 0)
             for n in range(1, 9)]
    spin = by_name(build_sources(facts, KNOWN))["Spin"]
    assert (spin.suggested_type, spin.known_type) == ("content_farm", "unknown")
    assert spin.evidence is not None and spin.evidence.startswith("8 of 8 segments copy others (6 rewritten)")


def test_an_outlet_of_its_own_texts_or_of_verbatim_syndication_is_suggested_nothing() -> None:
    own = [fact(n * 1000, "https://paper.test/a", "Paper") for n in range(1, 9)]
    syndicated = [fact(n * 1000, "https://mirror.test/a", "Mirror", credit="EW", copied=True) for n in range(11, 19)]
    for source in build_sources(own + syndicated, KNOWN):
        assert source.suggested_type is None and source.evidence is None


def test_too_few_segments_say_nothing_about_an_outlet() -> None:
    few = aggregator_pages(1, MIN_SEGMENTS_FOR_SUGGESTION // 2)
    assert len(few) < MIN_SEGMENTS_FOR_SUGGESTION
    assert suggest_type(few) is None
    assert suggest_type(aggregator_pages(1, MIN_SEGMENTS_FOR_SUGGESTION)) is not None


def test_a_listed_outlet_is_never_suggested_another_type() -> None:
    wire = by_name(build_sources(aggregator_pages(1, 5, host="examplewire.test"), KNOWN))["Example Wire"]
    assert (wire.known_type, wire.suggested_type, wire.listed_in) == ("wire", None, "curated")


def test_a_credited_wire_and_its_own_site_are_one_outlet_holding_both_segments() -> None:
    facts = [fact(1000, "https://www.examplewire.test/a"), fact(2000, "https://paper.test/a", "Paper", "EW"),
             fact(3000, None, None, "Example Wire")]
    wire = by_name(build_sources(facts, KNOWN))["Example Wire"]
    assert [(m.segment, m.role) for m in wire.members] == [(1000, "published"), (2000, "credited"),
                                                          (3000, "credited")]
    assert wire.hosts == ("examplewire.test",)


def test_an_unlisted_initialism_its_name_and_its_site_are_one_outlet() -> None:
    facts = [fact(1000, "https://www.continental-press.test/a", "Continental Press"),
             fact(2000, "https://paper.test/a", "Paper", "CP"),
             fact(3000, None, None, "Continental Press")]
    sources = build_sources(facts, KNOWN)
    names = by_name(sources)
    assert set(names) == {"Continental Press", "Paper"}
    assert [m.segment for m in names["Continental Press"].members] == [1000, 2000, 3000]
    assert names["Continental Press"].key == "host:continental-press.test"


def test_a_credit_spelling_a_hosts_registered_name_joins_that_host() -> None:
    facts = [fact(1000, "https://dailyplanet.test/a"), fact(2000, None, None, "Daily Planet")]
    (planet,) = build_sources(facts, KNOWN)
    assert planet.name == "Daily Planet" and [m.segment for m in planet.members] == [1000, 2000]


def test_a_segment_on_an_outlets_own_site_is_published_even_when_it_credits_the_outlet() -> None:
    (own,) = build_sources([fact(1000, "https://kessary.test/a", "Kessary Today", "Kessary Today")], KNOWN)
    assert [(m.segment, m.role) for m in own.members] == [(1000, "published")]


def test_two_outlets_showing_one_name_are_told_apart() -> None:
    facts = [fact(1000, "https://a.test/x", "Daily News"), fact(2000, "https://b.test/x", "Daily News")]
    assert sorted(s.name for s in build_sources(facts, KNOWN)) == ["Daily News (a.test)", "Daily News (b.test)"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_ids_are_ranks_by_smallest_segment_whatever_order_segments_come_in(seed: int) -> None:
    facts = [*aggregator_pages(1, 3), fact(9000, "https://paper.test/a", "Paper", "EW"), fact(9001, None, None, "X")]
    shuffled = facts[:]
    random.Random(seed).shuffle(shuffled)
    built, again = build_sources(facts, KNOWN), build_sources(shuffled, KNOWN)
    assert [(s.id, s.key) for s in built] == [(s.id, s.key) for s in again]
    assert [s.id for s in built] == list(range(1, len(built) + 1))
    firsts = [min(m.segment for m in s.members) for s in built]
    assert firsts == sorted(firsts)
