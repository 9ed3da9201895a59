"""Decide how to read an input from its name, then from its first bytes."""

from __future__ import annotations

import re
import zlib

from sourcetrace.records import InputKind

HEAD_BYTES = 8192  # how much of a file the sniffers look at
GZIP_MAGIC = b"\x1f\x8b"

_EXTENSIONS: dict[str, InputKind] = {
    ".txt": InputKind.TEXT,
    ".md": InputKind.TEXT,
    ".html": InputKind.HTML,
    ".htm": InputKind.HTML,
    ".xhtml": InputKind.HTML,
    ".warc": InputKind.WARC,
    ".arc": InputKind.ARC,
    ".jsonl": InputKind.JSONL,
    ".ndjson": InputKind.JSONL,
    ".csv": InputKind.CSV,
    ".tsv": InputKind.CSV,
    ".pdf": InputKind.PDF,
}

_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
_XML_HTML = re.compile(rb"^\s*<\?xml[^>]*>\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S)
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\v\x1b")
_UTF16_32_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


def sniff_kind(path: str, head: bytes) -> InputKind:
    """The kind of input at ``path`` whose first bytes are ``head``.

    The extension decides when it is known (``.gz`` wrappers are looked
    through); otherwise magic bytes do. Unknown but text-like content is read
    as TEXT; unknown binary content is UNKNOWN (the caller reports BINARY).
    """
    name = path.lower()
    gzipped = name.endswith(".gz")
    if gzipped:
        name = name[: -len(".gz")]
    kind = kind_from_extension(name)
    if kind is not None:
        return kind
    if gzipped or head.startswith(GZIP_MAGIC):
        inner = gunzip_head(head)
        return kind_from_magic(inner) if inner is not None else InputKind.UNKNOWN
    return kind_from_magic(head)


def kind_from_extension(name: str) -> InputKind | None:
    """The kind named by a file name's extension (lower case, no ``.gz``)."""
    dot = name.rfind(".")
    return _EXTENSIONS.get(name[dot:]) if dot >= 0 else None


def kind_from_magic(head: bytes) -> InputKind:
    """The kind recognised from the first bytes of an (uncompressed) file."""
    if head.startswith(b"%PDF-"):
        return InputKind.PDF
    if head.startswith(b"WARC/1."):
        return InputKind.WARC
    if head.startswith(b"filedesc://"):
        return InputKind.ARC
    if looks_like_html(head):
        return InputKind.HTML
    if looks_binary(head):
        return InputKind.UNKNOWN
    return InputKind.TEXT


def looks_like_html(head: bytes) -> bool:
    """True if ``head`` starts like an HTML document (after an optional BOM)."""
    head = head.removeprefix(b"\xef\xbb\xbf")
    return bool(_HTML_START.match(head) or _XML_HTML.match(head))


def looks_binary(head: bytes) -> bool:
    """True if ``head`` is not text: NUL bytes or many control bytes.

    Text led by a UTF-16/32 byte order mark legitimately contains NULs.
    """
    if not head or head.startswith(_UTF16_32_BOMS):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if (byte < 0x20 and byte not in _TEXT_CONTROLS) or byte == 0x7F)
    return controls / len(head) > 0.05


def gunzip_head(head: bytes) -> bytes | None:
    """The first decompressed bytes of a gzip stream's head, or None if not gzip."""
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, HEAD_BYTES)
    except zlib.error:
        return None
