"""WARC and ARC reading: which records become documents, and truncation."""

from __future__ import annotations

import gzip
import tracemalloc
from pathlib import Path

import pytest

from sourcetrace.ingest.readers.warc import check_complete, inspect_archive, read_arc, read_warc
from sourcetrace.records import Problem, ProblemReason, RawDocument

from ..builders import (
    GzipMode,
    WarcRecordSpec,
    article_html,
    http_bytes,
    http_request,
    http_response,
    make_arc,
    make_warc,
    resource,
    warc_record_bytes,
    warcinfo,
)

LIMIT = 1 << 20
MODES: list[GzipMode] = [None, "per-record", "whole"]


def split(items: list[RawDocument | Problem]) -> tuple[list[RawDocument], list[Problem]]:
    documents = [item for item in items if isinstance(item, RawDocument)]
    problems = [item for item in items if isinstance(item, Problem)]
    return documents, problems


def three_pages() -> list[WarcRecordSpec]:
    return [
        warcinfo(),
        http_request("https://gazette.example/harbour"),
        http_response("https://gazette.example/harbour", article_html("harbour"), record_id="<urn:uuid:h-1>"),
        http_response("https://gazette.example/bridge", article_html("bridge"), date="2024-03-07T11:00:00Z"),
        http_response("https://gazette.example/orchard", article_html("orchard")),
    ]


@pytest.mark.parametrize("mode", MODES)
def test_every_html_response_becomes_a_document_in_any_compression(tmp_path: Path, mode: GzipMode) -> None:
    built = make_warc(tmp_path / "crawl.warc", three_pages(), gzip_mode=mode)
    documents, problems = split(list(read_warc(str(built.path), LIMIT)))
    assert problems == []
    assert [d.url for d in documents] == [
        "https://gazette.example/harbour",
        "https://gazette.example/bridge",
        "https://gazette.example/orchard",
    ]
    assert [d.ordinal for d in documents] == [2, 3, 4]  # record positions, warcinfo and request included
    assert documents[0].body == article_html("harbour").encode()
    assert all(d.media_type == "text/html" for d in documents)
    assert check_complete(str(built.path)) is None


def test_record_headers_become_document_metadata(tmp_path: Path) -> None:
    built = make_warc(tmp_path / "crawl.warc.gz", three_pages(), gzip_mode="per-record")
    documents, _ = split(list(read_warc(str(built.path), LIMIT)))
    assert documents[0].record_id == "<urn:uuid:h-1>"
    assert documents[1].fetched == "2024-03-07T11:00:00Z"
    assert documents[0].declared_charset == "utf-8"


def test_http_charset_is_passed_on(tmp_path: Path) -> None:
    record = http_response("https://x.example/", b"<p>caf\xe9</p>", content_type='text/html; charset="ISO-8859-1"')
    built = make_warc(tmp_path / "c.warc", [record])
    (document,) = split(list(read_warc(str(built.path), LIMIT)))[0]
    assert document.declared_charset == "ISO-8859-1"


def test_non_text_payloads_and_other_record_types_are_skipped_silently(tmp_path: Path) -> None:
    records = [
        warcinfo(),
        http_request("https://x.example/a"),
        http_response("https://x.example/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), content_type="image/png"),
        http_response("https://x.example/app.js", "var a = 1;", content_type="application/javascript"),
        http_response("https://x.example/old", "", content_type="text/html", status="301 Moved Permanently"),
        http_response("https://x.example/missing", article_html("bridge"), status="404 Not Found"),
        WarcRecordSpec("metadata", b"via: test\r\n", {"WARC-Target-URI": "https://x.example/a"}),
        http_response("https://x.example/story", article_html("orchard")),
    ]
    built = make_warc(tmp_path / "crawl.warc", records)
    documents, problems = split(list(read_warc(str(built.path), LIMIT)))
    assert problems == []
    assert [d.url for d in documents] == ["https://x.example/story"]


def test_resource_records_use_their_own_content_type(tmp_path: Path) -> None:
    records = [
        resource("file:///notes/statement.txt", b"The ministry denied the report.", "text/plain; charset=utf-8"),
        resource("file:///notes/page.html", article_html("harbour").encode(), "text/html"),
        resource("file:///notes/photo.jpg", b"\xff\xd8\xff\xe0" + bytes(100), "image/jpeg"),
    ]
    built = make_warc(tmp_path / "r.warc", records)
    documents, _ = split(list(read_warc(str(built.path), LIMIT)))
    assert [(d.url, d.media_type) for d in documents] == [
        ("file:///notes/statement.txt", "text/plain"),
        ("file:///notes/page.html", "text/html"),
    ]


def test_payload_without_content_type_is_sniffed(tmp_path: Path) -> None:
    records = [
        http_response("https://x.example/page", article_html("bridge"), content_type=None),
        resource("https://x.example/blob", bytes(range(256)), None),
    ]
    built = make_warc(tmp_path / "s.warc", records)
    documents, _ = split(list(read_warc(str(built.path), LIMIT)))
    assert [(d.url, d.media_type) for d in documents] == [("https://x.example/page", "text/html")]


def test_gzip_content_encoding_and_chunked_transfer_are_decoded(tmp_path: Path) -> None:
    html = article_html("harbour").encode()
    compressed = gzip.compress(html)
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(html), html)
    records = [
        http_response("https://x.example/gz", compressed, extra_http_headers=["Content-Encoding: gzip"]),
        http_response("https://x.example/chunked", chunked, extra_http_headers=["Transfer-Encoding: chunked"]),
    ]
    built = make_warc(tmp_path / "e.warc", records)
    documents, problems = split(list(read_warc(str(built.path), LIMIT)))
    assert problems == []
    assert [d.body for d in documents] == [html, html]


def test_record_over_the_size_limit_is_too_large_and_others_kept(tmp_path: Path) -> None:
    big = "<html><body>" + "<p>long story</p>" * 2000 + "</body></html>"
    records = [http_response("https://x.example/big", big), http_response("https://x.example/ok", article_html())]
    built = make_warc(tmp_path / "big.warc", records)
    documents, problems = split(list(read_warc(str(built.path), 10_000)))
    assert [d.url for d in documents] == ["https://x.example/ok"]
    assert [(p.reason, p.ordinal) for p in problems] == [(ProblemReason.TOO_LARGE, 0)]
    assert "max_document_bytes" in problems[0].message


def test_cut_inside_a_per_record_gzip_member_keeps_the_records_before(tmp_path: Path) -> None:
    full = make_warc(tmp_path / "full.warc.gz", three_pages(), gzip_mode="per-record")
    assert full.record_offsets is not None
    cut_at = full.record_offsets[4] + 40  # inside the last member
    built = make_warc(tmp_path / "cut.warc.gz", three_pages(), gzip_mode="per-record", truncate_at=cut_at)
    documents, problems = split(list(read_warc(str(built.path), LIMIT)))
    assert [d.ordinal for d in documents] == [2, 3]
    assert [p.reason for p in problems] == [ProblemReason.TRUNCATED]
    assert "after record 3" in problems[0].message
    assert check_complete(str(built.path)) == problems[0].message


def test_cut_inside_a_whole_file_gzip_stream_keeps_the_records_before(tmp_path: Path) -> None:
    full = make_warc(tmp_path / "full.warc.gz", three_pages(), gzip_mode="whole")
    built = make_warc(tmp_path / "cut.warc.gz", three_pages(), gzip_mode="whole", truncate_at=full.size - 60)
    documents, problems = split(list(read_warc(str(built.path), LIMIT)))
    assert [p.reason for p in problems] == [ProblemReason.TRUNCATED]
    check = inspect_archive(str(built.path))
    assert [d.ordinal for d in documents] == [o for o in (2, 3, 4) if o < check.records]
    assert "gzip stream ends" in problems[0].message


def test_uncompressed_cut_inside_content_names_record_and_offset(tmp_path: Path) -> None:
    full = make_warc(tmp_path / "full.warc", three_pages())
    assert full.record_offsets is not None
    built = make_warc(tmp_path / "cut.warc", three_pages(), truncate_at=full.record_offsets[3] + 600)
    documents, problems = split(list(read_warc(str(built.path), LIMIT)))
    assert [d.ordinal for d in documents] == [2]
    (problem,) = problems
    assert problem.reason is ProblemReason.TRUNCATED
    assert f"record 3 (starting at byte {full.record_offsets[3]})" in problem.message


def test_cut_inside_a_header_is_truncated(tmp_path: Path) -> None:
    full = make_warc(tmp_path / "full.warc", three_pages())
    assert full.record_offsets is not None
    built = make_warc(tmp_path / "cut.warc", three_pages(), truncate_at=full.record_offsets[4] + 30)
    message = check_complete(str(built.path))
    assert message is not None and "record 4" in message and "header" in message
    assert inspect_archive(str(built.path)).records == 4


def test_missing_final_terminator_is_truncated_but_keeps_the_whole_record(tmp_path: Path) -> None:
    full = make_warc(tmp_path / "full.warc", three_pages())
    built = make_warc(tmp_path / "cut.warc", three_pages(), truncate_at=full.size - 4)
    documents, problems = split(list(read_warc(str(built.path), LIMIT)))
    assert [d.ordinal for d in documents] == [2, 3, 4]
    assert [p.reason for p in problems] == [ProblemReason.TRUNCATED]


def test_whole_gzip_missing_only_its_trailer_keeps_all_records(tmp_path: Path) -> None:
    full = make_warc(tmp_path / "full.warc.gz", three_pages(), gzip_mode="whole")
    built = make_warc(tmp_path / "cut.warc.gz", three_pages(), gzip_mode="whole", truncate_at=full.size - 8)
    documents, problems = split(list(read_warc(str(built.path), LIMIT)))
    assert [d.ordinal for d in documents] == [2, 3, 4]
    assert [p.reason for p in problems] == [ProblemReason.TRUNCATED]


def test_wrong_content_length_is_corrupt_and_earlier_records_kept(tmp_path: Path) -> None:
    good = warc_record_bytes(http_response("https://x.example/a", article_html("harbour")))
    bad = warc_record_bytes(http_response("https://x.example/b", article_html("bridge")))
    bad = bad.replace(b"Content-Length: ", b"Content-Length: 1", 1)  # ten times too long, or more
    path = tmp_path / "bad.warc"
    path.write_bytes(good + bad + good)
    documents, problems = split(list(read_warc(str(path), LIMIT)))
    assert [d.url for d in documents] == ["https://x.example/a"]
    assert problems and problems[-1].reason in (ProblemReason.CORRUPT, ProblemReason.TRUNCATED)


def test_a_file_that_is_not_a_warc_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "notes.warc"
    path.write_text("These are my notes, not an archive.\n")
    documents, problems = split(list(read_warc(str(path), LIMIT)))
    assert documents == []
    assert [p.reason for p in problems] == [ProblemReason.CORRUPT]
    assert "not a WARC" in problems[0].message


def test_check_complete_streams_large_records(tmp_path: Path) -> None:
    body = b"<p>" + b"a" * (24 << 20) + b"</p>"
    records = [resource("https://x.example/huge", body, "text/html")]
    plain = make_warc(tmp_path / "big.warc", records)
    packed = make_warc(tmp_path / "big.warc.gz", records, gzip_mode="whole")
    for built in (plain, packed):
        tracemalloc.start()
        try:
            assert check_complete(str(built.path)) is None
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak < 8 << 20, f"{built.path.name}: peak {peak} bytes"


def test_large_non_text_payloads_are_skipped_without_being_read(tmp_path: Path) -> None:
    video = b"\x00\x00\x00\x18ftypmp42" + bytes(30 << 20)
    records = [
        http_response("https://x.example/clip.mp4", video, content_type="video/mp4"),
        http_response("https://x.example/story", article_html("bridge")),
    ]
    built = make_warc(tmp_path / "media.warc", records)
    tracemalloc.start()
    try:
        documents, problems = split(list(read_warc(str(built.path), 50 << 20)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [d.url for d in documents] == ["https://x.example/story"]
    assert problems == []
    assert peak < 8 << 20, f"peak {peak} bytes: the skipped payload was read"


def test_arc_responses_become_documents(tmp_path: Path) -> None:
    html = article_html("orchard").encode("latin-1")
    responses = [
        ("http://gazette.example/orchard", http_bytes(html, "text/html; charset=iso-8859-1")),
        ("http://gazette.example/logo.gif", http_bytes(b"GIF89a" + bytes(30), "image/gif")),
    ]
    for mode in (None, "per-record"):
        built = make_arc(tmp_path / f"old-{mode}.arc", responses, gzip_mode=mode)  # type: ignore[arg-type]
        documents, problems = split(list(read_arc(str(built.path), LIMIT)))
        assert problems == []
        assert [(d.url, d.ordinal, d.fetched) for d in documents] == [
            ("http://gazette.example/orchard", 1, "2024-03-05T10:00:00Z")
        ]
        assert documents[0].body == html
        assert documents[0].declared_charset == "iso-8859-1"


def test_truncated_arc_keeps_records_before_the_cut(tmp_path: Path) -> None:
    responses = [(f"http://gazette.example/{s}", http_bytes(article_html(s))) for s in ("harbour", "bridge")]
    full = make_arc(tmp_path / "full.arc", responses)
    assert full.record_offsets is not None
    built = make_arc(tmp_path / "cut.arc", responses, truncate_at=full.record_offsets[2] + 200)
    documents, problems = split(list(read_arc(str(built.path), LIMIT)))
    assert [d.url for d in documents] == ["http://gazette.example/harbour"]
    assert [p.reason for p in problems] == [ProblemReason.TRUNCATED]


def test_arc_content_named_warc_is_still_read(tmp_path: Path) -> None:
    responses = [("http://gazette.example/harbour", http_bytes(article_html("harbour")))]
    built = make_arc(tmp_path / "misnamed.warc", responses)
    documents, problems = split(list(read_warc(str(built.path), LIMIT)))
    assert problems == []
    assert [d.url for d in documents] == ["http://gazette.example/harbour"]


def test_a_negative_record_length_is_broken_framing_not_an_endless_loop(tmp_path: Path) -> None:
    """Found by fuzzing: skipping a negative length went back to the same record, for ever."""
    arc = tmp_path / "negative.arc"
    version = b"1 0 sourcetrace-tests\nURL IP-address Archive-date Content-type Archive-length\n"
    page = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>A page.</p></body></html>"
    arc.write_bytes(b"filedesc://negative.arc 192.0.2.7 20240305100000 text/plain %d\n%s\n" % (len(version), version)
                    + b"https://a.example/ 192.0.2.7 20240305100000 text/html -78\n" + page + b"\n")
    warc = tmp_path / "negative.warc"
    warc.write_bytes(b"WARC/1.0\r\nWARC-Type: resource\r\nWARC-Target-URI: https://a.example/\r\n"
                     b"Content-Type: text/plain\r\nContent-Length: -20\r\n\r\nSome text.\r\n\r\n")
    arc_check, warc_check = inspect_archive(str(arc)), inspect_archive(str(warc))
    assert arc_check.reason is ProblemReason.CORRUPT and "negative length" in arc_check.message
    assert warc_check.reason is ProblemReason.CORRUPT and "invalid Content-Length b'-20'" in warc_check.message
