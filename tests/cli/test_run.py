"""`sourcetrace run`: ingest inputs into a case and print a summary."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner

from sourcetrace.cli import cli
from sourcetrace.store import CaseReader, CaseStore


def test_run_prints_a_summary_with_problems_by_reason(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "story.txt").write_text("Lake closes for swimmers\n\nThe lake was closed on Sunday, officials said.\n")
    (tmp_path / "in" / "junk.txt").write_bytes(bytes(range(256)) * 8)  # named as text, binary: a problem
    result = CliRunner().invoke(cli, ["run", str(tmp_path / "in"), "--case", str(tmp_path / "c.case"), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "inputs ingested" in result.output and "│ 2 " in result.output
    assert "binary" in result.output
    assert "time" in result.output


def test_run_without_input_uses_the_demo_corpus(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["run", "--case", str(tmp_path / "demo.case")])
    assert result.exit_code == 0, result.output
    with CaseStore(tmp_path / "demo.case") as store:
        counts = store.counts()
    assert counts.documents >= 10 and counts.segments > counts.documents  # the aggregator page splits
    assert counts.duplicate_segments >= 2  # the page that repeats one article three times


def test_run_refuses_a_file_that_is_not_a_case(tmp_path: Path) -> None:
    not_a_case = tmp_path / "notes.case"
    not_a_case.write_text("my notes, not a database " * 200)
    result = CliRunner().invoke(cli, ["run", str(tmp_path), "--case", str(not_a_case)])
    assert result.exit_code == 1
    assert "not a sourcetrace case" in result.output


def test_run_accepts_the_fast_extractor(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Bridge reopens</title></head><body><nav>Home | News</nav><article><h1>Bridge reopens"
        "</h1><p>The old bridge in the fictional town of Drava reopened on Friday after eleven weeks of repairs, "
        "the town's transport office said in a statement.</p></article></body></html>"
    )
    result = CliRunner().invoke(
        cli, ["run", str(page), "--case", str(tmp_path / "c.case"), "--extractor", "resiliparse", "--workers", "1"]
    )
    assert result.exit_code == 0, result.output
    with CaseReader(tmp_path / "c.case") as reader:
        [document] = (reader.document(i) for i in reader.document_sizes())
    assert document is not None and "reopened on Friday" in document.text
    with sqlite3.connect(tmp_path / "c.case") as db:  # which extractor made a text is in the case, not in its views
        assert db.execute("SELECT extractor FROM documents").fetchall() == [("resiliparse",)]


def test_run_on_a_missing_path_fails_naming_it_and_makes_no_case(tmp_path: Path) -> None:
    case = tmp_path / "x.case"
    result = CliRunner().invoke(cli, ["run", "/nope/does-not-exist", str(tmp_path / "gone.txt"), "--case", str(case)])
    assert result.exit_code == 1
    assert "nothing could be read" in result.output
    assert "/nope/does-not-exist: no such file or folder" in result.output
    assert f"{tmp_path / 'gone.txt'}: no such file or folder" in result.output
    assert not case.exists()


def test_run_on_a_folder_holding_no_supported_file_fails_naming_the_folder(tmp_path: Path) -> None:
    (tmp_path / "code").mkdir()
    (tmp_path / "code" / "pyproject.toml").write_text('[project]\nname = "x"\n')
    result = CliRunner().invoke(cli, ["run", str(tmp_path / "code"), "--case", str(tmp_path / "x.case")])
    assert result.exit_code == 1
    assert f"{tmp_path / 'code'}: the folder holds no file of a kind sourcetrace reads (skipped: .toml)" in result.output
    assert not (tmp_path / "x.case").exists()


def test_run_warns_of_a_folder_without_inputs_and_shows_the_files_it_skipped(tmp_path: Path) -> None:
    from tests.ingest.builders import tiny_png

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "story.txt").write_text("Lake closes\n\nThe lake was closed on Sunday, officials said.\n")
    (tmp_path / "in" / "pyproject.toml").write_text('[project]\nname = "x"\n')
    (tmp_path / "in" / "photo.png").write_bytes(tiny_png())
    (tmp_path / "empty").mkdir()
    case = str(tmp_path / "c.case")
    result = CliRunner().invoke(cli, ["run", str(tmp_path / "in"), str(tmp_path / "empty"), "--case", case,
                                      "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "2 files of no supported kind (.png, .toml)" in result.output
    assert f"Warning: {tmp_path / 'empty'} holds no file of a kind sourcetrace reads" in result.output
    status = CliRunner().invoke(cli, ["status", case])
    assert "skipped: 2 files of no supported kind (.png, .toml)" in status.output
    assert f"empty (warning)  {tmp_path / 'empty'}: the folder holds no file of a kind sourcetrace reads" in status.output


def test_run_with_a_case_in_a_missing_folder_says_the_folder_is_missing(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text("Lake closes\n\nThe lake was closed on Sunday.\n")
    result = CliRunner().invoke(cli, ["run", str(tmp_path / "story.txt"), "--case", "/nope/dir/x.case"])
    assert result.exit_code == 1
    assert "cannot create the case /nope/dir/x.case: the folder /nope/dir does not exist" in result.output
    assert "SQLite" not in result.output


def test_a_run_on_a_case_another_run_is_writing_refuses_clearly_and_changes_nothing(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text("Lake closes\n\nThe lake was closed on Sunday.\n")
    case = tmp_path / "c.case"
    with CaseStore(case):  # as a run in another terminal holds it
        result = CliRunner().invoke(cli, ["run", str(tmp_path / "story.txt"), "--case", str(case)])
    assert result.exit_code == 1
    assert "is being changed by another sourcetrace command" in result.output and "wait for it to finish" in result.output
    with CaseReader(case) as reader:
        assert reader.counts().inputs == 0
