"""Input kinds: extension first, then magic bytes; binary junk is recognised."""

from __future__ import annotations

import gzip
import os

import pytest

from sourcetrace.ingest.sniff import looks_binary, looks_like_html, sniff_kind
from sourcetrace.records import InputKind

TEXT_HEAD = b"Plain words about a harbour vote.\n"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("a.txt", InputKind.TEXT),
        ("notes.MD", InputKind.TEXT),
        ("page.html", InputKind.HTML),
        ("page.HTM", InputKind.HTML),
        ("page.xhtml", InputKind.HTML),
        ("crawl.warc", InputKind.WARC),
        ("crawl.warc.gz", InputKind.WARC),
        ("old.arc", InputKind.ARC),
        ("old.arc.gz", InputKind.ARC),
        ("rows.jsonl", InputKind.JSONL),
        ("rows.ndjson", InputKind.JSONL),
        ("rows.jsonl.gz", InputKind.JSONL),
        ("rows.csv", InputKind.CSV),
        ("rows.tsv", InputKind.CSV),
        ("report.pdf", InputKind.PDF),
        ("page.html.gz", InputKind.HTML),
    ],
)
def test_extension_decides_the_kind(name: str, kind: InputKind) -> None:
    assert sniff_kind(f"/pile/{name}", TEXT_HEAD) is kind


def test_extension_wins_over_content() -> None:
    assert sniff_kind("/pile/source.txt", b"<!DOCTYPE html><html><body>x</body></html>") is InputKind.TEXT


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", InputKind.PDF),
        (b"WARC/1.1\r\nWARC-Type: warcinfo\r\n", InputKind.WARC),
        (b"WARC/1.0\r\nWARC-Type: response\r\n", InputKind.WARC),
        (b"filedesc://crawl.arc 0.0.0.0 20240101000000 text/plain 70\n", InputKind.ARC),
        (b"<!DOCTYPE html>\n<html><head>", InputKind.HTML),
        (b"\xef\xbb\xbf  <!-- saved page -->\n<html lang=en>", InputKind.HTML),
        (b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml">', InputKind.HTML),
        (b"<HTML><BODY>shouting</BODY></HTML>", InputKind.HTML),
        (TEXT_HEAD, InputKind.TEXT),
    ],
)
def test_magic_bytes_decide_when_extension_is_unknown(head: bytes, kind: InputKind) -> None:
    assert sniff_kind("/pile/download_123", head) is kind


def test_gzip_magic_with_inner_warc_is_warc() -> None:
    head = gzip.compress(b"WARC/1.1\r\nWARC-Type: warcinfo\r\nContent-Length: 0\r\n\r\n\r\n\r\n")
    assert sniff_kind("/pile/crawl.bin", head) is InputKind.WARC
    assert sniff_kind("/pile/crawl.gz", head) is InputKind.WARC


def test_gzip_of_junk_is_unknown() -> None:
    assert sniff_kind("/pile/blob.gz", gzip.compress(bytes(range(256)) * 4)) is InputKind.UNKNOWN


def test_binary_junk_with_unknown_extension_is_unknown() -> None:
    junk = os.urandom(4096)
    assert looks_binary(junk)
    assert sniff_kind("/pile/image.jpg", junk) is InputKind.UNKNOWN


def test_control_bytes_without_nul_count_as_binary() -> None:
    head = bytes([1, 2, 3, 4, 5, 6, 0x0E, 0x0F]) * 20 + b"some text" * 10
    assert looks_binary(head)


@pytest.mark.parametrize(
    "head",
    [
        "Grüße aus Köln — “quoted”\r\n\tindented\n".encode(),
        "Caf\xe9 cr\xe8me".encode("latin-1"),
        "utf-16 text".encode("utf-16"),  # starts with a BOM; NULs are expected
        b"",
    ],
)
def test_text_in_any_encoding_is_not_binary(head: bytes) -> None:
    assert not looks_binary(head)


def test_html_is_not_detected_from_prose_mentioning_tags() -> None:
    assert not looks_like_html(b"We wrote <html> in the article about markup.")
