"""The self-contained HTML report."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import asdict
from pathlib import Path

import pytest

from sourcetrace.report.html import (
    ReportBudget,
    embed_json,
    report_data,
    write_report,
)
from sourcetrace.store import CaseReader, CaseStore
from sourcetrace.views.viewer import asset
from tests.web.cases import CLOSE_SCRIPT, SCRIPT_TAG, build_hostile_case


@pytest.fixture(scope="module")
def hostile_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_hostile_case(tmp_path_factory.mktemp("hostile"))


def write(case: Path, target: Path, budget: ReportBudget | None = None) -> str:
    with CaseReader(case) as reader:
        write_report(reader, target, budget or ReportBudget())
    return target.read_text(encoding="utf-8")


def embedded(page: str) -> str:
    return re.search(r'<script type="application/json" id="case-data">(.*?)</script>', page, re.DOTALL).group(1)


def sha256_source(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


def test_embedded_json_cannot_close_its_script_block_or_break_a_line() -> None:
    value = {"text": CLOSE_SCRIPT + " & <!-- \u2028 \u2029 >"}
    text = embed_json(value)
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == value


def test_hostile_texts_are_embedded_only_as_escaped_data(hostile_case: Path, tmp_path: Path) -> None:
    page = write(hostile_case, tmp_path / "r.html")
    data = embedded(page)
    assert "<" not in data and "\u2028" not in data
    assert page.count("<script") == 2  # the data block and the viewer; none from the case
    decoded = json.loads(data)
    assert any(SCRIPT_TAG in (seg["title"] or "") for seg in decoded["segments"].values())


def test_the_policy_allows_only_the_reports_own_script_and_style(hostile_case: Path, tmp_path: Path) -> None:
    page = write(hostile_case, tmp_path / "r.html")
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert f"script-src {sha256_source(asset('app.js'))};" in policy
    assert f"style-src {sha256_source(asset('app.css'))};" in policy
    assert f"<script>{asset('app.js')}</script>" in page


def test_the_report_loads_nothing_from_elsewhere(hostile_case: Path, tmp_path: Path) -> None:
    page = write(hostile_case, tmp_path / "r.html")
    static = page.replace(embedded(page), "")
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", static)


def test_the_viewer_never_turns_text_into_markup() -> None:
    script = asset("app.js")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in script


def test_every_family_is_embedded_with_its_members_passages_and_texts(case_with_copy_map: Path) -> None:
    with CaseReader(case_with_copy_map) as reader:
        data = json.loads(embed_json(report_data(reader)))  # as the page carries it
        [stored] = reader.families()
    family, = data["families"]
    members = {m.segment.id: [list(p) for p in m.passages] for m in stored.members}
    assert {m["segment"]: m["passages"] for m in family["members"]} == members
    assert [m["passages"] for m in family["members"] if m["kind"] == "rewrite"] == [[[0, 40, 0, 40]]]
    assert {str(m["segment"]) for m in family["members"]} <= set(data["segments"])
    assert set(data["texts"]) >= {str(s) for s in members}
    assert data["limits"]["note"] == ""


def test_a_report_over_budget_keeps_the_copy_map_and_says_what_it_left_out(case_with_copy_map: Path) -> None:
    with CaseReader(case_with_copy_map) as reader:
        data = report_data(reader, ReportBudget(segments=1, text_chars=0, document_chars=0))
    member_ids = {str(m["segment"]) for f in data["families"] for m in f["members"]}
    assert member_ids <= set(data["texts"])  # the texts the side-by-side view needs stay
    assert data["documents"] == {}
    assert "some documents" in data["limits"]["note"]


def test_the_report_embeds_stored_statements_with_their_altered_copies(tmp_path: Path) -> None:
    from tests.web.cases import ALTERED, build_statements_case

    with CaseReader(build_statements_case(tmp_path)) as reader:
        data = report_data(reader)
    statement, = data["statements"]
    assert data["overview"]["statements_available"] is True
    assert [o["text"] for o in statement["occurrences"] if o["altered"]] == [ALTERED]


def test_a_report_over_its_statement_budget_keeps_the_most_repeated_and_says_so(tmp_path: Path) -> None:
    from tests.web.cases import build_statements_case

    with CaseReader(build_statements_case(tmp_path)) as reader:
        total = reader.statements_page().total
        data = report_data(reader, ReportBudget(statements=total - 1))
        whole = report_data(reader, ReportBudget(statements=total))
    assert len(data["statements"]) == total - 1
    assert f"statements beyond the {total - 1:,} most repeated" in data["limits"]["note"]
    assert "statements" not in whole["limits"]["note"]


def test_a_case_without_statements_embeds_none(case_with_copy_map: Path) -> None:
    with CaseStore(case_with_copy_map) as store:
        store.replace_statements([])
    with CaseReader(case_with_copy_map) as reader:
        data = report_data(reader)
    assert data["statements"] == [] and data["overview"]["statements_available"] is False


def test_the_report_embeds_stories_outlets_and_the_timeline(hostile_case: Path) -> None:
    with CaseReader(hostile_case) as reader:
        data = json.loads(embed_json(report_data(reader)))  # as the page carries it
        stories, sources, events = reader.stories(), reader.sources(), reader.events()
        views = {s.id: reader.story(s.id) for s in stories}
    assert stories and events and sources
    assert data["stories"] == [json.loads(json.dumps(asdict(s))) for s in stories]
    assert data["sources"] == [json.loads(json.dumps(asdict(s))) for s in sources]
    assert [e["id"] for e in data["events"]] == [e.id for e in events]
    for story_id, view in views.items():
        embedded_view = data["story_views"][str(story_id)]
        assert embedded_view["segments"] == [s.id for s in view.segments]
        assert [e["id"] for e in embedded_view["events"]] == [e.id for e in view.events]
        assert embedded_view["families"] == list(view.families)
    published = {s["source"] for s in data["segments"].values()} - {None}
    assert published and published <= {s.id for s in sources}  # each segment names its outlet, for its type
    assert data["limits"]["note"] == ""


def test_a_report_over_its_story_and_event_budgets_keeps_the_first_and_says_so(hostile_case: Path) -> None:
    with CaseReader(hostile_case) as reader:
        data = report_data(reader, ReportBudget(stories=0, events=1))
        first = reader.events_page(1, per_page=1).items[0]
    assert data["stories"] == [] and data["story_views"] == {}
    assert [e["id"] for e in data["events"]] == [first.id]
    assert "stories beyond the 0 with the most sources" in data["limits"]["note"]
    assert "events after the first 1 of the timeline" in data["limits"]["note"]


def test_the_report_embeds_the_claims_with_their_positions(hostile_case: Path) -> None:
    with CaseReader(hostile_case) as reader:
        data = json.loads(embed_json(report_data(reader)))
        claims = reader.claims()
        views = {c.id: reader.claim(c.id) for c in claims}
    assert claims and data["claims"] == [json.loads(json.dumps(asdict(c))) for c in claims]
    for claim_id, view in views.items():
        assert view is not None
        embedded = data["claim_views"][str(claim_id)]
        for side in ("supporting", "contesting", "reporting"):
            positions = getattr(view, side)
            assert [p["segment"] for p in embedded[side]] == [p.segment.id for p in positions]  # by id, as a story's
            assert [p["text"] for p in embedded[side]] == [p.text for p in positions]
            assert {str(p.segment.id) for p in positions} <= set(data["segments"])
    assert data["limits"]["note"] == ""


def test_a_report_over_its_claim_budget_keeps_the_first_and_says_so(hostile_case: Path) -> None:
    with CaseReader(hostile_case) as reader:
        data = report_data(reader, ReportBudget(claims=0))
    assert data["claims"] == [] and data["claim_views"] == {}
    assert "claims beyond the first 0" in data["limits"]["note"]


def test_a_report_over_its_segment_budget_still_lists_every_segment_of_its_stories(tmp_path: Path) -> None:
    from tests.web.cases import build_demo_case

    with CaseReader(build_demo_case(tmp_path)) as reader:
        data = report_data(reader, ReportBudget(segments=0))
        in_stories = {s.id for story in reader.stories() for s in reader.story(story.id).segments}
    in_families = {m["segment"] for f in data["families"] for m in f["members"]}
    assert in_stories - in_families  # a story segment that no copy map alone would have embedded
    assert {str(s) for s in in_stories} <= set(data["segments"])
    assert "segments outside families, stories and claims" in data["limits"]["note"]


def test_a_report_of_inputs_under_a_folder_names_no_absolute_path_unless_asked(
        case_with_copy_map: Path, tmp_path: Path) -> None:
    from sourcetrace.api import open_case

    case = open_case(case_with_copy_map)
    try:
        page = case.report(tmp_path / "mailed.html").read_text(encoding="utf-8")
        full = case.report(tmp_path / "full.html", full_paths=True).read_text(encoding="utf-8")
    finally:
        case.close()
    assert str(tmp_path) not in page and json.dumps(str(tmp_path))[1:-1] not in page
    assert '"path":"in/a.txt"' in embedded(page)  # relative to the parent of the folder the run was given
    assert str(tmp_path / "in" / "a.txt") in full
