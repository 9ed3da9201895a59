"""The CASE argument, shared by every command that reads a case: one error for each way a case is wrong."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from sourcetrace.cli import cli

COMMANDS = [["status"], ["copies"], ["trace", "-"], ["voices"], ["quotes"], ["export", "--json", "-"], ["report"],
            ["serve"]]


def invoke(command: list[str], case: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [command[0], str(case), *command[1:]], input="some text")
    return result.exit_code, result.output


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_missing_case_is_one_line_that_says_how_to_make_it(command: list[str], tmp_path: Path) -> None:
    code, output = invoke(command, tmp_path / "none.case")
    assert code == 1 and output.startswith("Error: no case at ") and "sourcetrace run INPUT..." in output
    assert output.count("\n") == 1 and "Traceback" not in output
    assert list(tmp_path.iterdir()) == []  # reading never creates a case


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_file_that_is_not_a_case_is_refused_and_left_alone(command: list[str], tmp_path: Path) -> None:
    other = tmp_path / "notes.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE notes (text)").connection.close()
    before = other.read_bytes()
    code, output = invoke(command, other)
    assert code == 1 and "not a sourcetrace case" in output
    assert other.read_bytes() == before
