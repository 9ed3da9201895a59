"""Crawled text is hostile: on a case full of script injections, every view runs nothing."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Target, target
from tests.web.cases import BIDI_NAME, BIDI_ROLE, BIDI_TITLE, HANDLER, SCRIPT_TAG, SPEAKER


@pytest.fixture(params=["app", "report"])
def hostile(request: pytest.FixtureRequest, cases, servers, reports) -> Target:  # type: ignore[no-untyped-def]
    return target(request.param, "hostile", cases, servers, reports)


def views(t: Target) -> list[str]:
    with t.db() as db:
        family, = db.execute("SELECT id FROM families ORDER BY size DESC LIMIT 1").fetchone()
        copies = [row[0] for row in db.execute("SELECT segment_id FROM family_members WHERE parent_id IS NOT NULL")]
        documents = [row[0] for row in db.execute("SELECT id FROM documents")]
        stories = [row[0] for row in db.execute("SELECT id FROM stories")]
        claims = [row[0] for row in db.execute("SELECT id FROM claims")]
        statements = [row[0] for row in db.execute("SELECT id FROM statements")]
        spans = [f"#/document/{d}?segment={s}&start={a}&end={b}" for d, s, a, b in db.execute(
            "SELECT s.document_id, e.segment_id, e.start, e.\"end\" FROM events e JOIN segments s ON s.id = e.segment_id"
            " WHERE e.start IS NOT NULL")]
    return (["#/overview", "#/families", f"#/family/{family}", "#/problems", "#/search?q=script",
             "#/search?q=%22window.__pwned%22&kind=exact", "#/stories", "#/timeline", "#/timeline?kind=mentioned", "#/claims"]
            + [f"#/pair/{c}" for c in copies] + [f"#/document/{d}" for d in documents]
            + [f"#/story/{s}" for s in stories] + [f"#/timeline?story={s}" for s in stories] + [f"#/claim/{c}" for c in claims]
            + [f"#/claims?story={s}" for s in stories] + spans
            + ["#/statements", "#/statements?speaker=img"] + [f"#/statement/{s}" for s in statements])


def test_no_view_runs_a_script_from_the_case(page, hostile: Target) -> None:  # type: ignore[no-untyped-def]
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    for view in views(hostile):
        page.goto(hostile.url + view)
        page.wait_for_selector("main[aria-busy=false]")
        assert page.evaluate("window.__pwned") is None, view
        assert page.locator("a[href^='javascript:' i]").count() == 0, view
        assert page.locator("main script, main img, main iframe").count() == 0, view
    assert page.dialogs == [] and errors == []


def test_hostile_text_is_shown_as_text(page, hostile: Target) -> None:  # type: ignore[no-untyped-def]
    with hostile.db() as db:
        family, = db.execute("SELECT min(id) FROM families").fetchone()
    page.goto(hostile.url + f"#/family/{family}")
    page.wait_for_selector("svg.graph")
    shown = page.locator("main").inner_text()
    assert SCRIPT_TAG in shown  # the title, literally
    page.goto(hostile.url + "#/problems")
    page.wait_for_selector("table.problems")
    assert HANDLER in page.locator("table.problems").inner_text()  # the hostile file name
    with hostile.db() as db:
        story, = db.execute("SELECT min(id) FROM stories").fetchone()
        claim, = db.execute("SELECT min(id) FROM claims").fetchone()
    for view in ("#/stories", f"#/story/{story}", "#/timeline", "#/claims", f"#/claim/{claim}"):
        page.goto(hostile.url + view)
        page.wait_for_selector("main[aria-busy=false]")
        assert SCRIPT_TAG in page.locator("main").inner_text(), view  # the story's and its segment's title


def test_a_javascript_url_is_not_a_link(page, hostile: Target) -> None:  # type: ignore[no-untyped-def]
    with hostile.db() as db:
        document, = db.execute("SELECT id FROM documents WHERE url LIKE 'javascript:%'").fetchone()
    page.goto(hostile.url + f"#/document/{document}")
    page.wait_for_selector("dl.facts")
    assert "javascript:" in page.locator("dl.facts").inner_text()
    assert page.locator("dl.facts a").count() == 0


def test_hostile_speakers_titles_and_names_are_shown_as_given(page, hostile: Target) -> None:  # type: ignore[no-untyped-def]
    """A script as a speaker's name, bidi overrides and control characters in a
    title, a role and a file name: shown as the same characters, run as nothing."""
    with hostile.db() as db:
        statement, = db.execute("SELECT id FROM statements WHERE speaker = ?", (SPEAKER,)).fetchone()
        document, = db.execute("SELECT id FROM documents WHERE title = ?", (BIDI_TITLE,)).fetchone()
    for view in ("#/statements", f"#/statement/{statement}"):
        page.goto(hostile.url + view)
        page.wait_for_selector("main[aria-busy=false]")
        shown = page.locator("main").inner_text()
        assert SPEAKER in shown and BIDI_ROLE in shown, view
        assert page.evaluate("window.__pwned") is None, view
    page.goto(hostile.url + f"#/document/{document}")
    page.wait_for_selector("main[aria-busy=false]")
    assert BIDI_TITLE in page.locator("main").inner_text()  # overrides and control characters kept, as text
    page.goto(hostile.url + "#/problems")
    page.wait_for_selector("table.problems")
    assert BIDI_NAME in page.locator("table.problems").inner_text()  # the file name, every character kept
    assert page.evaluate("window.__pwned") is None
