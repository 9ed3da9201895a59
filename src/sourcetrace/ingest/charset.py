"""Turn raw bytes into text, saying which charset was used and what was lost.

Order of trust follows the HTML standard's encoding sniffing: a byte order
mark, then the charset the server declared (HTTP ``Content-Type``), then a
``<meta>`` declaration near the start of the page, then the bytes themselves
(valid UTF-8 is taken as UTF-8; anything else goes to charset-normalizer).
Decoding never fails: undecodable bytes become U+FFFD and are counted, so the
caller can record an UNDECODABLE warning instead of losing the page.
"""

from __future__ import annotations

import codecs
import re
import threading
from dataclasses import dataclass

import charset_normalizer

# Error handler name for bytes.decode / TextIOWrapper: like "replace", but counts.
COUNTING_REPLACE = "sourcetrace.count-replace"

META_SCAN_BYTES = 8192  # <meta charset> must appear early; the standard scans 1024

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 before UTF-16: the UTF-32-LE BOM starts with the UTF-16-LE one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Labels that browsers decode with a superset codec (WHATWG Encoding Standard):
# pages labelled latin-1 routinely contain Windows-1252 curly quotes, and so on.
# Keyed by Python's canonical codec name.
_WEB_SUPERSETS: dict[str, str] = {
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
}

# Web labels Python's codec registry does not know.
_WEB_ALIASES: dict[str, str] = {
    "x-sjis": "cp932",
    "windows-31j": "cp932",
    "x-gbk": "gb18030",
    "x-euc-jp": "euc_jp",
    "x-mac-roman": "mac_roman",
    "unicode-1-1-utf-8": "utf-8",
}

_META_CHARSET = re.compile(rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DecodedText:
    """Text decoded from bytes: the codec used and how many bytes were replaced."""

    text: str
    charset: str  # Python codec name, e.g. "utf-8", "cp1252", "shift_jis"
    replaced: int  # number of U+FFFD introduced by decoding errors


_replacements = threading.local()


def _count_and_replace(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    _replacements.count = replacement_count() + 1
    return "\ufffd", error.end


codecs.register_error(COUNTING_REPLACE, _count_and_replace)


def replacement_count() -> int:
    """Replacements made by the COUNTING_REPLACE handler in this thread so far."""
    return getattr(_replacements, "count", 0)


def codec_for_label(label: str | None) -> str | None:
    """The Python text codec for a charset label, or None if the label is bogus.

    Applies the web's superset mapping (iso-8859-1 decodes as windows-1252).
    """
    label = (label or "").strip().strip("\"'").lower()
    if not label:
        return None
    try:
        info = codecs.lookup(_WEB_ALIASES.get(label, label))
    except (LookupError, ValueError):  # ValueError: a NUL in the label (a crawled header can hold one)
        return None
    if not getattr(info, "_is_text_encoding", True):  # e.g. "base64", "rot13"
        return None
    return _WEB_SUPERSETS.get(info.name, info.name)


def decode_with(data: bytes, codec: str) -> DecodedText:
    """Decode with ``codec``, replacing and counting undecodable bytes."""
    before = replacement_count()
    text = data.decode(codec, COUNTING_REPLACE)
    return DecodedText(text, codec, replacement_count() - before)


def bom_codec(data: bytes) -> tuple[str, int] | None:
    """The codec named by a leading byte order mark, and the BOM's length."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec, len(bom)
    return None


def meta_charset(data: bytes) -> str | None:
    """The codec declared by ``<meta charset>`` or ``<meta http-equiv>`` near the start."""
    match = _META_CHARSET.search(data[:META_SCAN_BYTES])
    if match is None:
        return None
    codec = codec_for_label(match.group(1).decode("ascii", "replace"))
    if codec is not None and codec.startswith(("utf-16", "utf-32")):
        # The meta tag was readable as ASCII, so the page cannot be UTF-16/32.
        return "utf-8"
    return codec


def decode_html(data: bytes, declared_charset: str | None = None) -> DecodedText:
    """Decode an HTML payload: BOM, HTTP charset, <meta>, then detection."""
    bom = bom_codec(data)
    if bom is not None:
        return decode_with(data[bom[1] :], bom[0])
    codec = codec_for_label(declared_charset) or meta_charset(data)
    if codec is not None:
        return decode_with(data, codec)
    return _decode_undeclared(data)


def decode_text(data: bytes, declared_charset: str | None = None) -> DecodedText:
    """Decode plain text: BOM, declared charset, strict UTF-8, then detection."""
    bom = bom_codec(data)
    if bom is not None:
        return decode_with(data[bom[1] :], bom[0])
    codec = codec_for_label(declared_charset)
    if codec is not None:
        return decode_with(data, codec)
    return _decode_undeclared(data)


def detect_codec(sample: bytes) -> str | None:
    """charset-normalizer's best guess for ``sample``, as a Python codec name."""
    best = charset_normalizer.from_bytes(sample).best()
    return codec_for_label(best.encoding) if best is not None else None


def _decode_undeclared(data: bytes) -> DecodedText:
    # Valid UTF-8 beyond ASCII is almost never another encoding by accident,
    # and checking it is far cheaper than statistical detection.
    try:
        return DecodedText(data.decode("utf-8"), "utf-8", 0)
    except UnicodeDecodeError:
        pass
    codec = detect_codec(data)
    return decode_with(data, codec or "utf-8")
