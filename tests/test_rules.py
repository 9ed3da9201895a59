"""Stored results are named by the source of the rules that made them."""

from __future__ import annotations

from pathlib import Path

from sourcetrace.rules import source_digest


def test_an_edit_to_the_rules_changes_their_name_and_an_unreadable_source_matches_nothing(tmp_path: Path) -> None:
    rules = tmp_path / "rules.py"
    rules.write_text("THRESHOLD = 0.8\n")
    before = source_digest([rules])
    assert source_digest([rules]) == before  # the same code, the same name: stored results are reused
    rules.write_text("THRESHOLD = 0.7\n")
    assert source_digest([rules]) != before
    missing = [tmp_path / "gone.py"]
    assert source_digest(missing) != source_digest(missing)  # never taken for current
