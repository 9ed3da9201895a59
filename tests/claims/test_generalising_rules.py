"""Rules added after reading the held-out failures (issue 11): each on invented text of its own."""

from __future__ import annotations

from sourcetrace.claims.assess import Position, SegmentToAssess, assess_segment
from sourcetrace.claims.matching import KeyIndex, index_keys
from sourcetrace.claims.propositions import Proposition, propositions_of
from sourcetrace.claims.stance import Carrier
from sourcetrace.claims.terms import keys, keys_of
from sourcetrace.voices import extract_from_texts

BURNING = "Border guards burned farms in the hamlet of Telvik"


def claim(text: str) -> Proposition:
    return propositions_of([(3, text)])[0]


def positions(text: str, claim_text: str) -> list[Position]:
    """The positions of a text on a claim, through the candidate test as the claims step applies it."""
    proposition = claim(claim_text)
    index = KeyIndex()
    index.add(1, index_keys(text))
    if not index.candidates(proposition):
        return []
    attributions = next(iter(extract_from_texts([(1, text)])))[1]
    carriers = tuple(
        Carrier(a.occurrence.start, a.occurrence.end, a.speaker, a.occurrence.cue, a.occurrence.kind)
        for a in attributions
    )
    return assess_segment(SegmentToAssess(1, text, carriers, (proposition,)))


def stances(text: str, claim_text: str = BURNING) -> set[str]:
    return {p.stance for p in positions(text, claim_text)}


def test_common_wordings_of_an_act_or_a_thing_share_a_key() -> None:
    assert keys_of("burned") <= keys("They set fire to the barns")
    assert keys_of("homes") == keys_of("houses")
    assert keys_of("journalists") == keys_of("reporters")
    assert keys_of("raped") == keys_of("rapes") <= keys("women were sexually assaulted")


def test_converse_verbs_share_a_key() -> None:
    assert keys_of("awarded") == keys_of("won")
    assert keys_of("sold") == keys_of("bought")


def test_short_verbs_keep_one_key_across_their_forms() -> None:
    assert keys_of("owned") == keys_of("owns") == keys_of("owning")
    assert keys_of("rammed") == keys_of("rams")
    assert keys_of("northern") == keys_of("north")


def test_a_sentence_carrying_exactly_two_thirds_of_the_claim_states_it() -> None:
    text = "Farmers accused Brenik of hiding the test results of Morvax."
    assert stances(text, "The Brenik chemical company hid test results of its pesticide Morvax") == {"supports"}


def test_a_paraphrase_in_other_common_words_states_the_claim() -> None:
    assert stances("Men in border guard uniforms set fire to the farms around Telvik, a shepherd said.") == {"supports"}


def test_a_dismissal_may_name_the_claim_by_its_place_alone() -> None:
    assert stances('The interior ministry called the reports from Telvik "a pack of lies".') == {"contests"}


def test_a_dismissal_must_name_something_of_the_claim_near_its_word_for_a_claim() -> None:
    assert stances("The minister dismissed the reports as lies. Separately, border guards patrolled Telvik.") == set()


def test_a_denial_or_a_question_may_name_only_the_act() -> None:
    claim_text = "The Lisk water board cut off the supply to the eastern districts during the strike"
    assert stances("The Lisk water board denied cutting off the supply.", claim_text) == {"contests"}
    assert stances("Councillors asked whether the water board had cut off the supply.", claim_text) == {"reports"}


def test_the_event_without_who_did_it_only_reports_the_accusation() -> None:
    assert stances("Farms near Telvik were burned on Sunday night.") == {"reports"}
    assert stances("Border guards burned farms near Telvik on Sunday night.") == {"supports"}


def test_the_accused_named_only_as_a_place_is_not_named() -> None:
    claim_text = "The Osna navy sank a grain ship from Pirrow"
    assert stances("A grain ship from Pirrow sank off the Osna coast.", claim_text) == {"reports"}
    assert stances("Osna warships sank a grain ship from Pirrow, the crew said.", claim_text) == {"supports"}


def test_the_act_as_a_modifier_of_another_noun_is_not_the_act() -> None:
    claim_text = "The Dask army used landmines in Orvel district"
    assert (
        stances("Dask has still not signed the landmines treaty, officials in Orvel district said.", claim_text)
        == set()
    )
    assert stances("The Dask army laid landmines across Orvel district, deminers said.", claim_text) == {"supports"}


def test_not_a_single_one_negates_the_claim() -> None:
    text = '"Not a single farm in Telvik was set on fire by our guards," the border commander said.'
    assert stances(text) == {"contests"}


def test_the_act_named_as_the_subject_of_a_negated_verb_is_negated() -> None:
    claim_text = "The Pell paper mill discharged dye into the river"
    text = '"Our discharges of dye never went above the permit," the Pell mill\'s manager said.'
    assert stances(text, claim_text) == {"contests"}


def test_the_matter_said_to_be_unexplained_reports_the_claim() -> None:
    claim_text = "The Hollin port authority took bribes to let stolen cars out of the country"
    found = positions(
        "Stolen cars keep turning up on ships from Hollin's port; how they leave the country is unclear.", claim_text
    )
    assert [p.stance for p in found] == ["reports"] and "unclear" in found[0].cue
    assert positions("Stolen cars keep turning up on ships from Hollin's port.", claim_text) == []


def test_the_accused_naming_someone_else_as_the_doer_contests() -> None:
    found = positions("The border guard command said the farms in Telvik were burned by fleeing smugglers.", BURNING)
    assert [p.stance for p in found] == ["contests"] and "smugglers" in found[0].cue
    assert stances("Border guards said their own men burned farms in Telvik.") == {"supports"}  # an admission
    assert stances("A shepherd said smugglers had burned the farms in Telvik.") == {"supports"}  # not the accused


def test_common_words_of_dismissal_contest() -> None:
    for dismissal in ("an insult to our officers", "a witch hunt", "pure fantasy", "made up", "without foundation"):
        assert stances(f'The border guard command called the reports about Telvik "{dismissal}".') == {"contests"}


def test_a_claim_circulated_by_posts_or_videos_is_reported_not_asserted() -> None:
    assert stances("Social media posts claim that border guards burned farms in Telvik.") == {"reports"}
    assert stances("A clip shared online claims border guards burned farms in Telvik.") == {"reports"}


def test_a_debunk_that_calls_the_evidence_old_footage_contests() -> None:
    text = "A clip shared online claims border guards burned farms in Telvik. It is old footage of a 2019 grass fire."
    assert "contests" in stances(text)


def test_exposed_to_is_no_finding() -> None:
    claim_text = "Riot police used tear gas inside the Vessa clinic"
    found = positions(
        "Nurses say patients in the Vessa clinic were exposed to tear gas used by riot police.", claim_text
    )
    assert found and all("exposed" not in p.cue for p in found)


def test_the_accused_stating_the_claim_with_its_own_doer_supports_it() -> None:
    # The speaker the claim names says what the claim says: the subject of its act is the claim's own.
    claim_text = "The Harrowby water board said reservoir levels dropped by a third"
    text = ("The water board of the fictional town of Harrowby said on Tuesday that reservoir levels dropped by a "
            "third over the summer, the lowest since the dam was built.")
    assert stances(text, claim_text) == {"supports"}
    claim_text = "The Dell police said looters burned the covered market"
    assert stances("The Dell police said the covered market was burned by looters.", claim_text) == {"supports"}
    # Someone the claim does not name as doing it is still a counter-accusation.
    assert stances("The Dell police said the covered market was burned by an electrical fault.",
                   "Dell police officers burned the covered market") == {"contests"}


def test_the_act_modifying_a_thing_the_claim_names_is_the_claims_own_matter() -> None:
    # "detention" modifies "cells", which the claim names itself: the denial is of the claim.
    claim_text = "Prison guards held inmates in secret detention cells in Ravno"
    text = "Inmates' families spoke of beatings. The prison service denied that any secret detention cells existed."
    assert stances(text, claim_text) == {"contests"}
    assert stances("The prison service has not signed the detention convention.", claim_text) == set()

