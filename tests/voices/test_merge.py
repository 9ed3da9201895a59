"""Merging statements across copies, and telling how copies altered them."""

from __future__ import annotations

from sourcetrace.records import StatementOccurrence
from sourcetrace.voices.merge import ITEM_BASE, merge_statements, normalised_words, word_diff
from sourcetrace.voices.statements import Attribution
from tests.voices.conftest import Extract

ORIGINAL = ('Ombudsman Lidia Sorel presented the report on Tuesday. '
            '"I said that I would publish it before my mandate ended and I have," Sorel told reporters.')
REWORDED = ('Ombudsman Lidia Sorel presented the report on Tuesday. '
            '"I said I would release it before the end of my term and I did," Sorel told reporters.')


def _occurrence(segment: int, text: str, speaker: str = "Lidia Sorel", start: int = 0, **flags: bool) -> Attribution:
    occurrence = StatementOccurrence(segment, start, start + len(text), text, speaker, "said", "direct", **flags)
    return Attribution(occurrence, speaker, None, "person")


def test_the_same_statement_in_several_segments_is_one_statement(extract: Extract) -> None:
    found = {1: extract(ORIGINAL, 1), 2: extract(ORIGINAL, 2), 3: extract(ORIGINAL.replace('"', "“", 1), 3)}
    statements = merge_statements(found, {1: "2024-05-01", 2: "2024-05-02", 3: "2024-05-03"})
    quotes = [s for s in statements if s.kind == "direct"]
    assert len(quotes) == 1
    assert sorted(o.segment for o in quotes[0].occurrences) == [1, 2, 3]
    assert quotes[0].speaker == "Lidia Sorel"


def test_a_reworded_copy_is_altered_with_a_word_diff_against_the_earliest(extract: Extract) -> None:
    found = {1: extract(ORIGINAL, 1), 2: extract(REWORDED, 2)}
    statements = merge_statements(found, {1: "2024-05-01", 2: "2024-05-03"}, families={1: 10, 2: 10})
    quote = next(s for s in statements if s.kind == "direct")
    assert quote.text.startswith("I said that I would publish it")
    original, copy = sorted(quote.occurrences, key=lambda o: o.segment)
    assert not original.altered and original.diff == ()
    assert copy.altered
    assert ("-", "publish") in copy.diff and ("+", "release") in copy.diff
    assert ("-", "that") in copy.diff and ("=", "would") in copy.diff


def test_quote_style_case_and_spacing_differences_are_not_alterations() -> None:
    first = _occurrence(1, "It's a method, not an excess.")
    second = _occurrence(2, "it’s  a METHOD, not an excess")
    (statement,) = merge_statements({1: [first], 2: [second]}, {1: "2024-01-01", 2: "2024-01-02"})
    assert [o.altered for o in statement.occurrences] == [False, False]


def test_without_dates_the_most_common_form_is_the_reference() -> None:
    common = "The sirens did not sound and nobody warned the valley."
    variant = "The sirens did not sound and no one warned the valley."
    found = {1: [_occurrence(1, variant)], 2: [_occurrence(2, common)], 3: [_occurrence(3, common)]}
    (statement,) = merge_statements(found, {1: None, 2: None, 3: None})
    assert statement.text == common
    assert [o.altered for o in statement.occurrences] == [True, False, False]


def test_different_statements_of_one_speaker_stay_apart() -> None:
    found = {1: [_occurrence(1, "The bridge will reopen in May after the repairs."),
                 _occurrence(1, "Nobody listened to the engineers until it moved.", start=60)]}
    assert len(merge_statements(found, {1: None})) == 2


def test_the_same_words_from_different_speakers_stay_apart() -> None:
    words = "We will rebuild every house that the water took from us."
    found = {1: [_occurrence(1, words, "Lidia Sorel")], 2: [_occurrence(2, words, "Anton Reyes")]}
    assert len(merge_statements(found, {1: None, 2: None})) == 2


def test_a_surname_and_a_full_name_across_segments_are_one_speaker() -> None:
    words = "We will rebuild every house that the water took from us."
    found = {1: [_occurrence(1, words, "Sorel")], 2: [_occurrence(2, words, "Lidia Sorel")]}
    (statement,) = merge_statements(found, {1: None, 2: None})
    assert statement.speaker == "Lidia Sorel"


def test_an_unresolved_body_joins_the_named_one_whichever_segment_comes_first() -> None:
    words = "The inquiry will hear the first witnesses from the valley in March."
    for first, second in (("the panel", "Rivers Panel"), ("Rivers Panel", "the panel")):
        found = {1: [_organisation(1, words, first)], 2: [_organisation(2, words, second)]}
        (statement,) = merge_statements(found, {1: None, 2: None})
        assert statement.speaker == "Rivers Panel"


def test_two_bodies_sharing_only_a_last_word_stay_apart() -> None:
    words = "The inquiry will hear the first witnesses from the valley in March."
    found = {1: [_organisation(1, words, "Rivers Panel")], 2: [_organisation(2, words, "Harbour Panel")]}
    assert len(merge_statements(found, {1: None, 2: None})) == 2


def _organisation(segment: int, text: str, speaker: str) -> Attribution:
    occurrence = StatementOccurrence(segment, 0, len(text), text, speaker, "said", "direct")
    return Attribution(occurrence, speaker, None, "organisation")


def test_a_garbled_copy_in_the_same_family_joins_the_statement_and_stays_flagged() -> None:
    words = "Beijing's denial rings ever more hollow with this new evidence."
    garbled = _occurrence(2, words.replace("ever more", "increasingly"), "Nadia", garbled_speaker=True)
    found = {1: [_occurrence(1, words, "Nadia Reyes")], 2: [garbled]}
    (statement,) = merge_statements(found, {1: "2024-01-01", 2: "2024-01-02"}, families={1: 5, 2: 5})
    assert statement.speaker == "Nadia Reyes"
    copy = next(o for o in statement.occurrences if o.segment == 2)
    assert copy.garbled_speaker and copy.altered
    assert ("-", "ever") in copy.diff and ("+", "increasingly") in copy.diff


def test_a_statement_key_names_its_first_occurrence_and_orders_statements() -> None:
    found = {2: [_occurrence(2, "The second statement comes from a later segment."),
                 _occurrence(2, "Another statement of that later segment, quite unlike the first one.", start=60)],
             1: [_occurrence(1, "The first statement comes from the earliest segment.")]}
    statements = merge_statements(found, {1: None, 2: None})
    assert [s.key for s in statements] == [1 * ITEM_BASE, 2 * ITEM_BASE, 2 * ITEM_BASE + 1]
    assert statements[0].occurrences[0].segment == 1


def test_normalised_words_ignore_quote_style_case_and_punctuation() -> None:
    assert normalised_words("“It’s DONE,” she said.") == normalised_words("\"it's done\" she said")


def test_word_diff_reports_words_as_written() -> None:
    diff = word_diff(["rings", "ever-more", "hollow"], ["rings", "increasingly", "hollow"])
    assert diff == (("=", "rings"), ("-", "ever-more"), ("+", "increasingly"), ("=", "hollow"))


def test_two_statements_of_one_segment_by_one_speaker_stay_two() -> None:
    first = _occurrence(7, "Machine tool orders fell 1.1 pct in February to 145.1 mln dlrs from a revised 146.7 mln.")
    second = _occurrence(7, "Metal-forming tool orders fell 13.3 pct last month to 41.4 mln dlrs.", start=120)
    statements = merge_statements({7: [first, second]}, {7: "2024-02-01"}, families={7: 3})
    assert len(statements) == 2


def test_the_reference_form_is_the_origins_occurrence_even_when_a_copy_is_dated_earlier() -> None:
    # A spun copy that misdates itself (or a copy dated by its crawl) must not become the quote as said.
    origin_words = "The sirens did not sound and nobody warned the valley."
    spun_words = "The alarms did not sound and nobody warned the valley."
    found = {1: [_occurrence(1, origin_words)], 2: [_occurrence(2, spun_words)]}
    dates = {1: "2024-03-02", 2: "2024-03-01"}
    (by_date,) = merge_statements(found, dates, families={1: 1, 2: 1})
    (by_origin,) = merge_statements(found, dates, families={1: 1, 2: 1}, origins={1})
    assert by_date.text == spun_words  # without an origin, the earliest dated occurrence
    assert by_origin.text == origin_words
    assert [(o.segment, o.altered) for o in by_origin.occurrences] == [(1, False), (2, True)]
    assert ("-", "sirens") in by_origin.occurrences[1].diff and ("+", "alarms") in by_origin.occurrences[1].diff


def test_a_reworded_quote_that_keeps_only_the_first_of_two_sentences_is_altered() -> None:
    full = "The river barrier will be finished before the storms. We have asked the ministry for forty engineers."
    first_half = "The river barrier will be finished before the storms."
    found = {1: [_occurrence(1, full)], 2: [_occurrence(2, first_half)]}
    (statement,) = merge_statements(found, {1: "2024-05-01", 2: "2024-05-02"}, families={1: 1, 2: 1}, origins={1})
    assert statement.text == full
    trimmed = statement.occurrences[1]
    assert trimmed.altered and ("-", "engineers.") in trimmed.diff


FIRST_QUOTE = "We need to get at least twenty million crowns of that saving this year"
SECOND_QUOTE = "I would rather call this a saving that comes from ending work we do not need"


def test_two_quotes_a_flattened_copy_runs_together_are_said_as_in_the_origin() -> None:
    # The origin has them in two paragraphs, two occurrences; a copy with its paragraphs flattened
    # has them in one, which extraction joins; a spun copy changes their words.
    joined = f"{FIRST_QUOTE} … {SECOND_QUOTE}"
    spun = joined.replace("need to get", "demand to acquire").replace("rather call", "instead draw")
    found = {1: [_occurrence(1, FIRST_QUOTE), _occurrence(1, SECOND_QUOTE, start=200)],
             2: [_occurrence(2, joined)], 3: [_occurrence(3, spun)],
             4: [_occurrence(4, SECOND_QUOTE)], 5: [_occurrence(5, FIRST_QUOTE + " and next")]}
    dates = {i: f"2024-05-0{i}" for i in found}
    (statement,) = merge_statements(found, dates, families={i: 1 for i in found}, origins={1})
    altered = {(o.segment, o.start): o.altered for o in statement.occurrences}
    assert altered == {(1, 0): False, (1, 200): False, (2, 0): False, (3, 0): True, (4, 0): False, (5, 0): True}
