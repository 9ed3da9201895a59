"""Build examples/demo/archive/crawl.warc.gz from the demo's HTML pages.

    python examples/make_demo_warc.py

The archive looks like a small crawl a researcher ran on 6 May 2024: a
warcinfo record, a request and a response record for each of three pages, and
one image (a site logo) that is not HTML. Record ids and dates are fixed, so
running the script again writes the same bytes.
"""

from __future__ import annotations

import struct
import uuid
import zlib
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

DEMO = Path(__file__).parent / "demo"
OUTPUT = DEMO / "archive" / "crawl.warc.gz"
USER_AGENT = "Mozilla/5.0 (compatible; research-crawler/1.0)"


@dataclass(frozen=True, slots=True)
class Capture:
    """One fetched resource: what was asked for, when, and what came back."""

    uri: str
    date: str  # WARC-Date, UTC
    content_type: str
    body: bytes


def demo_captures() -> list[Capture]:
    """Three of the demo pages and one logo, in crawl order. The Northgate URI
    carries feed tracking parameters, as links followed from a feed do; its
    canonical URL (in the page) has none."""
    web = DEMO / "web"
    html = "text/html; charset=utf-8"
    return [
        Capture(
            "https://www.harborledger.example/news/world/2024/03/13/council-of-nations-panel-vardenia-detentions/",
            "2024-05-06T09:12:03Z", html, (web / "harborledger-vardenia-panel.html").read_bytes(),
        ),
        Capture(
            "https://www.harborledger.example/wp-content/themes/ledger/logo.png",
            "2024-05-06T09:12:04Z", "image/png", tiny_png(16, 16, (12, 52, 96)),
        ),
        Capture(
            "https://www.northgate-daily.example/world/vardenia-secret-detention-panel-4471?utm_source=rss&utm_medium=feed",
            "2024-05-06T09:12:41Z", html, (web / "northgate-daily-vardenia-panel.html").read_bytes(),
        ),
        Capture(
            "https://www.calderobserver.example/news/2024/05/03/hollin-dam-sirens/",
            "2024-05-06T09:13:20Z", html, (web / "calderobserver-brenna-dam.html").read_bytes(),
        ),
    ]


def tiny_png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A one-colour PNG, written by hand so the script needs no imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def _record_id(*parts: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, '|'.join(parts))}>"


def warcinfo_record(writer: WARCWriter) -> ArcWarcRecord:
    fields = (
        "software: sourcetrace examples/make_demo_warc.py\r\n"
        "format: WARC File Format 1.0\r\n"
        "description: Demo crawl of three news pages, 6 May 2024\r\n"
        f"http-header-user-agent: {USER_AGENT}\r\n"
    ).encode()
    headers = {"WARC-Record-ID": _record_id("warcinfo", OUTPUT.name), "WARC-Date": "2024-05-06T09:12:00Z",
               "WARC-Filename": OUTPUT.name}
    return writer.create_warc_record("", "warcinfo", payload=BytesIO(fields), length=len(fields),
                                     warc_content_type="application/warc-fields", warc_headers_dict=headers)


def request_record(writer: WARCWriter, capture: Capture) -> ArcWarcRecord:
    parts = urlsplit(capture.uri)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    http = StatusAndHeaders(f"GET {target} HTTP/1.1",
                            [("Host", parts.netloc), ("User-Agent", USER_AGENT), ("Accept", "*/*")],
                            is_http_request=True)
    headers = {"WARC-Record-ID": _record_id("request", capture.uri), "WARC-Date": capture.date}
    return writer.create_warc_record(capture.uri, "request", payload=BytesIO(b""), length=0,
                                     http_headers=http, warc_headers_dict=headers)


def response_record(writer: WARCWriter, capture: Capture) -> ArcWarcRecord:
    http = StatusAndHeaders("200 OK", [("Content-Type", capture.content_type),
                                       ("Content-Length", str(len(capture.body))),
                                       ("Date", _http_date(capture.date))], protocol="HTTP/1.1")
    headers = {"WARC-Record-ID": _record_id("response", capture.uri), "WARC-Date": capture.date,
               "WARC-Concurrent-To": _record_id("request", capture.uri)}
    return writer.create_warc_record(capture.uri, "response", payload=BytesIO(capture.body),
                                     length=len(capture.body), http_headers=http, warc_headers_dict=headers)


def _http_date(warc_date: str) -> str:
    from datetime import datetime
    from email.utils import format_datetime

    return format_datetime(datetime.fromisoformat(warc_date.replace("Z", "+00:00")), usegmt=True)


def write_demo_warc(output: Path = OUTPUT) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    with open(output, "wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        writer.write_record(warcinfo_record(writer))
        for capture in demo_captures():
            writer.write_record(request_record(writer, capture))
            writer.write_record(response_record(writer, capture))


if __name__ == "__main__":
    write_demo_warc()
    print(f"wrote {OUTPUT}")
