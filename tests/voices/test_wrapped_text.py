"""Hard-wrapped text (wire archives, plain-text mail): a quote or an
attribution may run over the line breaks inside a paragraph."""

from __future__ import annotations

from sourcetrace.voices.merge import merge_statements
from sourcetrace.voices.wrapping import soft_breaks, unwrapped
from tests.voices.conftest import Extract
from tests.voices.helpers import only

# Wire style: a paragraph opens with an indented line, the others wrap at about 60 columns.
WIRE = (
    "Velmont harbour will stay closed to freight until the end of\n"
    "the month, the port authority said on Tuesday.\n"
    '    "We cannot reopen the quay before the cranes have been\n'
    'inspected one by one," said Ilka Varga, the authority\'s chief\n'
    "engineer. \"Nobody wants a repeat of last winter.\"\n"
    "    Shipping agents in the city said that the closure would\n"
    "cost them several million crowns in lost trade by the time the\n"
    "harbour reopened.\n"
    " REUTER"
)


def test_soft_breaks_join_a_paragraphs_lines_and_keep_its_openings() -> None:
    text = unwrapped(WIRE)
    assert len(text) == len(WIRE)
    assert text.split("\n") == [
        "Velmont harbour will stay closed to freight until the end of the month, the port authority said on Tuesday.",
        '    "We cannot reopen the quay before the cranes have been inspected one by one," said Ilka Varga, '
        "the authority's chief engineer. \"Nobody wants a repeat of last winter.\"",
        "    Shipping agents in the city said that the closure would cost them several million crowns in lost "
        "trade by the time the harbour reopened.",
        " REUTER",
    ]


def test_a_blank_line_and_a_short_line_still_end_a_paragraph() -> None:
    text = (
        "The council of Dravo met on Monday evening to vote on the plan\n"
        "for the new tram line across the river to the eastern suburbs.\n"
        "The vote was close.\n"
        "Seven members voted for the plan and five voted against it,\n"
        "\n"
        "and the mayor abstained, the clerk of the council told the\n"
        "press after the meeting had ended late in the evening there."
    )
    assert unwrapped(text).split("\n") == [
        # A full line may end a paragraph too: nothing tells it from a wrap.
        "The council of Dravo met on Monday evening to vote on the plan for the new tram line across the river "
        "to the eastern suburbs. The vote was close.",
        # "Seven" would have fit after "close.": the paragraph ends there.
        "Seven members voted for the plan and five voted against it,",
        "",
        "and the mayor abstained, the clerk of the council told the press after the meeting had ended late in "
        "the evening there.",
    ]


def test_a_short_line_the_sentence_runs_on_from_continues_its_paragraph() -> None:
    text = (
        "Leading growers of the Serin valley\n"  # short: the dateline before it was cut off
        "meeting at the town hall today called for lower water prices\n"
        "and for a new reservoir to be built on the river before 2030.\n"
        "    The ministry has not said when it will reply to them."
    )
    assert unwrapped(text).split("\n") == [
        "Leading growers of the Serin valley meeting at the town hall today called for lower water prices "
        "and for a new reservoir to be built on the river before 2030.",
        "    The ministry has not said when it will reply to them.",
    ]


def test_text_with_a_paragraph_per_line_is_left_as_it_is() -> None:
    text = (
        "Dravo votes on tram line\n"
        "The council of Dravo voted on Monday on the plan for a new tram line across the river, "
        "which the mayor, Tomas Brenn, has championed since his election two years ago.\n"
        '"It is the most important decision of this council," Brenn said before the vote, '
        "adding that the line would open in 2029.\n"
        "Seven members voted for the plan."
    )
    assert soft_breaks(text) == []


def test_a_quote_over_line_breaks_is_found_with_its_span_in_the_original(extract: Extract) -> None:
    quote = only(extract(WIRE), "reopen the quay")
    occurrence = quote.occurrence
    assert quote.speaker == "Ilka Varga"
    assert occurrence.kind == "direct"
    assert WIRE[occurrence.start : occurrence.end].startswith("We cannot reopen the quay before the cranes have been\n")
    assert WIRE[occurrence.start : occurrence.end].endswith("last winter.")
    assert occurrence.text == (
        "We cannot reopen the quay before the cranes have been inspected one by one … "
        "Nobody wants a repeat of last winter."
    )


def test_reported_speech_over_line_breaks_is_found(extract: Extract) -> None:
    found = extract(WIRE)
    agents = only(found, "closure would cost")
    assert agents.occurrence.kind == "reported"
    assert agents.speaker == "shipping agents"
    assert agents.occurrence.text.endswith("by the time the harbour reopened")
    assert only(found, "stay closed").speaker == "the port authority"


def test_a_colon_opened_quote_of_wrapped_paragraphs_is_the_speakers(extract: Extract) -> None:
    text = (
        "The director of the Serin museum, Jane Roe, who has run it for\n"
        "eleven years, said at a meeting of its board on Friday:\n"
        '    "The thieves came in through the roof of the east wing and\n'
        "took the three paintings that had never been insured.\n"
        '    "The guards heard nothing until the alarm went off at five\n'
        'in the morning, long after the thieves had left the building."\n'
        "    The police in Serin have not made any arrests so far in\n"
        "the case, which has shocked the city and the whole region."
    )
    found = extract(text)
    first, second = only(found, "through the roof"), only(found, "guards heard nothing")
    assert first.speaker == second.speaker == "Jane Roe"
    assert first.occurrence.text.endswith("had never been insured.")
    assert second.occurrence.text.startswith("The guards heard nothing")


ORIGINAL = WIRE
UNCHANGED = unwrapped(WIRE).replace("\n    ", "\n").replace("\n ", "\n")  # an aggregator's reflowed copy
CHANGED = UNCHANGED.replace("inspected one by one", "checked once more")


def test_a_changed_copy_of_a_wrapped_original_is_altered_and_a_reflowed_one_is_not(extract: Extract) -> None:
    texts = {1: ORIGINAL, 2: UNCHANGED, 3: CHANGED}
    attributions = {segment: extract(text, segment) for segment, text in texts.items()}
    statements = merge_statements(attributions, dict.fromkeys(texts), dict.fromkeys(texts, 1), origins={1})
    quote = next(s for s in statements if "reopen the quay" in s.text)
    assert {o.segment: o.altered for o in quote.occurrences} == {1: False, 2: False, 3: True}
