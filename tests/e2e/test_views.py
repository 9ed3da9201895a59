"""A person's walk through a case, in the app and in the report file, on the demo corpus.

Expected values are read from the case itself, never hard-coded.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sourcetrace.store import read_index
from sourcetrace.views import positions_by_source
from tests.e2e.conftest import Target, target
from tests.web.cases import ALTERED, QUOTE

TARGETS = ["app", "report"]


@pytest.fixture(params=TARGETS)
def demo(request: pytest.FixtureRequest, cases, servers, reports) -> Target:  # type: ignore[no-untyped-def]
    return target(request.param, "demo", cases, servers, reports)


def open_view(page, t: Target, hash_: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(t.url + hash_)
    page.wait_for_selector("main[aria-busy=false]")


def largest_family(t: Target) -> tuple[int, int]:
    with t.db() as db:
        return db.execute("SELECT id, size FROM families ORDER BY size DESC, id LIMIT 1").fetchone()


def test_overview_shows_the_case_counts_and_the_share_of_copies(page, demo: Target) -> None:  # type: ignore[no-untyped-def]
    open_view(page, demo, "#/overview")
    with demo.db() as db:
        segments, = db.execute("SELECT count(*) FROM segments").fetchone()
        kept, copies = db.execute("SELECT count(*), sum(kind != 'origin') FROM family_members"
                                  " WHERE kind != 'capture'").fetchone()  # a page's captures count once
    cards = page.locator(".card").all_inner_texts()
    assert any(f"{segments}\nSegments" in card for card in cards)
    assert any(f"{round(100 * copies / kept)}%" in card and f"{copies} of {kept}" in card for card in cards)
    assert page.locator(".legend .legend-item").count() == 6  # the five kinds of member, and captures


def test_a_family_leads_from_its_graph_to_a_copy_beside_its_parent(page, demo: Target) -> None:  # type: ignore[no-untyped-def]
    family, size = largest_family(demo)
    open_view(page, demo, "#/overview")
    page.get_by_role("link", name="Families", exact=True).click()
    page.locator(f"a[href='#/family/{family}']").click()
    page.wait_for_selector("svg.graph")
    assert page.locator("svg.graph circle.node").count() == size
    assert page.locator("svg.graph path.edge").count() >= 1
    page.locator("tr.member a.button").first.click()
    page.wait_for_selector("table.sidebyside")
    heading = page.locator("h1").inner_text()
    copy_id, parent_id = map(int, re.findall(r"#(\d+)", heading))
    with demo.db() as db:
        parent, = db.execute("SELECT parent_id FROM family_members WHERE segment_id = ?", (copy_id,)).fetchone()
    assert parent == parent_id
    assert page.locator("td.shared").count() >= 2  # a passage on each side


def test_a_rewrite_is_shown_sentence_by_sentence(page, demo: Target) -> None:  # type: ignore[no-untyped-def]
    with demo.db() as db:
        row = db.execute("SELECT segment_id, passages FROM family_members WHERE kind = 'rewrite' "
                         "AND parent_id IS NOT NULL LIMIT 1").fetchone()
    if row is None:
        pytest.skip("the demo case has no rewrite")
    open_view(page, demo, f"#/pair/{row[0]}")
    assert page.locator("tr.shared-row").count() > row[1].count("[[") + row[1].count("], [")  # more rows than passages
    assert page.locator("td.shared ins").count() > 0  # swapped words are marked


def test_searching_a_phrase_finds_the_segments_that_contain_it(page, demo: Target) -> None:  # type: ignore[no-untyped-def]
    family, _ = largest_family(demo)
    with demo.db() as db:
        text, = db.execute("SELECT text FROM segments WHERE id = (SELECT origin_id FROM families WHERE id = ?)",
                           (family,)).fetchone()
        tokens = text.split()
        words = next(tokens[i:i + 2] for i in range(len(tokens) // 3, len(tokens) - 1)
                     if all(re.fullmatch(r"[A-Za-z]{5,}", w) for w in tokens[i:i + 2]))
        expected = sum(1 for (t,) in db.execute("SELECT text FROM segments WHERE duplicate_of IS NULL")
                       if re.search(r"\b" + r"\W+".join(words) + r"\b", t, re.IGNORECASE))
    open_view(page, demo, "#/search")
    page.fill("input[name=q]", '"' + " ".join(words) + '"')
    page.get_by_role("button", name="Search").click()
    page.wait_for_selector(".result-count")
    assert expected >= 1
    assert page.locator(".result-count").inner_text().startswith(f"{expected} segment")
    assert words[0].lower() in page.locator(".hit mark").first.inner_text().lower()


def test_a_search_with_too_many_matches_to_rank_says_they_are_in_case_order(  # type: ignore[no-untyped-def]
        page, cases, servers, reports, monkeypatch: pytest.MonkeyPatch) -> None:
    app = target("app", "demo", cases, servers, reports)
    monkeypatch.setattr(read_index, "RANKED_MATCHES", 1)  # the app's threads read it at each search
    open_view(page, app, "#/search?q=said+the")
    count = page.locator(".result-count").inner_text()
    assert re.match(r"\d+ segments found", count) and "too many to rank by relevance, so in case order" in count
    ids = [int(i.lstrip("#")) for i in page.locator(".hit .segid").all_inner_texts()]
    assert len(ids) > 1 and ids == sorted(ids)


def test_filtering_by_kind_lists_only_that_kind(page, demo: Target) -> None:  # type: ignore[no-untyped-def]
    with demo.db() as db:
        exact, = db.execute("SELECT count(*) FROM family_members m JOIN segments s ON s.id = m.segment_id "
                            "WHERE m.kind = 'exact' AND s.duplicate_of IS NULL").fetchone()
    open_view(page, demo, "#/search")
    page.select_option("select[name=kind]", "exact")
    page.get_by_role("button", name="Search").click()
    page.wait_for_selector(".result-count")
    assert page.locator(".result-count").inner_text().startswith(f"{exact} segment")
    chips = page.locator(".hit .chip").all_inner_texts()
    assert chips and set(chips) == {"exact copy"}


def test_a_citation_carries_the_quote_hash_span_and_url(page, demo: Target, servers) -> None:  # type: ignore[no-untyped-def]
    with demo.db() as db:
        segment, = db.execute("SELECT segment_id FROM family_members WHERE parent_id IS NOT NULL "
                              "ORDER BY family_id, segment_id LIMIT 1").fetchone()
        sha, url, doc_text = db.execute(
            "SELECT i.sha256, d.url, d.text FROM segments s JOIN documents d ON d.id = s.document_id "
            "JOIN inputs i ON i.id = d.input_id WHERE s.id = ?", (segment,)).fetchone()
    open_view(page, demo, f"#/pair/{segment}")
    page.locator("button.cite").first.click()
    page.wait_for_selector("button.cite[data-copied='1']")
    citation = read_clipboard(page, servers["demo"].url)
    quote = re.match(r"“(.*)”", citation).group(1)
    start, end = map(int, re.search(r"characters (\d+)–(\d+) of the extracted text", citation).groups())
    assert f"Input SHA-256: {sha}" in citation
    assert f"URL: {url or 'none recorded'}" in citation
    assert " ".join(doc_text[start:end].split()) == quote


def read_clipboard(page, app_url: str) -> str:  # type: ignore[no-untyped-def]
    """The clipboard, read back from a page of the app (an http origin granted clipboard-read)."""
    reader = page.context.new_page()
    reader.goto(app_url + "#/statements")
    return reader.evaluate("navigator.clipboard.readText()")


def test_a_statement_with_an_altered_copy_shows_the_changed_words(page, request, cases, servers, reports) -> None:  # type: ignore[no-untyped-def]
    # A case whose statement is written through CaseStore, so the expected diff is exact.
    for name in TARGETS:
        t = target(name, "statements", cases, servers, reports)
        open_view(page, t, "#/statements")
        page.check("input[name=altered]")
        page.get_by_role("button", name="Filter").click()
        page.wait_for_selector(".result-count")
        page.locator(".statement a").first.click()
        page.wait_for_selector("blockquote.reference")
        assert page.locator("blockquote.reference").inner_text() == f"“{QUOTE}”"
        altered = page.locator(".occurrence.altered")
        assert altered.count() == 1
        assert altered.locator("del").all_inner_texts() == ["northern", "quay", "storms", "arrive"]
        assert altered.locator("ins").all_inner_texts() == ["north", "dock"]
        altered.locator("button.cite").click()
        page.wait_for_selector(".occurrence.altered button.cite[data-copied='1']")
        assert read_clipboard(page, servers["statements"].url).startswith(f"“{ALTERED}”")


def test_the_demo_spun_copy_shows_as_an_altered_statement(page, demo: Target) -> None:  # type: ignore[no-untyped-def]
    open_view(page, demo, "#/statements?speaker=Quintero&altered=1")  # the filter form's own address
    page.locator(".statement:has-text('Quintero') a").first.click()
    page.wait_for_selector("blockquote.reference")
    altered = page.locator(".occurrence.altered")
    altered.first.wait_for()
    assert "worldbuzz24" in altered.first.inner_text().lower()  # the content-farm copy
    assert altered.first.locator("del, ins").count() >= 1  # its changed words are shown


def test_the_report_is_one_file_that_loads_nothing_else(page, reports: dict[str, Path]) -> None:  # type: ignore[no-untyped-def]
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(reports["demo"].as_uri() + "#/overview")
    page.wait_for_selector("main[aria-busy=false]")
    assert [u for u in requested if not u.startswith("file:")] == []


# -- stories, outlet types and the timeline --------------------------------------------------

_EVENT_ORDER = "ORDER BY e.first_day IS NULL, e.first_day, e.date, e.segment_id, e.id"  # the timeline's (read_events)
_KEPT_EVENTS = "FROM events e JOIN segments s ON s.id = e.segment_id WHERE s.duplicate_of IS NULL"


def outlet_types(t: Target) -> dict[str, tuple[str, str | None]]:
    """Each outlet's name -> (its type, its suggested type), as docs/sources.md resolves them."""
    with t.db() as db:
        rows = db.execute("SELECT s.name, coalesce(u.type, s.known_type), s.suggested_type FROM sources s "
                          "LEFT JOIN source_types_set u ON u.key = s.key").fetchall()
    return {name: (kind, suggested) for name, kind, suggested in rows}


def shown_type(outlet) -> tuple[str | None, str | None]:  # type: ignore[no-untyped-def]
    """The type and the suggestion shown beside an outlet (a locator around its name and chips)."""
    kind, suggested = outlet.locator(":scope > .stype:not(.suggested)"), outlet.locator(":scope > .stype.suggested")
    return (kind.get_attribute("data-type") if kind.count() else None,
            suggested.get_attribute("data-suggested") if suggested.count() else None)


def test_the_stories_view_lists_every_story_and_leads_to_its_page(page, demo: Target) -> None:  # type: ignore[no-untyped-def]
    with demo.db() as db:
        stories = db.execute("SELECT id, title FROM stories ORDER BY independent_sources DESC, segments DESC, id").fetchall()
        story, heading = stories[0]
        segments = {s for (s,) in db.execute("SELECT m.segment_id FROM story_families f JOIN family_members m "
                                             "ON m.family_id = f.family_id WHERE f.story_id = ?", (story,))}
    open_view(page, demo, "#/overview")
    page.get_by_role("link", name="Stories", exact=True).click()
    page.wait_for_selector("table.stories")
    assert page.locator("tr.story").count() == len(stories) >= 1
    page.locator("tr.story a").first.click()
    page.wait_for_selector(".story-page")
    assert page.locator("h1").inner_text() == heading
    shown = {int(s.lstrip("#")) for s in page.locator(".story-segments tr.member .segid").all_inner_texts()}
    assert shown == segments


def test_a_story_page_shows_each_outlet_with_its_type(page, demo: Target) -> None:  # type: ignore[no-untyped-def]
    types = outlet_types(demo)
    with demo.db() as db:
        stories = [story for (story,) in db.execute("SELECT id FROM stories")]
    for story in stories:
        open_view(page, demo, f"#/story/{story}")
        outlets = page.locator("ul.outlets:not(.agencies) > li")
        assert outlets.count() >= 1
        for outlet in outlets.all():  # an outlet the registry does not know (no URL, site or credit) shows no type
            assert shown_type(outlet) == types.get(outlet.locator(".outlet").inner_text(), (None, None))
        assert any(shown_type(outlet)[0] for outlet in outlets.all())


def test_a_story_page_has_its_timeline_linked_to_each_segment(page, demo: Target) -> None:  # type: ignore[no-untyped-def]
    with demo.db() as db:
        story, = db.execute("SELECT id FROM stories ORDER BY independent_sources DESC, segments DESC, id").fetchone()
        expected = [segment for (segment,) in db.execute(
            f"SELECT e.segment_id {_KEPT_EVENTS} AND e.segment_id IN (SELECT m.segment_id FROM story_families f "
            f"JOIN family_members m ON m.family_id = f.family_id WHERE f.story_id = ?) {_EVENT_ORDER}", (story,))]
    open_view(page, demo, f"#/story/{story}")
    shown = [int(s.lstrip("#")) for s in page.locator(".story-page table.events tr.event .segid").all_inner_texts()]
    assert shown == expected[:200] and shown


def test_the_case_timeline_pages_every_event_in_date_order(page, demo: Target) -> None:  # type: ignore[no-untyped-def]
    with demo.db() as db:
        expected = [segment for (segment,) in db.execute(f"SELECT e.segment_id {_KEPT_EVENTS} {_EVENT_ORDER}")]
        published, = db.execute(f"SELECT count(*) {_KEPT_EVENTS} AND e.kind = 'published'").fetchone()
    open_view(page, demo, "#/overview")
    page.get_by_role("link", name="Timeline", exact=True).click()
    page.wait_for_selector("table.events")
    assert page.locator(".result-count").inner_text() == f"{len(expected)} events"
    segment_ids = "table.events tr.event .segid"
    first = [int(s.lstrip("#")) for s in page.locator(segment_ids).all_inner_texts()]
    assert first == expected[:50]
    if len(expected) > 50:
        page.get_by_role("link", name="next →").click()
        page.locator(".pager", has_text="page 2 of").wait_for()
        assert [int(s.lstrip("#")) for s in page.locator(segment_ids).all_inner_texts()] == expected[50:100]
    page.select_option("select[name=kind]", "published")
    page.get_by_role("button", name="Filter").click()
    page.locator(".result-count", has_text=re.compile(rf"^{published} events?$")).wait_for()
    assert set(page.locator("table.events .ekind").all_inner_texts()) == {"published"}


def test_a_mentioned_date_leads_to_its_words_in_the_document(page, demo: Target) -> None:  # type: ignore[no-untyped-def]
    with demo.db() as db:
        text, = db.execute(f"SELECT e.text {_KEPT_EVENTS} AND e.kind = 'mentioned' {_EVENT_ORDER} LIMIT 1").fetchone()
    open_view(page, demo, "#/timeline?kind=mentioned")
    page.locator("table.events tr.event td:nth-child(3) a").first.click()
    page.wait_for_selector(".doctext .focus-span")
    assert "".join(page.locator(".doctext .focus-span").all_inner_texts()) == text


def test_an_outlet_shows_its_type_and_a_suggestion_only_as_one(page, cases, servers, reports) -> None:  # type: ignore[no-untyped-def]
    # An aggregator the sources step suggests but never types, and a wire typed by the user.
    for name in TARGETS:
        t = target(name, "sources", cases, servers, reports)
        types = outlet_types(t)
        with t.db() as db:
            family, = db.execute("SELECT min(family_id) FROM family_members").fetchone()
        open_view(page, t, f"#/family/{family}")
        outlets = page.locator("tr.member .outlet-typed")
        assert outlets.count() >= 2
        for outlet in outlets.all():
            assert shown_type(outlet) == types[outlet.locator("a.ext").inner_text()]
        aggregator = page.locator("tr.member .outlet-typed", has_text="Buzzfeedly").first
        assert aggregator.locator(".stype").all_inner_texts() == ["unknown", "suggested: aggregator"]
        credit = page.locator("tr.member .credit").first  # "credit: EW", a name the wire is credited under
        assert "credit: EW" in credit.inner_text() and shown_type(credit) == types["Example Wire"] == ("wire", None)
        open_view(page, t, "#/search?outlet=buzzfeedly")
        hits = page.locator(".hit .meta .outlet-typed")
        assert hits.count() >= 1 and {shown_type(hit) for hit in hits.all()} == {types["Buzzfeedly"]}


# -- claims -----------------------------------------------------------------------------------

def test_the_claims_view_sets_contesting_positions_beside_supporting_ones(page, demo: Target) -> None:  # type: ignore[no-untyped-def]
    from sourcetrace.store import CaseReader

    with CaseReader(demo.case) as reader:
        claims = reader.claims()
        claim = max(claims, key=lambda c: (c.supporting_sources > 0 and c.contesting_sources > 0, c.positions))
        view = reader.claim(claim.id)
    assert view is not None and view.supporting and view.contesting  # the demo claims have both sides
    open_view(page, demo, "#/overview")
    assert any(f"{len(claims)}\nClaims" in card for card in page.locator(".card").all_inner_texts())
    page.get_by_role("link", name="Claims", exact=True).click()
    page.wait_for_selector("table.claims")
    assert page.locator("tr.claim").count() == len(claims)
    assert page.locator("tr.claim td:first-child").all_inner_texts() == [c.text for c in claims]
    page.locator(f"tr.claim a[href='#/claim/{claim.id}']").click()
    page.wait_for_selector(".claim-page")
    assert page.locator("h1").inner_text() == claim.text
    supports, contests = page.locator(".claim-sides .claim-side.supports"), page.locator(".claim-sides .claim-side.contests")
    assert supports.locator("h2").inner_text() == f"Supports ({claim.supporting_sources} independent source" + (
        "s)" if claim.supporting_sources != 1 else ")")
    assert contests.locator("h2").inner_text().startswith(f"Contests ({claim.contesting_sources} independent source")
    assert supports.locator("li.position").count() == len(view.supporting)
    assert contests.locator("li.position").count() == len(view.contesting)
    for side, positions in (("supports", view.supporting), ("contests", view.contesting)):  # one entry per source
        entries = page.locator(f".claim-sides .claim-side.{side} > ol.positions > li.position")
        assert entries.count() == len(positions_by_source(positions))
        folded = sum(len(s.positions) - 1 for s in positions_by_source(positions))
        assert page.locator(f".claim-sides .claim-side.{side} details.copies li.position").count() == folded
    first = contests.locator("li.position").first
    position = view.contesting[0]
    assert first.locator(":scope > .snippet").inner_text() == f"“{position.text}”"
    assert position.cue in first.inner_text() and f"family {position.family}" in first.inner_text()
    assert first.locator(":scope > .meta .outlet-typed .stype").count() >= 1 or position.segment.source is None
    assert first.locator(":scope > .meta button.cite").count() == 1
    first.locator(f":scope > .meta a[href^='#/document/{position.segment.document}?segment={position.segment.id}&start=']").click()
    page.wait_for_selector(".doctext .focus-span")
    story = claim.stories[0]
    open_view(page, demo, f"#/story/{story}")
    listed = page.locator(".story-page table.claims tr.claim a").all_inner_texts()
    assert listed == [c.text for c in claims if story in c.stories]


def test_a_citation_of_a_warc_copy_names_its_record_id_and_target_uri(page, demo: Target, servers) -> None:  # type: ignore[no-untyped-def]
    with demo.db() as db:
        segment, record_id, target_uri = db.execute(
            "SELECT m.segment_id, d.record_id, d.url FROM family_members m JOIN segments s ON s.id = m.segment_id "
            "JOIN documents d ON d.id = s.document_id JOIN inputs i ON i.id = d.input_id "
            "WHERE m.parent_id IS NOT NULL AND i.kind = 'warc' ORDER BY m.segment_id LIMIT 1").fetchone()
    open_view(page, demo, f"#/pair/{segment}")
    page.locator("button.cite").first.click()
    page.wait_for_selector("button.cite[data-copied='1']")
    citation = read_clipboard(page, servers["demo"].url)
    assert f"WARC-Record-ID: {record_id}" in citation.splitlines()
    assert f"WARC-Target-URI: {target_uri}" in citation.splitlines()
