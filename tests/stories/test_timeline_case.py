"""The timeline in a run: the published time of day kept from the page, the export's events, the command and the API.

The pages are fiction written for these tests.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sourcetrace.api import open_case
from sourcetrace.cli import cli
from sourcetrace.runner import RunOptions, run_case

WIRE = ("Floods struck the Oster valley on Tuesday, killing at least nine people, officials said. "
        "The Brenna dam, built in 1971, was last inspected in March 2021, and its operator had warned last month "
        "that the spillway needed repairs. Rescue teams arrived the next day from Kessary.")
OTHER = ("The central bank of Vardenia held its main rate at 4.25 percent on Thursday. "
         "Inflation fell to 3.1 percent in February from 3.6 percent in January, the bank said.")
PAGE = """<html><head><title>Sirens stayed silent in Hollin</title>
<meta property="article:published_time" content="2024-05-03T07:15:00+02:00">
</head><body><article><h1>Sirens stayed silent in Hollin</h1>
<p>Residents of Hollin said on Friday that no siren sounded before the water came. The town's warning system,
installed in the 1990s, was tested for the last time in June 2023, according to council minutes seen by reporters.</p>
<p>The council will meet next Monday to hear the engineers, the mayor's office said in a statement. Families who lost
their homes have been housed in the school gymnasium since Thursday, and donations have arrived from across the
province.</p></article></body></html>"""


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pages")
    rows = [{"url": "https://northwire.example/floods", "title": "Floods kill nine", "date": "2024-05-02T06:10:00Z",
             "text": WIRE},
            {"url": "https://gazette.example/floods", "title": "Nine dead in floods", "date": "2024-05-02",
             "text": WIRE},
            {"url": "https://gazette.example/rates", "title": "Rates on hold", "date": "2024-03-07", "text": OTHER}]
    (root / "feed.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    (root / "hollin.html").write_text(PAGE, encoding="utf-8")
    path = root / "c.case"
    run_case([root / "feed.jsonl", root / "hollin.html"], path, RunOptions(workers=1))
    return path


def exported(case: Path) -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["export", str(case), "--json", "-"])
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def test_a_page_publication_time_of_day_reaches_its_published_event(case: Path) -> None:
    with open_case(case) as opened:
        published = {e.title: e.date for e in opened.events() if e.kind == "published"}
    assert published["Sirens stayed silent in Hollin"] == "2024-05-03T07:15:00+02:00"
    assert published["Floods kill nine"] == "2024-05-02T06:10:00Z"
    assert published["Rates on hold"] == "2024-03-07"


def test_the_export_has_every_event_with_its_span_in_the_segment_text(case: Path) -> None:
    data = exported(case)
    texts = {s["id"]: s["text"] for s in data["segments"]}
    events = data["events"]
    assert {"id", "date", "kind", "segment", "start", "end", "text", "story"} <= set(events[0])
    mentioned = [e for e in events if e["kind"] == "mentioned"]
    assert mentioned and all(texts[e["segment"]][e["start"]:e["end"]] == e["text"] for e in mentioned)
    assert {e["segment"] for e in events if e["kind"] == "published"} == set(texts)
    assert [e["id"] for e in events] == sorted(e["id"] for e in events)
    hollin = {e["text"]: e["date"] for e in mentioned if "Residents of Hollin" in texts[e["segment"]]}
    assert hollin["Friday"] == "2024-05-03" and hollin["next Monday"] == "2024-05-06" and hollin["1990s"] == "199"


def test_a_story_limits_the_timeline_to_its_segments(case: Path) -> None:
    with open_case(case) as opened:
        stories = opened.stories()
        assert stories, "the wire and its copy make a story"
        story = stories[0].id
        events = opened.events(story)
        segments = {s.id for s in opened.story(story).segments}  # type: ignore[union-attr]
    assert events and {e.segment for e in events} == segments
    assert all(e.story == story for e in events)


def test_the_command_lists_events_in_date_order_and_refuses_an_unknown_story(case: Path) -> None:
    listed = CliRunner().invoke(cli, ["timeline", str(case), "--limit", "0"])
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    assert any('"March 2021"' in line and line.startswith("2021-03 ") for line in lines)
    dates = [line.split()[0] for line in lines if not line.startswith("(unresolved)")]
    assert dates == sorted(dates, key=lambda d: d.replace("199", "1990", 1) if len(d) == 3 else d)
    unknown = CliRunner().invoke(cli, ["timeline", str(case), "--story", "999999"])
    assert unknown.exit_code == 1 and "no story 999999" in unknown.output
