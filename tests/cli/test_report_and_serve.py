"""`sourcetrace report` writes one self-contained HTML file; `sourcetrace serve` serves a case locally."""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.request
from pathlib import Path

from click.testing import CliRunner

from sourcetrace.cli import cli

pytest_plugins = ["tests.report.conftest"]


def test_report_writes_a_self_contained_file_beside_the_case(case_with_copy_map: Path) -> None:
    result = CliRunner().invoke(cli, ["report", str(case_with_copy_map)])
    assert result.exit_code == 0, result.output
    html = case_with_copy_map.with_suffix(".html").read_text(encoding="utf-8")
    assert "Port slump" in html  # the case's data is embedded
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=\"?https?:", html)  # nothing loaded from elsewhere


def test_report_shows_inputs_relative_to_the_runs_inputs_unless_given_full_paths(case_with_copy_map: Path) -> None:
    folder = case_with_copy_map.parent
    mailed, full = folder / "mailed.html", folder / "full.html"
    assert CliRunner().invoke(cli, ["report", str(case_with_copy_map), "-o", str(mailed)]).exit_code == 0
    assert CliRunner().invoke(cli, ["report", str(case_with_copy_map), "-o", str(full), "--full-paths"]).exit_code == 0
    assert str(folder) not in mailed.read_text(encoding="utf-8")
    assert str(folder / "in" / "a.txt") in full.read_text(encoding="utf-8")


def test_report_to_a_missing_case_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["report", str(tmp_path / "none.case"), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 1 and "sourcetrace run" in result.output
    assert not (tmp_path / "r.html").exists()


def test_serve_prints_a_local_address_that_answers(case_with_copy_map: Path) -> None:
    command = [sys.executable, "-m", "sourcetrace", "serve", str(case_with_copy_map)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/?", line)
        assert url, line
        with urllib.request.urlopen(url.group(0), timeout=10) as response:
            assert response.status == 200 and "<html" in response.read().decode().lower()
    finally:
        server.terminate()
        server.wait(timeout=10)
