"""Claims through the real pipeline: counted by independent source, cited, exported, listed, added later."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from claim_pages import COPIES, write_pages
from claim_texts import CLAIM
from click.testing import CliRunner

from sourcetrace.api import open_case
from sourcetrace.cli import cli
from sourcetrace.runner import RunOptions, run_case


def exported(case: Path) -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["export", str(case), "--json", "-"])
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def supplied(case: Path) -> Any:
    with open_case(case) as opened:
        return next(c for c in opened.claims() if c.supplied)


def test_forty_syndicated_copies_and_two_independent_reports_are_three_supporting_sources(claims_case: Path) -> None:
    with open_case(claims_case) as case:
        claim = supplied(claims_case)
        view = case.claim(claim.id)
        assert view is not None
        assert len({p.segment.id for p in view.supporting}) >= COPIES + 2  # every copy takes the position...
        assert claim.supporting_sources == 3  # ...but copies of one story count once
        assert len({p.family for p in view.supporting}) == 3


def test_the_accused_denial_is_the_accused_speakers_position(claims_case: Path) -> None:
    with open_case(claims_case) as case:
        view = case.claim(supplied(claims_case).id)
        assert view is not None and view.claim.contesting_sources == 1
        denial = view.contesting[0]
        assert denial.speaker is not None and "defence ministry" in denial.speaker.lower()
        assert denial.statement is not None and "denied" in denial.cue
        assert denial.segment.url == "https://vardenia-mod.example/statement"


def test_a_page_on_the_same_topic_takes_no_position(claims_case: Path) -> None:
    with open_case(claims_case) as case:
        view = case.claim(supplied(claims_case).id)
        assert view is not None
        positions = view.supporting + view.contesting + view.reporting
        assert all(p.segment.url != "https://healthnews.example/korvo-hospital" for p in positions)


def test_every_position_is_cited_by_input_document_span_and_url(claims_case: Path) -> None:
    with open_case(claims_case) as case:
        view = case.claim(supplied(claims_case).id)
        assert view is not None
        with sqlite3.connect(claims_case) as db:
            for position in view.supporting + view.contesting:
                document_text = db.execute("SELECT text FROM documents WHERE id = ?",
                                           (position.segment.document,)).fetchone()[0]
                cited = document_text[position.document_start:position.document_end]
                assert cited == position.text and position.segment.sha256 and position.segment.url
                assert position.cue  # the stance is explained


def test_the_export_holds_claims_with_their_positions_and_counts(claims_case: Path) -> None:
    export = exported(claims_case)
    claim = next(c for c in export["claims"] if c["supplied"])
    assert claim["text"] == CLAIM and claim["supporting_sources"] == 3 and claim["contesting_sources"] == 1
    segments = {s["id"]: s["text"] for s in export["segments"]}
    for position in claim["positions"]:
        assert set(position) >= {"segment", "statement", "speaker", "stance", "family", "start", "end"}
        assert segments[position["segment"]][position["start"]:position["end"]]
    families = {m["segment"]: f["id"] for f in export["families"] for m in f["members"]}
    assert all(p["family"] == families[p["segment"]] for p in claim["positions"])


def test_claims_found_in_statements_are_marked_as_not_supplied(claims_case: Path) -> None:
    export = exported(claims_case)
    for claim in export["claims"]:
        assert claim["supplied"] == (claim["id"] < 10_000_000)  # found ids are statement ids


def test_the_cli_shows_both_sides_with_counts_and_citations(claims_case: Path) -> None:
    claim = supplied(claims_case)
    runner = CliRunner()
    listing = runner.invoke(cli, ["claims", str(claims_case)])
    assert listing.exit_code == 0 and "supports" in listing.output
    shown = runner.invoke(cli, ["claims", str(claims_case), str(claim.id)], env={"COLUMNS": "200"})
    assert shown.exit_code == 0
    assert "supports: 3 independent sources" in shown.output and "contests: 1 independent source" in shown.output
    assert "sha256" in shown.output and "vardenia-mod.example" in shown.output
    as_json = runner.invoke(cli, ["claims", str(claims_case), str(claim.id), "--json"])
    assert json.loads(as_json.output)["claim"]["supporting_sources"] == 3
    missing = runner.invoke(cli, ["claims", str(claims_case), "999999"])
    assert missing.exit_code == 1 and "no claim 999999" in missing.output


def test_adding_claims_later_assesses_only_the_new_claims(tmp_path: Path) -> None:
    case = tmp_path / "c.case"
    run_case([write_pages(tmp_path / "pages")], case, RunOptions(workers=1, claims=(CLAIM,)))
    with sqlite3.connect(case) as db:
        before = db.execute("SELECT count(*) FROM claim_checks").fetchone()[0]
    (tmp_path / "more.txt").write_text(
        "# one more\nVardenia's defence ministry denied shelling the hospital in Korvo\n\n" + CLAIM + "\n",
        encoding="utf-8")
    result = CliRunner().invoke(cli, ["claims", str(case), "--add", str(tmp_path / "more.txt"), "--workers", "1"])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(case) as db:
        steps = [s for (s,) in db.execute("SELECT step FROM run_steps WHERE run_id = 2 ORDER BY ordinal")]
        counters = json.loads(db.execute(
            "SELECT counters FROM run_steps WHERE run_id = 2 AND step = 'positions'").fetchone()[0])
        texts = [t for (t,) in db.execute("SELECT text FROM claims WHERE supplied = 1 ORDER BY id")]
    assert steps == ["claims", "positions"]  # nothing else re-runs
    assert counters["pairs_known"] == before and counters["pairs"] == counters["candidate_pairs"] > 0
    assert texts == [CLAIM, "Vardenia's defence ministry denied shelling the hospital in Korvo"]  # stored once


def test_a_supplied_claim_keeps_its_text_as_written(tmp_path: Path) -> None:
    case = tmp_path / "c.case"
    with open_case(case, create=True) as opened:
        added = opened.add_claims(["  Troops  shelled the   hospital \t", "", "Troops shelled the hospital"])
    assert [c.text for c in added] == ["Troops  shelled the   hospital"]
    assert added[0].id == 1 and added[0].supplied


def test_run_takes_a_claims_file_and_refuses_one_that_is_not_utf8(tmp_path: Path) -> None:
    feed = write_pages(tmp_path / "pages")
    claims = tmp_path / "claims.txt"
    claims.write_text(f"# the investigator's list\n{CLAIM}\n", encoding="utf-8")
    case = tmp_path / "c.case"
    runner = CliRunner()
    result = runner.invoke(cli, ["run", str(feed), "--case", str(case), "--claims", str(claims), "--workers", "1",
                                 "--quiet"])
    assert result.exit_code == 0, result.output
    with open_case(case) as opened:
        assert [c.text for c in opened.claims() if c.supplied] == [CLAIM]
    claims.write_bytes("Troops shelled the h\xf4pital".encode("latin-1"))
    refused = runner.invoke(cli, ["claims", str(case), "--add", str(claims)])
    assert refused.exit_code == 2 and "not UTF-8" in refused.output


def test_claims_are_found_only_in_a_case_set_to_find_them_and_the_setting_is_kept(tmp_path: Path) -> None:
    pages, case = write_pages(tmp_path / "pages"), tmp_path / "c.case"

    def found() -> int:
        with sqlite3.connect(case) as db:
            return int(db.execute("SELECT count(*) FROM claims WHERE supplied = 0").fetchone()[0])

    run_case([pages], case, RunOptions(workers=1))
    assert found() == 0  # a new case does not find claims
    run_case([pages], case, RunOptions(workers=1, find_claims=True))
    finding = found()
    assert finding > 0
    run_case([pages], case, RunOptions(workers=1))  # the case keeps its setting
    assert found() == finding
    run_case([pages], case, RunOptions(workers=1, find_claims=False))
    assert found() == 0
