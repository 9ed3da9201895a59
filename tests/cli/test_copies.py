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
    assert "families with copies shown" not in result.output  # one family, not the listing


def test_copies_of_an_unknown_segment_is_a_clear_error(case_with_copy_map: Path) -> None:
    result = CliRunner().invoke(cli, ["copies", str(case_with_copy_map), "99999999"])
    assert result.exit_code == 1 and "segment 99999999" in result.output
