"""The stories step in a run: stored per segment and per story, exported, listed, and incremental.

The pages are fiction written for these tests (the texts of test_stories.py).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from test_stories import QUAKE_INDEPENDENT, QUAKE_OTHER, QUAKE_OTHER_INDEPENDENT, QUAKE_WIRE, REHAB_ACTOR, REHAB_SINGER

from sourcetrace.api import open_case
from sourcetrace.cli import cli
from sourcetrace.runner import RunOptions, run_case

ONE_WORKER = RunOptions(workers=1)
QUAKE_TITLE = "Quake kills 14 in Dorvan province"

FIRST = [
    {"url": "https://www.northwire.example/2025/02/06/quake", "title": QUAKE_TITLE, "date": "2025-02-06T06:10:00Z",
     "text": QUAKE_WIRE},
    {"url": "https://coastgazette.example/world/quake", "title": "Deadly quake in Dorvan", "date": "2025-02-06T09:00:00Z",
     "text": QUAKE_WIRE},
    {"url": "https://www.northwire.example/2025/03/20/quake", "title": "Quake kills three in Terrel",
     "date": "2025-03-20T19:00:00Z", "text": QUAKE_OTHER},
]
SECOND = [
    {"url": "https://valleyherald.example/skelby", "title": "Skelby sleeps in the streets", "date": "2025-02-07T07:00:00Z",
     "text": QUAKE_INDEPENDENT},
    {"url": "https://hilltimes.example/mossgate", "title": "Three dead in Mossgate", "date": "2025-03-21T08:00:00Z",
     "text": QUAKE_OTHER_INDEPENDENT},
    {"url": "https://hilltimes.example/rehab", "title": "Marchetti in rehab", "date": "2025-02-06T10:00:00Z",
     "text": REHAB_SINGER},
    {"url": "https://coastgazette.example/rehab", "title": "Whitcombe in rehab", "date": "2025-02-07T10:00:00Z",
     "text": REHAB_ACTOR},
]


def write_feed(path: Path, rows: list[dict[str, str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def feeds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("feeds")
    return write_feed(root / "first.jsonl", FIRST), write_feed(root / "second.jsonl", SECOND)


@pytest.fixture(scope="module")
def case(feeds: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("case") / "at-once.case"
    run_case(list(feeds), path, ONE_WORKER)
    return path


def exported_stories(case: Path) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """The export's stories, and its segments by URL."""
    result = CliRunner().invoke(cli, ["export", str(case), "--json", "-"])
    assert result.exit_code == 0, result.output
    export = json.loads(result.stdout)
    documents = {d["id"]: d["url"] for d in export["documents"]}
    return export["stories"], {documents[s["document"]]: s for s in export["segments"]}


def story_with(stories: list[dict[str, Any]], segment: dict[str, Any]) -> dict[str, Any] | None:
    return next((story for story in stories if segment["id"] in story["segments"]), None)


def test_a_run_groups_the_reports_of_each_event_and_keeps_the_others_apart(case: Path) -> None:
    stories, by_url = exported_stories(case)
    skelby = story_with(stories, by_url[FIRST[0]["url"]])
    mossgate = story_with(stories, by_url[FIRST[2]["url"]])
    assert skelby is not None and mossgate is not None and skelby != mossgate
    assert {by_url[FIRST[1]["url"]]["id"], by_url[SECOND[0]["url"]]["id"]} <= set(skelby["segments"])
    assert by_url[SECOND[1]["url"]]["id"] in mossgate["segments"]
    assert story_with(stories, by_url[SECOND[2]["url"]]) is None  # nobody else reports it
    assert skelby["title"] == QUAKE_TITLE
    assert skelby["independent_sources"] == 2  # the wire with the copy crediting it, and the Herald
    # The registry joins northwire.example with the "Northwire" its copies credit.
    assert skelby["outlets"] == ["Northwire", "coastgazette.example", "valleyherald.example"]
    assert skelby["first_published"].startswith("2025-02-06") and skelby["last_published"].startswith("2025-02-07")
    assert skelby["id"] == min(skelby["families"])


def test_a_segment_is_in_at_most_one_story_and_a_family_is_never_split(case: Path) -> None:
    stories, _ = exported_stories(case)
    listed = [segment for story in stories for segment in story["segments"]]
    assert len(listed) == len(set(listed))
    with sqlite3.connect(case) as db:
        members = dict(db.execute("SELECT segment_id, family_id FROM family_members"))
    for story in stories:
        assert {members[s] for s in story["segments"]} == set(story["families"])
        assert sorted(story["segments"]) == sorted(s for s, f in members.items() if f in story["families"])


def test_a_case_extended_by_a_run_has_the_stories_of_the_case_built_at_once(
        feeds: tuple[Path, Path], case: Path, tmp_path: Path) -> None:
    first, _ = feeds
    extended = tmp_path / "extended.case"
    run_case([first], extended, ONE_WORKER)
    run_case(list(feeds), extended, ONE_WORKER)
    assert exported_stories(extended) == exported_stories(case)
    with sqlite3.connect(extended) as db:
        counters = json.loads(db.execute(
            "SELECT counters FROM run_steps WHERE run_id = 2 AND step = 'stories'").fetchone()[0])
    assert counters["segments_with_features_before"] == len(FIRST)
    assert counters["segments"] == len(SECOND)  # features computed for the new segments only


def test_a_run_that_changes_nothing_leaves_the_stories_alone(feeds: tuple[Path, Path], tmp_path: Path) -> None:
    path = tmp_path / "c.case"
    run_case(list(feeds), path, ONE_WORKER)
    before = exported_stories(path)
    run_case(list(feeds), path, ONE_WORKER)
    with sqlite3.connect(path) as db:
        counters = json.loads(db.execute(
            "SELECT counters FROM run_steps WHERE run_id = 2 AND step = 'stories'").fetchone()[0])
    assert counters == {} and exported_stories(path) == before


def test_the_api_lists_stories_and_opens_one_with_its_segments(case: Path) -> None:
    with open_case(case) as opened:
        listed = opened.stories()
        assert listed and listed == sorted(listed, key=lambda s: (-s.independent_sources, -s.segments, s.id))
        story = opened.story(listed[0].id)
        assert story is not None and story.story == listed[0]
        assert len(story.segments) == listed[0].segments
        assert {s.family for s in story.segments} == set(story.families)
        assert {e.segment for e in story.events} == {s.id for s in story.segments}  # each one's publication at least
        assert all(e.story == story.story.id for e in story.events)
        assert opened.story(-1) is None


def test_the_cli_lists_stories_and_shows_one(case: Path) -> None:
    runner = CliRunner()
    listing = runner.invoke(cli, ["stories", str(case), "--limit", "0"])
    assert listing.exit_code == 0
    assert set(QUAKE_TITLE.split()) <= set(listing.output.split())  # rich wraps the table at the terminal width
    with open_case(case) as opened:
        story_id = next(s.id for s in opened.stories() if s.title == QUAKE_TITLE)
    shown = runner.invoke(cli, ["stories", str(case), str(story_id)])
    assert shown.exit_code == 0
    assert "2 independent sources" in shown.output and "Skelby sleeps in the streets" in shown.output
    missing = runner.invoke(cli, ["stories", str(case), "999999"])
    assert missing.exit_code == 1 and "no story 999999" in missing.output
