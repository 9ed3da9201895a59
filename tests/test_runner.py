"""run_case: build a case from files and folders, re-run safely, resume after a kill."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sourcetrace.runner import RunOptions, run_case
from sourcetrace.store import CaseStore

ONE_WORKER = RunOptions(workers=1)

PARAGRAPHS = [
    "The water board of the fictional town of Osterby said on Monday that the reservoir had fallen to "
    "its lowest level in eleven years after a dry spring.",
    "Board chair Petra Lind told reporters that households would be asked to halve garden watering "
    "from the first of June, and that fines would follow in July.",
    "Farmers in the valley said the restrictions came too late, according to a statement from their "
    "association published on its website.",
]


def write_pile(folder: Path, pages: int = 3) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(pages):
        body = "\n\n".join(f"{p} (Report {n}.)" for p in PARAGRAPHS)
        (folder / f"page{n}.txt").write_text(f"Reservoir report number {n}\n\n{body}\n\nLeave a Comment\n")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "table.csv").write_text("headline,link\nA,http://example.org/a\n")
    return folder


def test_a_run_records_inputs_documents_segments_and_problems(tmp_path: Path) -> None:
    pile = write_pile(tmp_path / "pile")
    summary = run_case([pile], tmp_path / "c.case", ONE_WORKER)
    assert (summary.inputs, summary.documents, summary.segments) == (5, 3, 3)
    assert summary.problems == {"empty": 1, "no_text_column": 1}
    with CaseStore(tmp_path / "c.case") as store:
        segment_texts = [r[0] for r in sqlite3.connect(store.path).execute("SELECT text FROM segments")]
    assert all("Leave a Comment" not in text for text in segment_texts)
    assert all(PARAGRAPHS[1][:60] in text for text in segment_texts)


def test_rerunning_on_the_same_inputs_adds_nothing(tmp_path: Path) -> None:
    pile = write_pile(tmp_path / "pile")
    run_case([pile], tmp_path / "c.case", ONE_WORKER)
    again = run_case([pile], tmp_path / "c.case", ONE_WORKER)
    assert (again.inputs, again.documents, again.segments, again.skipped_inputs) == (0, 0, 0, 5)
    with CaseStore(tmp_path / "c.case") as store:
        counts = store.counts()
    assert (counts.inputs, counts.documents, counts.segments, counts.problems) == (5, 3, 3, 2)


def test_adding_inputs_to_a_case_processes_only_the_new_ones(tmp_path: Path) -> None:
    pile = write_pile(tmp_path / "pile")
    run_case([pile], tmp_path / "c.case", ONE_WORKER)
    (pile / "late.txt").write_text("A late arrival\n\n" + PARAGRAPHS[0])
    more = run_case([pile], tmp_path / "c.case", ONE_WORKER)
    assert (more.inputs, more.documents, more.skipped_inputs) == (1, 1, 5)


def test_a_file_whose_bytes_changed_is_ingested_again(tmp_path: Path) -> None:
    pile = write_pile(tmp_path / "pile", pages=1)
    run_case([pile], tmp_path / "c.case", ONE_WORKER)
    (pile / "page0.txt").write_text("A corrected story\n\n" + PARAGRAPHS[2])
    assert run_case([pile], tmp_path / "c.case", ONE_WORKER).inputs == 1


def test_files_and_folders_can_be_mixed_and_run_on_two_workers(tmp_path: Path) -> None:
    pile = write_pile(tmp_path / "pile")
    single = tmp_path / "single.txt"
    single.write_text("Lone page\n\n" + PARAGRAPHS[2])
    summary = run_case([pile, single], tmp_path / "c.case", RunOptions(workers=2))
    assert (summary.inputs, summary.documents) == (6, 4)


def test_the_same_inputs_give_the_same_ids_in_two_cases(tmp_path: Path) -> None:
    pile = write_pile(tmp_path / "pile", pages=6)
    rows = []
    for name in ("a.case", "b.case"):
        run_case([pile], tmp_path / name, RunOptions(workers=2))
        db = sqlite3.connect(tmp_path / name)
        rows.append(db.execute("SELECT d.id, i.path FROM documents d JOIN inputs i ON i.id = d.input_id").fetchall())
    assert rows[0] == rows[1]


def test_an_interruption_leaves_a_valid_case_that_the_next_run_completes(tmp_path: Path) -> None:
    pile = write_pile(tmp_path / "pile", pages=8)

    class InterruptAfterTwo:
        steps = 0

        def phase(self, name: str, total: int | None) -> None:
            pass

        def advance(self, steps: int = 1) -> None:
            self.steps += steps
            if self.steps == 2:
                raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_case([pile], tmp_path / "c.case", ONE_WORKER, InterruptAfterTwo())
    with CaseStore(tmp_path / "c.case") as store:
        assert store.counts().inputs == 2
        assert sqlite3.connect(store.path).execute("SELECT status FROM runs").fetchone() == ("interrupted",)
    finished = run_case([pile], tmp_path / "c.case", ONE_WORKER)
    assert (finished.skipped_inputs, finished.inputs) == (2, 8)
    with CaseStore(tmp_path / "c.case") as store:
        assert (store.counts().documents, store.counts().segments, store.counts().unsegmented_documents) == (8, 8, 0)


@pytest.mark.slow
def test_a_killed_run_leaves_a_valid_case_that_the_next_run_completes(tmp_path: Path) -> None:
    pile = write_pile(tmp_path / "pile", pages=300)
    case = tmp_path / "c.case"
    command = [sys.executable, "-m", "sourcetrace", "run", str(pile), "--case", str(case), "--workers", "1", "--quiet"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and _count(case, "inputs") < 5:
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)  # no chance to clean up: like a power cut
    process.wait()
    written = _count(case, "inputs")
    assert 5 <= written < 302, "the kill should land mid-run"
    assert sqlite3.connect(case).execute("PRAGMA integrity_check").fetchone() == ("ok",)
    subprocess.run(command, check=True)
    assert (_count(case, "inputs"), _count(case, "documents"), _count(case, "segments")) == (302, 300, 300)


def _count(case: Path, table: str) -> int:
    if not case.exists():
        return 0
    try:
        return int(sqlite3.connect(case, timeout=5).execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    except sqlite3.OperationalError:  # schema not created yet
        return 0


WIRE = [
    "The fictional republic of Norland will hold early elections on the ninth of October, Prime Minister "
    "Ada Brenner announced on Tuesday after her coalition lost a confidence vote in parliament.",
    "Brenner told reporters outside the chancellery that the country needed a government with a clear "
    "mandate to pass next year's budget and to finish the rail reform begun in the spring.",
    "The opposition Liberal Union, which tabled the motion, said it was ready to govern and would publish "
    "its programme within two weeks, according to a statement from its leader Oskar Vey.",
    "Polls published last week put the Liberal Union four points ahead of Brenner's Centre Party, with "
    "the Greens in third place and a new farmers' list close to the five percent threshold.",
]


def test_a_run_traces_copies_into_families_with_an_origin(tmp_path: Path) -> None:
    pile = tmp_path / "pile"
    pile.mkdir()
    body = "\n\n".join(WIRE)
    (pile / "wire.jsonl").write_text(
        '{"text": "Norland calls early election\\n\\n' + body.replace("\n", "\\n") + '", "date": "2025-03-04T08:00:00Z",'
        ' "source": "Norland Press Agency", "url": "https://npa.example/election"}\n'
    )
    for n in range(2):
        (pile / f"copy{n}.txt").write_text(f"Early vote in Norland\n\n{body}\n\nLeave a Comment\n")
    (pile / "other.txt").write_text("Harbour reopens\n\n" + PARAGRAPHS[0] + "\n\n" + PARAGRAPHS[1])
    summary = run_case([pile], tmp_path / "c.case", ONE_WORKER)
    assert (summary.families, summary.copies) == (1, 2)
    with CaseStore(tmp_path / "c.case") as store:
        origin, evidence = sqlite3.connect(store.path).execute("SELECT origin_id, origin_evidence FROM families WHERE size = 3").fetchone()
        assert store.copy_map_is_current()
    # The plain-text copies carry no date, so nothing shows the wire came first: say so rather than guess.
    assert origin is None and "without a date" in evidence
    again = run_case([pile], tmp_path / "c.case", ONE_WORKER)
    assert (again.families, again.copies) == (1, 2)  # kept, not recomputed: nothing was added


def test_a_run_finds_statements_and_merges_them_across_copies(tmp_path: Path) -> None:
    pile = tmp_path / "pile"
    pile.mkdir()
    quote = "\u201cWe will not raise fares this year,\u201d said Mira Holt, the director of the city transit board."
    story = "Fares frozen in Osterby\n\n" + PARAGRAPHS[0] + "\n\n" + quote + "\n"
    (pile / "one.txt").write_text(story)
    (pile / "two.txt").write_text(story.replace("Fares frozen in Osterby", "Osterby keeps fares"))
    summary = run_case([pile], tmp_path / "c.case", ONE_WORKER)
    assert summary.statements >= 1 and summary.altered_occurrences == 0
    with CaseStore(tmp_path / "c.case") as store:
        speaker, occurrences, text = sqlite3.connect(store.path).execute(
            "SELECT speaker, occurrences, text FROM statements WHERE kind = 'direct'").fetchone()
        assert store.statements_are_current()
    assert (speaker, occurrences) == ("Mira Holt", 2)
    assert text.startswith("We will not raise fares this year")


def test_a_run_that_fails_is_recorded_as_failed_and_the_next_run_completes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sourcetrace.runner as runner

    pile = write_pile(tmp_path / "pile", pages=2)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("copy map bug")

    (families,) = [step for step in runner.RUN_STEPS if step.name == "families"]
    monkeypatch.setattr(families, "run", broken)
    with pytest.raises(RuntimeError):
        run_case([pile], tmp_path / "c.case", ONE_WORKER)
    with sqlite3.connect(tmp_path / "c.case") as db:
        assert db.execute("SELECT status FROM runs").fetchone() == ("failed",)
        steps = [step for (step,) in db.execute("SELECT step FROM run_steps ORDER BY ordinal")]
    assert steps[-1] == "families"  # the step that failed is recorded, and nothing after it ran
    monkeypatch.undo()
    finished = run_case([pile], tmp_path / "c.case", ONE_WORKER)
    assert finished.status == "finished" and finished.inputs == 0  # nothing read twice
    with CaseStore(tmp_path / "c.case") as store:
        assert store.copy_map_is_current()  # the failed phase was done this time


def test_segmentation_warnings_count_in_the_run_that_met_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sourcetrace.ingest.segment as segment_module

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("splitter bug")

    monkeypatch.setattr(segment_module, "segment_document", broken)
    summary = run_case([write_pile(tmp_path / "pile", pages=2)], tmp_path / "c.case", ONE_WORKER)
    assert summary.problems.get("segmentation_failed") == 2
    assert summary.segments == 2  # each page kept whole


def test_an_old_page_keeps_its_stated_date_time_and_author_through_the_run(tmp_path: Path) -> None:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    page = ('<html><head><title>Reservoir at its lowest</title>'
            '<meta property="article:published_time" content="1987-10-19T14:05:00-04:00">'
            '<meta name="author" content="Edda Marsk"></head>'
            f'<body><article><h1>Reservoir at its lowest</h1>{body}</article></body></html>')
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "page.html").write_text(page)
    run_case([tmp_path / "in"], tmp_path / "c.case", ONE_WORKER)
    db = sqlite3.connect(tmp_path / "c.case")
    assert db.execute("SELECT published, byline FROM segments").fetchall() == [("1987-10-19T14:05:00-04:00", "Edda Marsk")]
