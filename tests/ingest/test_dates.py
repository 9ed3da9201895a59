"""Lines that are only a date (sourcetrace.ingest.dates)."""

from __future__ import annotations

import pytest

from sourcetrace.ingest.dates import parse_date_line


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("Saturday, March 12, 2022", "2022-03-12"),
        ("March 12, 2022", "2022-03-12"),
        ("Mar. 3, 1987", "1987-03-03"),
        ("12 March 2022", "2022-03-12"),
        ("Friday, 11 March 2022, 14:05 GMT", "2022-03-11"),
        ("March 11, 2022 10:30 AM", "2022-03-11"),
        ("2022-03-12", "2022-03-12"),
    ],
)
def test_a_line_that_is_only_a_date_gives_its_iso_day(line: str, iso: str) -> None:
    assert parse_date_line(line) == iso


@pytest.mark.parametrize(
    "line",
    [
        "The council met on March 3, 2022",  # a sentence mentioning a date
        "March 2022",  # no day
        "31 February 2022",  # no such day
        "03/04/2022",  # day and month order unknown
        "Harbour Rights Watch",
        "",
    ],
)
def test_other_lines_are_not_date_lines(line: str) -> None:
    assert parse_date_line(line) is None
