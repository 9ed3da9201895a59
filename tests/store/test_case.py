"""The case file: one SQLite file, versioned, written only through CaseStore."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from sourcetrace.records import (
    Document,
    FurnitureSpan,
    IngestedInput,
    InputKind,
    InputRecord,
    Problem,
    ProblemReason,
    Segment,
    SegmentedDocument,
)
from sourcetrace.store import CaseError, CaseReader, CaseStore
from sourcetrace.store.schema import SCHEMA_VERSION


def ingested(path: str = "/in/a.html", sha: str = "ab" * 32, texts: tuple[str, ...] = ("Body one.",)) -> IngestedInput:
    record = InputRecord(path=path, sha256=sha, size=123, kind=InputKind.HTML, ingested_at="2026-01-01T00:00:00+00:00")
    documents = [Document(ordinal=i, text=t, media_type="text/html", extractor="trafilatura") for i, t in enumerate(texts)]
    return IngestedInput(input=record, documents=documents)


def test_a_new_case_is_a_plain_sqlite_file_with_a_schema_version(tmp_path: Path) -> None:
    CaseStore(tmp_path / "new.case").close()
    db = sqlite3.connect(tmp_path / "new.case")
    assert db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == (str(SCHEMA_VERSION),)
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"inputs", "documents", "segments", "furniture", "problems", "runs"} <= tables


def test_opening_a_missing_case_without_create_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(CaseError, match="sourcetrace run"):
        CaseStore(tmp_path / "missing.case", create=False)


def test_creating_a_case_in_a_missing_folder_names_the_folder_not_sqlite(tmp_path: Path) -> None:
    with pytest.raises(CaseError, match=r"^cannot create the case .*/nope/dir/x\.case: the folder .*/nope/dir "
                                        r"does not exist$"):
        CaseStore(tmp_path / "nope" / "dir" / "x.case")
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(CaseError, match=r"^cannot create the case .*/file/x\.case: .*/file is not a folder$"):
        CaseStore(tmp_path / "file" / "x.case")
    assert not (tmp_path / "nope").exists()


def test_another_sqlite_database_is_not_taken_for_a_case(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)")
    with pytest.raises(CaseError, match="not a sourcetrace case"):
        CaseStore(other)


def test_a_non_sqlite_file_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.case"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(CaseError, match="not a sourcetrace case"):
        CaseStore(junk)


def test_a_case_from_a_newer_sourcetrace_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.case"
    CaseStore(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    with pytest.raises(CaseError, match="upgrade sourcetrace"):
        CaseStore(path)


def _case_with_inputs(path: Path) -> Path:
    with CaseStore(path) as store:
        store.add_ingested(ingested(texts=tuple(f"Body {n}. " * 200 for n in range(40))), 0, None)
    return path


def _damage(case: Path, how: str) -> bytes:
    data = bytearray(case.read_bytes())
    if how == "truncated":
        data = data[: len(data) // 3]
    else:  # bytes overwritten past the header, as a failing disk or a bad copy leaves them
        for offset in range(4096, len(data), 997):
            data[offset] = (data[offset] * 31 + 7) % 256
    case.write_bytes(bytes(data))
    return bytes(data)


@pytest.mark.parametrize("how", ["truncated", "overwritten"])
def test_a_damaged_case_is_refused_by_writer_and_reader_and_left_as_it_was(tmp_path: Path, how: str) -> None:
    case = _case_with_inputs(tmp_path / "c.case")
    damaged = _damage(case, how)
    with pytest.raises(CaseError, match=r"damaged or truncated .* it was not changed"):
        CaseStore(case)
    with pytest.raises(CaseError, match=r"damaged or truncated|not a sourcetrace case"):
        CaseReader(case)
    assert case.read_bytes() == damaged
    assert not Path(f"{case}-wal").exists() or Path(f"{case}-wal").stat().st_size == 0


def test_a_case_another_writer_holds_is_refused_clearly_until_it_is_released(tmp_path: Path) -> None:
    case = tmp_path / "c.case"
    with CaseStore(case):
        with pytest.raises(CaseError, match="being changed by another sourcetrace command"):
            CaseStore(case)
        with CaseReader(case) as reader:  # reading goes on while a run writes
            assert reader.counts().inputs == 0
    CaseStore(case).close()  # released when the first writer closed


def test_the_same_input_bytes_at_the_same_path_are_stored_once(tmp_path: Path) -> None:
    with CaseStore(tmp_path / "c.case") as store:
        assert store.add_ingested(ingested(), mtime_ns=1, run_id=None) is True
        assert store.add_ingested(ingested(), mtime_ns=2, run_id=None) is False
        assert store.counts().inputs == 1 and store.counts().documents == 1
        assert store.is_known_input("/in/a.html", 123, 2)  # the newer mtime is remembered


def test_changed_bytes_at_a_known_path_are_a_new_input(tmp_path: Path) -> None:
    with CaseStore(tmp_path / "c.case") as store:
        store.add_ingested(ingested(sha="ab" * 32), mtime_ns=1, run_id=None)
        store.add_ingested(ingested(sha="cd" * 32), mtime_ns=2, run_id=None)
        assert store.counts().inputs == 2


def test_a_problem_met_again_on_a_rerun_is_recorded_once(tmp_path: Path) -> None:
    problem = Problem("/in/loop", ProblemReason.SYMLINK_LOOP, "link points back to its own folder")
    with CaseStore(tmp_path / "c.case") as store:
        store.add_problem(problem, "discover", None)
        store.add_problem(problem, "discover", None)
        assert store.problems_by_reason() == {"symlink_loop": 1}
        [stored] = store.list_problems()
        assert stored.path == "/in/loop" and stored.message == problem.message and stored.ordinal is None


def test_segments_are_written_with_their_duplicates_linked_and_the_document_marked(tmp_path: Path) -> None:
    text = "Head\n\nStory body.\n\nHead\n\nStory body.\n\nLeave a Comment"
    with CaseStore(tmp_path / "c.case") as store:
        store.add_ingested(ingested(texts=(text,)), mtime_ns=1, run_id=None)
        [doc] = store.iter_document_texts(unsegmented_only=True)
        segmented = SegmentedDocument(
            document_id=doc.id,
            furniture=[FurnitureSpan(len(text) - 15, len(text), "known: comment-prompt")],
            segments=[
                Segment(ordinal=0, start=0, end=18, text=text[0:18], title="Head"),
                Segment(ordinal=1, start=20, end=38, text=text[20:38], title="Head", duplicate_of=0),
            ],
        )
        assert store.add_segmented([segmented]) == 2
        assert list(store.iter_document_texts(unsegmented_only=True)) == []
        counts = store.counts()
        assert (counts.segments, counts.duplicate_segments) == (2, 1)
        rows = sqlite3.connect(store.path).execute("SELECT id, duplicate_of FROM segments ORDER BY ordinal").fetchall()
        assert rows[1][1] == rows[0][0]


def test_rewriting_a_documents_segments_replaces_them(tmp_path: Path) -> None:
    with CaseStore(tmp_path / "c.case") as store:
        store.add_ingested(ingested(texts=("One two three.",)), mtime_ns=1, run_id=None)
        [doc] = store.iter_document_texts()
        one = SegmentedDocument(doc.id, [], [Segment(0, 0, 14, "One two three.")])
        store.add_segmented([one])
        store.add_segmented([one])
        assert store.counts().segments == 1


def test_document_pages_are_read_in_id_order_across_batches(tmp_path: Path) -> None:
    with CaseStore(tmp_path / "c.case") as store:
        store.add_ingested(ingested(texts=tuple(f"text {i}" for i in range(7))), mtime_ns=1, run_id=None)
        texts = [d.text for d in store.iter_document_texts(batch_size=3)]
        assert texts == [f"text {i}" for i in range(7)]


def test_a_failed_write_leaves_nothing_half_written(tmp_path: Path) -> None:
    broken = ingested(texts=("fine",))
    broken.documents.append(broken.documents[0])  # same ordinal twice violates UNIQUE
    with CaseStore(tmp_path / "c.case") as store:
        with pytest.raises(sqlite3.IntegrityError):
            store.add_ingested(broken, mtime_ns=1, run_id=None)
        assert store.counts().inputs == 0 and store.counts().documents == 0


def test_a_segmentation_failure_is_recorded_as_a_warning_on_its_input(tmp_path: Path) -> None:
    with CaseStore(tmp_path / "c.case") as store:
        store.add_ingested(ingested(texts=("One two three.",)), mtime_ns=1, run_id=None)
        [doc] = store.iter_document_texts()
        kept_whole = SegmentedDocument(doc.id, [], [Segment(0, 0, 14, "One two three.")], failure="RuntimeError: bug")
        store.add_segmented([kept_whole])
        [problem] = store.list_problems()
    assert (problem.reason, problem.severity, problem.path, problem.ordinal) == (
        "segmentation_failed", "warning", "/in/a.html", 0)
    assert "RuntimeError: bug" in problem.message and "kept as one segment" in problem.message
