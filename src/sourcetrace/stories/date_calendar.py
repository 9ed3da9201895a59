"""Calendar arithmetic for the timeline: shifting dates by units, choosing the
year of a date written without one, and writing a date at its precision.

A resolved date is a :class:`datetime.date` (the first day of its period)
with a :data:`Precision`; :func:`iso_at` writes it as ISO 8601 at that
precision: ``2022``, ``2022-08``, ``2022-08-31``, ``2022-W35`` (ISO week),
``2022-Q3`` (quarter), ``199`` (the decade of the 1990s, as in TimeML).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

Precision = Literal["day", "week", "month", "quarter", "year", "decade"]
Unit = Literal["day", "week", "month", "quarter", "year", "decade"]
Direction = Literal["past", "last", "future", "this"]

_MONTHS_PER_UNIT = {"month": 1, "quarter": 3, "year": 12, "decade": 120}


def iso_at(value: date, precision: Precision) -> str:
    """``value`` written as ISO 8601 at ``precision``."""
    if precision == "day":
        return value.isoformat()
    if precision == "week":
        year, week, _ = value.isocalendar()
        return f"{year:04d}-W{week:02d}"
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    if precision == "quarter":
        return f"{value.year:04d}-Q{(value.month - 1) // 3 + 1}"
    if precision == "year":
        return f"{value.year:04d}"
    return f"{value.year // 10:03d}"


def shift(value: date, unit: Unit, count: int) -> date:
    """``value`` moved by ``count`` units (negative: back); month shifts keep
    the day where the target month has it, else take the month's last day."""
    if unit == "day":
        return value + timedelta(days=count)
    if unit == "week":
        return value + timedelta(weeks=count)
    months = value.year * 12 + value.month - 1 + count * _MONTHS_PER_UNIT[unit]
    year, month = divmod(months, 12)
    return _clamped(year, month + 1, value.day)


def _clamped(year: int, month: int, day: int) -> date:
    while True:
        try:
            return date(year, month, day)
        except ValueError:
            day -= 1


def nearest_day(month: int, day: int, anchor: date) -> date | None:
    """The date with this month and day nearest ``anchor`` (a year before, the
    same year or the next): news dates without a year lie close to the
    publication. None when no such day exists (30 February)."""
    found = [d for d in (_valid(anchor.year + offset, month, day) for offset in (-1, 0, 1)) if d is not None]
    return min(found, key=lambda d: (abs((d - anchor).days), d > anchor)) if found else None


def nearest_month(month: int, anchor: date, *, months_per_step: int = 1) -> date:
    """The first day of the month ``month`` (or the quarter starting there) in
    the year that puts it nearest ``anchor``; a tie goes to the past."""
    here = anchor.year * 12 + (anchor.month - 1) // months_per_step * months_per_step
    options = [(year, (year * 12 + month - 1) - here) for year in (anchor.year - 1, anchor.year, anchor.year + 1)]
    year, _ = min(options, key=lambda option: (abs(option[1]), option[1] > 0))
    return date(year, month, 1)


def month_before(month: int, anchor: date) -> date:
    """The latest month ``month`` strictly before the anchor's month ("last March")."""
    year = anchor.year if month < anchor.month else anchor.year - 1
    return date(year, month, 1)


def month_after(month: int, anchor: date) -> date:
    """The earliest month ``month`` strictly after the anchor's month ("next March")."""
    year = anchor.year if month > anchor.month else anchor.year + 1
    return date(year, month, 1)


def weekday_near(weekday: int, anchor: date, direction: Direction) -> date:
    """The weekday (Monday 0) relative to ``anchor``: "past" the latest on or
    before it, "last" strictly before, "future" strictly after, "this" in the
    same ISO week."""
    if direction == "this":
        return anchor + timedelta(days=weekday - anchor.weekday())
    if direction == "future":
        return anchor + timedelta(days=(weekday - anchor.weekday()) % 7 or 7)
    back = (anchor.weekday() - weekday) % 7
    return anchor - timedelta(days=back or (7 if direction == "last" else 0))


def start_of(value: date, precision: Precision) -> date:
    """The first day of the period ``value`` lies in."""
    if precision == "day":
        return value
    if precision == "week":
        return value - timedelta(days=value.weekday())
    if precision == "month":
        return value.replace(day=1)
    if precision == "quarter":
        return date(value.year, (value.month - 1) // 3 * 3 + 1, 1)
    if precision == "year":
        return date(value.year, 1, 1)
    return date(value.year // 10 * 10, 1, 1)


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
