"""Calendar arithmetic behind relative dates: shifts, nearest years, weekdays, ISO at a precision."""

from __future__ import annotations

from datetime import date

import pytest

from sourcetrace.stories import date_calendar as cal

WEDNESDAY = date(2022, 8, 31)


@pytest.mark.parametrize(("precision", "written"), [
    ("day", "2022-08-31"), ("week", "2022-W35"), ("month", "2022-08"), ("quarter", "2022-Q3"),
    ("year", "2022"), ("decade", "202"),
])
def test_a_date_is_written_as_iso_8601_at_its_precision(precision: cal.Precision, written: str) -> None:
    assert cal.iso_at(WEDNESDAY, precision) == written


def test_iso_weeks_belong_to_their_iso_year() -> None:
    assert cal.iso_at(date(2021, 1, 1), "week") == "2020-W53"


def test_a_month_shift_keeps_the_day_or_takes_the_last_day_of_a_shorter_month() -> None:
    assert cal.shift(date(2022, 1, 31), "month", 1) == date(2022, 2, 28)
    assert cal.shift(date(2024, 3, 31), "quarter", -1) == date(2023, 12, 31)
    assert cal.shift(WEDNESDAY, "year", -3) == date(2019, 8, 31)
    assert cal.shift(WEDNESDAY, "week", 1) == date(2022, 9, 7)


def test_a_day_without_a_year_is_the_one_nearest_the_anchor() -> None:
    assert cal.nearest_day(12, 19, date(2023, 1, 10)) == date(2022, 12, 19)
    assert cal.nearest_day(1, 12, date(2022, 12, 30)) == date(2023, 1, 12)
    assert cal.nearest_day(5, 28, WEDNESDAY) == date(2022, 5, 28)
    assert cal.nearest_day(2, 30, WEDNESDAY) is None


def test_a_month_without_a_year_is_the_nearest_and_a_tie_goes_to_the_past() -> None:
    assert cal.nearest_month(3, date(2023, 1, 10)) == date(2023, 3, 1)
    assert cal.nearest_month(10, date(2023, 1, 10)) == date(2022, 10, 1)
    assert cal.nearest_month(2, WEDNESDAY) == date(2022, 2, 1)  # six months either way


def test_last_and_next_month_names_are_strictly_before_and_after() -> None:
    assert cal.month_before(8, WEDNESDAY) == date(2021, 8, 1)
    assert cal.month_after(8, WEDNESDAY) == date(2023, 8, 1)
    assert cal.month_before(3, WEDNESDAY) == date(2022, 3, 1)


@pytest.mark.parametrize(("weekday", "direction", "expected"), [
    (2, "past", date(2022, 8, 31)),  # the publication's own day
    (0, "past", date(2022, 8, 29)),
    (2, "last", date(2022, 8, 24)),
    (4, "future", date(2022, 9, 2)),
    (2, "future", date(2022, 9, 7)),
    (0, "this", date(2022, 8, 29)),
])
def test_weekdays_around_the_anchor(weekday: int, direction: cal.Direction, expected: date) -> None:
    assert cal.weekday_near(weekday, WEDNESDAY, direction) == expected


def test_a_period_starts_on_its_first_day() -> None:
    assert [cal.start_of(WEDNESDAY, p) for p in ("week", "quarter", "decade")] == [
        date(2022, 8, 29), date(2022, 7, 1), date(2020, 1, 1)]
