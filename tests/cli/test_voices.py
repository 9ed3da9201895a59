"""`sourcetrace voices` and `sourcetrace quotes`: who said what, and which copies changed it."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from sourcetrace import cli as cli_module
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
    assert "ALTERED quote" in result.output and "speaker garbled" in result.output  # a direct quote changed
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


def test_piped_quotes_mark_removed_and_added_words_in_the_text(case_with_statements: Path) -> None:
    result = CliRunner().invoke(cli, ["quotes", str(case_with_statements), "--altered"])  # not a terminal
    assert result.exit_code == 0, result.output
    assert "We will reopen the [-northern quay-]{+north dock+} before {+the+} winter" in result.output


def test_quotes_with_no_color_mark_the_diff_in_the_text_on_a_terminal(
        case_with_statements: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = Console(file=io.StringIO(), force_terminal=True, no_color=True, width=200)  # as NO_COLOR=1 makes it
    monkeypatch.setattr(cli_module, "out", terminal)
    result = CliRunner().invoke(cli, ["quotes", str(case_with_statements), "--altered"])
    assert result.exit_code == 0, result.output
    assert "[-northern quay-]{+north dock+}" in terminal.file.getvalue()  # type: ignore[attr-defined]
