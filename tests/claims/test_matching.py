"""Matching: a sentence states a claim's proposition, not just its topic; candidates are a per-pair test."""

from __future__ import annotations

from sourcetrace.claims.matching import KeyIndex, index_keys, matching_sentences, segment_sentences
from sourcetrace.claims.propositions import Proposition, propositions_of
from sourcetrace.reuse.rewrites import default_embedder

CLAIM = "Vardenian artillery shelled the children's hospital in Korvo"


def claim(text: str = CLAIM) -> Proposition:
    return propositions_of([(1, text)])[0]


def states(text: str, proposition: Proposition | None = None) -> bool:
    proposition = proposition or claim()
    segment = segment_sentences(text)
    embedder = default_embedder()
    vectors = embedder.embed([text[a:b] for a, b in segment.spans])
    return bool(matching_sentences(proposition, segment, embedder.embed([proposition.text])[0], vectors))


def test_a_sentence_with_the_predicate_and_the_arguments_states_the_claim() -> None:
    assert states("Inspectors said Vardenian artillery shelled the children's hospital in Korvo on Monday.")
    assert states("Vardenia's army bombarded the Korvo hospital for children, the inspectors said.")


def test_the_same_topic_is_not_the_same_proposition() -> None:
    assert not states("A new children's hospital will open in Korvo next spring, Vardenian officials said.")
    assert not states("Vardenian artillery units held exercises near Korvo on Monday.")


def test_a_name_stated_earlier_in_the_segment_counts() -> None:
    assert states("KORVO, Vardenia - Staff were clearing rubble. Artillery shelled the children's hospital overnight.")


def test_a_dismissal_that_names_the_claim_in_a_few_words_states_it() -> None:
    text = 'The army dismissed the reports about the Korvo hospital as "lies".'
    assert states(text)


def test_candidates_are_the_segments_a_per_pair_test_accepts() -> None:
    texts = {1: "Artillery shelled the hospital in Korvo.", 2: "The hospital in Korvo opened a wing.",
             3: "Artillery shelled a bridge in Dorna.", 4: "Shelling in Korvo went on all night.",
             5: "Vardenian artillery fired in Korvo.", 6: "A bridge opened in Dorna."}
    index = KeyIndex()
    for segment, text in texts.items():
        index.add(segment, index_keys(text))
    proposition = claim()
    predicate = {k for t in proposition.predicate for k in t.keys}
    content = {k for t in proposition.terms if not t.is_name and not t.keys & proposition.agent_keys for k in t.keys}

    def shared(text: str) -> int:
        return sum(1 for t in proposition.terms if t.keys & index_keys(text))

    rules = {s for s, text in texts.items() if index_keys(text) & predicate and shared(text) >= 2}
    model = {s for s, text in texts.items() if index_keys(text) & content and shared(text) >= 2}
    assert rules == {1, 3, 4}  # 2 lacks the predicate
    assert model == {1, 2, 3, 4}  # 2 carries "hospital": the claims model judges it; 5 shares only who and where
    assert index.candidates(proposition) == sorted(rules | model)


def test_the_same_act_in_another_place_is_another_proposition() -> None:
    text = "KORVO - Shelling continued overnight. In Dorna, Vardenian artillery shelled the children's hospital."
    assert not states(text)  # Korvo was named before, but this sentence is about Dorna
    assert states("KORVO - Shelling continued overnight. Vardenian artillery shelled the children's hospital.")


def test_a_dismissal_is_a_candidate_only_for_the_claims_it_names_near_its_word_for_a_claim() -> None:
    texts = {1: "Officials called the reports about Korvo lies. A new school opened in Dorna.",
             2: "Officials called the Dorna reports lies.",
             3: "Officials called the reports lies. In Dorna, a hospital wing opened."}
    index = KeyIndex()
    for segment, text in texts.items():
        index.add(segment, index_keys(text))
    # Each segment shares a name with the claim about Dorna and holds a dismissal; only 2 names it there.
    assert index.candidates(claim("Vardenian artillery shelled the bridge in Dorna")) == [2]
    assert index.candidates(claim()) == [1]  # the claim about Korvo
