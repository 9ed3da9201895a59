"""sourcetrace.open_case and Case: the public API that the CLI calls."""

from __future__ import annotations

import io
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import sourcetrace
from sourcetrace import CaseError, RunOptions, open_case
from sourcetrace.report.export import EXPORT_FORMAT

pytest_plugins = ["tests.report.conftest"]


def test_opening_a_missing_case_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(CaseError, match=r"no case at .*none\.case: run `sourcetrace run INPUT\.\.\. --case"):
        open_case(tmp_path / "none.case")
    assert not (tmp_path / "none.case").exists()


def test_create_makes_an_empty_case_that_reads_as_empty(tmp_path: Path) -> None:
    with open_case(tmp_path / "new.case", create=True) as case:
        assert case.counts().inputs == 0 and case.last_run() is None
        assert case.families() == [] and case.statements() == [] and case.problems() == []
    with open_case(tmp_path / "new.case") as again:  # now it exists
        assert again.path == tmp_path / "new.case"


def test_create_refuses_a_file_that_is_not_a_case(tmp_path: Path) -> None:
    (tmp_path / "notes.case").write_text("my notes " * 500)
    with pytest.raises(CaseError, match="not a sourcetrace case"):
        open_case(tmp_path / "notes.case", create=True)


def test_run_ingests_inputs_and_the_case_then_reads_them(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "ferry.txt").write_text("Ferry resumes\n\nThe ferry to Sorrel resumed on Monday, the operator said.\n")
    (tmp_path / "in" / "empty.txt").write_text("")
    with open_case(tmp_path / "c.case", create=True) as case:
        summary = case.run([tmp_path / "in"], RunOptions(workers=1))
        again = case.run([tmp_path / "in"], RunOptions(workers=1))
        assert (summary.inputs, summary.documents, summary.problems) == (2, 1, {"empty": 1})
        assert (again.inputs, again.skipped_inputs) == (0, 2)  # nothing is added twice
        assert case.counts().documents == 1 and [p.reason for p in case.problems()] == ["empty"]
        last = case.last_run()
        assert last is not None and last.status == "finished"


def test_families_and_the_family_of_a_segment(case_with_copy_map: Path) -> None:
    with open_case(case_with_copy_map) as case:
        [family] = case.families()
        assert [m.kind for m in family.members] == ["origin", "exact", "rewrite"]
        assert case.family_of(family.members[2].segment.id) == family
        assert case.family_of(10_000_000) is None and case.singletons() == 0
        assert case.families(limit=0) == []


def test_statements_and_speakers(case_with_statements: Path) -> None:
    with open_case(case_with_statements) as case:
        [altered] = case.statements(altered_only=True)
        assert altered.statement.speaker == "Ilse Dahl"
        assert [s.statement.id for s in case.statements(speaker="harbour")] == [2]
        assert len(case.statements(limit=1)) == 1
        assert {s.speaker for s in case.speakers()} == {"Ilse Dahl", "Lindqvist harbour authority"}


def test_trace_finds_the_segments_that_reuse_a_text(case_with_copy_map: Path) -> None:
    from tests.report.conftest import STORY

    with open_case(case_with_copy_map) as case:
        matches = case.trace(STORY)
    assert {m.segment.title for m in matches} == {"Cargo falls at Lindqvist", "Lindqvist cargo drops", "Port slump"}
    assert all(STORY[p.parent_start:p.parent_end] for m in matches for p in m.passages)


def test_export_writes_to_a_path_or_an_open_file_alike(case_with_copy_map: Path, tmp_path: Path) -> None:
    buffer = io.StringIO()
    with open_case(case_with_copy_map) as case:
        case.export(tmp_path / "out.json")
        case.export(str(tmp_path / "out2.json"))
        case.export(buffer)
    from_path = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    from_file = json.loads(buffer.getvalue())
    assert from_path["format"] == EXPORT_FORMAT
    for exported in (from_file, json.loads((tmp_path / "out2.json").read_text(encoding="utf-8"))):
        assert {k: v for k, v in exported.items() if k != "generated_at"} == {
            k: v for k, v in from_path.items() if k != "generated_at"}


def test_report_writes_one_html_file(case_with_copy_map: Path, tmp_path: Path) -> None:
    with open_case(case_with_copy_map) as case:
        written = case.report(tmp_path / "r.html")
    assert written == tmp_path / "r.html" and "Port slump" in written.read_text(encoding="utf-8")


def test_a_closed_case_reads_nothing_more(case_with_copy_map: Path) -> None:
    with open_case(case_with_copy_map) as case:
        pass
    with pytest.raises(sqlite3.ProgrammingError):
        case.counts()


def test_reading_a_case_does_not_load_the_runner_or_spacy() -> None:
    # `sourcetrace trace --help` and `import sourcetrace` must start fast: spaCy takes seconds to import.
    code = ("import sys, sourcetrace, sourcetrace.cli; "
            "print(sorted(m for m in ('spacy', 'sourcetrace.runner') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_the_runners_names_load_on_first_use() -> None:
    from sourcetrace import runner

    assert sourcetrace.RunOptions is runner.RunOptions and sourcetrace.RunSummary is runner.RunSummary
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        sourcetrace.nothing  # noqa: B018
