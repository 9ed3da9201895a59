"""`sourcetrace status`: what a case holds, and its problems with their reasons."""

from __future__ import annotations

import json
import re
import sqlite3
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


def set_steps(case: Path, steps: list[tuple[str, float, float, int, dict[str, int]]]) -> None:
    """Replace the last run's step figures (as the runner records them) with these."""
    with sqlite3.connect(case) as db:
        (run_id,) = db.execute("SELECT max(id) FROM runs").fetchone()
        db.execute("DELETE FROM run_steps")
        db.executemany("INSERT INTO run_steps VALUES (?, ?, ?, '2026-01-01T00:00:00.000Z', ?, ?, ?, ?)",
                       [(run_id, n, step, seconds, cpu, records, json.dumps(counters))
                        for n, (step, seconds, cpu, records, counters) in enumerate(steps)])


def test_status_shows_the_last_run_and_each_steps_time_cpu_use_and_counts(tmp_path: Path) -> None:
    case = make_case(tmp_path)
    set_steps(case, [("ingest", 2.0, 3.6, 3, {"documents": 1, "problems": 2}), ("segment", 0.5, 0.5, 1, {})])
    result = CliRunner().invoke(cli, ["status", str(case)])
    assert result.exit_code == 0, result.output
    assert re.search(r"Last run #\d+: finished, started \S+, finished \S+, [\d.]+ s", result.output)
    rows = {cells[0]: cells[1:] for line in result.output.splitlines()
            if len(cells := [c.strip() for c in line.split("│")[1:-1]]) == 5}
    assert rows["ingest"] == ["2.0 s", "180%", "3", "documents 1, problems 2"]
    assert rows["segment"] == ["0.5 s", "100%", "1", ""]


def test_status_of_a_case_without_step_figures_shows_the_run_alone(tmp_path: Path) -> None:
    case = make_case(tmp_path)
    set_steps(case, [])
    result = CliRunner().invoke(cli, ["status", str(case)])
    assert result.exit_code == 0 and "Last run #" in result.output
    assert "Steps of the last run" not in result.output
