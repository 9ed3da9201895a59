"""Charset decoding: which source of truth wins, and what gets counted as lost."""

from __future__ import annotations

import codecs

import pytest

from sourcetrace.ingest.charset import codec_for_label, decode_html, decode_text, meta_charset

FRENCH = (
    "Le conseil municipal de la ville fictive de Marlow a approuvé mardi soir un nouveau règlement "
    "sur les marchés. « C'est une décision très attendue », a déclaré l'élue Hélène Dupré. Les "
    "commerçants étaient nombreux à réclamer des horaires élargis et une meilleure signalisation."
)
JAPANESE = (
    "架空の港町マーロウの議会は火曜日の夜、島へのフェリーの便を一日四便増やす新しい時刻表を承認した。"
    "通勤客からは夏の間、船を九十分も待たされるという苦情が二年間寄せられていた。"
    "運航会社は五月の第一週から増便を始めると述べた。"
)
CHINESE = (
    "虚构的港口城镇马洛的议会星期二晚上批准了新的渡轮时刻表，每天增加四个班次前往埃斯克岛。"
    "议员表示，这一变化是因为通勤者两年来一直抱怨夏季要等待长达九十分钟。"
    "运营公司说，新增班次将从五月第一周开始。"
)
RUSSIAN = "Городской совет вымышленного города Марлоу во вторник утвердил новое расписание паромов."


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}<title>t</title></head><body><p>{body}</p></body></html>"


def test_undeclared_windows_1252_is_detected() -> None:
    decoded = decode_html(page(FRENCH).encode("cp1252"))
    assert decoded.charset == "cp1252"
    assert FRENCH in decoded.text
    assert decoded.replaced == 0


def test_meta_iso_8859_1_decodes_as_windows_1252_like_browsers() -> None:
    # Pages labelled latin-1 often hold Windows-1252 curly quotes (0x93/0x94).
    html = page("Caf\xe9 \x93open\x94", head='<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">')
    decoded = decode_html(html.encode("latin-1"))
    assert decoded.charset == "cp1252"
    assert "Café “open”" in decoded.text
    assert decoded.replaced == 0


def test_meta_charset_attribute_is_used() -> None:
    decoded = decode_html(page(RUSSIAN, head='<meta charset="windows-1251">').encode("cp1251"))
    assert decoded.charset == "cp1251"
    assert RUSSIAN in decoded.text


@pytest.mark.parametrize(
    ("text", "encoding", "expected_codec"),
    [
        (JAPANESE, "shift_jis", "cp932"),
        (CHINESE, "gb2312", "gb18030"),
    ],
)
def test_east_asian_encodings_are_detected_without_declaration(text: str, encoding: str, expected_codec: str) -> None:
    decoded = decode_html(page(text).encode(encoding))
    assert decoded.charset == expected_codec
    assert text in decoded.text
    assert decoded.replaced == 0


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom_is_decoded_and_bom_dropped(encoding: str) -> None:
    bom = codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE
    decoded = decode_html(bom + page(FRENCH).encode(encoding))
    assert decoded.charset == encoding
    assert decoded.text.startswith("<html>")
    assert FRENCH in decoded.text


def test_http_header_charset_overrides_meta() -> None:
    html = page(RUSSIAN, head='<meta charset="iso-8859-1">').encode("cp1251")
    decoded = decode_html(html, declared_charset="windows-1251")
    assert decoded.charset == "cp1251"
    assert RUSSIAN in decoded.text


def test_bom_overrides_http_header() -> None:
    decoded = decode_html(codecs.BOM_UTF8 + page(FRENCH).encode("utf-8"), declared_charset="iso-8859-1")
    assert decoded.charset == "utf-8"
    assert FRENCH in decoded.text


def test_bogus_header_label_falls_back_to_meta() -> None:
    html = page(RUSSIAN, head='<meta charset="koi8-r">').encode("koi8-r")
    decoded = decode_html(html, declared_charset="x-no-such-charset")
    assert decoded.charset == "koi8-r"
    assert RUSSIAN in decoded.text


def test_a_header_label_holding_a_nul_is_bogus_too() -> None:
    """Found by fuzzing an ARC record: codecs.lookup raises ValueError, not LookupError, on a NUL."""
    html = page(RUSSIAN, head='<meta charset="koi8-r">').encode("koi8-r")
    assert codec_for_label("utf-8\x00") is None
    assert decode_html(html, declared_charset="koi8\x00r").charset == "koi8-r"


def test_bogus_meta_label_falls_back_to_detection() -> None:
    html = page(FRENCH, head='<meta charset="utf-9000">').encode("cp1252")
    decoded = decode_html(html)
    assert decoded.charset == "cp1252"
    assert FRENCH in decoded.text


def test_non_text_codec_labels_are_rejected() -> None:
    assert codec_for_label("base64") is None
    assert codec_for_label("rot13") is None
    assert codec_for_label("UTF-8") == "utf-8"
    assert codec_for_label(' "Windows-1252" ') == "cp1252"


def test_meta_declaring_utf16_in_ascii_readable_page_means_utf8() -> None:
    assert meta_charset(b'<meta charset="utf-16">') == "utf-8"


def test_meta_beyond_scan_window_is_ignored() -> None:
    html = b"<html><head>" + b" " * 10_000 + b'<meta charset="koi8-r"></head></html>'
    assert meta_charset(html) is None


def test_undecodable_bytes_are_replaced_and_counted() -> None:
    data = "Résumé of the vote: ".encode() + b"\xff\xfe" + b" and " + b"\xc3"
    decoded = decode_html(data, declared_charset="utf-8")
    assert decoded.text.startswith("Résumé of the vote: ")
    assert decoded.replaced == 3
    assert decoded.text.count("\ufffd") == 3


def test_genuine_replacement_characters_are_not_counted_as_losses() -> None:
    decoded = decode_text("already lost: \ufffd".encode("utf-8"))
    assert decoded.replaced == 0
    assert decoded.text.endswith("\ufffd")


def test_plain_text_prefers_strict_utf8() -> None:
    decoded = decode_text("naïve café — “quoted”".encode())
    assert (decoded.charset, decoded.replaced) == ("utf-8", 0)
    assert decoded.text == "naïve café — “quoted”"


def test_plain_text_utf8_bom_is_dropped() -> None:
    decoded = decode_text(codecs.BOM_UTF8 + b"hello")
    assert decoded.text == "hello"


def test_plain_text_in_legacy_encoding_is_detected() -> None:
    decoded = decode_text(JAPANESE.encode("shift_jis"))
    assert decoded.text == JAPANESE
    assert decoded.replaced == 0


def test_plain_text_declared_charset_is_used() -> None:
    decoded = decode_text(RUSSIAN.encode("koi8-r"), declared_charset="koi8-r")
    assert decoded.text == RUSSIAN
