"""`sourcetrace copies`: families of copies, and the family of one segment."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from sourcetrace.cli import cli

pytest_plugins = ["tests.report.conftest"]


def test_copies_shows_each_family_with_its_origin_and_copy_kinds(case_with_copy_map: Path) -> None:
    result = CliRunner().invoke(cli, ["copies", str(case_with_copy_map)])
    assert result.exit_code == 0, result.output
    assert "3 segments" in result.output and "earliest date" in result.output
    for kind in ("origin", "exact", "rewrite"):
        assert kind in result.output
    assert "0 segments have no copies" in result.output


def test_copies_of_one_segment_shows_its_family(case_with_copy_map: Path) -> None:
    result = CliRunner().invoke(cli, ["copies", str(case_with_copy_map), "3"])
    assert result.exit_code == 0, result.output
    assert "Port slump" in result.output


def test_copies_of_an_unknown_segment_is_a_clear_error(case_with_copy_map: Path) -> None:
    result = CliRunner().invoke(cli, ["copies", str(case_with_copy_map), "999"])
    assert result.exit_code == 1 and "segment 999" in result.output
