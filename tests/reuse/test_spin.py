"""Marks of machine spinning, and the direction they give between two copies."""

from __future__ import annotations

from sourcetrace.records import Family, SegmentForReuse
from sourcetrace.reuse.families import build_families
from sourcetrace.reuse.relations import PairVerdict
from sourcetrace.reuse.spin import spin_marks, spun_side

from .spun_stories import FAITHFUL, ORIGINAL_WIRE, SPUN

SPUN_ID, FAITHFUL_ID, ORIGINAL_ID = 1, 2, 3  # the spun copy has the lowest id: ids must not decide


def test_fluent_news_prose_has_no_marks() -> None:
    marks = spin_marks(FAITHFUL)
    assert marks.count == 0 and marks.per_thousand == 0.0


def test_each_kind_of_mark_is_counted() -> None:
    marks = spin_marks(SPUN)
    assert marks.broken_punctuation == 2  # "ship ," and "records ."
    assert marks.doubled_words == 1  # "a a week"
    assert marks.split_names == 1  # "Tomas said. Brenner,"
    assert marks.tortured_phrases == 1  # "in expansion to"
    assert marks.stranded_fragments == 2  # "Tomas said." and "It said."
    assert marks.per_thousand > 40


def test_allowed_doubles_abbreviations_and_attributions_are_not_marks() -> None:
    text = (
        'He said that that was over. Shares of Orvan Corp. rose. "It is done," Lena Marr said. '
        "Marr, who leads the board, added that the U.S. said. Results follow."
    )
    assert spin_marks(text).doubled_words == 0
    assert spin_marks(text).split_names == 0


def test_a_single_mark_does_not_decide_the_direction() -> None:
    once = FAITHFUL.replace("cargo ship,", "cargo ship ,")
    assert spin_marks(once).count == 1
    assert spun_side(1, spin_marks(FAITHFUL), 2, spin_marks(once)) is None
    direction = spun_side(FAITHFUL_ID, spin_marks(FAITHFUL), SPUN_ID, spin_marks(SPUN))
    assert direction is not None and direction.spun == SPUN_ID and direction.fluent == FAITHFUL_ID
    assert direction.evidence.startswith("fewer marks of machine spinning: 0.0 vs ")


def rewrite(a: int, b: int) -> PairVerdict:
    """A rewrite whose word rarity does not say which side is spun."""
    return PairVerdict(a, b, "rewrite", 0.8, 0.9, 0.9, ())


def exact(a: int, b: int) -> PairVerdict:
    return PairVerdict(a, b, "exact", 1.0, 1.0, 1.0, ())


def one_family(segments: list[SegmentForReuse], verdicts: list[PairVerdict]) -> Family:
    graph = build_families({s.id: s for s in segments}, verdicts, lambda a, b: True)
    (family,) = graph.families
    return family


def parent(family: Family, segment: int) -> int | None:
    return next(m.parent for m in family.members if m.segment == segment)


def test_without_the_original_the_fluent_copy_is_the_parent_of_the_spun_one() -> None:
    family = one_family([SegmentForReuse(SPUN_ID, SPUN, 1), SegmentForReuse(FAITHFUL_ID, FAITHFUL, 2)],
                        [rewrite(SPUN_ID, FAITHFUL_ID)])
    assert family.origin == FAITHFUL_ID and parent(family, SPUN_ID) == FAITHFUL_ID
    assert family.origin_evidence.startswith("closest to the origin: fewer marks of machine spinning: 0.0 vs ")
    assert "per 1,000 words; not shown to be the original (2 possible origins, 2 without a date)" in (
        family.origin_evidence
    )


def test_when_every_copy_credits_the_absent_wire_the_fluent_one_is_closest_to_the_origin() -> None:
    family = one_family(
        [SegmentForReuse(SPUN_ID, SPUN, 1, credit="Reuters"), SegmentForReuse(FAITHFUL_ID, FAITHFUL, 2, credit="Reuters")],
        [rewrite(SPUN_ID, FAITHFUL_ID)],
    )
    assert family.origin == FAITHFUL_ID and parent(family, SPUN_ID) == FAITHFUL_ID
    assert "every member credits Reuters, whose own text is not in the case" in family.origin_evidence


def test_with_the_original_present_the_original_stays_the_origin() -> None:
    segments = [
        SegmentForReuse(SPUN_ID, SPUN, 1),
        SegmentForReuse(FAITHFUL_ID, FAITHFUL, 2, "2025-05-06T12:00:00"),
        SegmentForReuse(ORIGINAL_ID, ORIGINAL_WIRE, 3, "2025-05-06T08:00:00"),
    ]
    verdicts = [rewrite(SPUN_ID, FAITHFUL_ID), rewrite(SPUN_ID, ORIGINAL_ID), exact(FAITHFUL_ID, ORIGINAL_ID)]
    family = one_family(segments, verdicts)
    assert family.origin == ORIGINAL_ID and "closest to the origin" not in family.origin_evidence
    assert parent(family, SPUN_ID) in (FAITHFUL_ID, ORIGINAL_ID) and parent(family, FAITHFUL_ID) == ORIGINAL_ID


def test_dates_outweigh_spin_marks() -> None:
    """A spun copy published before the fluent one is not derived from it."""
    family = one_family(
        [SegmentForReuse(SPUN_ID, SPUN, 1, "2025-05-06"), SegmentForReuse(FAITHFUL_ID, FAITHFUL, 2, "2025-05-08")],
        [rewrite(SPUN_ID, FAITHFUL_ID)],
    )
    assert family.origin == SPUN_ID and family.origin_evidence == "earliest date"


def test_an_undated_faithful_copy_beside_the_dated_original_leaves_the_original_closest_to_the_origin() -> None:
    """Dates alone cannot rule out the undated faithful copy; once the spun
    copy is set aside, the dated original is the closest text, and said to be."""
    segments = [
        SegmentForReuse(SPUN_ID, SPUN, 1, "2025-05-06T09:00:00"),
        SegmentForReuse(FAITHFUL_ID, FAITHFUL, 2),
        SegmentForReuse(ORIGINAL_ID, ORIGINAL_WIRE, 3, "2025-05-06T08:00:00"),
    ]
    verdicts = [rewrite(SPUN_ID, FAITHFUL_ID), rewrite(SPUN_ID, ORIGINAL_ID), exact(FAITHFUL_ID, ORIGINAL_ID)]
    family = one_family(segments, verdicts)
    assert family.origin == ORIGINAL_ID and family.origin_evidence.startswith("closest to the origin")
    assert parent(family, SPUN_ID) in (FAITHFUL_ID, ORIGINAL_ID)


def test_without_spin_marks_nothing_changes() -> None:
    """Two fluent copies with no other evidence: the origin stays undetermined."""
    family = one_family(
        [SegmentForReuse(SPUN_ID, FAITHFUL + " ", 1), SegmentForReuse(FAITHFUL_ID, FAITHFUL, 2)],
        [rewrite(SPUN_ID, FAITHFUL_ID)],
    )
    assert family.origin is None and all(m.parent is None for m in family.members)
