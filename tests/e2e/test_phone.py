"""On a phone (420 px wide) every view fits the screen: the page never scrolls sideways.

The navigation wraps, list tables stack each row (app.css, under a media
query); wide content (the provenance graph) scrolls inside its own box.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Target, target

PHONE_WIDTH = 420


@pytest.fixture(params=["app", "report"])
def demo(request: pytest.FixtureRequest, cases, servers, reports) -> Target:  # type: ignore[no-untyped-def]
    return target(request.param, "demo", cases, servers, reports)


@pytest.fixture
def phone(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 800})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def view_hashes(t: Target) -> list[str]:
    """One of every view, on items of the case read from the case itself."""
    with t.db() as db:
        family, = db.execute("SELECT id FROM families ORDER BY size DESC, id LIMIT 1").fetchone()
        copy, document = db.execute("SELECT m.segment_id, s.document_id FROM family_members m JOIN segments s "
                                    "ON s.id = m.segment_id WHERE m.parent_id IS NOT NULL LIMIT 1").fetchone()
        story, = db.execute("SELECT min(id) FROM stories").fetchone()
        claim, = db.execute("SELECT min(id) FROM claims").fetchone()
        statement, = db.execute("SELECT min(id) FROM statements").fetchone()
    return ["#/overview", "#/families", f"#/family/{family}", f"#/pair/{copy}", f"#/document/{document}",
            "#/search?q=detention", "#/problems", "#/statements", f"#/statement/{statement}", "#/stories",
            f"#/story/{story}", "#/claims", f"#/claim/{claim}", "#/timeline"]


def test_no_view_scrolls_sideways_on_a_phone(phone, demo: Target) -> None:  # type: ignore[no-untyped-def]
    too_wide = {}
    for hash_ in view_hashes(demo):
        phone.goto(demo.url + hash_)
        phone.wait_for_selector("main[aria-busy=false]")
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > PHONE_WIDTH:
            too_wide[hash_] = width
    assert too_wide == {}


def test_on_a_phone_the_members_table_stacks_its_rows_with_their_column_names(phone, demo: Target) -> None:  # type: ignore[no-untyped-def]
    with demo.db() as db:
        family, = db.execute("SELECT id FROM families ORDER BY size DESC, id LIMIT 1").fetchone()
    phone.goto(demo.url + f"#/family/{family}")
    phone.wait_for_selector("tr.member")
    assert phone.locator("tr.member").first.evaluate("row => getComputedStyle(row).display") == "block"
    assert phone.locator("tr.member td[data-label]").count() > 0
    assert phone.locator("nav.top").evaluate("nav => nav.scrollWidth <= nav.clientWidth")
