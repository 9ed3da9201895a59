"""Progress reporting that callers never branch on.

The API reports phases and steps to a ``Progress``; the CLI passes a rich
progress bar, library callers and tests get ``NullProgress``.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def phase(self, name: str, total: int | None) -> None:
        """A new phase begins, with ``total`` steps when known."""

    def advance(self, steps: int = 1) -> None:
        """``steps`` more steps of the current phase are done."""


class NullProgress:
    def phase(self, name: str, total: int | None) -> None:
        pass

    def advance(self, steps: int = 1) -> None:
        pass
