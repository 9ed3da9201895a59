"""Reading statements back: speakers, statements, occurrences and their diffs."""

from __future__ import annotations

from pathlib import Path

from sourcetrace.report.statements import list_speakers, list_statements
from sourcetrace.store import CaseStore


def test_speakers_are_counted_with_roles_and_altered_copies(case_with_statements: Path) -> None:
    with CaseStore(case_with_statements) as store:
        speakers = {s.speaker: s for s in list_speakers(store)}
    dahl = speakers["Ilse Dahl"]
    assert (dahl.statements, dahl.occurrences, dahl.altered, dahl.roles) == (1, 3, 1, ("mayor of Lindqvist",))
    assert speakers["Lindqvist harbour authority"].altered == 0


def test_statements_filter_by_speaker_and_altered(case_with_statements: Path) -> None:
    with CaseStore(case_with_statements) as store:
        assert [s.id for s in list_statements(store, speaker="dahl")] == [1]
        assert [s.id for s in list_statements(store, altered_only=True)] == [1]
        assert {s.id for s in list_statements(store)} == {1, 2}


def test_an_altered_occurrence_carries_its_diff_and_a_garbled_speaker_flag(case_with_statements: Path) -> None:
    with CaseStore(case_with_statements) as store:
        [statement] = list_statements(store, altered_only=True)
    altered = [o for o in statement.occurrences if o.altered]
    assert len(altered) == 1 and altered[0].garbled_speaker
    assert ("-", "quay") in altered[0].diff and ("+", "dock") in altered[0].diff
    assert all(not o.diff for o in statement.occurrences if not o.altered)
