"""Writers of hostile input files, small (tests/ingest/test_hostile_inputs.py)
or full size (bench/hostile_corpus.py): decompression bombs in WARC files,
very long lines, many tiny files, names with control characters and bidi
overrides, a CSV with a huge cell, and PDF page-count and recursion bombs.

Everything is streamed to disk: a 10 GB bomb is written from a 16 MiB buffer.
All text is fictional.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterator
from pathlib import Path

from tests.ingest.builders import article_html

# Each payload sets window.__pwned if it ever runs (tests/web/cases.py checks it never does).
XSS_SPEAKER = '<img src=x onerror="window.__pwned = \'speaker\'">'
XSS_TITLE = "<script>window.__pwned = 'title'</script>"
# Bidi overrides and isolates, and a zero-width mark: they reorder what is shown.
RLO, LRO, PDF_MARK, RLI, PDI, RLM = "\u202e", "\u202d", "\u202c", "\u2067", "\u2069", "\u200f"
BIDI_TITLE = f"Flood wall {RLO}llaw doolf{PDF_MARK} raised {RLI}by two metres{PDI}{RLM}"
CONTROL_TITLE = "Bell\x07 escape\x1b[31m red\x1b[0m backspace\x08 delete\x7f nul-free"
BIDI_SPEAKER = f"Ingrid {RLO}grebloS{PDF_MARK}"
# File names: a bidi override that makes "report<RLO>txt.exe" show as "reportexe.txt",
# terminal escapes, a bell, a tab, a newline, a carriage return, and script.
HOSTILE_NAMES = (
    f"report{RLO}lmth.exe.html",
    f"isolate{RLI}named{PDI}{LRO}page{PDF_MARK}.txt",
    "bell\x07 and escape \x1b[2J\x1b[31mred.txt",
    "tab\tnewline\nreturn\rname.txt",
    "del\x7f and c1 \u0085\u009b control.txt",
    f'{XSS_SPEAKER}.html',
)

_ZERO_CHUNK = 16 * 2**20

_PARAGRAPHS = (
    "The river authority of the fictional town of Osterby said on Tuesday that the flood defences along the "
    "northern embankment would be raised by two metres before the autumn storms.",
    "Engineers found cracks in three sluice gates during an inspection last month, the authority said in a "
    "statement, and the repairs will cost an estimated 4.2 million crowns.",
    "Residents of the lower quarter will be asked to move their cars from the quayside car park while heavy "
    "machinery is brought in over the bridge.",
)


def quote_page(speaker: str, title: str) -> str:
    """A page quoting ``speaker`` under ``title`` (both left as they are: hostile on purpose)."""
    quote = f"\u201cWe will raise the northern wall before the storms arrive,\u201d said {speaker}, the mayor."
    body = "".join(f"<p>{p}</p>" for p in (_PARAGRAPHS[0], quote, *_PARAGRAPHS[1:]))
    return (f"<!DOCTYPE html><html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"{body}</article></body></html>")


# --- WARC -----------------------------------------------------------------


def _warc_head(warc_type: str, uri: str, length: int, number: int) -> bytes:
    return (
        f"WARC/1.0\r\nWARC-Type: {warc_type}\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-{number:012d}>\r\n"
        f"WARC-Date: 2025-04-01T10:00:00Z\r\nWARC-Target-URI: {uri}\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {length}\r\n\r\n"
    ).encode("latin-1")


def _http_head(extra: str = "") -> bytes:
    return f"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n{extra}\r\n".encode("latin-1")


def warc_response(uri: str, html: str, number: int) -> bytes:
    """One whole WARC response record around an HTML page."""
    block = _http_head() + html.encode("utf-8")
    return _warc_head("response", uri, len(block), number) + block + b"\r\n\r\n"


def _zeros(count: int) -> Iterator[bytes]:
    chunk = bytes(min(count, _ZERO_CHUNK))
    while count > 0:
        piece = chunk if count >= len(chunk) else chunk[:count]
        yield piece
        count -= len(piece)


def write_gzip_bomb_warc(path: Path, bomb_bytes: int) -> int:
    """A .warc.gz, one gzip member per record: a page, then a response whose
    payload is ``bomb_bytes`` of spaces (a few KB a MB of gzip), then a page
    after it. Returns the file's size."""
    gzip_member = lambda: zlib.compressobj(6, zlib.DEFLATED, 31)  # noqa: E731 - gzip framing
    with open(path, "wb") as out:
        first = gzip_member()
        out.write(first.compress(warc_response("https://before.example/page", article_html("harbour"), 1)))
        out.write(first.flush())
        bomb = gzip_member()
        http = _http_head()
        out.write(bomb.compress(_warc_head("response", "https://bomb.example/", len(http) + bomb_bytes, 2) + http))
        space = b" " * _ZERO_CHUNK
        for piece in _zeros(bomb_bytes):
            out.write(bomb.compress(space[: len(piece)]))
        out.write(bomb.compress(b"\r\n\r\n"))
        out.write(bomb.flush())
        after = gzip_member()
        out.write(after.compress(warc_response("https://after.example/page", article_html("bridge"), 3)))
        out.write(after.flush())
    return path.stat().st_size


def write_content_encoding_bomb_warc(path: Path, bomb_bytes: int) -> int:
    """An uncompressed WARC whose response says Content-Encoding: gzip, with
    ``bomb_bytes`` of zeros in that gzip, between two good pages."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)
    body = b"".join(compressor.compress(piece) for piece in _zeros(bomb_bytes)) + compressor.flush()
    block = _http_head(f"Content-Encoding: gzip\r\nContent-Length: {len(body)}\r\n") + body
    with open(path, "wb") as out:
        out.write(warc_response("https://before.example/page", article_html("harbour"), 1))
        out.write(_warc_head("response", "https://encoded-bomb.example/", len(block), 2) + block + b"\r\n\r\n")
        out.write(warc_response("https://after.example/page", article_html("orchard"), 3))
    return path.stat().st_size


# --- long lines, tiny files, names ----------------------------------------------


def long_line(size: int) -> str:
    """``size`` characters of made-up sentences on one line, no newline
    anywhere. Never the same sentence twice, and none from the other files:
    the line is long, not a copy of anything. (A long line sharing words with
    the other files becomes a candidate pair with each of them, and verifying
    a pair with a long document is slow: that is the copy finder's to bound,
    not what this file tests.)"""
    parts: list[str] = []
    length = 0
    number = 0
    while length < size:
        sentence = _made_up_words(number, _LINE_SYLLABLES).capitalize() + ". "
        parts.append(sentence)
        length += len(sentence)
        number += 1
    return "".join(parts)[:size]


def write_long_lines(folder: Path, size: int) -> list[Path]:
    """A text file and an HTML page, each one line of ``size`` bytes."""
    text = folder / "one-line.txt"
    text.write_text(long_line(size), encoding="ascii")
    html = folder / "one-line.html"
    head = "<!DOCTYPE html><html><head><title>One line</title></head><body><article><p>"
    tail = "</p></article></body></html>"
    html.write_text(head + long_line(size - len(head) - len(tail)) + tail, encoding="ascii")
    return [text, html]


_SYLLABLES = ("ka", "lo", "mi", "ren", "sto", "vu", "dar", "el", "quo", "bi", "tez", "nor", "ush", "fa", "gri", "op")


# Every syllable of these holds a c, j, w, x or y, which none of _SYLLABLES does:
# no word of a long line is a word of a tiny note.
_LINE_SYLLABLES = ("cy", "jaw", "wex", "yo", "cij", "xu", "wy", "jec", "yax", "cow", "jy", "xew", "wic", "yuj",
                   "cax", "jo")


def _made_up_words(number: int, syllables: tuple[str, ...] = _SYLLABLES) -> str:
    words = []
    value = number * 2654435761 % 2**32  # a fixed scramble: neighbours differ in every word
    for _ in range(6):
        word = ""
        for _ in range(3):
            word += syllables[value % 16]
            value //= 16
        words.append(word)
        value = (value * 1103515245 + number + 12345) % 2**32
    return " ".join(words)


def tiny_note(number: int) -> str:
    """A short note of made-up words of 26 letters, its own for each number:
    tiny files that share no words. (Tiny files sharing words from a small
    vocabulary fill the copy finder's LSH buckets: 100,000 notes of 4,096
    words took the candidates step past 13 GB.)"""
    words = []
    value = (number + 1) * 0x9E3779B97F4A7C15 % 2**64
    for _ in range(6):
        word = ""
        for _ in range(7):
            word += chr(ord("a") + value % 26)
            value //= 26
        words.append(word)
        value = (value * 6364136223846793005 + 1442695040888963407 + number) % 2**64
    return f"Note {number}: {' '.join(words)}.\n"


def write_tiny_files(folder: Path, count: int) -> Path:
    """``count`` tiny text files in one folder (``tiny/``). Returns the folder."""
    tiny = folder / "tiny"
    tiny.mkdir()
    for number in range(count):
        fd = os.open(tiny / f"{number:07d}.txt", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            os.write(fd, tiny_note(number).encode())
        finally:
            os.close(fd)
    return tiny


def write_hostile_names(folder: Path) -> list[Path]:
    """Files named with control characters, bidi overrides and script, whose
    titles and speakers carry the same: each a page quoting the mayor."""
    names = folder / "names"
    names.mkdir()
    written = []
    titles = (BIDI_TITLE, CONTROL_TITLE, XSS_TITLE, f"{XSS_TITLE} {BIDI_TITLE}", BIDI_TITLE, XSS_TITLE)
    speakers = (BIDI_SPEAKER, XSS_SPEAKER, "Ingrid\x07 Solberg", XSS_SPEAKER, f"{RLM}Ingrid Solberg", XSS_SPEAKER)
    for name, title, speaker in zip(HOSTILE_NAMES, titles, speakers, strict=True):
        path = names / name
        page = quote_page(speaker, title)
        path.write_text(page if name.endswith(".html") else _plain(page), encoding="utf-8")
        written.append(path)
    return written


def _plain(page: str) -> str:
    """The page's title and paragraphs as plain text, markup-looking speakers kept."""
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    paragraphs = page.split("<article>", 1)[1].split("</h1>", 1)[1]
    texts = [p.removesuffix("</p>") for p in paragraphs.removesuffix("</article></body></html>").split("<p>") if p]
    return "\n\n".join([title, *texts]) + "\n"


# --- CSV ----------------------------------------------------------------------


def write_big_cell_csv(path: Path, cell_bytes: int) -> int:
    """A CSV whose second row's text cell is ``cell_bytes`` long (quoted, on one
    line), between two ordinary rows. Returns the file's size."""
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("title,url,text\r\n")
        out.write(f'Before,https://before.example/,"{" ".join(_PARAGRAPHS)}"\r\n')
        out.write('Huge cell,https://huge.example/,"')
        sentence = " ".join(_PARAGRAPHS) + " "
        block = sentence * (2**20 // len(sentence))
        left = cell_bytes
        while left > 0:
            piece = block[:left]
            out.write(piece)
            left -= len(piece)
        out.write('"\r\n')
        out.write(f'After,https://after.example/,"{_PARAGRAPHS[2]}"\r\n')
    return path.stat().st_size


# --- PDF ----------------------------------------------------------------------


def pdf_file(objects: list[bytes]) -> bytes:
    """A PDF of ``objects`` (numbered from 1; object 1 the catalog) with a correct xref."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _text_content(text: str) -> bytes:
    return b"BT /F1 12 Tf 72 720 Td (" + text.encode("latin-1") + b") Tj ET"


def pdf_page_tree_cycle() -> bytes:
    """A page tree whose /Kids lead back to its root: a recursion bomb."""
    return pdf_file([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 3 0 R] /Count 1 >>",
    ])


def pdf_form_recursion() -> bytes:
    """One page whose content draws a form that draws itself: a recursion bomb in the text layer."""
    return pdf_file([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 6 0 R >> /XObject << /X1 5 0 R >> >> >>",
        _stream(_text_content("The page before the form.") + b" /X1 Do"),
        _stream(_text_content("Inside the form.") + b" /X1 Do",
                b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] "
                b"/Resources << /Font << /F1 6 0 R >> /XObject << /X1 5 0 R >> >>"),
        _FONT,
    ])


def pdf_nested_arrays(depth: int) -> bytes:
    """One page whose content stream nests ``depth`` arrays: a parser recursion bomb."""
    return pdf_file([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        _stream(_text_content("Before the arrays.") + b" " + b"[" * depth + b"]" * depth + b" TJ"),
        _FONT,
    ])


def pdf_page_bomb(fanout: int, claimed: int | None = None) -> bytes:
    """fanout x fanout pages from three objects (every /Kids entry the same
    node): a page-count bomb of a few KB. ``claimed`` is the /Count the root
    states (default: the truth, fanout squared)."""
    count = fanout * fanout if claimed is None else claimed
    return pdf_file([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + b"3 0 R " * fanout + b"] /Count %d >>" % count,
        b"<< /Type /Pages /Parent 2 0 R /Kids [" + b"4 0 R " * fanout + b"] /Count %d >>" % fanout,
        b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 612 792] /Contents 5 0 R /Resources << /Font << /F1 6 0 R >> >> >>",
        _stream(_text_content("The same page again.")),
        _FONT,
    ])


def pdf_many_pages(count: int, claimed: int | None = None) -> bytes:
    """``count`` distinct one-line pages; the root states ``claimed`` (default: the truth)."""
    first_page = 4
    kids = b" ".join(b"%d 0 R" % (first_page + 2 * i) for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % (count if claimed is None else claimed),
        _FONT,
    ]
    for i in range(count):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 3 0 R >> >> >>" % (first_page + 2 * i + 1))
        objects.append(_stream(_text_content(f"Page {i + 1} of the long report.")))
    return pdf_file(objects)
