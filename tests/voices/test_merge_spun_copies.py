"""A quote's reference form is the faithful copy's when only spin marks say which copy is closer to the origin."""

from __future__ import annotations

from sourcetrace.records import SegmentForReuse
from sourcetrace.reuse.families import build_families
from sourcetrace.reuse.relations import PairVerdict
from sourcetrace.voices.merge import merge_statements
from tests.reuse.spun_stories import FAITHFUL, SPUN
from tests.voices.conftest import Extract

SPUN_ID, FAITHFUL_ID = 1, 2  # the spun copy has the lower id, so that no tie-break favours the faithful one


def test_the_faithful_copys_quote_is_not_altered_and_the_spun_ones_is(extract: Extract) -> None:
    segments = {SPUN_ID: SegmentForReuse(SPUN_ID, SPUN, 1), FAITHFUL_ID: SegmentForReuse(FAITHFUL_ID, FAITHFUL, 2)}
    rewrite = PairVerdict(SPUN_ID, FAITHFUL_ID, "rewrite", 0.8, 0.9, 0.9, ())
    (family,) = build_families(segments, [rewrite], lambda a, b: True).families
    assert family.origin == FAITHFUL_ID
    attributions = {i: extract(s.text, i) for i, s in segments.items()}
    statements = merge_statements(
        attributions,
        {SPUN_ID: None, FAITHFUL_ID: None},
        {i: family.key for i in segments},
        origins={family.origin},
    )
    quote = next(s for s in statements if "reopen the quay" in s.text)
    altered = {o.segment: o.altered for o in quote.occurrences}
    assert altered == {FAITHFUL_ID: False, SPUN_ID: True}
