"""`sourcetrace voices` and `sourcetrace quotes`: who said what, and which copies changed it."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from sourcetrace.cli import cli

pytest_plugins = ["tests.report.conftest"]


def test_voices_lists_speakers_with_altered_copy_counts(case_with_statements: Path) -> None:
    result = CliRunner().invoke(cli, ["voices", str(case_with_statements)])
    assert result.exit_code == 0, result.output
    assert "Ilse Dahl" in result.output and "mayor of" in result.output
    assert "Lindqvist harbour authority" in result.output


def test_quotes_shows_occurrences_and_the_diff_of_an_altered_copy(case_with_statements: Path) -> None:
    result = CliRunner().invoke(cli, ["quotes", str(case_with_statements), "--altered"])
    assert result.exit_code == 0, result.output
    assert "ALTERED" in result.output and "speaker garbled" in result.output
    assert "dock" in result.output and "quay" in result.output
    assert "harbour authority" not in result.output  # not altered, filtered out


def test_quotes_by_an_unknown_speaker_says_nothing_matches(case_with_statements: Path) -> None:
    result = CliRunner().invoke(cli, ["quotes", str(case_with_statements), "--speaker", "Nobody"])
    assert result.exit_code == 0 and "No statement matches." in result.output


def test_statements_are_exported_with_occurrences(case_with_statements: Path) -> None:
    result = CliRunner().invoke(cli, ["export", str(case_with_statements), "--json", "-"])
    statements = {s["id"]: s for s in json.loads(result.output)["statements"]}
    dahl = statements[1]
    assert (dahl["speaker"], dahl["speaker_role"], dahl["kind"], dahl["cue"]) == (
        "Ilse Dahl", "mayor of Lindqvist", "direct", "said")
    altered = [o for o in dahl["occurrences"] if o["altered"]]
    assert len(altered) == 1 and ["+", "dock"] in altered[0]["diff"]
    assert {"segment", "start", "end", "text", "altered", "diff"} <= set(altered[0])
