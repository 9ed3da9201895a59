"""JSONL and CSV/TSV tables: one document per row, columns found by name."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import pytest

from sourcetrace.ingest.readers.tables import read_csv, read_jsonl
from sourcetrace.records import Problem, ProblemReason, RawDocument

from ..builders import article_html, story_text

LIMIT = 1 << 20


def split(items: object) -> tuple[list[RawDocument], list[Problem]]:
    items = list(items)  # type: ignore[call-overload]
    return [i for i in items if isinstance(i, RawDocument)], [i for i in items if isinstance(i, Problem)]


def write_jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def test_jsonl_rows_become_documents_with_metadata(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "rows.jsonl",
        [
            {
                "Text": story_text("harbour"),
                "URL": "https://gazette.example/h",
                "title": "Ferry timetable",
                "published": "2024-03-05",
                "source": "Marlow Gazette",
                "author": "Ines Varga",
            },
            {"text": story_text("bridge"), "date": "2024-03-07"},
        ],
    )
    documents, problems = split(read_jsonl(str(path), LIMIT))
    assert problems == []
    first, second = documents
    assert (first.body, first.media_type, first.record_id, first.ordinal) == (
        story_text("harbour"),
        "text/plain",
        "1",
        0,
    )
    assert (first.url, first.title, first.published, first.source) == (
        "https://gazette.example/h",
        "Ferry timetable",
        "2024-03-05",
        "Marlow Gazette",
    )
    assert isinstance(first, RawDocument) and first.author == "Ines Varga"
    assert (second.record_id, second.published, second.url) == ("2", "2024-03-07", None)


def test_html_column_is_marked_for_extraction(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "pages.jsonl", [{"html": article_html("orchard"), "url": "https://o.example"}])
    (document,), _ = split(read_jsonl(str(path), LIMIT))
    assert document.media_type == "text/html"
    assert document.body == article_html("orchard")


def test_text_column_is_preferred_over_html_body_and_content(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "r.jsonl", [{"content": "c", "body": "b", "html": "<p>h</p>", "text": "t"}])
    (document,), _ = split(read_jsonl(str(path), LIMIT))
    assert (document.body, document.media_type) == ("t", "text/plain")


def test_bad_json_lines_are_bad_records_and_reading_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text(
        json.dumps({"text": "first row"})
        + "\n"
        + '{"text": "broken row\n'
        + "\n"
        + "[1, 2, 3]\n"
        + json.dumps({"text": ""})
        + "\n"
        + json.dumps({"text": 42})
        + "\n"
        + json.dumps({"text": "last row"})
        + "\n",
        encoding="utf-8",
    )
    documents, problems = split(read_jsonl(str(path), LIMIT))
    assert [(d.body, d.record_id) for d in documents] == [("first row", "1"), ("last row", "7")]
    assert [(p.reason, p.ordinal) for p in problems] == [
        (ProblemReason.BAD_RECORD, 1),
        (ProblemReason.BAD_RECORD, 3),
        (ProblemReason.BAD_RECORD, 4),
        (ProblemReason.BAD_RECORD, 5),
    ]
    assert "line 2" in problems[0].message and "invalid JSON" in problems[0].message
    assert "not an object" in problems[1].message
    assert "empty" in problems[2].message


def test_jsonl_without_text_field_lists_keys_and_accepted_names(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "r.jsonl", [{"headline": "x", "link": "y"}, {"headline": "z"}])
    documents, problems = split(read_jsonl(str(path), LIMIT))
    assert documents == []
    (problem,) = problems
    assert problem.reason is ProblemReason.NO_TEXT_COLUMN
    for name in ("headline", "link", "text", "html", "body", "content"):
        assert name in problem.message


def test_invalid_utf8_in_jsonl_is_replaced_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_bytes(b'{"text": "caf\xe9 opens"}\n')
    (document,), (problem,) = split(read_jsonl(str(path), LIMIT))
    assert document.body == "caf\ufffd opens"
    assert (problem.reason, problem.severity, problem.ordinal) == (ProblemReason.UNDECODABLE, "warning", 0)


def test_gzipped_jsonl_is_read(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl.gz"
    path.write_bytes(gzip.compress(json.dumps({"body": "from a gzip"}).encode() + b"\n"))
    (document,), _ = split(read_jsonl(str(path), LIMIT))
    assert document.body == "from a gzip"


def test_oversized_row_is_too_large_and_others_kept(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "r.jsonl", [{"text": "x" * 5000}, {"text": "short"}])
    documents, problems = split(read_jsonl(str(path), 1000))
    assert [d.body for d in documents] == ["short"]
    assert [(p.reason, p.ordinal) for p in problems] == [(ProblemReason.TOO_LARGE, 0)]


def test_overlong_json_line_is_skipped_without_loading_it(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps({"text": "x" * 50_000}) + "\n" + json.dumps({"text": "next"}) + "\n")
    documents, problems = split(read_jsonl(str(path), 1000))
    assert [(d.body, d.record_id) for d in documents] == [("next", "2")]
    assert [(p.reason, p.ordinal) for p in problems] == [(ProblemReason.TOO_LARGE, 0)]
    assert "line 1" in problems[0].message


def test_csv_rows_become_documents(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "t.csv",
        [
            ["id", "Title", "TEXT", "url", "date"],
            ["a", "Ferry", story_text("harbour"), "https://h.example", "2024-03-05"],
            ["b", "Bridge", 'Line one,\nline two with "quotes"', "", ""],
        ],
    )
    documents, problems = split(read_csv(str(path), LIMIT))
    assert problems == []
    assert [(d.title, d.record_id, d.ordinal) for d in documents] == [("Ferry", "1", 0), ("Bridge", "2", 1)]
    assert documents[0].body == story_text("harbour")
    assert documents[1].body == 'Line one,\nline two with "quotes"'
    assert (documents[0].url, documents[0].published) == ("https://h.example", "2024-03-05")
    assert documents[1].url is None


@pytest.mark.parametrize(("name", "delimiter"), [("t.tsv", "\t"), ("semi.csv", ";"), ("pipe.csv", "|")])
def test_delimiters_are_found(tmp_path: Path, name: str, delimiter: str) -> None:
    path = write_csv(tmp_path / name, [["title", "text"], ["A, B", "Words, with commas; and more"]], delimiter)
    (document,), problems = split(read_csv(str(path), LIMIT))
    assert problems == []
    assert (document.title, document.body) == ("A, B", "Words, with commas; and more")


def test_fields_beyond_the_default_csv_limit_are_read(tmp_path: Path) -> None:
    long_text = "word " * 60_000  # 300 KB, over csv's default 128 KiB field limit
    path = write_csv(tmp_path / "t.csv", [["text"], [long_text]])
    (document,), _ = split(read_csv(str(path), LIMIT))
    assert document.body == long_text


def test_csv_in_windows_1252_is_decoded(tmp_path: Path) -> None:
    text = "Le maire a déclaré: « la rénovation du quai commencera en été », a précisé l'élue Hélène."
    path = write_csv(tmp_path / "t.csv", [["texte", "text"], ["x", text]], encoding="cp1252")
    (document,), problems = split(read_csv(str(path), LIMIT))
    assert problems == []
    assert document.body == text


def test_csv_with_utf8_bom_header_is_read(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", [["text", "url"], ["body", "https://x.example"]], encoding="utf-8-sig")
    (document,), _ = split(read_csv(str(path), LIMIT))
    assert (document.body, document.url) == ("body", "https://x.example")


def test_csv_blank_lines_and_empty_text_rows(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("title,text\n\nA,first\nB,\n\nC,third\n", encoding="utf-8")
    documents, problems = split(read_csv(str(path), LIMIT))
    assert [(d.title, d.record_id) for d in documents] == [("A", "1"), ("C", "3")]
    assert [(p.reason, p.ordinal) for p in problems] == [(ProblemReason.BAD_RECORD, 1)]
    assert "row 2" in problems[0].message


def test_csv_without_text_column_lists_columns_and_accepted_names(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", [["headline", "link"], ["a", "b"], ["c", "d"]])
    documents, problems = split(read_csv(str(path), LIMIT))
    assert documents == []
    (problem,) = problems
    assert problem.reason is ProblemReason.NO_TEXT_COLUMN
    for name in ("'headline'", "'link'", "text", "html", "body", "content"):
        assert name in problem.message


def test_invalid_bytes_after_the_encoding_sample_are_a_warning(tmp_path: Path) -> None:
    valid_rows = "".join(f"row {n} is naïve but valid\n" for n in range(4000)).encode("utf-8")  # > 64 KiB
    path = tmp_path / "t.csv"
    path.write_bytes(b"text\n" + valid_rows + b"broken \xff row\n")
    documents, problems = split(read_csv(str(path), LIMIT))
    assert len(documents) == 4001
    assert documents[0].body == "row 0 is naïve but valid"
    assert documents[-1].body == "broken \ufffd row"
    assert [(p.reason, p.severity) for p in problems] == [(ProblemReason.UNDECODABLE, "warning")]
    assert "utf-8" in problems[0].message


def test_jsonl_row_missing_the_text_field_after_the_first_is_a_bad_record(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "r.jsonl", [{"text": "one"}, {"headline": "no text here"}, {"TEXT": "three"}])
    documents, problems = split(read_jsonl(str(path), LIMIT))
    assert [d.body for d in documents] == ["one", "three"]
    assert [(p.reason, p.ordinal) for p in problems] == [(ProblemReason.BAD_RECORD, 1)]
    assert "'headline'" in problems[0].message
