"""Plain-text files: one raw document, undecoded, size-limited."""

from __future__ import annotations

import codecs
import gzip
import os
from pathlib import Path

from sourcetrace.ingest.readers.text import read_text
from sourcetrace.records import Problem, ProblemReason, RawDocument

from ..builders import story_text


def test_text_file_is_one_undecoded_document(tmp_path: Path) -> None:
    data = story_text("harbour").encode("cp1252")
    path = tmp_path / "story.txt"
    path.write_bytes(data)
    (document,) = list(read_text(str(path), 1 << 20))
    assert isinstance(document, RawDocument)
    assert (document.body, document.media_type, document.ordinal) == (data, "text/plain", 0)


def test_gzipped_text_is_decompressed(tmp_path: Path) -> None:
    path = tmp_path / "story.txt.gz"
    path.write_bytes(gzip.compress(b"compressed words"))
    (document,) = list(read_text(str(path), 1 << 20))
    assert isinstance(document, RawDocument) and document.body == b"compressed words"


def test_broken_gzip_is_corrupt_and_cut_gzip_truncated(tmp_path: Path) -> None:
    packed = gzip.compress(os.urandom(5000))
    broken = tmp_path / "broken.txt.gz"
    broken.write_bytes(packed[:12] + b"\x00" * 50 + packed[62:])
    cut = tmp_path / "cut.txt.gz"
    cut.write_bytes(packed[: len(packed) // 2])
    assert [p.reason for p in read_text(str(broken), 1 << 20)] == [ProblemReason.CORRUPT]  # type: ignore[union-attr]
    assert [p.reason for p in read_text(str(cut), 1 << 20)] == [ProblemReason.TRUNCATED]  # type: ignore[union-attr]


def test_decompressed_size_is_limited(tmp_path: Path) -> None:
    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(gzip.compress(b"a" * 100_000))
    (problem,) = list(read_text(str(path), 10_000))
    assert isinstance(problem, Problem) and problem.reason is ProblemReason.TOO_LARGE


def test_binary_bytes_named_txt_are_binary(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + os.urandom(2000))
    (problem,) = list(read_text(str(path), 1 << 20))
    assert isinstance(problem, Problem) and problem.reason is ProblemReason.BINARY


def test_utf16_text_with_bom_is_not_mistaken_for_binary(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + "Minutes of the meeting".encode("utf-16-le"))
    (document,) = list(read_text(str(path), 1 << 20))
    assert isinstance(document, RawDocument)
