"""Incremental runs: a case extended by a later run equals the case built at once.

Every comparison is the whole JSON export, with only run metadata (when it
was generated, when each input was ingested) left out: ids are derived from
the order of the inputs and from (document, ordinal), never from the order in
which runs happened to write them.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from sourcetrace.cli import cli, read_claims_file
from sourcetrace.runner import RunOptions, demo_claims_path, run_case
from sourcetrace.store.write_stories import text_digest

DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo"
RUN_METADATA = {"generated_at", "generator", "ingested_at", "run_id", "started_at", "finished_at", "runs"}
ONE_WORKER = RunOptions(workers=1)


def exported(case: Path) -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["export", str(case), "--json", "-"])
    assert result.exit_code == 0, result.output
    return _without_run_metadata(json.loads(result.stdout))


def _without_run_metadata(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_run_metadata(v) for k, v in value.items() if k not in RUN_METADATA}
    if isinstance(value, list):
        return [_without_run_metadata(v) for v in value]
    return value


def split_demo(root: Path) -> tuple[Path, Path]:
    """The demo corpus in two piles: web pages and texts first, archives and feeds later."""
    first, second = root / "first", root / "second"
    for name in ("web", "text"):
        shutil.copytree(DEMO / name, first / name)
    for name in ("archive", "feeds"):
        shutil.copytree(DEMO / name, second / name)
    return first, second


def step_counters(case: Path, run_id: int) -> dict[str, dict[str, int]]:
    with sqlite3.connect(case) as db:
        rows = db.execute("SELECT step, counters FROM run_steps WHERE run_id = ?", (run_id,)).fetchall()
    return {step: json.loads(counters) for step, counters in rows}


def test_a_case_extended_by_a_second_run_equals_the_case_built_at_once(tmp_path: Path) -> None:
    first, second = split_demo(tmp_path)
    claims_file = demo_claims_path()
    assert claims_file is not None
    with_claims = RunOptions(workers=1, claims=tuple(read_claims_file(claims_file)), find_claims=True)  # every run
    run_case([first, second], tmp_path / "at-once.case", with_claims)
    run_case([first], tmp_path / "extended.case", with_claims)
    added = run_case([first, second], tmp_path / "extended.case", with_claims)
    assert added.inputs > 0 and added.skipped_inputs > 0
    at_once, extended = exported(tmp_path / "at-once.case"), exported(tmp_path / "extended.case")
    assert extended["families"] and extended["statements"]  # the comparison is about something
    assert any(c["supplied"] and c["positions"] for c in extended["claims"])
    assert extended == at_once
    counters = step_counters(tmp_path / "extended.case", 2)["positions"]
    assert counters["pairs_known"] > 0  # pairs assessed by the first run are not assessed again


def test_an_extending_run_verifies_only_pairs_and_answers_only_questions_it_has_not_seen(tmp_path: Path) -> None:
    first, second = split_demo(tmp_path)
    case = tmp_path / "c.case"
    run_case([first], case, ONE_WORKER)
    run_case([first, second], case, ONE_WORKER)
    run_case([first, second], tmp_path / "at-once.case", ONE_WORKER)
    extending, at_once = step_counters(case, 2), step_counters(tmp_path / "at-once.case", 1)
    assert extending["verify"]["pairs_known"] > 0
    assert extending["merge"]["questions_answered_before"] > 0
    verified_again = sum(extending["verify"].get(k, 0) for k in ("exact", "near_exact", "excerpt", "rewrite", "not_derived"))
    verified_at_once = sum(at_once["verify"].get(k, 0) for k in ("exact", "near_exact", "excerpt", "rewrite", "not_derived"))
    assert verified_again < verified_at_once
    assert extending["statements"]["segments"] < at_once["statements"]["segments"]  # only the new segments
    assert extending["warm-up"]["requested"] == 1  # new segments await statements: the workers load spaCy early
    with sqlite3.connect(case) as db:
        with_statements = db.execute("SELECT count(*) FROM segment_statements").fetchone()[0]
    assert 0 < extending["merge"]["segments_read"] < with_statements  # the merge read what the new segments touch
    run_case([first, second], case, ONE_WORKER)
    assert "requested" not in step_counters(case, 3)["warm-up"]  # nothing new: nothing to load


NAV_LINE = "Home | Subscribe | Contact the Gazette"


STORIES = {
    "bridge": "The new bridge over the Lune opened on Tuesday after three years of work. Engineer Ada Brun "
              "said the span would carry four thousand cars a day. Cyclists get a lane of their own.",
    "school": "Rain came through the roof of the north school again overnight. The head teacher, Karl Voss, "
              "said lessons moved to the gym. Repairs are promised before the winter term.",
    "harbour": "Storm waves broke a section of the harbour wall on Sunday. Fishermen moved their boats to the "
               "inner basin, and the port authority closed the pier until divers inspect it.",
    "buses": "From March the number 4 bus will run every ten minutes at rush hour. The transport office "
             "said night services on weekends return as well, after a two-year pause.",
    "library": "The central library will open on Sundays from next month. Librarian Mina Holt said volunteers "
               "made it possible, and a reading club for teenagers starts in April.",
}


def gazette_page(folder: Path, story: str, *, nav: bool = True) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    footer = f"\n\n{NAV_LINE}\n" if nav else "\n"
    (folder / f"{story}.txt").write_text(f"News: {story}\n\n{STORIES[story]}{footer}", encoding="utf-8")


def test_pages_that_make_a_line_furniture_resegment_only_the_older_pages_holding_it(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    gazette_page(first, "bridge")
    gazette_page(first, "school")
    gazette_page(first, "harbour", nav=False)
    gazette_page(second, "buses")
    gazette_page(second, "library")
    case = tmp_path / "c.case"
    run_case([first], case, ONE_WORKER)
    added = run_case([first, second], case, ONE_WORKER)
    assert added.resegmented_documents == 2  # bridge and school hold the line; harbour does not
    assert step_counters(case, 2)["furniture"]["documents"] == 2  # line records made for the new pages only
    assert step_counters(case, 2)["stories"]["segments"] == 4  # story features of the new and the re-segmented
    with sqlite3.connect(case) as db:
        rows = db.execute("SELECT s.title, s.text, f.digest FROM segments s JOIN story_features f ON f.segment_id = s.id")
        assert all(text_digest(title, text) == digest for title, text, digest in rows)  # none made from an old text
    run_case([first, second], tmp_path / "at-once.case", ONE_WORKER)
    extended = exported(case)
    assert all(NAV_LINE not in segment["text"] for segment in extended["segments"])
    assert extended == exported(tmp_path / "at-once.case")


SIDEBAR = "\u201cWe print every week, whatever the weather,\u201d publisher Rosa Lind said."
TOWNS = ("Arden", "Belmor", "Casterly", "Dunmore", "Elbury", "Fenwick", "Garrow", "Holmby", "Iverton", "Jarrow",
         "Kelso", "Lanark", "Morven", "Nairn", "Oban", "Peebles", "Quarry", "Rothes", "Selkirk", "Thurso", "Ullapool",
         "Varne", "Wick", "Yarrow")
TOPICS = ("a new footbridge", "the winter gritting plan", "a school roof", "bus timetables", "library hours",
          "the harbour wall", "street lighting", "a skate park")


def gazette_story(n: int) -> str:
    town, topic = TOWNS[n], TOPICS[n % len(TOPICS)]
    return (f"The council of {town} met on day {n + 1} of the month to settle {topic}. Members argued for an hour "
            f"before the vote, and {town}'s residents filled the public gallery. The decision on {topic} passed "
            f"by {n + 3} votes to {n % 4}, and work in {town} is planned for the spring.")


def test_a_statement_whose_occurrence_became_furniture_is_regrouped_from_its_other_occurrences(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for folder, numbers in ((first, range(12)), (second, range(12, 24))):
        folder.mkdir(parents=True)
        for n in numbers:  # the gazette's sidebar quote, on every page of the gazette: furniture from 20 pages on
            (folder / f"gazette-{n}.txt").write_text(f"News {n}\n\n{gazette_story(n)}\n\n{SIDEBAR}\n", encoding="utf-8")
    (first / "review.txt").write_text(  # another paper quotes the same words within its own paragraph
        f"Press review\n\nAt the gazette's jubilee, {SIDEBAR[:-1]} to applause. {STORIES['harbour']}\n", encoding="utf-8")
    case = tmp_path / "c.case"
    run_case([first], case, ONE_WORKER)
    assert any(len(s["occurrences"]) == 13 for s in exported(case)["statements"])  # 12 gazette pages and the review
    run_case([first, second], case, ONE_WORKER)
    extended = exported(case)
    assert all(SIDEBAR not in segment["text"] for segment in extended["segments"] if "jubilee" not in segment["text"])
    lind = [s for s in extended["statements"] if "Rosa Lind" in s["speaker"]]
    assert [len(s["occurrences"]) for s in lind] == [1]  # the review's occurrence kept its statement
    run_case([first, second], tmp_path / "at-once.case", ONE_WORKER)
    assert extended == exported(tmp_path / "at-once.case")


WIRE = ("ORTHAVEN — The harbour authority of Orthaven closed the north pier on Monday after divers found cracks "
        "in its foundations. \"We will not reopen the pier until every pile has been inspected and the cracks are "
        "repaired,\" harbour master Ines Kalder said. Fishing boats were moved to the inner basin, and ferry "
        "services will use the south quay until further notice, the authority said in a notice to mariners.")
COPY = WIRE.replace("every pile has been inspected", "each pile has been checked")  # a copy that altered the quote


def _feed(folder: Path, name: str, url: str, date: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    row = {"text": text, "url": url, "date": date, "title": "North pier closed"}
    (folder / f"{name}.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")


def test_a_statements_reference_form_follows_the_origin_when_a_later_run_adds_it(tmp_path: Path) -> None:
    copies, wire = tmp_path / "copies", tmp_path / "wire"
    _feed(copies, "gazette", "https://gazette.example/pier", "2024-03-05T09:00:00", COPY)
    _feed(copies, "courier", "https://courier.example/pier", "2024-03-05T11:00:00", COPY)
    _feed(wire, "wire", "https://wire.example/orthaven-pier", "2024-03-04T18:00:00", WIRE)
    run_case([copies], tmp_path / "extended.case", ONE_WORKER)
    before = exported(tmp_path / "extended.case")
    run_case([copies, wire], tmp_path / "extended.case", ONE_WORKER)
    run_case([copies, wire], tmp_path / "at-once.case", ONE_WORKER)
    extended, at_once = exported(tmp_path / "extended.case"), exported(tmp_path / "at-once.case")
    assert extended == at_once

    def quote(export: dict[str, Any]) -> dict[str, Any]:
        return next(s for s in export["statements"] if "pier until" in s["text"])

    assert "each pile has been checked" in quote(before)["text"]  # the copies' own form, before the wire is in
    after = quote(extended)
    assert "every pile has been inspected" in after["text"]  # the origin's form, once it is
    assert sum(o["altered"] for o in after["occurrences"]) == 2


def test_a_case_whose_statement_keys_were_never_stored_is_merged_whole_and_equals_one_built_at_once(
        tmp_path: Path) -> None:
    first, second = split_demo(tmp_path)
    case = tmp_path / "older.case"
    run_case([first], case, ONE_WORKER)
    with sqlite3.connect(case) as db:  # as a case of schema 12 was left: statements merged, no keys
        db.execute("DELETE FROM statement_keys")
        db.execute("DELETE FROM meta WHERE key = 'statement_keys_version'")
    run_case([first, second], case, ONE_WORKER)
    assert "segments_read" not in step_counters(case, 2)["merge"]  # every statement read, not the touched alone
    with sqlite3.connect(case) as db:
        assert db.execute("SELECT count(DISTINCT segment_id) FROM statement_keys").fetchone()[0] > 0  # now stored
    run_case([first, second], tmp_path / "at-once.case", ONE_WORKER)
    assert exported(case) == exported(tmp_path / "at-once.case")


def test_families_that_new_pages_do_not_touch_are_reused_as_decided(tmp_path: Path) -> None:
    first, later = tmp_path / "first", tmp_path / "later"
    _feed(first, "wire", "https://wire.example/orthaven-pier", "2024-03-04T18:00:00", WIRE)
    _feed(first, "gazette", "https://gazette.example/pier", "2024-03-05T09:00:00", COPY)
    bridge = STORIES["bridge"] + " " + STORIES["school"]
    _feed(first, "courier", "https://courier.example/bridge", "2024-03-06T09:00:00", bridge)
    _feed(first, "herald", "https://herald.example/bridge", "2024-03-06T12:00:00", bridge)
    _feed(later, "post", "https://post.example/buses", "2024-03-07T09:00:00", STORIES["buses"] + " " + STORIES["library"])
    case = tmp_path / "c.case"
    run_case([first], case, ONE_WORKER)
    assert step_counters(case, 1)["families"] == {"families_decided": 2, "families_reused": 0, "relations": 2}
    run_case([first, later], case, ONE_WORKER)
    assert step_counters(case, 2)["families"]["families_reused"] == 2  # the new page copies neither story
    assert step_counters(case, 2)["families"].get("families_decided", 0) == 0
    run_case([first, later], tmp_path / "at-once.case", ONE_WORKER)
    assert exported(case) == exported(tmp_path / "at-once.case")


def test_statements_an_older_version_of_the_rules_extracted_are_extracted_again(tmp_path: Path) -> None:
    first, second = split_demo(tmp_path)
    case = tmp_path / "older.case"
    run_case([first, second], case, ONE_WORKER)
    with sqlite3.connect(case) as db:  # as an earlier sourcetrace left it: other rules, other statements
        db.execute("UPDATE meta SET value = 'an-older-version' WHERE key = 'statements_extractor'")
        db.execute("UPDATE segment_statements SET attributions = '[]'")
    run_case([first, second], case, ONE_WORKER)
    run_case([first, second], tmp_path / "at-once.case", ONE_WORKER)
    assert step_counters(case, 2)["statements"]["extracted_again"] == 1
    again, at_once = exported(case), exported(tmp_path / "at-once.case")
    assert again["statements"] and again == at_once


def test_pairs_an_older_version_of_the_rules_verified_are_verified_again(tmp_path: Path) -> None:
    first, second = split_demo(tmp_path)
    case = tmp_path / "older.case"
    run_case([first, second], case, ONE_WORKER)
    with sqlite3.connect(case) as db:  # as an earlier sourcetrace left it: other rules, no copies found
        db.execute("UPDATE meta SET value = 'an-older-version' WHERE key = 'pair_verifier'")
        db.execute("UPDATE pair_verdicts SET verdict = NULL")
    run_case([first, second], case, ONE_WORKER)
    run_case([first, second], tmp_path / "at-once.case", ONE_WORKER)
    counters = step_counters(case, 2)
    assert counters["candidates"]["verified_again"] == 1
    assert counters["verify"]["pairs_known"] == 0  # every pair verified again
    again, at_once = exported(case), exported(tmp_path / "at-once.case")
    assert again["families"] and again == at_once


def test_claims_an_older_version_of_the_claim_rules_assessed_are_assessed_again(tmp_path: Path) -> None:
    first, second = split_demo(tmp_path)
    claims_file = demo_claims_path()
    assert claims_file is not None
    with_claims = RunOptions(workers=1, claims=tuple(read_claims_file(claims_file)), find_claims=True)
    case = tmp_path / "older.case"
    run_case([first, second], case, with_claims)
    with sqlite3.connect(case) as db:  # as an earlier sourcetrace left it: other rules, other positions
        db.execute("UPDATE meta SET value = 'an-older-version' WHERE key = 'claims_assessor'")
        db.execute("UPDATE claim_positions SET stance = 'reports', cue = 'an older rule'")
        db.execute("DELETE FROM claim_checks WHERE rowid % 2 = 0")  # and pairs it never checked
    run_case([first, second], case, with_claims)
    run_case([first, second], tmp_path / "at-once.case", with_claims)
    again, at_once = exported(case), exported(tmp_path / "at-once.case")
    assert any(c["supplied"] and c["positions"] for c in again["claims"])
    assert again == at_once
    counters = step_counters(case, 2)
    assert counters["claims"]["assessed_again"] == 1
    assert counters["positions"]["pairs_known"] == 0  # every pair assessed again
