"""Families an earlier run decided are reused exactly when nothing they rest on changed."""

from __future__ import annotations

from dataclasses import replace

from sourcetrace.records import SegmentForReuse
from sourcetrace.reuse.decided import DecidedFamilies, decoded, encoded
from sourcetrace.reuse.families import build_families
from sourcetrace.reuse.relations import PairVerdict

from .stories import EXACT_ID, ORIGINAL_ID, case_segments
from .test_families import all_verdicts, relatedness


def decide(segments: dict[int, SegmentForReuse], verdicts: list[PairVerdict],
           decided: DecidedFamilies) -> tuple[object, DecidedFamilies]:
    return build_families(segments, verdicts, relatedness(list(segments.values())), decided), decided


def test_a_family_whose_inputs_are_unchanged_is_reused_and_equals_one_decided_afresh() -> None:
    segments = {s.id: s for s in case_segments()}
    verdicts = all_verdicts(list(segments.values()))
    first, earlier = decide(segments, verdicts, DecidedFamilies())
    several = sum(1 for f in first.families if len(f.members) > 1)  # type: ignore[attr-defined]
    assert several >= 2 and earlier.reused == 0 and len(earlier.decided) == several
    again, later = decide(segments, verdicts, DecidedFamilies(earlier.decided))
    assert later.reused == several
    assert again == first


def test_a_members_changed_date_or_a_changed_verdict_decides_its_family_again() -> None:
    segments = {s.id: s for s in case_segments()}
    verdicts = all_verdicts(list(segments.values()))
    _, earlier = decide(segments, verdicts, DecidedFamilies())
    redated = {**segments, EXACT_ID: replace(segments[EXACT_ID], published="1999-01-01")}
    fresh, _ = decide(redated, verdicts, DecidedFamilies())
    reused, later = decide(redated, verdicts, DecidedFamilies(earlier.decided))
    assert later.reused == len(earlier.decided) - 1  # the family holding the re-dated copy alone
    assert reused == fresh
    rescored = [replace(v, score=v.score * 0.99) if ORIGINAL_ID in (v.a, v.b) else v for v in verdicts]
    _, after_rescoring = decide(segments, rescored, DecidedFamilies(earlier.decided))
    assert after_rescoring.reused < len(earlier.decided)


def test_a_stored_result_under_another_digest_is_never_used() -> None:
    segments = {s.id: s for s in case_segments()}
    verdicts = all_verdicts(list(segments.values()))
    first, earlier = decide(segments, verdicts, DecidedFamilies())
    tampered = {key: ("another digest", result) for key, (_, result) in earlier.decided.items()}
    again, later = decide(segments, verdicts, DecidedFamilies(tampered))
    assert later.reused == 0 and again == first


def test_a_decided_family_survives_its_encoding_exactly() -> None:
    segments = {s.id: s for s in case_segments()}
    _, decided = decide(segments, all_verdicts(list(segments.values())), DecidedFamilies())
    for _, result in decided.decided.values():
        assert encoded(decoded(result)) == result
