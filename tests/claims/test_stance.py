"""Stance: read off cues, each decision named by the cue that made it."""

from __future__ import annotations

import pytest

from sourcetrace.claims.assess import Position, SegmentToAssess, assess_segment
from sourcetrace.claims.propositions import propositions_of
from sourcetrace.claims.stance import Carrier
from sourcetrace.voices import extract_from_texts

CLAIM = "Forced labour has taken place in the cotton fields of Haldor province"


def positions(text: str, claim: str = CLAIM) -> list[Position]:
    attributions = next(iter(extract_from_texts([(1, text)])))[1]
    carriers = tuple(Carrier(a.occurrence.start, a.occurrence.end, a.speaker, a.occurrence.cue, a.occurrence.kind)
                     for a in attributions)
    return assess_segment(SegmentToAssess(1, text, carriers, tuple(propositions_of([(7, claim)]))))


def stance(text: str) -> str:
    found = positions(text)
    assert len(found) == 1, found
    return found[0].stance


@pytest.mark.parametrize("text", [
    "A rapporteur said it was reasonable to conclude that forced labour has taken place in the cotton fields of "
    "Haldor province.",
    "The audit found forced labour in eleven cotton fields in Haldor province.",
    "Forced labour in Haldor's cotton fields may amount to enslavement, the experts said.",
])
def test_findings_hedged_or_not_support(text: str) -> None:
    assert stance(text) == "supports"


@pytest.mark.parametrize("text", [
    "The ministry denied that forced labour had taken place in the cotton fields of Haldor province.",
    "The ministry said there is no such thing as forced labour in Haldor's cotton fields.",
    "A spokeswoman rejected all accusations of forced labour in Haldor's cotton fields as lies and disinformation.",
    "The governor said no one in Haldor's cotton fields had ever been forced to work.",
])
def test_denials_and_dismissals_contest(text: str) -> None:
    assert stance(text) == "contests"


@pytest.mark.parametrize("text", [
    "Parliament will debate whether imports should be banned over forced labour in Haldor's cotton fields.",
    "The inspectors will investigate whether forced labour was used in the cotton fields of Haldor province.",
    "Haldor province is accused of using forced labour in its cotton fields.",
])
def test_questions_inquiries_and_agentless_allegations_only_report(text: str) -> None:
    assert stance(text) == "reports"


def test_a_denial_quoted_from_the_accused_is_the_accuseds_position() -> None:
    found = positions("The Ostrian foreign ministry denied that forced labour had taken place in Haldor's cotton "
                      "fields.")
    assert found[0].speaker is not None and "foreign ministry" in found[0].speaker.lower()
    assert found[0].statement_start is not None and "denied" in found[0].cue


def test_an_article_that_restates_a_claim_to_refute_it_contests_it() -> None:
    found = positions("Posts shared online claim that forced labour has taken place in the cotton fields of "
                      "Haldor province. There is no evidence that anyone in Haldor's cotton fields was forced to "
                      "work, inspectors found.")
    own = [p for p in found if p.stance != "reports"]
    assert [p.stance for p in own][-1] == "contests"


def test_a_denial_answering_the_sentence_before_contests_without_restating_the_claim() -> None:
    found = positions("A rapporteur concluded that forced labour has taken place in the cotton fields of Haldor "
                      'province. The ministry said the rapporteur "chooses to believe in lies".')
    assert [p.stance for p in found] == ["supports", "contests"]
    assert "answering" in found[1].cue


def test_every_stance_names_its_cue() -> None:
    for position in positions("The audit found forced labour in Haldor's cotton fields. The ministry denied that "
                              "forced labour had taken place in Haldor's cotton fields."):
        assert position.cue
