"""HTML files: one raw document, bytes kept for charset sniffing."""

from __future__ import annotations

import gzip
from pathlib import Path

from sourcetrace.ingest.readers.html import read_html
from sourcetrace.records import Problem, ProblemReason, RawDocument

from ..builders import article_html


def test_html_file_is_one_undecoded_document(tmp_path: Path) -> None:
    data = article_html("bridge", meta_charset="windows-1252").encode("cp1252")
    path = tmp_path / "page.html"
    path.write_bytes(data)
    (document,) = list(read_html(str(path), 1 << 20))
    assert isinstance(document, RawDocument)
    assert (document.body, document.media_type, document.declared_charset) == (data, "text/html", None)


def test_gzipped_html_is_decompressed(tmp_path: Path) -> None:
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(article_html().encode()))
    (document,) = list(read_html(str(path), 1 << 20))
    assert isinstance(document, RawDocument) and document.body == article_html().encode()


def test_html_over_the_limit_is_too_large(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(article_html())
    (problem,) = list(read_html(str(path), 100))
    assert isinstance(problem, Problem) and problem.reason is ProblemReason.TOO_LARGE
