"""Date lines: a line of a page that is only a date ("Saturday, March 12,
2022", "12 March 2022", "2022-03-12", a time of day after it allowed).

Segmentation reads them: a headline, or an outlet name, followed by a date
line heads a pasted item, and a date line before a page's first paragraph
dates the page. A date line is never a headline. Numeric day/month orders
("03/04/2022") are ambiguous and are not read.
"""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
         ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
         ("november", "nov"), ("december", "dec")],
        start=1,
    )
    for name in names
}
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_MONTH = r"(?P<month>[a-z]{3,9})\.?"
_TIME = r"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?(?:\s*[a-z]{2,5}(?:[+-]\d{1,2})?)?)?"
_DATE_LINE = re.compile(
    rf"{_WEEKDAY}(?:{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})"
    rf"|(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month2>[a-z]{{3,9}})\.?,?\s+(?P<year2>\d{{4}})"
    rf"|(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})){_TIME}",
)
_MAX_CHARS = 60


def parse_date_line(line: str) -> str | None:
    """The ISO date (YYYY-MM-DD) a line that is only a date states, else None."""
    text = line.strip().casefold()
    if not 8 <= len(text) <= _MAX_CHARS or not text[0].isalnum():
        return None
    match = _DATE_LINE.fullmatch(text)
    if match is None:
        return None
    if match.group("iso"):
        return _iso(*map(int, match.group("iso").split("-")))
    month = _MONTHS.get(match.group("month") or match.group("month2") or "")
    if month is None:
        return None
    year, day = int(match.group("year") or match.group("year2")), int(match.group("day") or match.group("day2"))
    return _iso(year, month, day)


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None
