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


# --- a newcomer's first hour: inputs that give nothing, a case in a missing folder, an empty text to trace ---


def test_a_run_that_can_read_nothing_raises_no_input_error_and_makes_no_case(tmp_path: Path) -> None:
    missing = tmp_path / "does-not-exist"
    no_input = pytest.raises(sourcetrace.NoInputError, match=r"does-not-exist: no such file or folder")
    with open_case(tmp_path / "x.case", create=True) as case, no_input as raised:
        case.run([missing], RunOptions(workers=1))
    assert [(p.path, p.reason.value) for p in raised.value.problems] == [(str(missing), "not_found")]
    assert not (tmp_path / "x.case").exists()  # nothing was read: no empty case is left behind


def test_a_run_that_can_read_nothing_leaves_an_existing_case_as_it_was(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "ferry.txt").write_text("Ferry resumes\n\nThe ferry to Sorrel resumed on Monday.\n")
    (tmp_path / "code").mkdir()
    (tmp_path / "code" / "pyproject.toml").write_text('[project]\nname = "x"\n')
    with open_case(tmp_path / "c.case", create=True) as case:
        case.run([tmp_path / "in"], RunOptions(workers=1))
        before = (case.counts(), case.last_run())
        with pytest.raises(sourcetrace.NoInputError, match=r"code: the folder holds no file of a kind sourcetrace "
                                                           r"reads \(skipped: \.toml\)"):
            case.run([tmp_path / "code", tmp_path / "gone.txt"], RunOptions(workers=1))
        assert (case.counts(), case.last_run()) == before  # no run recorded, no problem added


def test_a_run_skips_and_counts_files_of_no_supported_kind_and_names_a_folder_without_inputs(tmp_path: Path) -> None:
    from tests.ingest.builders import tiny_png

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "ferry.txt").write_text("Ferry resumes\n\nThe ferry to Sorrel resumed on Monday.\n")
    (tmp_path / "in" / "pyproject.toml").write_text('[project]\nname = "x"\n')
    (tmp_path / "in" / "map.png").write_bytes(tiny_png())
    (tmp_path / "code").mkdir()
    (tmp_path / "code" / "run.toml").write_text("x = 1\n")
    with open_case(tmp_path / "c.case", create=True) as case:
        summary = case.run([tmp_path / "in", tmp_path / "code"], RunOptions(workers=1))
        assert (summary.inputs, summary.documents) == (1, 1)  # neither the .toml nor the .png became a document
        assert summary.skipped_files == {".png": 1, ".toml": 2}
        assert summary.folders_without_inputs == [str(tmp_path / "code")]
        assert [(p.reason, p.severity, p.path) for p in case.problems()] == [("empty", "warning", str(tmp_path / "code"))]
        last = case.last_run()
        assert last is not None and last.skipped_files == {".png": 1, ".toml": 2}


def test_a_file_of_unknown_extension_named_explicitly_is_read_if_text_else_not_text(tmp_path: Path) -> None:
    from tests.ingest.builders import tiny_png

    (tmp_path / "notes.toml").write_text("The ferry to Sorrel resumed on Monday, the operator said.\n")
    (tmp_path / "map.png").write_bytes(tiny_png())
    with open_case(tmp_path / "c.case", create=True) as case:
        summary = case.run([tmp_path / "notes.toml", tmp_path / "map.png"], RunOptions(workers=1))
        assert (summary.inputs, summary.documents, summary.problems) == (2, 1, {"binary": 1})
        [problem] = case.problems()
        assert problem.path == str(tmp_path / "map.png") and problem.message.startswith("not text")


def test_creating_a_case_in_a_missing_folder_names_the_folder(tmp_path: Path) -> None:
    with pytest.raises(CaseError, match=r"^cannot create the case .*/nope/x\.case: the folder .*/nope does not exist$"):
        open_case(tmp_path / "nope" / "x.case", create=True)


def test_tracing_an_empty_text_is_an_error_not_an_empty_result(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("  \n\n")
    with pytest.raises(sourcetrace.TraceInputError, match=r"empty\.txt is empty"):
        sourcetrace.read_text_to_trace(tmp_path / "empty.txt")
    with pytest.raises(sourcetrace.TraceInputError, match=r"blank\.txt holds only white space"):
        sourcetrace.read_text_to_trace(tmp_path / "blank.txt")
    with pytest.raises(sourcetrace.TraceInputError, match=r"gone\.txt cannot be read: No such file"):
        sourcetrace.read_text_to_trace(tmp_path / "gone.txt")
    with open_case(tmp_path / "c.case", create=True) as case, pytest.raises(sourcetrace.TraceInputError):
        case.trace(" \n")
