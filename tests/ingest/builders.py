"""Builders for the input files the ingest tests read (web pages, WARC and ARC
archives, PDFs) and a helper that ingests a folder as the pipeline does.
All text is fictional and written for these tests."""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from sourcetrace.ingest.discover import iter_input_files
from sourcetrace.ingest.read import ReadOptions, ingest_input
from sourcetrace.records import IngestedInput, Problem

GzipMode = Literal["per-record", "whole"] | None
PileResult = dict[str, IngestedInput | Problem]

STORIES: dict[str, tuple[str, list[str]]] = {
    "harbour": (
        "Harbour council approves new ferry timetable",
        [
            "The harbour council of the fictional port town of Marlow voted on Tuesday evening to approve "
            "a new ferry timetable that adds four crossings a day to the island of Esk.",
            "Council member Ines Varga said the change followed two years of complaints from commuters who "
            "waited up to ninety minutes for a boat during the summer season.",
            "The operator, Marlow Sound Lines, said the extra crossings would begin in the first week of May "
            "and would be reviewed after six months.",
        ],
    ),
    "bridge": (
        "Old river bridge to close for repairs",
        [
            "Engineers in the fictional city of Tarnow will close the old river bridge for eleven weeks "
            "starting next Monday, the city's transport office announced.",
            "Inspections last winter found corrosion in two of the bridge's steel supports, according to a "
            "report published by the office on Friday afternoon.",
            "Buses will be diverted over the northern crossing, adding roughly fifteen minutes to journeys "
            "between the old town and the railway station.",
        ],
    ),
    "orchard": (
        "Frost damages orchards across the valley",
        [
            "A late frost on Saturday night damaged apple and pear blossom across the fictional Velden "
            "valley, growers' association chair Tomas Brandt told reporters.",
            "Brandt estimated that a third of this year's harvest could be lost in the worst-hit orchards "
            "near the river, where temperatures fell to minus four degrees.",
            "The regional agriculture office said it would send inspectors to assess the damage before "
            "deciding on any compensation for the affected farms.",
        ],
    ),
}


def article_html(
    story: str = "harbour", *, meta_charset: str | None = None, extra_head: str = "", lang: str = "en"
) -> str:
    """A small news page around one story, with navigation furniture."""
    title, paragraphs = STORIES[story]
    meta = f'<meta charset="{meta_charset}">' if meta_charset else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head>{meta}{extra_head}<title>{title} | Marlow Gazette</title></head>'
        '<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>'
        f"<article><h1>{title}</h1>{body}</article>"
        "<footer>Copyright Marlow Gazette</footer></body></html>"
    )


def story_text(story: str) -> str:
    """The story's title and paragraphs as plain text."""
    title, paragraphs = STORIES[story]
    return "\n\n".join([title, *paragraphs])


# --- WARC -----------------------------------------------------------------


@dataclass(frozen=True)
class WarcRecordSpec:
    """One WARC record to write: its type, extra headers and block bytes."""

    warc_type: str
    block: bytes
    headers: dict[str, str] = field(default_factory=dict)


def http_response(
    uri: str,
    body: bytes | str,
    *,
    content_type: str | None = "text/html; charset=utf-8",
    status: str = "200 OK",
    date: str = "2024-03-05T10:00:00Z",
    record_id: str | None = None,
    extra_http_headers: Sequence[str] = (),
) -> WarcRecordSpec:
    """A WARC response record carrying an HTTP response."""
    payload = body.encode("utf-8") if isinstance(body, str) else body
    lines = [f"HTTP/1.1 {status}"]
    if content_type is not None:
        lines.append(f"Content-Type: {content_type}")
    lines.extend(extra_http_headers)
    http_head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    return WarcRecordSpec(
        "response",
        http_head + payload,
        {
            "WARC-Target-URI": uri,
            "WARC-Date": date,
            "WARC-Record-ID": record_id or f"<urn:uuid:response-{zlib.crc32((uri + date).encode()):08x}>",
            "Content-Type": "application/http; msgtype=response",
        },
    )


def resource(uri: str, payload: bytes, content_type: str | None, record_id: str | None = None) -> WarcRecordSpec:
    """A WARC resource record (a payload stored without HTTP headers)."""
    headers = {
        "WARC-Target-URI": uri,
        "WARC-Date": "2024-03-06T08:30:00Z",
        "WARC-Record-ID": record_id or f"<urn:uuid:resource-{zlib.crc32(uri.encode()):08x}>",
    }
    if content_type is not None:
        headers["Content-Type"] = content_type
    return WarcRecordSpec("resource", payload, headers)


def warcinfo() -> WarcRecordSpec:
    return WarcRecordSpec(
        "warcinfo",
        b"software: sourcetrace-tests\r\nformat: WARC File Format 1.1\r\n",
        {"WARC-Record-ID": "<urn:uuid:warcinfo-0001>", "Content-Type": "application/warc-fields"},
    )


def http_request(uri: str) -> WarcRecordSpec:
    block = f"GET {uri} HTTP/1.1\r\nHost: example.org\r\n\r\n".encode()
    return WarcRecordSpec(
        "request",
        block,
        {
            "WARC-Target-URI": uri,
            "WARC-Record-ID": f"<urn:uuid:request-{zlib.crc32(uri.encode()):08x}>",
            "Content-Type": "application/http; msgtype=request",
        },
    )


def warc_record_bytes(spec: WarcRecordSpec) -> bytes:
    """One record framed as WARC/1.1: header block, content, CRLF CRLF."""
    headers = {"WARC-Type": spec.warc_type, **spec.headers, "Content-Length": str(len(spec.block))}
    head = "WARC/1.1\r\n" + "".join(f"{name}: {value}\r\n" for name, value in headers.items()) + "\r\n"
    return head.encode("utf-8") + spec.block + b"\r\n\r\n"


@dataclass(frozen=True)
class BuiltArchive:
    """A written archive and where each record starts in the file.

    ``record_offsets`` are file offsets (of each gzip member for per-record
    compression); None for whole-file gzip, where records have no file offset.
    """

    path: Path
    size: int
    record_offsets: list[int] | None


def make_warc(
    path: Path,
    records: Sequence[WarcRecordSpec],
    gzip_mode: GzipMode = None,
    truncate_at: int | None = None,
) -> BuiltArchive:
    """Write a WARC file: uncompressed, one gzip member per record, or one gzip
    stream over the whole file; optionally cut after ``truncate_at`` bytes."""
    framed = [warc_record_bytes(spec) for spec in records]
    return _write_archive(path, framed, gzip_mode, truncate_at)


def _write_archive(path: Path, framed: Sequence[bytes], gzip_mode: GzipMode, truncate_at: int | None) -> BuiltArchive:
    offsets: list[int] | None = []
    out = io.BytesIO()
    if gzip_mode == "whole":
        out.write(gzip.compress(b"".join(framed), mtime=0))
        offsets = None
    else:
        for record in framed:
            offsets.append(out.tell())
            out.write(gzip.compress(record, mtime=0) if gzip_mode == "per-record" else record)
    data = out.getvalue()
    if truncate_at is not None:
        data = data[:truncate_at]
    path.write_bytes(data)
    return BuiltArchive(path, len(data), offsets)


# --- ARC ------------------------------------------------------------------


def make_arc(
    path: Path,
    responses: Sequence[tuple[str, bytes]],
    gzip_mode: GzipMode = None,
    truncate_at: int | None = None,
) -> BuiltArchive:
    """Write an ARC v1 file: a filedesc record, then one record per
    (url, HTTP response bytes)."""
    version_block = b"1 0 sourcetrace-tests\nURL IP-address Archive-date Content-type Archive-length\n"
    framed = [_arc_record(f"filedesc://{path.name}", "text/plain", version_block)]
    framed += [_arc_record(url, "text/html", http) for url, http in responses]
    return _write_archive(path, framed, gzip_mode, truncate_at)


def _arc_record(url: str, content_type: str, block: bytes) -> bytes:
    return f"{url} 192.0.2.7 20240305100000 {content_type} {len(block)}\n".encode() + block + b"\n"


def http_bytes(body: bytes | str, content_type: str = "text/html; charset=utf-8", status: str = "200 OK") -> bytes:
    payload = body.encode("utf-8") if isinstance(body, str) else body
    return f"HTTP/1.0 {status}\r\nContent-Type: {content_type}\r\n\r\n".encode() + payload


# --- PDF ------------------------------------------------------------------


def make_pdf(path: Path, pages: Sequence[Sequence[str]], info: dict[str, str] | None = None) -> Path:
    """Write a minimal PDF 1.4 whose pages show ``pages`` (lines of text) in
    Helvetica, with a correct cross-reference table and optional /Info."""
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    page_ids = [4 + 2 * i for i in range(len(pages))]
    kids = b" ".join(b"%d 0 R" % page_id for page_id in page_ids)
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(pages))
    for page_id, lines in zip(page_ids, pages, strict=True):
        stream = _pdf_text_stream(lines)
        objects[page_id] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (page_id + 1)
        )
        objects[page_id + 1] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)
    trailer_info = b""
    if info:
        info_id = max(objects) + 1
        entries = b" ".join(b"/%s (%s)" % (key.encode(), _pdf_string(value)) for key, value in info.items())
        objects[info_id] = b"<< " + entries + b" >>"
        trailer_info = b" /Info %d 0 R" % info_id
    path.write_bytes(_pdf_file(objects, trailer_info))
    return path


def _pdf_text_stream(lines: Sequence[str]) -> bytes:
    operations = [b"BT /F1 12 Tf 14 TL 72 720 Td"]
    operations += [b"(" + _pdf_string(line) + b") Tj T*" for line in lines]
    operations.append(b"ET")
    return b"\n".join(operations)


def _pdf_string(text: str) -> bytes:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1")


def _pdf_file(objects: dict[int, bytes], trailer_info: bytes) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, objects[number]))
    xref_at = out.tell()
    size = max(objects) + 1
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for number in range(1, size):
        out.write(b"%010d 00000 n \n" % offsets[number])
    out.write(b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (size, trailer_info, xref_at))
    return out.getvalue()


def tiny_png() -> bytes:
    """A valid 1x1 PNG: the picture a folder of saved pages typically holds beside them."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    header = (1).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
            + chunk(b"IEND", b""))


# --- ingesting a pile -------------------------------------------------------------


def ingest_pile(folder: Path, options: ReadOptions | None = None) -> PileResult:
    """Discover and ingest everything under ``folder`` as the pipeline does,
    keyed by path relative to the folder."""
    results: PileResult = {}
    for item in iter_input_files([str(folder)]):
        if isinstance(item, Problem):
            results[str(Path(item.path).relative_to(folder))] = item
        else:
            results[str(Path(item).relative_to(folder))] = ingest_input(item, options or ReadOptions())
    return results
