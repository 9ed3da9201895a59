"""`sourcetrace copies`: families of copies, and the family of one segment."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from sourcetrace import open_case
from sourcetrace.cli import cli

pytest_plugins = ["tests.report.conftest"]


def test_copies_shows_each_family_with_its_origin_and_copy_kinds(case_with_copy_map: Path) -> None:
    result = CliRunner().invoke(cli, ["copies", str(case_with_copy_map)])
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())  # rich wraps at the terminal width
    assert "3 segments" in output and "earliest date" in output
    for kind in ("origin", "exact", "rewrite"):
        assert kind in result.output
    assert "0 segments have no copies" in result.output


def test_copies_of_one_segment_shows_its_family(case_with_copy_map: Path) -> None:
    with open_case(case_with_copy_map) as case:
        [family] = case.families()
    origin = str(family.members[0].segment.id)  # the family of its origin holds every copy
    result = CliRunner().invoke(cli, ["copies", str(case_with_copy_map), origin])
    assert result.exit_code == 0, result.output
    assert "Port slump" in result.output and "Family" in result.output
    assert "with copies shown" not in result.output  # one family, not the listing


def test_copies_of_an_unknown_segment_is_a_clear_error(case_with_copy_map: Path) -> None:
    result = CliRunner().invoke(cli, ["copies", str(case_with_copy_map), "99999999"])
    assert result.exit_code == 1 and "segment 99999999" in result.output


def test_copies_of_an_unknown_segment_names_the_case_file_and_says_there_is_no_such_segment(
        case_with_copy_map: Path) -> None:
    result = CliRunner().invoke(cli, ["copies", str(case_with_copy_map), "12"])
    assert result.exit_code == 1
    assert "c.case has no segment 12" in result.output
    assert "CASE" not in result.output


REPEATING_PAGE = Path(__file__).parents[2] / "examples" / "demo" / "text" / "newsflashhub-vardenia-releases.txt"


def test_copies_of_a_repeat_names_the_segment_it_repeats_and_shows_that_family(tmp_path: Path) -> None:
    page = tmp_path / "in" / REPEATING_PAGE.name  # one article, three times on its page
    page.parent.mkdir()
    page.write_bytes(REPEATING_PAGE.read_bytes())
    case_path = tmp_path / "r.case"
    assert CliRunner().invoke(cli, ["run", str(page.parent), "--case", str(case_path), "--workers", "1"]).exit_code == 0
    with open_case(case_path) as case:
        repeat = next(s for s in case.reader.segments(case.reader.segment_ids()).values() if s.duplicate_of)
        primary = repeat.duplicate_of
    result = CliRunner().invoke(cli, ["copies", str(case_path), str(repeat.id)])
    assert result.exit_code == 0, result.output
    assert f"Segment {repeat.id} is a repeat of segment {primary} within its page" in result.output
    assert f"Family {primary}:" in result.output
