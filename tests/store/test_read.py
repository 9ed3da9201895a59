"""CaseReader: every read of a case, read-only, as view records."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from sourcetrace.runner import RunOptions, run_case
from sourcetrace.store import CaseError, CaseReader, CaseStore
from sourcetrace.store.schema import MIGRATIONS, SCHEMA_VERSION
from sourcetrace.views import SegmentFilters

pytest_plugins = ["tests.report.conftest"]


def small_case(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ferry.txt").write_text("Ferry resumes\n\nThe ferry to Sorrel resumed service on Monday, the operator said.\n")
    (folder / "empty.html").write_bytes(b"")
    run_case([folder], tmp_path / "c.case", RunOptions(workers=1))
    return tmp_path / "c.case"


# -- opening ---------------------------------------------------------------------------------


def test_a_missing_case_says_how_to_make_one_and_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(CaseError, match=r"no case at .*sourcetrace run INPUT"):
        CaseReader(tmp_path / "none.case")
    assert not (tmp_path / "none.case").exists()


@pytest.mark.parametrize("content", [b"", b"my notes, not a database " * 200])
def test_a_file_that_is_not_a_case_is_refused(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "notes.case").write_bytes(content)
    with pytest.raises(CaseError, match="not a sourcetrace case"):
        CaseReader(tmp_path / "notes.case")
    assert (tmp_path / "notes.case").read_bytes() == content


def test_another_sqlite_database_is_refused(tmp_path: Path) -> None:
    sqlite3.connect(tmp_path / "other.sqlite").execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(CaseError, match="not a sourcetrace case"):
        CaseReader(tmp_path / "other.sqlite")


def test_a_case_from_a_newer_sourcetrace_is_refused(tmp_path: Path) -> None:
    case = small_case(tmp_path)
    with sqlite3.connect(case) as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    with pytest.raises(CaseError, match="newer than this sourcetrace understands"):
        CaseReader(case)


def test_a_case_of_an_older_schema_is_migrated_by_the_writer_then_read(tmp_path: Path) -> None:
    case = small_case(tmp_path)
    steps_at = next(n for n, sql in enumerate(MIGRATIONS) if "CREATE TABLE run_steps" in sql)
    with sqlite3.connect(case) as db:  # as a case written before run steps were recorded
        for sql in MIGRATIONS[steps_at:]:
            for table in re.findall(r"CREATE TABLE (\w+)", sql):
                db.execute(f"DROP TABLE IF EXISTS {table}")  # a later migration may remake a table
        db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(steps_at),))
    with CaseReader(case) as reader:
        last = reader.last_run()
    assert last is not None and last.steps == ()


def test_a_reader_cannot_change_the_case(tmp_path: Path) -> None:
    case = small_case(tmp_path)
    before = case.read_bytes()
    with CaseReader(case) as reader, pytest.raises(sqlite3.OperationalError):
        reader._db.execute("DELETE FROM segments")  # whatever SQL reaches its connection
    assert case.read_bytes() == before


# -- counts, problems, runs -------------------------------------------------------------------


def test_counts_are_those_the_writer_reports(tmp_path: Path) -> None:
    case = small_case(tmp_path)
    with CaseStore(case) as store:
        written = store.counts()
    with CaseReader(case) as reader:
        assert reader.counts() == written
        assert (written.inputs, written.documents, written.problems) == (2, 1, 1)


def test_problems_are_listed_with_their_reason_and_counted_by_reason(tmp_path: Path) -> None:
    with CaseReader(small_case(tmp_path)) as reader:
        [problem] = reader.problems()
        assert (problem.reason, problem.ordinal) == ("empty", None) and problem.path.endswith("empty.html")
        assert reader.problems_by_reason() == {"empty": 1}
        assert reader.problems(limit=0) == [] and reader.problems_page(2).items == ()


def test_the_last_run_comes_with_its_steps_in_order(tmp_path: Path) -> None:
    case = small_case(tmp_path)
    with sqlite3.connect(case) as db:
        (run_id,) = db.execute("SELECT max(id) FROM runs").fetchone()
        db.execute("DELETE FROM run_steps")
        db.executemany("INSERT INTO run_steps VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
            (run_id, 1, "segment", "2026-01-01T00:00:02.000Z", 1.0, 1.5, 1, json.dumps({"segments": 1})),
            (run_id, 0, "ingest", "2026-01-01T00:00:00.000Z", 2.0, 3.8, 2, json.dumps({"documents": 1})),
        ])
    with CaseReader(case) as reader:
        last = reader.last_run()
    assert last is not None and last.id == run_id and last.status == "finished"
    assert last.finished_at is not None and last.seconds is not None and last.seconds >= 0
    assert [s.step for s in last.steps] == ["ingest", "segment"]
    ingest = last.steps[0]
    assert (ingest.records, ingest.counters, ingest.cpu_percent()) == (2, {"documents": 1}, 190.0)


def test_a_case_never_run_has_no_last_run(tmp_path: Path) -> None:
    CaseStore(tmp_path / "new.case").close()
    with CaseReader(tmp_path / "new.case") as reader:
        assert reader.last_run() is None and reader.families() == [] and reader.statements() == []


# -- copies ----------------------------------------------------------------------------------


def test_a_family_lists_its_origin_first_and_each_copy_under_its_parent(case_with_copy_map: Path) -> None:
    with CaseReader(case_with_copy_map) as reader:
        [family] = reader.families()
    assert family.origin == family.id and family.origin_evidence == "earliest date"
    assert family.members[0].kind == "origin" and family.members[0].segment.id == family.origin
    by_kind = {m.kind: m for m in family.members}
    assert by_kind["origin"].parent is None
    assert by_kind["exact"].parent == family.origin  # b copies a
    assert by_kind["rewrite"].parent == by_kind["exact"].segment.id  # c rewrites b
    assert family.kind_counts() == {"origin": 1, "exact": 1, "rewrite": 1}


def test_members_carry_a_citable_segment_and_their_passages(case_with_copy_map: Path) -> None:
    with CaseReader(case_with_copy_map) as reader:
        [family] = reader.families()
    rewrite = next(m for m in family.members if m.kind == "rewrite")
    assert rewrite.segment.path.endswith("c.txt") and rewrite.segment.title == "Port slump"
    assert len(rewrite.segment.sha256) == 64 and rewrite.segment.family == family.id
    assert [tuple(p) for p in rewrite.passages] == [(0, 40, 0, 40)]
    assert rewrite.compare_with == rewrite.parent and rewrite.score == 0.91


def test_the_family_of_any_member_is_found(case_with_copy_map: Path) -> None:
    with CaseReader(case_with_copy_map) as reader:
        [family] = reader.families()
        assert reader.family_of(family.members[-1].segment.id) == family
        assert reader.family(family.id) == family
        assert reader.family_of(10_000_000) is None and reader.family(10_000_000) is None
        assert reader.singletons() == 0
        assert reader.families_page().total == 1 and reader.families(limit=0) == []


def test_a_copy_is_paired_with_its_parent_and_both_texts(case_with_copy_map: Path) -> None:
    with CaseReader(case_with_copy_map) as reader:
        [family] = reader.families()
        exact = next(m for m in family.members if m.kind == "exact")
        pair = reader.pair(exact.segment.id)
        assert reader.pair(family.origin or 0) is None  # an origin copies nothing
    assert pair is not None and pair.parent.id == family.origin and pair.kind == "exact"
    assert "Lindqvist" in pair.copy_text and "Lindqvist" in pair.parent_text


def test_a_document_shows_its_segments_and_the_passages_it_shares(case_with_copy_map: Path) -> None:
    with CaseReader(case_with_copy_map) as reader:
        [family] = reader.families()
        origin = family.members[0].segment
        document = reader.document(origin.document)
        assert reader.document(10_000_000) is None
    assert document is not None and [s.id for s in document.segments] == [origin.id]
    assert {(span.segment, span.start, span.end) for span in document.shared} == {(origin.id, 0, 40)}


def test_browsing_filters_segments_by_kind_and_outlet(case_with_copy_map: Path) -> None:
    with CaseReader(case_with_copy_map) as reader:
        rewrites = reader.browse(SegmentFilters(kind="rewrite"))
        by_path = reader.browse(SegmentFilters(outlet="b.TXT"))
    assert [hit.segment.title for hit in rewrites.items] == ["Port slump"]
    assert [hit.segment.path.endswith("b.txt") for hit in by_path.items] == [True]


def test_search_needs_an_attached_index_and_quotes_every_term(case_with_copy_map: Path) -> None:
    with CaseReader(case_with_copy_map) as reader:
        index = reader.build_read_index()
        try:
            reader.attach_read_index(index)
            assert reader.search("cargo volumes", SegmentFilters()).total == 3
            assert reader.search('"volumes cargo"', SegmentFilters()).total == 0  # a phrase, in order
            assert reader.search("NEAR(", SegmentFilters()).total == 0  # an operator is searched as a word
        finally:
            index.remove()
    assert not index.folder.exists()


# -- statements ------------------------------------------------------------------------------


def test_speakers_are_counted_with_roles_and_altered_copies(case_with_statements: Path) -> None:
    with CaseReader(case_with_statements) as reader:
        speakers = {s.speaker: s for s in reader.speakers()}
    dahl = speakers["Ilse Dahl"]
    assert (dahl.statements, dahl.occurrences, dahl.altered, dahl.roles) == (1, 3, 1, ("mayor of Lindqvist",))
    assert speakers["Lindqvist harbour authority"].altered == 0


def test_statements_filter_by_speaker_and_altered(case_with_statements: Path) -> None:
    with CaseReader(case_with_statements) as reader:
        assert [s.statement.id for s in reader.statements("DAHL")] == [1]
        assert [s.statement.id for s in reader.statements(altered_only=True)] == [1]
        assert [s.statement.id for s in reader.statements()] == [1, 2]  # most repeated first
        assert [s.statement.id for s in reader.statements(limit=1)] == [1]
        assert reader.statements_page(speaker="nobody").total == 0


def test_an_altered_occurrence_carries_its_diff_and_a_garbled_speaker_flag(case_with_statements: Path) -> None:
    with CaseReader(case_with_statements) as reader:
        [view] = reader.statements(altered_only=True)
        assert reader.statement(view.statement.id) == view and reader.statement(999) is None
    assert (view.statement.occurrences, view.statement.altered) == (3, 1)
    altered = [o for o in view.occurrences if o.altered]
    assert len(altered) == 1 and altered[0].garbled_speaker
    assert ("-", "quay") in altered[0].diff and ("+", "dock") in altered[0].diff
    assert all(not o.diff for o in view.occurrences if not o.altered)


def test_replacing_the_copy_map_leaves_no_stale_rows(case_with_copy_map: Path) -> None:
    with CaseStore(case_with_copy_map) as store:
        store.replace_copy_map([], [])
    with CaseReader(case_with_copy_map) as reader:
        assert reader.families() == [] and reader.overview().kind_counts["exact"] == 0
        [segment] = [hit.segment for hit in reader.browse(SegmentFilters(outlet="c.txt")).items]
        document = reader.document(segment.document)
    assert document is not None and document.shared == ()  # no relation is left behind


# -- stories, outlets and the timeline ---------------------------------------------------------


@pytest.fixture(scope="module")
def case_with_stories(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.web.cases import build_hostile_case

    return build_hostile_case(tmp_path_factory.mktemp("hostile"))


def test_pages_of_stories_and_of_the_timeline_partition_the_whole_lists(case_with_stories: Path) -> None:
    with CaseReader(case_with_stories) as reader:
        stories, events = reader.stories(), reader.events()
        story_pages = [reader.stories_page(n, per_page=1) for n in range(1, len(stories) + 2)]
        event_pages = [reader.events_page(n, per_page=4) for n in range(1, len(events) // 4 + 3)]
        overview = reader.overview()
    assert [s for pg in story_pages for s in pg.items] == stories and story_pages[-1].items == ()
    assert [e for pg in event_pages for e in pg.items] == events and event_pages[-1].items == ()
    assert {pg.total for pg in event_pages} == {len(events)} and (overview.stories, overview.events) == (
        len(stories), len(events))


def test_the_timeline_filters_by_story_and_kind_keeping_date_order(case_with_stories: Path) -> None:
    with CaseReader(case_with_stories) as reader:
        events = reader.events()
        story = reader.stories()[0].id
        mentioned = reader.events_page(per_page=100, kind="mentioned")
        in_story = reader.events_page(per_page=100, story=story, kind="published")
    assert list(mentioned.items) == [e for e in events if e.kind == "mentioned"] and mentioned.total >= 1
    assert list(in_story.items) == [e for e in events if e.story == story and e.kind == "published"]
    assert in_story.total == len(in_story.items) >= 1


def test_an_event_names_its_segments_document_and_a_segment_its_publisher(case_with_stories: Path) -> None:
    with CaseReader(case_with_stories) as reader:
        events = reader.events()
        segments = reader.segments(sorted({e.segment for e in events}))
        sources = {s.id: s for s in reader.sources()}
    assert all(e.document == segments[e.segment].document for e in events)
    for segment in segments.values():
        if segment.source is not None:
            assert segment.url is not None and any(host in segment.url for host in sources[segment.source].hosts)
    assert {s.source for s in segments.values()} - {None} == set(sources)


def test_a_page_of_the_timeline_reads_events_in_their_index_without_sorting_them_all(case_with_stories: Path) -> None:
    from sourcetrace.store import read_events

    statements: list[str] = []
    db = sqlite3.connect(f"file:{case_with_stories}?mode=ro", uri=True)
    db.set_trace_callback(statements.append)
    page = read_events.events(db, limit=4, offset=2)
    db.set_trace_callback(None)
    page_query = statements[-1]  # as run, its parameters filled in
    plan = " ".join(row[3] for row in db.execute("EXPLAIN QUERY PLAN " + page_query))
    db.close()
    assert len(page) == 4
    assert "events_timeline" in plan and "TEMP B-TREE" not in plan  # the 100k-segment timeline sorted 791,540 rows per page
