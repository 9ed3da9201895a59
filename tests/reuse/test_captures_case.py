"""Captures through the whole pipeline: a saved HTML file and WARC captures of
one URL are one page, shown as its captures and counted once in families,
stories and claims; another URL with the same text stays a copy."""

from __future__ import annotations

import html
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from sourcetrace.cli import cli
from sourcetrace.runner import RunOptions, run_case
from sourcetrace.store import CaseReader
from sourcetrace.store.schema import SCHEMA_VERSION
from sourcetrace.views import FamilyView
from tests.claims.claim_texts import CLAIM, REPORT_A, REPORT_B
from tests.ingest.builders import http_bytes, http_response, make_warc
from tests.test_incremental import exported

PAGE_URL = "https://harbourledger.example/korvo-inspectors"
EDIT = ("Staff at Korvo's", "Staff at the Korvo")  # a later capture of the live page, with a small edit
OPTIONS = RunOptions(workers=1, claims=(CLAIM,))


def page_html(title: str, text: str, url: str | None, published: str) -> str:
    canonical = f'<link rel="canonical" href="{url}">' if url else ""
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n"))
    return (f'<!DOCTYPE html><html lang="en"><head><title>{title}</title>{canonical}'
            f'<meta property="article:published_time" content="{published}"></head>'
            f"<body><article><h1>{title}</h1>{paragraphs}</article></body></html>")


def write_inputs(root: Path) -> tuple[Path, Path]:
    """Saved pages and a text first; a crawl of the same page (twice, edited once) and a feed later."""
    first, second = root / "first", root / "second"
    first.mkdir(parents=True)
    second.mkdir(parents=True)
    report = page_html("Inspectors blame artillery", REPORT_A, "https://www.harbourledger.example/korvo-inspectors/",
                       "2025-04-03T09:00:00Z")
    (first / "harbourledger-saved.html").write_text(report, encoding="utf-8")
    syndicated = page_html("Inspectors blame artillery", REPORT_A, "https://northgate.example/world/korvo",
                           "2025-04-03T11:00:00Z")
    (first / "northgate-copy.html").write_text(syndicated, encoding="utf-8")
    (first / "openwatch-no-url.txt").write_text("Open Watch on Korvo\n\n" + REPORT_B, encoding="utf-8")
    edited = page_html("Inspectors blame artillery", REPORT_A.replace(*EDIT, 1), PAGE_URL, "2025-04-03T09:00:00Z")
    make_warc(second / "crawl.warc", [
        http_response(PAGE_URL + "?utm_source=feed", http_bytes(report), date="2025-04-03T10:00:00Z",
                      record_id="<urn:uuid:first-capture>"),
        http_response(PAGE_URL + "#top", http_bytes(edited), date="2025-04-06T10:00:00Z",
                      record_id="<urn:uuid:second-capture>"),
    ])
    feed = [{"url": "https://openwatch.example/korvo-report", "title": "Open Watch report on Korvo",
             "date": "2025-04-04T10:00:00Z", "text": REPORT_B}]
    (second / "feed.jsonl").write_text("".join(json.dumps(row) + "\n" for row in feed), encoding="utf-8")
    return first, second


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("captures")
    first, second = write_inputs(root)
    run_case([first, second], root / "at-once.case", OPTIONS)
    run_case([first], root / "extended.case", OPTIONS)
    run_case([first, second], root / "extended.case", OPTIONS)
    return root / "at-once.case", root / "extended.case"


def report_family(case: Path) -> FamilyView:
    with CaseReader(case) as reader:
        found = [f for f in reader.families(min_size=1) if any(m.kind == "capture" for m in f.members)]
    assert len(found) == 1
    return found[0]


def test_an_html_file_and_warc_captures_of_one_url_are_one_page_shown_as_captures(built: tuple[Path, Path]) -> None:
    family = report_family(built[0])
    by_path = {(Path(m.segment.path).name, m.segment.warc_record_id): m for m in family.members}
    saved = by_path["harbourledger-saved.html", None]
    first = by_path["crawl.warc", "<urn:uuid:first-capture>"]
    edited = by_path["crawl.warc", "<urn:uuid:second-capture>"]  # a small edit: still this page
    copy = by_path["northgate-copy.html", None]  # another URL with the same text: a copy
    # The earliest capture (by WARC-Date; the saved file's time is its mtime, today) stands for the page.
    assert (first.kind, saved.kind, edited.kind) == ("origin", "capture", "capture")
    assert saved.parent == edited.parent == first.segment.id == family.origin
    # A copy of the page: under whichever capture its verdict was with (exact copies are each verified
    # against the lowest id only), since its passages are offsets in that capture's text.
    assert copy.kind == "exact" and copy.parent in {first.segment.id, saved.segment.id}
    assert family.pages() == 2 and "same time" not in family.origin_evidence


def test_captures_are_counted_once_in_families_stories_and_claims(built: tuple[Path, Path]) -> None:
    family = report_family(built[0])
    with CaseReader(built[0]) as reader:
        summary = next(s for s in reader.families_page(min_size=1).items if s.id == family.id)
        assert summary.size == 2  # the page and its copy
        overview = reader.overview()
        # The report's copy; the Open Watch feed and the text without a URL: copies, never captures.
        assert (overview.families_with_copies, overview.copies, overview.kind_counts["capture"]) == (2, 3, 2)
        stories = [s for s in reader.stories() if reader.story(s.id) is not None]
        claims = reader.claims()
        harbour = next(s for s in reader.sources() if "harbourledger.example" in s.hosts)
    assert harbour.published == 1  # its page, collected three times
    story = next(s for s in stories if family.id in _story_families(built[0], s.id))
    assert story.independent_sources == len(_story_families(built[0], story.id))
    assert story.segments == 2  # the report page and its copy: the page's three captures count once
    assert claims[0].supporting_sources == 2  # the report and Open Watch, however often collected


def _story_families(case: Path, story_id: int) -> set[int]:
    with CaseReader(case) as reader:
        view = reader.story(story_id)
    assert view is not None
    return {s.family for s in view.segments if s.family is not None}


def test_the_copies_command_shows_a_page_collected_three_times_as_its_captures(built: tuple[Path, Path]) -> None:
    family = report_family(built[0])
    result = CliRunner().invoke(cli, ["copies", str(built[0]), str(family.id)], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    assert "captured 3 times:" in result.output
    assert "WARC record <urn:uuid:first-capture> in" in result.output
    assert "harbourledger-saved.html" in result.output
    assert "2 segments" in result.output and "capture " not in result.output  # captures are not listed as copies


def test_a_case_with_captures_extended_by_a_run_equals_the_case_built_at_once(built: tuple[Path, Path]) -> None:
    at_once, extended = exported(built[0]), exported(built[1])
    assert any(m["kind"] == "capture" for f in at_once["families"] for m in f["members"])
    assert extended == at_once


def test_a_case_of_schema_7_gets_its_captures_at_the_next_run(built: tuple[Path, Path], tmp_path: Path) -> None:
    """Migration 8: a copy map made before captures showed them as copies; the next run rebuilds it."""
    case = tmp_path / "old.case"
    shutil.copy(built[0], case)
    with sqlite3.connect(case) as db:  # as schema 7 left it: the captures were copies
        db.execute("UPDATE family_members SET kind = 'exact' WHERE kind = 'capture'")
        db.execute("UPDATE families SET size = (SELECT count(*) FROM family_members m WHERE m.family_id = families.id)")
        db.execute("UPDATE meta SET value = '7' WHERE key = 'schema_version'")
    root = built[0].parent
    run_case([root / "first", root / "second"], case, OPTIONS)
    with sqlite3.connect(case) as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (str(SCHEMA_VERSION),)
    assert exported(case) == exported(built[0])
