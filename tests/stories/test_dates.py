"""Dates in a text: every form news prose uses, with exact spans and ISO values at their precision.

The sentences are fiction written for these tests. A case lists the
expressions expected in text order, each with its value; spans are checked
against where the expression stands in the text.
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sourcetrace.stories.dates import DateMention, find_dates, publication_day

WEDNESDAY = date(2022, 8, 31)  # a Wednesday


def found(text: str, published: date | None = WEDNESDAY) -> list[tuple[str, str | None]]:
    """(expression, value) of every mention, after checking each span points at its expression."""
    mentions = find_dates(text, published)
    position = 0
    for mention in mentions:
        assert text[mention.start:mention.end] == mention.text
        assert mention.start == text.index(mention.text, position)  # the first place it can stand, in order
        position = mention.end
    return [(m.text, m.date) for m in mentions]


ABSOLUTE = [
    ("The treaty was signed on 2 March 2021 in Lessa.", [("2 March 2021", "2021-03-02")]),
    ("It was signed on March 2, 2021, officials said.", [("March 2, 2021", "2021-03-02")]),
    ("Talks began on Tuesday, 3 May 2022 and failed.", [("Tuesday, 3 May 2022", "2022-05-03")]),
    ("The plan dates from March 2021.", [("March 2021", "2021-03")]),
    ("The dam was built in 1971 and rebuilt in 2019.", [("1971", "1971"), ("2019", "2019")]),
    ("The ward has been closed since the 1990s.", [("1990s", "199")]),
    ("A motion dated 2020-05-04 asked for time.", [("2020-05-04", "2020-05-04")]),
    ("Filed on 25/11/2019 and heard on 8/15/2020.", [("25/11/2019", "2019-11-25"), ("8/15/2020", "2020-08-15")]),
    ("The figures, published 31.12.2021, show growth.", [("31.12.2021", "2021-12-31")]),
    ("Unemployment in Q1 2020 was 5.1 percent.", [("Q1 2020", "2020-Q1")]),
    ("The mission launched on Dec. 5, 2021 from Kerro.", [("Dec. 5, 2021", "2021-12-05")]),
]


@pytest.mark.parametrize(("text", "expected"), ABSOLUTE)
def test_absolute_dates_have_their_own_precision(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


RELATIVE = [  # published on Wednesday 31 August 2022
    ("The ministry said on Wednesday that it would appeal.", [("Wednesday", "2022-08-31")]),
    ("Shares fell 4 percent on Monday.", [("Monday", "2022-08-29")]),
    ("The court will rule on Friday.", [("Friday", "2022-09-02")]),
    ("A memorial will be held on Sunday.", [("Sunday", "2022-09-04")]),
    ("Police detained 12 people last Wednesday.", [("last Wednesday", "2022-08-24")]),
    ("The minister travels to Serin next Monday.", [("next Monday", "2022-09-05")]),
    ("The report was published yesterday.", [("yesterday", "2022-08-30")]),
    ("Results are expected tomorrow.", [("tomorrow", "2022-09-01")]),
    ("The vote was held last month.", [("last month", "2022-07")]),
    ("It was amended last year.", [("last year", "2021")]),
    ("Talks resumed this week.", [("this week", "2022-W35")]),
    ("Three days ago, police detained 37 protesters.", [("Three days ago", "2022-08-28")]),
    ("The strike began a week ago.", [("a week ago", "2022-W34")]),
    ("The report was handed over on 28 May.", [("28 May", "2022-05-28")]),
    ("Delegates met again in March.", [("March", "2022-03")]),
    ("The law takes effect on September 10.", [("September 10", "2022-09-10")]),
    ("Earnings rose in the third quarter.", [("third quarter", "2022-Q3")]),
    ("Fighting may resume on Christmas Day.", [("Christmas Day", "2022-12-25")]),  # nearest: 4 months ahead
]


@pytest.mark.parametrize(("text", "expected"), RELATIVE)
def test_relative_dates_resolve_against_the_publication(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


def test_a_day_without_a_year_takes_the_year_nearest_the_publication() -> None:
    text = "The pause began on December 19 and talks end by March."
    assert found(text, date(2023, 1, 10)) == [("December 19", "2022-12-19"), ("March", "2023-03")]


def test_last_and_next_month_names_look_back_and_forward_from_the_publication() -> None:
    assert found("Prices fell last March and will rise next March.", date(2022, 3, 15)) == [
        ("last March", "2021-03"), ("next March", "2023-03")]


def test_anaphoric_dates_count_from_the_date_mentioned_before() -> None:
    assert found("Teams were warned on Monday and arrived the next day.") == [
        ("Monday", "2022-08-29"), ("the next day", "2022-08-30")]
    assert found("Profit was $4 million in 2019. A year earlier it was $3 million.") == [
        ("2019", "2019"), ("A year earlier", "2018")]


def test_without_a_previous_date_an_anaphoric_date_counts_from_the_publication() -> None:
    assert found("The contract had been signed the day before.") == [("the day before", "2022-08-30")]


RANGES = [
    ("Between 2017 and 2019, the agency recorded 412 complaints.", [("2017", "2017"), ("2019", "2019")]),
    ("Inspectors visited between 3 and 5 May.", [("3", "2022-05-03"), ("5 May", "2022-05-05")]),
    ("The summit ran from November 12 to 14.", [("November 12", "2022-11-12"), ("14", "2022-11-14")]),
    ("The 2008-09 crisis cut exports.", [("2008", "2008"), ("09", "2009")]),
    ("From 1995 to 2005, the river was dammed twice.", [("1995", "1995"), ("2005", "2005")]),
]


@pytest.mark.parametrize(("text", "expected"), RANGES)
def test_a_range_is_two_dates_each_with_its_own_span(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


NOT_DATES = [
    "In the by-election 2019 votes were cast.",
    "Turnout rose 12.5 percent to 61.5%.",
    "The census counted 2,019 households and 1.5 million people.",
    "The 9/11 commission was cited, and the score was 3-1.",
    "March organisers said they may walk 24/7 at 10:30.",
    "The index closed at 2023.5 points.",
    "The firm employs 2024 people in 14 countries.",
    "He served two years after taking office.",
    "Ballots cast: 2019.",
    "The festival draws 40,000 visitors every year.",
]


@pytest.mark.parametrize("text", NOT_DATES)
def test_numbers_and_words_that_are_not_dates_are_not_taken(text: str) -> None:
    assert found(text) == []


def test_without_a_publication_relative_dates_are_kept_unresolved() -> None:
    mentions = find_dates("It was signed on 12 June 1998 and amended last year, on Monday.", None)
    assert [(m.text, m.date, m.relative) for m in mentions] == [
        ("12 June 1998", "1998-06-12", False), ("last year", None, True), ("Monday", None, True)]


def test_precision_and_first_day_follow_the_expression() -> None:
    by_text = {m.text: m for m in find_dates("In 2019, in March 2021, on 2 May and this week.", WEDNESDAY)}
    assert [(m.precision, m.first_day) for m in by_text.values()] == [
        ("year", "2019-01-01"), ("month", "2021-03-01"), ("day", "2022-05-02"), ("week", "2022-08-29")]


def test_a_year_alone_is_a_year_not_a_day() -> None:
    """dateparser gives "in 2019" a day; the year is what the text says."""
    [mention] = find_dates("The dam was finished in 2019.", WEDNESDAY)
    assert (mention.date, mention.precision) == ("2019", "year")


def test_a_publication_with_a_time_resolves_on_its_own_local_day() -> None:
    late_evening = publication_day("2022-08-31T23:30:00-05:00")  # already 1 September in UTC
    assert late_evening == date(2022, 8, 31)
    assert found("It was announced yesterday.", late_evening) == [("yesterday", "2022-08-30")]
    assert publication_day("not a date") is None and publication_day(None) is None


_WORDS = st.sampled_from([
    "on", "in", "since", "the", "last", "next", "Monday", "Friday's", "March", "May", "2019", "2019s", "1990s",
    "28", "3", "and", "to", "-", "votes", "12.5", "percent", "year", "month", "ago", "two", "days", "yesterday",
    "2,019", "2022-08-31", "31/12/2021", "Q3", "quarter", "third", "day", "before", "(", ")", ",", ".", "x2019",
])


@given(st.lists(_WORDS, max_size=25), st.sampled_from(["", " ", "-", "/"]))
def test_spans_never_spill_into_neighbouring_words(words: list[str], glue: str) -> None:
    text = " ".join(words).replace(" - ", glue or " - ")
    mentions: list[DateMention] = find_dates(text, WEDNESDAY)
    for mention in mentions:
        assert text[mention.start:mention.end] == mention.text == mention.text.strip()
        assert mention.start == 0 or not text[mention.start - 1].isalnum()
        assert mention.end == len(text) or not text[mention.end].isalnum()
    assert all(a.end <= b.start for a, b in pairwise(mentions))  # in text order, never overlapping
