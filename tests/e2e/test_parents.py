"""A family's graph in the app and the report: an arrow the evidence does not decide is dashed, says why,
and the legend says what a dashed arrow means (docs/copies.md#parents)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from sourcetrace.report.html import write_report
from sourcetrace.store import CaseReader
from sourcetrace.views import DASHED_LEGEND
from sourcetrace.web.app import make_server
from tests.e2e.conftest import Target
from tests.reuse.undecided_case import build_undecided_case, segment_of


@pytest.fixture(scope="module")
def undecided(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Target]]:
    folder = tmp_path_factory.mktemp("undecided")
    case = build_undecided_case(folder)
    with CaseReader(case) as reader:
        write_report(reader, folder / "report.html")
    server = make_server(case)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield {"app": Target("app", case, server.url), "report": Target("report", case, (folder / "report.html").as_uri())}
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("name", ["app", "report"])
def test_undecided_arrows_are_dashed_with_their_reason_and_decided_ones_solid(  # type: ignore[no-untyped-def]
    page, undecided: dict[str, Target], name: str
) -> None:
    t = undecided[name]
    with t.db() as db:
        (family,) = db.execute("SELECT id FROM families ORDER BY size DESC LIMIT 1").fetchone()
        undecided_ids = {
            s
            for (s,) in db.execute(
                "SELECT segment_id FROM family_members WHERE parent_id IS NOT NULL AND parent_basis != 'evidence'"
            )
        }
    assert undecided_ids == {segment_of("edited_again"), segment_of("plain_1"), segment_of("plain_2")}
    page.goto(t.url + f"#/family/{family}")
    page.wait_for_selector("svg.graph path.edge")
    dashed = page.locator("svg.graph path.edge.uncertain")
    assert dashed.count() == len(undecided_ids)
    titles = [dashed.nth(i).locator("title").text_content() for i in range(dashed.count())]
    assert any("dashed: which of the two copied the other is not shown by the evidence" in t for t in titles)
    assert any(f"dashed: equally close to #{segment_of('wire')} and #{segment_of('plain_2')};" in t for t in titles)
    solid = page.locator("svg.graph path.edge:not(.uncertain)")
    assert solid.count() == 1 and solid.get_attribute("data-basis") == "evidence"  # the edited copy, dated after
    assert DASHED_LEGEND in page.locator(".graph-legend").inner_text()
    notes = page.locator("tr.member .undecided").all_inner_texts()
    assert len(notes) == len(undecided_ids) and all("undecided (dashed)" in n for n in notes)
