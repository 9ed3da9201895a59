"""`sourcetrace report` writes one self-contained HTML file; `sourcetrace serve` serves a case locally."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from sourcetrace.cli import cli
from sourcetrace.store import read_index

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


def _index_folders_of(pid: int) -> list[Path]:
    return [found for found in Path(tempfile.gettempdir()).glob(read_index.PREFIX + "*")
            if (found / read_index.OWNER).is_file() and (found / read_index.OWNER).read_text() == str(pid)]


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=lambda s: s.name)
def test_serve_answers_at_its_address_and_leaves_no_copy_of_the_texts_when_stopped(
        case_with_copy_map: Path, stop: signal.Signals) -> None:
    command = [sys.executable, "-m", "sourcetrace", "serve", str(case_with_copy_map)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/?", line)
        assert url, line
        with urllib.request.urlopen(url.group(0), timeout=10) as response:
            assert response.status == 200 and "<html" in response.read().decode().lower()
        [index] = _index_folders_of(server.pid)  # the read index: full text of the case
        server.send_signal(stop)
        assert server.wait(timeout=10) == 0
        assert not index.exists()
    finally:
        server.kill()
        server.wait(timeout=10)
