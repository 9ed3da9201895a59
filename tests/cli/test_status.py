"""`sourcetrace status`: what a case holds, and its problems with their reasons."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from sourcetrace.cli import cli


def make_case(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "story.txt").write_text("Ferry resumes service\n\nThe ferry resumed service on Monday, the operator said.\n")
    (folder / "empty.html").write_bytes(b"")
    (folder / "links.csv").write_text("name,link\nA,http://example.org\n")
    case = tmp_path / "c.case"
    assert CliRunner().invoke(cli, ["run", str(folder), "--case", str(case), "--workers", "1"]).exit_code == 0
    return case


def test_status_counts_what_the_case_holds(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["status", str(make_case(tmp_path))])
    assert result.exit_code == 0, result.output
    lines = {line.split("│")[1].strip(): line.split("│")[2].strip() for line in result.output.splitlines()
             if line.count("│") == 3}
    assert lines["inputs"].startswith("3 ")
    assert lines["documents"] == "1"
    assert lines["problems"] == "2"


def test_status_lists_each_problem_with_its_reason_and_input(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["status", str(make_case(tmp_path)), "--limit", "0"])
    assert "no_text_column" in result.output and "links.csv" in result.output
    assert "empty" in result.output and "empty.html" in result.output


def test_status_of_a_missing_case_says_how_to_create_one(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["status", str(tmp_path / "nope.case")])
    assert result.exit_code == 1
    assert "sourcetrace run" in result.output
    assert not (tmp_path / "nope.case").exists()
