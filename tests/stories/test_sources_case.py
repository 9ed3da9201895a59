"""The sources step in a case: what it stores, what `sourcetrace sources` shows and sets, the export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sourcetrace.api import open_case
from sourcetrace.cli import cli
from sourcetrace.engines.local import LocalEngine
from sourcetrace.pipeline import RunContext, RunOptions, RunSummary
from sourcetrace.progress import NullProgress
from sourcetrace.records import (
    Document,
    Family,
    FamilyMember,
    IngestedInput,
    InputKind,
    InputRecord,
    Segment,
    SegmentedDocument,
)
from sourcetrace.store import CaseStore
from sourcetrace.store.write_sources import load_registry
from sourcetrace.stories.steps_sources import BuildSources

# Invented outlets: a wire, four newspapers that each carry one of its stories
# verbatim, and an aggregator whose pages paste two of those stories each.
WIRE = "https://www.examplewire.example/story/{n}"
PAPERS = ("harbour-gazette", "valley-times", "north-post", "east-herald")
AGGREGATOR = "https://buzzfeedly.example/roundup/{n}"
STORY = "Story {n}: the fictional river authority of Elmstead reported water level {n} on its gauges."


def _document(ordinal: int, url: str, site: str | None, texts: list[str]) -> Document:
    return Document(ordinal=ordinal, text="\n\n".join(texts), media_type="text/html", extractor="trafilatura",
                    url=url, site=site)


def build_case(path: Path) -> dict[str, list[int]]:
    """Writes the case; returns the segment ids of each outlet's pages, by role in the copy map."""
    stories = range(1, 5)
    pages: list[tuple[Document, list[str | None]]] = []  # a document and the credit of each of its segments
    pages += [(_document(0, WIRE.format(n=n), "Example Wire", [STORY.format(n=n)]), [None]) for n in stories]
    pages += [(_document(0, f"https://www.{paper}.example/a", paper.title(), [STORY.format(n=n)]), ["EW"])
              for paper, n in zip(PAPERS, stories)]
    pages += [(_document(0, AGGREGATOR.format(n=n), "Buzzfeedly",
                         [STORY.format(n=n), STORY.format(n=n % 4 + 1)]), ["EW", "EW"]) for n in stories]
    with CaseStore(path) as store:
        for number, (document, credits) in enumerate(pages, start=1):
            record = InputRecord(f"/in/{number}.html", f"{number:064x}", 10, InputKind.HTML, "2026-01-01T00:00:00")
            store.add_ingested(IngestedInput(record, [document]), 0, None)
            segments, start = [], 0
            for ordinal, (text, credit) in enumerate(zip(document.text.split("\n\n"), credits)):
                segments.append(Segment(ordinal, start, start + len(text), text, credit=credit))
                start += len(text) + 2
            store.add_segmented([SegmentedDocument(number, [], segments)])
        ids = {"wire": [n * 1000 for n in stories], "papers": [(4 + n) * 1000 for n in stories],
               "aggregator": [i for n in stories for i in ((8 + n) * 1000, (8 + n) * 1000 + 1)]}
        families = []
        for n in stories:
            carried_second = (n - 2) % 4 + 1  # the aggregator page whose second story is story n
            copies = ((4 + n) * 1000, (8 + n) * 1000, (8 + carried_second) * 1000 + 1)
            members = (FamilyMember(n * 1000, "origin", None, 1.0),
                       *(FamilyMember(c, "exact", n * 1000, 1.0) for c in sorted(copies)))
            families.append(Family(n * 1000, n * 1000, "credit line names the wire", members))
        store.replace_copy_map([], families)
    return ids


def run_sources_step(path: Path) -> None:
    engine = LocalEngine(1)
    with CaseStore(path) as store:
        context = RunContext([], store, engine, RunOptions(workers=1), NullProgress(), 0, RunSummary(str(path)))
        engine.begin_step("sources")
        BuildSources().run(context)
        engine.end_step()


def rebuild_copy_map(path: Path) -> None:
    """What a run that changed segments does before the sources step: replace the copy map."""
    with CaseStore(path) as store, store.transaction() as db:
        db.execute("INSERT OR REPLACE INTO meta VALUES ('segments_version', '99')")
        db.execute("INSERT OR REPLACE INTO meta VALUES ('copy_map_version', '99')")


@pytest.fixture
def case(tmp_path: Path) -> Path:
    path = tmp_path / "sources.case"
    build_case(path)
    run_sources_step(path)
    return path


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_the_step_stores_every_outlet_with_its_segments(case: Path) -> None:
    with open_case(case) as opened:
        listed = {s.name: s for s in opened.sources()}
    assert set(listed) == {"Example Wire", "Buzzfeedly", *(p.title() for p in PAPERS)}
    wire = listed["Example Wire"]
    assert (wire.published, wire.credited) == (4, 12)  # its own 4 pages; 4 papers and 8 aggregated stories credit it
    assert listed["Buzzfeedly"].published == 8 and listed["Buzzfeedly"].hosts == ("buzzfeedly.example",)
    with CaseStore(case) as store:
        registry = load_registry(store)
    paper = 5000  # on harbour-gazette.example, crediting EW
    assert (registry.publisher_of(paper), registry.source_of(paper)) == (listed["Harbour-Gazette"].key, wire.key)


def test_the_listing_puts_the_outlets_with_most_segments_first(case: Path) -> None:
    with open_case(case) as opened:
        counts = [s.segments for s in opened.sources()]
    assert counts == sorted(counts, reverse=True)
    code, output = invoke("sources", str(case))
    assert code == 0, output
    assert output.index("Example Wire") < output.index("Buzzfeedly") < output.index("Harbour-Gazette")


def test_the_aggregator_is_suggested_with_its_evidence_and_its_type_stays_unknown(case: Path) -> None:
    with open_case(case) as opened:
        buzz = next(s for s in opened.sources() if s.name == "Buzzfeedly")
    assert (buzz.type, buzz.suggested_type, buzz.set_by_user) == ("unknown", "aggregator", False)
    assert buzz.evidence == "8 of 8 segments copy others (0 rewritten); 4 of 4 pages carry unrelated stories"
    code, output = invoke("sources", str(case), "--limit", "0")
    assert code == 0 and "aggregator" in output


def test_a_type_set_by_the_user_survives_a_rerun_and_beats_the_suggestion(case: Path) -> None:
    code, output = invoke("sources", str(case), "--set", "buzzfeedly=content_farm")
    assert code == 0, output
    rebuild_copy_map(case)
    run_sources_step(case)
    with open_case(case) as opened:
        buzz = next(s for s in opened.sources() if s.name == "Buzzfeedly")
    assert (buzz.type, buzz.set_by_user, buzz.suggested_type) == ("content_farm", True, "aggregator")
    with CaseStore(case) as store:
        assert load_registry(store).type_of("Buzzfeedly") == "content_farm"


def test_a_source_can_be_set_by_its_host_or_by_a_name_it_is_credited_under(case: Path) -> None:
    with open_case(case) as opened:
        changed = opened.set_source_type("www.valley-times.example", "newspaper")
        wire = opened.set_source_type("ew", "wire")  # the initialism the papers credit
    assert (changed.name, changed.type, changed.set_by_user) == ("Valley-Times", "newspaper", True)
    assert (wire.name, wire.type, wire.names) == ("Example Wire", "wire", ("EW", "Example Wire"))


def test_an_invalid_type_is_refused_with_the_types_to_choose_from(case: Path) -> None:
    code, output = invoke("sources", str(case), "--set", "Buzzfeedly=tabloid")
    assert code == 1 and "tabloid" in output and "content_farm" in output
    with open_case(case) as opened:
        assert not any(s.set_by_user for s in opened.sources())


def test_an_unknown_name_is_refused_with_close_matches(case: Path) -> None:
    code, output = invoke("sources", str(case), "--set", "Buzzfedly=aggregator")
    assert code == 1 and "no source named 'Buzzfedly'" in output and "Buzzfeedly" in output
    code, output = invoke("sources", str(case), "--set", "no equals sign")
    assert code == 2 and "NAME=TYPE" in output


def test_the_step_does_nothing_while_the_copy_map_is_unchanged(case: Path) -> None:
    with CaseStore(case) as store, store.transaction() as db:
        db.execute("UPDATE sources SET name = 'marker' WHERE id = 1")
    run_sources_step(case)
    with open_case(case) as opened:
        assert "marker" in {s.name for s in opened.sources()}
    rebuild_copy_map(case)
    run_sources_step(case)
    with open_case(case) as opened:
        assert "marker" not in {s.name for s in opened.sources()}


def test_the_export_has_a_sources_section_with_segment_ids(case: Path) -> None:
    invoke("sources", str(case), "--set", "Buzzfeedly=aggregator")
    code, output = invoke("export", str(case), "--json", "-")
    assert code == 0
    exported = json.loads(output)
    rows = {row["name"]: row for row in exported["sources"]}
    kept = {segment["id"] for segment in exported["segments"]}
    assert [row["id"] for row in exported["sources"]] == sorted(row["id"] for row in exported["sources"])
    buzz = rows["Buzzfeedly"]
    assert {"id", "name", "hosts", "type", "suggested_type", "evidence", "set_by_user", "segments"} <= set(buzz)
    assert (buzz["type"], buzz["set_by_user"], buzz["hosts"]) == ("aggregator", True, ["buzzfeedly.example"])
    wire = rows["Example Wire"]
    assert set(wire["segments"]) <= kept and len(wire["segments"]) == 16
    assert set(wire["credited_segments"]) < set(wire["segments"])
    assert not rows["Example Wire"]["set_by_user"]


def feed(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    """A JSON Lines input: (url, source credited, text) per row."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps({"url": url, "source": source, "text": text}) + "\n"
                            for url, source, text in rows), encoding="utf-8")
    return path


def test_a_setting_survives_a_run_that_adds_inputs_and_rebuilds_the_registry(tmp_path: Path) -> None:
    from sourcetrace.runner import run_case  # loads spaCy: only this test pays for it

    story = STORY.format(n=7) + " The authority said the river would crest on Thursday."
    first = feed(tmp_path / "one" / "feed.jsonl", [
        ("https://www.valley-times.example/a", "Reuters", story),
        ("https://www.north-post.example/b", "Reuters", story)])
    second = feed(tmp_path / "two" / "feed.jsonl", [
        ("https://east-herald.example/c", "AP", STORY.format(n=8) + " Schools in Elmstead stayed closed.")])
    case = tmp_path / "run.case"
    run_case([first], case, RunOptions(workers=1))
    with open_case(case) as opened:
        opened.set_source_type("valley-times.example", "newspaper")
    run_case([first, second], case, RunOptions(workers=1))
    with open_case(case) as opened:
        listed = {s.name: s for s in opened.sources()}
    assert {"Associated Press", "east-herald.example"} <= set(listed)  # the second run rebuilt the registry
    assert (listed["valley-times.example"].type, listed["valley-times.example"].set_by_user) == ("newspaper", True)
    assert (listed["Reuters"].type, listed["Reuters"].credited) == ("wire", 2)
