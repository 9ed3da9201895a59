"""The view records: the JSON the viewer reads, and what they compute themselves."""

from __future__ import annotations

import json
from dataclasses import asdict

from sourcetrace.views import FamilyView, MemberView, PassageView, SegmentView, StepView


def segment(sid: int, *, site: str | None = None, url: str | None = None, kind: str = "origin") -> SegmentView:
    return SegmentView(sid, 1, 0, "Title", None, None, "2025-01-01", url, site, "/in/a.txt", "0" * 64, 0, 10,
                       ((3, 5),), None, 1, kind)


def test_a_passage_is_a_json_array_of_four_offsets() -> None:
    passage = PassageView(0, 40, 2, 42)
    assert json.dumps(asdict(MemberView(segment(2), "exact", 1, 1.0, (passage,), 1))["passages"]) == "[[0, 40, 2, 42]]"
    assert passage.parent_end == 40 and passage.start == 2


def test_a_segment_serialises_with_the_field_names_the_viewer_reads() -> None:
    value = json.loads(json.dumps(asdict(segment(7))))
    assert set(value) >= {"id", "document", "title", "published", "url", "site", "path", "sha256", "start", "end",
                          "removed", "duplicate_of", "family", "kind"}
    assert value["removed"] == [[3, 5]]


def test_a_segment_says_where_it_was_published_as_briefly_as_it_can() -> None:
    assert segment(1, site="Herald", url="https://h.example/a").where() == "Herald"
    assert segment(1, url="https://h.example/a").where() == "https://h.example/a"
    assert segment(1).where() == "/in/a.txt"


def test_a_family_counts_its_members_by_kind() -> None:
    members = tuple(MemberView(segment(i, kind=k), k, None if k == "origin" else 1, 1.0, (), None)
                    for i, k in enumerate(("origin", "exact", "exact", "rewrite"), start=1))
    assert FamilyView(1, 1, "earliest date", members).kind_counts() == {"origin": 1, "exact": 2, "rewrite": 1}


def test_cpu_use_is_a_share_of_one_core() -> None:
    assert StepView("ingest", "2026-01-01T00:00:00Z", 10.0, 19.0, 100).cpu_percent() == 190.0
    assert StepView("empty", "2026-01-01T00:00:00Z", 0.0, 0.0, 0).cpu_percent() == 0.0  # a step too fast to time


def test_a_member_s_arrow_is_dashed_only_when_its_recorded_basis_is_not_the_evidence() -> None:
    def member(parent: int | None, basis: str | None) -> MemberView:
        return MemberView(segment(2, kind="exact"), "exact", parent, 1.0, (), parent, basis, "words")

    assert member(1, "tie").parent_undecided() and member(1, "direction_unknown").parent_undecided()
    assert not member(1, "evidence").parent_undecided()
    assert not member(1, None).parent_undecided()  # a case whose copy map was built before bases were recorded
    assert not member(None, None).parent_undecided()  # no parent: no arrow of its own
    value = json.loads(json.dumps(asdict(member(1, "tie"))))
    assert (value["parent_basis"], value["parent_evidence"]) == ("tie", "words")  # the names the viewer reads
