"""Finding attributed statements: direct quotes and reported speech (fictional text)."""

from __future__ import annotations

import pytest

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


def test_a_quote_split_by_its_attribution_gives_both_parts_to_the_speaker(extract: Extract) -> None:
    text = '"We found the cracks in March," said Anika Rowe, the city engineer. "Nobody listened until the bridge moved."'
    found = extract(text)
    first, second = only(found, "cracks in March"), only(found, "Nobody listened")
    assert first.speaker == second.speaker == "Anika Rowe"
    assert first.occurrence.kind == second.occurrence.kind == "direct"
    assert second.occurrence.text == "Nobody listened until the bridge moved."


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
