"""Resolving speakers to canonical names, with their roles (fictional text)."""

from __future__ import annotations

import pytest
from spacy.language import Language

from sourcetrace.voices.speakers import SegmentResolver, phrase_for, same_body_names
from sourcetrace.voices.statements import extract_from_texts, parse_spans
from tests.voices.conftest import Extract
from tests.voices.helpers import only


def test_name_variants_resolve_to_the_fullest_name_in_the_segment(extract: Extract) -> None:
    text = ("Marta Lindqvist, the chief executive of Harlow Mining, said output would rise. "
            '"We are ready," Ms Lindqvist said. Lindqvist added that prices were stable.')
    found = extract(text)
    assert {a.speaker for a in found} == {"Marta Lindqvist"}
    assert only(found, "We are ready").occurrence.speaker_as_written == "Ms Lindqvist"


def test_a_role_noun_resolves_to_the_named_person_holding_that_role(extract: Extract) -> None:
    text = ("Governor Pieter Sand said inflation remained too high. "
            "The governor told reporters that rates would stay unchanged until September.")
    statement = only(extract(text), "rates would stay unchanged")
    assert statement.speaker == "Pieter Sand"
    assert statement.occurrence.speaker_as_written == "The governor"


def test_a_pronoun_resolves_to_the_nearest_earlier_compatible_speaker(extract: Extract) -> None:
    text = ('Camille Okafor said the convoy had been clearly marked. '
            '"We will go back when it is safe," she said.')
    statement = only(extract(text), "We will go back")
    assert statement.speaker == "Camille Okafor"
    assert statement.occurrence.speaker_as_written == "she"


def test_a_title_gives_the_gender_that_pronouns_must_agree_with(extract: Extract) -> None:
    text = ("Ms Vera Holt said the talks had begun at noon. Mr Anton Reyes said the talks had failed. "
            '"There will be no second meeting," she said.')
    assert only(extract(text), "no second meeting").speaker == "Vera Holt"


def test_organisations_governments_and_documents_are_speakers(extract: Extract) -> None:
    text = ("Amnesty Watch said the law would silence critics. "
            "Ostria's foreign ministry said the bloggers had incited violence. "
            "The company said profits had doubled.")
    found = extract(text)
    assert only(found, "silence critics").speaker == "Amnesty Watch"
    assert only(found, "incited violence").speaker == "Ostria's foreign ministry"
    assert only(found, "silence critics").speaker_kind == "organisation"


def test_the_company_resolves_to_the_organisation_speaking_before(extract: Extract) -> None:
    text = "Harlow Mining Corp said output would rise 12 pct. The company said profits had doubled."
    assert only(extract(text), "profits had doubled").speaker == "Harlow Mining Corp"


def test_the_role_is_taken_from_an_appositive(extract: Extract) -> None:
    text = "Ilka Varga, a political scientist at Serin University, said turnout had fallen."
    statement = only(extract(text), "turnout had fallen")
    assert statement.speaker == "Ilka Varga"
    assert statement.speaker_role == "a political scientist at Serin University"


def test_a_title_before_the_name_is_the_role(extract: Extract) -> None:
    text = "Interior Ministry spokesman Andrei Voskan said every detention was lawful."
    statement = only(extract(text), "every detention was lawful")
    assert statement.speaker == "Andrei Voskan"
    assert statement.speaker_role == "Interior Ministry spokesman"


def test_a_title_with_the_name_in_apposition_names_the_speaker(extract: Extract) -> None:
    text = "Its spokeswoman, Ilona Brandt, denied that maintenance had been neglected."
    statement = only(extract(text), "maintenance had been neglected")
    assert statement.speaker == "Ilona Brandt"
    assert statement.speaker_role is None  # "Its spokeswoman" is no role: whose, the text does not say


@pytest.mark.parametrize(
    "text",
    [
        "The Interior Ministry defended the arrests. Its spokeswoman, Ilona Brandt, said every detention was lawful.",
        'The Interior Ministry defended the arrests. "Every detention was lawful," Ilona Brandt, its spokeswoman, said.',
    ],
)
def test_a_possessive_pronoun_in_a_role_is_resolved_to_its_owner(extract: Extract, text: str) -> None:
    statement = only(extract(text), "detention was lawful")
    assert statement.speaker == "Ilona Brandt"
    assert statement.speaker_role == "Interior Ministry's spokeswoman"


def test_an_unnamed_spokeswoman_is_named_after_her_organisation(extract: Extract) -> None:
    text = "The Interior Ministry defended the arrests. Its spokeswoman said every detention was lawful."
    statement = only(extract(text), "every detention was lawful")
    assert statement.speaker == "Interior Ministry's spokeswoman"
    assert statement.speaker_kind == "person"


def test_a_surname_after_the_full_name_is_the_same_speaker(extract: Extract) -> None:
    text = ("Iosif Barta, the panel's chair, said the dam was unsafe. "
            "Barta said the inspections had been a formality.")
    found = extract(text)
    assert [a.speaker for a in found] == ["Iosif Barta", "Iosif Barta"]
    assert only(found, "formality").occurrence.speaker_as_written == "Barta"


def test_the_names_of_one_body_resolve_to_one_name(extract: Extract) -> None:
    text = ("The independent panel of the Council of Nations said the dam was unsafe. "
            "The Council of Nations panel said the inspections had been a formality. "
            "The panel said the ministry had ignored its warnings.")
    found = extract(text)
    # the one ending with the kind of body: an unresolved "the panel" of another copy still matches it
    assert {a.speaker for a in found} == {"Council of Nations panel"}
    assert len(found) == 3


def test_a_government_named_two_ways_is_one_speaker(extract: Extract) -> None:
    text = ("Vardenia's government said the report was biased. "
            "The government of Vardenia said the panel had never visited the valley.")
    assert {a.speaker for a in extract(text)} == {"Vardenia's government"}


def test_bodies_of_one_kind_and_one_country_stay_apart_when_their_words_differ() -> None:
    names = same_body_names(["Vardenia's foreign ministry", "Vardenia's interior ministry",
                             "Council of Nations", "Council of Nations panel", "Harlow Mining Corp"])
    assert names == {"Vardenia's foreign ministry": "Vardenia's foreign ministry",
                     "Vardenia's interior ministry": "Vardenia's interior ministry",
                     "Council of Nations": "Council of Nations",
                     "Council of Nations panel": "Council of Nations panel"}


def test_a_name_split_across_two_sentences_is_flagged_as_garbled(extract: Extract) -> None:
    text = ('"The denial rings ever more hollow," Nadia said. Reyes, director of the Open Cell group. statement.\n\n'
            "Nadia Reyes has led the group since 2019.")
    statement = only(extract(text), "rings ever more hollow")
    assert statement.occurrence.garbled_speaker
    assert statement.occurrence.speaker_as_written == "Nadia"
    assert statement.speaker == "Nadia Reyes"


def test_an_ordinary_one_word_attribution_is_not_garbled(extract: Extract) -> None:
    text = 'Nadia Reyes spoke first. "The denial rings hollow," Reyes said. The meeting ended at noon.'
    assert not only(extract(text), "rings hollow").occurrence.garbled_speaker


def test_speakers_resolve_across_the_pieces_of_a_segment(nlp: Language) -> None:
    """The pre-filter parses pieces of a segment: the resolver reads them as
    one text, at their offsets, whatever lies unparsed between them."""
    first = "Governor Pieter Sand toured the valley."
    second = "The governor said the dams were safe. Later he said the roads would reopen."
    gap = " Schools stayed closed. Roads flooded.\n\nBuses ran on time. "
    text = first + gap + second
    found = dict(extract_from_texts([(1, text)], nlp=nlp, prefilter=True))[1]
    # two pieces, the gap unparsed
    assert [text[start:end] for start, end in parse_spans(text)] == [first, second]
    assert [a.speaker for a in found] == ["Pieter Sand", "Pieter Sand"]
    assert [text[a.occurrence.start : a.occurrence.end] for a in found] == [
        "the dams were safe", "the roads would reopen"]

    resolver = SegmentResolver()
    offset = len(first + gap)
    resolver.note_entities(nlp(first), 0)
    later = nlp(second)
    assert [m.position for m in resolver.mentions] == [text.index("Pieter Sand")]
    pronoun = next(t for t in later if t.lower_ == "he")
    assert resolver.resolve(phrase_for(pronoun), offset).name == "Pieter Sand"
    assert resolver.speakers[-1].position == text.index(" he said") + 1


def test_a_hyphenated_name_stays_one_name(extract: Extract) -> None:
    text = ("Tomas Varga-Lind, an economist at Kell University, spoke first. "
            '"The levy will not raise a penny," Mr. Varga-Lind said.')
    statement = only(extract(text), "levy will not")
    assert statement.speaker == "Tomas Varga-Lind"
    assert statement.occurrence.speaker_as_written == "Mr. Varga-Lind"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("According to a new poll by the Kell Institute, the mayor leads by four points.", "a new poll by the Kell Institute"),
        ("Analysts at Brenton Securities said the harbour sale was overpriced.", "Analysts at Brenton Securities"),
        ("A survey published by the Kell Institute found that most residents back the sale.",
         "A survey published by the Kell Institute"),
        ("A memo released Friday by the harbour board said the sale was overpriced.",
         "A memo released Friday by the harbour board"),
    ],
)
def test_a_common_noun_speaker_keeps_the_phrase_that_names_who_it_is(extract: Extract, text: str, speaker: str) -> None:
    (statement,) = extract(text)
    assert statement.occurrence.speaker_as_written == speaker


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("A spokesman for the ministry said the harbour sale was overpriced.", "A spokesman"),
        ("Officials in March said the harbour sale was overpriced.", "Officials"),
    ],
)
def test_a_phrase_without_a_name_or_with_a_date_is_left_out_of_the_speaker(
    extract: Extract, text: str, speaker: str
) -> None:
    (statement,) = extract(text)
    assert statement.occurrence.speaker_as_written == speaker


def test_a_common_noun_with_a_persons_name_in_apposition_is_that_persons_role(extract: Extract) -> None:
    (statement,) = extract("The party's pollster, Janet Morrow, says the lead is shrinking.")
    assert statement.speaker == "Janet Morrow"
    assert statement.speaker_role == "party's pollster"


def test_a_slash_inside_a_name_keeps_the_whole_name(extract: Extract) -> None:
    (statement,) = extract("Most residents back the plan, according to a Dunmore Herald/KVT News poll.")
    assert statement.occurrence.speaker_as_written == "a Dunmore Herald/KVT News poll"


def test_coordinated_speakers_are_all_written_and_the_first_named_is_the_speaker(extract: Extract) -> None:
    (statement,) = extract("Anika Rowe and other engineers said the bridge was safe.")
    assert statement.occurrence.speaker_as_written == "Anika Rowe and other engineers"
    assert statement.speaker == "Anika Rowe"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Residents who heard Anika Rowe speak on Monday said the bridge should stay closed.",
            "Residents who heard Anika Rowe speak on Monday",
        ),
        ("Residents who were there said the bridge should stay closed.", "Residents"),
        ("Critics like Tomas Brenn say the plan is too expensive.", "Critics like Tomas Brenn"),
        ("A petition on Changeboard says the park must stay open.", "A petition on Changeboard"),
        ("Those who met Anika Rowe on Monday said she seemed tired.", "Those who met Anika Rowe on Monday"),
    ],
)
def test_a_relative_clause_or_a_phrase_naming_someone_says_which_ones_speak(
    extract: Extract, text: str, speaker: str
) -> None:
    (statement,) = extract(text)
    assert statement.occurrence.speaker_as_written == speaker
