"""The events step: stored per segment, redone only for new or changed segments, read in date order.

The segments are fiction written for these tests, written straight into a
case so that only the events step runs.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner

from sourcetrace.cli import cli
from sourcetrace.engines.contract import StepReport
from sourcetrace.engines.local import LocalEngine
from sourcetrace.pipeline import RunContext, RunOptions, RunSummary
from sourcetrace.progress import NullProgress
from sourcetrace.records import Document, IngestedInput, InputKind, InputRecord, Segment, SegmentedDocument
from sourcetrace.store import CaseReader, CaseStore
from sourcetrace.stories.steps_timeline import FindEvents

FLOOD = "Floods struck the valley on Tuesday. The dam, built in 1971, was inspected last month."
QUAKE = "A quake hit Terrel yesterday, the strongest since the 1990s."
RALLY = "Protesters will gather on Friday, a week after the vote of 19 August."


def add_page(store: CaseStore, path: str, texts: list[tuple[str, str | None]]) -> int:
    """One input holding one document whose segments are ``texts`` (text, published); its id."""
    body = "\n\n".join(text for text, _ in texts)
    record = InputRecord(path=path, sha256=path.encode().hex().ljust(64, "0")[:64], size=len(body),
                         kind=InputKind.TEXT, ingested_at="2026-01-01T00:00:00+00:00")
    store.add_ingested(IngestedInput(record, [Document(0, body, "text/plain", "plain")]), mtime_ns=1, run_id=None)
    document_id = max(d.id for d in store.iter_document_texts())
    segments, start = [], 0
    for ordinal, (text, published) in enumerate(texts):
        segments.append(Segment(ordinal, start, start + len(text), text, title=f"{path} #{ordinal}",
                                published=published))
        start += len(text) + 2
    store.add_segmented([SegmentedDocument(document_id, [], segments)])
    return document_id


def run_events(store: CaseStore) -> StepReport:
    with LocalEngine(1) as engine:
        context = RunContext([], store, engine, RunOptions(workers=1), NullProgress(), 0, RunSummary(str(store.path)))
        engine.begin_step("events")
        FindEvents().run(context)
        return engine.end_step()


def event_rows(case: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(case) as db:
        return db.execute('SELECT id, kind, date, precision, start, "end", text FROM events ORDER BY id').fetchall()


def test_each_segment_stores_its_publication_and_its_mentions_under_ids_from_the_segment(tmp_path: Path) -> None:
    with CaseStore(tmp_path / "c.case") as store:
        document = add_page(store, "/in/flood.txt", [(FLOOD, "2022-08-31T09:42:00+02:00")])
        run_events(store)
    segment = document * 1000

    def span(words: str) -> tuple[int, int, str]:
        return FLOOD.index(words), FLOOD.index(words) + len(words), words

    assert event_rows(store.path) == [
        (segment * 1000, "published", "2022-08-31T09:42:00+02:00", "time", None, None, None),
        (segment * 1000 + 1, "mentioned", "2022-08-30", "day", *span("Tuesday")),
        (segment * 1000 + 2, "mentioned", "1971", "year", *span("1971")),
        (segment * 1000 + 3, "mentioned", "2022-07", "month", *span("last month")),
    ]


def test_a_later_run_finds_events_only_in_new_segments(tmp_path: Path) -> None:
    with CaseStore(tmp_path / "c.case") as store:
        add_page(store, "/in/flood.txt", [(FLOOD, "2022-08-31")])
        first = run_events(store)
        add_page(store, "/in/quake.txt", [(QUAKE, "2022-09-02"), (RALLY, None)])
        second = run_events(store)
        third = run_events(store)
    assert (first.counters["segments"], second.counters["segments"], third.counters["segments"]) == (1, 2, 0)
    assert second.counters["unresolved"] == 2  # "Friday" and "19 August", with no publication to count from


def test_a_segment_whose_text_changed_loses_its_events_and_gets_new_ones(tmp_path: Path) -> None:
    with CaseStore(tmp_path / "c.case") as store:
        document = add_page(store, "/in/flood.txt", [(FLOOD, "2022-08-31"), (QUAKE, "2022-08-31")])
        run_events(store)
        store.add_segmented([SegmentedDocument(document, [], [
            Segment(0, 0, len(FLOOD), FLOOD, published="2022-08-31"),
            Segment(1, len(FLOOD) + 2, len(FLOOD) + 2 + len(RALLY), RALLY, published="2022-08-31")])])
        redone = run_events(store)
    assert redone.counters["segments"] == 1
    texts = [text for _, kind, _, _, _, _, text in event_rows(store.path) if kind == "mentioned"]
    assert texts == ["Tuesday", "1971", "last month", "Friday", "19 August"]


def test_a_segment_whose_publication_changed_is_resolved_again(tmp_path: Path) -> None:
    with CaseStore(tmp_path / "c.case") as store:
        document = add_page(store, "/in/quake.txt", [(QUAKE, "2022-09-02")])
        run_events(store)
        store.add_segmented([SegmentedDocument(document, [], [Segment(0, 0, len(QUAKE), QUAKE,
                                                                      published="2023-01-10")])])
        assert run_events(store).counters["segments"] == 1
    assert [date for _, kind, date, *_ in event_rows(store.path) if kind == "mentioned"] == ["2023-01-09", "199"]


def test_the_timeline_reads_in_date_order_with_unresolved_dates_last(tmp_path: Path) -> None:
    with CaseStore(tmp_path / "c.case") as store:
        add_page(store, "/in/quake.txt", [(QUAKE, "2022-09-02T10:00:00Z"), (RALLY, None)])
        add_page(store, "/in/flood.txt", [(FLOOD, "2022-08-31")])
        run_events(store)
    with CaseReader(store.path) as reader:
        listed = [(e.date, e.kind, e.text) for e in reader.events()]
    assert listed == [  # a period by its first day: 1971, then the 1990s, then July 2022...
        ("1971", "mentioned", "1971"), ("199", "mentioned", "1990s"), ("2022-07", "mentioned", "last month"),
        ("2022-08-30", "mentioned", "Tuesday"), ("2022-08-31", "published", None),
        ("2022-09-01", "mentioned", "yesterday"), ("2022-09-02T10:00:00Z", "published", None),
        (None, "mentioned", "Friday"), (None, "mentioned", "19 August"),  # the rally page has no date
    ]


def test_asking_for_a_story_before_stories_exist_is_a_clear_error(tmp_path: Path) -> None:
    with CaseStore(tmp_path / "c.case") as store:
        add_page(store, "/in/flood.txt", [(FLOOD, "2022-08-31")])
        run_events(store)
    everything = CliRunner().invoke(cli, ["timeline", str(store.path)])
    assert everything.exit_code == 0 and '"last month"' in everything.output
    one_story = CliRunner().invoke(cli, ["timeline", str(store.path), "--story", "1000"])
    assert one_story.exit_code == 1 and "no stories yet" in one_story.output
