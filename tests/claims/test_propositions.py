"""A claim's proposition: its terms, which of them are the predicate, and how much each counts."""

from __future__ import annotations

from sourcetrace.claims.propositions import Proposition, propositions_of
from sourcetrace.claims.terms import keys_of


def proposition(text: str) -> Proposition:
    return propositions_of([(1, text)])[0]


def predicate_keys(text: str) -> set[str]:
    return {k for t in proposition(text).predicate for k in t.keys}


def test_the_predicate_of_a_claim_is_its_verb() -> None:
    assert predicate_keys("Police in Dessaly tortured detained protesters") >= keys_of("tortured")
    assert not predicate_keys("Vardenian artillery shelled the hospital in Korvo") & keys_of("hospital")


def test_a_light_verb_leaves_the_predicate_to_what_it_is_said_of() -> None:
    assert predicate_keys("Forced labour has taken place in Haldor") == keys_of("Forced") | keys_of("labour")
    assert predicate_keys("Forced labour has taken place in the cotton fields of Haldor province") == (
        keys_of("Forced") | keys_of("labour"))
    brask = predicate_keys("The Brask mining company used child labour at its mine")
    assert brask == keys_of("child") | keys_of("labour")  # the object, not the company


def test_a_compound_counts_as_its_head_and_adjuncts_count_less() -> None:
    claim = proposition("Security forces held detainees in unofficial detention sites before the vote")
    texts = {t.text: t for t in claim.terms}
    assert "Security" not in texts and "forces" in texts and "detention" not in texts
    assert texts["vote"].weight < texts["forces"].weight


def test_names_are_marked_and_a_negative_claim_is_negative() -> None:
    claim = proposition("No civilians were killed in Korvo")
    assert claim.negated and any(t.is_name and t.text == "Korvo" for t in claim.terms)
    assert not proposition("Civilians were killed in Korvo").negated
