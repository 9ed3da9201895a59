"""The grammar of date expressions: one regular expression per form, each with
the pieces it yields and how each piece resolves to a calendar date.

A rule's match yields one piece, or two for a range ("between 2017 and 2019",
"3 and 5 May", "2008-09"): each end is its own expression with its own span.
A piece resolves against :class:`Anchors`: the publication date for deictic
expressions ("yesterday", "last month", "on Wednesday", "28 May"), and the
date mentioned last for anaphoric ones ("the day before", "a year earlier").
Spans hold the expression proper: prepositions and vague modifiers ("in",
"on", "early", "mid-") stay outside, so a span never takes in its neighbours.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import cast

from sourcetrace.stories import date_calendar as cal
from sourcetrace.stories.date_calendar import Precision, Unit


@dataclass(frozen=True, slots=True)
class Anchors:
    """What relative expressions resolve against."""

    published: date | None
    previous: tuple[date, Precision] | None  # the last date mentioned before, for anaphora


Resolver = Callable[[Anchors], date | None]


@dataclass(frozen=True, slots=True)
class Piece:
    """One expression found by a rule, not yet resolved."""

    start: int
    end: int
    precision: Precision
    resolve: Resolver
    relative: bool  # needs the publication date (or the previous date) to resolve


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    pieces: Callable[[re.Match[str], str], list[Piece]]


MONTHS = {name: number for number, names in enumerate((
    ("January", "Jan"), ("February", "Feb"), ("March", "Mar"), ("April", "Apr"), ("May",), ("June", "Jun"),
    ("July", "Jul"), ("August", "Aug"), ("September", "Sep", "Sept"), ("October", "Oct"),
    ("November", "Nov"), ("December", "Dec")), start=1) for name in names}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NUMBER_WORDS = {word: n for n, word in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())} | {"a": 1, "an": 1}

_FULL_MONTH = "January|February|March|April|May|June|July|August|September|October|November|December"
_ABBR_MONTH = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
MONTH = rf"(?P<month>{_FULL_MONTH}|{_ABBR_MONTH})(?!\w)"
FULL_MONTH = rf"(?P<month>{_FULL_MONTH})(?!\w)"
DAY = r"(?P<day>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?P<year>(?:19|20)\d\d)"
LEFT = r"(?<![\w.,/:$€£])(?<!\d-)"  # not inside a number, an amount or a word
RIGHT = r"(?!\w|[.,/:]\d|-\d)"  # not followed by more of a number
WEEKDAY = "(?P<weekday>" + "|".join(WEEKDAYS) + r")(?!\w)"
WITH_WEEKDAY = rf"(?:{WEEKDAY.replace('weekday', 'named_weekday')},?\s+(?:the\s+)?)?"
RANGE_WORD = r"\s*(?:-|–|—|to|and|until|through|till)\s*"
NUMBER = r"(?P<count>\d+|" + "|".join(NUMBER_WORDS) + ")"
UNITS = r"(?P<unit>day|week|month|year|decade)s?"
NOT_AN_OBJECT = r"(?!\s+(?:the|a|an|his|her|its|their|this|that|[A-Z]))"  # "the day before [the vote]" is unanchored

# Words before a bare year or month that make it a date: "in 2019", "since March", "the 2019 survey".
_YEAR_CUES = ("in|since|until|till|by|from|through|during|before|after|of|between|and|to|for|early|late|mid"
              "|the|its|their|his|her|a|fiscal|with|than|around|circa|spring|summer|autumn|fall|winter")
_MONTH_CUES = "in|since|until|till|by|from|through|during|before|after|of|to|early|late|mid|end"
_COUNTED_NOUN = re.compile(r"\s+(?!(?:was|has|is|does|says|seems|remains|shows|marks|sees)\b)[a-z]+s\b")
_DETERMINERS = frozenset({"the", "its", "their", "his", "her", "a", "fiscal"})


def _fixed(value: date | None) -> Resolver:
    return lambda anchors: value


def _on_publication(build: Callable[[date], date | None]) -> Resolver:
    return lambda anchors: None if anchors.published is None else build(anchors.published)


def _full_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _group(match: re.Match[str], *names: str) -> str | None:
    """The first of ``names`` that the rule has and the match filled."""
    found = match.groupdict()
    return next((found[n] for n in names if found.get(n) is not None), None)


def _month_of(match: re.Match[str]) -> int:
    return MONTHS[match["month"].rstrip(".")]


def _unit(match: re.Match[str], *names: str) -> Unit:
    return cast(Unit, (_group(match, *names) or "").lower())


def _day_piece(start: int, end: int, month: int, day: int, year: str | None) -> Piece:
    """A day with its month, and with its year or the year nearest the publication."""
    if year is not None:
        return Piece(start, end, "day", _fixed(_full_date(int(year), month, day)), False)
    return Piece(start, end, "day", _on_publication(lambda p: cal.nearest_day(month, day, p)), True)


def _calendar_date(match: re.Match[str], text: str) -> list[Piece]:
    return [_day_piece(match.start(), match.end(), _month_of(match), int(match["day"]), _group(match, "year"))]


def _day_range_before_month(match: re.Match[str], text: str) -> list[Piece]:
    """"3 and 5 May": the first day takes the second's month and year."""
    month, year = _month_of(match), _group(match, "year")
    return [_day_piece(match.start("first"), match.end("first"), month, int(match["first"]), year),
            _day_piece(match.start("day"), match.end(), month, int(match["day"]), year)]


def _day_range_after_month(match: re.Match[str], text: str) -> list[Piece]:
    """"November 12 to 14": the second day takes the first's month (and the year written last)."""
    month, year = _month_of(match), _group(match, "year")
    return [_day_piece(match.start(), match.end("day"), month, int(match["day"]), year),
            _day_piece(match.start("second"), match.end(), month, int(match["second"]), year)]


def _numeric_date(match: re.Match[str], text: str) -> list[Piece]:
    """31.12.2022 is day first; with slashes, day first when the first number
    cannot be a month, otherwise month first (the English of the US wires)."""
    first, second = int(_group(match, "first", "first_") or 0), int(_group(match, "second", "second_") or 0)
    year = int(_group(match, "year", "year_") or 0)
    year += 2000 if year < 100 else 0
    day_first = match["first_"] is not None or first > 12
    day, month = (first, second) if day_first else (second, first)
    value = _full_date(year, month, day)
    return [Piece(match.start(), match.end(), "day", _fixed(value), False)] if value else []


def _month_year(match: re.Match[str], text: str) -> list[Piece]:
    return [Piece(match.start(), match.end(), "month", _fixed(date(int(match["year"]), _month_of(match), 1)), False)]


def _month_alone(match: re.Match[str], text: str) -> list[Piece]:
    month = _month_of(match)
    if month == 5 and match["cue"].lower() in ("to", "of"):  # "spoke to May": the name, not the month
        return []
    return [Piece(match.start("month"), match.end("month"), "month",
                  _on_publication(lambda p: cal.nearest_month(month, p)), True)]


def _month_with_direction(match: re.Match[str], text: str) -> list[Piece]:
    """"last March", "next May", "this June"."""
    month, direction = _month_of(match), match["direction"].lower()
    build = {"last": cal.month_before, "next": cal.month_after}.get(
        direction, lambda m, p: date(p.year, m, 1))
    return [Piece(match.start(), match.end(), "month", _on_publication(lambda p: build(month, p)), True)]


def _year_alone(match: re.Match[str], text: str) -> list[Piece]:
    """A year stands alone as a date only after a cue word ("in 2019", "the 2019
    survey"), and not as a count before a plural noun ("to 2000 cars")."""
    cue = (match["cue"] or "").lower()
    if not cue and not match["possessive"]:
        return []
    if cue not in _DETERMINERS and _COUNTED_NOUN.match(text, match.end()):
        return []
    return [Piece(match.start("year"), match.end("year"), "year", _fixed(date(int(match["year"]), 1, 1)), False)]


def _year_range(match: re.Match[str], text: str) -> list[Piece]:
    """"2017-2019", "2008-09": the second end may be written with two digits."""
    first, written = int(match["year"]), match["second"]
    second = int(written) if len(written) == 4 else first // 100 * 100 + int(written)
    if second <= first:
        return []
    return [Piece(match.start("year"), match.end("year"), "year", _fixed(date(first, 1, 1)), False),
            Piece(match.start("second"), match.end("second"), "year", _fixed(date(second, 1, 1)), False)]


def _decade(match: re.Match[str], text: str) -> list[Piece]:
    digits = _group(match, "decade", "decade_") or "0"
    year = int(digits) if len(digits) == 4 else (1900 if int(digits) >= 30 else 2000) + int(digits)
    return [Piece(match.start(), match.end(), "decade", _fixed(date(year, 1, 1)), False)]


def _iso_date(match: re.Match[str], text: str) -> list[Piece]:
    value = _full_date(int(match["year"]), int(match["month_number"]), int(match["day"]))
    return [Piece(match.start(), match.end(), "day", _fixed(value), False)] if value else []


_DAY_OFFSETS = {"today": 0, "tonight": 0, "yesterday": -1, "last night": -1, "tomorrow": 1,
                "the day before yesterday": -2, "the day after tomorrow": 2}


def _deictic_day(match: re.Match[str], text: str) -> list[Piece]:
    offset = _DAY_OFFSETS[re.sub(r"\s+", " ", match[0].lower())]
    return [Piece(match.start(), match.end(), "day", _on_publication(lambda p: cal.shift(p, "day", offset)), True)]


_DIRECTIONS = {"last": -1, "previous": -1, "this": 0, "next": 1, "coming": 1}


def _deictic_unit(match: re.Match[str], text: str) -> list[Piece]:
    """"last month", "this week", "next year": the publication's period, moved."""
    unit = _unit(match, "unit")
    offset = _DIRECTIONS[match["direction"].lower()]
    return [Piece(match.start(), match.end(), unit,
                  _on_publication(lambda p: cal.start_of(cal.shift(p, unit, offset), unit)), True)]


def _count(match: re.Match[str]) -> int:
    written = match["count"].lower()
    return int(written) if written.isdigit() else NUMBER_WORDS[written]


def _ago(match: re.Match[str], text: str) -> list[Piece]:
    """"three days ago", "a week ago", "five years ago": at the unit's precision."""
    unit = _unit(match, "unit")
    count = _count(match)
    return [Piece(match.start(), match.end(), unit,
                  _on_publication(lambda p: cal.start_of(cal.shift(p, unit, -count), unit)), True)]


def _from_previous(unit: Unit, offset: int) -> Resolver:
    """Anaphora: the date mentioned last (else the publication), moved by units."""
    def resolve(anchors: Anchors) -> date | None:
        if anchors.previous is not None:
            anchor = anchors.previous[0]
        elif anchors.published is not None:
            anchor = anchors.published
        else:
            return None
        return cal.start_of(cal.shift(anchor, unit, offset), unit)
    return resolve


_LATER = frozenset({"after", "later", "next", "following"})


def _anaphoric(match: re.Match[str], text: str) -> list[Piece]:
    """"the day before", "the following week", "a year earlier", "two days later"."""
    unit = _unit(match, "unit_the", "unit_after", "unit")
    direction = (_group(match, "direction", "direction_before", "direction_") or "").lower()
    count = _count(match) if match["count"] else 1
    offset = count if direction in _LATER else -count
    return [Piece(match.start(), match.end(), unit, _from_previous(unit, offset), True)]


_FUTURE_CUES = re.compile(
    r"\b(?:will|shall|would|'ll|due|scheduled|expected to|set (?:to|for)|plans? (?:to|for)|planned for|going to"
    r"|is to|are to|intends? to|hopes? to|aims? to|to be held|upcoming|next|goes?|go to|takes? place|opens?|begins?"
    r"|starts?|meets?|plays?|resumes?|returns?)\b", re.IGNORECASE)
_PAST_CUES = re.compile(
    r"\b(?<!\bbe )(?<!\bbeen )(?:said|says|told|was|were|had|did|met|held|began|took|made|gave|came|went|saw|won|lost|rose|fell|left"
    r"|sent|spoke|wrote|found|struck|hit|cut|shut|ran|\w+ed)\b", re.IGNORECASE)  # not after "be": "will be held" is future
_SENTENCE_START = re.compile(r"[.!?;]\s+(?=[A-Z\"'(])")


def _speaks_of_future(text: str, before: int) -> bool:
    """Whether the verb nearest before ``before`` in its sentence is future
    ("will meet on Friday", "is expected to rule on Monday") or past."""
    window_start = max(0, before - 160)
    starts = [m.end() for m in _SENTENCE_START.finditer(text, window_start, before)]
    window = text[starts[-1] if starts else window_start:before]
    future = max((m.end() for m in _FUTURE_CUES.finditer(window)), default=-1)
    past = max((m.end() for m in _PAST_CUES.finditer(window)), default=-1)
    return future >= past and future >= 0


_WEEKDAY_DIRECTIONS: dict[str, cal.Direction] = {"last": "last", "next": "future", "coming": "future", "this": "this"}


def _weekday(match: re.Match[str], text: str) -> list[Piece]:
    """A weekday: "last" strictly before, "next" strictly after, "this" in the
    week of publication; bare, the latest on or before publication unless the
    sentence speaks of the future."""
    weekday = WEEKDAYS.index(match["weekday"])
    written = (match["direction"] or "").lower()
    direction = _WEEKDAY_DIRECTIONS.get(written)
    if direction is None:
        direction = "future" if _speaks_of_future(text, match.start()) else "past"
    return [Piece(match.start(), match.end(), "day",
                  _on_publication(lambda p: cal.weekday_near(weekday, p, direction)), True)]


_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}


def _quarter(match: re.Match[str], text: str) -> list[Piece]:
    """"the third quarter [of 2021]", "Q1 2020": a year written, or the nearest quarter."""
    quarter = int(match["q"]) if match["q"] else _ORDINALS[match["ordinal"].lower()]
    month = quarter * 3 - 2
    year = _group(match, "year", "year_q")
    if year:
        return [Piece(match.start(), match.end(), "quarter", _fixed(date(int(year), month, 1)), False)]
    return [Piece(match.start(), match.end(), "quarter",
                  _on_publication(lambda p: cal.nearest_month(month, p, months_per_step=3)), True)]


_HOLIDAYS = {"christmas day": (12, 25), "christmas eve": (12, 24), "new year's day": (1, 1),
             "new year's eve": (12, 31), "boxing day": (12, 26)}


def _holiday(match: re.Match[str], text: str) -> list[Piece]:
    """Holidays on a fixed day, in the year nearest the publication unless written."""
    month, day = _HOLIDAYS[re.sub(r"\s+", " ", match["holiday"].lower()).replace("’", "'")]
    return [_day_piece(match.start(), match.end(), month, day, _group(match, "year"))]


def _rule(name: str, pattern: str, pieces: Callable[[re.Match[str], str], list[Piece]]) -> Rule:
    return Rule(name, re.compile(LEFT + pattern + RIGHT), pieces)


RULES: tuple[Rule, ...] = (
    _rule("iso date", rf"{YEAR}-(?P<month_number>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])", _iso_date),
    _rule("numeric date", r"(?P<first>\d{1,2})(?P<sep>/)(?P<second>\d{1,2})/(?P<year>(?:19|20)?\d\d)"
          r"|(?P<first_>\d{1,2})\.(?P<second_>\d{1,2})\.(?P<year_>(?:19|20)\d\d)", _numeric_date),
    _rule("day month year", rf"{WITH_WEEKDAY}{DAY}\s+(?:of\s+)?{MONTH},?\s+{YEAR}", _calendar_date),
    _rule("month day year", rf"{WITH_WEEKDAY}{MONTH}\s+{DAY},?\s+{YEAR}", _calendar_date),
    _rule("day month", rf"{WITH_WEEKDAY}{DAY}\s+(?:of\s+)?{MONTH}", _calendar_date),
    _rule("month day", rf"{WITH_WEEKDAY}{MONTH}\s+{DAY}(?!\s*%|\s+percent)", _calendar_date),
    _rule("day range, month", rf"(?P<first>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?{RANGE_WORD}{DAY}\s+(?:of\s+)?"
          rf"{MONTH}(?:,?\s+{YEAR})?", _day_range_before_month),
    _rule("month, day range", rf"{MONTH}\s+{DAY}{RANGE_WORD}(?P<second>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
          rf"(?:,?\s+{YEAR})?", _day_range_after_month),
    _rule("month year", rf"{MONTH}(?:\s+of)?,?\s+{YEAR}", _month_year),
    _rule("month after a cue", rf"(?i:\b(?P<cue>{_MONTH_CUES})[- ]+(?:the\s+)?(?:(?:early|late|mid)[- ]+)?)"
          rf"{FULL_MONTH}", _month_alone),
    _rule("last/next month name", rf"(?P<direction>[Ll]ast|[Nn]ext|[Tt]his)\s+{FULL_MONTH}", _month_with_direction),
    _rule("year range", rf"{YEAR}\s*(?:-|–|/)\s*(?P<second>(?:19|20)\d\d|\d\d)", _year_range),
    _rule("year", rf"(?:(?i:\b(?P<cue>{_YEAR_CUES})\b)[- ]*\(?|\()?{YEAR}(?P<possessive>'s)?"
          r"(?!\s*(?:%|percent|per cent))", _year_alone),
    _rule("decade", r"(?P<decade>(?:18|19|20)\d0)'?s|'(?P<decade_>\d0)s", _decade),
    _rule("today, yesterday", r"(?i:the\s+day\s+(?:before\s+yesterday|after\s+tomorrow)|today|tonight|yesterday"
          r"|tomorrow|last\s+night)", _deictic_day),
    _rule("last/this/next unit", r"(?i:(?P<direction>last|this|next|coming)\s+(?P<unit>week|month|year|quarter))",
          _deictic_unit),
    _rule("ago", rf"(?i:{NUMBER}\s+{UNITS}\s+ago)", _ago),
    _rule("anaphoric", r"(?i:(?:the\s+(?P<unit_the>day|week|month|year)\s+(?P<direction>before|after|earlier|later)"
          rf"|the\s+(?P<direction_before>previous|next|following|prior)\s+(?P<unit_after>day|week|month|year))"
          rf"|{NUMBER}\s+{UNITS}\s+(?P<direction_>earlier|later))" + NOT_AN_OBJECT, _anaphoric),
    _rule("weekday", rf"(?:(?P<direction>[Ll]ast|[Nn]ext|[Tt]his|[Cc]oming)\s+)?{WEEKDAY}", _weekday),
    _rule("quarter", rf"(?i:(?P<ordinal>first|second|third|fourth|1st|2nd|3rd|4th)[- ]quarter)"
          rf"(?:\s+(?:of\s+)?{YEAR})?|Q(?P<q>[1-4])\s*(?P<year_q>(?:19|20)\d\d)", _quarter),
    _rule("holiday", rf"(?P<holiday>Christmas\s+(?:Day|Eve)|New\s+Year['’]s\s+(?:Day|Eve)|Boxing\s+Day)"
          rf"(?:,?\s+{YEAR})?", _holiday),
)
