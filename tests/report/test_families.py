"""Reading the copy map back: families, members, and their order."""

from __future__ import annotations

from pathlib import Path

from sourcetrace.report.families import count_singletons, family_of, list_families
from sourcetrace.store import CaseStore


def test_a_family_lists_its_origin_and_each_copy_under_its_parent(case_with_copy_map: Path) -> None:
    with CaseStore(case_with_copy_map) as store:
        [family] = list_families(store)
    assert family.origin == family.id and family.origin_evidence == "earliest date"
    by_kind = {m.kind: m for m in family.members}
    assert by_kind["origin"].parent is None and by_kind["origin"].segment.id == family.origin
    assert by_kind["exact"].parent == family.origin  # b copies a
    assert by_kind["rewrite"].parent == by_kind["exact"].segment.id  # c rewrites b
    assert family.kind_counts() == {"origin": 1, "exact": 1, "rewrite": 1}


def test_members_carry_a_citable_label_and_their_passages(case_with_copy_map: Path) -> None:
    with CaseStore(case_with_copy_map) as store:
        [family] = list_families(store)
    rewrite = next(m for m in family.members if m.kind == "rewrite")
    assert rewrite.segment.path.endswith("c.txt") and rewrite.segment.title == "Port slump"
    assert [(p.parent_start, p.parent_end, p.start, p.end) for p in rewrite.passages] == [(0, 40, 0, 40)]


def test_the_family_of_any_member_is_found(case_with_copy_map: Path) -> None:
    with CaseStore(case_with_copy_map) as store:
        [family] = list_families(store)
        member = family.members[-1].segment.id
        assert family_of(store, member) == family
        assert family_of(store, 10_000) is None
        assert count_singletons(store) == 0


def test_replacing_the_copy_map_leaves_no_stale_rows(case_with_copy_map: Path) -> None:
    with CaseStore(case_with_copy_map) as store:
        store.replace_copy_map([], [])
        assert list_families(store) == []
        assert store.connection.execute("SELECT count(*) FROM relations").fetchone() == (0,)
