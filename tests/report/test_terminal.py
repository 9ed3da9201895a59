"""Terminal renderings: word diffs without colour, origins, and counts in words."""

from __future__ import annotations

from rich.console import Console

from sourcetrace.pipeline import RunSummary
from sourcetrace.report.terminal import (
    claim_sides,
    family_tree,
    origin_line,
    plain_diff,
    run_summary_table,
    statement_block,
)
from sourcetrace.views import (
    ClaimSummary,
    ClaimView,
    FamilyView,
    MemberView,
    OccurrenceView,
    PositionView,
    SegmentView,
    StatementSummary,
    StatementView,
    positions_by_source,
)


def rendered(renderable: object) -> str:
    console = Console(width=200, no_color=True)
    with console.capture() as captured:
        console.print(renderable)
    return captured.get()


def test_a_plain_diff_marks_removed_and_added_words_as_wdiff_does() -> None:
    diff = (("=", "It"), ("=", "is"), ("=", "a"), ("-", "method"), ("+", "system"))
    assert plain_diff(diff) == "It is a [-method-]{+system+}"


def test_a_plain_diff_groups_runs_of_words_and_marks_lone_additions_and_removals() -> None:
    diff = (("=", "the"), ("-", "northern"), ("-", "quay"), ("+", "north"), ("+", "dock"), ("=", "before"),
            ("+", "the"), ("=", "winter"), ("-", "ends"))
    assert plain_diff(diff) == "the [-northern quay-]{+north dock+} before {+the+} winter [-ends-]"


def segment(segment_id: int) -> SegmentView:
    return SegmentView(segment_id, 1, 0, "Title", None, None, None, None, None, "a.txt", "0" * 64, 0, 10, (), None,
                       segment_id, "origin")


def test_an_undetermined_origin_is_said_to_be_undetermined_once() -> None:
    family = FamilyView(1000, None, "undetermined: 2 possible origins published at the same time", ())
    assert origin_line(family) == "origin undetermined: 2 possible origins published at the same time"
    assert origin_line(FamilyView(1000, 1000, "earliest date", ())) == "origin #1000: earliest date"


def test_a_family_of_one_has_1_segment() -> None:
    member = MemberView(segment(1000), "origin", None, 1.0, (), None)
    heading = rendered(family_tree(FamilyView(1000, 1000, "only member", (member,)))).splitlines()[0]
    assert heading == "Family 1000: 1 segment (1 origin); origin #1000: only member"


def test_the_run_summary_keeps_what_the_run_added_apart_from_what_the_case_holds() -> None:
    summary = RunSummary("my.case", inputs=3, documents=4, segments=5, families=2, copies=1, statements=7,
                         altered_occurrences=1)
    lines = [" ".join(line.strip("│ ").split()) for line in rendered(run_summary_table(summary)).splitlines()]
    added, now = lines.index("added by this run"), lines.index("in the case now")
    labels = {line.split(" ")[0]: index for index, line in enumerate(lines) if line}
    assert added < labels["inputs"] < labels["documents"] < labels["segments"] < now
    assert now < labels["families"] < labels["statements"]
    assert "2, holding 1 copy (sourcetrace copies my.case lists them)" in " ".join(lines)
    assert "7, 1 altered copy (sourcetrace quotes my.case --altered)" in " ".join(lines)


def _occurrence(segment_id: int, kind: str, outlet: str | None, altered: bool) -> OccurrenceView:
    diff = (("=", "the"), ("-", "quay"), ("+", "dock")) if altered else ()
    return OccurrenceView(segment(segment_id), 0, 9, "the dock" if altered else "the quay", "Ilse Dahl", "said",
                          altered, diff, False, kind, outlet)


def test_an_altered_copy_names_its_outlet_and_whether_it_changed_a_quote_or_a_paraphrase() -> None:
    summary = StatementSummary(1, "Ilse Dahl", None, "direct", "said", "the quay", 3, 2)
    view = StatementView(summary, (_occurrence(1000, "direct", "Harbour Post", False),
                                   _occurrence(2000, "direct", "Coast Wire", True),
                                   _occurrence(3000, "reported", None, True)))
    lines = [line.strip("│├└─ ") for line in rendered(statement_block(view, plain_diff=True)).splitlines()]
    same, quote, paraphrase = (next(line for line in lines if f"#{sid} " in line) for sid in (1000, 2000, 3000))
    assert same.startswith("same ") and "Harbour Post · a.txt" in same
    assert quote.startswith("ALTERED quote ") and "Coast Wire · a.txt" in quote
    assert paraphrase.startswith("ALTERED paraphrase ") and "  a.txt" in paraphrase  # no outlet known yet


def _position(segment_id: int, family: int | None, site: str, stance: str = "supports") -> PositionView:
    segment = SegmentView(segment_id, segment_id // 1000, 0, "Title", None, None, None, None, site, "a.txt", "0" * 64,
                          0, 40, (), None, family, "exact" if family is not None else None)
    return PositionView(segment, stance, 0, 40, "The ministry denied that the camps exist.", 0, 40,
                        "denied (denial)", None, "the ministry", family)


def test_a_claims_sides_fold_the_copies_of_one_family_into_one_source() -> None:
    wire_copies = [_position(1000 * n, 7, f"paper{n}.example", "contests") for n in (1, 2, 3, 4)]
    own_report = _position(9000, None, "blog.example", "contests")
    summary = ClaimSummary(1, "The camps exist", True, 0, 2, 0, 5, ())
    view = ClaimView(summary, (), (wire_copies[0], own_report, *wire_copies[1:]), ())
    assert [len(s.positions) for s in positions_by_source(view.contesting)] == [4, 1]  # in order of first appearance
    shown = rendered(claim_sides(view))
    assert shown.count("denied (denial)") == 2  # one entry per independent source, not one per copy
    assert "+ 3 copies in the same family, one source: paper2.example, paper3.example, paper4.example" in shown
    assert "contests: 2 independent sources" in shown


def test_a_family_tree_marks_the_link_the_evidence_does_not_decide_and_only_that_one() -> None:
    origin = MemberView(segment(1000), "origin", None, 1.0, (), None)
    decided = MemberView(segment(2000), "near_exact", 1000, 0.9, (), 1000, "evidence", "published after #1000")
    undecided = MemberView(segment(3000), "exact", 2000, 1.0, (), 2000, "direction_unknown",
                           "which of the two copied the other is not shown by the evidence")
    lines = rendered(family_tree(FamilyView(1000, 1000, "earliest date", (origin, decided, undecided)))).splitlines()
    marked = [n for n, line in enumerate(lines) if "(parent undecided:" in line]
    assert len(marked) == 1 and "#3000" in lines[marked[0] - 1]
    assert lines[marked[0]].strip(" │└├─").endswith(
        "(parent undecided: which of the two copied the other is not shown by the evidence)")
