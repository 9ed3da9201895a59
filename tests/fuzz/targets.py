"""The fuzz targets: one function per entry point that takes hostile bytes.

Each target takes the fuzzer's bytes and raises :class:`FuzzFailure` (or lets
any other exception escape) when sourcetrace misbehaves. Bad data is allowed
to fail only the documented way: as a recorded Problem with its reason.

The same functions run in two places:

- ``bench/fuzz.py`` drives them with atheris (coverage-guided, millions of
  executions, outside CI);
- ``tests/fuzz/test_corpus.py`` replays the kept corpus and every crash the
  fuzzer found through them, in CI.
"""

from __future__ import annotations

import atexit
import io
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields, is_dataclass
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).resolve().parent / "corpus"

# Bigger inputs only slow the fuzzer down; the hostile-content tests cover size.
MAX_INPUT_BYTES = 16_384


class FuzzFailure(AssertionError):
    """A target's promise broken by an input."""


@dataclass(frozen=True, slots=True)
class FuzzTarget:
    name: str
    run: Callable[[bytes], None]
    # Modules whose code atheris instruments for coverage (sourcetrace, and the
    # pure-Python parsers it hands the bytes to).
    instrumented: tuple[str, ...] = ("sourcetrace",)


# --- reading: every reader, through the entry point a run uses -----------------------

# The catch-alls in ingest/read.py turn an unforeseen exception into a Problem so
# that one input cannot stop a run. The fuzzer treats reaching them as a crash:
# they are a safety net, not the way bad data is meant to be reported.
CATCH_ALL_PREFIXES = ("reading failed:", "extraction failed:")


@cache
def _scratch() -> Path:
    """A folder for the inputs a target writes, in memory (/dev/shm) where there is one."""
    shm = Path("/dev/shm")
    base = shm if shm.is_dir() and os.access(shm, os.W_OK) else None
    return _removed_at_exit(Path(tempfile.mkdtemp(prefix="sourcetrace-fuzz-", dir=base)))


def _removed_at_exit(folder: Path) -> Path:
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def _read_target(extension: str) -> Callable[[bytes], None]:
    def run(data: bytes) -> None:
        from sourcetrace.ingest.read import ingest_input

        path = _scratch() / f"input{extension}"
        path.write_bytes(data)
        result = ingest_input(str(path))
        for problem in result.problems:
            if problem.message.startswith(CATCH_ALL_PREFIXES) and "ExtractionFailed" not in problem.message:
                raise FuzzFailure(f"an exception reached the catch-all: {problem.message}")
        if not data and not result.problems:
            raise FuzzFailure("an empty input was read without a problem")
        for document in result.documents:
            if "\r" in document.text:
                raise FuzzFailure("a document's text keeps a carriage return")
        _require_storable(result)

    return run


def _require_storable(value: Any) -> None:
    """Every text the case will store encodes as UTF-8 (SQLite refuses lone surrogates)."""
    for text in _texts(value):
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise FuzzFailure(f"a text the case cannot store: {exc}") from exc


def _texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif is_dataclass(value) and not isinstance(value, type):
        for field in fields(value):
            yield from _texts(getattr(value, field.name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)


# --- extraction, segmentation and statements on text ----------------------------------


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def run_extraction(data: bytes) -> None:
    from sourcetrace.ingest.extract import extract_html

    markup = _text(data)
    for extractor in ("trafilatura", "resiliparse"):
        page = extract_html(markup, "https://fuzz.example/page", extractor)
        if page.error is None and not isinstance(page.text, str):
            raise FuzzFailure(f"{extractor}: the page's text is not a string")


def run_segmentation(data: bytes) -> None:
    from sourcetrace.ingest.segment import segment_document
    from sourcetrace.ingest.spans import segment_to_document_offset
    from sourcetrace.records import FurnitureSpan

    # The first bytes choose furniture spans (any, even overlapping or out of range:
    # segment_document promises to clip them); the rest is the page's text.
    head, text = data[:8], _text(data[8:])
    spans = [FurnitureSpan(head[i] * 7 - 40, head[i] * 7 - 40 + head[i + 1], "fuzz") for i in range(0, len(head) - 1, 2)]
    segmented = segment_document(1, text, spans)
    for segment in segmented.segments:
        if not 0 <= segment.start <= segment.end <= len(text):
            raise FuzzFailure(f"segment {segment.ordinal} spans {segment.start}-{segment.end} of {len(text)}")
        for offset in range(len(segment.text)):
            at = segment_to_document_offset(segment, offset)
            if text[at] != segment.text[offset]:
                raise FuzzFailure(f"segment {segment.ordinal}: offset {offset} maps to the wrong character")


def run_statements(data: bytes) -> None:
    from sourcetrace.voices.statements import extract_from_texts

    text = _text(data)
    for _, attributions in extract_from_texts([(1, text)]):
        for attribution in attributions:
            occurrence = attribution.occurrence
            if not 0 <= occurrence.start <= occurrence.end <= len(text):
                raise FuzzFailure(f"a statement spans {occurrence.start}-{occurrence.end} of {len(text)}")
            if not attribution.speaker.strip():
                raise FuzzFailure("a statement without a speaker")


# --- the JSON export round trip -------------------------------------------------------

# Text columns the fuzzer overwrites in a small real case before exporting it.
EXPORTED_TEXTS = (
    ("documents", "title"),
    ("documents", "url"),
    ("documents", "author"),
    ("segments", "text"),
    ("segments", "title"),
    ("statements", "speaker"),
)


def run_export(data: bytes) -> None:
    from sourcetrace.report.export import write_export
    from sourcetrace.store import CaseReader

    values = _split_texts(_text(data), len(EXPORTED_TEXTS))
    case = _scratch() / "export.case"
    shutil.copyfile(_template_case(), case)
    with sqlite3.connect(case) as db:
        for (table, column), value in zip(EXPORTED_TEXTS, values, strict=True):
            db.execute(f"UPDATE {table} SET {column} = ?", (value,))  # the names are constants above
    db.close()
    out = io.StringIO()
    with CaseReader(case) as reader:
        write_export(reader, out)
    exported = json.loads(out.getvalue())
    _require_round_trip(exported, dict(zip(EXPORTED_TEXTS, values, strict=True)))


def _split_texts(text: str, count: int) -> list[str]:
    parts = text.split("\x00", count - 1)
    return parts + [""] * (count - len(parts))


def _require_round_trip(exported: dict[str, Any], written: dict[tuple[str, str], str]) -> None:
    for (table, column), value in written.items():
        rows = exported.get(table)
        if not rows:
            raise FuzzFailure(f"the export lost the {table} section")
        for row in rows:
            if row.get(column) != value:
                raise FuzzFailure(f"{table}.{column} came back as {row.get(column)!r}, not {value!r}")


@cache
def _template_case() -> Path:
    """A small real case (three pages, a copy, statements), built once per process."""
    from sourcetrace.runner import RunOptions, run_case

    folder = _removed_at_exit(Path(tempfile.mkdtemp(prefix="sourcetrace-fuzz-case-")))
    story = ('The mayor said on Monday that the bridge would reopen in May. "We have done the work," '
             'she told reporters. The council denied that the repairs had been delayed.')
    for number, text in enumerate([story, story, story + " Traffic was light."]):
        (folder / f"page{number}.txt").write_text(text, encoding="utf-8")
    case = folder / "template.case"
    run_case([folder], case, RunOptions(workers=1))
    return case


# --- the registry -----------------------------------------------------------------------

TARGETS: dict[str, FuzzTarget] = {
    target.name: target
    for target in [
        FuzzTarget("read_text", _read_target(".txt")),
        FuzzTarget("read_html", _read_target(".html")),
        FuzzTarget("read_warc", _read_target(".warc"), ("sourcetrace", "warcio")),
        FuzzTarget("read_arc", _read_target(".arc"), ("sourcetrace", "warcio")),
        FuzzTarget("read_jsonl", _read_target(".jsonl")),
        FuzzTarget("read_csv", _read_target(".csv")),
        FuzzTarget("read_pdf", _read_target(".pdf"), ("sourcetrace", "pypdf")),
        FuzzTarget("extraction", run_extraction, ("sourcetrace", "trafilatura", "courlan", "htmldate")),
        FuzzTarget("segmentation", run_segmentation),
        FuzzTarget("statements", run_statements),
        FuzzTarget("export", run_export),
    ]
}


def corpus_files(target: str) -> list[Path]:
    """The kept inputs of a target: its corpus and the crashes found, in name order."""
    folder = CORPUS / target
    return sorted(path for path in folder.iterdir() if path.is_file()) if folder.is_dir() else []
