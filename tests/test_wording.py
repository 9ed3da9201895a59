"""Counts in words: plural agreement, and the line that ends a truncated listing."""

from __future__ import annotations

from sourcetrace.wording import more_line, plural


def test_a_count_of_one_takes_the_singular_and_any_other_count_the_plural() -> None:
    assert plural(1, "segment") == "1 segment"
    assert plural(0, "segment") == "0 segments"
    assert plural(2, "segment") == "2 segments"
    assert plural(1, "family", "families") == "1 family"
    assert plural(12_000, "family", "families") == "12,000 families"


def test_a_truncated_listing_says_how_many_it_left_out_and_how_to_see_them() -> None:
    assert more_line(93, 50) == "… 43 more (use --limit 0 for all)"
    assert more_line(93, 50, "--all") == "… 43 more (use --all for all)"


def test_a_listing_that_shows_everything_has_no_more_line() -> None:
    assert more_line(50, 50) is None
    assert more_line(0, 0) is None
