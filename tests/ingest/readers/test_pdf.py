"""PDF files: text layer, metadata, and the ways a PDF can fail."""

from __future__ import annotations

from pathlib import Path

from sourcetrace.ingest.readers.pdf import read_pdf
from sourcetrace.records import Problem, ProblemReason, RawDocument

from ..builders import make_pdf

LIMIT = 1 << 20


def test_pages_are_joined_with_blank_lines_and_metadata_kept(tmp_path: Path) -> None:
    path = make_pdf(
        tmp_path / "report.pdf",
        [["Ministry report (draft)", "Water levels rose in March."], ["Second page: annex."]],
        info={"Title": "Water report", "Author": "Office of Rivers", "CreationDate": "D:20240305120000Z"},
    )
    (document,) = list(read_pdf(str(path), LIMIT))
    assert isinstance(document, RawDocument)
    assert document.body == "Ministry report (draft)\nWater levels rose in March.\n\nSecond page: annex."
    assert (document.title, document.author, document.published) == (
        "Water report",
        "Office of Rivers",
        "2024-03-05T12:00:00+00:00",
    )
    assert document.media_type == "text/plain"


def test_pdf_without_info_has_no_metadata(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "plain.pdf", [["Just text."]])
    (document,) = list(read_pdf(str(path), LIMIT))
    assert isinstance(document, RawDocument)
    assert (document.title, document.author, document.published) == (None, None, None)


def test_malformed_creation_date_does_not_lose_the_title(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "d.pdf", [["Text."]], info={"Title": "Kept", "CreationDate": "D:not-a-date"})
    (document,) = list(read_pdf(str(path), LIMIT))
    assert isinstance(document, RawDocument)
    assert (document.title, document.published) == ("Kept", None)


def test_pdf_without_text_layer_is_an_empty_warning(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "scan.pdf", [[], []])
    (problem,) = list(read_pdf(str(path), LIMIT))
    assert isinstance(problem, Problem)
    assert (problem.reason, problem.severity) == (ProblemReason.EMPTY, "warning")
    assert "no text layer" in problem.message


def test_corrupt_pdf_reports_the_parser_message(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\nthis is not really a PDF body\n")
    (problem,) = list(read_pdf(str(path), LIMIT))
    assert isinstance(problem, Problem) and problem.reason is ProblemReason.CORRUPT
    assert "PdfStreamError" in problem.message or "PdfReadError" in problem.message


def test_cut_pdf_is_corrupt(tmp_path: Path) -> None:
    whole = make_pdf(tmp_path / "whole.pdf", [["Some text on a page."]]).read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(whole[: len(whole) // 3])
    items = list(read_pdf(str(path), LIMIT))
    assert [i.reason for i in items if isinstance(i, Problem)] == [ProblemReason.CORRUPT]
