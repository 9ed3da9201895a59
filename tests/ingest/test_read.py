"""ingest_input: one input file in, its record, documents and problems out.

The bad-input tests each put one broken file next to a good page and check
three things: the Problem's reason, that the broken input's record (hash and
size) is still produced, and that the good page beside it still ingests.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

from sourcetrace.ingest import read, readers
from sourcetrace.ingest.extract import ExtractedPage
from sourcetrace.ingest.read import ReadOptions, ingest_input
from sourcetrace.records import IngestedInput, InputKind, Problem, ProblemReason, RawDocument

from .builders import (
    STORIES,
    PileResult,
    article_html,
    http_response,
    make_pdf,
    make_warc,
    story_text,
    tiny_png,
    warcinfo,
)

GOOD_PAGE = "good.html"


def ingested(result: IngestedInput | Problem) -> IngestedInput:
    assert isinstance(result, IngestedInput), result
    return result


def reasons(result: IngestedInput) -> list[ProblemReason]:
    return [p.reason for p in result.problems]


def pile_with(folder: Path, name: str, data: bytes) -> Path:
    """A folder holding one good news page and the file under test."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / GOOD_PAGE).write_text(article_html("bridge"), encoding="utf-8")
    path = folder / name
    path.write_bytes(data)
    return path


def assert_good_page_ingested(results: PileResult) -> None:
    good = ingested(results[GOOD_PAGE])
    assert good.problems == []
    (document,) = good.documents
    assert STORIES["bridge"][1][0] in document.text


def assert_record_of(result: IngestedInput, path: Path, kind: InputKind) -> None:
    data = path.read_bytes()
    assert result.input.path == str(path)
    assert result.input.sha256 == hashlib.sha256(data).hexdigest()
    assert result.input.size == len(data)
    assert result.input.kind is kind


# --- good inputs ---------------------------------------------------------------


def test_plain_text_is_one_document_with_newlines_normalised(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes("Line one\r\nLine two\rLine three — ok\n".encode())
    result = ingest_input(str(path))
    assert result.problems == []
    (document,) = result.documents
    assert document.text == "Line one\nLine two\nLine three — ok\n"
    assert (document.extractor, document.charset, document.media_type) == ("plain", "utf-8", "text/plain")
    assert_record_of(result, path, InputKind.TEXT)


def test_html_main_text_is_extracted_without_page_furniture(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(article_html("harbour", meta_charset="windows-1252").encode("cp1252"))
    result = ingest_input(str(path))
    assert result.problems == []
    (document,) = result.documents
    for paragraph in STORIES["harbour"][1]:
        assert paragraph in document.text
    assert "Copyright Marlow Gazette" not in document.text
    assert (document.extractor, document.charset) == ("trafilatura", "cp1252")
    assert document.title is not None and "ferry timetable" in document.title.lower()


def test_resiliparse_extractor_is_used_when_chosen(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(article_html("orchard"))
    result = ingest_input(str(path), ReadOptions(extractor="resiliparse"))
    (document,) = result.documents
    assert document.extractor == "resiliparse"
    assert STORIES["orchard"][1][1] in document.text


def test_input_record_identifies_the_raw_bytes(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(article_html())
    result = ingest_input(str(path))
    assert_record_of(result, path, InputKind.HTML)
    assert datetime.fromisoformat(result.input.ingested_at).tzinfo is not None


def test_relative_path_is_recorded_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.txt").write_text("words")
    monkeypatch.chdir(tmp_path)
    assert ingest_input("a.txt").input.path == str(tmp_path / "a.txt")


def test_warc_documents_carry_archive_metadata(tmp_path: Path) -> None:
    records = [
        warcinfo(),
        http_response(
            "https://gazette.example/orchard",
            article_html("orchard"),
            date="2024-04-01T09:15:00Z",
            record_id="<urn:uuid:orchard-1>",
        ),
    ]
    built = make_warc(tmp_path / "crawl.warc.gz", records, gzip_mode="per-record")
    result = ingest_input(str(built.path))
    assert result.problems == []
    (document,) = result.documents
    assert (document.ordinal, document.url, document.fetched, document.record_id) == (
        1,
        "https://gazette.example/orchard",
        "2024-04-01T09:15:00Z",
        "<urn:uuid:orchard-1>",
    )
    assert document.charset == "utf-8"
    assert STORIES["orchard"][1][2] in document.text
    assert result.input.kind is InputKind.WARC


def test_table_columns_win_over_extracted_metadata(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    row = {
        "html": article_html("harbour"),
        "title": "Column title",
        "url": "https://col.example/x",
        "published": "2024-02-29",
        "source": "Wire service",
    }
    path.write_text(json.dumps(row) + "\n")
    (document,) = ingest_input(str(path)).documents
    assert (document.title, document.url, document.published, document.source, document.record_id) == (
        "Column title",
        "https://col.example/x",
        "2024-02-29",
        "Wire service",
        "1",
    )
    assert document.extractor == "trafilatura"
    assert document.charset is None  # the text was never bytes of ours to decode
    assert STORIES["harbour"][1][0] in document.text


def test_extracted_metadata_fills_what_the_input_does_not_state(tmp_path: Path) -> None:
    page = article_html(
        "bridge",
        extra_head='<meta name="author" content="Ana Ruiz">'
        '<meta property="article:published_time" content="2024-03-01">',
    )
    path = tmp_path / "rows.jsonl"
    path.write_text(json.dumps({"html": page}) + "\n")
    (document,) = ingest_input(str(path)).documents
    assert document.title is not None and "bridge" in document.title.lower()
    assert document.author == "Ana Ruiz"
    assert document.published == "2024-03-01"


def test_pdf_document_is_read_with_pypdf(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "statement.pdf", [["The ministry issued a statement."]], info={"Author": "Press Office"})
    (document,) = ingest_input(str(path)).documents
    assert (document.text, document.extractor, document.author) == (
        "The ministry issued a statement.",
        "pypdf",
        "Press Office",
    )


def test_page_without_main_text_is_an_empty_warning_and_no_document(tmp_path: Path) -> None:
    path = tmp_path / "menu.html"
    path.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    result = ingest_input(str(path))
    assert result.documents == []
    (problem,) = result.problems
    assert (problem.reason, problem.severity, problem.ordinal) == (ProblemReason.EMPTY, "warning", 0)
    assert "no main text found" in problem.message


def test_unknown_extension_with_text_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "README"
    path.write_text(story_text("harbour"))
    result = ingest_input(str(path))
    assert result.input.kind is InputKind.TEXT
    assert result.documents[0].text == story_text("harbour")


def test_gzipped_html_without_extension_is_sniffed(tmp_path: Path) -> None:
    path = tmp_path / "download"
    path.write_bytes(gzip.compress(article_html("orchard").encode()))
    result = ingest_input(str(path))
    assert result.input.kind is InputKind.HTML
    assert STORIES["orchard"][1][0] in result.documents[0].text


# --- bad inputs ----------------------------------------------------------------


def test_binary_junk_named_explicitly_is_binary_not_text(tmp_path: Path) -> None:
    # Found in a folder, a .bin is skipped unread (test_discover.py); named by the user, it is read.
    path = tmp_path / "blob.bin"
    path.write_bytes(bytes(range(256)) * 16)
    junk = ingest_input(str(path))
    assert reasons(junk) == [ProblemReason.BINARY]
    assert junk.problems[0].message.startswith("not text")
    assert junk.documents == []
    assert_record_of(junk, path, InputKind.UNKNOWN)


@pytest.mark.parametrize("name", ["picture.html", "picture.txt"])
def test_binary_bytes_named_as_text_or_html_are_not_text(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(tiny_png())  # a picture saved under a page's name must not become a garbage document
    result = ingest_input(str(path))
    assert reasons(result) == [ProblemReason.BINARY]
    assert result.problems[0].message.startswith("not text") and result.documents == []


def test_empty_file_is_empty(tmp_path: Path, ingest_folder: Callable[..., PileResult]) -> None:
    path = pile_with(tmp_path, "empty.html", b"")
    results = ingest_folder(tmp_path)
    empty = ingested(results["empty.html"])
    assert reasons(empty) == [ProblemReason.EMPTY]
    assert_record_of(empty, path, InputKind.HTML)
    assert empty.input.sha256 == hashlib.sha256(b"").hexdigest()
    assert_good_page_ingested(results)


def test_undecodable_bytes_are_replaced_with_a_warning_and_the_document_kept(
    tmp_path: Path, ingest_folder: Callable[..., PileResult]
) -> None:
    page = article_html("orchard", meta_charset="utf-8").encode("utf-8")
    damaged = page.replace(b"late frost", b"late \xff\xfe frost")
    path = pile_with(tmp_path, "damaged.html", damaged)
    results = ingest_folder(tmp_path)
    result = ingested(results["damaged.html"])
    (problem,) = result.problems
    assert (problem.reason, problem.severity, problem.ordinal) == (ProblemReason.UNDECODABLE, "warning", 0)
    assert "2 byte sequence(s)" in problem.message and "utf-8" in problem.message
    (document,) = result.documents
    assert "late \ufffd\ufffd frost" in document.text
    assert_record_of(result, path, InputKind.HTML)
    assert_good_page_ingested(results)


def test_truncated_warc_gz_keeps_documents_before_the_cut(
    tmp_path: Path, ingest_folder: Callable[..., PileResult]
) -> None:
    records = [http_response(f"https://gazette.example/{s}", article_html(s)) for s in STORIES]
    full = make_warc(tmp_path / "full.warc.gz", records, gzip_mode="per-record")
    assert full.record_offsets is not None
    data = full.path.read_bytes()[: full.record_offsets[2] + 100]
    full.path.unlink()
    path = pile_with(tmp_path, "crawl.warc.gz", data)
    results = ingest_folder(tmp_path)
    result = ingested(results["crawl.warc.gz"])
    assert [d.url for d in result.documents] == ["https://gazette.example/harbour", "https://gazette.example/bridge"]
    assert reasons(result) == [ProblemReason.TRUNCATED]
    assert_record_of(result, path, InputKind.WARC)
    assert_good_page_ingested(results)


def test_corrupt_pdf_is_corrupt(tmp_path: Path, ingest_folder: Callable[..., PileResult]) -> None:
    path = pile_with(tmp_path, "report.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog broken")
    results = ingest_folder(tmp_path)
    result = ingested(results["report.pdf"])
    assert reasons(result) == [ProblemReason.CORRUPT]
    assert "PDF" in result.problems[0].message
    assert_record_of(result, path, InputKind.PDF)
    assert_good_page_ingested(results)


@pytest.mark.slow
def test_200_mb_file_is_too_large_and_hashed_in_a_stream(
    tmp_path: Path, ingest_folder: Callable[..., PileResult]
) -> None:
    line = b"The harbour council met again to discuss the ferry timetable.\n"
    block = line * (2**20 // len(line) + 1)
    block = block[: 2**20]
    expected = hashlib.sha256()
    pile_with(tmp_path, "huge.txt", b"")
    path = tmp_path / "huge.txt"
    with path.open("wb") as out:
        for _ in range(200):
            out.write(block)
            expected.update(block)
    try:
        results = ingest_folder(tmp_path)
        result = ingested(results["huge.txt"])
        assert reasons(result) == [ProblemReason.TOO_LARGE]
        message = result.problems[0].message
        assert "200.0 MiB (209715200 bytes)" in message
        assert "50.0 MiB" in message and "max_document_bytes" in message
        assert (result.input.sha256, result.input.size) == (expected.hexdigest(), 200 * 2**20)
        assert result.documents == []
        assert_good_page_ingested(results)
        # Measured alone: the first extraction above imports large libraries.
        tracemalloc.start()
        try:
            again = ingest_input(str(path))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert again.input.sha256 == expected.hexdigest()
        assert peak < 8 * 2**20, f"peak memory {peak} bytes: the file was not streamed"
    finally:
        path.unlink()


def test_symlink_loop_is_reported_and_the_rest_ingests(
    tmp_path: Path, ingest_folder: Callable[..., PileResult]
) -> None:
    pile_with(tmp_path, "story.txt", story_text("harbour").encode())
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to(tmp_path)
    results = ingest_folder(tmp_path)
    for name in ("loop", "sub/up"):
        problem = results[name]
        assert isinstance(problem, Problem) and problem.reason is ProblemReason.SYMLINK_LOOP
    assert ingested(results["story.txt"]).documents[0].text == story_text("harbour")
    assert_good_page_ingested(results)


def test_unreadable_file_is_unreadable_and_keeps_its_size(
    tmp_path: Path, ingest_folder: Callable[..., PileResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = pile_with(tmp_path, "locked.txt", b"secret words")
    real_open = readers.open_input

    def open_input(name: str):  # type: ignore[no-untyped-def]
        if name.endswith("locked.txt"):
            raise PermissionError(13, "Permission denied", name)
        return real_open(name)

    monkeypatch.setattr(readers, "open_input", open_input)
    results = ingest_folder(tmp_path)
    result = ingested(results["locked.txt"])
    assert reasons(result) == [ProblemReason.UNREADABLE]
    assert "Permission denied" in result.problems[0].message
    assert (result.input.path, result.input.size, result.input.sha256) == (str(path), 12, "")
    assert result.input.kind is InputKind.TEXT
    assert_good_page_ingested(results)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_file_without_read_permission_is_unreadable(tmp_path: Path, ingest_folder: Callable[..., PileResult]) -> None:
    path = pile_with(tmp_path, "locked.txt", b"secret words")
    path.chmod(0)
    try:
        results = ingest_folder(tmp_path)
    finally:
        path.chmod(0o644)
    assert reasons(ingested(results["locked.txt"])) == [ProblemReason.UNREADABLE]
    assert_good_page_ingested(results)


def test_csv_without_text_column_is_reported(tmp_path: Path, ingest_folder: Callable[..., PileResult]) -> None:
    path = pile_with(tmp_path, "links.csv", b"headline,link\nFerry vote,https://x.example\n")
    results = ingest_folder(tmp_path)
    result = ingested(results["links.csv"])
    assert reasons(result) == [ProblemReason.NO_TEXT_COLUMN]
    assert "'headline', 'link'" in result.problems[0].message
    assert_record_of(result, path, InputKind.CSV)
    assert_good_page_ingested(results)


def test_missing_file_is_not_found(tmp_path: Path) -> None:
    result = ingest_input(str(tmp_path / "gone.html"))
    assert reasons(result) == [ProblemReason.NOT_FOUND]
    assert (result.input.sha256, result.input.size) == ("", 0)


def test_fifo_is_unsupported_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    result = ingest_input(str(tmp_path / "pipe.txt"))
    assert reasons(result) == [ProblemReason.UNSUPPORTED]


def test_too_large_names_size_limit_and_option(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(article_html())
    size = path.stat().st_size
    result = ingest_input(str(path), ReadOptions(max_document_bytes=500))
    (problem,) = result.problems
    assert problem.reason is ProblemReason.TOO_LARGE
    assert f"is {size} bytes" in problem.message and "500 bytes limit" in problem.message
    assert "max_document_bytes" in problem.message
    assert result.input.size == size and result.documents == []


def test_extractor_exception_is_extraction_failed_and_other_documents_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_extract = read.extract_html

    def extract_html(html: str, url: str | None = None, extractor: str = "trafilatura", **kw: object) -> ExtractedPage:
        if url and url.endswith("bridge"):
            raise RuntimeError("parser blew up")
        return real_extract(html, url, extractor, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(read, "extract_html", extract_html)
    records = [http_response(f"https://gazette.example/{s}", article_html(s)) for s in STORIES]
    built = make_warc(tmp_path / "c.warc", records)
    result = ingest_input(str(built.path))
    assert [d.url for d in result.documents] == ["https://gazette.example/harbour", "https://gazette.example/orchard"]
    (problem,) = result.problems
    assert (problem.reason, problem.ordinal) == (ProblemReason.EXTRACTION_FAILED, 1)
    assert "RuntimeError: parser blew up" in problem.message


def test_reader_crash_keeps_documents_read_before_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def crashing_reader(path: str, limit: int) -> Iterator[RawDocument | Problem]:
        yield RawDocument(ordinal=0, body=b"first part", media_type="text/plain")
        raise ValueError("unexpected state")

    monkeypatch.setitem(read.READERS, InputKind.TEXT, crashing_reader)
    path = tmp_path / "notes.txt"
    path.write_text("first part")
    result = ingest_input(str(path))
    assert [d.text for d in result.documents] == ["first part"]
    assert reasons(result) == [ProblemReason.EXTRACTION_FAILED]
    assert "ValueError: unexpected state" in result.problems[0].message


def test_a_page_every_extractor_fails_on_is_an_extraction_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = tmp_path / "page.html"
    page.write_text(article_html("harbour"))
    failed = ExtractedPage(text="", extractor="trafilatura", error="trafilatura: ValueError; resiliparse: ValueError")
    monkeypatch.setattr(read, "extract_html", lambda *args, **kwargs: failed)
    result = ingest_input(str(page), ReadOptions())
    assert result.documents == []
    [problem] = result.problems
    assert problem.reason is ProblemReason.EXTRACTION_FAILED and "resiliparse: ValueError" in problem.message
