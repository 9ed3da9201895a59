"""A large input's documents wait on disk, not in memory, and reach the case unchanged (ingest/spill.py)."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from sourcetrace.ingest import spill
from sourcetrace.ingest.read import ReadOptions, ingest_input
from sourcetrace.ingest.spill import DocumentSink, all_documents, spill_folder
from sourcetrace.records import Document, IngestedInput, InputKind, InputRecord
from sourcetrace.runner import RunOptions, run_case
from sourcetrace.store import CaseReader

PARAGRAPH = "The harbour council of the fictional town of Osterby met on Tuesday and agreed the budget. " * 12


def _feed(path: Path, count: int) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            out.write(json.dumps({"url": f"https://osterby.example/{i}", "title": f"Budget item {i}",
                                  "published": f"2024-03-{1 + i % 28:02d}", "text": f"Item {i}. {PARAGRAPH}"}) + "\n")
    return path


def _document(ordinal: int, text: str) -> Document:
    return Document(ordinal, text, "text/plain", "plain", title=f"t{ordinal}", url="https://x.example/\ud800")


def test_a_sink_holds_documents_until_the_limit_then_moves_them_all_to_a_file_in_order(tmp_path: Path) -> None:
    result = IngestedInput(InputRecord("feed.jsonl", "0" * 64, 1, InputKind.JSONL, "2024-01-01T00:00:00Z"))
    sink = DocumentSink(result, str(tmp_path), after_characters=25)
    written = [_document(i, "x" * 10) for i in range(6)]
    for document in written[:2]:
        sink.add(document)
    assert result.documents == written[:2] and result.spilled is None  # 20 characters: held
    for document in written[2:]:
        sink.add(document)
    sink.close()
    assert result.documents == [] and result.spilled_count == 6 == result.document_count
    assert result.spilled is not None and Path(result.spilled).parent == tmp_path
    assert list(all_documents(result)) == written  # every value back, a lone surrogate too


def test_without_a_spill_folder_everything_stays_in_memory() -> None:
    result = IngestedInput(InputRecord("a", "0" * 64, 1, InputKind.JSONL, "2024-01-01T00:00:00Z"))
    sink = DocumentSink(result, None, after_characters=1)
    sink.add(_document(0, "long enough"))
    sink.close()
    assert (len(result.documents), result.spilled) == (1, None)


def _peak(path: Path, options: ReadOptions) -> tuple[IngestedInput, int]:
    tracemalloc.start()
    try:
        result = ingest_input(str(path), options)
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_reading_a_large_input_holds_a_bounded_share_of_its_text(tmp_path: Path) -> None:
    feed = _feed(tmp_path / "feed.jsonl", 6000)  # about 6.3 MiB of text
    held, held_peak = _peak(feed, ReadOptions())  # first: the readers' imports are made here
    spilled, spilled_peak = _peak(feed, ReadOptions(spill_folder=str(tmp_path), spill_after_characters=2**19))
    assert sum(len(d.text) for d in held.documents) > 6 * 2**20 and held_peak > 6 * 2**20
    assert spilled_peak < 3 * 2**20  # the limit (0.5 MiB of text), one document, the readers' buffers
    assert spilled.document_count == len(held.documents) and list(all_documents(spilled)) == held.documents


def _export(case: Path) -> dict[str, Any]:
    from tests.test_incremental import exported  # the whole export, run metadata aside

    return exported(case)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_case_built_through_the_spill_folder_equals_one_built_in_memory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    _feed(inputs / "feed.jsonl", 40)
    (inputs / "note.txt").write_text("Ferry resumes\n\nThe ferry to Sorrel resumed on Monday.\n", encoding="utf-8")
    in_memory = tmp_path / "memory.case"
    run_case([inputs], in_memory, RunOptions(workers=workers))
    monkeypatch.setattr(spill, "SPILL_AFTER_CHARACTERS", 10_000)
    spilled = tmp_path / "spilled.case"
    left_behind = spill_folder(spilled)
    left_behind.mkdir()
    (left_behind / "input-killed.jsonl").write_text("[]\n")  # what a killed run would leave
    summary = run_case([inputs], spilled, RunOptions(workers=workers))
    assert summary.documents == 41
    assert not left_behind.exists()
    with CaseReader(spilled) as reader:
        run = reader.last_run()
    assert run is not None
    ingest = next(step for step in run.steps if step.step == "ingest")
    assert ingest.counters.get("spilled_inputs") == 1
    assert _export(spilled) == _export(in_memory)
    left_behind.mkdir()
    run_case([inputs], spilled, RunOptions(workers=workers))  # nothing new to read: the folder goes all the same
    assert not left_behind.exists()
