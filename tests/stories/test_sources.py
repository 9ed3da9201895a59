"""Which outlet a page or a credit line stands for, and the type the shipped lists give it."""

from __future__ import annotations

import csv
from importlib import resources

import pytest

from sourcetrace.stories.source_types import SOURCE_TYPES, TYPOLOGY, check_source_type
from sourcetrace.stories.sources import (
    KnownOutlets,
    Registry,
    SourceNameError,
    credited_outlets,
    known_outlets,
    outlet_of,
    pick_source,
    registered_domain,
    source_of,
    state_controlled,
)
from sourcetrace.views import SourceView

CURATED = [
    {"name": "Example Wire", "type": "wire", "hosts": ["examplewire.test"], "credits": ["EW", "The Example Wire"]},
    {"name": "Example Rights Office", "type": "un_body", "hosts": ["rights.test"], "credits": []},
    {"name": "Example Rapporteurs", "type": "un_body", "hosts": ["rights.test/en/rapporteurs"], "credits": []},
]


def state_row(outlet: str, url: str, typology: str, company: str = "", country: str = "Ruritania") -> dict[str, str]:
    return {"Country": country, "Media company": company or outlet, "Main assets": outlet, "URL": url,
            "Typology": typology}


STATE_MEDIA = [
    state_row("Ruritania Today", "https://www.ruritania-today.test/", "SC"),
    state_row("Ruritania Today Spanish", "http://spanish.ruritania-today.test/", "SC"),
    state_row("Public Radio Ruritania", "https://prr.test/", "IP"),
    state_row("Ruritanian News Agency", "https://rna.test/", "ISFM"),
    state_row("Print: The Ruritanian", "https://ruritanian.test/", "ISM"),
    state_row("Channel One", "https://mixed.test/", "ISFM"),
    state_row("Channel Two", "https://mixed.test/two", "CaPr"),
]


@pytest.fixture
def known() -> KnownOutlets:
    return KnownOutlets(CURATED, STATE_MEDIA)


@pytest.mark.parametrize("url", [
    "https://examplewire.test/world/1",
    "https://www.examplewire.test/world/1",
    "http://english.examplewire.test/a",
    "https://uk.news.examplewire.test/b?x=1",
])
def test_a_listed_host_matches_on_its_subdomains(known: KnownOutlets, url: str) -> None:
    outlet = outlet_of(url, None, None, known)
    assert outlet is not None and outlet.key == "list:examplewire" and outlet.name == "Example Wire"


def test_a_host_is_never_matched_through_its_public_suffix(known: KnownOutlets) -> None:
    assert known.by_url("https://other.test/") is None
    assert known.by_url("https://examplewire.test.evil.test/") is None


def test_a_listed_path_prefix_wins_over_its_bare_host(known: KnownOutlets) -> None:
    assert known.by_url("https://www.rights.test/en/rapporteurs/torture/statement") is not None
    assert known.by_url("https://www.rights.test/en/rapporteurs/torture").name == "Example Rapporteurs"  # type: ignore[union-attr]
    assert known.by_url("https://www.rights.test/en/press-releases/1").name == "Example Rights Office"  # type: ignore[union-attr]


def test_an_unlisted_host_is_its_registered_domain_named_by_its_site(known: KnownOutlets) -> None:
    first = outlet_of("https://news.daily-planet.co.uk/a", "The Daily Planet", None, known)
    second = outlet_of("https://www.daily-planet.co.uk/b", None, None, known)
    assert first is not None and second is not None
    assert first.key == second.key == "host:daily-planet.co.uk"
    assert (first.name, second.name) == ("The Daily Planet", "daily-planet.co.uk")
    assert registered_domain("a.b.daily-planet.co.uk") == "daily-planet.co.uk"


def test_a_state_controlled_host_is_state_media_and_keeps_its_typology_code(known: KnownOutlets) -> None:
    for url in ("https://ruritania-today.test/x", "https://spanish.ruritania-today.test/y"):
        outlet = known.by_url(url)
        assert outlet is not None
        assert (outlet.name, outlet.type, outlet.typology, outlet.listed_in) == (
            "Ruritania Today", "state_media", "SC", "state-media")


def test_an_independent_public_broadcaster_is_not_state_media(known: KnownOutlets) -> None:
    outlet = known.by_url("https://prr.test/news")
    assert outlet is not None and (outlet.type, outlet.typology) == ("broadcaster", "IP")


def test_independent_outlets_take_their_medium_agencies_by_name_print_by_its_prefix(known: KnownOutlets) -> None:
    agency, paper = known.by_url("https://rna.test/"), known.by_url("https://ruritanian.test/")
    assert agency is not None and (agency.type, agency.typology) == ("wire", "ISFM")
    assert paper is not None and (paper.name, paper.type, paper.typology) == ("The Ruritanian", "newspaper", "ISM")


def test_a_domain_carrying_a_state_controlled_outlet_is_state_media_with_every_code_kept(known: KnownOutlets) -> None:
    outlet = known.by_url("https://mixed.test/")
    assert outlet is not None and (outlet.type, outlet.typology) == ("state_media", "ISFM, CaPr")


def test_every_typology_code_of_the_shipped_list_is_mapped_deliberately() -> None:
    data = (resources.files("sourcetrace.stories") / "outlets" / "State_Media_Matrix.csv").read_text("utf-8")
    codes = {row["Typology"].rstrip("?") for row in csv.DictReader(data.splitlines()) if row["Typology"]}
    assert codes == set(TYPOLOGY)
    assert {code for code, (_, controlled) in TYPOLOGY.items() if controlled} == {"SC", "CaPu", "CaPr"}
    assert state_controlled("ISFM, CaPr") and not state_controlled("IP") and not state_controlled(None)


def test_the_shipped_lists_carry_the_state_media_notice() -> None:
    folder = resources.files("sourcetrace.stories") / "outlets"
    assert "MIT License" in (folder / "LICENSE-state-media").read_text("utf-8")
    assert "LICENSE-state-media" in (folder / "NOTICE.md").read_text("utf-8")


def test_the_shipped_lists_type_wires_un_bodies_ngos_and_state_media() -> None:
    known = known_outlets()
    types = {url: known.by_url(url) for url in ("https://apnews.com/x", "https://www.unhcr.org/news",
                                                "https://www.hrw.org/report", "https://english.news.cn/x",
                                                "https://www.npr.org/x")}
    assert {url: o.type if o else None for url, o in types.items()} == {
        "https://apnews.com/x": "wire", "https://www.unhcr.org/news": "un_body", "https://www.hrw.org/report": "ngo",
        "https://english.news.cn/x": "state_media", "https://www.npr.org/x": "broadcaster"}
    xinhua = types["https://english.news.cn/x"]
    assert xinhua is not None and xinhua.typology == "SC" and xinhua.listed_in == "curated"


@pytest.mark.parametrize("credit", ["EW", "The Example Wire", "Example Wire", "example wire", "THE EXAMPLE-WIRE"])
def test_credited_names_and_initialisms_resolve_to_one_outlet(known: KnownOutlets, credit: str) -> None:
    assert [o.key for o in credited_outlets(credit, known)] == ["list:examplewire"]


def test_the_shipped_wires_are_one_outlet_whatever_name_credits_them() -> None:
    keys = {credit: [o.key for o in credited_outlets(credit)] for credit in
            ("AP", "Associated Press", "The Associated Press", "AFP", "Agence France-Presse")}
    assert keys["AP"] == keys["Associated Press"] == keys["The Associated Press"]
    assert keys["AFP"] == keys["Agence France-Presse"] != keys["AP"]


def test_a_credit_line_can_name_several_outlets(known: KnownOutlets) -> None:
    keys = [o.key for o in credited_outlets("EW/Ruritania Today and Someone Else", known)]
    assert keys == ["list:examplewire", "list:ruritaniatoday-ruritania", "name:someoneelse"]


def test_a_page_crediting_a_wire_and_the_wires_own_page_are_one_source(known: KnownOutlets) -> None:
    syndicated = source_of("https://daily-planet.test/story", "Daily Planet", "EW", known)
    own = source_of("https://www.examplewire.test/story", None, None, known)
    publisher = outlet_of("https://daily-planet.test/story", "Daily Planet", "EW", known)
    assert syndicated is not None and own is not None and publisher is not None
    assert syndicated.key == own.key != publisher.key


def test_without_a_url_the_site_name_then_the_credit_names_the_outlet(known: KnownOutlets) -> None:
    assert outlet_of(None, "The Example Wire", None, known).key == "list:examplewire"  # type: ignore[union-attr]
    assert outlet_of(None, None, "Somewhere Gazette", known).key == "name:somewheregazette"  # type: ignore[union-attr]
    assert outlet_of(None, None, None, known) is None
    assert outlet_of("not a url", None, None, known) is None


def test_the_registry_prefers_what_the_user_set_over_the_lists() -> None:
    registry = Registry([("list:examplewire", "Example Wire", "wire"), ("host:blog.test", "Blog", "unknown")],
                        {"host:blog.test": "aggregator"},
                        [(1000, "host:blog.test", "published"), (1000, "list:examplewire", "credited")])
    assert registry.type_of("example wire") == "wire"
    assert registry.type_of("Blog") == registry.type_of("host:blog.test") == "aggregator"
    assert registry.type_of("not in the case") == "unknown"
    assert (registry.publisher_of(1000), registry.source_of(1000)) == ("host:blog.test", "list:examplewire")


def test_a_type_outside_the_list_is_refused_with_the_list() -> None:
    assert check_source_type("wire") == "wire"
    with pytest.raises(ValueError, match="content_farm"):
        check_source_type("tabloid")
    assert len(SOURCE_TYPES) == 10


def view(name: str, hosts: tuple[str, ...] = (), names: tuple[str, ...] = ()) -> SourceView:
    return SourceView(1, name, f"name:{name.casefold()}", "unknown", False, None, None, None, None, names, hosts, 1, 0)


def test_a_source_is_picked_by_name_host_or_a_name_it_was_credited_under() -> None:
    listed = [view("Continental Press", ("continentalpress.test",), ("CP", "Continental Press")), view("Paper")]
    assert pick_source("continental press", listed).name == "Continental Press"
    assert pick_source("www.continentalpress.test", listed).name == "Continental Press"
    assert pick_source("cp", listed).name == "Continental Press"


def test_picking_an_unknown_or_ambiguous_source_says_which_names_to_use() -> None:
    listed = [view("OHCHR", ("ohchr.test",)), view("UN Special Procedures", ("ohchr.test",))]
    with pytest.raises(SourceNameError, match="close matches: OHCHR"):
        pick_source("OHCRH", listed)
    with pytest.raises(SourceNameError, match="names 2 sources: OHCHR, UN Special Procedures"):
        pick_source("ohchr.test", listed)
