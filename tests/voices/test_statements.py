"""Finding attributed statements: direct quotes and reported speech (fictional text)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import cast

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from sourcetrace.voices import statements
from sourcetrace.voices.merge import merge_statements
from sourcetrace.voices.statements import Attribution, extract_from_texts, parse_spans, sentence_spans
from tests.voices.conftest import Extract
from tests.voices.helpers import only


@pytest.mark.parametrize(
    ("text", "quote", "speaker", "cue"),
    [
        ('"The bridge will reopen in May," said Anika Rowe, the city engineer.', "The bridge will reopen in May", "Anika Rowe", "said"),
        ('"The bridge will reopen in May," Anika Rowe said on Friday.', "The bridge will reopen in May", "Anika Rowe", "said"),
        ('"The bridge will reopen in May," Anika Rowe told reporters in Dunmore.', "The bridge will reopen in May", "Anika Rowe", "told"),
        ('Anika Rowe said: "The bridge will reopen in May."', "The bridge will reopen in May.", "Anika Rowe", "said"),
        ('Anika Rowe told the council, "The bridge will reopen in May."', "The bridge will reopen in May.", "Anika Rowe", "told"),
        ("“The bridge will reopen in May,” said Anika Rowe.", "The bridge will reopen in May", "Anika Rowe", "said"),
    ],
)
def test_direct_quote_patterns_give_the_quoted_words_and_their_speaker(
    extract: Extract, text: str, quote: str, speaker: str, cue: str
) -> None:
    found = extract(text)
    statement = only(found, quote)
    assert statement.occurrence.kind == "direct"
    assert statement.occurrence.text == quote
    assert text[statement.occurrence.start : statement.occurrence.end] == quote
    assert statement.speaker == speaker
    assert statement.occurrence.cue == cue


def test_a_quote_split_by_its_attribution_is_one_statement_of_both_parts(extract: Extract) -> None:
    text = '"We found the cracks in March," said Anika Rowe, the city engineer. "Nobody listened until the bridge moved."'
    (statement,) = extract(text)
    assert statement.speaker == "Anika Rowe" and statement.occurrence.kind == "direct"
    assert statement.occurrence.text == "We found the cracks in March … Nobody listened until the bridge moved."
    occurrence = statement.occurrence  # the span runs over both parts, the attribution between them
    assert text[occurrence.start : occurrence.end].startswith("We found") and text[: occurrence.end].endswith("moved.")


def test_a_quote_after_its_own_cue_or_in_the_next_paragraph_stays_a_statement_of_its_own(extract: Extract) -> None:
    text = ('"We found the cracks in March," said Anika Rowe. "Nobody listened until it moved," she added.\n\n'
            '"The repairs will take a year."')
    found = extract(text)
    assert [s.occurrence.text for s in found] == [
        "We found the cracks in March", "Nobody listened until it moved", "The repairs will take a year."]
    assert {s.speaker for s in found} == {"Anika Rowe"}


def test_a_copy_that_keeps_only_the_first_part_of_a_split_quote_has_altered_it(extract: Extract) -> None:
    full = '"We found the cracks in March," said Anika Rowe. "Nobody listened until the bridge moved."'
    cut = '"We found the cracks in March," said Anika Rowe.'
    (statement,) = merge_statements({1: extract(full, 1), 2: extract(cut, 2)}, {1: "2024-05-01", 2: "2024-05-02"},
                                    families={1: 1, 2: 1}, origins={1})
    assert [(o.segment, o.altered) for o in statement.occurrences] == [(1, False), (2, True)]


def test_a_quote_continued_in_the_next_paragraph_keeps_its_speaker(extract: Extract) -> None:
    text = ('"We found the cracks in March," said Anika Rowe.\n'
            '"Nobody listened until the bridge moved. Now everybody is listening."')
    assert only(extract(text), "Now everybody is listening").speaker == "Anika Rowe"


@pytest.mark.parametrize(
    ("text", "clause", "speaker", "cue"),
    [
        ("Anika Rowe said that the bridge would reopen in May.", "the bridge would reopen in May", "Anika Rowe", "said"),
        ("Anika Rowe said the bridge would reopen in May.", "the bridge would reopen in May", "Anika Rowe", "said"),
        ("The bridge would reopen in May, Anika Rowe said.", "The bridge would reopen in May", "Anika Rowe", "said"),
        ("Anika Rowe told reporters the bridge would reopen in May.", "the bridge would reopen in May", "Anika Rowe", "told"),
        ("According to Anika Rowe, the bridge will reopen in May.", "the bridge will reopen in May", "Anika Rowe", "according to"),
        ("Anika Rowe denied that the bridge had been neglected.", "the bridge had been neglected", "Anika Rowe", "denied"),
        ("Anika Rowe urged the council to close the bridge.", "the council to close the bridge", "Anika Rowe", "urged"),
        ("Anika Rowe called on the council to close the bridge.", "the council to close the bridge", "Anika Rowe", "called on"),
        ("Anika Rowe warned that the bridge could collapse.", "the bridge could collapse", "Anika Rowe", "warned"),
    ],
)
def test_reported_speech_cues_give_the_reported_clause(
    extract: Extract, text: str, clause: str, speaker: str, cue: str
) -> None:
    statement = only(extract(text), clause)
    assert statement.occurrence.kind == "reported"
    assert statement.occurrence.text == clause
    assert statement.speaker == speaker
    assert statement.occurrence.cue == cue


def test_documents_and_unnamed_spokespeople_are_speakers(extract: Extract) -> None:
    text = ("The report said 40 bridges in the province needed urgent repairs. "
            "A spokesman told a briefing that inspections would start in June.")
    found = extract(text)
    assert only(found, "40 bridges").speaker == "the report"
    spokesman = only(found, "inspections would start in June")
    assert spokesman.speaker == "a spokesman"
    assert spokesman.occurrence.cue == "told"


def test_words_quoted_inside_reported_speech_stay_one_reported_statement(extract: Extract) -> None:
    found = extract('Anika Rowe said the repairs were "long overdue" and would take a year.')
    assert len(found) == 1
    assert found[0].occurrence.kind == "reported"
    assert '"long overdue"' in found[0].occurrence.text


@pytest.mark.parametrize(
    "text",
    [
        "Council says bridge to reopen in May",  # a headline: no sentence end
        "The engineers were told to leave the site.",  # passive: the subject is the listener
        "Anika Rowe did not say when the bridge would reopen.",  # negated
        "The bridge, built in 1931, carries 20,000 cars a day.",  # no cue at all
    ],
)
def test_text_without_an_attribution_gives_no_statement(extract: Extract, text: str) -> None:
    assert extract(text) == []


def test_offsets_point_into_the_segment_text(extract: Extract) -> None:
    text = "Intro line.\n\nAnika Rowe said the bridge would reopen in May.\n\n\"It is safe,\" she said."
    for attribution in extract(text, segment=7):
        occurrence = attribution.occurrence
        assert occurrence.segment == 7
        assert text[occurrence.start : occurrence.end] == occurrence.text


# --- real journalism: attributions as news agencies write them -------------


@pytest.mark.parametrize(
    ("text", "words", "speaker"),
    [
        ('"The verdict is a betrayal of every family that waited," Orla Menzies, Clearwater Rights\' '
         "secretary-general, said in a statement.", "betrayal of every family", "Orla Menzies"),
        ('"We reject these claims entirely," the Interior Ministry said in a statement on Tuesday.',
         "reject these claims", "Interior Ministry"),
        ("Michaela Dorsen, the High Commissioner, spoke on Monday. In a statement from her office, "
         "Dorsen said the panel had ignored the evidence.", "ignored the evidence", "Michaela Dorsen"),
        ('"We reject these claims entirely," said a statement from the Interior Ministry.',
         "reject these claims", "Interior Ministry"),
        ("Michaela Dorsen, the High Commissioner, spoke on Monday. A statement from her office said "
         "the panel had ignored the evidence.", "ignored the evidence", "Michaela Dorsen"),
    ],
)
def test_a_statement_issued_in_writing_is_its_issuers(extract: Extract, text: str, words: str, speaker: str) -> None:
    """"said in a statement", "a statement from her office said": the speaker is who issued it."""
    statement = only(extract(text), words)
    assert statement.speaker == speaker
    assert statement.speaker_kind != "document"


def test_said_in_a_statement_keeps_the_role_and_kind_of_the_person() -> None:
    text = ('"The verdict is a betrayal of every family that waited," Orla Menzies, Clearwater Rights\' '
            "secretary-general, said in a statement.")
    statement = only(dict(extract_from_texts([(1, text)]))[1], "betrayal")
    assert statement.speaker_role == "Clearwater Rights' secretary-general"
    assert statement.speaker_kind == "person"


def test_every_paragraph_of_a_quote_opened_by_a_colon_is_the_speakers(extract: Extract) -> None:
    text = ("The group's director, Jane Roe, said:\n\n"
            '"We asked for the records three times and were refused each time.\n\n'
            '"The ministry knew what it was hiding.\n\n'
            '"We will go to court if we must."\n\n'
            "The ministry did not respond.")
    found = extract(text)
    assert [a.occurrence.text for a in found] == [
        "We asked for the records three times and were refused each time.",
        "The ministry knew what it was hiding.",
        "We will go to court if we must.",
    ]
    assert {a.speaker for a in found} == {"Jane Roe"}
    assert {a.occurrence.kind for a in found} == {"direct"}


@pytest.mark.parametrize(
    ("text", "statement_text", "kind", "cue"),
    [
        ('Iosif Barta called the ruling "a turning point for the rights of river communities."',
         "a turning point for the rights of river communities.", "direct", "called"),
        ("Iosif Barta called the ruling a turning point for the rights of river communities.",
         "the ruling a turning point for the rights of river communities", "reported", "called"),
        ("Iosif Barta described the decision as a serious blow to the inquiry.",
         "the decision as a serious blow to the inquiry", "reported", "described"),
        ("Iosif Barta denounced the findings as biased and politically motivated.",
         "the findings as biased and politically motivated", "reported", "denounced"),
        ("Iosif Barta welcomed the decision to reopen the inquiry into the flooding.",
         "the decision to reopen the inquiry into the flooding", "reported", "welcomed"),
        ("Iosif Barta condemned the arrests of three journalists in Velmont.",
         "the arrests of three journalists in Velmont", "reported", "condemned"),
        ("According to Iosif Barta, the dam had been inspected only once in ten years.",
         "the dam had been inspected only once in ten years", "reported", "according to"),
    ],
)
def test_judging_a_decision_is_a_statement(extract: Extract, text: str, statement_text: str, kind: str, cue: str) -> None:
    """Cues beyond "say": calling, describing, denouncing, welcoming, condemning."""
    (statement,) = extract(text)
    assert statement.occurrence.text == statement_text
    assert text[statement.occurrence.start : statement.occurrence.end] == statement_text
    assert statement.occurrence.kind == kind
    assert statement.occurrence.cue == cue
    assert statement.speaker == "Iosif Barta"


def test_a_quoted_judgement_followed_by_adding_is_the_judges(extract: Extract) -> None:
    text = 'Iosif Barta called the ruling "a disgrace for all of us," adding that the panel would appeal.'
    found = extract(text)
    assert only(found, "a disgrace for all of us").speaker == "Iosif Barta"
    assert only(found, "the panel would appeal").speaker == "Iosif Barta"


def test_words_quoted_in_reported_speech_before_adding_stay_reported(extract: Extract) -> None:
    text = 'Iosif Barta said the ruling was "a disgrace for all of us," adding that the panel would appeal.'
    found = extract(text)
    assert [a.occurrence.kind for a in found] == ["reported", "reported"]
    assert only(found, "the ruling was").speaker == only(found, "the panel would appeal").speaker == "Iosif Barta"


def test_a_phrase_quoted_in_a_call_on_stays_inside_the_reported_statement(extract: Extract) -> None:
    (statement,) = extract('The union called on the government "to stop the killings at once" and free the detainees.')
    assert statement.occurrence.kind == "reported"
    assert statement.occurrence.text.startswith('the government "to stop the killings')


@pytest.mark.parametrize(
    "text",
    [
        "Iosif Barta called the police.",  # calling someone, no judgement
        "The town welcomed two million visitors last year.",  # a count of guests
        "Iosif Barta described the scene.",  # describing, with nothing it is described as
        "The delegation was welcomed by the mayor.",  # passive
    ],
)
def test_judging_verbs_without_a_judgement_give_no_statement(extract: Extract, text: str) -> None:
    assert extract(text) == []


@pytest.mark.parametrize(
    ("text", "statement_text"),
    [
        ("VELMONT (CP) — The city will close the bridge for repairs, Mayor Ilse Tamm said on Friday.",
         "The city will close the bridge for repairs"),
        ("LONDON, March 3 (Reuters) - Vardenia will raise interest rates next month, the central bank said.",
         "Vardenia will raise interest rates next month"),
        ("MAREN — Vardenia will raise interest rates next month, the central bank said.",
         "Vardenia will raise interest rates next month"),
        ("Bridge to close\nMAREN, Vardenia (AP) — The city will close the bridge, Mayor Ilse Tamm said.",
         "The city will close the bridge"),
        ("NATO will raise spending next month, the alliance said.", "NATO will raise spending next month"),
    ],
)
def test_a_dateline_is_not_part_of_the_statement(extract: Extract, text: str, statement_text: str) -> None:
    (statement,) = extract(text)
    assert statement.occurrence.text == statement_text
    assert text[statement.occurrence.start : statement.occurrence.end] == statement_text


# --- the pre-filter: spaCy parses only what can hold a statement --------------

FILLER = "The river rose two metres overnight. Schools in the valley stayed closed. Buses ran on time."


class RecordingNlp:
    """The real pipeline, remembering every text it was asked to parse."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.parsed: list[str] = []

    def pipe(self, texts: Iterable[str], batch_size: int = 64) -> Iterator[Doc]:
        for text in texts:
            self.parsed.append(text)
            yield from self.nlp.pipe([text], batch_size=batch_size)


def _kept(text: str) -> list[str]:
    return [text[start:end] for start, end in parse_spans(text)]


def test_the_prefilter_keeps_cue_sentences_and_quote_paragraphs_with_the_sentence_before_them() -> None:
    text = (f"{FILLER} Dams held upstream. Anika Rowe said the bridge would close. {FILLER}\n\n"
            f'{FILLER}\n\nMarkets opened late. "We are ready," she told reporters. Trains were full.')
    kept = _kept(text)
    # A cue sentence alone; a paragraph with a quotation mark whole (quotes
    # pair within paragraphs), with the sentence before it, which may name who speaks.
    assert kept == ["Anika Rowe said the bridge would close.",
                    'Buses ran on time.\n\nMarkets opened late. "We are ready," she told reporters. Trains were full.']


def test_the_prefilter_keeps_according_to_and_the_other_cues_of_the_extractor() -> None:
    for sentence in ("According to the ministry, the dam is safe.", "The panel urged residents to leave.",
                     "The mayor called on residents to leave.", "Officials denied the dam had cracked."):
        assert _kept(f"{FILLER}\n\n{sentence}\n\n{FILLER}") == [sentence]


def test_the_prefilter_keeps_a_multi_paragraph_quote_opened_by_a_colon() -> None:
    text = (f"{FILLER}\n\nAnika Rowe said:\n\n\"The bridge will close in May. It is not safe. Nobody can cross it.\n\n"
            "\"We have no choice. The engineers agree.\"\n\n" + FILLER)
    kept = _kept(text)
    assert len(kept) == 1
    assert kept[0].startswith("Anika Rowe said:")
    assert kept[0].endswith('The engineers agree."')


def test_the_prefilter_keeps_the_line_that_opens_a_quote_without_a_cue_word() -> None:
    text = f"{FILLER}\n\nThe engineer put it this way:\n\n\"Nobody can cross it.\"\n\n{FILLER}"
    assert _kept(text) == ["The engineer put it this way:\n\n\"Nobody can cross it.\""]


def test_the_prefilter_skips_headlines_and_keeps_the_full_name_of_a_speaker() -> None:
    text = (f"Rowe says bridge to close\n\nMarta Lindqvist, 58, has farmed by the river since 1990. {FILLER}\n\n"
            f"{FILLER} Ms. Lindqvist said the water had never been this high.")
    kept = _kept(text)
    assert not any("Rowe says" in piece for piece in kept)  # no full stop: no statement there
    assert any(piece.startswith("Marta Lindqvist, 58") for piece in kept)
    assert any(piece.endswith("Ms. Lindqvist said the water had never been this high.") for piece in kept)


def test_the_sentence_split_does_not_break_after_titles_initials_or_abbreviations() -> None:
    text = "Mr. Barta met Charles E. Grassley in the U.S. Senate. He left. Prices rose 5 pct. Demand fell!"
    spans = [text[start:end] for start, end in sentence_spans(text)]
    assert spans == ["Mr. Barta met Charles E. Grassley in the U.S. Senate.", "He left.", "Prices rose 5 pct.", "Demand fell!"]


PREFILTER_TEXTS = [
    # a speaker named a sentence before, then pronouns and a role noun further on
    (f"Governor Pieter Sand toured the flooded valley on Monday. {FILLER}\n\n{FILLER} The governor told reporters "
     f'that the dams were safe.\n\n{FILLER}\n\n"We will rebuild every house," he said. {FILLER}'),
    # a multi-paragraph quote opened by a colon, and its continuation
    (f'{FILLER}\n\nAnika Rowe, the city engineer, said: "The bridge will close in May. It is not safe.\n\n'
     f'"Nobody can cross it until the piers are repaired," she added.\n\n{FILLER}'),
    # "according to", reported speech, a quote split by its attribution
    (f"{FILLER} According to the Serin Institute report, 40 bridges need urgent repairs.\n\n{FILLER}\n\n"
     '"We found the cracks in March," said Anika Rowe. "Nobody listened until the bridge moved."\n\n'
     f"Ilka Varga, a political scientist at Serin University, said turnout had fallen. {FILLER}"),
    # a full name far from the speaker's surname, and a headline with a cue
    (f"Rowe says bridge to close\n\nMarta Lindqvist, 58, has farmed by the river since 1990. {FILLER}\n\n"
     f"{FILLER} Ms. Lindqvist said the water had never been this high. {FILLER}\n\n"
     f'{FILLER} "I have lost everything," Lindqvist said.'),
    # pronouns whose antecedent is named in the sentence before, or two before
    (f"{FILLER} Anton Reyes said the road was closed.\n\n{FILLER} Camille Okafor drove the first truck.\n\n"
     '"We will go back when it is safe," she said.\n\n'
     f"{FILLER} Lena Hartwig drove the second truck. The road was wet and the river was rising.\n\n"
     '"We turned back at the bridge," she said.'),
    # a quote of several sentences, attributed after its last one
    (f'{FILLER}\n\n"The bridge will close. It is not safe. Nobody can cross it. The piers are cracked," '
     f"said Anika Rowe.\n\n{FILLER}"),
    # a colon closing the paragraph before a quote of several paragraphs
    (f"{FILLER}\n\nThe group's director, Jane Roe, said:\n\n\"We asked for the records three times.\n\n"
     f'"We will go to court if we must."\n\n{FILLER}'),
    # a possessive role whose owner is named sentences before, judging cues, a dateline
    (f"VELMONT (CP) — The Interior Ministry defended the arrests. {FILLER} Its spokeswoman said every "
     f"detention was lawful.\n\n{FILLER} Camille Okafor condemned the arrests of three journalists in Velmont."),
    # no statement at all
    FILLER,
    f"{FILLER}\n\n{FILLER}",
]


def _statements(found: list[Attribution]) -> list[tuple[object, ...]]:
    return [(a.occurrence.start, a.occurrence.end, a.occurrence.text, a.occurrence.kind, a.occurrence.cue,
             a.occurrence.speaker_as_written, a.speaker, a.speaker_role, a.speaker_kind) for a in found]


def test_statements_are_identical_with_and_without_the_prefilter(nlp: Language) -> None:
    pairs = list(enumerate(PREFILTER_TEXTS))
    with_filter = dict(extract_from_texts(pairs, nlp=nlp, prefilter=True))
    without = dict(extract_from_texts(pairs, nlp=nlp, prefilter=False))
    for index, text in pairs:
        assert _statements(with_filter[index]) == _statements(without[index]), text
        for attribution in with_filter[index]:
            occurrence = attribution.occurrence
            # the span holds the text (a quote split by its attribution: each part, the attribution between)
            assert all(part in text[occurrence.start : occurrence.end] for part in occurrence.text.split(" … "))
    assert sum(len(found) for found in with_filter.values()) >= 10
    assert {a.speaker for a in with_filter[0]} == {"Pieter Sand"}
    assert {a.speaker for a in with_filter[3]} == {"Marta Lindqvist"}
    assert only(with_filter[4], "We will go back").speaker == "Camille Okafor"
    assert only(with_filter[4], "We turned back").speaker == "Lena Hartwig"
    assert only(with_filter[5], "The piers are cracked").occurrence.text.startswith("The bridge will close.")
    assert {a.speaker for a in with_filter[6]} == {"Jane Roe"}
    assert only(with_filter[7], "detention was lawful").speaker == "Interior Ministry's spokeswoman"
    assert with_filter[8] == with_filter[9] == []


def test_the_prefilter_parses_less_and_skips_texts_without_a_cue(nlp: Language) -> None:
    recording = RecordingNlp(nlp)
    texts = [(1, FILLER), (2, f"{FILLER}\n\n{FILLER} Anika Rowe said the bridge would close. {FILLER}"), (3, FILLER)]
    found = dict(extract_from_texts(texts, nlp=cast(Language, recording)))
    assert found[1] == found[3] == []
    assert recording.parsed == ["Anika Rowe said the bridge would close."]
    assert only(found[2], "the bridge would close").occurrence.start == texts[1][1].index("the bridge would close")
    recording.parsed.clear()
    list(extract_from_texts(texts, nlp=cast(Language, recording), prefilter=False))
    assert recording.parsed == [text for _, text in texts]


def test_texts_without_a_cue_are_not_parsed_at_all() -> None:
    class NoParser:
        def pipe(self, texts: Iterable[str], batch_size: int = 64) -> Iterator[Doc]:
            raise AssertionError("parsed a text that cannot hold a statement")

    texts = [(1, FILLER), (2, ""), (3, "Rowe says bridge to close\n\n" + FILLER)]
    assert dict(extract_from_texts(texts, nlp=cast(Language, NoParser()))) == {1: [], 2: [], 3: []}


def test_the_prefilter_is_on_by_default() -> None:
    assert statements.PREFILTER is True


# --- issue 13: attributions of real journalism (second round) ----------------


def test_two_apostrophes_are_a_quotation_mark(extract: Extract) -> None:
    text = "''The harbour will not be dredged this year,'' said Orla Penhale, the port's director. ''We have no money.''"
    (statement,) = extract(text)  # one quote, split by its attribution
    assert statement.occurrence.text == "The harbour will not be dredged this year … We have no money."
    assert statement.occurrence.kind == "direct" and statement.speaker == "Orla Penhale"


@pytest.mark.parametrize(
    "text",
    [
        '"The ferry timetable is a fiction," Orla Penhale, the port director, said Thursday morning on Radio Kell\'s "Harbour Hour."',
        '"The ferry timetable is a fiction," Orla Penhale, the port director, said on Twitter.',
    ],
)
def test_a_day_or_a_medium_after_the_cue_is_never_the_speaker(extract: Extract, text: str) -> None:
    assert only(extract(text), "ferry timetable").speaker == "Orla Penhale"


@pytest.mark.parametrize(
    "text",
    [
        'Orla Penhale said on "Harbour Hour Tonight" that the ferry would run twice a day.',
        'In an interview on Radio Kell\'s "Harbour Hour Tonight," Orla Penhale said the ferry would run twice a day.',
    ],
)
def test_a_quoted_title_after_a_preposition_is_no_statement(extract: Extract, text: str) -> None:
    found = extract(text)
    assert [a.occurrence.text for a in found] == ["the ferry would run twice a day"]
    assert found[0].speaker == "Orla Penhale"


def test_with_clauses_on_both_sides_of_the_cue_the_one_after_is_reported(extract: Extract) -> None:
    text = "It is a long shot; the Penhale campaign says she will stay in the race until the end."
    statement = only(extract(text), "stay in the race")
    assert statement.occurrence.text == "she will stay in the race until the end"
    assert statement.speaker == "Penhale campaign"


def test_a_name_right_before_a_cue_the_parse_left_without_subject_is_the_speaker(extract: Extract) -> None:
    text = "In a long meeting with the editors of the Kell Gazette Penhale said that the port would be sold next year."
    statement = only(extract(text), "port would be sold")
    assert "Penhale" in statement.speaker


@pytest.mark.parametrize(
    ("text", "judged", "cue"),
    [
        ("Mayor Orla Penhale praised the lifeboat crews for their courage in the storm.",
         "the lifeboat crews for their courage in the storm", "praised"),
        ("Mayor Orla Penhale criticised the ferry company as careless.", "the ferry company as careless", "criticised"),
        ("Mayor Orla Penhale criticized the ferry company.", "the ferry company", "criticized"),
        ("Mayor Orla Penhale hailed the agreement as a new start for the harbour.",
         "the agreement as a new start for the harbour", "hailed"),
    ],
)
def test_praising_criticising_and_hailing_judge_their_object(extract: Extract, text: str, judged: str, cue: str) -> None:
    statement = only(extract(text), judged)
    assert statement.occurrence.text == judged
    assert statement.occurrence.cue == cue
    assert statement.occurrence.kind == "reported"
    assert statement.speaker == "Orla Penhale"


def test_a_cue_in_the_infinitive_of_an_affirmative_verb_is_its_subjects(extract: Extract) -> None:
    statement = only(extract("Dock workers continued to call for an inquiry into the crane collapse."), "inquiry")
    assert statement.occurrence.text == "an inquiry into the crane collapse"
    assert statement.speaker.lower() == "dock workers"


@pytest.mark.parametrize(
    "text",
    [
        "The harbour master declined to say whether the crane had been inspected.",
        "The harbour master did not want to say that the crane had been inspected.",
    ],
)
def test_a_refused_or_negated_infinitive_cue_is_no_statement(extract: Extract, text: str) -> None:
    assert extract(text) == []


def test_an_attribution_set_off_by_commas_reports_the_clause_it_interrupts(extract: Extract) -> None:
    statement = only(extract("The crane, the harbour master said, had not been inspected since spring."), "inspected")
    assert statement.occurrence.text == "The crane, the harbour master said, had not been inspected since spring"
    assert statement.occurrence.kind == "reported"
    assert statement.occurrence.speaker_as_written == "the harbour master"


@pytest.mark.parametrize(
    ("text", "clause", "cue"),
    [
        ("Harbour pilots argue that the new channel is too shallow for tankers.", "the new channel is too shallow for tankers", "argue"),
        ("Orla Penhale tweeted that the ferry would run again on Monday.", "the ferry would run again on Monday", "tweeted"),
    ],
)
def test_plain_forms_of_speech_verbs_and_tweeting_are_cues(extract: Extract, text: str, clause: str, cue: str) -> None:
    statement = only(extract(text), clause)
    assert statement.occurrence.text == clause
    assert statement.occurrence.cue == cue


def test_a_participle_continuing_the_clause_is_a_cue(extract: Extract) -> None:
    text = "Mayor Tilda Varga defended the budget on Monday, insisting that the new tram line would pay for itself."
    statement = only(extract(text), "tram line")
    assert statement.occurrence.text == "the new tram line would pay for itself"
    assert (statement.speaker, statement.occurrence.cue) == ("Tilda Varga", "insisting")


def test_said_as_much_is_a_statement_of_its_own(extract: Extract) -> None:
    (statement,) = extract("Councillor Ben Ostrava said as much at the hearing on Tuesday.")
    assert statement.occurrence.text == "as much"
    assert statement.speaker == "Ben Ostrava" and statement.occurrence.kind == "reported"


def test_a_speaker_the_parse_hangs_on_the_dateline_is_still_the_speaker(extract: Extract) -> None:
    text = "DUNMORE -- Governor Pieter Sand, opening the new bridge on Friday, said the repairs had cost less than planned."
    statement = only(extract(text), "the repairs had cost")
    assert statement.speaker == "Pieter Sand"


def test_a_second_cue_in_the_tense_of_the_first_shares_its_speaker(extract: Extract) -> None:
    text = (
        "Minister Ilse Brandt said this week that the country would formally leave the pact by June "
        "and suggested that it would seek new partners."
    )
    found = extract(text)
    assert only(found, "leave the pact").occurrence.text == "the country would formally leave the pact by June"
    suggested = only(found, "new partners")
    assert (suggested.speaker, suggested.occurrence.cue) == ("Ilse Brandt", "suggested")


def test_responding_by_saying_is_the_responders_statement(extract: Extract) -> None:
    text = "Senator Rolf Haber responded to the protesters by saying his vote had been misunderstood."
    (statement,) = extract(text)
    assert statement.occurrence.text == "his vote had been misunderstood"
    assert (statement.speaker, statement.occurrence.cue) == ("Rolf Haber", "saying")


@pytest.mark.parametrize(
    ("text", "words", "cue"),
    [
        (
            "The Dunmore city council announced a review of the tram contract on Monday.",
            "a review of the tram contract",
            "announced",
        ),
        ("Anika Rowe acknowledged the delays at the site.", "the delays at the site", "acknowledged"),
        ("The engineer noted the cracks in the north pier.", "the cracks in the north pier", "noted"),
    ],
)
def test_announcing_acknowledging_or_noting_a_thing_is_a_statement(
    extract: Extract, text: str, words: str, cue: str
) -> None:
    (statement,) = extract(text)
    assert (statement.occurrence.text, statement.occurrence.cue) == (words, cue)


def test_a_call_on_parsed_with_a_particle_is_a_call_and_a_time_clause_is_not_part_of_it(extract: Extract) -> None:
    text = (
        "In June, the Dunmore senator called on fellow Republicans to unseat Haber "
        "after the mayor claimed that the judge was biased."
    )
    found = extract(text)
    call = only(found, "unseat Haber")
    assert (call.occurrence.text, call.occurrence.cue) == ("fellow Republicans to unseat Haber", "called on")
    assert only(found, "the judge was biased").speaker == "the mayor"


def test_a_name_before_a_party_label_speaks_when_the_parse_gives_no_subject(extract: Extract) -> None:
    text = "Friday at the party convention Senator Ada Lund (D-Vt.) said the bill would pass."
    statement = only(extract(text), "the bill would pass")
    assert statement.speaker == "Ada Lund"


def test_an_attribution_naming_the_speaker_after_the_cue_inside_a_clause_reports_the_clause(
    extract: Extract,
) -> None:
    text = "The real problem, said Ilka Varga, a historian at Serin University, is that nobody reads the reports."
    (statement,) = extract(text)
    assert statement.speaker == "Ilka Varga"
    assert statement.occurrence.text == text.rstrip(".")


def test_an_aside_after_the_cue_that_is_only_a_role_does_not_widen_the_statement(extract: Extract) -> None:
    text = "The vote was a warning to the council, said Ilka Varga, a historian at Serin University."
    statement = only(extract(text), "warning")
    assert statement.occurrence.text == "The vote was a warning to the council"
