"""Wording shared by everything that prints counts: plurals, and the line that ends a truncated listing.

Kept in one place so that "1 segment" and "2 segments" agree in every
command, rendering and stored evidence string.
"""

from __future__ import annotations


def plural(count: int, noun: str, many: str | None = None) -> str:
    """``count`` and ``noun`` in agreement: "1 segment", "2 segments", "0 segments";
    ``many`` for nouns that do not take an s ("1 family", many="families")."""
    return f"{count:,} {noun if count == 1 else many or noun + 's'}"


def times(count: int) -> str:
    """How often: "once", "twice", "3 times"."""
    return {1: "once", 2: "twice"}.get(count, f"{count:,} times")


def more_line(total: int, shown: int, option: str = "--limit 0") -> str | None:
    """The last line of a listing that shows ``shown`` of ``total`` rows, naming the
    option that shows them all; None when nothing was left out."""
    if total <= shown:
        return None
    return f"… {total - shown:,} more (use {option} for all)"
