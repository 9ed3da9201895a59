"""Every listing command that shows at most --limit entries says how many it left out, and how to see them all."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from sourcetrace import open_case
from sourcetrace.api import Case
from sourcetrace.cli import cli

MORE = re.compile(r"^… ([\d,]+) more \(use --limit 0 for all\)$")


DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"


@pytest.fixture(scope="module")
def demo_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo corpus: more than one family, story, source and claim, and many statements and events.
    One more page copies the Meridian dam report under another URL: the demo's other dam page is
    only collected twice (a capture, not a copy), which leaves the demo a single family of copies."""
    root = tmp_path_factory.mktemp("demo")
    page = (DEMO / "web" / "meridian-brenna-dam.html").read_text(encoding="utf-8")
    (root / "syndicated.html").write_text(page.replace("meridiannews.example", "dam-watch.example"), encoding="utf-8")
    case = root / "demo.case"
    claims = DEMO.parent / "demo-claims.txt"
    result = CliRunner().invoke(cli, ["run", "--case", str(case), "--workers", "1", "--quiet", "--find-claims",
                                      "--claims", str(claims), str(DEMO), str(root / "syndicated.html")])
    assert result.exit_code == 0, result.output
    return case


TOTALS = {  # each listing command, and how many entries it lists with no limit
    "copies": Case.family_count,
    "quotes": Case.statement_count,
    "stories": Case.story_count,
    "timeline": Case.event_count,
    "sources": Case.source_count,
    "claims": Case.claim_count,
}


@pytest.mark.parametrize("command", sorted(TOTALS))
def test_a_truncated_listing_ends_with_how_many_more_there_are(demo_case: Path, command: str) -> None:
    with open_case(demo_case) as case:
        total = TOTALS[command](case)
    assert total > 1, "the demo must hold enough to truncate"
    result = CliRunner().invoke(cli, [command, str(demo_case), "--limit", "1"])
    assert result.exit_code == 0, result.output
    last = result.output.rstrip("\n").splitlines()[-1]
    found = MORE.match(last)
    assert found is not None, last
    assert int(found.group(1).replace(",", "")) == total - 1


@pytest.mark.parametrize("command", sorted(TOTALS))
def test_limit_0_lists_everything_and_says_nothing_is_left_out(demo_case: Path, command: str) -> None:
    result = CliRunner().invoke(cli, [command, str(demo_case), "--limit", "0"])
    assert result.exit_code == 0, result.output
    assert "more (use --limit 0" not in result.output


def test_status_ends_its_truncated_problem_list_with_how_many_more(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.html", "b.html", "c.html"):
        (folder / name).write_bytes(b"")
    case = tmp_path / "c.case"
    assert CliRunner().invoke(cli, ["run", str(folder), "--case", str(case), "--workers", "1"]).exit_code == 0
    result = CliRunner().invoke(cli, ["status", str(case), "--limit", "1"])
    assert result.output.rstrip("\n").splitlines()[-1] == "… 2 more (use --limit 0 for all)"


def test_the_run_summary_groups_what_this_run_added_apart_from_the_case_totals(demo_case: Path) -> None:
    result = CliRunner().invoke(cli, ["run", "--case", str(demo_case), "--workers", "1", "--quiet"])
    assert result.exit_code == 0, result.output
    output = result.output
    order = [output.index(label) for label in ("added by this run", "inputs ingested", "documents", "segments",
                                               "in the case now", "families of copies", "statements")]
    assert order == sorted(order)
    assert "CASE" not in output  # the hints name the case itself
