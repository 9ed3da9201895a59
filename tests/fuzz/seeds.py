"""Starting inputs for each fuzz target: small valid examples of every format.

The fuzzer mutates these; starting from valid files gets it past each format's
header checks in seconds instead of hours.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path

from tests.ingest.builders import (
    GzipMode,
    article_html,
    http_bytes,
    http_response,
    make_arc,
    make_pdf,
    make_warc,
    resource,
    warcinfo,
)

STORY = (
    "GENEVA (Reuters) - The panel said on Tuesday that it had found \"credible evidence\" of abuses.\n\n"
    "\"We will not stay silent,\" said Maria Lund, the panel's chair. The ministry denied the report, "
    "calling it \"lies and disinformation\".\n\nShare this article\nRead more: Panel report in full\n"
)


def _built(write: Callable[[Path], object], name: str) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        write(path)
        return path.read_bytes()


def _html() -> list[bytes]:
    page = article_html()
    meta = ('<html><head><meta property="article:published_time" content="1987-03-04T09:30:00Z">'
            '<meta name="author" content="Ann Reporter"><title>Old wire</title></head>'
            '<body><article><h1>Old wire</h1><p>' + STORY + "</p></article></body></html>")
    return [page.encode(), meta.encode(), b"<html><body><p>x</p></body></html>"]


def _warc(gzip_mode: GzipMode) -> bytes:
    records = [warcinfo(), http_response("https://news.example/a", _html()[0]),
               resource("https://news.example/b.txt", STORY.encode(), "text/plain")]
    return _built(lambda path: make_warc(path, records, gzip_mode), "seed.warc")


def _jsonl() -> list[bytes]:
    rows = [{"url": "https://a.example/1", "title": "Panel", "published": "2024-01-02", "text": STORY},
            {"url": "https://a.example/2", "html": _html()[0].decode(), "author": "Ann"}]
    return ["\n".join(json.dumps(row) for row in rows).encode() + b"\n", b'{"text": "\\ud800 lone"}\n']


def _csv() -> list[bytes]:
    quoted = STORY.replace('"', '""')
    return [f'url,title,published,text\nhttps://a.example/1,Panel,2024-01-02,"{quoted}"\n'.encode(),
            b"text\nshort\n"]


def seeds(target: str) -> list[bytes]:
    """The starting inputs of ``target`` (a name in tests.fuzz.targets.TARGETS)."""
    text = STORY.encode()
    by_target: dict[str, Callable[[], list[bytes]]] = {
        "read_text": lambda: [text, STORY.replace("\n", "\r\n").encode("utf-16"), "Ünïcödé".encode("latin-1")],
        "read_html": _html,
        "read_warc": lambda: [_warc(None), _warc("per-record"), _warc("whole")],
        "read_arc": lambda: [_built(lambda p: make_arc(p, [("https://a.example/", http_bytes(_html()[1]))]),
                                    "seed.arc")],
        "read_jsonl": _jsonl,
        "read_csv": _csv,
        "read_pdf": lambda: [_built(lambda p: make_pdf(p, [STORY.splitlines()[:2], ["page two"]],
                                                       {"Title": "Panel", "Author": "Ann"}), "seed.pdf")],
        "extraction": _html,
        "segmentation": lambda: [b"\x00\x10\x20\x05\x30\x02\x40\x01" + text, text],
        "statements": lambda: [text, b'"It is over," he said.', b"According to the ministry, there is no such thing."],
        "export": lambda: [b"Title\x00https://x.example/\x00Author\x00Body text\x00Headline\x00Speaker",
                           "<script>\u202e\x00\x7f".encode()],
    }
    return by_target[target]()
