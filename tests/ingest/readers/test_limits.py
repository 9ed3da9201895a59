"""The readers' limits on hostile inputs, one reader at a time and in this
process (tests/ingest/test_hostile_inputs.py runs them all through a run)."""

from __future__ import annotations

import gzip
import time
from pathlib import Path

from sourcetrace.ingest.read import ReadOptions, ingest_input
from sourcetrace.ingest.readers import DECOMPRESSION_FLOOR_BYTES, decompression_cap
from sourcetrace.ingest.readers.pdf import MAX_PDF_PAGES
from sourcetrace.records import ProblemReason
from tests.ingest.readers import hostile_files as hostile

LIMIT = 2**20
OPTIONS = ReadOptions(max_document_bytes=LIMIT)


def test_the_decompression_cap_is_a_ratio_with_a_floor() -> None:
    assert decompression_cap(1000) == DECOMPRESSION_FLOOR_BYTES
    assert decompression_cap(10 * 2**20) == 100 * 10 * 2**20
    assert decompression_cap(1000, 100 * 2**20) == 200 * 2**20  # two documents at the limit


def test_a_gzip_bomb_in_a_jsonl_stops_at_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "bomb.jsonl.gz"
    with gzip.open(path, "wb", compresslevel=1) as out:
        out.write(b'{"text": "a first line that is read"}\n')
        block = bytes(2**20)
        for _ in range(140):  # 140 MiB of zeros, no newline: one endless line
            out.write(block)
    result = ingest_input(str(path), OPTIONS)
    assert [d.text for d in result.documents] == ["a first line that is read"]
    (problem,) = result.problems
    assert problem.reason is ProblemReason.TOO_LARGE
    assert problem.message.startswith("decompressed beyond 128.0 MiB")


def test_a_gzip_bomb_in_a_csv_stops_at_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "bomb.csv.gz"
    with gzip.open(path, "wb", compresslevel=1) as out:
        out.write(b"title,text\nfirst,a first row that is read\n")
        lines = (b"again," + b"x" * 1000 + b"\n") * 1024
        for _ in range(140):  # 140 MiB of rows
            out.write(lines)
    result = ingest_input(str(path), OPTIONS)
    assert result.documents[0].text == "a first row that is read"
    assert result.problems[-1].reason is ProblemReason.TOO_LARGE
    assert "decompression bomb" in result.problems[-1].message


def test_a_csv_line_over_the_limit_is_its_row_and_the_rows_after_are_read(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    hostile.write_big_cell_csv(path, 3 * LIMIT)
    result = ingest_input(str(path), OPTIONS)
    assert [d.url for d in result.documents] == ["https://before.example/", "https://after.example/"]
    (problem,) = result.problems
    assert (problem.reason, problem.ordinal) == (ProblemReason.TOO_LARGE, 1)
    assert problem.message.startswith("row 2 (a line of 3,145,7")


def test_a_csv_cell_over_the_limit_across_short_lines_is_its_row(tmp_path: Path) -> None:
    path = tmp_path / "tall.csv"
    cell = 'a short line of the cell, ""quoted""\n' * (2 * LIMIT // 36)
    path.write_text(f'title,text\nbefore,the row before\nhuge,"{cell}",more\nafter,the row after\n', encoding="utf-8")
    result = ingest_input(str(path), OPTIONS)
    assert [d.text for d in result.documents] == ["the row before", "the row after"]  # the rest of the cell dropped
    (problem,) = result.problems
    assert (problem.reason, problem.ordinal) == (ProblemReason.TOO_LARGE, 1)
    assert problem.message.startswith(f"row 2 (a cell of more than {LIMIT:,} characters)")


def test_a_hostile_csv_header_does_not_stall_the_delimiter_sniffer(tmp_path: Path) -> None:
    path = tmp_path / "quotes.csv"
    path.write_text("text\n" + ',"' * 40_000 + "\n", encoding="utf-8")
    started = time.monotonic()
    ingest_input(str(path), OPTIONS)
    assert time.monotonic() - started < 10  # the whole 80 KB sample took csv.Sniffer about a minute


def test_pdf_bombs_are_problems(tmp_path: Path) -> None:
    cases = {
        "cycle.pdf": (hostile.pdf_page_tree_cycle(), ProblemReason.CORRUPT, "cyclic"),
        "bomb.pdf": (hostile.pdf_page_bomb(1000), ProblemReason.TOO_LARGE, "claims 1,000,000 pages"),
        "liar.pdf": (hostile.pdf_page_bomb(1000, claimed=1), ProblemReason.TOO_LARGE, "leads to more pages"),
        "many.pdf": (hostile.pdf_many_pages(MAX_PDF_PAGES + 1), ProblemReason.TOO_LARGE, "claims 10,001 pages"),
        "nested.pdf": (hostile.pdf_nested_arrays(100_000), ProblemReason.EXTRACTION_FAILED, "without end"),
    }
    for name, (data, reason, said) in cases.items():
        (tmp_path / name).write_bytes(data)
        result = ingest_input(str(tmp_path / name))  # the default document limit: many.pdf is 2.8 MB
        assert result.documents == [], name
        assert result.problems[0].reason is reason and said in result.problems[0].message, (name, result.problems)


def test_a_pdf_under_the_page_limit_is_read_and_a_self_drawing_form_stops(tmp_path: Path) -> None:
    (tmp_path / "form.pdf").write_bytes(hostile.pdf_form_recursion())
    (tmp_path / "pages.pdf").write_bytes(hostile.pdf_many_pages(40))
    form = ingest_input(str(tmp_path / "form.pdf"), OPTIONS)
    assert "The page before the form." in form.documents[0].text
    pages = ingest_input(str(tmp_path / "pages.pdf"), OPTIONS)
    assert pages.documents[0].text.count("of the long report") == 40
