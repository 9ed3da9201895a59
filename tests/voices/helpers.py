"""Helpers for the voices tests."""

from __future__ import annotations

from sourcetrace.voices.statements import Attribution


def only(found: list[Attribution], words: str) -> Attribution:
    """The one statement whose text contains ``words``."""
    matches = [a for a in found if words in a.occurrence.text]
    assert len(matches) == 1, f"{len(matches)} statements contain {words!r}: {[a.occurrence.text for a in found]}"
    return matches[0]
