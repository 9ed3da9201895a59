"""Hostile inputs (issue 15, point 4), small: bench/hostile_corpus.py runs them at full size.

One ``sourcetrace run`` in a subprocess over a pile holding a gzip bomb in a
WARC (200 MiB from 200 KiB) and one in an HTTP Content-Encoding, a CSV whose
cell is over the document limit, PDF recursion and page-count bombs, a 256 KiB
single-line text and HTML page, a thousand tiny files in one folder and
files whose names, titles and speakers carry control characters, bidi
overrides and script. It must finish, record every input (a document or a
problem saying why), and no process of it may pass MEMORY_BOUND_MIB. The 10
MiB single line is read and segmented in this process (a full run on it takes
half a minute: the bench does that).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

from sourcetrace.ingest.read import ingest_input
from sourcetrace.ingest.readers import DECOMPRESSION_FLOOR_BYTES
from sourcetrace.ingest.readers.pdf import MAX_PDF_PAGES
from sourcetrace.ingest.segment import segment_document
from sourcetrace.records import ProblemReason
from tests.ingest.readers import hostile_files as hostile

# The document limit of the run, and the peak RSS no process of it may pass.
# A hostile input costs the process reading it at most a few times the
# document limit (it is read in chunks, and what is over a limit is dropped as
# it is read), whatever the size of the bomb, line or cell; the rest is the
# run's own models and tables (see the measured peak in the failure message,
# and docs/case-schema.md, "Limits on hostile inputs").
MAX_DOCUMENT_MB = 4
MEMORY_BOUND_MIB = 512  # measured: 239 MiB (2026-12-01, 2 workers, the machine shared)
TINY_FILES = 1000
LINE_BYTES = 256 * 2**10
BOMB_BYTES = 200 * 2**20


@dataclass(frozen=True)
class Run:
    pile: Path
    case: Path
    returncode: int
    peak_rss_mib: float
    seconds: float
    stderr: str

    def db(self) -> closing[sqlite3.Connection]:
        return closing(sqlite3.connect(self.case))


def write_pile(pile: Path) -> None:
    pile.mkdir()
    hostile.write_gzip_bomb_warc(pile / "bomb.warc.gz", BOMB_BYTES)
    hostile.write_content_encoding_bomb_warc(pile / "encoded-bomb.warc", BOMB_BYTES)
    hostile.write_big_cell_csv(pile / "big-cell.csv", (MAX_DOCUMENT_MB + 2) * 2**20)
    hostile.write_long_lines(pile, LINE_BYTES)
    hostile.write_tiny_files(pile, TINY_FILES)
    hostile.write_hostile_names(pile)
    pdfs = {
        "page-tree-cycle.pdf": hostile.pdf_page_tree_cycle(),
        "form-recursion.pdf": hostile.pdf_form_recursion(),
        "nested-arrays.pdf": hostile.pdf_nested_arrays(100_000),
        "million-pages.pdf": hostile.pdf_page_bomb(1000),
        "million-pages-claims-one.pdf": hostile.pdf_page_bomb(1000, claimed=1),
        "many-pages-claims-three.pdf": hostile.pdf_many_pages(MAX_PDF_PAGES + 1, claimed=3),
        "fifty-pages.pdf": hostile.pdf_many_pages(50),
    }
    for name, data in pdfs.items():
        (pile / name).write_bytes(data)


# Runs the run as a child and reports the peak RSS of its processes (the run
# and its workers, each waited for): RUSAGE_CHILDREN of a fresh interpreter.
_MEASURE = """
import json, resource, subprocess, sys, time
started = time.monotonic()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(json.dumps({"rc": done.returncode, "seconds": time.monotonic() - started, "stderr": done.stderr[-4000:],
                  "maxrss_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def measured_run(args: list[str]) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", _MEASURE, *args], capture_output=True, text=True, check=True)
    result: dict[str, object] = json.loads(done.stdout)
    return result


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    root = tmp_path_factory.mktemp("hostile-pile")
    pile = root / "pile"
    write_pile(pile)
    case = root / "hostile.case"
    out = measured_run([sys.executable, "-m", "sourcetrace", "run", "--case", str(case), "--workers", "2",
                        "--max-document-mb", str(MAX_DOCUMENT_MB), "--quiet", str(pile)])
    yield Run(pile, case, int(str(out["rc"])), int(str(out["maxrss_kib"])) / 1024, float(str(out["seconds"])),
              str(out["stderr"]))


def problems_of(run: Run, name: str) -> list[tuple[str, int | None, str]]:
    with run.db() as db:
        return [(reason, ordinal, message) for reason, ordinal, message in db.execute(
            "SELECT p.reason, p.ordinal, p.message FROM problems p WHERE p.path = ? ORDER BY p.ordinal, p.id",
            (str(run.pile / name),))]


def urls_of(run: Run, name: str) -> list[str]:
    with run.db() as db:
        return [url for (url,) in db.execute(
            "SELECT d.url FROM documents d JOIN inputs i ON i.id = d.input_id WHERE i.path = ? ORDER BY d.ordinal",
            (str(run.pile / name),))]


def test_the_run_completes_and_records_every_input(run: Run) -> None:
    assert run.returncode == 0, run.stderr
    on_disk = {os.path.join(folder, name) for folder, _, names in os.walk(run.pile) for name in names}
    with run.db() as db:
        inputs = {path for (path,) in db.execute("SELECT path FROM inputs")}
        read = {path for (path,) in db.execute("SELECT DISTINCT i.path FROM inputs i JOIN documents d "
                                               "ON d.input_id = i.id")}
        failed = {path for (path,) in db.execute("SELECT DISTINCT path FROM problems")}
        reasons = db.execute("SELECT count(*) FROM problems WHERE message = '' OR reason = ''").fetchone()[0]
    assert inputs == on_disk  # every file, the hostile names exactly as written
    assert on_disk <= read | failed  # each read into documents, or a problem says why not
    assert reasons == 0


def test_no_process_of_the_run_passes_the_memory_bound(run: Run) -> None:
    print(f"hostile pile: peak RSS {run.peak_rss_mib:.0f} MiB in one process, run {run.seconds:.1f} s")
    assert run.peak_rss_mib < MEMORY_BOUND_MIB, f"peak RSS {run.peak_rss_mib:.0f} MiB in {run.seconds:.1f} s"


def test_a_gzip_bomb_in_a_warc_stops_at_the_cap_and_keeps_the_record_before(run: Run) -> None:
    (reason, ordinal, message), = problems_of(run, "bomb.warc.gz")
    assert (reason, ordinal) == (ProblemReason.TOO_LARGE.value, -1)  # the archive's, not one record's
    assert f"decompressed beyond {DECOMPRESSION_FLOOR_BYTES // 2**20}.0 MiB" in message
    assert "record 1 " in message and "the 1 record(s) before it are kept" in message
    assert urls_of(run, "bomb.warc.gz") == ["https://before.example/page"]


def test_a_gzip_bomb_in_a_content_encoding_is_one_record_too_large(run: Run) -> None:
    assert [(r, o) for r, o, _ in problems_of(run, "encoded-bomb.warc")] == [(ProblemReason.TOO_LARGE.value, 1)]
    assert urls_of(run, "encoded-bomb.warc") == ["https://before.example/page", "https://after.example/page"]


def test_a_csv_cell_over_the_limit_is_its_row_too_large(run: Run) -> None:
    (reason, ordinal, message), = problems_of(run, "big-cell.csv")
    assert (reason, ordinal) == (ProblemReason.TOO_LARGE.value, 1)
    assert message.startswith("row 2 (a line of ")
    assert urls_of(run, "big-cell.csv") == ["https://before.example/", "https://after.example/"]


@pytest.mark.parametrize(("name", "reason", "said"), [
    ("page-tree-cycle.pdf", ProblemReason.CORRUPT, "cyclic page references"),
    ("million-pages.pdf", ProblemReason.TOO_LARGE, "claims 1,000,000 pages"),
    ("million-pages-claims-one.pdf", ProblemReason.TOO_LARGE, "leads to more pages than that"),
    ("many-pages-claims-three.pdf", ProblemReason.TOO_LARGE, f"it has {MAX_PDF_PAGES + 1:,} pages"),
    ("nested-arrays.pdf", ProblemReason.EXTRACTION_FAILED, "refers to itself without end"),
])
def test_pdf_bombs_are_recorded_problems(run: Run, name: str, reason: ProblemReason, said: str) -> None:
    problems = problems_of(run, name)
    assert problems[0][0] == reason.value and said in problems[0][2], problems
    assert urls_of(run, name) == []  # no document


def test_a_form_that_draws_itself_stops_and_keeps_the_text(run: Run) -> None:
    with run.db() as db:
        text, = db.execute("SELECT d.text FROM documents d JOIN inputs i ON i.id = d.input_id WHERE i.path = ?",
                           (str(run.pile / "form-recursion.pdf"),)).fetchone()
    assert "The page before the form." in text
    assert len(urls_of(run, "fifty-pages.pdf")) == 1


def test_tiny_files_in_one_folder_are_each_a_document(run: Run) -> None:
    with run.db() as db:
        count, = db.execute("SELECT count(*) FROM documents d JOIN inputs i ON i.id = d.input_id "
                            "WHERE i.path LIKE ?", (str(run.pile / "tiny") + "/%",)).fetchone()
    assert count == TINY_FILES


def test_control_characters_and_bidi_overrides_are_kept_as_given(run: Run) -> None:
    with run.db() as db:
        texts = {path: text for path, text in db.execute(
            "SELECT i.path, d.text FROM documents d JOIN inputs i ON i.id = d.input_id WHERE i.path LIKE ?",
            (str(run.pile / "names") + "/%",))}
    assert set(texts) == {str(run.pile / "names" / name) for name in hostile.HOSTILE_NAMES}
    plain = {path: text for path, text in texts.items() if path.endswith(".txt")}
    assert any(hostile.BIDI_TITLE in text for text in plain.values())  # plain text keeps every character
    assert any(hostile.CONTROL_TITLE in text for text in plain.values())
    assert any(hostile.XSS_SPEAKER in text for text in plain.values())  # text, never markup


@pytest.mark.parametrize("kind", ["txt", "html"])
def test_a_10_mib_line_is_read_and_segmented_in_linear_time(tmp_path: Path, kind: str) -> None:
    seconds = {}
    for size in (2**20, 10 * 2**20):
        folder = tmp_path / str(size)
        folder.mkdir()
        path = next(p for p in hostile.write_long_lines(folder, size) if p.suffix == f".{kind}")
        started = time.monotonic()
        result = ingest_input(str(path))
        document, = result.documents
        segmented = segment_document(1, document.text, [])
        seconds[size] = time.monotonic() - started
        assert segmented.segments and len(document.text) > size * 0.9
    # Quadratic would be 100 times; allow for a busy machine.
    assert seconds[10 * 2**20] < 25 * seconds[2**20] + 2.0, seconds
