"""Dates mentioned in a text, each with its exact span and its ISO value at its
own precision, resolved against the text's publication date.

    find_dates("The ministry said on Wednesday ...", published=date(2022, 8, 31))

A regular grammar of our own (date_grammar.py), chosen over dateparser and
datefinder by the figures of bench/dates_eval.py (docs/timeline.md): it finds
the forms news prose uses, keeps spans to the expression, and gives each
date the precision it was written at ("in 2019" is the year 2019, not a day).
Relative expressions ("yesterday", "last month", "on Wednesday", "28 May")
need the publication date; without one they are kept with ``date`` None.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sourcetrace.stories.date_calendar import Precision, iso_at, start_of
from sourcetrace.stories.date_grammar import RULES, Anchors, Piece


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date as written in a text."""

    start: int  # span in the text, half-open
    end: int
    text: str  # the expression as written: text[start:end]
    date: str | None  # ISO 8601 at its precision; None: relative, with no publication date to resolve it
    precision: Precision
    relative: bool  # resolved against the publication date or the date mentioned before
    first_day: str | None  # ISO date the period starts on, for ordering; None when unresolved


def find_dates(text: str, published: date | None) -> list[DateMention]:
    """Every date expression in ``text``, in text order, none overlapping."""
    chosen = _longest_first(piece for rule in RULES for match in rule.pattern.finditer(text)
                            for piece in rule.pieces(match, text))
    mentions: list[DateMention] = []
    previous: tuple[date, Precision] | None = None
    for piece in chosen:
        value = piece.resolve(Anchors(published, previous))
        if value is not None:
            previous = (value, piece.precision)
        mentions.append(DateMention(piece.start, piece.end, text[piece.start:piece.end],
                                    None if value is None else iso_at(value, piece.precision),
                                    piece.precision, piece.relative,
                                    None if value is None else start_of(value, piece.precision).isoformat()))
    return mentions


def _longest_first(pieces: Iterable[Piece]) -> list[Piece]:
    """Where rules overlap the longest expression wins ("2 March 2021" over
    "March 2021"); the winners come back in text order."""
    taken: list[Piece] = []
    for piece in sorted(pieces, key=lambda p: (p.start - p.end, p.start)):
        if all(piece.end <= other.start or piece.start >= other.end for other in taken):
            taken.append(piece)
    return sorted(taken, key=lambda p: p.start)


def publication_day(published: str | None) -> date | None:
    """The day of an ISO 8601 publication date or date-time (its own local day
    when it carries an offset); None when missing or unreadable."""
    if not published:
        return None
    try:
        return datetime.fromisoformat(published).date() if "T" in published else date.fromisoformat(published[:10])
    except ValueError:
        return None


def publication_precision(published: str) -> str:
    """"time" for a date-time, else the precision its length says (2022, 2022-08, 2022-08-31)."""
    if "T" in published:
        return "time"
    return {4: "year", 7: "month"}.get(len(published), "day")
