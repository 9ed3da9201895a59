"""The version of the claim rules a case was assessed with (meta.claims_assessor)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sourcetrace.claims.assess import Position, SegmentPositions
from sourcetrace.store import CaseStore
from sourcetrace.store.write_claims import add_claim_positions, add_supplied_claims, stored_checks, stored_claims


def _assessed_case(path: Path) -> None:
    """A case with one supplied claim checked in two segments, one of them taking a position."""
    with CaseStore(path) as store:
        (claim,) = add_supplied_claims(store, ["Ferry crews dumped fuel in the Osk estuary"])
        position = Position(claim, 4, "supports", 0, 30, "asserted in the text's own voice", None, None, 1.0)
        add_claim_positions(store, [SegmentPositions(4, (claim,), (position,)), SegmentPositions(5, (claim,), ())])
        with store.transaction() as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES ('claims_version', '3')")


def _positions(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute("SELECT count(*) FROM claim_positions").fetchone()[0])


def _meta(path: Path, key: str) -> str | None:
    with sqlite3.connect(path) as db:
        row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def test_checks_made_before_the_version_was_recorded_are_forgotten_and_the_version_recorded(tmp_path: Path) -> None:
    case = tmp_path / "c.case"
    _assessed_case(case)
    with CaseStore(case) as store:
        assert store.forget_claim_checks_unless_assessed_by("rules-2")
        assert stored_checks(store) == set() and len(stored_claims(store)) == 1  # the claim stays
    assert _positions(case) == 0
    assert _meta(case, "claims_assessor") == "rules-2"
    assert _meta(case, "claims_version") is None  # found claims are found again too


def test_checks_of_the_same_version_are_kept(tmp_path: Path) -> None:
    case = tmp_path / "c.case"
    _assessed_case(case)
    with CaseStore(case) as store:
        store.forget_claim_checks_unless_assessed_by("rules-2")
    _assessed_case(case)  # assessed again by rules-2
    with CaseStore(case) as store:
        assert not store.forget_claim_checks_unless_assessed_by("rules-2")
        assert len(stored_checks(store)) == 2
    assert _positions(case) == 1 and _meta(case, "claims_version") == "3"


def test_checks_of_another_version_are_forgotten(tmp_path: Path) -> None:
    case = tmp_path / "c.case"
    _assessed_case(case)
    with CaseStore(case) as store:
        store.forget_claim_checks_unless_assessed_by("rules-1")
    _assessed_case(case)
    with CaseStore(case) as store:
        assert store.forget_claim_checks_unless_assessed_by("rules-2")
        assert stored_checks(store) == set()
    assert _positions(case) == 0 and _meta(case, "claims_assessor") == "rules-2"
