"""Each family member's parent basis: written with the copy map, read back, migrated, and the same
whether a case was built at once or extended by a later run (docs/copies.md#parents)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from sourcetrace.runner import run_case
from sourcetrace.store import CaseReader
from sourcetrace.store.schema import MIGRATIONS, SCHEMA_VERSION
from tests.reuse.undecided_case import OPTIONS, build_undecided_case, segment_of, write_inputs
from tests.test_incremental import exported

WIRE, EDITED, EDITED_AGAIN, PLAIN_1, PLAIN_2 = map(segment_of, ("wire", "edited", "edited_again", "plain_1", "plain_2"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_undecided_case(tmp_path_factory.mktemp("undecided"))


def read_bases(case: Path) -> dict[int, tuple[int | None, str | None, bool]]:
    with CaseReader(case) as reader:
        (family,) = reader.families()
        return {m.segment.id: (m.parent, m.parent_basis, m.parent_undecided()) for m in family.members}


def test_the_reader_returns_what_the_run_decided_about_each_parent(built: Path) -> None:
    assert read_bases(built) == {
        WIRE: (None, None, False),
        EDITED: (WIRE, "evidence", False),
        EDITED_AGAIN: (EDITED, "direction_unknown", True),
        PLAIN_1: (WIRE, "tie", True),
        PLAIN_2: (WIRE, "tie", True),
    }
    with CaseReader(built) as reader:
        (family,) = reader.families()
    words = {m.segment.id: m.parent_evidence for m in family.members}
    assert words[EDITED] == f"published after #{WIRE}"
    assert words[PLAIN_1] is not None and words[PLAIN_1].startswith(f"equally close to #{WIRE} and #{PLAIN_2};")


def test_a_case_extended_by_a_run_records_the_same_parent_bases_as_one_built_at_once(
    built: Path, tmp_path: Path
) -> None:
    first, second = write_inputs(tmp_path / "in")
    case = tmp_path / "extended.case"
    run_case([first], case, OPTIONS)
    assert read_bases(case)[PLAIN_1] == (WIRE, "evidence", False)  # alone with the wire: nothing as close
    run_case([first, second], case, OPTIONS)
    assert read_bases(case) == read_bases(built)
    assert exported(case)["families"] == exported(built)["families"]


def test_a_case_written_before_parent_bases_keeps_its_families_then_records_them_at_the_next_run(
    built: Path, tmp_path: Path
) -> None:
    case = tmp_path / "old.case"
    shutil.copy(built, case)
    at = next(n for n, sql in enumerate(MIGRATIONS) if "parent_basis" in sql)  # the migration's index
    with sqlite3.connect(case) as db:  # as the schema before that migration left it
        db.execute("ALTER TABLE family_members DROP COLUMN parent_basis")
        db.execute("ALTER TABLE family_members DROP COLUMN parent_evidence")
        db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(at),))
    migrated = read_bases(case)  # the reader has the writer migrate it
    assert {s: parent for s, (parent, _, _) in migrated.items()} == {s: p for s, (p, _, _) in read_bases(built).items()}
    assert {basis for _, basis, _ in migrated.values()} == {None}  # not recorded
    with sqlite3.connect(case) as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (str(SCHEMA_VERSION),)
        assert db.execute("SELECT value FROM meta WHERE key = 'copy_map_version'").fetchone() is None
    run_case([built.parent / "first.jsonl", built.parent / "second.jsonl"], case, OPTIONS)  # the same inputs
    assert read_bases(case) == read_bases(built)
