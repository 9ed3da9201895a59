"""The claims steps' reads and writes of the case (tables in docs/case-schema.md).

``claims`` holds supplied claims (numbered in the order added, never
changed by a run) and found ones (replaced whenever the statements change;
``meta.claims_version`` records the statements version they were found
in). ``claim_checks`` records every (claim, segment) pair assessed, so a
later run assesses only new pairs, and ``claim_positions`` what was found
there. Removing a claim or a check removes what rests on it (cascades).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence

from sourcetrace.claims.assess import SegmentPositions
from sourcetrace.claims.found import FoundClaim, StatementForClaims
from sourcetrace.claims.stance import Carrier
from sourcetrace.store.case import CaseStore
from sourcetrace.store.codecs import attributions_from_json


def claim_key(text: str) -> str:
    """What makes two claims one: their words, whitespace aside."""
    return re.sub(r"\s+", " ", text).strip()


def add_supplied_claims(store: CaseStore, texts: Iterable[str]) -> list[int]:
    """Store the investigator's claims (a blank text is skipped, one already stored is kept as it
    is) and return the id of each given text, in order."""
    ids: list[int] = []
    with store.transaction() as db:
        for text in texts:
            key = claim_key(text)
            if not key:
                continue
            row = db.execute("SELECT id, supplied FROM claims WHERE key = ?", (key,)).fetchone()
            if row is not None and row[1]:
                ids.append(int(row[0]))
                continue
            if row is not None:  # a found claim worded the same: the investigator's claim takes its place
                db.execute("DELETE FROM claims WHERE id = ?", (row[0],))
            next_id = db.execute("SELECT coalesce(max(id), 0) + 1 FROM claims WHERE supplied = 1").fetchone()[0]
            db.execute("INSERT INTO claims VALUES (?, ?, 1, ?)", (next_id, text.strip(), key))
            ids.append(int(next_id))
    return ids


def finds_claims(store: CaseStore, setting: bool | None = None) -> bool:
    """Whether the case finds claims in its statements: ``setting`` sets it
    (``meta.find_claims``) when given; a new case does not."""
    with store.transaction() as db:
        if setting is not None:
            db.execute("INSERT OR REPLACE INTO meta VALUES ('find_claims', ?)", ("1" if setting else "0",))
        return _meta(db, "find_claims") == "1"


def drop_found_claims(store: CaseStore) -> None:
    """No found claims, and none found yet: turning finding on finds them afresh."""
    replace_found_claims(store, [])
    with store.transaction() as db:
        db.execute("DELETE FROM meta WHERE key = 'claims_version'")


def found_claims_are_current(store: CaseStore) -> bool:
    """True when the found claims were found in the current statements."""
    with store.transaction() as db:
        return _meta(db, "claims_version") == _statements_version(db)


def statements_for_claims(store: CaseStore) -> list[StatementForClaims]:
    """Every merged statement with the families of the segments that carry it."""
    with store.transaction() as db:
        families: dict[int, set[int]] = {}
        for statement, segment, family in db.execute(
                """SELECT o.statement_id, o.segment_id, m.family_id FROM statement_occurrences o
                   LEFT JOIN family_members m ON m.segment_id = o.segment_id"""):
            families.setdefault(statement, set()).add(family if family is not None else -segment)
        rows = db.execute("SELECT id, speaker, cue, text FROM statements ORDER BY id").fetchall()
    return [StatementForClaims(i, speaker, cue, text, tuple(sorted(families.get(i, ()))))
            for i, speaker, cue, text in rows]


def replace_found_claims(store: CaseStore, found: Sequence[FoundClaim]) -> None:
    """The found claims become ``found``: a claim whose text is unchanged keeps its checks and
    positions; one whose text changed, or that is gone, loses them. A found claim worded like a
    supplied one is the supplied one."""
    with store.transaction() as db:
        stored = {i: text for i, text in db.execute("SELECT id, text FROM claims WHERE supplied = 0")}
        supplied = {key for (key,) in db.execute("SELECT key FROM claims WHERE supplied = 1")}
        kept = []
        for claim in found:  # one claim per wording; a supplied claim's wording is the supplied claim
            if claim_key(claim.text) not in supplied:
                supplied.add(claim_key(claim.text))
                kept.append(claim)
        wanted = {c.id: c.text for c in kept}
        gone = [(i,) for i, text in stored.items() if wanted.get(i) != text]
        db.executemany("DELETE FROM claims WHERE id = ?", gone)
        for claim in kept:
            if stored.get(claim.id) != claim.text:
                db.execute("INSERT INTO claims VALUES (?, ?, 0, ?)", (claim.id, claim.text, claim_key(claim.text)))
            db.execute("DELETE FROM claim_statements WHERE claim_id = ?", (claim.id,))
            db.executemany("INSERT INTO claim_statements VALUES (?, ?)", [(claim.id, s) for s in claim.statements])
        db.execute("INSERT OR REPLACE INTO meta VALUES ('claims_version', ?)", (_statements_version(db),))


def stored_claims(store: CaseStore) -> list[tuple[int, str]]:
    with store.transaction() as db:
        return [(int(i), text) for i, text in db.execute("SELECT id, text FROM claims ORDER BY id")]


def stored_checks(store: CaseStore) -> set[tuple[int, int]]:
    """Every (claim, segment) pair assessed so far."""
    with store.transaction() as db:
        return {(int(c), int(s)) for c, s in db.execute("SELECT claim_id, segment_id FROM claim_checks")}


def segments_for_claims(store: CaseStore) -> list[tuple[int, str]]:
    """Every kept segment (not a repeat inside its page) with its text, in id order."""
    with store.transaction() as db:
        return [(int(i), text) for i, text in db.execute(
            "SELECT id, text FROM segments WHERE duplicate_of IS NULL ORDER BY id")]


def segment_carriers(store: CaseStore, segments: Iterable[int]) -> dict[int, tuple[Carrier, ...]]:
    """The statements found in each of ``segments`` (as extracted, before merging), as carriers."""
    wanted = set(segments)
    found: dict[int, tuple[Carrier, ...]] = {}
    with store.transaction() as db:
        for segment, stored in db.execute("SELECT segment_id, attributions FROM segment_statements"):
            if segment in wanted:
                found[segment] = tuple(
                    Carrier(a.occurrence.start, a.occurrence.end, a.speaker, a.occurrence.cue, a.occurrence.kind)
                    for a in attributions_from_json(segment, stored))
    return found


def add_claim_positions(store: CaseStore, results: Iterable[SegmentPositions]) -> None:
    """Each segment's assessed claims and their positions, in one transaction."""
    with store.transaction() as db:
        for result in results:
            counts = {claim: 0 for claim in result.claims}
            for position in result.positions:
                counts[position.claim] = counts.get(position.claim, 0) + 1
            db.executemany("INSERT OR REPLACE INTO claim_checks VALUES (?, ?, ?)",
                           [(claim, result.segment, n) for claim, n in counts.items()])
            ordinals: dict[int, int] = {}
            for p in result.positions:
                ordinal = ordinals[p.claim] = ordinals.get(p.claim, -1) + 1
                db.execute("INSERT OR REPLACE INTO claim_positions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           (p.claim, p.segment, ordinal, p.stance, p.start, p.end, p.cue, p.statement_start,
                            p.speaker, p.coverage))


def claim_counts(store: CaseStore) -> tuple[int, int]:
    """(claims, positions) in the case."""
    with store.transaction() as db:
        claims = db.execute("SELECT count(*) FROM claims").fetchone()[0]
        positions = db.execute("SELECT count(*) FROM claim_positions").fetchone()[0]
    return int(claims), int(positions)


def _statements_version(db: sqlite3.Connection) -> str:
    return _meta(db, "statements_version") or "0"


def _meta(db: sqlite3.Connection, key: str) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])
